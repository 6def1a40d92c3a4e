"""The add-in as Excel writes one (issue 12.17) and its xlwings version check
(issue 12.18).  The reference is Excel itself: xlwings ships add-ins saved by
Excel (``quickstart_addin_ribbon.xlam``), whose VBA project is read here the
same way as ours."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest

from perfkit import addin
from tests.test_addin import check_golden, olevba_modules

UI_NS = "{http://schemas.microsoft.com/office/2009/07/customui}"
# imageMso ids this ribbon uses, each an Excel control id.
EXCEL_IMAGES = {
    "DataValidation",
    "ReviewAcceptChange",
    "ClearFormats",
    "FileNew",
    "TableInsertExcel",
    "TableRowsInsertAboveExcel",
    "Lock",
    "Help",
}


def excel_made() -> Path:
    path = addin._package_dir("xlwings") / "quickstart_addin_ribbon.xlam"
    if not path.is_file():
        pytest.skip("this xlwings ships no Excel-made add-in to compare with")
    return path


def vba_streams(path: Path) -> dict[str, bytes]:
    import olefile

    with zipfile.ZipFile(path) as zf:
        data = zf.read("xl/vbaProject.bin")
    ole = olefile.OleFileIO(data)
    try:
        return {"/".join(p): ole.openstream(p).read() for p in ole.listdir(streams=True)}
    finally:
        ole.close()


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("addin") / "perfkit.xlam"
    return out, addin.build(out)


# --------------------------------------------------------------------------
# 12.17 attribute lines, PROJECTwm, VersionCompatible32, [Workspace]
# --------------------------------------------------------------------------


def _attribute_keys(code: str) -> list[str]:
    return re.findall(r"^Attribute (VB_\w+) = ", code, re.M)


def test_document_modules_have_their_attributes_where_excel_writes_them(built):
    out, _ = built
    ours = olevba_modules(out)
    excel = olevba_modules(excel_made())
    reference = _attribute_keys(excel["ThisWorkbook"])
    assert reference[-2:] == ["VB_TemplateDerived", "VB_Customizable"]
    for name in ("ThisWorkbook", addin.CONF_SHEET_CODENAME):
        code = ours[name]
        assert _attribute_keys(code) == reference, name
        lines = code.split("\n")
        first_code = next(i for i, line in enumerate(lines) if not line.startswith("Attribute "))
        assert not any(line.startswith("Attribute ") for line in lines[first_code:]), name
    assert 'Attribute VB_Base = "0{00020819-0000-0000-C000-000000000046}"' in ours["ThisWorkbook"]


def test_nothing_but_comments_after_the_last_procedure(built):
    out, _ = built
    for name, code in olevba_modules(out).items():
        lines = [line.strip() for line in code.split("\n")]
        ends = [
            i for i, line in enumerate(lines) if re.match(r"End (Sub|Function|Property)$", line)
        ]
        if not ends:
            continue
        after = [line for line in lines[ends[-1] + 1 :] if line and not line.startswith(("'", "#"))]
        assert after == [], (name, after)


def _project_shape(text: str) -> list[str]:
    """The PROJECT stream with module names, ids and hex values abstracted."""
    shape = []
    for line in text.split("\r\n"):
        key = line.split("=", 1)[0]
        if key in ("Document", "Module", "Class"):
            key = "<module>"
        elif "=" in line and not line.startswith(("&H", "Name", "ID")) and ", " in line:
            key = "<workspace>"
        if not shape or shape[-1] != key or key not in ("<module>", "<workspace>"):
            shape.append(key)
    return shape


def test_project_stream_as_excel_writes_it(built):
    out, result = built
    ours = vba_streams(out)["PROJECT"].decode("cp1252")
    excel = vba_streams(excel_made())["PROJECT"].decode("cp1252")
    assert _project_shape(ours) == _project_shape(excel)
    assert 'HelpContextID="0"\r\nVersionCompatible32="393222000"\r\nCMG=' in ours
    assert ours.endswith("\r\n\r\n") and excel.endswith("\r\n\r\n")
    workspace = ours.split("[Workspace]\r\n", 1)[1].strip().split("\r\n")
    assert [line.split("=")[0] for line in workspace] == [m.name for m in result.modules]
    assert all(line.endswith("=0, 0, 0, 0, C") for line in workspace)


def _projectwm_names(data: bytes) -> list[str]:
    names, at = [], 0
    while data[at : at + 2] != b"\0\0":
        end = data.index(b"\0", at)
        mbcs = data[at:end].decode("cp1252")
        at = end + 1
        end = at
        while data[end : end + 2] != b"\0\0":
            end += 2
        assert data[at:end].decode("utf-16-le") == mbcs
        names.append(mbcs)
        at = end + 2
    assert at + 2 == len(data)
    return names


def test_projectwm_stream_names_every_module(built):
    out, result = built
    streams = vba_streams(out)
    assert "PROJECTwm" in streams and "PROJECTwm" in vba_streams(excel_made())
    assert _projectwm_names(streams["PROJECTwm"]) == [m.name for m in result.modules]
    _projectwm_names(vba_streams(excel_made())["PROJECTwm"])  # the same layout parses


def test_doc_module_source_moves_the_attributes_up():
    code = addin.read_source("ThisWorkbook.cls")
    text = addin.doc_module_source(code, [addin.WORKBOOK_CLASS])
    assert text.startswith('Attribute VB_Name = "ThisWorkbook"\nAttribute VB_Base = "0{')
    assert "VERSION 1.0 CLASS" not in text
    head, body = text.split("Attribute VB_Customizable = True\n", 1)
    assert "Attribute VB_Exposed = True\nAttribute VB_TemplateDerived = False\n" in head
    assert "Attribute" not in body and body.startswith("Option Explicit")


def test_ribbon_uses_excel_icons_and_has_the_new_buttons(built):
    out, _ = built
    with zipfile.ZipFile(out) as zf:
        ui = ET.fromstring(zf.read("customUI/customUI14.xml"))
    buttons = {b.get("label"): b for b in ui.iter(f"{UI_NS}button")}
    assert {b.get("imageMso") for b in buttons.values()} <= EXCEL_IMAGES
    assert "TableInsert" not in {b.get("imageMso") for b in buttons.values()}
    assert buttons["插入指标行"].get("onAction") == "PerfkitRibbon.OnInsertRow"
    assert buttons["复核"].get("onAction") == "PerfkitRibbon.OnReview"
    ids = [b.get("id") for b in ui.iter(f"{UI_NS}button")]
    assert len(ids) == len(set(ids))


# --------------------------------------------------------------------------
# 12.18 the xlwings version check
# --------------------------------------------------------------------------


def test_version_helpers():
    assert addin.version_from_dist_info("xlwings-0.37.8.dist-info") == "0.37.8"
    assert addin.version_from_dist_info("xlwings-0.30.10.dist-info") == "0.30.10"
    assert addin.version_from_dist_info("xlwings_reports-1.0.dist-info") is None
    assert addin.version_from_dll("xlwings64-0.37.8.dll") == "0.37.8"
    assert addin.version_from_dll("xlwings32-0.36.0.dll") == "0.36.0"
    assert addin.version_from_dll("python311.dll") is None
    assert addin.python_exe(r"C:\Py\pythonw.exe") == r"C:\Py\python.exe"
    assert addin.python_exe("pythonw") == "python"
    assert addin.pip_command("0.37.8", r"C:\venv\Scripts\pythonw.exe") == (
        r'"C:\venv\Scripts\python.exe" -m pip install xlwings==0.37.8'
    )
    assert addin.pip_command("0.37.8") == "pip install xlwings==0.37.8"


def test_mismatch_message_names_both_versions_and_the_command():
    text = addin.xlwings_mismatch_message("0.37.8", "0.36.1", r"C:\Py\pythonw.exe")
    assert "0.37.8" in text and "0.36.1" in text and r"C:\Py\pythonw.exe" in text
    assert text.rstrip().endswith(r'"C:\Py\python.exe" -m pip install xlwings==0.37.8')
    assert "pip install xlwings==0.37.8" in addin.xlwings_mismatch_message("0.37.8", "0.30.0")
    none = addin.xlwings_mismatch_message("0.37.8", addin.NOT_INSTALLED, "pythonw")
    assert "没有安装 xlwings" in none and none.endswith("pip install xlwings==0.37.8")
    assert addin.xlwings_mismatch_message("0.37.8", "0.37.8") is None
    assert addin.xlwings_mismatch_message("0.37.8", "") is None  # unknown: xlwings reports


# A small evaluator for the VBA that builds the message: assignments of
# "&"-joined literals, ChrW, vbLf, Chr(34), variables and PythonExe(...), and
# If/Else on the three conditions the function uses.
_TOKEN = re.compile(r'"(?:[^"]|"")*"|ChrW\(&H[0-9A-F]{4}\)|Chr\(34\)|PythonExe\(\w+\)|\w+')


def _eval(expr: str, env: dict) -> str:
    out = ""
    for tok in _TOKEN.findall(expr):
        if tok.startswith('"'):
            out += tok[1:-1].replace('""', '"')
        elif tok.startswith("ChrW"):
            out += chr(int(tok[7:-1], 16))
        elif tok == "Chr(34)":
            out += '"'
        elif tok == "vbLf":
            out += "\n"
        elif tok.startswith("PythonExe("):
            out += env["PythonExe"](env[tok[10:-1]])
        else:
            out += env[tok]
    return out


def _cond(text: str, env: dict) -> bool:
    if m := re.fullmatch(r'(\w+) = ""', text):
        return env[m.group(1)] == ""
    if m := re.fullmatch(r"(\w+) = NOT_INSTALLED", text):
        return env[m.group(1)] == addin.NOT_INSTALLED
    if m := re.fullmatch(r'InStr\((\w+), "\\"\) > 0', text):
        return "\\" in env[m.group(1)]
    raise AssertionError(f"unknown condition {text}")


def _run_function(code: str, name: str, env: dict) -> str:
    body = re.search(rf"Function {name}\((.*?)\) As String\n(.*?)\nEnd Function", code, re.S)
    assert body, name
    stack: list[bool] = []
    for raw in body.group(2).split("\n"):
        line = raw.strip()
        if not line or line.startswith(("'", "Dim ")):
            continue
        if m := re.fullmatch(r"If (.*) Then", line):
            stack.append(_cond(m.group(1), env))
            continue
        if line == "Else":
            stack[-1] = not stack[-1]
            continue
        if line == "End If":
            stack.pop()
            continue
        if not all(stack):
            continue
        var, expr = (part.strip() for part in line.split("=", 1))
        if expr.startswith(var + " & "):
            env[var] = env.get(var, "") + _eval(expr[len(var) + 3 :], env)
        else:
            env[var] = _eval(expr, env)
    return env[name]


@pytest.mark.parametrize(
    "installed, interp",
    [
        ("0.36.1", r"C:\Users\张三\AppData\Local\Programs\Python\Python311\pythonw.exe"),
        ("0.30.0", ""),
        ("none", "pythonw"),
        ("0.38.0", r"D:\venv\Scripts\python.exe"),
    ],
)
def test_the_vba_message_is_the_python_message(installed, interp):
    code = addin.version_check_module()
    env = {"pinned": "0.37.8", "installed": installed, "interp": interp}
    env["PythonExe"] = addin.python_exe
    assert _run_function(code, "MismatchText", env) == addin.xlwings_mismatch_message(
        "0.37.8", installed, interp
    )


def test_the_vba_helpers_mirror_the_python_ones():
    code = addin.version_check_module()
    assert code.isascii()
    # Mid(name, 9, Len(name) - 18): "xlwings-" is 8 characters, ".dist-info" 10
    assert 'Like "xlwings-*.dist-info"' in code and "Mid(name, 9, Len(name) - 18)" in code
    name = "xlwings-0.37.8.dist-info"
    assert name[8 : 8 + len(name) - 18] == addin.version_from_dist_info(name)
    dll = "xlwings64-0.37.8.dll"
    assert "Mid(name, 11, Len(name) - 14)" in code
    assert dll[10 : 10 + len(dll) - 14] == addin.version_from_dll(dll)
    # the places looked at: site-packages beside the interpreter and one folder up
    assert code.count("ParentFolder(") == 2 and "For i = 1 To 2" in code
    assert "\\Lib\\site-packages\\xlwings-*.dist-info" in code
    assert "proc.Terminate" in code and "EXEC_TIMEOUT As Single = 8" in code
    title = re.search(r"Function TitleText\(\) As String\n(.*?)\nEnd Function", code, re.S)
    env: dict = {}
    assert _run_function(code, "TitleText", env) == addin.VERSION_TITLE and title


def test_every_button_that_runs_python_checks_the_version_first(built):
    out, result = built
    ribbon = olevba_modules(out)[addin.RIBBON_MODULE]
    subs = re.findall(
        r"^Public Sub (On\w+)\(control As IRibbonControl\)\n(.*?)^End Sub", ribbon, re.M | re.S
    )
    assert len(subs) == 8
    for name, body in subs:
        check = body.find("PerfkitVersion.XlwingsOk()")
        run = re.search(r"^\s+RunPython ", body, re.M).start()
        assert 0 <= check < run, name
    this = olevba_modules(out)["ThisWorkbook"]
    assert "PerfkitVersion.CheckAtOpen" in this.split("Sub Workbook_Open()", 1)[1]
    modules = {m.name: m.code for m in result.modules}
    assert addin.VERSION_MODULE in modules
    runtime = modules[addin.RUNTIME_MODULE]
    pinned = re.search(r'XLWINGS_VERSION As String = "([^"]+)"', runtime).group(1)
    assert pinned == result.xlwings_version
    # the names the check calls exist in the runtime
    for function in ("GetConfig", "ParentFolder"):
        assert re.search(rf"^(Public )?Function {function}\(", runtime, re.M), function


def test_version_module_golden(built):
    _, result = built
    modules = {m.name: m.code for m in result.modules}
    check_golden("PerfkitVersion.bas", modules[addin.VERSION_MODULE])
