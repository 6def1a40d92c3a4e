"""Reading written 评分标准 (scoring rules of an evaluation indicator system).

These shapes cover the rules of real evaluation reports (seed 004 附件1) and
of the indicator systems bureaus publish:

* :class:`DeductRule` — 「≥8次得6分，完成情况每下降1次，扣2分，扣完为止」,
  「执行率每降低1%扣0.1分」, 「每降低1%，扣减权重分值的3%，低于60%不得分」
  (and :class:`ProportionalRule`, 「达到95%得满分，低于95%按比例得分」);
* :class:`DelayRule` — 「按时完成得满分，每延迟1天扣0.5分」, 「每推迟一个月扣1分」,
  and :class:`CountRule` — 「每存在一项工作未及时完成扣1%权重分」;
* :class:`BandRule` — 「满意度90%（含）以上得5分，80%（含）-90%得3分，80%以下不得分」,
  「≥95%得满分；90%-95%得80%分值；低于90%不得分」, 「达到100%得3分；达到80%得2分」;
* :class:`ThresholdRule` — 「未发生超预算的情况得2分，发生超预算的情况该项不得分」;
* :class:`WordedRule` — 「完成得满分，未完成不得分」, 「按时完成得2分，延迟完成得1分，
  未完成不得分」, 「有完善的制度得2分，否则不得分」: what each wording of the actual gets;
* 「得分=实际完成率×分值」 is a :class:`ProportionalRule` with 100 % as the level;
* :class:`ChecklistRule` — 「①…②…③… 以上三项各占1/3权重分」, 「每项占权重的1/5」,
  「①…得1分 ②…得1分 ③…得1分」, 「缺②扣权重30%，缺③扣权重30%；如不符合①得0分」.

``parse_rule`` returns None for text it does not recognise: the caller then
falls back to comparing the actual value with the 标杆值.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

from . import targets
from .numbers import HUNDRED, ZERO, NotANumber, bounded, fmt, round2, to_decimal
from .profiles import Profile, load
from .profiles.vocab import vocabulary
from .scoring import (
    ACHIEVED,
    NOT_MET,
    NOT_MET_WORDS,
    POSITIVE,
    REVERSE,
    Score,
    ScoreKind,
    ScoreState,
    ScoringError,
    band_score,
    deduct_score,
    exec_points,
    exec_rate,
    indicator_score,
    norm_text,
    not_measured_score,
    qualitative_level,
    says_not_measured,
)
from .targets import Kind, Measure, Op

CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩"
_NUM = r"(\d+(?:\.\d+)?)"
# units of count a rule steps or aims in (每少1场, 以10场为标准, ≥10篇得5分)
_COUNTS = "人次|场次|次|期|个|家|项|人|场|篇|份|户|批|所|件|条|处"
_UNIT = r"(%|％|个百分点|" + _COUNTS + r"|天|日|分)?"

# 「每降低1%扣0.1分」, 「每延迟一天，扣权重的10%」: the step, then what each step takes
_STEP = r"\s*(?P<step>\d+(?:\.\d+)?|一)"
_TAKES = (
    r"[^，,；;。]*?[，,；;]?\s*(?:扣减|扣除|扣)\s*(?P<of>权重分值的|权重分的|权重的|权重)?\s*"
    r"(?P<per>\d+(?:\.\d+)?)\s*(?P<pu>%|％|分)?"
)
_DEDUCT = re.compile(
    r"每(?P<dir>下降|降低|减少|低于|低|少|超过|超出|增加|高于|高|多)" + _STEP + r"\s*"
    r"(?P<unit>%|％|个百分点|" + _COUNTS + r"|天|日|分)?" + _TAKES
)
_DELAY = re.compile(
    r"每(?:延迟|推迟|逾期|延期|滞后|超期|拖延)(?:" + _STEP + r")?\s*"
    r"(?P<unit>个工作日|工作日|个自然日|自然日|天|日|周|个月|月)" + _TAKES
)
# 「每发现1处问题扣0.5分」, 「每发生一起安全事故扣2分」, 「出现1次投诉扣1分」
_PER_ITEM = re.compile(
    r"(?:每(?:存在|发现|出现|有|查出|发生)|(?<!未)(?<!没有)(?:发生|出现|发现|查出))"
    + _STEP
    + r"\s*(?P<unit>项|个|次|处|例|起|宗|条|件)"
    + _TAKES
)
# 「每项不符合扣0.5分」, 「每个问题扣1分」, 「每处问题扣0.5分」, 「（发生安全事故的）
# 每起扣2分」: the item is the step
_EACH_ITEM = re.compile(
    r"每(?P<step>一)?(?:(?P<unit>项|处|个|条|件|例|起)"
    r"(?:问题|不符合|不合格|未完成|未落实|未达标|差错|违规|错误|缺失)|(?P<unit2>起|次|例|宗)(?=扣))"
    + _TAKES
)
_ZERO_BELOW = re.compile(
    r"(?:低于|不足|少于)\s*" + _NUM + r"\s*(%|％)?\s*(?:的)?\s*(?:不得分|得0分|得 0 分|不计分)"
)
_FULL = re.compile(
    r"(?:≥|>=|≤|<=|达到|不低于|不少于|不超过|不高于)?\s*"
    + _NUM
    + r"\s*(%|％|"
    + _COUNTS
    + r")?\s*(?:[（(]含(?:本数)?[)）])?\s*(?:及以上|以上|以内)?"
    + r"\s*(?:的)?\s*[，,]?\s*[得计]\s*(?:满分|"
    + _NUM
    + r"\s*分)"
)
_STANDARD = re.compile(r"以\s*" + _NUM + r"\s*(%|％|" + _COUNTS + r")?\s*为(?:标准|基准|满分标准)")
_PROPORTIONAL = re.compile(
    r"(?:≥|>=|达到|不低于|不少于)?"
    + _NUM
    + r"(%|％)?(?:[（(]含(?:本数)?[)）])?(?:及以上|以上)?(?:的)?得满分[，,；;]?"
    r"(?:低于|未达到|不足|达不到|未达)[^，,；;。]{0,8}?按(?:完成)?比例(?:得分|计分|计算|折算)"
)
# 「得分=实际完成率×分值」, 「按完成率×权重计分」, 「分值×执行率」
_RATE = r"[\u4e00-\u9fff]{0,8}?(?:率|比例|满意度)"  # 完成率, 资金到位率, 满意度 …
_POINTS_OF = r"(?:该指标|该项|本指标|本项)?(?:的)?(?:指标分值|分值|权重分值|权重分|权重|满分)"
_RATE_TIMES = re.compile(
    r"(?:率|比例|满意度)[×xX*]" + _POINTS_OF + "|" + _POINTS_OF + r"[×xX*]" + _RATE
)
_THRESHOLD = re.compile(
    r"(?:发生|出现|存在)[^，,；;。]{0,12}(?:的情况)?[^，,；;。]{0,6}(?:的[，,])?(?:该项|本项)?\s*"
    r"(?:不得分|得0分|该项不得分)"
)
_ITEM_POINTS = re.compile(r"([" + CIRCLED + r"])[^" + CIRCLED + r"]*?得\s*" + _NUM + r"\s*分")
_EACH_FRACTION = re.compile(r"(?:各占|每项占|每项各占)\s*(?:权重(?:分)?的)?\s*(\d+)\s*/\s*(\d+)")
_EACH_PERCENT = re.compile(
    r"([" + CIRCLED + r"])[^" + CIRCLED + r"]*?占权重(?:分)?的\s*" + _NUM + r"\s*%"
)
_MISSING_DEDUCT = re.compile(
    r"(?:缺|不符合)\s*(["
    + CIRCLED
    + r"])\s*(?:的)?\s*(?:扣|扣除)\s*(?:权重(?:分)?(?:的)?)\s*"
    + _NUM
    + r"\s*%"
)
_CRITICAL = re.compile(
    r"(?:如|若)?\s*(?:不符合|缺少|缺)\s*([" + CIRCLED + r"])\s*(?:则)?\s*(?:得\s*0\s*分|不得分)"
)
_FULL_WORDS = ("齐全", "全部符合", "均符合", "都符合", "全部满足", "均满足")


class _OutOfRange(Exception):
    """Internal: a number in a rule text beyond the bounds of perfkit.numbers."""


def _n(text: str) -> Decimal:
    """A number written in a rule text, within the bounds a form can hold."""
    try:
        return bounded(Decimal(text))
    except (NotANumber, InvalidOperation, ValueError):
        raise _OutOfRange(text) from None


@dataclass(frozen=True)
class Rule:
    text: str

    @property
    def kind(self) -> ScoreKind:
        raise NotImplementedError

    def score(self, actual: object, weight: object, benchmark: object = None) -> Decimal | None:
        raise NotImplementedError

    def max_points(self, weight: object) -> Decimal | None:
        """Most points the rule can give (the weight, unless items carry points)."""
        return to_decimal(weight)

    def needs_number(self, benchmark: object = None) -> bool:
        """Whether the rule measures a number against a number (≥90%, ≥8次):
        a worded actual then gives no score."""
        return False

    def by_wording(self) -> bool:
        """Whether an actual in words the rule cannot use may take the
        qualitative band of its wording (not where the rule leaves it to the
        reviewer: 「…酌情扣分」)."""
        return True

    def describe(self) -> str:
        raise NotImplementedError


def _measure_of(value: object) -> Measure | None:
    reading = targets.read(value)
    if reading.kind == Kind.QUANTITATIVE and reading.measures:
        return reading.measures[0]
    return None


def _restates(actual: object, benchmark: object) -> bool:
    a = re.sub(r"\s", "", _text(actual))
    b = re.sub(r"\s", "", _text(benchmark))
    return bool(a) and a == b


def _text(value: object) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else targets.read(value).text


@dataclass(frozen=True)
class DeductRule(Rule):
    step: Decimal = Decimal(1)
    per_step: Decimal = Decimal(0)  # points, or share of weight when per_step_of_weight
    per_step_of_weight: bool = False
    direction: str = POSITIVE
    benchmark: Decimal | None = None  # from the rule text, in the rule's unit
    unit: str = ""
    zero_below: Decimal | None = None

    @property
    def kind(self) -> ScoreKind:
        return ScoreKind.RULE_DEDUCT

    def points_per_step(self, weight: object) -> Decimal:
        w = to_decimal(weight) or ZERO
        return w * self.per_step / HUNDRED if self.per_step_of_weight else self.per_step

    def needs_number(self, benchmark=None):
        return self.benchmark is not None or _measure_of(benchmark) is not None

    def score(self, actual, weight, benchmark=None):
        w = to_decimal(weight)
        if w is None:
            return None
        m = _measure_of(actual)
        if m is None:
            # A worded actual cannot be measured against a numeric benchmark
            # (「满意度≥90%」 vs 「开展了问卷调查」): not derivable.
            if self.needs_number(benchmark):
                return None
            # "有效" against 标杆值 "有效": the rule's deductions never start.
            if actual not in (None, "") and (
                _restates(actual, benchmark) or qualitative_level(benchmark, actual) == ACHIEVED
            ):
                return round2(w)
            return None
        bench = self.benchmark
        if bench is None:
            bm = _measure_of(benchmark)
            bench = bm.value if bm is not None else None
        if bench is None:
            return None
        return deduct_score(
            m.value,
            bench,
            w,
            self.step,
            self.points_per_step(w),
            self.zero_below,
            self.direction,
        )

    def per_step_text(self) -> str:
        """ "0.5分", or "权重的1%" for a share of the weight."""
        if self.per_step_of_weight:
            return f"权重的{fmt(self.per_step)}%"
        return f"{fmt(self.per_step)}分"

    def describe(self):
        per = self.per_step_text()
        way = "降低" if self.direction == POSITIVE else "超过"
        head = f"标杆 {fmt(self.benchmark)}{self.unit}，" if self.benchmark is not None else ""
        tail = (
            f"，低于{fmt(self.zero_below)}{self.unit}不得分" if self.zero_below is not None else ""
        )
        return f"{head}每{way}{fmt(self.step)}{self.unit}扣{per}，扣完为止{tail}"


@dataclass(frozen=True)
class ProportionalRule(DeductRule):
    """「合格率达到95%得满分，低于95%按比例得分」: below the level, weight ×
    actual ÷ level — a deduction of weight ÷ level per unit below it, counted
    continuously (the level is the rule's ``benchmark``)."""

    def describe(self):
        return f"达到 {fmt(self.benchmark)}{self.unit} 得满分，低于按比例得分（分值 × 实际值 ÷ {fmt(self.benchmark)}{self.unit}）"


@dataclass(frozen=True)
class _FromNone(DeductRule):
    """A deduction per unit counted from none (no delay, no item found): the
    actual is how many; subclasses read it from the actual's words."""

    direction: str = REVERSE
    benchmark: Decimal | None = ZERO

    def needs_number(self, benchmark=None):
        return True

    def _deducted(self, w: Decimal, count: Decimal) -> Decimal | None:
        return deduct_score(count, ZERO, w, self.step, self.points_per_step(w), None, REVERSE)


@dataclass(frozen=True)
class DelayRule(_FromNone):
    """「按时完成得满分，每延迟1天扣0.5分」: a deduction per unit of delay,
    counted from no delay; the actual says the delay ("延迟2个月", "逾期3天",
    a bare number in the rule's unit) or that the work was on time (按时完成)."""

    def score(self, actual, weight, benchmark=None):
        w = to_decimal(weight)
        if w is None:
            return None
        text = _text(actual)
        said = _DELAY_ACTUAL.search(text)
        m = _measure_of(actual)
        on_time = any(word in text for word in _ON_TIME)
        if said is not None:
            try:
                delay, unit = _n(said.group(1)), said.group(2)
            except _OutOfRange:
                return None  # beyond what a form holds: the reading says so elsewhere
        elif on_time and not any(word in text for word in _NOT_ON_TIME):
            return round2(w)  # 按时完成, 提前10天完成
        elif m is not None and not on_time:
            delay, unit = m.value, m.unit
        else:
            return None
        if _TIME_UNITS.get(unit, unit) not in ("", self.unit):
            return None  # 「每延迟1个月」 against "15天": not guessed
        return self._deducted(w, delay)

    def describe(self):
        step = f"{fmt(self.step)}{self.unit}"
        return f"按时完成得满分，每延迟{step}扣{self.per_step_text()}，扣完为止"


_DELAY_ACTUAL = re.compile(
    r"(?:延迟|推迟|逾期|延期|滞后|超期|拖延)\s*(\d+(?:\.\d+)?)\s*"
    r"(个工作日|工作日|个自然日|自然日|天|日|周|个月|月)"
)


@dataclass(frozen=True)
class CountRule(_FromNone):
    """「每存在一项工作未及时完成扣1%权重分」, 「每发现1处问题扣0.5分」: a deduction
    per item found, counted from none; the actual says how many ("1项未及时完成",
    a bare number) or that there were none (无, 未发现, 全部及时)."""

    def score(self, actual, weight, benchmark=None):
        w = to_decimal(weight)
        if w is None:
            return None
        m = _measure_of(actual)
        if m is None:
            if _says_none(actual) or _restates(actual, benchmark):
                return round2(w)
            return None
        if m.unit not in ("", self.unit):
            return None  # 「每发现1处」 against "2人": not guessed
        return self._deducted(w, m.value)

    def describe(self):
        return f"每{fmt(self.step)}{self.unit}扣{self.per_step_text()}，扣完为止"


# words saying no item was found ("无" and "没有" only as the whole text: 无法…)
_NONE_FOUND = (
    "未发现", "未出现", "未发生", "没有发生", "不存在", "均已", "全部及时", "全部按时", "无问题", "没有问题",
    "全部符合", "均符合", "全部合格", "均合格",
)  # fmt: skip


def _says_none(actual: object) -> bool:
    """The actual says no item or event was found (无, 未发现, 未发生 …)."""
    text = _text(actual).strip()
    return text in ("无", "没有") or any(word in text for word in _NONE_FOUND)


_ON_TIME = ("按时", "按期", "如期", "准时", "提前", "未延迟", "无延迟", "未逾期", "无逾期")
_NOT_ON_TIME = ("未按", "没有按", "未能按", "不按", "未如期", "未能如期")
_TIME_UNITS = {"日": "天", "个自然日": "天", "自然日": "天", "月": "个月", "工作日": "个工作日"}


@dataclass(frozen=True)
class ThresholdRule(Rule):
    """All or nothing: full marks when the 标杆值 is met, else 0."""

    @property
    def kind(self) -> ScoreKind:
        return ScoreKind.RULE_THRESHOLD

    def needs_number(self, benchmark=None):
        return _measure_of(benchmark) is not None

    def score(self, actual, weight, benchmark=None):
        w = to_decimal(weight)
        if w is None:
            return None
        bm = _measure_of(benchmark)
        am = _measure_of(actual)
        if bm is None and benchmark in (None, ""):
            # 「发生安全事故的，该项不得分」 without a 标杆值: the event or none
            if _says_none(actual):
                return round2(w)
            if am is not None and am.op is None:
                return round2(w) if am.value == 0 else round2(ZERO)
            return None
        if bm is None or am is None:
            if actual not in (None, "") and _restates(actual, benchmark):
                return round2(w)
            return None
        a, b = am.base_as(bm), bm.base()[0]
        op = bm.op or Op.GE
        met = {
            Op.GE: a >= b,
            Op.GT: a > b,
            Op.LE: a <= b,
            Op.LT: a < b,
            Op.EQ: a == b,
            Op.RANGE: a >= b,
        }[op]
        return round2(w) if met else round2(ZERO)

    def describe(self):
        return "达到标杆值得满分，否则不得分"


_NEGATORS = ("未", "不", "没", "无", "非")


def _holds(text: str, words: str) -> bool:
    """Whether *text* holds *words* other than right after a negator (未按时完成
    does not hold 按时完成; 未完成 holds itself)."""
    at = text.find(words)
    while at > 0 and text[at - 1] in _NEGATORS and not words.startswith(_NEGATORS):
        at = text.find(words, at + 1)
    return at >= 0


_NO = ("否", "没有", "未", "没", "不是", "不")  # a whole actual that answers no


@dataclass(frozen=True)
class WordedRule(Rule):
    """What each wording of the actual gets: 「按时完成得2分，延迟完成得1分，
    未完成不得分」.  The longest wording the actual holds decides (延迟完成, not
    完成); one it holds after 未 / 不 / 没有 is not held (未按时完成); 否则 / 其余
    is what an actual saying the opposite gets (未完成, 没有).  「酌情扣分」 and an
    actual with a number, or in words the rule does not use, are left to the
    reviewer (None); full marks also need the actual's wording to be 达成
    (基本完成 is not)."""

    phrases: tuple[tuple[str, Decimal | None, Decimal], ...] = ()  # (words, points, share)
    rest: tuple[Decimal | None, Decimal] | None = None  # 否则 …
    discretionary: bool = False  # a clause 「…酌情扣分」

    @property
    def kind(self) -> ScoreKind:
        return ScoreKind.RULE_BAND

    def by_wording(self) -> bool:
        return not self.discretionary

    def _points(self, points: Decimal | None, share: Decimal, w: Decimal) -> Decimal:
        if points is not None and points < 0:  # 「…扣1分」: from the weight
            return round2(max(ZERO, w + points))
        return round2(points if points is not None else w * share)

    def max_points(self, weight):
        w = to_decimal(weight)
        if w is None:
            return None
        gives = [self._points(p, sh, w) for _, p, sh in self.phrases]
        return max([*gives, w]) if any(p is None for _, p, _ in self.phrases) else max(gives)

    def score(self, actual, weight, benchmark=None):
        w = to_decimal(weight)
        reading = targets.read(actual)
        if w is None or reading.kind is not Kind.QUALITATIVE:
            return None  # a number (完成90%) or nothing: for the reviewer
        text = norm_text(reading.text)
        if not text:
            return None
        held = [
            (len(words), points, share)
            for words, points, share in self.phrases
            if _holds(text, words)
        ]
        level = NOT_MET if text in _NO else qualitative_level(benchmark, actual)
        if held:
            _, points, share = max(held, key=lambda h: h[0])  # the longest wording
            value = self._points(points, share, w)
            if value >= (self.max_points(w) or w) and level != ACHIEVED:
                return None  # 基本完成 under 「完成得满分」
            return value
        if self.rest is not None and level == NOT_MET:
            return self._points(*self.rest, w)
        if level != ACHIEVED or self.discretionary:
            return None
        # 「有完善的制度得2分」 answered 「有」: the one wording it can be, not
        # one that holds it negated (按时完成 is not 「未按时完成的不得分」)
        within = [p for p in self.phrases if text in p[0]]
        lone = [p for p in within if _holds(p[0], text)]
        if len(lone) == 1:
            return self._points(lone[0][1], lone[0][2], w)
        if within and not lone:  # the opposite of a failure's wording: the best one
            best = max(self._points(p, sh, w) for _, p, sh in self.phrases)
            plain = [p for p in self.phrases if self._points(p[1], p[2], w) == best]
            if len(plain) == 1 and not plain[0][0].startswith(_NEGATORS):
                return best
        return None

    def describe(self):
        def gives(points: Decimal | None, share: Decimal) -> str:
            if points is not None and points < 0:
                return f"扣{fmt(-points)}分"
            if points is not None:
                return f"得{fmt(points)}分" if points else "不得分"
            return "得满分" if share == 1 else f"得分值的{fmt(share * HUNDRED)}%"

        parts = [f"{words}{gives(p, sh)}" for words, p, sh in self.phrases]
        if self.rest is not None:
            parts.append(f"否则{gives(*self.rest)}")
        if self.discretionary:
            parts.append("其余酌情评分")
        return "按表述计分：" + "；".join(parts)


_WORDED_TAKES = re.compile(r"(?:的|者)?(?:扣|扣除|扣减)(\d+(?:\.\d+)?)分$")
_DISCRETION = re.compile(r"(?:的|者)?(?:酌情|视情况|根据情况)(?:扣分|扣减|给分|得分|评分|计分)$")
_CONDITION_LEAD = re.compile(r"^(?:如|若|凡|如果)")


def _parse_worded(raw: str, t: str) -> WordedRule | None:
    """「按时完成得2分，延迟完成得1分，未完成不得分」: every clause a wording and
    what it gives (no numbers in the wordings: those are bands)."""
    phrases: list[tuple[str, Decimal | None, Decimal]] = []
    rest = None
    discretionary = False
    pending = ""  # 「项目立项符合法律法规、部门职责，得2分」: a wording cut by 、 or ，
    for clause in filter(None, re.split(r"[，,；;。、]", t)):
        if _DISCRETION.search(clause):
            discretionary = True
            continue
        gives = _BAND_GIVES.search(clause)
        takes = None if gives else _WORDED_TAKES.search(clause)
        if gives is None and takes is None:
            pending += clause
            continue
        cond = _CONDITION_LEAD.sub("", pending + clause[: (gives or takes).start()])
        pending = ""
        if not cond or re.search(r"\d", cond):
            return None
        # 「未按时完成扣1分」: the weight less 1, written as −1 points
        outcome = _band_gives(gives) if gives else (-_n(takes.group(1)), Decimal(1))
        if cond in _BAND_ELSE:
            rest = outcome
            continue
        phrases.append((norm_text(cond), *outcome))  # compared as the actual is
    if pending:
        return None  # a wording that gives nothing
    if len(phrases) < 2 and rest is None:
        return None  # 「完成得满分」, 「符合要求得满分，否则酌情扣分」: the reviewer's call
    if rest is None and all(p is not None and p > 0 for _, p, _ in phrases):
        # 「符合法律法规得1分；符合行业规划得1分；与部门职责相符得1分」: criteria
        # that add up, not wordings of one outcome
        return None
    if len({words for words, _, _ in phrases}) != len(phrases):
        return None
    return WordedRule(text=raw, phrases=tuple(phrases), rest=rest, discretionary=discretionary)


@dataclass(frozen=True)
class Band:
    """One band of a :class:`BandRule`: the actual values it holds (either
    bound may be open) and what it gives — points, or a share of the weight."""

    low: Decimal | None = None
    low_in: bool = True
    high: Decimal | None = None
    high_in: bool = False
    points: Decimal | None = None  # fixed points, else share × weight
    share: Decimal = Decimal(1)

    def holds(self, a: Decimal) -> bool:
        if self.low is not None and (a < self.low or (a == self.low and not self.low_in)):
            return False
        return not (
            self.high is not None and (a > self.high or (a == self.high and not self.high_in))
        )

    def value(self, w: Decimal) -> Decimal:
        return self.points if self.points is not None else w * self.share

    def describe(self, unit: str) -> str:
        if self.low is not None and self.low == self.high:
            where = f"={fmt(self.low)}{unit}"
        elif self.low is not None and self.high is not None:
            where = f"{fmt(self.low)}{unit}{'（含）' if self.low_in else ''}–{fmt(self.high)}{unit}"
            where += "（含）" if self.high_in else ""
        elif self.low is not None:
            where = f"{'≥' if self.low_in else '>'}{fmt(self.low)}{unit}"
        elif self.high is not None:
            where = f"{'≤' if self.high_in else '<'}{fmt(self.high)}{unit}"
        else:
            where = "其余"
        if self.points is not None:
            gives = "不得分" if self.points == 0 else f"得{fmt(self.points)}分"
        elif self.share == 1:
            gives = "得满分"
        else:
            gives = "不得分" if self.share == 0 else f"得分值的{fmt(self.share * HUNDRED)}%"
        return f"{where}{gives}"


@dataclass(frozen=True)
class BandRule(Rule):
    """Scores by band (分档计分): the actual falls in one of the written bands
    and gets its points or share of the weight.  Where bands written with
    "以下" and "以上" meet at one value, that value gets the better of the two
    (「80%-90%得3分，80%以下不得分」: 80 % gets 3).  An actual in no band
    gets 0 only when the text says what the rest gets (…以下不得分, 否则不得分);
    otherwise no score can be derived."""

    bands: tuple[Band, ...] = ()
    unit: str = ""

    @property
    def kind(self) -> ScoreKind:
        return ScoreKind.RULE_BAND

    def needs_number(self, benchmark=None):
        return True

    def max_points(self, weight):
        w = to_decimal(weight)
        if w is None:
            return None
        return round2(max(b.value(w) for b in self.bands))

    def score(self, actual, weight, benchmark=None):
        w = to_decimal(weight)
        m = _measure_of(actual)
        if w is None or m is None:
            return None
        if self.unit == "%" and m.unit not in ("%", ""):
            return None  # 「90%以上」 against "5次": not the rule's measure
        held = [b.value(w) for b in self.bands if b.holds(m.value)]
        return round2(max(held)) if held else None

    def describe(self):
        return "分档计分：" + "；".join(b.describe(self.unit) for b in self.bands)


@dataclass(frozen=True)
class ChecklistRule(Rule):
    """Items ①②… each worth a share of the weight or fixed points."""

    items: tuple[str, ...] = ()
    points: tuple[Decimal, ...] = ()  # fixed points per item (absolute)
    shares: tuple[Decimal, ...] = ()  # share of weight per item (fractions)
    deductions: dict[str, Decimal] = field(
        default_factory=dict
    )  # item -> share of weight lost if missing
    critical: tuple[str, ...] = ()  # missing -> 0

    @property
    def kind(self) -> ScoreKind:
        return ScoreKind.RULE_CHECKLIST

    def max_points(self, weight):
        if self.points:
            return round2(sum(self.points, ZERO))
        return to_decimal(weight)

    def _item_value(self, item: str, w: Decimal) -> Decimal:
        i = self.items.index(item)
        if self.points:
            return self.points[i]
        if self.deductions:
            return w * self.deductions.get(item, ZERO)
        if self.shares:
            return w * self.shares[i]
        return w / len(self.items)

    def missing_items(self, actual: object) -> tuple[str, ...] | None:
        """Items the actual value says are missing; None when it does not say."""
        text = _text(actual)
        if not text.strip():
            return None
        named = [c for c in text if c in CIRCLED]
        if any(w in text for w in ("缺", "不符合", "未", "没有")) and named:
            return tuple(c for c in self.items if c in named)
        if named and not any(w in text for w in NOT_MET_WORDS):
            return tuple(c for c in self.items if c not in named)
        return None

    def score(self, actual, weight, benchmark=None):
        w = to_decimal(weight)
        if w is None or not self.items:
            return None
        full = self.max_points(w) or w
        text = _text(actual)
        missing = self.missing_items(actual)
        if missing is None:
            if any(word in text for word in _FULL_WORDS) or _restates(actual, benchmark):
                return round2(full)
            if (
                text
                and qualitative_level(benchmark, actual) == ACHIEVED
                and not any(c in text for c in CIRCLED)
            ):
                return round2(full)
            return None
        if any(item in self.critical for item in missing):
            return round2(ZERO)
        lost = sum((self._item_value(i, w) for i in missing), ZERO)
        return round2(max(ZERO, full - lost))

    def describe(self):
        if self.points:
            parts = "+".join(f"{i}{fmt(p)}分" for i, p in zip(self.items, self.points, strict=True))
            return f"逐项计分：{parts}"
        if self.deductions:
            parts = "，".join(f"缺{i}扣权重{fmt(v * 100)}%" for i, v in self.deductions.items())
            crit = f"；不符合{''.join(self.critical)}得0分" if self.critical else ""
            return f"齐全得满分，{parts}{crit}"
        return f"{len(self.items)}项各占权重的1/{len(self.items)}"


def _items_in(text: str) -> tuple[str, ...]:
    seen: list[str] = []
    for c in text:
        if c in CIRCLED and c not in seen:
            seen.append(c)
    return tuple(sorted(seen, key=CIRCLED.index))


# -- 分档计分 ----------------------------------------------------------------
_B_NUM = _NUM + r"\s*(%|个百分点|次|期|个|家|项|人次|人|天|日)?"
_B_INCL = r"(?:[（(]含(?:本数)?[)）])"
_BAND_GIVES = re.compile(
    r"(?:(?:的|者)?(?:可)?[得计]\s*(?:"
    r"(?P<full>满分|全部分值|全部分数)"
    r"|(?P<half>一半|半数)(?:的)?(?:分值|分数|权重分|分)?"
    r"|(?:分值|权重分值|权重分|权重|分数)的\s*(?P<share1>\d+(?:\.\d+)?)\s*%"
    r"|(?P<share2>\d+(?:\.\d+)?)\s*%\s*(?:的)?\s*(?:分值|权重分值|权重分|权重|分数|分)"
    r"|(?P<points>\d+(?:\.\d+)?)\s*分)"
    r"|(?P<zero>(?:该项|该指标)?(?:不得分|不计分)))$"
)
_BAND_BETWEEN = re.compile(
    _B_NUM
    + r"\s*("
    + _B_INCL
    + r")?\s*(?:[-－—–~～]|至|到)\s*"
    + _B_NUM
    + r"\s*("
    + _B_INCL
    + r"|[（(]不含[)）])?"
)
_BAND_TWO_SIDED = re.compile(_B_NUM + r"\s*(≤|<=|<|＜)\D*?(≤|<=|<|＜)\s*" + _B_NUM)
_LOW_IN = ("≥", ">=", "达到", "不低于", "不少于", "大于等于", "大于或等于")
_LOW_OUT = (">", "＞", "大于", "高于", "超过", "超出")
_HIGH_IN = ("≤", "<=", "不超过", "不高于", "不大于", "小于等于", "小于或等于", "不多于")
_HIGH_OUT = ("<", "＜", "小于", "低于", "不足", "少于", "未达到", "达不到", "未达")
_EQUAL = ("=", "等于")
_B_OPS = sorted(_LOW_IN + _LOW_OUT + _HIGH_IN + _HIGH_OUT + _EQUAL, key=len, reverse=True)
_BAND_ONE_SIDED = re.compile(
    r"("
    + "|".join(map(re.escape, _B_OPS))
    + r")?\s*"
    + _B_NUM
    + r"\s*("
    + _B_INCL
    + r")?\s*(及以上|以上|及其以上|及以下|以下|及其以下|以内)?"
)
_BAND_ELSE = ("否则", "其余", "其他", "其它", "其他情况", "其余情况", "反之")
_BAND_ELSE_ZERO = ("未达到", "未达标", "达不到", "未完成", "不达标", "低于该值", "低于的")


def _band_gives(m: re.Match) -> tuple[Decimal | None, Decimal]:
    """(points, share) of what a clause gives."""
    if m.group("full"):
        return None, Decimal(1)
    if m.group("half"):
        return None, Decimal("0.5")
    share = m.group("share1") or m.group("share2")
    if share:
        return None, _n(share) / HUNDRED
    if m.group("points"):
        return _n(m.group("points")), Decimal(1)
    return ZERO, Decimal(1)


def _band_where(cond: str) -> tuple[Band, str] | None:
    """The band a condition (「80%（含）-90%」, 「满意度≥90%」, 「60%以下」)
    describes, with its unit; None when it names no single number range."""
    m = _BAND_TWO_SIDED.search(cond)
    if m:
        low, u1, op1, op2, high, u2 = m.groups()
        band = Band(_n(low), op1 in ("≤", "<="), _n(high), op2 in ("≤", "<="))
        return band, (u1 or u2 or "")
    m = _BAND_BETWEEN.search(cond)
    if m:
        low, u1, _, high, u2, high_mark = m.groups()
        return Band(_n(low), True, _n(high), bool(high_mark) and "不含" not in high_mark), (
            u1 or u2 or ""
        )
    found = [x for x in _BAND_ONE_SIDED.finditer(cond) if x.group(2)]
    if len(found) != 1:
        return None
    op, number, unit, incl, side = found[0].groups()
    value = _n(number)
    if op in _EQUAL:
        band = Band(low=value, high=value, high_in=True)
    elif op in _LOW_OUT:
        band = Band(low=value, low_in=False)
    elif op in _HIGH_IN or (side in ("及以下", "及其以下", "以内") or (side == "以下" and incl)):
        band = Band(high=value, high_in=True)
    elif op in _HIGH_OUT or side == "以下":
        band = Band(high=value, high_in=False)
    else:  # ≥, 达到, 以上, or the number alone (「100%得满分」)
        band = Band(low=value, low_in=True)
    return band, unit or ""


def _parse_band(raw: str, t: str) -> BandRule | None:
    """「≥95%得满分；90%-95%得80%分值；低于90%不得分」: two bands or more, each
    clause a number range and what it gives."""
    bands: list[Band] = []
    units: set[str] = set()
    rest: Band | None = None  # what the text gives any other value (否则/其余…)
    before = ""  # a clause without a value: the condition of the next (「≥90%,计5分」)
    for clause in re.split(r"[，,；;。、]", t):
        gives = _BAND_GIVES.search(clause)
        if gives is None:
            before = clause  # or words around the bands (「依据满意度调查结果」)
            continue
        cond = clause[: gives.start()] or before
        before = ""
        points, share = _band_gives(gives)
        if cond in _BAND_ELSE or (gives.group("zero") and cond in ("", *_BAND_ELSE_ZERO)):
            rest = rest or Band(points=points, share=share)
            continue
        where = _band_where(cond)
        if where is None:
            return None  # a clause in words (「按时完成得满分」): not a band rule
        band, unit = where
        bands.append(replace(band, points=points, share=share))
        if unit:
            units.add(unit.replace("个百分点", "%"))
    if len(bands) < 2 and not (bands and rest):
        return None
    if len(units) > 1 or not any(b.value(HUNDRED) > 0 for b in bands):
        return None
    if rest is not None:
        bands.append(rest)
    return BandRule(text=raw, bands=tuple(bands), unit=units.pop() if units else "")


def parse_rule(text: object) -> Rule | None:
    """Read a written 评分标准; None when the text is not one of the known
    shapes (or holds a number beyond what a form can hold)."""
    if text is None or isinstance(text, bool):
        return None
    return _parse_text(text if isinstance(text, str) else targets.read(text).text)


_SIGNS = str.maketrans({"％": "%", "≦": "≤", "≧": "≥", "＜": "<", "＞": ">", "＝": "="})


@lru_cache(maxsize=4096)
def _parse_text(raw: str) -> Rule | None:
    """:func:`parse_rule` of a text (cached: a pure function of the text, a
    Rule is frozen, and the tables of one template repeat their rules)."""
    t = re.sub(r"\s+", "", raw.translate(_SIGNS))
    if not t:
        return None
    try:
        return _parse(raw, t)
    except _OutOfRange:
        return None


def _steps(m: re.Match) -> dict[str, Any]:
    """The step and what each takes, of a _STEP … _TAKES match: 「每降低1%扣0.1分」
    is 0.1 points per 1; 「扣减权重分值的3%」 / 「扣1%权重分」 a share of the weight."""
    step = m.group("step")
    return {
        "step": Decimal(1) if step in (None, "一") else _n(step),
        "per_step": _n(m.group("per")),
        "per_step_of_weight": m.group("pu") in ("%", "％"),
    }


def _parse(raw: str, t: str) -> Rule | None:
    m = _DELAY.search(t)
    if m:
        unit = m.group("unit")
        return DelayRule(text=raw, unit=_TIME_UNITS.get(unit, unit), **_steps(m))
    m = _DEDUCT.search(t)
    if m:
        unit = (m.group("unit") or "").replace("个百分点", "%")
        direction = (
            REVERSE if m.group("dir") in ("超过", "超出", "增加", "高于", "高", "多") else POSITIVE
        )
        bench = None
        full = _FULL.search(t) or _STANDARD.search(t)
        if full:
            bench = _n(full.group(1))
            unit = unit or (full.group(2) or "")
        elif "完全匹配" in t or "执行率" in t:
            bench = HUNDRED
            unit = unit or "%"
        zb = _ZERO_BELOW.search(t)
        return DeductRule(
            text=raw,
            **_steps(m),
            direction=direction,
            benchmark=bench,
            unit=unit,
            zero_below=_n(zb.group(1)) if zb else None,
        )

    if _RATE_TIMES.search(t):
        return ProportionalRule(
            text=raw,
            step=Decimal(1),
            per_step=Decimal(1),
            per_step_of_weight=True,
            benchmark=HUNDRED,
            unit="%",
        )
    m = _PROPORTIONAL.search(t)
    if m:
        level = _n(m.group(1))
        if level > 0:
            return ProportionalRule(
                text=raw,
                step=Decimal(1),
                per_step=HUNDRED / level,
                per_step_of_weight=True,
                benchmark=level,
                unit=(m.group(2) or "").replace("％", "%"),
            )

    items = _items_in(t)
    if len(items) >= 2:
        pts = _ITEM_POINTS.findall(t)
        if len(pts) == len(items) and {p[0] for p in pts} == set(items):
            by_item = {i: _n(p) for i, p in pts}
            return ChecklistRule(text=raw, items=items, points=tuple(by_item[i] for i in items))
        deductions = {i: _n(v) / HUNDRED for i, v in _MISSING_DEDUCT.findall(t)}
        critical = tuple(dict.fromkeys(_CRITICAL.findall(t)))
        if deductions or critical:
            return ChecklistRule(text=raw, items=items, deductions=deductions, critical=critical)
        perc = _EACH_PERCENT.findall(t)
        if perc and len(perc) == len(items):
            by_item = {i: _n(v) / HUNDRED for i, v in perc}
            return ChecklistRule(text=raw, items=items, shares=tuple(by_item[i] for i in items))
        n = len(items)
        frac = _EACH_FRACTION.search(t)
        share = Decimal(1) / Decimal(n)
        if frac and _n(frac.group(1)) > 0 and _n(frac.group(2)) > 0:
            share = _n(frac.group(1)) / _n(frac.group(2))
        return ChecklistRule(text=raw, items=items, shares=tuple(share for _ in items))

    m = _PER_ITEM.search(t) or _EACH_ITEM.search(t)
    if m:
        return CountRule(text=raw, unit=m.group("unit") or m.group("unit2"), **_steps(m))
    band = _parse_band(raw, t)
    if band is not None:
        return band
    if _THRESHOLD.search(t):
        return ThresholdRule(text=raw)
    return _parse_worded(raw, t)


# --------------------------------------------------------------------------
# One 评分表 row
# --------------------------------------------------------------------------


def is_exec_row(name: object) -> bool:
    """The 预算执行率 row of an evaluation table, by its 三级指标 name
    (预算执行率, 资金执行率, 执行率, 资金支付率 …; not 政府采购执行率): the
    vocabulary's ``exec_row`` lists."""
    if not isinstance(name, str) or not name.strip():
        return False
    return _is_exec_name(name)


@lru_cache(maxsize=4096)
def _is_exec_name(name: str) -> bool:
    """:func:`is_exec_row` of a name (cached: a pure function of the text, and
    the forms of one template repeat their names)."""
    vocab = vocabulary()
    text = re.sub(r"\s+", "", name)
    return bool(vocab.search("exec_names", text)) and not vocab.search("exec_exclude", text)


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _profile(profile: object) -> Profile:
    return profile if isinstance(profile, Profile) else load(profile)


def _exec_fallback(
    actual: object, executed: object, budget: object, w: Decimal, prof: Profile, lead: str
) -> Score | None:
    """The profile's execution rule on the row's rate: the actual when it is a
    percentage, else 全年执行数 / 全年预算数."""
    rate = None
    m = _measure_of(actual)
    if m is not None and m.unit == "%":
        rate = m.value / HUNDRED
    if rate is None:
        rate = exec_rate(executed, budget)
    if rate is None or rate < 0:
        return None
    value, how = exec_points(rate, w, prof)
    return Score(
        value,
        ScoreKind.EXEC,
        (value, value),
        rate,
        state=ScoreState.SCORED,
        how=f"{lead}按评分规则“{prof.name}”的执行率算法：{how}",
    )


def _underivable(kind: str, note: str, how: str = "") -> Score:
    return Score(None, kind, note=note, state=ScoreState.UNDERIVABLE, how=how or "无法按规则计算")


def eval_score(
    rule_text: object,
    actual: object,
    weight: object,
    benchmark: object = None,
    name: object = None,
    executed: object = None,
    budget: object = None,
    profile: Profile | str | None = None,
) -> Score:
    """The score of one 评分表 row: the one answer the cell, the validator and
    the summary give.

    * The 预算执行率 row is recognised by its name (:func:`is_exec_row`); with
      its actual blank, the actual is 全年执行数 / 全年预算数 (unrounded).
    * A written 评分标准 that :func:`parse_rule` recognises is applied.
    * When it cannot use the actual: the execution row falls back to the
      profile's execution rule; a worded actual under a rule that measures no
      number (①②③ items) gets the qualitative band of its wording (部分完成 ->
      部分达成, the low end of the band); an actual that says nothing was
      measured gets no score (``not_measured``); otherwise no score can be
      derived (``underivable``: a typed score stands as submitted).
    * Without a recognised rule: the profile's execution rule for the
      execution row, else the comparison with the 标杆值
      (:func:`~perfkit.scoring.indicator_score`).
    """
    prof = _profile(profile)
    w = to_decimal(weight)
    if w is None:
        return Score(None, ScoreKind.EMPTY, note="缺少权重", state=ScoreState.EMPTY)
    if w < 0:
        raise ScoringError("权重不能为负数")
    exec_row = is_exec_row(name)
    value_in = None if _blank(actual) else actual
    lead = ""
    if exec_row and value_in is None:
        rate = exec_rate(executed, budget)
        if rate is not None:
            value_in = f"{format(rate * HUNDRED, 'f')}%"
            lead = f"执行率 {fmt(rate * HUNDRED)}%（{fmt(executed)} ÷ {fmt(budget)}）；"
    if w == 0:
        return Score(
            round2(ZERO),
            ScoreKind.NOT_APPLICABLE,
            (ZERO, ZERO),
            note="权重为 0，不计分",
            state=ScoreState.NOT_APPLICABLE,
            how="权重为 0，不计入总分",
        )
    if value_in is None:
        note = "缺少实际值（或表头的全年执行数、全年预算数）" if exec_row else "缺少实际值"
        return Score(None, ScoreKind.EMPTY, note=note, state=ScoreState.EMPTY)
    a = targets.read(value_in)
    rule = parse_rule(rule_text)
    # 「每发现1处问题扣0.5分」 and the actual "无": none found, not 不适用
    counted = isinstance(rule, CountRule) and a.text.strip() in ("无", "没有")
    if a.kind == Kind.NOT_APPLICABLE and not counted:
        return Score(
            None,
            ScoreKind.NOT_APPLICABLE,
            note="实际值为不适用，但权重不为 0",
            state=ScoreState.NOT_APPLICABLE,
        )
    worded = a.kind != Kind.QUANTITATIVE
    kind = rule.kind if rule is not None else ScoreKind.BENCHMARK
    if worded and says_not_measured(a.text):
        return not_measured_score(value_in, kind)

    if rule is not None:
        value = rule.score(value_in, w, benchmark)
        if value is not None:
            return Score(
                value,
                rule.kind,
                (value, value),
                state=ScoreState.SCORED,
                how=f"{lead}评分标准：{rule.describe()}",
            )
        if exec_row:
            score = _exec_fallback(
                value_in, executed, budget, w, prof, "评分标准无法用实际值计算，"
            )
            if score is not None:
                return score
        if a.kind == Kind.UNREADABLE:
            return Score(
                None,
                rule.kind,
                note=f"实际值无法识别：{a.note}" if a.note else "实际值无法识别",
                state=ScoreState.UNREADABLE,
            )
        if worded and not rule.needs_number(benchmark) and rule.by_wording():
            level = qualitative_level(benchmark, value_in, prof)
            band = band_score(w, level, prof, rule.kind, "评分标准无法逐项计算，按实际值的表述定档")
            return replace(band, how=f"评分标准无法逐项计算，按实际值的表述定档：{band.how}")
        shown = targets.read(value_in).text.strip()[:20]
        return _underivable(
            rule.kind,
            f"评分标准无法由实际值“{shown}”算出得分，请手工评分",
            f"评分标准“{rule.describe()}”需要可计算的实际值",
        )

    if exec_row:
        score = _exec_fallback(value_in, executed, budget, w, prof, lead)
        if score is not None:
            return score
    if _blank(benchmark):
        return _underivable(ScoreKind.BENCHMARK, "没有可识别的评分标准或标杆值，请手工评分")
    sc = indicator_score(benchmark, value_in, w, None, name, prof)
    if sc.kind in (ScoreKind.QUANTITATIVE, ScoreKind.QUALITATIVE, ScoreKind.DEADLINE):
        return replace(
            sc, kind=ScoreKind.BENCHMARK, how=f"与标杆值比较：{sc.how}" if sc.how else ""
        )
    return sc


def rule_score(
    rule_text: object, actual: object, weight: object, benchmark: object = None
) -> Decimal | None:
    """The value of :func:`eval_score` for a row of no particular name (None
    when no score can be derived)."""
    return eval_score(rule_text, actual, weight, benchmark).value
