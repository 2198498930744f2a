"""The Embodied by building and Embodied by material sheets: each building's modules as marked inputs
(from its assessment) and the park's totals as formulas over them, so a reader traces every building's
figure to the park's total."""

from __future__ import annotations

from dataclasses import dataclass, field

from bimcarbon.park.run import ParkAssessment
from bimcarbon.report.workbook.book import Book, Sheet, quoted

#: Modules of a building's ``embodied`` shown per building: (key, label, may be None).
MODULES = (
    ("a1_a3", "A1-A3", False),
    ("a4", "A4", True),
    ("a5", "A5", True),
    ("b4", "B4", True),
    ("c1_c4", "C1-C4", True),
)

#: Defined names of the park's totals (kgCO2e), by key of ``totals.embodied``.
TOTAL_NAMES = {
    "a1_a3": "ParkEmb_A1A3",
    "a4": "ParkEmb_A4",
    "a5": "ParkEmb_A5",
    "b4": "ParkEmb_B4",
    "c1_c4": "ParkEmb_C1C4",
    "upfront_a1_a5": "ParkEmb_Upfront",
    "embodied_total": "ParkEmb_Total",
}


@dataclass
class EmbodiedCells:
    """Where each assessed building's embodied figures are (by building name)."""

    a1_a3: dict[str, str] = field(default_factory=dict)
    upfront: dict[str, str] = field(default_factory=dict)
    total: dict[str, str] = field(default_factory=dict)


def column_total(rows: range, sheet: Sheet, col: int, may_be_blank: bool) -> str:
    """The park's total of a column of building rows: a SUM, or blank when a building left it blank (a
    module one building did not assess has no park total, never a partial sum)."""
    if not rows:
        return "=0"
    span = sheet.span(rows.start, rows.stop - 1, col)
    if may_be_blank:
        return f'=IF(COUNTBLANK({span})>0,"",SUM({span}))'
    return f"=SUM({span})"


def write_embodied(book: Book, sheet: Sheet, park: ParkAssessment, t: dict, text) -> EmbodiedCells:
    """Fill the Embodied by building sheet; defines the ParkEmb_* names and ParkAnnualised."""
    cells = EmbodiedCells()
    done = [b for b in park.buildings if b.assessment is not None]
    sheet.put(0, 0, f"{t['Embodied by building']} ({t['kgco2e']})", "title")
    sheet.note(1, 0, 9, t["embodied intro"])
    header = [
        t["building"],
        *[label for _, label, _ in MODULES],
        t["upfront"],
        t["embodied total"],
        t["life"],
        t["annualised"],
    ]
    sheet.row(3, header, "header")
    first = 4
    rows = range(first, first + len(done))
    for r, b in zip(rows, done, strict=True):
        e = b.assessment["embodied"]
        sheet.put(r, 0, b.name)
        for col, (key, _, _) in enumerate(MODULES, start=1):
            sheet.put(r, col, e.get(key), "input")
        a1a3, a4, a5, b4, c1c4 = (sheet.ref(r, col, local=True) for col in range(1, 6))
        sheet.formula(r, 6, f"={a1a3}+N({a4})+N({a5})", e["upfront_a1_a5"], "number")
        upfront = sheet.ref(r, 6, local=True)
        sheet.formula(r, 7, f"={upfront}+N({b4})+N({c1c4})", e["embodied_total"], "number")
        life = b.assessment["design_life_years"]
        sheet.put(r, 8, life, "input")
        sheet.formula(r, 9, f"={upfront}/{sheet.ref(r, 8, local=True)}", e["upfront_a1_a5"] / life, "number")
        cells.a1_a3[b.name] = sheet.ref(r, 1)
        cells.upfront[b.name] = sheet.ref(r, 6)
        cells.total[b.name] = sheet.ref(r, 7)
    r = first + len(done)
    totals = park.totals.embodied
    sheet.put(r, 0, t["park total"], "bold")
    for col, (key, _, may_be_blank) in enumerate(MODULES, start=1):
        sheet.formula(r, col, column_total(rows, sheet, col, may_be_blank), getattr(totals, key), "total")
        book.name(TOTAL_NAMES[key], sheet.ref(r, col))
    sheet.formula(r, 6, column_total(rows, sheet, 6, False), totals.upfront_a1_a5, "total")
    book.name(TOTAL_NAMES["upfront_a1_a5"], sheet.ref(r, 6))
    sheet.formula(r, 7, column_total(rows, sheet, 7, False), totals.embodied_total, "total")
    book.name(TOTAL_NAMES["embodied_total"], sheet.ref(r, 7))
    sheet.formula(
        r, 9, column_total(rows, sheet, 9, False), park.totals.annualised_embodied_kgco2e_per_year, "total"
    )
    book.name("ParkAnnualised", sheet.ref(r, 9))
    r += 1
    for note in totals.notes:
        r += 1
        sheet.note(r, 0, 9, text.line(note))
    failed = [b for b in park.buildings if b.assessment is None]
    if failed:
        r += 2
        sheet.put(r, 0, t["failed buildings"], "bold")
        r += 1
        sheet.row(r, [t["building"], t["failure reason"]], "header")
        for b in failed:
            r += 1
            sheet.put(r, 0, b.name, "alert")
            sheet.note(r, 1, 9, text.reason(b.error))
    sheet.widths([28, 14, 12, 12, 12, 12, 14, 16, 10, 14])
    sheet.ws.freeze_panes(4, 1)
    sheet.page(landscape=True, header_rows=3)
    return cells


def write_materials(sheet: Sheet, park: ParkAssessment, t: dict) -> None:
    """Fill the Embodied by material sheet: A1-A3 by material over the park, each total a formula over the
    buildings' own rows (exact text match: two names that differ only in case stay two materials)."""
    done = [b for b in park.buildings if b.assessment is not None]
    detail = [
        (b.name, t["(no material)"] if m["material"] == "(no material)" else m["material"], m["a1_a3_kgco2e"])
        for b in done
        for m in b.assessment["by_material"]
    ]
    totals: dict[str, float] = {}
    where: dict[str, list[str]] = {}
    for name, material, kg in detail:
        totals[material] = totals.get(material, 0.0) + kg
        where.setdefault(material, [])
        if name not in where[material]:
            where[material].append(name)
    order = sorted(totals, key=lambda m: (-totals[m], m))
    sheet.put(0, 0, t["Embodied by material"], "title")
    sheet.note(1, 0, 3, t["material intro"])
    sheet.row(3, [t["material"], "A1-A3 " + t["kgco2e"], t["share of a1a3"], t["appears in"]], "header")
    # the buildings' rows start below the summary, its two check rows and a gap
    detail_header = 4 + len(order) + 4
    detail_first = detail_header + 1
    materials = sheet.span(detail_first, detail_first + len(detail) - 1, 1)
    values = sheet.span(detail_first, detail_first + len(detail) - 1, 2)
    a1a3 = park.totals.embodied.a1_a3
    for r, material in enumerate(order, start=4):
        sheet.put(r, 0, material)
        here = sheet.ref(r, 0, local=True)
        sheet.formula(r, 1, f"=SUMPRODUCT(EXACT({materials},{here})*{values})", totals[material], "number")
        sheet.formula(
            r,
            2,
            f"=IF(ParkEmb_A1A3>0,{sheet.ref(r, 1, local=True)}/ParkEmb_A1A3,{quoted('')})",
            totals[material] / a1a3 if a1a3 else None,
            "pct",
        )
        sheet.put(r, 3, ", ".join(where[material]), "wrap")
    r = 4 + len(order)
    sheet.put(r, 0, t["sum of materials"], "bold")
    summed = f"=SUM({sheet.span(4, r - 1, 1)})" if order else "=0"
    sheet.formula(r, 1, summed, sum(totals.values()), "total")
    sheet.put(r + 1, 0, t["park a1a3"], "bold")
    sheet.formula(r + 1, 1, "=ParkEmb_A1A3", a1a3, "total")
    sheet.put(detail_header - 1, 0, t["by building and material"], "bold")
    sheet.row(detail_header, [t["building"], t["material"], "A1-A3 " + t["kgco2e"]], "header")
    for r, (name, material, kg) in enumerate(detail, start=detail_first):
        sheet.row(r, [name, material])
        sheet.put(r, 2, kg, "input")
    sheet.widths([34, 34, 16, 40])
    sheet.ws.set_column(0, 0, 34)
    sheet.page(header_rows=3)
