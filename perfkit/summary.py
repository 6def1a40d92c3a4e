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

from . import batch
from .fsutil import check_outputs, write_atomic
from .layout import amount_unit_of
from .model import (
    AMOUNT_FIELDS,
    SELF_EVAL,
    form_name,
    value_of,
)
from .numbers import HUNDRED, WAN, ZERO, NotANumber, round2, to_decimal
from .values import subject_of, unit_of

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
    "sheet": ("工作表", "text"),
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
    "form_total": ("表内总分", "score"),
    "total": ("复算总分", "score"),
    "difference": ("差异", "score"),
    "difference_codes": ("差异原因（校验代码）", "text"),
    "form_grade": ("表内等级", "text"),
    "grade": ("绩效等级（按复算总分）", "text"),
    "unscored": ("无法计分指标数", "int"),
    "errors": ("错误数", "int"),
    "warnings": ("警告数", "int"),
    "read_error": ("无法读取原因", "text"),
    "note": ("备注", "text"),
}


DECLARED = "declaration"  # key of the stand-in row of a 绩效目标申报表 (not a row of the 汇总)


class Rows(list):
    """The rows of a summary, with how many 绩效目标申报表 the batch held
    (``declarations``: read for the checks between forms, never a row)."""

    declarations: int = 0


def without_declarations(rows: list[dict[str, Any]]) -> Rows:
    """*rows* less the stand-ins of the 绩效目标申报表, counted."""
    out = Rows(row for row in rows if not row.get(DECLARED))
    out.declarations = len(rows) - len(out)
    return out


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


def _profile_for(form, name: str | None):
    from .profiles import load

    try:
        return load(name or (form.profile or None))
    except Exception:
        if name:
            raise
        return load(None)


def summarize_form(
    form, profile_name: str | None = None, findings: list | None = None, assessment=None
) -> dict[str, Any]:
    """The summary row of one form (values as Python numbers, 2 dp): the form
    as submitted (表内总分) and as recomputed by its assessment (复算总分), the
    difference and the finding codes behind it."""
    from .assess import DIFFERENCE_CODES, assess

    profile = _profile_for(form, profile_name)
    a = assessment if assessment is not None else assess(form, profile)
    row: dict[str, Any] = {key: None for key in COLUMNS}
    row.update(
        file=form.source or "",
        sheet=form.sheet or "",
        form=form_name(form),
        unit=unit_of(form),
        project_name=subject_of(form),
        year=_text(form.year),
        profile=profile.name,
    )
    if form.form == SELF_EVAL:
        row.update(dept=_text(form.dept), project_code=_text(form.project_code).replace(" ", ""))
        fund = form.funds.get("total")
        amounts = [_dec(getattr(fund, n)) if fund else None for n in AMOUNT_FIELDS]
    else:
        amounts = [_dec(getattr(form, n)) for n in AMOUNT_FIELDS]
    factor = _to_yuan(form)
    initial, annual, executed = (None if v is None else v * factor for v in amounts)
    exec_score = a.exec.counted
    if a.exec_in_rows:
        exec_score = next((r.counted for r in a.rows if r.exec_row), None)
    submitted = a.submitted if isinstance(a.submitted, Decimal) else None
    codes = sorted({f.code for f in findings or () if f.code in DIFFERENCE_CODES})
    row.update(
        initial_budget=_num(initial),
        annual_budget=_num(annual),
        executed=_num(executed),
        exec_rate_pct=_num(a.exec.rate),
        exec_score=_num(exec_score),
        form_total=_num(submitted),
        total=_num(a.recomputed),
        difference=_num(a.difference),
        difference_codes="、".join(codes) if a.difference or codes else "",
        form_grade=_text(form.grade),
        grade=a.grade,
        unscored=sum(1 for r in a.rows if r.missing),
    )
    if a.recomputed is None and (a.missing or a.exec_missing):
        row["note"] = a.missing_text()
    for r in a.rows:
        column = block_of(r.texts.get("level1", ""))
        if column and r.counted is not None:
            row[column] = (row[column] or 0) + float(r.counted)
    for column in ("decision", "process", "output", "benefit", "satisfaction"):
        if row[column] is not None:
            row[column] = _num(round2(Decimal(repr(row[column]))))
    if findings is not None:
        row["errors"] = sum(1 for f in findings if f.severity == "error")
        row["warnings"] = sum(1 for f in findings if f.severity == "warning")
    return row


def _to_yuan(form) -> Decimal:
    """The factor that brings the form's amounts to 元 (its unit: 万元 on the
    national form and perfkit's 评分表, 元 on the 深圳 form)."""
    return WAN if amount_unit_of(form) == "万元" else Decimal(1)


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


def summarize_path(job: _Job) -> list[dict[str, Any]]:
    """Read, validate and score every form of one file; never raises (errors
    become a row).  Runs in a worker process: returns only small dicts."""
    from .validate.between import entry_of

    try:
        forms, declarations = batch.load_book(job.path)
    except Exception as exc:
        return [error_row(job.path, _message(exc))]
    rows = [summarize_one(form, job) for form in forms]
    for form, row in zip(forms, rows, strict=True):
        if not row.get("read_error"):
            row["entry"] = entry_of(form, job.path)  # for the checks between forms
    # a 绩效目标申报表 is no row of the 汇总: only its targets, for the checks
    rows += [{"entry": entry_of(d, job.path), DECLARED: True} for d in declarations]
    return rows


def summarize_one(form, job: _Job) -> dict[str, Any]:
    """Validate and summarise one form: its assessment made once, read by both."""
    from .assess import assess

    row: dict[str, Any]
    try:
        profile = _profile_for(form, job.profile)
        assessment = assess(form, profile)
    except Exception as exc:
        return error_row(job.path, f"无法计分：{_message(exc)}")
    try:
        from .validate import validate_form

        findings = validate_form(form, profile, assessment)
    except Exception as exc:  # a validator defect must not stop the batch
        findings = None
        validate_error = _message(exc)
    else:
        validate_error = ""
    try:
        row = summarize_form(form, job.profile, findings, assessment)
    except Exception as exc:
        return error_row(job.path, f"无法计分：{_message(exc)}")
    if validate_error:
        row["note"] = f"未能校验：{validate_error}"
    return row


def _message(exc: BaseException) -> str:
    """What a user is told about a failure: a PerfkitError's Chinese message,
    never another exception's text or class name."""
    from .errors import PerfkitError

    if isinstance(exc, PerfkitError):
        return str(exc)
    return "程序内部错误（不影响其他文件）；请把该文件报告给 perfkit 维护者"


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
    """Summary rows in input order, streamed from worker processes, with a
    stand-in (key :data:`DECLARED`) for each 绩效目标申报表 read: the checks
    between forms need them, the 汇总 does not (:func:`without_declarations`)."""
    files = batch.discover(paths, exclude)
    work = [_Job(os.fspath(p), profile) for p in files]
    for rows in batch.imap(summarize_path, work, jobs=jobs, progress="汇总" if progress else False):
        yield from rows


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
    return frame(without_declarations(mark_between(rows)))


def mark_between(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """*rows* with the findings between the forms of the batch
    (:mod:`perfkit.validate.between`: the same project twice, a 自评表 and
    the 评分表 of its project that disagree) on each form they concern: their
    messages in the 备注, counted among the 警告数 (as ``perfkit validate`` of
    the same files counts them), and ``between`` (not a column): their codes.
    The sums count every row still: the bureau decides which form stands."""
    from .validate.between import findings

    marked = [row for row in rows if row.get("entry") is not None]
    for i, found in findings([row["entry"] for row in marked]).items():
        row = marked[i]
        row["note"] = "；".join(t for t in (row.get("note"), *(f.message for f in found)) if t)
        for f in found:
            key = "errors" if f.severity == "error" else "warnings"
            if f.severity != "info" and row.get(key) is not None:
                row[key] += 1
        row["between"] = [f.code for f in found]
    for row in marked:
        del row["entry"]  # each form's targets: not kept for the workbook
    return rows


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
    "平均复算总分",
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
                "平均复算总分": float(mean),
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
    rows = [
        row
        for rows in batch.imap(
            summarize_path,
            [_Job(os.fspath(p), profile) for p in files],
            jobs=jobs,
            progress="汇总" if progress else False,
        )
        for row in rows
    ]
    rows = without_declarations(mark_between(rows))
    unreadable = sum(1 for row in rows if not _readable(row))
    write_workbook(rows, out, profile)
    if csv:
        write_csv(rows, Path(out).with_suffix(".csv"))
    return rows, unreadable
