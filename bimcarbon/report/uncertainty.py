"""The uncertainty and the embodied break-even on the console (renderers only: nothing is computed here).

Text from the models and the files (contributor labels, tier names, the spreads file, notes) is escaped:
a name holding ``[/b]`` is printed as written, never read as the terminal's markup."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from bimcarbon.report.workbook.uncertainty_labels import UNCERTAINTY_LABELS
from bimcarbon.uncertainty.result import METRIC_UNITS, EmbodiedBreakEven, UncertaintyResult

#: How each reported metric is named on the console.
METRIC_LABELS = {
    "a1_a3": "A1-A3",
    "upfront_a1_a5": "upfront A1-A5",
    "embodied_total": "embodied total",
    "upfront_embodied_kg_per_m2": "upfront embodied per m2",
    "carbon_intensity_with_embodied_kg_per_m2a": "carbon intensity, with embodied",
    "carbon_intensity_without_embodied_kg_per_m2a": "carbon intensity, without embodied",
    "net_carbon_intensity_with_embodied_kg_per_m2a": "net carbon intensity, with embodied",
    "net_carbon_intensity_without_embodied_kg_per_m2a": "net carbon intensity, without embodied",
    "reduction_share_with_embodied": "reduction against the baseline, with embodied",
    "reduction_share_without_embodied": "reduction against the baseline, without embodied",
}
CONTRIBUTORS_SHOWN = 5


def figure(value: float | None, unit: str) -> str:
    """A value as the console shows it: shares in percent, kgCO2e whole, intensities to 0.01."""
    if value is None:
        return ""
    if unit == "share":
        return f"{value:.1%}"
    if unit == "kgCO2e":
        return f"{value:,.0f}"
    return f"{value:,.2f}"


def probability(value: float | None) -> str:
    """A tier probability, or "not assessable" (never a number) where it is None."""
    return "not assessable" if value is None else f"{value:.0%}" if value in (0.0, 1.0) else f"{value:.1%}"


def print_break_even(console: Console, break_even: EmbodiedBreakEven | None) -> None:
    """Per tier, the upfront embodied intensity at which counting embodied emissions flips it."""
    if break_even is None:
        return
    current = break_even.current_kg_per_m2
    table = Table(
        title="Embodied break-even: upfront embodied (A1-A5) per m2 at which the with-embodied verdict flips"
        + (f" (this building: {current:,.2f} kgCO2e/m2)" if current is not None else ""),
        title_justify="left",
    )
    for column in ("tier", "without", "with", "break-even kgCO2e/m2", "margin kgCO2e/m2", "why none"):
        table.add_column(column, justify="right" if "kg" in column else "left")
    for tier in break_even.tiers:
        value = tier.break_even_kg_per_m2
        table.add_row(
            escape(f"{tier.name_en} {tier.name_zh}"),
            escape(str(tier.verdict_without_embodied)),
            escape(str(tier.verdict_with_embodied)),
            f"{value:,.2f}" if value is not None else "none",
            f"{tier.margin_kg_per_m2:+,.2f}" if tier.margin_kg_per_m2 is not None else "",
            escape(tier.reason or ""),
        )
    console.print(table)
    if break_even.note:
        console.print(
            f"[bold]{escape(break_even.note)}[/]: the break-even says where the verdict would be",
            highlight=False,
        )


def print_uncertainty(console: Console, result: UncertaintyResult | None) -> None:
    """Ranges (after the caveats of the assessment they are drawn around, and followed by what is not
    sampled), tier probabilities in both modes, the top contributors and the spreads used."""
    if result is None:
        return
    console.print(
        f"[bold]Uncertainty[/bold]: {result.samples:,} samples, seed {result.seed}, "
        f"spreads {escape(str(result.spreads_file))} (docs/uncertainty.md)",
        highlight=False,
    )
    for caveat in result.caveats:
        mark = (
            "[bold white on red] IMPLAUSIBLE [/]"
            if caveat.id == "implausible"
            else "[bold yellow]caution:[/]"
        )
        console.print(f"{mark} {escape(caveat.text)}", highlight=False)
    ranges = Table(title="Ranges over the samples", title_justify="left")
    for column in ("metric", "unit", "assessed", "P5", "P50", "P95") + (
        ("P80 (conservative)",) if result.conservative else ()
    ):
        ranges.add_column(column, justify="left" if column in ("metric", "unit") else "right")
    for key, p in result.percentiles.items():
        if p is None:
            continue
        unit = METRIC_UNITS[key]
        row = [METRIC_LABELS[key], unit] + [figure(v, unit) for v in (p.deterministic, p.p5, p.p50, p.p95)]
        if result.conservative:
            row.append(figure(p.p80, unit))
        ranges.add_row(*row)
    console.print(ranges)
    if result.not_sampled:
        console.print(
            "Not sampled: " + "; ".join(n.description for n in result.not_sampled),
            highlight=False,
            markup=False,
        )
    tiers = Table(title="Probability of reaching each tier", title_justify="left")
    for column in ("tier", "without embodied", "with embodied"):
        tiers.add_column(column)
    probabilities = result.tier_probability
    for tier, without in probabilities.without_embodied.items():
        tiers.add_row(escape(tier), probability(without), probability(probabilities.with_embodied.get(tier)))
    console.print(tiers)
    if probabilities.with_embodied_note:
        console.print(f"[bold]{escape(probabilities.with_embodied_note)}[/]", highlight=False)
    for metric, contributors in result.top_contributors.items():
        if not contributors:
            continue
        kinds = UNCERTAINTY_LABELS["en"]
        shown = "; ".join(
            f"{c.label} ({kinds[f'kind {c.kind}']}) {c.share:.0%}" for c in contributors[:CONTRIBUTORS_SHOWN]
        )
        explained = result.contributors_explained.get(metric)
        told = (
            ""
            if explained is None
            else f" (first-order terms explain {explained:.0%} of its sampled variance)"
        )
        console.print(
            f"Largest contributors to the variance of {METRIC_LABELS[metric]}{told}: {shown}",
            highlight=False,
            markup=False,
        )
    spreads = "; ".join(
        f"{s.spread} {'x' + format(s.p95_ratio, 'g') if s.p95_ratio is not None else s.distribution} "
        f"({s.inputs} input(s), {s.components} component(s))"
        for s in result.spreads
    )
    spreads = spreads or "none: no counted component has an uncertain input"
    console.print(f"Spreads used (P95 / value): {spreads}", highlight=False, markup=False)
