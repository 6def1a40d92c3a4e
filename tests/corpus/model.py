"""The ground-truth contract of the corpus (re-exported by ``tests.corpus``).

Conventions for the values (what a reader must see, not how the cell stores it):

* Texts (head fields, goals, labels, targets, actuals written as text) are the
  printed text; compare after stripping.  ``head["year"]`` is an int even when
  the year is only printed inside the title ("项目支出绩效自评表（2022年度）").
* Numbers (amounts, weights, scores, 执行率) are numbers, whatever the cell
  holds: 1959300.0 for "1,959,300.00" typed as text, 3 for "3分".
  Rates are in percent units: 98.87 means 98.87 %, also when the cell holds the
  fraction 0.9887 shown with a % format, or the text "98.87%".
* ``Row.target`` of a layout with separate 计算符号/指标性质, 指标值 and 单位
  columns is their join ("≥" + "90" + "%" = "≥90%"); ``Row.cells["target"]``
  is then the 指标值 cell and ``Row.extra`` holds operator / target_value / unit.
* A field whose cell holds a formula of perfkit's template has no value in the
  dicts (what it computes is perfkit's to say); its address is still in
  ``cells`` and ``Row.extra["formulas"]`` names such row fields.
* ``cells`` keys: ``head.<name>``, ``funds.<row>.<column>``, ``exec.<name>``,
  ``goal.<name>``, ``total.<name>``, ``part_weight`` (the label that declares
  it), ``oracle.<name>`` (a cell printing that oracle figure).  A merged cell is
  named by its top-left address.  ``Row.cells`` keys are Row fields or keys of
  ``Row.extra``; rows sharing a merged label share its address.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

SELFEVAL = "selfeval"
# variants written by LibreOffice (the others by openpyxl, deterministically)
LIBREOFFICE_MADE = ("lo_resaved", "xls", "rows_inserted", "rows_deleted")
EVALTABLE = "evaltable"


@dataclass(frozen=True)
class Row:
    level1: str
    level2: str
    level3: str | None
    target: str | None  # for split-operator layouts: the joined text, e.g. "≥90%"
    actual: object
    weight: object
    score: object
    cells: dict[str, str]  # at least {"score": ..., "target": ...} where the layout has them
    extra: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Expected:
    """One form as a reader must see it."""

    family: str
    kind: str  # SELFEVAL | EVALTABLE
    sheet: str
    head: dict[str, object]
    amount_unit: str | None
    funds: dict[str, dict[str, object]]
    exec: dict[str, object]
    goal: dict[str, str]
    indicators: tuple[Row, ...]
    total: dict[str, object]
    level1_weights: dict[str, object]
    part_weight: object | None
    cells: dict[str, str]
    oracle: dict[str, str]
    known_findings: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class CorpusFile:
    path: Path
    variant: str  # "original" | "lo_resaved" | "xls" | "offset" | "offset+xls" | ...
    forms: tuple[Expected, ...]  # in workbook order (sheet order, then top to bottom)

    @property
    def layout_variant(self) -> str:
        """The packaging the file was made from: "original", "stacked", "offset" …"""
        head, _, tail = self.variant.partition("+")
        return "original" if head in ("lo_resaved", "xls") and not tail else head

    @property
    def made_by_libreoffice(self) -> bool:
        return any(part in LIBREOFFICE_MADE for part in self.variant.split("+"))

    @property
    def family(self) -> str:
        return self.forms[0].family


@dataclass(frozen=True)
class Mutation:
    base: CorpusFile
    path: Path
    sheet: str
    cell: str
    new_value: object
    code: str  # the finding code this error must produce (perfkit/validate/codes.py)
    at: str  # the cell the finding must name (usually == cell)
