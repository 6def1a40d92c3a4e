"""复核: what a finance bureau does with the forms it receives (issue 13).

Every form is read, assessed once (:func:`perfkit.assess.assess`) and validated
with that assessment; its **risk** is weighed from its findings and from the
figures of the assessment (``docs/review.md`` has the formula in full)::

    风险分 = 问题分 + 超额分 + 虚高分 + 说明分                       (0 – 100)
    问题分 = Σ 每个代码 min(条数, 3) × (错误 8 / 警告 2 / 提示 0)    (≤ 40)
    超额分 = 3 × max(0, 自评总分 − 可支持总分)                      (≤ 30)
    虚高分 = 2 × 分数虚高的百分点数，超过阈值（5%）时                (≤ 20)
    说明分 = 3 × 缺少偏差原因 / 扣分原因 / 超额说明的行数            (≤ 10)

可支持总分 is what the amounts and the rules support: each row as the rules
count it (复算), except that a row whose target is a placeholder, or that was
not measured, supports nothing, and neither does an execution score without a
budget; the profile's cap by execution rate applies.  Without such rows it is
the 复算总分 (a test holds the two equal on every example and corpus form).

Forms are ranked by risk (ties: more errors, larger excess, then file and
sheet); a sample of N forms takes the ⌈N/2⌉ riskiest (of those with risk > 0)
and draws the rest at random: each remaining form's number is SHA-256 of the
seed, its path relative to the folder given and its sheet, and the smallest
numbers are drawn — the same seed and forms give the same sample on any
machine and any Python.

Each sampled form gets a 复核工作底稿 (every check with the cell, the form's
value, what the rules give and how, the difference and the findings; rows the
rules cannot judge in a 待人工复核 section; blank 复核意见 / 调整后得分 input
cells), each unit with sampled forms a 整改通知 (.docx), and ``DIR/复核清单.xlsx``
lists every form by risk with its reasons in words and charts.  The workers
build each form's workpaper data while they have its assessment, so the
sampled forms are never read twice.
"""

from __future__ import annotations

import hashlib
import math
import os
import pickle
import re
import secrets
from collections import Counter
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from . import batch
from .errors import OutputError, UsageError
from .fsutil import check_outputs, prepare_folder
from .model import DECLARATION, FORM_NAMES, SELF_EVAL, form_name
from .numbers import HUNDRED, ZERO, fmt, round2
from .scoring import ScoreState
from .values import UNKNOWN, subject_of, unit_of

# -- the risk formula (docs/review.md) ----------------------------------------
SEVERITY_POINTS = {"error": Decimal(8), "warning": Decimal(2), "info": ZERO}
PER_CODE = 3  # findings of one code counted at most this many times
FINDINGS_CAP = Decimal(40)
EXCESS_POINTS = Decimal(3)  # per point the self-score exceeds what is supported
EXCESS_CAP = Decimal(30)
INFLATION_POINTS = Decimal(2)  # per percentage point of 分数虚高 above 0, once above the threshold
INFLATION_CAP = Decimal(20)
EXPLAIN_POINTS = Decimal(3)  # per row without its explanation
EXPLAIN_CAP = Decimal(10)
EXPLAIN_CODES = ("DEVIATION_REASON_MISSING", "DEDUCTION_REASON_MISSING", "OVER_ACHIEVEMENT")
LEVELS = ((Decimal(30), "高"), (Decimal(10), "中"), (ZERO, "低"))
RISK_SHARE = Decimal("0.5")  # of the sample, taken by risk; the rest at random
DEFAULT_SAMPLE = "10%"

LIST_NAME = "复核清单.xlsx"
WORKPAPER_DIR = "复核工作底稿"
LETTER_DIR = "整改通知"
RISKIEST = "风险最高"
RANDOM = "随机抽取"

# The states of a row the rules cannot judge: the 待人工复核 section.
MANUAL_STATES = (
    ScoreState.BAND,
    ScoreState.UNDERIVABLE,
    ScoreState.NOT_MEASURED,
    ScoreState.UNREADABLE,
    ScoreState.MISMATCH,
    ScoreState.EMPTY,
)


# --------------------------------------------------------------------------
# What one form's review holds
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Risk:
    """A form's risk score, its four parts and the reasons in words."""

    total: Decimal
    findings: Decimal
    excess: Decimal
    inflation: Decimal
    explain: Decimal
    reasons: tuple[str, ...]

    @property
    def level(self) -> str:
        for threshold, label in LEVELS:
            if self.total >= threshold:
                return label
        return LEVELS[-1][1]

    @property
    def text(self) -> str:
        return "；".join(self.reasons) if self.reasons else "未发现问题"


NO_RISK = Risk(ZERO, ZERO, ZERO, ZERO, ZERO, ())


@dataclass
class Support:
    """How far the self-score exceeds what the amounts and the rules support."""

    claimed: Decimal | None  # 自评总分: the 总分 cell, else the form's scores added up
    supported: Decimal | None  # 可支持总分
    excess: Decimal | None  # max(0, claimed − supported)
    details: list[str] = field(default_factory=list)  # what is not supported, in words


@dataclass
class Line:
    """One row of a 复核工作底稿: a check and what the reviewer writes beside it."""

    item: str  # 项目
    cell: str  # 自评表!H14
    shown: Any  # 表中数值: Decimal | str | None
    expected: Any  # 按规则应为: Decimal | str | None
    difference: Decimal | None  # 表中 − 应为
    how: str  # 计算依据 (待人工复核: why the rules cannot judge)
    weight: Decimal | None = None  # an adjusted score lies in [0, weight]
    cells: tuple[str, ...] = ()  # the cells whose findings belong to this row
    prefer: tuple[str, ...] = ()  # codes that belong here rather than to a row sharing a cell
    codes: list[str] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)


@dataclass
class Workpaper:
    """The data of one form's 复核工作底稿 (pickled by the worker that has the assessment)."""

    checks: list[Line]
    manual: list[Line]
    others: list[tuple[str, str, str, str]]  # (severity, where, code, message) of no row
    findings: list[tuple[str, str, str, str]]  # every error and warning, for the letter


@dataclass
class Reviewed:
    """One form (or one unreadable file) as the review ranks it."""

    file: str
    key: str  # path relative to the folder given ("/"-separated): the random draw's
    sheet: str = ""
    index: int = 0  # the form's number in its file
    form: str = ""  # 自评表 / 评分表
    unit: str = ""
    project: str = ""
    project_code: str = ""
    year: str = ""
    profile: str = ""
    exec_rate: Decimal | None = None  # percent
    claimed: Decimal | None = None
    recomputed: Decimal | None = None
    difference: Decimal | None = None
    supported: Decimal | None = None
    excess: Decimal | None = None
    inflation: Decimal | None = None  # 分数虚高, percent
    grade: str = ""
    errors: int = 0
    warnings: int = 0
    infos: int = 0
    manual: int = 0  # rows for 待人工复核
    risk: Risk = NO_RISK
    read_error: str = ""
    entry: Any = None  # validate.between.Entry, for the checks between forms
    between: tuple[str, ...] = ()  # the codes of those checks that concern this form
    payload: bytes = b""  # the pickled Workpaper
    rank: int = 0
    sampled: str = ""  # RISKIEST / RANDOM / ""
    workpaper: str = ""  # path relative to DIR

    @property
    def readable(self) -> bool:
        return not self.read_error

    @property
    def declaration(self) -> bool:
        """A 绩效目标申报表: read for the checks between forms, never ranked."""
        return self.form == FORM_NAMES[DECLARATION]

    def workpaper_data(self) -> Workpaper:
        return pickle.loads(self.payload)


# --------------------------------------------------------------------------
# Risk
# --------------------------------------------------------------------------


def _dec(value: Any) -> Decimal | None:
    return value if isinstance(value, Decimal) else None


def claimed_total(a: Any) -> Decimal | None:
    """自评总分: the form's 总分 cell; when it holds no number, the form's own
    scores added up (a formula never computed counts what the rules give)."""
    if isinstance(a.submitted, Decimal):
        return a.submitted
    total = ZERO
    for r in a.rows:
        s = r.submitted
        if s is UNKNOWN:
            s = r.counted
            if s is None:
                return None
        total += s if isinstance(s, Decimal) else ZERO
    if not a.exec_in_rows:
        s = a.exec.submitted
        if s is UNKNOWN:
            s = a.exec.counted
            if s is None:
                return None
        total += s if isinstance(s, Decimal) else ZERO
    return round2(total)


def support(a: Any, placeholders: list | None = None) -> Support:
    """What the amounts and the rules support of the form's self-score (see
    the module docstring): equal to the 复算总分 when every row counts.
    *placeholders*: ``validate.platform.placeholder_rows(a)`` when the caller has it."""
    from .validate.platform import placeholder_rows, unsupported_exec

    claimed = claimed_total(a)
    details: list[str] = []
    if placeholders is None:
        placeholders = placeholder_rows(a)
    placeholders = {id(r): text for r, text in placeholders}
    no_budget = unsupported_exec(a)
    rows_part = ZERO
    over: list[tuple[Decimal, str]] = []  # rows the form scores above the rules
    for r in a.rows:
        s = _dec(r.submitted)
        if id(r) in placeholders:  # also a row the dash of its target makes 不适用
            if s:
                details.append(
                    f"{r.label}年度指标值为占位符“{placeholders[id(r)]}”，得分 {fmt(s)} 无依据"
                )
            continue
        if r.na:
            continue
        if r.exec_row and no_budget is not None:
            if s:
                details.append(f"全年预算数为 0，{r.label}得分 {fmt(s)} 无依据")
            continue
        if r.counted is None:
            if s and r.missing:
                details.append(f"{r.label}没有实测结果，得分 {fmt(s)} 无依据")
            continue
        rows_part += r.counted
        if s is not None and s > r.counted:
            over.append((s - r.counted, f"{r.label}填 {fmt(s)}，按规则 {fmt(r.counted)}"))
    if a.scale is not None:  # as assess scales it: the rows' sum rounded, then scaled
        rows_part = round2(rows_part) * a.scale
    exec_part = ZERO
    if not a.exec_in_rows:
        if no_budget is not None:
            if no_budget:
                details.append(f"全年预算数为 0（或空），执行率得分 {fmt(no_budget)} 无依据")
        elif a.exec.counted is not None:
            exec_part = a.exec.counted
            s = _dec(a.exec.submitted)
            if s is not None and s > a.exec.counted:
                over.append(
                    (s - a.exec.counted, f"执行率得分填 {fmt(s)}，按规则 {fmt(a.exec.counted)}")
                )
    raw = round2(rows_part + exec_part)
    cap = a.profile.cap_for(a.exec.rate) if a.exec.rate is not None else None
    supported = min(raw, cap) if cap is not None else raw
    if cap is not None and raw > cap:
        details.append(f"执行率 {fmt(a.exec.rate)}% 时总分最高 {fmt(cap)}")
    over.sort(key=lambda item: -item[0])
    details = [text for _, text in over[:3]] + details
    if claimed is not None and claimed > raw and not over and not details:
        details.append(f"总分 {fmt(claimed)} 高于各项按规则计入的得分之和 {fmt(raw)}")
    excess = None if claimed is None else max(ZERO, round2(claimed - supported))
    return Support(claimed, supported, excess, details)


def _short(message: str, size: int = 46) -> str:
    return message if len(message) <= size else message[:size] + "…"


def risk_of(findings: list, sup: Support, inflation: Any = None) -> Risk:
    """The risk of a form from its *findings*, what its amounts and rules
    support (:func:`support`) and its 分数虚高 figure (validate.platform.Inflation)."""
    reasons: list[str] = []
    counted = [f for f in findings if f.code not in EXPLAIN_CODES]
    by_code: Counter = Counter((f.code, f.severity) for f in counted)
    points = ZERO
    for (_, severity), n in by_code.items():
        points += SEVERITY_POINTS.get(severity, ZERO) * min(n, PER_CODE)
    findings_pts = min(points, FINDINGS_CAP)
    errors = [f for f in counted if f.severity == "error"]
    warnings = [f for f in counted if f.severity == "warning"]
    if findings_pts:
        first: dict[str, Any] = {}
        for f in errors + warnings:
            first.setdefault(f.code, f)
        shown = list(first.values())[:3]
        what = "；".join(f"{f.where} {_short(f.message)}" for f in shown)
        more = "等" if len(first) > len(shown) else ""
        counts = "、".join(
            part
            for part in (
                f"错误 {len(errors)} 项" if errors else "",
                f"警告 {len(warnings)} 项" if warnings else "",
            )
            if part
        )
        reasons.append(f"问题分 {fmt(findings_pts)}：{counts}（{what}{more}）")
    excess_pts = ZERO
    if sup.excess:
        excess_pts = min(round2(EXCESS_POINTS * sup.excess), EXCESS_CAP)
        why = f"（{'；'.join(sup.details)}）" if sup.details else ""
        reasons.append(
            f"超额分 {fmt(excess_pts)}：自评总分 {fmt(sup.claimed)} 比评分规则和金额可支持的 "
            f"{fmt(sup.supported)} 高 {fmt(sup.excess)} 分{why}"
        )
    inflation_pts = ZERO
    if inflation is not None and inflation.inflated:
        inflation_pts = min(round2(INFLATION_POINTS * inflation.figure * HUNDRED), INFLATION_CAP)
        reasons.append(
            f"虚高分 {fmt(inflation_pts)}：分数虚高 {fmt(inflation.figure * HUNDRED)}%"
            f"（{inflation.describe()}，阈值 {fmt(inflation.threshold * HUNDRED)}%）"
        )
    unexplained = [f for f in findings if f.code in EXPLAIN_CODES]
    explain_pts = min(EXPLAIN_POINTS * len(unexplained), EXPLAIN_CAP)
    if explain_pts:
        kinds = Counter(f.code for f in unexplained)
        parts = []
        if kinds["DEVIATION_REASON_MISSING"]:
            parts.append(f"{kinds['DEVIATION_REASON_MISSING']} 行得分低于分值未写偏差原因")
        if kinds["DEDUCTION_REASON_MISSING"]:
            parts.append(f"{kinds['DEDUCTION_REASON_MISSING']} 行扣分未写扣分原因")
        if kinds["OVER_ACHIEVEMENT"]:
            parts.append(f"{kinds['OVER_ACHIEVEMENT']} 行超额完成未说明原因")
        reasons.append(f"说明分 {fmt(explain_pts)}：{'、'.join(parts)}")
    total = round2(findings_pts + excess_pts + inflation_pts + explain_pts)
    return Risk(total, findings_pts, excess_pts, inflation_pts, explain_pts, tuple(reasons))


# --------------------------------------------------------------------------
# The workpaper's data
# --------------------------------------------------------------------------


def _where(loc: Any) -> str:
    return f"{loc.sheet}!{loc.cell}" if loc is not None and loc.cell else ""


def _cells(obj: Any, *names: str) -> tuple[str, ...]:
    """“sheet!cell” of fields *names* of *obj* (every located field when none)."""
    locs = getattr(obj, "locs", None) or {}
    found = [locs.get(n) for n in names] if names else locs.values()
    return tuple([f"{loc.sheet}!{loc.cell}" for loc in found if loc is not None and loc.cell])


def _diff(shown: Any, expected: Any) -> Decimal | None:
    if isinstance(shown, Decimal) and isinstance(expected, Decimal):
        return round2(shown - expected)
    return None


def _item(r: Any) -> str:
    t = r.texts
    parts = [t.get("level1_key") or t.get("level1", ""), t.get("level2", ""), t.get("level3", "")]
    text = "／".join(p for p in parts if p)
    return text if len(text) <= 60 else text[:60] + "…"


def _shown(value: Any) -> Any:
    """A cell's number as the workpaper shows it (text for a cell that holds no number)."""
    if value is UNKNOWN:
        return "（不是数字或公式未计算）"
    return value


def form_sum(a: Any) -> tuple[Decimal | None, str]:
    """(the sum of the form's own scores the 总分 cell should equal, how) — the
    figure ``TOTAL_MISMATCH`` compares the cell with (perfkit/validate/
    selfeval.py ``selfeval_total``, evaltable.py ``evaltable_total``): a score
    cell's number, a blank as 0, a formula never computed as what the rules
    give; the execution score of a 自评表's 资金 block, the rule's when the
    cell is blank.  tests/test_review.py holds this equal to the findings."""
    from .validate.common import effective

    parts = []
    for r in a.rows:
        if a.form.form == SELF_EVAL:
            engine = r.score.value if r.score is not None else None
        else:
            engine = (
                r.score.value
                if r.score is not None and r.score.state is ScoreState.SCORED
                else None
            )
        parts.append(effective(r.submitted, engine))
    if not all(isinstance(p, Decimal) for p in parts):
        return None, ""
    ind_sum = sum(parts, ZERO)
    if a.form.form != SELF_EVAL:
        return (round2(ind_sum), f"{len(parts)} 项得分之和") if parts else (None, "")
    rule = a.exec.score.value if a.exec.score is not None else None
    cell = a.exec.submitted
    exec_part = effective(cell, rule)
    note = ""
    if cell is None and rule is not None:
        exec_part, note = rule, "（按规则计算，表中未填）"
    if not isinstance(exec_part, Decimal):
        return None, ""
    return round2(
        ind_sum + exec_part
    ), f"各指标得分合计 {fmt(ind_sum)} + 执行率得分 {fmt(exec_part)}{note}"


def workpaper(a: Any, findings: list, placeholders: list | None = None) -> Workpaper:
    """The data of the form's 复核工作底稿 from its assessment and findings
    (*placeholders*: as for :func:`support`)."""
    from .validate.platform import placeholder_rows, unsupported_exec

    form = a.form
    checks: list[Line] = []
    manual: list[Line] = []
    if placeholders is None:
        placeholders = placeholder_rows(a)
    placeholders = {id(r) for r, _ in placeholders}
    if form.form == SELF_EVAL and "total" in form.funds:
        _exec_lines(a, checks, manual, unsupported_exec(a))
    for r in a.rows:
        line, judged = _row_line(r, id(r) in placeholders)
        (checks if judged else manual).append(line)
    _total_lines(a, checks, manual)
    others = _attach(findings, checks + manual)
    letter = [
        (f.severity, f.where, f.code, f.message)
        for f in findings
        if f.severity in ("error", "warning")
    ]
    return Workpaper(checks, manual, others, letter)


def _exec_lines(a: Any, checks: list, manual: list, no_budget: Decimal | None) -> None:
    form, ex = a.form, a.exec
    fund_cells = tuple(c for fund in form.funds.values() for c in _cells(fund))
    rate_cell = form.locs.get("exec_rate")
    shown = _dec(_number(form.exec_rate))
    if shown is not None and ex.rate is not None and shown <= Decimal("1.5") < ex.rate:
        shown = shown * HUNDRED  # a fraction shown with the % format (as the validator reads it)
    how = f"全年执行数 {fmt(_dec(ex.executed))} ÷ 全年预算数 {fmt(_dec(ex.budget))}"
    cells = (*_cells(form, "exec_rate"), *fund_cells)
    if ex.rate is not None:
        checks.append(
            Line("预算执行率（%）", _where(rate_cell), _shown(_number(form.exec_rate)) if shown is None else shown,
                 ex.rate, _diff(shown, ex.rate), how, cells=cells)
        )  # fmt: skip
    else:
        why = (
            "全年预算数为 0 或空，执行率无法计算"
            if not isinstance(ex.budget, Decimal) or ex.budget == 0
            else "金额不是数字或为负数，执行率无法计算"
        )
        manual.append(Line("预算执行率（%）", _where(rate_cell), _shown(_number(form.exec_rate)),
                           "—", None, why, cells=cells))  # fmt: skip
    score_cell = form.locs.get("exec_score")
    sub = _shown(ex.submitted)
    cells = _cells(form, "exec_score", "exec_weight")
    if ex.score is not None:
        checks.append(
            Line("执行率得分", _where(score_cell), sub, ex.score.value, _diff(ex.submitted, ex.score.value),
                 f"{ex.score.how}，评分规则“{a.profile.name}”", ex.used_weight, cells)
        )  # fmt: skip
    elif ex.submitted is not None or no_budget is not None:
        why = (
            "全年预算数为 0 或空：执行率得分没有依据" if no_budget is not None else "执行率无法计算"
        )
        manual.append(
            Line("执行率得分", _where(score_cell), sub, "—", None, why, _dec(ex.weight), cells)
        )


def _number(raw: Any) -> Any:
    from .values import read_number

    return read_number(raw)[0]


def _row_line(r: Any, placeholder: bool) -> tuple[Line, bool]:
    """The line of one indicator row, and whether the rules judge it (False:
    the row goes to 待人工复核, its ``how`` saying why)."""
    loc = r.ind.locs.get("score")
    item, cell, sub = _item(r), _where(loc), _shown(r.submitted)
    weight = _dec(r.weight)
    cells = _cells(r.ind)
    s = r.score
    if r.na and not placeholder:
        return Line(item, cell, sub, "不适用", None, "指标不适用，不计入总分", weight, cells), True
    if r.error:
        return Line(item, cell, sub, "—", None, r.error, weight, cells), False
    if s is None and not placeholder:
        why = "分值为空或不是数字，评分规则无法计分"
        return Line(item, cell, sub, "—", None, why, weight, cells), False
    if s is not None and s.state is ScoreState.SCORED and not placeholder:
        how = s.how or s.note or ""
        if r.derived_actual:
            how = f"{how}（实际值取 全年执行数 ÷ 全年预算数 = {r.derived_actual}）"
        return Line(item, cell, sub, s.value, _diff(r.submitted, s.value), how, weight, cells), True
    expected: Any = "—"
    diff = None
    why, note = ("", "") if s is None else (s.state.zh, s.how or s.note)
    if s is not None and s.state is ScoreState.BAND and s.band is not None:
        lo, hi = s.band
        expected = f"[{fmt(lo)}, {fmt(hi)}]" + (f"（{s.level}）" if s.level else "")
        typed = _dec(r.submitted)
        if typed is not None and typed > hi:
            diff = round2(typed - hi)
        elif typed is not None and typed < lo:
            diff = round2(typed - lo)
    elif s is not None and s.value is not None:
        expected = s.value
        diff = _diff(r.submitted, s.value)
    if placeholder:
        why = f"年度指标值“{r.texts.get('target', '')}”是占位符，无法核对"
    text = why + (f"：{note}" if note and note != why else "")
    return Line(item, cell, sub, expected, diff, text, weight, cells), False


def _total_lines(a: Any, checks: list, manual: list) -> None:
    form = a.form
    loc = form.locs.get("total")
    cell, cells, sub = _where(loc), _cells(form, "total"), _shown(a.submitted)
    expected, how = form_sum(a)
    if expected is not None:
        checks.append(
            Line("总分（表中各项得分之和）", cell, sub, expected, _diff(a.submitted, expected), how,
                 cells=cells, prefer=("TOTAL_MISMATCH", "ROUNDING_DIFF"))
        )  # fmt: skip
    prefer = ("TOTAL_OVER_CAP", "SCORE_INFLATED")
    if a.recomputed is not None:
        how = f"各行按评分规则计分之和 {fmt(a.indicator_sum)}"
        if a.scale is not None:
            how += f" × {fmt(a.scale * HUNDRED)}%"
        if not a.exec_in_rows:
            how += f" + 执行率得分 {fmt(a.exec.counted)}"
        if a.cap is not None and a.raw_total is not None and a.raw_total > a.cap:
            how += f"，执行率 {fmt(a.exec.rate)}% 时最高 {fmt(a.cap)}"
        checks.append(
            Line("复算总分（按评分规则）", cell, sub, a.recomputed, a.difference, how,
                 cells=cells, prefer=prefer)
        )  # fmt: skip
    else:
        why = a.missing_text() or "有分值不是数字的行，无法复算总分"
        manual.append(
            Line("复算总分（按评分规则）", cell, sub, "—", None, why, cells=cells, prefer=prefer)
        )
    grade_loc = form.locs.get("grade")
    grade_text = _text(form.grade)
    if grade_text or grade_loc is not None:
        total = _dec(a.submitted) if _dec(a.submitted) is not None else expected
        want = a.profile.grade(total) if total is not None else "—"
        how = f"按总分 {fmt(total)} 与评分规则“{a.profile.name}”的等级区间"
        if a.grade and a.grade != want:
            how += f"；按复算总分为“{a.grade}”"
        checks.append(
            Line(
                "绩效等级",
                _where(grade_loc),
                grade_text,
                want,
                None,
                how,
                cells=_cells(form, "grade"),
            )
        )


def _text(raw: Any) -> str:
    from .values import text_of

    return text_of(raw)


def _attach(findings: list, lines: list[Line]) -> list[tuple[str, str, str, str]]:
    """Each finding to the line of its cell (of two lines at one cell, the
    one that prefers its code); the findings of no line are returned."""
    others = []
    for f in findings:  # a form has a few: each looks for the lines of its cell
        cell = f"{f.sheet}!{f.cell}" if f.cell else ""
        candidates = [line for line in lines if cell in line.cells] if cell else []
        if not candidates:
            others.append((f.severity, f.where, f.code, f.message))
            continue
        line = candidates[0]
        if len(candidates) > 1:
            line = next((x for x in candidates if f.code in x.prefer), line)
        line.codes.append(f.code)
        line.messages.append(f.message)
    return others


# --------------------------------------------------------------------------
# One file, in a worker
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Job:
    path: str
    key: str
    profile: str | None


def review_one(form: Any, job: _Job, index: int = 0) -> Reviewed:
    """Assess, validate and weigh one form; its workpaper data pickled."""
    from .assess import assess
    from .summary import _message, _profile_for, _text
    from .validate import validate_form
    from .validate.between import entry_of
    from .validate.platform import inflation, placeholder_rows

    base = Reviewed(job.path, job.key, form.sheet or "", index, form_name(form))
    try:
        profile = _profile_for(form, job.profile)
        a = assess(form, profile)
        findings = validate_form(form, profile, a)
        inf = inflation(a)
        held = placeholder_rows(a)
        sup = support(a, held)
        risk = risk_of(findings, sup, inf)
        paper = workpaper(a, findings, held)
    except Exception as exc:  # one form that cannot be weighed must not stop the batch
        return replace(base, read_error=f"无法复核：{_message(exc)}")
    code = _text(form.project_code).replace(" ", "") if form.form == SELF_EVAL else ""
    return replace(  # the texts as the summary writes them (汇总.xlsx)
        base,
        unit=unit_of(form),
        project=subject_of(form),
        project_code=code,
        year=_text(form.year),
        profile=profile.name,
        exec_rate=a.exec.rate,
        claimed=sup.claimed,
        recomputed=a.recomputed,
        difference=a.difference,
        supported=sup.supported,
        excess=sup.excess,
        inflation=None if inf is None else round2(inf.figure * HUNDRED),
        grade=a.grade or "",
        errors=sum(f.severity == "error" for f in findings),
        warnings=sum(f.severity == "warning" for f in findings),
        infos=sum(f.severity == "info" for f in findings),
        manual=len(paper.manual),
        risk=risk,
        entry=entry_of(form, job.path),
        payload=pickle.dumps(paper, protocol=pickle.HIGHEST_PROTOCOL),
    )


def review_path(job: _Job) -> list[Reviewed]:
    """Every form of one file, reviewed; never raises (a worker)."""
    from .model import form_name
    from .summary import _message
    from .validate.between import entry_of

    try:
        forms, declarations = batch.load_book(job.path)
    except Exception as exc:
        return [Reviewed(job.path, job.key, read_error=_message(exc))]
    reviewed = [review_one(form, job, i) for i, form in enumerate(forms)]
    # a 绩效目标申报表 is not reviewed: only its targets, for the checks between forms
    return reviewed + [
        Reviewed(job.path, job.key, d.sheet, form=form_name(d), entry=entry_of(d, job.path))
        for d in declarations
    ]  # fmt: skip


def mark_between(records: list[Reviewed]) -> None:
    """The findings between the forms of the batch (:mod:`perfkit.validate.between`:
    the same project twice, a 自评表 and the 评分表 of its project that
    disagree, a 自评表 and the 绩效目标申报表 of its project) on each readable
    form they concern: each one warning more, in
    its risk (:func:`with_warning`), its workpaper and its letter."""
    from .validate.between import LABELS, findings

    marked = [r for r in records if r.readable and r.entry is not None]
    for i, found in findings([r.entry for r in marked]).items():
        r = marked[i]
        r.between = tuple(f.code for f in found)
        paper = r.workpaper_data() if r.payload else None
        for f in found:
            if f.severity == "warning":
                r.warnings += 1
            r.risk = with_warning(r.risk, LABELS[f.code], f.message, f.severity)
            if paper is not None:  # on the workpaper's row of its cell, else among the others
                paper.others += _attach([f], paper.checks + paper.manual)
                paper.findings.append((f.severity, f.where, f.code, f.message))
        if paper is not None:
            r.payload = pickle.dumps(paper, protocol=pickle.HIGHEST_PROTOCOL)
    for r in marked:
        r.entry = None  # each form's targets: not kept for the outputs


def with_warning(risk: Risk, what: str, message: str, severity: str = "warning") -> Risk:
    """*risk* with one finding more that only the batch shows (the checks
    between forms): counted in 问题分 by its severity like any other,
    within the cap, and named in a reason of its own."""
    findings = min(risk.findings + SEVERITY_POINTS.get(severity, ZERO), FINDINGS_CAP)
    added = findings - risk.findings
    capped = "" if added or severity == "info" else f"（问题分已达上限 {fmt(FINDINGS_CAP)}）"
    return replace(
        risk,
        total=round2(findings + risk.excess + risk.inflation + risk.explain),
        findings=findings,
        reasons=(*risk.reasons, f"{what} {fmt(added)}{capped}：{message}"),
    )


# --------------------------------------------------------------------------
# Ranking and sampling
# --------------------------------------------------------------------------


def rank(records: list[Reviewed]) -> list[Reviewed]:
    """The readable forms by risk, riskiest first (ties: more errors, larger
    excess, then file and sheet); ``rank`` set from 1."""
    ranked = sorted(
        (r for r in records if r.readable),
        key=lambda r: (-r.risk.total, -r.errors, -(r.excess or ZERO), r.key, r.index),
    )
    for i, r in enumerate(ranked, start=1):
        r.rank = i
    return ranked


_SAMPLE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(%?)\s*$")


def sample_size(spec: str | int | None, total: int) -> int:
    """Forms to sample of *total*: ``N`` (at most *total*) or ``P%`` (rounded
    up, at least 1 when P > 0).  :class:`UsageError` for anything else."""
    text = DEFAULT_SAMPLE if spec is None else str(spec)
    m = _SAMPLE.match(text)
    if not m or (not m.group(2) and "." in m.group(1)):
        raise UsageError(f"--sample 应为份数（如 20）或百分比（如 10%），实际为“{text}”")
    value = Decimal(m.group(1))
    if m.group(2):
        if value > 100:
            raise UsageError(f"--sample 百分比不能超过 100%，实际为“{text}”")
        n = math.ceil(value * total / HUNDRED) if value > 0 else 0
        return min(max(n, 1 if value > 0 and total else 0), total)
    return min(int(value), total)


def draw_number(seed: int, r: Reviewed) -> str:
    """The form's random number under *seed*: SHA-256 of the seed, its
    path relative to the folder holding every input and its sheet (hex;
    the smallest are drawn)."""
    text = f"{seed}\n{r.key}\n{r.sheet}\n{r.index}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def draw(ranked: list[Reviewed], n: int, seed: int) -> tuple[list[Reviewed], list[Reviewed]]:
    """(the riskiest, the drawn at random): ⌈n/2⌉ riskiest forms with risk
    above 0, then the rest of *n* drawn from the other forms by
    :func:`draw_number`; marks ``sampled`` on each."""
    n = min(n, len(ranked))
    k = min(math.ceil(Decimal(n) * RISK_SHARE), sum(1 for r in ranked if r.risk.total > 0))
    riskiest = ranked[:k]
    rest = ranked[k:]
    drawn = sorted(rest, key=lambda r: draw_number(seed, r))[: n - k]
    drawn.sort(key=lambda r: r.rank)
    for r in riskiest:
        r.sampled = RISKIEST
    for r in drawn:
        r.sampled = RANDOM
    return riskiest, drawn


def new_seed() -> int:
    """A seed for a run without ``--seed`` (printed, so that it can be repeated)."""
    return 100000 + secrets.randbelow(900000)


# --------------------------------------------------------------------------
# Output names
# --------------------------------------------------------------------------

_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')
_SPACES = re.compile(r"\s+")


def safe_name(text: str, size: int = 30) -> str:
    """*text* as part of a file name on Windows: no \\ / : * ? " < > |, no
    control characters, no trailing dot or space, at most *size* characters."""
    text = _SPACES.sub(" ", _UNSAFE.sub("_", text or "")).strip(" .")
    return text[:size].rstrip(" .") or "未命名"


def workpaper_name(r: Reviewed, width: int) -> str:
    parts = [f"{r.rank:0{width}d}", safe_name(r.unit, 24), safe_name(r.project, 30)]
    if r.index:
        parts.append(safe_name(r.sheet, 12))
    return "_".join(parts) + ".xlsx"


def unique_names(names: list[str]) -> list[str]:
    """*names* made unique ignoring case (Windows): ``name (2).ext`` …"""
    seen: set[str] = set()
    out = []
    for name in names:
        stem, dot, ext = name.rpartition(".")
        candidate, n = name, 2
        while candidate.lower() in seen:
            candidate = f"{stem} ({n}){dot}{ext}"
            n += 1
        seen.add(candidate.lower())
        out.append(candidate)
    return out


# --------------------------------------------------------------------------
# The command
# --------------------------------------------------------------------------


@dataclass
class Result:
    """What ``perfkit review`` did."""

    records: list[Reviewed]  # every form and unreadable file, input order
    ranked: list[Reviewed]
    riskiest: list[Reviewed]
    drawn: list[Reviewed]
    seed: int
    seed_given: bool
    sample: str
    out_dir: Path
    list_path: Path
    workpapers: list[Path]
    letters: list[Path]
    found: Any = None  # the scan (batch.Found): what it skipped
    declarations: int = 0  # 绩效目标申报表 read for the checks between forms

    @property
    def sampled(self) -> list[Reviewed]:
        return sorted(self.riskiest + self.drawn, key=lambda r: r.rank)

    @property
    def unreadable(self) -> list[Reviewed]:
        return [r for r in self.records if not r.readable]

    @property
    def has_errors(self) -> bool:
        return any(r.errors for r in self.ranked)


def _inside(child: Path, parent: Path) -> bool:
    try:
        child.relative_to(parent)
    except ValueError:
        return False
    return True


def check_out_dir(out_dir: str | os.PathLike, roots: list[Path], allow_inside: bool) -> Path:
    """The output folder, refused (:class:`UsageError`) inside an input folder
    unless *allow_inside*, and when it is an existing file."""
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise OutputError(
            "-o 应为文件夹，但这是一个已有的文件：请给出一个文件夹（不存在时会自动创建）",
            path=str(out),
        )
    if not allow_inside:
        real = Path(os.path.realpath(out))
        for root in roots:
            folder = Path(os.path.realpath(root))
            if _inside(real, folder):
                raise UsageError(
                    f"输出文件夹 {out} 位于输入文件夹 {root} 之内：复核结果不写入被复核的文件夹。"
                    "请换一个输出文件夹（例如与输入文件夹并列），或加 --allow-inside 明确允许"
                )
    return out


def _previous(out: Path) -> list[Path]:
    """perfkit's review outputs already in *out* (marked: never a user's file)."""
    from .outputs import REVIEW, output_kind

    found = []
    for path in [
        out / LIST_NAME,
        *(out / WORKPAPER_DIR).glob("*.xlsx"),
        *(out / LETTER_DIR).glob("*.docx"),
    ]:
        if path.is_file() and output_kind(path) == REVIEW:
            found.append(path)
    return found


def run(
    paths: list[str | os.PathLike],
    out_dir: str | os.PathLike,
    sample: str | int | None = None,
    seed: int | None = None,
    profile: str | None = None,
    jobs: int | None = None,
    progress: bool = True,
    allow_inside: bool = False,
    overwrite: bool = False,
    letters: bool = True,
) -> Result:
    """``perfkit review``: rank every form by risk, sample, write 复核清单.xlsx,
    a 复核工作底稿 per sampled form and a 整改通知 per unit (see the module docstring)."""
    from . import reviewbook, reviewletter
    from .profiles import load

    if profile:
        load(profile)  # an unknown profile: a usage error before any work
    if seed is not None and seed < 0:
        raise UsageError(f"--seed 应为不小于 0 的整数，实际为 {seed}")
    found = batch.discover_rooted(paths)
    if found.missing:
        names = "、".join(str(p) for p in found.missing)
        raise UsageError(f"找不到 {names}：请检查路径是否正确（未写出任何文件）")
    if not found:
        raise UsageError(
            "没有找到要复核的表格文件（.xlsx、.xlsm、.xls）："
            + "、".join(str(p) for p in paths)
            + "（未写出任何文件）"
        )
    roots = sorted({root for _, root in found}, key=str)
    out = check_out_dir(out_dir, roots, allow_inside)
    list_path = out / LIST_NAME
    inputs = [f for f, _ in found]
    check_outputs([list_path], inputs)
    previous = _previous(out)
    if (list_path.exists() or previous) and not overwrite:
        raise UsageError(
            f"输出文件夹 {out} 中已有复核结果（{LIST_NAME} 等）：为免覆盖已填写的复核意见，"
            "请换一个输出文件夹，或加 --overwrite 替换上次的结果"
        )
    sample_size(sample, 1)  # a bad --sample: a usage error before any work
    base = _common_folder(roots)
    work = [_Job(os.fspath(f), _key(f, base or root), profile) for f, root in found]
    records = [
        r
        for rs in batch.imap(review_path, work, jobs=jobs, progress="复核" if progress else False)
        for r in rs
    ]
    mark_between(records)
    declared = [r for r in records if r.declaration]
    records = [r for r in records if not r.declaration]
    ranked = rank(records)
    n = sample_size(sample, len(ranked))
    seed_given = seed is not None
    if seed is None:
        seed = new_seed()
    riskiest, drawn = draw(ranked, n, seed)
    sampled = sorted(riskiest + drawn, key=lambda r: r.rank)
    width = max(3, len(str(len(ranked))))
    names = unique_names([workpaper_name(r, width) for r in sampled])
    for r, name in zip(sampled, names, strict=True):
        r.workpaper = f"{WORKPAPER_DIR}/{name}"
    targets = [out / r.workpaper for r in sampled]
    letter_groups = reviewletter.groups(sampled) if letters else []
    letter_paths = [out / LETTER_DIR / name for name, _unit, _items in letter_groups]
    check_outputs([list_path, *targets, *letter_paths], inputs)  # never over an input
    prepare_folder(out)
    for old in previous:  # --overwrite: the last run's files, known by their mark
        if old not in targets and old not in letter_paths and old != list_path:
            old.unlink(missing_ok=True)
    info = reviewbook.Info(
        total=len(ranked), unreadable=len(records) - len(ranked), sample=n,
        riskiest=len(riskiest), drawn=len(drawn), seed=seed, seed_given=seed_given,
        sample_spec=DEFAULT_SAMPLE if sample is None else str(sample), profile=profile or "",
    )  # fmt: skip
    # Every output over the workers, the longest first: 复核清单 (its rows
    # without the workpaper data), the letters (tens of ms each), the workpapers.
    lite = [replace(r, payload=b"") for r in ranked]
    bad = [r for r in records if not r.readable]
    work_out: list[Any] = [ListJob(lite, bad, str(list_path), info)]
    work_out += [
        reviewletter.LetterJob(unit, items, str(path), info)
        for (_name, unit, items), path in zip(letter_groups, letter_paths, strict=True)
    ]
    work_out += [
        reviewbook.WorkpaperJob(r, str(t), info) for r, t in zip(sampled, targets, strict=True)
    ]
    if sampled:
        prepare_folder(out / WORKPAPER_DIR)
    if letter_groups:
        prepare_folder(out / LETTER_DIR)
    bar = "写出" if progress and len(work_out) >= 5 else False
    failures = [
        e for e in batch.imap(write_job, work_out, jobs=jobs, chunksize=1, progress=bar) if e
    ]
    if failures:
        raise OutputError(failures[0])
    written_letters = letter_paths
    return Result(records, ranked, riskiest, drawn, seed, seed_given, info.sample_spec,
                  out, list_path, targets, written_letters, found, len(declared))  # fmt: skip


@dataclass(frozen=True)
class ListJob:
    ranked: list  # Reviewed, without their workpaper data
    unreadable: list
    target: str
    info: Any


def write_job(job: Any) -> str:
    """Write 复核清单, a letter or a workpaper (a worker): "" or why it was not written."""
    from . import reviewbook, reviewletter
    from .errors import PerfkitError

    if isinstance(job, ListJob):
        try:
            reviewbook.write_list(job.unreadable, job.ranked, job.target, job.info)
        except PerfkitError as err:
            return f"未写出 {job.target}：{err}"
        return ""
    if isinstance(job, reviewletter.LetterJob):
        return reviewletter.write_letter_job(job)
    return reviewbook.write_workpaper_job(job)


def _common_folder(roots: list[Path]) -> Path | None:
    """The folder holding every input folder (the folders given, and those of
    the files given): what the random draw's paths are relative to, so that
    naming the folder or its files draws the same forms."""
    try:
        return Path(os.path.commonpath([os.path.abspath(r) for r in roots]))
    except ValueError:  # folders on other drives (Windows)
        return None


def _key(path: Path, root: Path) -> str:
    """The path of a form relative to *root*, "/"-separated."""
    try:
        rel = os.path.relpath(os.path.abspath(path), os.path.abspath(root))
    except ValueError:  # another drive (Windows)
        rel = path.name
    if rel.startswith(".."):
        rel = path.name
    return rel.replace(os.sep, "/")
