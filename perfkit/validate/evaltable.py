"""Checks of the 绩效评价指标体系评分表 (EvalTable)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from functools import lru_cache
from typing import Any

from .. import rules
from ..errors import PerfkitError
from ..model import EVAL_TABLE, Loc
from ..numbers import HUNDRED, ZERO, fmt, round2
from ..scoring import ScoreKind, ScoreState
from ..values import UNKNOWN, form_year, is_blank, read_number, text_of, years_in
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
    label_weight,
    reason_at,
    rows,
    score_range_finding,
    strip_label,
)
from .core import Context, Finding, check, diff_severity
from .selfeval import text_findings

RULE_KINDS = (
    ScoreKind.RULE_DEDUCT,
    ScoreKind.RULE_CHECKLIST,
    ScoreKind.RULE_THRESHOLD,
    ScoreKind.RULE_BAND,
)


def _parse_rule(text: str) -> Any:
    """rules.parse_rule of a 评分标准 text (read once per text: parse_rule keeps
    what it read)."""
    return rules.parse_rule(text or None)


def _state(ctx: Context, row: Row) -> dict[str, Any]:
    """Numbers of one row as the checks report them, and the rules' answer for
    it from the form's assessment (computed once, shared with the summary)."""
    st = row.state
    if st is not None:
        return st
    result = ctx.assessment.row_of(row.ind)
    w, s = row.weight_and_score(ctx, "权重", result)
    sc = result.score if result is not None else None
    st = {
        "weight": w,
        "score": s,
        "result": result,
        "engine": sc,
        "expected": sc.value if sc is not None and sc.state is ScoreState.SCORED else None,
        "actual": (result.derived_actual if result is not None else "") or row.texts["actual"],
        "derived_actual": bool(result and result.derived_actual),
    }
    try:
        st["rule"] = _parse_rule(row.texts["rule"])
    except PerfkitError:
        st["rule"] = None
    row.state = st
    return st


@check(EVAL_TABLE, codes=[C.NOT_A_NUMBER, C.AMOUNT_NEGATIVE, C.EXEC_OVER_BUDGET])
def evaltable_amounts(ctx: Context) -> Iterator[Finding]:
    """Budget amounts of the table header."""
    form = ctx.form
    values = {name: ctx.number(form, name, AMOUNT_LABELS[name]) for name in AMOUNT_FIELDS}
    yield from amount_findings(ctx, form, values)


@check(
    EVAL_TABLE, codes=[C.REQUIRED_EMPTY, C.WEIGHT_NEGATIVE, C.SCORE_NEGATIVE, C.SCORE_OVER_WEIGHT]
)
def evaltable_row_cells(ctx: Context) -> Iterator[Finding]:
    """权重 and 得分 filled, within [0, 权重]."""
    for row in rows(ctx):
        st = _state(ctx, row)
        w, s = st["weight"], st["score"]
        ind, label = row.ind, row.label
        if w is None:
            yield ctx.finding(C.REQUIRED_EMPTY.code, ctx.loc(ind, "weight"), f"{label}的权重为空")
        if s is None and (ctx.layout is None or ctx.layout.has("score")):
            yield ctx.finding(C.REQUIRED_EMPTY.code, ctx.loc(ind, "score"), f"{label}的得分为空")
        if isinstance(w, Decimal) and w < 0:
            yield ctx.finding(
                C.WEIGHT_NEGATIVE.code, ctx.loc(ind, "weight"), f"{label}的权重为负数 {fmt(w)}"
            )
        found = score_range_finding(ctx, ind, s, w, label, "权重")
        if found is not None:
            yield found


def _whole_step_candidates(
    rule: Any, w: Decimal, bench: Any, score: Decimal, tol: Decimal
) -> tuple[list, Any]:
    """For a deduction rule: the whole-step actual values that give *score* (the
    first three), and the (possibly fractional) actual that would."""
    step = getattr(rule, "step", None)
    top = getattr(rule, "benchmark", None)
    unit = getattr(rule, "unit", "") or ""
    if step is None or top is None or step <= 0:
        return [], None
    hits = []
    for k in range(0, 201):
        a = (
            top - step * k
            if getattr(rule, "direction", "positive") != "reverse"
            else top + step * k
        )
        if a < 0:
            break
        got = rule.score(f"{a}{unit}", w, bench)
        if got is not None and abs(got - score) <= tol:
            hits.append(a)
            if len(hits) == 3:  # the message names three at most
                break
    per = rule.points_per_step(w) if hasattr(rule, "points_per_step") else None
    implied = None
    if per:
        k = (w - score) / per
        implied = (
            top - step * k
            if getattr(rule, "direction", "positive") != "reverse"
            else top + step * k
        )
    return hits, implied


SMALL_DEDUCTION = Decimal("0.02")  # of the weight, per item: 50 items to lose it all


def _small_deduction(rule: Any, weight: Decimal) -> str:
    """What is odd about a rule that deducts per item (「每存在一项…扣1%权重分」)
    so little that no form could lose its weight (DOMAIN F-12); "" if nothing."""
    if not isinstance(rule, rules.CountRule) or rule.per_step <= 0:
        return ""
    per = rule.points_per_step(weight)
    if per <= 0 or per / weight >= SMALL_DEDUCTION:
        return ""
    items = -(-weight // per)  # ceiling: the items it takes to lose the weight
    return (
        f"的评分标准每{fmt(rule.step)}{rule.unit or '项'}只扣 {fmt(per)} 分"
        f"（权重 {fmt(weight)} 的 {fmt(round2(per / weight * HUNDRED))}%），"
        f"要 {fmt(items)} {rule.unit or '项'}才扣完：扣分幅度异常小，请核实"
        "（是否应为“扣权重的10%”或“扣1分”）"
    )


@check(
    EVAL_TABLE,
    codes=[
        C.RULE_SCORE_MISMATCH,
        C.SCORE_MISMATCH,
        C.ROUNDING_DIFF,
        C.QUAL_SCORE_OUT_OF_BAND,
        C.SCORE_NOT_MEASURED,
        C.RULE_NOT_DERIVABLE,
        C.RULE_MAX_WEIGHT,
        C.RULE_DEDUCTION_SMALL,
    ],
)
def evaltable_rule_scores(ctx: Context) -> Iterator[Finding]:
    """Each score against what its written 评分标准 (or the 标杆值, or the
    profile's execution rule) gives, as the form's assessment computed it."""
    for row in rows(ctx):
        st = _state(ctx, row)
        w, s, rule, sc = st["weight"], st["score"], st["rule"], st["engine"]
        if not isinstance(w, Decimal) or w <= 0:
            continue
        ind, label = row.ind, row.label
        if rule is not None:
            top = rule.max_points(w)
            if top is not None and top != w:
                yield ctx.finding(
                    C.RULE_MAX_WEIGHT.code,
                    ctx.loc(ind, "rule"),
                    f"{label}的评分标准（{rule.describe()}）满分为 {fmt(top)}，权重为 {fmt(w)}",
                )
            small = _small_deduction(rule, w)
            if small:
                yield ctx.finding(
                    C.RULE_DEDUCTION_SMALL.code, ctx.loc(ind, "rule"), f"{label}{small}"
                )
        if sc is None:
            continue
        if sc.state is ScoreState.NOT_MEASURED:
            yield ctx.finding(
                C.SCORE_NOT_MEASURED.code,
                ctx.loc(ind, "score"),
                f"{label}：{sc.note or '实际值没有实测结果'}；该行不能计分，总分不完整",
            )
            continue
        if not isinstance(s, Decimal):
            continue
        actual_note = (
            f"实际值取表头 全年执行数 ÷ 全年预算数 = {st['actual']}"
            if st["derived_actual"]
            else f"实际值 {st['actual']}"
        )
        if sc.state is ScoreState.SCORED:
            if sc.kind in RULE_KINDS:
                mismatch = C.RULE_SCORE_MISMATCH.code
                how = (
                    f"评分标准：{rule.describe() if rule else sc.how}；{actual_note}，权重 {fmt(w)}"
                )
            elif sc.kind == ScoreKind.EXEC:
                mismatch = C.SCORE_MISMATCH.code
                how = f"评分规则“{ctx.profile.name}”的执行率计分，{actual_note}"
            else:
                mismatch = C.SCORE_MISMATCH.code
                how = f"标杆值 {row.texts['benchmark']}，{actual_note}，权重 {fmt(w)}"
            yield from compare(
                ctx, mismatch, ctx.loc(ind, "score"), s, sc.value, f"{label}的得分", how
            )
            continue
        if sc.state is ScoreState.BAND and sc.band is not None:
            found = band_finding(ctx, row, sc, s, w, "实际值")
            if found is not None:
                yield found
            continue
        if rule is None or sc.state not in (ScoreState.UNDERIVABLE, ScoreState.EMPTY):
            continue
        full = rule.max_points(w) or w
        if diff_severity(s - full, ctx.profile) in (None, "info"):
            continue  # full marks: nothing to derive
        msg = (
            f"{label}得分 {fmt(s)} 低于满分 {fmt(full)}，表中没有可按评分标准"
            f"（{rule.describe()}）计算的实际值，按评价人所填得分 {fmt(s)} 计入总分"
        )
        if isinstance(rule, rules.DeductRule):
            hits, implied = _whole_step_candidates(
                rule, w, row.texts["benchmark"] or None, s, ctx.profile.tol_rounding
            )
            unit = rule.unit or ""
            if hits:
                msg += f"；按规则需实际值为 {'、'.join(fmt(h) + unit for h in hits[:3])}"
            elif implied is not None:
                msg += f"；按整步扣分得不出 {fmt(s)}（需实际值 {fmt(implied)}{unit}，不是整步）"
        yield ctx.finding(C.RULE_NOT_DERIVABLE.code, ctx.loc(ind, "score"), msg)


@check(EVAL_TABLE, codes=[C.DEDUCTION_REASON_MISSING])
def evaltable_deduction_reason(ctx: Context) -> Iterator[Finding]:
    """A score below the weight needs its 扣分原因."""
    for row in rows(ctx):
        st = _state(ctx, row)
        w, s = st["weight"], st["score"]
        shown = effective(s, st["expected"])
        if (
            isinstance(w, Decimal)
            and isinstance(shown, Decimal)
            and shown < w
            and is_blank(row.ind.deduction_reason)
        ):
            at, where = reason_at(ctx, row.ind, "deduction_reason", "扣分原因", "score")
            yield ctx.finding(
                C.DEDUCTION_REASON_MISSING.code,
                at,
                f"{row.label}得分 {fmt(shown)} 低于权重 {fmt(w)}，应填写{where}",
            )


@check(
    EVAL_TABLE,
    codes=[C.ACTUAL_UNREADABLE, C.ACTUAL_NOT_MEASURED, C.ACTUAL_IS_CONSTRAINT, C.TARGET_IN_LEVEL3],
)
def evaltable_row_text(ctx: Context) -> Iterator[Finding]:
    """实际值 text against its 标杆值."""
    for row in rows(ctx):
        if is_blank(row.ind.actual):
            continue
        yield from text_findings(ctx, row, "benchmark", "标杆值", satisfaction=False)


_PROJECT_PREFIX = re.compile(r"^项目")


def _level1_key(label: Any) -> str:
    return _level1_key_of(text_of(label)) if label else ""


@lru_cache(maxsize=256)
def _level1_key_of(text: str) -> str:
    """:func:`_level1_key` of a label's text (tables repeat a few labels)."""
    return _PROJECT_PREFIX.sub("", strip_label(text)).replace("管理", "过程")


@check(EVAL_TABLE, codes=[C.LEVEL1_WEIGHT_SUM, C.WEIGHT_SUM_NOT_100])
def evaltable_weights(ctx: Context) -> Iterator[Finding]:
    """Declared first/second-level weights = Σ rows; all weights = 100."""
    form = ctx.form
    views = rows(ctx)
    sums: dict[str, Decimal] = {}
    firsts: dict[str, Any] = {}
    unknown: set[str] = set()
    level2: dict[tuple[str, str], list[Any]] = {}
    grand = ZERO
    all_known = True
    for row in views:
        ind = row.ind
        w = _state(ctx, row)["weight"]
        key = _level1_key(ind.level1)
        firsts.setdefault(key, ind)
        if w is UNKNOWN:
            unknown.add(key)
            all_known = False
            continue
        if isinstance(w, Decimal):
            sums[key] = sums.get(key, ZERO) + w
            grand += w
        if label_weight(ind.level2) is not None:
            level2.setdefault((key, row.texts["level2"]), []).append(w)
    declared: dict[str, tuple[Decimal, Loc, str]] = {}
    for i, (label, raw) in enumerate((form.level1_weights or {}).items()):
        value, _ = read_number(raw)
        if not isinstance(value, Decimal):
            continue
        loc = _level1_loc(ctx, label, i, firsts.get(_level1_key(label)))
        declared[_level1_key(label)] = (value, loc, strip_label(label))
    for key, ind in firsts.items():
        lw = label_weight(ind.level1)
        if key not in declared and lw is not None:
            declared[key] = (lw, ctx.loc(ind, "level1"), strip_label(ind.level1))
    for key, (value, loc, label) in declared.items():
        if key in unknown:
            continue
        got = sums.get(key, ZERO)
        if got != value:
            yield ctx.finding(
                C.LEVEL1_WEIGHT_SUM.code,
                loc,
                f"一级指标“{label}”标注 {fmt(value)} 分，其下各行权重合计 {fmt(got)}",
            )
    for (_key, label), ws in level2.items():
        if any(not isinstance(w, Decimal) for w in ws):
            continue
        want = label_weight(label)
        got = sum(ws, ZERO)
        if want is not None and got != want:
            first = next(row.ind for row in views if row.texts["level2"] == label)
            yield ctx.finding(
                C.LEVEL1_WEIGHT_SUM.code,
                ctx.loc(first, "level2"),
                f"二级指标“{strip_label(label)}”标注 {fmt(want)} 分，其下各行权重合计 {fmt(got)}",
            )
    if all_known and views and grand != HUNDRED:
        yield ctx.finding(
            C.WEIGHT_SUM_NOT_100.code,
            ctx.loc(form, "total_weight"),
            f"各指标权重合计应为 100，实际为 {fmt(grand)}",
        )


def _level1_loc(ctx: Context, label: str, index: int, first: Any) -> Loc:
    locs = getattr(ctx.form, "locs", {}) or {}
    for key in (f"level1_weights.{label}", f"level1_weights:{label}", f"level1:{label}", label):
        if key in locs:
            return locs[key]
    if first is not None:
        return ctx.loc(first, "level1")
    return Loc(ctx.sheet, "")


@check(EVAL_TABLE, codes=[C.TOTAL_MISMATCH, C.ROUNDING_DIFF, C.GRADE_MISMATCH, C.REQUIRED_EMPTY])
def evaltable_total(ctx: Context) -> Iterator[Finding]:
    """合计 = Σ 得分; 绩效等级 by the profile's bands."""
    form = ctx.form
    parts = []
    for row in rows(ctx):
        st = _state(ctx, row)
        parts.append(effective(st["score"], st["expected"]))
    shown = ctx.number(form, "total", "合计得分")
    expected = None
    if parts and all(isinstance(p, Decimal) for p in parts):
        expected = round2(sum(parts, ZERO))
        yield from blank_total(ctx, shown, expected)
        yield from compare(
            ctx,
            C.TOTAL_MISMATCH.code,
            ctx.loc(form, "total"),
            shown,
            expected,
            "合计得分",
            f"{len(parts)} 项得分之和",
        )
    total = shown if isinstance(shown, Decimal) else expected
    yield from grade_findings(ctx, total)


_SPACE = re.compile(r"\s")
_WEIGHT_IN_TEXT = re.compile(r"(?:分值|权重|满分)\s*(?:为|是|:|：)?\s*(\d+(?:\.\d+)?)\s*分")


@check(EVAL_TABLE, codes=[C.WEIGHT_TEXT_MISMATCH, C.RULE_DUPLICATE, C.TEXT_OTHER_YEAR])
def evaltable_text(ctx: Context) -> Iterator[Finding]:
    """Weights written in the text, copied rules, other years in the text."""
    form = ctx.form
    year = form_year(form)
    seen_rules: dict[str, Row] = {}
    for row in rows(ctx):
        st = _state(ctx, row)
        w = st["weight"]
        ind, label = row.ind, row.label
        for field in ("description", "rule", "deduction_reason"):
            text = row.texts[field]
            if not text:
                continue
            # Each pattern is tried only on texts holding the words every
            # match has (分值/权重/满分; 年).
            if isinstance(w, Decimal) and ("分值" in text or "权重" in text or "满分" in text):
                for m in _WEIGHT_IN_TEXT.finditer(text):
                    said = Decimal(m.group(1))
                    if said != w:
                        yield ctx.finding(
                            C.WEIGHT_TEXT_MISMATCH.code,
                            ctx.loc(ind, "weight"),
                            f"{label}的文字写“{m.group(0)}”，权重栏为 {fmt(w)}",
                        )
                        break
            if year is not None and field != "deduction_reason" and "年" in text:
                others = sorted({y for y in years_in(text) if y not in (year, year + 1)})
                if others:
                    yield ctx.finding(
                        C.TEXT_OTHER_YEAR.code,
                        ctx.loc(ind, field),
                        f"{label}的{'指标说明' if field == 'description' else '评分标准'}提到 "
                        f"{'、'.join(str(y) for y in others)} 年，评价年度为 {year} 年，可能沿用了其他年度或项目的文字",
                    )
        rule_text = _SPACE.sub("", row.texts["rule"])
        if len(rule_text) >= 12:
            other = seen_rules.get(rule_text)
            if other is not None and other.texts["level3"] != row.texts["level3"]:
                yield ctx.finding(
                    C.RULE_DUPLICATE.code,
                    ctx.loc(ind, "rule"),
                    f"{label}的评分标准与{other.label}的完全相同，可能是复制错误",
                )
            else:
                seen_rules.setdefault(rule_text, row)
