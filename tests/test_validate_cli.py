"""``perfkit validate``: exit codes, JSON, marked copies, the bad-input corpus."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from perfkit.cli import main
from tests.badfiles.make_corpus import CASES, build

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def _example(name: str) -> Path:
    path = EXAMPLES / name
    assert path.exists(), f"example {name} is missing: run python examples/build_examples.py"
    return path


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> dict[str, Path]:
    _example("longgang2023_falv.xlsx")
    return build(tmp_path_factory.mktemp("badfiles"))


def _digest(paths) -> dict[str, str]:
    return {str(p): hashlib.sha256(Path(p).read_bytes()).hexdigest() for p in paths}


def run_json(capsys, *args) -> tuple[int, dict, str]:
    code = main(["validate", "--format", "json", "--no-progress", *map(str, args)])
    out, err = capsys.readouterr()
    return code, json.loads(out), err


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_bad_file(corpus, capsys, name):
    path = corpus[name]
    _, words, expected = CASES[name]
    before = _digest([path])
    code = main(["validate", str(path)])
    out, err = capsys.readouterr()
    assert code == expected
    if expected == 2:
        assert str(path) in err  # the message names the file
        for word in words:
            assert word in err
        assert "Traceback" not in err
    else:
        for word in words:
            assert word in out
    assert _digest([path]) == before


def test_text_and_error_cells_are_findings(corpus, capsys):
    code, data, _ = run_json(capsys, corpus["text_in_numbers.xlsx"], corpus["div0.xlsx"])
    assert code == 1
    got = {
        (Path(f["file"]).name, f["code"], f["cell"])
        for f in data["findings"]
        if f["severity"] == "error"
    }
    assert ("text_in_numbers.xlsx", "NOT_A_NUMBER", "E6") in got
    assert ("div0.xlsx", "FORMULA_ERROR", "G6") in got


def test_whole_corpus_with_good_files(corpus, capsys, tmp_path):
    good = tmp_path / "good"
    shutil.copytree(EXAMPLES, good, ignore=shutil.ignore_patterns("*.json", "*.py"))
    inputs = [*corpus.values(), *good.rglob("*.xlsx")]
    before = _digest(inputs)
    out_dir = tmp_path / "marked"
    code, data, _ = run_json(capsys, corpus["empty.xlsx"].parent, good, "--out", out_dir)
    assert code == 2  # some inputs could not be read
    unreadable = {Path(u["file"]).name for u in data["unreadable"]}
    assert unreadable == {n for n, (_, _, c) in CASES.items() if c == 2}  # .xls are forms too
    # the readable files were still checked
    files = {Path(f["file"]).name for f in data["findings"]}
    assert {"futian2021_evaltable.xlsx", "longgang2023_falv.xlsx", "div0.xlsx"} <= files
    # nothing written over; marked copies only for readable files, in --out
    assert _digest(inputs) == before
    marked = sorted(p.name for p in out_dir.rglob("*.xlsx"))
    assert "longgang2023_falv_校验.xlsx" in marked
    assert not any(n.startswith(("empty", "corrupt", "zipbomb")) for n in marked)
    keys = set(data["findings"][0])
    assert keys == {"file", "form", "project", "sheet", "cell", "code", "severity", "message"}


def test_exit_codes_for_clean_and_wrong_forms(capsys):
    assert main(["validate", str(_example("longgang2023_dangjian.xlsx"))]) == 0  # warnings only
    assert main(["validate", str(_example("futian2021_evaltable.xlsx"))]) == 1
    capsys.readouterr()
    assert main(["validate", "/no/such/file.xlsx"]) == 2
    assert "不存在" in capsys.readouterr().err


def test_profile_option(capsys):
    path = _example("longgang2023_dangjian.xlsx")
    code, data, _ = run_json(capsys, path, "--profile", "futian2021")
    # 福田's execution weight is 3: the 10-point row is flagged (a warning)
    assert code == 0
    assert ("EXEC_WEIGHT_PROFILE", "F6") in {(f["code"], f["cell"]) for f in data["findings"]}
    code, data, _ = run_json(capsys, path)
    assert "EXEC_WEIGHT_PROFILE" not in {f["code"] for f in data["findings"]}
    assert main(["validate", str(path), "--profile", "nosuch"]) == 2


def test_marked_copy_has_fill_note_and_results(tmp_path, capsys):
    import openpyxl

    src = tmp_path / "in" / "f.xlsx"
    src.parent.mkdir()
    shutil.copy(_example("futian2021_evaltable.xlsx"), src)
    before = _digest([src])
    assert main(["validate", str(src), "--out", str(tmp_path / "out")]) == 1
    capsys.readouterr()
    assert _digest([src]) == before
    from perfkit.readers import read_form

    row = next(i for i in read_form(src).indicators if i.level3 == "预算执行率")
    cell = row.locs["score"].cell
    wb = openpyxl.load_workbook(tmp_path / "out" / "f_校验.xlsx")
    ws = wb["评分表"]
    from perfkit.validate import SEVERITY_COLORS
    from perfkit.validate.marking import hex_color

    assert ws[cell].fill.fgColor.rgb.endswith(hex_color(SEVERITY_COLORS["error"]))
    assert "RULE_SCORE_MISMATCH" in ws[cell].comment.text
    res = wb["校验结果"]
    assert [c.value for c in res[1]] == ["严重程度", "代码", "位置", "说明"]
    codes = {res.cell(row=r, column=2).value for r in range(2, res.max_row + 1)}
    assert "RULE_SCORE_MISMATCH" in codes
    assert res.cell(row=2, column=3).value.startswith('=HYPERLINK("#')


def test_progress_bar_for_many_files(tmp_path, capsys):
    src = _example("longgang2023_falv.xlsx")
    for i in range(6):
        shutil.copy(src, tmp_path / f"f{i}.xlsx")
    assert main(["validate", str(tmp_path)]) == 0
    err = capsys.readouterr().err
    assert "校验" in err and "/6" in err  # tqdm redraws by time: the last frame may be skipped


def test_table_output_lists_cells(capsys):
    from perfkit.readers import read_form

    path = _example("longgang2023_shanghui.xlsx")
    row = next(i for i in read_form(path).indicators if i.level2 == "服务对象满意度指标")
    main(["validate", str(path)])
    out = capsys.readouterr().out
    assert f"自评表!{row.locs['actual'].cell}" in out and "SATISFACTION_NO_PERCENT" in out
    assert "共 1 个文件" in out
