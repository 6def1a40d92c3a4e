"""The committed examples: up to date with their JSON, and computed by the
``formulas`` engine with perfkit's UDFs they reproduce the published figures
(seed 000: 龙岗 2023 自评表 ×3; seed 004: 福田 2021 表2-1 / 表1-2)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from perfkit.readers import read_form
from perfkit.writers.fill import fill
from perfkit.writers.freeze import freeze

from .conftest import errors_in, evaluate

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
SELF = "自评表"
TABLE = "评分表"


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.json")), ids=lambda p: p.stem)
def test_example_xlsx_is_built_from_its_json(path, tmp_path):
    data = json.loads(path.read_text(encoding="utf-8"))
    fresh = fill(data, tmp_path / "fresh.xlsx")
    assert fresh.read_bytes() == path.with_suffix(".xlsx").read_bytes(), (
        "run python examples/build_examples.py"
    )


@pytest.fixture(scope="module")
def computed():
    return {p.stem: evaluate(p) for p in sorted(EXAMPLES.glob("*.xlsx"))}


@pytest.fixture(scope="module")
def forms():
    """Each example as read back: its layout says where every figure is."""
    return {p.stem: read_form(p) for p in sorted(EXAMPLES.glob("*.xlsx"))}


def _num(values, sheet, cell):
    value = values[(sheet, cell)]
    assert isinstance(value, (int, float)), f"{sheet}!{cell} = {value!r}"
    return value


def _score_cells(form) -> list[str]:
    """The 得分 cell of every filled row, top to bottom."""
    return [i.locs["score"].cell for i in form.indicators if not i.is_blank()]


# Published figures: 执行率, 执行率得分, 总分, 绩效等级
LONGGANG = {
    "longgang2023_dangjian": (98.87, 9.89, 99.89, "优"),
    "longgang2023_shanghui": (99.35, 9.94, 93.94, "优"),
    "longgang2023_falv": (100, 10, 100, "优"),
}


@pytest.mark.parametrize("name", sorted(LONGGANG))
def test_longgang_published_figures(computed, forms, name):
    rate, score, total, grade = LONGGANG[name]
    values, layout = computed[name], forms[name].layout
    assert _num(values, SELF, layout.cell("exec_rate")) == pytest.approx(rate, abs=1e-9)
    assert _num(values, SELF, layout.cell("exec_score")) == pytest.approx(score, abs=1e-9)
    assert _num(values, SELF, layout.cell("total")) == pytest.approx(total, abs=1e-9)
    assert values[(SELF, layout.cell("grade"))] == grade
    assert _num(values, SELF, layout.cell("total_weight")) == 100
    labels = {values[(SELF, layout.at("level1", lo))] for lo, _ in layout.level1_blocks().values()}
    assert labels == {"产出指标（50分）", "效益指标（30分）", "满意度指标（10分）"}


def test_longgang_row_scores(computed, forms):
    """Every indicator score is computed by PERF_SCORE (no hand scores in these forms)."""
    values, form = computed["longgang2023_shanghui"], forms["longgang2023_shanghui"]
    scores = [values.get((SELF, cell)) for cell in _score_cells(form)]
    assert scores == [20, 10, 10, 4, 10, 10, 10, 0, 10, 0]  # 成本指标 5家 -> 2家: 10 × 2/5 = 4
    for name in LONGGANG:
        data = json.loads((EXAMPLES / f"{name}.json").read_text("utf-8"))
        assert all(i["score"] is None for i in data["indicators"])


def _subtotals(values, layout) -> dict[str, tuple]:
    """A first-level block's label -> (weight, score, 得分率) from the 小计 rows."""
    out = {}
    for row in layout.summary_rows.values():
        label = values[(TABLE, f"A{row}")]
        out[label] = tuple(values[(TABLE, f"{c}{row}")] for c in "GIJ")
    return out


def test_futian_evaltable_published_figures(computed, forms):
    values = computed["futian2021_evaltable"]
    layout = _template_layout(forms["futian2021_evaltable"])
    assert _num(values, TABLE, layout.cell("exec_rate")) == pytest.approx(99.11)
    assert _num(values, TABLE, layout.cell("total_weight")) == 100
    assert _num(values, TABLE, layout.cell("total")) == pytest.approx(96.97, abs=1e-9)
    assert values[(TABLE, layout.cell("grade"))] == "优"
    subtotals = _subtotals(values, layout)
    assert {k: v[1] for k, v in subtotals.items()} == pytest.approx(
        {"项目决策": 15, "项目管理": 24.97, "产出": 30, "效益": 27}
    )
    assert [v[0] for v in subtotals.values()] == [15, 25, 30, 30]
    assert subtotals["项目管理"][2] == pytest.approx(99.88)  # 得分率 24.97/25
    assert subtotals["效益"][2] == pytest.approx(90)


def _template_layout(form):
    """The layout ``fill`` drew for an example (with its 小计 rows)."""
    from perfkit.writers.place import layout_for

    return layout_for(form)


def test_futian_rule_scores_computed_in_cells(computed, forms):
    """Only the two evaluator judgments are typed; every other row is PERF_RULE."""
    data = json.loads((EXAMPLES / "futian2021_evaltable.json").read_text("utf-8"))
    typed = {i["level3"]: i["score"] for i in data["indicators"] if i["score"] is not None}
    assert typed == {"预算执行率": 2.97, "辖区群众满意度": 3}
    values = computed["futian2021_evaltable"]
    published = [3, 2, 2, 3, 3, 2, 2.97, 5, 5, 6, 6, 6, 6, 6, 6, 2, 2, 2, 6, 6, 6, 3, 6]
    cells = _score_cells(forms["futian2021_evaltable"])
    assert [values.get((TABLE, c)) for c in cells] == pytest.approx(published)


def test_futian_selfeval_as_published(computed, forms):
    """表1-2: typed 合计 100 (F-1: listed scores add to 90); 执行率 99.11 % (F-2)."""
    values, form = computed["futian2021_selfeval"], forms["futian2021_selfeval"]
    layout = form.layout
    assert _num(values, SELF, layout.cell("exec_rate")) == pytest.approx(99.11)
    # mof2020, weight from the profile
    assert _num(values, SELF, layout.cell("exec_score")) == pytest.approx(9.91)
    assert _num(values, SELF, layout.cell("total")) == 100
    scores = [_num(values, SELF, c) for c in _score_cells(form)]
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
def test_frozen_copy_computes_the_same_without_udfs(computed, forms, name, tmp_path):
    frozen = freeze(EXAMPLES / f"{name}.xlsx", tmp_path / "frozen.xlsx")
    values = evaluate(frozen)
    assert errors_in(values) == {}
    layout = forms[name].layout
    sheet = layout.sheet
    cells = [layout.cell(n) for n in ("exec_rate", "total", "grade")]
    if "selfeval" in layout.kind:
        cells.append(layout.cell("exec_score"))
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
