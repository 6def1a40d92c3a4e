"""Batch summary: engine-computed rows, unreadable files, the workbook."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from perfkit import (
    summary,
    workbook,
)
from perfkit.commands import summary as command
from perfkit.model import Indicator, SelfEvalForm
from tests.test_report import seed_004_selfeval, seed_004_table


def longgang_forms():
    """Seed 000's three 龙岗 2023 forms: budget, executed, published total."""
    out = []
    for name, budget, executed, output, total in (
        ("党建事务", 1959300, 1937189.02, 50, 99.89),
        ("商会组织建设", 378500, 376056.50, 44, 93.94),
        ("法律顾问服务经费", 27500, 27500, 50, 100),
    ):
        form = seed_004_selfeval()
        form.project_name = name
        form.unit = "深圳市龙岗区工商业联合会"
        form.year = 2023
        form.project_code = "44030721070150000349 6"
        for fund in form.funds.values():
            fund.annual_budget, fund.executed = budget, executed
        form.total = total
        if output == 44:  # 成本指标 5 家 of which 2 done: 10 × 2/5 = 4
            form.indicators[2] = Indicator(
                "产出指标", "成本指标", "商协会成立换届", "5家", "成立1家换届1家", 10
            )
        out.append(form)
    return out


@pytest.fixture(scope="module")
def batch_dir(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("forms")
    for i, form in enumerate(longgang_forms()):
        workbook.fill(form, d / f"{i}_{form.project_name}.xlsx")
    workbook.fill(seed_004_selfeval(), d / "3_福田自评.xlsx")
    workbook.fill(seed_004_table(), d / "4_福田评分表.xlsx")
    (d / "5_坏文件.xlsx").write_bytes(b"not a workbook at all")
    (d / "~$4_福田评分表.xlsx").write_bytes(b"lock file")  # Excel lock file: skipped
    return d


@pytest.fixture(scope="module")
def df(batch_dir):
    return summary.summarize(batch_dir, jobs=1)


def test_one_row_per_file_lock_files_skipped(df):
    assert len(df) == 6
    assert [Path(f).name for f in df["file"]][-1] == "5_坏文件.xlsx"


def test_seed_000_totals_recomputed(df):
    rows = df.set_index(df["file"].map(lambda f: Path(f).stem))
    assert rows.loc["0_党建事务", "exec_rate_pct"] == 98.87
    assert rows.loc["0_党建事务", "exec_score"] == 9.89
    assert rows.loc["0_党建事务", "total"] == 99.89
    assert rows.loc["1_商会组织建设", "exec_score"] == 9.94
    assert rows.loc["1_商会组织建设", "output"] == 44
    assert rows.loc["1_商会组织建设", "total"] == 93.94
    assert rows.loc["2_法律顾问服务经费", "total"] == 100
    # project codes lose the stray space of PDF extraction (DOMAIN L-8)
    assert rows.loc["0_党建事务", "project_code"] == "440307210701500003496"
    assert (
        rows.loc[["0_党建事务", "1_商会组织建设", "2_法律顾问服务经费"], "total_differs"] == ""
    ).all()


def test_form_total_disagreement_is_reported(df):
    row = df[df["file"].str.endswith("3_福田自评.xlsx")].iloc[0]
    assert row["total"] == 99.91  # 90 + 99.11 % × 10
    assert row["form_total"] == 100
    assert row["total_differs"] == "是"
    assert (row["output"], row["benefit"], row["satisfaction"]) == (50, 30, 10)
    assert row["grade"] == "优"


def test_eval_table_row(df):
    row = df[df["file"].str.endswith("4_福田评分表.xlsx")].iloc[0]
    assert row["form"] == "评分表"
    assert row["total"] == 96.97
    assert (row["decision"], row["process"], row["output"], row["benefit"]) == (15, 24.97, 30, 27)
    assert row["annual_budget"] == 1822000  # 万元 -> 元
    assert row["exec_score"] == 2.97


def test_unreadable_file_is_a_row(df):
    row = df[df["file"].str.endswith("5_坏文件.xlsx")].iloc[0]
    assert row["read_error"]
    assert pd_isna(row["total"])


def pd_isna(value) -> bool:
    import pandas as pd

    return bool(pd.isna(value))


def test_parallel_equals_serial(batch_dir, df):
    import pandas as pd

    parallel = summary.summarize(batch_dir, jobs=2)
    pd.testing.assert_frame_equal(parallel, df)


def _run_cli(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    command.register(parser.add_subparsers())
    args = parser.parse_args(argv)
    return args.func(args)


def test_cli_workbook(batch_dir, tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "汇总.xlsx"
    code = _run_cli(
        ["summarize", str(batch_dir), "-o", str(out), "--csv", "--jobs", "2", "--no-progress"]
    )
    assert code == 2  # one input could not be read
    wb = load_workbook(out)
    assert wb.sheetnames == ["汇总", "按单位", "按等级", "无法读取"]
    ws = wb["汇总"]
    headers = [c.value for c in ws[1]]
    assert headers[:4] == ["文件", "表格", "单位", "主管部门"]
    assert "总分" in headers and "错误数" in headers and "总分不一致" in headers
    assert ws.freeze_panes == "B2"
    assert ws.auto_filter.ref.startswith("A1:")
    total_col = headers.index("总分") + 1
    assert ws.cell(row=2, column=total_col).number_format == "0.00"
    money_col = headers.index("全年预算数（元）") + 1
    assert ws.cell(row=2, column=money_col).number_format == "#,##0.00"
    assert len(wb["按等级"]._charts) == 2
    grades = {r[0]: r[1] for r in wb["按等级"].iter_rows(min_row=2, values_only=True)}
    assert grades["优"] == 5
    units = {r[0]: r for r in wb["按单位"].iter_rows(min_row=2, values_only=True)}
    assert units["深圳市龙岗区工商业联合会"][1] == 3
    assert next(r[0] for r in wb["无法读取"].iter_rows(min_row=2, values_only=True)).endswith(
        "5_坏文件.xlsx"
    )
    csv = out.with_suffix(".csv").read_bytes()
    assert csv.startswith(b"\xef\xbb\xbf") and "总分".encode() in csv


def test_cli_clean_batch_exit_0(batch_dir, tmp_path):
    out = tmp_path / "ok.xlsx"
    assert (
        _run_cli(
            [
                "summarize",
                str(batch_dir / "0_党建事务.xlsx"),
                "-o",
                str(out),
                "--jobs",
                "1",
                "--no-progress",
            ]
        )
        == 0
    )


def test_never_writes_over_an_input(batch_dir):
    from perfkit.errors import UsageError

    target = batch_dir / "0_党建事务.xlsx"
    before = target.read_bytes()
    with pytest.raises(UsageError):
        summary.run([str(target)], target, jobs=1, progress=False)
    assert target.read_bytes() == before


def test_summarize_form_from_model_objects():
    row = summary.summarize_form(seed_004_table())
    assert row["total"] == 96.97 and row["grade"] == "优" and row["process"] == 24.97


def test_hand_score_within_a_qualitative_band_is_kept():
    """8 of 10 for an achieved qualitative indicator is the evaluator's call:
    the validator accepts it, so the summary must not override it with 10."""
    from decimal import Decimal

    ind = Indicator(
        level1="产出指标",
        level2="质量指标",
        level3="执行补贴标准",
        target="按照文件规定标准发放党务干部补贴",
        actual="按照文件规定标准发放党务干部补贴",
        weight=10,
        score=8,
    )
    prof = summary._profile_for(SelfEvalForm(), None)
    assert summary.indicator_value(ind, prof) == Decimal(8)
    ind.score = 5  # below the 达成 band [8, 10]: the rules' score stands
    assert summary.indicator_value(ind, prof) == Decimal(10)
    ind.target, ind.actual, ind.score = "≥2家", "1家", 10  # quantitative: the engine's 5
    assert summary.indicator_value(ind, prof) == Decimal(5)
