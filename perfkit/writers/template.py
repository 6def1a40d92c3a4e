"""Drawing perfkit's two templates from a :class:`~perfkit.layout.Layout`.

The templates mirror the official forms (seed 000: 龙岗 2023 项目支出绩效自评表;
seed 004: 福田 2021 表2-1 with the columns of 附件1) and compute in cells with
the perfkit Excel functions (``EXEC_RATE``, ``PERF_SCORE`` …, see ``udfs/``).
Any number of rows per 二级指标 / block: the layout says how many, and every
formula is built from it (:func:`formulas`), so a template grown by ``fill``,
by ``adopt`` or by a clerk inserting rows computes over all its rows.

The build is deterministic: the same code gives the same bytes.  openpyxl
stamps the save time into ``docProps/core.xml`` and the zip entries, so
:func:`deterministic_bytes` re-packs the zip with fixed timestamps and a
stable entry order, and writes the values perfkit computed as the cached
results of formula cells (:mod:`perfkit.writers.cached`).
"""

from __future__ import annotations

import io
import os
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from .. import cellfuncs, profiles
from ..fsutil import write_bytes_atomic
from ..layout import (
    DEFAULT_DIR,
    SETTINGS_SHEET,
    TEMPLATE_FILES,
    TITLES,
    Layout,
    Span,
    a1,
    a1_range,
    column_letter,
    defined_names,
    resolve_kind,
    template,
    version_of,
)
from ..model import EVAL_TABLE, SELF_EVAL
from ..numbers import round2

# Fixed stamps so that a build is byte-for-byte reproducible.
FIXED_ZIP_TIME = (2024, 1, 1, 0, 0, 0)
FIXED_CORE_TIME = "2024-01-01T00:00:00Z"
AUTHOR = "perfkit"
CALC_ID = 191029  # Excel 2019/365: no forced recalculation on open (cached values stay)

FONT_NAME = "宋体"
GB2312 = 134  # charset: lets Excel pick the CJK face (SimSun) for 宋体
BODY = Font(name=FONT_NAME, size=10, charset=GB2312)
BOLD = Font(name=FONT_NAME, size=10, bold=True, charset=GB2312)
TITLE = Font(name=FONT_NAME, size=16, bold=True, charset=GB2312)
SMALL = Font(name=FONT_NAME, size=9, color="FF595959", charset=GB2312)

THIN = Side(style="thin", color="FF000000")
MEDIUM = Side(style="medium", color="FF000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)

INPUT_FILL = PatternFill("solid", fgColor="FFFFF2CC")  # light yellow: type here
SCORE_FILL = PatternFill("solid", fgColor="FFE2EFDA")  # light green: formula, may be overwritten
HEAD_FILL = PatternFill("solid", fgColor="FFF2F2F2")  # light grey: headers

CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True, indent=0)
RIGHT = Alignment(horizontal="right", vertical="center", wrap_text=False)
TOP_LEFT = Alignment(horizontal="left", vertical="top", wrap_text=True)

UNLOCKED = Protection(locked=False)
LOCKED = Protection(locked=True)

AMOUNT_FORMAT = "#,##0.00"
SCORE_FORMAT = "General"

LEGEND = (
    "说明：黄色单元格为填写项；绿色单元格由公式自动计算，定性指标等可直接输入得分覆盖公式；"
    "可插入、删除指标行（功能区“插入指标行”会带上公式），合计自动覆盖所有行；"
    "其余单元格自动计算并已锁定（工作表保护未设密码）。带 * 为必填项。"
)


# --------------------------------------------------------------------------
# formulas, all from the layout
# --------------------------------------------------------------------------

Get = Callable[[str], Any]  # A1 address (or "PK_PROFILE") -> what that cell shows


@dataclass(frozen=True)
class Computed:
    """A computed cell: its formula, and what that formula gives (``value``
    reads the other cells through *get*, with the same functions the Excel
    cells call), so that the file can store the result it shows."""

    text: str
    value: Callable[[Get], Any]


def score_formula(layout: Layout, row: int) -> str:
    """The 得分 formula of one indicator row."""
    return _score(layout, row).text


def _score(layout: Layout, row: int) -> Computed:
    at = layout.at
    if layout.kind == SELF_EVAL:
        t, a, w, n = (at(k, row) for k in ("target", "actual", "weight", "level3"))
        group = layout.group_of(row)
        g = at("level2", group.first_row if group else row)  # the 二级指标 label: a hint (成本指标)
        ref = f"${layout.letter('level2')}${g[len(layout.letter('level2')) :]}"
        return Computed(
            f'=PERF_SCORE({t},{a},{w},"",{n},PK_PROFILE,{ref})',
            lambda get: cellfuncs.perf_score(
                get(t), get(a), get(w), "", get(n), get(PROFILE), get(g)
            ),
        )
    rule, a, w, bench, n = (at(k, row) for k in ("rule", "actual", "weight", "benchmark", "level3"))
    executed, budget = _absolute(layout, "executed"), _absolute(layout, "annual_budget")
    e, b = layout.cell("executed"), layout.cell("annual_budget")
    return Computed(
        f"=PERF_RULE({rule},{a},{w},{bench},{n},{executed},{budget},PK_PROFILE)",
        lambda get: cellfuncs.perf_rule(
            get(rule), get(a), get(w), get(bench), get(n), get(e), get(b), get(PROFILE)
        ),
    )


PROFILE = "PK_PROFILE"


def _absolute(layout: Layout, name: str) -> str:
    r, c = layout.fields[name]
    return f"${column_letter(c)}${r}"


def _column(letter: str, first: int, last: int) -> list[str]:
    return [f"{letter}{r}" for r in range(first, last + 1)]


def _sum(get: Get, cells: list[str]) -> float:
    """Excel's SUM: numbers only, text and blanks ignored."""
    total = Decimal(0)
    for cell in cells:
        v = get(cell)
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            total += Decimal(repr(v))
    return float(total)


def excel_text(number: float) -> str:
    """A number as Excel writes it into text (="…"&50&"…" -> 50, 12.5)."""
    text = repr(float(number))
    return text[:-2] if text.endswith(".0") else text


def formulas(layout: Layout) -> dict[str, str]:
    """Cell -> formula of every computed cell of a template layout."""
    return {cell: c.text for cell, c in computed(layout).items()}


def computed(layout: Layout) -> dict[str, Computed]:
    """Cell -> :class:`Computed` of every computed cell of a template layout."""
    if layout.kind == SELF_EVAL:
        return _selfeval_computed(layout)
    return _evaltable_computed(layout)


def _selfeval_computed(layout: Layout) -> dict[str, Computed]:
    f = layout.cell
    e = layout.fund_cell("total", "executed")
    b = layout.fund_cell("total", "annual_budget")
    w = f("exec_weight")
    out = {
        f("exec_rate"): Computed(
            f"=EXEC_RATE({e},{b})", lambda get: cellfuncs.exec_rate(get(e), get(b))
        ),
        f("exec_score"): Computed(
            f"=EXEC_SCORE({e},{b},{w},PK_PROFILE)",
            lambda get: cellfuncs.exec_score(get(e), get(b), get(w), get(PROFILE)),
        ),
    }
    for row in layout.rows:
        out[layout.at("score", row)] = _score(layout, row)
    weights, scores = layout.letter("weight"), layout.letter("score")
    for level1, (lo, hi) in layout.level1_blocks().items():
        cells = _column(weights, lo, hi)
        out[layout.at("level1", lo)] = Computed(
            f'="{level1}（"&SUM({weights}{lo}:{weights}{hi})&"分）"',
            lambda get, level1=level1, cells=cells: f"{level1}（{excel_text(_sum(get, cells))}分）",
        )
    first, last = layout.first_row, layout.last_row
    weight_cells = _column(weights, first, last)
    score_cells = _column(scores, first, last)
    x, total = f("exec_score"), f("total")
    out[f("total_weight")] = Computed(
        f"={w}+SUM({weights}{first}:{weights}{last})",
        lambda get: _sum(get, [w, *weight_cells]),
    )
    out[total] = Computed(
        f"=PERF_TOTAL({x},{scores}{first}:{scores}{last})",
        lambda get: cellfuncs.perf_total(get(x), [get(c) for c in score_cells]),
    )
    out[f("grade")] = Computed(
        f"=PERF_GRADE({total},PK_PROFILE)",
        lambda get: cellfuncs.perf_grade(get(total), get(PROFILE)),
    )
    return out


def _evaltable_computed(layout: Layout) -> dict[str, Computed]:
    f = layout.cell
    e, b = f("executed"), f("annual_budget")
    out = {
        f("exec_rate"): Computed(
            f"=EXEC_RATE({e},{b})", lambda get: cellfuncs.exec_rate(get(e), get(b))
        )
    }
    for row in layout.rows:
        out[layout.at("score", row)] = _score(layout, row)
    weights, scores = layout.letter("weight"), layout.letter("score")
    level1 = layout.letter("level1")
    first, last = layout.first_row, layout.last_row
    weight_cells = _column(weights, first, last)
    score_cells = _column(scores, first, last)
    total = f("total")
    out[f("total_weight")] = Computed(
        f"=SUM({weights}{first}:{weights}{last})", lambda get: _sum(get, weight_cells)
    )
    out[total] = Computed(
        f"=PERF_TOTAL({scores}{first}:{scores}{last})",
        lambda get: cellfuncs.perf_total([get(c) for c in score_cells]),
    )
    out[f("grade")] = Computed(
        f"=PERF_GRADE({total},PK_PROFILE)",
        lambda get: cellfuncs.perf_grade(get(total), get(PROFILE)),
    )
    for g in layout.groups:
        srow = layout.summary_rows.get(g.level1)
        if srow is None:  # a template read back: its subtotals are not part of the grid
            continue
        lo, hi = g.first_row, g.last_row
        head = f"{level1}{lo}"
        ws_cells, sc_cells = _column(weights, lo, hi), _column(scores, lo, hi)
        sw, ss = layout.at("weight", srow), layout.at("score", srow)
        rate = a1(srow, layout.columns["score"] + 1)  # 得分率, right of the block's score
        out[layout.at("level1", srow)] = Computed(
            f'=IF({head}="","{g.level1}",{head})',
            lambda get, head=head, name=g.level1: name if get(head) in (None, "") else get(head),
        )
        out[sw] = Computed(
            f"=SUM({weights}{lo}:{weights}{hi})",
            lambda get, cells=ws_cells: _sum(get, cells),
        )
        out[ss] = Computed(
            f"=PERF_TOTAL({scores}{lo}:{scores}{hi})",
            lambda get, cells=sc_cells: cellfuncs.perf_total([get(c) for c in cells]),
        )
        out[rate] = Computed(
            f'=IF(AND({sw}>0,ISNUMBER({ss})),ROUND({ss}/{sw}*100,2),"")',
            lambda get, sw=sw, ss=ss: _rate(get(ss), get(sw)),
        )
    return out


def merged_spans(layout: Layout) -> tuple[Span, ...]:
    """Every range the template of *layout* merges, as the drawing below
    merges it: the pieces that span several cells, and on a 自评表 the
    二级指标 label of each group and the 一级指标 label of each block, on a
    评分表 the label of each 一级指标小计 row.  (The 插入指标行 macro merges
    what a grown layout adds; a test holds this list to the drawn sheets.)"""
    spans = [p.span for p in layout.pieces]
    if layout.kind == SELF_EVAL:
        level1, level2 = layout.columns["level1"], layout.columns["level2"]
        spans += [(g.first_row, level2, g.last_row, level2) for g in layout.groups]
        spans += [(lo, level1, hi, level1) for lo, hi in layout.level1_blocks().values()]
    else:
        spans += [(row, 1, row, 6) for row in layout.summary_rows.values()]
    return tuple(s for s in spans if (s[0], s[1]) != (s[2], s[3]))


def _rate(score: Any, weight: Any) -> Any:
    """IF(AND(weight>0, ISNUMBER(score)), ROUND(score/weight*100, 2), "")."""
    if not isinstance(weight, (int, float)) or isinstance(weight, bool) or weight <= 0:
        return ""
    if not isinstance(score, (int, float)) or isinstance(score, bool):
        return ""  # the subtotal says why it has no value
    return float(round2(Decimal(repr(score)) / Decimal(repr(weight)) * 100))


# --------------------------------------------------------------------------
# notes and styles
# --------------------------------------------------------------------------

NOTES = {
    SELF_EVAL: {
        "initial_budget": "年初预算数：年初批复的预算金额（元）。",
        "annual_budget": "全年预算数：调整后的全年预算金额（元），执行率以此为分母。",
        "executed": "全年执行数：全年实际支出金额（元）。",
        "exec_weight": "分值：预算执行率的分值，原则上为 10 分（财预〔2020〕10号）。",
        "exec_rate": "执行率（%）= 全年执行数 ÷ 全年预算数 × 100，保留两位小数（四舍五入）。"
        "全年预算数为空或为 0 时不计算。",
        "exec_score": "得分 = MIN(执行率, 100%) × 分值，保留两位小数；超额执行按满分计。"
        "具体方法以 设置!B1 所选评分规则为准（如福田 2021：执行率每降低 1% 扣 0.1 分）。",
        "level3": "三级指标：每个二级指标下的行数不限，可插入或删除行；不适用的行可留空，"
        "或写“不适用”并填分值 0。",
        "target": "年度指标值：照抄绩效目标表，如“≥2家”“≥90%”“2个工作日内”“≤3万元”。定性指标写文字。",
        "actual": "实际完成值（必填）：写实际数字和单位，如“2家”“100%”；定性指标写完成情况。"
        "尚未统计的写“待统计”，该行不计分。",
        "weight": "分值（必填）：三级指标分值，原则上 产出 50、效益 30、满意度 10、预算执行率 10，合计 100。",
        "score": "得分（必填）：定量指标自动计算——完成指标值记全部分值；未完成按 完成值/指标值 比例记分"
        "（反向指标按 指标值/完成值）。定性指标按 达成 80%-100%、部分达成 60%-80%、未达成 0-60% "
        "的分值区间手工填写，直接输入数字即覆盖公式。",
        "deviation_reason": "偏差原因分析及改进措施：得分低于分值，或完成值明显高于指标值（≥130%）时必须填写。",
        "goal_actual": "实际完成情况（必填）：对照预期目标，写明全年实际完成情况。",
        "total_weight": "总分值 = 预算执行率分值 + 各三级指标分值之和，应为 100。",
        "total": "总分 = 预算执行率得分 + 各三级指标得分之和，保留两位小数。",
        "grade": "绩效等级按 设置!B1 所选评分规则：默认 90（含）以上为优，80（含）-90 为良，"
        "60（含）-80 为中，60 以下为差。",
    },
    EVAL_TABLE: {
        "exec_rate": "执行率（%）= 全年执行数 ÷ 全年预算数 × 100，保留两位小数（四舍五入）。",
        "level1": "一级指标：在每个区块的第一行填写（如 项目决策、项目管理、产出、效益），"
        "下面的行留空即同属该一级指标。行数不限，可插入或删除行。",
        "benchmark": "标杆值：如“≥8次”“≥90%”“≤100%”，定性指标写“充分”“规范”“有效”等。",
        "rule": "评分标准：照录指标体系的评分标准。可自动计分的写法如"
        "“活动开展次数≥8次得6分，完成情况每下降1次，扣2分，扣完为止”；"
        "①②③ 逐项计分的写法按各项得分或权重比例计算。",
        "weight": "权重（分值）：各指标权重合计应为 100。",
        "actual": "实际值：如“10次”“100%”“99.11%”；逐项核查的指标写符合的项目或“全部符合”。"
        "预算执行率一行留空时按表头金额计算。",
        "score": "得分：按评分标准自动计算；评价人的判断分可直接输入数字覆盖公式，并在扣分原因中说明。",
        "deduction_reason": "扣分原因：得分低于权重时填写。",
        "total": "合计 = 各指标得分之和，保留两位小数。",
        "grade": "绩效等级按 设置!B1 所选评分规则（如福田 2021：90 分及以上为优，80-89 为良，"
        "70-79 为中，70 以下为低）。",
    },
}

# style name -> (font, alignment, fill, number format, locked)
STYLES = {
    "title": (TITLE, CENTER, None, None, True),
    "label": (BOLD, CENTER, HEAD_FILL, None, True),
    "grid_label": (BOLD, CENTER, HEAD_FILL, None, False),  # spans the rows: never blocks a delete
    "bold": (BOLD, CENTER, None, None, True),
    "left_plain": (BODY, LEFT, None, None, True),
    "text": (BODY, CENTER, None, None, True),
    "input": (BODY, CENTER, INPUT_FILL, None, False),
    "weight": (BODY, CENTER, INPUT_FILL, SCORE_FORMAT, False),
    "left": (BODY, LEFT, INPUT_FILL, None, False),
    "code": (BODY, LEFT, INPUT_FILL, "@", False),
    # 年度指标值 / 实际完成值 / 标杆值 keep what is typed: in a General cell
    # Excel turns a typed "8%" into 0.08, and "≤5%" against 0.08 reads 0.08 %
    "typed": (BODY, LEFT, INPUT_FILL, "@", False),
    "top_left": (BODY, TOP_LEFT, INPUT_FILL, None, False),
    "amount": (BODY, RIGHT, INPUT_FILL, AMOUNT_FORMAT, False),
    "score": (BODY, CENTER, None, SCORE_FORMAT, True),
    "rate": (BODY, CENTER, None, "0.00", True),
    "bold_score": (BOLD, CENTER, None, SCORE_FORMAT, True),
    "bold_total": (BOLD, CENTER, None, "0.00", True),
}


def _style(ws: Worksheet, span, style: str, *, fill=None, locked=None, note=None) -> None:
    font, align, default_fill, fmt, lock = STYLES[style]
    r1, c1, r2, c2 = span
    for r in range(r1, r2 + 1):
        for c in range(c1, c2 + 1):
            cell = ws.cell(row=r, column=c)
            cell.border = BOX
            cell.font = font
            cell.alignment = align
            if (fill or default_fill) is not None:
                cell.fill = fill or default_fill
            cell.protection = LOCKED if (lock if locked is None else locked) else UNLOCKED
            if fmt:
                cell.number_format = fmt
    if (r1, c1) != (r2, c2):
        ws.merge_cells(a1_range(r1, c1, r2, c2))
    if note:
        comment = Comment(note, AUTHOR)
        comment.width = 300
        comment.height = 160
        ws.cell(row=r1, column=c1).comment = comment


def _draw_pieces(ws: Worksheet, layout: Layout, computed: dict[str, str]) -> None:
    notes = NOTES[layout.kind]
    for piece in layout.pieces:
        r1, c1, r2, c2 = piece.span
        top = ws.cell(row=r1, column=c1)
        if piece.kind == "label":
            style = (
                piece.style
                if piece.style in ("title", "bold", "left_plain", "grid_label")
                else "label"
            )
            note = notes.get(piece.name) if piece.name else None
            _style(ws, piece.span, style, note=note)
            top.value = piece.text
        elif piece.kind == "input":
            _style(ws, piece.span, piece.style or "input")
            if piece.text:
                top.value = _number(piece.text)
        elif piece.kind == "computed":
            _style(ws, piece.span, piece.style or "score", note=notes.get(piece.name))
            top.value = computed.get(a1(r1, c1))
        elif piece.name == "legend":
            ws.merge_cells(a1_range(r1, c1, r2, c2))
            top.value = LEGEND
            top.font = SMALL
            top.alignment = LEFT
            ws.row_dimensions[r1].height = 26
        else:
            _style(ws, piece.span, "text")
            top.value = piece.text


def _number(text: str):
    return int(text) if text.isdigit() else text


# --------------------------------------------------------------------------
# the two sheets
# --------------------------------------------------------------------------


def _selfeval_sheet(ws: Worksheet, layout: Layout) -> None:
    f = formulas(layout)
    _draw_pieces(ws, layout, f)
    for row in layout.fund_rows.values():
        for col in layout.fund_columns.values():
            _style(ws, (row, col, row, col), "amount")
    cols = layout.columns
    for g in layout.groups:
        col = cols["level2"]
        _style(ws, (g.first_row, col, g.last_row, col), "text", locked=False)
        ws.cell(row=g.first_row, column=col).value = g.level2
    for level1, (lo, hi) in layout.level1_blocks().items():
        col = cols["level1"]
        _style(
            ws,
            (lo, col, hi, col),
            "bold",
            locked=False,
            note=f"{level1}的分值由本块各行“分值”合计自动得出。",
        )
        ws.cell(row=lo, column=col).value = f[layout.at("level1", lo)]
    for row in layout.rows:
        for key in ("level3", "deviation_reason"):
            _style(ws, (row, cols[key], row, cols[key]), "left")
        for key in ("target", "actual"):
            _style(ws, (row, cols[key], row, cols[key]), "typed")
        _style(ws, (row, cols["weight"], row, cols["weight"]), "input")
        ws.cell(row=row, column=cols["weight"]).number_format = SCORE_FORMAT
        _style(ws, (row, cols["score"], row, cols["score"]), "input", fill=SCORE_FILL)
        ws.cell(row=row, column=cols["score"]).number_format = SCORE_FORMAT
        ws.cell(row=row, column=cols["score"]).value = f[layout.at("score", row)]
        _growable_row(ws, row)
    header = layout.header_row
    for r, height in ((1, 30), (2, 30), (3, 30), (5, 24), (header, 30), (12, 90)):
        ws.row_dimensions[r].height = height
    for row in layout.fund_rows.values():
        ws.row_dimensions[row].height = 20
    for row in (layout.total_row, layout.total_row + 1):
        ws.row_dimensions[row].height = 22
    first, last = layout.first_row, layout.last_row
    funds = layout.fund_rows
    amount_cols = sorted(layout.fund_columns.values())
    _decimal_validation(
        ws,
        a1_range(funds["total"], amount_cols[0], max(funds.values()), amount_cols[-1]),
        "金额（元）",
    )
    weight = layout.letter("weight")
    _decimal_validation(ws, f"{layout.cell('exec_weight')} {weight}{first}:{weight}{last}", "分值")


def _growable_row(ws: Worksheet, row: int) -> None:
    """An indicator row: its height, and unlocked as a whole row (cells right
    of the form too), since Excel deletes a row of a protected sheet only when
    none of its cells is locked."""
    dim = ws.row_dimensions[row]
    dim.height = 27
    dim.protection = UNLOCKED


def _evaltable_sheet(ws: Worksheet, layout: Layout) -> None:
    f = formulas(layout)
    _draw_pieces(ws, layout, f)
    cols = layout.columns
    for row in layout.rows:
        for key in (
            "level1",
            "level2",
            "level3",
            "description",
            "rule",
            "deduction_reason",
        ):
            _style(ws, (row, cols[key], row, cols[key]), "left")
        _style(ws, (row, cols["actual"], row, cols["actual"]), "typed")
        _style(ws, (row, cols["benchmark"], row, cols["benchmark"]), "input")
        ws.cell(row=row, column=cols["benchmark"]).number_format = "@"
        _style(ws, (row, cols["weight"], row, cols["weight"]), "input")
        ws.cell(row=row, column=cols["weight"]).number_format = SCORE_FORMAT
        _style(ws, (row, cols["score"], row, cols["score"]), "input", fill=SCORE_FILL)
        ws.cell(row=row, column=cols["score"]).number_format = SCORE_FORMAT
        ws.cell(row=row, column=cols["score"]).value = f[layout.at("score", row)]
        _growable_row(ws, row)
    for g in layout.groups[1:]:  # a thicker line between the first-level blocks
        for col in range(1, len(cols) + 1):
            ws.cell(row=g.first_row, column=col).border = Border(
                left=THIN, right=THIN, top=MEDIUM, bottom=THIN
            )
    weight_col, score_col = cols["weight"], cols["score"]
    for srow in layout.summary_rows.values():
        _style(ws, (srow, 1, srow, weight_col - 1), "text")
        ws.cell(row=srow, column=cols["level1"]).value = f[layout.at("level1", srow)]
        for col, style in (
            (weight_col, "score"),
            (weight_col + 1, "text"),
            (score_col, "score"),
            (score_col + 1, "rate"),
        ):
            _style(ws, (srow, col, srow, col), style)
            ws.cell(row=srow, column=col).value = f.get(a1(srow, col), "")
    ws.row_dimensions[1].height = 30
    ws.row_dimensions[2].height = 28
    ws.row_dimensions[3].height = 32
    ws.row_dimensions[layout.header_row].height = 24
    first, last = layout.first_row, layout.last_row
    amounts = " ".join(layout.cell(n) for n in ("initial_budget", "annual_budget", "executed"))
    weight = layout.letter("weight")
    _decimal_validation(ws, f"{amounts} {weight}{first}:{weight}{last}", "金额或权重")


# --------------------------------------------------------------------------
# sheet-level settings
# --------------------------------------------------------------------------


def _widths(ws: Worksheet, widths: tuple[float, ...]) -> None:
    for i, width in enumerate(widths, 1):
        ws.column_dimensions[column_letter(i)].width = width


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


def protect(ws: Worksheet) -> None:
    """Sheet protection without a password: formulas are locked, input cells
    are not; rows may be inserted and deleted, rows and columns resized."""
    p = ws.protection
    p.sheet = True
    p.formatColumns = False
    p.formatRows = False
    p.formatCells = False
    p.insertRows = False
    p.deleteRows = False
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


def _settings_sheet(wb: Workbook, layout: Layout, profile: str) -> None:
    ws = wb.create_sheet(layout.settings_sheet or SETTINGS_SHEET)
    names = profiles.available()
    if profile not in names:
        profiles.load(profile)  # a path to a custom TOML is allowed; it must load
    prow, pcol = layout.settings["profile"]
    frow, fcol = layout.settings["form_id"]
    _style(ws, (prow, pcol - 1, prow, pcol - 1), "label")
    ws.cell(row=prow, column=pcol - 1).value = "评分规则"
    _style(ws, (prow, pcol, prow, pcol), "left")
    ws.cell(row=prow, column=pcol).value = profile
    ws.cell(row=prow, column=pcol).comment = Comment(
        "选择评分规则（rule profile）：mof2020 = 财政部 2020 默认规则；"
        "platform = 预算管理一体化平台规则（偏离扣分、执行率封顶）；"
        "futian2021 = 福田区 2021 部门评价规则。公式通过名称 PK_PROFILE 引用本单元格。",
        AUTHOR,
        width=300,
        height=160,
    )
    _style(ws, (frow, fcol - 1, frow, fcol - 1), "label")
    ws.cell(row=frow, column=fcol - 1).value = "模板版本"
    _style(ws, (frow, fcol, frow, fcol), "left_plain")
    ws.cell(row=frow, column=fcol).value = version_of(layout.kind)
    head = frow + 2
    _style(ws, (head, 1, head, 1), "label")
    ws.cell(row=head, column=1).value = "可选规则"
    for i, name in enumerate(names):
        _style(ws, (head + 1 + i, 1, head + 1 + i, 1), "left_plain")
        ws.cell(row=head + 1 + i, column=1).value = name
        _style(ws, (head + 1 + i, 2, head + 1 + i, 2), "left_plain")
        ws.cell(row=head + 1 + i, column=2).value = profiles.load(name).title
    notes_row = head + 2 + len(names)
    ws.cell(row=notes_row, column=1).value = "说明"
    ws.cell(row=notes_row, column=1).font = BOLD
    texts = (
        LEGEND,
        "本表使用 perfkit 加载项提供的函数（EXEC_RATE、EXEC_SCORE、PERF_SCORE、PERF_RULE、"
        "PERF_TOTAL、PERF_GRADE）。未安装加载项时显示的是 perfkit 保存时的计算结果；"
        "报送前可用 perfkit freeze 生成不依赖加载项的定稿文件。",
    )
    for i, text in enumerate(texts, 1):
        row = notes_row + i
        ws.merge_cells(a1_range(row, 1, row, 2))
        ws.cell(row=row, column=1).value = text
        ws.cell(row=row, column=1).font = SMALL
        ws.cell(row=row, column=1).alignment = LEFT
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
    dv.add(a1(prow, pcol))
    ws.add_data_validation(dv)
    protect(ws)


# --------------------------------------------------------------------------
# build
# --------------------------------------------------------------------------


def new_workbook(kind_or_layout: str | Layout, profile: str = profiles.DEFAULT_PROFILE) -> Workbook:
    """The template as an openpyxl workbook (not saved), drawn from a layout
    (a kind name gives the blank template's layout)."""
    layout = (
        kind_or_layout
        if isinstance(kind_or_layout, Layout)
        else template(resolve_kind(kind_or_layout))
    )
    wb = Workbook()
    ws = wb.active
    ws.title = layout.sheet
    ws.sheet_view.showGridLines = False
    if layout.kind == SELF_EVAL:
        _selfeval_sheet(ws, layout)
    else:
        _evaltable_sheet(ws, layout)
    _widths(ws, layout.widths)
    header = layout.header_row
    _print_setup(ws, f"{header}:{header}", landscape=layout.kind == EVAL_TABLE)
    protect(ws)
    _settings_sheet(wb, layout, profile)
    for name, ref in sorted(defined_names(layout).items()):
        wb.defined_names[name] = DefinedName(name, attr_text=ref)
    wb.active = 0
    wb.calculation.calcId = CALC_ID
    wb.calculation.fullCalcOnLoad = False
    props = wb.properties
    props.creator = AUTHOR
    props.lastModifiedBy = AUTHOR
    props.title = TITLES[layout.kind]
    props.subject = version_of(layout.kind)
    props.keywords = "预算绩效;perfkit"
    return wb


_CORE_TIMES = re.compile(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)")


def deterministic_bytes(wb: Workbook, cached: dict | None = None) -> bytes:
    """Save *wb* and re-pack the zip with fixed timestamps and a stable order;
    *cached*: sheet -> cell -> value, written as the formula cells' results."""
    raw = io.BytesIO()
    wb.save(raw)
    return repack(raw.getvalue(), cached)


def repack(data: bytes, cached: dict | None = None) -> bytes:
    """Same zip contents, fixed entry dates, fixed core.xml times, stable order
    (and cached results written into formula cells, see :mod:`.cached`)."""
    from .cached import sheet_parts, write_cached

    src = zipfile.ZipFile(io.BytesIO(data))
    names = src.namelist()
    parts = sheet_parts(src) if cached else {}

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
            sheet = parts.get(name)
            if sheet is not None and cached.get(sheet):
                payload = write_cached(payload, cached[sheet])
            info = zipfile.ZipInfo(name, date_time=FIXED_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            info.create_system = 0
            dst.writestr(info, payload, compress_type=zipfile.ZIP_DEFLATED, compresslevel=6)
    return out.getvalue()


def build_bytes(kind: str, profile: str = profiles.DEFAULT_PROFILE) -> bytes:
    from .cached import template_values

    layout = template(resolve_kind(kind))
    return deterministic_bytes(new_workbook(layout, profile), template_values(layout, profile))


def write_output(path: str | os.PathLike, data: bytes) -> Path:
    """Atomic write; the file gets the usual permissions."""
    return write_bytes_atomic(path, data)


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
    "formulas",
    "merged_spans",
    "new_workbook",
    "protect",
    "repack",
    "score_formula",
]
