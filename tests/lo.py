"""Drive LibreOffice headless over UNO from the tests.

One ``soffice`` process per session (private profile in a temporary directory,
``--accept=socket`` on a free port) and, per :meth:`LibreOffice.run`, one worker
under the system interpreter (``/usr/bin/python3``, the only one with
``python3-uno``) that executes a JSON list of operations and prints JSON results.
The worker is this very file run as a script: the top of the module imports the
standard library only, ``uno`` is imported inside :func:`_worker_main`.

    with LibreOffice() as lo:
        lo.run([convert(a, a_xls), insert_rows(b, b2, "自评表", 15, 2)])

Every operation opens ``src``, applies its steps (a clerk's edits: unprotect the
sheet, insert/delete whole rows, type cells) and stores ``dest``.  The format of
``dest`` follows its suffix (.xlsx, .xls, .ods, .pdf) unless ``filter`` is given.
LibreOffice stores ``#NAME?`` as the cached value of functions it does not know
(perfkit's UDFs) and writes their names in lower case: expected in such copies.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SYSTEM_PYTHON = "/usr/bin/python3"
FILTERS = {
    ".xlsx": "Calc MS Excel 2007 XML",
    ".xls": "MS Excel 97",
    ".ods": "calc8",
    ".pdf": "calc_pdf_Export",
}
# /org.openoffice.Office.Calc/Formula/Load: 0 = always recalculate, 1 = never.
RECALC_XCU = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" \
xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">\
<prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>{mode}</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">\
<prop oor:name="ODFRecalcMode" oor:op="fuse"><value>{mode}</value></prop></item>
</oor:items>
"""


class LibreOfficeError(RuntimeError):
    """LibreOffice is missing, did not start, or an operation failed."""


# --------------------------------------------------------------------------
# Operations (plain dicts, so that a batch is one JSON document)
# --------------------------------------------------------------------------


def edit(src, dest, steps=(), filter: str | None = None, recalc: bool = False) -> dict:
    """Open *src*, apply *steps* in order, (optionally recalculate), store *dest*."""
    return {
        "src": str(Path(src).resolve()),
        "dest": str(Path(dest).resolve()),
        "filter": filter or FILTERS.get(Path(dest).suffix.lower()),
        "steps": list(steps),
        "recalc": recalc,
    }


def convert(src, dest, filter: str | None = None, recalc: bool = False) -> dict:
    """Open and save as another format (.xls = "MS Excel 97") or re-save .xlsx."""
    return edit(src, dest, (), filter=filter, recalc=recalc)


def to_pdf(src, dest) -> dict:
    return edit(src, dest, (), filter=FILTERS[".pdf"])


def insert_rows_step(sheet: str, index: int, count: int = 1) -> dict:
    """Insert *count* rows before the 0-based row *index* (UNO's numbering)."""
    return {"do": "insert_rows", "sheet": sheet, "index": index, "count": count}


def delete_rows_step(sheet: str, index: int, count: int = 1) -> dict:
    """Delete *count* rows from the 0-based row *index* on."""
    return {"do": "delete_rows", "sheet": sheet, "index": index, "count": count}


def set_cells_step(sheet: str, values: dict[str, object]) -> dict:
    """Type values: numbers as numbers, "=..." as formulas, None clears the cell."""
    return {"do": "set_cells", "sheet": sheet, "values": dict(values)}


def merge_step(sheet: str, ranges: list[str]) -> dict:
    """Merge each range ("C14:C17"), after unmerging what it covers."""
    return {"do": "merge", "sheet": sheet, "ranges": list(ranges)}


def set_names_step(names: dict[str, str]) -> dict:
    """Give workbook names an Excel-style reference ("自评表!$H$14:$H$44")."""
    return {"do": "set_names", "names": dict(names)}


def borders_step(sheet: str, ranges: list[str], like: str) -> dict:
    """Top, left and right borders of every cell of *ranges*: the top border of
    cell *like* (a thin line of the sheet)."""
    return {"do": "borders", "sheet": sheet, "ranges": list(ranges), "like": like}


def insert_rows(src, dest, sheet: str, index: int, count: int = 1) -> dict:
    return edit(src, dest, [insert_rows_step(sheet, index, count)])


def delete_rows(src, dest, sheet: str, index: int, count: int = 1) -> dict:
    return edit(src, dest, [delete_rows_step(sheet, index, count)])


def set_cells(src, dest, sheet: str, values: dict[str, object]) -> dict:
    return edit(src, dest, [set_cells_step(sheet, values)])


# --------------------------------------------------------------------------
# The session
# --------------------------------------------------------------------------


def soffice_path() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def missing(python: str = SYSTEM_PYTHON) -> str | None:
    """Why LibreOffice cannot be driven here, or None when it can."""
    if soffice_path() is None:
        return "LibreOffice (soffice) is not on PATH: install libreoffice-calc"
    if not Path(python).exists():
        return f"{python} is missing: python3-uno needs the system interpreter"
    probe = subprocess.run([python, "-c", "import uno"], capture_output=True, timeout=60)
    if probe.returncode:
        return f"{python} -c 'import uno' failed: install python3-uno"
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _results(stdout: str, count: int) -> list[dict] | None:
    """The worker's results: its last line, a JSON list of one result per
    operation; None when it did not get that far."""
    lines = stdout.strip().splitlines()
    try:
        results = json.loads(lines[-1]) if lines else None
    except ValueError:
        return None
    if not isinstance(results, list) or len(results) != count:
        return None
    return results


class LibreOffice:
    """One headless soffice for many operations; a context manager."""

    def __init__(
        self,
        recalc_on_load: bool = False,
        timeout: float = 300,
        start_timeout: float = 60,
        python: str = SYSTEM_PYTHON,
    ):
        self.recalc_on_load = recalc_on_load
        self.timeout = timeout
        self.start_timeout = start_timeout
        self.python = python
        self.port: int | None = None
        self._proc: subprocess.Popen | None = None
        self._tmp: tempfile.TemporaryDirectory | None = None

    # -- lifetime ----------------------------------------------------------
    def start(self, attempts: int = 2) -> LibreOffice:
        reason = missing(self.python)
        if reason:
            raise LibreOfficeError(reason)
        for attempt in range(attempts):  # a free port may be taken before soffice binds it
            try:
                return self._start()
            except LibreOfficeError:
                if attempt + 1 == attempts:
                    raise
        raise AssertionError("unreachable")

    def _start(self) -> LibreOffice:
        self._tmp = tempfile.TemporaryDirectory(prefix="perfkit-lo-")
        tmp = Path(self._tmp.name)
        user = tmp / "profile" / "user"
        user.mkdir(parents=True)
        mode = 0 if self.recalc_on_load else 1
        (user / "registrymodifications.xcu").write_text(RECALC_XCU.format(mode=mode), "utf-8")
        self.port = _free_port()
        cmd = [
            soffice_path(),
            "--headless",
            "--invisible",
            "--nologo",
            "--norestore",
            "--nodefault",
            "--nolockcheck",
            f"-env:UserInstallation={(tmp / 'profile').as_uri()}",
            f"--accept=socket,host=127.0.0.1,port={self.port};urp;",
        ]
        self._proc = subprocess.Popen(
            cmd,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=dict(os.environ, HOME=str(tmp)),
            start_new_session=True,
        )
        # The first worker waits for the port; a ping makes start-up errors show here.
        try:
            self.run([], timeout=self.start_timeout)
        except BaseException:
            self.close()
            raise
        return self

    @property
    def pid(self) -> int | None:
        """The process (and process group) id of soffice, while it runs."""
        return self._proc.pid if self._proc is not None else None

    def close(self) -> None:
        proc, self._proc = self._proc, None
        if proc is not None:
            self._signal_group(proc, signal.SIGTERM)
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self._signal_group(proc, signal.SIGKILL)
                proc.wait(timeout=15)
            # soffice.bin may outlive its launcher (oosplash): the whole group goes.
            self._signal_group(proc, signal.SIGKILL)
            deadline = time.monotonic() + 10
            while self._group_alive(proc) and time.monotonic() < deadline:
                time.sleep(0.05)
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None

    @staticmethod
    def _signal_group(proc: subprocess.Popen, sig: int) -> None:
        try:
            os.killpg(proc.pid, sig)  # the session leader's pid is its group id
        except (ProcessLookupError, PermissionError):
            pass

    @staticmethod
    def _group_alive(proc: subprocess.Popen) -> bool:
        try:
            os.killpg(proc.pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True

    def __enter__(self) -> LibreOffice:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.close()

    # -- work --------------------------------------------------------------
    def run(self, ops: list[dict], timeout: float | None = None, check: bool = True) -> list[dict]:
        """Execute *ops* in one worker; results in order ({"ok", "dest", ...})."""
        if self._proc is None or self.port is None:
            raise LibreOfficeError("LibreOffice is not running (use `with LibreOffice() as lo`)")
        if self._proc.poll() is not None:
            raise LibreOfficeError(f"soffice exited with status {self._proc.returncode}")
        request = json.dumps({"port": self.port, "wait": self.start_timeout, "ops": ops})
        try:
            proc = subprocess.run(
                [self.python, str(Path(__file__).resolve())],
                input=request,
                capture_output=True,
                text=True,
                timeout=timeout or self.timeout,
                env={k: v for k, v in os.environ.items() if not k.startswith("PYTHON")},
            )
        except subprocess.TimeoutExpired:
            self.close()
            raise LibreOfficeError(
                f"LibreOffice worker timed out after {timeout or self.timeout:.0f} s"
            ) from None
        results = _results(proc.stdout, len(ops))
        if results is None:
            raise LibreOfficeError(
                f"LibreOffice worker failed (status {proc.returncode}): "
                f"{proc.stderr.strip()[-2000:]}"
            )
        # a worker that crashed on its way out (status -11) after writing every
        # result has done the work: its results are read like any other
        if check:
            failed = [r for r in results if not r["ok"]]
            if failed:
                raise LibreOfficeError(
                    "; ".join(f"{r['src']} -> {r['dest']}: {r['error']}" for r in failed)
                )
        return results

    def convert(self, src, dest, filter: str | None = None, recalc: bool = False) -> dict:
        return self.run([convert(src, dest, filter, recalc)])[0]

    def insert_rows(self, src, dest, sheet: str, index: int, count: int = 1) -> dict:
        return self.run([insert_rows(src, dest, sheet, index, count)])[0]

    def delete_rows(self, src, dest, sheet: str, index: int, count: int = 1) -> dict:
        return self.run([delete_rows(src, dest, sheet, index, count)])[0]

    def set_cells(self, src, dest, sheet: str, values: dict[str, object]) -> dict:
        return self.run([set_cells(src, dest, sheet, values)])[0]

    def to_pdf(self, src, dest) -> dict:
        return self.run([to_pdf(src, dest)])[0]


# --------------------------------------------------------------------------
# The worker (runs under /usr/bin/python3 with python3-uno)
# --------------------------------------------------------------------------


def _worker_main() -> int:  # pragma: no cover - runs in the system interpreter
    import uno
    from com.sun.star.beans import PropertyValue

    def prop(name, value):
        p = PropertyValue()
        p.Name, p.Value = name, value
        return p

    request = json.loads(sys.stdin.read())
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local
    )
    url = f"uno:socket,host=127.0.0.1,port={request['port']};urp;StarOffice.ComponentContext"
    deadline = time.monotonic() + float(request["wait"])
    while True:
        try:
            ctx = resolver.resolve(url)
            break
        except Exception:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
    desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
    clear_all = 1 | 2 | 4 | 16  # VALUE | DATETIME | STRING | FORMULA

    def sheet_of(doc, name):
        sheets = doc.Sheets
        if not sheets.hasByName(name):
            raise KeyError(f"no sheet {name!r} (has {list(sheets.getElementNames())})")
        sheet = sheets.getByName(name)
        if sheet.isProtected():
            sheet.unprotect("")
        return sheet

    def uno_reference(ref):  # 自评表!$H$14:$H$44 -> $'自评表'.$H$14:$H$44
        where, _, cells = ref.lstrip("=").rpartition("!")
        where = where[1:-1].replace("''", "'") if where.startswith("'") else where
        return "$'" + where.replace("'", "''") + "'." + cells

    def apply(doc, step):
        if step["do"] == "set_names":
            for name, ref in step["names"].items():
                doc.NamedRanges.getByName(name).setContent(uno_reference(ref))
            return
        sheet = sheet_of(doc, step["sheet"])
        if step["do"] == "merge":
            for address in step["ranges"]:
                cells = sheet.getCellRangeByName(address)
                cells.merge(False)
                cells.merge(True)
        elif step["do"] == "borders":
            line = sheet.getCellRangeByName(step["like"]).TopBorder
            for address in step["ranges"]:
                cells = sheet.getCellRangeByName(address)
                for side in ("TopBorder", "LeftBorder", "RightBorder"):
                    cells.setPropertyValue(side, line)
        elif step["do"] == "insert_rows":
            sheet.Rows.insertByIndex(int(step["index"]), int(step["count"]))
        elif step["do"] == "delete_rows":
            sheet.Rows.removeByIndex(int(step["index"]), int(step["count"]))
        elif step["do"] == "set_cells":
            for address, value in step["values"].items():
                cell = sheet.getCellRangeByName(address)
                if value is None:
                    cell.clearContents(clear_all)
                elif isinstance(value, bool) or not isinstance(value, (int, float)):
                    text = str(value)
                    if text.startswith("="):
                        cell.setFormula(text)
                    else:
                        cell.setString(text)
                else:
                    cell.setValue(value)
        else:
            raise ValueError(f"unknown step {step['do']!r}")

    results = []
    for op in request["ops"]:
        started = time.monotonic()
        result = {"src": op["src"], "dest": op["dest"], "ok": False}
        doc = None
        try:
            doc = desktop.loadComponentFromURL(
                uno.systemPathToFileUrl(op["src"]), "_blank", 0, (prop("Hidden", True),)
            )
            if doc is None:
                raise RuntimeError("LibreOffice could not open the file")
            for step in op["steps"]:
                apply(doc, step)
            if op.get("recalc"):
                doc.calculateAll()
            result["sheets"] = list(doc.Sheets.getElementNames())
            Path(op["dest"]).parent.mkdir(parents=True, exist_ok=True)
            args = (prop("FilterName", op["filter"]), prop("Overwrite", True))
            doc.storeToURL(uno.systemPathToFileUrl(op["dest"]), args)
            result["ok"] = True
        except Exception as exc:
            result["error"] = f"{type(exc).__name__}: {exc}"
        finally:
            if doc is not None:
                doc.close(True)
        result["seconds"] = round(time.monotonic() - started, 3)
        results.append(result)
    print(json.dumps(results, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    # pyuno may crash while the interpreter shuts down (SIGSEGV after the bridge
    # is gone): leave without the shutdown once the results are out
    status = _worker_main()
    sys.stdout.flush()
    os._exit(status)
