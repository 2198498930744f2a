"""The Summary sheet, the first page a reviewer reads: verdicts both ways (formulas over the Criteria
sheet), what is counted and whether it is complete, the key figures, the modules and the GB/T 51366
stages, the methods behind them, the benchmarks, the plausibility checks and the first warnings."""

from __future__ import annotations

from bimcarbon.assess import AssessmentRun
from bimcarbon.report.workbook.book import Book, Sheet, quoted
from bimcarbon.report.workbook.criteria import VerdictCells
from bimcarbon.report.workbook.elements import ElementRanges
from bimcarbon.report.workbook.embodied import STAGE_FORMULAS, a5_method
from bimcarbon.report.workbook.floor_area_zh import floor_area_source
from bimcarbon.report.workbook.labels import data_label, name_in, reached_name, stage_label
from bimcarbon.report.workbook.messages_zh import warning_text, warnings
from bimcarbon.report.workbook.notes import benchmarks_note, completeness_note, gate_note
from bimcarbon.report.workbook.precheck import write_precheck_rows

#: Warnings shown on the Summary (all of them are on the Coverage sheet).
WARNINGS_SHOWN = 6


def write_summary(
    book: Book, sheet: Sheet, run: AssessmentRun, t: dict, verdicts: VerdictCells, elements: ElementRanges
) -> None:
    """Fill the Summary sheet."""
    a = run.assessment
    name = a.model_name
    sheet.put(0, 0, f"bimcarbon {a.tool_version}: {name}", "title")
    sheet.put(1, 0, f"{t['criteria pack']}: {t['data'](a.criteria_pack)}")
    absurd = [
        warning_text(f.message, a, t) for f in a.plausibility.findings if f.verdict == "absurd" and f.message
    ]
    if absurd:
        sheet.note(2, 0, 6, f"{t['implausible']}: {' | '.join(absurd)}", "alert_fill")
    r = 4
    sheet.row(r, [t["tier"], t["without"], t["with"], t["provisional"]], "header")
    for i, tier in enumerate(a.without_embodied.verdicts.tiers):
        other = a.with_embodied.verdicts.tiers[i]
        r += 1
        sheet.put(r, 0, name_in(t, tier))
        sheet.formula(r, 1, f"={verdicts.tiers['without'][i]}", t[tier.verdict], "verdict")
        sheet.formula(r, 2, f"={verdicts.tiers['with'][i]}", t[other.verdict], "verdict")
        sheet.put(r, 3, "*" if tier.provisional else "")
    r += 1
    sheet.put(r, 0, t["reached"], "bold")
    for col, mode, result in ((1, "without", a.without_embodied), (2, "with", a.with_embodied)):
        sheet.formula(r, col, f"={verdicts.reached[mode]}", reached_name(t, result.verdicts), "verdict")
    sheet.put(r + 1, 0, t["provisional mark"])
    sheet.note(r + 1, 1, 6, t["evidence legend"])
    r += 3
    # what is counted, and whether the with-embodied verdicts may stand
    c = a.coverage
    sheet.row(r, [t["counted"], t["matched"], t["assumed"], t["left out"], t["air"]], "header")
    total = "(MassMatched+MassAssumed+MassLeftOut)"
    sheet.put(r + 1, 0, t["by mass"])
    for col, (cell, value) in enumerate(
        (("MassMatched", c.mass_share_mapped), ("MassAssumed", c.mass_share_assumed),
         ("MassLeftOut", c.mass_share_left_out)), start=1,
    ):  # fmt: skip
        sheet.formula(r + 1, col, f"=IF({total}>0,{cell}/{total},0)", value, "pct")
    sheet.put(r + 2, 0, t["by volume"])
    shares = (c.volume_share_mapped, c.volume_share_assumed, c.volume_share_left_out, c.volume_share_void)
    sheet.row(r + 2, list(shares), "evidence_pct", first_col=1)  # measured on the take-off
    sheet.put(r + 3, 0, t["assumed share of a1a3"])
    assumed = c.a1_a3_assumed_kgco2e / c.a1_a3_kgco2e if c.a1_a3_kgco2e else 0.0
    sheet.formula(
        r + 3, 1, f'=IF(Emb_A1A3>0,SUMIF({elements.column("assumed")},{quoted(t["yes"])},'
        f'{elements.column("a1_a3")})/Emb_A1A3,0)', assumed, "pct",
    )  # fmt: skip
    sheet.put(r + 4, 0, t["completeness"])
    met, not_met = quoted(t["met"]), quoted(t["not met"])
    sheet.formula(
        r + 4,
        1,
        f"=IF(Complete=1,{met},{not_met})",
        t["met"] if c.completeness_met else t["not met"],
        "verdict",
    )
    sheet.note(r + 4, 2, 6, completeness_note(a, t["lang"]))
    r += 5
    if a.with_embodied.note:
        sheet.note(r, 0, 6, gate_note(a, t["lang"]), "alert")
        r += 1
    r += 1
    # key figures, both modes
    sheet.row(r, [t["key figures"], t["without"], t["with"]], "header")
    intensity_row = r + 1
    for key in (
        "carbon_intensity_kg_per_m2a",
        "baseline_carbon_intensity_kg_per_m2a",
        "carbon_intensity_reduction_share",
        "net_carbon_intensity_kg_per_m2a",
        "upfront_embodied_kg_per_m2",
    ):
        r += 1
        sheet.put(r, 0, t[f"metric {key}"])
        style = "pct" if key.endswith("share") else "number"
        for col, mode, result in ((1, "without", a.without_embodied), (2, "with", a.with_embodied)):
            sheet.formula(r, col, f"={verdicts.metrics[mode][key]}", result.metrics.get(key), style)
    r += 2
    # modules and stages
    e = a.embodied
    sheet.row(r, [t["module"], t["kgco2e"], t["method"]], "header")
    module_first = r + 1
    for label, cell, value, method in (
        ("A1-A3", "Emb_A1A3", e.a1_a3, t["method a1a3"]),
        ("A4", "Emb_A4", e.a4, t["method a4"]),
        ("A5", "Emb_A5", e.a5, a5_method(e, t)),
        ("B4", "Emb_B4", e.b4, t["method b4"]),
        ("C1-C4", "Emb_C1C4", e.c1_c4, t["method c1c4"]),
    ):
        r += 1
        sheet.put(r, 0, label)
        sheet.formula(r, 1, f"={cell}", value, "number")
        sheet.note(r, 2, 6, method)
    module_last = r
    r += 1
    sheet.put(r, 0, t["embodied total"], "bold")
    sheet.formula(r, 1, "=Emb_Total", e.embodied_total, "total")
    r += 1
    sheet.put(r, 0, t["floor area"])
    sheet.formula(r, 1, '=IF(FloorArea="","",FloorArea)', a.floor_area.value_m2, "number")
    sheet.note(r, 2, 6, floor_area_source(t, a.floor_area.source))
    r += 1
    if run.energy is not None and run.energy.baseline is not None:
        sheet.put(r, 0, t["method baseline"])
        sheet.formula(r, 1, "=RefEmbodied", run.energy.baseline.reference_embodied_kg_per_m2, "number")
        sheet.note(r, 2, 6, run.energy.baseline.reference_embodied_source)
        r += 1
    r += 1
    sheet.row(r, [t["stage"], t["kgco2e"], t["modules"]], "header")
    for stage in a.stages:
        r += 1
        sheet.put(r, 0, stage_label(t, stage))
        sheet.formula(r, 1, STAGE_FORMULAS[stage.id], stage.kgco2e, "number")
        sheet.put(r, 2, data_label(t, "modules", stage.modules))
    r += 2
    # benchmarks
    sheet.row(r, [t["benchmarks"], t["verdict"], t["provisional"]], "header")
    for tier, cell in zip(a.benchmarks.tiers, verdicts.benchmarks, strict=True):
        r += 1
        sheet.put(r, 0, name_in(t, tier))
        sheet.formula(r, 1, f"={cell}", t[tier.verdict], "verdict")
        sheet.put(r, 2, "*" if tier.provisional else "")
    if a.benchmarks.note:
        r += 1
        sheet.note(r, 0, 6, benchmarks_note(a, t["lang"]))
    r += 2
    # plausibility and warnings
    sheet.put(r, 0, t["plausibility"], "bold")
    r += 1
    sheet.row(r, [t["check"], t["value"], t["unit"], t["typical low"], t["typical high"], t["verdict"],
                  t["source"]], "header")  # fmt: skip
    for f in a.plausibility.findings:
        r += 1
        style = "alert" if f.verdict == "absurd" else None
        label = data_label(t, "check", f.metric) + (f": {f.global_id}" if f.global_id else "")
        sheet.row(r, [label], style)
        sheet.put(
            r, 1, f.value, "evidence"
        )  # measured at assessment; the figures behind it are in the warnings
        sheet.put(r, 2, data_label(t, "unit", f.unit), style)
        sheet.row(r, [f.low, f.high], "evidence", first_col=3)  # the typical range, from its source
        sheet.put(r, 5, t[f.verdict], style)
        sheet.put(r, 6, t["data"](f.source), "wrap")
    r = write_precheck_rows(sheet, r + 2, a, t)
    sheet.put(r, 0, t["warnings"], "bold")
    for line in warnings(a, t)[:WARNINGS_SHOWN]:
        r += 1
        sheet.note(r, 0, 6, line)
    if len(a.warnings) > WARNINGS_SHOWN:
        sheet.put(r + 1, 0, f"+ {len(a.warnings) - WARNINGS_SHOWN} {t['more warnings']}")
    # charts beside the tables
    modules = book.wb.add_chart({"type": "column"})
    modules.add_series(
        {
            "categories": [sheet.name, module_first, 0, module_last, 0],
            "values": [sheet.name, module_first, 1, module_last, 1],
        }
    )
    modules.set_title({"name": t["chart modules"]})
    modules.set_legend({"none": True})
    charts_row = r + 3  # below the tables, side by side: the page stays narrow enough to read
    sheet.ws.insert_chart(charts_row, 0, modules, {"x_scale": 1.1, "y_scale": 0.9})
    compare = book.wb.add_chart({"type": "column"})
    for col, label in ((1, t["without"]), (2, t["with"])):
        compare.add_series(
            {
                "name": label,
                "categories": [sheet.name, intensity_row, 0, intensity_row + 1, 0],
                "values": [sheet.name, intensity_row, col, intensity_row + 1, col],
            }
        )
    compare.set_title({"name": t["chart intensity"]})
    sheet.ws.insert_chart(charts_row, 3, compare, {"x_scale": 1.1, "y_scale": 0.9})
    sheet.widths([44, 17, 17, 12, 11, 12, 40])
    sheet.ws.freeze_panes(5, 0)
    sheet.page(landscape=True)
    sheet.ws.fit_to_pages(1, 2)
    sheet.ws.print_area(0, 0, charts_row + 16, 6)  # the tables and the charts below them
