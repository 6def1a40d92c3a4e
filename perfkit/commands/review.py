"""``perfkit review PATH... -o DIR [--sample N | --sample P%] [--seed S] [--profile NAME]``.

Ranks every form by risk, samples the riskiest and a seeded random share of
the rest, and writes ``DIR/复核清单.xlsx``, a 复核工作底稿 per sampled form and
a 整改通知 per unit (:mod:`perfkit.review`; ``docs/review.md``).  Exit code:
0 no errors, 1 some form has errors, 2 an input could not be read or the
arguments are wrong (the other files are still reviewed).
"""

from __future__ import annotations

import sys


def register(sub) -> None:
    p = sub.add_parser(
        "review",
        help="复核：按风险排序全部表格，抽样并为抽中的项目生成复核工作底稿",
        description="读取多个自评表或评分表（文件或文件夹），逐份计分、校验并计算风险分，"
        "按风险排序写出 DIR/复核清单.xlsx（含风险分布图和 自评总分—执行率 散点图），"
        "为抽中的项目写出复核工作底稿（DIR/复核工作底稿/），为有问题的单位写出整改通知（DIR/整改通知/）。"
        "抽样：风险最高的一半 + 其余随机抽取（--seed 可复现）。"
        "退出码：0 无错误；1 有表格发现错误；2 有文件无法读取或参数有误。",
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help="表格文件或包含表格的文件夹")
    p.add_argument(
        "-o", "--output", required=True, metavar="DIR", help="输出文件夹（不能在输入文件夹之内）"
    )
    p.add_argument(
        "--sample",
        metavar="N|P%",
        help="抽取份数（如 20）或比例（如 10%%），默认 10%%；0 = 只排序不抽样",
    )
    p.add_argument(
        "--seed", type=int, metavar="S", help="随机种子（整数）：同样的种子得到同样的抽样"
    )
    p.add_argument("--profile", metavar="NAME", help="评分规则（默认：各表 设置 页中的规则）")
    p.add_argument(
        "--jobs", type=int, metavar="N", help="并行进程数（默认：全部 CPU 核；1 = 不并行）"
    )
    p.add_argument("--no-progress", action="store_true", help="不显示进度条")
    p.add_argument("--no-letters", action="store_true", help="不写整改通知")
    p.add_argument(
        "--allow-inside",
        action="store_true",
        help="允许输出文件夹位于输入文件夹之内（复核结果带有标记，之后的扫描会跳过它们）",
    )
    p.add_argument(
        "--overwrite", action="store_true", help="输出文件夹中已有复核结果时替换（默认拒绝）"
    )
    p.set_defaults(func=_review)


def _review(args) -> int:
    from ..batch import skipped_summary
    from ..review import run

    result = run(
        args.paths,
        args.output,
        sample=args.sample,
        seed=args.seed,
        profile=args.profile,
        jobs=args.jobs,
        progress=not args.no_progress,
        allow_inside=args.allow_inside,
        overwrite=args.overwrite,
        letters=not args.no_letters,
    )
    for line in skipped_summary(result.found):
        print(line, file=sys.stderr)
    ranked = result.ranked
    errors = sum(r.errors for r in ranked)
    warnings = sum(r.warnings for r in ranked)
    high = sum(1 for r in ranked if r.risk.level == "高")
    bad = result.unreadable
    print(
        f"已复核 {len(ranked)} 份表格（错误 {errors}，警告 {warnings}；高风险 {high} 份）"
        + (f"，无法读取 {len(bad)} 个文件（见“无法读取”工作表）" if bad else ""),
        file=sys.stderr,
    )
    for r in bad:
        print(f"错误：{r.file}：{r.read_error}", file=sys.stderr)
    from ..validate.between import console_note, declarations_note

    for line in (
        declarations_note(result.declarations, "不参加复核排序"),
        console_note([r.between for r in ranked], "复核清单的风险原因"),
    ):
        if line:
            print(line, file=sys.stderr)
    seed_note = (
        f"随机种子 {result.seed}"
        if result.seed_given
        else f"随机种子 {result.seed}（未指定 --seed；加 --seed {result.seed} 可复现同一抽样）"
    )
    print(
        f"抽取 {len(result.sampled)} 份：风险最高 {len(result.riskiest)} 份 + 随机 {len(result.drawn)} 份，"
        + seed_note,
        file=sys.stderr,
    )
    print(
        f"-> {result.list_path}；复核工作底稿 {len(result.workpapers)} 份"
        + (f"，整改通知 {len(result.letters)} 份" if result.letters else ""),
        file=sys.stderr,
    )
    if bad:
        return 2
    return 1 if result.has_errors else 0
