"""The 预算管理一体化 platform's self-evaluation warnings, as findings (DOMAIN.md §8.1).

The platform colours a project red when its indicator scores claim more than
its spending supports (分数虚高), yellow when its budget is 0 or less than 80 %
of it was spent, and refuses an applicable indicator weighted 0.  perfkit
reports each as a coded finding, with the figures in the message:

* ``SCORE_INFLATED`` at the 总分 cell: (Σ指标得分/Σ指标分值 − 执行率) ÷
  (Σ指标得分/Σ指标分值) above ``warnings.inflated`` (5 %); its severity is
  ``warnings.inflated_severity`` (a warning by default, an error under the
  platform profile);
* ``BUDGET_ZERO`` at the 全年预算数 cell: a budget of 0 (or none) with a score;
* ``EXEC_RATE_LOW`` at the 执行率 cell: below ``warnings.low_exec_rate`` (80 %);
* ``WEIGHT_ZERO`` at the 分值 cell of an applicable indicator weighted 0;
* ``TARGET_PLACEHOLDER`` at the 年度指标值 cell: a placeholder (``**人``, ``—``
  on a scored row, ``见附件`` …) where the target should be.

Every figure comes from the form's assessment (:mod:`perfkit.assess`); the
helpers :func:`inflation`, :func:`unsupported_exec` and :func:`placeholder_rows`
are also what ``perfkit review`` weighs a form's risk by, so that the ranking
and the findings cannot disagree.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from .. import scoring, targets
from ..model import EVAL_TABLE, SELF_EVAL
from ..numbers import HUNDRED, ZERO, fmt
from ..values import UNKNOWN
from . import codes as C
from .core import Context, Finding, check


def _pct(fraction: Decimal) -> str:
    """0.85 -> "85%", 0.98871 -> "98.87%"."""
    return f"{fmt(fraction * HUNDRED)}%"


def _dec(value: Any) -> Decimal | None:
    return value if isinstance(value, Decimal) else None


def exec_fraction(a: Any) -> Decimal | None:
    """执行率 of an assessment as the platform computes it: Σ全年执行数 /
    Σ全年预算数, a fraction, unrounded and not capped; None when either amount
    is not a number or the budget is not above 0 (the amount checks report those)."""
    e, b = a.exec.executed, a.exec.budget
    if not isinstance(e, Decimal) or not isinstance(b, Decimal) or b <= 0 or e < 0:
        return None
    return e / b


# --------------------------------------------------------------------------
# 分数虚高
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Inflation:
    """The platform's 分数虚高 figure of one form and what it is made of."""

    score_sum: Decimal  # Σ 指标得分 (the form's scores)
    weight_sum: Decimal  # Σ 指标分值 of the applicable indicators
    rate: Decimal  # 执行率, a fraction, unrounded and not capped (as the platform)
    figure: Decimal  # (achieved − rate) / achieved, unrounded
    threshold: Decimal  # the profile's warnings.inflated

    @property
    def achieved(self) -> Decimal:
        """指标得分率 Σ得分 / Σ分值."""
        return self.score_sum / self.weight_sum

    @property
    def inflated(self) -> bool:
        return self.figure > self.threshold

    def describe(self) -> str:
        """“指标得分 90 / 分值 90 = 100%，执行率 85%：(100% − 85%) ÷ 100% = 15%”."""
        a, r = _pct(self.achieved), _pct(self.rate)
        return (
            f"指标得分 {fmt(self.score_sum)} / 分值 {fmt(self.weight_sum)} = {a}，执行率 {r}："
            f"({a} − {r}) ÷ {a} = {_pct(self.figure)}"
        )


def indicator_rows(a: Any) -> list[Any]:
    """The rows whose scores the platform adds up: applicable indicators with
    a weight above 0 (not 不适用, not a 预算执行率 row inside the grid)."""
    return [
        r
        for r in a.rows
        if not r.na and not r.exec_row and isinstance(r.weight, Decimal) and r.weight > 0
    ]


def inflation(a: Any) -> Inflation | None:
    """The 分数虚高 figure of a 自评表's assessment *a*, or None when it cannot
    be told: not a 自评表, no budget, a weight or score that is not a number
    (a formula never computed counts what the rules give), no indicator scored."""
    if a.form.form != SELF_EVAL:
        return None
    rows = indicator_rows(a)
    if not rows or any(
        not r.na and not r.exec_row and not isinstance(r.weight, Decimal) for r in a.rows
    ):  # a weight that is blank or not a number: Σ分值 is not known
        return None
    score_sum = ZERO
    for r in rows:
        s = r.submitted
        if s is UNKNOWN:  # a formula never computed: what the rules give
            s = r.counted
            if s is None:
                return None
        score_sum += s if isinstance(s, Decimal) else ZERO
    weight_sum = sum((r.weight for r in rows), ZERO)
    rate = exec_fraction(a)
    if rate is None:
        return None
    figure = scoring.score_inflation(score_sum, weight_sum, rate)
    if figure is None:
        return None
    return Inflation(score_sum, weight_sum, rate, figure, a.profile.warnings.inflated)


@check(SELF_EVAL, codes=[C.SCORE_INFLATED])
def platform_inflation(ctx: Context) -> Iterator[Finding]:
    """分数虚高: the indicators' score rate above the execution rate by more than 5 % (relative)."""
    inf = inflation(ctx.assessment)
    if inf is None or not inf.inflated:
        return
    prof = ctx.profile
    yield ctx.finding(
        C.SCORE_INFLATED.code,
        ctx.loc(ctx.form, "total"),
        f"分数虚高：{inf.describe()}，超过 {_pct(inf.threshold)}（评分规则“{prof.name}”）；"
        "指标得分率明显高于资金执行率，须核实各指标的完成依据",
        severity=prof.warnings.inflated_severity,
    )


# --------------------------------------------------------------------------
# 全年预算数 = 0
# --------------------------------------------------------------------------


def _exec_claims(a: Any) -> list[Decimal]:
    """The execution scores the form claims: the 资金 block's 得分 cell, or the
    score of a 预算执行率 row of the grid."""
    claims = [r.submitted for r in a.rows if r.exec_row and isinstance(r.submitted, Decimal)]
    if not a.exec_in_rows and isinstance(a.exec.submitted, Decimal):
        claims.append(a.exec.submitted)
    return claims


def unsupported_exec(a: Any) -> Decimal | None:
    """The execution score a form claims without a budget to compute it from
    (全年预算数 0, or its cell blank on a 自评表 with an execution score),
    or None when the budget supports it (or nothing is claimed)."""
    form = a.form
    fund = form.funds.get("total") if form.form == SELF_EVAL else None
    if form.form == SELF_EVAL and fund is None:
        return None
    budget = a.exec.budget
    claims = _exec_claims(a)
    claimed = max(claims) if claims else ZERO
    if isinstance(budget, Decimal) and budget == 0:
        others = [_dec(a.submitted), *(_dec(r.submitted) for r in a.rows)]
        if claimed > 0 or any(v is not None and v > 0 for v in others):
            return claimed
        return None
    # A blank 全年预算数 cell; a layout without the column (北京 2016: 年初预算数
    # only) is no blank budget.
    if budget is None and fund is not None and "annual_budget" in fund.locs and claimed > 0:
        return claimed
    return None


@check(SELF_EVAL, EVAL_TABLE, codes=[C.BUDGET_ZERO])
def platform_budget_zero(ctx: Context) -> Iterator[Finding]:
    """全年预算数 = 0 (or none) while the form has a score."""
    a = ctx.assessment
    claimed = unsupported_exec(a)
    if claimed is None:
        return
    form = ctx.form
    holder = form.funds["total"] if form.form == SELF_EVAL else form
    zero = isinstance(a.exec.budget, Decimal)
    what = "全年预算数为 0" if zero else "全年预算数为空"
    if claimed > 0:
        score = f"却填了执行率得分 {fmt(claimed)}"
    else:
        total = _dec(a.submitted)
        score = f"却有得分（总分 {fmt(total)}）" if total is not None else "却有指标得分"
    yield ctx.finding(
        C.BUDGET_ZERO.code,
        ctx.loc(holder, "annual_budget"),
        f"{what}，执行率无法计算，{score}：执行率得分没有依据，请填写调整后的全年预算数",
    )


# --------------------------------------------------------------------------
# 执行率 < 80 %
# --------------------------------------------------------------------------


@check(SELF_EVAL, EVAL_TABLE, codes=[C.EXEC_RATE_LOW])
def platform_low_exec_rate(ctx: Context) -> Iterator[Finding]:
    """执行率 below warnings.low_exec_rate (80 %): (预算 − 执行)/预算 > 20 %."""
    a = ctx.assessment
    rate = exec_fraction(a)
    limit = ctx.profile.warnings.low_exec_rate
    if rate is None or rate >= limit:
        return
    form = ctx.form
    if form.form == SELF_EVAL:
        holder = form if "exec_rate" in form.locs else form.funds["total"]
        field = "exec_rate" if "exec_rate" in form.locs else "executed"
    else:
        holder, field = form, "exec_rate" if "exec_rate" in form.locs else "executed"
    cap = ctx.profile.cap_for(a.exec.rate) if a.exec.rate is not None else None
    capped = f"；评分规则“{ctx.profile.name}”下总分最高 {fmt(cap)} 分" if cap is not None else ""
    yield ctx.finding(
        C.EXEC_RATE_LOW.code,
        ctx.loc(holder, field),
        f"预算执行率 {_pct(rate)}（全年执行数 {fmt(a.exec.executed)} ÷ 全年预算数 {fmt(a.exec.budget)}）"
        f"低于 {_pct(limit)}：请说明资金未执行的原因和改进措施{capped}",
    )


# --------------------------------------------------------------------------
# 分值 0, placeholder targets
# --------------------------------------------------------------------------


def _used(r: Any) -> bool:
    """Whether a row is scored or filled: a weight or score above 0, or an
    actual value that is not an unused row's text."""
    if any(isinstance(v, Decimal) and v > 0 for v in (r.weight, r.submitted)):
        return True
    actual = r.texts.get("actual", "")
    return bool(actual) and not scoring.is_not_applicable_text(actual)


def placeholder_rows(a: Any) -> list[tuple[Any, str]]:
    """(row, its 年度指标值) for every 自评表 row whose target is a placeholder
    (:func:`perfkit.targets.placeholder_of`), or the dash of an unused row on
    a row that is scored or filled."""
    if a.form.form != SELF_EVAL:
        return []
    out = []
    for r in a.rows:
        text = r.texts.get("target", "")
        if not text:
            continue
        if targets.placeholder_of(text) or (scoring.is_not_applicable_text(text) and _used(r)):
            out.append((r, text))
    return out


@check(SELF_EVAL, codes=[C.WEIGHT_ZERO, C.TARGET_PLACEHOLDER])
def platform_indicators(ctx: Context) -> Iterator[Finding]:
    """An applicable indicator weighted 0; a placeholder where the target should be."""
    a = ctx.assessment
    for r in a.rows:
        w = r.weight
        if (
            isinstance(w, Decimal)
            and w == 0
            and not r.na
            and (r.texts.get("target") or r.texts.get("actual"))
        ):
            yield ctx.finding(
                C.WEIGHT_ZERO.code,
                ctx.loc(r.ind, "weight"),
                f"{r.label}填写了指标值或完成值，分值却为 0：适用的指标分值应大于 0"
                "（确不适用的，实际完成值填“不适用”）",
            )
    for r, text in placeholder_rows(a):
        score = _dec(r.submitted)
        claimed = f"，得分 {fmt(score)}" if score is not None and score > 0 else ""
        yield ctx.finding(
            C.TARGET_PLACEHOLDER.code,
            ctx.loc(r.ind, "target"),
            f"{r.label}的年度指标值“{text}”是占位符或指向别处，不是可核对的指标值{claimed}："
            "请填写申报时的绩效指标值",
        )
