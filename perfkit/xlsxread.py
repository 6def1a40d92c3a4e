"""Reading a few sheets of an .xlsx: cached values and formula text.

One reader for every surface that reads a form from disk (``read_form``,
``perfkit validate``, ``perfkit summarize``):

* the file passes the guards of :mod:`perfkit.safety` first (zip limits;
  the XML prolog of every part read, DOCTYPE/ENTITY refused);
* python-calamine gives the cached values (fast, Rust);
* the sheet XML of the sheets asked for gives what calamine does not: the
  formula text of each cell (shared formulas translated to their own cell, as
  Excel shows them) and the cached result of formula cells, error values
  included;
* only the rows and columns asked for are kept — declared sheet dimensions
  are never trusted.

The sheet list and the formula cells are read with regular expressions when
the XML is as spreadsheet programs write it (unprefixed, no comments, CDATA
or DTD, every element where the schema puts it); anything else is parsed in
full with defusedxml, and tests hold the two paths to the same result.
"""

from __future__ import annotations

import html
import io
import os
import posixpath
import re
from functools import lru_cache
from typing import Any

from defusedxml.ElementTree import fromstring, iterparse

from .errors import InputError
from .safety import CALAMINE_PARTS, check_part, open_checked

Grid = list[list[Any]]

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_DOC_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_ROW, _CELL, _F, _V, _IS, _T = (f"{_MAIN}{t}" for t in ("row", "c", "f", "v", "is", "t"))


_A1 = re.compile(r"\$?([A-Za-z]{1,3})\$?([0-9]{1,7})")


@lru_cache(maxsize=4096)
def cell_index(cell: str) -> tuple[int, int]:
    """'H14' -> (13, 7): zero-based row and column."""
    m = _A1.fullmatch(cell)
    if m is None or int(m.group(2)) < 1:
        raise ValueError(f"不是单元格地址：{cell!r}")
    col = 0
    for ch in m.group(1).upper():
        col = col * 26 + ord(ch) - 64
    return int(m.group(2)) - 1, col - 1


def grid_get(grid: Grid | None, cell: str) -> Any:
    """Value at *cell* of a grid (row 1 / column A at [0][0]); None outside it."""
    if not grid:
        return None
    r, c = cell_index(cell)
    if r < len(grid):
        row = grid[r]
        if row is not None and c < len(row):
            return row[c]
    return None


class XlsxReader:
    """An open workbook; use as a context manager."""

    def __init__(self, path: str | os.PathLike):
        self.path = os.fspath(path)
        # Only the parts read here are prolog-scanned (their parsers are defusedxml,
        # no DTD at all, and calamine, no entity expansion, anyway): those only
        # calamine reads at once, the others as they are read (one decompression).
        self._zip = open_checked(self.path, parts=CALAMINE_PARTS)
        self._data: dict[str, bytes] = {}
        try:
            self._parts = self._sheet_parts()
        except Exception as exc:
            self._zip.close()
            if isinstance(exc, InputError):
                raise
            raise InputError(
                f"无法读取工作簿结构（{type(exc).__name__}: {exc}）", path=self.path
            ) from None
        self._book = None
        self._values: dict[tuple[str, int, int], Grid] = {}

    def __enter__(self) -> XlsxReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._zip.close()
        self._book = None
        self._data.clear()

    @property
    def sheet_names(self) -> list[str]:
        return list(self._parts)

    # -- structure -------------------------------------------------------------

    def _sheet_parts(self, exact: bool = False) -> dict[str, str]:
        """Sheet name -> zip part, in workbook order.  Workbooks as spreadsheet
        programs write them take a fast path; anything else (or ``exact``)
        is parsed with defusedxml."""
        book = self._read("xl/workbook.xml")
        rels = self._read("xl/_rels/workbook.xml.rels")
        parts = None if exact else _sheet_parts_fast(book, rels)
        if parts is None:
            parts = _sheet_parts_parsed(book, rels)
        return {name: part for name, part in parts.items() if part in self._zip.NameToInfo}

    def _read(self, part: str, what: str = "") -> bytes:
        """A part's bytes, decompressed once and prolog-checked (DOCTYPE refused);
        *what* names it in messages (default: the part's name)."""
        data = self._data.get(part)
        if data is None:
            try:
                data = self._zip.read(part)
            except KeyError:
                raise
            except Exception as exc:
                raise InputError(
                    f"{what or '部件 ' + part}无法解压（{type(exc).__name__}）", path=self.path
                ) from None
            self._data[part] = data = check_part(data, part, self.path)
        return data

    # -- values ----------------------------------------------------------------

    def _calamine(self):
        if self._book is None:
            from python_calamine import CalamineWorkbook

            try:
                self._book = CalamineWorkbook.from_path(self.path)
            except Exception as exc:  # calamine raises its own error types
                raise InputError(f"无法读取单元格内容（{exc}）", path=self.path) from None
        return self._book

    def values(self, sheet: str, nrows: int, ncols: int) -> Grid:
        """Cached values of the first *nrows* × *ncols* cells; blank is None."""
        key = (sheet, nrows, ncols)
        if key not in self._values:
            self._values[key] = self._read_values(sheet, nrows, ncols)
        return [list(row) for row in self._values[key]]

    def _read_values(self, sheet: str, nrows: int, ncols: int) -> Grid:
        part = self._parts.get(sheet)
        if part is not None:
            self._read(part, f"工作表「{sheet}」")  # the prolog guard, before calamine parses it
        try:
            rows = (
                self._calamine()
                .get_sheet_by_name(sheet)
                .to_python(skip_empty_area=False, nrows=nrows)
            )
        except InputError:
            raise
        except Exception as exc:
            raise InputError(f"无法读取工作表「{sheet}」（{exc}）", path=self.path) from None
        return [[None if v == "" else v for v in row[:ncols]] for row in rows[:nrows]]

    def formulas(
        self, sheet: str, nrows: int, ncols: int, exact: bool = False
    ) -> tuple[Grid, dict[tuple[int, int], Any]]:
        """Formula text (``"=…"``) of the first *nrows* × *ncols* cells, None
        where a cell holds no formula; and the cached result of each formula
        cell by (row, column), error values (``#DIV/0!``) included.

        Sheets as spreadsheet programs write them take a fast path that looks
        only at the formula cells; anything unusual (comments, CDATA, prefixed
        tags, cells without addresses) or ``exact=True`` gets a full parse."""
        part = self._parts.get(sheet)
        grid: Grid = [[None] * ncols for _ in range(nrows)]
        cached: dict[tuple[int, int], Any] = {}
        if part is None:
            return grid, cached
        data = self._read(part, f"工作表「{sheet}」")
        if not exact and _plain_sheet(data):
            try:
                _scan_formulas(data, nrows, ncols, grid, cached)
                return grid, cached
            except _NotPlain:
                grid = [[None] * ncols for _ in range(nrows)]
                cached = {}
        return self._formulas_parsed(sheet, data, nrows, ncols, grid, cached)

    def _formulas_parsed(
        self, sheet: str, data: bytes, nrows: int, ncols: int, grid: Grid, cached: dict
    ) -> tuple[Grid, dict[tuple[int, int], Any]]:
        shared: dict[str, tuple[str, str]] = {}  # si -> (formula, origin cell)
        row_no = 0
        col_no = -1
        try:
            with io.BytesIO(data) as fh:
                for event, elem in iterparse(fh, events=("start", "end")):
                    tag = elem.tag
                    if event == "start":
                        if tag == _ROW:
                            r = elem.get("r")
                            row_no = int(r) if r else row_no + 1
                            col_no = -1
                            if row_no > nrows:
                                break
                        continue
                    if tag == _CELL:
                        ref = elem.get("r")
                        if ref:
                            _, col_no = cell_index(ref)
                        else:
                            col_no += 1
                        if col_no < ncols:
                            self._cell(elem, row_no - 1, col_no, grid, cached, shared)
                        elem.clear()
                    elif tag == _ROW:
                        elem.clear()
        except InputError:
            raise
        except Exception as exc:
            raise InputError(
                f"工作表「{sheet}」的内容无法解析（{type(exc).__name__}）", path=self.path
            ) from None
        return grid, cached

    @staticmethod
    def _cell(elem, r: int, c: int, grid: Grid, cached: dict, shared: dict) -> None:
        f = elem.find(_F)
        if f is None or r < 0:
            return
        text = _shared(f.text or "", f.get("t"), f.get("si"), _address(r, c), shared)
        if not text:
            return
        grid[r][c] = "=" + text
        v = elem.find(_V)
        kind = elem.get("t", "n")
        if v is not None and v.text is not None:
            cached[(r, c)] = _typed(v.text, kind)
        elif kind == "inlineStr":
            cached[(r, c)] = "".join(t.text or "" for t in elem.iter(_T))

    def grids(self, sheet: str, nrows: int, ncols: int) -> tuple[Grid, Grid]:
        """(values, formulas) of a sheet: formula cells carry their cached
        result in *values* (None when the file has none)."""
        values = self.values(sheet, nrows, ncols)
        formulas, cached = self.formulas(sheet, nrows, ncols)
        for r, row in enumerate(formulas):
            for c, text in enumerate(row):
                if text is None:
                    continue
                while len(values) <= r:
                    values.append([])
                line = values[r]
                while len(line) <= c:
                    line.append(None)
                line[c] = cached.get((r, c))
        return values, formulas


def _shared(text: str, kind: str | None, si: str | None, here: str, shared: dict) -> str:
    """Formula text of a cell, translating a shared formula's followers
    (``<f t="shared" si="0"/>``) from their group's first cell."""
    if kind != "shared" or si is None:
        return text
    if text:
        shared[si] = (text, here)
        return text
    if si in shared:
        base, origin = shared[si]
        return _translate(base, origin, here)
    return text


def _part_of(target: str) -> str:
    """Zip part of a relationship target of the workbook part."""
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join("xl", target))


def _sheet_parts_parsed(book_xml: bytes, rels_xml: bytes) -> dict[str, str]:
    book = fromstring(book_xml)
    rels = fromstring(rels_xml)
    targets = {rel.get("Id"): _part_of(rel.get("Target", "")) for rel in rels.iter(_PKG_REL)}
    parts = {}
    sheets = book.find(f"{_MAIN}sheets")
    for sheet in sheets if sheets is not None else ():
        part = targets.get(sheet.get(_DOC_REL))
        if part:
            parts[sheet.get("name", "")] = part
    return parts


_SHEETS = re.compile(rb"<sheets>(.*?)</sheets>", re.S)
_SHEET = re.compile(rb"<sheet\b([^>]*)/>")
_NAME_ATTR = re.compile(rb'\sname="([^"]*)"')
_RID_ATTR = re.compile(rb'\s([A-Za-z_][\w.-]*):id="([^"]*)"')
_REL = re.compile(rb"<Relationship\b([^>]*)/>")
_ID_ATTR = re.compile(rb'\sId="([^"]*)"')
_TARGET_ATTR = re.compile(rb'\sTarget="([^"]*)"')
_DOC_REL_NS = b'="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'


def _sheet_parts_fast(book_xml: bytes, rels_xml: bytes) -> dict[str, str] | None:
    """The sheet list read with regular expressions from unprefixed workbook
    and relationship parts; None (parse them fully) when anything is unusual."""
    if not (book_xml.lstrip().startswith((b"<?xml", b"<workbook")) and b"<workbook " in book_xml):
        return None
    if any(mark in data for data in (book_xml, rels_xml) for mark in _UNUSUAL):
        return None
    block = _SHEETS.search(book_xml)
    if block is None:
        return None
    targets = {}
    for m in _REL.finditer(rels_xml):
        rid, target = _ID_ATTR.search(m.group(1)), _TARGET_ATTR.search(m.group(1))
        if rid is None or target is None:
            return None
        targets[_xml_text(rid.group(1))] = _part_of(_xml_text(target.group(1)))
    if rels_xml.count(b"<Relationship ") != len(targets):
        return None
    parts = {}
    for m in _SHEET.finditer(block.group(1)):
        name, rid = _NAME_ATTR.search(m.group(1)), _RID_ATTR.search(m.group(1))
        if name is None or rid is None or b"xmlns:" + rid.group(1) + _DOC_REL_NS not in book_xml:
            return None
        part = targets.get(_xml_text(rid.group(2)))
        if part:
            parts[_xml_text(name.group(1))] = part
    if block.group(1).count(b"<sheet") != len(_SHEET.findall(block.group(1))):
        return None
    return parts


def _xml_text(raw: bytes) -> str:
    """Text of an attribute value or element content (entities resolved)."""
    text = raw.decode("utf-8")
    return html.unescape(text) if "&" in text else text


def _translate(formula: str, origin: str, here: str) -> str:
    """A shared formula's text as the cell *here* shows it (openpyxl's
    translator, imported only for files that use shared formulas)."""
    from openpyxl.formula.translate import Translator

    return Translator("=" + formula, origin=origin).translate_formula(here)[1:]


class _NotPlain(Exception):
    """The fast scan met something it does not handle: parse fully."""


_UNUSUAL = (b"<!--", b"<![CDATA[", b"<!DOCTYPE")
# A formula cell as spreadsheet programs write it: <f> is the first child of
# <c> (schema order f, v, is); its text and the cached <v> hold no markup.
_FORMULA_CELL = re.compile(
    rb"<c\b([^>]*)>\s*(<f)\b([^>]*?)(?:/>|>([^<]*)</f>)\s*(?:<v>([^<]*)</v>|<v/>)?"
)
_F_TAG = re.compile(rb"<f[\s>/]")
_R_ATTR = re.compile(rb'\br="([A-Z]{1,3}[0-9]{1,7})"')
_T_ATTR = re.compile(rb'\bt="([^"]*)"')
_SI_ATTR = re.compile(rb'\bsi="([^"]*)"')


def _plain_sheet(data: bytes) -> bool:
    """Unprefixed SpreadsheetML without comments, CDATA or DTD."""
    head = data[:512]
    return not any(mark in data for mark in _UNUSUAL) and (b"<worksheet" in head)


def _scan_formulas(data: bytes, nrows: int, ncols: int, grid: Grid, cached: dict) -> None:
    """Fast path: find each ``<f>`` tag of the sheet data, and read the cell
    it opens (the nearest ``<c`` before it) with one anchored expression; any
    cell that does not read as expected sends the sheet to the full parse."""
    start = data.find(b"<sheetData")
    end = data.rfind(b"</sheetData>")
    if start == -1 or end == -1:
        raise _NotPlain
    shared: dict[str, tuple[str, str]] = {}
    for tag in _F_TAG.finditer(data, start, end):
        m = _FORMULA_CELL.match(data, data.rfind(b"<c", start, tag.start()))
        if m is None or m.start(2) != tag.start():
            raise _NotPlain
        cattrs, _, fattrs, ftext, vtext = m.groups()
        cell = _cell_attrs(cattrs)
        if cell is None:
            raise _NotPlain  # positional cells: the full parse counts them
        r, c, kind = cell
        if r >= nrows or c >= ncols:
            continue
        text = _unescape(ftext) if ftext else ""
        if fattrs:
            shared_kind = _T_ATTR.search(fattrs)
            si = _SI_ATTR.search(fattrs)
            text = _shared(
                text,
                shared_kind.group(1).decode() if shared_kind else None,
                si.group(1).decode() if si else None,
                _address(r, c),
                shared,
            )
        if not text:
            continue
        grid[r][c] = "=" + text
        if vtext:  # <v></v> holds nothing, as in the full parse
            cached[(r, c)] = _typed(_xml_text(vtext), kind)
        elif kind == "inlineStr":
            raise _NotPlain  # an inline string result: the full parse reads it


# Forms made from one template repeat the same cell tags and formula texts:
# each is worked out once per process.
@lru_cache(maxsize=4096)
def _cell_attrs(cattrs: bytes) -> tuple[int, int, str] | None:
    """(row, column, type) of a ``<c …>`` tag's attributes; None without an
    address or for an empty cell."""
    ref = _R_ATTR.search(cattrs)
    if ref is None or cattrs.endswith(b"/"):
        return None
    kind = _T_ATTR.search(cattrs)
    return (*cell_index(ref.group(1).decode("ascii")), kind.group(1).decode() if kind else "n")


_unescape = lru_cache(maxsize=4096)(_xml_text)  # formula texts repeat; cached values do not


def _typed(text: str, kind: str) -> Any:
    if kind in ("str", "e", "inlineStr"):
        return text
    if kind == "b":
        return text == "1"
    try:
        number = float(text)
    except ValueError:
        return text
    return (
        int(number)
        if number.is_integer() and "." not in text and "E" not in text.upper()
        else number
    )


def _address(r: int, c: int) -> str:
    letters = ""
    c += 1
    while c:
        c, rem = divmod(c - 1, 26)
        letters = chr(65 + rem) + letters
    return f"{letters}{r + 1}"
