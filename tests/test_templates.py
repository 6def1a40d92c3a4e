"""The two templates: layout contract, formulas, protection, print setup, determinism."""

from __future__ import annotations

import argparse
import io
import zipfile
from pathlib import Path

import openpyxl
import pytest

from perfkit import profiles
from perfkit.commands import templates as templates_cmd
from perfkit.layout import TEMPLATE_FILES, defined_names, resolve_kind, template, version_of
from perfkit.model import EVAL_TABLE, SELF_EVAL
from perfkit.writers import template as templates

ROOT = Path(__file__).resolve().parent.parent
KINDS = (SELF_EVAL, EVAL_TABLE)
LAYOUT = {kind: template(kind) for kind in KINDS}


@pytest.fixture(scope="module", params=KINDS)
def built(request):
    kind = request.param
    data = templates.build_bytes(kind)
    return kind, data, openpyxl.load_workbook(io.BytesIO(data))


def test_build_is_deterministic():
    for kind in KINDS:
        assert templates.build_bytes(kind) == templates.build_bytes(kind)


def test_committed_templates_equal_fresh_build():
    assert templates.check(ROOT / "xlsx_templates") == []


def test_zip_entries_have_fixed_dates(built):
    _, data, _ = built
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        infos = zf.infolist()
        assert infos[0].filename == "[Content_Types].xml"
        assert {i.date_time for i in infos} == {templates.FIXED_ZIP_TIME}
        core = zf.read("docProps/core.xml").decode()
    assert core.count(templates.FIXED_CORE_TIME) == 2


def test_defined_names_are_the_layout_contract(built):
    kind, _, wb = built
    names = {n: wb.defined_names[n].attr_text for n in wb.defined_names}
    assert names == defined_names(LAYOUT[kind])
    assert names["PK_TOTAL"] == {SELF_EVAL: "自评表!$H$44", EVAL_TABLE: "评分表!$I$45"}[kind]


def test_settings_sheet_names_profile_and_version(built):
    kind, _, wb = built
    ws = wb["设置"]
    assert ws["B1"].value == "mof2020"
    assert ws["B2"].value == version_of(kind)
    assert ws["B1"].protection.locked is False
    lists = [dv for dv in ws.data_validations.dataValidation if dv.type == "list"]
    assert lists and "B1" in str(lists[0].sqref)
    assert lists[0].formula1 == '"' + ",".join(profiles.available()) + '"'


def test_selfeval_formulas():
    wb = templates.new_workbook(SELF_EVAL)
    ws = wb["自评表"]
    assert ws["G6"].value == "=EXEC_RATE(E6,D6)"
    assert ws["H6"].value == "=EXEC_SCORE(E6,D6,F6,PK_PROFILE)"
    assert ws["F6"].value == 10
    # the last argument is the 二级指标 (the merged label at the group's first row)
    assert ws["H14"].value == '=PERF_SCORE(E14,F14,G14,"",D14,PK_PROFILE,$C$14)'
    assert ws["H43"].value == '=PERF_SCORE(E43,F43,G43,"",D43,PK_PROFILE,$C$41)'
    assert ws["B14"].value == '="产出指标（"&SUM(G14:G25)&"分）"'
    assert ws["B26"].value == '="效益指标（"&SUM(G26:G37)&"分）"'
    assert ws["B38"].value == '="满意度指标（"&SUM(G38:G43)&"分）"'
    assert ws["G44"].value == "=F6+SUM(G14:G43)"
    assert ws["H44"].value == "=PERF_TOTAL(H6,H14:H43)"
    assert ws["H45"].value == "=PERF_GRADE(H44,PK_PROFILE)"
    assert ws["C14"].value == "数量指标" and ws["C41"].value == "其他满意度指标"


def test_evaltable_formulas():
    wb = templates.new_workbook(EVAL_TABLE)
    ws = wb["评分表"]
    assert ws["J3"].value == "=EXEC_RATE(H3,F3)"
    assert ws["I5"].value == "=PERF_RULE(F5,H5,G5,E5,C5,$H$3,$F$3,PK_PROFILE)"
    assert ws["I44"].value == "=PERF_RULE(F44,H44,G44,E44,C44,$H$3,$F$3,PK_PROFILE)"
    assert ws["I45"].value == "=PERF_TOTAL(I5:I44)"
    assert ws["I46"].value == "=PERF_GRADE(I45,PK_PROFILE)"
    assert ws["G49"].value == "=SUM(G5:G14)" and ws["I52"].value == "=PERF_TOTAL(I35:I44)"
    assert ws["J50"].value == '=IF(AND(G50>0,ISNUMBER(I50)),ROUND(I50/G50*100,2),"")'


def test_merged_cells_as_the_seed_form():
    ws = templates.new_workbook(SELF_EVAL)["自评表"]
    merged = {str(r) for r in ws.merged_cells.ranges}
    for rng in (
        "A1:I1",
        "B2:C2",
        "E2:F2",
        "H2:I2",
        "B3:D3",
        "F3:I3",
        "B12:E12",
        "F12:I12",
        "B14:B25",
        "B26:B37",
        "B38:B43",
        "C14:C16",
        "C41:C43",
        "H45:I45",
    ):
        assert rng in merged, rng
    ws = templates.new_workbook(EVAL_TABLE)["评分表"]
    merged = {str(r) for r in ws.merged_cells.ranges}
    for rng in ("A1:J1", "B2:E2", "G2:J2", "I46:J46"):
        assert rng in merged, rng


def test_required_markers_and_notes():
    ws = templates.new_workbook(SELF_EVAL)["自评表"]
    for cell in ("F11", "F13", "G13", "H13"):
        assert ws[cell].value.startswith("*"), cell
    assert "全年执行数" in ws["G5"].comment.text and "全年预算数" in ws["G5"].comment.text
    assert "分值" in ws["H5"].comment.text
    assert "比例" in ws["H13"].comment.text
    ws = templates.new_workbook(EVAL_TABLE)["评分表"]
    assert ws["F4"].comment is not None and ws["I4"].comment is not None


def test_fonts_and_borders():
    ws = templates.new_workbook(SELF_EVAL)["自评表"]
    assert ws["A1"].font.name == "宋体" and ws["A1"].font.sz == 16 and ws["A1"].font.b
    assert ws["D14"].font.name == "宋体" and 10 <= ws["D14"].font.sz <= 11
    assert ws["D14"].border.left.style == "thin" and ws["H44"].border.bottom.style == "thin"


def test_inputs_unlocked_formulas_locked_sheet_protected(built):
    kind, _, wb = built
    layout = LAYOUT[kind]
    ws = wb[layout.sheet]
    assert ws.protection.sheet is True
    assert not ws.protection.password
    # rows may be inserted and deleted on the protected sheet (False = not protected)
    assert ws.protection.insertRows is False and ws.protection.deleteRows is False
    if kind == SELF_EVAL:
        unlocked = (
            "B2",
            "E2",
            "H2",
            "B3",
            "F3",
            "C6",
            "D6",
            "E6",
            "F6",
            "E9",
            "B12",
            "F12",
            "D14",
            "E14",
            "F14",
            "G14",
            "I43",
            "H14",  # a hand score may replace the formula
            "B14",  # the label columns of the indicator rows: a row may be deleted
            "C14",
            "A13",  # 年度绩效指标, merged down the indicator rows
        )
        locked = ("G6", "H6", "G44", "H44", "H45", "A5")
    else:
        unlocked = ("B2", "G2", "B3", "D3", "F3", "H3", "A5", "F5", "G5", "H5", "J44", "I5")
        locked = ("J3", "G45", "I45", "I46", "G49", "I49", "J49")
    for cell in unlocked:
        assert ws[cell].protection.locked is False, cell
        if cell in ("A13", "B14", "C14"):
            continue
        assert ws[cell].fill.fgColor.rgb in (
            templates.INPUT_FILL.fgColor.rgb,
            templates.SCORE_FILL.fgColor.rgb,
        ), cell
    for cell in locked:
        assert ws[cell].protection.locked is True, cell


def test_data_validation_amounts_and_weights():
    ws = templates.new_workbook(SELF_EVAL)["自评表"]
    decimal = [dv for dv in ws.data_validations.dataValidation if dv.type == "decimal"]
    covered = " ".join(str(dv.sqref) for dv in decimal)
    assert "C6:E9" in covered and "G14:G43" in covered and "F6" in covered
    assert all(dv.operator == "greaterThanOrEqual" and dv.formula1 == "0" for dv in decimal)
    ws = templates.new_workbook(EVAL_TABLE)["评分表"]
    covered = " ".join(
        str(dv.sqref) for dv in ws.data_validations.dataValidation if dv.type == "decimal"
    )
    assert "G5:G44" in covered and "F3" in covered


def test_print_setup(built):
    kind, _, wb = built
    ws = wb[LAYOUT[kind].sheet]
    assert str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4 == "9"
    assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
    assert ws.sheet_properties.pageSetUpPr.fitToPage is True
    header = LAYOUT[kind].header_row
    assert ws.print_title_rows.replace("$", "") == f"{header}:{header}"


def test_profile_argument_is_written():
    wb = templates.new_workbook(EVAL_TABLE, "futian2021")
    assert wb["设置"]["B1"].value == "futian2021"


def test_unknown_kind_is_a_usage_error():
    from perfkit.errors import UsageError

    with pytest.raises(UsageError):
        resolve_kind("budget")


def _run(argv):
    parser = argparse.ArgumentParser()
    templates_cmd.register(parser.add_subparsers())
    args = parser.parse_args(argv)
    return args.func(args)


def test_cli_build_and_check(tmp_path):
    assert _run(["templates", "build", "--out", str(tmp_path)]) == 0
    assert _run(["templates", "check", "--dir", str(tmp_path)]) == 0
    target = tmp_path / TEMPLATE_FILES[SELF_EVAL]
    assert target.read_bytes() == (ROOT / "xlsx_templates" / target.name).read_bytes()
    target.write_bytes(target.read_bytes() + b"x")
    assert _run(["templates", "check", "--dir", str(tmp_path)]) == 1


def test_cli_check_where_there_are_no_templates(tmp_path, capsys):
    """Run outside the source folder: the files are named as missing, not as stale."""
    assert _run(["templates", "check", "--dir", str(tmp_path / "nowhere")]) == 2
    err = capsys.readouterr().err
    assert "找不到模板文件" in err and "--dir" in err and "不一致" not in err


def test_docs_list_every_defined_name():
    text = (ROOT / "docs" / "templates.md").read_text(encoding="utf-8")
    for layout in LAYOUT.values():
        for name in defined_names(layout):
            assert f"`{name}`" in text, name


def test_indicator_rows_are_unlocked_as_whole_rows():
    """Excel deletes a row of a protected sheet only when no cell of it is
    locked: each indicator row carries an unlocked row style (cells right of
    the form included); the rows around the grid stay locked."""
    for kind, name in (("selfeval", "项目支出绩效自评表"), ("evaltable", "绩效评价指标体系评分表")):
        layout = template(kind)
        path = Path(__file__).resolve().parents[1] / "xlsx_templates" / f"{name}.xlsx"
        ws = openpyxl.load_workbook(path)[layout.sheet]
        assert ws.protection.sheet and not ws.protection.deleteRows  # allowed
        for row in layout.rows:
            dim = ws.row_dimensions[row]
            assert dim.customFormat and dim.protection.locked is False, (kind, row)
        assert ws.row_dimensions[layout.total_row].protection.locked is not False
