"""复核清单.xlsx and the 复核工作底稿, written with XlsxWriter in the style of
汇总.xlsx (:mod:`perfkit.summarybook`: header style, number formats, A4
landscape one page wide, footer), marked as perfkit's output (``review``) so
that a later scan of the folder never reads them as forms.

复核清单.xlsx: 复核清单 (every form by risk, the sampled ones marked and
linked to their workpaper, the reasons in words), 风险分布 (a stacked column
chart of the risk scores, sampled and not, and a scatter of 自评总分 against
预算执行率 with the sampled forms as a second, red series), 抽样说明 (how the
sample was drawn, the seed, the risk formula), 图表数据, 无法读取 (when a file
could not be read).

复核工作底稿: a header (project, file, figures, risk and its reasons), then
一、逐项核对 (every check the rules can judge: cell, 表中数值, 按规则应为,
差异, 计算依据, the findings at that cell), 二、待人工复核 (rows the rules
cannot judge: a qualitative band, a written rule that derives no value,
nothing measured, unreadable), 三、其他校验结果; the columns 复核意见 and
调整后得分 and the reviewer's name, date and adjusted total are the only
unlocked cells of a protected sheet (no password).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from .fsutil import write_atomic
from .layout import TITLES
from .model import DEPARTMENT_FORM, DEPARTMENT_TITLE, EVAL_TABLE, FORM_NAMES
from .numbers import fmt
from .outputs import REVIEW
from .summarybook import (
    BLUE,
    CM,
    FOOTER,
    HEADER_STYLE,
    ROW_HEIGHT,
    open_workbook,
    print_setup,
    text_lines,
    write_table,
)
from .validate import CODES

RED = "#C00000"
INPUT_FILL = "#FFF2CC"  # the templates' input yellow
SAMPLED_FILL = "#FCE4D6"
SEVERITY_WORDS = {"error": "错误", "warning": "警告", "info": "提示"}


@dataclass(frozen=True)
class Info:
    """How the review was run (the 抽样说明 sheet, the workpapers' footnote, the letters)."""

    total: int
    unreadable: int
    sample: int
    riskiest: int
    drawn: int
    seed: int
    seed_given: bool
    sample_spec: str
    profile: str  # --profile, "" for each form's own

    @property
    def method(self) -> str:
        return (
            f"共 {self.total} 份表格，抽取 {self.sample} 份：风险分最高的 {self.riskiest} 份"
            f"（抽取数的一半，仅限风险分大于 0 的），其余 {self.drawn} 份从剩下的表格中随机抽取"
            f"（随机种子 {self.seed}）"
        )


def _num(value: Any) -> Any:
    return float(value) if isinstance(value, Decimal) else value


def _plain(value: Decimal) -> int | float:
    """10 for Decimal("10.0") (Excel shows the rule as typed), 7.5 for 7.5."""
    return int(value) if value == value.to_integral_value() else float(value)


# --------------------------------------------------------------------------
# 复核清单.xlsx
# --------------------------------------------------------------------------

LIST_COLUMNS = (
    ("rank", "排名", "int"),
    ("risk", "风险分", "score"),
    ("level", "风险等级", "text"),
    ("sampled", "抽取", "text"),
    ("unit", "单位", "text"),
    ("project", "项目名称", "text"),
    ("project_code", "项目编码", "text"),
    ("form", "表格", "text"),
    ("exec_rate", "执行率（%）", "pct"),
    ("claimed", "自评总分", "score"),
    ("recomputed", "复算总分", "score"),
    ("supported", "可支持总分", "score"),
    ("excess", "超额", "score"),
    ("inflation", "分数虚高（%）", "pct"),
    ("errors", "错误数", "int"),
    ("warnings", "警告数", "int"),
    ("manual", "待人工复核行数", "int"),
    ("reasons", "风险原因", "text"),
    ("workpaper", "复核工作底稿", "text"),
    ("file", "文件", "text"),
    ("sheet", "工作表", "text"),
)
LIST_WIDTHS = {
    "排名": 5,
    "风险分": 6,
    "风险等级": 5,
    "抽取": 8,
    "单位": 16,
    "项目名称": 18,
    "项目编码": 12,
    "表格": 8,  # 部门整体自评表 on two lines
    "风险原因": 60,
    "复核工作底稿": 22,
    "文件": 22,
    "工作表": 8,
}
BINS = tuple(range(0, 100, 10))  # 0–9.99, 10–19.99, …, 90–100


def list_row(r: Any) -> dict[str, Any]:
    """One row of the 复核清单 sheet (column id -> value)."""
    return {
        "rank": r.rank,
        "risk": r.risk.total,
        "level": r.risk.level,
        "sampled": r.sampled,
        "unit": r.unit,
        "project": r.project,
        "project_code": r.project_code,
        "form": r.form,
        "exec_rate": r.exec_rate,
        "claimed": r.claimed,
        "recomputed": r.recomputed,
        "supported": r.supported,
        "excess": r.excess,
        "inflation": r.inflation,
        "errors": r.errors,
        "warnings": r.warnings,
        "manual": r.manual,
        "reasons": r.risk.text,
        "workpaper": r.workpaper,
        "file": r.file,
        "sheet": r.sheet,
    }


def write_list(records: list, ranked: list, path: str | Path, info: Info) -> Path:
    """复核清单.xlsx for the *ranked* forms (and the unreadable files among
    *records*), atomically."""
    return write_atomic(path, lambda tmp: _write_list(records, ranked, tmp, info))


def _formats(wb) -> dict[str, Any]:
    from .summary import NUMBER_FORMATS

    formats = {
        kind: wb.add_format({"num_format": f, "valign": "top"})
        for kind, f in NUMBER_FORMATS.items()
    }
    formats["text"] = wb.add_format({"text_wrap": True, "valign": "top"})
    return formats


def _write_list(records: list, ranked: list, path: Path, info: Info) -> None:
    with open_workbook(path, REVIEW) as wb:
        header = wb.add_format(HEADER_STYLE)
        formats = _formats(wb)
        ids = [c for c, _, _ in LIST_COLUMNS]
        headers = [h for _, h, _ in LIST_COLUMNS]
        kinds = {h: k for _, h, k in LIST_COLUMNS}
        ws = wb.add_worksheet("复核清单")
        rows = [list_row(r) for r in ranked]
        write_table(
            ws,
            headers,
            [[_num(row[c]) for c in ids] for row in rows],
            kinds,
            LIST_WIDTHS,
            header,
            formats,
        )
        mark = wb.add_format({"bg_color": SAMPLED_FILL, "pattern": 1})
        col = ids.index("sampled")
        if rows:
            letter = _col_letter(col)
            ws.conditional_format(
                1,
                0,
                len(rows),
                len(ids) - 1,
                {"type": "formula", "criteria": f'=${letter}2<>""', "format": mark},
            )
        link = wb.add_format(
            {"font_color": BLUE, "underline": 1, "text_wrap": True, "valign": "top"}
        )
        wcol = ids.index("workpaper")
        for i, row in enumerate(rows, start=1):
            if row["workpaper"]:
                ws.write_url(
                    i,
                    wcol,
                    "external:" + row["workpaper"],
                    link,
                    string=row["workpaper"].split("/", 1)[-1],
                    tip="打开复核工作底稿",
                )
        _charts(wb, ranked, header, formats)
        _method_sheet(wb, info, header, formats)
        bad = [[r.file, r.read_error] for r in records if not r.readable]
        if bad:
            ws_bad = wb.add_worksheet("无法读取")
            write_table(
                ws_bad, ["文件", "原因"], bad, {}, {"文件": 40, "原因": 90}, header, formats
            )


def _col_letter(col: int) -> str:
    out = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        out = chr(65 + rem) + out
    return out


def risk_bins(ranked: list) -> list[tuple[str, int, int]]:
    """(label, sampled, not sampled) per ten points of risk."""
    out = []
    for low in BINS:
        high = low + 10
        inside = [
            r for r in ranked if low <= r.risk.total < high or (high == 100 and r.risk.total >= 100)
        ]
        label = f"{low}–{high}" if high < 100 else f"{low}–100"
        out.append(
            (label, sum(1 for r in inside if r.sampled), sum(1 for r in inside if not r.sampled))
        )
    return out


def _charts(wb, ranked: list, header, formats) -> None:
    ws = wb.add_worksheet("风险分布")
    bins = risk_bins(ranked)
    write_table(
        ws,
        ["风险分", "抽中", "未抽中"],
        [list(b) for b in bins],
        {"抽中": "int", "未抽中": "int"},
        {"风险分": 9, "抽中": 6, "未抽中": 7},
        header,
        formats,
    )
    ws.freeze_panes(1, 0)
    n = len(bins)
    bar = wb.add_chart({"type": "column", "subtype": "stacked"})
    for col, color in ((1, RED), (2, BLUE)):
        bar.add_series(
            {
                "name": ["风险分布", 0, col],
                "categories": ["风险分布", 1, 0, n, 0],
                "values": ["风险分布", 1, col, n, col],
                "fill": {"color": color},
                "border": {"color": color},
                "gap": 60,
            }
        )
    bar.set_title({"name": "风险分分布（表格份数）"})
    bar.set_x_axis({"name": "风险分"})
    bar.set_y_axis({"name": "表格数", "major_gridlines": {"visible": True}})
    bar.set_legend({"position": "bottom"})
    bar.set_size({"width": round(16 * CM), "height": round(9 * CM)})
    ws.insert_chart("E2", bar, {"object_position": 2})

    data = wb.add_worksheet("图表数据")
    heads = [
        "执行率（%）（未抽中）",
        "自评总分（未抽中）",
        "",
        "执行率（%）（抽中）",
        "自评总分（抽中）",
    ]
    for c, h in enumerate(heads):
        if h:
            data.write_string(0, c, h, header)
        data.set_column(c, c, 14 if h else 3, formats["score"])
    points = {False: [], True: []}
    for r in ranked:
        if r.exec_rate is not None and r.claimed is not None:
            points[bool(r.sampled)].append((float(r.exec_rate), float(r.claimed)))
    for sampled, base in ((False, 0), (True, 3)):
        for i, (x, y) in enumerate(points[sampled], start=1):
            data.write_number(i, base, x)
            data.write_number(i, base + 1, y)
    print_setup(data)
    scatter = wb.add_chart({"type": "scatter"})
    for sampled, base, name, color, shape, size in (
        (False, 0, "未抽中", BLUE, "circle", 5),
        (True, 3, "抽中复核", RED, "diamond", 8),
    ):
        last = max(len(points[sampled]), 1)
        scatter.add_series(
            {
                "name": name,
                "categories": ["图表数据", 1, base, last, base],
                "values": ["图表数据", 1, base + 1, last, base + 1],
                "marker": {
                    "type": shape,
                    "size": size,
                    "fill": {"color": color},
                    "border": {"color": color},
                },
            }
        )
    scatter.set_title({"name": "自评总分与预算执行率（红色：抽中复核）"})
    scatter.set_style(13)
    scatter.set_x_axis({"name": "预算执行率（%）", "major_gridlines": {"visible": True}})
    scatter.set_y_axis({"name": "自评总分"})
    scatter.set_legend({"position": "bottom"})
    scatter.set_size({"width": round(16 * CM), "height": round(10 * CM)})
    ws.insert_chart("E21", scatter, {"object_position": 2})
    print_setup(ws, pages_tall=1, gridlines=False)


def _method_sheet(wb, info: Info, header, formats) -> None:
    from .review import (
        EXCESS_CAP,
        EXCESS_POINTS,
        EXPLAIN_CAP,
        EXPLAIN_POINTS,
        FINDINGS_CAP,
        INFLATION_CAP,
        INFLATION_POINTS,
        PER_CODE,
        SEVERITY_POINTS,
    )

    ws = wb.add_worksheet("抽样说明")
    repeat = f"perfkit review … --sample {info.sample_spec} --seed {info.seed}" + (
        f" --profile {info.profile}" if info.profile else ""
    )
    rows = [
        ["复核表格数", f"{info.total} 份（无法读取的文件 {info.unreadable} 个，见“无法读取”）"],
        ["抽样", info.method],
        [
            "随机种子",
            f"{info.seed}"
            + ("（由 --seed 指定）" if info.seed_given else "（未指定 --seed，本次随机生成）"),
        ],
        ["复现同一抽样", f"{repeat}（同样的表格和种子得到同样的抽样结果）"],
        [
            "随机抽取的方法",
            "每份表格的随机数 = SHA-256（种子、相对于所给文件夹的路径、工作表），取随机数最小的若干份；"
            "与表格的读取顺序、计算机和 Python 版本无关",
        ],
        [
            "风险分",
            "风险分 = 问题分 + 超额分 + 虚高分 + 说明分（0–100）："
            f"问题分 = 每个校验代码 min(条数, {PER_CODE}) × 错误 {fmt(SEVERITY_POINTS['error'])} / "
            f"警告 {fmt(SEVERITY_POINTS['warning'])} 分，最高 {fmt(FINDINGS_CAP)}；"
            f"超额分 = {fmt(EXCESS_POINTS)} × (自评总分 − 可支持总分)，最高 {fmt(EXCESS_CAP)}；"
            f"虚高分 = 分数虚高超过阈值时 {fmt(INFLATION_POINTS)} × 其百分点数，最高 {fmt(INFLATION_CAP)}；"
            f"说明分 = {fmt(EXPLAIN_POINTS)} × 缺少偏差原因、扣分原因或超额说明的行数，最高 {fmt(EXPLAIN_CAP)}",
        ],
        [
            "可支持总分",
            "各行按评分规则计入的得分（与复算总分相同），但年度指标值为占位符的行、没有实测结果的行"
            "和没有预算的执行率得分不计；评分规则按执行率封顶时取上限",
        ],
        ["风险等级", "高：风险分 ≥ 30；中：10–30；低：< 10"],
        ["评分规则", info.profile or "各表 设置 页中的规则（默认 mof2020）"],
    ]
    write_table(ws, ["项目", "内容"], rows, {}, {"项目": 14, "内容": 110}, header, formats)


# --------------------------------------------------------------------------
# 复核工作底稿
# --------------------------------------------------------------------------

# the 校验代码 columns fit the longest code on one line
CODE_WIDTH = max(len(name) for name in CODES) + 3

# the workpaper's title by the kind of form (review.Reviewed.form)
_TITLES = {FORM_NAMES[kind]: title for kind, title in TITLES.items()}
_TITLES[DEPARTMENT_FORM] = DEPARTMENT_TITLE

WP_COLUMNS = (
    ("序号", 5),
    ("项目", 24),
    ("单元格", 11),
    ("表中数值", 9),
    ("按规则应为", 13),
    ("差异（表中−应为）", 9),
    ("计算依据", 30),
    ("校验代码", CODE_WIDTH),
    ("校验说明", 40),
    ("复核意见", 26),
    ("调整后得分", 9),
)
MANUAL_HEADERS = (
    "序号",
    "项目",
    "单元格",
    "表中数值",
    "规则给出的区间",
    "超出区间",
    "为何需人工复核",
    "校验代码",
    "校验说明",
    "复核意见",
    "调整后得分",
)
OTHER_HEADERS = (
    "序号",
    "严重程度",
    "单元格",
    "",
    "",
    "",
    "",
    "校验代码",
    "校验说明",
    "复核意见",
    "",
)
WRAPPED = (1, 6, 8)  # columns whose text wraps (项目, 计算依据, 校验说明)


@dataclass(frozen=True)
class WorkpaperJob:
    record: Any  # review.Reviewed, with its payload
    target: str
    info: Info


def write_workpaper_job(job: WorkpaperJob) -> str:
    """Write one workpaper atomically; "" or the Chinese reason it failed (a worker)."""
    from .errors import PerfkitError

    try:
        write_atomic(job.target, lambda tmp: write_workpaper(job.record, tmp, job.info))
    except PerfkitError as err:
        return f"未写出复核工作底稿 {job.target}：{err}"
    except Exception:
        return f"未写出复核工作底稿 {job.target}：程序内部错误，请把该表格报告给 perfkit 维护者"
    return ""


def write_workpaper(r: Any, path: str | Path, info: Info) -> None:
    """The 复核工作底稿 of the reviewed form *r* at *path* (not atomic).  The
    reviewed file's SHA-256 is printed in the footnote and kept in the
    document property ``perfkit.source``: which version of the file was reviewed."""
    from .outputs import sha256_file

    paper = r.workpaper_data()
    try:
        digest = sha256_file(r.file)
    except OSError:  # gone since it was read: the workpaper still stands
        digest = ""
    with open_workbook(path, REVIEW, r.file if digest else None) as wb:
        _Paper(wb, r, paper, info, digest).write()


class _Paper:
    def __init__(self, wb, r, paper, info: Info, digest: str = ""):
        self.wb, self.r, self.paper, self.info, self.digest = wb, r, paper, info, digest
        self.ws = wb.add_worksheet("复核工作底稿")
        f = wb.add_format
        base = {"valign": "top", "border": 1, "border_color": "#BFBFBF"}
        self.title = f({"bold": True, "font_size": 16, "align": "center", "valign": "vcenter"})
        self.section = f({"bold": True, "font_size": 12, "valign": "vcenter"})
        self.head = f(HEADER_STYLE)
        self.label = f({**base, "bold": True, "bg_color": "#D9E2F3", "pattern": 1})
        self.text = f({**base, "text_wrap": True})
        self.number = f({**base, "num_format": "0.00"})
        self.int = f({**base, "num_format": "0", "align": "center"})
        self.input = f(
            {**base, "locked": False, "bg_color": INPUT_FILL, "pattern": 1, "text_wrap": True}
        )
        self.input_number = f(
            {**base, "locked": False, "bg_color": INPUT_FILL, "pattern": 1, "num_format": "0.00"}
        )
        self.diff = f({**base, "num_format": "+0.00;-0.00;0", "font_color": RED, "bold": True})
        self.note = f({"italic": True, "font_color": "#595959", "text_wrap": True, "valign": "top"})
        self.row = 0

    # -- helpers ------------------------------------------------------------
    def value(self, r: int, c: int, value: Any, fmt_=None) -> None:
        value = _num(value)
        if value is None or value == "":
            self.ws.write_blank(r, c, None, fmt_ or self.text)
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            self.ws.write_number(r, c, value, fmt_ or self.number)
        else:
            self.ws.write_string(r, c, str(value), fmt_ or self.text)

    def pair(
        self, r: int, label: tuple[int, int], value: tuple[int, int], text: str, v: Any
    ) -> None:
        """A label over columns *label* (first, last) and its value over *value*."""
        for (first, last), fmt_ in ((label, self.label), (value, self.text)):
            if last > first:
                self.ws.merge_range(r, first, r, last, "", fmt_)
        self.ws.write_string(r, label[0], text, self.label)
        self.value(r, value[0], v)

    # -- parts --------------------------------------------------------------
    def write(self) -> None:
        ws = self.ws
        for c, (_, width) in enumerate(WP_COLUMNS):
            ws.set_column_pixels(c, c, round(width * 7))
        self._header()
        self._table(
            "一、逐项核对（评分规则可以判断的项目）",
            [h for h, _ in WP_COLUMNS],
            self.paper.checks,
        )
        self._table(
            "二、待人工复核（评分规则无法判断：定性指标的档次、无法按书面标准计算、未测量、无法识别）",
            list(MANUAL_HEADERS),
            self.paper.manual,
            empty="（无：每一行都可按评分规则核对）",
        )
        self._others()
        self._footnote()
        ws.protect(
            "",
            {
                "format_columns": True,
                "format_rows": True,
                "select_locked_cells": True,
                "select_unlocked_cells": True,
            },
        )
        print_setup(ws, gridlines=False)  # the tables have their own borders
        ws.set_footer(FOOTER)

    def _header(self) -> None:
        r, ws, info = self.r, self.ws, self.info
        kind = _TITLES.get(r.form, TITLES[EVAL_TABLE])
        ws.merge_range(0, 0, 0, len(WP_COLUMNS) - 1, f"{kind}复核工作底稿", self.title)
        ws.set_row(0, 30)
        sampled = (
            f"{r.sampled}（随机种子 {info.seed}）" if r.sampled == "随机抽取" else r.sampled
        ) or "未抽中"
        diff = f"（差异 {fmt(r.difference)}）" if r.difference else ""
        lines = [
            (("项目名称", r.project), ("单位", r.unit), ("风险排名", f"{r.rank} / {info.total}")),
            (("项目编码", r.project_code), ("年度", r.year), ("风险分", r.risk.total)),
            (("文件", r.file), ("工作表", r.sheet), ("风险等级", r.risk.level)),
            (("评分规则", r.profile), ("抽取方式", sampled), ("待人工复核", f"{r.manual} 行")),
            (
                ("自评总分", r.claimed),
                (
                    "复算总分",
                    f"{fmt(r.recomputed)}{diff}" if r.recomputed is not None else "无法复算",
                ),
                ("可支持总分", r.supported),
            ),
            (
                ("预算执行率（%）", r.exec_rate),
                ("分数虚高（%）", r.inflation),
                ("超额", r.excess),
            ),
        ]
        row = 2
        for (l1, v1), (l2, v2), (l3, v3) in lines:
            self.pair(row, (0, 1), (2, 5), l1, v1)
            self.pair(row, (6, 6), (7, 8), l2, v2)
            self.pair(row, (9, 9), (10, 10), l3, v3)
            row += 1
        self.pair(row, (0, 1), (2, len(WP_COLUMNS) - 1), "风险原因", r.risk.text)
        ws.set_row(row, ROW_HEIGHT * min(text_lines(r.risk.text, 150) + 1, 10))
        row += 1
        ws.merge_range(row, 0, row, 1, "复核人", self.label)
        ws.merge_range(row, 2, row, 5, "", self.input)
        ws.write_string(row, 6, "复核日期", self.label)
        ws.merge_range(row, 7, row, 8, "", self.input)
        ws.write_string(row, 9, "复核后总分", self.label)
        ws.write_blank(row, 10, None, self.input_number)
        self.row = row + 2

    def _table(self, title: str, headers: list[str], lines: list, empty: str = "") -> None:
        ws, row = self.ws, self.row
        ws.merge_range(row, 0, row, len(headers) - 1, title, self.section)
        ws.set_row(row, 20)
        row += 1
        for c, h in enumerate(headers):
            ws.write_string(row, c, h, self.head)
        ws.set_row(row, 30)
        row += 1
        if not lines and empty:
            ws.merge_range(row, 0, row, len(headers) - 1, empty, self.text)
            row += 1
        for i, line in enumerate(lines, start=1):
            values = [
                i,
                line.item,
                line.cell,
                line.shown,
                line.expected,
                line.difference,
                line.how,
                "、".join(dict.fromkeys(line.codes)),
                "\n".join(line.messages),
            ]
            for c, v in enumerate(values):
                fmt_ = self.int if c == 0 else None
                if c == 5 and isinstance(v, Decimal) and v != 0:
                    fmt_ = self.diff
                self.value(row, c, v, fmt_)
            ws.write_blank(row, 9, None, self.input)
            ws.write_blank(row, 10, None, self.input_number)
            if line.weight is not None and line.weight > 0:
                ws.data_validation(
                    row,
                    10,
                    row,
                    10,
                    {
                        "validate": "decimal",
                        "criteria": "between",
                        "minimum": 0,
                        "maximum": _plain(line.weight),
                        "error_title": "调整后得分",
                        "error_message": f"调整后得分应在 0 与分值 {fmt(line.weight)} 之间",
                    },
                )
            self._height(row, values)
            row += 1
        self.row = row + 1

    def _height(self, row: int, values: list) -> None:
        lines = 1
        for c in WRAPPED:
            v = values[c] if c < len(values) else None
            if isinstance(v, str) and v:
                lines = max(lines, text_lines(v, WP_COLUMNS[c][1]))
        if lines > 1:
            self.ws.set_row(row, ROW_HEIGHT * min(lines, 12))

    def _others(self) -> None:
        ws, row = self.ws, self.row
        others = self.paper.others
        ws.merge_range(
            row,
            0,
            row,
            len(WP_COLUMNS) - 1,
            "三、其他校验结果（不属于上列各行的单元格）",
            self.section,
        )
        ws.set_row(row, 20)
        row += 1
        for c, h in enumerate(OTHER_HEADERS):
            if h:
                ws.write_string(row, c, h, self.head)
        ws.merge_range(row, 3, row, 6, "", self.head)
        ws.set_row(row, 30)
        row += 1
        if not others:
            ws.merge_range(row, 0, row, len(WP_COLUMNS) - 1, "（无）", self.text)
            row += 1
        for i, (severity, where, code, message) in enumerate(others, start=1):
            self.value(row, 0, i, self.int)
            self.value(row, 1, SEVERITY_WORDS.get(severity, severity))
            self.value(row, 2, where)
            ws.merge_range(row, 3, row, 6, "", self.text)
            self.value(row, 7, code)
            self.value(row, 8, message)
            ws.write_blank(row, 9, None, self.input)
            ws.write_blank(row, 10, None, self.text)
            self._height(row, ["", "", "", "", "", "", "", "", message])
            row += 1
        self.row = row + 1

    def _footnote(self) -> None:
        text = (
            f"说明：表中数值取自被复核的表格；按规则应为、差异和校验结果由 perfkit 按评分规则“{self.r.profile}”计算"
            "（差异 = 表中数值 − 按规则应为）。黄色单元格由复核人填写：复核意见、调整后得分（在 0 与该行分值之间）。"
            f"{self.info.method}。工作表已保护（无密码），仅黄色单元格可编辑。"
            + (f"被复核文件的 SHA-256：{self.digest}。" if self.digest else "")
        )
        ws, row = self.ws, self.row
        ws.merge_range(row, 0, row, len(WP_COLUMNS) - 1, text, self.note)
        ws.set_row(row, ROW_HEIGHT * 3)


__all__ = [
    "Info",
    "WorkpaperJob",
    "list_row",
    "risk_bins",
    "write_list",
    "write_workpaper",
    "write_workpaper_job",
]
