"""Per-element results in every assessment (``Assessment.elements``): every element of the take-off, its
placement origin in metres, its status, and kgCO2e per element-level module adding up to the building's."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from builders import small_building
from conftest import sample

from bimcarbon.assess import assess
from bimcarbon.element_results import ELEMENT_MODULES, element_results

SAMPLES = Path(__file__).resolve().parent.parent / "sample_models"
OFFICE, ENERGY = SAMPLES / "office_m.ifc", SAMPLES / "office_m.energy.yaml"


@pytest.fixture(scope="module")
def office():
    return assess(OFFICE, ENERGY).assessment


def _by_name(assessment) -> dict:
    return {e.element_name: e for e in assessment.elements}


def _sums(assessment) -> dict[str, float]:
    return {
        key: sum(getattr(e, f"{key}_kgco2e") or 0.0 for e in assessment.elements)
        for key, _ in ELEMENT_MODULES
    }


def test_every_element_of_the_take_off_is_there_with_or_without_material(office):
    assert len(office.elements) == 23 == office.coverage.elements  # README: 23 physical elements
    block = _by_name(office)["Unclassified block"]
    assert block.status == "left out" and block.materials == [] and "no_material" in block.flags
    assert block.a1_a3_kgco2e is None and block.volume_m3 == pytest.approx(1.0)


def test_the_elements_add_up_to_the_building_in_every_element_level_module(office):
    sums = _sums(office)
    for key, _ in ELEMENT_MODULES:
        assert sums[key] == pytest.approx(getattr(office.embodied, key), rel=1e-12), key
    # the rest is per m2 of floor area: A5 site activity 40 x 160 = 6,400; C1 3.4 x 160 = 544
    assert office.embodied.a5 == pytest.approx(sums["a5_wastage"] + 40 * 160)
    assert office.embodied.c1_c4 == pytest.approx(sums["c2"] + sums["c3_c4"] + 3.4 * 160)


def test_an_element_gives_its_parts_materials_factors_and_status(office):
    wall = _by_name(office)["Ground floor external wall S"]
    assert wall.materials == ["Concrete C30/37", "Mineral wool insulation", "Gypsum plaster"]
    assert wall.factor_ids == ["concrete_c40", "steel_rebar", "insul_rockwool"]
    assert wall.status == "partly left out"  # the gypsum plaster has no factor
    assert wall.volume_m3 == pytest.approx(9.024)  # (10 x 3 - 1.5 x 1.2) x 0.32
    assert wall.area_m2 == pytest.approx(28.2)  # each layer covers the whole wall: counted once
    # A1-A3: 5.64 m3 x 340 + 5.64 x 120 kg/m3 rebar x 2.34 kgCO2e/kg + 0.3948 t x 1,980 kgCO2e/t
    assert wall.a1_a3_kgco2e == pytest.approx(5.64 * 340 + 5.64 * 0.120 * 2340 + 0.3948 * 1980)
    window = _by_name(office)["Window W1"]
    assert window.status == "matched" and window.area_m2 == pytest.approx(1.8)  # 0.45 + 1.35 shared


def test_positions_are_placement_origins_in_metres_in_any_unit_through_nested_placements():
    # the window sits in its opening (x 4.25, sill 0.9) in the south wall, 0.12 m into the wall's depth;
    # steel beam SB1 is at x 3.0, y 3.0, 2.65 m above the first floor (3.0)
    for name in ("office_m.ifc", "office_mm.ifc", "office_ft.ifc", "office_ifc2x3.ifc"):
        elements = _by_name(assess(SAMPLES / name).assessment)
        assert elements["Window W1"].position_m == pytest.approx([4.25, 0.12, 0.9], abs=1e-9), name
        assert elements["Steel beam SB1"].position_m == pytest.approx([3.0, 3.0, 5.65], abs=1e-9), name


def test_an_element_without_a_placement_has_no_position_and_is_still_assessed(tmp_path):
    a = assess(small_building(tmp_path / "b.ifc")).assessment
    assert len(a.elements) == 3
    assert all(e.position_m is None for e in a.elements)
    assert sum(e.a1_a3_kgco2e or 0 for e in a.elements) == pytest.approx(a.embodied.a1_a3)


def test_a_public_sample_adds_up_too():
    a = assess(sample("duplex.ifc")).assessment
    assert len(a.elements) == a.coverage.elements
    sums = _sums(a)
    for key, _ in ELEMENT_MODULES:
        assert sums[key] == pytest.approx(getattr(a.embodied, key), rel=1e-9), key
    assert sum(e.position_m is not None for e in a.elements) == len(a.elements)


def test_statuses_follow_the_parts_on_a_small_table():
    # four elements: all matched; one part assumed; one of two parts left out; an air layer only
    parts = pd.DataFrame(
        {
            "step_id": [1, 2, 3, 3, 4],
            "global_id": ["a", "b", "c", "c", "d"],
            "ifc_class": ["IfcWall"] * 5,
            "predefined_type": [None] * 5,
            "element_name": ["A", "B", "C", "C", "D"],
            "type_name": [None] * 5,
            "storey": ["1"] * 5,
            "material": ["concrete", None, "brick", "paint", "air"],
            "part_kind": ["single", "none", "layer", "layer", "layer"],
            "volume_m3": [1.0, 2.0, 0.5, 0.01, 0.3],
            "area_m2": [None, None, 10.0, 10.0, 10.0],
            "mass_kg": [None] * 5,
            "quantity_source": ["geometry"] * 5,
            "flags": ["", "no_material", "", "", ""],
            "match_status": ["matched", "assumed", "matched", "unmatched", "no_factor"],
            "has_mass": [True, True, True, True, False],
        }
    )
    components = pd.DataFrame(
        {
            "row": [0, 1, 2],
            "factor_id": ["c30", "c30", "brick"],
            "convertible": [True, True, True],
            "kgco2e": [300.0, 600.0, 100.0],
            "biogenic_kgco2": [None, None, None],
            "mass_kg": [2400.0, 4800.0, 900.0],
            "reason": [None] * 3,
            "use_note": [None] * 3,
            "use_status": [None] * 3,
            "kg_per_m3": [None] * 3,
            **{column: [1.0, 2.0, 3.0] for _, column in ELEMENT_MODULES[1:]},
        }
    )
    results = {e.element_name: e for e in element_results(parts, components)}
    assert [results[n].status for n in "ABCD"] == ["matched", "assumed", "partly left out", "void"]
    assert results["C"].area_m2 == 10.0 and results["C"].volume_m3 == pytest.approx(0.51)
    assert results["D"].a1_a3_kgco2e is None and results["C"].a4_kgco2e == 3.0
