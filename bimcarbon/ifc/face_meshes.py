"""Meshes of bodies written face by face (surface models, faceted breps), read from the file itself.

Revit writes furniture, ceilings and railings as ``IfcFaceBasedSurfaceModel``; ArchiCAD writes most of a
building as ``IfcFacetedBrep``. Such a body is already a polygon mesh in the file: its faces are
``IfcPolyLoop`` polygons of ``IfcCartesianPoint`` corners. Reading them here and cutting each polygon
into a fan of triangles gives the mesh the geometry engine would give, without the engine's per-element
set-up (OpenCASCADE took 1.6 s for duplex's 57 surface-model furnishings; this takes 0.2 s), and
:func:`bimcarbon.ifc.geometry.measure_mesh` measures it as it measures the engine's.

A fan of triangles from a polygon's first corner encloses, with the rest of the mesh, exactly the volume
of the polygon when the polygon is flat, convex or not: triangles folded over a reflex corner are
counted with opposite signs. A face with holes is triangulated properly (a constrained Delaunay
triangulation by GEOS, through shapely), so that it stays one piece of the mesh as in the engine's:
fans of its loops would join by no edge (a ring's face would fall apart into two shells, which
:func:`bimcarbon.ifc.orientation.orient_shells` would then nest as a body and a void), and a keyhole
joining them cannot be fanned from one corner without edges used by four triangles.
Triangles remember the face set or shell they come from (as the engine's item ids do), so that
:func:`bimcarbon.ifc.orientation.orient_shells` sees parts touching face to face as the parts they are.

Only bodies made entirely of such items (directly, or through one ``IfcMappedItem`` level) are read;
anything else (another item, a nested mapping, a loop that is not an ``IfcPolyLoop``,
a corner without three coordinates, an ``IfcFacetedBrepWithVoids``) gives None and is left to the engine.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

#: Representation identifiers the engine measures as the body (as in :mod:`bimcarbon.ifc.written_faces`).
BODY_IDENTIFIERS = ("body", "facetation", "")


@dataclass(frozen=True)
class FaceMesh:
    """A triangle mesh read from written faces.

    Attributes
    ----------
    corners
        (n, 3) corner coordinates, in the file's length unit (:func:`body_mesh` gives metres).
    triangles
        (m, 3) corner indices of the triangles, as the faces are wound in the file.
    parts
        (m,) STEP id of the face set or shell each triangle comes from.
    """

    corners: np.ndarray
    triangles: np.ndarray
    parts: np.ndarray


class _NotFaces(Exception):
    """The item holds something other than polygon faces with 3D corners."""


def item_mesh(item, memo: dict[int, FaceMesh | None]) -> FaceMesh | None:
    """The mesh of one ``IfcFaceBasedSurfaceModel``, ``IfcShellBasedSurfaceModel`` or ``IfcFacetedBrep``
    in its own coordinates (file units), or None for any other item or one that cannot be read so.

    ``memo`` (item id -> mesh) is shared by the elements of a model, so that a type placed many times is
    read once.
    """
    key = item.id()
    if key not in memo:
        try:
            memo[key] = _read(_face_groups(item))
        except (_NotFaces, AttributeError, IndexError, RuntimeError, TypeError, ValueError):
            memo[key] = None
    return memo[key]


@dataclass(frozen=True)
class BodyMesh:
    """An element's body read from its written faces, in its own placement axes.

    Attributes
    ----------
    corners_m
        (n, 3) corner coordinates in metres.
    triangles
        (m, 3) corner indices of the triangles.
    parts
        (m,) STEP id of the face set or shell each triangle comes from.
    shared
        A key naming the geometry up to a translation (the one item, and the turn and scale of its
        mapping), equal for elements that place the same type geometry the same way round: their meshes
        measure alike. None for a body of several items.
    """

    corners_m: np.ndarray
    triangles: np.ndarray
    parts: np.ndarray
    shared: tuple | None


def body_mesh(element, length_m: float, memo: dict[int, FaceMesh | None]) -> BodyMesh | None:
    """The element's body in its own placement axes, when every item of its body is read by
    :func:`item_mesh`; else None (the engine measures it).

    Parameters
    ----------
    element
        An IfcProduct.
    length_m
        Metres per length unit of the file.
    memo
        Shared item memo (see :func:`item_mesh`).
    """
    representation = _body(element)
    if representation is None:
        return None
    corners, triangles, parts, keys = [], [], [], []
    offset = 0
    try:
        for item in representation.Items or ():
            transform = None
            inner = [item]
            if item.is_a("IfcMappedItem"):
                transform = _mapping(item)
                if transform is None:
                    return None
                inner = list(item.MappingSource.MappedRepresentation.Items or ())
                keys.append((item.MappingSource.id(), np.round(transform[:3, :3], 12).tobytes()))
            else:
                keys.append((item.id(),))
            for part in inner:
                mesh = item_mesh(part, memo)
                if mesh is None:
                    return None
                points = mesh.corners
                if transform is not None:
                    points = points @ transform[:3, :3].T + transform[:3, 3]
                corners.append(points)
                triangles.append(mesh.triangles + offset)
                parts.append(mesh.parts)
                offset += len(points)
    except (AttributeError, RuntimeError, TypeError, ValueError):  # a broken mapping: the engine decides
        return None
    if not triangles:
        return None
    return BodyMesh(
        np.vstack(corners) * length_m,
        np.vstack(triangles),
        np.concatenate(parts),
        keys[0] if len(keys) == 1 else None,
    )


def _body(element):
    """The element's body representation (the one named ``Body``, else the first of the others the
    engine measures as a body), or None."""
    found = [
        representation
        for representation in getattr(getattr(element, "Representation", None), "Representations", None) or ()
        if (representation.RepresentationIdentifier or "").lower() in BODY_IDENTIFIERS
    ]
    named = [r for r in found if (r.RepresentationIdentifier or "").lower() == "body"]
    return (named or found or [None])[0]


def _mapping(item) -> np.ndarray | None:
    """The 4x4 matrix placing a mapped item's representation (origin, then target), or None."""
    import ifcopenshell.util.placement as placement  # only when a body is mapped

    if not item.MappingTarget.is_a("IfcCartesianTransformationOperator3D"):
        return None
    matrix = np.asarray(placement.get_mappeditem_transformation(item), dtype=np.float64)
    return matrix if matrix.shape == (4, 4) and np.isfinite(matrix).all() else None


def _face_groups(item) -> list:
    """(part id, faces) of each face set or shell of the item."""
    kind = item.is_a()
    if kind == "IfcFaceBasedSurfaceModel":
        return [(face_set.id(), face_set[0] or ()) for face_set in item.FbsmFaces or ()]
    if kind == "IfcShellBasedSurfaceModel":
        return [(shell.id(), shell[0] or ()) for shell in item.SbsmBoundary or ()]
    if kind == "IfcFacetedBrep":  # not its subtype with voids
        return [(item.Outer.id(), item.Outer[0] or ())]
    raise _NotFaces(kind)


def _read(groups: list) -> FaceMesh:
    """Corners, fan triangles and parts of the faces.

    This is the hot loop: attributes are read by position with ``get_argument`` (IfcFace.Bounds,
    IfcFaceBound.Bound and .Orientation, IfcPolyLoop.Polygon, IfcCartesianPoint.Coordinates), several
    times faster than by name, and the fans are cut for all loops at once in numpy.
    """
    index_of: dict[int, int] = {}
    coordinates: list = []
    loops: list[list[int]] = []  # the one loop of each face without holes
    loop_parts: list[int] = []
    holed: list[tuple[int, list[list[int]]]] = []  # (part, loops with the outer first)
    for part, faces in groups:
        for face in faces:
            bounds = face.get_argument(0) or ()
            face_loops = []
            for bound in bounds:
                loop = bound.get_argument(0)
                if loop is None or not loop.is_a("IfcPolyLoop"):
                    raise _NotFaces("loop")
                corners = []
                for point in loop.get_argument(0) or ():
                    key = point.id()
                    at = index_of.get(key)
                    if at is None:
                        at = index_of[key] = len(coordinates)
                        coordinates.append(point.get_argument(0))
                    corners.append(at)
                if not bound.get_argument(1):
                    corners.reverse()
                face_loops.append(corners)
            if len(face_loops) == 1:
                loops.append(face_loops[0])
                loop_parts.append(part)
            elif face_loops:  # the outer bound first
                outer = [b.is_a("IfcFaceOuterBound") for b in bounds]
                first = outer.index(True) if any(outer) else 0
                holed.append((part, [face_loops[first]] + face_loops[:first] + face_loops[first + 1 :]))
    corners_m = np.asarray(coordinates, dtype=np.float64)
    if corners_m.ndim != 2 or corners_m.shape[1] != 3:
        raise _NotFaces("corner")  # a corner without three coordinates
    triangles, parts = _fans(loops, loop_parts)
    for part, face_loops in holed:
        cut = _holed_face(corners_m, face_loops)
        triangles = np.vstack([triangles, np.asarray(cut, dtype=np.int64).reshape(-1, 3)])
        parts = np.concatenate([parts, np.full(len(cut), part, dtype=np.int64)])
    return FaceMesh(corners_m, triangles, parts)


def _fans(loops: list[list[int]], loop_parts: list[int]) -> tuple[np.ndarray, np.ndarray]:
    """Triangles from each loop's first corner to each of its other edges (none for loops of fewer
    than three corners), and the part of each: (t, 3) and (t,) arrays."""
    sizes = np.fromiter(map(len, loops), dtype=np.int64, count=len(loops))
    flat = np.fromiter((i for loop in loops for i in loop), dtype=np.int64, count=int(sizes.sum()))
    starts = np.cumsum(sizes) - sizes
    count = np.maximum(sizes - 2, 0)
    owner = np.repeat(np.arange(len(loops)), count)
    step = np.arange(int(count.sum())) - np.repeat(np.cumsum(count) - count, count) + 1
    first = starts[owner]
    triangles = np.stack([flat[first], flat[first + step], flat[first + step + 1]], axis=1)
    return triangles, np.asarray(loop_parts, dtype=np.int64)[owner]


def _holed_face(corners: np.ndarray, loops: list[list[int]]) -> list[tuple[int, int, int]]:
    """Triangles of a face with holes, wound as its outer loop: a constrained Delaunay triangulation
    (GEOS, through shapely) of the face projected onto the plane its normal points out of most."""
    import shapely  # only for faces with holes

    outer = corners[loops[0]]
    normal = np.cross(outer - outer[0], np.roll(outer, -1, axis=0) - outer[0]).sum(axis=0)
    if not np.isfinite(normal).all() or not normal.any():
        raise _NotFaces("degenerate face")
    keep = [axis for axis in range(3) if axis != int(np.argmax(np.abs(normal)))]
    flat = [corners[loop][:, keep] for loop in loops]
    index_of = {
        tuple(xy): i
        for loop, points in zip(loops, flat, strict=True)
        for i, xy in zip(loop, points.tolist(), strict=True)
    }
    try:
        pieces = shapely.constrained_delaunay_triangles(shapely.Polygon(flat[0], flat[1:]))
    except shapely.errors.ShapelyError as error:  # loops GEOS cannot take: the engine triangulates them
        raise _NotFaces("triangulation") from error
    triangles_xy = shapely.get_coordinates(pieces).reshape(-1, 4, 2)[:, :3]
    try:
        found = np.array([[index_of[tuple(xy)] for xy in triangle] for triangle in triangles_xy.tolist()])
    except KeyError as missing:  # a corner the triangulation made up: the engine triangulates the face
        raise _NotFaces("triangulation") from missing
    if len(found) == 0:
        raise _NotFaces("triangulation")
    # every triangle turned as the outer loop runs (the sign of its area in the projection)
    a, b, c = (triangles_xy[:, k] for k in range(3))
    turn = (b[:, 0] - a[:, 0]) * (c[:, 1] - a[:, 1]) - (b[:, 1] - a[:, 1]) * (c[:, 0] - a[:, 0])
    outer_turn, *hole_turns = (_twice_area(xy) for xy in flat)
    covered = float(np.abs(turn).sum())
    if not math.isclose(covered, abs(outer_turn) - sum(map(abs, hole_turns)), rel_tol=1e-6, abs_tol=1e-12):
        raise _NotFaces("triangulation")  # holes that overlap or leave the face: the engine decides
    flip = np.sign(turn) != np.sign(outer_turn)
    found[flip] = found[flip][:, [0, 2, 1]]
    return [tuple(t) for t in found.tolist()]


def _twice_area(xy: np.ndarray) -> float:
    """Twice the signed area of a closed 2D polygon (positive when it turns anticlockwise)."""
    x, y = xy[:, 0] - xy[0, 0], xy[:, 1] - xy[0, 1]
    return float((x * np.roll(y, -1) - np.roll(x, -1) * y).sum())
