"""The comparison workbook (``bimcarbon compare BASE VARIANT -o diff.xlsx``): totals and verdicts first,
then the elements and the evidence.

Sheets, in reading order: Overview (each module's base, variant and delta, with the sum of the element
deltas and the building-level delta beside it; the floor area; verdicts of both sides in both modes and
what changed; key metrics), Elements (one row per pair: what changed, each element-level module's base,
variant and delta), By material (A1-A3 as each assessment gives it, checked against the Overview), By
IFC class and By storey (sums over the Elements sheet per side), Inputs, Warnings.

The two sides' figures are the assessments' own (marked evidence, grey); every delta, sum and check is
a formula stored with the value bimcarbon computed. Labels in English or Simplified Chinese (the building
workbook's machinery); text from the models is always written as text, never as a formula. Renders a
:class:`~bimcarbon.compare.model.Comparison`.
"""

from __future__ import annotations

from pathlib import Path

from bimcarbon.compare.diff import COMPOSITION, ELEMENT_KEYS
from bimcarbon.compare.model import Comparison, ElementChange
from bimcarbon.errors import OutputError
from bimcarbon.report.workbook.book import Book, Sheet, quoted, workbook_path
from bimcarbon.report.workbook.compare_labels import COMPARE_LABELS
from bimcarbon.report.workbook.compare_messages_zh import input_value, text_in
from bimcarbon.report.workbook.data_zh import DataText
from bimcarbon.report.workbook.labels import data_label, provenance

__all__ = ["COMPARE_LABELS", "write_comparison_workbook"]

#: Modules of the Overview, in order (keys of the comparison's totals).
OVERVIEW_MODULES = (
    "a1_a3",
    "a4",
    "a5_wastage",
    "a5_site",
    "a5",
    "b4",
    "c1",
    "c2",
    "c3_c4",
    "c1_c4",
    "upfront_a1_a5",
    "embodied_total",
    "biogenic_kgco2",
)
#: Building-level modules (rows of the Overview whose delta is not the elements').
BUILDING_KEYS = ("a5_site", "c1")
#: First column of the module blocks on the Elements sheet; each module has base, variant, delta.
FIRST_MODULE_COL = 13


def write_comparison_workbook(comparison: Comparison, path: str | Path, lang: str = "en") -> Path:
    """Write the comparison workbook.

    Parameters
    ----------
    comparison
        The comparison (:func:`bimcarbon.compare.compare_assessments`).
    path
        ``.xlsx`` file to write.
    lang
        ``en`` or ``zh``.
    """
    path = workbook_path(path, lang, COMPARE_LABELS)
    t = {**COMPARE_LABELS[lang], "data": DataText(lang)}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        book = Book(path)
        overview = book.sheet(t["Overview"])
        elements = book.sheet(t["Elements"])
        materials = book.sheet(t["By material"])
        classes = book.sheet(t["By class"])
        storeys = book.sheet(t["By storey"])
        inputs = book.sheet(t["Inputs"])
        warnings = book.sheet(t["Warnings"])
        columns = write_elements(elements, comparison, t)
        a1_a3_delta = write_overview(overview, comparison, t, columns)
        write_materials(materials, comparison, t, a1_a3_delta)
        write_group(classes, comparison, t, columns, "class", t["group class"])
        write_group(storeys, comparison, t, columns, "storey", t["group storey"])
        write_inputs(inputs, comparison, t)
        write_warnings(warnings, comparison, t)
        book.close()
    except OSError as exc:
        raise OutputError(f"cannot be written ({exc.strerror or exc})", path) from exc
    return path


class ElementColumns:
    """Where the Elements sheet keeps each column (for the formulas of the other sheets)."""

    def __init__(self, sheet: Sheet, first_row: int, last_row: int) -> None:
        self.sheet, self.first_row, self.last_row = sheet, first_row, last_row
        self.class_base, self.class_variant, self.storey_base, self.storey_variant = 6, 7, 8, 9
        self.embodied = FIRST_MODULE_COL + 3 * len(ELEMENT_KEYS)  # base, variant, delta

    def module(self, key: str, side: int) -> int:
        """Column of a module (``embodied`` for the element-level total): side 0 base, 1 variant, 2 delta."""
        if key == "embodied":
            return self.embodied + side
        return FIRST_MODULE_COL + 3 * ELEMENT_KEYS.index(key) + side

    def span(self, col: int) -> str:
        """The column over every element row."""
        return self.sheet.span(self.first_row, self.last_row, col)


def write_elements(sheet: Sheet, c: Comparison, t: dict) -> ElementColumns:
    """One row per element pair (or lone element); deltas as formulas."""
    sheet.put(0, 0, t["Elements"], "title")
    sheet.note(1, 0, 12, t["every delta"])
    header = [
        t["change"],
        t["paired by"],
        t["global id base"],
        t["global id variant"],
        t["element"],
        t["what changed"],
        t["class base"],
        t["class variant"],
        t["storey base"],
        t["storey variant"],
        t["volume base"],
        t["volume variant"],
        t["change %"],
    ]
    for key in ELEMENT_KEYS:
        label = t[f"module {key}"]
        header += [f"{label}, {t['col base']}", f"{label}, {t['col variant']}", f"{label}, {t['col delta']}"]
    embodied = t["embodied elements"]
    header += [
        f"{embodied}, {t['col base']}",
        f"{embodied}, {t['col variant']}",
        f"{embodied}, {t['col delta']}",
    ]
    header_row, first = 3, 4
    sheet.row(header_row, header, "header")
    sheet.stream_from(first)  # some 35 cells a pair, tens of thousands of pairs on large variants
    rows = sorted(c.elements, key=_order)
    last = first + max(len(rows), 1) - 1
    columns = ElementColumns(sheet, first, last)
    for r, e in enumerate(rows, start=first):
        b, v = e.base, e.variant
        sheet.put(r, 0, t[f"change {e.change}"])
        sheet.put(r, 1, _paired(e, t))
        sheet.put(r, 2, e.base_global_id)
        sheet.put(r, 3, e.variant_global_id)
        sheet.put(r, 4, e.element_name)
        sheet.put(r, 5, what_changed(e, t), "wrap")
        sheet.put(r, 6, (b.ifc_class if b else None))
        sheet.put(r, 7, (v.ifc_class if v else None))
        sheet.put(r, 8, (b.storey or t["no storey"]) if b else None)
        sheet.put(r, 9, (v.storey or t["no storey"]) if v else None)
        sheet.put(r, 10, b.volume_m3 if b else None, "evidence")
        sheet.put(r, 11, v.volume_m3 if v else None, "evidence")
        base_cells, variant_cells = [], []
        for key in ELEMENT_KEYS:
            col = columns.module(key, 0)
            bv = getattr(b, f"{key}_kgco2e") if b else None
            vv = getattr(v, f"{key}_kgco2e") if v else None
            sheet.put(r, col, bv, "evidence")
            sheet.put(r, col + 1, vv, "evidence")
            base_cells.append(sheet.ref(r, col, local=True))
            variant_cells.append(sheet.ref(r, col + 1, local=True))
            if bv is not None or vv is not None:
                formula = f"={sheet.ref(r, col + 1, local=True)}-{sheet.ref(r, col, local=True)}"
                sheet.formula(r, col + 2, formula, (vv or 0.0) - (bv or 0.0), "number")
        base_total = sum(getattr(b, f"{k}_kgco2e") or 0.0 for k in ELEMENT_KEYS) if b else 0.0
        variant_total = sum(getattr(v, f"{k}_kgco2e") or 0.0 for k in ELEMENT_KEYS) if v else 0.0
        col = columns.embodied
        sheet.formula(r, col, f"=SUM({','.join(base_cells)})", base_total, "number")
        sheet.formula(r, col + 1, f"=SUM({','.join(variant_cells)})", variant_total, "number")
        sheet.formula(
            r,
            col + 2,
            f"={sheet.ref(r, col + 1, local=True)}-{sheet.ref(r, col, local=True)}",
            variant_total - base_total,
            "number",
        )
        share = (variant_total - base_total) / abs(base_total) if base_total else None
        d, base_cell = sheet.ref(r, col + 2, local=True), sheet.ref(r, col, local=True)
        sheet.formula(r, 12, f'=IF({base_cell}=0,"",{d}/ABS({base_cell}))', share, "pct")
    sheet.widths([11, 16, 24, 24, 28, 40, 18, 18, 16, 16, 12, 12, 12] + [13] * (3 * len(ELEMENT_KEYS) + 3))
    sheet.ws.freeze_panes(first, 5)
    sheet.ws.autofilter(header_row, 0, last, len(header) - 1)
    sheet.page(landscape=True, header_rows=header_row)
    return columns


def _order(e: ElementChange) -> tuple:
    """The largest change of the element-level total first; unchanged elements last."""
    return (e.change == "unchanged", -abs(e.delta_embodied_kgco2e or 0.0), e.global_id or "")


def _paired(e: ElementChange, t: dict) -> str | None:
    if e.paired_by is None:
        return None
    if e.paired_by == "position" and e.ambiguous:
        others = ", ".join(e.candidates) + (" ..." if e.candidate_count > len(e.candidates) else "")
        return f"{t['paired ambiguous']}: {others}"
    return t[f"paired {e.paired_by}"]


def what_changed(e: ElementChange, t: dict) -> str | None:
    """What changed in a pair, in words with its figures."""
    parts = []
    for change in e.changes:
        if change.what == "carbon":
            parts.append(t["carbon only"])
            continue
        label = t.get(f"field {change.field}", change.field)
        parts.append(
            f"{label}: {_shown(change.base, change.field, t)} → {_shown(change.variant, change.field, t)}"
        )
    return "; ".join(dict.fromkeys(parts)) or None


def _shown(value: object, field: str, t: dict) -> str:
    if value is None or value == []:
        return t["(none)"]
    if field == "position_m" and isinstance(value, list):
        return "(" + ", ".join(f"{v:,.3f}" for v in value) + ")"
    if field == "quantity_sources" and isinstance(value, list):
        return ", ".join(str(provenance(t, v)) for v in value)
    if isinstance(value, float):
        unit = {"volume_m3": " m³", "area_m2": " m²", "mass_kg": " kg"}.get(field, "")
        return f"{value:,.3f}{unit}"
    if field == "status":
        return t.get(f"status {value}", str(value))
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def write_overview(sheet: Sheet, c: Comparison, t: dict, columns: ElementColumns) -> str:
    """Sides, pairing, modules with their deltas and balance, floor area, verdicts, key metrics. Returns
    the cell of A1-A3's delta."""
    sheet.put(0, 0, f"{t['title']}: {c.base.model_name} → {c.variant.model_name}", "title")
    sheet.note(1, 0, 6, t["every delta"])
    if c.warnings:  # a reader of the deltas must not miss them: the Warnings sheet is the last
        sheet.note(2, 0, 6, t["read warnings"].format(n=len(c.warnings)), "alert")
    r = 3
    sheet.row(r, ["", t["source"], t["model"], "", t["version"]], "header")
    for side_key, side in (("base", c.base), ("variant", c.variant)):
        r += 1
        how = t["assessed now"] if side.assessed_now else t["read json"]
        sheet.row(r, [t[side_key], side.source, side.model_name, how, side.tool_version])
    r += 2
    sheet.put(r, 0, t["pairing"], "bold")
    p = c.pairing
    for key, value in (
        ("by global id", p.by_global_id),
        ("by position", p.by_position),
        ("ambiguous", p.ambiguous),
        ("changed count", p.changed),
        ("unchanged count", p.unchanged),
        ("added count", p.added),
        ("removed count", p.removed),
        ("tolerance", p.position_tolerance_m),
    ):
        r += 1
        sheet.put(r, 0, t[key])
        sheet.put(r, 1, value, "evidence" if key == "tolerance" else "integer")
        if key == "tolerance":
            sheet.note(r, 2, 6, t["data"](p.position_tolerance_source))
    r += 2
    sheet.put(r, 0, t["modules"], "bold")
    r += 1
    sheet.row(
        r,
        [
            t["module"],
            t["base"],
            t["variant"],
            t["delta"],
            t["elements delta"],
            t["building delta"],
            t["unexplained"],
        ],
        "header",
    )
    delta_cells: dict[str, str] = {}
    rows: dict[str, int] = {}
    for key in OVERVIEW_MODULES:
        r += 1
        rows[key] = r
        sheet.put(r, 0, t[f"module {key}"])
        sheet.put(r, 1, c.totals.base.get(key), "evidence")
        sheet.put(r, 2, c.totals.variant.get(key), "evidence")
        b, v = c.totals.base.get(key), c.totals.variant.get(key)
        if b is not None or v is not None:
            sheet.formula(
                r,
                3,
                f"={sheet.ref(r, 2, local=True)}-{sheet.ref(r, 1, local=True)}",
                (v or 0.0) - (b or 0.0),
                "number",
            )
        delta_cells[key] = sheet.ref(r, 3, local=True)
    for key in OVERVIEW_MODULES:
        r = rows[key]
        element_keys, building_keys = COMPOSITION[key]
        balance = next(x for x in c.balance if x.module == key)
        element_cols = [columns.module(k, 2) for k in element_keys if k != "biogenic"]
        if key == "biogenic_kgco2":
            value = sum(e.delta_biogenic_kgco2 or 0.0 for e in c.elements)
            sheet.put(r, 4, value, "evidence")  # the elements' biogenic carbon is not on the Elements sheet
        else:
            formula = "=" + ("+".join(f"SUM({columns.span(col)})" for col in element_cols) or "0")
            sheet.formula(r, 4, formula, _raw_elements(c, element_keys), "number")
        building = "+".join(f"N({delta_cells[k]})" for k in building_keys) or "0"
        building_value = sum(
            (c.totals.variant.get(k) or 0.0) - (c.totals.base.get(k) or 0.0) for k in building_keys
        )
        sheet.formula(r, 5, f"={building}", building_value, "number")
        d, e_, bl = (sheet.ref(r, col, local=True) for col in (3, 4, 5))
        total_delta = (c.totals.variant.get(key) or 0.0) - (c.totals.base.get(key) or 0.0)
        left = total_delta - _raw_elements(c, element_keys) - building_value
        if key == "biogenic_kgco2":
            left = balance.difference_kgco2e
        sheet.formula(r, 6, f"=N({d})-{e_}-{bl}", left, "number")
    a1_a3_delta = sheet.ref(rows["a1_a3"], 3)
    r += 1
    area = c.building_level.floor_area_m2
    sheet.put(r, 0, t["floor area row"])
    sheet.put(r, 1, area.base, "evidence")
    sheet.put(r, 2, area.variant, "evidence")
    if area.base is not None or area.variant is not None:
        sheet.formula(
            r,
            3,
            f"={sheet.ref(r, 2, local=True)}-{sheet.ref(r, 1, local=True)}",
            (area.variant or 0.0) - (area.base or 0.0),
            "number",
        )
    r += 2
    r = _write_verdicts(sheet, c, t, r)
    r += 1
    _write_metrics(sheet, c, t, r)
    sheet.widths([40, 16, 16, 16, 18, 18, 16])
    sheet.page()
    return a1_a3_delta


def _raw_elements(c: Comparison, keys: tuple[str, ...]) -> float:
    """The sum of the Elements sheet's delta columns of these modules, as its formulas give it."""
    total = 0.0
    for e in c.elements:
        for key in keys:
            if key == "biogenic":
                continue
            b = getattr(e.base, f"{key}_kgco2e") if e.base else None
            v = getattr(e.variant, f"{key}_kgco2e") if e.variant else None
            if b is not None or v is not None:
                total += (v or 0.0) - (b or 0.0)
    return total


def _write_verdicts(sheet: Sheet, c: Comparison, t: dict, r: int) -> int:
    sheet.put(r, 0, t["verdicts"], "bold")
    r += 1
    sheet.row(
        r,
        [
            t["tier"],
            t["base without"],
            t["variant without"],
            t["changed without"],
            t["base with"],
            t["variant with"],
            t["changed with"],
        ],
        "header",
    )
    yes, no = quoted(t["yes"]), quoted(t["no"])
    for tier in c.verdicts.tiers:
        r += 1
        name = tier.name_zh if t["lang"] == "zh" and tier.name_zh else tier.name_en
        sheet.put(r, 0, name)
        for col, verdict in (
            (1, tier.base_without),
            (2, tier.variant_without),
            (4, tier.base_with),
            (5, tier.variant_with),
        ):
            sheet.put(r, col, _verdict(verdict, t), "verdict")
        for col, changed in ((3, tier.changed_without), (6, tier.changed_with)):
            a, b = sheet.ref(r, col - 2, local=True), sheet.ref(r, col - 1, local=True)
            sheet.formula(r, col, f"=IF({a}={b},{no},{yes})", t["yes"] if changed else t["no"], "verdict")
    r += 1
    reached = c.verdicts.reached
    sheet.put(r, 0, t["reached"], "bold")
    for col, (side, mode) in (
        (1, ("base", "without")),
        (2, ("variant", "without")),
        (4, ("base", "with")),
        (5, ("variant", "with")),
    ):
        row = reached[side][mode]
        if row["tier"]:
            shown = row.get("name_zh") if t["lang"] == "zh" and row.get("name_zh") else row.get("name_en")
        else:
            shown = t["not assessable"] if row.get("not_assessable") else t["none"]
        sheet.put(r, col, shown, "verdict")
    for mode, label in (("without_embodied", "tier changes without"), ("with_embodied", "tier changes with")):
        r += 1
        changed = [x for x in c.verdicts.tiers if x.tier in c.verdicts.changed[mode]]
        key = "without" if mode == "without_embodied" else "with"
        lines = [
            f"{x.name_zh if t['lang'] == 'zh' and x.name_zh else x.name_en}: "
            f"{_verdict(getattr(x, 'base_' + key), t)} → {_verdict(getattr(x, 'variant_' + key), t)}"
            for x in changed
        ]
        sheet.put(r, 0, t[label])
        sheet.note(r, 1, 6, "; ".join(lines) or t["no tier changes"])
    for side in ("base", "variant"):
        note = c.verdicts.notes.get(side)
        if note:
            r += 1
            sheet.put(r, 0, f"{t['gate notes']}: {t[side]}")
            sheet.note(r, 1, 6, text_in(t, note), "alert")
    return r + 1


def _verdict(verdict: str | None, t: dict) -> str | None:
    return None if verdict is None else t.get(verdict, verdict)


def _write_metrics(sheet: Sheet, c: Comparison, t: dict, r: int) -> None:
    sheet.put(r, 0, t["key metrics"], "bold")
    r += 1
    sheet.row(r, [t["metric"], t["base"], t["variant"], t["delta"]], "header")
    for m in c.metrics:
        r += 1
        label = data_label(t, "metric", m.key)
        if m.mode:
            label += f" ({t['with embodied'] if m.mode == 'with' else t['without embodied']})"
        style = "evidence_pct" if m.share else "evidence"
        sheet.put(r, 0, label)
        sheet.put(r, 1, m.base, style)
        sheet.put(r, 2, m.variant, style)
        if m.base is not None or m.variant is not None:
            sheet.formula(
                r,
                3,
                f"={sheet.ref(r, 2, local=True)}-{sheet.ref(r, 1, local=True)}",
                (m.variant or 0.0) - (m.base or 0.0),
                "pct" if m.share else "number",
            )


def write_materials(sheet: Sheet, c: Comparison, t: dict, a1_a3_delta: str) -> None:
    """A1-A3 by material as each assessment gives it, with a check against the Overview's A1-A3 delta."""
    sheet.put(0, 0, t["By material"], "title")
    sheet.note(1, 0, 5, t["materials intro"])
    sheet.row(
        3,
        [
            t["group material"],
            t["elements base"],
            t["elements variant"],
            t["a1a3 base"],
            t["a1a3 variant"],
            t["a1a3 delta"],
        ],
        "header",
    )
    first = r = 4
    for g in c.by_material:
        name = t["no material"] if g.key == "(no material)" else g.key
        sheet.put(r, 0, name)
        sheet.put(r, 1, g.elements_base, "integer")
        sheet.put(r, 2, g.elements_variant, "integer")
        b, v = g.base.get("a1_a3"), g.variant.get("a1_a3")
        sheet.put(r, 3, b, "evidence")
        sheet.put(r, 4, v, "evidence")
        sheet.formula(
            r,
            5,
            f"={sheet.ref(r, 4, local=True)}-{sheet.ref(r, 3, local=True)}",
            (v or 0.0) - (b or 0.0),
            "number",
        )
        r += 1
    last = max(r - 1, first)
    total = sum((g.variant.get("a1_a3") or 0.0) - (g.base.get("a1_a3") or 0.0) for g in c.by_material)
    sheet.put(r, 0, t["total"], "bold")
    for col in (3, 4, 5):
        values = [(g.base if col == 3 else g.variant).get("a1_a3") or 0.0 for g in c.by_material]
        value = total if col == 5 else sum(values)
        sheet.formula(r, col, f"=SUM({sheet.span(first, last, col)})", value, "total")
    r += 1
    overview = (c.totals.variant.get("a1_a3") or 0.0) - (c.totals.base.get("a1_a3") or 0.0)
    sheet.put(r, 0, t["check overview"])
    sheet.formula(r, 5, f"={a1_a3_delta}", overview, "number")
    r += 1
    sheet.put(r, 0, t["check difference"])
    sheet.formula(
        r,
        5,
        f"={sheet.ref(r - 2, 5, local=True)}-{sheet.ref(r - 1, 5, local=True)}",
        total - overview,
        "number",
    )
    sheet.widths([34, 14, 14, 18, 18, 18])
    sheet.page(header_rows=3)


def write_group(
    sheet: Sheet, c: Comparison, t: dict, columns: ElementColumns, kind: str, heading: str
) -> None:
    """Sums over the Elements sheet by IFC class or storey, per side (exact matches of the names)."""
    groups = c.by_class if kind == "class" else c.by_storey
    base_col = columns.class_base if kind == "class" else columns.storey_base
    variant_col = columns.class_variant if kind == "class" else columns.storey_variant
    empty = "(no class)" if kind == "class" else "(no storey)"
    sheet.put(0, 0, t["By class" if kind == "class" else "By storey"], "title")
    sheet.note(1, 0, 8, t["groups intro"])
    sheet.row(
        3,
        [
            heading,
            t["elements base"],
            t["elements variant"],
            t["embodied base"],
            t["embodied variant"],
            t["embodied delta"],
            t["a1a3 base"],
            t["a1a3 variant"],
            t["a1a3 delta"],
        ],
        "header",
    )
    first = r = 4
    for g in groups:
        key = t["no class" if kind == "class" else "no storey"] if g.key == empty else g.key
        sheet.put(r, 0, key)
        name = sheet.ref(r, 0, local=True)

        def exact(col: int, sum_col: int | None = None, name: str = name) -> str:
            matches = f"EXACT({columns.span(col)},{name})"
            return (
                f"=SUMPRODUCT(--{matches})"
                if sum_col is None
                else f"=SUMPRODUCT({matches}*{columns.span(sum_col)})"
            )

        sheet.formula(r, 1, exact(base_col), g.elements_base, "integer")
        sheet.formula(r, 2, exact(variant_col), g.elements_variant, "integer")
        for col, module in ((3, "embodied"), (6, "a1_a3")):
            b, v = g.base.get(module), g.variant.get(module)
            sheet.formula(r, col, exact(base_col, columns.module(module, 0)), b or 0.0, "number")
            sheet.formula(r, col + 1, exact(variant_col, columns.module(module, 1)), v or 0.0, "number")
            d = f"={sheet.ref(r, col + 1, local=True)}-{sheet.ref(r, col, local=True)}"
            sheet.formula(r, col + 2, d, (v or 0.0) - (b or 0.0), "number")
        r += 1
    last = max(r - 1, first)
    sheet.put(r, 0, t["total"], "bold")
    for col in range(1, 9):
        value = 0.0
        for g in groups:
            module = "embodied" if col in (3, 4, 5) else "a1_a3"
            side = (col - 3) % 3 if col >= 3 else None
            if col == 1:
                value += g.elements_base
            elif col == 2:
                value += g.elements_variant
            elif side == 0:
                value += g.base.get(module) or 0.0
            elif side == 1:
                value += g.variant.get(module) or 0.0
            else:
                value += (g.variant.get(module) or 0.0) - (g.base.get(module) or 0.0)
        sheet.formula(r, col, f"=SUM({sheet.span(first, last, col)})", value, "total")
    sheet.widths([34, 12, 12, 18, 18, 18, 18, 18, 18])
    sheet.page(landscape=True, header_rows=3)


def write_inputs(sheet: Sheet, c: Comparison, t: dict) -> None:
    """What went into each side, the inputs that changed first."""
    sheet.put(0, 0, t["Inputs"], "title")
    sheet.row(2, [t["input"], t["key"], t["base"], t["variant"], t["changed"]], "header")
    r = 3
    for row in sorted(c.inputs, key=lambda x: not x.changed):
        sheet.put(r, 0, t.get(f"what {row.what}", row.what))
        sheet.put(r, 1, t.get(f"key {row.key}", row.key) if row.key else None)
        sheet.put(r, 2, input_value(t, row.what, row.base), "wrap")
        sheet.put(r, 3, input_value(t, row.what, row.variant), "wrap")
        sheet.put(r, 4, t["yes"] if row.changed else t["no"], "alert" if row.changed else None)
        r += 1
    sheet.widths([24, 30, 40, 40, 10])
    sheet.page(header_rows=2)


def write_warnings(sheet: Sheet, c: Comparison, t: dict) -> None:
    """Every warning of the comparison, in the workbook's language."""
    sheet.put(0, 0, t["Warnings"], "title")
    sheet.note(1, 0, 3, t["warnings intro"])
    lines = c.warnings or [t["no warnings"]]
    for r, line in enumerate(lines, start=3):
        shown = line if not c.warnings else text_in(t, line)
        sheet.note(r, 0, 3, shown, "alert" if "IMPLAUSIBLE" in line else "wrap")
    sheet.widths([40, 40, 40, 20])
    sheet.page()
