"""The Excel functions called as xlwings calls them: floats, text numbers,
blanks as None, ranges as nested lists, error values as text."""

import inspect

import pytest
from hypothesis import given
from hypothesis import strategies as st

import udfs
from udfs import (
    EXEC_RATE,
    EXEC_SCORE,
    PERF_DEDUCT,
    PERF_GRADE,
    PERF_PARSE,
    PERF_RULE,
    PERF_SCORE,
    PERF_TOTAL,
)


def test_exec_rate_and_score_from_seed_cells():
    assert EXEC_RATE(1937189.02, 1959300.0) == 98.87
    assert EXEC_SCORE(1937189.02, 1959300.0, 10.0, "mof2020") == 9.89
    assert EXEC_RATE("376,056.50", "378,500.00") == 99.35
    assert EXEC_SCORE("376,056.50", "378,500.00") == 9.94
    assert EXEC_SCORE(27500.0, 27500.0, None, None) == 10.0
    assert EXEC_SCORE(180.57, 182.2, 3, "futian2021") == 2.91


def test_blanks_give_an_empty_looking_cell():
    assert EXEC_RATE(None, None) == ""
    assert EXEC_SCORE(None, 1959300.0) == ""
    assert PERF_SCORE(None, None, None) == ""
    # a weighted row whose actual is still empty says so: the total names it
    assert PERF_SCORE("≥2家", None, 10.0) == "【未计分】缺少实际完成值"
    assert PERF_RULE("≥8次得6分", None, 6.0) == "【未计分】缺少实际值"
    assert PERF_GRADE(None) == ""
    assert PERF_PARSE(None) == ""


@pytest.mark.parametrize(
    ("call", "fragment"),
    [
        (lambda: EXEC_RATE("一百万", 100.0), "不是数字"),
        (lambda: EXEC_RATE(5.0, 0.0), "为 0"),
        (lambda: EXEC_RATE(5.0, -1.0), "负数"),
        (lambda: EXEC_RATE("#DIV/0!", 100.0), "#DIV/0!"),
        (lambda: EXEC_SCORE(5.0, 10.0, 10.0, "shenzhen2099"), "未知的评分规则"),
        (lambda: PERF_SCORE("≥2家", "2家", "十分"), "不是数字"),
        (lambda: PERF_SCORE("≥2家", "2家", None), "缺少分值"),
        (lambda: PERF_SCORE("≥2家", "2家", 10.0, "sideways"), "方向"),
        (lambda: PERF_SCORE("≥2家", "2人", 10.0), "单位不一致"),
        (lambda: PERF_TOTAL([[1.0], ["请手工评分"]]), "非数字"),
        (lambda: PERF_TOTAL([[1.0], ["#VALUE!"]]), "#VALUE!"),
        (lambda: PERF_GRADE("优秀"), "不是数字"),
        (lambda: PERF_DEDUCT(85.0, 90.0, 6.0, 0.0, 1.0), "步长"),
        (lambda: PERF_DEDUCT(85.0, None, 6.0, 1.0, 1.0), "必须填写"),
        (lambda: EXEC_RATE([[1.0, 2.0]], 3.0), "单个单元格"),
    ],
)
def test_bad_input_gives_chinese_message_not_exception(call, fragment):
    result = call()
    assert isinstance(result, str) and fragment in result


def test_perf_score_seed_rows():
    assert PERF_SCORE("新增党组织覆盖企业≥2家", "2家", 10.0) == 10.0
    assert PERF_SCORE("5家商协会的成立、换届", "成立1家换届1家", 10.0) == 4.0
    assert PERF_SCORE("辖属各党组织对党委工作满意度 \\geq 九十", "100%", 10.0) == 10.0
    assert PERF_SCORE("不适用", "不适用", 0.0) == 0.0
    assert PERF_SCORE("3%", "5%", 10.0, "", "预算调整率", "mof2020") == 6.0
    assert PERF_SCORE("≥8次", "11次", 6.0, None, None, "platform") == 4.0


def test_perf_deduct_and_rule():
    assert PERF_DEDUCT(7.0, 8.0, 6.0, 1.0, 2.0) == 4.0
    assert PERF_DEDUCT(0.85, 0.9, 6.0, 0.01, "3%", 0.6) == 5.1
    assert PERF_DEDUCT("85%", "90%", 6.0, "1%", "3%", "60%") == 5.1
    assert (
        PERF_RULE(
            "活动开展次数≥8次得6分，完成情况每下降1次，扣2分，扣完为止。", "10次", 6.0, "≥8次"
        )
        == 6.0
    )
    assert PERF_RULE("执行率每降低 1% 扣 0.1 分，扣完为止", "99.11%", 3.0, "100%") == 2.91
    assert PERF_RULE("有效助力得6分", "有效", 6.0, "有效") == 6.0
    assert "手工评分" in PERF_RULE("由专家打分", "较好", 6.0, None)


def test_perf_total_over_ranges_and_blanks():
    scores = [
        [9.89],
        [10.0],
        [10.0],
        [10.0],
        [10.0],
        [10.0],
        [10.0],
        [10.0],
        [10.0],
        [0.0],
        [10.0],
        [None],
        [""],
    ]
    assert PERF_TOTAL(scores) == 99.89
    assert (
        PERF_TOTAL(
            9.94, [[20.0], [10.0], [10.0], [4.0], [10.0], [10.0], [10.0], [0.0], [10.0], [0.0]]
        )
        == 93.94
    )


def test_perf_grade_schemes():
    assert PERF_GRADE(96.97) == "优"
    assert PERF_GRADE(89.5) == "良"
    assert PERF_GRADE(69.99, "futian2021") == "低"
    assert PERF_GRADE(69.99) == "中"


def test_perf_parse():
    assert PERF_PARSE("≥90%") == "≥ 90 %"
    assert "5" in PERF_PARSE("5-8家") and "8" in PERF_PARSE("5-8家")


def test_every_udf_is_documented_for_the_function_wizard():
    for name in udfs.__all__:
        fn = getattr(udfs, name)
        assert fn.__doc__ and any("\u4e00" <= c <= "\u9fff" for c in fn.__doc__), name
        params = [p for p in inspect.signature(fn).parameters if p != "ranges"]
        assert params or name == "PERF_TOTAL"


@given(
    st.one_of(st.none(), st.text(), st.floats(), st.integers()),
    st.one_of(st.none(), st.text(), st.floats()),
)
def test_udfs_never_raise(a, b):
    for fn in (EXEC_RATE, EXEC_SCORE):
        fn(a, b)
    PERF_SCORE(a, b, 10.0)
    PERF_SCORE("≥90%", b, a)
    PERF_RULE(a, b, 6.0, a)
    PERF_GRADE(a)
    PERF_PARSE(a)
    PERF_TOTAL([[a], [b]])


# ---------------------------------------------------------------- issue 11: one answer per row
EXEC_RULE = "与预期设定的支付进度完全匹配得 3 分，偏离预期设定的支付进度，执行率每降低 1% 扣 0.1 分，扣完为止。"
SATISFACTION = "满意度达到≥90%得6分，每降低1%，扣减权重分值的3%，低于60%不得分"


def test_not_met_is_never_full_marks():
    assert PERF_SCORE("≥90%", "满意度较低", 10) == 0.0


@pytest.mark.parametrize(("target", "actual"), [("≥8次", "待统计"), ("≥95%", "暂无数据")])
def test_not_measured_shows_a_message_not_a_number(target, actual):
    shown = PERF_SCORE(target, actual, 10)
    assert shown == f"【未计分】实际完成值“{actual}”没有实测结果，无法计分"
    named = PERF_SCORE(target, actual, 10, "", "活动开展次数")
    assert named.startswith("【未计分】活动开展次数：")


def test_perf_total_leaves_out_rows_marked_not_applicable():
    # 龙岗 forms write 不适用 in unused rows; others — or 无
    assert PERF_TOTAL([[9.89], [10.0], ["不适用"], ["—"], ["无"], [80.0]]) == 99.89
    assert PERF_TOTAL(9.94, [[84.0], ["不适用"]]) == 93.94


def test_perf_total_names_the_row_without_a_score():
    row = PERF_SCORE("≥8次", "待统计", 10, "", "活动开展次数")
    shown = PERF_TOTAL([[9.89], [row], [80.0]])
    assert shown.startswith("总分暂缺：活动开展次数未计分") and "待统计" in shown
    other = PERF_SCORE("≥95%", "暂无数据", 10, "", "服务对象满意度")
    assert PERF_TOTAL([[row], [other]]) == "总分暂缺：活动开展次数、服务对象满意度 共 2 行未计分"


def test_perf_rule_computes_the_execution_row_from_the_header_amounts():
    assert PERF_RULE(EXEC_RULE, None, 3.0, None, "预算执行率", 180.57, 182.2) == 2.91
    assert PERF_RULE(EXEC_RULE, "", 3.0, "", "资金执行率", 180.57, 182.2, "mof2020") == 2.91
    assert PERF_RULE(None, None, 3.0, None, "预算执行率", 180.57, 182.2) == 2.97
    assert PERF_RULE(None, None, 3.0, None, "预算执行率", 180.57, 182.2, "futian2021") == 2.91
    assert PERF_RULE(EXEC_RULE, None, 3.0, None, "预算执行率", None, None) == (
        "【未计分】预算执行率：缺少实际值（或表头的全年执行数、全年预算数）"
    )
    # the old four-argument call is unchanged
    assert PERF_RULE(EXEC_RULE, "99.11%", 3.0, "100%") == 2.91


def test_perf_rule_one_answer_for_worded_actuals():
    shown = PERF_RULE(SATISFACTION, "开展满意度问卷调查，但未收到群众投诉", 6.0, "≥90%", "满意度")
    assert shown.startswith("【未计分】满意度：") and "请手工评分" in shown
    assert PERF_RULE("①a得1分②b得1分③c得1分", "部分完成", 3.0, "规范") == 1.8


def test_platform_profile_through_the_cells():
    assert PERF_SCORE("≤3万", "3.3万元", 10.0) == 9.09
    assert PERF_SCORE("≤3万", "3.3万元", 10.0, "", "", "platform") == 9.0
    assert PERF_GRADE(90, "platform_gt90") == "良" and PERF_GRADE(80, "platform80") == "优"


# ---------------------------------------------------------------- issue 12 item 8
def test_huge_numbers_give_a_chinese_message():
    for value in (1e26, 1e30, "1e30", 10**40):
        shown = EXEC_RATE(value, 1.0)
        assert isinstance(shown, str) and "过大" in shown and "全年执行数" in shown
        assert "decimal" not in shown and "Invalid" not in shown
    assert "过大" in PERF_TOTAL([[1e30]])
    assert isinstance(PERF_SCORE("≥8次", "1e30次", 1e30), str)


def test_unexpected_errors_show_a_fixed_message(monkeypatch):
    from perfkit import scoring

    def broken(*args):
        raise KeyError("weight")

    monkeypatch.setattr(scoring, "indicator_score", broken)
    assert PERF_SCORE("≥8次", "10次", 6.0) == udfs.INTERNAL_ERROR
    assert "KeyError" not in udfs.INTERNAL_ERROR and "weight" not in udfs.INTERNAL_ERROR
