"""The corpus of real-world layouts (tests/corpus) holds what its ground truth says.

Every address of every Expected holds the expected value when python-calamine
reads the file back (.xlsx and .xls, LibreOffice's copies included), shared
label cells are merged, the published numbers add up, mutations change one
cell, and the openpyxl originals are byte-for-byte reproducible.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from perfkit.validate import codes
from tests import corpus as corpus_pkg
from tests.corpus import readback
from tests.corpus.sheet import q2, split

pytestmark = pytest.mark.libreoffice

FAMILIES = {
    "longgang2023",
    "mof2020_wan",
    "sichuan2023",
    "municipal2080",
    "yinchuan2021",
    "beijing2016",
    "platform_export",
    "futian2021_evaltable",
    "futian2021_table12",
    "perfkit_template",
}
# layouts that type the first-level label on every row instead of merging it
REPEATED_LABELS = {("platform_export", "selfeval"), ("perfkit_template", "evaltable")}
FINDING_CODES = {c.code for c in vars(codes).values() if hasattr(c, "code")}


def _by_variant(files, family, variant):
    return next(f for f in files if f.family == family and f.variant == variant)


def test_every_family_has_its_original_a_libreoffice_copy_and_an_xls(corpus):
    assert {f.family for f in corpus} == FAMILIES == set(corpus_pkg.FAMILIES)
    variants = {(f.family, f.variant) for f in corpus}
    for family in FAMILIES:
        for variant in ("original", "lo_resaved", "xls"):
            assert (family, variant) in variants, (family, variant)
    for variant in ("stacked", "offset", "text_amounts"):
        for copy in ("", "+lo_resaved", "+xls"):
            assert ("longgang2023", variant + copy) in variants
    assert ("yinchuan2021", "rate_blank+xls") in variants
    assert ("perfkit_template", "rows_inserted+xls") in variants
    assert ("perfkit_template", "rows_deleted") in variants
    for f in corpus:
        assert f.path.is_file(), f.path
        assert f.path.suffix == (".xls" if f.variant.endswith("xls") else ".xlsx")
        openpyxl_made = ("original", "stacked", "offset", "text_amounts", "rate_blank")
        assert f.made_by_libreoffice == (f.variant not in openpyxl_made)


def test_ground_truth_is_where_it_says(corpus):
    """Every cells address holds its value, in every copy (the heart of the corpus)."""
    problems = [p for f in corpus for p in readback.problems(f)]
    assert not problems, "\n".join(problems[:40])


def test_the_check_can_fail(corpus):
    f = _by_variant(corpus, "longgang2023", "xls")
    form = f.forms[0]
    moved = dataclasses.replace(form, cells={**form.cells, "exec.score": "G6"})
    assert readback.form_problems(f.path, moved)
    wrong = dataclasses.replace(form, total={**form.total, "score": 99.98})
    assert readback.form_problems(f.path, wrong)
    row = form.indicators[0]
    shifted = dataclasses.replace(row, cells={**row.cells, "score": "H15"})
    assert readback.form_problems(
        f.path, dataclasses.replace(form, indicators=(shifted, *form.indicators[1:]))
    )
    unmerged = dataclasses.replace(row, cells={**row.cells, "level2": "C15"})
    problems = readback.form_problems(
        f.path, dataclasses.replace(form, indicators=(form.indicators[1], unmerged))
    )
    assert problems


def test_titles_and_label_columns_are_merged(corpus):
    for f in corpus:
        for form in f.forms:
            sheet = readback.read_sheet(f.path, form.sheet)
            assert any(c2 - c1 >= 5 for _, c1, _, c2 in sheet.merged), (f.path, "title")
            level1 = {r.cells["level1"] for r in form.indicators}
            if (form.family, form.kind) in REPEATED_LABELS:
                assert len(level1) == len(form.indicators)  # labels typed on every row
            else:
                assert len(level1) < len(form.indicators), (f.path, "level1 merged")


def test_published_numbers_add_up(corpus):
    """The oracle is arithmetic a scorer can redo from the ground truth (DOMAIN §1.3–1.5)."""
    checked = 0
    for f in corpus:
        if f.variant != "original" and f.family != "longgang2023":
            continue
        for form in f.forms:
            problems = _arithmetic(form)
            assert not problems, (f.path.name, form.sheet, problems)
            checked += 1
    assert checked >= 14


def _d(value) -> Decimal:
    return Decimal(str(value))


def _arithmetic(form) -> list[str]:
    out = []
    o = form.oracle
    total = form.funds.get("total", {})
    budget = total.get("annual_budget", total.get("initial_budget"))
    weight = form.exec.get("weight", 10)
    if "exec_rate_pct" in o and budget and "executed" in total:
        rate = _d(total["executed"]) / _d(budget)
        if q2(rate * 100) != _d(o["exec_rate_pct"]):
            out.append(("exec_rate_pct", q2(rate * 100)))
        if "exec_score" in o and q2(min(rate, Decimal(1)) * _d(weight)) != _d(o["exec_score"]):
            out.append(("exec_score", q2(min(rate, Decimal(1)) * _d(weight))))
    if "score" in form.exec and _d(form.exec["score"]) != _d(o["exec_score"]):
        out.append(("printed exec score", form.exec["score"]))
    if "rate" in form.exec and q2(form.exec["rate"]) != _d(o["exec_rate_pct"]):
        out.append(("printed rate", form.exec["rate"]))
    parts = [k for k in form.funds if k != "total"]
    for column, value in total.items():
        values = [form.funds[k][column] for k in parts if column in form.funds[k]]
        if values and sum(map(_d, values)) != _d(value):
            out.append(("funds", column, value, values))
    rows = form.indicators
    scores = [r.score for r in rows]
    weights = [r.weight for r in rows]
    for r in rows:
        if r.score is not None and r.weight is not None and not 0 <= r.score <= r.weight:
            out.append(("score outside 0..weight", r.level3))
    if None not in scores:
        s = sum(map(_d, scores))
        for key in ("indicator_sum", "score_sum"):
            if key in o and s != _d(o[key]):
                out.append((key, s))
        for level1 in dict.fromkeys(r.level1 for r in rows):
            key = f"subtotal.{level1}"
            part = sum(_d(r.score) for r in rows if r.level1 == level1)
            if key in o and part != _d(o[key]):
                out.append((key, part))
        if "total" in o:
            if form.family == "municipal2080":
                # the rows are weighted to 100 and scaled to the block's 80 分
                expected = _d(o["exec_score"]) + q2(s * _d(form.part_weight) / _d(o["weight_sum"]))
            elif form.kind == "evaltable" or form.family == "yinchuan2021":
                expected = s  # the 预算执行率 is one of the rows
            else:
                expected = s + _d(o["exec_score"])
            if expected != _d(o["total"]):
                out.append(("total", expected))
    printed = form.total.get("score")
    if printed is not None and _d(printed) != _d(o.get("total", o.get("total_printed"))):
        out.append(("printed total", printed))
    if None not in weights:
        w = sum(map(_d, weights))
        declared = form.total.get("weight")
        if form.family == "municipal2080":
            w_expected = _d(o["weight_sum"])
        elif declared is not None:
            w_expected = _d(declared) - (
                0 if form.kind == "evaltable" or form.family == "yinchuan2021" else _d(weight)
            )
        else:
            w_expected = w
        if w != w_expected:
            out.append(("weights", w, w_expected))
        for level1, declared_w in form.level1_weights.items():
            part = sum(_d(r.weight) for r in rows if r.level1 == level1)
            if part != _d(declared_w):
                out.append(("level1 weight", level1, part))
        if form.part_weight is not None and form.family != "municipal2080":
            if w != _d(form.part_weight):
                out.append(("part weight", w))
    return out


def test_known_findings_use_perfkit_codes(corpus):
    seen = Counter()
    for f in corpus:
        for form in f.forms:
            for code, cell in form.known_findings:
                assert code in FINDING_CODES, code
                split(cell)
                seen[code] += 1
    assert seen["TOTAL_MISMATCH"] and seen["PROJECT_CODE_FORMAT"] and seen["ACTUAL_IS_CONSTRAINT"]
    table12 = _by_variant(corpus, "futian2021_table12", "xls").forms[0]
    assert table12.known_findings == (("TOTAL_MISMATCH", table12.cells["total.score"]),)


def test_offsets_and_stacked_forms_move_every_address(corpus):
    plain = _by_variant(corpus, "longgang2023", "original").forms[0]
    offset = _by_variant(corpus, "longgang2023", "offset+xls").forms[0]
    assert plain.cells["total.score"] == "H25" and offset.cells["total.score"] == "J28"
    assert offset.indicators[0].cells["level1"] == "D17"
    stacked = _by_variant(corpus, "longgang2023", "stacked").forms
    tops = [split(f.cells["head.project_code"])[0] for f in stacked]
    assert tops == [2, 29, 55] and len({f.sheet for f in stacked}) == 1


def test_text_amounts_stay_text_in_every_copy(corpus):
    for variant in ("text_amounts", "text_amounts+lo_resaved", "text_amounts+xls"):
        f = _by_variant(corpus, "longgang2023", variant)
        form = f.forms[0]
        cell = readback.read_sheet(f.path, form.sheet).get(form.cells["funds.total.executed"])
        assert cell == "1,937,189.02", (variant, cell)


def test_libreoffice_keeps_the_hidden_column_and_line_breaks(corpus, libreoffice, tmp_path):
    for variant in ("original", "lo_resaved"):
        f = _by_variant(corpus, "platform_export", variant)
        ws = openpyxl.load_workbook(f.path)[f.forms[0].sheet]
        assert ws.column_dimensions["H"].hidden, variant
        assert ws["H11"].value == "权重设定值"
    xls = _by_variant(corpus, "platform_export", "xls")
    back = tmp_path / "back.xlsx"
    libreoffice.convert(xls.path, back)
    assert openpyxl.load_workbook(back)[xls.forms[0].sheet].column_dimensions["H"].hidden
    shanghui = _by_variant(corpus, "longgang2023", "xls").forms[1]
    sheet = readback.read_sheet(_by_variant(corpus, "longgang2023", "xls").path, shanghui.sheet)
    assert sheet.get("G2") == "绩效自评\n年度:"


def test_rows_inserted_by_libreoffice_land_in_their_group(corpus):
    for variant in ("rows_inserted", "rows_inserted+xls"):
        f = _by_variant(corpus, "perfkit_template", variant)
        form = f.forms[0]
        quantity = [r for r in form.indicators if r.level2 == "数量指标"]
        assert len(quantity) == 4
        assert [split(r.cells["score"])[0] for r in quantity] == [14, 15, 16, 17]
        assert {r.cells["level2"] for r in quantity} == {"C14"}
        sheet = readback.read_sheet(f.path, form.sheet)
        assert sheet.merge_at("C14")[2] == 17  # the 数量指标 merge grew by the inserted row
        timely = next(r for r in form.indicators if r.level2 == "时效指标")
        assert sheet.merge_at(timely.cells["level2"])[2] - split(timely.cells["level2"])[0] == 1
        assert form.cells["total.score"] == "H44"  # one row in, one row out
        assert sum(r.weight for r in form.indicators if r.level1 == "产出指标") == 50
    deleted = _by_variant(corpus, "perfkit_template", "rows_deleted").forms[0]
    assert deleted.cells["total.score"] == "I43"
    assert deleted.known_findings[0] == ("RULE_SCORE_MISMATCH", "I13")


def test_mutations_change_exactly_one_cell(corpus_mutations):
    assert len(corpus_mutations) >= 12
    assert len({m.base.family for m in corpus_mutations}) >= 6
    kinds = {m.base.variant.split("+")[-1] for m in corpus_mutations}
    assert {"xls", "lo_resaved", "original"} <= kinds
    for m in corpus_mutations:
        assert m.code in FINDING_CODES, m.code
        assert m.path.suffix == m.base.path.suffix
        addresses = set()
        for form in (f for f in m.base.forms if f.sheet == m.sheet):  # stacked forms share one
            addresses |= set(form.cells.values())
            addresses |= {a for r in form.indicators for a in r.cells.values()}
        assert m.cell in addresses and m.at in addresses
        before = readback.Sheet(m.base.path, m.sheet).values
        after = readback.Sheet(m.path, m.sheet).values
        changed = {a for a in before.keys() | after.keys() if before.get(a) != after.get(a)}
        assert changed == {m.cell}, (m.path.name, changed)
        assert readback.matches("mutation", m.new_value, after[m.cell])
        others = [s for s in _sheet_names(m.base.path) if s != m.sheet]
        for name in others:
            assert readback.Sheet(m.base.path, name).values == readback.Sheet(m.path, name).values


def _sheet_names(path: Path) -> list[str]:
    from python_calamine import CalamineWorkbook

    return CalamineWorkbook.from_path(str(path)).sheet_names


def test_originals_are_deterministic(tmp_path):
    first = corpus_pkg.originals(tmp_path / "a")
    second = corpus_pkg.originals(tmp_path / "b")
    assert [f.path.relative_to(tmp_path / "a") for f in first] == [
        f.path.relative_to(tmp_path / "b") for f in second
    ]
    for a, b in zip(first, second, strict=True):
        assert a.path.read_bytes() == b.path.read_bytes(), a.path.name
        assert a.forms == b.forms
