"""Results written back into the IFC (bimcarbon assess --ifc-out [--ifc-heatmap]), end to end.

Hand numbers (tests/builders.py's small building, A1-A3): beam B1 236.442 kg of steel x 2.35 kgCO2e/kg
(steel_h_section) = 555.6387 kgCO2e; slab S1 16 m3 x (340 C40 + 120 kg/m3 rebar x 2.34) = 16 x 620.8 =
9,932.8; wall W1 6 m3 of concrete x 620.8 + 3 m3 of rock wool x 140 kg/m3 x 1.98 = 3,724.8 + 831.6 =
4,556.4 (its gypsum plaster is left out); total 15,044.8387 kgCO2e.
"""

from __future__ import annotations

import json
import logging
import multiprocessing
import os

import ifcopenshell
import ifcopenshell.api.geometry
import ifcopenshell.api.material
import ifcopenshell.api.pset
import ifcopenshell.api.root
import ifcopenshell.api.spatial
import ifcopenshell.api.type
import ifcopenshell.geom
import ifcopenshell.util.element
import ifcopenshell.validate
import pytest
from builders import add_slab, new_model, small_building
from conftest import REPO, sample
from typer.testing import CliRunner

from bimcarbon.assess import assess
from bimcarbon.cli import app
from bimcarbon.errors import BimcarbonError
from bimcarbon.exchange.heatmap import load_heatmap
from bimcarbon.ifc import read_model
from bimcarbon.ifc.units import unit_scale
from bimcarbon.ifc.writeback import write_results

OFFICE = REPO / "sample_models"
runner = CliRunner()


def _write(model, tmp_path, name="result.ifc", heatmap=False, lang="en"):
    run = assess(model)
    out = tmp_path / name
    summary = write_results(model, run.assessment, out, load_heatmap() if heatmap else None, lang)
    return run, summary, read_model(out).ifc


def _psets(entity) -> dict:
    return ifcopenshell.util.element.get_psets(entity, should_inherit=False)


def _results(ifc) -> dict[int, dict]:
    """Step id -> BIMCarbon_Results of every element that has it."""
    out = {}
    for element in ifc.by_type("IfcElement"):
        found = _psets(element).get("BIMCarbon_Results")
        if found is not None:
            out[element.id()] = found
    return out


def _climate_change_kg(ifc) -> dict[int, float]:
    """Step id -> ClimateChange in kg (its value times the scale of the unit stated on it)."""
    out = {}
    for rel in ifc.by_type("IfcRelDefinesByProperties"):
        pset = rel.RelatingPropertyDefinition
        if not pset.is_a("IfcPropertySet") or pset.Name != "Pset_EnvironmentalImpactValues":
            continue
        for prop in pset.HasProperties:
            if prop.Name == "ClimateChange":
                scale, _ = unit_scale(prop.Unit)
                for element in rel.RelatedObjects:
                    out[element.id()] = prop.NominalValue.wrappedValue * scale
    return out


def _rendered_colours(ifc, steps) -> dict[int, set]:
    """Step id -> the colours ifcopenshell's geometry engine draws the element in (rounded)."""
    include = [ifc.by_id(step) for step in steps]
    iterator = ifcopenshell.geom.iterator(
        ifcopenshell.geom.settings(), ifc, multiprocessing.cpu_count(), include=include
    )
    out = {}
    if iterator.initialize():
        while True:
            shape = iterator.get()
            out[shape.id] = {
                tuple(round(c, 3) for c in m.diffuse.components) for m in shape.geometry.materials
            }
            if not iterator.next():
                break
    return out


def _rgb(colour: str) -> tuple:
    return tuple(round(int(colour[i : i + 2], 16) / 255, 3) for i in (1, 3, 5))


def _validation_errors(ifc, express_rules=False) -> int:
    logger = ifcopenshell.validate.json_logger()
    ifcopenshell.validate.validate(ifc, logger, express_rules=express_rules)
    return len(logger.statements)


def test_the_copy_keeps_every_entity_as_it_was_and_climate_change_adds_up_to_a1_a3(tmp_path):
    model = OFFICE / "office_m.ifc"
    run, summary, written = _write(model, tmp_path)
    original = ifcopenshell.open(str(model))
    for entity in original:  # same step ids, classes, GlobalIds and attribute values: only additions
        copy = written.by_id(entity.id())
        assert copy.is_a() == entity.is_a()
        assert copy.get_info(recursive=False) == entity.get_info(recursive=False)
    assert len(written.by_type("IfcElement")) == len(original.by_type("IfcElement"))
    a1_a3 = run.assessment.embodied.a1_a3
    climate = _climate_change_kg(written)
    assert sum(climate.values()) == pytest.approx(a1_a3, rel=1e-12)
    assert summary.climate_change_kg == pytest.approx(a1_a3, rel=1e-12)
    # 22 elements counted, the one left out carries its status and no ClimateChange
    assert (summary.with_results, summary.without_results) == (22, 1) == (len(climate), 1)
    results = _results(written)
    assert len(results) == 23
    for element in run.assessment.elements:
        entity = written.by_guid(element.global_id)
        assert results[entity.id()]["Status"] == element.status
        if element.a1_a3_kgco2e is not None:
            assert climate[entity.id()] == pytest.approx(element.a1_a3_kgco2e)
            assert results[entity.id()]["A1_A3_kgCO2e"] == pytest.approx(element.a1_a3_kgco2e)
            assert results[entity.id()]["ClimateChangeModules"] == "A1-A3"
        else:
            assert entity.id() not in climate and "A1_A3_kgCO2e" not in results[entity.id()]
    project = _psets(written.by_type("IfcProject")[0])["BIMCarbon_Assessment"]
    assert project["A1_A3_kgCO2e"] == pytest.approx(a1_a3)
    assert project["ModelSha256"] == run.assessment.model_sha256 and project["ElementsWithResults"] == 22


@pytest.mark.parametrize(("unit", "kg_per_unit"), [("m", 1.0), ("mm", 1.0), ("ft", 0.45359237)])
def test_climate_change_is_in_the_projects_mass_unit_and_says_so_while_bimcarbons_reals_stay_kg(
    tmp_path, unit, kg_per_unit
):
    model = small_building(tmp_path / f"building_{unit}.ifc", unit=unit)
    _, _, written = _write(model, tmp_path)
    beam = next(e for e in written.by_type("IfcBeam") if e.Name == "B1")
    values = next(
        rel.RelatingPropertyDefinition
        for rel in beam.IsDefinedBy
        if rel.RelatingPropertyDefinition.Name == "Pset_EnvironmentalImpactValues"
    )
    (climate,) = values.HasProperties
    assert climate.NominalValue.is_a("IfcMassMeasure")
    mass_unit = next(
        u for u in written.by_type("IfcProject")[0].UnitsInContext.Units if u.UnitType == "MASSUNIT"
    )
    assert climate.Unit == mass_unit  # stated on the property: the project's own mass unit
    # 555.6387 kgCO2e: in a model in millimetres still 555.6387, in feet and pounds 1,224.98 lb
    assert climate.NominalValue.wrappedValue == pytest.approx(555.6387 / kg_per_unit)
    assert _psets(beam)["BIMCarbon_Results"]["A1_A3_kgCO2e"] == pytest.approx(555.6387)
    assert sum(_climate_change_kg(written).values()) == pytest.approx(15044.8387)


def test_a_model_without_a_mass_unit_gets_climate_change_in_kilograms_with_the_unit_stated(tmp_path):
    f, ctx = new_model("m")
    assignment = f.by_type("IfcUnitAssignment")[0]
    assignment.Units = [u for u in assignment.Units if u.UnitType != "MASSUNIT"]
    add_slab(f, ctx)
    f.write(str(tmp_path / "no_mass_unit.ifc"))
    _, summary, written = _write(tmp_path / "no_mass_unit.ifc", tmp_path)
    (climate,) = [p for p in written.by_type("IfcPropertySingleValue") if p.Name == "ClimateChange"]
    assert (climate.Unit.Prefix, climate.Unit.Name) == ("KILO", "GRAM")
    assert climate.NominalValue.wrappedValue == pytest.approx(9932.8) and summary.mass_unit == "kilogram"
    assert all(u.UnitType != "MASSUNIT" for u in written.by_type("IfcUnitAssignment")[0].Units)


def test_ifc2x3_has_no_environmental_impact_set_so_only_bimcarbons_is_written(tmp_path):
    run, summary, written = _write(OFFICE / "office_ifc2x3.ifc", tmp_path)
    assert not summary.standard_psets and summary.with_results == 22
    assert not [p for p in written.by_type("IfcPropertySet") if p.Name.startswith("Pset_Environmental")]
    results = _results(written)
    total = sum(r.get("A1_A3_kgCO2e", 0.0) for r in results.values())
    assert total == pytest.approx(run.assessment.embodied.a1_a3)
    # IFC2X3 requires an owner history: one, naming bimcarbon, on every set added
    added = [p for p in written.by_type("IfcPropertySet") if p.Name.startswith("BIMCarbon")]
    owners = {p.OwnerHistory for p in added}
    assert len(owners) == 1 and next(iter(owners)).OwningApplication.ApplicationIdentifier == "bimcarbon"
    assert _validation_errors(written) == 0


def test_the_phase_is_stated_once_as_production_in_the_indicators_of_every_counted_element(tmp_path):
    _, summary, written = _write(OFFICE / "office_m.ifc", tmp_path)
    indicators = [
        p for p in written.by_type("IfcPropertySet") if p.Name == "Pset_EnvironmentalImpactIndicators"
    ]
    assert len(indicators) == 1  # the same for all: one set, related to the 22 counted elements
    related = [o for rel in indicators[0].DefinesOccurrence for o in rel.RelatedObjects]
    assert len(related) == summary.with_results == 22
    phase = next(p for p in indicators[0].HasProperties if p.Name == "LifeCyclePhase")
    assert [v.wrappedValue for v in phase.EnumerationValues] == ["PRODUCTION"]
    assert phase.EnumerationReference.Name == "PEnum_LifeCyclePhase"
    assert len(written.by_type("IfcPropertyEnumeration")) == 1
    reference = next(p for p in indicators[0].HasProperties if p.Name == "FunctionalUnitReference")
    assert "gbt51366-2019-d" in reference.NominalValue.wrappedValue


def test_the_written_model_assesses_to_the_same_take_off_and_totals(tmp_path):
    model = OFFICE / "office_mm.ifc"
    run, _, _ = _write(model, tmp_path, "result.ifczip", heatmap=True)
    again = assess(tmp_path / "result.ifczip")
    assert len(again.takeoff) == len(run.takeoff)
    for column in ("volume_m3", "area_m2", "mass_kg"):
        assert again.takeoff[column].sum() == pytest.approx(run.takeoff[column].sum())
    assert again.assessment.embodied.a1_a3 == pytest.approx(run.assessment.embodied.a1_a3)
    assert [e.global_id for e in again.assessment.elements] == [e.global_id for e in run.assessment.elements]


@pytest.mark.parametrize("name", ["office_m.ifc", "office_ifc2x3.ifc"])
def test_writing_a_written_model_again_keeps_one_bimcarbon_set_per_element(tmp_path, name):
    _write(OFFICE / name, tmp_path, "first.ifc", heatmap=True)
    run, summary, written = _write(tmp_path / "first.ifc", tmp_path, "second.ifc", heatmap=True)
    names = [p.Name for p in written.by_type("IfcPropertySet")]
    assert names.count("BIMCarbon_Results") == 23 and names.count("BIMCarbon_Assessment") == 1
    assert len(written.by_type("IfcSurfaceStyle")) == 5  # the classes the office uses, made once
    assert names.count("Pset_EnvironmentalImpactIndicators") == (1 if summary.standard_psets else 0)
    assert not summary.warnings  # its own sets from the first write are replaced, not "already there"
    assert _validation_errors(written) == 0
    for assessed in run.assessment.elements:
        element = written.by_id(assessed.step_id)
        defined = [
            r.RelatingPropertyDefinition.Name
            for r in element.IsDefinedBy
            if r.is_a("IfcRelDefinesByProperties")
        ]
        assert defined.count("BIMCarbon_Results") == 1
        assert defined.count("Pset_EnvironmentalImpactValues") <= 1
    total = sum(r.get("A1_A3_kgCO2e", 0.0) for r in _results(written).values())
    assert total == pytest.approx(summary.climate_change_kg) == pytest.approx(run.assessment.embodied.a1_a3)
    if summary.standard_psets:
        assert sum(_climate_change_kg(written).values()) == pytest.approx(summary.climate_change_kg)


def test_a_zipped_model_is_written_as_the_suffix_asked(tmp_path):
    import zipfile

    zipped = tmp_path / "office.ifczip"
    with zipfile.ZipFile(zipped, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.write(OFFICE / "office_m.ifc", arcname="office_m.ifc")
    run, summary, written = _write(zipped, tmp_path, "result.ifc")
    assert (tmp_path / "result.ifc").read_bytes().startswith(b"ISO-10303-21")
    assert sum(_climate_change_kg(written).values()) == pytest.approx(run.assessment.embodied.a1_a3)


def test_an_environmental_set_the_model_already_has_keeps_its_other_values(tmp_path):
    f, ctx = new_model("m")
    slab = add_slab(f, ctx)
    pset = ifcopenshell.api.pset.add_pset(f, product=slab, name="Pset_EnvironmentalImpactValues")
    ifcopenshell.api.pset.edit_pset(f, pset=pset, properties={"ClimateChange": 1.0, "Eutrophication": 2.0})
    f.write(str(tmp_path / "with_values.ifc"))
    _, summary, written = _write(tmp_path / "with_values.ifc", tmp_path)
    values = _psets(written.by_type("IfcSlab")[0])["Pset_EnvironmentalImpactValues"]
    assert values["ClimateChange"] == pytest.approx(9932.8) and values["Eutrophication"] == 2.0
    assert [p.Name for p in written.by_type("IfcPropertySet")].count("Pset_EnvironmentalImpactValues") == 1
    assert any("already had Pset_EnvironmentalImpactValues" in w for w in summary.warnings)


def test_elements_sharing_a_globalid_each_get_their_own_results(tmp_path):
    f, ctx = new_model("m")
    thick = add_slab(f, ctx, depth_m=0.2)  # 16 m3 x 620.8 = 9,932.8 kgCO2e
    thin = add_slab(f, ctx, depth_m=0.1)  # 8 m3 x 620.8 = 4,966.4 kgCO2e
    thin.GlobalId = thick.GlobalId  # a broken export
    f.write(str(tmp_path / "same_guid.ifc"))
    _, summary, written = _write(tmp_path / "same_guid.ifc", tmp_path)
    results = _results(written)
    assert results[thick.id()]["A1_A3_kgCO2e"] == pytest.approx(9932.8)
    assert results[thin.id()]["A1_A3_kgCO2e"] == pytest.approx(4966.4)
    assert _climate_change_kg(written) == pytest.approx({thick.id(): 9932.8, thin.id(): 4966.4})
    assert summary.with_results == 2 and not summary.warnings


def test_a_model_changed_since_it_was_assessed_is_refused(tmp_path):
    model = small_building(tmp_path / "building.ifc")
    run = assess(model)
    add_slab_model = small_building(tmp_path / "other.ifc", unit="mm")
    with pytest.raises(BimcarbonError, match="changed since it was assessed"):
        write_results(add_slab_model, run.assessment, tmp_path / "result.ifc")
    assert not (tmp_path / "result.ifc").exists()


def _columns_of_one_type(path, materials):
    """Columns mapping one type's geometry (0.2 x 0.2 x 2.5 m), each with its own material and 0.1 m3."""
    f, ctx = new_model("m")
    column_type = ifcopenshell.api.root.create_entity(f, ifc_class="IfcColumnType", name="C-200")
    body = ifcopenshell.api.geometry.add_wall_representation(
        f, context=ctx["body"], length=0.2, height=2.5, thickness=0.2
    )
    ifcopenshell.api.geometry.assign_representation(f, product=column_type, representation=body)
    columns = []
    for index, name in enumerate(materials):
        column = ifcopenshell.api.root.create_entity(f, ifc_class="IfcColumn", name=f"C{index}")
        ifcopenshell.api.type.assign_type(f, related_objects=[column], relating_type=column_type)
        ifcopenshell.api.geometry.edit_object_placement(f, product=column)
        material = ifcopenshell.api.material.add_material(f, name=name)
        ifcopenshell.api.material.assign_material(f, products=[column], type="IfcMaterial", material=material)
        qto = ifcopenshell.api.pset.add_qto(f, product=column, name="Qto_ColumnBaseQuantities")
        ifcopenshell.api.pset.edit_qto(f, qto=qto, properties={"NetVolume": 0.1})
        ifcopenshell.api.spatial.assign_container(f, products=[column], relating_structure=ctx["storey"])
        columns.append(column)
    f.write(str(path))
    return path, columns


def test_occurrences_of_one_type_in_different_classes_each_show_their_own_colour(tmp_path):
    # steel: 0.1 m3 x 18,447.5 kgCO2e/m3 (10,000 and above); glulam: 0.1 m3 x 134.75 (below 200)
    model, columns = _columns_of_one_type(
        tmp_path / "columns.ifc", ["Steel S355", "Glulam GL24h", "Glulam GL24h"]
    )
    run, summary, written = _write(model, tmp_path, heatmap=True)
    assert run.assessment.embodied.a1_a3 == pytest.approx(1844.75 + 2 * 13.475)
    assert summary.coloured == 3 and not summary.not_coloured
    assert summary.own_copies == 1  # the steel column; the two of glulam share the type's geometry
    steel, glulam, glulam_too = (c.id() for c in columns)
    drawn = _rendered_colours(written, [steel, glulam, glulam_too])
    assert drawn[steel] == {_rgb("#bd0026")}
    assert drawn[glulam] == drawn[glulam_too] == {_rgb("#ffffb2")}
    assert len(written.by_type("IfcColumnType")[0].RepresentationMaps) == 1
    classes = {step: r["HeatmapClass"] for step, r in _results(written).items()}
    assert classes[steel].startswith("10,000 kgCO2e/m3 and above")


def _slabs_sharing_one_shape(path):
    """A concrete and a steel slab drawn by one IfcProductDefinitionShape (two heatmap classes)."""
    f, ctx = new_model("m")
    concrete = add_slab(f, ctx)
    steel = add_slab(f, ctx)
    steel.Representation = concrete.Representation  # one IfcProductDefinitionShape for both
    material = ifcopenshell.api.material.add_material(f, name="Steel S355")
    ifcopenshell.api.material.unassign_material(f, products=[steel])
    ifcopenshell.api.material.assign_material(f, products=[steel], type="IfcMaterial", material=material)
    f.write(str(path))
    return concrete, steel


def test_geometry_shared_without_a_map_by_elements_of_other_classes_keeps_its_colours_and_says_why(tmp_path):
    concrete, steel = _slabs_sharing_one_shape(tmp_path / "shared.ifc")
    _, summary, written = _write(tmp_path / "shared.ifc", tmp_path, heatmap=True)
    assert summary.coloured == 0 and set(summary.not_coloured) == {concrete.id(), steel.id()}
    results = _results(written)
    assert "shared with elements of another class" in results[steel.id()]["HeatmapNote"]
    assert not written.by_type("IfcStyledItem")  # nothing coloured, so nobody shows a wrong colour


def test_why_an_element_is_not_coloured_is_in_the_language_asked(tmp_path):
    _, steel = _slabs_sharing_one_shape(tmp_path / "shared.ifc")
    _, _, written = _write(tmp_path / "shared.ifc", tmp_path, heatmap=True, lang="zh")
    assert _results(written)[steel.id()]["HeatmapNote"] == "其几何与其他类别的构件共用:保留原有颜色"


def test_the_heatmap_labels_follow_the_language_asked(tmp_path):
    _, _, written = _write(OFFICE / "office_m.ifc", tmp_path, heatmap=True, lang="zh")
    results = _results(written)
    assert all(
        "\u4e00" <= r["HeatmapClass"][0] <= "\u9fff" or r["HeatmapClass"][0].isdigit()
        for r in results.values()
    )
    assert any("未计入" in r["StatusNote"] for r in results.values())
    legend = _psets(written.by_type("IfcProject")[0])["BIMCarbon_Assessment"]["HeatmapLegend"]
    assert "#969696 未评估" in legend


def test_the_sample_office_written_with_a_heatmap_passes_every_schema_rule_as_its_input_does(tmp_path):
    model = OFFICE / "office_m.ifc"
    _, summary, written = _write(model, tmp_path, heatmap=True)
    assert summary.coloured == 23
    before = _validation_errors(ifcopenshell.open(str(model)), express_rules=True)
    assert _validation_errors(written, express_rules=True) <= before == 0
    results_of = _results(written)
    drawn = _rendered_colours(written, results_of)
    for step, results in results_of.items():
        assert drawn[step] == {_rgb(results["HeatmapColour"])}


def test_a_model_with_an_owner_history_passes_every_schema_rule_as_its_input_does(tmp_path):
    # an IFC4 export with an owner history on its project (Revit's, Archicad's): the sets bimcarbon adds
    # get an owner history of their own, ADDED, which IFC4's CorrectChangeAction rule says needs a
    # LastModifiedDate
    model = small_building(tmp_path / "building.ifc")
    f = ifcopenshell.open(str(model))
    user = f.create_entity(
        "IfcPersonAndOrganization",
        ThePerson=f.create_entity("IfcPerson", FamilyName="Architect"),
        TheOrganization=f.create_entity("IfcOrganization", Name="Practice"),
    )
    application = f.create_entity(
        "IfcApplication",
        ApplicationDeveloper=user.TheOrganization,
        Version="1",
        ApplicationFullName="Authoring tool",
        ApplicationIdentifier="tool",
    )
    f.by_type("IfcProject")[0].OwnerHistory = f.create_entity(
        "IfcOwnerHistory", OwningUser=user, OwningApplication=application, CreationDate=1_700_000_000
    )
    f.write(str(tmp_path / "with_owner.ifc"))
    _, _, written = _write(tmp_path / "with_owner.ifc", tmp_path)
    before = _validation_errors(ifcopenshell.open(str(tmp_path / "with_owner.ifc")), express_rules=True)
    assert before == 3  # the built elements have a body and no placement: the input's own three
    assert _validation_errors(written, express_rules=True) == before


@pytest.mark.parametrize(
    "name", ["AC20-FZK-Haus.ifc", "duplex.ifc", "wall_door_columnt_rgb4x3.ifc"]
)  # IFC4 in grams, IFC2X3 with types drawn through maps, IFC4X3
def test_public_samples_round_trip_with_their_sums_their_elements_and_no_new_validation_errors(
    tmp_path, name
):
    model = sample(name)
    run, summary, written = _write(model, tmp_path, heatmap=True)
    original = ifcopenshell.open(str(model))
    assert sorted(e.GlobalId for e in written.by_type("IfcElement")) == sorted(
        e.GlobalId for e in original.by_type("IfcElement")
    )
    a1_a3 = run.assessment.embodied.a1_a3
    if summary.standard_psets:
        assert sum(_climate_change_kg(written).values()) == pytest.approx(a1_a3, rel=1e-9)
    total = sum(r.get("A1_A3_kgCO2e", 0.0) for r in _results(written).values())
    assert total == pytest.approx(a1_a3, rel=1e-9)
    assert summary.with_results + summary.without_results == len(run.assessment.elements)
    logging.disable(logging.WARNING)
    try:
        assert _validation_errors(written) <= _validation_errors(original)
    finally:
        logging.disable(logging.NOTSET)
    results = _results(written)
    assert summary.coloured == len(results) - len(summary.not_coloured) > 0
    # drawn by the geometry engine (a sample, it is slow): those drawn through a type's map first
    coloured = [step for step, found in results.items() if "HeatmapNote" not in found]
    mapped = [step for step in coloured if _through_a_map(written.by_id(step))]
    shown = mapped[:10] + [step for step in coloured if step not in mapped][:5]
    drawn = _rendered_colours(written, shown)
    assert len(drawn) == len(shown) and (mapped or name == "wall_door_columnt_rgb4x3.ifc")
    for step in shown:
        assert drawn[step] == {_rgb(results[step]["HeatmapColour"])}, (name, step)


def _through_a_map(element) -> bool:
    shape = element.Representation
    return shape is not None and any(
        item.is_a("IfcMappedItem") for rep in shape.Representations for item in rep.Items
    )


def test_assess_writes_the_model_with_results_and_the_same_json(tmp_path):
    model = OFFICE / "office_m.ifc"
    plain = runner.invoke(app, ["assess", str(model), "--json", str(tmp_path / "plain.json")])
    assert plain.exit_code == 0, plain.output
    out = tmp_path / "out" / "office with results.ifczip"
    result = runner.invoke(
        app,
        ["assess", str(model), "--json", str(tmp_path / "a.json"), "--ifc-out", str(out), "--ifc-heatmap"],
    )
    assert result.exit_code == 0, result.output
    assert f"Wrote {out} (22 elements with results, 1 without)" in " ".join(result.stdout.split())
    assert "heatmap: 23 elements coloured" in result.stdout
    assert json.loads((tmp_path / "a.json").read_text()) == json.loads((tmp_path / "plain.json").read_text())
    assert len(_results(read_model(out).ifc)) == 23


def test_the_written_path_is_printed_as_written_even_with_brackets(tmp_path):
    model = small_building(tmp_path / "building.ifc")
    out = tmp_path / "[draft]" / "with results [v2].ifc"
    result = runner.invoke(app, ["assess", str(model), "--ifc-out", str(out)])
    assert result.exit_code == 0, result.output
    assert f"Wrote {out} (" in " ".join(result.stdout.split()) and out.exists()


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--ifc-out", "{tmp}/result.txt"], "must end in .ifc or .ifczip"),
        (["--ifc-heatmap"], "--ifc-heatmap needs --ifc-out"),
        (["--ifc-out", "{model}"], "would overwrite the model"),
        (["--ifc-out", "{tmp}/folder.ifc"], "is a folder"),
        (["--ifc-out", "{tmp}/a file/result.ifc"], "a file is a file, not a folder"),
    ],
)
def test_a_bad_ifc_out_is_one_line_and_exit_code_2_before_assessing(tmp_path, arguments, message):
    model = small_building(tmp_path / "building.ifc")
    before = model.read_bytes()
    (tmp_path / "folder.ifc").mkdir()
    (tmp_path / "a file").write_text("not a folder", encoding="utf-8")
    arguments = [a.format(tmp=tmp_path, model=model) for a in arguments]
    result = runner.invoke(app, ["assess", str(model), *arguments])
    assert result.exit_code == 2
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.output and "Embodied" not in result.stdout
    assert model.read_bytes() == before and not (tmp_path / "result.txt").exists()


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root writes anywhere")
def test_a_read_only_folder_for_ifc_out_is_refused_before_assessing(tmp_path):
    model = small_building(tmp_path / "building.ifc")
    folder = tmp_path / "read-only"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        result = runner.invoke(app, ["assess", str(model), "--ifc-out", str(folder / "result.ifc")])
    finally:
        folder.chmod(0o700)
    assert result.exit_code == 2 and "cannot be written" in result.stderr
    assert "Embodied" not in result.stdout and list(folder.iterdir()) == []


def test_the_web_run_offers_the_model_with_results_in_the_runs_language_written_on_demand(tmp_path):
    from fastapi.testclient import TestClient
    from webforms import as_browser, finished_run

    from bimcarbon.web.app import Settings, create_app

    client = as_browser(TestClient(create_app(Settings(data_dir=tmp_path / "data"))))
    files = {"model": ("office.ifc", (OFFICE / "office_m.ifc").read_bytes(), "application/octet-stream")}
    run_id = finished_run(client, files, {"project": "Office", "lang": "zh"})
    for lang, link in (("en", "Model with results (.ifc)"), ("zh", "含评估结果的模型 (.ifc)")):
        assert link in client.get(f"/runs/{run_id}?lang={lang}").text
    written_at = tmp_path / "data" / "runs" / run_id / "model_with_results.ifc"
    assert not written_at.exists()  # a run does not pay for it: written when first asked for
    response = client.get(f"/runs/{run_id}/files/ifc")
    assert response.status_code == 200 and written_at.read_bytes() == response.content
    assert 'filename="office.model_with_results.ifc"' in response.headers["content-disposition"]
    (tmp_path / "downloaded.ifc").write_bytes(response.content)
    written = read_model(tmp_path / "downloaded.ifc").ifc
    results = _results(written)
    assert len(results) == 23 and all("\u4e00" <= r["StatusNote"][0] <= "\u9fff" for r in results.values())
    assessment = client.get(f"/api/runs/{run_id}/assessment").json()
    assert sum(_climate_change_kg(written).values()) == pytest.approx(assessment["embodied"]["a1_a3"])
    project = _psets(written.by_type("IfcProject")[0])["BIMCarbon_Assessment"]
    assert project["ModelName"] == "office.ifc"  # the name uploaded, never the server's stored file


def test_a_web_run_whose_model_cannot_be_written_again_offers_404_and_leaves_no_part_file(tmp_path):
    from fastapi.testclient import TestClient
    from webforms import as_browser, finished_run

    from bimcarbon.web.app import Settings, create_app

    client = as_browser(TestClient(create_app(Settings(data_dir=tmp_path / "data"))))
    files = {"model": ("office.ifc", (OFFICE / "office_m.ifc").read_bytes(), "application/octet-stream")}
    run_id = finished_run(client, files, {"project": "Office"})
    (stored,) = (tmp_path / "data" / "uploads").iterdir()
    # the stored model no longer the bytes assessed: the writer (in its own process) refuses it
    stored.write_bytes(stored.read_bytes() + b"/* changed */\n")
    response = client.get(f"/runs/{run_id}/files/ifc")
    assert response.status_code == 404
    assert not list((tmp_path / "data" / "runs" / run_id).glob("*.part.ifc"))
    assert client.get(f"/runs/{run_id}/files/json").status_code == 200  # the server goes on
