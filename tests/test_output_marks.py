"""The outputs of freeze, adopt and report carry perfkit's mark (issue 12.2),
so a scan that also holds their form does not read the copy a second time;
a filled form is a form and carries none."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from perfkit import batch, outputs
from perfkit.report import write_report
from perfkit.writers.adopt import adopt
from perfkit.writers.fill import fill
from perfkit.writers.freeze import freeze

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"


def test_frozen_copy_is_marked_and_skipped_beside_its_form(tmp_path):
    form = tmp_path / "falv.xlsx"
    shutil.copy(EXAMPLES / "longgang2023_falv.xlsx", form)
    frozen = freeze(form, tmp_path / "falv_定稿.xlsx")
    info = outputs.output_info(frozen)
    assert info is not None and info.kind == outputs.FROZEN
    found = batch.discover([tmp_path])
    assert [Path(p).name for p in found] == ["falv.xlsx"]
    assert [Path(s.path).name for s in found.skipped] == ["falv_定稿.xlsx"]
    # alone in a folder (sent on by a unit), the frozen copy is a form
    alone = tmp_path / "alone"
    alone.mkdir()
    shutil.copy(frozen, alone / "定稿.xlsx")
    assert [Path(p).name for p in batch.discover([alone])] == ["定稿.xlsx"]


def test_adopted_template_is_marked(tmp_path):
    form = tmp_path / "dangjian.xlsx"
    shutil.copy(EXAMPLES / "longgang2023_dangjian.xlsx", form)
    (result,) = adopt(form, tmp_path / "out")
    assert outputs.output_kind(result.path) == outputs.ADOPTED


def test_report_is_marked(tmp_path):
    out = write_report(EXAMPLES / "futian2021_evaltable.xlsx", tmp_path / "报告.docx")
    assert outputs.output_kind(out) == outputs.REPORT


def test_filled_form_is_not_marked(tmp_path):
    data = json.loads((EXAMPLES / "longgang2023_falv.json").read_text(encoding="utf-8"))
    out = fill(data, tmp_path / "f.xlsx")
    assert outputs.output_kind(out) is None
    assert [Path(p).name for p in batch.discover([tmp_path])] == ["f.xlsx"]
