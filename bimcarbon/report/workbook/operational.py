"""The Operational sheet: energy per carrier x factor as formulas over marked inputs, the credits, the
net balance and the baseline; names GrossB6, NetB6 and BaselineB6 for the criteria."""

from __future__ import annotations

from bimcarbon.assess import AssessmentRun
from bimcarbon.report.workbook.book import Book, Sheet
from bimcarbon.report.workbook.labels import data_label, grid_label
from bimcarbon.report.workbook.notes import operational_note


def write_operational(book: Book, sheet: Sheet, run: AssessmentRun, t: dict) -> None:
    """Fill the Operational sheet and define GrossB6, NetB6, BaselineB6 and BaselineIntensity."""
    a = run.assessment
    op = a.operational
    sheet.put(0, 0, t["Operational"], "title")
    if op is None:
        sheet.put(2, 0, f"{t['no operational']}: {operational_note(a, t['lang'])}", "wrap")
        labels = (t["gross b6"], t["net b6"], t["baseline b6"], t["baseline intensity"])
        for offset, (name, text) in enumerate(
            zip(("GrossB6", "NetB6", "BaselineB6", "BaselineIntensity"), labels, strict=True)
        ):
            sheet.put(4 + offset, 0, text)
            sheet.put(4 + offset, 1, None)
            book.name(name, sheet.ref(4 + offset, 1))
        sheet.widths([60, 16])
        sheet.page()
        return
    energy = run.energy
    sheet.row(
        2, [t["carrier"], t["quantity"], t["unit"], t["factor"], t["kgco2 per a"], t["source"]], "header"
    )
    r = 3
    sheet.put(r, 0, t["grid factor"])
    sheet.put(r, 3, op.grid_factor_kgco2_per_kwh, "input")
    sheet.put(r, 2, "kgCO2/kWh")
    sheet.put(r, 5, grid_label(t, op.grid_factor_id), "wrap")
    book.name("GridFactor", sheet.ref(r, 3))
    r += 1
    sheet.put(r, 0, t["electricity used"])
    sheet.put(r, 1, energy.annual.electricity_kwh, "input")
    sheet.put(r, 2, "kWh")
    used = sheet.ref(r, 1)
    r += 1
    sheet.put(r, 0, t["pv self"])
    sheet.put(r, 1, energy.renewables.pv_self_consumed_kwh, "input")
    sheet.put(r, 2, "kWh")
    pv_self = book.name("PvSelfKwh", sheet.ref(r, 1))
    lines_first = r + 1
    _carrier_rows(sheet, lines_first, op.lines, t, f"=MAX(0,{used}-{pv_self})")
    for offset in range(len(op.lines)):
        book.name(f"B6Line{offset + 1}Qty", sheet.ref(lines_first + offset, 1))
        book.name(f"B6Line{offset + 1}Kg", sheet.ref(lines_first + offset, 4))
    lines_last = lines_first + len(op.lines) - 1
    grid_kwh = sheet.ref(lines_first, 1)
    lines = sheet.span(lines_first, lines_last, 4)
    r = lines_last + 2
    entries = [
        ("GrossB6", t["gross b6"], f'=IF(COUNTBLANK({lines})>0,"",SUM({lines}))', op.gross_kgco2_per_year,
         None),
        ("GreenKwh", t["green electricity"], None, energy.green_electricity_kwh, "kWh"),
        ("GreenCredit", t["green credit"], f"=MIN(GreenKwh,{grid_kwh})*GridFactor",
         op.green_electricity_credit_kgco2, None),
        ("ExportKwh", t["pv exported"], None, energy.renewables.pv_exported_kwh, "kWh"),
        ("ExportCredit", t["export credit"], "=ExportKwh*GridFactor", op.exported_pv_credit_kgco2, None),
        ("OffsetsT", t["offsets"], None, energy.offsets_tco2e_per_year, "tCO2e"),
        ("NetB6", t["net b6"], '=IF(GrossB6="","",GrossB6-GreenCredit-ExportCredit-OffsetsT*1000)',
         op.net_kgco2_per_year, None),
    ]  # fmt: skip
    for name, text, formula, value, unit in entries:
        sheet.put(r, 0, text, "bold" if name in ("GrossB6", "NetB6") else None)
        if formula is None:
            sheet.put(r, 1, value, "input")
            sheet.put(r, 2, unit)
        else:
            sheet.formula(r, 1, formula, value, "total" if name in ("GrossB6", "NetB6") else "number")
            sheet.put(r, 2, "kgCO2/a")
        book.name(name, sheet.ref(r, 1))
        r += 1
    r += 1
    base = energy.baseline
    sheet.put(r, 0, t["baseline"], "bold")
    r += 1
    if base is not None and base.carriers is not None:
        base_lines = op.baseline_lines
        first = r
        r = _carrier_rows(sheet, r, base_lines, t, None)
        span = sheet.span(first, r - 1, 4)
        sheet.put(r, 0, t["baseline b6"], "bold")
        sheet.formula(r, 1, f'=IF(COUNTBLANK({span})>0,"",SUM({span}))', op.baseline_kgco2_per_year, "total")
        book.name("BaselineB6", sheet.ref(r, 1))
        sheet.put(r + 1, 0, t["baseline intensity"])
        sheet.formula(
            r + 1, 1, '=IF(OR(BaselineB6="",FloorArea=""),"",BaselineB6/FloorArea)',
            op.baseline_intensity_kg_per_m2a, "number",
        )  # fmt: skip
        book.name("BaselineIntensity", sheet.ref(r + 1, 1))
    else:
        sheet.put(r, 0, t["baseline intensity"])
        sheet.put(r, 1, op.baseline_intensity_kg_per_m2a, "input")
        sheet.put(r, 2, "kgCO2/(m2·a)")
        book.name("BaselineIntensity", sheet.ref(r, 1))
        sheet.put(r + 1, 0, t["baseline b6"])
        sheet.formula(
            r + 1, 1, '=IF(OR(BaselineIntensity="",FloorArea=""),"",BaselineIntensity*FloorArea)',
            op.baseline_kgco2_per_year, "number",
        )  # fmt: skip
        book.name("BaselineB6", sheet.ref(r + 1, 1))
    sheet.widths([40, 16, 12, 14, 16, 60])
    sheet.page(landscape=True)


def _carrier_rows(sheet: Sheet, first: int, lines: list, t: dict, grid_quantity: str | None) -> int:
    """One row per carrier: quantity (an input; for grid electricity ``grid_quantity`` when given) x
    factor (an input; the grid's is ``GridFactor``) = kgCO2 a year. Returns the row after the last."""
    for offset, line in enumerate(lines):
        row = first + offset
        sheet.put(row, 0, data_label(t, "carrier", line.carrier))
        if offset == 0 and grid_quantity:  # grid electricity = use - self-consumed PV
            sheet.formula(row, 1, grid_quantity, line.quantity, "number")
        else:
            sheet.put(row, 1, line.quantity, "input")
        if offset == 0:  # the first line is always grid electricity
            sheet.formula(row, 3, "=GridFactor", line.factor_kgco2_per_unit, "number3")
        else:
            sheet.put(row, 3, line.factor_kgco2_per_unit, "input")
        sheet.put(row, 2, line.unit)
        q, f = sheet.ref(row, 1, local=True), sheet.ref(row, 3, local=True)
        sheet.formula(row, 4, f'=IF({f}="","",{q}*{f})', line.kgco2_per_year, "number")
        sheet.put(row, 5, t["data"](line.factor_source), "wrap")
    return first + len(lines)
