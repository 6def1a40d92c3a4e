"""Excel macros ``validate()`` and ``clear()`` (xlwings RunPython, ribbon buttons).

``validate()`` reads the calling workbook in bulk (one read of values and one
of formulas per sheet), finds its forms with ``perfkit.readers.book_from_grids``
(the same label-anchored reader as the command line: perfkit's templates, forms
typed by units, platform exports), runs the same
``perfkit.validate.validate_form`` as the batch command on each, then:

* marks each finding's cell: a fill colour by severity and a note with the
  message.  The colour comes from three conditional-format rules per sheet
  (one per severity) that look the cell up in the very hidden sheet
  ``_perfkit_marks``: the cells' own fill is never touched, so there is
  nothing to restore, and colouring costs the same few calls for 1 or 1000
  findings;
* stores every marked cell with its original note (if any) in
  ``_perfkit_marks``, written in one call;
* writes the 校验结果 sheet (严重程度, 代码, 位置 as a hyperlink, 说明) in one
  call and reports the counts on the status bar and in a message box.

``clear()`` restores each marked cell's original note from ``_perfkit_marks``
(only where the note there is still perfkit's), deletes perfkit's
conditional-format rules, the 校验结果 sheet and ``_perfkit_marks``.  Values
are never written by either.  ``validate()`` starts with ``clear()``, so
validating twice keeps the true originals.

perfkit's own sheets and rules are known by a marker, never by name alone:
the marks store by its header row, the 校验结果 sheet by the name the store
records (a user's own sheet called 校验结果 stays, and ours gets another
name), a colour rule by being exactly the formula perfkit writes (a user's
rule that mentions the store survives).  Every text goes into the store with
a leading apostrophe, so Excel keeps it as typed: a note ``0012``, ``50%``,
``TRUE`` or ``'x`` comes back exactly.  A sheet protected with a password
perfkit cannot lift is left unmarked, with a message saying so.

Excel round trips do not depend on the number of rows.  Notes are the only
per-cell work (Excel has no bulk call for notes): two calls per marked cell
to write, two to restore.  ``benchmarks/bench_macros.py`` prints the counts.
Every function takes ``book=None`` (the caller) so tests pass a fake book.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from perfkit.errors import PerfkitError
from perfkit.readers.cells import MAX_COLS, MAX_ROWS
from perfkit.validate import SEVERITY_COLORS, SEVERITY_LABELS, count_by_severity, validate_form
from perfkit.validate.between import of_forms
from perfkit.validate.core import SEVERITIES
from perfkit.validate.marking import (
    NOTE_PREFIX,
    RESULT_HEADER,
    RESULT_SHEET,
    by_cell,
    note_text,
    result_rows,
)

from ._excel import calling_book

MARKS_SHEET = "_perfkit_marks"
MARKS_HEADER = ["工作表", "单元格", "严重程度", "原有批注", "原批注内容", "perfkit 批注"]
RESULTS_KEY = "校验结果工作表"  # G1 of the store; H1 holds the name of perfkit's results sheet
XL_SHEET_HIDDEN = 0
XL_SHEET_VERY_HIDDEN = 2
XL_LANDSCAPE = 2
XL_PAPER_A4 = 9
XL_TOP = -4160
RESULT_WIDTHS = (10, 26, 16, 80)
FOOTER = "&A - 第 &P 页，共 &N 页"
TITLE = "perfkit 校验"
_PROTECTION_FLAGS = (
    "AllowFormattingCells",
    "AllowFormattingColumns",
    "AllowFormattingRows",
    "AllowInsertingRows",
    "AllowDeletingRows",
    "AllowSorting",
    "AllowFiltering",
)


# --------------------------------------------------------------------------
# entry points
# --------------------------------------------------------------------------


def validate(book: Any = None) -> list:
    """校验当前工作簿：标注问题单元格，生成“校验结果”工作表。"""
    book = calling_book(book)
    clear(book, quiet=True)
    names = [n for n in _sheet_names(book) if n not in (MARKS_SHEET, RESULT_SHEET)]
    try:
        from perfkit.readers import book_from_grids

        values, formulas = read_grids(book, names)
        forms, declarations = book_from_grids(
            values,
            formulas,
            source=_name(book),
            defined_names=book_names(book),
            hidden=hidden_sheets(book, names),
        )
        if not forms:  # only a 绩效目标申报表: what it is, as the file readers say it
            from perfkit.readers import declarations_only

            raise declarations_only(declarations, _name(book))
        shown_percentages(book, forms)
    except PerfkitError as exc:  # a clear message instead of a traceback
        _report(book, f"无法校验：{exc.message}", alert=True)
        return []
    except Exception:
        _report(book, "无法校验：读取工作簿时出错，请把文件发给 perfkit 维护者", alert=True)
        return []
    findings = [f for form in forms for f in validate_form(form)]
    findings += of_forms([*forms, *declarations], _name(book))
    try:
        locked = mark(book, findings)
    except Exception:  # e.g. a workbook whose structure is protected: no sheet can be added
        _report(
            book,
            f"{TITLE}：无法写入标注或“{RESULT_SHEET}”工作表。工作簿可能设置了结构保护"
            "（审阅 → 保护工作簿），请撤销后再校验。",
            alert=True,
        )
        return findings
    counts = count_by_severity(findings)
    message = (
        f"{TITLE}：错误 {counts['error']}，警告 {counts['warning']}，提示 {counts['info']}"
        + ("；详见“校验结果”工作表" if findings else "；未发现问题")
    )
    if locked:
        message += "\n\n" + _locked_message(
            locked, "未能在其中标注问题单元格（问题仍列在“校验结果”工作表中）"
        )
    _report(book, message, alert=True)
    return findings


def _locked_message(sheets: list[str], what: str) -> str:
    names = "、".join(f"“{n}”" for n in sheets)
    return (
        f"工作表 {names} 设有保护密码，{what}。"
        "请先撤销工作表保护（审阅 → 撤销工作表保护，输入密码），再点此按钮。"
    )


def clear(book: Any = None, quiet: bool = False) -> int:
    """清除 perfkit 的标注：恢复原有批注，删除标注颜色、校验结果和隐藏记录表。"""
    book = calling_book(book)
    names = _sheet_names(book)
    restored = 0
    locked: list[str] = []
    store_name = _find_store(book, names)
    results = _own_results_sheet(book, names, store_name)
    if store_name is not None:
        store = book.sheets[store_name]
        rows = store.used_range.options(ndim=2).value or []
        marks = [r for r in rows[1:] if r and r[0] and r[1]]
        sheets = sorted({_text(r[0]) for r in marks if _text(r[0]) in names})
        for sheet_name in sheets:
            sht = book.sheets[sheet_name]
            with _unprotected(sht) as writable:
                if not writable:
                    locked.append(sheet_name)
                    continue
                _delete_own_rules(sht, sheet_name, store_name)
                for r in marks:
                    if _text(r[0]) == sheet_name:
                        restored += _restore_note(sht, _text(r[1]), bool(r[3]), _text(r[4]))
        if not locked:  # keep the record while marks remain that it alone can undo
            _delete_sheet(store)
    if results is not None:
        _delete_sheet(book.sheets[results])
    if locked:
        _report(book, _locked_message(locked, "无法清除其中的标注"), alert=not quiet)
    elif not quiet:
        _report(book, f"{TITLE}：已清除标注（恢复 {restored} 个单元格的批注）")
    return restored


def _header(book: Any, name: str, width: int) -> list:
    try:
        rows = book.sheets[name].range(f"A1:{'ABCDEFGH'[width - 1]}1").options(ndim=2).value
    except Exception:
        return []
    return list(rows[0]) if rows else []


def _find_store(book: Any, names: list[str]) -> str | None:
    """The marks store: a sheet whose name starts with _perfkit_marks and whose
    header row is perfkit's (a user's sheet of that name is not taken)."""
    for name in names:
        if name.startswith(MARKS_SHEET) and _header(book, name, 6) == MARKS_HEADER:
            return name
    return None


def _own_results_sheet(book: Any, names: list[str], store_name: str | None) -> str | None:
    """perfkit's 校验结果 sheet: the one the store names; without a store (a
    workbook validated by an earlier version), a sheet called 校验结果 whose
    header row is perfkit's."""
    if store_name is not None:
        row = _header(book, store_name, 8)
        if len(row) >= 8 and row[6] == RESULTS_KEY and _text(row[7]) in names:
            return _text(row[7])
    if RESULT_SHEET in names and _header(book, RESULT_SHEET, 4) == list(RESULT_HEADER):
        return RESULT_SHEET
    return None


def _free_name(names: list[str], base: str) -> str:
    if base not in names:
        return base
    n = 2
    while f"{base} ({n})" in names:
        n += 1
    return f"{base} ({n})"


# --------------------------------------------------------------------------
# reading
# --------------------------------------------------------------------------


def book_names(book: Any) -> dict[str, str]:
    """The workbook's defined names (PK_* of a perfkit template) as
    name -> reference without "=", one COM call per name; {} when the book
    cannot list them."""
    out: dict[str, str] = {}
    try:
        for item in book.names:
            ref = str(item.refers_to or "")
            out[str(item.name)] = ref[1:] if ref.startswith("=") else ref
    except Exception:  # a fast path only: the labels are read anyway
        return {}
    return out


def hidden_sheets(book: Any, sheet_names: list[str]) -> list[str]:
    """The sheets of *sheet_names* that are hidden or very hidden (one call
    each; xlwings' ``Sheet.visible`` is COM's XlSheetVisibility on Windows, and
    xlSheetVeryHidden, 2, is true): a form on one is SHEET_HIDDEN, as the file
    readers say."""
    hidden = []
    for name in sheet_names:
        try:
            if book.sheets[name].api.Visible in (XL_SHEET_HIDDEN, XL_SHEET_VERY_HIDDEN):
                hidden.append(name)
        except Exception:  # a fast path only: the form is read either way
            continue
    return hidden


def read_grids(book: Any, sheet_names: list[str]) -> tuple[dict, dict]:
    """Values and formulas of each sheet's used block (at most the block a
    form can use, whatever the used range says), one call each, as grids
    with row 1/column A at [0][0] (the contract of ``forms_from_grids``)."""
    values: dict[str, list[list[Any]]] = {}
    formulas: dict[str, list[list[Any]]] = {}
    for name in sheet_names:
        sht = book.sheets[name]
        (row0, col0), (row1, col1) = _corners(sht.used_range.address)
        last_row, last_col = min(row1, MAX_ROWS), min(col1, MAX_COLS)
        if last_row < row0 or last_col < col0:
            values[name], formulas[name] = [], []
            continue
        rng = sht.range(f"{_a1(row0, col0)}:{_a1(last_row, last_col)}")
        vals = rng.options(ndim=2, err_to_str=True).value
        forms = rng.formula
        if isinstance(forms, str):  # a single cell
            forms = ((forms,),)
        values[name] = _pad(vals, row0, col0)
        formulas[name] = _pad([list(r) for r in forms], row0, col0)
    return values, formulas


def shown_percentages(book: Any, forms: list) -> None:
    """Excel keeps a typed "8%" as 0.08 and shows it by its number format: a
    number in a 年度指标值 / 实际完成值 / 标杆值 cell that a percent format shows is
    read as shown ("8%"), as the file readers read it.  One call per such
    number cell (most of these cells hold text and cost nothing)."""
    from perfkit.readers.cells import is_percent_format
    from perfkit.readers.recognise import PERCENT_FIELDS, percent_text

    for form in forms:
        sht = book.sheets[form.sheet]
        for ind in form.indicators:
            for key in PERCENT_FIELDS:
                value = getattr(ind, key, None)
                loc = ind.locs.get(key)
                if type(value) in (int, float) and loc is not None and loc.cell:
                    if is_percent_format(sht.range(loc.cell).number_format):
                        setattr(ind, key, percent_text(value))


def _corners(address: str) -> tuple[tuple[int, int], tuple[int, int]]:
    """First and last (row, column) of an address such as "$A$1:$I$46"."""
    part = address.split(",")[0].split("!")[-1].upper()
    ends = [_cell(p) for p in part.split(":")]
    return ends[0], ends[-1]


def _cell(text: str) -> tuple[int, int]:
    m = re.match(r"\$?([A-Z]+)\$?(\d+)", text)
    if not m:
        return 1, 1
    col = 0
    for ch in m.group(1):
        col = col * 26 + ord(ch) - 64
    return int(m.group(2)), col


def _a1(row: int, col: int) -> str:
    from perfkit.layout import a1

    return a1(row, col)


def _pad(grid: Any, row0: int, col0: int) -> list[list[Any]]:
    rows = [list(r) for r in (grid or [])]
    if col0 > 1:
        rows = [[None] * (col0 - 1) + r for r in rows]
    return [[] for _ in range(row0 - 1)] + rows


# --------------------------------------------------------------------------
# marking
# --------------------------------------------------------------------------


def mark(book: Any, findings: list) -> list[str]:
    """Notes, colour rules, the marks store and the 校验结果 sheet; returns the
    sheets that could not be marked (protected with a password)."""
    names = _sheet_names(book)
    store_name = _free_name(names, MARKS_SHEET)
    results_name = _free_name(names, RESULT_SHEET)
    cells = by_cell(findings)
    header = [*MARKS_HEADER, RESULTS_KEY, results_name]
    store_rows: list[list[Any]] = [[_as_text(v) for v in header]]
    by_sheet: dict[str, list[tuple[str, list]]] = {}
    locked: list[str] = []
    for (sheet, cell), items in cells.items():
        if sheet in names:
            by_sheet.setdefault(sheet, []).append((cell, items))
    for sheet_name, marks in by_sheet.items():
        sht = book.sheets[sheet_name]
        with _unprotected(sht) as writable:
            if not writable:
                locked.append(sheet_name)
                continue
            existing = _existing_notes(sht)
            for cell, items in marks:
                text = note_text(items)
                original = existing.get(cell)
                rng = sht.range(cell)
                if original is None:
                    rng.add_note(text)
                else:
                    rng.note.text = text + "\n\n" + original
                store_rows.append(
                    [
                        _as_text(sheet_name),
                        _as_text(cell),
                        _as_text(items[0].severity),
                        1 if original is not None else 0,
                        _as_text(original or ""),
                        _as_text(text),
                        None,
                        None,
                    ]
                )
            severities = [
                s for s in SEVERITIES if any(items[0].severity == s for _, items in marks)
            ]
            target = sht.used_range
            for sev in severities:
                target.conditional_formats.add_custom(
                    _rule_formula(sheet_name, sev, store_name),
                    fill_color=SEVERITY_COLORS[sev],
                    stop_if_true=True,
                )
    store = _add_sheet(book, store_name)
    store.range("A1").value = store_rows
    _very_hide(store)
    _write_results(book, findings, results_name)
    return locked


def _rule_formula(sheet: str, severity: str, store: str = MARKS_SHEET) -> str:
    """Conditional-format formula: true on cells listed in the marks store."""
    s = sheet.replace('"', '""')
    m = "'" + store.replace("'", "''") + "'"  # quoted: valid whatever the name starts with
    return (
        f'=COUNTIFS({m}!$A:$A,"{s}",{m}!$B:$B,ADDRESS(ROW(),COLUMN(),4),{m}!$C:$C,"{severity}")>0'
    )


def _same_formula(a: str, b: str) -> bool:
    """Equal as Excel may hand them back: spaces, letter case and the quotes
    around a sheet name that needs none do not count."""

    def norm(f: str) -> str:
        return re.sub(r"\s+", "", f).replace("'", "").upper()

    return norm(a) == norm(b)


def _write_results(book: Any, findings: list, name: str = RESULT_SHEET) -> None:
    sht = _add_sheet(book, name)
    rows = result_rows(findings)
    sht.range("A1").value = rows
    sht.range("A1:D1").font.bold = True
    for col, width in zip("ABCD", RESULT_WIDTHS, strict=True):
        sht.range(f"{col}:{col}").column_width = width
    col_a = sht.range(f"A2:A{max(2, len(rows))}")
    for sev in SEVERITIES:
        col_a.conditional_formats.add_custom(
            f'=$A2="{SEVERITY_LABELS[sev]}"', fill_color=SEVERITY_COLORS[sev], stop_if_true=True
        )
    _print_setup(sht, len(rows))


def _print_setup(sht: Any, nrows: int) -> None:
    """As the marked copies: A4 landscape, one page wide, row 1 on every page,
    long messages wrapped (Excel then fits the rows).  A few calls, whatever
    the number of findings; a missing printer driver must not fail validation."""
    try:
        body = sht.range(f"A1:D{max(nrows, 1)}").api
        body.WrapText = True
        body.VerticalAlignment = XL_TOP
        setup = sht.api.PageSetup
        setup.Orientation = XL_LANDSCAPE
        setup.PaperSize = XL_PAPER_A4
        setup.Zoom = False
        setup.FitToPagesWide = 1
        setup.FitToPagesTall = False
        setup.PrintTitleRows = "$1:$1"
        setup.CenterFooter = FOOTER
    except Exception:
        pass


def _existing_notes(sht: Any) -> dict[str, str]:
    """Cell address (A1, no $) -> note text, for the notes already on a sheet."""
    out = {}
    for note in sht.notes:
        addr = str(note.location.address).replace("$", "")
        out[addr] = note.text
    return out


def _restore_note(sht: Any, cell: str, had_note: bool, original: str) -> int:
    note = sht.range(cell).note
    if note is None:
        return 0
    current = note.text or ""
    if not current.startswith(NOTE_PREFIX):
        return 0  # the user replaced our note: leave theirs
    if had_note:
        note.text = original
    else:
        note.delete()
    return 1


def _delete_own_rules(sht: Any, sheet_name: str, store: str) -> None:
    """Delete the colour rules perfkit wrote on this sheet: exactly its formulas,
    so that a user's own rule, even one that mentions the store, stays."""
    ours = [_rule_formula(sheet_name, sev, store) for sev in SEVERITIES]
    rules = list(sht.cells.conditional_formats)
    for rule in rules:
        formula = getattr(rule, "formula", None) or ""
        if any(_same_formula(formula, f) for f in ours):
            rule.delete()


# --------------------------------------------------------------------------
# workbook plumbing
# --------------------------------------------------------------------------


def _name(book: Any) -> str:
    try:
        return str(book.name)
    except Exception:  # pragma: no cover
        return ""


def _sheet_names(book: Any) -> list[str]:
    return [s.name for s in book.sheets]


def _add_sheet(book: Any, name: str) -> Any:
    """A new sheet at the end (*name* is free: see :func:`_free_name`)."""
    names = _sheet_names(book)
    return book.sheets.add(name, after=book.sheets[names[-1]])


def _delete_sheet(sht: Any) -> None:
    try:
        sht.api.Visible = -1  # xlSheetVisible: a very hidden sheet must be shown to be deleted
    except Exception:
        pass
    sht.delete()


def _very_hide(sht: Any) -> None:
    try:
        sht.api.Visible = XL_SHEET_VERY_HIDDEN
    except Exception:  # not Windows: hidden is the best we can do
        sht.visible = False


@contextmanager
def _unprotected(sht: Any) -> Iterator[bool]:
    """Lift the sheet protection (templates are protected without a password)
    for our notes and rules, and put it back with the same options.  Yields
    False when the protection cannot be lifted (a password perfkit does not
    know): the caller leaves the sheet alone."""
    api = None
    protected = False
    flags: dict[str, Any] = {}
    try:
        api = sht.api
        protected = bool(api.ProtectContents)
    except Exception:  # not Windows: no protection to look at
        protected = False
    if protected:
        try:
            prot = api.Protection
            flags = {f: getattr(prot, f) for f in _PROTECTION_FLAGS}
            api.Unprotect()
        except Exception:
            yield False
            return
    try:
        yield True
    finally:
        if protected and api is not None:
            api.Protect(DrawingObjects=True, Contents=True, Scenarios=True, **flags)


def _report(book: Any, message: str, alert: bool = False) -> None:
    try:
        book.app.status_bar = message
    except Exception:
        pass
    if alert:
        try:
            book.app.alert(message, title=TITLE)
        except Exception:
            pass


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _as_text(text: str) -> str:
    """*text* as Excel must keep it: a leading apostrophe makes Excel store the
    rest as typed (no formula, no number, no date, no TRUE, its own leading
    apostrophe kept), and it is not part of the value read back."""
    return "'" + text
