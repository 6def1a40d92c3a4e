"""One mutation per finding code: each code is found at its cell; the
registry and docs/findings.md agree."""

from __future__ import annotations

from pathlib import Path

import pytest

from perfkit.model import Formula
from perfkit.validate import CODES, REGISTRY, validate_form
from perfkit.validate.codes import BATCH_CODES
from perfkit.validate.docs import render
from tests.test_validate import FUTIAN_ROWS, futian_table, longgang1, longgang2, pairs

DOCS = Path(__file__).resolve().parent.parent / "docs" / "findings.md"
EXAMPLES = DOCS.parent.parent / "examples"


def _row(form, row):
    return next(i for i in form.indicators if i.row == row)


def _set(form, row, **kw):
    ind = _row(form, row)
    for k, v in kw.items():
        setattr(ind, k, v)
    return form


def _fund(form, key, **kw):
    for k, v in kw.items():
        setattr(form.funds[key], k, v)
    return form


def _coefficient(form, row, value):
    """Row *row* with a 得分系数 of *value* in column I."""
    from perfkit.model import Loc

    _set(form, row, coefficient=value)
    _row(form, row).locs["coefficient"] = Loc(form.sheet, f"I{row}")
    return form


def _with_subtotal(form, score_delta=0):
    """A 小计 row (at row 99) over the form's first three indicator rows."""
    from decimal import Decimal

    from perfkit.model import Loc, Subtotal

    first = form.indicators[:3]
    score = sum(Decimal(str(i.score)) for i in first) + score_delta
    form.subtotals = [
        Subtotal(
            "小计",
            weight=sum(i.weight for i in first),
            score=score,
            rows=tuple(i.row for i in first),
            locs={"weight": Loc(form.sheet, "G99"), "score": Loc(form.sheet, "H99")},
        )
    ]
    return form


def _replace_rows(name, **changes):
    fields = (
        "level1",
        "level2",
        "level3",
        "benchmark",
        "rule",
        "weight",
        "actual",
        "score",
        "deduction_reason",
        "description",
    )
    out = []
    for r in FUTIAN_ROWS:
        if r[2] == name:
            d = dict(zip(fields, r, strict=True))
            d.update(changes)
            r = tuple(d[f] for f in fields)
        out.append(r)
    return out


CASES = [
    ("NOT_A_NUMBER", "E6", lambda: _fund(longgang1(), "total", executed="约193万")),
    ("FORMULA_ERROR", "G6", lambda: longgang1(exec_rate=Formula("=EXEC_RATE(E6,D6)", "#DIV/0!"))),
    ("FORMULA_NOT_COMPUTED", "G6", lambda: longgang1(exec_rate=Formula("=E6/D6"))),
    ("REQUIRED_EMPTY", "F14", lambda: _set(longgang1(), 14, actual=None)),
    ("REQUIRED_EMPTY", "F12", lambda: longgang1(goal_actual=None)),
    ("ROUNDING_DIFF", "H6", lambda: longgang1(exec_score=9.88)),
    ("AMOUNT_NEGATIVE", "E8", lambda: _fund(longgang1(), "carryover", executed=-5)),
    ("FUND_SUM_MISMATCH", "D6", lambda: _fund(longgang1(), "fiscal", annual_budget=1959000)),
    ("EXEC_OVER_BUDGET", "E6", lambda: _fund(longgang1(), "total", executed=1960000)),
    ("EXEC_RATE_MISMATCH", "G6", lambda: longgang1(exec_rate=100)),
    ("EXEC_SCORE_MISMATCH", "H6", lambda: longgang1(exec_score=10, total=100)),
    ("EXEC_SCORE_MISSING", "H6", lambda: longgang1(exec_score=None)),
    ("EXEC_WEIGHT_PROFILE", "F6", lambda: longgang1(exec_weight=20)),
    ("WEIGHT_NEGATIVE", "G14", lambda: _set(longgang1(), 14, weight=-10, score=0)),
    ("LEVEL1_WEIGHT_PROFILE", "B14", lambda: _set(longgang1(), 14, weight=20, score=20)),
    ("WEIGHT_SUM_NOT_100", "G44", lambda: longgang1(total_weight=None, exec_weight=5)),
    ("TOTAL_WEIGHT_MISMATCH", "G44", lambda: longgang1(total_weight=95)),
    ("SCORE_NEGATIVE", "H14", lambda: _set(longgang1(), 14, score=-1, deviation_reason="x")),
    ("SCORE_OVER_WEIGHT", "H14", lambda: _set(longgang1(), 14, score=12)),
    ("SCORE_MISMATCH", "H14", lambda: _set(longgang1(), 14, actual="1家", deviation_reason="原因")),
    ("QUAL_SCORE_OUT_OF_BAND", "H17", lambda: _set(longgang1(), 17, actual="未完成", score=10)),
    ("NA_WITH_WEIGHT", "G35", lambda: _set(longgang1(), 35, weight=10)),
    ("TOTAL_MISMATCH", "H44", lambda: longgang1(total=100)),
    ("SUBTOTAL_MISMATCH", "H99", lambda: _with_subtotal(longgang1(), score_delta=1)),
    (
        "TOTAL_OVER_CAP",
        "H44",
        lambda: _fund(
            _fund(
                longgang1(
                    exec_rate=None,
                    exec_score=Formula("=X"),
                    total=Formula("=T"),
                    profile="platform",
                ),
                "total",
                executed=1400000,
            ),
            "fiscal",
            executed=1400000,
        ),
    ),
    ("GRADE_MISMATCH", "H45", lambda: longgang1(grade="良")),
    ("TARGET_UNREADABLE", "E14", lambda: _set(longgang1(), 14, target="≥ 约 两三成")),
    ("ACTUAL_UNREADABLE", "F14", lambda: _set(longgang1(), 14, actual="≥")),
    ("NOT_COMPARABLE", "F14", lambda: _set(longgang1(), 14, actual="2期")),
    ("ACTUAL_NOT_MEASURED", "F14", lambda: _set(longgang1(), 14, actual="已完成")),
    ("SCORE_NOT_MEASURED", "H14", lambda: _set(longgang1(), 14, actual="待统计")),
    ("ACTUAL_IS_CONSTRAINT", "F23", longgang1),
    ("SATISFACTION_NO_PERCENT", "F38", longgang2),
    ("TARGET_IN_LEVEL3", "D14", longgang2),
    ("DEVIATION_REASON_MISSING", "I23", lambda: _set(longgang2(), 23, deviation_reason=None)),
    ("OVER_ACHIEVEMENT", "I14", lambda: _set(longgang1(), 14, actual="3家")),
    ("PROJECT_CODE_FORMAT", "B2", lambda: longgang1(project_code="44030721070150000349 6")),
    ("RULE_SCORE_MISMATCH", "I15", futian_table),
    ("RULE_NOT_DERIVABLE", "I38", futian_table),
    (
        "RULE_MAX_WEIGHT",
        "F18",
        lambda: futian_table(_replace_rows("管理制度健全性", weight=5, score=5)),
    ),
    (
        "WEIGHT_TEXT_MISMATCH",
        "G39",
        lambda: futian_table(_replace_rows("绩效跟踪评价", description="该指标分值为4分")),
    ),
    ("RULE_DUPLICATE", "F6", futian_table),
    # F-12: 「每存在一项工作未及时完成扣1%权重分」 on a weight of 2 is 0.02 an item
    ("RULE_DEDUCTION_SMALL", "F29", futian_table),
    ("TEXT_OTHER_YEAR", "D6", futian_table),
    (
        "DEDUCTION_REASON_MISSING",
        "J38",
        lambda: futian_table(_replace_rows("辖区群众满意度", deduction_reason=None)),
    ),
    ("LEVEL1_WEIGHT_SUM", "G49", lambda: futian_table(level1_weights={"项目决策": 5})),
    ("PART_MISSING", "A2", lambda: _read(_table12)),
    ("CELLS_IGNORED", "", lambda: _read(_far_cell)),
    ("LAYOUT_NAME_MOVED", "H24", lambda: _read(_moved_name)),
    ("ROWS_HIDDEN", "D14", lambda: _read(_hidden_row)),
    ("SHEET_HIDDEN", "A1", lambda: _read(_hidden_sheet)),
    ("AMOUNT_UNIT_TYPED", "E6", lambda: _read(_budget_in_wan)),
    ("INDICATOR_DUPLICATE", "D18", lambda: _copied_row(longgang1(), 17, 18)),
    # a 得分系数 column (部门整体 forms): 50 % of the row's 10 points is 5, not the 10 typed
    ("COEFFICIENT_MISMATCH", "H14", lambda: _coefficient(longgang1(), 14, 50)),
    ("COEFFICIENT_OUT_OF_RANGE", "I14", lambda: _coefficient(longgang1(), 14, 150)),
    # the platform's self-evaluation warnings (issue 13)
    # 85 % executed (1959300 × 0.85 = 1665405), indicators 90/90: (100% − 85%) / 100% = 15%
    (
        "SCORE_INFLATED",
        "H44",
        lambda: _executed(longgang1(exec_rate=85, exec_score=8.5, total=98.5), 1665405),
    ),
    ("BUDGET_ZERO", "D6", lambda: _budget(longgang1(), 0)),
    ("EXEC_RATE_LOW", "G6", lambda: _executed(longgang1(), 1400000)),
    ("WEIGHT_ZERO", "G14", lambda: _set(longgang1(), 14, weight=0, score=0)),
    ("TARGET_PLACEHOLDER", "E14", lambda: _set(longgang1(), 14, target="≥**家")),
    # a 2023 自评表 whose time limit is last year's (copied from the 2022 form)
    ("TEXT_OTHER_YEAR", "E14", lambda: _set(longgang1(), 14, target="2022年12月底前")),
]


def _executed(form, amount):
    """全年执行数 of 年度资金总额 and 当年财政拨款 set to *amount*."""
    return _fund(_fund(form, "total", executed=amount), "fiscal", executed=amount)


def _budget(form, amount):
    """全年预算数 of 年度资金总额 and 当年财政拨款 set to *amount*."""
    return _fund(_fund(form, "total", annual_budget=amount), "fiscal", annual_budget=amount)


def _read(make):
    """A form read back from a file *make(path)* writes (the reader's own findings)."""
    import tempfile

    from perfkit.readers import read_form

    path = Path(tempfile.mkdtemp(prefix="perfkit-codes-")) / "form.xlsx"
    make(path)
    return read_form(path)


def _table12(path):
    """福田 表1-2: no 分值 column, no 资金使用情况 (PART_MISSING at the title)."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["表 1-2 2021 年工商联经费项目绩效指标评分表"])
    ws.append(["一级指标", "二级指标", "指标内容", "年度指标值", "实际完成值", "得分"])
    ws.append(["产出指标", "数量", "活动", "不少于 8 次", "10 次", 20])
    ws.append(["合计", None, None, None, None, 20])
    wb.save(path)


def _far_cell(path):
    import openpyxl

    wb = openpyxl.load_workbook(EXAMPLES / "longgang2023_falv.xlsx")
    wb["自评表"]["XFD1048576"] = "x"
    wb.save(path)


def _moved_name(path):
    """PK_TOTAL left pointing at another cell (总分 is at H24 of this form)."""
    import openpyxl

    wb = openpyxl.load_workbook(EXAMPLES / "longgang2023_falv.xlsx")
    wb.defined_names["PK_TOTAL"].attr_text = "自评表!$H$30"
    wb.save(path)


def _hidden_row(path):
    """The first indicator row (14) hidden, its values kept."""
    import openpyxl

    wb = openpyxl.load_workbook(EXAMPLES / "longgang2023_falv.xlsx")
    wb["自评表"].row_dimensions[14].hidden = True
    wb.save(path)


def _hidden_sheet(path):
    """The 自评表 sheet of a template hidden (another sheet shown instead)."""
    import openpyxl

    wb = openpyxl.load_workbook(EXAMPLES / "longgang2023_falv.xlsx")
    wb.create_sheet("说明")
    wb.active = len(wb.worksheets) - 1
    wb["自评表"].sheet_state = "hidden"
    wb.save(path)


def _copied_row(form, source, row):
    """Row *row* given the 二级指标, 三级指标 and 年度指标值 of row *source*."""
    src = _row(form, source)
    return _set(form, row, level2=src.level2, level3=src.level3, target=src.target)


def _budget_in_wan(path):
    """The 全年执行数 of the 元 template typed as “万元” text."""
    import openpyxl

    wb = openpyxl.load_workbook(EXAMPLES / "longgang2023_falv.xlsx")
    wb["自评表"]["E6"] = f"{wb['自评表']['E6'].value / 10000}万元"
    wb.save(path)


@pytest.mark.parametrize("code, cell, build", CASES, ids=[f"{c}@{cell}" for c, cell, _ in CASES])
def test_code_found_at_cell(code, cell, build):
    found = validate_form(build())
    assert (code, cell) in pairs(found), sorted(pairs(found))
    assert not [f for f in found if f.code == "CHECK_FAILED"]


def test_every_code_has_a_case():
    tested = {c for c, _, _ in CASES}
    batch = {d.code for d in BATCH_CODES}  # between forms: tests/test_repeats.py
    assert set(CODES) - tested - batch == {"CHECK_FAILED"}


def test_platform_profile_deducts_over_achievement():
    # DOMAIN §8: 完成值 ≥ 130 % loses 2 points under the platform profile
    form = _set(longgang1(), 14, actual="3家")
    assert ("SCORE_MISMATCH", "H14") in pairs(validate_form(form, "platform"))
    assert ("SCORE_MISMATCH", "H14") not in pairs(validate_form(form))


def test_uncomputed_formulas_are_not_reported():
    form = longgang1(
        exec_rate=Formula("=EXEC_RATE(E6,D6)"), exec_score=Formula("=EXEC_SCORE(E6,D6,F6)")
    )
    for ind in form.indicators:
        if ind.weight:
            ind.score = Formula("=PERF_SCORE(E,F,G)")
    form.total = Formula("=PERF_TOTAL(H6,H14:H43)")
    form.grade = Formula("=PERF_GRADE(H44)")
    assert not [f for f in validate_form(form) if f.severity == "error"]


def test_a_broken_check_is_reported_not_fatal(monkeypatch):
    chk = REGISTRY["selfeval_total"]

    def boom(ctx):
        raise RuntimeError("boom")

    monkeypatch.setitem(
        REGISTRY, "selfeval_total", chk.__class__(chk.name, chk.forms, chk.codes, boom)
    )
    found = validate_form(longgang1(total=100))
    assert "CHECK_FAILED" in {f.code for f in found}
    assert ("ACTUAL_IS_CONSTRAINT", "F23") in pairs(found)


def test_registry_is_documented():
    for chk in REGISTRY.values():
        assert chk.doc, chk.name
        assert chk.codes, chk.name
    for doc in CODES.values():
        assert doc.title and doc.example and doc.fix


def test_docs_findings_md_is_generated_from_registry():
    assert DOCS.read_text(encoding="utf-8") == render(), (
        "run: python -m perfkit.validate.docs > docs/findings.md"
    )
