"""File output: always atomic, never over an input."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from .errors import UsageError


@contextlib.contextmanager
def atomic_path(target: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary path beside *target*; on success it replaces *target*
    in one rename, on failure it is removed and *target* is untouched."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=target.suffix, dir=target.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        os.chmod(tmp_path, _mode_for(target))
        os.replace(tmp_path, target)
    finally:
        if tmp_path.exists():
            tmp_path.unlink()


def _mode_for(target: Path) -> int:
    """Permissions of the new file: those of the file it replaces, else what a
    plain ``open(target, "w")`` would give (mkstemp makes it owner-only, 0600,
    which would hide a 汇总.xlsx in a shared folder from colleagues)."""
    try:
        return target.stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def write_atomic(target: str | os.PathLike, writer: Callable[[Path], object]) -> Path:
    """Call ``writer(tmp_path)`` and move the result onto *target* atomically."""
    with atomic_path(target) as tmp:
        writer(tmp)
    return Path(target)


def write_bytes_atomic(target: str | os.PathLike, data: bytes) -> Path:
    return write_atomic(target, lambda p: p.write_bytes(data))


def refuse_overwrite_input(out: str | os.PathLike, inputs: list[str | os.PathLike]) -> None:
    """Raise if *out* is one of the input files (batch mode never writes over input)."""
    out_r = Path(out).resolve()
    for item in inputs:
        if Path(item).resolve() == out_r:
            raise UsageError(f"输出文件不能与输入文件相同：{out}")
