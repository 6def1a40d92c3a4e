"""Placing a form on a template: the layout a form needs, and where each of
its values goes.

``fill`` (from JSON) and ``adopt`` (from a foreign workbook) write a form into
a template drawn for it: as many rows per 二级指标 (自评表) or per block (评分表)
as the form has.  A form read from JSON is placed the same way, so that every
value knows the cell it will have.
"""

from __future__ import annotations

from typing import Any

from ..errors import InputError
from ..layout import (
    EVALTABLE_BLOCKS,
    SELFEVAL_GROUPS,
    Layout,
    a1,
    amount_unit_of,
    evaltable_template,
    selfeval_template,
)
from ..model import SELF_EVAL, FundRow, Loc, value_of

BLOCK_WORDS = (
    ("决策", ("决策", "立项")),
    ("过程", ("过程", "管理", "实施")),
    ("产出", ("产出",)),
    ("效益", ("效益", "满意", "影响")),
)


def guess_block(level1: Any, previous: str | None) -> str:
    """The 评分表 block (决策/过程/产出/效益) of a first-level label."""
    text = str(level1 or "")
    for block, words in BLOCK_WORDS:
        if any(w in text for w in words):
            return block
    return previous or EVALTABLE_BLOCKS[0]


def canonical_group(level1: Any, level2: Any) -> tuple[str, str]:
    """A 自评表 (一级, 二级) pair in the official wording when it names one
    ("数量" -> ("产出指标", "数量指标")); as written otherwise."""
    l1 = str(value_of(level1) or "").strip()
    l2 = str(value_of(level2) or "").strip()
    for g1, g2 in SELFEVAL_GROUPS:
        if l2 and l2 in (g2, g2.removesuffix("指标")):
            if not l1 or l1 in (g1, g1.removesuffix("指标")):
                return g1, g2
    for g1, _ in SELFEVAL_GROUPS:
        if l1 and l1 == g1.removesuffix("指标"):
            return g1, l2
    return l1, l2


def layout_for(form: Any, defaults: bool = True) -> Layout:
    """The template layout *form* needs: its groups with as many rows as it
    has (at least one); with *defaults*, every group of the official form is
    there too, in the official order."""
    filled = [ind for ind in form.indicators if not ind.is_blank()]
    unit = amount_unit_of(form)
    if form.form == SELF_EVAL:
        counts: dict[tuple[str, str], int] = {}
        for ind in filled:
            key = canonical_group(ind.level1, ind.level2)
            counts[key] = counts.get(key, 0) + 1
        order = list(SELFEVAL_GROUPS) if defaults else []
        for key in counts:
            if key in order:
                continue
            same = [i for i, g in enumerate(order) if g[0] == key[0]]
            order.insert(same[-1] + 1 if same else len(order), key)
        if not order:
            order = [SELFEVAL_GROUPS[0]]
        return selfeval_template(
            [(l1, l2, max(1, counts.get((l1, l2), 0))) for l1, l2 in order], unit
        )
    counts_b: dict[str, int] = {}
    previous = None
    for ind in filled:
        block = block_of(ind, previous)
        previous = block
        counts_b[block] = counts_b.get(block, 0) + 1
    blocks = [b for b in EVALTABLE_BLOCKS if defaults or b in counts_b] or [EVALTABLE_BLOCKS[0]]
    return evaltable_template([(b, max(1, counts_b.get(b, 0))) for b in blocks], unit)


def block_of(ind: Any, previous: str | None) -> str:
    """The block a 评分表 row is placed in: its JSON ``block``, or a guess from its label."""
    hint = ind.locs.get("block")
    if hint is not None and hint.sheet == "" and hint.cell in EVALTABLE_BLOCKS:
        return hint.cell
    return guess_block(ind.level1, previous)


def place(form: Any, layout: Layout) -> Any:
    """Give *form* (made from JSON or another layout) the cells of *layout*:
    each indicator its row, every value its location.  The form's indicators
    are the filled ones, in layout order."""
    sheet = layout.sheet
    form.layout = layout
    form.sheet = sheet
    form.locs = {
        name: Loc(sheet, layout.cell(name))
        for name in layout.fields
        if hasattr(form, name) and layout.cell(name)
    }
    if layout.settings_sheet:
        form.locs["profile"] = Loc(layout.settings_sheet, a1(*layout.settings["profile"]))
    if form.form == SELF_EVAL:
        for key in layout.fund_rows:
            fund = form.funds.get(key) or FundRow(key)
            fund.locs = {
                amount: Loc(sheet, layout.fund_cell(key, amount)) for amount in layout.fund_columns
            }
            form.funds[key] = fund
        for level1, (lo, _) in layout.level1_blocks().items():
            form.locs[f"level1:{level1}"] = Loc(sheet, layout.at("level1", lo))
    else:  # a declared first-level weight stands beside the block's subtotal
        previous = None
        for label in form.level1_weights:
            block = guess_block(label, previous)
            previous = block
            row = layout.summary_rows.get(block)
            if row is not None:
                form.locs[f"level1:{label}"] = Loc(sheet, a1(row, layout.columns["weight"]))
    rows = _rows_by_group(form, layout)
    placed = []
    for ind, row, group in rows:
        ind.row = row
        ind.level1 = group.level1 if form.form == SELF_EVAL else ind.level1
        ind.level2 = group.level2 if form.form == SELF_EVAL else ind.level2
        ind.locs = {key: Loc(sheet, layout.at(key, row)) for key in layout.columns}
        if form.form == SELF_EVAL:
            ind.locs["level1"] = Loc(
                sheet, layout.at("level1", layout.level1_blocks()[group.level1][0])
            )
            ind.locs["level2"] = Loc(sheet, layout.at("level2", group.first_row))
        placed.append(ind)
    form.indicators = placed
    return form


def _rows_by_group(form: Any, layout: Layout):
    """(indicator, row, group) for every filled indicator, in layout order."""
    free = {g: list(g.row_numbers()) for g in layout.groups}
    out = []
    previous = None
    for ind in form.indicators:
        if ind.is_blank():
            continue
        if form.form == SELF_EVAL:
            key = canonical_group(ind.level1, ind.level2)
            group = next((g for g in layout.groups if (g.level1, g.level2) == key), None)
        else:
            block = block_of(ind, previous)
            previous = block
            group = next((g for g in layout.groups if g.level1 == block), None)
        if group is None or not free[group]:
            where = (
                f"「{group.level1}/{group.level2}」" if group else f"「{ind.level1}/{ind.level2}」"
            )
            raise InputError(
                f"模板中{where}的行数不够（已有 {group.rows if group else 0} 行）：请在模板中插入行，"
                "或不指定模板文件，由 perfkit 按数据生成足够的行",
                path=form.source or None,
            )
        out.append((ind, free[group].pop(0), group))
    out.sort(key=lambda item: item[1])
    return out


def fits(form: Any, layout: Layout) -> bool:
    """Whether *form*'s indicators fit in *layout*'s groups."""
    try:
        _rows_by_group(form, layout)
    except InputError:
        return False
    return True


__all__ = ["block_of", "canonical_group", "fits", "guess_block", "layout_for", "place"]
