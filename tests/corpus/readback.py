"""Read a corpus file back with python-calamine and check it against its ground truth.

:func:`problems` lists every disagreement between a :class:`CorpusFile` and
the cells of the file (an empty list means the ground truth is where it says);
the comparison rules are those of ``model``'s docstring.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path

from python_calamine import CalamineWorkbook

from .model import CorpusFile, Expected, Row
from .sheet import addr_of, split

_SPACES = re.compile(r"\s+")


class Sheet:
    """The cells of one sheet by A1 address.

    ``to_python()`` starts its grid at the first used cell (``sheet.start``): a
    form whose column A is empty would shift by one column.  With
    ``skip_empty_area=False`` the grid starts at A1.
    """

    def __init__(self, path: Path, name: str):
        wb = CalamineWorkbook.from_path(str(path))
        sheet = wb.get_sheet_by_name(name)
        self.values: dict[str, object] = {}
        for r, row in enumerate(sheet.to_python(skip_empty_area=False)):
            for c, value in enumerate(row):
                if value not in ("", None):
                    self.values[addr_of(r + 1, c + 1)] = value
        self.merged = [
            (r1 + 1, c1 + 1, r2 + 1, c2 + 1)
            for (r1, c1), (r2, c2) in sheet.merged_cell_ranges or ()
        ]

    def get(self, addr: str):
        return self.values.get(addr)

    def merge_at(self, addr: str) -> tuple[int, int, int, int] | None:
        row, col = split(addr)
        return next((m for m in self.merged if (m[0], m[1]) == (row, col)), None)


@lru_cache(maxsize=256)
def sheet(path: Path, name: str, mtime: float) -> Sheet:  # mtime: a changed file is re-read
    return Sheet(path, name)


def read_sheet(path: Path, name: str) -> Sheet:
    return sheet(Path(path), name, Path(path).stat().st_mtime)


def number(value) -> Decimal | None:
    """A cell as a number: numbers as they are, texts like "1,959,300.00", "3分", "99.11%"."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return Decimal(repr(float(value)))
    if isinstance(value, str):
        text = _SPACES.sub("", value).replace(",", "").removesuffix("分").removesuffix("%")
        try:
            return Decimal(text)
        except InvalidOperation:
            return None
    return None


def text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).replace("\r\n", "\n").strip()


def squeeze(value) -> str:
    return _SPACES.sub("", text(value))


def same_number(expected, got, rate: bool = False) -> bool:
    want = Decimal(str(expected))
    have = number(got)
    if have is None:
        return False
    if math.isclose(float(have), float(want), rel_tol=1e-12, abs_tol=1e-9):
        return True
    # a rate typed as "98.87%" is kept by Excel as 0.9887 with a % format
    return (
        rate
        and isinstance(got, (int, float))
        and have <= Decimal("1.5") < want
        and (math.isclose(float(have * 100), float(want), rel_tol=1e-12, abs_tol=1e-9))
    )


def declares(got, weight) -> bool:
    """A label such as "产出指标 (50分)" or "绩效指标（90分）" declares *weight*."""
    return isinstance(got, str) and f"{Decimal(str(weight)).normalize():f}分" in squeeze(got)


def matches(key: str, expected, got) -> bool:
    """Does cell value *got* show the ground-truth value *expected* of field *key*?"""
    if expected is None:
        return got in (None, "")
    if isinstance(expected, (int, float)) and not isinstance(expected, bool):
        if key in ("exec.weight", "part_weight") and isinstance(got, str):
            return declares(got, expected)
        if key == "head.year":
            return same_number(expected, got) or str(expected) in text(got)
        return same_number(expected, got, rate=key.endswith("rate"))
    if key.startswith("head.") and isinstance(got, str):
        # "项目名称：工商联经费项目" or a title that names the project
        return expected in text(got)
    if isinstance(got, (int, float)):
        return number(expected) is not None and same_number(number(expected), got)
    return got is not None and text(got) == text(expected)


def _value(form: Expected, key: str):
    parts = key.split(".")
    if parts[0] == "funds":
        return form.funds.get(parts[1], {}).get(parts[2])
    if parts[0] in ("head", "exec", "goal", "total"):
        return getattr(form, parts[0]).get(parts[1])
    if parts[0] == "part_weight":
        return form.part_weight
    if parts[0] == "oracle":
        return Decimal(form.oracle[key.removeprefix("oracle.")])
    raise KeyError(key)


def _row_value(row: Row, key: str):
    if key == "target" and "target_value" in row.extra:
        return row.extra["target_value"]
    if key in ("level1", "level2", "level3", "target", "actual", "weight", "score"):
        return getattr(row, key)
    return row.extra.get(key)


def form_problems(path: Path, form: Expected) -> list[str]:
    where = f"{path.name}!{form.sheet}"
    try:
        cells = read_sheet(path, form.sheet)
    except Exception as exc:  # a sheet that does not open is a problem too
        return [f"{where}: {exc}"]
    out = []
    for key, addr in form.cells.items():
        expected = _value(form, key)
        if expected is None:
            continue  # a formula without a cached value: the address is the truth
        if isinstance(expected, Decimal):
            expected = float(expected)
        got = cells.get(addr)
        if not matches(key, expected, got):
            out.append(f"{where}!{addr} {key}: expected {expected!r}, found {got!r}")
    for i, row in enumerate(form.indicators):
        formulas = row.extra.get("formulas", ())
        for key, addr in row.cells.items():
            got = cells.get(addr)
            if key == "level1":
                label = squeeze(got) if got is not None else ""
                ok = label.startswith(squeeze(row.level1))
                weight = form.level1_weights.get(row.level1)
                ok = ok and (weight is None or declares(got, weight))
                ok = ok or ("level1" in formulas and got in (None, 0))
            elif key in formulas:
                ok = True  # a formula cell: its address is the truth (perfkit stores its result)
            else:
                ok = matches(key, _row_value(row, key), got)
            if not ok:
                out.append(
                    f"{where}!{addr} row {i} ({row.level3 or row.level2}) {key}: "
                    f"expected {_row_value(row, key)!r}, found {got!r}"
                )
    out += _merge_problems(where, cells, form)
    out += _order_problems(where, form)
    for code, addr in form.known_findings:
        split(addr)  # a real address
        if not code.isupper():
            out.append(f"{where}: known finding code {code!r}")
    return out


def _merge_problems(where: str, cells: Sheet, form: Expected) -> list[str]:
    """Rows that share a label cell must be covered by a merged range starting there."""
    out = []
    shared: dict[str, set[int]] = {}
    for row in form.indicators:
        for addr in row.cells.values():
            shared.setdefault(addr, set()).add(split(row.cells.get("score") or addr)[0])
    for addr, rows in shared.items():
        if len(rows) < 2:
            continue
        merge = cells.merge_at(addr)
        if merge is None:
            out.append(f"{where}!{addr}: shared by {len(rows)} rows but not a merged cell")
        elif not (merge[0] <= min(rows) and max(rows) <= merge[2]):
            out.append(f"{where}!{addr}: merge {merge} does not cover rows {min(rows)}-{max(rows)}")
    return out


def _order_problems(where: str, form: Expected) -> list[str]:
    rows = [split(r.cells["score"])[0] for r in form.indicators if "score" in r.cells]
    if rows != sorted(rows) or len(set(rows)) != len(rows):
        return [f"{where}: indicator rows are not top to bottom: {rows}"]
    return []


def problems(file: CorpusFile) -> list[str]:
    out = []
    for form in file.forms:
        out += form_problems(file.path, form)
    return out
