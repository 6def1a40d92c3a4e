"""Rule profiles: the scoring rules that differ by province and year, as data.

A profile is a TOML file (``perfkit/profiles/*.toml``, or any path).  It may
``extends`` another profile; tables are merged key by key.  Code reads the
:class:`Profile`; nobody edits code to serve a new city.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from ..errors import PerfkitError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

DEFAULT_PROFILE = "mof2020"
EXEC_RULES = ("proportional", "deduct_per_pct", "interval")


class ProfileError(PerfkitError):
    pass


@dataclass(frozen=True)
class ExecRule:
    rule: str = "proportional"
    weight: Decimal = Decimal(10)
    per_pct: Decimal = Decimal("0.1")  # deduct_per_pct: points lost per percentage point
    step_mode: str = "continuous"  # deduct_per_pct: continuous | floor | ceil
    bands: tuple[tuple[Decimal, Decimal], ...] = ()  # interval: (min rate %, fraction of weight)


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

    def grade(self, total: Decimal) -> str:
        for threshold, label in self.grade_bands:
            if total >= threshold:
                return label
        return self.grade_below

    def cap_for(self, exec_rate_pct: Decimal) -> Decimal | None:
        """Highest total allowed at this execution rate (percent), or None."""
        if self.cap_applies_below is None or exec_rate_pct >= self.cap_applies_below:
            return None
        for low, cap in self.total_cap:
            if exec_rate_pct >= low:
                return cap
        return self.total_cap[-1][1] if self.total_cap else None


def _dec(value: Any, where: str) -> Decimal:
    try:
        return Decimal(str(value))
    except Exception:
        raise ProfileError(f"评分规则配置 {where} 应为数字，实际为 {value!r}") from None


def _merge(base: dict, over: dict) -> dict:
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def _read_toml(source: str) -> dict:
    if os.sep in source or source.endswith(".toml") or "/" in source:
        path = Path(source)
        if not path.is_file():
            raise ProfileError(f"找不到评分规则文件 {source}")
        text = path.read_text(encoding="utf-8")
    else:
        try:
            text = resources.files("perfkit.profiles").joinpath(f"{source}.toml").read_text("utf-8")
        except (FileNotFoundError, OSError):
            raise ProfileError(
                f"未知的评分规则 {source!r}；可用：{'、'.join(available())}"
            ) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(f"评分规则 {source} 格式错误：{exc}") from None
    parent = data.pop("extends", None)
    if parent:
        data = _merge(_read_toml(parent), data)
    return data


def available() -> list[str]:
    """Names of the bundled profiles."""
    return sorted(
        p.name[:-5]
        for p in resources.files("perfkit.profiles").iterdir()
        if p.name.endswith(".toml")
    )


@lru_cache(maxsize=32)
def load(name: str | None = None) -> Profile:
    """Profile by bundled name (``mof2020``, ``platform``, ``futian2021``) or TOML path."""
    source = (name or "").strip() or DEFAULT_PROFILE
    data = _read_toml(source)
    ex = data.get("exec", {})
    rule = ex.get("rule", "proportional")
    if rule not in EXEC_RULES:
        raise ProfileError(f"评分规则 {source}：未知的执行率计分方法 {rule!r}（可选 {EXEC_RULES}）")
    exec_rule = ExecRule(
        rule=rule,
        weight=_dec(ex.get("weight", 10), "exec.weight"),
        per_pct=_dec(ex.get("per_pct", "0.1"), "exec.per_pct"),
        step_mode=ex.get("step_mode", "continuous"),
        bands=tuple(
            (_dec(lo, "exec.bands"), _dec(frac, "exec.bands")) for lo, frac in ex.get("bands", [])
        ),
    )
    grades = data.get("grades", {})
    qual = data.get("qualitative", {})
    quant = data.get("quantitative", {})
    cap = data.get("total_cap", {})
    tol = data.get("tolerance", {})
    return Profile(
        name=data.get("name", source),
        title=data.get("title", source),
        exec=exec_rule,
        level1_weights={
            k: _dec(v, "level1_weights") for k, v in data.get("level1_weights", {}).items()
        },
        grade_bands=tuple(
            (_dec(t, "grades.bands"), str(label)) for t, label in grades.get("bands", [])
        ),
        grade_below=str(grades.get("below", "差")),
        qual_achieved=_dec(qual.get("achieved", "0.8"), "qualitative.achieved"),
        qual_partial=_dec(qual.get("partial", "0.6"), "qualitative.partial"),
        reverse=quant.get("reverse", "ratio"),
        over_ratio=_dec(quant.get("over_ratio", "1.3"), "quantitative.over_ratio"),
        over_action=quant.get("over_action", "explain"),
        over_deduct=_dec(quant.get("over_deduct", 2), "quantitative.over_deduct"),
        total_cap=tuple(
            (_dec(lo, "total_cap.bands"), _dec(c, "total_cap.bands"))
            for lo, c in cap.get("bands", [])
        ),
        cap_applies_below=_dec(cap["applies_below"], "total_cap.applies_below")
        if "applies_below" in cap
        else None,
        tol_error=_dec(tol.get("error", "0.05"), "tolerance.error"),
        tol_rounding=_dec(tol.get("rounding", "0.05"), "tolerance.rounding"),
    )
