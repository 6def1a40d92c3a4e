"""Print setup (issue 12.13): 汇总.xlsx and the 校验结果 sheet print A4
landscape, one page wide, the header row on every page, long texts wrapped;
the marks' colours differ from the input-cell yellow and from each other, on
screen and in grey.  Checked in the files and, with LibreOffice, on paper."""

from __future__ import annotations

import itertools
import shutil
import subprocess
from pathlib import Path

import pytest

from perfkit import render, summary
from perfkit.validate import SEVERITY_COLORS, Finding
from perfkit.validate.marking import RESULT_SHEET, mark_copy

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
INPUT_YELLOW = (0xFF, 0xF2, 0xCC)  # perfkit.writers.template.INPUT_FILL


def needs_office(test):
    for mark in (
        pytest.mark.libreoffice,
        pytest.mark.skipif(render.soffice() is None, reason="LibreOffice is not installed"),
        pytest.mark.skipif(shutil.which("pdfinfo") is None, reason="poppler-utils is missing"),
    ):
        test = mark(test)
    return test


def luminance(rgb) -> float:
    r, g, b = rgb
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def test_severity_colours_differ_from_the_input_yellow_and_each_other_in_grey():
    colours = [INPUT_YELLOW, *(SEVERITY_COLORS[s] for s in ("info", "warning", "error"))]
    greys = [luminance(c) for c in colours]
    assert greys == sorted(greys, reverse=True)  # yellow lightest, error darkest
    assert min(a - b for a, b in itertools.pairwise(greys)) >= 25
    assert min(greys) >= 120  # black text stays legible on every mark
    for colour in colours[1:]:  # and on screen the hue differs from the yellow
        assert max(abs(a - b) for a, b in zip(colour, INPUT_YELLOW, strict=True)) >= 60


def _findings(n: int) -> list[Finding]:
    severities = ("error", "warning", "info")
    return [
        Finding(
            "SCORE_MISMATCH",
            severities[i % 3],
            "自评表",
            f"H{14 + i % 20}",
            f"第 {i} 条：“数量指标／企业家理想信念教育培训、春茗会、工商联界别座谈会…”的得分"
            "应为 9.91（按完成比例记分），表中为 10，相差 0.09；请核对实际完成值与分值",
        )
        for i in range(n)
    ]


@pytest.fixture(scope="module")
def marked(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("marked") / "f_校验.xlsx"
    return mark_copy(EXAMPLES / "futian2021_selfeval.xlsx", out, _findings(120))


@pytest.fixture(scope="module")
def book(tmp_path_factory) -> Path:
    rows = list(summary.iter_rows([EXAMPLES], jobs=1)) * 20  # 100 rows: several pages
    return summary.write_workbook(rows, tmp_path_factory.mktemp("book") / "汇总.xlsx")


def _setup(ws) -> tuple:
    s = ws.page_setup
    titles = (ws.print_title_rows or "").replace("$", "")
    # an absent fitToWidth is 1 (the default, which XlsxWriter leaves out)
    return (s.orientation, int(s.paperSize), int(s.fitToWidth or 1), int(s.fitToHeight), titles)


def test_summary_tables_are_set_up_to_print(book):
    import openpyxl

    wb = openpyxl.load_workbook(book)
    for name in ("汇总", "按单位"):
        ws = wb[name]
        assert ws.sheet_properties.pageSetUpPr.fitToPage, name
        assert _setup(ws) == ("landscape", 9, 1, 0, "1:1"), name
        text_col = next(c for c in ws[1] if c.value in ("文件", "单位")).column_letter
        assert ws.column_dimensions[text_col].width <= 30
    main = wb["汇总"]
    name_cell = next(c for c in main[2] if isinstance(c.value, str) and "examples" in c.value)
    assert name_cell.alignment.wrap_text
    assert main.row_dimensions[2].height and main.row_dimensions[2].height > 15  # wrapped row


def test_result_sheet_is_set_up_to_print(marked):
    import openpyxl

    ws = openpyxl.load_workbook(marked)[RESULT_SHEET]
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert _setup(ws) == ("landscape", 9, 1, 0, "1:1")
    assert ws["D2"].alignment.wrap_text and ws["D2"].alignment.vertical == "top"
    widths = [ws.column_dimensions[c].width for c in "ABCD"]
    assert sum(widths) <= 140  # fits A4 landscape without shrinking much


def _page_sizes(pdf: Path) -> list[tuple[float, float]]:
    out = subprocess.run(
        ["pdfinfo", "-f", "1", "-l", "999", str(pdf)], capture_output=True, text=True, check=True
    ).stdout
    sizes = []
    for line in out.splitlines():
        if line.startswith("Page") and "size:" in line:
            w, _, h = line.split(":", 1)[1].split()[:3]
            sizes.append((float(w), float(h)))
    return sizes


@needs_office
def test_summary_prints_landscape_one_page_wide(book, tmp_path):
    (pdf,) = render.to_pdf(book, tmp_path)
    sizes = _page_sizes(pdf)
    assert sizes and all(w > h for w, h in sizes)  # every page landscape
    pages = render.pdf_text(pdf).split("\f")
    main = [p for p in pages if "examples/" in p]
    assert 2 <= len(main) <= 6  # 100 rows on a few pages, not dozens
    for page in main:  # every column on every page, the header repeated
        flat = page.replace(" ", "")
        for header in ("文件", "单位", "总分", "警告数", "备注"):
            assert header in flat, header
    assert len(sizes) == len(main) + 2  # 按单位 and 按等级: one page each


@needs_office
def test_result_sheet_prints_landscape_with_its_header_on_every_page(marked, tmp_path):
    (pdf,) = render.to_pdf(marked, tmp_path)
    sizes = _page_sizes(pdf)
    pages = render.pdf_text(pdf).split("\f")
    result_pages = [i for i, p in enumerate(pages) if "第 0 条" in p or "SCORE_MISMATCH" in p]
    assert len(result_pages) >= 2  # 120 findings: more than one page
    for i in result_pages:
        assert sizes[i][0] > sizes[i][1], f"page {i + 1} is not landscape"
        flat = pages[i].replace(" ", "")
        assert all(h in flat for h in ("严重程度", "代码", "位置", "说明"))
    # the long messages are wrapped, not cut at the page edge
    text = "".join(pages[i] for i in result_pages).replace(" ", "").replace("\n", "")
    assert "请核对实际完成值与分值" in text and "第119条" in text


def test_a_users_result_sheet_stays_in_the_marked_copy(tmp_path):
    import openpyxl

    src = tmp_path / "f.xlsx"
    wb = openpyxl.load_workbook(EXAMPLES / "futian2021_selfeval.xlsx")
    wb.create_sheet(RESULT_SHEET)["A1"] = "我的记录"
    wb.save(src)
    copy = mark_copy(src, tmp_path / "f_校验.xlsx", _findings(3))
    again = mark_copy(copy, tmp_path / "f_校验2.xlsx", _findings(2))  # a copy of a copy
    for path, rows in ((copy, 4), (again, 3)):
        wb = openpyxl.load_workbook(path)
        assert wb[RESULT_SHEET]["A1"].value == "我的记录"
        assert wb[f"{RESULT_SHEET} (2)"]["A1"].value == "严重程度"
        assert wb[f"{RESULT_SHEET} (2)"].max_row == rows
        assert f"{RESULT_SHEET} (3)" not in wb.sheetnames
