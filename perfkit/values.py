"""Reading raw cell values: a number, blank, text, a formula never computed (UNKNOWN)."""

from __future__ import annotations

import re
from math import isfinite
from typing import Any

from .model import DEPARTMENT_SUBJECT, Formula
from .numbers import NotANumber, NumberOutOfRange, arabic_years, to_decimal


class _Unknown:
    """A value that cannot be known: a formula never computed, or bad text
    (already reported).  Comparisons with it are skipped."""

    _instance = None

    def __new__(cls):
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNKNOWN"

    def __bool__(self) -> bool:
        return False


UNKNOWN: Any = _Unknown()


# Error values a spreadsheet program stores as a formula result.
EXCEL_ERRORS = (
    "#DIV/0!",
    "#N/A",
    "#NAME?",
    "#NULL!",
    "#NUM!",
    "#REF!",
    "#VALUE!",
    "#SPILL!",
    "#CALC!",
    "#GETTING_DATA",
    "#FIELD!",
    "#BLOCKED!",
    "#CONNECT!",
    "#BUSY!",
    "#UNKNOWN!",
)
_ERROR_VALUES = frozenset(EXCEL_ERRORS)
_DASHES = {"—", "-", "－", "–", "——", "/", "／"}
_NO_NUMBER = _DASHES | {"不适用"}  # typed where a row has no points to give


def excel_error(value: Any) -> str | None:
    """The error value (#DIV/0! …) held by a cell, or None."""
    if isinstance(value, Formula):
        value = value.cached
    if isinstance(value, str) and "#" in value:  # every error value starts with #
        text = value.strip().upper()
        if text in _ERROR_VALUES:
            return text
    return None


def plain_value(raw: Any) -> Any:
    """What the reader sees; UNKNOWN for a formula never computed."""
    if isinstance(raw, Formula):
        return UNKNOWN if raw.cached is None else raw.cached
    return raw


def is_blank(raw: Any) -> bool:
    if raw is None:  # the common cases, first
        return True
    if type(raw) is str:
        return not raw.strip()
    value = plain_value(raw)
    return value is None or (isinstance(value, str) and not value.strip())


def text_of(raw: Any) -> str:
    if type(raw) is str:  # the common case, first
        return raw.strip()
    value = plain_value(raw)
    if value is None or value is UNKNOWN:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def read_number(raw: Any) -> tuple[Any, tuple[str, str] | None]:
    """(Decimal | None | UNKNOWN, problem) where problem is (code, message
    template with ``{what}``) for a cell that should hold a number."""
    if raw is None:  # a blank cell, the common case
        return None, None
    # Then a number, or a template formula never computed: no text to look at.
    kind = type(raw)
    if kind is float and isfinite(raw):
        try:
            return to_decimal(raw), None
        except NumberOutOfRange as err:  # 1e26: no budget is that large
            return UNKNOWN, ("NOT_A_NUMBER", f"{{what}}：{err.message}")
    if kind is Formula and raw.cached is None:
        return UNKNOWN, None  # never computed
    if kind is Formula and type(raw.cached) is str and not excel_error(raw.cached):
        if not raw.cached.strip():
            return None, None  # ="" : the formula shows a blank
        # the formula's own sentence (【未计分】…, 总分暂缺：…): the cell it
        # points at is reported, not this one
        return UNKNOWN, None
    if excel_error(raw):
        return UNKNOWN, None  # reported once by the FORMULA_ERROR scan of each form
    value = plain_value(raw)
    if value is UNKNOWN:
        return UNKNOWN, None
    if isinstance(value, str) and value.strip() in _NO_NUMBER:
        return None, None
    try:
        number = to_decimal(value)
    except NumberOutOfRange as err:
        return UNKNOWN, ("NOT_A_NUMBER", f"{{what}}：{err.message}")
    except NotANumber:
        shown = str(value).strip()
        if len(shown) > 30:
            shown = shown[:30] + "…"
        return UNKNOWN, ("NOT_A_NUMBER", f"{{what}}应为数字，实际填写的是“{shown}”")
    if isinstance(value, str) and number is not None and value.strip().endswith(("%", "％")):
        number = number * 100  # "98.87%" in a percent cell reads as 98.87
    return number, None


_YEAR = re.compile(r"(20\d{2})\s*年")


def years_in(text: str) -> list[int]:
    return [int(y) for y in _YEAR.findall(arabic_years(text))]


_YEAR_DIGITS = re.compile(r"20\d{2}")


def form_year(form: Any) -> int | None:
    """The year a form evaluates (its 年度: "2023", "2023年度", 2023), or None."""
    text = text_of(getattr(form, "year", None))
    years = years_in(text + "年")
    if years:
        return years[0]
    m = _YEAR_DIGITS.search(text)
    return int(m.group(0)) if m else None


def unit_of(form: Any) -> str:
    """The unit a form is filed under: its 实施单位 (评分表: 被评价单位), else the
    主管部门 / 一级预算单位 it names (a 部门整体 form has no 实施单位)."""
    return text_of(getattr(form, "unit", None)) or text_of(getattr(form, "dept", None))


def subject_of(form: Any) -> str:
    """What a form evaluates, for lists and titles: its 项目名称, or 部门整体支出
    for a department's own form (which names no project)."""
    name = text_of(getattr(form, "project_name", None))
    if not name and getattr(form, "department", False):
        return DEPARTMENT_SUBJECT
    return name
