"""Generate N filled 自评表 for the batch benchmark: ``python benchmarks/gen_forms.py N DIR``.

Forms vary in unit, budget, execution rate, the number of indicator rows (9–12),
targets and actual values — numbers, decimals, units, dates and wordings vary, so
that a batch holds mostly different texts as forms of many units do; five in six
carry a mistake the validator should find (hand score over the formula, missing
actual value, weights that do not add up, amount typed as text, wrong total).
Deterministic: the same N gives the same files.

``--layout official`` writes the same forms as a unit types them in the
official 深圳 layout of seed 000 (labels, merged 一级/二级 cells, "产出指标
(50分)", typed scores and totals, no perfkit formulas or defined names), for
the foreign-layout figures of bench_batch.py.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests.corpus

from perfkit.model import FundRow, Indicator, SelfEvalForm
from perfkit.writers.fill import fill

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

# Quantitative rows: (level2, name, target, actual wordings).  Placeholders:
# n/m count target/actual, N/M larger counts, p/q percentages (q may carry a
# decimal), c/d costs, y/mo/mo2/dd dates.  Numbers and wordings vary so that a
# batch holds mostly different texts, as forms of many units do: the text
# reader's cache must not flatter the benchmark.
QUANT = [
    ("数量指标", "举办活动次数", "≥{n}次", ("{m}次", "全年举办{m}次", "完成{m}次")),
    ("数量指标", "服务企业数量", "不少于{n}家", ("{m}家", "服务企业{m}家")),
    ("数量指标", "培训人次", "≥{N}人次", ("{M}人次", "培训{M}人次")),
    ("数量指标", "宣传报道篇数", "≥{n}篇", ("{m}篇", "刊发{m}篇")),
    ("数量指标", "覆盖社区数", "{n}个", ("{m}个", "覆盖{m}个社区")),
    ("质量指标", "验收合格率", "≥{p}%", ("{q}%", "合格率{q}%")),
    ("质量指标", "资金拨付及时率", "≥{p}%", ("{q}%",)),
    ("质量指标", "问题整改率", "{p}%", ("{q}%", "整改完成{q}%")),
    ("时效指标", "按时完成率", "100%", ("{q}%",)),
    (
        "时效指标",
        "项目完成时间",
        "{y}年{mo}月底前",
        ("{y}年{mo2}月完成", "已于{y}年{mo2}月{dd}日完成"),
    ),
    ("成本指标", "人均培训成本", "≤{c}元/人", ("{d}元/人", "人均{d}元")),
    ("成本指标", "单次活动成本", "≤{C}万元", ("{D}万元",)),
]
QUAL = [
    ("社会效益指标", "营商环境改善", "效果明显", ("效果明显", "成效显著", "有所改善")),
    ("可持续影响指标", "长效机制建立", "建立长效机制", ("已建立长效机制", "建立长效机制")),
    ("经济效益指标", "助力企业发展", "有所成效", ("有所成效", "成效明显", "企业受益明显")),
    ("社会效益指标", "群众获得感", "逐步提升", ("有所提升", "明显提升")),
    ("生态效益指标", "节能减排", "能耗下降", ("能耗有所下降", "达到预期")),
]


def _quant_texts(rnd: random.Random, target: str, wordings: tuple[str, ...]) -> tuple[str, str]:
    n, p = rnd.randint(2, 60), rnd.choice([85, 90, 95, 98, 99])
    m = n if rnd.random() < 0.6 else rnd.randint(max(1, n - 5), n + 9)
    big = rnd.randint(100, 9000)
    q = 100 if rnd.random() < 0.4 else round(rnd.uniform(p - 8, 100), rnd.choice([0, 1, 2]))
    c, cost = rnd.randint(150, 1500), round(rnd.uniform(0.5, 30), 1)
    y, mo = rnd.choice([2022, 2023, 2024]), rnd.randint(3, 12)
    values = {
        "n": n,
        "m": m,
        "N": big,
        "M": big if rnd.random() < 0.6 else rnd.randint(big // 2, big * 2),
        "p": p,
        "q": f"{q:g}",
        "c": c,
        "d": c if rnd.random() < 0.6 else rnd.randint(c - 100, c + 120),
        "C": cost,
        "D": cost if rnd.random() < 0.6 else round(cost * rnd.uniform(0.8, 1.2), 2),
        "y": y,
        "mo": mo,
        "mo2": mo if rnd.random() < 0.7 else min(12, mo + rnd.randint(-2, 2)),
        "dd": rnd.randint(1, 28),
    }
    return target.format(**values), rnd.choice(wordings).format(**values)


def _split(rnd: random.Random, total: int, parts: int) -> list[int]:
    """*parts* whole weights adding up to *total*, each at least 2."""
    cuts = sorted(rnd.sample(range(1, total // 2), parts - 1))
    weights = [b - a for a, b in zip([0, *cuts], [*cuts, total // 2], strict=True)]
    return [2 * w for w in weights]


def make_form(i: int) -> SelfEvalForm:
    rnd = random.Random(1000 + i)
    budget = rnd.randint(20_000, 5_000_000) + rnd.randint(0, 99) / 100
    rate = rnd.choice([1.0, 1.0, 0.9935, 0.9887, 0.95, 0.85, 0.72, 0.55, 1.02, rnd.uniform(0.6, 1)])
    executed = round(budget * rate, 2)
    initial = budget if rnd.random() < 0.7 else budget + rnd.randint(1, 50) * 500
    inds: list[Indicator] = []
    rows = []
    for row in sorted(rnd.sample(QUANT, rnd.randint(5, 8)), key=QUANT.index):
        if sum(r[0] == row[0] for r in rows) < 3:  # three rows per group on the form
            rows.append(row)
    for (l2, name, target, wordings), w in zip(rows, _split(rnd, 50, len(rows)), strict=True):
        t, a = _quant_texts(rnd, target, wordings)
        inds.append(Indicator("产出指标", l2, name, t, a, w))
    quals = rnd.sample(QUAL, rnd.randint(2, 3))
    for (l2, name, target, done), w in zip(quals, _split(rnd, 30, len(quals)), strict=True):
        actual = rnd.choice(done) if rnd.random() < 0.85 else "部分完成，尚在推进"
        inds.append(Indicator("效益指标", l2, name, target, actual, w))
    p = rnd.choice([85, 90, 95])
    inds.append(
        Indicator(
            "满意度指标",
            "服务对象满意度指标",
            "服务对象满意度",
            f"≥{p}%",
            f"{round(rnd.uniform(p - 6, 100), rnd.choice([0, 1, 2])):g}%",
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
        inds[0].score = inds[0].weight  # hand score over the formula, with the target missed
        inds[0].actual = "0" + str(inds[0].actual)[-1]  # e.g. "0次": nothing done
    elif mistake == 2:
        inds[-2].actual = None  # missing actual value
    elif mistake == 3:
        inds[1].weight += 2  # block weights no longer add up to 50
    elif mistake == 4:
        form.funds["total"].executed = f"{executed:,.2f}元"  # amount typed as text
    elif mistake == 5:
        form.total = 100  # a total typed over the formula
    return form


def _write(args: tuple[int, str, str]) -> str:
    i, outdir, layout = args
    path = Path(outdir) / f"form_{i:05d}.xlsx"
    if layout == "official":
        write_official(make_form(i), path)
    else:
        fill(make_form(i), path)
    return str(path)


def write_official(form: SelfEvalForm, path: Path) -> None:
    """*form* typed into the official layout of seed 000 (the corpus' writer of
    that family), scores and totals typed as a unit types them."""
    from perfkit.assess import assess
    from tests.corpus import longgang
    from tests.corpus.sheet import Writer, new_workbook, save_deterministic

    a = assess(form)
    fund = form.funds["total"]
    rows = []
    for r in a.rows:
        ind = r.ind
        typed = ind.score if ind.score is not None else r.counted
        score = float(typed) if typed is not None else None
        rows.append(
            (ind.level1, ind.level2, ind.level3, ind.target, ind.actual, ind.weight, score, None)
        )
    exec_score = float(a.exec.counted) if a.exec.counted is not None else None
    total = form.total
    if total is None:
        total = float(a.recomputed) if a.recomputed is not None else None
    data = {
        "sheet": "自评表",
        "code": form.project_code,
        "name": form.project_name,
        "year_label": "绩效自评年度:",
        "fiscal_label": "其中:当年财政拨款",
        "amounts": (fund.initial_budget, fund.annual_budget, fund.executed),
        "rate": float(a.exec.rate) if a.exec.rate is not None else 0.0,
        "exec_score": exec_score if exec_score is not None else 0.0,
        "goal_expected": form.goal_expected,
        "goal_actual": form.goal_actual,
        "labels": {
            "产出指标": "产出指标 (50分)",
            "效益指标": "效益指标 (30分)",
            "满意度指标": "满意度指标 (10分)",
        },
        "weight_header": ("*分值", "*得分"),
        "rows": rows,
        "indicator_sum": "0",
        "total": total if isinstance(total, int | float) else 0,
        "known": [],
    }
    wb = new_workbook()
    longgang.write_form(Writer(wb.create_sheet("自评表")), data)
    save_deterministic(wb, path)


def generate(
    n: int, outdir: str | os.PathLike, jobs: int | None = None, layout: str = "template"
) -> list[str]:
    Path(outdir).mkdir(parents=True, exist_ok=True)
    work = [(i, os.fspath(outdir), layout) for i in range(n)]
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        return list(pool.map(_write, work, chunksize=16))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int)
    parser.add_argument("dir")
    parser.add_argument("--jobs", type=int)
    parser.add_argument("--layout", choices=("template", "official"), default="template")
    args = parser.parse_args(argv)
    paths = generate(args.n, args.dir, args.jobs, args.layout)
    print(f"{len(paths)} forms -> {args.dir}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
