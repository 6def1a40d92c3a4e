"""Excel 97-2003 workbooks (.xls, BIFF8 in an OLE file): values through
python-calamine, after a scan of the cell records that bounds what calamine
allocates.

calamine builds a sheet as one rectangle from A1 to the farthest cell; a
single value in IV65536 costs half a gigabyte.  Before calamine opens the
file, the cell records of every sheet are scanned (a few microseconds per
record, no values decoded); cells beyond the block perfkit reads are turned
into records calamine ignores, in a private copy of the file, and the sheet
reports the far cell.  An .xls holds values only: formula text and defined
names are .xlsx features here.
"""

from __future__ import annotations

import io
import os
import shutil
import struct
import tempfile

from ..errors import InputError
from ..safety import DEFAULT_LIMITS, Limits
from .cells import MAX_COLS, MAX_ROWS, Book, SheetData, address

BOF, EOF, BOUNDSHEET = 0x0809, 0x000A, 0x0085
# cell records: row (u16) and column (u16) first
CELLS = {0x0006, 0x00FD, 0x0201, 0x0203, 0x0204, 0x0205, 0x027E, 0x00D6}
MULTI = {0x00BD, 0x00BE}  # MULRK, MULBLANK: row, first column, …, last column (u16 at the end)
IGNORED = 0x00EF  # a record type calamine does not read (BIFF "unused")
_HEAD = struct.Struct("<HH")


class XlsBook(Book):
    format = "xls"

    def __init__(self, path: str, limits: Limits = DEFAULT_LIMITS):
        super().__init__(path, limits)
        self._tmp: str | None = None
        self._far: dict[str, str] = {}
        self._sheets: dict[str, SheetData] = {}
        self._book = None
        source = self._bounded_copy(path)
        try:
            from python_calamine import CalamineWorkbook

            # by content, not by name: an .xls saved as "….xlsx" is read too
            with open(source, "rb") as f:
                self._book = CalamineWorkbook.from_filelike(io.BytesIO(f.read()))
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
        return SheetData(name, values, {}, merged, self._far.get(name, ""))

    # -- bounding ------------------------------------------------------------
    def _bounded_copy(self, path: str) -> str:
        """*path*, or a private copy whose far cells are hidden from calamine."""
        import olefile

        try:
            with olefile.OleFileIO(path) as ole:
                stream = _workbook_stream(ole)
                if stream is None:
                    raise InputError("不是 Excel 工作簿（OLE 文件中没有 Workbook 数据）", path=path)
                data = bytearray(ole.openstream(stream).read())
        except InputError:
            raise
        except Exception:
            raise InputError(
                "文件已损坏，无法读取（.xls）；请在 Excel 或 WPS 中打开后另存为 .xlsx 再试",
                path=path,
            ) from None
        far = _hide_far_cells(data)
        if not far:
            return path
        self._far = far
        self._tmp = tempfile.mkdtemp(prefix="perfkit-xls-")
        copy = os.path.join(self._tmp, "bounded.xls")
        shutil.copyfile(path, copy)
        with olefile.OleFileIO(copy, write_mode=True) as ole:
            ole.write_stream(_workbook_stream(ole), bytes(data))
        return copy


def _workbook_stream(ole) -> str | None:
    for name in ("Workbook", "Book"):
        if ole.exists(name):
            return name
    return None


def _hide_far_cells(data: bytearray) -> dict[str, str]:
    """Turn the cell records beyond the block into ignored records, in place;
    returns sheet name -> the first far cell found."""
    sheets = _boundsheets(data)
    far: dict[str, str] = {}
    for name, offset in sheets:
        pos, depth = offset, 0
        while pos + 4 <= len(data):
            kind, size = _HEAD.unpack_from(data, pos)
            body = pos + 4
            if kind == BOF:
                depth += 1
            elif kind == EOF:
                depth -= 1
                if depth <= 0:
                    break
            elif depth == 1 and size >= 4 and (kind in CELLS or kind in MULTI):
                row, col = struct.unpack_from("<HH", data, body)
                if row >= MAX_ROWS or col >= MAX_COLS:
                    struct.pack_into("<H", data, pos, IGNORED)
                    far.setdefault(name, address(row, col))
            pos = body + size
    return far


def _boundsheets(data: bytes) -> list[tuple[str, int]]:
    """(sheet name, stream offset of its BOF) from the workbook globals."""
    out: list[tuple[str, int]] = []
    pos = 0
    while pos + 4 <= len(data):
        kind, size = _HEAD.unpack_from(data, pos)
        body = pos + 4
        if kind == BOUNDSHEET and size >= 8:
            offset = struct.unpack_from("<I", data, body)[0]
            out.append((_short_string(data, body + 6, size - 6), offset))
        elif kind == EOF:
            break
        pos = body + size
    return out


def _short_string(data: bytes, pos: int, room: int) -> str:
    """A BIFF8 ShortXLUnicodeString: length (u8), flags (u8), characters."""
    try:
        count, flags = data[pos], data[pos + 1]
        raw = data[pos + 2 : pos + 2 + min(room - 2, count * (2 if flags & 1 else 1))]
        return raw.decode("utf-16-le" if flags & 1 else "latin-1")
    except (IndexError, UnicodeDecodeError):
        return ""
