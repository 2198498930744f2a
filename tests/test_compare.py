"""Two assessments compared element by element (bimcarbon.compare): pairing by GlobalId then by position,
what changed, deltas per element, material, class and storey, the building-level modules, and the balance:
for every module the element deltas plus the building-level delta make the total delta."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from builders import added_and_removed, regenerated_ids, thickened_slab
from conftest import sample

from bimcarbon.assess import assess
from bimcarbon.compare import compare_assessments
from bimcarbon.compare.diff import COMPOSITION
from bimcarbon.compare.figures import TOTAL_KEYS
from bimcarbon.compare.pairing import pair_elements
from bimcarbon.compare.sides import checked
from bimcarbon.errors import ComparisonInputError

SAMPLES = Path(__file__).resolve().parent.parent / "sample_models"
OFFICE, ENERGY = SAMPLES / "office_m.ifc", SAMPLES / "office_m.energy.yaml"
#: One m3 of the sample's slab concrete: C40 concrete 340 kgCO2e/m3 (GB/T 51366 Appendix D, interpolated)
#: + the assumed 120 kg/m3 of rebar x 2,340 kgCO2e/t = 280.8: 620.8 kgCO2e/m3 in A1-A3.
SLAB_A1_A3_PER_M3 = 340 + 0.120 * 2340


@pytest.fixture(scope="module")
def office() -> dict:
    return assess(OFFICE, ENERGY).assessment.model_dump(mode="json")


@pytest.fixture(scope="module")
def variants(tmp_path_factory) -> dict[str, dict]:
    folder = tmp_path_factory.mktemp("variants")
    built = {
        "thick": thickened_slab(OFFICE, folder / "thick.ifc"),
        "regenerated": regenerated_ids(OFFICE, folder / "regenerated.ifc"),
        "added": added_and_removed(OFFICE, folder / "added.ifc"),
    }
    return {k: assess(p, ENERGY).assessment.model_dump(mode="json") for k, p in built.items()}


def _assert_balanced(c, a: dict, b: dict) -> None:
    """Every module: the element deltas + the building-level delta = the total delta = the difference of
    the two assessments."""
    for row in c.balance:
        assert row.balanced, row
        expected = (b["embodied"][row.module] or 0.0) - (a["embodied"][row.module] or 0.0)
        assert row.delta_kgco2e == pytest.approx(expected, abs=1e-9)
        assert row.elements_kgco2e + row.building_level_kgco2e == pytest.approx(expected, abs=1e-6)
    assert {r.module for r in c.balance} == set(COMPOSITION)
    assert set(c.totals.delta) == set(TOTAL_KEYS)


def test_one_thicker_slab_gives_exactly_its_delta_and_the_total_is_the_difference(office, variants):
    b = variants["thick"]
    c = compare_assessments(office, b)
    changed = [e for e in c.elements if e.change != "unchanged"]
    assert [e.element_name for e in changed] == ["First floor slab"]
    slab = changed[0]
    # 10 x 8 x 0.25 - 10 x 8 x 0.20 = 4 m3 more; x 620.8 kgCO2e/m3 = 2,483.2 kgCO2e
    assert slab.delta_a1_a3_kgco2e == pytest.approx(4 * SLAB_A1_A3_PER_M3)
    assert [(x.what, x.field, x.base, x.variant) for x in slab.changes][0] == (
        "quantity",
        "volume_m3",
        16.0,
        20.0,
    )
    assert slab.paired_by == "global_id" and slab.distance_m == pytest.approx(0.05)  # thickened downwards
    # its mass 4 m3 x 2,400 kg/m3 more: A4 +9.6 t x 40 km (concrete) x 0.078 kgCO2e/(t.km) = 29.952, and
    # the rebar's 0.48 t x 500 km (steel) x 0.078 = 18.72: A4 +48.672
    assert slab.delta_a4_kgco2e == pytest.approx(9.6 * 40 * 0.078 + 0.48 * 500 * 0.078)
    assert c.totals.delta["a1_a3"] == pytest.approx(4 * SLAB_A1_A3_PER_M3)
    assert c.totals.delta["a1_a3"] == pytest.approx(b["embodied"]["a1_a3"] - office["embodied"]["a1_a3"])
    assert c.building_level.a5_site.delta == 0 and c.building_level.c1.delta == 0  # same floor area
    _assert_balanced(c, office, b)
    assert c.pairing.by_global_id == 23 and c.pairing.changed == 1 and c.pairing.unchanged == 22
    concrete = next(m for m in c.by_material if m.key == "Concrete C30/37")
    assert concrete.delta["a1_a3"] == pytest.approx(4 * SLAB_A1_A3_PER_M3) and c.by_material[0] is concrete
    slabs = next(g for g in c.by_class if g.key == "IfcSlab")
    assert slabs.delta["a1_a3"] == pytest.approx(4 * SLAB_A1_A3_PER_M3) and slabs.elements_base == 3
    first = next(g for g in c.by_storey if g.key == "First floor")
    assert first.delta["embodied"] == pytest.approx(slab.delta_embodied_kgco2e)
    assert not c.warnings


def test_a_re_export_with_every_globalid_regenerated_pairs_all_by_position_with_zero_delta(office, variants):
    b = variants["regenerated"]
    assert not {e["global_id"] for e in office["elements"]} & {e["global_id"] for e in b["elements"]}
    c = compare_assessments(office, b)
    assert c.pairing.by_position == 23 and c.pairing.by_global_id == 0
    assert c.pairing.ambiguous == 0 and c.pairing.added == c.pairing.removed == 0
    assert all(e.paired_by == "position" and e.change == "unchanged" for e in c.elements)
    assert all(e.base_global_id != e.variant_global_id for e in c.elements)
    assert all(value == 0 for value in c.totals.delta.values() if value is not None)
    assert any("23 element(s) paired by position" in w and "regenerated" in w for w in c.warnings)
    _assert_balanced(c, office, b)


def test_a_removed_wall_and_an_added_column_carry_their_whole_results(office, variants):
    b = variants["added"]
    c = compare_assessments(office, b)
    by_change = {e.change: e for e in c.elements if e.change != "unchanged"}
    assert set(by_change) == {"added", "removed"}
    removed, added = by_change["removed"], by_change["added"]
    # the internal wall 2: 1.704 m3 of concrete block x 336 kgCO2e/m3 = 572.544 kgCO2e gone
    assert removed.element_name == "Ground floor internal wall 2" and removed.variant is None
    assert removed.delta_a1_a3_kgco2e == pytest.approx(-1.704 * 336)
    # SC5, a copy of SC1: 0.02259 m3 x 7,850 kg/m3 = 177.3315 kg x 2,350 kgCO2e/t = 416.729 kgCO2e
    assert added.element_name == "Steel column SC5" and added.base is None
    assert added.delta_a1_a3_kgco2e == pytest.approx(0.02259 * 7850 / 1000 * 2350)
    assert added.variant.position_m == pytest.approx([5.0, 4.0, 0.0])
    assert c.totals.delta["a1_a3"] == pytest.approx(added.delta_a1_a3_kgco2e + removed.delta_a1_a3_kgco2e)
    _assert_balanced(c, office, b)


def test_the_building_level_modules_carry_the_change_of_floor_area_on_paper(office):
    # the same elements on 200 m2 instead of 160: A5 site activity 40 kgCO2e/m2 x 40 m2 = +1,600 and
    # C1 3.4 kgCO2e/m2 x 40 m2 = +136, in no element
    b = copy.deepcopy(office)
    e = b["embodied"]
    e["a5_site"] += 1600.0
    e["a5"] += 1600.0
    e["upfront_a1_a5"] += 1600.0
    e["c1"] += 136.0
    e["c1_c4"] += 136.0
    e["embodied_total"] += 1736.0
    b["floor_area"]["value_m2"] = 200.0
    c = compare_assessments(office, b)
    assert all(x.change == "unchanged" for x in c.elements)
    assert c.building_level.a5_site.delta == pytest.approx(1600.0)
    assert c.building_level.c1.delta == pytest.approx(136.0)
    assert c.building_level.floor_area_m2.delta == pytest.approx(40.0)
    balance = {r.module: r for r in c.balance}
    assert balance["embodied_total"].building_level_kgco2e == pytest.approx(1736.0)
    assert balance["embodied_total"].elements_kgco2e == 0.0
    _assert_balanced(c, office, b)


def test_a_delta_that_the_elements_do_not_explain_is_a_warning_never_silent(office):
    b = copy.deepcopy(office)
    b["embodied"]["a4"] += 10.0  # a hand-edited total
    c = compare_assessments(office, b)
    row = next(r for r in c.balance if r.module == "a4")
    assert not row.balanced and row.difference_kgco2e == pytest.approx(10.0)
    assert any(
        w.startswith("a4: the element deltas") and "10.000 kgCO2e unexplained" in w for w in c.warnings
    )


def test_a_factor_value_that_changed_shows_as_carbon_only_on_the_elements_it_reaches(office):
    b = copy.deepcopy(office)
    glulam = next(e for e in b["elements"] if e["element_name"] == "Glulam beam")
    glulam["a1_a3_kgco2e"] *= 2  # as with a user's factor file for the glulam
    c = compare_assessments(office, b)
    change = next(e for e in c.elements if e.element_name == "Glulam beam")
    assert change.change == "changed" and [x.what for x in change.changes] == ["carbon"]
    assert change.delta_a1_a3_kgco2e == pytest.approx(53.9)  # 0.2 t x 269.5 kgCO2e/t, counted twice


def test_verdicts_of_both_sides_in_both_modes_and_the_tiers_that_changed(office):
    b = copy.deepcopy(office)
    tiers = b["without_embodied"]["verdicts"]["tiers"]
    tiers[1]["verdict"] = "pass"  # near-zero without embodied
    c = compare_assessments(office, b)
    assert c.verdicts.changed == {"without_embodied": ["near-zero-carbon"], "with_embodied": []}
    near = next(t for t in c.verdicts.tiers if t.tier == "near-zero-carbon")
    assert (near.base_without, near.variant_without, near.changed_with) == ("fail", "pass", False)
    assert set(c.verdicts.base) == {"without_embodied", "with_embodied"}
    metrics = {(m.key, m.mode) for m in c.metrics}
    assert ("upfront_embodied_kg_per_m2", "with") in metrics and (
        "carbon_intensity_kg_per_m2a",
        "without",
    ) in metrics


def test_the_inputs_that_changed_are_listed_and_the_rest_marked_the_same(office):
    b = copy.deepcopy(office)
    b["parameters"]["energy"]["annual"]["electricity_kwh"] = 10000.0
    b["parameters"]["mappings"] = ["mine.yaml"]
    c = compare_assessments(office, b)
    changed = {(r.what, r.key): (r.base, r.variant) for r in c.inputs if r.changed}
    assert changed[("energy", "annual.electricity_kwh")][1] == "10,000"
    assert changed[("option", "mappings")] == ("", "mine.yaml")
    assert len(changed) == 2
    assert {r.what for r in c.inputs if not r.changed} >= {
        "model",
        "sha256",
        "criteria",
        "tool",
        "factor sets",
    }


def _element(gid: str | None, position, volume=1.0, cls="IfcWall", type_name="T", storey="1") -> dict:
    return {
        "global_id": gid,
        "step_id": 1,
        "ifc_class": cls,
        "type_name": type_name,
        "storey": storey,
        "position_m": position,
        "volume_m3": volume,
        "status": "matched",
        "a1_a3_kgco2e": volume,
    }


def test_pairing_by_position_is_nearest_first_within_the_tolerance_and_by_kind():
    base = [_element("a", [0, 0, 0]), _element("b", [1.0, 0, 0]), _element("c", [5, 5, 0])]
    base += [_element("d", [9, 9, 0], cls="IfcSlab")]
    variant = [_element("x", [1.02, 0, 0]), _element("y", [0.01, 0, 0]), _element("z", [5.2, 5, 0])]
    variant += [_element("w", [9, 9, 0], cls="IfcBeam")]
    pairing = pair_elements(base, variant, 0.05)
    pairs = {(p.base, p.variant, p.paired_by) for p in pairing.pairs}
    assert (0, 1, "position") in pairs and (1, 0, "position") in pairs  # 0.01 and 0.02 m apart
    assert (2, None, None) in pairs and (None, 2, None) in pairs  # 0.2 m apart: removed and added
    assert (3, None, None) in pairs and (None, 3, None) in pairs  # another class
    assert not any(p.ambiguous for p in pairing.pairs)


def test_elements_at_one_point_are_told_apart_by_name_then_quantity_and_their_neighbours_named():
    # an exporter that places every element at its storey's origin: the volume breaks the tie
    base = [_element("a", [0, 0, 0], 1.0), _element("b", [0, 0, 0], 2.0)]
    variant = [_element("x", [0, 0, 0], 2.0), _element("y", [0, 0, 0], 1.0)]
    pairing = pair_elements(base, variant, 0.05)
    assert {(p.base, p.variant) for p in pairing.pairs} == {(0, 1), (1, 0)}
    assert not any(p.ambiguous for p in pairing.pairs)
    assert pairing.pairs[0].candidates == ["x", "b"] and pairing.pairs[0].candidate_count == 2
    # the same name wins over the closer volume
    named = [_element("a", [0, 0, 0], 1.0) | {"element_name": "Wall 7"}]
    others = [_element("x", [0, 0, 0], 1.0), _element("y", [0, 0, 0], 1.5) | {"element_name": "Wall 7"}]
    assert [(p.base, p.variant) for p in pair_elements(named, others, 0.05).pairs][0] == (0, 1)


def test_elements_that_nothing_tells_apart_are_paired_in_file_order_and_flagged_ambiguous():
    base = [_element("a", [0, 0, 0]), _element("b", [0, 0, 0])]
    variant = [_element("x", [0, 0, 0]), _element("y", [0, 0, 0])]
    pairing = pair_elements(base, variant, 0.05)
    assert [(p.base, p.variant) for p in pairing.pairs] == [(0, 0), (1, 1)]
    assert all(p.ambiguous for p in pairing.pairs)
    assert pairing.pairs[0].candidates == ["y", "b"]
    assert any("2 of the pairs by position are ambiguous" in w for w in pairing.warnings)


def test_globalids_used_twice_and_elements_without_a_placement_are_said():
    base = [_element("a", [0, 0, 0]), _element("a", [3, 0, 0]), _element("n", None)]
    variant = [_element("a", [0, 0, 0]), _element("m", None)]
    pairing = pair_elements(base, variant, 0.05)
    assert {(p.base, p.variant, p.paired_by) for p in pairing.pairs} == {
        (0, 0, "position"),  # "a" is used twice in the base: not paired by GlobalId
        (1, None, None),
        (2, None, None),
        (None, 1, None),
    }
    assert any(
        w.startswith("base: 1 GlobalId(s) are used by more than one element (2 elements: a)")
        for w in pairing.warnings
    )
    assert any(
        "2 element(s) without a placement could not be paired by position" in w for w in pairing.warnings
    )


def test_an_assessment_made_before_per_element_results_is_refused_with_one_line(office, tmp_path):
    old = {k: v for k, v in office.items() if k != "elements"} | {"format_version": 2}
    with pytest.raises(ComparisonInputError) as info:
        checked(old, tmp_path / "old.json")
    message = str(info.value)
    made_by = f"made by bimcarbon {office['tool_version']}, format 2"
    assert message == f"{tmp_path / 'old.json'}: {made_by}: no per-element results; assess it again"
    with pytest.raises(ComparisonInputError, match="not an assessment JSON"):
        checked({"format": "bimcarbon.park"}, "park.json")
    with pytest.raises(ComparisonInputError, match="newer than this bimcarbon reads"):
        checked(office | {"format_version": 99}, "new.json")
    with pytest.raises(ComparisonInputError, match="not a whole assessment"):
        checked({k: v for k, v in office.items() if k != "embodied"}, "cut.json")


def test_a_public_sample_against_itself_re_exported_has_no_delta():
    model = sample("duplex.ifc")
    a = assess(model).assessment
    b = assess(regenerated_ids(model, Path(__import__("tempfile").mkdtemp()) / "duplex.ifc")).assessment
    c = compare_assessments(a, b)
    assert c.pairing.by_position == len(a.elements) == 215
    assert c.pairing.added == c.pairing.removed == c.pairing.changed == 0
    assert all(e.delta_embodied_kgco2e in (0, None) for e in c.elements)
    # 26 pairs had another element of the same class, type and storey within 0.05 m, each told apart by its
    # name or quantity: named as candidates, none ambiguous
    assert sum(e.candidate_count > 0 for e in c.elements) == 26 and c.pairing.ambiguous == 0
    _assert_balanced(c, a.model_dump(mode="json"), b.model_dump(mode="json"))
