"""Print a take-off summary to the terminal (rich tables). Renders only.

Text from the models and the files (element, material, storey and file names, warnings, notes) is
escaped: a name holding ``[/b]`` is printed as written, never read as the terminal's markup."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from bimcarbon.coverage import coverage_line
from bimcarbon.summary import TakeOffSummary
from bimcarbon.takeoff import TakeOff

#: How many warnings are printed before the rest are counted.
WARNINGS_SHOWN = 8


def _text(value) -> str:
    """A table cell or line part from the model or a file, escaped ("" for None): shown as written."""
    return "" if value is None else escape(str(value))


def print_takeoff_summary(
    console: Console, takeoff: TakeOff, summary: TakeOffSummary, written: list[Path]
) -> None:
    """Print counts, volume by quantity source, flags, units and the first warnings."""
    console.print(
        f"[bold]{escape(str(summary.model_path))}[/bold] ({escape(str(summary.schema_name))}): "
        f"{summary.ifc_elements} IfcElement, {summary.elements_taken_off} taken off in "
        f"{summary.rows} rows, {summary.elements_excluded} excluded"
    )
    sources = Table(title="Volume by quantity source", title_justify="left")
    sources.add_column("source")
    sources.add_column("rows", justify="right")
    sources.add_column("volume m3", justify="right")
    sources.add_column("share", justify="right")
    for share in summary.volume_by_source:
        sources.add_row(escape(share.kind), str(share.rows), f"{share.volume_m3:,.3f}", f"{share.share:.1%}")
    sources.add_row("total", str(summary.rows), f"{summary.total_volume_m3:,.3f}", "", style="bold")
    console.print(sources)
    if summary.elements_by_flag:
        flags = Table(title="Flags (what to look at)", title_justify="left")
        flags.add_column("flag")
        flags.add_column("elements", justify="right")
        flags.add_column("rows", justify="right")
        for flag, count in summary.elements_by_flag.items():
            flags.add_row(escape(flag), str(count), str(summary.flags.get(flag, 0)))
        console.print(flags)
    if summary.excluded_by_reason:
        excluded = Table(title="Excluded on purpose", title_justify="left")
        excluded.add_column("reason")
        excluded.add_column("elements", justify="right")
        for reason, count in summary.excluded_by_reason.items():
            excluded.add_row(escape(reason), str(count))
        console.print(excluded)
    units = ", ".join(
        f"{u.unit_type.removesuffix('UNIT').lower()}: {u.name}"
        f"{' (assumed)' if u.assumed else ''}{' (inferred from the length unit)' if u.inferred else ''}"
        for u in (takeoff.units.length, takeoff.units.area, takeoff.units.volume, takeoff.units.mass)
    )
    console.print(f"Units: {units}", markup=False)
    if summary.quantity_checks:
        console.print(
            f"Quantity check: {summary.quantity_checks} exported volumes compared with geometry, "
            f"{summary.quantity_mismatches} differ by more than "
            f"{takeoff.parameters.get('quantity_tolerance', 0):.0%}"
        )
    for line in takeoff.warnings[:WARNINGS_SHOWN]:
        console.print(f"[yellow]warning:[/yellow] {escape(line)}", highlight=False)
    if len(takeoff.warnings) > WARNINGS_SHOWN:
        console.print(f"[yellow]... and {len(takeoff.warnings) - WARNINGS_SHOWN} more warnings[/yellow]")
    for path in written:
        console.print(f"Wrote {path}", markup=False)


def print_factors(console: Console, factors: list, title: str) -> None:
    """A table of factors: id, names, unit, value, module, status, set."""
    table = Table(title=escape(title), title_justify="left")
    for column, justify in (
        ("id", "left"),
        ("name", "left"),
        ("名称", "left"),
        ("unit", "left"),
        ("kgCO2e/unit", "right"),
        ("module", "left"),
        ("status", "left"),
        ("set", "left"),
    ):
        table.add_column(column, justify=justify)
    for f in factors:
        table.add_row(
            *map(_text, (f.id, f.name_en, f.name_zh, f.declared_unit)),
            f"{f.value_kgco2e_per_unit:g}",
            *map(_text, (f.module, f.status.value, f.factor_set)),
        )
    console.print(table)


def print_factor(console: Console, factor, set_metadata) -> None:
    """Every field of one factor, and the set it comes from."""
    table = Table(show_header=False, title=escape(factor.id), title_justify="left")
    table.add_column("field")
    table.add_column("value")
    for key, value in factor.model_dump(mode="json").items():
        table.add_row(escape(key), _text(value))
    if set_metadata is not None:
        for key, value in set_metadata.model_dump().items():
            if value:
                table.add_row(escape(f"set.{key}"), _text(value))
    console.print(table)


def print_materials(console: Console, summary, cover, top: int = 40) -> None:
    """Per-material lines (largest mass first) and the coverage."""
    table = Table(title="Materials", title_justify="left")
    for column, justify in (
        ("material", "left"),
        ("volume m3", "right"),
        ("mass kg", "right"),
        ("status", "left"),
        ("factor(s)", "left"),
        ("rule", "left"),
        ("kgCO2e A1-A3", "right"),
        ("note", "left"),
    ):
        table.add_column(column, justify=justify)

    def number(value, fmt: str) -> str:
        return "" if value != value or value is None else format(value, fmt)

    for row in summary.head(top).itertuples():
        note = row.reasons or row.notes or row.suggestions or ("proxy factor" if row.proxy else "")
        if row.match_status == "unmatched" and row.suggestions:
            note = f"suggest: {row.suggestions}"
        table.add_row(
            _text(row.material),
            number(row.volume_m3, ",.3f"),
            number(row.mass_kg, ",.0f"),
            _text(row.match_status),
            _text(row.factor_ids),
            _text(row.rule_id),
            number(row.kgco2e, ",.0f"),
            _text(note),
        )
    console.print(table)
    if len(summary) > top:
        console.print(f"... and {len(summary) - top} more materials (write them with -o)")
    console.print(
        f"Coverage: {cover.elements_mapped}/{cover.elements} elements fully mapped, "
        f"{cover.elements_assumed} more with assumptions; {cover.mass_kg:,.0f} kg of material "
        f"({cover.volume_without_mass_m3:,.3f} m3 without a known mass).",
        highlight=False,
        markup=False,
    )
    console.print(coverage_line(cover) + f" ({cover.completeness_clause}).", highlight=False, markup=False)
    console.print(f"Completeness: {cover.completeness_note}.", highlight=False, markup=False)


def print_assessment(
    console: Console, assessment, embodied_mode: bool | None, first: Sequence[str] = ()
) -> None:
    """Tier verdicts without and with embodied emissions side by side, and the key figures.

    ``first``: plain lines printed first, though after any IMPLAUSIBLE line (the LCA-ready pre-check's).
    """
    a = assessment
    absurd = [f for f in a.plausibility.findings if f.verdict == "absurd"]
    for finding in absurd:  # the message's own first word is the red badge, not printed twice
        rest = finding.message.removeprefix("IMPLAUSIBLE ")
        badge = "[bold white on red] IMPLAUSIBLE [/]" + ("" if rest != finding.message else " ")
        console.print(badge + escape(rest), highlight=False)
    for line in first:
        console.print(line, highlight=False, markup=False, soft_wrap=True)
    area = f"{a.floor_area.value_m2:,.1f} m2" if a.floor_area.value_m2 else "unknown"
    console.print(
        f"[bold]{escape(a.model_name)}[/bold]: floor area {area} ({escape(str(a.floor_area.source))}); "
        f"design life {a.design_life_years:g} a",
        highlight=False,
    )
    e = a.embodied

    def kg(value) -> str:
        return "not assessed" if value is None else f"{value:,.0f}"

    console.print(
        f"Embodied kgCO2e: A1-A3 {kg(e.a1_a3)}, A4 {kg(e.a4)}, "
        f"A5 {kg(e.a5)} (wastage {kg(e.a5_wastage)}, site {kg(e.a5_site)}), B4 {kg(e.b4)}, "
        f"C1-C4 {kg(e.c1_c4)} (C1 {kg(e.c1)}, C2 {kg(e.c2)}, C3-C4 {kg(e.c3_c4)}); "
        f"total {kg(e.embodied_total)}; biogenic carbon stored {kg(e.biogenic_kgco2)} "
        "kgCO2 (reported apart, not netted)",
        markup=False,
    )
    console.print(
        "GB/T 51366 stages, kgCO2e: "
        + "; ".join(f"{s.name_zh} {s.name_en} ({s.modules}) {kg(s.kgco2e)}" for s in a.stages),
        highlight=False,
        markup=False,
    )
    if a.operational is None:
        console.print(
            f"Operational: {a.operational_note}; criteria that need it are not assessable.", markup=False
        )
    table = Table(
        title=f"Verdicts: {escape(a.criteria_pack)} (provisional thresholds marked *)", title_justify="left"
    )
    table.add_column("tier")
    modes = [("without embodied", a.without_embodied), ("with embodied", a.with_embodied)]
    if embodied_mode is not None:
        modes = [modes[1] if embodied_mode else modes[0]]
    for label, _ in modes:
        table.add_column(label)
    for i, tier in enumerate(a.without_embodied.verdicts.tiers):
        mark = "*" if tier.provisional else ""
        table.add_row(
            escape(f"{tier.name_en} {tier.name_zh}{mark}"),
            *[_text(m.verdicts.tiers[i].verdict) for _, m in modes],
        )
    table.add_row("reached", *[_text(m.verdicts.reached or "none") for _, m in modes], style="bold")
    console.print(table)
    console.print(coverage_line(a.coverage), highlight=False, markup=False)
    if a.with_embodied.note and embodied_mode is not False:
        style = "bold yellow" if a.with_embodied.accepted_incomplete else "bold"
        console.print(f"[{style}]{escape(a.with_embodied.note)}[/]", highlight=False)
    figures = Table(title="Key figures per m2 of floor area", title_justify="left")
    figures.add_column("metric")
    for label, _ in modes:
        figures.add_column(label, justify="right")
    for key in (
        "carbon_intensity_kg_per_m2a",
        "baseline_carbon_intensity_kg_per_m2a",
        "carbon_intensity_reduction_share",
        "carbon_intensity_reduction_kg_per_m2a",
        "net_carbon_intensity_kg_per_m2a",
        "annualised_embodied_kg_per_m2a",
        "upfront_embodied_kg_per_m2",
    ):
        values = [m.metrics.get(key) for _, m in modes]
        shown = ["" if v is None else (f"{v:.1%}" if key.endswith("share") else f"{v:,.2f}") for v in values]
        figures.add_row(key, *shown)
    console.print(figures)
    blocked = a.with_embodied.embodied_complete is not True and not a.with_embodied.accepted_incomplete
    if embodied_mode is None and not blocked:
        if a.changes:
            for change in a.changes:
                console.print(
                    f"Counting embodied emissions changes {change.tier}: "
                    f"{change.without_embodied} -> {change.with_embodied}",
                    markup=False,
                )
        else:
            console.print("Counting embodied emissions changes no tier verdict.")
    passed = [t.name_en for t in a.benchmarks.tiers if t.verdict == "pass"]
    upfront = a.without_embodied.metrics.get("upfront_embodied_kg_per_m2")
    if upfront is not None:
        met = "not assessable (incomplete total)" if a.benchmarks.note else ", ".join(passed) or "none"
        console.print(
            f"Upfront embodied (A1-A5) {upfront:,.0f} kgCO2e/m2; informational benchmarks met: {met}",
            markup=False,
        )
    for line in a.warnings[:WARNINGS_SHOWN]:
        console.print(f"[yellow]warning:[/yellow] {escape(line)}", highlight=False)
    if len(a.warnings) > WARNINGS_SHOWN:
        console.print(
            f"[yellow]... and {len(a.warnings) - WARNINGS_SHOWN} more warnings (JSON, workbook)[/yellow]"
        )
    if absurd:
        console.print(
            f"[bold white on red] IMPLAUSIBLE [/] {len(absurd)} figure(s) beyond what a "
            "person would believe (see the first lines): check the model and the energy file before using "
            "any figure"
        )
