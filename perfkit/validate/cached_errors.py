"""Cached formula error values (#DIV/0! …) of an .xlsx on disk.

The fast value reader hands error cells over as blanks, so a form read from
disk would not know that 执行率 shows #DIV/0!.  This module reads the error
cells (``t="e"``) straight from the sheet XML (the file has passed
``perfkit.safety`` before) and puts them into the form as the cached value
of its formulas, where ``validate_form`` reports them (FORMULA_ERROR).
"""

from __future__ import annotations

import os
import posixpath
import re
import zipfile
from dataclasses import fields, is_dataclass
from typing import Any

from ..model import Formula

_SHEET = re.compile(r'<sheet\b[^>]*?\bname="([^"]*)"[^>]*?\br:id="([^"]*)"', re.S)
_SHEET_ALT = re.compile(r'<sheet\b[^>]*?\br:id="([^"]*)"[^>]*?\bname="([^"]*)"', re.S)
_REL = re.compile(r'<Relationship\b[^>]*?\bId="([^"]*)"[^>]*?\bTarget="([^"]*)"', re.S)
_REL_ALT = re.compile(r'<Relationship\b[^>]*?\bTarget="([^"]*)"[^>]*?\bId="([^"]*)"', re.S)
_ERROR_CELL = re.compile(r'<c\b([^>]*\bt="e"[^>]*)>(.*?)</c>', re.S)
_REF = re.compile(r'\br="([A-Z]+[0-9]+)"')
_VALUE = re.compile(r"<v>([^<]*)</v>")
_UNESCAPE = {"&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": '"', "&apos;": "'"}


def _unescape(text: str) -> str:
    for k, v in _UNESCAPE.items():
        text = text.replace(k, v)
    return text


def scan(path: str | os.PathLike, sheets: set[str] | None = None) -> dict[tuple[str, str], str]:
    """(sheet name, cell) -> cached error text, for the sheets asked for."""
    out: dict[tuple[str, str], str] = {}
    with zipfile.ZipFile(path) as zf:
        names = set(zf.namelist())
        if "xl/workbook.xml" not in names:
            return out
        book = zf.read("xl/workbook.xml").decode("utf-8", "replace")
        rels_xml = (
            zf.read("xl/_rels/workbook.xml.rels").decode("utf-8", "replace")
            if ("xl/_rels/workbook.xml.rels" in names)
            else ""
        )
        rels = {i: t for i, t in _REL.findall(rels_xml)} | {
            i: t for t, i in _REL_ALT.findall(rels_xml)
        }
        pairs = {_unescape(n): r for n, r in _SHEET.findall(book)} | {
            _unescape(n): r for r, n in _SHEET_ALT.findall(book)
        }
        for sheet, rid in pairs.items():
            if sheets is not None and sheet not in sheets:
                continue
            target = rels.get(rid)
            if not target:
                continue
            part = (
                target.lstrip("/")
                if target.startswith("/")
                else posixpath.normpath(posixpath.join("xl", target))
            )
            if part not in names:
                continue
            xml = zf.read(part).decode("utf-8", "replace")
            for attrs, body in _ERROR_CELL.findall(xml):
                ref = _REF.search(attrs)
                value = _VALUE.search(body)
                if ref and value:
                    out[(sheet, ref.group(1))] = _unescape(value.group(1))
    return out


def apply(form: Any, errors: dict[tuple[str, str], str]) -> int:
    """Put each error into the form field at that cell; returns how many."""
    if not errors:
        return 0
    count = 0

    def visit(obj: Any) -> None:
        nonlocal count
        locs = getattr(obj, "locs", None) or {}
        for name, loc in locs.items():
            err = errors.get((loc.sheet, loc.cell))
            if err is None or not hasattr(obj, name):
                continue
            raw = getattr(obj, name)
            if isinstance(raw, Formula):
                if raw.cached in (None, ""):
                    setattr(obj, name, Formula(raw.text, err))
                    count += 1
            elif raw in (None, ""):
                setattr(obj, name, err)
                count += 1
        if is_dataclass(obj):
            for f in fields(obj):
                value = getattr(obj, f.name)
                if isinstance(value, list):
                    for item in value:
                        if is_dataclass(item):
                            visit(item)
                elif isinstance(value, dict):
                    for item in value.values():
                        if is_dataclass(item):
                            visit(item)

    visit(form)
    return count
