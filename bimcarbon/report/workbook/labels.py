"""Every label a reader of the workbook sees, in English and Simplified Chinese: words with units, never
code identifiers. Text from the model and from sources is written as it is."""

from __future__ import annotations

import functools
import re

from bimcarbon.energy_factors import load_grid

_ROWS = [
    # sheets
    ("Summary", "Summary", "汇总"),
    ("Inputs", "Inputs", "输入参数"),
    ("Criteria", "Criteria", "评价指标"),
    ("Embodied", "Embodied", "隐含碳"),
    ("Operational", "Operational", "运行碳"),
    ("Elements", "Elements", "构件明细"),
    ("Factors", "Factors", "排放因子"),
    ("Coverage", "Coverage", "覆盖率与警告"),
    ("Parameters", "Parameters", "参数"),
    # words
    ("pass", "pass", "通过"),
    ("fail", "fail", "未通过"),
    ("not assessable", "not assessable", "无法评估"),
    ("none", "none", "无"),
    ("(none)", "(none)", "(无)"),
    ("yes", "yes", "是"),
    ("no", "no", "否"),
    ("met", "met", "满足"),
    ("not met", "NOT met", "不满足"),
    ("unknown", "cannot be checked", "无法判断"),
    ("confirmed", "confirmed", "已核实"),
    ("secondary", "secondary source", "二手来源"),
    ("derived", "derived", "推算值"),
    ("unconfirmed", "unconfirmed", "未核实"),
    # inputs
    (
        "inputs intro",
        "Marked cells (yellow) are inputs: change one and recalculate, and every total, intensity, margin and verdict follows.",
        "黄色单元格为输入值:修改后重新计算,所有合计、强度、余量与结论随之更新。",
    ),
    ("input", "Input", "输入项"),
    ("value", "Value", "数值"),
    ("unit", "Unit", "单位"),
    ("source", "Source", "来源"),
    ("floor area", "Gross floor area (m²)", "建筑面积 (m²)"),
    ("design life", "Design life (a)", "设计使用年限 (a)"),
    ("a4 vehicle", "A4 transport factor (kgCO2e/(t·km))", "A4 运输碳排放因子 (kgCO2e/(t·km))"),
    ("a5 site rate", "A5 site activity (kgCO2e/m²)", "A5 施工现场活动 (kgCO2e/m²)"),
    ("a5 construction", "A5 site activity from construction energy (kgCO2e)", "A5 施工能耗排放 (kgCO2e)"),
    ("from the energy file", "construction energy given in the energy file", "能耗文件中的施工能耗"),
    ("not given", "not given", "未提供"),
    ("c1 rate", "C1 demolition (kgCO2e/m²)", "C1 拆除 (kgCO2e/m²)"),
    ("c2 distance", "C2 transport distance to waste treatment (km)", "C2 废弃物运输距离 (km)"),
    ("c2 vehicle", "C2 transport factor (kgCO2e/(t·km))", "C2 运输碳排放因子 (kgCO2e/(t·km))"),
    (
        "reference embodied",
        "Baseline's reference embodied emissions (kgCO2e/m²)",
        "基准建筑参考隐含碳 (kgCO2e/m²)",
    ),
    ("no baseline", "no baseline given", "未提供基准"),
    ("mass matched", "Mass matched by material name (kg)", "按材料名称匹配的质量 (kg)"),
    ("mass assumed", "Mass counted by an assumption (kg)", "按假定计入的质量 (kg)"),
    ("mass left out", "Mass left out (kg)", "未计入的质量 (kg)"),
    ("coverage sheet", "see the Coverage sheet", "见覆盖率工作表"),
    ("completeness threshold", "Completeness: share of the mass to count", "完整性:须计入的质量占比"),
    ("accept incomplete", "Incomplete total accepted (1 = yes)", "接受不完整的隐含碳 (1 = 是)"),
    ("counted share", "Share of the mass counted", "已计入质量占比"),
    ("complete", "Embodied total complete (1 = yes)", "隐含碳完整 (1 = 是)"),
    ("baseline share", "Share of the baseline's reference embodied compared", "基准参考隐含碳的计入比例"),
    ("gate blocked", "Verdicts with embodied blocked (1 = yes)", "计入隐含碳的结论被阻止 (1 = 是)"),
    ("by category", "Per material category", "按材料类别"),
    ("category", "Category", "类别"),
    ("distance", "Transport distance (km)", "运输距离 (km)"),
    ("wastage share", "A5 wastage (share)", "A5 损耗率"),
    ("service life", "Service life (a)", "使用寿命 (a)"),
    ("c3c4 per t", "C3-C4 (kgCO2e/t)", "C3-C4 (kgCO2e/t)"),
    ("route", "End-of-life route", "废弃处置方式"),
    (
        "category sources",
        "Sources: bimcarbon's life-cycle defaults give each value with its source and status (the file used is on the Parameters sheet).",
        "来源:bimcarbon 的生命周期默认值为每个数值给出来源与状态(所用文件见参数工作表)。",
    ),
    # elements
    ("global id", "GlobalId", "GlobalId"),
    ("ifc class", "IFC class", "IFC 类"),
    ("element name", "Element", "构件名称"),
    ("storey", "Storey", "楼层"),
    ("material", "Material", "材料"),
    ("factor id", "Factor", "排放因子"),
    ("quantity", "Quantity", "数量"),
    ("factor value", "Factor (kgCO2e/unit)", "因子 (kgCO2e/单位)"),
    ("a1a3", "A1-A3 (kgCO2e)", "A1-A3 (kgCO2e)"),
    ("mass", "Mass (kg)", "质量 (kg)"),
    ("a4", "A4 (kgCO2e)", "A4 (kgCO2e)"),
    ("a5 wastage", "A5 wastage (kgCO2e)", "A5 损耗 (kgCO2e)"),
    ("replacements", "Replacements", "更换次数"),
    ("b4", "B4 (kgCO2e)", "B4 (kgCO2e)"),
    ("c2", "C2 (kgCO2e)", "C2 (kgCO2e)"),
    ("c3c4", "C3-C4 (kgCO2e)", "C3-C4 (kgCO2e)"),
    ("conversion", "Conversion", "换算"),
    ("quantity source", "Quantity source", "工程量来源"),
    ("rule", "Rule", "匹配规则"),
    ("assumed", "Assumed", "假定"),
    ("density", "Density (kg/m³)", "密度 (kg/m³)"),
    ("density source", "Density source", "密度来源"),
    ("reason", "Reason", "原因"),
    ("note", "Note", "说明"),
    # embodied
    ("module", "Module", "模块"),
    ("kgco2e", "kgCO2e", "kgCO2e"),
    ("method", "Method", "方法"),
    ("method a1a3", "sum of the Elements sheet: quantity x factor", "构件明细之和:数量 x 因子"),
    (
        "method a4",
        "mass x distance by category x transport factor (Inputs)",
        "质量 x 按类别的运输距离 x 运输因子(输入参数)",
    ),
    ("a5 wastage label", "A5 material wastage", "A5 材料损耗"),
    ("method a5w", "wastage share by category x (A1-A3 + A4)", "按类别的损耗率 x (A1-A3 + A4)"),
    ("a5 site label", "A5 site activity", "A5 施工现场活动"),
    ("method a5s", "site activity per m² x floor area (Inputs)", "单位面积现场活动排放 x 建筑面积(输入参数)"),
    ("method a5 construction", "construction energy from the energy file", "能耗文件中的施工能耗"),
    (
        "method b4",
        "replacements (design life / service life, rounded up, - 1) x (A1-A3 + A4); reported, not in the intensities",
        "更换次数(设计使用年限 / 使用寿命,向上取整后减 1)x (A1-A3 + A4);仅报告,不计入碳排放强度",
    ),
    ("method c1", "demolition per m² x floor area (Inputs)", "单位面积拆除排放 x 建筑面积(输入参数)"),
    ("method c2", "mass x distance x transport factor (Inputs)", "质量 x 运输距离 x 运输因子(输入参数)"),
    (
        "method c3c4",
        "mass x end-of-life factor of its category's route (Inputs)",
        "质量 x 按类别处置方式的因子(输入参数)",
    ),
    (
        "method c1c4",
        "C1 + C2 + C3-C4; reported, not in the intensities",
        "C1 + C2 + C3-C4;仅报告,不计入碳排放强度",
    ),
    ("upfront", "Upfront (A1-A5)", "前期隐含碳 (A1-A5)"),
    ("embodied total", "Embodied total (A1-A5 + B4 + C1-C4)", "隐含碳合计 (A1-A5 + B4 + C1-C4)"),
    (
        "biogenic",
        "Biogenic carbon stored (kgCO2, reported apart, not netted)",
        "生物碳储存 (kgCO2,单独报告,不抵扣)",
    ),
    ("stage", "GB/T 51366 stage", "GB/T 51366 阶段"),
    ("modules", "EN 15978 modules", "EN 15978 模块"),
    (
        "b4 outside",
        "B4 (replacement) belongs to none of GB/T 51366's three stages and is reported apart.",
        "B4(更换)不属于 GB/T 51366 的三个阶段,单独报告。",
    ),
    ("chart materials", "A1-A3 by material (kgCO2e)", "各材料 A1-A3 排放 (kgCO2e)"),
    ("chart modules", "Embodied emissions by module (kgCO2e)", "各模块隐含碳排放 (kgCO2e)"),
    (
        "chart intensity",
        "Carbon intensity kgCO2e/(m²·a): without and with embodied",
        "碳排放强度 kgCO2e/(m²·a):不计与计入隐含碳",
    ),
    # operational
    ("no operational", "Operational emissions not assessed", "未评估运行碳排放"),
    ("carrier", "Energy carrier", "能源类型"),
    ("factor", "Factor (kgCO2/unit)", "排放因子 (kgCO2/单位)"),
    ("kgco2 per a", "kgCO2/a", "kgCO2/a"),
    ("grid factor", "Grid emission factor", "电网排放因子"),
    ("electricity used", "Electricity used", "用电量"),
    ("pv self", "PV self-consumed", "光伏自用电量"),
    ("gross b6", "Operational emissions B6 (kgCO2/a)", "运行碳排放 B6 (kgCO2/a)"),
    ("green electricity", "Green electricity with certificates", "绿证电量"),
    ("green credit", "Green electricity credit (kgCO2/a)", "绿电抵扣 (kgCO2/a)"),
    ("pv exported", "PV exported", "光伏上网电量"),
    ("export credit", "Exported PV credit (kgCO2/a)", "光伏上网抵扣 (kgCO2/a)"),
    ("offsets", "Offsets", "碳抵消"),
    ("net b6", "Net operational emissions (kgCO2/a)", "净运行碳排放 (kgCO2/a)"),
    ("baseline", "Baseline building", "基准建筑"),
    ("baseline b6", "Baseline operational emissions (kgCO2/a)", "基准建筑运行碳排放 (kgCO2/a)"),
    ("baseline intensity", "Baseline carbon intensity (kgCO2/(m²·a))", "基准建筑碳排放强度 (kgCO2/(m²·a))"),
    # criteria
    (
        "criteria intro",
        "Each value, margin and verdict is a formula: thresholds (yellow) are inputs; with embodied counted, verdicts are not assessable while the embodied total is incomplete (Inputs: gate).",
        "每个数值、余量和结论均为公式;阈值(黄色)为输入值;计入隐含碳时,若隐含碳不完整,结论为“无法评估”(见输入参数)。",
    ),
    ("metric", "Metric", "指标"),
    ("without", "Without embodied", "不计隐含碳"),
    ("with", "With embodied", "计入隐含碳"),
    ("benchmark", "Benchmark", "参考基准"),
    ("metric carbon_intensity_kg_per_m2a", "Carbon intensity (kgCO2e/(m²·a))", "碳排放强度 (kgCO2e/(m²·a))"),
    (
        "metric baseline_carbon_intensity_kg_per_m2a",
        "Baseline carbon intensity (kgCO2e/(m²·a))",
        "基准碳排放强度 (kgCO2e/(m²·a))",
    ),
    (
        "metric carbon_intensity_reduction_kg_per_m2a",
        "Reduction (kgCO2e/(m²·a))",
        "碳排放强度降低值 (kgCO2e/(m²·a))",
    ),
    ("metric carbon_intensity_reduction_share", "Reduction (share of the baseline)", "碳排放强度降低率"),
    (
        "metric net_carbon_intensity_kg_per_m2a",
        "Net carbon intensity (kgCO2e/(m²·a))",
        "净碳排放强度 (kgCO2e/(m²·a))",
    ),
    (
        "metric annualised_embodied_kg_per_m2a",
        "Annualised embodied (kgCO2e/(m²·a))",
        "年均隐含碳 (kgCO2e/(m²·a))",
    ),
    (
        "metric upfront_embodied_kg_per_m2",
        "Upfront embodied A1-A5 (kgCO2e/m²)",
        "前期隐含碳 A1-A5 (kgCO2e/m²)",
    ),
    ("unit share", "share", "比例"),
    ("mode", "Mode", "模式"),
    ("tier", "Tier", "等级"),
    ("criterion", "Criterion", "指标编号"),
    ("operator", "Test", "比较"),
    ("threshold", "Threshold", "阈值"),
    ("margin", "Margin", "余量"),
    ("verdict", "Verdict", "结论"),
    ("provisional", "Provisional threshold", "暂定阈值"),
    ("reached", "Tier reached", "达到等级"),
    (
        "benchmarks",
        "Informational embodied benchmarks (upfront A1-A5)",
        "隐含碳参考基准(前期 A1-A5,仅供参考)",
    ),
    # summary
    (
        "implausible",
        "IMPLAUSIBLE RESULT: check the model before using any figure",
        "结果不可信:使用任何数值前请检查模型",
    ),
    ("model", "Model", "模型"),
    ("criteria pack", "Criteria", "评价标准"),
    ("provisional mark", "* provisional threshold", "* 暂定阈值"),
    ("counted", "Materials counted", "计入的材料"),
    ("matched", "matched", "按材料名称匹配"),
    ("left out", "left out", "未计入"),
    ("air", "air", "空气层"),
    ("by mass", "share of mass", "质量占比"),
    ("by volume", "share of volume", "体积占比"),
    (
        "completeness",
        "Completeness (>= 95 % of the mass, GB/T 51366)",
        "完整性(计入材料质量 >= 95 %,GB/T 51366)",
    ),
    ("assumed share of a1a3", "Share of A1-A3 resting on assumptions", "A1-A3 中基于假定的比例"),
    ("key figures", "Key figures", "主要指标"),
    ("methods", "Methods", "计算方法"),
    ("method baseline", "Baseline's reference embodied emissions", "基准建筑参考隐含碳"),
    ("plausibility", "Checks before believing the figures (typical ranges)", "数值合理性检查(常见范围)"),
    ("check", "Check", "检查项"),
    ("typical low", "Typical low", "常见下限"),
    ("typical high", "Typical high", "常见上限"),
    ("typical", "typical", "在常见范围内"),
    ("low", "below the range", "低于常见范围"),
    ("high", "above the range", "高于常见范围"),
    ("absurd", "IMPLAUSIBLE", "不可信"),
    (
        "precheck",
        "LCA-ready pre-check: what the model gives the assessment (factors/ids/lca-ready.ids)",
        "LCA 就绪预检:模型为评估提供的信息",
    ),
    ("precheck requirement", "Requirement", "要求"),
    ("precheck applies", "Applies to", "适用构件数"),
    ("precheck failing", "Failing", "不满足数"),
    ("precheck first", "First failing GlobalIds", "首批不满足构件的 GlobalId"),
    ("precheck not applicable", "not applicable", "不适用"),
    ("precheck met", "{met} of {total} requirements met", "{total} 项要求中满足 {met} 项"),
    (
        "precheck full list",
        "Every failing element, by GlobalId, with why and how to fix it:",
        "所有不满足的构件(按 GlobalId,附原因与修正方法):",
    ),
    (
        "precheck command",
        "bimcarbon check {model} -o report.html (--lang zh). A model that fails some requirements is still assessed: its gaps show up as assumptions and left-out materials.",
        "bimcarbon check {model} -o report.html --lang zh。未满足部分要求的模型仍会评估:其缺失之处表现为假定和未计入的材料。",
    ),
    ("precheck skipped", "not run (--no-precheck)", "未运行(--no-precheck)"),
    ("warnings", "Warnings", "警告"),
    ("more warnings", "more warnings: see the Coverage sheet", "更多警告见覆盖率工作表"),
    # evidence sheets
    ("name en", "Name", "名称 (英文)"),
    ("name zh", "Name (Chinese)", "名称"),
    ("factor module", "Module", "模块"),
    ("status", "Status", "状态"),
    ("status note", "Status note", "状态说明"),
    ("factor set", "Factor set", "因子库"),
    ("licence", "Licence", "许可"),
    ("density low", "Density low (kg/m³)", "密度下限 (kg/m³)"),
    ("density high", "Density high (kg/m³)", "密度上限 (kg/m³)"),
    ("density status", "Density status", "密度状态"),
    ("item", "Item", "项目"),
    ("volume", "Volume (m³)", "体积 (m³)"),
    ("suggestions", "Suggestions", "建议"),
    ("left out materials", "Materials left out", "未计入的材料"),
    ("tool version", "bimcarbon version", "bimcarbon 版本"),
    ("schema", "IFC schema", "IFC 版本"),
    ("model sha256", "Model file SHA-256", "模型文件 SHA-256"),
    ("design life source", "Design life source", "设计使用年限来源"),
    ("rule set", "Rule set", "规则集"),
    ("parameter", "Parameter", "参数"),
    # plausibility checks (by metric)
    (
        "check upfront_embodied_kg_per_m2",
        "Upfront embodied emissions (A1-A5) per m² of floor area",
        "单位建筑面积前期隐含碳 (A1-A5)",
    ),
    ("check material_mass_kg_per_m2", "Known mass of material per m² of floor area", "单位建筑面积材料质量"),
    ("check material_volume_m3_per_m2", "Volume of material per m² of floor area", "单位建筑面积材料体积"),
    (
        "check material_share_of_gross_volume",
        "Material volume as a share of the building's gross volume",
        "材料体积占建筑毛体积的比例",
    ),
    ("check largest_element_volume_m3", "Volume of the largest element", "最大构件体积"),
    ("check energy_use_kwh_per_m2a", "Energy used a year per m² of floor area", "单位建筑面积年能耗"),
    # one element's checks (bimcarbon.element_plausibility), the element's GlobalId after the label
    (
        "check metal_thickness_m",
        "Thickness of a metal element (2 x metal volume / surface area)",
        "金属构件厚度(2 x 金属体积 / 表面积)",
    ),
    (
        "check metal_cross_section_m2",
        "Cross-section of a metal element (metal volume / length)",
        "金属构件截面积(金属体积 / 长度)",
    ),
    ("check metal_volume_m3", "Metal volume of an element of unknown shape", "形状未知的构件的金属体积"),
    # energy carriers
    ("carrier electricity (grid)", "Electricity from the grid", "电网电力"),
    ("carrier natural gas", "Natural gas", "天然气"),
    ("carrier diesel", "Diesel", "柴油"),
    ("carrier gasoline", "Gasoline", "汽油"),
    ("carrier lpg", "LPG", "液化石油气"),
    ("carrier coal", "Coal", "煤"),
    ("carrier district heat", "District heat", "市政热力"),
    # factor categories
    ("category cement", "cement", "水泥"),
    ("category concrete", "concrete", "混凝土"),
    ("category lime", "lime", "石灰"),
    ("category gypsum", "gypsum", "石膏"),
    ("category aggregate", "aggregate", "骨料"),
    ("category other", "other", "其他"),
    ("category brick", "brick and block", "砖与砌块"),
    ("category metal", "metal", "金属"),
    ("category steel", "steel", "钢材"),
    ("category glass", "glass", "玻璃"),
    ("category aluminium", "aluminium", "铝材"),
    ("category window", "window", "门窗"),
    ("category insulation", "insulation", "保温材料"),
    ("category panel", "panel", "板材"),
    ("category copper", "copper", "铜材"),
    ("category pipe", "pipe", "管材"),
    ("category plastic", "plastic", "塑料"),
    ("category water", "water", "水"),
    ("category asphalt", "asphalt", "沥青"),
    ("category plasterboard", "plasterboard", "石膏板"),
    ("category timber", "timber", "木材"),
    # calculation report (GB/T 51366 order)
    ("Report", "Calculation report", "碳排放计算书"),
    (
        "report title",
        "Building carbon emission calculation report (GB/T 51366-2019 order)",
        "建筑碳排放计算书(按 GB/T 51366-2019 编排)",
    ),
    ("report overview", "1 Project overview", "1 项目概况"),
    ("report materials", "2 Materials production and transport stage", "2 建材生产及运输阶段"),
    ("report construction", "3 Construction and demolition stage", "3 建造及拆除阶段"),
    ("report operation", "4 Operation stage", "4 运行阶段"),
    ("project", "Project", "项目名称"),
    ("location", "Location", "项目地点"),
    ("building type", "Building type", "建筑类型"),
    ("building residential", "residential", "居住建筑"),
    ("building public", "public", "公共建筑"),
    ("subtype office", "office", "办公"),
    ("subtype hotel", "hotel", "酒店"),
    ("subtype school", "school", "学校"),
    ("subtype hospital", "hospital", "医院"),
    ("subtype retail", "retail", "商业"),
    ("subtype factory", "factory", "厂房"),
    ("subtype warehouse", "warehouse", "仓库"),
    ("climate severe cold", "severe cold", "严寒地区"),
    ("climate cold", "cold", "寒冷地区"),
    ("climate hot summer cold winter", "hot summer cold winter", "夏热冬冷地区"),
    ("climate hot summer warm winter", "hot summer warm winter", "夏热冬暖地区"),
    ("climate mild", "mild", "温和地区"),
    ("climate temperate", "temperate", "温和地区"),
    ("grid national", "national", "全国"),
    ("grid average", "grid average", "电网平均排放因子"),
    (
        "grid excl_market_nonfossil",
        "grid, excluding market-traded non-fossil power",
        "电网排放因子(不含市场化交易的非化石能源电量)",
    ),
    ("grid fossil", "fossil-fuelled power", "化石能源电力排放因子"),
    ("grid carbon_market_reporting", "for carbon-market reporting", "碳排放权交易核算用电网排放因子"),
    ("grid footprint", "electricity carbon footprint", "电力碳足迹因子"),
    ("unit share", "share", "比例"),
    ("unit kgCO2e/m2 floor area", "kgCO2e/m² of floor area", "kgCO2e/m²(建筑面积)"),
    ("climate zone", "Climate zone", "气候区"),
    ("grid region", "Grid factor used", "所用电网排放因子"),
    ("storeys", "Storeys in the model", "模型楼层数"),
    ("standards", "Standards applied", "采用标准"),
    (
        "standards applied",
        "GB/T 51366-2019 (method), EN 15978 (modules)",
        "GB/T 51366-2019(计算方法),EN 15978(阶段模块)",
    ),
    ("mass t", "Mass (t)", "质量 (t)"),
    ("transport mode", "Transport mode and factor", "运输方式与因子"),
    ("total", "Total", "合计"),
    ("end use", "Energy by end use", "分项能耗"),
    (
        "end use not given",
        "not given in the energy file (energy by carrier above)",
        "能耗文件未提供分项能耗(上表为分能源类型)",
    ),
    # end-of-life routes
    ("route recycling", "recycling", "回收利用"),
    ("route combustion", "combustion", "焚烧"),
    ("route landfill_inert", "landfill (inert)", "填埋(惰性)"),
    ("route landfill_metals", "landfill (metals)", "填埋(金属)"),
    ("route landfill_plasterboard", "landfill (plasterboard)", "填埋(石膏板)"),
    ("route landfill_wood", "landfill (wood)", "填埋(木材)"),
    # match statuses
    ("status matched", "matched", "已匹配"),
    ("status assumed", "assumed", "按假定"),
    ("status no_factor", "no open factor", "无公开因子"),
    ("status unmatched", "unmatched", "未匹配"),
    ("(no material)", "(no material)", "(无材料)"),
    # stage modules and units
    ("modules B6 x design life", "B6 x design life", "B6 x 设计使用年限"),
    ("unit kgCO2e/(m2.a)", "kgCO2e/(m²·a)", "kgCO2e/(m²·a)"),
    ("unit kgCO2e/m2", "kgCO2e/m²", "kgCO2e/m²"),
    (
        "evidence legend",
        "Grey cells are figures measured on the model at assessment (evidence), not inputs.",
        "灰色单元格为评估时对模型的测量值(依据),不是输入值。",
    ),
    # run parameters
    ("param geometry", "Geometry (--geometry)", "几何计算方式 (--geometry)"),
    (
        "param quantity_check",
        "Check of exported quantities (--quantity-check)",
        "导出工程量校核 (--quantity-check)",
    ),
    ("param quantity_tolerance", "Tolerance of the quantity check", "工程量校核容差"),
    ("param energy_file", "Energy file", "能耗文件"),
    ("param mappings", "Mapping files", "映射文件"),
    ("param factor_files", "Own factor files", "自定义因子文件"),
    ("param default_rules", "Default rules used", "使用默认规则"),
    ("param assumptions", "Assumptions used", "使用假定"),
    ("param accept_incomplete", "Incomplete total accepted", "接受不完整的隐含碳"),
    ("param criteria", "Criteria pack", "评价标准"),
    ("param lifecycle_defaults", "Life-cycle defaults", "生命周期默认值"),
    ("value True", "yes", "是"),
    ("value False", "no", "否"),
    ("value None", "none", "无"),
    ("value auto", "auto", "自动 (auto)"),
    ("value never", "never", "不用几何体 (never)"),
    ("value always", "always", "总用几何体 (always)"),
    ("value sample", "sample", "抽样校核 (sample)"),
    ("value full", "full", "全部校核 (full)"),
    ("value off", "off", "不校核 (off)"),
    ("value energy file", "energy file", "能耗文件"),
    (
        "value energy file (gross_floor_area_m2)",
        "energy file (gross_floor_area_m2)",
        "能耗文件 (gross_floor_area_m2)",
    ),
    # conversion reasons
    ("reason no volume", "no volume", "无体积"),
    ("reason no volume and no mass", "no volume and no mass", "无体积且无质量"),
    ("reason no area", "no area", "无面积"),
    ("reason no area for a factor per m2", "no area for a factor per m2", "按面积计的因子缺少面积"),
    ("reason no length for a factor per m", "no length for a factor per m", "按长度计的因子缺少长度"),
    ("reason no count", "no count", "无数量"),
    ("reason no material", "no material", "无材料"),
    (
        "reason no density: the model gives none and neither the rule nor the factor has a default",
        "no density: the model gives none and neither the rule nor the factor has a default",
        "无密度:模型未给出,规则与因子也无默认值",
    ),
]

#: label key -> text, per language.
LABELS: dict[str, dict[str, str]] = {
    "en": {key: en for key, en, _ in _ROWS} | {"lang": "en"},
    "zh": {key: zh for key, _, zh in _ROWS} | {"lang": "zh"},
}


def data_label(t: dict, kind: str, key: str) -> str:
    """The label of a data key (a category, a carrier, a check) in ``t``'s language, else the key."""
    return t.get(f"{kind} {key}", key)


def reasons_zh(run) -> dict[str, str]:
    """English reason -> Chinese: the rules' own (``reason_zh``) and the conversion reasons."""
    rules = [rule for rule_set in run.rule_sets for rule in rule_set.rules]
    if run.assumptions is not None:
        rules += run.assumptions.rules.rules
    table = {rule.reason: rule.reason_zh for rule in rules if rule.reason and rule.reason_zh}
    table |= {key[len("reason ") :]: zh for key, _, zh in _ROWS if key.startswith("reason ")}
    return table


def name_in(t: dict, item) -> str:
    """The Chinese name of a tier, factor or vehicle in the Chinese workbook (when it has one), else
    its English name."""
    return item.name_zh if t["lang"] == "zh" and item.name_zh else item.name_en


def stage_label(t: dict, stage) -> str:
    """A GB/T 51366 stage: its Chinese name, with the English one beside it in the English workbook."""
    return f"{stage.name_zh} {stage.name_en}" if t["lang"] == "en" else stage.name_zh


def reached_name(t: dict, verdicts) -> str:
    """The name of the tier reached, or "none", in the workbook's language."""
    return next((name_in(t, x) for x in verdicts.tiers if x.tier == verdicts.reached), t["none"])


#: Words of the take-off's and the matching's provenance (``volume_m3*density/1000``,
#: ``geometry*layer:thickness_share``) as a reader says them: (word, English, Chinese), longest first.
_PROVENANCE = [
    ("volume_m3/layer_thickness_m", "volume (m³) / layer thickness (m)", "体积 (m³) / 层厚 (m)"),
    ("geometry:extrusion_depth", "geometry (extrusion depth)", "几何体(拉伸深度)"),
    ("layer:thickness_share", "share by layer thickness", "按层厚分摊"),
    ("layer:area*thickness", "layer area × thickness", "层面积 × 厚度"),
    ("constituent:fraction", "share by constituent fraction", "按组分比例分摊"),
    ("profile:area*length", "profile area × length", "截面面积 × 长度"),
    ("profile:area_share", "share by profile area", "按截面面积分摊"),
    ("equal_split", "equal shares", "平均分摊"),
    ("volume_m3", "volume (m³)", "体积 (m³)"),
    ("area_m2", "area (m²)", "面积 (m²)"),
    ("length_m", "length (m)", "长度 (m)"),
    ("mass_kg", "mass (kg)", "质量 (kg)"),
    ("density", "density", "密度"),
    ("geometry", "geometry", "几何体"),
    ("count", "count", "数量"),
    ("factor", "factor", "因子"),
    ("rule", "rule", "规则"),
    ("none", "none", "无"),
]
_PROVENANCE_WORDS = re.compile(
    r"(?<![\w.-])(" + "|".join(re.escape(word) for word, _, _ in _PROVENANCE) + r")(?![\w:-])"
)


def provenance(t: dict, text: object) -> object:
    """A provenance expression of the take-off or the matching in words: ``volume_m3*density/1000`` is
    "volume (m³) × density / 1000", ``factor concrete_c30`` "factor concrete_c30" (因子 concrete_c30). IFC
    names (``Qto_WallBaseQuantities.NetVolume``) and ids stay as they are."""
    if not isinstance(text, str) or not text:
        return text
    return _provenance_in(t["lang"], text)


@functools.lru_cache(maxsize=4096)
def _provenance_in(lang: str, text: str) -> str:
    """:func:`provenance` of a text in ``lang``, kept: the Elements sheet asks for the same few texts on
    every row (three per row, 10,000s of rows)."""
    column = 1 if lang == "en" else 2
    words = {row[0]: row[column] for row in _PROVENANCE}
    text = _PROVENANCE_WORDS.sub(lambda m: words[m.group(1)], text)
    text = re.sub(r"(\d)kg/m([23])", lambda m: f"{m.group(1)} kg/m{'²' if m.group(2) == '2' else '³'}", text)
    return text.replace("*", " × ").replace("/1000", " / 1000")


def grid_label(t: dict, grid_id: str) -> str:
    """The grid factor ``grid_id`` of the shipped grid file by name (:func:`grid_name`), else its id."""
    grids = {grid.id: grid for grid in load_grid().factors}
    return grid_name(t, grids[grid_id]) if grid_id in grids else grid_id


def grid_name(t: dict, grid) -> str:
    """A grid factor by its year, region and basis, with its id: "2023 全国 电网平均排放因子
    (cn_2023_national_average)"."""
    region = (grid.region_zh if t["lang"] == "zh" else grid.region) or t["grid national"]
    return f"{grid.year} {region} {data_label(t, 'grid', grid.basis)} ({grid.id})"
