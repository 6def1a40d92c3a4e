"""Written 评分标准 of seed 004 (福田 2021 附件1) read and applied."""

from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from perfkit.rules import (
    BandRule,
    ChecklistRule,
    CountRule,
    DeductRule,
    DelayRule,
    ThresholdRule,
    eval_score,
    is_exec_row,
    parse_rule,
    rule_score,
)
from perfkit.scoring import ScoreKind, ScoreState

ACTIVITY = "活动开展次数≥8次得6分，完成情况每下降1次，扣2分，扣完为止。"
EXEC = "与预期设定的支付进度完全匹配得 3 分，偏离预期设定的支付进度，执行率每降低 1% 扣 0.1 分，扣完为止。"
SATISFACTION = (
    "依据满意度调查结果，满意度达到≥90%得6分，每降低1%，扣减权重分值的3%，低于60%不得分。"
)
PARTICIPATION = "活动开展人员参与率达到≥90%得6分，每降低1%，扣0.1分，扣完为止。"
COST = "严控项目支出，未发生超预算的情况得2分，发生超预算的情况该项不得分。"
LONG_TERM = (
    "①开展了绩效自评得2分，未开展该小项不得分； ②绩效评价结果按要求进行了公开得2分，"
    "未按要求公开该小项不得分； ③及时进行了整改反馈得2分，未整改或整改不及时该小项不得分。"
)
PROCEDURE = (
    "①项目是否按照规定的程序申请设立； ②所提交的文件、材料是否符合相关要求； "
    "③立项前期是否经过必要的需求调研、可行性研究或编制项目建议书。 "
    "若①②③齐全得权重100%；如不符合①得0分； 缺②扣权重30%，缺③扣权重30%。"
)
FINANCE = (
    "①资金、财务管理制度是否健全； ②财务资金审批、拨付、使用流程是否规范； ③是否建立财务跟踪审计制度； "
    "④是否建立项目资金管理办法。 若①②③④齐全得权重分的 100%，缺①扣权重分的 30%，"
    "缺②扣权重分的 30%，缺③扣权重分的 20%；缺④扣权重分的 20%。"
)
GOALS_5 = (
    "①2020年其他工作项目按相关规定设立了绩效目标； ②项目绩效目标与实际工作内容具有相关性； "
    "③项目预期产出效益和效果符合正常的业绩水平； ④项目与预算确定的项目投资额或资金量相匹配； "
    "⑤项目绩效目标的设置符合预算绩效管理制度，目标规范合理。五项均符合得权重分 100%，"
    "每项占权重的 1/5，符合得到相应权重分，否则不得分。"
)
GOALS_3 = (
    "①设定了明确的绩效目标得 1 分，绩效目标不明确或不清晰，该小项不得分； "
    "②绩效目标合理、全面的反映了项目的所有实施内容得 1 分，每发现一项未设定绩效目标，扣 0.1 分，"
    "该小项分值扣完为止； ③绩效目标符合实际情况，各项目标准确、可测量得 1 分，每发现一项绩效目标"
    "设置脱离实际、未细化量化或设置不规范（含未设指标）扣 0.1 分，该小项分值扣完为止。"
)


def test_shapes():
    assert isinstance(parse_rule(ACTIVITY), DeductRule)
    assert isinstance(parse_rule(EXEC), DeductRule)
    assert isinstance(parse_rule(SATISFACTION), DeductRule)
    assert isinstance(parse_rule(COST), ThresholdRule)
    for text in (LONG_TERM, PROCEDURE, FINANCE, GOALS_5, GOALS_3):
        assert isinstance(parse_rule(text), ChecklistRule), text
    assert parse_rule("") is None
    assert parse_rule("有效助力民营企业经济发展") is None


def test_activity_count_rule():
    rule = parse_rule(ACTIVITY)
    assert (rule.benchmark, rule.step, rule.per_step) == (D(8), D(1), D(2))
    assert rule.score("10次", 6) == D("6.00")  # published 6
    assert rule.score("7次", 6) == D("4.00")


def test_execution_rule_gives_2_91_against_published_2_97():
    rule = parse_rule(EXEC)
    assert rule.benchmark == D(100)
    assert rule.score("99.11%", 3) == D("2.91")  # F-3: published 2.97
    assert rule.score("100%", 3) == D("3.00")


def test_satisfaction_rule():
    rule = parse_rule(SATISFACTION)
    assert rule.per_step_of_weight and rule.per_step == D(3) and rule.zero_below == D(60)
    assert rule.score("90%", 6) == D("6.00")
    assert rule.score("85%", 6) == D("5.10")
    assert rule.score("59%", 6) == D("0.00")
    assert rule.score("100%", 6) == D("6.00")


def test_worded_actual_against_numeric_benchmark_is_not_derivable():
    # F-4: 「开展满意度问卷调查，但未收到群众投诉」 is no satisfaction rate
    assert parse_rule(SATISFACTION).score("开展满意度问卷调查，但未收到群众投诉", 6) is None
    assert parse_rule(ACTIVITY).score("按计划开展", 6, "≥8次") is None


def test_participation_rule():
    assert parse_rule(PARTICIPATION).score("100%", 6) == D("6.00")
    assert parse_rule(PARTICIPATION).score("80%", 6) == D("5.00")


def test_cost_threshold_rule_uses_benchmark():
    rule = parse_rule(COST)
    assert rule.score("99.11%", 2, "≤100%") == D("2.00")  # published 2
    assert rule.score("101%", 2, "≤100%") == D("0.00")
    # a bare actual is in the 标杆值's unit: 180 万元 is over 175 万元, 170 万元 is not
    assert rule.score("180", 2, "≤175万元") == D("0.00")
    assert rule.score("170", 2, "≤175万元") == D("2.00")


def test_checklist_max_points_equal_weights():
    # F-11 positive checks: rule maxima equal the weights
    assert parse_rule(GOALS_3).max_points(3) == D("3.00")
    assert parse_rule(GOALS_5).max_points(2) == D(2)
    # F-7: the written rule of 长效管理机制 gives 6 (2+2+2), the text says 4
    assert parse_rule(LONG_TERM).max_points(6) == D("6.00")
    fin = parse_rule(FINANCE)
    assert sum(fin.deductions.values()) == D(1)


def test_checklist_scores():
    assert parse_rule(LONG_TERM).score("开展", 6, "开展") == D("6.00")
    assert parse_rule(LONG_TERM).score("缺③", 6) == D("4.00")
    assert parse_rule(PROCEDURE).score("缺③", 2) == D("1.40")
    assert parse_rule(PROCEDURE).score("不符合①", 2) == D("0.00")
    assert parse_rule(PROCEDURE).score("规范", 2, "规范") == D("2.00")
    assert parse_rule(GOALS_5).score("缺②", 2) == D("1.60")
    assert parse_rule(GOALS_5).score("①②③④⑤", 2) == D("2.00")
    assert parse_rule(FINANCE).score("缺③④", 5) == D("3.00")


def test_rule_score_falls_back_to_benchmark():
    assert rule_score("有效助力民营企业经济发展得6分", "有效", 6, "有效") == D("6.00")
    assert rule_score(None, "10次", 6, "≥8次") == D("6.00")
    assert rule_score(None, "6次", 6, "≥8次") == D("4.50")
    assert rule_score(None, "随便", 6, None) is None


@given(st.text())
def test_parse_rule_never_raises(text):
    rule = parse_rule(text)
    if rule is not None:
        rule.describe()
        rule.score(text, 5, text)


@pytest.mark.parametrize("actual", ["100%", "95%", "90%", "75%", "61%", "60%", "10%"])
def test_satisfaction_scores_within_weight(actual):
    value = parse_rule(SATISFACTION).score(actual, 6)
    assert D(0) <= value <= D(6)


# ---------------------------------------------------------------- issue 11: eval_score

CHECKLIST = "①设定了绩效目标得1分 ②目标合理得1分 ③目标可测量得1分"


@pytest.mark.parametrize(
    "name", ["预算执行率", "资金执行率", "执行率", "资金支付率", "预算 执行率"]
)
def test_exec_row_by_name_from_the_vocabulary(name):
    assert is_exec_row(name)
    # 福田 预算执行率: written rule, weight 3, actual blank, amounts 180.57 / 182.2 -> 2.91
    s = eval_score(EXEC, None, 3, None, name, "180.57", "182.2")
    assert (s.value, s.kind, s.state) == (D("2.91"), ScoreKind.RULE_DEDUCT, ScoreState.SCORED)
    assert "99.11%" in s.how and "180.57 ÷ 182.2" in s.how


def test_not_exec_rows():
    for name in ("政府采购执行率", "制度执行有效性", "活动开展次数", "", None, 3.0):
        assert not is_exec_row(name)


def test_a_rule_text_read_again_gives_the_same_rule():
    from perfkit.rules import parse_rule

    first = parse_rule(CHECKLIST)
    assert first is not None and parse_rule(CHECKLIST) is first  # from the cache
    assert parse_rule(" \n ") is None and parse_rule(None) is None and parse_rule(True) is None
    for text in ("每降低1个百分点扣0.5分", "每降低1个百分点扣0.5分 "):  # each keeps its own text
        assert parse_rule(text).text == text


def test_exec_row_names_asked_again_give_the_same_answer():
    class Name(str):
        pass

    names = ("预算执行率", " 资金\n执行率 ", "政府采购执行率", "活动开展次数", "  ")
    first = [is_exec_row(n) for n in names]
    assert first == [True, True, False, False, False]
    assert [is_exec_row(n) for n in names] == first  # from the cache
    assert [is_exec_row(Name(n)) for n in names] == first


def test_exec_row_without_a_rule_takes_the_profile_exec_rule():
    s = eval_score(None, None, 3, None, "预算执行率", 180.57, 182.2)
    assert (s.value, s.kind) == (D("2.97"), ScoreKind.EXEC)  # mof2020: 3 × 99.11 %
    s = eval_score(None, None, 3, None, "预算执行率", 180.57, 182.2, "futian2021")
    assert s.value == D("2.91") and "futian2021" in s.how
    # a typed actual is used as it is
    assert eval_score(None, "100%", 3, None, "预算执行率", 180.57, 182.2).value == D("3.00")
    # no amounts, no actual: nothing to score (a blank cell)
    assert eval_score(EXEC, None, 3, None, "预算执行率").state is ScoreState.EMPTY


def test_exec_row_falls_back_to_the_profile_rule_when_the_rule_cannot_use_the_actual():
    s = eval_score(EXEC, "按进度支付", 3, None, "预算执行率", 180.57, 182.2)
    assert (s.value, s.kind) == (D("2.97"), ScoreKind.EXEC)
    assert "评分标准无法用实际值计算" in s.how


def test_futian_seed_rows():
    # 辖区群众满意度: the rule needs a satisfaction rate; the evaluator's typed 3 stands
    s = eval_score(
        SATISFACTION, "开展满意度问卷调查，但未收到群众投诉", 6, "≥90%", "辖区群众满意度"
    )
    assert s.value is None and s.state is ScoreState.UNDERIVABLE
    assert "请手工评分" in s.note and s.kind == ScoreKind.RULE_DEDUCT
    # 活动开展次数 ≥8次, actual 10次 -> 6; 成本控制率 ≤100 %, actual 99.11 % -> 2
    assert eval_score(ACTIVITY, "10次", 6, "≥8次", "活动开展次数").value == D("6.00")
    s = eval_score(COST, "99.11%", 2, "≤100%", "成本控制率")
    assert (s.value, s.kind) == (D("2.00"), ScoreKind.RULE_THRESHOLD)


def test_checklist_with_a_worded_actual_takes_the_band_of_its_wording():
    # one answer: 部分完成 -> 部分达成, [60 %, 80 %) of 3, the low end 1.80
    s = eval_score(CHECKLIST, "部分完成", 3, "规范")
    assert (s.value, s.state, s.level) == (D("1.80"), ScoreState.BAND, "部分达成")
    assert s.band == (D("1.80"), D("2.40")) and s.kind == ScoreKind.RULE_CHECKLIST
    assert eval_score(CHECKLIST, "未完成", 3, "规范").value == D("0.00")
    assert eval_score(CHECKLIST, "缺③", 3).value == D("2.00")  # itemised: the rule itself
    assert eval_score(CHECKLIST, "规范", 3, "规范").value == D("3.00")


def test_not_measured_in_an_evaluation_row():
    for rule in (SATISFACTION, CHECKLIST, None):
        s = eval_score(rule, "待统计", 6, "≥90%", "满意度")
        assert s.value is None and s.state is ScoreState.NOT_MEASURED


def test_benchmark_comparison_without_a_rule():
    s = eval_score(None, "6次", 6, "≥8次", "活动开展次数")
    assert (s.value, s.kind, s.state) == (D("4.50"), ScoreKind.BENCHMARK, ScoreState.SCORED)
    assert s.how.startswith("与标杆值比较：")
    s = eval_score("由专家打分", "较好", 6, None)
    assert s.state is ScoreState.UNDERIVABLE and "手工评分" in s.note
    assert eval_score(None, "不适用", 0, None).state is ScoreState.NOT_APPLICABLE


def test_rule_score_is_the_value_of_eval_score():
    # formerly the satisfaction rule fell back to the 标杆值 and gave full marks (6)
    assert rule_score(SATISFACTION, "开展满意度问卷调查，但未收到群众投诉", 6, "≥90%") is None
    assert rule_score(CHECKLIST, "部分完成", 3, "规范") == D("1.80")


def test_numbers_beyond_the_bounds_in_a_rule_text_are_not_a_rule():
    assert parse_rule("每降低1%扣" + "9" * 40 + "分") is None
    assert parse_rule("①a②b，每项各占权重的1/0") is not None  # a zero denominator: equal shares
    assert eval_score("①a②b各占1/0", "①②", 2).value == D("2.00")


# Satisfaction rules as evaluation tables write them: a threshold for full marks
# ("得满分", not "得 N 分") and a deduction per point below it ("每低", "每降低").
@pytest.mark.parametrize(
    ("text", "actual", "expected"),
    [
        ("满意度≥90%得满分，每低1个百分点扣1分", "88%", "48"),  # 50 − 2 × 1
        ("满意度≥90%得满分，每低1个百分点扣1分", "93%", "50"),
        ("满意度达到90%及以上得满分，每降低1个百分点扣1分", "88%", "48"),
        ("满意度90%以上的得满分，每低1个百分点扣2分", "85.5%", "41"),  # 4.5 points below × 2
        ("投诉率每高1个百分点扣5分", "2%", None),  # a ceiling without its level: not derivable
    ],
)
def test_satisfaction_thresholds(text, actual, expected):
    rule = parse_rule(text)
    assert isinstance(rule, DeductRule)
    got = rule.score(actual, 50)
    assert got == (None if expected is None else D(expected))


@pytest.mark.parametrize(
    ("text", "actual", "weight", "expected"),
    [
        ("合格率达到95%得满分，低于95%按比例得分", "90%", 10, "9.47"),  # 10 × 90 / 95
        ("合格率达到95%得满分，低于95%按比例得分", "96%", 10, "10"),
        ("合格率达到95%得满分，低于95%按比例得分", "50%", 10, "5.26"),
        ("资金到位率100%得满分，未达到的按比例计分", "80%", 5, "4"),
        ("覆盖率≥90%的得满分；低于90%按完成比例得分", "45%", 8, "4"),
    ],
)
def test_proportional_below_a_level(text, actual, weight, expected):
    rule = parse_rule(text)
    assert isinstance(rule, DeductRule) and "按比例" in rule.describe()
    assert rule.score(actual, weight) == D(expected)
    assert rule_score(text, actual, weight) == D(expected)


# 分档计分: the bands as written; the scores are the rules' own arithmetic.
SATISFACTION_BANDS = "满意度90%（含）以上得5分，80%（含）-90%得3分，80%以下不得分"
COMPLETION_BANDS = "完成率≥95%得满分；90%-95%得80%分值；低于90%不得分"
LADDER = "达到100%得3分；达到80%得2分；达到60%得1分；低于60%不得分"


@pytest.mark.parametrize(
    ("text", "actual", "weight", "expected"),
    [
        (SATISFACTION_BANDS, "95%", 5, "5"),
        (SATISFACTION_BANDS, "90%", 5, "5"),  # 90 %（含）以上
        (SATISFACTION_BANDS, "89.9%", 5, "3"),
        (SATISFACTION_BANDS, "80%", 5, "3"),  # 80 %（含）
        (SATISFACTION_BANDS, "79.9%", 5, "0"),
        (COMPLETION_BANDS, "95%", 10, "10"),
        (COMPLETION_BANDS, "92%", 10, "8"),  # 80 % of 10
        (COMPLETION_BANDS, "90%", 10, "8"),
        (COMPLETION_BANDS, "89%", 10, "0"),
        (LADDER, "100%", 3, "3"),
        (LADDER, "85%", 3, "2"),
        (LADDER, "60%", 3, "1"),
        (LADDER, "59%", 3, "0"),
        # the ladder written upwards gives the same (the better band where two hold)
        ("达到60%得1分；达到80%得2分；达到100%得3分；低于60%不得分", "85%", 3, "2"),
        ("满意度≥90%得5分，80%≤满意度<90%得3分，满意度<80%得0分", "80%", 5, "3"),
        ("满意度≥90%得5分，80%≤满意度<90%得3分，满意度<80%得0分", "79%", 5, "0"),
        ("100%得满分，80%-100%得一半分，80%以下不得分", "90%", 4, "2"),
        ("≥90%得5分，低于90%不得分", "89%", 5, "0"),
        ("覆盖率达到90%得满分，未达到不得分", "80%", 4, "0"),
        ("依据满意度调查结果，满意度在90%以上的得6分，80%-90%的得4分，其余不得分", "85%", 6, "4"),
        ("95%以上得10分，90%-95%得8分，85%-90%得6分，85%以下得0分", "87%", 10, "6"),
        # lower is better: a ceiling and bands above it
        ("投诉率≤1%得满分，1%-3%得一半分值，3%以上不得分", "1%", 6, "6"),
        ("投诉率≤1%得满分，1%-3%得一半分值，3%以上不得分", "2%", 6, "3"),
        ("投诉率≤1%得满分，1%-3%得一半分值，3%以上不得分", "4%", 6, "0"),
        ("培训10次及以上得4分，5-10次得2分，5次以下不得分", "7次", 4, "2"),
        ("满意度≥95%得满分，否则得2分", "90%", 4, "2"),
    ],
)
def test_band_rules(text, actual, weight, expected):
    rule = parse_rule(text)
    assert isinstance(rule, BandRule), text
    assert rule.score(actual, weight) == D(expected)
    s = eval_score(text, actual, weight)
    assert (s.value, s.kind, s.state) == (D(expected), ScoreKind.RULE_BAND, ScoreState.SCORED)
    assert s.how.startswith("评分标准：分档计分：")


def test_band_rule_described_and_its_full_marks():
    rule = parse_rule(SATISFACTION_BANDS)
    assert rule.describe() == "分档计分：≥90%得5分；80%（含）–90%得3分；<80%不得分"
    assert rule.max_points(5) == D("5.00") and rule.max_points(6) == D("5.00")
    assert parse_rule(COMPLETION_BANDS).describe() == (
        "分档计分：≥95%得满分；90%（含）–95%得分值的80%；<90%不得分"
    )


def test_band_rule_without_a_rest_derives_nothing_outside_its_bands():
    """「90%以上得5分，80%-90%得3分」 says nothing of 70 %: no score is made up."""
    text = "90%以上得5分，80%-90%得3分"
    assert parse_rule(text).score("70%", 5) is None
    assert eval_score(text, "70%", 5).state is ScoreState.UNDERIVABLE
    # a worded actual, or another unit, is not measured against % bands
    assert eval_score(text, "明显提升", 5).state is ScoreState.UNDERIVABLE
    assert parse_rule(text).score("5次", 5) is None


@pytest.mark.parametrize(
    "text",
    [
        "按时完成得满分，延期完成得一半分",  # bands in words
        "完成得满分，否则酌情扣分",
        "≥8次得6分，完成情况每下降1次，扣2分，扣完为止",  # a deduction rule
        "合格率达到95%得满分，低于95%按比例得分",  # proportional
        "严控项目支出，未发生超预算的情况得2分，发生超预算的情况该项不得分。",
        "满意度达到90%得5分",  # one band and no rest: the 标杆值 comparison stays
        "2023年完成率90%以上、质量达标得5分，其余不得分",  # two numbers, no range
    ],
)
def test_not_band_rules(text):
    assert not isinstance(parse_rule(text), BandRule)


def test_band_rule_in_an_evaltable(tmp_path):
    """A band rule whose top band gives 5 on a row weighted 6 is RULE_MAX_WEIGHT
    at the rule; a score outside the actual's band is found at its cell."""
    from tests.test_unseen_layouts import _evaltable, _findings

    path = tmp_path / "评分表.xlsx"
    wb, ws = _evaltable("社区养老服务补助", ("分值", "评分标准", "实际完成值", "得分"))
    ws.append(["效益", "满意度", "服务对象满意度", 6, SATISFACTION_BANDS, "85%", 3])
    ws.append(["产出", "产出数量", "助餐服务人次", 94, "完成得满分", "完成", 94])
    ws.append(["合计", None, None, 100, None, None, 97])
    wb.save(path)
    # 3 of 6 with no 扣分原因 column: the reason is asked for at the score cell
    assert sorted(_findings(path)) == [
        ("DEDUCTION_REASON_MISSING", "G4"),
        ("RULE_MAX_WEIGHT", "E4"),
    ]
    ws["G4"], ws["G6"] = 5, 99  # 85 % is in the 3-point band
    wb.save(path)
    assert ("RULE_SCORE_MISMATCH", "G4") in _findings(path)


ON_TIME = "按时完成得满分，每延迟1天扣0.5分"
MONTHS = "按期完成得3分，每推迟一个月扣1分，扣完为止"


@pytest.mark.parametrize(
    ("text", "actual", "weight", "expected"),
    [
        (ON_TIME, "按时完成", 5, "5"),
        (ON_TIME, "提前10天完成", 5, "5"),
        (ON_TIME, "延迟3天", 5, "3.5"),  # 5 − 3 × 0.5
        (ON_TIME, "逾期3日", 5, "3.5"),
        (ON_TIME, "项目延期2天完成", 5, "4"),
        (ON_TIME, "2", 5, "4"),  # a bare number is in the rule's unit
        (ON_TIME, "延迟20天", 5, "0"),  # 扣完为止
        (MONTHS, "推迟2个月", 3, "1"),
        (MONTHS, "提前完成", 3, "3"),
        ("项目按计划时间完成得满分，每逾期1个月扣权重的20%", "逾期2个月", 10, "6"),
        ("每滞后1个工作日扣0.2分", "滞后3个工作日", 2, "1.4"),
    ],
)
def test_delay_rules(text, actual, weight, expected):
    rule = parse_rule(text)
    assert isinstance(rule, DelayRule), text
    assert rule.score(actual, weight) == D(expected)
    s = eval_score(text, actual, weight)
    assert (s.value, s.kind, s.state) == (D(expected), ScoreKind.RULE_DEDUCT, ScoreState.SCORED)


@pytest.mark.parametrize("actual", ["延迟1个月", "未按时完成", "未能如期完成", "100%", "基本完成"])
def test_delay_rule_does_not_guess(actual):
    """A delay in another unit, or words that give no delay, derive nothing."""
    assert parse_rule(ON_TIME).score(actual, 5) is None
    assert eval_score(ON_TIME, actual, 5).state is ScoreState.UNDERIVABLE


def test_delay_rule_described():
    assert parse_rule(MONTHS).describe() == "按时完成得满分，每延迟1个月扣1分，扣完为止"
    assert parse_rule(ON_TIME).max_points(5) == D(5)


def test_delay_beyond_what_a_form_holds_is_no_score():
    assert parse_rule(ON_TIME).score("延迟" + "9" * 40 + "天", 5) is None


# DOMAIN.md §4 (部门整体 interval scoring, glj.yueyang.gov.cn): the rules as published,
# each value as its own words give it.
KEY_SPENDING = (
    "重点支出安排率≥90%,计5分;80%(含)-90%,计4分;70%(含)-80%,计3分;60%(含)-70%,计2分;低于60%不得分。"
)
ADJUSTMENT = (
    "预算调整率=0,计3分;0-10%(含),计2分;10-20%(含),计1分;20-30%(含),计0.5分;大于30%不得分。"
)
THREE_PUBLIC = "以100%为标准。三公经费控制率≦100%,计6分; 每超过一个百分点扣1分,扣完为止。"


@pytest.mark.parametrize(
    ("text", "actual", "weight", "expected"),
    [
        (KEY_SPENDING, "95%", 5, "5"),
        (KEY_SPENDING, "90%", 5, "5"),
        (KEY_SPENDING, "85%", 5, "4"),
        (KEY_SPENDING, "80%", 5, "4"),  # 80%（含）
        (KEY_SPENDING, "65%", 5, "2"),
        (KEY_SPENDING, "59%", 5, "0"),
        (ADJUSTMENT, "0%", 3, "3"),
        (ADJUSTMENT, "5%", 3, "2"),
        (ADJUSTMENT, "10%", 3, "2"),  # 0-10%（含）
        (ADJUSTMENT, "15%", 3, "1"),
        (ADJUSTMENT, "30%", 3, "0.5"),
        (ADJUSTMENT, "35%", 3, "0"),
        (THREE_PUBLIC, "98%", 6, "6"),
        (THREE_PUBLIC, "103%", 6, "3"),  # 3 个百分点 over
        (THREE_PUBLIC, "110%", 6, "0"),  # 扣完为止
    ],
)
def test_published_interval_rules(text, actual, weight, expected):
    assert rule_score(text, actual, weight) == D(expected)


def test_published_interval_rules_read_as_written():
    assert isinstance(parse_rule(KEY_SPENDING), BandRule)
    assert parse_rule(ADJUSTMENT).describe() == (
        "分档计分：=0%得3分；0%（含）–10%（含）得2分；10%（含）–20%（含）得1分；"
        "20%（含）–30%（含）得0.5分；>30%不得分"
    )
    rule = parse_rule(THREE_PUBLIC)
    assert isinstance(rule, DeductRule) and rule.direction == "reverse"
    assert (rule.benchmark, rule.step, rule.per_step) == (D(100), D(1), D(1))


TIMELY = "其他工作项目活动开展及时得2分，每存在一项工作未及时完成扣1%权重分。"  # seed 004 附件1


@pytest.mark.parametrize(
    ("text", "actual", "expected"),
    [
        (TIMELY, "1项未及时完成", "1.98"),  # 2 − 1 × 1 % × 2
        (TIMELY, "有2项工作未及时完成", "1.96"),
        (TIMELY, "3", "1.94"),
        (TIMELY, "全部及时", "2"),
        (TIMELY, "及时", "2"),  # restates the 标杆值
        (TIMELY, "未发现", "2"),
        (TIMELY, "无", "2"),  # none found (not 不适用, as "无" is elsewhere)
        ("每发现1处问题扣0.5分", "发现3处问题", "0.5"),
        ("每项不符合扣0.5分，扣完为止", "2项不符合", "1"),  # the item is the step
        ("每项不符合扣0.5分，扣完为止", "全部符合", "2"),
        ("存在问题的，每个问题扣1分", "2个问题", "0"),
        ("每处问题扣0.2分", "无问题", "2"),
    ],
)
def test_count_rules(text, actual, expected):
    rule = parse_rule(text)
    assert isinstance(rule, CountRule)
    assert rule.score(actual, 2, "及时") == D(expected)
    assert eval_score(text, actual, 2, "及时").value == D(expected)


@pytest.mark.parametrize("actual", ["2人", "部分未及时"])
def test_count_rule_does_not_guess(actual):
    assert parse_rule(TIMELY).score(actual, 2, "及时") is None


def test_count_inside_a_checklist_stays_a_checklist():
    assert isinstance(parse_rule(GOALS_3), ChecklistRule)  # 「每发现一项…扣 0.1 分」 in ②


def test_band_rule_written_every_way():
    """400 ways of writing one band rule — the separators (，,；;。、), 含 / 含本数 /
    nothing, ≥ >= 达到 不低于 大于等于 or 以上, 得 / 计, the zero band in four
    words, the subject named or not, the bands in either order — all give its
    arithmetic: 95 and 90 → 5, 85 and 80 → 3, 79 → 0."""
    import random

    rnd = random.Random(1)
    want = [D(5), D(5), D(3), D(3), D(0)]
    for _ in range(400):
        gives = rnd.choice(["得{}分", "计{}分", "得{}分。"])
        at_least = rnd.choice(["≥", ">=", "达到", "不低于", "", "大于等于"])
        subject = rnd.choice(["", "满意度", "满意度在", "调查满意度"])
        top = f"{subject}{at_least}90%{'' if at_least else '以上'}{gives.format(5)}"
        inclusive = rnd.choice(["（含）", "(含)", "", "（含本数）"])
        between = rnd.choice(["80%{}-90%", "80%{}至90%之间"]).format(inclusive)
        mid = between + gives.format(3)
        zero = rnd.choice(["不得分", "得0分", "不计分", "计0分"])
        low = rnd.choice([f"80%以下{zero}", f"低于80%{zero}"])
        parts = [top, mid, low][:: rnd.choice([1, -1])]
        seps = [rnd.choice(["，", ",", "；", ";", "。 ", "、"]) for _ in range(2)]
        text = parts[0] + seps[0] + parts[1] + seps[1] + parts[2]
        rule = parse_rule(text)
        assert isinstance(rule, BandRule), text
        assert [rule.score(a, 5) for a in ("95%", "90%", "85%", "80%", "79%")] == want, text


def test_deduction_rule_written_every_way():
    """400 ways of writing one deduction rule (the level as ≥ / 达到 / 及以上 /
    不低于 / （含）, 得5分 or 得满分; 每降低1% / 每低1个百分点 / 每下降一个百分点;
    扣 / 扣减 / 扣除 0.5分 or 扣权重的10%, after a comma, a semicolon or nothing;
    扣完为止 or not): 95 and 90 → 5, 88 → 4, 85 → 2.5."""
    import random

    rnd = random.Random(2)
    for _ in range(400):
        subject = rnd.choice(["", "满意度", "服务对象满意度"])
        level = rnd.choice(["≥90%得5分", "达到90%得满分", "90%及以上得5分", "不低于90%的得满分",
                            "达到90%（含）得满分", "90%(含)以上得满分"])  # fmt: skip
        step = rnd.choice(
            ["每降低1%", "每低1个百分点", "每下降一个百分点", "每降低1个百分点", "每减少1%"]
        )
        take = rnd.choice(["扣0.5分", "扣减0.5分", "扣除0.5分", "扣权重的10%"])
        text = (
            f"{subject}{level}{rnd.choice(['，', ',', '；'])}{step}"
            f"{rnd.choice(['，', ',', '；', ''])}{take}{rnd.choice(['', '，扣完为止', '，扣完为止。', '。'])}"
        )
        rule = parse_rule(text)
        assert isinstance(rule, DeductRule), text
        scores = [rule.score(a, 5) for a in ("95%", "90%", "88%", "85%")]
        assert scores == [D(5), D(5), D(4), D("2.5")], text


def test_proportional_and_delay_rules_written_every_way():
    """400 ways each of writing 「达到95%得满分，低于95%按比例得分」 (95 → 10,
    90 → 9.47 of 10) and 「按时完成得满分，每延迟1天扣0.5分」 (延迟2天 → 4,
    逾期4日 → 3 of 5)."""
    import random

    rnd = random.Random(3)
    for _ in range(400):
        level = rnd.choice(["达到95%得满分", "≥95%得满分", "95%及以上得满分",
                            "达到95%（含）以上的得满分", "不低于95%得满分"])  # fmt: skip
        below = rnd.choice(["低于95%按比例得分", "未达到的按比例计分", "不足95%的按比例计算",
                            "低于95%的按完成比例得分", "未达到按比例折算"])  # fmt: skip
        sep = rnd.choice(["，", ",", "；", ";", ""])
        text = (
            rnd.choice(["", "合格率", "验收合格率"]) + level + sep + below + rnd.choice(["", "。"])
        )
        rule = parse_rule(text)
        assert [rule.score(a, 10) for a in ("96%", "95%", "90%")] == [10, 10, D("9.47")], text
        head = rnd.choice(["按时完成得满分", "按期完成得5分", "在规定时间内完成得满分", ""])
        delay = rnd.choice(["每延迟1天扣0.5分", "每推迟一天扣0.5分", "每逾期1日扣0.5分",
                            "每延期1天扣除0.5分", "每滞后1天，扣0.5分"])  # fmt: skip
        text = (
            head + rnd.choice(["，", ",", "；", ""]) + delay + rnd.choice(["", "，扣完为止", "。"])
        )
        rule = parse_rule(text)
        assert isinstance(rule, DelayRule), text
        assert [rule.score(a, 5) for a in ("按时完成", "延迟2天", "逾期4日")] == [5, 4, 3], text


WORDED = "按时完成得2分，延迟完成得1分，未完成不得分"
SYSTEM = "有完善的制度得2分，否则不得分"


@pytest.mark.parametrize(
    ("text", "actual", "weight", "expected"),
    [
        ("完成得满分，未完成不得分", "已完成", 5, "5.00"),
        ("完成得满分，未完成不得分", "未完成", 5, "0.00"),
        (WORDED, "已按时完成", 2, "2.00"),
        (WORDED, "延迟完成", 2, "1.00"),  # the longest wording held: not 完成 alone
        (SYSTEM, "有", 2, "2.00"),  # the one wording the answer can be
        (SYSTEM, "没有", 2, "0.00"),
        (SYSTEM, "制度不完善", 2, "0.00"),  # the opposite: 否则
        ("按时完成得满分，延期完成得一半分", "延期完成", 6, "3.00"),
        ("完成得满分，部分完成得分值的60%，未完成不得分", "部分完成", 5, "3.00"),
        ("按时完成得满分，未按时完成扣1分", "未按时完成", 3, "2.00"),  # from the weight
        ("按时完成得满分，未按时完成扣1分", "已按时完成", 3, "3.00"),
        ("制度健全得满分，不健全扣2分，无制度不得分", "制度不健全", 5, "3.00"),
        ("得分=实际完成率×分值", "96%", 10, "9.60"),
        ("按完成率×该指标分值计分", "105%", 10, "10.00"),
        ("得分=分值×执行率", "88%", 5, "4.40"),
    ],
)
def test_rules_in_words_and_rate_times_weight(text, actual, weight, expected):
    score = eval_score(text, actual, weight)
    assert score.value == D(expected), score
    assert score.state == ScoreState.SCORED


@pytest.mark.parametrize(
    ("text", "actual"),
    [
        ("完成得满分，未完成不得分", "完成90%"),  # a number: for the reviewer
        ("按时完成得满分，延期完成得一半，其余酌情扣分", "延期"),  # 酌情: the reviewer
        ("项目立项依据充分得满分，不充分酌情扣分", "不充分"),  # no rule read: the same
        ("完成得满分，否则酌情扣分", "部分完成"),
    ],
)
def test_rules_in_words_leave_to_the_reviewer(text, actual):
    """酌情 and a number in the actual: no score derived, the typed one stands."""
    score = eval_score(text, actual, 5)
    assert score.value is None and score.state == ScoreState.UNDERIVABLE
    assert "手工评分" in score.note


def test_full_marks_in_words_need_an_actual_that_says_so():
    """基本完成 holds 完成, but says 部分达成: the band of its wording, not 5;
    未按时完成 does not hold 按时完成 (after 未): the 未达成 band, not 2."""
    score = eval_score("完成得满分，未完成不得分", "基本完成", 5)
    assert score.value == D("3.00") and score.band == (D("3.00"), D("4.00"))
    score = eval_score(WORDED, "未按时完成", 2)
    assert score.value == D("0.00") and score.level == "未达成"


def test_rule_in_words_described():
    assert parse_rule(WORDED).describe() == "按表述计分：按时完成得2分；延迟完成得1分；未完成不得分"
    assert parse_rule(SYSTEM).describe() == "按表述计分：有完善的制度得2分；否则不得分"
    assert parse_rule("按时完成得满分，未按时完成扣1分").describe() == (
        "按表述计分：按时完成得满分；未按时完成扣1分"
    )
    assert parse_rule(WORDED).max_points(5) == D("2.00")
    assert parse_rule("得分=实际完成率×分值").describe().startswith("达到 100% 得满分")


def test_a_rule_in_words_in_an_evaltable(tmp_path):
    """The score a wording gets is checked like any rule: 2 typed for 延迟完成
    is RULE_SCORE_MISMATCH at its cell."""
    from tests.test_unseen_layouts import _evaltable, _findings

    path = tmp_path / "评分表.xlsx"
    heads = ("分值", "评分标准", "实际完成值", "得分", "扣分原因")
    wb, ws = _evaltable("社区养老服务补助", heads)
    ws.append(["产出", "产出时效", "完成及时性", 2, WORDED, "延迟完成", 1, "延迟完成"])
    ws.append(
        [
            "产出",
            "产出数量",
            "助餐服务完成率",
            98,
            "得分=实际完成率×分值",
            "96%",
            94.08,
            "未全部完成",
        ]
    )
    ws.append(["合计", None, None, 100, None, None, 95.08])
    wb.save(path)
    assert _findings(path) == []
    ws["G4"], ws["G6"] = 2, 96.08
    wb.save(path)
    assert ("RULE_SCORE_MISMATCH", "G4") in _findings(path)


@pytest.mark.parametrize(
    ("text", "actual", "weight", "expected"),
    [
        ("以10场为标准，每少1场扣1分", "8场", 10, "8.00"),  # units of count beyond 次 / 家
        ("完成10场得满分，每少1场扣1分", "8场", 10, "8.00"),
        ("≥10篇得5分，每少1篇扣1分", "8篇", 5, "3.00"),
        ("以20户为基准，每少1户扣0.5分", "18户", 5, "4.00"),
    ],
)
def test_deductions_in_more_units_of_count(text, actual, weight, expected):
    assert eval_score(text, actual, weight).value == D(expected)


def test_criteria_that_add_up_are_no_rule_in_words():
    """Each clause a criterion worth its points, none saying what the rest
    gets: they add up (1 + 1 + 1), so the one an actual restates is not the score."""
    text = (
        "项目立项符合国家法律法规得1分；项目立项符合行业发展规划得1分；"
        "项目立项与部门职责范围相符得1分"
    )
    assert parse_rule(text) is None
    assert eval_score(text, "项目立项符合国家法律法规", 3).value != D("1.00")


@pytest.mark.parametrize(
    ("text", "actual", "weight", "expected"),
    [
        # a deduction per event, counted from none (were 无法识别)
        ("每发生1起安全事故扣2分。", "发生1起", 5, "3.00"),
        ("每发生一起安全事故扣2分，扣完为止。", "1起", 5, "3.00"),
        ("每发生一起安全事故扣2分，扣完为止。", "未发生", 5, "5.00"),
        ("发生安全事故的，每起扣2分。", "2起", 5, "1.00"),
        ("出现1次投诉扣1分。", "2次", 3, "1.00"),
        ("未发生安全事故得满分，发生1起扣2分。", "发生1起", 5, "3.00"),
        ("未发生安全事故得满分，发生1起扣2分。", "未发生", 5, "5.00"),
        # an event that takes every point, without a 标杆值
        ("出现安全事故的，该项不得分。", "未出现", 5, "5.00"),
        ("出现安全事故的，该项不得分。", "发生1起", 5, "0.00"),
        ("存在违规使用资金情况的不得分", "未发现违规", 4, "4.00"),
        # a wording cut by 、 and ， before what it gets
        (
            "项目立项符合法律法规、部门职责，得2分；否则不得分。",
            "项目立项符合法律法规、部门职责",
            2,
            "2.00",
        ),
        ("项目立项符合法律法规、部门职责，得2分；否则不得分。", "不符合", 2, "0.00"),
    ],
)
def test_deductions_per_event_and_wordings_cut_by_commas(text, actual, weight, expected):
    assert eval_score(text, actual, weight).value == D(expected)


def test_an_event_rule_leaves_an_unclear_actual_to_the_reviewer():
    assert parse_rule("出现安全事故的，该项不得分。").score("情况良好", 5) is None
    assert parse_rule("每发生一起安全事故扣2分").score("2人", 5) is None  # 起, not 人


@pytest.mark.parametrize(
    ("actual", "expected"),
    [("按时完成", "5.00"), ("及时完成", "5.00"), ("未按时完成", "0.00")],
)
def test_an_actual_that_is_a_failure_s_wording_undone(actual, expected):
    """「按时完成」 stands in 「未按时完成的不得分」 only negated: it is the opposite
    of that wording (it got 0 as the one wording it could be)."""
    text = "及时完成得满分，未按时完成的不得分。"
    assert eval_score(text, actual, 5).value == D(expected)


@pytest.mark.parametrize(
    "rule, weight, says",
    [
        # DOMAIN F-12: 1 % of 2 points an item, 100 items to lose them
        (
            "每存在一项工作未及时完成扣1%权重分",
            2,
            "每1项只扣 0.02 分（权重 2 的 1%），要 100 项才扣完",
        ),
        ("每发现1处问题扣0.05分", 5, "每1处只扣 0.05 分（权重 5 的 1%），要 100 处才扣完"),
        ("每存在一项工作未及时完成扣10%权重分", 2, ""),
        ("每发现1处问题扣0.5分", 5, ""),
        ("每发现1处问题扣0.1分", 5, ""),  # 2 %: 50 items, at the line
        ("执行率每降低1%扣0.1分", 3, ""),  # per percentage point, not per item
    ],
)
def test_a_deduction_too_small_to_matter(rule, weight, says):
    from perfkit import rules
    from perfkit.validate.evaltable import _small_deduction

    text = _small_deduction(rules.parse_rule(rule), D(weight))
    assert (says in text) if says else text == ""
