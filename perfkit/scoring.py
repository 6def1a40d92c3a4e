"""Scoring rules of the self-evaluation form (DOMAIN.md 1.3–1.6).

Every function takes values as a cell or a JSON file gives them (numbers,
numbers stored as text, blanks) and returns ``Decimal`` rounded half-up to two
decimals, computed from the unrounded inputs.  Rules that differ by province
come from a :class:`~perfkit.profiles.Profile`; the words read in actual values
come from the vocabulary (``perfkit/vocab/words.toml``).

A row's answer is a :class:`Score`: its value, how it was derived (``kind``,
``how``) and whether it could be derived at all (``state``).  Every public
function returns a result or raises a :class:`~perfkit.errors.PerfkitError`
subclass (:class:`ScoringError`, :class:`~perfkit.numbers.NotANumber`,
:class:`~perfkit.profiles.ProfileError`) with a Chinese message.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from enum import Enum
from functools import lru_cache

from . import targets
from .errors import PerfkitError
from .numbers import HUNDRED, ZERO, NotANumber, fmt, round2, to_decimal
from .profiles import Profile, load
from .profiles.vocab import vocabulary
from .targets import Kind, Measure, Op, Reading

ONE = Decimal(1)
TWO = Decimal(2)
ZERO2 = Decimal("0.00")

POSITIVE = "positive"  # 正向：完成值越大越好（≥）
REVERSE = "reverse"  # 反向：完成值越小越好（≤）
EQUAL = "equal"  # 等于

# Qualitative levels (Score.level), and the level of an actual that measured nothing.
ACHIEVED = "达成"
PARTLY = "部分达成"
NOT_MET = "未达成"
NOT_MEASURED = "未测量"

# The start of a cell message for a row without a score (PERF_SCORE / PERF_RULE):
# PERF_TOTAL recognises it and names the row.
UNSCORED_MARK = "【未计分】"

_DIRECTION_WORDS = {
    POSITIVE: ("positive", "正向", ">=", "≥", ">", "正"),
    REVERSE: ("reverse", "反向", "<=", "≤", "<", "反", "逆向"),
    EQUAL: ("equal", "等于", "=", "＝", "等"),
}


class _StrEnum(str, Enum):
    """A str-valued Enum: ``kind == "quantitative"`` holds and ``str()`` is the value."""

    def __str__(self) -> str:
        return self.value

    def __format__(self, spec: str) -> str:
        return format(self.value, spec)


class ScoreKind(_StrEnum):
    """How a score is derived."""

    QUANTITATIVE = "quantitative"  # 定量：完成值与指标值比较
    QUALITATIVE = "qualitative"  # 定性：按实际完成值的表述定档
    DEADLINE = "deadline"  # 时效：完成日期与时限比较
    EXEC = "exec"  # 预算执行率：按评分规则的执行率算法
    RULE_DEDUCT = "rule_deduct"  # 书面评分标准：每降低…扣…
    RULE_CHECKLIST = "rule_checklist"  # 书面评分标准：①②③ 逐项
    RULE_THRESHOLD = "rule_threshold"  # 书面评分标准：发生…不得分
    RULE_BAND = "rule_band"  # 书面评分标准：分档计分（90%以上得5分，80%-90%得3分）
    BENCHMARK = "benchmark"  # 评分表：与标杆值比较
    # Rows where nothing is derived keep the kind they had before the states
    # existed (kind == state): read ``state``.
    NOT_APPLICABLE = "not_applicable"
    EMPTY = "empty"
    UNREADABLE = "unreadable"
    MISMATCH = "mismatch"

    @property
    def zh(self) -> str:
        return _KIND_ZH[self]


class ScoreState(_StrEnum):
    """Whether and how a score stands."""

    SCORED = "scored"  # the rules give a value
    BAND = "band"  # qualitative: a default value inside an allowed band
    NOT_APPLICABLE = "not_applicable"  # excluded from totals
    NOT_MEASURED = "not_measured"  # the actual says nothing was measured: no score
    UNDERIVABLE = "underivable"  # a written rule cannot derive a value: a typed score stands
    EMPTY = "empty"  # a required input is missing
    UNREADABLE = "unreadable"  # a target or actual cannot be read
    MISMATCH = "mismatch"  # units not comparable

    @property
    def zh(self) -> str:
        return _STATE_ZH[self]


_KIND_ZH = {
    ScoreKind.QUANTITATIVE: "定量",
    ScoreKind.QUALITATIVE: "定性",
    ScoreKind.DEADLINE: "时限",
    ScoreKind.EXEC: "预算执行率",
    ScoreKind.RULE_DEDUCT: "扣分标准",
    ScoreKind.RULE_CHECKLIST: "逐项标准",
    ScoreKind.RULE_THRESHOLD: "达标标准",
    ScoreKind.RULE_BAND: "分档标准",
    ScoreKind.BENCHMARK: "标杆值比较",
    ScoreKind.NOT_APPLICABLE: "不适用",
    ScoreKind.EMPTY: "缺少数据",
    ScoreKind.UNREADABLE: "无法识别",
    ScoreKind.MISMATCH: "单位不一致",
}
_STATE_ZH = {
    ScoreState.SCORED: "已计分",
    ScoreState.BAND: "定档（区间内可酌情评分）",
    ScoreState.NOT_APPLICABLE: "不适用",
    ScoreState.NOT_MEASURED: "未测量",
    ScoreState.UNDERIVABLE: "无法按规则计算",
    ScoreState.EMPTY: "缺少数据",
    ScoreState.UNREADABLE: "无法识别",
    ScoreState.MISMATCH: "单位不一致",
}

# The vocabulary, as the tuples the code used to hold.
_VOCAB = vocabulary()
REVERSE_NAME_HINTS = _VOCAB.reverse_hints
NOT_MET_WORDS = _VOCAB.not_met
PARTLY_MET_WORDS = _VOCAB.partly_met
NOT_MEASURED_WORDS = _VOCAB.not_measured
_ASIDE = _VOCAB.aside

# Looking up a member of an Enum class is slow enough to matter per indicator.
_UP_OPS = (Op.GE, Op.GT, Op.RANGE)
_DOWN_OPS = (Op.LE, Op.LT)
_NORM_DROP = re.compile(r"[\s，,。.；;、:：\"“”'‘’（）()!！?？]")


class ScoringError(PerfkitError):
    """Input that a rule cannot score (negative budget, unknown direction …)."""


class UnscoredRows(ScoringError):
    """A total over cells of which some hold the message of a row without a score."""

    def __init__(self, rows: Iterable[str]):
        self.rows = tuple(rows)
        names = [r.split("：", 1)[0] for r in self.rows if "：" in r]
        if len(self.rows) == 1:
            row = self.rows[0]
            if "：" in row:
                name, why = row.split("：", 1)
                text = f"总分暂缺：{name}未计分（{why}）"
            else:
                text = f"总分暂缺：有 1 行未计分（{row}）"
        elif len(names) == len(self.rows):
            text = f"总分暂缺：{'、'.join(names)} 共 {len(names)} 行未计分"
        else:
            text = f"总分暂缺：有 {len(self.rows)} 行未计分"
        super().__init__(text)


@dataclass(frozen=True)
class Score:
    """What the rules give for one row.

    ``value`` is None when no score can be computed (``state`` says why,
    ``note`` says it in Chinese); ``band`` is the range a hand score may take
    (qualitative bands), equal ends for a computed score; ``ratio`` is
    completion (actual/target for positive targets); ``over`` marks completion
    at or above the profile's over-achievement ratio (130 %); ``how`` says in
    Chinese how the value was derived (formula, written 评分标准, band);
    ``actual_as`` is how a bare number was read against a percentage ("96%"
    for the 0.96 Excel keeps of a typed 96 %), "" when read as written.
    """

    value: Decimal | None
    kind: str
    band: tuple[Decimal, Decimal] | None = None
    ratio: Decimal | None = None
    note: str = ""
    over: bool = False
    level: str = ""  # qualitative: 达成 / 部分达成 / 未达成
    state: ScoreState = ScoreState.SCORED
    how: str = ""
    actual_as: str = ""

    def message(self, name: object = "") -> str:
        """The cell text of a row without a score: 【未计分】name：why."""
        who = _name_text(name)
        why = self.note or _STATE_ZH.get(self.state, "无法计分")
        return f"{UNSCORED_MARK}{who}：{why}" if who else f"{UNSCORED_MARK}{why}"


def cell_value(score: Score, name: object = "") -> Decimal | str | None:
    """What a score cell shows: the value, else the row's message
    (:meth:`Score.message`), also when the actual is still empty: a weighted
    row without a score is never a blank the total could pass over."""
    if not isinstance(score, Score):
        raise ScoringError("cell_value 需要一个 Score")
    if score.value is not None:
        return score.value
    return score.message(name)


def _name_text(name: object) -> str:
    if type(name) is str:
        return name.strip()[:30]
    if name is None or isinstance(name, bool):
        return ""
    text = str(name).strip() if isinstance(name, (str, int, float, Decimal)) else ""
    return text[:30]


def _profile(profile: object) -> Profile:
    return profile if isinstance(profile, Profile) else load(profile)


def _dec(value: object) -> Decimal | None:
    return to_decimal(value)


def _plain(number: Decimal) -> str:
    """A Decimal as written, without trailing zeros (cheaper than fmt: no rounding)."""
    text = format(number, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text if len(text) <= 24 else fmt(number)


def _short(value: object, size: int = 20) -> str:
    text = targets.read(value).text.strip()
    return text if len(text) <= size else text[:size] + "…"


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

    * ``proportional``: 得分 = min(执行率, 100%) × 分值 (深圳 2023: 98.87 % -> 9.89);
      without the cap (``exec.cap = false``) 执行率 × 分值
    * ``deduct_per_pct``: 分值 − 低于 100% 的百分点 × per_pct, not below 0
      (福田 rule 「执行率每降低1%扣0.1分」: 99.11 % of 3 -> 2.91)
    * ``interval``: bands of (minimum rate %, fraction of 分值)
    """
    prof = _profile(profile)
    inputs = _exec_inputs(executed, budget, weight, prof)
    if inputs is None:
        return None
    rate, w = inputs
    return _exec_value(rate, w, prof.exec)


def _exec_inputs(executed: object, budget: object, weight: object, prof: Profile):
    """(执行率, 分值) of an execution score: the weight defaults to the
    profile's; None when the amounts give no rate."""
    w = to_decimal(weight)
    if w is None:
        w = prof.exec.weight
    if w < 0:
        raise ScoringError("分值不能为负数")
    rate = exec_rate(executed, budget)
    if rate is None:
        return None
    return rate, w


def _exec_value(r: Decimal, w: Decimal, rule) -> Decimal:
    """The score of :func:`exec_points`, without its explanation."""
    if rule.rule == "proportional":
        return round2(min(r, ONE) * w if rule.cap else r * w)
    if rule.rule == "deduct_per_pct":
        short = _steps(max(ZERO, (ONE - r) * HUNDRED), rule.step_mode)
        return round2(max(ZERO, w - short * rule.per_pct))
    p = r * HUNDRED
    for low, fraction in rule.bands:
        if p >= low:
            return round2(w * fraction)
    return ZERO2


def exec_row_score(
    executed: object,
    budget: object,
    weight: object = None,
    profile: Profile | str | None = None,
) -> Score | None:
    """:func:`exec_score` as a :class:`Score` with its ``how``; None when the
    amounts give no rate."""
    prof = _profile(profile)
    inputs = _exec_inputs(executed, budget, weight, prof)
    if inputs is None:
        return None
    rate, w = inputs
    value, how = exec_points(rate, w, prof)
    return Score(value, ScoreKind.EXEC, (value, value), rate, state=ScoreState.SCORED, how=how)


def exec_points(
    rate: object, weight: object, profile: Profile | str | None = None
) -> tuple[Decimal, str]:
    """(score, how) of an execution rate (a fraction: 0.9911) under the
    profile's execution rule."""
    prof = _profile(profile)
    r = to_decimal(rate)
    w = to_decimal(weight)
    if r is None or w is None:
        raise ScoringError("缺少执行率或分值")
    if r < 0:
        raise ScoringError("执行率不能为负数")
    rule = prof.exec
    pct = fmt(r * HUNDRED)
    if rule.rule == "proportional":
        if rule.cap:
            return round2(min(r, ONE) * w), f"执行率 {pct}% × 分值 {fmt(w)}（最高为分值）"
        return round2(r * w), f"执行率 {pct}% × 分值 {fmt(w)}（不封顶）"
    if rule.rule == "deduct_per_pct":
        short = max(ZERO, (ONE - r) * HUNDRED)
        short = _steps(short, rule.step_mode)
        value = round2(max(ZERO, w - short * rule.per_pct))
        return value, (
            f"执行率 {pct}%，每低于 100% 一个百分点扣 {fmt(rule.per_pct)} 分：{fmt(w)} − "
            f"{fmt(short)} × {fmt(rule.per_pct)}"
        )
    p = r * HUNDRED
    for low, fraction in rule.bands:
        if p >= low:
            return round2(
                w * fraction
            ), f"执行率 {pct}% 在 {fmt(low)}% 以上一档：分值 × {fmt(fraction * HUNDRED)}%"
    return ZERO2, f"执行率 {pct}% 低于最低一档，不得分"


# --------------------------------------------------------------------------
# Indicators
# --------------------------------------------------------------------------


def _steps(count: Decimal, mode: object) -> Decimal:
    """Whole or partial steps: continuous (as is), floor, or ceil."""
    if mode == "floor":
        return count.to_integral_value(rounding=ROUND_FLOOR)
    if mode == "ceil":
        return count.to_integral_value(rounding=ROUND_CEILING)
    return count


def parse_direction(direction: object) -> str | None:
    """'正向'/'反向'/'等于' (or ≥ ≤ = / positive reverse equal) -> constant; blank -> None."""
    if direction is None or isinstance(direction, bool):
        return None
    text = direction.strip() if isinstance(direction, str) else _name_text(direction)
    if not text:
        return None
    for key, words in _DIRECTION_WORDS.items():
        if text.lower() in words:
            return key
    raise ScoringError(f"无法识别的指标方向“{text[:20]}”，应为 正向、反向 或 等于")


def _reverse_of(target: object, actual: str) -> bool:
    """Whether a qualitative target is "smaller is better": its comparison with
    a reference (≤预算数, 不超过上年; ≥上年 is not), else the words of the
    target and the actual (成本, 投诉 …)."""
    op = targets.reference_op(target) if isinstance(target, str) else None
    if op is not None:
        return op in (Op.LE, Op.LT)
    return _reverse_hint(norm_text(target), actual)


def _reverse_hint(*texts: object) -> bool:
    pattern = _VOCAB.pattern("reverse_hints")
    return pattern is not None and any(
        isinstance(t, str) and t and pattern.search(t) for t in texts
    )


def direction_of(
    measure: Measure, name: object = "", override: str | None = None, group: object = ""
) -> str:
    """Direction of a quantitative target: override, else its comparison (a
    bare 0 is “= 0”), else the indicator name (成本, 控制率 … are reverse), else the group's name for
    an amount of money (成本指标 / 产出成本: a ceiling), else positive."""
    if not isinstance(measure, Measure):
        raise ScoringError("direction_of 需要一个指标值的度量（targets.Measure）")
    if override in (POSITIVE, REVERSE, EQUAL):
        return override
    op = measure.op
    if op in _UP_OPS:
        return POSITIVE
    if op in _DOWN_OPS:
        return REVERSE
    if op == Op.EQ:
        return EQUAL
    if op is None and measure.value == 0 and measure.upper is None:
        return EQUAL  # 0起, 0次: none at all, as 零事故 (“≥ 0” would always be met)
    if _reverse_hint(_name_text(name), measure.label):
        return REVERSE
    if group and _reverse_hint(_name_text(group)) and measure.base()[1] == "元":
        return REVERSE
    return POSITIVE


def completion(
    target: Measure, actual: object, direction: str, reverse_rule: str = "ratio"
) -> Decimal:
    """Fraction of the weight earned (0..1) for one quantitative target."""
    if not isinstance(target, Measure):
        raise ScoringError("completion 需要一个指标值的度量（targets.Measure）")
    b = to_decimal(actual)
    if b is None:
        raise ScoringError("缺少实际完成值")
    return _completion(target.base()[0], b, direction, reverse_rule, "ratio")[0]


def _clamp01(x: Decimal) -> Decimal:
    return ZERO if x < 0 else ONE if x > ONE else x


def _completion(
    a: Decimal, b: Decimal, direction: str, reverse_rule: str, equal_rule: str
) -> tuple[Decimal, str]:
    """(fraction of the weight, how) for a target amount *a* and actual *b*,
    both in base units."""
    if direction == EQUAL and equal_rule == "vendor":
        if a == 0:
            if b <= 0:
                return ONE, "指标值为 0，完成值不大于 0：满分"
            return ZERO, "指标值为 0，完成值大于 0：不得分"
        direction = POSITIVE  # the platform scores "= A" (A > 0) as "≥ A"
    if direction == POSITIVE:
        if b >= a:
            return ONE, "完成指标值：满分"
        if a <= 0:
            return ZERO, "未完成指标值：不得分"
        return _clamp01(b / a), f"按完成比例：完成值 {_plain(b)} ÷ 指标值 {_plain(a)}"
    if direction == REVERSE:
        if b <= a:
            return ONE, "反向指标，完成值不超过指标值：满分"
        if reverse_rule == "vendor":
            if a <= 0 or b >= TWO * a:
                return ZERO, "反向指标，完成值达到指标值 2 倍及以上：不得分"
            sa, sb = _plain(a), _plain(b)
            return (
                _clamp01(ONE - (b - a) / a),
                f"反向指标（平台公式）：1 − (完成值 {sb} − 指标值 {sa}) ÷ 指标值 {sa}",
            )
        if b > 0:
            return _clamp01(a / b), f"反向指标：指标值 {_plain(a)} ÷ 完成值 {_plain(b)}"
        return ZERO, "反向指标：不得分"
    # equal (ratio)
    if b == a:
        return ONE, "等于指标值：满分"
    if a == 0:
        return (ONE, "指标值为 0，完成值不大于 0：满分") if b <= 0 else (ZERO, "指标值为 0：不得分")
    lo, hi = min(a, b), max(a, b)
    if hi > 0 and lo >= 0:
        return _clamp01(lo / hi), f"等于指标：较小值 {_plain(lo)} ÷ 较大值 {_plain(hi)}"
    return ZERO, "等于指标：不得分"


def norm_text(value: object) -> str:
    """A value's text without spaces and punctuation, as wordings are compared."""
    if value is None:
        return ""
    text = value if isinstance(value, str) else targets.read(value).text
    return _NORM_DROP.sub("", text)


def word_classes(text: object) -> tuple[str, ...]:
    """The vocabulary lists whose phrases occur in *text* (achievements
    removed first), in the order they are asked: not_measured, not_met, low,
    high, partly_met."""
    return _word_classes(text) if isinstance(text, str) else ()


@lru_cache(maxsize=8192)
def _word_classes(text: str) -> tuple[str, ...]:
    """:func:`word_classes`, cached: a pure function of the text."""
    rest = _VOCAB.without_achievements(_NORM_DROP.sub("", text))
    return tuple(
        name
        for name in ("not_measured", "not_met", "low", "high", "partly_met")
        if _VOCAB.search(name, rest)
    )


def says_not_measured(actual: object) -> bool:
    """The actual value says that nothing was measured (待统计, 暂无数据 …)."""
    if not isinstance(actual, str):
        return False
    return "not_measured" in _word_classes(actual)


def qualitative_level(
    target: object,
    actual: object,
    profile: Profile | str | None = None,
    reverse: bool | None = None,
) -> str:
    """达成 / 部分达成 / 未达成 from the wording of the actual value, or 未测量
    when it says nothing was measured.

    *reverse* (smaller is better) decides whether 较低 / 较高 mean 未达成; left
    None, the target's and actual's words decide (成本, 投诉 … are reverse)."""
    text = norm_text(actual)
    if text and text == norm_text(target):
        return ACHIEVED
    if profile is not None:
        phrases = _profile(profile).qual_phrases
        if phrases:
            for phrase, level in phrases.items():
                if text == _NORM_DROP.sub("", phrase):
                    return level
    classes = _word_classes(text) if text else ()
    if not classes:
        return ACHIEVED
    if "not_measured" in classes:
        return NOT_MEASURED
    if "not_met" in classes:
        return NOT_MET
    if "low" in classes or "high" in classes:
        rev = reverse if isinstance(reverse, bool) else _reverse_of(target, text)
        if ("low" in classes and not rev) or ("high" in classes and rev):
            return NOT_MET
    if "partly_met" in classes:
        return PARTLY
    return ACHIEVED


def qualitative_band(
    weight: object, level: str, profile: Profile | str | None = None
) -> tuple[Decimal, Decimal]:
    """Allowed score range for a qualitative level (MOF: 100–80 %, 80–60 %, 60–0 %).

    The upper end of 部分达成 and 未达成 is exclusive; the pair gives the ends."""
    prof = _profile(profile)
    w = to_decimal(weight) or ZERO
    if w < 0:
        raise ScoringError("分值不能为负数")
    if level == ACHIEVED:
        return round2(w * prof.qual_achieved), round2(w)
    if level == PARTLY:
        return round2(w * prof.qual_partial), round2(w * prof.qual_achieved)
    return ZERO2, round2(w * prof.qual_partial)


def band_score(
    weight: object,
    level: str,
    profile: Profile | str | None = None,
    kind: str = ScoreKind.QUALITATIVE,
    note: str = "",
) -> Score:
    """The score of a qualitative level: 达成 full marks, 部分达成 and 未达成
    the low end of their band (a hand score inside the band is acceptable)."""
    prof = _profile(profile)
    w = to_decimal(weight) or ZERO
    lo, hi = qualitative_band(w, level, prof)
    return _band(lo, hi, level, kind, note if isinstance(note, str) else "")


def _band(lo: Decimal, hi: Decimal, level: str, kind: str, note: str) -> Score:
    if level != ACHIEVED and level != PARTLY:
        level = NOT_MET
    extra, how = _band_texts(str(lo), str(hi), level)
    return Score(
        hi if level == ACHIEVED else lo,
        kind,
        (lo, hi),
        None,
        f"{note}；{extra}" if note else extra,
        level=level,
        state=ScoreState.BAND,
        how=how,
    )


@lru_cache(maxsize=1024)
def _band_texts(lo: str, hi: str, level: str) -> tuple[str, str]:
    """(note, how) of a band given by its ends as text (cached: a pure
    function of the text, and forms repeat their weights)."""
    slo, shi = _plain(Decimal(lo)), _plain(Decimal(hi))
    if level == ACHIEVED:
        return (
            "定性指标达成，记满分；可在区间内酌情评分",
            f"定性指标达成：区间 [{slo}, {shi}]，记满分",
        )
    if level == PARTLY:
        return (
            f"定性指标部分达成，按区间下限记分；可在 [{slo}, {shi}) 内手工评分",
            f"定性指标部分达成：区间 [{slo}, {shi})，按下限",
        )
    return (
        f"定性指标未达成，记 0 分；可在 [0, {shi}) 内手工评分",
        f"定性指标未达成：区间 [0, {shi})，按下限",
    )


def not_measured_score(actual: object, kind: str = ScoreKind.QUANTITATIVE) -> Score:
    """No score: the actual value says nothing was measured."""
    note = f"实际完成值“{_short(actual)}”没有实测结果，无法计分"
    return Score(None, kind, note=note, state=ScoreState.NOT_MEASURED, how="未测量：不计分")


def _pair(target: Measure, actuals: tuple[Measure, ...]) -> Decimal | None:
    """The actual amount that answers *target* (base units), or None.

    Several comparable actual measures with the same unit are added up
    ("成立1家换届1家" answers "5家" with 2)."""
    same = [m for m in actuals if targets.comparable(target, m)]
    if not same:
        return None
    if len(same) > 1:  # 12场，其中线上5场: the part is not counted again
        done = [m for m in same if not any(word in m.label for word in _ASIDE)]
        same = done or same[:1]  # 累计12场，其中线上5场: the first, the whole
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
            return labelled[0].base_as(target)
    # A unit-less target ("满意度 ≥ 九十") against "100%" compares the numbers;
    # a unit-less actual ("120" against "≥100万元") is in the target's unit.
    return same[0].base_as(target)


def indicator_score(
    target: object,
    actual: object,
    weight: object,
    direction: object = None,
    name: object = "",
    profile: Profile | str | None = None,
    group: object = "",
    year: int | None = None,
) -> Score:
    """Score of one third-level indicator (DOMAIN.md 1.4, 1.5).

    Quantitative: full marks when the target is met; in proportion when not
    (reverse targets: 指标值/完成值, or the platform formula by profile); never
    above the weight or below 0.  Several targets in one cell share the weight
    equally.  Qualitative: by the wording of the actual value, with the band a
    hand score may take.  An actual that says the target was not met (未完成,
    较低 …) gets the lowest band; one that says nothing was measured (待统计,
    暂无数据 …) gets no score (state ``not_measured``): never full marks.

    *name* (三级指标) and *group* (二级指标) hint at the direction of a target
    written without a comparison: 成本, 控制率 … in the name make it reverse;
    in the group (成本指标) only for an amount of money (35万元 under 产出成本 is
    a ceiling, "5家" under 成本指标 is a count).

    *year*: the form's year, the year of a deadline written without one
    ("12月底前" in a 2023 form is 2023-12-31: "2024年1月15日" is late).
    """
    return _indicator_score(target, actual, weight, direction, name, _profile(profile), group, year)


def _worded(
    target: object,
    actual: object,
    a: Reading,
    w: Decimal,
    prof: Profile,
    kind: str,
    reverse: bool | None,
    note: str = "",
) -> Score:
    """An actual without a number: not measured, or a qualitative band."""
    if a.kind == Kind.UNREADABLE:
        return Score(
            None,
            kind,
            note=f"实际完成值无法识别：{a.note}" if a.note else "实际完成值无法识别",
            state=ScoreState.UNREADABLE,
        )
    level = qualitative_level(target, actual, prof, reverse)
    if level == NOT_MEASURED:
        return not_measured_score(actual, kind)
    if level == ACHIEVED:
        lo, hi = round2(w * prof.qual_achieved), round2(w)
    elif level == PARTLY:
        lo, hi = round2(w * prof.qual_partial), round2(w * prof.qual_achieved)
    else:
        lo, hi = ZERO2, round2(w * prof.qual_partial)
    return _band(lo, hi, level, ScoreKind.QUALITATIVE, note)


def _indicator_score(
    target: object,
    actual: object,
    weight: object,
    direction: object,
    name: object,
    prof: Profile,
    group: object = "",
    year: int | None = None,
) -> Score:
    w = to_decimal(weight)
    if w is None:
        return Score(None, ScoreKind.EMPTY, note="缺少分值", state=ScoreState.EMPTY)
    if w < 0:
        raise ScoringError("分值不能为负数")
    t = targets.read(target)
    a = targets.read(actual)
    if w == 0:
        return Score(
            ZERO2,
            ScoreKind.NOT_APPLICABLE,
            (ZERO, ZERO),
            note="分值为 0，不计分",
            state=ScoreState.NOT_APPLICABLE,
            how="分值为 0，不计入总分",
        )
    if Kind.NOT_APPLICABLE in (t.kind, a.kind):
        return Score(
            None,
            ScoreKind.NOT_APPLICABLE,
            note="指标不适用，但分值不为 0",
            state=ScoreState.NOT_APPLICABLE,
        )
    if a.kind == Kind.EMPTY:
        return Score(None, ScoreKind.EMPTY, note="缺少实际完成值", state=ScoreState.EMPTY)
    if t.kind == Kind.UNREADABLE:
        return Score(
            None,
            ScoreKind.UNREADABLE,
            note=f"年度指标值无法识别：{t.note}",
            state=ScoreState.UNREADABLE,
        )
    override = parse_direction(direction)
    name_text = _name_text(name)
    group_text = _name_text(group)

    if t.kind == Kind.QUANTITATIVE and t.measures:
        if a.kind != Kind.QUANTITATIVE or not a.measures:
            reverse = direction_of(t.measures[0], name_text, override, group_text) == REVERSE
            return _worded(
                target,
                actual,
                a,
                w,
                prof,
                ScoreKind.QUANTITATIVE,
                reverse,
                note="实际完成值没有数值，按定性判断",
            )
        return _quantitative(t, a, w, override, name_text, prof, group_text)

    if t.kind == Kind.DEADLINE and t.deadline:
        if a.kind == Kind.DEADLINE and a.deadline:
            met = _deadline_met(t, a, year)
            if met is not None:
                level = ACHIEVED if met else NOT_MET
                lo, hi = qualitative_band(w, level, prof)
                value = round2(w) if met else lo
                return Score(
                    value,
                    ScoreKind.DEADLINE,
                    (lo, hi),
                    None,
                    "" if met else "晚于完成时限",
                    level=level,
                    state=ScoreState.BAND,
                    how="在完成时限内：满分" if met else "晚于完成时限：按未达成档下限",
                )
        return _worded(target, actual, a, w, prof, ScoreKind.DEADLINE, None)

    reverse = _reverse_hint(name_text) or None
    return _worded(target, actual, a, w, prof, ScoreKind.QUALITATIVE, reverse)


def _quantitative(
    t: Reading,
    a: Reading,
    w: Decimal,
    override: str | None,
    name: str,
    prof: Profile,
    group: str = "",
) -> Score:
    fractions: list[Decimal] = []
    ratios: list[Decimal] = []
    hows: list[str] = []
    read_as: list[str] = []
    over = False
    for tm in t.measures:
        b = _pair(tm, a.measures)
        if b is None:
            return Score(
                None,
                ScoreKind.MISMATCH,
                note=f"实际完成值（{a.describe()}）与指标值（{t.describe()}）单位不一致，无法比较",
                state=ScoreState.MISMATCH,
            )
        d = direction_of(tm, name, override, group)
        av, _ = tm.base()
        typed = _typed_percent(tm, a.measures, b, d)
        if typed is not None:
            read_as.append(f"{_plain(typed)}%")
            b = typed
        fraction, how = _completion(av, b, d, prof.reverse, prof.equal)
        fractions.append(fraction)
        hows.append(
            how if typed is None else f"完成值 {_plain(b / HUNDRED)} 即 {_plain(b)}%，{how}"
        )
        up = d == POSITIVE or (d == EQUAL and prof.equal == "vendor")
        if up and av > 0:
            ratio = b / av
            ratios.append(ratio)
            if ratio >= prof.over_ratio:
                over = True
    fraction = sum(fractions, ZERO) / len(fractions)
    value = round2(w * fraction)
    how = "；".join(hows)
    if len(fractions) > 1:
        how = f"{len(fractions)} 项目标平均：{how}"
    if fraction < ONE:
        how += f"，{fmt(w)} × {fmt(fraction * HUNDRED)}%"
    note = ""
    over_pct = fmt(prof.over_ratio * 100) if over else ""
    if over and prof.over_action == "deduct":
        value = round2(max(ZERO, value - prof.over_deduct))
        note = f"完成值超过指标值 {over_pct}% 以上，按规则扣 {fmt(prof.over_deduct)} 分"
        how += f"；完成值达到指标值的 {over_pct}% 及以上（偏离），扣 {fmt(prof.over_deduct)} 分"
    elif over:
        note = f"完成值达到指标值的 {over_pct}% 以上，应分析原因（指标值是否偏低）"
    if fraction < ONE and not note:
        note = "未完成指标值，按完成比例记分"
    ratio = min(ratios) if ratios else None
    return Score(
        value,
        ScoreKind.QUANTITATIVE,
        (value, value),
        ratio,
        note,
        over,
        state=ScoreState.SCORED,
        how=how,
        actual_as="、".join(read_as),
    )


# A typed "96%" is kept by Excel as the number 0.96 (shown 96% by its format);
# a UDF, an .xls, a copy without its number formats hand over 0.96.
PERCENT_AS_FRACTION_MAX = Decimal("1.5")


def _typed_percent(
    target: Measure, actuals: tuple[Measure, ...], actual: Decimal, direction: str
) -> Decimal | None:
    """The percentage a bare number stands for, or None to read it as written:
    a lone number in (0, 1.5] against a percentage above 1.5 % that is to be
    reached (≥ 95 %, 100 %, = 98 %) is that share (0.96 -> 96 %), since
    0.96 % of a 95 % target is no one's meaning.  A ceiling (≤ 5 %) is left as
    written: there a small number is no sign of a fraction."""
    if (
        target.unit != "%"
        or direction == REVERSE
        or len(actuals) != 1
        or actuals[0].unit
        or actuals[0].op is not None
        or target.value <= PERCENT_AS_FRACTION_MAX
        or not ZERO < actual <= PERCENT_AS_FRACTION_MAX
    ):
        return None
    return actual * HUNDRED


def _deadline_met(t: Reading, a: Reading, year: int | None = None) -> bool | None:
    td, ad = t.deadline, a.deadline
    if td is None or ad is None:
        return None
    ty = td.year if td.year is not None else year if year is not None else ad.year
    ay = ad.year if ad.year is not None else ty
    if ad.day is None and td.day is not None and (ay, ad.month) == (ty, td.month):
        return None  # done "in June" against "by 30 June": the day decides, and is not said
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
        return ZERO2
    gap = (bench - a) if direction != REVERSE else (a - bench)
    if gap <= 0:
        return round2(w)
    steps = _steps(gap / s, mode)
    return round2(max(ZERO, w - steps * p))


# --------------------------------------------------------------------------
# Totals and grades
# --------------------------------------------------------------------------


def _cells(values: object) -> Iterator[object]:
    """The cells of *values*: nested lists and tuples flattened, one value as itself."""
    if isinstance(values, (list, tuple)):
        for v in values:
            yield from _cells(v)
    elif values is None or isinstance(values, (str, bytes, int, float, Decimal)):
        yield values
    elif isinstance(values, Iterable) and not isinstance(values, dict):
        for v in values:
            yield from _cells(v)
    else:
        yield values


def is_not_applicable_text(value: object) -> bool:
    """A cell text that marks an unused row (不适用, —, 无 …: the vocabulary)."""
    return isinstance(value, str) and value.strip().lower() in _VOCAB.not_applicable


def total(values: Iterable[object]) -> Decimal:
    """Sum of the numbers among *values*, half-up 2 dp (DOMAIN.md 1.4: an
    indicator 不适用 is excluded).

    Blanks and the texts of unused rows (不适用, —, 无) are left out.  A cell
    holding the message of a row without a score (:data:`UNSCORED_MARK`)
    raises :class:`UnscoredRows` naming the rows; other text raises
    :class:`NotANumber`."""
    acc = ZERO
    missing: list[str] = []
    for v in _cells(values):
        if isinstance(v, str):
            text = v.strip()
            if not text or is_not_applicable_text(text):
                continue
            if text.startswith(UNSCORED_MARK):
                missing.append(text[len(UNSCORED_MARK) :])
                continue
        d = to_decimal(v)
        if d is not None:
            acc += d
    if missing:
        raise UnscoredRows(missing)
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
    """绩效等级 by the profile's bands (MOF: 优 ≥90, 良 ≥80, 中 ≥60, 差;
    ``grades.strict``: 优 > 90 …)."""
    t = to_decimal(total_score)
    if t is None:
        raise NotANumber("", "缺少总分")
    return _profile(profile).grade(t)


def score_inflation(score_sum: object, weight_sum: object, exec_rate: object) -> Decimal | None:
    """The platform's 自评预警 "分数虚高" figure (DOMAIN.md §8.1):
    (Σ指标得分/Σ指标分值 − 执行率) / (Σ指标得分/Σ指标分值), unrounded.

    *exec_rate* is a fraction (0.85), as the platform computes it: Σ全年执行数 /
    Σ全年预算数, not capped.  None when a figure is missing or the indicators
    score 0.  The platform warns when the figure exceeds the profile's
    ``warnings.inflated`` (5 %): see :func:`is_inflated`."""
    s, w, r = to_decimal(score_sum), to_decimal(weight_sum), to_decimal(exec_rate)
    if s is None or w is None or r is None or w <= 0 or s <= 0:
        return None
    achieved = s / w
    return (achieved - r) / achieved


def is_inflated(figure: object, profile: Profile | str | None = None) -> bool:
    """The 分数虚高 figure exceeds the profile's threshold (``warnings.inflated``)."""
    f = to_decimal(figure)
    return f is not None and f > _profile(profile).warnings.inflated


def block_subtotals(rows: Iterable[tuple[str, object]]) -> dict[str, Decimal]:
    """First-level label -> sum of its scores (labels kept in first-seen order)."""
    out: dict[str, Decimal] = {}
    if not isinstance(rows, Iterable) or isinstance(rows, (str, bytes)):
        raise ScoringError("block_subtotals 需要（一级指标, 得分）的列表")
    for row in rows:
        if not isinstance(row, (list, tuple)) or len(row) != 2:
            raise ScoringError("block_subtotals 需要（一级指标, 得分）的列表")
        label, value = row
        d = to_decimal(value)
        key = label if isinstance(label, str) else _name_text(label)
        out[key] = out.get(key, ZERO) + (d or ZERO)
    return {k: round2(v) for k, v in out.items()}


def scale_block(score: object, block_points: object, label_weight: object) -> Decimal | None:
    """Scale a block whose rows sum to *block_points* to its labelled weight
    (a block labelled 80 分 holding 100 points: 90 -> 72)."""
    s, bp, lw = to_decimal(score), to_decimal(block_points), to_decimal(label_weight)
    if s is None or not bp or lw is None:
        return None
    return round2(s * lw / bp)
