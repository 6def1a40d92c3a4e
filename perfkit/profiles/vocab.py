"""The vocabulary of 实际完成值 and 三级指标 texts, as data (``perfkit/vocab/words.toml``).

Which words say that a target was not met, that nothing was measured, which
names make an indicator "smaller is better", which name marks the 预算执行率
row, which texts mark an unused row, which further units of count a number
may carry.  ``vocabulary()`` reads the bundled file
once; ``load_vocabulary(path)`` reads another one (same keys, checked: an
unknown key is an error naming the file and the key).
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from ..errors import PerfkitError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

__all__ = ["VOCAB_KEYS", "Vocabulary", "VocabularyError", "load_vocabulary", "vocabulary"]

# table -> key -> what it holds (every value is a list of phrases)
VOCAB_KEYS: dict[str, dict[str, str]] = {
    "achievements": {
        "phrases": "先去掉的表述（未收到投诉、无法律纠纷 …）：其中的“未”“无”不算未完成",
        "negators": "紧跟其后的未完成类词语不算未完成（未发现不合格、无延期）",
    },
    "levels": {
        "not_measured": "没有测量 / 统计：不计分（state not_measured）",
        "not_met": "未达成：最低档，得分取区间下限",
        "low": "较低、偏低：正向指标未达成（反向指标不算）",
        "high": "较高、偏高：反向指标未达成（正向指标不算）",
        "partly_met": "部分达成：中间档，得分取区间下限",
    },
    "direction": {"reverse_hints": "名称含这些词、指标值没有比较符号时按反向指标（越小越好）"},
    "exec_row": {
        "names": "评分表中预算执行率一行的三级指标名称含其中之一",
        "exclude": "名称含这些词则不是预算执行率（政府采购执行率 …）",
    },
    "not_applicable": {"words": "整格为这些文字时表示不适用（不计入总分）"},
    "units": {
        "counts": "计数单位（起、例、株 …）：数字后面的这些字读作计量单位；常用单位（个、次、人、元、% …）已内置",
        "aside": "实际完成值中写在这些词之后的数不是完成数（其中线上5场、较上年增加2场），与指标值比较时不计入",
    },
    "targets": {
        "references": "比较符号后为这些词时（≤预算数、≥上年）指标值是文字表述，按实际完成值的表述评分，不是无法识别",
    },
    "placeholder": {
        "whole": "年度指标值整格为这些文字时只是占位，不是指标值（待定、同上 …）",
        "starts": "年度指标值以这些文字开头时指向别处，不是指标值（见附件、详见附表 …）",
    },
}


class VocabularyError(PerfkitError):
    """A vocabulary file that cannot be used (unknown key, wrong type)."""


def _any_of(words: tuple[str, ...]) -> re.Pattern[str] | None:
    """One pattern for a whole list (longest first); None for an empty list."""
    if not words:
        return None
    return re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)))


@dataclass(frozen=True)
class Vocabulary:
    """The word lists, and one compiled pattern per list."""

    achievements: tuple[str, ...]
    negators: tuple[str, ...]
    not_measured: tuple[str, ...]
    not_met: tuple[str, ...]
    low: tuple[str, ...]
    high: tuple[str, ...]
    partly_met: tuple[str, ...]
    reverse_hints: tuple[str, ...]
    exec_names: tuple[str, ...]
    exec_exclude: tuple[str, ...]
    not_applicable: frozenset[str]
    count_units: tuple[str, ...] = ()
    aside: tuple[str, ...] = ()
    placeholder_whole: frozenset[str] = frozenset()
    placeholder_starts: tuple[str, ...] = ()
    references: tuple[str, ...] = ()
    source: str = ""

    def __post_init__(self) -> None:
        patterns = {
            name: _any_of(getattr(self, name))
            for name in (
                "achievements",
                "not_measured",
                "not_met",
                "low",
                "high",
                "partly_met",
                "reverse_hints",
                "exec_names",
                "exec_exclude",
            )
        }
        failures = (*self.not_met, *self.low, *self.high)
        patterns["negated"] = (
            re.compile(
                "(?:"
                + "|".join(re.escape(w) for w in sorted(self.negators, key=len, reverse=True))
                + ")(?:"
                + "|".join(re.escape(w) for w in sorted(failures, key=len, reverse=True))
                + ")+"  # 未发现违规违纪: every failure word of the run
            )
            if self.negators and failures
            else None
        )
        object.__setattr__(self, "_patterns", patterns)

    def pattern(self, name: str) -> re.Pattern[str] | None:
        return self._patterns[name]  # type: ignore[attr-defined]

    def search(self, name: str, text: str) -> str:
        """The first phrase of list *name* found in *text* ("" when none)."""
        pattern = self.pattern(name)
        if pattern is None:
            return ""
        match = pattern.search(text)
        return match.group(0) if match else ""

    def without_achievements(self, text: str) -> str:
        """*text* with the achievement phrases, and failure words right after a
        negator, replaced by a separator."""
        for name in ("negated", "achievements"):
            pattern = self.pattern(name)
            if pattern is not None:
                text = pattern.sub("|", text)
        return text


def _check(data: dict, source: str) -> dict[str, tuple[str, ...]]:
    out: dict[str, tuple[str, ...]] = {}
    for table, value in data.items():
        if table not in VOCAB_KEYS:
            raise VocabularyError(
                f"词表 {source}：未知的表 {table}（可用：{'、'.join(VOCAB_KEYS)}）"
            )
        if not isinstance(value, dict):
            raise VocabularyError(f"词表 {source}：{table} 应为表（[{table}]）")
        for key, words in value.items():
            if key not in VOCAB_KEYS[table]:
                raise VocabularyError(
                    f"词表 {source}：未知的键 {table}.{key}（可用：{'、'.join(VOCAB_KEYS[table])}）"
                )
            if not isinstance(words, list) or not all(isinstance(w, str) and w for w in words):
                raise VocabularyError(f"词表 {source}：{table}.{key} 应为非空文字的列表")
            out[f"{table}.{key}"] = tuple(words)
    return out


def _parse(text: str, source: str) -> Vocabulary:
    from . import toml_where

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise VocabularyError(f"词表 {source} 格式错误{toml_where(exc)}，不是有效的 TOML") from None
    words = _check(data, source)

    def get(key: str) -> tuple[str, ...]:
        return words.get(key, ())

    return Vocabulary(
        achievements=get("achievements.phrases"),
        negators=get("achievements.negators"),
        not_measured=get("levels.not_measured"),
        not_met=get("levels.not_met"),
        low=get("levels.low"),
        high=get("levels.high"),
        partly_met=get("levels.partly_met"),
        reverse_hints=get("direction.reverse_hints"),
        exec_names=get("exec_row.names"),
        exec_exclude=get("exec_row.exclude"),
        not_applicable=frozenset(w.lower() for w in get("not_applicable.words")),
        count_units=get("units.counts"),
        aside=get("units.aside"),
        placeholder_whole=frozenset(get("placeholder.whole")),
        placeholder_starts=get("placeholder.starts"),
        references=get("targets.references"),
        source=source,
    )


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    """The bundled vocabulary (``perfkit/vocab/words.toml``), read once."""
    text = resources.files("perfkit").joinpath("vocab/words.toml").read_text("utf-8")
    return _parse(text, "words.toml")


@lru_cache(maxsize=8)
def load_vocabulary(path: str) -> Vocabulary:
    """A vocabulary file of the same shape as the bundled one."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, ValueError, UnicodeDecodeError):
        raise VocabularyError(f"无法读取词表文件 {path}") from None
    return _parse(text, Path(path).name)
