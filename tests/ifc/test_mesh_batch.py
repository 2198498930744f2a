"""Small meshes measured together (bimcarbon.ifc.mesh_batch.measure_meshes) give exactly what each gives
measured alone (measure_mesh), whatever is wrong with it; and the take-off's batches of iterator shapes
give every element the volume it had shape by shape."""

from __future__ import annotations

import itertools

import ifcopenshell
import numpy as np
import pytest
from conftest import sample

import bimcarbon.ifc.geometry as geometry
from bimcarbon.ifc.geometry import FAST_LIBRARY, KeptMeshes, compute_volumes, measure_mesh, shapes
from bimcarbon.ifc.mesh_batch import SMALL_TRIANGLES, measure_meshes

QUADS = [(0, 1, 3, 2), (4, 6, 7, 5), (0, 4, 5, 1), (2, 3, 7, 6), (0, 2, 6, 4), (1, 5, 7, 3)]


def box(dx: float = 1.0, dy: float = 2.0, dz: float = 3.0, at=(0.0, 0.0, 0.0), per_face: bool = True):
    """A dx x dy x dz box wound outward, its vertices repeated per face (as the engine gives them) or
    shared; (vertices, triangles, items)."""
    corners = np.array(list(itertools.product([0, dx], [0, dy], [0, dz])), dtype=float) + np.array(at)
    if not per_face:
        faces = [tri for a, b, c, d in QUADS for tri in ((a, b, c), (a, c, d))]
        return corners, np.array(faces, dtype=np.int32), None
    verts, faces = [], []
    for quad in QUADS:
        start = len(verts)
        verts += [corners[i] for i in quad]
        faces += [(start, start + 1, start + 2), (start, start + 2, start + 3)]
    return np.array(verts), np.array(faces, dtype=np.int32), np.zeros(len(faces), dtype=np.int32)


def meshes_with_faults():
    verts, faces, items = box()
    flipped = faces.copy()
    flipped[0] = flipped[0][::-1]  # one triangle wound the other way
    far = box(at=(5e5, 3e6, 40.0))  # a project origin far away
    two = (np.vstack([verts, verts + 10.0]), np.vstack([faces, faces + len(verts)]), None)  # two shells
    mirrored = (np.vstack([verts, verts * [-1, 1, 1] + [5, 0, 0]]), np.vstack([faces, faces + 24]), None)
    nan = verts.copy()
    nan[3, 1] = np.nan
    degenerate = (verts, np.vstack([faces, [[0, 0, 1]]]), None)  # a triangle with a repeated corner
    fine = np.array(list(itertools.product(range(7), repeat=3)), dtype=float)  # for a large mesh below
    large = box(per_face=False)
    large = (large[0], np.vstack([large[1]] * ((SMALL_TRIANGLES // 12) + 2)), None)  # over the batch size
    return [
        box(),  # 6 m3
        box(per_face=False),
        box(2, 2, 2)[:2] + (None,),
        (verts, faces[:, ::-1].copy(), items),  # wound inside out as a whole: still 6 m3, not flagged
        (verts, flipped, items),  # re-wound, flagged
        (verts, faces[:-2], items[:-2]),  # open: one face missing
        far,
        two,
        mirrored,
        (nan, faces, items),
        degenerate,
        (np.zeros((0, 3)), np.zeros((0, 3), dtype=np.int32), None),  # no triangles
        (verts[:3], np.array([[0, 1, 2]], dtype=np.int32), None),  # one flat triangle
        (fine, np.zeros((0, 3), dtype=np.int32), None),
        large,
    ]


def test_every_mesh_measured_together_is_measured_as_alone():
    meshes = meshes_with_faults()
    together = measure_meshes(meshes)
    assert together == [measure_mesh(*m) for m in meshes]
    assert together[0].volume_m3 == pytest.approx(6.0)  # 1 x 2 x 3
    assert together[0].surface_area_m2 == pytest.approx(22.0)  # 2 x (2 + 3 + 6)
    assert together[3].volume_m3 == pytest.approx(6.0) and not together[3].reoriented
    assert together[4].volume_m3 == pytest.approx(6.0) and together[4].reoriented
    assert together[5].volume_m3 is None and together[5].reason == "open_mesh"
    assert together[6].volume_m3 == pytest.approx(6.0, rel=1e-12)  # far from the origin
    assert together[7].volume_m3 == pytest.approx(12.0)  # two boxes
    assert together[9].reason == "not_finite"


def test_a_triangle_pointing_outside_its_mesh_is_refused_as_alone():
    verts, faces, items = box()
    bad = faces.copy()
    bad[0, 0] = len(verts)  # would be the next mesh's first vertex
    with pytest.raises(IndexError):
        measure_mesh(verts, bad, items)
    with pytest.raises(IndexError):
        measure_meshes([box(), (verts, bad, items), box()])


@pytest.mark.parametrize("name", ["XELLA-Begane grond.ifc", "duplex.ifc"])
def test_every_engine_mesh_of_a_real_model_is_measured_as_alone(name):
    ifc = ifcopenshell.open(str(sample(name)))
    meshes = [
        geometry._shape_mesh(shape)
        for shape in shapes(ifc, ifc.by_type("IfcElement"), geometry.engine_settings(), FAST_LIBRARY, 1)
    ]
    assert len(meshes) > 200
    assert measure_meshes(meshes) == [measure_mesh(*m) for m in meshes]


def test_batches_of_any_size_give_each_element_and_kept_slab_the_same(monkeypatch):
    """duplex places the same door and window types many times (shared geometries, in and across
    batches); every element's volume and every kept floor slab mesh is the same in batches of 1, 7 or
    256 shapes."""
    ifc = ifcopenshell.open(str(sample("duplex.ifc")))
    elements = ifc.by_type("IfcElement")
    slabs = {e.id() for e in ifc.by_type("IfcSlab")}
    outcomes = []
    for size in (1, 7, 256):
        monkeypatch.setattr(geometry, "SHAPE_BATCH", size)
        kept = KeptMeshes(wanted=slabs)
        volumes = compute_volumes(ifc, elements, subtract_openings=False, kept=kept)
        outcomes.append((volumes, {k: (m[0][0].tolist(), m[1]) for k, m in kept.meshes.items()}))
    assert outcomes[0] == outcomes[1] == outcomes[2]
    volumes, kept_slabs = outcomes[0]
    assert len(volumes) > 200 and len(kept_slabs) >= 4
