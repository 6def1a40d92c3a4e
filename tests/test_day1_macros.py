"""The Excel macros validate()/clear() (issue 12.13, 12.14), on the fake
xlwings book of test_validate_macros (which, as Excel does, reads numbers,
percentages and TRUE out of text assigned to a cell unless it begins with an
apostrophe): notes come back exactly, a user's own 校验结果 sheet and colour
rules survive, a sheet protected with a password gets a message, and the
校验结果 sheet is set up to print."""

from __future__ import annotations

from macros import validation as mv
from perfkit.validate.marking import NOTE_PREFIX, RESULT_SHEET
from tests.test_validate_macros import (
    FakeCF,
    FakeNote,
    example,
    notes,
    snapshot,
)

TRICKY_TEXTS = ("0012", "50%", "TRUE", "'见附件", "=SUM(A1)", "2021-12-31")


def _marked_cells(name: str) -> list[str]:
    """The cells validate() marks on a fresh copy of an example (from the
    reader's locations, not from a fixed layout)."""
    return sorted({f.cell for f in mv.validate(example(name)) if f.sheet == "自评表"})


def test_clear_restores_notes_excel_would_convert_exactly():
    marked = _marked_cells("longgang2023_shanghui.xlsx")
    assert len(marked) >= 2
    cells = [*marked[:2], "A1", "B2", "C3", "D4"]  # marked cells and cells left alone
    tricky = dict(zip(cells, TRICKY_TEXTS, strict=True))
    book = example("longgang2023_shanghui.xlsx")
    form = book.sheet("自评表")
    for cell, text in tricky.items():
        form.notes_by_cell[cell] = FakeNote(form, cell, text)
    before = notes(book)
    found = mv.validate(book)
    assert {f.cell for f in found} & set(tricky)  # some marked cells had these notes
    assert form.notes_by_cell[marked[0]]._text.startswith(NOTE_PREFIX)
    mv.validate(book)  # twice: the store must still hold the originals
    mv.clear(book)
    assert notes(book) == before


def test_a_users_own_result_sheet_survives_validate_and_clear():
    book = example("longgang2023_shanghui.xlsx")
    own = book.add(RESULT_SHEET)
    own.values[(1, 1)] = "我的校验记录"
    own.values[(2, 1)] = "2024-03-01 已复核"
    before = snapshot(book)
    mv.validate(book)
    assert book.sheet(RESULT_SHEET).values == own.values  # untouched
    ours = [s for s in book._sheets if s._name.startswith(RESULT_SHEET + " (")]
    assert len(ours) == 1 and ours[0].values[(1, 1)] == "严重程度"
    mv.validate(book)  # again: still one sheet of ours, the user's one intact
    assert [s._name for s in book._sheets].count(ours[0]._name) == 1
    assert book.sheet(RESULT_SHEET).values == own.values
    mv.clear(book)
    assert snapshot(book) == before
    assert [s._name for s in book._sheets].count(RESULT_SHEET) == 1


def test_a_users_sheet_with_the_stores_name_is_not_taken_for_it():
    book = example("longgang2023_falv.xlsx")
    own = book.add(mv.MARKS_SHEET)
    own.values[(1, 1)] = "自用"
    mv.validate(book)
    assert book.sheet(mv.MARKS_SHEET).values == {(1, 1): "自用"}
    mv.clear(book)
    assert book.sheet(mv.MARKS_SHEET).values == {(1, 1): "自用"}
    assert not [s for s in book._sheets if s._name.startswith(mv.MARKS_SHEET + " (")]


def test_a_users_rule_mentioning_the_store_survives():
    book = example("longgang2023_shanghui.xlsx")
    form = book.sheet("自评表")
    users = [
        "=COUNTIF('_perfkit_marks'!$A:$A,\"自评表\")>100",
        '=ISNUMBER(SEARCH("_perfkit_marks",$B2))',
    ]
    for formula in users:
        form.rules.append(FakeCF(form, formula, (1, 2, 3)))
    mv.validate(book)
    assert len(form.rules) == len(users) + 2  # warning and info rules of ours
    mv.clear(book)
    assert [r.formula_ for r in form.rules] == users


def test_own_rules_are_recognised_as_excel_hands_them_back():
    formula = mv._rule_formula("自评表", "warning")
    unquoted = formula.replace("'_perfkit_marks'", "_perfkit_marks").lower()
    assert mv._same_formula(unquoted, formula)
    assert not mv._same_formula(formula.replace(">0", ">1"), formula)


def test_a_sheet_protected_with_a_password_gets_a_message():
    book = example("longgang2023_falv.xlsx")
    form = book.sheet("自评表")
    object.__setattr__(form.api, "ProtectContents_", True)
    object.__setattr__(form.api, "password_", "secret")
    before = notes(book)
    found = mv.validate(book)  # no exception
    assert found
    assert notes(book) == before and form.rules == []
    message = book.app.messages[-1]
    assert "自评表" in message and "保护" in message and "撤销工作表保护" in message
    assert book.sheet(RESULT_SHEET).values[(1, 1)] == "严重程度"  # the list is still there
    mv.clear(book)  # nothing of ours on that sheet: clear works and says nothing alarming
    assert RESULT_SHEET not in [s._name for s in book._sheets]


def test_clear_on_a_sheet_locked_after_validation_keeps_the_record():
    cell = _marked_cells("longgang2023_falv.xlsx")[0]
    book = example("longgang2023_falv.xlsx")
    mv.validate(book)
    form = book.sheet("自评表")
    object.__setattr__(form.api, "ProtectContents_", True)
    object.__setattr__(form.api, "password_", "secret")
    mv.clear(book)  # cannot undo the marks there: no exception, a message, the store kept
    assert "保护" in book.app.messages[-1]
    assert mv.MARKS_SHEET in [s._name for s in book._sheets]
    assert form.notes_by_cell[cell]._text.startswith(NOTE_PREFIX)
    object.__setattr__(form.api, "password_", None)  # the user lifts the protection
    mv.clear(book)
    assert not form.notes_by_cell.get(cell) or not form.notes_by_cell[cell]._text.startswith(
        NOTE_PREFIX
    )
    assert mv.MARKS_SHEET not in [s._name for s in book._sheets]


def test_result_sheet_is_set_up_to_print():
    book = example("longgang2023_shanghui.xlsx")
    mv.validate(book)
    sheet = book.sheet(RESULT_SHEET)
    setup = {
        k.split(".", 1)[1]: v for k, v in sheet.api_values.items() if k.startswith("PageSetup")
    }
    assert setup == {
        "Orientation": mv.XL_LANDSCAPE,
        "PaperSize": mv.XL_PAPER_A4,
        "Zoom": False,
        "FitToPagesWide": 1,
        "FitToPagesTall": False,
        "PrintTitleRows": "$1:$1",
        "CenterFooter": mv.FOOTER,
    }
    assert sheet.api_values["range.WrapText"] is True
    assert sheet.api_values["range.VerticalAlignment"] == mv.XL_TOP
