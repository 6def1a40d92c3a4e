"""``freeze``: a copy of a form that needs no add-in.

Every cell of a perfkit template that calls a perfkit function gets a native
Excel formula where one computes the same (执行率, the proportional 执行率得分,
总分, 绩效等级, the 评分表's subtotals) or the value perfkit computes
(指标得分, other execution rules); hand scores stay as typed; any other cell
calling a perfkit function gets the result the file holds.  Each frozen
formula stores its result, so the copy shows its figures everywhere.
"""

from __future__ import annotations

import os
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

from .. import profiles
from ..errors import InputError, UsageError
from ..fsutil import refuse_overwrite_input
from ..jsonio import is_template_like, same_formula
from ..layout import Layout
from ..model import SELF_EVAL, Formula
from ..readers.cells import cell_index
from .cached import evaluate

UDF_NAMES = (
    "EXEC_RATE",
    "EXEC_SCORE",
    "PERF_SCORE",
    "PERF_DEDUCT",
    "PERF_RULE",
    "PERF_TOTAL",
    "PERF_GRADE",
    "PERF_PARSE",
)


_UDF_CALL = re.compile(
    r"(?<![A-Za-z0-9_])(?:_xludf\.)?(" + "|".join(UDF_NAMES) + r")\s*\(", re.IGNORECASE
)


def has_udf(formula: Any) -> bool:
    """True when a formula calls a perfkit function (needs the add-in)."""
    return isinstance(formula, str) and bool(_UDF_CALL.search(formula))


def _num(value: Decimal) -> str:
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def native_grade(total_cell: str, prof: profiles.Profile) -> str:
    """=PERF_GRADE as nested IFs over the profile's bands (blank unless a number)."""
    expr = f'"{prof.grade_below}"'
    for threshold, label in reversed(prof.grade_bands):
        expr = f'IF({total_cell}>={_num(threshold)},"{label}",{expr})'
    return f'=IF(ISNUMBER({total_cell}),{expr},"")'


def native_total(cells: str) -> str:
    """=PERF_TOTAL over numbers only: blank when nothing is scored."""
    return f'=IF(COUNT({cells})=0,"",ROUND(SUM({cells}),2))'


def native_formulas(layout: Layout, prof: profiles.Profile) -> dict[str, str]:
    """Cell -> the native formula that computes what perfkit's function there
    computes (cells absent here get a value)."""
    f = layout.cell
    out: dict[str, str] = {}
    if layout.kind == SELF_EVAL:
        e = layout.fund_cell("total", "executed")
        b = layout.fund_cell("total", "annual_budget")
        out[f("exec_rate")] = f'=IF({b}>0,ROUND({e}/{b}*100,2),"")'
        if prof.exec.rule == "proportional":
            w = f("exec_weight")
            out[f("exec_score")] = (
                f'=IF({b}>0,ROUND(MIN({e}/{b},1)*IF(ISBLANK({w}),{_num(prof.exec.weight)},{w}),2),"")'
            )
        scores = layout.letter("score")
        out[f("total")] = native_total(
            f"{f('exec_score')},{scores}{layout.first_row}:{scores}{layout.last_row}"
        )
    else:
        out[f("exec_rate")] = (
            f'=IF({f("annual_budget")}>0,ROUND({f("executed")}/{f("annual_budget")}*100,2),"")'
        )
        scores = layout.letter("score")
        out[f("total")] = native_total(f"{scores}{layout.first_row}:{scores}{layout.last_row}")
        for g in layout.groups:
            srow = layout.summary_rows.get(g.level1)
            if srow is not None:
                out[layout.at("score", srow)] = native_total(
                    f"{scores}{g.first_row}:{scores}{g.last_row}"
                )
    out[f("grade")] = native_grade(f("total"), prof)
    return out


def freeze_workbook(wb, forms: list, cached_values) -> dict[str, dict[str, Any]]:
    """Rewrite *wb* in place; returns sheet -> cell -> result of each formula
    written (the stored results).  *cached_values(sheet, cell)* gives what the
    file holds in any cell."""
    from .template import computed

    stored: dict[str, dict[str, Any]] = {}
    for form in forms:
        layout = form.layout
        if layout is None or not is_template_like(layout) or layout.sheet not in wb.sheetnames:
            continue
        ws = wb[layout.sheet]
        prof = profiles.load(form.profile)
        calcs = computed(layout)
        kept = {
            cell: c
            for cell, c in calcs.items()
            if isinstance(ws[cell].value, str) and same_formula(ws[cell].value, c.text)
        }

        def value_of(cell: str, ws=ws, sheet=layout.sheet) -> Any:
            raw = ws[cell].value
            if isinstance(raw, str) and raw.startswith("=") and ws[cell].data_type == "f":
                return cached_values(sheet, cell)
            return raw

        values = evaluate(kept, value_of, form.profile)
        native = native_formulas(layout, prof)
        out = stored.setdefault(layout.sheet, {})
        for cell in kept:
            value = values[cell]
            if cell in native and not _message(value):
                ws[cell].value = native[cell]
                out[cell] = value
            elif has_udf(ws[cell].value):
                ws[cell].value = None if value in (None, "") else value
            else:
                out[cell] = value  # a native formula of the template (labels, sums)
    for ws in wb.worksheets:  # any other cell still calling a perfkit function
        for row in ws.iter_rows():
            for c in row:
                if has_udf(c.value):
                    value = cached_values(ws.title, c.coordinate)
                    if value in (None, ""):
                        raise InputError(
                            f"单元格公式 {c.value} 使用了 perfkit 函数，无法替换为数值；"
                            "请在 Excel 中计算并保存后再定稿，或改为数值",
                            cell=f"{ws.title}!{c.coordinate}",
                        )
                    c.value = value
    return stored


def _message(value: Any) -> bool:
    """A cell result that is a message (text other than a grade), not a figure."""
    return isinstance(value, str) and len(value) > 2


def freeze(path: str | os.PathLike, out: str | os.PathLike) -> Path:
    """Copy of *path* without perfkit functions (see the module docstring).
    The result opens without the add-in; the input is never written."""
    import openpyxl

    from ..outputs import FROZEN, mark_openpyxl
    from ..readers import forms_of
    from ..readers.cells import open_book
    from .template import deterministic_bytes, write_output

    name = os.fspath(path)
    refuse_overwrite_input(out, [name])
    with open_book(name) as book:
        if book.format != "xlsx":
            raise UsageError(f"定稿只处理 .xlsx/.xlsm 文件（.xls 不含 perfkit 函数）：{name}")
        forms = forms_of(book, name)
        sheets = {s: book.sheet(s) for s in book.sheet_names}

    def cached_values(sheet: str, cell: str) -> Any:
        data = sheets.get(sheet)
        if data is None:
            return None
        r, c = cell_index(cell)
        value = data.value(r, c)
        return value.cached if isinstance(value, Formula) else value

    try:
        wb = openpyxl.load_workbook(name)
    except Exception:
        raise InputError("无法读取工作簿（文件格式异常）", path=name) from None
    stored = freeze_workbook(wb, forms, cached_values)
    mark_openpyxl(wb, FROZEN, name)  # a scan that holds its form skips the copy
    return write_output(out, deterministic_bytes(wb, stored))


__all__ = ["UDF_NAMES", "freeze", "freeze_workbook", "has_udf", "native_formulas"]
