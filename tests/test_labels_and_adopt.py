"""A province's own words are a data change (issue 10 §1: the label vocabulary
is a TOML file; PERFKIT_LABELS names one more), and every form of the corpus
becomes a perfkit template with ``adopt`` (issue 10 §2)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from perfkit.errors import InputError
from perfkit.jsonio import is_template_like
from perfkit.model import Formula
from perfkit.readers import read_form, read_forms
from perfkit.writers.adopt import adopt

ROOT = Path(__file__).resolve().parents[1]

HEADERS = ["一级指标", "二级指标", "三级指标", "考核目标值", "实际达成值", "分值", "得分"]
ROWS = [
    ["产出指标", "数量指标", "培训人次", "≥100人次", "120人次", 50, 50],
    ["效益指标", "社会效益指标", "群众知晓率", "≥90%", "95%", 30, 30],
    ["满意度指标", "服务对象满意度指标", "服务对象满意度", "≥90%", "92%", 10, 10],
]


def province_form(path: Path) -> Path:
    """A 自评表 whose target and actual columns carry a province's own words
    (考核目标值, 实际达成值), unknown to perfkit's vocabulary."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "自评表"
    ws.append(["项目支出绩效自评表"])
    ws.append(["项目名称", "培训项目", None, "实施单位", "某县人社局"])
    ws.append([None, None, "全年预算数", "全年执行数", "分值", "执行率", "得分"])
    ws.append(["年度资金总额", None, 100000, 95000, 10, 95, 9.5])
    ws.append(HEADERS)
    for row in ROWS:
        ws.append(row)
    ws.append(["总分", None, None, None, None, 100, 99.5])
    wb.save(path)
    return path


def test_a_provinces_words_are_a_data_change(tmp_path, monkeypatch):
    path = province_form(tmp_path / "province.xlsx")
    before = read_form(path)  # without the words: the two columns are not found
    assert all(i.target is None and i.actual is None for i in before.indicators)
    assert {key for key, _ in before.missing} >= {"column:target", "column:actual"}
    labels = tmp_path / "labels.toml"
    labels.write_text(
        '[indicators.columns]\ntarget = ["考核目标值"]\nactual = ["实际达成值"]\n', encoding="utf-8"
    )
    monkeypatch.setenv("PERFKIT_LABELS", str(labels))
    form = read_form(path)
    assert [(i.level3, i.target, i.actual) for i in form.indicators if not i.is_blank()] == [
        (r[2], r[3], r[4]) for r in ROWS
    ]
    assert form.indicators[0].locs["actual"].cell == "E6"
    # and from the command line, as a bureau runs it
    proc = subprocess.run(
        [sys.executable, "-m", "perfkit", "validate", str(path), "--format", "json"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**__import__("os").environ, "PERFKIT_LABELS": str(labels)},
    )
    assert proc.returncode in (0, 1), proc.stderr
    assert json.loads(proc.stdout)["unreadable"] == []


def test_a_broken_labels_file_is_named(tmp_path, monkeypatch):
    labels = tmp_path / "labels.toml"
    labels.write_text("[indicators.columns\n", encoding="utf-8")
    monkeypatch.setenv("PERFKIT_LABELS", str(labels))
    with pytest.raises(InputError) as err:
        read_form(province_form(tmp_path / "p.xlsx"))
    assert "标签词表格式错误" in str(err.value) and "labels.toml" in str(err.value)


def test_every_corpus_form_becomes_a_template(corpus, tmp_path):
    """adopt: each form of each corpus original becomes a perfkit template with
    the UDF formulas in its score cells, its rows and texts carried over."""
    done = 0
    for i, file in enumerate(f for f in corpus if f.variant == "original"):
        out = tmp_path / str(i)
        results = adopt(file.path, out)
        forms = read_forms(file.path)
        assert len(results) == len(forms)
        for result, form in zip(results, forms, strict=True):
            (again,) = read_forms(result.path)
            assert is_template_like(again.layout)
            src = [i for i in form.indicators if not i.is_blank()]
            got = [i for i in again.indicators if not i.is_blank()]
            assert [str(i.level3 or "") for i in got] == [str(i.level3 or "") for i in src]
            target = "target" if form.form == "selfeval" else "benchmark"
            assert [getattr(i, target) for i in got] == [getattr(i, target) for i in src]
            kept = len(result.kept_typed)
            formulas = sum(isinstance(i.score, Formula) for i in got)
            assert formulas + kept >= len(got)  # every score a formula or a kept figure
            done += 1
    assert done >= 15
