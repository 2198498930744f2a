"""Meshes of bodies written face by face (surface models, faceted breps), read from the file itself.

Revit writes furniture, ceilings and railings as ``IfcFaceBasedSurfaceModel``; ArchiCAD writes most of a
building as ``IfcFacetedBrep``. Such a body is already a polygon mesh in the file: its faces are
``IfcPolyLoop`` polygons of ``IfcCartesianPoint`` corners. Reading them here and cutting each polygon
into triangles gives the mesh the geometry engine would give, without the engine's per-element
set-up (OpenCASCADE took 1.6 s for duplex's 57 surface-model furnishings; this takes 0.2 s), and
:func:`bimcarbon.ifc.geometry.measure_mesh` measures it as it measures the engine's.

A convex polygon is cut into a fan of triangles from its first corner (all of them at once, in numpy).
A face with holes, or one that is not convex, is triangulated properly (a constrained Delaunay
triangulation by GEOS, through shapely): fans of a ring's loops would join by no edge (the face would
fall apart into two shells, which :func:`bimcarbon.ifc.orientation.orient_shells` would then nest as a
body and a void), and a fan from a non-convex polygon's first corner, though it encloses the right
volume (triangles folded over a reflex corner count with opposite signs), reaches outside the face:
its triangles' areas and plan shadows overstate the face's. Faces GEOS cannot triangulate exactly
(loops that cross or leave the face) leave the whole body to the engine. Triangles remember the face
set or shell they come from (as the engine's item ids do), so that
:func:`bimcarbon.ifc.orientation.orient_shells` sees parts touching face to face as the parts they are.

Only bodies made entirely of such items (directly, or through one ``IfcMappedItem`` level) are read;
anything else (another item, a nested mapping, a loop that is not an ``IfcPolyLoop``,
a corner without three coordinates, an ``IfcFacetedBrepWithVoids``) gives None and is left to the engine.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from bimcarbon.ifc.written_faces import BODY_IDENTIFIERS

#: The items read here (``IfcFacetedBrepWithVoids``, a subtype of the last, is not).
FACE_ITEMS = ("IfcFaceBasedSurfaceModel", "IfcShellBasedSurfaceModel", "IfcFacetedBrep")


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
        items = [
            (
                item,
                list(item.MappingSource.MappedRepresentation.Items or ())
                if item.is_a("IfcMappedItem")
                else None,
            )
            for item in representation.Items or ()
        ]
        # the cheap test first: most bodies are swept solids, and a mapping costs a placement to read
        if any(part.is_a() not in FACE_ITEMS for item, inner in items for part in (inner or [item])):
            return None
        for item, inner in items:
            transform = None
            if inner is not None:
                transform = _mapping(item)
                if transform is None:
                    return None
                keys.append((item.MappingSource.id(), np.round(transform[:3, :3], 12).tobytes()))
            else:
                keys.append((item.id(),))
            for part in inner or [item]:
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
    holed: list[tuple[int, list[list[int]]]] = []  # (part, loops with the outer first): triangulated
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
    convex = _convex(corners_m, loops)
    holed += [(part, [loop]) for loop, part, fine in zip(loops, loop_parts, convex, strict=True) if not fine]
    triangles, parts = _fans(
        [loop for loop, fine in zip(loops, convex, strict=True) if fine],
        [part for part, fine in zip(loop_parts, convex, strict=True) if fine],
    )
    if holed:
        cut, faces = _triangulated(corners_m, [face_loops for _, face_loops in holed])
        triangles = np.vstack([triangles, cut])
        parts = np.concatenate([parts, np.asarray([part for part, _ in holed], dtype=np.int64)[faces]])
    return FaceMesh(corners_m, triangles, parts)


def _convex(corners: np.ndarray, loops: list[list[int]]) -> np.ndarray:
    """Whether each loop turns the same way at every corner (seen along its normal), all loops at once.

    A fan from a convex loop's first corner is its triangulation. A fan from a non-convex one folds
    triangles over its reflex corners: the volume it encloses is still exact, but its triangles' areas
    overlap (the surface area would be overstated) and so do their shadows, so such a loop is
    triangulated properly (:func:`_triangulated`). Triangles are convex; so are collinear corners.
    """
    sizes = np.fromiter(map(len, loops), dtype=np.int64, count=len(loops))
    convex = np.ones(len(loops), dtype=bool)
    wide = np.flatnonzero(sizes > 3)
    if not len(wide):
        return convex
    chosen = [loops[i] for i in wide]
    counts = sizes[wide]
    flat = np.fromiter((c for loop in chosen for c in loop), dtype=np.int64, count=int(counts.sum()))
    starts = np.cumsum(counts) - counts
    owner = np.repeat(np.arange(len(chosen)), counts)
    at = np.arange(len(flat)) - starts[owner]
    following = starts[owner] + (at + 1) % counts[owner]
    preceding = starts[owner] + (at - 1) % counts[owner]
    points = corners[flat] - corners[flat[starts]][owner]  # each loop from its first corner
    turns = np.cross(points - points[preceding], points[following] - points)
    normals = np.add.reduceat(np.cross(points, points[following]), starts)  # Newell, twice the area
    along = (turns * normals[owner]).sum(axis=1)
    size = np.linalg.norm(turns, axis=1) * np.linalg.norm(normals[owner], axis=1)
    reflex = along < -1e-9 * size
    convex[wide] = ~np.logical_or.reduceat(reflex, starts)
    return convex


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


def _triangulated(corners: np.ndarray, faces: list[list[list[int]]]) -> tuple[np.ndarray, np.ndarray]:
    """Triangles of faces with holes or not convex, each wound as its outer loop: a constrained Delaunay
    triangulation (GEOS, through shapely, all faces in one call) of each face projected onto the plane
    its normal points out of most.

    Parameters
    ----------
    corners
        (n, 3) corner coordinates.
    faces
        Each face's loops of corner indices, the outer loop first.

    Returns
    -------
    triangles, faces
        (t, 3) corner indices, and the index in ``faces`` of the face each triangle comes from.
    """
    import shapely  # only for faces that are not convex polygons

    polygons, flats = [], []
    for loops in faces:
        outer = corners[loops[0]] - corners[loops[0][0]]
        normal = np.cross(outer[:-1], outer[1:]).sum(axis=0)  # Newell, from the first corner
        if not np.isfinite(normal).all() or not normal.any():
            raise _NotFaces("degenerate face")
        keep = [axis for axis in range(3) if axis != int(np.argmax(np.abs(normal)))]
        flat = [corners[loop][:, keep] for loop in loops]
        flats.append(flat)
        polygons.append(shapely.Polygon(flat[0], flat[1:]))
    try:
        pieces = shapely.constrained_delaunay_triangles(np.asarray(polygons, dtype=object))
    except shapely.errors.ShapelyError as error:  # loops GEOS cannot take: the engine triangulates them
        raise _NotFaces("triangulation") from error
    xy, owner = shapely.get_coordinates(pieces, return_index=True)
    xy, owner = xy.reshape(-1, 4, 2)[:, :3], owner[::4]  # closed triangles of 4 points each
    a, b, c = xy[:, 0], xy[:, 1], xy[:, 2]
    turn = (b[:, 0] - a[:, 0]) * (c[:, 1] - a[:, 1]) - (b[:, 1] - a[:, 1]) * (c[:, 0] - a[:, 0])
    found = np.empty((len(xy), 3), dtype=np.int64)
    for number, (loops, flat) in enumerate(zip(faces, flats, strict=True)):
        mine = np.flatnonzero(owner == number)
        outer_turn, *hole_turns = (_twice_area(points) for points in flat)
        if not len(mine) or not math.isclose(
            float(np.abs(turn[mine]).sum()),
            abs(outer_turn) - sum(map(abs, hole_turns)),
            rel_tol=1e-6,
            abs_tol=1e-12,
        ):
            raise _NotFaces("triangulation")  # loops that cross or leave the face: the engine decides
        index_of = {
            tuple(point): i
            for loop, points in zip(loops, flat, strict=True)
            for i, point in zip(loop, points.tolist(), strict=True)
        }
        try:
            found[mine] = [[index_of[tuple(point)] for point in triangle] for triangle in xy[mine].tolist()]
        except KeyError as missing:  # a corner the triangulation made up: the engine triangulates it
            raise _NotFaces("triangulation") from missing
        # every triangle turned as the outer loop runs (the sign of its area in the projection)
        flip = mine[np.sign(turn[mine]) != np.sign(outer_turn)]
        found[flip] = found[flip][:, [0, 2, 1]]
    return found, owner


def _twice_area(xy: np.ndarray) -> float:
    """Twice the signed area of a closed 2D polygon (positive when it turns anticlockwise)."""
    x, y = xy[:, 0] - xy[0, 0], xy[:, 1] - xy[0, 1]
    return float((x[:-1] * y[1:] - x[1:] * y[:-1]).sum())  # the closing edge ends at the origin
