"""A model that declares only its length unit: areas and volumes are read in that unit squared and
cubed (a Renga export writes mm2 and mm3), flagged, and the quantity check says whether the geometry
agrees with that reading."""

from __future__ import annotations

import ifcopenshell.api.pset
import pytest
from builders import add_layered_wall, new_model
from typer.testing import CliRunner

from bimcarbon.cli import app
from bimcarbon.ifc import read_model
from bimcarbon.takeoff import take_off


def _millimetre_model_without_area_and_volume_units(path, volume_scale: float, walls: int = 2):
    """Walls W1 (10 x 3 x 0.32 m = 9.6 m3, side area 30 m2) in a model whose only unit is the
    millimetre; their quantities are written with ``volume_scale`` m3 per written unit."""
    f, ctx = new_model("mm")
    assignment = f.by_type("IfcUnitAssignment")[0]
    assignment.Units = [u for u in assignment.Units if u.UnitType == "LENGTHUNIT"]
    ctx["scales"] = (1e-3, 1e-6, volume_scale, 1.0)
    for _ in range(walls):
        add_layered_wall(f, ctx)
    f.write(str(path))
    return path


def test_area_and_volume_units_are_derived_from_a_millimetre_length_unit(tmp_path):
    model = read_model(_millimetre_model_without_area_and_volume_units(tmp_path / "renga.ifc", 1e-9))
    assert model.units.area.scale_to_si == pytest.approx(1e-6)
    assert model.units.volume.scale_to_si == pytest.approx(1e-9)
    assert model.units.volume.inferred and not model.units.volume.assumed
    assert model.units.mass.assumed and not model.units.mass.inferred  # no length power: kg assumed
    assert any("VOLUMEUNIT not assigned: read as MILLI METRE^3" in w for w in model.warnings)


def test_volumes_written_in_cubic_millimetres_are_taken_off_in_cubic_metres(tmp_path):
    # NetVolume 9.6e9 mm3 = 9.6 m3 per wall, not 9.6 billion m3
    path = _millimetre_model_without_area_and_volume_units(tmp_path / "renga.ifc", 1e-9)
    result = take_off(read_model(path))
    assert result.table["volume_m3"].sum() == pytest.approx(2 * 9.6)
    assert result.table["quantity_source"].str.startswith("Qto_WallBaseQuantities.NetVolume").all()
    assert result.table["flags"].str.contains("unit_inferred").all()
    assert result.table["area_m2"].iloc[0] == pytest.approx(30.0)  # 3e7 mm2
    (verdict,) = [w for w in result.warnings if w.startswith("volume unit not declared")]
    assert "confirmed by the quantity check" in verdict


def test_a_wrong_inference_is_caught_by_the_geometry(tmp_path):
    # the same walls with their volumes written in m3 although only mm is declared: read as mm3 they
    # would be 9.6e-9 m3; the check finds them 1e-9 of the geometry and takes the geometry instead
    path = _millimetre_model_without_area_and_volume_units(tmp_path / "wrong.ifc", 1.0)
    result = take_off(read_model(path))
    assert result.table["volume_m3"].sum() == pytest.approx(2 * 9.6)
    assert result.table["quantity_source"].str.startswith("geometry").all()
    (verdict,) = [w for w in result.warnings if w.startswith("volume unit not declared")]
    assert "contradicted by the quantity check for 1 of 1 group(s) (read/geometry: IfcWall 1e-09)" in verdict


def test_the_units_line_says_which_units_were_inferred(tmp_path):
    path = _millimetre_model_without_area_and_volume_units(tmp_path / "renga.ifc", 1e-9)
    result = CliRunner().invoke(app, ["takeoff", str(path), "-o", str(tmp_path / "t.csv")])
    assert result.exit_code == 0, result.output
    assert "volume: MILLI METRE^3 (inferred from the length unit)" in result.stdout
    assert "area: MILLI METRE^2 (inferred from the length unit)" in result.stdout


def test_areas_written_in_square_metres_under_a_millimetre_unit_are_caught_through_the_layers(tmp_path):
    # only millimetres declared, the walls' side areas written in m2 (30) and no volumes: read as mm2,
    # area x layers would be 30e-6 m2 x 0.32 m = 9.6e-6 m3; the check measures the layered volumes,
    # finds them 1e-6 of the geometry, and takes the geometry (10 x 3 x 0.32 = 9.6 m3 each)
    f, ctx = new_model("mm")
    assignment = f.by_type("IfcUnitAssignment")[0]
    assignment.Units = [u for u in assignment.Units if u.UnitType == "LENGTHUNIT"]
    for _ in range(2):
        wall = add_layered_wall(f, ctx, with_qto=False)
        qto = ifcopenshell.api.pset.add_qto(f, product=wall, name="Qto_WallBaseQuantities")
        ifcopenshell.api.pset.edit_qto(f, qto=qto, properties={"NetSideArea": 30.0})
    f.write(str(tmp_path / "areas.ifc"))
    result = take_off(read_model(tmp_path / "areas.ifc"))
    assert result.table["volume_m3"].sum() == pytest.approx(2 * 9.6)
    assert result.table["quantity_source"].str.startswith("geometry").all()
    (verdict,) = [w for w in result.warnings if w.startswith("area unit not declared")]
    assert "read as MILLI METRE^2: contradicted by the quantity check for 1 of 1 group(s)" in verdict
    assert "(read/geometry: IfcWall 1e-06)" in verdict
