"""The Parameters and sources sheet: the park file and what it chose, the criteria packs with their editions
and sources, the park's grid factor, the park's own energy as read, and the standard-coal coefficients with
their sources and status."""

from __future__ import annotations

from bimcarbon.criteria import CriteriaPack
from bimcarbon.park.coal import CoalTable
from bimcarbon.park.run import ParkAssessment
from bimcarbon.report.workbook.book import Sheet
from bimcarbon.report.workbook.labels import grid_label

#: The park file's own energy (``park_energy``), in order: (field, label key, unit).
PARK_ENERGY = (
    ("electricity_kwh", "park loads", "kWh/a"),
    ("pv_kwh", "park pv", "kWh/a"),
    ("wind_kwh", "park wind", "kWh/a"),
    ("green_electricity_kwh", "green", "kWh/a"),
    ("green_certificates", "certificates", None),
    ("offsets_tco2e", "park offsets", "tCO2e/a"),
    ("district_heat_kgco2_per_gj", "district heat factor", "kgCO2/GJ"),
)


def write_parameters(
    sheet: Sheet,
    park: ParkAssessment,
    t: dict,
    packs: tuple[CriteriaPack | None, CriteriaPack | None],
    coal: CoalTable,
) -> None:
    """Fill the Parameters and sources sheet."""
    text = t["data"]
    sheet.put(0, 0, t["Park parameters"], "title")
    sheet.row(2, [t["parameter"], t["value"], t["source"]], "header")
    p = park.parameters
    grid = park.grid_factor
    park_pack, building_pack = packs
    rows = [
        (t["version"], park.tool_version, ""),
        (t["park name"], park.name, ""),
        (t["park file"], park.park_file, ""),
        (t["park criteria pack"], text(park.criteria_pack), _pack_source(park_pack, t)),
        (t["building criteria pack"], text(park.building_criteria_pack), _pack_source(building_pack, t)),
        (t["grid"], grid_label(t, grid.id), f"{text(grid.source)} ({t.get(grid.status, grid.status)})"),
        (t["park grid factor"], grid.value_kgco2_per_kwh, "kgCO2/kWh"),
        (t["factor files"], ", ".join(p["factor_files"]) or t["none"], ""),
        (t["accepted incomplete"], t["yes"] if p["accept_incomplete"] else t["no"], ""),
    ]
    r = 2
    for label, value, source in rows:
        r += 1
        sheet.put(r, 0, label)
        sheet.put(r, 1, value, "number" if isinstance(value, float) else None)
        sheet.put(r, 2, source, "wrap")
    # the park's own energy, as read
    r += 2
    sheet.put(r, 0, t["park energy"], "bold")
    energy = p["park_energy"]
    values = {**energy, **energy["renewables"]}
    for field, key, unit in PARK_ENERGY:
        r += 1
        sheet.put(r, 0, t[key])
        value = values.get(field)
        sheet.put(
            r, 1, value if value is not None else t["not given"], "number" if value is not None else None
        )
        sheet.put(r, 2, unit or t["unit count"])
    units = park.energy_consumption.basis.units
    for carrier, quantity in energy["fuels"].items():
        r += 1
        name = carrier.rsplit("_", 1)[0].replace("_", " ")
        sheet.put(r, 0, f"{t['park fuel']}: {t.get('carrier ' + name, name)}")
        sheet.put(r, 1, quantity, "number")
        sheet.put(r, 2, f"{units.get(carrier, '')}/a")
    r += 1
    sheet.put(r, 0, t["energy to coal"])
    to_coal = energy["energy_to_coal"]
    stated = to_coal != "equivalent"
    sheet.put(r, 1, to_coal if stated else t["basis equivalent"], "number" if stated else None)
    sheet.put(r, 2, t["unit kgce/kWh"])
    # standard-coal coefficients used
    r += 2
    sheet.put(r, 0, f"{t['coal table']}: {text(park.energy_consumption.basis.table)}", "bold")
    r += 1
    sheet.note(r, 0, 5, text(coal.metadata.source))
    r += 1
    sheet.note(r, 0, 5, text(coal.metadata.notes))
    r += 1
    sheet.row(
        r,
        [t["carrier col"], t["kgce per unit"], t["unit"], t["status"], t["source"], t["status note"]],
        "header",
    )
    basis = park.energy_consumption.basis
    rows_by_carrier = coal.by_carrier()
    for carrier, value in basis.kgce_per_unit.items():
        r += 1
        row = rows_by_carrier.get(carrier)
        status = basis.statuses[carrier]
        own = carrier == "electricity_kwh" and basis.electricity_basis == "stated"
        name = carrier.rsplit("_", 1)[0].replace("_", " ")
        sheet.put(r, 0, t.get(f"carrier {name}", name))
        sheet.put(r, 1, value, "number")
        sheet.put(r, 2, basis.units[carrier])
        sheet.put(r, 3, t.get(status, status))
        sheet.put(r, 4, t["stated"] if own else text(basis.sources[carrier]), "wrap")
        sheet.put(r, 5, "" if own or row is None else text(row.status_note), "wrap")
    r += 2
    sheet.note(r, 0, 5, t["json note"])
    sheet.widths([44, 30, 50, 14, 50, 60])
    sheet.page(landscape=True)


def _pack_source(pack: CriteriaPack | None, t: dict) -> str:
    """A pack's source and notes in the workbook's language (empty when the pack was not given)."""
    if pack is None:
        return ""
    text = t["data"]
    parts = [text(pack.metadata.source), text(pack.metadata.notes)]
    return " ".join(part for part in parts if part)
