"""The park's warnings, verdict notes and failure reasons in the workbook's language.

English is the park assessment's own text. For the Chinese workbook each kind of line is recognised by
its wording (the lines :mod:`bimcarbon.park.rollup` and :mod:`bimcarbon.park.run` write) and rewritten
with the same figures and names; a building's own warning (an implausible result) goes through the
building workbook's translation. A line of a kind not listed here is shown as written, marked as English
(英文原文), as the building workbook does.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from bimcarbon.assess import Assessment
from bimcarbon.park.run import ParkAssessment
from bimcarbon.report.workbook.messages_zh import park_finding_zh, warning_text
from bimcarbon.report.workbook.notes import operational_note

#: Marks a line left in English in the Chinese workbook (as the building workbook does).
ENGLISH = "(英文原文)"
#: A criterion whose method is bimcarbon's reading (``ParkMode.notes``): its tier, id and the method text.
_METHOD_NOTE = re.compile(r"^(?P<tier>.+?), (?P<id>[\w.-]+): (?P<method>.+) \[method provisional\]$")

#: Module keys of ``totals.embodied`` as a reader writes them.
MODULE_NAMES = {
    "a1_a3": "A1-A3",
    "a4": "A4",
    "a5": "A5",
    "a5_wastage": "A5 (wastage)",
    "a5_site": "A5 (site)",
    "b4": "B4",
    "c1_c4": "C1-C4",
    "c1": "C1",
    "c2": "C2",
    "c3_c4": "C3-C4",
    "d": "D",
}
_MODULE_ZH = {"A5 (wastage)": "A5 损耗", "A5 (site)": "A5 施工现场"}

#: Why a building failed (the file's own message after "file: "): (pattern, Chinese template).
_REASON_LINES = [
    (r"^not an IFC file \(no ISO-10303-21 header\)$", "不是 IFC 文件(无 ISO-10303-21 文件头)"),
    (r"^is a folder, not an IFC file$", "是文件夹,不是 IFC 文件"),
    (r"^file not found$", "找不到文件"),
    (r"^energy file not found$", "找不到能耗文件"),
    (r"^mapping file not found$", "找不到映射文件"),
    (r"^factor file not found$", "找不到因子文件"),
    (r"^the file is empty$", "文件为空"),
    (
        r"^no IfcProject, so not a usable (?P<schema>\S+) model(?P<rest>.*)$",
        "没有 IfcProject,不是可用的 {schema} 模型{rest}",
    ),
    (r"^the IFC parser crashed(?P<rest>.*)$", "IFC 解析器崩溃{rest}"),
]

#: The park's own lines: (pattern, Chinese template); ``{carrier}`` and ``{module}`` are translated.
_PARK_LINES = [
    (
        r"^green electricity (?P<g>[\d,.]+) kWh is more than the grid electricity left after park "
        r"renewables \((?P<u>[\d,.]+) kWh\): (?P<x>[\d,.]+) kWh not counted$",
        "直购绿电 {g} kWh 超过园区可再生能源抵扣后剩余的电网电量({u} kWh):{x} kWh 未计入",
    ),
    (
        r"^(?P<n>[\d,]+) green certificates \((?P<k>[\d,.]+) kWh\) are more than the grid electricity "
        r"left after renewables and green electricity \((?P<u>[\d,.]+) kWh\): (?P<x>[\d,.]+) "
        r"certificates not counted$",
        "绿证 {n} 张({k} kWh)超过可再生能源与绿电抵扣后剩余的电网电量({u} kWh):{x} 张未计入",
    ),
    (
        r"^standard coal of (?P<carrier>.+?) from an unconfirmed coefficient \((?P<v>\S+) "
        r"kgce/(?P<u>\S+)\): check it before relying on the tCO2/tce$",
        "{carrier}折标准煤采用未核实的系数({v} kgce/{u}):依据 tCO2/tce 之前请核实",
    ),
    (
        r"^park fuels: district heat has no factor: give park_energy\.district_heat_kgco2_per_gj; the "
        r"park's operational emissions and tCO2/tce are not computed$",
        "园区燃料:市政热力无排放因子,请在园区文件中给出 park_energy.district_heat_kgco2_per_gj;"
        "园区运行碳排放与 tCO2/tce 不予计算",
    ),
    (
        r"^park supply valued at the park's grid factor \((?P<s>[\d,.]+) kgCO2\) is more than the "
        r"pooled electricity's emissions at the buildings' own factors \((?P<e>[\d,.]+) kgCO2\): "
        r"electricity emissions taken as zero, not below$",
        "按园区电网排放因子计值的园区供应({s} kgCO2)大于按各建筑自身因子计算的汇总电力排放"
        "({e} kgCO2):电力排放取零,不取负值",
    ),
    (
        r"^the park is assessed without (?P<n>\d+) failed building\(s\) of (?P<t>\d+) "
        r"\((?P<names>.*)\), accepted with --accept-incomplete: its totals leave them out$",
        "园区评估不含 {t} 栋建筑中评估失败的 {n} 栋({names}),已以 --accept-incomplete 接受:"
        "园区合计不含这些建筑",
    ),
    (
        r"^with embodied emissions: the embodied totals of (?P<names>.*) are incomplete, accepted "
        r"with --accept-incomplete$",
        "计入隐含碳:{names} 的隐含碳合计不完整,已以 --accept-incomplete 接受",
    ),
    (r"^not assessable: no building of the park could be assessed$", "无法评估:园区没有一栋建筑能够评估"),
    (
        r"^not assessable: (?P<n>\d+) of (?P<t>\d+) building\(s\) failed \((?P<names>.*)\), so the "
        r"park's totals would leave them out; fix them, or accept the park without them "
        r"\(--accept-incomplete\)$",
        "无法评估:{t} 栋建筑中有 {n} 栋评估失败({names}),园区合计将不含这些建筑;请修正,"
        "或以 --accept-incomplete 接受不含这些建筑的园区",
    ),
    (
        r"^with embodied emissions: not assessable, the embodied totals of (?P<names>.*) are "
        r"incomplete; map or assume their missing materials, or accept them with --accept-incomplete$",
        "计入隐含碳:无法评估,{names} 的隐含碳合计不完整;请在映射文件中补充或假定其缺失的材料,"
        "或以 --accept-incomplete 接受",
    ),
    (
        r"^(?P<module>[a-z0-9_]+): not assessed in (?P<names>.*): no park total$",
        "{module}:{names} 未评估该模块,园区无合计",
    ),
    (r"^no building assessed$", "没有已评估的建筑"),
]

#: A building's own lines after "name: ": (pattern, Chinese template).
_BUILDING_LINES = [
    (
        r"^no floor area: the park's figures per m2 are not computed$",
        "无建筑面积:园区单位建筑面积指标不予计算",
    ),
    (
        r"^grid factor (?P<id>\S+) \((?P<v>\S+) kgCO2/kWh\) differs from the park's (?P<pid>\S+) "
        r"\((?P<pv>\S+)\): its grid electricity counts at its own factor, the park's loads and exports at "
        r"the park's$",
        "电网排放因子 {id}({v} kgCO2/kWh)与园区的 {pid}({pv})不同:其电网用电按其自身因子计,"
        "园区负荷和上网电量按园区因子计",
    ),
]
_REASONS = [(re.compile(p), zh) for p, zh in _REASON_LINES]
_PARK = [(re.compile(p), zh) for p, zh in _PARK_LINES]
_BUILDING = [(re.compile(p), zh) for p, zh in _BUILDING_LINES]

_SIZE_NOTE = re.compile(
    r"^(?P<tier>.+?), (?P<id>[\w.-]+): threshold (?P<t>\S+) (?P<unit>\S+) for a park of "
    r"(?P<size>[\d,.]+) tce a year(?: \((?P<note>.*)\))?(?P<provisional> \[provisional\])?$"
)


def module_name(key: str, lang: str) -> str:
    """A module key of ``totals.embodied`` as a reader writes it (``c1_c4`` is "C1-C4")."""
    name = MODULE_NAMES.get(key, key)
    return _MODULE_ZH.get(name, name) if lang == "zh" else name


class ParkText:
    """The park's lines in the workbook's language.

    Parameters
    ----------
    park
        The park assessment (its buildings' names, assessments and tiers).
    t
        The workbook's labels (``t["lang"]``, ``t["data"]`` for data-file texts).
    """

    def __init__(self, park: ParkAssessment, t: dict) -> None:
        self.t = t
        self.zh = t["lang"] == "zh"
        self.park = park
        self._assessments: dict[str, Assessment | None] = {}
        # longest first: a building named "A" must not take the lines of one named "A: east"
        self.names = sorted((b.name for b in park.buildings), key=len, reverse=True)
        tiers = park.without_embodied.verdicts.tiers
        self.tier_names = {x.name_en: (x.name_zh or x.name_en) for x in tiers}

    def assessment(self, name: str) -> Assessment | None:
        """A building's assessment as the building workbook's translations read it (None: failed)."""
        if name not in self._assessments:
            entry = next((b for b in self.park.buildings if b.name == name), None)
            raw = entry.assessment if entry is not None else None
            self._assessments[name] = Assessment.model_validate(raw) if raw else None
        return self._assessments[name]

    def reason(self, error: str | None) -> str:
        """A failed building's one-line reason (``file: message``)."""
        if not error or not self.zh:
            return error or ""
        where, sep, message = error.partition(": ")
        if sep and " " not in where:  # a file as the park file names it
            translated = _match(_REASONS, message)
            if translated is not None:
                return f"{where}:{translated}"
        if error.startswith("internal error: "):
            return f"内部错误{ENGLISH}{error[len('internal error: ') :]}"
        return f"{ENGLISH}{error}"

    def line(self, line: str) -> str:
        """A warning or a verdict note of the park."""
        if not self.zh or not line:
            return line
        translated = _match(_PARK, line, carrier=self._carrier, module=lambda key: module_name(key, "zh"))
        if translated is not None:
            return translated
        if line.startswith("park: "):  # one of the park's own plausibility findings
            zh = park_finding_zh(line)
            if ENGLISH not in zh:
                return zh
        for name in self.names:
            prefix = f"{name}: "
            if line.startswith(prefix):
                return f"{name}:{self._building_line(name, line[len(prefix) :])}"
        return f"{ENGLISH}{line}"

    def size_note(self, note: str) -> str:
        """Which size class set a threshold (``ParkMode.notes``)."""
        if self.zh and note.startswith("accepted: "):  # a reason lifted by --accept-incomplete
            return f"已接受:{self.line(note[len('accepted: ') :])}"
        match = _SIZE_NOTE.match(note)
        method = _METHOD_NOTE.match(note)
        if self.zh and match is None and method is not None:
            g = method.groupdict()
            translated = self.t["data"](g["method"])
            if str(translated) != g["method"]:
                return f"{self.tier_names.get(g['tier'], g['tier'])},{g['id']}:{translated} [方法暂定]"
        if not self.zh or match is None:
            return note if not self.zh else f"{ENGLISH}{note}"
        g = match.groupdict()
        text = (
            f"{self.tier_names.get(g['tier'], g['tier'])},{g['id']}:园区年综合能源消费量 {g['size']} tce,"
            f"阈值 {g['t']} {g['unit']}"
        )
        if g["note"]:
            text += f"({self.t['data'](g['note'])})"
        return text + (" [暂定]" if g["provisional"] else "")

    def _building_line(self, name: str, rest: str) -> str:
        if rest.startswith("failed: "):
            return f"评估失败:{self.reason(rest[len('failed: ') :])}"
        translated = _match(_BUILDING, rest)
        if translated is not None:
            return translated
        a = self.assessment(name)
        if rest.startswith("IMPLAUSIBLE: ") and a is not None:
            return f"结果不可信:{warning_text(rest[len('IMPLAUSIBLE: ') :], a, self.t)}"
        incomplete = re.match(
            r"^operational emissions incomplete \((?P<note>.*)\): the park's operational emissions and "
            r"tCO2/tce are not computed$",
            rest,
        )
        if incomplete and a is not None:
            return f"运行碳排放不完整({operational_note(a, 'zh')}):园区运行碳排放与 tCO2/tce 不予计算"
        if a is not None:  # one of the building's own warnings, as its workbook says it
            own = warning_text(rest, a, self.t)
            if own != rest and ENGLISH not in own:
                return own
        return f"{ENGLISH}{rest}"

    def _carrier(self, carrier: str) -> str:
        return self.t.get(f"carrier {carrier}", carrier)


def _match(
    table: list[tuple[re.Pattern[str], str]], line: str, **translate: Callable[[str], str]
) -> str | None:
    """``line`` rewritten by the first pattern of ``table`` it matches (None: none matches); a group named
    like a keyword of ``translate`` goes through that function."""
    for pattern, template in table:
        match = pattern.match(line)
        if match:
            values = match.groupdict()
            for key, function in translate.items():
                if key in values:
                    values[key] = function(values[key])
            return template.format(**values)
    return None
