"""The recogniser's label scan, held to its rules cell by cell: a text cell is
a label by its own text (short, its normalised core a vocabulary word), a
formula cell by what it shows (its result, or the string literal of a
template never computed), wherever it stands, grid or not; and the helpers it
reads cells with agree with the sheet's own."""

from __future__ import annotations

import random

import pytest

from perfkit.model import Formula
from perfkit.readers.cells import SheetData
from perfkit.readers.recognise import SheetScan, scan
from perfkit.readers.vocab import MAX_LABEL, normalise, vocab

WORDS = vocab()


def expected_hits(sheet: SheetData) -> dict[tuple[int, int], tuple]:
    """(r, c) -> (text, roles) of every label cell, by the rules written out
    one cell at a time (no fast path)."""
    out = {}
    cells = {(r, c) for r, line in enumerate(sheet.values) for c in range(len(line))}
    for r, c in sorted(cells | set(sheet.formulas)):
        raw = sheet.raw(r, c)
        if isinstance(raw, Formula):
            if raw.cached not in (None, ""):
                text = raw.cached
            else:
                literal = raw.text.startswith('="') and raw.text[2:].split('"')[0]
                text = literal if literal and '"' in raw.text[2:] else None
            if not isinstance(text, str) or not text:
                continue
            roles = WORDS.labels(normalise(text).core)
        else:
            if not isinstance(raw, str) or not raw or len(raw) > MAX_LABEL * 2:
                continue
            core = normalise(raw).core
            if not core or len(core) > MAX_LABEL:
                continue
            roles = WORDS.labels(core)
        if roles:
            out[(r, c)] = (text if isinstance(raw, Formula) else raw, roles)
    return out


def check(sheet: SheetData) -> SheetScan:
    s = scan(sheet, WORDS)
    assert {k: (h.text, h.roles) for k, h in s.hits.items()} == expected_hits(sheet)
    for (r, c), h in s.hits.items():
        assert (h.r, h.c, h.label) == (r, c, normalise(h.text))
        assert (h.r2, h.c2) == s.extent(r, c)
    assert list(s.by_row) == sorted({r for r, _ in s.hits})
    for r, hits in s.by_row.items():
        assert [(h.r, h.c) for h in hits] == sorted(k for k in s.hits if k[0] == r)
    return s


# a title whose core is longer than a label's (MAX_LABEL): found only in a formula cell
LONG_TITLE = "某某区某某局某某中心某某科某某股某某事务专项资金项目支出绩效自评表2023年度修订稿"


def test_text_and_formula_labels():
    values = [
        ["项目支出绩效自评表", None, 3, "项目名称：党建", "x" * 90],
        ["一级指标", "二级指标", "三级指标", "分值", "得分"],
        [None, "", "产出指标", 12.5, None],
        [LONG_TITLE, "项目名称：" + "长" * 90, None],
    ]
    formulas = {
        (2, 1): '="产出指标（"&SUM(D3:D9)&"分）"',  # never computed: its literal
        (2, 3): "=SUM(D4:D9)",  # a number: no label
        (2, 4): '="得分"',
        (3, 0): '="' + LONG_TITLE + '"',  # long core: a title all the same
        (3, 1): "=A1",  # cached text longer than a label cell may be, core short
        (6, 2): '="合计"',  # outside the grid
        (0, 0): "=T(1)",  # cached text as shown
    }
    s = check(SheetData("s", values, formulas, ((1, 0, 2, 0), (0, 0, 0, 4))))
    assert (6, 2) in s.hits and s.hits[(6, 2)].text == "合计"
    assert s.hits[(2, 1)].text == "产出指标（"
    assert (3, 0) in s.hits and (2, 3) not in s.hits
    assert len(normalise(LONG_TITLE).core) > MAX_LABEL
    assert s.hits[(0, 0)].c2 == 4 and s.hits[(1, 0)].r2 == 2


@pytest.mark.parametrize("seed", range(12))
def test_random_sheets(seed):
    rng = random.Random(seed)
    words = [*sorted(WORDS.roles)[:60], "其中：当年财政拨款", "产出指标 (50分)", "3分"]
    pool = [*words, "", " ", "项目名称：" + "甲" * 50, "x" * 81, LONG_TITLE, "某某", "（元）"]
    rows = []
    for _ in range(rng.randrange(1, 25)):
        line = []
        for _ in range(rng.randrange(0, 12)):
            kind = rng.random()
            if kind < 0.5:
                line.append(rng.choice(pool))
            else:
                line.append(None if kind < 0.8 else rng.choice((0, 7.5, True)))
        rows.append(line)
    formulas = {}
    for _ in range(rng.randrange(0, 15)):
        r, c = rng.randrange(0, 30), rng.randrange(0, 14)
        word = rng.choice(pool).replace('"', "")
        formulas[(r, c)] = rng.choice((f'="{word}"', f'="{word}"&A1', "=SUM(A1:A2)", f"=A{r}"))
        if r < len(rows) and c < len(rows[r]) and rng.random() < 0.5:
            rows[r][c] = rng.choice((None, "", 3, rng.choice(pool)))
    merged = []
    for _ in range(rng.randrange(0, 5)):
        r, c = rng.randrange(0, 20), rng.randrange(0, 10)
        merged.append((r, c, r + rng.randrange(0, 3), c + rng.randrange(0, 3)))
    check(SheetData("s", rows, formulas, tuple(merged)))


@pytest.mark.parametrize("seed", range(6))
def test_cell_helpers_agree_with_the_sheet(seed):
    rng = random.Random(seed)
    values = [
        [rng.choice((None, "", "项目", 5, 0, "  ")) for _ in range(rng.randrange(0, 8))]
        for _ in range(8)
    ]
    formulas = {(rng.randrange(0, 10), rng.randrange(0, 10)): '="分值"&B2' for _ in range(8)}
    sheet = SheetData("s", values, formulas)
    s = SheetScan(sheet, WORDS)
    for r in range(11):
        for c in range(11):
            raw = sheet.raw(r, c)
            assert s.raw(r, c) == (None if raw == "" else raw)
            if isinstance(raw, Formula):
                want = raw.cached if raw.cached not in (None, "") else "分值"
            else:
                want = None if raw == "" else raw
            assert s.shown(r, c) == want


def test_locations_are_made_once_per_cell():
    from perfkit.model import Loc
    from perfkit.readers.recognise import _location

    first = _location("自评表", "H14")
    assert first == Loc("自评表", "H14") and str(first) == "自评表!H14"
    assert _location("自评表", "H14") is first
    assert _location("自评表 (2)", "H14") != first
