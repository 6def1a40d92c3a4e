"""整改通知: a letter (.docx) to each unit with sampled projects, listing the
errors and warnings the review found in each, on the page of the 绩效评价报告
(:class:`perfkit.report.DocWriter`: A4, 仿宋 body, 黑体 headings).  What the
bureau must still write (its name, the deadline, the date) is marked 【待补充】.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .fsutil import write_atomic
from .numbers import fmt
from .outputs import REVIEW, mark_bytes
from .report import BODY_FONT, CN_NUMS, PLACEHOLDER, DocWriter, _set_font

NO_UNIT = "（未填写单位）"
SEVERITY_WORDS = {"error": "错误", "warning": "警告"}


def groups(sampled: list) -> list[tuple[str, str, list]]:
    """(file name, unit, the unit's sampled forms with findings) per unit, in
    the order of the units' riskiest form; units whose sampled forms have no
    error or warning get no letter."""
    from .review import safe_name, unique_names

    by_unit: dict[str, list] = {}
    for r in sampled:
        if r.errors or r.warnings:
            by_unit.setdefault(r.unit or NO_UNIT, []).append(r)
    units = list(by_unit)
    names = unique_names([f"整改通知_{safe_name(u, 40)}.docx" for u in units])
    return [(name, unit, by_unit[unit]) for name, unit in zip(names, units, strict=True)]


def _cn(n: int) -> str:
    if n <= 10:
        return CN_NUMS[n - 1]
    if n < 20:
        return "十" + CN_NUMS[n - 11]
    return str(n)


def build_letter(unit: str, items: list, info: Any):
    """The letter to *unit* about its sampled forms *items* (review.Reviewed)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    w = DocWriter()
    w.title("预算绩效自评复核整改通知")
    w.para(f"{unit}：", indent=False)
    w.para(
        f"根据预算绩效自评复核工作安排，我们对你单位报送的项目支出绩效自评材料进行了抽查复核"
        f"（{info.method}）。经按评分规则逐项核对，你单位 {len(items)} 个被抽中的项目存在以下问题，"
        "请逐项核实并整改："
    )
    for k, r in enumerate(items, start=1):
        w.heading(f"{_cn(k)}、{r.project or '（未填写项目名称）'}", level=1)
        figures = f"自评总分 {fmt(r.claimed)} 分"
        if r.recomputed is not None:
            figures += f"，按评分规则复算 {fmt(r.recomputed)} 分"
        if r.excess:
            figures += (
                f"，比评分规则和资金执行情况可支持的 {fmt(r.supported)} 分高 {fmt(r.excess)} 分"
            )
        w.para(f"报送文件：{Path(r.file).name}（工作表“{r.sheet}”）。{figures}。")
        paper = r.workpaper_data()
        findings = sorted(paper.findings, key=lambda f: (f[0] != "error",))
        for i, (severity, where, _code, message) in enumerate(findings, start=1):
            w.para(f"{i}. 【{SEVERITY_WORDS.get(severity, severity)}】{where}：{message}")
    w.heading(f"{_cn(len(items) + 1)}、整改要求", level=1)
    w.para(
        f"请于{PLACEHOLDER}前核实上述问题：属于填报错误的，按评分规则修改自评表后重新报送；"
        "指标得分高于资金执行情况或缺少依据的，提供佐证材料或调整得分；"
        "得分低于分值的指标，补充偏差原因分析及改进措施。整改情况请书面报送。"
    )
    for text in (f"{PLACEHOLDER}（财政局）", f"{PLACEHOLDER}年  月  日"):
        p = w.doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        _set_font(p.add_run(text), BODY_FONT, 16)
    return w.doc


def write_letter(unit: str, items: list, path: str | Path, info: Any) -> Path:
    """Write the letter atomically, marked as perfkit's review output."""
    doc = build_letter(unit, items, info)

    def save(tmp: Path) -> None:
        buf = io.BytesIO()
        doc.save(buf)
        Path(tmp).write_bytes(mark_bytes(buf.getvalue(), REVIEW))

    return write_atomic(path, save)


@dataclass(frozen=True)
class LetterJob:
    unit: str
    items: list  # review.Reviewed, with their payloads
    target: str
    info: Any


def write_letter_job(job: LetterJob) -> str:
    """Write one letter (a worker): "" or the Chinese reason it failed."""
    from .errors import PerfkitError

    try:
        write_letter(job.unit, job.items, job.target, job.info)
    except PerfkitError as err:
        return f"未写出整改通知 {job.target}：{err}"
    except Exception:
        return f"未写出整改通知 {job.target}：程序内部错误，请把该表格报告给 perfkit 维护者"
    return ""


__all__ = ["LetterJob", "build_letter", "groups", "write_letter", "write_letter_job"]
