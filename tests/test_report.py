"""Draft report: structure and numbers (python-docx read-back), and a
LibreOffice render that finds the key text in the PDF."""

from __future__ import annotations

import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest

from perfkit.model import EvalIndicator, EvalTable, FundRow, Indicator, SelfEvalForm
from perfkit.profiles import load
from perfkit.report import band_text, build_report, docx_text, write_report

# Seed 004 表2-1 (福田区工商联 2021): benchmark, weight, published score.
SEED_004 = [
    ("项目决策", "项目立项", "立项依据充分性", "充分", 3, 3),
    ("项目决策", "项目立项", "立项程序规范性", "规范", 2, 2),
    ("项目决策", "绩效目标", "绩效目标合理性", "合理", 2, 2),
    ("项目决策", "绩效目标", "绩效目标明确性", "明确", 3, 3),
    ("项目决策", "资金投入", "预算编制科学性", "合理", 3, 3),
    ("项目决策", "资金投入", "资金分配合理性", "合理", 2, 2),
    ("项目管理", "资金管理", "预算执行率", "100%", 3, None),
    ("项目管理", "资金管理", "财务管理制度健全性", "健全", 5, 5),
    ("项目管理", "资金管理", "资金使用合规性", "合规", 5, 5),
    ("项目管理", "组织实施", "管理制度健全性", "健全", 6, 6),
    ("项目管理", "组织实施", "管理制度执行有效性", "有效", 6, 6),
    ("产出", "数量指标", "活动开展次数", "≥8次", 6, 6),
    ("产出", "数量指标", "《福田工商联》杂志出版期数", "≥6期", 6, 6),
    ("产出", "质量指标", "活动开展人员参与率", "≥90%", 6, 6),
    ("产出", "质量指标", "杂志出版合格率", "≥90%", 6, 6),
    ("产出", "时效指标", "活动开展及时性", "及时", 2, 2),
    ("产出", "时效指标", "杂志出版及时率", "≥90%", 2, 2),
    ("产出", "成本指标", "成本控制率", "≤100%", 2, 2),
    ("效益", "经济效益", "助力民营企业经济发展", "有效", 6, 6),
    ("效益", "社会效益", "为民营企业高质量营造优良营商环境", "有效", 6, 6),
    ("效益", "可持续影响", "引导非公经济企业积极参与粤港澳大湾区建设", "有效", 6, 6),
    ("效益", "满意度指标", "辖区群众满意度", "≥90%", 6, 3),
    ("效益", "长效管理机制", "绩效跟踪评价", "开展", 6, 6),
]


def seed_004_table() -> EvalTable:
    """The seed's table: typed scores as published, except 预算执行率, which is
    left to the engine: its written rule 「执行率每降低1%扣0.1分」 gives
    3 − 0.089 = 2.91, not the published 2.97 (DOMAIN F-3)."""
    inds = []
    for l1, l2, l3, bench, weight, score in SEED_004:
        inds.append(
            EvalIndicator(
                level1=l1,
                level2=l2,
                level3=l3,
                benchmark=bench,
                weight=weight,
                score=score,
                deduction_reason="开展满意度问卷调查，但未收到群众投诉，酌情扣分"
                if l3 == "辖区群众满意度"
                else None,
            )
        )
    return EvalTable(
        project_name="工商联经费",
        unit="深圳市福田区工商业联合会",
        year=2021,
        initial_budget=175,
        annual_budget=182.2,
        executed=180.57,
        indicators=inds,
        profile="futian2021",
    )


def published_table() -> EvalTable:
    """Seed 004 表2-1 as published: 预算执行率 typed 2.97 and the total 96.97."""
    table = seed_004_table()
    next(i for i in table.indicators if i.level3 == "预算执行率").score = 2.97
    table.total = 96.97
    return table


def seed_004_selfeval() -> SelfEvalForm:
    """The unit's own 自评表 behind seed 004 表1-2 (amounts in 元).  It claims
    100 points; 99.11 % execution gives 9.91 of 10, so 99.91 (DOMAIN F-2)."""
    funds = {
        "total": FundRow("total", 1750000, 1822000, 1805700),
        "fiscal": FundRow("fiscal", 1750000, 1822000, 1805700),
    }
    same = "开展活动加强企业交流合作，助力优化营商环境"
    inds = [
        Indicator(
            "产出指标",
            "数量指标",
            "活动与杂志",
            "一年举办活动不少于 8 次，杂志出版不少于 6 期",
            "开展活动 10 次，出版杂志 6 期",
            20,
        ),
        Indicator("产出指标", "质量指标", "发挥桥梁纽带作用", same, same, 20),
        Indicator(
            "产出指标",
            "时效指标",
            "12 月底前完成各项工作",
            "2021 年 12 月 31 日",
            "2021 年 12 月 31 日前已完成",
            10,
        ),
        Indicator("效益指标", "经济效益指标", "助力民营企业经济发展", "有效", "有效", 8),
        Indicator("效益指标", "社会效益指标", "营造优良营商环境", "有效", "有效", 15),
        Indicator("效益指标", "生态效益指标", "不适用", "不适用", "不适用", 0),
        Indicator("效益指标", "可持续影响指标", "推动典范城区建设", "有效", "有效", 7),
        Indicator("满意度指标", "服务对象满意度指标", "服务对象满意度", "不低于 85%", "100%", 10),
    ]
    return SelfEvalForm(
        project_code="",
        project_name="工商联经费",
        year=2021,
        unit="深圳市福田区工商业联合会",
        dept="深圳市福田区工商业联合会",
        funds=funds,
        exec_weight=10,
        goal_expected="主动、充分发挥政府与企业之间的纽带作用",
        goal_actual="按计划完成",
        indicators=inds,
        total=100,
        profile="mof2020",
    )


class F:
    def __init__(self, code, severity, sheet, cell, message):
        self.code, self.severity, self.sheet, self.cell, self.message = (
            code,
            severity,
            sheet,
            cell,
            message,
        )


@pytest.fixture(scope="module")
def report_path(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("report") / "报告.docx"
    findings = [
        F("SCORE_MISMATCH", "error", "评分表", "I26", "得分 3 与评分标准计算结果 2.94 不一致")
    ]
    doc = build_report(published_table(), seed_004_selfeval(), None, findings, [])
    doc.save(out)
    return out


def test_band_text_follows_profile():
    assert (
        band_text(load("futian2021"))
        == "90 分（含）以上为优，80（含）-90 分为良，70（含）-80 分为中，70 分以下为低"
    )
    assert band_text(load("mof2020")).endswith("60 分以下为差")


def test_headings_and_tables(report_path):
    text = docx_text(report_path)
    for heading in (
        "一、项目概况",
        "二、项目绩效评价结论和分析",
        "三、取得的成效",
        "四、存在的问题",
        "五、相关建议和整改措施",
    ):
        assert heading in text
    assert "表 1-1 2021 年度工商联经费项目资金使用情况表" in text
    assert "年度资金总额\t175\t182.2\t180.57\t99.11%" in text
    assert "表 2-1 绩效评价指标体系得分表" in text
    # 表2-1 recomputed by its rules (2.91 for 预算执行率, not the typed 2.97:
    # DOMAIN F-3), the submitted 96.97 beside it, grade and the band text
    assert "合计\t100分\t96.91" in text
    assert "综合评定项目得分为 96.91 分，绩效等级为“优”（90 分（含）以上为优" in text
    assert "评分表填报的合计为 96.97 分，按评分标准复核为 96.91 分" in text


def test_lost_points_sentences(report_path):
    text = docx_text(report_path)
    assert (
        "该指标分值为 3 分，评价得分为 2.91 分（评分表填报 2.97 分）。扣分原因是全年预算数 "
        "182.2 万元，实际支出 180.57 万元，预算执行率 99.11%，按本报告评分规则的执行率算法计分，"
        "扣 0.09 分。"
    ) in text
    assert (
        "辖区群众满意度指标。该指标分值为 6 分，评价得分为 3 分。扣分原因是开展满意度问卷调查"
        in text
    )
    assert "扣 3 分。" in text


def test_first_level_subtotals(report_path):
    text = docx_text(report_path)
    assert "项目管理\t25\t24.91\t99.64%" in text
    assert "效益\t30\t27\t90%" in text
    assert "项目决策\t15\t15\t100%" in text
    assert "满分 25 分，评价得分 24.91 分，得分率 99.64%" in text


def test_self_eval_table_includes_exec_row(report_path):
    text = docx_text(report_path)
    # 99.11 % of 10 = 9.91, in the table (seed F-1 left it out); 90 + 9.91 = 99.91
    assert "预算执行率\t预算执行率\t预算执行率\t100%\t99.11%\t10\t9.91" in text
    assert "\t100\t99.91" in text
    assert "其中：当年财政拨款\t175\t182.2\t180.57\t99.11%" in text
    # the form claims 100 (F-2): the draft says so
    assert "自评表填报总分为 100 分，按评分规则复核为 99.91 分" in text


def test_problems_from_findings(report_path):
    text = docx_text(report_path)
    assert "评分表表格填报错误" in text
    assert "1. 得分 3 与评分标准计算结果 2.94 不一致（评分表 I26）。" in text
    assert "辖区群众满意度：权重 6 分，得分 3 分" in text


def test_east_asian_fonts(report_path):
    from docx import Document
    from docx.oxml.ns import qn

    doc = Document(report_path)
    normal = doc.styles["Normal"].element.rPr.rFonts
    assert normal.get(qn("w:eastAsia")) == "仿宋"
    heads = [p for p in doc.paragraphs if p.text == "一、项目概况"]
    assert heads and heads[0].runs[0].element.rPr.rFonts.get(qn("w:eastAsia")) == "黑体"


@pytest.mark.libreoffice
def test_renders_with_libreoffice(report_path, tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice or not shutil.which("pdftotext"):
        pytest.skip("LibreOffice or pdftotext not installed")
    profile = tmp_path / "lo-profile"
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(report_path),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pdf = tmp_path / (report_path.stem + ".pdf")
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = "".join(text.split())
    assert "绩效评价报告" in flat
    assert "预算执行率99.11%，按本报告评分规则的执行率算法计分，扣0.09分" in flat
    assert "96.91" in flat and "96.97" in flat
    assert "四、存在的问题" in flat
    assert Decimal("96.97")  # keep the import honest


def test_sentences_from_the_published_example(tmp_path):
    """The 福田 example: description ending in "；" and an evaluator's reason that
    already names the deduction give clean sentences, as in seed 004."""
    root = Path(__file__).resolve().parents[1] / "examples"
    out = tmp_path / "报告.docx"
    write_report(root / "futian2021_evaltable.xlsx", out)
    text = docx_text(out)
    assert "辖区群众满意度指标考察辖区居民对其他工作项目的满意度。该指标分值为 6 分" in text
    # the evaluator's reason only restates the deduction: the draft says why
    assert "评分标准无法按实际值计算，由评价人酌情评分，扣 3 分。" in text
    assert "评价得分为 2.91 分（评分表填报 2.97 分）" in text
    assert "；。" not in text and "扣3分，扣 3 分" not in text
