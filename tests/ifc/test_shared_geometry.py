"""The same type geometry placed many times is measured once, and each placement gets its volume."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest
from builders import add_mapped_windows, new_model

import bimcarbon.ifc.geometry as geometry
from bimcarbon.ifc.geometry import compute_volumes, scaling_part

WINDOW_M3 = 1.0 * 0.1 * 1.5  # the type's box: 0.15 m3


@pytest.fixture
def measured(monkeypatch):
    """Counts the meshes measured."""
    calls = []
    original = geometry.measure_mesh

    def counting(*args, **kwargs):
        calls.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(geometry, "measure_mesh", counting)
    return calls


@pytest.mark.parametrize("unit", ["m", "mm"])
def test_fifty_windows_of_one_type_each_get_the_types_volume_measured_once(measured, unit):
    f, ctx = new_model(unit)
    windows = add_mapped_windows(f, ctx, 50)
    volumes = compute_volumes(f, windows)
    assert sorted(volumes) == sorted(w.id() for w in windows)
    assert [volumes[w.id()].volume_m3 for w in windows] == pytest.approx([WINDOW_M3] * 50)
    assert len(measured) == 1  # one mesh from the engine, given to all fifty


def test_scaled_and_mirrored_mappings_get_their_own_volumes(measured):
    f, ctx = new_model("m")
    *plain, scaled, stretched, mirrored = add_mapped_windows(f, ctx, 2, ("scale2", "stretch", "mirror"))
    volumes = compute_volumes(f, [*plain, scaled, stretched, mirrored])
    assert volumes[plain[0].id()].volume_m3 == pytest.approx(0.15)
    assert volumes[scaled.id()].volume_m3 == pytest.approx(1.2)  # 2 x 0.2 x 3.0: 8 x 0.15
    assert volumes[stretched.id()].volume_m3 == pytest.approx(0.3)  # 2.0 x 0.1 x 1.5
    assert volumes[mirrored.id()].volume_m3 == pytest.approx(0.15)
    assert len(measured) == 4  # the two plain windows share one mesh; the other three are their own


def test_later_passes_reuse_what_an_earlier_one_measured(measured):
    f, ctx = new_model("m")
    windows = add_mapped_windows(f, ctx, 6)
    shared: dict = {}
    first = compute_volumes(f, windows[:3], shared=shared)
    second = compute_volumes(f, windows[3:], shared=shared)
    assert [v.volume_m3 for v in [*first.values(), *second.values()]] == pytest.approx([0.15] * 6)
    assert len(measured) == 1


def _unit_cube_shape(matrix, geometry_id="box"):
    """A shape as the iterator gives it: the unit cube's mesh and a placement matrix (16 numbers,
    column by column)."""
    verts = np.array([[x, y, z] for z in (0, 1) for x, y in ((0, 0), (1, 0), (1, 1), (0, 1))], dtype=float)
    faces = np.array(
        [[0, 2, 1], [0, 3, 2], [4, 5, 6], [4, 6, 7], [0, 1, 5], [0, 5, 4],
         [1, 2, 6], [1, 6, 5], [2, 3, 7], [2, 7, 6], [3, 0, 4], [3, 4, 7]], dtype=np.int32,
    )  # fmt: skip
    mesh = SimpleNamespace(
        id=geometry_id,
        verts_buffer=verts.tobytes(),
        faces_buffer=faces.tobytes(),
        item_ids_buffer=np.zeros(len(faces), dtype=np.int32).tobytes(),
    )
    return SimpleNamespace(geometry=mesh, transformation=SimpleNamespace(matrix=tuple(matrix)))


def test_a_placement_that_scales_is_applied_before_measuring_and_not_shared():
    # 2 x 3 x 4 stretch of a 1 m3 cube, moved 10 m along x: 24 m3; the rigid one next to it: 1 m3
    stretch = (2.0, 0, 0, 0, 0, 3.0, 0, 0, 0, 0, 4.0, 0, 10.0, 0, 0, 1.0)
    turn = (0, 1.0, 0, 0, -1.0, 0, 0, 0, 0, 0, 1.0, 0, 5.0, 5.0, 0, 1.0)  # 90 degrees about z
    assert scaling_part(turn) is None
    assert np.allclose(scaling_part(stretch), np.diag([2.0, 3.0, 4.0]))
    shared: dict = {}
    assert geometry._shape_volume(_unit_cube_shape(stretch), shared).volume_m3 == pytest.approx(24.0)
    assert shared == {}  # a scaled mesh is its own
    assert geometry._shape_volume(_unit_cube_shape(turn), shared).volume_m3 == pytest.approx(1.0)
    assert list(shared) == ["box"]
