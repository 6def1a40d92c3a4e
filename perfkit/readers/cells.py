"""The cells of a workbook, read safely: what every reader starts from.

:func:`open_book` gives a :class:`Book` for an .xlsx/.xlsm (zip) or an .xls
(BIFF, OLE), and ``book.sheet(name)`` a :class:`SheetData`: the values as a
spreadsheet program last showed them, the formula text of each formula cell
(.xlsx only; .xls keeps values), the merged ranges.

Guards, in order:

* the file's head and zip directory (:mod:`perfkit.safety`: size, entries,
  declared sizes, duplicate names, encryption, OLE; the directory of a zip as
  spreadsheet programs write it is read by :func:`perfkit.safety.open_directory`,
  any other by zipfile);
* every part read is inflated here with a hard cap on the bytes actually
  produced (a part that lies about its size is refused, never inflated), and
  its XML prolog is checked (DOCTYPE/ENTITY refused);
* python-calamine parses values from an in-memory copy holding only those
  verified parts, so it never inflates anything itself (in that copy a
  sheet's merged-cell list stands before its cells: see :func:`_merges_first`);
* no trust in sheet dimensions: the cells a sheet really holds are scanned
  first (every tag calamine takes for a cell), and a sheet reaching beyond :data:`MAX_ROWS` × :data:`MAX_COLS`
  (a stray value in XFD1048576 would make calamine allocate the whole
  rectangle, 512 GiB) is cut down to that block before calamine sees it.
"""

from __future__ import annotations

import html
import io
import os
import posixpath
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from defusedxml.ElementTree import fromstring, iterparse

from ..errors import InputError
from ..model import Formula
from ..safety import (
    DEFAULT_LIMITS,
    OLE_MAGIC,
    Limits,
    _check_head,
    _check_zip,
    check_part,
    inflate,
    open_directory,
)

MAX_ROWS = 10_000  # a form, or a sheet of a hundred stacked forms, fits in this block
MAX_COLS = 64

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_DOC_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_ROW, _CELL, _F, _V, _T = (f"{_MAIN}{t}" for t in ("row", "c", "f", "v", "t"))
REL_STYLES = "/styles"
REL_SHARED = "/sharedStrings"
REL_SHEET = "/worksheet"

_A1 = re.compile(r"\$?([A-Za-z]{1,3})\$?([0-9]{1,7})")


@lru_cache(maxsize=4096)
def cell_index(cell: str) -> tuple[int, int]:
    """'H14' -> (13, 7): zero-based row and column."""
    m = _A1.fullmatch(cell)
    if m is None or int(m.group(2)) < 1:
        raise ValueError(f"不是单元格地址：{cell!r}")
    col = 0
    for ch in m.group(1).upper():
        col = col * 26 + ord(ch) - 64
    return int(m.group(2)) - 1, col - 1


def address(r: int, c: int) -> str:
    """(13, 7) -> 'H14' (zero-based)."""
    letters = ""
    c += 1
    while c:
        c, rem = divmod(c - 1, 26)
        letters = chr(65 + rem) + letters
    return f"{letters}{r + 1}"


# --------------------------------------------------------------------------
# what a reader gets
# --------------------------------------------------------------------------


@dataclass
class SheetData:
    """One sheet's cells, zero-based: ``values[r][c]`` (ragged rows, blank is
    None; a formula cell holds its cached result), ``formulas[(r, c)]`` the
    formula text ("=…"), ``merged`` the merged ranges (r1, c1, r2, c2)."""

    name: str
    values: list[list[Any]]
    formulas: dict[tuple[int, int], str] = field(default_factory=dict)
    merged: tuple[tuple[int, int, int, int], ...] = ()
    cut: str = ""  # the far cell that made the sheet be cut to the block, if any
    # number cells shown as a percentage by their format (.xlsx): a typed "96%"
    # is kept as 0.96
    percent: frozenset[tuple[int, int]] = frozenset()
    hidden_rows: frozenset[int] = frozenset()  # rows hidden in the spreadsheet program

    @property
    def nrows(self) -> int:
        return len(self.values)

    def value(self, r: int, c: int) -> Any:
        """What the cell shows (cached result for a formula), None if blank."""
        if 0 <= r < len(self.values):
            line = self.values[r]
            if c < len(line):
                return line[c]
        return None

    def raw(self, r: int, c: int) -> Any:
        """The model's raw value: the value, or a :class:`Formula`."""
        text = self.formulas.get((r, c))
        value = self.value(r, c)
        return value if text is None else Formula(text, value)


class Book:
    """An open workbook; use as a context manager."""

    format = "xlsx"

    def __init__(self, path: str, limits: Limits = DEFAULT_LIMITS):
        self.path = path
        self.limits = limits
        self.sheet_names: list[str] = []
        self.defined_names: dict[str, str] = {}
        self.hidden_sheets: set[str] = set()

    def __enter__(self) -> Book:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:  # pragma: no cover - overridden
        pass

    def sheet(self, name: str) -> SheetData:  # pragma: no cover - overridden
        raise NotImplementedError

    def sheets(self) -> list[SheetData]:
        return [self.sheet(name) for name in self.sheet_names]


def open_book(path: str | os.PathLike, limits: Limits = DEFAULT_LIMITS) -> Book:
    """The workbook at *path* (.xlsx, .xlsm or .xls), checked and opened."""
    name = os.fspath(path)
    if _check_head(name, limits, allow_ole=True) == OLE_MAGIC:
        from .xls import XlsBook

        return XlsBook(name, limits)
    return XlsxBook(name, limits)


# --------------------------------------------------------------------------
# .xlsx / .xlsm
# --------------------------------------------------------------------------


class XlsxBook(Book):
    def __init__(self, path: str, limits: Limits = DEFAULT_LIMITS):
        super().__init__(path, limits)
        self._zip = open_directory(path)
        self._data: dict[str, bytes] = {}
        self._crc: dict[str, int] = {}  # of the parts as inflated (checked against the zip's)
        self._plain: dict[str, bool] = {}  # sheet part -> _plain_sheet of its bytes
        self._inflated = 0
        self._calamine = None
        self._sheets: dict[str, SheetData] = {}
        try:
            _check_zip(self._zip, path, limits)
            self._structure()
        except BaseException as exc:
            self._zip.close()
            if isinstance(exc, InputError):
                raise
            raise InputError(f"无法读取工作簿结构（{_kind(exc)}）", path=path) from None

    def close(self) -> None:
        self._zip.close()
        self._calamine = None
        self._data.clear()

    # -- parts -------------------------------------------------------------
    def part(self, name: str, what: str = "") -> bytes:
        """A part's bytes: inflated once with a hard cap, prolog-checked."""
        data = self._data.get(name)
        if data is None:
            try:
                info = self._zip.getinfo(name)
            except KeyError:
                raise InputError(f"缺少部件 {name}", path=self.path) from None
            limits = self.limits
            data = inflate(self._zip, info, limits.max_inflate_bytes, self.path)
            self._inflated += len(data)
            if self._inflated > limits.max_inflate_total:
                raise InputError("工作簿解压后总大小超过上限，已拒绝", path=self.path)
            self._data[name] = data = check_part(data, what or name, self.path)
            self._crc[name] = info.CRC  # inflate compared it with the bytes
        return data

    def has_part(self, name: str) -> bool:
        return name in self._zip.NameToInfo

    def _structure(self) -> None:
        root = _office_document(self.part("_rels/.rels") if self.has_part("_rels/.rels") else b"")
        self._book_part = root or "xl/workbook.xml"
        rels_name = posixpath.join(
            posixpath.dirname(self._book_part),
            "_rels",
            posixpath.basename(self._book_part) + ".rels",
        )
        book = self.part(self._book_part)
        rels = self.part(rels_name)
        self._rels_part = rels_name
        parsed = _workbook(book, rels, posixpath.dirname(self._book_part))
        self._sheet_parts = {n: p for n, p in parsed.sheets.items() if self.has_part(p)}
        self.sheet_names = list(self._sheet_parts)
        self.defined_names = parsed.names
        self.hidden_sheets = {n for n in parsed.hidden if n in self._sheet_parts}
        self._extra = [p for p in parsed.extra if self.has_part(p)]
        self._styles = parsed.styles if parsed.styles in self._extra else ""
        self._percent_xfs: frozenset[int] | None = None

    # -- sheets ------------------------------------------------------------
    def sheet(self, name: str) -> SheetData:
        got = self._sheets.get(name)
        if got is None:
            got = self._sheets[name] = self._read_sheet(name)
        return got

    def _read_sheet(self, name: str) -> SheetData:
        part = self._sheet_parts.get(name)
        if part is None:
            raise InputError(f"缺少工作表「{name}」", path=self.path)
        data = self.part(part, f"工作表「{name}」")
        plain = self._plain_sheet(part, data)
        rows, cols, far = _extent(data) if plain else (None, None, None)
        cut = ""
        if rows is None or rows > MAX_ROWS or cols > MAX_COLS:
            # cells without an address (or a sheet not plain) are placed by the parse
            data, far_cell = _cut(data, plain and rows is not None)
            cut = far_cell or (address(far[0], far[1]) if far else "")
            self._data[part] = data
            self._crc.pop(part, None)
            self._plain.pop(part, None)
            plain = self._plain_sheet(part, data)
            rows, cols, _ = _extent(data) if plain else (MAX_ROWS, MAX_COLS, None)
            self._calamine = None  # rebuilt with the cut sheet
        formulas, cached = _formulas(data, plain=plain, where=name, path=self.path)
        values, merged = self._values(name, rows or 0, cols or 0)
        for r, c in cached.keys() | formulas.keys():
            while len(values) <= r:
                values.append([])
            line = values[r]
            while len(line) <= c:
                line.append(None)
            line[c] = cached.get((r, c))
        percent = _percent_cells(data, self._percent_styles(), values) if plain else frozenset()
        hidden = _hidden_rows(data) if plain else frozenset()
        return SheetData(name, values, formulas, merged, cut, percent, hidden)

    def _percent_styles(self) -> frozenset[int]:
        """The cell formats (``s`` indices) of the workbook that show a percentage."""
        if self._percent_xfs is None:
            self._percent_xfs = frozenset()
            if self._styles:
                self._percent_xfs = percent_formats(self.part(self._styles, "样式"))
        return self._percent_xfs

    def _plain_sheet(self, part: str, data: bytes) -> bool:
        """:func:`_plain_sheet` of a sheet part as it now stands, decided once."""
        plain = self._plain.get(part)
        if plain is None:
            plain = self._plain[part] = _plain_sheet(data)
        return plain

    def _values(self, name: str, nrows: int, ncols: int):
        book = self._calamine_book()
        try:
            sheet = book.get_sheet_by_name(name)
            rows = sheet.to_python(skip_empty_area=False, nrows=min(nrows, MAX_ROWS))
            merged = tuple(
                (r1, c1, r2, c2)
                for (r1, c1), (r2, c2) in (sheet.merged_cell_ranges or ())
                if r1 < MAX_ROWS and c1 < MAX_COLS
            )
        except Exception as exc:
            raise InputError(f"无法读取工作表「{name}」（{_kind(exc)}）", path=self.path) from None
        values = [[None if v == "" else v for v in row[:MAX_COLS]] for row in rows[:MAX_ROWS]]
        return values, merged

    def _calamine_book(self):
        """python-calamine over an in-memory copy of the verified parts only
        (stored, not compressed): calamine inflates nothing of the file."""
        if self._calamine is None:
            from python_calamine import CalamineWorkbook

            # calamine never parses [Content_Types].xml (tests hold it to that)
            names = ["_rels/.rels", self._book_part, self._rels_part]
            names += self._extra + list(self._sheet_parts.values())
            sheets = set(self._sheet_parts.values())
            parts = []
            for n in dict.fromkeys(names):
                if self.has_part(n):
                    data = self.part(n)
                    moved = _merges_first(data, self._plain_sheet(n, data)) if n in sheets else data
                    parts.append((n, moved, self._crc.get(n) if moved is data else None))
            try:
                self._calamine = CalamineWorkbook.from_filelike(io.BytesIO(stored_zip(parts)))
            except Exception as exc:
                raise InputError(f"无法读取单元格内容（{_kind(exc)}）", path=self.path) from None
        return self._calamine


def _merges_first(data: bytes, plain: bool | None = None) -> bytes:
    """A plain sheet as calamine is given it: its merged-cell list moved from
    after the cells to before them, or an empty list put there if it has none.

    calamine reads a sheet twice, once for the cells and once for the merged
    ranges; the second read walks the XML until it meets the first
    ``mergeCells`` element, which spreadsheet programs write after the cells,
    so it goes through every cell again.  With the list first it stops there.
    The cell read passes over an element before ``sheetData`` (tests hold the
    values and merged ranges equal to calamine's of the file itself).  Left
    as it is: any sheet that names mergeCells other than as one block after
    the cells.  *plain*: :func:`_plain_sheet` of *data*, if known."""
    if not (_plain_sheet(data) if plain is None else plain):
        return data
    start = data.find(b"<sheetData")
    end = data.rfind(b"</sheetData>")
    if start == -1 or end < start or data.find(b"mergeCells", 0, end) != -1:
        return data
    at = data.find(b"<mergeCells", end)
    if at == -1:
        if data.find(b"mergeCells", end) != -1:
            return data
        return b"".join((data[:start], b"<mergeCells></mergeCells>", data[start:]))
    block = _MERGE_LIST.match(data, at)
    if block is None or data.count(b"mergeCells", end) != 2:
        return data
    close = block.end()
    return b"".join((data[:start], data[at:close], data[start:at], data[close:]))


_MERGE_LIST = re.compile(rb"<mergeCells(?:\s[^<>]*)?>(?:\s*<mergeCell\s[^<>]*/>)*\s*</mergeCells>")


_LOCAL = struct.Struct("<IHHHHHIIIHH")
_CENTRAL = struct.Struct("<IHHHHHHIIIHHHHHII")
_END = struct.Struct("<IHHHHIIH")


def stored_zip(parts: list[tuple[str, bytes, int | None]]) -> bytes:
    """A zip of *parts* (name, bytes, their CRC-32 if known), stored (not
    compressed): what calamine reads."""
    out: list[bytes] = []
    central: list[bytes] = []
    offset = 0
    for name, data, crc in parts:
        raw = name.encode("utf-8")
        if crc is None:
            crc = zlib.crc32(data)
        size = len(data)
        local = _LOCAL.pack(0x04034B50, 20, 0x800, 0, 0, 0x21, crc, size, size, len(raw), 0)
        out += (local, raw, data)
        central.append(
            _CENTRAL.pack(
                0x02014B50,
                20,
                20,
                0x800,
                0,
                0,
                0x21,
                crc,
                size,
                size,
                len(raw),
                0,
                0,
                0,
                0,
                0,
                offset,
            )
        )
        central.append(raw)
        offset += len(local) + len(raw) + size
    directory = b"".join(central)
    out.append(directory)
    out.append(_END.pack(0x06054B50, 0, 0, len(parts), len(parts), len(directory), offset, 0))
    return b"".join(out)


def _kind(exc: BaseException) -> str:
    """A short Chinese account of an unexpected parser error (no exception text)."""
    if isinstance(exc, MemoryError):
        return "内存不足"
    if isinstance(exc, (zipfile.BadZipFile, EOFError)):
        return "压缩数据损坏"
    return "内容格式异常"


# --------------------------------------------------------------------------
# workbook structure
# --------------------------------------------------------------------------


@dataclass
class _Workbook:
    sheets: dict[str, str]  # name -> part, in workbook order
    names: dict[str, str]  # workbook-level defined name -> reference text
    hidden: set[str]
    extra: list[str]  # styles, shared strings
    styles: str = ""  # the styles part


_REL = re.compile(rb"<Relationship\b([^>]*)/?>")
_ATTR = re.compile(rb'\s([A-Za-z_][\w.:-]*)="([^"]*)"')


def _attrs(raw: bytes) -> dict[str, str]:
    """A tag's attributes by local name (the last of a repeated name wins)."""
    return dict(_attr_items(raw) if len(raw) <= 512 else _read_attrs(raw))


def _read_attrs(raw: bytes) -> tuple[tuple[str, str], ...]:
    return tuple((k.decode().split(":")[-1], _xml_text(v)) for k, v in _ATTR.findall(raw))


# Relationship and defined-name tags repeat from workbook to workbook (short
# ones only are kept).
_attr_items = lru_cache(maxsize=4096)(_read_attrs)


def _office_document(rels: bytes) -> str | None:
    for m in _REL.finditer(rels):
        a = _attrs(m.group(1))
        if a.get("Type", "").endswith("/officeDocument"):
            return a.get("Target", "").lstrip("/")
    return None


def _part_of(target: str, base: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(base, target))


def _workbook(book_xml: bytes, rels_xml: bytes, base: str) -> _Workbook:
    """Sheets, defined names and the styles/shared-strings parts: read with
    regular expressions when the XML is as spreadsheet programs write it,
    else parsed with defusedxml (tests hold the two equal)."""
    fast = _workbook_fast(book_xml, rels_xml, base)
    return fast if fast is not None else _workbook_parsed(book_xml, rels_xml, base)


_SHEET = re.compile(rb"<sheet\b([^>]*)/>")
_NAME = re.compile(rb"<definedName\b([^>]*)>([^<]*)</definedName>")
_DOC_REL_NS = b'"http://schemas.openxmlformats.org/officeDocument/2006/relationships"'


def _between(data: bytes, start: bytes, end: bytes) -> bytes | None:
    """What stands between the first *start* and the *end* after it."""
    i = data.find(start)
    if i == -1:
        return None
    i += len(start)
    j = data.find(end, i)
    return None if j == -1 else data[i:j]


def _workbook_fast(book_xml: bytes, rels_xml: bytes, base: str) -> _Workbook | None:
    if b"<workbook " not in book_xml[:1024] or _has_unusual(book_xml) or _has_unusual(rels_xml):
        return None
    targets: dict[str, str] = {}
    extra: list[str] = []
    styles = ""
    rels = _REL.findall(rels_xml)
    if rels_xml.count(b"<Relationship ") != len(rels):
        return None
    for raw in rels:
        a = _attrs(raw)
        if "Id" not in a or "Target" not in a:
            return None
        part = _part_of(a["Target"], base)
        targets[a["Id"]] = part
        kind = a.get("Type", "")
        if kind.endswith(REL_STYLES) or kind.endswith(REL_SHARED):
            extra.append(part)
            if kind.endswith(REL_STYLES):
                styles = part
    block = _between(book_xml, b"<sheets>", b"</sheets>")
    if block is None:
        return None
    found = _SHEET.findall(block)
    if block.count(b"<sheet") != len(found):
        return None
    sheets: dict[str, str] = {}
    hidden: set[str] = set()
    for raw in found:
        pairs = dict(_ATTR.findall(raw))
        rid = next((k for k in pairs if k.endswith(b":id")), None)
        if rid is None or b"xmlns:" + rid[:-3] + b"=" + _DOC_REL_NS not in book_xml:
            return None
        name = _xml_text(pairs.get(b"name", b""))
        part = targets.get(_xml_text(pairs[rid]))
        if part and name:
            sheets[name] = part
            if pairs.get(b"state") in (b"hidden", b"veryHidden"):
                hidden.add(name)
    names: dict[str, str] = {}
    block = _between(book_xml, b"<definedNames>", b"</definedNames>")
    if block is not None:
        found = _defined_names(block) if len(block) <= 65536 else _read_defined_names(block)
        if found is None:
            return None
        names.update(found)
    return _Workbook(sheets, names, hidden, extra, styles)


def _read_defined_names(block: bytes) -> tuple[tuple[str, str], ...] | None:
    """The workbook-level names of a ``definedNames`` block and their
    references, None when some name is not read by :data:`_NAME`."""
    found = _NAME.findall(block)
    if block.count(b"<definedName") != len(found):
        return None
    names = []
    for raw, text in found:
        a = _attrs(raw)
        if "localSheetId" not in a and a.get("name"):
            names.append((a["name"], _xml_text(text).strip()))
    return tuple(names)


# Forms made from one template carry the same names (kept for blocks up to 64 KiB).
_defined_names = lru_cache(maxsize=256)(_read_defined_names)


def _workbook_parsed(book_xml: bytes, rels_xml: bytes, base: str) -> _Workbook:
    try:
        book = fromstring(book_xml)
        rels = fromstring(rels_xml)
    except Exception:
        raise ValueError("workbook") from None
    targets: dict[str, str] = {}
    extra: list[str] = []
    styles = ""
    for rel in rels.iter(_PKG_REL):
        part = _part_of(rel.get("Target", ""), base)
        targets[rel.get("Id", "")] = part
        kind = rel.get("Type", "")
        if kind.endswith(REL_STYLES) or kind.endswith(REL_SHARED):
            extra.append(part)
            if kind.endswith(REL_STYLES):
                styles = part
    sheets: dict[str, str] = {}
    hidden: set[str] = set()
    node = book.find(f"{_MAIN}sheets")
    for sheet in node if node is not None else ():
        part = targets.get(sheet.get(_DOC_REL, ""))
        name = sheet.get("name", "")
        if part and name:
            sheets[name] = part
            if sheet.get("state") in ("hidden", "veryHidden"):
                hidden.add(name)
    names: dict[str, str] = {}
    node = book.find(f"{_MAIN}definedNames")
    for dn in node if node is not None else ():
        if dn.get("localSheetId") is None and dn.get("name"):
            names[dn.get("name")] = (dn.text or "").strip()
    return _Workbook(sheets, names, hidden, extra, styles)


# --------------------------------------------------------------------------
# number formats that show a percentage
# --------------------------------------------------------------------------

_PERCENT_FORMAT_IDS = frozenset({9, 10})  # built in: 0%, 0.00%
_NUM_FMT = re.compile(rb'<numFmt\b[^>]*?numFmtId="([0-9]+)"[^>]*?formatCode="([^"]*)"')
_XF = re.compile(rb"<xf\b([^>]*)>")
_NUM_FMT_ID = re.compile(rb'\bnumFmtId="([0-9]+)"')
_QUOTED = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')


def is_percent_format(code: str | None) -> bool:
    """Whether a number format shows a percentage: a % outside quotes, escapes
    and [colour] brackets ("0%", "0.00%", "[Red]0.0%"; not '0"%"' or "0\\%")."""
    return bool(code) and "%" in _QUOTED.sub("", code)


@lru_cache(maxsize=256)
def percent_formats(styles: bytes) -> frozenset[int]:
    """Indices into ``cellXfs`` whose number format shows a percentage (0%,
    0.00%, or a custom code with % outside quotes, escapes and [colour]
    brackets).  Forms from one template share their styles: worked out once."""
    codes = {int(i): _xml_text(code) for i, code in _NUM_FMT.findall(styles)}
    percent = {i for i, code in codes.items() if is_percent_format(code)}
    percent |= _PERCENT_FORMAT_IDS - codes.keys()
    block = _between(styles, b"<cellXfs", b"</cellXfs>")
    if block is None:
        return frozenset()
    found = set()
    for i, attrs in enumerate(_XF.findall(block)):
        m = _NUM_FMT_ID.search(attrs)
        if m and int(m.group(1)) in percent:
            found.add(i)
    return frozenset(found)


@lru_cache(maxsize=256)
def _styled_cell(xfs: frozenset[int]) -> re.Pattern[bytes]:
    """A cell tag whose ``s`` is one of *xfs*."""
    styles = b"|".join(b"%d" % i for i in sorted(xfs))
    return re.compile(rb'<c\b([^>]*?\bs="(?:' + styles + rb')"[^>]*)>')


def _percent_cells(data: bytes, xfs: frozenset[int], values: list[list[Any]]):
    """The number cells of a plain sheet whose format is one of *xfs*."""
    if not xfs or not any(b's="%d"' % i in data for i in xfs):
        return frozenset()
    out = set()
    for attrs in _styled_cell(xfs).findall(data):
        cell = _cell_attrs(attrs)
        if cell is None or cell[2] not in ("n", ""):
            continue
        r, c, _ = cell
        line = values[r] if r < len(values) else ()
        v = line[c] if c < len(line) else None
        if type(v) in (int, float):
            out.add((r, c))
    return frozenset(out)


_HIDDEN_ROW = re.compile(rb'<row\b[^>]*?\bhidden="(?:1|true)"[^>]*>')


def _hidden_rows(data: bytes) -> frozenset[int]:
    """The rows (zero-based) a plain sheet hides, within the block."""
    if b'hidden="' not in data:
        return frozenset()
    out = set()
    for tag in _HIDDEN_ROW.findall(data):
        r = _ROW_R.search(tag)
        if r and int(r.group(1)) <= MAX_ROWS:
            out.add(int(r.group(1)) - 1)
    return frozenset(out)


# --------------------------------------------------------------------------
# a sheet's extent, and cutting it to the block
# --------------------------------------------------------------------------

_UNUSUAL = (b"<!--", b"<![CDATA[", b"<!DOCTYPE")
_CELL_REF = re.compile(rb"<c\b[^>]*?\sr=\"([A-Z]{1,3})([0-9]{1,7})\"")


def _plain_sheet(data: bytes) -> bool:
    """Unprefixed SpreadsheetML without comments, CDATA or DTD, and no cell
    tag with a prefix (calamine takes ``<x:c>`` for a cell, whatever x is)."""
    return (
        b"<worksheet" in data[:512] and not _has_unusual(data) and not _PREFIXED_CELL.search(data)
    )


# A text reading ":c " matches too: that sheet is then parsed (slower, never wrong).
_PREFIXED_CELL = re.compile(rb":c[\s>/]")


def _has_unusual(data: bytes) -> bool:
    # Each mark starts "<!": a one-byte search for "!" (memchr, a fraction of
    # one search for "<!--" in XML full of "<") clears most parts at once.
    return b"!" in data and any(mark in data for mark in _UNUSUAL)


# Every cell tag ("<c", then white space, ">" or "/"), its address captured
# when it comes first ('<c r="B7"'); a cell read otherwise yields empty groups.
_CELL_START = re.compile(rb'<c(?: r="([A-Z]{1,3})([0-9]{1,7})"|[\s>/])')


def _extent(data: bytes) -> tuple[int | None, int | None, tuple[int, int] | None]:
    """(rows, columns, the farthest cell) that a plain sheet's cells reach,
    counted from A1; (None, None, None) when some cell has no address."""
    refs = _CELL_START.findall(data)  # one pass: every cell, and the address of most
    if not refs:
        return 0, 0, None
    letters, digits = zip(*refs, strict=True)
    columns = set(letters)
    if b"" in columns:  # some address is not the first attribute, or missing
        cells = len(refs)
        refs = _CELL_REF.findall(data)
        if len(refs) != cells:
            return None, None, None
        letters, digits = zip(*refs, strict=True)
        columns = set(letters)
    rows = max(map(int, set(digits)))
    cols = max(map(_col_number, columns))
    far = None
    if rows > MAX_ROWS or cols > MAX_COLS:
        for c, r in refs:
            if int(r) > MAX_ROWS or _col_number(c) > MAX_COLS:
                far = (int(r) - 1, _col_number(c) - 1)
                break
    return rows, cols, far


@lru_cache(maxsize=1024)
def _col_number(letters: bytes) -> int:
    col = 0
    for ch in letters:
        col = col * 26 + ch - 64
    return col


_ROW_ELEM = re.compile(rb"<row\b[^>]*?(?:/>|>.*?</row>)", re.S)
_CELL_ELEM = re.compile(rb"<c\b[^>]*?(?:/>|>.*?</c>)", re.S)
_ROW_R = re.compile(rb"\sr=\"([0-9]{1,7})\"")
_DIMENSION = re.compile(rb"<dimension\b[^>]*/>")
_MERGES = re.compile(rb"<mergeCells\b.*?</mergeCells>", re.S)


def _cut(data: bytes, plain: bool) -> tuple[bytes, str]:
    """The sheet with every cell outside the block removed (the far cell is
    named in findings).  Plain XML is cut with expressions, anything else is
    parsed, cut and written again."""
    if not plain:
        return _cut_parsed(data)
    far = ""

    def row(m: re.Match) -> bytes:
        nonlocal far
        elem = m.group(0)
        head = elem[: elem.find(b">") + 1]
        r = _ROW_R.search(head)
        if r and int(r.group(1)) > MAX_ROWS:
            cell = _CELL_REF.search(elem)
            if cell and not far:
                far = (cell.group(1) + cell.group(2)).decode()
            return b""
        return _CELL_ELEM.sub(cell_in_block, elem)

    def cell_in_block(m: re.Match) -> bytes:
        nonlocal far
        ref = _CELL_REF.match(m.group(0))
        if ref is None:
            return m.group(0)
        if int(ref.group(2)) > MAX_ROWS or _col_number(ref.group(1)) > MAX_COLS:
            far = far or (ref.group(1) + ref.group(2)).decode()
            return b""
        return m.group(0)

    out = _ROW_ELEM.sub(row, data)
    out = _DIMENSION.sub(b"", out)
    out = _MERGES.sub(_merges_in_block, out)
    rows, cols, _ = _extent(out)
    if rows is None or rows > MAX_ROWS or cols > MAX_COLS:  # cells outside any row
        out, more = _cut_parsed(out)
        far = far or more
    return out, far


def _merges_in_block(m: re.Match) -> bytes:
    keep = []
    for ref in re.findall(rb'ref="([A-Z]{1,3}[0-9]{1,7}):([A-Z]{1,3}[0-9]{1,7})"', m.group(0)):
        r1, c1 = cell_index(ref[0].decode())
        if r1 < MAX_ROWS and c1 < MAX_COLS:
            keep.append(b'<mergeCell ref="' + ref[0] + b":" + ref[1] + b'"/>')
    if not keep:
        return b""
    return b'<mergeCells count="%d">' % len(keep) + b"".join(keep) + b"</mergeCells>"


def _cut_parsed(data: bytes) -> tuple[bytes, str]:
    import xml.etree.ElementTree as ET

    try:
        root = fromstring(data)
    except Exception:
        raise InputError("工作表的内容无法解析") from None
    for prefix, uri in (
        ("", _MAIN[1:-1]),
        ("r", "http://schemas.openxmlformats.org/officeDocument/2006/relationships"),
    ):
        ET.register_namespace(prefix, uri)
    # calamine goes by local names (whatever the prefix or namespace), reads
    # the first sheetData, and places a cell by its address, else after the
    # cell before it: so are cells placed here, every "c" counted.
    sheet_data = next((e for e in root.iter() if _local(e.tag) == "sheetData"), None)
    far = _cut_cells(sheet_data) if sheet_data is not None else ""
    for tag in ("dimension",):
        node = root.find(f"{_MAIN}{tag}")
        if node is not None:
            root.remove(node)
    try:
        return ET.tostring(root, encoding="utf-8", xml_declaration=True), far
    except RecursionError:  # elements nested thousands deep: no sheet is written so
        raise InputError("工作表的内容无法解析") from None


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _cut_cells(sheet_data) -> str:
    """Remove, in place, every cell of *sheet_data* placed beyond the block,
    and every row starting beyond it; the first one removed, named.  The
    tree is walked with a stack (a deeply nested file cannot exhaust the
    interpreter's recursion)."""
    far = ""
    row_index = col_index = 0  # zero-based, as calamine counts
    stack = [(sheet_data, iter(list(sheet_data)), False)]
    while stack:
        parent, children, is_row = stack[-1]
        elem = next(children, None)
        if elem is None:
            stack.pop()
            if is_row:  # a row ends: the next starts one lower, at column A
                row_index += 1
                col_index = 0
            continue
        name = _local(elem.tag) if isinstance(elem.tag, str) else ""
        if name == "row":
            r = elem.get("r")
            if r:
                row_index = int(r) - 1
            if row_index >= MAX_ROWS:
                parent.remove(elem)
                far = far or f"第 {row_index + 1} 行"
                row_index += 1
                col_index = 0
                continue
        elif name == "c":
            ref = elem.get("r")
            row, col = cell_index(ref) if ref else (row_index, col_index)
            col_index = col + 1
            if row >= MAX_ROWS or col >= MAX_COLS:
                parent.remove(elem)
                far = far or (ref or f"第 {row + 1} 行第 {col + 1} 列")
                continue
        stack.append((elem, iter(list(elem)), name == "row"))
    return far


# --------------------------------------------------------------------------
# formula text (calamine gives values only)
# --------------------------------------------------------------------------


class _NotPlain(Exception):
    """The fast scan met something it does not handle: parse fully."""


def _formulas(
    data: bytes, plain: bool, where: str, path: str, exact: bool = False
) -> tuple[dict[tuple[int, int], str], dict[tuple[int, int], Any]]:
    """Formula text of every formula cell in the block, and the cached result
    of each (error values included).  Sheets as spreadsheet programs write
    them take a fast path that looks only at the formula cells; anything
    unusual, or ``exact``, gets a full parse (tests hold them equal)."""
    if plain and not exact:
        try:
            return _scan_formulas(data)
        except _NotPlain:
            pass
    return _formulas_parsed(data, where, path)


def _formulas_parsed(data: bytes, where: str, path: str):
    formulas: dict[tuple[int, int], str] = {}
    cached: dict[tuple[int, int], Any] = {}
    shared: dict[str, tuple[str, str]] = {}
    row_no = 0
    col_no = -1
    try:
        with io.BytesIO(data) as fh:
            for event, elem in iterparse(fh, events=("start", "end")):
                tag = elem.tag
                if event == "start":
                    if tag == _ROW:
                        r = elem.get("r")
                        row_no = int(r) if r else row_no + 1
                        col_no = -1
                    continue
                if tag == _CELL:
                    ref = elem.get("r")
                    if ref:
                        _, col_no = cell_index(ref)
                    else:
                        col_no += 1
                    if row_no <= MAX_ROWS and col_no < MAX_COLS:
                        _parsed_cell(elem, row_no - 1, col_no, formulas, cached, shared)
                    elem.clear()
                elif tag == _ROW:
                    elem.clear()
    except InputError:
        raise
    except Exception:
        raise InputError(f"工作表「{where}」的内容无法解析", path=path) from None
    return formulas, cached


def _parsed_cell(elem, r: int, c: int, formulas: dict, cached: dict, shared: dict) -> None:
    f = elem.find(_F)
    if r < 0:
        return
    if f is None:
        v = elem.find(_V)
        if elem.get("t") == "e" and v is not None and v.text:
            cached[(r, c)] = v.text  # an error value typed as a constant
        return
    text = _shared(f.text or "", f.get("t"), f.get("si"), address(r, c), shared)
    if not text:
        return
    formulas[(r, c)] = "=" + text
    v = elem.find(_V)
    kind = elem.get("t", "n")
    if v is not None and v.text is not None:
        cached[(r, c)] = _typed(v.text, kind)
    elif v is not None and kind == "str":
        cached[(r, c)] = ""  # a text result that is empty: computed, shows nothing
    elif kind == "inlineStr":
        cached[(r, c)] = "".join(t.text or "" for t in elem.iter(_T))


def _shared(text: str, kind: str | None, si: str | None, here: str, shared: dict) -> str:
    """Formula text of a cell, translating a shared formula's followers
    (``<f t="shared" si="0"/>``) from their group's first cell."""
    if kind != "shared" or si is None:
        return text
    if text:
        shared[si] = (text, here)
        return text
    if si in shared:
        base, origin = shared[si]
        return _translate(base, origin, here)
    return text


def _translate(formula: str, origin: str, here: str) -> str:
    """A shared formula's text as the cell *here* shows it (openpyxl's
    translator, imported only for files that use shared formulas)."""
    from openpyxl.formula.translate import Translator

    return Translator("=" + formula, origin=origin).translate_formula(here)[1:]


# A formula cell as spreadsheet programs write it: <f> is the first child of
# <c> (schema order f, v, is); its text and the cached <v> hold no markup.
_FORMULA_CELL = re.compile(
    rb"<c\b([^>]*)>\s*(<f)\b([^>]*?)(?:/>|>([^<]*)</f>)\s*(?:<v>([^<]*)</v>|<v/>)?"
)
_F_TAG = re.compile(rb"<f[\s>/]")
_ERROR_CONSTANT = re.compile(rb'<c\b([^>]*\bt="e"[^>]*)>\s*<v>([^<]*)</v>')
_R_ATTR = re.compile(rb'\br="([A-Z]{1,3}[0-9]{1,7})"')
_T_ATTR = re.compile(rb'\bt="([^"]*)"')
_SI_ATTR = re.compile(rb'\bsi="([^"]*)"')


def _scan_formulas(data: bytes):
    """Fast path: find each ``<f>`` tag of the sheet data, and read the cell
    it opens (the nearest ``<c`` before it) with one anchored expression; any
    cell that does not read as expected sends the sheet to the full parse."""
    start = data.find(b"<sheetData")
    end = data.rfind(b"</sheetData>")
    if start == -1 or end == -1:
        if b"<sheetData/>" in data or b"<sheetData />" in data:
            return {}, {}
        raise _NotPlain
    formulas: dict[tuple[int, int], str] = {}
    cached: dict[tuple[int, int], Any] = {}
    shared: dict[str, tuple[str, str]] = {}
    for tag in _F_TAG.finditer(data, start, end):
        m = _FORMULA_CELL.match(data, data.rfind(b"<c", start, tag.start()))
        if m is None or m.start(2) != tag.start():
            raise _NotPlain
        cattrs, _, fattrs, ftext, vtext = m.groups()
        cell = _cell_attrs(cattrs)
        if cell is None:
            raise _NotPlain  # positional cells: the full parse counts them
        r, c, kind = cell
        if r >= MAX_ROWS or c >= MAX_COLS:
            continue
        text = _unescape(ftext) if ftext else ""
        if fattrs:
            shared_kind = _T_ATTR.search(fattrs)
            si = _SI_ATTR.search(fattrs)
            text = _shared(
                text,
                shared_kind.group(1).decode() if shared_kind else None,
                si.group(1).decode() if si else None,
                address(r, c),
                shared,
            )
        if not text:
            continue
        formulas[(r, c)] = "=" + text
        if vtext:
            cached[(r, c)] = _typed(_xml_text(vtext), kind)
        elif kind == "str" and m.group(0).endswith((b"</v>", b"<v/>")):
            cached[(r, c)] = ""  # a text result that is empty (=IF(…,"",…)): computed
        elif kind == "inlineStr":
            raise _NotPlain  # an inline string result: the full parse reads it
    if b't="e"' in data:  # error values typed as constants (calamine shows them blank)
        for m in _ERROR_CONSTANT.finditer(data, start, end):
            cell = _cell_attrs(m.group(1))
            if cell is not None and cell[0] < MAX_ROWS and cell[1] < MAX_COLS and m.group(2):
                cached.setdefault(cell[:2], _xml_text(m.group(2)))
    return formulas, cached


# Forms made from one template repeat the same cell tags and formula texts:
# each is worked out once per process.
@lru_cache(maxsize=4096)
def _cell_attrs(cattrs: bytes) -> tuple[int, int, str] | None:
    ref = _R_ATTR.search(cattrs)
    if ref is None or cattrs.endswith(b"/"):
        return None
    kind = _T_ATTR.search(cattrs)
    return (*cell_index(ref.group(1).decode("ascii")), kind.group(1).decode() if kind else "n")


def _xml_text(raw: bytes) -> str:
    text = raw.decode("utf-8")
    return html.unescape(text) if "&" in text else text


_unescape = lru_cache(maxsize=4096)(_xml_text)  # formula texts repeat; cached values do not


def _typed(text: str, kind: str) -> Any:
    if kind in ("str", "e", "inlineStr"):
        return text
    if kind == "b":
        return text == "1"
    try:
        number = float(text)
    except ValueError:
        return text
    return (
        int(number)
        if number.is_integer() and "." not in text and "E" not in text.upper()
        else number
    )


__all__ = ["MAX_COLS", "MAX_ROWS", "Book", "SheetData", "address", "cell_index", "open_book"]
