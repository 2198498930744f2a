"""LCAx export (bimcarbon assess --lcax): the assessment as an LCAx project that the lcax package's own
model reads, validates and recalculates to the assessment's totals.

Office (sample_models/office_m.ifc with office_m.energy.yaml): floor area 2 x 80 = 160 m2, design life
50 a. Figures checked on paper:

* glulam beam 0.2 x 0.4 x 5 m = 0.4 m3 x 500 kg/m3 = 200 kg = 0.2 t x 269.5 kgCO2e/t (desnz_wood) =
  53.9 kgCO2e A1-A3; its end of life is combustion, 0.2 t x 4.68568 kgCO2e/t = 0.937136 kgCO2e in C3;
* float glass goes to landfill: C4, 0.27 t x 1.26338 kgCO2e/t = 0.3411126 kgCO2e;
* A5 site activity 40 kgCO2e/m2 x 160 m2 = 6,400; C1 3.4 kgCO2e/m2 x 160 m2 = 544 kgCO2e;
* B6: grid electricity (12,000 - 2,000 PV) kWh x 0.5306 = 5,306 and natural gas 1,000 m3 x 2.16 = 2,160
  kgCO2 a year; x 50 a = 265,300 + 108,000 = 373,300 kgCO2.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import pytest
from conftest import sample
from typer.testing import CliRunner

from bimcarbon.assess import assess
from bimcarbon.cli import app
from bimcarbon.exchange.lcax_export import (
    BUILDING_LEVEL,
    OPERATIONAL,
    lcax_project,
    lcax_totals,
    module_totals,
)
from bimcarbon.exchange.lcax_file import recalculation_problems, write_lcax

lcax = pytest.importorskip("lcax", reason="the lcax package (bimcarbon[lcax]) is not installed")

SAMPLES = Path(__file__).resolve().parent.parent / "sample_models"
OFFICE = SAMPLES / "office_m.ifc"
ENERGY = SAMPLES / "office_m.energy.yaml"
runner = CliRunner()


@pytest.fixture(scope="module")
def office():
    return assess(OFFICE, ENERGY)


def written(run, path: Path) -> tuple[dict, list[str]]:
    """Write the LCAx file; its JSON and the problems the writer found."""
    result = write_lcax(run, path)
    return json.loads(path.read_text(encoding="utf-8")), result.problems


def recalculated(document: dict) -> dict[str, float]:
    """The project recalculated by lcax's own calculate_project, per module (C3 + C4 together)."""
    project = lcax.calculate_project(lcax.Project.loads(json.dumps(document)))
    return lcax_totals(json.loads(project.dumps())["results"])


def assert_same_totals(got: dict[str, float], expected: dict[str, float]) -> None:
    assert set(got) == set(expected)
    for module, value in expected.items():
        assert got[module] == pytest.approx(value, rel=1e-9, abs=1e-6), module


def products(document: dict, assembly: str) -> dict[str, dict]:
    found = next(a for a in document["assemblies"] if a["name"] == assembly)
    return {p["name"]: p for p in found["products"]}


def test_the_office_recalculated_by_lcax_gives_the_assessment_s_total_of_every_module(office, tmp_path):
    document, problems = written(office, tmp_path / "office.lcax.json")
    assert problems == []
    totals = module_totals(office.assessment)
    assert totals["b6"] == pytest.approx(373_300.0)  # (10,000 x 0.5306 + 1,000 x 2.16) x 50
    assert totals["a5"] == pytest.approx(office.assessment.embodied.a5_wastage + 6_400.0)
    assert totals["c1"] == pytest.approx(544.0)
    assert_same_totals(recalculated(document), totals)
    assert_same_totals(lcax_totals(document["results"]), totals)  # the results the file states
    assert document["lifeCycleModules"] == ["a1a3", "a4", "a5", "b4", "b6", "c1", "c2", "c3", "c4"]


def test_the_file_is_read_by_lcax_s_model_and_passes_its_validation(office, tmp_path):
    document, _ = written(office, tmp_path / "office.lcax.json")
    project = lcax.Project.loads(json.dumps(document))
    assert project.location.country == lcax.Country.CHN
    assert project.reference_study_period == 50
    assert project.software_info.lca_software == "bimcarbon"
    assert document["projectInfo"]["grossFloorArea"]["value"] == pytest.approx(160.0)
    schemas = [
        lcax.ValidationSchema(level=getattr(lcax.Level, level), field=field, rule=lcax.ValidationRule(**rule))
        for level, field, rule in [
            ("Project", "location.country", {"equal": "chn"}),
            ("Project", "lciaMethod", {"equal": "GB/T 51366-2019"}),
            ("Project", "impactCategories", {"includes": "gwp"}),
            ("Product", "unit", {"one_of": ["m3", "m2", "m", "kg", "tones", "pcs", "kwh"]}),
        ]
    ]
    assert lcax.validate(project, schemas) == []


def test_a_product_is_a_material_with_its_factor_in_the_factor_s_unit_and_its_modules(office, tmp_path):
    document, _ = written(office, tmp_path / "office.lcax.json")
    beam = products(document, "IfcBeam")["Glulam GL24h: Wood (generic, fossil only, UK)"]
    assert beam["unit"] == "tones" and beam["quantity"] == pytest.approx(0.2)  # 0.4 m3 x 500 kg/m3
    factor, scenario = beam["impactData"]
    assert factor["id"] == "desnz_wood" and factor["declaredUnit"] == "tones"
    assert factor["impacts"]["gwp"] == {"a1a3": 269.5}
    assert factor["metaData"]["bimcarbon"]["status"] == office.library.get("desnz_wood").status.value
    assert "status:" in factor["comment"] and factor["source"]["name"]
    gwp = beam["results"]["gwp"]
    assert gwp["a1a3"] == pytest.approx(53.9)  # 0.2 t x 269.5
    assert gwp["c3"] == pytest.approx(0.937136) and gwp["c4"] == 0.0  # combustion: C3
    assert scenario["declaredUnit"] == "tones"
    assert scenario["impacts"]["gwp"]["c3"] == pytest.approx(4.68568)  # per tonne
    glass = next(p for n, p in products(document, "IfcWindow").items() if n.startswith("Float glass"))
    assert glass["results"]["gwp"]["c4"] == pytest.approx(0.3411126)  # landfill: C4, 0.27 t x 1.26338
    assert glass["results"]["gwp"]["c3"] == 0.0


def test_units_are_the_same_on_every_product_and_its_impact_data(office, tmp_path):
    document, _ = written(office, tmp_path / "office.lcax.json")
    for assembly in document["assemblies"]:
        for product in assembly["products"]:
            for data in product["impactData"]:
                assert data["declaredUnit"] == product["unit"], (assembly["name"], product["name"])
            if product["impactData"] and assembly["name"] not in (BUILDING_LEVEL, OPERATIONAL):
                factor = office.library.get(product["impactData"][0]["id"])
                assert product["unit"] == {"t": "tones", "piece": "pcs"}.get(
                    factor.declared_unit, factor.declared_unit
                )


def test_a5_site_activity_c1_and_b6_are_building_level_assemblies(office, tmp_path):
    document, _ = written(office, tmp_path / "office.lcax.json")
    building = products(document, BUILDING_LEVEL)
    site = building["Construction site activity (A5)"]
    assert (site["quantity"], site["unit"]) == (160.0, "m2")
    assert site["impactData"][0]["impacts"]["gwp"] == {"a5": 40.0}
    assert building["Demolition and deconstruction (C1)"]["impactData"][0]["impacts"]["gwp"] == {"c1": 3.4}
    energy = products(document, OPERATIONAL)
    grid = energy["electricity (grid)"]
    assert (grid["quantity"], grid["unit"]) == (10_000.0, "kwh")  # a year: lcax multiplies by 50 a
    assert grid["metaData"]["isAnnual"] is True
    assert grid["impactData"][0]["impacts"]["gwp"] == {"b6": 0.5306}
    assert grid["results"]["gwp"]["b6"] == pytest.approx(265_300.0)
    assert energy["natural gas"]["results"]["gwp"]["b6"] == pytest.approx(108_000.0)


def test_no_element_vanishes_parts_left_out_are_products_without_impact_data(office, tmp_path):
    document, _ = written(office, tmp_path / "office.lcax.json")
    in_products = {
        gid
        for assembly in document["assemblies"]
        for product in assembly["products"]
        for gid in product.get("metaData", {}).get("bimcarbon", {}).get("global_ids", [])
    }
    assert in_products == {e.global_id for e in office.assessment.elements}
    walls = products(document, "IfcWall")
    plaster = walls["Gypsum plaster"]  # no factor for gypsum plaster in the office's rules
    assert plaster["impactData"] == [] and plaster["metaData"]["bimcarbon"]["status"] == "left out"
    assert plaster["quantity"] == pytest.approx(4.1304) and plaster["unit"] == "m3"
    proxy = products(document, "IfcBuildingElementProxy")["(no material)"]
    assert proxy["impactData"] == [] and "no_material" in proxy["metaData"]["bimcarbon"]["flags"]
    left_out = document["metaData"]["bimcarbon"]["elements_left_out"]
    statuses = {e.global_id: e.status for e in office.assessment.elements}
    assert {e["global_id"] for e in left_out} == {
        gid for gid, status in statuses.items() if status in ("left out", "partly left out")
    }


def test_what_lcax_has_no_field_for_is_in_the_project_s_metadata(office, tmp_path):
    document, _ = written(office, tmp_path / "office.lcax.json")
    meta = document["metaData"]["bimcarbon"]
    assert meta["format"] == "bimcarbon.lcax" and meta["model_sha256"] == office.assessment.model_sha256
    assert [t["verdict"] for t in meta["with_embodied"]["verdicts"]["tiers"]] == [
        t.verdict for t in office.assessment.with_embodied.verdicts.tiers
    ]
    assert meta["embodied"]["biogenic_kgco2"] == pytest.approx(office.assessment.embodied.biogenic_kgco2)
    assert meta["warnings"] == office.assessment.warnings
    assert meta["floor_area"]["source"] == office.assessment.floor_area.source


def test_texts_naming_a_year_or_annual_do_not_make_lcax_read_a_time_series_or_a_rate(office, tmp_path):
    # lcax 3.8 reads two impact data of a product that each name a year as a series over time, and
    # a product whose description says "annual" as a rate: model or factor texts that do must not change
    # the recalculated totals
    library = office.library.model_copy(deep=True)
    for factor_id, factor in list(library.by_id.items()):
        library.by_id[factor_id] = factor.model_copy(
            update={"name_en": f"{factor.name_en} 2019", "status_note": "annual figure read in 2025"}
        )
    run = assess(OFFICE, ENERGY)
    run.library = library
    named = run.components["material"].map(lambda m: f"Annual {m} 2019" if isinstance(m, str) else m)
    run.components = run.components.assign(material=named)  # as a model could name its materials
    document, problems = written(run, tmp_path / "years.lcax.json")
    assert problems == []
    assert any(name.startswith("Annual Concrete") for name in products(document, "IfcSlab"))
    assert_same_totals(recalculated(document), module_totals(run.assessment))


def test_a_design_life_that_is_not_whole_years_writes_b6_over_the_design_life(tmp_path):
    energy = tmp_path / "energy.yaml"
    energy.write_text(ENERGY.read_text().replace("design_life_years: 50", "design_life_years: 47.5"))
    run = assess(OFFICE, energy)
    document, problems = written(run, tmp_path / "office.lcax.json")
    assert problems == []
    assert document["referenceStudyPeriod"] == 48  # rounded: LCAx holds whole years
    grid = products(document, OPERATIONAL)["electricity (grid)"]
    assert grid["quantity"] == pytest.approx(10_000 * 47.5) and "isAnnual" not in grid["metaData"]
    assert module_totals(run.assessment)["b6"] == pytest.approx(7_466.0 * 47.5)
    assert_same_totals(recalculated(document), module_totals(run.assessment))


def test_without_an_energy_file_there_is_no_b6(tmp_path):
    run = assess(OFFICE)
    document, problems = written(run, tmp_path / "office.lcax.json")
    assert problems == []
    assert "b6" not in document["lifeCycleModules"]
    assert OPERATIONAL not in {a["name"] for a in document["assemblies"]}
    assert_same_totals(recalculated(document), module_totals(run.assessment))


@pytest.mark.parametrize("name", ["duplex.ifc", "SampleHouse4.ifc", "AC20-FZK-Haus.ifc"])
def test_public_samples_recalculate_to_their_totals_and_keep_every_element(name, tmp_path):
    run = assess(sample(name))
    document, problems = written(run, tmp_path / "sample.lcax.json")
    assert problems == []
    assert_same_totals(recalculated(document), module_totals(run.assessment))
    a1a3 = sum(
        (p.get("results") or {}).get("gwp", {}).get("a1a3", 0.0)
        for a in document["assemblies"]
        for p in a["products"]
    )
    assert a1a3 == pytest.approx(run.assessment.embodied.a1_a3, rel=1e-9)
    global_ids = {
        gid
        for a in document["assemblies"]
        for p in a["products"]
        for gid in p["metaData"]["bimcarbon"].get("global_ids", [])
    }
    assert global_ids == {e.global_id for e in run.assessment.elements if e.global_id}


def test_the_same_model_exports_the_same_ids(office):
    def ids(document: dict) -> list[str]:
        assemblies = document["assemblies"]
        return [a["id"] for a in assemblies] + [p["id"] for a in assemblies for p in a["products"]]

    first = ids(lcax_project(office))
    assert first == ids(lcax_project(office))
    assert len(set(first)) == len(first)
    assert all(re.fullmatch(r"[0-9a-f-]{36}", i) for i in first)


def test_a_recalculated_module_that_differs_from_the_assessment_is_a_problem():
    problems = recalculation_problems(
        {"a1a3": 100.0, "c3_c4": 3.0}, {"gwp": {"a1a3": 90.0, "c3": 1.0, "c4": 2.0}}
    )
    assert len(problems) == 1 and "a1a3 as 90.000" in problems[0] and "100.000" in problems[0]
    assert recalculation_problems({"b6": 5.0}, {"gwp": {}}) == [
        "LCAx recalculates b6 as nothing kgCO2e, the assessment says 5.000: read the LCAx file's results "
        "with care"
    ]
    assert math.isclose(lcax_totals({"gwp": {"c3": 1.0, "c4": 2.0}})["c3_c4"], 3.0)


def test_assess_writes_the_lcax_file_from_the_command_line(tmp_path):
    target = tmp_path / "out" / "office.lcax.json"
    result = runner.invoke(app, ["assess", str(OFFICE), "--energy", str(ENERGY), "--lcax", str(target)])
    assert result.exit_code == 0, result.output
    assert f"Wrote {target}" in result.stdout and "warning: LCAx" not in result.stdout
    project = lcax.Project.loads(target.read_text(encoding="utf-8"))
    assert project.name == "bimcarbon sample office"


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("office.lcax.xml", "the --lcax file must end in .json"),
        ("a-file/office.lcax.json", "a-file is a file, not a folder"),
    ],
)
def test_a_bad_lcax_path_is_one_line_naming_it_and_exit_2_before_any_work(tmp_path, target, message):
    (tmp_path / "a-file").write_text("not a folder")
    path = tmp_path / target
    result = runner.invoke(app, ["assess", str(OFFICE), "--lcax", str(path)])
    assert result.exit_code == 2
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and str(path) in lines[0] and message in lines[0]
    assert "Traceback" not in result.output and "Embodied" not in result.stdout  # not assessed


def test_an_lcax_file_that_would_overwrite_the_assessment_json_is_refused_before_any_work(tmp_path):
    path = tmp_path / "result.json"
    result = runner.invoke(app, ["assess", str(OFFICE), "--json", str(path), "--lcax", str(path)])
    assert result.exit_code == 2 and "--lcax and --json name the same file" in result.stderr
    assert "Embodied" not in result.stdout and not path.exists()


def test_without_the_lcax_package_the_option_says_how_to_install_it(tmp_path, monkeypatch):
    monkeypatch.setitem(__import__("sys").modules, "lcax", None)  # import lcax raises ImportError
    path = tmp_path / "office.lcax.json"
    result = runner.invoke(app, ["assess", str(OFFICE), "--lcax", str(path)])
    assert result.exit_code == 2
    assert "pip install 'bimcarbon[lcax]'" in result.stderr and str(path) in result.stderr


def test_a_web_run_offers_its_lcax_project_with_the_totals_of_its_assessment(tmp_path):

    from fastapi.testclient import TestClient
    from webforms import as_browser, finished_run

    from bimcarbon.assess import Assessment
    from bimcarbon.web.app import Settings, create_app

    client = as_browser(TestClient(create_app(Settings(data_dir=tmp_path / "data"))))
    files = {"model": ("office.ifc", OFFICE.read_bytes(), "application/octet-stream")}
    run_id = finished_run(client, files, {"project": "Office"})
    for lang, link in (("en", "LCAx project (.json)"), ("zh", "LCAx 项目 (.json)")):
        assert link in client.get(f"/runs/{run_id}?lang={lang}").text
    response = client.get(f"/runs/{run_id}/files/lcax")
    assert response.status_code == 200
    assert 'filename="office.assessment.lcax.json"' in response.headers["content-disposition"]
    assessment = Assessment.model_validate(client.get(f"/api/runs/{run_id}/assessment").json())
    assert not [w for w in assessment.warnings if w.startswith("LCAx export")]
    assert_same_totals(recalculated(response.json()), module_totals(assessment))


def test_a_web_run_whose_lcax_export_fails_keeps_its_assessment_and_says_why(tmp_path, monkeypatch):
    import bimcarbon.exchange.lcax_file as lcax_file
    from bimcarbon.web import jobs

    def refused(run, path):  # what lcax.Project.loads raises on data it refuses
        raise ValueError("missing field `unit` at line 1 column 9")

    monkeypatch.setattr(lcax_file, "write_lcax", refused)
    warnings = jobs._write_lcax(None, tmp_path / "assessment.lcax.json")
    assert warnings == [
        "LCAx export not written: ValueError: missing field `unit` at line 1 column 9 (please report it)"
    ]
    assert not (tmp_path / "assessment.lcax.json").exists()
