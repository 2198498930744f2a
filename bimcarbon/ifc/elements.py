"""Which elements of a model are taken off, which are excluded and why, and what each one carries.

The take-off covers every ``IfcElement`` (a class that exists in IFC2X3, IFC4 and IFC4X3 alike) except
those excluded on purpose, each with a reason:

* features (openings, voids, projections, surface features): they change a host, they are not built,
* virtual elements: no physical existence,
* geographic elements (terrain, vegetation): outside the building's scope,
* aggregates without a body of their own: their parts are taken off instead (no double count).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import ifcopenshell

from bimcarbon.ifc.index import RelationIndex, build_index
from bimcarbon.ifc.materials import MaterialSpec, resolve_material
from bimcarbon.ifc.placement import position_m
from bimcarbon.ifc.quantities import ElementQuantities, Measured, resolve_quantities
from bimcarbon.ifc.reader import Model
from bimcarbon.ifc.written_faces import BODY_IDENTIFIERS

#: IFC class -> reason it is excluded (checked with is_a, so subtypes are covered).
EXCLUDED_CLASSES: dict[str, str] = {
    "IfcFeatureElement": "feature (opening, void, projection or surface feature): not a built product",
    "IfcVirtualElement": "virtual element: no physical existence",
    "IfcGeographicElement": "geographic element (terrain, vegetation): outside the building scope",
}


#: Classes whose extrusion depth is their length (used when no Length is exported).
LINEAR_CLASSES = (
    "IfcBeam",
    "IfcColumn",
    "IfcMember",
    "IfcPile",
    "IfcReinforcingBar",
    "IfcFlowSegment",
)


@dataclass
class ElementRecord:
    """What the take-off needs to know about one element, in SI units.

    Attributes
    ----------
    step_id
        STEP id (``#123``) of the element in the file.
    global_id, ifc_class, predefined_type, element_name, type_name, storey
        Identity and location of the element.
    classification
        Classification references of the element, else of its type, ``;``-joined ``System:Code``.
    quantities
        Exported quantities chosen for it.
    material
        Its material parts.
    body_length_m
        Depth of the body's extrusion in metres, when the body is one extruded solid and the
        element is linear (a profile set or one of :data:`LINEAR_CLASSES`).
    has_body
        Whether it has a ``Body`` representation the geometry engine can measure.
    has_openings
        Whether openings void it (net and gross volumes then differ).
    flags
        Codes about the element as a whole.
    warnings
        Lines about this element for the person (each names its GlobalId).
    position_m
        Origin of its object placement in world coordinates, metres (None: it has none that can be read).
    """

    step_id: int
    global_id: str
    ifc_class: str
    predefined_type: str | None
    element_name: str | None
    type_name: str | None
    storey: str | None
    classification: str | None
    quantities: ElementQuantities
    material: MaterialSpec
    body_length_m: float | None
    has_body: bool
    has_openings: bool
    flags: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    position_m: tuple[float, float, float] | None = None


@dataclass(frozen=True)
class Exclusion:
    """An element left out of the take-off on purpose."""

    step_id: int
    global_id: str
    ifc_class: str
    element_name: str | None
    reason: str


def physical_elements(model: Model) -> tuple[list[ElementRecord], list[Exclusion], list, list[str]]:
    """Read every IfcElement of the model into a record, or an exclusion with its reason.

    Parameters
    ----------
    model
        An opened model.

    Returns
    -------
    records, exclusions, entities, warnings
        ``entities`` are the ifcopenshell entities of ``records``, in the same order (for the
        geometry engine); ``warnings`` are model-wide problems (unusable densities ...).
    """
    ifc = model.ifc
    index = build_index(ifc)
    records: list[ElementRecord] = []
    entities: list = []
    exclusions: list[Exclusion] = []
    storey_cache: dict[int, str | None] = {}
    material_cache: dict = {}
    placement_cache: dict = {}
    for element in unique_elements(ifc, index.warnings):
        reason = _exclusion_reason(element, index)
        if reason is not None:
            exclusions.append(Exclusion(element.id(), element.GlobalId, element.is_a(), element.Name, reason))
            continue
        try:
            record = _record(element, index, model, storey_cache, material_cache, placement_cache)
        except Exception as exc:  # one odd element must not lose the model: keep it, flagged
            record = _broken_record(element, exc)
        records.append(record)
        entities.append(element)
    return records, exclusions, entities, index.warnings


def unique_elements(ifc: ifcopenshell.file, warnings: list[str] | None = None) -> list:
    """Every IfcElement once (a broken file can define the same #id twice), in file order."""
    seen: dict[int, object] = {}
    for element in ifc.by_type("IfcElement"):
        if element.id() in seen:
            if warnings is not None:
                warnings.append(f"#{element.id()} is defined more than once in the file; it is read once")
            continue
        seen[element.id()] = element
    return list(seen.values())


def _exclusion_reason(element, index: RelationIndex) -> str | None:
    for ifc_class, reason in EXCLUDED_CLASSES.items():
        try:
            if element.is_a(ifc_class):
                return reason
        except RuntimeError:
            continue
    parts = index.element_parts.get(element.id(), 0)
    if parts and not _has_body(element):
        return "aggregate without geometry of its own: its parts are taken off instead"
    return None


def _has_body(element) -> bool:
    representation = element.Representation
    if representation is None:
        return False
    for rep in representation.Representations or ():
        identifier = (rep.RepresentationIdentifier or "").lower()
        if identifier in BODY_IDENTIFIERS and rep.Items:
            return True
    return False


def _record(
    element,
    index: RelationIndex,
    model: Model,
    storey_cache: dict,
    material_cache: dict,
    placement_cache: dict,
) -> ElementRecord:
    element_type = index.type_of.get(element.id())
    type_id = element_type.id() if element_type is not None else None
    quantities = resolve_quantities(
        index.quantity_sets.get(element.id(), []),
        index.quantity_sets.get(type_id, []) if type_id is not None else [],
        model.units,
    )
    material = resolve_material(
        index.material_of.get(element.id(), []),
        index.material_of.get(type_id, []) if type_id is not None else [],
        index.material_density,
        model.units,
        material_cache,
    )
    if quantities.area is None:
        quantities.area = _opening_area(element, model.units.length.scale_to_si)
    depth = None
    if material.kind == "profile" or any(_is_a(element, c) for c in LINEAR_CLASSES):
        depth = _extrusion_depth(element, any_profile_is_a_section=material.kind == "profile")
    return ElementRecord(
        step_id=element.id(),
        global_id=element.GlobalId,
        ifc_class=element.is_a(),
        predefined_type=_predefined_type(element, element_type),
        element_name=element.Name,
        type_name=element_type.Name if element_type is not None else None,
        storey=_storey(element, index, storey_cache),
        classification=";".join(
            index.classification_of.get(element.id()) or index.classification_of.get(type_id, [])
        )
        or None,
        quantities=quantities,
        material=material,
        body_length_m=depth * model.units.length.scale_to_si if depth is not None else None,
        has_body=_has_body(element),
        has_openings=bool(getattr(element, "HasOpenings", None)),
        position_m=position_m(element, model.units.length.scale_to_si, placement_cache),
    )


def _opening_area(element, length_scale: float) -> Measured | None:
    """Area of a door or window from its overall dimensions (``OverallHeight x OverallWidth``), for
    factors declared per m2 of window or door when the model exports no area."""
    if not (_is_a(element, "IfcDoor") or _is_a(element, "IfcWindow")):
        return None
    try:
        height, width = float(element.OverallHeight), float(element.OverallWidth)
    except (TypeError, ValueError, AttributeError):
        return None
    area = height * width * length_scale**2
    if not math.isfinite(area) or area <= 0:
        return None
    return Measured(area, "OverallHeight*OverallWidth")


def _broken_record(element, exc: Exception) -> ElementRecord:
    from bimcarbon.ifc.materials import NO_MATERIAL

    global_id = getattr(element, "GlobalId", None) or f"#{element.id()}"
    return ElementRecord(
        step_id=element.id(),
        global_id=global_id,
        ifc_class=element.is_a(),
        predefined_type=None,
        element_name=getattr(element, "Name", None),
        type_name=None,
        storey=None,
        classification=None,
        quantities=ElementQuantities(),
        material=NO_MATERIAL,
        body_length_m=None,
        has_body=False,
        has_openings=False,
        flags=["broken_element"],
        warnings=[f"{global_id} ({element.is_a()}): could not be read ({exc}); kept without quantities"],
    )


def _predefined_type(element, element_type) -> str | None:
    """PredefinedType of the occurrence, else of its type; USERDEFINED gives the user's text."""
    for obj, text_attribute in ((element, "ObjectType"), (element_type, "ElementType")):
        if obj is None:
            continue
        value = getattr(obj, "PredefinedType", None)
        if value == "USERDEFINED":
            return getattr(obj, text_attribute, None) or value
        if value and value != "NOTDEFINED":
            return str(value)
    return None


def _is_a(element, ifc_class: str) -> bool:
    try:
        return element.is_a(ifc_class)
    except RuntimeError:  # class unknown in this schema
        return False


def _extrusion_depth(element, any_profile_is_a_section: bool) -> float | None:
    """Depth of the element's body if it is one cross-section extruded along the member's axis.

    For an element with a material profile set, the extruded profile is its cross-section. Otherwise
    only a parametric profile (IfcParameterizedProfileDef: I, L, rectangle, circle ...) is read as a
    cross-section; an extruded plan outline (a lintel drawn in plan and extruded upwards) is not,
    because its depth is a height, not a length.
    """
    representation = element.Representation
    if representation is None:
        return None
    for rep in representation.Representations or ():
        if (rep.RepresentationIdentifier or "").lower() != "body":
            continue
        items = list(rep.Items or ())
        while len(items) == 1 and items[0].is_a("IfcMappedItem"):
            items = list(items[0].MappingSource.MappedRepresentation.Items or ())
        if len(items) == 1 and items[0].is_a("IfcExtrudedAreaSolid"):
            swept = items[0].SweptArea
            if any_profile_is_a_section or (swept is not None and swept.is_a("IfcParameterizedProfileDef")):
                return float(items[0].Depth)
        return None
    return None


def _storey(element, index: RelationIndex, cache: dict) -> str | None:
    """Name of the building storey the element is in, through containers and aggregates."""
    seen = 0
    node = element
    while node is not None and seen < 64:
        seen += 1
        container = index.container_of.get(node.id())
        if container is not None:
            return _storey_of_spatial(container, index, cache)
        node = index.parent_of.get(node.id())
    return None


def _storey_of_spatial(spatial, index: RelationIndex, cache: dict) -> str | None:
    key = spatial.id()
    if key in cache:
        return cache[key]
    name = None
    node = spatial
    for _ in range(64):
        if node is None:
            break
        if node.is_a("IfcBuildingStorey"):
            name = node.Name or getattr(node, "LongName", None) or f"#{node.id()}"
            break
        node = index.parent_of.get(node.id())
    cache[key] = name
    return name
