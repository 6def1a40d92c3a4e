"""Scoring engine against the published numbers of the seed documents.

Seed 000 = three 龙岗区工商联 2023 自评表; seed 004 = 福田区工商联 2021 评价报告.
"""

from decimal import Decimal
from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from perfkit import profiles, scoring
from perfkit.scoring import ScoringError, indicator_score
from perfkit.targets import Op as targets_op

# (全年执行数, 全年预算数, 执行率 %, 得分) as published on the three 龙岗 forms
SEED_EXEC = [
    ("1937189.02", "1959300.00", D("98.87"), D("9.89")),  # 党建事务
    ("376056.50", "378500.00", D("99.35"), D("9.94")),  # 商会组织建设
    ("27500.00", "27500.00", D("100.00"), D("10.00")),  # 法律顾问服务经费 (年初 30000)
]


@pytest.mark.parametrize(("executed", "budget", "rate", "score"), SEED_EXEC)
def test_seed_execution_rate_and_score(executed, budget, rate, score):
    assert scoring.exec_rate_pct(executed, budget) == rate
    assert scoring.exec_score(executed, budget) == score
    # Excel hands numbers over as floats
    assert scoring.exec_score(float(executed), float(budget), 10.0) == score


def test_rate_uses_annual_budget_not_initial():
    # 法律顾问服务经费: 年初 30000, 全年预算 27500, 执行 27500 -> 100 %, not 91.67 %
    assert scoring.exec_rate_pct(27500, 27500) == D("100.00")
    assert scoring.exec_rate_pct(27500, 30000) == D("91.67")


def test_rounding_trap_half_up_from_raw_amounts():
    # 99.35 % x 10 in binary floating point is 9.93499..., which Python rounds to 9.93
    assert round(99.35 / 100 * 10, 2) == 9.93
    assert scoring.exec_score(99.35, 100) == D("9.94")
    assert scoring.exec_score(376056.50, 378500) == D("9.94")


def test_futian_table_1_1_rate():
    assert scoring.exec_rate_pct("180.57", "182.2") == D("99.11")


def test_over_execution_is_capped_at_weight():
    assert scoring.exec_score(110, 100) == D("10.00")
    assert scoring.exec_score(110, 100, 20) == D("20.00")


def test_blank_or_zero_budget_gives_none_and_negative_raises():
    assert scoring.exec_rate(100, 0) is None
    assert scoring.exec_score(None, 100) is None
    assert scoring.exec_rate_pct("", 100) is None
    with pytest.raises(ScoringError):
        scoring.exec_rate(100, -5)


def test_futian_deduction_rule_gives_2_91_not_published_2_97():
    # 福田 预算执行率: weight 3, 「执行率每降低1%扣0.1分」, 99.11 % -> 3 - 0.089 = 2.91 (F-3)
    assert scoring.exec_score("180.57", "182.2", profile="futian2021") == D("2.91")
    # The published 2.97 is the proportional rule instead: 3 x 99.11 %
    assert scoring.exec_score("180.57", "182.2", 3) == D("2.97")


@pytest.mark.parametrize(("mode", "expected"), [("floor", D("3.00")), ("ceil", D("2.90"))])
def test_deduction_step_modes(tmp_path, mode, expected):
    path = tmp_path / f"steps_{mode}.toml"
    path.write_text(
        f'name = "s_{mode}"\nextends = "futian2021"\n[exec]\nstep_mode = "{mode}"\n',
        encoding="utf-8",
    )
    assert scoring.exec_score("180.57", "182.2", profile=str(path)) == expected


def test_interval_rule(tmp_path):
    path = tmp_path / "bands.toml"
    path.write_text(
        'name = "bands"\n[exec]\nrule = "interval"\nweight = 10\nbands = [[90, 1], [80, 0.8], [60, 0.5]]\n',
        encoding="utf-8",
    )
    assert scoring.exec_score(95, 100, profile=str(path)) == D("10.00")
    assert scoring.exec_score(85, 100, profile=str(path)) == D("8.00")
    assert scoring.exec_score(61, 100, profile=str(path)) == D("5.00")
    assert scoring.exec_score(59, 100, profile=str(path)) == D("0.00")


# ---------------------------------------------------------------- indicators
# (年度指标值, 实际完成值, 分值, published 得分) — every scored row of the three 龙岗 forms
SEED_INDICATORS = [
    ("新增党组织覆盖企业≥2家", "2家", 10, "10"),
    ("按照文件规定标准发放党务干部补贴", "按照文件规定标准发放党务干部补贴", 10, "10"),
    (
        "按照区委组织部文件规定,完善“两新”组织党员成长审核程序,按标准发放奖励",
        "按照执行奖励标准发放奖励",
        10,
        "10",
    ),
    ("按时完成区委组织部下达的非公党建工作任务", "按季度完成了各项非公党建工作任务", 10, "10"),
    ("按各类文件规定的标准执行", "开展党建活动人均成本≤550 元/人", 10, "10"),
    (
        "发挥党组织和党员作用,助力企业发展有所成效",
        "发挥党组织和广大党员作用,助推企业高质量发展",
        10,
        "10",
    ),
    ("拓宽党在非公领域的组织和工作覆盖面", "打造了8个示范党部", 10, "10"),
    ("辖属各党组织对党委工作满意度 \\geq 九十", "100%", 10, "10"),
    ("筹建区空间服务等行业协会；与 5-8 家商协会共同承办服务会员企业活动", "5 家", 20, "20"),
    ("完成有关商协会换届工作", "及时率 100%", 10, "10"),
    ("5家商协会的成立、换届", "成立1家换届1家", 10, "4"),  # 2/5 x 10
    ("积极承接政府职能", "积极承接政府职能", 10, "10"),
    ("提供法律审查意见率达100%", "100%", 10, "10"),
    ("充分发挥法律顾问作用, 有效降低法律风险, 减少法律纠纷", "无法律纠纷", 20, "20"),
    ("2个工作日内", "2个工作日内", 10, "10"),
    ("≤3万", "≤3万", 10, "10"),
    ("财政资金零损失", "财政资金零损失", 15, "15"),
    ("各科室满意度 100%", "100%", 10, "10"),
]


@pytest.mark.parametrize(("target", "actual", "weight", "published"), SEED_INDICATORS)
def test_seed_indicator_scores(target, actual, weight, published):
    assert indicator_score(target, actual, weight).value == D(published)


def test_seed_totals():
    # total = 执行率得分 + Σ indicator scores
    assert scoring.total([D("9.89"), *[10] * 9]) == D("99.89")
    assert scoring.total(["9.94", 20, 10, 10, 4, 10, 10, 10, 0, 10, 0]) == D("93.94")
    assert scoring.total([10, 10, 20, 10, 10, 15, 15, 0, 0, 10, 0]) == D("100.00")
    assert scoring.total([None, "", 1.005, "2"]) == D("3.01")


def test_futian_2_1_subtotals_and_total():
    blocks = {
        "决策": [3, 2, 2, 3, 3, 2],
        "过程": ["2.97", 5, 5, 6, 6],
        "产出": [6, 6, 6, 6, 2, 2, 2],
        "效益": [6, 6, 6, 3, 6],
    }
    subtotals = scoring.block_subtotals((k, v) for k, vs in blocks.items() for v in vs)
    assert subtotals == {"决策": D("15"), "过程": D("24.97"), "产出": D("30"), "效益": D("27")}
    assert scoring.total(subtotals.values()) == D("96.97")
    assert scoring.grade(D("96.97")) == "优"
    assert scoring.grade(D("96.97"), "futian2021") == "优"


def test_reverse_ratio_and_vendor_variant():
    assert indicator_score("≤100万元", "125万元", 10).value == D("8.00")
    assert indicator_score("≤100万元", "125万元", 10, profile=_vendor()).value == D("7.50")
    assert indicator_score("≤100万元", "200万元", 10, profile=_vendor()).value == D("0.00")
    assert indicator_score("≤100万元", "90万元", 10).value == D("10.00")


def _vendor():
    return profiles.Profile(**{**profiles.load("mof2020").__dict__, "reverse": "vendor"})


def test_amounts_in_wan_and_yuan_compare():
    assert indicator_score("≤3万", "27500元", 10).value == D("10.00")
    assert indicator_score("≤3万元", "3.3万元", 10).value == D("9.09")


def test_equal_and_zero_targets():
    assert indicator_score("=8个", "6个", 10).value == D("7.50")
    assert indicator_score("=8个", "10个", 10).value == D("8.00")
    assert indicator_score("财政资金零损失", "0", 15).value == D("15.00")


def test_range_below_lower_bound_is_proportional():
    assert indicator_score("5-8家", "4家", 20).value == D("16.00")
    assert indicator_score("5-8家", "9家", 20).value == D("20.00")


def test_direction_from_name_and_override():
    # no comparison written: 调整率 is a reverse indicator (smaller is better)
    assert indicator_score("3%", "5%", 10, name="预算调整率").value == D("6.00")
    assert indicator_score("3%", "5%", 10).value == D("10.00")
    assert indicator_score("3%", "5%", 10, direction="反向").value == D("6.00")
    with pytest.raises(ScoringError):
        indicator_score("3%", "5%", 10, direction="sideways")


def test_several_targets_share_the_weight():
    target = "一年举办活动不少于 8 次，《福田工商联》杂志出版不少于 6 期"
    assert indicator_score(target, "开展活动 10 次，出版杂志 6 期", 20).value == D("20.00")
    assert indicator_score(target, "开展活动 4 次，出版杂志 6 期", 20).value == D("15.00")


def test_qualitative_bands():
    s = indicator_score("按时完成", "已按时完成", 10)
    assert (s.value, s.band, s.level) == (D("10.00"), (D("8.00"), D("10.00")), "达成")
    s = indicator_score("按时完成", "部分完成", 10)
    assert (s.value, s.band, s.level) == (D("6.00"), (D("6.00"), D("8.00")), "部分达成")
    s = indicator_score("按时完成", "未完成", 10)
    assert (s.value, s.band, s.level) == (D("0.00"), (D("0.00"), D("6.00")), "未达成")
    # "未收到投诉" is an achievement, not a failure
    assert indicator_score("群众满意", "未收到群众投诉", 6).level == "达成"


def test_over_achievement_flag_and_platform_deduction():
    s = indicator_score("≥8次", "11次", 6)
    assert s.over and s.value == D("6.00") and s.ratio == D("1.375")
    assert not indicator_score("≥8次", "10次", 6).over  # 125 % (F-13): below the 130 % line
    assert indicator_score("≥8次", "11次", 6, profile="platform").value == D("4.00")


def test_deadline_targets():
    assert indicator_score("2021 年 12 月 31 日", "2021 年 12 月 31 前已完成", 10).value == D(
        "10.00"
    )
    assert indicator_score("2021年12月底前", "2022年1月15日", 10).value == D("0.00")


def test_a_deadline_without_its_year_is_in_the_forms_year():
    """ "12月底前" in a 2023 form is 2023-12-31: done on 2024-01-15 is late.
    Without the form's year, the year of the actual stands in (as before)."""
    late = indicator_score("12月底前", "2024年1月15日", 10, year=2023)
    assert late.value == D("0.00") and late.note == "晚于完成时限"
    assert indicator_score("12月底前", "2023年12月15日", 10, year=2023).value == D("10.00")
    assert indicator_score("12月底前", "12月15日", 10, year=2023).value == D("10.00")
    assert indicator_score("12月底前", "2024年1月15日", 10).value == D("10.00")


def test_a_period_and_a_month_without_its_day():
    """ "三季度末前" is 30 September; done "2023年6月" against "by 30 June 2023"
    cannot be told late (it was 未达成 0): the wording decides, as for words."""
    assert indicator_score("三季度末前", "2023年10月15日", 10, year=2023).value == D("0.00")
    assert indicator_score("上半年", "2023年5月", 10, year=2023).value == D("10.00")
    same_month = indicator_score("2023年6月30日前", "2023年6月", 10)
    assert same_month.value == D("10.00") and same_month.kind == "qualitative"
    assert indicator_score("2023年6月30日前", "2023年7月", 10).value == D("0.00")


@pytest.mark.parametrize(
    ("target", "actual", "value"),
    [
        ("≥10吨", "8t", "8.00"),  # was read as words: full marks
        ("≥10吨", "12000kg", "10.00"),
        ("≥5公里", "4km", "8.00"),
        ("≥5000米", "6km", "10.00"),
        ("≥1000平方米", "800㎡", "8.00"),
        ("≤2小时", "90分钟", "10.00"),
        ("≤1天", "36小时", "6.67"),  # reverse: 24 ÷ 36
        ("≥10场", "8（场）", "8.00"),
        ("≥2次/年", "1次", "5.00"),
        ("≥10场", "全年共举办8场次培训", "8.00"),
        ("≥5批", "4批次", "8.00"),
    ],
)
def test_units_written_another_way_are_compared(target, actual, value):
    assert indicator_score(target, actual, 10).value == D(value)


@pytest.mark.parametrize(
    ("actual", "value"),
    [
        ("完成12场，其中线上5场", "10.00"),  # not 17
        ("8场，其中线上5场", "8.00"),  # not 13: full marks
        ("12场，较2022年增加2场", "10.00"),
        ("9场，比上年增加2场", "9.00"),  # not 11
        ("9场（上年10场）", "9.00"),
    ],
)
def test_a_part_or_a_change_beside_the_count_is_not_added(actual, value):
    """Counts of one unit are added up (成立1家换届1家 is 2), but not a part
    (其中…) or a change against last year (较上年增加…): words of the
    vocabulary ([units] aside)."""
    assert indicator_score("≥10场", actual, 10).value == D(value)


@pytest.mark.parametrize(
    ("target", "actual", "value"),
    [
        ("≥100万元", "80", "8.00"),  # 80 万元, not 80 元 (it was 0)
        ("≥5公里", "6", "10.00"),  # 6 公里, not 6 米
        ("≥2小时", "1.5", "7.50"),
        ("≤3万", "27500", "10.00"),  # 27,500 元: nearer 3 万 than 27,500 万
        ("≤3万", "3.3", "9.09"),  # 3.3 万
        ("≥1万人", "8000", "8.00"),
        ("≥1万人", "0.8", "8.00"),
        ("≥50万元", "450000", "9.00"),
    ],
)
def test_a_bare_number_against_a_target_with_its_unit(target, actual, value):
    """The unit is written in the target, the actual gives the number: it is
    read in the target's unit or in the base unit, whichever is nearer."""
    assert indicator_score(target, actual, 10).value == D(value)


def test_a_number_in_an_unknown_unit_is_no_qualitative_full_mark():
    s = indicator_score("≥10吨", "8tons", 10)
    assert s.value is None and s.state == ScoreState.UNREADABLE
    assert "tons" in s.note


def test_not_applicable_and_missing_values():
    assert indicator_score("不适用", "不适用", 0).value == D("0.00")
    assert indicator_score("不适用", "不适用", 10).value is None
    assert indicator_score("≥2家", None, 10).kind == "empty"
    assert indicator_score("≥2家", "2家", None).kind == "empty"
    assert indicator_score("≥2家", "2个人", 10).kind == "mismatch"


def test_grades_half_open_and_configurable():
    assert [scoring.grade(x) for x in (90, "89.5", 80, "79.99", 60, "59.99")] == [
        "优",
        "良",
        "良",
        "中",
        "中",
        "差",
    ]
    assert [scoring.grade(x, "futian2021") for x in (70, "69.99")] == ["中", "低"]


def test_platform_total_cap():
    assert scoring.capped_total(95, 75, "platform") == D("89.00")
    assert scoring.capped_total(95, 65, "platform") == D("79.00")
    assert scoring.capped_total(95, 45, "platform") == D("59.00")
    assert scoring.capped_total(95, 85, "platform") == D("95.00")
    assert scoring.capped_total(95, 45) == D("95.00")


def test_deduct_score_rules_of_seed_004():
    # 活动开展次数 ≥8次得6分，每下降1次扣2分，扣完为止
    assert scoring.deduct_score(10, 8, 6, 1, 2) == D("6.00")
    assert scoring.deduct_score(7, 8, 6, 1, 2) == D("4.00")
    assert scoring.deduct_score(3, 8, 6, 1, 2) == D("0.00")
    # 满意度 ≥90% 得6分，每降低1%扣减权重分值的3%，低于60%不得分
    assert scoring.deduct_score(85, 90, 6, 1, "3%", 60) == D("5.10")
    assert scoring.deduct_score(59, 90, 6, 1, "3%", 60) == D("0.00")
    # F-4: the published 3 is not reachable by any whole percentage point
    reachable = {scoring.deduct_score(90 - k, 90, 6, 1, "3%", 60) for k in range(31)}
    assert D("3.00") not in reachable
    assert scoring.scale_block(90, 100, 80) == D("72.00")


# ---------------------------------------------------------------- properties
weights = st.integers(min_value=0, max_value=100)
amounts = st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False, allow_infinity=False)


@given(w=weights, a=amounts, t=amounts.filter(lambda x: x > 0))
def test_score_between_zero_and_weight(w, a, t):
    for target in (f"≥{t}家", f"≤{t}家", f"={t}家"):
        value = indicator_score(target, f"{a}家", w).value
        assert value is not None and D(0) <= value <= D(w)


@given(
    w=st.integers(min_value=1, max_value=100),
    t=amounts.filter(lambda x: x > 0),
    a=amounts,
    b=amounts,
)
def test_monotone_in_actual_for_positive_targets(w, t, a, b):
    lo, hi = sorted((a, b))
    assert (
        indicator_score(f"≥{t}次", f"{lo}次", w).value
        <= indicator_score(f"≥{t}次", f"{hi}次", w).value
    )


@given(e=amounts, b=amounts.filter(lambda x: x > 0), w=weights)
def test_exec_score_bounds(e, b, w):
    value = scoring.exec_score(e, b, w)
    assert D(0) <= value <= D(w)


def test_direction_completion_and_level_words():
    from perfkit.targets import Measure, Op

    unsigned = Measure(None, D(3), None, "%")
    assert scoring.direction_of(unsigned, "预算调整率") == scoring.REVERSE
    assert scoring.direction_of(Measure(None, D(3), None, "元", "人均成本")) == scoring.REVERSE
    assert scoring.direction_of(unsigned, "") == scoring.POSITIVE
    assert scoring.direction_of(unsigned, "", scoring.EQUAL) == scoring.EQUAL
    assert scoring.direction_of(Measure(Op.RANGE, D(5), D(8), "家")) == scoring.POSITIVE
    assert scoring.direction_of(Measure(Op.LT, D(5), None, "家")) == scoring.REVERSE
    assert scoring.direction_of(Measure(Op.EQ, D(5), None, "家")) == scoring.EQUAL
    # completion of a target in 万元 against an amount in 元
    three = Measure(Op.LE, D(3), None, "万元")
    assert scoring.completion(three, D(27500), scoring.REVERSE) == 1
    assert scoring.completion(three, D(40000), scoring.REVERSE) == D(30000) / D(40000)
    assert scoring.completion(three, D(40000), scoring.REVERSE, "vendor") == D(
        "0.6666666666666666666666666667"
    )
    assert scoring.qualitative_level("按时完成", "未能按时完成") == "未达成"
    assert scoring.qualitative_level("按时完成", "基本完成") == "部分达成"
    assert scoring.qualitative_level("按时完成", "按时完成。") == "达成"
    assert scoring.qualitative_level("按时完成", "未收到投诉") == "达成"


# ---------------------------------------------------------------- issue 11: one answer per row
from perfkit.numbers import NotANumber, NumberOutOfRange  # noqa: E402
from perfkit.scoring import ScoreKind, ScoreState, UnscoredRows  # noqa: E402


def test_kinds_and_states_are_str_valued_enums():
    s = indicator_score("≥2家", "2家", 10)
    assert s.kind == "quantitative" and s.kind is ScoreKind.QUANTITATIVE
    assert s.state == "scored" and s.state is ScoreState.SCORED
    assert f"{s.kind}" == "quantitative" and str(s.state) == "scored"
    assert ScoreKind.RULE_DEDUCT.zh == "扣分标准" and ScoreState.NOT_MEASURED.zh == "未测量"
    assert {k.value for k in ScoreKind} >= {
        "quantitative",
        "qualitative",
        "deadline",
        "exec",
        "rule_deduct",
        "rule_checklist",
        "rule_threshold",
        "benchmark",
    }
    assert {s.value for s in ScoreState} == {
        "scored",
        "band",
        "not_applicable",
        "not_measured",
        "underivable",
        "empty",
        "unreadable",
        "mismatch",
    }


@pytest.mark.parametrize(
    ("target", "actual", "weight", "value", "state", "how"),
    [
        ("5家商协会的成立、换届", "成立1家换届1家", 10, "4.00", "scored", "完成值 2 ÷ 指标值 5"),
        ("≥2家", "2家", 10, "10.00", "scored", "满分"),
        ("按时完成", "部分完成", 10, "6.00", "band", "部分达成"),
        ("不适用", "不适用", 0, "0.00", "not_applicable", "不计入总分"),
        ("2021年12月底前", "2021年12月20日", 10, "10.00", "band", "时限"),
    ],
)
def test_every_score_says_how_it_was_derived(target, actual, weight, value, state, how):
    s = indicator_score(target, actual, weight)
    assert (s.value, s.state) == (D(value), state)
    assert how in s.how


@pytest.mark.parametrize(
    "actual", ["满意度较低", "满意度偏低", "未完成", "未达到", "未达成", "较差", "不达标"]
)
def test_not_met_words_against_a_quantitative_target_give_the_lowest_band(actual):
    s = indicator_score("≥90%", actual, 10)
    assert (s.value, s.level, s.state) == (D("0.00"), "未达成", ScoreState.BAND)
    assert s.band == (D("0.00"), D("6.00"))


def test_low_and_high_depend_on_the_direction():
    # 成本较低 is an achievement for a reverse (≤) target; 成本偏高 is not
    assert indicator_score("≤3万元", "成本较低", 10).level == "达成"
    assert indicator_score("≤3万元", "成本偏高", 10).level == "未达成"
    assert indicator_score("≥90%", "满意度较高", 10).level == "达成"
    # a qualitative target: the indicator name decides (投诉 is reverse)
    assert indicator_score("群众满意", "满意度较低", 6).level == "未达成"
    assert indicator_score("投诉处理及时", "投诉率较低", 6, name="群众投诉").level == "达成"


@pytest.mark.parametrize(
    ("target", "actual"),
    [
        ("≥8次", "待统计"),
        ("≥95%", "暂无数据"),
        ("≥90%", "尚未统计"),
        ("≥90%", "未统计"),
        ("≥90%", "无数据"),
        ("≥90%", "待评估"),
        ("≥90%", "未开展调查"),
        ("群众满意", "未开展满意度调查"),  # a qualitative target
        ("12月底前完成", "待核实"),  # a deadline target
    ],
)
def test_not_measured_gives_no_score_never_full_marks(target, actual):
    s = indicator_score(target, actual, 10)
    assert s.value is None and s.state is ScoreState.NOT_MEASURED
    assert actual in s.note and "无法计分" in s.note
    assert s.message("活动开展次数").startswith("【未计分】活动开展次数：")


@pytest.mark.parametrize(
    "actual",
    [
        "未收到投诉",
        "开展满意度问卷调查，但未收到群众投诉",
        "无法律纠纷",
        "无数据泄露事件",
        "项目未逾期",
        "未发生安全事故",
        "未发现不合格产品",
        "无延期情况",
        "杜绝超预算",
    ],
)
def test_achievements_are_not_read_as_failure(actual):
    # whole-phrase discipline: 未 / 无 / 不 inside an achievement are not 未完成 or 无数据
    assert scoring.qualitative_level("群众满意", actual) == "达成"


def test_unreadable_actual_is_not_guessed():
    s = indicator_score("≥8次", "≥？次", 10)
    assert s.value is None and s.state is ScoreState.UNREADABLE
    assert "无法识别" in s.note


def test_cell_value_of_a_score():
    assert scoring.cell_value(indicator_score("≥2家", "2家", 10)) == D("10.00")
    # a weighted row without its actual says so (the total then names it)
    assert scoring.cell_value(indicator_score("≥2家", None, 10), "党建活动") == (
        "【未计分】党建活动：缺少实际完成值"
    )
    text = scoring.cell_value(indicator_score("≥8次", "待统计", 10), "活动开展次数")
    assert text == "【未计分】活动开展次数：实际完成值“待统计”没有实测结果，无法计分"


def test_total_leaves_out_not_applicable_and_names_unscored_rows():
    assert scoring.total([D("9.89"), "不适用", "—", "无", " ", None, 90]) == D("99.89")
    row = indicator_score("≥8次", "待统计", 10).message("活动开展次数")
    with pytest.raises(UnscoredRows) as err:
        scoring.total([9.89, row, 80])
    assert err.value.message.startswith("总分暂缺：活动开展次数未计分")
    two = [row, indicator_score("≥95%", "暂无数据", 10).message("满意度")]
    with pytest.raises(UnscoredRows, match="活动开展次数、满意度 共 2 行未计分"):
        scoring.total(two)
    with pytest.raises(NotANumber):
        scoring.total([1, "请手工评分"])
    assert scoring.total([[1, [2, "不适用"]], (3,)]) == D("6.00")  # nested ranges


# ---------------------------------------------------------------- issue 13 §1: the platform
def test_platform_reverse_formula():
    # ≤3万 against 3.3万: MOF ratio 9.09, the platform 1 − (B − A)/A = 9.00; 0 once B ≥ 2A
    assert indicator_score("≤3万", "3.3万元", 10).value == D("9.09")
    s = indicator_score("≤3万", "3.3万元", 10, profile="platform")
    assert s.value == D("9.00") and "平台公式" in s.how
    assert indicator_score("≤3万", "6.5万元", 10, profile="platform").value == D("0.00")
    assert indicator_score("≤3万", "6万元", 10, profile="platform").value == D("0.00")  # B = 2A
    assert indicator_score("≤3万", "5.9万元", 10, profile="platform").value == D("0.33")
    assert indicator_score("≤3万", "2.75万元", 10, profile="platform").value == D("10.00")


def test_platform_positive_formula():
    assert indicator_score("≥8次", "6次", 6, profile="platform").value == D("4.50")
    assert indicator_score("≥8次", "8次", 6, profile="platform").value == D("6.00")


def test_platform_equal_formula():
    # A = 0 (零事故, 零损失): B ≤ 0 full marks, else 0
    assert indicator_score("=0", "0", 15, profile="platform").value == D("15.00")
    assert indicator_score("财政资金零损失", "财政资金零损失", 15, profile="platform").value == D(
        "15.00"
    )
    assert indicator_score("事故=0次", "1次", 15, profile="platform").value == D("0.00")
    assert indicator_score("事故=0次", "1次", 15).value == D("0.00")
    # A > 0: as a positive indicator (the MOF-style ratio gives 8 for 10 against = 8)
    assert indicator_score("=8个", "10个", 10, profile="platform").value == D("10.00")
    assert indicator_score("=8个", "10个", 10).value == D("8.00")
    assert indicator_score("=8个", "6个", 10, profile="platform").value == D("7.50")


@pytest.mark.parametrize("profile", ["mof2020", "platform"])
def test_a_bare_zero_target_is_none_at_all(profile):
    """“0起” / “0次” without a sign: none, as 零事故 (“≥ 0” would always be met)."""
    assert indicator_score("0起", "0起", 10, profile=profile).value == D("10.00")
    assert indicator_score("0起", "1起", 10, profile=profile).value == D("0.00")
    assert indicator_score("安全事故0次", "2次", 10, profile=profile).value == D("0.00")
    assert indicator_score("≤2起", "1起", 10, profile=profile).value == D("10.00")


def test_platform_fixed_qualitative_phrases_and_bands():
    cases = [
        ("达成年度指标", "达成", (D("8.00"), D("10.00")), D("10.00")),
        ("部分达成年度指标并具有一定效果", "部分达成", (D("6.00"), D("8.00")), D("6.00")),
        ("未达成年度指标且效果较差", "未达成", (D("0.00"), D("6.00")), D("0.00")),
    ]
    for phrase, level, band, value in cases:
        s = indicator_score("按计划推进", phrase, 10, profile="platform")
        assert (s.level, s.band, s.value, s.state) == (level, band, value, ScoreState.BAND)
    assert profiles.load("platform").qual_phrases["达成年度指标"] == "达成"


def test_profile_phrases_decide_before_the_vocabulary(tmp_path):
    path = tmp_path / "p.toml"
    path.write_text(
        'extends = "platform"\n[qualitative.phrases]\n"效果尚可" = "部分达成"\n', encoding="utf-8"
    )
    assert indicator_score("按计划推进", "效果尚可", 10).level == "达成"
    assert indicator_score("按计划推进", "效果尚可", 10, profile=str(path)).level == "部分达成"


def test_platform_deviation_deduction_at_130_percent():
    assert indicator_score("≥10次", "13次", 6, profile="platform").value == D("4.00")  # 130 %
    assert indicator_score("≥10次", "12.9次", 6, profile="platform").value == D("6.00")
    s = indicator_score("≥10次", "13次", 6, profile="platform")
    assert s.over and "偏离" in s.how
    assert indicator_score("≥10次", "13次", 6).value == D("6.00")  # mof2020: explain only


@pytest.mark.parametrize(
    ("rate", "cap"),
    [
        ("80", None),
        ("79.99", "89"),
        ("70", "89"),
        ("69.99", "79"),
        ("60", "79"),
        ("59.99", "69"),
        ("50", "69"),
        ("49.99", "59"),
        ("0", "59"),
    ],
)
def test_platform_execution_rate_caps(rate, cap):
    expected = D("95.00") if cap is None else D(cap).quantize(D("0.01"))
    assert scoring.capped_total(95, rate, "platform") == expected


def test_exec_cap_is_a_profile_option(tmp_path):
    assert profiles.load("platform").exec.cap is True
    assert scoring.exec_score(110, 100, 10, "platform") == D("10.00")
    path = tmp_path / "uncapped.toml"
    path.write_text('extends = "platform"\n[exec]\ncap = false\n', encoding="utf-8")
    assert scoring.exec_score(110, 100, 10, str(path)) == D("11.00")  # Σ执行/Σ预算 × 10
    assert scoring.exec_score(1937189.02, 1959300, 10, str(path)) == D("9.89")


@pytest.mark.parametrize(
    ("profile", "scores"),
    [
        # ≥90 优 / [80,90) 良 / [60,80) 中 / <60 差 (the platform itself, as MOF)
        ("platform", ["优", "良", "良", "中", "中", "差"]),
        # ≥80 优 / [70,80) 良 / [60,70) 中 / <60 差
        ("platform80", ["优", "优", "优", "良", "中", "差"]),
        # strict: > 90 优, > 80 良, > 60 中
        ("platform_gt90", ["良", "良", "中", "中", "差", "差"]),
    ],
)
def test_platform_grade_variants(profile, scores):
    totals = [90, "89.5", 80, "79.99", 60, "59.99"]
    assert [scoring.grade(t, profile) for t in totals] == scores
    assert profiles.load(profile).reverse == "vendor"  # they extend the platform


def test_score_inflation_figure():
    # 90/90 of the indicators against 85 % executed: (1 − 0.85)/1 = 15 % > 5 %
    figure = scoring.score_inflation(90, 90, D("0.85"))
    assert figure == D("0.15") and scoring.is_inflated(figure, "platform")
    # 龙岗 党建事务: 90/90 and 98.87 %: 1.13 %, no warning
    figure = scoring.score_inflation(90, 90, D("1937189.02") / D("1959300"))
    assert round(figure, 4) == D("0.0113") and not scoring.is_inflated(figure, "platform")
    assert scoring.score_inflation(84, 90, 1) < 0  # the indicators claim less
    assert scoring.score_inflation(0, 90, 1) is None
    assert scoring.score_inflation(None, 90, 1) is None
    assert profiles.load("platform").warnings.inflated == D("0.05")
    assert profiles.load("platform").warnings.inflated_severity == "error"
    assert profiles.load("mof2020").warnings.inflated_severity == "warning"


# ---------------------------------------------------------------- issue 12 item 8: magnitudes
def test_numbers_of_1e26_and_more_are_refused_in_chinese():
    for value in (1e26, 1e30, "1e30", D("1E+999999"), 10**100):
        with pytest.raises(NumberOutOfRange) as err:
            scoring.exec_rate_pct(value, 1)
        assert "过大" in err.value.message
    assert scoring.exec_rate_pct(1e20, 1e20) == D("100.00")  # the bound itself is a number
    # floating-point noise of a difference reads as 0: a budget of 5.55e-17 is 0
    assert scoring.exec_rate(1, 0.1 + 0.2 - 0.3) is None


# A typed "96%" reaches perfkit as 0.96 (Excel keeps the share, its format
# shows the percent): from a UDF cell, an .xls, a copy without formats.
@pytest.mark.parametrize(
    ("target", "actual", "weight", "expected", "read_as"),
    [
        ("≥95%", 0.96, 15, "15.00", "96%"),
        ("≥95%", 0.9, 15, "14.21", "90%"),  # 15 × 90 / 95
        ("100%", 1, 10, "10.00", "100%"),
        ("=98%", 0.98, 10, "10.00", "98%"),
        ("≥95%", 96, 15, "15.00", ""),  # 96 is 96 %
        ("≥95%", "0.96%", 15, "0.15", ""),  # written with its unit: as written
        ("≥1%", 0.5, 10, "5.00", ""),  # a target of 1.5 % or less: no sign of a share
        ("≤5%", 0.08, 10, "10.00", ""),  # a ceiling: as written
        ("≥95%", 1.6, 15, "0.25", ""),  # above 1.5: a number of percent
    ],
)
def test_a_share_typed_as_a_percentage(target, actual, weight, expected, read_as):
    sc = indicator_score(target, actual, weight)
    assert sc.value == D(expected)
    assert sc.actual_as == read_as
    assert (read_as in sc.how) if read_as else ("即" not in sc.how)


def test_a_share_in_the_cell_function_and_the_validator_agree():
    from udfs import PERF_SCORE

    assert PERF_SCORE("≥95%", 0.96, 15) == 15
    assert PERF_SCORE("≥95%", 0.9, 15) == pytest.approx(14.21)


@pytest.mark.parametrize(
    ("actual", "level"),
    [
        # said not met, and were full marks: the words are now in words.toml
        ("未全部完成", "未达成"),
        ("未如期完成", "未达成"),
        ("延迟完成", "未达成"),
        ("推迟至2024年3月完成", "未达成"),
        ("项目暂停", "未达成"),
        ("项目已取消", "未达成"),
        ("未启动", "未达成"),
        ("未达预期", "未达成"),
        ("效果不理想", "未达成"),
        ("基本达到", "部分达成"),
        ("仍需加强", "部分达成"),
        ("尚有差距", "部分达成"),
        ("存在不足", "部分达成"),
        ("筹备中", "部分达成"),
        ("效果一般", "部分达成"),
        # achievements that hold those words
        ("按时完成，未延迟", "达成"),
        ("无延迟", "达成"),
        ("取消行政审批事项10项", "达成"),
        ("缩小城乡差距", "达成"),
    ],
)
def test_worded_actuals_that_say_how_far_they_got(actual, level):
    assert scoring.qualitative_level("效果明显", actual) == level


@pytest.mark.parametrize(
    ("target", "actual", "value"),
    [
        ("每季度1次", "4次", "10.00"),  # was a 400 % over-achievement
        ("每季度至少1次", "3次", "7.50"),  # was full marks: 3 of 4 quarters
        ("每月1次", "10次", "8.33"),  # 10 of 12 months
        ("≥1次/月", "12次", "10.00"),  # was 单位不一致
        ("≥1次/季度", "5次", "10.00"),
        ("4次/年", "每季度1次", "10.00"),  # was 2.5: 1 of 4
        ("每半年1次", "1次", "5.00"),
        ("每季度1次", "每季度1次", "10.00"),
        ("每月开展2场", "20场", "8.33"),
        ("每人每月500元", "500元", "10.00"),  # an amount per month stays a rate
        ("每季度检查覆盖率100%", "100%", "10.00"),  # and so does a share
    ],
)
def test_a_count_per_period_is_answered_by_the_year_s_count(target, actual, value):
    assert indicator_score(target, actual, 10).value == Decimal(value)


@pytest.mark.parametrize(
    ("target", "actual", "value"),
    [
        # a target against a reference is a target in words, not unreadable
        ("≤预算数", "未超预算", "10.00"),
        ("≤预算数", "超出预算2万元", "0.00"),
        ("≤年度预算", "实际支出未超过年度预算", "10.00"),
        ("控制在预算内", "超支", "0.00"),  # was full marks
        ("控制在预算内", "未超支", "10.00"),
        ("控制在预算内", "杜绝超支", "10.00"),
        ("控制在预算内", "高于预算", "0.00"),
        # and its sign gives the direction
        ("≥上年水平", "低于上年", "0.00"),  # was full marks
        ("≥上年", "高于上年", "10.00"),
        ("≤上年", "高于上年", "0.00"),
        ("≤上年", "低于上年", "10.00"),
        ("不低于上年", "较低", "0.00"),
        # a running total is no count of the year
        ("≥5家", "新增企业5家，累计20家", "10.00"),
        ("≥10家", "新增企业5家，累计20家", "5.00"),  # was 10: 5 + 20
        ("≥10场", "累计举办12场，其中线上5场", "10.00"),
        ("≥15场", "累计举办12场，其中线上5场", "8.00"),  # the whole, not 12 + 5
        ("≥20家", "累计20家", "10.00"),
    ],
)
def test_references_running_totals_and_overspending(target, actual, value):
    assert indicator_score(target, actual, 10).value == Decimal(value)


def test_a_target_against_a_reference_is_read_in_words():
    from perfkit.targets import Kind, read, reference_op

    assert read("≤预算数").kind is Kind.QUALITATIVE
    assert read("≤ 年度预算").kind is Kind.QUALITATIVE
    assert read("≤").kind is Kind.UNREADABLE  # a sign followed by nothing stays unreadable
    assert read("≥优秀").kind is Kind.UNREADABLE
    assert [reference_op(t) for t in ("≤预算数", "控制在预算内", "不低于上年", "≥90%")] == [
        targets_op.LE,
        targets_op.LE,
        targets_op.GE,
        None,
    ]


@pytest.mark.parametrize(
    "actual",
    ["基本达标", "基本符合要求", "群众基本满意", "基本按时完成", "制度基本健全", "大部分完成"],
)
def test_met_for_the_most_part_is_the_middle_band(actual):
    """基本… and 大部分… say the target was met in part (they were full marks)."""
    assert scoring.qualitative_level("达标", actual) == "部分达成"


@pytest.mark.parametrize(
    ("actual", "level"),
    [
        ("存在个别不合规情况", "未达成"),  # was 达成
        ("违规使用资金2万元", "未达成"),
        ("未违规", "达成"),
        ("不存在违规问题", "达成"),
        ("未发现违规违纪", "达成"),  # every failure word after the negator
        ("无违规违纪，但存在不规范", "未达成"),
        ("不够规范", "部分达成"),  # was 达成
        ("制度有所欠缺", "部分达成"),
        ("质量一般", "部分达成"),
    ],
)
def test_compliance_and_not_good_enough(actual, level):
    assert scoring.qualitative_level("合规", actual) == level
