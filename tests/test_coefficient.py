"""The 得分系数 column of a 部门整体支出绩效自评表 (DOMAIN.md §3.1: 得分 = 得分系数 × 权重):
read with its cell, checked against the row's score and kept through JSON."""

from __future__ import annotations

import random
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from perfkit.jsonio import form_from_dict, form_to_dict
from perfkit.numbers import to_decimal
from perfkit.readers import read_forms
from perfkit.validate import validate_form
from perfkit.validate.selfeval import coefficient_share
from perfkit.values import read_number
from perfkit.writers.adopt import adopt
from tests.test_department_family import build

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "longgang2023_dangjian.xlsx"


@pytest.mark.parametrize(
    "cell, share",
    [
        (100, "1"),
        (80, "0.8"),
        (0.8, "0.8"),
        (1, "1"),
        ("80%", "0.8"),
        ("80％", "0.8"),
        ("100", "1"),
        (0, "0"),
        (120, "1.2"),
        (-5, "-0.05"),
        ("120%", "1.2"),
        ("约八成", None),
    ],
)
def test_the_share_a_coefficient_cell_gives(cell, share):
    class Row:
        coefficient = cell

    got = coefficient_share(read_number(cell)[0], Row)
    assert got == (None if share is None else Decimal(share))


@pytest.mark.parametrize(
    "text, number", [("80％", "0.8"), ("９８.８７％", "0.9887"), ("98.87%", "0.9887")]
)
def test_a_percentage_typed_with_the_full_width_sign_is_a_number(text, number):
    assert to_decimal(text) == Decimal(number)


def _department_form(tmp_path):
    """A generated 部门整体 form with a 得分系数 column written as a bare 100."""
    for seed in range(200):
        path = str(tmp_path / f"{seed}.xlsx")
        cells = build(random.Random(seed), path)
        if cells.get("系数80/120:预决算信息公开性") == (80, 120):
            return path, cells
    raise AssertionError("no seed writes a bare 100 in a 得分系数 column")


def _typed(path: str, cell: str, value) -> str:
    wb = load_workbook(path)
    wb.active[cell] = value
    changed = path.replace(".xlsx", "_typed.xlsx")
    wb.save(changed)
    return changed


def test_a_coefficient_that_does_not_give_the_score_is_found_with_the_figures(tmp_path):
    path, cells = _department_form(tmp_path)
    coefficient, score = cells["系数:预决算信息公开性"], cells["预决算信息公开性"]
    (form,) = read_forms(_typed(path, coefficient, 80))
    (found,) = [f for f in validate_form(form) if f.code == "COEFFICIENT_MISMATCH"]
    assert found.cell == score and found.severity == "error"
    assert found.message == (
        f"“质量指标／预决算信息公开性”的得分应为 16（{coefficient} 得分系数 80% × 指标权重 20），"
        "表中为 20，相差 4"
    )


def test_a_score_typed_to_agree_with_its_coefficient_is_no_finding(tmp_path):
    path, cells = _department_form(tmp_path)
    changed = _typed(path, cells["系数:预决算信息公开性"], 80)
    (form,) = read_forms(_typed(changed, cells["预决算信息公开性"], 16))
    codes = {f.code for f in validate_form(form)}
    assert "COEFFICIENT_MISMATCH" not in codes
    assert "COEFFICIENT_OUT_OF_RANGE" not in codes


def test_a_coefficient_out_of_range_is_found_at_its_cell(tmp_path):
    path, cells = _department_form(tmp_path)
    coefficient = cells["系数:预决算信息公开性"]
    (form,) = read_forms(_typed(path, coefficient, -5))
    (found,) = [f for f in validate_form(form) if f.code == "COEFFICIENT_OUT_OF_RANGE"]
    assert found.cell == coefficient
    assert found.message == "“质量指标／预决算信息公开性”的得分系数为 -5%，应在 0% 至 100% 之间"


def test_a_coefficient_in_words_is_not_a_number(tmp_path):
    path, cells = _department_form(tmp_path)
    coefficient = cells["系数:预决算信息公开性"]
    (form,) = read_forms(_typed(path, coefficient, "约八成"))
    found = [(f.code, f.cell) for f in validate_form(form)]
    assert ("NOT_A_NUMBER", coefficient) in found
    assert not any(code.startswith("COEFFICIENT_") for code, _ in found)


def test_the_coefficient_is_kept_through_json_and_checked_there(tmp_path):
    path, cells = _department_form(tmp_path)
    (form,) = read_forms(_typed(path, cells["系数:预决算信息公开性"], 80))
    data = form_to_dict(form)
    assert [i.get("coefficient") for i in data["indicators"]] == [100, 80, 100, 100]
    again = form_from_dict(data)
    assert [i.coefficient for i in again.indicators] == [100, 80, 100, 100]
    assert "COEFFICIENT_MISMATCH" in {f.code for f in validate_form(again)}


def test_a_form_without_the_column_writes_no_coefficient_into_json(tmp_path):
    for seed in range(200):
        path = str(tmp_path / f"{seed}.xlsx")
        if not any(k.startswith("系数:") for k in build(random.Random(seed), path)):
            break
    (form,) = read_forms(path)
    assert all("coefficient" not in i for i in form_to_dict(form)["indicators"])


def test_adopt_says_the_template_has_no_coefficient_column(tmp_path):
    path, _ = _department_form(tmp_path)
    (adopted,) = adopt(path, tmp_path / "out")
    assert any("“得分系数”列" in line for line in adopted.lost), adopted.lost


def test_fill_says_the_coefficients_are_not_written(tmp_path, capsys):
    import json

    from perfkit.cli import main

    path, _ = _department_form(tmp_path)
    (form,) = read_forms(path)
    data = tmp_path / "部门.json"
    data.write_text(json.dumps(form_to_dict(form), ensure_ascii=False), "utf-8")
    out = tmp_path.parent / f"{tmp_path.name}-填表.xlsx"
    assert main(["fill", "selfeval", str(data), "-o", str(out)]) == 0
    said = capsys.readouterr().out
    assert "未能写入：4 行的得分系数" in said and out.exists()


def test_a_department_form_stays_one_through_json_fill_and_adopt(tmp_path):
    """extract says "department": true, fill and adopt title the template
    部门整体支出绩效自评表, so reading it back weighs no project weights (the
    adopted copy had a false LEVEL1_WEIGHT_PROFILE: 效益 40 against 30)."""
    from perfkit.writers.fill import fill

    path, _ = _department_form(tmp_path)
    (form,) = read_forms(path)
    data = form_to_dict(form)
    assert data["department"] is True and form_from_dict(data).department
    out = tmp_path.parent / f"{tmp_path.name}-out"
    out.mkdir()
    filled = fill(data, out / "填表.xlsx")
    (adopted,) = adopt(path, out)
    assert adopted.project == "部门整体支出"
    for made in (filled, adopted.path):
        assert load_workbook(made).active["A1"].value == "部门整体支出绩效自评表"
        (again,) = read_forms(made)
        assert again.department
        codes = {f.code for f in validate_form(again)}
        assert "LEVEL1_WEIGHT_PROFILE" not in codes, (made, codes)
    assert "department" not in form_to_dict(read_forms(EXAMPLE)[0])  # a project's form


def test_department_must_be_true_or_false(tmp_path):
    from perfkit.errors import InputError

    path, _ = _department_form(tmp_path)
    data = form_to_dict(read_forms(path)[0])
    data["department"] = "是"
    with pytest.raises(InputError, match="department 应为 true 或 false"):
        form_from_dict(data)


def test_adopt_names_every_column_it_cannot_carry_in_chinese(tmp_path):
    """Across the 部门整体 and 评分表 families: no column key ("target_adjusted")
    in what adopt says, and no column it did carry (a 评分表's 指标值 is its 标杆值)."""
    from tests import test_evaltable_family

    out = tmp_path.parent / f"{tmp_path.name}-adopt"
    lines = set()
    for seed in range(40):
        for family in (build, test_evaltable_family.build):
            path = tmp_path / f"{family.__module__[-6:]}{seed}.xlsx"
            family(random.Random(seed), str(path))
            for adopted in adopt(path, out):
                lines.update(adopted.lost)
    assert not [line for line in lines if any("a" <= ch <= "z" for ch in line)], lines
    assert any(line.startswith("“调整指标值”列") for line in lines)  # the family has the column
    assert not any("“年度指标值”列" in line or "“偏差原因”列" in line for line in lines), lines


def test_adopt_carries_a_score_table_s_target_column_as_its_benchmark(tmp_path):
    """A 评分表 whose 标杆值 column is headed 指标值 (and 扣分原因 偏差原因): the
    reader takes them as 标杆值 and 扣分原因, so adopt carries them."""
    from tests import test_evaltable_family

    path = tmp_path / "评分表.xlsx"
    test_evaltable_family.build(random.Random(5), str(path))  # a layout with 标杆值
    wb = load_workbook(path)
    renamed = {"标杆值": "指标值", "评价标准值": "指标值", "标准值": "指标值"}
    renamed |= {"扣分原因": "偏差原因", "扣分说明": "偏差原因", "扣分理由": "偏差原因"}
    for row in wb.active.iter_rows():
        for cell in row:
            text = "".join(str(cell.value).split())
            if text in renamed:
                cell.value = renamed[text]
    wb.save(path)
    (form,) = read_forms(path)
    assert {"target", "deviation_reason"} <= set(form.layout.columns)
    (adopted,) = adopt(path, tmp_path.parent / f"{tmp_path.name}-adopt")
    assert not [line for line in adopted.lost if "列（模板没有这一列）" in line], adopted.lost
