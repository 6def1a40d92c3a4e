"""Many forms at a glance: one row per form, and 汇总.xlsx with charts.

Scores are recomputed by the engine (``perfkit.scoring``) from each form's
inputs — amounts, targets, actual values, weights — never taken from cached
formula results; the form's own total cell is reported beside the engine's and
flagged when they disagree.  Files that cannot be read become a row with the
reason; the batch never stops for one bad file.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from . import batch, scoring
from .fsutil import check_outputs, write_atomic
from .model import (
    EVAL_TABLE,
    SELF_EVAL,
    EvalIndicator,
    EvalTable,
    Indicator,
    SelfEvalForm,
    value_of,
)
from .numbers import HUNDRED, ZERO, NotANumber, fmt, round2, to_decimal
from .rules import rule_score

WAN = Decimal(10000)  # 评分表 amounts are in 万元, 自评表 amounts in 元

# Subtotal columns: first-level label keyword -> column id.
BLOCKS = (
    ("产出", "output"),
    ("效益", "benefit"),
    ("满意", "satisfaction"),
    ("决策", "decision"),
    ("过程", "process"),
    ("管理", "process"),
)
EVAL_ONLY_COLUMNS = ("decision", "process")

# Column id -> (Chinese header, kind) in output order.  kind picks the number
# format: text, money (元), pct (percent number such as 98.87), score, int.
COLUMNS: dict[str, tuple[str, str]] = {
    "file": ("文件", "text"),
    "form": ("表格", "text"),
    "unit": ("单位", "text"),
    "dept": ("主管部门", "text"),
    "project_code": ("项目编码", "text"),
    "project_name": ("项目名称", "text"),
    "year": ("年度", "text"),
    "profile": ("评分规则", "text"),
    "initial_budget": ("年初预算数（元）", "money"),
    "annual_budget": ("全年预算数（元）", "money"),
    "executed": ("全年执行数（元）", "money"),
    "exec_rate_pct": ("执行率（%）", "pct"),
    "exec_score": ("执行率得分", "score"),
    "decision": ("决策", "score"),
    "process": ("过程", "score"),
    "output": ("产出指标", "score"),
    "benefit": ("效益指标", "score"),
    "satisfaction": ("满意度指标", "score"),
    "total": ("总分", "score"),
    "grade": ("绩效等级", "text"),
    "form_total": ("表内总分", "score"),
    "total_differs": ("总分不一致", "text"),
    "unscored": ("无法计分指标数", "int"),
    "errors": ("错误数", "int"),
    "warnings": ("警告数", "int"),
    "read_error": ("无法读取原因", "text"),
    "note": ("备注", "text"),
}

FORM_NAMES = {SELF_EVAL: "自评表", EVAL_TABLE: "评分表"}


@dataclass(frozen=True)
class _Job:
    path: str
    profile: str | None


# --------------------------------------------------------------------------
# Scoring one form
# --------------------------------------------------------------------------


def _dec(raw: Any) -> Decimal | None:
    """A number from a cell value (cached value of a formula), None if blank or junk."""
    try:
        return to_decimal(value_of(raw))
    except NotANumber:
        return None


def _text(raw: Any) -> str:
    value = value_of(raw)
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def block_of(level1: str) -> str | None:
    """Subtotal column of a first-level label (产出指标 -> output)."""
    for word, column in BLOCKS:
        if word in (level1 or ""):
            return column
    return None


def self_eval_scores(
    form: SelfEvalForm, profile
) -> tuple[list[tuple[Indicator, Decimal | None]], Decimal | None]:
    """(indicator, engine score) for every non-blank row, and the 执行率得分."""
    fund = form.funds.get("total")
    annual = _dec(fund.annual_budget) if fund else None
    executed = _dec(fund.executed) if fund else None
    weight = _dec(form.exec_weight)
    try:
        exec_sc = scoring.exec_score(executed, annual, weight, profile)
    except Exception:
        exec_sc = None
    rows = []
    for ind in form.indicators:
        if ind.is_blank():
            continue
        rows.append((ind, indicator_value(ind, profile)))
    return rows, exec_sc


def indicator_value(ind: Indicator, profile) -> Decimal | None:
    """Score of one 自评表 row as the rules allow it: the engine's score, except
    that a score on the form (typed, or cached by Excel) is kept where it is a
    judgement within the allowed band of a qualitative indicator (达成: 80–100 %
    of the weight), or where the rules cannot compute one — as the validator
    accepts them."""
    typed = _dec(value_of(ind.score))
    try:
        # Asked as the validator asks it, so that within scoring.remembered()
        # the row is scored once per form.
        score = scoring.indicator_score(
            _text(ind.target) or None,
            _text(ind.actual) or None,
            _dec(ind.weight),
            None,
            _text(ind.level3),
            profile,
        )
    except Exception:
        return typed
    if score.value is None:
        return typed
    band = score.band
    if typed is not None and band is not None and band[0] < band[1] and band[0] <= typed <= band[1]:
        return typed
    return score.value


def is_exec_rate(name: str) -> bool:
    """The 预算执行率 row of an evaluation table."""
    return "执行率" in name and "预算" in name


def eval_indicator_value(ind: EvalIndicator, table: EvalTable, profile) -> Decimal | None:
    """Score of one 评分表 row: its written 评分标准 applied to the actual value
    (for 预算执行率 the rate computed from the table's amounts), else the
    标杆值 comparison, else the evaluator's typed score."""
    weight = _dec(ind.weight)
    actual = value_of(ind.actual)
    if is_exec_rate(_text(ind.level3)):
        rate = _safe(scoring.exec_rate_pct, _dec(table.executed), _dec(table.annual_budget))
        if rate is not None:
            actual = f"{fmt(rate)}%"
    if weight is not None and actual not in (None, ""):
        try:
            value = rule_score(value_of(ind.rule), actual, weight, value_of(ind.benchmark))
        except Exception:
            value = None
        if value is not None:
            return round2(value)
    return _dec(ind.score)


def eval_table_scores(table: EvalTable, profile) -> list[tuple[EvalIndicator, Decimal | None]]:
    return [
        (ind, eval_indicator_value(ind, table, profile))
        for ind in table.indicators
        if not ind.is_blank()
    ]


def _profile_for(form, name: str | None):
    from .profiles import load

    try:
        return load(name or (form.profile or None))
    except Exception:
        if name:
            raise
        return load(None)


def summarize_form(
    form, profile_name: str | None = None, findings: list | None = None
) -> dict[str, Any]:
    """The summary row of one form (values as Python numbers, 2 dp)."""
    profile = _profile_for(form, profile_name)
    row: dict[str, Any] = {key: None for key in COLUMNS}
    row.update(
        file=form.source or "",
        form=FORM_NAMES.get(form.form, form.form),
        unit=_text(form.unit),
        project_name=_text(form.project_name),
        year=_text(form.year),
        profile=profile.name,
    )
    subtotals: dict[str, Decimal] = {}
    if form.form == SELF_EVAL:
        row.update(dept=_text(form.dept), project_code=_text(form.project_code).replace(" ", ""))
        fund = form.funds.get("total")
        initial = _dec(fund.initial_budget) if fund else None
        annual = _dec(fund.annual_budget) if fund else None
        executed = _dec(fund.executed) if fund else None
        rows, exec_sc = self_eval_scores(form, profile)
        values, unscored = _tally(rows, subtotals)
        parts: list[Decimal | None] = [exec_sc, *values]
    else:
        initial, annual, executed = (
            _scale(_dec(form.initial_budget)),
            _scale(_dec(form.annual_budget)),
            _scale(_dec(form.executed)),
        )
        scored = eval_table_scores(form, profile)
        parts, unscored = _tally(scored, subtotals)
        exec_sc = None
        for ind, value in scored:  # the 预算执行率 row's score (the last, if several)
            if value is not None and is_exec_rate(_text(ind.level3)):
                exec_sc = value
    rate = _safe(scoring.exec_rate_pct, executed, annual)
    raw_total = scoring.total(p for p in parts if p is not None)
    total = scoring.capped_total(raw_total, rate, profile) if rate is not None else raw_total
    form_total = _dec(form.total)
    row.update(
        initial_budget=_num(initial),
        annual_budget=_num(annual),
        executed=_num(executed),
        exec_rate_pct=_num(rate),
        exec_score=_num(exec_sc),
        total=_num(total),
        grade=scoring.grade(total, profile),
        form_total=_num(form_total),
        total_differs=(
            "是" if form_total is not None and abs(form_total - total) > profile.tol_error else ""
        ),
        unscored=unscored,
    )
    for column, value in subtotals.items():
        row[column] = _num(round2(value))
    if findings is not None:
        row["errors"] = sum(1 for f in findings if f.severity == "error")
        row["warnings"] = sum(1 for f in findings if f.severity == "warning")
    return row


def _tally(scored, subtotals: dict[str, Decimal]) -> tuple[list[Decimal], int]:
    """The scores of *scored* (indicator, score) pairs, each also added to its
    first-level subtotal; and how many rows could not be scored."""
    values: list[Decimal] = []
    unscored = 0
    for ind, value in scored:
        if value is None:
            unscored += 1
            continue
        column = block_of(ind.level1)
        if column:
            subtotals[column] = subtotals.get(column, ZERO) + value
        values.append(value)
    return values, unscored


def _scale(value: Decimal | None) -> Decimal | None:
    return None if value is None else value * WAN


def _safe(func, *args):
    try:
        return func(*args)
    except Exception:
        return None


def _num(value: Decimal | None) -> float | None:
    return None if value is None else float(round2(value))


def error_row(path: str, message: str) -> dict[str, Any]:
    row: dict[str, Any] = {key: None for key in COLUMNS}
    row.update(file=path, read_error=message)
    return row


def summarize_path(job: _Job) -> dict[str, Any]:
    """Read, validate and score one file; never raises (errors become the row).

    Runs in a worker process: returns only a small dict."""
    try:
        form = batch.load_form(job.path)
    except Exception as exc:
        return error_row(job.path, _message(exc))
    row: dict[str, Any]
    with scoring.remembered():  # the validator and the summary score the same rows
        try:
            from .validate import validate_form

            profile = _profile_for(form, job.profile)
            findings = validate_form(form, profile)
        except Exception as exc:  # a validator defect must not stop the batch
            findings = None
            validate_error = _message(exc)
        else:
            validate_error = ""
        try:
            row = summarize_form(form, job.profile, findings)
        except Exception as exc:
            return error_row(job.path, f"无法计分：{_message(exc)}")
    if validate_error:
        row["note"] = f"未能校验：{validate_error}"
    return row


def _message(exc: BaseException) -> str:
    text = str(exc) or type(exc).__name__
    return text


# --------------------------------------------------------------------------
# Many forms
# --------------------------------------------------------------------------


def iter_rows(
    paths: Iterable[str | os.PathLike],
    profile: str | None = None,
    jobs: int | None = None,
    progress: bool = False,
    exclude: Iterable[str | os.PathLike] = (),
) -> Iterator[dict[str, Any]]:
    """Summary rows in input order, streamed from worker processes."""
    files = batch.discover(paths, exclude)
    work = [_Job(os.fspath(p), profile) for p in files]
    yield from batch.imap(summarize_path, work, jobs=jobs, progress="汇总" if progress else False)


def summarize(
    paths: Iterable[str | os.PathLike] | str | os.PathLike,
    profile: str | None = None,
    jobs: int | None = None,
    progress: bool = False,
):
    """One row per form (files and folders of forms) as a pandas DataFrame with
    the columns of :data:`COLUMNS` (English ids; ``to_chinese`` for headers)."""

    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    rows = list(iter_rows(paths, profile, jobs, progress))
    return frame(rows)


def columns_of(rows: list[dict[str, Any]]) -> list[str]:
    """Column ids of a summary: all of :data:`COLUMNS`, less the 评分表-only
    subtotals (决策, 过程) when no row has them."""
    return [
        column
        for column in COLUMNS
        if column not in EVAL_ONLY_COLUMNS or any(row.get(column) is not None for row in rows)
    ]


def frame(rows: list[dict[str, Any]]):
    """The rows as a pandas DataFrame (the Python API; the command line does
    not need pandas)."""
    import pandas as pd

    df = pd.DataFrame(rows, columns=columns_of(rows))
    for column, (_, kind) in COLUMNS.items():
        if column not in df:
            continue
        if kind in ("money", "pct", "score"):
            df[column] = pd.to_numeric(df[column]).astype("float64")
        elif kind == "int":
            df[column] = df[column].astype("Int64")
    return df


def to_chinese(df):
    """The DataFrame with the Chinese column headers of the workbook."""
    return df.rename(columns={k: v[0] for k, v in COLUMNS.items()})


def rows_of(rows_or_df) -> list[dict[str, Any]]:
    """Summary rows from a list of rows or a DataFrame of :func:`frame` (NaN and
    NA become None, numpy scalars Python numbers)."""
    if isinstance(rows_or_df, list):
        return rows_or_df
    return [
        {key: plain_value(value) for key, value in record.items()}
        for record in rows_or_df.to_dict("records")
    ]


def plain_value(value: Any) -> Any:
    """None for None, NaN and pandas' NA; a Python number for a numpy scalar."""
    if value is None:
        return None
    try:
        if value != value:  # NaN / NA
            return None
    except (TypeError, ValueError):  # pd.NA refuses to be a bool
        return None
    return value.item() if hasattr(value, "item") else value


def _readable(row: dict[str, Any]) -> bool:
    return not row.get("read_error")


# --------------------------------------------------------------------------
# 汇总.xlsx
# --------------------------------------------------------------------------

NUMBER_FORMATS = {"money": "#,##0.00", "pct": "0.00", "score": "0.00", "int": "0", "text": "@"}

UNIT_COLUMNS = [
    "单位",
    "表格数",
    "全年预算数（元）",
    "全年执行数（元）",
    "执行率（%）",
    "平均总分",
    "错误数",
    "警告数",
]
GRADE_COLUMNS = ["绩效等级", "表格数", "占比（%）"]


def unit_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """按单位 from summary rows: count, budget, executed, rate (from the sums),
    mean total, errors, warnings — of the forms that could be scored."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        if _readable(row) and row.get("total") is not None:
            groups.setdefault(row.get("unit") or "（未填写单位）", []).append(row)
    out = []
    for unit in sorted(groups):
        group = groups[unit]
        budget = _dec_sum(r.get("annual_budget") for r in group)
        executed = _dec_sum(r.get("executed") for r in group)
        rate = round2(executed / budget * HUNDRED) if budget else None
        mean = round2(_dec_sum(r["total"] for r in group) / len(group))
        out.append(
            {
                "单位": unit,
                "表格数": len(group),
                "全年预算数（元）": float(budget),
                "全年执行数（元）": float(executed),
                "执行率（%）": None if rate is None else float(rate),
                "平均总分": float(mean),
                "错误数": sum(r.get("errors") or 0 for r in group),
                "警告数": sum(r.get("warnings") or 0 for r in group),
            }
        )
    return out


def by_unit(df):
    """按单位 as a DataFrame (see :func:`unit_rows`)."""
    import pandas as pd

    return pd.DataFrame(unit_rows(rows_of(df)), columns=UNIT_COLUMNS)


def _dec_sum(values) -> Decimal:
    acc = ZERO
    for v in values:
        if v is not None and v == v:  # skip NaN
            acc += Decimal(repr(float(v)))
    return acc


def grade_order(profile_name: str | None = None) -> list[str]:
    from .profiles import load

    prof = load(profile_name)
    return [label for _, label in prof.grade_bands] + [prof.grade_below]


def grade_rows(rows: list[dict[str, Any]], profile_name: str | None = None) -> list[dict]:
    """按等级 from summary rows: count and share of each grade (profile order,
    then any other label)."""
    grades = [row["grade"] for row in rows if row.get("grade")]
    order = grade_order(profile_name)
    order += sorted(set(grades) - set(order))
    n = len(grades)
    out = []
    for label in order:
        count = grades.count(label)
        share = round2(Decimal(count) / Decimal(n) * HUNDRED) if n else ZERO
        out.append({"绩效等级": label, "表格数": count, "占比（%）": float(share)})
    return out


def by_grade(df, profile_name: str | None = None):
    """按等级 as a DataFrame (see :func:`grade_rows`)."""
    import pandas as pd

    return pd.DataFrame(grade_rows(rows_of(df), profile_name), columns=GRADE_COLUMNS)


def write_workbook(rows_or_df, out: str | os.PathLike, profile_name: str | None = None) -> Path:
    """汇总.xlsx: 汇总, 按单位, 按等级 (with charts), 无法读取 (if any); atomic.
    *rows_or_df*: summary rows, or the DataFrame of :func:`frame`.

    Written with XlsxWriter by :mod:`perfkit.summarybook`."""
    from . import summarybook

    rows = rows_of(rows_or_df)
    return write_atomic(out, lambda tmp: summarybook.write(rows, tmp, profile_name))


def write_csv(rows_or_df, out: str | os.PathLike) -> Path:
    """CSV with Chinese headers, UTF-8 with BOM so Excel opens it correctly."""
    df = rows_or_df if not isinstance(rows_or_df, list) else frame(rows_or_df)
    frame_ = to_chinese(df.drop(columns=[c for c in ("_path",) if c in df]))
    return write_atomic(out, lambda tmp: frame_.to_csv(tmp, index=False, encoding="utf-8-sig"))


def run(
    paths: list[str],
    out: str | os.PathLike,
    profile: str | None = None,
    jobs: int | None = None,
    csv: bool = False,
    progress: bool = True,
) -> tuple[Any, int]:
    """The ``summarize`` command: returns (summary rows, number of unreadable
    files).  pandas is not needed here (``summarize`` gives the DataFrame)."""
    # Every input, named or found by the scan, is refused as an output; an earlier
    # 汇总.xlsx is marked as perfkit's output, so the scan does not take it for a form.
    files = batch.discover(paths)
    check_outputs([out, Path(out).with_suffix(".csv") if csv else None], files)
    rows = list(
        batch.imap(
            summarize_path,
            [_Job(os.fspath(p), profile) for p in files],
            jobs=jobs,
            progress="汇总" if progress else False,
        )
    )
    unreadable = sum(1 for row in rows if not _readable(row))
    write_workbook(rows, out, profile)
    if csv:
        write_csv(rows, Path(out).with_suffix(".csv"))
    return rows, unreadable
