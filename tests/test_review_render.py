"""复核清单.xlsx and a 复核工作底稿 as LibreOffice prints them (A4 landscape, one
page wide, the charts with their titles), and as PNG for a look."""

from __future__ import annotations

import shutil

import pytest

from perfkit import render, review
from tests.test_review import make_forms

pytestmark = [
    pytest.mark.libreoffice,
    pytest.mark.skipif(render.soffice() is None, reason="LibreOffice (soffice) is not installed"),
    pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is not installed"),
]
ERRORS = ("#NAME?", "#VALUE!", "#REF!", "#DIV/0!", "#N/A", "Err:")


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    work = tmp_path_factory.mktemp("review-render")
    make_forms(work / "forms")
    result = review.run([work / "forms"], work / "out", sample="3", seed=11, jobs=1, progress=False)
    typos = next(
        p for p, r in zip(result.workpapers, result.sampled, strict=True) if "typos" in r.project
    )
    pdfs = render.to_pdf([result.list_path, typos], work / "pdf", recalc=False)
    return result, dict(zip(("list", "paper"), pdfs, strict=True))


def _text(pdf) -> str:
    return render.pdf_text(pdf).replace(" ", "")


def test_the_list_prints_with_its_charts(printed):
    _, pdfs = printed
    text = _text(pdfs["list"])
    assert [e for e in ERRORS if e in text] == []
    for label in ("排名", "风险分", "抽取", "风险原因", "复核工作底稿", "风险最高", "随机抽取"):
        assert label in text, label
    assert "风险分分布" in text and "自评总分与预算执行率" in text  # the two chart titles
    assert "随机种子11" in text  # 抽样说明
    first = render.pdf_text(pdfs["list"]).replace(" ", "").split("\f")[0]
    assert "排名" in first and "工作表" in first  # first and last column on one page


def test_the_workpaper_prints_one_page_wide(printed):
    _, pdfs = printed
    text = _text(pdfs["paper"])
    assert [e for e in ERRORS if e in text] == []
    first = render.pdf_text(pdfs["paper"]).replace(" ", "").split("\f")[0]
    assert "序号" in first and "调整后得分" in first and "复核意见" in first
    for figure in ("98.87", "9.89", "自评表!H14", "SCORE_MISMATCH", "待人工复核", "复核人"):
        assert figure in text, figure
    assert render.pdf_pages(pdfs["paper"]) <= 3


def test_pngs_for_a_look(printed, tmp_path):
    _, pdfs = printed
    pages = render.pdf_to_png(pdfs["list"], tmp_path / "list", dpi=50)
    pages += render.pdf_to_png(pdfs["paper"], tmp_path / "paper", dpi=50)
    assert len(pages) >= 3 and all(p.stat().st_size > 5000 for p in pages)
