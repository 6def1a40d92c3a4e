"""Validator checks on forms built from the seed numbers (DOMAIN.md §5).

Tests compare sets of (code, cell), never message text.
"""

from __future__ import annotations

import pytest

from perfkit.layout import evaltable_template, selfeval_template
from perfkit.model import EvalIndicator, EvalTable, FundRow, Indicator, SelfEvalForm
from perfkit.validate import Finding, validate_form
from perfkit.writers.place import place

L = selfeval_template()

# --------------------------------------------------------------------------
# builders (also used by the other validator tests and the benchmark)
# --------------------------------------------------------------------------


def selfeval(
    rows: dict[str, list[tuple]],
    funds: dict[str, tuple],
    exec_weight=10,
    exec_rate=None,
    exec_score=None,
    total_weight=100,
    total=None,
    grade=None,
    project_code="440307210701500003496",
    goal_actual="按计划完成",
    profile="mof2020",
) -> SelfEvalForm:
    """A 自评表 placed on the template layout.  *rows*: level2 -> list of
    (level3, target, actual, weight, score[, deviation_reason])."""
    form = SelfEvalForm(
        project_code=project_code,
        project_name="测试项目",
        year=2023,
        unit="测试单位",
        dept="测试单位",
        exec_weight=exec_weight,
        exec_rate=exec_rate,
        exec_score=exec_score,
        goal_expected="预期目标",
        goal_actual=goal_actual,
        total_weight=total_weight,
        total=total,
        grade=grade,
        profile=profile,
    )
    for key, amounts in funds.items():
        form.funds[key] = FundRow(key, *amounts)
    used = set()
    for g in L.groups:
        given = rows.get(g.level2, [])
        used.add(g.level2)
        if len(given) > g.rows:
            raise ValueError(g.level2)
        for i, row in enumerate(g.row_numbers()):
            ind = Indicator(level1=g.level1, level2=g.level2, row=row)
            if i < len(given):
                vals = list(given[i]) + [None] * (6 - len(given[i]))
                (
                    ind.level3,
                    ind.target,
                    ind.actual,
                    ind.weight,
                    ind.score,
                    ind.deviation_reason,
                ) = vals
            form.indicators.append(ind)
    unknown = set(rows) - used
    if unknown:
        raise ValueError(unknown)
    return place(form, L)


def funds_of(initial, annual, executed):
    zero = ("0.00", "0.00", "0.00")
    return {
        "total": (initial, annual, executed),
        "fiscal": (initial, annual, executed),
        "carryover": zero,
        "other": zero,
    }


NA = (None, None, "不适用", 0, 0)


def longgang1(**kw) -> SelfEvalForm:
    """龙岗 党建事务 (seed 000, form 1)."""
    rows = {
        "数量指标": [("推动非公企业应建尽建党组织", "新增党组织覆盖企业≥2家", "2家", 10, 10)],
        "质量指标": [
            (
                "执行补贴标准",
                "按照文件规定标准发放党务干部补贴",
                "按照文件规定标准发放党务干部补贴",
                10,
                10,
            ),
            (
                "执行奖励标准",
                "按照区委组织部文件规定,完善“两新”组织党员成长审核程序,按标准发放奖励",
                "按照执行奖励标准发放奖励",
                10,
                10,
            ),
        ],
        "时效指标": [
            (
                "按时完成各项任务",
                "按时完成区委组织部下达的非公党建工作任务",
                "按季度完成了各项非公党建工作任务",
                10,
                10,
            )
        ],
        "成本指标": [
            (
                "开展党建活动人均成本",
                "按各类文件规定的标准执行",
                "开展党建活动人均成本≤550 元/人",
                10,
                10,
            )
        ],
        "经济效益指标": [
            (
                "党建促企业发展",
                "发挥党组织和党员作用,助力企业发展有所成效",
                "发挥党组织和广大党员作用,助推企业高质量发展",
                10,
                10,
            )
        ],
        "社会效益指标": [
            (
                "加强非公企业党组织建设",
                "不断提升非公企业党组织书记、党务工作者的能力素质,认真做好党组织建设和党员管理各项综合性事务",
                "建立台账,做实组织建设和党员管理各项综合性事务。",
                10,
                10,
            )
        ],
        "生态效益指标": [
            (
                "增强党组织影响力",
                "拓宽党在非公领域的组织和工作覆盖面,发挥党组织在非公领域的引领作用,增强党组织的影响力、凝聚力和战斗力",
                "打造了8个示范党部",
                10,
                10,
            )
        ],
        "可持续影响指标": [NA],
        "服务对象满意度指标": [
            ("各党组织满意度", "辖属各党组织对党委工作满意度 \\geq 九十", "100%", 10, 10)
        ],
        "其他满意度指标": [(None, None, "无", 0, 0)],
    }
    args = dict(exec_rate=98.87, exec_score=9.89, total=99.89)
    args.update(kw)
    return selfeval(rows, funds_of(1959300.00, 1959300.00, 1937189.02), **args)


def longgang2(**kw) -> SelfEvalForm:
    """龙岗 商会组织建设 (seed 000, form 2)."""
    rows = {
        "数量指标": [
            (
                "培育筹建 2 家以上重点行业商（协）会，与 5-8 家商协会共同承办服务会员企业活动",
                "筹建区空间服务等行业协会；与 5-8 家商协会共同承办服务会员企业活动",
                "5 家",
                20,
                20,
            )
        ],
        "质量指标": [
            (
                "加强行业商协会规范化建设",
                "健全商（协）会考评机制，对所属商（协）会工作进行日常化、常态化考核",
                "健全商（协）会考评机制，对所属商（协）会工作进行日常化、常态化考核",
                10,
                10,
            )
        ],
        "时效指标": [
            ("有关商协会及时完成换届及时率", "完成有关商协会换届工作", "及时率 100%", 10, 10)
        ],
        "成本指标": [
            (
                "街道工商联、行业商（协）会的成立、换届等给予经费支持",
                "5家商协会的成立、换届",
                "成立1家换届1家",
                10,
                4,
                "原因：未找到合适的会长人选 措施：将与有关部门进一步沟通，按照三强一好的标准寻找合适的会长人选",
            )
        ],
        "经济效益指标": [
            (
                "解决商协会企业困难问题",
                "推动商（协）会通过直联工作制度带领行业企业与职能部门直接对接，以制度化、常态化的机制解决企业的实际困难问题。",
                "通过直联工作制度带领行业企业与职能部门直接对接，解决企业的实际困难问题",
                10,
                10,
            )
        ],
        "社会效益指标": [("参与社会治理", "积极承接政府职能", "积极承接政府职能", 10, 10)],
        "生态效益指标": [
            ("增加行业商协会的政治引领性", "商协会做到“三性”统一", "商协会做到“三性”统一", 10, 10)
        ],
        "可持续影响指标": [NA],
        "服务对象满意度指标": [
            (
                "建立符合产业政策的行业商（协）会体系",
                "坚持“成熟一个、组建一个、稳固一个”原则，逐步建立行业商（协）会体系",
                "逐步建立行业商（协）会体系",
                10,
                10,
            )
        ],
        "其他满意度指标": [NA],
    }
    args = dict(exec_rate=99.35, exec_score=9.94, total=93.94)
    args.update(kw)
    return selfeval(rows, funds_of(378500.00, 378500.00, 376056.50), **args)


def longgang3(**kw) -> SelfEvalForm:
    """龙岗 法律顾问服务经费 (seed 000, form 3)."""
    rows = {
        "数量指标": [("提供法律审查意见率", "提供法律审查意见率达100%", "100%", 10, 10)],
        "质量指标": [
            (
                "法律专业服务",
                "充分发挥法律顾问作用, 有效降低法律风险, 减少法律纠纷",
                "无法律纠纷",
                20,
                20,
            )
        ],
        "时效指标": [("及时率", "2个工作日内", "2个工作日内", 10, 10)],
        "成本指标": [("成本控制", "≤3万", "≤3万", 10, 10)],
        "经济效益指标": [("避险增效", "财政资金零损失", "财政资金零损失", 15, 15)],
        "社会效益指标": [
            (
                "专业化",
                "为商协会和辖属党组织提供有效、专业的保障",
                "为商协会和辖属党组织提供有效、专业的保障",
                15,
                15,
            )
        ],
        "生态效益指标": [NA],
        "可持续影响指标": [NA],
        "服务对象满意度指标": [("科室满意度", "各科室满意度 100%", "100%", 10, 10)],
        "其他满意度指标": [NA],
    }
    args = dict(exec_rate=100, exec_score=10, total=100)
    args.update(kw)
    return selfeval(rows, funds_of(30000.00, 27500.00, 27500.00), **args)


def pairs(findings: list[Finding], severities=("error", "warning", "info")) -> set[tuple[str, str]]:
    return {(f.code, f.cell) for f in findings if f.severity in severities}


def errors(findings):
    return [f for f in findings if f.severity == "error"]


FUTIAN_ROWS = [
    # level1, level2, level3, benchmark, rule, weight, actual, score, deduction_reason, description
    ("项目决策", "项目立项", "立项依据充分性", "充分",
     "①项目是否按照规定的程序申请设立；②所提交的文件、材料是否符合相关要求；③立项前期是否经过必要的需求调研、可行性研究或编制项目建议书。若①②③齐全得权重100%；如不符合①得0分；缺②扣权重30%，缺③扣权重30%。",
     3, None, 3, None, "考察项目立项的依据文件和地区的战略、发展目标以及部门的基本职能和工作计划相适应。"),
    ("项目决策", "项目立项", "立项程序规范性", "规范",
     "①项目是否按照规定的程序申请设立；②所提交的文件、材料是否符合相关要求；③立项前期是否经过必要的需求调研、可行性研究或编制项目建议书。若①②③齐全得权重100%；如不符合①得0分；缺②扣权重30%，缺③扣权重30%。",
     2, None, 2, None, "①2020年其他工作项目按相关规定设立了绩效目标；②项目绩效目标与实际工作内容具有相关性。"),
    ("项目决策", "绩效目标", "绩效目标合理性", "合理",
     "①…②…③…④…⑤… 五项均符合得权重分 100%，每项占权重的 1/5，符合得到相应权重分，否则不得分。", 2, None, 2, None, None),
    ("项目决策", "绩效目标", "绩效目标明确性", "明确",
     "①设定了明确的绩效目标得 1 分；②绩效目标合理、全面的反映了项目的所有实施内容得 1 分，每发现一项未设定绩效目标扣 0.1 分；③绩效目标符合实际情况得 1 分。",
     3, None, 3, None, None),
    ("项目决策", "资金投入", "预算编制科学性", "合理",
     "①预算编制是否经过科学论证；②预算内容与项目内容是否匹配；③预算额度测算依据是否充分；④预算确定的项目投资额是否与工作任务相匹配。四项都匹配得权重 100%，每项占权重的 1/4。",
     3, None, 3, None, None),
    ("项目决策", "资金投入", "资金分配合理性", "合理", None, 2, None, 2, None, None),
    ("项目管理", "资金管理", "预算执行率", "100%",
     "与预期设定的支付进度完全匹配得 3 分，偏离预期设定的支付进度，执行率每降低 1% 扣 0.1 分，扣完为止。",
     3, None, 2.97, "预算执行率为 99.11%，扣 0.03 分", None),
    ("项目管理", "资金管理", "财务管理制度健全性", "健全", None, 5, None, 5, None, None),
    ("项目管理", "资金管理", "资金使用合规性", "合规", None, 5, None, 5, None, None),
    ("项目管理", "组织实施", "管理制度健全性", "健全",
     "①有建立相关的项目管理制度得 4 分；②建立的各项制度的要求明确得 2 分。", 6, None, 6, None, None),
    ("项目管理", "组织实施", "管理制度执行有效性", "有效", None, 6, None, 6, None, None),
    ("产出", "数量指标", "活动开展次数", "≥8次", "活动开展次数≥8次得6分，完成情况每下降1次，扣2分，扣完为止。", 6, "10次", 6, None, None),
    ("产出", "数量指标", "《福田工商联》杂志出版期数", "≥6期", "《福田工商联》杂志出版期数≥6期得6分，完成情况每下降1期，扣2分，扣完为止。", 6, "6期", 6, None, None),
    ("产出", "质量指标", "活动开展人员参与率", "≥90%", "活动开展人员参与率达到≥90%得6分，每降低1%，扣0.1分，扣完为止。", 6, "100%", 6, None, None),
    ("产出", "质量指标", "杂志出版合格率", "≥90%", "杂志出版合格率达到≥90%得6分，每降低1%，扣0.1分，扣完为止。", 6, "100%", 6, None, None),
    ("产出", "时效指标", "活动开展及时性", "及时", "其他工作项目活动开展及时得2分，每存在一项工作未及时完成扣1%权重分。", 2, "及时", 2, None, None),
    ("产出", "时效指标", "杂志出版及时率", "≥90%", "其他工作项目杂志出版及时率≥90%得2分，每降低1%，扣0.1分，扣完为止。", 2, "100%", 2, None, None),
    ("产出", "成本指标", "成本控制率", "≤100%", "严控项目支出，未发生超预算的情况得2分，发生超预算的情况该项不得分。", 2, "99.11%", 2, None, None),
    ("效益", "经济效益", "助力民营企业经济发展", "有效", "有效助力民营企业经济发展得6分，效益每降低10%，扣1分，扣完为止。", 6, "有效", 6, None, None),
    ("效益", "社会效益", "为民营企业高质量营造优良营商环境", "有效", "有效为民营企业高质量营造优良营商环境得6分，效益每降低10%，扣1分，扣完为止。", 6, "有效", 6, None, None),
    ("效益", "可持续影响", "引导非公经济企业积极参与粤港澳大湾区建设", "有效", "有效引导非公经济企业积极参与粤港澳大湾区建设得6分，效益每降低10%，扣1分，扣完为止。", 6, "有效", 6, None, None),
    ("效益", "满意度指标", "辖区群众满意度", "≥90%", "依据满意度调查结果，满意度达到≥90%得6分，每降低1%，扣减权重分值的3%，低于60%不得分。", 6, None, 3, "开展满意度问卷调查，但未收到群众投诉，酌情扣3分", None),
    ("效益", "长效管理机制", "绩效跟踪评价", "开展", "①开展了绩效自评得2分；②绩效评价结果按要求进行了公开得2分；③及时进行了整改反馈得2分。", 6, None, 6, None, "考察是否有对项目进行绩效评价。"),
]  # fmt: skip

BLOCK_FIRST_ROW = {"项目决策": 5, "项目管理": 15, "产出": 25, "效益": 35}


def futian_table(rows=None, **kw) -> EvalTable:
    """福田 2021 表2-1 with the rules of 附件1 (seed 004), on the template layout."""
    table = EvalTable(
        project_name="工商联经费项目",
        unit="深圳市福田区工商业联合会",
        year=2021,
        initial_budget=175,
        annual_budget=182.2,
        executed=180.57,
        level1_weights={"项目决策": 15, "项目管理": 25, "产出": 30, "效益": 30},
        total=96.97,
        grade="优",
        profile="futian2021",
    )
    for k, v in kw.items():
        setattr(table, k, v)
    next_row = dict(BLOCK_FIRST_ROW)
    for spec in rows or FUTIAN_ROWS:
        l1, l2, l3, bench, rule, weight, actual, score, reason, desc = spec
        row = next_row[l1]
        next_row[l1] += 1
        table.indicators.append(
            EvalIndicator(
                level1=l1, level2=l2, level3=l3, description=desc, benchmark=bench, rule=rule,
                weight=weight, actual=actual, score=score, deduction_reason=reason, row=row,
            )
        )  # fmt: skip
    return place(table, evaltable_template())


def futian_selfeval(**kw) -> SelfEvalForm:
    """福田 2021 表1-2 as published: scores only, 合计 100, no 预算执行率 row."""
    rows = {
        "数量指标": [("企业家理想信念教育培训、春茗会、工商联界别座谈会、调研", "一年举办活动不少于 8 次，《福田工商联》杂志出版不少于 6 期", "开展活动 10 次，出版杂志 6 期", None, 20)],
        "质量指标": [("充分发挥党委和政府桥梁纽带作用", "通过组织各种活动，加强企业交流合作，助力优化营商环境", "开展活动加强企业交流合作，助力优化营商环境", None, 20)],
        "时效指标": [("12 月底前完成各项工作", "2021 年 12 月 31 日", "2021 年 12 月 31 前已完成", None, 10)],
        "经济效益指标": [("全力助力民营企业融入深圳建设先行示范区", "引导辖区民营企业家融入“一轴两翼五廊”发展格局", "助力民营企业经济发展", None, 8)],
        "社会效益指标": [("充分发挥党委和政府桥梁纽带作用", "聚焦粤港澳大湾区，开展“八大行动”", "为民营企业高质量营造优良营商环境", None, 15)],
        "生态效益指标": [("不适用", "不适用", "不适用", None, 0)],
        "可持续影响指标": [("充分发挥党委和政府桥梁纽带作用", "引导非公经济企业积极参与粤港澳大湾区建设", "推进建设高质量发展社会主义现代化典范城区", None, 7)],
        "服务对象满意度指标": [("服务对象满意度", "服务对象满意度指标不低于 85%", "100%", None, 10)],
    }  # fmt: skip
    args = dict(exec_weight=None, total_weight=None, total=100, project_code=None)
    args.update(kw)
    return selfeval(rows, funds_of(175, 182.2, 180.57), **args)


# --------------------------------------------------------------------------
# acceptance: the seed forms (DOMAIN.md §5)
# --------------------------------------------------------------------------


@pytest.mark.parametrize("build", [longgang1, longgang2, longgang3])
def test_consistent_longgang_forms_have_no_error(build):
    assert errors(validate_form(build())) == []


def test_longgang_content_warnings_at_their_cells():
    # L-2: 党建事务 成本指标 actual is a constraint (F23, 成本 group row 23)
    assert pairs(validate_form(longgang1())) == {("ACTUAL_IS_CONSTRAINT", "F23")}
    # L-3 target text in 三级指标 (D14); L-5 satisfaction row without % (F38)
    assert pairs(validate_form(longgang2())) == {
        ("TARGET_IN_LEVEL3", "D14"),
        ("SATISFACTION_NO_PERCENT", "F38"),
    }
    # L-6: 法律顾问 成本控制 actual ≤3万
    assert pairs(validate_form(longgang3())) == {("ACTUAL_IS_CONSTRAINT", "F23")}


def test_project_code_with_stray_space_l8():
    found = pairs(validate_form(longgang1(project_code="44030721070150000349 6")))
    assert ("PROJECT_CODE_FORMAT", "B2") in found


def test_rounding_trap_l7_is_not_a_finding():
    # 99.35 % × 10 = 9.935 -> 9.94 half-up (float round gives 9.93)
    assert not [f for f in validate_form(longgang2()) if f.cell == "H6"]
    found = pairs(validate_form(longgang2(exec_score=9.93)))
    assert ("ROUNDING_DIFF", "H6") in found
    assert not errors(validate_form(longgang2(exec_score=9.93)))


def test_futian_selfeval_total_f1_f2():
    found = validate_form(futian_selfeval())
    # F-1: 合计 100 while the listed scores sum to 90; F-2: 99.11 % gives 9.91, not 10
    assert ("TOTAL_MISMATCH", "H44") in pairs(errors(found))
    assert ("EXEC_SCORE_MISSING", "H6") in pairs(found)
    # weights were not published: every used row lacks its 分值
    assert {c for code, c in pairs(found) if code == "REQUIRED_EMPTY"} >= {
        "G14",
        "G17",
        "G20",
        "G26",
    }
    # the claimed full execution score
    full = validate_form(futian_selfeval(exec_weight=10, exec_score=10, total=100))
    assert pairs(errors(full)) == {("EXEC_SCORE_MISMATCH", "H6")}


def test_futian_table_f3_f4_f10():
    found = validate_form(futian_table())
    got = pairs(found)
    assert ("RULE_SCORE_MISMATCH", "I15") in pairs(errors(found))  # F-3: 2.97 vs rule 2.91
    assert ("RULE_NOT_DERIVABLE", "I38") in got  # F-4: 满意度 3 not derivable
    assert ("RULE_DUPLICATE", "F6") in got  # F-10: copied rule
    assert ("TEXT_OTHER_YEAR", "D6") in got  # F-10: 2020 text in a 2021 evaluation
    # positive tests (DOMAIN §5.2): nothing else is an error, rule maxima equal weights (F-11)
    assert {c for c, _ in pairs(errors(found))} == {"RULE_SCORE_MISMATCH"}
    assert not [f for f in found if f.code == "RULE_MAX_WEIGHT"]


def test_futian_exec_row_under_profile_rule_without_written_rule():
    rows = [r if r[2] != "预算执行率" else (*r[:4], None, *r[5:]) for r in FUTIAN_ROWS]
    found = validate_form(futian_table(rows))
    assert ("SCORE_MISMATCH", "I15") in pairs(errors(found))  # futian2021: 2.91


def test_futian_grade_under_both_profiles():
    assert not [f for f in validate_form(futian_table()) if f.code == "GRADE_MISMATCH"]
    found = validate_form(futian_table(total=75, grade="中"), profile="futian2021")
    assert ("GRADE_MISMATCH", "I46") not in pairs(found)
    found = validate_form(futian_table(total=65, grade="中"), profile="futian2021")
    assert ("GRADE_MISMATCH", "I46") in pairs(found)  # 65 < 70 is 低 under 福田


def test_level1_weight_declared_vs_rows():
    table = futian_table(level1_weights={"项目决策": 5, "项目管理": 25, "产出": 30, "效益": 30})
    assert ("LEVEL1_WEIGHT_SUM", "G49") in pairs(validate_form(table))  # F-9: 项目决策 (5分)


def test_weight_text_mismatch_f7():
    rows = [
        r if r[2] != "绩效跟踪评价" else (*r[:9], "该指标分值为4分，评价得分为4分。")
        for r in FUTIAN_ROWS
    ]
    assert ("WEIGHT_TEXT_MISMATCH", "G39") in pairs(validate_form(futian_table(rows)))


@pytest.mark.parametrize(
    ("grade", "mismatch"),
    [("优", False), ("优秀", False), ("优（99.89分）", False), ("良好", True)],
)
def test_a_grade_written_another_way_is_no_mismatch(grade, mismatch):
    """优秀 is 优 (profile [grades] aliases); 良好 is 良, not the 优 of 99.89."""
    found = pairs(validate_form(longgang1(grade=grade)))
    assert (("GRADE_MISMATCH", "H45") in found) is mismatch
