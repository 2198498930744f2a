"""Net volumes of elements with openings, as the body less what each opening shares with it: the
engine's boolean result, without the boolean, and the engine itself wherever that would not hold."""

from __future__ import annotations

import math

import ifcopenshell
import ifcopenshell.api.feature
import ifcopenshell.api.geometry
import ifcopenshell.api.root
import numpy as np
import pytest
from builders import add_layered_wall, new_model
from conftest import sample

from bimcarbon.ifc import read_model
from bimcarbon.ifc.convex import common_volume, convex_planes
from bimcarbon.ifc.geometry import FAST_LIBRARY, compute_volumes, engine_settings, measure_mesh
from bimcarbon.ifc.openings import net_volumes
from bimcarbon.takeoff import take_off

CUBE_FACES = np.array(
    [[0, 1, 3], [0, 3, 2], [4, 6, 7], [4, 7, 5], [0, 4, 5], [0, 5, 1],
     [2, 3, 7], [2, 7, 6], [0, 2, 6], [0, 6, 4], [1, 5, 7], [1, 7, 3]]
)  # fmt: skip


def box(low, high):
    """Vertices and triangles of an axis-aligned box."""
    corners = [[x, y, z] for x in (low[0], high[0]) for y in (low[1], high[1]) for z in (low[2], high[2])]
    return np.array(corners, dtype=float), CUBE_FACES


def test_the_common_part_of_a_wall_and_a_deeper_opening_is_the_opening_inside_the_wall():
    wall = convex_planes(*box([0, 0, 0], [6, 0.32, 3]))
    window = convex_planes(*box([2, -0.1, 0.9], [3.5, 0.5, 2.1]))  # deeper than the wall, as drawn
    assert common_volume(wall) == pytest.approx(6 * 0.32 * 3)
    assert common_volume(wall, window) == pytest.approx(1.5 * 0.32 * 1.2)  # 0.576 m3
    above = convex_planes(*box([4, -0.1, 2.5], [5, 0.5, 3.5]))  # half above the wall's top
    assert common_volume(wall, above) == pytest.approx(1 * 0.32 * 0.5)
    flush = convex_planes(*box([0, 0, 0], [1, 0.32, 1]))  # sharing three of the wall's faces
    assert common_volume(wall, flush) == pytest.approx(0.32)
    apart = convex_planes(*box([7, 0, 0], [8, 0.32, 1]))
    assert common_volume(wall, apart) == 0.0


def test_a_turned_and_wound_inside_out_box_has_the_same_planes_and_volume():
    verts, faces = box([0, 0, 0], [2, 1, 1])
    turn = math.radians(30)
    rotation = np.array(
        [[math.cos(turn), -math.sin(turn), 0], [math.sin(turn), math.cos(turn), 0], [0, 0, 1]]
    )
    planes = convex_planes(verts @ rotation.T + [100.0, -50.0, 3.0], faces[:, ::-1])
    assert planes is not None and len(planes[0]) == 6
    assert common_volume(planes) == pytest.approx(2.0)


def test_an_l_shaped_solid_is_not_convex():
    l_shape = np.array([[0, 0], [2, 0], [2, 1], [1, 1], [1, 2], [0, 2]], dtype=float)
    bottom = np.column_stack([l_shape, np.zeros(6)])
    verts = np.vstack([bottom, bottom + [0, 0, 1]])
    caps = [[0, 1, 2], [0, 2, 3], [0, 3, 5], [3, 4, 5]]
    faces = [*caps, *[[a + 6, c + 6, b + 6] for a, b, c in caps]]
    for i in range(6):
        j = (i + 1) % 6
        faces += [[i, j, j + 6], [i, j + 6, i + 6]]
    verts_faces = (verts, np.array(faces))
    assert measure_mesh(*verts_faces).volume_m3 == pytest.approx(3.0)
    assert convex_planes(*verts_faces) is None


# ---- on models --------------------------------------------------------------------------------

#: The wall of :func:`builders.add_layered_wall` (10 x 0.32 x 3 m), placed turned 90 degrees at (5, 5, 0).
WALL_PLACEMENT = np.array([[0, -1, 0, 5], [1, 0, 0, 5], [0, 0, 1, 0], [0, 0, 0, 1]], dtype=float)


def _opening(f, ctx, wall, name: str, at_m: tuple[float, float, float], size_m: tuple[float, float, float]):
    """A box opening in ``wall``: ``size_m`` (along, through, up) from ``at_m`` in the wall's axes."""
    opening = ifcopenshell.api.root.create_entity(f, ifc_class="IfcOpeningElement", name=name)
    rep = ifcopenshell.api.geometry.add_wall_representation(
        f, context=ctx["body"], length=size_m[0], height=size_m[2], thickness=size_m[1]
    )
    ifcopenshell.api.geometry.assign_representation(f, product=opening, representation=rep)
    local = np.eye(4)
    local[:3, 3] = at_m
    ifcopenshell.api.geometry.edit_object_placement(f, product=opening, matrix=WALL_PLACEMENT @ local)
    ifcopenshell.api.feature.add_feature(f, feature=opening, element=wall)
    return opening


def _wall_with(tmp_path, openings: list[tuple[tuple, tuple]]):
    f, ctx = new_model()
    wall = add_layered_wall(f, ctx, with_qto=False)
    ifcopenshell.api.geometry.edit_object_placement(f, product=wall, matrix=WALL_PLACEMENT)
    for i, (at, size) in enumerate(openings):
        _opening(f, ctx, wall, f"O{i}", at, size)
    path = tmp_path / "wall.ifc"
    f.write(str(path))
    return path


def _engine_net_m3(model, global_id: str) -> float:
    """The engine's own boolean result for one element (the reference)."""
    shape = ifcopenshell.geom.create_shape(engine_settings(True), model.ifc.by_guid(global_id))
    verts = np.frombuffer(shape.geometry.verts_buffer, dtype=np.float64).reshape(-1, 3)
    faces = np.frombuffer(shape.geometry.faces_buffer, dtype=np.int32).reshape(-1, 3)
    return measure_mesh(verts, faces).volume_m3


def _measured_as_the_engine(path, net_m3: float) -> None:
    """The model's wall reads ``net_m3`` by the take-off's geometry and by the engine's own boolean."""
    model = read_model(path)
    wall = model.ifc.by_type("IfcWall")[0]
    assert _engine_net_m3(model, wall.GlobalId) == pytest.approx(net_m3, rel=1e-9)
    assert compute_volumes(model.ifc, [wall])[wall.id()].volume_m3 == pytest.approx(net_m3, rel=1e-9)


@pytest.mark.parametrize(
    ("openings", "net_m3"),
    [
        # a window 1.5 x 1.2 m drawn 0.5 m deep through the 0.32 m wall: 9.6 - 0.576
        ([((2, -0.09, 0.9), (1.5, 0.5, 1.2))], 9.6 - 0.576),
        # and a door 0.9 x 2.1 m: 9.6 - 0.576 - 0.6048
        ([((2, -0.09, 0.9), (1.5, 0.5, 1.2)), ((6, -0.09, 0), (0.9, 0.5, 2.1))], 9.6 - 0.576 - 0.6048),
        # a notch 1 m wide from 2.5 m to 3.5 m: half of it above the wall
        ([((8, -0.09, 2.5), (1, 0.5, 1))], 9.6 - 0.16),
    ],
)
def test_a_wall_with_box_openings_is_measured_without_the_boolean_and_as_the_engine_does(
    tmp_path, openings, net_m3
):
    model = read_model(_wall_with(tmp_path, openings))
    wall = model.ifc.by_type("IfcWall")[0]
    measured = net_volumes(model.ifc, [wall], FAST_LIBRARY, 1, lambda: None)
    assert measured[wall.id()].volume_m3 == pytest.approx(net_m3, rel=1e-12)
    assert _engine_net_m3(model, wall.GlobalId) == pytest.approx(net_m3, rel=1e-9)
    table = take_off(model).table
    assert table["volume_m3"].sum() == pytest.approx(net_m3, rel=1e-12)  # split over the three layers
    concrete = table.loc[table["material"] == "Concrete C30/37", "volume_m3"].sum()
    assert concrete == pytest.approx(net_m3 * 0.20 / 0.32, rel=1e-12)  # its 0.20 m of the 0.32 m


def test_overlapping_openings_go_to_the_engine_which_cuts_their_union_once(tmp_path):
    # 1 x 1 m boxes at x 1..2 and 1.5..2.5: the union is 1.5 x 1 m, 0.48 m3 of the wall, not 0.64
    model = read_model(_wall_with(tmp_path, [((1, -0.09, 1), (1, 0.5, 1)), ((1.5, -0.09, 1), (1, 0.5, 1))]))
    wall = model.ifc.by_type("IfcWall")[0]
    assert net_volumes(model.ifc, [wall], FAST_LIBRARY, 1, lambda: None) == {}
    volume = compute_volumes(model.ifc, [wall])[wall.id()].volume_m3
    assert volume == pytest.approx(9.6 - 0.48, rel=1e-9)


def test_an_element_in_an_aggregate_with_openings_is_left_to_the_engine(tmp_path):
    # the engine cuts a parent's openings from its parts too: measured here, they would be missed
    import ifcopenshell.api.aggregate

    path = _wall_with(tmp_path, [((2, -0.09, 0.9), (1.5, 0.5, 1.2))])
    f = ifcopenshell.open(str(path))
    wall = f.by_type("IfcWall")[0]
    parent = ifcopenshell.api.root.create_entity(f, ifc_class="IfcWall", name="Parent")
    ifcopenshell.api.aggregate.assign_object(f, products=[wall], relating_object=parent)
    _opening(
        f,
        {"body": f.by_type("IfcGeometricRepresentationSubContext")[0]},
        parent,
        "P",
        (7, -0.09, 1),
        (1, 0.5, 1),
    )
    assert net_volumes(f, [wall], FAST_LIBRARY, 1, lambda: None) == {}


#: duplex's counter top, whose sink hole has rounded corners (faceted arcs: see its test).
ROUNDED_SINK_HOLE = "2OBrcmyk58NupXoVOHUvq$"


@pytest.mark.parametrize("name", ["duplex.ifc", "SampleHouse4.ifc", "GEELEN-Breedplaat V1.ifc"])
def test_on_public_samples_every_element_measured_so_has_the_engines_boolean_volume(name):
    model = read_model(sample(name))
    elements = [e for e in model.ifc.by_type("IfcElement") if getattr(e, "HasOpenings", None)]
    measured = net_volumes(model.ifc, elements, FAST_LIBRARY, 1, lambda: None)
    assert measured, f"no element of {name} was measured without the boolean"
    for element_id, volume in measured.items():
        element = model.ifc.by_id(element_id)
        if element.GlobalId == ROUNDED_SINK_HOLE:
            continue  # within a ten-thousandth of paper, as the engine (test below)
        assert volume.volume_m3 == pytest.approx(_engine_net_m3(model, element.GlobalId), rel=1e-5), element


def test_a_wall_drawn_far_from_its_own_placement_keeps_a_shallow_recess_shallow(tmp_path):
    # the wall's extrusion placed at (500 km, 500 km) in the wall's own axes (an export that leaves
    # every placement at the origin and writes project coordinates): a recess 1.5 x 1.2 m and 0.1 m
    # deep into the 0.32 m wall cuts 1.5 * 0.1 * 1.2 = 0.18 m3, 9.6 - 0.18 = 9.42 m3, not the
    # through-cut 9.6 - 0.576 = 9.024 m3 (its inner face is not the wall's far face 0.22 m behind it)
    far = 500_000.0
    f, ctx = new_model()
    wall = add_layered_wall(f, ctx, with_qto=False)
    f.by_type("IfcExtrudedAreaSolid")[0].Position.Location.Coordinates = (far, far + 0.2, 0.0)
    recess = ifcopenshell.api.root.create_entity(f, ifc_class="IfcOpeningElement", name="R")
    rep = ifcopenshell.api.geometry.add_wall_representation(
        f, context=ctx["body"], length=1.5, height=1.2, thickness=0.15
    )
    ifcopenshell.api.geometry.assign_representation(f, product=recess, representation=rep)
    placement = np.eye(4)
    placement[:3, 3] = (far + 2, far + 0.2 - 0.05, 0.9)  # from 0.05 m in front of the wall's face
    ifcopenshell.api.geometry.edit_object_placement(f, product=recess, matrix=placement)
    ifcopenshell.api.feature.add_feature(f, feature=recess, element=wall)
    path = tmp_path / "far.ifc"
    f.write(str(path))
    _measured_as_the_engine(path, 9.42)


def test_an_opening_with_a_second_solid_representation_is_cut_by_its_body_as_the_engine_does(tmp_path):
    # the engine cuts the opening's Body (1.5 x 1.2 m through the wall: 9.6 - 0.576 = 9.024 m3), not
    # its 3 m long Reference solid (9.6 - 1.152 = 8.448 m3), which its iterator also gives
    import ifcopenshell.api.context

    path = _wall_with(tmp_path, [((2, -0.09, 0.9), (1.5, 0.5, 1.2))])
    f = ifcopenshell.open(str(path))
    reference = ifcopenshell.api.context.add_context(
        f,
        context_type="Model",
        context_identifier="Reference",
        target_view="MODEL_VIEW",
        parent=f.by_type("IfcGeometricRepresentationContext")[0],
    )
    rep = ifcopenshell.api.geometry.add_wall_representation(
        f, context=reference, length=3.0, height=1.2, thickness=0.5
    )
    opening = f.by_type("IfcOpeningElement")[0]
    ifcopenshell.api.geometry.assign_representation(f, product=opening, representation=rep)
    f.write(str(path))
    _measured_as_the_engine(path, 9.024)


def test_a_slab_with_many_openings_compares_only_openings_that_can_overlap(tmp_path, monkeypatch):
    # 40 shafts 0.5 x 0.5 m through the 10 x 8 x 0.2 m slab, 1 m apart: 16 - 40 * 0.05 = 14 m3. Their
    # common parts: one per shaft, one for the slab's own planes, none per pair (780 pairs, whose boxes
    # are apart: every pair made a slab with 800 openings take 3 minutes)
    import ifcopenshell.api.geometry
    from builders import add_slab

    from bimcarbon.ifc import openings

    f, ctx = new_model()
    slab = add_slab(f, ctx)
    for i in range(40):
        shaft = ifcopenshell.api.root.create_entity(f, ifc_class="IfcOpeningElement", name=f"S{i}")
        rep = ifcopenshell.api.geometry.add_wall_representation(
            f, context=ctx["body"], length=0.5, height=1.0, thickness=0.5
        )
        ifcopenshell.api.geometry.assign_representation(f, product=shaft, representation=rep)
        placement = np.eye(4)
        placement[:3, 3] = (1 + i % 8, 1 + i // 8, -0.4)
        ifcopenshell.api.geometry.edit_object_placement(f, product=shaft, matrix=placement)
        ifcopenshell.api.feature.add_feature(f, feature=shaft, element=slab)
    calls = []
    counted = openings.common_volume
    monkeypatch.setattr(openings, "common_volume", lambda *solids: calls.append(1) or counted(*solids))
    measured = net_volumes(f, [slab], FAST_LIBRARY, 1, lambda: None)
    assert measured[slab.id()].volume_m3 == pytest.approx(14.0, rel=1e-12)
    assert len(calls) == 41


def _l_shaped_element(f, ctx):
    """An L-shaped prism, 2 x 2 m less its 1 x 1 m corner (3 m2) and 3 m high: 9 m3, not convex; placed
    as the wall of these tests (WALL_PLACEMENT)."""
    points = [
        f.create_entity("IfcCartesianPoint", p)
        for p in [(0.0, 0.0), (2.0, 0.0), (2.0, 1.0), (1.0, 1.0), (1.0, 2.0), (0.0, 2.0), (0.0, 0.0)]
    ]
    profile = f.create_entity(
        "IfcArbitraryClosedProfileDef", "AREA", None, f.create_entity("IfcPolyline", points)
    )
    solid = f.create_entity(
        "IfcExtrudedAreaSolid", profile, None, f.create_entity("IfcDirection", [0.0, 0.0, 1.0]), 3.0
    )
    body = f.create_entity("IfcShapeRepresentation", ctx["body"], "Body", "SweptSolid", [solid])
    element = ifcopenshell.api.root.create_entity(f, ifc_class="IfcWall", name="L")
    ifcopenshell.api.geometry.assign_representation(f, product=element, representation=body)
    ifcopenshell.api.geometry.edit_object_placement(f, product=element, matrix=WALL_PLACEMENT)
    return element


@pytest.mark.parametrize(
    ("at", "size", "net_m3", "without_boolean"),
    [
        ((2.0, 0.0, 0.0), (1.0, 1.0, 1.0), 9.0, True),  # beside the L, touching its x = 2 face
        ((5.0, 5.0, 5.0), (1.0, 1.0, 1.0), 9.0, True),  # far away
        ((1.2, 1.2, 0.0), (0.5, 0.5, 1.0), 9.0, True),  # in the L's corner notch: inside its box
        ((0.2, 0.2, 0.0), (0.5, 0.5, 1.0), 9.0 - 0.25, False),  # a pocket cutting 0.5 x 0.5 x 1 m out
    ],
)
def test_an_opening_that_does_not_reach_a_bodys_box_cuts_nothing_whatever_the_bodys_shape(
    at, size, net_m3, without_boolean
):
    # Revit gives wall-hosted furniture openings beside it: the engine's boolean would change nothing.
    # An L-shaped body is not convex: an opening inside its box is measured without the boolean only
    # where it passes through it (the notch, where it shares nothing); a pocket is the engine's to cut
    f, ctx = new_model()
    element = _l_shaped_element(f, ctx)
    _opening(f, ctx, element, "O", at, size)
    measured = net_volumes(f, [element], FAST_LIBRARY, 1, lambda: None)
    assert (element.id() in measured) is without_boolean
    if without_boolean:
        assert measured[element.id()].volume_m3 == pytest.approx(net_m3, rel=1e-12)
    shape = ifcopenshell.geom.create_shape(engine_settings(True), element)
    verts = np.frombuffer(shape.geometry.verts_buffer, dtype=np.float64).reshape(-1, 3)
    faces = np.frombuffer(shape.geometry.faces_buffer, dtype=np.int32).reshape(-1, 3)
    assert measure_mesh(verts, faces).volume_m3 == pytest.approx(net_m3, rel=1e-9)  # the engine agrees
    assert compute_volumes(f, [element])[element.id()].volume_m3 == pytest.approx(net_m3, rel=1e-9)


def _engine_measures(element, net_m3: float) -> None:
    """The engine's own boolean and the take-off's geometry both give ``net_m3`` for the element."""
    shape = ifcopenshell.geom.create_shape(engine_settings(True), element)
    verts = np.frombuffer(shape.geometry.verts_buffer, dtype=np.float64).reshape(-1, 3)
    faces = np.frombuffer(shape.geometry.faces_buffer, dtype=np.int32).reshape(-1, 3)
    assert measure_mesh(verts, faces).volume_m3 == pytest.approx(net_m3, rel=1e-9)
    assert compute_volumes(element.file, [element])[element.id()].volume_m3 == pytest.approx(net_m3, rel=1e-9)


def test_openings_through_an_l_shaped_wall_are_measured_without_the_boolean_as_the_engine_cuts_them():
    # a window 0.5 x 1 m through the 1 m leg (drawn 1.2 m deep) and a door 0.6 x 2 m through the other
    # leg: 9 - 0.5 - 1.2 = 7.3 m3, though the L is not convex
    f, ctx = new_model()
    element = _l_shaped_element(f, ctx)
    _opening(f, ctx, element, "Window", (1.2, -0.1, 1.0), (0.5, 1.2, 1.0))
    _opening(f, ctx, element, "Door", (-0.1, 1.2, 0.0), (1.2, 0.6, 2.0))
    measured = net_volumes(f, [element], FAST_LIBRARY, 1, lambda: None)
    assert measured[element.id()].volume_m3 == pytest.approx(9.0 - 0.5 - 1.2, rel=1e-12)
    _engine_measures(element, 9.0 - 0.5 - 1.2)


def test_openings_overlapping_inside_an_l_shaped_wall_go_to_the_engine_which_cuts_their_union_once():
    # two 0.5 x 1 m windows through the 1 m leg at x 1.0..1.5 and 1.3..1.8: the union is 0.8 x 1 m,
    # 0.8 m3 of the L, not 1.0
    f, ctx = new_model()
    element = _l_shaped_element(f, ctx)
    _opening(f, ctx, element, "A", (1.0, -0.1, 1.0), (0.5, 1.2, 1.0))
    _opening(f, ctx, element, "B", (1.3, -0.1, 1.0), (0.5, 1.2, 1.0))
    assert net_volumes(f, [element], FAST_LIBRARY, 1, lambda: None) == {}
    _engine_measures(element, 9.0 - 0.8)


def test_a_countertop_with_a_rounded_sink_hole_is_measured_within_a_ten_thousandth():
    # duplex's counter top: an L-shaped section of 0.0269355 m2 (below) 3 m long, with a sink hole
    # 0.4062 x 0.4034 m, its corners rounded at r = 0.0508 m, through its 0.04 m thick top. On paper:
    # 0.0269355 * 3 - (0.4062 * 0.4034 - (4 - pi) * 0.0508^2) * 0.04 = 0.0743406 m3. The engine facets
    # the hole's arcs: finer when it cuts them (3.7e-5 of the volume from paper) than when it
    # triangulates the opening alone, which the cut without the boolean measures (1.1e-4: the hole
    # 0.13 % smaller than drawn). Its carbon moves by a hundredth of a percent
    model = read_model(sample("duplex.ifc"))
    top = model.ifc.by_guid("2OBrcmyk58NupXoVOHUvq$")
    section = [
        (-0.0605333333335195, -0.2146833333333333),
        (0.08106666666703725, -0.2146833333333333),
        (0.08106666666703725, -0.1956333333333329),
        (-0.02053333333351722, -0.1956333333333329),
        (-0.02053333333351722, 0.4103166666666662),
        (-0.0605333333335195, 0.4103166666666662),
    ]
    following = section[1:] + section[:1]
    area_m2 = 0.5 * abs(sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(section, following, strict=True)))
    on_paper_m3 = area_m2 * 3.0 - (0.4062 * 0.4034 - (4 - math.pi) * 0.0508**2) * 0.04
    measured = net_volumes(model.ifc, [top], FAST_LIBRARY, 1, lambda: None)[top.id()].volume_m3
    assert measured == pytest.approx(on_paper_m3, rel=2e-4)
    assert _engine_net_m3(model, top.GlobalId) == pytest.approx(on_paper_m3, rel=1e-4)


def _box_opening(f, ctx, element, low_m: tuple[float, float, float], size_m: tuple[float, float, float]):
    """A box opening in ``element`` from ``low_m`` (world axes), ``size_m`` (x, y, z)."""
    opening = ifcopenshell.api.root.create_entity(f, ifc_class="IfcOpeningElement", name="Shaft")
    rep = ifcopenshell.api.geometry.add_wall_representation(
        f, context=ctx["body"], length=size_m[0], height=size_m[2], thickness=size_m[1]
    )
    ifcopenshell.api.geometry.assign_representation(f, product=opening, representation=rep)
    placement = np.eye(4)
    placement[:3, 3] = low_m
    ifcopenshell.api.geometry.edit_object_placement(f, product=opening, matrix=placement)
    ifcopenshell.api.feature.add_feature(f, feature=opening, element=element)


@pytest.mark.parametrize(
    ("wrong_way", "low", "net_m3", "flags"),
    [
        # a 0.5 x 0.5 m shaft through the 5.06 x 2.66 x 0.05 m ceiling: 0.67298 - 0.0125 = 0.66048 m3
        ((), (13.0, 5.0, 2.6), 0.67298 - 0.5 * 0.5 * 0.05, []),
        # the ceiling's faces wound every which way, the opening beside it (Revit's furniture): whole,
        # re-wound as it is without openings
        ((1, 3), (20.0, 5.0, 2.6), 0.67298, ["mesh_reoriented"]),
    ],
)
def test_a_body_written_face_by_face_with_openings_is_read_from_the_file_not_the_engine(
    monkeypatch, wrong_way, low, net_m3, flags
):
    from builders import add_surface_model_ceiling

    from bimcarbon.ifc import openings

    f, ctx = new_model()
    ceiling = add_surface_model_ceiling(f, ctx, wrong_way=wrong_way)
    _box_opening(f, ctx, ceiling, low, (0.5, 0.5, 0.2))
    asked = []
    engine = openings._meshes
    monkeypatch.setattr(
        openings, "_meshes", lambda ifc, elements, *a: asked.extend(elements) or engine(ifc, elements, *a)
    )
    library = FAST_LIBRARY if not wrong_way else "opencascade"
    measured = net_volumes(f, [ceiling], library, 1, lambda: None)[ceiling.id()]
    assert ceiling not in asked  # only its opening went to the engine
    assert measured.volume_m3 == pytest.approx(net_m3, rel=1e-12)
    assert [flag for flag in flags if flag in measured.flags] == flags
    assert compute_volumes(f, [ceiling])[ceiling.id()].volume_m3 == pytest.approx(net_m3, rel=1e-12)


def _stretched(f, element, ratios: tuple[float, float, float]) -> None:
    """Write the element's extrusion along ``ratios`` instead (same direction, another length)."""
    solid = next(
        i for r in element.Representation.Representations for i in r.Items if i.is_a("IfcExtrudedAreaSolid")
    )
    solid.ExtrudedDirection = f.create_entity("IfcDirection", ratios)


def test_an_extrusion_along_a_direction_not_of_unit_length_is_swept_its_depth():
    # IFC sweeps Depth along the direction whatever its ratios' length; the fast library swept the
    # L-shaped wall (3 m high, 9 m3) 6 m along (0, 0, 2), and a window 1 m high through its 1 m leg
    # 2 m along (0, 0, 2): 9 - 0.5 = 8.5 m3 both ways, not 18 m3 or 8.0 m3
    from bimcarbon.ifc.extrusions import stretched_elements

    f, ctx = new_model()
    element = _l_shaped_element(f, ctx)
    _stretched(f, element, (0.0, 0.0, 2.0))
    assert compute_volumes(f, [element], subtract_openings=False)[element.id()].volume_m3 == pytest.approx(
        9.0
    )
    f, ctx = new_model()
    element = _l_shaped_element(f, ctx)
    window = _opening(f, ctx, element, "Window", (1.2, -0.1, 1.0), (0.5, 1.2, 1.0))
    _stretched(f, window, (0.0, 0.0, 2.0))
    assert stretched_elements(f) == {element.id()}  # the element cut by it, not the opening
    assert compute_volumes(f, [element])[element.id()].volume_m3 == pytest.approx(8.5, rel=1e-9)


def test_no_public_sample_has_a_stretched_extrusion():
    from bimcarbon.ifc.extrusions import stretched_elements

    for name in ("duplex.ifc", "AC20-FZK-Haus.ifc", "SampleHouse4.ifc", "GEELEN-Breedplaat V1.ifc"):
        assert stretched_elements(read_model(sample(name)).ifc) == frozenset(), name


def test_an_opening_whose_mesh_is_not_closed_is_left_to_the_engine():
    # a box opening written as a surface model without its far end: its planes bound no solid on that
    # side, which would have cut the L-shaped wall as a prism running on for ever
    f, ctx = new_model()
    element = _l_shaped_element(f, ctx)
    corners = [(x, y, z) for z in (1.0, 2.0) for x, y in ((1.2, -0.5), (1.7, -0.5), (1.7, 0.5), (1.2, 0.5))]
    points = [f.create_entity("IfcCartesianPoint", c) for c in corners]
    quads = [[0, 3, 2, 1], [4, 5, 6, 7], [0, 1, 5, 4], [1, 2, 6, 5], [3, 0, 4, 7]]  # no +y face [2, 3, 7, 6]
    faces = [
        f.create_entity(
            "IfcFace",
            [
                f.create_entity(
                    "IfcFaceOuterBound", f.create_entity("IfcPolyLoop", [points[i] for i in q]), True
                )
            ],
        )
        for q in quads
    ]
    shell = f.create_entity("IfcOpenShell", faces)
    body = f.create_entity(
        "IfcShapeRepresentation",
        ctx["body"],
        "Body",
        "SurfaceModel",
        [f.create_entity("IfcShellBasedSurfaceModel", [shell])],
    )
    opening = ifcopenshell.api.root.create_entity(f, ifc_class="IfcOpeningElement", name="Open")
    ifcopenshell.api.geometry.assign_representation(f, product=opening, representation=body)
    ifcopenshell.api.geometry.edit_object_placement(f, product=opening, matrix=WALL_PLACEMENT)
    ifcopenshell.api.feature.add_feature(f, feature=opening, element=element)
    assert net_volumes(f, [element], FAST_LIBRARY, 1, lambda: None) == {}
