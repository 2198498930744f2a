"""The LCA-ready pre-check: the shipped IDS, its run on built and real models, and `bimcarbon check`."""

from __future__ import annotations

import importlib.util
import json
import re
import sys

import ifcopenshell
import ifcopenshell.api.material
import pytest
from builders import add_layered_wall, lca_gaps_model, lca_ready_model, new_model
from conftest import REPO, sample
from ifctester.facet import Restriction
from typer.testing import CliRunner

from bimcarbon.cli import app
from bimcarbon.errors import IdsFileError
from bimcarbon.exchange.precheck import PreCheck, load_requirements, summary_line
from bimcarbon.ifc import read_model
from bimcarbon.ifc.ids_check import MEMOISED_QUERIES, load_ids, run_precheck
from bimcarbon.report.precheck import html_report
from bimcarbon.rules import default_rules

runner = CliRunner()
IDS_NS = "{http://standards.buildingsmart.org/IDS}"


def _generator():
    spec = importlib.util.spec_from_file_location("build_lca_ready", REPO / "factors/ids/build_lca_ready.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["build_lca_ready"] = module
    spec.loader.exec_module(module)
    return module


def _by_id(check: PreCheck) -> dict:
    return {r.id: r for r in check.requirements}


# ---- the shipped IDS ---------------------------------------------------------------------------


def test_the_shipped_ids_is_valid_ids_1_0_and_built_from_its_words():
    loaded = load_ids()  # ifctester validates it against the IDS 1.0 XSD on load
    assert loaded.shipped and len(loaded.ids.specifications) == 15  # 4 requirements x 3 versions + 3
    assert _generator().build() == (REPO / "factors/ids/lca-ready.ids").read_text(encoding="utf-8")


def test_every_requirement_names_specifications_that_exist_and_each_specification_serves_one():
    loaded = load_ids()
    named = [s for r in load_requirements().requirements for s in r.specifications]
    assert sorted(named) == sorted(loaded.identifiers)  # none missing, none twice, none unexplained


def test_every_requirement_has_its_words_in_chinese():
    for requirement in load_requirements().requirements:
        for field in ("label", "failing", "description", "instructions") + (
            ("note",) if requirement.note else ()
        ):
            assert re.search(r"[\u4e00-\u9fff]", requirement.zh.get(field, "")), (requirement.id, field)


@pytest.mark.parametrize("schema", ["IFC2X3", "IFC4", "IFC4X3_ADD2"])
def test_each_versions_classes_exist_in_its_schema_and_cover_its_building_elements(schema):
    generator = _generator()
    declared = ifcopenshell.ifcopenshell_wrapper.schema_by_name(schema)
    listed = set(generator.classes(schema))
    names = {declared.declaration_by_name(name).name().upper() for name in listed}  # raises if unknown
    assert names == listed
    base = "IfcBuiltElement" if schema.startswith("IFC4X3") else "IfcBuildingElement"

    def subtypes(entity):
        return [entity, *(s for sub in entity.subtypes() for s in subtypes(sub))]

    every = {e.name() for e in subtypes(declared.declaration_by_name(base)) if not e.is_abstract()}
    # left out on purpose: reinforcement (IFC2X3 counts it a building element; rarely in an architect's
    # model), and IFC4X3's infrastructure (rails, pavements, earthworks, bearings, caissons, moorings)
    left_out = {n for n in every if n.upper() not in listed}
    assert left_out <= {
        "IfcReinforcingBar", "IfcReinforcingMesh", "IfcTendon", "IfcTendonAnchor", "IfcBearing",
        "IfcCaissonFoundation", "IfcCourse", "IfcEarthworksFill", "IfcKerb", "IfcMooringDevice",
        "IfcNavigationElement", "IfcPavement", "IfcRail", "IfcReinforcedSoil", "IfcTrackElement",
        "IfcDeepFoundation", "IfcEarthworksElement",
    }  # fmt: skip


PLACEHOLDERS = [
    "Default", "default", " Default ", "DEFAULT WALL", "Default Wall", "Default Floor", "Default-Roof",
    "<Unnamed>", "<By Category>", "By Category", "Generic", "Unknown", "Undefined", "Undefined/3500",
    "Undefined/Undefined", "TEST material 1", "XELLA unknown", "默认墙", "默认楼板", "缺省材料", "材质 12",
    "材质", "Материал по умолчанию", "Material por defecto", "Matériau par défaut", "Solid",
    "Solid 397409098",
    "Radial Gradient Fill 1515460218", "Lege arcering (2)", "000 Ddichte arcering (01)", "hatching2",
    "Schraffur", "000 50 %", "50%", "100 %",
]  # fmt: skip
REAL_NAMES = [
    "Concrete C30/37", "Defaulted", "Default_Wall", "Generic - 200mm", "Solid timber", "Unknown brick",
    "Mineral wool", "Steel S355", "混凝土", "Brick, Common", "Beton", "Material", "C30",
]  # fmt: skip


@pytest.mark.parametrize("name", PLACEHOLDERS + REAL_NAMES)
def test_the_ids_placeholder_pattern_agrees_with_bimcarbons_placeholder_rule(name):
    rule = next(r for r in default_rules().rules if r.id == "placeholder-name")
    by_rule = re.search(rule.when.material_regex, name.strip().lower()) is not None
    by_ids = Restriction({"pattern": _generator().placeholder_pattern()}) == name  # as ifctester compares
    assert by_ids == by_rule == (name in PLACEHOLDERS)


# ---- on models ---------------------------------------------------------------------------------


@pytest.mark.parametrize("schema", ["IFC4", "IFC2X3"])
def test_a_model_built_to_fail_gives_exactly_its_failing_elements(tmp_path, schema):
    path, gid = lca_gaps_model(tmp_path / "gaps.ifc", schema)
    check = run_precheck(read_model(path))
    found = {r.id: [f.global_id for f in r.failing] for r in check.requirements}
    assert found == {
        "material": [gid["Column without material"]],
        "placeholder": [gid["Beam of Default"]],
        "layer-set": [gid["Wall of one material"]],
        "geometry": [],
        "storeys": [],
        "in-storey": [gid["Member outside"]],
        "floor-area": [gid["Ground floor"]],  # no space, and the storey states no GrossFloorArea
    }
    r = _by_id(check)
    # 5 elements: W1, the column, the beam, the single-material wall and the member
    assert r["material"].applicable_count == 5 and r["material"].failing_count == 1
    assert r["layer-set"].applicable_count == 2  # the two walls (the column has no material at all)
    assert "Default" in r["placeholder"].failing[0].reason
    assert 'a single material ("Concrete C30/37")' in r["layer-set"].failing[0].reason
    assert [n.code for n in r["floor-area"].notes] == ["none", "neither"]
    assert [x.id for x in check.failed] == ["material", "placeholder", "layer-set", "in-storey", "floor-area"]
    assert summary_line(check).startswith("LCA-ready pre-check: 2 of 7 requirements met; ")


def test_a_model_with_what_an_assessment_needs_meets_every_requirement(tmp_path):
    check = run_precheck(read_model(lca_ready_model(tmp_path / "ready.ifc")))
    assert [r.status for r in check.requirements] == ["pass"] * 7
    assert "met_by" in [n.code for n in _by_id(check)["floor-area"].notes]  # the storeys' area


def test_the_sample_office_fails_only_its_unclassified_block_and_its_floor_area():
    check = run_precheck(read_model(REPO / "sample_models/office_m.ifc"))
    r = _by_id(check)
    assert [x.id for x in check.failed] == ["material", "floor-area"]
    # the IfcBuildingElementProxy "Unclassified block" has no material on purpose (sample_models/README)
    assert [(f.ifc_class, f.element_name) for f in r["material"].failing] == [
        ("IfcBuildingElementProxy", "Unclassified block")
    ]
    # no spaces, and its two storeys carry no GrossFloorArea: the floor area comes from slab geometry
    assert [f.ifc_class for f in r["floor-area"].failing] == ["IfcBuildingStorey"] * 2
    assert r["material"].applicable_count == 23  # 24 IfcElement less the window's opening
    quantities = next(n for n in r["geometry"].notes if n.code == "quantities")
    assert quantities.values == {"count": 7, "total": 23}


def test_an_element_ifctester_cannot_check_is_listed_and_the_rest_is_still_checked(tmp_path):
    f, ctx = new_model("m")
    wall = add_layered_wall(f, ctx)
    layer_set = ifcopenshell.util.element.get_material(wall, should_skip_usage=True)
    empty = ifcopenshell.api.material.add_layer(f, layer_set=layer_set, material=None)  # no material
    empty.LayerThickness = 0.01
    f.write(str(tmp_path / "odd.ifc"))
    check = run_precheck(read_model(tmp_path / "odd.ifc"))
    placeholder = _by_id(check)["placeholder"]
    assert (
        placeholder.failing_count == 1
        and "could not be checked (AttributeError" in placeholder.failing[0].reason
    )
    assert [n.code for n in placeholder.notes] == ["not_checked"]
    assert _by_id(check)["in-storey"].status == "pass"  # the other requirements ran


def test_elements_sharing_one_material_each_get_its_answer_and_ifcopenshell_is_left_as_it_was(tmp_path):
    # three walls of one layer set whose second layer has no material: the placeholder facet cannot
    # read it (asked once for the set, the pre-check keeps its answer), and each wall is listed
    f, ctx = new_model("m")
    walls = [add_layered_wall(f, ctx) for _ in range(3)]
    layer_set = ifcopenshell.util.element.get_material(walls[0], should_skip_usage=True)
    ifcopenshell.api.material.assign_material(
        f, products=walls[1:], type="IfcMaterialLayerSetUsage", material=layer_set
    )
    ifcopenshell.api.material.add_layer(f, layer_set=layer_set, material=None).LayerThickness = 0.01
    f.write(str(tmp_path / "shared.ifc"))
    queries = {name: getattr(ifcopenshell.util.element, name) for name in MEMOISED_QUERIES}
    placeholder = _by_id(run_precheck(read_model(tmp_path / "shared.ifc")))["placeholder"]
    assert sorted(x.global_id for x in placeholder.failing) == sorted(w.GlobalId for w in walls)
    assert all("could not be checked (AttributeError" in x.reason for x in placeholder.failing)
    assert {name: getattr(ifcopenshell.util.element, name) for name in MEMOISED_QUERIES} == queries


def test_an_aggregate_without_a_body_is_counted_by_its_parts(tmp_path):
    import ifcopenshell.api.aggregate
    import ifcopenshell.api.spatial

    f, ctx = new_model("m")
    wall = add_layered_wall(f, ctx)
    stair = ifcopenshell.api.root.create_entity(f, ifc_class="IfcStair", name="Stair")  # no body, no material
    ifcopenshell.api.spatial.assign_container(f, products=[stair], relating_structure=ctx["storey"])
    ifcopenshell.api.spatial.unassign_container(f, products=[wall])
    ifcopenshell.api.aggregate.assign_object(f, products=[wall], relating_object=stair)
    f.write(str(tmp_path / "stair.ifc"))
    r = _by_id(run_precheck(read_model(tmp_path / "stair.ifc")))
    assert r["material"].status == "pass" and r["material"].applicable_count == 1  # the part, not the stair
    assert r["geometry"].status == "pass" and r["geometry"].notes[0].code == "aggregates"
    assert r["in-storey"].status == "pass"  # the part is in the storey through its stair


# ---- the public samples -------------------------------------------------------------------------


def test_revits_default_wall_material_is_a_placeholder():
    r = _by_id(run_precheck(read_model(sample("wall_door_columnt_rgb4x3.ifc"))))
    assert [(f.ifc_class, f.reason) for f in r["placeholder"].failing] == [
        ("IfcWall", 'The material should not have met the requirement ("Default Wall")')
    ]


def test_beams_without_a_storey_fail_the_storey_requirements():
    r = _by_id(run_precheck(read_model(sample("beam-parametric-cross-section.ifc"))))
    assert r["storeys"].status == "fail" and r["storeys"].notes[0].values["ifc_class"] == "IfcBuildingStorey"
    assert r["in-storey"].failing_count == 18  # every beam sits in the building, in no storey
    assert r["material"].status == r["geometry"].status == "pass"


def test_tekla_coverings_without_geometry_and_undefined_materials_are_named():
    r = _by_id(run_precheck(read_model(sample("MULTICOM-trappen+bordessen.ifc"))))
    assert r["geometry"].failing_count == 36 and {f.ifc_class for f in r["geometry"].failing} == {
        "IfcCovering"
    }
    assert r["placeholder"].failing_count == 42  # "Undefined/Undefined" (36) and "Undefined/3500" (6)


def test_spaces_with_a_gross_floor_area_meet_the_floor_area_requirement():
    r = _by_id(run_precheck(read_model(sample("AC20-FZK-Haus.ifc"))))
    assert r["floor-area"].status == "pass" and r["floor-area"].notes[0].values == {
        "specification": "space-floor-area"
    }


# ---- bimcarbon check ----------------------------------------------------------------------------


def test_check_exits_0_when_every_requirement_is_met_and_1_when_some_are_not(tmp_path):
    ready = runner.invoke(app, ["check", str(lca_ready_model(tmp_path / "ready.ifc"))])
    assert ready.exit_code == 0, ready.output
    assert "LCA-ready pre-check: 7 of 7 requirements met" in ready.stdout
    path, gid = lca_gaps_model(tmp_path / "gaps.ifc")
    gaps = runner.invoke(app, ["check", str(path)])
    assert gaps.exit_code == 1, gaps.output
    assert f"1 element(s) without a material: {gid['Column without material']}" in gaps.stdout


def test_check_writes_a_self_contained_html_page_in_chinese_with_the_failing_elements(tmp_path):
    path, gid = lca_gaps_model(tmp_path / "gaps.ifc")
    out = tmp_path / "report.html"
    result = runner.invoke(app, ["check", str(path), "-o", str(out), "--lang", "zh"])
    assert result.exit_code == 1, result.output
    page = out.read_text(encoding="utf-8")
    assert '<html lang="zh-CN">' in page
    for words in (
        "每个建筑构件都有材料",
        "建筑构件不使用占位材料",
        "墙、楼板、屋顶和覆面具有材料层组",
        "构件没有材料",
    ):
        assert words in page
    assert all(gid[name] in page for name in ("Column without material", "Beam of Default", "Member outside"))
    assert "<script" not in page and not re.search(r"(src|href)=\"(https?:)?//", page)
    assert "LCA 就绪预检:7 项要求中满足 2 项" in result.stdout


def test_check_writes_json_that_reads_back_as_the_same_result(tmp_path):
    path, gid = lca_gaps_model(tmp_path / "gaps.ifc")
    out = tmp_path / "report.json"
    assert runner.invoke(app, ["check", str(path), "-o", str(out)]).exit_code == 1
    check = PreCheck.model_validate_json(out.read_text(encoding="utf-8"))
    assert check.model_name == "gaps.ifc" and check.shipped
    assert _by_id(check)["in-storey"].failing[0].global_id == gid["Member outside"]
    assert json.loads(out.read_text())["format"] == "bimcarbon.precheck"


USER_IDS = """<?xml version="1.0" encoding="utf-8"?>
<ids xmlns="http://standards.buildingsmart.org/IDS" xmlns:xs="http://www.w3.org/2001/XMLSchema">
  <info><title>Walls are external or not</title></info>
  <specifications>
    <specification name="Walls say whether they are external" ifcVersion="IFC4" identifier="walls-external">
      <applicability minOccurs="0" maxOccurs="unbounded">
        <entity><name><simpleValue>IFCWALL</simpleValue></name></entity></applicability>
      <requirements><property dataType="IFCBOOLEAN">
        <propertySet><simpleValue>Pset_WallCommon</simpleValue></propertySet>
        <baseName><simpleValue>IsExternal</simpleValue></baseName></property></requirements>
    </specification>
    <specification name="Old walls" ifcVersion="IFC2X3">
      <applicability minOccurs="0" maxOccurs="unbounded">
        <entity><name><simpleValue>IFCWALL</simpleValue></name></entity></applicability>
      <requirements><attribute><name><simpleValue>Name</simpleValue></name></attribute></requirements>
    </specification>
  </specifications>
</ids>
"""


def test_a_users_ids_is_run_the_same_way_one_result_per_specification(tmp_path):
    path, gid = lca_gaps_model(tmp_path / "gaps.ifc")
    (tmp_path / "mine.ids").write_text(USER_IDS, encoding="utf-8")
    out = tmp_path / "mine.json"
    result = runner.invoke(app, ["check", str(path), "--ids", str(tmp_path / "mine.ids"), "-o", str(out)])
    assert result.exit_code == 1, result.output
    check = PreCheck.model_validate_json(out.read_text(encoding="utf-8"))
    assert not check.shipped and [r.id for r in check.requirements] == ["walls-external", "specification-2"]
    walls, old = check.requirements
    # the two walls (W1, the single-material one) carry no Pset_WallCommon
    assert walls.status == "fail" and {f.global_id for f in walls.failing} == {
        gid["W1"],
        gid["Wall of one material"],
    }
    assert walls.failing[0].reason == "The required property set does not exist"
    assert old.status == "not applicable" and old.notes[0].values == {"versions": "IFC2X3", "schema": "IFC4"}
    assert "IDS pre-check (mine.ids): 0 of 1 requirements met" in result.stdout


def test_brackets_in_the_model_and_ids_names_are_printed_as_written_not_read_as_markup(tmp_path):
    folder = tmp_path / "[draft]"
    folder.mkdir()
    path, _ = lca_gaps_model(folder / "gaps [v2].ifc")
    ids = folder / "mine.ids"
    named = USER_IDS.replace("Walls say whether", "[LOD 300] [/b] Walls say whether")
    ids.write_text(named, encoding="utf-8")
    out = folder / "r.html"
    result = runner.invoke(app, ["check", str(path), "--ids", str(ids), "-o", str(out)])
    assert result.exit_code == 1, result.output  # not an internal error on the stray closing tag
    text = " ".join(result.stdout.split())
    assert "gaps [v2].ifc (IFC4; mine.ids)" in text and "[LOD 300] [/b] Walls say" in text
    assert f"Wrote {out}" in text


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("not xml <", "cannot be read as IDS (invalid XML syntax"),
        ('<ids xmlns="http://standards.buildingsmart.org/IDS"><info><title>t</title></info></ids>',
         "not a valid IDS 1.0 file at /ids: The content of element"),
        (USER_IDS.replace("<simpleValue>IsExternal</simpleValue>",
                          '<xs:restriction base="xs:string"><xs:pattern value="Is[External"/>'
                          "</xs:restriction>"),
         "specification 'Walls say whether they are external': the pattern 'Is[External' is not an XSD"),
    ],
)  # fmt: skip
def test_a_bad_ids_file_is_one_line_naming_the_file_and_exit_code_2(tmp_path, text, says):
    bad = tmp_path / "bad.ids"
    bad.write_text(text, encoding="utf-8")
    path, _ = lca_gaps_model(tmp_path / "gaps.ifc")
    result = runner.invoke(app, ["check", str(path), "--ids", str(bad)])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {bad}: {says}") and len(result.stderr.strip().splitlines()) == 1
    with pytest.raises(IdsFileError):
        load_ids(bad)


def test_the_shipped_ids_read_from_the_cache_checks_a_model_as_the_validated_one(tmp_path, monkeypatch):
    # ifctester's parse changes the decoded content: the cache must keep it as validated, not as parsed
    from bimcarbon.exchange.precheck import SHIPPED_IDS
    from bimcarbon.factors import factors_dir
    from bimcarbon.ifc import ids_check

    monkeypatch.setenv("BIMCARBON_CACHE_DIR", str(tmp_path / "cache"))
    shipped = factors_dir() / SHIPPED_IDS
    validated = ids_check._load(shipped, shipped=True)
    cached = ids_check._load(shipped, shipped=True)
    assert ids_check._cache_file(shipped).exists()

    def facets(loaded):
        every = [f for s in loaded.ids.specifications for f in [*s.applicability, *s.requirements]]
        shown = [{k: vars(v) if isinstance(v, Restriction) else v for k, v in vars(f).items()} for f in every]
        return [(type(f).__name__, repr(sorted(s.items()))) for f, s in zip(every, shown, strict=True)]

    assert facets(cached) == facets(validated)
    model = read_model(lca_gaps_model(tmp_path / "gaps.ifc")[0])
    by_validated = run_precheck(model, validated).model_dump(exclude={"seconds"})
    assert run_precheck(model, cached).model_dump(exclude={"seconds"}) == by_validated


def test_the_kept_ids_is_validated_again_under_another_xmlschema(tmp_path, monkeypatch):
    # xmlschema decodes the IDS: what one version decoded is not taken for what another would
    from bimcarbon.exchange.precheck import SHIPPED_IDS
    from bimcarbon.factors import factors_dir
    from bimcarbon.ifc import ids_check

    monkeypatch.setenv("BIMCARBON_CACHE_DIR", str(tmp_path / "cache"))
    shipped = factors_dir() / SHIPPED_IDS
    ids_check._load(shipped, shipped=True)  # validated and kept
    validations = []
    real_validated, real_version = ids_check._validated, ids_check.version
    monkeypatch.setattr(
        ids_check, "_validated", lambda path: validations.append(path) or real_validated(path)
    )
    ids_check._load(shipped, shipped=True)
    assert validations == []  # the same versions: read from the cache
    monkeypatch.setattr(
        ids_check, "version", lambda name: "0.0" if name == "xmlschema" else real_version(name)
    )
    ids_check._load(shipped, shipped=True)
    assert validations == [shipped]


def test_a_cache_of_the_parsed_ids_left_by_an_earlier_version_is_not_read(tmp_path, monkeypatch):
    # 4b4ee7a kept the content after ifctester's parse had changed it (PartOf then checked against
    # IfcWall, not IfcBuilding), under the name the fixed version reads: such a file must not be taken
    import hashlib
    import marshal
    from importlib.metadata import version

    from ifctester import ids as ifctester_ids

    from bimcarbon.exchange.precheck import SHIPPED_IDS
    from bimcarbon.factors import factors_dir
    from bimcarbon.ifc import ids_check

    monkeypatch.setenv("BIMCARBON_CACHE_DIR", str(tmp_path / "cache"))
    shipped = factors_dir() / SHIPPED_IDS
    model = read_model(lca_gaps_model(tmp_path / "gaps.ifc")[0])
    validated = run_precheck(model, ids_check._load(shipped, shipped=True)).model_dump(exclude={"seconds"})
    decoded = ids_check._validated(shipped)
    ifctester_ids.Ids().parse(decoded)  # changes ``decoded``
    digest = hashlib.sha256(shipped.read_bytes()).hexdigest()
    old_name = tmp_path / "cache" / "data" / f"{digest}-ids-ifctester{version('ifctester')}.marshal"
    old_name.write_bytes(marshal.dumps(decoded))  # what 4b4ee7a wrote, where it wrote it
    again = run_precheck(model, ids_check._load(shipped, shipped=True)).model_dump(exclude={"seconds"})
    assert again == validated


def test_a_kept_ids_is_read_from_the_cache_and_a_bad_pattern_is_never_kept(tmp_path, monkeypatch):
    # the shipped IDS is validated (XSD, then its patterns) once and kept: later reads skip both
    from bimcarbon.ifc import ids_check

    monkeypatch.setenv("BIMCARBON_CACHE_DIR", str(tmp_path / "cache"))
    good = tmp_path / "good.ids"
    good.write_text(USER_IDS, encoding="utf-8")
    ids_check._load(good, shipped=True)
    assert ids_check._cache_file(good).exists()
    monkeypatch.setattr(ids_check, "_validated", lambda path: pytest.fail("validated again"))
    monkeypatch.setattr(ids_check, "_check_patterns", lambda *a: pytest.fail("patterns checked again"))
    again = ids_check._load(good, shipped=True)
    assert again.ids.specifications[0].name == "Walls say whether they are external"
    monkeypatch.undo()
    monkeypatch.setenv("BIMCARBON_CACHE_DIR", str(tmp_path / "cache"))
    bad = tmp_path / "bad.ids"
    bad.write_text(USER_IDS.replace("<simpleValue>IsExternal</simpleValue>",
                                    '<xs:restriction base="xs:string"><xs:pattern value="Is[External"/>'
                                    "</xs:restriction>"), encoding="utf-8")  # fmt: skip
    for _ in range(2):  # refused each time: never served from the cache
        with pytest.raises(IdsFileError, match="is not an XSD regular expression"):
            ids_check._load(bad, shipped=True)
    assert not ids_check._cache_file(bad).exists()


def test_check_refuses_a_missing_model_an_unknown_report_format_and_language(tmp_path):
    missing = runner.invoke(app, ["check", str(tmp_path / "none.ifc")])
    assert missing.exit_code == 2 and "file not found" in missing.stderr
    model = lca_ready_model(tmp_path / "ready.ifc")
    pdf = runner.invoke(app, ["check", str(model), "-o", str(tmp_path / "r.pdf")])
    assert pdf.exit_code == 2 and "use .html or .json" in pdf.stderr
    assert runner.invoke(app, ["check", str(model), "--lang", "fr"]).exit_code == 2
    assert runner.invoke(app, ["check", str(model), "--ids", str(tmp_path / "no.ids")]).exit_code == 2


def test_the_html_page_in_english_says_what_ids_cannot_say():
    check = run_precheck(read_model(REPO / "sample_models/office_m.ifc"))
    page = html_report(check, "en")
    assert "bimcarbon (IDS cannot say it)" in page and "Walls, slabs, roofs and coverings" in page
    assert page.count("<section") == 2  # one per requirement not met


# ---- at the start of every assessment ------------------------------------------------------------

OFFICE = REPO / "sample_models/office_m.ifc"


def test_an_assessment_carries_the_pre_check_the_same_whether_its_take_off_was_cached(tmp_path):
    from bimcarbon.assess import assess

    fresh = assess(OFFICE).assessment
    first = assess(OFFICE, cache_dir=tmp_path).assessment  # reads, checks, takes off, keeps
    cached = assess(OFFICE, cache_dir=tmp_path).assessment  # from the cache, without reading the model
    assert fresh.precheck is not None and fresh.precheck.seconds is None  # no run time: a stable JSON
    assert fresh.precheck == first.precheck == cached.precheck
    assert fresh.model_dump_json() == cached.model_dump_json()
    assert list(fresh.model_dump())[-1] == "precheck" and fresh.parameters["precheck"] is True


def test_no_precheck_skips_it_and_a_cache_made_so_is_read_again_when_the_check_is_wanted(tmp_path):
    from bimcarbon.assess import assess

    told = []
    skipped = assess(OFFICE, cache_dir=tmp_path, precheck=False, on_precheck=told.append).assessment
    assert skipped.precheck is None and skipped.parameters["precheck"] is False and not told
    stages = []
    again = assess(
        OFFICE, cache_dir=tmp_path, progress=lambda s, c: stages.append(s), on_precheck=told.append
    )
    assert "precheck" in stages  # the cache had no pre-check: the model was read again
    assert again.assessment.precheck is not None and [c.model_name for c in told] == ["office_m.ifc"]
    assert len(told[0].requirements[0].failing) == 1


def test_an_assessment_lists_at_most_20_failing_elements_per_requirement_and_counts_them_all(tmp_path):
    import ifcopenshell.api.spatial
    from builders import add_box_element

    from bimcarbon.assess import assess

    f, ctx = new_model("m")
    add_layered_wall(f, ctx)
    columns = [
        add_box_element(f, ctx, "IfcColumn", f"C{i}", None) for i in range(25)
    ]  # 25 without a material
    ifcopenshell.api.spatial.assign_container(f, products=columns, relating_structure=ctx["storey"])
    f.write(str(tmp_path / "columns.ifc"))
    told = []
    check = assess(tmp_path / "columns.ifc", on_precheck=told.append).assessment.precheck
    material = _by_id(check)["material"]
    assert material.failing_count == 25 and len(material.failing) == 20 and check.listed_at_most == 20
    assert len(told[0].requirements[0].failing) == 25  # the whole list goes to on_precheck (the web)


def test_assess_prints_the_pre_check_line_first_and_no_precheck_leaves_it_out(tmp_path):
    path, gid = lca_gaps_model(tmp_path / "gaps.ifc")
    result = runner.invoke(app, ["assess", str(path), "--json", str(tmp_path / "a.json")])
    assert result.exit_code == 0, result.output  # a model failing the pre-check is still assessed
    first = result.stdout.splitlines()[0]  # no IMPLAUSIBLE line here: the pre-check comes first
    assert first.startswith("LCA-ready pre-check: 2 of 7 requirements met; 1 element(s) without a material: ")
    assert f"bimcarbon check {path} -o report.html" in result.stdout
    saved = json.loads((tmp_path / "a.json").read_text())
    assert saved["precheck"]["requirements"][0]["failing"][0]["global_id"] == gid["Column without material"]
    skipped = runner.invoke(app, ["assess", str(path), "--no-precheck", "--json", str(tmp_path / "b.json")])
    assert skipped.exit_code == 0 and "pre-check" not in skipped.stdout
    assert json.loads((tmp_path / "b.json").read_text())["precheck"] is None


def test_the_command_for_every_failing_element_can_be_copied_for_a_path_with_spaces(tmp_path):
    path, _ = lca_gaps_model(tmp_path / "gaps model.ifc")  # as "ROOT-houten kozijnen.ifczip"
    result = runner.invoke(app, ["assess", str(path), "--no-embodied"])
    assert result.exit_code == 0, result.output
    assert f"every failing element: bimcarbon check '{path}' -o report.html" in result.stdout


def test_the_workbook_summary_has_the_pre_check_in_chinese_and_points_to_the_full_list(tmp_path):
    import openpyxl

    path, gid = lca_gaps_model(tmp_path / "gaps.ifc")
    book = tmp_path / "gaps.xlsx"
    assert runner.invoke(app, ["assess", str(path), "-o", str(book), "--lang", "zh"]).exit_code == 0
    rows = [
        [c for c in row if c is not None]
        for row in openpyxl.load_workbook(book)["汇总"].iter_rows(values_only=True)
    ]
    at = rows.index(["7 项要求中满足 2 项"])
    assert rows[at + 1] == ["要求", "结论", "适用构件数", "不满足数", "首批不满足构件的 GlobalId"]
    assert rows[at + 2] == ["每个建筑构件都有材料", "不满足", 5, 1, gid["Column without material"]]
    assert rows[at + 5][:4] == ["每个建筑构件都有几何形体", "满足", 5, 0]
    assert rows[at + 9][0] == "所有不满足的构件(按 GlobalId,附原因与修正方法):"
    assert rows[at + 9][1].startswith("bimcarbon check gaps.ifc -o report.html --lang zh。")
