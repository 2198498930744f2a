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
    # uncertainty (issue 16): the run page's break-even and Monte Carlo (_run_uncertainty.html,
    # bimcarbon/web/uncertainty_view.py), the upload form's number of samples and its refusal
    "Embodied break-even": "隐含碳临界值",
    (
        "Per tier, the upfront embodied emissions (A1-A5) per m² at which counting embodied emissions flips "
        "the verdict. This building: {value} kgCO2e/m²; the margin is how far it is from the break-even "
        "(negative: it must cut that much)."
    ): "各等级计入隐含碳后结论发生改变时的单位面积建材隐含碳 (A1-A5)。本建筑:{value} kgCO2e/m²;余量为其与临界值的差距(负值:须减少该数量)。",
    "Break-even (kgCO2e/m²)": "临界值 (kgCO2e/m²)",
    "Margin (kgCO2e/m²)": "余量 (kgCO2e/m²)",
    "no floor area": "无建筑面积",
    "not assessable with embodied counted": "计入隐含碳后无法评估",
    "fails with embodied counted even at zero": "计入隐含碳后即使建材隐含碳为零也不通过",
    "does not depend on embodied emissions": "与隐含碳无关",
    (
        "The verdicts with embodied are not assessable ({why}): the break-even says where they would be."
    ): "计入隐含碳的结论无法评估({why}):临界值表示结论本应所在。",
    "How sure: ranges and probabilities": "把握有多大:取值范围与概率",
    "What these ranges cannot say:": "这些取值范围无法说明的:",
    "Not sampled:": "未抽样的内容:",
    "(first-order terms explain {share} of the sampled variance)": "(一阶项解释了样本方差的 {share})",
    (
        "{n} samples (seed {seed}) of the factors, densities, quantities, ratios, distances, grid factor and "
        "energy ranges; every default spread is bimcarbon's judgement, given with its reason in the workbook."
    ): "对排放因子、密度、工程量、含量、运输距离、电网因子和能耗范围抽取 {n} 个样本(随机数种子 {seed});每个默认离散度均为 bimcarbon 的判断,其理由见工作簿。",
    "Assessed": "评估值",
    "Probability of reaching each tier": "达到各等级的概率",
    "With embodied: not assessable ({why}), never a probability.": "计入隐含碳:无法评估({why}),不给出概率。",
    "Largest contributors to the spread of {metric}:": "{metric}离散的主要来源:",
    "Not drawn for this run: choose a number of samples on the upload form.": "本次评估未抽样:请在上传表单中选择样本数。",
    "Embodied total (kgCO2e)": "隐含碳合计 (kgCO2e)",
    "Upfront embodied A1-A5 (kgCO2e/m²)": "单位面积建材隐含碳 A1-A5 (kgCO2e/m²)",
    "Carbon intensity without embodied (kgCO2e/(m²·a))": "碳排放强度,不计隐含碳 (kgCO2e/(m²·a))",
    "Carbon intensity with embodied (kgCO2e/(m²·a))": "碳排放强度,计入隐含碳 (kgCO2e/(m²·a))",
    "Net carbon intensity without embodied (kgCO2e/(m²·a))": "净碳排放强度,不计隐含碳 (kgCO2e/(m²·a))",
    "Net carbon intensity with embodied (kgCO2e/(m²·a))": "净碳排放强度,计入隐含碳 (kgCO2e/(m²·a))",
    "Reduction against the baseline without embodied": "碳排放强度降低率,不计隐含碳",
    "Reduction against the baseline with embodied": "碳排放强度降低率,计入隐含碳",
    "Carbon intensity with embodied": "计入隐含碳的碳排放强度",
    "factor value": "因子数值",
    "proxy or assumed factor": "替代或假定的因子",
    "quantities": "工程量",
    "shares guessed as equal": "平均分摊的份额",
    "density": "密度",
    "mass ratio": "含量",
    "transport distance": "运输距离",
    "grid factor": "电网因子",
    "energy figure": "能耗数据",
    "Uncertainty: number of samples (0 = off; {low} to {high})": "不确定性:样本数(0 = 不计算;{low} 至 {high})",
    "the number of samples must be 0 (off) or {low} to {high}": "样本数须为 0(不计算)或 {low} 至 {high}",
    # ---- W2 fixing: the upload form, fixing a run in the browser, refusals ----
    # the upload form (index.html, _energy_fields.html)
    "Assess a building model": "评估建筑模型",
    "IFC model (.ifc or .ifczip, up to {mb} MB)": "IFC 模型(.ifc 或 .ifczip,不超过 {mb} MB)",
    "Energy file (optional, .yaml or .json)": "能耗文件(可选,.yaml 或 .json)",
    "No energy file? Enter the main figures (a year)": "没有能耗文件?填写主要数据(每年)",
    "Building type": "建筑类型",
    "public": "公共建筑",
    "residential": "居住建筑",
    "Gross floor area m2 (empty: from the model)": "总建筑面积 m2(留空:取自模型)",
    "Electricity used, kWh": "用电量,kWh",
    "Natural gas, m3": "天然气,m3",
    "PV used on site, kWh": "光伏自用电量,kWh",
    "PV exported, kWh": "光伏上网电量,kWh",
    "Green electricity with certificates, kWh": "有绿证的绿色电力,kWh",
    "Offsets, tCO2e": "碳抵消量,tCO2e",
    "Baseline (2016 standards) operational intensity, kgCO2/(m2.a)": "基准建筑(2016 年标准)运行碳排放强度,kgCO2/(m2·a)",
    "The energy file gives the baseline by energy carriers; they are kept unless you type a baseline intensity here, which replaces them.": "能耗文件按能源类型给出基准建筑;除非在此填写基准碳排放强度(将取代它们),否则保留原数据。",
    "Mapping file (optional, .yaml)": "映射文件(可选,.yaml)",
    "Project": "项目",
    "My project": "我的项目",
    "Criteria": "评价标准",
    "Workbook language": "工作簿语言",
    "Leave placeholder and missing materials out (no assumptions)": "不计入占位材料和缺失材料(不作假定)",
    "Accept an incomplete embodied total (verdicts with embodied are marked)": "接受不完整的隐含碳总量(计入隐含碳的判定将加注)",
    "Assess": "评估",
    "Projects": "项目",
    "Created": "创建时间",
    "What you typed is kept below. Choose the model file again (and the energy or mapping file, if any): a web page cannot fill in a file for you.": "您填写的内容已保留在下方。请重新选择模型文件(以及能耗或映射文件,如有):网页无法替您重新填入文件。",
    "Nothing you typed could be kept: the upload was refused before it was read. Choose a smaller model (an .ifczip is often 5-10 times smaller) and fill in the form again.": "上传在读取前即被拒绝,因此无法保留您填写的内容。请选择较小的模型(.ifczip 通常小 5-10 倍)并重新填写表单。",
    "The model is larger than the limit of {mb} MB: choose a smaller file (an .ifczip is often 5-10 times smaller). Nothing was sent; what you typed is kept.": "模型超过 {mb} MB 的上限:请选择较小的文件(.ifczip 通常小 5-10 倍)。未发送任何内容;您填写的内容已保留。",
    # the run page's materials part (_run_materials.html)
    "Materials": "材料",
    "Coverage: {mapped}/{total} elements matched, {assumed} assumed; {volume_mapped} of the volume matched, {volume_assumed} assumed.": "覆盖率:{total} 个构件中 {mapped} 个已匹配,{assumed} 个按假定;体积的 {volume_mapped} 已匹配,{volume_assumed} 按假定。",
    "Choices given to this run": "本次评估采用的选择",
    "Material": "材料",
    "Factor": "排放因子",
    "Density kg/m3": "密度 kg/m3",
    "Result": "结果",
    "given in the web app": "在网页中填写",
    "{d} kg/m3 given in the web app": "{d} kg/m3,在网页中填写",
    "Change a factor or a density here for the next re-run; empty the factor box to withdraw the choice.": "可在此修改排放因子或密度,用于下一次重新评估;清空因子框即撤销该选择。",
    "the model's, else the factor's": "取模型的,否则取因子的",
    "counted": "已计入",
    "still left out": "仍未计入",
    "No factor matches.": "没有匹配的排放因子。",
    "use": "采用",
    "Not a factor id: pick one from the list.": "不是排放因子编号:请从列表中选择。",
    "empty: the factor default, {d} kg/m3": "留空:采用因子默认值 {d} kg/m3",
    "needed if the model gives none: this factor has no default density": "模型未给出密度时必填:此因子没有默认密度",
    "Nothing was re-run; what you typed is kept below.": "未重新评估;您填写的内容已保留在下方。",
    "Materials left out": "未计入的材料",
    "Material left out": "未计入的材料",
    "Volume m3": "体积 m3",
    "Why, or suggestions": "原因或建议",
    "Use factor": "采用因子",
    "(no name)": "(无名称)",
    "This name looks like a formula, code or a placeholder, not a material: check the model. Nothing is filled in for it.": "此名称看似公式、代码或占位名称,而非材料:请检查模型。不会为其自动填入因子。",
    "score {score}": "得分 {score}",
    "The best suggestion is filled in: check it before you re-run.": "已填入最佳建议:重新评估前请核对。",
    "Suggestions are filled in only from a score of {score}, when one stands out.": "仅当某条建议得分不低于 {score} 且明显领先时才会自动填入。",
    "type a name or an id": "输入名称或编号",
    "factor for {material}": "{material} 的排放因子",
    "assign a material in the model": "请在模型中指定材料",
    "density of {material}, kg/m3": "{material} 的密度,kg/m3",
    "optional": "可选",
    "No rule matches this name and no factor's name is close to it.": "没有规则匹配此名称,也没有名称相近的排放因子。",
    "Type English or Chinese to find a factor. The density (kg/m3) counts only where the model gives none: it is needed for a factor without a default density, and otherwise replaces the factor's default (a stand-in factor's density can be wrong for your material).": "输入中文或英文即可查找排放因子。密度(kg/m3)仅在模型未给出时使用:因子没有默认密度时必须填写,否则将取代因子的默认密度(替代因子的密度可能不适合您的材料)。",
    "Floor area and energy figures": "建筑面积与能耗数据",
    "No floor area was found in the model, so the building cannot be assessed: type its gross floor area.": "模型中未找到建筑面积,因此无法评估该建筑:请填写总建筑面积。",
    "Gross floor area m2": "总建筑面积 m2",
    "Empty: the model's {area} m2 is used.": "留空:采用模型的 {area} m2。",
    "Energy figures (a year)": "能耗数据(每年)",
    "none given yet": "尚未填写",
    "Re-run with these factors and figures": "按这些因子和数据重新评估",
    "Nothing is applied until you re-run. The re-run assesses the same upload with your changes; its page lists the choices it was given. Or download the mapping file, edit it, and upload it with the model.": "重新评估之前不会应用任何更改。重新评估使用同一上传文件并采用您的修改,其页面会列出所采用的选择。也可以下载映射文件,编辑后与模型一起上传。",
    # refusals (bimcarbon/web/uploads.py, rerun.py, app.py)
    "the upload is larger than the limit of {mb} MB": "上传内容超过 {mb} MB 的上限",
    "the file is larger than the limit of {mb} MB": "文件超过 {mb} MB 的上限",
    "the file is empty": "文件为空",
    "not an IFC file (no ISO-10303-21 header, and not an .ifczip)": "不是 IFC 文件(没有 ISO-10303-21 文件头,也不是 .ifczip)",
    "the zip holds {n} files; at most {most} are accepted": "该 zip 含 {n} 个文件;最多接受 {most} 个",
    "an .ifczip must hold exactly one .ifc file (it holds {n})": ".ifczip 必须恰好包含一个 .ifc 文件(现有 {n} 个)",
    "the zip expands too much (a zip bomb?): refused": "该 zip 解压后过大(疑似 zip 炸弹):已拒绝",
    "the .ifc inside the zip is not an IFC file": "zip 中的 .ifc 不是 IFC 文件",
    "unreadable zip ({why})": "无法读取的 zip({why})",
    "the {what} file is larger than 1 MB": "{what} 文件超过 1 MB",
    "unknown criteria pack {pack}": "未知的评价标准 {pack}",
    "language must be en or zh": "语言必须为 en 或 zh",
    "runs in progress or waiting: {n}, and at most {queued} may wait; try again when one has finished": "正在进行或排队的评估:{n} 个,最多可排队 {queued} 个;请待其中一个完成后再试",
    "{what} must be a number, not {typed}": "{what} 必须是数字,而不是 {typed}",
    "the density of {material} must be between {low} and {high} kg/m3 (it is {value})": "{material} 的密度必须在 {low} 到 {high} kg/m3 之间(现为 {value})",
    "choose a factor for {material} to use the density you gave": "请为 {material} 选择排放因子,才能使用您填写的密度",
    "unknown factor id(s): {ids}": "未知的排放因子编号:{ids}",
    "nothing to re-run: choose a factor for a material, or change the floor area or an energy figure": "没有可重新评估的内容:请为材料选择排放因子,或修改建筑面积或能耗数据",
    "the building type must be public or residential": "建筑类型必须为 public(公共建筑)或 residential(居住建筑)",
    "expected a JSON object": "应为 JSON 对象",
    "unknown field(s): {names}": "未知字段:{names}",
    "choices must map material names to factor ids": "choices 必须将材料名称映射到排放因子编号",
    "energy must be an object of figures": "energy 必须是数据对象",
    "unknown energy figure {name}": "未知的能耗数据 {name}",
    # W3 runs: run header and progress, project page, compare page, the run-name field of the form
    "{s} s": "{s} 秒",
    "{m} min {s} s": "{m} 分 {s} 秒",
    "Starting": "启动",
    "Reading the model": "读取模型",
    "Checking what the model gives (LCA-ready pre-check)": "检查模型提供的信息(LCA 就绪预检)",
    "Taking off quantities": "统计工程量",
    "Matching materials": "匹配材料",
    "Assessing": "评估",
    "Writing the workbook": "生成工作簿",
    "queued": "排队中",
    "running": "进行中",
    "done": "已完成",
    "failed": "失败",
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
    "Runs": "评估记录",
    "Pick run A and run B, then compare them.": "选择评估 A 与评估 B,然后进行对比。",
    "Compare": "对比",
    "Run": "评估",
    "Status": "状态",
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
    "A without embodied": "A 不计隐含碳",
    "B without embodied": "B 不计隐含碳",
    "A with embodied": "A 计入隐含碳",
    "B with embodied": "B 计入隐含碳",
    "provisional": "暂定",
    "Reached": "达到等级",
    "Model file": "模型文件",
    "Model content (SHA-256)": "模型内容 (SHA-256)",
    "IFC schema": "IFC 版本",
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
    "Geometry": "几何计算",
    "Quantity check": "工程量校核",
    "Quantity check tolerance": "工程量校核容差",
    "Default mapping rules": "默认映射规则",
    "Life-cycle defaults": "生命周期默认参数",
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
    "with embodied": "计入隐含碳",
    "without embodied": "不计隐含碳",
    "Embodied emissions by module (kgCO2e)": "各模块隐含碳排放 (kgCO2e)",
    "Upfront A1-A5": "前期 A1-A5",
    "Embodied total (A1-A5 + B4 + C1-C4)": "隐含碳合计 (A1-A5 + B4 + C1-C4)",
    "Module": "模块",
    "A1-A3 by material (kgCO2e), largest change first": "各材料 A1-A3 排放 (kgCO2e),按变化从大到小",
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
    # the compare page, element by element (bimcarbon.compare)
    "Without embodied, {tier}: {before} in A, {after} in B.": "不计隐含碳时,{tier}:A 为{before},B 为{after}。",
    "With embodied, {tier}: {before} in A, {after} in B.": "计入隐含碳时,{tier}:A 为{before},B 为{after}。",
    "No tier verdict changes without embodied.": "不计隐含碳时,各等级结论均无变化。",
    "No tier verdict changes with embodied.": "计入隐含碳时,各等级结论均无变化。",
    "Element by element": "逐构件对比",
    "Run {name} was made before runs kept their elements' results: run it again to compare element by element.": (
        "评估 {name} 是在记录逐构件结果之前完成的:请重新评估后再逐构件对比。"
    ),
    "{g} paired by GlobalId, {p} by position ({x} ambiguous); {c} changed, {u} unchanged, {ad} added in B, {rm} removed from A.": (
        "按 GlobalId 配对 {g} 个,按位置配对 {p} 个(其中 {x} 个有歧义);修改 {c} 个,未变 {u} 个,B 中新增 {ad} 个,A 中删除 {rm} 个。"
    ),
    "Paired by position: the same IFC class, type and storey, placement origins within {tol} m. GlobalIds regenerated by the exporter? Check the pairs marked below.": (
        "按位置配对:IFC 类、类型和楼层相同,定位原点相距不超过 {tol} m。导出工具是否重新生成了 GlobalId?请核查下方标注的配对。"
    ),
    "The {n} elements that changed most of {total}, the largest change first.": (
        "共 {total} 个构件有变化,以下为变化最大的 {n} 个,按变化从大到小。"
    ),
    "Change": "变化",
    "Element": "构件",
    "What changed": "变化内容",
    "A1-A3 (B − A)": "A1-A3 (B − A)",
    "Element-level embodied (B − A)": "构件层面隐含碳 (B − A)",
    "added": "新增",
    "removed": "删除",
    "changed": "修改",
    "unchanged": "未变",
    "ambiguous": "按位置,有歧义",
    "by position": "按位置",
    "No element changed.": "没有构件变化。",
    "A5 site activity and C1 demolition are per m2 of floor area (building-level, in no element): A5 site activity {a5}, C1 {c1} kgCO2e (B − A), floor area {area} m2.": (
        "A5 施工现场活动和 C1 拆除按建筑面积计算(属建筑层面,不属于任何构件):A5 施工现场活动 {a5}、C1 {c1} kgCO2e (B − A),建筑面积 {area} m²。"
    ),
    "The element deltas and these make every module's change.": "各构件差值加上这两项即为各模块的变化。",
    "The element deltas do not explain every module's change: see the warnings.": "各构件差值不能解释所有模块的变化:见警告。",
    "Element-level embodied by storey (kgCO2e), largest change first": "各楼层构件层面隐含碳 (kgCO2e),按变化从大到小",
    "Storey": "楼层",
    "Comparison warnings": "对比警告",
    "Comparison workbook (.xlsx)": "对比工作簿 (.xlsx)",
    "Comparison, every element (.json)": "对比结果,含全部构件 (.json)",
    # downloads
    "Downloads": "下载",
    "Compliance workbook (.xlsx)": "合规评估工作簿 (.xlsx)",
    "in this page's language": "本页语言",
    "Assessment (.json)": "评估结果 (.json)",
    "Mapping file (.yaml)": "映射文件 (.yaml)",
    "The JSON holds the figures and both the English and the Chinese names; its keys are the same in either language.": "JSON 文件含全部数值及中英文名称;其字段名与语言无关。",
    "Model with results (.ifc)": "含评估结果的模型 (.ifc)",
    "LCAx project (.json)": "LCAx 项目 (.json)",
    "The assessment in LCAx, the open exchange format for LCA results: an assembly per IFC class, a product per material and factor, results per life-cycle module.": "以 LCAx(LCA 结果的开放交换格式)表示的评估:每个 IFC 类一个组件,每种材料与排放因子一个产品,按生命周期阶段给出结果。",
    "The model with each element's kgCO2e, factors, quantity sources and status in property sets (BIMCarbon_Results; Pset_EnvironmentalImpactValues in IFC4 and IFC4X3), coloured by kgCO2e per m3: open it in any IFC viewer.": "模型中每个构件的 kgCO2e、排放因子、工程量来源和状态写入属性集(BIMCarbon_Results;IFC4 和 IFC4X3 另有 Pset_EnvironmentalImpactValues),并按每立方米 kgCO2e 着色:可在任何 IFC 查看器中打开。",
    # S3 data: deleting runs and projects (run.html, project.html, app.py), the small files checked by
    # content (uploads.py)
    "Re-run of a run since deleted": "重新评估自一次已删除的评估",
    "Delete this run": "删除本次评估",
    "This removes the run with its workbook, JSON and mapping file, and the uploaded model unless another run uses it. Its re-runs stay.": "将删除本次评估及其工作簿、JSON 和映射文件;上传的模型若无其他评估使用,也一并删除。由它重新评估得到的结果保留。",
    "Yes, delete this run": "确认删除本次评估",
    "Delete the run": "删除评估",
    "Delete this project": "删除本项目",
    "This removes the project and its {n} run(s) with their files, and each uploaded model no other run uses.": "将删除本项目及其 {n} 次评估和相关文件,以及没有其他评估使用的上传模型。",
    "Yes, delete this project and its runs": "确认删除本项目及其全部评估",
    "Delete the project": "删除项目",
    "Tick the box to confirm the deletion.": "请勾选确认框以确认删除。",
    (
        "This run is in progress and cannot be deleted: its worker is still writing its files and its "
        "result. Delete it once it has finished or failed (at the latest after the time limit)."
    ): "本次评估正在进行,不能删除:其工作进程仍在写入文件和结果。请在评估完成或失败后(最迟在时间限制到达后)再删除。",
    (
        "A run of this project is in progress: nothing was deleted. Delete the project once the run has "
        "finished or failed (at the latest after the time limit)."
    ): "本项目有评估正在进行,未删除任何内容。请在该评估完成或失败后(最迟在时间限制到达后)再删除项目。",
    "{name} looks like a mapping file (it has 'rules'), not an energy file: choose it as the mapping file": "{name} 看起来是映射文件(含 'rules'),不是能耗文件:请将其选作映射文件",
    "{name} looks like an energy file (it has {keys}), not a mapping file: choose it as the energy file": "{name} 看起来是能耗文件(含 {keys}),不是映射文件:请将其选作能耗文件",
    "{name} is not a mapping file: it has no 'rules' list": "{name} 不是映射文件:没有 'rules' 列表",
    # S2 browser safety: the login page (templates/login.html) and refused requests (forbidden.html,
    # bimcarbon/web/security.py)
    "Sign in": "登录",
    (
        "This bimcarbon server is protected by an access token. Type the token you were given; it is kept "
        "in a cookie of this browser until it is closed."
    ): "此 bimcarbon 服务器受访问令牌保护。请输入您获得的令牌;它将保存在本浏览器的 Cookie 中,直到浏览器关闭。",
    "That is not the access token. Check it and type it again.": "访问令牌不正确。请核对后重新输入。",
    "Access token": "访问令牌",
    "Refused": "已拒绝",
    "Go to the upload page": "前往上传页面",
    (
        "This request was refused: it was sent by a page of another site, not by this app's own pages. "
        "Nothing was changed."
    ): "此请求已被拒绝:它由其他网站的页面发出,而不是本应用自己的页面。未做任何更改。",
    (
        "This request was refused: it did not say which page sent it, and only this app's own pages may "
        "change anything. Nothing was changed."
    ): "此请求已被拒绝:它未说明由哪个页面发出,而只有本应用自己的页面才能进行更改。未做任何更改。",
    (
        "This form could not be accepted: its security code is missing or does not belong to this browser's "
        "session (the page may come from another server or an old tab). Nothing was changed. Go back, reload "
        "the page and send it again."
    ): "无法接受此表单:其安全码缺失或不属于本浏览器的会话(页面可能来自其他服务器或旧标签页)。未做任何更改。请返回,刷新页面后重新提交。",
    "Too many wrong access tokens from this address: try again in {seconds} s. Nothing was changed.": (
        "来自此地址的错误访问令牌过多:请在 {seconds} 秒后重试。未做任何更改。"
    ),
    # S1 runs (issue 14): admission per client, re-run choices checked against the run
    "runs waiting for this client: {n}, and at most {limit} may wait for one client; try again when one has started": (
        "此客户端排队中的评估:{n} 个,每个客户端最多可排队 {limit} 个;请待其中一个开始后再试"
    ),
    (
        "elements without a material name cannot be given a factor here (a choice matches a material by "
        "its name): name their material in the model, or map them with a rule on their IFC class"
    ): "没有材料名称的构件不能在此指定因子(选择按材料名称匹配):请在模型中为其命名材料,或用按 IFC 类别的规则映射",
    "at most {limit} choices in one re-run (this one has {n})": "一次重新评估最多 {limit} 项选择(本次 {n} 项)",
    "no material named {names} in this run: choose among the materials it left out or assessed": (
        "本次评估中没有名为 {names} 的材料:请在其未计入或已评估的材料中选择"
    ),
    # P4 parks (issue 15): the park page, its form and its refusals (templates/park.html, web/park.py,
    # web/park_view.py)
    "Park": "园区",
    "Assess runs of this project as a park": "将本项目的评估作为园区评估",
    "Park of {project}": "{project} 园区",
    "A park of {n} building(s): the runs of this project chosen below, rolled up with the park's own energy.": (
        "由 {n} 栋建筑组成的园区:下方选中的本项目评估,与园区自身的能源合并计算。"
    ),
    "Buildings assessed: {done}; failed: {failed}.": "已评估建筑:{done} 栋;评估失败:{failed} 栋。",
    "Warnings ({n})": "警告({n} 条)",
    "Park verdicts": "园区评价结论",
    "Criteria pack: {pack}": "评价指标包:{pack}",
    "Counting embodied emissions changes no park tier verdict.": "计入隐含碳不改变任何园区等级的结论。",
    "The basis decides tCO2/tce: state the one your accounting uses.": (
        "折算方法决定 tCO2/tce 的结果:请采用您的核算所用的方法。"
    ),
    "Park figures a year": "园区年度指标",
    "at {k} kgce/kWh for electricity": "电力按 {k} kgce/kWh 折算",
    "Embodied emissions of the buildings": "各建筑的隐含碳排放",
    "Not computed: a building's or the park's operational emissions are incomplete (see the warnings).": (
        "未计算:某栋建筑或园区的运行碳排放不完整(见警告)。"
    ),
    "Electricity balance, in its order": "电力平衡(按分配顺序)",
    "Step 1, building by building (kWh a year)": "第 1 步,逐栋建筑(kWh/年)",
    "Building": "建筑",
    "Electricity used": "用电量",
    "Own PV used": "自有光伏自用",
    "Own green electricity": "自有绿电",
    "Grid after them": "扣除后电网用电",
    "Own PV exported": "自有光伏上网",
    "Energy consumption in standard coal": "折标准煤的能源消费量",
    "Carrier": "能源品种",
    "Consumed a year": "年消费量",
    "kgce per unit": "折标准煤系数 kgce/单位",
    "tce": "tce",
    "Total": "合计",
    "Clean (non-fossil) electricity with proof of its source: {kwh} kWh, {tce} tce.": (
        "有来源证明的清洁(非化石)电力:{kwh} kWh,{tce} tce。"
    ),
    "Buildings": "建筑",
    "Building criteria pack: {pack}": "建筑评价指标包:{pack}",
    "A1-A3 kgCO2e": "A1-A3 kgCO2e",
    "Intensity kgCO2e/(m²·a)": "碳排放强度 kgCO2e/(m²·a)",
    "Park JSON (format bimcarbon.park, as the command line writes it)": (
        "园区 JSON(bimcarbon.park 格式,与命令行输出相同)"
    ),
    "Change the park": "修改园区",
    "Define the park": "定义园区",
    (
        "Each building is a run of this project: upload each model with its energy file as a run first. The "
        "park's energy is what the park uses and supplies beyond the buildings' own energy files, a year."
    ): "每栋建筑是本项目的一次评估:请先将每个模型连同其能耗文件上传评估。园区能源是建筑自身能耗文件之外园区每年使用和供应的能源。",
    "Park name": "园区名称",
    "Buildings: finished runs of this project": "建筑:本项目已完成的评估",
    "No run yet: upload the buildings first.": "尚无评估:请先上传各建筑。",
    "Upload a model": "上传模型",
    (
        "A failed run is listed as a failed building with its reason; the park is then not assessable unless "
        "you accept it."
    ): "失败的评估列为评估失败的建筑并注明原因;此时除非您接受,园区无法评估。",
    "Park energy a year": "园区年度能源",
    (
        "Park PV and wind cover the pooled grid electricity first, then direct green electricity, then green "
        "certificates; offsets count only in the net emissions."
    ): "园区光伏和风电首先抵扣汇总的电网用电,其次是直购绿电,然后是绿证;碳抵消只计入净排放。",
    "Electricity to standard coal": "电力折标准煤",
    "Equivalent value, 0.1229 kgce/kWh (GB/T 2589-2020)": "当量值,0.1229 kgce/kWh(GB/T 2589-2020)",
    "A stated kgce/kWh (e.g. the year's coal per kWh supplied)": "给定的 kgce/kWh(例如当年供电标准煤耗)",
    "Stated kgce/kWh": "给定的 kgce/kWh",
    "The park's grid factor (park loads and supply are valued at it)": "园区电网排放因子(园区负荷和供电按其计价)",
    "Default: {id} ({value} kgCO2/kWh)": "默认:{id}({value} kgCO2/kWh)",
    "Park criteria pack": "园区评价指标包",
    "Accept failed buildings (the park's verdicts then stand on the buildings assessed, marked)": (
        "接受评估失败的建筑(园区结论将基于已评估的建筑,并加以标注)"
    ),
    "Assess the park": "评估园区",
    "not computed: {what}": "未计算:{what}",
    "threshold for a park of {size} tce a year": "适用于年综合能耗 {size} tce 的园区的阈值",
    "Electricity converted to standard coal at {k} kgce/kWh, the equivalent value ({source}; {status}).": (
        "电力按当量值 {k} kgce/kWh 折标准煤({source};{status})。"
    ),
    (
        "Electricity converted to standard coal at {k} kgce/kWh, as stated for this park (not the equivalent "
        "value 0.1229)."
    ): "电力按本园区给定的 {k} kgce/kWh 折标准煤(不是当量值 0.1229)。",
    "1. The buildings' own PV and green electricity stay theirs; their grid electricity after them": (
        "1. 各建筑自有的光伏和绿电归其自身;扣除后的电网用电"
    ),
    "2. Pooled with the park's own loads ({park} kWh): grid electricity to cover": (
        "2. 与园区自身负荷({park} kWh)汇总:待抵扣的电网用电"
    ),
    "3. Park PV and wind cover it first ({made} kWh made; exported: {exported} kWh)": (
        "3. 园区光伏和风电首先抵扣(发电 {made} kWh;上网 {exported} kWh)"
    ),
    "4a. Then direct green electricity ({given} kWh given; unused: {unused} kWh)": (
        "4a. 其次是直购绿电(给定 {given} kWh;未用 {unused} kWh)"
    ),
    "4b. Then green certificates ({n} certificates; unused: {unused} kWh)": (
        "4b. 然后是绿证({n} 张;未用 {unused} kWh)"
    ),
    "Left to the grid, at the park's grid factor {id} ({g} kgCO2/kWh)": (
        "剩余由电网供应,按园区电网因子 {id}({g} kgCO2/kWh)"
    ),
    "5. Offsets (the buildings' and the park's), in the net emissions only": (
        "5. 碳抵消(各建筑和园区的),只计入净排放"
    ),
    "not summed: a building did not assess it": "未合计:有建筑未评估此项",
    "Embodied total": "隐含碳合计",
    "Upfront A1-A5 over each building's design life, a year": "前期 A1-A5 按各建筑设计使用年限分摊,每年",
    "Floor area of the buildings": "各建筑面积合计",
    "{mapped} matched, {assumed} assumed": "匹配 {mapped},假定 {assumed}",
    "Upfront embodied emissions (A1-A5) by building, kgCO2e": "各建筑前期隐含碳排放 (A1-A5),kgCO2e",
    "Grid electricity to cover": "待抵扣的电网用电",
    "covered by park PV and wind": "由园区光伏和风电抵扣",
    "covered by direct green electricity": "由直购绿电抵扣",
    "covered by green certificates": "由绿证抵扣",
    "left to the grid": "剩余由电网供应",
    "park PV and wind exported": "园区光伏和风电上网",
    "Electricity balance, kWh a year": "电力平衡,kWh/年",
    "operational, after park supply": "运行排放,扣除园区供电后",
    "embodied A1-A5 over the design life": "隐含碳 A1-A5 按设计使用年限分摊",
    "exports credited": "上网电量抵扣",
    "offsets": "碳抵消",
    "net, with embodied": "净排放,计入隐含碳",
    "Park emissions a year, tCO2e": "园区年度排放,tCO2e",
    "CO2 per unit of energy consumption (core indicator)": "单位能耗碳排放(核心指标)",
    "Clean-energy share of energy consumption": "清洁能源消费占比",
    "Energy consumption": "综合能源消费量",
    "Emissions a year": "年排放量",
    "Emissions per m² of floor area a year": "单位建筑面积年排放量",
    "Net emissions after exports and offsets": "扣除上网电量和碳抵消后的净排放",
    "confirmed": "已核实",
    "secondary source": "二手来源",
    "derived": "推算",
    "unconfirmed": "未核实",
    "Shared and process electricity, kWh": "公共和生产用电,kWh",
    "District heat, GJ": "市政热力,GJ",
    "District heat factor, kgCO2/GJ": "市政热力排放因子,kgCO2/GJ",
    "Diesel, kg": "柴油,kg",
    "Gasoline, kg": "汽油,kg",
    "LPG, kg": "液化石油气,kg",
    "Coal, kg": "煤,kg",
    "Park PV generation, kWh": "园区光伏发电量,kWh",
    "Park wind generation, kWh": "园区风电发电量,kWh",
    "Direct green electricity, kWh": "直购绿电,kWh",
    "Green certificates (1 = 1,000 kWh)": "绿证(1 张 = 1 000 kWh)",
    "still in progress": "仍在进行中",
    "no energy figures": "无能耗数据",
    "{what} must be 0 or more, not {typed}": "{what} 必须为 0 或更大,而不是 {typed}",
    "{what} must be a whole number, not {typed}": "{what} 必须为整数,而不是 {typed}",
    "state the kgce/kWh, or choose the equivalent value": "请给出 kgce/kWh,或选择当量值",
    (
        "{value} kgce/kWh is no coal-to-electricity coefficient ({low} to {high}: from the electricity's own "
        "energy content to a plant of 12 % efficiency)"
    ): "{value} kgce/kWh 不是电力折标准煤系数(应在 {low} 至 {high} 之间:从电力自身热值到效率 12 % 的电厂)",
    "the coal basis is equivalent or stated": "折标准煤方法为当量值或给定值",
    "unknown grid factor {grid}": "未知的电网排放因子 {grid}",
    "{what}: {value} a year is more than any park uses, makes or emits (at most {limit}): a typing error?": (
        "{what}:每年 {value} 超过任何园区的使用量、发电量或排放量(最多 {limit}):是否输入有误?"
    ),
    "unknown park criteria pack {pack}": "未知的园区评价指标包 {pack}",
    "run {run} is not a run of this project": "{run} 不是本项目的评估",
    "run {name} is chosen twice": "评估 {name} 被选择了两次",
    "{name} is still {status}: a park is made of finished runs; wait until it has finished": (
        "{name} 仍处于“{status}”状态:园区由已完成的评估组成;请等待其完成"
    ),
    "two buildings are named {name}: rename one of the runs (on its page)": (
        "有两栋建筑名为 {name}:请(在评估页面上)为其中一次评估改名"
    ),
    "{name} has no energy figures: give them on its page (a re-run) before it joins a park": (
        "{name} 没有能耗数据:加入园区之前,请在其页面上给出能耗数据(重新评估)"
    ),
    (
        "the runs were assessed against different building criteria packs ({packs}): a park's buildings "
        "share one"
    ): "这些评估采用了不同的建筑评价指标包({packs}):园区中的建筑须采用同一个",
    "Electricity to standard coal, stated kgce/kWh": "电力折标准煤,给定的 kgce/kWh",
    "Why": "原因",
    "Re-run since:": "此后的重新评估:",
    # issue 17: the LCA-ready pre-check on the run page (template _run_precheck)
    "LCA-ready pre-check": "LCA 就绪预检",
    (
        "What the model gives the assessment, checked before the take-off with factors/ids/lca-ready.ids "
        "(buildingSMART IDS). A model that fails some requirements is still assessed: its gaps show up as "
        "assumptions and left-out materials."
    ): "模型为评估提供的信息,在统计工程量之前以 factors/ids/lca-ready.ids(buildingSMART IDS)检查。未满足部分要求的模型仍会评估:其缺失之处表现为假定和未计入的材料。",
    "Requirement": "要求",
    "Applies to": "适用构件数",
    "Failing": "不满足数",
    "How to fix:": "如何修正:",
    "IFC class": "IFC 类别",
    "Name": "名称",
    "... and {n} more: the report lists them all.": "……另有 {n} 个,报告中列出全部。",
    "Pre-check report (.html), every failing element": "预检报告(.html),列出所有不满足的构件",
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
