"""safety.open_directory: the zip directory read without zipfile lists what
zipfile lists, and every zip it does not read as plain goes to zipfile."""

import io
import os
import struct
import zipfile
from pathlib import Path

import pytest

from perfkit.errors import InputError
from perfkit.safety import ZipDirectory, _open_zip, inflate, open_directory

ROOT = Path(__file__).resolve().parent.parent
FIELDS = ("filename", "flag_bits", "compress_type", "CRC", "compress_size", "file_size")
FIELDS += ("header_offset",)


def entries(zf) -> list[tuple]:
    return [tuple(getattr(i, f) for f in FIELDS) for i in zf.infolist()]


def same_as_zipfile(path, fast: bool) -> None:
    """open_directory lists what zipfile lists (reading it itself or not, as
    *fast* says), and every entry inflates to the same bytes."""
    got = open_directory(str(path))
    try:
        assert isinstance(got, ZipDirectory) is fast
        with zipfile.ZipFile(path) as zf:
            assert entries(got) == entries(zf)
            assert got.NameToInfo.keys() == zf.NameToInfo.keys()
            for mine, theirs in zip(got.infolist(), zf.infolist(), strict=True):
                data = inflate(got, mine, 1 << 26, str(path))
                assert data == inflate(zf, theirs, 1 << 26, str(path)) == zf.read(theirs)
    finally:
        got.close()


def make_zip(parts: dict[str, bytes], **kw) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, **kw) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return buf.getvalue()


PARTS = {"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>" * 50}


def test_examples_and_templates_are_read_without_zipfile():
    files = sorted((ROOT / "examples").glob("*.xlsx")) + sorted(
        (ROOT / "xlsx_templates").glob("*.xlsx")
    )
    assert len(files) >= 7
    for path in files:
        same_as_zipfile(path, fast=True)


def test_a_large_file_is_read_from_disk(tmp_path):
    path = tmp_path / "big.xlsx"
    path.write_bytes(make_zip({**PARTS, "xl/media/image1.png": os.urandom(1_500_000)}))
    same_as_zipfile(path, fast=True)


def test_well_formed_extra_fields_are_read(tmp_path):
    path = tmp_path / "extra.xlsx"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in PARTS.items():
            info = zipfile.ZipInfo(name)
            info.extra = struct.pack("<HHB4s", 0x5455, 5, 1, b"\0\0\0\0")  # a timestamp
            zf.writestr(info, data, zipfile.ZIP_DEFLATED)
    path.write_bytes(buf.getvalue())
    same_as_zipfile(path, fast=True)


def test_names_without_the_utf8_flag_are_read_as_zipfile_reads_them(tmp_path):
    raw = bytearray(make_zip({**PARTS, "xl/é.xml": b"<x/>"}))
    for sig, at in ((b"PK\x01\x02", 8), (b"PK\x03\x04", 6)):
        pos = raw.find(sig)
        while pos != -1:  # clear the UTF-8 flag: the name is then cp437
            flags = struct.unpack_from("<H", raw, pos + at)[0]
            struct.pack_into("<H", raw, pos + at, flags & ~0x800)
            pos = raw.find(sig, pos + 4)
    path = tmp_path / "cp437.xlsx"
    path.write_bytes(bytes(raw))
    same_as_zipfile(path, fast=True)
    with zipfile.ZipFile(path) as zf:
        assert "xl/é.xml".encode().decode("cp437") in zf.NameToInfo


def _comment(raw: bytes) -> bytes:
    buf = io.BytesIO(raw)
    with zipfile.ZipFile(buf, "a") as zf:
        zf.comment = b"a comment"
    return buf.getvalue()


def _zip64(raw: bytes, monkeypatch) -> bytes:
    monkeypatch.setattr(zipfile, "ZIP64_LIMIT", 0)
    out = make_zip(PARTS)
    monkeypatch.undo()
    assert b"PK\x06\x06" in out
    return out


@pytest.mark.parametrize(
    "variant",
    ["comment", "data before the zip", "zip64"],
)
def test_other_zips_go_to_zipfile(tmp_path, monkeypatch, variant):
    raw = make_zip(PARTS)
    if variant == "comment":
        raw = _comment(raw)
    elif variant == "data before the zip":
        raw = b"MZ" + b"\0" * 100 + raw
    else:
        raw = _zip64(raw, monkeypatch)
    path = tmp_path / "other.xlsx"
    path.write_bytes(raw)
    same_as_zipfile(path, fast=False)


def _broken_extra(raw: bytearray) -> None:
    """The first directory entry claims a 4-byte extra field holding a 99-byte record."""
    pos = raw.find(b"PK\x01\x02")
    name_len, extra_len = struct.unpack_from("<HH", raw, pos + 28)
    assert extra_len == 0
    at = pos + 46 + name_len
    raw[at:at] = struct.pack("<HH", 0x5455, 99)
    struct.pack_into("<H", raw, pos + 30, 4)
    end = raw.rfind(b"PK\x05\x06")
    size = struct.unpack_from("<L", raw, end + 12)[0]
    struct.pack_into("<L", raw, end + 12, size + 4)


@pytest.mark.parametrize(
    "variant",
    ["truncated", "bad directory magic", "broken extra field", "not a zip", "too short"],
)
def test_broken_zips_are_refused_as_zipfile_refuses_them(tmp_path, variant):
    raw = bytearray(make_zip(PARTS))
    if variant == "truncated":
        raw = raw[:-30]
    elif variant == "bad directory magic":
        pos = raw.rfind(b"PK\x01\x02")
        raw[pos : pos + 4] = b"PK\x09\x09"
    elif variant == "broken extra field":
        _broken_extra(raw)
    elif variant == "not a zip":
        raw = b"PK\x03\x04" + b"x" * 200
    else:
        raw = b"PK\x03\x04"
    path = tmp_path / "broken.xlsx"
    path.write_bytes(bytes(raw))
    with pytest.raises(InputError) as theirs:
        _open_zip(str(path))
    with pytest.raises(InputError) as mine:
        open_directory(str(path))
    assert str(mine.value) == str(theirs.value) and "损坏" in str(mine.value)
