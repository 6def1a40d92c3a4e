"""Marked copies of a workbook (batch ``--out``): each finding's cell gets a
fill colour by severity and a note with the message, plus a 校验结果 sheet.

The input is never written: the copy is saved atomically under another name.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterable
from pathlib import Path

from ..errors import PerfkitError
from ..fsutil import check_outputs, write_atomic
from ..outputs import MARKED, mark_openpyxl
from .core import SEVERITY_COLORS, SEVERITY_LABELS, SEVERITY_RANK, Finding

RESULT_SHEET = "校验结果"
RESULT_HEADER = ("严重程度", "代码", "位置", "说明")
NOTE_AUTHOR = "perfkit"
NOTE_PREFIX = "【perfkit 校验】"


def hex_color(rgb: tuple[int, int, int]) -> str:
    return "{:02X}{:02X}{:02X}".format(*rgb)


def by_cell(findings: Iterable[Finding]) -> dict[tuple[str, str], list[Finding]]:
    """Findings grouped by (sheet, cell), most severe first; findings without a cell are left out."""
    out: dict[tuple[str, str], list[Finding]] = {}
    for f in findings:
        if f.cell:
            out.setdefault((f.sheet, f.cell), []).append(f)
    for items in out.values():
        items.sort(key=lambda f: SEVERITY_RANK.get(f.severity, 9))
    return out


def note_text(items: list[Finding]) -> str:
    """The note put on a marked cell."""
    lines = [NOTE_PREFIX]
    for f in items:
        lines.append(f"[{SEVERITY_LABELS.get(f.severity, f.severity)}] {f.code}：{f.message}")
    return "\n".join(lines)


def link_formula(sheet: str, cell: str) -> str:
    """=HYPERLINK to a cell of this workbook (text shows sheet!cell)."""
    target = f"'{sheet}'!{cell}" if cell else f"'{sheet}'!A1"
    shown = f"{sheet}!{cell}" if cell else sheet
    return f'=HYPERLINK("#{target}","{shown}")'


def result_rows(findings: Iterable[Finding]) -> list[list[str]]:
    """Rows of the 校验结果 sheet, header first."""
    rows = [list(RESULT_HEADER)]
    for f in findings:
        rows.append(
            [
                SEVERITY_LABELS.get(f.severity, f.severity),
                f.code,
                link_formula(f.sheet, f.cell),
                f.message,
            ]
        )
    return rows


RESULT_WIDTHS = (10, 26, 16, 80)  # 严重程度, 代码, 位置, 说明: one A4 page wide, landscape
FOOTER = "&A — 第 &P 页，共 &N 页"
LINE_HEIGHT = 15  # points per line of wrapped text


def _lines(text: str, width: float) -> int:
    """Lines *text* takes wrapped in a column *width* characters wide (CJK: two)."""
    usable = max(width - 1.5, 1)
    return sum(
        max(1, math.ceil(sum(2.2 if ord(ch) > 0x2E80 else 1 for ch in part) / usable))
        for part in text.split("\n")
    )


def mark_copy(
    source: str | os.PathLike, target: str | os.PathLike, findings: list[Finding]
) -> Path:
    """Write a marked copy of *source* to *target* (atomic; *source* untouched).
    The copy carries perfkit's output mark (:mod:`perfkit.outputs`), so that a
    later scan of the folder does not read it as a form."""
    import openpyxl
    from openpyxl.comments import Comment
    from openpyxl.styles import PatternFill

    src = Path(source)
    check_outputs([target], [src])
    if src.suffix.lower() not in (".xlsx", ".xlsm"):
        raise PerfkitError(
            "标注副本只能为 .xlsx/.xlsm 文件生成：请在 Excel 中把它另存为 .xlsx 后再使用 --out",
            path=str(src),
        )
    from ..safety import DEFAULT_LIMITS, OLE_MAGIC, _check_head

    if _check_head(str(src), DEFAULT_LIMITS, allow_ole=True) == OLE_MAGIC:
        raise PerfkitError(
            f"文件名为 {src.suffix}，内容却是 .xls 格式；标注副本只能为 .xlsx/.xlsm 文件生成："
            "请在 Excel 中把它另存为 .xlsx 后再使用 --out",
            path=str(src),
        )
    keep_vba = src.suffix.lower() == ".xlsm"
    wb = openpyxl.load_workbook(src, keep_vba=keep_vba)
    try:
        for (sheet, cell), items in by_cell(findings).items():
            if sheet not in wb.sheetnames:
                continue
            ws = wb[sheet]
            c = _anchor(ws, ws[cell])
            color = hex_color(SEVERITY_COLORS[items[0].severity])
            c.fill = PatternFill(fill_type="solid", start_color=color, end_color=color)
            text = note_text(items)
            if c.comment is not None and c.comment.text:
                text = text + "\n\n" + c.comment.text
            comment = Comment(text, NOTE_AUTHOR)
            comment.width, comment.height = 320, 160
            c.comment = comment
        _result_sheet(wb.create_sheet(_result_sheet_name(wb)), findings)
        try:
            wb.calculation.fullCalcOnLoad = True  # openpyxl drops cached results
        except AttributeError:  # pragma: no cover
            pass
        mark_openpyxl(wb, MARKED, src)
        return write_atomic(target, lambda tmp: wb.save(tmp))
    finally:
        _close_vba_archive(wb)


def _anchor(ws, cell):
    """The cell that carries a merged range's note and fill: its top-left
    (a finding may name any cell of the range)."""
    from openpyxl.cell.cell import MergedCell

    if not isinstance(cell, MergedCell):
        return cell
    for rng in ws.merged_cells.ranges:
        if rng.min_row <= cell.row <= rng.max_row and rng.min_col <= cell.column <= rng.max_col:
            return ws.cell(row=rng.min_row, column=rng.min_col)
    return cell


def _result_sheet_name(wb) -> str:
    """校验结果, after removing earlier ones of perfkit's (known by their header
    row); a user's own sheet of that name stays and ours is 校验结果 (2)."""
    for title in list(wb.sheetnames):
        if title.startswith(RESULT_SHEET):
            header = [c.value for c in wb[title][1][: len(RESULT_HEADER)]]
            if header == list(RESULT_HEADER):
                del wb[title]
    name, n = RESULT_SHEET, 2
    while name in wb.sheetnames:
        name, n = f"{RESULT_SHEET} ({n})", n + 1
    return name


def _result_sheet(ws, findings: list[Finding]) -> None:
    """The 校验结果 sheet: the findings, laid out to print — A4 landscape, one
    page wide, the header row repeated on every page, long messages wrapped."""
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    thin = Side(style="thin", color="BFBFBF")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="top")
    head = Alignment(horizontal="center", vertical="center", wrap_text=True)
    header_fill = PatternFill(fill_type="solid", start_color="D9D9D9", end_color="D9D9D9")
    for r, row in enumerate(result_rows(findings), start=1):
        if r > 1:  # wrapped text: readers that do not fit rows themselves need the height
            ws.row_dimensions[r].height = LINE_HEIGHT * max(
                _lines(str(value), width)
                for value, width in zip(row, RESULT_WIDTHS, strict=True)
                if not str(value).startswith("=")
            )
        for col, value in enumerate(row, start=1):
            cell = ws.cell(row=r, column=col, value=value)
            cell.border = border
            if r == 1:
                cell.font = Font(bold=True)
                cell.fill = header_fill
                cell.alignment = head
                continue
            cell.alignment = wrap
            if col == 1:
                color = hex_color(SEVERITY_COLORS[findings[r - 2].severity])
                cell.fill = PatternFill(fill_type="solid", start_color=color, end_color=color)
    for col, width in zip("ABCD", RESULT_WIDTHS, strict=True):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "A2"
    setup = ws.page_setup
    setup.orientation = "landscape"
    setup.paperSize = ws.PAPERSIZE_A4
    setup.fitToWidth = 1
    setup.fitToHeight = 0  # as many pages down as needed
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"
    ws.print_options.gridLines = False
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.oddFooter.center.text = FOOTER


def _close_vba_archive(wb) -> None:
    """openpyxl's ``keep_vba`` keeps the macro parts in an in-memory zip that it
    never closes; left to the garbage collector it is closed after its buffer
    and prints "Exception ignored … ValueError: I/O operation on closed file"."""
    archive = getattr(wb, "vba_archive", None)
    if archive is not None:
        try:
            archive.close()
        except (ValueError, OSError):  # pragma: no cover - already closed
            pass
        wb.vba_archive = None
