"""longgang2023 — 深圳市龙岗区工商业联合会 2023 项目支出绩效自评表 ×3 (seed 000).

Texts, amounts and scores are the seed's, verbatim (including its spaces, the
half-width "(50分)" labels, the HTML tags of form 2's goals and the stray
spaces of the project codes, DOMAIN L-8).  Two deliberate readings of the PDF
text: the LaTeX leak "\\geq" of form 1 is the "≥" the form printed, and the
成本指标 actual "…≤550 / 元/人" split over two PDF lines is one cell.

Published arithmetic (DOMAIN §5.1), recomputed in the comments below.
"""

from __future__ import annotations

from pathlib import Path

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

FAMILY = "longgang2023"
WIDTH = 9  # A..I
UNIT = "深圳市龙岗区工商业联合会 (本级)"

# Indicator rows: (level1, level2, level3, target, actual, weight, score, deviation)
# fmt: off
_DANGJIAN_ROWS = [
    ("产出指标", "数量指标", "推动非公企业应建尽建党组织", "新增党组织覆盖企业≥2家", "2家", 10, 10),
    ("产出指标", "质量指标", "执行补贴标准", "按照文件规定标准发放党务干部补贴",
     "按照文件规定标准发放党务干部补贴", 10, 10),
    ("产出指标", "质量指标", "执行奖励标准",
     "按照区委组织部文件规定,完善“两新”组织党员成长审核程序,按标准发放奖励",
     "按照执行奖励标准发放奖励", 10, 10),
    ("产出指标", "时效指标", "按时完成各项任务", "按时完成区委组织部下达的非公党建工作任务",
     "按季度完成了各项非公党建工作任务", 10, 10),
    ("产出指标", "成本指标", "开展党建活动人均成本", "按各类文件规定的标准执行",
     "开展党建活动人均成本≤550元/人", 10, 10),
    ("效益指标", "经济效益指标", "党建促企业发展", "发挥党组织和党员作用,助力企业发展有所成效",
     "发挥党组织和广大党员作用,助推企业高质量发展", 10, 10),
    ("效益指标", "社会效益指标", "加强非公企业党组织建设",
     "不断提升非公企业党组织书记、党务工作者的能力素质,认真做好党组织建设和党员管理各项综合性事务",
     "建立台账,做实组织建设和党员管理各项综合性事务。", 10, 10),
    ("效益指标", "生态效益指标", "增强党组织影响力",
     "拓宽党在非公领域的组织和工作覆盖面,发挥党组织在非公领域的引领作用,增强党组织的影响力、凝聚力和战斗力",
     "打造了8个示范党部", 10, 10),
    ("效益指标", "可持续影响指标", None, None, "不适用", 0, 0),
    ("满意度指标", "服务对象满意度指标", "各党组织满意度", "辖属各党组织对党委工作满意度 ≥ 九十",
     "100%", 10, 10),
    ("满意度指标", "其他满意度指标", None, None, "无", 0, 0),
]
# fmt: on

# fmt: off
_SHANGHUI_ROWS = [
    ("产出指标", "数量指标",
     "培育筹建 2 家以上重点行业商（协）会，与 5-8 家商协会共同承办服务会员企业活动",
     "筹建区空间服务等行业协会；与 5-8 家商协会共同承办服务会员企业活动", "5 家", 20, 20),
    ("产出指标", "质量指标", "加强行业商协会规范化建设",
     "健全商（协）会考评机制，对所属商（协）会工作进行日常化、常态化考核",
     "健全商（协）会考评机制，对所属商（协）会工作进行日常化、常态化考核", 10, 10),
    ("产出指标", "时效指标", "有关商协会及时完成换届及时率", "完成有关商协会换届工作",
     "及时率 100%", 10, 10),
    # 5家 planned, 成立1家换届1家 = 2 done: 10 × 2/5 = 4 (DOMAIN L-4)
    ("产出指标", "成本指标", "街道工商联、行业商（协）会的成立、换届等给予经费支持",
     "5家商协会的成立、换届", "成立1家换届1家", 10, 4,
     "原因：\n未找到合适的会长人选\n措施：\n将与有关部门进一步沟通，按照三强一好的标准寻找合适的会长人选"),
    ("效益指标", "经济效益指标", "解决商协会企业困难问题",
     "推动商（协）会通过直联工作制度带领行业企业与职能部门直接对接，以制度化、常态化的机制解决企业的实际困难问题。",
     "通过直联工作制度带领行业企业与职能部门直接对接，解决企业的实际困难问题", 10, 10),
    ("效益指标", "社会效益指标", "参与社会治理", "积极承接政府职能", "积极承接政府职能", 10, 10),
    ("效益指标", "生态效益指标", "增加行业商协会的政治引领性", "商协会做到“三性”统一",
     "商协会做到“三性”统一", 10, 10),
    ("效益指标", "可持续影响指标", None, None, "不适用", 0, 0),
    ("满意度指标", "服务对象满意度指标", "建立符合产业政策的行业商（协）会体系",
     "坚持“成熟一个、组建一个、稳固一个”原则，逐步建立行业商（协）会体系",
     "逐步建立行业商（协）会体系", 10, 10),
    ("满意度指标", "其他满意度指标", None, None, "不适用", 0, 0),
]
# fmt: on

# fmt: off
_FALV_ROWS = [
    ("产出指标", "数量指标", "提供法律审查意见率", "提供法律审查意见率达100%", "100%", 10, 10),
    ("产出指标", "质量指标", "法律专业服务",
     "充分发挥法律顾问作用, 有效降低法律风险, 减少法律纠纷", "无法律纠纷", 20, 20),
    ("产出指标", "时效指标", "及时率", "2个工作日内", "2个工作日内", 10, 10),
    ("产出指标", "成本指标", "成本控制", "≤3万", "≤3万", 10, 10),
    ("效益指标", "经济效益指标", "避险增效", "财政资金零损失", "财政资金零损失", 15, 15),
    ("效益指标", "社会效益指标", "专业化", "为商协会和辖属党组织提供有效、专业的保障",
     "为商协会和辖属党组织提供有效、专业的保障", 15, 15),
    ("效益指标", "生态效益指标", None, None, "不适用", 0, 0),
    ("效益指标", "可持续影响指标", None, None, "不适用", 0, 0),
    ("满意度指标", "服务对象满意度指标", "科室满意度", "各科室满意度 100%", "100%", 10, 10),
    ("满意度指标", "其他满意度指标", None, None, "不适用", 0, 0),
]
# fmt: on

# fmt: off
FORMS = [
    {
        "sheet": "党建事务",
        "code": "44030721070150000349 6",
        "name": "党建事务",
        "year_label": "绩效自评年度:",
        "fiscal_label": "其中:当年财政拨款",
        # 1937189.02 / 1959300 = 98.8715 % -> 98.87; × 10 = 9.8871 -> 9.89
        "amounts": (1959300, 1959300, 1937189.02),
        "rate": 98.87,
        "exec_score": 9.89,
        "goal_expected": "以习近平新时代中国特色社会主义思想为指导,严格按照中央、省、市、区委组织部要求,全力推进非公企业党建工作,营造浓厚的非公党建氛围,健全党群活动阵地建设,提高提升非公党建工作实效和标准化、规范化水平。",
        "goal_actual": "以习近平新时代中国特色社会主义思想为指导,严格按照中央、省、市、区委组织部部署工作要求,积极推动非公党建工作,提质增效,打造阵地、凝聚合力,营造出浓厚党建氛围,提升非公党组织政治工人和组织力,加快非公各党组织标准化建设进展,高质量推进基层党建标准化、规范化建设。",
        "labels": {"产出指标": "产出指标 (50分)", "效益指标": "效益指标 (30分)", "满意度指标": "满意度指标 (10分)"},
        "weight_header": ("*分值", "*得分"),
        "rows": _DANGJIAN_ROWS,
        # 50 + 30 + 10 = 90; 90 + 9.89 = 99.89
        "indicator_sum": "90",
        "total": 99.89,
        "known": [("ACTUAL_IS_CONSTRAINT", 4, "actual")],  # L-2: actual "…≤550元/人"
    },
    {
        "sheet": "商会组织建设",
        "code": "4403072107015000035 27",
        "name": "商会组织建设",
        "year_label": "绩效自评\n年度:",
        "fiscal_label": "其中: 当年财政拨款",
        # 376056.50 / 378500 = 99.3544 % -> 99.35; × 10 = 9.93544 -> 9.94 (float round gives 9.93, L-7)
        "amounts": (378500, 378500, 376056.5),
        "rate": 99.35,
        "exec_score": 9.94,
        "goal_expected": "<p>坚持标准，严格程序，吐故纳新，优化结构，出台评价制度，探索建立“退出”机制，推动全区工商联组织建设水平迈上新台阶。坚持“成熟一个、组建一个、稳固一个”的原则，有重点地培育和发展符合我区产业发展政策的行业商（协）会，推动其参与经济社会建设。重点开展企业调研工作，推动解决企业发展中遇到的困难问题，助力民营经济高质量发展。</p>",
        "goal_actual": "<p>高标准完成区工商联换届工作，选举产生 198 名七届执委（理事）成员，高新技术企业代表占比 50%以上；出台《龙岗区工商联系统秘书长评价办法》并试行；组建成立区财税行业协会，筹备成立区低空经济行业协会；通过区、街两级政企直联制度、暖企行动等走访企业 3000 多家，完善企业诉求台账，做到事事有落实、需求有回应。</p>",
        "labels": {"产出指标": "产出指标 (50 分)", "效益指标": "效益指标 (30分)", "满意度指标": "满意度指标 (10分)"},
        "weight_header": ("*分值", "*得分"),
        "rows": _SHANGHUI_ROWS,
        # 20 + 10 + 10 + 4 = 44; + 30 + 10 = 84; 84 + 9.94 = 93.94
        "indicator_sum": "84",
        "total": 93.94,
        "known": [
            ("TARGET_IN_LEVEL3", 0, "level3"),  # L-3
            ("SATISFACTION_NO_PERCENT", 8, "actual"),  # L-5
        ],
    },
    {
        "sheet": "法律顾问服务经费",
        "code": "44030723040150010500 1",
        "name": "法律顾问服务经费",
        "year_label": "绩效自评年度:",
        "fiscal_label": "其中: 当年财政拨款",
        # 27500 / 27500 = 100 % (全年预算数, not 年初 30000: DOMAIN §1.3); × 10 = 10
        "amounts": (30000, 27500, 27500),
        "rate": 100,
        "exec_score": 10,
        "goal_expected": "协调处理我单位决策管理中的法律事务, 依法提出法律意见, 保证决策的合法性, 并对相关法律风险提出防范意见, 参与重要规章制度的制定和实施",
        "goal_actual": "根据法律顾问提出的法律意见, 保证了决策的合法性, 以及相关制度的修订和实施。",
        "labels": {"产出指标": "产出指标 (50分)", "效益指标": "效益指标 (30分)", "满意度指标": "满意度指标 (10分)"},
        "weight_header": ("* 分值", "* 得分"),
        "rows": _FALV_ROWS,
        # 50 + 30 + 10 = 90; 90 + 10 = 100
        "indicator_sum": "90",
        "total": 100,
        "known": [("ACTUAL_IS_CONSTRAINT", 3, "actual")],  # L-6: actual "≤3万"
    },
]
# fmt: on

FUND_LABELS = ("年度资金总额", None, "上年结转资金", "其他资金")
FUND_KEYS = ("total", "fiscal", "carryover", "other")


def _amount_text(value) -> str:
    return f"{value:,.2f}"


def write_form(w: Writer, form: dict, text_amounts: bool = False) -> FormBuilder:
    """One 自评表 with its top-left corner at the writer's origin."""
    b = FormBuilder(FAMILY, "selfeval", w, amount_unit="元")
    w.title("项目支出绩效自评表", WIDTH)
    b.label("A2", "项目编码:")
    code = b.put("head.project_code", "B2", form["code"], merge="B2:C2", fmt=TEXT_FORMAT)
    b.known.append(("PROJECT_CODE_FORMAT", code))  # L-8: stray spaces
    b.label("D2", "项目名称:")
    b.put("head.project_name", "E2", form["name"], merge="E2:F2")
    b.label("G2", form["year_label"])
    b.put("head.year", "H2", 2023, merge="H2:I2", center=True)
    b.label("A3", "实施单位:")
    b.put("head.unit", "B3", UNIT, merge="B3:D3")
    b.label("E3", "一级预算单位:")
    b.put("head.dept", "F3", UNIT, merge="F3:I3")
    b.label("A4", "资金使用情况", merge="A4:I4", center=True)
    for col, text in zip(
        "CDEFG", ("年初预算数", "全年预算数", "全年执行数", "分值", "执行率 (%)"), strict=True
    ):
        b.label(f"{col}5", text, center=True)
    b.label("H5", "得分", merge="H5:I5", center=True)
    b.label("A6", "项目资金 (元)", merge="A6:A9", center=True)
    labels = list(FUND_LABELS)
    labels[1] = form["fiscal_label"]
    for i, (key, label) in enumerate(zip(FUND_KEYS, labels, strict=True)):
        r = 6 + i
        b.label(f"B{r}", label)
        amounts = form["amounts"] if key in ("total", "fiscal") else (0, 0, 0)
        for col, name, value in zip(
            "CDE", ("initial_budget", "annual_budget", "executed"), amounts, strict=True
        ):
            if text_amounts:
                b.put(
                    f"funds.{key}.{name}",
                    f"{col}{r}",
                    value,
                    shown=_amount_text(value),
                    fmt=TEXT_FORMAT,
                )
            else:
                b.put(f"funds.{key}.{name}", f"{col}{r}", value, fmt=AMOUNT_FORMAT)
        if key == "total":
            b.put("exec.weight", f"F{r}", 10, center=True)
            b.put("exec.rate", f"G{r}", form["rate"], center=True)
            b.put("exec.score", f"H{r}", form["exec_score"], merge=f"H{r}:I{r}", center=True)
        else:
            for col in "FG":
                b.label(f"{col}{r}", "—", center=True)
            b.label(f"H{r}", "—", merge=f"H{r}:I{r}", center=True)
    b.label("A10", "项目目标完成情况", merge="A10:I10", center=True)
    b.label("A11", "年度总体目标", merge="A11:A12", center=True)
    b.label("B11", "预期目标", merge="B11:E11", center=True)
    b.label("F11", "* 实际完成情况", merge="F11:I11", center=True)
    b.put("goal.expected", "B12", form["goal_expected"], merge="B12:E12")
    b.put("goal.actual", "F12", form["goal_actual"], merge="F12:I12")

    headers = (
        "一级指标",
        "二级指标",
        "三级指标",
        "年度指标值",
        "* 实际完成值",
        *form["weight_header"],
    )
    for col, text in zip("BCDEFGH", headers, strict=True):
        b.label(f"{col}13", text, center=True)
    b.label("I13", "偏差原因分析及改进措施", center=True)
    rows = [_row_dict(r) for r in form["rows"]]
    for code_, index, fname in form["known"]:
        rows[index]["known"] = [(code_, fname)]
    fields = (
        "level1",
        "level2",
        "level3",
        "target",
        "actual",
        "weight",
        "score",
        "deviation_reason",
    )
    columns = dict(zip(fields, "BCDEFGHI", strict=True))
    write_grid(b, 14, columns, rows, level1_labels=form["labels"])
    for level1, label in form["labels"].items():
        b.level1_weights[level1] = int(label.split("(")[1].split("分")[0])
    total_row = 14 + len(rows)
    b.label("A13", "年度绩效指标", merge=f"A13:A{total_row}", center=True)
    b.label(f"B{total_row}", "总分", merge=f"B{total_row}:F{total_row}", center=True)
    b.put("total.weight", f"G{total_row}", 100, center=True)
    b.put("total.score", f"H{total_row}", form["total"], center=True)
    b.label(f"I{total_row}", "—", center=True)
    b.oracle.update(
        exec_rate_pct=f"{form['rate']:.2f}",
        exec_score=f"{form['exec_score']:.2f}",
        indicator_sum=form["indicator_sum"],
        total=f"{form['total']:.2f}",
    )
    w.borders(2, total_row, WIDTH)
    w.widths({"A": 11, "B": 16, "C": 14, "D": 22, "E": 26, "F": 24, "G": 8, "H": 8, "I": 22})
    return b


def _row_dict(t: tuple) -> dict:
    level1, level2, level3, target, actual, weight, score, *rest = t
    row = {
        "level1": level1,
        "level2": level2,
        "level3": level3,
        "target": target,
        "actual": actual,
        "weight": weight,
        "score": score,
    }
    if rest:
        row["deviation_reason"] = rest[0]
    return row


def originals(out: Path) -> list[CorpusFile]:
    """The four packagings of the three forms (openpyxl, deterministic)."""
    files = []

    # one form per sheet
    wb = new_workbook()
    forms = [write_form(Writer(wb.create_sheet(f["sheet"])), f).expected(f["sheet"]) for f in FORMS]
    files.append(_save(wb, out / "sheets.xlsx", "original", forms))

    # the three forms stacked in one sheet, two blank rows between them
    wb = new_workbook()
    ws = wb.create_sheet("自评表")
    forms, top = [], 1
    for f in FORMS:
        w = Writer(ws, top=top)
        forms.append(write_form(w, f).expected(ws.title))
        top = w.row_of(f"A{w.max_row}") + 3
    files.append(_save(wb, out / "stacked.xlsx", "stacked", forms))

    # form 1 at C4 under an attachment number and a filling note
    wb = new_workbook()
    ws = wb.create_sheet("附件2")
    ws["A1"] = "附件2"
    ws["A2"] = (
        "填报说明：1.金额单位为元；2.带*号的为必填项；3.执行率=全年执行数/全年预算数，得分=执行率×分值。"
    )
    ws.merge_cells("A2:K2")
    forms = [write_form(Writer(ws, top=4, left=3), FORMS[0]).expected(ws.title)]
    files.append(_save(wb, out / "offset.xlsx", "offset", forms))

    # amounts typed as text with thousands separators
    wb = new_workbook()
    forms = [
        write_form(Writer(wb.create_sheet(f["sheet"])), f, text_amounts=True).expected(f["sheet"])
        for f in FORMS
    ]
    files.append(_save(wb, out / "text_amounts.xlsx", "text_amounts", forms))
    return files


def _save(wb, path: Path, variant: str, forms: list) -> CorpusFile:
    save_deterministic(wb, path)
    return CorpusFile(path=path, variant=variant, forms=tuple(forms))
