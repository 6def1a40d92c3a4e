"""``perfkit summarize`` and ``perfkit report``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "summarize",
        help="批量汇总自评表/评分表，生成带图表的 汇总.xlsx",
        description="读取多个自评表或评分表（文件或文件夹），逐份重新计分并校验，"
        "输出 汇总.xlsx（汇总、按单位、按等级、图表、无法读取）。"
        "有文件无法读取时退出码为 2，但其余文件照常汇总。",
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help="表格文件或包含表格的文件夹")
    p.add_argument("-o", "--output", required=True, metavar="汇总.xlsx", help="输出的汇总工作簿")
    p.add_argument(
        "--csv", action="store_true", help="同时输出同名 .csv（UTF-8 BOM，Excel 可直接打开）"
    )
    p.add_argument("--profile", metavar="NAME", help="评分规则（默认：各表 设置 页中的规则）")
    p.add_argument(
        "--jobs", type=int, metavar="N", help="并行进程数（默认：全部 CPU 核；1 = 不并行）"
    )
    p.add_argument("--no-progress", action="store_true", help="不显示进度条")
    p.set_defaults(func=_summarize)

    r = sub.add_parser(
        "report",
        help="由评分表（及自评表）生成绩效评价报告初稿 .docx",
        description="按福田区评价报告的结构生成 绩效评价报告 初稿：项目概况、表1-1、表1-2、"
        "表2-1、绩效等级、扣分说明、存在的问题。",
    )
    r.add_argument("eval", metavar="EVAL.xlsx", help="绩效评价指标体系评分表")
    r.add_argument("--selfeval", metavar="SELF.xlsx", help="项目支出绩效自评表（用于表1-2）")
    r.add_argument("-o", "--output", required=True, metavar="报告.docx", help="输出的 Word 文件")
    r.add_argument("--profile", metavar="NAME", help="评分规则（默认：评分表 设置 页中的规则）")
    r.set_defaults(func=_report)


def _summarize(args: argparse.Namespace) -> int:
    from ..batch import discover, skipped_summary
    from ..errors import UsageError
    from ..summary import COLUMNS, run

    if Path(args.output).suffix.lower() != ".xlsx":
        raise UsageError(f"输出文件应为 .xlsx：{args.output}")
    found = discover(args.paths)
    if found.missing:
        names = "、".join(str(p) for p in found.missing)
        raise UsageError(f"找不到 {names}：请检查路径是否正确（未写出任何文件）")
    for line in skipped_summary(found):
        print(line, file=sys.stderr)
    if not found:
        raise UsageError(
            "没有找到要汇总的表格文件（.xlsx、.xlsm、.xls）："
            + "、".join(str(p) for p in args.paths)
            + "（未写出任何文件）"
        )
    rows, unreadable = run(
        found,
        args.output,
        profile=args.profile,
        jobs=args.jobs,
        csv=args.csv,
        progress=not args.no_progress,
    )
    n = len(rows)
    errors = sum(row.get("errors") or 0 for row in rows)
    warnings = sum(row.get("warnings") or 0 for row in rows)
    print(
        f"已汇总 {n - unreadable} 份表格（{COLUMNS['errors'][0]} {errors}，{COLUMNS['warnings'][0]} {warnings}）"
        + (f"，无法读取 {unreadable} 份（见“无法读取”工作表）" if unreadable else "")
        + f" -> {args.output}",
        file=sys.stderr,
    )
    from ..validate.between import console_note, declarations_note

    for line in (
        declarations_note(getattr(rows, "declarations", 0), "不是汇总的表格"),
        console_note([row.get("between") or () for row in rows], "“汇总”工作表的备注列"),
    ):
        if line:
            print(line, file=sys.stderr)
    return 2 if unreadable else 0


def _report(args: argparse.Namespace) -> int:
    from ..errors import UsageError
    from ..report import write_report

    if Path(args.output).suffix.lower() != ".docx":
        raise UsageError(f"输出文件应为 .docx：{args.output}")
    path = write_report(args.eval, args.output, selfeval=args.selfeval, profile=args.profile)
    print(f"已生成报告初稿 -> {path}", file=sys.stderr)
    return 0
