"""Net volumes of elements with openings, without the geometry engine's boolean subtraction.

The engine cuts each opening from its element with a boolean operation: about 9 ms per layered wall
of a generated model, 0.3 s per wall of AC20-FZK-Haus, most of the geometry time of models whose walls
have doors and windows. Where the element's body and each of its openings are convex solids, the net
volume is exact without it: ``V(element) - sum V(element & opening)`` (:mod:`bimcarbon.ifc.convex`),
from one pass of the engine without subtractions over the elements and one over their openings, both
cheap. A body that is not convex (a gable wall, a faceted-brep wall, a notched slab) is measured so too
when each opening is a convex prism passing through it (:mod:`bimcarbon.ifc.through_cut`). Anything
else goes to the engine as before: an opening whose mesh is not closed or not convex (an arched
opening's faceted top is convex, a stepped one is not), one ending inside a body that is not convex,
openings that overlap inside the element (their shared part would be cut twice), an element whose
aggregate has openings of its own (the engine cuts those from its parts too), a mesh that had to be
re-wound, a scaled placement. An opening whose bounding box does not reach into the body's cuts
nothing, whatever the body's shape or winding: such a body is measured whole (Revit gives wall-hosted
furniture openings beside it). Of an element or opening with solids besides its Body (a Reference
solid), the Body is measured, as the engine cuts it (:func:`bimcarbon.ifc.geometry.shapes`).

On the public samples, every element measured this way agrees with the engine's boolean result to
within 1e-5 of its volume (most to 1e-15; tests/test_openings.py), but for duplex's counter top, whose
sink hole's rounded corners the engine facets finer when it cuts them (7.5e-5; its test computes it on
paper). Both passes use the element's library (:func:`bimcarbon.ifc.geometry.libraries_for`): an
opening extruded along a direction not of unit length is OpenCASCADE's to triangulate.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import replace

import numpy as np

from bimcarbon.ifc.convex import Planes, common_volume, convex_planes
from bimcarbon.ifc.geometry import (
    CAREFUL_LIBRARY,
    LIBRARY_VARIABLE,
    GeometryVolume,
    engine_settings,
    scaling_part,
    shapes,
)
from bimcarbon.ifc.mesh_batch import measure_meshes
from bimcarbon.ifc.through_cut import enclosed_volume, through_volume

#: Two openings whose common part inside the element exceeds this share of its volume overlap.
OVERLAP_SHARE = 1e-9
#: The planes of a body must give its measured volume within this share (else the mesh is not what
#: its planes say: measured by the engine instead).
PLANES_AGREE_SHARE = 1e-6


def net_volumes(ifc, elements: list, library: str, threads: int | None, step: Callable[[], None]) -> dict:
    """STEP id -> GeometryVolume (net of openings) of the elements with openings that can be measured
    without the engine's boolean subtraction; the others are left out, for the engine.

    Parameters
    ----------
    ifc
        The open model.
    elements
        Elements to measure net of openings (those without openings of their own are left out).
    library
        The geometry engine's library for both passes.
    threads
        Worker threads for the engine.
    step
        Called once per element measured here (progress).
    """
    openings = {e.id(): own for e in elements if (own := _own_openings(e))}
    if not openings:
        return {}
    settings = engine_settings(subtract_openings=False)
    wanted = [e for e in elements if e.id() in openings]
    bodies = _written_bodies(ifc, wanted)
    bodies.update(_meshes(ifc, [e for e in wanted if e.id() not in bodies], settings, library, threads))
    holes = _meshes(ifc, [o for own in openings.values() for o in own], settings, library, threads)
    # an opening's mesh must be closed: missing its end, its planes would bound a prism running on for
    # ever, which the engine does not cut
    measured_holes = measure_meshes([(verts, faces, items) for verts, faces, _, items in holes.values()])
    closed = {hole_id: measured.closed for hole_id, measured in zip(holes, measured_holes, strict=True)}
    usable = {  # a body placed rigidly, with every opening so and closed: measured here (mesh_batch)
        element_id: bodies[element_id]
        for element_id, own in openings.items()
        if _usable(bodies.get(element_id)) and all(_usable(holes.get(o.id())) and closed[o.id()] for o in own)
    }
    measured_bodies = measure_meshes([(verts, faces, items) for verts, faces, _, items in usable.values()])
    gross = dict(zip(usable, measured_bodies, strict=True))
    results: dict[int, GeometryVolume] = {}
    for element_id, own in openings.items():
        if element_id not in usable:
            continue
        measured = _net(usable[element_id], gross[element_id], [holes[o.id()] for o in own])
        if measured is not None:
            results[element_id] = measured
            step()
    return results


def _own_openings(element) -> list | None:
    """The element's openings when only they are cut from its body (no aggregate above it has any)."""
    own = [rel.RelatedOpeningElement for rel in getattr(element, "HasOpenings", None) or ()]
    if not own:
        return None
    parent = element
    while True:
        above = [rel.RelatingObject for rel in getattr(parent, "Decomposes", None) or ()]
        if not above:
            return own
        parent = above[0]
        if getattr(parent, "HasOpenings", None):
            return None


def _meshes(ifc, elements: list, settings, library: str, threads: int | None) -> dict:
    """STEP id -> (vertices, triangles, 4x4 placement, item of each triangle) of each element the engine
    triangulates: of an element with solids besides its Body (a Reference solid), the Body's, which the
    engine cuts. The items let a mesh wound every which way be re-wound as the engine's path would."""
    found = {}
    for shape in shapes(ifc, elements, settings, library, threads):  # the Body's last, if there is one
        geometry = shape.geometry
        verts = np.frombuffer(geometry.verts_buffer, dtype=np.float64).reshape(-1, 3)
        faces = np.frombuffer(geometry.faces_buffer, dtype=np.int32).reshape(-1, 3)
        items = np.frombuffer(geometry.item_ids_buffer, dtype=np.int32)
        matrix = shape.transformation.matrix
        placement = np.asarray(matrix, dtype=np.float64).reshape(4, 4).T
        rigid = scaling_part(matrix) is None
        found[shape.id] = (
            verts.copy(),
            faces.copy(),
            placement if rigid else None,
            items.copy() if len(items) == len(faces) else None,
        )
    return found


def _written_bodies(ifc, elements: list) -> dict:
    """As :func:`_meshes`, of the elements whose bodies are written face by face, read from the file
    (:mod:`bimcarbon.ifc.face_meshes`) as :func:`bimcarbon.ifc.geometry.compute_volumes` reads them
    without openings: Revit hosts openings on furniture, which the engine triangulated one by one
    (OpenCASCADE, as their faces are wound every which way: 28 ms each of duplex's eight cabinets).
    Nothing with :data:`~bimcarbon.ifc.geometry.LIBRARY_VARIABLE` asking for OpenCASCADE alone."""
    if os.environ.get(LIBRARY_VARIABLE, "").lower() == CAREFUL_LIBRARY:
        return {}
    import ifcopenshell.util.unit  # the engine's own reading of the length unit

    from bimcarbon.ifc.face_meshes import body_mesh
    from bimcarbon.ifc.placement import world_matrix

    length_m = float(ifcopenshell.util.unit.calculate_unit_scale(ifc))
    memo: dict = {}
    placements: dict = {}
    found = {}
    for element in elements:
        mesh = body_mesh(element, length_m, memo)
        if mesh is None:
            continue
        unplaced = getattr(element, "ObjectPlacement", None) is None  # at the origin, as the engine has it
        matrix = np.eye(4) if unplaced else world_matrix(element, placements)
        if matrix is None or not np.isfinite(matrix).all():
            continue  # a grid or linear placement, or a broken one: the engine places it
        placement = matrix.copy()
        placement[:3, 3] *= length_m
        rigid = np.allclose(placement[:3, :3].T @ placement[:3, :3], np.eye(3), atol=1e-9)
        found[element.id()] = (mesh.corners_m, mesh.triangles, placement if rigid else None, mesh.parts)
    return found


def _usable(mesh) -> bool:
    """A mesh from :func:`_meshes` placed without scaling (its placement can be inverted)."""
    return mesh is not None and mesh[2] is not None


def _net(body, gross: GeometryVolume, holes: list) -> GeometryVolume | None:
    """The body's volume less what each hole shares with it, when both are convex or each hole passes
    through the body; the body's volume when no hole reaches into its bounding box (whatever its
    shape); else None. ``gross``: the body's mesh measured (:func:`bimcarbon.ifc.geometry.measure_mesh`)."""
    verts, faces, placement, _ = body
    if gross.volume_m3 is None or not gross.closed:
        return None
    # from the body's lowest corner: the planes' tolerances are shares of their offsets, which far-off
    # coordinates in the element's own axes would widen (at 500 km, planes 0.5 m apart were one)
    origin = verts.min(axis=0)
    verts = verts - origin
    to_body = np.linalg.inv(placement)
    moved_holes = []  # each opening in the body's axes, from the same corner
    for hole_verts, hole_faces, hole_placement, _ in holes:
        relative = to_body @ hole_placement
        moved_holes.append((hole_verts @ relative[:3, :3].T + (relative[:3, 3] - origin), hole_faces))
    # an opening whose box does not reach into the body's (it may touch it) cuts nothing from it: Revit
    # gives wall-hosted furniture openings beside it, and the engine's boolean on such a body is its
    # dearest no-op (duplex's eight tall cabinets: 0.07 s each)
    reach = verts.max(axis=0)
    moved_holes = [
        (moved, hole_faces)
        for moved, hole_faces in moved_holes
        if (moved.min(axis=0) < reach).all() and (moved.max(axis=0) > 0.0).all()
    ]
    if not moved_holes:
        return gross
    if gross.reoriented:
        return None
    planes = convex_planes(verts, faces)
    if planes is None or abs(common_volume(planes) - gross.volume_m3) > PLANES_AGREE_SHARE * gross.volume_m3:
        return _net_through(verts, faces, gross, moved_holes)
    return _net_convex(planes, gross, moved_holes)


def _net_convex(planes: Planes, gross: GeometryVolume, moved_holes: list) -> GeometryVolume | None:
    """A convex body's volume less its common part with each convex hole (:mod:`bimcarbon.ifc.convex`),
    or None (a hole not convex, holes overlapping inside the body, the body cut away whole)."""
    cuts: list[Planes] = []
    boxes = []  # each opening's bounding box in the body's axes: (low, high)
    for moved, hole_faces in moved_holes:
        hole = convex_planes(moved, hole_faces)
        if hole is None:
            return None
        cuts.append(hole)
        boxes.append((moved.min(axis=0), moved.max(axis=0)))
    for i, j in _may_overlap(boxes):
        if common_volume(planes, cuts[i], cuts[j]) > OVERLAP_SHARE * gross.volume_m3:
            return None
    return _less(gross, sum(common_volume(planes, cut) for cut in cuts))


def _net_through(
    verts: np.ndarray, faces: np.ndarray, gross: GeometryVolume, moved_holes: list
) -> GeometryVolume | None:
    """A body of any shape less what each hole shares with it, when every hole is a convex prism
    passing through it (:mod:`bimcarbon.ifc.through_cut`) and no two share a part inside it; else
    None. ``verts`` from an origin near the body, the holes' corners in the same axes."""
    triangles = verts[faces]
    enclosed = enclosed_volume(triangles)
    if abs(abs(enclosed) - gross.volume_m3) > PLANES_AGREE_SHARE * gross.volume_m3:
        return None  # its faces do not enclose the volume measured: not a body to cut here
    if enclosed < 0:  # wound inward throughout
        triangles = triangles[:, ::-1]
    size_m = float(np.ptp(verts, axis=0).max())
    holes, cut_m3, boxes = [], 0.0, []
    for moved, hole_faces in moved_holes:
        hole = convex_planes(moved, hole_faces)
        shared = None if hole is None else through_volume(triangles, hole, size_m)
        if shared is None:
            return None
        holes.append(hole)
        cut_m3 += shared
        boxes.append((moved.min(axis=0), moved.max(axis=0)))
    for i, j in _may_overlap(boxes):
        both = (np.concatenate([holes[i][0], holes[j][0]]), np.concatenate([holes[i][1], holes[j][1]]))
        shared = through_volume(triangles, both, size_m)
        if shared is None or shared > OVERLAP_SHARE * gross.volume_m3:
            return None
    return _less(gross, cut_m3)


def _may_overlap(boxes: list) -> list[tuple[int, int]]:
    """Pairs (i, j), i < j, of the holes whose bounding boxes (low, high) overlap: only they can share
    volume (all pairs cost minutes on a slab with hundreds of openings: 800, 320,000 pairs)."""
    low, high = np.array([b[0] for b in boxes]), np.array([b[1] for b in boxes])
    apart = (low[:, None] >= high[None]).any(axis=2)  # i begins where j ends or beyond, on some axis
    overlapping = ~(apart | apart.T)
    return [(int(i), int(j)) for i, j in zip(*np.nonzero(np.triu(overlapping, k=1)), strict=True)]


def _less(gross: GeometryVolume, cut_m3: float) -> GeometryVolume | None:
    """The measured body less ``cut_m3``; None when that cuts it away whole (the engine says how it
    fails)."""
    net = gross.volume_m3 - cut_m3
    if not net > PLANES_AGREE_SHARE * gross.volume_m3:
        return None
    return replace(gross, volume_m3=net, mesh_volume_m3=net, wound_volume_m3=net)
