"""Every label of the park workbook, in English and Simplified Chinese: the building workbook's words
(:data:`bimcarbon.report.workbook.labels.LABELS`) and the park's own. Words with units, never code
identifiers; text from the models, the park file and the sources is written as it is (or, in Chinese,
as the data files give it in their ``_zh`` fields)."""

from __future__ import annotations

from bimcarbon.report.workbook.labels import LABELS as BUILDING_LABELS

_ROWS = [
    # sheets
    ("Overview", "Overview", "园区总览"),
    ("Buildings", "Buildings", "建筑"),
    ("Embodied by building", "Embodied by building", "各建筑隐含碳"),
    ("Embodied by material", "Embodied by material", "各材料隐含碳"),
    ("Energy balance", "Energy balance", "能源平衡"),
    ("Park criteria", "Park criteria", "园区评价指标"),
    ("Park parameters", "Parameters and sources", "参数与来源"),
    # overview
    ("park criteria pack", "Park criteria", "园区评价标准"),
    ("building criteria pack", "Building criteria", "建筑评价标准"),
    ("park file", "Park file", "园区文件"),
    ("buildings count", "Buildings", "建筑数"),
    ("assessed", "assessed", "已评估"),
    ("failed", "failed", "评估失败"),
    ("done", "assessed", "已评估"),
    ("park verdicts", "Park verdicts", "园区评价结论"),
    ("changes", "Changes when embodied counts", "计入隐含碳后是否改变"),
    ("changes line", "Counting embodied emissions changes", "计入隐含碳后结论改变"),
    (
        "no changes",
        "Counting embodied emissions changes no park tier verdict.",
        "计入隐含碳不改变任何园区等级结论。",
    ),
    ("accepted incomplete", "Accepted incomplete (--accept-incomplete)", "已接受不完整(--accept-incomplete)"),
    ("park figures", "Park figures (a year)", "园区指标(每年)"),
    ("coal basis", "Coal basis of electricity", "电力折标准煤系数"),
    ("basis equivalent", "equivalent value (当量值)", "当量值"),
    ("basis stated", "stated in the park file", "园区文件给定"),
    (
        "basis decides",
        (
            "The basis decides tCO2/tce: state the one your accounting uses (park file: "
            "park_energy.energy_to_coal)."
        ),
        "折标准煤的方法决定 tCO2/tce 的结果:请采用您的核算所用的方法(园区文件:park_energy.energy_to_coal)。",
    ),
    ("metric park core", "Carbon per energy consumption (core indicator)", "单位能耗碳排放(核心指标)"),
    ("metric park clean", "Clean-energy share (non-fossil)", "清洁能源消费占比(非化石能源)"),
    ("metric park tce", "Energy consumption", "综合能源消费量"),
    ("metric park emissions", "Emissions", "碳排放量"),
    ("metric park per m2", "Emissions per m² of floor area", "单位建筑面积碳排放"),
    ("metric park net", "Net emissions after exports and offsets", "扣除上网电量与碳抵消后的净排放"),
    ("metric park operational", "Operational CO2 after park supply", "园区供应抵扣后的运行碳排放"),
    ("metric park annualised", "Annualised embodied A1-A5", "年均隐含碳 A1-A5"),
    ("unit t/tce", "tCO2/tce", "tCO2/tce"),
    ("unit tce", "tce/a", "tce/a"),
    ("unit t/a", "tCO2e/a", "tCO2e/a"),
    ("unit kg/m2a", "kgCO2e/(m²·a)", "kgCO2e/(m²·a)"),
    ("unit kgce/kWh", "kgce/kWh", "kgce/kWh"),
    ("unit kWh", "kWh/a", "kWh/a"),
    ("unit kgCO2/a", "kgCO2/a", "kgCO2/a"),
    ("unit kgCO2e", "kgCO2e", "kgCO2e"),
    ("unit m2", "m²", "m²"),
    ("unit count", "certificates", "张"),
    ("unit kWh per certificate", "kWh per certificate", "kWh/张"),
    ("balance summary", "Park energy balance (kWh a year, in this order)", "园区能源平衡(kWh/a,按此顺序)"),
    ("embodied summary", "Park embodied emissions by module (kgCO2e)", "园区各模块隐含碳 (kgCO2e)"),
    ("failed buildings", "Failed buildings: in no sum", "评估失败的建筑:不计入任何合计"),
    (
        "failed alert",
        "building(s) failed: in no sum of this workbook",
        "栋建筑评估失败:不计入本工作簿的任何合计",
    ),
    ("provisional list", "Provisional thresholds and their sources", "暂定阈值及其来源"),
    ("park warnings", "Warnings", "警告"),
    ("not assessed", "Not assessed", "未评价"),
    (
        "not assessed text",
        (
            "The notice's other guiding indicators (energy use per unit of product, industrial solid "
            "waste, waste heat, industrial water reuse) lie outside a building model (IFC): they are not "
            "assessed."
        ),
        "通知中的其他引导性指标(单位产品能耗、工业固体废物、余热、工业用水)不在建筑模型(IFC)范围内,不"
        "予评价。",
    ),
    (
        "size notes",
        "Which size class set each threshold",
        "各阈值所依据的园区规模档次",
    ),
    # buildings
    ("building", "Building", "建筑"),
    ("failure reason", "Failure reason", "失败原因"),
    ("energy file", "Energy file", "能耗文件"),
    ("reached without", "Tier reached without embodied", "不计隐含碳达到等级"),
    ("reached with", "Tier reached with embodied", "计入隐含碳达到等级"),
    ("building changes", "Tiers that change when embodied counts", "计入隐含碳后改变的等级"),
    ("upfront per m2", "Upfront embodied A1-A5 (kgCO2e/m²)", "前期隐含碳 A1-A5 (kgCO2e/m²)"),
    (
        "embodied intensity",
        "Embodied intensity A1-A5 + B4 + C1-C4 (kgCO2e/m²)",
        "隐含碳强度 A1-A5 + B4 + C1-C4 (kgCO2e/m²)",
    ),
    ("operational intensity", "Operational carbon intensity (kgCO2/(m²·a))", "运行碳排放强度 (kgCO2/(m²·a))"),
    ("mass counted", "Mass counted (share)", "已计入质量占比"),
    ("mass assumed share", "of it assumed (share)", "其中按假定计入"),
    ("mass left out share", "Mass left out (share)", "未计入质量占比"),
    ("completeness met", "Completeness (GB/T 51366)", "完整性(GB/T 51366)"),
    ("building warnings", "Warnings (number)", "警告(条)"),
    ("json path", "Assessment in the park JSON", "园区 JSON 中的评估结果"),
    (
        "buildings intro",
        (
            "One row per building, in the park file's order. A failed building keeps its row with its "
            "reason and is in no sum. Each building's full assessment, the same as bimcarbon assess "
            "--json writes, is in the park JSON (--json) at the path in the last column."
        ),
        (
            "每栋建筑一行,按园区文件的顺序。评估失败的建筑保留其行并注明原因,不计入任何合计。每栋建筑"
            "的完整评估结果(与 bimcarbon assess --json 输出相同)见园区 "
            "JSON(--json)中最后一列所示的位置。"
        ),
    ),
    # embodied
    (
        "embodied intro",
        (
            "Each building's modules (yellow) are from its assessment; the park's total is the SUM of "
            "the building rows. A module a building did not assess is blank, and the park then has no "
            "total for it (never a partial sum). Failed buildings are listed below and are in no sum."
        ),
        "各建筑的模块数值(黄色)取自其评估结果;园区合计为各建筑行之和(SUM)。建筑未评估的模块留空,园区"
        "该模块即无合计(不给出部分之和)。评估失败的建筑列于下方,不计入任何合计。",
    ),
    ("park total", "Park total (sum of the buildings)", "园区合计(各建筑之和)"),
    ("annualised", "Annualised A1-A5 (kgCO2e/a)", "年均 A1-A5 (kgCO2e/a)"),
    ("life", "Design life (a)", "设计使用年限 (a)"),
    ("module notes", "Notes", "说明"),
    (
        "material intro",
        (
            "A1-A3 by material summed over the buildings: each total is a formula over the buildings' "
            "own rows below (yellow, from each building's assessment). Material names are as the models "
            "write them."
        ),
        "各材料 A1-A3 排放按建筑汇总:每项合计为下方各建筑自身数据行(黄色,取自各建筑的评估结果)的公式"
        "。材料名称按模型原文。",
    ),
    ("share of a1a3", "Share of the park's A1-A3", "占园区 A1-A3 的比例"),
    ("appears in", "Buildings it appears in", "所在建筑"),
    ("sum of materials", "Sum of the materials", "各材料之和"),
    ("park a1a3", "Park A1-A3 (Embodied by building)", "园区 A1-A3(见各建筑隐含碳)"),
    ("by building and material", "Each building's A1-A3 by material", "各建筑按材料的 A1-A3"),
    # energy balance
    (
        "balance intro",
        (
            "Per year, in the documented order (docs/park.md): nothing is counted twice and nothing goes "
            "below zero. Yellow cells are inputs (each building's figures from its assessment, the "
            "park's from the park file); every other figure is a formula."
        ),
        "按文档规定的顺序(docs/park.md)逐年计算:不重复计算,也不出现负值。黄色单元格为输入值(各建筑数"
        "据取自其评估结果,园区数据取自园区文件);其余数值均为公式。",
    ),
    ("step 1", "1. What stays each building's", "1. 各建筑自身部分"),
    ("step 2", "2. Pooled grid electricity", "2. 汇总电网电量"),
    (
        "step 3",
        "3. Park renewables (PV and wind) cover the pool first",
        "3. 园区可再生能源(光伏与风电)优先抵扣",
    ),
    ("step 4", "4. Direct green electricity, then green certificates", "4. 直购绿电,其次绿证"),
    ("step 5", "5. Offsets last: only the net balance takes them", "5. 最后计碳抵消:仅计入净排放"),
    ("consumption", "Energy consumption in standard coal", "综合能源消费量(折标准煤)"),
    ("emissions", "Operational emissions (kgCO2 a year)", "运行碳排放(kgCO2/a)"),
    ("park figures sheet", "The park's figures", "园区指标"),
    ("electricity used", "Electricity used (kWh/a)", "用电量 (kWh/a)"),
    ("own pv", "Own PV self-consumed (kWh/a)", "自有光伏自用电量 (kWh/a)"),
    ("own green", "Own green electricity (kWh/a)", "自有绿电 (kWh/a)"),
    ("grid after own", "Grid electricity after own supply (kWh/a)", "扣除自有供应后的电网电量 (kWh/a)"),
    ("own export", "Own PV exported (kWh/a)", "自有光伏上网电量 (kWh/a)"),
    ("building grid factor", "Grid factor (kgCO2/kWh)", "电网排放因子 (kgCO2/kWh)"),
    ("electricity kgco2", "Electricity after own supply (kgCO2/a)", "扣除自有供应后的电力排放 (kgCO2/a)"),
    ("fuels kgco2", "Fuels and heat (kgCO2/a)", "燃料与热力排放 (kgCO2/a)"),
    ("offsets kgco2", "Offsets (kgCO2/a)", "碳抵消 (kgCO2/a)"),
    ("grid factor used", "Grid factor used", "所用电网排放因子"),
    ("buildings sum", "Buildings", "各建筑合计"),
    (
        "sum grid after own",
        "Buildings' grid electricity after their own PV and green electricity",
        "各建筑扣除自有光伏与绿电后的电网电量",
    ),
    ("park loads", "Park loads (shared and process electricity)", "园区负荷(公共与工艺用电)"),
    ("pooled", "Pooled grid electricity", "汇总电网电量"),
    ("park pv", "Park PV", "园区光伏"),
    ("park wind", "Park wind", "园区风电"),
    ("renewables", "Park renewables", "园区可再生能源"),
    ("renewables used", "Park renewables used", "园区可再生能源抵扣量"),
    ("renewables exported", "Park renewables exported (surplus)", "园区可再生能源上网电量(余量)"),
    (
        "left after renewables",
        "Grid electricity left after park renewables",
        "园区可再生能源抵扣后剩余电网电量",
    ),
    ("green", "Direct green electricity (绿电)", "直购绿电"),
    ("green used", "Green electricity used", "绿电抵扣量"),
    ("green unused", "Green electricity unused (not counted)", "未使用的绿电(不计入)"),
    ("left after green", "Grid electricity left after green electricity", "绿电抵扣后剩余电网电量"),
    ("certificates", "Green certificates (绿证)", "绿证"),
    ("kwh per certificate", "Electricity per certificate", "每张绿证电量"),
    ("certificates kwh", "Green certificates' electricity", "绿证电量"),
    ("certificates used", "Green certificates used", "绿证抵扣量"),
    ("certificates unused", "Green certificates unused (not counted)", "未使用的绿证电量(不计入)"),
    ("grid remaining", "Grid electricity remaining", "剩余电网电量"),
    (
        "park grid factor",
        "Park grid factor (park loads and park supply)",
        "园区电网排放因子(园区负荷与园区供应)",
    ),
    (
        "buildings electricity",
        "Buildings' electricity after own supply, at their own factors",
        "各建筑扣除自有供应后的电力排放(按各自因子)",
    ),
    ("park loads kgco2", "Park loads at the park's factor", "园区负荷排放(按园区因子)"),
    (
        "supply credit",
        "Park supply (renewables, green electricity, certificates used) at the park's factor",
        "园区供应抵扣(可再生能源、绿电、绿证抵扣量,按园区因子)",
    ),
    (
        "electricity after supply",
        "Electricity after park supply (never below zero)",
        "园区供应抵扣后的电力排放(不低于零)",
    ),
    ("buildings fuels", "Buildings' fuels and heat", "各建筑燃料与热力排放"),
    ("park fuel", "Park fuel", "园区燃料"),
    ("park fuel factor", "CO2 factor", "排放因子"),
    ("park fuels", "Park fuels and heat", "园区燃料与热力排放"),
    (
        "after supply",
        "Operational CO2 after park supply (the core indicator's numerator)",
        "园区供应抵扣后的运行碳排放(核心指标分子)",
    ),
    (
        "buildings export credit",
        "Buildings' PV exported, at their own factors",
        "各建筑光伏上网电量(按各自因子)",
    ),
    (
        "park export credit",
        "Park renewables exported, at the park's factor",
        "园区可再生能源上网电量(按园区因子)",
    ),
    ("buildings offsets", "Buildings' offsets", "各建筑碳抵消"),
    ("park offsets", "Park offsets", "园区碳抵消"),
    ("net", "Net operational CO2 after exports and offsets", "扣除上网电量与碳抵消后的净运行碳排放"),
    ("carrier col", "Carrier", "能源类型"),
    ("buildings quantity", "Buildings", "各建筑"),
    ("park quantity", "Park", "园区"),
    ("total quantity", "Total", "合计"),
    ("kgce per unit", "kgce per unit", "折标准煤系数 (kgce/单位)"),
    ("tce", "tce/a", "tce/a"),
    ("total tce", "Energy consumption", "综合能源消费量"),
    (
        "clean kwh",
        (
            "Clean electricity: own PV and green electricity, park renewables, green electricity and "
            "certificates used"
        ),
        "清洁电力:自有光伏与绿电、园区可再生能源、绿电与绿证抵扣量",
    ),
    ("clean tce", "Clean (non-fossil) energy", "清洁(非化石)能源"),
    ("floor area sum", "Floor area of the buildings", "各建筑建筑面积之和"),
    ("annualised sum", "Annualised embodied A1-A5 of the buildings", "各建筑年均隐含碳 A1-A5"),
    ("with embodied suffix", "with embodied", "计入隐含碳"),
    (
        "clean energy reading",
        "Clean energy: only non-fossil electricity with proof of its source (our reading, docs/park.md).",
        "清洁能源:仅计有来源证明的非化石电力(本工具的解读,见 docs/park.md)。",
    ),
    # criteria
    ("blocked", "Verdicts blocked (1 = yes)", "结论被阻止 (1 = 是)"),
    (
        "park criteria intro",
        (
            "Each value, margin and verdict is a formula over the Energy balance sheet; thresholds "
            "(yellow) are inputs, the size class of the park's energy consumption chose them (notes "
            "below). Verdicts are not assessable while a building failed or an embodied total is "
            "incomplete (blocked, with the reason)."
        ),
        "每个数值、余量和结论均为基于能源平衡工作表的公式;阈值(黄色)为输入值,按园区综合能源消费量所在"
        "档次选取(见下方说明)。有建筑评估失败或隐含碳不完整时,结论为“无法评估”(被阻止,并注明原因)。",
    ),
    # parameters
    ("version", "bimcarbon version", "bimcarbon 版本"),
    ("park name", "Park", "园区名称"),
    ("grid", "Park grid (default of buildings that name none)", "园区电网(未注明电网的建筑默认采用)"),
    ("factor files", "Own factor files", "自定义因子文件"),
    ("park energy", "Park energy (park file, a year)", "园区能源(园区文件,每年)"),
    ("coal table", "Standard-coal coefficients", "折标准煤系数"),
    (
        "json note",
        (
            "The park JSON (--json) holds every figure of this workbook; each building's assessment is "
            "at buildings[n].assessment."
        ),
        "园区 JSON(--json)包含本工作簿的全部数值;各建筑的评估结果位于 buildings[n].assessment。",
    ),
    ("district heat factor", "District heat factor (kgCO2/GJ)", "市政热力排放因子 (kgCO2/GJ)"),
    ("energy to coal", "Electricity to standard coal", "电力折标准煤"),
    ("stated", "stated in the park file", "园区文件给定"),
    ("pack source", "Source", "来源"),
    ("carrier electricity", "Electricity", "电力"),
]

#: label key -> text, per language: the building workbook's labels and the park's.
PARK_LABELS: dict[str, dict[str, str]] = {
    "en": BUILDING_LABELS["en"] | {key: en for key, en, _ in _ROWS},
    "zh": BUILDING_LABELS["zh"] | {key: zh for key, _, zh in _ROWS},
}
