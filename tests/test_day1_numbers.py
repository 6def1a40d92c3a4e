"""Issue 12.8 and 12.11: numbers too large for any form are findings at their
cells (never CHECK_FAILED, never an unreadable form, never exception text),
and a form recalculated without the add-in gives one #NAME? finding with the
count, not one per cell."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import udfs
from perfkit import summary
from perfkit.model import Formula
from perfkit.readers import read_form
from perfkit.validate import validate_form
from perfkit.writers.fill import fill

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def _big_form(tmp_path: Path) -> Path:
    data = json.loads((EXAMPLES / "longgang2023_falv.json").read_text(encoding="utf-8"))
    data["funds"]["total"]["annual_budget"] = 1e27
    data["funds"]["total"]["executed"] = 1e26
    return fill(data, tmp_path / "big" / "f.xlsx")


def test_huge_amounts_are_findings_at_their_cells(tmp_path):
    path = _big_form(tmp_path)
    form = read_form(path)
    fund = form.funds["total"]
    found = validate_form(form)
    codes = {f.code for f in found}
    assert "CHECK_FAILED" not in codes
    at = {(f.code, f.cell): f.message for f in found}
    for name in ("annual_budget", "executed"):
        message = at[("NOT_A_NUMBER", fund.locs[name].cell)]
        assert "过大" in message and "10 的 20 次方" in message
    # the formulas that show the consequence (执行率得分, 总分) are not blamed
    assert ("NOT_A_NUMBER", form.locs["exec_score"].cell) not in at
    assert ("NOT_A_NUMBER", form.locs["total"].cell) not in at
    for f in found:
        assert "Error" not in f.message and "class" not in f.message


def test_huge_amounts_still_give_a_summary_row(tmp_path):
    path = _big_form(tmp_path)
    (row,) = summary.summarize_path(summary._Job(str(path), None))
    assert not row.get("read_error")
    assert row["errors"] == 2 and row["total"] is None


def test_cells_and_score_command_speak_chinese():
    shown = udfs.EXEC_RATE(1e30, 1)
    assert "过大" in shown and "Invalid" not in shown
    proc = subprocess.run(
        [sys.executable, "-m", "perfkit", "score", "exec", "1e30", "1"],
        capture_output=True,
        text=True,
        encoding="utf-8",
    )
    assert proc.returncode == 2
    assert "过大" in proc.stderr and "Traceback" not in proc.stderr


def test_name_errors_of_a_form_are_one_finding_with_the_count():
    form = read_form(EXAMPLES / "longgang2023_falv.xlsx")
    cells = []
    for ind in form.indicators:
        if isinstance(ind.score, Formula):
            ind.score = Formula(ind.score.text, "#NAME?")
            cells.append(ind.locs["score"].cell)
    form.total = Formula(form.total.text, "#NAME?")
    cells.append(form.locs["total"].cell)
    form.exec_rate = Formula(form.exec_rate.text, "#DIV/0!")  # another error: its own finding
    assert len(cells) >= 5
    errors = [f for f in validate_form(form) if f.code == "FORMULA_ERROR"]
    names = [f for f in errors if "#NAME?" in f.message]
    assert len(names) == 1
    assert names[0].message.startswith(f"{len(cells)} 个单元格的结果是 #NAME?")
    assert names[0].cell == cells[0] and "加载项" in names[0].message
    assert [f.cell for f in errors if "#DIV/0!" in f.message] == [form.locs["exec_rate"].cell]
