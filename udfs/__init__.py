"""Excel worksheet functions (xlwings UDFs) for 预算绩效 forms.

Each function is a thin wrapper over :mod:`perfkit`: the decorators say how
Excel sees it (category 绩效评价, argument help in the function wizard), the
body converts what Excel passes and calls the core.  A function never raises
into Excel: bad input gives a short Chinese message in the cell.

On Linux ``xw.func``/``xw.arg`` are no-ops, so these stay plain functions that
tests call directly.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal

import xlwings as xw

from perfkit import rules, scoring, targets
from perfkit.errors import PerfkitError
from perfkit.numbers import NotANumber, NumberOutOfRange, to_decimal

CATEGORY = "绩效评价"
# What a cell shows when the core fails in a way it should not: never the
# exception's text or class name.
INTERNAL_ERROR = "无法计算：perfkit 内部错误，请把此单元格的输入报告给维护者"
EXCEL_ERRORS = (
    "#NULL!",
    "#DIV/0!",
    "#VALUE!",
    "#REF!",
    "#NAME?",
    "#NUM!",
    "#N/A",
    "#GETTING_DATA",
    "#SPILL!",
    "#CALC!",
)

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


class _BadArgument(Exception):
    pass


def _scalar(value: object) -> object:
    """A single cell as xlwings or a test harness hands it over."""
    while isinstance(value, (list, tuple)) and len(value) == 1:
        value = value[0]
    if isinstance(value, (list, tuple)):
        raise _BadArgument("此参数应为单个单元格，不是区域")
    if isinstance(value, str):
        if value.strip().upper() in EXCEL_ERRORS:
            raise _BadArgument(f"引用的单元格是错误值 {value.strip()}")
        if value.strip() == "":
            return None
    return value


def _number(value: object, what: str) -> Decimal | None:
    value = _scalar(value)
    try:
        return to_decimal(value)
    except NumberOutOfRange as err:
        raise _BadArgument(f"{what}：{err.message}") from None
    except NotANumber as err:
        raise _BadArgument(f"{what}“{err}”不是数字") from None


def _name(value: object) -> str | None:
    """An optional text argument (a profile or indicator name); blank -> None."""
    value = _scalar(value)
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip() or None


def _out(value: object) -> object:
    """Decimal -> float for Excel; None -> "" (the cell looks empty)."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return float(value)
    return value


def cell_result(compute: Callable[[], object]) -> object:
    """Run *compute*; turn any input problem into a Chinese message for the cell.

    Input problems are :class:`_BadArgument` (the adapter's own checks) or a
    :class:`~perfkit.errors.PerfkitError` of the core, shown by their Chinese
    message; anything else is a defect and shows :data:`INTERNAL_ERROR`,
    never the exception's text."""
    try:
        return _out(compute())
    except _BadArgument as err:
        return str(err)
    except PerfkitError as err:
        return err.message
    except Exception:  # last line of defence: never a traceback or a class name
        return INTERNAL_ERROR


@xw.func(category=CATEGORY)
@xw.arg("executed", doc="全年执行数（元或万元，与预算数同一单位）")
@xw.arg("budget", doc="全年预算数（调整后预算，不是年初预算数）")
def EXEC_RATE(executed, budget):
    """预算执行率（%）= 全年执行数 ÷ 全年预算数 × 100，四舍五入保留两位小数。"""

    def compute():
        e = _number(executed, "全年执行数")
        b = _number(budget, "全年预算数")
        if e is None or b is None:
            return None
        if b == 0:
            raise _BadArgument("全年预算数为 0，无法计算执行率")
        return scoring.exec_rate_pct(e, b)

    return cell_result(compute)


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

    def compute():
        e = _number(executed, "全年执行数")
        b = _number(budget, "全年预算数")
        w = _number(weight, "分值")
        if e is None or b is None:
            return None
        if b == 0:
            raise _BadArgument("全年预算数为 0，无法计算执行率得分")
        return scoring.exec_score(e, b, w, _name(rule))

    return cell_result(compute)


@xw.func(category=CATEGORY)
@xw.arg("target", doc="年度指标值，如 ≥90%、5-8家、≤3万元、按时完成")
@xw.arg("actual", doc="实际完成值，如 100%、2家")
@xw.arg("weight", doc="分值")
@xw.arg("direction", doc="可选：正向、反向 或 等于；留空时按指标值的符号或指标名称判断")
@xw.arg("name", doc="可选：三级指标名称（名称含“成本”“控制率”等时按反向指标计分）")
@xw.arg("profile", doc="可选：评分规则名称，默认 mof2020")
def PERF_SCORE(target, actual, weight, direction=None, name=None, profile=None):
    """绩效指标得分：完成指标值记满分，未完成按完成比例记分；定性指标按达成程度；不超过分值、不低于 0。"""

    def compute():
        w = _number(weight, "分值")
        t = _scalar(target)
        a = _scalar(actual)
        if w is None and t is None and a is None:
            return None
        if w is None:
            raise _BadArgument("缺少分值")
        if a is None:
            return None
        n = _name(name)
        score = scoring.indicator_score(t, a, w, _scalar(direction), n or "", _name(profile))
        return scoring.cell_value(score, n)

    return cell_result(compute)


@xw.func(category=CATEGORY)
@xw.arg("actual", doc="实际值，如 85% 或 7")
@xw.arg("benchmark", doc="标杆值（满分线），如 90% 或 8")
@xw.arg("weight", doc="权重（满分）")
@xw.arg("step", doc="每降低多少扣一次，如 1% 或 1")
@xw.arg("per_step", doc="每次扣的分数；写成“3%”表示扣权重分值的 3%")
@xw.arg("zero_below", doc="可选：低于此值不得分，如 60%")
def PERF_DEDUCT(actual, benchmark, weight, step, per_step, zero_below=None):
    """按扣分规则计分：达到标杆值得满分，每降低一个步长扣相应分数，扣完为止；低于下限不得分。"""

    def compute():
        a = _number(actual, "实际值")
        b = _number(benchmark, "标杆值")
        w = _number(weight, "权重")
        s = _number(step, "步长")
        p = _scalar(per_step)
        if isinstance(p, str) and p.strip().endswith(("%", "％")):
            per = p.strip()
            if to_decimal(per.rstrip("%％")) is None:
                raise _BadArgument(f"每次扣分“{p}”不是数字")
        else:
            per = _number(p, "每次扣分")
        z = _number(zero_below, "不得分下限")
        if a is None:
            return None
        if None in (b, w, s, per):
            raise _BadArgument("标杆值、权重、步长和每次扣分都必须填写")
        if s <= 0:
            raise _BadArgument("步长必须大于 0")
        return scoring.deduct_score(a, b, w, s, per, z)

    return cell_result(compute)


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
    rule_text,
    actual,
    weight,
    benchmark=None,
    name=None,
    executed=None,
    budget=None,
    profile=None,
):
    """按书面评分标准计分：识别“每降低…扣…分”“发生…不得分”“①②③逐项计分”等写法；识别不了时与标杆值比较；预算执行率一行可由执行数、预算数计算。"""

    def compute():
        w = _number(weight, "权重")
        a = _scalar(actual)
        e = _number(executed, "全年执行数")
        b = _number(budget, "全年预算数")
        n = _name(name)
        if w is None:
            if a is None:
                return None
            raise _BadArgument("缺少权重")
        score = rules.eval_score(
            _scalar(rule_text), a, w, _scalar(benchmark), n, e, b, _name(profile)
        )
        return scoring.cell_value(score, n)

    return cell_result(compute)


def _flatten(values: Iterable[object]) -> Iterable[object]:
    for v in values:
        if isinstance(v, (list, tuple)):
            yield from _flatten(v)
        else:
            yield v


@xw.func(category=CATEGORY)
@xw.arg("ranges", doc="得分单元格或区域，可多个")
def PERF_TOTAL(*ranges):
    """总分：各得分之和（空白与“不适用”“—”“无”不计），四舍五入保留两位小数；有未计分的行时说明是哪一行。"""

    def compute():
        cells = list(_flatten(ranges))
        for v in cells:
            if isinstance(v, str) and v.strip().upper() in EXCEL_ERRORS:
                raise _BadArgument(f"得分中有错误值 {v.strip()}")
        try:
            return scoring.total(cells)
        except NumberOutOfRange as err:
            raise _BadArgument(f"得分中{err.message}") from None
        except NotANumber as err:
            raise _BadArgument(f"得分中有非数字内容“{str(err)[:20]}”，请先修正") from None

    return cell_result(compute)


@xw.func(category=CATEGORY)
@xw.arg("total", doc="总分")
@xw.arg(
    "scheme", doc="可选：评分规则名称（mof2020：90 优、80 良、60 中；futian2021：70 中、以下为低）"
)
def PERF_GRADE(total, scheme=None):
    """绩效等级：默认 90（含）以上优、80（含）-90 良、60（含）-80 中、60 以下差。"""

    def compute():
        t = _number(total, "总分")
        if t is None:
            return None
        return scoring.grade(t, _name(scheme))

    return cell_result(compute)


@xw.func(category=CATEGORY)
@xw.arg("text", doc="年度指标值或实际完成值的文字")
def PERF_PARSE(text):
    """显示 perfkit 如何理解一段指标值文字，如“≥ 90 %”“5–8 家”“定性”。"""

    def compute():
        value = _scalar(text)
        return targets.read(value).describe()

    return cell_result(compute)
