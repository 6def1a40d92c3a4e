"""The label vocabulary of the form reader, and how a cell's text is compared
with it.

The words are data (``perfkit/profiles/labels/*.toml``, plus the file named
by ``PERFKIT_LABELS``); this module only normalises text and looks it up.
"""

from __future__ import annotations

import os
import re
import sys
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from importlib import resources
from pathlib import Path

from ..errors import InputError, PerfkitError
from ..numbers import arabic_years
from ..profiles import toml_where

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

LABELS_ENV = "PERFKIT_LABELS"
MAX_LABEL = 40  # longer text is data, never a label

_SPACE = re.compile(r"\s+")
_BRACKET = re.compile(r"[(\[【〔]([^()\[\]【】〔〕]*)[)\]】〕]")
_WEIGHT = re.compile(r"^(\d+(?:\.\d+)?)分")
_OPEN_TAIL = re.compile(r"[(\[【〔][^)\]】〕]*$")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
# an enumeration before a label: "一、产出指标", "1.数量指标", "2、" ("（一）" is a bracket)
_ENUMERATION = re.compile(r"^(?:[一二三四五六七八九十]{1,3}|[0-9]{1,2})[、.]")


@dataclass(frozen=True)
class Label:
    """A cell's text as the reader compares it: the core words, what its
    brackets said (a weight, an amount unit), and the text after a colon."""

    core: str
    weight: Decimal | None = None
    unit: str | None = None
    value: str | None = None  # "项目名称：党建事务" -> 党建事务; "项目编码:" -> ""
    brackets: tuple[str, ...] = ()


@lru_cache(maxsize=65536)
def normalise(text: str) -> Label:
    """Normalise a label cell (see the header of labels/default.toml)."""
    folded = unicodedata.normalize("NFKC", text)
    value = None
    head = folded
    if ":" in folded:
        before, _, after = folded.partition(":")
        if _SPACE.sub("", before).replace("*", "") == "其中":
            head = after  # 其中：当年财政拨款 is a fund row, not "其中" = value
        else:
            head = before
            value = after.strip()
    core = _SPACE.sub("", head).replace("*", "").replace("★", "")
    brackets: list[str] = []
    while True:
        found = _BRACKET.findall(core)
        if not found:
            break
        brackets.extend(found)
        core = _BRACKET.sub("", core)
    core = _OPEN_TAIL.sub("", core)  # ="产出指标（"&SUM(…)&"分）" read as its literal
    if core.startswith("其中") and len(core) > 2:
        core = core[2:]
    core = _ENUMERATION.sub("", core, count=1).strip(":;,.，。、")
    weight = unit = None
    for part in brackets:
        m = _WEIGHT.match(part)
        if m and weight is None:
            weight = Decimal(m.group(1))
        elif part in ("元", "万元"):
            unit = part
        elif part.startswith("单位:") and part[3:] in ("元", "万元"):
            unit = part[3:]
    return Label(core, weight, unit, value, tuple(brackets))


def year_in(text: str) -> int | None:
    """The year of a title such as 项目支出绩效自评表（2022年度）."""
    m = _YEAR.search(arabic_years(unicodedata.normalize("NFKC", text)))
    return int(m.group(1)) if m else None


# --------------------------------------------------------------------------
# the vocabulary
# --------------------------------------------------------------------------

ROLE_TABLES = (
    ("head", "head"),
    ("fund_col", "funds.columns"),
    ("fund_row", "funds.rows"),
    ("col", "indicators.columns"),
    ("goal", "goal"),
    ("settings", "settings"),
)


@dataclass(frozen=True)
class Vocab:
    """Normalised label -> what it marks, per role."""

    titles: dict[str, tuple[str, ...]]  # kind -> words (contained in the title)
    roles: dict[str, tuple[tuple[str, str], ...]]  # core -> ((role, key), …)
    fund_sections: frozenset[str]
    grid_sections: frozenset[str]
    ends: frozenset[str]
    subtotals: frozenset[str]
    level1_words: frozenset[str]
    grades: frozenset[str]
    goal_sections: frozenset[str]
    units: dict[str, str]
    department_titles: tuple[str, ...] = ()  # titles of forms that name no project
    # rows that open a 绩效目标申报表's 年度 and its 长期 / 中期 indicators
    declaration_annual: frozenset[str] = frozenset()
    declaration_longer: frozenset[str] = frozenset()
    # labels() of each text met so far: a pure function of the text and this
    # vocabulary (sheets repeat their labels, and every cell is looked up)
    _memo: dict[str, tuple[tuple[str, str], ...]] = field(
        default_factory=dict, compare=False, repr=False
    )

    def labels(self, core: str) -> tuple[tuple[str, str], ...]:
        """Every (role, key) *core* marks: the label tables, and the title,
        end-row, grade, first-level and section words."""
        got = self._memo.get(core)
        if got is None:
            got = self._memo[core] = self.roles.get(core, ()) + self._extra(core)
        return got

    def _extra(self, core: str) -> tuple[tuple[str, str], ...]:
        out = []
        kind = self.title_kind(core)
        if kind:
            out.append(("title", kind))
        if core in self.ends:
            out.append(("end", "total"))
        elif core in self.subtotals or (len(core) <= 12 and core.endswith(tuple(self.subtotals))):
            out.append(("subtotal", "subtotal"))
        if core in self.grades:
            out.append(("grade", "grade"))
        if core in self.level1_words:
            out.append(("level1", core))
        if core in self.grid_sections:
            out.append(("grid", "section"))
        if core in self.fund_sections:
            out.append(("funds", "section"))
        if core in self.goal_sections:
            out.append(("goal", "section"))
        return tuple(out)

    def role(self, core: str, role: str) -> str | None:
        """The key *core* marks in *role* ("col", "head" …), or None."""
        for r, key in self.roles.get(core, ()):
            if r == role:
                return key
        return None

    def title_kind(self, core: str) -> str | None:
        if len(core) > 60:
            return None
        for kind, words in self.titles.items():
            if any(w in core for w in words):
                return kind
        return None


def _table(data: dict, dotted: str) -> dict:
    node = data
    for part in dotted.split("."):
        node = node.get(part, {}) if isinstance(node, dict) else {}
    return node if isinstance(node, dict) else {}


def _words(values, where: str, source: str) -> list[str]:
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise InputError(f"标签词表 {where} 应为文字列表", path=source)
    return [normalise(v).core for v in values]


def _merge(into: dict, data: dict, source: str) -> None:
    for section, value in data.items():
        if isinstance(value, dict):
            target = into.setdefault(section, {})
            for key, sub in value.items():
                if isinstance(sub, dict):
                    inner = target.setdefault(key, {})
                    for k, words in sub.items():
                        inner.setdefault(k, []).extend(
                            words if isinstance(words, list) else [words]
                        )
                else:
                    target.setdefault(key, []).extend(sub if isinstance(sub, list) else [sub])
        else:
            raise InputError(f"标签词表 {section} 应为表（[{section}]）", path=source)


def _sources() -> list[tuple[str, str]]:
    out = []
    folder = resources.files("perfkit.profiles").joinpath("labels")
    entries = sorted(folder.iterdir(), key=lambda p: p.name) if folder.is_dir() else []
    for entry in entries:
        if entry.name.endswith(".toml"):
            out.append((f"labels/{entry.name}", entry.read_text(encoding="utf-8")))
    if not out:  # not the user's file: the package was installed without its data
        raise PerfkitError(
            "perfkit 安装不完整：缺少标签词表 perfkit/profiles/labels/*.toml，请重新安装 perfkit"
        )
    extra = os.environ.get(LABELS_ENV)
    if extra:
        path = Path(extra)
        if not path.is_file():
            raise InputError("找不到标签词表文件（环境变量 PERFKIT_LABELS）", path=extra)
        out.append((extra, path.read_text(encoding="utf-8")))
    return out


@lru_cache(maxsize=4)
def load(extra: str | None = None) -> Vocab:
    """The merged vocabulary (*extra*: the PERFKIT_LABELS value, a cache key)."""
    merged: dict = {}
    for source, text in _sources():
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise InputError(
                f"标签词表格式错误{toml_where(exc)}，不是有效的 TOML", path=source
            ) from None
        _merge(merged, data, source)
    roles: dict[str, list[tuple[str, str]]] = {}
    for role, dotted in ROLE_TABLES:
        for key, values in _table(merged, dotted).items():
            if key == "section" or isinstance(values, dict):
                continue
            for core in _words(values, f"{dotted}.{key}", "labels"):
                pair = (role, key)
                if pair not in roles.setdefault(core, []):
                    roles[core].append(pair)
    titles = {
        kind: tuple(_words(words, f"title.{kind}", "labels"))
        for kind, words in _table(merged, "title").items()
    }
    units = {}
    for unit, words in _table(merged, "units").items():
        for w in words:
            units[w] = unit

    def words_of(dotted: str, key: str) -> frozenset[str]:
        return frozenset(_words(_table(merged, dotted).get(key, []), f"{dotted}.{key}", "labels"))

    return Vocab(
        titles=titles,
        roles={core: tuple(pairs) for core, pairs in roles.items()},
        fund_sections=words_of("funds", "section"),
        grid_sections=words_of("indicators", "section"),
        ends=words_of("indicators", "end"),
        subtotals=words_of("indicators", "subtotal"),
        level1_words=words_of("indicators", "level1"),
        grades=words_of("grade", "labels"),
        goal_sections=words_of("goal", "section"),
        units=units,
        department_titles=tuple(
            _words(_table(merged, "department").get("titles", []), "department.titles", "labels")
        ),
        declaration_annual=words_of("declaration", "annual"),
        declaration_longer=words_of("declaration", "longer"),
    )


def vocab() -> Vocab:
    return load(os.environ.get(LABELS_ENV))


__all__ = ["Label", "Vocab", "normalise", "vocab", "year_in"]
