"""Single-cell errors typed into corpus files "by a user" (LibreOffice over UNO).

Each mutation changes one cell of one base file and names the finding code
(perfkit/validate/codes.py) a validator must report and the cell it must
name.  Other findings may follow from the same change (a changed row score
also breaks the 总分); only the named one is the contract.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .. import lo
from .model import CorpusFile, Expected, Mutation


@dataclass(frozen=True)
class Spec:
    family: str
    variant: str
    form: int  # index in CorpusFile.forms
    field: str  # a key of Expected.cells, or "row:<level3>:<row field>"
    value: object
    code: str
    at: str | None = None  # a key like field; None = the changed cell


# fmt: off
SPECS = (
    # 9.89 -> 9.98: 98.87 % × 10 = 9.89
    Spec("longgang2023", "original", 0, "exec.score", 9.98, "EXEC_SCORE_MISMATCH"),
    # 98.87 -> 100: 1937189.02 / 1959300 = 98.87 %
    Spec("longgang2023", "original", 0, "exec.rate", 100, "EXEC_RATE_MISMATCH"),
    # 93.94 -> 95.94: 84 + 9.94 = 93.94
    Spec("longgang2023", "stacked+lo_resaved", 1, "total.score", 95.94, "TOTAL_MISMATCH"),
    Spec("longgang2023", "offset+xls", 0, "funds.total.executed", "约193万", "NOT_A_NUMBER"),
    # 当年财政拨款 执行数 376056.50 -> 376000.50: 年度资金总额 376056.50 ≠ Σ
    Spec("longgang2023", "xls", 1, "funds.fiscal.executed", 376000.5, "FUND_SUM_MISMATCH",
         at="funds.total.executed"),
    # ≥2家, 2家: full 10, typed 8
    Spec("longgang2023", "text_amounts", 0, "row:推动非公企业应建尽建党组织:score", 8,
         "SCORE_MISMATCH"),
    # =8个, 7个, 分值 5: 4.38, typed 5
    Spec("mof2020_wan", "original", 0, "row:新建村级文化广场个数:score", 5, "SCORE_MISMATCH"),
    # 本年财政拨款 全年预算数 89.974 -> 88.974: 年度资金总额 89.974 ≠ Σ
    Spec("mof2020_wan", "xls", 0, "funds.fiscal.annual_budget", 88.974, "FUND_SUM_MISMATCH",
         at="funds.total.annual_budget"),
    Spec("sichuan2023", "lo_resaved", 0, "row:发放(缴纳)覆盖率:score", 16, "SCORE_OVER_WEIGHT"),
    Spec("sichuan2023", "original", 0, "funds.total.executed", "约125万", "NOT_A_NUMBER"),
    # 20 分 × 94.19 % = 18.84, typed 20
    Spec("municipal2080", "original", 0, "exec.score", 20, "EXEC_SCORE_MISMATCH"),
    # ≤35万元 (reverse), 36.2万元: 4.83, typed 5
    Spec("yinchuan2021", "xls", 0, "row:场地及设备租赁费:score", 5, "SCORE_MISMATCH"),
    Spec("yinchuan2021", "original", 0, "total.score", 98.68, "TOTAL_MISMATCH"),
    Spec("beijing2016", "lo_resaved", 0, "total.score", 99.5, "TOTAL_MISMATCH"),
    # =12个, 11: 4.58, typed 5
    Spec("platform_export", "xls", 0, "row:政务新媒体账号维护数量:score", 5, "SCORE_MISMATCH"),
    # 500 / 520 = 96.15 %, typed "86.15%"
    Spec("platform_export", "original", 0, "exec.rate", "86.15%", "EXEC_RATE_MISMATCH"),
    Spec("futian2021_evaltable", "original", 0, "total.score", 97.97, "TOTAL_MISMATCH"),
    Spec("futian2021_evaltable", "xls", 0, "row:活动开展次数:score", 7, "SCORE_OVER_WEIGHT"),
    # the typed score of the inserted row, 分值 2
    Spec("perfkit_template", "rows_inserted", 0, "row:党组织书记培训覆盖率:score", 3,
         "SCORE_OVER_WEIGHT"),
    # 法律顾问 全年执行数 27,500.00 typed as text -> 29,500.00: 执行率 107.27 % but the form says 100
    Spec("longgang2023", "text_amounts", 2, "funds.total.executed", "29,500.00",
         "EXEC_OVER_BUDGET"),
)
# fmt: on


def cell_of(form: Expected, key: str) -> str:
    if key.startswith("row:"):
        _, level3, fname = key.split(":")
        row = next(r for r in form.indicators if r.level3 == level3)
        return row.cells[fname]
    return form.cells[key]


def mutations(dest: Path, files: list[CorpusFile], libreoffice=None) -> list[Mutation]:
    """Make every mutation of SPECS whose base is in *files* (one LibreOffice session)."""
    by_key = {(f.family, f.variant): f for f in files}
    out_dir = Path(dest) / "mutations"
    out_dir.mkdir(parents=True, exist_ok=True)
    made, ops = [], []
    for n, spec in enumerate(SPECS, start=1):
        base = by_key.get((spec.family, spec.variant))
        if base is None:
            continue
        form = base.forms[spec.form]
        cell = cell_of(form, spec.field)
        suffix = ".xls" if base.path.suffix == ".xls" else ".xlsx"
        path = out_dir / f"{n:02d}_{spec.family}_{spec.code.lower()}{suffix}"
        ops.append(lo.set_cells(base.path, path, form.sheet, {cell: spec.value}))
        at = cell_of(form, spec.at) if spec.at else cell
        made.append(Mutation(base, path, form.sheet, cell, spec.value, spec.code, at))
    if ops:
        if isinstance(libreoffice, lo.LibreOffice):
            libreoffice.run(ops)
        else:
            with lo.LibreOffice() as office:
                office.run(ops)
    return made
