"""Every formula perfkit writes carries its result (issue 12.10).

A file without stored results shows ``#NAME?`` (or nothing) in WPS,
LibreOffice, file previewers and in Excel before the add-in loads.  For the
templates, the bundled examples, ``fill`` output and adopted copies: every
formula cell of the sheet XML holds a ``<v>`` result, and that result is what
the ``formulas`` engine computes for the cell with perfkit's functions
registered (the same answer Excel gives once the add-in is loaded).
"""

from __future__ import annotations

import json
import re
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest

from perfkit.writers.adopt import adopt
from perfkit.writers.fill import fill

from .conftest import EXAMPLES, TEMPLATES, evaluate

_CELL = re.compile(rb"<c\b([^>]*?)(?:/>|>(.*?)</c>)", re.S)
_REF = re.compile(rb'\br="([A-Z]+[0-9]+)"')
_TYPE = re.compile(rb'\bt="([a-z]+)"')
_FORMULA = re.compile(rb"<f\b[^>]*?(?:/>|>(.*?)</f>)", re.S)
_VALUE = re.compile(rb"<v>(.*?)</v>", re.S)


def _sheet_parts(path: Path) -> dict[str, str]:
    """sheet name -> its part, from workbook.xml and its relationships."""
    with zipfile.ZipFile(path) as z:
        book = z.read("xl/workbook.xml")
        rels = z.read("xl/_rels/workbook.xml.rels")
    targets = {
        m.group(1).decode(): m.group(2).decode()
        for m in re.finditer(rb'<Relationship\b[^>]*?Id="([^"]+)"[^>]*?Target="([^"]+)"', rels)
    }
    targets.update(
        {
            m.group(2).decode(): m.group(1).decode()
            for m in re.finditer(rb'<Relationship\b[^>]*?Target="([^"]+)"[^>]*?Id="([^"]+)"', rels)
        }
    )
    out = {}
    for m in re.finditer(rb'<sheet\b[^>]*?name="([^"]+)"[^>]*?r:id="([^"]+)"', book):
        target = targets[m.group(2).decode()].lstrip("/")
        out[m.group(1).decode()] = target if target.startswith("xl/") else f"xl/{target}"
    return out


def stored_results(path: Path) -> dict[tuple[str, str], tuple[bytes, bytes | None]]:
    """(SHEET upper-cased, cell) -> (type, stored result or None) of every formula cell."""
    out = {}
    with zipfile.ZipFile(path) as z:
        for sheet, part in _sheet_parts(path).items():
            xml = z.read(part)
            for m in _CELL.finditer(xml):
                attrs, body = m.group(1), m.group(2) or b""
                if not _FORMULA.search(body):
                    continue
                ref = _REF.search(attrs).group(1).decode()
                kind = _TYPE.search(attrs)
                value = _VALUE.search(body)
                out[(sheet.upper(), ref)] = (
                    kind.group(1) if kind else b"n",
                    value.group(1) if value else None,
                )
    return out


def _same(kind: bytes, stored: bytes | None, computed) -> bool:
    if computed in (None, ""):
        return stored in (None, b"")
    if stored is None:
        return False
    if isinstance(computed, bool):
        return kind == b"b" and stored == (b"1" if computed else b"0")
    if isinstance(computed, (int, float)):
        return kind == b"n" and abs(Decimal(stored.decode()) - Decimal(str(computed))) < Decimal(
            "0.000001"
        )
    text = stored.decode()
    for a, b in (("&amp;", "&"), ("&lt;", "<"), ("&gt;", ">"), ("&quot;", '"')):
        text = text.replace(a, b)
    return text == str(computed)


def differences(path: Path) -> list[str]:
    """Formula cells whose stored result is missing or differs from the engine's."""
    computed = evaluate(path)
    bad = []
    for key, (kind, stored) in sorted(stored_results(path).items()):
        value = computed.get(key)
        if not _same(kind, stored, value):
            bad.append(f"{key[0]}!{key[1]}: stored {stored!r} ({kind.decode()}), engine {value!r}")
    return bad


def _filled_with_values(path: Path) -> int:
    return sum(1 for _, v in stored_results(path).values() if v not in (None, b""))


BUILT = sorted(TEMPLATES.glob("*.xlsx")) + sorted(EXAMPLES.glob("*.xlsx"))


@pytest.mark.parametrize("path", BUILT, ids=lambda p: p.stem)
def test_committed_files_store_what_the_engine_computes(path):
    assert stored_results(path), "no formula cells found: the test would hold nothing"
    assert differences(path) == []


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.json")), ids=lambda p: p.stem)
def test_fill_output_stores_its_results(path, tmp_path):
    out = fill(json.loads(path.read_text(encoding="utf-8")), tmp_path / f"{path.stem}.xlsx")
    assert _filled_with_values(out) >= 5  # totals, grade and row scores at least
    assert differences(out) == []


@pytest.mark.parametrize("name", ["futian2021_evaltable", "longgang2023_shanghui"])
def test_adopted_copy_stores_its_results(name, tmp_path):
    (result,) = adopt(EXAMPLES / f"{name}.xlsx", tmp_path)
    assert _filled_with_values(result.path) >= 5
    assert differences(result.path) == []


def test_a_wrong_stored_result_is_caught(tmp_path):
    """The comparison can fail: a result changed in the XML is reported."""
    src = EXAMPLES / "longgang2023_dangjian.xlsx"
    key, (_kind, stored) = next(
        (k, v) for k, v in stored_results(src).items() if v[0] == b"n" and v[1]
    )
    parts = _sheet_parts(src)
    part = next(p for s, p in parts.items() if s.upper() == key[0])
    out = tmp_path / "changed.xlsx"
    with zipfile.ZipFile(src) as z, zipfile.ZipFile(out, "w") as w:
        for info in z.infolist():
            data = z.read(info)
            if info.filename == part:
                cell = re.search(rb'<c r="' + key[1].encode() + rb'"[^>]*>.*?</c>', data, re.S)
                fixed = cell.group(0).replace(b"<v>" + stored + b"</v>", b"<v>12345.6</v>")
                data = data.replace(cell.group(0), fixed)
            w.writestr(info, data)
    assert any(key[1] in line and "12345.6" in line for line in differences(out))
