"""Exported quantities of an element: which set and which quantity, converted to SI.

Resolution order (see docs/takeoff.md):

1. standard ``Qto_*BaseQuantities`` sets on the occurrence,
2. exporter sets with recognised names on the occurrence (``BaseQuantities``, unnamed sets,
   ``Qto_BodyGeometryValidation``, ``ArchiCADQuantities``),
3. the same two tiers on the element's type.

Within a tier, net is taken before gross for volumes, areas and weights: the net quantity is the
material actually placed (openings are not built). Quantities with names outside the standard inside a
standard ``Qto_`` set are not used and are reported, since their meaning is unknown.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from bimcarbon.errors import UnitError
from bimcarbon.ifc.units import ProjectUnits, unit_scale

#: Standard Qto sets whose names do not end in BaseQuantities (buildingSMART IFC4.x issues 851, 1037).
STANDARD_SETS_WITHOUT_BASE = {"qto_buildingelementproxyquantities", "qto_curtainwallquantities"}

#: Exporter sets recognised after the standard ones, in order of trust.
EXPORTER_SETS = ("basequantities", "", "qto_bodygeometryvalidation", "archicadquantities")

#: Role -> (IFC quantity class, [(name, basis)] in order of preference). Names are compared after
#: stripping and lower-casing. ``basis`` says whether openings are deducted.
STANDARD_NAMES: dict[str, tuple[str, list[tuple[str, str]]]] = {
    "volume": (
        "IfcQuantityVolume",
        [("netvolume", "net"), ("volume", "plain"), ("grossvolume", "gross")],
    ),
    "area": (
        "IfcQuantityArea",
        [
            ("netsidearea", "net"),
            ("netarea", "net"),
            ("area", "plain"),
            ("grosssidearea", "gross"),
            ("grossarea", "gross"),
            ("netsurfacearea", "net"),
            ("grosssurfacearea", "gross"),
            ("outersurfacearea", "plain"),
        ],
    ),
    "length": ("IfcQuantityLength", [("length", "plain")]),
    "mass": (
        "IfcQuantityWeight",
        [("netweight", "net"), ("weight", "plain"), ("grossweight", "gross")],
    ),
    "cross_section": ("IfcQuantityArea", [("crosssectionarea", "plain")]),
}

#: ArchiCAD quantity names (German and English exports), used in exporter sets only.
ARCHICAD_NAMES: dict[str, list[tuple[str, str]]] = {
    "volume": [
        ("netto-volumen", "net"),
        ("net volume", "net"),
        ("volume (net)", "net"),
        ("volumen", "plain"),
        ("brutto-volumen der wand", "gross"),
        ("bruttovolumen der decke", "gross"),
        ("bruttovolumen des dachs", "gross"),
        ("gross volume", "gross"),
        ("volume (gross)", "gross"),
    ],
}

_VALUE_ATTRIBUTE = {
    "IfcQuantityVolume": ("VolumeValue", "VOLUMEUNIT"),
    "IfcQuantityArea": ("AreaValue", "AREAUNIT"),
    "IfcQuantityLength": ("LengthValue", "LENGTHUNIT"),
    "IfcQuantityWeight": ("WeightValue", "MASSUNIT"),
    "IfcQuantityCount": ("CountValue", None),
}

#: The standard quantity names of all Qto_*BaseQuantities sets (IFC4.3), lower-case. A name outside
#: this list inside a standard set is reported.
KNOWN_STANDARD_QUANTITY_NAMES = {
    "length", "width", "height", "depth", "thickness", "perimeter", "grossperimeter",
    "netperimeter", "grossarea", "netarea", "area", "grossvolume", "netvolume", "volume",
    "grossweight", "netweight", "weight", "grosssidearea", "netsidearea", "grossfootprintarea",
    "netfootprintarea", "crosssectionarea", "outersurfacearea", "grosssurfacearea",
    "netsurfacearea", "totalsurfacearea", "count", "grossfloorarea", "netfloorarea",
    "grossceilingarea", "netceilingarea", "grosswallarea", "netwallarea", "finishceilingheight",
    "finishfloorheight", "clearheight", "grossheight", "netheight", "projectedarea",
    "netsurfaceareaextrudedsides", "surfaceareaextrudedsides", "numberofrisers",
    "numberoftreads", "riserheight", "treadlength", "lengthofwidthofstair",
    "grossprojectedarea", "netprojectedarea", "outerperimeter", "innerperimeter",
    "grosscrosssectionarea", "netcrosssectionarea", "nominalheight", "nominallength",
    "nominalwidth", "surfacearea",
}  # fmt: skip


@dataclass(frozen=True)
class Measured:
    """One quantity in SI with where it came from.

    Attributes
    ----------
    value
        Value in SI (m, m2, m3 or kg).
    source
        ``set.quantity`` as written in the model, prefixed with ``type:`` when read from the type,
        e.g. ``Qto_WallBaseQuantities.NetVolume`` or ``type:BaseQuantities.GrossVolume``.
    basis
        ``net``, ``gross`` or ``plain`` (the name says neither).
    """

    value: float
    source: str
    basis: str = "plain"


@dataclass
class ElementQuantities:
    """The exported quantities chosen for one element, and what was passed over.

    Attributes
    ----------
    volume, area, length, mass, cross_section
        The chosen quantity for each role, or None.
    by_name
        Volume quantities keyed by lower-case quantity name, for constituent look-ups.
    notes
        ``(flag, text)`` pairs about quantities that were present but not used.
    """

    volume: Measured | None = None
    area: Measured | None = None
    length: Measured | None = None
    mass: Measured | None = None
    cross_section: Measured | None = None
    by_name: dict[str, Measured] = field(default_factory=dict)
    notes: list[tuple[str, str]] = field(default_factory=list)


def set_tier(set_name: str | None) -> int | None:
    """Trust tier of a quantity set by its name: 0 standard, 1 exporter, None not recognised."""
    name = (set_name or "").strip().lower()
    if name.startswith("qto_") and (name.endswith("basequantities") or name in STANDARD_SETS_WITHOUT_BASE):
        return 0
    if name in EXPORTER_SETS:
        return 1
    return None


def resolve_quantities(occurrence_sets: list, type_sets: list, units: ProjectUnits) -> ElementQuantities:
    """Choose each role's quantity from the element's and its type's quantity sets.

    Parameters
    ----------
    occurrence_sets
        IfcElementQuantity sets defining the occurrence.
    type_sets
        IfcElementQuantity sets of the element's type.
    units
        Project units, for quantities without a unit of their own.

    Returns
    -------
    ElementQuantities
    """
    result = ElementQuantities()
    tiers: list[list[tuple[str, str, int, object]]] = [[], [], [], []]
    for prefix, sets, offset in (("", occurrence_sets, 0), ("type:", type_sets, 2)):
        for qset in sets:
            tier = set_tier(qset.Name)
            if tier is None:
                continue
            set_label = qset.Name if qset.Name else "(unnamed set)"
            for quantity in qset.Quantities or ():
                tiers[offset + tier].append((prefix, set_label, tier, quantity))
    for candidates in tiers:
        _fill_from(result, candidates, units)
    return result


def _fill_from(result: ElementQuantities, candidates: list, units: ProjectUnits) -> None:
    found: dict[str, tuple[int, Measured]] = {}
    for prefix, set_label, tier, quantity in candidates:
        name = (quantity.Name or "").strip()
        key = name.lower()
        ifc_class = quantity.is_a()
        source = f"{prefix}{set_label}.{name}"
        if ifc_class == "IfcPhysicalComplexQuantity":
            continue
        value = _si_value(quantity, units, result, source)
        if value is None:
            continue
        if ifc_class == "IfcQuantityVolume" and key not in result.by_name:
            result.by_name[key] = Measured(value, source)
        matched = False
        for role, (role_class, names) in STANDARD_NAMES.items():
            options = names + (ARCHICAD_NAMES.get(role, []) if tier == 1 else [])
            if ifc_class != role_class:
                continue
            for rank, (option, basis) in enumerate(options):
                if key == option:
                    matched = True
                    previous = found.get(role)
                    if previous is None or rank < previous[0]:
                        found[role] = (rank, Measured(value, source, basis))
        if tier == 0 and not matched and key not in KNOWN_STANDARD_QUANTITY_NAMES:
            result.notes.append(
                ("nonstandard_quantity_name", f"{source} is not a standard quantity name; not used")
            )
    for role, (_, measured) in found.items():
        if getattr(result, role) is None:
            setattr(result, role, measured)


def _si_value(quantity, units: ProjectUnits, result: ElementQuantities, source: str):
    attribute, unit_type = _VALUE_ATTRIBUTE.get(quantity.is_a(), (None, None))
    if attribute is None or unit_type is None:
        return None
    raw = getattr(quantity, attribute, None)
    if raw is None:
        return None
    value = float(raw)
    if not math.isfinite(value) or value <= 0:
        result.notes.append(("invalid_quantity", f"{source} = {raw!r} is not a positive number"))
        return None
    if quantity.Unit is not None:
        try:
            scale, _ = unit_scale(quantity.Unit)
        except UnitError as exc:
            result.notes.append(("invalid_quantity", f"{source}: {exc.message}"))
            return None
    else:
        scale = units.by_type(unit_type).scale_to_si
    return value * scale
