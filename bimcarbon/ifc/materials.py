"""Material parts of an element: which materials, in which kind of set, with the numbers needed
to split the element's quantity between them (layer thickness, constituent fraction, profile area).

The material comes from the occurrence, else from its type. All lengths are converted to metres here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from bimcarbon.ifc.profiles import profile_area
from bimcarbon.ifc.units import ProjectUnits


@dataclass(frozen=True)
class PartSpec:
    """One material part of an element, before quantities are split.

    Attributes
    ----------
    index
        Position in the set, from 0.
    material
        Material name, or None (a layer without material, or no material at all).
    category
        IfcMaterial.Category, else the part's own Category (IFC4+), else None.
    density_kg_per_m3
        The material's mass density from the model in kg/m3, or None.
    density_source
        Where the density was read (``Pset_MaterialCommon.MassDensity`` or, in IFC2X3,
        ``IfcGeneralMaterialProperties.MassDensity``).
    thickness_m
        Layer thickness in metres (layers only).
    fraction
        Constituent Fraction as written (constituents only).
    profile_area_m2
        Cross-section area of the part's profile in m2 (profiles only).
    part_name
        Name of the layer, constituent or profile, if any.
    flags
        Codes a person should look at, e.g. ``void_layer``.
    """

    index: int
    material: str | None
    category: str | None = None
    density_kg_per_m3: float | None = None
    density_source: str | None = None
    thickness_m: float | None = None
    fraction: float | None = None
    profile_area_m2: float | None = None
    part_name: str | None = None
    flags: tuple[str, ...] = ()


@dataclass(frozen=True)
class MaterialSpec:
    """How an element's material is made up.

    Attributes
    ----------
    kind
        ``single``, ``layer``, ``constituent``, ``profile``, ``list`` or ``none``.
    source
        ``occurrence``, ``type`` or ``none``.
    set_name
        Name of the layer/constituent/profile set, if any.
    parts
        The parts, in the set's order (one part with ``material=None`` for ``none``).
    flags
        Codes about the whole element's material.
    """

    kind: str
    source: str
    set_name: str | None
    parts: tuple[PartSpec, ...]
    flags: tuple[str, ...] = ()


NO_MATERIAL = MaterialSpec("none", "none", None, (PartSpec(0, None, flags=("no_material",)),))


def resolve_material(
    occurrence_materials: list,
    type_materials: list,
    densities: dict[int, tuple[float, str]],
    units: ProjectUnits,
    cache: dict[tuple[int, str], MaterialSpec] | None = None,
) -> MaterialSpec:
    """Material parts of an element, from the occurrence or else its type.

    Parameters
    ----------
    occurrence_materials
        Material definitions associated with the occurrence (IfcRelAssociatesMaterial).
    type_materials
        Material definitions associated with the element's type.
    densities
        IfcMaterial id -> (mass density in model units, where it was read).
    units
        Project units.
    cache
        Optional dictionary reused across elements: elements sharing a material definition (a
        layer set usage, a profile set) then resolve it once.

    Returns
    -------
    MaterialSpec
    """
    flags: list[str] = []
    if occurrence_materials:
        definition, source = occurrence_materials[0], "occurrence"
        if len(occurrence_materials) > 1:
            flags.append("multiple_material_associations")
    elif type_materials:
        definition, source = type_materials[0], "type"
        if len(type_materials) > 1:
            flags.append("multiple_material_associations")
    else:
        return NO_MATERIAL
    key = (definition.id(), source)
    spec = cache.get(key) if cache is not None else None
    if spec is None:
        spec = _parts_of(definition, source, densities, units)
        if cache is not None:
            cache[key] = spec
    if flags:
        spec = MaterialSpec(spec.kind, spec.source, spec.set_name, spec.parts, spec.flags + tuple(flags))
    return spec


def _parts_of(
    definition, source: str, densities: dict[int, tuple[float, str]], units: ProjectUnits
) -> MaterialSpec:
    length = units.length.scale_to_si
    density_scale = units.mass_density.scale_to_si

    def material_fields(material, part) -> dict:
        name = material.Name if material is not None else None
        category = getattr(material, "Category", None) if material is not None else None
        if not category and part is not None:
            category = getattr(part, "Category", None)
        density, density_source = (
            densities.get(material.id(), (None, None)) if material is not None else (None, None)
        )
        return {
            "material": name,
            "category": category or None,
            "density_kg_per_m3": density * density_scale if density is not None else None,
            "density_source": density_source,
        }

    def unnamed(material) -> tuple[str, ...]:
        return ("unnamed_material",) if material is not None and not (material.Name or "").strip() else ()

    kind = definition.is_a()
    if kind == "IfcMaterial":
        part = PartSpec(0, **material_fields(definition, None), flags=unnamed(definition))
        return MaterialSpec("single", source, None, (part,))
    if kind in ("IfcMaterialLayerSetUsage", "IfcMaterialLayerSet", "IfcMaterialLayer"):
        if kind == "IfcMaterialLayerSetUsage":
            layer_set = definition.ForLayerSet
        elif kind == "IfcMaterialLayer":
            layer_set = None
        else:
            layer_set = definition
        layers = (layer_set.MaterialLayers or ()) if layer_set is not None else (definition,)
        if not layers:
            return _empty_set(source, "layer")
        parts = []
        for i, layer in enumerate(layers):
            material = layer.Material
            layer_flags = unnamed(material)
            if material is None:
                layer_flags += ("void_layer",)
            thickness_m = float(layer.LayerThickness or 0.0) * length
            if not (math.isfinite(thickness_m) and thickness_m > 0):  # zero, negative, NaN, infinite
                layer_flags += ("zero_thickness_layer",)
                thickness_m = 0.0
            parts.append(
                PartSpec(
                    i,
                    **material_fields(material, layer),
                    thickness_m=thickness_m,
                    part_name=getattr(layer, "Name", None),
                    flags=layer_flags,
                )
            )
        set_name = getattr(layer_set, "LayerSetName", None) if layer_set is not None else None
        return MaterialSpec("layer", source, set_name, tuple(parts))
    if kind in ("IfcMaterialConstituentSet", "IfcMaterialConstituent"):
        constituents = definition.MaterialConstituents if kind.endswith("Set") else (definition,)
        parts = [
            PartSpec(
                i,
                **material_fields(c.Material, c),
                fraction=float(c.Fraction) if c.Fraction is not None else None,
                part_name=c.Name,
                flags=unnamed(c.Material),
            )
            for i, c in enumerate(constituents or ())
        ]
        if not parts:
            return _empty_set(source, "constituent")
        set_name = definition.Name if kind.endswith("Set") else None
        return MaterialSpec("constituent", source, set_name, tuple(parts))
    if kind.startswith("IfcMaterialProfileSetUsage") or kind in (
        "IfcMaterialProfileSet",
        "IfcMaterialProfile",
    ):
        end_profiles: tuple = ()
        if kind.startswith("IfcMaterialProfileSetUsage"):
            profile_set = definition.ForProfileSet
            profiles = profile_set.MaterialProfiles if profile_set is not None else ()
            # only the tapering usage has an end set; asking any other entity for an attribute it lacks
            # makes ifcopenshell import its schema's rule module (tens of milliseconds)
            tapering = definition.is_a("IfcMaterialProfileSetUsageTapering")
            end_set = definition.ForProfileEndSet if tapering else None
            if end_set is not None:
                end_profiles = tuple(end_set.MaterialProfiles or ())
        elif kind == "IfcMaterialProfileSet":
            profile_set = definition
            profiles = definition.MaterialProfiles
        else:
            profile_set, profiles = None, (definition,)
        parts = []
        for i, prof in enumerate(profiles or ()):
            area = profile_area(prof.Profile)
            part_flags = unnamed(prof.Material)
            if end_profiles:
                # A tapering member: the mean of start and end areas (exact when the area varies
                # linearly along the member), flagged.
                end_area = profile_area(end_profiles[i].Profile) if i < len(end_profiles) else None
                area = (area + end_area) / 2 if area is not None and end_area is not None else None
                part_flags += ("tapered_profile",)
            if area is None:
                part_flags += ("profile_area_unknown",)
            parts.append(
                PartSpec(
                    i,
                    **material_fields(prof.Material, prof),
                    profile_area_m2=area * length**2 if area is not None else None,
                    part_name=prof.Name,
                    flags=part_flags,
                )
            )
        if not parts:
            return _empty_set(source, "profile")
        set_name = profile_set.Name if profile_set is not None else None
        return MaterialSpec("profile", source, set_name, tuple(parts))
    if kind == "IfcMaterialList":
        parts = [
            PartSpec(i, **material_fields(m, None), flags=unnamed(m))
            for i, m in enumerate(definition.Materials or ())
        ]
        if not parts:
            return _empty_set(source, "list")
        return MaterialSpec("list", source, None, tuple(parts))
    return MaterialSpec(
        "none",
        source,
        None,
        (PartSpec(0, None, flags=("no_material", "unsupported_material_definition")),),
    )


def _empty_set(source: str, kind: str) -> MaterialSpec:
    return MaterialSpec(kind, source, None, (PartSpec(0, None, flags=("no_material", "empty_material_set")),))
