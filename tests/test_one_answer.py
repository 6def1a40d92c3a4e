"""One answer per row (issue 11): for every row of every example and of every
distinct corpus form, under each profile, the template's formula (computed by
the ``formulas`` engine with perfkit's UDFs registered) = what the validator
expects = what the summary counts = what the frozen copy shows (computed by
the engine again, without UDFs).  Then the five cases the issue was filed with.

A form is put into perfkit's template with every score left to its formula
(what ``adopt`` does for the rows it can), under each profile in turn; the
file is read back with the engine's results as the cells' values, assessed,
validated and summarised."""

from __future__ import annotations

import copy
import json
from decimal import Decimal
from pathlib import Path

import pytest

from perfkit import profiles
from perfkit.assess import DIFFERENCE_CODES, assess
from perfkit.jsonio import form_to_dict
from perfkit.model import Formula
from perfkit.readers import read_form, read_forms
from perfkit.scoring import ScoreState
from perfkit.summary import summarize_form
from perfkit.validate import validate_form
from perfkit.writers.fill import fill
from perfkit.writers.freeze import freeze
from tests.conftest import _KEY, _cell_arg, errors_in, evaluate, register_udfs
from tests.test_report import published_table, seed_004_table

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
PROFILES = profiles.available()
CENT = Decimal("0.005")


def left_to_formulas(form, profile: str):
    """*form* with every score, the execution cells, the total and the grade
    left to the template's formulas, under *profile*."""
    new = copy.deepcopy(form)
    for ind in new.indicators:
        ind.score = None
    for name in ("exec_rate", "exec_score", "total", "total_weight", "grade"):
        if hasattr(new, name):
            setattr(new, name, None)
    new.profile = profile
    return new


def number(value) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return None
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)


def engine_form(path: Path, values: dict):
    """The form at *path* read back with the engine's results as the values
    of its formula cells (what Excel shows after a recalculation)."""
    (form,) = read_forms(path)

    def put(obj, name):
        raw = getattr(obj, name, None)
        loc = obj.locs.get(name)
        if isinstance(raw, Formula) and loc is not None:
            setattr(obj, name, Formula(raw.text, values.get((loc.sheet.upper(), loc.cell))))

    for ind in form.indicators:
        put(ind, "score")
    for name in ("exec_rate", "exec_score", "total", "grade"):
        put(form, name)
    return form


def distinct_forms(corpus) -> list:
    """The corpus' forms, once each (a file's copies — re-saved, .xls, offset —
    read into the same form)."""
    seen: dict[str, object] = {}
    for file in corpus:
        for form in read_forms(file.path):
            if not [i for i in form.indicators if not i.is_blank()]:
                continue
            data = form_to_dict(left_to_formulas(form, "mof2020"))
            for key in ("source", "sheet"):
                data.pop(key, None)
            seen.setdefault(json.dumps(data, sort_keys=True, ensure_ascii=False, default=str), form)
    return list(seen.values())


def evaluate_under(path: Path, names: list[str]) -> dict[str, dict]:
    """The engine's results for the workbook at *path* under each profile of
    *names* (the settings cell PK_PROFILE set as an input; loaded once)."""
    import formulas

    from perfkit.layout import SETTINGS, SETTINGS_SHEET, a1

    register_udfs()
    model = formulas.ExcelModel().loads(str(path)).finish()
    row, col = SETTINGS["profile"]
    key = f"'[{path.name}]{SETTINGS_SHEET}'!{a1(row, col)}"
    out = {}
    for name in names:
        solution = model.calculate(inputs={key: name})
        out[name] = values_of(solution)
    return out


def values_of(solution) -> dict[tuple[str, str], object]:
    out = {}
    for key, ranges in solution.items():
        m = _KEY.match(key.upper())
        if not m:
            continue
        value = getattr(ranges, "value", ranges)
        try:
            value = value[0][0]
        except (TypeError, IndexError, KeyError):
            pass
        out[(m.group("sheet"), m.group("cell"))] = _cell_arg(value)
    return out


def check_one_answer(form, names: list[str], tmp_path: Path) -> dict[str, list[str]]:
    """Disagreements, per profile, between the engine, the validator, the
    summary and the frozen copy for *form* (empty: one answer)."""
    template = fill(left_to_formulas(form, names[0]), tmp_path / "template.xlsx")
    by_profile = evaluate_under(template, names)
    bad = {}
    for profile in names:
        found = _check(form, profile, template, by_profile[profile], tmp_path / profile)
        if found:
            bad[profile] = found
    return bad


def _check(form, profile: str, template: Path, values: dict, where: Path) -> list[str]:
    out: list[str] = []
    if errors_in(values):
        return [f"engine errors {errors_in(values)}"]
    got = engine_form(template, values)
    a = assess(got, profile)
    for r in a.rows:
        loc = r.ind.locs.get("score")
        cell = values.get((loc.sheet.upper(), loc.cell))
        want = r.score.value if r.score is not None else None
        if r.na or r.score is None:
            continue
        if want is None:  # no score: the cell says why, the total does not count it
            if number(cell) is not None:
                out.append(f"{loc.cell} {r.label}: engine {cell}, rules give none ({r.state})")
            if r.counted is not None:
                out.append(f"{loc.cell} {r.label}: no score but counted {r.counted}")
            continue
        if number(cell) is None or abs(number(cell) - want) > CENT:
            out.append(f"{loc.cell} {r.label}: engine {cell!r}, rules {want} ({r.state})")
        if r.counted is None or abs(r.counted - want) > CENT:
            out.append(f"{loc.cell} {r.label}: counted {r.counted}, rules {want}")
    findings = validate_form(got, profile, assessment=a)
    differ = [f"{f.code} {f.cell}" for f in findings if f.code in DIFFERENCE_CODES]
    if differ:
        out.append(f"validator: {differ}")
    row = summarize_form(got, profile, findings, assessment=a)
    total_key = (got.locs["total"].sheet.upper(), got.locs["total"].cell)
    engine_total = number(values.get(total_key))
    recomputed = None if row["total"] is None else Decimal(repr(row["total"]))
    if (engine_total is None) != (recomputed is None) or (
        engine_total is not None and abs(engine_total - recomputed) > CENT
    ):
        out.append(f"total: engine {values.get(total_key)!r}, summary {recomputed}")
    if recomputed is None and not a.missing:
        out.append("no recomputed total, but no row is missing")
    # the frozen copy of the form filled under this profile, computed again
    where.mkdir(parents=True, exist_ok=True)
    own = fill(left_to_formulas(form, profile), where / "form.xlsx")
    frozen = evaluate(freeze(own, where / "定稿.xlsx"))
    if errors_in(frozen):
        out.append(f"frozen errors {errors_in(frozen)}")
    keys = [total_key] + [
        (i.locs["score"].sheet.upper(), i.locs["score"].cell)
        for i in got.indicators
        if not i.is_blank() and "score" in i.locs
    ]
    for key in keys:
        x, y = values.get(key), frozen.get(key)
        if number(x) is None and number(y) is None:
            continue
        if number(x) is None or number(y) is None or abs(number(x) - number(y)) > CENT:
            out.append(f"frozen {key[1]}: {y!r}, template {x!r}")
    return out


EXAMPLE_FILES = sorted(EXAMPLES.glob("*.xlsx"))


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.stem)
def test_examples_one_answer(path, tmp_path):
    (form,) = read_forms(path)
    assert check_one_answer(form, PROFILES, tmp_path) == {}


def test_corpus_one_answer(corpus, tmp_path):
    """Every distinct form of the corpus' originals (its re-saved, .xls and
    moved copies read into the same forms: tests/test_readers_corpus.py)."""
    forms = distinct_forms([f for f in corpus if f.variant == "original"])
    assert len(forms) >= 15 and len({f.layout.kind for f in forms if f.layout}) >= 2
    bad = {}
    for i, form in enumerate(forms):
        found = check_one_answer(form, PROFILES, tmp_path / str(i))
        for profile, problems in found.items():
            bad[f"{Path(form.source).name}/{form.sheet} {profile}"] = problems[:4]
    assert bad == {}


# --------------------------------------------------------------------------
# the five cases of the issue
# --------------------------------------------------------------------------


def test_futian_table_as_submitted_and_recomputed():
    """The bundled 福田 评分表: 96.97 as submitted beside 96.91 recomputed; the
    evaluator's 3 for 辖区群众满意度 (酌情扣3分) stands, never 6/6."""
    form = read_form(EXAMPLES / "futian2021_evaltable.xlsx")
    a = assess(form)
    row = summarize_form(form, assessment=a)
    assert row["form_total"] == 96.97 and row["total"] == 96.91 and row["difference"] == 0.06
    satisfaction = next(r for r in a.rows if r.ind.level3 == "辖区群众满意度")
    assert satisfaction.state is ScoreState.UNDERIVABLE and satisfaction.counted == 3
    assert row["benefit"] == 27
    found = {(f.code, f.severity) for f in validate_form(form) if f.cell == "I26"}
    assert ("RULE_NOT_DERIVABLE", "info") in found


def test_execution_row_left_to_its_formula(tmp_path):
    """预算执行率 left to =PERF_RULE with the actual blank: the cell computes
    2.91 from the header amounts, and the template, its frozen copy and the
    summary all total 96.91."""
    table = seed_004_table()
    assert next(i for i in table.indicators if i.level3 == "预算执行率").score is None
    path = fill(table, tmp_path / "t.xlsx")
    values = evaluate(path)
    form = engine_form(path, values)
    exec_loc = next(i for i in form.indicators if i.level3 == "预算执行率").locs["score"]
    assert values[("评分表", exec_loc.cell)] == pytest.approx(2.91)
    total = form.locs["total"].cell
    assert values[("评分表", total)] == pytest.approx(96.91)
    assert summarize_form(form)["total"] == 96.91
    frozen = evaluate(freeze(path, tmp_path / "f.xlsx"))
    assert frozen[("评分表", total)] == pytest.approx(96.91)


def test_renamed_execution_row_is_still_the_execution_row():
    """资金执行率 instead of 预算执行率: the summary and the validator both give
    2.91 against the typed 2.97."""
    table = published_table()
    row = next(i for i in table.indicators if i.level3 == "预算执行率")
    row.level3 = "资金执行率"
    a = assess(table)
    result = a.row_of(row)
    assert result.exec_row and result.counted == Decimal("2.91")
    assert summarize_form(table, assessment=a)["total"] == 96.91
    mismatches = [f for f in validate_form(table, assessment=a) if f.code == "SCORE_MISMATCH"]
    assert len(mismatches) == 1 and "2.91" in mismatches[0].message


def test_checklist_rule_with_partly_done_actual():
    """A checklist rule with the actual 部分完成: the cell, the summary and the
    validator give the 部分达成 band's score, none says it cannot be derived."""
    from perfkit.cellfuncs import perf_rule

    table = seed_004_table()
    row = next(i for i in table.indicators if i.level3 == "立项依据充分性")
    row.rule = "①项目立项符合国家法律法规得1分；②符合发展规划得1分；③与部门职责相符得1分"
    row.actual = "部分完成"
    row.score = None
    a = assess(table)
    result = a.row_of(row)
    assert result.state is ScoreState.BAND
    cell = perf_rule(row.rule, row.actual, row.weight, row.benchmark, row.level3)
    assert Decimal(repr(cell)) == result.counted == result.score.value
    codes = {f.code for f in validate_form(table, assessment=a) if f.cell == row.locs.get("score")}
    assert "RULE_NOT_DERIVABLE" not in codes


@pytest.mark.parametrize(
    ("target", "actual", "state"),
    [
        ("≥90%", "满意度较低", ScoreState.BAND),
        ("≥8次", "待统计", ScoreState.NOT_MEASURED),
        ("≥95%", "暂无数据", ScoreState.NOT_MEASURED),
    ],
)
def test_not_met_or_not_measured_is_never_full_marks(target, actual, state, tmp_path):
    from perfkit.cellfuncs import perf_score

    cell = perf_score(target, actual, 10)
    if state is ScoreState.BAND:  # 未达成: the lowest band
        assert isinstance(cell, float) and cell < 6
    else:  # a short Chinese message, no number
        assert isinstance(cell, str) and "未计分" in cell and "Error" not in cell
    data = json.loads((EXAMPLES / "longgang2023_falv.json").read_text(encoding="utf-8"))
    data["indicators"][0].update(target=target, actual=actual, score=None, weight=10)
    path = fill(data, tmp_path / "f.xlsx")
    values = evaluate(path)
    form = engine_form(path, values)
    a = assess(form)
    first = a.rows[0]
    assert first.state is state
    score_cell = first.ind.locs["score"].cell
    findings = validate_form(form, assessment=a)
    total = values[("自评表", form.locs["total"].cell)]
    if state is ScoreState.NOT_MEASURED:
        assert a.recomputed is None and first in a.missing
        assert ("SCORE_NOT_MEASURED", score_cell) in {(f.code, f.cell) for f in findings}
        assert isinstance(total, str) and first.ind.level3[:6] in total  # says which row
        assert summarize_form(form, assessment=a)["note"].startswith("无法复算")
    else:
        assert number(total) is not None and number(total) < 100


def test_perf_total_leaves_not_applicable_rows_out():
    from perfkit.cellfuncs import perf_total

    assert perf_total([10, "不适用", 20, None]) == 30
