"""The gross floor area every per-m2 figure is divided by: where it comes from, and when there is none.

Synthetic models reproduce the faults seen on real exports (no quantities on 99 spaces, a finish slab
on a structural slab, a corbel typed FLOOR, stairs typed FLOOR); every number is checked on paper.
"""

from __future__ import annotations

import json
import re

import ifcopenshell
import ifcopenshell.api.aggregate
import ifcopenshell.api.geometry
import ifcopenshell.api.material
import ifcopenshell.api.root
import ifcopenshell.api.spatial
import numpy as np
import pandas as pd
import pytest
import yaml
from builders import add_layered_wall, add_slab, new_model
from conftest import sample
from typer.testing import CliRunner

from bimcarbon.assess import assess
from bimcarbon.cli import app
from bimcarbon.floor_area import Estimate, first_plausible, floor_area_from_slabs, implausibly_small
from bimcarbon.ifc import read_model
from bimcarbon.ifc.areas import gross_floor_area
from bimcarbon.plan_area import (
    floor_levels,
    mesh_plan_area_m2,
    plan_union,
    projected_triangles,
    union_area_m2,
)
from bimcarbon.takeoff import take_off

runner = CliRunner()

# --- synthetic models --------------------------------------------------------------------------------


def _place(f, product, x=0.0, y=0.0, z=0.0, tilt_deg=0.0):
    """Move the product to (x, y, z), tilted ``tilt_deg`` about the Y axis (its +X end rising)."""
    matrix = np.eye(4)
    angle = np.radians(tilt_deg)
    matrix[:3, :3] = [[np.cos(angle), 0, -np.sin(angle)], [0, 1, 0], [np.sin(angle), 0, np.cos(angle)]]
    matrix[:3, 3] = (x, y, z)
    ifcopenshell.api.geometry.edit_object_placement(f, product=product, matrix=matrix)


def _storey(f, ctx, name, elevation_m):
    storey = ifcopenshell.api.root.create_entity(f, ifc_class="IfcBuildingStorey", name=name)
    storey.Elevation = elevation_m
    building = f.by_type("IfcBuilding")[0]
    ifcopenshell.api.aggregate.assign_object(f, products=[storey], relating_object=building)
    return storey


def _space(f, ctx, storey, name, length_m, width_m, z_m=0.0, height_m=3.0, **attributes):
    """A length x width x height box space aggregated into the storey, with no quantities."""
    space = ifcopenshell.api.root.create_entity(f, ifc_class="IfcSpace", name=name)
    for key, value in attributes.items():
        setattr(space, key, value)
    outline = [(0.0, 0.0), (length_m, 0.0), (length_m, width_m), (0.0, width_m)]
    rep = ifcopenshell.api.geometry.add_slab_representation(
        f, context=ctx["body"], depth=height_m, polyline=outline
    )
    ifcopenshell.api.geometry.assign_representation(f, product=space, representation=rep)
    _place(f, space, z=z_m)
    ifcopenshell.api.aggregate.assign_object(f, products=[space], relating_object=storey)
    return space


def _floor_slab(f, ctx, name, length_m, width_m, depth_m, x=0.0, y=0.0, z=0.0, kind="FLOOR", tilt_deg=0.0):
    """A slab of the given SI size whose bottom is at z (its top at z + depth), typed ``kind``."""
    slab = add_slab(f, ctx, length_m, width_m, depth_m)
    slab.Name = name
    slab.PredefinedType = kind
    _place(f, slab, x, y, z, tilt_deg)
    return slab


def _write(f, path):
    f.write(str(path))
    return path


def _floor_area(path):
    model = read_model(path)
    return gross_floor_area(model, take_off(model, "auto").table)


def two_storeys_of_spaces(path, schema="IFC4"):
    """Two storeys, one 10 x 8 m space on each, no quantities anywhere: 2 x 80 = 160 m2."""
    f, ctx = new_model("m", schema)
    first = _storey(f, ctx, "First floor", 3.0)
    _space(f, ctx, ctx["storey"], "Office 1", 10.0, 8.0, z_m=0.0)
    _space(f, ctx, first, "Office 2", 10.0, 8.0, z_m=3.0)
    return _write(f, path)


def finish_on_structural_slab_with_corbel(path):
    """A 10 x 8 x 0.2 m structural slab (bottom at 0), a 10 x 8 x 0.05 m finish slab on it (bottom at
    0.2), and a 0.3 x 0.3 x 0.3 m corbel typed FLOOR under a corner of it (bottom at -0.3)."""
    f, ctx = new_model()
    _floor_slab(f, ctx, "Structural slab", 10.0, 8.0, 0.2)
    _floor_slab(f, ctx, "Finish screed", 10.0, 8.0, 0.05, z=0.2)
    _floor_slab(f, ctx, "Corbel", 0.3, 0.3, 0.3, x=9.7, z=-0.3)
    return _write(f, path)


def corbel_only(path):
    """One 0.3 x 0.3 x 0.3 m concrete corbel typed FLOOR and nothing else: 0.09 m2 of 'floor'."""
    f, ctx = new_model()
    _floor_slab(f, ctx, "Corbel", 0.3, 0.3, 0.3)
    return _write(f, path)


# --- the order of sources ----------------------------------------------------------------------------


def test_spaces_without_quantities_give_their_geometric_footprint(tmp_path):
    # the Revit office whose 99 spaces carry no quantities: 2 spaces x 10 m x 8 m = 160 m2
    area, source = _floor_area(two_storeys_of_spaces(tmp_path / "spaces.ifc"))
    assert area == pytest.approx(160.0)
    assert source == "IfcSpace geometry: footprint of 2 spaces on 2 storeys"


def test_external_spaces_of_an_ifc2x3_model_are_not_floor_area(tmp_path):
    # IFC2X3 says EXTERNAL in InteriorOrExteriorSpace (no PredefinedType): 2 x 80 = 160 m2, the 5 x 5
    # m terrace left out
    f, ctx = new_model("m", "IFC2X3")
    first = _storey(f, ctx, "First floor", 3.0)
    _space(f, ctx, ctx["storey"], "Office 1", 10.0, 8.0, InteriorOrExteriorSpace="INTERNAL")
    _space(f, ctx, first, "Office 2", 10.0, 8.0, z_m=3.0, InteriorOrExteriorSpace="INTERNAL")
    _space(f, ctx, first, "Terrace", 5.0, 5.0, z_m=3.0, InteriorOrExteriorSpace="EXTERNAL")
    area, source = _floor_area(_write(f, tmp_path / "terrace.ifc"))
    assert area == pytest.approx(160.0)
    assert "2 spaces" in source


def test_a_finish_slab_on_a_structural_slab_and_a_corbel_count_once(tmp_path):
    # tops at 0.25, 0.2 and 0.0 m: one level; union of 10 x 8, 10 x 8 and a 0.3 x 0.3 inside = 80 m2,
    # not 80 + 80 + 0.09
    area, source = _floor_area(finish_on_structural_slab_with_corbel(tmp_path / "slabs.ifc"))
    assert area == pytest.approx(80.0)
    assert source.startswith("proxy: floor slabs' plan footprint (union of 3 FLOOR/BASESLAB slabs on 1 level")


def test_floors_at_two_heights_in_one_storey_both_count(tmp_path):
    # some exporters put every part in one storey: slabs with tops at 0.2 and 3.2 m are two levels,
    # 2 x 10 x 8 = 160 m2
    f, ctx = new_model()
    _floor_slab(f, ctx, "Ground floor", 10.0, 8.0, 0.2)
    _floor_slab(f, ctx, "First floor", 10.0, 8.0, 0.2, z=3.0)
    area, source = _floor_area(_write(f, tmp_path / "one_storey.ifc"))
    assert area == pytest.approx(160.0)
    assert "on 2 level(s)" in source


def test_a_sloped_slab_typed_floor_is_a_stair_or_ramp_not_a_floor(tmp_path):
    # a 10 x 8 floor and a 4 m x 1.2 m flight sloped 30 degrees: it rises 4 sin 30 = 2 m, more than
    # 1 m above its thickness; only the floor counts: 80 m2
    f, ctx = new_model()
    _floor_slab(f, ctx, "Floor", 10.0, 8.0, 0.2)
    flight = _floor_slab(f, ctx, "Flight", 4.0, 1.2, 0.2, x=20.0, tilt_deg=30.0)
    area, source = _floor_area(_write(f, tmp_path / "flight.ifc"))
    assert area == pytest.approx(80.0)
    assert "1 sloped or stepped (stair flight, ramp) left out, e.g. IfcSlab 'Flight' " in source
    assert f"(GlobalId {flight.GlobalId})" in source


def test_a_corbel_alone_is_no_floor_area_and_the_assessment_asks_for_one(tmp_path):
    # 0.3 x 0.3 = 0.09 m2 from geometry and from the take-off: both under 10 m2
    model = corbel_only(tmp_path / "corbel.ifc")
    energy = tmp_path / "energy.yaml"
    energy.write_text(yaml.safe_dump({"building_type": "public", "annual": {"electricity_kwh": 1000}}))
    out = tmp_path / "assessment.json"
    result = runner.invoke(app, ["assess", str(model), "--energy", str(energy), "--json", str(out)])
    assert result.exit_code == 0, result.output
    a = json.loads(out.read_text())
    assert a["floor_area"]["value_m2"] is None
    source = a["floor_area"]["source"]
    assert source.startswith("not found:")
    assert "largest candidate 0.09 m2 (largest part IfcSlab 'Corbel'" in source
    assert source.endswith("is implausibly small: under 10 m2")
    assert a["embodied_intensity_kg_per_m2"] is None
    assert a["annualised_embodied_kg_per_m2a"] is None
    for mode in ("without_embodied", "with_embodied"):
        assert all(value is None for value in a[mode]["metrics"].values())
    assert any("no floor area" in w and "gross_floor_area_m2" in w for w in a["warnings"])
    assert a["embodied"]["a1_a3"] > 0  # the carbon is still there, only per m2 figures are not


def test_the_energy_file_overrides_every_model_source(tmp_path):
    # 500 m2 from the energy file, although the spaces give 160 m2
    model = two_storeys_of_spaces(tmp_path / "spaces.ifc")
    energy = tmp_path / "energy.yaml"
    energy.write_text(yaml.safe_dump({"building_type": "public", "gross_floor_area_m2": 500.0}))
    a = assess(model, energy).assessment
    assert a.floor_area.value_m2 == 500.0
    assert a.floor_area.source == "energy file (gross_floor_area_m2)"
    assert a.embodied_intensity_kg_per_m2 == pytest.approx(a.embodied.embodied_total / 500.0)


def test_the_floor_area_survives_the_take_off_cache(tmp_path):
    model = corbel_only(tmp_path / "corbel.ifc")
    first = assess(model, cache_dir=tmp_path / "cache").assessment.floor_area
    second = assess(model, cache_dir=tmp_path / "cache").assessment.floor_area
    assert first == second and first.value_m2 is None


def test_the_stairs_only_sample_has_no_floor_area():
    # MULTICOM-trappen+bordessen: 6 stair flights and 12 stringers typed FLOOR; the take-off's largest
    # "floor slab" was 0.26 m2, which made every per-m2 figure absurd
    area, source = _floor_area(sample("MULTICOM-trappen+bordessen.ifc"))
    assert area is None
    assert "18 sloped or stepped (stair flight, ramp) left out" in source
    assert "implausibly small: under 10 m2" in source


# --- the plausibility rule ---------------------------------------------------------------------------


def test_a_slab_under_a_twentieth_of_the_building_plan_is_not_its_floor_area(tmp_path):
    # walls placed at x = 0 and 100 m, y = 0 and 60 m: the placements span about 100 x 60 = 6000 m2
    # (5th-95th percentile); a 5 x 4 = 20 m2 landing typed FLOOR is 0.3 % of it
    f, ctx = new_model()
    for x, y in ((0, 0), (100, 0), (0, 60), (100, 60)):
        _place(f, add_layered_wall(f, ctx, with_qto=False), x, y)
    _floor_slab(f, ctx, "Landing", 5.0, 4.0, 0.2)
    area, source = _floor_area(_write(f, tmp_path / "landing.ifc"))
    assert area is None
    assert "under 5% of the building's plan extent" in source


def test_the_plausibility_rule_on_paper():
    assert implausibly_small(9.99, None) == "under 10 m2"
    assert implausibly_small(10.0, None) is None
    assert implausibly_small(49.0, 1000.0).startswith("under 5% of the building's plan extent of 1,000 m2")
    assert implausibly_small(50.0, 1000.0) is None


def test_an_implausible_estimate_is_set_aside_for_the_next_one():
    calls = []

    def small():
        calls.append("small")
        return Estimate(4.0, "spaces", "IfcSpace 'Cupboard', 4.00 m2")

    def good():
        calls.append("good")
        return Estimate(120.0, "proxy: slabs")

    def never():
        calls.append("never")
        return Estimate(1.0, "unused")

    area, source = first_plausible([small, good, never], lambda: None)
    assert area == 120.0 and calls == ["small", "good"]  # computed only as far as needed
    assert source == "proxy: slabs; spaces (4.00 m2) set aside: implausibly small, under 10 m2"


# --- plan-area arithmetic ----------------------------------------------------------------------------


def _box(x0, y0, z0, x1, y1, z1):
    """A closed box as 8 vertices and 12 triangles."""
    verts = np.array([(x, y, z) for z in (z0, z1) for y in (y0, y1) for x in (x0, x1)], dtype=float)
    quads = [(0, 1, 3, 2), (4, 6, 7, 5), (0, 4, 5, 1), (2, 3, 7, 6), (0, 2, 6, 4), (1, 5, 7, 3)]
    faces = np.array([t for a, b, c, d in quads for t in ((a, b, c), (a, c, d))])
    return verts, faces


def test_the_footprint_of_a_box_is_half_its_projected_surface_whatever_the_winding():
    verts, faces = _box(0, 0, 0, 10, 8, 3)
    assert mesh_plan_area_m2(verts, faces) == pytest.approx(80.0)  # (80 top + 80 bottom + 0 sides) / 2
    flipped = faces.copy()
    flipped[::2] = flipped[::2, ::-1]  # every other triangle wound the other way
    assert mesh_plan_area_m2(verts, flipped) == pytest.approx(80.0)
    far = verts + (4.5e5, 2.6e6, 0.0)  # georeferenced coordinates
    assert mesh_plan_area_m2(far, faces) == pytest.approx(80.0, abs=1e-6)


def test_overlapping_bodies_cover_their_union():
    # 10 x 8 and 10 x 8 shifted 5 m in x: 80 + 80 - 5 x 8 = 120 m2
    a = plan_union([projected_triangles(*_box(0, 0, 0, 10, 8, 0.2))])
    b = plan_union([projected_triangles(*_box(5, 0, 0.2, 15, 8, 0.25))])
    assert a.area == pytest.approx(80.0)
    assert union_area_m2([a, b]) == pytest.approx(120.0)


def test_one_side_of_a_consistently_wound_body_covers_its_whole_shadow():
    # a 10 x 8 m base whose top is 8 x 8 m (the +x side slopes): the shadow is the base's 80 m2, not the
    # top's 64. One side of the mesh is the base (2 triangles), the other the top and the sloped side
    # (4); either covers the 80 m2, whichever way the whole mesh is wound
    verts, faces = _box(0, 0, 0, 10, 8, 1)
    verts[[5, 7], 0] = 8.0  # the top's +x corners moved in
    sides = [projected_triangles(verts, wound, one_side=True) for wound in (faces, faces[:, ::-1])]
    assert sorted(len(side) for side in sides) == [2, 4]
    assert [plan_union([side]).area for side in sides] == pytest.approx([80.0, 80.0])
    assert plan_union([projected_triangles(verts, faces)]).area == pytest.approx(80.0)


def test_floor_slabs_measured_by_the_take_off_are_not_triangulated_again(tmp_path, monkeypatch):
    # the three slabs of finish_on_structural_slab_with_corbel: their meshes were kept by the take-off
    import bimcarbon.ifc.footprints as footprints

    model = read_model(finish_on_structural_slab_with_corbel(tmp_path / "slabs.ifc"))
    take_off(model)
    asked = []
    original = footprints.element_meshes

    def recording(ifc, elements, subtract_openings=False):
        asked.extend(elements)
        return original(ifc, elements, subtract_openings)

    monkeypatch.setattr(footprints, "element_meshes", recording)
    kept = footprints.floor_area_from_slab_geometry(model)
    assert asked == []
    model.kept_meshes = None  # as before the take-off: the engine triangulates them
    again = footprints.floor_area_from_slab_geometry(model)
    assert len(asked) == 3
    assert kept.area_m2 == pytest.approx(80.0) and again.area_m2 == pytest.approx(80.0)
    assert kept.source == again.source


def test_a_slab_mesh_the_fast_library_spoilt_is_not_kept_for_its_footprint(tmp_path, monkeypatch):
    # the fast library's mesh of the 10 x 8 x 0.2 m floor slab comes back with coordinates that are not
    # numbers (as element_meshes guards against): the take-off measures it again with OpenCASCADE
    # (16 m3), and its plan footprint must be OpenCASCADE's too: 80 m2, not "no flat measurable body"
    from bimcarbon.ifc import footprints, geometry

    f, ctx = new_model("m")
    _floor_slab(f, ctx, "Floor", 10.0, 8.0, 0.2)
    model = read_model(_write(f, tmp_path / "slab.ifc"))
    original = geometry.shapes

    class Spoilt:
        def __init__(self, shape):
            self.id, self.transformation, mesh = shape.id, shape.transformation, shape.geometry
            self.geometry = type("Mesh", (), {})()
            self.geometry.id, self.geometry.faces_buffer = mesh.id, mesh.faces_buffer
            self.geometry.item_ids_buffer = mesh.item_ids_buffer
            self.geometry.verts_buffer = np.full(len(mesh.verts_buffer) // 8, np.nan).tobytes()

    def spoilt_by_the_fast_library(ifc, elements, settings, library, *args):
        for shape in original(ifc, elements, settings, library, *args):
            yield Spoilt(shape) if library == geometry.FAST_LIBRARY else shape

    monkeypatch.setattr(geometry, "shapes", spoilt_by_the_fast_library)
    table = take_off(model, "always").table
    assert table["volume_m3"].tolist() == pytest.approx([16.0])
    assert footprints.floor_area_from_slab_geometry(model).area_m2 == pytest.approx(80.0)


def test_tops_within_half_a_metre_are_one_level():
    assert floor_levels([0.25, 3.2, 0.2, 0.0, 6.2], 0.5) == [0, 1, 0, 0, 2]


def test_the_take_off_proxy_names_the_largest_slab():
    table = pd.DataFrame(
        {
            "ifc_class": ["IfcSlab", "IfcSlab", "IfcWall"],
            "predefined_type": ["FLOOR", "FLOOR", None],
            "storey": ["GF", "GF", "GF"],
            "step_id": [1, 2, 3],
            "global_id": ["A", "B", "C"],
            "element_name": ["Screed", "Slab", "Wall"],
            "area_m2": [None, 80.0, 30.0],
            "volume_m3": [0.4, 16.0, 9.6],  # screed: 0.4 m3 / 0.05 m = 8 m2
            "layer_thickness_m": [0.05, 0.2, 0.32],
        }
    )
    estimate = floor_area_from_slabs(table)
    assert estimate.area_m2 == 80.0
    assert estimate.largest == "IfcSlab 'Slab' (GlobalId B), 80.00 m2"


def test_where_the_floor_area_came_from_reads_in_chinese_with_its_figures():
    """Each phrase of a floor-area source, as the estimators write it, in the Chinese workbook."""
    from bimcarbon.report.workbook.floor_area_zh import floor_area_source_zh

    slabs = pd.DataFrame(
        {
            "ifc_class": ["IfcSlab"] * 2,
            "predefined_type": ["FLOOR"] * 2,
            "storey": ["Level 1", "Level 2"],
            "element_name": ["Landing", "Landing"],
            "global_id": ["a", "b"],
            "step_id": [1, 2],
            "area_m2": [1.5, 2.0],
            "volume_m3": [0.3, 0.4],
            "layer_thickness_m": [None, None],
        }
    )
    area, source = first_plausible(
        [lambda: Estimate(None, "no IfcSlab of type FLOOR or BASESLAB with geometry"),
         lambda: floor_area_from_slabs(slabs)],
        lambda: None,
        ["no IfcBuildingStorey", "0 of 3 IfcSpace carry a GrossFloorArea"],
    )  # fmt: skip
    assert area is None  # 1.5 + 2.0 = 3.5 m2 is implausibly small
    zh = floor_area_source_zh(source)
    assert zh.startswith("未找到:无 IfcBuildingStorey;3 个 IfcSpace 中仅 0 个给出 GrossFloorArea;")
    assert "估算值:2 个楼层各取最大一块楼板(FLOOR/BASESLAB)之和" in zh and ":3.50 m²" in zh
    assert "最大候选值 3.50 m²" in zh and "过小:小于" in zh
    # nothing English is left but IFC names and the model's own names
    left = re.sub(r"Ifc\w+|GrossFloorArea|FLOOR|BASESLAB|'Landing'|GlobalId \w+", "", zh)
    assert not re.search(r"[A-Za-z]{3,}", left), left
