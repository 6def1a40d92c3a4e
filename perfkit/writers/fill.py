"""``fill``: a form (from JSON, or read from any workbook) written into a
perfkit template drawn for it — as many rows as the form has — with the
template formulas wherever the form keeps them, and the results of every
formula stored in the file."""

from __future__ import annotations

import math
import os
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..fsutil import refuse_overwrite_input
from ..layout import KIND_ALIASES, TITLES, Layout, a1, amount_unit_of, default_unit, resolve_kind
from ..model import (
    DEPARTMENT_TITLE,
    EVAL_TABLE,
    FUND_ROWS,
    INDICATOR_FIELDS,
    SELF_EVAL,
    EvalTable,
    Formula,
    FundRow,
    SelfEvalForm,
)
from ..safety import check_workbook_file
from .place import layout_for, place

Form = SelfEvalForm | EvalTable

SELFEVAL_INPUTS = (
    "project_code",
    "project_name",
    "year",
    "unit",
    "dept",
    "exec_weight",
    "goal_expected",
    "goal_actual",
)
SELFEVAL_COMPUTED = ("exec_rate", "exec_score", "total_weight", "total", "grade")
EVAL_INPUTS = ("project_name", "unit", "year", "initial_budget", "annual_budget", "executed")
EVAL_COMPUTED = ("total", "grade")


def _cell_value(raw: Any) -> Any:
    """Model raw value -> what openpyxl writes."""
    if isinstance(raw, Formula):
        return raw.text
    if isinstance(raw, Decimal):
        return int(raw) if raw == raw.to_integral_value() else float(raw)
    return raw


def put(ws, cell: str, raw: Any, source: str = "") -> None:
    """Write a model raw value; text that starts with '=' stays text."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    value = _cell_value(raw)
    if isinstance(value, str) and ILLEGAL_CHARACTERS_RE.search(value):
        raise InputError(
            "文字中含有 Excel 不能保存的控制字符", path=source or None, cell=f"{ws.title}!{cell}"
        )
    if isinstance(value, str) and len(value) > 32767:
        raise InputError(
            "文字超过 Excel 单元格上限（32767 字）", path=source or None, cell=f"{ws.title}!{cell}"
        )
    if isinstance(value, float) and not math.isfinite(value):
        raise InputError("不是有效数字", path=source or None, cell=f"{ws.title}!{cell}")
    target = ws[cell]
    target.value = value
    if isinstance(raw, str) and raw.startswith("="):
        target.data_type = "s"


def _computed(raw: Any, formula: str) -> Any:
    """A computed cell: the template formula unless the form typed over it."""
    return Formula(formula) if raw is None else raw


# The cells of an indicator row written as they are: not the score (a typed
# score or the template's formula, written after them), nor the 自评表's
# 一级/二级 labels (the template's merged group cells).
ROW_CELLS = {
    SELF_EVAL: tuple(k for k in INDICATOR_FIELDS[SELF_EVAL][2:] if k != "score"),
    EVAL_TABLE: tuple(k for k in INDICATOR_FIELDS[EVAL_TABLE] if k != "score"),
}


def write_form(wb, form: Form, layout: Layout, source: str = "") -> dict[str, Any]:
    """Write *form*'s values into the template sheet of *layout* in *wb*;
    returns the results of the sheet's formula cells (cell -> value)."""
    from .cached import evaluate, worksheet_getter
    from .template import computed

    ws = wb[layout.sheet]
    calcs = computed(layout)
    formula = {cell: c.text for cell, c in calcs.items()}
    if form.form == SELF_EVAL:
        for name in SELFEVAL_INPUTS:
            put(ws, layout.cell(name), getattr(form, name), source)
        for name in SELFEVAL_COMPUTED:
            cell = layout.cell(name)
            put(ws, cell, _computed(getattr(form, name), formula[cell]), source)
        for key in FUND_ROWS:
            fund = form.funds.get(key) or FundRow(key)
            for amount in layout.fund_columns:
                put(ws, layout.fund_cell(key, amount), getattr(fund, amount), source)
        if form.department and layout.cell("title"):
            # a 部门整体 form stays one: its title tells the reader (no project weights)
            ws[layout.cell("title")].value = DEPARTMENT_TITLE
    else:
        for name in EVAL_INPUTS:
            put(ws, layout.cell(name), getattr(form, name), source)
        for name in EVAL_COMPUTED:
            cell = layout.cell(name)
            put(ws, cell, _computed(getattr(form, name), formula[cell]), source)
    by_row = {ind.row: ind for ind in form.indicators if ind.row}
    for row in layout.rows:
        ind = by_row.get(row)
        for key in ROW_CELLS[form.form]:
            value = getattr(ind, key) if ind is not None else None
            if key in ("level1", "level2") and value == "":
                value = None
            put(ws, layout.at(key, row), value, source)
        score_cell = layout.at("score", row)
        score = ind.score if ind is not None else None
        put(ws, score_cell, _computed(score, formula[score_cell]), source)
    if layout.settings_sheet and layout.settings_sheet in wb.sheetnames:
        r, c = layout.settings["profile"]
        wb[layout.settings_sheet][a1(r, c)].value = form.profile
    fit_rows(ws, layout)
    kept = {cell: c for cell, c in calcs.items() if ws[cell].value == c.text}
    return evaluate(kept, worksheet_getter(ws), form.profile)


# Row heights: openpyxl cannot measure text, and Excel does not grow wrapped
# rows on open, so estimate lines from the text length and column width.
LINE_PT = 12.75
BLANK_ROW_PT = 15.0


def _text_units(value: Any) -> float:
    return sum(1.75 if ord(ch) > 0x2E80 else 1.0 for ch in str(value))


def _lines(value: Any, width: float) -> int:
    if value in (None, "") or (isinstance(value, str) and value.startswith("=")):
        return 1
    usable = max(width - 1.5, 2.0)
    return sum(max(1, math.ceil(_text_units(p) / usable)) for p in str(value).split("\n"))


def _width(ws, col: int) -> float:
    from ..layout import column_letter

    return ws.column_dimensions[column_letter(col)].width or 8.43


def _fit(ws, row: int, spans: list[tuple[int, int]], minimum: float) -> None:
    values = [ws.cell(row=row, column=c1).value for c1, _ in spans]
    if all(v in (None, "") for v in values):
        ws.row_dimensions[row].height = BLANK_ROW_PT
        return
    lines = max(
        _lines(ws.cell(row=row, column=c1).value, sum(_width(ws, c) for c in range(c1, c2 + 1)))
        for c1, c2 in spans
    )
    ws.row_dimensions[row].height = min(409.0, max(minimum, lines * LINE_PT + 4))


def fit_rows(ws, layout: Layout) -> None:
    cols = layout.columns
    text_keys = (
        ("level3", "target", "actual", "deviation_reason")
        if layout.kind == SELF_EVAL
        else (
            "level1",
            "level2",
            "level3",
            "description",
            "benchmark",
            "rule",
            "actual",
            "deduction_reason",
        )
    )
    spans = [(cols[k], cols[k]) for k in text_keys]
    for row in layout.rows:
        _fit(ws, row, spans, 20.0)
    for piece in layout.pieces:  # the head and goal inputs span merged cells
        if piece.kind == "input" and piece.span[0] == piece.span[2] and piece.name != "exec_weight":
            r1, c1, _, c2 = piece.span
            minimum = 60.0 if piece.name.startswith("goal") else 28.0
            _fit(ws, r1, [(c1, c2)], minimum)


# --------------------------------------------------------------------------
# fill
# --------------------------------------------------------------------------


def _as_form(data: dict | Form, source: str) -> Form:
    from ..jsonio import form_from_dict

    if isinstance(data, (SelfEvalForm, EvalTable)):
        return data
    return form_from_dict(data, source, placed=False)


def fill_workbook(data: dict | Form, template: str | os.PathLike | None = None, source: str = ""):
    """(openpyxl workbook, cached results) of *data* filled into a template:
    a fresh one drawn for the data, or the template file *template* (whose
    rows must suffice)."""
    import copy

    import openpyxl

    from .template import new_workbook

    form = copy.deepcopy(_as_form(data, source))
    if template is not None and KIND_ALIASES.get(str(template).strip()) is None:
        name = os.fspath(template)
        if not os.path.exists(name):
            raise InputError(
                "找不到模板文件；TEMPLATE 应为模板路径，或 selfeval（项目支出绩效自评表）/ evaltable（绩效评价指标体系评分表）",
                path=name,
            )
        check_workbook_file(name)
        layout = _template_layout(name, form.form)
        _same_unit(form, layout, name)
        place(form, layout)  # InputError naming the group when its rows do not suffice
        try:
            wb = openpyxl.load_workbook(name)
        except Exception:
            raise InputError("无法读取模板（文件格式异常）", path=name) from None
    else:
        if template is not None:
            kind = resolve_kind(str(template))
            if kind != form.form:
                raise InputError(f"模板是「{TITLES[kind]}」，数据是「{TITLES[form.form]}」")
        layout = layout_for(form)
        place(form, layout)
        wb = new_workbook(layout, form.profile)
    values = write_form(wb, form, layout, source)
    return wb, {layout.sheet: values}


def _same_unit(form: Form, layout: Layout, path: str) -> None:
    """Amounts go into a template only in its own unit: 195.93 万元 written
    into a 元 template would read as 195.93 元."""
    data_unit = amount_unit_of(form)
    template_unit = layout.amount_unit or default_unit(form.form)
    if data_unit != template_unit:
        kind = "selfeval" if form.form == SELF_EVAL else "evaltable"
        raise InputError(
            f"数据的金额单位是{data_unit}，模板是{template_unit}：金额不能照填。"
            f"请改用 perfkit fill {kind} DATA.json -o OUT.xlsx，按数据的单位生成模板",
            path=path,
        )


def _template_layout(path: str, kind: str) -> Layout:
    from ..jsonio import is_template_like
    from ..readers import read_forms

    forms = read_forms(path)
    form = forms[0]
    if form.form != kind:
        raise InputError(f"模板是「{TITLES[form.form]}」，数据是「{TITLES[kind]}」", path=path)
    if not is_template_like(form.layout):
        raise InputError("不是 perfkit 模板（请用 perfkit templates build 生成的模板）", path=path)
    return form.layout


def fill(
    data: dict | Form,
    out: str | os.PathLike,
    template: str | os.PathLike | None = None,
    source: str = "",
) -> Path:
    """Write *data* (JSON dict or form) into a template at *out*."""
    from .template import deterministic_bytes, write_output

    if template is not None and KIND_ALIASES.get(str(template).strip()) is None:
        refuse_overwrite_input(out, [template])
    wb, cached = fill_workbook(data, template, source)
    return write_output(out, deterministic_bytes(wb, cached))


__all__ = ["fill", "fill_workbook", "fit_rows", "put", "write_form"]
