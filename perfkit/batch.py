"""Many files at once: finding the forms, reading them fast, and a parallel map.

Reading for a batch goes through python-calamine (about 1 ms per form) and
``workbook.form_from_grid`` instead of openpyxl (15-25 ms per form): the batch
needs values, and the engine recomputes every score from the inputs, so the
formulas themselves are not needed.  :func:`imap` runs a function over many
items in worker processes, in chunks, with a bounded number of chunks in flight
so memory stays flat however many files there are; results come back in input
order and are streamed to the caller, never collected here.
"""

from __future__ import annotations

import os
import re
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

from .errors import InputError, NotAForm, UsageError
from .layouts import LAYOUTS, EvalTableLayout, SelfEvalLayout
from .model import EVAL_TABLE, SELF_EVAL

T = TypeVar("T")
R = TypeVar("R")

EXCEL_SUFFIXES = (".xlsx", ".xlsm")


# --------------------------------------------------------------------------
# Finding files
# --------------------------------------------------------------------------


def discover(
    paths: Iterable[str | os.PathLike], exclude: Iterable[str | os.PathLike] = ()
) -> list[Path]:
    """Files named on the command line, and every .xlsx/.xlsm below a folder
    (sorted, Excel lock files ``~$…`` and hidden files skipped).  A named file
    that does not exist is kept: reading it reports the error in its row."""
    skip = {Path(p).resolve() for p in exclude}
    found: list[Path] = []
    seen: set[Path] = set()

    def add(path: Path) -> None:
        key = path.resolve()
        if key in skip or key in seen:
            return
        seen.add(key)
        found.append(path)

    for item in paths:
        path = Path(item)
        if path.is_dir():
            for sub in sorted(path.rglob("*")):
                if (
                    sub.is_file()
                    and sub.suffix.lower() in EXCEL_SUFFIXES
                    and not sub.name.startswith(("~$", "."))
                ):
                    add(sub)
        else:
            add(path)
    return found


# --------------------------------------------------------------------------
# Reading one form fast
# --------------------------------------------------------------------------


def read_grids(path: str | os.PathLike) -> dict[str, list[list[Any]]]:
    """Every sheet's cached values as a grid (row 1 / column A at [0][0]),
    blank cells as None.  Runs the file guards first."""
    from python_calamine import CalamineWorkbook

    from .safety import check_workbook_file

    check_workbook_file(path)
    try:
        wb = CalamineWorkbook.from_path(os.fspath(path))
        grids = {}
        for name in wb.sheet_names:
            rows = wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
            grids[name] = [[None if v == "" else v for v in row] for row in rows]
    except Exception as exc:  # calamine raises its own error types
        raise InputError(f"无法读取工作簿：{exc}", path=os.fspath(path)) from None
    return grids


def _cell(grids: dict[str, list[list[Any]]], sheet: str, row: int, col: int) -> Any:
    rows = grids.get(sheet) or []
    if row < len(rows) and col < len(rows[row]):
        return rows[row][col]
    return None


def form_kind(grids: dict[str, list[list[Any]]], source: str = "") -> str:
    """SELF_EVAL or EVAL_TABLE from 设置!B2, else from the sheet names."""
    marker = _cell(grids, SelfEvalLayout.settings_sheet, 1, 1)
    if marker == SelfEvalLayout.version:
        return SELF_EVAL
    if marker == EvalTableLayout.version:
        return EVAL_TABLE
    if SelfEvalLayout.sheet in grids:
        return SELF_EVAL
    if EvalTableLayout.sheet in grids:
        return EVAL_TABLE
    raise NotAForm(
        f"不是 perfkit 的自评表或评分表（找不到“{SelfEvalLayout.sheet}”或“{EvalTableLayout.sheet}”工作表）",
        path=source or None,
    )


_SHEET = re.compile(r'<sheet\b[^>]*?name="([^"]*)"[^>]*?r:id="([^"]*)"')
_REL = re.compile(r"<Relationship\b([^>]*)/?>")
_ATTR = re.compile(r'(\w+)="([^"]*)"')
_CELL_F = re.compile(
    r'<c\b[^>]*?\br="([A-Z]+)(\d+)"[^>]*>(?:(?!</c>).)*?<f\b([^>]*?)(?:/>|>(.*?)</f>)', re.S
)


def read_formulas(path: str | os.PathLike, sheets: Iterable[str]) -> dict[str, list[list[Any]]]:
    """Formula text of the named sheets as grids (``"=…"`` where a cell holds a
    formula, None elsewhere), scanned from the sheet XML without a full parse.

    A shared-formula child (``<f t="shared" si="0"/>``, written by Excel) has no
    text of its own; it is given the text of its group's first cell — enough to
    know that the cell is a formula and not a typed value."""
    import html
    import zipfile

    wanted = set(sheets)
    out: dict[str, list[list[Any]]] = {}
    with zipfile.ZipFile(os.fspath(path)) as zf:
        book = zf.read("xl/workbook.xml").decode("utf-8", "replace")
        rels = zf.read("xl/_rels/workbook.xml.rels").decode("utf-8", "replace")
        targets = {}
        for attrs in _REL.findall(rels):
            a = dict(_ATTR.findall(attrs))
            if "Id" in a and "Target" in a:
                t = a["Target"].lstrip("/")
                targets[a["Id"]] = t if t.startswith("xl/") else f"xl/{t}"
        for name, rid in _SHEET.findall(book):
            name = html.unescape(name)
            if name not in wanted or rid not in targets:
                continue
            xml = zf.read(targets[rid]).decode("utf-8", "replace")
            grid: list[list[Any]] = []
            shared: dict[str, str] = {}
            for col, row, attrs, text in _CELL_F.findall(xml):
                a = dict(_ATTR.findall(attrs))
                text = html.unescape(text or "")
                if a.get("t") == "shared" and "si" in a:
                    if text:
                        shared.setdefault(a["si"], text)
                    else:
                        text = shared.get(a["si"], "")
                r, c = int(row) - 1, _col_index(col)
                while len(grid) <= r:
                    grid.append([])
                line = grid[r]
                while len(line) <= c:
                    line.append(None)
                line[c] = "=" + (text or "SHARED()")
            out[name] = grid
    return out


def _col_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def load_form(path: str | os.PathLike):
    """A form from cached values (calamine) and formula text (a scan of the
    sheet XML): the same model ``workbook.read_form`` gives, without openpyxl.

    Formula cells of files written by openpyxl have no cached value; callers
    recompute scores from the inputs."""
    from . import workbook

    source = os.fspath(path)
    grids = read_grids(path)
    kind = form_kind(grids, source)
    layout = LAYOUTS[kind]
    try:
        formulas = read_formulas(path, (layout.sheet,))
    except Exception as exc:
        raise InputError(f"无法读取公式：{exc}", path=source) from None
    return workbook.form_from_grid(kind, grids, formulas, source=source)


# --------------------------------------------------------------------------
# Parallel map
# --------------------------------------------------------------------------


def cpu_count() -> int:
    """Cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


def _run_chunk(func: Callable[[T], R], chunk: Sequence[T]) -> list[R]:
    return [func(item) for item in chunk]


def imap(
    func: Callable[[T], R],
    items: Sequence[T],
    jobs: int | None = None,
    chunksize: int | None = None,
    progress: bool | str = False,
) -> Iterator[R]:
    """``func`` over ``items`` in input order, in ``jobs`` worker processes
    (default: every core; 1 = in this process).  ``func`` must be a
    module-level function and should not raise for a bad item (return an
    error value instead).  ``progress``: a tqdm bar on stderr (text = label)."""
    if jobs is not None and jobs < 1:
        raise UsageError(f"--jobs 应为正整数，实际为 {jobs}")
    n = len(items)
    workers = min(jobs or cpu_count(), max(n, 1))
    bar = _bar(n, progress)
    try:
        if workers <= 1 or n <= 2:
            for item in items:
                yield func(item)
                bar.update(1)
            return
        if chunksize is None:
            chunksize = max(1, min(32, n // (workers * 8)))
        chunks = [items[i : i + chunksize] for i in range(0, n, chunksize)]
        window = workers * 3
        with ProcessPoolExecutor(max_workers=workers) as pool:
            pending: deque[Future] = deque()
            next_chunk = 0
            while next_chunk < len(chunks) or pending:
                while next_chunk < len(chunks) and len(pending) < window:
                    pending.append(pool.submit(_run_chunk, func, chunks[next_chunk]))
                    next_chunk += 1
                results = pending.popleft().result()
                bar.update(len(results))
                yield from results
    finally:
        bar.close()


class _NoBar:
    def update(self, n: int) -> None:
        pass

    def close(self) -> None:
        pass


def _bar(total: int, progress: bool | str):
    if not progress:
        return _NoBar()
    from tqdm import tqdm

    label = progress if isinstance(progress, str) else None
    return tqdm(
        total=total, desc=label, unit="份", file=sys.stderr, leave=False, dynamic_ncols=True
    )
