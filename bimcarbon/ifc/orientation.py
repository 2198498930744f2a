"""Consistent winding for closed triangle meshes whose triangles are wound every which way.

Some exporters (Revit ceilings written as ``IfcFaceBasedSurfaceModel``) write closed meshes whose
triangles do not agree on which side is out; the geometry engine passes the winding through, and the
divergence sum over such a mesh is not its volume. :func:`orient_shells` finds, for each shell
(triangles connected through edges that exactly two triangles share), the flips that make every
shared edge run in opposite directions in its two triangles, turns each shell outward, and takes a
shell that lies inside another as a void.

Pure numpy; no loop over triangles. Only the rare meshes that need it come here (the take-off first
checks, in one vectorised pass, that every directed edge is matched by its reverse).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

#: A shell counts as inside another when the other's winding number (1 inside, 0 outside) at points
#: just inside it is above this.
INSIDE_WINDING = 0.5

#: Points of a shell at which the winding numbers of the shells around it are evaluated.
SAMPLE_POINTS = 8


@dataclass(frozen=True)
class Orientation:
    """How to turn each triangle so that the mesh is consistently wound.

    Attributes
    ----------
    signs
        (m,) +1 to keep a triangle as wound, -1 to flip it. Outer shells face outward, voids inward.
    shells
        Number of shells (connected components of triangles sharing manifold edges).
    voids
        Number of shells taken as voids (inside an odd number of other shells), whose volume is
        subtracted.
    """

    signs: np.ndarray
    shells: int
    voids: int


def orient_shells(
    tri: np.ndarray, corners: np.ndarray, signed6: np.ndarray, items: np.ndarray | None = None
) -> Orientation | None:
    """Flips that wind a closed mesh consistently, each shell outward and voids inward.

    Parameters
    ----------
    tri
        (m, 3) welded vertex indices of non-degenerate triangles.
    corners
        (m, 3, 3) coordinates of the triangles' corners in metres (any origin).
    signed6
        (m,) each triangle's ``p1 . (p2 x p3)`` as wound (six times its signed volume contribution).
    items
        Optional (m,) id of the representation item each triangle comes from (the engine reports a
        solid, or each shell or face set of a surface model, as one item). Triangles of different
        items never share an edge here: two items touching face to face leave edges of four
        triangles that would otherwise cut both apart.

    Returns
    -------
    Orientation or None
        None when the mesh cannot be wound consistently: a one-sided (Moebius-like) shell, or a shell
        that is not closed by itself once edges shared by more than two triangles are set aside.

    Notes
    -----
    Which shell is a void cannot be read from a winding that is known to be wrong, so it is decided
    by position: a shell inside an odd number of other shells (their winding number at points just
    inside it above :data:`INSIDE_WINDING`) is a void, the space a hollow body encloses, and is
    subtracted; a shell inside an even number (an island in a void) counts again. This holds across
    items too (a surface model's inner shell is an item of its own); a solid item wholly inside
    another is a modelling fault either way. Shells that merely sit within another's bounding box
    (a shelf in a cabinet's carcass, a pane in its frame) are not inside it.
    """
    m = len(tri)
    n = int(tri.max()) + 1
    first = tri.reshape(-1)
    second = tri[:, [1, 2, 0]].reshape(-1)
    owner = np.repeat(np.arange(m), 3)
    key = np.minimum(first, second) * n + np.maximum(first, second)
    item = np.zeros(m, dtype=np.int64) if items is None else np.asarray(items, dtype=np.int64)
    item_of_edge = item[owner]
    order = np.lexsort((key, item_of_edge))  # the same edge in two items is two edges
    sorted_key, sorted_item = key[order], item_of_edge[order]
    starts = np.flatnonzero(
        np.r_[True, (sorted_key[1:] != sorted_key[:-1]) | (sorted_item[1:] != sorted_item[:-1])]
    )
    counts = np.diff(np.r_[starts, len(key)])
    pairs = starts[counts == 2]  # manifold edges; edges of 4, 6, ... triangles are checked at the end
    slot1, slot2 = order[pairs], order[pairs + 1]
    t1, t2 = owner[slot1], owner[slot2]
    # both triangles run the shared edge the same way: exactly one of them must be flipped
    differ = (first[slot1] < second[slot1]) == (first[slot2] < second[slot2])
    # Two-colouring by components of the double cover: node t is triangle t as wound, node t + m the
    # same triangle flipped. A shell is one-sided when a triangle is connected to its own flip.
    root = components(
        2 * m,
        np.concatenate([t1, t1 + m]),
        np.concatenate([np.where(differ, t2 + m, t2), np.where(differ, t2, t2 + m)]),
    )
    if np.any(root[:m] == root[m:]):
        return None
    base = np.minimum(root[:m], root[m:])
    signs = np.where(root[:m] == base, 1.0, -1.0)
    _, shell = np.unique(base, return_inverse=True)
    shells = int(shell.max()) + 1
    shell_signed6 = np.bincount(shell, weights=signed6 * signs, minlength=shells)
    signs *= np.where(shell_signed6 < 0, -1.0, 1.0)[shell]  # each shell outward
    if not _each_shell_closed_and_consistent(first, second, signs, shell, n):
        return None
    depth = _nesting_depth(corners, signs, shell, shells)
    signs *= np.where(depth % 2 == 1, -1.0, 1.0)[shell]  # voids inward
    return Orientation(signs=signs, shells=shells, voids=int(np.count_nonzero(depth % 2 == 1)))


def winding_numbers(points: np.ndarray, corners: np.ndarray) -> np.ndarray:
    """Winding number of a closed, consistently wound triangle mesh around each point.

    Parameters
    ----------
    points
        (p, 3) query points in metres.
    corners
        (q, 3, 3) triangle corners in metres, wound outward.

    Returns
    -------
    numpy.ndarray
        (p,) about 1 inside and 0 outside (solid angles summed over 4 pi; Van Oosterom and
        Strackee's formula for a triangle's solid angle). On the surface itself the sum jumps, and
        rounding makes it 0 or 1: do not ask there.
    """
    a = corners[None, :, 0, :] - points[:, None, :]
    b = corners[None, :, 1, :] - points[:, None, :]
    c = corners[None, :, 2, :] - points[:, None, :]
    la, lb, lc = (np.sqrt((v * v).sum(axis=2)) for v in (a, b, c))
    det = (a * np.cross(b, c)).sum(axis=2)
    den = la * lb * lc + (a * b).sum(axis=2) * lc + (a * c).sum(axis=2) * lb + (b * c).sum(axis=2) * la
    return np.arctan2(det, den).sum(axis=1) / (2.0 * np.pi)


def components(nodes: int, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Smallest node of each node's connected component (edges ``a[i] - b[i]``).

    Min-label hooking and pointer jumping (Shiloach-Vishkin style): a few vectorised rounds, no loop
    over nodes or edges.
    """
    parent = np.arange(nodes)
    while True:
        pa, pb = parent[a], parent[b]
        if np.array_equal(pa, pb):
            return parent
        np.minimum.at(parent, np.maximum(pa, pb), np.minimum(pa, pb))  # hook the larger root
        while True:  # jump until every node points at its root
            grand = parent[parent]
            if np.array_equal(grand, parent):
                break
            parent = grand


def _nesting_depth(corners: np.ndarray, signs: np.ndarray, shell: np.ndarray, shells: int) -> np.ndarray:
    """For each shell, how many other shells it lies inside (shells wound outward by ``signs``).

    Shell A is inside shell B when B's winding number is above 1/2 at points just inside A (a hair
    behind A's largest faces): points on A's surface would not do, since A may touch B (a shelf
    resting in a cabinet's carcass) and a winding number on a surface is 0 or 1 by rounding.
    """
    depth = np.zeros(shells, dtype=np.int64)
    if shells == 1:
        return depth
    low = np.full((shells, 3), np.inf)
    high = np.full((shells, 3), -np.inf)
    np.minimum.at(low, shell, corners.min(axis=1))
    np.maximum.at(high, shell, corners.max(axis=1))
    pairs = set(_boxes_within(low, high))
    if not pairs:
        return depth
    outward = corners.copy()
    outward[signs < 0] = outward[signs < 0][:, [0, 2, 1]]
    normals = np.cross(outward[:, 1] - outward[:, 0], outward[:, 2] - outward[:, 0])
    twice_area = np.sqrt((normals * normals).sum(axis=1))
    centroids = corners.mean(axis=1)
    for inner, outer in pairs:  # candidate pairs only: few
        thinnest = float((high[inner] - low[inner]).min())
        if (outer, inner) in pairs or thinnest <= 0.0:  # the same box both ways, or a flat shell
            continue
        own = np.flatnonzero(shell == inner)
        largest = own[np.argsort(-twice_area[own], kind="stable")[:SAMPLE_POINTS]]
        inside = centroids[largest] - 1e-3 * thinnest * normals[largest] / twice_area[largest, None]
        around = outward[shell == outer]
        winding = [winding_numbers(point[None, :], around)[0] for point in inside]
        if np.median(winding) > INSIDE_WINDING:
            depth[inner] += 1
    return depth


def _boxes_within(low: np.ndarray, high: np.ndarray, chunk: int = 256) -> list[tuple[int, int]]:
    """Pairs (i, j), i != j, whose box i lies within box j; compared ``chunk`` boxes at a time."""
    pairs: list[tuple[int, int]] = []
    for start in range(0, len(low), chunk):
        stop = min(start + chunk, len(low))
        within = np.all(low[start:stop, None, :] >= low[None, :, :], axis=2) & np.all(
            high[start:stop, None, :] <= high[None, :, :], axis=2
        )
        inner, outer = np.nonzero(within)
        pairs.extend((int(i) + start, int(j)) for i, j in zip(inner, outer, strict=True) if i + start != j)
    return pairs


def _each_shell_closed_and_consistent(
    first: np.ndarray, second: np.ndarray, signs: np.ndarray, shell: np.ndarray, n: int
) -> bool:
    """Whether, after flipping, every directed edge of each shell is matched by its reverse in the
    same shell (this is where edges shared by more than two triangles are judged)."""
    flipped = np.repeat(signs < 0, 3)
    tail = np.where(flipped, second, first)
    head = np.where(flipped, first, second)
    shell_of_edge = np.repeat(shell, 3)
    directed = tail * n + head
    reverse = head * n + tail
    return bool(
        np.array_equal(
            directed[np.lexsort((directed, shell_of_edge))], reverse[np.lexsort((reverse, shell_of_edge))]
        )
    )
