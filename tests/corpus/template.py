"""perfkit_template — perfkit's own filled forms (``examples/*.xlsx``) as others edit them.

The originals are the committed examples (built by ``examples/build_examples.py``
with as many rows per 二级指标 as they have); the ground truth comes from their
JSON and the template geometry of ``perfkit.layout`` (groups in the official
order, each as long as its rows, at least one).  Their computed cells hold the
results perfkit stored; LibreOffice's copies hold what it computed, and
``#NAME?`` (read as empty) for perfkit's functions.

Edits made by LibreOffice over UNO, as a clerk makes them in Excel, on the
examples filled into the blank template (three rows per 二级指标, ten per block):

* ``rows_inserted`` (党建事务): a row inserted inside the 数量指标 group (the
  merged 二级指标 cell grows), the group's blank rows and the new row typed with
  three more 数量指标 (weights 10 -> 4 + 2 + 2 + 2), then the last, blank row
  of the 时效指标 group deleted.
* ``rows_deleted`` (福田 评分表): two blank rows of the 决策 block deleted.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path

from perfkit.layout import (
    EVALTABLE_BLOCKS,
    SELFEVAL_GROUPS,
    Layout,
    evaltable_template,
    selfeval_template,
    template,
)

from .. import lo
from .model import EVALTABLE, SELFEVAL, CorpusFile, Expected, Row
from .sheet import addr_of, split

FAMILY = "perfkit_template"
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
NAMES = (
    "longgang2023_dangjian",
    "longgang2023_shanghui",
    "longgang2023_falv",
    "futian2021_selfeval",
    "futian2021_evaltable",
)

# The seeds' published figures (DOMAIN §5).
ORACLES = {
    "longgang2023_dangjian": {"exec_rate_pct": "98.87", "exec_score": "9.89", "total": "99.89"},
    "longgang2023_shanghui": {"exec_rate_pct": "99.35", "exec_score": "9.94", "total": "93.94"},
    "longgang2023_falv": {"exec_rate_pct": "100.00", "exec_score": "10.00", "total": "100.00"},
    # F-1: 合计 100 printed, Σ 90; F-2: 180.57 / 182.2 = 99.11 % -> 9.91
    "futian2021_selfeval": {
        "exec_rate_pct": "99.11",
        "exec_score": "9.91",
        "total_printed": "100",
        "score_sum": "90",
    },
    "futian2021_evaltable": {
        "exec_rate_pct": "99.11",
        "total": "96.97",
        "subtotal.项目决策": "15",
        "subtotal.项目管理": "24.97",
        "subtotal.产出": "30",
        "subtotal.效益": "27",
    },
}
# Findings perfkit reports on these forms today (tests/test_validate_examples.py):
# (code, indicator index or form field, row field)
KNOWN = {
    "longgang2023_dangjian": [("ACTUAL_IS_CONSTRAINT", 4, "actual")],  # L-2
    "longgang2023_shanghui": [
        ("TARGET_IN_LEVEL3", 0, "level3"),  # L-3
        ("SATISFACTION_NO_PERCENT", 8, "actual"),  # L-5
    ],
    "longgang2023_falv": [("ACTUAL_IS_CONSTRAINT", 3, "actual")],  # L-6
    "futian2021_selfeval": [("TOTAL_MISMATCH", "total.score", None)],  # F-1, F-2
    "futian2021_evaltable": [
        ("RULE_SCORE_MISMATCH", 6, "score"),  # F-3: 2.97 vs the written rule's 2.91
        ("RULE_NOT_DERIVABLE", 21, "score"),  # F-4
        ("ACTUAL_NOT_MEASURED", 21, "actual"),  # F-4 / F-5
        ("RULE_DUPLICATE", 1, "rule"),  # F-10
    ],
}


def _known(name: str, cells: dict, rows: list[Row]) -> tuple:
    out = []
    for code, where, fname in KNOWN[name]:
        out.append((code, cells[where] if isinstance(where, str) else rows[where].cells[fname]))
    return tuple(out)


def compact_selfeval(data: dict) -> Layout:
    """The layout ``fill`` draws for *data*: the official groups, each as long as its rows."""
    counts: dict[tuple[str, str], int] = {}
    for ind in data["indicators"]:
        key = (ind["level1"], ind["level2"])
        counts[key] = counts.get(key, 0) + 1
    assert set(counts) <= set(SELFEVAL_GROUPS), "the examples use the official groups"
    return selfeval_template(
        [(l1, l2, max(1, counts.get((l1, l2), 0))) for l1, l2 in SELFEVAL_GROUPS]
    )


def compact_evaltable(data: dict) -> Layout:
    counts: dict[str, int] = {}
    for ind in data["indicators"]:
        counts[ind["block"]] = counts.get(ind["block"], 0) + 1
    return evaltable_template([(b, max(1, counts.get(b, 0))) for b in EVALTABLE_BLOCKS])


def _fields(L: Layout, name: str) -> str:
    return L.cell(name)


def _selfeval(name: str, data: dict, L: Layout | None = None) -> Expected:
    L = L or compact_selfeval(data)
    sheet = L.sheet
    cells: dict[str, str] = {}
    head: dict = {}
    for fname in ("project_code", "project_name", "year", "unit", "dept"):
        if data.get(fname) is not None:
            head[fname] = data[fname]
            cells[f"head.{fname}"] = _fields(L, fname)
    funds: dict = {}
    for key in L.fund_rows:
        funds[key] = {}
        for col_name in L.fund_columns:
            value = (data["funds"].get(key) or {}).get(col_name)
            if value is not None:
                funds[key][col_name] = value
                cells[f"funds.{key}.{col_name}"] = L.fund_cell(key, col_name)
    cells["funds.total.executed"] = L.fund_cell("total", "executed")
    exec_: dict = {}
    for fname, key in (("exec_weight", "weight"), ("exec_rate", "rate"), ("exec_score", "score")):
        cells[f"exec.{key}"] = _fields(L, fname)
        if data.get(fname) is not None:
            exec_[key] = data[fname]
    goal = {}
    for fname, key in (("goal_expected", "expected"), ("goal_actual", "actual")):
        if data.get(fname) is not None:
            goal[key] = data[fname]
            cells[f"goal.{key}"] = _fields(L, fname)
    blocks = L.level1_blocks()
    used: dict[str, int] = {}
    rows = []
    for ind in data["indicators"]:
        group = next(g for g in L.groups if (g.level1, g.level2) == (ind["level1"], ind["level2"]))
        r = group.first_row + used.get(group.level2, 0)
        used[group.level2] = used.get(group.level2, 0) + 1
        row_cells = {
            "level1": L.at("level1", blocks[group.level1][0]),
            "level2": L.at("level2", group.first_row),
            **{k: L.at(k, r) for k in ("level3", "target", "actual", "weight", "score")},
        }
        extra: dict = {"formulas": ("level1", "score") if ind["score"] is None else ("level1",)}
        if ind.get("deviation_reason"):
            extra["deviation_reason"] = ind["deviation_reason"]
            row_cells["deviation_reason"] = L.at("deviation_reason", r)
        rows.append(_row(ind, row_cells, extra))
    total: dict = {}
    for fname, key in (("total_weight", "weight"), ("total", "score")):
        cells[f"total.{key}"] = _fields(L, fname)
        if data.get(fname) is not None:
            total[key] = data[fname]
    level1_weights = {}
    for level1 in blocks:
        weights = [ind["weight"] for ind in data["indicators"] if ind["level1"] == level1]
        if weights and None not in weights:
            level1_weights[level1] = sum(weights)
    return Expected(
        family=FAMILY,
        kind=SELFEVAL,
        sheet=sheet,
        head=head,
        amount_unit="元",
        funds=funds,
        exec=exec_,
        goal=goal,
        indicators=tuple(rows),
        total=total,
        level1_weights=level1_weights,
        part_weight=None,
        cells=cells,
        oracle=ORACLES[name],
        known_findings=_known(name, cells, rows),
    )


def _evaltable(name: str, data: dict, L: Layout | None = None) -> Expected:
    L = L or compact_evaltable(data)
    cells: dict[str, str] = {}
    head = {}
    for fname in ("project_name", "unit", "year"):
        if data.get(fname) is not None:
            head[fname] = data[fname]
            cells[f"head.{fname}"] = _fields(L, fname)
    funds = {"total": {}}
    for fname in ("initial_budget", "annual_budget", "executed"):
        funds["total"][fname] = data[fname]
        cells[f"funds.total.{fname}"] = _fields(L, fname)
    cells["exec.rate"] = _fields(L, "exec_rate")
    cells["total.weight"] = _fields(L, "total_weight")
    cells["total.score"] = _fields(L, "total")
    first = {g.level1: g.first_row for g in L.groups}
    used: dict[str, int] = {}
    rows = []
    for ind in data["indicators"]:
        r = first[ind["block"]] + used.get(ind["block"], 0)
        used[ind["block"]] = used.get(ind["block"], 0) + 1
        row_cells = {}
        extra: dict = {"formulas": () if ind["score"] is not None else ("score",)}
        for key in L.columns:
            if key in ("description", "benchmark", "rule", "deduction_reason"):
                if ind.get(key) is None:
                    continue
                extra[key] = ind[key]
            row_cells[key] = L.at(key, r)
        rows.append(_row({**ind, "target": None}, row_cells, extra))
    return Expected(
        family=FAMILY,
        kind=EVALTABLE,
        sheet=L.sheet,
        head=head,
        amount_unit="万元",
        funds=funds,
        exec={},
        goal={},
        indicators=tuple(rows),
        total={},
        level1_weights={},
        part_weight=None,
        cells=cells,
        oracle=ORACLES[name],
        known_findings=_known(name, cells, rows),
    )


def _row(ind: dict, cells: dict, extra: dict) -> Row:
    return Row(
        level1=ind["level1"],
        level2=ind["level2"],
        level3=ind.get("level3"),
        target=ind.get("target"),
        actual=ind.get("actual"),
        weight=ind.get("weight"),
        score=ind.get("score"),
        cells=cells,
        extra=extra,
    )


def _data(name: str) -> dict:
    return json.loads((EXAMPLES / f"{name}.json").read_text(encoding="utf-8"))


def expected(name: str, L: Layout | None = None) -> Expected:
    """The ground truth of an example: as committed (compact), or filled into *L*."""
    data = _data(name)
    return _selfeval(name, data, L) if data["form"] == SELFEVAL else _evaltable(name, data, L)


def originals(out: Path) -> list[CorpusFile]:
    files = []
    for name in NAMES:
        path = out / f"{name}.xlsx"
        shutil.copyfile(EXAMPLES / path.name, path)
        files.append(CorpusFile(path=path, variant="original", forms=(expected(name),)))
    return files


# --------------------------------------------------------------------------
# Row edits and where the cells go
# --------------------------------------------------------------------------


class RowMap:
    """Where a row of the original lands after whole-row inserts/deletes (1-based rows;
    edits use UNO's 0-based indexes, in the order they are applied)."""

    def __init__(self):
        self.edits: list[tuple[str, int, int]] = []

    def insert(self, index: int, count: int = 1) -> RowMap:
        self.edits.append(("insert", index, count))
        return self

    def delete(self, index: int, count: int = 1) -> RowMap:
        self.edits.append(("delete", index, count))
        return self

    def row(self, row: int) -> int | None:
        for kind, index, count in self.edits:
            first = index + 1  # the first row the edit touches (1-based)
            if kind == "insert" and row >= first:
                row += count
            elif kind == "delete":
                if first <= row < first + count:
                    return None
                if row >= first + count:
                    row -= count
        return row

    def addr(self, addr: str) -> str:
        row, col = split(addr)
        moved = self.row(row)
        if moved is None:
            raise ValueError(f"{addr} is deleted")
        return addr_of(moved, col)

    def expected(self, form: Expected, rows: list[Row] | None = None) -> Expected:
        moved_rows = [
            dataclasses.replace(r, cells={k: self.addr(v) for k, v in r.cells.items()})
            for r in form.indicators
        ]
        return dataclasses.replace(
            form,
            cells={k: self.addr(v) for k, v in form.cells.items()},
            indicators=tuple(moved_rows if rows is None else rows),
            known_findings=tuple((c, self.addr(a)) for c, a in form.known_findings),
        )


# The three 数量指标 a clerk adds to 党建事务 (level3, target, actual, weight).
NEW_QUANTITY_ROWS = (
    ("发展非公企业党员", "发展党员≥10名", "发展党员12名", 2),
    ("党组织书记培训覆盖率", "≥90%", "100%", 2),  # typed into the inserted row, score typed too
    ("建立党建指导站", "≥3个", "3个", 2),
)


def edits(out: Path) -> list[tuple[dict, CorpusFile]]:
    """LibreOffice operations that make the edited copies, with their ground truth."""
    made = []

    # 党建事务 in the blank template: insert inside 数量指标 (rows 14-16), type,
    # delete a blank 时效指标 row
    L = template(SELFEVAL)
    base = expected("longgang2023_dangjian", L)
    sheet = base.sheet
    quantity = next(g for g in L.groups if g.level2 == "数量指标")
    timely = next(g for g in L.groups if g.level2 == "时效指标")
    moves = RowMap().insert(quantity.last_row - 1)  # before the group's last row: the merge grows
    values: dict[str, object] = {}
    rows = list(moves.expected(base).indicators)
    first = rows[0]
    rows[0] = dataclasses.replace(first, weight=4)
    values[first.cells["weight"]] = 4
    for offset, (level3, target, actual, weight) in enumerate(NEW_QUANTITY_ROWS, start=1):
        r = quantity.first_row + offset
        inserted = r == quantity.last_row  # the new row has no formula: its score is typed
        row_cells = {
            "level1": first.cells["level1"],
            "level2": first.cells["level2"],
            **{k: L.at(k, r) for k in ("level3", "target", "actual", "weight", "score")},
        }
        values.update(
            {row_cells["level3"]: level3, row_cells["target"]: target, row_cells["actual"]: actual}
        )
        values[row_cells["weight"]] = weight
        if inserted:
            values[row_cells["score"]] = weight
        rows.insert(
            offset,
            Row(
                level1=first.level1,
                level2=first.level2,
                level3=level3,
                target=target,
                actual=actual,
                weight=weight,
                score=weight if inserted else None,
                cells=row_cells,
                extra={"formulas": ("level1",) if inserted else ("level1", "score")},
            ),
        )
    blank = moves.row(timely.last_row)  # the 时效指标 group's third row is blank
    after = RowMap().delete(blank - 1)
    final_rows = [
        dataclasses.replace(r, cells={k: after.addr(v) for k, v in r.cells.items()}) for r in rows
    ]
    form = RowMap().insert(quantity.last_row - 1).delete(blank - 1).expected(base, final_rows)
    steps = [
        lo.insert_rows_step(sheet, quantity.last_row - 1, 1),
        lo.set_cells_step(sheet, values),
        lo.delete_rows_step(sheet, blank - 1, 1),
    ]
    made += _both(out / "longgang2023_dangjian.rows_inserted", "rows_inserted", steps, form)

    # 福田 评分表 in the blank template: delete two blank rows of the 决策 block
    L = template(EVALTABLE)
    base = expected("futian2021_evaltable", L)
    block = L.groups[0]
    filled = sum(1 for r in base.indicators if split(r.cells["score"])[0] <= block.last_row)
    index = block.first_row + filled - 1  # 0-based index of the first blank row
    moves = RowMap().delete(index, 2)
    steps = [lo.delete_rows_step(base.sheet, index, 2)]
    made += _both(
        out / "futian2021_evaltable.rows_deleted", "rows_deleted", steps, moves.expected(base)
    )
    return made


def in_template(name: str, folder: Path) -> Path:
    """The example filled into the blank template (its rows, and the template's spare ones)."""
    from perfkit.writers.fill import fill

    root = EXAMPLES.parent / "xlsx_templates"
    kind = _data(name)["form"]
    blank = root / (
        "项目支出绩效自评表.xlsx" if kind == SELFEVAL else "绩效评价指标体系评分表.xlsx"
    )
    folder.mkdir(parents=True, exist_ok=True)
    return fill(_data(name), folder / f"{name}.in_template.xlsx", template=blank)


def _both(stem: Path, variant: str, steps: list, form: Expected) -> list[tuple[dict, CorpusFile]]:
    """The edit saved as .xlsx and, from the same example in the blank template, as .xls.

    (Converting the edited .xlsx instead would lose text results of formulas: LibreOffice
    keeps the cached "产出指标（50分）" of an .xlsx it does not recalculate, but writes 0
    for it into an .xls.)
    """
    source = in_template(stem.name.split(".")[0], stem.parent)
    out = []
    for suffix, name in ((".xlsx", variant), (".xls", f"{variant}+xls")):
        path = stem.with_name(stem.name + suffix)
        out.append(
            (lo.edit(source, path, steps), CorpusFile(path=path, variant=name, forms=(form,)))
        )
    return out
