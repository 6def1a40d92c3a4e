"""Readers: a workbook in, its forms out.

:func:`read_forms` finds every 项目支出绩效自评表 and 绩效评价指标体系评分表 of a
workbook (.xlsx, .xlsm, .xls; perfkit's templates, forms typed by units,
platform exports), one or several per sheet, by their labels
(:mod:`perfkit.readers.recognise`).  perfkit's own templates are read the
same way: their defined names (``PK_*``) are a cross-check, never a
requirement.  :func:`forms_from_grids` does the same for sheets already in
memory (the Excel macros read a live workbook in bulk).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import Any

from ..errors import NotAForm
from ..layout import FIELD_NAMES, SETTINGS_SHEET
from ..model import Declaration, Formula
from ..profiles import DEFAULT_PROFILE
from .cells import Book, SheetData, cell_index, open_book
from .recognise import Found, SheetScan, headers, recognise, scan
from .template import refine
from .vocab import vocab

Form = Any  # SelfEvalForm | EvalTable


def read_forms(path: str | os.PathLike) -> list[Form]:
    """Every form of the workbook at *path*, in sheet order, top to bottom.

    Raises :class:`NotAForm` (a Chinese message saying what was found and
    what is missing) when no sheet holds a form."""
    name = os.fspath(path)
    with open_book(name) as book:
        return forms_of(book, name)


def read_book(path: str | os.PathLike) -> tuple[list[Form], list[Declaration]]:
    """The forms of the workbook at *path* and its 绩效目标申报表 (read only to
    check 自评表 targets against them: the batch commands); raises
    :class:`NotAForm` when it holds neither."""
    name = os.fspath(path)
    with open_book(name) as book:
        sheets = [book.sheet(n) for n in book.sheet_names]
        return _read(sheets, name, book.defined_names, book.hidden_sheets)


def read_form(path: str | os.PathLike) -> Form:
    """The first form of the workbook at *path* (see :func:`read_forms`)."""
    return read_forms(path)[0]


def forms_of(book: Book, source: str) -> list[Form]:
    sheets = [book.sheet(n) for n in book.sheet_names]
    return _forms(sheets, source, book.defined_names, book.hidden_sheets)


def forms_from_grids(
    values: dict[str, list[list[Any]]],
    formulas: dict[str, list[list[Any]]] | None = None,
    merged: dict[str, list[tuple[int, int, int, int]]] | None = None,
    source: str = "",
    defined_names: dict[str, str] | None = None,
    hidden: Iterable[str] = (),
) -> list[Form]:
    """The forms of sheets given as 2-D grids (sheet -> rows; row 1/column A
    at [0][0]; *formulas* the same shape holding "=…" text; *merged* zero-based
    ranges; *hidden* the names of the hidden sheets), e.g. read in bulk from a
    live workbook."""
    forms, declarations = book_from_grids(values, formulas, merged, source, defined_names, hidden)
    if not forms:
        raise declarations_only(declarations, source)
    return forms


def book_from_grids(
    values: dict[str, list[list[Any]]],
    formulas: dict[str, list[list[Any]]] | None = None,
    merged: dict[str, list[tuple[int, int, int, int]]] | None = None,
    source: str = "",
    defined_names: dict[str, str] | None = None,
    hidden: Iterable[str] = (),
) -> tuple[list[Form], list[Declaration]]:
    """:func:`forms_from_grids` with the 绩效目标申报表 among the sheets, as
    :func:`read_book` gives them."""
    sheets = _grid_sheets(values, formulas, merged)
    return _read(sheets, source, defined_names or {}, set(hidden))


def _grid_sheets(values, formulas, merged) -> list[SheetData]:
    sheets = []
    for name, rows in values.items():
        grid = [[None if v == "" else v for v in (row or ())] for row in rows or ()]
        texts: dict[tuple[int, int], str] = {}
        for r, row in enumerate((formulas or {}).get(name) or ()):
            for c, text in enumerate(row or ()):
                if isinstance(text, str) and text.startswith("=") and len(text) > 1:
                    texts[(r, c)] = text
        sheets.append(SheetData(name, grid, texts, tuple((merged or {}).get(name) or ())))
    return sheets


def _forms(
    sheets: list[SheetData], source: str, names: dict[str, str], hidden: set[str]
) -> list[Form]:
    forms, declarations = _read(sheets, source, names, hidden)
    if not forms:
        raise declarations_only(declarations, source)
    return forms


def declarations_only(declarations: list[Declaration], source: str) -> NotAForm:
    """The error of a workbook that holds 绩效目标申报表 and no form."""
    what = "、".join(dict.fromkeys(f"工作表「{d.sheet}」" for d in declarations))
    return NotAForm(
        f"{what}是项目支出绩效目标申报表，不是自评表或评分表：perfkit 用它核对自评表的"
        "年度指标值——把它和自评表放在一起运行 perfkit validate、summarize 或 review",
        path=source or None,
    )


def _read(
    sheets: list[SheetData], source: str, names: dict[str, str], hidden: set[str]
) -> tuple[list[Form], list[Declaration]]:
    """The forms and the 绩效目标申报表 of *sheets*; NotAForm when neither."""
    words = vocab()
    forms: list[Form] = []
    declarations: list[Declaration] = []
    why: list[str] = []
    scans: dict[str, SheetScan] = {}

    def scanned(sheet: SheetData) -> SheetScan:  # each sheet's labels, found once
        if sheet.name not in scans:
            scans[sheet.name] = scan(sheet, words)
        return scans[sheet.name]

    settings = _settings(sheets, scanned)
    for sheet in sheets:
        if sheet.name == settings.get("sheet"):
            continue
        found, reason = recognise(
            sheet, words, source, scanned(sheet), _named_cells(names, sheet.name)
        )
        if reason and sheet.name not in hidden and _has_content(sheet):
            why.append(f"工作表「{sheet.name}」：{reason}")
        for item in found:
            form = item.form
            if item.declaration:
                form.layout = item.layout
                declaration = Declaration.of(form)
                declaration.indicators = _annual(declaration.indicators, sheet, words)
                declarations.append(declaration)
                continue
            form.layout = item.layout = refine(item.layout, sheet)
            form.profile = settings.get("profile") or DEFAULT_PROFILE
            if settings:
                form.locs["profile"] = settings["profile_loc"]
            if sheet.name in hidden:
                form.issues.append(
                    (
                        "SHEET_HIDDEN",
                        form.layout.cell("title") or "",
                        f"表格在隐藏的工作表「{sheet.name}」中：照常读取和汇总，但打开文件时看不到；"
                        "如是旧表或草稿请删除该工作表，以免重复汇总",
                    )
                )
            if sheet.cut:
                form.issues.append(
                    (
                        "CELLS_IGNORED",
                        "",
                        f"工作表在 {sheet.cut} 等远处单元格有内容，超出表格可能的范围，未读取；"
                        "请删除这些单元格后另存",
                    )
                )
            _cross_check(item, names, form)
            forms.append(form)
    if not forms and declarations:
        return forms, declarations
    if not forms and settings.get("form_id"):
        raise NotAForm(
            f"缺少工作表：工作簿中有 perfkit 模板的设置表（模板版本 {settings['form_id']}），"
            "但没有找到自评表或评分表本身（工作表可能被删除）；请重新用模板填写",
            path=source or None,
        )
    if not forms:
        detail = "；".join(why) if why else "工作簿中没有内容"
        raise NotAForm(
            f"没有找到项目支出绩效自评表或绩效评价指标体系评分表。{detail}", path=source or None
        )
    return forms, declarations


def _annual(indicators: list, sheet: SheetData, words) -> list:
    """The rows of a 绩效目标申报表 that are the year's targets: not those
    under a row of 长期 / 中期绩效指标, until a row of 年度绩效指标."""
    from .vocab import normalise

    if not indicators or not words.declaration_longer:
        return indicators
    last = max(ind.row for ind in indicators)
    opens: dict[int, bool] = {}  # row (1-based) -> the year's (True) or longer (False)
    for r, line in enumerate(sheet.values[:last], start=1):
        for value in line:
            if type(value) is str and value and len(value) < 40:
                core = normalise(value).core
                if core in words.declaration_longer:
                    opens[r] = False
                elif core in words.declaration_annual:
                    opens[r] = True
    if False not in opens.values():
        return indicators
    marks = sorted(opens.items())

    def annual(row: int) -> bool:
        before = [state for r, state in marks if r < row]
        return before[-1] if before else True

    return [ind for ind in indicators if annual(ind.row)]


def _has_content(sheet: SheetData) -> bool:
    return any(v is not None for row in sheet.values for v in row)


def _settings(sheets: list[SheetData], scanned) -> dict[str, Any]:
    """perfkit's settings sheet (设置: 评分规则, 模板版本), if the workbook has one."""
    from ..model import Loc

    for sheet in sheets:
        if sheet.name != SETTINGS_SHEET and len(sheets) > 1 and sheet.nrows > 40:
            continue
        s = scanned(sheet)
        out: dict[str, Any] = {}
        for hits in s.by_row.values():
            for h in hits:
                key = h.key("settings")
                if key is None:
                    continue
                r, c = s.right_of(h)
                value = s.shown(r, c)
                if isinstance(value, Formula):
                    value = value.cached
                text = str(value).strip() if value not in (None, "") else ""
                out[key] = text
                out[f"{key}_loc"] = Loc(sheet.name, f"{_letters(c)}{r + 1}")
        if "profile" in out:
            if sheet.name != SETTINGS_SHEET and headers(s):
                continue  # a 评分表 whose rule column is headed 评分规则: a form, not settings
            out["sheet"] = sheet.name
            return out
    return {}


def _letters(c: int) -> str:
    from ..layout import column_letter

    return column_letter(c + 1)


_NAMED = (
    ("PK_TOTAL", "total"),
    ("PK_TOTAL_WEIGHT", "total_weight"),
    ("PK_GRADE", "grade"),
    ("PK_EXEC_SCORE", "exec_score"),
    ("PK_PROJECT_NAME", "project_name"),
)


def _named_cells(names: dict[str, str], sheet: str) -> dict[str, tuple[int, int]]:
    """field -> (row, col), zero-based, of the single-cell PK_* names on *sheet*:
    where a template keeps a value even when it reads like a label."""
    out = {}
    for name, field in FIELD_NAMES:
        at = _name_cell(names.get(name), sheet)
        if at is not None:
            out[field] = at
    return out


def _name_cell(ref: str | None, sheet: str) -> tuple[int, int] | None:
    if not ref or "!" not in ref:
        return None
    where, _, cell = ref.rpartition("!")
    if where.strip("'").replace("''", "'") != sheet:
        return None
    try:
        return cell_index(cell.replace("$", "").split(":")[0])
    except ValueError:
        return None


def _cross_check(item: Found, names: dict[str, str], form: Form) -> None:
    """perfkit's defined names against what the labels say: a template whose
    names point elsewhere was edited in a way that moved a cell without its
    name (or a name without its cell)."""
    layout = item.layout
    for name, field in _NAMED:
        ref = names.get(name)
        if not ref or "!" not in ref:
            continue
        sheet, _, cell = ref.rpartition("!")
        sheet = sheet.strip("'").replace("''", "'")
        if sheet != layout.sheet or field not in layout.fields:
            continue
        try:
            r, c = cell_index(cell.replace("$", "").split(":")[0])
        except ValueError:
            continue
        if layout.fields[field] != (r + 1, c + 1):
            form.issues.append(
                (
                    "LAYOUT_NAME_MOVED",
                    layout.cell(field) or "",
                    f"模板的定义名称 {name} 指向 {cell.replace('$', '')}，按标签识别的位置是 "
                    f"{layout.cell(field)}；已按标签读取",
                )
            )


__all__ = [
    "book_from_grids",
    "forms_from_grids",
    "forms_of",
    "read_book",
    "read_form",
    "read_forms",
]
