"""The park file: paths relative to the file, unknown keys refused, figures no park reaches refused, every
problem one line naming the file and the field."""

from __future__ import annotations

import pytest

from bimcarbon.park.spec import ParkFileError, load_park

GOOD = """\
name: Demo park
grid: {year: 2023, region: north}
buildings:
  - name: Office A
    model: models/office_a.ifc
    energy: office_a.energy.yaml
    mapping: mapping.yaml
  - name: Workshop 1
    model: workshop1.ifczip
    energy: workshop1.energy.yaml
park_energy:
  electricity_kwh: 1200000
  fuels: {natural_gas_m3: 30000}
  renewables: {pv_kwh: 800000, wind_kwh: 0}
  green_electricity_kwh: 500000
  green_certificates: 200
  offsets_tco2e: 0
  energy_to_coal: equivalent
"""


def _park(tmp_path, text: str):
    path = tmp_path / "site" / "park.yaml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_the_issue_example_loads_with_paths_relative_to_the_park_file(tmp_path):
    path = _park(tmp_path, GOOD)
    spec = load_park(path)
    office = spec.buildings[0]
    assert office.model == path.parent / "models" / "office_a.ifc"
    assert office.model_label == "models/office_a.ifc"  # as written: what every output shows
    assert office.mapping_labels == ("mapping.yaml",)  # one mapping as text is a list of one
    assert spec.buildings[1].mappings == ()
    assert spec.criteria == "cn-zero-carbon-park-2025"  # the default park pack
    assert spec.building_criteria == "cn-zero-carbon-building-draft-2023"
    assert spec.park.park_energy.green_certificates == 200
    assert spec.park.park_energy.energy_to_coal == "equivalent"


def test_a_stated_coal_coefficient_is_a_number_in_kgce_per_kwh(tmp_path):
    spec = load_park(_park(tmp_path, GOOD.replace("energy_to_coal: equivalent", "energy_to_coal: 0.315")))
    assert spec.park.park_energy.energy_to_coal == 0.315


def test_a_pack_file_is_relative_to_the_park_file_and_a_pack_id_stays_an_id(tmp_path):
    spec = load_park(_park(tmp_path, "criteria: packs/mine.yaml\n" + GOOD))
    assert spec.criteria == str(tmp_path / "site" / "packs" / "mine.yaml")


BAD = [
    ("buildings:", "buildngs:", "field 'buildngs': Extra inputs are not permitted"),
    (
        "    mapping: mapping.yaml",
        "    mappings: mapping.yaml",
        "building 1 (Office A): field 'buildings.0.mappings'",
    ),
    ("  - name: Workshop 1\n", "  - name: Office A\n", "two buildings are named 'Office A'"),
    (
        "    energy: workshop1.energy.yaml\n",
        "",
        "building 2 (Workshop 1): field 'buildings.1.energy': Field required",
    ),
    (
        "pv_kwh: 800000",
        "pv_kwh: 5e12",
        "'park_energy.renewables.pv_kwh': 5e+12 kWh a year is more than any park",
    ),
    ("natural_gas_m3: 30000", "natural_gas_m3: 2e11", "2e+11 m3 a year (1.8e+12 kWh) is more than any park"),
    ("green_certificates: 200", "green_certificates: 2.5", "field 'park_energy.green_certificates'"),
    ("green_certificates: 200", "green_certificates: 2000000000", "2e+09 certificates a year (2e+12 kWh)"),
    ("offsets_tco2e: 0", "offsets_tco2e: -1", "field 'park_energy.offsets_tco2e': Input should be greater"),
    ("to_coal: equivalent", "to_coal: equal", "use equivalent (0.1229 kgce/kWh) or a stated kgce/kWh"),
    ("to_coal: equivalent", "to_coal: 3.15", "3.15 kgce/kWh is no coal-to-electricity coefficient"),
    ("to_coal: equivalent", "to_coal: 0.0315", "0.0315 kgce/kWh is no coal-to-electricity coefficient"),
    ("electricity_kwh: 1200000", "electricity_kwh: .nan", "field 'park_energy.electricity_kwh'"),
    (  # coal for heat at 10 % efficiency emits about 950 kgCO2/GJ: 2,000 is no heat
        "offsets_tco2e: 0",
        "offsets_tco2e: 0\n  district_heat_kgco2_per_gj: 2000",
        "'park_energy.district_heat_kgco2_per_gj': 2000 kgCO2/GJ is more than any heat emits (at most 1000)",
    ),
]


@pytest.mark.parametrize(("old", "new", "expected"), BAD)
def test_a_bad_park_file_is_one_line_naming_the_file_and_the_field(tmp_path, old, new, expected):
    assert old in GOOD
    path = _park(tmp_path, GOOD.replace(old, new))
    with pytest.raises(ParkFileError) as info:
        load_park(path)
    message = str(info.value)
    assert message.startswith(str(path)) and "\n" not in message
    assert expected in message


def test_a_park_without_buildings_or_a_missing_or_unreadable_file_is_refused(tmp_path):
    with pytest.raises(ParkFileError, match="field 'buildings': List should have at least 1 item"):
        load_park(_park(tmp_path, "name: Empty\nbuildings: []\n"))
    with pytest.raises(ParkFileError, match="park file not found"):
        load_park(tmp_path / "nowhere.yaml")
    with pytest.raises(ParkFileError, match="cannot be read"):
        load_park(_park(tmp_path, "name: [unclosed\n"))
    with pytest.raises(ParkFileError, match="expected a mapping of fields"):
        load_park(_park(tmp_path, "- just a list\n"))
