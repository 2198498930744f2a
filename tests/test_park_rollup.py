"""The park roll-up, on paper: embodied summed by module, the electricity balance in its documented order
(caps and excess), tCO2/tce on both coal bases, the clean-energy share, and the verdicts both ways."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from bimcarbon.criteria import CriteriaPack, evaluate, load_pack
from bimcarbon.energy_factors import GridFactor, load_fuels
from bimcarbon.lifecycle import ModuleTotals
from bimcarbon.park.coal import coal_basis, load_coal
from bimcarbon.park.rollup import BuildingFigures, rollup, sum_embodied
from bimcarbon.park.spec import ParkEnergy

GAS_KG_PER_M3 = 2.16  # GB/T 51366 Appendix A natural gas, per m3 (fuels file)
PACK = load_pack("cn-zero-carbon-park-2025", kind="park")


def grid(value: float = 0.5, id: str = "test_grid") -> GridFactor:
    return GridFactor(
        id=id,
        source="test",
        status="confirmed",
        year=2023,
        scope="national",
        basis="average",
        value_kgco2_per_kwh=value,
    )


def building(
    name: str,
    *,
    area: float | None = 1000.0,
    life: float = 50.0,
    a1_a3: float = 0.0,
    a4: float | None = 0.0,
    a5: float | None = 0.0,
    b4: float | None = 0.0,
    c1_c4: float | None = 0.0,
    electricity: float = 0.0,
    pv_self: float = 0.0,
    pv_export: float = 0.0,
    green: float = 0.0,
    gas: float = 0.0,
    factor: float = 0.5,
    offsets_t: float = 0.0,
    complete: bool | None = True,
    accepted: bool = False,
) -> BuildingFigures:
    """A building's figures as its assessment would give them (grid = use - own PV)."""
    upfront = a1_a3 + (a4 or 0.0) + (a5 or 0.0)
    grid_kwh = electricity - pv_self
    return BuildingFigures(
        name=name,
        floor_area_m2=area,
        design_life_years=life,
        embodied=ModuleTotals(
            a1_a3=a1_a3,
            a4=a4,
            a5=a5,
            b4=b4,
            c1_c4=c1_c4,
            biogenic_kgco2=0.0,
            upfront_a1_a5=upfront,
            embodied_total=upfront + (b4 or 0.0) + (c1_c4 or 0.0),
        ),
        embodied_complete=complete,
        accepted_incomplete=accepted,
        electricity_kwh=electricity,
        pv_self_consumed_kwh=pv_self,
        pv_exported_kwh=pv_export,
        green_electricity_kwh=green,
        grid_kwh=grid_kwh,
        fuels={"natural_gas_m3": gas},
        grid_factor_id="test_grid" if factor == 0.5 else f"grid_{factor}",
        grid_kgco2_per_kwh=factor,
        gross_kgco2=grid_kwh * factor + gas * GAS_KG_PER_M3,
        fuels_kgco2=gas * GAS_KG_PER_M3,
        offsets_kgco2=offsets_t * 1000.0,
    )


def three_buildings() -> list[BuildingFigures]:
    return [
        # B1: 100,000 kWh of which 20,000 from its own PV -> 80,000 from the grid; 1,000 m3 of gas
        building(
            "B1", area=1000, a1_a3=100_000, a4=5_000, a5=10_000, b4=20_000, c1_c4=3_000,
            electricity=100_000, pv_self=20_000, gas=1_000,
        ),
        # B2: 200,000 kWh from the grid, 50,000 of it its own green electricity; 5 t of offsets
        building(
            "B2", area=2000, a1_a3=200_000, a4=10_000, a5=20_000, b4=40_000, c1_c4=6_000,
            electricity=200_000, green=50_000, offsets_t=5,
        ),
        # B3: 50,000 kWh from the grid, 10,000 kWh of PV exported; a 25-year design life
        building(
            "B3", area=500, life=25, a1_a3=50_000, a4=2_500, a5=5_000, b4=10_000, c1_c4=1_500,
            electricity=50_000, pv_export=10_000,
        ),
    ]  # fmt: skip


PARK = ParkEnergy(
    electricity_kwh=70_000,
    renewables={"pv_kwh": 100_000},
    green_electricity_kwh=60_000,
    green_certificates=100,
    offsets_tco2e=10,
)


def run(buildings, energy=PARK, basis="equivalent", failed=(), accept=False, park_grid=None):
    coal = coal_basis(load_coal(), basis)
    return rollup(buildings, list(failed), energy, park_grid or grid(), load_fuels(), coal, PACK, accept)


def test_a_three_building_park_adds_up_by_hand():
    result = run(three_buildings())
    e = result.totals.embodied
    # A1-A3 100,000 + 200,000 + 50,000; A4 5,000 + 10,000 + 2,500; A5 10,000 + 20,000 + 5,000; ...
    assert (e.a1_a3, e.a4, e.a5, e.b4, e.c1_c4) == (350_000, 17_500, 35_000, 70_000, 10_500)
    assert (e.upfront_a1_a5, e.embodied_total) == (402_500, 483_000)  # 115,000 + 230,000 + 57,500; + B4 + C
    # annualised A1-A5: 115,000 / 50 + 230,000 / 50 + 57,500 / 25 = 2,300 + 4,600 + 2,300
    assert result.totals.annualised_embodied_kgco2e_per_year == pytest.approx(9_200)
    assert result.totals.floor_area_m2 == 3_500
    b = result.balance
    # pooled: B1 80,000 + B2 200,000 - 50,000 + B3 50,000 + park loads 70,000 = 350,000
    assert b.pooled_grid_kwh == 350_000
    # park PV 100,000 covers first; green electricity 60,000; 100 certificates 100,000 kWh; 90,000 left
    assert (b.park_renewables_used_kwh, b.green_electricity_used_kwh, b.green_certificates_used_kwh) == (
        100_000,
        60_000,
        100_000,
    )
    assert b.grid_remaining_kwh == 90_000
    op = result.totals.operational
    # buildings' gross: 80,000 x 0.5 + 1,000 x 2.16 = 42,160; 100,000; 25,000 -> 167,160
    assert op.buildings_gross_kgco2_per_year == pytest.approx(167_160)
    # after supply: 90,000 kWh x 0.5 = 45,000 + B1's gas 2,160 = 47,160 kgCO2
    assert op.after_supply_kgco2_per_year == pytest.approx(47_160)
    # export credit: B3 10,000 x 0.5 = 5,000; offsets: B2 5 t + park 10 t; net 47,160 - 5,000 - 15,000
    assert (op.exported_credit_kgco2, op.offsets_kgco2) == (5_000, 15_000)
    assert op.net_kgco2_per_year == pytest.approx(27_160)
    m = result.metrics
    # tce: electricity 420,000 kWh x 0.1229 = 51,618 kgce + gas 1,000 m3 x 1.2143 = 1,214.3 -> 52.8323 tce
    assert m["energy_consumption_tce"] == pytest.approx(52.8323)
    assert m["carbon_per_energy_t_per_tce"] == pytest.approx(47.160 / 52.8323)  # 0.8926
    assert m["carbon_per_energy_with_embodied_t_per_tce"] == pytest.approx((47.160 + 9.2) / 52.8323)  # 1.0668
    assert m["emissions_kg_per_m2a"] == pytest.approx(47_160 / 3_500)  # 13.47
    assert m["emissions_with_embodied_kg_per_m2a"] == pytest.approx(56_360 / 3_500)  # 16.10
    assert m["net_emissions_t_per_year"] == pytest.approx(27.160)
    assert m["net_emissions_with_embodied_t_per_year"] == pytest.approx(36.360)


def test_the_clean_energy_share_counts_electricity_with_proof_of_its_source_once():
    m = run(three_buildings()).metrics
    # clean: B1's own PV 20,000 + B2's green 50,000 + park PV 100,000 + green 60,000 + certificates 100,000
    # = 330,000 kWh x 0.1229 = 40,557 kgce of 52,832.3 kgce; the grid's remaining 90,000 kWh is not clean
    assert m["clean_energy_share"] == pytest.approx(40_557 / 52_832.3)  # 0.7677


def test_the_coal_basis_decides_tco2_per_tce_and_both_bases_are_on_paper():
    equivalent = run(three_buildings())
    stated = run(three_buildings(), basis=0.315)
    assert equivalent.energy_consumption.basis.electricity_basis == "equivalent"
    assert equivalent.energy_consumption.basis.electricity_kgce_per_kwh == 0.1229
    assert stated.energy_consumption.basis.electricity_basis == "stated"
    # stated 0.315: 420,000 x 0.315 = 132,300 + 1,214.3 = 133,514.3 kgce
    assert stated.metrics["energy_consumption_tce"] == pytest.approx(133.5143)
    assert stated.metrics["carbon_per_energy_t_per_tce"] == pytest.approx(47.160 / 133.5143)  # 0.3532
    assert stated.metrics["clean_energy_share"] == pytest.approx(330_000 * 0.315 / 133_514.3)  # 0.7786
    # the same park: low-carbon on the equivalent basis (0.893 <= 1.0, 0.768 >= 0.60, 0.893 > 0.7) ...
    assert equivalent.without_embodied.verdicts.reached == "low-carbon-park"
    # ... near-zero-carbon on 0.315 (0.353 <= 0.7 and 0.779 >= 0.70; 0.353 > 0.20 for zero-carbon)
    assert stated.without_embodied.verdicts.reached == "near-zero-carbon-park"


def test_counting_embodied_changes_the_tier_and_says_so():
    result = run(three_buildings())
    # with embodied: (47.16 + 9.2) / 52.8323 = 1.067 > 1.0: not even the low-carbon park tier
    assert result.with_embodied.verdicts.reached is None
    assert [(c.tier, c.without_embodied, c.with_embodied) for c in result.changes] == [
        ("low-carbon-park", "pass", "fail")
    ]
    # a park of 53 tce a year is under every national class: 0.20 applied, marked provisional
    zero = next(c for c in result.without_embodied.verdicts.criteria if c.criterion == "core-national")
    assert (zero.threshold, zero.provisional) == (0.20, True)
    assert any("smaller than any class" in note for note in result.without_embodied.notes)


def test_park_renewables_beyond_the_pooled_electricity_are_exported_and_later_supply_is_unused():
    park = ParkEnergy(renewables={"pv_kwh": 150_000}, green_electricity_kwh=20_000, green_certificates=5)
    result = run([building("Only", electricity=100_000)], energy=park)
    b = result.balance
    # pooled 100,000: park PV covers it all, 50,000 exported; nothing left for green power or certificates
    assert (b.park_renewables_used_kwh, b.park_renewables_exported_kwh) == (100_000, 50_000)
    assert (b.green_electricity_used_kwh, b.green_electricity_unused_kwh) == (0, 20_000)
    assert (b.green_certificates_used_kwh, b.green_certificates_unused_kwh) == (0, 5_000)
    op = result.totals.operational
    assert op.after_supply_kgco2_per_year == 0  # never below zero
    assert op.exported_credit_kgco2 == pytest.approx(25_000)  # 50,000 x 0.5, in the net balance only
    assert op.net_kgco2_per_year == pytest.approx(-25_000)
    assert result.metrics["carbon_per_energy_t_per_tce"] == 0  # the core indicator has no export credit
    text = " ".join(result.warnings)
    assert "20,000 kWh not counted" in text and "5.000 certificates not counted" in text


def test_each_supply_is_capped_at_what_the_previous_left():
    park = ParkEnergy(renewables={"wind_kwh": 60_000}, green_electricity_kwh=30_000, green_certificates=15)
    result = run([building("Only", electricity=100_000)], energy=park)
    b = result.balance
    # 100,000 - wind 60,000 = 40,000 - green 30,000 = 10,000 - certificates 10,000 of 15,000 = 0
    assert (b.park_renewables_used_kwh, b.green_electricity_used_kwh, b.green_certificates_used_kwh) == (
        60_000,
        30_000,
        10_000,
    )
    assert (b.green_certificates_unused_kwh, b.grid_remaining_kwh) == (5_000, 0)
    assert [w for w in result.warnings if "certificates" in w]
    assert not [w for w in result.warnings if w.startswith("green electricity")]


def test_a_buildings_own_pv_and_green_power_stay_the_buildings_and_are_not_covered_again():
    # use 100,000: own PV 30,000, own green 20,000 -> 50,000 left for the park to cover
    park = ParkEnergy(renewables={"pv_kwh": 80_000})
    result = run([building("Only", electricity=100_000, pv_self=30_000, green=20_000)], energy=park)
    assert result.balance.pooled_grid_kwh == 50_000
    assert result.balance.park_renewables_used_kwh == 50_000
    assert result.balance.park_renewables_exported_kwh == 30_000
    # clean: 30,000 + 20,000 + 50,000 = all 100,000 kWh used, counted once
    assert result.energy_consumption.clean_electricity_kwh == 100_000
    assert result.metrics["clean_energy_share"] == pytest.approx(1.0)


def test_with_nothing_left_from_the_grid_no_electricity_is_counted_whatever_the_factors():
    # the buildings' 100,000 kWh at 0.5 (50,000 kg); park PV 100,000 kWh covers all of it; the park's
    # grid factor is 0.2. Before: 50,000 - 100,000 x 0.2 = 30,000 kg of electricity with no kWh from the
    # grid (the reviewer's southwest park: 59 t, 1.23 tCO2/tce); now 50,000 x 0 / 100,000 = 0
    park = ParkEnergy(renewables={"pv_kwh": 100_000})
    result = run([building("North", electricity=100_000)], energy=park, park_grid=grid(0.2, "south"))
    assert result.balance.grid_remaining_kwh == 0
    op = result.totals.operational
    assert op.after_supply_kgco2_per_year == 0
    assert op.park_supply_credit_kgco2 == pytest.approx(50_000)  # the pool's emissions, all covered
    assert result.metrics["carbon_per_energy_t_per_tce"] == 0
    text = " ".join(result.warnings)
    assert "North: grid factor test_grid (0.5 kgCO2/kWh) differs from the park's south (0.2)" in text
    # the other way (buildings at 0.3 under a park at 0.5) is 0 as well, with no clamp needed
    cheap = run([building("Cheap grid", electricity=100_000, factor=0.3)], energy=park)
    assert cheap.totals.operational.after_supply_kgco2_per_year == 0
    assert "taken as zero" not in " ".join(cheap.warnings)


def test_partial_supply_covers_the_same_share_of_every_pooled_kwh_at_its_own_factor():
    # pool: A 100,000 kWh at 0.3 (30,000 kg) + B 100,000 kWh at 0.7 (70,000 kg) + park loads 50,000 kWh
    # at the park's 0.6 (30,000 kg) = 250,000 kWh, 130,000 kg; park PV 150,000 kWh leaves 100,000 kWh
    # (40 %) from the grid: 130,000 x 100,000 / 250,000 = 52,000 kg. Before: 130,000 - 150,000 x 0.6 =
    # 40,000 kg (the supply credited at the park's factor, worth more than the cheap kWh it covers)
    park = ParkEnergy(electricity_kwh=50_000, renewables={"pv_kwh": 150_000})
    cheap = building("A", electricity=100_000, factor=0.3)
    dear = building("B", electricity=100_000, factor=0.7)
    result = run([cheap, dear], energy=park, park_grid=grid(0.6, "park"))
    assert result.balance.grid_remaining_kwh == 100_000
    op = result.totals.operational
    assert op.after_supply_kgco2_per_year == pytest.approx(52_000)
    assert op.park_supply_credit_kgco2 == pytest.approx(78_000)  # 130,000 x 150,000 / 250,000
    # tce: 250,000 kWh x 0.1229 = 30.725 tce; 52 / 30.725 = 1.692 tCO2/tce
    assert result.metrics["carbon_per_energy_t_per_tce"] == pytest.approx(52 / 30.725)


def test_a_failed_building_makes_the_park_not_assessable_unless_accepted():
    blocked = run(three_buildings(), failed=["Broken"])
    for mode in (blocked.without_embodied, blocked.with_embodied):
        assert mode.verdicts.reached is None
        assert {t.verdict for t in mode.verdicts.tiers} == {"not assessable"}
        assert "1 of 4 building(s) failed (Broken)" in mode.verdicts.note
    assert blocked.changes == []  # the note says why, once
    accepted = run(three_buildings(), failed=["Broken"], accept=True)
    assert accepted.without_embodied.verdicts.reached == "low-carbon-park"
    assert accepted.without_embodied.accepted_incomplete
    assert any("without 1 failed building(s) of 4 (Broken)" in w for w in accepted.warnings)
    assert accepted.totals.buildings_failed == 1 and accepted.totals.buildings == 4
    # with no building assessed there is nothing to accept: the park's own loads are no park's verdict
    nothing = run([], failed=["A", "B"], accept=True)
    assert nothing.without_embodied.verdicts.note.endswith("no building of the park could be assessed")


def test_an_incomplete_embodied_total_blocks_the_with_embodied_verdicts_only():
    buildings = three_buildings()
    buildings[0] = buildings[0].model_copy(update={"embodied_complete": False})
    result = run(buildings)
    assert result.without_embodied.verdicts.reached == "low-carbon-park"
    assert result.with_embodied.verdicts.reached is None
    assert "embodied totals of B1 are incomplete" in result.with_embodied.verdicts.note
    buildings[0] = buildings[0].model_copy(update={"accepted_incomplete": True})
    accepted = run(buildings)
    assert not accepted.with_embodied.verdicts.note
    assert any("B1 are incomplete, accepted" in w for w in accepted.warnings)


def test_a_module_one_building_did_not_assess_has_no_park_total():
    buildings = [building("With A4", a1_a3=10, a4=5), building("Without A4", a1_a3=20, a4=None)]
    totals = sum_embodied(buildings)
    assert totals.a1_a3 == 30 and totals.a4 is None
    assert totals.notes == ["a4: not assessed in Without A4: no park total"]


def test_without_a_floor_area_the_per_m2_figures_are_not_computed_and_that_is_said():
    result = run([building("No area", area=None, electricity=1000)])
    assert result.metrics["emissions_kg_per_m2a"] is None
    assert any("No area: no floor area" in w for w in result.warnings)


@pytest.mark.parametrize(
    ("tce", "threshold", "provisional"),
    [
        (150_000, 0.20, True),  # under 200,000 tce: no national value, 0.20 provisional
        (500_000, 0.20, False),  # 200,000 - 1,000,000 tce: 0.20 [C]
        (2_000_000, 0.30, False),  # 1,000,000 tce and more: 0.30 [C]
    ],
)
def test_the_zero_carbon_park_threshold_follows_the_parks_size_class(tce, threshold, provisional):
    verdicts = evaluate(
        PACK,
        {
            "park_carbon_per_energy_t_per_tce": 0.25,
            "park_clean_energy_share": 0.95,
            "park_energy_consumption_tce": tce,
        },
    )
    core = next(c for c in verdicts.criteria if c.criterion == "core-national")
    assert (core.threshold, core.provisional) == (threshold, provisional)
    assert core.verdict == ("pass" if threshold >= 0.25 else "fail")
    low = next(c for c in verdicts.criteria if c.criterion == "core-hunan-2027")
    assert low.threshold == (1.1 if tce >= 1_000_000 else 1.0)  # Hunan's classes, provisional as tiers
    assert low.provisional


def _pack(kind: str, criterion: dict) -> CriteriaPack:
    return CriteriaPack(
        metadata={"id": "x", "title": "x", "kind": kind},
        tiers=[
            {"id": "t", "name_en": "T", "criteria": [{"id": "c", "unit": "u", "source": "s", **criterion}]}
        ],
    )


def test_a_pack_must_use_the_metrics_of_its_kind_and_bands_from_small_to_large():
    core = {
        "metric": "park_carbon_per_energy_t_per_tce",
        "operator": "<=",
        "threshold": 0.2,
        "provisional": False,
    }
    assert _pack("park", core).metadata.kind == "park"
    with pytest.raises(ValidationError, match="not a building metric"):
        _pack("building", core)  # a building pack cannot name a park metric (and the reverse)
    with pytest.raises(ValidationError, match="not a park metric"):
        _pack("park", {**core, "metric": "carbon_intensity_kg_per_m2a"})
    banded = {"metric": "park_carbon_per_energy_t_per_tce", "operator": "<=",
              "band_metric": "park_energy_consumption_tce"}  # fmt: skip
    bands = [
        {"below": 10, "threshold": 1, "source": "s", "provisional": True},
        {"threshold": 2, "source": "s", "provisional": False},
    ]
    assert (
        _pack("park", {**banded, "bands": bands}).tiers[0].criteria[0].band(10).threshold == 2
    )  # 10 is not below 10
    with pytest.raises(ValidationError, match="from the smallest size up"):
        _pack("park", {**banded, "bands": bands[::-1]})
    with pytest.raises(ValidationError, match="threshold and provisional per band"):
        _pack("park", {**banded, "threshold": 0.2, "bands": bands})
    with pytest.raises(ValidationError, match="give threshold and provisional"):
        _pack("park", {**core, "threshold": None})
