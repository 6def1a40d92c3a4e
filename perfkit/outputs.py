"""perfkit's own outputs carry a mark, so that a folder scan never reads them as forms.

Every workbook perfkit writes for a person to read — 汇总.xlsx, a marked copy
(``validate --out``), a frozen copy (``freeze``), a copy turned into the
template (``adopt``), the report — holds two custom document properties
(``docProps/custom.xml``, shown by Excel under 文件 → 信息 → 属性 → 高级属性 → 自定义):

``perfkit.output``
    what it is: ``summary``, ``marked``, ``frozen``, ``adopted``, ``report`` or
    ``review`` (复核清单, 复核工作底稿, 整改通知);
``perfkit.source``
    for a copy of one form, the form it was made from, as ``sha256sum`` prints
    it: 64 hex digits of the file's SHA-256, two spaces, its file name.

:func:`perfkit.batch.discover` skips 汇总 and marked copies always, and a
frozen or adopted copy only when the form it was made from is in the same scan
(a frozen copy received on its own is a submitted form and is read).

Writers: :func:`mark_openpyxl` (openpyxl workbooks, before saving),
:func:`mark_xlsxwriter` / :func:`xlsxwriter_properties` (XlsxWriter),
:func:`mark_bytes` (any finished OOXML zip: .xlsx, .xlsm, .docx).  Reader:
:func:`output_info` / :func:`output_kind`, which never raises and never
inflates more than :data:`MAX_PART_BYTES` of the part, whatever the zip declares.
"""

from __future__ import annotations

import hashlib
import io
import os
import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

PROP_KIND = "perfkit.output"
PROP_SOURCE = "perfkit.source"

SUMMARY = "summary"
MARKED = "marked"
FROZEN = "frozen"
ADOPTED = "adopted"
REPORT = "report"
REVIEW = "review"
KINDS = (SUMMARY, MARKED, FROZEN, ADOPTED, REPORT, REVIEW)
KIND_NAMES = {
    SUMMARY: "汇总表",
    MARKED: "标注副本",
    FROZEN: "定稿副本",
    ADOPTED: "转为模板的副本",
    REPORT: "报告",
    REVIEW: "复核结果",
}
ALWAYS_SKIPPED = (SUMMARY, MARKED, REPORT, REVIEW)
"""Never a form, wherever they are found."""
COPIES = (FROZEN, ADOPTED)
"""A form's copy: skipped only beside the form it was made from."""

CUSTOM_PART = "docProps/custom.xml"
CT_CUSTOM = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
REL_CUSTOM = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"
NS_CUSTOM = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
NS_VT = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"

MAX_PART_BYTES = 256 * 1024
"""At most this much of docProps/custom.xml is ever inflated (Office writes a few hundred bytes)."""
MAX_FILE_BYTES = 50 * 1024 * 1024
"""Larger files are not looked into (the form reader refuses them anyway)."""
ZIP_MAGIC = b"PK\x03\x04"


# --------------------------------------------------------------------------
# What goes into the properties
# --------------------------------------------------------------------------


def sha256_file(path: str | os.PathLike) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def source_value(source: str | os.PathLike) -> str:
    """``perfkit.source`` for the form at *source*: ``<sha256>  <file name>``."""
    return f"{sha256_file(source)}  {Path(source).name}"


def parse_source(value: str | None) -> tuple[str, str] | None:
    """(sha256, file name) from a ``perfkit.source`` value, or None."""
    if not value or len(value) < 67 or value[64:66] != "  ":
        return None
    digest = value[:64].lower()
    if any(c not in "0123456789abcdef" for c in digest):
        return None
    return digest, value[66:]


def _check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise ValueError(f"unknown perfkit output kind {kind!r}")


def properties(kind: str, source: str | os.PathLike | None = None) -> list[tuple[str, str]]:
    """The (name, value) pairs that mark an output of *kind*."""
    _check_kind(kind)
    props = [(PROP_KIND, kind)]
    if source is not None:
        props.append((PROP_SOURCE, source_value(source)))
    return props


# --------------------------------------------------------------------------
# Writers
# --------------------------------------------------------------------------


def mark_openpyxl(wb: Any, kind: str, source: str | os.PathLike | None = None) -> None:
    """Mark an openpyxl workbook (call before ``wb.save``); earlier perfkit
    marks, e.g. of the form a copy is made from, are replaced."""
    from openpyxl.packaging.custom import StringProperty

    props = wb.custom_doc_props
    for name in [n for n in props.names if n.startswith("perfkit.")]:
        del props[name]
    for name, value in properties(kind, source):
        props.append(StringProperty(name=name, value=value))


def xlsxwriter_properties(kind: str, source: str | os.PathLike | None = None) -> list:
    """(name, value) pairs for XlsxWriter's ``Workbook.set_custom_property``."""
    return properties(kind, source)


def mark_xlsxwriter(wb: Any, kind: str, source: str | os.PathLike | None = None) -> None:
    """Mark an XlsxWriter workbook (before ``close``)."""
    for name, value in xlsxwriter_properties(kind, source):
        wb.set_custom_property(name, value)


def custom_xml(props: list[tuple[str, str]]) -> bytes:
    """docProps/custom.xml holding *props* as text properties."""
    body = "".join(
        f'<property fmtid="{FMTID}" pid="{pid}" name={quoteattr(name)}>'
        f"<vt:lpwstr>{escape(value)}</vt:lpwstr></property>"
        for pid, (name, value) in enumerate(props, start=2)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<Properties xmlns="{NS_CUSTOM}" xmlns:vt="{NS_VT}">{body}</Properties>'
    ).encode()


def mark_bytes(data: bytes, kind: str, source: str | os.PathLike | None = None) -> bytes:
    """The OOXML zip *data* (.xlsx, .xlsm, .docx) with the marks added: other
    custom properties are kept, earlier perfkit marks replaced, entry order,
    dates and compression kept; the content type and the package relationship
    are added when missing."""
    ours = properties(kind, source)
    src = zipfile.ZipFile(io.BytesIO(data))
    names = src.namelist()
    kept: list[tuple[str, str]] = []
    if CUSTOM_PART in names:
        for name, value in (_parse_custom(src.read(CUSTOM_PART)) or {}).items():
            if not name.startswith("perfkit."):
                kept.append((name, value))
    custom = custom_xml(kept + ours)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            payload = src.read(info)
            if info.filename == "[Content_Types].xml":
                payload = _with_content_type(payload)
            elif info.filename == "_rels/.rels":
                payload = _with_relationship(payload)
            elif info.filename == CUSTOM_PART:
                payload = custom
            dst.writestr(_copy_info(info), payload, compress_type=info.compress_type)
        if CUSTOM_PART not in names:
            info = zipfile.ZipInfo(CUSTOM_PART, date_time=src.infolist()[0].date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(info, custom)
    return out.getvalue()


def _copy_info(info: zipfile.ZipInfo) -> zipfile.ZipInfo:
    new = zipfile.ZipInfo(info.filename, date_time=info.date_time)
    new.compress_type = info.compress_type
    new.external_attr = info.external_attr
    new.create_system = info.create_system
    return new


def _with_content_type(xml: bytes) -> bytes:
    if b"/docProps/custom.xml" in xml:
        return xml
    override = f'<Override PartName="/{CUSTOM_PART}" ContentType="{CT_CUSTOM}"/>'.encode()
    return xml.replace(b"</Types>", override + b"</Types>", 1)


def _with_relationship(xml: bytes) -> bytes:
    if REL_CUSTOM.encode() in xml:
        return xml
    n = 1
    while f'Id="rId{n}"'.encode() in xml:
        n += 1
    rel = f'<Relationship Id="rId{n}" Type="{REL_CUSTOM}" Target="{CUSTOM_PART}"/>'.encode()
    return xml.replace(b"</Relationships>", rel + b"</Relationships>", 1)


# --------------------------------------------------------------------------
# Reader
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class OutputInfo:
    """What the marks of a file say."""

    kind: str
    source_sha256: str | None = None
    source_name: str | None = None


def _parse_custom(data: bytes) -> dict[str, str] | None:
    """name -> text of every property of a custom.xml (defusedxml: no DTD, no entities)."""
    from defusedxml.ElementTree import fromstring

    try:
        root = fromstring(data)
    except Exception:  # malformed XML, DTD, entities: not ours
        return None
    out: dict[str, str] = {}
    for prop in root:
        if not str(prop.tag).endswith("property"):
            continue
        name = prop.get("name")
        if name is None:
            continue
        value = next(iter(prop), None)
        out[name] = "" if value is None else (value.text or "")
    return out


_EOCD = b"PK\x05\x06"
_EOCD_SEARCH = 64 * 1024 + 22  # the end record and the longest zip comment


def _read_at(fd: int, offset: int, size: int) -> bytes:
    os.lseek(fd, offset, os.SEEK_SET)
    return os.read(fd, size)


def _central_directory(fd: int, size: int) -> bytes | None:
    """The zip's central directory, found through its end record (a few
    hundred bytes for a form), or None when it cannot be told this way
    (zip64, damaged): then :mod:`zipfile` decides."""
    tail = _read_at(fd, max(0, size - 1024), 1024)
    at = tail.rfind(_EOCD)
    if at < 0:
        tail = _read_at(fd, max(0, size - _EOCD_SEARCH), _EOCD_SEARCH)
        at = tail.rfind(_EOCD)
        if at < 0 or len(tail) - at < 22:
            return None
    cd_size = int.from_bytes(tail[at + 12 : at + 16], "little")
    cd_offset = int.from_bytes(tail[at + 16 : at + 20], "little")
    if 0xFFFFFFFF in (cd_size, cd_offset) or cd_offset + cd_size > size:
        return None
    return _read_at(fd, cd_offset, cd_size)


def read_properties(path: str | os.PathLike) -> dict[str, str] | None:
    """The custom document properties of an OOXML file, or None (not a
    regular file, not a zip, no custom.xml, too large, damaged, hostile XML).
    Never raises, never blocks on a FIFO, never inflates more than
    :data:`MAX_PART_BYTES`.  A file whose central directory lists no
    docProps/custom.xml (most forms) costs two small reads."""
    try:
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
        fd = os.open(path, flags)
    except (OSError, ValueError, TypeError):
        return None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or st.st_size > MAX_FILE_BYTES or st.st_size < 22:
            return None
        if os.read(fd, 4) != ZIP_MAGIC:
            return None
        directory = _central_directory(fd, st.st_size)
        if directory is not None and CUSTOM_PART.encode() not in directory:
            return None
        os.lseek(fd, 0, os.SEEK_SET)
        with os.fdopen(fd, "rb", closefd=False) as fh, zipfile.ZipFile(fh) as zf:
            try:
                info = zf.getinfo(CUSTOM_PART)
            except KeyError:
                return None
            with zf.open(info) as part:
                data = part.read(MAX_PART_BYTES + 1)
        if len(data) > MAX_PART_BYTES:
            return None
        return _parse_custom(data)
    except Exception:  # a damaged zip raises anything from BadZipFile to struct.error
        return None
    finally:
        os.close(fd)


def output_info(path: str | os.PathLike) -> OutputInfo | None:
    """The perfkit marks of *path*, or None when it is not a perfkit output."""
    props = read_properties(path)
    if not props:
        return None
    kind = props.get(PROP_KIND)
    if kind not in KINDS:
        return None
    source = parse_source(props.get(PROP_SOURCE))
    return OutputInfo(kind, *(source or (None, None)))


def output_kind(path: str | os.PathLike) -> str | None:
    """``summary`` / ``marked`` / ``frozen`` / ``adopted`` / ``report`` / ``review`` for a
    file perfkit wrote, None for anything else (never raises)."""
    info = output_info(path)
    return info.kind if info else None


__all__ = [
    "ADOPTED",
    "ALWAYS_SKIPPED",
    "COPIES",
    "FROZEN",
    "KINDS",
    "KIND_NAMES",
    "MARKED",
    "PROP_KIND",
    "PROP_SOURCE",
    "REPORT",
    "REVIEW",
    "SUMMARY",
    "OutputInfo",
    "mark_bytes",
    "mark_openpyxl",
    "mark_xlsxwriter",
    "output_info",
    "output_kind",
    "parse_source",
    "read_properties",
    "source_value",
    "xlsxwriter_properties",
]
