"""Many files at once: finding the forms, reading them, and a parallel map.

A batch reads each workbook with :func:`perfkit.readers.read_forms`, the one
reader of every surface (python-calamine for values, the sheet XML for formula text;
about 1.3 ms per form where openpyxl took 15-25 ms).  :func:`imap` runs a
function over many items in worker processes, in chunks, with a bounded number
of chunks in flight so memory stays flat however many files there are; results
come back in input order and are streamed to the caller, never collected here.
"""

from __future__ import annotations

import contextlib
import gc
import os
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from typing import TypeVar

from .errors import UsageError

T = TypeVar("T")
R = TypeVar("R")

EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls")


# --------------------------------------------------------------------------
# Finding files
# --------------------------------------------------------------------------


def discover_rooted(
    paths: Iterable[str | os.PathLike], exclude: Iterable[str | os.PathLike] = ()
) -> list[tuple[Path, Path]]:
    """(file, root) for files named on the command line (root: its folder) and
    every .xlsx/.xlsm below a named folder (root: that folder) — sorted, Excel
    lock files ``~$…`` and hidden files skipped, each file once (the same file
    reached twice, also through a link, is the same device and inode).  A named
    file that does not exist is kept: reading it reports the error for that file."""
    skip = {_identity(Path(p)) for p in exclude}
    found: list[tuple[Path, Path]] = []
    seen: set[object] = set()

    def add(path: Path, root: Path) -> None:
        key = _identity(path)
        if key in skip or key in seen:
            return
        seen.add(key)
        found.append((path, root))

    for item in paths:
        path = Path(item)
        if path.is_dir():
            for sub in sorted(path.rglob("*")):
                if (
                    sub.suffix.lower() in EXCEL_SUFFIXES
                    and not sub.name.startswith(("~$", "."))
                    and sub.is_file()
                ):
                    add(sub, path)
        else:
            add(path, path.parent)
    return found


def _identity(path: Path) -> object:
    """What makes two paths the same file: device and inode (one stat, where
    resolving a path costs a stat per component); the absolute path for a
    file that does not exist."""
    try:
        st = path.stat()
    except OSError:
        return os.path.abspath(path)
    return (st.st_dev, st.st_ino)


def discover(
    paths: Iterable[str | os.PathLike], exclude: Iterable[str | os.PathLike] = ()
) -> list[Path]:
    """The files of :func:`discover_rooted`, without their roots."""
    return [path for path, _ in discover_rooted(paths, exclude)]


# --------------------------------------------------------------------------
# Reading one form fast
# --------------------------------------------------------------------------


def load_forms(path: str | os.PathLike) -> list:
    """The forms of a workbook on disk: :func:`perfkit.readers.read_forms`
    (one reader for every surface)."""
    from .readers import read_forms

    return read_forms(path)


# --------------------------------------------------------------------------
# Parallel map
# --------------------------------------------------------------------------


def cpu_count() -> int:
    """Cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


# Reading a form makes tens of thousands of short-lived objects that reference
# counting frees at once; the cyclic collector's default threshold (700) makes it
# run hundreds of times per form for nothing (15 % of the time here).
BATCH_GC_THRESHOLD = (100_000, 50, 50)


@contextlib.contextmanager
def _batch_gc() -> Iterator[None]:
    old = gc.get_threshold()
    gc.set_threshold(*BATCH_GC_THRESHOLD)
    try:
        yield
    finally:
        gc.set_threshold(*old)


def _worker_init() -> None:
    gc.set_threshold(*BATCH_GC_THRESHOLD)


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
            with _batch_gc():
                for item in items:
                    result = func(item)
                    bar.update(1)
                    yield result
            return
        if chunksize is None:
            chunksize = max(1, min(32, n // (workers * 8)))
        chunks = [items[i : i + chunksize] for i in range(0, n, chunksize)]
        window = workers * 3
        with ProcessPoolExecutor(max_workers=workers, initializer=_worker_init) as pool:
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
