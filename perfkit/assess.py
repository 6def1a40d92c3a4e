"""One assessment of a form: for every row, the score as submitted and the
score the profile's rules give, computed once.

Every surface reads this instead of scoring rows itself: the checks of
:mod:`perfkit.validate`, the summary (表内总分 beside 复算总分), the report,
``freeze`` and ``adopt``.  The Excel cells compute the same with the same row
functions (:func:`perfkit.scoring.indicator_score`, :func:`perfkit.rules.eval_score`
through :mod:`perfkit.cellfuncs`); a test holds cell = validator = summary =
frozen copy for every row of every example and corpus form.

What a row counts in the recomputed total (复算总分):

* the rules give a value (定量, 执行率, a written 评分标准 that applies): that value;
* a qualitative band (定性, 时限): the submitted score held to the band (7 in
  [8, 10] counts 8), or the band's default when the cell keeps its formula;
* a written rule that cannot derive a value (酌情扣分): the submitted score
  stands (an info finding says so);
* nothing was measured (待统计, 暂无数据 …), or a required input is missing:
  no value — the recomputed total cannot be given, and says which rows are missing;
* 不适用 (or weight 0): nothing.

The grid is scaled when it declares part of the points ("年度绩效指标（80分）")
while its rows are weighted to 100 (the municipal 20/80 template); the
profile's cap by execution rate (the platform) applies to the total.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from . import rules, scoring, targets
from .errors import PerfkitError
from .model import SELF_EVAL, Formula
from .numbers import HUNDRED, ZERO, round2
from .profiles import Profile, load
from .scoring import Score, ScoreState
from .values import UNKNOWN, form_year, read_number, text_of

NA_WORDS = ("不适用", "无")
# Finding codes behind a difference between the submitted and the recomputed total.
DIFFERENCE_CODES = (
    "SCORE_MISMATCH",
    "RULE_SCORE_MISMATCH",
    "EXEC_SCORE_MISMATCH",
    "EXEC_SCORE_MISSING",
    "QUAL_SCORE_OUT_OF_BAND",
    "SCORE_OVER_WEIGHT",
    "SCORE_NOT_MEASURED",
    "TOTAL_MISMATCH",
    "TOTAL_OVER_CAP",
)


@dataclass
class RowResult:
    """One filled indicator row: what the form says and what the rules give."""

    ind: Any
    label: str  # “二级／三级” for messages
    texts: dict[str, str]  # cell texts the rules read
    weight: Any  # Decimal | None | UNKNOWN
    submitted: Any  # the score cell as a number: Decimal | None | UNKNOWN
    problems: dict[str, tuple[str, str]]  # field -> (code, message template) of bad cells
    na: bool = False  # 不适用
    exec_row: bool = False  # the 预算执行率 row (评分表; a 自评表 laid out like 银川)
    score: Score | None = None  # the rules' answer (None: not asked, e.g. no weight)
    error: str = ""  # the rules refused the row (a Chinese message)
    derived_actual: str = ""  # 评分表 execution row: the rate the amounts give
    counted: Decimal | None = None  # what the recomputed total counts (None: missing)

    @property
    def state(self) -> ScoreState | None:
        return None if self.score is None else self.score.state

    @property
    def expected(self) -> Decimal | None:
        """The rules' point value (for a band: its default)."""
        return None if self.score is None else self.score.value

    @property
    def formula(self) -> bool:
        return isinstance(self.ind.score, Formula)

    @property
    def missing(self) -> bool:
        """The row should count but has no value (the total cannot be recomputed):
        no score the rules give or the form holds, and a weight that is not 0
        (a blank 分值 included: nothing says the row does not count)."""
        if self.na or self.counted is not None:
            return False
        return not (isinstance(self.weight, Decimal) and self.weight <= 0)


@dataclass
class ExecResult:
    """The 预算执行率 of the 资金 block (自评表) or of the header (评分表)."""

    executed: Any = None
    budget: Any = None
    weight: Any = None  # the 分值 cell
    used_weight: Decimal | None = None  # the cell, else the profile's
    rate: Decimal | None = None  # percent, 2 dp
    score: Score | None = None  # the rule's score (自评表 资金 block)
    submitted: Any = None  # the 得分 cell
    counted: Decimal | None = None


@dataclass
class Assessment:
    form: Any
    profile: Profile
    rows: list[RowResult]
    exec: ExecResult
    blocks: dict[str, dict[str, Decimal]] = field(default_factory=dict)
    scale: Decimal | None = None  # the grid's points / its rows' weights (80 / 100)
    indicator_sum: Decimal | None = None
    raw_total: Decimal | None = None  # before the profile's cap
    cap: Decimal | None = None
    recomputed: Decimal | None = None  # 复算总分
    submitted: Any = None  # 表内总分 as a number: Decimal | None | UNKNOWN
    missing: list[RowResult] = field(default_factory=list)
    exec_missing: bool = False  # the 资金 block's score cannot be given
    exec_in_rows: bool = False  # the execution score is an indicator row

    def row_of(self, ind: Any) -> RowResult | None:
        return self._by_id.get(id(ind))

    def __post_init__(self) -> None:
        self._by_id = {id(r.ind): r for r in self.rows}

    @property
    def grade(self) -> str | None:
        return None if self.recomputed is None else self.profile.grade(self.recomputed)

    @property
    def difference(self) -> Decimal | None:
        """表内总分 − 复算总分, when both are known."""
        if isinstance(self.submitted, Decimal) and self.recomputed is not None:
            return round2(self.submitted - self.recomputed)
        return None

    def missing_text(self) -> str:
        """“缺 1 行：满意度（实际完成值“待统计”…）” for the recomputed total."""
        if not self.missing and not self.exec_missing:
            return ""
        names = [r.label for r in self.missing[:3]]
        if self.exec_missing:
            names.insert(0, "预算执行率（资金使用情况）")
        more = f" 等 {len(self.missing)} 行" if len(self.missing) > 3 else ""
        return f"无法复算：{'、'.join(names)}{more}没有可计的得分"


def _positive(weight: Any) -> bool:
    return isinstance(weight, Decimal) and weight > 0


def profile_of(form: Any, profile: Profile | str | None = None) -> Profile:
    """The profile a form is assessed under (the given one, else the form's own)."""
    if isinstance(profile, Profile):
        return profile
    return load(profile or getattr(form, "profile", None) or None)


def assess(form: Any, profile: Profile | str | None = None) -> Assessment:
    """The assessment of *form* under *profile* (default: the form's own)."""
    prof = profile_of(form, profile)
    if form.form == SELF_EVAL:
        return _SelfEval(form, prof).run()
    return _EvalTable(form, prof).run()


# --------------------------------------------------------------------------
# shared
# --------------------------------------------------------------------------


def _label(level2: str, level3: str) -> str:
    name = level3 if len(level3) <= 24 else level3[:24] + "…"
    parts = [p for p in (level2, name) if p]
    return "“" + "／".join(parts) + "”" if parts else "该行"


def _number(raw: Any, problems: dict, name: str) -> Any:
    value, problem = read_number(raw)
    if problem is not None:
        problems[name] = problem
    return value


class _Base:
    texts: tuple[str, ...] = ()

    def __init__(self, form: Any, profile: Profile):
        self.form = form
        self.profile = profile
        self.year = form_year(form)  # the year of a deadline written without one

    def _row(self, ind: Any) -> RowResult:
        texts = {}
        for name in self.texts:
            raw = getattr(ind, name, None)
            texts[name] = raw.strip() if type(raw) is str else text_of(raw)
        problems: dict[str, tuple[str, str]] = {}
        weight = _number(ind.weight, problems, "weight")
        submitted = _number(ind.score, problems, "score")
        return RowResult(
            ind,
            _label(texts.get("level2", ""), texts.get("level3", "")),
            texts,
            weight,
            submitted,
            problems,
        )

    def _count(self, row: RowResult) -> None:
        """What the row counts in the recomputed total (see the module docstring)."""
        s, sub = row.score, row.submitted
        typed = sub if isinstance(sub, Decimal) else None
        if row.na or (
            row.weight is not UNKNOWN and not _positive(row.weight) and row.weight is not None
        ):
            row.counted = ZERO
            return
        if s is None:
            row.counted = typed
            return
        state = s.state
        if state is ScoreState.SCORED:
            row.counted = s.value
        elif state is ScoreState.BAND:  # a judgement inside the band stands, held to the band
            lo, hi = s.band or (s.value, s.value)
            row.counted = s.value if typed is None else min(max(typed, lo), hi)
        elif state is ScoreState.NOT_APPLICABLE:
            row.counted = ZERO if s.value is not None else typed
        elif state is ScoreState.NOT_MEASURED:
            row.counted = None
        else:  # underivable, empty, unreadable, mismatch: the form's figure stands
            row.counted = typed

    def _totals(self, a: Assessment, exec_part: Decimal | None) -> None:
        counted = [r for r in a.rows if not r.na]
        a.missing = [r for r in counted if r.missing]
        weights = [r.weight for r in counted if isinstance(r.weight, Decimal)]
        for r in a.rows:
            key = r.texts.get("level1_key", "")
            block = a.blocks.setdefault(key, {"weight": ZERO, "counted": ZERO, "submitted": ZERO})
            if isinstance(r.weight, Decimal):
                block["weight"] += r.weight
            if r.counted is not None:
                block["counted"] += r.counted
            if isinstance(r.submitted, Decimal):
                block["submitted"] += r.submitted
        declared = _dec(getattr(self.form, "part_weight", None))
        weight_sum = sum(weights, ZERO)
        if declared is not None and weight_sum == HUNDRED and declared != HUNDRED:
            a.scale = declared / HUNDRED
        if a.missing or a.exec_missing:
            return
        a.indicator_sum = round2(sum((r.counted or ZERO for r in counted), ZERO))
        part = a.indicator_sum if a.scale is None else a.indicator_sum * a.scale
        a.raw_total = round2(part + (exec_part or ZERO))
        a.cap = self.profile.cap_for(a.exec.rate) if a.exec.rate is not None else None
        a.recomputed = min(a.raw_total, a.cap) if a.cap is not None else a.raw_total


def _dec(raw: Any) -> Decimal | None:
    value, _ = read_number(raw)
    return value if isinstance(value, Decimal) else None


# --------------------------------------------------------------------------
# 项目支出绩效自评表
# --------------------------------------------------------------------------


class _SelfEval(_Base):
    texts = ("level1", "level2", "level3", "target", "actual")

    def run(self) -> Assessment:
        form = self.form
        ex = self._exec()
        rows = []
        for ind in form.indicators:
            if ind.is_blank():
                continue
            row = self._row(ind)
            row.texts["level1_key"] = _block_key(row.texts["level1"])
            row.na = _is_na(row)
            row.exec_row = rules.is_exec_row(row.texts["level3"]) and "exec_score" not in form.locs
            if _positive(row.weight) and not row.na:
                try:
                    row.score = self._score(row, ex)
                except PerfkitError as err:
                    row.error = err.message
            self._count(row)
            rows.append(row)
        a = Assessment(form, self.profile, rows, ex)
        a.exec_in_rows = any(r.exec_row for r in rows)
        a.submitted = _number(form.total, {}, "total")
        exec_part = None if a.exec_in_rows else ex.counted
        # amounts or a score that cannot be read leave the total unknown (blank
        # cells of a form not yet filled count nothing, as the template's cells do)
        a.exec_missing = (
            exec_part is None
            and not a.exec_in_rows
            and UNKNOWN in (ex.executed, ex.budget, ex.submitted)
        )
        self._totals(a, exec_part)
        return a

    def _score(self, row: RowResult, ex: ExecResult) -> Score:
        t = row.texts
        if row.exec_row and not t["actual"] and ex.rate is not None:
            score = scoring.exec_row_score(ex.executed, ex.budget, row.weight, self.profile)
            if score is not None:
                return score
        return scoring.indicator_score(
            t["target"] or None,
            t["actual"] or None,
            row.weight,
            None,
            t["level3"],
            self.profile,
            t["level2"],
            self.year,
        )

    def _exec(self) -> ExecResult:
        form = self.form
        fund = form.funds.get("total")
        problems: dict = {}
        ex = ExecResult(
            executed=_number(fund.executed, problems, "executed") if fund else None,
            budget=_number(fund.annual_budget, problems, "annual_budget") if fund else None,
            weight=_number(form.exec_weight, problems, "exec_weight"),
            submitted=_number(form.exec_score, problems, "exec_score"),
        )
        e, b, w = ex.executed, ex.budget, ex.weight
        if isinstance(e, Decimal) and isinstance(b, Decimal) and b > 0 and e >= 0:
            ex.used_weight = w if isinstance(w, Decimal) and w >= 0 else self.profile.exec.weight
            ex.rate = scoring.exec_rate_pct(e, b)
            try:
                ex.score = scoring.exec_row_score(e, b, ex.used_weight, self.profile)
            except PerfkitError:
                ex.score = None
        typed = ex.submitted if isinstance(ex.submitted, Decimal) else None
        ex.counted = ex.score.value if ex.score is not None else typed
        return ex


def _is_na(row: RowResult) -> bool:
    t = row.texts
    for name in ("target", "actual"):
        if targets.read(t[name] or None).kind == targets.Kind.NOT_APPLICABLE:
            return True
    return t["actual"] in NA_WORDS or t["level3"] in NA_WORDS


def _block_key(text: str) -> str:
    """产出指标（50分） -> 产出指标."""
    from .readers.vocab import normalise

    return normalise(text).core if text else ""


# --------------------------------------------------------------------------
# 绩效评价指标体系评分表
# --------------------------------------------------------------------------


class _EvalTable(_Base):
    texts = (
        "level1",
        "level2",
        "level3",
        "description",
        "benchmark",
        "rule",
        "actual",
        "deduction_reason",
    )

    def run(self) -> Assessment:
        form = self.form
        problems: dict = {}
        ex = ExecResult(
            executed=_number(form.executed, problems, "executed"),
            budget=_number(form.annual_budget, problems, "annual_budget"),
        )
        e, b = ex.executed, ex.budget
        if isinstance(e, Decimal) and isinstance(b, Decimal) and b > 0 and e >= 0:
            ex.rate = scoring.exec_rate_pct(e, b)
        rows = []
        for ind in form.indicators:
            if ind.is_blank():
                continue
            row = self._row(ind)
            row.texts["level1_key"] = _eval_block_key(row.texts["level1"])
            row.exec_row = rules.is_exec_row(row.texts["level3"])
            if isinstance(row.weight, Decimal) and row.weight >= 0:
                t = row.texts
                if row.exec_row and not t["actual"] and ex.rate is not None:
                    row.derived_actual = f"{ex.rate}%"
                try:
                    row.score = rules.eval_score(
                        t["rule"] or None,
                        t["actual"] or None,
                        row.weight,
                        t["benchmark"] or None,
                        t["level3"] or None,
                        e if isinstance(e, Decimal) else None,
                        b if isinstance(b, Decimal) else None,
                        self.profile,
                    )
                except PerfkitError as err:
                    row.error = err.message
                row.na = row.score is not None and row.score.state is ScoreState.NOT_APPLICABLE
            self._count(row)
            rows.append(row)
        a = Assessment(form, self.profile, rows, ex, exec_in_rows=True)
        a.submitted = _number(form.total, {}, "total")
        self._totals(a, None)
        return a


def _eval_block_key(text: str) -> str:
    """项目管理 (25分) -> 过程 … : the block a 评分表 first-level label names."""
    from .writers.place import guess_block

    return guess_block(text, None) if text else ""


__all__ = ["DIFFERENCE_CODES", "Assessment", "ExecResult", "RowResult", "assess", "profile_of"]
