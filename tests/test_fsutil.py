"""Output files: written atomically, with the permissions an ordinary file gets."""

import os
import stat
import sys

import pytest

from perfkit.fsutil import write_atomic, write_bytes_atomic


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_new_file_gets_the_umask_mode_not_owner_only(tmp_path):
    old = os.umask(0o022)
    try:
        out = write_bytes_atomic(tmp_path / "汇总.xlsx", b"data")
    finally:
        os.umask(old)
    assert stat.S_IMODE(out.stat().st_mode) == 0o644
    assert out.read_bytes() == b"data"
    assert [p.name for p in tmp_path.iterdir()] == ["汇总.xlsx"]  # no temporary left


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_replaced_file_keeps_its_mode(tmp_path):
    target = tmp_path / "report.docx"
    target.write_bytes(b"old")
    target.chmod(0o640)
    write_bytes_atomic(target, b"new")
    assert stat.S_IMODE(target.stat().st_mode) == 0o640 and target.read_bytes() == b"new"


def test_a_failed_write_leaves_the_target_untouched(tmp_path):
    target = tmp_path / "汇总.xlsx"
    target.write_bytes(b"before")

    def broken(path):
        path.write_bytes(b"half")
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        write_atomic(target, broken)
    assert target.read_bytes() == b"before"
    assert [p.name for p in tmp_path.iterdir()] == ["汇总.xlsx"]
