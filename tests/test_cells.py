"""The one .xlsx reader: formula text, shared formulas, cached results and
error values, cells without addresses, and no trust in declared dimensions."""

import zipfile

import openpyxl
import pytest

from perfkit.errors import InputError
from perfkit.xlsxread import XlsxReader, cell_index, grid_get

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
    with XlsxReader(path) as book:
        values, formulas = book.grids("表", 8, 9)
    assert grid_get(formulas, "G7") is None
    assert grid_get(formulas, "H7") == "=PERF_SCORE(E7,F7,G7)"
    assert grid_get(values, "H7") == 10


def test_shared_formulas_are_translated_to_their_cell(tmp_path):
    path = workbook_with_sheet_xml(
        tmp_path,
        '<row r="14"><c r="H14"><f t="shared" ref="H14:H16" si="0">PERF_SCORE(E14,F14,G14)</f></c></row>'
        '<row r="15"><c r="H15"><f t="shared" si="0"/></c></row>'
        '<row r="16"><c r="H16"><f t="shared" si="0"/><v>4</v></c></row>',
    )
    with XlsxReader(path) as book:
        values, formulas = book.grids("表", 16, 9)
    assert grid_get(formulas, "H15") == "=PERF_SCORE(E15,F15,G15)"
    assert grid_get(formulas, "H16") == "=PERF_SCORE(E16,F16,G16)"
    assert grid_get(values, "H16") == 4


def test_cached_errors_strings_and_booleans(tmp_path):
    path = workbook_with_sheet_xml(
        tmp_path,
        '<row r="6"><c r="G6" t="e"><f>EXEC_RATE(E6,D6)</f><v>#DIV/0!</v></c>'
        '<c r="H6" t="str"><f>PERF_GRADE(H44)</f><v>优</v></c>'
        '<c r="I6" t="b"><f>TRUE()</f><v>1</v></c></row>',
    )
    with XlsxReader(path) as book:
        values, _ = book.grids("表", 6, 9)
    assert grid_get(values, "G6") == "#DIV/0!"
    assert grid_get(values, "H6") == "优"
    assert grid_get(values, "I6") is True


def test_cells_and_rows_without_addresses(tmp_path):
    path = workbook_with_sheet_xml(
        tmp_path,
        "<row><c><v>1</v></c><c><f>A1*2</f><v>2</v></c></row><row><c/><c><f>B1+1</f></c></row>",
    )
    with XlsxReader(path) as book:
        _, formulas = book.grids("表", 2, 3)
    assert grid_get(formulas, "B1") == "=A1*2"
    assert grid_get(formulas, "B2") == "=B1+1"


def test_only_the_requested_block_is_read_whatever_the_declared_dimension(tmp_path):
    rows = "".join(
        f'<row r="{r}"><c r="A{r}"><f>ROW()</f><v>{r}</v></c></row>' for r in range(1, 400)
    )
    path = workbook_with_sheet_xml(tmp_path, rows, dimension="A1:XFD1048576")
    with XlsxReader(path) as book:
        values, formulas = book.grids("表", 5, 2)
    assert len(formulas) == 5 and all(len(r) == 2 for r in formulas)
    assert grid_get(values, "A5") == 5 and grid_get(values, "A6") is None


def test_broken_sheet_xml_is_an_input_error(tmp_path):
    path = workbook_with_sheet_xml(tmp_path, '<row r="1"><c r="A1"><f>1+1</c></row>')
    with XlsxReader(path) as book, pytest.raises(InputError, match="工作表「表」"):
        book.grids("表", 3, 3)


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
    with XlsxReader(sheet) as book:  # a sheet is checked when it is first read ...
        for read in (book.values, book.formulas, book.grids):
            with pytest.raises(InputError, match="DOCTYPE"):
                read("表", 3, 3)
        assert book._book is None  # ... before calamine ever parses it
    workbook_part = _with_part(
        tmp_path, "xl/workbook.xml", BOMB + f"<workbook {NS}><sheets/></workbook>"
    )
    with pytest.raises(InputError, match="DOCTYPE"):
        XlsxReader(workbook_part)
    styles = _with_part(tmp_path, "xl/styles.xml", BOMB + f"<styleSheet {NS}/>")
    with pytest.raises(InputError, match="DOCTYPE"):  # parsed by calamine only: checked at once
        XlsxReader(styles)
    props = _with_part(tmp_path, "docProps/core.xml", BOMB + "<cp:coreProperties/>")
    with XlsxReader(props) as book:  # never parsed when reading values
        assert book.sheet_names == ["表"]
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
    "cell without address": "<row><c><f>A1*2</f><v>2</v></c></row>",
    "attribute order": '<row r="6"><c s="3" t="e" r="A6"><f>1/0</f><v>#DIV/0!</v></c></row>',
    "outside the block": '<row r="90"><c r="Z90"><f>1</f><v>1</v></c></row>',
    "shared group": '<row r="7"><c r="A7"><f t="shared" ref="A7:A8" si="3">B7+1</f><v>1</v></c></row>'
    '<row r="8"><c r="A8"><f t="shared" si="3"/><v>2</v></c></row>',
}


def _assert_fast_equals_full(path) -> int:
    with XlsxReader(path) as book:
        assert book._parts == book._sheet_parts(exact=True)
        for sheet in book.sheet_names:
            fast = book.formulas(sheet, 60, 12)
            full = book.formulas(sheet, 60, 12, exact=True)
            assert fast == full, f"{path} {sheet}"
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
        with XlsxReader(path) as book:
            sheet = book.sheet_names[0]
            cached += len(book.formulas(sheet, 60, 12)[1])
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
    from perfkit.xlsxread import _sheet_parts_fast, _sheet_parts_parsed

    book = WORKBOOKS[name].encode("utf-8")
    fast = _sheet_parts_fast(book, RELS.encode("utf-8"))
    full = _sheet_parts_parsed(book, RELS.encode("utf-8"))
    assert fast is None or fast == full
    if name == "excel":
        assert fast == {"自评表": "xl/worksheets/sheet3.xml", "A&B": "xl/worksheets/sheet1.xml"}
    if name == "prefix per sheet":
        assert fast == {"设置": "xl/worksheets/sheet1.xml"}
    if name in ("prefixed root", "other namespace", "comment", "sheet with children"):
        assert fast is None  # sent to the full parse


def test_calamine_does_not_parse_the_content_types_part(tmp_path):
    """Why the read path does not prolog-check [Content_Types].xml: calamine
    never parses it (garbage there changes nothing)."""
    from python_calamine import CalamineWorkbook

    path = _with_part(tmp_path, "[Content_Types].xml", BOMB + "<Types><<garbage &lol2;")
    book = CalamineWorkbook.from_path(str(path))
    assert book.get_sheet_by_name("表").to_python() is not None
    with XlsxReader(path) as reader:
        assert reader.values("表", 2, 2) is not None
