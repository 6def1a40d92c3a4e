"""Helpers shared by the checks of both forms."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from decimal import Decimal
from enum import Enum
from functools import lru_cache
from operator import attrgetter
from typing import Any

from .. import targets
from ..model import AMOUNT_FIELDS, AMOUNT_LABELS, EVAL_TABLE, FUND_LABELS, SELF_EVAL, Formula, Loc
from ..numbers import fmt, round2
from ..values import UNKNOWN, excel_error, is_blank, read_number, text_of
from . import codes as C
from .core import ERROR, Context, Finding, _cell_key, check, diff_severity


def reading(ctx: Context, raw: Any):
    """targets.read of a cell value's text (*ctx*: kept for the callers)."""
    return read_text(text_of(raw))


@lru_cache(maxsize=8192)
def read_text(text: str):
    """targets.read of a cell's text.  A Reading is immutable and depends on
    the text alone: cached across forms, which repeat the same texts."""
    return targets.read(text if text else None)


def kind_is(reading_: Any, name: str) -> bool:
    """Whether a reading's kind is *name* (by the kind's name or value, upper case)."""
    kind = getattr(reading_, "kind", None)
    if kind is None:
        return False
    return name in kind_names(kind)


def kind_names(kind: Any) -> frozenset[str]:
    """The names :func:`kind_is` accepts for *kind* (a reading's kind)."""
    if isinstance(kind, Enum):  # members are immutable: their names once
        # By identity: an Enum member's hash is Python code.  The entry holds
        # the member, so its id cannot pass to another object.
        entry = _KIND_NAMES.get(id(kind))
        if entry is None:
            entry = _KIND_NAMES[id(kind)] = (kind, _kind_names(kind))
        return entry[1]
    return _kind_names(kind)


_KIND_NAMES: dict[int, tuple[Enum, frozenset[str]]] = {}


def _kind_names(kind: Any) -> frozenset[str]:
    return frozenset(
        (getattr(kind, "name", str(kind)).upper(), str(getattr(kind, "value", kind)).upper())
    )


def compare(
    ctx: Context,
    mismatch_code: str,
    loc: Any,
    shown: Any,
    expected: Decimal | None,
    what: str,
    how: str | Callable[[], str],
) -> Iterator[Finding]:
    """Compare a cell with what the rules give; mismatch, rounding-only or nothing.

    *how* says how the rules got *expected*: text, or a function giving it,
    called only when there is a difference to report (most cells agree, and
    the explanation takes a few numbers to format)."""
    if not isinstance(shown, Decimal) or expected is None:
        return
    sev = diff_severity(shown - expected, ctx.profile)
    if sev is None:
        return
    if callable(how):
        how = how()
    msg = f"{what}应为 {fmt(expected)}（{how}），表中为 {fmt(shown)}，相差 {fmt(abs(shown - expected))}"
    if sev == "info":
        yield ctx.finding(C.ROUNDING_DIFF.code, loc, msg + "，仅为舍入差异")
    else:
        yield ctx.finding(mismatch_code, loc, msg, severity=sev if sev != ERROR else None)


def blank_total(ctx: Context, shown: Any, expected: Decimal) -> Iterator[Finding]:
    """REQUIRED_EMPTY for a 总分 / 合计 row whose total cell was left blank."""
    loc = ctx.form.locs.get("total")
    if shown is None and loc is not None and is_blank(ctx.form.total):
        yield ctx.finding(
            C.REQUIRED_EMPTY.code,
            loc,
            f"总分为必填项，目前为空；按表中各项应为 {fmt(expected)}",
        )


def grade_findings(ctx: Context, total: Decimal | None) -> Iterator[Finding]:
    """GRADE_MISMATCH when the form's 绩效等级 is not the profile's grade of
    *total* (a grade written another way, 优秀 for 优, is that grade; an error
    value in the cell is reported once by FORMULA_ERROR)."""
    form = ctx.form
    grade_text = text_of(form.grade)
    if total is None or not grade_text or excel_error(form.grade):
        return
    want = ctx.profile.grade(total)
    if ctx.profile.grade_named(grade_text) != want:
        yield ctx.finding(
            C.GRADE_MISMATCH.code,
            ctx.loc(form, "grade"),
            f"总分 {fmt(total)} 的绩效等级应为“{want}”（评分规则“{ctx.profile.name}”），表中为“{grade_text}”",
        )


def band_finding(
    ctx: Context, row: Any, sc: Any, s: Decimal, w: Decimal, actual_label: str
) -> Finding | None:
    """QUAL_SCORE_OUT_OF_BAND when a typed score lies outside the qualitative
    band the rules give (the band of 达成 is closed, the others half-open)."""
    lo, hi = sc.band
    level = getattr(sc, "level", "") or ""
    closed = level in ("达成", "") or hi == round2(w)
    if (lo <= s <= hi) if closed else (lo <= s < hi):
        return None
    interval = f"[{fmt(lo)}, {fmt(hi)}{']' if closed else ')'}"
    return ctx.finding(
        C.QUAL_SCORE_OUT_OF_BAND.code,
        ctx.loc(row.ind, "score"),
        f"{row.label}按{actual_label}判断为“{level or '达成'}”，得分应在 {interval} 之间，表中为 {fmt(s)}",
    )


def located_fields(form: Any) -> Iterator[tuple[Any, str]]:
    """(object, field) for every field of *form* that the layout gives a cell:
    header fields, fund rows and indicator rows alike."""
    for obj, names in located_objects(form):
        for name in names:
            yield obj, name


def located_objects(form: Any) -> Iterator[tuple[Any, tuple[str, ...]]]:
    """:func:`located_fields` grouped by object: (object, its fields)."""
    for names, objects in located_groups(form):
        for obj in objects:
            yield obj, names


def located_groups(form: Any) -> Iterator[tuple[tuple[str, ...], Any]]:
    """:func:`located_objects` grouped by kind: (fields, the objects that have
    them): the header, the fund rows, the indicator rows (by the fields the
    reader located)."""
    yield tuple(n for n in form.locs if hasattr(form, n) and n != "profile"), (form,)
    for fund in getattr(form, "funds", {}).values():  # the 评分表 has none
        yield tuple(fund.locs), (fund,)
    groups: dict[tuple[str, ...], list[Any]] = {}
    for ind in form.indicators:
        groups.setdefault(tuple(n for n in ind.locs if hasattr(ind, n)), []).append(ind)
    yield from groups.items()


def _getter(names: tuple[str, ...]) -> Callable[[Any], tuple]:
    """The values of fields *names* of an object, as a tuple, in one call."""
    if len(names) > 1:
        return attrgetter(*names)
    return lambda obj: tuple(getattr(obj, name) for name in names)


def amount_findings(
    ctx: Context, obj: Any, values: dict[str, Any], prefix: str = ""
) -> Iterator[Finding]:
    """AMOUNT_NEGATIVE for each negative amount of *obj* (a fund row or a table
    header) and EXEC_OVER_BUDGET when its 全年执行数 exceeds its 全年预算数."""
    for name in AMOUNT_FIELDS:
        v = values.get(name)
        if isinstance(v, Decimal) and v < 0:
            yield ctx.finding(
                C.AMOUNT_NEGATIVE.code,
                ctx.loc(obj, name),
                f"{prefix}{AMOUNT_LABELS[name]}为负数 {fmt(v)}，金额应不小于 0",
            )
    e, b = values.get("executed"), values.get("annual_budget")
    if isinstance(e, Decimal) and isinstance(b, Decimal) and e > b:
        yield ctx.finding(
            C.EXEC_OVER_BUDGET.code,
            ctx.loc(obj, "executed"),
            f"{prefix}全年执行数 {fmt(e)} 大于全年预算数 {fmt(b)}（超支 {fmt(e - b)}）",
        )


def score_range_finding(
    ctx: Context, ind: Any, s: Any, w: Any, label: str, weight_word: str, advice: str = ""
) -> Finding | None:
    """SCORE_NEGATIVE / SCORE_OVER_WEIGHT for one row's score *s* and weight *w*
    (*weight_word*: 分值 on the 自评表, 权重 on the 评分表), or None."""
    if not isinstance(s, Decimal):
        return None
    if s < 0:
        return ctx.finding(
            C.SCORE_NEGATIVE.code, ctx.loc(ind, "score"), f"{label}的得分为负数 {fmt(s)}"
        )
    if isinstance(w, Decimal) and w >= 0 and s > w:
        return ctx.finding(
            C.SCORE_OVER_WEIGHT.code,
            ctx.loc(ind, "score"),
            f"{label}的得分 {fmt(s)} 高于{weight_word} {fmt(w)}{advice}",
        )
    return None


_NO_KIND: frozenset[str] = frozenset()

# The texts of an indicator row the checks of each form read.
ROW_TEXTS = {
    SELF_EVAL: ("level1", "level2", "level3", "target", "actual"),
    EVAL_TABLE: (  # level1 is read raw, by evaltable._level1_key
        "level2",
        "level3",
        "description",
        "benchmark",
        "rule",
        "actual",
        "deduction_reason",
    ),
}


class Row:
    """A filled indicator row as the checks see it (see :func:`rows`).

    Every check used to ask the model row for the same things again: the text
    of a cell up to five times, its label, its readings.  The view takes each
    text once; ``state`` holds the numbers and scores the checks of a form
    share, filled in by the first check that needs them (so the cells that
    are not numbers are reported in the same order as before)."""

    __slots__ = ("ind", "label", "state", "texts")

    def __init__(self, ind: Any, texts: dict[str, str]):
        self.ind = ind
        self.texts = texts  # cell name -> text_of its value
        self.label = _label(texts["level2"], texts["level3"])
        self.state: dict[str, Any] | None = None

    def reading(self, name: str):
        """targets.read of the text of cell *name* (the same as :func:`reading`)."""
        return read_text(self.texts[name])

    def kinds(self, name: str) -> frozenset[str]:
        """The kind of :meth:`reading` of cell *name*, as names:
        ``"QUANTITATIVE" in row.kinds("target")`` is :func:`kind_is`."""
        kind = getattr(read_text(self.texts[name]), "kind", None)
        return _NO_KIND if kind is None else kind_names(kind)

    def weight_and_score(
        self, ctx: Context, weight_word: str, result: Any = None
    ) -> tuple[Any, Any]:
        """The numbers in the row's weight and score cells (Decimal, None or
        UNKNOWN); a cell that is not a number is reported, named with
        *weight_word* (分值 on the 自评表, 权重 on the 评分表).

        *result*: the row's :class:`~perfkit.assess.RowResult`, which read
        the same two cells with :func:`read_number`: its numbers and problems
        are taken instead of reading the cells again."""
        out = []
        for name, word in (("weight", weight_word), ("score", "得分")):
            if result is None:
                value, problem = read_number(getattr(self.ind, name))
            else:
                value = result.weight if name == "weight" else result.submitted
                problem = result.problems.get(name)
            if problem is not None:
                ctx.not_a_number(self.ind, name, problem, f"{self.label}的{word}")
            out.append(value)
        return out[0], out[1]


def rows(ctx: Context) -> list[Row]:
    """The indicator rows that hold anything, as :class:`Row` views (built
    once per form)."""
    views = ctx.cache.get("rows")
    if views is None:
        views = _build_rows(ctx)[0]
    return views


def row_grid(ctx: Context) -> list[Row | None]:
    """Every indicator row of the form in order: its :class:`Row` view, or
    None for a blank row."""
    grid = ctx.cache.get("grid")
    if grid is None:
        grid = _build_rows(ctx)[1]
    return grid


def _build_rows(ctx: Context) -> tuple[list[Row], list[Row | None]]:
    columns = ROW_TEXTS.get(ctx.form.form, ("level1", "level2", "level3", "actual"))
    # The form's assessment read the texts of every filled row (and of no blank
    # one), with text_of: the views take them from it rather than read them again.
    assessed = ctx.assessment
    views: list[Row] = []
    grid: list[Row | None] = []
    seen: dict[int, Row] = {}  # a row object listed twice is one row (as before)
    for ind in ctx.form.indicators:
        result = assessed.row_of(ind)
        if result is None:  # a blank row
            grid.append(None)
            continue
        view = seen.get(id(ind))
        if view is None:
            texts = {name: result.texts[name] for name in columns}
            view = seen[id(ind)] = Row(ind, texts)
        views.append(view)
        grid.append(view)
    ctx.cache["rows"] = views
    ctx.cache["grid"] = grid
    return views, grid


def field_label(obj: Any, name: str) -> str:
    """“年度资金总额 全年预算数”, “产出指标/数量指标/… 得分” for messages."""
    if hasattr(obj, "indicators"):
        prefix = ""
    elif hasattr(obj, "key") and hasattr(obj, "executed"):
        prefix = f"{FUND_LABELS.get(obj.key, obj.key)} "
    else:
        prefix = row_label(obj) + " "
    return prefix + name_label(name)


@check(SELF_EVAL, EVAL_TABLE, codes=[C.FORMULA_ERROR, C.FORMULA_NOT_COMPUTED])
def formula_errors(ctx: Context) -> Iterator[Finding]:
    """Every cell whose formula result is an error value; the #NAME? of
    perfkit's functions once per form, with the count (a file recalculated
    without the add-in shows it in every computed cell: one cause); and, once
    per form, the formulas that hold no result at all (a file written by a
    program and never opened in a spreadsheet program): their cells are not
    checked, and the user is told so rather than shown a clean form."""
    names_at: list[Loc] = []
    lost: list[Loc] = []  # =#N/A: the formula itself lost on the way to .xls
    uncomputed: list[Loc] = []
    for names, objects in located_groups(ctx.form):
        values_of = _getter(names)
        for obj in objects:
            try:
                values = values_of(obj)
            except AttributeError:  # a field the object lacks reads as blank
                values = tuple(getattr(obj, name, None) for name in names)
            if not _may_hold_error(values):
                continue
            for name, raw in zip(names, values, strict=True):
                if type(raw) is Formula and raw.cached is None:
                    uncomputed.append(ctx.loc(obj, name))
                    continue
                err = excel_error(raw)
                if not err:
                    continue
                if type(raw) is Formula and raw.text == "=" + err:
                    lost.append(ctx.loc(obj, name))
                    continue
                if err == "#NAME?":
                    names_at.append(ctx.loc(obj, name))
                    continue
                yield ctx.finding(
                    C.FORMULA_ERROR.code,
                    ctx.loc(obj, name),
                    f"{field_label(obj, name)}的结果是错误值 {err}；请检查公式引用的单元格",
                )
    once = (
        (
            C.FORMULA_ERROR.code,
            names_at,
            "的结果是 #NAME?（{cells}）：perfkit 函数未能计算，"
            "表格是在未加载 perfkit 加载项的 Excel 或 WPS、LibreOffice 中重新计算后保存的；"
            "请在装有 perfkit 加载项的 Excel 中打开，按 Ctrl+Alt+F9 重新计算后保存",
        ),
        (
            C.FORMULA_ERROR.code,
            lost,
            "的公式只剩一个错误值（{cells}，如 =#N/A）：另存为 .xls 时原公式没能写入"
            "（LibreOffice 等无法把 perfkit 函数写进 .xls），在 Excel 中打开会显示错误值，"
            "表中保存的结果不再可信，这些单元格没有参与校验；请保存为 .xlsx（原文件或 perfkit adopt 生成的副本）",
        ),
        (
            C.FORMULA_NOT_COMPUTED.code,
            uncomputed,
            "是公式但没有保存计算结果（{cells}）：文件由程序生成、"
            "未在 Excel 或 WPS 中打开保存过，这些单元格没有参与校验；"
            "请在 Excel 或 WPS 中打开表格、重新计算后保存，再校验",
        ),
    )
    for code_, locs, what in once:  # one cause each: one finding per form, at the first cell
        if locs:
            locs.sort(key=lambda loc: _cell_key(loc.cell))
            message = f"{len(locs)} 个单元格" + what.format(cells=_first_cells(locs))
            yield ctx.finding(code_, locs[0], message)


def _first_cells(locs: list[Loc], shown: int = 5) -> str:
    """ "H14、H15、H16" — the first *shown* cells, and 等 when there are more."""
    return "、".join(loc.cell for loc in locs[:shown]) + ("等" if len(locs) > shown else "")


def _may_hold_error(values: tuple) -> bool:
    """Whether any of *values* may be an error value, or a formula with no
    result: most cells are blank, a number, text without "#" (every error
    value has one) or a formula whose result is a number, and an object whose
    cells are all such is passed by."""
    for raw in values:
        if raw is None:
            continue
        kind = type(raw)
        if kind is float or kind is int or (kind is str and "#" not in raw):
            continue
        if kind is Formula and raw.cached is not None and not isinstance(raw.cached, str):
            continue
        return True
    return False


NAME_LABELS = {
    "project_code": "项目编码",
    "project_name": "项目名称",
    "year": "年度",
    "unit": "单位",
    "dept": "一级预算单位",
    "exec_weight": "执行率分值",
    "exec_rate": "执行率",
    "exec_score": "执行率得分",
    "goal_expected": "预期目标",
    "goal_actual": "实际完成情况",
    "total_weight": "总分行分值",
    "total": "总分",
    "grade": "绩效等级",
    "initial_budget": "年初预算数",
    "annual_budget": "全年预算数",
    "executed": "全年执行数",
    "level3": "三级指标",
    "target": "年度指标值",
    "actual": "实际完成值",
    "weight": "分值",
    "score": "得分",
    "deviation_reason": "偏差原因",
    "description": "指标说明",
    "benchmark": "标杆值",
    "rule": "评分标准",
    "deduction_reason": "扣分原因",
}


def name_label(name: str) -> str:
    return NAME_LABELS.get(name, name)


def row_label(ind: Any) -> str:
    """“产出指标/数量指标/推动…” for messages."""
    return _label(text_of(ind.level2), text_of(ind.level3))


def _label(level2: str, level3: str) -> str:
    """:func:`row_label` from the texts of the row's 二级 and 三级指标."""
    name = level3
    if len(name) > 24:
        name = name[:24] + "…"
    parts = [p for p in (level2, name) if p]
    return "“" + "／".join(parts) + "”" if parts else "该行"


_WEIGHT_LABEL = re.compile(r"[（(]\s*(\d+(?:\.\d+)?)\s*分\s*[)）]")


def label_weight(label: Any) -> Decimal | None:
    """The weight written in a label: 产出指标 (50分) -> 50."""
    m = _WEIGHT_LABEL.search(text_of(label))
    return Decimal(m.group(1)) if m else None


def strip_label(label: Any) -> str:
    return _WEIGHT_LABEL.sub("", text_of(label)).strip()


def reason_at(ctx: Context, ind: Any, field: str, name: str, instead: str) -> tuple[Loc, str]:
    """Where a missing explanation goes and what to ask for: the row's *field*
    cell (the reason column) and *name*; in a form without that column, the
    row's *instead* cell (its score, its actual value) and a word on where to
    write it."""
    if field in ind.locs:
        return ctx.loc(ind, field), name
    return ctx.loc(ind, instead), f"{name}（表中没有{name}列，可在备注中说明）"


def effective(value: Any, engine: Decimal | None) -> Any:
    """The value counted in a sum: the cell when known; the engine's value for a
    formula never computed; UNKNOWN when neither is known."""
    if isinstance(value, Decimal):
        return value
    if value is None:
        return Decimal(0)
    if value is UNKNOWN and engine is not None:
        return engine
    return UNKNOWN


@check(SELF_EVAL, EVAL_TABLE, codes=[C.SUBTOTAL_MISMATCH])
def subtotals(ctx: Context) -> Iterator[Finding]:
    """A 小计 row inside the grid = the sum of the rows it closes (分值 and 得分
    as typed: the form's own arithmetic, like its 总分)."""
    if not ctx.form.subtotals:
        return
    by_row = {r.ind.row: r for r in rows(ctx)}
    for sub in ctx.form.subtotals:
        covered = [by_row[n] for n in sub.rows if n in by_row]
        for key, what in (("weight", "分值"), ("score", "得分")):
            if key not in sub.locs:
                continue
            shown = ctx.number(sub, key, f"{sub.label}{what}")
            parts = [ctx.number(r.ind, key) for r in covered]
            if not all(isinstance(p, Decimal) or p is None for p in parts):
                continue
            numbers = [p for p in parts if p is not None]
            expected = round2(sum(numbers, Decimal(0)))
            yield from compare(
                ctx,
                C.SUBTOTAL_MISMATCH.code,
                sub.locs[key],
                shown,
                expected,
                f"{sub.label}行的{what}",
                lambda numbers=numbers, what=what: (
                    f"其上 {len(numbers)} 行{what}之和：" + " + ".join(fmt(n) for n in numbers)
                ),
            )


@check(
    SELF_EVAL,
    EVAL_TABLE,
    codes=[
        C.PART_MISSING,
        C.CELLS_IGNORED,
        C.SHEET_HIDDEN,
        C.ROWS_HIDDEN,
        C.AMOUNT_UNIT_TYPED,
        C.LAYOUT_NAME_MOVED,
    ],
)
def form_reading(ctx: Context) -> Iterator[Finding]:
    """What the reader found missing or had to leave out."""
    form = ctx.form
    where = form.locs.get("title") or form.locs.get("header") or Loc(ctx.sheet, "")
    for _part, message in getattr(form, "missing", ()):
        yield ctx.finding(C.PART_MISSING.code, where, message)
    for code_, cell, message in getattr(form, "issues", ()):
        yield ctx.finding(code_, Loc(ctx.sheet, cell), message)
