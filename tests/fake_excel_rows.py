"""A fake xlwings book that also does what Excel does to a sheet when whole
rows are inserted, for the 插入指标行 macro (``macros/insert_row.py``).

It extends the counting fake of ``tests/test_validate_macros.py`` with

* ``sheet.api.Rows("17:18").Insert(Shift=..., CopyOrigin=...)``: every cell at
  or below row 17 moves down (values, formulas, notes, formats, row heights);
  references in formulas and defined names move as Excel moves them, so a
  range grows only when the rows go in strictly inside it; a merged range
  grows the same way; with ``CopyOrigin=xlFormatFromLeftOrAbove`` the new rows
  take the format of the row above (fill, locked, borders), as Excel does;
* ``range.api.Merge()`` / ``UnMerge()``, ``range.formula = …``,
  ``range.api.Borders(i).LineStyle``/``Weight``, ``Rows(r).RowHeight``;
* ``book.selection``, ``book.names[name].refers_to``, ``app.screen_updating``
  and ``app.display_alerts`` (their history is kept);
* a protected sheet refuses every change (Excel: error 1004), so a macro
  that forgets to unprotect fails here.

The reference shifting is written here on its own, not borrowed from the
macro, so that the two can disagree; ``tests/test_insert_row.py`` holds both
to LibreOffice, a real spreadsheet program.
"""

from __future__ import annotations

import re
from pathlib import Path

from tests.test_validate_macros import (
    FakeApp,
    FakeBook,
    FakeNote,
    FakeRange,
    FakeSheet,
    FakeSheetApi,
    _letters,
    _parse,
)

XL_FORMAT_FROM_LEFT_OR_ABOVE = 0
THIN, MEDIUM = "thin", "medium"
EDGE_TOP, INSIDE_HORIZONTAL = 8, 12
EDGES = {7: "left", 8: "top", 10: "right", 11: "inside_vertical", 12: "inside_horizontal"}


class Protected(RuntimeError):
    """What Excel raises when a protected sheet is changed (error 1004)."""


# --------------------------------------------------------------------------
# Excel's row insertion, written independently of the macro
# --------------------------------------------------------------------------


def move_refs(formula: str, at: int, count: int) -> str:
    """Rows at or below *at* move down by *count* in every A1 reference
    outside string literals; a sheet-qualified reference is left alone (the
    templates' formulas have none to this sheet)."""
    parts = formula.split('"')
    for i in range(0, len(parts), 2):  # even parts are outside "…"
        parts[i] = re.sub(
            r"(^|[^A-Za-z0-9_.!$])(\$?[A-Za-z]{1,3}\$?)(\d+)(?=$|[^A-Za-z0-9_(!])",
            lambda m: (
                m.group(1)
                + m.group(2)
                + str(int(m.group(3)) + (count if int(m.group(3)) >= at else 0))
            ),
            parts[i],
        )
    return '"'.join(parts)


def move_span(span: tuple[int, int, int, int], at: int, count: int) -> tuple[int, int, int, int]:
    r1, c1, r2, c2 = span
    return (r1 + count if r1 >= at else r1, c1, r2 + count if r2 >= at else r2, c2)


class FakeName:
    def __init__(self, book, name, refers_to):
        self.book, self.name, self._refers_to = book, name, refers_to

    @property
    def refers_to(self):
        self.book.calls.hit("name.refers_to")
        return self._refers_to

    @refers_to.setter
    def refers_to(self, value):
        self.book.calls.hit("name.refers_to=")
        self.book.name_writes.append((self.name, value))
        self._refers_to = value


class FakeNames:
    def __init__(self, book):
        self.book = book
        self.by_name: dict[str, FakeName] = {}

    def __getitem__(self, name):
        self.book.calls.hit("book.names[]")
        if name not in self.by_name:
            raise KeyError(name)  # pywintypes.com_error in Excel
        return self.by_name[name]

    def __iter__(self):
        return iter(self.by_name.values())


class FakeBorder:
    def __init__(self, rng, edge):
        self.rng, self.edge = rng, edge

    def __setattr__(self, name, value):
        if name in ("rng", "edge"):
            object.__setattr__(self, name, value)
            return
        sheet = self.rng.sheet
        sheet.calls.hit(f"border.{name}=")
        sheet.check_writable()
        if name != "Weight":
            return
        style = {2: THIN, -4138: MEDIUM}[value]
        r1, c1, r2, c2 = self.rng._bounds()
        if self.edge == EDGE_TOP:
            rows = [r1]
        elif self.edge == INSIDE_HORIZONTAL:
            rows = list(range(r1 + 1, r2 + 1))
        else:
            rows = []
        for r in rows:
            for c in range(c1, c2 + 1):
                sheet.format_of(r, c)["top"] = style


class FakeRangeApi:
    def __init__(self, rng):
        self.rng = rng

    def Merge(self):
        sheet = self.rng.sheet
        sheet.calls.hit("range.api.Merge")
        sheet.check_writable()
        span = self.rng._bounds()
        r1, c1, r2, c2 = span
        for r in range(r1, r2 + 1):
            for c in range(c1, c2 + 1):
                if (r, c) != (r1, c1) and (
                    sheet.values.get((r, c)) not in (None, "") or (r, c) in sheet.formulas
                ):
                    raise AssertionError(f"Merge would discard {_letters(c)}{r}")
        if any(_overlap(span, m) for m in sheet.merged):
            raise AssertionError(f"Merge over a merged range: {self.rng.first}")
        sheet.merged.add(span)

    def UnMerge(self):
        sheet = self.rng.sheet
        sheet.calls.hit("range.api.UnMerge")
        sheet.check_writable()
        span = self.rng._bounds()
        sheet.merged = {m for m in sheet.merged if not _overlap(span, m)}

    def Borders(self, edge):
        self.rng.sheet.calls.hit("range.api.Borders")
        return FakeBorder(self.rng, edge)


def _overlap(a, b) -> bool:
    return a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]


class RowsRange(FakeRange):
    @property
    def api(self):
        return FakeRangeApi(self)

    @property
    def formula(self):
        return FakeRange.formula.fget(self)

    @formula.setter
    def formula(self, text):
        self.sheet.calls.hit("range.formula=")
        self.sheet.check_writable()
        r, c = _parse(self.first)
        self.sheet.formulas[(r, c)] = text
        self.sheet.values.pop((r, c), None)
        self.sheet.formula_writes.append(self.first)

    def select(self):
        self.sheet.calls.hit("range.select")
        self.sheet.book.selected = (self.sheet._name, self.first)


class FakeRows:
    def __init__(self, sheet, spec):
        self.sheet = sheet
        text = str(spec)
        first, _, last = text.partition(":")
        self.first, self.last = int(first), int(last or first)

    @property
    def RowHeight(self):
        self.sheet.calls.hit("rows.RowHeight")
        return self.sheet.heights.get(self.first, 15)

    @RowHeight.setter
    def RowHeight(self, value):
        self.sheet.calls.hit("rows.RowHeight=")
        self.sheet.check_writable()
        for r in range(self.first, self.last + 1):
            self.sheet.heights[r] = value

    def Insert(self, Shift=None, CopyOrigin=None):
        self.sheet.calls.hit("rows.Insert")
        self.sheet.inserts.append((self.first, self.last, Shift, CopyOrigin))
        self.sheet.insert_rows(self.first, self.last - self.first + 1, CopyOrigin)


class RowsSheetApi(FakeSheetApi):
    def Rows(self, spec):
        self.sheet.calls.hit("api.Rows")
        return FakeRows(self.sheet, spec)


class RowsSheet(FakeSheet):
    def __init__(self, book, name):
        super().__init__(book, name)
        self.api = RowsSheetApi(self)
        self.merged: set[tuple[int, int, int, int]] = set()
        self.formats: dict[tuple[int, int], dict] = {}
        self.heights: dict[int, float] = {}
        self.inserts: list[tuple] = []
        self.formula_writes: list[str] = []
        self.allow_inserting_rows = True

    def range(self, addr):
        rng = super().range(addr)
        return RowsRange(self, rng.first, rng.last)

    def format_of(self, r, c) -> dict:
        return self.formats.setdefault((r, c), {})

    @property
    def protected(self) -> bool:
        return bool(self.api.ProtectContents_)

    def check_writable(self) -> None:
        if self.protected:
            raise Protected("您试图更改的单元格或图表位于受保护的工作表中。")

    def insert_rows(self, at: int, count: int, copy_origin) -> None:
        if self.protected and not self.allow_inserting_rows:
            raise Protected("rows may not be inserted on this protected sheet")

        def down(cells: dict) -> dict:
            return {((r + count if r >= at else r), c): v for (r, c), v in cells.items()}

        self.values = down(self.values)
        self.formulas = {k: move_refs(v, at, count) for k, v in down(self.formulas).items()}
        self.formats = down(self.formats)
        self.heights = {(r + count if r >= at else r): h for r, h in self.heights.items()}
        self.merged = {move_span(m, at, count) for m in self.merged}
        notes = {}
        for addr, note in self.notes_by_cell.items():
            r, c = _parse(addr)
            moved = f"{_letters(c)}{r + count if r >= at else r}"
            note.cell = moved
            notes[moved] = note
        self.notes_by_cell = notes
        for name in self.book.names:
            ref = name._refers_to
            prefix = f"={self._name}!"
            if ref.startswith(prefix):
                name._refers_to = prefix + move_refs(ref[len(prefix) :], at, count)
        if copy_origin == XL_FORMAT_FROM_LEFT_OR_ABOVE and at > 1:
            for (r, c), fmt in list(self.formats.items()):
                if r == at - 1:
                    for new in range(at, at + count):
                        self.formats[(new, c)] = dict(fmt)


class RowsApp(FakeApp):
    def __init__(self, book):
        super().__init__(book)
        self._screen = True
        self._alerts = True
        self.screen_history: list[bool] = []
        self.alerts_history: list[bool] = []

    @property
    def screen_updating(self):
        return self._screen

    @screen_updating.setter
    def screen_updating(self, value):
        self.book.calls.hit("app.screen_updating=")
        self._screen = value
        self.screen_history.append(value)

    @property
    def display_alerts(self):
        return self._alerts

    @display_alerts.setter
    def display_alerts(self, value):
        self.book.calls.hit("app.display_alerts=")
        self._alerts = value
        self.alerts_history.append(value)


class RowsBook(FakeBook):
    def __init__(self, name="form.xlsx"):
        super().__init__(name)
        self.app = RowsApp(self)
        self.names = FakeNames(self)
        self.name_writes: list[tuple[str, str]] = []
        self.selected: tuple[str, str] | None = None
        self._selection: RowsRange | None = None

    def add(self, name) -> RowsSheet:
        sheet = RowsSheet(self, name)
        self._sheets.append(sheet)
        return sheet

    @property
    def selection(self):
        self.calls.hit("book.selection")
        return self._selection

    def select(self, sheet: str, address: str) -> RowsBook:
        """What the clerk selected before clicking the button."""
        sht = self.sheet(sheet)
        first, _, last = address.partition(":")
        self._selection = _Selection(sht, first, last or first, address)
        return self


class _Selection(RowsRange):
    """A selection whose address is kept as written ("15:16", "D:D", "D15,D17")."""

    def __init__(self, sheet, first, last, written):
        super().__init__(sheet, "A1", "A1")
        self.written = written

    @property
    def address(self):
        self.sheet.calls.hit("range.address")
        return "$" + self.written.replace(":", ":$")


def rows_book(path: Path) -> RowsBook:
    """A fake book holding what Excel shows for *path*: values, formulas,
    notes, merged ranges, defined names, each cell's fill, locked state and
    top border, row heights and the sheet protection."""
    import openpyxl

    wb = openpyxl.load_workbook(path)
    book = RowsBook(path.name)
    for ws in wb.worksheets:
        sheet = book.add(ws.title)
        for row in ws.iter_rows():
            for c in row:
                v = c.value
                if v is not None:
                    if isinstance(v, str) and v.startswith("="):
                        sheet.formulas[(c.row, c.column)] = v
                    else:
                        sheet.values[(c.row, c.column)] = v
                if c.has_style:
                    sheet.formats[(c.row, c.column)] = {
                        "fill": c.fill.fgColor.rgb if c.fill.fill_type else None,
                        "locked": c.protection.locked,
                        "top": c.border.top.style,
                    }
                if c.comment:
                    sheet.notes_by_cell[c.coordinate] = FakeNote(
                        sheet, c.coordinate, c.comment.text
                    )
        for rng in ws.merged_cells.ranges:
            sheet.merged.add((rng.min_row, rng.min_col, rng.max_row, rng.max_col))
        for r, dim in ws.row_dimensions.items():
            if dim.height is not None:
                sheet.heights[r] = dim.height
        object.__setattr__(sheet.api, "ProtectContents_", bool(ws.protection.sheet))
        sheet.allow_inserting_rows = ws.protection.insertRows is False
    for name, dn in wb.defined_names.items():
        book.names.by_name[name] = FakeName(book, name, "=" + dn.attr_text)
    return book


def cells(sheet: RowsSheet) -> dict[tuple[int, int], object]:
    """Every cell's content: a formula's text or a value."""
    return {**sheet.values, **sheet.formulas}


__all__ = ["Protected", "RowsBook", "RowsSheet", "cells", "move_refs", "rows_book"]
