"""File output: always atomic, never over an input, a Chinese message when it fails.

Every writer of perfkit goes through :func:`atomic_path` (or its two short
forms): the data goes to a hidden temporary file beside the target, which one
rename puts in place.  The temporary file's name says that perfkit made it,
on which machine and by which process (``.汇总.perfkit-tmp.<host>.<pid>.<random>.xlsx``),
so one left behind by a process that was killed is recognised and removed the
next time perfkit writes into that folder.

An ``OSError`` on the way (a folder given as the file, a file where a folder
should be, no permission, a file held open by Excel, a full disk) becomes an
:class:`~perfkit.errors.OutputError` whose message names the path and says what
to do (:func:`output_error`); :func:`check_outputs` refuses an output that is
one of the inputs, however either was named.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import re
import socket
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from .errors import OutputError, UsageError

TEMP_TAG = "perfkit-tmp"


# --------------------------------------------------------------------------
# Temporary files: a recognisable name, and the stale ones cleaned
# --------------------------------------------------------------------------


def _host_tag() -> str:
    """Eight hex digits for this machine: a folder shared by several machines
    may hold another machine's temporary file, whose process we cannot see."""
    return hashlib.sha256(socket.gethostname().encode("utf-8", "replace")).hexdigest()[:8]


_STALE = re.compile(rf"^\..*\.{TEMP_TAG}\.([0-9a-f]{{8}})\.(\d+)\.[A-Za-z0-9_]+(?:\.[^.]*)?$")


def temp_prefix(target: Path) -> str:
    """The start of a temporary file's name for *target* (mkstemp adds the rest)."""
    return f".{target.stem}.{TEMP_TAG}.{_host_tag()}.{os.getpid()}."


def pid_alive(pid: int) -> bool:
    """Whether a process with this id exists (a zombie counts as alive)."""
    if pid <= 0:
        return False
    if os.name == "nt":  # pragma: no cover - Windows
        return _pid_alive_windows(pid)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # it exists, owned by someone else
        return True
    except OSError:
        return True
    return True


def _pid_alive_windows(pid: int) -> bool:  # pragma: no cover - Windows
    """OpenProcess + GetExitCodeProcess: os.kill(pid, 0) would terminate it there."""
    import ctypes

    kernel32 = ctypes.windll.kernel32
    handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
    if not handle:
        return kernel32.GetLastError() == 5  # access denied: it exists
    try:
        code = ctypes.c_ulong()
        if not kernel32.GetExitCodeProcess(handle, ctypes.byref(code)):
            return True
        return code.value == 259  # STILL_ACTIVE
    finally:
        kernel32.CloseHandle(handle)


def stale_temps(folder: str | os.PathLike) -> list[Path]:
    """perfkit's own temporary files in *folder* whose creating process, on this
    machine, no longer exists.  Nothing else is ever listed: other hidden files,
    another machine's temporary files and those of running processes stay."""
    host = _host_tag()
    found = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return []
    for entry in entries:
        m = _STALE.match(entry.name)
        if not m or m.group(1) != host:
            continue
        try:
            if not entry.is_file(follow_symlinks=False):
                continue
        except OSError:
            continue
        if not pid_alive(int(m.group(2))):
            found.append(Path(entry.path))
    return found


def clean_stale_temps(folder: str | os.PathLike) -> list[Path]:
    """Remove :func:`stale_temps`; returns what was removed (errors ignored)."""
    removed = []
    for path in stale_temps(folder):
        with contextlib.suppress(OSError):
            path.unlink()
            removed.append(path)
    return removed


# --------------------------------------------------------------------------
# Atomic writes
# --------------------------------------------------------------------------


@contextlib.contextmanager
def atomic_path(target: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary path beside *target*; on success it replaces *target*
    in one rename, on failure it is removed and *target* is untouched.  Any
    ``OSError`` becomes an :class:`OutputError` naming *target*."""
    target = Path(target)
    if target.is_dir():
        raise OutputError(_is_folder_message(target), path=str(target))
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        clean_stale_temps(target.parent)
        fd, tmp = tempfile.mkstemp(
            prefix=temp_prefix(target), suffix=target.suffix, dir=target.parent
        )
        os.close(fd)
    except OSError as err:
        raise output_error(err, target) from None
    tmp_path = Path(tmp)
    try:
        try:
            yield tmp_path
            os.chmod(tmp_path, _mode_for(target))
            os.replace(tmp_path, target)
        except OSError as err:
            raise output_error(err, target) from None
    finally:
        with contextlib.suppress(OSError):
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


def prepare_folder(folder: str | os.PathLike) -> Path:
    """Create an output folder (``validate --out DIR``); :class:`OutputError`
    with a Chinese message when it cannot be (a file of that name, no permission)."""
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise OutputError(
            "这是一个已有的文件，不是文件夹：请给出一个文件夹（不存在时会自动创建）",
            path=str(folder),
        )
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise output_error(err, folder / "_") from None
    return folder


# --------------------------------------------------------------------------
# OSError -> what the user reads
# --------------------------------------------------------------------------


def _is_folder_message(target: Path) -> str:
    return (
        "这是一个文件夹，不能作为输出文件：请在路径末尾加上文件名"
        f"（例如 {target / ('汇总' + (target.suffix or '.xlsx'))}）"
    )


def _file_in_the_way(target: Path) -> Path | None:
    """The first ancestor of *target* that exists and is not a folder."""
    for parent in reversed(target.parents):
        try:
            if parent.exists() and not parent.is_dir():
                return parent
        except OSError:
            return None
    return None


def write_error_message(err: OSError, target: str | os.PathLike) -> str:
    """What to tell the user when writing *target* failed with *err*: Chinese,
    the cause in plain words and what to do; never the exception text."""
    target = Path(target)
    code = err.errno
    winerror = getattr(err, "winerror", None)
    in_the_way = _file_in_the_way(target)
    if in_the_way is not None:
        return f"路径中的 {in_the_way} 是一个文件，不是文件夹：请换一个输出位置"
    if isinstance(err, IsADirectoryError) or target.is_dir():
        return _is_folder_message(target)
    if code in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)) or winerror in (39, 112):
        return "磁盘空间不足（或超出配额），未写出：请清理磁盘或换一个位置"
    if code == errno.EROFS:
        return "所在的磁盘或文件夹是只读的，未写出：请换一个输出位置"
    if code == errno.ENAMETOOLONG or winerror == 206:
        return "文件名或路径过长，未写出：请换一个较短的文件名或位置"
    if isinstance(err, PermissionError) or winerror in (5, 32, 33):
        if target.exists():
            return (
                "无法覆盖：文件正被其他程序（如 Excel、WPS）打开，或是只读的、没有写入权限。"
                "请关闭该文件后重试，或换一个输出文件名"
            )
        return (
            f"没有在文件夹 {target.parent} 中写入的权限（或文件被其他程序占用）："
            "请换一个输出位置，例如“文档”文件夹"
        )
    if code == errno.EINVAL or winerror == 123:
        return '文件名含有不允许的字符（如 \\ / : * ? " < > |），未写出：请换一个文件名'
    if isinstance(err, FileNotFoundError):
        return "路径不存在且无法创建（盘符或网络位置是否可用？）：请换一个输出位置"
    return f"无法写入（系统错误代码 {code}）：请检查路径、权限和磁盘空间后重试"


def output_error(err: OSError, target: str | os.PathLike) -> OutputError:
    """The :class:`OutputError` for a failed write of *target*."""
    return OutputError(write_error_message(err, target), path=os.fspath(target))


def read_error_message(err: OSError) -> str:
    """What to tell the user when an input could not be read (no exception text)."""
    if isinstance(err, FileNotFoundError):
        return "文件不存在：请检查路径"
    if isinstance(err, IsADirectoryError):
        return "这是一个文件夹，不是文件"
    if isinstance(err, PermissionError):
        return "没有读取权限，或文件正被其他程序独占打开：请关闭该文件或检查权限后重试"
    if err.errno == errno.ELOOP:
        return "符号链接循环，无法打开"
    return f"无法读取（系统错误代码 {err.errno}）：请检查文件是否完整、是否有读取权限"


# --------------------------------------------------------------------------
# Never over an input
# --------------------------------------------------------------------------


def _identity(path: str | os.PathLike) -> object:
    """What makes two paths the same file: device and inode (also through a
    link, another spelling or, on Windows, another letter case); the normalised
    absolute path for a file that does not exist."""
    try:
        st = os.stat(path)
    except (OSError, ValueError):
        return os.path.normcase(os.path.abspath(path))
    if st.st_ino == 0:  # pragma: no cover - file systems without inode numbers
        return os.path.normcase(os.path.realpath(path))
    return (st.st_dev, st.st_ino)


def check_outputs(
    outputs: Iterable[str | os.PathLike | None], inputs: Iterable[str | os.PathLike]
) -> None:
    """Refuse (:class:`UsageError`, exit code 2) any output that is one of the
    *inputs*, named or found by a folder scan — the one check every command
    makes before it writes anything."""
    wanted = [(o, _identity(o)) for o in outputs if o is not None]
    if not wanted:
        return
    keys = {key: out for out, key in wanted}
    for item in inputs:
        key = _identity(item)
        if key in keys:
            out = keys[key]
            same = os.fspath(out) == os.fspath(item)
            where = f"{out}" if same else f"{out}（即输入文件 {item}）"
            raise UsageError(
                f"输出文件 {where} 是要读取的输入文件之一，perfkit 不会覆盖输入："
                "请换一个输出文件名或输出位置"
            )


def refuse_overwrite_input(out: str | os.PathLike, inputs: Iterable[str | os.PathLike]) -> None:
    """Raise if *out* is one of the input files (see :func:`check_outputs`)."""
    check_outputs([out], inputs)
