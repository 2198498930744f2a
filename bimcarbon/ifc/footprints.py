"""Floor-area estimates from geometry, for models without floor-area quantities: the plan footprints
of the internal spaces, else of the floor slabs; and the building's plan extent to judge them by.

Each estimate is one pass of ifcopenshell's geometry iterator (world coordinates, openings not cut out,
the take-off's geometry libraries) over just the spaces or slabs it needs. The plan-area arithmetic is in
:mod:`bimcarbon.plan_area`.
"""

from __future__ import annotations

from collections.abc import Iterable

import ifcopenshell
import ifcopenshell.util.element
import numpy as np

from bimcarbon.floor_area import FLOOR_SLAB_TYPES, Estimate
from bimcarbon.ifc.elements import _has_body, _predefined_type
from bimcarbon.ifc.geometry import GeometryVolume, Mesh, element_meshes, measure_mesh
from bimcarbon.ifc.placement import world_matrix
from bimcarbon.ifc.reader import Model
from bimcarbon.plan_area import (
    floor_levels,
    mesh_plan_area_m2,
    plan_union,
    projected_triangles,
    union_area_m2,
)

#: Floor slabs whose tops are at most this far apart (m) are one floor level: a finish slab on a
#: structural slab, a ground slab on a raft (our assumption; storeys are at least 2 m apart).
LEVEL_GAP_M = 0.5

#: A floor slab whose height exceeds its mean thickness (volume / footprint) by more than this (m) is
#: sloped or stepped: a stair flight, a ramp, a stringer; not a floor (our assumption: a flat slab's
#: height is its thickness, and downstands or lattice girders add well under 1 m).
MAX_FLOOR_RISE_M = 1.0

#: Placements sampled for the plan extent (every k-th element beyond this many).
MAX_PLACEMENTS = 20_000

#: Percentiles of the element placements that bound the plan extent (outliers left out).
EXTENT_PERCENTILES = (5.0, 95.0)


def floor_area_from_space_geometry(model: Model, spaces: list) -> Estimate:
    """Sum of the plan footprints of the given (internal) spaces' bodies.

    Parameters
    ----------
    model
        The open model.
    spaces
        The IfcSpace entities that count as floor area.

    Returns
    -------
    Estimate
        No area when there are no spaces or one of them has no measurable body (the sum would miss it).
    """
    if not spaces:
        return Estimate(None, "no internal IfcSpace for a geometry footprint")
    meshes = _meshes(model, spaces)
    footprints = {s.id(): mesh_plan_area_m2(*meshes[s.id()]) for s in spaces if s.id() in meshes}
    missing = [s for s in spaces if footprints.get(s.id(), 0.0) <= 0.0]
    if missing:
        return Estimate(
            None,
            f"IfcSpace geometry: {len(missing)} of {len(spaces)} internal spaces have no measurable body "
            f"(e.g. GlobalId {missing[0].GlobalId})",
        )
    storeys = {_storey_of(s) for s in spaces}
    biggest = max(spaces, key=lambda s: footprints[s.id()])
    return Estimate(
        sum(footprints.values()),
        f"IfcSpace geometry: footprint of {len(spaces)} spaces on {len(storeys)} storeys",
        f"{_name(biggest)}, {footprints[biggest.id()]:,.2f} m2",
    )


def floor_area_from_slab_geometry(model: Model) -> Estimate:
    """Plan area covered by the floor slabs (FLOOR/BASESLAB), level by level.

    Slabs whose tops are within :data:`LEVEL_GAP_M` of each other form one level; per level, the area
    of the union of their plan footprints counts once (a finish slab on a structural slab, a corbel
    under a slab, planks side by side). Levels are found from the geometry, not the storeys: some
    exporters put every part in one storey, and a raft and the ground slab on it can sit in two.
    A slab without a body of its own (an aggregate of parts) is measured by its parts.

    Parameters
    ----------
    model
        The open model.

    Returns
    -------
    Estimate
        A proxy; no area when the model has no floor slab with a measurable body.
    """
    bodies = floor_slab_bodies(model.ifc)
    if not bodies:
        return Estimate(None, "no IfcSlab of type FLOOR or BASESLAB with geometry")
    slabs = [model.ifc.by_id(i) for i in bodies]
    meshes = _meshes(model, [b for parts in bodies.values() for b in parts])
    origin = _origin(meshes.values())
    measured = []  # (slab, plan shape, top_m)
    sloped = []
    for slab in slabs:
        parts = [b.id() for b in bodies[slab.id()] if b.id() in meshes and len(meshes[b.id()][1])]
        volumes = {part: _volume(model, part, meshes[part]) for part in parts}
        shape = plan_union(
            [projected_triangles(*meshes[part], origin, one_side=_one_side(volumes[part])) for part in parts]
        )
        if shape.area <= 0.0:
            continue
        heights = np.concatenate([meshes[part][0][:, 2] for part in parts])
        # the volume as the take-off measures it (winding checked), 0 when the mesh gives none
        thickness = sum(volume.volume_m3 or 0.0 for volume in volumes.values()) / shape.area
        if float(np.ptp(heights)) - thickness > MAX_FLOOR_RISE_M:
            sloped.append(slab)
            continue
        measured.append((slab, shape, float(heights.max())))
    left_out = (
        f"; {len(sloped)} sloped or stepped (stair flight, ramp) left out, e.g. {_name(sloped[0])}"
        if sloped
        else ""
    )
    if not measured:
        return Estimate(
            None,
            f"none of the {len(slabs)} floor slabs (FLOOR/BASESLAB) has a flat measurable body{left_out}",
        )
    levels = floor_levels([m[2] for m in measured], LEVEL_GAP_M)
    area = sum(
        union_area_m2([m[1] for m, lv in zip(measured, levels, strict=True) if lv == level])
        for level in set(levels)
    )
    biggest = max(measured, key=lambda m: m[1].area)
    return Estimate(
        area,
        f"proxy: floor slabs' plan footprint (union of {len(measured)} FLOOR/BASESLAB slabs on "
        f"{len(set(levels))} level(s), tops within {LEVEL_GAP_M:g} m being one level{left_out})",
        f"{_name(biggest[0])}, {biggest[1].area:,.2f} m2",
    )


def plan_extent_m2(model: Model) -> float | None:
    """Area in m2 of the XY box of the building's element placements (5th to 95th percentile).

    The elements are those in the storeys (site furniture and terrain left out), else every element;
    the box between the 5th and 95th percentiles of their world origins leaves out a few elements
    placed far away. It is a cheap, lenient estimate of how much plan the building covers.

    Returns
    -------
    float or None
        None when fewer than two placements could be read.
    """
    ifc = model.ifc
    elements = [
        e
        for storey in ifc.by_type("IfcBuildingStorey")
        for rel in storey.ContainsElements or ()
        for e in rel.RelatedElements or ()
    ] or ifc.by_type("IfcElement")
    step = max(1, len(elements) // MAX_PLACEMENTS)
    cache: dict[int, np.ndarray | None] = {}
    origins = []
    for element in elements[::step]:
        matrix = world_matrix(element, cache)
        if matrix is not None:
            origins.append(matrix[:2, 3])
    if len(origins) < 2:
        return None
    xy = np.asarray(origins) * model.units.length.scale_to_si
    low, high = np.percentile(xy, EXTENT_PERCENTILES, axis=0)
    return float(np.prod(high - low))


def floor_slab_bodies(ifc: ifcopenshell.file) -> dict[int, list]:
    """STEP id of each floor slab (FLOOR/BASESLAB) -> the elements whose bodies make its plan footprint:
    the slab itself, or its aggregated parts when it has no body of its own."""
    return {s.id(): [s] if _has_body(s) else _parts(s) for s in ifc.by_type("IfcSlab") if _floor_type(s)}


def _meshes(model: Model, products: Iterable) -> dict[int, Mesh]:
    """STEP id -> (vertices in world metres, triangle indices) of each product's body, openings not cut
    out (gross plan: a stair opening is floor area): those the take-off kept as it measured them
    (:class:`bimcarbon.ifc.geometry.KeptMeshes`), the others from the take-off's geometry libraries
    (:func:`bimcarbon.ifc.geometry.element_meshes`)."""
    kept = _kept(model)
    products = list(products)
    found = {p.id(): kept[p.id()][0] for p in products if p.id() in kept}
    missing = [p for p in products if p.id() not in found]
    found.update(element_meshes(model.ifc, missing, subtract_openings=False))
    return found


def _kept(model: Model) -> dict[int, tuple[Mesh, GeometryVolume]]:
    return model.kept_meshes.meshes if model.kept_meshes is not None else {}


def _volume(model: Model, product_id: int, mesh: Mesh) -> GeometryVolume:
    """The body's volume as the take-off measured it, else measured here."""
    kept = _kept(model).get(product_id)
    return kept[1] if kept is not None else measure_mesh(*mesh)


def _one_side(volume: GeometryVolume) -> bool:
    """Whether one side of the mesh covers its shadow: a closed mesh that is wound consistently (one
    measured without re-winding; see :func:`bimcarbon.plan_area.projected_triangles`)."""
    return volume.volume_m3 is not None and volume.closed and not volume.reoriented


def _origin(meshes: Iterable[Mesh]) -> tuple[float, float]:
    """A common XY origin near the bodies (the first vertex), to keep plan coordinates small."""
    for verts, _ in meshes:
        if len(verts):
            return float(verts[0, 0]), float(verts[0, 1])
    return 0.0, 0.0


def _floor_type(slab) -> bool:
    try:
        return _predefined_type(slab, ifcopenshell.util.element.get_type(slab)) in FLOOR_SLAB_TYPES
    except (RuntimeError, AttributeError):
        return False


def _parts(element, depth: int = 0) -> list:
    """The element's aggregated parts with a body, recursively (features such as openings left out)."""
    parts = []
    for rel in getattr(element, "IsDecomposedBy", None) or ():
        for part in rel.RelatedObjects or ():
            if not part.is_a("IfcElement") or part.is_a("IfcFeatureElement"):
                continue
            if _has_body(part):
                parts.append(part)
            elif depth < 16:
                parts.extend(_parts(part, depth + 1))
    return parts


def _storey_of(product) -> int | None:
    """STEP id of the storey a space or element belongs to (through aggregates and containers)."""
    node = product
    for _ in range(64):
        if node is None:
            return None
        if node.is_a("IfcBuildingStorey"):
            return node.id()
        contained = getattr(node, "ContainedInStructure", None) or ()
        decomposes = getattr(node, "Decomposes", None) or ()
        if contained:
            node = contained[0].RelatingStructure
        elif decomposes:
            node = decomposes[0].RelatingObject
        else:
            return None
    return None


def _name(product) -> str:
    return f"{product.is_a()} '{product.Name}' (GlobalId {product.GlobalId})"
