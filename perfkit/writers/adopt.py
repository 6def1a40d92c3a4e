"""``adopt`` (转为模板): each form found in a workbook of any layout becomes a
perfkit template filled with its values.

The new template has the form's own groups and as many rows as it has; the
score cells hold the template formulas wherever the formula gives what the
form says, and the form's own figure (typed) where it does not — an
evaluator's judgement within a band, a discretionary deduction, or a figure
the rules do not support (the validator will say so).  What the template
cannot hold is listed: columns it has no place for, a grid scaled to part of
the points, reader notes.  The input is never written.
"""

from __future__ import annotations

import copy
import os
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..errors import UsageError
from ..fsutil import refuse_overwrite_input
from ..model import AMOUNT_FIELDS, EVAL_TABLE, INDICATOR_FIELDS, SELF_EVAL, Formula
from ..numbers import fmt
from ..readers.recognise import COLUMN_LABELS
from ..values import subject_of
from .place import layout_for, place

TOLERANCE = Decimal("0.005")

# Columns of the templates, per form kind; anything else read is not carried over.
TEMPLATE_KEYS = {kind: {*cells, "op", "unit"} for kind, cells in INDICATOR_FIELDS.items()}
# columns the reader takes into another field of the form kind, when the
# layout has none of that field (recognise._indicator)
CARRIED = {
    (EVAL_TABLE, "target"): "benchmark",
    (EVAL_TABLE, "deviation_reason"): "deduction_reason",
}
COLUMN_NAMES = {
    "method": "得分计算方法",
    "coefficient": "得分系数",
    "ignored": "其他列（权重设定值、是否核心指标、备注等）",
    "description": "指标说明",
    "benchmark": "标杆值",
    "rule": "评分标准",
    "deduction_reason": "扣分原因",
}


@dataclass
class Adopted:
    """One adopted form: where it was written and what could not be carried over."""

    source: str
    sheet: str
    project: str
    path: Path
    lost: list[str] = field(default_factory=list)
    kept_typed: list[str] = field(default_factory=list)


def _dec(value: Any) -> Decimal | None:
    from ..numbers import to_decimal

    if isinstance(value, Formula):
        value = value.cached
    try:
        return to_decimal(value)
    except Exception:
        return None


def _amounts_as_numbers(form) -> None:
    """Amounts typed as text ("1,959,300.00") go into the template's number
    cells as numbers; any other text stays as typed (and is a finding there)."""
    from ..values import read_number

    if form.form == SELF_EVAL:
        owners = [(row, AMOUNT_FIELDS) for row in form.funds.values()]
    else:
        owners = [(form, AMOUNT_FIELDS)]
    for obj, names in owners:
        for name in names:
            raw = getattr(obj, name)
            if isinstance(raw, str):
                number, problem = read_number(raw)
                if isinstance(number, Decimal) and problem is None:
                    setattr(obj, name, number)  # fill.put writes it as a number


def adopt_form(form, out: Path) -> Adopted:
    """Write *form* as a perfkit template at *out*."""
    from ..outputs import ADOPTED, mark_openpyxl
    from .fill import write_form
    from .template import deterministic_bytes, new_workbook, write_output

    new = copy.deepcopy(form)
    result = Adopted(form.source, form.sheet, subject_of(form), out)
    _lost_columns(form, result)
    submitted = {id(ind): ind.score for ind in new.indicators}
    typed_totals = {name: getattr(new, name) for name in ("total", "total_weight", "grade")}
    for ind in new.indicators:
        ind.score = None  # first: what the template formulas give
    _amounts_as_numbers(new)
    exec_typed = None
    if new.form == SELF_EVAL:
        exec_typed = new.exec_score
        new.exec_rate = new.exec_score = None
    for name in typed_totals:
        setattr(new, name, None)
    layout = layout_for(new, defaults=False)
    place(new, layout)
    wb = new_workbook(layout, new.profile)
    values = write_form(wb, new, layout, form.source)
    changed = False
    for ind in new.indicators:
        typed = submitted.get(id(ind))
        got = values.get(layout.at("score", ind.row))
        mine = _dec(typed)
        if typed in (None, "") or (mine is not None and _close(mine, _dec(got))):
            continue
        ind.score = typed.cached if isinstance(typed, Formula) else typed
        changed = True
        result.kept_typed.append(
            f"{layout.at('score', ind.row)} {_text(ind.level3) or '该行'}：得分保留原表的 {_shown(typed)}"
            f"（按公式为 {_shown(got)}）"
        )
    if new.form == SELF_EVAL:
        score = exec_typed
        got = values.get(layout.cell("exec_score"))
        if _dec(score) is not None and not _close(_dec(score), _dec(got)):
            new.exec_score = score.cached if isinstance(score, Formula) else score
            changed = True
            result.kept_typed.append(
                f"{layout.cell('exec_score')} 执行率得分：保留原表的 {_shown(score)}（按公式为 {_shown(got)}）"
            )
    if changed:
        wb = new_workbook(layout, new.profile)
        values = write_form(wb, new, layout, form.source)
    total = values.get(layout.cell("total"))
    typed_total = _dec(typed_totals["total"])
    if typed_total is not None and not _close(typed_total, _dec(total)):
        result.lost.append(
            f"原表总分 {fmt(typed_total)}，模板按各行得分合计为 {_shown(total)}（总分改为公式）"
        )
    if form.part_weight is not None:
        result.lost.append(
            f"原表的指标部分按 {fmt(_dec(form.part_weight))} 分折算；perfkit 模板不折算，总分按分值合计"
        )
    for sub in form.subtotals:
        result.lost.append(
            f"{sub.locs['label'].cell} 的“{sub.label}”行（模板不设小计行：一级指标的分值由其各行合计得出）"
        )
    for note in form.notes:
        result.lost.append(f"读取说明：{note}")
    if form.source and os.path.isfile(form.source):
        mark_openpyxl(wb, ADOPTED, form.source)  # skipped by a scan that holds its form
    write_output(out, deterministic_bytes(wb, {layout.sheet: values}))
    return result


def _lost_columns(form, result: Adopted) -> None:
    layout = form.layout
    if layout is None:
        return
    keep = TEMPLATE_KEYS[form.form]
    for key in layout.columns:
        if key in keep or CARRIED.get((form.form, key)) in keep - set(layout.columns):
            continue  # 指标值 read as the 评分表's 标杆值, 偏差原因 as its 扣分原因
        if key == "target_adjusted":
            result.lost.append(
                "“调整指标值”列（模板只有一列年度指标值：填了调整指标值的行按调整值转入，"
                "这些行的年初指标值未转入）"
            )
            continue
        name = COLUMN_NAMES.get(key) or COLUMN_LABELS.get(key, key)
        result.lost.append(f"“{name}”列（模板没有这一列）")
    if form.form == SELF_EVAL:
        for ind in form.indicators:
            if "执行率" in _text(ind.level3) and not ind.is_blank():
                result.lost.append(
                    f"“{_text(ind.level3)}”是指标表中的一行：模板的预算执行率在资金使用情况中，该行按普通指标转入"
                )


def _close(a: Decimal | None, b: Decimal | None) -> bool:
    return a is not None and b is not None and abs(a - b) <= TOLERANCE


def _shown(value: Any) -> str:
    if isinstance(value, Formula):
        value = value.cached
    d = _dec(value)
    if d is not None:
        return fmt(d)
    return "空" if value in (None, "") else f"“{value}”"


def _text(value: Any) -> str:
    if isinstance(value, Formula):
        value = value.cached
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def adopt(path: str | os.PathLike, outdir: str | os.PathLike | None = None) -> list[Adopted]:
    """Every form of *path* as a perfkit template in *outdir* (default: beside
    the input), named ``<file>[_<sheet>][_<n>]_转为模板.xlsx``."""
    from ..readers import read_forms

    name = os.fspath(path)
    forms = read_forms(name)
    folder = Path(outdir) if outdir is not None else Path(name).parent
    stem = Path(name).stem
    several_sheets = len({f.sheet for f in forms}) > 1
    results = []
    counts: dict[str, int] = {}
    for form in forms:
        part = stem + (f"_{form.sheet}" if several_sheets else "")
        counts[part] = counts.get(part, 0) + 1
        same = sum(1 for f in forms if (stem + (f"_{f.sheet}" if several_sheets else "")) == part)
        suffix = f"_{counts[part]}" if same > 1 else ""
        out = folder / f"{part}{suffix}_转为模板.xlsx"
        refuse_overwrite_input(out, [name])
        if Path(out).resolve() == Path(name).resolve():
            raise UsageError(f"输出文件不能与输入文件相同：{out}")
        results.append(adopt_form(form, out))
    return results


__all__ = ["Adopted", "adopt", "adopt_form"]
