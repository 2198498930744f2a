"""A5 (material wastage + site activity), C1-C4 and the GB/T 51366 stages, checked on paper.

Defaults used below (factors/lifecycle_defaults.yaml): heavy diesel truck 30 t, 0.078 kgCO2e/(t.km)
(GB/T 51366 Appendix E) for A4 (concrete 40 km, other 500 km) and C2 (50 km); wastage 12 % for
plasterboard and 5 % for any category without its own share; site activity 40 kgCO2e/m2; C1
3.4 kgCO2e/m2; C3-C4 per tonne from DESNZ 2025: recycling 1.00835, combustion 4.68568, plasterboard
landfill 71.95.
"""

from __future__ import annotations

import pandas as pd
import pytest

from bimcarbon.energy_factors import load_transport
from bimcarbon.errors import FactorFileError
from bimcarbon.factors import factors_dir, load_library
from bimcarbon.lifecycle import load_lifecycle_defaults, modules, stages, with_construction_energy


def _components(factor_id: str, mass_t: float, per_t: float) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "row": [0],
            "factor_id": [factor_id],
            "kgco2e": [mass_t * per_t],
            "mass_kg": [mass_t * 1000.0],
            "biogenic_kgco2": [float("nan")],
        }
    )


def _modules(carbon: pd.DataFrame, floor_area_m2: float | None):
    return modules(carbon, load_library(), load_transport(), load_lifecycle_defaults(), 50.0, floor_area_m2)


def test_a5_on_a_timber_only_model_no_longer_vanishes():
    # 2 t of timber (DESNZ wood, 269.5 kgCO2e/t): A1-A3 539.0; A4 2 t x 500 km x 0.078 = 78.0.
    # The old "10 % of A1-A3 minus A4" gave max(0, 53.9 - 78.0) = 0.
    frame, totals = _modules(_components("desnz_wood", 2.0, 269.5), floor_area_m2=20.0)
    assert totals.a4 == pytest.approx(78.0)
    # wastage: 5 % x (539.0 + 78.0) = 30.85; site activity: 40 x 20 m2 = 800
    assert totals.a5_wastage == pytest.approx(30.85)
    assert totals.a5_site == pytest.approx(800.0)
    assert totals.a5 == pytest.approx(830.85)
    assert "site activity 40" in totals.a5_source
    # C1 3.4 x 20 = 68; C2 2 t x 50 km x 0.078 = 7.8; C3-C4 burnt: 2 t x 4.68568 = 9.37136
    assert (totals.c1, totals.c2, totals.c3_c4) == pytest.approx((68.0, 7.8, 9.37136))
    assert totals.c1_c4 == pytest.approx(68.0 + 7.8 + 9.37136)
    assert list(frame["eol_route"]) == ["combustion"]
    # upfront 539 + 78 + 830.85 = 1,447.85; total adds C1-C4 (no B4 for timber)
    assert totals.upfront_a1_a5 == pytest.approx(1447.85)
    assert totals.embodied_total == pytest.approx(1447.85 + 85.17136)


def test_a5_on_a_steel_only_model_without_a_floor_area_is_the_wastage_and_says_so():
    # 1 t of H-section steel (2,350 kgCO2e/t): A4 1 t x 500 km x 0.078 = 39.0
    frame, totals = _modules(_components("steel_h_section", 1.0, 2350.0), floor_area_m2=None)
    # wastage 5 % x (2,350 + 39) = 119.45; no site activity without a floor area
    assert totals.a5 == pytest.approx(119.45)
    assert totals.a5_site is None
    assert any("A5 site activity" in n and "no floor area" in n for n in totals.notes)
    # C1 needs a floor area: not assessed, said; C1-C4 is C2 + C3-C4 = 1 x 50 x 0.078 + 1 x 1.00835
    assert totals.c1 is None
    assert any(n.startswith("C1 demolition") for n in totals.notes)
    assert totals.c1_c4 == pytest.approx(3.9 + 1.00835)
    assert list(frame["eol_route"]) == ["recycling"]


def test_end_of_life_of_ten_tonnes_of_concrete_on_paper():
    # 10 t of concrete (DESNZ concrete 118.79 kgCO2e/t) in a building of 100 m2
    frame, totals = _modules(_components("desnz_concrete", 10.0, 118.79), floor_area_m2=100.0)
    # C1 = 3.4 x 100 = 340; C2 = 10 t x 50 km x 0.078 = 39.0; C3-C4 recycled = 10 t x 1.00835 = 10.0835
    assert totals.c1 == pytest.approx(340.0)
    assert list(frame["c2_kgco2e"]) == pytest.approx([39.0])
    assert list(frame["c3_c4_kgco2e"]) == pytest.approx([10.0835])
    assert totals.c1_c4 == pytest.approx(340.0 + 39.0 + 10.0835)
    # A4 10 t x 40 km x 0.078 = 31.2; wastage 5 % x (1,187.9 + 31.2) = 60.955; site 40 x 100 = 4,000
    assert totals.a5 == pytest.approx(60.955 + 4000.0)


def test_plasterboard_has_its_own_wastage_and_goes_to_landfill():
    # 1 t of plasterboard (120.05 kgCO2e/t), A4 39.0: wastage 12 % x 159.05 = 19.086; landfill 71.95/t
    frame, totals = _modules(_components("desnz_plasterboard", 1.0, 120.05), floor_area_m2=None)
    assert totals.a5_wastage == pytest.approx(19.086)
    assert list(frame["c3_c4_kgco2e"]) == pytest.approx([71.95])
    assert list(frame["eol_route"]) == ["landfill_plasterboard"]


def test_construction_energy_replaces_the_site_activity_and_keeps_the_wastage():
    _, totals = _modules(_components("desnz_wood", 2.0, 269.5), floor_area_m2=20.0)
    replaced = with_construction_energy(totals, 500.0, "construction energy from the energy file")
    # 30.85 wastage + 500 energy (instead of 800 site activity)
    assert replaced.a5 == pytest.approx(530.85)
    assert replaced.a5_site == pytest.approx(500.0)
    assert replaced.upfront_a1_a5 == pytest.approx(539.0 + 78.0 + 530.85)
    assert replaced.embodied_total == pytest.approx(539.0 + 78.0 + 530.85 + 85.17136)


def test_gbt51366_stages_gather_the_modules():
    _, totals = _modules(_components("desnz_wood", 2.0, 269.5), floor_area_m2=20.0)
    by_id = {s.id: s for s in stages(totals, operation_kgco2e=1000.0)}
    assert by_id["materials"].name_zh == "建材生产及运输阶段"
    assert by_id["materials"].kgco2e == pytest.approx(539.0 + 78.0)  # A1-A3 + A4
    assert by_id["construction_demolition"].name_zh == "建造及拆除阶段"
    assert by_id["construction_demolition"].kgco2e == pytest.approx(830.85 + 85.17136)  # A5 + C1-C4
    assert by_id["operation"].name_zh == "运行阶段"
    assert by_id["operation"].kgco2e == 1000.0
    assert stages(totals, None)[2].kgco2e is None  # no energy file: not assessed, not zero


def test_a_route_to_an_unknown_treatment_is_one_line_naming_it(tmp_path):
    text = (factors_dir() / "lifecycle_defaults.yaml").read_text(encoding="utf-8")
    mine = tmp_path / "lifecycle.yaml"
    mine.write_text(text.replace("timber: combustion", "timber: bonfire"), encoding="utf-8")
    with pytest.raises(FactorFileError, match="bonfire"):
        load_lifecycle_defaults(mine)


def test_a_category_given_per_tonne_replaces_its_route(tmp_path):
    text = (factors_dir() / "lifecycle_defaults.yaml").read_text(encoding="utf-8")
    mine = tmp_path / "lifecycle.yaml"
    mine.write_text(
        text.replace("kgco2e_per_t_by_category: {}", "kgco2e_per_t_by_category: {timber: 925.34348}"),
        encoding="utf-8",
    )
    defaults = load_lifecycle_defaults(mine)
    frame, _ = modules(
        _components("desnz_wood", 2.0, 269.5), load_library(), load_transport(), defaults, 50.0, None
    )
    # landfilled wood: 2 t x 925.34348 = 1,850.68696
    assert list(frame["c3_c4_kgco2e"]) == pytest.approx([1850.68696])
    assert list(frame["eol_route"]) == ["given per tonne"]


def test_the_lifecycle_file_cites_sources_not_our_notes():
    text = (factors_dir() / "lifecycle_defaults.yaml").read_text(encoding="utf-8")
    for note in ("../shared", "standards.md", "parks.md", "anchors.md", "ICE"):
        assert note not in text


def test_the_console_shows_each_part_and_the_gbt51366_stages_beside_the_modules():
    from pathlib import Path

    from typer.testing import CliRunner

    from bimcarbon.cli import app

    samples = Path(__file__).resolve().parent.parent / "sample_models"
    result = CliRunner().invoke(
        app, ["assess", str(samples / "office_m.ifc"), "--energy", str(samples / "office_m.energy.yaml")]
    )
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert "C1-C4 not assessed" not in text
    # the office has 160 m2: site activity 40 x 160 = 6,400; C1 3.4 x 160 = 544
    assert "site 6,400" in text and "C1 544" in text
    for name in ("建材生产及运输阶段", "建造及拆除阶段", "运行阶段"):
        assert name in text


def test_the_list_of_module_totals_a_park_sums_and_a_comparison_shows_names_every_number_of_them():
    # a module added to ModuleTotals but not to the list would be left out of parks and comparisons
    from bimcarbon.lifecycle import MODULE_TOTAL_KEYS, ModuleTotals

    numbers = [name for name, f in ModuleTotals.model_fields.items() if "float" in str(f.annotation)]
    assert list(MODULE_TOTAL_KEYS) == numbers
