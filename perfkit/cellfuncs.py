"""What perfkit's Excel functions compute, cell by cell.

Each function takes its arguments as Excel hands them to a UDF (a single
cell as a scalar, blank as None, a range as a list) and returns what the
cell shows: a number, "" for an empty look, or a short Chinese message for
input that cannot be scored.  The xlwings UDFs (``udfs/``) are thin wrappers
over these; the template writer calls them too, to store each formula cell's
result in the file (so a form shows its scores before the add-in loads), so
a cell, a stored result and the command line never disagree.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal

from . import rules, scoring, targets
from .errors import PerfkitError
from .numbers import NotANumber, NumberOutOfRange, to_decimal

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

FUNCTIONS = {  # Excel name -> implementation in this module
    "EXEC_RATE": "exec_rate",
    "EXEC_SCORE": "exec_score",
    "PERF_SCORE": "perf_score",
    "PERF_DEDUCT": "perf_deduct",
    "PERF_RULE": "perf_rule",
    "PERF_TOTAL": "perf_total",
    "PERF_GRADE": "perf_grade",
    "PERF_PARSE": "perf_parse",
}


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


def _hint(value: object) -> str | None:
    """The 二级指标 a score formula passes as a hint (成本指标 …): never an
    error of its own (a deleted label cell gives #REF!, read as no hint)."""
    try:
        return _name(value)
    except _BadArgument:
        return None


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


def exec_rate(executed, budget):
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


def exec_score(executed, budget, weight=None, rule=None):
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


def perf_score(target, actual, weight, direction=None, name=None, profile=None, group=None):
    """绩效指标得分：完成指标值记满分，未完成按完成比例记分；定性指标按达成程度；不超过分值、不低于 0。"""

    def compute():
        w = _number(weight, "分值")
        t = _scalar(target)
        a = _scalar(actual)
        if w is None and t is None and a is None:
            return None
        if w is None:
            raise _BadArgument("缺少分值")
        n = _name(name)
        score = scoring.indicator_score(
            t, a, w, _scalar(direction), n or "", _name(profile), _hint(group) or ""
        )
        return scoring.cell_value(score, n)

    return cell_result(compute)


def perf_deduct(actual, benchmark, weight, step, per_step, zero_below=None):
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


def perf_rule(
    rule_text,
    actual,
    weight,
    benchmark=None,
    name=None,
    executed=None,
    budget=None,
    profile=None,
):
    """按书面评分标准计分：识别“每降低…扣…分”“发生…不得分”“①②③逐项计分”“按时完成得2分，延迟完成得1分…”“得分=完成率×分值”等写法；识别不了时与标杆值比较；预算执行率一行可由执行数、预算数计算。"""

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


def perf_total(*ranges):
    """总分：各得分之和（空白与“不适用”“—”“无”不计），四舍五入保留两位小数；有未计分的行时说明是哪一行。"""

    def compute():
        cells = list(_flatten(ranges))
        for v in cells:
            if isinstance(v, str) and v.strip().upper() in EXCEL_ERRORS:
                raise _BadArgument(f"得分中有错误值 {v.strip()}")
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in cells):
            return None  # nothing scored yet: the total looks empty, as do its grade
        try:
            return scoring.total(cells)
        except NumberOutOfRange as err:
            raise _BadArgument(f"得分中{err.message}") from None
        except NotANumber as err:
            raise _BadArgument(f"得分中有非数字内容“{str(err)[:20]}”，请先修正") from None

    return cell_result(compute)


def perf_grade(total, scheme=None):
    """绩效等级：默认 90（含）以上优、80（含）-90 良、60（含）-80 中、60 以下差。"""

    def compute():
        t = _number(total, "总分")
        if t is None:
            return None
        return scoring.grade(t, _name(scheme))

    return cell_result(compute)


def perf_parse(text):
    """显示 perfkit 如何理解一段指标值文字，如“≥ 90 %”“5–8 家”“定性”。"""

    def compute():
        value = _scalar(text)
        return targets.read(value).describe()

    return cell_result(compute)
