"""Guards applied before any spreadsheet file is parsed.

An .xlsx is a zip of XML parts.  Before openpyxl or calamine sees one we check,
without decompressing anything: that it is a zip at all (and not an old .xls or
an encrypted OOXML file, both OLE compound files), how many entries it has, the
declared uncompressed size of each entry and of the whole, and the compression
ratio (zip bombs).  XML entity expansion is refused by defusedxml, which
openpyxl uses automatically when it is installed; as a second line the XML
prolog of every part a reader parses is scanned for DOCTYPE/ENTITY
declarations (:func:`check_workbook_file` before openpyxl, :func:`open_checked`
and :func:`check_part` for :mod:`perfkit.readers.cells`).
"""

from __future__ import annotations

import io
import os
import re
import stat
import struct
import zipfile
import zlib
from dataclasses import dataclass

from .errors import InputError

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"


@dataclass(frozen=True)
class Limits:
    max_file_bytes: int = 50 * 1024 * 1024  # on disk
    max_entries: int = 2_000
    max_entry_bytes: int = 100 * 1024 * 1024  # declared uncompressed, one part
    max_total_bytes: int = 300 * 1024 * 1024  # declared uncompressed, all parts
    max_ratio: int = 200  # uncompressed / compressed, for parts above ratio_from bytes
    ratio_from: int = 16 * 1024 * 1024  # a 1 MB repetitive text is a form, not a bomb
    max_inflate_bytes: int = 64 * 1024 * 1024  # bytes a reader inflates for one part
    max_inflate_total: int = 256 * 1024 * 1024  # bytes a reader inflates for one workbook


DEFAULT_LIMITS = Limits()
_DOCTYPE = re.compile(rb"<!DOCTYPE|<!ENTITY", re.IGNORECASE)


def _check_head(name: str, limits: Limits, allow_ole: bool = False) -> bytes:
    """Existence, size, and the first bytes: OLE (.xls, encrypted) or zip.
    *allow_ole*: an .xls is accepted (the form readers read it).  Returns the
    first 8 bytes."""
    try:
        st = os.stat(name)  # one call for what os.path.exists/isdir/getsize ask
    except (OSError, ValueError):
        raise InputError("文件不存在", path=name) from None
    if stat.S_ISDIR(st.st_mode):
        raise InputError("这是一个文件夹，不是 Excel 文件", path=name)
    size = st.st_size
    if size == 0:
        raise InputError("文件是空的（0 字节），不是有效的 Excel 文件", path=name)
    if size > limits.max_file_bytes:
        raise InputError(
            f"文件过大（{size // (1024 * 1024)} MB），超过 {limits.max_file_bytes // (1024 * 1024)} MB 的上限",
            path=name,
        )
    with open(name, "rb") as fh:
        head = fh.read(8)
    if head == OLE_MAGIC:
        if _is_encrypted_ooxml(name):
            raise InputError(
                "文件已加密（设置了打开密码），请在 Excel 中取消密码后另存为 .xlsx", path=name
            )
        if allow_ole:
            return head
        raise InputError(
            "这是旧版 Excel 97-2003 (.xls) 文件，请在 Excel 中另存为 .xlsx 后再处理", path=name
        )
    if not head.startswith(ZIP_MAGIC):
        if name.lower().endswith(ARCHIVE_SUFFIXES):  # .rar, .7z …: not looked into
            raise InputError(archive_message(None), path=name)
        other = named_format(name)
        if other:
            raise InputError(save_as_xlsx(other), path=name)
        raise InputError("不是 Excel 工作簿（.xlsx/.xlsm），文件可能已损坏或格式不对", path=name)
    return head


_NAMED_FORMATS = {
    ".ods": "OpenDocument 表格（.ods）",
    ".fods": "OpenDocument 表格（.fods）",
    ".xlsb": "Excel 二进制工作簿（.xlsb）",
    ".et": "WPS 表格文件（.et）",
    ".ett": "WPS 表格模板（.ett）",
    ".numbers": "Numbers 表格（.numbers）",
}


def named_format(name: str) -> str:
    """The spreadsheet format of another program that *name*'s suffix says, or ""."""
    return _NAMED_FORMATS.get(os.path.splitext(name)[1].lower(), "")


def save_as_xlsx(kind: str) -> str:
    """The message for a file of another format: what it is, and what to do."""
    return (
        f"这是 {kind}，perfkit 读取 .xlsx、.xlsm、.xls 文件：请用制作它的软件（WPS、"
        "LibreOffice、Excel）另存为 Excel 工作簿（.xlsx）后再试"
    )


def _open_zip(name: str) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(name)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise InputError(f"文件已损坏，无法解压（{exc}）", path=name) from None


class ZipEntry:
    """The fields of a zip entry that the readers use (named as in
    :class:`zipfile.ZipInfo`)."""

    __slots__ = (
        "CRC",
        "compress_size",
        "compress_type",
        "file_size",
        "filename",
        "flag_bits",
        "header_offset",
    )

    def __init__(self, filename: str, f: tuple):
        """*f*: the fields of its central directory record (:data:`_CENTRAL_DIR`)."""
        self.filename = filename
        self.flag_bits, self.compress_type = f[5], f[6]
        self.CRC, self.compress_size, self.file_size = f[9], f[10], f[11]
        self.header_offset = f[18]


class ZipDirectory:
    """A zip's central directory as read by :func:`open_directory`: the part of
    :class:`zipfile.ZipFile`'s interface that :func:`_check_zip`,
    :func:`inflate` and :mod:`perfkit.readers.cells` use."""

    def __init__(self, fp, entries: list[ZipEntry]):
        self.fp = fp
        self.filelist = entries
        self.NameToInfo = {e.filename: e for e in entries}  # the last of a repeated name

    def infolist(self) -> list[ZipEntry]:
        return self.filelist

    def getinfo(self, name: str) -> ZipEntry:
        return self.NameToInfo[name]

    def close(self) -> None:
        fp, self.fp = self.fp, None
        if fp is not None:
            fp.close()


_SMALL_FILE = 1024 * 1024  # read whole: one read instead of two seeks and reads per part
_EOCD = struct.Struct("<4s4H2LH")
_CENTRAL_DIR = struct.Struct("<4s4B4HL2L5H2L")
_MAX_EXTRACT_VERSION = 63  # zipfile's
_OTHER_SEP = os.sep if os.sep != "/" else ""  # zipfile turns it into "/" in names


def open_directory(name: str) -> ZipDirectory | zipfile.ZipFile:
    """The zip at *name*, its directory read without :mod:`zipfile` when the
    zip is as spreadsheet programs write it (end record last, no comment, no
    zip64, nothing before the first entry or between the entries and the
    directory, well-formed extra fields): the entries zipfile would list, at a
    fraction of its cost.  Any other zip is opened by zipfile, which accepts or
    refuses it as it always did; so is a file that fails to read here."""
    try:
        fh = open(name, "rb")
    except OSError:
        return _open_zip(name)
    try:
        size = fh.seek(0, 2)
        if size <= _SMALL_FILE:  # a form: one read, the parts then come from memory
            fh.seek(0)
            fp = io.BytesIO(fh.read())
            fh.close()
        else:
            fp = fh
        entries = _directory(fp, size)
    except (OSError, struct.error):
        entries = None
    if entries is None:
        fh.close()
        return _open_zip(name)
    return ZipDirectory(fp, entries)


def _directory(fp, size: int) -> list[ZipEntry] | None:
    """The entries of the zip in *fp* (*size* bytes), or None when it is not a
    plain zip."""
    if size < _EOCD.size:
        return None
    tail = min(size, _EOCD.size + 20)  # the end record, and where a zip64 locator would stand
    fp.seek(size - tail)
    data = fp.read(tail)
    sig, disk, cd_disk, here, count, cd_size, cd_offset, comment = _EOCD.unpack(data[-22:])
    if sig != b"PK\x05\x06" or comment or disk or cd_disk or here != count:
        return None
    if tail == _EOCD.size + 20 and data[:4] == b"PK\x06\x07":
        return None  # a zip64 locator
    if cd_offset + cd_size != size - _EOCD.size:
        return None  # zipfile would shift every offset ("concat")
    fp.seek(cd_offset)
    cd = fp.read(cd_size)
    if len(cd) != cd_size:
        return None
    entries: list[ZipEntry] = []
    unpack, pos = _CENTRAL_DIR.unpack_from, 0
    while pos < cd_size:
        if pos + 46 > cd_size:
            return None
        f = unpack(cd, pos)
        name_at = pos + 46
        extra_at = name_at + f[12]
        pos = extra_at + f[13] + f[14]  # name, extra field, comment
        if f[0] != b"PK\x01\x02" or f[3] > _MAX_EXTRACT_VERSION or pos > cd_size:
            return None
        if f[13] and not _plain_extra(cd[extra_at : extra_at + f[13]]):
            return None
        raw = cd[name_at:extra_at]
        if raw.isascii():  # reads the same in both encodings (cp437 is a slower codec)
            filename = raw.decode("ascii")
        else:
            try:
                filename = raw.decode("utf-8" if f[5] & 0x800 else "cp437")
            except UnicodeDecodeError:
                return None
        if "\x00" in filename or (_OTHER_SEP and _OTHER_SEP in filename):
            return None  # zipfile rewrites such names
        entries.append(ZipEntry(filename, f))
    return entries


def _plain_extra(extra: bytes) -> bool:
    """Extra fields that zipfile would read as nothing: well-formed, no zip64."""
    while len(extra) >= 4:
        kind, length = struct.unpack_from("<HH", extra)
        if length + 4 > len(extra) or kind == 0x0001:
            return False
        extra = extra[length + 4 :]
    return True


def _check_zip(zf: zipfile.ZipFile, name: str, limits: Limits) -> None:
    """Entry count, declared sizes and compression ratios (zip bombs)."""
    infos = zf.infolist()
    if len(infos) > limits.max_entries:
        raise InputError(f"压缩包内条目过多（{len(infos)} 个），疑似异常文件，已拒绝", path=name)
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > limits.max_entry_bytes:
            raise InputError(
                f"压缩包内部件 {info.filename} 解压后过大，疑似压缩炸弹，已拒绝", path=name
            )
        if (
            info.file_size > limits.ratio_from
            and info.compress_size > 0
            and info.file_size / info.compress_size > limits.max_ratio
        ):
            raise InputError(
                f"压缩包内部件 {info.filename} 压缩比异常，疑似压缩炸弹，已拒绝", path=name
            )
    if total > limits.max_total_bytes:
        raise InputError("压缩包解压后总大小超过上限，疑似压缩炸弹，已拒绝", path=name)
    names = {i.filename for i in infos}
    if len(names) != len(infos):
        raise InputError("压缩包内有重名的部件，文件可能被篡改，已拒绝", path=name)
    other = _other_office_file(zf, names)
    if other:
        raise InputError(save_as_xlsx(other), path=name)
    if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
        inside = archived_forms(names)
        if inside or name.lower().endswith(ARCHIVE_SUFFIXES):
            raise InputError(archive_message(inside), path=name)
        other = named_format(name)
        raise InputError(
            save_as_xlsx(other)
            if other
            else "不是 Excel 工作簿（缺少工作簿部件），可能是其他 Office 文件或已损坏",
            path=name,
        )


ARCHIVE_SUFFIXES = (".zip", ".rar", ".7z")  # found by a folder scan (batch), read to say so
SHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".et", ".ods", ".xlsb")


def archived_forms(names) -> list[str]:
    """The spreadsheets in a zip archive's list of *names* (folders and
    macOS resource forks left out), sorted."""
    return sorted(
        n
        for n in names
        if n.lower().endswith(SHEET_SUFFIXES)
        and not n.endswith("/")
        and not n.startswith("__MACOSX/")
        and not n.rsplit("/", 1)[-1].startswith(("~$", "."))
    )


def archive_message(inside: list[str] | None) -> str:
    """Why an archive is not read, and what to do (Chinese); *inside*: the
    spreadsheets it holds (:func:`archived_forms`), None when not looked into."""
    if inside:
        first = "、".join(n.rsplit("/", 1)[-1] for n in inside[:2])
        more = "等" if len(inside) > 2 else ""
        return (
            f"是压缩包，内有 {len(inside)} 个表格文件（{first}{more}），它们没有被读取："
            "perfkit 不打开压缩包，请先解压到文件夹中再处理"
        )
    if inside is None:
        return "是压缩包，其中的表格没有被读取：perfkit 不打开压缩包，请先解压到文件夹中再处理"
    return "是压缩包，不是 Excel 工作簿，其中也没有表格文件"


_OPEN_DOCUMENT = {
    b"application/vnd.oasis.opendocument.spreadsheet": "OpenDocument 表格（.ods）",
    b"application/vnd.oasis.opendocument.text": "OpenDocument 文本文档（.odt）",
}


def _other_office_file(zf: zipfile.ZipFile | ZipDirectory, names: set[str]) -> str:
    """What a zip that is no Excel workbook is, when it is a known office file
    (so the message says how to get an .xlsx); "" otherwise."""
    if "xl/workbook.bin" in names and "xl/workbook.xml" not in names:
        return "Excel 二进制工作簿（.xlsb）"
    if "Index/Document.iwa" in names:
        return "Numbers 表格（.numbers）"
    if "[Content_Types].xml" in names and not any(n.startswith("xl/") for n in names):
        if any(n.startswith("word/") for n in names):
            return "Word 文档（.docx）"
        if any(n.startswith("ppt/") for n in names):
            return "PowerPoint 演示文稿（.pptx）"
    if "mimetype" in names:
        info = zf.getinfo("mimetype")
        if info.file_size <= 100:  # a stored line of text; nothing else is read
            try:
                kind = inflate(zf, info, 100, "").strip()
            except Exception:  # a broken part: the message for any non-workbook stands
                return ""
            if kind in _OPEN_DOCUMENT:
                return _OPEN_DOCUMENT[kind]
            if kind.startswith(b"application/vnd.oasis.opendocument"):
                return "OpenDocument 文件"
    return ""


def _check_xml(zf: zipfile.ZipFile, name: str, parts: re.Pattern | None = None) -> None:
    """The prolog guard for every XML part of the zip (or those matching *parts*)."""
    for info in zf.infolist():
        if not info.filename.endswith((".xml", ".rels", ".vml")):
            continue
        if parts is not None and not parts.match(info.filename):
            continue
        with zf.open(info) as fh:
            _refuse(_prolog_verdict(fh), info.filename, name)


def check_part(data: bytes, part: str, path: str | os.PathLike) -> bytes:
    """The prolog guard (DOCTYPE/ENTITY refused) for one part already read into
    memory: *data* back, or :class:`InputError` if its prolog declares a
    DOCTYPE/ENTITY."""
    with io.BytesIO(data) as fh:
        _refuse(_prolog_verdict(fh), part, os.fspath(path))
    return data


def _refuse(verdict: str, part: str, name: str) -> None:
    if verdict == "doctype":
        raise InputError(
            f"部件 {part} 含有 DOCTYPE/实体声明（XML 实体炸弹风险），已拒绝",
            path=name,
        )
    if verdict == "long":
        raise InputError(
            f"部件 {part} 的 XML 开头异常冗长（可能隐藏实体声明），已拒绝",
            path=name,
        )


_MAX_PROLOG = 1024 * 1024
_ROOT_START = re.compile(rb"<[A-Za-z_]")
# What Office and LibreOffice write: an optional BOM and XML declaration, then the root.
_PLAIN_PROLOG = re.compile(rb"(?:\xef\xbb\xbf)?\s*(?:<\?xml[^<>]*\?>\s*)?<[A-Za-z_]")


def _prolog_verdict(fh, chunk: int = 4096) -> str:
    """'doctype' when a DOCTYPE/ENTITY stands before the root element, 'long'
    when no root element starts within 1 MiB, else 'ok'."""
    head = b""
    while True:
        block = fh.read(chunk)
        if not head and _PLAIN_PROLOG.match(block):
            return "ok"  # the root element follows the XML declaration: nothing to hide
        head += block
        prolog = _strip_comments(head)
        root = _ROOT_START.search(prolog)
        scope = prolog if root is None else prolog[: root.start()]
        if _DOCTYPE.search(scope):
            return "doctype"
        if root is not None or not block:
            return "ok"
        if len(head) >= _MAX_PROLOG:
            return "long"


def _strip_comments(data: bytes) -> bytes:
    """Comments removed; an unfinished comment hides what follows it."""
    out = re.sub(rb"<!--.*?-->", b"", data, flags=re.S)
    cut = out.find(b"<!--")
    return out if cut < 0 else out[:cut]


def check_workbook_file(path: str | os.PathLike, limits: Limits = DEFAULT_LIMITS) -> None:
    """Both checks, the zip opened once: call this before handing a file to any reader."""
    open_checked(path, limits).close()


# The parts python-calamine parses when it opens a workbook and that
# :mod:`perfkit.readers.cells` never reads itself (comments, drawings, themes and
# document properties are read by neither; [Content_Types].xml is not parsed:
# a test holds calamine to that); the parts readers.cells reads are checked with
# :func:`check_part` as they are read, so no part is decompressed twice.
CALAMINE_PARTS = re.compile(r"^xl/(styles|sharedStrings)\.xml$")


def open_checked(
    path: str | os.PathLike, limits: Limits = DEFAULT_LIMITS, parts: re.Pattern | None = None
) -> zipfile.ZipFile:
    """The workbook's zip, opened once and checked (head, zip limits, XML
    prologs of every part, or of the *parts* a reader will parse); the caller
    reads from it and closes it."""
    name = os.fspath(path)
    _check_head(name, limits)
    zf = _open_zip(name)
    try:
        _check_zip(zf, name, limits)
        _check_xml(zf, name, parts=parts)
    except BaseException:
        zf.close()
        raise
    return zf


def inflate(zf: zipfile.ZipFile, info: zipfile.ZipInfo, cap: int, name: str) -> bytes:
    """One part's bytes, decompressed with a hard cap on the bytes actually
    produced: never more than the declared size (and never more than *cap*),
    whatever the entry's headers claim, and exactly the declared size with a
    matching CRC at the end.  A part that lies about its size is refused as
    soon as it passes the declared size, before it fills memory."""
    if info.file_size > cap:
        raise InputError(f"压缩包内部件 {info.filename} 解压后过大，已拒绝", path=name)
    if info.flag_bits & 0x1:
        raise InputError("文件已加密，无法读取", path=name)
    raw = _raw_entry(zf, info, name)
    if info.compress_type == zipfile.ZIP_STORED:
        data = raw
    elif info.compress_type == zipfile.ZIP_DEFLATED:
        inflater = zlib.decompressobj(-15)
        limit = info.file_size
        try:
            data = inflater.decompress(raw, limit + 1)
        except zlib.error:
            raise InputError(f"部件 {info.filename} 已损坏，无法解压", path=name) from None
        if len(data) > limit or inflater.unconsumed_tail:
            raise InputError(
                f"压缩包内部件 {info.filename} 解压后的大小超过其声明（疑似压缩炸弹），已拒绝",
                path=name,
            )
    else:
        raise InputError(f"部件 {info.filename} 使用了不支持的压缩方式", path=name)
    if len(data) != info.file_size or zlib.crc32(data) != info.CRC:
        raise InputError(f"部件 {info.filename} 已损坏（大小或校验码不符）", path=name)
    return data


_LOCAL_HEADER = struct.Struct("<4s2B4HL2L2H")


def _raw_entry(zf: zipfile.ZipFile, info: zipfile.ZipInfo, name: str) -> bytes:
    """The compressed bytes of an entry, located through its local header."""
    fp = zf.fp
    if fp is None:
        raise InputError("文件已关闭", path=name)
    try:
        fp.seek(info.header_offset)
        header = fp.read(_LOCAL_HEADER.size)
        fields = _LOCAL_HEADER.unpack(header)
    except (OSError, struct.error):
        raise InputError(f"部件 {info.filename} 已损坏，无法解压", path=name) from None
    if fields[0] != b"PK\x03\x04":
        raise InputError(f"部件 {info.filename} 已损坏（本地文件头不符）", path=name)
    fp.seek(fields[10] + fields[11], 1)  # file name and extra field
    raw = fp.read(info.compress_size)
    if len(raw) != info.compress_size:
        raise InputError(f"部件 {info.filename} 不完整，文件可能已损坏", path=name)
    return raw


def _is_encrypted_ooxml(name: str) -> bool:
    """An encrypted .xlsx is an OLE file holding an 'EncryptedPackage' stream."""
    try:
        import olefile  # shipped with oletools
    except ImportError:  # pragma: no cover - olefile comes with oletools
        with open(name, "rb") as fh:
            return "EncryptedPackage".encode("utf-16-le") in fh.read(1 << 20)
    try:
        with olefile.OleFileIO(name) as ole:
            return ole.exists("EncryptedPackage")
    except Exception:  # damaged OLE data: olefile raises OSError, ValueError, struct.error …
        return False
