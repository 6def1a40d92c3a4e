"""SIGKILL (issue 12.4), with real processes and a real SIGKILL: batch workers
end with their parent and release the caller's pipes; a temporary file left
by a killed write is recognised by its name and removed at the next write
beside it, and nothing else is."""

from __future__ import annotations

import os
import re
import select
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from perfkit import fsutil

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "longgang2023_falv.xlsx"

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="reads /proc to find the workers"
)


def _env() -> dict:
    return {**os.environ, "PYTHONPATH": str(ROOT)}


def _children(pid: int) -> list[int]:
    out = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[1]) == pid:
            out.append(int(entry.name))
    return out


def _running(pid: int) -> bool:
    """Exists and is not a zombie (an orphan's zombie waits for PID 1 to reap it)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def _read_until_eof(stream, timeout: float) -> bytes:
    """All that is left on *stream*; fails if the pipe stays open past *timeout*."""
    data = b""
    deadline = time.monotonic() + timeout
    fd = stream.fileno()
    while True:
        left = deadline - time.monotonic()
        assert left > 0, "the pipe is still held open after the main process was killed"
        ready, _, _ = select.select([fd], [], [], left)
        if ready:
            chunk = os.read(fd, 65536)
            if not chunk:
                return data
            data += chunk


BATCH_SCRIPT = textwrap.dedent(
    """
    import sys, time
    from perfkit import batch

    def slow(x):
        time.sleep(0.1)
        return x

    if __name__ == "__main__":
        for r in batch.imap(slow, list(range(10_000)), jobs=2, chunksize=1):
            print(r, flush=True)
    """
)


def _start_and_kill(argv: list[str], cwd: Path) -> tuple[list[int], subprocess.Popen]:
    proc = subprocess.Popen(
        argv, cwd=cwd, env=_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        deadline = time.monotonic() + 60
        workers: list[int] = []
        while time.monotonic() < deadline:
            workers = _children(proc.pid)
            if len(workers) >= 2:
                break
            time.sleep(0.05)
        assert len(workers) >= 2, "the batch did not start two workers"
        time.sleep(0.5)  # let them take work
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    except BaseException:
        proc.kill()
        raise
    return workers, proc


def _assert_workers_end(workers: list[int], proc: subprocess.Popen) -> None:
    try:
        _read_until_eof(proc.stdout, timeout=10)
        _read_until_eof(proc.stderr, timeout=10)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and any(_running(w) for w in workers):
            time.sleep(0.05)
        assert not [w for w in workers if _running(w)], "workers outlived their parent"
    finally:
        for w in workers:
            if _running(w):
                os.kill(w, signal.SIGKILL)
        proc.stdout.close()
        proc.stderr.close()


def test_workers_end_with_a_killed_parent(tmp_path):
    script = tmp_path / "job.py"
    script.write_text(BATCH_SCRIPT, encoding="utf-8")
    workers, proc = _start_and_kill([sys.executable, str(script)], tmp_path)
    assert proc.returncode == -signal.SIGKILL
    _assert_workers_end(workers, proc)


def test_killed_summarize_leaves_no_workers(tmp_path):
    forms = tmp_path / "forms"
    forms.mkdir()
    data = EXAMPLE.read_bytes()
    for i in range(3000):
        (forms / f"{i:04}.xlsx").write_bytes(data)
    argv = [sys.executable, "-m", "perfkit", "summarize", str(forms), "-o", "汇总.xlsx"]
    workers, proc = _start_and_kill([*argv, "--jobs", "2", "--no-progress"], tmp_path)
    _assert_workers_end(workers, proc)


def test_the_watching_thread_ends_an_orphan_where_prctl_is_not_used(tmp_path):
    """The fallback of other systems, run here: no PR_SET_PDEATHSIG, only the
    thread that notices the parent has gone."""
    code = textwrap.dedent(
        """
        import os, sys, time
        from perfkit import batch
        batch._set_pdeathsig = lambda: False
        pid = os.fork()
        if pid == 0:
            batch.die_with_parent(os.getppid())
            print(os.getpid(), flush=True)
            time.sleep(60)
            os._exit(0)
        time.sleep(60)
        """
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code], env=_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    child = int(proc.stdout.readline())
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    _assert_workers_end([child], proc)


# --------------------------------------------------------------------------
# temporary files
# --------------------------------------------------------------------------

WRITE_SCRIPT = textwrap.dedent(
    """
    import sys, time
    from perfkit import fsutil

    def writer(tmp):
        tmp.write_bytes(b"half a workbook")
        print(tmp.name, flush=True)
        time.sleep(60)

    fsutil.write_atomic(sys.argv[1], writer)
    """
)


def test_temp_file_of_a_killed_write_is_cleaned_at_the_next_run(tmp_path):
    target = tmp_path / "汇总.xlsx"
    target.write_bytes(b"the old summary")
    script = tmp_path.parent / f"{tmp_path.name}-write.py"
    script.write_text(WRITE_SCRIPT, encoding="utf-8")
    proc = subprocess.Popen(
        [sys.executable, str(script), str(target)], env=_env(), stdout=subprocess.PIPE
    )
    name = proc.stdout.readline().decode().strip()
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    proc.stdout.close()
    left = tmp_path / name
    assert left.exists() and target.read_bytes() == b"the old summary"
    assert re.fullmatch(rf"\.汇总\.perfkit-tmp\.[0-9a-f]{{8}}\.{proc.pid}\.\w+\.xlsx", name)

    # someone else's hidden file, a live process's temporary file, another machine's
    keep = [
        tmp_path / ".汇总.xlsx.swp",
        tmp_path / f".汇总.perfkit-tmp.{fsutil._host_tag()}.{os.getpid()}.abc.xlsx",
        tmp_path / f".汇总.perfkit-tmp.00000000.{proc.pid}.abc.xlsx",
    ]
    for path in keep:
        path.write_bytes(b"x")

    subprocess.run(
        [sys.executable, "-m", "perfkit", "summarize", str(EXAMPLE), "-o", str(target)],
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=120,
    )
    assert not left.exists()
    assert all(p.exists() for p in keep)
    assert target.read_bytes().startswith(b"PK")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [target.name, *(p.name for p in keep)]
    )
