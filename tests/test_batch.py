"""Finding the forms of a batch: each file once, sorted, lock and hidden files
skipped, the output never taken for an input."""

import os
from pathlib import Path

import pytest

from perfkit import batch


@pytest.fixture
def tree(tmp_path):
    (tmp_path / "b").mkdir()
    for name in ("b/2.xlsx", "b/1.XLSX", "a.xlsm", "~$a.xlsx", ".hidden.xlsx", "notes.txt"):
        (tmp_path / name).write_bytes(b"x")
    return tmp_path


def test_sorted_and_filtered(tree):
    found = batch.discover_rooted([tree])
    assert [p.relative_to(tree).as_posix() for p, _ in found] == ["a.xlsm", "b/1.XLSX", "b/2.xlsx"]
    assert {root for _, root in found} == {tree}


def test_each_file_once_however_it_is_reached(tree):
    link = tree / "link.xlsx"
    os.symlink(tree / "a.xlsm", link)
    found = batch.discover([tree / "a.xlsm", tree, link, tree / "b" / ".." / "a.xlsm"])
    assert found.count(tree / "a.xlsm") == 1
    assert len(found) == 3  # a.xlsm, b/1.XLSX, b/2.xlsx (the link is a.xlsm)


def test_excluded_output_and_missing_names(tree):
    out = tree / "b" / "2.xlsx"  # an earlier output inside the folder
    found = batch.discover([tree, tree / "nope.xlsx"], exclude=[out, tree / "not-yet.xlsx"])
    names = [p.name for p in found]
    assert "2.xlsx" not in names
    assert names[-1] == "nope.xlsx"  # kept: reading it reports the error


def test_archives_of_forms_are_found_and_told_to_unpack(tmp_path, capsys):
    """Units mail their forms as a .zip or .rar: the scan finds the archive,
    the 汇总 lists it among the files it could not read with the forms it
    holds, and validate exits 2 — the forms inside are never passed over."""
    import shutil
    import zipfile

    import openpyxl

    from perfkit.cli import main

    examples = Path(__file__).resolve().parent.parent / "examples"
    shutil.copy(examples / "longgang2023_falv.xlsx", tmp_path / "法律顾问服务经费.xlsx")
    with zipfile.ZipFile(tmp_path / "单位B.zip", "w") as z:
        for name in ("longgang2023_shanghui.xlsx", "longgang2023_dangjian.xlsx", "x.xlsx"):
            z.writestr(f"单位B/{name}", b"PK")
    (tmp_path / "单位C.rar").write_bytes(b"Rar!\x1a\x07\x01\x00" + b"\x00" * 32)
    assert sorted(p.name for p in batch.discover([tmp_path])) == [
        "单位B.zip", "单位C.rar", "法律顾问服务经费.xlsx"
    ]  # fmt: skip
    assert main(["validate", str(tmp_path), "--no-progress"]) == 2
    err = capsys.readouterr().err
    assert (
        f"{tmp_path / '单位B.zip'}：是压缩包，内有 3 个表格文件（longgang2023_dangjian.xlsx、"
        "longgang2023_shanghui.xlsx等），它们没有被读取" in err
    )
    assert f"{tmp_path / '单位C.rar'}：是压缩包，其中的表格没有被读取" in err
    out = tmp_path.parent / f"{tmp_path.name}-汇总.xlsx"
    assert main(["summarize", str(tmp_path), "-o", str(out), "--no-progress"]) == 2
    unread = openpyxl.load_workbook(out)["无法读取"]
    texts = [v for row in unread.iter_rows(values_only=True) for v in row if isinstance(v, str)]
    assert sum("是压缩包" in t for t in texts) == 2


def test_spreadsheets_of_other_programs_are_found_and_told_how_to_convert(tmp_path, libreoffice):
    """A folder of forms where some came as .ods, .xlsb, .fods or a .docx named
    .xlsx: each is an input (a row of 无法读取 in 汇总), and reading it says
    what it is and to save it as .xlsx; nothing is passed over silently."""
    import zipfile

    import docx
    from openpyxl import Workbook

    from perfkit.errors import InputError
    from perfkit.readers import read_forms

    wb = Workbook()
    wb.active["A1"] = "项目支出绩效自评表"
    wb.save(tmp_path / "form.xlsx")
    libreoffice.convert(tmp_path / "form.xlsx", tmp_path / "form.ods", filter="calc8")
    with zipfile.ZipFile(tmp_path / "form.xlsb", "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.bin", b"\x83\x01\x00")
    (tmp_path / "form.fods").write_text('<?xml version="1.0"?><office:document/>')
    document = docx.Document()
    document.add_paragraph("自评报告")
    document.save(tmp_path / "report_named.xlsx")
    (tmp_path / "notes.txt").write_text("x")
    found = batch.discover([tmp_path])
    assert sorted(p.name for p in found) == [
        "form.fods", "form.ods", "form.xlsb", "form.xlsx", "report_named.xlsx"
    ]  # fmt: skip
    told = {
        "form.ods": "这是 OpenDocument 表格（.ods）",
        "form.fods": "这是 OpenDocument 表格（.fods）",
        "form.xlsb": "这是 Excel 二进制工作簿（.xlsb）",
        "report_named.xlsx": "这是 Word 文档（.docx）",
    }
    for name, start in told.items():
        with pytest.raises(InputError) as err:
            read_forms(tmp_path / name)
        assert err.value.message.startswith(start), err.value.message
        assert "另存为 Excel 工作簿（.xlsx）" in err.value.message
