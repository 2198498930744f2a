"""Labels of the workbook's Uncertainty sheet, in English and Simplified Chinese (kept apart from
labels.py: the sheet is one concern)."""

from __future__ import annotations

_ROWS = [
    ("sheet", "Uncertainty", "不确定性"),
    ("title", "Uncertainty and the embodied break-even", "不确定性与隐含碳临界值"),
    (
        "intro",
        "Values computed by bimcarbon (docs/uncertainty.md), not formulas: they do not follow a changed "
        "input; run the assessment again.",
        "以下数值由 bimcarbon 计算(见 docs/uncertainty.md),不是公式:修改输入后不会随之更新,请重新评估。",
    ),
    ("break-even", "Embodied break-even", "隐含碳临界值"),
    (
        "break-even intro",
        "Per tier, the upfront embodied emissions (A1-A5) per m² at which counting embodied emissions "
        "flips the verdict; the margin is the break-even minus this building's value (negative: it must "
        "cut that much).",
        "各等级计入隐含碳后结论发生改变时的单位面积建材隐含碳 (A1-A5);"
        "余量为临界值减去本建筑的数值(负值:须减少该数量)。",
    ),
    (
        "current",
        "This building's upfront embodied emissions (kgCO2e/m²)",
        "本建筑单位面积建材隐含碳 (kgCO2e/m²)",
    ),
    ("tier", "Tier", "等级"),
    ("verdict without", "Verdict without embodied", "不计入隐含碳的结论"),
    ("verdict with", "Verdict with embodied", "计入隐含碳的结论"),
    ("break-even value", "Break-even (kgCO2e/m²)", "临界值 (kgCO2e/m²)"),
    ("margin", "Margin (kgCO2e/m²)", "余量 (kgCO2e/m²)"),
    ("why none", "Why there is none", "无临界值的原因"),
    ("reason no_floor_area", "no floor area", "无建筑面积"),
    ("reason not_assessable", "not assessable with embodied emissions counted", "计入隐含碳后无法评估"),
    (
        "reason fails_at_zero",
        "fails with embodied counted even at zero upfront embodied emissions",
        "计入隐含碳后,即使建材隐含碳为零也不通过",
    ),
    (
        "reason independent",
        "passes at any upfront embodied emissions: its criteria do not depend on them",
        "建材隐含碳取任何值均通过:其指标与之无关",
    ),
    (
        "blocked",
        "Where the verdict would be (the verdicts with embodied are blocked)",
        "结论本应所在(计入隐含碳的结论被阻止)",
    ),
    ("monte carlo", "Monte Carlo", "蒙特卡洛模拟"),
    (
        "not run",
        "Not run: bimcarbon assess MODEL --uncertainty N (or the number of samples in the web form).",
        "未运行:bimcarbon assess 模型 --uncertainty N(或在网页表单中填写样本数)。",
    ),
    ("samples", "Samples", "样本数"),
    ("seed", "Seed", "随机数种子"),
    ("spreads file", "Spreads file", "离散度文件"),
    ("conservative", "Conservative value (80th percentile)", "保守值(第 80 百分位)"),
    ("yes", "yes", "是"),
    ("no", "no", "否"),
    ("ranges", "Ranges over the samples", "各样本的取值范围"),
    # caveats (bimcarbon.uncertainty.caveats.TEXTS: the same {names})
    (
        "caveat implausible",
        "{n} figure(s) of this assessment are implausible (see the plausibility findings): the ranges are "
        "drawn around them and say nothing of the building's real figures; correct the model or the inputs "
        "first",
        "本次评估有 {n} 项数值不可信(见合理性检查):各取值范围围绕这些数值抽样,"
        "不能说明建筑的真实数值;请先修正模型或输入",
    ),
    (
        "caveat incomplete",
        "the embodied total counts {share} of the mass ({needed} needed): the materials left out are in no "
        "sample, so the ranges of the embodied figures lie below the building's",
        "隐含碳合计只计入了 {share} 的材料质量(须达到 {needed}):未计入的材料不在任何样本中,"
        "因此隐含碳各项的取值范围低于建筑的实际值",
    ),
    (
        "caveat completeness_unknown",
        "whether the embodied total is complete cannot be checked: materials left out are in no sample",
        "无法判断隐含碳合计是否完整:未计入的材料不在任何样本中",
    ),
    (
        "caveat assumed",
        "{share} of A1-A3 rests on assumptions (materials assumed from the elements' IFC class, rebar or "
        "studs the model does not state): drawn with wide spreads, not known",
        "A1-A3 中有 {share} 基于假定(按构件 IFC 类别假定的材料、模型未说明的钢筋或龙骨):"
        "按较大的离散度抽样,并非已知数值",
    ),
    (
        "caveat floor_area",
        "the floor area is a proxy and is not sampled: every per-m² range moves with it",
        "建筑面积为估算值且不抽样:所有单位面积指标的取值范围都随之变化",
    ),
    ("metric", "Metric", "指标"),
    ("unit", "Unit", "单位"),
    ("assessed", "Assessed", "评估值"),
    ("mean", "Mean", "平均值"),
    ("p5", "P5", "5% 分位值"),
    ("p50", "P50 (median)", "中位数"),
    ("p95", "P95", "95% 分位值"),
    ("p80", "P80 (conservative)", "80% 分位值(保守值)"),
    ("probabilities", "Probability of reaching each tier", "达到各等级的概率"),
    ("without", "Without embodied", "不计入隐含碳"),
    ("with", "With embodied", "计入隐含碳"),
    ("not assessable", "not assessable", "无法评估"),
    ("contributors", "Largest contributors to the variance", "方差的主要来源"),
    (
        "contributors method",
        "Share of the first-order variance: (derivative of the metric at the assessed values x the input's "
        "standard deviation)², over the sum for all inputs; interactions between inputs left out.",
        "一阶方差占比:(指标在评估值处对该输入的导数 x 该输入的标准差)²,除以全部输入之和;"
        "未计输入之间的交互作用。",
    ),
    ("of", "Variance of", "方差所属指标"),
    (
        "explained",
        "Share of its sampled variance the first-order terms explain (below 1: inputs interact)",
        "一阶项可解释的样本方差占比(小于 1:输入之间存在交互作用)",
    ),
    ("input kind", "Kind of input", "输入类别"),
    ("input", "Input", "输入"),
    ("share", "Share", "占比"),
    ("spread", "Spread", "离散度"),
    ("components", "Components", "组分数"),
    ("spreads", "Spreads used", "所用离散度"),
    ("distribution", "Distribution", "分布"),
    ("p95 ratio", "P95 / value", "95% 分位值 / 取值"),
    ("inputs", "Inputs (draws per sample)", "输入数(每个样本的抽样次数)"),
    ("reason", "Reason", "理由"),
    ("not sampled", "Not sampled", "未抽样的内容"),
    # metrics
    ("metric a1_a3", "A1-A3 (kgCO2e)", "A1-A3 (kgCO2e)"),
    ("metric upfront_a1_a5", "Upfront A1-A5 (kgCO2e)", "建材隐含碳 A1-A5 (kgCO2e)"),
    ("metric embodied_total", "Embodied total (kgCO2e)", "隐含碳合计 (kgCO2e)"),
    (
        "metric upfront_embodied_kg_per_m2",
        "Upfront embodied per m² (kgCO2e/m²)",
        "单位面积建材隐含碳 (kgCO2e/m²)",
    ),
    (
        "metric carbon_intensity_with_embodied_kg_per_m2a",
        "Carbon intensity, with embodied (kgCO2e/(m²·a))",
        "碳排放强度,计入隐含碳 (kgCO2e/(m²·a))",
    ),
    (
        "metric carbon_intensity_without_embodied_kg_per_m2a",
        "Carbon intensity, without embodied (kgCO2e/(m²·a))",
        "碳排放强度,不计入隐含碳 (kgCO2e/(m²·a))",
    ),
    (
        "metric net_carbon_intensity_with_embodied_kg_per_m2a",
        "Net carbon intensity, with embodied (kgCO2e/(m²·a))",
        "净碳排放强度,计入隐含碳 (kgCO2e/(m²·a))",
    ),
    (
        "metric net_carbon_intensity_without_embodied_kg_per_m2a",
        "Net carbon intensity, without embodied (kgCO2e/(m²·a))",
        "净碳排放强度,不计入隐含碳 (kgCO2e/(m²·a))",
    ),
    (
        "metric reduction_share_with_embodied",
        "Reduction against the baseline, with embodied",
        "碳排放强度降低率,计入隐含碳",
    ),
    (
        "metric reduction_share_without_embodied",
        "Reduction against the baseline, without embodied",
        "碳排放强度降低率,不计入隐含碳",
    ),
    # kinds of inputs
    ("kind factor", "factor value", "因子数值"),
    ("kind factor_use", "proxy or assumed use of a factor", "替代或假定使用的因子"),
    ("kind quantity", "quantities", "工程量"),
    ("kind share", "shares guessed as equal", "平均分摊的份额"),
    ("equal split of", "equal split between materials:", "在以下材料之间平均分摊:"),
    ("split", "lognormal, rescaled to keep the element's total", "对数正态,按构件总量不变重新缩放"),
    ("kind density", "density", "密度"),
    ("kind ratio", "mass ratio", "含量"),
    ("kind distance", "transport distance", "运输距离"),
    ("kind grid", "grid factor", "电网因子"),
    ("kind energy", "energy figure", "能耗数据"),
    ("use proxy", "proxy", "替代"),
    ("use assumed", "assumed", "假定"),
    ("rule", "rule", "规则"),
    ("factor", "factor", "因子"),
    ("model density", "density in the model", "模型给出的密度"),
    ("default density", "default density", "默认密度"),
    ("other categories", "every other category", "其他类别"),
    ("grid factor", "grid factor", "电网因子"),
    # quantity kinds
    ("quantity exported", "exported quantities", "导出的工程量"),
    ("quantity geometry", "quantities from the geometry", "由几何体计算的工程量"),
    ("quantity dimensions", "quantities from nominal dimensions", "由名义尺寸计算的工程量"),
    ("quantity guessed_share", "shares guessed as equal", "平均分摊的份额"),
    ("quantity count", "counts of pieces", "件数"),
    ("quantity other", "quantities from other sources", "其他来源的工程量"),
    # spreads
    ("spread factors.by_status.confirmed", "factor value, confirmed", "因子数值(已核实)"),
    ("spread factors.by_status.secondary", "factor value, secondary source", "因子数值(二手来源)"),
    ("spread factors.by_status.derived", "factor value, derived", "因子数值(推算值)"),
    ("spread factors.by_status.unconfirmed", "factor value, unconfirmed", "因子数值(未核实)"),
    ("spread factors.proxy", "proxy use of a factor", "替代因子"),
    ("spread factors.assumed", "assumed material", "假定材料"),
    ("spread factors.source_range", "factor value, range from its source", "因子数值(来源给出的范围)"),
    ("spread densities.factor_range", "density, range of the factor", "密度(因子给出的范围)"),
    ("spread densities.default", "default density", "默认密度"),
    ("spread densities.model", "density in the model", "模型给出的密度"),
    ("spread quantities.exported", "exported quantities", "导出的工程量"),
    ("spread quantities.geometry", "quantities from the geometry", "由几何体计算的工程量"),
    ("spread quantities.dimensions", "quantities from nominal dimensions", "由名义尺寸计算的工程量"),
    ("spread quantities.guessed_share", "shares guessed as equal", "平均分摊的份额"),
    ("spread quantities.count", "counts of pieces", "件数"),
    ("spread quantities.other", "quantities from other sources", "其他来源的工程量"),
    ("spread ratios.stated", "mass ratio stated by a rule", "规则给出的含量"),
    ("spread ratios.assumed", "mass ratio assumed", "假定的含量"),
    ("spread transport_distance", "transport distance", "运输距离"),
    ("spread grid_factor", "grid factor", "电网因子"),
    ("spread energy.file_range", "energy figure, range of the energy file", "能耗数据(能耗文件给出的范围)"),
    ("spread energy.default", "energy figure without a range", "无范围的能耗数据"),
    ("lognormal", "lognormal", "对数正态"),
    ("triangular", "triangular", "三角分布"),
    # energy figures
    ("energy annual.electricity_kwh", "electricity a year (kWh)", "年用电量 (kWh)"),
    ("energy annual.natural_gas_m3", "natural gas a year (m³)", "年天然气用量 (m³)"),
    ("energy annual.district_heat_gj", "district heat a year (GJ)", "年市政热力用量 (GJ)"),
    ("energy annual.diesel_kg", "diesel a year (kg)", "年柴油用量 (kg)"),
    ("energy annual.gasoline_kg", "gasoline a year (kg)", "年汽油用量 (kg)"),
    ("energy annual.lpg_kg", "LPG a year (kg)", "年液化石油气用量 (kg)"),
    ("energy annual.coal_kg", "coal a year (kg)", "年用煤量 (kg)"),
    ("energy renewables.pv_self_consumed_kwh", "PV self-consumed a year (kWh)", "年光伏自用电量 (kWh)"),
    ("energy renewables.pv_exported_kwh", "PV exported a year (kWh)", "年光伏上网电量 (kWh)"),
]

UNCERTAINTY_LABELS: dict[str, dict[str, str]] = {
    "en": {key: en for key, en, _ in _ROWS},
    "zh": {key: zh for key, _, zh in _ROWS},
}
