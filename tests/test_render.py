"""LibreOffice headless renders the templates, the examples and their frozen
copies; pdftotext checks the labels, the figures and the absence of errors."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from perfkit import render
from perfkit.writers.freeze import freeze

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
TEMPLATES = ROOT / "xlsx_templates"

pytestmark = [
    pytest.mark.libreoffice,
    pytest.mark.skipif(render.soffice() is None, reason="LibreOffice (soffice) is not installed"),
    pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is not installed"),
]

SELF_LABELS = (
    "项目支出绩效自评表",
    "项目编码",
    "绩效自评年度",
    "一级预算单位",
    "资金使用情况",
    "年度资金总额",
    "其中：当年财政拨款",
    "上年结转资金",
    "全年预算数",
    "全年执行数",
    "执行率",
    "实际完成情况",
    "三级指标",
    "年度指标值",
    "实际完成值",
    "偏差原因分析及改进措施",
    "数量指标",
    "服务对象满意度指标",
    "总分",
    "绩效等级",
)
TABLE_LABELS = (
    "绩效评价指标体系评分表",
    "被评价单位",
    "一级指标",
    "三级指标",
    "指标说明",
    "标杆值",
    "评分标准",
    "权重",
    "实际值",
    "得分",
    "扣分原因",
    "合计",
    "绩效等级",
    "得分率",
)
ERRORS = ("#NAME?", "#VALUE!", "#REF!", "#DIV/0!", "#N/A", "Err:")

# frozen example -> figures that must be printed on it
FIGURES = {
    "longgang2023_dangjian": ("98.87", "9.89", "99.89", "优", "产出指标（50分）"),
    "longgang2023_shanghui": ("99.35", "9.94", "93.94", "优"),
    "longgang2023_falv": ("100.00", "10", "100.00", "优"),
    "futian2021_evaltable": ("99.11", "96.97", "24.97", "99.88", "优"),
    "futian2021_selfeval": ("99.11", "9.91", "100.00"),
}


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory):
    work = tmp_path_factory.mktemp("render")
    frozen = []
    for path in sorted(EXAMPLES.glob("*.xlsx")):
        frozen.append(freeze(path, work / "frozen" / f"{path.stem}.xlsx"))
    sources = [*sorted(TEMPLATES.glob("*.xlsx")), *sorted(EXAMPLES.glob("*.xlsx"))]
    out = {}
    for pdf in render.to_pdf(sources, work / "pdf"):
        out[pdf.stem] = pdf
    for pdf in render.to_pdf(frozen, work / "pdf-frozen"):
        out[f"frozen:{pdf.stem}"] = pdf
    return out


def _text(pdf) -> str:
    return render.pdf_text(pdf).replace(" ", "")


def _first_page(pdf) -> str:
    return render.pdf_text(pdf).replace(" ", "").split("\f")[0]


def test_templates_show_the_official_labels(pdfs):
    text = _text(pdfs["项目支出绩效自评表"])
    missing = [label for label in SELF_LABELS if label not in text]
    assert missing == []
    # column A is narrow as on the seed form: these labels wrap onto two lines
    for head, tail in (("年度总体", "目标"), ("年度绩效", "指标")):
        assert head in text and tail in text
    text = _text(pdfs["绩效评价指标体系评分表"])
    missing = [label for label in TABLE_LABELS if label not in text]
    assert missing == []


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_frozen_copies_open_cleanly_and_show_the_figures(pdfs, name):
    text = _text(pdfs[f"frozen:{name}"])
    assert [e for e in ERRORS if e in text] == []
    assert [f for f in FIGURES[name] if f not in text] == []


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_one_page_wide(pdfs, name):
    """First and last columns of the grid print on the same page."""
    first = _first_page(pdfs[f"frozen:{name}"])
    if "evaltable" in name:
        assert "一级指标" in first and "扣分原因" in first
    else:
        assert "一级指标" in first and "偏差原因分析及改进措施" in first
        assert "总分" in first and "绩效等级" in first  # a whole 自评表 fits on one A4 page


def test_unfrozen_example_needs_the_add_in(pdfs):
    """Without the add-in a perfkit function shows #NAME?: why freeze exists."""
    assert "#NAME?" in _text(pdfs["longgang2023_dangjian"])
