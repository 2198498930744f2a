"""The take-off of a small building built in the test, checked against numbers worked out on paper
(see tests/builders.py): W1 9.6 m3 in three layers, S1 16 m3 from geometry, B1 0.03012 m3 of steel.
"""

from __future__ import annotations

import ifcopenshell.api.geometry
import ifcopenshell.api.material
import ifcopenshell.api.pset
import ifcopenshell.api.root
import ifcopenshell.api.spatial
import ifcopenshell.api.type
import pytest
from builders import add_layered_wall, add_slab, add_steel_beam, new_model, small_building

from bimcarbon.ifc import read_model
from bimcarbon.takeoff import COLUMNS, take_off


def _rows(result, name):
    return result.table[result.table["element_name"] == name]


@pytest.fixture(scope="module")
def building(tmp_path_factory):
    return small_building(tmp_path_factory.mktemp("b") / "building.ifc")


def _documented_columns() -> list[str]:
    """Column names in the order docs/takeoff.md lists them in its Columns table."""
    import re
    from pathlib import Path

    text = (Path(__file__).resolve().parent.parent / "docs" / "takeoff.md").read_text()
    section = text.split("## Columns", 1)[1].split("\n## ", 1)[0]
    names: list[str] = []
    for line in section.splitlines():
        if line.startswith("| `"):
            names += re.findall(r"`([a-z0-9_]+)`", line.split("|")[1])
    return names


def test_the_table_has_the_columns_the_docs_describe_in_that_order(building):
    table = take_off(read_model(building)).table
    assert list(table.columns) == _documented_columns()
    assert _documented_columns() == COLUMNS


def test_wall_layers_come_from_the_exported_net_volume(building):
    wall = _rows(take_off(read_model(building)), "W1")
    assert list(wall["material"]) == ["Concrete C30/37", "Mineral wool", "Gypsum plaster"]
    assert list(wall["volume_m3"]) == pytest.approx([6.0, 3.0, 0.6])  # 9.6 x 20/32, 10/32, 2/32
    assert list(wall["layer_thickness_m"]) == pytest.approx([0.2, 0.1, 0.02])
    assert (wall["area_m2"] == 30.0).all()
    assert (wall["storey"] == "Ground floor").all()


def test_a_slab_without_quantities_is_measured_by_geometry(building):
    slab = _rows(take_off(read_model(building)), "S1").iloc[0]
    assert slab["quantity_source"] == "geometry"
    assert slab["volume_m3"] == pytest.approx(16.0, rel=1e-9)  # 10 x 8 x 0.2


def test_a_steel_beam_is_profile_area_times_length_with_its_exported_weight(building):
    beam = _rows(take_off(read_model(building)), "B1").iloc[0]
    assert beam["quantity_source"] == "profile:area*length"
    assert beam["volume_m3"] == pytest.approx(0.00753 * 4.0, rel=1e-12)
    assert beam["length_m"] == pytest.approx(4.0)
    assert beam["mass_kg"] == pytest.approx(236.442)
    assert beam["mass_source"] == "Qto_BeamBaseQuantities.NetWeight"


def test_geometry_never_leaves_the_slab_without_a_volume_but_in_the_table(building):
    result = take_off(read_model(building), geometry="never")
    slab = _rows(result, "S1").iloc[0]
    assert slab["volume_m3"] != slab["volume_m3"]  # NaN
    assert slab["quantity_source"] == "none"
    assert "no_quantity" in slab["flags"]


def test_geometry_always_measures_the_wall_too(building):
    wall = _rows(take_off(read_model(building), geometry="always"), "W1")
    assert wall["quantity_source"].str.startswith("geometry").all()
    assert wall["volume_m3"].sum() == pytest.approx(9.6, rel=1e-9)  # 10 x 3 x 0.32


def test_the_full_check_replaces_an_exported_volume_that_disagrees_with_geometry(tmp_path):
    f, ctx = new_model("m")
    wall = add_layered_wall(f, ctx)
    qto = next(d.RelatingPropertyDefinition for d in wall.IsDefinedBy)
    ifcopenshell.api.pset.edit_qto(f, qto=qto, properties={"NetVolume": 12.0})  # geometry says 9.6
    f.write(str(tmp_path / "wrong.ifc"))
    result = take_off(read_model(tmp_path / "wrong.ifc"), quantity_check="full")
    check = result.checks.iloc[0]
    assert check["exported_volume_m3"] == 12.0
    assert check["geometry_volume_m3"] == pytest.approx(9.6)
    assert check["relative_difference"] == pytest.approx(2.4 / 12.0)
    assert bool(check["mismatch"])
    wall = _rows(result, "W1")
    assert wall["flags"].str.contains("qto_geometry_mismatch").all()
    # the model's body is what is built: its 9.6 m3 are used, not the exported 12
    assert wall["volume_m3"].sum() == pytest.approx(9.6)
    assert wall["quantity_source"].str.startswith("geometry").all()


def test_material_inherited_from_the_type_is_used_and_said_so(tmp_path):
    f, ctx = new_model("m")
    slab = add_slab(f, ctx)
    for rel in list(slab.HasAssociations):
        f.remove(rel)
    slab_type = ifcopenshell.api.root.create_entity(f, ifc_class="IfcSlabType", name="Concrete 200")
    timber = ifcopenshell.api.material.add_material(f, name="CLT")
    ifcopenshell.api.material.assign_material(f, products=[slab_type], type="IfcMaterial", material=timber)
    ifcopenshell.api.type.assign_type(f, related_objects=[slab], relating_type=slab_type)
    f.write(str(tmp_path / "typed.ifc"))
    row = take_off(read_model(tmp_path / "typed.ifc")).table.iloc[0]
    assert row["material"] == "CLT"
    assert row["material_source"] == "type"
    assert row["type_name"] == "Concrete 200"


def test_an_element_without_material_is_kept_and_flagged(tmp_path):
    f, ctx = new_model("m")
    proxy = ifcopenshell.api.root.create_entity(f, ifc_class="IfcBuildingElementProxy", name="Block")
    rep = ifcopenshell.api.geometry.add_slab_representation(
        f, context=ctx["body"], depth=1.0, polyline=[(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0)]
    )
    ifcopenshell.api.geometry.assign_representation(f, product=proxy, representation=rep)
    ifcopenshell.api.spatial.assign_container(f, products=[proxy], relating_structure=ctx["storey"])
    f.write(str(tmp_path / "bare.ifc"))
    row = take_off(read_model(tmp_path / "bare.ifc")).table.iloc[0]
    assert row["part_kind"] == "none"
    assert "no_material" in row["flags"]
    assert row["volume_m3"] == pytest.approx(1.0)


def test_an_element_without_geometry_or_quantities_is_kept_and_flagged(tmp_path):
    f, ctx = new_model("m")
    ifcopenshell.api.root.create_entity(f, ifc_class="IfcCovering", name="Ghost")
    f.write(str(tmp_path / "ghost.ifc"))
    row = take_off(read_model(tmp_path / "ghost.ifc")).table.iloc[0]
    assert row["element_name"] == "Ghost"
    assert "no_quantity" in row["flags"] and "no_material" in row["flags"]


def test_an_ifc2x3_model_gives_the_same_volumes(tmp_path):
    # In IFC2X3 the beam has a plain IfcMaterial, so its volume comes from the geometry engine while
    # the IFC4 beam's comes from profile area x length: two methods, one number.
    ifc4 = take_off(read_model(small_building(tmp_path / "4.ifc")))
    ifc2x3 = take_off(read_model(small_building(tmp_path / "2x3.ifc", schema="IFC2X3")))
    assert ifc2x3.schema == "IFC2X3"
    by_name_4 = ifc4.table.groupby("element_name")["volume_m3"].sum()
    by_name_2x3 = ifc2x3.table.groupby("element_name")["volume_m3"].sum()
    assert by_name_2x3.to_dict() == pytest.approx(by_name_4.to_dict(), rel=1e-9)


def test_openings_are_excluded_with_their_reason(tmp_path):
    f, ctx = new_model("m")
    wall = add_layered_wall(f, ctx)
    opening = ifcopenshell.api.root.create_entity(f, ifc_class="IfcOpeningElement", name="O1")
    ifcopenshell.api.feature.add_feature(f, feature=opening, element=wall)
    add_steel_beam(f, ctx)
    f.write(str(tmp_path / "opening.ifc"))
    result = take_off(read_model(tmp_path / "opening.ifc"))
    assert list(result.excluded["element_name"]) == ["O1"]
    assert result.excluded.iloc[0]["reason"].startswith("feature")
    assert result.element_count == 3


def test_one_broken_element_is_a_warning_with_its_global_id_and_the_rest_is_taken_off(building, monkeypatch):
    import bimcarbon.ifc.elements as elements

    real = elements.resolve_material

    def broken_for_the_wall(occurrence_materials, *args):
        if occurrence_materials and occurrence_materials[0].is_a("IfcMaterialLayerSetUsage"):
            raise AttributeError("layer set usage without a layer set")
        return real(occurrence_materials, *args)

    monkeypatch.setattr(elements, "resolve_material", broken_for_the_wall)
    model = read_model(building)
    wall_id = model.ifc.by_type("IfcWall")[0].GlobalId
    result = take_off(model)
    wall = result.table[result.table["global_id"] == wall_id]
    assert len(wall) == 1 and "broken_element" in wall.iloc[0]["flags"]
    assert any(w.startswith(wall_id) and "could not be read" in w for w in result.warnings)
    assert set(result.table["element_name"].dropna()) == {"W1", "S1", "B1"}
    assert result.table.loc[result.table["element_name"] == "S1", "volume_m3"].iloc[0] == pytest.approx(16.0)


def test_a_material_density_from_pset_material_common_gives_the_mass(tmp_path):
    f, ctx = new_model("mm")
    slab = add_slab(f, ctx)
    concrete = slab.HasAssociations[0].RelatingMaterial
    pset = ifcopenshell.api.pset.add_pset(f, product=concrete, name="Pset_MaterialCommon")
    ifcopenshell.api.pset.edit_pset(f, pset=pset, properties={"MassDensity": 2400.0})
    f.write(str(tmp_path / "dense.ifc"))
    row = take_off(read_model(tmp_path / "dense.ifc")).table.iloc[0]
    assert row["density_kg_per_m3"] == 2400.0
    assert row["density_source"] == "Pset_MaterialCommon.MassDensity"
    assert row["mass_kg"] == pytest.approx(16.0 * 2400.0)  # 38,400 kg
    assert row["mass_source"] == "volume*density"


def test_an_element_lost_between_reading_and_the_table_is_an_error_not_a_warning(building, monkeypatch):
    import bimcarbon.takeoff as takeoff_module
    from bimcarbon.errors import ConservationError

    real = takeoff_module.physical_elements

    def lose_one(model):
        records, exclusions, entities, warnings = real(model)
        return records[1:], exclusions, entities[1:], warnings

    monkeypatch.setattr(takeoff_module, "physical_elements", lose_one)
    with pytest.raises(ConservationError, match="conservation check failed: 2 elements taken off"):
        take_off(read_model(building))


def test_a_wall_side_area_is_preferred_to_an_archicad_plan_area(tmp_path):
    # ArchiCAD exports a wall's plan area as "Area" (10 m x 0.32 m = 3.2 m2) beside its GrossSideArea
    # (10 m x 3 m = 30 m2); the layers cover the side: 30 m2 x 0.32 m = 9.6 m3 = the geometry
    f, ctx = new_model("m")
    wall = add_layered_wall(f, ctx, with_qto=False)
    qto = ifcopenshell.api.pset.add_qto(f, product=wall, name="ArchiCADQuantities")
    ifcopenshell.api.pset.edit_qto(f, qto=qto, properties={"Area": 3.2})
    base = ifcopenshell.api.pset.add_qto(f, product=wall, name="BaseQuantities")
    ifcopenshell.api.pset.edit_qto(f, qto=base, properties={"GrossSideArea": 30.0, "NetSideArea": 0.0})
    f.write(str(tmp_path / "archicad.ifc"))
    rows = _rows(take_off(read_model(tmp_path / "archicad.ifc")), "W1")
    assert (rows["area_m2"] == 30.0).all()
    assert (rows["area_source"] == "BaseQuantities.GrossSideArea").all()
    assert rows["volume_m3"].sum() == pytest.approx(9.6)
    assert not rows["flags"].str.contains("layer_volume_mismatch").any()
