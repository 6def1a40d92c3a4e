"""Reading written 评分标准 (scoring rules of an evaluation indicator system).

Three shapes cover the rules of real evaluation reports (seed 004 附件1):

* :class:`DeductRule` — 「≥8次得6分，完成情况每下降1次，扣2分，扣完为止」,
  「执行率每降低1%扣0.1分」, 「每降低1%，扣减权重分值的3%，低于60%不得分」;
* :class:`ThresholdRule` — 「未发生超预算的情况得2分，发生超预算的情况该项不得分」;
* :class:`ChecklistRule` — 「①…②…③… 以上三项各占1/3权重分」, 「每项占权重的1/5」,
  「①…得1分 ②…得1分 ③…得1分」, 「缺②扣权重30%，缺③扣权重30%；如不符合①得0分」.

``parse_rule`` returns None for text it does not recognise: the caller then
falls back to comparing the actual value with the 标杆值.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from . import targets
from .numbers import HUNDRED, ZERO, fmt, round2, to_decimal
from .scoring import NOT_MET_WORDS, POSITIVE, REVERSE, deduct_score, qualitative_level
from .targets import Kind, Measure, Op

CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩"
_NUM = r"(\d+(?:\.\d+)?)"
_UNIT = r"(%|％|个百分点|次|期|个|家|项|人次|人|天|日|分)?"

_DEDUCT = re.compile(
    r"每(?P<dir>下降|降低|减少|低于|少|超过|超出|增加|高于|多)\s*(?P<step>\d+(?:\.\d+)?)\s*"
    r"(?P<unit>%|％|个百分点|次|期|个|家|项|人次|人|天|日|分)?"
    r"[^，,；;。]*?[，,]?\s*(?:扣减|扣除|扣)\s*(?P<of>权重分值的|权重分的|权重的|权重)?\s*"
    r"(?P<per>\d+(?:\.\d+)?)\s*(?P<pu>%|％|分)?"
)
_ZERO_BELOW = re.compile(
    r"(?:低于|不足|少于)\s*" + _NUM + r"\s*(%|％)?\s*(?:的)?\s*(?:不得分|得0分|得 0 分|不计分)"
)
_FULL = re.compile(
    r"(?:≥|>=|达到|不低于|不少于)?\s*"
    + _NUM
    + r"\s*(%|％|次|期|个|家|项|人次|人)?\s*(?:及以上)?\s*得\s*"
    + _NUM
    + r"\s*分"
)
_THRESHOLD = re.compile(
    r"(?:发生|出现|存在)[^，,；;。]{0,12}(?:的情况)?[^，,；;。]{0,6}(?:该项)?\s*(?:不得分|得0分|该项不得分)"
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


@dataclass(frozen=True)
class Rule:
    text: str

    def score(self, actual: object, weight: object, benchmark: object = None) -> Decimal | None:
        raise NotImplementedError

    def max_points(self, weight: object) -> Decimal | None:
        """Most points the rule can give (the weight, unless items carry points)."""
        return to_decimal(weight)

    def describe(self) -> str:
        raise NotImplementedError


def _measure_of(value: object) -> Measure | None:
    reading = targets.read(value)
    if reading.kind == Kind.QUANTITATIVE and reading.measures:
        return reading.measures[0]
    return None


def _restates(actual: object, benchmark: object) -> bool:
    a = re.sub(r"\s", "", str(actual or ""))
    b = re.sub(r"\s", "", str(benchmark or ""))
    return bool(a) and a == b


@dataclass(frozen=True)
class DeductRule(Rule):
    step: Decimal = Decimal(1)
    per_step: Decimal = Decimal(0)  # points, or share of weight when per_step_of_weight
    per_step_of_weight: bool = False
    direction: str = POSITIVE
    benchmark: Decimal | None = None  # from the rule text, in the rule's unit
    unit: str = ""
    zero_below: Decimal | None = None

    def points_per_step(self, weight: Decimal) -> Decimal:
        return weight * self.per_step / HUNDRED if self.per_step_of_weight else self.per_step

    def score(self, actual, weight, benchmark=None):
        w = to_decimal(weight)
        if w is None:
            return None
        m = _measure_of(actual)
        if m is None:
            # A worded actual cannot be measured against a numeric benchmark
            # (「满意度≥90%」 vs 「开展了问卷调查」): not derivable.
            if self.benchmark is not None or _measure_of(benchmark) is not None:
                return None
            # "有效" against 标杆值 "有效": the rule's deductions never start.
            if actual not in (None, "") and (
                _restates(actual, benchmark) or qualitative_level(benchmark, actual) == "达成"
            ):
                return round2(w)
            return None
        bench = self.benchmark
        if bench is None:
            bm = _measure_of(benchmark)
            bench = bm.value if bm is not None else None
        if bench is None:
            return None
        zb = self.zero_below
        return deduct_score(
            m.value,
            bench,
            w,
            self.step,
            self.points_per_step(w),
            zb,
            self.direction,
        )

    def describe(self):
        per = (
            f"权重的{fmt(self.per_step)}%" if self.per_step_of_weight else f"{fmt(self.per_step)}分"
        )
        way = "降低" if self.direction == POSITIVE else "超过"
        head = f"标杆 {fmt(self.benchmark)}{self.unit}，" if self.benchmark is not None else ""
        tail = (
            f"，低于{fmt(self.zero_below)}{self.unit}不得分" if self.zero_below is not None else ""
        )
        return f"{head}每{way}{fmt(self.step)}{self.unit}扣{per}，扣完为止{tail}"


@dataclass(frozen=True)
class ThresholdRule(Rule):
    """All or nothing: full marks when the 标杆值 is met, else 0."""

    def score(self, actual, weight, benchmark=None):
        w = to_decimal(weight)
        if w is None:
            return None
        bm = _measure_of(benchmark)
        am = _measure_of(actual)
        if bm is None or am is None:
            if actual not in (None, "") and _restates(actual, benchmark):
                return round2(w)
            return None
        a, _ = am.base()
        b, _ = bm.base()
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
        text = str(actual or "")
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
        text = str(actual or "")
        missing = self.missing_items(actual)
        if missing is None:
            if any(word in text for word in _FULL_WORDS) or _restates(actual, benchmark):
                return round2(full)
            if (
                text
                and qualitative_level(benchmark, actual) == "达成"
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


def parse_rule(text: object) -> Rule | None:
    """Read a written 评分标准; None when the text is not one of the known shapes."""
    if text is None:
        return None
    raw = str(text)
    t = re.sub(r"\s+", "", raw.replace("％", "%"))
    if not t:
        return None

    m = _DEDUCT.search(t)
    if m:
        step = Decimal(m.group("step"))
        unit = (m.group("unit") or "").replace("个百分点", "%")
        per = Decimal(m.group("per"))
        # 「扣减权重分值的3%」 / 「扣1%权重分」: a share of the weight, not points
        of_weight = m.group("pu") == "%"
        direction = (
            REVERSE if m.group("dir") in ("超过", "超出", "增加", "高于", "多") else POSITIVE
        )
        bench = None
        full = _FULL.search(t)
        if full:
            bench = Decimal(full.group(1))
            unit = unit or (full.group(2) or "")
        elif "完全匹配" in t or "执行率" in t:
            bench = HUNDRED
            unit = unit or "%"
        zb = _ZERO_BELOW.search(t)
        return DeductRule(
            text=raw,
            step=step,
            per_step=per,
            per_step_of_weight=of_weight,
            direction=direction,
            benchmark=bench,
            unit=unit,
            zero_below=Decimal(zb.group(1)) if zb else None,
        )

    items = _items_in(t)
    if len(items) >= 2:
        pts = _ITEM_POINTS.findall(t)
        if len(pts) == len(items) and {p[0] for p in pts} == set(items):
            by_item = {i: Decimal(p) for i, p in pts}
            return ChecklistRule(text=raw, items=items, points=tuple(by_item[i] for i in items))
        deductions = {i: Decimal(v) / HUNDRED for i, v in _MISSING_DEDUCT.findall(t)}
        critical = tuple(dict.fromkeys(_CRITICAL.findall(t)))
        if deductions or critical:
            return ChecklistRule(text=raw, items=items, deductions=deductions, critical=critical)
        perc = _EACH_PERCENT.findall(t)
        if perc and len(perc) == len(items):
            by_item = {i: Decimal(v) / HUNDRED for i, v in perc}
            return ChecklistRule(text=raw, items=items, shares=tuple(by_item[i] for i in items))
        frac = _EACH_FRACTION.search(t)
        if frac or "每项" in t or "各占" in t or len(items) >= 2:
            n = len(items)
            if frac and int(frac.group(1)) > 0:
                share = Decimal(frac.group(1)) / Decimal(frac.group(2))
            else:
                share = Decimal(1) / Decimal(n)
            return ChecklistRule(text=raw, items=items, shares=tuple(share for _ in items))

    if _THRESHOLD.search(t):
        return ThresholdRule(text=raw)
    return None


EXEC_ROW_NAMES = ("预算执行率", "资金执行率", "执行率", "资金支付率", "预算执行进度")


def is_exec_row(name: str) -> bool:
    """The execution-rate row of an evaluation table (预算执行率, 资金执行率 …)."""
    text = str(name or "")
    return any(word in text for word in EXEC_ROW_NAMES)


def rule_score(
    rule_text: object, actual: object, weight: object, benchmark: object = None
) -> Decimal | None:
    """Score by a written rule; falls back to comparing with the 标杆值
    (``scoring.indicator_score``) when the rule is not recognised or cannot use
    the actual value."""
    from .scoring import indicator_score

    rule = parse_rule(rule_text)
    if rule is not None:
        value = rule.score(actual, weight, benchmark)
        if value is not None:
            return value
    if benchmark in (None, ""):
        return None
    return indicator_score(benchmark, actual, weight).value
