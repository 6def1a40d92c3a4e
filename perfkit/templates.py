"""Building the two .xlsx templates from :mod:`perfkit.layouts`.

The templates mirror the official forms (seed 000: 龙岗 2023 项目支出绩效自评表;
seed 004: 福田 2021 表2-1 with the columns of 附件1) and compute in cells with the
perfkit Excel functions (``EXEC_RATE``, ``PERF_SCORE`` …, see ``udfs/``).

The build is deterministic: the same code gives the same bytes.  openpyxl
stamps the save time into ``docProps/core.xml`` and the zip entries, so
:func:`deterministic_bytes` re-packs the zip with fixed timestamps and a
stable entry order.
"""

from __future__ import annotations

import io
import os
import re
import zipfile
from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from . import profiles
from .fsutil import write_bytes_atomic
from .layouts import (
    DEFAULT_DIR,
    LAYOUTS,
    TEMPLATE_FILES,
    TITLES,
    EvalTableLayout,
    SelfEvalLayout,
    resolve_kind,
    split_ref,
)
from .model import EVAL_TABLE, FUND_LABELS, FUND_ROWS, SELF_EVAL

# Fixed stamps so that a build is byte-for-byte reproducible.
FIXED_ZIP_TIME = (2024, 1, 1, 0, 0, 0)
FIXED_CORE_TIME = "2024-01-01T00:00:00Z"
AUTHOR = "perfkit"

FONT_NAME = "宋体"
GB2312 = 134  # charset: lets Excel pick the CJK face (SimSun) for 宋体
BODY = Font(name=FONT_NAME, size=10, charset=GB2312)
BOLD = Font(name=FONT_NAME, size=10, bold=True, charset=GB2312)
TITLE = Font(name=FONT_NAME, size=16, bold=True, charset=GB2312)
SMALL = Font(name=FONT_NAME, size=9, color="FF595959", charset=GB2312)
RED_STAR = Font(name=FONT_NAME, size=10, bold=True, charset=GB2312)

THIN = Side(style="thin", color="FF000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)

INPUT_FILL = PatternFill("solid", fgColor="FFFFF2CC")  # light yellow: type here
SCORE_FILL = PatternFill("solid", fgColor="FFE2EFDA")  # light green: formula, may be overwritten
HEAD_FILL = PatternFill("solid", fgColor="FFF2F2F2")  # light grey: headers

CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True, indent=0)
RIGHT = Alignment(horizontal="right", vertical="center", wrap_text=False)

UNLOCKED = Protection(locked=False)
LOCKED = Protection(locked=True)

AMOUNT_FORMAT = "#,##0.00"
SCORE_FORMAT = "General"

LEGEND = (
    "说明：黄色单元格为填写项；绿色单元格由公式自动计算，定性指标等可直接输入得分覆盖公式；"
    "其余单元格自动计算并已锁定（工作表保护未设密码）。带 * 为必填项。"
)


# --------------------------------------------------------------------------
# formulas (shared with workbook.fill, which restores them)
# --------------------------------------------------------------------------


def selfeval_formulas() -> dict[str, str]:
    """Cell -> formula of every computed cell of the 自评表 sheet."""
    L = SelfEvalLayout
    out = {
        "G6": "=EXEC_RATE(E6,D6)",
        "H6": "=EXEC_SCORE(E6,D6,F6,PK_PROFILE)",
    }
    for row in range(L.first_indicator_row, L.last_indicator_row + 1):
        out[f"H{row}"] = selfeval_score_formula(row)
    for level1, (lo, hi) in L.level1_blocks().items():
        out[f"{L.level1_column}{lo}"] = f'="{level1}（"&SUM(G{lo}:G{hi})&"分）"'
    first, last = L.first_indicator_row, L.last_indicator_row
    out[L.fields["total_weight"]] = f"=F6+SUM(G{first}:G{last})"
    out[L.fields["total"]] = f"=PERF_TOTAL(H6,H{first}:H{last})"
    out[L.fields["grade"]] = f"=PERF_GRADE({L.fields['total']},PK_PROFILE)"
    return out


def selfeval_score_formula(row: int) -> str:
    return f'=PERF_SCORE(E{row},F{row},G{row},"",D{row},PK_PROFILE)'


def evaltable_score_formula(row: int) -> str:
    return f"=PERF_RULE(F{row},H{row},G{row},E{row})"


def evaltable_formulas() -> dict[str, str]:
    """Cell -> formula of every computed cell of the 评分表 sheet."""
    L = EvalTableLayout
    first, last = L.first_indicator_row, L.last_indicator_row
    out = {L.fields["exec_rate"]: "=EXEC_RATE(H3,F3)"}
    for row in range(first, last + 1):
        out[f"I{row}"] = evaltable_score_formula(row)
    out[L.fields["total_weight"]] = f"=SUM(G{first}:G{last})"
    out[L.fields["total"]] = f"=PERF_TOTAL(I{first}:I{last})"
    out[L.fields["grade"]] = f"=PERF_GRADE({L.fields['total']},PK_PROFILE)"
    for block, srow in zip(L.blocks, L.summary_rows, strict=True):
        lo, hi = block.first_row, block.last_row
        out[f"A{srow}"] = f'=IF(A{lo}="","{block.level1}",A{lo})'
        out[f"G{srow}"] = f"=SUM(G{lo}:G{hi})"
        out[f"I{srow}"] = f"=PERF_TOTAL(I{lo}:I{hi})"
        out[f"J{srow}"] = f'=IF(G{srow}>0,ROUND(I{srow}/G{srow}*100,2),"")'
    return out


def formulas_for(kind: str) -> dict[str, str]:
    return selfeval_formulas() if kind == SELF_EVAL else evaltable_formulas()


# --------------------------------------------------------------------------
# cell helpers
# --------------------------------------------------------------------------


def _put(
    ws: Worksheet,
    ref: str,
    value=None,
    *,
    font: Font = BODY,
    align: Alignment = CENTER,
    fill: PatternFill | None = None,
    locked: bool = True,
    fmt: str | None = None,
    merge: str | None = None,
    note: str | None = None,
) -> None:
    """Write one (possibly merged) cell with border and style."""
    cells = [ref] if merge is None else _cells_of(merge)
    for addr in cells:
        c = ws[addr]
        c.border = BOX
        c.font = font
        c.alignment = align
        if fill is not None:
            c.fill = fill
        c.protection = LOCKED if locked else UNLOCKED
        if fmt:
            c.number_format = fmt
    if merge is not None:
        ws.merge_cells(merge)
    if value is not None:
        ws[ref].value = value
    if note:
        comment = Comment(note, AUTHOR)
        comment.width = 300
        comment.height = 160
        ws[ref].comment = comment


def _cells_of(rng: str) -> list[str]:
    from openpyxl.utils.cell import get_column_letter, range_boundaries

    c1, r1, c2, r2 = range_boundaries(rng)
    return [f"{get_column_letter(c)}{r}" for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)]


def _widths(ws: Worksheet, widths: dict[str, float]) -> None:
    for col, width in widths.items():
        ws.column_dimensions[col].width = width


def _print_setup(ws: Worksheet, title_rows: str, landscape: bool) -> None:
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    if title_rows:
        ws.print_title_rows = title_rows
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.page_margins.header = ws.page_margins.footer = 0.3
    ws.print_options.horizontalCentered = True
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    ws.oddFooter.center.size = 9


def _protect(ws: Worksheet) -> None:
    """Sheet protection without a password; rows/columns may still be resized."""
    p = ws.protection
    p.sheet = True
    p.formatColumns = False
    p.formatRows = False
    p.formatCells = False
    p.selectLockedCells = False
    p.selectUnlockedCells = False


def _decimal_validation(ws: Worksheet, ranges: str, what: str) -> None:
    dv = DataValidation(
        type="decimal",
        operator="greaterThanOrEqual",
        formula1="0",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="输入有误",
        error=f"{what}应为不小于 0 的数字（不要输入单位或文字）。",
        showInputMessage=True,
        promptTitle=what,
        prompt=f"请输入{what}（数字，≥ 0）",
    )
    for rng in ranges.split():
        dv.add(rng)
    ws.add_data_validation(dv)


def _settings_sheet(wb: Workbook, layout, profile: str) -> None:
    ws = wb.create_sheet(layout.settings_sheet)
    names = profiles.available()
    if profile not in names:
        # a path to a custom TOML is allowed; it must load
        profiles.load(profile)
    prof_sheet, prof_cell = split_ref(layout.fields["profile"], layout.sheet)
    form_sheet, form_cell = split_ref(layout.fields["form_id"], layout.sheet)
    assert prof_sheet == form_sheet == layout.settings_sheet
    _put(ws, "A1", "评分规则", font=BOLD, fill=HEAD_FILL)
    _put(
        ws,
        prof_cell,
        profile,
        fill=INPUT_FILL,
        locked=False,
        align=LEFT,
        note="选择评分规则（rule profile）：mof2020 = 财政部 2020 默认规则；"
        "platform = 预算管理一体化平台规则（偏离扣分、执行率封顶）；"
        "futian2021 = 福田区 2021 部门评价规则。公式通过名称 PK_PROFILE 引用本单元格。",
    )
    _put(ws, "A2", "模板版本", font=BOLD, fill=HEAD_FILL)
    _put(ws, form_cell, layout.version, align=LEFT)
    _put(ws, "A4", "可选规则", font=BOLD, fill=HEAD_FILL)
    for i, name in enumerate(names):
        title = profiles.load(name).title
        _put(ws, f"A{5 + i}", name, align=LEFT)
        _put(ws, f"B{5 + i}", title, align=LEFT)
    notes_row = 6 + len(names)
    ws[f"A{notes_row}"] = "说明"
    ws[f"A{notes_row}"].font = BOLD
    notes = (
        LEGEND,
        "本表使用 perfkit 加载项提供的函数（EXEC_RATE、EXEC_SCORE、PERF_SCORE、PERF_RULE、"
        "PERF_TOTAL、PERF_GRADE）。未安装加载项时请用 perfkit freeze 生成定稿文件再报送。",
    )
    for i, text in enumerate(notes, 1):
        row = notes_row + i
        ws.merge_cells(f"A{row}:B{row}")
        ws[f"A{row}"] = text
        ws[f"A{row}"].font = SMALL
        ws[f"A{row}"].alignment = LEFT
        ws.row_dimensions[row].height = 30
    ws.column_dimensions["A"].width = 14
    ws.column_dimensions["B"].width = 60
    _print_setup(ws, "", landscape=False)
    dv = DataValidation(
        type="list",
        formula1='"' + ",".join(names) + '"',
        allow_blank=False,
        showErrorMessage=True,
        errorTitle="评分规则",
        error="请从下拉列表中选择评分规则：" + "、".join(names),
    )
    dv.add(prof_cell)
    ws.add_data_validation(dv)
    _protect(ws)


def _defined_names(wb: Workbook, layout) -> None:
    for name, ref in sorted(layout.names.items()):
        wb.defined_names[name] = DefinedName(name, attr_text=ref)


# --------------------------------------------------------------------------
# 项目支出绩效自评表
# --------------------------------------------------------------------------

SELFEVAL_NOTES = {
    "C5": "年初预算数：年初批复的预算金额（元）。",
    "D5": "全年预算数：调整后的全年预算金额（元），执行率以此为分母。",
    "E5": "全年执行数：全年实际支出金额（元）。",
    "F5": "分值：预算执行率的分值，原则上为 10 分（财预〔2020〕10号）。",
    "G5": "执行率（%）= 全年执行数 ÷ 全年预算数 × 100，保留两位小数（四舍五入）。"
    "全年预算数为空或为 0 时不计算。",
    "H5": "得分 = MIN(执行率, 100%) × 分值，保留两位小数；超额执行按满分计。"
    "具体方法以 设置!B1 所选评分规则为准（如福田 2021：执行率每降低 1% 扣 0.1 分）。",
    "D13": "三级指标：每个二级指标下可填 3 行；不适用的行可留空，或写“不适用”并填分值 0。",
    "E13": "年度指标值：照抄绩效目标表，如“≥2家”“≥90%”“2个工作日内”“≤3万元”。定性指标写文字。",
    "F13": "实际完成值（必填）：写实际数字和单位，如“2家”“100%”；定性指标写完成情况。",
    "G13": "分值（必填）：三级指标分值，原则上 产出 50、效益 30、满意度 10、预算执行率 10，合计 100。",
    "H13": "得分（必填）：定量指标自动计算——完成指标值记全部分值；未完成按 完成值/指标值 比例记分"
    "（反向指标按 指标值/完成值）。定性指标按 达成 80%-100%、部分达成 60%-80%、未达成 0-60% "
    "的分值区间手工填写，直接输入数字即覆盖公式。",
    "I13": "偏差原因分析及改进措施：得分低于分值，或完成值明显高于指标值（≥130%）时必须填写。",
}


def _selfeval_sheet(wb: Workbook) -> None:
    L = SelfEvalLayout
    ws = wb.active
    ws.title = L.sheet
    ws.sheet_view.showGridLines = False
    ws.sheet_view.zoomScale = 100
    f = formulas_for(SELF_EVAL)

    # title
    ws.merge_cells("A1:I1")
    ws["A1"] = TITLES[SELF_EVAL]
    ws["A1"].font = TITLE
    ws["A1"].alignment = CENTER
    ws.row_dimensions[1].height = 30

    # header fields
    _put(ws, "A2", "项目编码", font=BOLD, fill=HEAD_FILL)
    _put(ws, "B2", merge="B2:C2", fill=INPUT_FILL, locked=False, align=LEFT, fmt="@")
    _put(ws, "D2", "项目名称", font=BOLD, fill=HEAD_FILL)
    _put(ws, "E2", merge="E2:F2", fill=INPUT_FILL, locked=False, align=LEFT)
    _put(ws, "G2", "绩效自评年度", font=BOLD, fill=HEAD_FILL)
    _put(ws, "H2", merge="H2:I2", fill=INPUT_FILL, locked=False)
    _put(ws, "A3", "实施单位", font=BOLD, fill=HEAD_FILL)
    _put(ws, "B3", merge="B3:D3", fill=INPUT_FILL, locked=False, align=LEFT)
    _put(ws, "E3", "一级预算单位", font=BOLD, fill=HEAD_FILL)
    _put(ws, "F3", merge="F3:I3", fill=INPUT_FILL, locked=False, align=LEFT)
    for r in (2, 3):
        ws.row_dimensions[r].height = 30

    # 资金使用情况
    _put(ws, "A4", "资金使用情况", font=BOLD, merge="A4:I4", fill=HEAD_FILL)
    _put(ws, "A5", "项目资金（元）", font=BOLD, merge="A5:B5", fill=HEAD_FILL)
    heads = ("年初预算数", "全年预算数", "全年执行数", "分值", "执行率（%）", "得分")
    for col, text in zip("CDEFGH", heads, strict=True):
        merge = "H5:I5" if col == "H" else None
        _put(
            ws,
            f"{col}5",
            text,
            font=BOLD,
            fill=HEAD_FILL,
            merge=merge,
            note=SELFEVAL_NOTES.get(f"{col}5"),
        )
    ws.row_dimensions[5].height = 24
    first_fund = L.fund_rows["total"]
    last_fund = L.fund_rows["other"]
    _put(
        ws,
        f"A{first_fund}",
        "项目资金",
        font=BOLD,
        merge=f"A{first_fund}:A{last_fund}",
        fill=HEAD_FILL,
    )
    for key in FUND_ROWS:
        row = L.fund_rows[key]
        _put(
            ws,
            f"B{row}",
            FUND_LABELS[key],
            align=LEFT if key != "total" else CENTER,
            font=BOLD if key == "total" else BODY,
        )
        for col in L.fund_columns.values():
            _put(ws, f"{col}{row}", fill=INPUT_FILL, locked=False, align=RIGHT, fmt=AMOUNT_FORMAT)
        if key == "total":
            _put(ws, L.fields["exec_weight"], 10, fill=INPUT_FILL, locked=False, fmt=SCORE_FORMAT)
            _put(ws, L.fields["exec_rate"], f["G6"], fmt="0.00")
            _put(ws, L.fields["exec_score"], f["H6"], merge=f"H{row}:I{row}", fmt=SCORE_FORMAT)
        else:
            _put(ws, f"F{row}", "—")
            _put(ws, f"G{row}", "—")
            _put(ws, f"H{row}", "—", merge=f"H{row}:I{row}")
        ws.row_dimensions[row].height = 20

    # 项目目标完成情况
    _put(ws, "A10", "项目目标完成情况", font=BOLD, merge="A10:I10", fill=HEAD_FILL)
    _put(ws, "A11", "年度总体目标", font=BOLD, merge="A11:A12", fill=HEAD_FILL)
    _put(ws, "B11", "预期目标", font=BOLD, merge="B11:E11", fill=HEAD_FILL)
    _put(
        ws,
        "F11",
        "* 实际完成情况",
        font=BOLD,
        merge="F11:I11",
        fill=HEAD_FILL,
        note="实际完成情况（必填）：对照预期目标，写明全年实际完成情况。",
    )
    top_left = Alignment(horizontal="left", vertical="top", wrap_text=True)
    _put(
        ws,
        L.fields["goal_expected"],
        merge="B12:E12",
        fill=INPUT_FILL,
        locked=False,
        align=top_left,
    )
    _put(
        ws, L.fields["goal_actual"], merge="F12:I12", fill=INPUT_FILL, locked=False, align=top_left
    )
    ws.row_dimensions[12].height = 90

    # indicator grid
    hr = L.header_row
    first, last = L.first_indicator_row, L.last_indicator_row
    _put(ws, f"A{hr}", "年度绩效指标", font=BOLD, merge=f"A{hr}:A{last}", fill=HEAD_FILL)
    grid_heads = {
        "B": "一级指标",
        "C": "二级指标",
        "D": "三级指标",
        "E": "年度指标值",
        "F": "* 实际完成值",
        "G": "* 分值",
        "H": "* 得分",
        "I": "偏差原因分析及改进措施",
    }
    for col, text in grid_heads.items():
        _put(
            ws, f"{col}{hr}", text, font=BOLD, fill=HEAD_FILL, note=SELFEVAL_NOTES.get(f"{col}{hr}")
        )
    ws.row_dimensions[hr].height = 30
    for level1, (lo, hi) in L.level1_blocks().items():
        _put(
            ws,
            f"{L.level1_column}{lo}",
            f[f"{L.level1_column}{lo}"],
            font=BOLD,
            merge=f"{L.level1_column}{lo}:{L.level1_column}{hi}",
            note=f"{level1}的分值由本块各行“分值”合计自动得出。",
        )
    for g in L.groups:
        _put(
            ws,
            f"{L.level2_column}{g.first_row}",
            g.level2,
            merge=f"{L.level2_column}{g.first_row}:{L.level2_column}{g.last_row}",
        )
    cols = L.indicator_columns
    for row in range(first, last + 1):
        for key in ("level3", "target", "actual", "deviation_reason"):
            _put(ws, f"{cols[key]}{row}", fill=INPUT_FILL, locked=False, align=LEFT)
        _put(ws, f"{cols['weight']}{row}", fill=INPUT_FILL, locked=False, fmt=SCORE_FORMAT)
        _put(
            ws,
            f"{cols['score']}{row}",
            f[f"{cols['score']}{row}"],
            fill=SCORE_FILL,
            locked=False,
            fmt=SCORE_FORMAT,
        )
        ws.row_dimensions[row].height = 27

    # totals
    tr, gr = L.total_row, L.grade_row
    _put(ws, f"A{tr}", "总分", font=BOLD, merge=f"A{tr}:F{tr}", fill=HEAD_FILL)
    _put(
        ws,
        L.fields["total_weight"],
        f[L.fields["total_weight"]],
        font=BOLD,
        fmt=SCORE_FORMAT,
        note="总分值 = 预算执行率分值 + 各三级指标分值之和，应为 100。",
    )
    _put(
        ws,
        L.fields["total"],
        f[L.fields["total"]],
        font=BOLD,
        fmt="0.00",
        note="总分 = 预算执行率得分 + 各三级指标得分之和，保留两位小数。",
    )
    _put(ws, f"I{tr}", "—")
    _put(ws, f"A{gr}", "绩效等级", font=BOLD, merge=f"A{gr}:G{gr}", fill=HEAD_FILL)
    _put(
        ws,
        L.fields["grade"],
        f[L.fields["grade"]],
        font=BOLD,
        merge=f"H{gr}:I{gr}",
        note="绩效等级按 设置!B1 所选评分规则：默认 90（含）以上为优，80（含）-90 为良，60（含）-80 为中，60 以下为差。",
    )
    for r in (tr, gr):
        ws.row_dimensions[r].height = 22
    legend_row = gr + 1
    ws.merge_cells(f"A{legend_row}:I{legend_row}")
    ws[f"A{legend_row}"] = LEGEND
    ws[f"A{legend_row}"].font = SMALL
    ws[f"A{legend_row}"].alignment = LEFT
    ws.row_dimensions[legend_row].height = 26

    _widths(ws, {"A": 7, "B": 18, "C": 14, "D": 20, "E": 24, "F": 22, "G": 11, "H": 9, "I": 22})
    _decimal_validation(ws, "C6:E9", "金额（元）")
    _decimal_validation(ws, f"F6 G{first}:G{last}", "分值")
    ws.freeze_panes = None
    _print_setup(ws, f"{hr}:{hr}", landscape=False)
    _protect(ws)


# --------------------------------------------------------------------------
# 绩效评价指标体系评分表
# --------------------------------------------------------------------------

EVALTABLE_NOTES = {
    "J3": "执行率（%）= 全年执行数 ÷ 全年预算数 × 100，保留两位小数（四舍五入）。",
    "A4": "一级指标：在每一行填写（如 项目决策、项目管理、产出、效益）。四个区块各 10 行，"
    "依次对应 决策、过程（项目管理）、产出、效益。",
    "E4": "标杆值：如“≥8次”“≥90%”“≤100%”，定性指标写“充分”“规范”“有效”等。",
    "F4": "评分标准：照录指标体系的评分标准。可自动计分的写法如"
    "“活动开展次数≥8次得6分，完成情况每下降1次，扣2分，扣完为止”；"
    "①②③ 逐项计分的写法按各项得分或权重比例计算。",
    "G4": "权重（分值）：各指标权重合计应为 100。",
    "H4": "实际值：如“10次”“100%”“99.11%”；逐项核查的指标写符合的项目或“全部符合”。",
    "I4": "得分：按评分标准自动计算；评价人的判断分可直接输入数字覆盖公式，并在扣分原因中说明。",
    "J4": "扣分原因：得分低于权重时填写。",
}


def _evaltable_sheet(wb: Workbook) -> None:
    L = EvalTableLayout
    ws = wb.active
    ws.title = L.sheet
    ws.sheet_view.showGridLines = False
    f = formulas_for(EVAL_TABLE)

    ws.merge_cells("A1:J1")
    ws["A1"] = TITLES[EVAL_TABLE]
    ws["A1"].font = TITLE
    ws["A1"].alignment = CENTER
    ws.row_dimensions[1].height = 30

    _put(ws, "A2", "项目名称", font=BOLD, fill=HEAD_FILL)
    _put(ws, "B2", merge="B2:E2", fill=INPUT_FILL, locked=False, align=LEFT)
    _put(ws, "F2", "被评价单位", font=BOLD, fill=HEAD_FILL)
    _put(ws, "G2", merge="G2:J2", fill=INPUT_FILL, locked=False, align=LEFT)
    _put(ws, "A3", "评价年度", font=BOLD, fill=HEAD_FILL)
    _put(ws, "B3", fill=INPUT_FILL, locked=False)
    _put(ws, "C3", "年初预算数（万元）", font=BOLD, fill=HEAD_FILL)
    _put(ws, "D3", fill=INPUT_FILL, locked=False, align=RIGHT, fmt="#,##0.00")
    _put(ws, "E3", "全年预算数（万元）", font=BOLD, fill=HEAD_FILL)
    _put(ws, "F3", fill=INPUT_FILL, locked=False, align=RIGHT, fmt="#,##0.00")
    _put(ws, "G3", "全年执行数（万元）", font=BOLD, fill=HEAD_FILL)
    _put(ws, "H3", fill=INPUT_FILL, locked=False, align=RIGHT, fmt="#,##0.00")
    _put(ws, "I3", "执行率（%）", font=BOLD, fill=HEAD_FILL)
    _put(
        ws, L.fields["exec_rate"], f[L.fields["exec_rate"]], fmt="0.00", note=EVALTABLE_NOTES["J3"]
    )
    ws.row_dimensions[2].height = 28
    ws.row_dimensions[3].height = 32

    hr = L.header_row
    heads = (
        "一级指标",
        "二级指标",
        "三级指标",
        "指标说明",
        "标杆值",
        "评分标准",
        "权重",
        "实际值",
        "得分",
        "扣分原因",
    )
    for col, text in zip(L.columns, heads, strict=True):
        _put(
            ws,
            f"{col}{hr}",
            text,
            font=BOLD,
            fill=HEAD_FILL,
            note=EVALTABLE_NOTES.get(f"{col}{hr}"),
        )
    ws.row_dimensions[hr].height = 24
    cols = L.indicator_columns
    first, last = L.first_indicator_row, L.last_indicator_row
    for row in range(first, last + 1):
        for key in (
            "level1",
            "level2",
            "level3",
            "description",
            "rule",
            "actual",
            "deduction_reason",
        ):
            _put(ws, f"{cols[key]}{row}", fill=INPUT_FILL, locked=False, align=LEFT)
        _put(ws, f"{cols['benchmark']}{row}", fill=INPUT_FILL, locked=False)
        _put(ws, f"{cols['weight']}{row}", fill=INPUT_FILL, locked=False, fmt=SCORE_FORMAT)
        _put(
            ws,
            f"{cols['score']}{row}",
            f[f"{cols['score']}{row}"],
            fill=SCORE_FILL,
            locked=False,
            fmt=SCORE_FORMAT,
        )
        ws.row_dimensions[row].height = 27
    # a thicker visual break between the four blocks
    for block in L.blocks[1:]:
        for col in L.columns:
            c = ws[f"{col}{block.first_row}"]
            c.border = Border(
                left=THIN, right=THIN, top=Side(style="medium", color="FF000000"), bottom=THIN
            )

    tr, gr = L.total_row, L.grade_row
    _put(ws, f"A{tr}", "合计", font=BOLD, merge=f"A{tr}:F{tr}", fill=HEAD_FILL)
    _put(ws, L.fields["total_weight"], f[L.fields["total_weight"]], font=BOLD, fmt=SCORE_FORMAT)
    _put(ws, f"H{tr}", "")
    _put(
        ws,
        L.fields["total"],
        f[L.fields["total"]],
        font=BOLD,
        fmt="0.00",
        note="合计 = 各指标得分之和，保留两位小数。",
    )
    _put(ws, f"J{tr}", "")
    _put(ws, f"A{gr}", "绩效等级", font=BOLD, merge=f"A{gr}:H{gr}", fill=HEAD_FILL)
    _put(
        ws,
        L.fields["grade"],
        f[L.fields["grade"]],
        font=BOLD,
        merge=f"I{gr}:J{gr}",
        note="绩效等级按 设置!B1 所选评分规则（如福田 2021：90 分及以上为优，80-89 为良，70-79 为中，70 以下为低）。",
    )

    sh = L.summary_header_row
    _put(ws, f"A{sh}", "一级指标小计", font=BOLD, merge=f"A{sh}:F{sh}", fill=HEAD_FILL)
    _put(ws, f"G{sh}", "权重", font=BOLD, fill=HEAD_FILL)
    _put(ws, f"H{sh}", "", fill=HEAD_FILL)
    _put(ws, f"I{sh}", "得分", font=BOLD, fill=HEAD_FILL)
    _put(ws, f"J{sh}", "得分率（%）", font=BOLD, fill=HEAD_FILL)
    for srow in L.summary_rows:
        _put(ws, f"A{srow}", f[f"A{srow}"], merge=f"A{srow}:F{srow}")
        _put(ws, f"G{srow}", f[f"G{srow}"], fmt=SCORE_FORMAT)
        _put(ws, f"H{srow}", "")
        _put(ws, f"I{srow}", f[f"I{srow}"], fmt=SCORE_FORMAT)
        _put(ws, f"J{srow}", f[f"J{srow}"], fmt="0.00")
    legend_row = L.summary_rows[-1] + 2
    ws.merge_cells(f"A{legend_row}:J{legend_row}")
    ws[f"A{legend_row}"] = LEGEND
    ws[f"A{legend_row}"].font = SMALL
    ws[f"A{legend_row}"].alignment = LEFT
    ws.row_dimensions[legend_row].height = 26

    _widths(
        ws,
        {"A": 10, "B": 11, "C": 16, "D": 26, "E": 12, "F": 44, "G": 12, "H": 11, "I": 9, "J": 16},
    )
    _decimal_validation(ws, f"D3 F3 H3 G{first}:G{last}", "金额或权重")
    _print_setup(ws, f"{hr}:{hr}", landscape=True)
    _protect(ws)


# --------------------------------------------------------------------------
# build
# --------------------------------------------------------------------------


def new_workbook(kind: str, profile: str = profiles.DEFAULT_PROFILE) -> Workbook:
    """The template as an openpyxl workbook (not saved)."""
    kind = resolve_kind(kind)
    layout = LAYOUTS[kind]
    wb = Workbook()
    if kind == SELF_EVAL:
        _selfeval_sheet(wb)
    else:
        _evaltable_sheet(wb)
    _settings_sheet(wb, layout, profile)
    _defined_names(wb, layout)
    wb.active = 0
    props = wb.properties
    props.creator = AUTHOR
    props.lastModifiedBy = AUTHOR
    props.title = TITLES[kind]
    props.subject = layout.version
    props.keywords = "预算绩效;perfkit"
    return wb


_CORE_TIMES = re.compile(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)")


def deterministic_bytes(wb: Workbook) -> bytes:
    """Save *wb* and re-pack the zip with fixed timestamps and a stable order."""
    raw = io.BytesIO()
    wb.save(raw)
    return repack(raw.getvalue())


def repack(data: bytes) -> bytes:
    """Same zip contents, fixed entry dates, fixed core.xml times, stable order."""
    src = zipfile.ZipFile(io.BytesIO(data))
    names = src.namelist()

    def order(name: str) -> tuple[int, str]:
        first = {"[Content_Types].xml": 0, "_rels/.rels": 1}
        return (first.get(name, 2), name)

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for name in sorted(names, key=order):
            payload = src.read(name)
            if name == "docProps/core.xml":
                payload = _CORE_TIMES.sub(
                    lambda m: m.group(1) + FIXED_CORE_TIME.encode() + m.group(3), payload
                )
            info = zipfile.ZipInfo(name, date_time=FIXED_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            info.create_system = 0
            dst.writestr(info, payload, compress_type=zipfile.ZIP_DEFLATED, compresslevel=6)
    return out.getvalue()


def build_bytes(kind: str, profile: str = profiles.DEFAULT_PROFILE) -> bytes:
    return deterministic_bytes(new_workbook(kind, profile))


def write_output(path: str | os.PathLike, data: bytes) -> Path:
    """Atomic write; the file gets the usual permissions (the temporary file
    behind the atomic rename is private to its owner)."""
    out = write_bytes_atomic(path, data)
    mask = os.umask(0)
    os.umask(mask)
    os.chmod(out, 0o666 & ~mask)
    return out


def build(kind: str, path: str | os.PathLike, profile: str = profiles.DEFAULT_PROFILE) -> Path:
    """Write the template of *kind* (``selfeval`` / ``evaltable``) to *path*."""
    return write_output(path, build_bytes(kind, profile))


def build_all(
    outdir: str | os.PathLike = DEFAULT_DIR, profile: str = profiles.DEFAULT_PROFILE
) -> list[Path]:
    return [build(kind, Path(outdir) / name, profile) for kind, name in TEMPLATE_FILES.items()]


def check(outdir: str | os.PathLike = DEFAULT_DIR) -> list[str]:
    """Names of committed templates that differ from a fresh build (empty: all good)."""
    stale = []
    for kind, name in TEMPLATE_FILES.items():
        path = Path(outdir) / name
        if not path.is_file() or path.read_bytes() != build_bytes(kind):
            stale.append(str(path))
    return stale


__all__ = [
    "DEFAULT_DIR",
    "TEMPLATE_FILES",
    "build",
    "build_all",
    "build_bytes",
    "check",
    "deterministic_bytes",
    "evaltable_formulas",
    "formulas_for",
    "new_workbook",
    "repack",
    "resolve_kind",
    "selfeval_formulas",
]
