"""Checks between the forms of one batch (perfkit.validate.between).

The same project twice (``PROJECT_REPEATED``): a unit sends its form again
after a correction, or keeps a copy beside the new one, and every sum of the
汇总 counts the project twice.  The keys are tested on their own (code; unit
and name; year and kind kept apart; full-width digits and spaces; two codes
under one name), then each surface on files: two copies of the 龙岗
法律顾问服务经费 example (one a LibreOffice .xls), forms typed without a code
in the 河北 habit, and a corrected copy on a second sheet of the same workbook.

A 自评表 and the 评分表 of its project that disagree
(``EVALUATION_AMOUNT_DIFFERS`` / ``EVALUATION_TARGET_DIFFERS``): the two 福田
2021 seed forms as published (满意度 不低于 85 % against the 标杆 ≥ 90 %,
DOMAIN F-6), and with one amount of the 评分表 changed.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from perfkit import review, summary
from perfkit.cli import main
from perfkit.validate.between import Entry, _declared_same, _same_amount, _same_target, find
from perfkit.validate.codes import BATCH_CODES
from tests.test_unseen_layouts import hebei_style

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
FALV = EXAMPLES / "longgang2023_falv.xlsx"  # 项目编码 440307230401500105001 in B2
SHANGHUI = EXAMPLES / "longgang2023_shanghui.xlsx"
FALV_CODE = "440307230401500105001"
UNIT = "深圳市龙岗区工商业联合会"
FUTIAN_SELF = EXAMPLES / "futian2021_selfeval.xlsx"
FUTIAN_EVAL = EXAMPLES / "futian2021_evaltable.xlsx"  # 万元; 全年执行数 180.57 in H3
PAIR_CODES = ("EVALUATION_AMOUNT_DIFFERS", "EVALUATION_TARGET_DIFFERS")
BATCH_CODE_NAMES = tuple(d.code for d in BATCH_CODES)


def entry(file="a.xlsx", kind="自评表", unit=UNIT, code="", name="法律顾问服务经费", year="2023"):
    return Entry(file, "自评表", kind, unit, code, name, year)


def pairs(entries) -> set[tuple[int, int]]:
    return {(i, j) for i, r in find(entries).items() for j in r.others}


# -- the keys ----------------------------------------------------------------------


def test_the_same_code_is_the_same_project_whatever_the_name():
    found = find([entry(code=FALV_CODE), entry("b.xlsx", code=FALV_CODE, name="法律顾问费")])
    assert set(found) == {0, 1} and found[0].by_code


@pytest.mark.parametrize(
    "other",
    [
        dict(code="４４０３０７２３０４０１５００１０５００１"),  # full-width digits (NFKC)
        dict(code="44030723040150010 5001"),  # a space copied from a PDF
    ],
)
def test_codes_are_compared_without_width_and_spaces(other):
    assert pairs([entry(code=FALV_CODE), entry("b.xlsx", **other)]) == {(0, 1), (1, 0)}


def test_the_same_unit_and_name_without_codes():
    found = find(
        [entry(name="法律顾问 服务经费"), entry("b.xlsx", unit=" 深圳市龙岗区工商业联合会")]
    )
    assert set(found) == {0, 1} and not found[0].by_code


@pytest.mark.parametrize(
    "other",
    [
        dict(year="2022"),  # last year's form
        dict(kind="评分表"),  # the bureau's evaluation of the same project
        dict(unit="深圳市福田区工商业联合会"),  # another unit's project of that name
        dict(name="商会组织建设"),
        dict(unit="", name=""),  # nothing to tell it by
    ],
)
def test_what_is_not_the_same_project(other):
    assert not find([entry(), entry("b.xlsx", **other)])


def test_two_codes_under_one_name_are_two_projects():
    assert not find([entry(code=FALV_CODE), entry("b.xlsx", code="440307230401500105002")])
    # but a form without a code and one with it, of one unit and name, are one
    assert pairs([entry(code=FALV_CODE), entry("b.xlsx")]) == {(0, 1), (1, 0)}


def test_a_form_without_a_code_joins_no_two_codes():
    """A and C have two codes under one unit and name, B has none: B may be
    either, so it is a repeat of each; A and C are still two projects."""
    entries = [entry(code=FALV_CODE), entry("b.xlsx"), entry("c.xlsx", code=FALV_CODE[:-1] + "2")]
    found = find(entries)
    assert {i: r.others for i, r in found.items()} == {0: (1,), 1: (0, 2), 2: (1,)}
    assert not any(r.by_code for r in found.values())


def test_a_year_written_another_way_is_the_same_year():
    assert find([entry(year="2023"), entry("b.xlsx", year="2023年度")])
    assert find([entry(year="2023"), entry("b.xlsx", year="二〇二三年度")])


def test_three_forms_of_one_project_name_each_other():
    entries = [entry(code=FALV_CODE), entry("b.xlsx"), entry("c.xlsx", code=FALV_CODE)]
    found = find(entries)
    assert {i: r.others for i, r in found.items()} == {0: (1, 2), 1: (0, 2), 2: (0, 1)}
    message = found[0].message(entries, 0)
    assert message.startswith(
        f"同一项目（单位“{UNIT}”、项目名称“法律顾问服务经费”，2023年度自评表）"
    )
    assert "另有 2 份：b.xlsx 工作表「自评表」；c.xlsx 工作表「自评表」。" in message
    assert "请核实后只保留一份" in message


def test_a_second_sheet_of_the_same_file_is_named_as_such():
    entries = [
        entry(code=FALV_CODE),
        Entry("a.xlsx", "修改后", "自评表", UNIT, FALV_CODE, "x", "2023"),
    ]
    assert "另有 1 份：本文件工作表「修改后」。" in find(entries)[0].message(entries, 0)


def test_every_batch_code_is_tested_here():
    assert [d.code for d in BATCH_CODES] == [
        "PROJECT_REPEATED",
        "EVALUATION_AMOUNT_DIFFERS",
        "EVALUATION_TARGET_DIFFERS",
        "TARGET_CHANGED",
        "INDICATOR_DROPPED",
    ]


# -- the surfaces, on files ---------------------------------------------------------


@pytest.fixture
def folder(tmp_path) -> Path:
    """Two copies of one form (the second renamed as a corrected version) and another project."""
    d = tmp_path / "报送"
    d.mkdir()
    shutil.copy(FALV, d / "法律顾问服务经费.xlsx")
    shutil.copy(FALV, d / "法律顾问服务经费（修改）.xlsx")
    shutil.copy(SHANGHUI, d / "商会组织建设.xlsx")
    return d


def _digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir()}


def _validate(capsys, *paths, codes=("PROJECT_REPEATED",)) -> tuple[int, list[dict]]:
    code = main(["validate", "--format", "json", "--no-progress", *map(str, paths)])
    data = json.loads(capsys.readouterr().out)
    return code, [f for f in data["findings"] if f["code"] in codes]


def test_validate_reports_each_copy_at_its_code_cell(folder, capsys):
    before = _digest(folder)
    code, found = _validate(capsys, folder)
    assert code == 0  # a warning: the example has no error
    assert [(Path(f["file"]).name, f["cell"], f["severity"]) for f in found] == [
        ("法律顾问服务经费.xlsx", "B2", "warning"),
        ("法律顾问服务经费（修改）.xlsx", "B2", "warning"),
    ]
    assert f"项目编码 {FALV_CODE}，2023年度自评表" in found[0]["message"]
    assert "法律顾问服务经费（修改）.xlsx 工作表「自评表」" in found[0]["message"]
    assert _digest(folder) == before


def test_one_file_alone_has_no_repeat(capsys):
    assert _validate(capsys, FALV) == (0, [])
    assert _validate(capsys, FUTIAN_SELF) == (1, [])  # its own TOTAL_MISMATCH only


def test_a_libreoffice_xls_copy_is_the_same_project(tmp_path, capsys, libreoffice):
    xls = tmp_path / "法律顾问服务经费.xls"
    libreoffice.convert(FALV, xls)
    _, found = _validate(capsys, FALV, xls)
    assert [(Path(f["file"]).suffix, f["cell"]) for f in found] == [(".xlsx", "B2"), (".xls", "B2")]


def test_typed_forms_without_a_code_are_found_at_the_name_cell(tmp_path, capsys):
    """The 河北 habit: 项目名称：… after the colon of a merged head cell, no 项目编码."""
    hebei_style(tmp_path / "培训.xlsx")
    hebei_style(tmp_path / "培训（第二次报送）.xlsx", wan=False, colon=False)
    _, found = _validate(capsys, tmp_path)
    assert [(Path(f["file"]).name, f["cell"]) for f in found] == [
        ("培训.xlsx", "A3"),
        ("培训（第二次报送）.xlsx", "B3"),
    ]
    assert "单位“某区工商业联合会”、项目名称“中小企业培训服务项目”" in found[0]["message"]


def test_a_corrected_copy_on_a_second_sheet(tmp_path, capsys):
    path = tmp_path / "两份.xlsx"
    wb = openpyxl.load_workbook(FALV)
    wb.copy_worksheet(wb["自评表"]).title = "自评表（修改）"
    wb.save(path)
    _, found = _validate(capsys, path)
    assert [(f["sheet"], f["cell"]) for f in found] == [("自评表", "B2"), ("自评表（修改）", "B2")]
    assert "本文件工作表「自评表（修改）」" in found[0]["message"]


def test_summarize_notes_and_counts_each_copy(folder, tmp_path, capsys):
    out = tmp_path / "汇总.xlsx"
    assert main(["summarize", str(folder), "-o", str(out), "--no-progress"]) == 0
    err = capsys.readouterr().err
    assert "注意：2 份表格与同批的其他表格不一致或重复（PROJECT_REPEATED 2）" in err
    ws = openpyxl.load_workbook(out)["汇总"]
    head = [c.value for c in ws[1]]
    rows = [dict(zip(head, r, strict=True)) for r in ws.iter_rows(min_row=2, values_only=True)]
    by_file = {Path(r["文件"]).name: r for r in rows if r["文件"]}
    (alone,) = summary.summarize_path(summary._Job(str(FALV), None))
    one, two = by_file["法律顾问服务经费.xlsx"], by_file["法律顾问服务经费（修改）.xlsx"]
    for row in (one, two):
        assert row["警告数"] == alone["warnings"] + 1
        assert row["备注"].startswith(f"同一项目（项目编码 {FALV_CODE}，2023年度自评表）另有 1 份")
    assert "（修改）" in one["备注"] and "（修改）" not in two["备注"]
    assert by_file["商会组织建设.xlsx"]["备注"] is None
    # the sums still count both copies: the bureau decides which one stands
    units = openpyxl.load_workbook(out)["按单位"]
    counts = {r[0]: r[1] for r in units.iter_rows(min_row=2, values_only=True) if r[0]}
    assert sum(counts.values()) == 3


def test_the_dataframe_has_the_same_notes(folder):
    df = summary.summarize(folder, jobs=1)
    notes = [n for n in df["note"] if isinstance(n, str)]
    assert len(notes) == 2 and all("另有 1 份" in n for n in notes)


def test_review_counts_it_as_a_warning_in_the_risk(folder, tmp_path):
    alone = review.run([FALV], tmp_path / "单独", seed=1, jobs=1, progress=False)
    result = review.run([folder], tmp_path / "复核", sample="100%", seed=1, jobs=1, progress=False)
    base = alone.ranked[0]
    copies = [r for r in result.ranked if r.between]
    assert len(copies) == 2
    for r in copies:
        assert r.risk.total == base.risk.total + 2
        assert r.risk.findings == base.risk.findings + 2
        assert r.warnings == base.warnings + 1
        assert r.risk.reasons[-1].startswith("重复报送 2：同一项目（项目编码")
        paper = r.workpaper_data()
        assert ("warning", "自评表!B2", "PROJECT_REPEATED") == paper.others[-1][:3]
    ws = openpyxl.load_workbook(result.list_path)["复核清单"]
    texts = [v for row in ws.iter_rows(values_only=True) for v in row if isinstance(v, str)]
    assert sum("重复报送 2：" in t for t in texts) == 2
    # the workpapers and the letter name it
    for path in result.workpapers:
        book = openpyxl.load_workbook(path)
        cells = [v for ws in book for row in ws.iter_rows(values_only=True) for v in row]
        if "法律顾问" in path.name:
            assert "PROJECT_REPEATED" in cells
    import docx

    letter = docx.Document(str(result.letters[0]))
    body = "\n".join(p.text for p in letter.paragraphs) + "\n".join(
        c.text for t in letter.tables for row in t.rows for c in row.cells
    )
    assert "另有 1 份" in body


def test_the_risk_cap_holds():
    risk = review.Risk(*(review.FINDINGS_CAP, review.FINDINGS_CAP, 0, 0, 0), ("问题分 40：…",))
    more = review.with_warning(risk, "重复报送", "同一项目……")
    assert more.total == review.FINDINGS_CAP
    assert more.reasons[-1] == "重复报送 0（问题分已达上限 40）：同一项目……"


# -- a 自评表 and the 评分表 of its project -----------------------------------------


@pytest.mark.parametrize(
    "a, b, same",
    [
        ("不低于85%", "≥90%", False),  # DOMAIN F-6
        ("服务对象满意度指标不低于 85%", "≥85%", True),
        ("≥8次", "不少于8次", True),
        ("3万元", "30000元", True),  # one amount in two units
        ("≤3万元", "≤2.75万元", False),
        ("≥8次", "≥8场", True),  # other units: not put side by side
        ("明显提升", "≥90%", True),  # words: left alone
        ("≥8次；≥6期", "≥8次", True),  # two measures: left alone
    ],
)
def test_targets_compared(a, b, same):
    assert _same_target(a, b) is same


@pytest.mark.parametrize(
    "a, b, wan, same",
    [
        ("1937189.02", "1937200", True, True),  # 193.72 万元 on the 评分表
        ("1937189.02", "1937200", False, False),
        ("1805700", "1807500", True, False),
    ],
)
def test_amounts_compared(a, b, wan, same):
    assert _same_amount(Decimal(a), Decimal(b), wan) is same


def test_the_futian_pair_as_published(capsys):
    """F-6: 表1-2's 满意度 不低于 85 %, 表2-1's 辖区群众满意度 标杆 ≥ 90 %; the
    amounts agree (1822000 元 = 182.2 万元, 1805700 元 = 180.57 万元)."""
    code, found = _validate(capsys, FUTIAN_SELF, FUTIAN_EVAL, codes=PAIR_CODES)
    assert code == 1  # the seeds' own errors
    assert [(Path(f["file"]).name, f["code"], f["cell"]) for f in found] == [
        ("futian2021_selfeval.xlsx", "EVALUATION_TARGET_DIFFERS", "E22"),
        ("futian2021_evaltable.xlsx", "EVALUATION_TARGET_DIFFERS", "E26"),
    ]
    assert "“服务对象满意度指标不低于 85%”" in found[0]["message"]
    assert "“≥90%”" in found[0]["message"]


def test_the_marked_copies_carry_the_findings_between_forms(tmp_path, capsys):
    """--out: each copy notes what the console says of it, the pair's F-6 included
    (the copies are written once the whole batch is checked)."""
    out = tmp_path / "标注"
    code = main(
        ["validate", "--no-progress", "--out", str(out), str(FUTIAN_SELF), str(FUTIAN_EVAL)]
    )
    assert code == 1
    capsys.readouterr()
    for name, sheet, cell in (
        ("futian2021_selfeval_校验.xlsx", "自评表", "E22"),
        ("futian2021_evaltable_校验.xlsx", "评分表", "E26"),
    ):
        marked = openpyxl.load_workbook(out / name)
        assert "EVALUATION_TARGET_DIFFERS" in marked[sheet][cell].comment.text, name
        listed = [row[1].value for row in marked["校验结果"].iter_rows()]
        assert "EVALUATION_TARGET_DIFFERS" in listed, name
    # one file alone: its copy has no such note
    main(["validate", "--no-progress", "--out", str(tmp_path / "单独"), str(FUTIAN_SELF)])
    alone = openpyxl.load_workbook(tmp_path / "单独" / "futian2021_selfeval_校验.xlsx")
    assert alone["自评表"]["E22"].comment is None


def _futian_eval_copy(tmp_path, **cells) -> Path:
    path = tmp_path / "评分表.xlsx"
    wb = openpyxl.load_workbook(FUTIAN_EVAL)
    for cell, value in cells.items():
        wb["评分表"][cell] = value
    wb.save(path)
    return path


def test_an_amount_the_two_forms_disagree_on(tmp_path, capsys):
    evaltable = _futian_eval_copy(tmp_path, H3=180.75)  # 全年执行数, 万元
    _, found = _validate(capsys, FUTIAN_SELF, evaltable, codes=("EVALUATION_AMOUNT_DIFFERS",))
    assert [(Path(f["file"]).name, f["cell"]) for f in found] == [
        ("futian2021_selfeval.xlsx", "E6"),
        ("评分表.xlsx", "H3"),
    ]
    assert found[0]["message"].startswith("全年执行数 1805700 元，而同一项目的评分表")
    assert "为 180.75 万元" in found[0]["message"]
    assert found[1]["message"].startswith("全年执行数 180.75 万元，而同一项目的自评表")


@pytest.mark.parametrize("cells", [dict(B3=2022), dict(B2="工商联经费项目（二期）")])
def test_forms_of_other_projects_or_years_are_not_compared(tmp_path, capsys, cells):
    other = _futian_eval_copy(tmp_path, H3=180.75, **cells)  # 年度 B3, 项目名称 B2
    _, found = _validate(capsys, FUTIAN_SELF, other, codes=PAIR_CODES)
    assert found == []


def test_the_pair_in_the_summary_and_the_review(tmp_path, capsys):
    folder = tmp_path / "福田"
    folder.mkdir()
    for path in (FUTIAN_SELF, FUTIAN_EVAL):
        shutil.copy(path, folder / path.name)
    out = tmp_path / "汇总.xlsx"
    main(["summarize", str(folder), "-o", str(out), "--no-progress"])
    assert "（EVALUATION_TARGET_DIFFERS 2）" in capsys.readouterr().err
    rows = summary.summarize(folder, jobs=1)
    notes = [n for n in rows["note"] if isinstance(n, str)]
    assert len(notes) == 2 and all("同一指标应按同一个值考核" in n for n in notes)
    result = review.run([folder], tmp_path / "复核", sample="0", seed=1, jobs=1, progress=False)
    reasons = [r.risk.reasons[-1] for r in result.ranked]
    assert all(t.startswith("自评表与评分表指标值不一致 2：") for t in reasons)


# -- a 自评表 and the 绩效目标申报表 of its project --------------------------------------

# the 河北-habit 自评表 of test_unseen_layouts (元, heads in cells of their own):
# 中小企业培训服务项目, 某区工商业联合会, 2023; 举办培训场次 ≥10场 in E13
DECLARED = [  # 一级, 二级, 三级, 指标值 as declared
    ("产出指标", "数量指标", "举办培训场次", "≥10场"),
    ("产出指标", "质量指标", "培训合格率", "≥95%"),
    ("效益指标", "社会效益指标", "企业参与度", "明显提升"),
    ("满意度指标", "服务对象满意度指标", "参训企业满意度", "≥90%"),
]


def declaration(path, rows=DECLARED, title="项目支出绩效目标申报表", unit="某区工商业联合会"):
    """A 申报表 as 佳县 / the MOF reference template lay it out (DOMAIN §3.2):
    head fields, the 资金 block as one column of amounts, 总体目标, and the
    grid 一级 | 二级 | 三级 | 指标值 with the first level merged down."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "申报表"
    ws["A1"] = title
    ws.merge_cells("A1:E1")
    ws["A2"] = "（2023年度）"
    ws["A3"], ws["B3"] = "项目名称", "中小企业培训服务项目"
    ws["A4"], ws["B4"], ws["C4"], ws["D4"] = "主管部门", unit, "实施单位", unit
    ws["A5"], ws["B5"], ws["C5"] = "项目资金（万元）", "年度资金总额：", 195.93
    ws["B6"], ws["C6"] = "其中：财政拨款", 195.93
    ws["B7"] = "其他资金"
    ws.merge_cells("A5:A7")
    ws["A8"], ws["B8"] = "年度目标", "开展中小企业培训"
    for c, h in zip("ABCDE", ("一级指标", "二级指标", "三级指标", "指标值", "备注"), strict=True):
        ws[f"{c}9"] = h
    spans: dict[str, list[int]] = {}
    for r, (l1, l2, l3, target) in enumerate(rows, 10):
        spans.setdefault(l1, []).append(r)
        ws[f"B{r}"], ws[f"C{r}"], ws[f"D{r}"] = l2, l3, target
    for l1, rs in spans.items():
        ws[f"A{rs[0]}"] = l1
        if len(rs) > 1:
            ws.merge_cells(f"A{rs[0]}:A{rs[-1]}")
    wb.save(path)
    return path


def _read_declared(path):
    from perfkit.readers import read_book

    forms, declared = read_book(path)
    assert forms == [] and len(declared) == 1
    return declared[0]


def test_a_declaration_is_read_for_its_targets(tmp_path):
    d = _read_declared(declaration(tmp_path / "申报表.xlsx"))
    assert (d.project_name, d.unit, str(d.year)) == (
        "中小企业培训服务项目",
        "某区工商业联合会",
        "2023",
    )
    got = [(i.level1, i.level2, i.level3, i.target, i.locs["target"].cell) for i in d.indicators]
    assert got == [(*row, f"D{r}") for r, row in enumerate(DECLARED, 10)]


def test_a_declaration_saved_as_xls_is_read(tmp_path, libreoffice):
    xls = tmp_path / "申报表.xls"
    libreoffice.convert(declaration(tmp_path / "申报表.xlsx"), xls)
    d = _read_declared(xls)
    assert [i.target for i in d.indicators] == [row[3] for row in DECLARED]


@pytest.mark.parametrize("title", ["项目支出绩效目标表", "2023年度项目绩效目标申报表"])
def test_other_titles_of_a_declaration(tmp_path, title):
    assert len(_read_declared(declaration(tmp_path / "x.xlsx", title=title)).indicators) == 4


def test_a_grid_of_targets_without_such_a_title_is_no_declaration(tmp_path):
    from perfkit.errors import NotAForm
    from perfkit.readers import read_book

    with pytest.raises(NotAForm) as err:
        read_book(declaration(tmp_path / "x.xlsx", title="培训项目指标清单"))
    assert "没有找到项目支出绩效自评表" in err.value.message


def test_a_declaration_alone_is_no_form_to_check(tmp_path, capsys):
    """Every command that works on one form says what the file is."""
    path = declaration(tmp_path / "申报表.xlsx")
    assert main(["extract", str(path)]) == 2
    err = capsys.readouterr().err
    assert "工作表「申报表」是项目支出绩效目标申报表，不是自评表或评分表" in err
    assert main(["validate", str(path), "--no-progress"]) == 0
    assert "（绩效目标申报表：用于核对同一项目自评表的年度指标值）" in capsys.readouterr().out


@pytest.mark.parametrize(
    "a, b, same",
    [
        ("≥10场", "≥ 10 场", True),
        ("≥10场", "不少于10场", True),
        ("10场", "≥10场", True),  # the sign left out
        ("≥10场", "≥12场", False),
        ("≥95%", "≤95%", False),
        ("3万元", "30000元", True),
        ("明显提升", "有所提升", False),  # a lower bar in words
        ("明显提升", "明显 提升", True),
    ],
)
def test_declared_targets_compared(a, b, same):
    assert _declared_same(a, b) is same


def _self_and_declared(tmp_path, rows=DECLARED) -> Path:
    folder = tmp_path / "报送"
    folder.mkdir()
    hebei_style(folder / "自评表.xlsx", wan=False, colon=False)
    declaration(folder / "申报表.xlsx", rows)
    return folder


CHANGED = [  # 举办培训场次 declared ≥12, the 自评表 says ≥10; 培训覆盖企业数 left out of it
    ("产出指标", "数量指标", "举办培训场次", "≥12场"),
    ("产出指标", "数量指标", "培训覆盖企业数", "≥50家"),
    *DECLARED[1:],
]


def test_a_target_changed_and_an_indicator_dropped(tmp_path, capsys):
    folder = _self_and_declared(tmp_path, CHANGED)
    before = _digest(folder)
    code, found = _validate(capsys, folder, codes=("TARGET_CHANGED", "INDICATOR_DROPPED"))
    assert code == 0  # warnings
    assert [(Path(f["file"]).name, f["code"], f["cell"]) for f in found] == [
        ("自评表.xlsx", "INDICATOR_DROPPED", "B12"),  # the grid's header
        ("自评表.xlsx", "TARGET_CHANGED", "E13"),
    ]
    assert "“数量指标／举办培训场次”的年度指标值“≥10场”" in found[1]["message"]
    assert "中为“≥12场”" in found[1]["message"]
    assert "“数量指标／培训覆盖企业数”（≥50家）在自评表中没有同名的三级指标" in found[0]["message"]
    assert _digest(folder) == before


def test_the_declared_targets_kept_give_nothing(tmp_path, capsys):
    # the 自评表 has one indicator more (按时完成率): more than declared is no fault
    _, found = _validate(capsys, _self_and_declared(tmp_path), codes=BATCH_CODE_NAMES)
    assert found == []


def test_another_units_declaration_is_not_compared(tmp_path, capsys):
    folder = _self_and_declared(tmp_path, CHANGED)
    declaration(folder / "申报表.xlsx", CHANGED, unit="另一区工商业联合会")
    _, found = _validate(capsys, folder, codes=BATCH_CODE_NAMES)
    assert found == []


def test_the_declaration_in_the_summary_and_the_review(tmp_path, capsys):
    folder = _self_and_declared(tmp_path, CHANGED)
    out = tmp_path / "汇总.xlsx"
    assert main(["summarize", str(folder), "-o", str(out), "--no-progress"]) == 0
    err = capsys.readouterr().err
    assert "已汇总 1 份表格" in err  # the 申报表 is no row
    assert "另读取 1 份绩效目标申报表" in err
    ws = openpyxl.load_workbook(out)["汇总"]
    files = [r[0] for r in ws.iter_rows(min_row=2, values_only=True) if r[0]]
    assert [Path(f).name for f in files] == ["自评表.xlsx"]
    head = [c.value for c in ws[1]]
    note = ws.cell(row=2, column=head.index("备注") + 1).value
    assert "中为“≥12场”" in note and "培训覆盖企业数" in note
    result = review.run([folder], tmp_path / "复核", sample="0", seed=1, jobs=1, progress=False)
    assert [Path(r.file).name for r in result.ranked] == ["自评表.xlsx"]
    assert result.declarations == 1
    reasons = result.ranked[0].risk.reasons
    assert any(t.startswith("指标值与申报表不同 2：") for t in reasons)
    assert any(t.startswith("申报表的指标未自评 2：") for t in reasons)
    # in the workpaper: the changed target on the row of its indicator, the dropped one apart
    paper = result.ranked[0].workpaper_data()
    (line,) = [x for x in paper.checks + paper.manual if "TARGET_CHANGED" in x.codes]
    assert "举办培训场次" in line.item
    assert [o[2] for o in paper.others] == ["INDICATOR_DROPPED"]


def jiaxian(path, annual=DECLARED, longer=(("产出指标", "数量指标", "举办培训场次", "≥30场"),)):
    """The 佳县 申报表 (DOMAIN §3.2): 项目属性 and 项目负责人 in the head, the
    funds in one cell, 长期目标 / 年度目标, then 长期绩效指标 and 年度绩效指标,
    each with its own header 一级指标 | 二级指标 | 指标内容 | 指标值 | 备注."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws["A1"] = "项目支出绩效目标申报表"
    ws["A2"] = "（2023年度）"
    ws["A3"], ws["B3"], ws["D3"], ws["E3"] = (
        "项目名称",
        "中小企业培训服务项目",
        "项目属性",
        "延续项目 ☑",
    )
    ws["A4"], ws["B4"], ws["D4"], ws["E4"] = "主管部门", "某区工商业联合会", "主管部门编码", "301"
    ws["A5"], ws["B5"], ws["D5"], ws["E5"] = (
        "项目实施单位",
        "某区工商业联合会",
        "项目负责人",
        "张三",
    )
    ws["A6"], ws["B6"] = "项目资金申请(万元)", "资金总额：195.93  财政拨款：195.93  自有资金：0"
    ws["A7"], ws["B7"], ws["D7"] = "项目绩效目标", "长期目标", "年度目标"
    ws["B8"], ws["D8"] = "三年培训中小企业 500 家", "培训 10 场"
    r = 9
    for part, rows in (("长期绩效指标", longer), ("年度绩效指标", annual)):
        ws[f"A{r}"] = part
        for c, h in zip(
            "ABCDE", ("一级指标", "二级指标", "指标内容", "指标值", "备注"), strict=True
        ):
            ws[f"{c}{r + 1}"] = h
        for i, row in enumerate(rows, r + 2):
            for c, v in zip("ABCD", row, strict=True):
                ws[f"{c}{i}"] = v
        r += len(rows) + 2
    wb.save(path)
    return path


def test_the_jiaxian_declaration_keeps_only_the_years_indicators(tmp_path, capsys):
    d = _read_declared(jiaxian(tmp_path / "佳县.xlsx"))
    assert [(i.level3, i.target) for i in d.indicators] == [(r[2], r[3]) for r in DECLARED]
    folder = tmp_path / "报送"
    folder.mkdir()
    hebei_style(folder / "自评表.xlsx", wan=False, colon=False)
    jiaxian(folder / "申报表.xlsx", annual=CHANGED)
    _, found = _validate(capsys, folder, codes=BATCH_CODE_NAMES)
    assert [(f["code"], f["cell"]) for f in found] == [
        ("INDICATOR_DROPPED", "B12"),
        ("TARGET_CHANGED", "E13"),  # against the year's ≥12场, not the 长期 ≥30场
    ]
    assert "中为“≥12场”" in found[1]["message"]


def mof_target_table(path, rows=CHANGED):
    """The MOF 项目支出绩效目标表 (DOMAIN §3.2): 主管部门及代码, the funds as
    label | amount rows under a merged 项目资金（万元）, 中期目标 / 年度目标, and
    the grid beside a merged 绩效指标 cell, its 一级指标 merged down."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "目标表"
    ws["A1"], ws["A2"] = "项目支出绩效目标表", "（2023年度）"
    ws["A3"], ws["C3"] = "项目名称", "中小企业培训服务项目"
    ws["A4"], ws["C4"], ws["D4"], ws["E4"] = (
        "主管部门及代码",
        "[301]某区工商业联合会",
        "实施单位",
        "某区工商业联合会",
    )
    ws["A5"] = "项目资金（万元）"
    for r, (label, amount) in enumerate(
        (("年度资金总额", 195.93), ("其中：财政拨款", 195.93), ("其他资金", 0)), 5
    ):
        ws[f"C{r}"], ws[f"E{r}"] = label, amount
    ws["A8"], ws["B8"], ws["D8"] = "总体目标", "中期目标", "年度目标"
    ws["B9"], ws["D9"] = "三年培训 500 家", "培训 10 场"
    ws["A10"] = "绩效指标"
    for c, h in zip("BCDE", ("一级指标", "二级指标", "三级指标", "指标值"), strict=True):
        ws[f"{c}10"] = h
    level1 = None
    for r, (l1, l2, l3, target) in enumerate(rows, 11):
        ws[f"B{r}"] = l1 if l1 != level1 else None
        level1 = l1
        ws[f"C{r}"], ws[f"D{r}"], ws[f"E{r}"] = l2, l3, target
    for rng in ("A3:B3", "C3:F3", "A4:B4", "A5:B7", "A8:A9", f"A10:A{10 + len(rows)}", "B11:B12"):
        ws.merge_cells(rng)
    wb.save(path)
    return path


def test_the_mof_target_table(tmp_path, capsys):
    d = _read_declared(mof_target_table(tmp_path / "x.xlsx"))
    assert [(i.level1, i.level3, i.target) for i in d.indicators][:2] == [
        ("产出指标", "举办培训场次", "≥12场"),
        ("产出指标", "培训覆盖企业数", "≥50家"),
    ]
    folder = tmp_path / "报送"
    folder.mkdir()
    hebei_style(folder / "自评表.xlsx", wan=False, colon=False)
    mof_target_table(folder / "目标表.xlsx")
    _, found = _validate(capsys, folder, codes=BATCH_CODE_NAMES)
    assert [(f["code"], f["cell"]) for f in found] == [
        ("INDICATOR_DROPPED", "B12"),
        ("TARGET_CHANGED", "E13"),
    ]


def test_indicators_of_one_name_are_matched_by_their_group():
    from perfkit.model import Loc
    from perfkit.validate.between import Target, matched

    def t(group, name, text="x"):
        return Target(name, False, text, Loc("S", "A1"), f"{group}／{name}", group)

    declared = [t("数量指标", "完成率"), t("质量指标", "完成率"), t("时效指标", "及时率")]
    mine = [t("质量指标", "完成率"), t("数量指标", "完成率"), t("时效", "及时率")]
    got = {i: (m.group, m.name) for i, m in matched(declared, mine, True).items()}
    # 完成率 twice: each with its 二级; 及时率 once on each side: by its name
    assert got == {0: ("数量指标", "完成率"), 1: ("质量指标", "完成率"), 2: ("时效", "及时率")}
    # without the groups, a name either side has twice is matched to nothing
    assert set(matched(declared, mine, False)) == {2}


def test_two_copies_of_a_declaration(tmp_path, capsys, libreoffice):
    """The 申报表 twice (its LibreOffice .xls copy beside it): no repeat of
    it, and each change told once on the 自评表."""
    folder = _self_and_declared(tmp_path, CHANGED)
    libreoffice.convert(folder / "申报表.xlsx", folder / "申报表副本.xls")
    _, found = _validate(capsys, folder, codes=BATCH_CODE_NAMES)
    assert [(Path(f["file"]).name, f["code"], f["cell"]) for f in found] == [
        ("自评表.xlsx", "INDICATOR_DROPPED", "B12"),
        ("自评表.xlsx", "TARGET_CHANGED", "E13"),
    ]
