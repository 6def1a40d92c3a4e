"""Rule profiles: the scoring rules that differ by province and year, as data.

A profile is a TOML file (``perfkit/profiles/*.toml``, or any path).  It may
``extends`` another profile; tables are merged key by key.  Code reads the
:class:`Profile`; nobody edits code to serve a new city.

Every key a profile may hold is declared in :data:`SCHEMA` (type, range or
choices, default, meaning).  A file is checked against it before it is merged
with its parent: a mistyped key (``[grade]`` for ``[grades]``, ``wieght``) is a
:class:`ProfileError` naming the file, the key and what is allowed.
``docs/profiles.md`` lists the keys from the same schema (:func:`keys_markdown`).
"""

from __future__ import annotations

import math
import re
import sys
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from importlib import resources
from itertools import pairwise
from pathlib import Path
from typing import Any

from ..errors import PerfkitError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

DEFAULT_PROFILE = "mof2020"
EXEC_RULES = ("proportional", "deduct_per_pct", "interval")
LEVELS = ("达成", "部分达成", "未达成")
SEVERITIES = ("error", "warning", "info")


class ProfileError(PerfkitError):
    pass


# --------------------------------------------------------------------------
# The schema
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Key:
    """One key of a profile.

    ``type``: ``number`` (within ``low``..``high``), ``text``, ``bool``,
    ``choice`` (one of ``choices``), ``bands`` (a list of ``[number, second]``
    pairs, the second a number within ``low2``..``high2`` or, with
    ``second="text"``, a label), ``map`` (a table of free names to numbers
    within ``low``..``high``, or with ``choices`` to one of them)."""

    type: str
    doc: str
    default: Any = None
    low: Decimal | None = None
    high: Decimal | None = None
    choices: tuple[str, ...] = ()
    second: str = "number"
    low2: Decimal | None = None
    high2: Decimal | None = None
    open_low: bool = False  # number: low itself is not allowed


def _d(x: object) -> Decimal:
    return Decimal(str(x))


SCHEMA: dict[str, Key | dict[str, Key]] = {
    "name": Key("text", "评分规则名称（命令行 --profile 与“设置”表 B1 用的名字）", "文件名"),
    "title": Key("text", "一句话说明，显示在帮助与报告中", "与 name 相同"),
    "extends": Key("text", "在哪个评分规则之上修改：内置名称，或相对本文件的 TOML 路径", ""),
    "exec": {
        "rule": Key(
            "choice",
            "预算执行率得分的算法：proportional = 执行率 × 分值；deduct_per_pct = 每低于 100% "
            "一个百分点扣 per_pct 分；interval = 按 bands 分档",
            "proportional",
            choices=EXEC_RULES,
        ),
        "weight": Key("number", "预算执行率的分值（财政部原则 10 分）", 10, _d(0), _d(100)),
        "cap": Key(
            "bool",
            "proportional：执行率超过 100% 时得分是否以分值封顶（「最高不得超过分值上限」）",
            True,
        ),
        "per_pct": Key("number", "deduct_per_pct：每低一个百分点扣的分数", "0.1", _d(0), _d(100)),
        "step_mode": Key(
            "choice",
            "deduct_per_pct：continuous = 按实际差额（0.89 个百分点扣 0.089 分）；"
            "floor = 只计整百分点；ceil = 不足一个百分点按一个计",
            "continuous",
            choices=("continuous", "floor", "ceil"),
        ),
        "bands": Key(
            "bands",
            "interval：[执行率下限（%）, 得分占分值的比例]，从高到低",
            [],
            _d(0),
            _d(1000),
            low2=_d(0),
            high2=_d(1),
        ),
    },
    "level1_weights": Key(
        "map",
        "一级指标名称 → 分值（产出指标 50、效益指标 30、满意度指标 10）",
        {},
        _d(0),
        _d(100),
    ),
    "grades": {
        "bands": Key(
            "bands",
            "[总分下限, 等级]，从高到低；低于最后一档为 below",
            [],
            _d(0),
            _d(1000),
            second="text",
        ),
        "below": Key("text", "低于所有档次的等级", "差"),
        "strict": Key(
            "bool",
            "true：总分须高于下限（> 90 为优）；false：达到下限即可（≥ 90 为优）",
            False,
        ),
        "aliases": Key(
            "map",
            '等级的其他写法 → 本规则的等级（优秀 = "优"）：表中写其他写法不算等级不符',
            {},
            second="text",
        ),
    },
    "qualitative": {
        "achieved": Key(
            "number", "“达成”档的下限（占分值比例），上限为分值", "0.8", _d(0), _d(1), open_low=True
        ),
        "partial": Key(
            "number", "“部分达成”档的下限；其上限为 achieved（不含）", "0.6", _d(0), _d(1)
        ),
        "phrases": Key(
            "map",
            "实际完成值整句为这些表述时直接定档（如平台的「达成年度指标」）",
            {},
            choices=LEVELS,
        ),
    },
    "quantitative": {
        "reverse": Key(
            "choice",
            "反向指标（≤）未达到时：ratio = 分值 × 指标值/完成值（财政部比例）；vendor = "
            "分值 × (1 − (完成值 − 指标值)/指标值)，完成值 ≥ 2 倍指标值得 0（预算管理一体化平台）",
            "ratio",
            choices=("ratio", "vendor"),
        ),
        "equal": Key(
            "choice",
            "等于指标（=）：ratio = 分值 × 较小值/较大值；vendor = 指标值为 0 时完成值 ≤ 0 满分、"
            "否则 0，指标值大于 0 时按正向指标（平台）",
            "ratio",
            choices=("ratio", "vendor"),
        ),
        "over_ratio": Key(
            "number", "完成值达到指标值的多少倍视为“偏离”（超额完成）", "1.3", _d(1), _d(100)
        ),
        "over_action": Key(
            "choice",
            "偏离时：explain = 只要求说明原因；deduct = 扣 over_deduct 分（平台）",
            "explain",
            choices=("explain", "deduct"),
        ),
        "over_deduct": Key("number", "偏离时扣的分数", 2, _d(0), _d(100)),
    },
    "total_cap": {
        "bands": Key(
            "bands",
            "[执行率下限（%）, 总分上限]，从高到低（平台：70–80% 最高 89 分 …）",
            [],
            _d(0),
            _d(1000),
            low2=_d(0),
            high2=_d(1000),
        ),
        "applies_below": Key(
            "number", "执行率（%）低于此值时才封顶；不写则不封顶", None, _d(0), _d(1000)
        ),
    },
    "tolerance": {
        "error": Key("number", "表中数值与规则结果相差超过此值为错误", "0.05", _d(0), _d(100)),
        "rounding": Key(
            "number", "相差不超过此值且不为 0 时只是舍入差异（提示）", "0.05", _d(0), _d(100)
        ),
    },
    "warnings": {
        "inflated": Key(
            "number",
            "“分数虚高”阈值：(Σ指标得分/Σ指标分值 − 执行率) ÷ (Σ指标得分/Σ指标分值) 超过此值时预警"
            "（scoring.score_inflation）",
            "0.05",
            _d(0),
            _d(1),
        ),
        "inflated_severity": Key("choice", "“分数虚高”的严重程度", "warning", choices=SEVERITIES),
        "low_exec_rate": Key(
            "number",
            "执行率（比例）低于此值时预警（平台：(预算 − 执行)/预算 > 20%，即低于 0.8）",
            "0.8",
            _d(0),
            _d(10),
        ),
    },
}


def toml_where(exc: Exception) -> str:
    """Where a TOML file is broken, in Chinese ("（第 3 行第 5 列）"), from
    tomllib's English message; "" when it does not say."""
    match = re.search(r"line (\d+), column (\d+)", str(exc))
    return f"（第 {match.group(1)} 行第 {match.group(2)} 列）" if match else ""


def _where(source: str, path: str) -> str:
    return f"评分规则 {source}：{path}"


def _allowed(table: dict[str, Key] | dict[str, Key | dict[str, Key]]) -> str:
    return "、".join(table)


def _check_number(value: Any, key: Key, source: str, path: str) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ProfileError(f"{_where(source, path)} 应为数字，实际为 {_show(value)}")
    if isinstance(value, float) and not math.isfinite(value):
        raise ProfileError(f"{_where(source, path)} 应为有限的数字，实际为 {_show(value)}")
    _check_range(_d(value), key.low, key.high, key.open_low, source, path)


def _check_range(
    number: Decimal,
    low: Decimal | None,
    high: Decimal | None,
    open_low: bool,
    source: str,
    path: str,
) -> None:
    too_low = low is not None and (number <= low if open_low else number < low)
    too_high = high is not None and number > high
    if too_low or too_high:
        lo = "—" if low is None else _plain(low)
        hi = "—" if high is None else _plain(high)
        bracket = "(" if open_low else "["
        raise ProfileError(
            f"{_where(source, path)} 为 {_plain(number)}，超出允许范围 {bracket}{lo}, {hi}]"
        )


def _plain(number: Decimal) -> str:
    text = format(number, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _show(value: Any) -> str:
    if isinstance(value, str):
        return f"“{value[:30]}”"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, list):
        return "列表"
    if isinstance(value, dict):
        return "表"
    return "其他类型"


def _check_value(value: Any, key: Key, source: str, path: str) -> None:
    kind = key.type
    if kind == "number":
        _check_number(value, key, source, path)
    elif kind == "text":
        if not isinstance(value, str):
            raise ProfileError(f"{_where(source, path)} 应为文字，实际为 {_show(value)}")
    elif kind == "bool":
        if not isinstance(value, bool):
            raise ProfileError(f"{_where(source, path)} 应为 true 或 false，实际为 {_show(value)}")
    elif kind == "choice":
        if value not in key.choices:
            raise ProfileError(
                f"{_where(source, path)} 为 {_show(value)}，可选：{'、'.join(key.choices)}"
            )
    elif kind == "bands":
        if not isinstance(value, list):
            raise ProfileError(f"{_where(source, path)} 应为 [[下限, 值], …] 的列表")
        for i, pair in enumerate(value, 1):
            where = f"{path} 第 {i} 项"
            if not isinstance(pair, list) or len(pair) != 2:
                raise ProfileError(f"{_where(source, where)} 应为两个元素的列表 [下限, 值]")
            _check_number(pair[0], Key("number", "", low=key.low, high=key.high), source, where)
            if key.second == "text":
                if not isinstance(pair[1], str) or not pair[1]:
                    raise ProfileError(f"{_where(source, where)} 的第二个元素应为等级文字")
            else:
                _check_number(
                    pair[1], Key("number", "", low=key.low2, high=key.high2), source, where
                )
        lows = [_d(p[0]) for p in value]
        if any(a <= b for a, b in pairwise(lows)):
            raise ProfileError(f"{_where(source, path)} 的下限应从高到低排列且互不相同")
    elif kind == "map":
        if not isinstance(value, dict):
            raise ProfileError(f"{_where(source, path)} 应为表（名称 = 值）")
        for name, item in value.items():
            where = f"{path}.{name}"
            if key.second == "text":
                if not isinstance(item, str) or not item:
                    raise ProfileError(f"{_where(source, where)} 应为文字，实际为 {_show(item)}")
            elif key.choices:
                if item not in key.choices:
                    raise ProfileError(
                        f"{_where(source, where)} 为 {_show(item)}，可选：{'、'.join(key.choices)}"
                    )
            else:
                _check_number(item, key, source, where)


def validate(data: dict, source: str) -> None:
    """Check one profile file's own keys (before merging) against :data:`SCHEMA`."""
    for name, value in data.items():
        spec = SCHEMA.get(name)
        if spec is None:
            raise ProfileError(f"评分规则 {source}：未知的键 {name}（可用：{_allowed(SCHEMA)}）")
        if isinstance(spec, Key):
            _check_value(value, spec, source, name)
            continue
        if not isinstance(value, dict):
            raise ProfileError(f"评分规则 {source}：{name} 应为表（[{name}]）")
        for sub, item in value.items():
            key = spec.get(sub)
            if key is None:
                raise ProfileError(
                    f"评分规则 {source}：未知的键 {name}.{sub}（可用：{_allowed(spec)}）"
                )
            _check_value(item, key, source, f"{name}.{sub}")


def _default(table: str, key: str) -> Any:
    spec = SCHEMA[table]
    return (spec if isinstance(spec, Key) else spec[key]).default


# --------------------------------------------------------------------------
# The profile
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class ExecRule:
    rule: str = "proportional"
    weight: Decimal = Decimal(10)
    per_pct: Decimal = Decimal("0.1")  # deduct_per_pct: points lost per percentage point
    step_mode: str = "continuous"  # deduct_per_pct: continuous | floor | ceil
    bands: tuple[tuple[Decimal, Decimal], ...] = ()  # interval: (min rate %, fraction of weight)
    cap: bool = True  # proportional: min(rate, 1) × weight


@dataclass(frozen=True)
class Warnings:
    inflated: Decimal = Decimal("0.05")
    inflated_severity: str = "warning"
    low_exec_rate: Decimal = Decimal("0.8")


# a note after a grade (优（99.89分）): not part of it
_GRADE_NOTE = re.compile(r"[（(][^（()）]*[)）]$")


@dataclass(frozen=True)
class Profile:
    name: str
    title: str
    exec: ExecRule
    level1_weights: dict[str, Decimal]
    grade_bands: tuple[tuple[Decimal, str], ...]
    grade_below: str
    qual_achieved: Decimal
    qual_partial: Decimal
    reverse: str  # "ratio" | "vendor"
    over_ratio: Decimal
    over_action: str  # "explain" | "deduct"
    over_deduct: Decimal
    total_cap: tuple[tuple[Decimal, Decimal], ...]  # (min exec rate %, max total)
    cap_applies_below: Decimal | None
    tol_error: Decimal
    tol_rounding: Decimal
    grade_strict: bool = False
    grade_aliases: dict[str, str] = field(default_factory=dict)  # 优秀 -> 优
    equal: str = "ratio"  # "ratio" | "vendor"
    qual_phrases: dict[str, str] = field(default_factory=dict)
    warnings: Warnings = field(default_factory=Warnings)

    def grade(self, total: Decimal) -> str:
        for threshold, label in self.grade_bands:
            if (total > threshold) if self.grade_strict else (total >= threshold):
                return label
        return self.grade_below

    def grade_named(self, text: str) -> str:
        """The profile's grade a form's 绩效等级 cell names: "优秀" and
        "优（99.89分）" are 优 (spaces and a note in brackets aside)."""
        core = _GRADE_NOTE.sub("", "".join(text.split()))
        return self.grade_aliases.get(core, core)

    def cap_for(self, exec_rate_pct: Decimal) -> Decimal | None:
        """Highest total allowed at this execution rate (percent), or None."""
        if self.cap_applies_below is None or exec_rate_pct >= self.cap_applies_below:
            return None
        for low, cap in self.total_cap:
            if exec_rate_pct >= low:
                return cap
        return self.total_cap[-1][1] if self.total_cap else None


def _merge(base: dict, over: dict) -> dict:
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def _is_path(source: str) -> bool:
    return "/" in source or "\\" in source or source.endswith(".toml")


def _read_text(source: str, base: Path | None) -> tuple[str, str, Path | None]:
    """(text, display name, directory) of a profile by bundled name or path."""
    if _is_path(source):
        path = Path(source)
        if base is not None and not path.is_absolute() and (base / path).is_file():
            path = base / path
        try:
            if not path.is_file():
                raise ProfileError(f"找不到评分规则文件 {source}")
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise ProfileError(f"评分规则文件 {source} 应为 UTF-8 编码") from None
        except (OSError, ValueError):
            raise ProfileError(f"无法读取评分规则文件 {source}") from None
        return text, path.name, path.parent
    if source not in available():
        raise ProfileError(f"未知的评分规则 {source!r}；可用：{'、'.join(available())}")
    text = resources.files("perfkit.profiles").joinpath(f"{source}.toml").read_text("utf-8")
    return text, f"{source}.toml", None


def _read_toml(source: str, base: Path | None = None, chain: tuple[str, ...] = ()) -> dict:
    text, shown, folder = _read_text(source, base)
    if shown in chain:
        raise ProfileError(f"评分规则 {shown}：extends 形成循环（{' → '.join((*chain, shown))}）")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(f"评分规则 {shown} 格式错误{toml_where(exc)}，不是有效的 TOML") from None
    validate(data, shown)
    parent = data.pop("extends", None)
    data.setdefault("name", shown[:-5] if shown.endswith(".toml") else shown)
    if parent:
        base_data = _read_toml(parent, folder, (*chain, shown))
        base_data.pop("name", None)
        base_data.pop("title", None)
        data = _merge(base_data, data)
    return data


def available() -> list[str]:
    """Names of the bundled profiles."""
    return sorted(
        p.name[:-5]
        for p in resources.files("perfkit.profiles").iterdir()
        if p.name.endswith(".toml")
    )


def _num(data: dict, table: str, key: str) -> Decimal:
    value = data.get(table, {}).get(key, _default(table, key))
    return _d(value)


def _cross_checks(data: dict, shown: str) -> None:
    qual = data.get("qualitative", {})
    achieved = _d(qual.get("achieved", _default("qualitative", "achieved")))
    partial = _d(qual.get("partial", _default("qualitative", "partial")))
    if partial > achieved:
        raise ProfileError(
            f"评分规则 {shown}：qualitative.partial（{_plain(partial)}）不能大于 "
            f"qualitative.achieved（{_plain(achieved)}）"
        )
    tol = data.get("tolerance", {})
    rounding = _d(tol.get("rounding", _default("tolerance", "rounding")))
    error = _d(tol.get("error", _default("tolerance", "error")))
    if rounding > error:
        raise ProfileError(
            f"评分规则 {shown}：tolerance.rounding（{_plain(rounding)}）不能大于 "
            f"tolerance.error（{_plain(error)}）"
        )
    ex = data.get("exec", {})
    if ex.get("rule") == "interval" and not ex.get("bands"):
        raise ProfileError(f"评分规则 {shown}：exec.rule 为 interval 时须写 exec.bands")


@lru_cache(maxsize=32)
def _load(source: str) -> Profile:
    data = _read_toml(source)
    shown = f"{data['name']}"
    _cross_checks(data, shown)
    ex = data.get("exec", {})
    exec_rule = ExecRule(
        rule=ex.get("rule", _default("exec", "rule")),
        weight=_num(data, "exec", "weight"),
        per_pct=_num(data, "exec", "per_pct"),
        step_mode=ex.get("step_mode", _default("exec", "step_mode")),
        bands=tuple((_d(lo), _d(frac)) for lo, frac in ex.get("bands", [])),
        cap=bool(ex.get("cap", _default("exec", "cap"))),
    )
    grades = data.get("grades", {})
    qual = data.get("qualitative", {})
    quant = data.get("quantitative", {})
    cap = data.get("total_cap", {})
    warn = data.get("warnings", {})
    return Profile(
        name=data["name"],
        title=data.get("title", data["name"]),
        exec=exec_rule,
        level1_weights={k: _d(v) for k, v in data.get("level1_weights", {}).items()},
        grade_bands=tuple((_d(t), str(label)) for t, label in grades.get("bands", [])),
        grade_below=str(grades.get("below", _default("grades", "below"))),
        grade_strict=bool(grades.get("strict", False)),
        grade_aliases={str(k): str(v) for k, v in grades.get("aliases", {}).items()},
        qual_achieved=_num(data, "qualitative", "achieved"),
        qual_partial=_num(data, "qualitative", "partial"),
        qual_phrases=dict(qual.get("phrases", {})),
        reverse=quant.get("reverse", _default("quantitative", "reverse")),
        equal=quant.get("equal", _default("quantitative", "equal")),
        over_ratio=_num(data, "quantitative", "over_ratio"),
        over_action=quant.get("over_action", _default("quantitative", "over_action")),
        over_deduct=_num(data, "quantitative", "over_deduct"),
        total_cap=tuple((_d(lo), _d(c)) for lo, c in cap.get("bands", [])),
        cap_applies_below=_d(cap["applies_below"]) if "applies_below" in cap else None,
        tol_error=_num(data, "tolerance", "error"),
        tol_rounding=_num(data, "tolerance", "rounding"),
        warnings=Warnings(
            inflated=_num(data, "warnings", "inflated"),
            inflated_severity=warn.get(
                "inflated_severity", _default("warnings", "inflated_severity")
            ),
            low_exec_rate=_num(data, "warnings", "low_exec_rate"),
        ),
    )


def load(name: object = None) -> Profile:
    """Profile by bundled name (``mof2020``, ``platform``, ``futian2021`` …) or TOML path."""
    if name is None or type(name) is str:
        return _by_name(name)
    if isinstance(name, str):
        return _by_name(str(name))
    raise ProfileError("评分规则名称应为文字，如 mof2020")


@lru_cache(maxsize=64)
def _by_name(name: str | None) -> Profile:
    """:func:`load` of a name as given (cached: scoring asks it per row)."""
    source = (name or "").strip() or DEFAULT_PROFILE
    if "\x00" in source or len(source) > 1000:
        raise ProfileError("评分规则名称无效")
    return _load(source)


# --------------------------------------------------------------------------
# Documentation from the schema
# --------------------------------------------------------------------------

_TYPES = {
    "number": "数字",
    "text": "文字",
    "bool": "true / false",
    "choice": "选项",
    "bands": "[[下限, 值], …]",
    "map": "表",
}


def _default_text(key: Key) -> str:
    value = key.default
    if value is None:
        return "（不写）"
    if isinstance(value, bool):
        return "`true`" if value else "`false`"
    if value in ([], {}):
        return "（空）"
    if isinstance(value, str) and key.type == "text":
        return value or "（空）"
    return f"`{value}`"


def _values_text(key: Key) -> str:
    if key.type == "map" and key.second == "text":
        return "写法 = 等级文字"
    if key.type == "choice" or (key.type == "map" and key.choices):
        return "、".join(f"`{c}`" for c in key.choices)
    if key.type in ("number", "map") and (key.low is not None or key.high is not None):
        lo = "" if key.low is None else _plain(key.low)
        hi = "" if key.high is None else _plain(key.high)
        return f"{'(' if key.open_low else '['}{lo}, {hi}]"
    if key.type == "bands":
        lo, hi = _plain(key.low or Decimal(0)), _plain(key.high or Decimal(0))
        second = (
            "等级文字"
            if key.second == "text"
            else f"[{_plain(key.low2 or Decimal(0))}, {_plain(key.high2 or Decimal(0))}]"
        )
        return f"下限 [{lo}, {hi}]，值 {second}；下限从高到低"
    return ""


def keys_markdown() -> str:
    """The table of every profile key, for docs/profiles.md."""
    lines = ["| 键 | 类型 | 默认 | 取值 | 说明 |", "|---|---|---|---|---|"]
    for name, spec in SCHEMA.items():
        items = (
            [(name, spec)]
            if isinstance(spec, Key)
            else [(f"{name}.{sub}", key) for sub, key in spec.items()]
        )
        for path, key in items:
            lines.append(
                f"| `{path}` | {_TYPES[key.type]} | {_default_text(key)} | "
                f"{_values_text(key)} | {key.doc} |"
            )
    return "\n".join(lines)


def profiles_markdown() -> str:
    """The table of the bundled profiles, for docs/profiles.md."""
    lines = ["| 名称 | 继承 | 说明 |", "|---|---|---|"]
    for name in available():
        data = tomllib.loads(
            resources.files("perfkit.profiles").joinpath(f"{name}.toml").read_text("utf-8")
        )
        parent = data.get("extends", "")
        lines.append(
            f"| `{name}` | {f'`{parent}`' if parent else '—'} | {data.get('title', name)} |"
        )
    return "\n".join(lines)
