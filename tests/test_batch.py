"""Finding the forms of a batch: each file once, sorted, lock and hidden files
skipped, the output never taken for an input."""

import os

import pytest

from perfkit import batch


@pytest.fixture
def tree(tmp_path):
    (tmp_path / "b").mkdir()
    for name in ("b/2.xlsx", "b/1.XLSX", "a.xlsm", "~$a.xlsx", ".hidden.xlsx", "notes.txt"):
        (tmp_path / name).write_bytes(b"x")
    return tmp_path


def test_sorted_and_filtered(tree):
    found = batch.discover_rooted([tree])
    assert [p.relative_to(tree).as_posix() for p, _ in found] == ["a.xlsm", "b/1.XLSX", "b/2.xlsx"]
    assert {root for _, root in found} == {tree}


def test_each_file_once_however_it_is_reached(tree):
    link = tree / "link.xlsx"
    os.symlink(tree / "a.xlsm", link)
    found = batch.discover([tree / "a.xlsm", tree, link, tree / "b" / ".." / "a.xlsm"])
    assert found.count(tree / "a.xlsm") == 1
    assert len(found) == 3  # a.xlsm, b/1.XLSX, b/2.xlsx (the link is a.xlsm)


def test_excluded_output_and_missing_names(tree):
    out = tree / "b" / "2.xlsx"  # an earlier output inside the folder
    found = batch.discover([tree, tree / "nope.xlsx"], exclude=[out, tree / "not-yet.xlsx"])
    names = [p.name for p in found]
    assert "2.xlsx" not in names
    assert names[-1] == "nope.xlsx"  # kept: reading it reports the error
