"""Forms as JSON: the documents of ``fill`` and ``extract`` (schema in
``docs/templates.md``), both directions.

Convention for computed cells (得分, 执行率, 总分 …): ``null`` means "keep the
template formula"; a number or text is a literal typed over the formula (a
hand score); ``{"formula": "=…"}`` is a formula other than the template's.
A form read from JSON is placed on the template layout ``fill`` would draw
for it (:func:`perfkit.writers.place.place`), so its values know their cells.
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from decimal import Decimal
from typing import Any

from . import profiles
from .errors import InputError
from .layout import AMOUNT_UNITS, LAYOUT_VERSION, default_unit, resolve_kind, version_of
from .model import (
    AMOUNT_FIELDS,
    EVAL_TABLE,
    FUND_ROWS,
    INDICATOR_FIELDS,
    SELF_EVAL,
    EvalIndicator,
    EvalTable,
    Formula,
    FundRow,
    Indicator,
    Loc,
    SelfEvalForm,
)
from .values import is_blank

Form = SelfEvalForm | EvalTable

SELFEVAL_HEADER = ("project_code", "project_name", "year", "unit", "dept")
SELFEVAL_COMPUTED = ("exec_rate", "exec_score", "total_weight", "total", "grade")
EVAL_HEADER = ("project_name", "unit", "year", "initial_budget", "annual_budget", "executed")
EVAL_COMPUTED = ("total", "grade")
SELFEVAL_IND_KEYS = INDICATOR_FIELDS[SELF_EVAL][2:]  # level1/level2: the groups
EVAL_IND_KEYS = INDICATOR_FIELDS[EVAL_TABLE]
VERSIONS = {
    kind: {f"perfkit-{kind}-{v}" for v in range(1, LAYOUT_VERSION + 1)}
    for kind in (SELF_EVAL, EVAL_TABLE)
}


# --------------------------------------------------------------------------
# form -> JSON
# --------------------------------------------------------------------------


def _json_value(raw: Any) -> Any:
    if isinstance(raw, Formula):
        return {"formula": raw.text}
    if isinstance(raw, Decimal):
        return int(raw) if raw == raw.to_integral_value() else float(raw)
    if isinstance(raw, float) and raw.is_integer() and abs(raw) < 2**53:
        return int(raw)
    if isinstance(raw, (_dt.datetime, _dt.date, _dt.time)):
        return raw.isoformat()
    return raw


_ADDIN_PREFIX = re.compile(
    r"(?:'[^']*'|\[\d+\]|[A-Za-z0-9_.]+\.xlam)!(?=(?:EXEC_|PERF_))", re.IGNORECASE
)


def same_formula(a: str, b: str) -> bool:
    """Equal up to spaces, case, and how Excel names an add-in function
    (``_xludf.EXEC_RATE``, ``[1]!EXEC_RATE``, ``'perfkit.xlam'!EXEC_RATE``)."""

    def norm(s: str) -> str:
        s = _ADDIN_PREFIX.sub("", s.replace(" ", ""))
        return s.upper().replace("_XLUDF.", "")

    return norm(a) == norm(b)


def template_formulas(form: Form) -> dict[str, str]:
    """Cell -> the formula perfkit's template has there, for a form laid out
    like a template (empty for other layouts)."""
    layout = form.layout
    if layout is None or not is_template_like(layout):
        return {}
    from .writers.template import formulas

    return formulas(layout)


def is_template_like(layout) -> bool:
    """Whether a layout has every cell perfkit's template formulas refer to
    (a perfkit template, also after rows were inserted or deleted)."""
    from .layout import EVALTABLE_COLUMNS, SELFEVAL_COLUMNS

    if not layout.rows or not layout.groups:
        return False
    if layout.kind == SELF_EVAL:
        need_fields = ("exec_weight", "exec_rate", "exec_score", "total_weight", "total", "grade")
        return (
            layout.columns == SELFEVAL_COLUMNS
            and all(f in layout.fields for f in need_fields)
            and "total" in layout.fund_rows
            and all(k in layout.fund_columns for k in AMOUNT_FIELDS)
        )
    need = (
        "initial_budget",
        "annual_budget",
        "executed",
        "exec_rate",
        "total_weight",
        "total",
        "grade",
    )
    return layout.columns == EVALTABLE_COLUMNS and all(f in layout.fields for f in need)


def _json_computed(raw: Any, cell: str | None, formulas: dict[str, str]) -> Any:
    """A computed cell: null while it holds the template formula."""
    if isinstance(raw, Formula):
        template = formulas.get(cell or "")
        if (
            template is None
            and not formulas
            and raw.text.upper().lstrip("=").startswith(("EXEC_", "PERF_", "_XLUDF."))
        ):
            return None  # a perfkit function in a form of another layout: computed
        if template is not None and same_formula(raw.text, template):
            return None
    return _json_value(raw)


def form_to_dict(form: Form) -> dict:
    """The JSON document of a form (schema in docs/templates.md)."""
    formulas = template_formulas(form)
    if form.form == SELF_EVAL:
        return _selfeval_to_dict(form, formulas)
    return _evaltable_to_dict(form, formulas)


def _put_unit(out: dict, form: Form) -> None:
    """``amount_unit`` when the form's amounts are not in its kind's default
    unit: a 自评表 in 万元 keeps its amounts as typed, and says so."""
    unit = getattr(form, "amount_unit", None)
    if unit in AMOUNT_UNITS and unit != default_unit(form.form):
        out["amount_unit"] = unit


def _take_unit(data: dict, form: Form, source: str) -> None:
    unit = data.get("amount_unit")
    if unit is None:
        return
    if unit not in AMOUNT_UNITS:
        raise InputError(f"amount_unit 应为“元”或“万元”，实际为 {unit!r}", path=source or None)
    form.amount_unit = unit


def _cell(obj: Any, name: str) -> str | None:
    loc = obj.locs.get(name)
    return loc.cell if loc else None


def _selfeval_to_dict(form: SelfEvalForm, f: dict[str, str]) -> dict:
    out: dict[str, Any] = {
        "form": SELF_EVAL,
        "version": version_of(SELF_EVAL),
        "profile": form.profile,
    }
    if form.department:  # 部门整体支出绩效自评表: names no project, no project weights
        out["department"] = True
    for name in SELFEVAL_HEADER:
        out[name] = _json_value(getattr(form, name))
    _put_unit(out, form)
    out["funds"] = {
        key: {
            attr: _json_value(getattr(form.funds[key], attr)) if key in form.funds else None
            for attr in AMOUNT_FIELDS
        }
        for key in FUND_ROWS
    }
    out["exec_weight"] = _json_value(form.exec_weight)
    for name in ("exec_rate", "exec_score"):
        out[name] = _json_computed(getattr(form, name), _cell(form, name), f)
    out["goal_expected"] = _json_value(form.goal_expected)
    out["goal_actual"] = _json_value(form.goal_actual)
    items = []
    for ind in form.indicators:
        if ind.is_blank():
            continue
        item: dict[str, Any] = {"level1": ind.level1, "level2": ind.level2}
        for key in SELFEVAL_IND_KEYS:
            raw = getattr(ind, key)
            if key == "score":
                item[key] = _json_computed(raw, _cell(ind, "score"), f)
            else:
                item[key] = _json_value(raw)
        if not is_blank(ind.coefficient):  # 部门整体 forms only: kept when there is one
            item["coefficient"] = _json_value(ind.coefficient)
        items.append(item)
    out["indicators"] = items
    for name in ("total_weight", "total", "grade"):
        out[name] = _json_computed(getattr(form, name), _cell(form, name), f)
    return out


def _evaltable_to_dict(form: EvalTable, f: dict[str, str]) -> dict:
    from .writers.place import block_of

    out: dict[str, Any] = {
        "form": EVAL_TABLE,
        "version": version_of(EVAL_TABLE),
        "profile": form.profile,
    }
    for name in EVAL_HEADER:
        out[name] = _json_value(getattr(form, name))
    _put_unit(out, form)
    items = []
    previous = None
    layout = form.layout
    for ind in form.indicators:
        if _eval_row_blank(ind):
            continue
        group = layout.group_of(ind.row) if layout is not None and ind.row else None
        if group is not None and is_template_like(layout) and group.level1:
            block = group.level1
        else:
            block = block_of(ind, previous)
        previous = block
        item: dict[str, Any] = {"block": block}
        for key in EVAL_IND_KEYS:
            raw = getattr(ind, key)
            if key == "score":
                item[key] = _json_computed(raw, _cell(ind, "score"), f)
            else:
                item[key] = _json_value(raw)
        items.append(item)
    out["indicators"] = items
    for name in EVAL_COMPUTED:
        out[name] = _json_computed(getattr(form, name), _cell(form, name), f)
    return out


def _eval_row_blank(ind: EvalIndicator) -> bool:
    return ind.is_blank() and all(
        getattr(ind, k) in (None, "")
        for k in ("level1", "level2", "description", "deduction_reason")
    )


# --------------------------------------------------------------------------
# JSON -> form
# --------------------------------------------------------------------------


def _from_json(value: Any, where: str, source: str) -> Any:
    if isinstance(value, dict):
        if set(value) <= {"formula", "cached"} and isinstance(value.get("formula"), str):
            text = value["formula"]
            if not text.startswith("="):
                text = "=" + text
            return Formula(text, value.get("cached"))
        raise InputError(
            f'{where} 的值应为数字、文字、null 或 {{"formula": "=…"}}', path=source or None
        )
    if isinstance(value, list):
        raise InputError(f"{where} 的值不能是列表", path=source or None)
    if isinstance(value, float) and not math.isfinite(value):
        raise InputError(f"{where} 的值不是有效数字", path=source or None)
    return value


def _check_keys(data: dict, allowed: set[str], where: str, source: str) -> None:
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise InputError(
            f"{where} 中有未知的字段：{'、'.join(unknown)}（可用字段见 docs/templates.md）",
            path=source or None,
        )


def form_from_dict(data: dict, source: str = "", placed: bool = True) -> Form:
    """The inverse of :func:`form_to_dict`; raises InputError naming the bad
    field.  With *placed*, the form is laid out as ``fill`` would write it."""
    if not isinstance(data, dict):
        raise InputError("JSON 顶层应为对象（{…}）", path=source or None)
    kind = data.get("form")
    if kind is None:
        kind = (
            EVAL_TABLE
            if "indicators" in data
            and any(
                isinstance(i, dict) and ("rule" in i or "benchmark" in i)
                for i in data["indicators"] or []
            )
            else SELF_EVAL
        )
    try:
        kind = resolve_kind(kind)
    except Exception:
        raise InputError(
            f"form 应为 selfeval 或 evaltable，实际为 {kind!r}", path=source or None
        ) from None
    version = data.get("version")
    if version is not None and version not in VERSIONS[kind]:
        raise InputError(
            f"version 应为 {version_of(kind)}，实际为 {version!r}", path=source or None
        )
    profile = data.get("profile") or profiles.DEFAULT_PROFILE
    if not isinstance(profile, str):
        raise InputError("profile 应为评分规则名称（文字）", path=source or None)
    form = (
        _selfeval_from_dict(data, profile, source)
        if kind == SELF_EVAL
        else _evaltable_from_dict(data, profile, source)
    )
    if placed:
        from .writers.place import layout_for, place

        place(form, layout_for(form))
    return form


def _selfeval_from_dict(data: dict, profile: str, source: str) -> SelfEvalForm:
    from .writers.place import canonical_group

    top = {
        "form",
        "version",
        "profile",
        "funds",
        "indicators",
        "exec_weight",
        "goal_expected",
        "goal_actual",
        "department",
    }
    top |= set(SELFEVAL_HEADER) | set(SELFEVAL_COMPUTED) | {"amount_unit"}
    _check_keys(data, top, "JSON", source)
    form = SelfEvalForm(profile=profile, source=source)
    department = data.get("department", False)
    if not isinstance(department, bool):
        raise InputError("department 应为 true 或 false", path=source or None)
    form.department = department
    _take_unit(data, form, source)
    for name in (
        *SELFEVAL_HEADER,
        "exec_weight",
        *SELFEVAL_COMPUTED,
        "goal_expected",
        "goal_actual",
    ):
        setattr(form, name, _from_json(data.get(name), name, source))
    funds = data.get("funds") or {}
    if not isinstance(funds, dict):
        raise InputError(
            "funds 应为对象：{total: …, fiscal: …, carryover: …, other: …}", path=source or None
        )
    _check_keys(funds, set(FUND_ROWS), "funds", source)
    for key in FUND_ROWS:
        row = funds.get(key) or {}
        if not isinstance(row, dict):
            raise InputError(f"funds.{key} 应为对象", path=source or None)
        _check_keys(row, set(AMOUNT_FIELDS), f"funds.{key}", source)
        fund = FundRow(key)
        for attr in AMOUNT_FIELDS:
            setattr(fund, attr, _from_json(row.get(attr), f"funds.{key}.{attr}", source))
        form.funds[key] = fund
    items = data.get("indicators") or []
    if not isinstance(items, list):
        raise InputError("indicators 应为列表", path=source or None)
    for i, item in enumerate(items, 1):
        where = f"indicators 第 {i} 项"
        if not isinstance(item, dict):
            raise InputError(f"{where} 应为对象", path=source or None)
        _check_keys(item, {"level1", "level2", "coefficient", *SELFEVAL_IND_KEYS}, where, source)
        for key in ("level1", "level2"):
            if item.get(key) is not None and not isinstance(item.get(key), str):
                raise InputError(f"{where}.{key} 应为文字", path=source or None)
        if not str(item.get("level2") or "").strip():
            raise InputError(f"{where}：缺少二级指标（level2）", path=source or None)
        level1, level2 = canonical_group(item.get("level1"), item.get("level2"))
        ind = Indicator(level1=level1, level2=level2)
        for key in (*SELFEVAL_IND_KEYS, "coefficient"):
            setattr(ind, key, _from_json(item.get(key), f"{where}.{key}", source))
        form.indicators.append(ind)
    return form


def _evaltable_from_dict(data: dict, profile: str, source: str) -> EvalTable:
    from .layout import EVALTABLE_BLOCKS
    from .writers.place import guess_block

    top = {"form", "version", "profile", "amount_unit", "indicators", *EVAL_HEADER, *EVAL_COMPUTED}
    _check_keys(data, top, "JSON", source)
    form = EvalTable(profile=profile, source=source)
    _take_unit(data, form, source)
    for name in (*EVAL_HEADER, *EVAL_COMPUTED):
        setattr(form, name, _from_json(data.get(name), name, source))
    items = data.get("indicators") or []
    if not isinstance(items, list):
        raise InputError("indicators 应为列表", path=source or None)
    previous = None
    for i, item in enumerate(items, 1):
        where = f"indicators 第 {i} 项"
        if not isinstance(item, dict):
            raise InputError(f"{where} 应为对象", path=source or None)
        _check_keys(item, {"block", *EVAL_IND_KEYS}, where, source)
        block = item.get("block")
        if block is None:
            block = guess_block(item.get("level1"), previous)
        elif block not in EVALTABLE_BLOCKS:
            raise InputError(
                f"{where}：block 应为 {'、'.join(EVALTABLE_BLOCKS)} 之一，实际为 {block!r}",
                path=source or None,
            )
        previous = block
        ind = EvalIndicator()
        ind.locs["block"] = Loc("", block)  # placement hint
        for key in EVAL_IND_KEYS:
            value = _from_json(item.get(key), f"{where}.{key}", source)
            if key in ("level1", "level2") and value is None:
                value = ""
            setattr(ind, key, value)
        form.indicators.append(ind)
    return form


__all__ = [
    "form_from_dict",
    "form_to_dict",
    "is_template_like",
    "same_formula",
    "template_formulas",
]


def extract(path) -> dict | list[dict]:
    """``perfkit extract``: the JSON document of the form in a workbook (a
    list of documents when it holds several forms)."""
    from .readers import read_forms

    forms = [form_to_dict(form) for form in read_forms(path)]
    return forms[0] if len(forms) == 1 else forms
