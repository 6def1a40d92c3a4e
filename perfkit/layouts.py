"""Cell layouts of the two templates: the contract between the template
builder, ``fill``/``extract``, the validator and the Excel macros.

Every field has one cell; every region has a workbook-level defined name
(``PK_*``).  Nothing else in perfkit hard-codes a cell address.
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import UsageError
from .model import EVAL_TABLE, FUND_ROWS, SELF_EVAL

LAYOUT_VERSION = 1

# The two forms: names, template files, and what a user may call them.
TEMPLATE_FILES = {
    SELF_EVAL: "项目支出绩效自评表.xlsx",
    EVAL_TABLE: "绩效评价指标体系评分表.xlsx",
}
DEFAULT_DIR = "xlsx_templates"  # where the built templates are committed
TITLES = {SELF_EVAL: "项目支出绩效自评表", EVAL_TABLE: "绩效评价指标体系评分表"}
KIND_ALIASES = {
    SELF_EVAL: SELF_EVAL,
    "自评表": SELF_EVAL,
    "项目支出绩效自评表": SELF_EVAL,
    EVAL_TABLE: EVAL_TABLE,
    "评分表": EVAL_TABLE,
    "绩效评价指标体系评分表": EVAL_TABLE,
}


def resolve_kind(name: str) -> str:
    """'selfeval' / 'evaltable' / Chinese form name -> form kind."""
    kind = KIND_ALIASES.get(str(name).strip())
    if kind is None:
        raise UsageError(
            f"未知的模板 {name!r}；可用：selfeval（项目支出绩效自评表）、evaltable（绩效评价指标体系评分表）"
        )
    return kind


@dataclass(frozen=True)
class Group:
    """A block of indicator rows sharing a first- and second-level label."""

    level1: str
    level2: str
    first_row: int
    rows: int

    @property
    def last_row(self) -> int:
        return self.first_row + self.rows - 1

    def row_numbers(self) -> range:
        return range(self.first_row, self.first_row + self.rows)


# --------------------------------------------------------------------------
# 项目支出绩效自评表
# --------------------------------------------------------------------------


class SelfEvalLayout:
    form = SELF_EVAL
    sheet = "自评表"
    settings_sheet = "设置"
    version = f"perfkit-{SELF_EVAL}-{LAYOUT_VERSION}"
    columns = "ABCDEFGHI"

    title = "A1"  # merged A1:I1
    # header fields -> value cell
    fields = {
        "project_code": "B2",  # merged B2:C2
        "project_name": "E2",  # merged E2:F2
        "year": "H2",  # merged H2:I2
        "unit": "B3",  # merged B3:D3
        "dept": "F3",  # merged F3:I3
        "exec_weight": "F6",
        "exec_rate": "G6",
        "exec_score": "H6",
        "goal_expected": "B12",  # merged B12:E12
        "goal_actual": "F12",  # merged F12:I12
        "total_weight": "G44",
        "total": "H44",
        "grade": "H45",  # merged H45:I45
        "profile": "B1@设置",
        "form_id": "B2@设置",
    }
    # 资金使用情况: row per fund key; amount columns
    fund_rows = dict(zip(FUND_ROWS, (6, 7, 8, 9), strict=True))
    fund_columns = {"initial_budget": "C", "annual_budget": "D", "executed": "E"}

    header_row = 13
    indicator_columns = {
        "level3": "D",
        "target": "E",
        "actual": "F",
        "weight": "G",
        "score": "H",
        "deviation_reason": "I",
    }
    level1_column = "B"  # merged per first-level block, formula label "产出指标（50分）"
    level2_column = "C"  # merged per group
    rows_per_group = 3
    groups = (
        Group("产出指标", "数量指标", 14, 3),
        Group("产出指标", "质量指标", 17, 3),
        Group("产出指标", "时效指标", 20, 3),
        Group("产出指标", "成本指标", 23, 3),
        Group("效益指标", "经济效益指标", 26, 3),
        Group("效益指标", "社会效益指标", 29, 3),
        Group("效益指标", "生态效益指标", 32, 3),
        Group("效益指标", "可持续影响指标", 35, 3),
        Group("满意度指标", "服务对象满意度指标", 38, 3),
        Group("满意度指标", "其他满意度指标", 41, 3),
    )
    first_indicator_row = 14
    last_indicator_row = 43
    total_row = 44
    grade_row = 45

    # Workbook-level defined names (the documented contract).
    names = {
        "PK_FORM": "设置!$B$2",
        "PK_PROFILE": "设置!$B$1",
        "PK_PROJECT_CODE": "自评表!$B$2",
        "PK_PROJECT_NAME": "自评表!$E$2",
        "PK_YEAR": "自评表!$H$2",
        "PK_UNIT": "自评表!$B$3",
        "PK_DEPT": "自评表!$F$3",
        "PK_FUNDS": "自评表!$C$6:$E$9",
        "PK_INITIAL_BUDGET": "自评表!$C$6",
        "PK_ANNUAL_BUDGET": "自评表!$D$6",
        "PK_EXECUTED": "自评表!$E$6",
        "PK_EXEC_WEIGHT": "自评表!$F$6",
        "PK_EXEC_RATE": "自评表!$G$6",
        "PK_EXEC_SCORE": "自评表!$H$6",
        "PK_GOAL_EXPECTED": "自评表!$B$12",
        "PK_GOAL_ACTUAL": "自评表!$F$12",
        "PK_INDICATORS": "自评表!$B$14:$I$43",
        "PK_WEIGHTS": "自评表!$G$14:$G$43",
        "PK_SCORES": "自评表!$H$14:$H$43",
        "PK_TOTAL_WEIGHT": "自评表!$G$44",
        "PK_TOTAL": "自评表!$H$44",
        "PK_GRADE": "自评表!$H$45",
    }

    @classmethod
    def group_of_row(cls, row: int) -> Group | None:
        for g in cls.groups:
            if g.first_row <= row <= g.last_row:
                return g
        return None

    @classmethod
    def level1_blocks(cls) -> dict[str, tuple[int, int]]:
        """First-level label -> (first row, last row)."""
        blocks: dict[str, tuple[int, int]] = {}
        for g in cls.groups:
            lo, hi = blocks.get(g.level1, (g.first_row, g.last_row))
            blocks[g.level1] = (min(lo, g.first_row), max(hi, g.last_row))
        return blocks


# --------------------------------------------------------------------------
# 绩效评价指标体系评分表
# --------------------------------------------------------------------------


class EvalTableLayout:
    form = EVAL_TABLE
    sheet = "评分表"
    settings_sheet = "设置"
    version = f"perfkit-{EVAL_TABLE}-{LAYOUT_VERSION}"
    columns = "ABCDEFGHIJ"

    title = "A1"  # merged A1:J1
    fields = {
        "project_name": "B2",  # merged B2:E2
        "unit": "G2",  # merged G2:J2
        "year": "B3",
        "initial_budget": "D3",  # 万元
        "annual_budget": "F3",
        "executed": "H3",
        "exec_rate": "J3",  # =EXEC_RATE(H3,F3)
        "total_weight": "G45",
        "total": "I45",
        "grade": "I46",
        "profile": "B1@设置",
        "form_id": "B2@设置",
    }
    header_row = 4
    indicator_columns = {
        "level1": "A",
        "level2": "B",
        "level3": "C",
        "description": "D",
        "benchmark": "E",
        "rule": "F",
        "weight": "G",
        "actual": "H",
        "score": "I",
        "deduction_reason": "J",
    }
    # Four first-level blocks of ten rows each; the first-level name is typed
    # on each row (column A) so a table may rename 过程 to 项目管理.
    blocks = (
        Group("决策", "", 5, 10),
        Group("过程", "", 15, 10),
        Group("产出", "", 25, 10),
        Group("效益", "", 35, 10),
    )
    first_indicator_row = 5
    last_indicator_row = 44
    total_row = 45
    grade_row = 46
    summary_header_row = 48
    summary_rows = (49, 50, 51, 52)  # per block: A name, G weight, I score, J 得分率

    names = {
        "PK_FORM": "设置!$B$2",
        "PK_PROFILE": "设置!$B$1",
        "PK_PROJECT_NAME": "评分表!$B$2",
        "PK_UNIT": "评分表!$G$2",
        "PK_YEAR": "评分表!$B$3",
        "PK_INITIAL_BUDGET": "评分表!$D$3",
        "PK_ANNUAL_BUDGET": "评分表!$F$3",
        "PK_EXECUTED": "评分表!$H$3",
        "PK_EXEC_RATE": "评分表!$J$3",
        "PK_INDICATORS": "评分表!$A$5:$J$44",
        "PK_WEIGHTS": "评分表!$G$5:$G$44",
        "PK_SCORES": "评分表!$I$5:$I$44",
        "PK_TOTAL_WEIGHT": "评分表!$G$45",
        "PK_TOTAL": "评分表!$I$45",
        "PK_GRADE": "评分表!$I$46",
        "PK_SUMMARY": "评分表!$A$49:$J$52",
    }


LAYOUTS = {SELF_EVAL: SelfEvalLayout, EVAL_TABLE: EvalTableLayout}


def split_ref(ref: str, default_sheet: str) -> tuple[str, str]:
    """'B1@设置' -> ('设置', 'B1'); 'H44' -> (default_sheet, 'H44')."""
    if "@" in ref:
        cell, sheet = ref.split("@", 1)
        return sheet, cell
    return default_sheet, ref
