"""No Python exception text ever reaches a user or a cell (issue 12 item 8).

Every public function of perfkit.numbers, targets, scoring and rules, and every
Excel function, is called with arbitrary values: text, huge, tiny and negative
numbers, NaN and infinities, signalling NaN, lists, None, bools, dates.  Each
call returns a result or raises a documented PerfkitError subclass whose
message is Chinese; no text it shows carries an ASCII exception word that the
input did not already hold.
"""

from __future__ import annotations

import datetime as dt
import inspect
import os
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import udfs
from perfkit import cellfuncs, numbers, rules, scoring, targets
from perfkit.errors import PerfkitError
from perfkit.numbers import NotANumber
from perfkit.profiles import ProfileError
from perfkit.scoring import Score, ScoringError

# Exception words that must never reach a user (unless the input held them).
BANNED = (
    "Error",
    "Exception",
    "Traceback",
    "class",
    "decimal.",
    "InvalidOperation",
    "NoneType",
    "object at",
)
# The PerfkitError subclasses the core documents.
DOCUMENTED = (NotANumber, ScoringError, ProfileError)

INTERESTING_TEXT = [
    "",
    " ",
    "≥90%",
    "≤3万",
    "3.3万元",
    "5-8家",
    "成立1家换届1家",
    "待统计",
    "暂无数据",
    "满意度较低",
    "部分完成",
    "不适用",
    "—",
    "无",
    "99.11%",
    "1e30",
    "1e26",
    "-1e30",
    "1e-999999",
    "9" * 40,
    "≥" + "9" * 40 + "家",
    "0.000000000000000000001",
    "nan",
    "inf",
    "#DIV/0!",
    "九千九百万亿亿亿",
    "百分之九十",
    "2021年12月31日",
    "①a得1分②b得1分",
    "每降低1%扣" + "9" * 40 + "分",
    "执行率每降低 1% 扣 0.1 分",
    "满意度达到≥90%得6分，每降低1%，扣减权重分值的3%，低于60%不得分",
    "①②③各占1/0",
    "90%（含）以上得5分，80%-90%得3分，80%以下不得分",
    "≥" + "9" * 40 + "%得满分；1e30%-2%得" + "9" * 40 + "%分值；否则不得分",
    "按时完成得满分，每延迟1天扣0.5分",
    "每延迟" + "9" * 40 + "天扣1分",
    "延迟3天",
    "提前完成",
    "预算执行率",
    "资金执行率",
    "platform",
    "mof2020",
    "futian2021",
    "【未计分】活动开展次数：实际完成值“待统计”没有实测结果，无法计分",
    "正向",
    "反向",
    "=",
    "floor",
]

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**40), max_value=10**40),
    st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.sampled_from([Decimal("sNaN"), Decimal("NaN"), Decimal("-Infinity"), Decimal("1E+999999")]),
    st.sampled_from(INTERESTING_TEXT),
    st.text(max_size=40),
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2200, 12, 31)),
)
values = st.one_of(
    scalars,
    st.lists(scalars, max_size=3),
    st.lists(st.lists(scalars, max_size=3), max_size=3),
)

# PERFKIT_FUZZ_EXAMPLES=2000 for a longer run by hand; the default keeps the file fast.
FUZZ = settings(
    max_examples=int(os.environ.get("PERFKIT_FUZZ_EXAMPLES", "100")),
    deadline=1000,  # ms: a call that takes a second is a defect of its own
    suppress_health_check=[HealthCheck.too_slow],
    database=None,
)


def _public_functions(module) -> list:
    return [
        fn
        for name, fn in sorted(vars(module).items())
        if not name.startswith("_") and inspect.isfunction(fn) and fn.__module__ == module.__name__
    ]


CORE = [fn for module in (numbers, targets, scoring, rules) for fn in _public_functions(module)]
UDFS = [getattr(udfs, name) for name in udfs.__all__]


def _texts_of(result: object) -> list[str]:
    """Every text a result shows a user."""
    if isinstance(result, str):
        return [result]
    if isinstance(result, Score):
        return [result.note, result.how, result.message(), result.message("指标")]
    if isinstance(result, targets.Reading):
        return [result.note, result.describe()]
    if isinstance(result, rules.Rule):
        return [result.describe()]
    if isinstance(result, (tuple, list)):
        return [t for item in result for t in _texts_of(item)]
    if isinstance(result, dict):
        return [t for k, v in result.items() for t in (*_texts_of(k), *_texts_of(v))]
    return []


def _check_texts(shown: list[str], args: tuple) -> None:
    given_text = " ".join(repr(a) for a in args)
    for text in shown:
        for word in BANNED:
            assert word not in text or word in given_text, f"{word!r} in {text!r}"


def _call(fn, args):
    try:
        result = fn(*args)
    except DOCUMENTED as err:
        assert any("\u4e00" <= c <= "\u9fff" for c in err.message), err.message
        _check_texts([err.message], args)
        return None
    except PerfkitError as err:  # pragma: no cover - a PerfkitError not documented
        pytest.fail(f"{fn.__name__} raised an undocumented {type(err).__name__}: {err.message}")
    _check_texts(_texts_of(result), args)
    return result


def _arity(fn) -> tuple[int, int]:
    params = [
        p
        for p in inspect.signature(fn).parameters.values()
        if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
    ]
    required = sum(p.default is p.empty for p in params)
    return required, len(params)


def test_the_fuzzed_surface_is_the_whole_public_surface():
    names = {f"{fn.__module__}.{fn.__name__}" for fn in CORE}
    for expected in (
        "perfkit.numbers.to_decimal",
        "perfkit.numbers.round2",
        "perfkit.targets.read",
        "perfkit.scoring.indicator_score",
        "perfkit.scoring.exec_score",
        "perfkit.scoring.total",
        "perfkit.scoring.score_inflation",
        "perfkit.rules.eval_score",
        "perfkit.rules.parse_rule",
    ):
        assert expected in names
    assert len(CORE) >= 35 and len(UDFS) == 8


@pytest.mark.parametrize("fn", CORE, ids=lambda f: f"{f.__module__.split('.')[-1]}.{f.__name__}")
@FUZZ
@given(data=st.data())
def test_core_function_returns_or_raises_a_documented_error(fn, data):
    required, total = _arity(fn)
    count = data.draw(st.integers(min_value=required, max_value=total), label="count")
    args = tuple(data.draw(values, label=f"arg{i}") for i in range(count))
    result = _call(fn, args)
    # the objects a function hands back are safe to use in turn
    if isinstance(result, targets.Reading):
        for m in result.measures:
            _check_texts([m.describe(), m.symbol(), str(m.base()), str(m.base_upper())], args)
        _call(lambda: result.is_constraint, ())
    if isinstance(result, rules.Rule):
        extra = tuple(data.draw(values, label=f"rule_arg{i}") for i in range(3))
        _call(result.score, extra)
        _call(result.max_points, extra[1:2])
        _call(result.needs_number, extra[2:])
        if isinstance(result, rules.DeductRule):
            _call(result.points_per_step, extra[1:2])
        if isinstance(result, rules.ChecklistRule):
            _call(result.missing_items, extra[:1])


@pytest.mark.parametrize("fn", UDFS, ids=lambda f: f.__name__)
@FUZZ
@given(data=st.data())
def test_udf_never_raises_and_never_shows_exception_text(fn, data):
    required, total = _arity(fn)
    if total == 0:  # PERF_TOTAL(*ranges)
        count = data.draw(st.integers(min_value=0, max_value=4), label="count")
    else:
        count = data.draw(st.integers(min_value=required, max_value=total), label="count")
    args = tuple(data.draw(values, label=f"arg{i}") for i in range(count))
    result = fn(*args)  # never raises
    assert result is None or isinstance(result, (str, float, int)), type(result)
    if isinstance(result, float):
        assert result == result  # not NaN
    _check_texts(_texts_of(result), args)


@FUZZ
@given(
    rule=st.sampled_from(INTERESTING_TEXT) | st.text(max_size=60),
    actual=values,
    weight=values,
    benchmark=values,
    name=st.sampled_from(["预算执行率", "资金执行率", "满意度", None]),
    executed=values,
    budget=values,
)
def test_eval_score_and_perf_rule_agree(rule, actual, weight, benchmark, name, executed, budget):
    """The cell shows what the core gives: the value, or the row's message."""
    shown = udfs.PERF_RULE(rule, actual, weight, benchmark, name, executed, budget)
    if isinstance(shown, float):
        score = rules.eval_score(
            rule,
            cellfuncs._scalar(actual),
            cellfuncs._number(weight, "权重"),
            cellfuncs._scalar(benchmark),
            name,
            cellfuncs._number(executed, "全年执行数"),
            cellfuncs._number(budget, "全年预算数"),
        )
        assert score.value is not None and float(score.value) == shown
