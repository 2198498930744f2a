"""Exported volumes are checked against the geometry by default: a few elements of every group (IFC
class x quantity), more when they disagree, and a group that disagrees loses its exported volumes.

The faults are the ones seen on real exports: Revit slabs whose GrossVolume is 1000 x their geometry
(the public SampleHouse4.ifc), and a feet export whose every wall has the placeholder GrossVolume 1.0 ft3.
"""

from __future__ import annotations

import json

import ifcopenshell
import ifcopenshell.api.pset
import pandas as pd
import pytest
from builders import add_layered_wall, add_slab, new_model, small_building
from typer.testing import CliRunner

from bimcarbon.cli import app
from bimcarbon.ifc import read_model
from bimcarbon.quantity_check import Exported, check_exported_volumes, pick_spread, unverified_warning
from bimcarbon.takeoff import take_off

runner = CliRunner()


class FakeGeometry:
    """Geometry volumes by index, recording what was asked for."""

    def __init__(self, volumes: dict[int, float | None]) -> None:
        self.volumes = volumes
        self.calls: list[tuple[list[int], bool]] = []

    def __call__(self, indices: list[int], net: bool) -> dict[int, float | None]:
        self.calls.append((list(indices), net))
        return {i: self.volumes.get(i) for i in indices}

    def measured(self) -> list[int]:
        return [i for indices, _ in self.calls for i in indices]


def _walls(exported: list[float], source: str = "Qto_WallBaseQuantities.NetVolume") -> list[Exported]:
    return [Exported(i, "IfcWall", source, v, "net") for i, v in enumerate(exported)]


def test_a_group_that_agrees_is_measured_on_three_elements_only_and_keeps_its_exports():
    # 20 walls of 1..20 m3, geometry within 1 %
    walls = _walls([float(v) for v in range(1, 21)])
    geometry = FakeGeometry({w.index: w.volume_m3 * 1.01 for w in walls})
    outcome = check_exported_volumes(walls, geometry, "sample", 0.05)
    # the smallest, the middle and the largest exported volume
    assert sorted(geometry.measured()) == [0, 10, 19]
    assert outcome.rejected == {}
    (finding,) = outcome.groups
    assert (finding.elements, finding.measured, finding.mismatched, finding.rejected) == (20, 3, 0, False)
    assert finding.median_ratio == pytest.approx(1 / 1.01)


def test_a_group_exported_1000_times_too_large_is_rejected_whole_with_its_median_ratio():
    walls = _walls([1000.0 * v for v in range(1, 21)])
    geometry = FakeGeometry({w.index: w.volume_m3 / 1000.0 for w in walls})
    outcome = check_exported_volumes(walls, geometry, "sample", 0.05)
    (finding,) = outcome.groups
    # 3 first, then 10 more because they disagreed: the median ratio is 1000
    assert (finding.measured, finding.mismatched, finding.rejected) == (13, 13, True)
    assert finding.median_ratio == pytest.approx(1000.0)
    assert set(outcome.rejected) == set(range(20))
    assert all("qto_group_rejected" in flags for flags in outcome.rejected.values())
    # every element of the group now has its geometry, each measured once
    assert outcome.net_geometry_m3 == {i: float(i + 1) for i in range(20)}
    assert sorted(geometry.measured()) == list(range(20))


def test_one_wrong_element_in_a_group_that_agrees_takes_its_own_geometry_and_spares_the_rest():
    volumes = [float(v) for v in range(1, 21)]
    walls = _walls(volumes)
    truth = {w.index: w.volume_m3 for w in walls}
    truth[19] = 2.0  # the largest export (20 m3) is wrong: its body holds 2 m3
    geometry = FakeGeometry(truth)
    outcome = check_exported_volumes(walls, geometry, "sample", 0.05)
    (finding,) = outcome.groups
    assert (finding.measured, finding.mismatched, finding.rejected) == (13, 1, False)
    assert outcome.rejected == {19: ["qto_geometry_mismatch"]}
    assert outcome.net_geometry_m3[19] == 2.0


def test_the_full_check_measures_every_element_and_the_off_check_none():
    walls = _walls([1.0, 2.0, 3.0, 4.0, 5.0])
    geometry = FakeGeometry({w.index: w.volume_m3 for w in walls})
    assert len(check_exported_volumes(walls, geometry, "full", 0.05).comparisons) == 5
    off = FakeGeometry({})
    assert check_exported_volumes(walls, off, "off", 0.05).comparisons == []
    assert off.calls == []


def test_groups_are_judged_apart_by_class_and_quantity():
    good = _walls([1.0, 2.0, 3.0])
    bad = [Exported(10 + i, "IfcSlab", "BaseQuantities.GrossVolume", 1000.0, "gross") for i in range(3)]
    geometry = FakeGeometry({**{w.index: w.volume_m3 for w in good}, 10: 1.0, 11: 1.0, 12: 1.0})
    outcome = check_exported_volumes(good + bad, geometry, "sample", 0.05)
    assert set(outcome.rejected) == {10, 11, 12}
    assert [(g.ifc_class, g.rejected) for g in outcome.groups] == [("IfcWall", False), ("IfcSlab", True)]


def test_a_gross_export_of_an_element_with_openings_is_compared_with_the_geometry_without_openings():
    wall = Exported(0, "IfcWall", "BaseQuantities.GrossVolume", 9.6, "gross", gross_differs=True)
    # net geometry 8.1 m3 (a 1.5 m3 opening), gross geometry 9.6 m3
    calls = []

    def measure(indices, net):
        calls.append(net)
        return {0: 8.1 if net else 9.6}

    outcome = check_exported_volumes([wall], measure, "sample", 0.05)
    (comparison,) = outcome.comparisons
    assert (comparison.geometry_basis, comparison.geometry_m3, comparison.mismatch) == ("gross", 9.6, False)
    assert calls == [True, False]


def test_samples_are_spread_over_the_exported_volumes_and_never_repeat():
    walls = _walls([5.0, 1.0, 9.0, 3.0, 7.0])
    assert [w.volume_m3 for w in pick_spread(walls, 3, set())] == [1.0, 5.0, 9.0]
    assert [w.volume_m3 for w in pick_spread(walls, 3, {1, 2})] == [3.0, 5.0, 7.0]
    assert pick_spread(walls, 10, set()) == sorted(walls, key=lambda w: w.volume_m3)


def _slabs_with_gross_volume(path, gross_volume_m3: float, count: int = 2):
    """Slabs of 10 x 8 x 0.2 m (16 m3 each) with a Revit-style BaseQuantities.GrossVolume."""
    f, ctx = new_model("m")
    for _ in range(count):
        slab = add_slab(f, ctx)
        qto = ifcopenshell.api.pset.add_qto(f, product=slab, name="BaseQuantities")
        ifcopenshell.api.pset.edit_qto(f, qto=qto, properties={"GrossVolume": gross_volume_m3})
    f.write(str(path))
    return path


def test_revit_slab_volumes_1000_times_their_geometry_are_replaced_by_default(tmp_path):
    model = _slabs_with_gross_volume(tmp_path / "slabs.ifc", 16000.0)
    result = take_off(read_model(model))
    table = result.table
    assert table["volume_m3"].sum() == pytest.approx(2 * 16.0)  # 10 x 8 x 0.2 each, not 32,000
    assert (table["quantity_source"] == "geometry").all()
    assert table["flags"].str.contains("qto_group_rejected").all()
    (warning,) = [w for w in result.warnings if w.startswith("quantity check")]
    assert "IfcSlab x BaseQuantities.GrossVolume" in warning
    assert "median exported/geometry 1000 over 2 measured of 2 elements" in warning
    assert list(result.checks["export_used"]) == [False, False]


def test_the_check_can_be_turned_off_and_then_says_the_exports_were_not_checked(tmp_path):
    model = _slabs_with_gross_volume(tmp_path / "slabs.ifc", 16000.0)
    result = take_off(read_model(model), quantity_check="off")
    assert result.table["volume_m3"].sum() == pytest.approx(32000.0)
    assert any("2 exported volumes were not checked" in w for w in result.warnings)
    never = take_off(read_model(model), geometry="never")
    assert never.table["volume_m3"].sum() == pytest.approx(32000.0)
    assert any("not checked against the geometry (--geometry never)" in w for w in never.warnings)


def test_placeholder_wall_volumes_of_one_cubic_foot_are_replaced_by_the_geometry(tmp_path):
    # a feet export: every wall's BaseQuantities.GrossVolume is 1.0 ft3 = 0.0283 m3; each wall is
    # 10 x 3 x 0.32 m = 9.6 m3, so 4 walls are 38.4 m3, not 0.113 m3
    f, ctx = new_model("ft")
    for _ in range(4):
        wall = add_layered_wall(f, ctx, with_qto=False)
        qto = ifcopenshell.api.pset.add_qto(f, product=wall, name="BaseQuantities")
        ifcopenshell.api.pset.edit_qto(f, qto=qto, properties={"GrossVolume": 1.0})
    f.write(str(tmp_path / "feet.ifc"))
    out = tmp_path / "t.json"
    result = runner.invoke(app, ["takeoff", str(tmp_path / "feet.ifc"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    rows = json.loads(out.read_text())["rows"]
    assert sum(r["volume_m3"] for r in rows) == pytest.approx(4 * 9.6)
    assert all("qto_group_rejected" in r["flags"] for r in rows)
    assert "IfcWall x BaseQuantities.GrossVolume" in result.stdout
    assert "median exported/geometry 0.00295" in result.stdout  # 0.028316846592 / 9.6


def test_exports_that_agree_with_the_geometry_are_kept_and_the_check_is_reported(tmp_path):
    model = small_building(tmp_path / "building.ifc")  # W1 NetVolume 9.6 m3 = its geometry
    result = take_off(read_model(model))
    wall = result.table[result.table["element_name"] == "W1"]
    assert wall["quantity_source"].str.startswith("Qto_WallBaseQuantities.NetVolume").all()
    (check,) = result.checks.to_dict("records")
    assert check["stage"] == "sample" and check["export_used"] and not check["mismatch"]
    assert check["geometry_volume_m3"] == pytest.approx(9.6)
    assert not any(w.startswith("quantity check") for w in result.warnings)


def test_a_layered_volume_that_disagrees_with_area_times_thickness_is_flagged_with_both_figures(tmp_path):
    # W1 exports NetVolume 12 m3, but its 30 m2 side x 0.32 m of layers is 9.6 m3; with the check off
    # nothing else is measured, so the export is kept, flagged, and the warning gives both figures
    f, ctx = new_model("m")
    wall = add_layered_wall(f, ctx)
    qto = next(d.RelatingPropertyDefinition for d in wall.IsDefinedBy)
    ifcopenshell.api.pset.edit_qto(f, qto=qto, properties={"NetVolume": 12.0})
    f.write(str(tmp_path / "wall.ifc"))
    result = take_off(read_model(tmp_path / "wall.ifc"), quantity_check="off")
    assert result.table["volume_m3"].sum() == pytest.approx(12.0)
    assert result.table["flags"].str.contains("layer_volume_mismatch").all()
    (warning,) = [w for w in result.warnings if "area x total layer thickness" in w]
    assert "12.000 m3 from Qto_WallBaseQuantities.NetVolume against 30.00 m2 x 0.320 m = 9.600 m3: kept" in (
        warning
    )
    # by default the sampled check measures it: its geometry (9.6 m3) replaces the export, and the
    # layers agree with that, so nothing is left to flag
    checked = take_off(read_model(tmp_path / "wall.ifc"))
    assert checked.table["volume_m3"].sum() == pytest.approx(9.6)
    assert not checked.table["flags"].str.contains("layer_volume_mismatch").any()


def test_doors_and_windows_without_an_area_get_overall_height_times_width(tmp_path):
    import ifcopenshell.api.root
    import ifcopenshell.api.spatial

    f, ctx = new_model("mm")
    window = ifcopenshell.api.root.create_entity(f, ifc_class="IfcWindow", name="W-1")
    window.OverallHeight, window.OverallWidth = 1500.0, 1200.0  # mm
    ifcopenshell.api.spatial.assign_container(f, products=[window], relating_structure=ctx["storey"])
    f.write(str(tmp_path / "window.ifc"))
    row = take_off(read_model(tmp_path / "window.ifc")).table.iloc[0]
    assert row["area_m2"] == pytest.approx(1.5 * 1.2)
    assert row["area_source"] == "OverallHeight*OverallWidth"
    assert row["count"] == 1


def test_an_element_whose_body_gives_no_volume_shows_its_bounding_box_as_an_upper_bound(tmp_path):
    from builders import add_surface_model_ceiling

    # a ceiling whose surface model lacks its top face: an open mesh, so no volume; its bounding box,
    # 5.06 x 2.66 x 0.05 m = 0.67298 m3, is shown as an upper bound and not counted
    f, ctx = new_model("m")
    add_surface_model_ceiling(f, ctx, wrong_way=(), left_out=(1,))
    f.write(str(tmp_path / "open.ifc"))
    result = take_off(read_model(tmp_path / "open.ifc"))
    row = result.table.iloc[0]
    assert pd.isna(row["volume_m3"])  # no volume
    assert row["volume_upper_bound_m3"] == pytest.approx(5.06 * 2.66 * 0.05)
    assert {"open_geometry", "no_quantity", "volume_upper_bound"} <= set(row["flags"].split(";"))
    (warning,) = [w for w in result.warnings if "bounding boxes hold at most" in w]
    assert warning.startswith("1 elements with a body have no volume (IfcCovering 1)")
    assert "at most 0.673 m3" in warning


def test_a_group_whose_bodies_give_no_volume_is_said_to_be_unverified_after_measuring_more():
    walls = _walls([float(v) for v in range(1, 21)])
    geometry = FakeGeometry({})  # every body an open mesh: no volume
    outcome = check_exported_volumes(walls, geometry, "sample", 0.05)
    assert len(geometry.measured()) == 13  # 3, then 10 more
    assert outcome.groups == [] and outcome.rejected == {}
    assert outcome.unverified == [("IfcWall", "Qto_WallBaseQuantities.NetVolume", 20)]
    assert unverified_warning(outcome).endswith(
        "kept as exported: IfcWall x Qto_WallBaseQuantities.NetVolume (20)"
    )


def test_volumes_exported_per_layer_are_not_used_once_their_group_is_rejected(tmp_path):
    # 3 walls export NetVolume 9,600 m3 and per-layer volumes 1000 x too large as well; the check
    # rejects the group and the geometry's 9.6 m3 each are split by layer thickness instead
    f, ctx = new_model("m")
    for _ in range(3):
        wall = add_layered_wall(f, ctx, net_volume_m3=9600.0)
        qto = next(d.RelatingPropertyDefinition for d in wall.IsDefinedBy)
        parts = [
            f.create_entity(
                "IfcPhysicalComplexQuantity",
                Name=name,
                HasQuantities=[f.create_entity("IfcQuantityVolume", Name="NetVolume", VolumeValue=v)],
                Discrimination="layer",
            )
            for name, v in (("Concrete C30/37", 6000.0), ("Mineral wool", 3000.0), ("Gypsum plaster", 600.0))
        ]
        qto.Quantities = list(qto.Quantities) + parts
    f.write(str(tmp_path / "layers.ifc"))
    table = take_off(read_model(tmp_path / "layers.ifc")).table
    assert table["volume_m3"].sum() == pytest.approx(3 * 9.6)
    concrete = table[table["material"] == "Concrete C30/37"]
    assert concrete["volume_m3"].tolist() == pytest.approx([6.0] * 3)  # 0.20 / 0.32 of 9.6
    assert concrete["quantity_source"].str.startswith("geometry*layer:thickness_share").all()


def test_an_element_without_a_body_in_a_rejected_group_loses_its_export_too(tmp_path):
    # two measurable slabs and one without a body, all exporting GrossVolume 16,000 m3: the group is
    # rejected on the two, and the third, which nothing can measure, keeps no volume (flagged)
    import ifcopenshell.api.root
    import ifcopenshell.api.spatial

    path = _slabs_with_gross_volume(tmp_path / "slabs.ifc", 16000.0)
    f = ifcopenshell.open(str(path))
    ghost = ifcopenshell.api.root.create_entity(f, ifc_class="IfcSlab", name="ghost")
    qto = ifcopenshell.api.pset.add_qto(f, product=ghost, name="BaseQuantities")
    ifcopenshell.api.pset.edit_qto(f, qto=qto, properties={"GrossVolume": 16000.0})
    ifcopenshell.api.spatial.assign_container(
        f, products=[ghost], relating_structure=f.by_type("IfcBuildingStorey")[0]
    )
    f.write(str(path))
    table = take_off(read_model(path)).table
    row = table[table["element_name"] == "ghost"].iloc[0]
    assert pd.isna(row["volume_m3"]) and row["quantity_source"] == "none"
    assert {"qto_group_rejected", "no_quantity"} <= set(row["flags"].split(";"))
    assert table["volume_m3"].sum() == pytest.approx(2 * 16.0)


def test_with_geometry_always_the_layer_cross_check_flags_but_never_overrides_the_geometry(tmp_path):
    # the export (6.4 m3) and side area x layers (20 m2 x 0.32 m = 6.4 m3) agree with each other, the
    # body holds 10 x 3 x 0.32 = 9.6 m3: asked for the geometry, the person gets it, flagged
    f, ctx = new_model("m")
    wall = add_layered_wall(f, ctx, net_volume_m3=6.4)
    qto = next(d.RelatingPropertyDefinition for d in wall.IsDefinedBy)
    ifcopenshell.api.pset.edit_qto(f, qto=qto, properties={"NetSideArea": 20.0})
    f.write(str(tmp_path / "wall.ifc"))
    table = take_off(read_model(tmp_path / "wall.ifc"), geometry="always").table
    assert table["volume_m3"].sum() == pytest.approx(9.6)
    assert table["quantity_source"].str.startswith("geometry").all()
    assert table["flags"].str.contains("layer_volume_mismatch").all()


def test_elements_without_openings_are_measured_first_since_cutting_openings_costs_far_more():
    # 5 walls with openings (1..5 m3) and 2 without (6, 7 m3): the 2 plain ones, then 1 with openings
    walls = [
        Exported(i, "IfcWall", "Qto_WallBaseQuantities.NetVolume", float(i + 1), "net", i < 5)
        for i in range(7)
    ]
    assert [w.index for w in pick_spread(walls, 3, set())] == [5, 6, 4]
    assert [w.index for w in pick_spread(walls, 2, set())] == [5, 6]
