"""The web app's words in English and Simplified Chinese.

Templates write English and call ``_("...")``: the English text is the key, :data:`ZH` holds its Chinese
(a test fails when a template's text has none). The language is the one the person chose with the
switch (``?lang=``, kept in a cookie), else the browser's (``Accept-Language``), else English.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

LANGS = ("en", "zh")
COOKIE = "bimcarbon_lang"

#: English -> Chinese. Keep entries grouped by page; a ``{name}`` in the English is in the Chinese too.
ZH: dict[str, str] = {
    # every page
    "IFC carbon assessment": "IFC 模型碳排放评估",
    "English": "English",
    "中文": "中文",
    "Language": "语言",
    # W1 verdicts: the run page's warnings, verdicts explained, benchmarks, figures, charts and checks
    # (templates _run_verdicts, _run_figures, _run_checks and bimcarbon/web/views.py)
    "Implausible result: check the model before using any figure.": "结果不可信:使用任何数值前请检查模型。",
    "Warnings ({n}), worst first": "警告({n} 条,按严重程度排列)",
    "Show {n} more warnings": "显示其余 {n} 条警告",
    "... and {n} more in the workbook and the JSON.": "……另有 {n} 条,见工作簿和 JSON。",
    "Verdicts": "评价结论",
    "Tier": "等级",
    "Without embodied": "不计隐含碳",
    "With embodied": "计入隐含碳",
    "Tier reached": "达到等级",
    "* provisional threshold: see each criterion below.": "* 暂定阈值:见下方各项指标。",
    "provisional threshold": "暂定阈值",
    "Counting embodied emissions changes the verdict:": "计入隐含碳后结论变化:",
    "{tier}: {before} without embodied, {after} with": "{tier}:不计隐含碳{before},计入隐含碳{after}",
    "The baseline's reference embodied value: {source}": "基准建筑的参考隐含碳:{source}",
    "Why: each criterion against its threshold": "依据:各项指标与阈值的比较",
    (
        "Margin: how far the value is on the passing side of the threshold; negative: short of it by that "
        "much."
    ): "余量:数值在阈值通过一侧超出的幅度;为负值时表示差距。",
    "Criterion and threshold": "指标与阈值",
    "threshold": "阈值",
    "Source: {source}": "来源:{source}",
    "margin {margin}": "余量 {margin}",
    "{x} percentage points": "{x} 个百分点",
    (
        "Materials counted: matched {matched}, assumed {assumed}, left out {left} of the mass "
        "(of the volume: {vm} / {va} / {vl})."
    ): "计入的材料:按质量计,按名称匹配 {matched},按假定 {assumed},未计入 {left}(按体积:{vm} / {va} / {vl})。",
    "Completeness (95 % of the mass): {state} ({note}).": "完整性(计入材料质量 95 %):{state}({note})。",
    "met": "满足",
    "NOT met": "不满足",
    "cannot be checked": "无法判断",
    "Strictest target met:": "满足的最严格目标:",
    "none met": "均未满足",
    "Benchmark": "参考基准",
    "Threshold": "阈值",
    "Value": "数值",
    "Margin": "余量",
    "Verdict": "结论",
    "Informational only: published targets for offices, not part of the zero-carbon verdicts.": (
        "仅供参考:已发布的办公建筑目标值,不属于零碳建筑评价结论。"
    ),
    "Key figures per m²": "单位面积主要指标",
    "Metric": "指标",
    "No intensity: it needs the energy figures and a floor area.": "无碳排放强度:需要能耗数据和建筑面积。",
    "A5: material wastage {wastage}, site activity {site}. C1 {c1}, C2 {c2}, C3-C4 {c3c4} (kgCO2e).": (
        "A5:材料损耗 {wastage},施工现场活动 {site}。C1 {c1},C2 {c2},C3-C4 {c3c4}(kgCO2e)。"
    ),
    "B4 and C1-C4 are reported, not added to the intensities.": "B4 与 C1-C4 仅报告,不计入碳排放强度。",
    "Biogenic carbon stored {value} kgCO2, reported apart, not netted.": (
        "生物碳储存 {value} kgCO2,单独报告,不抵扣。"
    ),
    "GB/T 51366 stages (kgCO2e)": "GB/T 51366 各阶段 (kgCO2e)",
    "Checks before believing the figures": "数值合理性检查",
    "Check": "检查项",
    "Typical range": "常见范围",
    "(our assumption)": "(bimcarbon 假定)",
    (
        "A figure outside its typical range is a warning (at the top of the page); ten times beyond it, the "
        "result is implausible."
    ): "数值超出常见范围时给出警告(见页首);超出 10 倍时,结果不可信。",
    "This run was assessed before the checks existed: run it again to see them.": (
        "此次评估早于合理性检查功能:请重新评估以查看检查结果。"
    ),
    "embodied total incomplete: {counted} of the mass counted, {needed} needed": (
        "隐含碳不完整:已计入质量 {counted},须达 {needed}"
    ),
    "embodied total incomplete: the share of the mass counted cannot be checked": (
        "隐含碳不完整:无法判断已计入的质量占比"
    ),
    "the figure could not be computed": "无法计算该数值",
    "no floor area was found in the model": "模型中未找到建筑面积",
    "no energy figures were given": "未提供能耗数据",
    "the operational energy is incomplete: {why}": "运行能耗不完整:{why}",
    "the baseline is incomplete: {why}": "基准建筑不完整:{why}",
    "no baseline was given with the energy figures": "能耗数据中未提供基准建筑",
    "the baseline's intensity is zero or less": "基准建筑碳排放强度不大于零",
    "not assessable": "无法评估",
    "no tier reached": "未达到任何等级",
    "confirmed threshold": "已核实的阈值",
    "provisional: the value is not confirmed in its primary source (see the source)": (
        "暂定:该数值未经原始文献核实(见来源)"
    ),
    (
        "bimcarbon's provisional default: the draft standard's own value was not found in any source read, "
        "so this threshold is ours, not the standard's"
    ): "bimcarbon 暂定默认值:所查阅的资料中均未找到征求意见稿本身的数值,此阈值为我们的默认值,并非标准规定",
    "provisional: not confirmed as this tier's threshold (see the source)": (
        "暂定:未核实为该等级的阈值(见来源)"
    ),
    (
        "Counting embodied emissions adds the building's upfront emissions (A1-A5) spread over its design "
        "life to its intensity, and adds a reference embodied value to the baseline's, so both sides "
        "compare the same modules."
    ): (
        "计入隐含碳时,建筑的前期隐含碳 (A1-A5) 按设计使用年限分摊后计入其碳排放强度,"
        "基准建筑也计入一个参考隐含碳值,两者按相同模块比较。"
    ),
    (
        "Counting embodied emissions adds {added} {unit} to the building (upfront A1-A5 {upfront} "
        "kgCO2e/m² over {life} years) and {base_added} {unit} to the baseline (a reference of {reference} "
        "kgCO2e/m² over the same {life} years{scaled})."
    ): (
        "计入隐含碳时,建筑增加 {added} {unit}(前期隐含碳 A1-A5 {upfront} kgCO2e/m²,分摊到 {life} 年),"
        "基准建筑增加 {base_added} {unit}(参考值 {reference} kgCO2e/m²,同样分摊到 {life} 年{scaled})。"
    ),
    ", scaled to the share of the mass counted": ",按已计入的质量占比折算",
    "The reduction against the baseline goes from {before} to {after}.": (
        "相对基准建筑的降低率由 {before} 变为 {after}。"
    ),
    (
        "Not the standard's values: the thresholds of {tiers} are bimcarbon's provisional defaults, because "
        "the draft standard's own values were not found in any source read. Read these verdicts as "
        "indications until the standard is published."
    ): (
        "并非标准规定的数值:{tiers} 的阈值是 bimcarbon 的暂定默认值,"
        "因为所查阅的资料中均未找到征求意见稿本身的数值。在标准正式发布前,这些结论仅供参考。"
    ),
    "; ": ";",
    "Floor area {area} m² ({source}).": "建筑面积 {area} m²({source})。",
    "No floor area ({source}): every figure per m² is not assessable.": (
        "无建筑面积({source}):所有单位面积指标均无法评估。"
    ),
    "Operation: energy figures given.": "运行:已提供能耗数据。",
    "Operation: no energy figures given, so the operational criteria are not assessable.": (
        "运行:未提供能耗数据,与运行相关的指标无法评估。"
    ),
    "Operation: incomplete ({why}).": "运行:数据不完整({why})。",
    "{n} other materials": "其他 {n} 种材料",
    "A1-A3 production": "A1-A3 建材生产",
    "A4 transport to site": "A4 运输至现场",
    "A5 construction": "A5 施工",
    "B4 replacement": "B4 更换",
    "C1-C4 end of life": "C1-C4 拆除与废弃处置",
    "without embodied emissions": "不计隐含碳",
    "with embodied emissions": "计入隐含碳",
}


def negotiate(query: str | None, cookie: str | None, accept_language: str | None) -> str:
    """The page language: the switch (``?lang=``), else the cookie, else the browser's first language
    among ours (``zh-CN,zh;q=0.9,en;q=0.8`` is Chinese), else English."""
    for chosen in (query, cookie):
        if chosen in LANGS:
            return chosen
    ranked = []
    for index, part in enumerate((accept_language or "").split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        primary = tag.strip().lower().split("-")[0]
        if primary in LANGS and quality > 0:
            ranked.append((-quality, index, primary))
    return min(ranked)[2] if ranked else "en"


def translator(lang: str, table: Mapping[str, str] = ZH) -> Callable[..., str]:
    """``_(text, **values)``: ``text`` in ``lang`` with ``{name}`` filled from ``values``."""

    def _(text: str, **values: object) -> str:
        words = table.get(text, text) if lang == "zh" else text
        return words.format(**values) if values else words

    return _
