"""Generate N filled 自评表 for the batch benchmark: ``python benchmarks/gen_forms.py N DIR``.

Forms vary in unit, budget, execution rate, targets and actual values; about one
in six carries a mistake the validator should find (hand score over the formula,
missing actual value, weights that do not add up, amount typed as text, wrong
total).  Deterministic: the same N gives the same files.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from perfkit import workbook
from perfkit.model import FundRow, Indicator, SelfEvalForm

UNITS = [
    "深圳市龙岗区工商业联合会",
    "深圳市福田区工商业联合会",
    "深圳市南山区教育局",
    "深圳市罗湖区卫生健康局",
    "深圳市宝安区文化广电旅游体育局",
    "深圳市龙华区城市管理和综合执法局",
    "深圳市坪山区民政局",
    "深圳市光明区科技创新局",
]
PROJECTS = [
    "党建事务",
    "商会组织建设",
    "法律顾问服务经费",
    "社区服务",
    "信息化运维",
    "培训活动",
    "宣传报道",
    "设备购置",
]

# (level1, level2, name, target, actual maker, weight share)
QUANT = [
    ("产出指标", "数量指标", "举办活动次数", "≥{n}次", "{m}次"),
    ("产出指标", "数量指标", "服务企业数量", "不少于{n}家", "{m}家"),
    ("产出指标", "质量指标", "验收合格率", "≥{p}%", "{q}%"),
    ("产出指标", "时效指标", "按时完成率", "100%", "{q}%"),
    ("产出指标", "成本指标", "人均培训成本", "≤{c}元/人", "{d}元/人"),
]
QUAL = [
    ("效益指标", "社会效益指标", "营商环境改善", "效果明显"),
    ("效益指标", "可持续影响指标", "长效机制建立", "建立长效机制"),
    ("效益指标", "经济效益指标", "助力企业发展", "有所成效"),
]


def make_form(i: int) -> SelfEvalForm:
    rnd = random.Random(1000 + i)
    budget = rnd.choice([27500, 378500, 1959300, 500000, 1200000]) + rnd.randint(0, 99) * 100
    rate = rnd.choice([1.0, 1.0, 0.9935, 0.9887, 0.95, 0.85, 0.72, 0.55, 1.02])
    executed = round(budget * rate, 2)
    initial = budget if rnd.random() < 0.7 else budget + 2500
    inds: list[Indicator] = []
    weights = [20, 15, 15]
    for k, (l1, l2, name, target, actual) in enumerate(rnd.sample(QUANT, 3)):
        n, p, c = rnd.randint(2, 12), rnd.choice([90, 95, 98]), rnd.choice([300, 550, 800])
        m = n if rnd.random() < 0.7 else rnd.randint(max(1, n - 3), n + 5)
        q = rnd.choice([100, 100, p, p - 5])
        d = c if rnd.random() < 0.8 else c + 50
        inds.append(
            Indicator(
                l1, l2, name, target.format(n=n, p=p, c=c), actual.format(m=m, q=q, d=d), weights[k]
            )
        )
    for (l1, l2, name, text), w in zip(rnd.sample(QUAL, 2), (15, 15), strict=True):
        done = text if rnd.random() < 0.85 else "部分完成，尚在推进"
        inds.append(Indicator(l1, l2, name, text, done, w))
    inds.append(
        Indicator(
            "满意度指标",
            "服务对象满意度指标",
            "服务对象满意度",
            "≥90%",
            f"{rnd.choice([85, 92, 96, 100])}%",
            10,
        )
    )
    form = SelfEvalForm(
        project_code=f"4403072107015{i:08d}",
        project_name=f"{rnd.choice(PROJECTS)}{i}",
        year=2023,
        unit=rnd.choice(UNITS),
        dept="深圳市财政局",
        funds={
            "total": FundRow("total", initial, budget, executed),
            "fiscal": FundRow("fiscal", initial, budget, executed),
        },
        exec_weight=10,
        goal_expected="按计划完成年度工作任务",
        goal_actual="基本完成年度工作任务",
        indicators=inds,
        profile="mof2020",
    )
    mistake = i % 6
    if mistake == 1:
        inds[0].score = inds[0].weight  # hand score over the formula
        inds[
            0
        ].actual = (
            f"{max(1, int(''.join(ch for ch in str(inds[0].actual) if ch.isdigit()) or 1) // 2)}次"
        )
    elif mistake == 2:
        inds[3].actual = None  # missing actual value
    elif mistake == 3:
        inds[1].weight = 12  # block weights no longer add up to 50
    elif mistake == 4:
        form.funds["total"].executed = f"{executed:,.2f}元"  # amount typed as text
    elif mistake == 5:
        form.total = 100  # a total typed over the formula
    return form


def _write(args: tuple[int, str]) -> str:
    i, outdir = args
    path = Path(outdir) / f"form_{i:05d}.xlsx"
    workbook.fill(make_form(i), path)
    return str(path)


def generate(n: int, outdir: str | os.PathLike, jobs: int | None = None) -> list[str]:
    Path(outdir).mkdir(parents=True, exist_ok=True)
    work = [(i, os.fspath(outdir)) for i in range(n)]
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        return list(pool.map(_write, work, chunksize=16))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int)
    parser.add_argument("dir")
    parser.add_argument("--jobs", type=int)
    args = parser.parse_args(argv)
    paths = generate(args.n, args.dir, args.jobs)
    print(f"{len(paths)} forms -> {args.dir}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
