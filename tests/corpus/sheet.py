"""Writing a form into a worksheet at an offset, and recording where each value went.

Family modules write a form with addresses as if it started at A1 ("C5"); a
:class:`Writer` moves them to the form's real origin (a form at C4 of a sheet,
the third form stacked in one sheet …).  :class:`FormBuilder` writes a value and
records it in the ground truth in one call, so an address is never typed twice.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.utils.cell import coordinate_from_string

from . import model

FIXED_TIME = datetime(2024, 1, 1, 0, 0, 0)
FIXED_ZIP_TIME = (2024, 1, 1, 0, 0, 0)
_CORE_TIMES = re.compile(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)")
THIN = Side(style="thin")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="center")
CENTER = Alignment(wrap_text=True, vertical="center", horizontal="center")
AMOUNT_FORMAT = "#,##0.00"
PERCENT_FORMAT = "0.00%"
TEXT_FORMAT = "@"


def q2(value) -> Decimal:
    """Half-up to 2 decimals from the exact decimal text of *value*."""
    return Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def split(addr: str) -> tuple[int, int]:
    """'C5' -> (row 5, column 3)."""
    letters, row = coordinate_from_string(addr)
    return row, column_index_from_string(letters)


def addr_of(row: int, col: int) -> str:
    return f"{get_column_letter(col)}{row}"


def new_workbook() -> Workbook:
    wb = Workbook()
    wb.remove(wb.active)
    props = wb.properties
    props.creator = "perfkit corpus"
    props.lastModifiedBy = "perfkit corpus"
    props.created = FIXED_TIME
    props.modified = FIXED_TIME
    return wb


def save_deterministic(wb: Workbook, path) -> None:
    """Save and re-pack the zip with fixed dates and a stable entry order."""
    for ws in wb.worksheets:  # printed on A4 landscape, one page wide, as forms are
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
    raw = io.BytesIO()
    wb.save(raw)
    src = zipfile.ZipFile(io.BytesIO(raw.getvalue()))
    first = {"[Content_Types].xml": 0, "_rels/.rels": 1}
    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for name in sorted(src.namelist(), key=lambda n: (first.get(n, 2), n)):
            payload = src.read(name)
            if name == "docProps/core.xml":
                payload = _CORE_TIMES.sub(lambda m: m.group(1) + stamp + m.group(3), payload)
            info = zipfile.ZipInfo(name, date_time=FIXED_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            info.create_system = 0
            dst.writestr(info, payload, compress_type=zipfile.ZIP_DEFLATED, compresslevel=6)
    path.write_bytes(out.getvalue())


class Writer:
    """A form's cells, addressed as if the form started at A1."""

    def __init__(self, ws, top: int = 1, left: int = 1):
        self.ws, self.top, self.left = ws, top, left
        self.max_row = 0
        self.max_col = 0
        self._texts: list[tuple[int, int, int, str]] = []  # (row, first col, last col, text)

    def at(self, addr: str) -> str:
        row, col = split(addr)
        return addr_of(row + self.top - 1, col + self.left - 1)

    def row_of(self, addr: str) -> int:
        """Absolute row number of a relative address."""
        return split(self.at(addr))[0]

    def put(
        self,
        addr: str,
        value,
        merge: str | None = None,
        fmt: str | None = None,
        bold: bool = False,
        center: bool = False,
    ) -> str:
        """Write *value* at *addr* (merged to the end of *merge*); returns the absolute address."""
        where = self.at(addr)
        cell = self.ws[where]
        cell.value = value
        if isinstance(value, str) and value.startswith("="):
            cell.data_type = "s"  # "=8个" is a target typed as text, not a formula
            fmt = fmt or TEXT_FORMAT
        cell.alignment = CENTER if center else WRAP
        if bold:
            cell.font = Font(bold=True)
        if fmt:
            cell.number_format = fmt
        elif isinstance(value, float):
            cell.number_format = "0.00"
        row, col = split(addr)
        last_row, last_col = row, col
        if merge:
            lo, hi = merge.split(":")
            assert lo == addr, (addr, merge)
            self.ws.merge_cells(f"{where}:{self.at(hi)}")
            self._extent(hi)
            last_row, last_col = split(hi)
        self._extent(addr)
        if isinstance(value, str) and last_row == row:
            self._texts.append((row, col, last_col, value))
        return where

    def _extent(self, addr: str) -> None:
        row, col = split(addr)
        self.max_row = max(self.max_row, row)
        self.max_col = max(self.max_col, col)

    def title(self, text: str, width: int, row: int = 1, size: int = 16) -> str:
        last = get_column_letter(width)
        where = self.put(f"A{row}", text, merge=f"A{row}:{last}{row}", center=True)
        self.ws[where].font = Font(bold=True, size=size)
        return where

    def borders(self, first_row: int, last_row: int, width: int) -> None:
        """Thin borders on the relative rectangle A{first_row}:{width}{last_row}."""
        for r in range(first_row, last_row + 1):
            for c in range(1, width + 1):
                self.ws.cell(r + self.top - 1, c + self.left - 1).border = BORDER

    def widths(self, widths: dict[str, float]) -> None:
        """Column widths (relative letters), then row heights that show the wrapped texts."""
        for letter, width in widths.items():
            col = column_index_from_string(letter) + self.left - 1
            self.ws.column_dimensions[get_column_letter(col)].width = width
        lines: dict[int, int] = {}
        for row, first, last, text in self._texts:
            chars = sum(widths.get(get_column_letter(c), 9) for c in range(first, last + 1))
            need = sum(-(-max(len(part), 1) * 2 // max(int(chars), 1)) for part in text.split("\n"))
            lines[row] = max(lines.get(row, 1), need)
        for row, n in sorted(lines.items()):
            if n > 1:
                self.ws.row_dimensions[row + self.top - 1].height = 15 * n


_SAME = object()


@dataclass
class FormBuilder:
    """Writes a form's values and collects its :class:`model.Expected` as it goes."""

    family: str
    kind: str
    w: Writer
    amount_unit: str | None = None
    head: dict = field(default_factory=dict)
    funds: dict = field(default_factory=dict)
    exec: dict = field(default_factory=dict)
    goal: dict = field(default_factory=dict)
    rows: list = field(default_factory=list)
    total: dict = field(default_factory=dict)
    level1_weights: dict = field(default_factory=dict)
    part_weight: object = None
    cells: dict = field(default_factory=dict)
    oracle: dict = field(default_factory=dict)
    known: list = field(default_factory=list)

    def label(self, addr: str, text: str, merge: str | None = None, **kw) -> str:
        return self.w.put(addr, text, merge=merge, **kw)

    def put(self, key: str, addr: str, value, shown=_SAME, merge=None, fmt=None, **kw) -> str:
        """Write *value* (or the *shown* form of it) and record it under *key*.

        Keys: ``head.<name>``, ``funds.<row>.<column>``, ``exec.<name>``,
        ``goal.<name>``, ``total.<name>``, ``part_weight``, ``oracle.<name>``
        (a printed figure that is also an oracle number).  A value of None
        records the address only (a formula cell with no cached value).
        """
        where = self.w.put(addr, value if shown is _SAME else shown, merge=merge, fmt=fmt, **kw)
        self.record(key, where, value)
        return where

    def record(self, key: str, where: str, value) -> None:
        self.cells[key] = where
        if value is None:
            return
        parts = key.split(".")
        if parts[0] == "funds":
            self.funds.setdefault(parts[1], {})[parts[2]] = value
        elif parts[0] in ("head", "exec", "goal", "total"):
            getattr(self, parts[0])[parts[1]] = value
        elif parts[0] == "part_weight":
            self.part_weight = value
        elif parts[0] == "oracle":
            pass
        else:
            raise KeyError(key)

    def fund_row(self, key: str) -> None:
        """Declare a fund row that exists on the form even when its cells are blank."""
        self.funds.setdefault(key, {})

    def expected(self, sheet: str) -> model.Expected:
        required = {"total.score"} | ({"funds.total.executed"} if self.funds else set())
        assert required <= set(self.cells), (self.family, required - set(self.cells))
        return model.Expected(
            family=self.family,
            kind=self.kind,
            sheet=sheet,
            head=dict(self.head),
            amount_unit=self.amount_unit,
            funds={k: dict(v) for k, v in self.funds.items()},
            exec=dict(self.exec),
            goal=dict(self.goal),
            indicators=tuple(self.rows),
            total=dict(self.total),
            level1_weights=dict(self.level1_weights),
            part_weight=self.part_weight,
            cells=dict(self.cells),
            oracle={k: str(v) for k, v in self.oracle.items()},
            known_findings=tuple(self.known),
        )


ROW_FIELDS = ("level1", "level2", "level3", "target", "actual", "weight", "score")


def write_grid(
    b: FormBuilder,
    first_row: int,
    columns: dict[str, str],
    rows: list[dict],
    level1_labels: dict[str, str] | None = None,
    merge: tuple[str, ...] = ("level1", "level2"),
    shown: dict[str, object] | None = None,
) -> list[model.Row]:
    """Write indicator rows from *first_row* (relative) down; returns their Rows.

    *columns* maps a field (level1 … score, deviation_reason, benchmark, operator,
    target_value, unit, weight_setting, description) to a relative column letter.
    Runs of equal level1/level2 labels (for the fields in *merge*) are written once
    and merged down; the label shown for a level1 comes from *level1_labels*.
    A row dict may carry ``shown_<field>`` to write another form of its value
    (e.g. weight 3 written "3分") and ``fmt_<field>`` for a number format.
    """
    level1_labels = level1_labels or {}
    out: list[model.Row] = []
    n = len(rows)
    run_top: dict[str, str] = {}
    for i, row in enumerate(rows):
        r = first_row + i
        cells: dict[str, str] = {}
        for fname, col in columns.items():
            addr = f"{col}{r}"
            value = row.get(fname)
            if fname in merge:
                prev = rows[i - 1].get(fname) if i else object()
                if i and prev == value and _same_parent(rows, i, fname, merge):
                    cells[fname] = run_top[fname]
                    continue
                end = i
                while (
                    end + 1 < n
                    and rows[end + 1].get(fname) == value
                    and _same_parent(rows, end + 1, fname, merge)
                ):
                    end += 1
                text = level1_labels.get(value, value) if fname == "level1" else value
                span = f"{addr}:{col}{first_row + end}" if end > i else None
                run_top[fname] = b.w.put(addr, text, merge=span, center=True)
                cells[fname] = run_top[fname]
                continue
            display = row.get(f"shown_{fname}", value)
            if display is None and value is None:
                if fname in ("score", "weight", "target", "actual", "level3"):
                    cells[fname] = b.w.at(addr)
                continue
            cells[fname] = b.w.put(addr, display, fmt=row.get(f"fmt_{fname}"))
        if "target" not in columns and "target_value" in cells:
            cells["target"] = cells["target_value"]  # the 指标值 cell of a split target
        for code, fname in row.get("known", ()):
            b.known.append((code, cells[fname]))
        extra = {
            k: v
            for k, v in row.items()
            if k not in ROW_FIELDS
            and k != "known"
            and not k.startswith(("shown_", "fmt_"))
            and v is not None
        }
        out.append(
            model.Row(
                level1=row["level1"],
                level2=row["level2"],
                level3=row.get("level3"),
                target=row.get("target"),
                actual=row.get("actual"),
                weight=row.get("weight"),
                score=row.get("score"),
                cells=cells,
                extra=extra,
            )
        )
    b.rows.extend(out)
    return out


def _same_parent(rows: list[dict], i: int, fname: str, merge: tuple[str, ...]) -> bool:
    """A level2 run does not continue across a change of level1."""
    if fname == "level2" and "level1" in merge:
        return rows[i].get("level1") == rows[i - 1].get("level1")
    return True
