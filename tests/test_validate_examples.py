"""Acceptance on the bundled examples (DOMAIN.md §5): every arithmetic or rule
inconsistency is found at its cell; the consistent 龙岗 forms give no error."""

from __future__ import annotations

from pathlib import Path

import pytest

from perfkit.validate import validate_form

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def _findings(name: str):
    path = EXAMPLES / name
    assert path.exists(), f"example {name} is missing: run python examples/build_examples.py"
    from perfkit.workbook import read_form

    return validate_form(read_form(path))


def _pairs(findings, severities=("error", "warning", "info")):
    return {(f.code, f.cell) for f in findings if f.severity in severities}


@pytest.mark.parametrize(
    "name, expected",
    [
        ("longgang2023_dangjian.xlsx", {("ACTUAL_IS_CONSTRAINT", "F23")}),  # L-2
        (
            "longgang2023_shanghui.xlsx",
            {("TARGET_IN_LEVEL3", "D14"), ("SATISFACTION_NO_PERCENT", "F38")},
        ),  # L-3, L-5
        ("longgang2023_falv.xlsx", {("ACTUAL_IS_CONSTRAINT", "F23")}),  # L-6
    ],
)
def test_longgang_examples(name, expected):
    found = _findings(name)
    assert not [f for f in found if f.severity == "error"]
    assert _pairs(found) == expected


def test_futian_selfeval_example():
    found = _findings("futian2021_selfeval.xlsx")
    # F-1 (合计 100 vs Σ 90) and F-2 (99.11 % -> 9.91, not full marks): 总分 H44
    assert _pairs(found, ("error",)) == {("TOTAL_MISMATCH", "H44")}


def test_futian_evaltable_example():
    found = _findings("futian2021_evaltable.xlsx")
    assert _pairs(found, ("error",)) == {("RULE_SCORE_MISMATCH", "I15")}  # F-3: 2.97 vs 2.91
    got = _pairs(found)
    assert ("RULE_NOT_DERIVABLE", "I38") in got  # F-4: 满意度 3 not derivable
    assert ("ACTUAL_NOT_MEASURED", "H38") in got  # F-4/F-5: no satisfaction rate given
    assert ("RULE_DUPLICATE", "F6") in got  # F-10: copied rule
    assert not [f for f in found if f.code == "RULE_MAX_WEIGHT"]  # F-11: rule maxima = weights
