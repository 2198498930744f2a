"""Operational emissions (B6): annual energy x grid and fuel factors, renewables, green power, offsets.

Pure arithmetic on an :class:`~bimcarbon.energy.EnergyInput` and factor tables; no files.
"""

from __future__ import annotations

from pydantic import BaseModel

from bimcarbon.energy import Carriers, EnergyInput
from bimcarbon.energy_factors import FuelTable, GridFactor

#: Carrier field -> fuel factor id in fuels_gbt51366_2019_appendix_a.yaml (per-unit values, derived).
FUEL_OF_CARRIER = {
    "natural_gas_m3": "natural_gas",
    "diesel_kg": "diesel",
    "gasoline_kg": "gasoline",
    "lpg_kg": "lpg",
    "coal_kg": "bituminous_coal",
}


class CarrierLine(BaseModel):
    """One carrier's annual use, factor and emissions."""

    carrier: str
    quantity: float
    unit: str
    factor_kgco2_per_unit: float | None
    factor_source: str
    kgco2_per_year: float | None


class OperationalResult(BaseModel):
    """Annual operational emissions and the credits against them, kgCO2 a year."""

    grid_factor_id: str
    grid_factor_kgco2_per_kwh: float
    grid_electricity_kwh: float
    lines: list[CarrierLine]
    gross_kgco2_per_year: float | None
    green_electricity_credit_kgco2: float
    exported_pv_credit_kgco2: float
    offsets_kgco2: float
    net_kgco2_per_year: float | None
    baseline_kgco2_per_year: float | None
    baseline_intensity_kg_per_m2a: float | None
    baseline_lines: list[CarrierLine] = []
    complete: bool
    notes: list[str]


def carrier_lines(
    carriers: Carriers,
    grid: GridFactor,
    fuels: FuelTable,
    district_heat_factor: float | None,
    pv_self_kwh: float,
) -> tuple[list[CarrierLine], float, list[str]]:
    """Emissions of each carrier; electricity from the grid is use minus self-consumed PV."""
    fuel = {f.id: f for f in fuels.factors}
    notes: list[str] = []
    grid_kwh = max(0.0, carriers.electricity_kwh - pv_self_kwh)
    if pv_self_kwh > carriers.electricity_kwh:
        notes.append(
            f"PV self-consumed ({pv_self_kwh:g} kWh) is more than the electricity used "
            f"({carriers.electricity_kwh:g} kWh): the excess is not credited; count it as exported"
        )
    lines = [
        CarrierLine(
            carrier="electricity (grid)",
            quantity=grid_kwh,
            unit="kWh",
            factor_kgco2_per_unit=grid.value_kgco2_per_kwh,
            factor_source=f"{grid.id}: {grid.source}",
            kgco2_per_year=grid_kwh * grid.value_kgco2_per_kwh,
        )
    ]
    for field, fuel_id in FUEL_OF_CARRIER.items():
        quantity = getattr(carriers, field)
        if not quantity:
            continue
        factor = fuel.get(fuel_id)
        value = factor.per_unit_value if factor is not None else None
        unit = field.rsplit("_", 1)[1]
        lines.append(
            CarrierLine(
                carrier=field.rsplit("_", 1)[0].replace("_", " "),
                quantity=quantity,
                unit=unit,
                factor_kgco2_per_unit=value,
                factor_source=f"{fuel_id}: {factor.source} (per-unit value derived)" if factor else "none",
                kgco2_per_year=quantity * value if value is not None else None,
            )
        )
    if carriers.district_heat_gj:
        lines.append(
            CarrierLine(
                carrier="district heat",
                quantity=carriers.district_heat_gj,
                unit="GJ",
                factor_kgco2_per_unit=district_heat_factor,
                factor_source="energy file (district_heat_kgco2_per_gj)"
                if district_heat_factor is not None
                else "none",
                kgco2_per_year=carriers.district_heat_gj * district_heat_factor
                if district_heat_factor is not None
                else None,
            )
        )
        if district_heat_factor is None:
            notes.append("district heat has no open default factor: give district_heat_kgco2_per_gj")
    return lines, grid_kwh, notes


def carrier_total(lines: list[CarrierLine]) -> float | None:
    """The sum of the lines' emissions, or None when any line has no factor."""
    if any(line.kgco2_per_year is None for line in lines):
        return None
    return sum(line.kgco2_per_year or 0.0 for line in lines)


def operational(
    energy: EnergyInput, grid: GridFactor, fuels: FuelTable, floor_area_m2: float | None
) -> OperationalResult:
    """Annual B6 emissions, credits and the net balance; the baseline's emissions when given.

    Electricity from the grid = use - self-consumed PV. Credits: certified green electricity (up to the
    grid electricity) and exported PV at the grid factor, and offsets. Net = gross - credits.
    """
    lines, grid_kwh, notes = carrier_lines(
        energy.annual, grid, fuels, energy.district_heat_kgco2_per_gj, energy.renewables.pv_self_consumed_kwh
    )
    gross = carrier_total(lines)
    complete = gross is not None
    green = min(energy.green_electricity_kwh, grid_kwh) * grid.value_kgco2_per_kwh
    if energy.green_electricity_kwh > grid_kwh:
        notes.append("green electricity above the grid electricity is not credited")
    exported = energy.renewables.pv_exported_kwh * grid.value_kgco2_per_kwh
    offsets = energy.offsets_tco2e_per_year * 1000.0
    net = gross - green - exported - offsets if gross is not None else None
    baseline_kg, baseline_intensity, base_lines = None, None, []
    if energy.baseline is not None:
        if energy.baseline.carriers is not None:
            base_lines, _, base_notes = carrier_lines(
                energy.baseline.carriers, grid, fuels, energy.district_heat_kgco2_per_gj, 0.0
            )
            baseline_kg = carrier_total(base_lines)
            if baseline_kg is None:
                complete = False
                notes.extend(f"baseline: {note}" for note in base_notes)
            elif floor_area_m2:
                baseline_intensity = baseline_kg / floor_area_m2
        elif energy.baseline.carbon_intensity_kg_per_m2a is not None:
            baseline_intensity = energy.baseline.carbon_intensity_kg_per_m2a
            if floor_area_m2:
                baseline_kg = baseline_intensity * floor_area_m2
    return OperationalResult(
        grid_factor_id=grid.id,
        grid_factor_kgco2_per_kwh=grid.value_kgco2_per_kwh,
        grid_electricity_kwh=grid_kwh,
        lines=lines,
        gross_kgco2_per_year=gross,
        green_electricity_credit_kgco2=green,
        exported_pv_credit_kgco2=exported,
        offsets_kgco2=offsets,
        net_kgco2_per_year=net,
        baseline_kgco2_per_year=baseline_kg,
        baseline_intensity_kg_per_m2a=baseline_intensity,
        baseline_lines=base_lines,
        complete=complete,
        notes=notes,
    )
