"""``perfkit templates build|check``: the two .xlsx templates."""

from __future__ import annotations

import argparse
import sys

from ..layout import DEFAULT_DIR


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "templates",
        help="生成或核对 Excel 模板（项目支出绩效自评表、绩效评价指标体系评分表）",
        description="生成或核对 Excel 模板。生成结果是确定的：同样的代码得到同样的字节。",
    )
    sub = parser.add_subparsers(dest="templates_command", metavar="ACTION")
    build = sub.add_parser("build", help="生成两个模板到目录（默认 xlsx_templates）")
    build.add_argument("--out", default=DEFAULT_DIR, help="输出目录（默认 %(default)s）")
    build.add_argument(
        "--profile", default="mof2020", help="模板中预选的评分规则（默认 %(default)s）"
    )
    build.set_defaults(func=_build)
    check = sub.add_parser("check", help="核对已提交的模板与重新生成的是否一致（不一致退出码 1）")
    check.add_argument("--dir", default=DEFAULT_DIR, help="模板目录（默认 %(default)s）")
    check.set_defaults(func=_check)
    parser.set_defaults(func=lambda args: _usage(parser))


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return 2


def _build(args: argparse.Namespace) -> int:
    from ..writers import template as templates  # openpyxl: only when templates are built

    for path in templates.build_all(args.out, args.profile):
        print(f"已生成 {path}")
    return 0


def _check(args: argparse.Namespace) -> int:
    from pathlib import Path

    from ..writers import template as templates

    missing = [
        str(Path(args.dir) / name)
        for name in templates.TEMPLATE_FILES.values()
        if not (Path(args.dir) / name).is_file()
    ]
    if missing:
        for path in missing:
            print(
                f"找不到模板文件：{path}（请在 perfkit 源码目录中运行，或用 --dir 指明模板所在的文件夹）",
                file=sys.stderr,
            )
        return 2
    stale = templates.check(args.dir)
    if stale:
        for path in stale:
            print(
                f"模板与重新生成的不一致：{path}（请运行 perfkit templates build）", file=sys.stderr
            )
        return 1
    print("模板与代码一致")
    return 0
