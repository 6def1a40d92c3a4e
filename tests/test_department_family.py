"""The family of 部门整体支出绩效自评表 layouts (DOMAIN.md §3.1): habits combined
at random — offsets, the year in the title or after it, 主管部门 after a colon or
beside, 财政处室 / 联系人 / 自评总分 in the head, the block label with or
without （万元）, 全年（调整）预算数 or 全年预算数, the optional 计量单位,
指标性质, 调整指标值, 得分系数 and 是否核心指标 columns, header synonyms and
remarks, merged or repeated level cells, targets written with the unit in a
计量单位 column ("≤100" beside "%") or in the value ("≤100%").  Every one must
read as the same department's form: 510 ÷ 520 = 98.08 % → 9.81 of 10, four
indicators at full marks, 99.81 in all, with no finding; one indicator score
typed wrong is found at its cell, and so is a 得分系数 that does not give the
score (得分 = 得分系数 × 权重) or lies outside 0–100 %.
"""

from __future__ import annotations

import random

import pytest
from openpyxl import Workbook

from perfkit.readers import read_forms
from tests.test_layout_family import _findings, findings_with

# 一级, 二级, 指标名称, 计量单位, 指标性质, 年初指标值, 调整指标值, 全年完成值, 权重, 得分
ROWS = [
    ("产出指标", "数量指标", "财政供养人员控制率", "%", "定量", "≤100", "≤100", "98", 30, 30),
    ("产出指标", "质量指标", "预决算信息公开性", None, "定性", "公开", None, "已公开", 20, 20),
    ("效益指标", "社会效益指标", "管理制度健全性", None, "定性", "健全", None, "健全", 20, 20),
    ("效益指标", "经济效益指标", "预算完成率", "%", "定量", "≥90", "≥85", "95", 20, 20),
]  # fmt: skip


def build(rnd: random.Random, path: str) -> dict:
    wb = Workbook()
    ws = wb.active
    ws.title = rnd.choice(["部门整体", "Sheet1", "表3"])
    top, left = 1 + rnd.randint(0, 2), 1 + rnd.randint(0, 1)

    def put(r: int, c: int, value) -> str:
        cell = ws.cell(row=r, column=left + c, value=value)
        return cell.coordinate

    r = top
    put(r, 0, rnd.choice(["2021年度部门整体支出绩效自评表", "部门整体支出绩效自评表（2021年度）"]))
    r += 1
    if rnd.random() < 0.5:
        put(r, 0, "主管部门：某区财政局")
    else:
        put(r, 0, "主管部门")
        put(r, 1, "某区财政局")
    if rnd.random() < 0.5:
        put(r, 4, "财政处室")
        put(r, 5, "预算科")
    if rnd.random() < 0.3:
        put(r, 7, "联系人")
        put(r, 8, "张三")
    r += 2
    put(r, 0, rnd.choice(["部门预算执行情况（万元）", "部门预算执行情况"]))
    heads = ["年初预算数", rnd.choice(["全年（调整）预算数", "全年预算数", "调整后预算数"]),
             "全年执行数", rnd.choice(["执行率（%）", "执行率"]), "执行率权重", "执行率得分"]  # fmt: skip
    for i, h in enumerate(heads):
        put(r, 1 + i, h)
    for i, v in enumerate((500, 520, 510, rnd.choice([98.08, "98.08%"]), 10, 9.81)):
        put(r + 1, 1 + i, v)
    r += 3
    cols = ["level1", "level2", "name"]
    unit_col = rnd.random() < 0.6
    if unit_col:
        cols.append("unit")
    if rnd.random() < 0.6:
        cols.append("kind")
    cols.append("target")
    adjusted = rnd.random() < 0.5
    if adjusted:
        cols.append("adjusted")
    cols.append("actual")
    if rnd.random() < 0.5:
        cols.append("coefficient")
    cols += ["weight", "score"]
    if rnd.random() < 0.5:
        cols.append("core")
    names = {
        "level1": ["一级指标"],
        "level2": ["二级指标"],
        "name": ["指标名称", "三级指标"],
        "unit": ["计量单位", "度量单位"],
        "kind": ["指标性质"],
        "target": ["年初指标值"],
        "adjusted": ["调整指标值", "调整后指标值"],
        "actual": ["全年完成值", "实际完成值"],
        "coefficient": ["得分系数（%）", "得分系数"],
        "weight": ["指标权重（分）", "指标权重", "分值"],
        "score": ["指标得分（分）", "指标得分", "得分"],
        "core": ["是否核心指标"],
    }
    at = {c: i for i, c in enumerate(cols)}
    for c in cols:
        put(r, at[c], rnd.choice(names[c]))
    r += 1
    merged = rnd.random() < 0.5
    cells = {}
    first: dict[str, list[int]] = {}
    for l1, l2, name, unit, kind, target, adj, actual, w, s in ROWS:
        if not merged or l1 not in first:
            put(r, at["level1"], l1)
        first.setdefault(l1, [r, r])[1] = r
        put(r, at["level2"], l2)
        put(r, at["name"], name)
        value_unit = "" if unit_col or unit is None else unit
        if unit_col and unit:
            put(r, at["unit"], unit)
        if "kind" in at:
            put(r, at["kind"], kind)
        put(r, at["target"], target + value_unit if kind == "定量" else target)
        if adjusted and adj is not None:
            put(r, at["adjusted"], adj + value_unit)
        put(r, at["actual"], actual + value_unit if kind == "定量" else actual)
        if "coefficient" in at:  # 100, "100%", or 1 shown as a percentage
            shown = rnd.choice([100, "100%", 1])
            cells[f"系数:{name}"] = put(r, at["coefficient"], shown)
            cells[f"系数80/120:{name}"] = {100: (80, 120), "100%": ("80%", "120%"), 1: (0.8, 1.2)}[
                shown
            ]
            if shown == 1:
                ws.cell(row=r, column=left + at["coefficient"]).number_format = "0%"
        put(r, at["weight"], w)
        cells[name] = put(r, at["score"], s)
        if "core" in at:
            put(r, at["core"], rnd.choice(["是", "否"]))
        r += 1
    if merged:
        for a, b in first.values():
            if b > a:
                col = left + at["level1"]
                ws.merge_cells(start_row=a, start_column=col, end_row=b, end_column=col)
    put(r, 0, rnd.choice(["合计", "总分", "自评总分"]))
    put(r, at["weight"], 100)
    put(r, at["score"], 99.81)
    wb.save(path)
    return cells


@pytest.mark.parametrize("first", range(0, 100, 20), ids=lambda s: f"seeds{s}-{s + 19}")
def test_every_department_layout_reads_as_the_same_form(tmp_path, first):
    for seed in range(first, first + 20):
        path = str(tmp_path / f"{seed}.xlsx")
        cells = build(random.Random(seed), path)
        (form,) = read_forms(path)
        assert [i.level3 for i in form.indicators if not i.is_blank()] == [r[2] for r in ROWS]
        assert (form.dept, form.year) == ("某区财政局", 2021), seed
        found = [f for f in _findings(form) if f[0] != "PART_MISSING"]  # no 年度总体目标 block
        assert found == [], (seed, found)
        found = findings_with(path, cells["财政供养人员控制率"], 25)  # 98 % of ≤100 %: the full 30
        assert ("SCORE_MISMATCH", cells["财政供养人员控制率"]) in found, seed
        if "系数:财政供养人员控制率" in cells:  # 得分 = 得分系数 × 指标权重
            assert ("COEFFICIENT_MISMATCH", cells["财政供养人员控制率"]) in found, seed
            coefficient = cells["系数:预决算信息公开性"]
            eighty, too_high = cells["系数80/120:预决算信息公开性"]  # as the cell is written
            found = findings_with(path, coefficient, eighty)  # 80 % of 20 is 16, the form says 20
            assert found.count(("COEFFICIENT_MISMATCH", cells["预决算信息公开性"])) == 1
            found = findings_with(path, coefficient, too_high)
            assert ("COEFFICIENT_OUT_OF_RANGE", coefficient) in found, seed
