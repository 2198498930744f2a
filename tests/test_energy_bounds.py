"""Energy figures no building reaches are refused with one line naming the field, in the CLI and
wherever an energy file is read (the bounds and why: docs/assessment.md, "Bounds on the energy
figures"); a mapping file given as the energy file is refused saying so."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from bimcarbon.cli import app as cli
from bimcarbon.energy import EnergyFileError, EnergyInput, bound_problems, load_energy

SAMPLES = Path(__file__).resolve().parent.parent / "sample_models"
OFFICE = SAMPLES / "office_m.ifc"


def test_the_cli_refuses_a_mapping_given_as_the_energy_file(tmp_path):
    mapping = tmp_path / "my-rules.yaml"
    mapping.write_text(yaml.safe_dump({"metadata": {"id": "mine"}, "rules": []}))
    result = CliRunner().invoke(cli, ["assess", str(OFFICE), "--energy", str(mapping)])
    assert result.exit_code == 2
    assert (
        "my-rules.yaml: this looks like a mapping file (it has 'rules'), not an energy file" in result.output
    )


#: Figures no building reaches, each with the line that refuses it (checked on paper in the comment).
IMPOSSIBLE = [
    (
        "annual: {electricity_kwh: 1.0e+300}",
        "field 'annual.electricity_kwh': 1e+300 kWh a year is more than any building",
    ),
    # 2e10 m3 x 9 kWh/m3 = 1.8e11 kWh > 1e11
    ("annual: {natural_gas_m3: 2.0e+10}", "field 'annual.natural_gas_m3': 2e+10 m3 a year (1.8e+11 kWh)"),
    ("renewables: {pv_self_consumed_kwh: 1.0e+300}", "field 'renewables.pv_self_consumed_kwh': 1e+300 kWh"),
    ("renewables: {pv_exported_kwh: 1.0e+12}", "field 'renewables.pv_exported_kwh': 1e+12 kWh"),
    ("green_electricity_kwh: 1.0e+300", "field 'green_electricity_kwh': 1e+300 kWh"),
    (
        "offsets_tco2e_per_year: 1.0e+300",
        "field 'offsets_tco2e_per_year': 1e+300 tCO2e a year is more than any",
    ),
    ("gross_floor_area_m2: 1.0e+300", "field 'gross_floor_area_m2': 1e+300 m2 is no building's floor area"),
    ("gross_floor_area_m2: 0.001", "field 'gross_floor_area_m2': 0.001 m2 is no building's floor area"),
    (
        "baseline: {carbon_intensity_kg_per_m2a: 1.0e+300}",
        "field 'baseline.carbon_intensity_kg_per_m2a': 1e+300",
    ),
    # 2e8 kWh / 100 m2 = 2e6 kWh per m2 > 1e6
    (
        "gross_floor_area_m2: 100\nannual: {electricity_kwh: 2.0e+8}",
        "2e+08 kWh a year on 100 m2 of floor is 2e+06 kWh per m2",
    ),
    # 2e5 t x 1000 / 100 m2 = 2e6 kg per m2 > 1e6
    ("gross_floor_area_m2: 100\noffsets_tco2e_per_year: 2.0e+5", "is 2e+06 kgCO2e per m2"),
    (  # coal for heat at 10 % efficiency emits about 950 kgCO2/GJ: 2,000 is no heat
        "district_heat_kgco2_per_gj: 2000",
        "field 'district_heat_kgco2_per_gj': 2000 kgCO2/GJ is more than any heat emits (at most 1000)",
    ),
    ("annual: {electricity_kwh: .nan}", "field 'annual.electricity_kwh'"),
    ("annual: {electricity_kwh: .inf}", "field 'annual.electricity_kwh'"),
    ("green_electricity_kwh: -1", "field 'green_electricity_kwh'"),
    ("design_life_years: 1.0e-300", "field 'design_life_years': 1e-300 years is no design life"),
]


@pytest.mark.parametrize(("figures", "line"), IMPOSSIBLE)
def test_an_energy_figure_no_building_reaches_is_refused_with_one_line(tmp_path, figures, line):
    path = tmp_path / "e.yaml"
    path.write_text(f"building_type: public\n{figures}\n")
    with pytest.raises(EnergyFileError) as refused:
        load_energy(path)
    assert line in str(refused.value) and "\n" not in str(refused.value)


def test_the_cli_refuses_1e300_kwh_with_one_line(tmp_path):
    energy = tmp_path / "huge.energy.yaml"
    energy.write_text("building_type: public\nannual: {electricity_kwh: 1.0e+300}\n")
    result = CliRunner().invoke(cli, ["assess", str(OFFICE), "--energy", str(energy)])
    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and "huge.energy.yaml: field 'annual.electricity_kwh': 1e+300 kWh" in lines[0], (
        lines
    )
    # with the model's floor area (160 m2): 1e9 kWh is 6.25e6 kWh per m2, refused after the take-off
    energy.write_text("building_type: public\nannual: {electricity_kwh: 1.0e+9}\n")
    result = CliRunner().invoke(cli, ["assess", str(OFFICE), "--energy", str(energy)])
    assert (
        result.exit_code == 2
        and "on 160 m2 of floor" in result.output
        and "6.25e+06 kWh per m2" in result.output
    )


def test_the_sample_energy_files_and_the_largest_real_buildings_pass(tmp_path):
    samples = sorted(SAMPLES.glob("*.energy.yaml"))
    assert len(samples) >= 4
    for path in samples:
        assert bound_problems(load_energy(path), 160.0) == [], path
    # the largest building (about 1.76 million m2) and a 100 MW data centre on 20,000 m2 all year
    # (8.76e8 kWh: 43,800 kWh per m2) are buildings
    for figures in (
        {"gross_floor_area_m2": 1.76e6, "annual": {"electricity_kwh": 5e8}},
        {
            "gross_floor_area_m2": 20000,
            "annual": {"electricity_kwh": 8.76e8},
            "green_electricity_kwh": 8.76e8,
        },
        {"gross_floor_area_m2": 50, "renewables": {"pv_exported_kwh": 1.5e7}},  # a 10 MW array by a hut
    ):
        assert (
            bound_problems(EnergyInput(building_type="public", **figures), figures["gross_floor_area_m2"])
            == []
        )
