"""Mesh volumes: a closed mesh encloses a volume, an open one does not."""

from __future__ import annotations

import math

import numpy as np

from bimcarbon.ifc.geometry import measure_mesh

CUBE_VERTS = np.array(
    [[0, 0, 0], [2, 0, 0], [2, 3, 0], [0, 3, 0], [0, 0, 4], [2, 0, 4], [2, 3, 4], [0, 3, 4]], dtype=float
)
CUBE_FACES = np.array(
    [
        [0, 2, 1], [0, 3, 2], [4, 5, 6], [4, 6, 7], [0, 1, 5], [0, 5, 4],
        [1, 2, 6], [1, 6, 5], [2, 3, 7], [2, 7, 6], [3, 0, 4], [3, 4, 7],
    ]
)  # fmt: skip


def test_a_closed_box_encloses_width_times_depth_times_height():
    result = measure_mesh(CUBE_VERTS, CUBE_FACES)
    assert result.closed
    assert math.isclose(result.volume_m3, 24.0)


def test_a_box_missing_its_lid_has_no_volume():
    result = measure_mesh(CUBE_VERTS, CUBE_FACES[:-2])
    assert not result.closed
    assert result.volume_m3 is None


def test_faces_emitted_with_duplicated_vertices_still_count_as_closed():
    verts = CUBE_VERTS[CUBE_FACES.reshape(-1)]  # three fresh vertices per triangle
    faces = np.arange(len(verts)).reshape(-1, 3)
    result = measure_mesh(verts, faces)
    assert result.closed
    assert math.isclose(result.volume_m3, 24.0)


def test_minus_zero_and_plus_zero_are_the_same_corner_when_welding():
    verts = CUBE_VERTS[CUBE_FACES.reshape(-1)]
    verts[verts == 0.0] = -0.0  # some exporters write -0.0; the same corner must weld
    verts[::2][verts[::2] == 0.0] = 0.0
    faces = np.arange(len(verts)).reshape(-1, 3)
    result = measure_mesh(verts, faces)
    assert result.closed
    assert math.isclose(result.volume_m3, 24.0)


def test_a_corner_that_is_not_a_number_gives_no_volume():
    verts = CUBE_VERTS[CUBE_FACES.reshape(-1)].copy()
    verts[verts[:, 0] == 2.0] = np.nan  # every copy of the corners at x = 2 (so they still weld)
    faces = np.arange(len(verts)).reshape(-1, 3)
    result = measure_mesh(verts, faces)
    assert result.volume_m3 is None and not result.closed
