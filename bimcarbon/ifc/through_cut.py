"""The volume a closed mesh of any shape shares with a convex opening that passes through it (pure numpy,
no geometry engine).

:mod:`bimcarbon.ifc.convex` needs both solids convex. A wall with a gable or a step, a precast slab with
notches, a faceted-brep wall from ArchiCAD or Revit is not; its openings usually are: boxes, or any
convex prism, drawn through the wall's or slab's whole thickness. For those the common part follows
from the body's own faces, whatever its shape.

Take an axis ``e`` along which the opening is a prism: the opening's side planes are parallel to ``e``
and bound an infinite prism ``P`` around it; the rest of its planes are its ends. By the divergence
theorem with the field ``(x . e) e``, whose flux through any plane parallel to ``e`` is zero,

    V(body & P) = sum over the body's faces clipped to P of  (centroid . e) (area vector . e)

(the body's faces wound outward). The parts of ``P``'s sides inside the body add nothing, so they need
not be found. When every point of the clipped faces lies within the opening's ends, so does the whole
of ``body & P`` (each of its points lies between two such points along ``e``), and ``body & P`` is the
body's common part with the opening: the opening passes through. Otherwise (a recess, a niche, an
opening that ends inside the body) the axis is refused, and with no axis left, so is the opening.

On the public samples' faceted-brep walls and notched slabs, this agrees with the engine's boolean
result within 1.3e-15 of the element's volume; duplex's counter top, whose sink hole has rounded
corners the engine facets finer when it cuts them, within 7.5e-5 (tests/test_openings.py; the
arithmetic on paper: tests/test_through_cut.py).
"""

from __future__ import annotations

import numpy as np

from bimcarbon.ifc.convex import RELATIVE_TOLERANCE, Planes

#: Candidate axes tried per opening (those with the most side planes first: a box has three).
MAX_AXES = 6
#: A plane is parallel to an axis when its unit normal's component along it is below this.
PARALLEL = 1e-7


def through_volume(triangles: np.ndarray, opening: Planes, size_m: float) -> float | None:
    """Volume in m3 the closed body shares with a convex opening passing through it, or None when the
    opening passes through along no axis it is a prism along (it ends inside the body, or is no prism).

    Parameters
    ----------
    triangles
        (m, 3, 3) corners of the body's triangles in metres, wound outward, from an origin near the body.
    opening
        The opening's :func:`bimcarbon.ifc.convex.convex_planes`, in the same axes.
    size_m
        The body's largest extent in metres (tolerances are shares of it).
    """
    normals, offsets = opening
    tolerance = max(size_m, 1.0) * RELATIVE_TOLERANCE * 10
    for axis in _prism_axes(normals):
        sides = np.abs(normals @ axis) < PARALLEL
        polygons, counts = _clip(triangles, normals[sides], offsets[sides], tolerance)
        points = polygons[np.arange(polygons.shape[1])[None, :] < counts[:, None]]
        if len(points) and (points @ normals[~sides].T - offsets[~sides] > tolerance).any():
            continue  # the body reaches beyond the opening's ends along this axis
        return _flux(polygons, counts, axis)
    return None


def enclosed_volume(triangles: np.ndarray) -> float:
    """Signed volume in m3 the triangles enclose (positive when wound outward), by the same sum as
    :func:`through_volume` over the whole body (axis z)."""
    return _flux(triangles, np.full(len(triangles), 3), np.array([0.0, 0.0, 1.0]))


def _prism_axes(normals: np.ndarray) -> list[np.ndarray]:
    """Unit axes that several planes are parallel to, those with most such planes first: the cross
    products of pairs of the planes' normals, without repeats (a box: its three edge directions)."""
    first, second = np.triu_indices(len(normals), k=1)
    crosses = np.cross(normals[first], normals[second])
    lengths = np.linalg.norm(crosses, axis=1)
    crosses = crosses[lengths > 1e-6] / lengths[lengths > 1e-6, None]
    axes: list[np.ndarray] = []
    for axis in crosses:  # few: a box has 15 pairs
        if not any(abs(float(axis @ known)) > 1 - 1e-12 for known in axes):
            axes.append(axis)
    parallel = [int((np.abs(normals @ axis) < PARALLEL).sum()) for axis in axes]
    order = sorted(range(len(axes)), key=lambda i: -parallel[i])
    return [axes[i] for i in order if parallel[i] >= 2][:MAX_AXES]


def _clip(
    triangles: np.ndarray, normals: np.ndarray, offsets: np.ndarray, tolerance: float
) -> tuple[np.ndarray, np.ndarray]:
    """The triangles clipped to the planes' inner side ``n . x <= d`` (Sutherland-Hodgman, all at once):
    (polygons, corners) where polygons is (p, k, 3), the corners of each polygon first, in the
    triangle's winding, and corners (p,) their number (3 or more)."""
    distances = triangles @ normals.T - offsets  # (m, 3, planes)
    polygons = triangles[~(distances > tolerance).all(axis=1).any(axis=1)]  # not wholly outside one
    counts = np.full(len(polygons), 3)
    for normal, offset in zip(normals, offsets, strict=True):
        width = polygons.shape[1]
        slot = np.arange(width)[None, :]
        valid = slot < counts[:, None]
        following = np.where(slot + 1 < counts[:, None], slot + 1, 0)
        ahead = np.take_along_axis(polygons, following[..., None], axis=1)
        here_d = polygons @ normal - offset
        ahead_d = ahead @ normal - offset
        here_in, ahead_in = here_d <= tolerance, ahead_d <= tolerance
        crossing = valid & (here_in != ahead_in)
        share = np.divide(here_d, here_d - ahead_d, out=np.zeros_like(here_d), where=crossing)
        np.clip(share, 0.0, 1.0, out=share)  # both ends within the tolerance of the plane: on the edge
        out = np.empty((len(polygons), 2 * width, 3))
        out[:, 0::2] = polygons
        out[:, 1::2] = polygons + share[..., None] * (ahead - polygons)
        keep = np.empty((len(polygons), 2 * width), dtype=bool)
        keep[:, 0::2] = valid & here_in
        keep[:, 1::2] = crossing
        order = np.argsort(~keep, axis=1, kind="stable")
        polygons = np.take_along_axis(out, order[..., None], axis=1)
        counts = keep.sum(axis=1)
        left = counts >= 3
        polygons, counts = polygons[left], counts[left]
        polygons = polygons[:, : max(int(counts.max(initial=0)), 3)]
    return polygons, counts


def _flux(polygons: np.ndarray, counts: np.ndarray, axis: np.ndarray) -> float:
    """Sum of (centroid . axis) (area vector . axis) over the polygons, each cut into a fan from its
    first corner: the volume they enclose with the planes parallel to ``axis`` (m3)."""
    total = 0.0
    first = polygons[:, 0]
    for corner in range(1, polygons.shape[1] - 1):
        used = counts > corner + 1
        a, b, c = first[used], polygons[used, corner], polygons[used, corner + 1]
        area_along = 0.5 * (np.cross(b - a, c - a) @ axis)
        total += float(((a + b + c) @ axis / 3.0) @ area_along)
    return total
