"""Building ``perfkit.xlam``: the 绩效评价 ribbon add-in, from source.

The add-in is an Office Open XML zip assembled here part by part:

- ``customUI/customUI14.xml`` (the ribbon, from ``macros/addin/``) with its
  relationship in ``_rels/.rels``;
- ``xl/vbaProject.bin`` compiled with ms-ovba from ASCII VBA source:
  the ribbon callbacks (``macros/addin/PerfkitRibbon.bas``), ``ThisWorkbook``
  and the configuration sheet's document module (``macros/addin/*.cls``),
  the xlwings VBA runtime copied at build time from the *installed* xlwings
  package (``xlwings_custom_addin.bas``, PROJECT_NAME set to ``perfkit``),
  the UDF wrappers made by xlwings' own ``generate_vba_wrapper`` for every
  ``@xw.func`` function of the ``udfs`` package, and a generated module that
  gives the functions their category and argument help in the function wizard;
- one hidden configuration sheet ``perfkit.conf`` that the xlwings runtime
  reads (``UDF Modules`` = ``udfs``, ``Interpreter_Win``, ``PYTHONPATH`` ...).

The output is deterministic: fixed zip timestamps, fixed part order, fixed
VBA project id.  This module never imports xlwings: the UDF wrappers are
generated in a child Python process (see :func:`generate_udf_vba`).
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import random
import subprocess
import sys
import tempfile
import textwrap
import uuid
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

from .errors import InputError, PerfkitError
from .fsutil import write_bytes_atomic

ADDIN_NAME = "perfkit"
"""xlwings ``PROJECT_NAME`` of the add-in: the settings sheet is ``perfkit.conf``
and the per-user settings file ``%USERPROFILE%\\.perfkit\\perfkit.conf``."""

CONF_SHEET = f"{ADDIN_NAME}.conf"
UDF_PACKAGE = "udfs"
RIBBON_MODULE = "PerfkitRibbon"
UDF_WRAPPER_MODULE = "PerfkitUdfs"
UDF_INFO_MODULE = "PerfkitUdfInfo"
RUNTIME_MODULE = "xlwings"
CONF_SHEET_CODENAME = "Sheet1"

CT_ADDIN = "application/vnd.ms-excel.addin.macroEnabled.main+xml"
CT_VBA = "application/vnd.ms-office.vbaProject"
CT_SHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
CT_STYLES = "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"
CT_CORE = "application/vnd.openxmlformats-package.core-properties+xml"
CT_APP = "application/vnd.openxmlformats-officedocument.extended-properties+xml"
CT_RELS = "application/vnd.openxmlformats-package.relationships+xml"

REL_OFFICE_DOCUMENT = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
)
REL_CORE = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"
REL_APP = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties"
REL_CUSTOMUI = "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility"
REL_SHEET = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"
REL_STYLES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles"
REL_VBA = "http://schemas.microsoft.com/office/2006/relationships/vbaProject"

CUSTOMUI_PART = "customUI/customUI14.xml"

# Document-module class GUIDs (MS-OVBA): Excel's Workbook and Worksheet.
WORKBOOK_CLASS = uuid.UUID("00020819-0000-0000-C000-000000000046")
WORKSHEET_CLASS = uuid.UUID("00020820-0000-0000-C000-000000000046")
# Fixed so that two builds give the same bytes.
VBA_PROJECT_ID = "{5C7B3E2A-41D8-4F6B-9E0D-7A1F2C3B4D5E}"
VBA_CRYPTO_SEED = 20200101
ZIP_DATE = (2020, 1, 1, 0, 0, 0)
DOC_DATE = "2020-01-01T00:00:00Z"

# As in every Excel-made project (PROJECT stream), and a closed code window per module.
VERSION_COMPATIBLE32 = "393222000"
WORKSPACE_CLOSED = (0, 0, 0, 0, "C")

RUNTIME_FILE = "xlwings_custom_addin.bas"
RUNTIME_PROJECT_LINE = 'Public Const PROJECT_NAME As String = "myaddin"'


@dataclass(frozen=True)
class VbaModule:
    """One VBA module as source text ("\\n" line ends, ASCII)."""

    name: str
    kind: str  # "std" (.bas) or "doc" (.cls, a workbook/sheet document module)
    code: str
    guid: uuid.UUID | None = None  # document modules: the host class


@dataclass(frozen=True)
class UdfInfo:
    """What the function wizard shows for one UDF (from its ``__xlfunc__``)."""

    name: str
    category: str | int
    doc: str
    args: tuple[tuple[str, str], ...]  # (name, doc), without "caller"-style vba args
    optional: tuple[str, ...] = ()
    vararg: str | None = None


@dataclass
class AddinParts:
    """Everything that goes into the zip, plus what tests and docs want to know."""

    parts: dict[str, bytes]
    modules: list[VbaModule]
    udfs: list[UdfInfo]
    conf: list[tuple[str, str]]
    xlwings_version: str
    notes: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------
# Sources
# --------------------------------------------------------------------------


def _package_dir(name: str) -> Path:
    """Directory of a top-level package, found without importing it."""
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise PerfkitError(f"找不到 Python 包 {name}，请先安装（pip install -e .）")
    return Path(next(iter(spec.submodule_search_locations)))


def addin_source_dir() -> Path:
    """``macros/addin``: customUI14.xml and the hand-written VBA sources."""
    return _package_dir("macros") / "addin"


def xlwings_runtime_file() -> Path:
    """The custom-add-in VBA runtime shipped inside the installed xlwings package."""
    path = _package_dir("xlwings") / RUNTIME_FILE
    if not path.is_file():
        raise PerfkitError(f"已安装的 xlwings 中没有 {RUNTIME_FILE}：{path}")
    return path


def xlwings_runtime_source(project_name: str = ADDIN_NAME) -> tuple[str, str]:
    """(VBA source, xlwings version) of the runtime, PROJECT_NAME set to ours."""
    text = xlwings_runtime_file().read_text(encoding="ascii").replace("\r\n", "\n")
    if text.count(RUNTIME_PROJECT_LINE) != 1:
        raise PerfkitError(f"xlwings 运行库格式已变化，找不到：{RUNTIME_PROJECT_LINE}")
    text = text.replace(
        RUNTIME_PROJECT_LINE, f'Public Const PROJECT_NAME As String = "{project_name}"'
    )
    version = ""
    for line in text.splitlines()[:5]:
        if line.startswith("'Version:"):
            version = line.split(":", 1)[1].strip()
    return text, version


def input_files(udf_module: str = UDF_PACKAGE, extra_path: Sequence[str | os.PathLike] = ()):
    """Every file the build reads: the add-in sources, the installed xlwings
    runtime and the UDF package's modules (an output must be none of them)."""
    files = [p for p in addin_source_dir().iterdir() if p.is_file()]
    with contextlib.suppress(PerfkitError):
        files.append(xlwings_runtime_file())
    roots = [Path(p) / udf_module for p in extra_path]
    with contextlib.suppress(PerfkitError):
        roots.append(_package_dir(udf_module))
    for root in roots:
        if root.is_dir():
            files += [p for p in root.rglob("*.py") if p.is_file()]
    return files


def read_source(name: str) -> str:
    """A file of ``macros/addin`` as text with "\\n" line ends; VBA must be ASCII."""
    path = addin_source_dir() / name
    raw = path.read_bytes()
    if path.suffix in (".bas", ".cls") and not raw.isascii():
        raise PerfkitError(f"VBA 源文件必须是 ASCII（中文请用 ChrW）：{path}")
    return raw.decode("utf-8").replace("\r\n", "\n")


# --------------------------------------------------------------------------
# VBA text helpers
# --------------------------------------------------------------------------


def vba_string(text: str) -> str:
    """A VBA expression for *text*: ASCII runs quoted, other characters ``ChrW(&Hxxxx)``."""
    pieces: list[str] = []
    run = ""
    for ch in text:
        if 32 <= ord(ch) < 127:
            run += ch
            continue
        if run:
            pieces.append('"' + run.replace('"', '""') + '"')
            run = ""
        if ch == "\n":
            pieces.append("vbLf")
        elif ord(ch) > 0xFFFF:
            pieces.append('"?"')
        else:
            pieces.append(f"ChrW(&H{ord(ch):04X})")
    if run:
        pieces.append('"' + run.replace('"', '""') + '"')
    return " & ".join(pieces) if pieces else '""'


def vba_assign(var: str, text: str, indent: str = "    ", per_line: int = 12) -> list[str]:
    """Lines assigning *text* to *var*, a few pieces per line (VBA lines stay short)."""
    expr = vba_string(text)
    pieces = expr.split(" & ")
    lines = [f"{indent}{var} = {' & '.join(pieces[:per_line])}"]
    for start in range(per_line, len(pieces), per_line):
        lines.append(f"{indent}{var} = {var} & {' & '.join(pieces[start : start + per_line])}")
    return lines


def _first_paragraph(doc: str) -> str:
    text = textwrap.dedent(doc or "").strip()
    para = text.split("\n\n", 1)[0]
    return " ".join(line.strip() for line in para.splitlines())[:255]


# --------------------------------------------------------------------------
# UDF wrappers (xlwings' own generator, run in a child process)
# --------------------------------------------------------------------------

GENERATOR_SCRIPT = "gen_udf_vba.py"  # in macros/addin, run in a child process


def _import_root(module_name: str) -> Path | None:
    """The sys.path folder from which *module_name* (a top-level module or package)
    is imported here.  A stale editable install may report a package as a namespace
    package: then the listed folder that has an ``__init__.py`` is taken."""
    try:
        spec = importlib.util.find_spec(module_name)
    except (ImportError, ValueError):
        return None
    if spec is None or "." in module_name:
        return None
    if spec.origin and Path(spec.origin).is_file():
        origin = Path(spec.origin).resolve()
        return origin.parent.parent if spec.submodule_search_locations else origin.parent
    for location in spec.submodule_search_locations or []:
        if (Path(location) / "__init__.py").is_file():
            return Path(location).resolve().parent
    return None


def generate_udf_vba(
    module_name: str = UDF_PACKAGE,
    *,
    extra_path: Sequence[str | os.PathLike] = (),
    python: str | None = None,
    timeout: float = 120,
) -> tuple[str, list[UdfInfo]]:
    """VBA wrappers for the ``@xw.func`` functions of *module_name*, and their help.

    Runs xlwings' own ``xlwings.udfs.generate_vba_wrapper`` in a child process:
    there the Windows-only modules get stand-ins and ``xw.func``/``xw.arg`` are the
    classic decorators, so the functions carry ``__xlfunc__`` as they do in Excel.
    """
    env = dict(os.environ)
    paths = [str(p) for p in extra_path]
    # The child must import the same package as this process sees (a source
    # checkout is on sys.path here through the working directory, not there).
    if not extra_path:
        root = _import_root(module_name)
        if root is None:
            raise PerfkitError(
                f"找不到 Python 包 {module_name}：请在 perfkit 源码目录中运行，"
                "或重新安装（pip install -e .），或用 --pythonpath 指明它所在的文件夹"
            )
        paths.append(str(root))
    if env.get("PYTHONPATH"):
        paths.append(env["PYTHONPATH"])
    if paths:
        env["PYTHONPATH"] = os.pathsep.join(paths)
    env.pop("XLWINGS_ON_SERVER", None)
    env["PYTHONIOENCODING"] = "utf-8"
    generator = addin_source_dir() / GENERATOR_SCRIPT
    cmd = [python or sys.executable, str(generator), module_name, f"{ADDIN_NAME}.xlam"]
    try:
        with tempfile.TemporaryDirectory(
            prefix="perfkit-udfs-"
        ) as empty:  # nothing stray on sys.path
            proc = subprocess.run(
                cmd, capture_output=True, env=env, timeout=timeout, check=False, cwd=empty
            )
    except subprocess.TimeoutExpired as err:
        raise PerfkitError(f"生成 UDF 包装代码超时（{module_name}）") from err
    if proc.returncode != 0:
        detail = proc.stderr.decode("utf-8", "replace").strip().splitlines()[-5:]
        raise PerfkitError(f"无法从 {module_name} 生成 UDF 包装代码：" + " | ".join(detail))
    data = json.loads(proc.stdout.decode("utf-8"))
    body = data["vba"].replace("\r\n", "\n")
    if not data["functions"]:
        raise PerfkitError(f"{module_name} 中没有带 @xw.func 的函数：加载项将没有评分函数")
    if not body.isascii():
        raise PerfkitError(f"{module_name} 的函数名或参数名必须是 ASCII")
    code = (
        f'Attribute VB_Name = "{UDF_WRAPPER_MODULE}"\n'
        f"'Generated by perfkit addin build with xlwings.udfs.generate_vba_wrapper "
        f"(xlwings {data['xlwings']}) from the {module_name} package - do not edit.\n"
        '#Const App = "Microsoft Excel" \'Adjust when using outside of Excel\n' + body
    )
    infos = [
        UdfInfo(
            name=f["name"],
            category=f["category"],
            doc=_first_paragraph(f["doc"]),
            args=tuple((a, _arg_doc(a, d)) for a, d in f["args"]),
            optional=tuple(f["optional"]),
            vararg=f["vararg"],
        )
        for f in data["functions"]
        if not f["sub"]
    ]
    return code, infos


def _arg_doc(name: str, doc: str) -> str:
    """xlwings' default "Positional argument N" says nothing: show the name instead."""
    doc = _first_paragraph(doc)
    return name if not doc or doc.startswith("Positional argument ") else doc


def udf_info_module(infos: Sequence[UdfInfo]) -> str:
    """``PerfkitUdfInfo``: ``RegisterUdfs`` gives each UDF its category and help text
    (Application.MacroOptions), called from ``ThisWorkbook``'s Workbook_Open."""
    out = [
        f'Attribute VB_Name = "{UDF_INFO_MODULE}"',
        "'Generated by perfkit addin build from the udfs package - do not edit.",
        "'Function wizard: category, description and argument help of every UDF.",
        "Option Explicit",
        "",
        "Public Sub RegisterUdfs()",
        "    On Error Resume Next",
    ]
    out += [f"    Register_{info.name}" for info in infos]
    out += ["End Sub", ""]
    for info in infos:
        out.append(f"Private Sub Register_{info.name}()")
        out.append("    Dim d As String, c As String")
        out += vba_assign("d", info.doc or info.name)
        if isinstance(info.category, int):
            out.append(f'    c = "{info.category}"')
        else:
            out += vba_assign("c", info.category)
        names = []
        for i, (_arg, doc) in enumerate(info.args, start=1):
            out.append(f"    Dim a{i} As String")
            out += vba_assign(f"a{i}", doc or _arg)
            names.append(f"a{i}")
        macro = '"\'" & ThisWorkbook.Name & "\'!' + info.name + '"'
        category = f"CLng({info.category})" if isinstance(info.category, int) else "c"
        call = f"    Application.MacroOptions Macro:={macro}, Description:=d, Category:={category}"
        if names:
            call += f", ArgumentDescriptions:=Array({', '.join(names)})"
        out.append(call)
        out += ["End Sub", ""]
    code = "\n".join(out)
    assert code.isascii()
    return code


# --------------------------------------------------------------------------
# The xlwings version check (PerfkitVersion)
# --------------------------------------------------------------------------

VERSION_MODULE = "PerfkitVersion"
NOT_INSTALLED = "none"
"""What the check finds when the Python that Excel starts has no xlwings at all."""
EXEC_TIMEOUT_SECONDS = 8
# The message, in pieces shared by the Python helper and the generated VBA.
VERSION_TITLE = "绩效评价：xlwings 版本不一致"
WHO = "Excel 使用的 Python"
WHO_PATH = ("Excel 使用的 Python（", "）")
HAVE = "装的是 xlwings "
HAVE_NONE = "没有安装 xlwings"
MESSAGE_HEAD = ("绩效评价加载项是用 xlwings ", " 生成的，但 ")
MESSAGE_TAIL = (
    "。两者必须是同一版本，否则按钮和评分函数都无法运行（xlwings 会报找不到 DLL 之类的错误）。\n\n"
    "请在“命令提示符”中运行下面这一条命令，然后重新启动 Excel：\n\n"
)


def version_from_dist_info(name: str) -> str | None:
    """``xlwings-0.37.8.dist-info`` -> ``0.37.8`` (the folder pip writes into site-packages)."""
    prefix, suffix = "xlwings-", ".dist-info"
    if name.lower().startswith(prefix) and name.lower().endswith(suffix):
        version = name[len(prefix) : -len(suffix)]
        return version or None
    return None


def version_from_dll(name: str) -> str | None:
    """``xlwings64-0.37.8.dll`` -> ``0.37.8`` (the DLL xlwings installs beside python.exe)."""
    for prefix in ("xlwings64-", "xlwings32-"):
        if name.lower().startswith(prefix) and name.lower().endswith(".dll"):
            return name[len(prefix) : -4] or None
    return None


def python_exe(interpreter: str) -> str:
    """The console Python beside *interpreter* (``pythonw.exe`` prints nothing)."""
    if interpreter.lower().endswith("pythonw.exe"):
        return interpreter[: -len("pythonw.exe")] + "python.exe"
    if interpreter.lower() == "pythonw":
        return "python"
    return interpreter


def pip_command(pinned: str, interpreter: str = "") -> str:
    """The one command that installs the add-in's xlwings into the Python Excel uses."""
    if "\\" in interpreter:
        return f'"{python_exe(interpreter)}" -m pip install xlwings=={pinned}'
    return f"pip install xlwings=={pinned}"


def xlwings_mismatch_message(pinned: str, installed: str, interpreter: str = "") -> str | None:
    """The message the add-in shows when the Python that Excel starts has another
    xlwings than the one it was built with (*installed* ``none``: no xlwings);
    None when they agree or the installed version could not be found."""
    if not installed or installed == pinned:
        return None
    who = WHO_PATH[0] + interpreter + WHO_PATH[1] if interpreter else WHO
    have = HAVE_NONE if installed == NOT_INSTALLED else HAVE + installed
    return (
        MESSAGE_HEAD[0]
        + pinned
        + MESSAGE_HEAD[1]
        + who
        + have
        + MESSAGE_TAIL
        + pip_command(pinned, interpreter)
    )


def _vba_append(var: str, text: str, per_line: int = 12) -> list[str]:
    """Lines appending *text* to *var* (``var = var & ...``), a few pieces per line."""
    pieces = vba_string(text).split(" & ")
    return [
        f"    {var} = {var} & {' & '.join(pieces[start : start + per_line])}"
        for start in range(0, len(pieces), per_line)
    ]


def version_check_module() -> str:
    """``PerfkitVersion``: at Workbook_Open and before every RunPython, the
    xlwings version of the Python that Excel starts against the runtime's
    ``XLWINGS_VERSION``; on a difference a Chinese message naming both versions
    and the command that fixes it.  The installed version is read from the
    ``xlwings-X.Y.Z.dist-info`` folder in that Python's site-packages (beside
    the interpreter or one folder up, a virtual environment's Scripts), else
    from the xlwings DLL there, else, not at Excel start, by running that
    Python for at most a few seconds.  Unknown: no message (xlwings reports)."""
    out = [
        f'Attribute VB_Name = "{VERSION_MODULE}"',
        "'Generated by perfkit addin build - do not edit.",
        "'The xlwings runtime of this add-in loads the xlwings DLL of exactly XLWINGS_VERSION",
        "'and talks to the xlwings package of the Python that Excel starts: both must match.",
        "Option Explicit",
        "",
        f"Private Const EXEC_TIMEOUT As Single = {EXEC_TIMEOUT_SECONDS}",
        f'Private Const NOT_INSTALLED As String = "{NOT_INSTALLED}"',
        "Private askedFor As String",
        "Private askedVersion As String",
        "",
        "Public Sub CheckAtOpen()",
        "    ' Workbook_Open: folders only, no process started (Excel starts as fast as before).",
        "    Dim ok As Boolean",
        "    On Error Resume Next",
        "    ok = XlwingsOk(False)",
        "End Sub",
        "",
        "Public Function XlwingsOk(Optional ByVal mayRunPython As Boolean = True) As Boolean",
        "    ' True when the versions agree, or when the installed one cannot be found.",
        "    Dim interp As String, installed As String",
        "    On Error Resume Next",
        "    interp = InterpreterPath()",
        "    installed = FolderVersion(interp)",
        '    If installed = "" And mayRunPython Then',
        '        If askedFor <> interp Or askedFor = "" Then',
        "            askedVersion = RunPythonForVersion(interp)",
        "            askedFor = interp",
        "        End If",
        "        installed = askedVersion",
        "    End If",
        "    On Error GoTo 0",
        '    If installed = "" Or installed = XLWINGS_VERSION Then',
        "        XlwingsOk = True",
        "    Else",
        "        MsgBox MismatchText(XLWINGS_VERSION, installed, interp), vbExclamation, TitleText()",
        "        XlwingsOk = False",
        "    End If",
        "End Function",
        "",
        "Private Function InterpreterPath() As String",
        "    ' The Python that xlwings' RunPython and UDFs start (same settings, same order).",
        "    Dim p As String, condaPath As String, condaEnv As String",
        '    p = GetConfig("INTERPRETER_WIN", "")',
        '    If p = "" Then p = GetConfig("INTERPRETER", "pythonw")',
        '    condaPath = GetConfig("CONDA PATH")',
        '    condaEnv = GetConfig("CONDA ENV")',
        '    If (p = "python" Or p = "pythonw") And condaPath <> "" And condaEnv <> "" Then',
        '        If condaEnv = "base" Then',
        '            p = condaPath & "\\" & p',
        '        ElseIf InStr(condaEnv, "\\") > 0 Then',
        '            p = condaEnv & "\\" & p',
        "        Else",
        '            p = condaPath & "\\envs\\" & condaEnv & "\\" & p',
        "        End If",
        "    End If",
        "    InterpreterPath = p",
        "End Function",
        "",
        "Private Function FolderVersion(ByVal interp As String) As String",
        "    ' xlwings-X.Y.Z.dist-info in Lib\\site-packages, else the DLL, beside the",
        "    ' interpreter or one folder up (where xlwings' own DLL loader looks too).",
        "    Dim folder As String, v As String, i As Integer",
        '    If InStr(interp, "\\") = 0 Then Exit Function',
        "    folder = ParentFolder(interp)",
        "    For i = 1 To 2",
        '        v = DistInfoVersion(Dir(folder & "\\Lib\\site-packages\\xlwings-*.dist-info", vbDirectory))',
        '        If v <> "" Then',
        "            FolderVersion = v",
        "            Exit Function",
        "        End If",
        "#If Win64 Then",
        '        v = DllVersion(Dir(folder & "\\xlwings64-*.dll"))',
        "#Else",
        '        v = DllVersion(Dir(folder & "\\xlwings32-*.dll"))',
        "#End If",
        '        If v <> "" Then',
        "            FolderVersion = v",
        "            Exit Function",
        "        End If",
        '        If InStr(folder, "\\") = 0 Then Exit Function',
        "        folder = ParentFolder(folder)",
        "    Next i",
        "End Function",
        "",
        "Public Function DistInfoVersion(ByVal name As String) As String",
        '    If LCase(name) Like "xlwings-*.dist-info" Then',
        "        DistInfoVersion = Mid(name, 9, Len(name) - 18)",
        "    End If",
        "End Function",
        "",
        "Public Function DllVersion(ByVal name As String) As String",
        '    If LCase(name) Like "xlwings64-*.dll" Or LCase(name) Like "xlwings32-*.dll" Then',
        "        DllVersion = Mid(name, 11, Len(name) - 14)",
        "    End If",
        "End Function",
        "",
        "Public Function PythonExe(ByVal interp As String) As String",
        '    If LCase(Right(interp, 11)) = "pythonw.exe" Then',
        '        PythonExe = Left(interp, Len(interp) - 11) & "python.exe"',
        '    ElseIf LCase(interp) = "pythonw" Then',
        '        PythonExe = "python"',
        "    Else",
        "        PythonExe = interp",
        "    End If",
        "End Function",
        "",
        "Private Function RunPythonForVersion(ByVal interp As String) As String",
        "    ' The last resort: ask that Python, for a few seconds at most.",
        "    Dim sh As Object, proc As Object, started As Single, answer As String",
        "    On Error GoTo Failed",
        '    Set sh = CreateObject("WScript.Shell")',
        '    Set proc = sh.Exec(Chr(34) & PythonExe(interp) & Chr(34) & " -c " & Chr(34) & _',
        "        \"import importlib.metadata as m; print(m.version('xlwings'))\" & Chr(34))",
        "    started = Timer",
        "    Do While proc.Status = 0",
        "        If Abs(Timer - started) > EXEC_TIMEOUT Then",
        "            proc.Terminate",
        "            Exit Function",
        "        End If",
        "        DoEvents",
        "    Loop",
        '    answer = Trim(Replace(Replace(proc.StdOut.ReadAll, vbCr, ""), vbLf, ""))',
        '    If answer Like "#*.#*" Then',
        "        RunPythonForVersion = answer",
        '    ElseIf InStr(proc.StdErr.ReadAll, "PackageNotFoundError") > 0 Then',
        "        RunPythonForVersion = NOT_INSTALLED",
        "    End If",
        "    Exit Function",
        "Failed:",
        '    RunPythonForVersion = ""',
        "End Function",
        "",
        "Private Function TitleText() As String",
        "    Dim s As String",
        *vba_assign("s", VERSION_TITLE),
        "    TitleText = s",
        "End Function",
        "",
        "Public Function MismatchText(ByVal pinned As String, ByVal installed As String, "
        "ByVal interp As String) As String",
        "    Dim s As String, who As String, have As String, cmd As String",
        '    If interp = "" Then',
        *vba_assign("who", WHO, indent="        "),
        "    Else",
        f"        who = {vba_string(WHO_PATH[0])} & interp & {vba_string(WHO_PATH[1])}",
        "    End If",
        "    If installed = NOT_INSTALLED Then",
        *vba_assign("have", HAVE_NONE, indent="        "),
        "    Else",
        f"        have = {vba_string(HAVE)} & installed",
        "    End If",
        '    If InStr(interp, "\\") > 0 Then',
        '        cmd = Chr(34) & PythonExe(interp) & Chr(34) & " -m pip install xlwings==" & pinned',
        "    Else",
        '        cmd = "pip install xlwings==" & pinned',
        "    End If",
        f"    s = {vba_string(MESSAGE_HEAD[0])} & pinned & {vba_string(MESSAGE_HEAD[1])} & who & have",
        *_vba_append("s", MESSAGE_TAIL),
        "    s = s & cmd",
        "    MismatchText = s",
        "End Function",
        "",
    ]
    code = "\n".join(out)
    assert code.isascii()
    return code


# --------------------------------------------------------------------------
# vbaProject.bin (ms-ovba)
# --------------------------------------------------------------------------


def ovba_compress(data: bytes) -> bytes:
    """MS-OVBA 2.4.1 compression (CompressedContainer), written after the spec.

    ms-ovba-compression's output decodes with olevba but not with LibreOffice's
    reader (long modules came back cut or garbled), so this one is used instead;
    the tests check that olevba and LibreOffice both read it back."""
    out = bytearray(b"\x01")
    for start in range(0, len(data), 4096):
        chunk = data[start : start + 4096]
        body = _compress_chunk(chunk)
        if len(body) <= 4096:
            out += (0xB000 | (len(body) - 1)).to_bytes(2, "little") + body
        elif len(chunk) == 4096:  # incompressible: a raw chunk holds exactly 4096 bytes
            out += (0x3000 | 0x0FFF).to_bytes(2, "little") + chunk
        else:  # pragma: no cover - needs >3640 incompressible bytes at the very end
            raise PerfkitError("VBA 源代码无法压缩")
    return bytes(out)


def _compress_chunk(chunk: bytes) -> bytes:
    out = bytearray()
    heads: dict[bytes, list[int]] = {}
    pos, size = 0, len(chunk)
    while pos < size:
        flag_at = len(out)
        out.append(0)
        flags = 0
        for bit in range(8):
            if pos >= size:
                break
            bit_count = max((pos - 1).bit_length(), 4)
            max_length = (0xFFFF >> bit_count) + 3
            max_offset = 1 << bit_count
            best_len, best_at = 0, 0
            for cand in reversed(heads.get(chunk[pos : pos + 3], [])[-64:]):
                if pos - cand > max_offset:
                    break
                length = 0
                limit = min(max_length, size - pos)
                while length < limit and chunk[cand + length] == chunk[pos + length]:
                    length += 1
                if length > best_len:
                    best_len, best_at = length, cand
                    if length == limit:
                        break
            step = best_len if best_len >= 3 else 1
            if best_len >= 3:
                token = ((pos - best_at - 1) << (16 - bit_count)) | (best_len - 3)
                out += token.to_bytes(2, "little")
                flags |= 1 << bit
            else:
                out.append(chunk[pos])
            for i in range(pos, pos + step):
                heads.setdefault(chunk[i : i + 3], []).append(i)
            pos += step
        out[flag_at] = flags
    return bytes(out)


@contextlib.contextmanager
def _spec_compression() -> Iterator[None]:
    """Make ms-ovba use :func:`ovba_compress` while it writes the project."""
    from ms_ovba_compression.ms_ovba import MsOvba

    original = MsOvba.compress
    MsOvba.compress = lambda self, data: ovba_compress(bytes(data))
    try:
        yield
    finally:
        MsOvba.compress = original


@contextlib.contextmanager
def _working_dir(path: Path) -> Iterator[None]:
    old = os.getcwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(old)


def compile_vba_project(modules: Sequence[VbaModule]) -> bytes:
    """vbaProject.bin from source with ms-ovba (source only, no p-code: Excel compiles
    it on first use).  ms-ovba writes scratch files into the working directory and
    appends to ``*.new`` files, so everything happens in a fresh temporary directory."""
    try:
        from ms_ovba.Models.Entities.doc_module import DocModule
        from ms_ovba.Models.Entities.reference import Reference
        from ms_ovba.Models.Entities.reference_registered import ReferenceRegistered
        from ms_ovba.Models.Entities.std_module import StdModule
        from ms_ovba.Models.Fields.libid_reference import LibidReference
        from ms_ovba.vbaProject import VbaProject
        from ms_ovba.Views.project_ole_file import ProjectOleFile
    except ImportError as err:  # pragma: no cover - a dependency of perfkit
        raise PerfkitError("需要 ms-ovba：pip install ms-ovba") from err

    for module in modules:
        if not module.code.isascii():
            raise PerfkitError(f"VBA 模块 {module.name} 含非 ASCII 字符（中文请用 ChrW）")

    class ExcelDocModule(DocModule):
        """ms-ovba's document module with the attribute lines where Excel writes
        them (ms-ovba appends VB_TemplateDerived/VB_Customizable after the code)."""

        def normalize_file(self) -> None:
            source = Path(self._file_path).read_text(encoding="ascii")
            with open(self._file_path + ".new", "w", encoding="ascii", newline="\r\n") as fh:
                fh.write(doc_module_source(source, self.guids))

    project = VbaProject()
    project.project_id = VBA_PROJECT_ID
    # What every Excel-made project has and ms-ovba leaves out unless asked:
    # the PROJECTwm stream, VersionCompatible32 after HelpContextID in the
    # PROJECT stream, and its [Workspace] section (one line per module).
    project.include_projectwm()
    project.add_attribute("VersionCompatible32", VERSION_COMPATIBLE32)
    with tempfile.TemporaryDirectory(prefix="perfkit-vba-") as tmp, _working_dir(Path(tmp)):
        for module in modules:
            suffix = ".cls" if module.kind == "doc" else ".bas"
            src = Path(tmp) / f"{module.name}{suffix}"
            src.write_text(module.code if module.code.endswith("\n") else module.code + "\n")
            if module.kind == "doc":
                entry = ExcelDocModule(module.name)
                entry.add_file(str(src))
                entry.add_guid(module.guid or WORKSHEET_CLASS)
            else:
                entry = StdModule(module.name)
                entry.add_file(str(src))
            entry.normalize_file()
            entry.add_workspace(*WORKSPACE_CLOSED)
            project.add_module(entry)
        stdole = LibidReference(
            uuid.UUID("00020430-0000-0000-C000-000000000046"),
            "2.0",
            "0",
            "C:\\Windows\\System32\\stdole2.tlb",
            "OLE Automation",
        )
        office = LibidReference(
            uuid.UUID("2DF8D04C-5BFA-101B-BDE5-00AA0044DE52"),
            "2.0",
            "0",
            "C:\\Program Files\\Common Files\\Microsoft Shared\\OFFICE16\\MSO.DLL",
            "Microsoft Office 16.0 Object Library",
        )
        project.add_reference(Reference(ReferenceRegistered(stdole), "stdole"))
        project.add_reference(Reference(ReferenceRegistered(office), "Office"))
        # ms-ovba-crypto draws the CMG/DPB/GC seeds from the global ``random``:
        # a fixed seed keeps the build reproducible; the caller's state comes back.
        state = random.getstate()
        random.seed(VBA_CRYPTO_SEED)
        try:
            with _spec_compression():
                ProjectOleFile.write_file(project)
        finally:
            random.setstate(state)
        return repack_cfb((Path(tmp) / "vbaProject.bin").read_bytes(), edit=_as_excel_writes)


def _as_excel_writes(path: tuple[str, ...], data: bytes) -> bytes:
    """Streams as Excel writes them: the PROJECT stream ends with a blank line."""
    if path == ("PROJECT",) and not data.endswith(b"\r\n\r\n"):
        return data.rstrip(b"\r\n") + b"\r\n\r\n"
    return data


def doc_module_source(code: str, guids: Sequence[uuid.UUID]) -> str:
    """The stored source of a document module, as Excel writes it: the class
    header (VERSION … END) dropped, then every attribute line at the top —
    VB_Name, VB_Base (the host class), VB_GlobalNameSpace … VB_Exposed,
    VB_TemplateDerived, VB_Customizable — and the code after them."""
    lines = code.replace("\r\n", "\n").split("\n")
    if lines and lines[0].startswith("VERSION ") and "END" in lines:
        lines = lines[lines.index("END") + 1 :]
    attrs: list[str] = []
    while lines and lines[0].startswith("Attribute VB_"):
        attrs.append(lines.pop(0))

    def key(line: str) -> str:
        return line.split("=", 1)[0].split()[1]

    name = [a for a in attrs if key(a) == "VB_Name"]
    if not name:
        raise PerfkitError("VBA 文档模块缺少 Attribute VB_Name 行")
    base = 'Attribute VB_Base = "0' + "".join("{" + str(g).upper() + "}" for g in guids) + '"'
    own = ("VB_Name", "VB_Base", "VB_TemplateDerived", "VB_Customizable")
    middle = [a for a in attrs if key(a) not in own]
    tail = [
        "Attribute VB_TemplateDerived = False",
        "Attribute VB_Customizable = True",
    ]
    text = "\n".join([name[0], base, *middle, *tail, *lines])
    return text if text.endswith("\n") else text + "\n"


# The compound file that holds the VBA streams is re-written here in the plainest
# layout (one run of sectors per stream, balanced directory trees), independent
# of ms-cfb's allocator; olefile and LibreOffice both read it back in the tests.

_FREESECT, _ENDOFCHAIN, _FATSECT, _NOSTREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
_SECTOR, _MINI, _CUTOFF = 512, 64, 4096


def _cfb_key(name: str) -> tuple[int, str]:
    return (len(name), name.upper())


def repack_cfb(data: bytes, edit=None) -> bytes:
    """The same storages and streams as *data*, in a compound file laid out simply:
    FAT, directory, mini FAT, mini stream, then each large stream in one run;
    each storage's children form a balanced binary tree in MS-CFB name order.
    *edit(path, data)*, if given, may change a stream on the way."""
    import io
    import struct

    import olefile

    ole = olefile.OleFileIO(io.BytesIO(data))
    streams = {tuple(path): ole.openstream(path).read() for path in ole.listdir(streams=True)}
    if edit is not None:
        streams = {path: edit(path, blob) for path, blob in streams.items()}
    storages = {tuple(path) for path in ole.listdir(streams=False, storages=True)}
    ole.close()

    # Directory entries: [name, type, data, children]; index 0 is the root.
    entries: list[dict] = [{"name": "Root Entry", "type": 5, "data": b"", "kids": []}]
    index: dict[tuple[str, ...], int] = {(): 0}
    for path in sorted(storages | set(streams), key=lambda p: (len(p), p)):
        entry = {"name": path[-1], "type": 1 if path in storages else 2, "kids": []}
        entry["data"] = streams.get(path, b"")
        index[path] = len(entries)
        entries.append(entry)
        entries[index[path[:-1]]]["kids"].append(index[path])

    def tree(kids: list[int]) -> int:
        """Balanced tree over *kids* sorted by name; returns the root's id."""
        if not kids:
            return _NOSTREAM
        mid = len(kids) // 2
        node = entries[kids[mid]]
        node["left"], node["right"] = tree(kids[:mid]), tree(kids[mid + 1 :])
        return kids[mid]

    for entry in entries:
        entry.setdefault("left", _NOSTREAM)
        entry.setdefault("right", _NOSTREAM)
        kids = sorted(entry["kids"], key=lambda i: _cfb_key(entries[i]["name"]))
        entry["child"] = tree(kids)
    for entry in entries:
        entry.setdefault("left", _NOSTREAM)
        entry.setdefault("right", _NOSTREAM)

    # Mini stream for small streams, whole sectors for the others.
    mini = bytearray()
    minifat: list[int] = []
    large: list[dict] = []
    for entry in entries[1:]:
        size = len(entry["data"])
        entry["size"] = size
        if entry["type"] != 2 or size == 0:
            entry["start"] = _ENDOFCHAIN if entry["type"] == 2 else 0
        elif size < _CUTOFF:
            first = len(minifat)
            count = -(-size // _MINI)
            entry["start"] = first
            minifat += [first + i + 1 for i in range(count - 1)] + [_ENDOFCHAIN]
            mini += entry["data"] + b"\0" * (count * _MINI - size)
        else:
            large.append(entry)

    def sectors(nbytes: int) -> int:
        return -(-nbytes // _SECTOR)

    n_dir = sectors(len(entries) * 128)
    n_minifat = sectors(len(minifat) * 4)
    n_mini = sectors(len(mini))
    n_large = sum(sectors(e["size"]) for e in large)
    n_fat = 1
    while n_fat * (_SECTOR // 4) < n_fat + n_dir + n_minifat + n_mini + n_large:
        n_fat += 1
    if n_fat > 109:
        raise PerfkitError("VBA 工程过大")

    fat: list[int] = [_FATSECT] * n_fat

    def run(count: int) -> int:
        start = len(fat)
        fat.extend(start + i + 1 for i in range(count - 1))
        if count:
            fat.append(_ENDOFCHAIN)
        return start if count else _ENDOFCHAIN

    dir_start = run(n_dir)
    minifat_start = run(n_minifat)
    mini_start = run(n_mini)
    for entry in large:
        entry["start"] = run(sectors(entry["size"]))
    fat += [_FREESECT] * (n_fat * (_SECTOR // 4) - len(fat))

    root = entries[0]
    root["start"], root["size"] = mini_start, len(mini)

    def pad(blob: bytes) -> bytes:
        return blob + b"\0" * (-len(blob) % _SECTOR)

    def dir_entry(entry: dict | None) -> bytes:
        if entry is None:
            return (
                b"\0" * 64
                + struct.pack("<HBBIII", 0, 0, 0, _NOSTREAM, _NOSTREAM, _NOSTREAM)
                + b"\0" * 48
            )
        name = entry["name"].encode("utf-16-le")
        return (
            (name + b"\0\0").ljust(64, b"\0")
            + struct.pack(
                "<HBBIII",
                len(name) + 2,
                entry["type"],
                1,
                entry["left"],
                entry["right"],
                entry["child"],
            )
            + b"\0" * 16  # CLSID
            + b"\0" * 4  # state bits
            + b"\0" * 16  # creation and modification times
            + struct.pack("<IQ", entry["start"], entry["size"])
        )

    directory = b"".join(dir_entry(e) for e in entries)
    directory += dir_entry(None) * (n_dir * 4 - len(entries))
    difat = [*range(n_fat)] + [_FREESECT] * (109 - n_fat)
    header = (
        bytes.fromhex("D0CF11E0A1B11AE1")
        + b"\0" * 16
        + struct.pack("<HHHHH", 0x003E, 0x0003, 0xFFFE, 9, 6)
        + b"\0" * 6
        + struct.pack(
            "<IIIIIIIII",
            0,
            n_fat,
            dir_start,
            0,
            _CUTOFF,
            minifat_start if n_minifat else _ENDOFCHAIN,
            n_minifat,
            _ENDOFCHAIN,
            0,
        )
        + struct.pack("<109I", *difat)
    )
    out = [header, struct.pack(f"<{len(fat)}I", *fat), directory]
    out.append(
        pad(
            struct.pack(f"<{len(minifat)}I", *minifat)
            + struct.pack("<I", _FREESECT) * (-len(minifat) % 128)
        )
    )
    out.append(pad(bytes(mini)))
    out += [pad(e["data"]) for e in large]
    return b"".join(out)


def vba_modules(
    *,
    udf_module: str = UDF_PACKAGE,
    extra_path: Sequence[str | os.PathLike] = (),
) -> tuple[list[VbaModule], list[UdfInfo], str]:
    """All modules of the add-in's VBA project, the UDF help, and the xlwings version."""
    runtime, version = xlwings_runtime_source()
    wrappers, infos = generate_udf_vba(udf_module, extra_path=extra_path)
    modules = [
        VbaModule("ThisWorkbook", "doc", read_source("ThisWorkbook.cls"), WORKBOOK_CLASS),
        VbaModule(CONF_SHEET_CODENAME, "doc", read_source("Sheet1.cls"), WORKSHEET_CLASS),
        VbaModule(RIBBON_MODULE, "std", read_source(f"{RIBBON_MODULE}.bas")),
        VbaModule(UDF_WRAPPER_MODULE, "std", wrappers),
        VbaModule(UDF_INFO_MODULE, "std", udf_info_module(infos)),
        VbaModule(VERSION_MODULE, "std", version_check_module()),
        VbaModule(RUNTIME_MODULE, "std", runtime),
    ]
    return modules, infos, version


# --------------------------------------------------------------------------
# Configuration sheet and the other parts
# --------------------------------------------------------------------------


def default_interpreter() -> str | None:
    """Interpreter_Win when none is given: this Python's pythonw.exe when building on
    Windows; elsewhere None (xlwings then uses ``pythonw`` from PATH)."""
    if os.name == "nt":
        exe = Path(sys.executable)
        pythonw = exe.with_name("pythonw.exe")
        return str(pythonw if pythonw.exists() else exe)
    return None


def default_pythonpath(udf_module: str = UDF_PACKAGE) -> str | None:
    """PYTHONPATH when none is given: on Windows the folder that holds the UDF package
    (a source checkout works without installing); elsewhere None."""
    if os.name == "nt":
        with contextlib.suppress(PerfkitError):
            return str(_package_dir(udf_module).parent)
    return None


def conf_entries(
    *,
    interpreter: str | None = None,
    pythonpath: str | None = None,
    udf_module: str = UDF_PACKAGE,
) -> list[tuple[str, str]]:
    """Rows of the ``perfkit.conf`` sheet, keys spelled as in xlwings' own add-ins.

    The runtime reads column A (upper-cased) down to the first blank cell, and a key
    on the sheet hides the same key in the user's ``%USERPROFILE%\\.perfkit\\perfkit.conf``,
    so only keys with a value are written."""
    rows = [
        ("Interpreter_Win", interpreter or default_interpreter()),
        ("PYTHONPATH", pythonpath or default_pythonpath(udf_module)),
        ("UDF Modules", udf_module),
    ]
    return [(key, value) for key, value in rows if value]


def _xml(text: str) -> bytes:
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + text).encode("utf-8")


def _cell(ref: str, value: object) -> str:
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if value in ("", None):
        return ""
    return f'<c r="{ref}" t="inlineStr"><is><t>{escape(str(value))}</t></is></c>'


def conf_sheet_xml(entries: Sequence[tuple[str, object]]) -> bytes:
    rows = []
    for i, (key, value) in enumerate(entries, start=1):
        rows.append(f'<row r="{i}">{_cell(f"A{i}", key)}{_cell(f"B{i}", value)}</row>')
    return _xml(
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        f'<sheetPr codeName="{CONF_SHEET_CODENAME}"/>'
        f'<dimension ref="A1:B{len(entries)}"/>'
        '<sheetViews><sheetView tabSelected="1" workbookViewId="0"/></sheetViews>'
        '<sheetFormatPr defaultRowHeight="15"/>'
        '<cols><col min="1" max="1" width="18" customWidth="1"/>'
        '<col min="2" max="2" width="60" customWidth="1"/></cols>'
        f"<sheetData>{''.join(rows)}</sheetData>"
        '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
        "</worksheet>"
    )


def _workbook_xml() -> bytes:
    return _xml(
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<workbookPr codeName="ThisWorkbook"/>'
        '<bookViews><workbookView visibility="hidden" activeTab="0"/></bookViews>'
        f'<sheets><sheet name="{CONF_SHEET}" sheetId="1" r:id="rId1"/></sheets>'
        '<calcPr calcId="191029"/>'
        "</workbook>"
    )


def _styles_xml() -> bytes:
    return _xml(
        '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<fonts count="1"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
        '<fills count="2"><fill><patternFill patternType="none"/></fill>'
        '<fill><patternFill patternType="gray125"/></fill></fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
        '<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>'
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
        "</styleSheet>"
    )


def _rels(items: Sequence[tuple[str, str, str]]) -> bytes:
    body = "".join(f'<Relationship Id="{i}" Type="{t}" Target="{g}"/>' for i, t, g in items)
    return _xml(
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f"{body}</Relationships>"
    )


def _content_types(overrides: Sequence[tuple[str, str]]) -> bytes:
    body = "".join(f'<Override PartName="{p}" ContentType="{c}"/>' for p, c in overrides)
    return _xml(
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        f'<Default Extension="rels" ContentType="{CT_RELS}"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f"{body}</Types>"
    )


def _core_xml() -> bytes:
    return _xml(
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        "<dc:title>绩效评价 (perfkit)</dc:title>"
        "<dc:description>预算绩效自评表与评价指标体系：校验、评分函数、模板与定稿导出</dc:description>"
        "<dc:creator>perfkit</dc:creator>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{DOC_DATE}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{DOC_DATE}</dcterms:modified>'
        "</cp:coreProperties>"
    )


def _app_xml() -> bytes:
    return _xml(
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
        "<Application>Microsoft Excel</Application><DocSecurity>0</DocSecurity>"
        "</Properties>"
    )


def build_parts(
    *,
    interpreter: str | None = None,
    pythonpath: str | None = None,
    udf_module: str = UDF_PACKAGE,
    extra_path: Sequence[str | os.PathLike] = (),
) -> AddinParts:
    """All zip parts of the add-in, in their final order."""
    customui = read_source("customUI14.xml").encode("utf-8")
    modules, infos, version = vba_modules(udf_module=udf_module, extra_path=extra_path)
    vba_bin = compile_vba_project(modules)
    conf = conf_entries(interpreter=interpreter, pythonpath=pythonpath, udf_module=udf_module)
    overrides = [
        ("/xl/workbook.xml", CT_ADDIN),
        ("/xl/worksheets/sheet1.xml", CT_SHEET),
        ("/xl/styles.xml", CT_STYLES),
        ("/xl/vbaProject.bin", CT_VBA),
        ("/docProps/core.xml", CT_CORE),
        ("/docProps/app.xml", CT_APP),
    ]
    parts = {
        "[Content_Types].xml": _content_types(overrides),
        "_rels/.rels": _rels(
            [
                ("rId1", REL_OFFICE_DOCUMENT, "xl/workbook.xml"),
                ("rId2", REL_CORE, "docProps/core.xml"),
                ("rId3", REL_APP, "docProps/app.xml"),
                ("rId4", REL_CUSTOMUI, CUSTOMUI_PART),
            ]
        ),
        "docProps/core.xml": _core_xml(),
        "docProps/app.xml": _app_xml(),
        CUSTOMUI_PART: customui,
        "xl/workbook.xml": _workbook_xml(),
        "xl/_rels/workbook.xml.rels": _rels(
            [
                ("rId1", REL_SHEET, "worksheets/sheet1.xml"),
                ("rId2", REL_STYLES, "styles.xml"),
                ("rId3", REL_VBA, "vbaProject.bin"),
            ]
        ),
        "xl/worksheets/sheet1.xml": conf_sheet_xml(conf),
        "xl/styles.xml": _styles_xml(),
        "xl/vbaProject.bin": vba_bin,
    }
    return AddinParts(parts, modules, infos, conf, version)


def zip_bytes(parts: dict[str, bytes]) -> bytes:
    """The parts as a zip with fixed timestamps and attributes (same input, same bytes)."""
    import io

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in parts.items():
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0
            zf.writestr(info, data, compresslevel=6)
    return buf.getvalue()


def build(
    out: str | os.PathLike,
    *,
    interpreter: str | None = None,
    pythonpath: str | None = None,
    udf_module: str = UDF_PACKAGE,
    extra_path: Sequence[str | os.PathLike] = (),
) -> AddinParts:
    """Build the add-in into *out* (written atomically) and return what went in."""
    out = Path(out)
    if out.suffix.lower() != ".xlam":
        raise InputError(f"加载项文件名必须以 .xlam 结尾：{out}")
    result = build_parts(
        interpreter=interpreter,
        pythonpath=pythonpath,
        udf_module=udf_module,
        extra_path=extra_path,
    )
    write_bytes_atomic(out, zip_bytes(result.parts))
    return result


def excel_addins_dir() -> Path | None:
    """``%APPDATA%\\Microsoft\\AddIns`` on Windows (Excel's default add-in folder)."""
    if os.name != "nt":
        return None
    appdata = os.environ.get("APPDATA")
    if not appdata:
        return None
    return Path(appdata) / "Microsoft" / "AddIns"
