"""Checks between the forms of one batch, not within one form.

A finance bureau collects a folder of forms, and some problems show only
between them:

- ``PROJECT_REPEATED``: the same project twice.  A unit that sends a
  corrected form again, or keeps last year's copy beside this year's, leaves
  the project there twice, and every sum of the 汇总 counts it twice.  Two
  forms are taken for the same project when they are the same kind of form
  (自评表, 评分表, 部门整体自评表) of the same year and their 项目编码 is the
  same (the platform's code names one project), or their unit and their
  项目名称 (for a 部门整体 form: 部门整体支出) are the same, unless each has a
  项目编码 and the two differ (two projects of one name).
- ``EVALUATION_AMOUNT_DIFFERS`` / ``EVALUATION_TARGET_DIFFERS``: a unit's
  自评表 and the 评分表 of the same project (same year, unit and 项目名称)
  that disagree on the year's 全年预算数 or 全年执行数, or on the value an
  indicator is measured against — the 自评表's 年度指标值 and the 评分表's
  标杆值 of the indicator of the same name, and of the one 满意度 indicator
  each has (DOMAIN F-6: 不低于 85 % against ≥ 90 %).
- ``TARGET_CHANGED`` / ``INDICATOR_DROPPED``: a 自评表 and the 绩效目标申报表
  of its project (a 项目编码 both give, or year, unit and 项目名称; DOMAIN
  §3.3: the platform copies the declared 指标值 into the 自评表) where a
  年度指标值 is not the one declared, or a declared indicator is missing.
  Only the 自评表 is told; a 申报表 is no form to check.

Texts are compared with full-width forms, spaces and case set aside.

One answer for every surface: each surface's worker keeps the form's
:class:`Entry` (:func:`entry_of`), and :func:`findings` gives every batch
finding; ``perfkit validate`` of several files reports them at their cells,
``perfkit summarize`` writes them in the 备注 and counts them among the
warnings, ``perfkit review`` counts them in the risk like every other warning.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ..model import DECLARATION, SELF_EVAL, Loc
from ..numbers import WAN, fmt, round2
from ..values import read_number, subject_of, text_of, unit_of, years_in

SHOWN = 3  # other forms named in a message; the rest counted
SATISFACTION = "满意"  # in a row's 一级, 二级 or 三级指标: a 满意度 indicator
SELF_NAME, EVAL_NAME = "自评表", "评分表"  # model.form_name of the two kinds a pair joins
DECLARED_NAME = "绩效目标申报表"  # model.form_name of a model.Declaration
LABELS = {  # a few words for each code, for the risk reasons of perfkit review
    "PROJECT_REPEATED": "重复报送",
    "EVALUATION_AMOUNT_DIFFERS": "自评表与评分表金额不一致",
    "EVALUATION_TARGET_DIFFERS": "自评表与评分表指标值不一致",
    "TARGET_CHANGED": "指标值与申报表不同",
    "INDICATOR_DROPPED": "申报表的指标未自评",
}


@dataclass(frozen=True)
class Target:
    """An indicator's value measured against: a 自评表's 年度指标值, a 评分表's 标杆值."""

    name: str  # 三级指标, normalised
    satisfaction: bool
    text: str
    at: Loc
    label: str  # “二级／三级” for messages
    group: str = ""  # 二级指标, normalised


def matched(mine: Sequence[Target], theirs: Sequence[Target], by_group: bool) -> dict[int, Target]:
    """index in *mine* -> the one of *theirs* that is the same indicator: the
    same 二级 and 三级指标 (*by_group*), else a 三级指标 name each side has once."""
    out: dict[int, Target] = {}
    if by_group:
        pairs_ = {(t.group, t.name): t for t in theirs if t.name}
        for i, t in enumerate(mine):
            if t.name and (t.group, t.name) in pairs_:
                out[i] = pairs_[(t.group, t.name)]
    once_mine = _once(t.name for t in mine)
    once_theirs = {t.name: t for t in theirs if t.name in _once(u.name for u in theirs)}
    taken = {id(t) for t in out.values()}
    for i, t in enumerate(mine):
        if i not in out and t.name in once_mine and t.name in once_theirs:
            if id(once_theirs[t.name]) not in taken:
                out[i] = once_theirs[t.name]
    return out


def _once(names) -> set[str]:
    seen: dict[str, int] = {}
    for n in names:
        if n:
            seen[n] = seen.get(n, 0) + 1
    return {n for n, k in seen.items() if k == 1}


@dataclass(frozen=True)
class Entry:
    """What one form of a batch says about its project, as the surfaces show it."""

    file: str  # the path as the user gave or the scan found it
    sheet: str
    kind: str  # 自评表 / 评分表 / 部门整体自评表 (model.form_name)
    unit: str
    code: str  # 项目编码
    name: str  # 项目名称 (subject_of)
    year: str
    budget: Decimal | None = None  # 全年预算数, 元
    executed: Decimal | None = None  # 全年执行数, 元
    wan: bool = False  # the form's amounts are in 万元
    targets: tuple[Target, ...] = ()
    at: dict[str, Loc] = field(default_factory=dict, compare=False)  # code, name, budget, executed

    def project(self) -> list[tuple[str, ...]]:
        """The keys that name the form's project, of whatever kind the form
        is: its 项目编码, and its unit and 项目名称, each with the year."""
        year, code = _year(self.year), _norm(self.code)
        out = [("code", year, code)] if code else []
        unit, name = _norm(self.unit), _norm(self.name)
        if unit and name:
            out.append(("name", year, unit, name))
        return out

    def keys(self) -> list[tuple[str, ...]]:
        """The keys under which another form would be the same project: of
        the same kind (none for a 申报表: two copies of it are no project
        counted twice)."""
        if self.kind == DECLARED_NAME:
            return []
        return [(key[0], self.kind, *key[1:]) for key in self.project()]

    def cell(self, what: str) -> Loc:
        """Where the form says *what* (code, name, budget, executed): that
        cell, else its name's, else its title's, else the sheet."""
        return self.at.get(what) or self.at.get("name") or Loc(self.sheet, "")

    @property
    def shown(self) -> str:
        return f"{self.file} 工作表「{self.sheet}」" if self.sheet else self.file


def entry_of(form: Any, file: str) -> Entry:
    """The :class:`Entry` of a form read from *file*."""
    from ..layout import amount_unit_of
    from ..model import form_name

    locs = getattr(form, "locs", None) or {}
    layout = getattr(form, "layout", None)
    title = layout.loc("title") if layout else None
    at = {"name": locs.get("project_name") or title or Loc(form.sheet or "", "")}
    if "project_code" in locs:
        at["code"] = locs["project_code"]
    self_eval = form.form == SELF_EVAL
    declared = form.form == DECLARATION
    if "header" in locs:
        at["header"] = locs["header"]
    holder = form.funds.get("total") if self_eval else None if declared else form
    wan = not declared and amount_unit_of(form) == "万元"
    amounts = {}
    for what, name in (("budget", "annual_budget"), ("executed", "executed")):
        value, problem = read_number(getattr(holder, name, None)) if holder else (None, None)
        amounts[what] = value * WAN if wan and isinstance(value, Decimal) else value
        if not isinstance(value, Decimal) or problem:
            amounts[what] = None
        loc = (getattr(holder, "locs", None) or {}).get(name) if holder else None
        if loc is not None:
            at[what] = loc
    field_name = "target" if self_eval or declared else "benchmark"
    targets = []
    for ind in getattr(form, "indicators", ()):
        text = text_of(getattr(ind, field_name, None))
        loc = (getattr(ind, "locs", None) or {}).get(field_name)
        if not text or loc is None:
            continue
        levels = (text_of(ind.level1), text_of(ind.level2), text_of(ind.level3))
        label = "／".join(t for t in levels[1:] if t)
        targets.append(
            Target(
                _norm(levels[2]),
                any(SATISFACTION in t for t in levels),
                text,
                loc,
                label,
                _norm(levels[1]),
            )
        )
    return Entry(
        file,
        form.sheet or "",
        form_name(form),
        unit_of(form),
        text_of(getattr(form, "project_code", None)) if self_eval or declared else "",
        subject_of(form),
        text_of(form.year),
        amounts["budget"],
        amounts["executed"],
        wan,
        tuple(targets),
        at,
    )


def findings(entries: Sequence[Entry]) -> dict[int, list]:
    """index -> the batch's findings about the form *entries[index]*
    (:class:`~perfkit.validate.core.Finding`, in the order of the codes)."""
    out: dict[int, list] = {}
    for i, repeat in find(entries).items():
        out.setdefault(i, []).append(repeat.finding(entries, i))
    for i, j in pairs(entries):
        for here, there in ((i, j), (j, i)):
            found = _disagreements(entries[here], entries[there])
            if found:
                out.setdefault(here, []).extend(found)
    for i, j in declared(entries):  # of two copies of one 申报表, what the first says
        told = {(f.code, f.cell) for f in out.get(i, ())}
        found = [f for f in _changes(entries[i], entries[j]) if (f.code, f.cell) not in told]
        if found:
            out.setdefault(i, []).extend(found)
    return out


def console_note(codes_of_forms: Sequence[Sequence[str]], where: str) -> str:
    """What a batch command prints about the findings between forms (each
    form's codes, in *codes_of_forms*); *where*: where they are written;
    "" when there are none."""
    from collections import Counter

    codes = Counter(code for codes_ in codes_of_forms for code in codes_)
    if not codes:
        return ""
    forms = sum(1 for codes_ in codes_of_forms if codes_)
    what = "、".join(f"{code} {n}" for code, n in sorted(codes.items()))
    hints = []
    if codes.get("PROJECT_REPEATED"):
        hints.append("同一项目有多份表格时汇总中每份都已计入，核实后只保留一份")
    if codes.keys() & {"EVALUATION_AMOUNT_DIFFERS", "EVALUATION_TARGET_DIFFERS"}:
        hints.append("核对同一项目的自评表与评分表")
    if codes.keys() & {"TARGET_CHANGED", "INDICATOR_DROPPED"}:
        hints.append("核对自评表与申报的绩效目标")
    return f"注意：{forms} 份表格与同批的其他表格不一致或重复（{what}）：见{where}；" + "；".join(
        hints
    )


def declarations_note(n: int, role: str) -> str:
    """What a batch command prints about the 绩效目标申报表 it read ("" for none)."""
    if not n:
        return ""
    return f"另读取 {n} 份绩效目标申报表：{role}，只用于核对同一项目自评表的年度指标值"


def of_forms(forms: Sequence[Any], file: str) -> list:
    """The findings between the forms of one workbook (*file*: its name), as
    the 校验 button reports them: a corrected copy on another sheet, a
    自评表 and a 评分表 of one project side by side."""
    entries = [entry_of(form, file) for form in forms]
    return [f for found in findings(entries).values() for f in found]


# -- the same project twice -------------------------------------------------------


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

    def finding(self, entries: Sequence[Entry], here: int):
        """The ``PROJECT_REPEATED`` finding of form *here*, at its code cell
        (its name cell when the name is what the forms share)."""
        loc = entries[here].cell("code" if self.by_code else "name")
        return _finding("PROJECT_REPEATED", loc, self.message(entries, here))


def find(entries: Sequence[Entry]) -> dict[int, Repeat]:
    """index -> :class:`Repeat` for every form that shares its project with
    another form of *entries* (forms in batch order).  Pairwise, not by
    groups: a form without a code that has the unit and name of two coded
    forms is a repeat of each, but two forms of different codes are never
    one project through it."""
    buckets: dict[tuple[str, ...], list[int]] = {}
    for i, entry in enumerate(entries):
        for key in entry.keys():
            buckets.setdefault(key, []).append(i)
    others: dict[int, set[int]] = {}
    for key, members in buckets.items():
        for a, i in enumerate(members):
            for j in members[a + 1 :]:
                if key[0] == "code" or not _conflict(entries[i], entries[j]):
                    others.setdefault(i, set()).add(j)
                    others.setdefault(j, set()).add(i)
    out: dict[int, Repeat] = {}
    for i, mine in sorted(others.items()):
        code = _norm(entries[i].code)
        by_code = bool(code) and all(_norm(entries[j].code) == code for j in mine)
        out[i] = Repeat(tuple(sorted(mine)), by_code)
    return out


def _conflict(a: Entry, b: Entry) -> bool:
    """Two different 项目编码: two projects, whatever their names."""
    ca, cb = _norm(a.code), _norm(b.code)
    return bool(ca and cb and ca != cb)


def _describe(other: Entry, me: Entry) -> str:
    sheet = f"工作表「{other.sheet}」" if other.sheet else ""
    if other.file == me.file:
        return f"本文件{sheet}"
    return other.shown


# -- a 自评表 and the 评分表 of its project ------------------------------------------


def pairs(entries: Sequence[Entry]) -> list[tuple[int, int]]:
    """(自评表, 评分表) of the same project (year, unit and 项目名称), in batch order."""
    return _joined(entries, EVAL_NAME)


def _joined(entries: Sequence[Entry], kind: str) -> list[tuple[int, int]]:
    """(自评表, form of *kind*) of the same project (:meth:`Entry.project`;
    two different 项目编码 are two projects), in batch order."""
    by_key: dict[tuple[str, ...], list[int]] = {}
    for j, e in enumerate(entries):
        if e.kind == kind:
            for key in e.project():
                by_key.setdefault(key, []).append(j)
    out = []
    for i, e in enumerate(entries):
        if e.kind == SELF_NAME:
            hits = [j for key in e.project() for j in by_key.get(key, ())]
            out += [(i, j) for j in dict.fromkeys(hits) if not _conflict(e, entries[j])]
    return out


def _disagreements(me: Entry, other: Entry) -> list:
    """What *me* says about the project that *other* (the other kind) does not."""
    out = []
    for what, label in (("budget", "全年预算数"), ("executed", "全年执行数")):
        mine, theirs = getattr(me, what), getattr(other, what)
        if mine is None or theirs is None or _same_amount(mine, theirs, me.wan or other.wan):
            continue
        out.append(
            _finding(
                "EVALUATION_AMOUNT_DIFFERS",
                me.cell(what),
                f"{label} {_amount(mine, me.wan)}，而同一项目的{other.kind}（{other.shown}）为 "
                f"{_amount(theirs, other.wan)}：两表应按同一年度的资金数填写",
            )
        )
    for mine, theirs in _matched_targets(me, other):
        if _same_target(mine.text, theirs.text):
            continue
        what = "年度指标值" if me.kind == SELF_NAME else "标杆值"
        their_what = "标杆值" if me.kind == SELF_NAME else "年度指标值"
        out.append(
            _finding(
                "EVALUATION_TARGET_DIFFERS",
                mine.at,
                f"“{mine.label}”的{what}“{mine.text}”，而同一项目的{other.kind}（{other.shown}）"
                f"“{theirs.label}”的{their_what}为“{theirs.text}”：同一指标应按同一个值考核",
            )
        )
    return out


def _matched_targets(me: Entry, other: Entry) -> list[tuple[Target, Target]]:
    """The indicators of the two forms that are one: the same 三级指标, and
    the one 满意度 indicator of each (names differ: 服务对象满意度 / 辖区群众满意度)."""
    # the two forms' 二级指标 are of two frameworks (自评 / 评价): names only
    out = [(me.targets[i], t) for i, t in matched(me.targets, other.targets, False).items()]
    mine_s = [t for t in me.targets if t.satisfaction]
    theirs_s = [t for t in other.targets if t.satisfaction]
    if len(mine_s) == 1 and len(theirs_s) == 1 and (mine_s[0], theirs_s[0]) not in out:
        if mine_s[0].name != theirs_s[0].name:
            out.append((mine_s[0], theirs_s[0]))
    return out


def _same_target(a: str, b: str) -> bool:
    """Whether two target texts name the same value: both numbers in the
    same unit that differ are not (≥ 85 % against ≥ 90 %); anything the
    parser cannot put side by side (words, other units) is left alone."""
    from ..targets import Kind, read

    ra, rb = read(a), read(b)
    if ra.kind is not Kind.QUANTITATIVE or rb.kind is not Kind.QUANTITATIVE:
        return True
    if len(ra.measures) != 1 or len(rb.measures) != 1:
        return True
    ma, mb = ra.measures[0], rb.measures[0]
    if ma.upper is not None or mb.upper is not None:  # a range: only in one unit
        return ma.unit != mb.unit or (ma.value, ma.upper) == (mb.value, mb.upper)
    (va, ua), (vb, ub) = ma.base(), mb.base()
    return ua != ub or va == vb


def _same_amount(a: Decimal, b: Decimal, wan: bool) -> bool:
    """Equal in 元, or, where either form writes 万元, at the 万元 form's two decimals."""
    if wan:
        return round2(a / WAN) == round2(b / WAN)
    return round2(a) == round2(b)


def _amount(value: Decimal, wan: bool) -> str:
    return f"{fmt(round2(value / WAN))} 万元" if wan else f"{fmt(round2(value))} 元"


# -- a 自评表 and the 申报表 of its project -------------------------------------------


def declared(entries: Sequence[Entry]) -> list[tuple[int, int]]:
    """(自评表, 绩效目标申报表) of the same project (a 项目编码 both give, or the
    year, unit and 项目名称), in batch order."""
    return _joined(entries, DECLARED_NAME)


def _changes(me: Entry, declaration: Entry) -> list:
    """How the 自评表 *me* departs from the targets its project declared."""
    out = []
    mine = matched(declaration.targets, me.targets, True)  # declared -> the 自评表's
    missing = []
    for i, d in enumerate(declaration.targets):
        t = mine.get(i)
        if t is None:
            if d.name:
                missing.append(d)
            continue
        if _declared_same(t.text, d.text):
            continue
        out.append(
            _finding(
                "TARGET_CHANGED",
                t.at,
                f"“{t.label}”的年度指标值“{t.text}”，而绩效目标申报表（{declaration.shown}）"
                f"中为“{d.text}”：自评应按申报（批复）的指标值考核，调整须有批准依据",
            )
        )
    if missing:
        named = "、".join(f"“{d.label}”（{d.text}）" for d in missing[:SHOWN])
        more = f"等 {len(missing)} 个" if len(missing) > SHOWN else ""
        out.append(
            _finding(
                "INDICATOR_DROPPED",
                me.cell("header"),
                f"绩效目标申报表（{declaration.shown}）中的指标 {named}{more}在自评表中"
                "没有同名的三级指标：是否被删除或改名？申报的指标都应自评",
            )
        )
    return out


def _declared_same(a: str, b: str) -> bool:
    """A 年度指标值 as declared: the same text (spaces and widths aside), or
    the same single number in the same unit (≥10场 / 不少于10场)."""
    from ..targets import Kind, read

    if _norm(a) == _norm(b):
        return True
    ra, rb = read(a), read(b)
    if ra.kind is not Kind.QUANTITATIVE or rb.kind is not Kind.QUANTITATIVE:
        return False
    if len(ra.measures) != len(rb.measures):
        return False
    for ma, mb in zip(ra.measures, rb.measures, strict=True):
        if ma.base() != mb.base() or ma.upper != mb.upper:
            return False
        if (ma.op or "=") != (mb.op or "=") and ma.op is not None and mb.op is not None:
            return False
    return True


# -- helpers ------------------------------------------------------------------------


def _finding(code: str, loc: Loc, message: str):
    from .core import CODES, Finding

    doc = CODES[code]
    return Finding(doc.code, doc.severity, loc.sheet, loc.cell, message)


_SPACE = re.compile(r"\s+")


def _norm(text: str) -> str:
    return _SPACE.sub("", unicodedata.normalize("NFKC", text or "")).casefold()


def _year(text: str) -> str:
    years = years_in((text or "") + "年")
    return str(years[0]) if years else _norm(text)
