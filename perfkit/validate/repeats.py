"""Forms of one batch that are the same project (``PROJECT_REPEATED``).

A finance bureau collects a folder of forms; a unit that sends a corrected
form again, or keeps last year's copy beside this year's, leaves the same
project there twice, and every sum of the 汇总 counts it twice.  Two forms are
taken for the same project when they are the same kind of form (自评表,
评分表, 部门整体自评表) of the same year and

- their 项目编码 is the same (the platform's code names one project), or
- their unit and their 项目名称 (for a 部门整体 form: 部门整体支出) are the
  same, unless each has a 项目编码 and the two differ (two projects of one name);

texts compared with full-width forms, spaces and case set aside.  A form
without a code, or without a unit or a name, is compared only by what it has.

One answer for every surface: ``perfkit validate`` of several files reports a
finding at the form's code (or name) cell, ``perfkit summarize`` writes it in
the 备注 and counts it among the warnings, ``perfkit review`` counts it in the
risk like every other warning.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from ..model import Loc
from ..values import subject_of, text_of, unit_of, years_in

SHOWN = 3  # other forms named in a message; the rest counted


@dataclass(frozen=True)
class Entry:
    """What identifies one form of a batch, as the surfaces show it."""

    file: str  # the path as the user gave or the scan found it
    sheet: str
    kind: str  # 自评表 / 评分表 / 部门整体自评表
    unit: str
    code: str  # 项目编码
    name: str  # 项目名称 (subject_of)
    year: str

    def keys(self) -> list[tuple[str, ...]]:
        """The keys under which another form would be the same project."""
        kind, year = self.kind, _year(self.year)
        out = []
        code = _norm(self.code)
        if code:
            out.append(("code", kind, year, code))
        unit, name = _norm(self.unit), _norm(self.name)
        if unit and name:
            out.append(("name", kind, year, unit, name))
        return out


@dataclass(frozen=True)
class Repeat:
    """One form that shares its project with others of the batch."""

    others: tuple[int, ...]  # indices of the other forms of the project, in batch order
    by_code: bool  # the code is what they share (else the unit and name)

    def message(self, entries: Sequence[Entry], here: int) -> str:
        me = entries[here]
        named = "；".join(_describe(entries[i], me) for i in self.others[:SHOWN])
        more = "等" if len(self.others) > SHOWN else ""
        if self.by_code:
            basis = f"项目编码 {me.code.strip()}"
        else:
            basis = f"单位“{me.unit.strip()}”、项目名称“{me.name.strip()}”"
        year = f"{_year(me.year)}年度" if _year(me.year) else ""
        return (
            f"同一项目（{basis}，{year}{me.kind}）另有 {len(self.others)} 份：{named}{more}。"
            "可能重复报送或新旧版本并存，汇总时每份都会计入；请核实后只保留一份"
        )

    def finding(self, entries: Sequence[Entry], here: int, cells: dict[str, Loc]):
        """The ``PROJECT_REPEATED`` finding of form *here*, at its code cell
        (its name cell when the name is what the forms share); *cells* from
        :func:`cells_of`."""
        from .core import CODES, Finding

        doc = CODES["PROJECT_REPEATED"]
        loc = cells["code" if self.by_code else "name"]
        return Finding(doc.code, doc.severity, loc.sheet, loc.cell, self.message(entries, here))


def cells_of(form) -> dict[str, Loc]:
    """Where a form names its project: "code" and "name" -> the Loc of its
    项目编码 and 项目名称 cells (the title's, or the sheet's, when it has none)."""
    locs = getattr(form, "locs", None) or {}
    layout = getattr(form, "layout", None)
    title = layout.loc("title") if layout else None
    name = locs.get("project_name") or title or Loc(form.sheet or "", "")
    return {"code": locs.get("project_code") or name, "name": name}


def entry_of(form, file: str) -> Entry:
    """The :class:`Entry` of a form read from *file*."""
    from ..model import SELF_EVAL, form_name

    code = text_of(getattr(form, "project_code", None)) if form.form == SELF_EVAL else ""
    return Entry(
        file,
        form.sheet or "",
        form_name(form),
        unit_of(form),
        code,
        subject_of(form),
        text_of(form.year),
    )


def find(entries: Sequence[Entry]) -> dict[int, Repeat]:
    """index -> :class:`Repeat` for every form that shares its project with
    another form of *entries* (forms in batch order)."""
    parent = list(range(len(entries)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    buckets: dict[tuple[str, ...], list[int]] = {}
    for i, entry in enumerate(entries):
        for key in entry.keys():
            buckets.setdefault(key, []).append(i)
    for key, members in buckets.items():
        for a, i in enumerate(members):
            for j in members[a + 1 :]:
                if key[0] == "code" or not _conflict(entries[i], entries[j]):
                    parent[root(j)] = root(i)
    groups: dict[int, list[int]] = {}
    for i in range(len(entries)):
        groups.setdefault(root(i), []).append(i)
    out: dict[int, Repeat] = {}
    for members in groups.values():
        if len(members) < 2:
            continue
        codes = {_norm(entries[i].code) for i in members}
        by_code = len(codes) == 1 and "" not in codes
        for i in members:
            out[i] = Repeat(tuple(j for j in members if j != i), by_code)
    return out


def _conflict(a: Entry, b: Entry) -> bool:
    """Two different 项目编码: two projects, whatever their names."""
    ca, cb = _norm(a.code), _norm(b.code)
    return bool(ca and cb and ca != cb)


def _describe(other: Entry, me: Entry) -> str:
    sheet = f"工作表「{other.sheet}」" if other.sheet else ""
    if other.file == me.file:
        return f"本文件{sheet}"
    return f"{other.file} {sheet}".strip()


_SPACE = re.compile(r"\s+")


def _norm(text: str) -> str:
    return _SPACE.sub("", unicodedata.normalize("NFKC", text or "")).casefold()


def _year(text: str) -> str:
    years = years_in((text or "") + "年")
    return str(years[0]) if years else _norm(text)
