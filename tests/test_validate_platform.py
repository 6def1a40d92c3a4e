"""The platform's self-evaluation warnings as findings (issue 13 §2, DOMAIN.md §8.1):
分数虚高, 全年预算数 0, 执行率 < 80 %, an applicable indicator weighted 0, a
placeholder target.  Figures from the 龙岗 seed forms (98.87 %, 99.35 %)."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from perfkit.assess import assess
from perfkit.model import Formula
from perfkit.targets import placeholder_of
from perfkit.validate import validate_form
from perfkit.validate.platform import inflation, placeholder_rows, unsupported_exec
from tests.test_validate import futian_table, longgang1, longgang2, pairs
from tests.test_validate_codes import _budget, _executed, _set

PLATFORM_CODES = {
    "SCORE_INFLATED",
    "BUDGET_ZERO",
    "EXEC_RATE_LOW",
    "WEIGHT_ZERO",
    "TARGET_PLACEHOLDER",
}


def found(form, profile=None, code=None):
    out = [f for f in validate_form(form, profile) if f.code in PLATFORM_CODES]
    return [f for f in out if f.code == code] if code else out


def inflated_form(executed=1665405, **kw):
    """党建事务 (90/90 indicators) with its 全年执行数 lowered; the formula cells
    (执行率, 执行率得分, 总分) as the template would compute them."""
    form = _executed(longgang1(exec_rate=None, exec_score=None, total=None, **kw), executed)
    a = assess(form)
    form.exec_rate, form.exec_score, form.total = a.exec.rate, a.exec.counted, a.recomputed
    return form


# ---------------------------------------------------------------- 分数虚高


def test_85_percent_executed_with_full_indicator_scores_is_inflated():
    form = inflated_form()
    (f,) = found(form)
    assert (f.code, f.cell, f.severity) == ("SCORE_INFLATED", "H44", "warning")
    assert "指标得分 90 / 分值 90 = 100%，执行率 85%" in f.message
    assert "(100% − 85%) ÷ 100% = 15%，超过 5%" in f.message
    # the only finding the change makes: the form is otherwise consistent (8.5, 98.5)
    assert pairs(validate_form(form)) == {
        ("ACTUAL_IS_CONSTRAINT", "F23"),
        ("SCORE_INFLATED", "H44"),
    }
    inf = inflation(assess(form))
    assert (inf.score_sum, inf.weight_sum, inf.rate, inf.figure) == (
        D(90),
        D(90),
        D("0.85"),
        D("0.15"),
    )


def test_inflated_is_an_error_under_the_platform_profile():
    (f,) = found(inflated_form(), "platform")
    assert f.severity == "error" and "评分规则“platform”" in f.message


def test_published_forms_are_not_inflated():
    # 党建事务 98.87 % with 90/90: (1 − 0.9887) = 1.13 % < 5 %; 商会 84/90 at 99.35 %: negative
    assert inflation(assess(longgang1())).figure.quantize(D("0.0001")) == D("0.0113")
    assert inflation(assess(longgang2())).figure < 0
    assert not found(longgang1()) and not found(longgang2())


@pytest.mark.parametrize(
    ("executed", "flagged"),
    [
        (1861335, False),  # 95 % exactly: (1 − 0.95)/1 = 5 %, not above
        (1861334, True),  # 94.99995 %: just above 5 %
        (1959300, False),
        (2100000, False),  # over-executed: negative figure (EXEC_OVER_BUDGET says the rest)
    ],
)
def test_inflation_threshold_is_strict(executed, flagged):
    assert bool(found(inflated_form(executed), code="SCORE_INFLATED")) is flagged


def test_inflation_counts_the_rules_value_of_a_formula_never_computed():
    form = inflated_form()
    for ind in form.indicators:
        if ind.weight:
            ind.score = Formula("=PERF_SCORE(E,F,G)")  # openpyxl-written: no cached value
    assert inflation(assess(form)).score_sum == D(90)
    assert found(form, code="SCORE_INFLATED")


def test_inflation_needs_every_weight():
    form = _set(inflated_form(), 14, weight=None)
    assert inflation(assess(form)) is None and not found(form, code="SCORE_INFLATED")


# ---------------------------------------------------------------- 全年预算数 0


def test_zero_budget_with_a_score():
    form = _budget(_executed(longgang1(exec_rate=None), 0), 0)
    (f,) = found(form)
    assert (f.code, f.cell) == ("BUDGET_ZERO", "D6")
    assert "全年预算数为 0" in f.message and "执行率得分 9.89" in f.message
    assert unsupported_exec(assess(form)) == D("9.89")


def test_zero_budget_without_a_score_is_not_reported():
    form = _budget(_executed(longgang1(exec_rate=None, exec_score=None, total=None), 0), 0)
    for ind in form.indicators:
        ind.score = None
    assert not found(form, code="BUDGET_ZERO")


def test_blank_budget_with_an_execution_score():
    form = _budget(longgang1(exec_rate=None), None)
    (f,) = found(form, code="BUDGET_ZERO")
    assert f.cell == "D6" and "全年预算数为空" in f.message


def test_zero_budget_on_an_evaluation_table():
    table = futian_table(annual_budget=0, executed=0)
    (f,) = found(table, code="BUDGET_ZERO")
    assert f.cell == table.locs["annual_budget"].cell
    assert not found(futian_table(), code="BUDGET_ZERO")


# ---------------------------------------------------------------- 执行率 < 80 %


@pytest.mark.parametrize(("executed", "flagged"), [(1567440, False), (1567439, True)])
def test_low_execution_rate(executed, flagged):
    # 1959300 × 80 % = 1567440: exactly 80 % is not below
    form = _executed(longgang1(), executed)
    hits = found(form, code="EXEC_RATE_LOW")
    assert bool(hits) is flagged
    if flagged:
        assert hits[0].cell == "G6" and "低于 80%" in hits[0].message


def test_low_execution_rate_names_the_platform_cap():
    (f,) = found(_executed(longgang1(), 1400000), "platform", code="EXEC_RATE_LOW")
    assert "预算执行率 71.45%" in f.message and "总分最高 89 分" in f.message


def test_low_execution_rate_on_an_evaluation_table():
    table = futian_table(executed=140)  # 140 / 182.2 = 76.84 %
    (f,) = found(table, code="EXEC_RATE_LOW")
    assert "76.84%" in f.message


# ---------------------------------------------------------------- 分值 0


def test_applicable_indicator_with_weight_zero():
    (f,) = found(_set(longgang1(), 14, weight=0, score=0))
    assert (f.code, f.cell) == ("WEIGHT_ZERO", "G14")


def test_unused_rows_weighted_zero_are_not_reported():
    # 龙岗 writes unused rows 不适用 / 无 with 分值 0 (可持续影响指标, 其他满意度指标)
    a = assess(longgang1())
    assert any(r.na and r.weight == 0 for r in a.rows)
    assert not found(longgang1(), code="WEIGHT_ZERO")


# ---------------------------------------------------------------- placeholders


@pytest.mark.parametrize(
    "target",
    ["*", "**人", "≥**%", "＊＊家", "XX人", "≥？%", "见附件", "详见附表2", "待定", "—", "/"],
)
def test_placeholder_targets(target):
    form = _set(longgang1(), 14, target=target)
    hits = found(form, code="TARGET_PLACEHOLDER")
    assert [(f.cell, f.severity) for f in hits] == [("E14", "warning")]
    assert f"“{target}”" in hits[0].message and "得分 10" in hits[0].message


@pytest.mark.parametrize("target", ["新增党组织覆盖企业≥2家", "略高于上年", "按时完成", "100%"])
def test_real_targets_are_not_placeholders(target):
    assert not found(_set(longgang1(), 14, target=target), code="TARGET_PLACEHOLDER")


def test_a_dash_on_an_unused_row_is_not_a_placeholder():
    form = _set(longgang1(), 14, target="—", actual="不适用", weight=0, score=0)
    assert not found(form)
    assert placeholder_rows(assess(form)) == []


def test_placeholder_words_are_vocabulary_data():
    from perfkit.profiles.vocab import vocabulary

    v = vocabulary()
    assert "待定" in v.placeholder_whole and "见附件" in v.placeholder_starts
    assert placeholder_of("见附件3") == "见附件3" and placeholder_of("附件齐全") == ""
    assert placeholder_of(None) == "" and placeholder_of(12) == ""


def test_a_layout_without_the_annual_budget_column_is_no_blank_budget(tmp_path):
    """北京 2016 prints 年初预算数 and 全年执行数 only: its execution score has a budget."""
    from perfkit.readers import read_forms
    from tests.corpus import national

    (file,) = national.originals(tmp_path, "beijing2016")
    (form,) = read_forms(file.path)
    assert "annual_budget" not in form.funds["total"].locs
    assert not found(form, code="BUDGET_ZERO")
    assert unsupported_exec(assess(form)) is None
