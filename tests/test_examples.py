"""The committed examples: up to date with their JSON, and computed by the
``formulas`` engine with perfkit's UDFs they reproduce the published figures
(seed 000: 龙岗 2023 自评表 ×3; seed 004: 福田 2021 表2-1 / 表1-2)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from perfkit import workbook

from .conftest import errors_in, evaluate

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
SELF = "自评表"
TABLE = "评分表"


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.json")), ids=lambda p: p.stem)
def test_example_xlsx_is_built_from_its_json(path, tmp_path):
    data = json.loads(path.read_text(encoding="utf-8"))
    fresh = workbook.fill(data, tmp_path / "fresh.xlsx")
    assert fresh.read_bytes() == path.with_suffix(".xlsx").read_bytes(), (
        "run python examples/build_examples.py"
    )


@pytest.fixture(scope="module")
def computed():
    return {p.stem: evaluate(p) for p in sorted(EXAMPLES.glob("*.xlsx"))}


def _num(values, sheet, cell):
    value = values[(sheet, cell)]
    assert isinstance(value, (int, float)), f"{sheet}!{cell} = {value!r}"
    return value


# Published figures: (执行率 G6, 执行率得分 H6, 总分 H44, 绩效等级 H45)
LONGGANG = {
    "longgang2023_dangjian": (98.87, 9.89, 99.89, "优"),
    "longgang2023_shanghui": (99.35, 9.94, 93.94, "优"),
    "longgang2023_falv": (100, 10, 100, "优"),
}


@pytest.mark.parametrize("name", sorted(LONGGANG))
def test_longgang_published_figures(computed, name):
    rate, score, total, grade = LONGGANG[name]
    values = computed[name]
    assert _num(values, SELF, "G6") == pytest.approx(rate, abs=1e-9)
    assert _num(values, SELF, "H6") == pytest.approx(score, abs=1e-9)
    assert _num(values, SELF, "H44") == pytest.approx(total, abs=1e-9)
    assert values[(SELF, "H45")] == grade
    assert _num(values, SELF, "G44") == 100
    assert values[(SELF, "B14")] == "产出指标（50分）"
    assert values[(SELF, "B26")] == "效益指标（30分）"
    assert values[(SELF, "B38")] == "满意度指标（10分）"


def test_longgang_row_scores(computed):
    """Every indicator score is computed by PERF_SCORE (no hand scores in these forms)."""
    values = computed["longgang2023_shanghui"]
    scores = [values.get((SELF, f"H{r}")) for r in (14, 17, 20, 23, 26, 29, 32, 35, 38, 41)]
    assert scores == [20, 10, 10, 4, 10, 10, 10, 0, 10, 0]  # 成本指标 5家 -> 2家: 10 × 2/5 = 4
    for name in LONGGANG:
        data = json.loads((EXAMPLES / f"{name}.json").read_text("utf-8"))
        assert all(i["score"] is None for i in data["indicators"])


def test_futian_evaltable_published_figures(computed):
    values = computed["futian2021_evaltable"]
    assert _num(values, TABLE, "J3") == pytest.approx(99.11)
    assert _num(values, TABLE, "G45") == 100
    assert _num(values, TABLE, "I45") == pytest.approx(96.97, abs=1e-9)
    assert values[(TABLE, "I46")] == "优"
    subtotals = {values[(TABLE, f"A{r}")]: _num(values, TABLE, f"I{r}") for r in (49, 50, 51, 52)}
    assert subtotals == pytest.approx({"项目决策": 15, "项目管理": 24.97, "产出": 30, "效益": 27})
    weights = [_num(values, TABLE, f"G{r}") for r in (49, 50, 51, 52)]
    assert weights == [15, 25, 30, 30]
    assert _num(values, TABLE, "J50") == pytest.approx(99.88)  # 得分率 24.97/25
    assert _num(values, TABLE, "J52") == pytest.approx(90)


def test_futian_rule_scores_computed_in_cells(computed):
    """Only the two evaluator judgments are typed; every other row is PERF_RULE."""
    data = json.loads((EXAMPLES / "futian2021_evaltable.json").read_text("utf-8"))
    typed = {i["level3"]: i["score"] for i in data["indicators"] if i["score"] is not None}
    assert typed == {"预算执行率": 2.97, "辖区群众满意度": 3}
    values = computed["futian2021_evaltable"]
    published = [3, 2, 2, 3, 3, 2, 2.97, 5, 5, 6, 6, 6, 6, 6, 6, 2, 2, 2, 6, 6, 6, 3, 6]
    rows = [*range(5, 11), *range(15, 20), *range(25, 32), *range(35, 40)]
    got = [values.get((TABLE, f"I{r}")) for r in rows]
    assert got == pytest.approx(published)


def test_futian_selfeval_as_published(computed):
    """表1-2: typed 合计 100 (F-1: listed scores add to 90); 执行率 99.11 % (F-2)."""
    values = computed["futian2021_selfeval"]
    assert _num(values, SELF, "G6") == pytest.approx(99.11)
    assert _num(values, SELF, "H6") == pytest.approx(9.91)  # mof2020, weight from the profile
    assert _num(values, SELF, "H44") == 100
    scores = [_num(values, SELF, f"H{r}") for r in (14, 17, 20, 26, 29, 32, 35, 38)]
    assert scores == [20, 20, 10, 8, 15, 0, 7, 10] and sum(scores) == 90


@pytest.mark.parametrize(
    "name",
    [
        "longgang2023_dangjian",
        "longgang2023_shanghui",
        "longgang2023_falv",
        "futian2021_evaltable",
        "futian2021_selfeval",
    ],
)
def test_no_error_value_anywhere(computed, name):
    assert errors_in(computed[name]) == {}


@pytest.mark.parametrize("name", ["longgang2023_dangjian", "futian2021_evaltable"])
def test_frozen_copy_computes_the_same_without_udfs(computed, name, tmp_path):
    frozen = workbook.freeze(EXAMPLES / f"{name}.xlsx", tmp_path / "frozen.xlsx")
    values = evaluate(frozen)
    assert errors_in(values) == {}
    sheet, cells = (
        (TABLE, ("J3", "I45", "I46", "I50"))
        if "evaltable" in name
        else (SELF, ("G6", "H6", "H44", "H45"))
    )
    for cell in cells:
        expected, got = computed[name][(sheet, cell)], values[(sheet, cell)]
        if isinstance(expected, str):
            assert got == expected, cell
        else:
            assert got == pytest.approx(expected), cell


def test_blank_templates_evaluate_without_errors():
    for path in sorted((ROOT / "xlsx_templates").glob("*.xlsx")):
        values = evaluate(path)
        assert errors_in(values) == {}, path.name
