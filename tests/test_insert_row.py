"""插入指标行 (``macros.insert_row``, issue 10).

* the plan, in pure Python: how references move (:func:`shift_formula`),
  which formulas, merges and names an insertion must fix, on the blank
  templates and the examples;
* the macro on the fake Excel of ``tests/fake_excel_rows.py`` (rows that
  move as Excel moves them): the sheet read back with the reader, formulas
  equal to the grown layout's, nothing the clerk typed touched, messages in
  Chinese, protection and screen updating restored;
* LibreOffice over UNO, a real spreadsheet program: the insertion a clerk
  makes moves references, merges and names exactly as the plan predicts;
  with the plan's fix-ups applied the reader reads the extra row in its
  group, and the ``formulas`` engine (perfkit's functions registered)
  computes its score and the totals over it.
"""

from __future__ import annotations

import importlib
import re
from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest

import macros
from macros import validation as mv
from perfkit.layout import (
    SELFEVAL_GROUPS,
    a1,
    a1_range,
    defined_names,
    evaltable_template,
    selfeval_template,
    template,
)
from perfkit.readers import read_forms
from perfkit.readers.cells import cell_index
from perfkit.writers.template import formulas, merged_spans, new_workbook
from tests import lo
from tests.conftest import errors_in, evaluate
from tests.fake_excel_rows import RowsBook, cells, move_refs, rows_book

ROOT = Path(__file__).resolve().parent.parent
SELFEVAL = ROOT / "xlsx_templates" / "项目支出绩效自评表.xlsx"
EVALTABLE = ROOT / "xlsx_templates" / "绩效评价指标体系评分表.xlsx"
EXAMPLES = ROOT / "examples"
# the module (``macros.insert_row`` is the function the ribbon calls)
mi = importlib.import_module("macros.insert_row")


def _at(cell: str) -> tuple[int, int]:
    r, c = cell_index(cell)
    return r + 1, c + 1


def _sheet_formulas(path: Path, sheet: str) -> dict[str, str]:
    ws = openpyxl.load_workbook(path)[sheet]
    return {
        c.coordinate: c.value
        for row in ws.iter_rows()
        for c in row
        if isinstance(c.value, str) and c.value.startswith("=")
    }


def _plan(path: Path, below: int, count: int = 1) -> mi.Insertion:
    """The plan for a file, from what openpyxl reads of it (as the macro reads Excel)."""
    wb = openpyxl.load_workbook(path)
    form = read_forms(path)[0]
    before = mi.template_layout(form.layout)
    assert before is not None
    ws = wb[before.sheet]
    occupied = {(c.row, c.column) for row in ws.iter_rows() for c in row if c.value is not None}
    names = {n: "=" + wb.defined_names[n].attr_text for n in mi.range_names(before)}
    return mi.plan_insertion(
        before, below, count, _sheet_formulas(path, before.sheet), occupied, names
    )


# --------------------------------------------------------------------------
# the plan
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("formula", "at", "count", "expected"),
    [
        ("=SUM(G14:G25)", 26, 1, "=SUM(G14:G25)"),  # after the range: not grown
        ("=SUM(G14:G25)", 25, 1, "=SUM(G14:G26)"),  # strictly inside: grown
        ("=SUM(G14:G25)", 14, 2, "=SUM(G16:G27)"),  # before it: moved
        (
            '=PERF_SCORE(E17,F17,G17,"",D17,PK_PROFILE,$C$14)',
            17,
            1,
            '=PERF_SCORE(E18,F18,G18,"",D18,PK_PROFILE,$C$14)',
        ),
        ('="产出指标（"&SUM(G14:G25)&"分）"', 20, 3, '="产出指标（"&SUM(G14:G28)&"分）"'),
        ('="A15 ""B20"""&A15', 15, 1, '="A15 ""B20"""&A16'),  # text is text
        ("=F6+SUM($G$14:$G$43)", 44, 1, "=F6+SUM($G$14:$G$43)"),
        ("=LOG10(A20)+PK_PROFILE", 20, 1, "=LOG10(A21)+PK_PROFILE"),
        ("=设置!B20+B20", 20, 1, "=设置!B20+B21"),  # another sheet's cell stays
        ("=perf_total(h6,h14:h43)", 40, 1, "=perf_total(h6,h14:h44)"),  # LibreOffice's case
    ],
)
def test_shift_formula_moves_references_as_a_spreadsheet_does(formula, at, count, expected):
    assert mi.shift_formula(formula, at, count) == expected
    assert move_refs(formula, at, count) == expected  # the fake Excel, written on its own


@pytest.mark.parametrize(
    ("text", "same"),
    [
        ("=perf_score( e14 , f14 )", True),  # case and spaces, as LibreOffice writes it
        ("=_xludf.PERF_SCORE(E14,F14)", True),
        (
            r"='C:\Users\会计\AppData\Roaming\Microsoft\AddIns\perfkit.xlam'!PERF_SCORE(E14,F14)",
            True,
        ),
        ("=PERF_SCORE(E15,F14)", False),
        ("PERF_SCORE", False),
        (None, False),
    ],
)
def test_same_formula(text, same):
    assert mi.same_formula(text, "=PERF_SCORE(E14,F14)") is same


def test_shift_reference_moves_only_the_forms_sheet():
    assert mi.shift_reference("=自评表!$H$14:$H$43", "自评表", 44, 1) == "自评表!$H$14:$H$43"
    assert mi.shift_reference("=自评表!$H$14:$H$43", "自评表", 43, 1) == "自评表!$H$14:$H$44"
    assert mi.shift_reference("'自 评'!$H$14:$H$43", "自 评", 20, 2) == "'自 评'!$H$14:$H$45"
    assert mi.shift_reference("设置!$B$20", "自评表", 1, 5) == "设置!$B$20"


@pytest.mark.parametrize(
    ("address", "span"),
    [
        ("$D$16", (16, 4, 16, 4)),
        ("$D$15:$F$16", (15, 4, 16, 6)),
        ("$15:$17", (15, 1, 17, mi.LAST_COLUMN)),
        ("$D$15,$C$18:$E$19", (15, 3, 19, 5)),
        ("$D:$D", (1, 4, mi.LAST_ROW, 4)),
    ],
)
def test_selection_span(address, span):
    assert mi.selection_span(address) == span


def test_rows_to_insert():
    layout = template("selfeval")
    quantity = layout.groups[0]  # 数量指标, rows 14-16
    assert mi.rows_to_insert(layout, quantity, (15, 4, 15, 6)) == (15, 1)
    assert mi.rows_to_insert(layout, quantity, (14, 4, 15, 4)) == (15, 2)
    assert mi.rows_to_insert(layout, quantity, (14, 3, 16, 3)) == (16, 1)  # the merged label
    assert mi.rows_to_insert(layout, quantity, (14, 3, 16, 4)) == (16, 3)


def test_template_layout_of_templates_and_examples():
    for path in (SELFEVAL, EVALTABLE, *sorted(EXAMPLES.glob("*.xlsx"))):
        layout = read_forms(path)[0].layout
        t = mi.template_layout(layout)
        assert t is not None, path.name
        assert t.groups == layout.groups and formulas(t) == formulas(layout)


def test_template_layout_refuses_other_forms(tmp_path):
    layout = read_forms(SELFEVAL)[0].layout
    assert mi.template_layout(replace(layout, header_row=12)) is None
    assert mi.template_layout(replace(layout, fields={**layout.fields, "total": (50, 8)})) is None
    gap = layout.groups[1]
    groups = (*layout.groups[:1], replace(gap, first_row=gap.first_row + 1), *layout.groups[2:])
    assert mi.template_layout(replace(layout, groups=groups)) is None
    from tests.corpus import longgang

    for file in longgang.originals(tmp_path):  # seed 000 as units type it
        for form in read_forms(file.path):
            assert mi.template_layout(form.layout) is None, file.path.name


@pytest.mark.parametrize(
    "layout",
    [
        template("selfeval"),
        template("evaltable"),
        selfeval_template([("产出指标", "数量指标", 5), ("效益指标", "社会效益指标", 1)]),
        evaltable_template([("决策", 1), ("过程", 3)]),
    ],
    ids=["selfeval", "evaltable", "selfeval-grown", "evaltable-grown"],
)
def test_merged_spans_are_what_the_template_merges(layout):
    ws = new_workbook(layout).worksheets[0]
    assert {str(r) for r in ws.merged_cells.ranges} == {a1_range(*s) for s in merged_spans(layout)}


# What Excel leaves to the macro, insertion by insertion on the blank templates.
PLANS = [
    # inside a group: Excel grows merges and sums; only the new row's score is written
    (SELFEVAL, 14, 1, {"H15"}, set(), set()),
    # below a group's last row: its 二级指标 merge does not grow
    (SELFEVAL, 16, 1, {"H17"}, {"C14:C17"}, set()),
    # below a block's last row: the block label and its SUM too
    (SELFEVAL, 25, 2, {"H26", "H27", "B14"}, {"C23:C27", "B14:B27"}, set()),
    # below the last row: the totals, the grid label and the defined names
    (
        SELFEVAL,
        43,
        1,
        {"H44", "B38", "G45", "H45"},
        {"A13:A44", "C41:C44", "B38:B44"},
        {"PK_INDICATORS", "PK_SCORES", "PK_WEIGHTS"},
    ),
    # 评分表: a block's last row leaves its 小计 short; inside a block nothing
    (EVALTABLE, 14, 1, {"I15", "G50", "I50"}, set(), set()),
    (EVALTABLE, 15, 1, {"I16"}, set(), set()),
    (
        EVALTABLE,
        44,
        1,
        {"I45", "G46", "I46", "G53", "I53"},
        set(),
        {"PK_INDICATORS", "PK_SCORES", "PK_WEIGHTS"},
    ),
    # a filled example, one row per group: the single 二级指标 cell becomes a merge
    (EXAMPLES / "longgang2023_dangjian.xlsx", 14, 1, {"H15"}, {"C14:C15"}, set()),
]


@pytest.mark.parametrize(("path", "below", "count", "written", "merged", "names"), PLANS)
def test_plan_fixes_what_excel_leaves(path, below, count, written, merged, names):
    plan = _plan(path, below, count)
    assert set(plan.formulas) == written
    assert {a1_range(*s) for s in plan.merges} == merged
    assert set(plan.names) == names
    assert plan.kept == ()
    after = formulas(plan.after)
    assert plan.expected == set(after)  # every computed cell here is perfkit's
    assert all(plan.formulas[c] == after[c] for c in plan.formulas)
    assert all(plan.names[n] == defined_names(plan.after)[n] for n in plan.names)
    assert plan.group.first_row <= plan.at <= plan.last <= plan.group.last_row
    assert plan.group.rows == plan.before.group_of(below).rows + count


def test_plan_never_merges_over_the_clerks_content():
    plan = _plan(SELFEVAL, 16)
    path = SELFEVAL
    wb = openpyxl.load_workbook(path)
    ws = wb["自评表"]
    occupied = {(c.row, c.column) for row in ws.iter_rows() for c in row if c.value is not None}
    again = mi.plan_insertion(
        plan.before, 16, 1, _sheet_formulas(path, "自评表"), occupied | {(15, 3)}
    )
    assert again.kept == ((14, 3, 17, 3),) and again.merges == ()


def test_plan_leaves_the_clerks_formulas_and_values():
    """A label formula replaced by text, a total typed over, a total formula
    the clerk changed: none is perfkit's any more, none is written."""
    before = mi.template_layout(read_forms(SELFEVAL)[0].layout)
    sheet = _sheet_formulas(SELFEVAL, "自评表")
    sheet.pop("B38")  # typed text: 满意度指标（10分）
    sheet.pop("H44")  # a typed total
    sheet["G44"] = "=F6+SUM(G14:G43)+0"
    plan = mi.plan_insertion(before, 43, 1, sheet)
    assert set(plan.formulas) == {"H44"}  # the new row's score only
    assert not {"B38", "G45", "H45"} & plan.expected


def test_plan_repairs_a_range_an_earlier_insertion_left_short():
    """Excel's own insertion below 成本指标 (rows 23-25) left the 产出 label's
    SUM at G14:G25 while the block now ends at 26: perfkit's formula still,
    written with the grown range on the next insertion."""
    sizes = [(l1, l2, 4 if l2 == "成本指标" else 3) for l1, l2 in SELFEVAL_GROUPS]
    before = selfeval_template(sizes)
    sheet = formulas(before)
    assert sheet["B14"] == '="产出指标（"&SUM(G14:G26)&"分）"'
    sheet["B14"] = '="产出指标（"&SUM(G14:G25)&"分）"'
    plan = mi.plan_insertion(before, 15, 1, sheet)
    assert plan.formulas["B14"] == '="产出指标（"&SUM(G14:G27)&"分）"'
    assert set(plan.formulas) == {"B14", "H16"}


def test_plan_writes_no_score_where_the_form_has_none():
    """A frozen copy (定稿): values instead of perfkit's functions; the new row stays blank."""
    before = mi.template_layout(read_forms(SELFEVAL)[0].layout)
    sheet = {c: t for c, t in _sheet_formulas(SELFEVAL, "自评表").items() if "PERF_SCORE" not in t}
    plan = mi.plan_insertion(before, 16, 1, sheet)
    assert "H17" not in plan.formulas and "H17" not in plan.expected


# --------------------------------------------------------------------------
# the macro, on the fake Excel
# --------------------------------------------------------------------------

POSITIONS = [
    (SELFEVAL, "D14"),
    (SELFEVAL, "D16"),
    (SELFEVAL, "F24:F25"),
    (SELFEVAL, "E42:E43"),
    (EVALTABLE, "C14"),
    (EVALTABLE, "C15:E16"),
    (EVALTABLE, "C25"),  # a block's first row: its heavy top line is not copied down
    (EVALTABLE, "44:44"),
    (EXAMPLES / "longgang2023_dangjian.xlsx", "D14"),
    (EXAMPLES / "longgang2023_shanghui.xlsx", "G23"),
    (EXAMPLES / "futian2021_evaltable.xlsx", "C10"),
    (EXAMPLES / "futian2021_selfeval.xlsx", "D23"),
]


def _insert(path: Path, selection: str) -> tuple[RowsBook, mi.Insertion]:
    book = rows_book(path)
    sheet = book._sheets[0]._name
    book.select(sheet, selection)
    book.calls.clear()
    plan = macros.insert_row(book)
    assert plan is not None, book.app.messages
    return book, plan


@pytest.mark.parametrize(("path", "selection"), POSITIONS, ids=lambda p: getattr(p, "stem", p))
def test_insert_row_leaves_the_form_as_its_grown_template(path, selection):
    before_book = rows_book(path)
    sheet = before_book._sheets[0]._name
    original = cells(before_book.sheet(sheet))
    book, plan = _insert(path, selection)
    sht = book.sheet(sheet)
    first, _, last, _ = mi.selection_span("$" + selection.replace(":", ":$"))
    assert (plan.below, plan.count) == (last, last - first + 1)
    assert sht.inserts == [(plan.at, plan.last, mi.XL_DOWN, mi.XL_FORMAT_FROM_LEFT_OR_ABOVE)]

    # read back as the macro does: the new rows are in the group, formulas are the layout's
    values, grid = mv.read_grids(book, [sheet])
    from perfkit.readers import forms_from_grids

    forms = forms_from_grids(values, grid)
    assert mi.check(plan, forms, mi._formula_cells(grid[sheet])) == []
    layout = forms[0].layout
    assert layout.groups == plan.after.groups
    assert all(layout.group_of(r) == plan.group for r in plan.new_rows)
    after = formulas(plan.after)
    for cell in plan.expected:
        assert mi.same_formula(sht.formulas.get(_at(cell)), after[cell]), cell
    assert {s for s in sht.merged} == set(merged_spans(plan.after))
    for name, ref in defined_names(plan.after).items():
        if name in mi.range_names(plan.after):
            assert book.names.by_name[name]._refers_to == "=" + ref, name

    # nothing the clerk typed changed: every old cell is where Excel moved it, as it was
    now = cells(sht)
    written = {_at(c) for c in plan.formulas}
    for (r, c), content in original.items():
        moved = (r + plan.count if r >= plan.at else r, c)
        if moved in written:  # perfkit's own formula, grown
            assert isinstance(content, str) and content.startswith("="), (r, c)
            continue
        if isinstance(content, str):
            content = move_refs(content, plan.at, plan.count)
        assert now.get(moved) == content, (r, c)
    assert sht.value_writes == 0
    in_new_rows = {k for k in now if plan.at <= k[0] <= plan.last}
    assert in_new_rows == {k for k in written if plan.at <= k[0] <= plan.last}

    # styling of the new rows: the selected row's fill and locked state, thin top borders
    for r in plan.new_rows:
        for span in plan.borders:
            for c in range(span[1], span[3] + 1):
                fmt, above = sht.formats[(r, c)], sht.formats[(plan.below, c)]
                assert fmt["fill"] == above["fill"] and fmt["locked"] is False
                assert fmt["top"] == "thin", (r, c)
        assert sht.heights[r] == sht.heights[plan.below]

    # Excel as it was: protected again with the same options, screen and alerts back on
    assert sht.api.ProtectContents_ is True and book.calls["api.Unprotect"] == 1
    assert sht.api.protect_args["AllowFormattingColumns"] is True
    assert book.app.screen_history == [False, True] and book.app.alerts_history == [False, True]
    assert book.selected == (sheet, plan.after.at("level3", plan.at))
    assert book.app.messages and "已在" in book.app.messages[-1]


def test_clicking_the_merged_label_adds_one_row_at_the_end_of_the_group():
    book = rows_book(SELFEVAL).select("自评表", "C14:C16")  # Excel selects the whole merge
    plan = macros.insert_row(book)
    assert (plan.below, plan.count) == (16, 1)
    assert (14, 3, 17, 3) in book.sheet("自评表").merged


def test_typed_values_hand_scores_and_a_typed_total_stay():
    """福田 表1-2: hand scores and the typed 合计 100 (F-1); a row below the last group."""
    book, plan = _insert(EXAMPLES / "futian2021_selfeval.xlsx", "D23")
    sht = book.sheet("自评表")
    assert sht.values[_at("H14")] == 20 and sht.values[_at("H25")] == 100  # typed total moved
    assert sht.formulas[_at("G25")] == "=F6+SUM(G14:G24)"  # the 总分值 formula is perfkit's
    assert set(plan.formulas) == {"H24", "B22", "G25"}


def test_new_row_score_is_written_whatever_the_selected_row_holds():
    book = rows_book(SELFEVAL).select("自评表", "D15")
    sht = book.sheet("自评表")
    sht.values[_at("H15")] = 8  # a hand score over the formula
    sht.formulas.pop(_at("H15"))
    plan = macros.insert_row(book)
    assert sht.values[_at("H15")] == 8
    assert sht.formulas[_at("H16")] == formulas(plan.after)["H16"]


def _unchanged(path: Path, selection: str, prepare=None) -> RowsBook:
    book = rows_book(path)
    sheet = book._sheets[0]._name if "!" not in selection else selection.split("!")[0]
    if prepare:
        prepare(book)
    before = {s._name: (cells(s), set(s.merged)) for s in book._sheets}
    book.select(sheet, selection.split("!")[-1])
    assert macros.insert_row(book) is None
    assert {s._name: (cells(s), set(s.merged)) for s in book._sheets} == before
    assert all(not s.inserts and not s.formula_writes for s in book._sheets)
    assert book.name_writes == []
    assert len(book.app.messages) == 2  # status bar and message box: the same text
    return book


@pytest.mark.parametrize("selection", ["D13", "C6", "H44", "A1", "D50"])
def test_outside_the_indicator_rows_nothing_changes(selection):
    book = _unchanged(SELFEVAL, selection)
    assert "不在指标行中" in book.app.messages[-1]
    assert book.app.screen_history == []


@pytest.mark.parametrize(
    ("selection", "groups"),
    [("D16:D17", "数量指标、质量指标"), ("D13:D14", "（数量指标）"), ("D:D", "数量指标、")],
)
def test_a_selection_over_two_groups_is_refused(selection, groups):
    book = _unchanged(SELFEVAL, selection)
    assert "不全在同一个二级指标中" in book.app.messages[-1]
    assert groups in book.app.messages[-1]


def test_the_settings_sheet_is_not_a_form():
    book = _unchanged(SELFEVAL, "设置!B1")
    assert "不是项目支出绩效自评表或绩效评价指标体系评分表" in book.app.messages[-1]


def test_a_form_that_is_not_a_perfkit_template_is_refused(tmp_path):
    from tests.corpus import longgang

    path = longgang.originals(tmp_path)[0].path
    book = _unchanged(path, "D15")
    assert "不是按 perfkit 模板画的" in book.app.messages[-1]


def test_a_password_protected_sheet_is_left_alone():
    def lock(book):
        object.__setattr__(book.sheet("自评表").api, "password_", "secret")

    book = _unchanged(SELFEVAL, "D16", lock)
    assert "设有保护密码" in book.app.messages[-1]
    assert book.app.screen_history == [False, True]


def test_an_unprotected_sheet_stays_unprotected():
    book = rows_book(SELFEVAL).select("自评表", "D16")
    sht = book.sheet("自评表")
    object.__setattr__(sht.api, "ProtectContents_", False)
    assert macros.insert_row(book) is not None
    assert sht.api.ProtectContents_ is False and book.calls["api.Protect"] == 0


def test_at_most_max_rows_at_once(tmp_path):
    path = tmp_path / "long.xlsx"
    new_workbook(
        selfeval_template([("产出指标", "数量指标", 25), ("效益指标", "社会效益指标", 2)])
    ).save(path)
    book = rows_book(path).select("自评表", "D14:D38")
    plan = macros.insert_row(book)
    assert plan.count == mi.MAX_ROWS and plan.below == 38
    assert book.sheet("自评表").inserts[0][:2] == (39, 38 + mi.MAX_ROWS)
    assert f"一次最多插入 {mi.MAX_ROWS} 行（选中了 25 行）" in book.app.messages[-1]


def test_an_error_is_a_chinese_sentence_and_excel_is_restored(monkeypatch):
    def broken(book, sht, plan):
        raise RuntimeError("boom: (-2147352567, 'Exception occurred.', 0x800A03EC)")

    monkeypatch.setattr(mi, "_apply", broken)
    monkeypatch.delenv("PERFKIT_DEBUG", raising=False)
    book = rows_book(SELFEVAL).select("自评表", "D16")
    assert macros.insert_row(book) is None
    message = book.app.messages[-1]
    assert "插入指标行时出错" in message
    assert not re.search(r"[A-Za-z]{4,}", message.replace("perfkit", ""))  # no exception words
    sht = book.sheet("自评表")
    assert sht.api.ProtectContents_ is True and book.app.screen_history == [False, True]

    monkeypatch.setenv("PERFKIT_DEBUG", "1")
    book = rows_book(SELFEVAL).select("自评表", "D16")
    macros.insert_row(book)
    assert "boom" in book.app.messages[-1] and "Traceback" in book.app.messages[-1]


def test_a_failed_check_is_reported(monkeypatch):
    monkeypatch.setattr(mi, "check", lambda plan, forms, cell_formulas: ["H17 的公式与模板不一致"])
    book = rows_book(SELFEVAL).select("自评表", "D16")
    macros.insert_row(book)
    assert "但核对时发现：H17 的公式与模板不一致" in book.app.messages[-1]


def test_check_finds_a_missing_formula_and_a_short_total():
    book, plan = _insert(SELFEVAL, "E42:E43")
    sht = book.sheet("自评表")
    sht.formulas.pop(_at("H44"))
    sht.formulas[_at("H46")] = "=PERF_TOTAL(H6,H14:H43)"
    values, grid = mv.read_grids(book, ["自评表"])
    from perfkit.readers import forms_from_grids

    problems = mi.check(plan, forms_from_grids(values, grid), mi._formula_cells(grid["自评表"]))
    assert problems == ["以下单元格的公式与模板不一致：H44、H46"]


def test_marks_of_an_earlier_validation_are_cleared_first():
    book = rows_book(EXAMPLES / "longgang2023_shanghui.xlsx")
    sht = book.sheet("自评表")
    original_notes = {c: n._text for c, n in sht.notes_by_cell.items()}
    assert mv.validate(book)
    assert mv.MARKS_SHEET in mv._sheet_names(book)
    book.select("自评表", "D14")
    plan = macros.insert_row(book)
    assert mv.MARKS_SHEET not in mv._sheet_names(book)
    assert {c: n._text for c, n in sht.notes_by_cell.items()} == {
        (c if _at(c)[0] < plan.at else a1(_at(c)[0] + plan.count, _at(c)[1])): t
        for c, t in original_notes.items()
    }
    assert "校验标记已清除" in book.app.messages[-1]


def test_round_trips_do_not_grow_with_the_sheet():
    def calls(extra: int) -> int:
        book = rows_book(EXAMPLES / "longgang2023_shanghui.xlsx")
        sht = book.sheet("自评表")
        start = max(r for r, _ in cells(sht)) + 2
        for i in range(extra):
            sht.values[(start + i, 1)] = f"附注 {i + 1}"
        book.select("自评表", "D14")
        book.calls.clear()
        assert macros.insert_row(book) is not None
        return book.calls.total

    assert calls(10) == calls(1000) < 120


def test_insert_row_is_a_macro():
    assert macros.insert_row is mi.insert_row and "insert_row" in macros.__all__
    from macros.ribbon import HELP_TEXT

    assert "插入指标行" in HELP_TEXT and f"一次最多 {mi.MAX_ROWS} 行" in HELP_TEXT


# --------------------------------------------------------------------------
# LibreOffice: the same insertion a clerk makes, and perfkit's fix-ups over UNO
# --------------------------------------------------------------------------

LO_POSITIONS = [
    (SELFEVAL, 16, 1),
    (SELFEVAL, 25, 2),
    (SELFEVAL, 43, 1),
    (EVALTABLE, 14, 1),
    (EVALTABLE, 15, 2),
    (EVALTABLE, 44, 1),
    (EXAMPLES / "longgang2023_dangjian.xlsx", 14, 1),
]
TYPED = {  # a 数量指标 as a clerk types it into the new row: score = weight
    "selfeval": {"level3": "新增培训场次", "target": "≥2场", "actual": "3场", "weight": 5},
    "evaltable": {
        "level3": "活动开展次数",
        "rule": "活动开展次数≥8次得6分，完成情况每下降1次，扣2分，扣完为止。",
        "actual": "10次",
        "weight": 6,
    },
}


def _fixups(plan: mi.Insertion, typed: bool = True) -> list[dict]:
    """The macro's steps (``macros.insert_row._apply``) as UNO operations."""
    sheet = plan.sheet
    steps = [
        lo.insert_rows_step(sheet, plan.at - 1, plan.count),
        lo.merge_step(sheet, [a1_range(*s) for s in plan.merges]),
        lo.set_cells_step(sheet, plan.formulas),
        lo.set_names_step(plan.names),
        lo.borders_step(
            sheet,
            [a1_range(*s) for s in plan.borders],
            plan.after.at("level3", plan.after.last_row),
        ),
    ]
    if typed:
        kind = plan.after.kind
        values = {plan.after.at(k, plan.at): v for k, v in TYPED[kind].items()}
        steps.append(lo.set_cells_step(sheet, values))
    return steps


def _names_in(path: Path) -> dict[str, str]:
    wb = openpyxl.load_workbook(path)
    return {n: d.attr_text for n, d in wb.defined_names.items()}


@pytest.mark.libreoffice
def test_libreoffice_inserts_as_the_plan_predicts_and_the_fixups_complete_it(libreoffice, tmp_path):
    jobs = []
    for i, (path, below, count) in enumerate(LO_POSITIONS):
        plan = _plan(path, below, count)
        native, fixed = tmp_path / f"{i}.native.xlsx", tmp_path / f"{i}.fixed.xlsx"
        jobs.append((path, plan, native, fixed))
    ops = []
    for path, plan, native, fixed in jobs:
        ops.append(lo.insert_rows(path, native, plan.sheet, plan.at - 1, plan.count))
        ops.append(lo.edit(path, fixed, _fixups(plan)))
    libreoffice.run(ops)

    for path, plan, native, fixed in jobs:
        tag = f"{path.name} below {plan.below} ×{plan.count}"
        at, n = plan.at, plan.count

        # the clerk's insertion: references, merges and names move as predicted
        before, moved = _sheet_formulas(path, plan.sheet), _sheet_formulas(native, plan.sheet)
        for cell, text in before.items():
            r, c = _at(cell)
            where = a1(r + n if r >= at else r, c)
            assert mi.same_formula(moved.get(where), mi.shift_formula(text, at, n)), (tag, cell)
        ws = openpyxl.load_workbook(native)[plan.sheet]
        predicted = {
            a1_range(r1 + n if r1 >= at else r1, c1, r2 + n if r2 >= at else r2, c2)
            for r1, c1, r2, c2 in merged_spans(plan.before)
        }
        assert {str(m) for m in ws.merged_cells.ranges} == predicted, tag
        old_names, new_names = _names_in(path), _names_in(native)
        for name in mi.range_names(plan.before):
            assert new_names[name] == mi.shift_reference(old_names[name], plan.sheet, at, n), tag
        # ... which is not yet the grown template
        assert plan.formulas and not all(
            mi.same_formula(moved.get(c), t) for c, t in plan.formulas.items()
        )

        # with perfkit's fix-ups: read back, the new rows in their group, formulas the layout's
        form = read_forms(fixed)[0]
        fixed_formulas = _sheet_formulas(fixed, plan.sheet)
        assert mi.check(plan, [form], fixed_formulas) == [], tag
        assert form.layout.groups == plan.after.groups, tag
        new_row = next(i for i in form.indicators if i.row == at)
        assert new_row.level3 == TYPED[plan.after.kind]["level3"], tag
        assert all(form.layout.group_of(r) == plan.group for r in plan.new_rows), tag
        if plan.after.kind == "selfeval":
            assert (new_row.level1, new_row.level2) == (plan.group.level1, plan.group.level2)
        after = formulas(plan.after)
        for cell in plan.expected:
            assert mi.same_formula(fixed_formulas.get(cell), after[cell]), (tag, cell)
        wb = openpyxl.load_workbook(fixed)
        ws = wb[plan.sheet]
        merges = {str(m) for m in ws.merged_cells.ranges}
        assert merges == {a1_range(*s) for s in merged_spans(plan.after)}, tag
        names = {n: d.attr_text for n, d in wb.defined_names.items()}
        for name in mi.range_names(plan.after):
            assert names[name] == defined_names(plan.after)[name], tag
        for r in plan.new_rows:  # the selected row's styling, thin lines between rows
            for span in plan.borders:
                for c in range(span[1], span[3] + 1):
                    cell, above = ws.cell(r, c), ws.cell(plan.below, c)
                    assert cell.protection.locked is False, (tag, cell.coordinate)
                    assert cell.fill.fgColor.rgb == above.fill.fgColor.rgb, (tag, cell.coordinate)
                    assert cell.border.top.style == "thin", (tag, cell.coordinate)
            weight = plan.after.at("weight", r)  # the number check of 分值 / 权重 reaches it
            assert any(weight in dv.sqref for dv in ws.data_validations.dataValidation), tag

        # the formulas engine, perfkit's functions registered, computes the new row
        values = evaluate(fixed)
        sheet = plan.sheet.upper()
        assert not errors_in(values), (tag, errors_in(values))
        weight = TYPED[plan.after.kind]["weight"]
        assert values[(sheet, plan.after.at("score", at))] == weight, tag
        total_weight = values[(sheet, plan.after.cell("total_weight"))]
        if path.parent == EXAMPLES:
            assert total_weight == 100 + weight, tag  # the example's weights add to 100
        else:
            assert total_weight == weight + (10 if plan.after.kind == "selfeval" else 0), tag
        if plan.after.kind == "selfeval" and path.parent != EXAMPLES:
            lo_, _ = plan.after.level1_blocks()[plan.group.level1]
            label = values[(sheet, plan.after.at("level1", lo_))]
            assert label == f"{plan.group.level1}（{weight}分）", tag
        else:
            for block, srow in plan.after.summary_rows.items():
                expected = weight if block == plan.group.level1 else 0
                if path.parent != EXAMPLES:
                    assert values[(sheet, f"G{srow}")] == expected, (tag, block)


@pytest.mark.libreoffice
def test_evaltable_block_border_needs_the_fixup(libreoffice, tmp_path):
    """Below a block's first row (its heavy top line), LibreOffice, like Excel,
    copies that line into the new row; the fix-up makes it thin again."""
    plan = _plan(EVALTABLE, 15)
    native = tmp_path / "native.xlsx"
    libreoffice.insert_rows(EVALTABLE, native, plan.sheet, plan.at - 1, 1)
    ws = openpyxl.load_workbook(native)[plan.sheet]
    assert ws.cell(16, 3).border.top.style == "medium"
    assert ws.cell(15, 3).border.top.style == "medium"  # the block's own line stays


@pytest.mark.libreoffice
def test_rendered_after_an_insertion(libreoffice, tmp_path):
    """The grown 自评表 as LibreOffice prints it: one page, the new row's text
    inside the 数量指标 group, the block label computed over it."""
    from perfkit.render import pdf_text

    plan = _plan(SELFEVAL, 16)
    fixed, pdf = tmp_path / "grown.xlsx", tmp_path / "grown.pdf"
    libreoffice.run([lo.edit(SELFEVAL, fixed, _fixups(plan))])
    libreoffice.to_pdf(fixed, pdf)
    text = pdf_text(pdf)
    assert "新增培训场次" in text and "产出指标（5分）" in text
    assert text.index("数量指标") < text.index("新增培训场次") < text.index("质量指标")
