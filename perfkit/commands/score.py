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
    p.add_argument(
        "what",
        choices=("exec", "indicator", "rule", "parse", "grade"),
        help="计算什么：exec 执行率得分；indicator 指标得分；rule 按评分标准；parse 识别文字；grade 等级",
    )
    p.add_argument(
        "values",
        nargs="*",
        help="exec: 执行数 预算数 [分值]; indicator: 指标值 完成值 分值 [方向]; "
        "rule: 评分标准 实际值 权重 [标杆值]; parse: 文字; grade: 总分",
    )
    p.add_argument(
        "--profile",
        default=None,
        metavar="NAME",
        help="评分规则（mof2020、platform、futian2021 或 TOML 文件）",
    )
    p.set_defaults(func=run)


def _need(values: list[str], n: int, usage: str) -> None:
    """At least *n* values and no more than *usage* names (an extra one was
    silently dropped: ``score exec 180.57 182.2 3 futian2021`` gave the
    default rule's 2.97)."""
    if len(values) < n:
        raise UsageError(f"参数不足，用法：perfkit score {usage}")
    most = len(usage.split()) - 1
    if len(values) > most:
        raise UsageError(
            f"多余的参数：{' '.join(values[most:])}；用法：perfkit score {usage}"
            "（评分规则用 --profile 指定，含空格的文字请加引号）"
        )


KIND_NAMES = {
    "quantitative": "定量指标",
    "qualitative": "定性指标",
    "deadline": "时限指标",
    "not_applicable": "不适用",
    "empty": "未填写",
    "unreadable": "无法识别",
}
"""The Chinese name of each kind of target text (``perfkit.targets.Kind``)."""


def kind_name(kind: object) -> str:
    value = getattr(kind, "value", kind)
    return KIND_NAMES.get(str(value), "无法识别")


def _exec_reason(executed: str, budget: str) -> str:
    """Why no execution rate can be computed (``exec_rate`` gave None)."""
    from ..numbers import to_decimal

    if to_decimal(budget) is None:
        return "全年预算数为空白，无法计算执行率"
    if to_decimal(budget) == 0:
        return "全年预算数为 0，无法计算执行率"
    if to_decimal(executed) is None:
        return "全年执行数为空白，无法计算执行率"
    return "无法计算执行率"


def _rule_reason(rule, text: str, actual: str, weight: str, benchmark: str | None) -> str:
    if rule is not None:
        note = rules.eval_score(text, actual, weight, benchmark).note
        return note or f"实际值“{actual}”无法按此评分标准计分"
    if benchmark in (None, ""):
        return "评分标准无法识别，也没有给出标杆值，无法计分"
    note = scoring.indicator_score(benchmark, actual, weight).note
    return note or "无法按标杆值计分"


def run(args: argparse.Namespace) -> int:
    v = args.values
    try:
        if args.what == "exec":
            _need(v, 2, "exec 全年执行数 全年预算数 [分值]")
            rate = scoring.exec_rate_pct(v[0], v[1])
            score = scoring.exec_score(v[0], v[1], v[2] if len(v) > 2 else None, args.profile)
            if rate is None:
                print(f"执行率 —  得分 —（{_exec_reason(v[0], v[1])}）")
            else:
                print(f"执行率 {fmt(rate)}%  得分 {fmt(score)}")
        elif args.what == "indicator":
            _need(v, 3, "indicator 年度指标值 实际完成值 分值 [方向]")
            s = scoring.indicator_score(
                v[0], v[1], v[2], v[3] if len(v) > 3 else None, profile=args.profile
            )
            band = f"  区间 [{fmt(s.band[0])}, {fmt(s.band[1])}]" if s.band else ""
            kind = kind_name(s.kind) + (f"，{s.level}" if s.level else "")
            if s.value is None:
                print(f"得分 —  （{kind}）：{s.note or '无法计分'}")
            else:
                print(f"得分 {fmt(s.value)}  （{kind}）{band}")
                if s.note:
                    print(s.note)
        elif args.what == "rule":
            _need(v, 3, "rule 评分标准 实际值 权重 [标杆值]")
            rule = rules.parse_rule(v[0])
            benchmark = v[3] if len(v) > 3 else None
            print(f"规则：{rule.describe() if rule else '无法识别，按标杆值比较'}")
            value = rules.rule_score(v[0], v[1], v[2], benchmark)
            if value is None:
                print(f"得分 —（{_rule_reason(rule, v[0], v[1], v[2], benchmark)}）")
            else:
                print(f"得分 {fmt(value)}")
        elif args.what == "parse":
            _need(v, 1, "parse 文字")
            print(targets.read(v[0]).describe())
        else:
            _need(v, 1, "grade 总分")
            print(scoring.grade(v[0], args.profile))
    except NotANumber as err:
        raise UsageError(err.message) from None
    return 0
