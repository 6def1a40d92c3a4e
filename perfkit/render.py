"""LibreOffice headless helpers: workbook -> PDF -> text / PNG.

Used by the tests and for looking at the templates the way a clerk prints
them.  Each conversion runs with a private LibreOffice profile
(``-env:UserInstallation=...``) that forces formulas to be recalculated on
load, so a file written by openpyxl (no cached values) shows computed
numbers, and a perfkit function without the add-in shows ``#NAME?``.
LibreOffice never saves over the input: the output is a new PDF.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterable
from pathlib import Path

from .errors import PerfkitError

RECALC_XCU = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
           xmlns:xs="http://www.w3.org/2001/XMLSchema"
           xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>{mode}</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse"><value>{mode}</value></prop></item>
</oor:items>
"""


class RenderError(PerfkitError):
    """LibreOffice or poppler failed or is missing."""


def soffice() -> str | None:
    """Path of the LibreOffice binary, or None."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def _profile_dir(base: Path, recalc: bool) -> Path:
    profile = base / "lo-profile"
    user = profile / "user"
    user.mkdir(parents=True, exist_ok=True)
    # 0 = always recalculate, 1 = never (keep cached values)
    (user / "registrymodifications.xcu").write_text(
        RECALC_XCU.format(mode=0 if recalc else 1), "utf-8"
    )
    return profile


def to_pdf(
    paths: str | os.PathLike | Iterable[str | os.PathLike],
    outdir: str | os.PathLike,
    *,
    recalc: bool = True,
    timeout: float = 300,
) -> list[Path]:
    """Convert one or more workbooks to PDF in *outdir*; returns the PDF paths."""
    return convert(paths, outdir, "pdf", recalc=recalc, timeout=timeout)


def convert(
    paths: str | os.PathLike | Iterable[str | os.PathLike],
    outdir: str | os.PathLike,
    target: str,
    *,
    recalc: bool = True,
    timeout: float = 300,
) -> list[Path]:
    """Convert files with LibreOffice headless into *outdir* (``target``: an
    extension such as ``pdf``, or ``xlsx`` to have Calc recalculate and save a
    workbook as a spreadsheet program writes it); returns the new paths."""
    exe = soffice()
    ext = target.split(":", 1)[0]
    if exe is None:
        raise RenderError(f"未找到 LibreOffice（soffice），无法生成 {ext.upper()}")
    items = [Path(paths)] if isinstance(paths, (str, os.PathLike)) else [Path(p) for p in paths]
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    for item in items:
        if not item.is_file():
            raise RenderError("文件不存在", path=str(item))
    with tempfile.TemporaryDirectory(prefix="perfkit-lo-") as tmp:
        profile = _profile_dir(Path(tmp), recalc)
        cmd = [
            exe,
            f"-env:UserInstallation={profile.resolve().as_uri()}",
            "--headless",
            "--norestore",
            "--nologo",
            "--convert-to",
            target,
            "--outdir",
            str(outdir),
            *[str(p) for p in items],
        ]
        env = dict(os.environ, HOME=tmp)
        try:
            proc = subprocess.run(
                cmd, capture_output=True, text=True, timeout=timeout, env=env, check=False
            )
        except subprocess.TimeoutExpired:
            raise RenderError(f"LibreOffice 转换超时（{timeout:.0f} 秒）") from None
    made = [outdir / f"{p.stem}.{ext}" for p in items]
    missing = [str(p) for p in made if not p.is_file()]
    if missing:
        raise RenderError(
            f"LibreOffice 未生成 {ext.upper()}：{'、'.join(missing)}（{proc.stderr.strip()[:300]}）"
        )
    return made


def pdf_text(pdf: str | os.PathLike, layout: bool = True) -> str:
    """Text of a PDF (poppler ``pdftotext``)."""
    exe = shutil.which("pdftotext")
    if exe is None:
        raise RenderError("未找到 pdftotext（poppler-utils）")
    cmd = [exe, *(["-layout"] if layout else []), str(pdf), "-"]
    proc = subprocess.run(cmd, capture_output=True, timeout=60, check=False)
    if proc.returncode != 0:
        raise RenderError(
            f"pdftotext 失败：{proc.stderr.decode('utf-8', 'replace')[:200]}", path=str(pdf)
        )
    return proc.stdout.decode("utf-8", "replace")


def pdf_pages(pdf: str | os.PathLike) -> int:
    """Number of pages (poppler ``pdfinfo``)."""
    exe = shutil.which("pdfinfo")
    if exe is None:
        raise RenderError("未找到 pdfinfo（poppler-utils）")
    proc = subprocess.run([exe, str(pdf)], capture_output=True, timeout=60, check=False)
    for line in proc.stdout.decode("utf-8", "replace").splitlines():
        if line.startswith("Pages:"):
            return int(line.split()[1])
    raise RenderError("无法读取 PDF 页数", path=str(pdf))


def pdf_to_png(pdf: str | os.PathLike, prefix: str | os.PathLike, dpi: int = 80) -> list[Path]:
    """One PNG per page (poppler ``pdftoppm``): ``<prefix>-1.png`` …"""
    exe = shutil.which("pdftoppm")
    if exe is None:
        raise RenderError("未找到 pdftoppm（poppler-utils）")
    prefix = Path(prefix)
    prefix.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run([exe, "-png", "-r", str(dpi), str(pdf), str(prefix)], check=True, timeout=120)
    return sorted(prefix.parent.glob(prefix.name + "-*.png"))


__all__ = ["RenderError", "pdf_pages", "pdf_text", "pdf_to_png", "soffice", "to_pdf"]
