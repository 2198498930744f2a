"""What each element of an assessment carries when its results are written back into the IFC (pure).

The assessment's elements (:mod:`bimcarbon.element_results`) become, per element, the kgCO2e of the
standard ``Pset_EnvironmentalImpactValues.ClimateChange`` (modules :data:`STATED_MODULES`) and the
properties of the bimcarbon set :data:`RESULTS_PSET`, as plain values with the kind of IFC value each
is written as. :mod:`bimcarbon.ifc.writeback` turns them into IFC entities; nothing here knows IFC.

kgCO2e, m3 and kg are written as plain numbers (``real``: IfcReal), which no project unit scales; the
property names carry the units.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from bimcarbon import __version__
from bimcarbon.element_results import ElementResult
from bimcarbon.exchange.heatmap import Heatmap, Placement, place

#: The bimcarbon property set on every element of the take-off.
RESULTS_PSET = "BIMCarbon_Results"
#: The bimcarbon property set on the IfcProject: the assessment as a whole.
ASSESSMENT_PSET = "BIMCarbon_Assessment"
#: The modules ``ClimateChange`` holds (EN 15978): the product stage.
STATED_MODULES = "A1-A3"
#: IFC's ``LifeCyclePhase`` enumerator for :data:`STATED_MODULES`: none names A1-A3; PRODUCTION is EN
#: 15978's product stage (raw material supply, transport to the factory, manufacturing).
LIFE_CYCLE_PHASE = "PRODUCTION"
#: What the plain numbers are in.
UNITS_NOTE = (
    "kgCO2e (kg of CO2 equivalent), m3 and kg as plain numbers (IfcReal), not scaled by the project's "
    "units; A1-A3 etc. are EN 15978 modules; A5 site activity, C1 and B6 are building-level, not here"
)
UNITS_NOTE_ZH = (
    "kgCO2e(千克二氧化碳当量)、m3 和 kg 为纯数值(IfcReal),不受项目单位换算影响;A1-A3 等为 EN 15978 "
    "模块;A5 现场施工、C1 和 B6 属于建筑整体,不在构件上"
)

#: Element-level modules: (property name, ElementResult field).
MODULE_PROPERTIES = (
    ("A1_A3_kgCO2e", "a1_a3_kgco2e"),
    ("A4_kgCO2e", "a4_kgco2e"),
    ("A5_Wastage_kgCO2e", "a5_wastage_kgco2e"),
    ("B4_kgCO2e", "b4_kgco2e"),
    ("C2_kgCO2e", "c2_kgco2e"),
    ("C3_C4_kgCO2e", "c3_c4_kgco2e"),
)

#: What each status means, so a viewer shows why (en, zh).
STATUS_NOTES: dict[str, tuple[str, str]] = {
    "matched": (
        "counted: every part with material matched a factor by its material name",
        "已计入:每个有材料的部分均按材料名称匹配到排放因子",
    ),
    "assumed": (
        "counted: every part counted, some by an assumption (placeholder or missing material, default "
        "rebar); see the assessment's assumptions",
        "已计入:每个部分均已计入,其中部分依据假定(占位或缺失材料、默认配筋);见评估中的假定",
    ),
    "partly left out": (
        "partly counted: some parts matched no factor and are left out, so the figures are lower than "
        "the element's",
        "部分计入:部分构件部分未匹配到排放因子而未计入,因此数值低于构件实际",
    ),
    "left out": (
        "not counted: no material, or no factor matched its material; map it and assess again",
        "未计入:无材料,或其材料未匹配到排放因子;补充映射后重新评估",
    ),
    "void": (
        "nothing to count: only air (void layers)",
        "无可计入内容:仅为空气层",
    ),
}

Kind = Literal["real", "integer", "label", "text", "identifier"]


@dataclass(frozen=True)
class Prop:
    """One property: name, value, the kind of IFC value, and whether one IFC property may serve every
    element that has the same value (constants of the run, statuses, heatmap classes)."""

    name: str
    value: str | float | int
    kind: Kind
    shared: bool = False


@dataclass(frozen=True)
class ElementWrite:
    """What is written on one element.

    Attributes
    ----------
    element
        Its results (``step_id``, ``global_id``, ``ifc_class`` find it in the model).
    climate_change_kg
        ``Pset_EnvironmentalImpactValues.ClimateChange``: kgCO2e of :data:`STATED_MODULES`; None when
        nothing is counted (no ClimateChange is written).
    properties
        The :data:`RESULTS_PSET` properties, in order.
    placement
        Its heatmap class (None without a heatmap).
    """

    element: ElementResult
    climate_change_kg: float | None
    properties: list[Prop] = field(default_factory=list)
    placement: Placement | None = None


def has_results(element: ElementResult) -> bool:
    """Whether anything of the element is counted (any element-level module has a value)."""
    return any(getattr(element, name) is not None for _, name in MODULE_PROPERTIES)


def element_writes(
    elements: list[ElementResult],
    model_sha256: str,
    heatmap: Heatmap | None = None,
    lang: str = "en",
) -> list[ElementWrite]:
    """What every element of the assessment carries in the IFC.

    Parameters
    ----------
    elements
        ``Assessment.elements``.
    model_sha256
        The assessed model file's SHA-256 (on every element, so a result is traced to its model).
    heatmap
        The heatmap classes; with them each element also carries its class, bounds and colour.
    lang
        Language of the texts a person reads (the status note, the heatmap class): ``en`` or ``zh``.
        Property names, statuses and flags stay English.

    Returns
    -------
    list of ElementWrite
        One per element, in the assessment's order.
    """
    zh = lang == "zh"
    constants = [
        Prop("ModelSha256", model_sha256, "identifier", shared=True),
        Prop("ToolVersion", f"bimcarbon {__version__}", "label", shared=True),
        Prop("Units", UNITS_NOTE_ZH if zh else UNITS_NOTE, "text", shared=True),
    ]
    writes = []
    for element in elements:
        props = [Prop("Status", element.status, "label", shared=True)]
        note = STATUS_NOTES.get(element.status)
        if note is not None:
            props.append(Prop("StatusNote", note[1] if zh else note[0], "text", shared=True))
        counted = has_results(element)
        if counted:
            values = [getattr(element, name) for _, name in MODULE_PROPERTIES]
            props += [
                Prop(name, float(value), "real")
                for (name, _), value in zip(MODULE_PROPERTIES, values, strict=True)
                if value is not None
            ]
            if element.a1_a3_kgco2e is not None:
                props.append(Prop("ClimateChangeModules", STATED_MODULES, "label", shared=True))
            if element.biogenic_kgco2 is not None and element.biogenic_kgco2 != 0:
                props.append(Prop("Biogenic_kgCO2", float(element.biogenic_kgco2), "real"))
        props += _joined("FactorIds", element.factor_ids)
        props += _joined("QuantitySources", element.quantity_sources)
        props += _joined("Flags", element.flags)
        if element.volume_m3 is not None:
            props.append(Prop("Volume_m3", float(element.volume_m3), "real"))
        if element.mass_kg is not None:
            props.append(Prop("Mass_kg", float(element.mass_kg), "real"))
        placement = None
        if heatmap is not None:
            placement = place(element, heatmap)
            props += heatmap_props(placement, zh)
        writes.append(
            ElementWrite(
                element=element,
                climate_change_kg=element.a1_a3_kgco2e,
                properties=props + constants,
                placement=placement,
            )
        )
    return writes


def heatmap_props(placement: Placement, zh: bool = False) -> list[Prop]:
    """The heatmap properties of an element: its class, the bounds, the colour and its value."""
    heat = placement.heat_class
    label = heat.zh.get("label", heat.label) if zh else heat.label
    props = [
        Prop("HeatmapClass", label, "label", shared=True),
        Prop("HeatmapColour", heat.colour, "label", shared=True),
    ]
    if placement.value is not None:
        props += [
            Prop("HeatmapBounds", heat.bounds_text(placement.unit), "label", shared=True),
            Prop("HeatmapValue", float(placement.value), "real"),
            Prop("HeatmapBasis", f"{placement.unit}, {STATED_MODULES}", "label", shared=True),
        ]
    return props


def _joined(name: str, values: list[str]) -> list[Prop]:
    """``values`` as one text, ``; ``-separated (nothing when empty)."""
    return [Prop(name, "; ".join(values), "text")] if values else []
