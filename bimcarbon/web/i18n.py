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
    # W3 runs: run header and progress, project page, compare page, the run-name field of the form
    "{s} s": "{s} 秒",
    "{m} min {s} s": "{m} 分 {s} 秒",
    "Starting": "启动",
    "Reading the model": "读取模型",
    "Taking off quantities": "统计工程量",
    "Matching materials": "匹配材料",
    "Assessing": "评估",
    "Writing the workbook": "生成工作簿",
    "queued": "排队中",
    "running": "进行中",
    "done": "已完成",
    "failed": "失败",
    "Project": "项目",
    "model": "模型",
    "created": "创建于",
    "criteria": "评价标准",
    "Re-run of": "重新评估自",
    "compare": "对比",
    "Re-runs:": "重新评估:",
    "Rename this run": "重命名本次评估",
    "Run name": "评估名称",
    "Save the name": "保存名称",
    "A run's name cannot be empty.": "评估名称不能为空。",
    "{nth} in the queue": "排在队列第 {nth} 位",
    "waiting for {time}": "已等待 {time}",
    "{n} run(s) in progress; this one starts when a slot frees. This page refreshes itself.": (
        "{n} 个评估正在进行;有空位时本评估即开始。本页会自动刷新。"
    ),
    "{time} elapsed": "已用时 {time}",
    "{n} elements": "{n} 个构件",
    "{n} material parts": "{n} 个材料部分",
    "This page refreshes itself.": "本页会自动刷新。",
    "The assessment failed:": "评估失败:",
    "Assessed in {time}": "评估用时 {time}",
    "not assessable": "无法评估",
    "no tier reached": "未达到任何等级",
    "Runs": "评估记录",
    "Pick run A and run B, then compare them.": "选择评估 A 与评估 B,然后进行对比。",
    "Compare": "对比",
    "Run": "评估",
    "Status": "状态",
    "Without embodied": "不计隐含碳",
    "With embodied": "计入隐含碳",
    "Embodied kgCO2e": "隐含碳 kgCO2e",
    "Upfront kgCO2e/m2": "前期隐含碳 kgCO2e/m²",
    "Mass matched / assumed": "质量:已匹配 / 按假定",
    "implausible: check the model": "结果不可信:请检查模型",
    "incomplete": "不完整",
    "incomplete, accepted": "不完整,已接受",
    "volume": "体积",
    "Compare A and B": "对比 A 与 B",
    "Two finished runs can be compared.": "有两个已完成的评估后即可对比。",
    "Message": "信息",
    "points": "个百分点",
    "new in B": "B 中新增",
    "not in B": "B 中没有",
    "Change (B − A)": "变化 (B − A)",
    "Change %": "变化 %",
    "{a} / {b} elements": "{a} / {b} 个构件",
    "Compare two runs": "对比两次评估",
    "Run A": "评估 A",
    "Run B": "评估 B",
    "swap A and B": "交换 A 与 B",
    "Every change is B minus A; its percentage is of A.": "变化均为 B 减 A;百分比相对于 A。",
    "Two finished runs of this project are needed to compare them.": "需要本项目的两个已完成评估才能对比。",
    "Verdicts": "评价结论",
    "Tier": "等级",
    "A without embodied": "A 不计隐含碳",
    "B without embodied": "B 不计隐含碳",
    "A with embodied": "A 计入隐含碳",
    "B with embodied": "B 计入隐含碳",
    "provisional": "暂定",
    "Reached": "达到等级",
    "Model file": "模型文件",
    "Model content (SHA-256)": "模型内容 (SHA-256)",
    "Criteria pack": "评价标准",
    "Floor area from": "建筑面积来源",
    "Energy figures given": "提供了能耗数据",
    "Energy figure": "能耗数据",
    "Factor chosen for": "选定因子:",
    "Option": "选项",
    "Assessment option": "评估选项",
    "bimcarbon version": "bimcarbon 版本",
    "Factor sets": "因子库",
    "Mapping rule sets": "映射规则集",
    "No assumptions (placeholder and missing materials left out)": "不作假定(占位材料与缺失材料不计入)",
    "Incomplete embodied total accepted": "接受不完整的隐含碳合计",
    "Workbook language": "工作簿语言",
    "Geometry": "几何计算",
    "Quantity check": "工程量校核",
    "Quantity check tolerance": "工程量校核容差",
    "Default mapping rules": "默认映射规则",
    "Life-cycle defaults": "生命周期默认参数",
    "Building type": "建筑类型",
    "Building subtype": "建筑子类型",
    "Climate zone": "气候区",
    "Gross floor area (m2)": "总建筑面积 (m²)",
    "Design life (years)": "设计使用年限(年)",
    "Grid factor year": "电网因子年份",
    "Grid region": "电网区域",
    "Project name in the energy file": "能耗文件中的项目名称",
    "Location": "地点",
    "Electricity used (kWh/year)": "用电量 (kWh/年)",
    "Natural gas (m3/year)": "天然气 (m³/年)",
    "District heat (GJ/year)": "市政热力 (GJ/年)",
    "PV used on site (kWh/year)": "光伏自用电量 (kWh/年)",
    "PV exported (kWh/year)": "光伏上网电量 (kWh/年)",
    "Green electricity with certificates (kWh/year)": "有证书的绿色电力 (kWh/年)",
    "Offsets (tCO2e/year)": "碳抵消 (tCO2e/年)",
    "Baseline operational intensity (kgCO2/(m2.a))": "基准建筑运行碳排放强度 (kgCO2/(m²·a))",
    "Baseline reference embodied (kgCO2e/m2)": "基准建筑参考隐含碳 (kgCO2e/m²)",
    "What changed in the inputs": "输入的变化",
    "Input": "输入",
    "Nothing: both runs had the same inputs.": "无:两次评估的输入相同。",
    "The same in both:": "两次相同:",
    "Floor area (m2)": "建筑面积 (m²)",
    "Embodied intensity, whole life (kgCO2e/m2)": "全生命周期隐含碳强度 (kgCO2e/m²)",
    "Operational emissions (kgCO2/year)": "运行碳排放 (kgCO2/年)",
    "Mass matched to a factor": "已匹配因子的质量",
    "Mass counted by an assumption": "按假定计入的质量",
    "Mass left out": "未计入的质量",
    "Key metrics": "关键指标",
    "Metric": "指标",
    "with embodied": "计入隐含碳",
    "without embodied": "不计隐含碳",
    "Embodied emissions by module (kgCO2e)": "各模块隐含碳排放 (kgCO2e)",
    "Upfront A1-A5": "前期 A1-A5",
    "Embodied total (A1-A5 + B4 + C1-C4)": "隐含碳合计 (A1-A5 + B4 + C1-C4)",
    "Module": "模块",
    "A1-A3 by material (kgCO2e), largest change first": "各材料 A1-A3 排放 (kgCO2e),按变化从大到小",
    "Material": "材料",
    "A1-A3 by element class (kgCO2e), largest change first": "各构件类别 A1-A3 排放 (kgCO2e),按变化从大到小",
    "Not recorded for a run made before this version: run it again to compare by element class.": (
        "此前版本的评估未记录该数据:重新评估后即可按构件类别对比。"
    ),
    "Element class": "构件类别",
    "yes": "是",
    "no": "否",
    "Run name (optional; default: the model file's name and the time)": (
        "评估名称(可选;默认为模型文件名和时间)"
    ),
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
