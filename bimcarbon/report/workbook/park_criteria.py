"""The Park criteria sheet: every criterion of the park pack in both modes, its value a formula over the
Energy balance sheet's figures, its threshold a marked input, its margin and verdict formulas; each tier's
verdict and the tier reached as formulas (the building workbook's, over the park's cells)."""

from __future__ import annotations

from dataclasses import dataclass, field

from bimcarbon.park.run import ParkAssessment
from bimcarbon.report.workbook.book import Book, Sheet, quoted
from bimcarbon.report.workbook.criteria import _reached_formula, _tier_formula
from bimcarbon.report.workbook.labels import data_label, name_in, reached_name
from bimcarbon.report.workbook.park_balance import METRIC_NAMES
from bimcarbon.report.workbook.park_messages_zh import ParkText

#: The park metrics in words (label key of the park workbook).
METRIC_LABELS = {
    "park_carbon_per_energy_t_per_tce": "metric park core",
    "park_clean_energy_share": "metric park clean",
    "park_energy_consumption_tce": "metric park tce",
    "total_emissions_t_per_year": "metric park emissions",
    "emissions_kg_per_m2a": "metric park per m2",
    "net_emissions_t_per_year": "metric park net",
}


@dataclass
class ParkVerdictCells:
    """Where each mode's tier verdicts, tier reached and gate are (for the overview)."""

    tiers: dict[str, list[str]] = field(default_factory=dict)
    reached: dict[str, str] = field(default_factory=dict)
    blocked: dict[str, str] = field(default_factory=dict)


def write_park_criteria(
    book: Book, sheet: Sheet, park: ParkAssessment, t: dict, text: ParkText
) -> ParkVerdictCells:
    """Fill the Park criteria sheet; returns where the overview finds the verdicts."""
    cells = ParkVerdictCells()
    words = {v: t[v] for v in ("pass", "fail", "not assessable")}
    na, ok, ko = quoted(words["not assessable"]), quoted(words["pass"]), quoted(words["fail"])
    sheet.put(0, 0, f"{t['Park criteria']}: {t['data'](park.criteria_pack)}", "title")
    sheet.note(1, 0, 11, t["park criteria intro"])
    r = 3
    modes = (("without", park.without_embodied), ("with", park.with_embodied))
    # the gate of each mode: a failed building or an incomplete embodied total blocks every verdict
    for mode, result in modes:
        sheet.put(r, 0, f"{t[mode]}: {t['blocked']}")
        sheet.put(r, 1, 1 if result.verdicts.note else 0, "input")
        cells.blocked[mode] = book.name(f"Park_Blocked{mode.capitalize()}", sheet.ref(r, 1))
        if result.verdicts.note:
            sheet.note(r, 2, 11, text.line(result.verdicts.note), "alert")
        r += 1
    r += 1
    header = [
        t[h]
        for h in (
            "mode",
            "tier",
            "criterion",
            "metric",
            "value",
            "operator",
            "threshold",
            "unit",
            "margin",
            "verdict",
            "provisional",
            "source",
        )
    ]
    sheet.row(r, header, "header")
    r += 1
    for mode, result in modes:
        counted = 1 if result.embodied_counted else 0
        by_tier: dict[str, list[int]] = {}
        names = {tier.tier: name_in(t, tier) for tier in result.verdicts.tiers}
        for c in result.verdicts.criteria:
            value, threshold = sheet.ref(r, 4, local=True), sheet.ref(r, 6, local=True)
            sheet.row(
                r,
                [
                    t[mode],
                    names.get(c.tier, c.tier),
                    c.criterion,
                    t.get(METRIC_LABELS.get(c.metric, ""), c.metric),
                ],
            )
            style = "pct" if c.unit == "share" else "number3"
            sheet.formula(r, 4, f"={METRIC_NAMES[c.metric][counted]}", c.value, style)
            sheet.put(r, 5, c.operator)
            sheet.put(r, 6, c.threshold, "input_pct" if c.unit == "share" else "input")
            sheet.put(r, 7, data_label(t, "unit", c.unit))
            if c.operator in (">=", ">"):
                margin = f'=IF({value}="","",{value}-{threshold})'
            else:
                margin = f'=IF({value}="","",{threshold}-{value})'
            sheet.formula(r, 8, margin, c.margin, style)
            verdict = f'IF(OR({value}="",{threshold}=""),{na},IF({value}{c.operator}{threshold},{ok},{ko}))'
            verdict = f"IFERROR(IF({cells.blocked[mode]}=1,{na},{verdict}),{na})"
            sheet.formula(r, 9, "=" + verdict, t[c.verdict], "verdict")
            sheet.put(r, 10, t["yes"] if c.provisional else t["no"])
            sheet.put(r, 11, t["data"](c.source), "wrap")
            by_tier.setdefault(c.tier, []).append(r)
            r += 1
        r += 1
        cells.tiers[mode] = []
        for tier in result.verdicts.tiers:
            sheet.put(r, 0, t[mode])
            sheet.put(r, 1, names[tier.tier], "bold")
            span = sheet.span(min(by_tier[tier.tier]), max(by_tier[tier.tier]), 9)
            sheet.formula(r, 9, _tier_formula(span, words), t[tier.verdict], "verdict")
            cells.tiers[mode].append(sheet.ref(r, 9))
            r += 1
        sheet.put(r, 0, t[mode])
        sheet.put(r, 1, t["reached"], "bold")
        tier_names = [names[tier.tier] for tier in result.verdicts.tiers]
        sheet.formula(
            r,
            9,
            "=" + _reached_formula(cells.tiers[mode], tier_names, words, t["none"]),
            reached_name(t, result.verdicts),
            "verdict",
        )
        cells.reached[mode] = sheet.ref(r, 9)
        r += 2
    sheet.put(r, 0, t["size notes"], "bold")
    for note in park.without_embodied.notes:
        r += 1
        sheet.note(r, 0, 11, text.size_note(note))
    sheet.widths([40, 24, 18, 34, 12, 8, 12, 12, 12, 14, 10, 70])
    sheet.page(landscape=True)
    return cells
