"""``perfkit fill`` / ``extract`` / ``freeze`` / ``adopt``."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from ..errors import InputError, UsageError
from ..fsutil import check_outputs, read_error_message, write_bytes_atomic


def register(subparsers) -> None:
    fill = subparsers.add_parser(
        "fill",
        help="把 JSON 数据填入模板，生成 .xlsx",
        description="把 JSON 数据（格式见 docs/templates.md）填入模板。"
        "TEMPLATE 可以是模板文件路径，或 selfeval（项目支出绩效自评表）/ evaltable（绩效评价指标体系评分表）。",
    )
    fill.add_argument("template", metavar="TEMPLATE")
    fill.add_argument("data", metavar="DATA.json")
    fill.add_argument("-o", "--out", required=True, metavar="OUT.xlsx")
    fill.set_defaults(func=_fill)

    extract = subparsers.add_parser(
        "extract",
        help="从填好的表格读出 JSON 数据（任何版式；一个文件有多份表格时输出列表）",
    )
    extract.add_argument("file", metavar="FILE")
    extract.add_argument("-o", "--out", metavar="OUT.json", help="输出文件（默认输出到屏幕）")
    extract.set_defaults(func=_extract)

    freeze = subparsers.add_parser(
        "freeze",
        help="定稿：把 perfkit 函数替换为 Excel 原生公式或数值，不装加载项也能打开",
        description="生成报送用的定稿文件：执行率、总分、等级改为 Excel 原生公式，"
        "指标得分改为 perfkit 计算的数值，手工得分保持不变。",
    )
    freeze.add_argument("file", metavar="FILE.xlsx")
    freeze.add_argument("-o", "--out", required=True, metavar="OUT.xlsx")
    freeze.set_defaults(func=_freeze)

    adopt = subparsers.add_parser(
        "adopt",
        help="转为模板：把任何版式的自评表/评分表转成填好数据的 perfkit 模板",
        description="读取工作簿中的每一份表格（单位自制、平台导出、.xls 均可），各生成一份 perfkit 模板，"
        "填入原表数据，得分单元格使用模板公式（与原表数值不同之处保留原值），并列出未能转入的内容。"
        "从不改写输入文件。",
    )
    adopt.add_argument("file", metavar="FILE")
    adopt.add_argument("-o", "--out", metavar="DIR", help="输出文件夹（默认与输入文件同一文件夹）")
    adopt.set_defaults(func=_adopt)


def _xlsx_out(out: str) -> None:
    if Path(out).suffix.lower() not in (".xlsx", ".xlsm"):
        raise UsageError(f"输出文件应以 .xlsx 结尾：{out}")


_MAGIC = {
    b"PK\x03\x04": "一个 zip 压缩包（Word .docx、Excel .xlsx 等 Office 文件都是这种格式）",
    b"\xd0\xcf\x11\xe0": "一个旧版 Office 文件（.doc/.xls）",
    b"%PDF": "一个 PDF 文件",
}
JSON_HINT = "fill 需要 JSON 数据文件（UTF-8 文本，格式见 docs/templates.md；可用 perfkit extract 从填好的表格导出）"


def read_json(path: str) -> dict:
    if not os.path.exists(path):
        raise InputError("文件不存在", path=path)
    if not os.path.isfile(path):
        raise InputError(f"这不是一个普通文件：{JSON_HINT}", path=path)
    if os.path.getsize(path) > 20 * 1024 * 1024:
        raise InputError("JSON 文件过大（超过 20 MB）", path=path)
    try:
        with open(path, "rb") as fh:
            raw = fh.read()
    except OSError as err:
        raise InputError(read_error_message(err), path=path) from None
    for magic, what in _MAGIC.items():
        if raw.startswith(magic):
            raise InputError(f"不是 JSON 文件，而是{what}：{JSON_HINT}", path=path)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        if b"\x00" in raw[:4096]:
            raise InputError(
                f"不是 JSON 文本文件（含有二进制数据）：{JSON_HINT}", path=path
            ) from None
        try:
            json.loads(raw.decode("gb18030"))
        except (UnicodeDecodeError, ValueError):
            raise InputError(f"不是 UTF-8 编码的 JSON 文件：{JSON_HINT}", path=path) from None
        raise InputError(
            "JSON 文件是 GBK/GB18030 编码，应为 UTF-8：请用记事本等编辑器“另存为”UTF-8 编码后重试",
            path=path,
        ) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        if text.lstrip()[:1] not in ("{", "["):
            raise InputError(
                f"不是 JSON 文件（内容不是以 {{ 开头）：{JSON_HINT}", path=path
            ) from None
        raise InputError(
            f"JSON 格式错误：第 {exc.lineno} 行第 {exc.colno} 列（{_json_reason(exc.msg)}）",
            path=path,
        ) from None
    if not isinstance(data, dict):
        raise InputError(f"JSON 的最外层应为对象（{{ … }}）：{JSON_HINT}", path=path)
    return data


_JSON_REASONS = {
    "Expecting value": "此处缺少值",
    "Expecting property name enclosed in double quotes": "键名应使用英文双引号",
    "Expecting ',' delimiter": "缺少逗号",
    "Expecting ':' delimiter": "缺少冒号",
    "Unterminated string starting at": "字符串缺少结尾的引号",
    "Extra data": "JSON 结束后还有多余内容",
    "Invalid control character at": "字符串中有不允许的控制字符",
}


def _json_reason(msg: str) -> str:
    for english, chinese in _JSON_REASONS.items():
        if msg.startswith(english):
            return chinese
    return "格式不正确"


def _fill(args: argparse.Namespace) -> int:
    _xlsx_out(args.out)
    check_outputs(
        [args.out], [args.data] + ([args.template] if os.path.exists(args.template) else [])
    )
    from ..writers.fill import fill

    data = read_json(args.data)
    out = fill(data, args.out, template=args.template, source=args.data)
    print(f"已生成 {out}")
    items = data.get("indicators") if isinstance(data, dict) else None
    coefficients = sum(
        1 for i in items or () if isinstance(i, dict) and i.get("coefficient") is not None
    )
    if coefficients:
        print(f"  未能写入：{coefficients} 行的得分系数（模板没有这一列；得分按原值写入）")
    return 0


def _extract(args: argparse.Namespace) -> int:
    from ..jsonio import form_to_dict
    from ..readers import read_forms

    forms = [form_to_dict(form) for form in read_forms(args.file)]
    data = forms[0] if len(forms) == 1 else forms
    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    if args.out:
        check_outputs([args.out], [args.file])
        write_bytes_atomic(args.out, text.encode("utf-8"))
        print(f"已生成 {args.out}")
    else:
        sys.stdout.write(text)
    return 0


def _freeze(args: argparse.Namespace) -> int:
    from ..writers.freeze import freeze

    _xlsx_out(args.out)
    check_outputs([args.out], [args.file])
    out = freeze(args.file, args.out)
    print(f"已生成定稿 {out}")
    return 0


def _adopt(args: argparse.Namespace) -> int:
    from ..writers.adopt import adopt

    results = adopt(args.file, args.out)
    for r in results:
        title = f"工作表「{r.sheet}」“{r.project or '未填项目名称'}”"
        print(f"已转为模板：{title} -> {r.path}")
        for line in r.kept_typed:
            print(f"  保留原值：{line}")
        for line in r.lost:
            print(f"  未能转入：{line}")
    return 0
