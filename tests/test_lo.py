"""tests/lo.py drives a real LibreOffice: a clerk's row edits on a small form,
.xls conversion read back with python-calamine, errors, recalculation on load
and shutdown."""

from __future__ import annotations

import os
from pathlib import Path

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from tests import lo

pytestmark = pytest.mark.libreoffice


def _form(path: Path) -> Path:
    """A protected sheet: "产出指标" merged over A2:A5, weights B2:B5, =SUM below."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "自评表"
    ws["A1"], ws["B1"], ws["C1"] = "一级指标", "分值", "三级指标"
    ws["A2"] = "产出指标"
    ws.merge_cells("A2:A5")
    for row, (weight, name) in enumerate(
        ((10, "数量"), (20, "质量"), (10, "时效"), (10, "成本")), 2
    ):
        ws.cell(row, 2, weight)
        ws.cell(row, 3, name)
    ws["A6"] = "合计"
    ws["B6"] = "=SUM(B2:B5)"
    ws["C7"] = "1,959,300.00"
    ws.protection.sheet = True
    wb.save(path)
    return path


def _grid(path: Path, sheet: str = "自评表"):
    book = CalamineWorkbook.from_path(str(path))
    s = book.get_sheet_by_name(sheet)
    return s.to_python(skip_empty_area=False), sorted(s.merged_cell_ranges)


def test_missing_names_what_to_install(tmp_path):
    assert "python3-uno" in lo.missing(python=str(tmp_path / "no-python"))


def test_operations_are_json_documents(tmp_path):
    op = lo.edit(
        tmp_path / "a.xlsx",
        tmp_path / "b.xls",
        [lo.insert_rows_step("自评表", 3, 2), lo.set_cells_step("自评表", {"B4": 5})],
    )
    assert op["filter"] == "MS Excel 97"
    assert [s["do"] for s in op["steps"]] == ["insert_rows", "set_cells"]
    assert (
        lo.convert(tmp_path / "a.xlsx", tmp_path / "c.xlsx")["filter"] == "Calc MS Excel 2007 XML"
    )


def test_insert_delete_and_xls_round_trip(libreoffice, tmp_path):
    src = _form(tmp_path / "form.xlsx")
    inserted, typed = tmp_path / "inserted.xlsx", tmp_path / "typed.xlsx"
    deleted, top_deleted = tmp_path / "deleted.xlsx", tmp_path / "top_deleted.xlsx"
    xls = tmp_path / "typed.xls"
    results = libreoffice.run(
        [
            lo.insert_rows(src, inserted, "自评表", 3, 2),  # before row 4: inside A2:A5
            lo.edit(
                src,
                typed,
                [lo.insert_rows_step("自评表", 3, 2), lo.set_cells_step("自评表", {"B4": 5})],
            ),
            lo.delete_rows(src, deleted, "自评表", 2, 1),  # row 3, inside the merge
            lo.delete_rows(src, top_deleted, "自评表", 1, 1),  # row 2, the merge's first row
            lo.convert(typed, xls),
        ]
    )
    assert all(r["ok"] for r in results) and results[0]["sheets"] == ["自评表"]

    # inserted rows: the merge grows, the SUM below extends and keeps its value
    grid, merges = _grid(inserted)
    assert merges == [((1, 0), (6, 0))]  # A2:A7
    assert grid[7][:2] == ["合计", 50.0]
    book = openpyxl.load_workbook(inserted)
    assert book["自评表"]["B8"].value == "=SUM(B2:B7)"
    assert book["自评表"].protection.sheet is False  # unprotected to edit, as a clerk does

    # a value typed into an inserted row counts in the extended SUM
    grid, _ = _grid(typed)
    assert grid[3][1] == 5.0 and grid[7][1] == 55.0

    # deleting a row inside a merge shrinks it and the SUM
    grid, merges = _grid(deleted)
    assert merges == [((1, 0), (3, 0))]  # A2:A4
    assert grid[4][:2] == ["合计", 30.0]

    # deleting the merge's first row loses its label and the merge (LibreOffice 7.4)
    grid, merges = _grid(top_deleted)
    assert merges == [] and grid[1][0] == ""

    # .xls: values, the typed text amount as text, merges as calamine reads BIFF
    grid, merges = _grid(xls)
    assert merges == [((1, 0), (6, 0))]
    assert grid[1][:3] == ["产出指标", 10, "数量"]
    assert grid[3][1] == 5 and grid[7][:2] == ["合计", 55.0]
    assert grid[8][2] == "1,959,300.00"


def test_failed_operation_is_reported_and_the_session_goes_on(libreoffice, tmp_path):
    src = _form(tmp_path / "form.xlsx")
    with pytest.raises(lo.LibreOfficeError, match="no sheet"):
        libreoffice.run([lo.set_cells(src, tmp_path / "x.xlsx", "没有这张表", {"A1": 1})])
    results = libreoffice.run(
        [
            lo.convert(tmp_path / "missing.xlsx", tmp_path / "y.xls"),
            lo.convert(src, tmp_path / "z.xls"),
        ],
        check=False,
    )
    assert [r["ok"] for r in results] == [False, True]
    assert (tmp_path / "z.xls").exists()


def test_set_cells_types_numbers_texts_formulas_and_clears(libreoffice, tmp_path):
    src = _form(tmp_path / "form.xlsx")
    out = tmp_path / "typed.xlsx"
    libreoffice.set_cells(
        src, out, "自评表", {"B2": "约193万", "B3": 25, "C4": None, "D1": "=B6*2"}
    )
    grid, _ = _grid(out)
    assert grid[1][1] == "约193万" and grid[2][1] == 25.0 and grid[3][2] == ""
    assert grid[5][1] == 45.0 and grid[0][3] == 90.0  # "约193万" counts 0 in SUM


def test_to_pdf(libreoffice, tmp_path):
    pdf = tmp_path / "form.pdf"
    libreoffice.to_pdf(_form(tmp_path / "form.xlsx"), pdf)
    assert pdf.read_bytes().startswith(b"%PDF")


def test_recalc_on_load_and_clean_shutdown(tmp_path):
    """An .xlsx whose cached value is stale: kept by default, recomputed with
    recalc_on_load; closing leaves no LibreOffice process behind."""
    import xlsxwriter

    src = tmp_path / "stale.xlsx"
    book = xlsxwriter.Workbook(str(src))
    sheet = book.add_worksheet("表")
    sheet.write("A1", 2)
    sheet.write_formula("B1", "=A1*3", None, 99)  # cached 99, really 6
    book.close()
    reason = lo.missing()
    if reason:
        pytest.skip(reason)
    office = lo.LibreOffice(recalc_on_load=True)
    with office:
        pid = office.pid
        office.convert(src, tmp_path / "recalculated.xlsx")
    with pytest.raises(ProcessLookupError):
        os.killpg(pid, 0)
    assert _grid(tmp_path / "recalculated.xlsx", "表")[0][0] == [2.0, 6.0]
    with pytest.raises(lo.LibreOfficeError, match="not running"):
        office.run([])


def test_default_session_keeps_cached_values(libreoffice, tmp_path):
    import xlsxwriter

    src = tmp_path / "stale.xlsx"
    book = xlsxwriter.Workbook(str(src))
    book.add_worksheet("表").write_formula("A1", "=1+1", None, 5)
    book.close()
    libreoffice.convert(src, tmp_path / "kept.xlsx")
    libreoffice.convert(src, tmp_path / "recalc.xlsx", recalc=True)
    assert _grid(tmp_path / "kept.xlsx", "表")[0][0] == [5.0]
    assert _grid(tmp_path / "recalc.xlsx", "表")[0][0] == [2.0]


def test_unknown_functions_are_saved_as_name_errors_in_lower_case(libreoffice, tmp_path):
    """perfkit's UDFs in a LibreOffice copy: formula kept (lower case), cached #NAME?,
    which python-calamine reads as an empty cell in .xlsx and .xls alike."""
    src = tmp_path / "udf.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "表"
    wb.active["A1"] = 3
    wb.active["B1"] = "=PERF_SCORE(A1,A1,10)"
    wb.save(src)
    libreoffice.run(
        [lo.convert(src, tmp_path / "udf.lo.xlsx"), lo.convert(src, tmp_path / "udf.xls")]
    )
    assert openpyxl.load_workbook(tmp_path / "udf.lo.xlsx")["表"]["B1"].value == (
        "=perf_score(A1,A1,10)"
    )
    assert openpyxl.load_workbook(tmp_path / "udf.lo.xlsx", data_only=True)["表"]["B1"].value == (
        "#NAME?"
    )
    for name in ("udf.lo.xlsx", "udf.xls"):
        assert _grid(tmp_path / name, "表")[0][0] == [3.0 if name.endswith("x") else 3, ""]


def test_worker_results_are_read_from_its_last_line():
    """A worker that crashed on its way out after printing every result has done
    its work (pyuno can SIGSEGV in interpreter shutdown); one that stopped early
    has not."""
    done = '[{"ok": true, "src": "a", "dest": "b"}]'
    assert lo._results("log line\n" + done + "\n", 1) == [{"ok": True, "src": "a", "dest": "b"}]
    assert lo._results("", 1) is None
    assert lo._results(done, 2) is None  # one result for two operations
    assert lo._results('[{"ok": tr', 1) is None
    assert lo._results("[]", 0) == []
