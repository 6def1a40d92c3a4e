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
import errno
import gc
import os
import stat
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from .errors import UsageError
from .safety import ARCHIVE_SUFFIXES

T = TypeVar("T")
R = TypeVar("R")

FORM_SUFFIXES = (".xlsx", ".xlsm", ".xls")
# spreadsheets of other programs sent in as forms: found by the scan, so that
# reading each says what it is and how to make an .xlsx of it (never passed over)
OTHER_SPREADSHEET_SUFFIXES = (".ods", ".fods", ".xlsb", ".et", ".ett", ".numbers")
# archives (safety.ARCHIVE_SUFFIXES), as units send forms by mail, are found by
# the scan too: reading each says how many forms it holds and to unpack it
"""What a folder scan takes for a form (.xls is read through python-calamine)."""
EXCEL_SUFFIXES = FORM_SUFFIXES


# --------------------------------------------------------------------------
# Finding files
# --------------------------------------------------------------------------

OUTPUT = "output"  # a file perfkit wrote (汇总, marked copy, frozen copy beside its form …)
SPECIAL = "special"  # not a regular file: FIFO, socket, device, link loop, link to a folder
UNREADABLE = "unreadable"  # a folder or entry that could not be looked at


@dataclass(frozen=True)
class Skipped:
    """An entry a scan did not take, and why (Chinese, for the user)."""

    path: Path
    kind: str  # OUTPUT, SPECIAL or UNREADABLE
    reason: str
    output: str | None = None  # OUTPUT: the perfkit output kind


class Found(list):
    """What :func:`discover` / :func:`discover_rooted` found: a list of files
    (or of (file, root) pairs) with what was left out and why (``skipped``)
    and the named paths that do not exist (``missing``, still in the list so
    that reading them reports the error)."""

    def __init__(self, items=(), skipped=(), missing=()):
        super().__init__(items)
        self.skipped: list[Skipped] = list(skipped)
        self.missing: list[Path] = list(missing)

    @property
    def outputs(self) -> list[Skipped]:
        """perfkit's own outputs that were skipped."""
        return [s for s in self.skipped if s.kind == OUTPUT]

    @property
    def others(self) -> list[Skipped]:
        """Entries skipped because they cannot be read as files."""
        return [s for s in self.skipped if s.kind != OUTPUT]


def discover_rooted(
    paths: Iterable[str | os.PathLike], exclude: Iterable[str | os.PathLike] = ()
) -> Found:
    """(file, root) for files named on the command line (root: its folder) and
    every .xlsx/.xlsm/.xls below a named folder (root: that folder), and the
    spreadsheets of other programs (.ods, .et, .xlsb …: reading them says how
    to make an .xlsx) — sorted,
    Excel lock files ``~$…`` and hidden files left out, each file once (the
    same file reached twice, also through a link, is the same device and inode).

    Never opens anything but regular files, so a FIFO cannot hang the scan.
    Left out, and listed in ``skipped`` with the reason: FIFOs, sockets,
    devices, link loops and broken links with a form's suffix, links to
    folders (not followed), folders that cannot be listed, and perfkit's own
    outputs (:mod:`perfkit.outputs`): 汇总 and marked copies always, a frozen
    or adopted copy when the form it was made from is in the same scan.  A
    named file that does not exist is kept (reading it reports the error)
    and listed in ``missing``."""
    skip = {_identity(Path(p)) for p in exclude}
    found: list[tuple[Path, Path]] = []
    skipped: list[Skipped] = []
    missing: list[Path] = []
    seen: set[object] = set()

    def add(path: Path, root: Path) -> None:
        key = _identity(path)
        if key in skip or key in seen:
            return
        seen.add(key)
        found.append((path, root))

    for item in paths:
        path = Path(item)
        try:
            st = os.stat(path)
        except OSError as err:
            if _lexists(path):
                skipped.append(Skipped(path, SPECIAL, _broken_link_reason(err)))
            else:
                missing.append(path)
                add(path, path.parent)
            continue
        if stat.S_ISDIR(st.st_mode):
            for sub in _scan_folder(path, skipped):
                add(sub, path)
        elif stat.S_ISREG(st.st_mode):
            add(path, path.parent)
        else:
            skipped.append(Skipped(path, SPECIAL, _special_reason(st.st_mode)))
    kept, outputs_skipped = _without_outputs(found)
    return Found(kept, skipped + outputs_skipped, missing)


def _lexists(path: Path) -> bool:
    try:
        os.lstat(path)
    except OSError:
        return False
    return True


def _special_reason(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "命名管道（FIFO），不是普通文件"
    if stat.S_ISSOCK(mode):
        return "套接字，不是普通文件"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "设备文件，不是普通文件"
    return "不是普通文件"


def _broken_link_reason(err: OSError) -> str:
    if err.errno == errno.ELOOP:
        return "符号链接循环，无法打开"
    if isinstance(err, FileNotFoundError):
        return "符号链接指向的文件不存在"
    if isinstance(err, PermissionError):
        return "没有权限查看"
    return "无法查看（符号链接无效）"


def _scan_folder(root: Path, skipped: list[Skipped]) -> list[Path]:
    """The form files below *root*, sorted; links to folders are not followed."""
    files: list[str] = []
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            with os.scandir(folder) as it:
                entries = list(it)
        except OSError as err:
            reason = (
                "没有权限打开此文件夹" if isinstance(err, PermissionError) else "无法打开此文件夹"
            )
            skipped.append(Skipped(Path(folder), UNREADABLE, reason))
            continue
        for entry in entries:
            name = entry.name
            if name.startswith(("~$", ".")):  # Excel lock files, hidden and temporary files
                continue
            suffix = os.path.splitext(name)[1].lower()
            form_like = (
                suffix in FORM_SUFFIXES
                or suffix in OTHER_SPREADSHEET_SUFFIXES
                or suffix in ARCHIVE_SUFFIXES
            )
            try:
                if entry.is_dir(follow_symlinks=False):
                    stack.append(entry.path)
                    continue
                if not form_like:
                    continue
                if entry.is_file(follow_symlinks=False):  # the usual case: no stat call
                    files.append(entry.path)
                    continue
                link = entry.is_symlink()
                st = os.stat(entry.path) if link else entry.stat(follow_symlinks=False)
            except OSError as err:
                if form_like:
                    skipped.append(Skipped(Path(entry.path), SPECIAL, _broken_link_reason(err)))
                continue
            path = Path(entry.path)
            if stat.S_ISREG(st.st_mode):
                files.append(entry.path)
            elif stat.S_ISDIR(st.st_mode):
                skipped.append(
                    Skipped(
                        path, SPECIAL, "指向文件夹的链接，未进入（如需处理，请直接指定该文件夹）"
                    )
                )
            else:
                skipped.append(Skipped(path, SPECIAL, _special_reason(st.st_mode)))
    # the order of sorted(Path(...)): by path components (faster on strings)
    files.sort(key=lambda p: os.path.normcase(p).split(os.sep))
    return [Path(p) for p in files]


def _without_outputs(
    found: list[tuple[Path, Path]],
) -> tuple[list[tuple[Path, Path]], list[Skipped]]:
    """*found* without perfkit's own outputs (see :func:`discover_rooted`)."""
    from . import outputs

    infos = {path: outputs.output_info(path) for path, _ in found}
    if not any(infos.values()):
        return found, []
    names = {(os.path.normcase(os.path.abspath(p.parent)), p.name) for p, _ in found}
    hashes: dict[Path, str] | None = None
    kept: list[tuple[Path, Path]] = []
    skipped: list[Skipped] = []
    for path, root in found:
        info = infos[path]
        if info is None or info.kind not in outputs.KINDS:
            kept.append((path, root))
            continue
        label = outputs.KIND_NAMES[info.kind]
        if info.kind in outputs.ALWAYS_SKIPPED:
            skipped.append(Skipped(path, OUTPUT, f"perfkit 生成的{label}", info.kind))
            continue
        source = None
        if info.source_name and (
            (os.path.normcase(os.path.abspath(path.parent)), info.source_name) in names
            and info.source_name != path.name
        ):
            source = path.with_name(info.source_name)
        elif info.source_sha256:
            if hashes is None:
                hashes = {p: _sha256_or_empty(p) for p, _ in found}
            source = next(
                (p for p, h in hashes.items() if p != path and h == info.source_sha256), None
            )
        if source is None:  # received on its own: a submitted form
            kept.append((path, root))
        else:
            skipped.append(
                Skipped(
                    path, OUTPUT, f"perfkit 生成的{label}，原表 {source.name} 也在其中", info.kind
                )
            )
    return kept, skipped


def _sha256_or_empty(path: Path) -> str:
    from .outputs import sha256_file

    try:
        return sha256_file(path)
    except OSError:
        return ""


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
) -> Found:
    """The files of :func:`discover_rooted`, without their roots (the same
    ``skipped`` and ``missing``).  Given a :class:`Found` of files, returns it."""
    if isinstance(paths, Found) and not exclude:
        if all(isinstance(p, Path) for p in paths):
            return paths
    rooted = discover_rooted(paths, exclude)
    return Found([path for path, _ in rooted], rooted.skipped, rooted.missing)


def skipped_summary(found: Found) -> list[str]:
    """The lines a command prints about what a scan left out (Chinese)."""
    lines = []
    outs = found.outputs
    if outs:
        counts: dict[str, int] = {}
        for s in outs:
            counts[s.output or ""] = counts.get(s.output or "", 0) + 1
        from .outputs import KIND_NAMES

        what = "，".join(f"{KIND_NAMES.get(k, k)} {n} 个" for k, n in counts.items())
        lines.append(
            f"跳过 {len(outs)} 个 perfkit 生成的文件（{what}）：它们是输出，不是单位填报的表格"
        )
    for s in found.others:
        lines.append(f"跳过 {s.path}：{s.reason}")
    return lines


# --------------------------------------------------------------------------
# Reading one form fast
# --------------------------------------------------------------------------


def load_forms(path: str | os.PathLike) -> list:
    """The forms of a workbook on disk: :func:`perfkit.readers.read_forms`
    (one reader for every surface)."""
    from .readers import read_forms

    return read_forms(path)


def load_book(path: str | os.PathLike) -> tuple[list, list]:
    """The forms and the 绩效目标申报表 of a workbook on disk
    (:func:`perfkit.readers.read_book`): what a batch command reads."""
    from .readers import read_book

    return read_book(path)


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


def _worker_init(parent: int | None = None) -> None:
    gc.set_threshold(*BATCH_GC_THRESHOLD)
    if parent is not None:
        die_with_parent(parent)


PR_SET_PDEATHSIG = 1  # linux/prctl.h
PARENT_POLL_SECONDS = 0.5


def die_with_parent(parent: int) -> None:
    """End this worker process when the process that started it ends, however
    it ends (also SIGKILL): a killed ``perfkit`` must not leave workers behind
    that hold the caller's pipes open.

    Linux: the kernel sends SIGKILL on the parent's death (``PR_SET_PDEATHSIG``);
    if the parent died before that was set, the worker ends at once.  Elsewhere
    (or if prctl is unavailable) a daemon thread checks every half second
    whether the parent is still there."""
    ppid = os.getppid()
    armed = sys.platform.startswith("linux") and _set_pdeathsig()
    if os.name != "nt" and (ppid == 1 or (ppid != parent and _forked())):
        os._exit(1)  # already an orphan
    if not armed:
        threading.Thread(
            target=_watch_parent, args=(ppid,), name="perfkit-parent-watch", daemon=True
        ).start()


def _set_pdeathsig() -> bool:
    try:
        import ctypes
        import signal

        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0) == 0
    except Exception:  # no libc / prctl here: the watching thread takes over
        return False


def _forked() -> bool:
    """Whether workers are direct children of the batch (fork/spawn), not of a forkserver."""
    import multiprocessing

    return multiprocessing.get_start_method(allow_none=True) in (None, "fork", "spawn")


def _parent_gone(ppid: int) -> bool:
    if os.name == "nt":  # pragma: no cover - Windows: the parent id does not change
        from .fsutil import pid_alive

        return not pid_alive(ppid)
    return os.getppid() != ppid  # re-parented: the parent has ended


def _watch_parent(ppid: int) -> None:
    while not _parent_gone(ppid):
        time.sleep(PARENT_POLL_SECONDS)
    os._exit(1)


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
        with ProcessPoolExecutor(
            max_workers=workers, initializer=_worker_init, initargs=(os.getpid(),)
        ) as pool:
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
