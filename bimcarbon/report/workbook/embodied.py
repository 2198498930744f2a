"""The Embodied sheet: module totals as SUMs of the Elements columns plus the building-level inputs
(A5 site activity, C1 per m2), the GB/T 51366 stages beside the EN 15978 modules, and A1-A3 by
material, IFC class and storey as SUMIF formulas."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from bimcarbon.assess import AssessmentRun
from bimcarbon.report.workbook.book import Book, Sheet
from bimcarbon.report.workbook.elements import ElementRanges, named
from bimcarbon.report.workbook.labels import data_label, stage_label

#: The GB/T 51366 stages as formulas over the module totals and the operational sheet.
STAGE_FORMULAS = {
    "materials": "=Emb_A1A3+Emb_A4",
    "construction_demolition": "=Emb_A5+Emb_C1C4",
    "operation": '=IF(GrossB6="","",GrossB6*DesignLife)',
}


def a5_method(e, t: dict) -> str:
    """How A5 was found, in the workbook's language."""
    site = t["method a5 construction"] if e.a5_source.startswith("construction energy") else t["method a5s"]
    return f"{t['method a5w']} + {site}" if e.a5_site is not None else t["method a5w"]


@dataclass
class ModuleCells:
    """Where the module totals are (names defined on the workbook)."""

    rows: dict[str, int]
    sheet: Sheet


def write_embodied(book: Book, sheet: Sheet, run: AssessmentRun, t: dict, el: ElementRanges) -> ModuleCells:
    """Fill the Embodied sheet; defines the names Emb_A1A3, Emb_A4, Emb_A5, Emb_B4, Emb_C1C4,
    Emb_Upfront and Emb_Total (and the parts of A5 and C1-C4)."""
    e = run.assessment.embodied
    construction = e.a5_source.startswith("construction energy")
    sheet.put(0, 0, t["Embodied"], "title")
    sheet.row(2, [t["module"], t["kgco2e"], t["method"]], "header")
    site = (
        ('=IF(A5Construction="","",A5Construction)', e.a5_site)
        if construction
        else ('=IF(FloorArea="","",A5SiteRate*FloorArea)', e.a5_site)
    )
    rows = [
        ("Emb_A1A3", "A1-A3", f"=SUM({el.column('a1_a3')})", e.a1_a3, t["method a1a3"]),
        ("Emb_A4", "A4", f"=SUM({el.column('a4')})", e.a4, t["method a4"]),
        ("Emb_A5Wastage", t["a5 wastage label"], f"=SUM({el.column('a5_wastage')})", e.a5_wastage,
         t["method a5w"]),
        ("Emb_A5Site", t["a5 site label"], site[0], site[1],
         t["method a5 construction"] if construction else t["method a5s"]),
        ("Emb_A5", "A5", "=Emb_A5Wastage+N(Emb_A5Site)", e.a5, a5_method(e, t)),
        ("Emb_B4", "B4", f"=SUM({el.column('b4')})", e.b4, t["method b4"]),
        ("Emb_C1", "C1", '=IF(FloorArea="","",C1Rate*FloorArea)', e.c1, t["method c1"]),
        ("Emb_C2", "C2", f"=SUM({el.column('c2')})", e.c2, t["method c2"]),
        ("Emb_C3C4", "C3-C4", f"=SUM({el.column('c3_c4')})", e.c3_c4, t["method c3c4"]),
        ("Emb_C1C4", "C1-C4", "=N(Emb_C1)+Emb_C2+Emb_C3C4", e.c1_c4, t["method c1c4"]),
        ("Emb_Upfront", t["upfront"], "=Emb_A1A3+Emb_A4+Emb_A5", e.upfront_a1_a5, "A1-A3 + A4 + A5"),
        ("Emb_Total", t["embodied total"], "=Emb_Upfront+Emb_B4+Emb_C1C4", e.embodied_total,
         "A1-A5 + B4 + C1-C4"),
    ]  # fmt: skip
    positions: dict[str, int] = {}
    for offset, (name, label, formula, value, method) in enumerate(rows):
        r = 3 + offset
        style = "total" if name in ("Emb_Upfront", "Emb_Total") else "number"
        sheet.put(r, 0, label, "bold" if style == "total" else None)
        sheet.formula(r, 1, formula, value, style)
        sheet.put(r, 2, method, "wrap")
        book.name(name, sheet.ref(r, 1))
        positions[name] = r
    r = 3 + len(rows) + 1
    sheet.put(r, 0, t["biogenic"])
    sheet.put(r, 1, e.biogenic_kgco2, "evidence")  # mass x biogenic carbon content, at assessment
    # GB/T 51366 stages
    r += 2
    sheet.row(r, [t["stage"], t["kgco2e"], t["modules"]], "header")
    for offset, stage in enumerate(run.assessment.stages):
        row = r + 1 + offset
        sheet.put(row, 0, stage_label(t, stage))
        sheet.formula(row, 1, STAGE_FORMULAS[stage.id], stage.kgco2e, "number")
        sheet.put(row, 2, data_label(t, "modules", stage.modules))
    r += len(run.assessment.stages) + 2
    sheet.put(r, 0, t["b4 outside"], "wrap")
    r += 2
    # A1-A3 by material, class, storey: SUMIF over the Elements sheet
    components = run.components.merge(run.takeoff[["ifc_class", "storey"]], left_on="row", right_index=True)
    a1a3 = pd.to_numeric(components["kgco2e"], errors="coerce")
    for key, label in (("material", t["material"]), ("ifc_class", t["ifc class"]), ("storey", t["storey"])):
        names = components[key].map(lambda v: named(v, t))
        totals = a1a3.groupby(names).sum(min_count=1).dropna().sort_values(ascending=False)
        sheet.row(r, [label, "A1-A3 " + t["kgco2e"], t["note"] if key == "material" else ""], "header")
        notes = _material_notes(components, t) if key == "material" else {}
        for offset, (name, value) in enumerate(totals.items()):
            row = r + 1 + offset
            sheet.put(row, 0, name)
            sheet.formula(
                row, 1, f"=SUMIF({el.column(key)},{sheet.ref(row, 0, absolute=False, local=True)},"
                f"{el.column('a1_a3')})", value, "number",
            )  # fmt: skip
            if notes.get(name):
                sheet.put(row, 2, notes[name], "wrap")
        if key == "material" and len(totals):
            chart = book.wb.add_chart({"type": "bar"})
            top = min(len(totals), 12)
            chart.add_series(
                {
                    "categories": [sheet.name, r + 1, 0, r + top, 0],
                    "values": [sheet.name, r + 1, 1, r + top, 1],
                }
            )
            chart.set_title({"name": t["chart materials"]})
            chart.set_legend({"none": True})
            chart.set_y_axis({"reverse": True})
            sheet.ws.insert_chart(r, 4, chart, {"x_scale": 1.2, "y_scale": 1.2})
        r += len(totals) + 3
    sheet.widths([40, 16, 70])
    sheet.page()
    return ModuleCells(positions, sheet)


def _material_notes(components: pd.DataFrame, t: dict) -> dict[str, str]:
    """Per material: its components' notes (proxy reasons, derived factors, defaults to check), each once."""
    noted = components[components["use_note"].notna()]
    notes: dict[str, str] = {}
    for material, group in noted.groupby(noted["material"].map(lambda v: named(v, t)), sort=False):
        lines = dict.fromkeys(
            f"{f}: {t['data'](n)}" for f, n in zip(group["factor_id"], group["use_note"], strict=True)
        )
        notes[str(material)] = "; ".join(lines)
    return notes
