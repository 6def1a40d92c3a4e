"""Scoring rules of the self-evaluation form (DOMAIN.md 1.3–1.6).

Every function takes values as a cell or a JSON file gives them (numbers,
numbers stored as text, blanks) and returns ``Decimal`` rounded half-up to two
decimals, computed from the unrounded inputs.  Rules that differ by province
come from a :class:`~perfkit.profiles.Profile`.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from . import targets
from .errors import PerfkitError
from .numbers import HUNDRED, ZERO, NotANumber, clamp, fmt, round2, to_decimal
from .profiles import Profile, load
from .targets import Kind, Measure, Op, Reading

ONE = Decimal(1)

POSITIVE = "positive"  # 正向：完成值越大越好（≥）
REVERSE = "reverse"  # 反向：完成值越小越好（≤）
EQUAL = "equal"  # 等于

_DIRECTION_WORDS = {
    POSITIVE: ("positive", "正向", ">=", "≥", ">", "正"),
    REVERSE: ("reverse", "反向", "<=", "≤", "<", "反", "逆向"),
    EQUAL: ("equal", "等于", "=", "＝", "等"),
}

# Indicator names that mean "smaller is better" when the target carries no
# comparison (DOMAIN.md 4.5 caveats: 控制率, 调整率, 结余率, 成本 …).
REVERSE_NAME_HINTS = (
    "成本",
    "控制率",
    "调整率",
    "结余率",
    "结转率",
    "差错率",
    "投诉",
    "事故",
    "损失",
    "超支",
    "变动率",
    "耗时",
    "用时",
    "时长",
)

# Words in an actual value that say a qualitative target was not met or met in
# part.  Only whole phrases: "未收到投诉" and "无法律纠纷" are achievements.
NOT_MET_WORDS = (
    "未完成",
    "未达成",
    "未达到",
    "未达标",
    "未按时",
    "未按期",
    "未能",
    "未实现",
    "未开展",
    "未落实",
    "没有完成",
    "尚未",
    "延期",
    "逾期",
    "滞后",
    "较差",
    "不达标",
    "不合格",
    "未建立",
)
PARTLY_MET_WORDS = ("部分达成", "部分完成", "基本完成", "基本达成", "部分实现", "一定效果", "有待")


def _any_of(words: tuple[str, ...]) -> re.Pattern[str]:
    """One pattern finding any of *words*: a single search where a loop over
    the words would test each in turn."""
    return re.compile("|".join(re.escape(w) for w in words))


_REVERSE_NAME_HINT = _any_of(REVERSE_NAME_HINTS)
_NOT_MET = _any_of(NOT_MET_WORDS)
_PARTLY_MET = _any_of(PARTLY_MET_WORDS)
# Looking up a member of an Enum class is slow enough to matter per indicator.
_UP_OPS = (Op.GE, Op.GT, Op.RANGE)
_DOWN_OPS = (Op.LE, Op.LT)
_NORM_DROP = re.compile(r"[\s，,。.；;、:：\"“”'‘’（）()]")


class ScoringError(PerfkitError):
    """Input that a rule cannot score (negative budget, unknown direction …)."""


@dataclass(frozen=True)
class Score:
    """What the rules give for one indicator.

    ``value`` is None when no score can be computed (``note`` says why);
    ``band`` is the range a hand score may take (qualitative bands), equal ends
    for a computed quantitative score; ``ratio`` is completion (actual/target
    for positive targets); ``over`` marks completion at or above the profile's
    over-achievement ratio (130 %).
    """

    value: Decimal | None
    kind: str
    band: tuple[Decimal, Decimal] | None = None
    ratio: Decimal | None = None
    note: str = ""
    over: bool = False
    level: str = ""  # qualitative: 达成 / 部分达成 / 未达成


def _profile(profile: Profile | str | None) -> Profile:
    return profile if isinstance(profile, Profile) else load(profile)


# --------------------------------------------------------------------------
# 预算执行率
# --------------------------------------------------------------------------


def exec_rate(executed: object, budget: object) -> Decimal | None:
    """执行率 = 全年执行数 / 全年预算数, unrounded fraction; None when either
    amount is blank or the budget is 0."""
    e = to_decimal(executed)
    b = to_decimal(budget)
    if e is None or b is None or b == 0:
        return None
    if b < 0:
        raise ScoringError("全年预算数不能为负数")
    if e < 0:
        raise ScoringError("全年执行数不能为负数")
    return e / b


def exec_rate_pct(executed: object, budget: object) -> Decimal | None:
    """执行率 in percent, half-up to 2 decimals (1937189.02/1959300 -> 98.87)."""
    rate = exec_rate(executed, budget)
    return None if rate is None else round2(rate * HUNDRED)


def exec_score(
    executed: object,
    budget: object,
    weight: object = None,
    profile: Profile | str | None = None,
) -> Decimal | None:
    """执行率得分 under the profile's rule (default: min(rate, 1) × 分值).

    * ``proportional``: 得分 = min(执行率, 100%) × 分值 (深圳 2023: 98.87 % -> 9.89)
    * ``deduct_per_pct``: 分值 − 低于 100% 的百分点 × per_pct, not below 0
      (福田 rule 「执行率每降低1%扣0.1分」: 99.11 % of 3 -> 2.91)
    * ``interval``: bands of (minimum rate %, fraction of 分值)
    """
    prof = _profile(profile)
    w = to_decimal(weight)
    if w is None:
        w = prof.exec.weight
    if w < 0:
        raise ScoringError("分值不能为负数")
    rate = exec_rate(executed, budget)
    if rate is None:
        return None
    rule = prof.exec
    if rule.rule == "proportional":
        return round2(min(rate, ONE) * w)
    if rule.rule == "deduct_per_pct":
        short = max(ZERO, (ONE - rate) * HUNDRED)
        short = _steps(short, rule.step_mode)
        return round2(max(ZERO, w - short * rule.per_pct))
    pct = rate * HUNDRED
    for low, fraction in rule.bands:
        if pct >= low:
            return round2(w * fraction)
    return ZERO.quantize(Decimal("0.01"))


# --------------------------------------------------------------------------
# Indicators
# --------------------------------------------------------------------------


def _steps(count: Decimal, mode: str) -> Decimal:
    """Whole or partial steps: continuous (as is), floor, or ceil."""
    if mode == "floor":
        return count.to_integral_value(rounding=ROUND_FLOOR)
    if mode == "ceil":
        return count.to_integral_value(rounding=ROUND_CEILING)
    return count


def parse_direction(direction: object) -> str | None:
    """'正向'/'反向'/'等于' (or ≥ ≤ = / positive reverse equal) -> constant; blank -> None."""
    if direction is None:
        return None
    text = str(direction).strip()
    if not text:
        return None
    for key, words in _DIRECTION_WORDS.items():
        if text.lower() in words:
            return key
    raise ScoringError(f"无法识别的指标方向“{text}”，应为 正向、反向 或 等于")


def direction_of(measure: Measure, name: str = "", override: str | None = None) -> str:
    """Direction of a quantitative target: override, else its comparison, else
    the indicator name (成本, 控制率 … are reverse), else positive."""
    if override:
        return override
    op = measure.op
    if op in _UP_OPS:
        return POSITIVE
    if op in _DOWN_OPS:
        return REVERSE
    if op == Op.EQ:
        return EQUAL
    if (name and _REVERSE_NAME_HINT.search(name)) or _REVERSE_NAME_HINT.search(measure.label):
        return REVERSE
    return POSITIVE


def completion(
    target: Measure, actual: Decimal, direction: str, reverse_rule: str = "ratio"
) -> Decimal:
    """Fraction of the weight earned (0..1) for one quantitative target."""
    return _completion(target.base()[0], actual, direction, reverse_rule)


def _completion(a: Decimal, b: Decimal, direction: str, reverse_rule: str) -> Decimal:
    """:func:`completion` of a target amount *a* already in base units."""
    if direction == POSITIVE:
        if b >= a:
            return ONE
        if a <= 0:
            return ONE if b >= a else ZERO
        return clamp(b / a, ZERO, ONE)
    if direction == REVERSE:
        if b <= a:
            return ONE
        if reverse_rule == "vendor":
            if a <= 0:
                return ZERO
            return clamp(ONE - (b - a) / a, ZERO, ONE)
        return clamp(a / b, ZERO, ONE) if b > 0 else ZERO
    # equal
    if b == a:
        return ONE
    if a == 0:
        return ONE if b <= 0 else ZERO
    lo, hi = min(a, b), max(a, b)
    return clamp(lo / hi, ZERO, ONE) if hi > 0 else ZERO


def _norm_text(value: object) -> str:
    return _NORM_DROP.sub("", str(value or ""))


def qualitative_level(target: object, actual: object) -> str:
    """达成 / 部分达成 / 未达成 from the wording of the actual value."""
    text = _norm_text(actual)
    if text and text == _norm_text(target):
        return "达成"
    if _NOT_MET.search(text):
        return "未达成"
    if _PARTLY_MET.search(text):
        return "部分达成"
    return "达成"


def qualitative_band(
    weight: object, level: str, profile: Profile | str | None = None
) -> tuple[Decimal, Decimal]:
    """Allowed score range for a qualitative level (MOF: 100–80 %, 80–60 %, 60–0 %).

    The upper end of 部分达成 and 未达成 is exclusive; the pair gives the ends."""
    prof = _profile(profile)
    w = to_decimal(weight) or ZERO
    if level == "达成":
        return round2(w * prof.qual_achieved), round2(w)
    if level == "部分达成":
        return round2(w * prof.qual_partial), round2(w * prof.qual_achieved)
    return ZERO.quantize(Decimal("0.01")), round2(w * prof.qual_partial)


def _qualitative(
    target: object, actual: object, w: Decimal, prof: Profile, note: str = ""
) -> Score:
    level = qualitative_level(target, actual)
    lo, hi = qualitative_band(w, level, prof)
    if level == "达成":
        value = round2(w)
        extra = "定性指标达成，记满分；可在区间内酌情评分"
    elif level == "部分达成":
        value = lo
        extra = f"定性指标部分达成，按区间下限记分；可在 [{fmt(lo)}, {fmt(hi)}) 内手工评分"
    else:
        value = lo
        extra = f"定性指标未达成，记 0 分；可在 [0, {fmt(hi)}) 内手工评分"
    return Score(
        value, "qualitative", (lo, hi), None, "；".join(p for p in (note, extra) if p), level=level
    )


def _measured(reading: Reading) -> list[Measure]:
    """Measures of an actual value; a constraint (≤3万) counts as its bound."""
    return list(reading.measures)


def _pair(target: Measure, actuals: list[Measure]) -> Decimal | None:
    """The actual amount that answers *target* (base units), or None.

    Several comparable actual measures with the same unit are added up
    ("成立1家换届1家" answers "5家" with 2)."""
    same = [m for m in actuals if targets.comparable(target, m)]
    if not same:
        return None
    if len(same) > 1:
        units = {m.base()[1] for m in same}
        if len(units) == 1 and target.unit and same[0].unit:
            return sum((m.base()[0] for m in same), ZERO)
        labelled = [
            m
            for m in same
            if m.label and target.label and (m.label in target.label or target.label in m.label)
        ]
        if labelled:
            return labelled[0].base()[0]
    # A unit-less target ("满意度 ≥ 九十") against "100%" compares the numbers.
    return same[0].base()[0]


# Within :func:`remembered`, questions already answered: key -> (profile, Score).
_memo: dict | None = None


@contextlib.contextmanager
def remembered() -> Iterator[None]:
    """Within the block, :func:`indicator_score` answers a question it has
    already answered from memory.  The batch opens one per form, where the
    validator and the summary score the same rows: one form's scope, so the
    figures of a benchmark are those of forms that share nothing."""
    global _memo
    outer = _memo
    if outer is None:
        _memo = {}
    try:
        yield
    finally:
        _memo = outer


def indicator_score(
    target: object,
    actual: object,
    weight: object,
    direction: object = None,
    name: object = "",
    profile: Profile | str | None = None,
) -> Score:
    """Score of one third-level indicator (DOMAIN.md 1.4, 1.5).

    Quantitative: full marks when the target is met; in proportion when not
    (reverse targets: 指标值/完成值, or the vendor variant by profile); never
    above the weight or below 0.  Several targets in one cell share the weight
    equally.  Qualitative: by the wording of the actual value, with the band a
    hand score may take.
    """
    prof = _profile(profile)
    memo = _memo
    if memo is None:
        return _indicator_score(target, actual, weight, direction, name, prof)
    try:
        # repr: Decimal("5") and Decimal("5.0") are equal but not the same
        # question.  The profile is held in the entry: its id cannot be reused.
        key = (target, actual, repr(weight), direction, name, id(prof))
        hit = memo.get(key)
    except Exception:  # an unhashable argument: not remembered
        return _indicator_score(target, actual, weight, direction, name, prof)
    if hit is None:
        hit = memo[key] = (prof, _indicator_score(target, actual, weight, direction, name, prof))
    return hit[1]


def _indicator_score(
    target: object, actual: object, weight: object, direction: object, name: object, prof: Profile
) -> Score:
    w = to_decimal(weight)
    if w is None:
        return Score(None, "empty", note="缺少分值")
    if w < 0:
        raise ScoringError("分值不能为负数")
    t = targets.read(target)
    a = targets.read(actual)
    if w == 0:
        return Score(
            ZERO.quantize(Decimal("0.01")), "not_applicable", (ZERO, ZERO), note="分值为 0，不计分"
        )
    if Kind.NOT_APPLICABLE in (t.kind, a.kind):
        return Score(None, "not_applicable", note="指标不适用，但分值不为 0")
    if a.kind == Kind.EMPTY:
        return Score(None, "empty", note="缺少实际完成值")
    if t.kind == Kind.UNREADABLE:
        return Score(None, "unreadable", note=f"年度指标值无法识别：{t.note}")
    override = parse_direction(direction)
    name_text = str(name or "")

    if t.kind == Kind.QUANTITATIVE and t.measures:
        if a.kind != Kind.QUANTITATIVE or not a.measures:
            return _qualitative(target, actual, w, prof, note="实际完成值没有数值，按定性判断")
        actuals = _measured(a)
        fractions: list[Decimal] = []
        ratios: list[Decimal] = []
        over = False
        for tm in t.measures:
            b = _pair(tm, actuals)
            if b is None:
                return Score(
                    None,
                    "mismatch",
                    note=f"实际完成值（{a.describe()}）与指标值（{t.describe()}）单位不一致，无法比较",
                )
            d = direction_of(tm, name_text, override)
            av, _ = tm.base()
            fractions.append(_completion(av, b, d, prof.reverse))
            if d == POSITIVE and av > 0:
                ratio = b / av
                ratios.append(ratio)
                if ratio >= prof.over_ratio:
                    over = True
        fraction = sum(fractions, ZERO) / len(fractions)
        value = round2(w * fraction)
        note = ""
        if over and prof.over_action == "deduct":
            value = round2(max(ZERO, value - prof.over_deduct))
            note = f"完成值超过指标值 {fmt(prof.over_ratio * 100)}% 以上，按规则扣 {fmt(prof.over_deduct)} 分"
        elif over:
            note = f"完成值达到指标值的 {fmt(prof.over_ratio * 100)}% 以上，应分析原因（指标值是否偏低）"
        if fraction < ONE and not note:
            note = "未完成指标值，按完成比例记分"
        ratio = min(ratios) if ratios else None
        return Score(value, "quantitative", (value, value), ratio, note, over)

    if t.kind == Kind.DEADLINE and t.deadline:
        if a.kind == Kind.DEADLINE and a.deadline:
            met = _deadline_met(t, a)
            if met is not None:
                level = "达成" if met else "未达成"
                lo, hi = qualitative_band(w, level, prof)
                value = round2(w) if met else lo
                return Score(
                    value, "deadline", (lo, hi), None, "" if met else "晚于完成时限", level=level
                )
        return _qualitative(target, actual, w, prof)

    return _qualitative(target, actual, w, prof)


def _deadline_met(t: Reading, a: Reading) -> bool | None:
    td, ad = t.deadline, a.deadline
    if td is None or ad is None:
        return None
    ty = td.year if td.year is not None else ad.year
    ay = ad.year if ad.year is not None else ty
    t_key = (ty or 0, td.month, td.day or 31)
    a_key = (ay or 0, ad.month, ad.day or 31)
    return a_key <= t_key


def perf_score(target, actual, weight, direction=None, name="", profile=None) -> Decimal | None:
    """The value of :func:`indicator_score` (None when it cannot be scored)."""
    return indicator_score(target, actual, weight, direction, name, profile).value


# --------------------------------------------------------------------------
# Written deduction rules (评分标准)
# --------------------------------------------------------------------------


def deduct_score(
    actual: object,
    benchmark: object,
    weight: object,
    step: object,
    per_step: object,
    zero_below: object = None,
    direction: str = POSITIVE,
    mode: str = "continuous",
) -> Decimal | None:
    """「达到标杆值得满分，每降低 *step* 扣 *per_step* 分，扣完为止[，低于 *zero_below* 不得分]」.

    ``per_step`` is points; text ending in "%" ("3%") is a share of the weight
    (「扣减权重分值的3%」).  ``mode``: ``continuous`` (0.89 个百分点 -> 0.089 分),
    ``floor`` (whole steps only) or ``ceil`` (any part of a step counts).
    Reverse direction: deduct for each step *above* the benchmark.
    """
    w = to_decimal(weight)
    a = to_decimal(actual)
    bench = to_decimal(benchmark)
    s = to_decimal(step)
    if w is None or a is None or bench is None or s is None or s <= 0:
        return None
    if isinstance(per_step, str) and per_step.strip().endswith(("%", "％")):
        p = to_decimal(per_step.strip().rstrip("％").rstrip("%"))
        p = None if p is None else w * p / HUNDRED
    else:
        p = to_decimal(per_step)
    if p is None or p < 0:
        return None
    zb = to_decimal(zero_below)
    if zb is not None and (a < zb if direction != REVERSE else a > zb):
        return ZERO.quantize(Decimal("0.01"))
    gap = (bench - a) if direction != REVERSE else (a - bench)
    if gap <= 0:
        return round2(w)
    steps = _steps(gap / s, mode)
    return round2(max(ZERO, w - steps * p))


# --------------------------------------------------------------------------
# Totals and grades
# --------------------------------------------------------------------------


def total(values: Iterable[object]) -> Decimal:
    """Sum of the numbers among *values* (blanks ignored), half-up 2 dp.

    Raises :class:`NotANumber` for text that is not a number."""
    acc = ZERO
    for v in values:
        d = to_decimal(v)
        if d is not None:
            acc += d
    return round2(acc)


def capped_total(
    raw_total: object, exec_rate_pct: object, profile: Profile | str | None = None
) -> Decimal:
    """Total after the profile's cap by execution rate (budget-platform rule)."""
    prof = _profile(profile)
    t = to_decimal(raw_total) or ZERO
    r = to_decimal(exec_rate_pct)
    cap = prof.cap_for(r) if r is not None else None
    return round2(min(t, cap) if cap is not None else t)


def grade(total_score: object, profile: Profile | str | None = None) -> str:
    """绩效等级 by the profile's half-open bands (MOF: 优 ≥90, 良 ≥80, 中 ≥60, 差)."""
    t = to_decimal(total_score)
    if t is None:
        raise NotANumber("")
    return _profile(profile).grade(t)


def block_subtotals(rows: Iterable[tuple[str, object]]) -> dict[str, Decimal]:
    """First-level label -> sum of its scores (labels kept in first-seen order)."""
    out: dict[str, Decimal] = {}
    for label, value in rows:
        d = to_decimal(value)
        out[label] = out.get(label, ZERO) + (d or ZERO)
    return {k: round2(v) for k, v in out.items()}


def scale_block(score: object, block_points: object, label_weight: object) -> Decimal | None:
    """Scale a block whose rows sum to *block_points* to its labelled weight
    (a block labelled 80 分 holding 100 points: 90 -> 72)."""
    s, bp, lw = to_decimal(score), to_decimal(block_points), to_decimal(label_weight)
    if s is None or not bp or lw is None:
        return None
    return round2(s * lw / bp)
