"""Assumptions for what a model does not say (factors/rules/assumptions.yaml), with the shipped factors
and rules, and how they show in the coverage.

Numbers checked on paper (GB/T 51366 Appendix D values as shipped):

* reinforced concrete C30: 295 kgCO2e/m3 + 120 kg/m3 of rebar at 2340 kgCO2e/t = 295 + 280.8 = 575.8
  kgCO2e per m3;
* hollow shale brick: 204 kgCO2e/m3;
* a metal stud layer of 10 m2: 10 x 2.6 kg = 26 kg of galvanised sheet at 3110 kgCO2e/t = 80.86 kgCO2e;
* a window of 1.5 m x 1.2 m = 1.8 m2 x 254 kgCO2e/m2 = 457.2 kgCO2e.
"""

from __future__ import annotations

import pandas as pd
import pytest

from bimcarbon.assumptions import load_assumptions
from bimcarbon.carbon import embodied
from bimcarbon.coverage import coverage
from bimcarbon.errors import FactorFileError
from bimcarbon.factors import load_library
from bimcarbon.matching import match
from bimcarbon.rules import Condition, FactorUse, Rule, RuleSet, RuleSetMetadata, default_rules
from bimcarbon.takeoff import COLUMNS

LIBRARY = load_library()
RC_PER_M3 = 295.0 + 120 / 1000 * 2340.0  # 575.8


def _table(rows: list[dict]) -> pd.DataFrame:
    base = dict.fromkeys(COLUMNS)
    base.update(part_kind="single", part_index=0, count=1, ifc_class="IfcWall")
    frame = pd.DataFrame([{**base, "step_id": i, "global_id": f"g{i}", **r} for i, r in enumerate(rows)])
    for column in ("volume_m3", "area_m2", "length_m", "mass_kg", "density_kg_per_m3", "layer_thickness_m"):
        frame[column] = frame[column].astype(float)
    return frame


def _assess(rows: list[dict], assume: bool = True, mapping: list[RuleSet] | None = None):
    assumptions = load_assumptions() if assume else None
    matched = match(_table(rows), [*(mapping or []), default_rules()], LIBRARY, assumptions)
    carbon = embodied(matched, LIBRARY)
    per_row = pd.to_numeric(carbon["kgco2e"], errors="coerce").groupby(carbon["row"]).sum(min_count=1)
    return matched, carbon, per_row.reindex(matched.parts.index)


@pytest.mark.parametrize("material", ["Default", "默认楼板", "<By Category>", "Solid 397409098", None])
def test_a_slab_whose_material_says_nothing_is_assumed_reinforced_concrete(material):
    matched, _, kg = _assess([{"material": material, "ifc_class": "IfcSlab", "volume_m3": 2.0}])
    part = matched.parts.iloc[0]
    assert part["match_status"] == "assumed"
    assert part["rule_id"] == "assume-structure-concrete"
    assert "reinforced concrete C30" in part["assumption"]
    assert kg.iloc[0] == pytest.approx(2 * RC_PER_M3)  # 1151.6


def test_without_assumptions_the_same_slab_is_left_out_and_says_why():
    matched, _, kg = _assess(
        [{"material": "默认楼板", "ifc_class": "IfcSlab", "volume_m3": 2.0}], assume=False
    )
    part = matched.parts.iloc[0]
    assert part["match_status"] == "no_factor"
    assert "placeholder" in part["reason"]
    assert pd.isna(kg.iloc[0])


def test_walls_follow_their_type_name_else_masonry_infill():
    matched, _, kg = _assess(
        [
            {"material": "默认墙", "type_name": "常规 - 200mm 混凝土", "volume_m3": 1.0},
            {"material": "Default Wall", "type_name": "Generic - 200mm", "volume_m3": 1.0},
            {"material": None, "type_name": "Block wall 190", "volume_m3": 1.0},
        ]
    )
    assert matched.parts["rule_id"].tolist() == [
        "assume-wall-concrete",
        "assume-wall-masonry",
        "assume-wall-block",
    ]
    assert kg.tolist() == pytest.approx([RC_PER_M3, 204.0, 336.0])


def test_a_window_without_material_is_a_whole_window_per_m2_of_its_overall_size():
    rows = [{"material": None, "ifc_class": "IfcWindow", "volume_m3": 0.05, "area_m2": 1.5 * 1.2}]
    matched, _, kg = _assess(rows)
    assert matched.parts.iloc[0]["rule_id"] == "assume-window"
    assert kg.iloc[0] == pytest.approx(457.2)


def test_a_timber_framed_build_up_named_so_is_left_out_not_taken_as_concrete():
    # duplex.ifc: a roof slab without material named "Basic Roof:Live Roof over Wood Joist Flat Roof"
    name = "Basic Roof:Live Roof over Wood Joist Flat Roof:184483"
    matched, _, kg = _assess(
        [{"material": None, "ifc_class": "IfcSlab", "element_name": name, "volume_m3": 60.7}]
    )
    part = matched.parts.iloc[0]
    assert (part["match_status"], part["rule_id"]) == ("no_factor", "framed-build-up")
    assert "timber-framed" in part["reason"] and pd.isna(kg.iloc[0])


def test_furniture_and_proxies_get_no_assumption():
    rows = [
        {"material": None, "ifc_class": "IfcFurnishingElement", "volume_m3": 1.0},
        {"material": "Default", "ifc_class": "IfcBuildingElementProxy", "volume_m3": 1.0},
    ]
    matched, _, _ = _assess(rows)
    assert matched.parts["match_status"].tolist() == ["unmatched", "no_factor"]


def test_a_metal_stud_layer_is_steel_per_m2_of_the_layer_not_nothing_and_not_solid_steel():
    # 0.92 m3 of a 0.092 m layer: its area is 10 m2 -> 26 kg of galvanised steel
    rows = [
        {
            "material": "Metal - Stud Layer",
            "part_kind": "layer",
            "volume_m3": 0.92,
            "layer_thickness_m": 0.092,
        }
    ]
    matched, carbon, kg = _assess(rows)
    assert matched.parts.iloc[0]["match_status"] == "assumed"
    assert carbon.iloc[0]["mass_kg"] == pytest.approx(26.0)
    assert carbon.iloc[0]["conversion"] == "volume_m3/layer_thickness_m*2.6kg/m2/1000"
    assert kg.iloc[0] == pytest.approx(80.86)
    off, _, kg_off = _assess(rows, assume=False)
    assert off.parts.iloc[0]["match_status"] == "no_factor"
    assert "--no-assumptions" in off.parts.iloc[0]["reason"]
    assert pd.isna(kg_off.iloc[0])


def test_structural_concrete_not_said_to_be_reinforced_gets_the_rebar_as_an_assumption():
    rows = [
        {"material": "Concrete C30", "ifc_class": "IfcSlab", "volume_m3": 1.0},
        {"material": "Unreinforced concrete C30", "ifc_class": "IfcSlab", "volume_m3": 1.0},
        {
            "material": "Concrete C30",
            "ifc_class": "IfcCovering",
            "volume_m3": 1.0,
        },  # a topping, not structure
        {"material": "Reinforced concrete C30", "ifc_class": "IfcSlab", "volume_m3": 1.0},  # rule's own ratio
    ]
    matched, carbon, kg = _assess(rows)
    assert kg.tolist() == pytest.approx([RC_PER_M3, 295.0, 295.0, RC_PER_M3])
    assert matched.parts["match_status"].tolist() == ["matched"] * 4
    assert "rebar 120 kg/m3 assumed" in matched.parts.iloc[0]["assumption"]
    assert matched.parts["assumption"].iloc[1:].isna().all()
    rebar = carbon[carbon["factor_id"] == "steel_rebar"].sort_values("row")
    assert rebar["assumed"].tolist() == [True, False]  # the assumption, then the reinforced rule's ratio
    assert any("get 120 kg/m3 of rebar as an assumption" in w for w in matched.warnings)


def test_a_mapping_decides_for_the_parts_it_matches_rebar_and_placeholders_alike():
    mine = RuleSet(
        metadata=RuleSetMetadata(id="mine"),
        rules=[
            Rule(id="my-c30", when=Condition(material_words=["c30"]), use=[FactorUse(factor="concrete_c30")]),
            Rule(
                id="my-default",
                when=Condition(material_exact=["Default"]),
                use=[FactorUse(factor="desnz_wood")],
            ),
        ],
    )
    rows = [
        {"material": "Concrete C30", "ifc_class": "IfcSlab", "volume_m3": 1.0},
        {"material": "Default", "ifc_class": "IfcSlab", "volume_m3": 1.0},
    ]
    matched, _, kg = _assess(rows, mapping=[mine])
    assert matched.parts["match_status"].tolist() == ["matched", "matched"]
    assert kg.tolist() == pytest.approx([295.0, 0.5 * 269.5])  # 1 m3 of wood at 500 kg/m3


def test_no_rebar_is_assumed_when_the_model_has_modelled_reinforcement():
    rows = [
        {"material": "Concrete C30", "ifc_class": "IfcSlab", "volume_m3": 1.0},
        {"material": "Rebar", "ifc_class": "IfcReinforcingBar", "volume_m3": 0.01, "mass_kg": 78.5},
    ]
    matched, _, kg = _assess(rows)
    assert kg.iloc[0] == pytest.approx(295.0)
    assert any("rebar not assumed" in w for w in matched.warnings)


def test_coverage_splits_matched_assumed_and_left_out_by_volume_and_mass():
    rows = [
        {"material": "Concrete C30", "ifc_class": "IfcColumn", "volume_m3": 8.0},  # 19,200 kg matched
        {"material": "Default", "ifc_class": "IfcSlab", "volume_m3": 1.0},  # 2,400 kg assumed
        {"material": "Strawberry jam", "ifc_class": "IfcWall", "volume_m3": 1.0},  # unknown mass
        {"material": "Air", "part_kind": "layer", "volume_m3": 2.0},  # holds nothing
    ]
    matched, carbon, _ = _assess(rows)
    cover = coverage(matched.parts, carbon)
    assert cover.volume_share_mapped == pytest.approx(8 / 12)
    assert cover.volume_share_assumed == pytest.approx(1 / 12)
    assert cover.volume_share_left_out == pytest.approx(1 / 12)
    assert cover.volume_share_void == pytest.approx(2 / 12)
    # the jam is left out with no known mass: weighed as concrete, 2,400 kg/m3 -> 2,400 kg
    assert cover.mass_kg == pytest.approx(24_000)
    assert cover.mass_share_mapped == pytest.approx(0.8)
    assert cover.mass_share_assumed == pytest.approx(0.1)
    assert cover.mass_share_left_out == pytest.approx(0.1)
    assert cover.completeness_met is False  # 90 % < 95 %
    assert "left out at 2,400 kg/m3 (as concrete: never light)" in cover.completeness_note
    # the assumed slab's 575.8 kgCO2e and the column's assumed rebar (8 x 280.8) are the assumed part
    assert cover.a1_a3_assumed_kgco2e == pytest.approx(RC_PER_M3 + 8 * 280.8)


def test_an_assumptions_file_must_mark_every_rule_assumed(tmp_path):
    path = tmp_path / "assume.yaml"
    path.write_text(
        "metadata: {id: mine}\nrules:\n  - id: x\n    when: {ifc_class: [IfcSlab]}\n"
        "    use: [{factor: concrete_c30}]\n",
        encoding="utf-8",
    )
    with pytest.raises(
        FactorFileError, match="rule 1 \\(x\\): a rule with factors here must be 'assumed: true'"
    ):
        load_assumptions(path)


def test_mortar_screed_and_render_are_counted_as_cement_and_sand_by_an_assumed_mix():
    # 400 kg cement x 0.735 + 1450 kg sand x 0.00251 = 294 + 3.6395 = 297.6395 kgCO2e per m3; 1850 kg
    rows = [
        {"material": "水泥砂浆", "volume_m3": 1.0},
        {"material": "Concrete, Sand/Cement Screed", "ifc_class": "IfcSlab", "volume_m3": 2.0},
        {"material": "Plaster", "volume_m3": 0.5},
        {"material": "Gypsum plaster", "volume_m3": 0.5},
    ]
    matched, carbon, kg = _assess(rows)
    assert matched.parts["match_status"].tolist() == ["assumed", "assumed", "assumed", "no_factor"]
    assert kg.tolist()[:3] == pytest.approx([297.6395, 2 * 297.6395, 0.5 * 297.6395])
    assert pd.isna(kg.iloc[3])
    cover = coverage(matched.parts, carbon)
    # the screed is not given rebar (it says screed), and the mortar weighs its cement and sand
    assert cover.mass_assumed_kg == pytest.approx(3.5 * 1850)


def test_lightweight_concrete_is_assumed_c30_per_m3_weighed_at_the_rules_density():
    matched, carbon, kg = _assess([{"material": "Leichtbeton 102890359", "volume_m3": 2.0}])
    assert matched.parts.iloc[0]["match_status"] == "assumed"
    assert kg.iloc[0] == pytest.approx(2 * 295.0)  # no rebar: an assumed part is not "matched" concrete
    assert carbon.iloc[0]["mass_kg"] == pytest.approx(2 * 1000.0)
    assert carbon.iloc[0]["density_source"] == "rule lightweight-concrete"


def test_assumed_concrete_gets_no_rebar_ratio_when_the_model_has_modelled_bars():
    rows = [
        {"material": "Default", "ifc_class": "IfcSlab", "volume_m3": 1.0},
        {"material": "Rebar", "ifc_class": "IfcReinforcingBar", "volume_m3": 0.01, "mass_kg": 78.5},
    ]
    matched, _, kg = _assess(rows)
    assert matched.parts.iloc[0]["match_status"] == "assumed"
    assert kg.iloc[0] == pytest.approx(295.0)  # C30 alone: the bars are counted as elements
    assert "modelled reinforcement" in matched.parts.iloc[0]["assumption"]


def test_a_stud_layer_weighs_its_studs_even_when_the_model_gives_the_steel_density():
    # the exporter's MassDensity 7850 on "Metal - Stud Layer" would make 0.92 m3 weigh 7,222 kg
    rows = [
        {
            "material": "Metal - Stud Layer",
            "part_kind": "layer",
            "volume_m3": 0.92,
            "layer_thickness_m": 0.092,
            "mass_kg": 0.92 * 7850,
            "density_kg_per_m3": 7850.0,
        }
    ]
    matched, carbon, kg = _assess(rows)
    assert kg.iloc[0] == pytest.approx(80.86)
    assert coverage(matched.parts, carbon).mass_assumed_kg == pytest.approx(26.0)


def test_a_material_left_out_on_purpose_is_weighed_by_its_rule_for_the_completeness_check():
    # 1 m3 of granite (no open factor) weighs 2,700 kg by the natural-stone rule, not the 2,400 kg an
    # unknown would; 9 m3 of C30 concrete weigh 21,600 kg: 21,600 / 24,300 = 88.9 % counted
    rows = [
        {"material": "Concrete C30", "ifc_class": "IfcCovering", "volume_m3": 9.0},
        {"material": "Granite", "ifc_class": "IfcCovering", "volume_m3": 1.0},
    ]
    matched, carbon, _ = _assess(rows)
    cover = coverage(matched.parts, carbon)
    assert cover.mass_left_out_kg == pytest.approx(2700.0)
    assert cover.mass_share_mapped == pytest.approx(21600 / 24300)
    assert "without a known mass" not in cover.completeness_note
