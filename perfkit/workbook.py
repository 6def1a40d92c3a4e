"""Reading and writing the two forms: ``read_form``, ``form_from_grid``, the JSON
schema (``form_to_dict`` / ``form_from_dict``), ``fill``, ``extract`` and ``freeze``.

Only the cells named by :mod:`perfkit.layouts` are read; a workbook's declared
dimensions are never trusted.  Reading goes through :mod:`perfkit.xlsxread`
(values last computed by a spreadsheet program from python-calamine, formula
text from the sheet XML); openpyxl is used only to write (fill, freeze).

JSON convention for computed cells (得分, 执行率, 总分 …): ``null`` means "keep
the template formula"; a number or text is a literal typed over the formula
(a hand score); ``{"formula": "=…"}`` is a formula other than the template's.
See ``docs/templates.md``.
"""

from __future__ import annotations

import datetime as _dt
import math
import os
import re
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from . import profiles
from .errors import InputError, NotAForm, PerfkitError
from .fsutil import refuse_overwrite_input
from .layouts import (
    KIND_ALIASES,
    LAYOUTS,
    TEMPLATE_FILES,
    TITLES,
    EvalTableLayout,
    SelfEvalLayout,
    resolve_kind,
    split_ref,
)
from .model import (
    EVAL_TABLE,
    FUND_ROWS,
    SELF_EVAL,
    EvalIndicator,
    EvalTable,
    Formula,
    FundRow,
    Indicator,
    Loc,
    SelfEvalForm,
    value_of,
)
from .safety import check_workbook_file
from .xlsxread import XlsxReader, cell_index, grid_get

Form = SelfEvalForm | EvalTable
Grid = dict[str, list[list[Any]]]


def _templates():
    """The template builder, imported on first use: it brings openpyxl, which
    reading a form (the batch path) never needs."""
    from . import templates

    return templates


EXPECTED = (
    "「项目支出绩效自评表.xlsx」（工作表 自评表）或「绩效评价指标体系评分表.xlsx」（工作表 评分表）"
)

SELFEVAL_HEADER = ("project_code", "project_name", "year", "unit", "dept")
SELFEVAL_COMPUTED = ("exec_rate", "exec_score", "total_weight", "total", "grade")
EVAL_HEADER = ("project_name", "unit", "year", "initial_budget", "annual_budget", "executed")
EVAL_COMPUTED = ("total", "grade")
SELFEVAL_IND_KEYS = ("level3", "target", "actual", "weight", "score", "deviation_reason")
EVAL_IND_KEYS = (
    "level1",
    "level2",
    "level3",
    "description",
    "benchmark",
    "rule",
    "weight",
    "actual",
    "score",
    "deduction_reason",
)


# --------------------------------------------------------------------------
# reading
# --------------------------------------------------------------------------


def _clean(value: Any) -> Any:
    """Grid value -> model raw value: '' is blank."""
    if isinstance(value, str) and value == "":
        return None
    return value


class _Reader:
    """Raw cell values of one form from value and formula grids."""

    def __init__(self, values: Grid, formulas: Grid | None, source: str):
        self.values = values
        self.formulas = formulas or {}
        self.source = source

    def sheet(self, sheet: str) -> _SheetCells:
        return _SheetCells(self.values.get(sheet) or (), self.formulas.get(sheet) or ())


class _SheetCells:
    """Raw values of one sheet's cells (zero-based row and column): the value,
    or a :class:`Formula` (text and cached value) for a formula cell."""

    __slots__ = ("formulas", "values")

    def __init__(self, values, formulas):
        self.values, self.formulas = values, formulas

    def __call__(self, r: int, c: int) -> Any:
        return self.row(r, (c,))[0]

    def row(self, r: int, columns: tuple[int, ...]) -> list[Any]:
        """Raw values of *columns* of row *r*."""
        line = (self.values[r] if r < len(self.values) else None) or ()
        flines = (self.formulas[r] if r < len(self.formulas) else None) or ()
        n, nf = len(line), len(flines)
        out = []
        for c in columns:
            value = line[c] if c < n else None
            if value == "":
                value = None
            formula = flines[c] if c < nf else None
            if formula is not None:
                if hasattr(formula, "text"):  # openpyxl ArrayFormula
                    formula = "=" + str(formula.text).lstrip("=")
                if isinstance(formula, str) and formula.startswith("=") and len(formula) > 1:
                    value = Formula(formula, value)
            out.append(value)
        return out


def _identify(sheet_names: list[str], form_id: Any, source: str) -> str:
    ids = {SelfEvalLayout.version: SELF_EVAL, EvalTableLayout.version: EVAL_TABLE}
    text = str(form_id).strip() if form_id is not None else ""
    if text in ids:
        return ids[text]
    if text.startswith("perfkit-"):
        raise NotAForm(
            f"模板版本 {text} 与本程序不符（应为 {SelfEvalLayout.version} 或 {EvalTableLayout.version}），"
            "请用 perfkit templates build 生成的新模板重新填写",
            path=source,
        )
    if SelfEvalLayout.sheet in sheet_names:
        return SELF_EVAL
    if EvalTableLayout.sheet in sheet_names:
        return EVAL_TABLE
    shown = "、".join(sheet_names[:6]) or "无"
    raise NotAForm(f"不是 perfkit 表格（工作表：{shown}）；请使用模板 {EXPECTED} 填写", path=source)


def form_from_grid(
    kind: str,
    values: Grid,
    formulas: Grid | None = None,
    source: str = "",
) -> Form:
    """A form from bulk-read 2-D grids: sheet name -> rows, row 1/column A at [0][0].

    *values* holds what the cells show (cached results for formulas);
    *formulas* the formula text (``"=…"``; anything else is ignored).
    """
    kind = resolve_kind(kind)
    layout = LAYOUTS[kind]
    if layout.sheet not in values:
        raise InputError(f"缺少工作表「{layout.sheet}」", path=source or None)
    reader = _Reader(values, formulas, source)
    if kind == SELF_EVAL:
        return _selfeval_from(reader)
    return _evaltable_from(reader)


# Where each model field is read from, worked out once per layout (a form is
# read as a walk over these tuples: no address parsing per form).
_Cell = tuple[str, Loc, int, int]  # (attribute, Loc, zero-based row, column)


def _cell_plan(attr: str, sheet: str, cell: str) -> _Cell:
    return (attr, Loc(sheet, cell), *cell_index(cell))


def _fields_plan(layout, names) -> tuple[_Cell, ...]:
    return tuple(_cell_plan(name, *split_ref(layout.fields[name], layout.sheet)) for name in names)


def _read_fields(reader: _Reader, plan: tuple[_Cell, ...], obj, locs: dict) -> None:
    sheets: dict[str, Any] = {}
    for attr, loc, r, c in plan:
        raw = sheets.get(loc.sheet) or sheets.setdefault(loc.sheet, reader.sheet(loc.sheet))
        locs[attr] = loc
        setattr(obj, attr, raw(r, c))


def _profile_name(raw: Any) -> str:
    raw = value_of(raw)
    text = str(raw).strip() if raw not in (None, "") else ""
    return text or profiles.DEFAULT_PROFILE


_SETTINGS = ("profile", "form_id")


@cache
def _selfeval_plan():
    L = SelfEvalLayout
    fields = _fields_plan(
        L, (*SELFEVAL_HEADER, "exec_weight", *SELFEVAL_COMPUTED, "goal_expected", "goal_actual")
    )
    funds = tuple(
        (
            key,
            tuple(
                _cell_plan(attr, L.sheet, f"{col}{L.fund_rows[key]}")
                for attr, col in L.fund_columns.items()
            ),
        )
        for key in FUND_ROWS
    )
    blocks = L.level1_blocks()
    rows = []
    for g in L.groups:
        for row in g.row_numbers():
            cells = tuple(
                _cell_plan(key, L.sheet, f"{col}{row}") for key, col in L.indicator_columns.items()
            )
            locs = {
                "level1": Loc(L.sheet, f"{L.level1_column}{blocks[g.level1][0]}"),
                "level2": Loc(L.sheet, f"{L.level2_column}{g.first_row}"),
                **{attr: loc for attr, loc, _, _ in cells},
            }
            attrs = tuple(a for a, _, _, _ in cells)
            columns = tuple(c for _, _, _, c in cells)
            rows.append((g.level1, g.level2, row, locs, cells[0][2], attrs, columns))
    return fields, _fields_plan(L, _SETTINGS), funds, tuple(rows)


def _selfeval_from(reader: _Reader) -> SelfEvalForm:
    fields, settings, funds, rows = _selfeval_plan()
    form = SelfEvalForm(source=reader.source)
    _read_head(reader, form, fields, settings)
    for key, cells in funds:
        fund = form.funds[key] = FundRow(key)
        _read_fields(reader, cells, fund, fund.locs)
    read_row = reader.sheet(SelfEvalLayout.sheet).row
    indicators = form.indicators
    for level1, level2, row, locs, r, attrs, columns in rows:
        cells = dict(zip(attrs, read_row(r, columns), strict=True))
        indicators.append(Indicator(level1, level2, **cells, row=row, locs=dict(locs)))
    return form


def _read_head(reader: _Reader, form, fields, *located) -> None:
    """The form's fields, then cells that are located but are not model fields
    (the settings sheet …); the profile is taken from the latter."""
    _read_fields(reader, fields, form, form.locs)
    extra: dict[str, Any] = {}
    for plan in located:
        _read_fields(reader, plan, _Attrs(extra), form.locs)
    form.profile = _profile_name(extra["profile"])


class _Attrs:
    """setattr into a dict (for located cells that are not model fields)."""

    def __init__(self, target: dict):
        object.__setattr__(self, "_target", target)

    def __setattr__(self, name: str, value: Any) -> None:
        self._target[name] = value


@cache
def _evaltable_plan():
    L = EvalTableLayout
    fields = _fields_plan(L, (*EVAL_HEADER, *EVAL_COMPUTED))
    located = _fields_plan(L, ("exec_rate", "total_weight"))  # located, not model fields
    blocks = []
    for block, srow in zip(L.blocks, L.summary_rows, strict=True):
        label_cells = tuple(cell_index(f"A{row}") for row in block.row_numbers())
        rows = []
        for row in block.row_numbers():
            cells = tuple(
                _cell_plan(key, L.sheet, f"{col}{row}") for key, col in L.indicator_columns.items()
            )
            locs = {attr: loc for attr, loc, _, _ in cells}
            attrs = tuple(a for a, _, _, _ in cells)
            columns = tuple(c for _, _, _, c in cells)
            rows.append((row, locs, cells[0][2], attrs, columns))
        blocks.append(
            (
                block.level1,
                label_cells,
                cell_index(f"G{srow}"),
                Loc(L.sheet, f"A{srow}"),
                tuple(rows),
            )
        )
    return fields, located, _fields_plan(L, _SETTINGS), tuple(blocks)


def _evaltable_from(reader: _Reader) -> EvalTable:
    fields, located, settings, blocks = _evaltable_plan()
    form = EvalTable(source=reader.source)
    _read_head(reader, form, fields, located, settings)
    raw = reader.sheet(EvalTableLayout.sheet)
    for level1, label_cells, weight_cell, summary_loc, rows in blocks:
        label = None
        for r, c in label_cells:
            typed = value_of(raw(r, c))
            if typed not in (None, ""):
                label = str(typed).strip()
                break
        label = label or level1
        form.level1_weights[label] = raw(*weight_cell)
        form.locs[f"summary:{level1}"] = summary_loc
        for row, locs, r, attrs, columns in rows:
            cells = dict(zip(attrs, raw.row(r, columns), strict=True))
            for attr in ("level1", "level2"):
                if cells[attr] is None:
                    cells[attr] = ""
            form.indicators.append(EvalIndicator(**cells, row=row, locs=dict(locs)))
    return form


def _layout_extent(layout) -> tuple[int, int]:
    """Rows and columns to read: as far as the layout reaches, never further."""
    rows = max([layout.last_indicator_row, layout.grade_row, *getattr(layout, "summary_rows", ())])
    return rows + 1, len(layout.columns)


def read_form(path: str | os.PathLike) -> Form:
    """Read a filled template (.xlsx): 项目支出绩效自评表 or 绩效评价指标体系评分表.

    Only the layout's cells are read (values, cached results, formula text);
    see :mod:`perfkit.xlsxread`."""
    name = os.fspath(path)
    with XlsxReader(name) as book:
        sheet_names = book.sheet_names
        settings = SelfEvalLayout.settings_sheet
        form_id = None
        if settings in sheet_names:
            _, cell = split_ref(SelfEvalLayout.fields["form_id"], SelfEvalLayout.sheet)
            form_id = grid_get(book.values(settings, 3, 2), cell)
        kind = _identify(sheet_names, form_id, name)
        layout = LAYOUTS[kind]
        if layout.sheet not in sheet_names:
            raise InputError(
                f"缺少工作表「{layout.sheet}」（模板 {TEMPLATE_FILES[kind]}）", path=name
            )
        values: Grid = {}
        formulas: Grid = {}
        for sheet, (nrows, ncols) in (
            (layout.sheet, _layout_extent(layout)),
            (layout.settings_sheet, (3, 2)),
        ):
            if sheet in sheet_names:
                values[sheet], formulas[sheet] = book.grids(sheet, nrows, ncols)
    return form_from_grid(kind, values, formulas, source=name)


# --------------------------------------------------------------------------
# JSON
# --------------------------------------------------------------------------


def _json_value(raw: Any) -> Any:
    if isinstance(raw, Formula):
        return {"formula": raw.text}
    if isinstance(raw, Decimal):
        return int(raw) if raw == raw.to_integral_value() else float(raw)
    if isinstance(raw, float) and raw.is_integer() and abs(raw) < 2**53:
        return int(raw)
    if isinstance(raw, (_dt.datetime, _dt.date, _dt.time)):
        return raw.isoformat()
    return raw


def _json_computed(raw: Any, template_formula: str) -> Any:
    """A computed cell: null while the template formula is there."""
    if isinstance(raw, Formula) and _same_formula(raw.text, template_formula):
        return None
    return _json_value(raw)


_ADDIN_PREFIX = re.compile(
    r"(?:'[^']*'|\[\d+\]|[A-Za-z0-9_.]+\.xlam)!(?=(?:EXEC_|PERF_))", re.IGNORECASE
)


def _same_formula(a: str, b: str) -> bool:
    """Equal up to spaces, case, and how Excel names an add-in function
    (``_xludf.EXEC_RATE``, ``[1]!EXEC_RATE``, ``'perfkit.xlam'!EXEC_RATE``)."""

    def norm(s: str) -> str:
        s = _ADDIN_PREFIX.sub("", s.replace(" ", ""))
        return s.upper().replace("_XLUDF.", "")

    return norm(a) == norm(b)


def _json_score(raw: Any, row: int | None, formula_of) -> Any:
    """A row's 得分 in JSON: null while its row keeps the template formula
    (*formula_of(row)*); for a row without a place, null for any formula."""
    if row:
        return _json_computed(raw, formula_of(row))
    return None if isinstance(raw, Formula) else _json_value(raw)


def form_to_dict(form: Form) -> dict:
    """The JSON document of a form (schema in docs/templates.md)."""
    if form.form == SELF_EVAL:
        return _selfeval_to_dict(form)
    return _evaltable_to_dict(form)


def _selfeval_to_dict(form: SelfEvalForm) -> dict:
    L = SelfEvalLayout
    f = _templates().selfeval_formulas()
    out: dict[str, Any] = {"form": SELF_EVAL, "version": L.version, "profile": form.profile}
    for name in SELFEVAL_HEADER:
        out[name] = _json_value(getattr(form, name))
    out["funds"] = {
        key: {
            attr: _json_value(getattr(form.funds[key], attr)) if key in form.funds else None
            for attr in L.fund_columns
        }
        for key in FUND_ROWS
    }
    out["exec_weight"] = _json_value(form.exec_weight)
    for name in ("exec_rate", "exec_score"):
        out[name] = _json_computed(getattr(form, name), f[L.fields[name]])
    out["goal_expected"] = _json_value(form.goal_expected)
    out["goal_actual"] = _json_value(form.goal_actual)
    items = []
    for ind in form.indicators:
        if ind.is_blank():
            continue
        item: dict[str, Any] = {"level1": ind.level1, "level2": ind.level2}
        for key in SELFEVAL_IND_KEYS:
            raw = getattr(ind, key)
            if key == "score":
                item[key] = _json_score(raw, ind.row, _templates().selfeval_score_formula)
            else:
                item[key] = _json_value(raw)
        items.append(item)
    out["indicators"] = items
    for name in ("total_weight", "total", "grade"):
        out[name] = _json_computed(getattr(form, name), f[L.fields[name]])
    return out


def _evaltable_to_dict(form: EvalTable) -> dict:
    L = EvalTableLayout
    f = _templates().evaltable_formulas()
    out: dict[str, Any] = {"form": EVAL_TABLE, "version": L.version, "profile": form.profile}
    for name in EVAL_HEADER:
        out[name] = _json_value(getattr(form, name))
    items = []
    for ind in form.indicators:
        if _eval_row_blank(ind):
            continue
        item: dict[str, Any] = {
            "block": _block_of_row(ind.row) if ind.row else _guess_block(ind.level1, None)
        }
        for key in EVAL_IND_KEYS:
            raw = getattr(ind, key)
            if key == "score":
                item[key] = _json_score(raw, ind.row, _templates().evaltable_score_formula)
            else:
                item[key] = _json_value(raw)
        items.append(item)
    out["indicators"] = items
    for name in EVAL_COMPUTED:
        out[name] = _json_computed(getattr(form, name), f[L.fields[name]])
    return out


def _eval_row_blank(ind: EvalIndicator) -> bool:
    return ind.is_blank() and all(
        value_of(getattr(ind, k)) in (None, "")
        for k in ("level1", "level2", "description", "deduction_reason")
    )


def _block_of_row(row: int) -> str:
    for block in EvalTableLayout.blocks:
        if block.first_row <= row <= block.last_row:
            return block.level1
    raise ValueError(row)


BLOCK_WORDS = (
    ("决策", ("决策", "立项")),
    ("过程", ("过程", "管理", "实施")),
    ("产出", ("产出",)),
    ("效益", ("效益", "满意", "影响")),
)


def _guess_block(level1: Any, previous: str | None) -> str:
    text = str(level1 or "")
    for block, words in BLOCK_WORDS:
        if any(w in text for w in words):
            return block
    return previous or EvalTableLayout.blocks[0].level1


def _from_json(value: Any, where: str, source: str) -> Any:
    if isinstance(value, dict):
        if set(value) <= {"formula", "cached"} and isinstance(value.get("formula"), str):
            text = value["formula"]
            if not text.startswith("="):
                text = "=" + text
            return Formula(text, value.get("cached"))
        raise InputError(
            f'{where} 的值应为数字、文字、null 或 {{"formula": "=…"}}', path=source or None
        )
    if isinstance(value, list):
        raise InputError(f"{where} 的值不能是列表", path=source or None)
    if isinstance(value, float) and not math.isfinite(value):
        raise InputError(f"{where} 的值不是有效数字", path=source or None)
    return value


def _check_keys(data: dict, allowed: set[str], where: str, source: str) -> None:
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise InputError(
            f"{where} 中有未知的字段：{'、'.join(unknown)}（可用字段见 docs/templates.md）",
            path=source or None,
        )


def form_from_dict(data: dict, source: str = "") -> Form:
    """The inverse of :func:`form_to_dict`; raises InputError naming the bad field."""
    if not isinstance(data, dict):
        raise InputError("JSON 顶层应为对象（{…}）", path=source or None)
    kind = data.get("form")
    if kind is None:
        kind = (
            EVAL_TABLE
            if "indicators" in data
            and any(
                isinstance(i, dict) and ("rule" in i or "benchmark" in i)
                for i in data["indicators"] or []
            )
            else SELF_EVAL
        )
    try:
        kind = resolve_kind(kind)
    except Exception:
        raise InputError(
            f"form 应为 selfeval 或 evaltable，实际为 {kind!r}", path=source or None
        ) from None
    version = data.get("version")
    expected = LAYOUTS[kind].version
    if version not in (None, expected):
        raise InputError(f"version 应为 {expected}，实际为 {version!r}", path=source or None)
    profile = data.get("profile") or profiles.DEFAULT_PROFILE
    if not isinstance(profile, str):
        raise InputError("profile 应为评分规则名称（文字）", path=source or None)
    if kind == SELF_EVAL:
        return _selfeval_from_dict(data, profile, source)
    return _evaltable_from_dict(data, profile, source)


def _selfeval_from_dict(data: dict, profile: str, source: str) -> SelfEvalForm:
    L = SelfEvalLayout
    top = {
        "form",
        "version",
        "profile",
        "funds",
        "indicators",
        "exec_weight",
        "goal_expected",
        "goal_actual",
    }
    top |= set(SELFEVAL_HEADER) | set(SELFEVAL_COMPUTED)
    _check_keys(data, top, "JSON", source)
    form = SelfEvalForm(profile=profile, source=source)
    for name in (
        *SELFEVAL_HEADER,
        "exec_weight",
        *SELFEVAL_COMPUTED,
        "goal_expected",
        "goal_actual",
    ):
        setattr(form, name, _from_json(data.get(name), name, source))
    funds = data.get("funds") or {}
    if not isinstance(funds, dict):
        raise InputError(
            "funds 应为对象：{total: …, fiscal: …, carryover: …, other: …}", path=source or None
        )
    _check_keys(funds, set(FUND_ROWS), "funds", source)
    for key in FUND_ROWS:
        row = funds.get(key) or {}
        if not isinstance(row, dict):
            raise InputError(f"funds.{key} 应为对象", path=source or None)
        _check_keys(row, set(L.fund_columns), f"funds.{key}", source)
        fund = FundRow(key)
        for attr in L.fund_columns:
            setattr(fund, attr, _from_json(row.get(attr), f"funds.{key}.{attr}", source))
        form.funds[key] = fund
    items = data.get("indicators") or []
    if not isinstance(items, list):
        raise InputError("indicators 应为列表", path=source or None)
    for i, item in enumerate(items, 1):
        where = f"indicators 第 {i} 项"
        if not isinstance(item, dict):
            raise InputError(f"{where} 应为对象", path=source or None)
        _check_keys(item, {"level1", "level2", *SELFEVAL_IND_KEYS}, where, source)
        group = _selfeval_group(item.get("level1"), item.get("level2"), where, source)
        ind = Indicator(level1=group.level1, level2=group.level2)
        for key in SELFEVAL_IND_KEYS:
            setattr(ind, key, _from_json(item.get(key), f"{where}.{key}", source))
        form.indicators.append(ind)
    return form


def _selfeval_group(level1: Any, level2: Any, where: str, source: str):
    text = str(level2 or "").strip()
    names = [g.level2 for g in SelfEvalLayout.groups]
    for g in SelfEvalLayout.groups:
        if text in (g.level2, g.level2.removesuffix("指标")) or (
            text and g.level2 == text + "指标"
        ):
            if level1 not in (None, "") and str(level1).strip() not in (
                g.level1,
                g.level1.removesuffix("指标"),
            ):
                raise InputError(
                    f"{where}：二级指标「{g.level2}」属于「{g.level1}」，不是「{level1}」",
                    path=source or None,
                )
            return g
    raise InputError(
        f"{where}：二级指标「{text}」不在模板中；可用：{'、'.join(names)}", path=source or None
    )


def _evaltable_from_dict(data: dict, profile: str, source: str) -> EvalTable:
    top = {"form", "version", "profile", "indicators", *EVAL_HEADER, *EVAL_COMPUTED}
    _check_keys(data, top, "JSON", source)
    form = EvalTable(profile=profile, source=source)
    for name in (*EVAL_HEADER, *EVAL_COMPUTED):
        setattr(form, name, _from_json(data.get(name), name, source))
    items = data.get("indicators") or []
    if not isinstance(items, list):
        raise InputError("indicators 应为列表", path=source or None)
    blocks = [b.level1 for b in EvalTableLayout.blocks]
    previous = None
    for i, item in enumerate(items, 1):
        where = f"indicators 第 {i} 项"
        if not isinstance(item, dict):
            raise InputError(f"{where} 应为对象", path=source or None)
        _check_keys(item, {"block", *EVAL_IND_KEYS}, where, source)
        block = item.get("block")
        if block is None:
            block = _guess_block(item.get("level1"), previous)
        elif block not in blocks:
            raise InputError(
                f"{where}：block 应为 {'、'.join(blocks)} 之一，实际为 {block!r}",
                path=source or None,
            )
        previous = block
        ind = EvalIndicator()
        ind.locs["block"] = Loc("", block)  # placement hint for fill
        for key in EVAL_IND_KEYS:
            value = _from_json(item.get(key), f"{where}.{key}", source)
            if key in ("level1", "level2") and value is None:
                value = ""
            setattr(ind, key, value)
        form.indicators.append(ind)
    return form


# --------------------------------------------------------------------------
# fill / extract
# --------------------------------------------------------------------------


def _cell_value(raw: Any) -> Any:
    """Model raw value -> what openpyxl writes."""
    if isinstance(raw, Formula):
        return raw.text
    if isinstance(raw, Decimal):
        return int(raw) if raw == raw.to_integral_value() else float(raw)
    return raw


def _computed_value(raw: Any, template_formula: str) -> Any:
    return Formula(template_formula) if raw is None else raw


def _set(ws, cell: str, raw: Any, source: str = "") -> None:
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
    target = ws[cell]
    target.value = value
    if isinstance(raw, str) and raw.startswith("="):
        target.data_type = "s"


def _load_template(kind: str | None, template: str | os.PathLike | None, profile: str):
    """(workbook, kind) from a template path, a kind name, or a fresh build."""
    import openpyxl

    if template is not None and KIND_ALIASES.get(str(template).strip()) is None:
        name = os.fspath(template)
        if not os.path.exists(name):
            raise InputError(
                "找不到模板文件；TEMPLATE 应为模板路径，或 selfeval（项目支出绩效自评表）/ evaltable（绩效评价指标体系评分表）",
                path=name,
            )
        check_workbook_file(name)
        tkind = read_kind(name)
        if kind is not None and tkind != kind:
            raise InputError(
                f"模板是「{TITLES[tkind]}」，数据是「{TITLES[kind]}」",
                path=name,
            )
        try:
            wb = openpyxl.load_workbook(name)
        except Exception as exc:
            raise InputError(f"无法读取模板（{exc}）", path=name) from None
        return wb, tkind
    if template is not None:
        tkind = resolve_kind(str(template))
        if kind is not None and tkind != kind:
            raise InputError(f"模板是「{TITLES[tkind]}」，数据是「{TITLES[kind]}」")
        kind = tkind
    return _templates().new_workbook(kind, profile), kind


def read_kind(path: str | os.PathLike) -> str:
    """Which form a workbook holds (selfeval / evaltable); NotAForm otherwise."""
    import openpyxl

    name = os.fspath(path)
    check_workbook_file(name)
    try:
        wb = openpyxl.load_workbook(name, read_only=True)
    except Exception as exc:
        raise InputError(f"无法读取工作簿（{exc}）", path=name) from None
    try:
        names = list(wb.sheetnames)
        form_id = None
        if SelfEvalLayout.settings_sheet in names:
            _, cell = split_ref(SelfEvalLayout.fields["form_id"], SelfEvalLayout.sheet)
            form_id = wb[SelfEvalLayout.settings_sheet][cell].value
        return _identify(names, form_id, name)
    finally:
        wb.close()


def _as_form(data: dict | Form, source: str = "") -> Form:
    if isinstance(data, (SelfEvalForm, EvalTable)):
        return data
    return form_from_dict(data, source)


def fill_workbook(data: dict | Form, template: str | os.PathLike | None = None, source: str = ""):
    """The filled openpyxl workbook (not saved)."""
    form = _as_form(data, source)
    wb, kind = _load_template(form.form, template, form.profile)
    if kind == SELF_EVAL:
        _fill_selfeval(wb, form, source)
    else:
        _fill_evaltable(wb, form, source)
    layout = LAYOUTS[kind]
    sheet, cell = split_ref(layout.fields["profile"], layout.sheet)
    wb[sheet][cell].value = form.profile
    return wb


def fill(
    data: dict | Form,
    out: str | os.PathLike,
    template: str | os.PathLike | None = None,
    source: str = "",
) -> Path:
    """Write *data* (JSON dict or form) into a copy of the template at *out*."""
    if template is not None and KIND_ALIASES.get(str(template).strip()) is None:
        refuse_overwrite_input(out, [template])
    wb = fill_workbook(data, template, source)
    return _templates().write_output(out, _templates().deterministic_bytes(wb))


def _fill_selfeval(wb, form: SelfEvalForm, source: str) -> None:
    L = SelfEvalLayout
    ws = wb[L.sheet]
    f = _templates().selfeval_formulas()
    for name in (*SELFEVAL_HEADER, "exec_weight", "goal_expected", "goal_actual"):
        _set(ws, L.fields[name], getattr(form, name), source)
    for name in SELFEVAL_COMPUTED:
        cell = L.fields[name]
        _set(ws, cell, _computed_value(getattr(form, name), f[cell]), source)
    for key in FUND_ROWS:
        fund = form.funds.get(key) or FundRow(key)
        for attr, col in L.fund_columns.items():
            _set(ws, f"{col}{L.fund_rows[key]}", getattr(fund, attr), source)
    by_group: dict[str, list[Indicator]] = {g.level2: [] for g in L.groups}
    for ind in form.indicators:
        if ind.row is not None and L.group_of_row(ind.row) is not None:
            group = L.group_of_row(ind.row)
        else:
            group = _selfeval_group(
                ind.level1, ind.level2, f"指标「{value_of(ind.level3) or ''}」", source
            )
        by_group[group.level2].append(ind)
    cols = L.indicator_columns
    for g in L.groups:
        items = [i for i in by_group[g.level2] if not i.is_blank()]
        if len(items) > g.rows:
            raise InputError(
                f"「{g.level1}/{g.level2}」有 {len(items)} 个三级指标，模板每组最多 {g.rows} 行"
                "（请合并指标或调整模板行数）",
                path=source or None,
            )
        _fill_rows(
            ws, g.row_numbers(), items, Indicator, cols, _templates().selfeval_score_formula, source
        )
    _fit_rows_selfeval(ws)


def _fill_rows(ws, rows, items, blank, cols, score_formula, source: str, blank_text=False) -> None:
    """Write indicator *items* into the template *rows* (left-over rows get a
    *blank* indicator): each input column as given, the 得分 column as the
    template formula unless the item carries a hand score."""
    for i, row in enumerate(rows):
        ind = items[i] if i < len(items) else blank()
        for key, col in cols.items():
            cell = f"{col}{row}"
            if key == "score":
                _set(ws, cell, _computed_value(ind.score, score_formula(row)), source)
            else:
                value = getattr(ind, key)
                _set(ws, cell, None if blank_text and value == "" else value, source)


def _fill_evaltable(wb, form: EvalTable, source: str) -> None:
    L = EvalTableLayout
    ws = wb[L.sheet]
    f = _templates().evaltable_formulas()
    for name in EVAL_HEADER:
        _set(ws, L.fields[name], getattr(form, name), source)
    for name in EVAL_COMPUTED:
        cell = L.fields[name]
        _set(ws, cell, _computed_value(getattr(form, name), f[cell]), source)
    by_block: dict[str, list[EvalIndicator]] = {b.level1: [] for b in L.blocks}
    previous = None
    for ind in form.indicators:
        if ind.row is not None and L.first_indicator_row <= ind.row <= L.last_indicator_row:
            block = _block_of_row(ind.row)
        elif "block" in ind.locs:
            block = ind.locs["block"].cell
        else:
            block = _guess_block(ind.level1, previous)
        previous = block
        by_block[block].append(ind)
    cols = L.indicator_columns
    for b in L.blocks:
        items = by_block[b.level1]
        if len(items) > b.rows:
            raise InputError(
                f"一级指标区块「{b.level1}」有 {len(items)} 个指标，模板每块最多 {b.rows} 行",
                path=source or None,
            )
        _fill_rows(
            ws,
            b.row_numbers(),
            items,
            EvalIndicator,
            cols,
            _templates().evaltable_score_formula,
            source,
            blank_text=True,
        )
    _fit_rows_evaltable(ws)


# Row heights: openpyxl cannot measure text, and Excel does not grow wrapped
# rows on open, so estimate lines from the text length and column width.
LINE_PT = 12.75
BLANK_ROW_PT = 15.0


def _text_units(value: Any) -> float:
    text = str(value_of(value) if not isinstance(value, str) else value)
    return sum(1.75 if ord(ch) > 0x2E80 else 1.0 for ch in text)


def _lines(value: Any, width: float) -> int:
    if value in (None, "") or (isinstance(value, str) and value.startswith("=")):
        return 1
    parts = str(value).split("\n")
    usable = max(width - 1.5, 2.0)
    return sum(max(1, math.ceil(_text_units(p) / usable)) for p in parts)


def _col_width(ws, col: str) -> float:
    return ws.column_dimensions[col].width or 8.43


def _fit_row(ws, row: int, cols: dict[str, float], minimum: float) -> None:
    values = [ws[f"{c}{row}"].value for c in cols]
    if all(v in (None, "") for v in values):
        ws.row_dimensions[row].height = BLANK_ROW_PT
        return
    lines = max(_lines(ws[f"{c}{row}"].value, w) for c, w in cols.items())
    ws.row_dimensions[row].height = min(409.0, max(minimum, lines * LINE_PT + 4))


def _fit_rows_selfeval(ws) -> None:
    L = SelfEvalLayout
    widths = {c: _col_width(ws, c) for c in "DEFI"}
    for row in range(L.first_indicator_row, L.last_indicator_row + 1):
        _fit_row(ws, row, widths, 20.0)
    goal_w = sum(_col_width(ws, c) for c in "BCDE")
    act_w = sum(_col_width(ws, c) for c in "FGHI")
    lines = max(_lines(ws["B12"].value, goal_w), _lines(ws["F12"].value, act_w))
    ws.row_dimensions[12].height = min(409.0, max(60.0, lines * LINE_PT + 6))
    for row in (2, 3):
        cells = {
            "B": sum(_col_width(ws, c) for c in ("BC" if row == 2 else "BCD")),
            "E" if row == 2 else "F": sum(
                _col_width(ws, c) for c in ("EF" if row == 2 else "FGHI")
            ),
        }
        _fit_row(ws, row, cells, 30.0)


def _fit_rows_evaltable(ws) -> None:
    L = EvalTableLayout
    widths = {c: _col_width(ws, c) for c in "ABCDEFHJ"}
    for row in range(L.first_indicator_row, L.last_indicator_row + 1):
        _fit_row(ws, row, widths, 20.0)
    _fit_row(
        ws,
        2,
        {"B": sum(_col_width(ws, c) for c in "BCDE"), "G": sum(_col_width(ws, c) for c in "GHIJ")},
        28.0,
    )


def extract(path: str | os.PathLike) -> dict:
    """The JSON document of a filled form."""
    return form_to_dict(read_form(path))


# --------------------------------------------------------------------------
# freeze
# --------------------------------------------------------------------------


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


def native_exec_rate(executed: str, budget: str) -> str:
    return f'=IF({budget}>0,ROUND({executed}/{budget}*100,2),"")'


def native_grade(total_cell: str, prof: profiles.Profile) -> str:
    """=PERF_GRADE as nested IFs over the profile's bands."""
    expr = f'"{prof.grade_below}"'
    for threshold, label in reversed(prof.grade_bands):
        expr = f'IF({total_cell}>={_num(threshold)},"{label}",{expr})'
    return f'=IF({total_cell}="","",{expr})'


def _num(value: Decimal) -> str:
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _score_out(compute, where: str = "", source: str = "") -> Any:
    """Value written for a computed cell: a number, blank, or the Chinese message
    the Excel function would show for bad input.  An unexpected failure of the
    scoring code stops the freeze (a submitted file must not hold junk)."""
    from .numbers import NotANumber

    try:
        value = compute()
    except NotANumber as err:
        return f"“{err}”不是数字"
    except PerfkitError as err:
        return err.message
    except Exception as exc:
        raise InputError(
            f"无法计算该单元格的值（{type(exc).__name__}: {exc}），定稿已中止",
            path=source or None,
            cell=where,
        ) from None
    if value is None:
        return None
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _is_template(raw: Any, formula: str) -> bool:
    return isinstance(raw, Formula) and _same_formula(raw.text, formula)


def freeze_workbook(wb, form: Form, cached: Grid | None = None) -> list[str]:
    """Rewrite *wb* in place; returns the cells whose formula was replaced."""
    prof = profiles.load(form.profile)
    if form.form == SELF_EVAL:
        changed = _freeze_selfeval(wb, form, prof)
    else:
        changed = _freeze_evaltable(wb, form, prof)
    changed += _freeze_leftovers(wb, cached or {}, form.source)
    return changed


def _freeze_selfeval(wb, form: SelfEvalForm, prof) -> list[str]:
    from . import scoring

    L = SelfEvalLayout
    ws = wb[L.sheet]
    f = _templates().selfeval_formulas()
    changed = []
    fund = form.funds.get("total") or FundRow("total")
    executed, budget = value_of(fund.executed), value_of(fund.annual_budget)
    weight = value_of(form.exec_weight)

    def put(cell: str, value: Any) -> None:
        ws[cell].value = value
        changed.append(cell)

    rate_cell, score_cell = L.fields["exec_rate"], L.fields["exec_score"]
    if _is_template(form.exec_rate, f[rate_cell]):
        put(rate_cell, native_exec_rate("E6", "D6"))
    if _is_template(form.exec_score, f[score_cell]):
        if prof.exec.rule == "proportional":
            w = f"IF(ISBLANK(F6),{_num(prof.exec.weight)},F6)"
            put(score_cell, f'=IF(D6>0,ROUND(MIN(E6/D6,1)*{w},2),"")')
        else:
            put(
                score_cell,
                _score_out(
                    lambda: scoring.exec_score(executed, budget, weight, prof),
                    f"{L.sheet}!{score_cell}",
                    form.source,
                ),
            )
    _freeze_scores(
        put,
        form,
        L.sheet,
        _templates().selfeval_score_formula,
        lambda ind: scoring.perf_score(
            value_of(ind.target),
            value_of(ind.actual),
            value_of(ind.weight),
            None,
            value_of(ind.level3) or "",
            prof,
        ),
    )
    first, last = L.first_indicator_row, L.last_indicator_row
    total_cell, grade_cell = L.fields["total"], L.fields["grade"]
    if _is_template(form.total, f[total_cell]):
        put(total_cell, f"=ROUND(SUM(H6,H{first}:H{last}),2)")
    if _is_template(form.grade, f[grade_cell]):
        put(grade_cell, native_grade(total_cell, prof))
    return changed


def _freeze_scores(put, form: Form, sheet: str, score_formula, compute) -> None:
    """Score cells still holding the template formula: cleared on blank rows,
    else the value the rules give (hand scores stay as typed)."""
    for ind in form.indicators:
        cell = ind.locs["score"].cell
        if not _is_template(ind.score, score_formula(ind.row)):
            continue
        if ind.is_blank():
            put(cell, None)
        else:
            put(cell, _score_out(lambda ind=ind: compute(ind), f"{sheet}!{cell}", form.source))


def _freeze_evaltable(wb, form: EvalTable, prof) -> list[str]:
    from . import rules

    L = EvalTableLayout
    ws = wb[L.sheet]
    f = _templates().evaltable_formulas()
    changed = []

    def put(cell: str, value: Any) -> None:
        ws[cell].value = value
        changed.append(cell)

    rate_cell = L.fields["exec_rate"]
    if isinstance(ws[rate_cell].value, str) and _same_formula(ws[rate_cell].value, f[rate_cell]):
        put(rate_cell, native_exec_rate("H3", "F3"))
    _freeze_scores(
        put,
        form,
        L.sheet,
        _templates().evaltable_score_formula,
        lambda ind: rules.rule_score(
            value_of(ind.rule),
            value_of(ind.actual),
            value_of(ind.weight),
            value_of(ind.benchmark),
        ),
    )
    first, last = L.first_indicator_row, L.last_indicator_row
    total_cell, grade_cell = L.fields["total"], L.fields["grade"]
    if _is_template(form.total, f[total_cell]):
        put(total_cell, f"=ROUND(SUM(I{first}:I{last}),2)")
    if _is_template(form.grade, f[grade_cell]):
        put(grade_cell, native_grade(total_cell, prof))
    for block, srow in zip(L.blocks, L.summary_rows, strict=True):
        cell = f"I{srow}"
        if isinstance(ws[cell].value, str) and _same_formula(ws[cell].value, f[cell]):
            put(cell, f"=ROUND(SUM(I{block.first_row}:I{block.last_row}),2)")
    return changed


def _freeze_leftovers(wb, cached: Grid, source: str) -> list[str]:
    """Any other cell still calling a perfkit function gets its cached value."""
    changed = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if has_udf(c.value):
                    value = _clean(grid_get(cached.get(ws.title), c.coordinate))
                    if value is None:
                        raise InputError(
                            f"单元格公式 {c.value} 使用了 perfkit 函数，无法替换为数值；"
                            "请在 Excel 中计算并保存后再定稿，或改为数值",
                            path=source or None,
                            cell=f"{ws.title}!{c.coordinate}",
                        )
                    c.value = value
                    changed.append(f"{ws.title}!{c.coordinate}")
    return changed


def _cached_grids(path: str, wb) -> Grid:
    """Cached values of every sheet (formula results included), for cells
    that freeze cannot recompute."""
    out: Grid = {}
    with XlsxReader(path) as book:
        for ws in wb.worksheets:
            if ws.title in book.sheet_names:
                nrows, ncols = min(ws.max_row, 2000), min(ws.max_column, 60)
                out[ws.title], _ = book.grids(ws.title, nrows, ncols)
    return out


def freeze(path: str | os.PathLike, out: str | os.PathLike) -> Path:
    """Copy of *path* without perfkit functions: native Excel formulas where one
    exists (执行率, 总分, 等级), values computed by perfkit elsewhere (得分).
    Hand scores stay as typed.  The result opens without the add-in."""
    import openpyxl

    name = os.fspath(path)
    refuse_overwrite_input(out, [name])
    form = read_form(name)
    wb = openpyxl.load_workbook(name)
    freeze_workbook(wb, form, _cached_grids(name, wb))
    return _templates().write_output(out, _templates().deterministic_bytes(wb))


__all__ = [
    "extract",
    "fill",
    "fill_workbook",
    "form_from_dict",
    "form_from_grid",
    "form_to_dict",
    "freeze",
    "freeze_workbook",
    "has_udf",
    "read_form",
    "read_kind",
]
