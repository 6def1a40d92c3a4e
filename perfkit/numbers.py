"""Decimal arithmetic for amounts, rates and scores.

Published forms round half-up to two decimals, computed from the unrounded
inputs (DOMAIN.md 1.3).  Binary floats get this wrong: ``round(9.935, 2)`` is
9.93 while the form says 9.94.  Everything here goes through ``Decimal``.

Magnitudes are bounded.  A form holds amounts in 元 or 万元 and scores up to
100; :data:`MAX_ABS` (10^20) is far above any budget, and a number
beyond it is refused with :class:`NumberOutOfRange` instead of breaking the
arithmetic later (``quantize`` beyond the context precision raised
``decimal.InvalidOperation`` for 1e26 and more).  Non-zero numbers smaller
than :data:`MIN_ABS` (10^-15) are the noise of a floating-point difference
(``0.1 + 0.2 - 0.3``) and read as 0.  Within these bounds every quotient and
product the rules form stays below 10^45, and :func:`round2` rounds in a
context of :data:`PRECISION` digits, enough for all of them.
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation

from .errors import PerfkitError

CENT = Decimal("0.01")
ZERO = Decimal(0)
HUNDRED = Decimal(100)
WAN = Decimal(10000)  # 万: 1 万元 is 10000 元

MAX_ABS = Decimal(10) ** 20  # largest magnitude read from a cell or a text
MIN_ABS = Decimal(10) ** -15  # smaller non-zero magnitudes read as 0
MAX_RESULT = Decimal(10) ** 50  # largest magnitude round2 returns
PRECISION = 60  # digits of the rounding context: MAX_RESULT with 2 decimals and more
MAX_TEXT = "10 的 20 次方"  # MAX_ABS as the messages say it

_CONTEXT = Context(prec=PRECISION, rounding=ROUND_HALF_UP)
_MIN = MIN_ABS
_MAX_FLOAT = float(MAX_ABS)
_MIN_FLOAT = float(MIN_ABS)
_MAX_INT = int(MAX_ABS)
_SEPARATORS = re.compile(r"[,，\s\u3000]")
_FULLWIDTH = str.maketrans("０１２３４５６７８９．－＋％", "0123456789.-+%")

Number = int | float | Decimal | str


class NotANumber(PerfkitError, ValueError):
    """A value that must be a number is something else.

    ``str(err)`` is the offending text as the user wrote it (callers say
    "“{err}”不是数字"); ``err.message`` is the whole Chinese sentence."""

    def __init__(self, text: str, message: str | None = None):
        self.text = text
        super().__init__(message or f"“{text}”不是数字")

    def __str__(self) -> str:
        return self.text


class NumberOutOfRange(NotANumber):
    """A number too large for a form (beyond :data:`MAX_ABS`), or a result
    beyond :data:`MAX_RESULT`."""

    def __init__(self, text: str, message: str | None = None):
        super().__init__(text, message or f"数值 {text} 过大（绝对值不能超过 {MAX_TEXT}）")


def _shown(value: object) -> str:
    """The text of an offending value for a message, never a Python repr."""
    if isinstance(value, str):
        return value.strip()[:40]
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        if math.isinf(value):
            return "无穷大" if value > 0 else "负无穷大"
        return repr(value)
    if isinstance(value, (int, Decimal)):
        text = str(value)
        return text if len(text) <= 40 else text[:20] + "…"
    if isinstance(value, (_dt.date, _dt.time)):
        return value.isoformat()
    return "（不支持的数据类型）"


def bounded(number: Decimal, shown: object = None) -> Decimal:
    """*number* checked against the bounds: beyond :data:`MAX_ABS` raises
    :class:`NumberOutOfRange`; a non-zero magnitude below :data:`MIN_ABS` is 0."""
    if type(number) is not Decimal:
        if not isinstance(number, Decimal):
            raise NotANumber(_shown(number if shown is None else shown))
        number = Decimal(number)
    if not number.is_finite():
        raise NotANumber(_shown(number if shown is None else shown))
    magnitude = abs(number)
    if magnitude > MAX_ABS:
        raise NumberOutOfRange(_shown(number if shown is None else shown))
    if magnitude and magnitude < MIN_ABS:
        return ZERO
    return number


def to_decimal(value: object) -> Decimal | None:
    """Read a number as Excel or a JSON file hands it over.

    Accepts int, float (through its shortest repr, so 1937189.02 stays exact),
    Decimal, and text such as ``"1,937,189.02"`` or full-width digits.
    Blank (None, "" or whitespace) gives None.  Anything else raises
    :class:`NotANumber` with the offending text; a number beyond
    :data:`MAX_ABS` raises :class:`NumberOutOfRange`.
    """
    if value is None:
        return None
    kind = type(value)
    if kind is Decimal:
        if value.is_finite() and (_MIN <= abs(value) <= MAX_ABS or not value):
            return value  # the usual case, checked in one step
        return bounded(value)
    if kind is float:
        if -_MAX_FLOAT <= value <= _MAX_FLOAT and (value == 0 or abs(value) >= _MIN_FLOAT):
            return Decimal(repr(value))
        if not math.isfinite(value):
            raise NotANumber(_shown(value))
        return bounded(Decimal(repr(value)), value)
    if kind is int:
        if -_MAX_INT <= value <= _MAX_INT:
            return Decimal(value)
        return bounded(Decimal(value), value)
    if isinstance(value, bool):
        raise NotANumber(_shown(value))
    if isinstance(value, str):
        text = _SEPARATORS.sub("", value.translate(_FULLWIDTH))
        if text == "":
            return None
        percent = text.endswith("%")
        if percent:
            text = text[:-1]
        try:
            number = Decimal(text)
        except (InvalidOperation, ValueError):
            raise NotANumber(_shown(value)) from None
        number = bounded(number, value)
        return number / HUNDRED if percent else number
    if isinstance(value, Decimal):  # subclasses of the number types
        return to_decimal(Decimal(value))
    if isinstance(value, int):
        return to_decimal(int(value))
    if isinstance(value, float):
        return to_decimal(float(value))
    raise NotANumber(_shown(value))


def round2(value: object) -> Decimal:
    """Half-up to two decimals: 9.935 -> 9.94.

    Any number :func:`to_decimal` reads is accepted (a float through its
    shortest repr).  A magnitude beyond :data:`MAX_RESULT` raises
    :class:`NumberOutOfRange`."""
    number = value if type(value) is Decimal else _as_decimal(value)
    if number.is_finite() and -MAX_RESULT < number < MAX_RESULT:
        return number.quantize(CENT, context=_CONTEXT)
    if not number.is_finite():
        raise NotANumber(_shown(number))
    if abs(number) >= MAX_RESULT:
        raise NumberOutOfRange(_shown(number), f"计算结果过大（绝对值超过 {MAX_TEXT}）")
    return number.quantize(CENT, context=_CONTEXT)


def _as_decimal(value: object) -> Decimal:
    number = to_decimal(value)
    if number is None:
        raise NotANumber("", "缺少数值")
    return number


def clamp(value: object, low: object, high: object) -> Decimal:
    """*value* within [low, high] (numbers as :func:`to_decimal` reads them)."""
    v, lo, hi = (_as_decimal(x) for x in (value, low, high))
    return max(lo, min(hi, v))


def fmt(value: object) -> str:
    """Plain text for messages: 9.90 -> '9.9', 10.00 -> '10', None -> '—'."""
    if value is None:
        return "—"
    text = format(round2(value), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


_CN_YEAR = re.compile(r"[〇零一二三四五六七八九]{4}(?=\s*年)")
_CN_YEAR_DIGITS = str.maketrans("〇零一二三四五六七八九", "00123456789")


def arabic_years(text: str) -> str:
    """A year written in Chinese digits, as in a title, in Arabic digits:
    "二〇二三年度" -> "2023年度" (digit by digit; only four before 年)."""
    if not isinstance(text, str) or "年" not in text:
        return text  # nothing to convert (the readers hand over cell text only)
    return _CN_YEAR.sub(lambda m: m.group(0).translate(_CN_YEAR_DIGITS), text)
