"""Print a take-off summary to the terminal (rich tables). Renders only."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.table import Table

from bimcarbon.summary import TakeOffSummary
from bimcarbon.takeoff import TakeOff

#: How many warnings are printed before the rest are counted.
WARNINGS_SHOWN = 8


def print_takeoff_summary(
    console: Console, takeoff: TakeOff, summary: TakeOffSummary, written: list[Path]
) -> None:
    """Print counts, volume by quantity source, flags, units and the first warnings."""
    console.print(
        f"[bold]{summary.model_path}[/bold] ({summary.schema_name}): "
        f"{summary.ifc_elements} IfcElement, {summary.elements_taken_off} taken off in "
        f"{summary.rows} rows, {summary.elements_excluded} excluded"
    )
    sources = Table(title="Volume by quantity source", title_justify="left")
    sources.add_column("source")
    sources.add_column("rows", justify="right")
    sources.add_column("volume m3", justify="right")
    sources.add_column("share", justify="right")
    for share in summary.volume_by_source:
        sources.add_row(share.kind, str(share.rows), f"{share.volume_m3:,.3f}", f"{share.share:.1%}")
    sources.add_row("total", str(summary.rows), f"{summary.total_volume_m3:,.3f}", "", style="bold")
    console.print(sources)
    if summary.elements_by_flag:
        flags = Table(title="Flags (what to look at)", title_justify="left")
        flags.add_column("flag")
        flags.add_column("elements", justify="right")
        flags.add_column("rows", justify="right")
        for flag, count in summary.elements_by_flag.items():
            flags.add_row(flag, str(count), str(summary.flags.get(flag, 0)))
        console.print(flags)
    if summary.excluded_by_reason:
        excluded = Table(title="Excluded on purpose", title_justify="left")
        excluded.add_column("reason")
        excluded.add_column("elements", justify="right")
        for reason, count in summary.excluded_by_reason.items():
            excluded.add_row(reason, str(count))
        console.print(excluded)
    units = ", ".join(
        f"{u.unit_type.removesuffix('UNIT').lower()}: {u.name}{' (assumed)' if u.assumed else ''}"
        for u in (takeoff.units.length, takeoff.units.area, takeoff.units.volume, takeoff.units.mass)
    )
    console.print(f"Units: {units}")
    if summary.quantity_checks:
        console.print(
            f"Quantity check: {summary.quantity_checks} exported volumes compared with geometry, "
            f"{summary.quantity_mismatches} differ by more than "
            f"{takeoff.parameters.get('quantity_tolerance', 0):.0%}"
        )
    for line in takeoff.warnings[:WARNINGS_SHOWN]:
        console.print(f"[yellow]warning:[/yellow] {line}", highlight=False)
    if len(takeoff.warnings) > WARNINGS_SHOWN:
        console.print(f"[yellow]... and {len(takeoff.warnings) - WARNINGS_SHOWN} more warnings[/yellow]")
    for path in written:
        console.print(f"Wrote {path}")
