"""Local layouts of DOMAIN §3: sichuan2023, municipal2080, yinchuan2021.

Reconstructions: labels and column orders follow the quoted forms (scqs.gov.cn /
dyxrmt.cn for 四川, kunmingchi / 1wenmi for the 20/80 template, m.yzwku.com for
银川) and the S/D/K/Y examples of §4.5; project names, level-3 names and
actuals are invented, consistent with each form's own rule (written beside
each score).
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


def _rows(table, names) -> list[dict]:
    return [{k: v for k, v in zip(names, t, strict=True) if v is not None} for t in table]


def _save(wb, path: Path, variant: str, forms) -> CorpusFile:
    save_deterministic(wb, path)
    return CorpusFile(path=path, variant=variant, forms=tuple(forms))


# --------------------------------------------------------------------------
# sichuan2023 — 指标性质 / 指标值 / 度量单位 in three columns
# --------------------------------------------------------------------------

SC_GRID = (
    "level1",
    "level2",
    "level3",
    "operator",
    "target_value",
    "unit",
    "actual",
    "weight",
    "score",
    "deviation_reason",
)
# fmt: off
SC_ROWS = [
    # = 100 %, 100 -> full 15 (S: 发放(缴纳)覆盖率)
    ("产出指标", "数量指标", "发放(缴纳)覆盖率", "=", 100, "%", 100, 15, 15, None),
    # ≤ 10 次, 3 -> reverse, B ≤ A -> full 10 (D)
    ("产出指标", "数量指标", "科目调整次数", "≤", 10, "次", 3, 10, 10, None),
    ("产出指标", "质量指标", "足额保障率", "=", 100, "%", 100, 10, 10, None),
    # = 100 %, 95 -> equal, B < A: 10 × 95/100 = 9.5
    ("产出指标", "时效指标", "按时发放率", "=", 100, "%", 95, 10, 9.5,
     "2名保障对象银行账户变更，资金于次月补发到位"),
    # ≤ 30 万元, actual 完成 (D, verbatim): no measured value; scored full by the unit
    ("产出指标", "成本指标", "成本控制数", "≤", 30, "万元", "完成", 10, 10, None),
    # ≤ 5 %, 1.18: (126.8 − 125.3) / 126.8 = 1.18 % -> full 5
    ("产出指标", "成本指标", "结余率(计算方法为:结余数/预算数)", "≤", 5, "%", 1.18, 5, 5, None),
    ("效益指标", "社会效益指标", "保障对象基本生活水平", "定性", "明显提升", None, "明显提升", 10, 10, None),
    ("效益指标", "可持续影响指标", "救助保障政策持续实施", "定性", "有效", None, "有效", 10, 10, None),
    # ≥ 90 %, 96 -> full 10
    ("效益指标", "服务对象满意度指标", "保障对象满意度", "≥", 90, "%", 96, 10, 10, None),
]
# fmt: on
# 产出 15 + 10 + 10 + 9.5 + 10 + 5 = 59.5 (weights 60); 效益 30 (weights 30): 89.5 of 90
# 预算执行率 = 预算执行数 / 调整后预算数 = 125.3 / 126.8 = 98.817 % -> 98.82 %;
#   10 × 0.98817 = 9.8817 -> 9.88; total 89.5 + 9.88 = 99.38
SC_NOTE = (
    "备注：1.预算执行率=预算执行数/调整后预算数,预算执行率未达到90%的需说明原因(100字以内);"
    "2.年中发生预算调整的(追加或调减),应单独说明理由;3.其他资金包括:社会投入资金、银行贷款."
)


def _join(operator, value, unit) -> str:
    text = f"{value:g}" if isinstance(value, (int, float)) else str(value)
    if operator == "定性":
        return text
    return f"{operator}{text}{unit or ''}"


def write_sichuan(w: Writer) -> FormBuilder:
    b = FormBuilder("sichuan2023", "selfeval", w, amount_unit="万元")
    w.title("项目支出绩效自评表", 11)
    year = b.label("A2", "（2022年度）", merge="A2:K2", center=True)
    b.record("head.year", year, 2022)
    b.label("A3", "项目名称")
    b.put("head.project_name", "B3", "城乡困难群众基本生活救助补助", merge="B3:K3")
    b.label("A4", "主管部门")
    b.put("head.dept", "B4", "县民政局", merge="B4:E4")
    b.label("F4", "实施单位")
    b.put("head.unit", "G4", "县民政局", merge="G4:K4")
    b.label("A5", "预算执行情况（万元）（10分）", merge="A5:A9", center=True)
    for col, text in zip(
        "CDEFGH",
        ("年初预算", "调整后预算数", "预算执行数", "预算执行率", "权重", "得分"),
        strict=True,
    ):
        b.label(f"{col}5", text, center=True)
    b.label("I5", "原因", merge="I5:K5", center=True)
    funds = (
        ("total", "年度资金总额", (120.5, 126.8, 125.3)),
        ("fiscal", "其中：财政拨款", (120.5, 120.5, 119)),
        ("carryover", "上年结转资金", (0, 6.3, 6.3)),
        ("other", "其他资金", (0, 0, 0)),
    )
    for r, (key, label, amounts) in enumerate(funds, start=6):
        b.label(f"B{r}", label)
        for col, name, value in zip(
            "CDE", ("initial_budget", "annual_budget", "executed"), amounts, strict=True
        ):
            b.put(f"funds.{key}.{name}", f"{col}{r}", value, fmt=AMOUNT_FORMAT)
        if key == "total":
            b.put("exec.rate", f"F{r}", 98.82, shown="98.82%", center=True)
            b.put("exec.weight", f"G{r}", 10, center=True)
            b.put("exec.score", f"H{r}", 9.88, center=True)
        w.put(f"I{r}", None, merge=f"I{r}:K{r}")
    b.label("A10", "年度总体目标", merge="A10:A11", center=True)
    b.label("B10", "预期目标", merge="B10:F10", center=True)
    b.label("G10", "实际完成情况", merge="G10:K10", center=True)
    b.put(
        "goal.expected",
        "B11",
        "按时足额发放城乡困难群众救助补助资金，为符合条件的困难群众代缴城乡居民养老保险，保障困难群众基本生活。",
        merge="B11:F11",
    )
    b.put(
        "goal.actual",
        "G11",
        "全年按标准发放救助补助资金125.3万元，代缴养老保险覆盖率100%，2名保障对象因银行账户变更于次月补发。",
        merge="G11:K11",
    )
    headers = (
        "一级指标",
        "二级指标",
        "三级指标",
        "指标性质",
        "指标值",
        "度量单位",
        "完成值",
        "权重",
        "得分",
        "未完成原因",
    )
    for col, text in zip("BCDEFGHIJK", headers, strict=True):
        b.label(f"{col}12", text, center=True)
    rows = _rows(SC_ROWS, SC_GRID)
    for row in rows:
        row["target"] = _join(row["operator"], row["target_value"], row.get("unit"))
    rows[4]["known"] = [("ACTUAL_NOT_MEASURED", "actual")]  # ≤30万元 against "完成"
    write_grid(b, 13, dict(zip(SC_GRID, "BCDEFGHIJK", strict=True)), rows)
    last = 12 + len(rows)
    b.put("part_weight", "A12", 90, shown="绩效指标（90分）", merge=f"A12:A{last}", center=True)
    total = last + 1
    b.label(f"A{total}", "总分", merge=f"A{total}:H{total}", center=True)
    b.put("total.weight", f"I{total}", 100, center=True)
    b.put("total.score", f"J{total}", 99.38, center=True)
    b.label(f"A{total + 1}", SC_NOTE, merge=f"A{total + 1}:K{total + 1}")
    b.oracle.update(exec_rate_pct="98.82", exec_score="9.88", indicator_sum="89.5", total="99.38")
    w.borders(2, total, 11)
    w.widths(
        {
            "A": 12,
            "B": 10,
            "C": 14,
            "D": 22,
            "E": 8,
            "F": 10,
            "G": 8,
            "H": 10,
            "I": 8,
            "J": 8,
            "K": 24,
        }
    )
    return b


# --------------------------------------------------------------------------
# municipal2080 — 预算执行 20 分 + 年度绩效指标 80 分 (weights written to 100)
# --------------------------------------------------------------------------

MU_GRID = ("level1", "level2", "level3", "weight", "target", "actual", "score")
# fmt: off
MU_ROWS = [
    # 20000 (K; unit in the name), 21560: positive, B ≥ A -> full 20 (107.8 %, < 130 %)
    ("产出指标", "数量指标", "服务外包在岸(万美元)", 20, 20000, 21560, 20),
    # ≥6场, 5场: positive, B < A -> 权重 × B/A = 10 × 5/6 = 8.333 -> 8.33
    ("产出指标", "数量指标", "举办对外推介活动场次", 10, "≥6场", "5场", 8.33),
    # 90% (K), 94.19%: full 10
    ("产出指标", "质量指标", "预算资金执行率", 10, "90%", "94.19%", 10),
    # 98%以上 (K), 100%: full 10
    ("产出指标", "时效指标", "资金拨付及时性", 10, "98%以上", "100%", 10),
    # ≤15万元, 16.5万元: reverse, B > A -> 权重 × A/B = 10 × 15/16.5 = 9.0909 -> 9.09
    ("产出指标", "成本指标", "单场推介活动成本", 10, "≤15万元", "16.5万元", 9.09),
    # qualitative (K), 达成: band [80 %, 100 %] of 20 -> 18
    ("效益指标", "社会效益指标", "对外文化推介效果", 20, "获得目的国(地区)受众欢迎",
     "获得目的国(地区)受众欢迎", 18),
    ("效益指标", "可持续影响指标", "服务外包企业持续发展", 10, "持续增长", "持续增长", 10),
    ("效益指标", "服务对象满意度指标", "参展企业满意度", 10, "≥90%", "92%", 10),
]
# fmt: on
# weights 20 + 10 + 10 + 10 + 10 + 20 + 10 + 10 = 100; scores Σ = 95.42
# scaled to the block's 80 分: 95.42 × 80/100 = 76.336 -> 76.34
# 执行率 = 执行数(B) / 预算数(A) = 800.6 / 850 = 94.188 % -> 94.19 %;
#   得分 = 20 × 0.94188 = 18.8376 -> 18.84; total 18.84 + 76.34 = 95.18
MU_NOTE = (
    "备注：1.预算执行情况口径:预算数为调整后财政资金总额(包括上年结余结转),执行数为资金使用单位财政资金实际支出数。"
    "2.定量指标计分原则:正向指标(即目标值为≥X,得分=权重*B/A),反向指标(即目标值为≤X,得分=权重*A/B),"
    "得分不得突破权重总额。定量指标先汇总完成数,再计算得分。"
    "3.定性指标计分原则:达成预期指标、部分达成预期指标、未达成预期指标三档,"
    "分别按照该指标对应分值区间100%-80%(含80%)、80%-50%(含50%)、50%-0%合理确定分值。"
    "4.年度绩效指标得分=各指标得分合计×80%。"
)


def write_municipal(w: Writer) -> FormBuilder:
    b = FormBuilder("municipal2080", "selfeval", w, amount_unit="万元")
    title = w.title("2022年度项目支出绩效自评表", 8)
    b.record("head.year", title, 2022)
    b.label("A2", "项目名称")
    b.put("head.project_name", "B2", "服务贸易和服务外包发展专项资金", merge="B2:D2")
    b.label("E2", "主管部门")
    b.put("head.dept", "F2", "市商务局", merge="F2:H2")
    b.label("A3", "实施单位")
    b.put("head.unit", "B3", "市商务局", merge="B3:H3")
    b.put("exec.weight", "A4", 20, shown="预算执行情况(万元)（20分）", merge="A4:A5", center=True)
    for col, text in zip("BCD", ("预算数(A)", "执行数(B)", "执行率(B/A)"), strict=True):
        b.label(f"{col}4", text, center=True)
    b.label("E4", "得分（20分*执行率）", merge="E4:H4", center=True)
    b.put("funds.total.annual_budget", "B5", 850, fmt=AMOUNT_FORMAT)
    b.put("funds.total.executed", "C5", 800.6, fmt=AMOUNT_FORMAT)
    b.put("exec.rate", "D5", 94.19, shown=0.9419, fmt=PERCENT_FORMAT, center=True)
    b.put("exec.score", "E5", 18.84, merge="E5:H5", center=True)
    for col, text in zip(
        "BCDEFGH",
        ("一级指标", "二级指标", "三级指标", "分值", "年初目标值(A)", "实际完成值(B)", "得分"),
        strict=True,
    ):
        b.label(f"{col}6", text, center=True)
    rows = _rows(MU_ROWS, MU_GRID)
    rows[0]["target"] = "20000"  # printed as the number 20000
    write_grid(b, 7, dict(zip(MU_GRID, "BCDEFGH", strict=True)), [_mu_shown(r) for r in rows])
    last = 6 + len(rows)
    b.put("part_weight", "A6", 80, shown="年度绩效指标（80分）", merge=f"A6:A{last}", center=True)
    sub = last + 1
    b.label(f"A{sub}", "指标得分合计", merge=f"A{sub}:D{sub}", center=True)
    b.put("oracle.weight_sum", f"E{sub}", 100, center=True)
    b.put("oracle.indicator_sum", f"H{sub}", 95.42, center=True)
    total = sub + 1
    b.label(f"A{total}", "自评总分（预算执行得分+指标得分合计×80%）", merge=f"A{total}:G{total}")
    b.put("total.score", f"H{total}", 95.18, center=True)
    b.label(f"A{total + 1}", MU_NOTE, merge=f"A{total + 1}:H{total + 1}")
    b.oracle.update(
        exec_rate_pct="94.19",
        exec_score="18.84",
        weight_sum="100",
        indicator_sum="95.42",
        indicator_scaled="76.34",
        total="95.18",
    )
    w.borders(2, total, 8)
    w.widths({"A": 12, "B": 12, "C": 14, "D": 22, "E": 8, "F": 22, "G": 22, "H": 8})
    return b


def _mu_shown(row: dict) -> dict:
    if row["target"] == "20000":
        row["shown_target"] = 20000
    return row


# --------------------------------------------------------------------------
# yinchuan2021 — 决策/管理/产出/效益, 预算执行率 as an indicator row of 管理
# --------------------------------------------------------------------------

YC_GRID = ("level1", "level2", "level3", "weight", "target", "actual", "score")
# fmt: off
YC_ROWS = [
    ("决策", "项目立项", "立项依据充分性", 3, "充分", "充分", 3),
    ("决策", "绩效目标", "绩效目标明确性", 4, "明确", "明确", 4),
    ("决策", "资金投入", "预算编制科学性", 3, "合理", "合理", 3),
    # 执行率 × 分值 = 51.22 / 52 × 10 = 9.85
    ("管理", "资金管理", "预算执行率", 10, "100%", "98.5%", 9.85),
    ("管理", "资金管理", "资金使用合规性", 5, "合规", "合规", 5),
    ("管理", "组织实施", "管理制度健全性", 5, "健全", "健全", 5),
    ("管理", "组织实施", "制度执行有效性", 5, "有效", "有效", 5),
    # 2370人 (Y), 2412人 -> full 10
    ("产出", "产出数量", "培训人数", 10, "2370人", "2412人", 10),
    ("产出", "产出质量", "培训合格率", 5, "≥95%", "97%", 5),
    ("产出", "产出时效", "项目完成时间", 5, "2021年12月完成", "2021年12月完成", 5),
    # 15万元 (Y, a cost: reverse), 14.8万元 (Y) -> full 5
    ("产出", "产出成本", "培训费", 5, "15万元", "14.8万元", 5),
    # 35万元 (Y, reverse), 36.2万元: A/B = 5 × 35/36.2 = 4.8343 -> 4.83
    ("产出", "产出成本", "场地及设备租赁费", 5, "35万元", "36.2万元", 4.83),
    ("效益", "社会效益", "劳动者就业技能提升", 15, "明显提升", "明显提升", 15),
    # qualitative 部分达成 ("基本健全" of "健全"): band [60 %, 80 %) of 10 -> 7
    ("效益", "可持续影响", "培训长效机制", 10, "健全", "基本健全", 7),
    ("效益", "满意度", "培训学员满意度", 10, "≥90%", "93.6%", 10),
]
# fmt: on
# 决策 3 + 4 + 3 = 10; 管理 9.85 + 5 + 5 + 5 = 24.85; 产出 10 + 5 + 5 + 5 + 4.83 = 29.83;
# 效益 15 + 7 + 10 = 32; total 96.68 (weights 10 / 25 / 30 / 35 = 100)
# 执行率 = 全年执行数(B) / 调整预算数(A) = 51.22 / 52 = 98.5 %
YC_LABELS = {
    "决策": "决策（10分）",
    "管理": "管理（25分）",
    "产出": "产出（30分）",
    "效益": "效益（35分）",
}


def write_yinchuan(w: Writer, rate_actual: bool = True) -> FormBuilder:
    b = FormBuilder("yinchuan2021", "selfeval", w, amount_unit="万元")
    w.title("项目支出绩效自评表", 8)
    year = b.label("A2", "（2021年度）", merge="A2:H2", center=True)
    b.record("head.year", year, 2021)
    b.label("A3", "项目名称")
    b.put("head.project_name", "B3", "2021年职业技能提升培训项目", merge="B3:H3")
    b.label("A4", "主管部门")
    b.put("head.dept", "B4", "市人力资源和社会保障局", merge="B4:D4")
    b.label("E4", "实施单位")
    b.put("head.unit", "F4", "市职业技能公共实训中心", merge="F4:H4")
    b.label("A5", "项目资金（万元）", merge="A5:A8", center=True)
    for col, text in zip("CDE", ("年初预算数", "调整预算数(A)", "全年执行数(B)"), strict=True):
        b.label(f"{col}5", text, center=True)
    b.label("F5", "执行率(B/A)", merge="F5:H5", center=True)
    funds = (
        ("total", "年度资金总额", (50, 52, 51.22)),
        ("fiscal", "其中：财政资金", (50, 52, 51.22)),
        ("other", "其他资金", (0, 0, 0)),
    )
    for r, (key, label, amounts) in enumerate(funds, start=6):
        b.label(f"B{r}", label)
        for col, name, value in zip(
            "CDE", ("initial_budget", "annual_budget", "executed"), amounts, strict=True
        ):
            b.put(f"funds.{key}.{name}", f"{col}{r}", value, fmt=AMOUNT_FORMAT)
        if key == "total":
            b.put("exec.rate", f"F{r}", 98.5, shown="98.5%", merge=f"F{r}:H{r}", center=True)
        elif key == "fiscal":
            w.put(f"F{r}", "98.5%", merge=f"F{r}:H{r}", center=True)
        else:
            w.put(f"F{r}", None, merge=f"F{r}:H{r}")
    b.label("A9", "年度总体目标", merge="A9:A10", center=True)
    b.label("B9", "预期目标", merge="B9:D9", center=True)
    b.label("E9", "实际完成情况", merge="E9:H9", center=True)
    b.put(
        "goal.expected",
        "B10",
        "全年开展职业技能提升培训2370人，培训合格率不低于95%，于2021年12月前完成全部培训任务。",
        merge="B10:D10",
    )
    b.put(
        "goal.actual",
        "E10",
        "全年完成职业技能提升培训2412人，培训合格率97%，2021年12月完成全部培训任务。",
        merge="E10:H10",
    )
    for col, text in zip(
        "BCDEFGH",
        ("一级指标", "二级指标", "三级指标", "分值", "指标值(A)", "实际值(B)", "得分"),
        strict=True,
    ):
        b.label(f"{col}11", text, center=True)
    rows = _rows(YC_ROWS, YC_GRID)
    if not rate_actual:
        del rows[3]["actual"]  # the clerk left the 预算执行率 actual blank
    b.level1_weights.update({"决策": 10, "管理": 25, "产出": 30, "效益": 35})
    found = write_grid(
        b, 12, dict(zip(YC_GRID, "BCDEFGH", strict=True)), rows, level1_labels=YC_LABELS
    )
    b.cells["exec.score"] = found[3].cells["score"]  # the fund block has no score: the 管理 row
    last = 11 + len(rows)
    b.label("A11", "绩效指标", merge=f"A11:A{last}", center=True)
    total = last + 1
    b.label(f"A{total}", "总分", merge=f"A{total}:D{total}", center=True)
    b.put("total.weight", f"E{total}", 100, center=True)
    b.put("total.score", f"H{total}", 96.68, center=True)
    b.oracle.update(exec_rate_pct="98.50", exec_score="9.85", total="96.68")
    b.oracle.update(
        {
            f"subtotal.{k}": v
            for k, v in (("决策", "10"), ("管理", "24.85"), ("产出", "29.83"), ("效益", "32"))
        }
    )
    w.borders(2, total, 8)
    w.widths({"A": 10, "B": 14, "C": 14, "D": 20, "E": 8, "F": 18, "G": 18, "H": 8})
    return b


def originals(out: Path, family: str) -> list[CorpusFile]:
    if family == "yinchuan2021":
        files = []
        for name, variant, rate_actual in (
            ("yinchuan2021", "original", True),
            ("yinchuan2021_rate_blank", "rate_blank", False),
        ):
            wb = new_workbook()
            ws = wb.create_sheet("自评表")
            form = write_yinchuan(Writer(ws), rate_actual).expected(ws.title)
            files.append(_save(wb, out / f"{name}.xlsx", variant, [form]))
        return files
    writer = {"sichuan2023": write_sichuan, "municipal2080": write_municipal}[family]
    wb = new_workbook()
    ws = wb.create_sheet("项目支出绩效自评表")
    form = writer(Writer(ws)).expected(ws.title)
    return [_save(wb, out / f"{family}.xlsx", "original", [form])]
