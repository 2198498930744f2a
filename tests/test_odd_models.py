"""Odd but real corners of IFC: each is handled, or kept and flagged, and never loses the model."""

from __future__ import annotations

import ifcopenshell
import ifcopenshell.api.pset
import ifcopenshell.api.root
import ifcopenshell.api.type
import openpyxl
import pandas as pd
import pytest
from builders import I_PROFILE_AREA_M2, add_layered_wall, add_slab, add_steel_beam, new_model
from typer.testing import CliRunner

from bimcarbon.cli import app
from bimcarbon.ifc import read_model
from bimcarbon.takeoff import take_off


def _write(f: ifcopenshell.file, tmp_path, name: str):
    path = tmp_path / f"{name}.ifc"
    f.write(str(path))
    return path


def _row(result, name):
    rows = result.table[result.table["element_name"] == name]
    assert len(rows) >= 1, name
    return rows


def test_an_empty_layer_set_is_kept_as_no_material_and_the_rest_is_taken_off(tmp_path):
    f, ctx = new_model("m")
    wall = add_layered_wall(f, ctx)
    layer_set = wall.HasAssociations[0].RelatingMaterial.ForLayerSet
    for layer in layer_set.MaterialLayers:
        f.remove(layer)
    layer_set.MaterialLayers = ()
    add_slab(f, ctx)
    result = take_off(read_model(_write(f, tmp_path, "empty_layers")))
    wall_row = _row(result, "W1").iloc[0]
    assert "empty_material_set" in wall_row["flags"] and "no_material" in wall_row["flags"]
    assert wall_row["volume_m3"] == pytest.approx(9.6)  # the exported NetVolume still counts
    assert _row(result, "S1").iloc[0]["volume_m3"] == pytest.approx(16.0)


def test_a_density_written_as_text_is_not_used_and_is_reported(tmp_path):
    f, ctx = new_model("m")
    slab = add_slab(f, ctx)
    pset = ifcopenshell.api.pset.add_pset(
        f, product=slab.HasAssociations[0].RelatingMaterial, name="Pset_MaterialCommon"
    )
    pset.Properties = (
        f.create_entity(
            "IfcPropertySingleValue", "MassDensity", None, f.create_entity("IfcLabel", "2400 kg/m3")
        ),
    )
    result = take_off(read_model(_write(f, tmp_path, "density_label")))
    row = _row(result, "S1").iloc[0]
    assert pd.isna(row["density_kg_per_m3"])  # not used
    assert any("MassDensity" in w and "2400 kg/m3" in w for w in result.warnings)


def test_a_quantity_with_its_own_unit_is_converted_with_that_unit(tmp_path):
    f, ctx = new_model("m")
    slab = add_slab(f, ctx)
    qto = ifcopenshell.api.pset.add_qto(f, product=slab, name="Qto_SlabBaseQuantities")
    cubic_mm = f.create_entity("IfcSIUnit", UnitType="VOLUMEUNIT", Prefix="MILLI", Name="CUBIC_METRE")
    qto.Quantities = (f.create_entity("IfcQuantityVolume", "NetVolume", None, cubic_mm, 16e9),)
    row = _row(take_off(read_model(_write(f, tmp_path, "own_unit"))), "S1").iloc[0]
    assert row["quantity_source"] == "Qto_SlabBaseQuantities.NetVolume"
    assert row["volume_m3"] == pytest.approx(16.0)  # 16e9 mm3


def test_volumes_per_layer_given_as_complex_quantities_are_used(tmp_path):
    f, ctx = new_model("m")
    wall = add_layered_wall(f, ctx, with_qto=False)
    qto = ifcopenshell.api.pset.add_qto(f, product=wall, name="Qto_WallBaseQuantities")
    complexes = []
    for name, volume in (("Concrete C30/37", 5.5), ("Mineral wool", 3.1), ("Gypsum plaster", 0.5)):
        inner = f.create_entity("IfcQuantityVolume", "NetVolume", None, None, volume)
        complexes.append(f.create_entity("IfcPhysicalComplexQuantity", name, None, (inner,), "layer"))
    qto.Quantities = tuple(complexes)
    rows = _row(take_off(read_model(_write(f, tmp_path, "complex"))), "W1")
    assert list(rows["volume_m3"]) == pytest.approx([5.5, 3.1, 0.5])
    assert rows.iloc[0]["quantity_source"] == "Qto_WallBaseQuantities.Concrete C30/37.NetVolume"
    assert not rows["flags"].str.contains("nonstandard_quantity_name").any()


def test_a_nonstandard_quantity_in_a_standard_set_never_decides_a_volume(tmp_path):
    f, ctx = new_model("m")
    slab = add_slab(f, ctx)
    qto = ifcopenshell.api.pset.add_qto(f, product=slab, name="Qto_SlabBaseQuantities")
    qto.Quantities = (f.create_entity("IfcQuantityVolume", "Concrete C30/37", None, None, 1.0),)
    row = _row(take_off(read_model(_write(f, tmp_path, "nonstandard"))), "S1").iloc[0]
    assert row["quantity_source"] == "geometry"
    assert row["volume_m3"] == pytest.approx(16.0)
    assert "nonstandard_quantity_name" in row["flags"]


def test_type_quantities_are_read_in_ifc2x3_and_flagged(tmp_path):
    f, ctx = new_model("m", "IFC2X3")
    slab = add_slab(f, ctx)
    slab_type = ifcopenshell.api.root.create_entity(f, ifc_class="IfcSlabType", name="ST")
    ifcopenshell.api.type.assign_type(f, related_objects=[slab], relating_type=slab_type)
    qto = f.create_entity(
        "IfcElementQuantity",
        GlobalId=ifcopenshell.guid.new(),
        OwnerHistory=f.by_type("IfcOwnerHistory")[0],
        Name="BaseQuantities",
        Quantities=(f.create_entity("IfcQuantityVolume", "NetVolume", None, None, 16.0),),
    )
    slab_type.HasPropertySets = (qto,)
    # 16 m3 = the slab's 10 x 8 x 0.2 m geometry, so the quantity check keeps the type's export
    row = _row(take_off(read_model(_write(f, tmp_path, "type_qto"))), "S1").iloc[0]
    assert row["quantity_source"] == "type:BaseQuantities.NetVolume"
    assert row["volume_m3"] == 16.0
    assert "type_quantity" in row["flags"]


def test_a_tapering_member_uses_the_mean_of_its_start_and_end_profiles(tmp_path):
    f, ctx = new_model("m")
    beam = add_steel_beam(f, ctx, with_weight=False)
    usage = beam.HasAssociations[0].RelatingMaterial
    start_set = usage.ForProfileSet
    big = f.create_entity("IfcRectangleProfileDef", ProfileType="AREA", XDim=0.1, YDim=0.15)  # 0.015 m2
    end_set = f.create_entity(
        "IfcMaterialProfileSet",
        MaterialProfiles=(
            f.create_entity(
                "IfcMaterialProfile", Material=start_set.MaterialProfiles[0].Material, Profile=big
            ),
        ),
    )
    tapering = f.create_entity(
        "IfcMaterialProfileSetUsageTapering", ForProfileSet=start_set, ForProfileEndSet=end_set
    )
    beam.HasAssociations[0].RelatingMaterial = tapering
    row = _row(take_off(read_model(_write(f, tmp_path, "tapering"))), "B1").iloc[0]
    assert row["volume_m3"] == pytest.approx((I_PROFILE_AREA_M2 + 0.015) / 2 * 4.0)
    assert "tapered_profile" in row["flags"]


def test_an_aggregation_whose_whole_the_parser_dropped_does_not_stop_the_take_off(tmp_path):
    f, ctx = new_model("m")
    add_slab(f, ctx)
    path = _write(f, tmp_path, "whole")
    text = path.read_text()
    slab_ref = next(e for e in f.by_type("IfcSlab")).id()
    # an IfcRelAggregates whose whole (#999999) does not exist: ifcopenshell keeps it with None
    text = text.replace(
        "ENDSEC;\nEND-ISO-10303-21;",
        f"#999998=IFCRELAGGREGATES('{ifcopenshell.guid.new()}',$,$,$,#999999,(#{slab_ref}));\nENDSEC;\n"
        "END-ISO-10303-21;",
    )
    path.write_text(text)
    model = read_model(path)
    assert any("#999999" in w for w in model.warnings)
    result = take_off(model)
    assert _row(result, "S1").iloc[0]["volume_m3"] == pytest.approx(16.0)


def test_control_characters_from_the_model_do_not_break_the_workbook(tmp_path):
    f, ctx = new_model("m")
    wall = add_layered_wall(f, ctx)
    wall.Name = "W\x01 1"
    path = _write(f, tmp_path, "control")
    out = tmp_path / "t.xlsx"
    result = CliRunner().invoke(app, ["takeoff", str(path), "-o", str(out)])
    assert result.exit_code == 0, result.output
    sheet = openpyxl.load_workbook(out)["Take-off"]
    names = [c.value for c in sheet["E"][1:]]
    assert "W 1" in names


def test_an_unexpected_error_is_one_line_naming_the_file_with_exit_code_3(tmp_path, monkeypatch):
    import bimcarbon.takeoff

    f, ctx = new_model("m")
    add_slab(f, ctx)
    path = _write(f, tmp_path, "fine")

    def boom(*args, **kwargs):
        raise KeyError("a bug")

    monkeypatch.setattr(bimcarbon.takeoff, "take_off", boom)
    result = CliRunner().invoke(app, ["takeoff", str(path), "-o", str(tmp_path / "t.csv")])
    assert result.exit_code == 3
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and str(path) in lines[0] and "internal error" in lines[0]
    assert "Traceback" not in result.output
