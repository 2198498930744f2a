"""A comparison of two assessments on the terminal and as JSON. Renders only.

Text from the models and the files (element, storey, material and file names, warnings) is escaped: a
name holding ``[/b]`` is printed as written, never read as the terminal's markup."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from bimcarbon.compare.model import Comparison, ElementChange
from bimcarbon.errors import OutputError

#: Modules of the totals in the order printed: (key of ``totals``, label).
TOTAL_ROWS = (
    ("a1_a3", "A1-A3"),
    ("a4", "A4"),
    ("a5_wastage", "A5 wastage"),
    ("a5_site", "A5 site activity *"),
    ("a5", "A5"),
    ("b4", "B4"),
    ("c1", "C1 *"),
    ("c2", "C2"),
    ("c3_c4", "C3-C4"),
    ("c1_c4", "C1-C4"),
    ("upfront_a1_a5", "upfront A1-A5"),
    ("embodied_total", "embodied total"),
    ("biogenic_kgco2", "biogenic carbon stored (kgCO2, not netted)"),
)
#: Key metrics printed: (key, mode).
KEY_METRICS = (
    ("carbon_intensity_kg_per_m2a", "without"),
    ("carbon_intensity_kg_per_m2a", "with"),
    ("carbon_intensity_reduction_share", "without"),
    ("carbon_intensity_reduction_share", "with"),
    ("upfront_embodied_kg_per_m2", "with"),
    ("embodied_intensity_kg_per_m2", None),
    ("floor_area_m2", None),
)
#: How many lines of materials, inputs and warnings are printed before the rest are counted.
SHOWN = 10


def print_comparison(console: Console, c: Comparison, top: int = 10) -> None:
    """Totals with deltas, verdict changes in both modes, the elements that changed most, deltas by
    material, what changed in the inputs and the warnings."""
    for line in c.warnings:
        if "IMPLAUSIBLE" in line:
            console.print(f"[bold white on red] IMPLAUSIBLE [/] {escape(line)}", highlight=False)

    def side(s) -> str:
        how = "assessed now" if s.assessed_now else "read from its assessment JSON"
        return escape(f"{s.source} ({how}; model {s.model_name}, bimcarbon {s.tool_version})")

    console.print(f"[bold]Base[/bold]: {side(c.base)}", highlight=False)
    console.print(f"[bold]Variant[/bold]: {side(c.variant)}", highlight=False)
    p = c.pairing
    console.print(
        f"Elements: {p.by_global_id} paired by GlobalId, {p.by_position} by position "
        f"({p.ambiguous} ambiguous); {p.changed} changed, {p.unchanged} unchanged, {p.added} added, "
        f"{p.removed} removed. Every delta is variant - base.",
        highlight=False,
    )
    totals = Table(title="Embodied emissions by module (kgCO2e)", title_justify="left")
    for column in ("module", "base", "variant", "delta", "change"):
        totals.add_column(column, justify="left" if column == "module" else "right")
    for key, label in TOTAL_ROWS:
        b, v, d = c.totals.base.get(key), c.totals.variant.get(key), c.totals.delta.get(key)
        style = "bold" if key in ("embodied_total", "upfront_a1_a5") else None
        totals.add_row(label, _kg(b), _kg(v), _signed(d), _pct(d, b), style=style)
    console.print(totals)
    console.print(
        "* per m2 of floor area (building-level, not per element): floor area "
        f"{_kg(c.building_level.floor_area_m2.base)} -> {_kg(c.building_level.floor_area_m2.variant)} m2",
        highlight=False,
    )
    _print_verdicts(console, c)
    metrics = Table(title="Key metrics", title_justify="left")
    for column in ("metric", "base", "variant", "delta"):
        metrics.add_column(column, justify="left" if column == "metric" else "right")
    rows = {(m.key, m.mode): m for m in c.metrics}
    for key, mode in KEY_METRICS:
        m = rows.get((key, mode))
        if m is None:
            continue
        label = key + (f" ({mode} embodied)" if mode else "")
        if m.share:
            metrics.add_row(label, _share(m.base), _share(m.variant), _points(m.delta))
        else:
            metrics.add_row(label, _num(m.base), _num(m.variant), _signed(m.delta, 2))
    console.print(metrics)
    _print_elements(console, c, top)
    materials = [m for m in c.by_material if m.delta.get("a1_a3")]
    if materials:
        table = Table(title="A1-A3 by material (kgCO2e), the largest change first", title_justify="left")
        for column in ("material", "base", "variant", "delta", "elements"):
            table.add_column(column, justify="left" if column == "material" else "right")
        for m in materials[:SHOWN]:
            table.add_row(
                escape(m.key),
                _kg(m.base["a1_a3"]),
                _kg(m.variant["a1_a3"]),
                _signed(m.delta["a1_a3"]),
                f"{m.elements_base} -> {m.elements_variant}",
            )
        console.print(table)
        if len(materials) > SHOWN:
            console.print(f"... and {len(materials) - SHOWN} more materials changed (JSON, workbook)")
    changed = [r for r in c.inputs if r.changed]
    if changed:
        console.print("[bold]What changed in the inputs[/bold]")
        for r in changed:
            key = f" {r.key}" if r.key else ""
            console.print(
                escape(f"  {r.what}{key}: {r.base or '(none)'} -> {r.variant or '(none)'}"), highlight=False
            )
    else:
        console.print("The inputs are the same on both sides (but for the model).", highlight=False)
    for line in c.warnings:
        console.print(f"[yellow]warning:[/yellow] {escape(line)}", highlight=False)


def _print_verdicts(console: Console, c: Comparison) -> None:
    v = c.verdicts
    table = Table(title="Verdicts (provisional thresholds marked *)", title_justify="left")
    for column in ("tier", "base without", "variant without", "base with", "variant with"):
        table.add_column(column + ("" if column == "tier" else " embodied"))
    for t in v.tiers:
        table.add_row(
            escape(f"{t.name_en} {t.name_zh or ''}{'*' if t.provisional else ''}"),
            escape(t.base_without or "-"),
            _marked(t.variant_without, t.changed_without),
            escape(t.base_with or "-"),
            _marked(t.variant_with, t.changed_with),
        )
    reached = [
        escape(v.reached[s][m]["tier"] or "none") for s, m in (("base", "without"), ("variant", "without"))
    ]
    reached_with = [
        escape(v.reached[s][m]["tier"] or "none") for s, m in (("base", "with"), ("variant", "with"))
    ]
    table.add_row("reached", reached[0], reached[1], reached_with[0], reached_with[1], style="bold")
    console.print(table)
    for mode, label in (("without_embodied", "without embodied"), ("with_embodied", "with embodied")):
        tiers = [t for t in v.tiers if t.tier in v.changed[mode]]
        if tiers:
            key = "without" if mode == "without_embodied" else "with"
            for t in tiers:
                console.print(
                    escape(
                        f"Verdict change {label}: {t.name_en}: {getattr(t, 'base_' + key)} -> "
                        f"{getattr(t, 'variant_' + key)}"
                    ),
                    highlight=False,
                )
        else:
            console.print(f"No tier verdict changes {label}.", highlight=False)
    for side in ("base", "variant"):
        if v.notes.get(side):
            console.print(f"[bold]{side}[/bold]: {escape(v.notes[side])}", highlight=False)


def _print_elements(console: Console, c: Comparison, top: int) -> None:
    moved = [e for e in c.elements if e.change != "unchanged"]
    moved.sort(key=lambda e: (-abs(e.delta_embodied_kgco2e or 0.0), e.change, e.global_id or ""))
    if not moved:
        console.print("No element changed.")
        return
    table = Table(
        title=f"Elements that changed, the largest delta first ({min(top, len(moved))} of {len(moved)})",
        title_justify="left",
    )
    for column in ("change", "element", "class", "storey", "GlobalId", "what changed", "A1-A3", "embodied"):
        table.add_column(column, justify="right" if column in ("A1-A3", "embodied") else "left")
    for e in moved[:top]:
        mark = (
            " (by position" + (", ambiguous" if e.ambiguous else "") + ")"
            if e.paired_by == "position"
            else ""
        )
        table.add_row(
            e.change + mark,
            escape(e.element_name or ""),
            escape(e.ifc_class),
            escape(e.storey or ""),
            escape(e.global_id or ""),
            escape(what_changed(e)),
            _signed(e.delta_a1_a3_kgco2e),
            _signed(e.delta_embodied_kgco2e),
        )
    console.print(table)


def what_changed(e: ElementChange) -> str:
    """What changed in a pair, in words with its figures (``volume 16 -> 20 m3``)."""
    parts = []
    for change in e.changes:
        if change.what == "quantity":
            unit = {"volume_m3": "m3", "area_m2": "m2", "mass_kg": "kg"}[change.field]
            name = change.field.rsplit("_", 1)[0]
            parts.append(f"{name} {_num(change.base, 3)} -> {_num(change.variant, 3)} {unit}")
        elif change.what == "carbon":
            parts.append(f"{change.field.removesuffix('_kgco2e')} only (factor value or defaults)")
        elif change.what == "position":
            parts.append(f"moved {_num(e.distance_m, 3)} m")
        else:
            parts.append(f"{change.field} {_text(change.base)} -> {_text(change.variant)}")
    return "; ".join(dict.fromkeys(parts))


def write_comparison_json(path: Path, c: Comparison) -> Path:
    """Write the comparison (format ``bimcarbon.comparison``) to ``path`` (a ``.json`` file)."""
    if path.suffix.lower() != ".json":
        raise OutputError("the --json file must end in .json", path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(c.model_dump_json(indent=1), encoding="utf-8")
    except OSError as exc:
        raise OutputError(f"cannot be written ({exc.strerror or exc})", path) from exc
    return path


def _text(value: object) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "(none)"
    return str(value)


def _marked(verdict: str | None, changed: bool) -> str:
    text = escape(verdict or "-")
    return f"[bold yellow]{text}[/]" if changed else text


def _kg(value: float | None) -> str:
    return "-" if value is None else f"{value:,.0f}"


def _num(value: object, digits: int = 2) -> str:
    return "-" if not isinstance(value, int | float) else f"{value:,.{digits}f}"


def _signed(value: float | None, digits: int = 0) -> str:
    if value is None:
        return "-"
    if value == 0:
        return "0"
    return f"{value:+,.{digits}f}"


def _pct(delta: float | None, base: float | None) -> str:
    if delta is None or not base:
        return ""
    if delta == 0:
        return "0 %"
    return f"{100 * delta / abs(base):+.1f} %"


def _share(value: float | None) -> str:
    return "-" if value is None else f"{value:.1%}"


def _points(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:+.1f} points"
