"""The Overview sheet, the first page a park planner reads: the park's verdicts in both modes side by side
with the tier reached and the tiers that change when embodied emissions count (formulas over the Park
criteria sheet), the park's figures with the coal basis beside tCO2/tce, the energy balance in its
documented order, the embodied totals, the failed buildings, every warning, the provisional thresholds
with their sources, and what is not assessed."""

from __future__ import annotations

from bimcarbon.park.run import ParkAssessment
from bimcarbon.report.workbook.book import Book, Sheet, quoted
from bimcarbon.report.workbook.labels import data_label, name_in, reached_name
from bimcarbon.report.workbook.park_criteria import ParkVerdictCells
from bimcarbon.report.workbook.park_embodied import MODULES, TOTAL_NAMES
from bimcarbon.report.workbook.park_messages_zh import ParkText

WIDTH = 5  # the last column of the notes


def write_overview(
    book: Book, sheet: Sheet, park: ParkAssessment, t: dict, text: ParkText, verdicts: ParkVerdictCells
) -> None:
    """Fill the Overview sheet."""
    totals = park.totals
    sheet.put(0, 0, f"bimcarbon {park.tool_version}: {park.name}", "title")
    sheet.put(1, 0, f"{t['park criteria pack']}: {t['data'](park.criteria_pack)}")
    sheet.put(
        2,
        0,
        f"{t['park file']}: {park.park_file}; {t['buildings count']}: {totals.buildings} "
        f"({totals.buildings_assessed} {t['assessed']}, {totals.buildings_failed} {t['failed']})",
    )
    failed = [b for b in park.buildings if b.status == "failed"]
    if failed:
        names = ", ".join(b.name for b in failed)
        sheet.note(3, 0, WIDTH, f"{len(failed)} {t['failed alert']}: {names}", "alert_fill")
    r = 5
    sheet.row(r, [t["tier"], t["without"], t["with"], t["changes"], t["provisional"]], "header")
    yes, no = quoted(t["yes"]), quoted(t["no"])
    blocked = f"OR({verdicts.blocked['without']}=1,{verdicts.blocked['with']}=1)"
    changed = {c.tier for c in park.changes}
    any_blocked = bool(park.without_embodied.verdicts.note or park.with_embodied.verdicts.note)
    for i, tier in enumerate(park.without_embodied.verdicts.tiers):
        other = park.with_embodied.verdicts.tiers[i]
        r += 1
        sheet.put(r, 0, name_in(t, tier), "bold")
        sheet.formula(r, 1, f"={verdicts.tiers['without'][i]}", t[tier.verdict], "verdict")
        sheet.formula(r, 2, f"={verdicts.tiers['with'][i]}", t[other.verdict], "verdict")
        b, c = sheet.ref(r, 1, local=True), sheet.ref(r, 2, local=True)
        value = "" if any_blocked else t["yes"] if tier.tier in changed else t["no"]
        sheet.formula(r, 3, f'=IF({blocked},"",IF({b}={c},{no},{yes}))', value, "verdict")
        sheet.put(r, 4, "*" if tier.provisional or other.provisional else "")
    r += 1
    sheet.put(r, 0, t["reached"], "bold")
    for col, mode, result in ((1, "without", park.without_embodied), (2, "with", park.with_embodied)):
        sheet.formula(r, col, f"={verdicts.reached[mode]}", reached_name(t, result.verdicts), "verdict")
    r += 1
    sheet.put(r, 0, t["provisional mark"])
    for label, result in ((t["without"], park.without_embodied), (t["with"], park.with_embodied)):
        if result.verdicts.note:
            r += 1
            sheet.note(r, 0, WIDTH, f"{label}: {text.line(result.verdicts.note)}", "alert")
        elif result.accepted_incomplete:
            r += 1
            sheet.note(r, 0, WIDTH, f"{label}: {t['accepted incomplete']}", "alert")
    if not any_blocked:
        r += 1
        if park.changes:
            names = {x.tier: x for x in park.without_embodied.verdicts.tiers}
            changes = "; ".join(
                f"{name_in(t, names[c.tier])}: {t[c.without_embodied]} → {t[c.with_embodied]}"
                for c in park.changes
            )
            sheet.note(r, 0, WIDTH, f"{t['changes line']}: {changes}", "bold")
        else:
            sheet.note(r, 0, WIDTH, t["no changes"])
    r = _figures(sheet, r + 2, park, t)
    r = _balance(sheet, r + 2, park, t)
    r = _embodied(sheet, r + 2, park, t)
    if failed:
        r += 2
        sheet.put(r, 0, t["failed buildings"], "bold")
        for b in failed:
            r += 1
            sheet.put(r, 0, b.name, "alert")
            sheet.note(r, 1, WIDTH, text.reason(b.error))
    r += 2
    sheet.put(r, 0, t["park warnings"], "bold")
    for line in park.warnings or [t["(none)"]]:
        r += 1
        sheet.note(r, 0, WIDTH, text.line(line) if park.warnings else line)
    r += 2
    sheet.put(r, 0, t["provisional list"], "bold")
    r += 1
    sheet.row(r, [t["tier"], t["criterion"], t["threshold"], t["unit"], t["source"]], "header")
    names = {x.tier: x for x in park.without_embodied.verdicts.tiers}
    for c in park.without_embodied.verdicts.criteria:
        if not c.provisional:
            continue
        r += 1
        sheet.row(r, [name_in(t, names[c.tier]) if c.tier in names else c.tier, c.criterion])
        sheet.put(r, 2, c.threshold, "pct" if c.unit == "share" else "number")
        sheet.put(r, 3, data_label(t, "unit", c.unit))
        sheet.note(r, 4, WIDTH, t["data"](c.source))
    for note in park.without_embodied.notes:
        r += 1
        sheet.note(r, 0, WIDTH, text.size_note(note))
    r += 2
    sheet.put(r, 0, t["not assessed"], "bold")
    sheet.note(r + 1, 0, WIDTH, t["not assessed text"])
    sheet.widths([48, 16, 16, 14, 24, 60])
    sheet.ws.freeze_panes(5, 0)
    sheet.page(landscape=True)


def _figures(sheet: Sheet, r: int, park: ParkAssessment, t: dict) -> int:
    """The park's figures both ways, with the coal basis next to tCO2/tce; returns the last row."""
    sheet.row(r, [t["park figures"], t["without"], t["with"], t["unit"], t["note"]], "header")
    basis = park.energy_consumption.basis
    words = t["basis equivalent"] if basis.electricity_basis == "equivalent" else t["basis stated"]
    source = t["data"](basis.sources.get("electricity_kwh", ""))
    status = basis.statuses.get("electricity_kwh", "")
    coal = f"{t['carrier electricity']} {basis.electricity_kgce_per_kwh:g} kgce/kWh, {words} "
    coal += f"({t.get(status, status)}): {source}"
    without, with_ = park.without_embodied.metrics, park.with_embodied.metrics
    rows = (
        (
            "metric park core",
            "Park_Core",
            "Park_CoreWith",
            "park_carbon_per_energy_t_per_tce",
            t["unit t/tce"],
            "number3",
            f"{coal}. {t['basis decides']}",
        ),
        ("coal basis", "Park_ElecCoef", "Park_ElecCoef", None, t["unit kgce/kWh"], "number4", ""),
        (
            "metric park clean",
            "Park_CleanShare",
            "Park_CleanShare",
            "park_clean_energy_share",
            t["unit share"],
            "pct",
            t["clean energy reading"],
        ),
        (
            "metric park tce",
            "Park_Tce",
            "Park_Tce",
            "park_energy_consumption_tce",
            t["unit tce"],
            "number",
            "",
        ),
        (
            "metric park emissions",
            "Park_EmissionsT",
            "Park_EmissionsWithT",
            "total_emissions_t_per_year",
            t["unit t/a"],
            "number",
            "",
        ),
        (
            "metric park per m2",
            "Park_PerM2",
            "Park_PerM2With",
            "emissions_kg_per_m2a",
            t["unit kg/m2a"],
            "number",
            "",
        ),
        (
            "metric park net",
            "Park_NetT",
            "Park_NetWithT",
            "net_emissions_t_per_year",
            t["unit t/a"],
            "number",
            "",
        ),
    )
    for label, name, name_with, key, unit, style, note in rows:
        r += 1
        sheet.put(r, 0, t[label])
        value = basis.electricity_kgce_per_kwh if key is None else without.get(key)
        value_with = basis.electricity_kgce_per_kwh if key is None else with_.get(key)
        sheet.formula(r, 1, f"={name}", value, style)
        sheet.formula(r, 2, f"={name_with}", value_with, style)
        sheet.put(r, 3, unit)
        if note:
            sheet.note(r, 4, WIDTH, note)
    return r


def _balance(sheet: Sheet, r: int, park: ParkAssessment, t: dict) -> int:
    """The energy balance in its documented order, formulas over the Energy balance sheet."""
    bal, op = park.balance, park.totals.operational
    sheet.row(r, [t["balance summary"], t["value"], t["unit"]], "header")
    kwh, kg = t["unit kWh"], t["unit kgCO2/a"]
    rows = (
        (
            t["step 1"] + ": " + t["sum grid after own"],
            "Bal_BuildingsGrid",
            bal.pooled_grid_kwh - bal.park_electricity_kwh,
            kwh,
        ),
        ("2. + " + t["park loads"], "Park_Loads", bal.park_electricity_kwh, kwh),
        ("= " + t["pooled"], "Bal_Pool", bal.pooled_grid_kwh, kwh),
        ("3. " + t["renewables used"], "Bal_RenUsed", bal.park_renewables_used_kwh, kwh),
        ("    " + t["renewables exported"], "Bal_RenExported", bal.park_renewables_exported_kwh, kwh),
        ("4. " + t["green used"], "Bal_GreenUsed", bal.green_electricity_used_kwh, kwh),
        ("    " + t["green unused"], "Bal_GreenUnused", bal.green_electricity_unused_kwh, kwh),
        ("    " + t["certificates used"], "Bal_CertUsed", bal.green_certificates_used_kwh, kwh),
        ("    " + t["certificates unused"], "Bal_CertUnused", bal.green_certificates_unused_kwh, kwh),
        ("= " + t["grid remaining"], "Bal_GridRemaining", bal.grid_remaining_kwh, kwh),
        (t["after supply"], "Park_AfterSupply", op.after_supply_kgco2_per_year, kg),
        ("5. " + t["offsets"], "Em_BuildingOffsets+Park_OffsetsT*1000", op.offsets_kgco2, kg),
        (t["net"], "Park_Net", op.net_kgco2_per_year, kg),
    )
    for label, formula, value, unit in rows:
        r += 1
        sheet.put(r, 0, label, "wrap")
        sheet.formula(r, 1, f"={formula}", value, "number")
        sheet.put(r, 2, unit)
    return r


def _embodied(sheet: Sheet, r: int, park: ParkAssessment, t: dict) -> int:
    """The park's embodied emissions by module, formulas over the Embodied by building sheet."""
    e = park.totals.embodied
    sheet.row(r, [t["embodied summary"], t["kgco2e"]], "header")
    rows = [(label, TOTAL_NAMES[key], getattr(e, key)) for key, label, _ in MODULES]
    rows += [
        (t["upfront"], TOTAL_NAMES["upfront_a1_a5"], e.upfront_a1_a5),
        (t["embodied total"], TOTAL_NAMES["embodied_total"], e.embodied_total),
        (t["annualised"], "ParkAnnualised", park.totals.annualised_embodied_kgco2e_per_year),
    ]
    for label, name, value in rows:
        r += 1
        sheet.put(r, 0, label)
        sheet.formula(r, 1, f"={name}", value, "number")
    return r
