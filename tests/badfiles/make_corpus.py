"""Build the bad-input corpus of ``perfkit validate`` into a folder.

    python -m tests.badfiles.make_corpus DEST

Each entry: file name -> (what it is, words the Chinese message must contain,
expected exit code of ``perfkit validate`` on that file alone).  The files are
generated rather than committed: a zip bomb and an encrypted file in git are a
nuisance, and the generator documents how each was made.
"""

from __future__ import annotations

import io
import re
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GOOD = ROOT / "examples" / "longgang2023_falv.xlsx"

# name -> (description, words expected in the message, exit code)
CASES: dict[str, tuple[str, tuple[str, ...], int]] = {
    "corrupt.xlsx": ("zip header followed by garbage", ("损坏",), 2),
    "empty.xlsx": ("0 bytes", ("空",), 2),
    "text.xlsx": ("a text file named .xlsx", ("不是 Excel 工作簿",), 2),
    "report.xlsx": ("a PDF named .xlsx", ("不是 Excel 工作簿",), 2),
    "old.xls": ("an Excel 97-2003 OLE file", (".xls", "另存为"), 2),
    "encrypted.xlsx": (
        "an OOXML file with an open password (OLE + EncryptedPackage)",
        ("加密",),
        2,
    ),
    "notaform.xlsx": ("a workbook that holds no form", ("没有找到", "年度绩效指标表头"), 2),
    "missing_sheet.xlsx": ("设置 says 自评表 but the sheet 自评表 is missing", ("缺少工作表",), 2),
    "zipbomb.xlsx": ("a 20 MB part of zeros compressed to a few KB", ("压缩炸弹",), 2),
    "entitybomb.xlsx": ("billion laughs DOCTYPE in the sheet XML", ("实体",), 2),
    "entitybomb_late.xlsx": ("the DOCTYPE after a 6000-byte comment", ("实体",), 2),
    "text_in_numbers.xlsx": (
        "全年执行数 typed as 约2.75万: readable, a finding",
        ("NOT_A_NUMBER",),
        1,
    ),
    "div0.xlsx": ("执行率 cached as #DIV/0!: readable, a finding", ("FORMULA_ERROR",), 1),
    "单位表格.zip": (
        "a unit's forms sent as a zip (and a macOS resource fork)",
        ("是压缩包", "内有 2 个表格文件", "请先解压"),
        2,
    ),
    "单位表格.rar": ("a RAR archive", ("是压缩包", "请先解压"), 2),
    "图片.zip": ("a zip of no spreadsheet", ("是压缩包", "没有表格文件"), 2),
}

BOMB = (
    '<!DOCTYPE lolz [<!ENTITY lol "lol">'
    '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">'
    '<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]>'
)


def _rezip(src: Path, dest: Path, edit) -> None:
    """Copy an .xlsx, passing each part through edit(name, bytes) -> bytes."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, edit(info.filename, zin.read(info.filename)))


def _sheet_edit(pattern: str, repl: str):
    def edit(name: str, data: bytes) -> bytes:
        if name == "xl/worksheets/sheet1.xml":
            text, n = re.subn(pattern, repl, data.decode("utf-8"), count=1)
            assert n == 1, pattern
            return text.encode("utf-8")
        return data

    return edit


def build(dest: Path) -> dict[str, Path]:
    import openpyxl

    dest.mkdir(parents=True, exist_ok=True)
    out = {name: dest / name for name in CASES}
    good = GOOD.read_bytes()
    out["corrupt.xlsx"].write_bytes(good[:200] + b"\x00garbage" * 50)
    out["empty.xlsx"].write_bytes(b"")
    out["text.xlsx"].write_text("项目名称,得分\n党建事务,99.89\n", encoding="utf-8")
    out["report.xlsx"].write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n")
    out["old.xls"].write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504)

    from msoffcrypto.format.ooxml import OOXMLFile

    with open(GOOD, "rb") as fh:
        plain = OOXMLFile(fh)
        buf = io.BytesIO()
        plain.encrypt("secret", buf)
    out["encrypted.xlsx"].write_bytes(buf.getvalue())

    wb = openpyxl.Workbook()
    wb.active.title = "Sheet1"
    wb.active["A1"] = "这不是绩效表"
    wb.save(out["notaform.xlsx"])

    wb = openpyxl.load_workbook(GOOD)
    del wb["自评表"]
    wb.save(out["missing_sheet.xlsx"])

    def bomb_part(name: str, data: bytes) -> bytes:
        return data

    _rezip(GOOD, out["zipbomb.xlsx"], bomb_part)
    with zipfile.ZipFile(out["zipbomb.xlsx"], "a", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/media/padding.bin", b"\x00" * (20 * 1024 * 1024))

    def entity(late: bool):
        def edit(name: str, data: bytes) -> bytes:
            if name != "xl/worksheets/sheet1.xml":
                return data
            text = data.decode("utf-8")
            decl_end = text.index("?>") + 2 if text.startswith("<?xml") else 0
            pad = "<!--" + "x" * 6000 + "-->" if late else ""
            text = text[:decl_end] + pad + BOMB + text[decl_end:]
            return text.replace(
                '<c r="B3"', '<c r="B3" t="inlineStr"><is><t>&lol4;</t></is></c><c r="Z99"', 1
            ).encode()

        return edit

    _rezip(GOOD, out["entitybomb.xlsx"], entity(False))
    _rezip(GOOD, out["entitybomb_late.xlsx"], entity(True))

    wb = openpyxl.load_workbook(GOOD)
    wb["自评表"]["E6"] = "约2.75万"
    wb.save(out["text_in_numbers.xlsx"])

    edit_g6 = _sheet_edit(
        r'<c r="G6"( s="\d+")?(?: t="\w+")?><f>(.*?)</f>(?:<v>[^<]*</v>|<v\s*/>)',
        r'<c r="G6"\1 t="e"><f>\2</f><v>#DIV/0!</v>',
    )
    _rezip(GOOD, out["div0.xlsx"], edit_g6)

    with zipfile.ZipFile(out["单位表格.zip"], "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("单位表格/法律顾问服务经费.xlsx", good)
        z.writestr("单位表格/党建事务.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")
        z.writestr("__MACOSX/单位表格/._法律顾问服务经费.xlsx", b"\x00")
    out["单位表格.rar"].write_bytes(b"Rar!\x1a\x07\x01\x00" + b"\x00" * 64)
    with zipfile.ZipFile(out["图片.zip"], "w") as z:
        z.writestr("扫描件.pdf", b"%PDF-1.4")
    return out


if __name__ == "__main__":  # pragma: no cover
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "badfiles")
    for name, path in build(target).items():
        print(f"{path}  ({CASES[name][0]})")
