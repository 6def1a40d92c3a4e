"""Draft 绩效评价报告 (.docx) from an evaluation table, structured like the
福田区 2021 report (seed 004): title, 一、项目概况 (表1-1, 表1-2),
二、绩效评价结论和分析 (表2-1, 表2-2, grade with the profile's bands, a
sentence for every indicator that lost points), 三、取得的成效 (left to the
evaluator), 四、存在的问题 (validator findings and lost points),
五、相关建议和整改措施.

Every number in the text comes from the tables and the scoring engine; text the
evaluator must still write is marked 【待补充】.
"""

from __future__ import annotations

import datetime as _dt
import io
import os
import re
from decimal import Decimal
from pathlib import Path

from .errors import UsageError
from .fsutil import check_outputs, write_atomic
from .model import EVAL_TABLE, SELF_EVAL, EvalIndicator, EvalTable, SelfEvalForm
from .numbers import HUNDRED, WAN, ZERO, fmt, round2
from .outputs import REPORT, mark_bytes
from .summary import _dec, _text

BODY_FONT = "仿宋"
HEADING_FONT = "黑体"
TABLE_FONT = "宋体"
TITLE_FONT = "宋体"
PLACEHOLDER = "【待补充】"
CN_NUMS = "一二三四五六七八九十"


# --------------------------------------------------------------------------
# Numbers and words
# --------------------------------------------------------------------------


def _wan(value: Decimal | None) -> str:
    """Amount in 万元 as the report writes it: 182.2, 175, 180.57."""
    if value is None:
        return "—"
    return fmt(value)


def _pct(value: Decimal | None) -> str:
    return "—" if value is None else f"{fmt(value)}%"


def _pts(value: Decimal | None) -> str:
    return fmt(value)


def band_text(profile) -> str:
    """「90 分（含）以上为优，80（含）-90 分为良，60（含）-80 分为中，60 分以下为差」"""
    bands = list(profile.grade_bands)
    parts = []
    upper = None
    for threshold, label in bands:
        if upper is None:
            parts.append(f"{fmt(threshold)} 分（含）以上为{label}")
        else:
            parts.append(f"{fmt(threshold)}（含）-{fmt(upper)} 分为{label}")
        upper = threshold
    if upper is not None:
        parts.append(f"{fmt(upper)} 分以下为{profile.grade_below}")
    return "，".join(parts)


def _project(name: str) -> str:
    name = name or "（项目名称未填写）"
    return name if name.endswith("项目") else f"{name}项目"


# --------------------------------------------------------------------------
# Scores of the evaluation table
# --------------------------------------------------------------------------


def _safe(func, *args):
    """A figure for the text, or None when the inputs give none."""
    from .errors import PerfkitError

    try:
        return func(*args)
    except PerfkitError:
        return None


class Block:
    """One first-level block of 表2-1: its rows as the assessment counts them."""

    def __init__(self, label: str, declared: Decimal | None):
        self.label = label
        self.declared = declared
        self.rows: list[tuple[EvalIndicator, Decimal | None]] = []
        self.results: list = []  # the RowResult of each row

    @property
    def weight(self) -> Decimal:
        if self.declared is not None:
            return self.declared
        return sum((_dec(i.weight) or ZERO for i, _ in self.rows), ZERO)

    @property
    def score(self) -> Decimal:
        return round2(sum((s or ZERO for _, s in self.rows), ZERO))

    @property
    def rate(self) -> Decimal | None:
        w = self.weight
        return round2(self.score / w * HUNDRED) if w else None

    def level2s(self) -> list[str]:
        return list(dict.fromkeys(_text(i.level2) for i, _ in self.rows if _text(i.level2)))


def blocks_of(table: EvalTable, assessment) -> list[Block]:
    """The first-level blocks of *table*, each row scored as its assessment
    counts it (the same figure the summary recomputes)."""
    blocks: dict[str, Block] = {}
    for result in assessment.rows:
        ind = result.ind
        label = (ind.level1 or "").strip() or "其他"
        if label not in blocks:
            blocks[label] = Block(label, _dec(table.level1_weights.get(label)))
        blocks[label].rows.append((ind, result.counted))
        blocks[label].results.append(result)
    return list(blocks.values())


_RESTATED = re.compile(r"^(?:酌情|经评价|评价组)?\s*扣\s*[\d.]+\s*分$")


def lost_points_reason(ind: EvalIndicator, score: Decimal, table: EvalTable, result=None) -> str:
    """Why an indicator lost points, from its numbers, its rule and the
    evaluator's reason (never a reason that only restates the deduction)."""
    from . import scoring

    reason = _text(ind.deduction_reason).rstrip("。；;，, ")
    if result is not None and result.exec_row:
        annual, executed = _dec(table.annual_budget), _dec(table.executed)
        rate = _safe(scoring.exec_rate_pct, executed, annual)
        if rate is not None:
            text = f"全年预算数 {_wan(annual)} 万元，实际支出 {_wan(executed)} 万元，预算执行率 {_pct(rate)}"
            rule = _text(getattr(ind, "rule", None)).rstrip("。；;，, ")
            if rule:
                return f"{text}，评分标准为“{rule}”"
            return f"{text}，按本报告评分规则的执行率算法计分"
    parts = []
    if reason and not _RESTATED.match(reason):
        return reason
    bench, actual = _text(ind.benchmark), _text(ind.actual)
    if bench:
        parts.append(f"标杆值为“{bench}”")
    parts.append(f"实际值为“{actual}”" if actual else "未填写实际值")
    state = getattr(result.score, "state", None) if result is not None else None
    if state is not None and str(state) == "underivable":
        parts.append("评分标准无法按实际值计算，由评价人酌情评分")
    elif result is not None and result.score is not None and result.score.how:
        parts.append(f"按{result.score.how}计分")
    return "，".join(parts)


def lost_points_sentence(ind: EvalIndicator, score: Decimal, table: EvalTable, result=None) -> str:
    """One paragraph of 二（三）: the indicator, its weight, the score the
    rules give (and the one the table submitted, when it differs), why."""
    weight = _dec(ind.weight) or ZERO
    lost = round2(weight - score)
    desc = _text(ind.description).rstrip("。；;，, ")
    head = f"{_text(ind.level3)}指标"
    head += (
        f"用以{desc.removeprefix('用以')}。"
        if desc and not desc.startswith(("考察", "考核"))
        else (f"{desc}。" if desc else "。")
    )
    reason = lost_points_reason(ind, score, table, result)
    submitted = result.submitted if result is not None else None
    typed = (
        f"（评分表填报 {_pts(submitted)} 分）"
        if isinstance(submitted, Decimal) and submitted != score
        else ""
    )
    return (
        f"{head}该指标分值为 {_pts(weight)} 分，评价得分为 {_pts(score)} 分{typed}。"
        f"扣分原因是{reason}，扣 {_pts(lost)} 分。"
    )


def _lost(block: Block) -> list[tuple[EvalIndicator, Decimal, object]]:
    out = []
    for (ind, score), result in zip(block.rows, block.results, strict=True):
        weight = _dec(ind.weight)
        if score is not None and weight is not None and score < weight:
            out.append((ind, score, result))
    return out


# --------------------------------------------------------------------------
# docx helpers
# --------------------------------------------------------------------------


def _set_font(target, east: str, size_pt: float | None = None, bold: bool | None = None) -> None:
    """Set the Latin and East Asian font of a run or a style."""
    from docx.oxml.ns import qn
    from docx.shared import Pt

    font = target.font
    font.name = "Times New Roman"
    if size_pt is not None:
        font.size = Pt(size_pt)
    if bold is not None:
        font.bold = bold
    rpr = (
        target.element.get_or_add_rPr()
        if hasattr(target.element, "get_or_add_rPr")
        else target._element.get_or_add_rPr()
    )
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, rfonts)
    rfonts.set(qn("w:eastAsia"), east)
    rfonts.set(qn("w:ascii"), "Times New Roman")
    rfonts.set(qn("w:hAnsi"), "Times New Roman")


class _Writer:
    def __init__(self):
        from docx import Document
        from docx.enum.text import WD_LINE_SPACING
        from docx.shared import Cm, Pt

        self.doc = Document()
        section = self.doc.sections[0]
        section.page_width, section.page_height = Cm(21), Cm(29.7)
        section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
        section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
        normal = self.doc.styles["Normal"]
        _set_font(normal, BODY_FONT, 16)
        pf = normal.paragraph_format
        pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        pf.line_spacing = Pt(28)
        pf.space_before = pf.space_after = Pt(0)
        for name, east, size in (
            ("Heading 1", HEADING_FONT, 16),
            ("Heading 2", "楷体", 16),
            ("Title", TITLE_FONT, 22),
        ):
            style = self.doc.styles[name]
            _set_font(style, east, size, bold=name != "Heading 2")
            style.font.color.rgb = None
            style.paragraph_format.space_before = Pt(6)
            style.paragraph_format.space_after = Pt(6)
            style.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
            style.paragraph_format.line_spacing = Pt(32 if name == "Title" else 28)
        self.doc.styles["Title"].paragraph_format.space_after = Pt(18)
        self._table_no = 0

    def title(self, text: str) -> None:
        from docx.enum.text import WD_ALIGN_PARAGRAPH

        p = self.doc.add_paragraph(style="Title")
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        # The built-in Title style draws a bottom border in Word; remove it.
        ppr = p.style.element.pPr
        if ppr is not None:
            from docx.oxml.ns import qn

            for border in ppr.findall(qn("w:pBdr")):
                ppr.remove(border)
        run = p.add_run(text)
        _set_font(run, TITLE_FONT, 22, bold=True)

    def heading(self, text: str, level: int = 1) -> None:
        p = self.doc.add_heading(level=level)
        run = p.add_run(text)
        _set_font(run, HEADING_FONT if level == 1 else "楷体", 16, bold=level == 1)
        p.paragraph_format.first_line_indent = self._indent()

    def _indent(self):
        from docx.shared import Pt

        return Pt(32)

    def para(
        self, text: str, indent: bool = True, center: bool = False, bold: bool = False
    ) -> None:
        from docx.enum.text import WD_ALIGN_PARAGRAPH

        p = self.doc.add_paragraph()
        if bold:  # a run-in sub-heading: keep it with what it introduces
            p.paragraph_format.keep_with_next = True
        if indent and not center:
            p.paragraph_format.first_line_indent = self._indent()
        if center:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        # Placeholders in a different colour so the evaluator sees them.
        pieces = text.split(PLACEHOLDER)
        for i, piece in enumerate(pieces):
            if piece:
                run = p.add_run(piece)
                _set_font(run, BODY_FONT, 16, bold=bold or None)
            if i < len(pieces) - 1:
                run = p.add_run(PLACEHOLDER)
                _set_font(run, BODY_FONT, 16, bold=True)
                from docx.shared import RGBColor

                run.font.color.rgb = RGBColor(0xC0, 0x00, 0x00)

    def caption(self, text: str) -> str:
        from docx.enum.text import WD_ALIGN_PARAGRAPH

        self._table_no += 1
        p = self.doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.keep_with_next = True
        run = p.add_run(text)
        _set_font(run, HEADING_FONT, 12, bold=False)
        return text

    def note_right(self, text: str) -> None:
        from docx.enum.text import WD_ALIGN_PARAGRAPH

        p = self.doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        p.paragraph_format.keep_with_next = True
        run = p.add_run(text)
        _set_font(run, TABLE_FONT, 10.5)

    def table(
        self,
        header: list[str],
        rows: list[list[str]],
        widths_cm: list[float],
        merge_columns: tuple[int, ...] = (),
        bold_rows: tuple[int, ...] = (),
        numeric_from: int | None = None,
    ):
        from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
        from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn
        from docx.shared import Cm, Pt

        t = self.doc.add_table(rows=1 + len(rows), cols=len(header))
        t.style = "Table Grid"
        t.alignment = WD_TABLE_ALIGNMENT.CENTER
        t.autofit = False
        all_rows = [header, *rows]
        for r, values in enumerate(all_rows):
            row = t.rows[r]
            if r == 0:
                trpr = row._tr.get_or_add_trPr()
                el = OxmlElement("w:tblHeader")
                el.set(qn("w:val"), "true")
                trpr.append(el)
            for c, value in enumerate(values):
                cell = row.cells[c]
                cell.width = Cm(widths_cm[c])
                cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
                p = cell.paragraphs[0]
                p.paragraph_format.first_line_indent = Pt(0)
                p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
                p.paragraph_format.space_before = p.paragraph_format.space_after = Pt(1)
                # Centred throughout; only long running text reads better flush left.
                long_text = len(str(value)) > 24 and not (
                    numeric_from is not None and c >= numeric_from
                )
                p.alignment = (
                    WD_ALIGN_PARAGRAPH.LEFT if long_text and r else WD_ALIGN_PARAGRAPH.CENTER
                )
                run = p.add_run(str(value))
                _set_font(run, HEADING_FONT if r == 0 else TABLE_FONT, 10.5, bold=None)
                if r == 0:
                    shd = OxmlElement("w:shd")
                    shd.set(qn("w:val"), "clear")
                    shd.set(qn("w:color"), "auto")
                    shd.set(qn("w:fill"), "D9E2F3")
                    cell._tc.get_or_add_tcPr().append(shd)
                if r - 1 in bold_rows and r > 0:
                    run.font.bold = True
        for c, w in enumerate(widths_cm):
            t.columns[c].width = Cm(w)
        # Merge equal neighbours down the first columns (一级 / 二级 labels).
        for c in merge_columns:
            start = 1
            for r in range(2, len(all_rows) + 1):
                same = (
                    r < len(all_rows)
                    and all_rows[r][c] == all_rows[start][c]
                    and all_rows[r][c] != ""
                )
                if c > 0 and same:
                    same = all(all_rows[r][k] == all_rows[start][k] for k in merge_columns if k < c)
                if not same:
                    if r - 1 > start:
                        text = all_rows[start][c]
                        merged = t.cell(start, c).merge(t.cell(r - 1, c))
                        for p in merged.paragraphs[1:]:
                            p._element.getparent().remove(p._element)
                        merged.paragraphs[0].runs[0].text = text
                        for extra in merged.paragraphs[0].runs[1:]:
                            extra.text = ""
                    start = r
        self.doc.add_paragraph()
        return t


# --------------------------------------------------------------------------
# The report
# --------------------------------------------------------------------------


def build_report(
    table: EvalTable,
    selfeval: SelfEvalForm | None = None,
    profile=None,
    findings: list | None = None,
    selfeval_findings: list | None = None,
    today: _dt.date | None = None,
):
    """The report as a python-docx Document."""
    from . import scoring
    from .assess import assess
    from .profiles import load

    if profile is None or isinstance(profile, str):
        profile = load(profile or table.profile or None)
    w = _Writer()
    year = _text(table.year) or (_text(selfeval.year) if selfeval else "") or "____"
    unit = _text(table.unit) or (_text(selfeval.unit) if selfeval else "") or "（被评价单位）"
    project = _project(
        _text(table.project_name) or (_text(selfeval.project_name) if selfeval else "")
    )

    initial, annual, executed = (
        _dec(table.initial_budget),
        _dec(table.annual_budget),
        _dec(table.executed),
    )
    if annual is None and selfeval is not None:
        fund = selfeval.funds.get("total")
        if fund is not None:
            initial, annual, executed = (
                _div(_dec(fund.initial_budget)),
                _div(_dec(fund.annual_budget)),
                _div(_dec(fund.executed)),
            )
    rate = _safe(scoring.exec_rate_pct, executed, annual)

    assessment = assess(table, profile)
    blocks = blocks_of(table, assessment)
    all_rows = [r for b in blocks for r in b.rows]
    total_weight = sum((_dec(i.weight) or ZERO for i, _ in all_rows), ZERO)
    total = assessment.raw_total
    capped = assessment.recomputed
    grade = assessment.grade or PLACEHOLDER

    # Title page block
    w.title(f"{year} 年度{project}绩效评价报告")
    w.para(f"项目名称：{project}", indent=False)
    w.para(f"被评价单位：{unit}", indent=False)
    when = _text(getattr(table, "date", None)) or (
        f"{today.year}年{today.month}月" if today is not None else PLACEHOLDER
    )
    w.para(f"评价时间：{when}", indent=False)
    w.para("")
    w.para(
        "为强化绩效管理责任，提高财政资源配置效率和使用效益，根据《中共中央 国务院关于全面实施预算绩效管理的意见》"
        "（中发〔2018〕34号）、《项目支出绩效评价管理办法》（财预〔2020〕10号）等文件有关要求，"
        f"对{unit}“{project.removesuffix('项目')}”项目开展的决策、过程、产出和效益进行客观、公正的评价，"
        f"综合分析形成绩效评价报告。本报告评分规则：{profile.title}。具体评价情况如下："
    )

    # 一、项目概况
    w.heading("一、项目概况")
    w.heading("（一）项目背景", 2)
    w.para(f"{PLACEHOLDER}（单位主要职能、项目设立依据和主要内容。）")
    w.heading("（二）项目资金管理情况", 2)
    w.para(
        f"{year} 年{unit}{project}年初预算为 {_wan(initial)} 万元，全年预算数 {_wan(annual)} 万元，"
        f"实际支出 {_wan(executed)} 万元，预算执行率为 {_pct(rate)}。"
    )
    w.caption(f"表 1-1 {year} 年度{project}资金使用情况表")
    w.note_right("单位：万元")
    fund_rows = [["年度资金总额", _wan(initial), _wan(annual), _wan(executed), _pct(rate)]]
    if selfeval is not None:
        from .model import FUND_LABELS

        for key in ("fiscal", "carryover", "other"):
            fund = selfeval.funds.get(key)
            if fund is None:
                continue
            a, b, c = (
                _div(_dec(fund.initial_budget)),
                _div(_dec(fund.annual_budget)),
                _div(_dec(fund.executed)),
            )
            if not any(v for v in (a, b, c)):
                continue
            fund_rows.append(
                [
                    FUND_LABELS[key],
                    _wan(a),
                    _wan(b),
                    _wan(c),
                    _pct(_safe(scoring.exec_rate_pct, c, b)),
                ]
            )
    w.table(
        ["项目资金", "年初预算数", "全年预算数", "全年执行数", "执行率"],
        fund_rows,
        [4.2, 2.8, 2.8, 2.8, 2.6],
        numeric_from=1,
    )

    w.heading("（三）项目绩效目标及实现情况", 2)
    self_total = None
    if selfeval is not None:
        self_total = _self_eval_section(w, selfeval, profile, year, project)
    else:
        w.para("未提供项目支出绩效自评表，表 1-2 从略。" + PLACEHOLDER)

    # 二、结论
    w.heading("二、项目绩效评价结论和分析")
    n = 1
    if selfeval is not None:
        w.heading(f"（{CN_NUMS[n - 1]}）绩效自评开展及结果", 2)
        n += 1
        self_profile = load(selfeval.profile or None)
        engine_total, form_total = self_total
        text = (
            f"{year} 年{_text(selfeval.unit) or unit}开展了{project}自评工作，"
            f"并填报了《{year} 年项目支出绩效自评表》。"
        )
        if engine_total is None:
            text += f"自评表部分指标无法复核（{PLACEHOLDER}）。"
        elif form_total is not None and abs(form_total - engine_total) > self_profile.tol_error:
            text += (
                f"自评表填报总分为 {_pts(form_total)} 分，按评分规则复核为 {_pts(engine_total)} 分，"
                "二者不一致，详见“存在的问题”。"
            )
        else:
            text += f"总体自评得分为 {_pts(engine_total)} 分，绩效等级为“{scoring.grade(engine_total, self_profile)}”。"
        w.para(text)
    w.heading(f"（{CN_NUMS[n - 1]}）项目绩效评价结论", 2)
    n += 1
    conclusion = (
        f"本次绩效评价从{'、'.join(b.label for b in blocks) or '决策、过程、产出和效益'}"
        f"{len(blocks) and CN_NUMS[len(blocks) - 1]}个方面展开评价。"
        f"综合评定项目得分为 {_pts(capped)} 分，绩效等级为“{grade}”"
        f"（{band_text(profile)}）。具体评分情况详见表 2-1。"
    )
    if capped is not None and total is not None and capped != total:
        conclusion += f"指标得分合计 {_pts(total)} 分，因预算执行率为 {_pct(rate)}，按评分规则总分不超过 {_pts(capped)} 分。"
    if capped is None:
        conclusion += f"{assessment.missing_text()}，总分待补充。{PLACEHOLDER}"
    submitted = assessment.submitted
    if isinstance(submitted, Decimal) and capped is not None and submitted != capped:
        conclusion += (
            f"评分表填报的合计为 {_pts(submitted)} 分，按评分标准复核为 {_pts(capped)} 分，"
            "差异见“存在的问题”。"
        )
    w.para(conclusion)

    w.caption("表 2-1 绩效评价指标体系得分表")
    rows21 = []
    for block in blocks:
        label = f"{block.label}（{_pts(block.weight)}分）"
        for ind, score in block.rows:
            rows21.append(
                [
                    label,
                    _text(ind.level2),
                    _text(ind.level3),
                    _text(ind.benchmark),
                    f"{_pts(_dec(ind.weight))}分",
                    _pts(score),
                ]
            )
    rows21.append(["合计", "", "", "", f"{_pts(total_weight)}分", _pts(capped)])
    t21 = w.table(
        ["一级指标", "二级指标", "三级指标", "标杆值", "权重", "得分"],
        rows21,
        [3.0, 2.5, 5.0, 2.0, 1.5, 1.6],
        merge_columns=(0, 1),
        bold_rows=(len(rows21) - 1,),
        numeric_from=4,
    )
    _merge_label(t21.rows[-1], 3, "合计")

    w.caption("表 2-2 一级指标得分情况")
    rows22 = [[b.label, _pts(b.weight), _pts(b.score), _pct(b.rate)] for b in blocks]
    rows22.append(
        [
            "合计",
            _pts(total_weight),
            _pts(capped),
            _pct(round2(capped / total_weight * HUNDRED) if total_weight else None),
        ]
    )
    w.table(
        ["一级指标", "权重（分）", "得分（分）", "得分率"],
        rows22,
        [4.6, 3, 3, 3],
        bold_rows=(len(rows22) - 1,),
        numeric_from=1,
    )

    w.heading(f"（{CN_NUMS[n - 1]}）项目绩效分析", 2)
    for i, block in enumerate(blocks, start=1):
        w.para(f"{i}. 从{block.label}角度分析", bold=True)
        level2 = block.level2s()
        aspects = f"从{'、'.join(level2)}{_cn_count(len(level2))}个方面" if level2 else ""
        block_grade = scoring.grade(block.rate, profile) if block.rate is not None else "—"
        w.para(
            f"该指标{aspects}对{_subject(block.label)}情况进行评价，共涉及 {len(block.rows)} 个三级指标。"
            f"满分 {_pts(block.weight)} 分，评价得分 {_pts(block.score)} 分，得分率 {_pct(block.rate)}，"
            f"总体表现为“{block_grade}”。"
        )
        lost = _lost(block)
        if not lost:
            w.para("该部分各三级指标均得满分。")
        for k, (ind, score, result) in enumerate(lost, start=1):
            w.para(f"（{k}）{lost_points_sentence(ind, score, table, result)}")
        unscored = [ind for ind, s in block.rows if s is None]
        for ind in unscored:
            w.para(f"{_text(ind.level3)}指标尚未评分（缺少实际值或得分）。{PLACEHOLDER}")

    # 三、成效
    w.heading("三、取得的成效")
    w.para(f"{PLACEHOLDER}（项目实施取得的主要成效。）")

    # 四、问题
    w.heading("四、存在的问题")
    problems = _problems(blocks, findings, selfeval_findings)
    if not problems:
        w.para("经对评分表和自评表校验，未发现填报错误；各项指标均得满分。")
    for k, (title, lines) in enumerate(problems, start=1):
        w.heading(f"（{CN_NUMS[k - 1] if k <= 10 else k}）{title}", 2)
        for line in lines:
            w.para(line)

    # 五、建议
    w.heading("五、相关建议和整改措施")
    lost_all = [item for b in blocks for item in _lost(b)]
    if lost_all:
        for k, (ind, _, _r) in enumerate(lost_all, start=1):
            w.para(f"{k}. 针对“{_text(ind.level3)}”失分的情况，{PLACEHOLDER}（提出改进措施）。")
    else:
        w.para(PLACEHOLDER)
    if findings or selfeval_findings:
        w.para("对表格填报中发现的问题，建议被评价单位核对相关单元格后更正并重新校验。")
    return w.doc


def _cn_count(n: int) -> str:
    if n == 2:
        return "两"
    return CN_NUMS[n - 1] if 1 <= n <= 10 else str(n)


def _merge_label(row, last: int, text: str) -> None:
    """Merge cells 0..last of a table row into one labelled cell."""
    cell = row.cells[0].merge(row.cells[last])
    for p in cell.paragraphs[1:]:
        p._element.getparent().remove(p._element)
    runs = cell.paragraphs[0].runs
    runs[0].text = text
    for extra in runs[1:]:
        extra._element.getparent().remove(extra._element)


def _subject(label: str) -> str:
    return label if label.startswith("项目") else f"项目{label}"


def _div(value: Decimal | None) -> Decimal | None:
    """元 -> 万元."""
    return None if value is None else value / WAN


SEVERITY_TITLES = {"error": "表格填报错误", "warning": "需要关注的填报问题"}


def _finding_line(k: int, f) -> str:
    where = (
        f"（{f.sheet} {f.cell}）"
        if getattr(f, "cell", "")
        else (f"（{f.sheet}）" if f.sheet else "")
    )
    message = str(f.message).rstrip("。")
    return f"{k}. {message}{where}。"


def _problems(blocks: list[Block], findings, selfeval_findings) -> list[tuple[str, list[str]]]:
    out: list[tuple[str, list[str]]] = []
    lost = [(ind, s) for b in blocks for ind, s, _r in _lost(b)]
    if lost:
        lines = []
        for k, (ind, score) in enumerate(lost, start=1):
            weight = _dec(ind.weight) or ZERO
            lines.append(
                f"{k}. {_text(ind.level3)}：权重 {_pts(weight)} 分，得分 {_pts(score)} 分，"
                f"得分率 {_pct(round2(score / weight * HUNDRED) if weight else None)}，有待提高。"
            )
        out.append(("部分绩效指标未达到标杆值", lines))
    for source, items in (("评分表", findings), ("自评表", selfeval_findings)):
        for severity in ("error", "warning"):
            chosen = [f for f in (items or []) if f.severity == severity]
            if chosen:
                out.append(
                    (
                        f"{source}{SEVERITY_TITLES[severity]}",
                        [_finding_line(k, f) for k, f in enumerate(chosen, 1)],
                    )
                )
    return out


def _self_eval_section(w: _Writer, form: SelfEvalForm, profile, year: str, project: str):
    """年度总体目标, 表1-2; returns (engine total, form's own total)."""
    from .profiles import load

    prof = load(form.profile or None)
    goal, done = _text(form.goal_expected), _text(form.goal_actual)
    w.para(f"1. 年度总体目标：{goal or PLACEHOLDER}")
    w.para(f"2. 实际完成情况：{done or PLACEHOLDER}")
    w.para("3. 项目绩效指标完成情况详见表 1-2（得分按评分规则复核）。")
    from .assess import assess

    a = assess(form, prof)
    exec_sc = a.exec.counted
    rate = a.exec.rate
    table_rows = []
    weights = ZERO
    for result in a.rows:
        ind, score = result.ind, result.counted
        weights += _dec(ind.weight) or ZERO
        table_rows.append(
            [
                ind.level1,
                ind.level2.removesuffix("指标") if ind.level2 else "",
                _text(ind.level3),
                _text(ind.target),
                _text(ind.actual),
                _pts(_dec(ind.weight)),
                _pts(score),
            ]
        )
    exec_weight = _dec(form.exec_weight) or prof.exec.weight
    weights += exec_weight
    table_rows.append(["预算执行率", "", "", "100%", _pct(rate), _pts(exec_weight), _pts(exec_sc)])
    engine_total = a.recomputed
    table_rows.append(["合计", "", "", "", "", _pts(weights), _pts(engine_total)])
    w.caption(f"表 1-2 {year} 年{project}绩效指标评分表")
    t = w.table(
        ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"],
        table_rows,
        [1.8, 1.8, 3.1, 2.9, 2.9, 1.4, 1.7],
        merge_columns=(0, 1),
        bold_rows=(len(table_rows) - 1,),
        numeric_from=5,
    )
    _merge_label(t.rows[-2], 2, "预算执行率")
    _merge_label(t.rows[-1], 4, "合计")
    return engine_total, _dec(form.total)


def _findings(form, profile) -> list | None:
    try:
        from .validate import validate_form
    except ImportError:
        return None
    return [f for f in validate_form(form, profile) if f.severity in ("error", "warning")]


def write_report(
    eval_path: str | os.PathLike,
    out: str | os.PathLike,
    selfeval: str | os.PathLike | None = None,
    profile: str | None = None,
) -> Path:
    """``perfkit report``: read the forms, validate them, write the .docx atomically."""
    from .profiles import load
    from .readers import read_form

    inputs = [eval_path] + ([selfeval] if selfeval else [])
    check_outputs([out], inputs)
    table = read_form(eval_path)
    if table.form != EVAL_TABLE:
        raise UsageError(
            f"{eval_path} 不是绩效评价指标体系评分表（是{'自评表' if table.form == SELF_EVAL else '其他表格'}）"
        )
    self_form = None
    if selfeval:
        self_form = read_form(selfeval)
        if self_form.form != SELF_EVAL:
            raise UsageError(f"{selfeval} 不是项目支出绩效自评表")
    prof = load(profile or table.profile or None)
    findings = _findings(table, prof)
    self_findings = (
        _findings(self_form, load(profile or self_form.profile or None)) if self_form else None
    )
    doc = build_report(table, self_form, prof, findings, self_findings)

    def save(tmp) -> None:
        buf = io.BytesIO()
        doc.save(buf)
        Path(tmp).write_bytes(mark_bytes(buf.getvalue(), REPORT, eval_path))

    return write_atomic(out, save)


def docx_text(path: str | os.PathLike) -> str:
    """All paragraph and table text of a .docx (for tests and checks)."""
    from docx import Document

    doc = Document(os.fspath(path))
    parts = [p.text for p in doc.paragraphs]
    for t in doc.tables:
        for row in t.rows:
            parts.append("\t".join(c.text for c in row.cells))
    return "\n".join(parts)


DocWriter = _Writer
"""The report's page (A4, 仿宋 16 pt body, 黑体 headings) for perfkit's other
.docx outputs (the 整改通知 of ``perfkit review``)."""

__all__ = [
    "DocWriter",
    "band_text",
    "build_report",
    "docx_text",
    "lost_points_sentence",
    "write_report",
]
