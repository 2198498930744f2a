"""Matching material parts to factors, and converting quantities to each factor's unit.

Numbers checked on paper: 2 m3 of C30 at 295 kgCO2e/m3 = 590 kgCO2e; 1.5 t of rebar at
2340 kgCO2e/t = 3510 kgCO2e.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from bimcarbon.carbon import embodied
from bimcarbon.factors import Factor, FactorLibrary, FactorSet, FactorSetMetadata, Status
from bimcarbon.matching import convert, match
from bimcarbon.rules import Condition, FactorUse, Rule, RuleSet, RuleSetMetadata, default_rules
from bimcarbon.takeoff import COLUMNS


def _factor(fid: str, unit: str, value: float, density: float | None = None) -> Factor:
    return Factor(
        id=fid,
        name_en=fid.replace("_", " "),
        category="test",
        declared_unit=unit,
        value_kgco2e_per_unit=value,
        density_kg_per_m3=density,
        source="test",
        status=Status.confirmed,
    )


FACTORS = [
    _factor("concrete_c30", "m3", 295.0, 2400.0),
    _factor("steel_rebar", "t", 2340.0, 7850.0),
    _factor("window_m2", "m2", 254.0),
    _factor("door_piece", "piece", 100.0),
    _factor("insulation_generic", "t", 1861.79),
]
LIBRARY = FactorLibrary(
    sets=[
        FactorSet(
            metadata=FactorSetMetadata(id="test", title="t", source="test", licence="test"), factors=FACTORS
        )
    ],
    by_id={f.id: f for f in FACTORS},
)


def _table(rows: list[dict]) -> pd.DataFrame:
    base = dict.fromkeys(COLUMNS)
    base.update(part_kind="single", part_index=0, count=1, ifc_class="IfcWall")
    frame = pd.DataFrame([{**base, "step_id": i, "global_id": f"g{i}", **r} for i, r in enumerate(rows)])
    for column in ("volume_m3", "area_m2", "length_m", "mass_kg", "density_kg_per_m3"):
        frame[column] = frame[column].astype(float)
    return frame


def _rules(*rules: Rule) -> list[RuleSet]:
    return [RuleSet(metadata=RuleSetMetadata(id="test"), rules=list(rules))]


def test_two_cubic_metres_of_c30_is_590_kgco2e():
    rules = _rules(
        Rule(id="c", when=Condition(material_words=["concrete"]), use=[FactorUse(factor="concrete_c30")])
    )
    matched = match(_table([{"material": "Concrete", "volume_m3": 2.0}]), rules, LIBRARY)
    carbon = embodied(matched, LIBRARY)
    assert carbon["quantity"].tolist() == [2.0]
    assert carbon["kgco2e"].tolist() == [590.0]


def test_one_and_a_half_tonnes_of_rebar_is_3510_kgco2e():
    rules = _rules(
        Rule(id="r", when=Condition(material_words=["rebar"]), use=[FactorUse(factor="steel_rebar")])
    )
    matched = match(_table([{"material": "Rebar B500", "volume_m3": 0.1, "mass_kg": 1500.0}]), rules, LIBRARY)
    carbon = embodied(matched, LIBRARY)
    assert carbon["quantity"].tolist() == [1.5]  # the exported 1500 kg, not 0.1 m3 x 7850
    assert carbon["conversion"].tolist() == ["mass_kg/1000"]
    assert carbon["kgco2e"].tolist() == pytest.approx([3510.0])


def test_reinforced_concrete_splits_into_concrete_and_rebar_at_the_rule_ratio():
    rule = Rule(
        id="rc",
        when=Condition(material_words=["stahlbeton"]),
        use=[FactorUse(factor="concrete_c30"), FactorUse(factor="steel_rebar", kg_per_m3=120.0)],
    )
    matched = match(_table([{"material": "Stahlbeton", "volume_m3": 2.0}]), _rules(rule), LIBRARY)
    carbon = embodied(matched, LIBRARY).set_index("factor_id")
    assert carbon.loc["concrete_c30", "kgco2e"] == 590.0
    assert carbon.loc["steel_rebar", "quantity"] == pytest.approx(0.24)  # 2 m3 x 120 kg = 240 kg
    assert carbon.loc["steel_rebar", "kgco2e"] == pytest.approx(0.24 * 2340.0)  # 561.6


def test_the_first_rule_that_applies_wins():
    first = Rule(
        id="rc", when=Condition(material_words=["stahlbeton"]), use=[FactorUse(factor="steel_rebar")]
    )
    second = Rule(id="c", when=Condition(material_words=["beton"]), use=[FactorUse(factor="concrete_c30")])
    parts = match(
        _table([{"material": "Stahlbeton", "volume_m3": 1.0}]), _rules(first, second), LIBRARY
    ).parts
    assert parts["rule_id"].tolist() == ["rc"]
    parts = match(
        _table([{"material": "Stahlbeton", "volume_m3": 1.0}]), _rules(second, first), LIBRARY
    ).parts
    assert parts["rule_id"].tolist() == ["c"]


def test_a_missing_density_is_reported_and_never_counted_as_zero():
    rule = Rule(
        id="i", when=Condition(material_words=["insulation"]), use=[FactorUse(factor="insulation_generic")]
    )
    matched = match(_table([{"material": "Insulation", "volume_m3": 3.0}]), _rules(rule), LIBRARY)
    carbon = embodied(matched, LIBRARY)
    assert not carbon["convertible"].iloc[0]
    assert "no density" in carbon["reason"].iloc[0]
    assert math.isnan(carbon["kgco2e"].iloc[0])


def test_an_ifc_density_comes_before_the_factors_default():
    # 0.1 m3 of steel with an IFC density of 7800 kg/m3 (so mass_kg = 780 from the take-off)
    rule = Rule(id="r", when=Condition(material_words=["steel"]), use=[FactorUse(factor="steel_rebar")])
    row = {"material": "Steel", "volume_m3": 0.1, "mass_kg": 780.0, "density_kg_per_m3": 7800.0}
    row["density_source"] = "Pset_MaterialCommon.MassDensity"
    carbon = embodied(match(_table([row]), _rules(rule), LIBRARY), LIBRARY)
    assert carbon["quantity"].iloc[0] == pytest.approx(0.78)
    assert carbon["density_source"].iloc[0] == "Pset_MaterialCommon.MassDensity"


def test_without_an_ifc_density_the_factors_default_gives_the_mass():
    rule = Rule(id="r", when=Condition(material_words=["steel"]), use=[FactorUse(factor="steel_rebar")])
    carbon = embodied(
        match(_table([{"material": "Steel", "volume_m3": 0.1}]), _rules(rule), LIBRARY), LIBRARY
    )
    assert carbon["quantity"].iloc[0] == pytest.approx(0.785)  # 0.1 m3 x 7850 kg/m3 = 785 kg
    assert carbon["density_source"].iloc[0] == "factor steel_rebar"


def _convert_one(factor_id: str, area_m2: float = np.nan, count: float = 1.0):
    """Convert one row of 0.1 m3 (no mass, no density) to a factor's unit."""
    return convert(
        volume_m3=np.array([0.1]),
        area_m2=np.array([area_m2]),
        length_m=np.array([np.nan]),
        mass_kg=np.array([np.nan]),
        count=np.array([count]),
        ifc_density=np.array([np.nan]),
        ifc_density_source=np.array([None], dtype=object),
        factor=LIBRARY.get(factor_id),
    )


def test_a_factor_per_m2_uses_the_area_and_per_piece_the_count():
    assert _convert_one("window_m2", area_m2=1.8).quantity.tolist() == [1.8]
    assert _convert_one("door_piece").quantity.tolist() == [1.0]
    no_area = _convert_one("window_m2")
    assert not no_area.convertible[0] and "no area" in no_area.reason[0]


def test_unmatched_materials_get_scored_suggestions_that_are_not_applied():
    rules = _rules(
        Rule(
            id="x", when=Condition(material_words=["nothing-like-this"]), use=[FactorUse(factor="door_piece")]
        )
    )
    matched = match(_table([{"material": "Concrete C30", "volume_m3": 1.0}]), rules, LIBRARY)
    part = matched.parts.iloc[0]
    assert part["match_status"] == "unmatched"
    assert part["suggestions"].startswith("concrete_c30 (")
    assert matched.components.empty


def test_rules_can_match_on_ifc_class_including_standard_case_subtypes_and_layer_position():
    rule = Rule(
        id="outer",
        when=Condition(ifc_class=["IfcWall"], layer_position="first"),
        use=[FactorUse(factor="concrete_c30")],
    )
    table = _table(
        [
            {
                "material": "A",
                "volume_m3": 1.0,
                "ifc_class": "IfcWallStandardCase",
                "part_kind": "layer",
                "part_index": 0,
            },
            {
                "material": "B",
                "volume_m3": 1.0,
                "ifc_class": "IfcWallStandardCase",
                "part_kind": "layer",
                "part_index": 1,
            },
        ]
    )
    table["step_id"] = 7  # one wall, two layers
    parts = match(table, _rules(rule), LIBRARY).parts
    assert parts["match_status"].tolist() == ["matched", "unmatched"]


def test_words_are_compared_with_case_folding_beyond_lower_case():
    # Greek capital sigma lower-cases to "σ", but a word ends in final sigma "ς"; long s is an "s"
    rule = Rule(
        id="gypsum",
        when=Condition(material_words=["γυψος", "glass"]),
        use=[FactorUse(factor="concrete_c30")],
    )
    table = _table([{"material": "ΓΥΨΟΣΑΝΙΔΑ", "volume_m3": 1.0}, {"material": "Glaſs", "volume_m3": 1.0}])
    parts = match(table, _rules(rule), LIBRARY).parts
    assert parts["rule_id"].tolist() == ["gypsum", "gypsum"]


def test_layer_positions_are_per_element_and_a_single_layer_is_both_first_and_last():
    rules = [
        Rule(id=pos, when=Condition(layer_position=pos), use=[FactorUse(factor="concrete_c30")])
        for pos in ("inner", "first", "last")
    ]
    # wall 1: three layers; wall 2: one layer (same material and class as wall 1's middle layer)
    rows = [{"material": "M", "part_kind": "layer", "part_index": i, "volume_m3": 1.0} for i in range(3)]
    rows.append({"material": "M", "part_kind": "layer", "part_index": 0, "volume_m3": 1.0})
    table = _table(rows)
    table["step_id"] = [1, 1, 1, 2]
    parts = match(table, _rules(*rules), LIBRARY).parts
    assert parts["rule_id"].tolist() == ["first", "inner", "last", "first"]


@pytest.mark.parametrize(
    ("name", "ifc_class", "expected"),
    [
        ("Concrete", "IfcSlab", ["concrete_c30"]),
        ("Beton C30/37", "IfcSlab", ["concrete_c40"]),
        ("C30混凝土", "IfcSlab", ["concrete_c30"]),
        ("混凝土", "IfcSlab", ["concrete_c30"]),
        ("бетон", "IfcSlab", ["concrete_c30"]),
        ("CONCRETE/C45/55", "IfcSlab", ["concrete_c50"]),
        ("Stahlbeton", "IfcSlab", ["concrete_c30", "steel_rebar"]),
        ("钢筋混凝土", "IfcSlab", ["concrete_c30", "steel_rebar"]),
        ("железобетон", "IfcSlab", ["concrete_c30", "steel_rebar"]),
        ("Gewapend beton", "IfcSlab", ["concrete_c30", "steel_rebar"]),
        ("Steel S355", "IfcBeam", ["steel_h_section"]),
        ("staal", "IfcColumn", ["steel_h_section"]),
        ("钢", "IfcMember", ["steel_h_section"]),
        ("S235", "IfcPlate", ["steel_plate"]),
        ("Stahl", "IfcBuildingElementProxy", ["steel_generic"]),
        ("ReinforcingSteel", "IfcReinforcingBar", ["steel_rebar"]),
        ("Float glass", "IfcWindow", ["glass_float"]),
        ("玻璃", "IfcWindow", ["glass_float"]),
        ("Brick, Common", "IfcWall", ["brick_shale_solid"]),
        ("baksteen", "IfcWall", ["brick_shale_solid"]),
        ("砖", "IfcWall", ["brick_shale_solid"]),
        ("кирпич", "IfcWall", ["brick_shale_solid"]),
        ("Holz", "IfcBeam", ["desnz_wood"]),
        ("hout", "IfcBeam", ["desnz_wood"]),
        ("木材", "IfcBeam", ["desnz_wood"]),
        ("Glulam GL24h", "IfcBeam", ["desnz_wood"]),
        ("Gypsum Wall Board", "IfcWall", ["desnz_plasterboard"]),
        ("gips", "IfcWall", []),
        ("石膏板", "IfcWall", ["desnz_plasterboard"]),
        ("Mineral wool", "IfcWall", ["insul_rockwool"]),
        ("岩棉", "IfcWall", ["insul_rockwool"]),
        ("EPS", "IfcWall", ["insul_ps_board"]),
        ("Rigid insulation", "IfcWall", ["desnz_insulation"]),
        ("Aluminium", "IfcWindow", ["aluminium_sheet"]),
        ("铝", "IfcWindow", ["aluminium_sheet"]),
        ("Silka Kalkzandsteen CS12", "IfcBuildingElementPart", ["brick_flyash_autoclaved"]),
        ("Air", "IfcWall", []),
        ("Metal - Stud Layer", "IfcWall", []),
        # reinforced concrete keeps its strength class; unreinforced and fibre concrete get no rebar
        ("Reinforced Concrete - C40/50", "IfcSlab", ["concrete_c50", "steel_rebar"]),
        ("Stahlbeton C35/45", "IfcSlab", ["concrete_c45", "steel_rebar"]),
        ("钢筋混凝土C40", "IfcSlab", ["concrete_c40", "steel_rebar"]),
        ("Bewehrter Beton C30/37", "IfcSlab", ["concrete_c40", "steel_rebar"]),
        ("Unreinforced concrete", "IfcSlab", ["concrete_c30"]),
        ("Glass fibre reinforced concrete", "IfcSlab", ["concrete_c30"]),
        ("Air-entrained concrete C30/37", "IfcSlab", ["concrete_c40"]),
        # timber grades are not concrete classes; Douglas fir is not glass
        ("Timber C24", "IfcBeam", ["desnz_wood"]),
        ("Nadelholz C30", "IfcBeam", ["desnz_wood"]),
        ("Douglas fir", "IfcBeam", ["desnz_wood"]),
        ("Douglasie", "IfcBeam", ["desnz_wood"]),
        # Chinese compounds: tempered glass, GRP, floor tiles, wood-grain tiles, sandstone
        ("钢化玻璃", "IfcWindow", ["glass_float"]),
        ("玻璃钢", "IfcBuildingElementProxy", []),
        ("瓷砖", "IfcCovering", []),
        ("地砖", "IfcCovering", []),
        ("仿木纹瓷砖", "IfcCovering", []),
        ("砂岩", "IfcCovering", []),
        # words inside other words
        ("Cloakroom partition", "IfcWall", []),
        ("Alpine white paint", "IfcCovering", []),
        ("Steps", "IfcStair", []),
        ("Stairs", "IfcStair", []),
        ("Purlin", "IfcBeam", []),
        ("Sandwich panel", "IfcWall", []),
        ("Foil-faced PIR insulation", "IfcWall", ["insul_pu_rigid"]),
        ("Mineral wool between studs", "IfcWall", ["insul_rockwool"]),
        ("LC25/28", "IfcSlab", []),
        ("Betondachziegel", "IfcRoof", []),
        # names of real Revit exports, Chinese (CHS) and English templates (issue 11)
        ("混凝土 - 现场浇注混凝土", "IfcSlab", ["concrete_c30"]),
        ("混凝土 - 预制混凝土 - 35 MPa", "IfcBeam", ["concrete_c35"]),
        ("钢筋混凝土 40 MPa", "IfcColumn", ["concrete_c40", "steel_rebar"]),
        ("S355 steel, fy 355 MPa", "IfcBeam", ["steel_h_section"]),
        ("混凝土砌块", "IfcWall", ["brick_concrete"]),
        ("砌体-普通砖 75x225mm", "IfcWall", ["brick_shale_solid"]),
        ("金属-钢-深灰色", "IfcBeam", ["steel_h_section"]),
        ("金属-铝-白色", "IfcWindow", ["aluminium_sheet"]),
        ("玻璃", "IfcWindow", ["glass_float"]),
        ("面砖", "IfcWall", []),
        ("刚性隔热层", "IfcWall", ["desnz_insulation"]),
        ("瓦片 - 筒瓦", "IfcRoof", []),
        ("Ceiling Tile 600 x 600", "IfcCovering", []),
        ("矿棉吸音板", "IfcCovering", []),
        ("Masonry - Brick", "IfcWall", ["brick_shale_solid"]),
        ("Masonry", "IfcWall", ["brick_shale_solid"]),
        ("Masonry - Stone", "IfcWall", []),
        (
            "Textile - White",
            "IfcFurniture",
            [],
        ),  # textiles, not tiles  # natural stone, no open factor; not brick
        ("Glass block masonry", "IfcWall", ["glass_float"]),
        ("Wood - Sheathing - plywood", "IfcWall", ["desnz_wood"]),  # no open plywood factor: generic wood
    ],
)
def test_default_rules_match_common_names_in_several_languages(name, ifc_class, expected):
    from bimcarbon.factors import load_library

    library = load_library()
    table = _table([{"material": name, "volume_m3": 1.0, "ifc_class": ifc_class}])
    matched = match(table, [default_rules()], library)
    got = matched.components["factor_id"].tolist()
    assert got == expected, (name, matched.parts.iloc[0]["rule_id"])
    if not expected:
        assert matched.parts.iloc[0]["match_status"] in ("no_factor", "unmatched")


@pytest.mark.parametrize(
    ("name", "rule", "reason"),
    [
        ("Ceiling Tile 600 x 600", "ceiling-tiles", "no open factor for mineral-fibre ceiling tiles"),
        ("面砖", "ceramic-tiles", "no open factor for ceramic or roof tiles"),
        ("瓦片 - 筒瓦", "ceramic-tiles", "no open factor for ceramic or roof tiles"),
    ],
)
def test_finishes_without_an_open_factor_are_named_for_what_they_are(name, rule, reason):
    from bimcarbon.factors import load_library

    matched = match(_table([{"material": name, "volume_m3": 1.0}]), [default_rules()], load_library())
    part = matched.parts.iloc[0]
    assert (part["rule_id"], part["match_status"], part["reason"]) == (rule, "no_factor", reason)


def test_a_material_name_no_rule_knows_is_matched_on_the_type_name_then_the_element_name():
    from bimcarbon.factors import load_library

    table = _table(
        [
            # Tekla: a steel named with a typo; the type says S355J0
            {
                "material": "_S335J0_wg",
                "type_name": "HEA200 S355J0",
                "ifc_class": "IfcBeam",
                "volume_m3": 0.1,
            },
            # a material no rule knows, and no type: the element's own name says concrete
            {"material": "Mat-07", "element_name": "Concrete column 400x400", "volume_m3": 0.5},
            # no material at all: the name describes a build-up ("... over Wood Joist"), not a material
            {
                "material": None,
                "part_kind": "none",
                "element_name": "Live Roof over Wood Joist Flat Roof",
                "volume_m3": 60.0,
            },
            # a layer: the wall's type name describes the wall, not this layer
            {
                "material": "Finish X",
                "part_kind": "layer",
                "type_name": "Concrete wall 200",
                "volume_m3": 0.2,
            },
        ]
    )
    matched = match(table, [default_rules()], load_library())
    parts = matched.parts
    assert list(parts["matched_on"]) == ["type_name", "element_name", None, None]
    assert list(parts["match_status"]) == ["matched", "matched", "unmatched", "unmatched"]
    factors = matched.components.groupby("row")["factor_id"].apply(list).to_dict()
    assert factors == {0: ["steel_h_section"], 1: ["concrete_c30"]}
    (warning,) = [w for w in matched.warnings if "matched on" in w]
    assert warning.startswith("2 part(s) whose material name no rule knows")
    assert "'_S335J0_wg' by its type name 'HEA200 S355J0' -> rule steel-section" in warning


def test_suggestions_share_a_word_with_the_name_and_unrelated_ones_are_not_offered():
    from bimcarbon.factors import load_library
    from bimcarbon.matching import suggest

    got = suggest(["Sash", "Trim", "Carpet", "Mineral wool insulation", "混凝土砌块墙"], load_library())
    # "Sash" is not asphalt, "Trim" is not shale, "Carpet" is not ferroalloy (they used to be offered)
    assert got["Sash"] == [] and got["Trim"] == [] and got["Carpet"] == []
    assert got["Mineral wool insulation"][0][0] == "insul_rockwool"  # shares "wool"
    assert [fid for fid, _ in got["混凝土砌块墙"]] == ["brick_concrete"]  # shares 混凝, 砌块


def _shipped(material: str, **row) -> pd.DataFrame:
    """Default rules and shipped factors on one part (A1-A3 per factor)."""
    from bimcarbon.factors import load_library

    library = load_library()
    table = _table([{"material": material, "volume_m3": 0.1, **row}])
    return embodied(match(table, [default_rules()], library), library)


def test_a_rock_wool_layer_without_an_ifc_density_is_weighed_with_the_factors_density():
    carbon = _shipped("Rock wool")
    assert carbon["factor_id"].tolist() == ["insul_rockwool"]
    assert carbon["quantity"].iloc[0] == pytest.approx(0.014)  # 0.1 m3 x 140 kg/m3 = 14 kg
    assert carbon["kgco2e"].iloc[0] == pytest.approx(27.72)  # 0.014 t x 1980 kgCO2e/t
    assert carbon["density_source"].iloc[0] == "factor insul_rockwool"


def test_glass_wool_on_the_rock_wool_factor_is_weighed_with_the_rules_own_density():
    carbon = _shipped("Glass wool batt")
    assert carbon["factor_id"].tolist() == ["insul_rockwool"]
    assert carbon["density_kg_per_m3"].iloc[0] == 20  # not the rock-wool board's 140
    assert carbon["density_source"].iloc[0] == "rule glass-wool"
    assert carbon["kgco2e"].iloc[0] == pytest.approx(3.96)  # 0.1 m3 x 20 = 2 kg = 0.002 t x 1980


def test_an_ifc_density_still_comes_before_a_rules_density():
    # 0.1 m3 at MassDensity 30 kg/m3: the take-off's mass is 3 kg
    carbon = _shipped(
        "Glass wool batt",
        mass_kg=3.0,
        density_kg_per_m3=30.0,
        density_source="Pset_MaterialCommon.MassDensity",
    )
    assert carbon["density_source"].iloc[0] == "Pset_MaterialCommon.MassDensity"
    assert carbon["kgco2e"].iloc[0] == pytest.approx(5.94)  # 0.003 t x 1980


def test_a_rules_density_needs_its_source_and_a_range_that_brackets_it():
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match="density_source"):
        FactorUse(factor="insul_rockwool", density_kg_per_m3=20)
    with pytest.raises(ValidationError, match="density_high_kg_per_m3"):
        FactorUse(
            factor="insul_rockwool", density_kg_per_m3=20, density_source="s", density_high_kg_per_m3=10
        )


def test_a_rules_density_also_weighs_parts_for_a_factor_per_m3():
    # a rule density stands in for the factor's in every conversion that needs one: the part's mass
    # for the completeness check of a per-m3 factor, 2 m3 x 1900 kg/m3 = 3800 kg
    use = FactorUse(factor="concrete_c30", density_kg_per_m3=1900, density_source="test")
    rule = Rule(id="lc", when=Condition(material_words=["concrete"]), use=[use])
    matched = match(_table([{"material": "Concrete", "volume_m3": 2.0}]), _rules(rule), LIBRARY)
    assert matched.components["mass_kg"].tolist() == [3800.0]
