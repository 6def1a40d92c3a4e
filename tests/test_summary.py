"""Batch summary: engine-computed rows, unreadable files, the workbook."""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

import pytest

from perfkit import render, summary
from perfkit.commands import summary as command
from perfkit.model import Indicator, SelfEvalForm
from perfkit.writers.fill import fill
from tests.test_report import published_table, seed_004_selfeval, seed_004_table


def longgang_forms():
    """Seed 000's three 龙岗 2023 forms: budget, executed, published total."""
    out = []
    for name, budget, executed, output, total in (
        ("党建事务", 1959300, 1937189.02, 50, 99.89),
        ("商会组织建设", 378500, 376056.50, 44, 93.94),
        ("法律顾问服务经费", 27500, 27500, 50, 100),
    ):
        form = seed_004_selfeval()
        form.project_name = name
        form.unit = "深圳市龙岗区工商业联合会"
        form.year = 2023
        form.project_code = "44030721070150000349 6"
        for fund in form.funds.values():
            fund.annual_budget, fund.executed = budget, executed
        form.total = total
        if output == 44:  # 成本指标 5 家 of which 2 done: 10 × 2/5 = 4
            form.indicators[2] = Indicator(
                "产出指标", "成本指标", "商协会成立换届", "5家", "成立1家换届1家", 10
            )
        out.append(form)
    return out


@pytest.fixture(scope="module")
def batch_dir(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("forms")
    for i, form in enumerate(longgang_forms()):
        fill(form, d / f"{i}_{form.project_name}.xlsx")
    fill(seed_004_selfeval(), d / "3_福田自评.xlsx")
    fill(published_table(), d / "4_福田评分表.xlsx")
    (d / "5_坏文件.xlsx").write_bytes(b"not a workbook at all")
    (d / "~$4_福田评分表.xlsx").write_bytes(b"lock file")  # Excel lock file: skipped
    return d


@pytest.fixture(scope="module")
def df(batch_dir):
    return summary.summarize(batch_dir, jobs=1)


def test_one_row_per_file_lock_files_skipped(df):
    assert len(df) == 6
    assert [Path(f).name for f in df["file"]][-1] == "5_坏文件.xlsx"


def test_seed_000_totals_recomputed(df):
    rows = df.set_index(df["file"].map(lambda f: Path(f).stem))
    assert rows.loc["0_党建事务", "exec_rate_pct"] == 98.87
    assert rows.loc["0_党建事务", "exec_score"] == 9.89
    assert rows.loc["0_党建事务", "total"] == 99.89
    assert rows.loc["1_商会组织建设", "exec_score"] == 9.94
    assert rows.loc["1_商会组织建设", "output"] == 44
    assert rows.loc["1_商会组织建设", "total"] == 93.94
    assert rows.loc["2_法律顾问服务经费", "total"] == 100
    # project codes lose the stray space of PDF extraction (DOMAIN L-8)
    assert rows.loc["0_党建事务", "project_code"] == "440307210701500003496"
    longgang = rows.loc[["0_党建事务", "1_商会组织建设", "2_法律顾问服务经费"]]
    assert (longgang["difference"] == 0).all()
    assert (longgang["form_total"] == longgang["total"]).all()
    assert (longgang["difference_codes"] == "").all()


def test_form_total_disagreement_is_reported(df):
    row = df[df["file"].str.endswith("3_福田自评.xlsx")].iloc[0]
    assert row["total"] == 99.91  # 90 + 99.11 % × 10
    assert row["form_total"] == 100
    assert row["difference"] == 0.09  # 表内总分 − 复算总分
    assert "TOTAL_MISMATCH" in row["difference_codes"]
    assert (row["output"], row["benefit"], row["satisfaction"]) == (50, 30, 10)
    assert row["grade"] == "优"


def test_eval_table_row(df):
    row = df[df["file"].str.endswith("4_福田评分表.xlsx")].iloc[0]
    assert row["form"] == "评分表"
    # the table says 96.97 with 2.97 for 预算执行率; the rule gives 2.91 (DOMAIN F-3)
    assert row["form_total"] == 96.97
    assert row["total"] == 96.91
    assert row["difference"] == 0.06
    # no 评分标准 typed in this copy: the profile's execution rule (futian2021)
    assert row["difference_codes"].split("、") == ["SCORE_MISMATCH"]
    assert (row["decision"], row["process"], row["output"], row["benefit"]) == (15, 24.91, 30, 27)
    assert row["annual_budget"] == 1822000  # 万元 -> 元
    assert row["exec_score"] == 2.91


def test_unreadable_file_is_a_row(df):
    row = df[df["file"].str.endswith("5_坏文件.xlsx")].iloc[0]
    assert row["read_error"]
    assert pd_isna(row["total"])


def pd_isna(value) -> bool:
    import pandas as pd

    return bool(pd.isna(value))


def test_parallel_equals_serial(batch_dir, df):
    import pandas as pd

    parallel = summary.summarize(batch_dir, jobs=2)
    pd.testing.assert_frame_equal(parallel, df)


def _run_cli(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    command.register(parser.add_subparsers())
    args = parser.parse_args(argv)
    return args.func(args)


def test_cli_workbook(batch_dir, tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "汇总.xlsx"
    code = _run_cli(
        ["summarize", str(batch_dir), "-o", str(out), "--csv", "--jobs", "2", "--no-progress"]
    )
    assert code == 2  # one input could not be read
    wb = load_workbook(out)
    assert wb.sheetnames == ["汇总", "按单位", "按等级", "无法读取"]
    ws = wb["汇总"]
    headers = [c.value for c in ws[1]]
    assert headers[:5] == ["文件", "工作表", "表格", "单位", "主管部门"]
    for name in ("表内总分", "复算总分", "差异", "差异原因（校验代码）", "错误数"):
        assert name in headers, name
    assert ws.freeze_panes == "B2"
    assert ws.auto_filter.ref.startswith("A1:")
    total_col = headers.index("复算总分") + 1
    assert ws.cell(row=2, column=total_col).number_format == "0.00"
    money_col = headers.index("全年预算数（元）") + 1
    assert ws.cell(row=2, column=money_col).number_format == "#,##0.00"
    assert len(wb["按等级"]._charts) == 2  # openpyxl reads the two charts back
    grades = {r[0]: r[1] for r in wb["按等级"].iter_rows(min_row=2, values_only=True)}
    assert grades["优"] == 5
    units = {r[0]: r for r in wb["按单位"].iter_rows(min_row=2, values_only=True)}
    assert units["深圳市龙岗区工商业联合会"][1] == 3
    assert next(r[0] for r in wb["无法读取"].iter_rows(min_row=2, values_only=True)).endswith(
        "5_坏文件.xlsx"
    )
    csv = out.with_suffix(".csv").read_bytes()
    assert csv.startswith(b"\xef\xbb\xbf") and "复算总分".encode() in csv


# --------------------------------------------------------------------------
# 汇总.xlsx as written (XlsxWriter): charts, formats, text that looks like a formula
# --------------------------------------------------------------------------

C_NS = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


@pytest.fixture(scope="module")
def book(df, tmp_path_factory) -> Path:
    return summary.write_workbook(df, tmp_path_factory.mktemp("book") / "汇总.xlsx")


def _xml(zf, name: str):
    from defusedxml import ElementTree

    return ElementTree.fromstring(zf.read(name))


def _rels(zf, part: str) -> dict[str, str]:
    """Relationship id -> target part (full zip name) of *part*."""
    import posixpath

    folder, name = posixpath.split(part)
    rels = _xml(zf, f"{folder}/_rels/{name}.rels")
    out = {}
    for rel in rels.iter(f"{REL_NS}Relationship"):
        target = rel.get("Target")
        if target.startswith("/"):
            out[rel.get("Id")] = target.lstrip("/")
        else:
            out[rel.get("Id")] = posixpath.normpath(posixpath.join(folder, target))
    return out


def _sheet_parts(zf) -> dict[str, str]:
    """Sheet name -> worksheet part."""
    rels = _rels(zf, "xl/workbook.xml")
    sheets = _xml(zf, "xl/workbook.xml").iter(f"{MAIN_NS}sheet")
    return {s.get("name"): rels[s.get(R_ID)] for s in sheets}


def _refs(series, tag: str) -> str:
    """The range formula of one part of a series (val, cat, xVal, yVal), unquoted."""
    node = series.find(f"{C_NS}{tag}")
    return node.find(f".//{C_NS}f").text.replace("'", "")


def test_workbook_charts_point_at_the_tables(book, df):
    """Both native charts live in the drawing of 按等级; the column chart counts
    the grades of that sheet, the scatter plots 执行率 against 总分 over every
    row of 汇总, as filled dots without a connecting line, on visible axes."""
    import zipfile

    from openpyxl.utils import get_column_letter

    headers = list(summary.to_chinese(df).columns)
    rate = get_column_letter(headers.index("执行率（%）") + 1)
    total = get_column_letter(headers.index("复算总分") + 1)
    n_grades = len(summary.by_grade(df))
    with zipfile.ZipFile(book) as zf:
        names = set(zf.namelist())
        assert {"xl/charts/chart1.xml", "xl/charts/chart2.xml"} <= names
        assert not any(n.startswith("xl/charts/chart3") for n in names)
        sheets = _sheet_parts(zf)
        charted = {}
        for sheet, part in sheets.items():
            if part.replace("worksheets/", "worksheets/_rels/") + ".rels" not in names:
                continue  # no drawing, no link: nothing attached to this sheet
            for target in _rels(zf, part).values():
                if "/drawings/" in target:
                    charted[sheet] = sorted(_rels(zf, target).values())
        assert charted == {"按等级": ["xl/charts/chart1.xml", "xl/charts/chart2.xml"]}
        charts = [_xml(zf, name) for name in charted["按等级"]]

    kinds = {
        kind: chart
        for chart in charts
        for kind in ("barChart", "scatterChart")
        if chart.find(f".//{C_NS}{kind}") is not None
    }
    assert set(kinds) == {"barChart", "scatterChart"}

    bar = kinds["barChart"]
    assert bar.find(f".//{C_NS}barDir").get("val") == "col"
    assert "绩效等级分布" in "".join(bar.find(f"{C_NS}chart/{C_NS}title").itertext())
    (series,) = bar.iter(f"{C_NS}ser")
    assert _refs(series, "cat") == f"按等级!$A$2:$A${n_grades + 1}"
    assert _refs(series, "val") == f"按等级!$B$2:$B${n_grades + 1}"
    assert bar.find(f".//{C_NS}legend") is None

    scatter = kinds["scatterChart"]
    assert "预算执行率与复算总分" in "".join(scatter.find(f"{C_NS}chart/{C_NS}title").itertext())
    (series,) = scatter.iter(f"{C_NS}ser")
    assert _refs(series, "xVal") == f"汇总!${rate}$2:${rate}${len(df) + 1}"
    assert _refs(series, "yVal") == f"汇总!${total}$2:${total}${len(df) + 1}"
    # numbers, not text: a text x range would plot the forms 1, 2, 3 ... along x
    assert series.find(f"{C_NS}xVal/{C_NS}numRef") is not None
    assert series.find(f"{C_NS}yVal/{C_NS}numRef") is not None
    marker = series.find(f"{C_NS}marker")
    assert marker.find(f"{C_NS}symbol").get("val") == "circle"
    fill = marker.find(f"{C_NS}spPr/{{*}}solidFill/{{*}}srgbClr")
    assert fill.get("val") == "305496"
    assert series.find(f"{C_NS}spPr/{{*}}ln/{{*}}noFill") is not None  # no connecting line

    for chart in charts:
        axes = [*chart.iter(f"{C_NS}catAx"), *chart.iter(f"{C_NS}valAx")]
        assert len(axes) == 2
        for axis in axes:
            deleted = axis.find(f"{C_NS}delete")
            assert deleted is None or deleted.get("val") in ("0", "false")
            assert axis.find(f"{C_NS}title") is not None


def test_workbook_number_formats(book, df):
    """Each non-text column carries its kind's number format; text columns none;
    empty values are empty cells and integers stay integers."""
    from openpyxl import load_workbook

    wb = load_workbook(book)
    ws = wb["汇总"]
    headers = [c.value for c in ws[1]]
    kinds = dict(summary.COLUMNS.values())  # header -> kind
    seen = set()
    for c, header in enumerate(headers, start=1):
        kind = kinds[header]
        cell = ws.cell(row=2, column=c)  # 0_党建事务: a fully scored 自评表
        if cell.value is None:
            continue
        expected = "General" if kind == "text" else summary.NUMBER_FORMATS[kind]
        assert cell.number_format == expected, header
        seen.add(kind)
    assert seen == {"text", "money", "pct", "score", "int"}
    assert isinstance(ws.cell(row=2, column=headers.index("错误数") + 1).value, int)
    bad = ws.max_row  # the unreadable file: no scores, empty cells
    assert ws.cell(row=bad, column=headers.index("复算总分") + 1).value is None
    assert ws.cell(row=bad, column=headers.index("年初预算数（元）") + 1).value is None

    units = wb["按单位"]
    formats = {h.value: units.cell(row=2, column=h.column).number_format for h in units[1]}
    assert formats["全年预算数（元）"] == "#,##0.00"
    assert formats["执行率（%）"] == formats["平均复算总分"] == "0.00"
    assert formats["表格数"] == formats["错误数"] == "0"
    assert formats["单位"] == "General"
    grades = wb["按等级"]
    assert [grades.cell(row=2, column=c).number_format for c in (1, 2, 3)] == [
        "General",
        "0",
        "0.00",
    ]
    assert grades.freeze_panes == "A2" and ws.freeze_panes == "B2"
    assert grades.page_setup.orientation == "landscape"
    assert grades.sheet_properties.pageSetUpPr.fitToPage
    from perfkit.summarybook import HEADER_HEIGHT

    assert ws.row_dimensions[1].height == HEADER_HEIGHT
    head = ws["A1"]
    assert head.font.b and head.font.color.rgb.endswith("FFFFFF")
    assert head.fill.fgColor.rgb.endswith("305496")
    assert head.alignment.horizontal == "center" and head.alignment.wrap_text


def test_cell_values_are_plain_python():
    import numpy as np
    import pandas as pd

    from perfkit.summarybook import _cell_value

    assert _cell_value(float("nan")) is None
    assert _cell_value(pd.NA) is None
    assert _cell_value(None) is None
    value = _cell_value(np.int64(3))
    assert value == 3 and type(value) is int
    value = _cell_value(np.float64(2.5))
    assert value == 2.5 and type(value) is float


def test_text_that_looks_like_a_formula_stays_text(tmp_path):
    """A unit, project or file name beginning with = or http is written as a
    string: never a formula (formula injection) nor a hyperlink."""
    import zipfile

    from openpyxl import load_workbook

    evil = {
        "file": "=1+2",
        "unit": '=HYPERLINK("http://example.invalid/x","点击")',
        "project_name": "http://example.invalid/",
        "project_code": "-2+3",
        "dept": "@SUM(1,1)",
    }
    form = seed_004_selfeval()
    row = summary.summarize_form(form)
    row.update(evil)
    out = summary.write_workbook(summary.frame([row]), tmp_path / "汇总.xlsx")
    with zipfile.ZipFile(out) as zf:
        sheet = zf.read(_sheet_parts(zf)["汇总"]).decode("utf-8")
        names = zf.namelist()
    assert "<f>" not in sheet and "<f " not in sheet
    assert "<hyperlink" not in sheet
    assert not any("externalLink" in n for n in names)
    ws = load_workbook(out)["汇总"]
    headers = [c.value for c in ws[1]]
    for key, text in evil.items():
        cell = ws.cell(row=2, column=headers.index(summary.COLUMNS[key][0]) + 1)
        assert cell.value == text and cell.data_type == "s", key
        assert cell.hyperlink is None
    units = load_workbook(out)["按单位"]
    assert units["A2"].value == evil["unit"] and units["A2"].data_type == "s"


@pytest.mark.libreoffice
@pytest.mark.skipif(render.soffice() is None, reason="LibreOffice (soffice) is not installed")
@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is not installed")
def test_workbook_renders_with_libreoffice(book, tmp_path):
    """LibreOffice opens 汇总.xlsx; 按等级 prints on one page with both charts,
    their titles and their axis titles."""
    (pdf,) = render.to_pdf(book, tmp_path)
    pages = render.pdf_text(pdf).split("\f")
    (grade_page,) = [p for p in pages if "绩效等级分布" in p]
    text = grade_page.replace(" ", "")
    for label in ("绩效等级分布", "预算执行率与复算总分", "执行率（%）", "复算总分", "优", "良"):
        assert label in text, label
    joined = "".join(pages)
    assert "深圳市龙岗区工商业联合会" in joined and "5_坏文件.xlsx" in joined
    assert not any(e in joined for e in ("#NAME?", "#VALUE!", "#REF!", "Err:"))


def test_cli_clean_batch_exit_0(batch_dir, tmp_path):
    out = tmp_path / "ok.xlsx"
    assert (
        _run_cli(
            [
                "summarize",
                str(batch_dir / "0_党建事务.xlsx"),
                "-o",
                str(out),
                "--jobs",
                "1",
                "--no-progress",
            ]
        )
        == 0
    )


def test_never_writes_over_an_input(batch_dir):
    from perfkit.errors import UsageError

    target = batch_dir / "0_党建事务.xlsx"
    before = target.read_bytes()
    with pytest.raises(UsageError):
        summary.run([str(target)], target, jobs=1, progress=False)
    assert target.read_bytes() == before


def test_summarize_form_from_model_objects():
    row = summary.summarize_form(seed_004_table())
    assert row["form_total"] is None and row["total"] == 96.91  # no total typed
    row = summary.summarize_form(published_table())
    assert row["form_total"] == 96.97 and row["total"] == 96.91
    assert row["grade"] == "优" and row["process"] == 24.91


def test_hand_score_within_a_qualitative_band_is_kept():
    """8 of 10 for an achieved qualitative indicator is the evaluator's call:
    the validator accepts it, so the summary must not override it with 10."""
    from decimal import Decimal

    ind = Indicator(
        level1="产出指标",
        level2="质量指标",
        level3="执行补贴标准",
        target="按照文件规定标准发放党务干部补贴",
        actual="按照文件规定标准发放党务干部补贴",
        weight=10,
        score=8,
    )
    from perfkit.assess import assess
    from perfkit.profiles import load

    def counted(ind):
        form = SelfEvalForm(indicators=[ind])
        return assess(form, load(None)).rows[0].counted

    assert counted(ind) == Decimal(8)
    ind.score = 5  # below the 达成 band [8, 10]: the band's nearest score
    assert counted(ind) == Decimal(8)
    ind.target, ind.actual, ind.score = "≥2家", "1家", 10  # quantitative: the engine's 5
    assert counted(ind) == Decimal(5)
