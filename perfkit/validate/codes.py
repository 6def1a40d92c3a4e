"""Every finding code, declared once with its documentation.

The order here is the order of ``docs/findings.md``.  Codes are stable: tests,
JSON output and users' scripts rely on them; never rename one.
"""

from __future__ import annotations

from .core import ERROR, INFO, WARNING, code

# -- cells -------------------------------------------------------------------
NOT_A_NUMBER = code(
    "NOT_A_NUMBER",
    ERROR,
    "应填数字的单元格（金额、分值、得分、执行率、总分）填了文字",
    "自评表!E6 全年执行数填写“约193万”",
    "只填数字（可带千分位逗号），单位写在表头；说明文字写到偏差原因栏",
)
FORMULA_ERROR = code(
    "FORMULA_ERROR",
    ERROR,
    "单元格的公式结果是错误值（#DIV/0!、#VALUE!、#REF!、#NAME? …），或公式本身只剩一个错误值（另存为 .xls 时丢失的 =#N/A）",
    "自评表!G6 执行率为 #DIV/0!（全年预算数为空）；LibreOffice 另存的 .xls 中 G6、H6、H25 的公式成了 =#N/A",
    "补全公式引用的单元格；#NAME? 说明没有加载 perfkit 加载项，可先用 perfkit freeze 固化；=#N/A 的表格请保存为 .xlsx",
)
FORMULA_NOT_COMPUTED = code(
    "FORMULA_NOT_COMPUTED",
    WARNING,
    "单元格是公式，但文件中没有保存计算结果（由程序生成、未在 Excel 或 WPS 中打开保存过）：这些单元格未参与校验",
    "自评表!G18 总分为 =SUM(G13:G17)+G6，没有计算结果：总分没有核对",
    "在 Excel 或 WPS 中打开表格，重新计算后保存，再校验",
)
REQUIRED_EMPTY = code(
    "REQUIRED_EMPTY",
    WARNING,
    "必填（*）项为空（或只填了“/”“—”）：实际完成情况、实际完成值、分值、得分、总分",
    "自评表!F17 实际完成值为空，但该行填写了指标和分值",
    "填写该单元格；不适用的指标在实际完成值填“不适用”、分值和得分填 0 或“/”",
)
ROUNDING_DIFF = code(
    "ROUNDING_DIFF",
    INFO,
    "表中数值与按规则计算的结果只差舍入误差（不超过评分规则的 tolerance.rounding）",
    "执行率得分填 9.93，按规则 99.35% × 10 = 9.94（先四舍五入执行率再相乘造成）",
    "用未经舍入的金额计算并四舍五入到两位小数（模板公式已这样做）",
)

# -- funds ---------------------------------------------------------------------
AMOUNT_NEGATIVE = code(
    "AMOUNT_NEGATIVE",
    ERROR,
    "资金金额为负数",
    "自评表!E7 当年财政拨款 全年执行数 -2000",
    "核对金额；退回资金请在说明中写明，不要填负数",
)
FUND_SUM_MISMATCH = code(
    "FUND_SUM_MISMATCH",
    ERROR,
    "年度资金总额不等于其中各项（当年财政拨款 + 上年结转资金 + 其他资金）之和（按列）",
    "自评表!D6 全年预算数 1959300，而三项之和为 1959000",
    "核对各来源金额，使年度资金总额等于三项之和",
)
EXEC_OVER_BUDGET = code(
    "EXEC_OVER_BUDGET",
    WARNING,
    "全年执行数大于全年预算数（超预算支出）",
    "自评表!E6 全年执行数 380000 > 全年预算数 378500",
    "核对执行数；确属超支须说明原因（执行率得分最高为满分）",
)
EXEC_RATE_MISMATCH = code(
    "EXEC_RATE_MISMATCH",
    ERROR,
    "执行率（%）单元格与 全年执行数 ÷ 全年预算数 不符（差额超过容差）",
    "自评表!G6 填 100，而 1937189.02 ÷ 1959300 = 98.87%",
    "执行率 = 全年执行数 ÷ 全年预算数（不是年初预算数），保留两位小数；用模板公式 =EXEC_RATE",
)
EXEC_SCORE_MISMATCH = code(
    "EXEC_SCORE_MISMATCH",
    ERROR,
    "执行率得分与评分规则给出的得分不符（默认：min(执行率, 100%) × 分值）",
    "福田 表1-2 预算执行率记满分 10，而 99.11% × 10 = 9.91（DOMAIN F-2）",
    "按所选评分规则重新计算，或使用模板公式 =EXEC_SCORE",
)
EXEC_SCORE_MISSING = code(
    "EXEC_SCORE_MISSING",
    WARNING,
    "资金使用情况填有金额，但执行率得分为空（总分漏算预算执行率一项）",
    "福田 表1-2 没有预算执行率行，合计仍写 100；按规则执行率得分 99.11% × 10 = 9.91（DOMAIN F-2）",
    "填写执行率得分（模板公式 =EXEC_SCORE），并把它计入总分",
)
EXEC_WEIGHT_PROFILE = code(
    "EXEC_WEIGHT_PROFILE",
    WARNING,
    "预算执行率分值与评分规则不同（财政部默认 10 分）",
    "自评表!F6 分值 20，而评分规则 mof2020 为 10",
    "按通知要求设置分值；地方规则不同时用 --profile 选择对应的评分规则",
)

# -- weights -------------------------------------------------------------------
WEIGHT_NEGATIVE = code(
    "WEIGHT_NEGATIVE",
    ERROR,
    "分值（权重）为负数",
    "自评表!G20 分值 -5",
    "分值应为不小于 0 的数",
)
LEVEL1_WEIGHT_PROFILE = code(
    "LEVEL1_WEIGHT_PROFILE",
    WARNING,
    "一级指标下各行分值之和与评分规则的一级指标权重不同（财政部原则：产出 50、效益 30、满意度 10；"
    "部门整体支出绩效自评表不按项目的权重核对）",
    "产出指标各行分值合计 60，而评分规则为 50",
    "调整三级指标分值使一级指标合计符合规定；确有特殊情况请在说明中注明",
)
LEVEL1_WEIGHT_SUM = code(
    "LEVEL1_WEIGHT_SUM",
    ERROR,
    "一级（或二级）指标标注的分值与其下各行权重之和不符",
    "评分表 项目决策 (15分)，其下各行权重合计 13",
    "使标注的分值等于下级指标权重之和（下级指标录入合计应等于上级设置数）",
)
WEIGHT_SUM_NOT_100 = code(
    "WEIGHT_SUM_NOT_100",
    ERROR,
    "全部分值（含预算执行率）合计不是 100",
    "各指标分值合计 90 + 执行率 10 = 100 ✓；合计 95 时报告",
    "调整分值使总分为 100",
)
TOTAL_WEIGHT_MISMATCH = code(
    "TOTAL_WEIGHT_MISMATCH",
    ERROR,
    "总分行的分值与各行分值之和不符",
    "自评表!G44 填 100，而各行分值合计 95",
    "总分行分值应等于各行分值之和（模板公式自动计算）",
)

# -- scores --------------------------------------------------------------------
SCORE_NEGATIVE = code(
    "SCORE_NEGATIVE",
    ERROR,
    "得分为负数",
    "自评表!H23 得分 -1",
    "得分在 0 与分值之间",
)
SCORE_OVER_WEIGHT = code(
    "SCORE_OVER_WEIGHT",
    ERROR,
    "得分高于该行分值（权重）",
    "自评表!H14 得分 12，分值 10",
    "得分不得超过分值；超额完成须分析原因，不加分",
)
SCORE_MISMATCH = code(
    "SCORE_MISMATCH",
    ERROR,
    "定量指标的得分与按指标值和实际完成值计算的结果不符（完成记满分，未完成按比例）",
    "指标值 5 家，实际 2 家，分值 10：应得 10 × 2/5 = 4，表中为 10",
    "按规则重新计算（模板公式 =PERF_SCORE），或核对指标值、实际完成值是否填错",
)
QUAL_SCORE_OUT_OF_BAND = code(
    "QUAL_SCORE_OUT_OF_BAND",
    WARNING,
    "定性指标的得分不在其完成档次的区间内：达成 [80%,100%]、部分达成 [60%,80%)、未达成 [0,60%)",
    "实际完成值写“部分完成”，分值 10，得分 10（应在 [6, 8) 之间）",
    "按完成档次在区间内打分，或修改实际完成值的描述",
)
COEFFICIENT_MISMATCH = code(
    "COEFFICIENT_MISMATCH",
    ERROR,
    "部门整体支出绩效自评表中，指标得分不等于本行得分系数 × 指标权重",
    "自评表!J12 得分系数 80%，指标权重 10，指标得分填 10（应为 8）",
    "核对得分系数和指标得分：得分 = 得分系数 × 指标权重，两者须一致",
)
COEFFICIENT_OUT_OF_RANGE = code(
    "COEFFICIENT_OUT_OF_RANGE",
    ERROR,
    "得分系数不在 0% 至 100% 之间",
    "自评表!I12 得分系数填 120",
    "得分系数最高为 100%（超额完成不加分），最低为 0",
)
NA_WITH_WEIGHT = code(
    "NA_WITH_WEIGHT",
    ERROR,
    "“不适用”的指标仍有分值",
    "生态效益指标 实际完成值“不适用”，分值 10",
    "不适用的指标分值和得分都填 0，把分值调给其他指标",
)
TOTAL_MISMATCH = code(
    "TOTAL_MISMATCH",
    ERROR,
    "总分（合计）不等于各项得分之和（自评表：各指标得分 + 执行率得分）",
    "福田 表1-2 合计 100，而各行得分 20+20+10+8+15+0+7+10 = 90（DOMAIN F-1）",
    "总分 = 各项得分之和，四舍五入两位小数；漏列的执行率行要补上",
)
SUBTOTAL_MISMATCH = code(
    "SUBTOTAL_MISMATCH",
    ERROR,
    "指标表中的“小计”行不等于其上各行之和（分值或得分）",
    "产出指标 3 行分值 25 + 15 + 10 = 50、得分 23.75 + 15 + 10 = 48.75，小计行写 50 与 49.75",
    "小计 = 上一个小计（或表头）以下各行之和；小计行本身不计入总分",
)
TOTAL_OVER_CAP = code(
    "TOTAL_OVER_CAP",
    ERROR,
    "总分超过评分规则按执行率设定的上限（预算管理一体化平台：执行率 70%–80% 最高 89 分 …）",
    "执行率 75%，总分 92（上限 89）",
    "超出上限的部分予以减分",
)
GRADE_MISMATCH = code(
    "GRADE_MISMATCH",
    ERROR,
    "绩效等级与总分按评分规则的等级区间不符",
    "总分 89.5，等级填“优”（应为“良”：90 分及以上为优）",
    "按评分规则的等级区间填写（模板公式 =PERF_GRADE）",
)

# -- text ----------------------------------------------------------------------
TARGET_UNREADABLE = code(
    "TARGET_UNREADABLE",
    WARNING,
    "年度指标值无法识别，无法按规则计分",
    "年度指标值“约两三成”",
    "写成“≥ 90%”、“不少于 8 次”、“12 月底前”这类可度量的形式",
)
ACTUAL_UNREADABLE = code(
    "ACTUAL_UNREADABLE",
    WARNING,
    "实际完成值无法识别",
    "实际完成值“≥”（只有比较符号，没有数值）",
    "填写实际完成的数量、比例或完成情况",
)
NOT_COMPARABLE = code(
    "NOT_COMPARABLE",
    WARNING,
    "实际完成值与年度指标值的单位不一致，无法比较",
    "指标值 ≥ 8 次，实际完成值 10 期",
    "使用与指标值相同的计量单位",
)
ACTUAL_NOT_MEASURED = code(
    "ACTUAL_NOT_MEASURED",
    WARNING,
    "年度指标值是数值，而实际完成值没有数值（只写了“完成”之类）",
    "指标值 ≤ 30 万元，实际完成值“完成”",
    "填写实际完成的数值（如 27.5 万元）",
)
SCORE_NOT_MEASURED = code(
    "SCORE_NOT_MEASURED",
    ERROR,
    "实际完成值写的是尚未测量（待统计、暂无数据、未统计 …）：该行不能计分，总分不完整（不按满分计）",
    "自评表!H14 活动开展次数 ≥8次，实际完成值“待统计”",
    "填写实测的完成值；确实无法取得时在偏差原因中说明，得分由评价人判断",
)
ACTUAL_IS_CONSTRAINT = code(
    "ACTUAL_IS_CONSTRAINT",
    WARNING,
    "实际完成值写成了约束条件（≤、≥、以内 …）而不是实际数值",
    "成本控制 实际完成值“≤3万”（应为 2.75 万）（DOMAIN L-2、L-6）",
    "填写实际发生的数值；若指标值与实际完成值填反了，请对调",
)
SATISFACTION_NO_PERCENT = code(
    "SATISFACTION_NO_PERCENT",
    WARNING,
    "满意度指标行既没有百分比，也没有“满意”字样（可能填了其他指标）",
    "服务对象满意度指标 填“逐步建立行业商（协）会体系”（DOMAIN L-5）",
    "满意度指标填写调查得出的满意度百分比，如“≥ 90%”/“96%”",
)
TARGET_IN_LEVEL3 = code(
    "TARGET_IN_LEVEL3",
    INFO,
    "三级指标名称里含有指标值（数量与比较），可能填错了列",
    "三级指标“培育筹建 2 家以上重点行业商（协）会”（DOMAIN L-3）",
    "三级指标只写名称，数值写到年度指标值列",
)
DEVIATION_REASON_MISSING = code(
    "DEVIATION_REASON_MISSING",
    WARNING,
    "得分低于分值，但没有填写偏差原因分析及改进措施",
    "成本指标 得分 4 / 分值 10，偏差原因为空",
    "写明未完成的原因和改进措施",
)
OVER_ACHIEVEMENT = code(
    "OVER_ACHIEVEMENT",
    INFO,
    "完成值达到指标值的 130% 及以上（偏离），没有说明原因（平台规则还要扣分）",
    "指标值 ≥ 8 次，实际 11 次（137.5%），偏差原因为空",
    "分析超额原因（指标值是否定得偏低）并写入偏差原因栏",
)
PROJECT_CODE_FORMAT = code(
    "PROJECT_CODE_FORMAT",
    WARNING,
    "项目编码含有空格或非数字字符",
    "项目编码“44030721070150000349 6”（从 PDF 复制带入空格）（DOMAIN L-8）",
    "删除空格，只保留编码数字",
)

# -- evaluation table ------------------------------------------------------------
RULE_SCORE_MISMATCH = code(
    "RULE_SCORE_MISMATCH",
    ERROR,
    "得分与该行书面评分标准计算的结果不符",
    "预算执行率 权重 3，规则“执行率每降低 1% 扣 0.1 分”，99.11% → 2.91，表中 2.97（DOMAIN F-3）",
    "按评分标准重新计算；若实际采用了别的算法，请修改评分标准的文字",
)
RULE_NOT_DERIVABLE = code(
    "RULE_NOT_DERIVABLE",
    INFO,
    "得分低于满分，评分标准无法由表中的实际值算出得分：按评价人所填得分计入总分（酌情扣分）",
    "满意度 得分 3：规则“每降低1%扣减权重分值的3%”只能给出 6 − 0.18k，表中没有满意度数值（DOMAIN F-4）",
    "在实际值栏填写实际数值（如满意度调查结果），使得分可由评分标准推出；确属酌情扣分的，在扣分原因中写明依据",
)
RULE_MAX_WEIGHT = code(
    "RULE_MAX_WEIGHT",
    WARNING,
    "评分标准的满分与该行权重不一致",
    "权重 2，评分标准“①1分+②1分+③1分”满分 3",
    "使评分标准各项分值之和等于权重",
)
RULE_DEDUCTION_SMALL = code(
    "RULE_DEDUCTION_SMALL",
    INFO,
    "评分标准按项（按次、按处）扣分，每项扣的分不到权重的 2%：要有五十项以上问题才扣完，扣分幅度异常小（常是“10%”写成了“1%”，或“扣1分”写成了“扣权重的1%”）",
    "活动开展及时性 权重 2，评分标准“每存在一项工作未及时完成扣1%权重分”：每项只扣 0.02 分（DOMAIN F-12）",
    "核实评分标准的扣分幅度，如“每项扣权重的10%”或“每项扣0.5分”",
)
WEIGHT_TEXT_MISMATCH = code(
    "WEIGHT_TEXT_MISMATCH",
    WARNING,
    "文字中写明的分值与权重栏不一致",
    "指标说明写“该指标分值为4分”，权重栏为 6（DOMAIN F-7）",
    "统一文字与权重栏",
)
RULE_DUPLICATE = code(
    "RULE_DUPLICATE",
    WARNING,
    "两个不同指标的评分标准一字不差（可能复制粘贴错误）",
    "立项依据充分性 与 立项程序规范性 的评分标准相同（DOMAIN F-10）",
    "为每个指标写出对应的评分标准",
)
INDICATOR_DUPLICATE = code(
    "INDICATOR_DUPLICATE",
    WARNING,
    "两行指标的二级指标、三级指标和年度指标值完全相同（可能复制一行后没有改）",
    "第 9 行与第 12 行都是“数量指标／举办培训场次／≥10场”：分值和得分都计了两次",
    "改成本行应有的指标，或删除多余的一行",
)
TEXT_OTHER_YEAR = code(
    "TEXT_OTHER_YEAR",
    INFO,
    "指标说明或评分标准提到的年份与评价年度不同，或自评表的时限在其他年度（可能沿用了其他项目或年度的文字）",
    "2021 年度评价的指标说明写“2020年其他工作项目”（DOMAIN F-10）；2023 年度自评表的年度指标值写“2022年12月底前”",
    "核对文字是否属于本项目、本年度",
)
DEDUCTION_REASON_MISSING = code(
    "DEDUCTION_REASON_MISSING",
    WARNING,
    "得分低于权重，但没有填写扣分原因",
    "评分表 满意度 得分 3 / 权重 6，扣分原因为空",
    "写明扣分依据",
)

# -- reading the form ------------------------------------------------------------
PART_MISSING = code(
    "PART_MISSING",
    WARNING,
    "表格缺少某一部分：资金使用情况、年度总体目标、项目名称、总分行，或指标表的某一列（三级指标、年度指标值、实际完成值、分值、得分）",
    "福田 表1-2 只有“一级指标 二级指标 指标内容 年度指标值 实际完成值 得分”：没有分值列，也没有资金使用情况",
    "按官方表式补全缺少的部分；已有的部分照常读取和校验",
)
CELLS_IGNORED = code(
    "CELLS_IGNORED",
    WARNING,
    "工作表远处的单元格有内容（超出表格可能的范围，如 XFD1048576），未读取",
    "自评表 中 XFD1048576 有一个“x”：读取时忽略，其余内容照常校验",
    "删除这些单元格（或整行整列）后另存",
)
AMOUNT_UNIT_TYPED = code(
    "AMOUNT_UNIT_TYPED",
    WARNING,
    "资金使用情况的金额后写了与表头不同的单位：按写明的单位换算后读取和计算",
    "项目资金（元）的全年预算数填为“195.93万元”：按 1959300 元读取，执行率照常计算",
    "按表头的金额单位只填数字（1959300），或把表头改为（万元）",
)
SHEET_HIDDEN = code(
    "SHEET_HIDDEN",
    WARNING,
    "表格在隐藏的工作表中：照常读取、校验和汇总，但打开文件时看不到它（常是上一年度的旧表或草稿，会被重复汇总）",
    "工作簿中“2022年（旧）”工作表已隐藏，表中是上年的自评表：汇总中多出一行",
    "不属于本次报送的表格请删除该工作表；属于本次报送的请取消隐藏（右键工作表标签 → 取消隐藏）",
)
ROWS_HIDDEN = code(
    "ROWS_HIDDEN",
    WARNING,
    "指标表中有隐藏的行填有指标内容：照表中内容读取和校验，但屏幕上看不到它们",
    "自评表 第 15、16 行已隐藏，是上一年度的两个数量指标：它们的分值计入了合计",
    "取消隐藏（选中上下两行 → 右键 → 取消隐藏）；不属于本表的行删除，属于本表的行保持显示",
)
LAYOUT_NAME_MOVED = code(
    "LAYOUT_NAME_MOVED",
    INFO,
    "perfkit 模板的定义名称（PK_*）指向的单元格与按标签识别的位置不同（模板被改动过）",
    "PK_TOTAL 指向 H44，按标签识别的总分在 H45（在总分行上方插入了一行，但名称未随之移动）",
    "无需处理：perfkit 按标签读取；若要恢复名称，用 perfkit adopt 重新生成模板",
)

# -- the platform's self-evaluation warnings (issue 13; perfkit/validate/platform.py) --
SCORE_INFLATED = code(
    "SCORE_INFLATED",
    WARNING,
    "分数虚高（预算管理一体化平台的红色预警）：(Σ指标得分/Σ指标分值 − 执行率) ÷ (Σ指标得分/Σ指标分值) 超过评分规则的 warnings.inflated（5%）；评分规则 platform 下为错误",
    "执行率 85%，各指标得分 90/90：(100% − 85%) ÷ 100% = 15% > 5%",
    "核实指标完成情况与资金执行是否相符：钱只花了 85%，产出和效益却全部满分，须逐项说明依据或调低得分",
)
BUDGET_ZERO = code(
    "BUDGET_ZERO",
    WARNING,
    "全年预算数为 0（或空）却有得分（平台的黄色预警）：执行率无从计算，执行率得分没有依据",
    "自评表!D6 全年预算数 0，执行率得分填 10，总分 100",
    "填写调整后的全年预算数；确无预算的项目不应参加自评或执行率得分为 0",
)
EXEC_RATE_LOW = code(
    "EXEC_RATE_LOW",
    WARNING,
    "预算执行率低于评分规则的 warnings.low_exec_rate（80%）（平台的黄色预警：(预算 − 执行)/预算 > 20%）",
    "自评表!G6 全年执行数 1400000 ÷ 全年预算数 1959300 = 71.45%",
    "在偏差原因中说明资金未执行的原因和改进措施；平台规则下总分受执行率封顶",
)
WEIGHT_ZERO = code(
    "WEIGHT_ZERO",
    WARNING,
    "适用的指标分值为 0（平台校验“自评指标权重大于0”）：填写了指标值或完成值，却不计分",
    "自评表!G14 数量指标 指标值“≥2家”、实际“2家”，分值 0",
    "给该指标分配分值；确不适用的，实际完成值填“不适用”",
)
TARGET_PLACEHOLDER = code(
    "TARGET_PLACEHOLDER",
    WARNING,
    "年度指标值是模板占位符或指向别处（*、**人、≥**%、XX、—、见附件、待定 …），不是可核对的指标值",
    "自评表!E14 年度指标值“≥**家”，得分 10",
    "填写申报时的绩效指标值（如“≥ 2 家”）；附件中的指标应抄入本表",
)

# -- between the forms of one batch (perfkit/validate/repeats.py) ---------------
PROJECT_REPEATED = code(
    "PROJECT_REPEATED",
    WARNING,
    "同一批表格中，同一项目（同一年度、同一种表格，项目编码相同，或单位和项目名称都相同）有不止一份：常是重复报送、修改后的新版与旧版并存；汇总和复核把每一份都计入",
    "法律顾问服务经费.xlsx 与 法律顾问服务经费（修改）.xlsx 的项目编码都是 440307230401500105001（2023年度）：按单位的预算数和执行数多计了一次",
    "核实哪一份是最终报送的，删除或移走其他各份后重新汇总；确是不同项目的，改正项目编码或项目名称",
)
EVALUATION_AMOUNT_DIFFERS = code(
    "EVALUATION_AMOUNT_DIFFERS",
    WARNING,
    "同一项目的自评表与评分表（同一年度、单位和项目名称）填的全年预算数或全年执行数不同（按元比较；有一表以万元填写时按万元两位小数比较）",
    "自评表 全年执行数 1805700 元，而评分表为 180.75 万元",
    "核对两表的资金数：应为同一年度经调整后的全年预算数和实际执行数",
)
EVALUATION_TARGET_DIFFERS = code(
    "EVALUATION_TARGET_DIFFERS",
    WARNING,
    "同一项目的自评表与评分表中，同一指标（三级指标名称相同，或两表各自唯一的满意度指标）的年度指标值与标杆值数值不同",
    "福田 表1-2 满意度“不低于 85%”，表2-1 辖区群众满意度的标杆为“≥90%”（DOMAIN F-6）",
    "核实绩效目标批复的指标值；自评和评价应按同一个指标值考核",
)
TARGET_CHANGED = code(
    "TARGET_CHANGED",
    WARNING,
    "自评表的年度指标值与同一项目绩效目标申报表中同一指标（三级指标名称相同）的指标值不同：平台把申报（批复）的指标值原样带入自评表，改动须有批准的调整依据",
    "申报表 举办培训场次“≥10场”，自评表改为“≥8场”，实际完成 9 场，得满分",
    "按申报的指标值填写并重新计分；确经批准调整的，在偏差原因中写明调整依据",
)
INDICATOR_DROPPED = code(
    "INDICATOR_DROPPED",
    WARNING,
    "同一项目绩效目标申报表中的指标，在自评表中没有同名的三级指标（被删除或改了名称）",
    "申报表有“培训合格率（≥95%）”，自评表中没有这一行",
    "补上申报的指标并如实自评；改了名称的，改回申报时的名称",
)
BATCH_CODES = (
    PROJECT_REPEATED,
    EVALUATION_AMOUNT_DIFFERS,
    EVALUATION_TARGET_DIFFERS,
    TARGET_CHANGED,
    INDICATOR_DROPPED,
)
"""Codes found between the forms of a batch, not within one form."""
