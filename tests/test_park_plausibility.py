"""Figures no person would believe, in a park: a building's energy use per m2 (its own plausibility check,
which the park inherits), a building whose energy file gives no annual use (never counted as 0 kWh), the
park's supply per kWh used, its own loads per m2, one building holding most of the energy on a sliver of
the floor, and a park with no energy at all. Each is loud (IMPLAUSIBLE first in the warnings, flagged in
the JSON) and blocks the park's verdicts unless accepted (--accept-incomplete), numbers on paper."""

from __future__ import annotations

import pandas as pd
import pytest
from test_park_rollup import PACK, building, grid, run, three_buildings

from bimcarbon.energy import Carriers
from bimcarbon.park.spec import ParkEnergy
from bimcarbon.plausibility import check_plausibility, energy_content_kwh, load_ranges

NO_PARK_ENERGY = ParkEnergy()


def _plausibility(energy_kwh: dict[str, float] | None, floor_area_m2: float = 3_600.0):
    takeoff = pd.DataFrame(
        {"global_id": ["a"], "volume_m3": [400.0], "ifc_class": ["IfcSlab"], "element_name": ["S"],
         "quantity_source": ["geometry"]}
    )  # fmt: skip
    return check_plausibility(takeoff, 960_000.0, 900_000.0, [], floor_area_m2, [0.0, 4.0], load_ranges(),
                              energy_kwh=energy_kwh)  # fmt: skip


def _energy_check(carriers: Carriers):
    p = _plausibility(energy_content_kwh(carriers))
    return p, next(f for f in p.findings if f.metric == "energy_use_kwh_per_m2a")


def test_a_buildings_energy_in_wh_is_implausible_and_so_is_an_energy_file_without_annual_use():
    # 180,000 kWh typed in Wh: 180,000,000 / 3,600 m2 = 50,000 kWh/(m2.a), over 10 x 2,000
    p, finding = _energy_check(Carriers(electricity_kwh=180_000_000))
    assert (finding.value, finding.verdict, p.absurd) == (50_000, "absurd", True)
    head = "IMPLAUSIBLE (over 10x the top of its range), do not use without checking the energy file"
    assert finding.message.startswith(head)
    assert (
        "50,000 kWh/(m2.a)" in finding.message and "largest: electricity 180,000,000 kWh" in finding.message
    )
    assert p.warnings()[0] == finding.message  # first among the building's warnings
    # the same in kWh: 180,000 kWh + 2,000 m3 of gas x 9 kWh = 198,000 / 3,600 = 55: typical
    _, typical = _energy_check(Carriers(electricity_kwh=180_000, natural_gas_m3=2_000))
    assert (typical.value, typical.verdict, typical.message) == (55, "typical", None)
    # no annual use at all: 0 kWh/(m2.a), under 5 / 10: implausible, never a quiet zero
    _, none = _energy_check(Carriers())
    assert (none.value, none.verdict) == (0, "absurd")
    assert "the energy file gives no annual energy use" in none.message
    # no energy file: nothing to judge, the check is left out
    assert "energy_use_kwh_per_m2a" not in [f.metric for f in _plausibility(None).findings]


def test_buildings_without_annual_energy_are_left_out_never_counted_as_zero():
    # the reviewer's park: two offices whose energy files give no annual use, park loads of 5,000 kWh all
    # covered by 5,000 kWh of park PV. Before: 0 kgCO2 / (5,000 x 0.1229 = 0.6145 tce) = 0.000 tCO2/tce,
    # clean 100 %, "zero-carbon-park", no warning
    park = ParkEnergy(electricity_kwh=5_000, renewables={"pv_kwh": 5_000})
    offices = [building("Office A"), building("Office B")]  # electricity 0, no fuel
    for accept in (False, True):  # nothing to accept: no building is counted
        result = run(offices, energy=park, accept=accept)
        assert result.totals.buildings_without_energy == ["Office A", "Office B"]
        for mode in (result.without_embodied, result.with_embodied):
            assert mode.verdicts.reached is None and not mode.accepted_incomplete
            assert mode.verdicts.note == (
                "not assessable: no building of the park could be assessed (Office A, Office B: no annual "
                "energy use)"
            )
        assert any(w.startswith("Office A: its energy file gives no annual energy use: left out") for w in
                   result.warnings)  # fmt: skip


def test_one_building_without_annual_energy_blocks_the_park_unless_the_park_is_accepted_without_it():
    buildings = [*three_buildings(), building("Empty", area=500)]
    blocked = run(buildings)
    assert "1 of 4 building(s) give no annual energy use (Empty)" in blocked.without_embodied.verdicts.note
    assert blocked.without_embodied.verdicts.reached is None
    accepted = run(buildings, accept=True)
    # the park without it is the three-building park: 47.16 t / 52.8323 tce = 0.893, low-carbon
    assert accepted.metrics["carbon_per_energy_t_per_tce"] == pytest.approx(47.160 / 52.8323)
    assert accepted.totals.floor_area_m2 == 3_500  # its 500 m2 left out too
    assert accepted.without_embodied.verdicts.reached == "low-carbon-park"
    assert accepted.without_embodied.accepted_incomplete
    assert any("no annual energy use (Empty), accepted" in n for n in accepted.without_embodied.notes)
    assert (accepted.totals.buildings_assessed, accepted.totals.buildings) == (4, 4)


def test_an_implausible_building_blocks_the_park_unless_accepted_and_comes_first_in_the_warnings():
    # the reviewer's workshop in Wh: its own assessment flags it; before, the park printed 0.0004 tCO2/tce
    # and "zero-carbon-park" in both modes with no warning
    message = "IMPLAUSIBLE (over 10x the top of its range), do not use without checking the energy file: x"
    buildings = three_buildings()
    buildings[2] = buildings[2].model_copy(update={"implausible": [message], "warnings": [message, "other"]})
    blocked = run(buildings)
    assert blocked.plausibility.absurd and blocked.plausibility.buildings == ["B3"]
    for mode in (blocked.without_embodied, blocked.with_embodied):
        assert mode.verdicts.reached is None
        assert "IMPLAUSIBLE figures (B3's assessment: see the warnings)" in mode.verdicts.note
        assert "--accept-incomplete" in mode.verdicts.note
    assert blocked.warnings[0] == f"B3: {message}"  # first, and once
    assert sum(message in w for w in blocked.warnings) == 1
    accepted = run(buildings, accept=True)
    assert accepted.without_embodied.verdicts.reached == "low-carbon-park"
    assert accepted.plausibility.accepted and accepted.without_embodied.accepted_incomplete
    assert any(n.startswith("accepted: IMPLAUSIBLE figures (B3's assessment)") for n in
               accepted.without_embodied.notes)  # fmt: skip


def test_park_supply_many_times_its_use_is_implausible():
    # park PV typed in Wh: 100,000,000 kWh for a building using 100,000 kWh: 1,000 kWh supplied per kWh
    # used, over 10 x 3. Before: zero-carbon-park, net -49,950 t (99,900,000 kWh exported x 0.5)
    park = ParkEnergy(renewables={"pv_kwh": 100_000_000})
    result = run([building("Only", electricity=100_000)], energy=park)
    supply = next(f for f in result.plausibility.findings if f.metric == "park_supply_per_kwh_used")
    assert (supply.value, supply.verdict) == (1_000, "absurd")
    assert result.totals.operational.net_kgco2_per_year == pytest.approx(-49_950_000)
    assert result.without_embodied.verdicts.reached is None
    assert result.warnings[0].startswith("park: IMPLAUSIBLE (over 10x the top of its range)")
    assert "100,000,000 kWh supplied / 100,000 kWh used" in result.warnings[0]
    # a park that makes twice what it uses is believable: 200,000 / 100,000 = 2, under 3
    fine = run([building("Only", electricity=100_000)], energy=ParkEnergy(renewables={"pv_kwh": 200_000}))
    assert not fine.plausibility.absurd
    assert fine.without_embodied.verdicts.reached == "zero-carbon-park"


def test_park_loads_per_m2_in_wh_are_implausible():
    # 50,000 kWh of shared loads typed in Wh on 1,000 m2 of buildings: 50,000,000 / 1,000 = 50,000 kWh/(m2.a)
    park = ParkEnergy(electricity_kwh=50_000_000)
    result = run([building("Only", electricity=100_000)], energy=park)
    loads = next(f for f in result.plausibility.findings if f.metric == "park_loads_kwh_per_m2a")
    assert (loads.value, loads.verdict) == (50_000, "absurd")
    assert result.without_embodied.verdicts.note.startswith("not assessable: IMPLAUSIBLE figures (park: ")


def test_one_building_with_most_of_the_energy_on_a_sliver_of_the_floor_is_implausible():
    # Kiosk: 5 m2 using 1,000,000 kWh; Hall: 995 m2 using 10,000 kWh. Energy share 1,000,000 / 1,010,000 =
    # 99.0 % on 5 / 1,000 = 0.5 % of the floor: 198 times, over 10 x 10
    buildings = [
        building("Kiosk", area=5, electricity=1_000_000),
        building("Hall", area=995, electricity=10_000),
    ]
    result = run(buildings, energy=NO_PARK_ENERGY)
    share = next(
        f for f in result.plausibility.findings if f.metric == "largest_energy_share_per_floor_share"
    )
    assert share.value == pytest.approx((1_000_000 / 1_010_000) / 0.005)
    assert share.verdict == "absurd" and "Kiosk: 99.0% of the buildings'" in share.message
    # the three-building park: B2 holds 200,000 x 0.1229 = 24.58 of the buildings' 12.29 + 1.2143 (B1's
    # gas) + 24.58 + 6.145 = 44.2293 tce (55.6 %) on 2,000 of 3,500 m2 (57.1 %): 0.973 times, typical
    three = run(three_buildings())
    share = next(f for f in three.plausibility.findings if f.metric == "largest_energy_share_per_floor_share")
    assert share.value == pytest.approx((24.58 / 44.2293) / (2_000 / 3_500))
    assert share.verdict == "typical"
    assert not three.plausibility.absurd


def test_a_park_with_no_energy_says_why_tco2_per_tce_is_undefined():
    # the reviewer's park: one building without annual energy, no park energy: 0 tce. Before: not
    # assessable with note null and no warning
    result = run([building("A")], energy=NO_PARK_ENERGY, accept=True)
    assert result.metrics["energy_consumption_tce"] == 0
    note = result.without_embodied.verdicts.note
    assert "no energy consumption: tCO2/tce undefined" in note
    assert any(w.startswith("no energy consumption: tCO2/tce undefined") for w in result.warnings)


def test_buildings_warnings_and_operational_notes_reach_the_park_named():
    # before: the buildings' warnings (assumed rebar) and notes (PV above use capped) never reached it
    buildings = three_buildings()
    rebar = "12 structural concrete element(s) get 120 kg/m3 of rebar as an assumption"
    buildings[0] = buildings[0].model_copy(update={"warnings": [rebar, rebar]})
    buildings[1] = buildings[1].model_copy(update={"warnings": [rebar, "green electricity above the grid "
                                                                "electricity is not credited"]})  # fmt: skip
    warnings = run(buildings).warnings
    assert warnings[-3:] == [
        f"B1: {rebar}",
        f"B2: {rebar}",
        "B2: green electricity above the grid electricity is not credited",
    ]


def test_accepting_a_park_where_every_building_failed_accepts_nothing():
    nothing = run([], failed=["A", "B"], accept=True)
    assert nothing.without_embodied.verdicts.reached is None
    assert not nothing.without_embodied.accepted_incomplete  # before: true, with the verdicts blocked
    assert not nothing.with_embodied.accepted_incomplete


def test_the_national_core_criterion_says_its_method_is_bimcarbons_reading_and_keeps_its_thresholds_status():
    core = next(c for t in PACK.tiers for c in t.criteria if c.id == "core-national")
    assert core.method_provisional and "attachment 4" in core.method and core.zh["method"]
    assert [b.provisional for b in core.bands] == [True, False, False]  # 0.20 [C] for 0.2-1 Mtce stays
    result = run(three_buildings(), park_grid=grid())
    for mode in (result.without_embodied, result.with_embodied):
        assert mode.method_provisional == ["core-national"]
        assert any(n.startswith("Zero-carbon park, core-national: the thresholds are the notice's") and
                   n.endswith("[method provisional]") for n in mode.notes)  # fmt: skip
