"""Plan (XY) areas of triangulated bodies: pure arithmetic on vertex and face arrays, in metres.

Two measures, for two uses:

* :func:`mesh_plan_area_m2`, the footprint of one closed body: half the sum of the absolute XY areas of
  its triangles. A vertical line through the footprint of a closed body crosses its surface an even
  number of times; where it crosses exactly twice (every prism, every space with a flat or sloped
  ceiling) the top and the bottom each cover that point once, so half the projected surface is exactly
  the footprint. Bodies that overhang themselves (a vertical line crossing four times) count the
  overhang twice. Triangle orientation does not matter, so inconsistently wound meshes are measured
  alike.
* :func:`plan_union` and :func:`union_area_m2`, the plan area covered by several bodies that may
  overlap (a finish slab on a structural slab): the union of every triangle's XY projection (the
  body's exact plan shadow, whatever the winding), then of the bodies' shadows, with shapely.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import shapely

#: Projected triangles smaller than this (m2) are edge-on faces (walls of a prism); they cover nothing.
_EDGE_ON_M2 = 1e-9


def projected_triangles(
    verts: np.ndarray,
    faces: np.ndarray,
    origin_xy: tuple[float, float] = (0.0, 0.0),
    one_side: bool = False,
) -> np.ndarray:
    """The XY projection of every triangle that is not edge-on, relative to ``origin_xy``.

    With ``one_side``, only the triangles that turn anticlockwise in plan: for a closed mesh wound
    consistently (each directed edge matched by its reverse), a vertical line through its shadow crosses
    as many triangles turning one way as the other, so those of one side cover the whole shadow (the tops
    of a mesh wound outward, its bottoms if inside out) and their union is found in half the time.

    Parameters
    ----------
    verts
        (n, 3) vertex coordinates in metres.
    faces
        (m, 3) vertex indices of the triangles.
    origin_xy
        Subtracted from every corner: far from the origin (georeferenced models) areas lose digits.
        Use one origin for every body whose projections are combined.
    one_side
        Only triangles turning anticlockwise (for closed, consistently wound meshes only).

    Returns
    -------
    numpy.ndarray
        (k, 3, 2) XY corners of the k triangles whose projection has an area.
    """
    if len(faces) == 0:
        return np.zeros((0, 3, 2))
    corners = np.asarray(verts, dtype=np.float64)[np.asarray(faces)][:, :, :2] - np.asarray(origin_xy)
    areas = _signed_areas(corners)
    return corners[areas > _EDGE_ON_M2] if one_side else corners[np.abs(areas) > _EDGE_ON_M2]


def mesh_plan_area_m2(verts: np.ndarray, faces: np.ndarray) -> float:
    """Footprint of one closed triangulated body: half the sum of |projected XY triangle areas|.

    Exact for bodies that a vertical line crosses at most twice (see the module docstring).

    Parameters
    ----------
    verts
        (n, 3) vertex coordinates in metres.
    faces
        (m, 3) vertex indices of the triangles.

    Returns
    -------
    float
        Plan area in m2 (0.0 for an empty mesh).
    """
    if len(faces) == 0:
        return 0.0
    points = np.asarray(verts, dtype=np.float64)
    points = points - points[0]  # far from the origin (georeferenced models) the products lose digits
    return float(_abs_areas(points[np.asarray(faces)][:, :, :2]).sum() / 2.0)


def plan_union(triangles: Sequence[np.ndarray]) -> shapely.Geometry:
    """The plan shape covered by XY triangles: the union of all of them (overlaps counted once).

    Parameters
    ----------
    triangles
        Arrays of (k, 3, 2) XY triangle corners in metres, e.g. one per body from
        :func:`projected_triangles`.

    Returns
    -------
    shapely.Geometry
        A (multi)polygon; its ``area`` is the covered plan area in m2 (0 when there is nothing).
    """
    parts = [t for t in triangles if len(t)]
    if not parts:
        return shapely.Polygon()
    corners = np.concatenate(parts)
    rings = np.concatenate([corners, corners[:, :1]], axis=1)  # closed rings of 4 points
    return shapely.union_all(shapely.polygons(rings))


def union_area_m2(shapes: Sequence[shapely.Geometry]) -> float:
    """Area in m2 covered by plan shapes that may overlap (each overlap counted once)."""
    return float(shapely.union_all(list(shapes)).area) if len(shapes) else 0.0


def floor_levels(tops_m: Sequence[float], gap_m: float) -> list[int]:
    """Group bodies into floor levels by the elevation of their tops.

    Sorted by top elevation, a body joins the level of the one below it when its top is at most
    ``gap_m`` higher; otherwise it starts a new level.

    Parameters
    ----------
    tops_m
        Top elevation of each body in metres.
    gap_m
        Largest difference between two tops on one level, in metres.

    Returns
    -------
    list of int
        The level (0 = lowest) of each body, in the order given.
    """
    order = np.argsort(np.asarray(tops_m, dtype=np.float64), kind="stable")
    levels = [0] * len(order)
    level, previous = 0, None
    for index in order:
        top = float(tops_m[index])
        if previous is not None and top - previous > gap_m:
            level += 1
        levels[index] = level
        previous = top
    return levels


def _abs_areas(corners: np.ndarray) -> np.ndarray:
    """|area| of each (3, 2) XY triangle in an (m, 3, 2) array."""
    return np.abs(_signed_areas(corners))


def _signed_areas(corners: np.ndarray) -> np.ndarray:
    """Signed area of each (3, 2) XY triangle in an (m, 3, 2) array (positive: anticlockwise)."""
    a, b, c = corners[:, 0], corners[:, 1], corners[:, 2]
    return ((b[:, 0] - a[:, 0]) * (c[:, 1] - a[:, 1]) - (c[:, 0] - a[:, 0]) * (b[:, 1] - a[:, 1])) / 2.0
