"""How the geometry engine is asked for meshes: the same type geometry placed many times is measured once
and each placement gets its volume; the fast library, OpenCASCADE for what it cannot do."""

from __future__ import annotations

import math
from types import SimpleNamespace

import numpy as np
import pytest
from builders import add_mapped_windows, add_surface_model_ceiling, new_model

import bimcarbon.ifc.face_meshes as face_meshes
import bimcarbon.ifc.geometry as geometry
import bimcarbon.ifc.mesh_batch as mesh_batch
from bimcarbon.ifc.geometry import CAREFUL_LIBRARY, LIBRARY_VARIABLE, compute_volumes, scaling_part

WINDOW_M3 = 1.0 * 0.1 * 1.5  # the type's box: 0.15 m3


@pytest.fixture
def measured(monkeypatch):
    """Counts the meshes measured, one at a time (measure_mesh) or together (measure_meshes, which
    measures the meshes it cannot take together with its own reference to measure_mesh)."""
    calls = []
    one, together = geometry.measure_mesh, mesh_batch.measure_meshes

    def counting_one(*args, **kwargs):
        calls.append(1)
        return one(*args, **kwargs)

    def counting_together(meshes):
        calls.extend([1] * len(meshes))
        return together(meshes)

    monkeypatch.setattr(geometry, "measure_mesh", counting_one)
    monkeypatch.setattr(mesh_batch, "measure_meshes", counting_together)
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


def _unit_cube_shape(matrix, geometry_id="box", shape_id=1):
    """A shape as the iterator gives it: the element's id, the unit cube's mesh and a placement matrix
    (16 numbers, column by column)."""
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
    return SimpleNamespace(id=shape_id, geometry=mesh, transformation=SimpleNamespace(matrix=tuple(matrix)))


def test_a_placement_that_scales_is_applied_before_measuring_and_not_shared():
    # 2 x 3 x 4 stretch of a 1 m3 cube, moved 10 m along x: 24 m3; the rigid one next to it: 1 m3
    stretch = (2.0, 0, 0, 0, 0, 3.0, 0, 0, 0, 0, 4.0, 0, 10.0, 0, 0, 1.0)
    turn = (0, 1.0, 0, 0, -1.0, 0, 0, 0, 0, 0, 1.0, 0, 5.0, 5.0, 0, 1.0)  # 90 degrees about z
    assert scaling_part(turn) is None
    assert np.allclose(scaling_part(stretch), np.diag([2.0, 3.0, 4.0]))
    shared: dict = {}
    volumes: dict = {}
    batch = geometry._ShapeBatch(shared)  # as the take-off measures the iterator's shapes
    batch.add(_unit_cube_shape(stretch, shape_id=1), None)
    batch.settle(volumes, None)
    assert volumes[1].volume_m3 == pytest.approx(24.0)
    assert shared == {}  # a scaled mesh is its own
    batch.add(_unit_cube_shape(turn, shape_id=2), None)
    batch.settle(volumes, None)
    assert volumes[2].volume_m3 == pytest.approx(1.0)
    assert list(shared) == ["box"]


@pytest.fixture
def libraries(monkeypatch):
    """The geometry library of each iterator pass, with the elements it was given."""
    passes = []
    original = geometry.shapes

    def recording(ifc, elements, settings, library, *args):
        if elements:
            passes.append((library, sorted(e.Name for e in elements)))
        return original(ifc, elements, settings, library, *args)

    monkeypatch.setattr(geometry, "shapes", recording)
    return passes


def _rebar(f, ctx):
    """A 2 m bar of 10 mm radius swept along a line (IfcSweptDiskSolid): pi x 0.01^2 x 2 = 6.28e-4 m3."""
    import ifcopenshell.api.geometry
    import ifcopenshell.api.root

    bar = ifcopenshell.api.root.create_entity(f, ifc_class="IfcReinforcingBar", name="Bar")
    points = [f.create_entity("IfcCartesianPoint", p) for p in ((0.0, 0.0, 0.0), (0.0, 0.0, 2.0))]
    solid = f.create_entity(
        "IfcSweptDiskSolid", Directrix=f.create_entity("IfcPolyline", points), Radius=0.01
    )
    body = f.create_entity("IfcShapeRepresentation", ctx["body"], "Body", "AdvancedSweptSolid", [solid])
    ifcopenshell.api.geometry.assign_representation(f, product=bar, representation=body)
    return bar


@pytest.mark.parametrize(("wrong_way", "library"), [((1, 3), CAREFUL_LIBRARY), ((), geometry.FAST_LIBRARY)])
def test_a_surface_model_wound_every_which_way_is_measured_with_opencascade_and_flagged(
    monkeypatch, libraries, wrong_way, library
):
    # Revit's ceiling: the box's six quads, the top and the +x end wound inward as written. CGAL would
    # wind them itself; OpenCASCADE passes them through, and bimcarbon re-winds them and says so. The
    # same ceiling wound consistently is the fast library's. (Such a body is read from the file's faces
    # first, tests/ifc/test_face_meshes.py; here the reader leaves it to the engine, as it leaves one it
    # cannot read.)
    monkeypatch.setattr(face_meshes, "body_mesh", lambda *args: None)
    f, ctx = new_model("m")
    ceiling = add_surface_model_ceiling(f, ctx, wrong_way=wrong_way)
    volumes = compute_volumes(f, [ceiling])
    assert libraries == [(library, ["C1"])]
    assert volumes[ceiling.id()].volume_m3 == pytest.approx(5.06 * 2.66 * 0.05)  # 0.67298 m3
    assert volumes[ceiling.id()].flags == (["mesh_reoriented"] if wrong_way else [])


def test_what_the_fast_library_cannot_triangulate_is_measured_by_opencascade(monkeypatch, libraries):
    # CGAL alone has no conversion for a swept disk: nothing comes back for the bar, so OpenCASCADE
    # measures it; its circle is a polygon, so a little under pi x 0.01^2 x 2 = 6.283e-4 m3
    monkeypatch.setattr(geometry, "FAST_LIBRARY", "cgal-simple")
    f, ctx = new_model("m")
    bar = _rebar(f, ctx)
    (window,) = add_mapped_windows(f, ctx, 1)
    volumes = compute_volumes(f, [bar, window])
    assert libraries == [("cgal-simple", ["Bar", "Window 0"]), (CAREFUL_LIBRARY, ["Bar"])]
    assert volumes[bar.id()].volume_m3 == pytest.approx(math.pi * 0.01**2 * 2.0, rel=0.02)
    assert volumes[window.id()].volume_m3 == pytest.approx(0.15)


def test_the_environment_can_ask_for_opencascade_alone(monkeypatch, libraries):
    monkeypatch.setenv(LIBRARY_VARIABLE, "opencascade")
    f, ctx = new_model("m")
    windows = add_mapped_windows(f, ctx, 2)
    volumes = compute_volumes(f, windows)
    assert libraries == [(CAREFUL_LIBRARY, ["Window 0", "Window 1"])]
    assert [v.volume_m3 for v in volumes.values()] == pytest.approx([0.15, 0.15])


def test_the_iterator_leaves_a_core_for_measuring_unless_told(monkeypatch):
    monkeypatch.delenv(geometry.THREADS_VARIABLE, raising=False)
    monkeypatch.setattr(geometry.os, "cpu_count", lambda: 8)
    assert geometry.engine_threads() == 7
    monkeypatch.setattr(geometry.os, "cpu_count", lambda: 1)
    assert geometry.engine_threads() == 1
    monkeypatch.setenv(geometry.THREADS_VARIABLE, "3")
    assert geometry.engine_threads() == 3
