"""The reader on a live workbook (issue 10 §1, "a live xlwings book"): the
macros hand it each sheet's values and formulas as two grids, as xlwings
returns them (a formula cell's value is its result), and no merged ranges.
Every example and every form of the corpus' originals is read as from the file:
the same values at the same cells."""

from __future__ import annotations

from pathlib import Path

import pytest

from perfkit.jsonio import form_to_dict
from perfkit.model import Formula
from perfkit.readers import forms_from_grids, read_forms
from perfkit.readers.cells import open_book

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def live_grids(path: Path) -> tuple[dict, dict]:
    """(values, formulas) as ``macros.validation.read_grids`` gets them from Excel."""
    values, formulas = {}, {}
    with open_book(str(path)) as book:
        for name in book.sheet_names:
            sheet = book.sheet(name)
            rows = [
                [v.cached if isinstance(v, Formula) else v for v in row] for row in sheet.values
            ]
            texts = [[None] * len(row) for row in rows]
            for (r, c), text in sheet.formulas.items():
                if r < len(texts) and c < len(texts[r]):
                    texts[r][c] = text
            values[name], formulas[name] = rows, texts
    return values, formulas


def locations(form) -> dict:
    out = {f"head.{k}": (v.sheet, v.cell) for k, v in form.locs.items()}
    for i, ind in enumerate(form.indicators):
        for k, v in ind.locs.items():
            out[f"row{i}.{k}"] = (v.sheet, v.cell)
    return out


def same_as_file(path: Path) -> list[str]:
    values, formulas = live_grids(path)
    live = forms_from_grids(values, formulas, source=str(path))
    files = read_forms(path)
    if len(live) != len(files):
        return [f"{len(live)} forms, not {len(files)}"]
    out = []
    for a, b in zip(files, live, strict=True):
        da, db = form_to_dict(a), form_to_dict(b)
        out += [f"{a.sheet} {k}: {da[k]!r} / {db.get(k)!r}" for k in da if da[k] != db.get(k)]
        la, lb = locations(a), locations(b)
        out += [f"{a.sheet} {k} at {la[k]} / {lb.get(k)}" for k in la if la[k] != lb.get(k)]
    return out


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.xlsx")), ids=lambda p: p.stem)
def test_examples_read_from_a_live_book(path):
    assert same_as_file(path) == []


def test_templates_grade_cell_from_a_live_book():
    """绩效等级's label is merged over several columns: without the merge the
    value is still found at its cell, not in the blank cell next to the label."""
    path = EXAMPLES / "longgang2023_shanghui.xlsx"
    values, formulas = live_grids(path)
    (live,) = forms_from_grids(values, formulas, source=str(path))
    (form,) = read_forms(path)
    assert live.locs["grade"] == form.locs["grade"]
    assert live.grade == form.grade and form.grade.cached == "优"


def test_corpus_read_from_a_live_book(corpus):
    bad = {}
    for file in corpus:
        if file.variant != "original":
            continue
        found = same_as_file(file.path)
        if found:
            bad[f"{file.family}/{file.path.name}"] = found[:5]
    assert bad == {}


def test_template_names_are_the_fast_path(tmp_path):
    """A value that reads like a label (a project called 实际完成情况) is read at
    the cell the template's PK_* name gives, from the file and from a live book."""
    import json

    import openpyxl

    from perfkit.writers.fill import fill

    data = json.loads((EXAMPLES / "longgang2023_falv.json").read_text(encoding="utf-8"))
    data["project_name"] = "实际完成情况"
    path = fill(data, tmp_path / "f.xlsx")
    assert read_forms(path)[0].project_name == "实际完成情况"
    names = {
        name: item.attr_text for name, item in openpyxl.load_workbook(path).defined_names.items()
    }
    values, formulas = live_grids(path)
    (live,) = forms_from_grids(values, formulas, source=str(path), defined_names=names)
    assert live.project_name == "实际完成情况"
    assert live.locs["project_name"] == read_forms(path)[0].locs["project_name"]
