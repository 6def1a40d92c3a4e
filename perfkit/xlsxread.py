"""Reading a few sheets of an .xlsx: cached values and formula text.

One reader for every surface that reads a form from disk (``read_form``,
``perfkit validate``, ``perfkit summarize``):

* the file passes :func:`perfkit.safety.check_workbook_file` first;
* python-calamine gives the cached values (fast, Rust);
* the sheet XML of the sheets asked for is parsed with defusedxml's
  ``iterparse`` for what calamine does not give: the formula text of each
  cell (shared formulas translated to their own cell, as Excel shows them)
  and the cached result of formula cells, error values included;
* only the rows and columns asked for are kept — declared sheet dimensions
  are never trusted, and parsing stops after the last row needed.
"""

from __future__ import annotations

import os
import posixpath
import zipfile
from functools import lru_cache
from typing import Any

from defusedxml.ElementTree import fromstring, iterparse
from openpyxl.formula.translate import Translator
from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

from .errors import InputError
from .safety import check_workbook_file

Grid = list[list[Any]]

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_DOC_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_ROW, _CELL, _F, _V, _IS, _T = (f"{_MAIN}{t}" for t in ("row", "c", "f", "v", "is", "t"))


@lru_cache(maxsize=4096)
def cell_index(cell: str) -> tuple[int, int]:
    """'H14' -> (13, 7): zero-based row and column."""
    col, row = coordinate_from_string(cell)
    return row - 1, column_index_from_string(col) - 1


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
        check_workbook_file(self.path)
        try:
            self._zip = zipfile.ZipFile(self.path)
            self._parts = self._sheet_parts()
        except InputError:
            raise
        except Exception as exc:
            raise InputError(
                f"无法读取工作簿结构（{type(exc).__name__}: {exc}）", path=self.path
            ) from None
        self._book = None

    def __enter__(self) -> XlsxReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._zip.close()
        self._book = None

    @property
    def sheet_names(self) -> list[str]:
        return list(self._parts)

    # -- structure -------------------------------------------------------------

    def _sheet_parts(self) -> dict[str, str]:
        """Sheet name -> zip part, in workbook order."""
        book = fromstring(self._zip.read("xl/workbook.xml"))
        rels = fromstring(self._zip.read("xl/_rels/workbook.xml.rels"))
        targets = {}
        for rel in rels.iter(_PKG_REL):
            target = rel.get("Target", "")
            if target.startswith("/"):
                part = target.lstrip("/")
            else:
                part = posixpath.normpath(posixpath.join("xl", target))
            targets[rel.get("Id")] = part
        parts = {}
        sheets = book.find(f"{_MAIN}sheets")
        for sheet in sheets if sheets is not None else ():
            part = targets.get(sheet.get(_DOC_REL))
            if part and part in self._zip.NameToInfo:
                parts[sheet.get("name", "")] = part
        return parts

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
        self, sheet: str, nrows: int, ncols: int
    ) -> tuple[Grid, dict[tuple[int, int], Any]]:
        """Formula text (``"=…"``) of the first *nrows* × *ncols* cells, None
        where a cell holds no formula; and the cached result of each formula
        cell by (row, column), error values (``#DIV/0!``) included."""
        part = self._parts.get(sheet)
        grid: Grid = [[None] * ncols for _ in range(nrows)]
        cached: dict[tuple[int, int], Any] = {}
        if part is None:
            return grid, cached
        shared: dict[str, tuple[str, str]] = {}  # si -> (formula, origin cell)
        row_no = 0
        col_no = -1
        try:
            with self._zip.open(part) as fh:
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
        text = f.text or ""
        here = _address(r, c)
        if f.get("t") == "shared" and f.get("si") is not None:
            si = f.get("si")
            if text:
                shared[si] = (text, here)
            elif si in shared:
                base, origin = shared[si]
                text = Translator("=" + base, origin=origin).translate_formula(here)[1:]
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
