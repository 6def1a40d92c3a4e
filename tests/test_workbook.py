"""Workbook I/O: read_form, form_from_grid, JSON round trip, fill, extract, freeze."""

from __future__ import annotations

import argparse
import copy
import json
import zipfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from perfkit import workbook
from perfkit.commands import forms as forms_cmd
from perfkit.errors import InputError, NotAForm, PerfkitError, UsageError
from perfkit.model import EvalTable, Formula, Loc, SelfEvalForm

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
JSONS = sorted(EXAMPLES.glob("*.json"))


def load(name: str) -> dict:
    return json.loads((EXAMPLES / name).read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", JSONS, ids=lambda p: p.stem)
def test_round_trip_is_lossless(path, tmp_path):
    data = json.loads(path.read_text(encoding="utf-8"))
    out = workbook.fill(data, tmp_path / "out.xlsx")
    assert workbook.extract(out) == data
    assert workbook.form_to_dict(workbook.form_from_dict(data)) == data


def test_read_form_fills_locations_and_rows():
    form = workbook.read_form(EXAMPLES / "longgang2023_dangjian.xlsx")
    assert isinstance(form, SelfEvalForm)
    assert form.project_code == "440307210701500003496"
    assert form.profile == "mof2020"
    assert form.locs["project_name"] == Loc("自评表", "E2")
    assert form.locs["profile"] == Loc("设置", "B1")
    assert form.funds["total"].executed == 1937189.02
    assert form.funds["total"].locs["executed"] == Loc("自评表", "E6")
    assert isinstance(form.exec_rate, Formula) and form.exec_rate.text == "=EXEC_RATE(E6,D6)"
    assert len(form.indicators) == 30
    first = form.indicators[0]
    assert (first.row, first.level1, first.level2) == (14, "产出指标", "数量指标")
    assert first.locs["score"] == Loc("自评表", "H14")
    assert isinstance(first.score, Formula)
    filled = [i for i in form.indicators if not i.is_blank()]
    assert len(filled) == 11 and filled[-1].row == 41


def test_read_evaltable_keeps_hand_scores():
    form = workbook.read_form(EXAMPLES / "futian2021_evaltable.xlsx")
    assert isinstance(form, EvalTable)
    assert form.profile == "futian2021"
    by_name = {i.level3: i for i in form.indicators if i.level3}
    assert by_name["预算执行率"].score == 2.97 and by_name["预算执行率"].row == 15
    assert by_name["辖区群众满意度"].score == 3
    assert isinstance(by_name["活动开展次数"].score, Formula)
    assert list(form.level1_weights) == ["项目决策", "项目管理", "产出", "效益"]
    assert form.locs["exec_rate"] == Loc("评分表", "J3")


def test_form_from_grid_as_the_macros_call_it():
    """xlwings bulk read: floats for numbers, formulas in a second grid."""
    rows, cols = 45, 9
    values = [[None] * cols for _ in range(rows)]
    formulas = [[None] * cols for _ in range(rows)]
    values[1][1] = "440307230401500105001"
    values[5][3], values[5][4] = 27500.0, 27500.0
    values[5][6], formulas[5][6] = 100.0, "=EXEC_RATE(E6,D6)"
    values[13][3], values[13][6], values[13][7] = "提供法律审查意见率", 10.0, 10.0
    formulas[13][7] = '=PERF_SCORE(E14,F14,G14,"",D14,PK_PROFILE)'
    values[16][6], values[16][7] = 20.0, 18.0  # hand score, no formula
    form = workbook.form_from_grid(
        "selfeval",
        {"自评表": values, "设置": [["评分规则", "platform"]]},
        {"自评表": formulas},
        source="x.xlsx",
    )
    assert form.profile == "platform" and form.source == "x.xlsx"
    assert form.exec_rate == Formula("=EXEC_RATE(E6,D6)", 100.0)
    assert form.indicators[0].score == Formula('=PERF_SCORE(E14,F14,G14,"",D14,PK_PROFILE)', 10.0)
    assert form.indicators[3].row == 17 and form.indicators[3].score == 18.0
    assert form.indicators[3].locs["weight"] == Loc("自评表", "G17")
    data = workbook.form_to_dict(form)
    assert data["exec_rate"] is None and data["indicators"][1]["score"] == 18


def test_form_from_grid_missing_sheet():
    with pytest.raises(InputError, match="自评表"):
        workbook.form_from_grid("selfeval", {"Sheet1": [[1]]})


def test_not_a_form(tmp_path):
    path = tmp_path / "other.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "预算表"
    wb.save(path)
    with pytest.raises(NotAForm) as err:
        workbook.read_form(path)
    assert "项目支出绩效自评表" in str(err.value) and "绩效评价指标体系评分表" in str(err.value)


def test_declared_form_with_missing_sheet(tmp_path):
    path = tmp_path / "broken.xlsx"
    wb = openpyxl.load_workbook(EXAMPLES / "longgang2023_falv.xlsx")
    wb["自评表"].title = "Sheet9"
    wb.save(path)
    with pytest.raises(InputError, match="自评表"):
        workbook.read_form(path)


def test_garbage_file_is_refused(tmp_path):
    path = tmp_path / "x.xlsx"
    path.write_bytes(b"not a workbook at all")
    with pytest.raises(InputError):
        workbook.read_form(path)


def test_huge_declared_dimension_is_not_trusted(tmp_path):
    """A worksheet claiming A1:XFD1048576 is read cell by cell of the layout only."""
    src = EXAMPLES / "longgang2023_falv.xlsx"
    path = tmp_path / "dim.xlsx"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(path, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                assert b'<dimension ref="A1:I46"/>' in data
                data = data.replace(
                    b'<dimension ref="A1:I46"/>', b'<dimension ref="A1:XFD1048576"/>'
                )
            zout.writestr(info, data)
    assert workbook.extract(path) == load("longgang2023_falv.json")


def test_hand_score_overrides_formula_and_null_restores_it(tmp_path):
    data = load("longgang2023_shanghui.json")
    data["indicators"][3]["score"] = 5
    out = workbook.fill(data, tmp_path / "a.xlsx")
    ws = openpyxl.load_workbook(out)["自评表"]
    assert ws["H23"].value == 5 and ws["H14"].value.startswith("=PERF_SCORE(")
    data["indicators"][3]["score"] = None
    again = workbook.fill(data, tmp_path / "b.xlsx", template=out)
    ws = openpyxl.load_workbook(again)["自评表"]
    assert ws["H23"].value == '=PERF_SCORE(E23,F23,G23,"",D23,PK_PROFILE)'


def test_fill_over_a_filled_file_clears_unused_rows(tmp_path):
    data = load("longgang2023_dangjian.json")
    small = copy.deepcopy(data)
    small["indicators"] = small["indicators"][:1]
    out = workbook.fill(
        small, tmp_path / "small.xlsx", template=EXAMPLES / "longgang2023_dangjian.xlsx"
    )
    assert workbook.extract(out) == small


def test_custom_formula_and_text_starting_with_equals(tmp_path):
    data = load("longgang2023_falv.json")
    data["indicators"][1]["score"] = {"formula": "=G17*0.9"}
    data["indicators"][0]["target"] = "=100%"
    out = workbook.fill(data, tmp_path / "c.xlsx")
    assert workbook.extract(out) == data


def test_fill_errors_name_the_problem(tmp_path):
    data = load("longgang2023_falv.json")
    bad = copy.deepcopy(data)
    bad["indicators"].extend([dict(bad["indicators"][0]) for _ in range(3)])
    with pytest.raises(InputError, match="数量指标"):
        workbook.fill(bad, tmp_path / "x.xlsx")
    bad = copy.deepcopy(data)
    bad["indicators"][0]["level2"] = "产量指标"
    with pytest.raises(InputError, match="产量指标"):
        workbook.fill(bad, tmp_path / "x.xlsx")
    bad = copy.deepcopy(data)
    bad["budget"] = 1
    with pytest.raises(InputError, match="budget"):
        workbook.fill(bad, tmp_path / "x.xlsx")
    bad = copy.deepcopy(data)
    bad["project_name"] = "a\x01b"
    with pytest.raises(InputError, match="E2"):
        workbook.fill(bad, tmp_path / "x.xlsx")
    with pytest.raises(InputError, match="evaltable"):
        workbook.fill({"form": "budget"}, tmp_path / "x.xlsx")
    with pytest.raises(InputError, match="绩效评价指标体系评分表"):
        workbook.fill(data, tmp_path / "x.xlsx", template=EXAMPLES / "futian2021_evaltable.xlsx")


def test_fill_never_writes_over_its_template(tmp_path):
    template = tmp_path / "t.xlsx"
    template.write_bytes((ROOT / "xlsx_templates" / "项目支出绩效自评表.xlsx").read_bytes())
    before = template.read_bytes()
    with pytest.raises(UsageError):
        workbook.fill(load("longgang2023_falv.json"), template, template=template)
    assert template.read_bytes() == before


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    text=st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=60),
    number=st.one_of(
        st.integers(-(10**12), 10**12),
        st.decimals(places=2, min_value=-(10**9), max_value=10**9).map(float),
    ),
)
def test_round_trip_property(tmp_path, text, number):
    data = load("longgang2023_falv.json")
    data["project_name"] = text or None
    data["funds"]["other"]["executed"] = number
    data["indicators"][2]["actual"] = text or None
    out = workbook.fill(data, tmp_path / "p.xlsx")
    back = workbook.extract(out)
    assert back["project_name"] == data["project_name"]
    assert back["funds"]["other"]["executed"] == number
    assert back == workbook.form_to_dict(workbook.form_from_dict(data))


# --------------------------------------------------------------------------
# freeze
# --------------------------------------------------------------------------


def _all_formulas(path):
    wb = openpyxl.load_workbook(path)
    return {
        f"{ws.title}!{c.coordinate}": c.value
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for c in row
        if c.data_type == "f"
    }


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.xlsx")), ids=lambda p: p.stem)
def test_freeze_removes_every_perfkit_function(path, tmp_path):
    out = workbook.freeze(path, tmp_path / "frozen.xlsx")
    leftovers = {k: v for k, v in _all_formulas(out).items() if workbook.has_udf(v)}
    assert leftovers == {}


def test_freeze_selfeval_native_formulas_and_values(tmp_path):
    out = workbook.freeze(EXAMPLES / "longgang2023_shanghui.xlsx", tmp_path / "f.xlsx")
    ws = openpyxl.load_workbook(out)["自评表"]
    assert ws["G6"].value == '=IF(D6>0,ROUND(E6/D6*100,2),"")'
    assert ws["H6"].value == '=IF(D6>0,ROUND(MIN(E6/D6,1)*IF(ISBLANK(F6),10,F6),2),"")'
    assert ws["H44"].value == "=ROUND(SUM(H6,H14:H43),2)"
    assert ws["H45"].value.startswith('=IF(H44="","",IF(H44>=90,"优"')
    assert ws["H14"].value == 20 and ws["H23"].value == 4
    assert ws["H15"].value is None  # blank row: nothing to score


def test_freeze_keeps_hand_scores(tmp_path):
    out = workbook.freeze(EXAMPLES / "futian2021_selfeval.xlsx", tmp_path / "f.xlsx")
    ws = openpyxl.load_workbook(out)["自评表"]
    assert ws["H44"].value == 100  # typed 合计 as published
    assert [ws[f"H{r}"].value for r in (14, 17, 20, 26, 29, 32, 35, 38)] == [
        20,
        20,
        10,
        8,
        15,
        0,
        7,
        10,
    ]


def test_freeze_refuses_to_overwrite_its_input(tmp_path):
    path = tmp_path / "a.xlsx"
    path.write_bytes((EXAMPLES / "longgang2023_falv.xlsx").read_bytes())
    with pytest.raises(UsageError):
        workbook.freeze(path, path)


# --------------------------------------------------------------------------
# CLI
# --------------------------------------------------------------------------


def _run(argv):
    parser = argparse.ArgumentParser()
    forms_cmd.register(parser.add_subparsers())
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except PerfkitError as err:  # what perfkit.cli.main does
        return 2, str(err)


def test_cli_fill_extract(tmp_path, capsys):
    src = EXAMPLES / "longgang2023_falv.json"
    out = tmp_path / "falv.xlsx"
    assert _run(["fill", "selfeval", str(src), "-o", str(out)]) == 0
    assert out.read_bytes() == (EXAMPLES / "longgang2023_falv.xlsx").read_bytes()
    capsys.readouterr()
    assert _run(["extract", str(out)]) == 0
    assert json.loads(capsys.readouterr().out) == load("longgang2023_falv.json")
    assert _run(["extract", str(out), "-o", str(tmp_path / "x.json")]) == 0
    assert json.loads((tmp_path / "x.json").read_text("utf-8")) == load("longgang2023_falv.json")
    tpl = ROOT / "xlsx_templates" / "项目支出绩效自评表.xlsx"
    assert _run(["fill", str(tpl), str(src), "-o", str(tmp_path / "y.xlsx")]) == 0


def test_cli_bad_input_exit_2(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    code, message = _run(["fill", "selfeval", str(bad), "-o", str(tmp_path / "o.xlsx")])
    assert code == 2 and "JSON" in message and "bad.json" in message
    code, message = _run(["extract", str(tmp_path / "missing.xlsx")])
    assert code == 2 and "不存在" in message
    code, message = _run(
        [
            "fill",
            "selfeval",
            str(EXAMPLES / "longgang2023_falv.json"),
            "-o",
            str(tmp_path / "o.txt"),
        ]
    )
    assert code == 2 and ".xlsx" in message
    code, message = _run(
        ["freeze", str(EXAMPLES / "longgang2023_falv.json"), "-o", str(tmp_path / "o.xlsx")]
    )
    assert code == 2


def test_formula_as_excel_saves_an_add_in_function(tmp_path):
    """Excel may write an add-in function as _xludf.NAME or [1]!NAME: still the template formula."""
    src = openpyxl.load_workbook(EXAMPLES / "longgang2023_falv.xlsx")
    ws = src["自评表"]
    ws["G6"] = "=_xludf.EXEC_RATE(E6,D6)"
    ws["H44"] = "=[1]!PERF_TOTAL(H6,H14:H43)"
    path = tmp_path / "saved.xlsx"
    src.save(path)
    assert workbook.extract(path) == load("longgang2023_falv.json")
