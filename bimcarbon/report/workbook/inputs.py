"""The Inputs sheet: every number the workbook's formulas start from, in marked input cells with its
unit and source, under a workbook name the formulas use (``FloorArea``, ``DesignLife``...)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from bimcarbon.assess import AssessmentRun
from bimcarbon.report.workbook.book import Book, Sheet
from bimcarbon.report.workbook.floor_area_zh import floor_area_source
from bimcarbon.report.workbook.labels import data_label, name_in
from bimcarbon.report.workbook.notes import completeness_note


@dataclass
class CategoryTable:
    """Where the per-category inputs are: column ranges of the Inputs sheet, for INDEX/MATCH."""

    categories: str
    distance_km: str
    wastage_share: str
    service_life_years: str
    c3_c4_per_t: str
    route: str


def _category_rows(run: AssessmentRun) -> pd.DataFrame:
    """One row per factor category in use: its A4 distance, A5 wastage share, service life and C3-C4."""
    components = run.components
    eol = run.lifecycle.end_of_life
    rows = []
    for category in sorted(components["category"].dropna().unique()):
        first = components[components["category"] == category].iloc[0]
        per_t, route = eol.c3_c4_per_t(str(category))
        rows.append(
            {
                "category": category,
                "distance_km": first["distance_km"],
                "wastage_share": first["wastage_share"],
                "service_life_years": first["service_life_years"],
                "c3_c4_per_t": per_t,
                "route": route,
            }
        )
    return pd.DataFrame(rows)


def write_inputs(book: Book, sheet: Sheet, run: AssessmentRun, t: dict) -> CategoryTable:
    """Fill the Inputs sheet and define the names of its cells; returns the per-category table."""
    a = run.assessment
    life = run.lifecycle
    vehicles = {f.id: f for f in run.transport.factors}
    a4_vehicle = vehicles[life.transport.vehicle]
    c2_vehicle = vehicles[life.end_of_life.c2.vehicle]
    cover = a.coverage
    construction = a.embodied.a5_source.startswith("construction energy")
    sheet.put(0, 0, t["Inputs"], "title")
    sheet.put(1, 0, t["inputs intro"], "wrap")
    sheet.row(3, [t["input"], t["value"], t["unit"], t["source"]], "header")
    text = t["data"]
    site, c1, c2 = life.a5.site_activity, life.end_of_life.c1, life.end_of_life.c2
    area_source = floor_area_source(t, a.floor_area.source)
    life_source = t["data"](data_label(t, "value", a.design_life_source))
    rows = [
        ("FloorArea", t["floor area"], a.floor_area.value_m2, "m²", area_source, "input"),
        ("DesignLife", t["design life"], a.design_life_years, "a", life_source, "input"),
        ("A4Vehicle", t["a4 vehicle"], a4_vehicle.value_kgco2e_per_tkm, "kgCO2e/(t·km)",
         f"{name_in(t, a4_vehicle)}: {text(a4_vehicle.source)}", "input"),
        ("A5SiteRate", t["a5 site rate"], site.value, data_label(t, "unit", site.unit),
         f"{text(site.source)} ({t[site.status.value]})", "input"),
        ("A5Construction", t["a5 construction"], a.embodied.a5_site if construction else None, "kgCO2e",
         t["from the energy file"] if construction else t["not given"], "input"),
        ("C1Rate", t["c1 rate"], c1.value, data_label(t, "unit", c1.unit),
         f"{text(c1.source)} ({t[c1.status.value]})", "input"),
        ("C2Distance", t["c2 distance"], c2.distance_km, "km",
         f"{text(c2.distance_source)} ({t[c2.distance_status.value]})", "input"),
        ("C2Vehicle", t["c2 vehicle"], c2_vehicle.value_kgco2e_per_tkm, "kgCO2e/(t·km)",
         f"{name_in(t, c2_vehicle)}: {text(c2_vehicle.source)}", "input"),
        ("RefEmbodied", t["reference embodied"],
         run.energy.baseline.reference_embodied_kg_per_m2 if run.energy and run.energy.baseline else None,
         "kgCO2e/m2", run.energy.baseline.reference_embodied_source if run.energy and run.energy.baseline
         else t["no baseline"], "input"),
        ("MassMatched", t["mass matched"], cover.mass_mapped_kg, "kg", t["coverage sheet"], "input"),
        ("MassAssumed", t["mass assumed"], cover.mass_assumed_kg, "kg", t["coverage sheet"], "input"),
        ("MassLeftOut", t["mass left out"], cover.mass_left_out_kg, "kg", completeness_note(a, t["lang"]),
         "input"),
        ("CompleteShare", t["completeness threshold"], cover.completeness_threshold, "",
         text(cover.completeness_clause), "input_pct"),
        ("AcceptIncomplete", t["accept incomplete"], 1 if a.with_embodied.accepted_incomplete else 0, "1/0",
         "--accept-incomplete", "input"),
    ]  # fmt: skip
    refs: dict[str, str] = {}
    for offset, (name, label, value, unit, source, style) in enumerate(rows):
        r = 4 + offset
        sheet.row(r, [label], None)
        sheet.put(r, 1, value, style)
        sheet.row(r, [unit, source], "wrap", first_col=2)
        refs[name] = book.name(name, sheet.ref(r, 1))
    r = 4 + len(rows)
    counted = cover.mass_share_mapped + cover.mass_share_assumed
    sheet.put(r, 0, t["counted share"])
    sheet.formula(
        r, 1, "=IF(MassMatched+MassAssumed+MassLeftOut>0,"
        "(MassMatched+MassAssumed)/(MassMatched+MassAssumed+MassLeftOut),0)", counted, "pct"
    )  # fmt: skip
    book.name("CountedShare", sheet.ref(r, 1))
    sheet.put(r + 1, 0, t["complete"])
    sheet.formula(
        r + 1, 1, "=IF(AND(MassMatched+MassAssumed+MassLeftOut>0,CountedShare>=CompleteShare),1,0)",
        1 if a.with_embodied.embodied_complete else 0,
    )  # fmt: skip
    book.name("Complete", sheet.ref(r + 1, 1))
    sheet.put(r + 2, 0, t["baseline share"])
    sheet.formula(r + 2, 1, "=IF(Complete=1,1,CountedShare)", 1.0 if a.with_embodied.embodied_complete
                  else counted, "pct")  # fmt: skip
    book.name("BaselineShare", sheet.ref(r + 2, 1))
    sheet.put(r + 3, 0, t["gate blocked"])
    blocked = not a.with_embodied.embodied_complete and not a.with_embodied.accepted_incomplete
    sheet.formula(r + 3, 1, "=IF(AND(Complete=0,AcceptIncomplete=0),1,0)", 1 if blocked else 0)
    book.name("GateBlocked", sheet.ref(r + 3, 1))
    # per-category inputs
    top = r + 6
    sheet.put(top - 1, 0, t["by category"], "bold")
    header = [
        t["category"],
        t["distance"],
        t["wastage share"],
        t["service life"],
        t["c3c4 per t"],
        t["route"],
    ]
    sheet.row(top, header, "header")
    table = _category_rows(run)
    first = top + 1
    for i, row in enumerate(table.itertuples(index=False)):
        sheet.put(first + i, 0, data_label(t, "category", row.category))
        sheet.put(first + i, 1, row.distance_km, "input")
        sheet.put(first + i, 2, row.wastage_share, "input_pct")
        sheet.put(first + i, 3, row.service_life_years, "input")
        sheet.put(first + i, 4, row.c3_c4_per_t, "input")
        sheet.put(first + i, 5, data_label(t, "route", row.route))  # what the C3-C4 factor stands for
    last = first + max(len(table), 1) - 1
    sheet.put(last + 2, 0, t["category sources"], "wrap")
    sheet.widths([46, 16, 16, 60, 16, 24])
    sheet.page(landscape=True)
    return CategoryTable(
        categories=sheet.span(first, last, 0),
        distance_km=sheet.span(first, last, 1),
        wastage_share=sheet.span(first, last, 2),
        service_life_years=sheet.span(first, last, 3),
        c3_c4_per_t=sheet.span(first, last, 4),
        route=sheet.span(first, last, 5),
    )
