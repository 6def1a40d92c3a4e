"""Where every value of a form sits: one :class:`Layout` type for perfkit's own
templates and for forms recognised in any workbook.

A layout says, for one form on one sheet, the cell of each head field and
computed cell (总分, 绩效等级 …), the rows and columns of the 资金 block, the
indicator header row, the column of each indicator field, every indicator row
and the first- and second-level groups they belong to.  Readers build one
(:mod:`perfkit.readers`), writers draw from one (:mod:`perfkit.writers`), and
every formula and every address perfkit writes is computed from one: no cell
address is spelt out anywhere else.

Rows and columns are 1-based, as a user sees them (row 14, column 8 = H14).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache

from .errors import UsageError
from .model import EVAL_TABLE, FUND_ROWS, SELF_EVAL, Loc

LAYOUT_VERSION = 2
TEMPLATE = "template"  # origin: built by perfkit
RECOGNISED = "recognised"  # origin: found in a workbook by its labels

TEMPLATE_FILES = {
    SELF_EVAL: "项目支出绩效自评表.xlsx",
    EVAL_TABLE: "绩效评价指标体系评分表.xlsx",
}
DEFAULT_DIR = "xlsx_templates"  # where the built templates are committed
TITLES = {SELF_EVAL: "项目支出绩效自评表", EVAL_TABLE: "绩效评价指标体系评分表"}
SHEETS = {SELF_EVAL: "自评表", EVAL_TABLE: "评分表"}
SETTINGS_SHEET = "设置"
KIND_ALIASES = {
    SELF_EVAL: SELF_EVAL,
    "自评表": SELF_EVAL,
    "项目支出绩效自评表": SELF_EVAL,
    EVAL_TABLE: EVAL_TABLE,
    "评分表": EVAL_TABLE,
    "绩效评价指标体系评分表": EVAL_TABLE,
}


def version_of(kind: str) -> str:
    """The template version written in 设置!B2 and in JSON ("perfkit-selfeval-2")."""
    return f"perfkit-{kind}-{LAYOUT_VERSION}"


def resolve_kind(name: str) -> str:
    """'selfeval' / 'evaltable' / Chinese form name -> form kind."""
    kind = KIND_ALIASES.get(str(name).strip())
    if kind is None:
        raise UsageError(
            f"未知的模板 {name!r}；可用：selfeval（项目支出绩效自评表）、evaltable（绩效评价指标体系评分表）"
        )
    return kind


# --------------------------------------------------------------------------
# addresses
# --------------------------------------------------------------------------


AMOUNT_UNITS = ("元", "万元")


def amount_unit_of(form) -> str:
    """The unit of a form's amounts: its own, else its kind's template's —
    元 (the 深圳 自评表), 万元 (the 评分表)."""
    return form.amount_unit or default_unit(form.form)


def default_unit(kind: str) -> str:
    return "元" if kind == SELF_EVAL else "万元"


@lru_cache(maxsize=256)
def column_letter(col: int) -> str:
    """8 -> 'H' (1-based)."""
    letters = ""
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def a1(row: int, col: int) -> str:
    """(14, 8) -> 'H14'."""
    return f"{column_letter(col)}{row}"


def a1_range(row: int, col: int, last_row: int, last_col: int) -> str:
    return f"{a1(row, col)}:{a1(last_row, last_col)}"


def absolute(sheet: str, row: int, col: int, last_row: int | None = None, last_col=None) -> str:
    """'自评表!$H$44' (or a range) for defined names."""
    ref = f"${column_letter(col)}${row}"
    if last_row is not None:
        ref += f":${column_letter(last_col or col)}${last_row}"
    return f"{quote_sheet(sheet)}!{ref}"


def quote_sheet(sheet: str) -> str:
    """A sheet name as a formula must write it."""
    plain = sheet.replace("_", "").isalnum() and not sheet[:1].isdigit()
    return sheet if plain else "'" + sheet.replace("'", "''") + "'"


# --------------------------------------------------------------------------
# the layout
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Group:
    """Consecutive indicator rows sharing a first- and second-level label."""

    level1: str
    level2: str
    first_row: int
    last_row: int

    @property
    def rows(self) -> int:
        return self.last_row - self.first_row + 1

    def row_numbers(self) -> range:
        return range(self.first_row, self.last_row + 1)


Cell = tuple[int, int]  # (row, column), 1-based
Span = tuple[int, int, int, int]  # first row, first column, last row, last column


@dataclass(frozen=True)
class Piece:
    """One drawn part of a template outside the indicator rows: a label, an
    input cell, a computed cell or fixed text, over a (merged) span.

    ``name`` is the model field of an input or computed cell, or the label's
    id (its note is keyed by it); ``style`` is a style name of
    :mod:`perfkit.writers.template` (title, head, input, amount, score …)."""

    kind: str  # "label" | "input" | "computed" | "text"
    span: Span
    text: str = ""
    name: str = ""
    style: str = ""


@dataclass(frozen=True)
class Layout:
    """One form on one sheet: where each of its values is.

    ``fields``: model field -> cell (head fields, 执行率/得分 of the 资金 block,
    年度总体目标, 总分, 绩效等级, the title); ``fund_rows`` / ``fund_columns``:
    the 资金 block (fund key -> row, amount -> column); ``columns``: indicator
    field -> column (level1, level2, level3, target, actual, weight, score …,
    and for split-operator layouts ``op`` and ``unit``); ``rows``: every row of
    the indicator grid, filled or blank; ``groups``: the first/second-level
    groups over those rows.  ``settings``: cells of perfkit's settings sheet
    (profile, template version) when the workbook has one.
    """

    kind: str
    sheet: str
    origin: str = RECOGNISED
    fields: dict[str, Cell] = field(default_factory=dict)
    fund_rows: dict[str, int] = field(default_factory=dict)
    fund_columns: dict[str, int] = field(default_factory=dict)
    # amount -> cell of the total row when the 资金 block is written as label–value
    # pairs down the sheet (年初预算数 | 175, or 年初预算数：175), not rows × columns
    fund_cells: dict[str, Cell] = field(default_factory=dict)
    header_row: int | None = None
    columns: dict[str, int] = field(default_factory=dict)
    rows: tuple[int, ...] = ()
    groups: tuple[Group, ...] = ()
    total_row: int | None = None
    amount_unit: str | None = None
    settings_sheet: str | None = None
    settings: dict[str, Cell] = field(default_factory=dict)
    summary_rows: dict[str, int] = field(default_factory=dict)  # 评分表 template: block -> 小计 row
    extent: tuple[int, int, int, int] | None = None  # first row, first col, last row, last col
    pieces: tuple[Piece, ...] = ()  # a template's drawn parts outside the indicator rows
    widths: tuple[float, ...] = ()  # a template's column widths, from column A

    # -- addresses -----------------------------------------------------------
    def cell(self, name: str) -> str | None:
        """A1 address of field *name* (None when the layout has no such cell)."""
        where = self.fields.get(name)
        return None if where is None else a1(*where)

    def loc(self, name: str) -> Loc | None:
        where = self.fields.get(name)
        return None if where is None else Loc(self.sheet, a1(*where))

    def has(self, key: str) -> bool:
        """Whether the indicator grid has a column for *key*."""
        return key in self.columns

    def at(self, key: str, row: int) -> str:
        """A1 address of indicator field *key* on *row*."""
        return a1(row, self.columns[key])

    def letter(self, key: str) -> str:
        return column_letter(self.columns[key])

    def fund_cell(self, fund: str, amount: str) -> str | None:
        if fund == "total" and amount in self.fund_cells:
            return a1(*self.fund_cells[amount])
        row, col = self.fund_rows.get(fund), self.fund_columns.get(amount)
        return None if row is None or col is None else a1(row, col)

    @property
    def first_row(self) -> int | None:
        return self.rows[0] if self.rows else None

    @property
    def last_row(self) -> int | None:
        return self.rows[-1] if self.rows else None

    def group_of(self, row: int) -> Group | None:
        for g in self.groups:
            if g.first_row <= row <= g.last_row:
                return g
        return None

    def level1_blocks(self) -> dict[str, tuple[int, int]]:
        """First-level label -> (first row, last row) of its rows."""
        blocks: dict[str, tuple[int, int]] = {}
        for g in self.groups:
            lo, hi = blocks.get(g.level1, (g.first_row, g.last_row))
            blocks[g.level1] = (min(lo, g.first_row), max(hi, g.last_row))
        return blocks

    def with_rows(self, rows: Iterable[int], groups: Sequence[Group]) -> Layout:
        return replace(self, rows=tuple(rows), groups=tuple(groups))


# --------------------------------------------------------------------------
# perfkit's templates
# --------------------------------------------------------------------------

# 项目支出绩效自评表: the groups of the official form (MOF 2020 附件1 / seed 000).
SELFEVAL_GROUPS: tuple[tuple[str, str], ...] = (
    ("产出指标", "数量指标"),
    ("产出指标", "质量指标"),
    ("产出指标", "时效指标"),
    ("产出指标", "成本指标"),
    ("效益指标", "经济效益指标"),
    ("效益指标", "社会效益指标"),
    ("效益指标", "生态效益指标"),
    ("效益指标", "可持续影响指标"),
    ("满意度指标", "服务对象满意度指标"),
    ("满意度指标", "其他满意度指标"),
)
# 绩效评价指标体系评分表: four first-level blocks (财预〔2020〕10号 附件2; seed 004 表2-1).
EVALTABLE_BLOCKS: tuple[str, ...] = ("决策", "过程", "产出", "效益")


def official_level1(level2: str) -> str | None:
    """The first level of an official 二级指标 (数量指标 / 数量 -> 产出指标), or None."""
    text = str(level2 or "").strip()
    for l1, l2 in SELFEVAL_GROUPS:
        if text and text in (l2, l2.removesuffix("指标")):
            return l1
    return None


TEMPLATE_ROWS = 3  # rows per 二级指标 of a blank 自评表 template
TEMPLATE_BLOCK_ROWS = 10  # rows per block of a blank 评分表 template

SELFEVAL_COLUMNS = {
    "level1": 2,  # B, merged per first-level block: ="产出指标（"&SUM(…)&"分）"
    "level2": 3,  # C, merged per group
    "level3": 4,
    "target": 5,
    "actual": 6,
    "weight": 7,
    "score": 8,
    "deviation_reason": 9,
}
SELFEVAL_FUND_COLUMNS = {"initial_budget": 3, "annual_budget": 4, "executed": 5}
EVALTABLE_COLUMNS = {
    "level1": 1,
    "level2": 2,
    "level3": 3,
    "description": 4,
    "benchmark": 5,
    "rule": 6,
    "weight": 7,
    "actual": 8,
    "score": 9,
    "deduction_reason": 10,
}
SETTINGS = {"profile": (1, 2), "form_id": (2, 2)}  # 设置!B1, 设置!B2


def _groups(sizes: Sequence[tuple[str, str, int]], first: int) -> tuple[Group, ...]:
    groups = []
    row = first
    for level1, level2, n in sizes:
        n = max(1, int(n))
        groups.append(Group(level1, level2, row, row + n - 1))
        row += n
    return tuple(groups)


def selfeval_template(
    sizes: Sequence[tuple[str, str, int]] | None = None, amount_unit: str = "元"
) -> Layout:
    """The 自评表 template with *sizes* = (一级, 二级, rows) per group, in order
    (default: the ten groups of the official form, 3 rows each); amounts in
    *amount_unit* (元 as in 深圳, 万元 as in the national form)."""
    if sizes is None:
        sizes = [(l1, l2, TEMPLATE_ROWS) for l1, l2 in SELFEVAL_GROUPS]
    header = 13
    groups = _groups(sizes, header + 1)
    first, last = groups[0].first_row, groups[-1].last_row
    total = last + 1
    pieces = _selfeval_pieces(header, first, last, total, amount_unit)
    fields = {
        "title": (1, 1),
        "project_code": (2, 2),
        "project_name": (2, 5),
        "year": (2, 8),
        "unit": (3, 2),
        "dept": (3, 6),
        "exec_weight": (6, 6),
        "exec_rate": (6, 7),
        "exec_score": (6, 8),
        "goal_expected": (12, 2),
        "goal_actual": (12, 6),
        "total_weight": (total, 7),
        "total": (total, 8),
        "grade": (total + 1, 8),
    }
    return Layout(
        kind=SELF_EVAL,
        sheet=SHEETS[SELF_EVAL],
        origin=TEMPLATE,
        fields=fields,
        fund_rows=dict(zip(FUND_ROWS, (6, 7, 8, 9), strict=True)),
        fund_columns=dict(SELFEVAL_FUND_COLUMNS),
        header_row=header,
        columns=dict(SELFEVAL_COLUMNS),
        rows=tuple(range(first, last + 1)),
        groups=groups,
        total_row=total,
        amount_unit=amount_unit,
        settings_sheet=SETTINGS_SHEET,
        settings=dict(SETTINGS),
        extent=(1, 1, total + 2, 9),
        pieces=pieces,
        widths=(7, 18, 14, 20, 24, 22, 11, 9, 22),
    )


def _selfeval_pieces(
    header: int, first: int, last: int, total: int, unit: str
) -> tuple[Piece, ...]:
    """The 自评表 outside its indicator rows, as seed 000 draws it."""
    L, IN, C, T = "label", "input", "computed", "text"
    grade = total + 1
    pieces = [
        Piece(L, (1, 1, 1, 9), TITLES[SELF_EVAL], "title", "title"),
        Piece(L, (2, 1, 2, 1), "项目编码"),
        Piece(IN, (2, 2, 2, 3), name="project_code", style="code"),
        Piece(L, (2, 4, 2, 4), "项目名称"),
        Piece(IN, (2, 5, 2, 6), name="project_name", style="left"),
        Piece(L, (2, 7, 2, 7), "绩效自评年度"),
        Piece(IN, (2, 8, 2, 9), name="year"),
        Piece(L, (3, 1, 3, 1), "实施单位"),
        Piece(IN, (3, 2, 3, 4), name="unit", style="left"),
        Piece(L, (3, 5, 3, 5), "一级预算单位"),
        Piece(IN, (3, 6, 3, 9), name="dept", style="left"),
        Piece(L, (4, 1, 4, 9), "资金使用情况", "funds"),
        Piece(L, (5, 1, 5, 2), f"项目资金（{unit}）", "fund_unit"),
        Piece(L, (5, 3, 5, 3), "年初预算数", "initial_budget"),
        Piece(L, (5, 4, 5, 4), "全年预算数", "annual_budget"),
        Piece(L, (5, 5, 5, 5), "全年执行数", "executed"),
        Piece(L, (5, 6, 5, 6), "分值", "exec_weight"),
        Piece(L, (5, 7, 5, 7), "执行率（%）", "exec_rate"),
        Piece(L, (5, 8, 5, 9), "得分", "exec_score"),
        Piece(L, (6, 1, 9, 1), "项目资金"),
        Piece(L, (6, 2, 6, 2), "年度资金总额", style="bold"),
        Piece(L, (7, 2, 7, 2), "其中：当年财政拨款", style="left_plain"),
        Piece(L, (8, 2, 8, 2), "上年结转资金", style="left_plain"),
        Piece(L, (9, 2, 9, 2), "其他资金", style="left_plain"),
        Piece(IN, (6, 6, 6, 6), "10", "exec_weight", "weight"),
        Piece(C, (6, 7, 6, 7), name="exec_rate", style="rate"),
        Piece(C, (6, 8, 6, 9), name="exec_score", style="score"),
    ]
    for row in (7, 8, 9):
        pieces += [
            Piece(T, (row, 6, row, 6), "—"),
            Piece(T, (row, 7, row, 7), "—"),
            Piece(T, (row, 8, row, 9), "—"),
        ]
    pieces += [
        Piece(L, (10, 1, 10, 9), "项目目标完成情况"),
        Piece(L, (11, 1, 12, 1), "年度总体目标"),
        Piece(L, (11, 2, 11, 5), "预期目标"),
        Piece(L, (11, 6, 11, 9), "* 实际完成情况", "goal_actual"),
        Piece(IN, (12, 2, 12, 5), name="goal_expected", style="top_left"),
        Piece(IN, (12, 6, 12, 9), name="goal_actual", style="top_left"),
        Piece(L, (header, 1, last, 1), "年度绩效指标", style="grid_label"),
        Piece(L, (header, 2, header, 2), "一级指标"),
        Piece(L, (header, 3, header, 3), "二级指标"),
        Piece(L, (header, 4, header, 4), "三级指标", "level3"),
        Piece(L, (header, 5, header, 5), "年度指标值", "target"),
        Piece(L, (header, 6, header, 6), "* 实际完成值", "actual"),
        Piece(L, (header, 7, header, 7), "* 分值", "weight"),
        Piece(L, (header, 8, header, 8), "* 得分", "score"),
        Piece(L, (header, 9, header, 9), "偏差原因分析及改进措施", "deviation_reason"),
        Piece(L, (total, 1, total, 6), "总分"),
        Piece(C, (total, 7, total, 7), name="total_weight", style="bold_score"),
        Piece(C, (total, 8, total, 8), name="total", style="bold_total"),
        Piece(T, (total, 9, total, 9), "—"),
        Piece(L, (grade, 1, grade, 7), "绩效等级"),
        Piece(C, (grade, 8, grade, 9), name="grade", style="bold"),
        Piece(T, (grade + 1, 1, grade + 1, 9), "", "legend", "legend"),
    ]
    return tuple(pieces)


def evaltable_template(
    sizes: Sequence[tuple[str, int]] | None = None, amount_unit: str = "万元"
) -> Layout:
    """The 评分表 template with *sizes* = (block, rows) per first-level block
    (default: 决策, 过程, 产出, 效益 with 10 rows each); amounts in *amount_unit*."""
    if sizes is None:
        sizes = [(block, TEMPLATE_BLOCK_ROWS) for block in EVALTABLE_BLOCKS]
    header = 4
    groups = _groups([(block, "", n) for block, n in sizes], header + 1)
    first, last = groups[0].first_row, groups[-1].last_row
    total = last + 1
    summary_header = total + 3
    pieces = _evaltable_pieces(header, total, summary_header, len(groups), amount_unit)
    fields = {
        "title": (1, 1),
        "project_name": (2, 2),
        "unit": (2, 7),
        "year": (3, 2),
        "initial_budget": (3, 4),
        "annual_budget": (3, 6),
        "executed": (3, 8),
        "exec_rate": (3, 10),
        "total_weight": (total, 7),
        "total": (total, 9),
        "grade": (total + 1, 9),
        "summary_header": (summary_header, 1),
    }
    summary = {g.level1: summary_header + 1 + i for i, g in enumerate(groups)}
    return Layout(
        kind=EVAL_TABLE,
        sheet=SHEETS[EVAL_TABLE],
        origin=TEMPLATE,
        fields=fields,
        header_row=header,
        columns=dict(EVALTABLE_COLUMNS),
        rows=tuple(range(first, last + 1)),
        groups=groups,
        total_row=total,
        amount_unit=amount_unit,
        settings_sheet=SETTINGS_SHEET,
        settings=dict(SETTINGS),
        summary_rows=summary,
        extent=(1, 1, summary_header + len(groups) + 2, 10),
        pieces=pieces,
        widths=(10, 11, 16, 26, 12, 44, 12, 11, 9, 16),
    )


def _evaltable_pieces(
    header: int, total: int, summary: int, blocks: int, unit: str
) -> tuple[Piece, ...]:
    """The 评分表 outside its indicator rows (seed 004 表2-1 with 附件1's columns)."""
    L, IN, C, T = "label", "input", "computed", "text"
    grade = total + 1
    pieces = [
        Piece(L, (1, 1, 1, 10), TITLES[EVAL_TABLE], "title", "title"),
        Piece(L, (2, 1, 2, 1), "项目名称"),
        Piece(IN, (2, 2, 2, 5), name="project_name", style="left"),
        Piece(L, (2, 6, 2, 6), "被评价单位"),
        Piece(IN, (2, 7, 2, 10), name="unit", style="left"),
        Piece(L, (3, 1, 3, 1), "评价年度"),
        Piece(IN, (3, 2, 3, 2), name="year"),
        Piece(L, (3, 3, 3, 3), f"年初预算数（{unit}）"),
        Piece(IN, (3, 4, 3, 4), name="initial_budget", style="amount"),
        Piece(L, (3, 5, 3, 5), f"全年预算数（{unit}）"),
        Piece(IN, (3, 6, 3, 6), name="annual_budget", style="amount"),
        Piece(L, (3, 7, 3, 7), f"全年执行数（{unit}）"),
        Piece(IN, (3, 8, 3, 8), name="executed", style="amount"),
        Piece(L, (3, 9, 3, 9), "执行率（%）"),
        Piece(C, (3, 10, 3, 10), name="exec_rate", style="rate"),
    ]
    for col, (text, name) in enumerate(
        (
            ("一级指标", "level1"),
            ("二级指标", "level2"),
            ("三级指标", "level3"),
            ("指标说明", "description"),
            ("标杆值", "benchmark"),
            ("评分标准", "rule"),
            ("权重", "weight"),
            ("实际值", "actual"),
            ("得分", "score"),
            ("扣分原因", "deduction_reason"),
        ),
        1,
    ):
        pieces.append(Piece(L, (header, col, header, col), text, name))
    pieces += [
        Piece(L, (total, 1, total, 6), "合计"),
        Piece(C, (total, 7, total, 7), name="total_weight", style="bold_score"),
        Piece(T, (total, 8, total, 8), ""),
        Piece(C, (total, 9, total, 9), name="total", style="bold_total"),
        Piece(T, (total, 10, total, 10), ""),
        Piece(L, (grade, 1, grade, 8), "绩效等级"),
        Piece(C, (grade, 9, grade, 10), name="grade", style="bold"),
        Piece(L, (summary, 1, summary, 6), "一级指标小计"),
        Piece(L, (summary, 7, summary, 7), "权重"),
        Piece(L, (summary, 8, summary, 8), ""),
        Piece(L, (summary, 9, summary, 9), "得分"),
        Piece(L, (summary, 10, summary, 10), "得分率（%）"),
        Piece(T, (summary + blocks + 2, 1, summary + blocks + 2, 10), "", "legend", "legend"),
    ]
    return tuple(pieces)


def template(kind: str) -> Layout:
    """The blank template of *kind* (what ``perfkit templates build`` writes)."""
    kind = resolve_kind(kind)
    return selfeval_template() if kind == SELF_EVAL else evaltable_template()


FIELD_NAMES = (  # defined name -> the field of a single cell it names
    ("PK_PROJECT_CODE", "project_code"),
    ("PK_PROJECT_NAME", "project_name"),
    ("PK_YEAR", "year"),
    ("PK_UNIT", "unit"),
    ("PK_DEPT", "dept"),
    ("PK_INITIAL_BUDGET", "initial_budget"),
    ("PK_ANNUAL_BUDGET", "annual_budget"),
    ("PK_EXECUTED", "executed"),
    ("PK_EXEC_WEIGHT", "exec_weight"),
    ("PK_EXEC_RATE", "exec_rate"),
    ("PK_EXEC_SCORE", "exec_score"),
    ("PK_GOAL_EXPECTED", "goal_expected"),
    ("PK_GOAL_ACTUAL", "goal_actual"),
    ("PK_TOTAL_WEIGHT", "total_weight"),
    ("PK_TOTAL", "total"),
    ("PK_GRADE", "grade"),
)


def defined_names(layout: Layout) -> dict[str, str]:
    """Workbook-level names of a template (the documented ``PK_*`` contract):
    a fast path and a cross-check for readers, and what the formulas refer to
    (``PK_PROFILE``).  Excel and LibreOffice move them with inserted rows."""
    s = layout.sheet
    names: dict[str, str] = {}
    if layout.settings_sheet:
        for name, key in (("PK_PROFILE", "profile"), ("PK_FORM", "form_id")):
            row, col = layout.settings[key]
            names[name] = absolute(layout.settings_sheet, row, col)
    for name, key in FIELD_NAMES:
        if key in layout.fields:
            names[name] = absolute(s, *layout.fields[key])
    if layout.fund_rows:
        top, bottom = layout.fund_rows["total"], max(layout.fund_rows.values())
        cols = sorted(layout.fund_columns.values())
        names["PK_FUNDS"] = absolute(s, top, cols[0], bottom, cols[-1])
        for name, amount in (
            ("PK_INITIAL_BUDGET", "initial_budget"),
            ("PK_ANNUAL_BUDGET", "annual_budget"),
            ("PK_EXECUTED", "executed"),
        ):
            names[name] = absolute(s, top, layout.fund_columns[amount])
    first, last = layout.first_row, layout.last_row
    cols = sorted(layout.columns.values())
    names["PK_INDICATORS"] = absolute(s, first, cols[0], last, cols[-1])
    names["PK_WEIGHTS"] = absolute(s, first, layout.columns["weight"], last)
    names["PK_SCORES"] = absolute(s, first, layout.columns["score"], last)
    if layout.summary_rows:
        rows = sorted(layout.summary_rows.values())
        names["PK_SUMMARY"] = absolute(s, rows[0], 1, rows[-1], cols[-1])
    return names


__all__ = [
    "DEFAULT_DIR",
    "KIND_ALIASES",
    "LAYOUT_VERSION",
    "RECOGNISED",
    "SELFEVAL_GROUPS",
    "SETTINGS_SHEET",
    "TEMPLATE",
    "TEMPLATE_FILES",
    "TITLES",
    "Group",
    "Layout",
    "Piece",
    "a1",
    "a1_range",
    "column_letter",
    "defined_names",
    "evaltable_template",
    "resolve_kind",
    "selfeval_template",
    "template",
    "version_of",
]
