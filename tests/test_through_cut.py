"""The volume a body of any shape shares with a convex opening passing through it, from the body's own
faces: an L-shaped wall, 2 x 2 m less its 1 x 1 m corner and 3 m high (9 m3), and box openings."""

from __future__ import annotations

import math

import numpy as np
import pytest

from bimcarbon.ifc.convex import convex_planes
from bimcarbon.ifc.through_cut import enclosed_volume, through_volume

CUBE_FACES = np.array(
    [[0, 1, 3], [0, 3, 2], [4, 6, 7], [4, 7, 5], [0, 4, 5], [0, 5, 1],
     [2, 3, 7], [2, 7, 6], [0, 2, 6], [0, 6, 4], [1, 5, 7], [1, 7, 3]]
)  # fmt: skip

#: The L's plan, anticlockwise seen from above: legs x 0..2, y 0..1 and x 0..1, y 0..2.
L_PLAN = [(0, 0), (2, 0), (2, 1), (1, 1), (1, 2), (0, 2)]


def l_prism(height_m: float = 3.0) -> np.ndarray:
    """(m, 3, 3) triangles of the L extruded ``height_m`` up, wound outward."""
    bottom = [(x, y, 0.0) for x, y in L_PLAN]
    top = [(x, y, height_m) for x, y in L_PLAN]
    corners = np.array(bottom + top, dtype=float)
    fans = [(0, 1, 2), (0, 2, 3), (0, 3, 5), (3, 4, 5)]  # the plan in four triangles, anticlockwise
    faces = [(a, c, b) for a, b, c in fans] + [(a + 6, b + 6, c + 6) for a, b, c in fans]
    for i in range(6):
        j = (i + 1) % 6
        faces += [(i, j, j + 6), (i, j + 6, i + 6)]
    return corners[np.array(faces)]


def box(low, high):
    """The face planes of an axis-aligned box."""
    corners = [[x, y, z] for x in (low[0], high[0]) for y in (low[1], high[1]) for z in (low[2], high[2])]
    return convex_planes(np.array(corners, dtype=float), CUBE_FACES)


def test_the_l_encloses_its_plan_times_its_height_and_is_not_convex():
    triangles = l_prism()
    assert enclosed_volume(triangles) == pytest.approx(3.0 * 3.0, rel=1e-12)
    assert enclosed_volume(triangles[:, ::-1]) == pytest.approx(-9.0, rel=1e-12)  # wound inward
    corners = triangles.reshape(-1, 3)
    assert convex_planes(corners, np.arange(len(corners)).reshape(-1, 3)) is None


@pytest.mark.parametrize(
    ("low", "high", "shared_m3"),
    [
        # a window 0.5 m wide and 1 m high drawn 1.2 m deep through the 1 m leg: 0.5 * 1 * 1
        ((1.2, -0.1, 1.0), (1.7, 1.1, 2.0), 0.5),
        # through the other leg, along x: 1 m deep there, 0.6 m wide, 1.5 m high
        ((-0.5, 1.2, 0.5), (1.5, 1.8, 2.0), 0.9),
        # reaching 0.5 m above the top: only its lower half cuts
        ((1.2, -0.1, 2.5), (1.7, 1.1, 3.5), 0.25),
        # a shaft from below to above, through the corner square x 0..1, y 0..1: 0.2 * 0.2 * 3
        ((0.4, 0.4, -1.0), (0.6, 0.6, 4.0), 0.12),
        # drawn exactly as deep as the leg, flush with both its faces
        ((1.2, 0.0, 1.0), (1.7, 1.0, 2.0), 0.5),
        # in the L's missing corner, inside its box: shares nothing
        ((1.2, 1.2, -1.0), (1.7, 1.7, 4.0), 0.0),
    ],
)
def test_an_opening_through_the_l_shares_what_a_person_computes(low, high, shared_m3):
    assert through_volume(l_prism(), box(low, high), 2.0) == pytest.approx(shared_m3, rel=1e-12, abs=1e-15)


@pytest.mark.parametrize(
    ("low", "high"),
    [
        ((1.2, -0.1, 1.0), (1.7, 0.5, 2.0)),  # a niche: ends 0.5 m into the 1 m leg
        ((0.2, 0.2, 0.0), (0.7, 0.7, 1.0)),  # a pocket in the corner: the L goes on beyond it every way
    ],
)
def test_an_opening_that_ends_inside_the_body_is_refused(low, high):
    assert through_volume(l_prism(), box(low, high), 2.0) is None


def test_the_same_window_in_the_l_turned_and_moved_shares_the_same_volume():
    turn = math.radians(30)
    cos, sin = math.cos(turn), math.sin(turn)
    rotation = np.array([[cos, -sin, 0], [sin, cos, 0], [0, 0, 1]])
    shift = np.array([3.0, 1.0, 0.5])
    corners = [[x, y, z] for x in (1.2, 1.7) for y in (-0.1, 1.1) for z in (1.0, 2.0)]
    window = convex_planes(np.array(corners) @ rotation.T + shift, CUBE_FACES)
    triangles = l_prism() @ rotation.T + shift
    assert through_volume(triangles, window, 2.0) == pytest.approx(0.5, rel=1e-12)


def test_an_oblique_prism_opening_passes_through_along_its_sides():
    # a shaft leaning 1 in 4 through the 3 m high corner square: its section is 0.2 x 0.2 m at every
    # height, so it takes 0.2 * 0.2 * 3 = 0.12 m3 as the straight one does (Cavalieri)
    low = np.array([[0.3, 0.4, -1.0], [0.5, 0.4, -1.0], [0.5, 0.6, -1.0], [0.3, 0.6, -1.0]])
    lean = np.array([0.25, 0.0, 1.0])  # 1 m across per 4 m up
    corners = np.vstack([low, low + 5 * lean])  # bottom at z = -1, top at z = 4
    faces = np.array(
        [[0, 2, 1], [0, 3, 2], [4, 5, 6], [4, 6, 7]]
        + [[i, (i + 1) % 4, (i + 1) % 4 + 4] for i in range(4)]
        + [[i, (i + 1) % 4 + 4, i + 4] for i in range(4)]
    )
    shaft = convex_planes(corners, faces)
    assert shaft is not None
    assert through_volume(l_prism(), shaft, 2.0) == pytest.approx(0.12, rel=1e-12)
