"""Finding forms in a sheet by their labels.

A 项目支出绩效自评表 or 绩效评价指标体系评分表 is recognised wherever it stands
in a sheet, in any of the layout families of DOMAIN.md §1.1 and §3, by the
words of its labels (``perfkit/profiles/labels/*.toml``):

1. every short text cell is normalised and looked up in the vocabulary
   (:mod:`perfkit.readers.vocab`);
2. a row holding at least three indicator column labels, one of them 分值 /
   权重 / 得分, is an indicator header: each one starts a form (several per
   sheet when forms are stacked);
3. above it, up to the previous form: the title, the head fields (value in the
   next cell, or after the colon in the same cell), the 资金 block (a header
   row of amount labels with its rows 年度资金总额 / 其中：当年财政拨款 / …, or
   label–value pairs), 年度总体目标;
4. below it, the indicator rows until 总分 / 合计: merged cells and blank
   continuation cells give each row its 一级 / 二级 label; weights written in
   labels ("产出指标 (50分)", "3分") are read; operator and unit columns
   (四川, the platform export) are joined back into one target.

The result is a :class:`~perfkit.layout.Layout` (where everything was found)
and the form itself, each value located at the cell the user sees.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import Any

from ..layout import AMOUNT_UNITS, RECOGNISED, Group, Layout, a1
from ..model import (
    AMOUNT_FIELDS,
    AMOUNT_LABELS,
    EVAL_TABLE,
    FUND_LABELS,
    INDICATOR_FIELDS,
    SELF_EVAL,
    EvalIndicator,
    EvalTable,
    Formula,
    FundRow,
    Indicator,
    Loc,
    SelfEvalForm,
    Subtotal,
)
from ..numbers import WAN, arabic_years
from .cells import SheetData
from .vocab import MAX_LABEL, Label, Vocab, normalise, year_in

SCORE_KEYS = frozenset(("score", "weight"))
DECLARATION_TITLE = "declaration"  # the [title] key of a 绩效目标申报表 in the label vocabulary
LEVEL_KEYS = ("level1", "level2")
ROW_KEYS = frozenset(("level3", "target", "actual", "benchmark", "rule"))
EVAL_KEYS = frozenset(("benchmark", "rule"))
BLANK_STREAK = 8  # this many blank rows close a grid that has no 总分 row
_POINTS = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*分\s*$")
_YEAR_LINE = re.compile(r"^[(（]?\s*((?:19|20)\d{2})\s*年度?\s*[)）]?$")
_FORMULA_LABEL = re.compile(r'^="([^"]*)"')
_OPS = {
    ">=": "≥",
    "≥": "≥",
    "≧": "≥",
    "大于等于": "≥",
    "不低于": "≥",
    "<=": "≤",
    "≤": "≤",
    "≦": "≤",
    "小于等于": "≤",
    "不高于": "≤",
    "=": "=",
    "＝": "=",
    "等于": "=",
    ">": ">",
    "大于": ">",
    "<": "<",
    "小于": "<",
    "不少于": "≥",
    "不小于": "≥",
    "不超过": "≤",
    "不大于": "≤",
    "不多于": "≤",
    # the platform's direction written instead of the sign (computesign 正向 / 反向 / 等于)
    "正向": "≥",
    "正向指标": "≥",
    "反向": "≤",
    "反向指标": "≤",
    "等于指标": "=",
}
_NOT_AN_OP = ("定性", "定量", "定性指标", "定量指标", "")


@dataclass(slots=True)
class Hit:
    """A label cell: where it is (zero-based; its merged extent) and what it says."""

    r: int
    c: int
    r2: int
    c2: int
    text: str
    label: Label
    roles: tuple[tuple[str, str], ...]

    def key(self, role: str) -> str | None:
        for r, k in self.roles:
            if r == role:
                return k
        return None


@dataclass
class Found:
    """A recognised form: its layout, the form, and what was missing."""

    layout: Layout
    form: SelfEvalForm | EvalTable
    declaration: bool = False  # a 绩效目标申报表 read as a 自评表 grid (model.Declaration.of)


DATA_KEYS = ("target", "actual", "benchmark", "rule", "weight", "score")  # not labels of rows
SUBTOTAL_BLANK = ("target", "actual", "benchmark", "rule")  # a 小计 row has none of these
PERCENT_FIELDS = ("target", "actual", "benchmark")  # a number here may be a percentage shown
NEIGHBOUR_SPAN = 12  # columns a label's value may lie right of it (across an unknown merge)


@dataclass
class SheetScan:
    """The labels of one sheet, with helpers over its cells."""

    sheet: SheetData
    vocab: Vocab
    hits: dict[tuple[int, int], Hit] = field(default_factory=dict)
    by_row: dict[int, list[Hit]] = field(default_factory=dict)
    merge_at: dict[tuple[int, int], tuple[int, int, int, int]] = field(default_factory=dict)
    vertical: dict[int, list[tuple[int, int, int]]] = field(
        default_factory=dict
    )  # col -> (r1, r2, c1)

    # -- cells -----------------------------------------------------------------
    def raw(self, r: int, c: int) -> Any:
        """The model's raw value of a cell (a :class:`Formula` for a formula
        cell), None when blank; the grid's hottest path, so read directly."""
        values = self.sheet.values
        line = values[r] if r < len(values) else ()
        value = line[c] if c < len(line) else None
        text = self.sheet.formulas.get((r, c))
        if text is not None:
            return Formula(text, value)
        return None if value == "" else value

    def shown(self, r: int, c: int) -> Any:
        """What the cell shows; for a formula never computed whose text starts
        with a string literal (="产出指标（"&…), that literal."""
        values = self.sheet.values
        line = values[r] if r < len(values) else ()
        value = line[c] if c < len(line) else None
        if value is None or value == "":
            text = self.sheet.formulas.get((r, c))
            m = _FORMULA_LABEL.match(text) if text is not None else None
            return m.group(1) if m else None
        return value

    def extent(self, r: int, c: int) -> tuple[int, int]:
        """Last row and column of the merged range starting at (r, c)."""
        m = self.merge_at.get((r, c))
        return (m[2], m[3]) if m else (r, c)

    def top_left(self, r: int, c: int) -> tuple[int, int]:
        """The top-left cell of the vertical merge covering (r, c), or (r, c)."""
        spans = self.vertical.get(c)
        if spans:
            i = bisect_right(spans, (r, 1 << 30, 0)) - 1
            while i >= 0:
                r1, r2, c1 = spans[i]
                if r1 <= r <= r2:
                    return r1, c1
                if r2 < r - 200:
                    break
                i -= 1
        return r, c

    def right_of(self, hit: Hit) -> tuple[int, int]:
        return hit.r, hit.c2 + 1

    def is_label(self, r: int, c: int) -> bool:
        return (r, c) in self.hits

    def row_hits(self, r: int) -> list[Hit]:
        return self.by_row.get(r, [])


def scan(sheet: SheetData, vocab: Vocab) -> SheetScan:
    s = SheetScan(sheet, vocab)
    for r1, c1, r2, c2 in sheet.merged:
        s.merge_at[(r1, c1)] = (r1, c1, r2, c2)
        if r2 > r1:
            for c in range(c1, min(c2, c1 + 64) + 1):
                s.vertical.setdefault(c, []).append((r1, r2, c1))
    for spans in s.vertical.values():
        spans.sort()
    labels_of = vocab.labels
    formulas = sheet.formulas

    def found(r: int, c: int, text: str, label: Label, roles) -> None:
        r2, c2 = s.extent(r, c)
        hit = s.hits[(r, c)] = Hit(r, c, r2, c2, text, label, roles)
        s.by_row.setdefault(r, []).append(hit)

    # a label is text: numbers, dates and long texts are passed by
    for r, line in enumerate(sheet.values):
        for c, value in enumerate(line):
            if type(value) is not str or not value or len(value) > MAX_LABEL * 2:
                continue
            if (r, c) in formulas:
                continue  # looked at below, with every formula cell
            label = normalise(value)
            core = label.core
            if core and len(core) <= MAX_LABEL:
                roles = labels_of(core) or _title_after_colon(label, vocab)
                if roles:
                    found(r, c, value, label, roles)
    # a formula cell by what it shows: its result, or the string literal of a
    # template never computed (="产出指标（"&…); a title so written is found
    # however long it is
    for r, c in formulas:
        shown = s.shown(r, c)
        if type(shown) is str and shown:
            label = normalise(shown)
            roles = labels_of(label.core) or _title_after_colon(label, vocab)
            if roles:
                found(r, c, shown, label, roles)
    s.by_row = dict(sorted(s.by_row.items()))  # rows top to bottom
    for hits in s.by_row.values():
        hits.sort(key=lambda h: h.c)
    return s


_ATTACHMENT = re.compile(r"(?:附件|附表|表)[0-9一二三四五六七八九十]*(?:[-—.][0-9]+)*")


def _title_after_colon(label: Label, vocab: Vocab) -> tuple[tuple[str, str], ...]:
    """附件2：2022年度…评分表: a title after an attachment's number (the roles
    of a title), else ()."""
    if not label.value or not _ATTACHMENT.fullmatch(label.core):
        return ()
    kind = vocab.title_kind(normalise(label.value).core)
    return (("title", kind),) if kind else ()


# --------------------------------------------------------------------------
# headers
# --------------------------------------------------------------------------


@dataclass
class Header:
    row: int  # the (last) header row
    first: int  # the first header row (two-row headers)
    columns: dict[str, int]  # indicator key -> column (zero-based)
    kind: str
    # (first, last) rows of the header typed again inside the grid (the top of
    # a printed page 2): not indicator rows, and not a new form
    repeats: list[tuple[int, int]] = field(default_factory=list)
    # a 绩效目标申报表 (its title says so; 指标值 and no 分值 / 得分 / 实际完成值):
    # read as a 自评表 grid, handed over as a model.Declaration
    declaration: bool = False

    def label_edge(self) -> int:
        """The last column where a label may end the grid: left of the data."""
        data = [self.columns[k] for k in DATA_KEYS if k in self.columns]
        return min(data) - 1 if data else max(self.columns.values())


def headers(s: SheetScan) -> list[Header]:
    out: list[Header] = []
    rows = sorted(s.by_row)
    skip_to = -1
    for r in rows:
        if r <= skip_to:
            continue
        cols = _columns(s.row_hits(r))
        keys = set(cols)
        if len(keys) < 3 or not keys & ROW_KEYS:
            continue
        declared = not keys & SCORE_KEYS
        if declared and not _declaration_header(s, r, keys, out[-1].row if out else -1):
            if not (out and out[-1].declaration and _same_columns(out[-1], cols)):
                continue
            out[-1].repeats.append((r, r))  # the 申报表's 年度 grid under its 长期 grid
            skip_to = r
            continue
        first = r
        below = _columns(s.row_hits(r + 1))
        if len(below) >= 2 and not _has_numbers(s, r + 1):
            for key, col in below.items():
                cols = {k: v for k, v in cols.items() if v != col}
                cols[key] = col
            r += 1
        skip_to = r
        if out and _repeated(s, out[-1], first, cols):
            out[-1].repeats.append((first, r))
            continue
        kind = EVAL_TABLE if set(cols) & EVAL_KEYS and not declared else SELF_EVAL
        columns = dict(sorted(cols.items(), key=lambda kv: kv[1]))
        out.append(Header(r, first, columns, kind, declaration=declared))
    return out


def _same_columns(head: Header, cols: dict[str, int]) -> bool:
    return all(head.columns.get(k) == c for k, c in cols.items())


def _declaration_header(s: SheetScan, r: int, keys: set[str], after: int) -> bool:
    """Whether row *r*, with no 分值 / 得分 column, heads the grid of a
    绩效目标申报表: a 指标值 and a 三级 / 二级指标 column, no 实际完成值, and
    a title above (below the previous form's header) that names the 申报表."""
    if "target" not in keys or "actual" in keys or keys & EVAL_KEYS:
        return False
    if not keys & {"level3", "level2"}:
        return False
    return any(
        h.key("title") == DECLARATION_TITLE
        for row in range(max(after + 1, r - 40), r)
        for h in s.row_hits(row)
    )


_NEW_FORM_ROLES = ("title", "head", "fund_col", "goal")


def _repeated(s: SheetScan, head: Header, first: int, cols: dict[str, int]) -> bool:
    """Whether a header at row *first* is *head* typed again inside its grid
    (units repeat the header at the top of each printed page): the same
    columns, and between the two neither the end of the grid (总分 / 合计) nor
    any label of a new form's upper part (a title, 项目名称, the 资金 block)."""
    if any(head.columns.get(k) != c for k, c in cols.items()):
        return False
    edge = head.label_edge()
    for r in range(head.row + 1, first):
        for h in s.row_hits(r):
            if any(role in _NEW_FORM_ROLES for role, _ in h.roles):
                return False
            if h.key("end") and h.c <= edge:
                return False
    return True


def _columns(hits: list[Hit]) -> dict[str, int]:
    cols: dict[str, int] = {}
    for h in hits:
        key = h.key("col")
        if key and key not in cols:
            cols[key] = h.c
    return cols


def _has_numbers(s: SheetScan, r: int) -> bool:
    line = s.sheet.values[r] if r < len(s.sheet.values) else ()
    return any(isinstance(v, (int, float)) and not isinstance(v, bool) for v in line)


# --------------------------------------------------------------------------
# a workbook's forms
# --------------------------------------------------------------------------


def recognise(
    sheet: SheetData,
    vocab: Vocab,
    source: str = "",
    scanned: SheetScan | None = None,
    named: dict[str, tuple[int, int]] | None = None,
) -> tuple[list[Found], str]:
    """The forms of *sheet*, top to bottom, and (when there is none) a
    sentence saying what was found there (*scanned*: its labels, if scanned;
    *named*: field -> cell of a perfkit template's defined names on it)."""
    s = scanned if scanned is not None else scan(sheet, vocab)
    found: list[Found] = []
    heads = headers(s)
    top = 0
    for i, head in enumerate(heads):
        limit = heads[i + 1].first if i + 1 < len(heads) else len(sheet.values)
        reader = _FormReader(s, head, top, limit, source, named)
        result = reader.read()
        found.append(result)
        top = reader.bottom + 1
    return found, "" if found else _what_was_found(s)


def _what_was_found(s: SheetScan) -> str:
    """“找到了…，没有找到年度绩效指标表头” for a sheet with no form."""
    seen = []
    roles = {role for hits in s.by_row.values() for h in hits for role, _ in h.roles}
    keys = {h.key("fund_col") for hits in s.by_row.values() for h in hits} - {None}
    if "title" in roles:
        seen.append("表格标题")
    if any(h.key("head") for hits in s.by_row.values() for h in hits):
        seen.append("项目名称等表头信息")
    if keys & set(AMOUNT_FIELDS):
        seen.append("资金使用情况")
    cols = {h.key("col") for hits in s.by_row.values() for h in hits} - {None}
    if cols:
        seen.append(
            "指标列标题（" + "、".join(sorted(COLUMN_LABELS.get(k, k) for k in cols)) + "）"
        )
    want = "年度绩效指标表头（同一行中的 三级指标/指标名称、年度指标值/标杆值、分值/权重、得分 等列标题）"
    if not seen:
        return f"没有找到任何表格标签，也没有找到{want}"
    return f"找到了{'、'.join(seen)}，没有找到{want}"


# each indicator column key as the forms label it (messages)
COLUMN_LABELS = {
    "level1": "一级指标",
    "level2": "二级指标",
    "level3": "三级指标",
    "target": "年度指标值",
    "actual": "实际完成值",
    "weight": "分值",
    "score": "得分",
    "op": "指标性质",
    "unit": "计量单位",
    "deviation_reason": "偏差原因",
    "benchmark": "标杆值",
    "rule": "评分标准",
    "description": "指标说明",
    "deduction_reason": "扣分原因",
    "method": "得分计算方法",
    "coefficient": "得分系数",
    "ignored": "其他",
}


# --------------------------------------------------------------------------
# one form
# --------------------------------------------------------------------------


@lru_cache(maxsize=8192)
def _location(sheet: str, cell: str) -> Loc:
    """A cell's Loc, made once per process: forms of one template put their
    values at the same cells, and a Loc is immutable."""
    return Loc(sheet, cell)


class _FormReader:
    def __init__(
        self,
        s: SheetScan,
        head: Header,
        top: int,
        limit: int,
        source: str,
        named: dict[str, tuple[int, int]] | None = None,
    ):
        self.s = s
        self.named = named or {}  # field -> its cell by a perfkit template's defined name
        self.head = head
        # the columns read as each row's values (the level columns: _level)
        self.value_cols = {k: c for k, c in head.columns.items() if k not in LEVEL_KEYS}
        self.top = top  # first row the form may use (zero-based)
        self.limit = limit  # first row of the next form's header
        self.source = source
        self.sheet = s.sheet.name
        self.bottom = head.row
        self.fields: dict[str, tuple[int, int]] = {}
        self.values: dict[str, Any] = {}
        self.subtotals: list[tuple[int, int, str, int]] = []  # (row, col, label, rows before)
        self.notes: list[str] = []
        self.missing: list[tuple[str, str]] = []
        self.unit: str | None = None
        self.weights: dict[str, tuple[Any, tuple[int, int]]] = {}
        self.level2_weights: dict[tuple[str, str], tuple[Any, tuple[int, int]]] = {}
        self.part_weight: tuple[Any, tuple[int, int]] | None = None

    def loc(self, r: int, c: int) -> Loc:
        return _location(self.sheet, a1(r + 1, c + 1))

    def read(self) -> Found:
        self._title_row()
        above = range(self.top, self.head.first)
        self._head_fields(above)
        fund = self._funds(above)
        self._goal(above, fund)
        self._part_weight(above)
        rows, groups, total_row = self._grid()
        self._grade(total_row)
        layout = self._layout(rows, groups, total_row, fund)
        form = self._form(rows, layout, fund)
        return Found(layout, form, self.head.declaration)

    # -- the parts above the grid --------------------------------------------
    def _title_row(self) -> int:
        for r in range(self.head.first - 1, self.top - 1, -1):
            for h in self.s.row_hits(r):
                if h.key("title"):
                    self.fields["title"] = (r, h.c)
                    self.values["title"] = h.text
                    return r
        return self.top

    def _neighbour(self, h: Hit) -> tuple[tuple[int, int] | None, Any]:
        """The value of a label: after its colon, else the next cell to the right."""
        if h.label.value:
            return (h.r, h.c), h.label.value
        r, c = self.s.right_of(h)
        if (h.r, h.c) not in self.s.merge_at and self.s.raw(r, c) is None:
            c = self._beyond_blanks(r, c)  # a merge the grids did not say (a live book)
        key = h.key("head") or h.key("grade")
        if key and self.named.get(key) == (r, c):
            return (r, c), self.s.raw(r, c)  # the template names it: a value, whatever it says
        if self.s.is_label(r, c):
            other = self.s.hits[(r, c)]
            if any(
                role in ("head", "fund_col", "col", "goal", "grade", "title")
                for role, _ in other.roles
            ):
                if key and other.key("head"):  # a row of head labels: the values stand below
                    return self._below(h) or ((r, c), None)
                return (r, c), None
        value = self.s.raw(r, c)
        if value is None and key and self._head_row(h):  # the last label of such a row
            return self._below(h) or ((r, c), None)
        return (r, c), value

    def _below(self, h: Hit) -> tuple[tuple[int, int], Any] | None:
        """The value under a label, when it is one and not another label."""
        below = (h.r2 + 1, h.c)
        value = self.s.raw(*below)
        if value is None or self.s.is_label(*below):
            return None
        return below, value

    def _head_row(self, h: Hit) -> bool:
        """Whether *h* stands in a row of two or more head labels and nothing else."""
        heads = [x for x in self.s.row_hits(h.r) if x.key("head") and x.label.value is None]
        line = self.s.sheet.values[h.r] if h.r < self.s.sheet.nrows else ()
        filled = sum(1 for v in line if v not in (None, ""))
        return len(heads) >= 2 and filled == len(heads)

    def _beyond_blanks(self, r: int, c: int) -> int:
        """The first cell right of (r, c) holding a value or a formula, when
        (r, c) is blank and only blanks lie between (a merged label whose
        merge is unknown: the grids of a live xlwings book carry none);
        (r, c) itself when the row has nothing more or a label comes first."""
        line = self.s.sheet.values[r] if r < self.s.sheet.nrows else ()
        formulas = self.s.sheet.formulas
        for col in range(c, min(len(line), c + NEIGHBOUR_SPAN)):
            if line[col] not in (None, "") or (r, col) in formulas:
                return c if self.s.is_label(r, col) and col != c else col
        return c

    def _head_fields(self, rows: range) -> None:
        for r in rows:
            for h in self.s.row_hits(r):
                key = h.key("head")
                if key is None or key in self.fields:
                    continue
                where, value = self._neighbour(h)
                if where is not None:
                    self.fields[key] = where
                    self.values[key] = value
                if h.label.unit and key:
                    self.unit = self.unit or h.label.unit
                if h.label.core == "单位" and h.label.value in ("元", "万元"):
                    self.unit = self.unit or h.label.value
            for h in self.s.row_hits(r):
                if h.label.core == "单位" and h.label.value in ("元", "万元"):
                    self.unit = self.unit or h.label.value
        if "project_name" not in self.fields and "title" in self.fields:
            name = _project_in_title(self.values["title"], self.s.vocab)
            if name:  # 中小企业培训服务项目绩效评价指标体系评分表: the name in the title
                self.fields["project_name"] = self.fields["title"]
                self.values["project_name"] = name
        year = self.values.get("year")
        if isinstance(year, str) and year_in(year) is not None:
            # 年度：2023年 is the year 2023, as a title gives it
            self.values["year"] = year_in(year)
        if "year" not in self.values or self.values.get("year") in (None, ""):
            for r, c, text in self._year_cells(rows):
                self.values["year"] = year_in(text)
                self.fields["year"] = (r, c)
                break

    def _year_cells(self, rows: range):
        """Cells that give the year: the title (项目支出绩效自评表（2022年度）),
        or a line of its own under it (（2016年度）)."""
        if "title" in self.fields and year_in(self.values["title"]) is not None:
            r, c = self.fields["title"]
            yield r, c, self.values["title"]
        for r in rows:
            for c, value in enumerate(self.s.sheet.values[r] if r < self.s.sheet.nrows else ()):
                if not isinstance(value, str) or len(value) > 80 or year_in(value) is None:
                    continue
                text = arabic_years(value.strip())
                if _YEAR_LINE.match(text) or "表" in text:  # （2016年度）, 表 1-1 2021 年度…表
                    yield r, c, value

    def _funds(self, rows: range) -> dict[str, Any] | None:
        """The 资金 block: header row, fund rows, amount columns."""
        header = None
        for r in rows:
            cols: dict[str, int] = {}
            for h in self.s.row_hits(r):
                key = h.key("fund_col")
                if key and key not in cols:
                    cols[key] = h.c
            amounts = set(cols) & set(AMOUNT_FIELDS)
            said = [h for h in self.s.row_hits(r) if h.key("fund_col") and h.label.value]
            if len(said) >= 2:  # 年初预算数：175 | 全年预算数：175 | …: values in the labels
                break
            if len(amounts) >= 2 or (amounts and len(cols) >= 3):
                header = (r, cols)
                break
        if header is None:
            return self._funds_down(rows)
        r, cols = header
        for rr in range(max(self.top, r - 3), r + 1):
            for h in self.s.row_hits(rr):
                if h.key("funds") or h.label.core in ("单位",) or h.key("fund_row"):
                    self.unit = (
                        self.unit
                        or h.label.unit
                        or (h.label.value if h.label.value in ("元", "万元") else None)
                    )
                if h.key("funds") and h.label.weight is not None:
                    self.values.setdefault("exec_weight_label", (h.label.weight, (h.r, h.c)))
        for h in self.s.row_hits(r):  # "得分（20分*执行率）": the weight in the formula
            if h.key("fund_col") or h.key("funds") or h.label.unit:
                self.unit = self.unit or h.label.unit
                if h.key("fund_col") == "exec_score" and h.label.weight is not None:
                    self.values.setdefault("exec_weight_label", (h.label.weight, (h.r, h.c)))
        if self._pairs(r, cols):
            fund_rows = {"total": r}
            columns = {k: c + 1 for k, c in cols.items()}
            return {"rows": fund_rows, "columns": columns, "header": r, "pairs": True}
        first_amount = min(cols[k] for k in cols)
        fund_rows: dict[str, int] = {}
        last = r
        for rr in range(r + 1, self.head.first):
            line_hits = self.s.row_hits(rr)
            if any(h.key("goal") or h.key("col") or h.key("head") for h in line_hits):
                break
            key = None
            for h in line_hits:
                if h.c < first_amount:
                    key = h.key("fund_row")
                    if key:
                        self.unit = self.unit or h.label.unit
                        break
            if key and key not in fund_rows:
                fund_rows[key] = rr
                last = rr
            elif not fund_rows and any(
                isinstance(self.s.raw(rr, c), (int, float, str))
                and self.s.raw(rr, c) not in ("—", "-")
                for c in cols.values()
            ):
                fund_rows["total"] = rr  # amounts without row labels: the total row
                last = rr
            elif fund_rows and not any(self.s.raw(rr, c) is not None for c in cols.values()):
                break
        for rr in range(r + 1, last + 1):  # the block's left label: 项目资金（元）
            for h in self.s.row_hits(rr):
                if h.label.unit and h.c < first_amount:
                    self.unit = self.unit or h.label.unit
        return {"rows": fund_rows, "columns": cols, "header": r, "pairs": False, "last": last}

    def _funds_down(self, rows: range) -> dict[str, Any] | None:
        """A 资金 block written label by label down the sheet: 年初预算数 | 175
        on a row each, or 年初预算数：175 in one cell; at least two amounts.
        Their values are the total row's, each at its own cell."""
        cells: dict[str, tuple[int, int]] = {}
        values: dict[str, Any] = {}
        for r in rows:
            for h in self.s.row_hits(r):
                key = h.key("fund_col")
                if key is None or key in cells:
                    continue
                if h.label.value is not None:
                    where, value = (h.r, h.c), h.label.value
                else:
                    where = self.s.right_of(h)
                    if self.s.is_label(*where):
                        continue
                    value = self.s.raw(*where)
                    if value is None:
                        where = (h.r, self._beyond_blanks(*where))
                        value = self.s.raw(*where)
                if isinstance(value, (int, float, str, Formula)) and not isinstance(value, bool):
                    cells[key], values[key] = where, value
        amounts = [k for k in AMOUNT_FIELDS if k in cells]
        if len(amounts) < 2 or len({cells[k] for k in amounts}) < len(amounts):
            return None
        first = min(cells[k][0] for k in amounts)
        last = max(cells[k][0] for k in amounts)
        near = {k: v for k, v in cells.items() if first - 1 <= v[0] <= last + 3}  # 执行率, 得分
        for rr in range(max(self.top, first - 3), last + 1):
            for h in self.s.row_hits(rr):
                if h.key("funds") or h.key("fund_col") or h.key("fund_row"):
                    self.unit = self.unit or h.label.unit
        if self.unit is None:  # no 项目资金（万元）: the unit typed after every amount
            typed = {_typed_unit(values[k]) for k in amounts}
            if len(typed) == 1:
                self.unit = typed.pop()
        return {
            "rows": {"total": first},
            "columns": {},
            "cells": near,
            "values": {k: values[k] for k in near},
            "header": first,
            "pairs": False,
            "last": max(v[0] for v in near.values()),
        }

    def _pairs(self, r: int, cols: dict[str, int]) -> bool:
        """Label–value pairs on one row (年初预算数（万元） | 175 | 全年预算数 | …)."""
        for key, c in cols.items():
            if key not in AMOUNT_FIELDS:
                continue
            right = self.s.raw(r, c + 1)
            below = self.s.raw(r + 1, c)
            if self.s.is_label(r, c + 1):
                return False
            if isinstance(below, (int, float)) and not isinstance(below, bool):
                return False
            if right is not None and not isinstance(right, (int, float, str, Formula)):
                return False
        return True

    def _goal(self, rows: range, fund) -> None:
        start = fund.get("last", fund["header"]) + 1 if fund else rows.start
        for r in range(start, rows.stop):
            for h in self.s.row_hits(r):
                key = h.key("goal")
                if key not in ("expected", "actual", "reason"):
                    continue
                name = f"goal_{key}"
                if name in self.fields:
                    continue
                below = (h.r2 + 1, h.c)
                if below[0] < self.head.first and not self.s.is_label(*below):
                    self.fields[name] = below
                    self.values[name] = self.s.raw(*below)
                else:
                    where, value = self._neighbour(h)
                    if where is not None:
                        self.fields[name] = where
                        self.values[name] = value

    def _part_weight(self, rows: range) -> None:
        for r in [*rows, self.head.first, self.head.row]:
            for h in self.s.row_hits(r):
                if h.label.weight is not None and h.key("grid"):
                    self.part_weight = (h.label.weight, (h.r, h.c))
                    return

    # -- the grid ----------------------------------------------------------------
    def _grid(self):
        cols = self.head.columns
        start = self.head.row + 1
        rows: list[dict[str, Any]] = []
        ends: list[int] = []
        blank = 0
        l1 = l2 = ""
        l1_cell = l2_cell = None
        end = min(self.limit, len(self.s.sheet.values))
        r = start
        # labels that end the grid stand left of its data columns: a 实际完成值
        # that reads "合计" or "项目名称" is a value, not the end of the table
        label_edge = self.head.label_edge()
        repeats = {row for a, b in self.head.repeats for row in range(a, b + 1)}
        while r < end:
            if r in repeats:
                r += 1
                continue
            hits = [h for h in self.s.row_hits(r) if h.c <= label_edge]
            if any(h.key("end") for h in hits):
                ends.append(r)
                break
            if r > start and any(
                h.key("title") or (h.key("head") and h.label.value is None) for h in hits
            ):
                break
            cells = {k: self.s.raw(r, c) for k, c in self.value_cols.items()}
            sub = next((h for h in hits if h.key("subtotal")), None)
            if sub is not None and not any(cells.get(k) is not None for k in SUBTOTAL_BLANK):
                # a 小计 row (no target, actual or rule of its own): it adds up rows
                self.subtotals.append((r, sub.c, sub.text, len(rows)))
                r += 1
                continue
            filled = any(v is not None for v in cells.values())
            # first- and second-level labels: merged cells, blank continuation
            new_l1, l1_at = self._level(r, cols.get("level1"), self.weights)
            new_l2, l2_at = self._level(r, cols.get("level2"), self.level2_weights, l1)
            section = self._section_row(r, hits, cells, cols)
            if section is not None:
                l1, l1_cell = section
                l2, l2_cell = "", None
                r += 1
                continue
            if l1_at is not None:
                named_anew = new_l1 is not None and new_l1 != l1
                unreadable_anew = new_l1 is None and l1_at != l1_cell
                if named_anew or unreadable_anew:  # a new block (its label may be unreadable)
                    l1, l1_cell = new_l1 or "", l1_at
                    l2, l2_cell = "", None
                else:
                    l1_cell = l1_at  # the same label, written again on this row
            if l2_at is not None:
                l2, l2_cell = new_l2 or "", l2_at
            if not filled and l1_at is None and l2_at is None:
                blank += 1
                if blank >= BLANK_STREAK:
                    break
            else:
                blank = 0
            rows.append(
                {"row": r, "level1": l1, "level2": l2, "cells": cells, "l1": l1_cell, "l2": l2_cell}
            )
            r += 1
        if ends:  # a second 合计 row below: the first was the grid's subtotal
            for rr in range(ends[0] + 1, min(ends[0] + 4, end)):
                if any(h.key("end") and h.c <= label_edge for h in self.s.row_hits(rr)):
                    ends.append(rr)
                    break
        while rows and not any(v is not None for v in rows[-1]["cells"].values()) and not ends:
            rows.pop()  # trailing blank rows are not part of the grid
        _infer_level1(rows)
        total_row = ends[-1] if ends else None
        self.bottom = (
            total_row if total_row is not None else (rows[-1]["row"] if rows else self.head.row)
        )
        if len(ends) > 1:
            for key, name in (("weight", "subtotal_weight"), ("score", "subtotal")):
                if key in cols:
                    self.fields[name] = (ends[0], cols[key])
                    self.values[name] = _points(self.s.raw(ends[0], cols[key]))
        if total_row is not None:
            for key, name in (("weight", "total_weight"), ("score", "total")):
                if key in cols:
                    value = _points(self.s.raw(total_row, cols[key]))
                    if value is None and len(ends) > 1:
                        continue
                    self.fields[name] = (total_row, cols[key])
                    self.values[name] = value
            said = self._said_total(total_row, label_edge)
            if said is not None and self.values.get("total") is None:
                self.fields["total"], self.values["total"] = said  # 总分：95 in the label
        return rows, _groups_of(rows), total_row

    def _said_total(self, r: int, edge: int) -> tuple[tuple[int, int], Any] | None:
        """The total written after the colon of the 总分 label (总分：95), if any."""
        for h in self.s.row_hits(r):
            if h.key("end") and h.c <= edge and h.label.value:
                return (h.r, h.c), _points(h.label.value)
        return None

    def _level(
        self, r: int, col: int | None, weights: dict, parent: str | None = None
    ) -> tuple[str | None, tuple[int, int] | None]:
        """The 一级/二级 label a row's cell gives, and where it is: the top-left
        of a merge (also when its text cannot be read: an .xls made without
        recalculation holds 0 for a label formula), or the cell itself when it
        holds text; (None, None) for a blank cell outside any merge.  A weight
        in the label ("产出指标 (50分)") is noted."""
        if col is None:
            return None, None
        tr, tc = self.s.top_left(r, col)
        merged = (tr, tc) != (r, col) or (r, col) in self.s.merge_at
        value = self.s.shown(tr, tc)
        if not isinstance(value, str) or not value.strip():
            return None, ((tr, tc) if merged else None)
        text = str(value)
        label = normalise(text)
        name = label.core or text.strip()
        if label.weight is not None:
            key = name if parent is None else (parent, name)
            weights.setdefault(key, (label.weight, (tr, tc)))
        return name, (tr, tc)

    def _section_row(self, r, hits, cells, cols):
        """A row that only names a first-level block (layouts without a 一级指标 column)."""
        if "level1" in cols:
            return None
        words = [h for h in hits if h.key("level1") or h.key("grid")]
        if not words:
            return None
        others = [v for k, v in cells.items() if v is not None]
        if len(others) > 1:
            return None
        h = words[0]
        if h.key("grid"):
            if h.label.weight is not None:
                self.part_weight = self.part_weight or (h.label.weight, (h.r, h.c))
            return None if others else ("", None)
        if h.label.weight is not None:
            self.weights.setdefault(h.label.core, (h.label.weight, (h.r, h.c)))
        return h.label.core, (h.r, h.c)

    def _grade(self, total_row: int | None) -> None:
        start = (total_row if total_row is not None else self.bottom) + 1
        for r in range(start, min(start + 4, len(self.s.sheet.values))):
            for h in self.s.row_hits(r):
                if h.key("grade"):
                    where, value = self._neighbour(h)
                    if where is not None:
                        self.fields["grade"] = where
                        self.values["grade"] = value
                        self.bottom = max(self.bottom, r)
                    return
        if total_row is not None:  # 绩效等级 on the 总分 row itself
            for h in self.s.row_hits(total_row):
                if h.key("grade"):
                    where, value = self._neighbour(h)
                    if where is not None:
                        self.fields["grade"] = where
                        self.values["grade"] = value

    # -- layout and form ----------------------------------------------------------
    def _layout(self, rows, groups, total_row, fund) -> Layout:
        fields = {k: (r + 1, c + 1) for k, (r, c) in self.fields.items()}
        fund_rows = {}
        fund_columns = {}
        fund_cells = {}
        if fund and fund.get("cells"):  # label–value pairs down the sheet
            keys = ("exec_weight", "exec_rate", "exec_score")
            if self.head.kind == EVAL_TABLE:  # the 评分表's amounts are head fields
                keys = (*AMOUNT_FIELDS, "exec_rate")
            for key, (r, c) in fund["cells"].items():
                if key in keys:
                    fields[key] = (r + 1, c + 1)
                elif key in AMOUNT_FIELDS:
                    fund_cells[key] = (r + 1, c + 1)
        elif fund:
            fund_rows = {k: r + 1 for k, r in fund["rows"].items()}
            fund_columns = {k: c + 1 for k, c in fund["columns"].items() if k in AMOUNT_FIELDS}
            total = fund["rows"].get("total")
            if total is not None:
                keys = ("exec_weight", "exec_rate", "exec_score")
                if self.head.kind == EVAL_TABLE:  # the 评分表's amounts are head fields
                    keys = (*AMOUNT_FIELDS, "exec_rate")
                for key in keys:
                    col = fund["columns"].get(key)
                    if col is not None:
                        fields[key] = (total + 1, col + 1)
        return Layout(
            kind=self.head.kind,
            sheet=self.sheet,
            origin=RECOGNISED,
            fields=fields,
            fund_rows=fund_rows,
            fund_columns=fund_columns,
            fund_cells=fund_cells,
            header_row=self.head.row + 1,
            columns={k: c + 1 for k, c in self.head.columns.items()},
            rows=tuple(row["row"] + 1 for row in rows),
            groups=tuple(
                Group(g.level1, g.level2, g.first_row + 1, g.last_row + 1) for g in groups
            ),
            total_row=None if total_row is None else total_row + 1,
            amount_unit=self.unit,
            extent=(self.top + 1, 1, self.bottom + 1, max(self.head.columns.values()) + 1),
        )

    def _form(self, rows, layout: Layout, fund) -> SelfEvalForm | EvalTable:
        kind = self.head.kind
        form = SelfEvalForm() if kind == SELF_EVAL else EvalTable()
        form.source = self.source
        form.sheet = self.sheet
        form.layout = layout
        form.amount_unit = self.unit
        form.notes = self.notes
        for name in (
            "project_code",
            "project_name",
            "year",
            "date",
            "unit",
            "dept",
            "goal_expected",
            "goal_actual",
            "goal_reason",
            "grade",
        ):
            if name in self.values and hasattr(form, name):
                setattr(form, name, self.values[name])
                form.locs[name] = self.loc(*self.fields[name])
        for name in ("total_weight", "total", "subtotal_weight", "subtotal"):
            if name in self.values:
                setattr(form, name, self.values[name])
                form.locs[name] = self.loc(*self.fields[name])
        if "title" in self.fields:
            form.locs["title"] = self.loc(*self.fields["title"])
        form.locs["header"] = self.loc(self.head.first, min(self.head.columns.values()))
        form.subtotals = self._subtotals(rows)
        self._fund_values(form, fund)
        for label, (weight, (r, c)) in self.weights.items():
            form.level1_weights[label] = weight
            form.locs[f"level1:{label}"] = self.loc(r, c)
        for (l1, l2), (weight, (r, c)) in self.level2_weights.items():
            form.level2_weights[(l1, l2)] = weight
            form.locs[f"level2:{l1}/{l2}"] = self.loc(r, c)
        if self.part_weight is not None:
            form.part_weight = self.part_weight[0]
            form.locs["part_weight"] = self.loc(*self.part_weight[1])
        cols = self.head.columns
        joined = "op" in cols or "unit" in cols
        for row in rows:
            form.indicators.append(self._indicator(kind, row, cols, joined))
        self._hidden(form, rows)
        if joined:
            self.notes.append(
                "年度指标值由"
                + "、".join(COLUMN_LABELS[k] for k in ("op", "target", "unit") if k in cols)
                + "列合成"
            )
        self._missing(form, fund)
        return form

    def _hidden(self, form, rows) -> None:
        """Indicator rows hidden in the spreadsheet program but holding values:
        read and checked as what the file holds (Excel's sums count them too),
        and named, since the form on screen does not show them."""
        hidden = self.s.sheet.hidden_rows
        if not hidden:
            return
        shown = [
            row["row"]
            for row in rows
            if row["row"] in hidden and any(v is not None for v in row["cells"].values())
        ]
        if not shown:
            return
        numbers = "、".join(str(r + 1) for r in shown[:5]) + ("等" if len(shown) > 5 else "")
        col = self.head.columns.get("level3", min(self.head.columns.values()))
        form.issues.append(
            (
                "ROWS_HIDDEN",
                a1(shown[0] + 1, col + 1),
                f"第 {numbers} 行已隐藏，但填有指标内容：仍按表中内容读取、计入合计和校验"
                "（Excel 的求和同样计入隐藏行）；如不属于本表，请取消隐藏后删除这些行",
            )
        )

    def _fund_values(self, form, fund) -> None:
        if not fund:
            return
        if fund.get("cells"):
            self._fund_cells(form, fund["cells"], fund["values"])
            return
        cols = fund["columns"]
        weight_label = self.values.get("exec_weight_label")
        if form.form == SELF_EVAL:
            for key, r in fund["rows"].items():
                row = FundRow(key)
                for amount in AMOUNT_FIELDS:
                    c = cols.get(amount)
                    if c is None:
                        continue
                    if fund["pairs"]:
                        c = c  # the columns of pairs already point at the value
                    what = f"{FUND_LABELS[key]}的{AMOUNT_LABELS[amount]}"
                    setattr(row, amount, self._money(form, self.s.raw(r, c), r, c, what))
                    row.locs[amount] = self.loc(r, c)
                form.funds[key] = row
            total = fund["rows"].get("total")
            if total is not None:
                for name in ("exec_weight", "exec_rate", "exec_score"):
                    c = cols.get(name)
                    if c is not None:
                        setattr(form, name, _points(self.s.raw(total, c)))
                        form.locs[name] = self.loc(total, c)
                if "exec_weight" not in cols and weight_label is not None:
                    form.exec_weight = weight_label[0]
                    form.locs["exec_weight"] = self.loc(*weight_label[1])
        else:
            total = fund["rows"].get("total")
            if total is None:
                return
            for name in (*AMOUNT_FIELDS, "exec_rate"):
                c = cols.get(name)
                if c is not None:
                    value = self.s.raw(total, c)
                    if name != "exec_rate":
                        value = self._money(form, value, total, c, AMOUNT_LABELS[name])
                    setattr(form, name, value)
                    form.locs[name] = self.loc(total, c)

    def _money(self, form, value: Any, r: int, c: int, what: str) -> Any:
        """An amount of the 资金 block (see :func:`_amount`); one typed in the
        other unit ("195.93万元" where the block is in 元) is converted, exactly,
        and the form says so at its cell (AMOUNT_UNIT_TYPED)."""
        converted = _in_unit(value, self.unit)
        if converted is None:
            return _amount(value, self.unit)
        form.issues.append(
            (
                "AMOUNT_UNIT_TYPED",
                a1(r + 1, c + 1),
                f"{what}填写的是“{str(value).strip()}”，与表头的金额单位（{self.unit}）不同："
                f"按写明的单位换算为 {converted} {self.unit} 读取；请按表头的单位只填数字",
            )
        )
        return converted

    def _fund_cells(self, form, cells: dict[str, tuple[int, int]], values: dict[str, Any]) -> None:
        """The values of a 资金 block written as label–value pairs (found by
        :meth:`_funds_down`), each at its cell."""
        if form.form == SELF_EVAL:
            row = FundRow("total")
            for amount in AMOUNT_FIELDS:
                if amount in cells:
                    what = f"{FUND_LABELS['total']}的{AMOUNT_LABELS[amount]}"
                    setattr(row, amount, self._money(form, values[amount], *cells[amount], what))
                    row.locs[amount] = self.loc(*cells[amount])
            form.funds["total"] = row
            names = ("exec_weight", "exec_rate", "exec_score")
        else:
            names = (*AMOUNT_FIELDS, "exec_rate")
        for name in names:
            if name in cells:
                raw = values[name]
                is_amount = name in AMOUNT_FIELDS
                if is_amount:
                    raw = self._money(form, raw, *cells[name], AMOUNT_LABELS[name])
                setattr(form, name, raw if is_amount else _points(raw))
                form.locs[name] = self.loc(*cells[name])
        weight_label = self.values.get("exec_weight_label")
        if form.form == SELF_EVAL and "exec_weight" not in cells and weight_label is not None:
            form.exec_weight = weight_label[0]
            form.locs["exec_weight"] = self.loc(*weight_label[1])

    def _indicator(self, kind: str, row: dict, cols: dict[str, int], joined: bool):
        r = row["row"]
        cells = dict(row["cells"])
        locs = {k: self.loc(r, c) for k, c in self.value_cols.items()}
        if row["l1"] is not None:
            locs["level1"] = self.loc(*row["l1"])
        elif "level1" in cols:
            locs["level1"] = self.loc(r, cols["level1"])
        if row["l2"] is not None:
            locs["level2"] = self.loc(*row["l2"])
        elif "level2" in cols:
            locs["level2"] = self.loc(r, cols["level2"])
        if self.s.sheet.percent:
            self._shown_percent(r, cells)
        adjusted = cells.pop("target_adjusted", None)
        at = locs.pop("target_adjusted", None)
        if adjusted is not None and not (isinstance(adjusted, str) and not adjusted.strip()):
            cells["target"] = adjusted  # the adjusted target is the one the year is scored on
            locs["target"] = at
        if joined:
            target_key = "target" if kind == SELF_EVAL else "benchmark"
            if target_key not in cells and "target" in cells:
                target_key = "target"
            op, unit = cells.pop("op", None), cells.pop("unit", None)
            cells[target_key] = join_target(op, cells.get(target_key), unit)
            if "actual" in cells:
                cells["actual"] = join_actual(cells["actual"], unit)
            if "op" in locs:
                locs["target_op"] = locs.pop("op")
            if "unit" in locs:
                locs["target_unit"] = locs.pop("unit")
        for key in ("weight", "score"):
            if key in cells:
                cells[key] = _points(cells[key])
        if kind == SELF_EVAL:
            fields = INDICATOR_FIELDS[SELF_EVAL][2:]  # level1/level2 given above
            ind = Indicator(row["level1"], row["level2"], row=r + 1, locs=locs)
        else:
            fields = INDICATOR_FIELDS[EVAL_TABLE][2:]
            ind = EvalIndicator(row["level1"], row["level2"], row=r + 1, locs=locs)
            if "benchmark" not in cells and "target" in cells:
                cells["benchmark"] = cells.pop("target")
                if "target" in locs:
                    locs["benchmark"] = locs.pop("target")
            if "deduction_reason" not in cells and "deviation_reason" in cells:
                cells["deduction_reason"] = cells.pop("deviation_reason")
                if "deviation_reason" in locs:
                    locs["deduction_reason"] = locs.pop("deviation_reason")
        for name in fields:
            if name in cells:
                setattr(ind, name, cells[name])
        if kind == SELF_EVAL and "coefficient" in cells:
            ind.coefficient = cells["coefficient"]
        return ind

    def _subtotals(self, rows: list[dict[str, Any]]) -> list[Subtotal]:
        """The grid's 小计 rows, each over the rows since the one before it."""
        out = []
        since = 0
        cols = self.head.columns
        for r, c, label, before in self.subtotals:
            sub = Subtotal(normalise(label).core or label.strip())
            sub.rows = tuple(row["row"] + 1 for row in rows[since:before])
            for key in ("weight", "score"):
                if key in cols:
                    setattr(sub, key, _points(self.s.raw(r, cols[key])))
                    sub.locs[key] = self.loc(r, cols[key])
            sub.locs["label"] = self.loc(r, c)
            out.append(sub)
            since = before
        return out

    def _shown_percent(self, r: int, cells: dict[str, Any]) -> None:
        """A number a cell shows as a percentage (Excel keeps a typed "96%" as
        0.96) is read as shown: "96%"."""
        for key in (*PERCENT_FIELDS, "target_adjusted", "coefficient"):
            c = self.value_cols.get(key)
            value = cells.get(key)
            if c is not None and type(value) in (int, float) and (r, c) in self.s.sheet.percent:
                cells[key] = percent_text(value)

    def _missing(self, form, fund) -> None:
        cols = self.head.columns
        need = (
            (
                ("level3", "三级指标"),
                ("target", "年度指标值"),
                ("actual", "实际完成值"),
                ("weight", "分值"),
                ("score", "得分"),
            )
            if form.form == SELF_EVAL
            else (("level3", "三级指标"), ("weight", "权重"), ("score", "得分"))
        )
        for key, name in need:
            if key not in cols and not (key == "target" and "benchmark" in cols):
                self.missing.append((f"column:{key}", f"指标表没有“{name}”列"))
        if form.form == SELF_EVAL and not fund:
            self.missing.append(
                ("funds", "没有找到资金使用情况（年初预算数、全年预算数、全年执行数）")
            )
        if form.form == SELF_EVAL and fund and "total" not in fund["rows"]:
            self.missing.append(("funds:total", "资金使用情况中没有找到年度资金总额一行"))
        if (
            form.form == SELF_EVAL
            and "goal_actual" not in self.fields
            and "goal_expected" not in self.fields
        ):
            self.missing.append(("goal", "没有找到年度总体目标（预期目标、实际完成情况）"))
        title = str(self.values.get("title", ""))
        department = any(w in title for w in self.s.vocab.department_titles)  # names no project
        if form.form == SELF_EVAL:
            form.department = department
        if "project_name" not in self.fields and not department:
            self.missing.append(("head:project_name", "没有找到项目名称"))
        if "total" not in self.fields:
            self.missing.append(("total", "没有找到总分（合计）行"))
        form.missing = self.missing


def _infer_level1(rows: list[dict]) -> None:
    """Rows whose first-level label is unknown but whose second-level label is
    one of the official form's (数量指标 …) take its first level (产出指标)."""
    from ..layout import official_level1

    for row in rows:
        if not row["level1"] and row["level2"]:
            row["level1"] = official_level1(row["level2"]) or ""


def _groups_of(rows: list[dict]) -> list[Group]:
    groups: list[Group] = []
    for row in rows:
        r = row["row"]
        key = (row["level1"], row["level2"])
        if (
            groups
            and (groups[-1].level1, groups[-1].level2) == key
            and groups[-1].last_row == r - 1
        ):
            g = groups[-1]
            groups[-1] = Group(g.level1, g.level2, g.first_row, r)
        else:
            groups.append(Group(key[0], key[1], r, r))
    return groups


def _points(raw: Any) -> Any:
    """A weight or score written as text with 分 ("3分", "100分") -> the number."""
    if isinstance(raw, str):
        m = _POINTS.match(raw)
        if m:
            value = Decimal(m.group(1))
            return int(value) if value == value.to_integral_value() else float(value)
    return raw


def _number_text(value: Any) -> str | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return format(Decimal(repr(value)).normalize(), "f") if value == value else None
    return None


_TITLE_LEAD = re.compile(r"^(?:(?:附件|附表|表)\s*\d+(?:\s*[-－—.]\s*\d+)*)?[\s:：、.]*")
_TITLE_YEAR = re.compile(r"(?:19|20)\d{2}\s*年度?的?")


def _project_in_title(title: Any, vocab: Vocab) -> str:
    """The project a title names before the form's own words (“表2-1
    2021年度中小企业培训服务项目绩效评价指标体系评分表” -> 中小企业培训服务项目), or
    "" when it names none (项目支出绩效自评表, 2023年度项目支出绩效自评表, a
    部门整体 form)."""
    if not isinstance(title, str) or any(w in title for w in vocab.department_titles):
        return ""
    text = _TITLE_LEAD.sub("", re.sub(r"\s+", " ", title.strip()))
    found = [(text.find(w), w) for words in vocab.titles.values() for w in words if w in text]
    if not found:
        return ""
    at, word = min(found)
    name = _TITLE_YEAR.split(text[:at])[-1].replace(" ", "").strip("的之：:、")
    if word.startswith("项目") and not name.endswith("项目"):
        name += "项目"  # 中小企业培训服务 + 项目支出绩效自评表
    if len(name) < 4 or re.search(r"[xX×*＊?？]{2}", name):
        return ""
    return name


def _typed_unit(value: Any) -> str | None:
    """万元 / 元 when an amount is typed with it ("195.93万元"), else None."""
    if isinstance(value, str):
        for unit in ("万元", "元"):
            if _number_before(value.strip(), unit) is not None:
                return unit
    return None


def _number_before(text: str, unit: str) -> str | None:
    """The number of "1,200,000.00元" typed before *unit* (元 is not 万元; 万
    alone is 万元: "195.93万"), else None."""
    if unit == "万元" and text.endswith("万"):
        rest = text[:-1].strip()
    elif not text.endswith(unit) or (unit == "元" and text.endswith("万元")):
        return None
    else:
        rest = text[: -len(unit)].strip()
    return rest if _looks_numeric(rest) else None


def _amount(value: Any, unit: str | None) -> Any:
    """An amount typed with its block's unit after it ("1,200,000.00元" where the
    block is in 元, "120万元" where it is in 万元) or a ￥ before it is that number; any other text
    stays as typed (the block's other unit is converted before, by :func:`_in_unit`)."""
    if isinstance(value, str):
        text = value.strip()
        if text[:1] in ("¥", "￥") and _looks_numeric(text[1:].strip()):
            return text[1:].strip()  # ￥1,959,300.00 pasted from a document
        number = _number_before(text, unit or "元")
        if number is not None:
            return number
    return value


def _in_unit(value: Any, unit: str | None) -> str | None:
    """An amount typed in the other unit than its block's, in the block's unit
    ("195.93万元" in a 元 block -> "1959300"; "1959300元" in a 万元 block ->
    "195.93"), else None.  Only where the block's unit is known."""
    if unit not in AMOUNT_UNITS or not isinstance(value, str):
        return None
    other = "万元" if unit == "元" else "元"
    number = _number_before(value.strip(), other)
    if number is None:
        return None
    try:
        amount = Decimal(number.replace(",", ""))
    except ArithmeticError:
        return None
    amount = amount * WAN if other == "万元" else amount / WAN
    return format(amount.normalize(), "f")


def percent_text(value: int | float) -> str:
    """0.96 -> "96%", 0.9887 -> "98.87%", 1 -> "100%"."""
    return format((Decimal(repr(value)) * 100).normalize(), "f") + "%"


def join_target(op: Any, value: Any, unit: Any) -> Any:
    """指标性质/计算符号 + 指标值 + 度量单位 -> one target text ("≥" "90" "%" -> "≥90%")."""
    if value is None:
        return None
    op_text = str(op).strip() if op is not None else ""
    op_text = _OPS.get(op_text, op_text if op_text not in _NOT_AN_OP else "")
    unit_text = str(unit).strip() if unit not in (None, "") else ""
    if unit_text in ("—", "-", "/"):
        unit_text = ""
    number = _number_text(value)
    text = number if number is not None else str(value).strip()
    if number is None:
        stripped = text.lstrip()
        if stripped[:1] in "≥≤=<>＝≧≦":  # the comparison written in the value: "≤100" + "%"
            rest = stripped[1:].lstrip()
            return text + unit_text if unit_text and _looks_numeric(rest) else text
        if not _looks_numeric(stripped):
            return f"{op_text}{text}" if op_text else text
    if unit_text and not text.endswith(unit_text):
        text += unit_text
    return f"{op_text}{text}"


def join_actual(value: Any, unit: Any) -> Any:
    """A bare number in 实际完成值 takes the row's 计量单位 ("98" + "%" -> "98%")."""
    unit_text = str(unit).strip() if unit not in (None, "") else ""
    if not unit_text or unit_text in ("—", "-", "/"):
        return value
    number = _number_text(value)
    if number is None and isinstance(value, str) and _looks_numeric(value.strip()):
        number = value.strip()
    if number is None:
        return value
    return number + unit_text


_NUMERIC = re.compile(r"^[+-]?\d[\d,，]*(?:\.\d+)?$")


def _looks_numeric(text: str) -> bool:
    return bool(_NUMERIC.match(text))


def iter_forms(found: list[Found]) -> Iterator[SelfEvalForm | EvalTable]:
    for f in found:
        yield f.form


__all__ = ["Found", "join_actual", "join_target", "recognise", "scan"]
