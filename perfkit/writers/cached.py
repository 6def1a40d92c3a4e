"""The results of formula cells, stored in the files perfkit writes.

openpyxl writes formulas without results, so a template, a filled form or an
adopted copy showed ``#NAME?`` (or nothing) in WPS, LibreOffice, file
previewers and in Excel before the add-in loads.  Here every formula perfkit
writes gets its result: :func:`evaluate` computes each computed cell of a
layout with the same functions the Excel cells call
(:mod:`perfkit.cellfuncs`), and :func:`write_cached` stores them in the
sheet XML as a spreadsheet program would (``<v>`` with ``t="str"`` for text).
"""

from __future__ import annotations

import html
import posixpath
import re
import zipfile
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from defusedxml.ElementTree import fromstring

from ..layout import Layout
from ..model import Formula

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_PKG = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"


def evaluate(
    computed: Mapping[str, Any],
    value_of: Callable[[str], Any],
    profile: str,
) -> dict[str, Any]:
    """A1 -> result of every computed cell: ``computed`` maps cells to
    :class:`~perfkit.writers.template.Computed`, ``value_of`` gives what any
    other cell holds (a number, text, None)."""
    memo: dict[str, Any] = {}
    busy: set[str] = set()

    def get(cell: str) -> Any:
        if cell == "PK_PROFILE":
            return profile
        if cell in memo:
            return memo[cell]
        calc = computed.get(cell)
        if calc is None:
            value = value_of(cell)
            return value.cached if isinstance(value, Formula) else value
        if cell in busy:  # a circular reference: what Excel shows as 0
            return 0
        busy.add(cell)
        try:
            result = calc.value(get)
        finally:
            busy.discard(cell)
        memo[cell] = result
        return result

    for cell in computed:
        get(cell)
    return memo


def worksheet_getter(ws) -> Callable[[str], Any]:
    """What an openpyxl worksheet's cell holds (text of '=' typed as text stays text)."""

    def value_of(cell: str) -> Any:
        value = ws[cell].value
        if isinstance(value, str) and value.startswith("=") and ws[cell].data_type == "f":
            return None  # someone else's formula: its result is unknown here
        return value

    return value_of


def template_values(layout: Layout, profile: str) -> dict[str, dict[str, Any]]:
    """Results of a blank template's formulas (sheet -> cell -> value)."""
    from .template import computed

    calcs = computed(layout)
    inputs = {p.span[:2]: p.text for p in layout.pieces if p.kind == "input" and p.text}

    def value_of(cell: str) -> Any:
        from ..readers.cells import cell_index

        r, c = cell_index(cell)
        text = inputs.get((r + 1, c + 1))
        return int(text) if text and text.isdigit() else text

    return {layout.sheet: evaluate(calcs, value_of, profile)}


# --------------------------------------------------------------------------
# writing results into the sheet XML
# --------------------------------------------------------------------------


def sheet_parts(zf: zipfile.ZipFile) -> dict[str, str]:
    """Zip part -> sheet name of a workbook openpyxl (or perfkit) wrote."""
    book = fromstring(zf.read("xl/workbook.xml"))
    rels = fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    targets = {
        rel.get("Id"): posixpath.normpath(posixpath.join("xl", rel.get("Target", "")))
        if not rel.get("Target", "").startswith("/")
        else rel.get("Target", "").lstrip("/")
        for rel in rels.iter(_PKG)
    }
    out = {}
    for sheet in book.iter(f"{_MAIN}sheet"):
        part = targets.get(sheet.get(_REL))
        if part:
            out[part] = sheet.get("name", "")
    return out


_FORMULA_CELL = re.compile(
    rb'<c r="([A-Z]{1,3}[0-9]{1,7})"([^>]*)>(<f>.*?</f>)(?:<v>[^<]*</v>|<v/>)?</c>', re.S
)
_TYPE = re.compile(rb'\st="[^"]*"')


def write_cached(sheet_xml: bytes, values: Mapping[str, Any]) -> bytes:
    """The sheet with *values* stored as the results of its formula cells
    (cells without a value in *values* keep an empty result)."""

    def cell(m: re.Match) -> bytes:
        ref = m.group(1).decode()
        if ref not in values:
            return m.group(0)
        attrs = _TYPE.sub(b"", m.group(2))
        kind, text = _typed(values[ref])
        if kind:
            attrs += b' t="' + kind + b'"'
        return (
            b'<c r="' + m.group(1) + b'"' + attrs + b">" + m.group(3) + b"<v>" + text + b"</v></c>"
        )

    return _FORMULA_CELL.sub(cell, sheet_xml)


_ERRORS = ("#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!")


def _typed(value: Any) -> tuple[bytes, bytes]:
    if isinstance(value, bool):
        return b"b", b"1" if value else b"0"
    if isinstance(value, (int, float)):
        number = float(value)
        text = repr(number)
        return b"", (text[:-2] if text.endswith(".0") else text).encode()
    if value is None:
        return b"str", b""
    text = str(value)
    if text in _ERRORS:
        return b"e", text.encode()
    return b"str", html.escape(text, quote=False).encode("utf-8")


def cached_of(values: Iterable[tuple[str, str, Any]]) -> dict[str, dict[str, Any]]:
    """(sheet, cell, value) triples -> sheet -> cell -> value."""
    out: dict[str, dict[str, Any]] = {}
    for sheet, cell, value in values:
        out.setdefault(sheet, {})[cell] = value
    return out


__all__ = ["evaluate", "sheet_parts", "template_values", "worksheet_getter", "write_cached"]
