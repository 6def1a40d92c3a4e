"""Rule profiles are validated against a declared schema (issue 12 item 12),
and the vocabulary is data (issue 11)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from decimal import Decimal as D
from pathlib import Path

import pytest

from perfkit import profiles, scoring, targets
from perfkit.profiles import SCHEMA, Key, ProfileError, load
from perfkit.profiles.vocab import VocabularyError, load_vocabulary, vocabulary

DOCS = Path(__file__).resolve().parents[1] / "docs" / "profiles.md"


def _write(tmp_path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_every_bundled_profile_loads():
    names = profiles.available()
    assert {"mof2020", "platform", "platform80", "platform_gt90", "futian2021"} <= set(names)
    for name in names:
        assert load(name).name == name


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        # the examples of the issue: a mistyped table and a mistyped key
        (
            '[grade]\nbands = [[90, "优"]]\n',
            "评分规则 my.toml：未知的键 grade（可用：name、title、extends、exec、",
        ),
        (
            "[exec]\nwieght = 3\n",
            "评分规则 my.toml：未知的键 exec.wieght（可用：rule、weight、cap、",
        ),
        ("colour = 1\n", "未知的键 colour"),
        (
            '[exec]\nrule = "linear"\n',
            "exec.rule 为 “linear”，可选：proportional、deduct_per_pct、interval",
        ),
        ('[exec]\nweight = "十"\n', "exec.weight 应为数字"),
        ("[exec]\nweight = -1\n", "exec.weight 为 -1，超出允许范围 [0, 100]"),
        ("[exec]\nweight = nan\n", "exec.weight 应为有限的数字"),
        ("[exec]\ncap = 1\n", "exec.cap 应为 true 或 false"),
        ("exec = 3\n", "exec 应为表"),
        ("[qualitative]\nachieved = 0\n", "qualitative.achieved 为 0，超出允许范围 (0, 1]"),
        (
            "[qualitative]\npartial = 0.9\n",
            "qualitative.partial（0.9）不能大于 qualitative.achieved（0.8）",
        ),
        (
            '[qualitative.phrases]\n"一般" = "还行"\n',
            "qualitative.phrases.一般 为 “还行”，可选：达成、部分达成、未达成",
        ),
        ('[grades]\nbands = [[80, "良"], [90, "优"]]\n', "grades.bands 的下限应从高到低排列"),
        ("[grades]\nbands = [[90]]\n", "grades.bands 第 1 项 应为两个元素的列表"),
        ("[grades]\nbands = [[90, 1]]\n", "grades.bands 第 1 项 的第二个元素应为等级文字"),
        ('[grades]\naliases = { "优秀" = 1 }\n', "grades.aliases.优秀 应为文字"),
        ("[grades]\naliases = 3\n", "grades.aliases 应为表"),
        (
            "[total_cap]\nbands = [[70, 2000]]\n",
            "total_cap.bands 第 1 项 为 2000，超出允许范围 [0, 1000]",
        ),
        ('[level1_weights]\n"产出指标" = "五十"\n', "level1_weights.产出指标 应为数字"),
        ("[tolerance]\nrounding = 0.5\nerror = 0.1\n", "tolerance.rounding（0.5）不能大于"),
        ('[exec]\nrule = "interval"\n', "exec.rule 为 interval 时须写 exec.bands"),
        (
            '[warnings]\ninflated_severity = "red"\n',
            "warnings.inflated_severity 为 “red”，可选：error、warning、info",
        ),
        ("name = 'x'\n[exec\n", "评分规则 my.toml 格式错误"),
    ],
)
def test_a_bad_profile_is_a_chinese_error_naming_file_key_and_allowed(tmp_path, text, fragment):
    path = _write(tmp_path, "my.toml", text)
    with pytest.raises(ProfileError) as err:
        load(path)
    assert fragment in err.value.message


def test_the_error_names_the_file_where_the_typo_is(tmp_path):
    _write(tmp_path, "base.toml", 'extends = "mof2020"\n[grades]\nbelw = "差"\n')
    child = _write(tmp_path, "child.toml", 'extends = "base.toml"\n')
    with pytest.raises(ProfileError, match=r"评分规则 base.toml：未知的键 grades.belw"):
        load(child)


def test_extends_chains_relative_to_the_file_and_cycles(tmp_path):
    sub = tmp_path / "rules"
    sub.mkdir()
    _write(sub, "a.toml", 'extends = "platform"\n[exec]\nweight = 20\n')
    b = _write(sub, "b.toml", 'extends = "a.toml"\n[grades]\nstrict = true\n')
    prof = load(b)
    assert prof.name == "b" and prof.exec.weight == D(20) and prof.grade_strict
    assert prof.reverse == "vendor"  # from platform, two levels up
    assert prof.grade_bands == load("mof2020").grade_bands  # from mof2020, three levels up
    _write(tmp_path, "x.toml", 'extends = "y.toml"\n')
    y = _write(tmp_path, "y.toml", 'extends = "x.toml"\n')
    with pytest.raises(
        ProfileError, match=re.escape("extends 形成循环（y.toml → x.toml → y.toml）")
    ):
        load(y)
    with pytest.raises(ProfileError, match="未知的评分规则 'nowhere'"):
        load(_write(tmp_path, "z.toml", 'extends = "nowhere"\n'))


def test_bad_names_are_profile_errors(tmp_path):
    for name in (3, ["mof2020"], "a\x00b", "no/such/file.toml", "shenzhen2099"):
        with pytest.raises(ProfileError):
            load(name)
    (tmp_path / "latin1.toml").write_bytes('title = "规则"\n'.encode("gb18030"))
    with pytest.raises(ProfileError, match="UTF-8"):
        load(str(tmp_path / "latin1.toml"))


def test_schema_defaults_are_valid_values():
    for name, spec in SCHEMA.items():
        keys = (
            {name: spec} if isinstance(spec, Key) else {f"{name}.{k}": v for k, v in spec.items()}
        )
        for path, key in keys.items():
            assert key.doc, path
            if key.type == "choice":
                assert key.default in key.choices, path
            if key.type == "number" and key.default is not None:
                value = D(str(key.default))
                assert key.low is None or value >= key.low, path
                assert key.high is None or value <= key.high, path


def test_docs_list_every_key_of_the_schema():
    text = DOCS.read_text(encoding="utf-8")
    generated = re.search(r"<!-- keys:begin -->\n(.*?)\n<!-- keys:end -->", text, re.S)
    assert generated, "docs/profiles.md lacks its generated key table"
    assert generated.group(1) == profiles.keys_markdown(), (
        "regenerate with: python -m perfkit.profiles docs/profiles.md"
    )
    listed = re.search(r"<!-- profiles:begin -->\n(.*?)\n<!-- profiles:end -->", text, re.S)
    assert listed and listed.group(1) == profiles.profiles_markdown()


def test_every_bundled_profile_uses_documented_keys_only():
    # validate() is what load() calls; here each file on its own
    from importlib import resources

    for name in profiles.available():
        data = profiles.tomllib.loads(
            resources.files("perfkit.profiles").joinpath(f"{name}.toml").read_text("utf-8")
        )
        profiles.validate(data, f"{name}.toml")


# ---------------------------------------------------------------- the vocabulary
def test_vocabulary_lists():
    v = vocabulary()
    assert {"待统计", "暂无数据", "未统计", "尚未统计", "无数据", "待评估", "未开展调查"} <= set(
        v.not_measured
    )
    assert {"未完成", "未达到", "未达成", "较差", "不达标"} <= set(v.not_met)
    assert {"较低", "偏低"} <= set(v.low)
    assert {"预算执行率", "资金执行率", "执行率", "资金支付率"} <= set(v.exec_names)
    assert {"不适用", "—", "无"} <= v.not_applicable
    assert "成本" in scoring.REVERSE_NAME_HINTS and "未完成" in scoring.NOT_MET_WORDS


def test_a_new_word_is_a_data_change(tmp_path):
    bundled = (Path(profiles.__file__).parents[1] / "vocab" / "words.toml").read_text("utf-8")
    path = _write(tmp_path, "words.toml", bundled.replace('"待统计",', '"统计未出",'))
    v = load_vocabulary(path)
    assert "统计未出" in v.not_measured and "待统计" not in v.not_measured
    assert v.search("not_measured", "满意度统计未出") == "统计未出"


def test_a_unit_of_count_is_a_data_change(tmp_path):
    """A unit listed under [units] counts is read after a number (0起, ≥500株);
    the bundled list is what the target reader was built with."""
    assert {"起", "例", "株"} <= set(vocabulary().count_units)
    assert targets.read("安全事故0起").measures[0].unit == "起"
    bundled = (Path(profiles.__file__).parents[1] / "vocab" / "words.toml").read_text("utf-8")
    path = _write(tmp_path, "words.toml", bundled.replace('"起", ', '"起", "羽", '))
    assert "羽" in load_vocabulary(path).count_units
    # a province's copy of the file, put in place of the bundled one
    package = tmp_path / "pkg"
    shutil.copytree(Path(profiles.__file__).parents[1], package / "perfkit")
    (package / "perfkit" / "vocab" / "words.toml").write_text(
        Path(path).read_text("utf-8"), "utf-8"
    )
    code = "from perfkit import targets; print(targets.read('≥500羽').measures[0].unit)"
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=package, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "羽"


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("[level]\nnot_met = []\n", "词表 words.toml：未知的表 level"),
        ("[units]\ncount = []\n", "未知的键 units.count（可用：counts、aside）"),
        ("[levels]\nnotmet = []\n", "未知的键 levels.notmet（可用：not_measured、not_met"),
        ('[levels]\nnot_met = "未完成"\n', "levels.not_met 应为非空文字的列表"),
        ('[levels]\nnot_met = [""]\n', "levels.not_met 应为非空文字的列表"),
    ],
)
def test_a_bad_vocabulary_is_an_error(tmp_path, text, fragment):
    with pytest.raises(VocabularyError) as err:
        load_vocabulary(_write(tmp_path, "words.toml", text))
    assert fragment in err.value.message


@pytest.mark.parametrize(
    ("text", "grade"),
    [("优", "优"), ("优秀", "优"), ("良好", "良"), ("中等", "中"), ("较差", "差"), ("优（99.89分）", "优"),
     (" 优 秀 ", "优"), ("A", "A")],
)  # fmt: skip
def test_a_grade_written_another_way_names_the_profile_s_grade(text, grade):
    assert load("mof2020").grade_named(text) == grade
    assert load("platform80").grade_named(text) == grade  # the aliases are inherited


def test_futian_s_lowest_grade_has_its_own_alias():
    futian = load("futian2021")
    assert futian.grade_named("较低") == "低" and futian.grade_named("优秀") == "优"
