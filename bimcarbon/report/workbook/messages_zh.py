"""bimcarbon's warnings in Chinese, for the Chinese workbook: each kind of warning recognised by its
wording and rewritten with the same figures. A warning of a kind not listed here is shown as written,
marked as English (英文原文); text quoted from the model or from ifcopenshell stays as it is."""

from __future__ import annotations

import re

from bimcarbon.assess import NO_ASSUMPTIONS_WARNING, Assessment
from bimcarbon.report.workbook.floor_area_zh import floor_area_source_zh
from bimcarbon.report.workbook.labels import data_label
from bimcarbon.report.workbook.notes import gate_note

_UNIT = {"AREAUNIT": "面积单位", "VOLUMEUNIT": "体积单位"}

#: (pattern, Chinese template); the template takes the pattern's named groups.
PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (r"^(?P<n>\d+) element\(s\), (?P<v>[\d.,]+) m3, are counted by an assumption \(match_status assumed\): "
     r"(?P<rules>.*); map them to replace the assumption$",
     "{n} 个构件({v} m³)按假定计入(匹配状态:按假定):{rules};可在映射文件中为其指定材料以替代假定"),
    (r"^(?P<n>\d+) element\(s\) given an assumption could not be counted: no quantity for the assumed factor "
     r"\(see reason\)$",
     "{n} 个按假定处理的构件无法计入:缺少假定因子所需的工程量(见原因列)"),
    (r"^(?P<n>\d+) structural concrete element\(s\) whose material names do not say reinforced get "
     r"(?P<kg>[\d.]+) kg/m3 of rebar as an assumption \(column assumption\); name them unreinforced or map "
     r"them to change it$",
     "{n} 个结构混凝土构件的材料名称未注明钢筋,按假定计入 {kg} kg/m³ 钢筋(见构件明细的“假定”列);"
     "如为素混凝土请在名称中注明,或在映射文件中指定"),
    (r"^rebar not assumed in (?P<n>\d+) concrete element\(s\) whose names do not say reinforced: the model "
     r"has (?P<m>\d+) reinforcement element\(s\)$",
     "{n} 个未注明钢筋的混凝土构件未按假定计入钢筋:模型中已有 {m} 个钢筋构件"),
    (r"^A5 site activity \((?P<rate>[^)]*)\) not assessed: no floor area; A5 is the material wastage only$",
     "A5 施工现场活动({rate})未评估:无建筑面积;A5 仅为材料损耗"),
    (r"^C1 demolition \((?P<rate>[^)]*)\) not assessed: no floor area; C1-C4 is C2-C4 only$",
     "C1 拆除({rate})未评估:无建筑面积;C1-C4 仅含 C2-C4"),
    (r"^A4, A5 wastage transport and C2-C4 leave out (?P<n>\d+) component\(s\) without a known mass$",
     "A4、A5 损耗的运输及 C2-C4 未计入 {n} 个无已知质量的组分"),
    (r"^floor area (?P<a>[\d.,]+) m2 is a proxy \((?P<src>.*)\): give gross_floor_area_m2$",
     "建筑面积 {a} m² 并非给定值({src});请在能耗文件中给出 gross_floor_area_m2"),
    (r"^no floor area \((?P<why>.*)\): give gross_floor_area_m2 in the energy file$",
     "无建筑面积({why});请在能耗文件中给出 gross_floor_area_m2"),
    (r"^quantity check: (?P<group>\S+ x \S+): exported volumes disagree with the geometry \(median "
     r"exported/geometry (?P<ratio>[\d.]+) over (?P<m>\d+) measured of (?P<n>\d+) elements; tolerance "
     r"(?P<tol>[\d.]+%)\): not used for any of the (?P<k>\d+); .*$",
     "工程量校核:{group} 的导出体积与几何体不符(导出值/几何值中位数 {ratio},已测 {m} 个,共 {n} 个;"
     "容差 {tol}):{k} 个构件均不采用导出体积,改用几何体或尺寸"),
    (r"^(?P<n>\d+) elements with a body have no volume \((?P<classes>.*)\): their bounding boxes hold at most "
     r"(?P<v>[\d.,]+) m3 \(column volume_upper_bound_m3\); not counted$",
     "{n} 个有几何体的构件无法得到体积({classes}):其包围盒体积最多 {v} m³(见工程量清单);未计入"),
    (r"^(?P<u>AREAUNIT|VOLUMEUNIT) not assigned: read as (?P<rest>.*), derived from the length unit$",
     "模型未指定{unit}:按 {rest} 读取(由长度单位推得)"),
    (r"^material '(?P<m>.*)': Pset_MaterialCommon\.MassDensity = (?P<v>\S+) is not a positive number; "
     r"not used$",
     "材料“{m}”:Pset_MaterialCommon.MassDensity = {v} 不是正数,未采用"),
    (r"^(?P<gid>\S+) \((?P<cls>\w+)\): the geometry engine could not measure its body; kept without a volume$",
     "{gid}({cls}):几何引擎无法测量其几何体;保留,但无体积"),
    (r"^parser warning: (?P<text>.*)$", "IFC 解析器警告(ifcopenshell 原文):{text}"),
    (r"^parser error: (?P<text>.*)$", "IFC 解析器错误(ifcopenshell 原文):{text}"),
    (r"^(?P<dir>above|below) the typical range: (?P<label>.+?) is (?P<rest>.*)$",
     "{dir}常见范围:{label} 为 {rest}"),
    (r"^IMPLAUSIBLE \(over (?P<x>[\d.]+)x the top of its range\), do not use without checking the model: "
     r"(?P<label>.+?) is (?P<rest>.*)$",
     "不可信(超出常见范围上限 {x} 倍以上),使用前请检查模型:{label} 为 {rest}"),
    (r"^IMPLAUSIBLE \(under 1/(?P<x>[\d.]+) of the bottom of its range\), do not use without checking the model: "
     r"(?P<label>.+?) is (?P<rest>.*)$",
     "不可信(不到常见范围下限的 1/{x}),使用前请检查模型:{label} 为 {rest}"),
]  # fmt: skip
_COMPILED = [(re.compile(p), template) for p, template in PATTERNS]

#: The words of a plausibility finding after its figure (:func:`bimcarbon.plausibility.check`).
FINDING_WORDS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(p), zh)
    for p, zh in (
        (r" have no known mass", " 无已知质量"),
        (r"the largest element, whatever the floor area", "最大构件(与建筑面积无关)"),
        (r" m3 of material in ", " m³ 材料 / "),
        (r"\(median spacing of (\d+) storey elevations\)", r"(\1 个楼层标高间距的中位数)"),
        (
            r"\(assumed ([\d.]+) m \(no two storey levels ([\d.]+) m or more apart\)\)",
            r"(假定为 \1 m:没有两个楼层标高相距 \2 m 以上)",
        ),
        (r"; typical ", ";常见范围 "),
        # a park's own figures (park_ranges)
        (r" kWh supplied / ", " kWh 供电 / "),
        (r" kWh used\)", " kWh 用电)"),
        (r"park PV and wind", "园区光伏和风电"),
        (r"green certificates", "绿证"),
        (r"green electricity", "绿电"),
        (r"the buildings' PV exports", "建筑光伏上网电量"),
        (r" kWh a year, every carrier in its energy content, / ", " kWh/年(各能源按热值折算) / "),
        (r" m2 of the buildings\)", " m² 建筑面积)"),
        (r"\belectricity (?=[\d,.]+ kWh)", "电力 "),
        (r"\bnatural gas (?=[\d,.]+ kWh)", "天然气 "),
        (
            r" of the buildings' ([\d,.]+) tce on ([\d.]+%) of their floor area",
            r",占各建筑 \1 tce 的比例,建筑面积占比 \2",
        ),
        (r" \(our assumption\)", "(bimcarbon 假定)"),
        (r"; largest: ", ";最大者:"),
        (r"; much of the material may not be counted \(see coverage\)", ";可能有大量材料未计入(见覆盖率)"),
        (r"\bm2\b", "m²"),
        (r"\bm3\b", "m³"),
    )
]


def warning_zh(line: str, a: Assessment, check_labels: dict[str, str]) -> str:
    """One warning in Chinese; ``check_labels`` maps the plausibility checks' English labels to Chinese."""
    if line == a.with_embodied.note and line:
        return gate_note(a, "zh")
    if line == NO_ASSUMPTIONS_WARNING:
        return (
            "已关闭假定(--no-assumptions):占位或缺失的材料、龙骨层、砂浆配比、轻质混凝土以及未注明钢筋的"
            "结构混凝土中的钢筋均不计入(或不计钢筋):隐含碳低于实际"
        )
    return finding_zh(line, check_labels)


def park_finding_zh(line: str) -> str:
    """A park plausibility finding (``park: ...``, :func:`bimcarbon.plausibility.check_values` on the
    ranges' ``park_ranges``) in Chinese, its check named as the range file names it."""
    from bimcarbon.plausibility import load_ranges

    labels = {r.label: r.zh.get("label") or r.label for r in load_ranges().park_ranges}
    return "园区:" + finding_zh(line.removeprefix("park: "), labels)


#: A metal element found implausibly solid (:func:`bimcarbon.element_plausibility.solid_metal_findings`).
SOLID_METAL = re.compile(
    r"^(?P<head>IMPLAUSIBLE solid metal, do not use without checking the model|implausibly solid metal): "
    r"(?P<gid>\S+) (?P<cls>\w+) '(?P<name>.*)' counts (?P<v>[\d.,]+) m3 of solid (?P<mat>.*) "
    r"\((?P<fac>[^()]*)\), (?P<mass>[\d,]+ kg|mass unknown), (?P<kg>[-\d,]+) kgCO2e A1-A3"
    r"(?: = (?P<share>[\d.]+%) of the model's A1-A3)?: (?P<label>.+?) is (?P<value>[\d.,]+) (?P<unit>m|m2|m3) "
    r"\((?P<detail>.*)\); metal building products stay within (?P<high>[\d.]+) (?P=unit)"
    r"(?P<ours> \(our assumption\))?\. A finish material .* \(flag solid_metal\)$"
)

_SOLID_DETAIL = [
    (re.compile(r" m2 of surface \((.*)\)$"), r" m² 表面积(\1)"),
    (re.compile(r" m long; no surface area$"), " m 长;无表面积"),
    (
        re.compile(r"^no surface area and no length: its shape cannot be judged$"),
        "无表面积也无长度:无法判断其形状",
    ),
    (re.compile(r"\bm3\b"), "m³"),
]
_ZH_UNIT = {"m": "m", "m2": "m²", "m3": "m³"}


def solid_metal_zh(match: re.Match[str], check_labels: dict[str, str]) -> str:
    """A solid-metal finding in Chinese, with the same figures."""
    v = match.groupdict()
    detail = v["detail"]
    for words, chinese in _SOLID_DETAIL:
        detail = words.sub(chinese, detail)
    head = (
        "不可信的实心金属,使用前请检查模型"
        if v["head"].startswith("IMPLAUSIBLE")
        else "金属构件实心程度不可信"
    )
    mass = "质量未知" if v["mass"] == "mass unknown" else v["mass"]
    share = f",占模型 A1-A3 的 {v['share']}" if v["share"] else ""
    unit = _ZH_UNIT[v["unit"]]
    return (
        f"{head}:{v['gid']} {v['cls']}“{v['name']}”按实心 {v['mat']}({v['fac']})计 {v['v']} m³,{mass},"
        f"A1-A3 {v['kg']} kgCO2e{share}:{check_labels.get(v['label'], v['label'])} 为 {v['value']} {unit}"
        f"({detail});金属建筑产品不超过 {v['high']} {unit}{'(bimcarbon 假定)' if v['ours'] else ''}。"
        "很可能是把饰面材料(包覆、涂层)赋给了整个实体:请用规则将该构件上的此材料映射为其真实的核心材料"
        "(按 IFC 类别和名称),或修正族的材料(标记 solid_metal)"
    )


def finding_zh(line: str, check_labels: dict[str, str]) -> str:
    """A line the patterns know, in Chinese (marked English when none matches)."""
    solid = SOLID_METAL.match(line)
    if solid:
        return solid_metal_zh(solid, check_labels)
    for pattern, template in _COMPILED:
        match = pattern.match(line)
        if match:
            values = match.groupdict()
            if "u" in values:
                values["unit"] = _UNIT[values["u"]]
            if "dir" in values:
                values["dir"] = "高于" if values["dir"] == "above" else "低于"
            if "label" in values:
                values["label"] = check_labels.get(values["label"], values["label"])
            if "rest" in values:
                for words, chinese in FINDING_WORDS:
                    values["rest"] = words.sub(chinese, values["rest"])
            for key in ("src", "why"):
                if key in values:
                    values[key] = floor_area_source_zh(values[key])
            return template.format(**values)
    return f"(英文原文){line}"


def warning_text(line: str, a: Assessment, t: dict) -> str:
    """One of the assessment's warnings in the workbook's language."""
    if t["lang"] != "zh":
        return line
    labels = {f.label: data_label(t, "check", f.metric) for f in a.plausibility.findings}
    return warning_zh(line, a, labels)


def warnings(a: Assessment, t: dict) -> list[str]:
    """The assessment's warnings in the workbook's language."""
    return [warning_text(line, a, t) for line in a.warnings]
