"""The park assessment on the terminal and as JSON. Renders only: every figure comes from the
:class:`~bimcarbon.park.run.ParkAssessment`."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from bimcarbon.errors import OutputError
from bimcarbon.park.run import ParkAssessment
from bimcarbon.report.console import WARNINGS_SHOWN


def park_json(assessment: ParkAssessment) -> str:
    """The park assessment as JSON text (format ``bimcarbon.park``): keys in a fixed order, one space of
    indent, ending in a newline; byte-identical for the same inputs."""
    return assessment.model_dump_json(indent=1) + "\n"


def write_park_json(path: Path, assessment: ParkAssessment) -> None:
    """Write the park JSON (:func:`park_json`) to ``path``; a file that cannot be written is one line
    (OutputError)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(park_json(assessment), encoding="utf-8")
    except OSError as exc:
        raise OutputError(f"cannot write the JSON ({exc.strerror or exc})", path) from None


def _number(value: float | None, fmt: str = ",.0f") -> str:
    return "" if value is None else format(value, fmt)


def print_park(console: Console, park: ParkAssessment, cached: int = 0) -> None:
    """One line per building, the park's energy balance and consumption, its verdicts in both modes side
    by side with the key figures, and the coal basis they rest on."""
    loud = [f"park: {f.message}" for f in park.plausibility.findings if f.verdict == "absurd" and f.message]
    for building in park.buildings:
        for finding in (building.assessment or {}).get("plausibility", {}).get("findings", []):
            if finding.get("verdict") == "absurd":
                loud.append(f"{building.name}: {finding['message']}")
    for line in loud:
        console.print(f"[bold white on red] IMPLAUSIBLE [/] {escape(line)}", highlight=False)
    t = park.totals
    from_cache = f"; {cached} from the cache" if cached else ""
    console.print(
        f"[bold]{escape(park.name)}[/bold] ({escape(park.park_file)}): {t.buildings} buildings, "
        f"{t.buildings_assessed} assessed, "
        f"{t.buildings_failed} failed{from_cache}",
        highlight=False,
    )
    table = Table(title=f"Buildings ({escape(park.building_criteria_pack)})", title_justify="left")
    for column, justify in (
        ("building", "left"),
        ("status", "left"),
        ("A1-A3 kgCO2e", "right"),
        ("kgCO2/(m2·a)", "right"),
        ("reached without embodied", "left"),
        ("reached with embodied", "left"),
        ("model / reason", "left"),
    ):
        table.add_column(column, justify=justify)
    for b in park.buildings:
        a = b.assessment
        if a is None:
            table.add_row(escape(b.name), "[red]failed[/red]", "", "", "", "", escape(b.error or ""))
            continue
        without, with_ = a["without_embodied"], a["with_embodied"]
        table.add_row(
            escape(b.name),
            "done",
            _number(a["embodied"]["a1_a3"]),
            _number(without["metrics"].get("carbon_intensity_kg_per_m2a"), ",.2f"),
            escape(without["verdicts"]["reached"] or "none"),
            "not assessable"
            if with_["verdicts"].get("note")
            else escape(with_["verdicts"]["reached"] or "none"),
            escape(b.model),
        )
    console.print(table)
    e = t.embodied
    console.print(
        f"Park embodied kgCO2e: A1-A3 {_number(e.a1_a3)}, A4 {_number(e.a4)}, A5 {_number(e.a5)}, "
        f"B4 {_number(e.b4)}, C1-C4 {_number(e.c1_c4)}; total {_number(e.embodied_total)}; "
        f"annualised A1-A5 {_number(t.annualised_embodied_kgco2e_per_year)} kgCO2e a year",
        highlight=False,
    )
    bal = park.balance
    console.print(
        f"Electricity balance, kWh a year (grid factor {escape(bal.grid_factor_id)}, "
        f"{bal.grid_factor_kgco2_per_kwh:g} kgCO2/kWh): buildings' grid after their own PV and green power "
        f"+ park loads "
        f"{_number(bal.pooled_grid_kwh)}; park PV and wind {_number(bal.park_renewables_used_kwh)} used, "
        f"{_number(bal.park_renewables_exported_kwh)} exported; green electricity "
        f"{_number(bal.green_electricity_used_kwh)} used, "
        f"{_number(bal.green_electricity_unused_kwh)} unused; "
        f"{bal.green_certificates:,} certificates {_number(bal.green_certificates_used_kwh)} used, "
        f"{_number(bal.green_certificates_unused_kwh)} unused; "
        f"from the grid {_number(bal.grid_remaining_kwh)}",
        highlight=False,
    )
    basis = park.energy_consumption.basis
    coal = (
        f"electricity at {basis.electricity_kgce_per_kwh:g} kgce/kWh "
        f"({'equivalent value' if basis.electricity_basis == 'equivalent' else 'stated in the park file'}; "
        f"{escape(basis.electricity_source)})"
    )
    console.print(
        f"Energy consumption {_number(park.energy_consumption.total_tce, ',.1f')} tce a year, {coal}; "
        f"clean (non-fossil) {_number(park.energy_consumption.clean_tce, ',.1f')} tce",
        highlight=False,
    )
    modes = [("without embodied", park.without_embodied), ("with embodied", park.with_embodied)]
    verdicts = Table(
        title=f"Park verdicts: {escape(park.criteria_pack)} (provisional thresholds marked *)",
        title_justify="left",
    )
    verdicts.add_column("tier")
    for label, _ in modes:
        verdicts.add_column(label)
    for i, tier in enumerate(park.without_embodied.verdicts.tiers):
        marked = tier.provisional or park.with_embodied.verdicts.tiers[i].provisional
        verdicts.add_row(
            escape(f"{tier.name_en} {tier.name_zh}{'*' if marked else ''}"),
            *[escape(m.verdicts.tiers[i].verdict) for _, m in modes],
        )
    verdicts.add_row("reached", *[escape(m.verdicts.reached or "none") for _, m in modes], style="bold")
    console.print(verdicts)
    for label, mode in modes:
        if mode.verdicts.note:
            console.print(f"[bold]{label}: {escape(mode.verdicts.note)}[/]", highlight=False)
    figures = Table(title="Park figures (a year)", title_justify="left")
    figures.add_column("metric")
    for label, _ in modes:
        figures.add_column(label, justify="right")
    for key, label, fmt in (
        ("park_carbon_per_energy_t_per_tce", "tCO2 per tce (core indicator)", ",.3f"),
        ("park_clean_energy_share", "clean-energy share (non-fossil)", ".1%"),
        ("park_energy_consumption_tce", "energy consumption tce", ",.1f"),
        ("total_emissions_t_per_year", "emissions tCO2e", ",.1f"),
        ("emissions_kg_per_m2a", "emissions kgCO2e per m2", ",.2f"),
        ("net_emissions_t_per_year", "net after exports and offsets tCO2e", ",.1f"),
    ):
        figures.add_row(label, *[_number(m.metrics.get(key), fmt) for _, m in modes])
    console.print(figures)
    console.print(
        f"Coal basis: {coal}. The basis decides tCO2/tce: state the one your accounting uses "
        "(park_energy.energy_to_coal).",
        highlight=False,
    )
    for note in dict.fromkeys(park.without_embodied.notes + park.with_embodied.notes):
        console.print(f"note: {escape(note)}", highlight=False)
    blocked = park.without_embodied.verdicts.note or park.with_embodied.verdicts.note
    if not blocked:
        if park.changes:
            for change in park.changes:
                console.print(
                    f"Counting embodied emissions changes {change.tier}: "
                    f"{change.without_embodied} -> {change.with_embodied}",
                    markup=False,
                )
        else:
            console.print("Counting embodied emissions changes no park tier verdict.")
    for line in park.warnings[:WARNINGS_SHOWN]:
        console.print(f"[yellow]warning:[/yellow] {escape(line)}", highlight=False)
    if len(park.warnings) > WARNINGS_SHOWN:
        console.print(f"[yellow]... and {len(park.warnings) - WARNINGS_SHOWN} more warnings (JSON)[/yellow]")
    if park.plausibility.absurd:
        what = (
            "accepted with --accept-incomplete: the verdicts rest on them"
            if park.plausibility.accepted
            else "the park's verdicts are not assessable until they are checked (or accepted)"
        )
        console.print(
            f"[bold white on red] IMPLAUSIBLE [/] {len(loud)} figure(s) beyond what a "
            f"person would believe (see the first lines): {what}",
            highlight=False,
        )
