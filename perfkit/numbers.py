"""Decimal arithmetic for amounts, rates and scores.

Published forms round half-up to two decimals, computed from the unrounded
inputs (DOMAIN.md 1.3).  Binary floats get this wrong: ``round(9.935, 2)`` is
9.93 while the form says 9.94.  Everything here goes through ``Decimal``.
"""

from __future__ import annotations

import math
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")
ZERO = Decimal(0)
HUNDRED = Decimal(100)

_SEPARATORS = re.compile(r"[,，\s\u3000]")
_FULLWIDTH = str.maketrans("０１２３４５６７８９．－＋", "0123456789.-+")

Number = int | float | Decimal | str


class NotANumber(ValueError):
    """Raised when a value that must be a number is something else."""


def to_decimal(value: object) -> Decimal | None:
    """Read a number as Excel or a JSON file hands it over.

    Accepts int, float (through its shortest repr, so 1937189.02 stays exact),
    Decimal, and text such as ``"1,937,189.02"`` or full-width digits.
    Blank (None, "" or whitespace) gives None.  Anything else raises
    :class:`NotANumber` with the offending text.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise NotANumber(str(value))
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise NotANumber(str(value))
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise NotANumber(repr(value))
        return Decimal(repr(value))
    if isinstance(value, str):
        text = _SEPARATORS.sub("", value.translate(_FULLWIDTH))
        if text == "":
            return None
        percent = text.endswith("%")
        if percent:
            text = text[:-1]
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise NotANumber(value) from None
        if not number.is_finite():
            raise NotANumber(value)
        return number / HUNDRED if percent else number
    raise NotANumber(repr(value))


def round2(value: Decimal | int) -> Decimal:
    """Half-up to two decimals: 9.935 -> 9.94."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def clamp(value: Decimal, low: Decimal, high: Decimal) -> Decimal:
    return max(low, min(high, value))


def fmt(value: Decimal | None) -> str:
    """Plain text for messages: 9.90 -> '9.9', 10.00 -> '10', None -> '—'."""
    if value is None:
        return "—"
    text = format(round2(value), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text
