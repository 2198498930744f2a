"""`bimcarbon materials` and `bimcarbon factors`, end to end on real models."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from conftest import sample
from typer.testing import CliRunner

from bimcarbon.cli import app

SAMPLES = Path(__file__).resolve().parent.parent / "sample_models"
runner = CliRunner()


def test_materials_on_the_office_lists_factors_rules_and_coverage(tmp_path):
    out = tmp_path / "materials.json"
    result = runner.invoke(app, ["materials", str(SAMPLES / "office_m.ifc"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert (
        "concrete_c40" in result.stdout and "Coverage:" in result.stdout and "Completeness" in result.stdout
    )
    report = json.loads(out.read_text())
    assert report["format"] == "bimcarbon.materials"
    assert "gbt51366-2019-d" in " ".join(report["provenance"]["factor_sets"])
    steel = next(m for m in report["materials"] if m["material"] == "Steel S355")
    # 4 columns 0.00753 m2 x 3 m + 2 beams (IPE 300: 2 x 0.15 x 0.0107 + 0.2786 x 0.0071) x 4 m, at 7850 kg/m3
    ipe = 2 * 0.15 * 0.0107 + (0.3 - 2 * 0.0107) * 0.0071
    volume = 4 * 0.00753 * 3 + 2 * ipe * 4
    assert steel["volume_m3"] == pytest.approx(volume)
    assert steel["kgco2e"] == pytest.approx(volume * 7850 / 1000 * 2350)  # hot-rolled H sections, per t
    glulam = next(m for m in report["materials"] if m["material"] == "Glulam GL24h")
    assert glulam["mass_kg"] == pytest.approx(0.4 * 500)  # DESNZ wood default density
    assert glulam["kgco2e"] == pytest.approx(0.2 * 269.5)  # 0.2 t x 269.5 kgCO2e/t, fossil only
    assert glulam["biogenic_kgco2"] == pytest.approx(200 * 1.637)  # stored, reported apart, not netted
    wool = next(m for m in report["materials"] if m["material"] == "Mineral wool insulation")
    # no density in the model: weighed with the rock-wool factor's 140 kg/m3, never dropped
    assert wool["mass_kg"] == pytest.approx(wool["volume_m3"] * 140)
    assert wool["kgco2e"] == pytest.approx(wool["volume_m3"] * 140 / 1000 * 1980) and not wool["reasons"]
    # everything but the gypsum plaster (4.13 m3, no factor: 1200 kg/m3 by its rule = 4,956 kg) and a
    # proxy without material (1 m3, weighed as concrete: 2,400 kg) is counted: 95 % of the mass is reached
    cover = report["coverage"]
    assert cover["completeness_met"] is True
    assert cover["mass_left_out_kg"] == pytest.approx(4.1304 * 1200 + 2400)
    assert "1 part(s) without a known mass (1.000 m3)" in cover["completeness_note"]


def test_materials_on_a_real_model_writes_a_workbook(tmp_path):
    out = tmp_path / "duplex.xlsx"
    result = runner.invoke(app, ["materials", str(sample("duplex.ifc")), "-o", str(out)])
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(out)
    assert {"Coverage", "Materials", "Factors per part"} <= set(book.sheetnames)
    names = [c.value for c in book["Materials"]["A"][1:]]
    assert "Metal - Stud Layer" in names and "Plasterboard" in names


def test_factors_search_finds_chinese_names():
    result = runner.invoke(app, ["factors", "search", "混凝土"])
    assert result.exit_code == 0
    assert "concrete_c30" in result.stdout


def test_factors_show_gives_the_source_and_status():
    result = runner.invoke(app, ["factors", "show", "concrete_c30"])
    assert result.exit_code == 0
    assert "51366" in result.stdout and "secondary" in result.stdout and "295" in result.stdout


def test_factors_show_an_unknown_id_is_one_line_with_hints():
    result = runner.invoke(app, ["factors", "show", "concrete"])
    assert result.exit_code == 2
    assert "no factor with id 'concrete'" in result.stderr and "concrete_c30" in result.stderr


def test_a_bad_user_factor_file_is_one_line_naming_row_and_column(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "id,name_en,category,declared_unit,value_kgco2e_per_unit,source,status\nx,X,c,litre,1,s,confirmed\n"
    )
    result = runner.invoke(app, ["factors", "list", "--factors", str(bad)])
    assert result.exit_code == 2
    assert str(bad) in result.stderr and "row 2 (x)" in result.stderr and "declared_unit" in result.stderr


@pytest.mark.parametrize("geometry", ["auto", "never"])
def test_materials_runs_on_every_public_sample(tmp_path, geometry):
    from conftest import all_samples

    samples = [p for p in all_samples() if not p.name.startswith("fail-invalid")]
    if not samples:
        pytest.skip("public samples not found (set BIMCARBON_IFC_SAMPLES)")
    for path in samples:
        out = tmp_path / f"{path.stem}.json"
        result = runner.invoke(app, ["materials", str(path), "--geometry", geometry, "-o", str(out)])
        assert result.exit_code == 0, (path.name, result.output)
        report = json.loads(out.read_text())
        # every kgCO2e is either a number from a converted quantity or empty with a reason, never 0 by default
        for component in report["components"]:
            if not component["convertible"]:
                assert component["kgco2e"] is None and component["reason"], (path.name, component)


def test_materials_with_no_rules_at_all_reports_everything_unmatched():
    result = runner.invoke(app, ["materials", str(SAMPLES / "office_m.ifc"), "--no-default-rules"])
    assert result.exit_code == 0, result.output
    assert "0/23 elements fully mapped, 0 more with assumptions" in result.stdout
    # no factor, so no density: volume stands in for mass, and nothing is counted
    assert "left out 100% of the mass" in result.stdout and "NOT met" in result.stdout
