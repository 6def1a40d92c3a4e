"""A corpus of real-world 预算绩效 form layouts with their published numbers as ground truth.

``build(dest)`` writes, per layout family, the openpyxl originals (deterministic:
the same code gives the same bytes) and, with LibreOffice, a re-saved .xlsx and
an .xls of each, plus the edited copies of perfkit's own examples.
``mutations(dest, files)`` types single-cell errors into some of them.

Families (the modules say where each one comes from):

=======================  ======================================================
longgang2023             seed 000, three 自评表, four packagings
mof2020_wan              财预〔2020〕10号 附件1 in 万元 (棠溪镇 2022)
sichuan2023              四川: 指标性质 / 指标值 / 度量单位 columns, (10分) + (90分)
municipal2080            预算执行 20 分 + 年度绩效指标 80 分, weights written to 100
yinchuan2021             决策/管理/产出/效益, 预算执行率 as an indicator row
beijing2016              北京 2016 with 得分计算方法 columns
platform_export          预算管理一体化 export, hidden 权重设定值 column
futian2021_evaltable     seed 004 表1-1 above 表2-1
futian2021_table12       seed 004 表1-2 (合计 100, Σ 90: F-1)
perfkit_template         perfkit's examples, re-saved and edited by LibreOffice
=======================  ======================================================

Variants: ``original`` and the layout variants ``stacked`` (three forms in one
sheet), ``offset`` (a form at C4 under two note rows), ``text_amounts``,
``rate_blank`` (银川 预算执行率 actual left blank) are openpyxl-made;
``lo_resaved`` / ``xls`` (``<variant>+lo_resaved`` / ``<variant>+xls``) are
LibreOffice's copies of them; ``rows_inserted`` / ``rows_deleted`` are perfkit's
examples edited by LibreOffice.  Values and addresses follow the conventions of
``model``; ``readback.problems(file)`` checks a file against them.

In a test (fixtures ``corpus`` and ``corpus_mutations`` of tests/conftest.py)::

    for file in corpus:
        for form in file.forms:            # workbook order
            ...read file.path / form.sheet, compare with form.cells, form.indicators,
            form.oracle ("9.89", "99.89" ...) and form.known_findings
    for m in corpus_mutations:
        ...validate m.path; expect (m.code, m.at) among the findings of m.sheet
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from .. import lo
from . import export, futian, local, longgang, national, template
from .model import EVALTABLE, SELFEVAL, CorpusFile, Expected, Mutation, Row
from .mutate import mutations

FAMILIES = {
    "longgang2023": longgang.originals,
    "mof2020_wan": lambda out: national.originals(out, "mof2020_wan"),
    "sichuan2023": lambda out: local.originals(out, "sichuan2023"),
    "municipal2080": lambda out: local.originals(out, "municipal2080"),
    "yinchuan2021": lambda out: local.originals(out, "yinchuan2021"),
    "beijing2016": lambda out: national.originals(out, "beijing2016"),
    "platform_export": export.originals,
    "futian2021_evaltable": lambda out: futian.originals(out, "futian2021_evaltable"),
    "futian2021_table12": lambda out: futian.originals(out, "futian2021_table12"),
    "perfkit_template": template.originals,
}
COPIES = (("lo_resaved", ".lo.xlsx"), ("xls", ".xls"))


def originals(dest: Path) -> list[CorpusFile]:
    """The openpyxl-made files of every family (no LibreOffice)."""
    files = []
    for family, make in FAMILIES.items():
        out = Path(dest) / family
        out.mkdir(parents=True, exist_ok=True)
        files += make(out)
    return files


def copy_variant(variant: str, copy: str) -> str:
    return copy if variant == "original" else f"{variant}+{copy}"


def build(dest: Path, libreoffice: bool | lo.LibreOffice = True) -> list[CorpusFile]:
    """Write the corpus into *dest*; with LibreOffice (True, or a running
    :class:`lo.LibreOffice`) also its re-saved, .xls and edited copies."""
    files = originals(dest)
    if not libreoffice:
        return files
    ops, made = [], []
    for f in files:
        for copy, suffix in COPIES:
            target = f.path.with_name(f.path.name.removesuffix(".xlsx") + suffix)
            ops.append(lo.convert(f.path, target))
            made.append(CorpusFile(target, copy_variant(f.variant, copy), f.forms))
    for op, edited in template.edits(Path(dest) / "perfkit_template"):
        ops.append(op)
        made.append(edited)
    with _session(libreoffice) as office:
        office.run(ops)
    return files + made


def _session(libreoffice):
    if isinstance(libreoffice, lo.LibreOffice):
        return contextlib.nullcontext(libreoffice)
    return lo.LibreOffice()


__all__ = [
    "EVALTABLE",
    "FAMILIES",
    "SELFEVAL",
    "CorpusFile",
    "Expected",
    "Mutation",
    "Row",
    "build",
    "mutations",
    "originals",
]
