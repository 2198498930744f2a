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
            # a side area before a plain Area: ArchiCAD's wall "Area" is the wall's plan area, not the
            # face its layers cover (ROOT-houten kozijnen.ifczip: 0.138 m2 against 2.24 m2)
            ("grosssidearea", "gross"),
            ("area", "plain"),
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
    # the element's whole surface (its thickness is about 2 x volume / surface: the element checks,
    # bimcarbon.element_plausibility); OuterSurfaceArea leaves out a member's two ends
    "surface": (
        "IfcQuantityArea",
        [
            ("netsurfacearea", "net"),
            ("grosssurfacearea", "gross"),
            ("totalsurfacearea", "plain"),
            ("surfacearea", "plain"),
            ("outersurfacearea", "plain"),
        ],
    ),
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
    volume
        The occurrence's own exported volume, or None.
    type_volume
        The volume exported on the element's type, or None. It ranks below the occurrence's own
        dimensions (cross-section x length, profile, layers), see :mod:`bimcarbon.split`.
    area, length, mass, cross_section, surface
        The chosen quantity for each role: the occurrence's, else the type's. ``surface`` is the
        element's whole surface area (``NetSurfaceArea``, ``GrossSurfaceArea``, ``TotalSurfaceArea``,
        ``SurfaceArea``, else ``OuterSurfaceArea``).
    part_volumes
        Volumes per material part, from ``IfcPhysicalComplexQuantity`` entries named like a layer,
        constituent or material (IFC's way of giving quantities per part), keyed by lower-case name.
    notes
        ``(flag, text)`` pairs about quantities that were present but not used.
    """

    volume: Measured | None = None
    type_volume: Measured | None = None
    area: Measured | None = None
    length: Measured | None = None
    mass: Measured | None = None
    cross_section: Measured | None = None
    surface: Measured | None = None
    part_volumes: dict[str, Measured] = field(default_factory=dict)
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
    own = _resolve_sets(occurrence_sets, "", units, result)
    of_type = _resolve_sets(type_sets, "type:", units, result)
    result.volume = own.get("volume")
    result.type_volume = of_type.get("volume")
    for role in ("area", "length", "mass", "cross_section", "surface"):
        setattr(result, role, own.get(role) or of_type.get(role))
    return result


def _resolve_sets(sets: list, prefix: str, units: ProjectUnits, result: ElementQuantities) -> dict:
    """Best quantity per role from recognised sets: standard sets first, then exporter sets."""
    chosen: dict[str, Measured] = {}
    for wanted_tier in (0, 1):
        found: dict[str, tuple[int, Measured]] = {}
        for qset in sets:
            if set_tier(qset.Name) != wanted_tier:
                continue
            set_label = qset.Name if qset.Name else "(unnamed set)"
            for quantity in qset.Quantities or ():
                _consider(quantity, f"{prefix}{set_label}", wanted_tier, units, result, found)
        for role, (_, measured) in found.items():
            chosen.setdefault(role, measured)
    return chosen


def _consider(quantity, set_label: str, tier: int, units: ProjectUnits, result, found: dict) -> None:
    name = (quantity.Name or "").strip()
    key = name.lower()
    ifc_class = quantity.is_a()
    source = f"{set_label}.{name}"
    if ifc_class == "IfcPhysicalComplexQuantity":
        if not set_label.startswith("type:"):
            _part_volume(quantity, source, units, result)
        return
    matches = []
    for role, (role_class, names) in STANDARD_NAMES.items():
        if ifc_class != role_class:
            continue
        options = names + (ARCHICAD_NAMES.get(role, []) if tier == 1 else [])
        for rank, (option, basis) in enumerate(options):
            if key == option:
                matches.append((role, rank, basis))
    if not matches:
        if tier == 0 and key not in KNOWN_STANDARD_QUANTITY_NAMES:
            result.notes.append(
                ("nonstandard_quantity_name", f"{source} is not a standard quantity name; not used")
            )
        return
    value = _si_value(quantity, units, result, source)
    if value is None:
        return
    for role, rank, basis in matches:
        previous = found.get(role)
        if previous is None or rank < previous[0]:
            found[role] = (rank, Measured(value, source, basis))


def _part_volume(complex_quantity, source: str, units: ProjectUnits, result: ElementQuantities) -> None:
    """A complex quantity named like a material part: keep its (net, else plain, else gross) volume."""
    key = (complex_quantity.Name or "").strip().lower()
    if not key or key in result.part_volumes:
        return
    volumes = {
        (q.Name or "").strip().lower(): q
        for q in complex_quantity.HasQuantities or ()
        if q.is_a("IfcQuantityVolume")
    }
    for name in ("netvolume", "volume", "grossvolume"):
        quantity = volumes.get(name)
        if quantity is None:
            continue
        value = _si_value(quantity, units, result, f"{source}.{quantity.Name}")
        if value is not None:
            result.part_volumes[key] = Measured(value, f"{source}.{quantity.Name}")
            return


def _si_value(quantity, units: ProjectUnits, result: ElementQuantities, source: str) -> float | None:
    """The quantity's value in SI, or None (flagged ``invalid_quantity``) if it is not positive."""
    attribute, unit_type = _VALUE_ATTRIBUTE.get(quantity.is_a(), (None, None))
    if attribute is None or unit_type is None:
        return None
    raw = getattr(quantity, attribute, None)
    if raw is None:
        return None
    try:
        value = float(raw)
    except (TypeError, ValueError):
        value = math.nan
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
        unit = units.by_type(unit_type)
        scale = unit.scale_to_si
        if unit.inferred:
            result.notes.append(
                ("unit_inferred", f"{source} read in {unit.name}, derived from the length unit")
            )
    return value * scale
