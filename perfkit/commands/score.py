"""``perfkit score``: the engine on typed values, for a quick check in a shell.

perfkit score exec 1937189.02 1959300
perfkit score indicator "≥90%" "85%" 10
perfkit score rule "≥8次得6分，每下降1次扣2分" 7次 6
perfkit score parse "不少于 8 次"
"""

from __future__ import annotations

import argparse

from .. import rules, scoring, targets
from ..errors import UsageError
from ..numbers import NotANumber, fmt


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("score", help="按规则计算单项得分（执行率、指标、评分标准、文字识别）")
    p.add_argument("what", choices=("exec", "indicator", "rule", "parse", "grade"))
    p.add_argument(
        "values",
        nargs="*",
        help="exec: 执行数 预算数 [分值]; indicator: 指标值 完成值 分值 [方向]; "
        "rule: 评分标准 实际值 权重 [标杆值]; parse: 文字; grade: 总分",
    )
    p.add_argument(
        "--profile", default=None, help="评分规则（mof2020、platform、futian2021 或 TOML 文件）"
    )
    p.set_defaults(func=run)


def _need(values: list[str], n: int, usage: str) -> None:
    if len(values) < n:
        raise UsageError(f"参数不足，用法：perfkit score {usage}")


def run(args: argparse.Namespace) -> int:
    v = args.values
    try:
        if args.what == "exec":
            _need(v, 2, "exec 全年执行数 全年预算数 [分值]")
            rate = scoring.exec_rate_pct(v[0], v[1])
            score = scoring.exec_score(v[0], v[1], v[2] if len(v) > 2 else None, args.profile)
            print(f"执行率 {fmt(rate)}%  得分 {fmt(score)}")
        elif args.what == "indicator":
            _need(v, 3, "indicator 年度指标值 实际完成值 分值 [方向]")
            s = scoring.indicator_score(
                v[0], v[1], v[2], v[3] if len(v) > 3 else None, profile=args.profile
            )
            band = f"  区间 [{fmt(s.band[0])}, {fmt(s.band[1])}]" if s.band else ""
            print(f"得分 {fmt(s.value)}  （{s.kind}{('，' + s.level) if s.level else ''}）{band}")
            if s.note:
                print(s.note)
        elif args.what == "rule":
            _need(v, 3, "rule 评分标准 实际值 权重 [标杆值]")
            rule = rules.parse_rule(v[0])
            print(f"规则：{rule.describe() if rule else '无法识别，按标杆值比较'}")
            print(f"得分 {fmt(rules.rule_score(v[0], v[1], v[2], v[3] if len(v) > 3 else None))}")
        elif args.what == "parse":
            _need(v, 1, "parse 文字")
            print(targets.read(v[0]).describe())
        else:
            _need(v, 1, "grade 总分")
            print(scoring.grade(v[0], args.profile))
    except NotANumber as err:
        raise UsageError(f"“{err}”不是数字") from None
    return 0
