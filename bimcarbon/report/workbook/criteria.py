"""The Criteria sheet: the metrics of both modes as formulas over the Operational and Embodied sheets,
every criterion's value, margin and verdict as formulas over its threshold (a marked input), each tier's
verdict and the tier reached as formulas; the informational benchmarks the same way."""

from __future__ import annotations

from dataclasses import dataclass, field

from bimcarbon.assess import AssessmentRun
from bimcarbon.criteria import Verdicts
from bimcarbon.report.workbook.book import Book, Sheet, quoted
from bimcarbon.report.workbook.labels import data_label, name_in, reached_name

#: metric -> formula for one mode; {c} is 1 when embodied emissions are counted, else 0.
METRIC_FORMULAS = {
    "carbon_intensity_kg_per_m2a": '=IF(OR(GrossB6="",N(FloorArea)<=0),"",GrossB6/FloorArea+{added})',
    "baseline_carbon_intensity_kg_per_m2a": (
        '=IF(OR({intensity}="",BaselineIntensity=""),"",BaselineIntensity+{c}*RefEmbodied/DesignLife*BaselineShare)'
    ),
    "carbon_intensity_reduction_kg_per_m2a": '=IF({baseline}="","",{baseline}-{intensity})',
    "carbon_intensity_reduction_share": (
        '=IF({baseline}="","",IF({baseline}>0,({baseline}-{intensity})/{baseline},""))'
    ),
    "net_carbon_intensity_kg_per_m2a": '=IF(OR({intensity}="",NetB6=""),"",NetB6/FloorArea+{added})',
    "annualised_embodied_kg_per_m2a": '=IF(OR({c}=0,{intensity}=""),"",{added})',
    "upfront_embodied_kg_per_m2": '=IF(N(FloorArea)<=0,"",Emb_Upfront/FloorArea)',
}


@dataclass
class VerdictCells:
    """Where each mode's tier verdicts and tier reached are (for the Summary)."""

    tiers: dict[str, list[str]] = field(default_factory=dict)
    reached: dict[str, str] = field(default_factory=dict)
    metrics: dict[str, dict[str, str]] = field(default_factory=dict)
    benchmarks: list[str] = field(default_factory=list)
    benchmark_value: str = ""


def write_criteria(book: Book, sheet: Sheet, run: AssessmentRun, t: dict) -> VerdictCells:
    """Fill the Criteria sheet; returns where the Summary finds the verdicts."""
    a = run.assessment
    cells = VerdictCells()
    words = {v: t[v] for v in ("pass", "fail", "not assessable")}
    sheet.put(0, 0, t["Criteria"], "title")
    sheet.put(1, 0, t["criteria intro"], "wrap")
    # metrics, both modes
    sheet.row(3, [t["metric"], t["without"], t["with"]], "header")
    keys = list(METRIC_FORMULAS)
    row_of = {key: 4 + i for i, key in enumerate(keys)}
    for key in keys:
        sheet.put(row_of[key], 0, t[f"metric {key}"])
    for col, (mode, result) in ((1, ("without", a.without_embodied)), (2, ("with", a.with_embodied))):
        c = 1 if result.embodied_counted else 0
        refs = {key: sheet.ref(row_of[key], col, local=True) for key in keys}
        added = f"{c}*Emb_Upfront/DesignLife/FloorArea"
        for key in keys:
            formula = METRIC_FORMULAS[key].format(
                c=c, added=added, intensity=refs["carbon_intensity_kg_per_m2a"],
                baseline=refs["baseline_carbon_intensity_kg_per_m2a"],
            )  # fmt: skip
            style = "pct" if key.endswith("share") else "number"
            sheet.formula(row_of[key], col, formula, result.metrics.get(key), style)
        cells.metrics[mode] = {key: sheet.ref(row_of[key], col) for key in keys}
    # criteria, mode by mode and tier by tier
    r = 4 + len(keys) + 2
    header = [t[h] for h in ("mode", "tier", "criterion", "metric", "value", "operator", "threshold", "unit",
                             "margin", "verdict", "provisional", "source")]  # fmt: skip
    sheet.row(r, header, "header")
    r += 1
    for mode, result in (("without", a.without_embodied), ("with", a.with_embodied)):
        gate = "GateBlocked=1" if result.embodied_counted else None
        r, tier_cells = _criteria_rows(sheet, r, result.verdicts, t, mode, cells.metrics[mode], gate, words)
        r += 1
        names = [name_in(t, tier) for tier in result.verdicts.tiers]
        cells.tiers[mode] = []
        for tier, verdict_cell, name in zip(result.verdicts.tiers, tier_cells, names, strict=True):
            sheet.put(r, 0, t[mode])
            sheet.put(r, 1, name, "bold")
            sheet.formula(r, 9, _tier_formula(verdict_cell, words), t[tier.verdict], "verdict")
            cells.tiers[mode].append(sheet.ref(r, 9))
            r += 1
        sheet.put(r, 0, t[mode])
        sheet.put(r, 1, t["reached"], "bold")
        reached = reached_name(t, result.verdicts)
        sheet.formula(
            r, 9, "=" + _reached_formula(cells.tiers[mode], names, words, t["none"]), reached, "verdict"
        )
        cells.reached[mode] = sheet.ref(r, 9)
        r += 2
    # informational benchmarks: never met by an incomplete total
    sheet.put(r, 0, t["benchmarks"], "bold")
    r += 1
    sheet.row(r, header, "header")
    r += 1
    bench = a.benchmarks
    value = cells.metrics["without"]["upfront_embodied_kg_per_m2"]
    cells.benchmark_value = value
    r, bench_cells = _criteria_rows(
        sheet, r, bench, t, "benchmark", {"upfront_embodied_kg_per_m2": value}, "Complete=0", words
    )
    r += 1
    for tier, verdict_cell in zip(bench.tiers, bench_cells, strict=True):
        sheet.put(r, 1, name_in(t, tier), "bold")
        sheet.formula(r, 9, _tier_formula(verdict_cell, words), t[tier.verdict], "verdict")
        cells.benchmarks.append(sheet.ref(r, 9))
        r += 1
    sheet.widths([14, 26, 14, 34, 12, 8, 12, 14, 12, 14, 10, 70])
    sheet.ws.set_column(0, 0, 40)
    sheet.page(landscape=True)
    return cells


def _criteria_rows(
    sheet: Sheet, r: int, verdicts: Verdicts, t: dict, mode: str, metric_cells: dict[str, str],
    gate: str | None, words: dict[str, str],
) -> tuple[int, list[str]]:  # fmt: skip
    """One row per criterion; returns the next row and, per tier, the range of its verdict cells."""
    by_tier: dict[str, list[int]] = {}
    tier_names = {tier.tier: name_in(t, tier) for tier in verdicts.tiers}
    na, ok, ko = quoted(words["not assessable"]), quoted(words["pass"]), quoted(words["fail"])
    for c in verdicts.criteria:
        value = sheet.ref(r, 4, local=True)
        threshold = sheet.ref(r, 6, local=True)
        sheet.row(r, [t.get(mode, mode), tier_names.get(c.tier, c.tier), c.criterion,
                      t.get(f"metric {c.metric}", c.metric)])  # fmt: skip
        style = "pct" if c.unit == "share" else "number"
        sheet.formula(r, 4, f"={metric_cells[c.metric]}", c.value, style)
        sheet.put(r, 5, c.operator)
        sheet.put(r, 6, c.threshold, "input_pct" if c.unit == "share" else "input")
        sheet.put(r, 7, data_label(t, "unit", c.unit))
        if c.operator in (">=", ">"):
            margin = f'=IF({value}="","",{value}-{threshold})'
        else:
            margin = f'=IF({value}="","",{threshold}-{value})'
        sheet.formula(r, 8, margin, c.margin, style)
        verdict = f'IF(OR({value}="",{threshold}=""),{na},IF({value}{c.operator}{threshold},{ok},{ko}))'
        if gate:
            verdict = f"IF({gate},{na},{verdict})"
        verdict = f"IFERROR({verdict},{na})"  # an error (a zero floor area typed in) is never a pass
        sheet.formula(r, 9, "=" + verdict, t[c.verdict], "verdict")
        sheet.put(r, 10, t["yes"] if c.provisional else t["no"])
        sheet.put(r, 11, t["data"](c.source), "wrap")
        by_tier.setdefault(c.tier, []).append(r)
        r += 1
    ranges = [
        sheet.span(min(by_tier[tier.tier]), max(by_tier[tier.tier]), 9) if tier.tier in by_tier else ""
        for tier in verdicts.tiers
    ]
    return r, ranges


def _tier_formula(verdicts: str, words: dict[str, str]) -> str:
    na, ok, ko = quoted(words["not assessable"]), quoted(words["pass"]), quoted(words["fail"])
    # a pass only when every criterion says pass (an error or a blank is not one)
    return f"=IF(COUNTIF({verdicts},{ko})>0,{ko},IF(COUNTIF({verdicts},{ok})=ROWS({verdicts}),{ok},{na}))"


def _reached_formula(tiers: list[str], names: list[str], words: dict[str, str], none: str) -> str:
    """The last tier of an unbroken run of passes from the first, as nested IFs."""
    ok = quoted(words["pass"])
    expression = quoted(names[-1])
    for i in range(len(tiers) - 1, 0, -1):
        expression = f"IF({tiers[i]}={ok},{expression},{quoted(names[i - 1])})"
    return f"IF({tiers[0]}={ok},{expression},{quoted(none)})"
