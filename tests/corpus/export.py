"""platform_export — a 预算管理一体化 project self-evaluation export (DOMAIN §3.3).

Head fields, a fund grid led by 资金来源, the three-column goal block, and the
indicator grid with 计算符号 and 计量单位 in their own columns and the
权重设定值 column hidden.  Exported grids repeat the first- and second-level
names on every row (no merged label columns) and write indicator values as
text.  The .xlsx is the 浙江-style export; LibreOffice's .xls copy stands for
the 山西 .xls export.  Reconstruction: the values come from the C-tagged
examples of §4.5 (2200篇, 90%, 结转结余率, 定性 高 / 好) and the platform's
qualitative phrases (§8.1); the rest is invented and scored with the
platform's own formulas (which agree with MOF's for these rows).
"""

from __future__ import annotations

from pathlib import Path

from openpyxl.utils import get_column_letter

from .model import CorpusFile
from .sheet import (
    AMOUNT_FORMAT,
    TEXT_FORMAT,
    FormBuilder,
    Writer,
    new_workbook,
    save_deterministic,
    write_grid,
)
from .sheet import split as split_addr

FAMILY = "platform_export"
GRID = (
    "level1",
    "level2",
    "level3",
    "operator",
    "target_value",
    "actual",
    "unit",
    "weight_setting",
    "weight",
    "score",
    "deviation_reason",
)
# fmt: off
ROWS = [
    # ≥ 2200 篇, 2356: positive, B ≥ A -> 15 (设定值 10: weights moved between rows at self-evaluation)
    ("产出指标", "数量指标", "发布政务信息篇数", "≥", "2200", "2356", "篇", 10, 15, 15, None),
    # = 12 个, 11: equal, B < A -> round(11/12 × 5, 2) = 4.58
    ("产出指标", "数量指标", "政务新媒体账号维护数量", "=", "12", "11", "个", 10, 5, 4.58,
     "按要求注销1个长期停更账号，下年度按实际账号数设定指标值"),
    ("产出指标", "质量指标", "信息发布准确率", "≥", "99", "99.6", "%", 10, 10, 10, None),
    ("产出指标", "时效指标", "舆情响应及时率", "≥", "90", "96", "%", 10, 10, 10, None),
    ("产出指标", "时效指标", "重要信息当日发布率", "=", "100", "100", "%", 5, 5, 5, None),
    # ≤ 5 %, 3.85 = (520 − 500) / 520: reverse, B ≤ A -> 5
    ("产出指标", "成本指标", "结转结余率", "≤", "5", "3.85", "%", 5, 5, 5, None),
    # 定性, 达成年度指标: band [80 %, 100 %] of 15 -> 15
    ("效益指标", "社会效益指标", "政务公开透明度", "定性", "高", "达成年度指标", None, 15, 15, 15, None),
    # 定性, 部分达成年度指标并具有一定效果: band [60 %, 80 %) of 15 = [9, 12) -> 10.5
    ("效益指标", "可持续影响指标", "政务服务长效机制", "定性", "好",
     "部分达成年度指标并具有一定效果", None, 15, 15, 10.5, "长效运维机制尚在完善，部分制度未正式印发"),
    ("满意度指标", "服务对象满意度指标", "社会公众满意度", "≥", "90", "92.3", "%", 10, 10, 10, None),
]
# fmt: on
# 产出 15 + 4.58 + 10 + 10 + 5 + 5 = 49.58; 效益 15 + 10.5 = 25.5; 满意度 10: 85.08
# 执行率 = 500 / 520 = 96.154 % -> 96.15 %; 10 × 0.96154 = 9.6154 -> 9.62; total 94.70


def write_export(w: Writer) -> FormBuilder:
    b = FormBuilder(FAMILY, "selfeval", w, amount_unit="万元")
    w.title("项目支出绩效自评表", 11)
    b.label("A2", "项目名称")
    b.put("head.project_name", "B2", "政务公开与政务新媒体运维", merge="B2:D2")
    b.label("E2", "项目编码")
    b.put("head.project_code", "F2", "330100230000000001234", merge="F2:G2", fmt=TEXT_FORMAT)
    b.label("H2", "自评年度")
    b.put("head.year", "I2", 2023, shown="2023", merge="I2:K2", fmt=TEXT_FORMAT)
    b.label("A3", "主管部门")
    b.put("head.dept", "B3", "市人民政府办公室", merge="B3:D3")
    b.label("E3", "实施单位")
    b.put("head.unit", "F3", "市大数据发展中心", merge="F3:K3")
    for col, text in zip(
        "ABCDEFG",
        ("资金来源", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"),
        strict=True,
    ):
        b.label(f"{col}4", text, center=True)
    b.label("H4", "单位：万元", merge="H4:K4")
    funds = (
        ("total", "年度资金总额", (480, 520, 500)),
        ("fiscal", "其中：财政拨款", (480, 480, 462.5)),
        ("carryover", "上年结转资金", (0, 40, 37.5)),
        ("other", "其他资金", (0, 0, 0)),
    )
    for r, (key, label, amounts) in enumerate(funds, start=5):
        b.label(f"A{r}", label)
        for col, name, value in zip(
            "BCD", ("initial_budget", "annual_budget", "executed"), amounts, strict=True
        ):
            b.put(f"funds.{key}.{name}", f"{col}{r}", value, fmt=AMOUNT_FORMAT)
        if key == "total":
            b.put("exec.weight", f"E{r}", 10)
            b.put("exec.rate", f"F{r}", 96.15, shown="96.15%", fmt=TEXT_FORMAT)
            b.put("exec.score", f"G{r}", 9.62)
    b.label("A9", "年度绩效目标", merge="A9:D9", center=True)
    b.label("E9", "实际完成情况", merge="E9:H9", center=True)
    b.label("I9", "偏差原因分析及改进措施", merge="I9:K9", center=True)
    b.put(
        "goal.expected",
        "A10",
        "全年发布政务信息不少于2200篇，维护政务新媒体账号12个，舆情响应及时率不低于90%，社会公众满意度不低于90%。",
        merge="A10:D10",
    )
    b.put(
        "goal.actual",
        "E10",
        "全年发布政务信息2356篇，维护政务新媒体账号11个，舆情响应及时率96%，社会公众满意度92.3%。",
        merge="E10:H10",
    )
    b.put(
        "goal.deviation_reason",
        "I10",
        "按要求注销1个长期停更账号；长效运维机制尚在完善。",
        merge="I10:K10",
    )
    headers = (
        "一级指标",
        "二级指标",
        "指标名称",
        "计算符号",
        "指标值",
        "实际完成值",
        "计量单位",
        "权重设定值",
        "分值",
        "得分",
        "偏差原因分析及改进措施",
    )
    for col, text in zip("ABCDEFGHIJK", headers, strict=True):
        b.label(f"{col}11", text, center=True)
    rows = [{k: v for k, v in zip(GRID, t, strict=True) if v is not None} for t in ROWS]
    for row in rows:
        op, value, unit = row["operator"], row["target_value"], row.get("unit", "")
        row["target"] = value if op == "定性" else f"{op}{value}{unit}"
        row["fmt_target_value"] = row["fmt_actual"] = TEXT_FORMAT
    write_grid(b, 12, dict(zip(GRID, "ABCDEFGHIJK", strict=True)), rows, merge=())
    total = 12 + len(rows)
    b.label(f"A{total}", "总分", merge=f"A{total}:H{total}", center=True)
    b.put("total.weight", f"I{total}", 100)
    b.put("total.score", f"J{total}", 94.70)
    b.oracle.update(exec_rate_pct="96.15", exec_score="9.62", indicator_sum="85.08", total="94.70")
    w.borders(4, total, 11)
    w.widths(
        {
            "A": 12,
            "B": 16,
            "C": 22,
            "D": 8,
            "E": 14,
            "F": 30,
            "G": 8,
            "H": 10,
            "I": 8,
            "J": 8,
            "K": 30,
        }
    )
    hidden = get_column_letter(split_addr(w.at("H1"))[1])
    w.ws.column_dimensions[hidden].hidden = True  # 权重设定值
    return b


def originals(out: Path) -> list[CorpusFile]:
    wb = new_workbook()
    ws = wb.create_sheet("项目支出绩效自评表")
    form = write_export(Writer(ws)).expected(ws.title)
    path = out / "zhejiang_export.xlsx"
    save_deterministic(wb, path)
    return [CorpusFile(path=path, variant="original", forms=(form,))]
