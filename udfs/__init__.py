"""Excel worksheet functions (xlwings UDFs) for 预算绩效 forms.

Each function is a thin wrapper over :mod:`perfkit.cellfuncs`: the decorators
say how Excel sees it (category 绩效评价, argument help in the function
wizard), the body calls the core.  A function never raises into Excel: bad
input gives a short Chinese message in the cell, an unexpected failure a fixed
one (never an exception's text).

On Linux ``xw.func``/``xw.arg`` are no-ops, so these stay plain functions that
tests call directly.
"""

from __future__ import annotations

import xlwings as xw

from perfkit import cellfuncs
from perfkit.cellfuncs import CATEGORY
from perfkit.cellfuncs import INTERNAL_ERROR as INTERNAL_ERROR  # what a cell shows for a defect

__all__ = [
    "EXEC_RATE",
    "EXEC_SCORE",
    "PERF_DEDUCT",
    "PERF_GRADE",
    "PERF_PARSE",
    "PERF_RULE",
    "PERF_SCORE",
    "PERF_TOTAL",
]


@xw.func(category=CATEGORY)
@xw.arg("executed", doc="全年执行数（元或万元，与预算数同一单位）")
@xw.arg("budget", doc="全年预算数（调整后预算，不是年初预算数）")
def EXEC_RATE(executed, budget):
    """预算执行率（%）= 全年执行数 ÷ 全年预算数 × 100，四舍五入保留两位小数。"""
    return cellfuncs.exec_rate(executed, budget)


@xw.func(category=CATEGORY)
@xw.arg("executed", doc="全年执行数")
@xw.arg("budget", doc="全年预算数")
@xw.arg("weight", doc="分值，默认 10")
@xw.arg(
    "rule",
    doc="评分规则名称（如 mof2020、futian2021），默认 mof2020：执行率 × 分值，最高不超过分值",
)
def EXEC_SCORE(executed, budget, weight=None, rule=None):
    """预算执行率得分：默认 = min(执行率, 100%) × 分值，四舍五入保留两位小数；规则可选按百分点扣分。"""
    return cellfuncs.exec_score(executed, budget, weight, rule)


@xw.func(category=CATEGORY)
@xw.arg("target", doc="年度指标值，如 ≥90%、5-8家、≤3万元、按时完成")
@xw.arg("actual", doc="实际完成值，如 100%、2家")
@xw.arg("weight", doc="分值")
@xw.arg("direction", doc="可选：正向、反向 或 等于；留空时按指标值的符号或指标名称判断")
@xw.arg("name", doc="可选：三级指标名称（名称含“成本”“控制率”等时按反向指标计分）")
@xw.arg("profile", doc="可选：评分规则名称，默认 mof2020")
@xw.arg("group", doc="可选：二级指标名称（如“成本指标”：未写符号的指标值按反向计分）")
def PERF_SCORE(target, actual, weight, direction=None, name=None, profile=None, group=None):
    """绩效指标得分：完成指标值记满分，未完成按完成比例记分；定性指标按达成程度；不超过分值、不低于 0。"""
    return cellfuncs.perf_score(target, actual, weight, direction, name, profile, group)


@xw.func(category=CATEGORY)
@xw.arg("actual", doc="实际值，如 85% 或 7")
@xw.arg("benchmark", doc="标杆值（满分线），如 90% 或 8")
@xw.arg("weight", doc="权重（满分）")
@xw.arg("step", doc="每降低多少扣一次，如 1% 或 1")
@xw.arg("per_step", doc="每次扣的分数；写成“3%”表示扣权重分值的 3%")
@xw.arg("zero_below", doc="可选：低于此值不得分，如 60%")
def PERF_DEDUCT(actual, benchmark, weight, step, per_step, zero_below=None):
    """按扣分规则计分：达到标杆值得满分，每降低一个步长扣相应分数，扣完为止；低于下限不得分。"""
    return cellfuncs.perf_deduct(actual, benchmark, weight, step, per_step, zero_below)


@xw.func(category=CATEGORY)
@xw.arg("rule_text", doc="评分标准原文，如“≥8次得6分，每下降1次扣2分，扣完为止”")
@xw.arg("actual", doc="实际值")
@xw.arg("weight", doc="权重")
@xw.arg("benchmark", doc="可选：标杆值")
@xw.arg("name", doc="可选：三级指标名称（“预算执行率”“资金执行率”等行按执行率计分）")
@xw.arg("executed", doc="可选：全年执行数（预算执行率一行的实际值留空时用于计算执行率）")
@xw.arg("budget", doc="可选：全年预算数")
@xw.arg("profile", doc="可选：评分规则名称，默认 mof2020")
def PERF_RULE(
    rule_text, actual, weight, benchmark=None, name=None, executed=None, budget=None, profile=None
):
    """按书面评分标准计分：识别“每降低…扣…分”“低于…按比例得分”“分档得分”“每延迟…扣…分”“发生…不得分”“①②③逐项计分”“按时完成得2分，延迟完成得1分…”“得分=完成率×分值”等写法；识别不了时与标杆值比较；预算执行率一行可由执行数、预算数计算。"""
    return cellfuncs.perf_rule(
        rule_text, actual, weight, benchmark, name, executed, budget, profile
    )


@xw.func(category=CATEGORY)
@xw.arg("ranges", doc="得分单元格或区域，可多个")
def PERF_TOTAL(*ranges):
    """总分：各得分之和（空白与“不适用”“—”“无”不计），四舍五入保留两位小数；有未计分的行时说明是哪一行。"""
    return cellfuncs.perf_total(*ranges)


@xw.func(category=CATEGORY)
@xw.arg("total", doc="总分")
@xw.arg(
    "scheme", doc="可选：评分规则名称（mof2020：90 优、80 良、60 中；futian2021：70 中、以下为低）"
)
def PERF_GRADE(total, scheme=None):
    """绩效等级：默认 90（含）以上优、80（含）-90 良、60（含）-80 中、60 以下差。"""
    return cellfuncs.perf_grade(total, scheme)


@xw.func(category=CATEGORY)
@xw.arg("text", doc="年度指标值或实际完成值的文字")
def PERF_PARSE(text):
    """显示 perfkit 如何理解一段指标值文字，如“≥ 90 %”“5–8 家”“定性”。"""
    return cellfuncs.perf_parse(text)
