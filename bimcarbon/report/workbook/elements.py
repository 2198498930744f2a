"""The Elements sheet: one row per (take-off row, factor), each module a formula over the row's shown
inputs (quantity, mass), the factor's value on the Factors sheet and the per-category inputs."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from xlsxwriter.utility import xl_col_to_name

from bimcarbon.assess import AssessmentRun
from bimcarbon.report.workbook.book import Sheet
from bimcarbon.report.workbook.inputs import CategoryTable
from bimcarbon.report.workbook.labels import data_label, provenance

#: (key, label key, width) of the Elements columns, in order.
COLUMNS = [
    ("global_id", "global id", 24),
    ("ifc_class", "ifc class", 18),
    ("element_name", "element name", 28),
    ("storey", "storey", 14),
    ("material", "material", 28),
    ("factor_id", "factor id", 20),
    ("category", "category", 13),
    ("quantity", "quantity", 12),
    ("declared_unit", "unit", 7),
    ("value", "factor value", 12),
    ("a1_a3", "a1a3", 13),
    ("mass_kg", "mass", 12),
    ("distance_km", "distance", 10),
    ("a4", "a4", 11),
    ("wastage_share", "wastage share", 10),
    ("a5_wastage", "a5 wastage", 11),
    ("service_life", "service life", 10),
    ("replacements", "replacements", 10),
    ("b4", "b4", 11),
    ("c2", "c2", 11),
    ("c3_c4_per_t", "c3c4 per t", 11),
    ("c3_c4", "c3c4", 11),
    ("conversion", "conversion", 26),
    ("quantity_source", "quantity source", 26),
    ("rule_id", "rule", 22),
    ("assumed", "assumed", 9),
    ("density_kg_per_m3", "density", 10),
    ("density_source", "density source", 22),
    ("reason", "reason", 28),
    ("use_note", "note", 40),
]
INDEX = {key: i for i, (key, _, _) in enumerate(COLUMNS)}
#: Column letters by key: a row's formulas name its own cells as letter + row number.
LETTER = {key: xl_col_to_name(i) for key, i in INDEX.items()}
#: Columns written as they are in the components table.
TEXT_KEYS = ("global_id", "ifc_class", "element_name", "factor_id", "declared_unit", "conversion",
             "quantity_source", "rule_id", "density_source", "reason", "use_note")  # fmt: skip


@dataclass
class ElementRanges:
    """Absolute ranges of the Elements columns the other sheets sum."""

    first_row: int
    last_row: int
    sheet: Sheet

    def column(self, key: str) -> str:
        """The range of column ``key`` over every element row."""
        return self.sheet.span(self.first_row, self.last_row, INDEX[key])


def named(value: object, t: dict) -> object:
    """A material or storey name, or "(none)" in the workbook's language."""
    return value if isinstance(value, str) and value else t["(none)"]


#: Stands for the row number in the formula templates (never in a formula).
_ROW = "\0"


def _cell(key: str) -> str:
    """A relative reference to column ``key`` of the templates' row (``H`` + the row number)."""
    return f"{LETTER[key]}{_ROW}"


def _formulas(categories: CategoryTable, factor_ids: str, factor_values: str) -> dict[str, str]:
    """The formulas of an element row, by column key, with :data:`_ROW` for the row's number: built
    once, then each row's are these with its number put in (the same text on 10,000s of rows)."""
    q, value, a1a3, mass = _cell("quantity"), _cell("value"), _cell("a1_a3"), _cell("mass_kg")
    life = _cell("service_life")

    def lookup(values: str) -> str:
        return f"INDEX({values},MATCH({_cell('category')},{categories.categories},0))"

    return {
        "mass_kg": f'=IF({q}="","",{q})',  # a factor per kg
        "mass_kg_t": f'=IF({q}="","",{q}*1000)',  # a factor per t
        "mass_kg_m3": f'=IF({q}="","",{q}*{_cell("density_kg_per_m3")})',  # per m3, by the row's density
        "value": f"=INDEX({factor_values},MATCH({_cell('factor_id')},{factor_ids},0))",
        "a1_a3": f'=IF({q}="","",{q}*{value})',
        "distance_km": f"={lookup(categories.distance_km)}",
        "a4": f'=IF({mass}="","",{mass}/1000*{_cell("distance_km")}*A4Vehicle)',
        "wastage_share": f"={lookup(categories.wastage_share)}",
        "a5_wastage": f'=IF({a1a3}="","",{_cell("wastage_share")}*({a1a3}+N({_cell("a4")})))',
        "service_life": f"={lookup(categories.service_life_years)}",
        "replacements": f"=IF(OR({life}<=0,{life}>=DesignLife),0,ROUNDUP(DesignLife/{life}-1E-9,0)-1)",
        "b4": f'=IF({a1a3}="","",{_cell("replacements")}*({a1a3}+N({_cell("a4")})))',
        "c2": f'=IF({mass}="","",{mass}/1000*C2Distance*C2Vehicle)',
        "c3_c4_per_t": f"={lookup(categories.c3_c4_per_t)}",
        "c3_c4": f'=IF({mass}="","",{mass}/1000*{_cell("c3_c4_per_t")})',
    }


def write_elements(
    sheet: Sheet, run: AssessmentRun, t: dict, categories: CategoryTable, factor_ids: str, factor_values: str
) -> ElementRanges:
    """Fill the Elements sheet; returns the ranges the module totals sum."""
    components = run.components.merge(
        run.takeoff[["ifc_class", "element_name", "storey", "quantity_source"]],
        left_on="row",
        right_index=True,
        how="left",
    )
    eol = run.lifecycle.end_of_life
    sheet.row(0, [t[label] for _, label, _ in COLUMNS], "header")
    sheet.widths([width for _, _, width in COLUMNS])
    sheet.stream_from(1)  # 30 cells a row, tens of thousands of rows on a large model
    yes, no = t["yes"], t["no"]
    templates = _formulas(categories, factor_ids, factor_values)
    first = 1
    for i, c in enumerate(components.itertuples(index=False)):
        r = first + i
        number = str(r + 1)

        def formula(key: str, value: object, style: str, template: str = "", row: int = r, n: str = number):
            sheet.formula(row, INDEX[key], templates[template or key].replace(_ROW, n), value, style)

        for key in TEXT_KEYS:
            value = getattr(c, key, None)
            if key in ("reason", "use_note"):
                value = t["data"](value)
            elif key in ("conversion", "quantity_source", "density_source"):
                value = provenance(t, value)
            sheet.put(r, INDEX[key], value, "wrap" if key in ("reason", "use_note") else None)
        sheet.put(r, INDEX["category"], data_label(t, "category", str(c.category)))  # as on the Inputs sheet
        for key in ("storey", "material"):  # summed by name on the Embodied sheet: never blank
            sheet.put(r, INDEX[key], named(getattr(c, key, None), t))
        sheet.put(r, INDEX["assumed"], yes if bool(getattr(c, "assumed", False)) else no)
        sheet.put(r, INDEX["quantity"], c.quantity, "input")
        # the mass follows the quantity where it was computed from it: a factor per kg or t is a mass;
        # a factor per m3 weighed by a density shown on the row; otherwise (an exported weight, or no
        # mass: windows per m2) it is an input of its own
        unit, density = c.declared_unit, c.density_kg_per_m3
        if unit in ("kg", "t") and pd.notna(c.quantity):
            formula("mass_kg", c.mass_kg, "number", "mass_kg_t" if unit == "t" else "mass_kg")
            sheet.put(r, INDEX["density_kg_per_m3"], density, "integer")
        elif unit == "m3" and pd.notna(density) and pd.notna(c.quantity) and pd.notna(c.mass_kg):
            formula("mass_kg", c.mass_kg, "number", "mass_kg_m3")
            sheet.put(r, INDEX["density_kg_per_m3"], density, "input")
        else:
            sheet.put(r, INDEX["mass_kg"], c.mass_kg, "input")
            sheet.put(r, INDEX["density_kg_per_m3"], density, "integer")
        formula("value", c.value_kgco2e_per_unit, "number")
        formula("a1_a3", c.kgco2e, "number")
        formula("distance_km", c.distance_km, "integer")
        formula("a4", c.a4_kgco2e, "number")
        formula("wastage_share", c.wastage_share, "pct")
        formula("a5_wastage", c.a5_wastage_kgco2e, "number")
        formula("service_life", c.service_life_years if pd.notna(c.service_life_years) else 0, "integer")
        formula("replacements", c.replacements, "integer")
        formula("b4", c.b4_kgco2e, "number")
        formula("c2", c.c2_kgco2e, "number")
        formula("c3_c4_per_t", eol.c3_c4_per_t(str(c.category))[0], "number")
        formula("c3_c4", c.c3_c4_kgco2e, "number")
    last = first + max(len(components), 1) - 1
    sheet.ws.freeze_panes(1, 1)
    sheet.ws.autofilter(0, 0, last, len(COLUMNS) - 1)
    sheet.page(landscape=True, header_rows=0)
    sheet.ws.fit_to_pages(2, 0)  # 30 columns: two pages wide stay readable
    return ElementRanges(first, last, sheet)
