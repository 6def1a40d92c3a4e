"""Day-one trust, outputs (issue 12.1-12.3, 12.9, 12.11): an output is never an
input, perfkit's own outputs are marked and skipped by the next scan, a write
that fails is a Chinese sentence with exit code 2, a folder scan names what it
leaves out and never hangs, and the command line speaks Chinese."""

from __future__ import annotations

import errno
import json
import os
import shutil
import socket
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from perfkit import batch, cli, fsutil, outputs

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
FORMS = sorted(EXAMPLES.glob("*.xlsx"))
ENGLISH = ("Traceback", "Error", "Errno", "errno", "Exception", "No such file", "denied")


def run(capsys, *argv) -> tuple[int, str, str]:
    code = cli.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def digest(paths) -> dict:
    return {str(p): Path(p).read_bytes() for p in paths}


def no_english(text: str) -> None:
    assert not [w for w in ENGLISH if w in text], text


@pytest.fixture
def forms(tmp_path) -> Path:
    folder = tmp_path / "forms"
    folder.mkdir()
    for path in FORMS:
        shutil.copy(path, folder / path.name)
    return folder


# --------------------------------------------------------------------------
# 12.1 an output is never an input
# --------------------------------------------------------------------------


def test_summarize_output_onto_a_form_found_by_the_scan_is_refused(forms, capsys):
    target = forms / FORMS[2].name
    before = digest(forms.iterdir())
    code, _, err = run(capsys, "summarize", forms, "-o", target, "--jobs", 1, "--no-progress")
    assert code == 2
    assert "不会覆盖输入" in err and str(target) in err
    assert digest(forms.iterdir()) == before


def test_summarize_csv_onto_a_named_input_is_refused(forms, capsys):
    """--csv writes <output>.csv: never over a file named on the command line."""
    named = forms / "名单.csv"
    named.write_text("单位\n福田\n", encoding="utf-8")
    before = digest(forms.iterdir())
    out = forms / "名单.xlsx"
    code, _, err = run(capsys, "summarize", forms, named, "-o", out, "--csv", "--no-progress")
    assert code == 2 and "不会覆盖输入" in err and "名单.csv" in err
    assert digest(forms.iterdir()) == before


def test_output_through_a_link_or_another_spelling_is_the_same_file(tmp_path, capsys):
    form = tmp_path / "a.xlsx"
    shutil.copy(FORMS[0], form)
    link = tmp_path / "link.xlsx"
    os.symlink(form, link)
    hard = tmp_path / "hard.xlsx"
    os.link(form, hard)
    before = form.read_bytes()
    for out in (link, hard, tmp_path / "." / "a.xlsx"):
        code, _, err = run(capsys, "summarize", form, "-o", out, "--no-progress")
        assert code == 2 and "不会覆盖输入" in err
        code, _, err = run(capsys, "freeze", hard, "-o", form)
        assert code == 2 and "不会覆盖输入" in err
    assert form.read_bytes() == before


def test_every_command_refuses_to_write_over_its_input(tmp_path, capsys):
    form = tmp_path / "f.xlsx"
    shutil.copy(EXAMPLES / "futian2021_evaltable.xlsx", form)
    data = tmp_path / "d.json"
    shutil.copy(EXAMPLES / "longgang2023_falv.json", data)
    data_link = tmp_path / "d-link.xlsx"
    os.symlink(data, data_link)
    form_link = tmp_path / "f-link.docx"
    os.symlink(form, form_link)
    source = ROOT / "macros" / "addin" / "ThisWorkbook.cls"
    addin_link = tmp_path / "x.xlam"
    os.symlink(source, addin_link)
    before = digest([form, data, source])
    for argv in (
        ("extract", form, "-o", form),
        ("freeze", form, "-o", form),
        ("fill", "selfeval", data, "-o", data_link),
        ("report", form, "-o", form_link),
        ("addin", "build", "-o", addin_link),
    ):
        code, _, err = run(capsys, *argv)
        assert code == 2, argv
        assert "不会覆盖输入" in err, (argv, err)
    assert digest([form, data, source]) == before


def test_validate_marked_copy_never_replaces_an_input(tmp_path, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(FORMS[0], folder / "a.xlsx")
    # a user's own form that happens to carry the marked copy's name
    shutil.copy(FORMS[1], folder / "a_校验.xlsx")
    before = digest(folder.iterdir())
    code, _, err = run(capsys, "validate", folder, "--out", folder, "--no-progress")
    assert code == 2 and "不会覆盖输入" in err and "a_校验.xlsx" in err
    assert digest(folder.iterdir()) == before


def test_check_outputs_allows_new_files_and_other_files(tmp_path):
    a = tmp_path / "a.xlsx"
    a.write_bytes(b"x")
    fsutil.check_outputs([tmp_path / "new.xlsx", None], [a, tmp_path / "missing.xlsx"])


# --------------------------------------------------------------------------
# 12.2 perfkit's outputs are marked and skipped by the next scan
# --------------------------------------------------------------------------


def test_outputs_in_the_scanned_folder_are_skipped_next_time(forms, capsys):
    summary = forms / "汇总.xlsx"
    assert run(capsys, "summarize", forms, "-o", summary, "--no-progress")[0] == 0
    assert outputs.output_kind(summary) == outputs.SUMMARY
    assert run(capsys, "validate", forms, "--out", forms, "--no-progress")[0] == 1
    marked = sorted(forms.glob("*_校验.xlsx"))
    assert len(marked) == len(FORMS)
    assert {outputs.output_kind(p) for p in marked} == {outputs.MARKED}
    info = outputs.output_info(marked[0])
    source = forms / marked[0].name.replace("_校验", "")
    assert info.source_name == source.name
    assert info.source_sha256 == outputs.sha256_file(source)

    code, _, err = run(capsys, "summarize", forms, "-o", summary, "--no-progress", "--jobs", 1)
    assert code == 0
    assert f"已汇总 {len(FORMS)} 份" in err
    assert f"跳过 {len(FORMS) + 1} 个 perfkit 生成的文件" in err
    code, out, err = run(capsys, "validate", forms, "--format", "json", "--no-progress")
    data = json.loads(out)
    assert data["summary"]["files"] == len(FORMS)
    assert {s["output"] for s in data["skipped"]} == {"summary", "marked"}


def _frozen_copy(source: Path, target: Path) -> Path:
    import openpyxl

    wb = openpyxl.load_workbook(source)
    outputs.mark_openpyxl(wb, outputs.FROZEN, source)
    wb.save(target)
    return target


def test_a_frozen_copy_is_skipped_beside_its_form_and_read_on_its_own(tmp_path):
    form = tmp_path / "a" / "f.xlsx"
    form.parent.mkdir()
    shutil.copy(FORMS[0], form)
    frozen = _frozen_copy(form, tmp_path / "a" / "f_定稿.xlsx")
    found = batch.discover([tmp_path / "a"])
    assert found == [form]
    assert [(s.path, s.output) for s in found.skipped] == [(frozen, "frozen")]
    assert "f.xlsx" in found.skipped[0].reason

    # received on its own (another folder, the form not in the scan): a submitted form
    alone = tmp_path / "b" / "f_定稿.xlsx"
    alone.parent.mkdir()
    shutil.copy(frozen, alone)
    assert batch.discover([tmp_path / "b"]) == [alone]
    # the form in another folder of the same scan: found by its SHA-256
    found = batch.discover([tmp_path / "a" / "f.xlsx", tmp_path / "b"])
    assert found == [form] and found.skipped[0].path == alone


def test_marks_replace_earlier_marks_and_keep_other_properties(tmp_path):
    import openpyxl
    from openpyxl.packaging.custom import StringProperty

    wb = openpyxl.load_workbook(FORMS[0])
    wb.custom_doc_props.append(StringProperty(name="KSOProductBuildVer", value="2052-11.1"))
    outputs.mark_openpyxl(wb, outputs.FROZEN, FORMS[0])
    outputs.mark_openpyxl(wb, outputs.MARKED)
    path = tmp_path / "x.xlsx"
    wb.save(path)
    assert outputs.read_properties(path) == {
        "KSOProductBuildVer": "2052-11.1",
        "perfkit.output": "marked",
    }
    data = outputs.mark_bytes(path.read_bytes(), outputs.REPORT, FORMS[0])
    (tmp_path / "y.xlsx").write_bytes(data)
    props = outputs.read_properties(tmp_path / "y.xlsx")
    assert props["KSOProductBuildVer"] == "2052-11.1" and props["perfkit.output"] == "report"
    assert openpyxl.load_workbook(tmp_path / "y.xlsx").sheetnames  # still a workbook
    marked = outputs.mark_bytes(FORMS[0].read_bytes(), outputs.ADOPTED)
    (tmp_path / "z.xlsx").write_bytes(marked)
    assert outputs.output_kind(tmp_path / "z.xlsx") == "adopted"
    with zipfile.ZipFile(tmp_path / "z.xlsx") as zf:
        assert b"custom-properties" in zf.read("_rels/.rels")
        assert b"/docProps/custom.xml" in zf.read("[Content_Types].xml")


def _zip_with_custom(path: Path, custom: bytes, declared: int | None = None) -> Path:
    shutil.copy(FORMS[0], path)
    with zipfile.ZipFile(path, "a") as zf:
        zf.writestr("docProps/custom.xml", custom, compress_type=zipfile.ZIP_DEFLATED)
    if declared is not None:  # lie about the inflated size in both headers
        data = bytearray(path.read_bytes())
        name = b"docProps/custom.xml"
        for sig, off in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
            at = 0
            while (at := data.find(sig, at)) >= 0:
                name_at = at + (30 if sig == b"PK\x03\x04" else 46)
                if data[name_at : name_at + len(name)] == name:
                    data[at + off : at + off + 4] = declared.to_bytes(4, "little")
                at += 4
        path.write_bytes(bytes(data))
    return path


def test_output_kind_never_raises_and_never_inflates_much(tmp_path):
    prop = (
        f'<Properties xmlns="{outputs.NS_CUSTOM}" xmlns:vt="{outputs.NS_VT}">'
        f'<property fmtid="{outputs.FMTID}" pid="2" name="perfkit.output">'
        "<vt:lpwstr>summary</vt:lpwstr></property></Properties>"
    ).encode()
    assert outputs.output_kind(_zip_with_custom(tmp_path / "ok.xlsx", prop)) == "summary"
    bomb = prop.replace(b"</Properties>", b"<!--" + b" " * (50 << 20) + b"--></Properties>")
    lying = _zip_with_custom(tmp_path / "bomb.xlsx", bomb, declared=100)
    assert outputs.output_kind(lying) is None
    entity = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "summary">]>' + prop.replace(
        b">summary<", b">&a;<"
    )
    assert outputs.output_kind(_zip_with_custom(tmp_path / "entity.xlsx", entity)) is None
    truncated = tmp_path / "cut.xlsx"
    truncated.write_bytes((tmp_path / "ok.xlsx").read_bytes()[:-30])
    other = tmp_path / "not-a-zip.xlsx"
    other.write_bytes(b"hello")
    assert outputs.output_kind(truncated) is None
    assert outputs.output_kind(other) is None
    assert outputs.output_kind(tmp_path) is None
    assert outputs.output_kind(tmp_path / "missing.xlsx") is None
    fifo = tmp_path / "pipe.xlsx"
    os.mkfifo(fifo)
    assert outputs.output_kind(fifo) is None  # returns at once: never opened for reading


# --------------------------------------------------------------------------
# 12.3 a write that fails: a Chinese sentence naming the path, exit code 2
# --------------------------------------------------------------------------


def _write_commands(out: Path, suffix: str) -> list[tuple]:
    """Every command that writes a file of *suffix*, writing to *out*."""
    form = EXAMPLES / "futian2021_evaltable.xlsx"
    data = EXAMPLES / "longgang2023_falv.json"
    return {
        ".xlsx": [
            ("summarize", form, "-o", out, "--no-progress"),
            ("fill", "selfeval", data, "-o", out),
            ("freeze", form, "-o", out),
        ],
        ".docx": [("report", form, "-o", out)],
        ".json": [("extract", form, "-o", out)],
        ".xlam": [("addin", "build", "-o", out)],
    }[suffix]


@pytest.mark.parametrize("suffix", [".xlsx", ".docx", ".json", ".xlam"])
def test_output_under_a_file_or_a_folder_as_the_file(tmp_path, capsys, suffix):
    blocker = tmp_path / "a-file.txt"
    blocker.write_text("x")
    folder = tmp_path / f"folder{suffix}"
    folder.mkdir()
    under = blocker / "sub" / f"out{suffix}"
    for out, expected in ((under, "不是文件夹"), (folder, "文件夹")):
        for argv in _write_commands(out, suffix):
            code, _, err = run(capsys, *argv)
            assert code == 2, (argv, err)
            assert expected in err and str(out if out == folder else blocker) in err, err
            no_english(err)
    assert folder.is_dir() and list(folder.iterdir()) == []


@pytest.mark.parametrize("suffix", [".xlsx", ".docx", ".json", ".xlam"])
def test_output_open_in_excel_or_in_a_read_only_folder(tmp_path, capsys, monkeypatch, suffix):
    """PermissionError: what Windows raises for a file Excel holds open, and what
    a read-only folder gives (simulated: the tests may run as root)."""
    out = tmp_path / f"out{suffix}"
    out.write_bytes(b"old")
    real_replace = os.replace

    def locked(src, dst, *a, **kw):
        if Path(dst) == out:
            raise PermissionError(errno.EACCES, "Permission denied", str(dst))
        return real_replace(src, dst, *a, **kw)

    monkeypatch.setattr(os, "replace", locked)
    for argv in _write_commands(out, suffix):
        code, _, err = run(capsys, *argv)
        assert code == 2, (argv, err)
        assert str(out) in err and "打开" in err and "关闭" in err, err
        no_english(err)
    assert out.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == [out.name]  # no temporary left


def test_csv_that_cannot_be_written(tmp_path, capsys):
    (tmp_path / "汇总.csv").mkdir()
    code, _, err = run(
        capsys, "summarize", FORMS[0], "-o", tmp_path / "汇总.xlsx", "--csv", "--no-progress"
    )
    assert code == 2 and "汇总.csv" in err and "文件夹" in err
    no_english(err)


def test_validate_out_onto_an_existing_file_blames_the_output(tmp_path, capsys):
    out = tmp_path / "out.txt"
    out.write_text("x")
    code, _, err = run(capsys, "validate", FORMS[0], "--out", out, "--no-progress")
    assert code == 2
    assert str(out) in err and "--out" in err and "文件夹" in err
    assert "无法读取" not in err
    no_english(err)


def test_messages_for_other_write_errors(tmp_path):
    cases = {
        errno.ENOSPC: "磁盘空间不足",
        errno.EROFS: "只读",
        errno.ENAMETOOLONG: "过长",
        errno.EIO: "系统错误代码",
    }
    for code, words in cases.items():
        text = fsutil.write_error_message(OSError(code, os.strerror(code)), tmp_path / "x.xlsx")
        assert words in text
        no_english(text)
    text = fsutil.write_error_message(
        PermissionError(errno.EACCES, "x"), tmp_path / "new" / "x.xlsx"
    )
    assert "权限" in text and str(tmp_path / "new") in text


# --------------------------------------------------------------------------
# 12.9 a folder scan names what it leaves out and never hangs
# --------------------------------------------------------------------------


def test_scan_takes_xls_and_names_fifos_sockets_and_link_loops(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(FORMS[0], folder / "a.xlsx")
    (folder / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504)
    (folder / "m.XLSM").write_bytes(FORMS[0].read_bytes())
    os.mkfifo(folder / "pipe.xlsx")
    os.symlink("loop.xlsx", folder / "loop.xlsx")
    os.symlink("nowhere.xlsx", folder / "broken.xlsx")
    os.symlink(tmp_path, folder / "up.xlsx")  # a link to a folder with a form's suffix
    (folder / "notes.txt").write_text("not a form")
    sock = socket.socket(socket.AF_UNIX)
    try:
        sock.bind(str(folder / "s.xlsx"))
        found = batch.discover([folder])
    finally:
        sock.close()
    assert [p.name for p in found] == ["a.xlsx", "m.XLSM", "old.xls"]
    reasons = {s.path.name: s.reason for s in found.skipped}
    assert set(reasons) == {"pipe.xlsx", "loop.xlsx", "broken.xlsx", "up.xlsx", "s.xlsx"}
    assert "FIFO" in reasons["pipe.xlsx"] and "循环" in reasons["loop.xlsx"]
    assert "套接字" in reasons["s.xlsx"] and "不存在" in reasons["broken.xlsx"]
    lines = batch.skipped_summary(found)
    assert any("pipe.xlsx" in line for line in lines)


def test_a_named_fifo_does_not_hang_the_command(tmp_path):
    fifo = tmp_path / "pipe.xlsx"
    os.mkfifo(fifo)
    proc = subprocess.run(
        [sys.executable, "-m", "perfkit", "validate", str(fifo), str(FORMS[0]), "--no-progress"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "pipe.xlsx" in proc.stderr and "FIFO" in proc.stderr
    assert "共 1 个文件" in proc.stdout


def test_unlistable_folder_is_named(tmp_path, monkeypatch):
    folder = tmp_path / "in"
    (folder / "locked").mkdir(parents=True)
    shutil.copy(FORMS[0], folder / "a.xlsx")
    real = os.scandir

    def scandir(path="."):
        if Path(path).name == "locked":
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(batch.os, "scandir", scandir)
    found = batch.discover([folder])
    assert [p.name for p in found] == ["a.xlsx"]
    assert [(s.path.name, s.kind) for s in found.skipped] == [("locked", batch.UNREADABLE)]
    assert "权限" in found.skipped[0].reason


def test_xlsm_marked_copy_prints_no_exception(tmp_path):
    src = tmp_path / "a.xlsm"
    _macro_workbook(FORMS[0], src)
    proc = subprocess.run(
        [sys.executable, "-m", "perfkit", "validate", str(src), "--out", str(tmp_path / "out")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode in (0, 1), proc.stderr
    assert "Exception ignored" not in proc.stderr and "Traceback" not in proc.stderr
    copy = tmp_path / "out" / "a_校验.xlsm"
    with zipfile.ZipFile(copy) as zf:
        assert zf.read("xl/vbaProject.bin") == b"VBA-PROJECT-BYTES"
    assert outputs.output_kind(copy) == outputs.MARKED


def _macro_workbook(xlsx: Path, xlsm: Path) -> None:
    """*xlsx* as a macro-enabled workbook holding a (dummy) vbaProject.bin."""
    ct_main = b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
    ct_macro = b"application/vnd.ms-excel.sheet.macroEnabled.main+xml"
    with zipfile.ZipFile(xlsx) as src, zipfile.ZipFile(xlsm, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "[Content_Types].xml":
                data = data.replace(ct_main, ct_macro).replace(
                    b"</Types>",
                    b'<Override PartName="/xl/vbaProject.bin" '
                    b'ContentType="application/vnd.ms-office.vbaProject"/></Types>',
                )
            elif info.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(
                    b"</Relationships>",
                    b'<Relationship Id="rIdVba" Type="http://schemas.microsoft.com/office/2006/'
                    b'relationships/vbaProject" Target="vbaProject.bin"/></Relationships>',
                )
            dst.writestr(info.filename, data)
        dst.writestr("xl/vbaProject.bin", b"VBA-PROJECT-BYTES")


# --------------------------------------------------------------------------
# 12.11 what the user reads
# --------------------------------------------------------------------------


def test_summarize_a_path_that_does_not_exist(tmp_path, capsys):
    out = tmp_path / "汇总.xlsx"
    code, _, err = run(capsys, "summarize", tmp_path / "没有这个文件夹", "-o", out)
    assert code == 2 and "找不到" in err and "没有这个文件夹" in err
    assert not out.exists() and list(tmp_path.iterdir()) == []


def test_summarize_an_empty_folder(tmp_path, capsys):
    (tmp_path / "empty").mkdir()
    out = tmp_path / "汇总.xlsx"
    code, _, err = run(capsys, "summarize", tmp_path / "empty", "-o", out)
    assert code == 2
    assert err.count("没有找到") == 1 and "已汇总" not in err
    assert not out.exists()


def test_a_folder_of_xls_files_is_not_empty(tmp_path, capsys):
    (tmp_path / "in").mkdir()
    shutil.copy(ROOT / "tests" / "test_day1_outputs.py", tmp_path / "in" / "x.py")
    (tmp_path / "in" / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504)
    _, _, err = run(capsys, "summarize", tmp_path / "in", "-o", tmp_path / "s.xlsx")
    assert "没有找到" not in err and "old.xls" in str(batch.discover([tmp_path / "in"])[0])


def test_fill_with_a_word_file_says_it_is_not_json(tmp_path, capsys):
    docx = tmp_path / "data.docx"
    with zipfile.ZipFile(docx, "w") as zf:
        zf.writestr("word/document.xml", "<w:document/>")
    code, _, err = run(capsys, "fill", "selfeval", docx, "-o", tmp_path / "x.xlsx")
    assert code == 2 and "不是 JSON 文件" in err and "应为 UTF-8 编码" not in err
    gbk = tmp_path / "gbk.json"
    gbk.write_bytes(json.dumps({"单位": "福田"}, ensure_ascii=False).encode("gbk"))
    code, _, err = run(capsys, "fill", "selfeval", gbk, "-o", tmp_path / "x.xlsx")
    assert code == 2 and "GBK" in err and "UTF-8" in err
    bad = tmp_path / "bad.json"
    bad.write_text('{"a": 1,}', encoding="utf-8")
    code, _, err = run(capsys, "fill", "selfeval", bad, "-o", tmp_path / "x.xlsx")
    assert code == 2 and "第 1 行" in err
    no_english(err)


def test_argparse_speaks_chinese(capsys):
    with pytest.raises(SystemExit) as exc:
        cli.main(["summarize"])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "用法：perfkit summarize" in err and "缺少必需的参数" in err
    assert "usage:" not in err and "error:" not in err and "required" not in err
    with pytest.raises(SystemExit):
        cli.main(["summarize", "examples", "-o", "x.xlsx", "--bogus"])
    err = capsys.readouterr().err
    assert "无法识别的参数：--bogus" in err and "unrecognized" not in err
    with pytest.raises(SystemExit):
        cli.main(["validate", "examples", "--jobs", "many"])
    assert "不是整数" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        cli.main(["summarize", "-h"])
    out = capsys.readouterr().out
    assert "用法：" in out and "选项" in out and "显示此帮助信息并退出" in out
    assert "options:" not in out and "show this help" not in out and "usage:" not in out


def test_score_gives_reasons_and_chinese_kinds(capsys):
    assert run(capsys, "score", "exec", "100", "0")[1].strip() == (
        "执行率 —  得分 —（全年预算数为 0，无法计算执行率）"
    )
    out = run(capsys, "score", "indicator", "按时完成", "已完成", "10")[1]
    assert "定性指标" in out and "qualitative" not in out
    out = run(capsys, "score", "indicator", "≥90%", "", "10")[1]
    assert out.startswith("得分 —") and "缺少实际完成值" in out
    out = run(capsys, "score", "rule", "xx", "yy", "3")[1]
    assert "得分 —（" in out and "无法识别" in out


def test_score_refuses_values_it_would_drop(capsys):
    """A profile typed as a fourth value was dropped: the default rule's 2.97 for 福田's 2.91."""
    code, out, err = run(capsys, "score", "exec", "180.57", "182.2", "3", "futian2021")
    assert code == 2 and out == "" and "多余的参数：futian2021" in err and "--profile" in err
    no_english(err)
    code, out, _ = run(capsys, "score", "exec", "180.57", "182.2", "3", "--profile", "futian2021")
    assert code == 0 and out.strip() == "执行率 99.11%  得分 2.91"
    assert run(capsys, "score", "parse", "≥", "90%")[0] == 2


@pytest.mark.parametrize("suffix", [".xlsx", ".docx", ".json", ".xlam"])
def test_output_into_a_read_only_folder(tmp_path, capsys, monkeypatch, suffix):
    """No permission to create a file in the folder (simulated: the tests may run as root)."""
    import tempfile

    folder = tmp_path / "只读"
    folder.mkdir()
    real = tempfile.mkstemp

    def refused(*args, dir=None, **kw):
        if dir is not None and Path(dir) == folder:
            raise PermissionError(errno.EACCES, "Permission denied", str(dir))
        return real(*args, dir=dir, **kw)

    monkeypatch.setattr(tempfile, "mkstemp", refused)
    out = folder / f"out{suffix}"
    for argv in _write_commands(out, suffix):
        code, _, err = run(capsys, *argv)
        assert code == 2, (argv, err)
        assert str(folder) in err and "权限" in err and "换一个输出位置" in err, err
        no_english(err)
    assert list(folder.iterdir()) == []


def test_validate_out_that_cannot_be_written_names_the_copy(tmp_path, capsys):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    code, _, err = run(capsys, "validate", FORMS[0], "--out", blocker / "sub", "--no-progress")
    assert code == 2
    assert "未写出" in err and "标注副本" in err and str(blocker) in err
    no_english(err)


def test_validate_out_named_like_a_workbook_is_not_made_a_folder(tmp_path, capsys):
    """`--out 结果.xlsx` is a folder option: say so instead of making a folder called 结果.xlsx."""
    out = tmp_path / "结果.xlsx"
    code, _, err = run(capsys, "validate", FORMS[0], "--out", out, "--no-progress")
    assert code == 2 and not out.exists()
    assert "--out 应为文件夹" in err and "结果.xlsx" in err


def test_validate_out_with_an_xls_keeps_its_findings(corpus, tmp_path, capsys):
    """An .xls is checked like any form; only its marked copy cannot be made:
    its findings are printed and counted, and it is not called unreadable."""
    xls = next(f.path for f in corpus if f.path.suffix == ".xls" and "sichuan" in f.path.name)
    out = tmp_path / "marked"
    code, text, err = run(capsys, "validate", xls, FORMS[0], "--out", out, "--no-progress")
    assert code == 2  # an output that could not be written
    assert f"{xls}：错误" in text and "LEVEL1_WEIGHT_PROFILE" in text
    assert "无法读取" not in text and "1 个文件未写出标注副本" in text
    assert "未写出" in err and "另存为 .xlsx" in err
    no_english(err)
    code, text, _ = run(capsys, "validate", xls, "--out", out, "--format", "json", "--no-progress")
    data = json.loads(text)
    assert (
        code == 2 and data["unreadable"] == [] and data["summary"]["marked_copies_not_written"] == 1
    )
    (entry,) = data["files"]
    assert entry["status"] == "checked" and "另存为 .xlsx" in entry["marked_copy_error"]
    assert any(f["code"] == "LEVEL1_WEIGHT_PROFILE" for f in data["findings"])
