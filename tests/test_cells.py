"""The cell reader (perfkit.readers.cells): formula text, shared formulas,
cached results and error values, cells without addresses, no trust in
declared dimensions, far cells, lying zip entries."""

import zipfile

import openpyxl
import pytest

from perfkit.errors import InputError
from perfkit.readers.cells import (
    _formulas,
    _merges_first,
    _workbook_fast,
    _workbook_parsed,
    cell_index,
    open_book,
)


def grid_get(sheet, cell: str):
    """What a sheet's cell holds: its value (a formula cell: its cached result)."""
    r, c = cell_index(cell)
    return sheet.value(r, c)


def formula_of(sheet, cell: str):
    return sheet.formulas.get(cell_index(cell))


NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def workbook_with_sheet_xml(tmp_path, rows_xml: str, dimension: str = "A1:C3"):
    """A valid workbook whose first sheet XML is replaced by *rows_xml*."""
    src = tmp_path / "base.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "表"
    wb.save(src)
    out = tmp_path / "book.xlsx"
    sheet = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet {NS}>'
        f'<dimension ref="{dimension}"/><sheetData>{rows_xml}</sheetData></worksheet>'
    )
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = sheet.encode("utf-8")
            zout.writestr(info, data)
    return out


def test_styled_blank_cell_does_not_take_the_next_formula(tmp_path):
    path = workbook_with_sheet_xml(
        tmp_path,
        '<row r="7"><c r="G7" s="5"/><c r="H7" s="6"><f>PERF_SCORE(E7,F7,G7)</f><v>10</v></c></row>',
    )
    with open_book(path) as book:
        sheet = book.sheet("表")
    assert formula_of(sheet, "G7") is None
    assert formula_of(sheet, "H7") == "=PERF_SCORE(E7,F7,G7)"
    assert grid_get(sheet, "H7") == 10


def test_shared_formulas_are_translated_to_their_cell(tmp_path):
    path = workbook_with_sheet_xml(
        tmp_path,
        '<row r="14"><c r="H14"><f t="shared" ref="H14:H16" si="0">PERF_SCORE(E14,F14,G14)</f></c></row>'
        '<row r="15"><c r="H15"><f t="shared" si="0"/></c></row>'
        '<row r="16"><c r="H16"><f t="shared" si="0"/><v>4</v></c></row>',
    )
    with open_book(path) as book:
        sheet = book.sheet("表")
    assert formula_of(sheet, "H15") == "=PERF_SCORE(E15,F15,G15)"
    assert formula_of(sheet, "H16") == "=PERF_SCORE(E16,F16,G16)"
    assert grid_get(sheet, "H16") == 4


def test_cached_errors_strings_and_booleans(tmp_path):
    path = workbook_with_sheet_xml(
        tmp_path,
        '<row r="6"><c r="G6" t="e"><f>EXEC_RATE(E6,D6)</f><v>#DIV/0!</v></c>'
        '<c r="H6" t="str"><f>PERF_GRADE(H44)</f><v>优</v></c>'
        '<c r="I6" t="b"><f>TRUE()</f><v>1</v></c></row>',
    )
    with open_book(path) as book:
        sheet = book.sheet("表")
    assert grid_get(sheet, "G6") == "#DIV/0!"
    assert grid_get(sheet, "H6") == "优"
    assert grid_get(sheet, "I6") is True


def test_error_values_typed_as_constants_are_read(tmp_path):
    """calamine shows a constant #REF! (t="e", no formula) as blank: read it from the XML."""
    path = workbook_with_sheet_xml(
        tmp_path, '<row r="6"><c r="E6" t="e"><v>#REF!</v></c><c r="F6"><v>3</v></c></row>'
    )
    with open_book(path) as book:
        sheet = book.sheet("表")
    assert grid_get(sheet, "E6") == "#REF!" and grid_get(sheet, "F6") == 3
    assert formula_of(sheet, "E6") is None


def test_cells_and_rows_without_addresses(tmp_path):
    path = workbook_with_sheet_xml(
        tmp_path,
        "<row><c><v>1</v></c><c><f>A1*2</f><v>2</v></c></row><row><c/><c><f>B1+1</f></c></row>",
    )
    with open_book(path) as book:
        sheet = book.sheet("表")
    assert formula_of(sheet, "B1") == "=A1*2"
    assert formula_of(sheet, "B2") == "=B1+1"


def test_declared_dimension_is_not_trusted(tmp_path):
    rows = "".join(
        f'<row r="{r}"><c r="A{r}"><f>ROW()</f><v>{r}</v></c></row>' for r in range(1, 400)
    )
    path = workbook_with_sheet_xml(tmp_path, rows, dimension="A1:XFD1048576")
    with open_book(path) as book:
        sheet = book.sheet("表")
    assert sheet.nrows == 399 and max(len(r) for r in sheet.values) == 1
    assert grid_get(sheet, "A5") == 5 and grid_get(sheet, "A400") is None


def test_far_cells_are_cut_before_calamine_sees_them(tmp_path):
    rows = '<row r="1"><c r="A1"><v>1</v></c></row><row r="1048576"><c r="XFD1048576"><v>2</v></c></row>'
    path = workbook_with_sheet_xml(tmp_path, rows, dimension="A1:XFD1048576")
    with open_book(path) as book:
        sheet = book.sheet("表")
    assert grid_get(sheet, "A1") == 1 and sheet.nrows == 1 and sheet.cut == "XFD1048576"


def test_a_part_that_lies_about_its_size_is_refused(tmp_path):
    """A sheet declaring 25 KB that inflates to 50 MB: refused as soon as it
    passes the declared size, before it fills memory."""
    path = workbook_with_sheet_xml(tmp_path, '<row r="1"><c r="A1"><v>1</v></c></row>')
    big = b"<!-- " + b"x" * (50 * 1024 * 1024) + b" -->"
    lying = tmp_path / "lying.xlsx"
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(lying, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"<sheetData>", b"<sheetData>" + big, 1)
            zout.writestr(info, data)
    raw = bytearray(lying.read_bytes())
    _declare_size(raw, "xl/worksheets/sheet1.xml", 25 * 1024)
    lying.write_bytes(bytes(raw))
    with pytest.raises(InputError, match=r"声明|炸弹|损坏"):
        with open_book(lying) as book:
            book.sheet("表")


def _declare_size(raw: bytearray, name: str, size: int) -> None:
    """Overwrite the uncompressed size of entry *name* in the central directory and local header."""
    import struct

    encoded = name.encode()
    pos = raw.find(b"PK\x01\x02")
    while pos != -1:
        name_len = struct.unpack_from("<H", raw, pos + 28)[0]
        if raw[pos + 46 : pos + 46 + name_len] == encoded:
            struct.pack_into("<I", raw, pos + 24, size)
            local = struct.unpack_from("<I", raw, pos + 42)[0]
            struct.pack_into("<I", raw, local + 22, size)
            return
        pos = raw.find(b"PK\x01\x02", pos + 4)
    raise LookupError(name)


def test_broken_sheet_xml_is_an_input_error(tmp_path):
    path = workbook_with_sheet_xml(tmp_path, '<row r="1"><c r="A1"><f>1+1</c></row>')
    with open_book(path) as book, pytest.raises(InputError, match="工作表「表」"):
        book.sheet("表")


def test_cell_index():
    assert cell_index("A1") == (0, 0)
    assert cell_index("H14") == (13, 7)
    assert cell_index("AA3") == (2, 26)


def _with_part(tmp_path, part: str, text: str):
    src = tmp_path / "base.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "表"
    wb.save(src)
    out = tmp_path / f"bomb_{part.replace('/', '_')}.xlsx"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(out, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == part:
                data = text.encode("utf-8")
            zout.writestr(info, data)
    return out


BOMB = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
)


def test_entity_declarations_are_refused_where_they_would_be_parsed(tmp_path):
    from perfkit.safety import check_workbook_file

    sheet = _with_part(
        tmp_path, "xl/worksheets/sheet1.xml", BOMB + f"<worksheet {NS}><sheetData/></worksheet>"
    )
    with open_book(sheet) as book:  # a sheet is checked when it is first read ...
        with pytest.raises(InputError, match="DOCTYPE"):
            book.sheet("表")
        assert book._calamine is None  # ... before calamine ever parses it
    workbook_part = _with_part(
        tmp_path, "xl/workbook.xml", BOMB + f"<workbook {NS}><sheets/></workbook>"
    )
    with pytest.raises(InputError, match="DOCTYPE"):
        open_book(workbook_part)
    styles = _with_part(tmp_path, "xl/styles.xml", BOMB + f"<styleSheet {NS}/>")
    with open_book(styles) as book, pytest.raises(InputError, match="DOCTYPE"):
        book.sheet("表")  # parsed by calamine only: checked before calamine gets it
    props = _with_part(tmp_path, "docProps/core.xml", BOMB + "<cp:coreProperties/>")
    with open_book(props) as book:  # never parsed when reading values
        assert book.sheet_names == ["表"] and book.sheet("表").nrows == 0
    with pytest.raises(InputError, match="DOCTYPE"):  # refused before any openpyxl load
        check_workbook_file(props)


# -- the fast formula scan gives what the full parse gives ---------------------------

TRICKY_SHEETS = {
    "pretty-printed": '<row r="1">\n  <c r="A1" s="1">\n    <f>SUM(B1:C1)</f>\n    <v>3</v>\n  </c>\n</row>',
    "escaped text": '<row r="2"><c r="A2" t="str"><f>"a&amp;b"&amp;IF(B2&lt;1,"&quot;x&quot;","y")</f>'
    "<v>a&amp;by</v></c></row>",
    "array formula": '<row r="3"><c r="A3"><f t="array" ref="A3:A4">B3:B4*2</f><v>2</v></c></row>',
    "inline string result": '<row r="4"><c r="A4" t="inlineStr"><f>B4</f><is><t>文字</t></is></c></row>',
    "empty cached value": '<row r="5"><c r="A5"><f>PERF_TOTAL(H14:H43)</f><v></v></c>'
    '<c r="B5"><f>1</f><v/></c></row>',
    "empty text result": '<row r="9"><c r="A9" t="str"><f>IF(B9="","",B9)</f><v></v></c>'
    '<c r="B9" t="str"><f>C9</f><v/></c><c r="C9" t="str"><f>D9</f></c></row>',
    "cell without address": "<row><c><f>A1*2</f><v>2</v></c></row>",
    "attribute order": '<row r="6"><c s="3" t="e" r="A6"><f>1/0</f><v>#DIV/0!</v></c></row>',
    "outside the block": '<row r="90"><c r="Z90"><f>1</f><v>1</v></c></row>',
    "shared group": '<row r="7"><c r="A7"><f t="shared" ref="A7:A8" si="3">B7+1</f><v>1</v></c></row>'
    '<row r="8"><c r="A8"><f t="shared" si="3"/><v>2</v></c></row>',
}


def _assert_fast_equals_full(path) -> int:
    with open_book(path) as book:
        wb = book.part(book._book_part)
        rels = book.part(book._rels_part)
        fast_book = _workbook_fast(wb, rels, "xl")
        assert fast_book is None or fast_book == _workbook_parsed(wb, rels, "xl")
        for name, part in book._sheet_parts.items():
            data = book.part(part)
            fast = _formulas(data, plain=True, where=name, path=str(path))
            full = _formulas(data, plain=True, where=name, path=str(path), exact=True)
            assert fast == full, f"{path} {name}"
        return len(book.sheet_names)


@pytest.mark.parametrize("name", TRICKY_SHEETS)
def test_fast_scan_equals_full_parse_on_tricky_xml(tmp_path, name):
    path = workbook_with_sheet_xml(tmp_path, TRICKY_SHEETS[name])
    assert _assert_fast_equals_full(path) == 1


def test_fast_scan_equals_full_parse_on_examples_and_templates():
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    files = sorted((root / "examples").glob("*.xlsx")) + sorted(
        (root / "xlsx_templates").glob("*.xlsx")
    )
    assert len(files) >= 7
    for path in files:
        _assert_fast_equals_full(path)


@pytest.mark.libreoffice
def test_fast_scan_equals_full_parse_on_files_saved_by_libreoffice(tmp_path):
    """Calc recalculates and writes cached results, error values (#NAME? for
    the UDFs) and its own XML style: what forms saved by a spreadsheet
    program look like."""
    from pathlib import Path

    from perfkit.render import convert

    root = Path(__file__).resolve().parent.parent
    sources = [root / "examples" / "longgang2023_dangjian.xlsx"]
    sources.append(root / "examples" / "futian2021_evaltable.xlsx")
    saved = convert(sources, tmp_path / "lo", "xlsx:Calc MS Excel 2007 XML")
    cached = 0
    for path in saved:
        _assert_fast_equals_full(path)
        with open_book(path) as book:
            sheet = book.sheet(book.sheet_names[0])
            cached += sum(1 for key in sheet.formulas if sheet.value(*key) is not None)
    assert cached > 20  # cached results were there to compare


@pytest.mark.parametrize(
    ("xml", "refused"),
    [
        (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet/>', None),
        (b'\xef\xbb\xbf<?xml version="1.0"?><workbook/>', None),
        (b"<worksheet/>", None),
        (b"<!-- <!DOCTYPE x> only a comment --><worksheet/>", None),
        (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><worksheet/>', "DOCTYPE"),
        (b'<?xml version="1.0"?><!-- note --><!DOCTYPE x><worksheet/>', "DOCTYPE"),
        (b'<?xml version="1.0"?><?pi data?><!ENTITY a "b"><worksheet/>', "DOCTYPE"),
        (b'<?xml version="1.0"?>' + b" " * (1100 * 1024) + b"<worksheet/>", "冗长"),
    ],
    ids=[
        "office",
        "bom",
        "no-declaration",
        "comment",
        "doctype",
        "after-comment",
        "after-pi",
        "long",
    ],
)
def test_check_part_prolog(xml, refused):
    from perfkit.safety import check_part

    if refused is None:
        assert check_part(xml, "xl/part.xml", "book.xlsx") is xml
    else:
        with pytest.raises(InputError, match=refused):
            check_part(xml, "xl/part.xml", "book.xlsx")


# -- the sheet list: fast read equals the full parse, or falls back to it ------------

REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
RELS = (
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rId7" Type="{REL_NS}/worksheet" Target="worksheets/sheet3.xml"/>'
    f'<Relationship Target="/xl/worksheets/sheet1.xml" Id="rId2" Type="{REL_NS}/worksheet"/>'
    "</Relationships>"
)
WORKBOOKS = {
    "excel": f'<?xml version="1.0"?>\n<workbook {NS} xmlns:r="{REL_NS}"><sheets>'
    '<sheet name="自评表" sheetId="1" r:id="rId7"/><sheet name="A&amp;B" sheetId="2" r:id="rId2"/>'
    "</sheets></workbook>",
    "prefix per sheet": f"<workbook {NS}><sheets>"
    f'<sheet xmlns:rel="{REL_NS}" name="设置" rel:id="rId2" sheetId="9"/></sheets></workbook>',
    "prefixed root": '<x:workbook xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    f' xmlns:r="{REL_NS}"><x:sheets><x:sheet name="表" sheetId="1" r:id="rId2"/></x:sheets></x:workbook>',
    "other namespace": f'<workbook {NS} xmlns:r="urn:other"><sheets>'
    '<sheet name="表" sheetId="1" r:id="rId2"/></sheets></workbook>',
    "comment": f'<workbook {NS} xmlns:r="{REL_NS}"><sheets><!-- x -->'
    '<sheet name="表" sheetId="1" r:id="rId2"/></sheets></workbook>',
    "sheet with children": f'<workbook {NS} xmlns:r="{REL_NS}"><sheets>'
    '<sheet name="表" sheetId="1" r:id="rId2"></sheet></sheets></workbook>',
    "single quotes": f"<workbook {NS} xmlns:r='{REL_NS}'><sheets>"
    "<sheet name='表' sheetId='1' r:id='rId2'/></sheets></workbook>",
}


@pytest.mark.parametrize("name", WORKBOOKS)
def test_sheet_list_fast_read_equals_full_parse(name):
    book = WORKBOOKS[name].encode("utf-8")
    fast = _workbook_fast(book, RELS.encode("utf-8"), "xl")
    full = _workbook_parsed(book, RELS.encode("utf-8"), "xl")
    assert fast is None or fast == full
    if name == "excel":
        assert fast.sheets == {
            "自评表": "xl/worksheets/sheet3.xml",
            "A&B": "xl/worksheets/sheet1.xml",
        }
    if name == "prefix per sheet":
        assert fast.sheets == {"设置": "xl/worksheets/sheet1.xml"}
    if name in ("prefixed root", "other namespace", "comment", "sheet with children"):
        assert fast is None  # sent to the full parse


def test_calamine_does_not_parse_the_content_types_part(tmp_path):
    """Why the read path does not prolog-check [Content_Types].xml: calamine
    never parses it (garbage there changes nothing)."""
    from python_calamine import CalamineWorkbook

    path = _with_part(tmp_path, "[Content_Types].xml", BOMB + "<Types><<garbage &lol2;")
    book = CalamineWorkbook.from_path(str(path))
    assert book.get_sheet_by_name("表").to_python() is not None
    with open_book(path) as reader:
        assert reader.sheet("表").values is not None


# -- the copy calamine reads gives what calamine reads from the file itself ----------


def _calamine_equals_file(path) -> int:
    """Values and merged ranges of every sheet, as calamine reads them from
    perfkit's in-memory copy (merged-cell lists moved first) and from the file."""
    from python_calamine import CalamineWorkbook

    direct = CalamineWorkbook.from_path(str(path))
    moved = 0
    with open_book(path) as book:
        copy = book._calamine_book()
        for name in book.sheet_names:
            ours, theirs = copy.get_sheet_by_name(name), direct.get_sheet_by_name(name)
            assert ours.to_python(skip_empty_area=False) == theirs.to_python(skip_empty_area=False)
            assert ours.merged_cell_ranges == theirs.merged_cell_ranges, f"{path} {name}"
            data = book.part(book._sheet_parts[name])
            moved += _merges_first(data) is not data
    return moved


def test_calamine_reads_the_copy_as_the_file_on_examples_and_templates():
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    files = sorted((root / "examples").glob("*.xlsx")) + sorted(
        (root / "xlsx_templates").glob("*.xlsx")
    )
    assert sum(_calamine_equals_file(path) for path in files) >= 7  # the lists were moved


@pytest.mark.libreoffice
def test_calamine_reads_the_copy_as_the_file_on_files_saved_by_libreoffice(tmp_path):
    from pathlib import Path

    from perfkit.render import convert

    root = Path(__file__).resolve().parent.parent
    sources = [root / "examples" / "longgang2023_dangjian.xlsx"]
    sources.append(root / "examples" / "futian2021_evaltable.xlsx")
    saved = convert(sources, tmp_path / "lo", "xlsx:Calc MS Excel 2007 XML")
    assert sum(_calamine_equals_file(path) for path in saved) >= 2


MERGES = '<mergeCells count="2"><mergeCell ref="A1:C1"/><mergeCell ref="B2:B3"/></mergeCells>'
MERGE_ROWS = '<row r="1"><c r="A1" t="inlineStr"><is><t>标题</t></is></c></row>'
MERGE_ROWS += '<row r="2"><c r="B2"><v>5</v></c></row>'


@pytest.mark.parametrize(
    ("tail", "moved"),
    [
        (MERGES, True),
        ("", True),  # none: an empty list stands first
        (MERGES + MERGES, False),  # two lists: calamine reads the first, left as it is
        ("<mergeCells/>", False),
        ('<mergeCells count="1"><mergeCell ref="A1:C1"/><x/></mergeCells>', False),
    ],
    ids=["one list", "none", "two lists", "empty element", "other child"],
)
def test_merged_lists_moved_before_the_cells_only_when_plain(tmp_path, tail, moved):
    from python_calamine import CalamineWorkbook

    path = workbook_with_sheet_xml(tmp_path, MERGE_ROWS)
    with zipfile.ZipFile(path) as zin:
        sheet = zin.read("xl/worksheets/sheet1.xml").replace(
            b"</sheetData>", b"</sheetData>" + tail.encode()
        )
        out = tmp_path / "merged.xlsx"
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
            for info in zin.infolist():
                data = zin.read(info)
                zout.writestr(info, sheet if info.filename == "xl/worksheets/sheet1.xml" else data)
    assert (_merges_first(sheet) is not sheet) is moved
    _calamine_equals_file(out)
    with open_book(out) as book:
        got = book.sheet("表")
    expected = CalamineWorkbook.from_path(str(out)).get_sheet_by_name("表").merged_cell_ranges
    assert got.merged == tuple((r1, c1, r2, c2) for (r1, c1), (r2, c2) in expected)
    if tail.startswith(MERGES):
        assert got.merged == ((0, 0, 0, 2), (1, 1, 2, 1))


# -- far cells are cut however the sheet writes them ----------------------------------

X_NS = 'xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
FAR_SHEETS = {
    "newline after the tag name": '<row r="1"><c r="A1"><v>1</v></c></row>'
    '<row r="20000"><c\nr="BZ20000"><v>2</v></c></row>',
    "tab after the tag name": '<row r="1"><c r="A1"><v>1</v></c></row>'
    '<row r="20000"><c\tr="BZ20000"><v>2</v></c></row>',
    "prefixed cell tag": '<row r="1"><c r="A1"><v>1</v></c></row>'
    f'<row r="20000"><x:c {X_NS} r="BZ20000"><x:v>2</x:v></x:c></row>',
    "far address in a near row": '<row r="1"><c r="A1"><v>1</v></c><c r="B20000"><v>2</v></c></row>',
    "far address in a near row, not plain": '<!-- a note --><row r="1"><c r="A1"><v>1</v></c>'
    '<c r="B20000"><v>2</v></c></row>',
    "cells without addresses past the last column": '<row r="1">'
    + "<c><v>1</v></c>" * 100
    + '</row><row r="20"><c r="A20"><v>3</v></c></row>',
    "a cell outside any row": '<row r="1"><c r="A1"><v>1</v></c></row><c r="BZ20000"><v>2</v></c>',
}


@pytest.mark.parametrize("name", FAR_SHEETS)
def test_far_cells_are_cut_however_the_sheet_writes_them(tmp_path, name):
    """calamine would build the whole rectangle up to the far cell: it must
    never see one, whatever the tag looks like or where it stands."""
    path = workbook_with_sheet_xml(tmp_path, FAR_SHEETS[name])
    with open_book(path) as book:
        sheet = book.sheet("表")
        seen = book._calamine_book().get_sheet_by_name("表")
        assert seen.height <= 10_000 and seen.width <= 64
    assert sheet.cut
    assert grid_get(sheet, "A1") == 1 or name.startswith("cells without")


def test_a_sheet_nested_thousands_deep_is_an_input_error(tmp_path):
    rows = '<!-- a note --><row r="1"><c r="A1"><v>1</v></c>' + "<x>" * 50_000
    path = workbook_with_sheet_xml(tmp_path, rows + "</x>" * 50_000 + "</row>")
    with open_book(path) as book, pytest.raises(InputError, match="无法解析"):
        book.sheet("表")


def test_an_empty_text_result_is_a_result(tmp_path):
    """Excel stores ="" as t="str" with an empty <v>: a computed blank, not a
    formula never computed (FORMULA_NOT_COMPUTED); without <v> it is one."""
    from perfkit.model import Formula

    path = workbook_with_sheet_xml(tmp_path, TRICKY_SHEETS["empty text result"])
    with open_book(path) as book:
        sheet = book.sheet(book.sheet_names[0])
    assert [sheet.raw(8, c) for c in range(3)] == [
        Formula('=IF(B9="","",B9)', ""),
        Formula("=C9", ""),
        Formula("=D9", None),
    ]
