"""Checks of the 项目支出绩效自评表 (SelfEvalForm)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from functools import lru_cache
from typing import Any

from ..model import FUND_LABELS, FUND_ROWS, SELF_EVAL, Loc
from ..numbers import HUNDRED, ZERO, fmt, round2
from ..scoring import ScoreState
from ..values import UNKNOWN, form_year, is_blank, text_of
from . import codes as C
from .common import (
    AMOUNT_FIELDS,
    AMOUNT_LABELS,
    Row,
    amount_findings,
    band_finding,
    blank_total,
    compare,
    effective,
    grade_findings,
    read_text,
    reason_at,
    row_grid,
    rows,
    score_range_finding,
)
from .core import Context, Finding, check

TIME_UNITS = ("工作日", "日", "天", "小时", "月", "年", "周")
NA_WORDS = ("不适用", "无")
_SPACE = re.compile(r"\s")
_CODE_ODD = re.compile(r"\s|[^0-9A-Za-z\-]")  # what a project code should not hold


def _fund_label(key: str) -> str:
    return FUND_LABELS[key].replace("其中：", "")


# "年度资金总额 全年预算数" … for messages about each amount cell
_AMOUNT_WHAT = {
    (fkey, name): f"{_fund_label(fkey)} {AMOUNT_LABELS[name]}"
    for fkey in FUND_ROWS
    for name in AMOUNT_FIELDS
}


# "当年财政拨款的" … before the messages about a fund row
_FUND_PREFIX = {fkey: f"{_fund_label(fkey)}的" for fkey in FUND_ROWS}


def _amounts(ctx: Context) -> dict[str, dict[str, Any]]:
    """Fund key -> amount name -> the number (None for a row the form lacks),
    read once per form."""
    out = ctx.cache.get("amounts")
    if out is None:
        out = {}
        for fkey in FUND_ROWS:
            row = ctx.form.funds.get(fkey)
            out[fkey] = {
                name: ctx.number(row, name, _AMOUNT_WHAT[fkey, name]) if row else None
                for name in AMOUNT_FIELDS
            }
        ctx.cache["amounts"] = out
    return out


def _exec_expected(ctx: Context) -> dict[str, Any]:
    """Execution rate and score the rules give for the 年度资金总额 row (the
    form's assessment, read once per form)."""
    if "exec" in ctx.cache:
        return ctx.cache["exec"]
    amounts = _amounts(ctx)  # reports amounts that are not numbers
    ex = ctx.assessment.exec
    weight = ctx.number(ctx.form, "exec_weight", "执行率分值")
    out: dict[str, Any] = {
        "rate": ex.rate,
        "score": ex.score.value if ex.score is not None else None,
        "how": ex.score.how if ex.score is not None else "",
        "weight": weight,
        "executed": amounts["total"]["executed"],
        "budget": amounts["total"]["annual_budget"],
        "used_weight": ex.used_weight,
    }
    ctx.cache["exec"] = out
    return out


# -- cells ---------------------------------------------------------------------


@check(SELF_EVAL, codes=[C.REQUIRED_EMPTY, C.PROJECT_CODE_FORMAT])
def selfeval_header(ctx: Context) -> Iterator[Finding]:
    """Header fields: the required 实际完成情况 and the project code."""
    form = ctx.form
    if is_blank(form.goal_actual) and not is_blank(form.goal_expected):
        yield ctx.finding(
            C.REQUIRED_EMPTY.code,
            ctx.loc(form, "goal_actual"),
            "年度总体目标的“实际完成情况”为必填项（*），目前为空",
        )
    code_text = text_of(form.project_code)
    if code_text and _CODE_ODD.search(code_text):
        clean = _SPACE.sub("", code_text)
        yield ctx.finding(
            C.PROJECT_CODE_FORMAT.code,
            ctx.loc(form, "project_code"),
            f"项目编码“{code_text}”含有空格或其他字符，应为“{clean}”这样的连续编码",
        )


# -- funds ---------------------------------------------------------------------


@check(
    SELF_EVAL, codes=[C.NOT_A_NUMBER, C.AMOUNT_NEGATIVE, C.FUND_SUM_MISMATCH, C.EXEC_OVER_BUDGET]
)
def selfeval_funds(ctx: Context) -> Iterator[Finding]:
    """Amounts are numbers ≥ 0; 年度资金总额 = Σ 其中 rows; executed ≤ budget."""
    form = ctx.form
    amounts = _amounts(ctx)
    for fkey in FUND_ROWS:
        row = form.funds.get(fkey)
        if row is None:
            continue
        yield from amount_findings(ctx, row, amounts[fkey], _FUND_PREFIX[fkey])
    if "total" not in form.funds:
        return
    parts = [k for k in FUND_ROWS if k != "total" and k in form.funds]
    if not parts:
        return
    for name in AMOUNT_FIELDS:
        total = amounts["total"][name]
        if not isinstance(total, Decimal):
            continue
        values = [amounts[k][name] for k in parts]
        s = ZERO
        filled = unknown = False
        for v in values:
            if isinstance(v, Decimal):
                s += v
                filled = True
            elif v is UNKNOWN:
                unknown = True
        if unknown or not filled:  # a part not known, or none filled in
            continue
        if s != total and abs(s - total) > Decimal("0.005"):
            terms = " + ".join(fmt(v) if isinstance(v, Decimal) else "0" for v in values)
            yield ctx.finding(
                C.FUND_SUM_MISMATCH.code,
                ctx.loc(form.funds["total"], name),
                f"年度资金总额的{AMOUNT_LABELS[name]}应等于其中各项之和 {terms} = {fmt(s)}，表中为 {fmt(total)}",
            )


@check(
    SELF_EVAL,
    codes=[
        C.EXEC_RATE_MISMATCH,
        C.EXEC_SCORE_MISMATCH,
        C.EXEC_SCORE_MISSING,
        C.EXEC_WEIGHT_PROFILE,
        C.ROUNDING_DIFF,
    ],
)
def selfeval_exec(ctx: Context) -> Iterator[Finding]:
    """执行率 and its score against the engine (the profile's execution rule)."""
    form = ctx.form
    ex = _exec_expected(ctx)
    weight = ex["weight"]
    prof_w = ctx.profile.exec.weight
    if isinstance(weight, Decimal) and weight != prof_w:
        yield ctx.finding(
            C.EXEC_WEIGHT_PROFILE.code,
            ctx.loc(form, "exec_weight"),
            f"预算执行率分值为 {fmt(weight)}，评分规则“{ctx.profile.title}”为 {fmt(prof_w)}",
        )
    if ex["rate"] is None:
        return
    rate_cell = ctx.number(form, "exec_rate", "执行率")
    if isinstance(rate_cell, Decimal) and rate_cell <= Decimal("1.5") < ex["rate"]:
        rate_cell = rate_cell * HUNDRED  # a fraction shown with the % format
    yield from compare(
        ctx,
        C.EXEC_RATE_MISMATCH.code,
        ctx.loc(form, "exec_rate"),
        rate_cell,
        ex["rate"],
        "执行率（%）",
        lambda: f"全年执行数 {fmt(ex['executed'])} ÷ 全年预算数 {fmt(ex['budget'])}",
    )
    score_cell = ctx.number(form, "exec_score", "执行率得分")
    if score_cell is None and ex["score"] is not None and not ctx.assessment.exec_in_rows:
        yield ctx.finding(
            C.EXEC_SCORE_MISSING.code,
            ctx.loc(form, "exec_score"),
            f"资金使用情况填有金额（执行率 {fmt(ex['rate'])}%），但执行率得分为空；按评分规则“{ctx.profile.name}”应为 "
            f"{fmt(ex['score'])}（分值 {fmt(ex['used_weight'])}），总分应包含这一项",
        )

    def how() -> str:
        rule = ctx.profile.exec.rule
        rule_text = {
            "proportional": f"min({fmt(ex['rate'])}%, 100%) × 分值 {fmt(ex['used_weight'])}",
            "deduct_per_pct": f"分值 {fmt(ex['used_weight'])} − 低于 100% 的百分点 × {fmt(ctx.profile.exec.per_pct)}",
            "interval": "按执行率区间计分",
        }.get(rule, rule)
        return f"{rule_text}，评分规则“{ctx.profile.name}”"

    yield from compare(
        ctx,
        C.EXEC_SCORE_MISMATCH.code,
        ctx.loc(form, "exec_score"),
        score_cell,
        ex["score"],
        "执行率得分",
        how,
    )


# -- indicators ------------------------------------------------------------------


def _now(raw: Any) -> str:
    """What a required cell holds instead of a number: 目前为空, or the dash typed."""
    shown = text_of(raw)
    return f"目前填的是“{shown}”" if shown else "目前为空"


def _has(ctx: Context, column: str) -> bool:
    """Whether the form's indicator grid has *column* (a missing column is
    reported once, as PART_MISSING, not on every row)."""
    layout = ctx.layout
    return layout is None or layout.has(column)


def _is_na(row: Row) -> bool:
    if "NOT_APPLICABLE" in row.kinds("target") or "NOT_APPLICABLE" in row.kinds("actual"):
        return True
    texts = row.texts
    return texts["actual"] in NA_WORDS or texts["level3"] in NA_WORDS


def _row_state(ctx: Context, row: Row) -> dict[str, Any]:
    """Numbers and the rules' score of one indicator row, from the form's
    assessment (cells that are not numbers reported once)."""
    st = row.state
    if st is not None:
        return st
    result = ctx.assessment.row_of(row.ind)
    w, s = row.weight_and_score(ctx, "分值", result)
    st = {
        "weight": w,
        "score": s,
        "na": result.na if result is not None else _is_na(row),
        "engine": result.score if result is not None else None,
        "error": result.error if result is not None else "",
        "exec_row": bool(result and result.exec_row),
    }
    row.state = st
    return st


@check(
    SELF_EVAL,
    codes=[
        C.REQUIRED_EMPTY,
        C.NA_WITH_WEIGHT,
        C.WEIGHT_NEGATIVE,
        C.SCORE_NEGATIVE,
        C.SCORE_OVER_WEIGHT,
    ],
)
def selfeval_row_cells(ctx: Context) -> Iterator[Finding]:
    """Required cells of each used row, 不适用 rows, score within [0, weight]."""
    for row in rows(ctx):
        st = _row_state(ctx, row)
        w, s = st["weight"], st["score"]
        ind, label = row.ind, row.label
        if w is None and not st["na"] and _has(ctx, "weight"):
            yield ctx.finding(
                C.REQUIRED_EMPTY.code,
                ctx.loc(ind, "weight"),
                f"{label}的分值为必填项（*），{_now(ind.weight)}",
            )
        # a 不适用 row (“/”, “—”, 不适用) without points has no score to give
        if s is None and not (st["na"] and not w) and _has(ctx, "score"):
            yield ctx.finding(
                C.REQUIRED_EMPTY.code,
                ctx.loc(ind, "score"),
                f"{label}的得分为必填项（*），{_now(ind.score)}",
            )
        if (
            is_blank(ind.actual)
            and not st["na"]
            and not (isinstance(w, Decimal) and w == 0)
            and _has(ctx, "actual")  # a missing column is PART_MISSING, once
        ):
            yield ctx.finding(
                C.REQUIRED_EMPTY.code,
                ctx.loc(ind, "actual"),
                f"{label}的实际完成值为必填项（*），目前为空；不适用请填“不适用”",
            )
        if isinstance(w, Decimal) and w < 0:
            yield ctx.finding(
                C.WEIGHT_NEGATIVE.code, ctx.loc(ind, "weight"), f"{label}的分值为负数 {fmt(w)}"
            )
        if st["na"] and isinstance(w, Decimal) and w > 0:
            yield ctx.finding(
                C.NA_WITH_WEIGHT.code,
                ctx.loc(ind, "weight"),
                f"{label}填写为不适用，分值应为 0，表中为 {fmt(w)}",
            )
        found = score_range_finding(ctx, ind, s, w, label, "分值", "，得分最高为分值")
        if found is not None:
            yield found


@check(
    SELF_EVAL,
    codes=[
        C.SCORE_MISMATCH,
        C.ROUNDING_DIFF,
        C.QUAL_SCORE_OUT_OF_BAND,
        C.TARGET_UNREADABLE,
        C.NOT_COMPARABLE,
        C.SCORE_NOT_MEASURED,
    ],
)
def selfeval_row_scores(ctx: Context) -> Iterator[Finding]:
    """Each score against the engine: quantitative value, qualitative band."""
    for row in rows(ctx):
        st = _row_state(ctx, row)
        if st["engine"] is not None:
            yield from score_against_engine(ctx, row, st, "target", "年度指标值")


@check(SELF_EVAL, codes=[C.COEFFICIENT_MISMATCH, C.COEFFICIENT_OUT_OF_RANGE])
def selfeval_coefficient(ctx: Context) -> Iterator[Finding]:
    """A 部门整体 form's 得分系数 column: 0–100 %, and 得分 = 系数 × 指标权重."""
    for row in rows(ctx):
        ind = row.ind
        if is_blank(ind.coefficient):
            continue
        share = coefficient_share(ctx.number(ind, "coefficient", f"{row.label}的得分系数"), ind)
        if share is None:
            continue
        st = _row_state(ctx, row)
        if st["na"]:
            continue
        shown = f"{fmt(share * HUNDRED)}%"
        if not ZERO <= share <= 1:
            yield ctx.finding(
                C.COEFFICIENT_OUT_OF_RANGE.code,
                ctx.loc(ind, "coefficient"),
                f"{row.label}的得分系数为 {shown}，应在 0% 至 100% 之间",
            )
            continue
        w = st["weight"]
        if not isinstance(w, Decimal):
            continue
        yield from compare(
            ctx,
            C.COEFFICIENT_MISMATCH.code,
            ctx.loc(ind, "score"),
            st["score"],
            round2(share * w),
            f"{row.label}的得分",
            lambda shown=shown, w=w, ind=ind: (
                f"{ctx.loc(ind, 'coefficient').cell} 得分系数 {shown} × 指标权重 {fmt(w)}"
            ),
        )


def coefficient_share(number: Any, ind: Any) -> Decimal | None:
    """The share of the weight a 得分系数 cell gives (*number*: the cell read by
    ``read_number``, so "80%" is 80): "80%" and 0.8 are 0.8, and a bare number
    outside 0–1 is a percentage (the column is headed 得分系数（%）), so 80 is 0.8
    too; None for a blank or unreadable cell."""
    if not isinstance(number, Decimal):
        return None
    text = text_of(ind.coefficient)
    if "%" not in text and "％" not in text and ZERO <= number <= 1:
        return number
    return number / HUNDRED


def score_against_engine(
    ctx: Context, row: Row, st: dict, target_field: str, target_label: str
) -> Iterator[Finding]:
    sc, s, w = st["engine"], st["score"], st["weight"]
    if sc is None or not isinstance(w, Decimal):
        return
    ind, label = row.ind, row.label
    state = sc.state
    if state is ScoreState.UNREADABLE and "UNREADABLE" in row.kinds(target_field):
        yield ctx.finding(
            C.TARGET_UNREADABLE.code,
            ctx.loc(ind, target_field),
            f"{label}的{target_label}“{row.texts[target_field]}”无法识别为可度量的指标，无法按规则计分",
        )
        return
    if state is ScoreState.MISMATCH:
        yield ctx.finding(C.NOT_COMPARABLE.code, ctx.loc(ind, "actual"), f"{label}：{sc.note}")
        return
    if state is ScoreState.NOT_MEASURED:
        yield ctx.finding(
            C.SCORE_NOT_MEASURED.code,
            ctx.loc(ind, "score"),
            f"{label}：{sc.note or '实际完成值没有实测结果'}；该行不能计分，总分不完整",
        )
        return
    if not isinstance(s, Decimal) or sc.value is None:
        return
    if state is ScoreState.SCORED:

        def how() -> str:
            if st.get("exec_row") and sc.how:
                return sc.how
            actual = row.texts["actual"] + (f"（即 {sc.actual_as}）" if sc.actual_as else "")
            text = f"{target_label} {row.reading(target_field).describe()}，实际 {actual}，分值 {fmt(w)}"
            if sc.ratio is not None and sc.ratio < 1:
                text += f"，完成比例 {fmt(sc.ratio * HUNDRED)}%"
            return text

        yield from compare(
            ctx, C.SCORE_MISMATCH.code, ctx.loc(ind, "score"), s, sc.value, f"{label}的得分", how
        )
        return
    if state is ScoreState.BAND and sc.band is not None:
        found = band_finding(ctx, row, sc, s, w, "实际完成值")
        if found is not None:
            yield found


@check(
    SELF_EVAL,
    codes=[
        C.ACTUAL_UNREADABLE,
        C.ACTUAL_NOT_MEASURED,
        C.ACTUAL_IS_CONSTRAINT,
        C.SATISFACTION_NO_PERCENT,
        C.TARGET_IN_LEVEL3,
    ],
)
def selfeval_row_text(ctx: Context) -> Iterator[Finding]:
    """Target/actual text: unreadable, not measured, a constraint, satisfaction without %."""
    for row in rows(ctx):
        st = _row_state(ctx, row)
        w = st["weight"]
        if st["na"] or (isinstance(w, Decimal) and w == 0):
            continue
        yield from text_findings(ctx, row, "target", "年度指标值", satisfaction=True)


def _has_percent(r: Any) -> bool:
    for m in getattr(r, "measures", ()) or ():
        try:
            unit = m.base()[1]
        except Exception:
            unit = m.unit
        if unit == "%" or m.unit in ("%", "百分比"):
            return True
    return False


@lru_cache(maxsize=8192)
def _is_constraint(text: str) -> bool:
    """Whether the reading of *text* bounds an amount (≤ ≥ < >) other than a
    time: an actual value written as a constraint (cached across forms like
    the reading)."""
    return any(
        getattr(m.op, "name", "") in ("LE", "LT", "GE", "GT")
        and not any(u in (m.unit or "") for u in TIME_UNITS)
        for m in read_text(text).measures
    )


def text_findings(
    ctx: Context, row: Row, target_field: str, target_label: str, satisfaction: bool
) -> Iterator[Finding]:
    ind, label, texts = row.ind, row.label, row.texts
    t = row.reading(target_field)
    a = row.reading("actual")
    t_kinds, a_kinds = row.kinds(target_field), row.kinds("actual")
    actual_text = texts["actual"]
    target_text = texts[target_field]
    if "UNREADABLE" in a_kinds:
        yield ctx.finding(
            C.ACTUAL_UNREADABLE.code,
            ctx.loc(ind, "actual"),
            f"{label}的实际完成值“{actual_text}”无法识别"
            + (f"（{a.note}）" if getattr(a, "note", "") else ""),
        )
    elif "QUANTITATIVE" in a_kinds:
        if _is_constraint(actual_text):
            yield ctx.finding(
                C.ACTUAL_IS_CONSTRAINT.code,
                ctx.loc(ind, "actual"),
                f"{label}的实际完成值“{actual_text}”是约束条件（{a.describe()}），应填写实际发生的数值"
                + ("；年度指标值与实际完成值可能填反了" if "QUANTITATIVE" not in t_kinds else ""),
            )
    elif (
        "QUALITATIVE" in a_kinds
        and "QUANTITATIVE" in t_kinds
        and _SPACE.sub("", actual_text) != _SPACE.sub("", target_text)
    ):
        yield ctx.finding(
            C.ACTUAL_NOT_MEASURED.code,
            ctx.loc(ind, "actual"),
            f"{label}的{target_label}是数值（{t.describe()}），实际完成值“{actual_text}”没有数值，无法按比例计分",
        )
    if satisfaction:
        levels = texts["level1"] + texts["level2"]
        if "满意度" in levels:
            said = texts["level3"] + target_text + actual_text
            if not (_has_percent(t) or _has_percent(a) or "满意" in said):
                yield ctx.finding(
                    C.SATISFACTION_NO_PERCENT.code,
                    ctx.loc(ind, "actual"),
                    f"{label}位于满意度指标下，但指标值和实际完成值都没有百分比或“满意”字样，应填写满意度（如 ≥ 90%）",
                )
    name = row.reading("level3")
    if "QUANTITATIVE" in row.kinds("level3") and any(
        getattr(m.op, "name", None) for m in name.measures
    ):
        yield ctx.finding(
            C.TARGET_IN_LEVEL3.code,
            ctx.loc(ind, "level3"),
            f"三级指标名称“{texts['level3']}”含有指标值（{name.describe()}），数值应写在{target_label}列",
        )


@check(SELF_EVAL, codes=[C.INDICATOR_DUPLICATE])
def selfeval_duplicates(ctx: Context) -> Iterator[Finding]:
    """A row that repeats another's 二级指标, 三级指标 and 年度指标值: copied and
    left unchanged (its points count twice)."""
    seen: dict[tuple[str, str, str], Any] = {}
    for row in rows(ctx):
        t = row.texts
        if not t["level3"] or not t["target"]:
            continue
        key = (
            _SPACE.sub("", t["level2"]),
            _SPACE.sub("", t["level3"]),
            _SPACE.sub("", t["target"]),
        )
        first = seen.setdefault(key, row)
        if first is row:
            continue
        where = ctx.loc(first.ind, "level3").cell
        yield ctx.finding(
            C.INDICATOR_DUPLICATE.code,
            ctx.loc(row.ind, "level3"),
            f"{row.label}（年度指标值“{t['target']}”）与 {where} 一行完全相同，"
            "可能是复制后没有修改；分值和得分都计了两次",
        )


@check(SELF_EVAL, codes=[C.TEXT_OTHER_YEAR])
def selfeval_years(ctx: Context) -> Iterator[Finding]:
    """A time limit in another year than the form's (2022年12月底前 in a 2023
    form): the row was most likely copied from last year's form."""
    year = form_year(ctx.form)
    if year is None:
        return
    for row in rows(ctx):
        for field, name in (("target", "年度指标值"), ("actual", "实际完成值")):
            if "年" not in row.texts[field]:
                continue
            deadline = getattr(row.reading(field), "deadline", None)
            other = getattr(deadline, "year", None)
            if other is None or other in (year, year + 1):
                continue
            yield ctx.finding(
                C.TEXT_OTHER_YEAR.code,
                ctx.loc(row.ind, field),
                f"{row.label}的{name}写的是 {other} 年的时限（{row.texts[field]}），"
                f"自评年度为 {year} 年，可能沿用了其他年度的文字",
            )


@check(SELF_EVAL, codes=[C.DEVIATION_REASON_MISSING, C.OVER_ACHIEVEMENT])
def selfeval_deviation(ctx: Context) -> Iterator[Finding]:
    """Score below weight, or over-achievement ≥ 130 %, needs 偏差原因分析."""
    for row in rows(ctx):
        st = _row_state(ctx, row)
        w, s, sc = st["weight"], st["score"], st["engine"]
        ind, label = row.ind, row.label
        if not is_blank(ind.deviation_reason):
            continue
        shown = effective(s, sc.value if sc is not None else None)
        if isinstance(w, Decimal) and isinstance(shown, Decimal) and shown < w and not st["na"]:
            at, what = reason_at(ctx, ind, "deviation_reason", "偏差原因分析及改进措施", "score")
            yield ctx.finding(
                C.DEVIATION_REASON_MISSING.code,
                at,
                f"{label}得分 {fmt(shown)} 低于分值 {fmt(w)}，应填写{what}",
            )
        elif sc is not None and getattr(sc, "over", False):
            ratio = f"（完成比例 {fmt(sc.ratio * HUNDRED)}%）" if sc.ratio is not None else ""
            extra = (
                f"；评分规则“{ctx.profile.name}”对此扣 {fmt(ctx.profile.over_deduct)} 分"
                if ctx.profile.over_action == "deduct"
                else ""
            )
            at, _ = reason_at(ctx, ind, "deviation_reason", "偏差原因分析", "actual")
            yield ctx.finding(
                C.OVER_ACHIEVEMENT.code,
                at,
                f"{label}完成值达到指标值的 {fmt(ctx.profile.over_ratio * HUNDRED)}% 以上{ratio}，应分析原因（指标值是否偏低）{extra}",
            )


# -- weights and totals -------------------------------------------------------------


_WEIGHT_SUFFIX = re.compile(r"[（(].*$")  # 产出指标（50分） -> 产出指标


def _level1_blocks(ctx: Context) -> dict[str, tuple[Any, list[Row]]]:
    """First-level label -> (the first row of its block, blank or not; the
    filled rows of the block), in the order of the form."""
    blocks: dict[str, tuple[Any, list[Row]]] = {}
    text = block = None
    for ind, row in zip(ctx.form.indicators, row_grid(ctx), strict=True):
        if row is not None:
            row_text = row.texts["level1"]
        else:  # text_of, its common case spelt out: the blank rows are most
            raw = ind.level1
            row_text = raw.strip() if type(raw) is str else text_of(raw)
        if row_text != text:  # the rows of a block repeat its text
            text = row_text
            label = _block_label(text)
            block = blocks.get(label)
            if block is None:
                block = blocks[label] = (ind, [])
        if row is not None:
            block[1].append(row)
    return blocks


@lru_cache(maxsize=256)
def _block_label(text: str) -> str:
    """产出指标（50分） -> 产出指标 (forms repeat a few labels)."""
    return _WEIGHT_SUFFIX.sub("", text).strip() or text


def _block_loc(ctx: Context, label: str, first: Any) -> Loc:
    """The cell of a first-level block's label (where its weight is written)."""
    return ctx.form.locs.get(f"level1:{label}") or (
        ctx.loc(first, "level1") if "level1" in first.locs else ctx.loc(first, "weight")
    )


@check(SELF_EVAL, codes=[C.LEVEL1_WEIGHT_PROFILE, C.WEIGHT_SUM_NOT_100, C.TOTAL_WEIGHT_MISMATCH])
def selfeval_weights(ctx: Context) -> Iterator[Finding]:
    """Block weights against the profile; all weights sum to 100; 总分行分值."""
    form = ctx.form
    total = ZERO
    known = True
    for label, (first, filled) in _level1_blocks(ctx).items():
        block = ZERO
        weighed = False  # a row of the block has a weight
        block_known = True
        for row in filled:
            st = _row_state(ctx, row)
            w = st["weight"]
            if isinstance(w, Decimal):
                block += w
                weighed = True
            elif w is UNKNOWN or (w is None and not st["na"]):
                block_known = False
        if not block_known:
            known = False
            continue
        total += block
        # a department's own form is not weighed by the project weights
        expected = None if form.department else ctx.profile.level1_weights.get(label)
        if expected is not None and block != expected and weighed:
            yield ctx.finding(
                C.LEVEL1_WEIGHT_PROFILE.code,
                _block_loc(ctx, label, first),
                f"{label}各行分值合计 {fmt(block)}，评分规则“{ctx.profile.name}”为 {fmt(expected)}",
            )
    ex = _exec_expected(ctx)
    ew = ex["weight"]
    if ew is UNKNOWN:
        known = False
    exec_w = ew if isinstance(ew, Decimal) else ZERO
    if not known:
        return
    grand = total + exec_w
    cell = ctx.number(form, "total_weight", "总分行分值")
    loc = ctx.loc(form, "total_weight")
    if isinstance(cell, Decimal) and cell != grand:
        yield ctx.finding(
            C.TOTAL_WEIGHT_MISMATCH.code,
            loc,
            f"总分行分值应为各指标分值 {fmt(total)} + 执行率分值 {fmt(exec_w)} = {fmt(grand)}，表中为 {fmt(cell)}",
        )
    elif grand != HUNDRED and (total > 0 or exec_w > 0):
        yield ctx.finding(
            C.WEIGHT_SUM_NOT_100.code,
            loc,
            f"全部分值合计应为 100：各指标分值 {fmt(total)} + 执行率分值 {fmt(exec_w)} = {fmt(grand)}",
        )


@check(
    SELF_EVAL,
    codes=[
        C.TOTAL_MISMATCH,
        C.ROUNDING_DIFF,
        C.TOTAL_OVER_CAP,
        C.GRADE_MISMATCH,
        C.NOT_A_NUMBER,
        C.REQUIRED_EMPTY,
    ],
)
def selfeval_total(ctx: Context) -> Iterator[Finding]:
    """总分 = Σ indicator scores + execution score; cap; 绩效等级."""
    form = ctx.form
    parts = []
    for row in rows(ctx):
        st = _row_state(ctx, row)
        sc = st["engine"]
        parts.append(effective(st["score"], sc.value if sc is not None else None))
    ex = _exec_expected(ctx)
    exec_cell = ctx.number(form, "exec_score", "执行率得分")
    exec_part = effective(exec_cell, ex["score"])
    exec_note = ""
    if exec_cell is None and ex["score"] is not None:
        exec_part = ex["score"]  # the row was left out: count what the rule gives
        exec_note = "（按规则计算，表中未填）"
    shown = ctx.number(form, "total", "总分")
    expected = None
    if all(isinstance(p, Decimal) for p in parts) and isinstance(exec_part, Decimal):
        ind_sum = sum(parts, ZERO)
        expected = round2(ind_sum + exec_part)
        yield from blank_total(ctx, shown, expected)
        yield from compare(
            ctx,
            C.TOTAL_MISMATCH.code,
            ctx.loc(form, "total"),
            shown,
            expected,
            "总分",
            lambda: f"各指标得分合计 {fmt(ind_sum)} + 执行率得分 {fmt(exec_part)}{exec_note}",
        )
    total = shown if isinstance(shown, Decimal) else expected
    if total is None:
        return
    if ex["rate"] is not None:
        cap = ctx.profile.cap_for(ex["rate"])
        if cap is not None and total > cap:
            yield ctx.finding(
                C.TOTAL_OVER_CAP.code,
                ctx.loc(form, "total"),
                f"执行率 {fmt(ex['rate'])}% 时总分最高为 {fmt(cap)}（评分规则“{ctx.profile.name}”），表中为 {fmt(total)}",
            )
    yield from grade_findings(ctx, total)
