"""perfkit.xlam, built from source and checked without Excel (issue 5).

Golden files: ``tests/golden/``.  After a deliberate change to the UDFs or the
generator, refresh them with ``PERFKIT_UPDATE_GOLDEN=1 pytest tests/test_addin.py``
and review the diff.
"""

from __future__ import annotations

import argparse
import inspect
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import textwrap
import time
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest

from perfkit import addin

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("PERFKIT_UPDATE_GOLDEN") == "1"
CT_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"
REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
UI_NS = "{http://schemas.microsoft.com/office/2009/07/customui}"
BUTTONS = {
    "校验": "validate",
    "复核": "review",
    "清除标记": "clear",
    "新建自评表": "new_selfeval",
    "新建评分表": "new_evaltable",
    "插入指标行": "insert_row",
    "定稿导出": "freeze",
    "帮助": "show_help",
}
# The buttons macros.show_help (macros/ribbon.py) describes: all of them.
HELP_BUTTONS = (
    "校验",
    "复核",
    "清除标记",
    "新建自评表",
    "新建评分表",
    "插入指标行",
    "定稿导出",
    "帮助",
)

FAKE_UDFS = '''
import xlwings as xw


@xw.func(category="绩效评价")
@xw.arg("executed", doc="全年执行数")
@xw.arg("budget", doc="全年预算数")
def EXEC_RATE(executed, budget):
    """预算执行率（%）"""
    return 1


@xw.func(category="绩效评价")
@xw.arg("target", doc="年度指标值")
def PERF_SCORE(target, actual, weight, direction=None):
    """指标得分"""
    return 0


@xw.func(category="绩效评价")
def PERF_TOTAL(*ranges):
    """总分"""
    return 0


def helper(x):
    return x
'''


# --------------------------------------------------------------------------
# fixtures: one build with the real udfs package, one with a small fake one
# --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def fake_path(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("fakeudfs")
    (root / "fake_udfs").mkdir()
    (root / "fake_udfs" / "__init__.py").write_text(FAKE_UDFS, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def fake_build(tmp_path_factory, fake_path):
    out = tmp_path_factory.mktemp("fake") / "perfkit.xlam"
    result = addin.build(
        out,
        udf_module="fake_udfs",
        extra_path=[fake_path],
        interpreter=r"C:\Python311\pythonw.exe",
        pythonpath=r"D:\perfkit",
    )
    return out, result


@pytest.fixture(scope="module")
def real_build(tmp_path_factory):
    out = tmp_path_factory.mktemp("real") / "perfkit.xlam"
    return out, addin.build(out)


def olevba_modules(path: Path) -> dict[str, str]:
    """Module name -> source as olevba reads it back (CRLF -> LF)."""
    from oletools.olevba import VBA_Parser

    parser = VBA_Parser(str(path))
    try:
        return {
            Path(name).stem: code.replace("\r\n", "\n")
            for _f, _s, name, code in parser.extract_macros()
        }
    finally:
        parser.close()


def without_attributes(code: str) -> list[str]:
    """Source lines without the VBE header/attribute lines, trailing blanks dropped."""
    header = ("VERSION 1.0 CLASS", "BEGIN", "  MultiUse", "END", "Attribute VB_")
    lines = [line for line in code.split("\n") if not line.startswith(header)]
    while lines and not lines[-1].strip():
        lines.pop()
    return lines


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if UPDATE or not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="ascii", newline="\n")
        if not UPDATE:
            pytest.fail(f"golden file {path} was missing and has been written: review and commit")
    assert text == path.read_text(encoding="ascii"), f"{name} differs from its golden file"


# --------------------------------------------------------------------------
# the package: parts, content types, relationships
# --------------------------------------------------------------------------


def test_zip_parts_content_types_and_relationships(fake_build):
    out, _ = fake_build
    with zipfile.ZipFile(out) as zf:
        names = zf.namelist()
        assert names[0] == "[Content_Types].xml"
        assert set(names) == {
            "[Content_Types].xml",
            "_rels/.rels",
            "docProps/core.xml",
            "docProps/app.xml",
            "customUI/customUI14.xml",
            "xl/workbook.xml",
            "xl/_rels/workbook.xml.rels",
            "xl/worksheets/sheet1.xml",
            "xl/styles.xml",
            "xl/vbaProject.bin",
        }
        assert all(i.date_time == addin.ZIP_DATE for i in zf.infolist())
        types = ET.fromstring(zf.read("[Content_Types].xml"))
        defaults = {d.get("Extension"): d.get("ContentType") for d in types.iter(f"{CT_NS}Default")}
        overrides = {
            o.get("PartName"): o.get("ContentType") for o in types.iter(f"{CT_NS}Override")
        }
        assert (
            overrides["/xl/workbook.xml"] == "application/vnd.ms-excel.addin.macroEnabled.main+xml"
        )
        assert overrides["/xl/vbaProject.bin"] == "application/vnd.ms-office.vbaProject"
        for name in names:
            if name != "[Content_Types].xml":
                ext = name.rsplit(".", 1)[-1]
                assert f"/{name}" in overrides or ext in defaults, f"no content type for {name}"

        root_rels = {r.get("Type"): r.get("Target") for r in ET.fromstring(zf.read("_rels/.rels"))}
        assert root_rels[addin.REL_CUSTOMUI] == "customUI/customUI14.xml"
        assert root_rels[addin.REL_OFFICE_DOCUMENT] == "xl/workbook.xml"
        for target in root_rels.values():
            assert target in names
        wb_rels = {
            r.get("Type"): r.get("Target")
            for r in ET.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
        }
        assert wb_rels[addin.REL_VBA] == "vbaProject.bin"
        for target in wb_rels.values():
            assert f"xl/{target}" in names
        workbook = zf.read("xl/workbook.xml").decode()
        assert 'codeName="ThisWorkbook"' in workbook
        assert f'name="{addin.CONF_SHEET}"' in workbook
        assert 'codeName="Sheet1"' in zf.read("xl/worksheets/sheet1.xml").decode()


def test_conf_sheet_names_udf_module_interpreter_and_pythonpath(fake_build):
    out, result = fake_build
    assert result.conf == [
        ("Interpreter_Win", r"C:\Python311\pythonw.exe"),
        ("PYTHONPATH", r"D:\perfkit"),
        ("UDF Modules", "fake_udfs"),
    ]
    with zipfile.ZipFile(out) as zf:
        sheet = ET.fromstring(zf.read("xl/worksheets/sheet1.xml"))
    ns = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    rows = [[t.text for t in row.iter(f"{ns}t")] for row in sheet.iter(f"{ns}row")]
    assert rows == [list(pair) for pair in result.conf]
    # the runtime looks for the sheet "<PROJECT_NAME>.conf"
    runtime = next(m.code for m in result.modules if m.name == addin.RUNTIME_MODULE)
    assert 'Public Const PROJECT_NAME As String = "perfkit"' in runtime
    assert addin.CONF_SHEET == "perfkit.conf"


def test_build_is_deterministic(fake_build, fake_path, tmp_path):
    out, _ = fake_build
    again = tmp_path / "again.xlam"
    addin.build(
        again,
        udf_module="fake_udfs",
        extra_path=[fake_path],
        interpreter=r"C:\Python311\pythonw.exe",
        pythonpath=r"D:\perfkit",
    )
    assert again.read_bytes() == out.read_bytes()


def test_container_does_not_depend_on_hash_seed(fake_build, tmp_path):
    out, _ = fake_build
    vba = tmp_path / "vbaProject.bin"
    with zipfile.ZipFile(out) as zf:
        vba.write_bytes(zf.read("xl/vbaProject.bin"))
    code = (
        "import sys; from perfkit.addin import repack_cfb; "
        "sys.stdout.buffer.write(repack_cfb(open(sys.argv[1], 'rb').read()))"
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-c", code, str(vba)],
            capture_output=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout
        for seed in ("1", "2", "3")
    }
    assert outputs == {vba.read_bytes()}


def test_refuses_other_suffix(tmp_path):
    with pytest.raises(addin.PerfkitError):
        addin.build(tmp_path / "perfkit.xlsx")


def test_refuses_missing_or_empty_udf_package(tmp_path, fake_path):
    with pytest.raises(addin.PerfkitError, match="找不到"):
        addin.generate_udf_vba("no_such_udfs_package")
    (tmp_path / "empty_udfs").mkdir()
    (tmp_path / "empty_udfs" / "__init__.py").write_text("X = 1\n")
    with pytest.raises(addin.PerfkitError, match=r"没有带 @xw\.func"):
        addin.generate_udf_vba("empty_udfs", extra_path=[tmp_path])


# --------------------------------------------------------------------------
# ribbon
# --------------------------------------------------------------------------


def test_customui_tab_buttons_and_callbacks(fake_build):
    out, _ = fake_build
    with zipfile.ZipFile(out) as zf:
        ui = ET.fromstring(zf.read("customUI/customUI14.xml"))
    assert ui.tag == f"{UI_NS}customUI"
    tabs = list(ui.iter(f"{UI_NS}tab"))
    assert [t.get("label") for t in tabs] == ["绩效评价"]
    buttons = list(ui.iter(f"{UI_NS}button"))
    assert {b.get("label") for b in buttons} == set(BUTTONS)
    ribbon = olevba_modules(out)[addin.RIBBON_MODULE]
    for button in buttons:
        assert button.get("imageMso") and button.get("screentip") and button.get("supertip")
        module, sub = button.get("onAction").split(".")
        assert module == addin.RIBBON_MODULE
        body = re.search(
            rf"^Public Sub {sub}\(control As IRibbonControl\)\n(.*?)^End Sub",
            ribbon,
            re.M | re.S,
        )
        assert body, f"no Sub {sub}(control As IRibbonControl) for {button.get('label')}"
        calls = re.findall(r'RunPython "import macros; macros\.(\w+)\(\)"', body.group(1))
        assert calls == [BUTTONS[button.get("label")]], button.get("label")


def test_ribbon_targets_exist_in_macros():
    from macros import ribbon

    for name in ("new_selfeval", "new_evaltable", "freeze", "show_help"):
        assert callable(getattr(ribbon, name))
    validation = Path(__file__).parents[1] / "macros" / "validation.py"
    if validation.exists():
        text = validation.read_text(encoding="utf-8")
        assert "def validate(" in text and "def clear(" in text


def test_ribbon_chinese_text_via_chrw():
    source = addin.read_source("PerfkitRibbon.bas")
    assert source.isascii()

    def decode(function: str) -> str:
        body = re.search(rf"Function {function}\(\) As String\n(.*?)End Function", source, re.S)
        text = ""
        for line in body.group(1).splitlines():
            m = re.match(r"\s+s = (?:s & )?(.*)$", line)
            if not m:
                continue
            for piece in m.group(1).split(" & "):
                if piece.startswith("ChrW(&H"):
                    text += chr(int(piece[7:-1], 16))
                elif piece == "vbLf":
                    text += "\n"
                else:
                    text += piece.strip('"')
        return text

    assert decode("TitleText") == "绩效评价"
    assert decode("NoWorkbookText") == "请先打开要处理的自评表或评分表，再点此按钮。"
    assert decode("HelpText").startswith("绩效评价加载项\n\n校验：")


# --------------------------------------------------------------------------
# VBA read back by olevba
# --------------------------------------------------------------------------


def test_olevba_reads_back_our_sources(fake_build):
    out, result = fake_build
    read = olevba_modules(out)
    assert set(read) == {m.name for m in result.modules}
    for module in result.modules:
        assert without_attributes(read[module.name]) == without_attributes(module.code), module.name
    for name in ("ThisWorkbook.cls", "Sheet1.cls", "PerfkitRibbon.bas"):
        source = addin.read_source(name)
        assert without_attributes(read[Path(name).stem]) == without_attributes(source)


def test_runtime_is_the_installed_xlwings_file(fake_build):
    out, result = fake_build
    installed = addin.xlwings_runtime_file().read_text(encoding="ascii").replace("\r\n", "\n")
    ours = olevba_modules(out)[addin.RUNTIME_MODULE]
    diff = [
        (a, b)
        for a, b in zip(without_attributes(installed), without_attributes(ours), strict=True)
        if a != b
    ]
    assert diff == [
        (
            'Public Const PROJECT_NAME As String = "myaddin"',
            'Public Const PROJECT_NAME As String = "perfkit"',
        )
    ]
    import xlwings

    assert result.xlwings_version == xlwings.__version__


def test_fake_udf_wrappers_golden(fake_build):
    _, result = fake_build
    modules = {m.name: m.code for m in result.modules}
    assert [u.name for u in result.udfs] == ["EXEC_RATE", "PERF_SCORE", "PERF_TOTAL"]
    check_golden("fake_PerfkitUdfs.bas", modules[addin.UDF_WRAPPER_MODULE])
    check_golden("fake_PerfkitUdfInfo.bas", modules[addin.UDF_INFO_MODULE])
    assert (
        "Function PERF_SCORE(target, actual, weight, Optional direction)"
        in modules[addin.UDF_WRAPPER_MODULE]
    )
    assert "Function PERF_TOTAL(ParamArray ranges())" in modules[addin.UDF_WRAPPER_MODULE]
    assert "helper" not in modules[addin.UDF_WRAPPER_MODULE]


def _vba_signature(fn) -> str:
    parts = []
    for p in inspect.signature(fn).parameters.values():
        if p.kind is p.VAR_POSITIONAL:
            parts.append(f"ParamArray {p.name}()")
        elif p.default is not p.empty:
            parts.append(f"Optional {p.name}")
        else:
            parts.append(p.name)
    return ", ".join(parts)


def test_every_udf_has_a_wrapper_with_its_arguments(real_build):
    import udfs

    out, result = real_build
    expected = {
        name: _vba_signature(fn)
        for name, fn in vars(udfs).items()
        if inspect.isfunction(fn) and fn.__module__ == "udfs" and name.isupper()
    }
    assert expected, "udfs defines no functions"
    read = olevba_modules(out)[addin.UDF_WRAPPER_MODULE]
    found = dict(re.findall(r"^Function (\w+)\((.*)\)$", read, re.M))
    assert found == expected
    for name in expected:
        assert f'XLPy.CallUDF("udfs", "{name}", ' in read
    info = {u.name: u for u in result.udfs}
    assert set(info) == set(expected)
    assert all(u.category == "绩效评价" for u in info.values())
    assert [u.name for u in result.udfs] == sorted(expected)


def test_real_udf_modules_golden(real_build):
    _, result = real_build
    modules = {m.name: m.code for m in result.modules}
    check_golden("PerfkitUdfs.bas", modules[addin.UDF_WRAPPER_MODULE])
    check_golden("PerfkitUdfInfo.bas", modules[addin.UDF_INFO_MODULE])


# --------------------------------------------------------------------------
# VBA compression and strings
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"a",
        b"Sub A()\r\nEnd Sub\r\n",
        b"' comment line 1\r\n" * 400,  # long copy tokens
        bytes(range(256)) * 20,  # little to compress, several chunks
        b"abc" * 5000,  # overlapping copies across chunks
    ],
)
def test_ovba_compress_round_trip(data):
    from oletools.olevba import decompress_stream

    assert decompress_stream(bytearray(addin.ovba_compress(data))) == data


def test_vba_string():
    assert addin.vba_string("ab") == '"ab"'
    assert addin.vba_string('校"x') == 'ChrW(&H6821) & """x"'
    assert addin.vba_string("") == '""'
    lines = addin.vba_assign("d", "绩效" * 20, per_line=12)
    assert len(lines) == 4 and lines[1].startswith("    d = d & ")


# --------------------------------------------------------------------------
# command line
# --------------------------------------------------------------------------


def _parse(argv):
    from perfkit.commands import addin as command

    parser = argparse.ArgumentParser()
    command.register(parser.add_subparsers(dest="command"))
    return parser.parse_args(argv)


@pytest.mark.skipif(os.name == "nt", reason="the non-Windows branch")
def test_install_elsewhere_builds_and_says_windows_is_needed(
    tmp_path, fake_path, monkeypatch, capsys
):
    out = tmp_path / "perfkit.xlam"
    args = _parse(
        [
            *("addin", "install", "-o", str(out)),
            *("--udf-module", "fake_udfs", "--pythonpath", str(fake_path)),
        ]
    )
    assert args.func(args) == 2
    captured = capsys.readouterr()
    assert out.is_file()
    assert "Windows" in captured.err and str(out.resolve()) in captured.err
    assert "已生成加载项" in captured.out


def test_addin_without_action_is_usage_error(capsys):
    args = _parse(["addin"])
    assert args.func(args) == 2


# --------------------------------------------------------------------------
# ribbon macros with a stand-in for Excel
# --------------------------------------------------------------------------


class FakeApp:
    def __init__(self):
        self.books = self
        self.opened: list[str] = []
        self.alerts: list[str] = []
        self.status_bar = ""

    def open(self, path):
        self.opened.append(path)

    def alert(self, message, title=""):
        self.alerts.append(message)


class FakeBook:
    def __init__(self, fullname="Book1", name="Book1"):
        self.app = FakeApp()
        self.fullname = fullname
        self.name = name
        self.saved = 0

    def save(self):
        self.saved += 1


def test_new_forms_and_freeze(tmp_path, monkeypatch):
    from macros import ribbon
    from perfkit.writers import template as templates

    monkeypatch.setenv("PERFKIT_FORMS_DIR", str(tmp_path / "forms"))
    book = FakeBook()
    first = ribbon.new_selfeval(book)
    second = ribbon.new_selfeval(book)
    table = ribbon.new_evaltable(book)
    assert first != second and first.name.startswith("项目支出绩效自评表_")
    assert table.name.startswith("绩效评价指标体系评分表_")
    assert book.app.opened == [str(first), str(second), str(table)]
    assert first.read_bytes() == templates.build_bytes("selfeval")

    assert ribbon.freeze(FakeBook()) is None  # never saved: tells the user to save first

    saved = FakeBook(fullname=str(first), name=first.name)
    frozen = ribbon.freeze(saved)
    assert frozen == first.with_name(f"{first.stem}_定稿.xlsx") and frozen.is_file()
    assert saved.saved == 1 and saved.app.opened == [str(frozen)]
    assert first.read_bytes() == templates.build_bytes("selfeval")  # source untouched


def test_show_help_lists_buttons_and_functions():
    from macros import ribbon

    book = FakeBook()
    text = ribbon.show_help(book)
    for label in HELP_BUTTONS:
        assert label in text
    assert "PERF_SCORE" in text and book.app.alerts == [text]


# --------------------------------------------------------------------------
# LibreOffice opens the add-in (filter forced) and lists its VBA modules
# --------------------------------------------------------------------------

UNO_PROBE = textwrap.dedent(
    """
    import json, os, sys, time
    import uno
    from com.sun.star.beans import PropertyValue

    def prop(name, value):
        p = PropertyValue()
        p.Name, p.Value = name, value
        return p

    port, path = sys.argv[1], sys.argv[2]
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local)
    deadline = time.time() + 45
    while True:
        try:
            ctx = resolver.resolve(
                "uno:socket,host=127.0.0.1,port=%s;urp;StarOffice.ComponentContext" % port)
            break
        except Exception:
            if time.time() > deadline:
                raise
            time.sleep(0.3)
    desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
    doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(path), "_blank", 0, (
        prop("FilterName", "Calc MS Excel 2007 XML"), prop("Hidden", True), prop("ReadOnly", True)))
    out = {"libraries": {}, "sheets": list(doc.Sheets.getElementNames())}
    for name in doc.BasicLibraries.getElementNames():
        lib = doc.BasicLibraries.getByName(name)
        out["libraries"][name] = {m: lib.getByName(m) for m in lib.getElementNames()}
    doc.close(True)
    print(json.dumps(out))
    sys.stdout.flush()
    # leave without tearing the UNO bridge down: pyuno may crash (SIGSEGV) in
    # its exit handlers while the office is still there, after all is printed
    os._exit(0)
    """
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.libreoffice
def test_libreoffice_opens_addin_and_lists_modules(fake_build, tmp_path):
    soffice = shutil.which("soffice")
    system_python = "/usr/bin/python3"
    if not soffice or not Path(system_python).exists():
        pytest.skip("LibreOffice or the system Python is missing")
    if subprocess.run([system_python, "-c", "import uno"], capture_output=True).returncode:
        pytest.skip("python3-uno is missing")
    out, result = fake_build
    probe = tmp_path / "probe.py"
    probe.write_text(UNO_PROBE, encoding="utf-8")
    port = _free_port()
    office = subprocess.Popen(
        [
            soffice,
            "--headless",
            "--invisible",
            "--nologo",
            "--norestore",
            "--nodefault",
            f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
            f"--accept=socket,host=127.0.0.1,port={port};urp;",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        proc = subprocess.run(
            [system_python, str(probe), str(port), str(out)],
            capture_output=True,
            timeout=60,
            text=True,
        )
    finally:
        office.terminate()
        try:
            office.wait(timeout=10)
        except subprocess.TimeoutExpired:
            office.kill()
            office.wait(timeout=10)
        time.sleep(0.2)
    assert proc.returncode == 0, proc.stderr[-2000:]
    data = json.loads(proc.stdout.strip().splitlines()[-1])
    assert data["sheets"] == [addin.CONF_SHEET]
    modules = data["libraries"]["VBAProject"]
    assert set(modules) == {m.name for m in result.modules}
    # LibreOffice prefixes two lines of its own; the rest is our code, complete.
    for module in result.modules:
        code = modules[module.name].split("\n", 2)[2]
        assert without_attributes(code) == without_attributes(module.code), module.name
