"""The park roll-up: pure arithmetic over the buildings' assessments and the park's own energy.

No files, no IFC. The buildings' figures are read from their assessment JSON (the same dict
``bimcarbon assess --json`` writes), then:

* embodied emissions are summed by module (the keys of a building's ``embodied``);
* electricity is balanced in a fixed order (docs/park.md "The energy balance"): each building keeps
  its own PV, green electricity, PV export and offsets; the buildings' remaining grid electricity and
  the park's loads are pooled; park PV and wind cover the pool first (a surplus is exported), then
  direct green electricity, then green certificates, each capped at what is left (an excess is unused,
  with a warning); offsets come last and only enter the net balance;
* energy consumption is converted to standard coal (tce) with the stated basis;
* the park metrics (tCO2/tce, clean-energy share, totals and per m2, with and without embodied) are
  evaluated against a park criteria pack in both modes.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from bimcarbon.assess import TierChange
from bimcarbon.criteria import CriteriaPack, Verdicts, evaluate, not_assessable
from bimcarbon.energy import KWH_PER_UNIT, Carriers
from bimcarbon.energy_factors import FuelTable, GridFactor
from bimcarbon.lifecycle import MODULE_TOTAL_KEYS, ModuleTotals
from bimcarbon.operational import CarrierLine, carrier_lines, carrier_total
from bimcarbon.park.coal import CARRIERS, CoalBasis
from bimcarbon.park.spec import KWH_PER_CERTIFICATE, ParkEnergy
from bimcarbon.plausibility import Finding, RangeFile, check_values, load_ranges

#: Fuels and heat (energy-file field names): every carrier but electricity.
FUELS = tuple(c for c in CARRIERS if c != "electricity_kwh")
#: Numeric fields of ModuleTotals, summed over the buildings.
MODULE_FIELDS = MODULE_TOTAL_KEYS
#: Two grid factors closer than this (kgCO2/kWh) are the same factor.
SAME_FACTOR = 1e-9


class BuildingFigures(BaseModel):
    """What the roll-up takes from one assessed building (all a year, except embodied).

    ``pv_self_consumed_kwh`` and ``green_electricity_kwh`` are as counted by the building's assessment
    (capped at its electricity use and at its grid electricity); ``gross_kgco2`` is None when its
    operational emissions are incomplete (a carrier without a factor). ``implausible`` holds the messages
    of its absurd plausibility findings, ``warnings`` its assessment's warnings and operational notes
    (the caps above among them), each once.
    """

    name: str
    floor_area_m2: float | None
    design_life_years: float
    embodied: ModuleTotals
    embodied_complete: bool | None
    accepted_incomplete: bool
    electricity_kwh: float
    pv_self_consumed_kwh: float
    pv_exported_kwh: float
    green_electricity_kwh: float
    grid_kwh: float
    fuels: dict[str, float]
    grid_factor_id: str
    grid_kgco2_per_kwh: float
    gross_kgco2: float | None
    fuels_kgco2: float | None
    offsets_kgco2: float
    operational_note: str = ""
    implausible: list[str] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)

    @property
    def has_annual_energy(self) -> bool:
        """Whether the building's energy file gives any annual use (a file without one is not 0 kWh)."""
        return self.electricity_kwh > 0 or any(quantity > 0 for quantity in self.fuels.values())


def figures_from_assessment(name: str, assessment: dict) -> BuildingFigures:
    """The roll-up's figures of one building, from its assessment JSON (``assess --json``)."""
    energy = assessment["parameters"].get("energy") or {}
    annual = energy.get("annual") or {}
    op = assessment.get("operational") or {}
    grid_kwh = float(op.get("grid_electricity_kwh") or 0.0)
    use = float(annual.get("electricity_kwh") or 0.0)
    pv_self = float((energy.get("renewables") or {}).get("pv_self_consumed_kwh") or 0.0)
    green = float(energy.get("green_electricity_kwh") or 0.0)
    lines = op.get("lines") or []
    fuel_lines = [line for line in lines if line.get("carrier") != "electricity (grid)"]
    fuels_kgco2 = (
        None
        if any(line.get("kgco2_per_year") is None for line in fuel_lines)
        else sum(line["kgco2_per_year"] for line in fuel_lines)
    )
    with_embodied = assessment.get("with_embodied") or {}
    return BuildingFigures(
        name=name,
        floor_area_m2=(assessment.get("floor_area") or {}).get("value_m2"),
        design_life_years=assessment["design_life_years"],
        embodied=ModuleTotals(**assessment["embodied"]),
        embodied_complete=with_embodied.get("embodied_complete"),
        accepted_incomplete=bool(with_embodied.get("accepted_incomplete")),
        electricity_kwh=use,
        pv_self_consumed_kwh=min(pv_self, use),
        pv_exported_kwh=float((energy.get("renewables") or {}).get("pv_exported_kwh") or 0.0),
        green_electricity_kwh=min(green, grid_kwh),
        grid_kwh=grid_kwh,
        fuels={carrier: float(annual.get(carrier) or 0.0) for carrier in FUELS},
        grid_factor_id=op.get("grid_factor_id", ""),
        grid_kgco2_per_kwh=float(op.get("grid_factor_kgco2_per_kwh") or 0.0),
        gross_kgco2=op.get("gross_kgco2_per_year"),
        fuels_kgco2=fuels_kgco2,
        offsets_kgco2=float(op.get("offsets_kgco2") or 0.0),
        operational_note=assessment.get("operational_note", ""),
        implausible=[
            f["message"]
            for f in (assessment.get("plausibility") or {}).get("findings", [])
            if f.get("verdict") == "absurd"
        ],
        warnings=list(dict.fromkeys([*assessment.get("warnings", []), *op.get("notes", [])])),
    )


class BuildingElectricity(BaseModel):
    """One building's electricity in the balance, kWh a year (step 1: what stays the building's)."""

    name: str
    electricity_kwh: float
    pv_self_consumed_kwh: float
    green_electricity_kwh: float
    grid_after_own_supply_kwh: float
    pv_exported_kwh: float
    grid_factor_id: str
    grid_factor_kgco2_per_kwh: float


class ElectricityBalance(BaseModel):
    """The park's electricity a year, kWh, in the order it is allocated (docs/park.md).

    ``pooled_grid_kwh`` (step 2) is the buildings' grid electricity after their own PV and green
    electricity, plus the park's loads; park renewables (step 3), green electricity (step 4a) and
    green certificates (step 4b) each cover what is left, capped at it; ``grid_remaining_kwh`` is
    what the grid still supplies. Offsets (step 5) are tCO2e, in the operational totals.
    """

    grid_factor_id: str
    grid_factor_kgco2_per_kwh: float
    buildings: list[BuildingElectricity]
    park_electricity_kwh: float
    pooled_grid_kwh: float
    park_renewables_kwh: float
    park_renewables_used_kwh: float
    park_renewables_exported_kwh: float
    green_electricity_kwh: float
    green_electricity_used_kwh: float
    green_electricity_unused_kwh: float
    green_certificates: int
    green_certificates_kwh: float
    green_certificates_used_kwh: float
    green_certificates_unused_kwh: float
    grid_remaining_kwh: float


class ParkOperational(BaseModel):
    """Operational CO2 of the park a year, kgCO2 (None: a carrier has no factor).

    ``after_supply_kgco2_per_year`` is the core indicator's numerator: the pooled grid electricity's
    emissions (each building's grid kWh after its own PV and green electricity at the building's grid
    factor, the park's loads at the park's) times the share of the pool the grid still supplies after
    park renewables, green electricity and certificates, plus every fuel: zero when nothing comes from
    the grid, never below zero. ``park_supply_credit_kgco2`` is the part of the pool's emissions the
    park's supply covers. Export credits and offsets only enter ``net_kgco2_per_year``.
    """

    buildings_gross_kgco2_per_year: float | None
    buildings_green_electricity_credit_kgco2: float
    park_electricity_kgco2: float
    park_fuel_lines: list[CarrierLine]
    park_fuels_kgco2: float | None
    park_supply_credit_kgco2: float
    after_supply_kgco2_per_year: float | None
    exported_credit_kgco2: float
    offsets_kgco2: float
    net_kgco2_per_year: float | None
    complete: bool


class EnergyLine(BaseModel):
    """One carrier's energy consumption a year, in its unit and in standard coal."""

    carrier: str
    quantity: float
    unit: str
    kgce_per_unit: float
    coefficient_status: str
    tce: float


class EnergyConsumption(BaseModel):
    """The park's comprehensive energy consumption a year, tce, on the stated basis.

    Every carrier consumed counts, electricity as all electricity used whatever its source. Clean
    (non-fossil) energy is the electricity with proof of its source: the buildings' own PV and green
    electricity, park renewables used, park green electricity and certificates applied.
    """

    basis: CoalBasis
    lines: list[EnergyLine]
    total_tce: float
    clean_electricity_kwh: float
    clean_tce: float


class ParkTotals(BaseModel):
    """Totals of the assessed buildings and the park's energy.

    ``buildings_without_energy`` names the buildings assessed whose energy file gives no annual use: the
    park's figures leave them out (embodied too, so that every figure covers the same buildings), as
    they leave out a failed building.
    """

    buildings: int
    buildings_assessed: int
    buildings_failed: int
    buildings_without_energy: list[str]
    floor_area_m2: float | None
    embodied: ModuleTotals
    annualised_embodied_kgco2e_per_year: float
    operational: ParkOperational


class ParkMode(BaseModel):
    """The park criteria with embodied emissions counted, or not.

    ``metrics`` are what the pack compares; ``verdicts.note`` says why every verdict is "not
    assessable" when something outside the metrics blocks them (a failed building, a building without
    annual energy, an implausible figure, no energy consumption, an incomplete embodied total);
    ``accepted_incomplete`` that the verdicts stand on something accepted with --accept-incomplete
    (``notes`` say what); ``notes`` also say which size class set a threshold, and whose method is
    bimcarbon's reading (``method_provisional``: those criteria's ids).
    """

    embodied_counted: bool
    metrics: dict[str, float | None]
    verdicts: Verdicts
    accepted_incomplete: bool = False
    notes: list[str] = Field(default_factory=list)
    method_provisional: list[str] = Field(default_factory=list)


class ParkPlausibility(BaseModel):
    """Checks a person would make before believing the park's figures.

    ``findings`` are the park's own figures against ``park_ranges`` of ``factors/plausibility.yaml``;
    ``buildings`` names the buildings counted in the park whose assessment holds an absurd figure (its
    ``plausibility``). ``absurd``: any of them; the park's verdicts are then not assessable unless
    accepted (``accepted``).
    """

    absurd: bool
    accepted: bool
    findings: list[Finding]
    buildings: list[str]


class RollUp(BaseModel):
    """The park's totals, balance, energy consumption, metrics and verdicts."""

    totals: ParkTotals
    balance: ElectricityBalance
    energy_consumption: EnergyConsumption
    metrics: dict[str, float | None]
    plausibility: ParkPlausibility
    without_embodied: ParkMode
    with_embodied: ParkMode
    changes: list[TierChange]
    warnings: list[str]


def sum_embodied(buildings: list[BuildingFigures]) -> ModuleTotals:
    """Embodied emissions by module summed over the buildings, kgCO2e; a module some building did not
    assess is None (said in ``notes``): a partial sum is never shown as the park's."""
    values: dict[str, float | None] = {}
    notes: list[str] = []
    for field in MODULE_FIELDS:
        parts = [getattr(b.embodied, field) for b in buildings]
        missing = [b.name for b, v in zip(buildings, parts, strict=True) if v is None]
        if missing and len(missing) < len(buildings):
            notes.append(f"{field}: not assessed in {', '.join(missing)}: no park total")
        values[field] = None if missing else sum(parts)
    if not buildings:
        notes.append("no building assessed")
    for field in ("a1_a3", "biogenic_kgco2", "upfront_a1_a5", "embodied_total"):
        values[field] = values[field] or 0.0  # never None for a building
    return ModuleTotals(**values, a5_source="sum of the buildings' A5", notes=notes)


def rollup(
    buildings: list[BuildingFigures],
    failed: list[str],
    energy: ParkEnergy,
    grid: GridFactor,
    fuels: FuelTable,
    coal: CoalBasis,
    pack: CriteriaPack,
    accept_incomplete: bool,
    ranges: RangeFile | None = None,
) -> RollUp:
    """Roll the assessed buildings and the park's energy up to the park's figures and verdicts.

    Parameters
    ----------
    buildings
        The assessed buildings' figures (failed buildings are not among them). A building whose energy
        file gives no annual use is left out of every park figure (never counted as using 0 kWh).
    failed
        Names of the buildings that could not be assessed.
    energy
        The park's own loads and supply (the park file's ``park_energy``).
    grid
        The park's grid factor: the park's loads and exports are valued at it.
    fuels
        Fuel CO2 factors (for the park's own fuels).
    coal
        Standard-coal coefficients, electricity on the stated basis.
    pack
        The park criteria pack.
    accept_incomplete
        Let the verdicts stand although buildings failed or give no annual energy, a figure is
        implausible, or the buildings' embodied totals are incomplete (marked, with warnings).
    ranges
        The plausibility ranges (default: ``factors/plausibility.yaml``); the park's own figures are
        checked against its ``park_ranges``.
    """
    warnings: list[str] = []
    g = grid.value_kgco2_per_kwh
    without_energy = [b for b in buildings if not b.has_annual_energy]
    assessed = buildings
    buildings = [b for b in buildings if b.has_annual_energy]  # every park figure covers these
    for b in without_energy:
        warnings.append(
            f"{b.name}: its energy file gives no annual energy use: left out of the park's figures (a "
            "building is never counted as using 0 kWh); give its annual use"
        )
    balance = _balance(buildings, energy, grid)
    op, op_warnings = _operational(buildings, energy, grid, fuels, balance)
    warnings += op_warnings
    consumption = _consumption(buildings, energy, coal, balance)
    embodied = sum_embodied(buildings)
    annualised = sum(b.embodied.upfront_a1_a5 / b.design_life_years for b in buildings)
    areas = [b.floor_area_m2 for b in buildings]
    floor_area = sum(a for a in areas if a) if buildings and all(areas) else None
    for b in buildings:
        if not b.floor_area_m2:
            warnings.append(f"{b.name}: no floor area: the park's figures per m2 are not computed")
        if abs(b.grid_kgco2_per_kwh - g) > SAME_FACTOR:
            warnings.append(
                f"{b.name}: grid factor {b.grid_factor_id} ({b.grid_kgco2_per_kwh:g} kgCO2/kWh) differs from "
                f"the park's {grid.id} ({g:g}): its grid electricity counts at its own factor, the park's "
                "loads and exports at the park's"
            )
    if balance.green_electricity_unused_kwh > 0:
        warnings.append(
            f"green electricity {energy.green_electricity_kwh:,.0f} kWh is more than the grid electricity "
            f"left after park renewables ({balance.green_electricity_used_kwh:,.0f} kWh): "
            f"{balance.green_electricity_unused_kwh:,.0f} kWh not counted"
        )
    if balance.green_certificates_unused_kwh > 0:
        unused = balance.green_certificates_unused_kwh / KWH_PER_CERTIFICATE
        warnings.append(
            f"{energy.green_certificates:,} green certificates ({balance.green_certificates_kwh:,.0f} kWh) "
            f"are more than the grid electricity left after renewables and green electricity "
            f"({balance.green_certificates_used_kwh:,.0f} kWh): {unused:,.3f} certificates not counted"
        )
    for line in consumption.lines:
        if line.quantity and line.coefficient_status == "unconfirmed":
            warnings.append(
                f"standard coal of {line.carrier} from an unconfirmed coefficient "
                f"({line.kgce_per_unit:g} kgce/{line.unit}): check it before relying on the tCO2/tce"
            )
    metrics = _metrics(op, consumption, annualised, floor_area)
    if not consumption.total_tce:
        warnings.append(
            "no energy consumption: tCO2/tce undefined (neither the buildings counted nor the park use any "
            "energy): the park's verdicts are not assessable"
        )
    ranges = ranges if ranges is not None else load_ranges()
    findings = _park_findings(buildings, energy, coal, balance, floor_area, ranges)
    warnings += [f"park: {f.message}" for f in findings if f.message]
    plausibility = ParkPlausibility(
        absurd=any(f.verdict == "absurd" for f in findings) or any(b.implausible for b in buildings),
        accepted=False,
        findings=findings,
        buildings=[b.name for b in buildings if b.implausible],
    )
    without, with_ = _modes(
        pack, metrics, buildings, failed, [b.name for b in without_energy], plausibility, accept_incomplete,
        warnings,
    )  # fmt: skip
    plausibility.accepted = plausibility.absurd and without.accepted_incomplete
    for b in assessed:  # each building's own warnings and operational notes, named
        warnings += [f"{b.name}: {line}" for line in dict.fromkeys([*b.implausible, *b.warnings])]
    changes = [
        TierChange(tier=a.tier, without_embodied=a.verdict, with_embodied=b.verdict)
        for a, b in zip(without.verdicts.tiers, with_.verdicts.tiers, strict=True)
        if a.verdict != b.verdict and not without.verdicts.note and not with_.verdicts.note
    ]
    totals = ParkTotals(
        buildings=len(assessed) + len(failed),
        buildings_assessed=len(assessed),
        buildings_failed=len(failed),
        buildings_without_energy=[b.name for b in without_energy],
        floor_area_m2=floor_area,
        embodied=embodied,
        annualised_embodied_kgco2e_per_year=annualised,
        operational=op,
    )
    return RollUp(
        totals=totals,
        balance=balance,
        energy_consumption=consumption,
        metrics=metrics,
        plausibility=plausibility,
        without_embodied=without,
        with_embodied=with_,
        changes=changes,
        warnings=loud_first(warnings),
    )


def loud_first(lines: list[str]) -> list[str]:
    """The lines with every IMPLAUSIBLE one first, each once, otherwise in their order."""
    unique = list(dict.fromkeys(lines))
    return sorted(unique, key=lambda line: "IMPLAUSIBLE" not in line)


def _park_findings(
    buildings: list[BuildingFigures],
    energy: ParkEnergy,
    coal: CoalBasis,
    balance: ElectricityBalance,
    floor_area_m2: float | None,
    ranges: RangeFile,
) -> list[Finding]:
    """The park's own figures against the park ranges: supply per kWh used, the park's loads per m2, and
    the share of the energy the largest user holds against its share of the floor area."""
    values: dict[str, float | None] = {}
    details: dict[str, str] = {}
    contributors: dict[str, str] = {}
    used_kwh = sum(b.electricity_kwh for b in buildings) + energy.electricity_kwh
    exported_kwh = sum(b.pv_exported_kwh for b in buildings)
    parts = {
        "park PV and wind": balance.park_renewables_kwh,
        "green electricity": balance.green_electricity_kwh,
        "green certificates": balance.green_certificates_kwh,
        "the buildings' PV exports": exported_kwh,
    }
    supplied_kwh = sum(parts.values())
    values["park_supply_per_kwh_used"] = supplied_kwh / used_kwh if used_kwh > 0 else None
    details["park_supply_per_kwh_used"] = f"{supplied_kwh:,.0f} kWh supplied / {used_kwh:,.0f} kWh used"
    contributors["park_supply_per_kwh_used"] = ", ".join(
        f"{name} {kwh:,.0f} kWh" for name, kwh in sorted(parts.items(), key=lambda item: -item[1]) if kwh
    )
    loads = {"electricity": energy.electricity_kwh} | {
        key.rsplit("_", 1)[0].replace("_", " "): getattr(energy.fuels, key) * KWH_PER_UNIT[key]
        for key in FUELS
        if getattr(energy.fuels, key)
    }
    loads_kwh = sum(loads.values())
    values["park_loads_kwh_per_m2a"] = loads_kwh / floor_area_m2 if floor_area_m2 else None
    details["park_loads_kwh_per_m2a"] = (
        f"{loads_kwh:,.0f} kWh a year, every carrier in its energy content, / {floor_area_m2 or 0:,.1f} m2 "
        "of the buildings"
    )
    contributors["park_loads_kwh_per_m2a"] = ", ".join(
        f"{name} {kwh:,.0f} kWh" for name, kwh in sorted(loads.items(), key=lambda item: -item[1]) if kwh
    )
    kgce = coal.kgce_per_unit
    tce = [
        (b.electricity_kwh * kgce["electricity_kwh"] + sum(q * kgce[c] for c, q in b.fuels.items())) / 1000.0
        for b in buildings
    ]
    total_tce = sum(tce)
    values["largest_energy_share_per_floor_share"] = None
    if len(buildings) >= 2 and floor_area_m2 and total_tce > 0:
        top = max(range(len(buildings)), key=lambda i: tce[i])  # the first of equals
        energy_share = tce[top] / total_tce
        area_share = (buildings[top].floor_area_m2 or 0.0) / floor_area_m2
        if energy_share >= 0.5 and area_share > 0:
            values["largest_energy_share_per_floor_share"] = energy_share / area_share
            details["largest_energy_share_per_floor_share"] = (
                f"{buildings[top].name}: {energy_share:.1%} of the buildings' {total_tce:,.1f} tce on "
                f"{area_share:.1%} of their floor area"
            )
    return check_values(
        values, details, contributors, ranges.park_ranges, ranges.absurd_factor,
        "the park file and the energy files",
    )  # fmt: skip


def _balance(buildings: list[BuildingFigures], energy: ParkEnergy, grid: GridFactor) -> ElectricityBalance:
    """Steps 1-4 of the electricity balance (kWh)."""
    own = [
        BuildingElectricity(
            name=b.name,
            electricity_kwh=b.electricity_kwh,
            pv_self_consumed_kwh=b.pv_self_consumed_kwh,
            green_electricity_kwh=b.green_electricity_kwh,
            grid_after_own_supply_kwh=b.grid_kwh - b.green_electricity_kwh,
            pv_exported_kwh=b.pv_exported_kwh,
            grid_factor_id=b.grid_factor_id,
            grid_factor_kgco2_per_kwh=b.grid_kgco2_per_kwh,
        )
        for b in buildings
    ]
    pooled = sum(b.grid_after_own_supply_kwh for b in own) + energy.electricity_kwh
    renewables = energy.renewables.pv_kwh + energy.renewables.wind_kwh
    renewables_used = min(renewables, pooled)
    left = pooled - renewables_used
    green_used = min(energy.green_electricity_kwh, left)
    left -= green_used
    certificates_kwh = energy.green_certificates * KWH_PER_CERTIFICATE
    certificates_used = min(certificates_kwh, left)
    left -= certificates_used
    return ElectricityBalance(
        grid_factor_id=grid.id,
        grid_factor_kgco2_per_kwh=grid.value_kgco2_per_kwh,
        buildings=own,
        park_electricity_kwh=energy.electricity_kwh,
        pooled_grid_kwh=pooled,
        park_renewables_kwh=renewables,
        park_renewables_used_kwh=renewables_used,
        park_renewables_exported_kwh=renewables - renewables_used,
        green_electricity_kwh=energy.green_electricity_kwh,
        green_electricity_used_kwh=green_used,
        green_electricity_unused_kwh=energy.green_electricity_kwh - green_used,
        green_certificates=energy.green_certificates,
        green_certificates_kwh=certificates_kwh,
        green_certificates_used_kwh=certificates_used,
        green_certificates_unused_kwh=certificates_kwh - certificates_used,
        grid_remaining_kwh=left,
    )


def _park_fuel_lines(energy: ParkEnergy, grid: GridFactor, fuels: FuelTable) -> list[CarrierLine]:
    """The park's own fuels and heat with their CO2 (electricity is in the balance)."""
    carriers = Carriers(**energy.fuels.model_dump())
    lines, _, _ = carrier_lines(carriers, grid, fuels, energy.district_heat_kgco2_per_gj, 0.0)
    return [line for line in lines if line.carrier != "electricity (grid)"]


def _operational(
    buildings: list[BuildingFigures],
    energy: ParkEnergy,
    grid: GridFactor,
    fuels: FuelTable,
    balance: ElectricityBalance,
) -> tuple[ParkOperational, list[str]]:
    """Operational CO2 (kgCO2 a year) after the balance, and the warnings it raises."""
    warnings: list[str] = []
    g = grid.value_kgco2_per_kwh
    fuel_lines = _park_fuel_lines(energy, grid, fuels)
    park_fuels = carrier_total(fuel_lines) if fuel_lines else 0.0
    if park_fuels is None:
        warnings.append(
            "park fuels: district heat has no factor: give park_energy.district_heat_kgco2_per_gj; the "
            "park's operational emissions and tCO2/tce are not computed"
        )
    incomplete = [b for b in buildings if b.gross_kgco2 is None or b.fuels_kgco2 is None]
    for b in incomplete:
        warnings.append(
            f"{b.name}: operational emissions incomplete ({b.operational_note}): the park's operational "
            "emissions and tCO2/tce are not computed"
        )
    gross = None if incomplete else sum(b.gross_kgco2 or 0.0 for b in buildings)
    green_credit = sum(b.green_electricity_kwh * b.grid_kgco2_per_kwh for b in buildings)
    park_electricity = energy.electricity_kwh * g
    # the pool's emissions, each kWh at its own factor: a building's grid kWh at the building's factor,
    # the park's loads at the park's; park supply covers the same share of every pooled kWh
    pooled_kgco2 = (
        sum(b.grid_after_own_supply_kwh * b.grid_factor_kgco2_per_kwh for b in balance.buildings)
        + park_electricity
    )
    pooled = balance.pooled_grid_kwh
    remaining_kgco2 = pooled_kgco2 * balance.grid_remaining_kwh / pooled if pooled > 0 else 0.0
    supply = pooled_kgco2 - remaining_kgco2
    after = None
    if gross is not None and park_fuels is not None:
        after = remaining_kgco2 + sum(b.fuels_kgco2 or 0.0 for b in buildings) + park_fuels
    exported = sum(b.pv_exported_kwh * b.grid_kgco2_per_kwh for b in buildings)
    exported += balance.park_renewables_exported_kwh * g
    offsets = sum(b.offsets_kgco2 for b in buildings) + energy.offsets_tco2e * 1000.0
    return (
        ParkOperational(
            buildings_gross_kgco2_per_year=gross,
            buildings_green_electricity_credit_kgco2=green_credit,
            park_electricity_kgco2=park_electricity,
            park_fuel_lines=fuel_lines,
            park_fuels_kgco2=park_fuels,
            park_supply_credit_kgco2=supply,
            after_supply_kgco2_per_year=after,
            exported_credit_kgco2=exported,
            offsets_kgco2=offsets,
            net_kgco2_per_year=after - exported - offsets if after is not None else None,
            complete=after is not None,
        ),
        warnings,
    )


def _consumption(
    buildings: list[BuildingFigures], energy: ParkEnergy, coal: CoalBasis, balance: ElectricityBalance
) -> EnergyConsumption:
    """Energy consumption by carrier in tce, and the clean (non-fossil) part."""
    quantities = {"electricity_kwh": sum(b.electricity_kwh for b in buildings) + energy.electricity_kwh}
    for carrier in FUELS:
        quantities[carrier] = sum(b.fuels.get(carrier, 0.0) for b in buildings) + getattr(
            energy.fuels, carrier
        )
    lines = [
        EnergyLine(
            carrier=carrier.rsplit("_", 1)[0].replace("_", " "),
            quantity=quantity,
            unit=coal.units[carrier],
            kgce_per_unit=coal.kgce_per_unit[carrier],
            coefficient_status=coal.statuses[carrier],
            tce=quantity * coal.kgce_per_unit[carrier] / 1000.0,
        )
        for carrier, quantity in quantities.items()
    ]
    clean_kwh = (
        sum(b.pv_self_consumed_kwh + b.green_electricity_kwh for b in buildings)
        + balance.park_renewables_used_kwh
        + balance.green_electricity_used_kwh
        + balance.green_certificates_used_kwh
    )
    return EnergyConsumption(
        basis=coal,
        lines=lines,
        total_tce=sum(line.tce for line in lines),
        clean_electricity_kwh=clean_kwh,
        clean_tce=clean_kwh * coal.electricity_kgce_per_kwh / 1000.0,
    )


def _metrics(
    op: ParkOperational, consumption: EnergyConsumption, annualised_kg: float, floor_area_m2: float | None
) -> dict[str, float | None]:
    """The park's figures (None: cannot be computed)."""
    tce = consumption.total_tce or None
    after = op.after_supply_kgco2_per_year
    with_kg = after + annualised_kg if after is not None else None

    def per_tce(kg: float | None) -> float | None:
        return kg / 1000.0 / tce if kg is not None and tce else None

    def per_m2(kg: float | None) -> float | None:
        return kg / floor_area_m2 if kg is not None and floor_area_m2 else None

    def tonnes(kg: float | None) -> float | None:
        return kg / 1000.0 if kg is not None else None

    net = op.net_kgco2_per_year
    return {
        "energy_consumption_tce": consumption.total_tce,
        "electricity_kgce_per_kwh": consumption.basis.electricity_kgce_per_kwh,
        "clean_energy_share": consumption.clean_tce / tce if tce else None,
        "carbon_per_energy_t_per_tce": per_tce(after),
        "carbon_per_energy_with_embodied_t_per_tce": per_tce(with_kg),
        "operational_tco2_per_year": tonnes(after),
        "annualised_embodied_tco2e_per_year": annualised_kg / 1000.0,
        "total_emissions_t_per_year": tonnes(after),
        "total_emissions_with_embodied_t_per_year": tonnes(with_kg),
        "emissions_kg_per_m2a": per_m2(after),
        "emissions_with_embodied_kg_per_m2a": per_m2(with_kg),
        "net_emissions_t_per_year": tonnes(net),
        "net_emissions_with_embodied_t_per_year": tonnes(net + annualised_kg if net is not None else None),
        "floor_area_m2": floor_area_m2,
    }


def _modes(
    pack: CriteriaPack,
    metrics: dict[str, float | None],
    buildings: list[BuildingFigures],
    failed: list[str],
    without_energy: list[str],
    plausibility: ParkPlausibility,
    accept_incomplete: bool,
    warnings: list[str],
) -> tuple[ParkMode, ParkMode]:
    """Both modes evaluated, blocked ("not assessable", with the reason) while data is missing or absurd.

    Nothing to accept (the verdicts stay blocked): no building counted, no energy consumption. Blocked
    unless accepted (--accept-incomplete): failed buildings, buildings without annual energy, an absurd
    figure; and, with embodied counted, a building's incomplete embodied total it did not accept.
    """
    size = metrics["energy_consumption_tce"]
    notes = _band_notes(pack, size) + _method_notes(pack)
    method_provisional = [c.id for tier in pack.tiers for c in tier.criteria if c.method_provisional]
    total = len(buildings) + len(failed) + len(without_energy)
    fixed: list[str] = []  # reasons no acceptance lifts
    if not buildings:  # nothing to accept: a park of its shared loads alone is no park's verdict
        without = f" ({', '.join(without_energy)}: no annual energy use)" if without_energy else ""
        fixed.append(f"no building of the park could be assessed{without}")
    if not size:
        fixed.append("no energy consumption: tCO2/tce undefined")
    open_reasons: list[str] = []  # reasons --accept-incomplete lifts
    accepted_lines: list[str] = []
    if failed and buildings:  # with no building counted, the first reason says it all
        names = ", ".join(failed)
        open_reasons.append(
            f"{len(failed)} of {total} building(s) failed ({names}), so the park's totals would leave them "
            "out; fix them, or accept the park without them (--accept-incomplete)"
        )
        accepted_lines.append(
            f"the park is assessed without {len(failed)} failed building(s) of {total} ({names}), accepted "
            "with --accept-incomplete: its totals leave them out"
        )
    if without_energy and buildings:
        names = ", ".join(without_energy)
        open_reasons.append(
            f"{len(without_energy)} of {total} building(s) give no annual energy use ({names}), so the "
            "park's figures leave them out; give their energy, or accept the park without them "
            "(--accept-incomplete)"
        )
        accepted_lines.append(
            f"the park is assessed without {len(without_energy)} building(s) of {total} that give no annual "
            f"energy use ({names}), accepted with --accept-incomplete: its totals leave them out"
        )
    if plausibility.absurd:
        what = [f"park: {f.label}" for f in plausibility.findings if f.verdict == "absurd"]
        what += [f"{name}'s assessment" for name in plausibility.buildings]
        open_reasons.append(
            f"IMPLAUSIBLE figures ({'; '.join(what)}: see the warnings); check them, or accept them "
            "(--accept-incomplete)"
        )
        accepted_lines.append(
            f"IMPLAUSIBLE figures ({'; '.join(what)}) accepted with --accept-incomplete: the park's verdicts "
            "rest on them"
        )
    blocked_all = ""
    if fixed or (open_reasons and not accept_incomplete):
        blocked_all = "not assessable: " + "; ".join(fixed + ([] if accept_incomplete else open_reasons))
    elif open_reasons:
        warnings += accepted_lines
    incomplete = [b.name for b in buildings if b.embodied_complete is not True]
    blocked_embodied = ""
    if incomplete:
        accepted = all(b.accepted_incomplete for b in buildings if b.embodied_complete is not True)
        if accepted:
            warnings.append(
                f"with embodied emissions: the embodied totals of {', '.join(incomplete)} are incomplete, "
                "accepted with --accept-incomplete"
            )
        else:
            blocked_embodied = (
                f"with embodied emissions: not assessable, the embodied totals of {', '.join(incomplete)} "
                "are incomplete; map or assume their missing materials, or accept them with "
                "--accept-incomplete"
            )
    modes = []
    for counted in (False, True):
        values = {
            "park_carbon_per_energy_t_per_tce": metrics[
                "carbon_per_energy_with_embodied_t_per_tce" if counted else "carbon_per_energy_t_per_tce"
            ],
            "park_clean_energy_share": metrics["clean_energy_share"],
            "park_energy_consumption_tce": size,
            "total_emissions_t_per_year": metrics[
                "total_emissions_with_embodied_t_per_year" if counted else "total_emissions_t_per_year"
            ],
            "emissions_kg_per_m2a": metrics[
                "emissions_with_embodied_kg_per_m2a" if counted else "emissions_kg_per_m2a"
            ],
            "net_emissions_t_per_year": metrics[
                "net_emissions_with_embodied_t_per_year" if counted else "net_emissions_t_per_year"
            ],
        }
        verdicts = evaluate(pack, values)
        reason = blocked_all or (blocked_embodied if counted else "")
        if reason:
            verdicts = not_assessable(verdicts, reason)
        lifted = accepted_lines if open_reasons else []
        if counted and incomplete and not blocked_embodied:
            lifted = [*lifted, f"the embodied totals of {', '.join(incomplete)} are incomplete"]
        accepted = accept_incomplete and bool(lifted) and not reason
        modes.append(
            ParkMode(
                embodied_counted=counted,
                metrics=values,
                verdicts=verdicts,
                accepted_incomplete=accepted,
                notes=list(notes) + ([f"accepted: {line}" for line in lifted] if accepted else []),
                method_provisional=method_provisional,
            )
        )
    return modes[0], modes[1]


def _method_notes(pack: CriteriaPack) -> list[str]:
    """A note for each criterion whose method (how its metric is computed) is bimcarbon's reading."""
    return [
        f"{tier.name_en}, {c.id}: {c.method} [method provisional]"
        for tier in pack.tiers
        for c in tier.criteria
        if c.method_provisional
    ]


def _band_notes(pack: CriteriaPack, size_tce: float | None) -> list[str]:
    """Which size class set each banded threshold, with the band's note where it has one."""
    notes = []
    for tier in pack.tiers:
        for c in tier.criteria:
            band = c.band(size_tce)
            if band is None:
                continue
            note = (
                f"{tier.name_en}, {c.id}: threshold {band.threshold:g} {c.unit} "
                f"for a park of {size_tce:,.0f} tce a year"
            )
            notes.append(
                note
                + (f" ({band.note})" if band.note else "")
                + (" [provisional]" if band.provisional else "")
            )
    return notes
