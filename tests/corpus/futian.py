"""福田区工商联 2021 评价报告 (seed 004) as Excel sheets.

futian2021_evaltable: 表1-1 (资金使用情况) above 表2-1 (绩效评价指标体系得分表),
exactly as the seed prints them: weights as text ("3分"), first-level labels
with their weight ("项目决策 (15分)"), 合计 "100分" 96.97.

futian2021_table12: 表1-2 (绩效指标评分表: no weight column), including the
second-level "工作" (F-14) and 合计 100 while its scores sum to 90 (F-1).
"""

from __future__ import annotations

from pathlib import Path

from .model import CorpusFile
from .sheet import FormBuilder, Writer, new_workbook, save_deterministic, write_grid

PROJECT = "工商联经费项目"
UNIT = "深圳市福田区工商业联合会"

EVAL_GRID = ("level1", "level2", "level3", "benchmark", "weight", "score")
# fmt: off
EVAL_ROWS = [
    ("项目决策", "项目立项", "立项依据充分性", "充分", 3, 3),
    ("项目决策", "项目立项", "立项程序规范性", "规范", 2, 2),
    ("项目决策", "绩效目标", "绩效目标合理性", "合理", 2, 2),
    ("项目决策", "绩效目标", "绩效目标明确性", "明确", 3, 3),
    ("项目决策", "资金投入", "预算编制科学性", "合理", 3, 3),
    ("项目决策", "资金投入", "资金分配合理性", "合理", 2, 2),
    ("项目管理", "资金管理", "预算执行率", "100%", 3, 2.97),
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
# fmt: on
# subtotals (DOMAIN §5.2): 决策 3+2+2+3+3+2 = 15; 管理 2.97+5+5+6+6 = 24.97;
# 产出 6+6+6+6+2+2+2 = 30; 效益 6+6+6+3+6 = 27; total 96.97; weights 100
# 表1-1: 180.57 / 182.2 = 99.1054 % -> 99.11 %
EVAL_LABELS = {
    "项目决策": "项目决策 (15分)",
    "项目管理": "项目管理 (25分)",
    "产出": "产出 (30分)",
    "效益": "效益 (30分)",
}


def write_evaltable(w: Writer) -> FormBuilder:
    b = FormBuilder("futian2021_evaltable", "evaltable", w, amount_unit="万元")
    title = w.title("表 1-1 2021 年度工商联经费项目资金使用情况表", 6, size=12)
    b.record("head.year", title, 2021)
    b.put("head.project_name", "A2", PROJECT, shown=f"项目名称：{PROJECT}", merge="A2:C2")
    b.put("head.unit", "D2", UNIT, shown=f"被评价单位：{UNIT}", merge="D2:F2")
    b.label("A3", "单位：万元", merge="A3:E3")
    for col, text in zip(
        "ABCDE", ("项目资金", "年初预算数", "全年预算数", "全年执行数", "执行率"), strict=True
    ):
        b.label(f"{col}4", text, center=True)
    for r, (key, label) in enumerate(
        (("total", "年度资金总额"), ("fiscal", "其中：当年财政拨款")), 5
    ):
        b.label(f"A{r}", label)
        for col, name, value in zip(
            "BCD",
            ("initial_budget", "annual_budget", "executed"),
            (175, 182.2, 180.57),
            strict=True,
        ):
            b.put(f"funds.{key}.{name}", f"{col}{r}", value)
        if key == "total":
            b.put("exec.rate", f"E{r}", 99.11, shown="99.11%", center=True)
        else:
            w.put(f"E{r}", "99.11%", center=True)
    w.borders(4, 6, 5)
    w.title("表 2-1 绩效评价指标体系得分表", 6, row=8, size=12)
    for col, text in zip(
        "ABCDEF", ("一级指标", "二级指标", "三级指标", "标杆值", "权重", "得分"), strict=True
    ):
        b.label(f"{col}9", text, center=True)
    rows = [dict(zip(EVAL_GRID, t, strict=True)) for t in EVAL_ROWS]
    for row in rows:
        row["shown_weight"] = f"{row['weight']}分"
    b.level1_weights.update({"项目决策": 15, "项目管理": 25, "产出": 30, "效益": 30})
    write_grid(b, 10, dict(zip(EVAL_GRID, "ABCDEF", strict=True)), rows, level1_labels=EVAL_LABELS)
    total = 10 + len(rows)
    b.label(f"A{total}", "合计", merge=f"A{total}:D{total}", center=True)
    b.put("total.weight", f"E{total}", 100, shown="100分", center=True)
    b.put("total.score", f"F{total}", 96.97, center=True)
    b.oracle.update(
        {
            "exec_rate_pct": "99.11",
            "total": "96.97",
            "weight_sum": "100",
            "subtotal.项目决策": "15",
            "subtotal.项目管理": "24.97",
            "subtotal.产出": "30",
            "subtotal.效益": "27",
        }
    )
    w.borders(9, total, 6)
    w.widths({"A": 16, "B": 14, "C": 30, "D": 10, "E": 8, "F": 8})
    return b


T12_GRID = ("level1", "level2", "description", "target", "actual", "score")
# fmt: off
T12_ROWS = [
    ("产出指标", "数量",
     "企业家理想信念教育培训、春茗会、工商联界别座谈会、调研；主题峰会、港澳青年交流同心互动讲坛、致敬经典活动政策宣讲会；建立企业信息大数据；《福田工商联》杂志编辑 楼宇统战工作；对口扶贫工作",
     "一年举办活动不少于 8 次，《福田工商联》杂志出版不少于 6 期", "开展活动 10 次，出版杂志 6 期", 20),
    ("产出指标", "质量", "充分发挥党委和政府桥梁纽带作用，帮助企业解忧纾困，助力企业发展壮大。",
     "通过组织各种活动，加强企业交流合作，助力优化营商环境，促进非公经济两个健康发展",
     "开展活动加强企业交流合作，助力优化营商环境，促进非公经济健康发展", 20),
    ("产出指标", "工作", "12 月底前完成各项工作", "2021 年 12 月 31 日", "2021 年 12 月 31 前已完成", 10),
    ("效益指标", "经济效益",
     "全力助力民营企业融入深圳建设先行示范区和深港科技创新合作区建设，为福田打造“四大中心”，建设高质量发展典范城区发挥更大作用。",
     "引导辖区民营企业家融入“一轴两翼五廊”发展格局，助力打造“四大中心”，优化服务非公经济“两个健康”。",
     "助力民营企业经济发展", 8),
    ("效益指标", "社会效益", "充分发挥党委和政府桥梁纽带作用，助力优化营商环境，促进非公经济两健康发展。",
     "聚焦粤港澳大湾区，开展“八大行动”，引导民营企业融入福田“一轴两翼五廊”、积极推动“四大中心”发展战略，加快建设高质量发展的社会主义现代化典范城区，助力民营企业高质量发展。",
     "为民营企业高质量营造优良营商环境", 15),
    ("效益指标", "生态效益", "不适用", "不适用", "不适用", 0),
    ("效益指标", "可持续影响", "充分发挥党委和政府桥梁纽带作用，助力优化营商环境，促进非公经济两健康发展。",
     "引导非公经济企业积极参与粤港澳大湾区建设，推动我区加快建设高质量发展社会主义现代化典范城区作出贡献",
     "推进建设高质量发展社会主义现代化典范城区", 7),
    ("满意度指标", "服务对象满意度", "不低于 85%", "服务对象满意度指标不低于 85%", "100%", 10),
]
# fmt: on
# Σ 得分 = 20 + 20 + 10 + 8 + 15 + 0 + 7 + 10 = 90, 合计 printed 100 (F-1)


def write_table12(w: Writer) -> FormBuilder:
    b = FormBuilder("futian2021_table12", "selfeval", w)
    title = w.title("表 1-2 2021 年工商联经费项目绩效指标评分表", 6, size=12)
    b.record("head.year", title, 2021)
    b.record("head.project_name", title, PROJECT)
    for col, text in zip(
        "ABCDEF",
        ("一级指标", "二级指标", "指标内容", "年度指标值", "实际完成值", "得分"),
        strict=True,
    ):
        b.label(f"{col}2", text, center=True)
    rows = [dict(zip(T12_GRID, t, strict=True)) for t in T12_ROWS]
    write_grid(b, 3, dict(zip(T12_GRID, "ABCDEF", strict=True)), rows)
    total = 3 + len(rows)
    b.label(f"A{total}", "合计", merge=f"A{total}:E{total}", center=True)
    where = b.put("total.score", f"F{total}", 100, center=True)
    b.known.append(("TOTAL_MISMATCH", where))  # F-1
    b.oracle.update(total_printed="100", score_sum="90")
    w.borders(2, total, 6)
    w.widths({"A": 12, "B": 14, "C": 36, "D": 36, "E": 30, "F": 8})
    return b


def originals(out: Path, family: str) -> list[CorpusFile]:
    wb = new_workbook()
    if family == "futian2021_evaltable":
        ws = wb.create_sheet("表2-1")
        form = write_evaltable(Writer(ws)).expected(ws.title)
    else:
        ws = wb.create_sheet("表1-2")
        form = write_table12(Writer(ws)).expected(ws.title)
    path = out / f"{family}.xlsx"
    save_deterministic(wb, path)
    return [CorpusFile(path=path, variant="original", forms=(form,))]
