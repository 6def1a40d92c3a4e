"""Reading the text of 年度指标值 (target) and 实际完成值 (actual) cells.

``read(value)`` turns whatever a cell holds into a :class:`Reading`: a kind
(quantitative, qualitative, deadline, not applicable, empty, unreadable), the
measures found (comparison, number, unit, the words around the number) and a
deadline.  It never raises.  The vocabulary is DOMAIN.md section 4: symbols
(≥ ≧ >= ＞ \\geq …), words (不低于 不少于 以上 达到 以内 控制在 …), ranges
("5-8 家"), Chinese numerals ("九十", handled by cn2an), units (家 个 次 期 人次
% 百分比 万元 元/人 个工作日 …), "零损失", dates ("12 月底前", "2021 年 12 月 31 日").

Text that looks numeric but cannot be read sensibly ("约≥？家", "≥", "1.2.3个")
gives ``Kind.UNREADABLE`` with a Chinese note: never a silent guess.
"""

from __future__ import annotations

import calendar
import datetime as _dt
import re
import unicodedata
import warnings
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import Enum
from functools import lru_cache

from .model import value_of
from .numbers import MAX_ABS, MAX_TEXT, WAN, NotANumber, arabic_years, bounded, to_decimal
from .profiles.vocab import vocabulary

__all__ = [
    "Deadline",
    "Kind",
    "Measure",
    "Op",
    "Reading",
    "comparable",
    "placeholder_of",
    "read",
]


class Kind(str, Enum):
    QUANTITATIVE = "quantitative"
    QUALITATIVE = "qualitative"
    DEADLINE = "deadline"
    NOT_APPLICABLE = "not_applicable"
    EMPTY = "empty"
    UNREADABLE = "unreadable"


class Op(str, Enum):
    GE = ">="
    GT = ">"
    EQ = "="
    LE = "<="
    LT = "<"
    RANGE = "range"


_SYMBOLS = {Op.GE: "≥", Op.GT: ">", Op.EQ: "=", Op.LE: "≤", Op.LT: "<", Op.RANGE: ""}

# base unit: unit -> (factor, base unit); prefixed units (万元, 万人次, 亿元 …) are derived
_BASE = {
    "万": (WAN, "元"),
    "亿": (Decimal(100000000), "元"),
    "名": (Decimal(1), "人"),
    "位": (Decimal(1), "人"),
    "场次": (Decimal(1), "场"),  # 12场次 answers ≥10场; 人次 is no number of 人
    "批次": (Decimal(1), "批"),
    "‰": (Decimal("0.1"), "%"),
    # lengths, areas, masses and durations written in other units (6 公里 vs
    # 5000 米, 1.2 吨 vs 800 千克, 1 天 vs 24 小时); 千米, 千克 come from the
    # prefix, the letters (km, m2, t, kg, h) from _UNIT_ALIASES
    "公里": (Decimal(1000), "米"),
    "厘米": (Decimal("0.01"), "米"),
    "毫米": (Decimal("0.001"), "米"),
    "平方公里": (Decimal(1000000), "平方米"),
    "公顷": (Decimal(10000), "平方米"),
    "公斤": (Decimal(1000), "克"),
    "吨": (Decimal(1000000), "克"),
    "小时": (Decimal(60), "分钟"),
    "天": (Decimal(1440), "分钟"),
    "个自然日": (Decimal(1440), "分钟"),
    "周": (Decimal(10080), "分钟"),
}
_ONE = Decimal(1)
_PER_YEAR = {
    "年": _ONE,
    "半年": Decimal(2),
    "季度": Decimal(4),
    "季": Decimal(4),
    "月": Decimal(12),
    "周": Decimal(52),
}
_RATES = ("元", "%", "美元", "港元")  # base units that are amounts or shares, not counts
_PREFIX_FACTOR = {"万": WAN, "千": Decimal(1000), "亿": Decimal(100000000)}


def _fmt(value: Decimal) -> str:
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


@lru_cache(maxsize=1024)
def _unit_factor(unit: str) -> tuple[Decimal, str]:
    """(factor, base unit) of a unit: "万元" -> (10000, "元").  Cached: scoring
    asks it of every measure it compares, from a vocabulary of a few dozen."""
    if unit in _BASE:
        return _BASE[unit]
    counted = _per_year(unit)
    if counted is not None:  # a year's form: ≥2次/年 is answered by 3次, ≥1次/季度 by 4次
        factor, base = _unit_factor(counted[0])
        return factor * counted[1], base
    if len(unit) > 1 and unit[0] in _PREFIX_FACTOR:
        rest = unit[1:]
        factor, base = _BASE.get(rest, (Decimal(1), rest))
        return _PREFIX_FACTOR[unit[0]] * factor, base
    return Decimal(1), unit


def _per_year(unit: str) -> tuple[str, Decimal] | None:
    """(what is counted, periods in a year) of a count per period: "次/季度" ->
    ("次", 4), "次/年" -> ("次", 1); None for any other unit, and for an amount
    or a share per period, which stays a rate (500元/月 is no 6000元 a year)."""
    head, slash, per = unit.rpartition("/")
    if not (slash and head and per in _PER_YEAR):
        return None
    if per != "年" and _is_rate(head):
        return None
    return head, _PER_YEAR[per]


def _is_rate(unit: str) -> bool:
    """An amount or a share (元, 万元, %, 美元 …), not a count."""
    return _unit_factor(unit)[1] in _RATES


@dataclass(frozen=True)
class Measure:
    """One number with its comparison and unit: "≥2家" -> (GE, 2, None, "家")."""

    op: Op | None  # None = no comparison written ("100%", "2家")
    value: Decimal  # lower bound for RANGE
    upper: Decimal | None  # RANGE only
    unit: str  # normalised: "%", "家", "万元", "元/人", "个工作日", "" …
    label: str = ""  # the words around the number ("活动", "杂志出版")

    def _factor(self) -> tuple[Decimal, str]:
        return _unit_factor(self.unit)

    def base(self) -> tuple[Decimal, str]:
        """Value in the base unit: 3 万 -> (30000, "元"), 2.75 万元 -> (27500, "元")."""
        factor, unit = self._factor()
        return self.value * factor, unit

    def base_as(self, other: Measure) -> Decimal:
        """The amount in base units, a number written without a unit read in
        *other*'s unit or in its base unit, whichever is nearer *other*'s
        amount: "120" against "≥100万元" is 120 万元, "6" against "≥5公里" 6
        公里, but "27500" against "≤3万" 27500 元 and "12000" against "≥1万人"
        12000 人 (the unit stands in the target; the number is the actual's)."""
        factor = other._factor()[0] if other.unit and not self.unit else _ONE
        if factor == _ONE:
            return self.base()[0]
        scaled, goal = self.value * factor, abs(other.base()[0])
        if not goal or not self.value:
            return scaled

        def off(amount: Decimal) -> Decimal:  # how many times away from the target
            amount = abs(amount)
            return max(amount / goal, goal / amount)

        return scaled if off(scaled) <= off(self.value) else self.value

    def base_upper(self) -> Decimal | None:
        """Upper bound of a range in the base unit (None when not a range)."""
        if self.upper is None:
            return None
        return self.upper * self._factor()[0]

    def symbol(self) -> str:
        """ "≥", "≤", "=", ">", "<" or "" (no comparison, or a range)."""
        return "" if self.op is None else _SYMBOLS[self.op]

    def describe(self) -> str:
        """ "≥ 90 %", "5–8 家", "100 %", "≥ 90"."""
        if self.op is Op.RANGE and self.upper is not None:
            number = f"{_fmt(self.value)}–{_fmt(self.upper)}"
        else:
            number = _fmt(self.value)
        text = " ".join(part for part in (self.symbol(), number, self.unit) if part)
        counted = _per_year(self.unit)
        if counted is not None and counted[1] != _ONE:
            # a count per period: what the year's count must be
            text += f"（全年 {_fmt(self.value * counted[1])} {counted[0]}）"
        return text


@dataclass(frozen=True)
class Deadline:
    """A completion date: "12 月底前" -> (None, 12, None, LE)."""

    year: int | None
    month: int
    day: int | None
    op: Op

    def describe(self) -> str:
        if self.year is not None:
            when = f"{self.year}-{self.month:02d}"
            if self.day is not None:
                when += f"-{self.day:02d}"
        elif self.day is not None:
            when = f"{self.month} 月 {self.day} 日"
        else:
            when = f"{self.month} 月底"
        prefix = "不早于" if self.op in (Op.GE, Op.GT) else "截止"
        return f"{prefix} {when}"


@dataclass(frozen=True)
class Reading:
    """What a target/actual cell says."""

    text: str
    kind: Kind
    measures: tuple[Measure, ...] = ()
    deadline: Deadline | None = None
    note: str = ""  # Chinese reason when UNREADABLE

    def describe(self) -> str:
        """ "≥ 90 %", "≥ 8 次；≥ 6 期", "定性", "不适用", "截止 2021-12-31", "无法识别：…"."""
        if self.kind is Kind.QUANTITATIVE:
            parts = [m.describe() for m in self.measures]
            if self.deadline is not None:
                parts.append(self.deadline.describe())
            return "；".join(parts)
        if self.kind is Kind.DEADLINE and self.deadline is not None:
            return self.deadline.describe()
        if self.kind is Kind.QUALITATIVE:
            return "定性"
        if self.kind is Kind.NOT_APPLICABLE:
            return "不适用"
        if self.kind is Kind.UNREADABLE:
            return f"无法识别：{self.note}" if self.note else "无法识别"
        return ""

    @property
    def is_constraint(self) -> bool:
        """True when a quantitative reading carries a comparison ("≤3万" as an actual)."""
        return self.kind is Kind.QUANTITATIVE and any(m.op is not None for m in self.measures)


def comparable(a: Measure, b: Measure) -> bool:
    """Same base unit (3 万 vs 27500 元), or either unit left out (False when
    either is not a Measure)."""
    if not isinstance(a, Measure) or not isinstance(b, Measure):
        return False
    if not a.unit or not b.unit:
        return True
    return a._factor()[1] == b._factor()[1]  # the base units, without the amounts


# --------------------------------------------------------------------------- vocabulary

# Whole cell texts of an unused row: the vocabulary (perfkit/vocab/words.toml).
_NOT_APPLICABLE = vocabulary().not_applicable
# what a comparison sign may be followed by instead of a number (≤预算数)
_REFERENCES = vocabulary().references

_PREFIX_OPS: list[tuple[str, Op, bool]] = sorted(
    [
        # (words, op, weak): a weak word gives way to a suffix ("达95%以上")
        ("大于或等于", Op.GE, False),
        ("大于等于", Op.GE, False),
        ("不低于", Op.GE, False),
        ("不少于", Op.GE, False),
        ("不小于", Op.GE, False),
        ("至少", Op.GE, False),
        ("达到", Op.GE, True),
        ("达", Op.GE, True),
        ("≥", Op.GE, False),
        ("大于", Op.GT, False),
        ("高于", Op.GT, False),
        ("多于", Op.GT, False),
        ("超过", Op.GT, False),
        (">", Op.GT, False),
        ("小于或等于", Op.LE, False),
        ("小于等于", Op.LE, False),
        ("不高于", Op.LE, False),
        ("不超过", Op.LE, False),
        ("不多于", Op.LE, False),
        ("不大于", Op.LE, False),
        ("控制在", Op.LE, True),
        ("最多", Op.LE, False),
        ("≤", Op.LE, False),
        ("小于", Op.LT, False),
        ("低于", Op.LT, False),
        ("少于", Op.LT, False),
        ("<", Op.LT, False),
        ("等于", Op.EQ, True),
        ("=", Op.EQ, False),
    ],
    key=lambda item: -len(item[0]),
)
_OP_SYMBOLS = "≥≤<>=≠"


def _by_last_char(ops: list[tuple[str, Op, bool]]) -> dict[str, list[tuple[str, Op, bool, bool]]]:
    """(words, op, weak, is symbol) by the last character of the words, in the
    order given: a number is mostly preceded by a character that ends no
    comparison word, and then no word needs trying."""
    table: dict[str, list[tuple[str, Op, bool, bool]]] = {}
    for words, op, weak in ops:
        table.setdefault(words[-1], []).append((words, op, weak, words in _OP_SYMBOLS))
    return table


_PREFIX_OPS_BY_LAST = _by_last_char(_PREFIX_OPS)

_SUFFIX_OPS = re.compile(r"\s*(?:\(含\)\s*)?(及以上|或以上|以上|及以下|或以下|以下|以内|之内|内)")
_SUFFIX_OP = {
    "及以上": Op.GE,
    "或以上": Op.GE,
    "以上": Op.GE,
    "及以下": Op.LE,
    "或以下": Op.LE,
    "以下": Op.LE,
    "以内": Op.LE,
    "之内": Op.LE,
    "内": Op.LE,
}
# "内" is a suffix only at the end of a phrase ("2个工作日内", "2个工作日内完成"), not "5家内资企业"
_NEI_FOLLOW = re.compile(
    r"\s*($|[\s,;.。、:)）]|完成|办结|答复|回复|处理|响应|解决|到位|落实|出具|提供|反馈)"
)

_DENOMINATORS = "人·月|人·年|人次|人|次|半年|季度|季|月|年|周|天|日|户|家|个|件|平方米|吨|小时|期|册|份|场|项|篇"
_UNITS = sorted(
    """
    个百分点 百分点 百分比 % ‰ 个工作日 工作日 个自然日 自然日 个月 小时 分钟 天 周
    万美元 美元 万港元 港元 亿元 万元 千元 元 万人次 人次 万人 人 万户 户 万家 家
    批次 场次 户次 学时 课时 个 次 期 篇 份 台 条 处 名 位 场 项 件 本 册 套 所 批 辆 张 分
    平方公里 平方米 平米 立方米 公里 千米 米 万亩 亩 公顷 万吨 吨 千克 公斤 千瓦 万 亿
    厘米 毫米 km cm mm m2 m3 m kg t h min
    """.split()
    + list(vocabulary().count_units),  # further units of count, as data (words.toml)
    key=lambda unit: -len(unit),
)
_UNIT_RE = re.compile(
    r"\s*("
    # a unit in letters ends there: 5m, not the m of 5min or 5mm
    + "|".join(re.escape(u) + ("(?![A-Za-z])" if u.isascii() else "") for u in _UNITS)
    + r")(?:\s*/\s*("
    + _DENOMINATORS
    + r"))?"
)
# units written another way -> the one perfkit shows (㎡ and m² are m2 after NFKC)
_UNIT_ALIASES = {
    "百分比": "%",
    "工作日": "个工作日",
    "百分点": "个百分点",
    "自然日": "个自然日",
    "平米": "平方米",
    "km": "公里",
    "cm": "厘米",
    "mm": "毫米",
    "千米": "公里",
    "m": "米",
    "m2": "平方米",
    "m3": "立方米",
    "kg": "千克",
    "t": "吨",
    "h": "小时",
    "min": "分钟",
}
# units a Chinese numeral may carry without a comparison ("两家", "一百二十人");
# not 个 / 项 / 分 / 米 (两个健康, 统一项目, 十分, 一米阳光)
_CN_UNITS = set(
    "家 次 期 篇 份 户 台 条 处 名 位 场 件 人 人次 批次 场次 个工作日 工作日 个月 天 小时 "
    "元 万元 亿元 千元 美元 万美元 % 百分比".split()
)

_CN_DIGITS = "零〇一二两三四五六七八九"
_CN_CHARS = _CN_DIGITS + "十百千万亿"
_NUMBER_RE = re.compile(
    r"(?P<ar>\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\d,])|\d+(?:\.\d+)?)"
    r"|(?P<cn>[" + _CN_CHARS + r"]+(?:点[" + _CN_DIGITS + r"]+)?)"
)
_MALFORMED_RE = re.compile(r"\d+(?:\.\d+){2,}|\d+\.(?!\d)\.|\d+\.\.\d+")
_RANGE_DASH = re.compile(r"\s*(?:-|~|—|–|至|到)\s*")
_SEPARATORS = ",;。、:：!?！？\n"
_ZERO_WORDS = (
    "损失 事故 投诉 差错 错误 伤亡 死亡 失误 延误 纠纷 违规 违纪 违法 污染 缺陷 舆情 上访 "
    "拖欠 欠薪 发生 安全事故 重大 漏报 漏检 遗漏 返工 积压 超支 逾期 事件 案件 风险 泄露 通报 "
    "扣分 处罚 问责 不合格"
).split()
# words that a single "一"/"二" forms with its neighbour (统一, 唯一, 第二 …): only these verbs
# and particles may stand before a bare 一/二 that counts something
_COUNT_LEAD = set("成立换届举办开展完成新增组建建成建立培育出版召开设立共计达约了为有增办建聘签")

_PLACEHOLDER_RE = re.compile(
    r"[≥≤<>=]\s*(?:[?？*＊×]|[xX]{1,3}(?![A-Za-z]))|\*\*|[?？]\s*(?:%|家|个|次|期|人|元|万)"
    r"|(?<![A-Za-z])[xX]{1,3}\s*(?:%|家|个|次|期|人|元|万)"
)
# Every placeholder holds one of these: a quick test first, as few texts do.
_PLACEHOLDER_CHAR = re.compile(r"[?？*＊×xX]")

_TAG_RE = re.compile(r"</?[A-Za-z][^<>]{0,200}>")
_LATEX = [
    (re.compile(r"\\(?:geqslant|geq|ge)(?![A-Za-z])"), "≥"),
    (re.compile(r"\\(?:leqslant|leq|le)(?![A-Za-z])"), "≤"),
    (re.compile(r"\\(?:neq|ne)(?![A-Za-z])"), "≠"),
    (re.compile(r"\\%"), "%"),
    (re.compile(r"\$"), ""),
]
_REPLACE = [
    (">=", "≥"),
    ("=>", "≥"),
    ("<=", "≤"),
    ("=<", "≤"),
    ("≧", "≥"),
    ("≦", "≤"),
    ("⩾", "≥"),
    ("⩽", "≤"),
    ("〜", "~"),
    ("∼", "~"),
    ("−", "-"),
    ("•", "·"),
    ("・", "·"),
    ("‧", "·"),
]


# Patterns used while reading one text, compiled once.
_SPACES = re.compile(r"\s+")
_LABEL_QUOTED = re.compile(r"《[^》]*》|<[^>]*>|\([^()]*\)")
_LABEL_PERIOD = re.compile(r"^(?:\d{4}年度?|一年|全年|每年|年度|本年度|本年|当年|今年)")
_LABEL_VERB = re.compile(r"^(?:举办|开展|完成|组织|出版|打造了?|实现|提供|共计)")
# 累计 stays in the label: a running total is no count of the year ([units] aside)
_LABEL_TAIL = re.compile(r"(?:共计|合计|共|约|为|是|了|的|:|：|\s)+$")
_PARENS = re.compile(r"\([^()]*\)")
_DIGIT_OR_PAREN = re.compile(r"[\d(]")
_DATE_UNIT_AFTER = re.compile(r"\s*(?:年|月|日|号|时|:\d)")
_YEAR_RANGE_AFTER = re.compile(r"\s*[-~至到]\s*\d{4}\s*年")
_APPROX_AFTER = re.compile(r"\s*(多|余)")
_INCLUSIVE_NOTE = re.compile(r"\(含[^()]*\)")
_OP_SYMBOL = re.compile("[" + _OP_SYMBOLS + "]")


# --------------------------------------------------------------------------- numerals


@lru_cache(maxsize=1024)
def _cn_value(run: str) -> Decimal | None:
    """A Chinese numeral run through cn2an ("九十" -> 90); None when it is not one.

    Cached: a call costs some 13 µs, and the same few runs ("一", "两", "九十")
    come back in many texts."""
    if not any(ch in _CN_DIGITS + "十" for ch in run):
        return None
    import cn2an  # on first use: importing it compiles regexes for 0.2 s

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            value = cn2an.cn2an(run, "normal")
        return Decimal(str(value))
    except Exception:
        return None


_CN_PERCENT = re.compile(r"百分之\s*([" + _CN_CHARS + r"点]+|\d+(?:\.\d+)?)")
_CN_MONTH = re.compile(r"(?<![" + _CN_CHARS + r"\d个])([一二三四五六七八九十]{1,3})(?=\s*月)")
_CN_DAY = re.compile(r"(?<=月)(\s*)([一二三四五六七八九十]{1,3})(?=\s*[日号])")


def _percent(match: re.Match[str]) -> str:
    number = match.group(1)
    if number[0].isdigit():
        return number + "%"
    value = _cn_value(number)
    return match.group(0) if value is None else _fmt(value) + "%"


def _month(match: re.Match[str]) -> str:
    value = _cn_value(match.group(1))
    if value is None or not 1 <= value <= 12:
        return match.group(0)
    return _fmt(value)


def _day(match: re.Match[str]) -> str:
    value = _cn_value(match.group(2))
    if value is None or not 1 <= value <= 31:
        return match.group(0)
    return match.group(1) + _fmt(value)


def _convert_dates_and_percent(text: str) -> str:
    """Chinese numerals that are plainly dates or percentages become digits.

    Each pattern needs its word (百分之, 年, 月): most texts hold none, and a
    substring test is cheaper than a pattern that finds nothing."""
    if "百分之" in text:
        text = _CN_PERCENT.sub(_percent, text.replace("百分之百", "100%"))
    text = arabic_years(text)
    if "季度" in text or "半年" in text:  # 三季度末, 2023年上半年: the last month's end
        text = _PERIOD.sub(_period_end, text)
    if "月" in text:
        text = _CN_MONTH.sub(_month, text)
        text = _CN_DAY.sub(_day, text)
    return text


_PERIOD = re.compile(
    r"(?:(?P<y>\d{4})\s*年(?:度)?\s*)?"
    r"(?:第?(?P<q>[一二三四1-4])\s*季度|(?P<h>[上下])半年)(?:末|底)?"
)
_QUARTER = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}


def _period_end(match: re.Match[str]) -> str:
    """ "三季度末" -> "9月底", "2023年上半年" -> "2023年6月底"."""
    quarter, half = match.group("q"), match.group("h")
    month = _QUARTER[quarter] * 3 if quarter else (6 if half == "上" else 12)
    year = f"{match.group('y')}年" if match.group("y") else ""
    return f"{year}{month}月底"


# --------------------------------------------------------------------------- normalising

# Any one of the _REPLACE texts: when none occurs, no replacement applies.
_REPLACE_ANY = re.compile("|".join(re.escape(old) for old, _new in _REPLACE))


def _normalise(text: str) -> str:
    if "<" in text:  # what _TAG_RE starts with
        text = _TAG_RE.sub(" ", text)
    if "\\" in text or "$" in text:  # every _LATEX pattern needs one
        for pattern, repl in _LATEX:
            text = pattern.sub(repl, text)
    text = unicodedata.normalize("NFKC", text)
    # In order: in "<=>" the first one to apply decides.
    if _REPLACE_ANY.search(text):
        for old, new in _REPLACE:
            text = text.replace(old, new)
    text = _SPACES.sub(" ", text).strip()
    return _convert_dates_and_percent(text)


_REFERENCE_OP = (
    re.compile(
        "("
        + "|".join(re.escape(words) for words, _op, _weak in _PREFIX_OPS)
        + r")\s*(?:"
        + "|".join(re.escape(w) for w in sorted(_REFERENCES, key=len, reverse=True))
        + ")"
    )
    if _REFERENCES
    else None
)
_OP_OF_WORDS = {words: op for words, op, _weak in _PREFIX_OPS}


@lru_cache(maxsize=1024)
def reference_op(text: str) -> Op | None:
    """The comparison of a target in words against a reference ("≤预算数",
    "控制在预算内", "不低于上年" -> LE, LE, GE), None when it has none: a
    qualitative target's direction (超过上年 is bad for ≤上年)."""
    if _REFERENCE_OP is None or not text:
        return None
    found = _REFERENCE_OP.search(_normalise(text))
    return _OP_OF_WORDS[found.group(1)] if found else None


# --------------------------------------------------------------------------- deadlines

_DATE_RE = re.compile(
    r"(?:(?P<y>\d{4})\s*年(?:度)?\s*)?(?P<m>\d{1,2})\s*月(?:份)?\s*"
    r"(?:(?P<d>\d{1,2})\s*(?:[日号]|(?=\s*(?:之前|以前|前|止|完成|已完成))))?"
    r"(?P<end>底|末|中旬|上旬|下旬)?"
    r"|(?P<iy>\d{4})[-/.](?P<im>\d{1,2})[-/.](?P<id>\d{1,2})(?!\d)"
    r"|(?P<ey>\d{4})\s*年(?:度)?\s*(?P<ee>底|末|内|全年)"
    r"|(?<![\d" + _CN_CHARS + r"])(?P<ye>年底|年末)"
    r"|(?P<oy>\d{4})\s*年(?:度)?"
)
# The one form of _DATE_RE without 年 or 月 ("2021-12-31")
_ISO_DATE = re.compile(r"\d{4}[-/.]\d{1,2}[-/.]\d{1,2}(?!\d)")
_DATE_AFTER = re.compile(r"\s*(之前|以前|前|止|已完成|完成|之后|以后|后|起)")
_DATE_BEFORE = re.compile(r"(截止|截至|于|在)\s*$")
_FILLER = re.compile(
    r"之前|以前|已完成|完成|截止|截至|各项工作|各项任务|全部|工作|任务|已|了|前|止|按时|在|于|[\s,;。.、:()]"
)


@dataclass
class _DateHit:
    start: int
    end: int
    deadline: Deadline | None  # None: not a valid date
    marked: bool  # 前 / 底 / 完成 / 截止 … written next to it
    weak: bool  # a year on its own


def _find_dates(text: str) -> list[_DateHit]:
    hits: list[_DateHit] = []
    if "年" not in text and "月" not in text and not _ISO_DATE.search(text):
        return hits  # the other forms of _DATE_RE need 年 or 月: most texts hold no date
    for match in _DATE_RE.finditer(text):
        g = match.groupdict()
        marked = False
        weak = False
        if g["m"] is not None:
            year = int(g["y"]) if g["y"] else None
            month, day = int(g["m"]), int(g["d"]) if g["d"] else None
            marked = g["end"] in ("底", "末")
        elif g["iy"] is not None:
            year, month, day = int(g["iy"]), int(g["im"]), int(g["id"])
        elif g["ey"] is not None:
            year, month, day = int(g["ey"]), 12, None
            marked = True
        elif g["ye"] is not None:
            year, month, day = None, 12, None
            marked = True
        else:
            year, month, day = int(g["oy"]), 12, None
            weak = True
        op = Op.LE
        after = _DATE_AFTER.match(text, match.end())
        end = match.end()
        if after and not weak:
            marked = True
            end = after.end()
            if after.group(1) in ("之后", "以后", "后", "起"):
                op = Op.GE
        if not weak and _DATE_BEFORE.search(text, 0, match.start()):
            marked = True
        hits.append(_DateHit(match.start(), end, _valid_date(year, month, day, op), marked, weak))
    return hits


def _valid_date(year: int | None, month: int, day: int | None, op: Op) -> Deadline | None:
    if not 1 <= month <= 12:
        return None
    if year is not None and not 1900 <= year <= 2200:
        return None
    if day is not None:
        last = calendar.monthrange(year or 2000, month)[1]
        if not 1 <= day <= last:
            return None
    return Deadline(year, month, day, op)


# --------------------------------------------------------------------------- measures


class _Unreadable(Exception):
    """Internal: the text cannot be read; ``args[0]`` is the Chinese note."""


def _prefix_op(text: str, start: int) -> tuple[Op | None, bool, int, bool]:
    """The comparison written right before ``start``: (op, weak, op start, is symbol)."""
    i = start
    while i > 0 and text[i - 1] == " ":
        i -= 1
    if i:
        for words, op, weak, symbol in _PREFIX_OPS_BY_LAST.get(text[i - 1], ()):
            if text.endswith(words, 0, i):
                return op, weak, i - len(words), symbol
    return None, False, start, False


def _unit_at(text: str, pos: int, chinese: bool) -> tuple[str, int]:
    """The unit written at ``pos`` (spaces allowed before it), or in brackets
    there ("10(场)"): (normalised unit, end)."""
    match = _UNIT_RE.match(text, pos)
    closing = 0
    if not match:
        bracket = _BRACKET_AT.match(text, pos)
        if not bracket:
            return "", pos
        match = _UNIT_RE.match(text, bracket.end())
        if not match or text[match.end() : match.end() + 1] != ")":
            return "", pos
        closing = 1
    unit, per = match.groups()
    unit = _UNIT_ALIASES.get(unit, unit)
    if per:
        unit = f"{unit}/{per}"
    end = match.end() + closing
    nxt = text[end : end + 1]
    if nxt == "性" or (unit in ("分", "米", "万", "亿") and _is_cjk(nxt) and nxt not in "以内"):
        return "", pos  # 一次性, 十分重要, 千万 …
    if chinese and unit not in _CN_UNITS:
        return "", pos
    return unit, end


_BRACKET_AT = re.compile(r"\s*\(")


def _is_cjk(ch: str) -> bool:
    return bool(ch) and "\u4e00" <= ch <= "\u9fff"


def _terminated(text: str, pos: int) -> bool:
    """A number without unit must end its phrase: end, space, punctuation, not 流 in 一流."""
    if pos >= len(text):
        return True
    ch = text[pos]
    return ch in " " + _SEPARATORS + ")）]】”\"'" or ch in "《“("


def _clean_label(label: str) -> str:
    if not label:
        return label  # the usual case ("≥95%"): nothing to clean
    label = _LABEL_QUOTED.sub("", label)
    label = label.strip(" ,;。、:：()（）\"“”'")
    label = _LABEL_PERIOD.sub("", label)
    label = _LABEL_VERB.sub("", label)
    if label in ("与", "和", "及", "同", "对"):
        label = ""
    label = _LABEL_TAIL.sub("", label)
    return label.strip()


def _segment_start(text: str, pos: int, floor: int) -> int:
    """Start of the phrase ending at ``pos``: after the last separator outside brackets."""
    i = pos
    depth = 0
    while i > floor:
        ch = text[i - 1]
        if ch == ")":
            depth += 1
        elif ch == "(" and depth:
            depth -= 1
        elif ch in _SEPARATORS and not depth:
            break
        i -= 1
    return i


def _following_label(text: str, pos: int) -> str:
    if pos >= len(text):
        return ""  # the number closes the text ("≥95%")
    j = pos
    while j < len(text) and text[j] not in _SEPARATORS:
        j += 1
    words = _PARENS.sub("", text[pos:j])
    words = _DIGIT_OR_PAREN.split(words, maxsplit=1)[0]
    return _clean_label(words)[:20]


def _combine(prefix: Op | None, weak: bool, suffix: Op | None) -> Op | None:
    if suffix is None:
        return prefix
    if prefix is None or weak or prefix == suffix:
        return suffix
    up = {Op.GE, Op.GT}
    down = {Op.LE, Op.LT}
    if (prefix in up and suffix in up) or (prefix in down and suffix in down):
        return prefix
    raise _Unreadable(f"比较方向矛盾（前有“{_SYMBOLS[prefix]}”，后有“{suffix_word(suffix)}”）")


def suffix_word(op: Op) -> str:
    return "以上" if op in (Op.GE, Op.GT) else "以内/以下"


def _extract(
    text: str, blocked: list[tuple[int, int]]
) -> tuple[list[Measure], list[tuple[int, int]]]:
    """All measures in ``text``; ``blocked`` spans (dates) are skipped. Raises _Unreadable."""
    measures: list[Measure] = []
    spans: list[tuple[int, int]] = []
    floor = 0
    pos = 0
    whole = text.strip(" 。.;,")
    while True:
        match = _NUMBER_RE.search(text, pos)
        if not match:
            break
        pos = match.end()
        start = match.start()
        if blocked and any(a <= start < b for a, b in blocked):
            pos = max(pos, next(b for a, b in blocked if a <= start < b))
            floor = pos
            continue
        found = _measure_at(text, match, floor, whole)
        if found is None:
            continue
        measure, span = found
        measures.append(measure)
        spans.append(span)
        pos = floor = span[1]
    return measures, spans


def _measure_at(
    text: str, match: re.Match[str], floor: int, whole: str
) -> tuple[Measure, tuple[int, int]] | None:
    start, end = match.span()
    chinese = match.group("cn") is not None
    if chinese:
        run = match.group("cn")
        # a trailing 万 / 亿 is the unit ("九十万元" -> 90 万元)
        while len(run) > 1 and run[-1] in "万亿" and run[-2] not in "万亿":
            run = run[:-1]
            end -= 1
            break
        if run in ("零", "〇"):
            return _zero_at(text, start, end, floor)
        value = _cn_value(run)
        if value is None:
            return None
        value = _in_range(value)
    else:
        raw = match.group("ar")
        if text[end : end + 1] == "." or (start > 0 and text[start - 1] == "."):
            return None  # part of a malformed number, reported separately
        try:
            value = _in_range(Decimal(raw.replace(",", "")))
        except InvalidOperation:
            return None
    before = text[start - 1] if start > 0 else ""
    if before == "第" or (before.isalpha() and before.isascii()):
        return None
    if not chinese and _DATE_UNIT_AFTER.match(text, end):
        return None  # dates and times
    if not chinese and len(match.group("ar")) == 4 and _YEAR_RANGE_AFTER.match(text, end):
        return None

    prefix, weak, op_start, op_symbol = _prefix_op(text, start)
    # negative numbers only right after a comparison symbol: "≥-5%"
    if prefix is None and before == "-" and start >= 1:
        p2, w2, s2, sym2 = _prefix_op(text, start - 1)
        if p2 is not None and sym2:
            value = -value
            prefix, weak, op_start, op_symbol = p2, w2, s2, sym2

    pos = end
    approx = _APPROX_AFTER.match(text, pos)
    more = False
    if approx and not chinese:
        unit_probe, _ = _unit_at(text, approx.end(), chinese)
        if unit_probe:
            more = True
            pos = approx.end()
    unit, pos = _unit_at(text, pos, chinese)

    # range "5-8 家", "5～8家", "5至8家"
    dash = _RANGE_DASH.match(text, pos)
    if dash and dash.group(0).strip():
        hi = _NUMBER_RE.match(text, dash.end())
        if hi:
            hi_chinese = hi.group("cn") is not None
            hi_value = _cn_value(hi.group("cn")) if hi_chinese else _ar_value(hi.group("ar"))
            if hi_value is not None:
                hi_value = _in_range(hi_value)
                hi_unit, hi_end = _unit_at(text, hi.end(), hi_chinese)
                whole_range = text[start:hi_end] == whole
                if hi_unit or unit or whole_range:
                    if unit and hi_unit and unit != hi_unit:
                        raise _Unreadable(f"区间两端单位不同：{unit} 与 {hi_unit}")
                    if hi_value < value:
                        raise _Unreadable(f"区间下限大于上限：{_fmt(value)}–{_fmt(hi_value)}")
                    if op_symbol:
                        raise _Unreadable("区间前另有比较符号，无法判断")
                    unit = hi_unit or unit
                    span_end = hi_end
                    label = _label(text, op_start if prefix else start, floor, span_end)
                    span_start = op_start if prefix else start
                    return Measure(Op.RANGE, value, hi_value, unit, label), (span_start, span_end)

    suffix = None
    suffix_match = _SUFFIX_OPS.match(text, pos)
    if suffix_match:
        word = suffix_match.group(1)
        if word != "内" or _NEI_FOLLOW.match(text, suffix_match.end()):
            suffix = _SUFFIX_OP[word]
    if more and suffix is None and prefix is None:
        suffix = Op.GT

    if not unit:
        if chinese and prefix is None and suffix is None:
            return None
        if prefix is None and suffix is None:
            # a bare number counts only as the whole cell ("20000", "132.9") or at its end
            at_end = _terminated(text, end) and pos >= len(text.rstrip(" 。.;,"))
            if not (text[start:end] == whole or (at_end and _after_words(text, start))):
                return None
        elif not _terminated(text, pos) and suffix is None:
            return None  # 达到1流, ≥3性 …
    elif chinese and prefix is None:
        if not _cn_count_ok(text, start, end, match.group("cn"), pos):
            return None

    op = _combine(prefix, weak, suffix)
    span_end = suffix_match.end() if suffix is not None and suffix_match else pos
    span_start = op_start if prefix is not None else start
    label = _label(text, span_start, floor, span_end)
    if unit and "/" not in unit:
        unit = _per_period(text, _segment_start(text, span_start, floor), span_start, unit)
    return Measure(op, value, None, unit, label), (span_start, span_end)


_EVERY = re.compile(r"每\s*(半年|季度|季|月|周)")


def _per_period(text: str, seg: int, start: int, unit: str) -> str:
    """A count written per period ("每季度至少1次", "每月开展2场"): its unit per
    that period ("次/季度"), so that a year's count answers it (4次 is 每季度1次);
    an amount or a share keeps its unit (每月补助500元 is 500 元)."""
    found = _EVERY.search(text, seg, start)
    if found is None or _is_rate(unit):
        return unit
    return f"{unit}/{found.group(1)}"


def _after_words(text: str, start: int) -> bool:
    """A bare number closing a phrase follows words ("满意度 95"), not "15 - 20"."""
    head = text[:start].rstrip()
    return not head or _is_cjk(head[-1]) or head[-1] in _SEPARATORS


def _in_range(value: Decimal) -> Decimal:
    """A number of the text within the bounds of perfkit.numbers (tiny -> 0)."""
    if abs(value) > MAX_ABS:
        raise _Unreadable(f"数值过大（绝对值不能超过 {MAX_TEXT}）")
    return bounded(value)


def _ar_value(raw: str | None) -> Decimal | None:
    if raw is None:
        return None
    try:
        return Decimal(raw.replace(",", ""))
    except InvalidOperation:
        return None


def _cn_count_ok(text: str, start: int, end: int, run: str, unit_end: int) -> bool:
    """A Chinese numeral with a unit but no comparison: guard 统一, 一人一档 …"""
    if run in ("一", "二"):
        before = text[start - 1] if start > 0 else ""
        if before and _is_cjk(before) and before not in _COUNT_LEAD:
            return False
    after = text[unit_end : unit_end + 1]
    return not (after and after in _CN_CHARS)


def _label(text: str, span_start: int, floor: int, span_end: int) -> str:
    seg = _segment_start(text, span_start, floor)
    label = _clean_label(text[seg:span_start])
    if not label:
        label = _following_label(text, span_end)
    return label


def _zero_at(text: str, start: int, end: int, floor: int) -> tuple[Measure, tuple[int, int]] | None:
    """ "财政资金零损失" -> = 0 (label "财政资金损失")."""
    before = text[start - 1] if start > 0 else ""
    if before.isdigit():
        return None
    rest = text[end:]
    word = next((w for w in _ZERO_WORDS if rest.startswith(w)), None)
    if word is None:
        unit, unit_end = _unit_at(text, end, True)
        if not unit:
            return None
        prefix, _weak, op_start, _ = _prefix_op(text, start)
        label = _label(text, op_start, floor, unit_end)
        return Measure(prefix or Op.EQ, Decimal(0), None, unit, label), (op_start, unit_end)
    prefix, _weak, op_start, _ = _prefix_op(text, start)
    seg = _segment_start(text, op_start, floor)
    label = _clean_label(text[seg:op_start]) + word
    return Measure(prefix or Op.EQ, Decimal(0), None, "", label), (op_start, end + len(word))


# --------------------------------------------------------------------------- read


def read(value: object) -> Reading:
    """Read a target/actual cell. Never raises."""
    try:
        if type(value) is str:  # the usual case, straight to the cache
            return _read_text(value)
        return _read(value)
    except Exception:  # the last guard: a UDF must never see an exception
        return Reading(_safe_text(value), Kind.UNREADABLE, note="内部错误，无法识别这段文字")


_ONLY_MARKS = re.compile(r"[*?×]+")
_PLACEHOLDER_TRIM = " \t。.，,；;：:"


def placeholder_of(value: object) -> str:
    """The placeholder a 年度指标值 holds instead of a target, or "" when it
    holds none: asterisks, question marks or XX for the number (``*``,
    ``**人``, ``≥**%``, ``XX人``), or a word of the vocabulary's
    ``[placeholder]`` table (``待定``; ``见附件…``).  The dashes of an unused
    row (``—``) are not placeholders here: whether they are depends on the
    row (DOMAIN.md §8.1; ``perfkit.validate.platform``).  Never raises."""
    try:
        text = _safe_text(value_of(value)) if type(value) is not str else value
        return _placeholder_text(text) if text.strip() else ""
    except Exception:
        return ""


@lru_cache(maxsize=8192)
def _placeholder_text(original: str) -> str:
    """:func:`placeholder_of` of a text (cached: forms repeat their targets)."""
    text = _normalise(original)
    if not text:
        return ""
    if _ONLY_MARKS.fullmatch(text.replace(" ", "")) or (
        _PLACEHOLDER_CHAR.search(text) and _PLACEHOLDER_RE.search(text)
    ):
        return text
    vocab = vocabulary()
    bare = text.strip(_PLACEHOLDER_TRIM)
    if bare in vocab.placeholder_whole or bare.startswith(vocab.placeholder_starts):
        return text
    return ""


def _safe_text(value: object) -> str:
    try:
        return "" if value is None else str(value)
    except Exception:
        return ""


def _read(value: object) -> Reading:
    value = value_of(value)
    if value is None:
        return Reading("", Kind.EMPTY)
    if isinstance(value, bool):
        return Reading(str(value), Kind.UNREADABLE, note="逻辑值（TRUE/FALSE）不是指标值")
    if isinstance(value, (int, float, Decimal)):
        try:
            number = to_decimal(value)
        except NotANumber as err:
            note = err.message if str(err) not in ("NaN", "无穷大", "负无穷大") else ""
            return Reading(
                _safe_text(value), Kind.UNREADABLE, note=note or "数值无效（非数字或无穷大）"
            )
        if number is None:
            return Reading("", Kind.EMPTY)
        return Reading(_safe_text(value), Kind.QUANTITATIVE, (Measure(None, number, None, ""),))
    if isinstance(value, (_dt.datetime, _dt.date)):
        deadline = Deadline(value.year, value.month, value.day, Op.LE)
        return Reading(value.isoformat(), Kind.DEADLINE, deadline=deadline)
    if not isinstance(value, str):
        return Reading(
            _safe_text(value), Kind.UNREADABLE, note="不支持的数据类型（应为文字、数字或日期）"
        )
    return _read_text(value)


@lru_cache(maxsize=8192)
def _read_text(original: str) -> Reading:
    """Cached: forms repeat the same texts, and a Reading is immutable."""
    if not original.strip():
        return Reading(original, Kind.EMPTY)
    text = _normalise(original)
    if not text:
        return Reading(original, Kind.EMPTY)
    bare = text.strip(" 。.;,")
    if bare.lower() in _NOT_APPLICABLE or text.lower() in _NOT_APPLICABLE:
        return Reading(original, Kind.NOT_APPLICABLE)

    def unreadable(note: str) -> Reading:
        return Reading(original, Kind.UNREADABLE, note=note)

    if _PLACEHOLDER_CHAR.search(text) and _PLACEHOLDER_RE.search(text):
        return unreadable("含问号或占位符（如“≥？”“**”“XX”），没有填写可识别的数值")

    dates = _find_dates(text)
    strong = [d for d in dates if not d.weak]
    blocked = [(d.start, d.end) for d in dates]
    if text.count(".") > 1:  # every malformed number has two
        for malformed in _MALFORMED_RE.finditer(text):
            inside = any(a <= malformed.start() < b for a, b in blocked)
            if not inside and _malformed_matters(text, malformed):
                return unreadable(f"数字格式无法识别：{malformed.group(0)}")
    # "(含10万元)" restates the bound just written: not a second measure
    if "(含" in text:
        blocked += [match.span() for match in _INCLUSIVE_NOTE.finditer(text)]
    try:
        measures, spans = _extract(text, blocked)
    except _Unreadable as err:
        return unreadable(str(err.args[0]))

    for symbol in _OP_SYMBOL.finditer(text):
        i = symbol.start()
        for a, b in spans:
            if a <= i < b:
                break
        else:  # in no measure
            if text[symbol.end() :].lstrip().startswith(_REFERENCES):
                continue  # ≤预算数, ≥上年: a target in words
            return unreadable(f"比较符号“{symbol.group()}”后没有可识别的数值")
    for hit in dates:
        if hit.deadline is None and (hit.marked or not hit.weak):
            return unreadable(f"日期无效：{text[hit.start : hit.end]}")

    deadline = _pick_deadline(text, dates, strong, bool(measures))
    if measures:
        return Reading(original, Kind.QUANTITATIVE, tuple(measures), deadline=deadline)
    if deadline is not None:
        return Reading(original, Kind.DEADLINE, deadline=deadline)
    if _only_units(bare):
        return unreadable("只有单位，没有数值")
    letters = _NUMBER_LETTERS.fullmatch(bare)
    if letters:  # "12tons", "3pcs": a number, in a unit perfkit does not know
        return unreadable(f"数值后的单位“{letters.group(1)}”无法识别")
    return Reading(original, Kind.QUALITATIVE)


_NUMBER_LETTERS = re.compile(r"[≥≤<>=]?\s*\d[\d,.]*\s*([A-Za-z][A-Za-z/.·]*)")


def _malformed_matters(text: str, match: re.Match[str]) -> bool:
    """ "1.2.3个" or a cell that is only the number: unreadable; "见1.2.3节" in prose: ignored."""
    if _UNIT_RE.match(text, match.end()) and _unit_at(text, match.end(), False)[0]:
        return True
    if _prefix_op(text, match.start())[0] is not None:
        return True
    return len(text.strip(" 。.;,")) <= len(match.group(0)) + 2


def _only_units(text: str) -> bool:
    match = _UNIT_RE.fullmatch(text)
    return bool(match)


def _pick_deadline(
    text: str, dates: list[_DateHit], strong: list[_DateHit], has_measures: bool
) -> Deadline | None:
    valid = [d for d in dates if d.deadline is not None]
    if not valid:
        return None
    marked = [d for d in valid if d.marked]
    if marked:
        return marked[-1].deadline
    if has_measures:
        return None
    remainder = text
    for hit in sorted(valid, key=lambda d: -d.start):
        remainder = remainder[: hit.start] + remainder[hit.end :]
    remainder = _FILLER.sub("", remainder)
    if not remainder:
        chosen = [d for d in valid if not d.weak] or valid
        return chosen[-1].deadline
    return None
