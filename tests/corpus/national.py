"""mof2020_wan (财预〔2020〕10号 附件1 in 万元) and beijing2016 (北京 2016 form with
得分计算方法 columns).

Both are reconstructions: the layout and labels follow DOMAIN §1.1 / §3 and the
quoted public forms (棠溪镇 2022 for the amounts 90 / 89.974 / 89.974 and the
T-tagged indicator values of §4.5); project names, level-3 names and actual
values are invented to be consistent with the MOF rules (§1.3–1.5).  The
arithmetic of every score is written next to it.
"""

from __future__ import annotations

from pathlib import Path

from .model import CorpusFile
from .sheet import (
    AMOUNT_FORMAT,
    PERCENT_FORMAT,
    FormBuilder,
    Writer,
    new_workbook,
    save_deterministic,
    write_grid,
)

# --------------------------------------------------------------------------
# mof2020_wan
# --------------------------------------------------------------------------

# (level1, level2, level3, target, actual, weight, score, deviation_reason)
# fmt: off
MOF_ROWS = [
    # ≥50个, 52个: positive, B ≥ A -> full 10
    ("产出指标", "数量指标", "村级公益事业建设项目个数", "≥50个", "52个", 10, 10, None),
    # =8个, 7个: equal, B < A -> 5 × 7/8 = 4.375 -> 4.38
    ("产出指标", "数量指标", "新建村级文化广场个数", "=8个", "7个", 5, 4.38,
     "1个文化广场因选址调整顺延至下年度建设，将加快推进前期工作"),
    # ≥100百分比, 100%: B = A -> full 10
    ("产出指标", "质量指标", "项目验收合格率", "≥100百分比", "100%", 10, 10, None),
    # qualitative, actual restates the target -> 达成, band [4, 5]: 5
    ("产出指标", "质量指标", "资金使用合规性", "严格执行相关制度规定", "严格执行相关制度规定", 5, 5, None),
    ("产出指标", "时效指标", "项目完成及时性", "在项目计划完成时间内完成", "在项目计划完成时间内完成", 10, 10, None),
    # ≤90万元, 89.974万元: reverse, B ≤ A -> full 5
    ("产出指标", "成本指标", "项目奖补资金总额", "≤90万元", "89.974万元", 5, 5, None),
    # ≤202.6万元, 132.9 (a bare number, unit in the target): reverse, B ≤ A -> full 5
    ("产出指标", "成本指标", "村级公益事业建设总投资", "≤202.6万元", 132.9, 5, 5, None),
    ("效益指标", "经济效益指标", None, None, "不适用", 0, 0, None),
    # qualitative 达成, band [8, 10]: 9, with the reason the MOF asks for
    ("效益指标", "社会效益指标", "农村生产生活条件改善", "效果明显", "效果明显", 10, 9,
     "部分项目建成时间较短，效益尚待进一步显现"),
    # =42个, 42个 -> full 10
    ("效益指标", "社会效益指标", "受益行政村个数", "=42个", "42个", 10, 10, None),
    ("效益指标", "可持续影响指标", "公益设施持续发挥作用", "效果明显", "效果明显", 10, 10, None),
    # ≥90%, 100% (乐亭 Q) -> full 10
    ("满意度指标", "服务对象满意度指标", "受益群众满意度", "≥90%", "100%", 10, 10, None),
]
# fmt: on
# 产出 10 + 4.38 + 10 + 5 + 10 + 5 + 5 = 49.38; 效益 0 + 9 + 10 + 10 = 29; 满意度 10
# indicators 49.38 + 29 + 10 = 88.38
# 执行率 = 全年执行数 / 全年预算数 = 89.974 / 89.974 = 100 % -> 10 × 1 = 10
#   (not 89.974 / 90 = 99.97 %: 90 is the 年初预算数; that reading would print 99.97 and,
#    rounded, still score 9.9971 -> 10.00)
# total 88.38 + 10 = 98.38
MOF_TOTAL = 98.38

GRID = ("level1", "level2", "level3", "target", "actual", "weight", "score", "deviation_reason")


def _rows(table, names=GRID) -> list[dict]:
    return [{k: v for k, v in zip(names, t, strict=True) if v is not None} for t in table]


def write_mof(w: Writer) -> FormBuilder:
    b = FormBuilder("mof2020_wan", "selfeval", w, amount_unit="万元")
    title = w.title("项目支出绩效自评表（2022年度）", 9)
    b.record("head.year", title, 2022)
    b.label("A2", "项目名称")
    b.put("head.project_name", "B2", "村级公益事业建设奖补项目", merge="B2:I2")
    b.label("A3", "主管部门")
    b.put("head.dept", "B3", "贵池区棠溪镇人民政府", merge="B3:E3")
    b.label("F3", "实施单位")
    b.put("head.unit", "G3", "贵池区棠溪镇人民政府", merge="G3:I3")
    b.label("A4", "项目资金（万元）", merge="A4:A8", center=True)
    for col, text in zip(
        "CDEFG", ("年初预算数", "全年预算数", "全年执行数", "分值", "执行率"), strict=True
    ):
        b.label(f"{col}4", text, center=True)
    b.label("H4", "得分", merge="H4:I4", center=True)
    rows = (
        ("total", "年度资金总额", (90, 89.974, 89.974)),
        ("fiscal", "其中：本年财政拨款", (90, 89.974, 89.974)),
        ("carryover", "上年结转资金", None),
        ("other", "其他资金", None),
    )
    names = ("initial_budget", "annual_budget", "executed")
    for r, (key, label, amounts) in enumerate(rows, start=5):
        b.label(f"B{r}", label)
        b.fund_row(key)
        if amounts:
            for col, name, value in zip("CDE", names, amounts, strict=True):
                b.put(f"funds.{key}.{name}", f"{col}{r}", value, fmt="0.000")
        if key == "total":
            b.put("exec.weight", f"F{r}", 10, center=True)
            # typed "100%": Excel keeps the fraction 1 with a % format
            b.put("exec.rate", f"G{r}", 100, shown=1, fmt=PERCENT_FORMAT, center=True)
            b.put("exec.score", f"H{r}", 10, merge=f"H{r}:I{r}", center=True)
        else:
            b.label(f"F{r}", "—", center=True)
            if amounts:
                w.put(f"G{r}", 1, fmt=PERCENT_FORMAT, center=True)
            b.label(f"H{r}", "—", merge=f"H{r}:I{r}", center=True)
    b.label("A9", "年度总体目标", merge="A9:A10", center=True)
    b.label("B9", "预期目标", merge="B9:E9", center=True)
    b.label("F9", "实际完成情况", merge="F9:I9", center=True)
    b.put(
        "goal.expected",
        "B10",
        "通过以奖代补方式支持村级公益事业建设，完成50个以上村级公益事业建设项目，"
        "新建村级文化广场8个，项目验收合格率达到100%，改善农村生产生活条件。",
        merge="B10:E10",
    )
    b.put(
        "goal.actual",
        "F10",
        "完成村级公益事业建设项目52个，新建村级文化广场7个（1个顺延），"
        "项目验收合格率100%，受益行政村42个，群众满意度100%。",
        merge="F10:I10",
    )
    headers = ("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分")
    for col, text in zip("BCDEFGH", headers, strict=True):
        b.label(f"{col}11", text, center=True)
    b.label("I11", "偏差原因分析及改进措施", center=True)
    labels = {
        "产出指标": "产出指标(50分)",
        "效益指标": "效益指标(30分)",
        "满意度指标": "满意度指标(10分)",
    }
    b.level1_weights.update({"产出指标": 50, "效益指标": 30, "满意度指标": 10})
    write_grid(
        b, 12, dict(zip(GRID, "BCDEFGHI", strict=True)), _rows(MOF_ROWS), level1_labels=labels
    )
    last = 11 + len(MOF_ROWS)
    b.label("A11", "绩效指标", merge=f"A11:A{last}", center=True)
    total = last + 1
    b.label(f"A{total}", "总分", merge=f"A{total}:F{total}", center=True)
    b.put("total.weight", f"G{total}", 100, center=True)
    b.put("total.score", f"H{total}", MOF_TOTAL, center=True)
    b.oracle.update(
        exec_rate_pct="100.00", exec_score="10.00", indicator_sum="88.38", total="98.38"
    )
    w.borders(2, total, 9)
    w.widths({"A": 10, "B": 14, "C": 14, "D": 22, "E": 20, "F": 20, "G": 8, "H": 8, "I": 26})
    return b


# --------------------------------------------------------------------------
# beijing2016
# --------------------------------------------------------------------------

FUND_RULE = "执行率*该指标分值,最高不得超过分值上限。"
INDICATOR_RULE = "完成值达到指标值,记满分;未达到指标值,按B/A或A/B*该指标分值记分。"
BJ_GRID = ("level1", "level2", "level3", "weight", "target", "actual", "score")
# fmt: off
BJ_ROWS = [
    # 2280次, 2315次: B ≥ A -> full 15
    ("产出指标", "数量指标", "开展入户巡查次数", 15, "2280次", "2315次", 15),
    # >92%, 90%: B < A -> B/A: 15 × 90/92 = 14.6739 -> 14.67
    ("产出指标", "质量指标", "巡查问题整改率", 15, ">92%", "90%", 14.67),
    ("产出指标", "时效指标", "问题处置及时率", 10, "95%", "96%", 10),
    # ≤1400元, 1303.5元 (3,017,600 元 / 2315 次): B ≤ A -> full 10
    ("产出指标", "成本指标", "单次巡查成本", 10, "≤1400元", "1303.5元", 10),
    ("效益指标", "社会效益指标", "辖区安全隐患", 15, "明显下降", "明显下降", 15),
    ("效益指标", "可持续影响指标", "巡查机制常态化运行", 15, "长效运行", "长效运行", 15),
    ("满意度指标", "服务对象满意度指标", "居民满意度", 10, "≥90%", "93%", 10),
]
# fmt: on
# indicators 15 + 14.67 + 10 + 10 + 15 + 15 + 10 = 89.67
# 执行率 = 全年执行数(B) / 年初预算数(A) = 301.76 / 320 = 94.30 % (the form has no 全年预算数)
#   -> 10 × 0.943 = 9.43; total 89.67 + 9.43 = 99.10
BJ_TOTAL = 99.10


def write_beijing(w: Writer) -> FormBuilder:
    b = FormBuilder("beijing2016", "selfeval", w, amount_unit="万元")
    w.title("项目支出绩效自评表", 9)
    year = b.label("A2", "（2016年度）", merge="A2:I2", center=True)
    b.record("head.year", year, 2016)
    b.label("A3", "项目名称")
    b.put("head.project_name", "B3", "社区安全隐患巡查服务", merge="B3:I3")
    b.label("A4", "主管部门及代码")
    b.put("head.dept", "B4", "区城市管理委员会（216）", merge="B4:E4")
    b.label("F4", "实施单位")
    b.put("head.unit", "G4", "区城市管理指挥中心", merge="G4:I4")
    b.label("A5", "项目资金（万元）", merge="A5:A8", center=True)
    for col, text in zip(
        "CDEFG", ("年初预算数(A)", "全年执行数(B)", "分值", "执行率", "得分"), strict=True
    ):
        b.label(f"{col}5", text, center=True)
    b.label("H5", "得分计算方法", merge="H5:I5", center=True)
    funds = (
        ("total", "年度资金总额", (320, 301.76)),
        ("fiscal", "其中：财政拨款", (320, 301.76)),
        ("other", "其他资金", (0, 0)),
    )
    for r, (key, label, amounts) in enumerate(funds, start=6):
        b.label(f"B{r}", label)
        for col, name, value in zip("CD", ("initial_budget", "executed"), amounts, strict=True):
            b.put(f"funds.{key}.{name}", f"{col}{r}", value, fmt=AMOUNT_FORMAT)
        if key == "total":
            b.put("exec.weight", f"E{r}", 10, center=True)
            b.put("exec.rate", f"F{r}", 94.3, shown=0.943, fmt=PERCENT_FORMAT, center=True)
            b.put("exec.score", f"G{r}", 9.43, center=True)
    b.label("H6", FUND_RULE, merge="H6:I8")
    b.label("A9", "年度总体目标", merge="A9:A10", center=True)
    b.label("B9", "预期目标", merge="B9:E9", center=True)
    b.label("F9", "实际完成情况", merge="F9:I9", center=True)
    b.put(
        "goal.expected",
        "B10",
        "全年开展入户巡查不少于2280次，及时发现并处置各类安全隐患，问题整改率达到92%以上。",
        merge="B10:E10",
    )
    b.put(
        "goal.actual",
        "F10",
        "全年开展入户巡查2315次，问题整改率90%，问题处置及时率96%，居民满意度93%。",
        merge="F10:I10",
    )
    headers = ("一级指标", "二级指标", "三级指标", "分值", "年度指标值(A)", "全年实际值(B)")
    for col, text in zip("BCDEFG", headers, strict=True):
        b.label(f"{col}11", text, center=True)
    b.label("H11", "得分计算方法", center=True)
    b.label("I11", "得分", center=True)
    rows = _rows(BJ_ROWS, BJ_GRID)
    for row in rows:
        row["rule"] = INDICATOR_RULE
    columns = {**dict(zip(BJ_GRID, "BCDEFGI", strict=True)), "rule": "H"}
    write_grid(b, 12, columns, rows, merge=("level1", "level2", "rule"))
    last = 11 + len(rows)
    b.label("A11", "绩效指标", merge=f"A11:A{last}", center=True)
    total = last + 1
    b.label(f"A{total}", "总分", merge=f"A{total}:D{total}", center=True)
    b.put("total.weight", f"E{total}", 100, center=True)
    b.put("total.score", f"I{total}", BJ_TOTAL, center=True)
    b.oracle.update(exec_rate_pct="94.30", exec_score="9.43", indicator_sum="89.67", total="99.10")
    w.borders(2, total, 9)
    w.widths({"A": 12, "B": 14, "C": 16, "D": 20, "E": 8, "F": 14, "G": 14, "H": 24, "I": 8})
    return b


def originals(out: Path, family: str) -> list[CorpusFile]:
    wb = new_workbook()
    ws = wb.create_sheet("项目支出绩效自评表")
    writer = write_mof if family == "mof2020_wan" else write_beijing
    form = writer(Writer(ws)).expected(ws.title)
    path = out / f"{family}.xlsx"
    save_deterministic(wb, path)
    return [CorpusFile(path=path, variant="original", forms=(form,))]
