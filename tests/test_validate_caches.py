"""The short paths and caches of the validator give what the long way gives.

``validate_form`` keeps per-form caches (filled rows, row labels, row states)
and a few across forms (readings of a text, names of a kind, cell sort keys):
none may leak one form's findings into another's.
"""

from __future__ import annotations

from enum import Enum

from perfkit import targets
from perfkit.model import Formula, FundRow
from perfkit.validate import validate_form
from perfkit.validate.common import (
    kind_is,
    located_fields,
    located_objects,
    reading,
    row_grid,
    row_label,
    rows,
)
from perfkit.validate.core import Context, _cell_key
from perfkit.values import UNKNOWN, excel_error, read_number, text_of

from .test_validate import futian_table, longgang1, longgang2


def as_tuples(findings):
    return [(f.code, f.sheet, f.cell, f.severity, f.message) for f in findings]


def test_forms_validated_in_turn_keep_their_own_findings():
    forms = [longgang1(), longgang2(), futian_table(), longgang1(exec_rate=Formula("=X", "#REF!"))]
    alone = [as_tuples(validate_form(f)) for f in forms]
    for _ in range(2):
        assert [as_tuples(validate_form(f)) for f in forms] == alone
    assert alone[0] != alone[3]


def test_whole_step_candidates_named_three_at_most():
    table = futian_table()
    row = next(i for i in table.indicators if i.level3 == "辖区群众满意度")
    row.score = 0  # every actual below 60 % gives 0: many whole steps fit
    found = [f for f in validate_form(table) if f.code == "RULE_NOT_DERIVABLE"]
    assert [f.cell for f in found] == ["I38"]
    assert found[0].message.endswith("按规则需实际值为 59%、58%、57%")


def test_excel_error_values():
    assert excel_error(" #div/0! ") == "#DIV/0!"
    assert excel_error(Formula("=A1/B1", "#N/A")) == "#N/A"
    assert excel_error("#1 项目") is None
    assert excel_error("正常") is None
    assert excel_error(Formula("=A1")) is None
    assert excel_error(None) is None
    assert excel_error(3.0) is None


def test_text_of_and_read_number():
    assert text_of("  年度指标 ") == "年度指标"
    assert text_of(12.0) == "12"
    assert text_of(Formula("=A1")) == ""
    assert text_of(Formula("=A1", 2.5)) == "2.5"
    assert text_of(None) == ""
    assert read_number(None) == (None, None)
    assert read_number("—") == (None, None)
    value, problem = read_number("约2万")
    assert value is UNKNOWN
    assert problem is not None and problem[0] == "NOT_A_NUMBER"


def test_reading_is_targets_read_of_the_text():
    ctx = Context(longgang1(), None)  # a profile is not needed to read text
    for raw in ("≥90%", " 95% ", "不适用", "", None, 8.0, Formula("=A1", "完成")):
        assert reading(ctx, raw) == targets.read(text_of(raw) or None)


def test_kind_is_by_name_or_value():
    class Reading:
        def __init__(self, kind):
            self.kind = kind

    class Other(Enum):
        ODD = "quantitative"

    assert kind_is(targets.read("≥90%"), "QUANTITATIVE")
    assert not kind_is(targets.read("≥90%"), "QUALITATIVE")
    assert kind_is(targets.read("不适用"), "NOT_APPLICABLE")
    assert kind_is(Reading("quantitative"), "QUANTITATIVE")
    assert kind_is(Reading(Other.ODD), "ODD") and kind_is(Reading(Other.ODD), "QUANTITATIVE")
    assert not kind_is(Reading(None), "EMPTY")
    assert not kind_is(object(), "EMPTY")


def test_located_objects_group_located_fields():
    for form in (longgang1(), futian_table()):
        flat = [(obj, name) for obj, names in located_objects(form) for name in names]
        assert flat == list(located_fields(form))
    assert not any(isinstance(obj, FundRow) for obj, _ in located_fields(futian_table()))


def test_cell_key_orders_rows_then_columns():
    assert _cell_key("AA10") == (10, 27)
    assert _cell_key("b3") == (3, 2)
    assert _cell_key("") == (0, 0)


def test_row_views_hold_what_the_cells_say():
    for form in (longgang1(), futian_table()):
        ctx = Context(form, None)
        views = rows(ctx)
        assert [row.ind for row in views] == [i for i in form.indicators if not i.is_blank()]
        assert [row.ind if row else None for row in row_grid(ctx)] == [
            None if i.is_blank() else i for i in form.indicators
        ]
        for row in views:
            assert row.label == row_label(row.ind)
            for name, text in row.texts.items():
                assert text == text_of(getattr(row.ind, name))
                assert row.reading(name) == reading(ctx, getattr(row.ind, name))
                for kind in ("QUANTITATIVE", "QUALITATIVE", "NOT_APPLICABLE", "UNREADABLE"):
                    assert (kind in row.kinds(name)) == kind_is(row.reading(name), kind)


def test_row_views_take_texts_the_assessment_read():
    from perfkit.assess import _EvalTable, _SelfEval
    from perfkit.model import EVAL_TABLE, SELF_EVAL
    from perfkit.validate.common import ROW_TEXTS

    assert set(ROW_TEXTS[SELF_EVAL]) <= set(_SelfEval.texts)
    assert set(ROW_TEXTS[EVAL_TABLE]) <= set(_EvalTable.texts)
    form = longgang1()
    form.indicators.insert(0, form.indicators[0])  # one row object listed twice: one view
    views = rows(Context(form, None))
    assert views[0] is views[1]
    assert [row.ind for row in views] == [i for i in form.indicators if not i.is_blank()]


def test_read_number_short_paths_give_the_long_way():
    from perfkit.numbers import to_decimal

    for raw in (0.0, -0.0, 12.5, 1937189.02, -2000.0, 1e20):
        assert read_number(raw) == (to_decimal(raw), None)
    assert read_number(float("nan"))[0] is UNKNOWN
    assert read_number(float("inf"))[1][0] == "NOT_A_NUMBER"
    assert read_number(Formula("=A1")) == (UNKNOWN, None)
    assert read_number(Formula("=A1", 3.0)) == (to_decimal(3.0), None)


def test_formula_error_scan_finds_errors_among_plain_cells():
    form = longgang1()
    row = next(i for i in form.indicators if not i.is_blank())
    row.target = "#1 项目 ≥ 90%"  # a "#" that is no error value
    row.weight = 10  # a whole number, not a float
    row.score = Formula("=X", "#DIV/0!")
    form.funds["total"].executed = " #value! "
    found = [f.cell for f in validate_form(form) if f.code == "FORMULA_ERROR"]
    assert found == ["E6", f"H{row.row}"]


def test_formula_error_scan_passes_by_only_cells_without_an_error_value():
    """…or without a result (FORMULA_NOT_COMPUTED)."""
    from perfkit.validate.common import _may_hold_error

    class Text(str):
        pass

    cells = [None, 0.0, 7, "正常", "#1 项目", " #ref! ", Text("#N/A"), True, Formula("=A1")]
    cells += [Formula("=A1", v) for v in (3.0, 10, True, "完成", "#DIV/0!", Text("#NUM!"))]
    for raw in cells:
        if excel_error(raw) is not None:
            assert _may_hold_error((raw,)), raw
    assert not _may_hold_error((None, 1.5, 10, "≥90%", Formula("=A1", 8.0)))
    assert _may_hold_error((None, Formula("=A1")))  # never computed: looked at


def test_row_numbers_from_the_assessment_are_the_cells_numbers():
    from perfkit.assess import assess

    form = longgang1()
    filled = [i for i in form.indicators if not i.is_blank()]
    filled[0].weight = "约10分"  # text that is no number: reported once, named by the row
    filled[1].score = Formula("=X", "#VALUE!")
    filled[2].score = 1e30  # beyond any score
    read, taken = Context(form, None), Context(form, None)
    a = assess(form)
    for one, other in zip(rows(read), rows(taken), strict=True):
        cells = one.weight_and_score(read, "分值")
        assert other.weight_and_score(taken, "分值", a.row_of(other.ind)) == cells
    assert read.pending and as_tuples(taken.pending) == as_tuples(read.pending)


def test_rules_read_once_per_text_are_the_rules_of_the_text():
    from perfkit import rules
    from perfkit.validate.evaltable import _parse_rule

    for row in futian_table().indicators:
        text = text_of(row.rule)
        assert _parse_rule(text) == rules.parse_rule(text or None)
