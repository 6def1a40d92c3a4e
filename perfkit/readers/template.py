"""What only perfkit's own templates say about themselves.

The label-anchored reader finds a perfkit template like any other form.  Two
things it cannot see from labels alone come from the template's own formulas:

* the first-level blocks of a 评分表 template (决策/过程/产出/效益): blank
  rows belong to a block by position only, and the 一级指标小计 rows below the
  grid say which rows each block spans (``=IF(A5="","决策",A5)`` and
  ``=SUM(G5:G14)``, moved by Excel or LibreOffice with every inserted row);
* (the defined names ``PK_*``, a cross-check: see :func:`perfkit.readers._cross_check`).
"""

from __future__ import annotations

import re
from dataclasses import replace

from ..layout import Group, Layout
from ..model import EVAL_TABLE
from .cells import SheetData

_BLOCK = re.compile(r'^=IF\(\$?([A-Z]+)\$?(\d+)="","([^"]+)",\$?[A-Z]+\$?\d+\)$', re.IGNORECASE)
_SUM = re.compile(r"^=SUM\(\$?([A-Z]+)\$?(\d+):\$?[A-Z]+\$?(\d+)\)$", re.IGNORECASE)


def refine(layout: Layout, sheet: SheetData) -> Layout:
    """*layout* with the blocks and 小计 rows of a perfkit 评分表 template, when
    the rows below its grid hold them; unchanged otherwise."""
    if layout.kind != EVAL_TABLE or layout.total_row is None or "weight" not in layout.columns:
        return layout
    weight_col = layout.columns["weight"] - 1
    groups: list[Group] = []
    summary: dict[str, int] = {}
    for r in range(layout.total_row, min(layout.total_row + 60, sheet.nrows)):
        block = _BLOCK.match(sheet.formulas.get((r, 0), "") or "")
        total = _SUM.match(sheet.formulas.get((r, weight_col), "") or "")
        if not block or not total:
            continue
        first, last = int(total.group(2)), int(total.group(3))
        groups.append(Group(block.group(3), "", first, last))
        summary[block.group(3)] = r + 1
    rows = set(layout.rows)
    if not groups or any(g.first_row not in rows or g.last_row not in rows for g in groups):
        return layout
    return replace(layout, groups=tuple(groups), summary_rows=summary)


__all__ = ["refine"]
