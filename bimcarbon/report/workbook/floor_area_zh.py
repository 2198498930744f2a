"""Where the gross floor area came from, in Chinese: each phrase bimcarbon writes into a floor-area
source (:mod:`bimcarbon.ifc.areas`, :mod:`bimcarbon.ifc.footprints`, :mod:`bimcarbon.floor_area`)
recognised by its wording and rewritten with the same figures and names. Names from the model stay as
written; a phrase not listed stays in English."""

from __future__ import annotations

import re

_LABELS = {"IfcSpace geometry": "IfcSpace 几何体", "floor slab geometry": "楼板几何体"}

#: (pattern, Chinese template), applied in this order anywhere in the text.
PHRASES: list[tuple[re.Pattern[str], str]] = [
    (r"^energy file \(gross_floor_area_m2\)$", "能耗文件 (gross_floor_area_m2)"),
    (r"proxy: floor slabs' plan footprint \(union of (?P<n>\d+) FLOOR/BASESLAB slabs on (?P<l>\d+) level\(s\), "
     r"tops within (?P<gap>[\d.]+) m being one level",
     "估算值:楼板(FLOOR/BASESLAB)的平面投影({n} 块楼板在 {l} 个标高上的并集,顶面高差 {gap} m 以内视为同一标高"),
    (r"(?P<k>\d+) sloped or stepped \(stair flight, ramp\) left out, e\.g\. ",
     "{k} 块倾斜或阶梯状楼板(楼梯段、坡道)未计入,如 "),
    (r"proxy: largest floor slab \(FLOOR/BASESLAB\) per storey over (?P<n>\d+) storey\(s\); area, else volume / "
     r"layer thickness",
     "估算值:{n} 个楼层各取最大一块楼板(FLOOR/BASESLAB)之和;取其面积,无面积时取体积/层厚"),
    (r"sum of GrossFloorArea over the (?P<n>\d+) (?P<cls>Ifc\w+)", "{n} 个 {cls} 的 GrossFloorArea 之和"),
    (r"(?P<k>\d+) of (?P<n>\d+) (?P<cls>Ifc\w+) carry a GrossFloorArea", "{n} 个 {cls} 中仅 {k} 个给出 GrossFloorArea"),
    (r"IfcSpace geometry: footprint of (?P<n>\d+) spaces on (?P<s>\d+) storeys",
     "IfcSpace 几何体:{s} 个楼层上 {n} 个空间的平面投影"),
    (r"IfcSpace geometry: (?P<k>\d+) of (?P<n>\d+) internal spaces have no measurable body \(e\.g\. GlobalId "
     r"(?P<gid>[^)]+)\)",
     "IfcSpace 几何体:{n} 个内部空间中 {k} 个无可测量的几何体(如 GlobalId {gid})"),
    (r"no internal IfcSpace for a geometry footprint", "无可求平面投影的内部 IfcSpace"),
    (r"no IfcSlab of type FLOOR or BASESLAB with geometry", "无带几何体的 FLOOR 或 BASESLAB 类型 IfcSlab"),
    (r"no IfcSlab of type FLOOR or BASESLAB in the take-off", "工程量清单中无 FLOOR 或 BASESLAB 类型的 IfcSlab"),
    (r"none of the (?P<n>\d+) floor slabs \(FLOOR/BASESLAB\) has a flat measurable body",
     "{n} 块楼板(FLOOR/BASESLAB)均无水平且可测量的几何体"),
    (r"floor slabs in the take-off have neither an area nor a layer thickness", "工程量清单中的楼板既无面积也无层厚"),
    (r"(?P<label>IfcSpace geometry|floor slab geometry) failed \(", "{label}计算失败("),
    (r"\((?P<a>[\d.,]+) m2\) set aside: implausibly small, ", "({a} m²)过小,已舍弃:"),
    (r"largest candidate (?P<a>[\d.,]+) m2 \(largest part ", "最大候选值 {a} m²(其中最大的一块:"),
    (r"largest candidate (?P<a>[\d.,]+) m2", "最大候选值 {a} m²"),
    (r" is implausibly small: ", " 过小:"),
    (r"under (?P<p>\d+)% of the building's plan extent of (?P<a>[\d.,]+) m2", "小于建筑平面范围 {a} m² 的 {p}%"),
    (r"under (?P<a>[\d.,]+) m2", "小于 {a} m²"),
    (r"^not found: ", "未找到:"),
    (r"\bno (?P<cls>Ifc\w+)\b", "无 {cls}"),
    (r": (?P<a>[\d.,]+) m2\b", ":{a} m²"),
    (r", (?P<a>[\d.,]+) m2\)", ",{a} m²)"),
]  # fmt: skip
_COMPILED = [(re.compile(p), template) for p, template in PHRASES]


#: An element named in a source: ``IfcSlab 'Deck; no IfcCovering' (GlobalId 2Hx...)``; its name stays as
#: the model writes it, whatever words it holds.
_NAMED = re.compile(r"(Ifc\w+ )'(.*?)'( \(GlobalId )")


def floor_area_source_zh(text: str) -> str:
    """A floor-area source in Chinese; figures and names from the model stay as they are."""
    names: list[str] = []

    def keep(match: re.Match[str]) -> str:
        names.append(match.group(2))
        return f"{match.group(1)}'\x00{len(names) - 1}\x00'{match.group(3)}"

    text = _NAMED.sub(keep, text)
    for pattern, template in _COMPILED:

        def chinese(match: re.Match[str], template: str = template) -> str:
            values = match.groupdict()
            if "label" in values:
                values["label"] = _LABELS[values["label"]]
            return template.format(**values)

        text = pattern.sub(chinese, text)
    text = text.replace("; ", ";")
    return re.sub(r"\x00(\d+)\x00", lambda m: names[int(m.group(1))], text)


def floor_area_source(t: dict, text: str) -> str:
    """A floor-area source in the workbook's language."""
    return floor_area_source_zh(text) if t["lang"] == "zh" else text
