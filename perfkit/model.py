"""The two forms as data: what a template holds, what ``fill`` writes and
``extract`` reads, and what the validator checks.

Values are kept as the cell gave them (a number, text, ``None`` for blank, or a
:class:`Formula`), never coerced here: deciding that "1,937,189.02" is a number
or that "约2万" is not is the validator's job, and it must be able to say which
cell was wrong.  Every value knows its cell through :class:`Loc`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any

SELF_EVAL = "selfeval"  # 项目支出绩效自评表
EVAL_TABLE = "evaltable"  # 绩效评价指标体系评分表
DECLARATION = "declaration"  # 项目支出绩效目标申报表: read only to check 自评表 targets against

FUND_ROWS = ("total", "fiscal", "carryover", "other")
FUND_LABELS = {
    "total": "年度资金总额",
    "fiscal": "其中：当年财政拨款",
    "carryover": "上年结转资金",
    "other": "其他资金",
}


@dataclass(frozen=True)
class Loc:
    """Where a value lives: sheet name and A1 cell address."""

    sheet: str
    cell: str

    def __str__(self) -> str:
        return f"{self.sheet}!{self.cell}"


@dataclass(frozen=True)
class Formula:
    """A cell holding a formula; ``cached`` is the value last computed by a
    spreadsheet program, ``None`` when the file has none (files written by
    openpyxl, or never opened in Excel)."""

    text: str
    cached: Any = None


def value_of(raw: Any) -> Any:
    """The value a reader sees: the cached result for a formula."""
    return raw.cached if isinstance(raw, Formula) else raw


@dataclass
class FundRow:
    """One row of 资金使用情况 (amounts as written: 元 on the Shenzhen form)."""

    key: str  # one of FUND_ROWS
    initial_budget: Any = None  # 年初预算数
    annual_budget: Any = None  # 全年预算数
    executed: Any = None  # 全年执行数
    locs: dict[str, Loc] = field(default_factory=dict, compare=False, repr=False)


AMOUNT_FIELDS = ("initial_budget", "annual_budget", "executed")
AMOUNT_LABELS = {
    "initial_budget": "年初预算数",
    "annual_budget": "全年预算数",
    "executed": "全年执行数",
}
"""The amounts of a fund row (and of a 评分表's header), in the form's column order."""


@dataclass
class Indicator:
    """One third-level row of the 自评表 indicator grid."""

    level1: str = ""  # 产出指标 / 效益指标 / 满意度指标
    level2: str = ""  # 数量指标 …
    level3: Any = None  # 三级指标
    target: Any = None  # 年度指标值
    actual: Any = None  # 实际完成值
    weight: Any = None  # 分值
    score: Any = None  # 得分 (a Formula when the template formula is kept)
    deviation_reason: Any = None  # 偏差原因分析及改进措施
    # 得分系数 (部门整体 forms: 得分 = 系数 × 分值), as the cell gave it; not a
    # cell of perfkit's template (so not in INDICATOR_FIELDS), read and checked
    coefficient: Any = field(default=None, compare=False)
    row: int | None = field(default=None, compare=False)
    locs: dict[str, Loc] = field(default_factory=dict, compare=False, repr=False)

    def is_blank(self) -> bool:
        return _all_blank(
            (self.level3, self.target, self.actual, self.weight, self.deviation_reason)
        ) and not _is_override(self.score)


def _all_blank(values: tuple) -> bool:
    """Every value (a formula's cached result) is None or ''; called for every
    row of every form, hence spelt out."""
    for v in values:
        if isinstance(v, Formula):
            v = v.cached
        if v is not None and v != "":
            return False
    return True


def _is_override(raw: Any) -> bool:
    return raw not in (None, "") and not isinstance(raw, Formula)


@dataclass
class Subtotal:
    """A 小计 row inside the indicator grid: what it says, and the sheet rows
    (1-based) of the indicators it adds up."""

    label: str
    weight: Any = None
    score: Any = None
    rows: tuple[int, ...] = ()
    locs: dict[str, Loc] = field(default_factory=dict, compare=False, repr=False)


@dataclass
class SelfEvalForm:
    """项目支出绩效自评表 (MOF 2020 附件1 and its provincial variants)."""

    project_code: Any = None  # 项目编码
    project_name: Any = None  # 项目名称
    year: Any = None  # 绩效自评年度
    unit: Any = None  # 实施单位
    dept: Any = None  # 一级预算单位 / 主管部门
    funds: dict[str, FundRow] = field(default_factory=dict)
    exec_weight: Any = None  # 分值 of 年度资金总额 (10)
    exec_rate: Any = None  # 执行率 (%) cell
    exec_score: Any = None  # 执行率 得分 cell
    goal_expected: Any = None  # 年度总体目标 预期目标
    goal_actual: Any = None  # 年度总体目标 实际完成情况
    goal_reason: Any = None  # 年度总体目标 偏差原因分析及改进措施 (platform exports)
    indicators: list[Indicator] = field(default_factory=list)
    total_weight: Any = None  # 总分 row 分值 (100)
    total: Any = None  # 总分 row 得分
    subtotal_weight: Any = None  # a 指标得分合计 row above the 总分 row (20/80 templates)
    subtotal: Any = None
    subtotals: list[Subtotal] = field(default_factory=list, compare=False)  # 小计 rows in the grid
    grade: Any = None  # 绩效等级
    profile: str = "mof2020"
    level1_weights: dict[str, Any] = field(default_factory=dict)  # label -> weight it declares
    level2_weights: dict[tuple[str, str], Any] = field(default_factory=dict)
    part_weight: Any = None  # points the whole indicator grid is worth ("年度绩效指标（80分）")
    amount_unit: str | None = None  # 元 / 万元, as the form says; None when it does not
    locs: dict[str, Loc] = field(default_factory=dict, compare=False, repr=False)
    source: str = field(default="", compare=False)  # file name, for messages
    sheet: str = field(default="", compare=False)
    layout: Any = field(default=None, compare=False, repr=False)  # perfkit.layout.Layout
    missing: list[tuple[str, str]] = field(default_factory=list, compare=False)  # (part, 中文)
    notes: list[str] = field(default_factory=list, compare=False)  # what the reader had to do
    issues: list[tuple[str, str, str]] = field(
        default_factory=list, compare=False
    )  # (code, cell, 中文)
    # a 部门整体支出绩效自评表: names no project, and the project weights
    # (产出 50、效益 30、满意度 10) are not its own
    department: bool = field(default=False, compare=False)

    form = SELF_EVAL


@dataclass
class EvalIndicator:
    """One row of 表2-1 / 附件1 评价指标体系."""

    level1: str = ""  # 项目决策 / 项目管理(过程) / 产出 / 效益
    level2: str = ""
    level3: Any = None
    description: Any = None  # 指标说明
    benchmark: Any = None  # 标杆值
    rule: Any = None  # 评分标准 (text)
    weight: Any = None  # 权重
    actual: Any = None  # 实际值
    score: Any = None  # 得分
    deduction_reason: Any = None  # 扣分原因
    row: int | None = field(default=None, compare=False)
    locs: dict[str, Loc] = field(default_factory=dict, compare=False, repr=False)

    def is_blank(self) -> bool:
        return _all_blank(
            (self.level3, self.benchmark, self.rule, self.weight, self.actual)
        ) and not _is_override(self.score)


def _cells(cls) -> tuple[str, ...]:
    """The cell fields of an indicator row class, in column order (not ``row``/``locs``)."""
    return tuple(f.name for f in fields(cls) if f.compare)


INDICATOR_FIELDS: dict[str, tuple[str, ...]] = {
    SELF_EVAL: _cells(Indicator),
    EVAL_TABLE: _cells(EvalIndicator),
}
"""Form kind -> the cells of one of its indicator rows (level1, level2, level3, …)."""


@dataclass
class EvalTable:
    """绩效评价指标体系评分表 (seed 004 表2-1 with the columns of 附件1)."""

    project_name: Any = None
    unit: Any = None  # 被评价单位
    year: Any = None  # 评价年度
    date: Any = None  # 评价时间, when the table says it
    initial_budget: Any = None  # 年初预算数 (表1-1, 万元)
    annual_budget: Any = None  # 全年预算数
    executed: Any = None  # 全年执行数
    exec_rate: Any = None  # 执行率 cell of the header
    level1_weights: dict[str, Any] = field(default_factory=dict)  # label -> declared weight
    level2_weights: dict[tuple[str, str], Any] = field(default_factory=dict)
    indicators: list[EvalIndicator] = field(default_factory=list)
    total_weight: Any = None  # 合计 row 权重
    total: Any = None
    subtotal_weight: Any = None
    subtotal: Any = None
    subtotals: list[Subtotal] = field(default_factory=list, compare=False)  # 小计 rows in the grid
    grade: Any = None
    profile: str = "mof2020"
    part_weight: Any = None
    amount_unit: str | None = None  # 万元 on the 福田 report and perfkit's template
    locs: dict[str, Loc] = field(default_factory=dict, compare=False, repr=False)
    source: str = field(default="", compare=False)
    sheet: str = field(default="", compare=False)
    layout: Any = field(default=None, compare=False, repr=False)
    missing: list[tuple[str, str]] = field(default_factory=list, compare=False)
    notes: list[str] = field(default_factory=list, compare=False)
    issues: list[tuple[str, str, str]] = field(default_factory=list, compare=False)

    form = EVAL_TABLE


@dataclass
class Declaration:
    """项目支出绩效目标申报表 (绩效目标表, DOMAIN §3.2): the targets a project
    declared for its year.  The platform copies them into the 自评表 as its
    年度指标值, so a batch compares the two (perfkit.validate.between); it is
    no form to validate, summarise or score."""

    project_code: Any = None
    project_name: Any = None
    year: Any = None
    unit: Any = None
    dept: Any = None
    indicators: list[Indicator] = field(default_factory=list)  # level1 … level3 and target
    locs: dict[str, Loc] = field(default_factory=dict, compare=False, repr=False)
    source: str = field(default="", compare=False)
    sheet: str = field(default="", compare=False)
    layout: Any = field(default=None, compare=False, repr=False)

    form = DECLARATION

    @classmethod
    def of(cls, form: SelfEvalForm) -> Declaration:
        """A 申报表 read as the 自评表 grid it resembles (its 指标值 column as
        the target): its head fields and indicator rows."""
        return cls(
            form.project_code,
            form.project_name,
            form.year,
            form.unit,
            form.dept,
            [ind for ind in form.indicators if ind.target not in (None, "")],
            form.locs,
            form.source,
            form.sheet,
            form.layout,
        )


FORM_NAMES = {SELF_EVAL: "自评表", EVAL_TABLE: "评分表", DECLARATION: "绩效目标申报表"}
DEPARTMENT_FORM = "部门整体自评表"
DEPARTMENT_SUBJECT = "部门整体支出"  # what a 部门整体 form evaluates, where a project's name stands
DEPARTMENT_TITLE = "部门整体支出绩效自评表"  # the title fill and adopt give a 部门整体 form


def form_name(form: Any) -> str:
    """自评表, 评分表, or 部门整体自评表 for a department's own 自评表 (summary, review)."""
    if getattr(form, "department", False):
        return DEPARTMENT_FORM
    return FORM_NAMES.get(form.form, form.form)


_NOT_PLAIN = frozenset(
    (
        "locs", "row", "source", "sheet", "layout", "missing", "notes", "issues",
        "level2_weights", "subtotals",
    )
)  # fmt: skip


def plain(obj: Any) -> Any:
    """JSON-ready view of a model object, without locations."""
    if isinstance(obj, Formula):
        return {"formula": obj.text, "cached": obj.cached}
    if hasattr(obj, "__dataclass_fields__"):
        out = {}
        for f in fields(obj):
            if f.name in _NOT_PLAIN:
                continue
            out[f.name] = plain(getattr(obj, f.name))
        return out
    if isinstance(obj, dict):
        return {k: plain(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [plain(v) for v in obj]
    return obj


__all__ = [
    "AMOUNT_FIELDS",
    "AMOUNT_LABELS",
    "DECLARATION",
    "DEPARTMENT_FORM",
    "DEPARTMENT_SUBJECT",
    "DEPARTMENT_TITLE",
    "EVAL_TABLE",
    "FORM_NAMES",
    "FUND_LABELS",
    "FUND_ROWS",
    "SELF_EVAL",
    "Declaration",
    "EvalIndicator",
    "EvalTable",
    "Formula",
    "FundRow",
    "Indicator",
    "Loc",
    "SelfEvalForm",
    "Subtotal",
    "asdict",
    "form_name",
    "plain",
    "value_of",
]
