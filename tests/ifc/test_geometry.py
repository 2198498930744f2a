"""Mesh volumes: a closed mesh encloses a volume, an open one does not."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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


# --- winding: meshes whose triangles disagree on which side is out --------------------------------


def _prism(polygon: list[tuple[float, float]], z0: float, z1: float) -> tuple[np.ndarray, np.ndarray]:
    """A polygon (counter-clockwise seen from +z, star-shaped from its first corner) extruded from z0
    to z1, every triangle wound outward."""
    k = len(polygon)
    verts = np.array([(x, y, z0) for x, y in polygon] + [(x, y, z1) for x, y in polygon], dtype=float)
    faces = [(0, i + 1, i) for i in range(1, k - 1)]  # bottom, facing -z
    faces += [(k, k + i, k + i + 1) for i in range(1, k - 1)]  # top, facing +z
    for i in range(k):
        j = (i + 1) % k
        faces += [(i, j, k + j), (i, k + j, k + i)]
    return verts, np.array(faces)


def _unit_cube(corner=(0.0, 0.0, 0.0)) -> tuple[np.ndarray, np.ndarray]:
    verts, faces = _prism([(0, 0), (1, 0), (1, 1), (0, 1)], 0.0, 1.0)
    return verts + np.array(corner), faces


def _flip(faces: np.ndarray, which) -> np.ndarray:
    flipped = faces.copy()
    flipped[which] = flipped[which][:, [0, 2, 1]]
    return flipped


def _as_wound_from_origin(verts: np.ndarray, faces: np.ndarray) -> float:
    """The plain divergence sum, from the coordinate origin: what the take-off read before."""
    p1, p2, p3 = verts[faces[:, 0]], verts[faces[:, 1]], verts[faces[:, 2]]
    return abs(float(np.einsum("ij,ij->i", p1, np.cross(p2, p3)).sum())) / 6.0


def _merge(*meshes: tuple[np.ndarray, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    verts, faces, offset = [], [], 0
    for v, f in meshes:
        verts.append(v)
        faces.append(f + offset)
        offset += len(v)
    return np.vstack(verts), np.vstack(faces)


def test_a_consistently_wound_mesh_is_measured_as_it_is_and_not_flagged():
    result = measure_mesh(CUBE_VERTS, CUBE_FACES)
    assert not result.reoriented and result.reason is None and result.flags == []
    assert result.bbox_size_m == (2.0, 3.0, 4.0) and result.bbox_volume_m3 == 24.0


def test_a_cube_with_one_triangle_wound_inward_is_reoriented_to_its_true_volume():
    verts, faces = _unit_cube()
    result = measure_mesh(verts, _flip(faces, [3]))
    assert result.volume_m3 == 1.0
    assert result.reoriented and result.flags == ["mesh_reoriented"]


def test_a_badly_wound_cube_reads_the_same_wherever_it_stands():
    verts, faces = _unit_cube()
    faces = _flip(faces, [0, 3, 6, 9])  # a bottom, a top and two side triangles wound inward
    moved = verts + np.array([1000.0, -500.0, 30.0])
    # as wound, the divergence sum depends on where the origin is (so no single number is its volume)
    assert _as_wound_from_origin(verts, faces) != pytest.approx(_as_wound_from_origin(moved, faces))
    for where in (verts, moved):
        result = measure_mesh(where, faces)
        assert result.volume_m3 == 1.0 and result.reoriented  # 1 x 1 x 1, exactly


def test_a_cube_wound_inside_out_as_a_whole_is_one_cubic_metre_and_not_flagged():
    verts, faces = _unit_cube()
    result = measure_mesh(verts, faces[:, [0, 2, 1]])
    assert result.volume_m3 == 1.0
    assert not result.reoriented  # consistently wound: only the sign was wrong, and it is dropped


def test_two_separate_cubes_one_badly_wound_are_two_cubic_metres():
    first = _unit_cube()
    second = _unit_cube((3.0, 0.0, 0.0))
    verts, faces = _merge(first, (second[0], _flip(second[1], [2, 5, 7])))
    result = measure_mesh(verts, faces)
    assert result.volume_m3 == pytest.approx(2.0)  # 1 + 1
    assert result.reoriented and result.shells == 2 and result.voids == 0
    assert result.bbox_size_m == (4.0, 1.0, 1.0)  # x from 0 to 4


def test_cubes_sharing_an_edge_are_still_wound_consistently():
    # the edge from (1, 1, 0) to (1, 1, 1) belongs to four triangles, two of each cube
    verts, faces = _merge(_unit_cube(), (_unit_cube((1.0, 1.0, 0.0))[0], _flip(_unit_cube()[1], [4])))
    result = measure_mesh(verts, faces)
    assert result.volume_m3 == pytest.approx(2.0) and result.reoriented and result.shells == 2


@pytest.mark.parametrize("items", [None, "two"], ids=["one item", "a surface model's two shells"])
def test_a_shell_inside_another_is_a_void_and_is_subtracted(items):
    outer = _prism([(0, 0), (2, 0), (2, 2), (0, 2)], 0.0, 2.0)
    inner = _prism([(0.5, 0.5), (1.5, 0.5), (1.5, 1.5), (0.5, 1.5)], 0.5, 1.5)
    verts, faces = _merge((outer[0], _flip(outer[1], [1])), inner)  # winding lost: both face out
    ids = None if items is None else np.repeat([0, 1], [len(outer[1]), len(inner[1])])
    result = measure_mesh(verts, faces, ids)
    assert result.volume_m3 == pytest.approx(7.0)  # 2 x 2 x 2 - 1 x 1 x 1
    assert result.shells == 2 and result.voids == 1


def test_an_island_in_a_void_counts_again():
    shells = [
        _prism([(0, 0), (3, 0), (3, 3), (0, 3)], 0.0, 3.0),
        _prism([(0.5, 0.5), (2.5, 0.5), (2.5, 2.5), (0.5, 2.5)], 0.5, 2.5),
        _prism([(1, 1), (2, 1), (2, 2), (1, 2)], 1.0, 2.0),
    ]
    verts, faces = _merge(*shells[:2], (shells[2][0], _flip(shells[2][1], [0])))
    result = measure_mesh(verts, faces)
    assert result.volume_m3 == pytest.approx(20.0)  # 27 - 8 + 1
    assert result.shells == 3 and result.voids == 1


def test_a_shell_in_a_notch_of_another_is_not_a_void_though_it_is_within_its_box():
    # an L-shaped prism (3 m3) and a cube resting in its notch, touching two of its faces: the cube is
    # inside the L's bounding box but outside the L (a shelf in a cabinet, a pane in its frame). They
    # are two representation items, as the engine reports them.
    ell = _prism([(0, 0), (2, 0), (2, 1), (1, 1), (1, 2), (0, 2)], 0.0, 1.0)
    cube = _unit_cube((1.0, 1.0, 0.0))
    verts, faces = _merge((ell[0], _flip(ell[1], [0])), cube)
    items = np.repeat([0, 1], [len(ell[1]), len(cube[1])])
    result = measure_mesh(verts, faces, items)
    assert result.volume_m3 == pytest.approx(4.0)  # 3 + 1, the whole 2 x 2 x 1 box
    assert result.reoriented and result.voids == 0
    # as one item, the faces they share leave edges of four triangles that split the L's notch walls
    # off the L: no consistent winding can be told, so no volume
    assert measure_mesh(verts, faces).reason == "unorientable"


def _klein_bottle(rows: int = 5, columns: int = 5) -> tuple[np.ndarray, np.ndarray]:
    """A closed, one-sided triangulated surface: a grid whose last row joins the first twisted."""

    def vertex(i: int, j: int) -> int:
        if i == rows:
            i, j = 0, -j
        return i * columns + j % columns

    faces = []
    for i in range(rows):
        for j in range(columns):
            a, b, c, d = vertex(i, j), vertex(i + 1, j), vertex(i + 1, j + 1), vertex(i, j + 1)
            faces += [(a, b, c), (a, c, d)]
    verts = np.random.default_rng(7).random((rows * columns, 3))  # any distinct points
    return verts, np.array(faces)


def test_a_one_sided_closed_surface_has_no_volume():
    verts, faces = _klein_bottle()
    edges = np.sort(np.concatenate([faces[:, [0, 1]], faces[:, [1, 2]], faces[:, [2, 0]]]), axis=1)
    _, uses = np.unique(edges, axis=0, return_counts=True)
    assert np.all(uses == 2)  # every edge between exactly two triangles: closed, and no winding fits
    result = measure_mesh(verts, faces)
    assert result.closed and result.volume_m3 is None
    assert result.reason == "unorientable" and result.flags == ["mesh_unorientable"]


def test_a_doubled_cube_with_one_triangle_turned_cannot_be_wound_and_has_no_volume():
    verts, faces = _unit_cube()
    result = measure_mesh(verts, np.vstack([faces, _flip(faces, [0])]))  # every edge in 4 triangles
    assert result.volume_m3 is None and result.reason == "unorientable"


def test_a_volume_larger_than_its_own_bounding_box_is_never_returned():
    verts, faces = _unit_cube()
    result = measure_mesh(verts, np.vstack([faces, faces]))  # the same shell twice, well wound
    assert result.volume_m3 is None and result.reason == "volume_exceeds_bbox"
    assert result.mesh_volume_m3 == pytest.approx(2.0) and result.bbox_volume_m3 == 1.0  # 2 > 1 x 1 x 1
    assert result.flags == ["geometry_exceeds_bbox"]
    assert "encloses 2 m3, more than its bounding box (1.000x1.000x1.000 m = 1 m3)" in result.rejection


@settings(max_examples=200, deadline=None)
@given(
    flipped=st.lists(st.booleans(), min_size=20, max_size=20),
    size=st.tuples(*[st.floats(min_value=0.01, max_value=50.0)] * 3),
    corner=st.tuples(*[st.floats(min_value=-1e5, max_value=1e5)] * 3),
)
def test_any_winding_of_a_box_anywhere_measures_the_box(flipped, size, corner):
    # an L-shaped prism (3 of its 4 unit cells) and, as a second item, the cube in its notch: the whole
    # box, 4 cells of dx/2 x dy/2 x dz, however the L's 20 triangles are wound (all 20 at once too:
    # a shell inside out as a whole next to a well-wound one)
    ell = _prism([(0, 0), (2, 0), (2, 1), (1, 1), (1, 2), (0, 2)], 0.0, 1.0)
    cube = _unit_cube((1.0, 1.0, 0.0))
    verts, faces = _merge(ell, cube)
    faces = _flip(faces, np.flatnonzero(flipped + [False] * 12))
    scale = np.array([size[0] / 2, size[1] / 2, size[2]])
    placed = verts * scale + np.array(corner)
    result = measure_mesh(placed, faces, np.repeat([0, 1], [20, 12]))
    # the box as the coordinates hold it (65536.01 is not exactly 65536 + 0.01 in floating point)
    extent = placed.max(axis=0) - placed.min(axis=0)
    assert result.volume_m3 == pytest.approx(float(np.prod(extent)), rel=1e-9)
    assert result.reoriented == any(flipped)


def test_a_mirrored_copy_wound_inside_out_on_its_own_still_adds_its_volume():
    # ifcopenshell gives a mirrored IfcMappedItem inside out; an element made of a box and its mirrored
    # copy (same item id) is consistently wound edge by edge, yet as wound it reads 1 - 1 = 0 m3
    verts, faces = _merge(_unit_cube(), (_unit_cube((3.0, 0.0, 0.0))[0], _unit_cube()[1][:, [0, 2, 1]]))
    assert _as_wound_from_origin(verts, faces) == pytest.approx(0.0, abs=1e-9)
    result = measure_mesh(verts, faces, np.zeros(len(faces), dtype=np.int64))
    assert result.volume_m3 == pytest.approx(2.0)  # 1 + 1
    assert result.reoriented and result.shells == 2 and result.voids == 0


def test_a_correctly_wound_hollow_box_keeps_its_void_and_is_not_flagged():
    # outer 2 m cube wound outward, inner 1 m cube wound inward (a cavity, as an exporter writes it):
    # one consistent mesh of two shells, 8 - 1 = 7 m3, nothing re-oriented
    outer = _prism([(0, 0), (2, 0), (2, 2), (0, 2)], 0.0, 2.0)
    inner = _prism([(0.5, 0.5), (1.5, 0.5), (1.5, 1.5), (0.5, 1.5)], 0.5, 1.5)
    verts, faces = _merge(outer, (inner[0], inner[1][:, [0, 2, 1]]))
    result = measure_mesh(verts, faces)
    assert result.volume_m3 == pytest.approx(7.0)
    assert not result.reoriented and result.flags == []
