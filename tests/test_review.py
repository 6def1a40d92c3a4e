"""``perfkit review`` (issue 13 §3): risk ranking, sampling, 复核工作底稿, 整改通知.

The forms are the examples and copies of 龙岗 党建事务 (seed 000, 98.87 %,
99.89) built from its JSON the way the examples are, each with one change at a
known cell: executed lowered to 85 % with the indicators still 90/90 (分数虚高),
a budget of 0 with a typed execution score, a placeholder target with a typed
score, and typed mistakes (执行率 100, 执行率得分 10, an indicator 8 of 10, 总分 99).
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
import shutil
import zipfile
from decimal import Decimal as D
from pathlib import Path
from urllib.parse import unquote

import openpyxl
import pytest

from perfkit import review
from perfkit.cli import main
from perfkit.outputs import ALWAYS_SKIPPED, REVIEW, output_info, output_kind
from perfkit.readers import read_forms
from perfkit.writers.fill import fill

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
COMPARE_CODES = (
    "SCORE_MISMATCH",
    "RULE_SCORE_MISMATCH",
    "EXEC_SCORE_MISMATCH",
    "EXEC_RATE_MISMATCH",
    "TOTAL_MISMATCH",
    "ROUNDING_DIFF",
)


def _data(name: str) -> dict:
    return json.loads((EXAMPLES / f"{name}.json").read_text(encoding="utf-8"))


def _inflated(d: dict) -> None:
    for key in ("total", "fiscal"):  # 1959300 × 85 % = 1665405
        d["funds"][key]["executed"] = 1665405


def _zero_budget(d: dict) -> None:
    for key in ("total", "fiscal"):
        d["funds"][key]["annual_budget"] = 0
        d["funds"][key]["executed"] = 0
    d["exec_score"] = 10  # typed over the formula, which gives nothing for a budget of 0


def _placeholder(d: dict) -> None:
    d["indicators"][0]["target"] = "≥**家"
    d["indicators"][0]["score"] = 10


def _typos(d: dict) -> None:
    d["exec_rate"] = 100  # 98.87
    d["exec_score"] = 10  # 9.89
    d["indicators"][0]["score"] = 8  # ≥2家, 2家: 10
    d["indicators"][0]["deviation_reason"] = "统计口径调整"
    d["total"] = 99  # Σ 88 + 10 = 98


MUTANTS = {
    "inflated": _inflated,
    "zero_budget": _zero_budget,
    "placeholder": _placeholder,
    "typos": _typos,
}
MUTANT_NUMBERS = {name: i for i, name in enumerate(MUTANTS)}
# the finding each change makes, at its cell (党建事务: 资金 row 6, first indicator row 14, 总分 H25)
EXPECTED = {
    "inflated": ("SCORE_INFLATED", "H25"),
    "zero_budget": ("BUDGET_ZERO", "D6"),
    "placeholder": ("TARGET_PLACEHOLDER", "E14"),
}


def make_forms(folder: Path, mutants=tuple(MUTANTS), originals=True) -> dict[str, Path]:
    """The mutated copies of 党建事务 (and the five examples) in *folder*."""
    folder.mkdir(parents=True, exist_ok=True)
    out = {}
    for name in mutants:
        data = copy.deepcopy(_data("longgang2023_dangjian"))
        MUTANTS[name](data)
        data["project_name"] = f"党建事务（{name}）"
        # a project of its own (the same code would make it PROJECT_REPEATED of 党建事务)
        data["project_code"] = f"44030721070150000{9000 + MUTANT_NUMBERS[name]}"
        out[name] = fill(data, folder / f"dangjian_{name}.xlsx")
    if originals:
        for path in sorted(EXAMPLES.glob("*.xlsx")):
            out[path.stem] = Path(shutil.copy(path, folder / path.name))
    return out


@pytest.fixture(scope="module")
def batch_dir(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("review") / "forms"
    make_forms(folder)
    return folder


@pytest.fixture(scope="module")
def reviewed(batch_dir, tmp_path_factory):
    out = tmp_path_factory.mktemp("review-out") / "复核"
    result = review.run([batch_dir], out, sample="4", seed=13, jobs=1, progress=False)
    return result


def _by_project(result) -> dict[str, review.Reviewed]:
    return {r.project: r for r in result.ranked}


def hashes(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


# --------------------------------------------------------------------------
# ranking
# --------------------------------------------------------------------------


def test_the_mutated_forms_rank_first(reviewed):
    top = [r.project for r in reviewed.ranked[:4]]
    assert set(top) == {f"党建事务（{name}）" for name in MUTANTS}
    # the three clean 龙岗 forms (one warning each) come after every mutant
    clean = [
        r for r in reviewed.ranked if r.project in ("党建事务", "商会组织建设", "法律顾问服务经费")
    ]
    assert min(r.rank for r in clean) > 4 and all(r.risk.total == 2 for r in clean)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_mutant_is_found_at_its_cell_and_said_in_words(reviewed, name):
    r = _by_project(reviewed)[f"党建事务（{name}）"]
    code, cell = EXPECTED[name]
    where = [(f[2], f[1]) for f in r.workpaper_data().findings]
    assert (code, f"自评表!{cell}") in where
    text = r.risk.text
    if name == "inflated":
        assert r.inflation == D("15.00") and r.risk.inflation == 20  # 2 × 15, capped at 20
        assert "分数虚高 15%" in text and "执行率 85%" in text
    elif name == "zero_budget":
        # 100 claimed, the rules support 90 of the indicators and nothing of the execution score
        assert (r.claimed, r.supported, r.excess) == (D(100), D(90), D(10))
        assert "执行率得分 10 无依据" in text and r.risk.excess == 30
    else:
        assert (r.claimed, r.supported, r.excess) == (D("99.89"), D("89.89"), D(10))
        assert "“≥**家”" in text and "得分 10 无依据" in text


def test_risk_is_the_documented_sum(reviewed):
    for r in reviewed.ranked:
        k = r.risk
        assert k.total == k.findings + k.excess + k.inflation + k.explain
        assert 0 <= k.total <= 100
        assert k.findings <= 40 and k.excess <= 30 and k.inflation <= 20 and k.explain <= 10
    ranks = [(r.risk.total, r.rank) for r in reviewed.ranked]
    assert ranks == sorted(ranks, key=lambda t: (-t[0], t[1]))


def test_inflated_weighs_more_under_the_platform_profile(batch_dir, tmp_path):
    default = review.run([batch_dir], tmp_path / "a", sample="0", seed=1, jobs=1, progress=False)
    platform = review.run(
        [batch_dir], tmp_path / "b", sample="0", seed=1, jobs=1, progress=False, profile="platform"
    )
    a = _by_project(default)["党建事务（inflated）"]
    b = _by_project(platform)["党建事务（inflated）"]
    assert b.risk.findings - a.risk.findings == 6  # SCORE_INFLATED: a warning (2), an error (8)


def test_risk_of_counts_a_code_at_most_three_times_and_caps():
    from perfkit.validate import Finding

    f = [Finding("REQUIRED_EMPTY", "warning", "s", f"F{i}", "空") for i in range(10)]
    f += [Finding(f"CODE{i}", "error", "s", "A1", "错") for i in range(10)]
    f += [Finding("DEVIATION_REASON_MISSING", "warning", "s", f"I{i}", "缺") for i in range(5)]
    sup = review.Support(D(100), D(80), D(20), ["x"])
    k = review.risk_of(f, sup)
    assert k.findings == 40  # 2 × 3 + 8 × 10 = 86, capped
    assert k.excess == 30  # 3 × 20 = 60, capped
    assert k.explain == 10  # 3 × 5 = 15, capped; not counted among the warnings
    assert review.risk_of(f[:10], review.Support(D(90), D(90), D(0))).findings == 6
    assert review.risk_of([], review.Support(None, None, None)).text == "未发现问题"


def test_inflation_points_are_twice_the_percentage_points_above_the_threshold():
    from perfkit.validate.platform import Inflation

    none = review.Support(D(90), D(90), D(0))
    at = Inflation(D(90), D(90), D("0.95"), D("0.05"), D("0.05"))  # 5 %: not above
    six = Inflation(D(90), D(90), D("0.94"), D("0.06"), D("0.05"))
    many = Inflation(D(90), D(90), D("0.5"), D("0.5"), D("0.05"))
    assert review.risk_of([], none, at).inflation == 0
    assert review.risk_of([], none, six).inflation == 12
    assert review.risk_of([], none, many).inflation == 20
    assert "分数虚高 6%" in review.risk_of([], none, six).text


def _support_forms(corpus=None):
    paths = sorted(EXAMPLES.glob("*.xlsx"))
    if corpus:
        paths += [f.path for f in corpus]
    for path in paths:
        yield from read_forms(path)


def test_supported_is_the_recomputed_total_when_every_row_counts():
    """Without placeholders, unmeasured rows or a score without a budget, 可支持总分 =
    复算总分 (review.support adds the rows as assess does)."""
    from perfkit.assess import assess
    from perfkit.validate.platform import placeholder_rows, unsupported_exec

    checked = 0
    for form in _support_forms():
        a = assess(form)
        if placeholder_rows(a) or unsupported_exec(a) is not None or a.missing:
            continue
        assert review.support(a).supported == a.recomputed, form.source
        checked += 1
    assert checked == 5


# --------------------------------------------------------------------------
# sampling
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("spec", "total", "n"),
    [
        ("10%", 9, 1),
        ("10%", 25, 3),
        ("100%", 7, 7),
        ("4", 9, 4),
        ("40", 9, 9),
        ("0", 9, 0),
        (None, 30, 3),
    ],
)
def test_sample_size(spec, total, n):
    assert review.sample_size(spec, total) == n


@pytest.mark.parametrize("spec", ["abc", "-3", "2.5", "150%", "10 %x"])
def test_bad_sample_is_a_usage_error(spec):
    from perfkit.errors import UsageError

    with pytest.raises(UsageError) as err:
        review.sample_size(spec, 10)
    assert "--sample" in str(err.value)


def test_sampling_takes_the_riskiest_half_then_draws(reviewed):
    assert len(reviewed.riskiest) == 2 and len(reviewed.drawn) == 2  # --sample 4
    assert [r.rank for r in reviewed.riskiest] == [1, 2]
    assert all(r.rank > 2 for r in reviewed.drawn)
    assert {r.sampled for r in reviewed.riskiest} == {review.RISKIEST}
    assert {r.sampled for r in reviewed.drawn} == {review.RANDOM}
    unsampled = [r for r in reviewed.ranked if r not in reviewed.sampled]
    assert all(not r.sampled and not r.workpaper for r in unsampled)


@pytest.fixture(scope="module")
def many(tmp_path_factory) -> Path:
    """Twenty forms: the examples four times over, in four folders."""
    root = tmp_path_factory.mktemp("many") / "forms"
    for i in range(4):
        sub = root / f"单位{i}"
        sub.mkdir(parents=True)
        for path in sorted(EXAMPLES.glob("*.xlsx")):
            shutil.copy(path, sub / path.name)
    return root


def _sample(paths, seed, tmp_path, n="6", name="o"):
    result = review.run(
        paths, tmp_path / name, sample=n, seed=seed, jobs=1, progress=False, letters=False
    )
    return [(r.key, r.sheet) for r in result.sampled], result


def test_the_same_seed_gives_the_same_sample(many, tmp_path):
    first, r1 = _sample([many], 2024, tmp_path, name="a")
    second, _ = _sample([many], 2024, tmp_path, name="b")
    assert first == second and len(first) == 6
    # … whatever the order the files are named in
    files = sorted(many.rglob("*.xlsx"), reverse=True)
    third, _ = _sample(files, 2024, tmp_path, name="c")
    assert third == first
    assert r1.seed == 2024 and r1.seed_given


def test_other_seeds_draw_other_forms(many, tmp_path):
    draws = {tuple(_sample([many], seed, tmp_path, name=f"s{seed}")[0]) for seed in range(1, 6)}
    assert len(draws) > 1
    riskiest = {tuple(d[:3]) for d in draws}
    assert len(riskiest) == 1  # the riskiest half does not depend on the seed


def test_the_draw_is_sha256_of_seed_path_and_sheet():
    r = review.Reviewed("x/a.xlsx", "x/a.xlsx", "自评表")
    assert review.draw_number(7, r) == hashlib.sha256("7\nx/a.xlsx\n自评表\n0".encode()).hexdigest()


def test_without_seed_one_is_chosen_and_printed(batch_dir, tmp_path, capsys):
    code = main(
        ["review", str(batch_dir), "-o", str(tmp_path / "o"), "--no-progress", "--sample", "2"]
    )
    err = capsys.readouterr().err
    m = re.search(r"随机种子 (\d+)（未指定 --seed；加 --seed \1 可复现同一抽样）", err)
    assert code == 1 and m, err
    book = openpyxl.load_workbook(tmp_path / "o" / review.LIST_NAME)
    notes = {row[0]: row[1] for row in book["抽样说明"].iter_rows(values_only=True)}
    assert notes["随机种子"].startswith(m.group(1)) and "本次随机生成" in notes["随机种子"]


# --------------------------------------------------------------------------
# the workpaper against the validator
# --------------------------------------------------------------------------

_EXPECTED = re.compile(r"应为 (-?[\d.]+)（")
_SHOWN = re.compile(r"表中为 (-?[\d.]+)，相差 (-?[\d.]+)")


def _compare_findings(paper):
    for line in paper.checks + paper.manual:
        for code, message in zip(line.codes, line.messages, strict=True):
            if code in COMPARE_CODES:
                yield line, code, message


def check_workpaper_matches_findings(r) -> int:
    """Every finding that compares a cell with the rules holds the same three
    figures as the workpaper line of its cell; every difference the workpaper
    shows on a line the rules judge has such a finding.  Returns the number compared."""
    paper = r.workpaper_data()
    n = 0
    for line, _code, message in _compare_findings(paper):
        expected = D(_EXPECTED.search(message).group(1))
        shown, diff = (D(x) for x in _SHOWN.search(message).groups())
        assert line.expected == expected, (r.file, line.item, message)
        assert line.shown == shown, (r.file, line.item, message)
        assert abs(line.difference) == diff, (r.file, line.item, message)
        n += 1
    for line in paper.checks:
        if line.difference and not line.item.startswith("复算总分"):
            assert set(line.codes) & set(COMPARE_CODES), (r.file, line.item, line.difference)
    return n


def test_workpaper_figures_equal_the_findings(reviewed):
    compared = sum(check_workpaper_matches_findings(r) for r in reviewed.ranked)
    typos = _by_project(reviewed)["党建事务（typos）"].workpaper_data()
    lines = {line.cell: line for line in typos.checks if line.codes}
    assert lines["自评表!G6"].expected == D("98.87") and lines["自评表!G6"].shown == 100
    assert lines["自评表!H6"].difference == D("0.11")  # 10 − 9.89
    assert lines["自评表!H14"].difference == D(-2)  # 8 − 10
    total = next(x for x in typos.checks if x.item.startswith("总分"))
    assert (total.shown, total.expected, total.codes) == (99, D(98), ["TOTAL_MISMATCH"])
    assert compared >= 6


def test_workpaper_figures_equal_the_findings_on_the_corpus(corpus):
    """The same on every form of every real layout, its .xls and LibreOffice copies."""
    compared = forms = 0
    for file in corpus:
        job = review._Job(str(file.path), file.path.name, None)
        for r in review.review_path(job):
            assert r.readable, (file.path, r.read_error)
            compared += check_workpaper_matches_findings(r)
            forms += 1
    assert forms >= 40 and compared >= 10


def test_supported_is_the_recomputed_total_on_the_corpus(corpus):
    from perfkit.assess import assess
    from perfkit.validate.platform import placeholder_rows, unsupported_exec

    for form in _support_forms(corpus):
        a = assess(form)
        if placeholder_rows(a) or unsupported_exec(a) is not None or a.missing:
            continue
        if a.recomputed is not None:
            assert review.support(a).supported == a.recomputed, (form.source, form.sheet)


def test_rows_the_rules_cannot_judge_go_to_manual_review(reviewed):
    paper = _by_project(reviewed)["党建事务（placeholder）"].workpaper_data()
    manual = {line.cell: line for line in paper.manual}
    assert "占位符" in manual["自评表!H14"].how
    assert "TARGET_PLACEHOLDER" in manual["自评表!H14"].codes  # E14 belongs to this row
    bands = [line for line in paper.manual if str(line.expected).startswith("[")]
    assert bands and all(
        "定档" in line.how for line in bands
    )  # qualitative: a band, judged by hand
    checked = {line.cell for line in paper.checks}
    assert not checked & set(manual)


def test_findings_go_to_the_line_of_their_cell():
    from perfkit.validate.core import Finding

    def line(item, cells, prefer=()):
        return review.Line(item, "", None, None, None, "", cells=cells, prefer=prefer)

    rate = line("执行率", ("表!G6", "表!E6"))
    total = line("总分", ("表!H20",), ("TOTAL_MISMATCH",))
    recomputed = line("复算总分", ("表!H20",), ("TOTAL_OVER_CAP",))
    found = [
        Finding("EXEC_RATE_MISMATCH", "error", "表", "G6", "执行率"),
        Finding("TOTAL_OVER_CAP", "error", "表", "H20", "封顶"),
        Finding("TOTAL_MISMATCH", "error", "表", "H20", "合计"),
        Finding("ROUNDING_DIFF", "info", "表", "H20", "舍入"),  # no line prefers it: the first
        Finding("PART_MISSING", "warning", "表", "", "缺少"),  # no cell
        Finding("SCORE_MISMATCH", "error", "表", "H9", "得分"),  # no line of that cell
    ]
    others = review._attach(found, [rate, total, recomputed])
    assert rate.codes == ["EXEC_RATE_MISMATCH"]
    assert total.codes == ["TOTAL_MISMATCH", "ROUNDING_DIFF"]
    assert total.messages == ["合计", "舍入"]
    assert recomputed.codes == ["TOTAL_OVER_CAP"]
    assert [o[2] for o in others] == ["PART_MISSING", "SCORE_MISMATCH"]


def test_every_row_of_the_assessment_is_in_the_workpaper(reviewed, batch_dir):
    from perfkit.assess import assess

    form = read_forms(batch_dir / "longgang2023_shanghui.xlsx")[0]
    a = assess(form)
    paper = _by_project(reviewed)["商会组织建设"].workpaper_data()
    cells = [line.cell for line in paper.checks + paper.manual]
    for row in a.rows:
        assert str(row.ind.locs["score"]) in cells


# --------------------------------------------------------------------------
# the files
# --------------------------------------------------------------------------


def test_outputs_are_written_and_marked(reviewed):
    out = reviewed.out_dir
    assert reviewed.list_path == out / "复核清单.xlsx"
    assert len(reviewed.workpapers) == 4 and all(p.is_file() for p in reviewed.workpapers)
    names = [p.name for p in reviewed.workpapers]
    assert names[0].startswith("001_深圳市龙岗区工商业联合会 (本级)_党建事务（")
    assert all(not re.search(r'[\\/:*?"<>|]', n) for n in names)
    for p in [reviewed.list_path, *reviewed.workpapers, *reviewed.letters]:
        assert output_kind(p) == REVIEW
    assert REVIEW in ALWAYS_SKIPPED
    # each workpaper names the version of the file it reviewed
    for p, r in zip(reviewed.workpapers, reviewed.sampled, strict=True):
        info = output_info(p)
        assert info.source_name == Path(r.file).name
        assert info.source_sha256 == hashlib.sha256(Path(r.file).read_bytes()).hexdigest()


def test_the_list_ranks_every_form_and_marks_the_sample(reviewed):
    ws = openpyxl.load_workbook(reviewed.list_path)["复核清单"]
    rows = list(ws.iter_rows(values_only=True))
    head = rows[0]
    assert head[:4] == ("排名", "风险分", "风险等级", "抽取") and "风险原因" in head
    body = rows[1:]
    assert [row[0] for row in body] == list(range(1, len(reviewed.ranked) + 1))
    col = head.index("抽取")
    marked = [row for row in body if row[col]]
    assert len(marked) == 4
    link = head.index("复核工作底稿")
    assert all(row[link] for row in marked)
    reasons = head.index("风险原因")
    assert all(row[reasons] for row in body)
    first = ws.cell(row=2, column=link + 1)
    # a relative link as Excel writes one (backslashes, %20), to the sampled form's workpaper
    target = unquote(first.hyperlink.target).replace("\\", "/")
    assert target == reviewed.sampled[0].workpaper and (reviewed.out_dir / target).is_file()


def test_the_list_has_the_two_charts(reviewed):
    with zipfile.ZipFile(reviewed.list_path) as z:
        charts = sorted(n for n in z.namelist() if n.startswith("xl/charts/chart"))
        xml = [z.read(n).decode("utf-8") for n in charts]
    assert len(charts) == 2
    bar = next(x for x in xml if "<c:barChart>" in x)
    scatter = next(x for x in xml if "<c:scatterChart>" in x)
    assert 'val="stacked"' in bar and bar.count("<c:ser>") == 2
    assert scatter.count("<c:ser>") == 2 and "抽中复核" in scatter
    data = openpyxl.load_workbook(reviewed.list_path)["图表数据"]
    sampled = [row[3] for row in data.iter_rows(min_row=2, values_only=True) if row[3] is not None]
    with_rate = [r for r in reviewed.sampled if r.exec_rate is not None and r.claimed is not None]
    assert len(sampled) == len(with_rate)


def test_workpaper_layout_and_input_cells(reviewed):
    path = next(
        p
        for p, r in zip(reviewed.workpapers, reviewed.sampled, strict=True)
        if "typos" in r.project
    )
    ws = openpyxl.load_workbook(path)["复核工作底稿"]
    assert ws.protection.sheet and not ws.protection.password
    texts = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    for title in ("一、逐项核对", "二、待人工复核", "三、其他校验结果"):
        assert any(t.startswith(title) for t in texts), title
    head_row = next(c.row for c in ws["A"] if c.value == "序号")
    heads = [c.value for c in ws[head_row]]
    assert heads[-2:] == ["复核意见", "调整后得分"]
    assert heads[2:6] == ["单元格", "表中数值", "按规则应为", "差异（表中−应为）"]
    row = next(c.row for c in ws["C"] if c.value == "自评表!H14")
    assert (
        ws.cell(row, 4).value == 8 and ws.cell(row, 5).value == 10 and ws.cell(row, 6).value == -2
    )
    assert "SCORE_MISMATCH" in ws.cell(row, 8).value
    assert not ws.cell(row, 10).protection.locked and not ws.cell(row, 11).protection.locked
    assert ws.cell(row, 5).protection.locked
    rules = ws.data_validations.dataValidation
    assert any(f"K{row}" in str(v.sqref) and v.formula2 == "10" for v in rules)
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9


def test_letters_per_unit(reviewed):
    from perfkit.report import docx_text

    assert reviewed.letters
    text = docx_text(reviewed.letters[0])
    assert "预算绩效自评复核整改通知" in text and "深圳市龙岗区工商业联合会 (本级)：" in text
    sampled = [r for r in reviewed.sampled if r.unit == "深圳市龙岗区工商业联合会 (本级)"]
    for r in sampled:
        if r.errors or r.warnings:
            assert r.project in text
            for _sev, where, _code, message in r.workpaper_data().findings:
                assert f"{where}：{message}" in text
    assert "【待补充】" in text


def test_outputs_are_skipped_by_later_scans(reviewed):
    from perfkit.batch import discover

    found = discover([reviewed.out_dir])  # the letters are .docx: never scanned
    assert list(found) == [] and len(found.outputs) == 1 + len(reviewed.workpapers)
    assert {s.reason for s in found.outputs} == {"perfkit 生成的复核结果"}


# --------------------------------------------------------------------------
# the command
# --------------------------------------------------------------------------


def test_exit_codes(tmp_path, capsys):
    forms = tmp_path / "forms"
    make_forms(forms, mutants=(), originals=False)
    shutil.copy(EXAMPLES / "longgang2023_dangjian.xlsx", forms)
    assert (
        main(["review", str(forms), "-o", str(tmp_path / "a"), "--no-progress", "--seed", "1"]) == 0
    )
    shutil.copy(EXAMPLES / "futian2021_evaltable.xlsx", forms)  # RULE_SCORE_MISMATCH: an error
    assert (
        main(["review", str(forms), "-o", str(tmp_path / "b"), "--no-progress", "--seed", "1"]) == 1
    )
    (forms / "broken.xlsx").write_bytes(b"PK\x03\x04 not a workbook")
    code = main(["review", str(forms), "-o", str(tmp_path / "c"), "--no-progress", "--seed", "1"])
    err = capsys.readouterr().err
    assert code == 2 and "broken.xlsx" in err and "Traceback" not in err
    book = openpyxl.load_workbook(tmp_path / "c" / review.LIST_NAME)
    assert "无法读取" in book.sheetnames and book["复核清单"].max_row == 3  # the other two, ranked


def test_output_inside_an_input_folder_is_refused(batch_dir, capsys):
    before = hashes(batch_dir)
    code = main(["review", str(batch_dir), "-o", str(batch_dir / "复核"), "--no-progress"])
    err = capsys.readouterr().err
    assert code == 2 and "位于输入文件夹" in err and "--allow-inside" in err
    assert hashes(batch_dir) == before  # nothing written


def test_allow_inside_writes_there_and_the_next_scan_skips_it(tmp_path, capsys):
    forms = tmp_path / "forms"
    make_forms(forms, mutants=("inflated",), originals=False)
    args = ["review", str(forms), "-o", str(forms / "复核"), "--no-progress", "--seed", "3"]
    assert main([*args, "--allow-inside", "--sample", "1"]) == 0
    capsys.readouterr()
    assert main([*args, "--allow-inside", "--overwrite", "--sample", "1"]) == 0
    err = capsys.readouterr().err
    assert "跳过 2 个 perfkit 生成的文件（复核结果 2 个）" in err  # 复核清单, one 底稿
    assert "已复核 1 份表格" in err


def test_a_second_run_into_the_same_folder_needs_overwrite(batch_dir, tmp_path, capsys):
    out = tmp_path / "o"
    assert (
        main(
            [
                "review",
                str(batch_dir),
                "-o",
                str(out),
                "--no-progress",
                "--seed",
                "5",
                "--sample",
                "3",
            ]
        )
        == 1
    )
    old = set((out / review.WORKPAPER_DIR).iterdir())
    code = main(
        ["review", str(batch_dir), "-o", str(out), "--no-progress", "--seed", "6", "--sample", "2"]
    )
    err = capsys.readouterr().err
    assert code == 2 and "已有复核结果" in err and "--overwrite" in err
    assert set((out / review.WORKPAPER_DIR).iterdir()) == old  # untouched
    args = [
        "review",
        str(batch_dir),
        "-o",
        str(out),
        "--no-progress",
        "--seed",
        "6",
        "--sample",
        "2",
    ]
    assert main([*args, "--overwrite"]) == 1
    assert len(list((out / review.WORKPAPER_DIR).iterdir())) == 2  # the last run's removed


def test_inputs_are_never_modified(batch_dir, tmp_path):
    before = hashes(batch_dir)
    main(["review", str(batch_dir), "-o", str(tmp_path / "o"), "--no-progress", "--sample", "100%"])
    assert hashes(batch_dir) == before


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--sample", "abc"], "--sample 应为份数"),
        (["--profile", "nosuch"], "nosuch"),
        (["--seed", "-1"], "--seed 应为不小于 0 的整数"),
    ],
)
def test_usage_errors_in_chinese(batch_dir, tmp_path, capsys, args, fragment):
    code = main(["review", str(batch_dir), "-o", str(tmp_path / "o"), "--no-progress", *args])
    err = capsys.readouterr().err
    assert code == 2 and fragment in err and "Traceback" not in err
    assert not (tmp_path / "o").exists()


def test_missing_input_and_output_a_file(tmp_path, capsys):
    assert main(["review", str(tmp_path / "nosuch"), "-o", str(tmp_path / "o")]) == 2
    assert "找不到" in capsys.readouterr().err
    forms = tmp_path / "forms"
    make_forms(forms, mutants=("inflated",), originals=False)
    target = tmp_path / "file.txt"
    target.write_text("x")
    assert main(["review", str(forms), "-o", str(target), "--no-progress"]) == 2
    assert "-o 应为文件夹" in capsys.readouterr().err


def test_progress_bar_on_stderr(batch_dir, tmp_path, capsys):
    assert (
        main(["review", str(batch_dir), "-o", str(tmp_path / "o"), "--seed", "1", "--jobs", "1"])
        == 1
    )
    assert "复核" in capsys.readouterr().err


def test_parallel_and_serial_give_the_same_result(batch_dir, tmp_path):
    a = review.run([batch_dir], tmp_path / "a", sample="5", seed=9, jobs=1, progress=False)
    b = review.run([batch_dir], tmp_path / "b", sample="5", seed=9, jobs=2, progress=False)
    key = [(r.key, r.sheet, r.rank, r.risk.total, r.sampled) for r in a.ranked]
    assert key == [(r.key, r.sheet, r.rank, r.risk.total, r.sampled) for r in b.ranked]
    assert [p.name for p in a.workpapers] == [p.name for p in b.workpapers]


def test_sample_zero_ranks_only(batch_dir, tmp_path):
    result = review.run([batch_dir], tmp_path / "o", sample="0", seed=1, jobs=1, progress=False)
    assert result.sampled == [] and result.workpapers == [] and result.letters == []
    assert not (tmp_path / "o" / review.WORKPAPER_DIR).exists()
    rows = list(openpyxl.load_workbook(result.list_path)["复核清单"].iter_rows(values_only=True))
    assert len(rows) == 1 + len(result.ranked) and not any(row[3] for row in rows[1:])


def test_nothing_readable_is_exit_2_with_the_list_of_reasons(tmp_path, capsys):
    forms = tmp_path / "forms"
    forms.mkdir()
    (forms / "a.xlsx").write_bytes(b"")
    (forms / "b.xls").write_bytes(b"not an xls")
    assert main(["review", str(forms), "-o", str(tmp_path / "o"), "--no-progress"]) == 2
    err = capsys.readouterr().err
    assert "已复核 0 份表格" in err and "无法读取 2 个文件" in err and "Traceback" not in err
    book = openpyxl.load_workbook(tmp_path / "o" / review.LIST_NAME)
    bad = list(book["无法读取"].iter_rows(min_row=2, values_only=True))
    assert [Path(f).name for f, _ in bad] == ["a.xlsx", "b.xls"] and all(
        reason for _, reason in bad
    )


def test_a_dash_target_on_a_scored_row_is_explained(tmp_path):
    from perfkit.assess import assess

    data = copy.deepcopy(_data("longgang2023_dangjian"))
    data["indicators"][0]["target"] = "—"  # the row reads as 不适用, but keeps 10 of 10
    data["indicators"][0]["score"] = 10
    (form,) = read_forms(fill(data, tmp_path / "dash.xlsx"))
    sup = review.support(assess(form))
    assert sup.excess == 10 and any("占位符“—”，得分 10 无依据" in d for d in sup.details)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ('深圳市/福田区:工商联*"项目"?<1>|', "深圳市_福田区_工商联_项目_1_"),
        ("  项目。。. ", "项目。。"),
        ("a\tb\nc", "a_b_c"),  # control characters
        ("", "未命名"),
        ("...", "未命名"),
    ],
)
def test_safe_names_on_windows(text, name):
    assert review.safe_name(text) == name


def test_workpaper_names_are_unique_ignoring_case():
    a = review.Reviewed("f", "f", unit="Unit", project="X", rank=1)
    assert review.workpaper_name(a, 3) == "001_Unit_X.xlsx"
    assert review.unique_names(["a.xlsx", "A.xlsx", "a.xlsx"]) == [
        "a.xlsx",
        "A (2).xlsx",
        "a (3).xlsx",
    ]
