"""The family of 绩效评价指标体系评分表 layouts, with a written rule of every
shape perfkit reads: habits combined at random (offsets, title and head
variants, column synonyms drawn from the vocabulary file and column orders, 指标说明 and 标杆值 columns, merged or
repeated level cells, a 小计 row under each block, dressed headers, scores as
text) around ten rows whose scores are their rules' own arithmetic:

* 执行率每降低1%扣0.1分, 95 % → 9.5 of 10; 活动开展次数≥8次得6分…每下降1次扣2分, 7次 → 4;
* 90%（含）以上得10分，80%（含）-90%得6分, 85 % → 6 (a band);
* 按时完成得满分，每延迟1天扣0.5分, 延迟3天 → 3.5 of 5;
* 达到95%得满分，低于95%按比例得分, 90 % → 9.47 of 10 (10 × 90 / 95);
* ①②③ 齐全得权重100%…缺③扣权重30%, 缺③ → 2.8 of 4;
* 每发现1处问题扣0.5分, 发现2处问题 → 5 of 6;
* DOMAIN.md's 重点支出安排率≥90%,计5分;80%(含)-90%,计4分…, 85 % → 4.

Each of 200 seeded layouts must read these ten rows with no finding; the
band row's score typed wrong must be found at its cell.
"""

from __future__ import annotations

import random
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

from perfkit.readers import read_forms
from tests.test_layout_family import _findings, findings_with

PROCEDURE = (
    "①项目是否按照规定的程序申请设立；②所提交的文件、材料是否符合相关要求；"
    "③立项前期是否经过必要的需求调研。若①②③齐全得权重100%；如不符合①得0分；"
    "缺②扣权重30%，缺③扣权重30%。"
)
KEY_SPENDING = (
    "重点支出安排率≥90%,计5分;80%(含)-90%,计4分;70%(含)-80%,计3分;60%(含)-70%,计2分;低于60%不得分。"
)
BAND = "满意度90%（含）以上得10分，80%（含）-90%得6分，80%以下不得分"
# 一级, 二级, 三级, 分值, 评分标准, 实际完成值, 得分 (the rule's own arithmetic)
ROWS = [
    ("决策", "项目立项", "立项程序规范性", 4, PROCEDURE, "缺③", 2.8),
    ("过程", "资金管理", "预算执行率", 10, "执行率每降低1%扣0.1分，扣完为止。", "95%", 9.5),
    ("过程", "组织实施", "制度执行有效性", 6, "每发现1处问题扣0.5分", "发现2处问题", 5),
    ("产出", "产出数量", "活动开展次数", 6,
     "活动开展次数≥8次得6分，完成情况每下降1次，扣2分，扣完为止。", "7次", 4),
    ("产出", "产出质量", "培训合格率", 10, "合格率达到95%得满分，低于95%按比例得分", "90%", 9.47),
    ("产出", "产出时效", "完成及时性", 5, "按时完成得满分，每延迟1天扣0.5分", "延迟3天", 3.5),
    ("效益", "满意度", "服务对象满意度", 10, BAND, "85%", 6),
    ("效益", "社会效益", "重点支出安排率", 5, KEY_SPENDING, "85%", 4),
    ("效益", "社会效益", "企业参与度", 20, "明显提升得满分，否则酌情扣分", "明显提升", 20),
    ("效益", "可持续影响", "长效管理机制", 24, "机制健全得满分，否则酌情扣分", "健全", 24),
]  # fmt: skip
TOTAL = sum(Decimal(str(r[6])) for r in ROWS)  # 87.77
_LABELS = tomllib.loads(
    (Path(__file__).resolve().parents[1] / "perfkit/profiles/labels/default.toml").read_text(
        "utf-8"
    )
)
_COLUMNS = _LABELS["indicators"]["columns"]
SYN = {  # the label vocabulary itself: a synonym added there is drawn here too
    "title": _LABELS["title"]["evaltable"],
    "project": _LABELS["head"]["project_name"],
    "l3": _COLUMNS["level3"],
    "weight": _COLUMNS["weight"],
    "rule": _COLUMNS["rule"],
    "actual": _COLUMNS["actual"],
    "score": _COLUMNS["score"],
    "reason": _COLUMNS["deduction_reason"],
    "end": [*_LABELS["indicators"]["end"], "合  计"],
}


def build(rnd: random.Random, path: str) -> dict:
    wb = Workbook()
    ws = wb.active
    ws.title = rnd.choice(["评分表", "附件1", "Sheet1"])
    top, left = 1 + rnd.randint(0, 2), 1 + rnd.randint(0, 2)
    r = top
    ws.cell(row=r, column=left, value=rnd.choice(SYN["title"]))
    r += 1
    project = "中小企业培训服务项目"
    if rnd.random() < 0.5:
        ws.cell(row=r, column=left, value=f"{rnd.choice(SYN['project'])}：{project}")
    else:
        ws.cell(row=r, column=left, value=rnd.choice(SYN["project"]))
        ws.cell(row=r, column=left + 1, value=project)
    r += 1 + rnd.randint(0, 1)
    cols = ["level1", "level2", "l3", "weight", "rule", "actual", "score", "reason"]
    if rnd.random() < 0.4:
        cols.insert(3, "description")  # 指标说明
    if rnd.random() < 0.3:
        cols.insert(cols.index("actual"), "benchmark")  # 标杆值, left blank
    if rnd.random() < 0.3:
        cols.remove("weight")
        cols.insert(cols.index("score"), "weight")
    fixed = {"level1": "一级指标", "level2": "二级指标", "description": "指标说明",
             "benchmark": "标杆值"}  # fmt: skip
    header = [fixed.get(c) or rnd.choice(SYN[c]) for c in cols]
    if rnd.random() < 0.4:
        header = [h[:2] + "\n" + h[2:] if len(h) > 2 and rnd.random() < 0.5 else h for h in header]
    for i, h in enumerate(header):
        ws.cell(row=r, column=left + i, value=h)
    at = {c: left + i for i, c in enumerate(cols)}
    r += 1
    merged = rnd.random() < 0.5
    subtotals = rnd.random() < 0.3
    scores_text = rnd.random() < 0.2
    cells: dict[str, str] = {}
    block_start = r
    for n, (l1, l2, l3, w, rule, actual, score) in enumerate(ROWS):
        if not merged or n == 0 or ROWS[n - 1][0] != l1:
            ws.cell(row=r, column=at["level1"], value=l1)
            block_start = r
        ws.cell(row=r, column=at["level2"], value=l2)
        ws.cell(row=r, column=at["l3"], value=l3)
        ws.cell(row=r, column=at["weight"], value=w)
        ws.cell(row=r, column=at["rule"], value=rule)
        ws.cell(row=r, column=at["actual"], value=actual)
        ws.cell(row=r, column=at["score"], value=f"{score}" if scores_text else score)
        if score < w:
            ws.cell(row=r, column=at["reason"], value="未完全达到评分标准")
        cells[l3] = ws.cell(row=r, column=at["score"]).coordinate
        last = n + 1 == len(ROWS) or ROWS[n + 1][0] != l1
        if merged and last and r > block_start:
            col = at["level1"]
            ws.merge_cells(start_row=block_start, start_column=col, end_row=r, end_column=col)
        r += 1
        if subtotals and last:
            block = [x for x in ROWS if x[0] == l1]
            ws.cell(row=r, column=at["level1"], value="小计")
            ws.cell(row=r, column=at["weight"], value=sum(x[3] for x in block))
            ws.cell(row=r, column=at["score"], value=float(sum(Decimal(str(x[6])) for x in block)))
            r += 1
    ws.cell(row=r, column=at["level1"], value=rnd.choice(SYN["end"]))
    ws.cell(row=r, column=at["weight"], value=100)
    ws.cell(row=r, column=at["score"], value=float(TOTAL))
    wb.save(path)
    return cells


SEEDS = range(200)


@pytest.mark.parametrize("first", range(0, len(SEEDS), 20), ids=lambda s: f"seeds{s}-{s + 19}")
def test_every_evaltable_layout_is_scored_by_its_rules(tmp_path, first):
    for seed in SEEDS[first : first + 20]:
        path = str(tmp_path / f"{seed}.xlsx")
        cells = build(random.Random(seed), path)
        (form,) = read_forms(path)
        assert form.form == "evaltable" and form.project_name == "中小企业培训服务项目", seed
        assert [i.level3 for i in form.indicators] == [r[2] for r in ROWS], seed
        assert _findings(form) == [], (seed, _findings(form))
        found = findings_with(path, cells["服务对象满意度"], 10)  # 85 % is in the 6-point band
        assert ("RULE_SCORE_MISMATCH", cells["服务对象满意度"]) in found, (seed, found)


def test_evaltable_and_department_layouts_saved_as_xls(tmp_path, libreoffice):
    """15 评分表 and 15 部门整体 layouts saved as .xls by LibreOffice read and
    check as the originals."""
    from tests import lo
    from tests.test_department_family import build as build_department

    made, ops = [], []
    for seed in range(15):
        for kind, make in (("evaltable", build), ("department", build_department)):
            path = tmp_path / f"{kind}{seed}.xlsx"
            make(random.Random(seed), str(path))
            made.append(path)
            ops.append(lo.convert(path, path.with_suffix(".xls")))
    assert all(result["ok"] for result in libreoffice.run(ops))
    for path in made:
        (original,) = read_forms(path)
        (copy,) = read_forms(path.with_suffix(".xls"))
        assert [(i.level3, getattr(i, "actual", None)) for i in copy.indicators] == [
            (i.level3, getattr(i, "actual", None)) for i in original.indicators
        ], path.name
        assert _findings(copy) == _findings(original), path.name
