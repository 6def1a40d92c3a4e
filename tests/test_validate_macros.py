"""The Excel macros validate()/clear() on a fake xlwings book that counts
Excel round trips (every property read/write or method call that would cross
to Excel through COM)."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from macros import validation as mv
from perfkit.validate import Finding
from perfkit.validate.marking import NOTE_PREFIX, RESULT_SHEET

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"

# --------------------------------------------------------------------------
# a fake xlwings Book that counts calls
# --------------------------------------------------------------------------


def _col(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def _letters(col: int) -> str:
    out = ""
    while col:
        col, rem = divmod(col - 1, 26)
        out = chr(65 + rem) + out
    return out


def _parse(addr: str) -> tuple[int, int]:
    m = re.fullmatch(r"\$?([A-Z]+)\$?(\d+)", addr)
    return int(m.group(2)), _col(m.group(1))


class Calls(Counter):
    def hit(self, what: str) -> None:
        self[what] += 1

    @property
    def total(self) -> int:
        return sum(self.values())


class FakeNote:
    def __init__(self, sheet, cell, text):
        self.sheet, self.cell, self._text = sheet, cell, text

    @property
    def text(self):
        self.sheet.calls.hit("note.text")
        return self._text

    @text.setter
    def text(self, value):
        self.sheet.calls.hit("note.text=")
        self._text = value

    def delete(self):
        self.sheet.calls.hit("note.delete")
        self.sheet.notes_by_cell.pop(self.cell, None)

    @property
    def location(self):
        self.sheet.calls.hit("note.location")
        return FakeRange(self.sheet, self.cell, self.cell)


class FakeCF:
    def __init__(self, owner, formula, fill_color):
        self.owner, self.formula_, self.fill_color = owner, formula, fill_color

    @property
    def formula(self):
        self.owner.calls.hit("cf.formula")
        return self.formula_

    def delete(self):
        self.owner.calls.hit("cf.delete")
        self.owner.rules.remove(self)


class FakeCFs:
    def __init__(self, sheet):
        self.sheet = sheet

    def __iter__(self):
        self.sheet.calls.hit("cf.iter")
        return iter(list(self.sheet.rules))

    def add_custom(self, formula, fill_color=None, stop_if_true=False):
        self.sheet.calls.hit("cf.add")
        rule = FakeCF(self.sheet, formula, fill_color)
        self.sheet.rules.append(rule)
        return rule


class FakeFont:
    def __init__(self, sheet):
        self.sheet = sheet

    @property
    def bold(self):
        self.sheet.calls.hit("font.bold")
        return False

    @bold.setter
    def bold(self, value):
        self.sheet.calls.hit("font.bold=")


class _Options:
    def __init__(self, rng):
        self.rng = rng

    @property
    def value(self):
        return self.rng._read_values()


class FakeRange:
    def __init__(self, sheet, first, last):
        self.sheet, self.first, self.last = sheet, first, last

    def _bounds(self):
        (r1, c1), (r2, c2) = _parse(self.first), _parse(self.last)
        return r1, c1, r2, c2

    def options(self, ndim=None, **kw):
        return _Options(self)

    def _read_values(self):
        self.sheet.calls.hit("range.value")
        r1, c1, r2, c2 = self._bounds()
        return [
            [self.sheet.values.get((r, c)) for c in range(c1, c2 + 1)] for r in range(r1, r2 + 1)
        ]

    @property
    def value(self):
        vals = self._read_values()
        return vals[0][0] if len(vals) == 1 and len(vals[0]) == 1 else vals

    @value.setter
    def value(self, data):
        self.sheet.calls.hit("range.value=")
        self.sheet.value_writes += 1
        r1, c1, _, _ = self._bounds()
        rows = data if isinstance(data, list) and data and isinstance(data[0], list) else [[data]]
        for i, row in enumerate(rows):
            for j, v in enumerate(row):
                if isinstance(v, str) and v.startswith("="):
                    self.sheet.formulas[(r1 + i, c1 + j)] = v
                self.sheet.values[(r1 + i, c1 + j)] = excel_typed(v)

    @property
    def api(self):
        return FakeApi(self.sheet, "range")

    @property
    def number_format(self):
        self.sheet.calls.hit("range.number_format")
        r1, c1, _, _ = self._bounds()
        return self.sheet.number_formats.get((r1, c1), "General")

    @property
    def formula(self):
        self.sheet.calls.hit("range.formula")
        r1, c1, r2, c2 = self._bounds()
        rows = []
        for r in range(r1, r2 + 1):
            row = []
            for c in range(c1, c2 + 1):
                f = self.sheet.formulas.get((r, c))
                v = self.sheet.values.get((r, c))
                row.append(f if f else ("" if v is None else str(v)))
            rows.append(tuple(row))
        return tuple(rows)

    @property
    def address(self):
        self.sheet.calls.hit("range.address")
        r1, c1, r2, c2 = self._bounds()
        a = f"${_letters(c1)}${r1}"
        return a if (r1, c1) == (r2, c2) else f"{a}:${_letters(c2)}${r2}"

    @property
    def note(self):
        self.sheet.calls.hit("range.note")
        return self.sheet.notes_by_cell.get(self.first)

    def add_note(self, text):
        self.sheet.calls.hit("range.add_note")
        assert self.first not in self.sheet.notes_by_cell, "add_note on a cell that has a note"
        note = FakeNote(self.sheet, self.first, text)
        self.sheet.notes_by_cell[self.first] = note
        return note

    @property
    def conditional_formats(self):
        self.sheet.calls.hit("range.conditional_formats")
        return FakeCFs(self.sheet)

    @property
    def font(self):
        self.sheet.calls.hit("range.font")
        return FakeFont(self.sheet)

    @property
    def column_width(self):
        self.sheet.calls.hit("range.column_width")
        return 8

    @column_width.setter
    def column_width(self, value):
        self.sheet.calls.hit("range.column_width=")


def excel_typed(value):
    """What Excel keeps of a value assigned to a General cell: a leading
    apostrophe makes the rest text as typed; otherwise Excel reads numbers,
    percentages and TRUE/FALSE out of the text, as if typed."""
    if not isinstance(value, str):
        return value
    if value.startswith("'"):
        return value[1:]
    text = value.strip()
    if text.upper() in ("TRUE", "FALSE"):
        return text.upper() == "TRUE"
    if re.fullmatch(r"[-+]?\d+(\.\d+)?%", text):
        return float(text[:-1]) / 100
    if re.fullmatch(r"[-+]?\d+(\.\d+)?", text):
        number = float(text)
        return int(number) if number.is_integer() else number
    return value


class FakeApi:
    """The COM object behind a sheet or range (PageSetup, WrapText ...): records
    what is set, one call each."""

    def __init__(self, sheet, where):
        object.__setattr__(self, "sheet", sheet)
        object.__setattr__(self, "where", where)

    def __getattr__(self, name):
        self.sheet.calls.hit(f"{self.where}.api.{name}")
        child = FakeApi(self.sheet, f"{self.where}.{name}")
        self.sheet.api_children[f"{self.where}.{name}"] = child
        return child

    def __setattr__(self, name, value):
        self.sheet.calls.hit(f"{self.where}.api.{name}=")
        self.sheet.api_values[f"{self.where}.{name}"] = value


class FakeProtection:
    def __init__(self, sheet):
        self.sheet = sheet

    def __getattr__(self, name):
        self.sheet.calls.hit("protection." + name)
        return name == "AllowFormattingColumns"


class FakeSheetApi:
    def __init__(self, sheet):
        object.__setattr__(self, "sheet", sheet)
        object.__setattr__(self, "Visible", -1)
        object.__setattr__(self, "ProtectContents_", False)

    def __setattr__(self, name, value):
        self.sheet.calls.hit("api." + name + "=")
        object.__setattr__(self, name, value)

    @property
    def ProtectContents(self):
        self.sheet.calls.hit("api.ProtectContents")
        return self.ProtectContents_

    @property
    def Protection(self):
        self.sheet.calls.hit("api.Protection")
        return FakeProtection(self.sheet)

    def Unprotect(self):
        self.sheet.calls.hit("api.Unprotect")
        if getattr(self, "password_", None):  # Excel: error 1004 once the prompt is cancelled
            raise RuntimeError("The password you supplied is not correct.")
        object.__setattr__(self, "ProtectContents_", False)

    @property
    def PageSetup(self):
        self.sheet.calls.hit("api.PageSetup")
        return FakeApi(self.sheet, "PageSetup")

    def Protect(self, **kw):
        self.sheet.calls.hit("api.Protect")
        object.__setattr__(self, "ProtectContents_", True)
        object.__setattr__(self, "protect_args", kw)


class FakeSheet:
    def __init__(self, book, name):
        self.book, self._name = book, name
        self.calls = book.calls
        self.values: dict[tuple[int, int], object] = {}
        self.formulas: dict[tuple[int, int], str] = {}
        self.number_formats: dict[tuple[int, int], str] = {}  # blank: General
        self.notes_by_cell: dict[str, FakeNote] = {}
        self.rules: list[FakeCF] = []
        self.value_writes = 0
        self.api_values: dict[str, object] = {}
        self.api_children: dict[str, object] = {}
        self.api = FakeSheetApi(self)
        self.visible = True

    @property
    def name(self):
        self.calls.hit("sheet.name")
        return self._name

    @property
    def used_range(self):
        self.calls.hit("sheet.used_range")
        keys = list(self.values) + list(self.formulas)
        if not keys:
            return FakeRange(self, "A1", "A1")
        r1 = min(r for r, _ in keys)
        c1 = min(c for _, c in keys)
        r2 = max(r for r, _ in keys)
        c2 = max(c for _, c in keys)
        return FakeRange(self, f"{_letters(c1)}{r1}", f"{_letters(c2)}{r2}")

    @property
    def cells(self):
        self.calls.hit("sheet.cells")
        return FakeRange(self, "A1", "XFD1048576")

    def range(self, addr):
        self.calls.hit("sheet.range")
        addr = addr.replace("$", "")
        if ":" in addr:
            a, b = addr.split(":")
            if a.isalpha():  # whole column "A:A"
                return FakeRange(self, f"{a}1", f"{b}1048576")
            return FakeRange(self, a, b)
        return FakeRange(self, addr, addr)

    @property
    def notes(self):
        self.calls.hit("sheet.notes")
        return list(self.notes_by_cell.values())

    def clear(self):
        self.calls.hit("sheet.clear")
        self.values.clear()
        self.formulas.clear()

    def delete(self):
        self.calls.hit("sheet.delete")
        self.book._sheets.remove(self)


class FakeSheets:
    def __init__(self, book):
        self.book = book

    def __iter__(self):
        self.book.calls.hit("book.sheets")
        return iter(list(self.book._sheets))

    def __len__(self):
        return len(self.book._sheets)

    def __getitem__(self, name):
        self.book.calls.hit("book.sheets[]")
        for s in self.book._sheets:
            if s._name == name:
                return s
        raise KeyError(name)

    def add(self, name, after=None):
        self.book.calls.hit("book.sheets.add")
        sheet = FakeSheet(self.book, name)
        self.book._sheets.append(sheet)
        return sheet


class FakeApp:
    def __init__(self, book):
        self.book = book
        self.messages: list[str] = []

    @property
    def status_bar(self):
        return ""

    @status_bar.setter
    def status_bar(self, value):
        self.book.calls.hit("app.status_bar=")
        self.messages.append(value)

    def alert(self, prompt, title=None, **kw):
        self.book.calls.hit("app.alert")
        self.messages.append(prompt)


class FakeBook:
    def __init__(self, name="form.xlsx"):
        self.calls = Calls()
        self._name = name
        self._sheets: list[FakeSheet] = []
        self.sheets = FakeSheets(self)
        self.app = FakeApp(self)

    @property
    def name(self):
        self.calls.hit("book.name")
        return self._name

    def sheet(self, name) -> FakeSheet:
        return next(s for s in self._sheets if s._name == name)

    def add(self, name) -> FakeSheet:
        sheet = FakeSheet(self, name)
        self._sheets.append(sheet)
        return sheet


def fake_from_xlsx(path: Path, extra_rows: int = 0) -> FakeBook:
    """A fake book holding what Excel would show for *path*; *extra_rows*
    adds filled rows below the form (a long sheet for the round-trip test)."""
    import openpyxl

    wb = openpyxl.load_workbook(path)
    shown = openpyxl.load_workbook(path, data_only=True)  # Excel shows a formula's result
    book = FakeBook(path.name)
    for ws in wb.worksheets:
        sheet = book.add(ws.title)
        results = shown[ws.title]
        for row in ws.iter_rows():
            for c in row:
                v = c.value
                if v is None:
                    continue
                if isinstance(v, str) and v.startswith("="):
                    sheet.formulas[(c.row, c.column)] = v
                    result = results.cell(row=c.row, column=c.column).value
                    if result is not None:
                        sheet.values[(c.row, c.column)] = result
                else:
                    sheet.values[(c.row, c.column)] = v
                if c.number_format != "General":
                    sheet.number_formats[(c.row, c.column)] = c.number_format
        for addr, note in [
            (c.coordinate, c.comment) for row in ws.iter_rows() for c in row if c.comment
        ]:
            sheet.notes_by_cell[addr] = FakeNote(sheet, addr, note.text)
    if extra_rows:
        form = (
            book.sheet("自评表")
            if any(s._name == "自评表" for s in book._sheets)
            else book._sheets[0]
        )
        start = max(r for r, _ in form.values) + 2
        for i in range(extra_rows):
            form.values[(start + i, 1)] = f"附注 {i + 1}"
            form.values[(start + i, 9)] = i
    return book


def example(name: str, **kw) -> FakeBook:
    path = EXAMPLES / name
    assert path.exists(), f"example {name} is missing: run python examples/build_examples.py"
    return fake_from_xlsx(path, **kw)


def snapshot(book: FakeBook) -> dict:
    return {
        s._name: (dict(s.values), dict(s.formulas))
        for s in book._sheets
        if s._name not in (RESULT_SHEET, mv.MARKS_SHEET)
    }


def notes(book: FakeBook) -> dict:
    return {(s._name, c): n._text for s in book._sheets for c, n in s.notes_by_cell.items()}


def cell_of(name: str, level2: str, field: str) -> str:
    """The cell of *field* on the first row of 二级指标 *level2* of an example."""
    from perfkit.readers import read_form

    form = read_form(EXAMPLES / name)
    return next(i.locs[field].cell for i in form.indicators if i.level2 == level2)


def run_validate(book: FakeBook) -> list[Finding]:
    book.calls.clear()
    return mv.validate(book)


# --------------------------------------------------------------------------
# tests
# --------------------------------------------------------------------------


def test_validate_marks_cells_and_writes_results():
    book = example("longgang2023_shanghui.xlsx")
    before_values = snapshot(book)
    before_notes = notes(book)
    findings = run_validate(book)
    assert {(f.code, f.cell) for f in findings} == {
        ("TARGET_IN_LEVEL3", "D14"),
        (
            "SATISFACTION_NO_PERCENT",
            cell_of("longgang2023_shanghui.xlsx", "服务对象满意度指标", "actual"),
        ),
    }
    assert snapshot(book) == before_values  # values are never changed
    form = book.sheet("自评表")
    assert form.value_writes == 0
    for f in findings:
        assert form.notes_by_cell[f.cell]._text.startswith(NOTE_PREFIX)
        assert f.code in form.notes_by_cell[f.cell]._text
    # one colour rule per severity present, looking cells up in the marks store
    assert sorted(r.fill_color for r in form.rules) == sorted(
        [mv.SEVERITY_COLORS["warning"], mv.SEVERITY_COLORS["info"]]
    )
    assert all(mv.MARKS_SHEET in r.formula_ for r in form.rules)
    store = book.sheet(mv.MARKS_SHEET)
    assert store.api.Visible == mv.XL_SHEET_VERY_HIDDEN
    results = book.sheet(RESULT_SHEET)
    assert results.values[(1, 1)] == "严重程度"
    assert results.formulas[(2, 3)].startswith('=HYPERLINK("#')
    assert {results.values[(r, 2)] for r in (2, 3)} == {
        "TARGET_IN_LEVEL3",
        "SATISFACTION_NO_PERCENT",
    }
    assert any("警告 1" in m for m in book.app.messages)
    # clear removes exactly its own marks
    mv.clear(book)
    assert notes(book) == before_notes
    assert form.rules == []
    assert {s._name for s in book._sheets} == set(before_values)
    assert snapshot(book) == before_values


def test_existing_notes_survive_validating_twice():
    book = example("longgang2023_shanghui.xlsx")
    form = book.sheet("自评表")
    cell = cell_of("longgang2023_shanghui.xlsx", "服务对象满意度指标", "actual")
    form.notes_by_cell[cell] = FakeNote(form, cell, "原有说明：满意度调查见附件")
    form.rules.append(FakeCF(form, f"=${cell[0]}${cell[1:]}>0", (1, 2, 3)))  # a user's own rule
    before = notes(book)
    mv.validate(book)
    assert form.notes_by_cell[cell]._text.startswith(NOTE_PREFIX)
    assert form.notes_by_cell[cell]._text.endswith("原有说明：满意度调查见附件")
    mv.validate(book)  # again: the store must keep the true original
    mv.clear(book)
    assert notes(book) == before
    assert [r.formula_ for r in form.rules] == [f"=${cell[0]}${cell[1:]}>0"]


def test_user_edited_note_is_left_alone():
    book = example("longgang2023_falv.xlsx")
    mv.validate(book)
    form = book.sheet("自评表")
    cell = cell_of("longgang2023_falv.xlsx", "成本指标", "actual")
    form.notes_by_cell[cell]._text = "我已核对"  # the user overwrote perfkit's note
    mv.clear(book)
    assert form.notes_by_cell[cell]._text == "我已核对"


def test_protected_sheet_is_unprotected_and_protected_again():
    book = example("longgang2023_falv.xlsx")
    form = book.sheet("自评表")
    object.__setattr__(form.api, "ProtectContents_", True)
    mv.validate(book)
    assert form.api.ProtectContents_ is True
    assert form.api.protect_args["AllowFormattingColumns"] is True
    assert book.calls["api.Unprotect"] == 1
    assert cell_of("longgang2023_falv.xlsx", "成本指标", "actual") in form.notes_by_cell


def test_not_a_form_reports_and_marks_nothing():
    book = FakeBook("other.xlsx")
    book.add("Sheet1").values[(1, 1)] = "hello"
    assert mv.validate(book) == []
    assert [s._name for s in book._sheets] == ["Sheet1"]
    assert any("没有找到项目支出绩效自评表" in m for m in book.app.messages)


def test_round_trips_do_not_grow_with_rows():
    small = example("longgang2023_shanghui.xlsx", extra_rows=10)
    large = example("longgang2023_shanghui.xlsx", extra_rows=1000)
    f_small = run_validate(small)
    f_large = run_validate(large)
    assert {(f.code, f.cell) for f in f_small} == {(f.code, f.cell) for f in f_large}
    assert small.calls == large.calls
    assert small.calls["range.value"] <= 4  # settings and form sheet, plus a form-id cell


def _synthetic(n: int) -> list[Finding]:
    return [
        Finding("SCORE_MISMATCH", "error", "自评表", f"J{100 + i}", f"测试 {i}") for i in range(n)
    ]


def marking_calls(n: int, monkeypatch) -> Calls:
    book = example("longgang2023_falv.xlsx")
    monkeypatch.setattr(mv, "validate_form", lambda form: _synthetic(n))
    run_validate(book)
    return book.calls


def test_only_notes_grow_with_findings(monkeypatch):
    few, many = marking_calls(10, monkeypatch), marking_calls(1000, monkeypatch)
    grown = {k: many[k] - few[k] for k in set(many) | set(few) if many[k] != few[k]}
    # per marked cell: sheet.range + add_note; nothing else depends on the count
    assert grown == {"sheet.range": 990, "range.add_note": 990}
    assert few["range.value="] == many["range.value="] == 2  # marks store + 校验结果, one call each
    assert few["cf.add"] == many["cf.add"]


def test_error_values_read_from_excel_are_findings():
    book = example("longgang2023_falv.xlsx")
    form = book.sheet("自评表")
    form.values[(6, 7)] = "#DIV/0!"  # what options(err_to_str=True) gives for G6
    found = mv.validate(book)
    assert ("FORMULA_ERROR", "G6") in {(f.code, f.cell) for f in found}
    assert form.values[(6, 7)] == "#DIV/0!"


def test_percentages_shown_by_their_format_in_a_live_book(tmp_path):
    """A foreign form open in Excel: 实际完成值 typed "8%" against ≤5 % is kept as
    0.08 with a 0% format; the 校验 button reads it as shown, as the file readers
    do (18.75 of 30, not full marks), asking only the number cells for their format."""
    from perfkit.readers import read_forms
    from perfkit.validate import validate_form
    from tests.test_unseen_layouts import ceiling_typed_as_percent

    path = tmp_path / "form.xlsx"
    r = ceiling_typed_as_percent(path)
    book = fake_from_xlsx(path)
    found = run_validate(book)
    from_file = [f for form in read_forms(path) for f in validate_form(form)]
    assert {(f.code, f.cell, f.message) for f in found} == {
        (f.code, f.cell, f.message) for f in from_file
    }
    assert ("SCORE_MISMATCH", f"F{r}") in {(f.code, f.cell) for f in found}
    assert book.calls["range.number_format"] == 1  # the one number cell


def test_the_layout_family_in_a_live_book(tmp_path):
    """The 校验 button on 40 layouts of tests/test_layout_family.py as Excel
    holds them (values, formulas, number formats; no merged ranges): the same
    findings, at the same cells, as the file — none, then one wrong score."""
    import random

    import openpyxl

    from perfkit.readers import read_forms
    from perfkit.validate import validate_form
    from tests.test_layout_family import build

    for seed in range(40):
        path = tmp_path / f"{seed}.xlsx"
        where = build(random.Random(seed), str(path))
        wb = openpyxl.load_workbook(path)
        wb.active[where["scores"][1]] = 12
        wb.save(path)
        from_file = {(f.code, f.cell) for form in read_forms(path) for f in validate_form(form)}
        assert ("SCORE_MISMATCH", where["scores"][1]) in from_file, seed
        live = {(f.code, f.cell) for f in run_validate(fake_from_xlsx(path))}
        assert live == from_file, (seed, live ^ from_file)


def test_a_form_on_a_hidden_sheet_in_a_live_book():
    """SHEET_HIDDEN, as the file readers say it (one Visible call per sheet)."""
    book = example("longgang2023_falv.xlsx")
    assert "SHEET_HIDDEN" not in {f.code for f in run_validate(book)}
    for state in (mv.XL_SHEET_HIDDEN, mv.XL_SHEET_VERY_HIDDEN):
        mv.clear(book, quiet=True)
        object.__setattr__(book.sheet("自评表").api, "Visible", state)
        found = [f for f in run_validate(book) if f.code == "SHEET_HIDDEN"]
        assert [(f.sheet, f.cell) for f in found] == [("自评表", "A1")], state


def test_a_corrected_copy_on_another_sheet_in_a_live_book(tmp_path):
    """PROJECT_REPEATED between the forms of the active workbook, as
    ``perfkit validate`` says it of the saved file; clearing restores all."""
    import openpyxl

    from perfkit.readers import read_forms
    from perfkit.validate.between import of_forms

    path = tmp_path / "两份.xlsx"
    wb = openpyxl.load_workbook(EXAMPLES / "longgang2023_falv.xlsx")
    wb.copy_worksheet(wb["自评表"]).title = "自评表（修改）"
    wb.save(path)
    book = fake_from_xlsx(path)
    before, before_notes = snapshot(book), notes(book)
    found = [f for f in run_validate(book) if f.code == "PROJECT_REPEATED"]
    assert [(f.sheet, f.cell) for f in found] == [("自评表", "B2"), ("自评表（修改）", "B2")]
    assert {(f.sheet, f.cell) for f in of_forms(read_forms(path), path.name)} == {
        (f.sheet, f.cell) for f in found
    }
    for f in found:
        assert "PROJECT_REPEATED" in book.sheet(f.sheet).notes_by_cell[f.cell]._text
    mv.clear(book)
    assert snapshot(book) == before and notes(book) == before_notes


def test_a_declaration_beside_its_form_in_a_live_book(tmp_path):
    """A workbook holding the 自评表 and the 绩效目标申报表 of its project: the
    button checks the 年度指标值 against the declared ones, as
    ``perfkit validate`` does; a workbook of only a 申报表 is told what it is."""
    import openpyxl

    from tests.test_between import CHANGED, declaration
    from tests.test_unseen_layouts import hebei_style

    form, declared = tmp_path / "自评表.xlsx", tmp_path / "申报表.xlsx"
    hebei_style(form, wan=False, colon=False)
    declaration(declared, CHANGED)
    both = tmp_path / "两表.xlsx"
    wb = openpyxl.load_workbook(form)
    source = openpyxl.load_workbook(declared)["申报表"]
    sheet = wb.create_sheet("申报表")
    for row in source.iter_rows():
        for c in row:
            sheet[c.coordinate] = c.value
    for rng in source.merged_cells.ranges:
        sheet.merge_cells(str(rng))
    wb.save(both)
    found = {
        (f.code, f.sheet, f.cell)
        for f in run_validate(fake_from_xlsx(both))
        if f.code in ("TARGET_CHANGED", "INDICATOR_DROPPED")
    }
    assert found == {("INDICATOR_DROPPED", "Sheet1", "B12"), ("TARGET_CHANGED", "Sheet1", "E13")}
    alone = fake_from_xlsx(declared)
    assert run_validate(alone) == []
    assert any("是项目支出绩效目标申报表" in m for m in alone.app.messages)
