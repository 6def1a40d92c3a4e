"""The README's quick start (issue 12.16): both commands make their own
virtual environment (a stock Debian/Ubuntu refuses ``pip install`` and has no
``python``), CI runs the second one verbatim, and what the quick start says
about the bundled examples' two errors is what ``perfkit validate`` finds."""

from __future__ import annotations

import json
import re
from pathlib import Path

from perfkit import cli

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
CI = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
VENV = "python3 -m venv .venv && . .venv/bin/activate && "


def quick_start_commands() -> list[str]:
    section = README.split("## 快速开始", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```bash\n(.*?)```", section, re.S).group(1)
    return [line for line in block.splitlines() if line.strip() and not line.startswith("#")]


def test_both_commands_make_their_own_virtual_environment():
    install, tests = quick_start_commands()
    assert install == f"{VENV}pip install . && perfkit summarize examples -o out/汇总.xlsx"
    assert tests == f'{VENV}pip install -e ".[test]" && python -m pytest'
    assert "python3-venv" in README.split("## 快速开始", 1)[1].split("```", 1)[0]


def test_ci_runs_the_second_command_verbatim_after_installing_venv():
    _, tests = quick_start_commands()
    assert tests in CI.splitlines()
    assert "python3-venv" in CI
    assert CI.rstrip().endswith(tests)  # nothing after it: its exit code is CI's


def test_the_examples_two_errors_are_the_ones_the_quick_start_names(capsys):
    code = cli.main(["validate", str(ROOT / "examples"), "--format", "json", "--no-progress"])
    data = json.loads(capsys.readouterr().out)
    errors = {
        (Path(f["file"]).name, f"{f['sheet']}!{f['cell']}", f["code"])
        for f in data["findings"]
        if f["severity"] == "error"
    }
    assert code == 1
    assert errors == {
        ("futian2021_selfeval.xlsx", "自评表!H24", "TOTAL_MISMATCH"),
        ("futian2021_evaltable.xlsx", "评分表!I11", "RULE_SCORE_MISMATCH"),
    }
    section = README.split("## 快速开始", 1)[1].split("\n## ", 1)[0]
    for name, where, code in errors:
        line = next(line for line in section.splitlines() if name in line)
        assert where in line and code in line, line
    assert "错误数 2" in section and "有意保留" in section
    assert "99.91" in section and "2.91" in section and "2.97" in section
