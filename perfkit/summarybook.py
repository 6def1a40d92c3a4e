"""汇总.xlsx written with XlsxWriter: 汇总, 按单位, 按等级 (two native charts),
无法读取 (only when some file was unreadable).

XlsxWriter (pandas' own Excel engine) writes the cells, the column formats and
the charts in one pass, several times faster than building the same workbook
with openpyxl.  Text is always written as text: a file name or unit beginning
with ``=`` or ``http`` never becomes a formula or a link.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.exceptions import FileCreateError

from .outputs import SUMMARY, mark_xlsxwriter
from .summary import (
    COLUMNS,
    GRADE_COLUMNS,
    NUMBER_FORMATS,
    UNIT_COLUMNS,
    columns_of,
    grade_rows,
    unit_rows,
)
from .summary import (
    plain_value as _cell_value,
)

BLUE = "#305496"
OPTIONS = {
    "strings_to_numbers": False,
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "nan_inf_to_errors": True,  # an infinite ratio shows #DIV/0! instead of failing
    "constant_memory": False,  # cells are written column by column
    "in_memory": True,  # no temporary file per sheet: the data is small
}
HEADER_STYLE = {
    "bold": True,
    "font_color": "#FFFFFF",
    "bg_color": BLUE,
    "pattern": 1,
    "border": 1,
    "border_color": "#BFBFBF",
    "align": "center",
    "valign": "vcenter",
    "text_wrap": True,
}
# Column widths (Excel character units) chosen so that a sheet prints one A4
# page wide in landscape at a readable scale: long texts wrap in their cell,
# headers wrap over up to three lines.
MAIN_WIDTHS = {
    "文件": 20,
    "表格": 8,  # 部门整体自评表 on two lines
    "单位": 16,
    "主管部门": 12,
    "项目编码": 13,
    "项目名称": 20,
    "年度": 6,
    "评分规则": 9,
    "表内等级": 6,
    "绩效等级（按复算总分）": 8,
    "差异原因（校验代码）": 16,
    "无法读取原因": 22,
    "备注": 30,  # a PROJECT_REPEATED note names the other file
}
KIND_WIDTHS = {"money": 13, "pct": 8, "score": 7, "int": 6}
UNIT_KINDS = {
    "全年预算数（元）": "money",
    "全年执行数（元）": "money",
    "执行率（%）": "pct",
    "平均复算总分": "score",
    "表格数": "int",
    "错误数": "int",
    "警告数": "int",
}
UNIT_WIDTHS = {"单位": 30, "表格数": 8, "全年预算数（元）": 18, "全年执行数（元）": 18}
GRADE_KINDS = {"表格数": "int", "占比（%）": "pct"}
GRADE_WIDTHS = {"绩效等级": 12, "表格数": 8, "占比（%）": 11}
HEADER_HEIGHT = 45  # points: three lines of a wrapped header
ROW_HEIGHT = 15  # points per line of text (Calibri 11)
FOOTER = "&L&F&C&A&R第 &P 页，共 &N 页"
CM = 360000 / 9525  # pixels per centimetre (EMU per cm / EMU per pixel)


def write(rows: list[dict[str, Any]], path: str | Path, profile_name: str | None = None) -> None:
    """Write 汇总.xlsx for the summary *rows* to *path* (not atomic:
    ``summary.write_workbook`` gives it a temporary path)."""
    with open_workbook(path, SUMMARY) as wb:
        _fill(wb, rows, profile_name)


@contextmanager
def open_workbook(path: str | Path, kind: str, source: str | Path | None = None) -> Iterator[Any]:
    """An XlsxWriter workbook at *path* with perfkit's options, marked as
    perfkit's output of *kind* (a later scan of the folder does not read it as
    a form), closed on leaving; an ``OSError`` XlsxWriter wraps on closing is
    raised as itself, for ``fsutil.atomic_path`` to put into words."""
    wb = xlsxwriter.Workbook(str(path), OPTIONS)
    try:
        mark_xlsxwriter(wb, kind, source)
        yield wb
    finally:
        try:
            wb.close()
        except FileCreateError as err:  # XlsxWriter wraps the OSError: atomic_path maps it
            inner = err.args[0] if err.args else None
            if isinstance(inner, OSError):
                raise inner from None
            raise


def _fill(wb, rows: list[dict[str, Any]], profile_name: str | None) -> None:
    header = wb.add_format(HEADER_STYLE)
    formats = {
        kind: wb.add_format({"num_format": f, "valign": "top"})
        for kind, f in NUMBER_FORMATS.items()
    }
    formats["text"] = wb.add_format({"text_wrap": True, "valign": "top"})

    ids = columns_of(rows)
    headers = [COLUMNS[k][0] for k in ids]
    kinds = {COLUMNS[k][0]: COLUMNS[k][1] for k in ids}
    ws = wb.add_worksheet("汇总")
    write_table(
        ws,
        headers,
        [[row.get(k) for k in ids] for row in rows],
        kinds,
        MAIN_WIDTHS,
        header,
        formats,
    )

    ws_unit = wb.add_worksheet("按单位")
    units = unit_rows(rows)
    write_table(
        ws_unit,
        UNIT_COLUMNS,
        _values(units, UNIT_COLUMNS),
        UNIT_KINDS,
        UNIT_WIDTHS,
        header,
        formats,
    )

    ws_grade = wb.add_worksheet("按等级")
    grades = grade_rows(rows, profile_name)
    write_table(
        ws_grade,
        GRADE_COLUMNS,
        _values(grades, GRADE_COLUMNS),
        GRADE_KINDS,
        GRADE_WIDTHS,
        header,
        formats,
    )
    ws_grade.freeze_panes(1, 0)  # A2: the grade labels are one short column
    last_grade = max(len(grades), 1)

    bar = wb.add_chart({"type": "column"})
    bar.add_series(
        {
            "name": ["按等级", 0, 1],
            "categories": ["按等级", 1, 0, last_grade, 0],
            "values": ["按等级", 1, 1, last_grade, 1],
        }
    )
    bar.set_title({"name": "绩效等级分布"})
    bar.set_x_axis({"name": "绩效等级"})
    bar.set_y_axis({"name": "表格数"})
    bar.set_legend({"none": True})
    bar.set_size({"width": round(16 * CM), "height": round(9 * CM)})
    ws_grade.insert_chart("E2", bar, {"object_position": 2})

    rate_col = headers.index("执行率（%）")
    total_col = headers.index("复算总分")
    last_row = max(len(rows), 1)
    scatter = wb.add_chart({"type": "scatter"})  # markers only, no connecting line
    scatter.add_series(
        {
            "name": "表格",
            "categories": ["汇总", 1, rate_col, last_row, rate_col],
            "values": ["汇总", 1, total_col, last_row, total_col],
            "marker": {
                "type": "circle",
                "size": 6,
                "fill": {"color": BLUE},  # filled dots, not white ones
                "border": {"color": BLUE},
            },
        }
    )
    scatter.set_title({"name": "预算执行率与复算总分"})
    scatter.set_style(13)
    scatter.set_x_axis({"name": "执行率（%）", "major_gridlines": {"visible": True}})
    scatter.set_y_axis({"name": "复算总分"})
    scatter.set_legend({"none": True})
    scatter.set_size({"width": round(16 * CM), "height": round(10 * CM)})
    ws_grade.insert_chart("E21", scatter, {"object_position": 2})

    print_setup(ws_grade, pages_tall=1, gridlines=False)  # the table and both charts

    unreadable = [[row.get("file"), row["read_error"]] for row in rows if row.get("read_error")]
    if unreadable:
        ws_bad = wb.add_worksheet("无法读取")
        write_table(
            ws_bad, ["文件", "原因"], unreadable, {}, {"文件": 40, "原因": 90}, header, formats
        )


def _values(records: list[dict[str, Any]], columns: list[str]) -> list[list[Any]]:
    return [[record.get(column) for column in columns] for record in records]


def write_table(
    ws,
    headers: list[str],
    data: list[list[Any]],
    kinds: dict[str, str],
    widths: dict[str, float],
    header,
    formats,
) -> None:
    """Header row, then the values.  Every column carries its format as the
    column's format (numbers: their number format; text: wrapped), which
    XlsxWriter gives to every value cell written without a format of its own
    and Excel to the empty cells of the column.  Empty values are not written
    at all (a formatted blank cell would make the scatter chart take its
    series for text).  Printed A4 landscape, one page wide, the header row
    repeated on every page."""
    for c, name in enumerate(headers):
        ws.write_string(0, c, name, header)
        kind = kinds.get(name, "text")
        width = (
            widths.get(name)
            or KIND_WIDTHS.get(kind)
            or max(6.0, min(20.0, _display_width(name) + 2))
        )
        # Same <col width> in the file as asked: Excel shows width × 7 pixels
        # (Calibri 11), whereas set_column() would add its 5-pixel padding.
        ws.set_column_pixels(c, c, round(width * 7), formats[kind])
    ws.set_row(0, HEADER_HEIGHT)
    col_widths = [
        widths.get(name) or KIND_WIDTHS.get(kinds.get(name, "text")) or 0 for name in headers
    ]
    for r, values in enumerate(data, start=1):
        lines = 1
        for c, value in enumerate(values):
            value = _cell_value(value)
            write_value(ws, r, c, value)
            if isinstance(value, str) and kinds.get(headers[c], "text") == "text":
                lines = max(lines, text_lines(value, col_widths[c]))
        if lines > 1:  # wrapped text: XlsxWriter cannot fit the row, LibreOffice does not
            ws.set_row(r, ROW_HEIGHT * min(lines, 10))
    ws.freeze_panes(1, 1)
    ws.autofilter(0, 0, max(len(data), 1), len(headers) - 1)
    ws.repeat_rows(0)
    print_setup(ws)


def print_setup(ws, pages_tall: int = 0, gridlines: bool = True) -> None:
    """A4 landscape, one page wide (*pages_tall* 0: as many pages down as needed),
    narrow margins, file, sheet and page number in the footer; the gridlines
    of a table printed (within the used range), those of a chart page not."""
    ws.set_landscape()
    ws.set_paper(9)  # A4
    ws.fit_to_pages(1, pages_tall)
    ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.6)
    ws.set_footer(FOOTER)
    ws.hide_gridlines(0 if gridlines else 1)  # 0: shown and printed; 1: shown only


def write_value(ws, r: int, c: int, value: Any) -> None:
    if value is None or value == "":
        return
    if isinstance(value, str):
        ws.write_string(r, c, value)
    elif isinstance(value, bool):
        ws.write_boolean(r, c, value)
    elif isinstance(value, numbers.Real):
        ws.write_number(r, c, value)
    elif isinstance(value, Decimal):
        ws.write_number(r, c, float(value))
    else:
        ws.write_string(r, c, str(value))


def text_lines(text: str, width: float) -> int:
    """Lines *text* takes when wrapped in a column *width* characters wide."""
    usable = width - 1.5  # cell padding; CJK glyphs print a little wider than two digits
    if usable <= 1 or len(text) * 2.2 <= usable:  # short: one line, whatever the script
        return 1
    return sum(max(1, math.ceil(_fast_width(part) * 1.1 / usable)) for part in text.split("\n"))


def _fast_width(text: str) -> float:
    """:func:`_display_width` closely enough for line counts, without a loop in
    Python: a CJK character is 3 bytes in UTF-8 and counts 2."""
    return len(text) + (len(text.encode("utf-8")) - len(text)) / 2


def _display_width(text: str) -> float:
    """Width of *text* in Excel character units: CJK characters count two."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in str(text))
