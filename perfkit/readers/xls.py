"""Excel 97-2003 workbooks (.xls, BIFF8 in an OLE file): values through
python-calamine, after a scan of the cell records that bounds what calamine
allocates.

calamine builds a sheet as one rectangle from A1 to the farthest cell; a
single value in IV65536 costs half a gigabyte.  Before calamine opens the
file, the cell records of every sheet are scanned (a few microseconds per
record, no values decoded); cells beyond the block perfkit reads are turned
into records calamine ignores, in a private copy of the file, and the sheet
reports the far cell.  The same scan reads the cell formats (XF and FORMAT
records) calamine does not give: a number typed "96%" is stored as 0.96 with a
percent format, and is read as shown, as in an .xlsx; and the formulas that are
one error constant (=#N/A, what LibreOffice writes for a function .xls cannot
hold: perfkit's own), read as that error, not as the result stored beside them.
Otherwise an .xls holds values only: formula text and defined names are .xlsx
features here.
"""

from __future__ import annotations

import io
import os
import shutil
import struct
import tempfile

from ..errors import InputError
from ..safety import DEFAULT_LIMITS, Limits, named_format, save_as_xlsx
from .cells import (
    _PERCENT_FORMAT_IDS,
    MAX_COLS,
    MAX_ROWS,
    Book,
    SheetData,
    address,
    is_percent_format,
)

BOF, EOF, BOUNDSHEET = 0x0809, 0x000A, 0x0085
FORMAT, XF = 0x041E, 0x00E0
# cell records: row (u16) and column (u16) first
CELLS = {0x0006, 0x00FD, 0x0201, 0x0203, 0x0204, 0x0205, 0x027E, 0x00D6}
MULTI = {0x00BD, 0x00BE}  # MULRK, MULBLANK: row, first column, …, last column (u16 at the end)
NUMBER_CELLS = {0x0006, 0x0203, 0x027E}  # FORMULA, NUMBER, RK: the XF index follows (u16)
FORMULA = 0x0006  # row, col, XF, result (8 bytes), flags (u16), chn (u32), cce (u16), rgce
PTG_ERR = 0x1C  # a formula that is one error constant: =#N/A
# BIFF error codes -> the error value shown
ERRORS = {0x00: "#NULL!", 0x07: "#DIV/0!", 0x0F: "#VALUE!", 0x17: "#REF!", 0x1D: "#NAME?",
          0x24: "#NUM!", 0x2A: "#N/A"}  # fmt: skip
MULRK = 0x00BD  # row, first column, (XF index u16, RK u32) per cell, last column
ROW = 0x0208  # row, …, option flags (u16 at offset 12): 0x20 = the row is hidden (fDyZero)
IGNORED = 0x00EF  # a record type calamine does not read (BIFF "unused")
_HEAD = struct.Struct("<HH")
_CELL_XF = struct.Struct("<HHH")


class XlsBook(Book):
    format = "xls"

    def __init__(self, path: str, limits: Limits = DEFAULT_LIMITS):
        super().__init__(path, limits)
        self._tmp: str | None = None
        self._far: dict[str, str] = {}
        self._percent: dict[str, set[tuple[int, int]]] = {}
        self._hidden: dict[str, set[int]] = {}
        self._constant: dict[str, dict[tuple[int, int], str]] = {}
        self._sheets: dict[str, SheetData] = {}
        self._book = None
        content = self._bounded_bytes(path)
        try:
            from python_calamine import CalamineWorkbook

            # by content, not by name: an .xls saved as "….xlsx" is read too
            self._book = CalamineWorkbook.from_filelike(io.BytesIO(content))
            self.sheet_names = list(self._book.sheet_names)
            self.hidden_sheets = {
                m.name
                for m in self._book.sheets_metadata
                if str(getattr(m, "visible", "")).lower().endswith(("hidden", "veryhidden"))
            }
        except InputError:
            self.close()
            raise
        except Exception:
            self.close()
            raise InputError(
                "无法读取 .xls 文件（格式异常或已损坏）；请在 Excel 或 WPS 中打开后另存为 .xlsx 再试",
                path=path,
            ) from None

    def close(self) -> None:
        self._book = None
        if self._tmp:
            shutil.rmtree(self._tmp, ignore_errors=True)
            self._tmp = None

    def sheet(self, name: str) -> SheetData:
        got = self._sheets.get(name)
        if got is None:
            got = self._sheets[name] = self._read(name)
        return got

    def _read(self, name: str) -> SheetData:
        try:
            sheet = self._book.get_sheet_by_name(name)
            rows = sheet.to_python(skip_empty_area=False, nrows=MAX_ROWS)
            merged = tuple(
                (r1, c1, r2, c2)
                for (r1, c1), (r2, c2) in (sheet.merged_cell_ranges or ())
                if r1 < MAX_ROWS and c1 < MAX_COLS
            )
        except Exception:
            raise InputError(f"无法读取工作表「{name}」", path=self.path) from None
        values = [[None if v == "" else v for v in row[:MAX_COLS]] for row in rows[:MAX_ROWS]]
        percent = frozenset(
            (r, c)
            for r, c in self._percent.get(name, ())
            if r < len(values) and c < len(values[r]) and type(values[r][c]) in (int, float)
        )
        hidden = frozenset(self._hidden.get(name, ()))
        formulas = {}
        for (r, c), err in self._constant.get(name, {}).items():
            if r < len(values) and c < len(values[r]):
                # the file's formula is the error itself: what it shows once
                # recalculated, whatever result was stored with it
                values[r][c] = err
                formulas[(r, c)] = "=" + err
        return SheetData(name, values, formulas, merged, self._far.get(name, ""), percent, hidden)

    # -- bounding ------------------------------------------------------------
    def _bounded_bytes(self, path: str) -> bytes:
        """The file's bytes (read once, for the scan and for calamine), or those
        of a private copy whose far cells are hidden from calamine."""
        import olefile

        try:
            with open(path, "rb") as f:
                content = f.read()  # its size was checked before it was opened
            with olefile.OleFileIO(io.BytesIO(content)) as ole:
                stream = _workbook_stream(ole)
                if stream is None:
                    other = named_format(path)
                    raise InputError(
                        save_as_xlsx(other)
                        if other
                        else "不是 Excel 工作簿（OLE 文件中没有 Workbook 数据）",
                        path=path,
                    )
                data = bytearray(ole.openstream(stream).read())
        except InputError:
            raise
        except Exception:
            raise InputError(
                "文件已损坏，无法读取（.xls）；请在 Excel 或 WPS 中打开后另存为 .xlsx 再试",
                path=path,
            ) from None
        far, self._percent, self._hidden, self._constant = _scan(data)
        if not far:
            return content
        self._far = far
        self._tmp = tempfile.mkdtemp(prefix="perfkit-xls-")
        copy = os.path.join(self._tmp, "bounded.xls")
        with open(copy, "wb") as f:
            f.write(content)
        with olefile.OleFileIO(copy, write_mode=True) as ole:
            ole.write_stream(_workbook_stream(ole), bytes(data))
        with open(copy, "rb") as f:
            return f.read()


def _workbook_stream(ole) -> str | None:
    for name in ("Workbook", "Book"):
        if ole.exists(name):
            return name
    return None


def _scan(
    data: bytearray,
) -> tuple[
    dict[str, str],
    dict[str, set[tuple[int, int]]],
    dict[str, set[int]],
    dict[str, dict[tuple[int, int], str]],
]:
    """One pass over the cell records of every sheet: the records beyond the
    block are turned into ignored records, in place; returns sheet name -> the
    first far cell found, sheet name -> the number cells (in the block) whose
    format shows a percentage, sheet name -> the rows it hides, and sheet name
    -> the formulas that are one error constant (=#N/A: what LibreOffice
    writes for a function .xls cannot hold, perfkit's among them)."""
    sheets, percent_xfs = _globals(data)
    far: dict[str, str] = {}
    percent: dict[str, set[tuple[int, int]]] = {}
    hidden: dict[str, set[int]] = {}
    constant: dict[str, dict[tuple[int, int], str]] = {}
    for name, offset in sheets:
        pos, depth = offset, 0
        shown = percent.setdefault(name, set())
        hides = hidden.setdefault(name, set())
        errors = constant.setdefault(name, {})
        while pos + 4 <= len(data):
            kind, size = _HEAD.unpack_from(data, pos)
            body = pos + 4
            if kind == BOF:
                depth += 1
            elif kind == EOF:
                depth -= 1
                if depth <= 0:
                    break
            elif depth == 1 and kind == ROW and size >= 14:
                row = struct.unpack_from("<H", data, body)[0]
                if row < MAX_ROWS and struct.unpack_from("<H", data, body + 12)[0] & 0x20:
                    hides.add(row)
            elif depth == 1 and size >= 4 and (kind in CELLS or kind in MULTI):
                row, col = struct.unpack_from("<HH", data, body)
                if row >= MAX_ROWS or col >= MAX_COLS:
                    struct.pack_into("<H", data, pos, IGNORED)
                    far.setdefault(name, address(row, col))
                    pos = body + size
                    continue
                if kind == FORMULA and size >= 24 and data[body + 22] == PTG_ERR:
                    if struct.unpack_from("<H", data, body + 20)[0] == 2:  # cce: the token alone
                        errors[(row, col)] = ERRORS.get(data[body + 23], "#N/A")
                if percent_xfs and kind in NUMBER_CELLS and size >= 6:
                    if _CELL_XF.unpack_from(data, body)[2] in percent_xfs:
                        shown.add((row, col))
                elif percent_xfs and kind == MULRK and size >= 12:
                    for i in range((size - 6) // 6):
                        xf = struct.unpack_from("<H", data, body + 4 + 6 * i)[0]
                        if xf in percent_xfs and col + i < MAX_COLS:
                            shown.add((row, col + i))
            pos = body + size
    return far, percent, hidden, constant


def _globals(data: bytes) -> tuple[list[tuple[str, int]], frozenset[int]]:
    """From the workbook globals: (sheet name, stream offset of its BOF) of each
    sheet, and the XF indices whose number format shows a percentage (the
    built-in 0% and 0.00%, or a FORMAT whose code has % outside quotes)."""
    sheets: list[tuple[str, int]] = []
    codes: dict[int, str] = {}
    xf_formats: list[int] = []
    pos = 0
    biff8 = True
    while pos + 4 <= len(data):
        kind, size = _HEAD.unpack_from(data, pos)
        body = pos + 4
        if kind == BOF and pos == 0 and size >= 2:
            biff8 = struct.unpack_from("<H", data, body)[0] >= 0x0600
        elif kind == BOUNDSHEET and size >= 8:
            offset = struct.unpack_from("<I", data, body)[0]
            sheets.append((_short_string(data, body + 6, size - 6, biff8), offset))
        elif kind == FORMAT and size >= 3:
            ifmt = struct.unpack_from("<H", data, body)[0]
            codes[ifmt] = _format_string(data, body + 2, size - 2, biff8)
        elif kind == XF and size >= 4:
            xf_formats.append(struct.unpack_from("<H", data, body + 2)[0])
        elif kind == EOF:
            break
        pos = body + size
    percent = {i for i, code in codes.items() if is_percent_format(code)}
    percent |= _PERCENT_FORMAT_IDS - codes.keys()
    return sheets, frozenset(i for i, f in enumerate(xf_formats) if f in percent)


def _format_string(data: bytes, pos: int, room: int, biff8: bool) -> str:
    """A FORMAT record's code: BIFF8 XLUnicodeString (length u16, flags u8,
    characters), BIFF5 a byte string (length u8)."""
    return _biff_string(data, pos, room, biff8, wide_length=True)


def _short_string(data: bytes, pos: int, room: int, biff8: bool = True) -> str:
    """A BIFF8 ShortXLUnicodeString: length (u8), flags (u8), characters
    (BIFF5: length, then bytes)."""
    return _biff_string(data, pos, room, biff8, wide_length=False)


def _biff_string(data: bytes, pos: int, room: int, biff8: bool, wide_length: bool) -> str:
    """A string of at most *room* bytes at *pos*: BIFF5, a length byte and the
    bytes; BIFF8, a length (u16 when *wide_length*, else u8), a flags byte
    (bit 0: UTF-16) and the characters.  "" when it does not read."""
    try:
        if not biff8:
            return bytes(data[pos + 1 : pos + 1 + min(room - 1, data[pos])]).decode("latin-1")
        size = 2 if wide_length else 1
        count = struct.unpack_from("<H", data, pos)[0] if wide_length else data[pos]
        flags = data[pos + size]
        start = pos + size + 1
        raw = bytes(data[start : start + min(room - size - 1, count * (2 if flags & 1 else 1))])
        return raw.decode("utf-16-le" if flags & 1 else "latin-1")
    except (IndexError, UnicodeDecodeError, struct.error):
        return ""
