"""Excel macro ``insert_row()`` behind the ribbon button 插入指标行 (issue 10).

The clerk selects a row of a 二级指标 (自评表) or of a first-level block
(评分表) and clicks the button; new rows go in below the selected row (as many
as the selection spans, at most :data:`MAX_ROWS`), inside that group; the
merged 二级指标 label itself stands for the group: one row at its end.  Excel's
own row insertion shifts everything below, but it leaves the new rows without
formulas, does not grow a merged label or a ``SUM`` when the rows go in
after the group's last row, and copies a block's heavy top border.  This
macro does the rest, from the form's :class:`~perfkit.layout.Layout`:

1. reads the sheet in bulk and recognises the form with the same reader as
   ``validate`` (:func:`perfkit.readers.forms_from_grids`); only a form drawn
   as perfkit's template is handled (:func:`template_layout`);
2. works out, in pure Python (:func:`plan_insertion`), the layout after the
   insertion and what Excel will not do by itself: each cell's formula comes
   from :func:`perfkit.writers.template.formulas` of the grown layout, each
   merge from :func:`~perfkit.writers.template.merged_spans`, each defined
   name from :func:`~perfkit.layout.defined_names`.  What Excel does on its
   own (a reference at or below the new rows moves down; a range or a merge
   grows when the rows go in strictly inside it) is predicted by
   :func:`shift_formula`, and only cells whose prediction differs from the
   grown layout's formula are written;
3. inserts the rows with ``CopyOrigin=xlFormatFromLeftOrAbove`` (fill, locked
   state, number format, fonts and data validation of the selected row),
   writes the new rows' formulas and the subtotals/totals Excel leaves short,
   re-merges the group's labels over the grown range, sets thin borders and
   the selected row's height on the new rows;
4. reads the sheet back with the reader and checks that the new rows belong
   to the group and that every formula it owns equals the grown layout's
   (:func:`check`).

``macros.insert_row`` is the function (``RunPython "import macros;
macros.insert_row()"``); this module is ``sys.modules["macros.insert_row"]``.

Only perfkit's own cells are written: the new rows, and formula cells that
hold perfkit's formula (possibly with a range an earlier insertion left
short).  A value or a formula the clerk typed is never touched, a hand score
included.  A sheet protected without a password (perfkit's templates) is
unprotected for the work and protected again with the same options; one with
a password is left alone with a message.  Marks of an earlier 校验 are
cleared first (their addresses would be stale once rows move).  Screen
updating and alerts are off while it works and restored afterwards.
"""

from __future__ import annotations

import os
import re
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Any

from perfkit.errors import PerfkitError
from perfkit.layout import (
    Group,
    Layout,
    Span,
    a1,
    a1_range,
    defined_names,
    evaltable_template,
    selfeval_template,
)
from perfkit.model import SELF_EVAL
from perfkit.readers.cells import cell_index
from perfkit.writers.template import formulas, merged_spans

from ._excel import calling_book
from .validation import (
    _find_store,
    _locked_message,
    _name,
    _sheet_names,
    _unprotected,
    clear,
    read_grids,
)

MAX_ROWS = 20  # rows inserted by one click at most
TITLE = "perfkit 插入指标行"
XL_DOWN = -4121  # xlShiftDown
XL_FORMAT_FROM_LEFT_OR_ABOVE = 0  # xlFormatFromLeftOrAbove
XL_CONTINUOUS = 1  # xlContinuous
XL_THIN = 2  # xlThin
XL_EDGE_LEFT, XL_EDGE_TOP, XL_EDGE_RIGHT = 7, 8, 10
XL_INSIDE_VERTICAL, XL_INSIDE_HORIZONTAL = 11, 12
LAST_ROW = 1_048_576  # Excel's last row: a whole-column selection
LAST_COLUMN = 16_384  # XFD: a whole-row selection


# --------------------------------------------------------------------------
# the plan (pure: no Excel)
# --------------------------------------------------------------------------


def template_layout(layout: Layout) -> Layout | None:
    """perfkit's template layout for the groups the reader found, when the
    form is drawn exactly as that template (fields, columns, rows, 资金 block,
    小计 rows where they are); None for any other form."""
    if not layout.groups:
        return None
    try:
        if layout.kind == SELF_EVAL:
            sizes = [(g.level1, g.level2, g.rows) for g in layout.groups]
            t = selfeval_template(sizes, layout.amount_unit or "元")
        else:
            t = evaltable_template(
                [(g.level1, g.rows) for g in layout.groups], layout.amount_unit or "万元"
            )
    except Exception:  # groups no template can have
        return None
    t = replace(t, sheet=layout.sheet)
    same = (
        t.groups == layout.groups
        and t.rows == layout.rows
        and t.columns == layout.columns
        and t.header_row == layout.header_row
        and t.total_row == layout.total_row
        and all(_same_field(t, t.fields.get(k), v) for k, v in layout.fields.items())
        and all(k in layout.fields for k in ("total", "total_weight", "grade"))
    )
    if layout.kind == SELF_EVAL:
        same = same and (t.fund_rows, t.fund_columns) == (layout.fund_rows, layout.fund_columns)
    else:
        same = same and t.summary_rows == layout.summary_rows
    return t if same else None


def _same_field(t: Layout, drawn: tuple[int, int] | None, read: tuple[int, int]) -> bool:
    """Whether the reader found a field where template *t* draws it.  Read
    from a live book (no merged ranges), the value of a label merged over
    several cells (绩效等级) is looked for right of the label's first cell."""
    if drawn == read:
        return True
    return drawn is not None and any(
        p.kind == "label"
        and p.span[0] == read[0] == drawn[0]
        and p.span[1] == read[1] - 1
        and p.span[3] == drawn[1] - 1
        for p in t.pieces
    )


def grown(layout: Layout, group: Group, count: int) -> Layout:
    """The template layout with *count* more rows in *group*."""
    sizes = [(g.level1, g.level2, g.rows + (count if g == group else 0)) for g in layout.groups]
    if layout.kind == SELF_EVAL:
        t = selfeval_template(sizes, layout.amount_unit or "元")
    else:
        t = evaltable_template([(l1, n) for l1, _, n in sizes], layout.amount_unit or "万元")
    return replace(t, sheet=layout.sheet)


# A reference in a formula: a string literal (left alone), or a cell such as
# E14 / $C$14 not part of a name (PK_PROFILE), a function (LOG10() or another
# sheet's reference (设置!B1: perfkit's formulas have none).
_TOKEN = re.compile(
    r'"(?:[^"]|"")*"|(?<![A-Za-z0-9_.!$])(\$?)([A-Za-z]{1,3})(\$?)(\d{1,7})(?![A-Za-z0-9_(!])'
)


def shift_formula(text: str, at: int, count: int) -> str:
    """*text* as a spreadsheet rewrites it when *count* rows are inserted
    before row *at*: every reference to a row at or below *at* moves down, so
    a range that has *at* strictly inside grows and one that ends above it
    does not."""

    def move(m: re.Match) -> str:
        if m.group(4) is None:
            return m.group(0)
        row = int(m.group(4))
        return f"{m.group(1)}{m.group(2)}{m.group(3)}{row + count if row >= at else row}"

    return _TOKEN.sub(move, text)


def shift_reference(ref: str, sheet: str, at: int, count: int) -> str:
    """A defined name's reference (``自评表!$H$14:$H$43``, a leading ``=``
    allowed) as it reads after the insertion on *sheet*."""
    text = ref[1:] if ref.startswith("=") else ref
    where, bang, cells = text.rpartition("!")
    if not bang or _unquote(where) != sheet:
        return text
    return f"{where}!{shift_formula(cells, at, count)}"


def _unquote(sheet: str) -> str:
    if sheet.startswith("'") and sheet.endswith("'"):
        return sheet[1:-1].replace("''", "'")
    return sheet


def _norm(text: Any) -> str:
    """A formula as compared here: spaces, letter case, sheet quotes, a
    leading ``=``, the ``_xludf.`` prefix (a function Excel did not know when
    it loaded the file) and an add-in's path before a function do not count."""
    t = re.sub(r"\s+", "", str(text or "")).replace("'", "").upper()
    t = re.sub(r"[^=(,&+\-*/^<>]*\.XLAM!", "", t)
    return t.lstrip("=").replace("_XLUDF.", "")


def same_formula(a: Any, b: Any) -> bool:
    return bool(a) and bool(b) and _norm(a) == _norm(b)


def _shape(text: Any) -> str:
    """A formula with its row numbers left out: perfkit's formula whose
    ranges an earlier insertion left short still has perfkit's shape."""
    return _TOKEN.sub(
        lambda m: m.group(0) if m.group(4) is None else f"{m.group(1)}{m.group(2)}{m.group(3)}#",
        _norm(text),
    )


def _ours(current: Any, template: str) -> bool:
    return (
        isinstance(current, str) and current.startswith("=") and _shape(current) == _shape(template)
    )


def range_names(layout: Layout) -> tuple[str, ...]:
    """The defined names of the template that span rows of the form's sheet:
    the ones an insertion may leave short (a single cell always moves right)."""
    out = []
    for name, ref in defined_names(layout).items():
        where, _, cells = ref.rpartition("!")
        if _unquote(where) == layout.sheet and ":" in cells:
            out.append(name)
    return tuple(sorted(out))


@dataclass(frozen=True)
class Insertion:
    """What inserting *count* rows below row *below* of a form does.

    ``formulas``: cell -> formula to write (the new rows', and perfkit's
    cells Excel leaves short); ``expected``: every cell (after the insertion)
    that must then hold ``formulas(after)``; ``names``: defined name -> the
    reference to give it; ``merges``: spans to merge (unmerged first);
    ``kept``: spans the layout merges that hold the clerk's content in a cell
    other than the first, left alone; ``borders``: spans of the new rows that
    get thin borders (the columns not merged over the group)."""

    sheet: str
    below: int
    count: int
    before: Layout
    after: Layout
    group: Group  # the group after the insertion
    formulas: dict[str, str]
    expected: frozenset[str]
    names: dict[str, str]
    merges: tuple[Span, ...]
    kept: tuple[Span, ...]
    borders: tuple[Span, ...]

    @property
    def at(self) -> int:
        """The first new row."""
        return self.below + 1

    @property
    def last(self) -> int:
        """The last new row."""
        return self.below + self.count

    @property
    def new_rows(self) -> range:
        return range(self.at, self.last + 1)


def plan_insertion(
    before: Layout,
    below: int,
    count: int,
    cell_formulas: dict[str, str],
    occupied: set[tuple[int, int]] | frozenset[tuple[int, int]] = frozenset(),
    names: dict[str, str] | None = None,
) -> Insertion:
    """Insert *count* rows below row *below* of *before* (a template layout,
    see :func:`template_layout`).  *cell_formulas*: the sheet's formulas
    before (A1 -> "=…"); *occupied*: (row, column) of every cell that holds a
    value or a formula; *names*: the defined names' references as the
    workbook has them (see :func:`range_names`)."""
    group = before.group_of(below)
    if group is None:
        raise ValueError(f"row {below} is not an indicator row")
    at = below + 1
    after = grown(before, group, count)
    new = range(at, at + count)

    def old_row(row: int) -> int:
        return row - count if row >= at + count else row

    template_before, template_after = formulas(before), formulas(after)
    score_col = before.columns["score"]
    score_cells = {a1(r, score_col) for r in before.rows}
    uses_formulas = any(same_formula(cell_formulas.get(c), template_before[c]) for c in score_cells)
    write: dict[str, str] = {}
    expected: set[str] = set()
    for cell, text in template_after.items():
        r, c = cell_index(cell)
        row, col = r + 1, c + 1
        if row in new:
            if uses_formulas:
                write[cell] = text
                expected.add(cell)
            continue
        old = a1(old_row(row), col)
        current = cell_formulas.get(old)
        if old not in template_before or not _ours(current, template_before[old]):
            continue  # the clerk's own value or formula
        if old in score_cells:  # another row's score: Excel moves it, never rewritten here
            if same_formula(current, template_before[old]):
                expected.add(cell)
            continue
        expected.add(cell)
        if not same_formula(shift_formula(current, at, count), text):
            write[cell] = text

    refs: dict[str, str] = {}
    names_after = defined_names(after)
    for name in range_names(before):
        current = (names or {}).get(name)
        if not current or name not in names_after:
            continue
        if _shape(current) != _shape(defined_names(before)[name]):
            continue  # defined by the clerk
        if not same_formula(shift_reference(current, before.sheet, at, count), names_after[name]):
            refs[name] = names_after[name]

    def moved(span: Span) -> Span:
        r1, c1, r2, c2 = span
        return (r1 + count if r1 >= at else r1, c1, r2 + count if r2 >= at else r2, c2)

    excel_merges = {moved(s) for s in merged_spans(before)}
    merges, kept = [], []
    for span in merged_spans(after):
        if span in excel_merges:
            continue
        r1, c1, r2, c2 = span
        inside = {
            (old_row(r), c)
            for r in range(r1, r2 + 1)
            if r not in new
            for c in range(c1, c2 + 1)
            if (r, c) != (r1, c1)
        }
        (kept if inside & set(occupied) else merges).append(span)

    merged_cols = {
        c for r1, c1, r2, c2 in merged_spans(after) if r1 <= at <= r2 for c in range(c1, c2 + 1)
    }
    cols = sorted(c for c in after.columns.values() if c not in merged_cols)
    borders = tuple((at, lo, at + count - 1, hi) for lo, hi in _runs(cols))
    return Insertion(
        sheet=before.sheet,
        below=below,
        count=count,
        before=before,
        after=after,
        group=after.group_of(at),
        formulas=write,
        expected=frozenset(expected),
        names=refs,
        merges=tuple(merges),
        kept=tuple(kept),
        borders=borders,
    )


def _runs(cols: list[int]) -> list[tuple[int, int]]:
    """[1, 2, 3, 5] -> [(1, 3), (5, 5)]."""
    runs: list[tuple[int, int]] = []
    for c in cols:
        if runs and runs[-1][1] == c - 1:
            runs[-1] = (runs[-1][0], c)
        else:
            runs.append((c, c))
    return runs


def check(plan: Insertion, forms: list, cell_formulas: dict[str, str]) -> list[str]:
    """What is wrong with the sheet after the insertion, read back with the
    reader (empty: the new rows are in their group and every formula perfkit
    owns is the grown layout's)."""
    problems: list[str] = []
    form = next(
        (f for f in forms if f.layout.sheet == plan.sheet and f.layout.group_of(plan.at)), None
    )
    layout = template_layout(form.layout) if form is not None else None
    if layout is None or layout.groups != plan.after.groups:
        name = plan.group.level2 or plan.group.level1
        problems.append(f"第 {plan.at} 行起的新行没有按模板读作“{name}”的指标行")
    template_after = formulas(plan.after)
    wrong = sorted(
        (c for c in plan.expected if not same_formula(cell_formulas.get(c), template_after[c])),
        key=lambda c: cell_index(c),
    )
    if wrong:
        problems.append("以下单元格的公式与模板不一致：" + "、".join(wrong))
    return problems


def selection_span(address: str) -> Span:
    """First row, first column, last row, last column of a selection's address
    ("$D$15:$F$16"; "$15:$16" = whole rows; "$D:$D" = every row of D;
    "$D$15,$D$18" = the block from D15 to D18)."""
    rows: list[int] = []
    cols: list[int] = []
    for area in address.replace("$", "").split(","):
        for end in area.split("!")[-1].split(":"):
            m = re.fullmatch(r"([A-Za-z]{0,3})(\d*)", end.strip())
            if m is None or not (m.group(1) or m.group(2)):
                raise ValueError(address)
            rows += [int(m.group(2))] if m.group(2) else [1, LAST_ROW]
            cols += [_column(m.group(1))] if m.group(1) else [1, LAST_COLUMN]
    if not rows:
        raise ValueError(address)
    return min(rows), min(cols), max(rows), max(cols)


def _column(letters: str) -> int:
    col = 0
    for ch in letters.upper():
        col = col * 26 + ord(ch) - 64
    return col


def rows_to_insert(layout: Layout, group: Group, span: Span) -> tuple[int, int]:
    """(row below which to insert, how many rows) for a selection *span* in
    *group*: as many rows as it spans, below its last row.  Clicking the
    merged 二级指标 label selects the whole group: one row at its end."""
    r1, c1, r2, c2 = span
    label = layout.columns.get("level2") if layout.kind == SELF_EVAL else None
    if c1 == c2 == label and (r1, r2) == (group.first_row, group.last_row):
        return group.last_row, 1
    return r2, r2 - r1 + 1


def find_group(forms: list, sheet: str, first: int, last: int) -> tuple[Any, Group] | str:
    """The form and the group that hold rows *first*..*last*, or a message
    saying why there is none."""
    for form in forms:
        layout = form.layout
        if layout.sheet != sheet:
            continue
        inside = [g for g in layout.groups if g.last_row >= first and g.first_row <= last]
        if not inside:
            continue
        group = inside[0]
        if len(inside) == 1 and group.first_row <= first and last <= group.last_row:
            return form, group
        names = "、".join(dict.fromkeys(_label(g) for g in inside))
        unit = "二级指标" if layout.kind == SELF_EVAL else "一级指标区块"
        return (
            f"所选的第 {first}–{last} 行不全在同一个{unit}中（{names}），未插入行。"
            f"请只选中同一个{unit}中的行：选中几行，就在其下方插入几行"
            "（点合并的一级指标单元格会选中它下面的全部行，请点三级指标所在行的单元格）。"
        )
    where = f"第 {first} 行" if first == last else f"第 {first}–{last} 行"
    return (
        f"所选单元格（{where}）不在指标行中，未插入行。"
        "请选中要在其下方插入新行的那一行指标（三级指标所在的行）中的任一单元格，"
        "再点“插入指标行”。"
    )


def _label(group: Group) -> str:
    return group.level2 or group.level1


# --------------------------------------------------------------------------
# the macro (Excel)
# --------------------------------------------------------------------------

NOT_TEMPLATE = (
    "这张表不是按 perfkit 模板画的，或模板的行结构已被改动（例如有的行不属于任何指标组、"
    "小计公式没有覆盖相邻的行），未插入行。插入指标行只用于 perfkit 的自评表和评分表模板："
    "其他表格可以直接用 Excel 的“插入工作表行”，或先用 perfkit adopt 转为模板。"
)


def insert_row(book: Any = None) -> Insertion | None:
    """插入指标行：在所选指标行下方插入新行，带上公式、格式、合并单元格，并让小计与总分覆盖新行。"""
    book = calling_book(book)
    try:
        return _insert_row(book)
    except Exception:  # a defect of perfkit: a sentence for the user, details on request
        message = (
            "插入指标行时出错，工作表可能只改了一部分：请检查新插入的行、小计和总分。"
            "如需帮助，请把这个工作簿发给 perfkit 维护者。"
        )
        if os.environ.get("PERFKIT_DEBUG") == "1":
            message += "\n\n" + traceback.format_exc()
        _report(book, message, alert=True)
        return None


def _insert_row(book: Any) -> Insertion | None:
    try:
        selection = book.selection
        sht = selection.sheet
        span = selection_span(str(selection.address))
        sheet = sht.name
    except Exception:
        _report(
            book, "请先在自评表或评分表中选中一个指标行的单元格，再点“插入指标行”。", alert=True
        )
        return None
    values, grid = read_grids(book, [sheet])
    try:
        from perfkit.readers import forms_from_grids

        forms = forms_from_grids(values, grid, source=_name(book))
    except PerfkitError:
        _report(
            book,
            f"工作表“{sheet}”不是项目支出绩效自评表或绩效评价指标体系评分表，未插入行。"
            "请先切换到自评表或评分表，选中指标行中的单元格，再点“插入指标行”。",
            alert=True,
        )
        return None
    found = find_group(forms, sheet, span[0], span[2])
    if isinstance(found, str):
        _report(book, found, alert=True)
        return None
    form, group = found
    before = template_layout(form.layout)
    if before is None:
        _report(book, NOT_TEMPLATE, alert=True)
        return None
    below, wanted = rows_to_insert(before, group, span)
    count = min(wanted, MAX_ROWS)
    cell_formulas = _formula_cells(grid[sheet])
    plan = plan_insertion(
        before,
        below,
        count,
        cell_formulas,
        occupied=_occupied(values[sheet], grid[sheet]),
        names=_names(book, range_names(before)),
    )
    with _quiet(book):
        with _unprotected(sht) as writable:
            if not writable:
                _report(book, _locked_message([sheet], "无法插入指标行"), alert=True)
                return None
            cleared = _clear_marks(book)
            _apply(book, sht, plan)
        values, grid = read_grids(book, [sheet])
        problems = check(plan, _forms_or_none(values, grid, book), _formula_cells(grid[sheet]))
    rows = f"第 {plan.at} 行" if plan.count == 1 else f"第 {plan.at}–{plan.last} 行"
    message = (
        f"已在“{_label(group)}”第 {plan.below} 行下方插入 {plan.count} 行（{rows}），"
        "公式、格式和合并单元格已带上，小计与总分已覆盖新行。"
    )
    if plan.after.at("score", plan.at) not in plan.formulas:
        message += "本表的得分不是公式（如定稿副本），新行的得分请直接填写。"
    if wanted > count:
        message += f"一次最多插入 {MAX_ROWS} 行（选中了 {wanted} 行）。"
    if cleared:
        message += "原有的校验标记已清除（行号已变），请重新校验。"
    if plan.kept:
        spans = "、".join(a1_range(*s) for s in plan.kept)
        message += f"{spans} 中有填写的内容，未合并。"
    if problems:
        _report(book, message + "\n\n但核对时发现：" + "；".join(problems), alert=True)
    else:
        _report(book, message, alert=bool(wanted > count or cleared or plan.kept))
    return plan


def _apply(book: Any, sht: Any, plan: Insertion) -> None:
    """The insertion and the fix-ups, in Excel (a few calls, whatever the size of the form)."""
    height = sht.api.Rows(plan.below).RowHeight
    sht.api.Rows(f"{plan.at}:{plan.last}").Insert(
        Shift=XL_DOWN, CopyOrigin=XL_FORMAT_FROM_LEFT_OR_ABOVE
    )
    rows = sht.api.Rows(f"{plan.at}:{plan.last}")
    try:
        rows.RowHeight = height
    except Exception:  # a height Excel does not take: keep the copied one
        pass
    for span in plan.merges:
        rng = sht.range(a1_range(*span)).api
        rng.UnMerge()
        rng.Merge()
    for cell, text in plan.formulas.items():
        sht.range(cell).formula = text
    for name, ref in plan.names.items():
        book.names[name].refers_to = "=" + ref
    for span in plan.borders:
        rng = sht.range(a1_range(*span)).api
        edges = [XL_EDGE_TOP, XL_EDGE_LEFT, XL_EDGE_RIGHT]
        if span[1] != span[3]:
            edges.append(XL_INSIDE_VERTICAL)
        if span[0] != span[2]:
            edges.append(XL_INSIDE_HORIZONTAL)
        for edge in edges:
            border = rng.Borders(edge)
            border.LineStyle = XL_CONTINUOUS
            border.Weight = XL_THIN
    try:
        sht.range(plan.after.at("level3", plan.at)).select()
    except Exception:  # not the active book: nothing to select
        pass


def _clear_marks(book: Any) -> bool:
    """Clear an earlier 校验's marks (their cell addresses would be stale)."""
    if _find_store(book, _sheet_names(book)) is None:
        return False
    clear(book, quiet=True)
    return True


def _forms_or_none(values: dict, grid: dict, book: Any) -> list:
    from perfkit.readers import forms_from_grids

    try:
        return forms_from_grids(values, grid, source=_name(book))
    except PerfkitError:
        return []


def _names(book: Any, wanted: tuple[str, ...]) -> dict[str, str]:
    """The references of the defined names *wanted*, as the workbook has them."""
    out: dict[str, str] = {}
    for name in wanted:
        try:
            ref = book.names[name].refers_to
        except Exception:  # not defined in this workbook
            continue
        if ref:
            out[name] = str(ref)
    return out


def _formula_cells(rows: list[list[Any]]) -> dict[str, str]:
    return {
        a1(r + 1, c + 1): text
        for r, row in enumerate(rows or ())
        for c, text in enumerate(row or ())
        if isinstance(text, str) and text.startswith("=") and len(text) > 1
    }


def _occupied(values: list[list[Any]], grid: list[list[Any]]) -> set[tuple[int, int]]:
    out = set()
    for rows in (values, grid):
        for r, row in enumerate(rows or ()):
            for c, v in enumerate(row or ()):
                if v not in (None, ""):
                    out.add((r + 1, c + 1))
    return out


@contextmanager
def _quiet(book: Any) -> Iterator[None]:
    """Screen updating and alerts off while the macro works; both restored."""
    app = book.app
    saved: dict[str, Any] = {}
    for prop in ("screen_updating", "display_alerts"):
        try:
            saved[prop] = getattr(app, prop)
            setattr(app, prop, False)
        except Exception:
            pass
    try:
        yield
    finally:
        for prop, value in saved.items():
            try:
                setattr(app, prop, value)
            except Exception:
                pass


def _report(book: Any, message: str, alert: bool = False) -> None:
    try:
        book.app.status_bar = message.splitlines()[0]
    except Exception:
        pass
    if alert:
        try:
            book.app.alert(message, title=TITLE)
        except Exception:
            pass


__all__ = [
    "MAX_ROWS",
    "Insertion",
    "check",
    "find_group",
    "insert_row",
    "plan_insertion",
    "range_names",
    "rows_to_insert",
    "same_formula",
    "selection_span",
    "shift_formula",
    "shift_reference",
    "template_layout",
]
