"""Forms in and out: reading perfkit's templates, JSON round trip, fill (any
number of rows), extract, freeze, adopt, and the live-book reader of the macros."""

from __future__ import annotations

import argparse
import copy
import json
import zipfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from perfkit.commands import forms as forms_cmd
from perfkit.errors import InputError, NotAForm, PerfkitError, UsageError
from perfkit.jsonio import extract, form_from_dict, form_to_dict
from perfkit.layout import selfeval_template
from perfkit.model import EvalTable, Formula, Loc, SelfEvalForm
from perfkit.readers import forms_from_grids, read_form, read_forms
from perfkit.writers.adopt import adopt
from perfkit.writers.fill import fill
from perfkit.writers.freeze import freeze, has_udf

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
JSONS = sorted(EXAMPLES.glob("*.json"))


def load(name: str) -> dict:
    return json.loads((EXAMPLES / name).read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", JSONS, ids=lambda p: p.stem)
def test_round_trip_is_lossless(path, tmp_path):
    data = json.loads(path.read_text(encoding="utf-8"))
    out = fill(data, tmp_path / "out.xlsx")
    assert extract(out) == data
    assert form_to_dict(form_from_dict(data)) == data


def test_read_form_fills_locations_and_rows():
    form = read_form(EXAMPLES / "longgang2023_dangjian.xlsx")
    assert isinstance(form, SelfEvalForm)
    assert form.project_code == "440307210701500003496"
    assert form.profile == "mof2020"
    assert form.locs["project_name"] == Loc("自评表", "E2")
    assert form.locs["profile"] == Loc("设置", "B1")
    assert form.funds["total"].executed == 1937189.02
    assert form.funds["total"].locs["executed"] == Loc("自评表", "E6")
    assert isinstance(form.exec_rate, Formula) and form.exec_rate.text == "=EXEC_RATE(E6,D6)"
    # the example was filled with as many rows as it has: one per 二级指标 but 质量指标 (2)
    layout = form.layout
    assert [(g.level2, g.rows) for g in layout.groups][:3] == [
        ("数量指标", 1),
        ("质量指标", 2),
        ("时效指标", 1),
    ]
    first = form.indicators[0]
    assert (first.row, first.level1, first.level2) == (14, "产出指标", "数量指标")
    assert first.locs["score"] == Loc("自评表", "H14")
    assert isinstance(first.score, Formula)
    filled = [i for i in form.indicators if not i.is_blank()]
    assert len(filled) == 11 and filled[-1].row == layout.last_row
    assert form.locs["total"] == Loc("自评表", f"H{layout.last_row + 1}")


def test_read_evaltable_keeps_hand_scores():
    form = read_form(EXAMPLES / "futian2021_evaltable.xlsx")
    assert isinstance(form, EvalTable)
    assert form.profile == "futian2021"
    by_name = {i.level3: i for i in form.indicators if i.level3}
    assert by_name["预算执行率"].score == 2.97
    assert by_name["预算执行率"].locs["score"] == Loc("评分表", f"I{by_name['预算执行率'].row}")
    assert by_name["辖区群众满意度"].score == 3
    assert isinstance(by_name["活动开展次数"].score, Formula)
    assert form.locs["exec_rate"] == Loc("评分表", "J3")
    assert form.amount_unit == "万元"


def test_forms_from_grids_as_the_macros_call_them():
    """xlwings bulk read of a live book: floats for numbers, formulas in a second grid."""
    layout = selfeval_template()
    rows, cols = layout.total_row + 2, 9
    values = [[None] * cols for _ in range(rows)]
    formulas = [[None] * cols for _ in range(rows)]
    for piece in layout.pieces:
        if piece.kind == "label":
            values[piece.span[0] - 1][piece.span[1] - 1] = piece.text
    for g in layout.groups:
        values[g.first_row - 1][2] = g.level2
    for level1, (lo, _) in layout.level1_blocks().items():
        values[lo - 1][1] = f"{level1}（50分）"
    values[1][1] = "440307230401500105001"
    values[5][3], values[5][4] = 27500.0, 27500.0
    values[5][6], formulas[5][6] = 100.0, "=EXEC_RATE(E6,D6)"
    values[13][3], values[13][6], values[13][7] = "提供法律审查意见率", 10.0, 10.0
    formulas[13][7] = '=PERF_SCORE(E14,F14,G14,"",D14,PK_PROFILE)'
    values[16][6], values[16][7] = 20.0, 18.0  # hand score, no formula
    (form,) = forms_from_grids(
        {"自评表": values, "设置": [["评分规则", "platform"], ["模板版本", "perfkit-selfeval-2"]]},
        {"自评表": formulas},
        source="x.xlsx",
    )
    assert form.profile == "platform" and form.source == "x.xlsx"
    assert form.exec_rate == Formula("=EXEC_RATE(E6,D6)", 100.0)
    assert form.indicators[0].score == Formula('=PERF_SCORE(E14,F14,G14,"",D14,PK_PROFILE)', 10.0)
    assert form.indicators[3].row == 17 and form.indicators[3].score == 18.0
    assert form.indicators[3].locs["weight"] == Loc("自评表", "G17")
    assert form.indicators[3].level2 == "质量指标"
    data = form_to_dict(form)
    assert data["exec_rate"] is None and data["indicators"][1]["score"] == 18


def test_not_a_form_says_what_was_found(tmp_path):
    path = tmp_path / "other.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "预算表"
    wb.active["A1"] = "年初预算数"
    wb.active["B1"] = "全年预算数"
    wb.active["C1"] = "全年执行数"
    wb.save(path)
    with pytest.raises(NotAForm) as err:
        read_form(path)
    text = str(err.value)
    assert "项目支出绩效自评表" in text and "绩效评价指标体系评分表" in text
    assert "找到了资金使用情况" in text and "没有找到年度绩效指标表头" in text
    assert "预算表" in text and "other.xlsx" in text


def test_renamed_sheet_is_still_read(tmp_path):
    """Forms are found by their labels, not by sheet names."""
    path = tmp_path / "renamed.xlsx"
    wb = openpyxl.load_workbook(EXAMPLES / "longgang2023_falv.xlsx")
    wb["自评表"].title = "Sheet9"
    wb.save(path)
    form = read_form(path)
    assert form.sheet == "Sheet9" and form.locs["total"].sheet == "Sheet9"
    data = extract(path)
    assert data["indicators"] == load("longgang2023_falv.json")["indicators"]


def test_garbage_file_is_refused(tmp_path):
    path = tmp_path / "x.xlsx"
    path.write_bytes(b"not a workbook at all")
    with pytest.raises(InputError):
        read_form(path)


def test_huge_declared_dimension_is_not_trusted(tmp_path):
    """A worksheet claiming A1:XFD1048576 is read for the cells it holds."""
    src = EXAMPLES / "longgang2023_falv.xlsx"
    path = tmp_path / "dim.xlsx"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(path, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                assert b"<dimension ref=" in data
                start = data.index(b"<dimension ref=")
                end = data.index(b"/>", start) + 2
                data = data[:start] + b'<dimension ref="A1:XFD1048576"/>' + data[end:]
            zout.writestr(info, data)
    assert extract(path) == load("longgang2023_falv.json")


def test_a_far_cell_is_ignored_and_reported(tmp_path):
    """One value in XFD1048576 would make calamine allocate 512 GiB: the
    sheet is cut to the block a form can use, the form read, the cell named."""
    wb = openpyxl.load_workbook(EXAMPLES / "longgang2023_falv.xlsx")
    wb["自评表"]["XFD1048576"] = "x"
    path = tmp_path / "far.xlsx"
    wb.save(path)
    form = read_form(path)
    assert form_to_dict(form)["indicators"] == load("longgang2023_falv.json")["indicators"]
    assert [code for code, _, _ in form.issues] == ["CELLS_IGNORED"]
    assert "XFD1048576" in form.issues[0][2]


def test_hand_score_overrides_formula_and_null_restores_it(tmp_path):
    data = load("longgang2023_shanghui.json")
    data["indicators"][3]["score"] = 5
    out = fill(data, tmp_path / "a.xlsx")
    form = read_form(out)
    cost = form.indicators[3]
    ws = openpyxl.load_workbook(out)["自评表"]
    assert ws[cost.locs["score"].cell].value == 5
    assert ws["H14"].value.startswith("=PERF_SCORE(")
    data["indicators"][3]["score"] = None
    again = fill(data, tmp_path / "b.xlsx", template=out)
    ws = openpyxl.load_workbook(again)["自评表"]
    row = cost.row
    first = form.layout.group_of(row).first_row
    assert (
        ws[f"H{row}"].value == f'=PERF_SCORE(E{row},F{row},G{row},"",D{row},PK_PROFILE,$C${first})'
    )


def test_fill_into_the_blank_template_file(tmp_path):
    small = load("longgang2023_dangjian.json")
    small["indicators"] = small["indicators"][:1]
    out = fill(
        small, tmp_path / "small.xlsx", template=ROOT / "xlsx_templates" / "项目支出绩效自评表.xlsx"
    )
    assert extract(out) == small
    assert read_form(out).layout.groups[0].rows == 3  # the template's own rows


def test_as_many_rows_as_the_data_has(tmp_path):
    """A fourth 数量指标 (the old template had three rows per group)."""
    data = load("longgang2023_falv.json")
    extra = [dict(data["indicators"][0], level3=f"指标{i}") for i in range(4)]
    data["indicators"] = extra + data["indicators"][1:]
    out = fill(data, tmp_path / "four.xlsx")
    form = read_form(out)
    assert form.layout.groups[0].level2 == "数量指标" and form.layout.groups[0].rows == 4
    assert extract(out) == data
    ws = openpyxl.load_workbook(out)["自评表"]
    first, last = form.layout.first_row, form.layout.last_row
    assert ws[form.layout.cell("total")].value == f"=PERF_TOTAL(H6,H{first}:H{last})"
    assert ws["B14"].value.endswith(
        f'SUM(G14:G{form.layout.level1_blocks()["产出指标"][1]})&"分）"'
    )


def test_template_file_too_small_is_named(tmp_path):
    data = load("longgang2023_falv.json")
    data["indicators"] = [dict(data["indicators"][0], level3=f"指标{i}") for i in range(4)]
    with pytest.raises(InputError, match="数量指标"):
        fill(
            data, tmp_path / "x.xlsx", template=ROOT / "xlsx_templates" / "项目支出绩效自评表.xlsx"
        )


def test_amounts_keep_their_unit_through_json(tmp_path):
    """A 自评表 in 万元 (the national form) extracted to JSON says amount_unit
    万元: filled back it is a 万元 template, and the summary gives the amounts
    in 元 as the original's; a 元 template file refuses the data (195.93 万元
    would read as 195.93 元); a 元 form's document has no amount_unit."""
    from perfkit.summary import summarize_form
    from tests.test_unseen_layouts import hebei_style

    path = tmp_path / "wan.xlsx"
    hebei_style(path, wan=True)
    data = extract(path)
    assert data["amount_unit"] == "万元"
    out = fill(data, tmp_path / "filled.xlsx")
    assert extract(out) == data
    original, filled = (summarize_form(read_form(p)) for p in (path, out))
    assert filled["annual_budget"] == original["annual_budget"] == 1959300
    assert filled["executed"] == original["executed"] == 1937189.02
    with pytest.raises(InputError, match="数据的金额单位是万元，模板是元"):
        fill(
            data, tmp_path / "x.xlsx", template=ROOT / "xlsx_templates" / "项目支出绩效自评表.xlsx"
        )
    assert "amount_unit" not in load("longgang2023_falv.json")
    assert "amount_unit" not in extract(EXAMPLES / "longgang2023_falv.xlsx")
    with pytest.raises(InputError, match="amount_unit 应为“元”或“万元”"):
        fill(dict(data, amount_unit="千元"), tmp_path / "x.xlsx")


def test_custom_formula_and_text_starting_with_equals(tmp_path):
    data = load("longgang2023_falv.json")
    data["indicators"][1]["score"] = {"formula": "=G15*0.9"}
    data["indicators"][0]["target"] = "=100%"
    out = fill(data, tmp_path / "c.xlsx")
    assert extract(out) == data


def test_fill_errors_name_the_problem(tmp_path):
    data = load("longgang2023_falv.json")
    bad = copy.deepcopy(data)
    bad["indicators"][0]["level2"] = ""
    with pytest.raises(InputError, match="level2"):
        fill(bad, tmp_path / "x.xlsx")
    bad = copy.deepcopy(data)
    bad["budget"] = 1
    with pytest.raises(InputError, match="budget"):
        fill(bad, tmp_path / "x.xlsx")
    bad = copy.deepcopy(data)
    bad["project_name"] = "a\x01b"
    with pytest.raises(InputError, match="E2"):
        fill(bad, tmp_path / "x.xlsx")
    with pytest.raises(InputError, match="evaltable"):
        fill({"form": "budget"}, tmp_path / "x.xlsx")
    with pytest.raises(InputError, match="绩效评价指标体系评分表"):
        fill(data, tmp_path / "x.xlsx", template=EXAMPLES / "futian2021_evaltable.xlsx")


def test_a_new_second_level_group_gets_its_rows(tmp_path):
    """A 二级指标 the official form does not list is a group of its own."""
    data = load("longgang2023_falv.json")
    data["indicators"][0]["level2"] = "产量指标"
    out = fill(data, tmp_path / "x.xlsx")
    groups = [(g.level1, g.level2) for g in read_form(out).layout.groups]
    assert ("产出指标", "产量指标") in groups
    assert [i["level2"] for i in extract(out)["indicators"]].count("产量指标") == 1


def test_fill_never_writes_over_its_template(tmp_path):
    template = tmp_path / "t.xlsx"
    template.write_bytes((ROOT / "xlsx_templates" / "项目支出绩效自评表.xlsx").read_bytes())
    before = template.read_bytes()
    with pytest.raises(UsageError):
        fill(load("longgang2023_falv.json"), template, template=template)
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
@example(text="实际完成情况", number=0)  # a value that reads like a label (found by hypothesis)
@example(text="合计", number=1)  # …or like the grid's end
@example(text="项目名称", number=-1)
def test_round_trip_property(tmp_path, text, number):
    data = load("longgang2023_falv.json")
    data["project_name"] = text or None
    data["funds"]["other"]["executed"] = number
    data["indicators"][2]["actual"] = text or None
    out = fill(data, tmp_path / "p.xlsx")
    back = extract(out)
    assert back["project_name"] == data["project_name"]
    assert back["funds"]["other"]["executed"] == number
    assert back == form_to_dict(form_from_dict(data))


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
    out = freeze(path, tmp_path / "frozen.xlsx")
    leftovers = {k: v for k, v in _all_formulas(out).items() if has_udf(v)}
    assert leftovers == {}


def test_freeze_selfeval_native_formulas_and_values(tmp_path):
    out = freeze(EXAMPLES / "longgang2023_shanghui.xlsx", tmp_path / "f.xlsx")
    layout = read_form(out).layout
    ws = openpyxl.load_workbook(out)["自评表"]
    total = layout.cell("total")
    first, last = layout.first_row, layout.last_row
    assert ws["G6"].value == '=IF(D6>0,ROUND(E6/D6*100,2),"")'
    assert ws["H6"].value == '=IF(D6>0,ROUND(MIN(E6/D6,1)*IF(ISBLANK(F6),10,F6),2),"")'
    assert (
        ws[total].value == f'=IF(COUNT(H6,H{first}:H{last})=0,"",ROUND(SUM(H6,H{first}:H{last}),2))'
    )
    assert ws[layout.cell("grade")].value.startswith(f'=IF(ISNUMBER({total}),IF({total}>=90,"优"')
    scores = [ws[i.locs["score"].cell].value for i in read_form(out).indicators]
    assert scores[0] == 20 and scores[3] == 4  # 成本指标 5家 -> 2家


def test_freeze_keeps_hand_scores(tmp_path):
    out = freeze(EXAMPLES / "futian2021_selfeval.xlsx", tmp_path / "f.xlsx")
    form = read_form(out)
    assert form.total == 100  # typed 合计 as published
    assert [i.score for i in form.indicators if not i.is_blank()] == [20, 20, 10, 8, 15, 0, 7, 10]


def test_freeze_refuses_to_overwrite_its_input(tmp_path):
    path = tmp_path / "a.xlsx"
    path.write_bytes((EXAMPLES / "longgang2023_falv.xlsx").read_bytes())
    with pytest.raises(UsageError):
        freeze(path, path)


# --------------------------------------------------------------------------
# adopt
# --------------------------------------------------------------------------


def test_adopt_a_template_gives_the_same_form(tmp_path):
    results = adopt(EXAMPLES / "longgang2023_dangjian.xlsx", tmp_path)
    assert len(results) == 1 and results[0].path.name == "longgang2023_dangjian_转为模板.xlsx"
    assert extract(results[0].path) == load("longgang2023_dangjian.json")
    assert results[0].kept_typed == [] and results[0].lost == []


def test_adopt_keeps_figures_the_formulas_do_not_give(tmp_path):
    (result,) = adopt(EXAMPLES / "futian2021_evaltable.xlsx", tmp_path)
    form = read_form(result.path)
    typed = {str(i.level3): i.score for i in form.indicators if not isinstance(i.score, Formula)}
    assert typed == {"预算执行率": 2.97, "辖区群众满意度": 3}
    assert len(result.kept_typed) == 2 and "2.97" in result.kept_typed[0]
    assert form.total.cached == pytest.approx(96.97)


def test_adopt_never_writes_over_its_input(tmp_path):
    src = tmp_path / "x_转为模板.xlsx"
    src.write_bytes((EXAMPLES / "longgang2023_falv.xlsx").read_bytes())
    before = src.read_bytes()
    results = adopt(src, tmp_path)
    assert results[0].path != src and src.read_bytes() == before


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


def test_cli_adopt(tmp_path, capsys):
    assert _run(["adopt", str(EXAMPLES / "futian2021_evaltable.xlsx"), "-o", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "已转为模板" in out and "保留原值" in out and "2.97" in out
    assert len(read_forms(tmp_path / "futian2021_evaltable_转为模板.xlsx")) == 1


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
    total = read_form(EXAMPLES / "longgang2023_falv.xlsx").layout.cell("total")
    formula = ws[total].value
    ws["G6"] = "=_xludf.EXEC_RATE(E6,D6)"
    ws[total] = formula.replace("=PERF_TOTAL", "=[1]!PERF_TOTAL")
    path = tmp_path / "saved.xlsx"
    src.save(path)
    assert extract(path) == load("longgang2023_falv.json")
