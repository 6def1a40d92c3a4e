"""Acceptance on the bundled examples (DOMAIN.md §5): every arithmetic or rule
inconsistency is found at its cell; the consistent 龙岗 forms give no error."""

from __future__ import annotations

from pathlib import Path

import pytest

from perfkit.validate import validate_form

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def _form(name: str):
    path = EXAMPLES / name
    assert path.exists(), f"example {name} is missing: run python examples/build_examples.py"
    from perfkit.readers import read_form

    return read_form(path)


def _findings(name: str):
    return validate_form(_form(name))


def cell(name: str, level2: str, field: str, level3: str = "") -> str:
    """The cell of *field* on the row of 二级指标 *level2* (and 三级指标 containing *level3*)."""
    form = _form(name)
    for ind in form.indicators:
        if ind.level2 == level2 and level3 in str(ind.level3 or ""):
            return ind.locs[field].cell
    raise LookupError((level2, level3))


def head(name: str, field: str) -> str:
    return _form(name).locs[field].cell


def _pairs(findings, severities=("error", "warning", "info")):
    return {(f.code, f.cell) for f in findings if f.severity in severities}


DJ, SH, FL = "longgang2023_dangjian.xlsx", "longgang2023_shanghui.xlsx", "longgang2023_falv.xlsx"
EXPECTED = {
    DJ: lambda: {("ACTUAL_IS_CONSTRAINT", cell(DJ, "成本指标", "actual"))},  # L-2
    SH: lambda: {  # L-3, L-5
        ("TARGET_IN_LEVEL3", cell(SH, "数量指标", "level3")),
        ("SATISFACTION_NO_PERCENT", cell(SH, "服务对象满意度指标", "actual")),
    },
    FL: lambda: {("ACTUAL_IS_CONSTRAINT", cell(FL, "成本指标", "actual"))},  # L-6
}


@pytest.mark.parametrize("name", [DJ, SH, FL])
def test_longgang_examples(name):
    found = _findings(name)
    assert not [f for f in found if f.severity == "error"]
    assert _pairs(found) == EXPECTED[name]()


def test_futian_selfeval_example():
    found = _findings("futian2021_selfeval.xlsx")
    # F-1 (合计 100 vs Σ 90) and F-2 (99.11 % -> 9.91, not full marks): 总分
    total = head("futian2021_selfeval.xlsx", "total")
    assert _pairs(found, ("error",)) == {("TOTAL_MISMATCH", total)}


def test_futian_evaltable_example():
    name = "futian2021_evaltable.xlsx"
    found = _findings(name)
    exec_score = cell(name, "资金管理", "score", "预算执行率")
    assert _pairs(found, ("error",)) == {("RULE_SCORE_MISMATCH", exec_score)}  # F-3: 2.97 vs 2.91
    got = _pairs(found)
    # F-4: 满意度 3 not derivable; F-4/F-5: no satisfaction rate given
    assert ("RULE_NOT_DERIVABLE", cell(name, "满意度指标", "score")) in got
    assert ("ACTUAL_NOT_MEASURED", cell(name, "满意度指标", "actual")) in got
    assert ("RULE_DUPLICATE", cell(name, "项目立项", "rule", "立项程序规范性")) in got  # F-10
    assert not [f for f in found if f.code == "RULE_MAX_WEIGHT"]  # F-11: rule maxima = weights
