"""The Energy balance sheet: the park's electricity balance in its documented order, its energy consumption
in standard coal, its operational emissions and its figures, each a formula over marked inputs (each
building's figures from its assessment, the park's from the park file), so that the order is visible and
every figure can be followed by hand. Defines the names the criteria and the overview read (Park_*)."""

from __future__ import annotations

from dataclasses import dataclass

from bimcarbon.park.rollup import FUELS, BuildingFigures, figures_from_assessment
from bimcarbon.park.run import ParkAssessment
from bimcarbon.park.spec import KWH_PER_CERTIFICATE
from bimcarbon.report.workbook.book import Book, Sheet
from bimcarbon.report.workbook.labels import grid_label
from bimcarbon.report.workbook.park_messages_zh import ParkText

#: Park metric (the pack's, by mode) -> defined name of its cell: (without embodied, with embodied).
METRIC_NAMES = {
    "park_carbon_per_energy_t_per_tce": ("Park_Core", "Park_CoreWith"),
    "park_clean_energy_share": ("Park_CleanShare", "Park_CleanShare"),
    "park_energy_consumption_tce": ("Park_Tce", "Park_Tce"),
    "total_emissions_t_per_year": ("Park_EmissionsT", "Park_EmissionsWithT"),
    "emissions_kg_per_m2a": ("Park_PerM2", "Park_PerM2With"),
    "net_emissions_t_per_year": ("Park_NetT", "Park_NetWithT"),
}

#: Columns of the buildings' table (step 1); fuel quantities follow, then the grid factor's name.
_COLUMNS = (
    "electricity used",
    "own pv",
    "own green",
    "grid after own",
    "own export",
    "building grid factor",
    "electricity kgco2",
    "fuels kgco2",
    "offsets kgco2",
    "floor area",
)


@dataclass
class BalanceCells:
    """Where the Buildings sheet finds each building's floor area (by name)."""

    floor_area: dict[str, str]


def _blank_sum(span: str | None) -> str:
    """The SUM of a column, blank when one of its cells is blank (a figure a building lacks)."""
    if span is None:
        return "=0"
    return f'=IF(COUNTBLANK({span})>0,"",SUM({span}))'


def _sum(span: str | None) -> str:
    return f"=SUM({span})" if span else "=0"


class _Writer:
    """Rows of label, value, unit and how, one under another."""

    def __init__(self, book: Book, sheet: Sheet, t: dict) -> None:
        self.book, self.sheet, self.t, self.r = book, sheet, t, 0

    def heading(self, label: str) -> None:
        self.r += 2
        self.sheet.put(self.r, 0, label, "bold")

    def item(
        self,
        label: str,
        value: object,
        unit: str,
        formula: str | None = None,
        name: str | None = None,
        style: str = "number",
        how: str | None = None,
    ) -> str:
        """One figure: a formula with its value, or an input (no formula); returns its reference."""
        self.r += 1
        sheet = self.sheet
        sheet.put(self.r, 0, label, "bold" if style == "total" else None)
        if formula is None:
            sheet.put(self.r, 1, value, "input_pct" if style == "pct" else "input")
        else:
            sheet.formula(self.r, 1, formula, value, style)
        sheet.put(self.r, 2, unit)
        if how:
            sheet.note(self.r, 3, 8, how)
        ref = sheet.ref(self.r, 1)
        if name:
            self.book.name(name, ref)
        return name or ref


def write_balance(book: Book, sheet: Sheet, park: ParkAssessment, t: dict, text: ParkText) -> BalanceCells:
    """Fill the Energy balance sheet."""
    done = [b for b in park.buildings if b.assessment is not None]
    figures = [figures_from_assessment(b.name, b.assessment) for b in done]
    bal, op, ec = park.balance, park.totals.operational, park.energy_consumption
    energy = park.parameters["park_energy"]
    g = bal.grid_factor_kgco2_per_kwh
    w = _Writer(book, sheet, t)
    sheet.put(0, 0, t["Energy balance"], "title")
    sheet.note(1, 0, 8, t["balance intro"])
    # 1. what stays each building's
    w.r = 2
    w.heading(t["step 1"])
    fuels = [c for c in FUELS if any(f.fuels.get(c) for f in figures)]
    units = ec.basis.units
    header = [t["building"], *[t[c] for c in _COLUMNS[:-1]], t["floor area"]]
    header += [f"{t.get('carrier ' + _carrier(c), _carrier(c))} ({units[c]}/a)" for c in fuels]
    header.append(t["grid factor used"])
    w.r += 1
    sheet.row(w.r, header, "header")
    first = w.r + 1
    rows = range(first, first + len(figures))
    floor_area: dict[str, str] = {}
    for r, f, own in zip(rows, figures, bal.buildings, strict=True):
        _building_row(sheet, r, f, own.grid_after_own_supply_kwh, fuels, t)
        floor_area[f.name] = sheet.ref(r, 10)
    w.r = first + len(figures)

    def span(col: int) -> str | None:
        return sheet.span(rows.start, rows.stop - 1, col) if rows else None

    sheet.put(w.r, 0, t["buildings sum"], "bold")
    sums = {
        1: sum(f.electricity_kwh for f in figures),
        2: sum(f.pv_self_consumed_kwh for f in figures),
        3: sum(f.green_electricity_kwh for f in figures),
        4: sum(b.grid_after_own_supply_kwh for b in bal.buildings),
        5: sum(f.pv_exported_kwh for f in figures),
        7: sum(b.grid_after_own_supply_kwh * b.grid_factor_kgco2_per_kwh for b in bal.buildings),
        9: sum(f.offsets_kgco2 for f in figures),
    }
    for col, value in sums.items():
        sheet.formula(w.r, col, _sum(span(col)), value, "total")
    fuel_values = [f.fuels_kgco2 if f.gross_kgco2 is not None else None for f in figures]
    buildings_fuels = None if None in fuel_values else sum(fuel_values)
    sheet.formula(w.r, 8, _blank_sum(span(8)), buildings_fuels, "total")
    sheet.formula(w.r, 10, _blank_sum(span(10)) if rows else '=""', park.totals.floor_area_m2, "total")
    quantity_sums: dict[str, str] = {}
    for col, carrier in enumerate(fuels, start=11):
        sheet.formula(w.r, col, _sum(span(col)), sum(f.fuels.get(carrier, 0.0) for f in figures), "total")
        quantity_sums[carrier] = sheet.ref(w.r, col)
    sums_row = w.r
    ref = {col: sheet.ref(sums_row, col) for col in (1, 2, 3, 4, 5, 7, 8, 9, 10)}
    kwh, kg = t["unit kWh"], t["unit kgCO2/a"]
    # 2. the pool
    w.heading(t["step 2"])
    w.item(t["sum grid after own"], sums[4], kwh, f"={ref[4]}", "Bal_BuildingsGrid")
    w.item(t["park loads"], bal.park_electricity_kwh, kwh, name="Park_Loads")
    w.item(t["pooled"], bal.pooled_grid_kwh, kwh, f"={ref[4]}+Park_Loads", "Bal_Pool", "total")
    # 3. park renewables
    w.heading(t["step 3"])
    pv = w.item(t["park pv"], energy["renewables"]["pv_kwh"], kwh)
    wind = w.item(t["park wind"], energy["renewables"]["wind_kwh"], kwh)
    w.item(t["renewables"], bal.park_renewables_kwh, kwh, f"={pv}+{wind}", "Bal_Renewables")
    w.item(
        t["renewables used"],
        bal.park_renewables_used_kwh,
        kwh,
        "=MIN(Bal_Renewables,Bal_Pool)",
        "Bal_RenUsed",
        "total",
    )
    w.item(
        t["renewables exported"],
        bal.park_renewables_exported_kwh,
        kwh,
        "=Bal_Renewables-Bal_RenUsed",
        "Bal_RenExported",
    )
    left1 = bal.pooled_grid_kwh - bal.park_renewables_used_kwh
    w.item(t["left after renewables"], left1, kwh, "=Bal_Pool-Bal_RenUsed", "Bal_Left1")
    # 4. green electricity, then certificates
    w.heading(t["step 4"])
    green = w.item(t["green"], bal.green_electricity_kwh, kwh)
    w.item(
        t["green used"],
        bal.green_electricity_used_kwh,
        kwh,
        f"=MIN({green},Bal_Left1)",
        "Bal_GreenUsed",
        "total",
    )
    w.item(
        t["green unused"], bal.green_electricity_unused_kwh, kwh, f"={green}-Bal_GreenUsed", "Bal_GreenUnused"
    )
    left2 = left1 - bal.green_electricity_used_kwh
    w.item(t["left after green"], left2, kwh, "=Bal_Left1-Bal_GreenUsed", "Bal_Left2")
    count = w.item(t["certificates"], bal.green_certificates, t["unit count"], style="integer")
    per = w.item(t["kwh per certificate"], KWH_PER_CERTIFICATE, t["unit kWh per certificate"])
    w.item(t["certificates kwh"], bal.green_certificates_kwh, kwh, f"={count}*{per}", "Bal_CertKwh")
    w.item(
        t["certificates used"],
        bal.green_certificates_used_kwh,
        kwh,
        "=MIN(Bal_CertKwh,Bal_Left2)",
        "Bal_CertUsed",
        "total",
    )
    w.item(
        t["certificates unused"],
        bal.green_certificates_unused_kwh,
        kwh,
        "=Bal_CertKwh-Bal_CertUsed",
        "Bal_CertUnused",
    )
    w.item(
        t["grid remaining"],
        bal.grid_remaining_kwh,
        kwh,
        "=Bal_Left2-Bal_CertUsed",
        "Bal_GridRemaining",
        "total",
    )
    # energy consumption in standard coal
    w.heading(f"{t['consumption']}: {_basis(park, t)}")
    w.r += 1
    sheet.row(
        w.r,
        [
            t["carrier col"],
            t["buildings quantity"],
            t["park quantity"],
            t["total quantity"],
            t["unit"],
            t["kgce per unit"],
            t["tce"],
            t["status"],
            t["source"],
        ],
        "header",
    )
    park_quantity: dict[str, str] = {}
    first_line = w.r + 1
    for line in ec.lines:
        w.r += 1
        carrier = _field(line.carrier, units)
        sheet.put(w.r, 0, t.get(f"carrier {line.carrier}", line.carrier))
        if carrier == "electricity_kwh":
            sheet.formula(w.r, 1, f"={ref[1]}", sums[1], "number")
            sheet.formula(w.r, 2, "=Park_Loads", bal.park_electricity_kwh, "number")
        else:
            built = sum(f.fuels.get(carrier, 0.0) for f in figures)
            if carrier in quantity_sums:
                sheet.formula(w.r, 1, f"={quantity_sums[carrier]}", built, "number")
            else:
                sheet.put(w.r, 1, built, "number")  # no building uses it: 0
            sheet.put(w.r, 2, energy["fuels"][carrier], "input")
        park_quantity[carrier] = sheet.ref(w.r, 2)
        b_, p_ = sheet.ref(w.r, 1, local=True), sheet.ref(w.r, 2, local=True)
        sheet.formula(w.r, 3, f"={b_}+{p_}", line.quantity, "number")
        sheet.put(w.r, 4, line.unit)
        sheet.put(w.r, 5, line.kgce_per_unit, "input")
        if carrier == "electricity_kwh":
            book.name("Park_ElecCoef", sheet.ref(w.r, 5))
        sheet.formula(
            w.r,
            6,
            f"={sheet.ref(w.r, 3, local=True)}*{sheet.ref(w.r, 5, local=True)}/1000",
            line.tce,
            "number3",
        )
        sheet.put(w.r, 7, t.get(line.coefficient_status, line.coefficient_status))
        sheet.note(w.r, 8, 11, text.t["data"](ec.basis.sources.get(carrier, "")))
    tce_span = sheet.span(first_line, w.r, 6)
    w.item(t["total tce"], ec.total_tce, t["unit tce"], f"=SUM({tce_span})", "Park_Tce", "total")
    clean = (
        f"=SUM({sheet.span(rows.start, rows.stop - 1, 2)})+SUM({sheet.span(rows.start, rows.stop - 1, 3)})+"
        if rows
        else "="
    ) + "Bal_RenUsed+Bal_GreenUsed+Bal_CertUsed"
    w.item(t["clean kwh"], ec.clean_electricity_kwh, kwh, clean, "Park_CleanKwh")
    w.item(
        t["clean tce"],
        ec.clean_tce,
        t["unit tce"],
        "=Park_CleanKwh*Park_ElecCoef/1000",
        "Park_CleanTce",
        how=t["clean energy reading"],
    )
    # emissions
    w.heading(t["emissions"])
    w.item(
        t["park grid factor"],
        g,
        "kgCO2/kWh",
        name="Park_GridFactor",
        how=f"{grid_label(t, bal.grid_factor_id)}: {t['data'](park.grid_factor.source)}",
    )
    w.item(t["buildings electricity"], sums[7], kg, f"={ref[7]}", "Em_Buildings")
    w.item(
        t["park loads kgco2"], op.park_electricity_kgco2, kg, "=Park_Loads*Park_GridFactor", "Em_ParkLoads"
    )
    w.item(
        t["supply credit"],
        op.park_supply_credit_kgco2,
        kg,
        "=(Bal_RenUsed+Bal_GreenUsed+Bal_CertUsed)*Park_GridFactor",
        "Em_Supply",
    )
    electricity = max(0.0, sums[7] + op.park_electricity_kgco2 - op.park_supply_credit_kgco2)
    w.item(
        t["electricity after supply"],
        electricity,
        kg,
        "=MAX(0,Em_Buildings+Em_ParkLoads-Em_Supply)",
        "Em_Electricity",
    )
    w.item(t["buildings fuels"], buildings_fuels, kg, f"={ref[8]}", "Em_BuildingFuels")
    fuel_rows = []
    for line in op.park_fuel_lines:
        label = f"{t['park fuel']}: {t.get('carrier ' + line.carrier, line.carrier)}"
        factor = w.item(
            f"{label}, {t['park fuel factor']}",
            line.factor_kgco2_per_unit,
            f"kgCO2/{line.unit}",
            how=_factor_source(line.factor_source, t),
        )
        quantity = park_quantity[_field(line.carrier, units)]
        fuel_rows.append(w.item(label, line.kgco2_per_year, kg, f'=IF({factor}="","",{quantity}*{factor})'))
    park_fuels = "=0"
    if fuel_rows:  # blank while a fuel has no factor
        blank = ",".join(f'{cell}=""' for cell in fuel_rows)
        park_fuels = f'=IF(OR({blank}),"",SUM({",".join(fuel_rows)}))'
    w.item(t["park fuels"], op.park_fuels_kgco2, kg, park_fuels, "Em_ParkFuels")
    w.item(
        t["after supply"],
        op.after_supply_kgco2_per_year,
        kg,
        '=IF(OR(Em_BuildingFuels="",Em_ParkFuels=""),"",Em_Electricity+Em_BuildingFuels+Em_ParkFuels)',
        "Park_AfterSupply",
        "total",
    )
    w.heading(t["step 5"])
    w.item(
        t["buildings export credit"],
        sum(f.pv_exported_kwh * f.grid_kgco2_per_kwh for f in figures),
        kg,
        f"=SUMPRODUCT({span(5)},{span(6)})" if rows else "=0",
        "Em_BuildingExports",
    )
    w.item(
        t["park export credit"],
        bal.park_renewables_exported_kwh * g,
        kg,
        "=Bal_RenExported*Park_GridFactor",
        "Em_ParkExports",
    )
    w.item(t["buildings offsets"], sums[9], kg, f"={ref[9]}", "Em_BuildingOffsets")
    offsets_t = w.item(t["park offsets"], energy["offsets_tco2e"], "tCO2e/a", name="Park_OffsetsT")
    w.item(
        t["net"],
        op.net_kgco2_per_year,
        kg,
        f'=IF(Park_AfterSupply="","",Park_AfterSupply-Em_BuildingExports-Em_ParkExports-Em_BuildingOffsets'
        f"-{offsets_t}*1000)",
        "Park_Net",
        "total",
    )
    _write_figures(w, park, t, ref[10])
    widths = [44, 16, 16, 16, 18, 16, 14, 18, 16, 14, 14] + [16] * len(fuels) + [36]
    sheet.widths(widths)
    sheet.page(landscape=True)
    return BalanceCells(floor_area)


def _write_figures(w: _Writer, park: ParkAssessment, t: dict, floor_area: str) -> None:
    """The park's figures, both modes: what the park criteria compare."""
    m = park.metrics
    w.heading(t["park figures sheet"])
    w.item(t["floor area sum"], m["floor_area_m2"], t["unit m2"], f"={floor_area}", "Park_FloorArea")
    w.item(
        t["annualised sum"],
        park.totals.annualised_embodied_kgco2e_per_year,
        t["unit kgCO2e"] + "/a",
        "=ParkAnnualised",
    )
    with_ = f" ({t['with embodied suffix']})"
    after, annualised = "Park_AfterSupply", "ParkAnnualised"
    rows = (
        (
            "metric park operational",
            "operational_tco2_per_year",
            t["unit t/a"],
            f'=IF({after}="","",{after}/1000)',
            "Park_OperationalT",
            "",
        ),
        (
            "metric park annualised",
            "annualised_embodied_tco2e_per_year",
            t["unit t/a"],
            f"={annualised}/1000",
            "Park_AnnualisedT",
            "",
        ),
        (
            "metric park core",
            "carbon_per_energy_t_per_tce",
            t["unit t/tce"],
            f'=IF(OR({after}="",N(Park_Tce)<=0),"",{after}/1000/Park_Tce)',
            "Park_Core",
            "",
        ),
        (
            "metric park core",
            "carbon_per_energy_with_embodied_t_per_tce",
            t["unit t/tce"],
            f'=IF(OR({after}="",N(Park_Tce)<=0),"",({after}+{annualised})/1000/Park_Tce)',
            "Park_CoreWith",
            with_,
        ),
        (
            "metric park clean",
            "clean_energy_share",
            t["unit share"],
            '=IF(N(Park_Tce)<=0,"",Park_CleanTce/Park_Tce)',
            "Park_CleanShare",
            "",
        ),
        (
            "metric park emissions",
            "total_emissions_t_per_year",
            t["unit t/a"],
            "=Park_OperationalT",
            "Park_EmissionsT",
            "",
        ),
        (
            "metric park emissions",
            "total_emissions_with_embodied_t_per_year",
            t["unit t/a"],
            f'=IF({after}="","",({after}+{annualised})/1000)',
            "Park_EmissionsWithT",
            with_,
        ),
        (
            "metric park per m2",
            "emissions_kg_per_m2a",
            t["unit kg/m2a"],
            f'=IF(OR({after}="",N(Park_FloorArea)<=0),"",{after}/Park_FloorArea)',
            "Park_PerM2",
            "",
        ),
        (
            "metric park per m2",
            "emissions_with_embodied_kg_per_m2a",
            t["unit kg/m2a"],
            f'=IF(OR({after}="",N(Park_FloorArea)<=0),"",({after}+{annualised})/Park_FloorArea)',
            "Park_PerM2With",
            with_,
        ),
        (
            "metric park net",
            "net_emissions_t_per_year",
            t["unit t/a"],
            '=IF(Park_Net="","",Park_Net/1000)',
            "Park_NetT",
            "",
        ),
        (
            "metric park net",
            "net_emissions_with_embodied_t_per_year",
            t["unit t/a"],
            f'=IF(Park_Net="","",(Park_Net+{annualised})/1000)',
            "Park_NetWithT",
            with_,
        ),
    )
    for label, key, unit, formula, name, suffix in rows:
        style = "pct" if key == "clean_energy_share" else "number3" if "per_tce" in key else "number"
        w.item(t[label] + suffix, m[key], unit, formula, name, style)


def _building_row(
    sheet: Sheet, r: int, f: BuildingFigures, grid_after: float, fuels: list[str], t: dict
) -> None:
    """One building's figures: inputs from its assessment and the formulas over them."""
    sheet.put(r, 0, f.name)
    for col, value in (
        (1, f.electricity_kwh),
        (2, f.pv_self_consumed_kwh),
        (3, f.green_electricity_kwh),
        (5, f.pv_exported_kwh),
        (6, f.grid_kgco2_per_kwh),
        (9, f.offsets_kgco2),
        (10, f.floor_area_m2),
    ):
        sheet.put(r, col, value, "input")
    c = {col: sheet.ref(r, col, local=True) for col in range(1, 7)}
    sheet.formula(r, 4, f"=MAX(0,{c[1]}-{c[2]}-{c[3]})", grid_after, "number")
    sheet.formula(r, 7, f"={c[4]}*{c[6]}", grid_after * f.grid_kgco2_per_kwh, "number")
    sheet.put(r, 8, f.fuels_kgco2 if f.gross_kgco2 is not None else None, "input")
    for col, carrier in enumerate(fuels, start=11):
        sheet.put(r, col, f.fuels.get(carrier, 0.0), "input")
    sheet.put(r, 11 + len(fuels), grid_label(t, f.grid_factor_id))


def _carrier(field: str) -> str:
    """``natural_gas_m3`` -> ``natural gas`` (the carriers' names in the energy lines)."""
    return field.rsplit("_", 1)[0].replace("_", " ")


def _field(carrier: str, units: dict[str, str]) -> str:
    """``natural gas`` -> ``natural_gas_m3`` (the energy file's field of a carrier)."""
    return next(f for f in units if _carrier(f) == carrier)


def _basis(park: ParkAssessment, t: dict) -> str:
    """The electricity's coal basis in words: "electricity 0.1229 kgce/kWh, equivalent value"."""
    basis = park.energy_consumption.basis
    words = t["basis equivalent"] if basis.electricity_basis == "equivalent" else t["basis stated"]
    return f"{t['carrier electricity']} {basis.electricity_kgce_per_kwh:g} kgce/kWh, {words}"


def _factor_source(source: str, t: dict) -> str:
    return t["none"] if source == "none" else t["data"](source)
