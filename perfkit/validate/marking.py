"""Marked copies of a workbook (batch ``--out``): each finding's cell gets a
fill colour by severity and a note with the message, plus a 校验结果 sheet.

The input is never written: the copy is saved atomically under another name.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from ..fsutil import write_atomic
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


def mark_copy(
    source: str | os.PathLike, target: str | os.PathLike, findings: list[Finding]
) -> Path:
    """Write a marked copy of *source* to *target* (atomic; *source* untouched)."""
    import openpyxl
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill

    src = Path(source)
    if Path(target).resolve() == src.resolve():
        raise ValueError("marked copy would overwrite its input")
    keep_vba = src.suffix.lower() == ".xlsm"
    wb = openpyxl.load_workbook(src, keep_vba=keep_vba)
    for (sheet, cell), items in by_cell(findings).items():
        if sheet not in wb.sheetnames:
            continue
        ws = wb[sheet]
        c = ws[cell]
        color = hex_color(SEVERITY_COLORS[items[0].severity])
        c.fill = PatternFill(fill_type="solid", start_color=color, end_color=color)
        text = note_text(items)
        if c.comment is not None and c.comment.text:
            text = text + "\n\n" + c.comment.text
        comment = Comment(text, NOTE_AUTHOR)
        comment.width, comment.height = 320, 160
        c.comment = comment
    if RESULT_SHEET in wb.sheetnames:
        del wb[RESULT_SHEET]
    ws = wb.create_sheet(RESULT_SHEET)
    for r, row in enumerate(result_rows(findings), start=1):
        for col, value in enumerate(row, start=1):
            cell = ws.cell(row=r, column=col, value=value)
            if r == 1:
                cell.font = Font(bold=True)
            elif col == 1:
                sev = findings[r - 2].severity
                color = hex_color(SEVERITY_COLORS[sev])
                cell.fill = PatternFill(fill_type="solid", start_color=color, end_color=color)
    for col, width in zip("ABCD", (10, 26, 18, 90), strict=True):
        ws.column_dimensions[col].width = width
    try:
        wb.calculation.fullCalcOnLoad = True  # openpyxl drops cached results
    except AttributeError:  # pragma: no cover
        pass
    return write_atomic(target, lambda tmp: wb.save(tmp))
