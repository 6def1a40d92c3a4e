"""Forms laid out as units type them, written here with plain openpyxl and none
of the corpus writers (tests/corpus): the reader was not built against them.

Each is the 龙岗 2023 seed's first form in numbers (全年预算数 1,959,300,
全年执行数 1,937,189.02: 执行率 98.87 %, 得分 9.89; indicators 90 + 9.89 =
99.89) in a layout seen in DOMAIN.md §1.1 / §3 but not in the corpus: values after
the colon of a merged head cell and amounts in 万元 (河北 style), a 序号 column
with weights typed "20分" and amounts as text with thousands separators, a
two-row indicator header under a merged 绩效指标, a blank first column, first-
level labels as rows of their own ("一、产出指标（50分）") over a grid without a
一级指标 column, 执行率 typed as the number 98.87 and "总  分" spaced; a flat
评分表.  Then one known error typed at a known cell of each kind must be found
at that cell.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from perfkit.readers import read_forms
from perfkit.validate import validate_form
from perfkit.validate.core import resolve_profile

BUDGET, EXECUTED = 1959300, 1937189.02
ROWS = [  # 一级, 二级, 三级, 年度指标值, 实际完成值, 分值, 得分
    ("产出指标", "数量指标", "举办培训场次", "≥10场", "12场", 20, 20),
    ("产出指标", "质量指标", "培训合格率", "≥95%", "96%", 15, 15),
    ("产出指标", "时效指标", "按时完成率", "100%", "100%", 15, 15),
    ("效益指标", "社会效益指标", "企业参与度", "明显提升", "明显提升", 30, 30),
    ("满意度指标", "服务对象满意度指标", "参训企业满意度", "≥90%", "95%", 10, 10),
]
HEADS = ("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分",
         "偏差原因分析及改进措施")  # fmt: skip


def _put(ws, row: int, col: int, value, to_row: int | None = None, to_col: int | None = None):
    ws.cell(row=row, column=col, value=value)
    if to_row or to_col:
        ws.merge_cells(
            start_row=row, start_column=col, end_row=to_row or row, end_column=to_col or col
        )


def hebei_style(
    path, wan=True, seq=False, text_numbers=False, two_row=False, colon=True, left=1
) -> dict:
    """A 自评表 in the national layout with the given habits; returns where the
    cells a mutation aims at are (A1 addresses)."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    c0 = left  # the form's first column

    def col(i: int) -> int:
        return c0 + i

    _put(ws, 1, col(0), "项目支出绩效自评表", to_col=col(8))
    _put(ws, 2, col(0), "（2023年度）")
    _put(ws, 2, col(7), "单位：万元" if wan else "单位：元")
    if colon:
        _put(ws, 3, col(0), "项目名称：中小企业培训服务项目", to_col=col(8))
        _put(ws, 4, col(0), "主管部门：某区工商业联合会", to_col=col(3))
        _put(ws, 4, col(4), "实施单位：某区工商业联合会", to_col=col(8))
    else:
        _put(ws, 3, col(0), "项目名称")
        _put(ws, 3, col(1), "中小企业培训服务项目", to_col=col(8))
        _put(ws, 4, col(0), "主管部门")
        _put(ws, 4, col(1), "某区工商业联合会", to_col=col(3))
        _put(ws, 4, col(4), "实施单位")
        _put(ws, 4, col(5), "某区工商业联合会", to_col=col(8))
    _put(ws, 5, col(0), "项目资金\n（万元）" if wan else "项目资金\n（元）", to_row=9)
    for i, head in enumerate(("年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分")):
        _put(ws, 5, col(2 + i), head)
    scale = 10000 if wan else 1
    amounts = (BUDGET / scale, BUDGET / scale, EXECUTED / scale)
    for r, label in enumerate(("年度资金总额：", "其中：财政拨款", "上年结转资金", "其他资金"), 6):
        _put(ws, r, col(1), label)
        if r < 8:
            for j, v in enumerate(amounts):
                _put(ws, r, col(2 + j), f"{v:,.2f}" if text_numbers else v)
    _put(ws, 6, col(5), 10)
    _put(ws, 6, col(6), "98.87%")
    _put(ws, 6, col(7), 9.89)
    _put(ws, 10, col(0), "年度总体目标", to_row=11)
    _put(ws, 10, col(1), "预期目标", to_col=col(4))
    _put(ws, 10, col(5), "实际完成情况", to_col=col(8))
    _put(ws, 11, col(1), "开展培训10场以上", to_col=col(4))
    _put(ws, 11, col(5), "开展培训12场", to_col=col(8))
    head = 12
    if two_row:
        _put(ws, head, col(1), "绩效指标", to_col=col(3))
        for i, text in enumerate(HEADS):
            if i < 3:
                _put(ws, head + 1, col(1 + i), text)
            else:
                _put(ws, head, col(1 + i), text, to_row=head + 1)
        if seq:
            _put(ws, head, col(0), "序号", to_row=head + 1)
        head += 1
    else:
        _put(ws, head, col(0), "序号" if seq else "绩效指标")
        for i, text in enumerate(HEADS):
            _put(ws, head, col(1 + i), text)
    first = head + 1
    for i, (l1, l2, l3, target, actual, weight, score) in enumerate(ROWS):
        r = first + i
        if seq:
            _put(ws, r, col(0), i + 1)
        for j, v in enumerate((l1, l2, l3, target, actual)):
            _put(ws, r, col(1 + j), v)
        _put(ws, r, col(6), f"{weight}分" if text_numbers else weight)
        _put(ws, r, col(7), str(score) if text_numbers else score)
    last = first + len(ROWS) - 1
    if not seq and not two_row:
        ws.merge_cells(start_row=first, start_column=col(0), end_row=last, end_column=col(0))
    _put(ws, last + 1, col(0), "总分")
    _put(ws, last + 1, col(6), 100)
    _put(ws, last + 1, col(7), 99.89)
    wb.save(path)

    def at(r: int, i: int) -> str:
        return ws.cell(row=r, column=col(i)).coordinate

    return {
        "exec_score": at(6, 7),
        "executed": at(6, 4),
        "row_actual": [at(first + i, 5) for i in range(len(ROWS))],
        "row_score": [at(first + i, 7) for i in range(len(ROWS))],
        "total": at(last + 1, 7),
    }


def section_rows(path, rate=0.9887, total_label="合 计", mark="一、") -> dict:
    """No 一级指标 column: "产出指标（50分）" etc. on rows of their own."""
    wb = Workbook()
    ws = wb.active
    ws["A1"] = "项目支出绩效自评表"
    ws.merge_cells("A1:H1")
    ws["A2"] = "（2023 年度）（单位：元）"
    ws["A3"], ws["B3"] = "项目名称", "中小企业培训服务项目"
    ws["A4"], ws["B4"], ws["E4"], ws["F4"] = "主管部门", "某区工商联", "实施单位", "某区工商联"
    ws["A5"] = "项目资金"
    for c, h in zip(
        "BCDEFG", ("年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"), strict=True
    ):
        ws[f"{c}5"] = h
    ws.append([])
    for r, label in ((6, "年度资金总额"), (7, "其中：财政拨款")):
        ws[f"A{r}"], ws[f"B{r}"], ws[f"C{r}"], ws[f"D{r}"] = label, BUDGET, BUDGET, EXECUTED
    ws["E6"], ws["F6"], ws["G6"] = 10, rate, 9.89
    ws["A8"], ws["A9"] = "上年结转资金", "其他资金"
    ws["A10"], ws["B10"], ws["E10"] = "年度总体目标", "预期目标", "实际完成情况"
    ws["B11"], ws["E11"] = "开展培训", "已开展培训"
    for c, h in zip("ABCDEFG", HEADS[1:], strict=True):
        ws[f"{c}12"] = h
    r = 13
    cells = {}
    level1 = None
    for l1, l2, l3, target, actual, weight, score in ROWS:
        if l1 != level1:
            ws[f"A{r}"] = f"{mark}{l1}（{sum(x[5] for x in ROWS if x[0] == l1)}分）"
            ws.merge_cells(f"A{r}:G{r}")
            level1 = l1
            r += 1
        for c, v in zip("ABCDEF", (l2, l3, target, actual, weight, score), strict=True):
            ws[f"{c}{r}"] = v
        cells[l3] = r
        r += 1
    ws[f"A{r}"], ws[f"E{r}"], ws[f"F{r}"] = total_label, 100, 99.89
    wb.save(path)
    return {"rows": cells, "total": f"F{r}"}


VARIANTS = {
    "河北 colon heads, 万元": dict(wan=True),
    "序号, text numbers, 元": dict(wan=False, seq=True, text_numbers=True, colon=False),
    "two-row header": dict(two_row=True),
    "blank first column": dict(wan=False, left=2, colon=False),
    "two-row header with 序号": dict(wan=False, two_row=True, seq=True),
}


def _read_one(path):
    forms = read_forms(path)
    assert len(forms) == 1
    return forms[0]


def validate_workbook(path):
    return [
        f for form in read_forms(path) for f in validate_form(form, resolve_profile(form, None))
    ]


def _findings(path):
    return [(f.code, f.cell) for f in validate_workbook(path)]


@pytest.mark.parametrize("variant", VARIANTS)
def test_national_habits_read_with_the_seed_numbers(tmp_path, variant):
    path = tmp_path / "form.xlsx"
    hebei_style(path, **VARIANTS[variant])
    form = _read_one(path)
    assert form.project_name == "中小企业培训服务项目"
    assert form.dept == "某区工商业联合会" and form.unit == "某区工商业联合会"
    assert str(form.year) == "2023"
    assert [(r.level1, r.level2, r.level3) for r in form.indicators] == [x[:3] for x in ROWS]
    from perfkit.assess import assess
    from perfkit.profiles import load

    a = assess(form, load(form.profile))
    assert a.exec.rate is not None and round(a.exec.rate, 2) == Decimal("98.87")
    assert a.exec.score.value == Decimal("9.89")  # the seed's oracle
    assert a.recomputed == Decimal("99.89")
    assert _findings(path) == []


@pytest.mark.parametrize("variant", VARIANTS)
def test_one_typed_error_is_found_at_its_cell(tmp_path, variant):
    path = tmp_path / "form.xlsx"
    cells = hebei_style(path, **VARIANTS[variant])
    wb = load_workbook(path)
    ws = wb.active
    ws[cells["exec_score"]] = 9.95  # the seed's 9.89 mistyped
    ws[cells["row_actual"][1]] = "90%"  # 合格率 ≥95 %, 90 % done: 15 × 90/95 = 14.21, typed 15
    wb.save(path)
    found = _findings(path)
    assert ("EXEC_SCORE_MISMATCH", cells["exec_score"]) in found
    assert ("SCORE_MISMATCH", cells["row_score"][1]) in found
    assert ("TOTAL_MISMATCH", cells["total"]) in found  # 90 + 9.95 typed against 99.89
    mismatch = next(f for f in validate_workbook(path) if f.code == "SCORE_MISMATCH")
    assert "14.21" in mismatch.message


@pytest.mark.parametrize("mark", ["一、", "（一）", "1.", "2、", "", "三 、"])
def test_first_level_rows_without_a_first_level_column(tmp_path, mark):
    path = tmp_path / "form.xlsx"
    where = section_rows(path, mark=mark)
    form = _read_one(path)
    assert [(r.level1, r.level3) for r in form.indicators] == [(x[0], x[2]) for x in ROWS]
    assert _findings(path) == []
    wb = load_workbook(path)
    wb.active[f"D{where['rows']['培训合格率']}"] = "90%"
    wb.save(path)
    assert _findings(path) == [("SCORE_MISMATCH", f"F{where['rows']['培训合格率']}")]


def test_rate_typed_as_a_number_and_a_spaced_total(tmp_path):
    path = tmp_path / "form.xlsx"
    section_rows(path, rate=98.87, total_label="总  分")
    assert _findings(path) == []
    wb = load_workbook(path)
    wb.active["G6"] = 9.5
    wb.save(path)
    assert ("EXEC_SCORE_MISMATCH", "G6") in _findings(path)


def test_flat_evaltable(tmp_path):
    path = tmp_path / "评分表.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.title = "评分表"
    ws["A1"] = "绩效评价指标体系评分表"
    for c, h in zip(
        "ABCDEF", ("一级指标", "二级指标", "三级指标", "分值", "评分标准", "得分"), strict=True
    ):
        ws[f"{c}2"] = h
    rows = [
        ("决策", "项目立项", "立项依据充分性", 5, "依据充分得5分，否则酌情扣分", 5),
        ("过程", "资金管理", "资金使用合规性", 10, "合规得10分，否则酌情扣分", 10),
        ("产出", "产出数量", "培训场次完成率", 40, "完成得满分，否则酌情扣分", 40),
        ("效益", "社会效益", "企业参与度", 35, "明显提升得满分，否则酌情扣分", 35),
        ("效益", "满意度", "参训企业满意度", 10, "满意得满分，否则酌情扣分", 9),
    ]
    for i, row in enumerate(rows, 3):
        for c, v in zip("ABCDEF", row, strict=True):
            ws[f"{c}{i}"] = v
    ws["A8"], ws["D8"], ws["F8"] = "合计", 100, 99
    wb.save(path)
    form = _read_one(path)
    assert form.form == "evaltable"
    assert [r.level3 for r in form.indicators] == [r[2] for r in rows]
    found = _findings(path)
    assert ("TOTAL_MISMATCH", "F8") not in found
    # 满意度 9 of 10 needs a reason; with no 扣分原因 column the score cell is named
    assert ("DEDUCTION_REASON_MISSING", "F7") in found
    ws["F8"] = 98
    wb.save(path)
    assert ("TOTAL_MISMATCH", "F8") in _findings(path)


@pytest.mark.parametrize(
    "text, core, weight",
    [
        ("一、产出指标（50分）", "产出指标", 50),
        ("（二）效益指标 (30分)", "效益指标", 30),
        ("1.数量指标", "数量指标", None),
        ("10、满意度指标", "满意度指标", None),
        ("一级指标", "一级指标", None),  # a word that starts like a number is kept
        ("十一、合计", "合计", None),
    ],
)
def test_enumerated_labels(text, core, weight):
    from perfkit.readers.vocab import normalise

    label = normalise(text)
    assert label.core == core
    assert label.weight == (None if weight is None else Decimal(weight))


def test_percentages_typed_in_excel_are_shares_with_a_format(tmp_path):
    """Typing 96% into a General cell makes Excel keep 0.96 with a 0% format:
    read as 96 %, not as 0.96 % of a 95 % target (0.15 points)."""
    path = tmp_path / "form.xlsx"
    where = section_rows(path)
    wb = load_workbook(path)
    ws = wb.active
    for name, share in (("培训合格率", 0.96), ("按时完成率", 1), ("参训企业满意度", 0.95)):
        cell = ws[f"D{where['rows'][name]}"]
        cell.value, cell.number_format = share, "0%"
    wb.save(path)
    assert _findings(path) == []
    from perfkit import summary

    (row,) = summary.summarize_path(summary._Job(str(path), None))
    assert row["total"] == pytest.approx(99.89)  # 复算总分
    cell = ws[f"D{where['rows']['培训合格率']}"]
    cell.value = 0.9  # its 0% format kept: read as shown
    wb.save(path)
    (finding,) = validate_workbook(path)
    assert (finding.code, finding.cell) == ("SCORE_MISMATCH", f"F{where['rows']['培训合格率']}")
    assert "14.21" in finding.message and "实际 90%，" in finding.message
    cell.number_format = "General"  # the format lost (an .xls, a UDF): read as a share
    wb.save(path)
    (finding,) = validate_workbook(path)
    assert "14.21" in finding.message and "实际 0.9（即 90%）" in finding.message


def ceiling_typed_as_percent(path, number_format="0%") -> int:
    """The section-row form whose 30-point row is a ceiling, 培训差错率 ≤5 %, with
    a typed 8 % kept as 0.08 shown by *number_format*; returns that row."""
    where = section_rows(path)
    wb = load_workbook(path)
    ws = wb.active
    r = where["rows"]["企业参与度"]
    ws[f"B{r}"], ws[f"C{r}"], ws[f"D{r}"] = "培训差错率", "≤5%", 0.08
    ws[f"D{r}"].number_format = number_format
    wb.save(path)
    return r


def test_a_ceiling_typed_as_a_percentage_is_read_by_its_format(tmp_path):
    """≤5 % against a typed 8 % (0.08 shown 8 %): 30 × 5 / 8 = 18.75, not full
    marks for 0.08 %; the same number without a format is read as written."""
    path = tmp_path / "form.xlsx"
    r = ceiling_typed_as_percent(path, "0.0%")
    wb = load_workbook(path)
    ws = wb.active
    (finding,) = validate_workbook(path)
    assert (finding.code, finding.cell) == ("SCORE_MISMATCH", f"F{r}")
    assert "18.75" in finding.message and "实际 8%" in finding.message
    ws[f"D{r}"].number_format = "General"
    wb.save(path)
    assert _findings(path) == []


def test_formulas_never_computed_are_reported_not_passed(tmp_path, libreoffice):
    """A form written by a program (formulas, no results): its total was never
    checked, and the finding says so once, at the first such cell; recalculated
    and saved by a spreadsheet program, it is checked like any other."""
    path = tmp_path / "generated.xlsx"
    where = section_rows(path)
    wb = load_workbook(path)
    ws = wb.active
    total = where["total"]
    ws[total] = f"=SUM(F13:F{int(total[1:]) - 1})+G6"
    ws["F6"] = "=ROUND(D6/C6,4)"
    wb.save(path)
    (finding,) = validate_workbook(path)
    assert (finding.code, finding.cell) == ("FORMULA_NOT_COMPUTED", "F6")
    assert "2 个单元格" in finding.message and total in finding.message
    saved = tmp_path / "saved.xlsx"
    libreoffice.convert(path, saved, recalc=True)
    assert _findings(saved) == []
    row = where["rows"]["举办培训场次"]
    ws[f"F{row}"] = 14  # 12 of ≥10 场 earns the full 20
    wb.save(path)
    libreoffice.convert(path, saved, recalc=True)
    assert ("SCORE_MISMATCH", f"F{row}") in _findings(saved)


def test_an_xls_keeps_the_percent_format(tmp_path, libreoffice):
    """The same forms saved as .xls by LibreOffice: the XF / FORMAT records give
    the cell its percent format (calamine gives the value only), so the typed
    8 % is 8 % there too (18.75 of 30), and 0.08 in a General cell is 0.08 %."""
    for code, expected in (("0.0%", [("SCORE_MISMATCH", "F")]), ("General", [])):
        path = tmp_path / f"{code}.xlsx"
        r = ceiling_typed_as_percent(path, code)
        xls = tmp_path / f"{code}.xls"
        libreoffice.convert(path, xls)
        assert [(c, cell[:1]) for c, cell in _findings(xls)] == expected
        if expected:
            (finding,) = validate_workbook(xls)
            assert finding.cell == f"F{r}" and "18.75" in finding.message
            assert "实际 8%" in finding.message


def test_xls_percent_cells_by_their_records(tmp_path, libreoffice):
    """Cell by cell, an .xls tells percent-formatted numbers as an .xlsx does:
    built-in 0% and 0.00%, a custom code with % outside quotes; not a quoted
    %, a text "50%" or another format (NUMBER, RK and MULRK records alike)."""
    from perfkit.readers.cells import open_book

    wb = Workbook()
    ws = wb.active
    codes = ["0%", "0.00%", "[Red]0.0%", '0.0"%"', "#,##0.00", "General"]
    for c, code in enumerate(codes, 1):
        for r, value in enumerate((0.5, 12.25, 7, "50%"), 1):
            cell = ws.cell(row=r, column=c, value=value)
            cell.number_format = code
    ws["A6"], ws["C6"] = 0.123456789, 0.25  # alone on their row: a NUMBER and an RK record
    ws["A6"].number_format, ws["C6"].number_format = "0%", "0.0%"
    wb.save(tmp_path / "f.xlsx")
    libreoffice.convert(tmp_path / "f.xlsx", tmp_path / "f.xls")
    expected = {(r, c) for c in range(3) for r in range(3)} | {(5, 0), (5, 2)}
    for name in ("f.xlsx", "f.xls"):
        with open_book(tmp_path / name) as book:
            assert book.sheet(book.sheet_names[0]).percent == expected, name


@pytest.mark.parametrize(
    ("code", "percent"),
    [("0%", True), ("0.00%", True), ('0.0"%"', False), ("0.0\\%", False), ("[Red]0%", True),
     ("#,##0.00", False), ("General", False)],
)  # fmt: skip
def test_percent_formats(tmp_path, code, percent):
    from perfkit.readers.cells import open_book

    wb = Workbook()
    ws = wb.active
    ws["A1"], ws["A2"], ws["A3"] = 0.5, "50%", 7
    ws["A1"].number_format = ws["A2"].number_format = code
    wb.save(tmp_path / "f.xlsx")
    with open_book(tmp_path / "f.xlsx") as book:
        sheet = book.sheet(book.sheet_names[0])
    assert sheet.percent == (frozenset({(0, 0)}) if percent else frozenset())


def _put_rows(ws, rows, first: int) -> None:
    """*rows* typed from row *first*, column A on."""
    for r, row in enumerate(rows, first):
        for i, v in enumerate(row, 1):
            ws.cell(row=r, column=i, value=v)


def test_department_whole_form(tmp_path):
    """部门整体支出绩效自评表 (DOMAIN.md §3.1, 重庆 2021): 执行率权重 / 执行率得分
    columns, 指标名称 / 计量单位 / 指标性质 / 年初指标值 / 全年完成值 / 得分系数 /
    指标权重（分）/ 指标得分（分）; a target written "≤100" beside the unit "%"."""
    path = tmp_path / "部门整体.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.title = "部门整体"
    ws["A1"] = "2021年度部门整体支出绩效自评表"
    ws["A2"], ws["B2"], ws["E2"], ws["F2"] = "主管部门", "某区财政局", "财政处室", "预算科"
    ws["A4"] = "部门预算执行情况（万元）"
    heads = (
        "年初预算数",
        "全年（调整）预算数",
        "全年执行数",
        "执行率（%）",
        "执行率权重",
        "执行率得分",
    )
    for c, h in zip("BCDEFG", heads, strict=True):
        ws[f"{c}4"] = h
    for c, v in zip("BCDEFG", (500, 520, 510, 98.08, 10, 9.81), strict=True):
        ws[f"{c}5"] = v  # 510 / 520 = 98.08 % -> 9.81 of 10
    ws["A6"], ws["B6"], ws["H6"] = "当年绩效目标", "年初目标", "实际完成情况"
    ws["B7"], ws["H7"] = "保障机关运转", "已保障"
    heads = ("一级指标", "二级指标", "指标名称", "计量单位", "指标性质", "年初指标值", "全年完成值",
             "得分系数（%）", "指标权重（分）", "指标得分（分）", "是否核心指标")  # fmt: skip
    for i, h in enumerate(heads, 1):
        ws.cell(row=8, column=i, value=h)
    rows = [
        ("产出指标", "数量指标", "财政供养人员控制率", "%", "定量", "≤100", 98, 100, 30, 30, "是"),
        (
            "产出指标",
            "质量指标",
            "预决算信息公开性",
            None,
            "定性",
            "公开",
            "已公开",
            100,
            30,
            30,
            "否",
        ),
        (
            "效益指标",
            "社会效益指标",
            "管理制度健全性",
            None,
            "定性",
            "健全",
            "健全",
            95,
            30,
            28.5,
            "否",
        ),
    ]
    _put_rows(ws, rows, 9)
    ws["A12"], ws["I12"], ws["J12"] = "合计", 100, 98.31
    wb.save(path)
    form = _read_one(path)
    assert (form.exec_weight, form.exec_score) == (10, 9.81)
    assert [r.target for r in form.indicators] == ["≤100%", "公开", "健全"]
    assert form.indicators[0].actual == "98%"
    found = _findings(path)
    assert not [f for f in validate_workbook(path) if f.severity == "error"], found
    # no 偏差原因 column: the score cell of the row that needs one is named
    assert ("DEVIATION_REASON_MISSING", "J11") in found
    assert "PART_MISSING" not in {code for code, _ in found}  # a department has no 项目名称
    # 产出 60 / 效益 30: a department's weights, not the project's 50 / 30 / 10
    assert "LEVEL1_WEIGHT_PROFILE" not in {code for code, _ in found}
    from perfkit import summary

    (row,) = summary.summarize_path(summary._Job(str(path), None))
    assert (row["unit"], row["dept"]) == ("某区财政局", "某区财政局")  # filed under its department
    # it names no project: the 汇总 says what it evaluates, and what kind of form it is
    assert (row["form"], row["project_name"]) == ("部门整体自评表", "部门整体支出")
    from openpyxl import load_workbook

    from perfkit import review

    done = review.run(
        [str(path)], tmp_path.parent / f"{tmp_path.name}-复核", sample="1", seed=1, progress=False
    )
    (paper,) = done.workpapers
    assert paper.name == "001_某区财政局_部门整体支出.xlsx"
    assert load_workbook(paper).active["A1"].value == "部门整体支出绩效自评表复核工作底稿"
    ws["G5"] = 9.9
    wb.save(path)
    assert ("EXEC_SCORE_MISMATCH", "G5") in _findings(path)


@pytest.mark.parametrize(
    ("op", "value", "unit", "joined"),
    [
        ("≥", 90, "%", "≥90%"),
        ("≥", "90", "%", "≥90%"),
        (None, "≤100", "%", "≤100%"),  # the comparison in the value, the unit beside it
        ("≤", "≤100", "%", "≤100%"),
        (None, "≥90%", "%", "≥90%"),
        ("=", "全部完成", None, "=全部完成"),
        (None, "≤ 3", "万元", "≤ 3万元"),
        (None, "≥ 较好", "%", "≥ 较好"),  # words, not a number: the unit is not added
        # the direction instead of the sign (the platform's 正向 / 反向 / 等于 indicators)
        ("正向指标", 95, "%", "≥95%"),
        ("正向", "10", "场", "≥10场"),
        ("反向指标", 3, "万元", "≤3万元"),
        ("反向", "5", "个工作日", "≤5个工作日"),
        ("等于指标", 0, "起", "=0起"),
        ("不少于", 10, "场", "≥10场"),
        ("不超过", 5, "天", "≤5天"),
        ("定量", 10, "场", "10场"),
    ],
)
def test_join_target(op, value, unit, joined):
    from perfkit.readers.recognise import join_target

    assert join_target(op, value, unit) == joined


def _with_subtotals(path, label="小计", wrong: dict | None = None) -> dict:
    """The section-row form with a 小计 row closing each first-level block
    (one of them spelled with its block: "产出指标小计")."""
    wb = Workbook()
    ws = wb.active
    ws.title = "自评"
    head = [
        ["项目支出绩效自评表"],
        ["（2022年度）"],
        ["项目名称", "中小企业培训服务项目"],
        ["主管部门", "某区工商联", None, "实施单位", "某区工商联"],
        [
            "资金类别",
            "年初预算数（元）",
            "全年预算数（元）",
            "全年执行数（元）",
            "分值",
            "执行率",
            "得分",
        ],
        ["年度资金总额", BUDGET, BUDGET, EXECUTED, 10, "98.87%", 9.89],
        ["年度总体目标", "预期目标", None, None, "实际完成情况"],
        [None, "开展培训", None, None, "已开展"],
        list(HEADS),
    ]
    for line in head:
        ws.append(line)
    where: dict[str, str] = {}
    level1 = None
    for l1, l2, l3, target, actual, weight, score in ROWS:
        if level1 is not None and l1 != level1:
            _subtotal_row(ws, level1, label, where)
        level1 = l1
        ws.append([l1, l2, l3, target, actual, weight, score])
    _subtotal_row(ws, level1, label, where)
    ws.append(["总分", None, None, None, None, 100, 99.89])
    for cell, value in (wrong or {}).items():
        ws[where[cell]] = value
    wb.save(path)
    return where


def _subtotal_row(ws, level1, label, where):
    block = [x for x in ROWS if x[0] == level1]
    text = f"{level1}{label}" if level1 == "产出指标" else label
    ws.append([text, None, None, None, None, sum(x[5] for x in block), sum(x[6] for x in block)])
    where[f"{level1}.weight"] = f"F{ws.max_row}"
    where[f"{level1}.score"] = f"G{ws.max_row}"


@pytest.mark.parametrize("label", ["小计", "小  计", "得分小计"])
def test_subtotal_rows_add_up_and_are_not_indicators(tmp_path, label):
    path = tmp_path / "form.xlsx"
    where = _with_subtotals(path, label)
    form = _read_one(path)
    assert [r.level3 for r in form.indicators] == [x[2] for x in ROWS]
    assert [len(s.rows) for s in form.subtotals] == [3, 1, 1]
    assert _findings(path) == []
    _with_subtotals(path, label, wrong={"产出指标.score": 49.75})
    found = validate_workbook(path)
    assert [(f.code, f.cell) for f in found] == [("SUBTOTAL_MISMATCH", where["产出指标.score"])]
    assert "20 + 15 + 15" in found[0].message and "49.75" in found[0].message


def test_an_adopted_form_lists_its_subtotal_rows(tmp_path):
    from perfkit.writers.adopt import adopt

    path = tmp_path / "form.xlsx"
    where = _with_subtotals(path)
    (result,) = adopt(path, tmp_path / "out")
    cells = [where[f"{level1}.weight"].replace("F", "A") for level1 in ("产出指标", "效益指标")]
    assert all(any(cell in line and "小计" in line for line in result.lost) for cell in cells)


def test_an_indicator_named_like_a_subtotal_stays_an_indicator(tmp_path):
    path = tmp_path / "form.xlsx"
    hebei_style(path)
    wb = load_workbook(path)
    wb.active["D13"] = "培训场次小计"  # a 三级指标 with a target and an actual of its own
    wb.save(path)
    form = _read_one(path)
    assert form.indicators[0].level3 == "培训场次小计" and not form.subtotals
    assert _findings(path) == []


def _evaltable(project: str, columns: tuple[str, ...]):
    """A 评分表 sheet: title, 项目名称, a header of the three levels and *columns*."""
    wb = Workbook()
    ws = wb.active
    ws.title = "评分表"
    ws.append(["绩效评价指标体系评分表"])
    ws.append(["项目名称", project])
    ws.append(["一级指标", "二级指标", "三级指标", *columns])
    return wb, ws


def test_evaltable_block_subtotals(tmp_path):
    """A 评分表 with a 小计 row under each block (决策 5, 过程 10, 产出 40, 效益 45)."""
    path = tmp_path / "评分表.xlsx"
    wb, ws = _evaltable("中小企业培训服务项目", ("分值", "评分标准", "得分", "扣分原因"))
    blocks = [
        ("决策", [("项目立项", "立项依据充分性", 5, 5)]),
        ("过程", [("资金管理", "资金使用合规性", 6, 6), ("组织实施", "制度执行有效性", 4, 3)]),
        ("产出", [("产出数量", "培训场次完成率", 40, 40)]),
        ("效益", [("社会效益", "企业参与度", 35, 35), ("满意度", "参训企业满意度", 10, 9)]),
    ]
    cells = {}
    for level1, items in blocks:
        for level2, level3, weight, score in items:
            reason = "个别制度执行不到位" if score < weight else None
            rule = f"{level3}符合要求得满分，否则酌情扣分"
            ws.append([level1, level2, level3, weight, rule, score, reason])
        ws.append(["小计", None, None, sum(i[2] for i in items), None, sum(i[3] for i in items)])
        cells[level1] = ws.max_row
    ws.append(["合计", None, None, 100, None, 98])
    wb.save(path)
    form = _read_one(path)
    assert len(form.indicators) == 6 and len(form.subtotals) == 4
    assert _findings(path) == []
    ws[f"F{cells['过程']}"] = 10
    wb.save(path)
    assert _findings(path) == [("SUBTOTAL_MISMATCH", f"F{cells['过程']}")]


def test_an_adjusted_target_is_the_one_scored(tmp_path):
    """年初指标值 ≤100 adjusted to ≤95 (调整指标值), 98 % done: a ceiling missed,
    60 × 95 / 98 = 58.16, not full marks; a row without an adjustment keeps its first target."""
    path = tmp_path / "部门整体.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.append(["2021年度部门整体支出绩效自评表"])
    ws.append(["主管部门", "某区财政局"])
    ws.append(
        [
            "部门预算执行情况",
            "年初预算数",
            "全年预算数",
            "全年执行数",
            "执行率",
            "执行率权重",
            "执行率得分",
        ]
    )
    ws.append(["年度资金总额", 500, 520, 510, "98.08%", 10, 9.81])
    ws.append(["一级指标", "二级指标", "指标名称", "计量单位", "年初指标值", "调整指标值", "全年完成值",
               "指标权重（分）", "指标得分（分）"])  # fmt: skip
    ws.append(["产出指标", "数量指标", "财政供养人员控制率", "%", "≤100", "≤95", 98, 60, 60])
    ws.append(["效益指标", "社会效益指标", "管理制度健全性", None, "健全", None, "健全", 30, 30])
    ws.append(["合计", None, None, None, None, None, None, 100, 99.81])
    wb.save(path)
    form = _read_one(path)
    assert [r.target for r in form.indicators] == ["≤95%", "健全"]
    assert form.indicators[0].locs["target"].cell == "F6"
    (mismatch,) = [f for f in validate_workbook(path) if f.code == "SCORE_MISMATCH"]
    assert mismatch.cell == "I6" and "58.16" in mismatch.message  # 60 × 95 / 98


def test_amounts_typed_with_their_unit(tmp_path):
    """ "1,959,300.00元" in a 元 block is 1959300; "193.718902万元" there is the
    1,937,189.02 元 it says, with a finding at its cell (the unit is written,
    not guessed); adopt writes the amounts as numbers, in the block's unit."""
    from perfkit.writers.adopt import adopt

    path = tmp_path / "form.xlsx"
    hebei_style(path, wan=False, colon=False)
    wb = load_workbook(path)
    ws = wb.active
    ws["C6"], ws["D6"], ws["E6"] = "1,959,300.00元", "1959300 元", "1,937,189.02元"
    wb.save(path)
    assert _findings(path) == []
    ws["C6"], ws["D6"] = "￥1,959,300.00", "¥1959300"  # pasted from a document
    wb.save(path)
    assert _findings(path) == []
    (result,) = adopt(path, tmp_path / "out")
    adopted = load_workbook(result.path).worksheets[0]
    assert [adopted[c].value for c in ("C6", "D6", "E6")] == [1959300, 1959300, 1937189.02]
    ws["E6"] = "193.718902万元"
    wb.save(path)
    assert _findings(path) == [("AMOUNT_UNIT_TYPED", "E6")]
    (result,) = adopt(path, tmp_path / "again")
    adopted = load_workbook(result.path).worksheets[0]
    assert adopted["E6"].value == 1937189.02


def test_a_file_whose_name_says_the_other_format(tmp_path, corpus):
    """An .xls saved under a .xlsx name (and the reverse) is read by its content:
    the same forms and findings as the file under its own name; --out says what
    the file really is."""
    import shutil

    from perfkit.commands.validate import _Mark, mark_job

    xls = next(f for f in corpus if f.path.suffix == ".xls")
    xlsx = next(f for f in corpus if f.path.suffix == ".xlsx" and f.variant == "original")
    for source, name in ((xls.path, "really_xls.xlsx"), (xlsx.path, "really_xlsx.xls")):
        copy = tmp_path / name
        shutil.copyfile(source, copy)
        assert _findings(copy) == _findings(source)
        assert [f.project_name for f in read_forms(copy)] == [
            f.project_name for f in read_forms(source)
        ]
    copy, why_not = mark_job(_Mark(str(tmp_path / "really_xls.xlsx"), str(tmp_path / "o.xlsx"), []))
    assert not copy and "内容却是 .xls 格式" in why_not


def test_evaltable_with_a_completion_column(tmp_path):
    """评分表 whose actual column is headed 实际完成情况 (the word of the 年度总体目标
    block): the rules are applied to it (预算执行率 90 % × 10 = 9, typed 10)."""
    path = tmp_path / "评分表.xlsx"
    wb, ws = _evaltable(
        "社区养老服务补助", ("分值", "评分标准", "实际完成情况", "得分", "扣分原因")
    )
    ws.append(["过程", "资金管理", "预算执行率", 10, "预算执行率×分值", "90%", 9, "执行偏慢"])
    ws.append(["产出", "产出数量", "助餐服务人次", 50, "完成率×分值", "95%", 47.5, "部分老人外出"])
    ws.append(
        ["效益", "满意度", "服务对象满意度", 40, "满意度≥90%得满分，每低1个百分点扣1分", "92%", 40]
    )
    ws.append(["合计", None, None, 100, None, None, 96.5])
    wb.save(path)
    assert [r.actual for r in _read_one(path).indicators] == ["90%", "95%", "92%"]
    assert _findings(path) == []
    ws["G4"] = 10  # 预算执行率×分值 is the rule written: 90 % of 10 is 9
    wb.save(path)
    assert ("RULE_SCORE_MISMATCH", "G4") in _findings(path)


def test_head_values_under_a_row_of_head_labels(tmp_path):
    """项目名称 | 主管部门 | 实施单位 | 项目编码 on one row, the values on the next."""
    path = tmp_path / "form.xlsx"
    hebei_style(path, wan=False, colon=False)
    wb = load_workbook(path)
    ws = wb.active
    for rng in list(ws.merged_cells.ranges):
        if rng.min_row in (3, 4):
            ws.unmerge_cells(str(rng))
    for row in (3, 4):
        for col in "ABCDEFGHI":
            ws[f"{col}{row}"] = None
    ws["A3"], ws["B3"], ws["C3"], ws["D3"] = "项目名称", "主管部门", "实施单位", "项目编码"
    ws["A4"], ws["B4"], ws["C4"], ws["D4"] = (
        "中小企业培训服务项目", "某区工商业联合会", "某区工商业联合会", "440300-2023-001",
    )  # fmt: skip
    wb.save(path)
    form = _read_one(path)
    assert (form.project_name, form.dept, form.unit, form.project_code) == (
        "中小企业培训服务项目", "某区工商业联合会", "某区工商业联合会", "440300-2023-001",
    )  # fmt: skip
    assert form.locs["project_name"].cell == "A4" and form.locs["project_code"].cell == "D4"
    assert _findings(path) == []


def test_a_rule_column_headed_like_the_settings_label(tmp_path):
    """评分规则 is also the label of perfkit's 设置 sheet: a one-sheet 评分表 whose
    rule column is so headed was taken for that sheet and read as nothing."""
    path = tmp_path / "评分表.xlsx"
    wb, ws = _evaltable("社区养老服务补助", ("分值", "评分规则", "实际完成值", "得分"))
    ws.append(["过程", "资金管理", "预算执行率", 10, "执行率每降低1%扣0.1分", "95%", 9.5])
    ws.append(["产出", "产出数量", "助餐服务人次", 90, "完成得满分，否则酌情扣分", "完成", 90])
    ws.append(["合计", None, None, 100, None, None, 99.5])
    wb.save(path)
    form = _read_one(path)
    assert [i.level3 for i in form.indicators] == ["预算执行率", "助餐服务人次"]
    assert form.profile == "mof2020"
    ws["G4"] = 10
    wb.save(path)
    assert ("RULE_SCORE_MISMATCH", "G4") in _findings(path)


def test_a_wps_et_file_holding_biff_is_read_as_xls(tmp_path, corpus):
    """WPS's own .et format is an OLE file with a BIFF Workbook stream, as an
    .xls (reported by users of calamine-based readers; no .et written by WPS was
    at hand): such a file is found by the folder scan and read by its content,
    with the findings of the .xls."""
    import shutil

    from perfkit import batch

    xls = next(f for f in corpus if f.path.suffix == ".xls")
    et = tmp_path / "单位填报.et"
    shutil.copyfile(xls.path, et)
    assert list(batch.discover([tmp_path])) == [et]
    assert _findings(et) == _findings(xls.path)


def test_hidden_rows_with_indicators_are_named(tmp_path, libreoffice):
    """A clerk hides last year's rows instead of deleting them: they are still
    in the file (and in Excel's sums), so they are read and checked, and
    ROWS_HIDDEN names them — in the .xlsx and in an .xls (ROW records)."""
    path = tmp_path / "form.xlsx"
    where = section_rows(path)
    wb = load_workbook(path)
    ws = wb.active
    r = where["rows"]["举办培训场次"]
    ws.insert_rows(r + 1)
    ws[f"A{r + 1}"], ws[f"B{r + 1}"], ws[f"C{r + 1}"] = "数量指标", "往年培训场次", "≥8场"
    ws[f"D{r + 1}"], ws[f"E{r + 1}"], ws[f"F{r + 1}"] = "8场", 10, 10
    ws.row_dimensions[r + 1].hidden = True
    wb.save(path)
    xls = tmp_path / "form.xls"
    libreoffice.convert(path, xls)
    for copy in (path, xls):
        found = validate_workbook(copy)
        (hidden,) = [f for f in found if f.code == "ROWS_HIDDEN"]
        assert hidden.cell == f"B{r + 1}" and f"第 {r + 1} 行已隐藏" in hidden.message
        assert "TOTAL_WEIGHT_MISMATCH" in {f.code for f in found}  # its 10 points count
    ws.row_dimensions[r + 1].hidden = False
    wb.save(path)
    assert "ROWS_HIDDEN" not in {code for code, _ in _findings(path)}


def _evaltable_rows(ws, rows):
    for level1, level2, level3, weight, score in rows:
        reason = "个别制度执行不到位" if score < weight else None
        ws.append(
            [level1, level2, level3, weight, f"{level3}符合要求得满分，否则酌情扣分", score, reason]
        )


EVAL_PAGE_1 = [
    ("决策", "项目立项", "立项依据充分性", 15, 15),
    ("过程", "资金管理", "资金使用合规性", 25, 24),
]
EVAL_PAGE_2 = [
    ("产出", "产出数量", "培训场次完成率", 40, 40),
    ("效益", "满意度", "参训企业满意度", 20, 19),
]
EVAL_COLUMNS = ("分值", "评分标准", "得分", "扣分原因")


def test_a_header_typed_again_at_the_top_of_page_two_is_not_a_new_form(tmp_path):
    """Units repeat the header at the top of each printed page: the grid goes
    on under it (one form, four rows, no finding), and an error typed after it
    is found at its cell."""
    path = tmp_path / "评分表.xlsx"
    wb, ws = _evaltable("中小企业培训服务项目", EVAL_COLUMNS)
    _evaltable_rows(ws, EVAL_PAGE_1)
    ws.append(["一级指标", "二级指标", "三级指标", *EVAL_COLUMNS])
    _evaltable_rows(ws, EVAL_PAGE_2)
    ws.append(["合计", None, None, 100, None, 98])
    wb.save(path)
    form = _read_one(path)
    assert [i.level3 for i in form.indicators] == [r[2] for r in EVAL_PAGE_1 + EVAL_PAGE_2]
    assert _findings(path) == []
    ws["F7"] = 38  # 培训场次完成率, below the repeated header: 40 without a 扣分原因
    wb.save(path)
    assert _findings(path) == [("DEDUCTION_REASON_MISSING", "G7"), ("TOTAL_MISMATCH", "F9")]


def test_two_grids_each_with_its_total_stay_two_forms(tmp_path):
    """The same header twice with a 合计 between: two 评分表 stacked, not one."""
    path = tmp_path / "评分表.xlsx"
    wb, ws = _evaltable("中小企业培训服务项目", EVAL_COLUMNS)
    _evaltable_rows(ws, EVAL_PAGE_1)
    ws.append(["合计", None, None, 40, None, 39])
    ws.append(["一级指标", "二级指标", "三级指标", *EVAL_COLUMNS])
    _evaltable_rows(ws, EVAL_PAGE_2)
    ws.append(["合计", None, None, 60, None, 59])
    wb.save(path)
    forms = read_forms(path)
    assert [[i.level3 for i in f.indicators] for f in forms] == [
        [r[2] for r in EVAL_PAGE_1],
        [r[2] for r in EVAL_PAGE_2],
    ]


FUNDS_TABLE = [
    ["项目资金（元）", None, "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
    [None, "年度资金总额", BUDGET, BUDGET, EXECUTED, 10, "98.87%", 9.89],
]


def _typed_form(
    path, grid_rows=ROWS, total=("总分", None, None, None, None, 100, 99.89), funds=FUNDS_TABLE
) -> None:
    """The seed form typed row by row (no merges): heads, 资金, the grid, 总分."""
    wb = Workbook()
    ws = wb.active
    ws.append(["项目支出绩效自评表"])
    ws.append(["（2023年度）"])
    ws.append(["项目名称", "中小企业培训服务项目"])
    ws.append(["主管部门", "某区工商业联合会", None, "实施单位", "某区工商业联合会"])
    for row in funds:
        ws.append(row)
    ws.append(
        ["年度总体目标", "预期目标", "开展培训10场以上", None, "实际完成情况", "开展培训12场"]
    )
    ws.append(["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"])
    for row in grid_rows:
        ws.append(list(row))
    ws.append(list(total))
    wb.save(path)


@pytest.mark.parametrize("dash", ["/", "—", "不适用"])
def test_a_row_marked_not_applicable_needs_no_score(tmp_path, dash):
    """A row the unit had no use for, kept with “/” in every cell: no score is
    asked of it; a row that carries points still needs its score."""
    path = tmp_path / "form.xlsx"
    unused = ("效益指标", "可持续影响指标", "长效机制", dash, dash, dash, dash)
    _typed_form(path, [r[:7] for r in ROWS[:4]] + [unused] + [ROWS[4]])
    assert _findings(path) == []
    wb = load_workbook(path)
    wb.active["G12"] = dash  # 企业参与度, 30 points: its score is still asked for
    wb.save(path)
    found = {(f.code, f.cell): f.message for f in validate_workbook(path)}
    assert f"目前填的是“{dash}”" in found["REQUIRED_EMPTY", "G12"]
    assert not [cell for _, cell in found if cell.endswith("13")]  # the unused row: nothing


def test_a_total_left_blank_or_written_after_the_label(tmp_path):
    path = tmp_path / "form.xlsx"
    grid = [r[:7] for r in ROWS]
    _typed_form(path, grid, ("总分", None, None, None, None, 100, None))
    found = validate_workbook(path)
    assert [(f.code, f.cell) for f in found] == [("REQUIRED_EMPTY", "G14")]
    assert "99.89" in found[0].message
    _typed_form(path, grid, ("总分：99.89",))  # the total typed into the label cell
    assert _findings(path) == []
    _typed_form(path, grid, ("总分：95",))
    assert _findings(path) == [("TOTAL_MISMATCH", "A14")]


def test_an_evaltable_total_left_blank(tmp_path):
    path = tmp_path / "评分表.xlsx"
    wb, ws = _evaltable("中小企业培训服务项目", EVAL_COLUMNS)
    _evaltable_rows(ws, EVAL_PAGE_1 + EVAL_PAGE_2)
    ws.append(["合计", None, None, 100, None, None])
    wb.save(path)
    found = validate_workbook(path)
    assert [(f.code, f.cell) for f in found] == [("REQUIRED_EMPTY", "F8")]
    assert "98" in found[0].message


FUNDS_DOWN = {  # how units write the 资金 block when it is not a table
    "a row per amount, 元": (
        "元",
        [
            ["项目资金（元）", "年初预算数", BUDGET],
            [None, "全年预算数", BUDGET],
            [None, "全年执行数", EXECUTED],
            [None, "分值", 10],
            [None, "执行率", "98.87%"],
            [None, "得分", 9.89],
        ],
    ),
    "a row per amount, 万元 as text": (
        "万元",
        [
            ["项目资金（万元）", "年初预算数", "195.93万元"],
            [None, "全年预算数", "195.93万元"],
            [None, "全年执行数", "193.718902万元"],
            [None, "分值", "10分"],
            [None, "执行率", "98.87%"],
            [None, "得分", "9.89分"],
        ],
    ),
    "values after the colon, one row": (
        "元",
        [
            [
                "年初预算数：1959300元",
                "全年预算数：1959300元",
                "全年执行数：1937189.02元",
                "分值：10",
                "执行率：98.87%",
                "得分：9.89",
            ],
        ],
    ),
    "values after the colon, 万元 typed with them": (
        "万元",
        [
            ["年初预算数：195.93万元", "全年预算数：195.93万元", "全年执行数：193.718902万元"],
            ["分值：10分", "执行率：98.87%", "得分：9.89分"],
        ],
    ),
}


def _cell_of(path, text) -> str:
    """The first cell of the only sheet whose value is or starts with *text*."""
    ws = load_workbook(path).active
    for row in ws.iter_rows():
        for cell in row:
            if cell.value is not None and str(cell.value).startswith(text):
                return cell.coordinate
    raise AssertionError(text)


@pytest.mark.parametrize("variant", FUNDS_DOWN)
def test_a_fund_block_written_label_by_label(tmp_path, variant):
    """年初预算数 | 175 on a row each, or 年初预算数：175 in one cell: the amounts,
    执行率 and 得分 are read at their cells (9.89 from 1,937,189.02 /
    1,959,300); one amount changed is found at the rate and score cells."""
    unit, block = FUNDS_DOWN[variant]
    path = tmp_path / "form.xlsx"
    _typed_form(path, funds=block)
    form = _read_one(path)
    assert form.amount_unit == unit
    from perfkit.assess import assess

    a = assess(form, resolve_profile(form, None))
    assert a.exec.score.value == Decimal("9.89") and a.recomputed == Decimal("99.89")
    assert _findings(path) == []
    lowered = [
        [(v.replace("1937189.02", "1900000").replace("193.718902", "190") if isinstance(v, str)
          else 1900000 if v == EXECUTED else v) for v in row]
        for row in block
    ]  # fmt: skip
    _typed_form(path, funds=lowered)
    rate = _cell_of(path, "执行率：") if "colon" in variant else "C9"
    score = _cell_of(path, "得分：") if "colon" in variant else "C10"
    assert _findings(path) == [("EXEC_RATE_MISMATCH", rate), ("EXEC_SCORE_MISMATCH", score)]


def test_a_fund_block_written_label_by_label_in_xls_and_adopted(tmp_path, libreoffice):
    from perfkit.writers.adopt import adopt

    path = tmp_path / "form.xlsx"
    _typed_form(path, funds=FUNDS_DOWN["a row per amount, 元"][1])
    xls = tmp_path / "form.xls"
    libreoffice.convert(path, xls)
    assert _findings(xls) == []
    (adopted,) = adopt(xls, tmp_path / "out")
    form = _read_one(adopted.path)
    total = form.funds["total"]
    assert (total.annual_budget, total.executed) == (BUDGET, EXECUTED)
    assert _findings(adopted.path) == []


@pytest.mark.parametrize(
    ("title", "project"),
    [
        ("中小企业培训服务项目绩效评价指标体系评分表", "中小企业培训服务项目"),
        ("表2-1 2021年度中小企业培训服务项目绩效评价指标体系评分表", "中小企业培训服务项目"),
        ("附件2：2022 年度专项经费绩效评价指标体系及评分表", "专项经费"),
        ("某区工商联2023年度中小企业培训服务项目支出绩效自评表", "中小企业培训服务项目"),
        ("绩效评价指标体系评分表", None),
        ("2023年度项目支出绩效自评表", None),
        ("XX项目绩效评价指标体系评分表", None),  # the template's placeholder
    ],
)
def test_a_project_named_only_in_the_title(tmp_path, title, project):
    """No 项目名称 cell: the name the title gives before the form's own words
    (at the title's cell), else PART_MISSING as before."""
    path = tmp_path / "评分表.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.append([title])
    ws.append(["一级指标", "二级指标", "三级指标", *EVAL_COLUMNS])
    _evaltable_rows(ws, EVAL_PAGE_1 + EVAL_PAGE_2)
    ws.append(["合计", None, None, 100, None, 98])
    wb.save(path)
    form = _read_one(path)
    assert form.project_name == project
    if project:
        assert form.locs["project_name"].cell == "A1" and _findings(path) == []
    else:
        assert _findings(path) == [("PART_MISSING", "A1")]
    ws.insert_rows(2)
    ws["A2"], ws["B2"] = "项目名称", "园区服务项目"
    wb.save(path)
    assert _read_one(path).project_name == "园区服务项目"  # the field, when there is one


def test_a_deadline_in_the_forms_year(tmp_path):
    """ "12月底前" in the 2023 form, done 2024-01-15: late, so the 15 points
    typed are out of the 未达成 band; done in December 2023: nothing to say."""
    path = tmp_path / "form.xlsx"
    late = ("产出指标", "时效指标", "完成时间", "12月底前", "2024年1月15日", 15, 15)
    on_time = (*late[:4], "2023年12月15日", 15, 15)
    for row, found in ((late, [("QUAL_SCORE_OUT_OF_BAND", "G11")]), (on_time, [])):
        _typed_form(path, [r[:7] for r in ROWS[:2]] + [row] + [r[:7] for r in ROWS[3:]])
        assert _findings(path) == found


FUNDS_HEAD = FUNDS_TABLE[0]


@pytest.mark.parametrize(
    ("funds", "cells", "converted"),
    [
        (  # a 元 table, every amount typed in 万元
            [FUNDS_HEAD, [None, "年度资金总额", "195.93万元", "195.93万元", "193.718902万元",
                          10, "98.87%", 9.89]],
            ["C6", "D6", "E6"],
            "1937189.02 元",
        ),
        (  # one amount in 万元 among numbers
            [FUNDS_HEAD, [None, "年度资金总额", BUDGET, "195.93万元", EXECUTED, 10, "98.87%", 9.89]],
            ["D6"],
            "1959300 元",
        ),
        (  # 万 alone is 万元 (it was NOT_A_NUMBER)
            [FUNDS_HEAD, [None, "年度资金总额", BUDGET, "195.93万", EXECUTED, 10, "98.87%", 9.89]],
            ["D6"],
            "1959300 元",
        ),
        (  # and in a 万元 block it is the block's unit
            [["项目资金（万元）", *FUNDS_HEAD[1:]],
             [None, "年度资金总额", "195.93万", 195.93, 193.718902, 10, "98.87%", 9.89]],
            [],
            "",
        ),
        (  # a 万元 table, one amount typed in 元
            [["项目资金（万元）", *FUNDS_HEAD[1:]],
             [None, "年度资金总额", 195.93, 195.93, "1,937,189.02元", 10, "98.87%", 9.89]],
            ["E6"],
            "193.718902 万元",
        ),
        (  # label by label in a 元 block
            [["项目资金（元）", "年初预算数", BUDGET], [None, "全年预算数", "195.93万元"],
             [None, "全年执行数", EXECUTED], [None, "分值", 10], [None, "执行率", "98.87%"],
             [None, "得分", 9.89]],
            ["C6"],
            "1959300 元",
        ),
    ],
)  # fmt: skip
def test_an_amount_typed_in_the_other_unit(tmp_path, funds, cells, converted):
    """“195.93万元” under 项目资金（元）: read as the 1,959,300 元 it says, so the
    execution score is checked (9.89), with AMOUNT_UNIT_TYPED at each such cell
    (it was NOT_A_NUMBER, and the rate and score went unchecked)."""
    path = tmp_path / "form.xlsx"
    _typed_form(path, funds=funds)
    found = validate_workbook(path)
    assert [(f.code, f.cell) for f in found] == [("AMOUNT_UNIT_TYPED", c) for c in cells]
    if cells:
        assert converted in found[-1].message and "表头的金额单位" in found[-1].message
    form = _read_one(path)
    from perfkit.assess import assess

    a = assess(form, resolve_profile(form, None))
    assert a.exec.rate == Decimal("98.87") and a.exec.score.value == Decimal("9.89")


def test_last_years_time_limit_in_this_years_form(tmp_path):
    """A 2023 form with 2022年12月底前 (the row copied from last year's form):
    TEXT_OTHER_YEAR at the target, beside what the late date gives; a
    comparison with last year in the actual (较2022年) is no time limit."""
    path = tmp_path / "form.xlsx"
    copied = ("产出指标", "时效指标", "完成时间", "2022年12月底前", "2023年12月15日", 15, 15)
    grid = [r[:7] for r in ROWS]
    _typed_form(path, [*grid[:2], copied, *grid[3:]])
    found = validate_workbook(path)
    assert [(f.code, f.cell) for f in found] == [
        ("TEXT_OTHER_YEAR", "D11"),
        ("QUAL_SCORE_OUT_OF_BAND", "G11"),
    ]
    assert "2022 年的时限" in found[0].message and "2023 年" in found[0].message
    compared = ("产出指标", "数量指标", "举办培训场次", "≥10场", "12场，较2022年增加2场", 20, 20)
    _typed_form(path, [compared, *grid[1:]])
    assert _findings(path) == []


def test_a_template_saved_as_xls_by_libreoffice(tmp_path, libreoffice):
    """LibreOffice writes perfkit's functions into .xls as =#N/A (keeping an old
    result beside, 0 for the grade): one FORMULA_ERROR names the lost formulas,
    and their stored results are not checked — it was GRADE_MISMATCH “表中为0”.
    The amounts, the typed total and its TOTAL_MISMATCH (the seed's) stay."""
    from pathlib import Path

    src = Path(__file__).resolve().parent.parent / "examples" / "futian2021_selfeval.xlsx"
    xls = tmp_path / "自评表.xls"
    libreoffice.convert(src, xls)
    found = validate_workbook(xls)
    errors = [(f.code, f.cell) for f in found if f.severity == "error"]
    assert errors == [("FORMULA_ERROR", "G6"), ("TOTAL_MISMATCH", "H24")]
    lost = next(f for f in found if f.code == "FORMULA_ERROR")
    assert lost.message.startswith("5 个单元格的公式只剩一个错误值（G6、H6、H17、H23、H25")
    assert not [f for f in validate_workbook(src) if f.code == "FORMULA_ERROR"]


def test_the_direction_written_for_the_sign(tmp_path):
    """指标性质 written as the platform's direction (正向指标 / 反向指标) rather
    than ≥ / ≤: 反向指标 | 3 | 万元 against 3.3 is a ceiling overrun, 3 ÷ 3.3 × 10
    = 9.09 (read as a bare 3万元 it had been met, 10)."""
    path = tmp_path / "方向.xlsx"
    wb = Workbook()
    ws = wb.active
    ws["A1"] = "2021年度部门整体支出绩效自评表"
    ws["A2"], ws["B2"] = "主管部门", "某区财政局"
    ws["A4"] = "部门预算执行情况（万元）"
    for c, h in zip("BCDEFG", ("年初预算数", "全年预算数", "全年执行数", "执行率", "执行率权重", "执行率得分"), strict=True):  # fmt: skip
        ws[f"{c}4"] = h
    for c, v in zip("BCDEFG", (500, 520, 510, 98.08, 10, 9.81), strict=True):
        ws[f"{c}5"] = v
    heads = ("一级指标", "二级指标", "指标名称", "指标性质", "年初指标值", "计量单位", "全年完成值", "指标权重", "指标得分")  # fmt: skip
    for i, h in enumerate(heads, 1):
        ws.cell(row=7, column=i, value=h)
    rows = [
        ("产出指标", "数量指标", "培训场次", "正向指标", 10, "场", 12, 40, 40),
        ("产出指标", "成本指标", "单位培训成本", "反向指标", 3, "万元", 3.3, 10, 10),
        ("效益指标", "社会效益指标", "培训覆盖率", "正向", 90, "%", 95, 40, 40),
    ]
    _put_rows(ws, rows, 8)
    ws["A11"], ws["H11"], ws["I11"] = "合计", 100, 99.81
    wb.save(path)
    form = _read_one(path)
    assert [r.target for r in form.indicators] == ["≥10场", "≤3万元", "≥90%"]
    mismatch = [f for f in validate_workbook(path) if f.code == "SCORE_MISMATCH"]
    assert [(f.cell, "应为 9.09" in f.message) for f in mismatch] == [("I9", True)]


@pytest.mark.parametrize(
    "top",
    [
        [["二〇二三年度项目支出绩效自评表"]],
        [["项目支出绩效自评表"], ["（二〇二三年度）"]],
        [["项目支出绩效自评表"], ["绩效自评年度", "二〇二三年"]],
    ],
)
def test_a_year_in_chinese_digits(tmp_path, top):
    """二〇二三年度 in the title, on a line of its own or in the 年度 cell is 2023
    (it was no year, so no time limit could be late)."""
    path = tmp_path / "form.xlsx"
    wb = Workbook()
    ws = wb.active
    for row in top:
        ws.append(row)
    ws.append(["项目名称", "中小企业培训服务项目"])
    ws.append(["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"])
    ws.append(["产出指标", "时效指标", "完成时间", "12月底前", "2024年1月15日", 100, 100])
    ws.append(["总分", None, None, None, None, 100, 100])
    wb.save(path)
    form = _read_one(path)
    from perfkit.values import form_year

    assert form_year(form) == 2023
    late = f"G{len(top) + 3}"  # the score cell of the one row
    assert ("QUAL_SCORE_OUT_OF_BAND", late) in _findings(path)  # late in a 2023 form
