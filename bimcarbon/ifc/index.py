"""One pass over the model's relationships, so each element's type, storey, quantity sets and
material are dictionary look-ups instead of inverse traversals.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import ifcopenshell


@dataclass
class RelationIndex:
    """Relationships of a model keyed by STEP id.

    Attributes
    ----------
    type_of
        Element id -> its IfcTypeObject.
    container_of
        Product id -> the spatial element that contains it.
    parent_of
        Object id -> the object it is a part of (IfcRelAggregates / IfcRelNests).
    element_parts
        Element id -> number of IfcElement parts aggregated into it.
    quantity_sets
        Object id -> its IfcElementQuantity sets (occurrence sets through IfcRelDefinesByProperties,
        type sets through HasPropertySets).
    material_of
        Object id -> the material definitions associated with it (first one is used).
    material_density
        IfcMaterial id -> (mass density in model units, where it was read), from
        Pset_MaterialCommon.MassDensity (IFC4) or IfcGeneralMaterialProperties.MassDensity (IFC2X3).
    classification_of
        Object id -> classification references as ``System:Code`` (IfcRelAssociatesClassification).
    warnings
        Relationships or values that could not be used, one line each.
    """

    type_of: dict[int, ifcopenshell.entity_instance] = field(default_factory=dict)
    container_of: dict[int, ifcopenshell.entity_instance] = field(default_factory=dict)
    parent_of: dict[int, ifcopenshell.entity_instance] = field(default_factory=dict)
    element_parts: dict[int, int] = field(default_factory=dict)
    quantity_sets: dict[int, list[ifcopenshell.entity_instance]] = field(default_factory=dict)
    material_of: dict[int, list[ifcopenshell.entity_instance]] = field(default_factory=dict)
    material_density: dict[int, tuple[float, str]] = field(default_factory=dict)
    classification_of: dict[int, list[str]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def _entities(values) -> list:
    """The entity instances in an attribute value (a broken file can hold strings or numbers there)."""
    if isinstance(values, ifcopenshell.entity_instance):
        return [values]
    if not isinstance(values, list | tuple):
        return []
    return [v for v in values if isinstance(v, ifcopenshell.entity_instance)]


def _entity(value):
    return value if isinstance(value, ifcopenshell.entity_instance) else None


def build_index(ifc: ifcopenshell.file) -> RelationIndex:
    """Read every relationship the take-off needs, once.

    Parameters
    ----------
    ifc
        An open ifcopenshell file.

    Returns
    -------
    RelationIndex
    """
    index = RelationIndex()
    for rel in ifc.by_type("IfcRelDefinesByType"):
        if _entity(rel.RelatingType) is None:
            continue
        for obj in _entities(rel.RelatedObjects):
            index.type_of[obj.id()] = rel.RelatingType
    qsets: dict[int, list] = defaultdict(list)
    for rel in ifc.by_type("IfcRelDefinesByProperties"):
        quantity_sets = [d for d in _entities(rel.RelatingPropertyDefinition) if d.is_a("IfcElementQuantity")]
        if not quantity_sets:
            continue
        for obj in _entities(rel.RelatedObjects):
            qsets[obj.id()].extend(quantity_sets)
    for type_obj in ifc.by_type("IfcTypeObject"):
        for definition in _entities(type_obj.HasPropertySets):
            if definition.is_a("IfcElementQuantity"):
                qsets[type_obj.id()].append(definition)
    index.quantity_sets = dict(qsets)
    for rel in ifc.by_type("IfcRelContainedInSpatialStructure"):
        if _entity(rel.RelatingStructure) is None:
            continue
        for obj in _entities(rel.RelatedElements):
            index.container_of.setdefault(obj.id(), rel.RelatingStructure)
    parts: dict[int, int] = defaultdict(int)
    for rel_type in ("IfcRelAggregates", "IfcRelNests"):
        for rel in _by_type_or_empty(ifc, rel_type):
            whole = _entity(rel.RelatingObject)
            if whole is None:  # a dangling reference the parser dropped, or a wrong value
                continue
            for obj in _entities(rel.RelatedObjects):
                index.parent_of.setdefault(obj.id(), whole)
                is_element_part = whole.is_a("IfcElement") and obj.is_a("IfcElement")
                if rel_type == "IfcRelAggregates" and is_element_part:
                    parts[whole.id()] += 1
    index.element_parts = dict(parts)
    materials: dict[int, list] = defaultdict(list)
    for rel in ifc.by_type("IfcRelAssociatesMaterial"):
        if _entity(rel.RelatingMaterial) is None:
            continue
        for obj in _entities(rel.RelatedObjects):
            materials[obj.id()].append(rel.RelatingMaterial)
    index.material_of = dict(materials)
    index.material_density = _material_densities(ifc, index.warnings)
    classifications: dict[int, list[str]] = defaultdict(list)
    for rel in ifc.by_type("IfcRelAssociatesClassification"):
        label = _classification_label(_entity(rel.RelatingClassification))
        if label is None:
            continue
        for obj in _entities(rel.RelatedObjects):
            classifications[obj.id()].append(label)
    index.classification_of = dict(classifications)
    return index


def _classification_label(reference) -> str | None:
    """``System:Code`` of an IfcClassificationReference (IFC4 Identification, IFC2X3 ItemReference)."""
    if reference is None or not reference.is_a("IfcClassificationReference"):
        return None
    code = getattr(reference, "Identification", None) or getattr(reference, "ItemReference", None)
    code = code or reference.Name
    if not code:
        return None
    system = None
    source = reference.ReferencedSource
    while source is not None and system is None:
        if source.is_a("IfcClassification"):
            system = source.Name
        else:
            source = getattr(source, "ReferencedSource", None)
    return f"{system}:{code}" if system else str(code)


def _by_type_or_empty(ifc: ifcopenshell.file, name: str) -> list:
    try:
        return list(ifc.by_type(name))
    except RuntimeError:  # the entity does not exist in this schema
        return []


def _material_densities(ifc: ifcopenshell.file, warnings: list[str]) -> dict[int, tuple[float, str]]:
    """IfcMaterial id -> (MassDensity in model units, source), from Pset_MaterialCommon or IFC2X3."""
    densities: dict[int, tuple[float, str]] = {}
    if ifc.schema == "IFC2X3":
        for props in _by_type_or_empty(ifc, "IfcGeneralMaterialProperties"):
            if props.Material is not None:
                _keep_density(
                    densities,
                    props.Material,
                    props.MassDensity,
                    "IfcGeneralMaterialProperties.MassDensity",
                    warnings,
                )
        return densities
    for props in _by_type_or_empty(ifc, "IfcMaterialProperties"):
        if props.Name != "Pset_MaterialCommon" or props.Material is None:
            continue
        if not props.Material.is_a("IfcMaterial"):
            continue
        for prop in props.Properties or ():
            if prop.Name == "MassDensity" and prop.is_a("IfcPropertySingleValue"):
                nominal = prop.NominalValue
                value = nominal.wrappedValue if nominal is not None else None
                _keep_density(densities, props.Material, value, "Pset_MaterialCommon.MassDensity", warnings)
    return densities


def _keep_density(densities: dict, material, value, source: str, warnings: list[str]) -> None:
    if value is None:
        return
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = float("nan")
    if not number > 0 or number == float("inf"):
        warnings.append(
            f"material {material.Name!r}: {source} = {value!r} is not a positive number; not used"
        )
        return
    densities[material.id()] = (number, source)
