"""The calculation report (建筑碳排放计算书) in the order of GB/T 51366-2019: project overview, then the
materials production and transport stage (bill of materials with mass, the 95 % mass check, transport
per material), the construction and demolition stage, the operation stage, and the stage totals beside
the EN 15978 modules. Every figure is a formula over the other sheets or a marked input."""

from __future__ import annotations

from bimcarbon.assess import AssessmentRun
from bimcarbon.report.workbook.book import Book, Sheet, quoted
from bimcarbon.report.workbook.elements import ElementRanges
from bimcarbon.report.workbook.embodied import STAGE_FORMULAS
from bimcarbon.report.workbook.floor_area_zh import floor_area_source
from bimcarbon.report.workbook.inputs import CategoryTable
from bimcarbon.report.workbook.labels import data_label, grid_label, name_in, stage_label
from bimcarbon.report.workbook.notes import completeness_note, operational_note


def write_report(
    book: Book, sheet: Sheet, run: AssessmentRun, t: dict, el: ElementRanges, categories: CategoryTable
) -> None:
    """Fill the calculation-report sheet."""
    a = run.assessment
    energy = run.energy
    sheet.put(0, 0, t["report title"], "title")
    r = 2
    # 1 project overview
    sheet.note(r, 0, 5, t["report overview"], "header")
    storeys = run.takeoff["storey"].dropna().nunique()
    building, climate = t["not given"], t["not given"]
    if energy:
        building = (
            f"{data_label(t, 'building', energy.building_type)} {data_label(t, 'subtype', energy.subtype)}"
        )
        climate = data_label(t, "climate", energy.climate_zone) if energy.climate_zone else climate
    overview = [
        (t["project"], energy.project if energy and energy.project else t["not given"]),
        (t["location"], energy.location if energy and energy.location else t["not given"]),
        (t["model"], a.model_name),
        (t["building type"], building.strip()),
        (t["climate zone"], climate),
        (t["grid region"], grid_label(t, a.operational.grid_factor_id) if a.operational else t["not given"]),
        (t["storeys"], storeys),
        (t["floor area"], None),
        (t["design life"], None),
        (t["standards"], t["standards applied"] + f"; {t['data'](a.criteria_pack)}"),
    ]
    for label, value in overview:
        r += 1
        sheet.put(r, 0, label)
        if label == t["floor area"]:
            sheet.formula(r, 1, '=IF(FloorArea="","",FloorArea)', a.floor_area.value_m2, "number")
            sheet.note(r, 2, 5, floor_area_source(t, a.floor_area.source))
        elif label == t["design life"]:
            sheet.formula(r, 1, "=DesignLife", a.design_life_years, "integer")
            sheet.note(r, 2, 5, t["data"](data_label(t, "value", a.design_life_source)))
        elif label == t["storeys"]:
            sheet.put(r, 1, value, "evidence_int")  # counted on the take-off
        elif isinstance(value, str) and len(value) > 20:
            sheet.note(r, 1, 5, value)
        else:
            sheet.put(r, 1, value)
    r += 2
    # 2 materials production and transport (建材生产及运输阶段): bill of materials by factor
    sheet.note(r, 0, 5, f"{t['report materials']} (A1-A3 + A4)", "header")
    r += 1
    sheet.row(r, [t["factor id"], t["mass t"], "A1-A3 " + t["kgco2e"], t["distance"], t["transport mode"],
                  "A4 " + t["kgco2e"]], "header")  # fmt: skip
    components = run.components
    vehicle = {f.id: f for f in run.transport.factors}[run.lifecycle.transport.vehicle]
    mode = name_in(t, vehicle)
    ids = components["factor_id"].dropna().unique()
    # SUMIF gives 0 where nothing is known: so must the stored values
    masses = components.groupby("factor_id")["mass_kg"].sum().fillna(0.0)
    a1a3 = components.groupby("factor_id")["kgco2e"].sum().fillna(0.0)
    a4 = components.groupby("factor_id")["a4_kgco2e"].sum().fillna(0.0)
    first = r + 1
    for fid in sorted(ids, key=lambda f: -(a1a3.get(f) or 0)):
        r += 1
        f = run.library.get(fid)
        sheet.put(r, 0, name_in(t, f))
        key = quoted(fid)
        sheet.formula(r, 1, f"=SUMIF({el.column('factor_id')},{key},{el.column('mass_kg')})/1000",
                      (masses.get(fid) or 0) / 1000, "number3")  # fmt: skip
        sheet.formula(r, 2, f"=SUMIF({el.column('factor_id')},{key},{el.column('a1_a3')})", a1a3.get(fid),
                      "number")  # fmt: skip
        category = data_label(t, "category", f.category)
        distance = components.loc[components["factor_id"] == fid, "distance_km"].iloc[0]
        lookup = f"=INDEX({categories.distance_km},MATCH({quoted(category)},{categories.categories},0))"
        sheet.formula(r, 3, lookup, distance, "integer")
        sheet.put(r, 4, f"{mode}, {vehicle.value_kgco2e_per_tkm:g} kgCO2e/(t·km)")
        a4_sum = f"=SUMIF({el.column('factor_id')},{key},{el.column('a4')})"
        sheet.formula(r, 5, a4_sum, a4.get(fid), "number")
    last = max(r, first)
    r += 1
    sheet.put(r, 0, t["total"], "bold")
    sheet.formula(r, 1, f"=SUM({sheet.span(first, last, 1)})", float(masses.sum()) / 1000, "number3")
    sheet.formula(r, 2, "=Emb_A1A3", a.embodied.a1_a3, "total")
    sheet.formula(r, 5, "=Emb_A4", a.embodied.a4, "total")
    r += 2
    c = a.coverage
    sheet.put(r, 0, t["completeness"])
    sheet.formula(r, 1, "=CountedShare", c.mass_share_mapped + c.mass_share_assumed, "pct")
    met, not_met = quoted(t["met"]), quoted(t["not met"])
    sheet.formula(r, 2, f"=IF(Complete=1,{met},{not_met})", t["met"] if c.completeness_met else t["not met"],
                  "verdict")  # fmt: skip
    sheet.note(r, 3, 5, completeness_note(a, t["lang"]))
    r += 2
    # 3 construction and demolition (建造及拆除阶段)
    sheet.note(r, 0, 5, f"{t['report construction']} (A5 + C1-C4)", "header")
    for label, name, value, method in (
        (t["a5 wastage label"], "Emb_A5Wastage", a.embodied.a5_wastage, t["method a5w"]),
        (
            t["a5 site label"],
            "Emb_A5Site",
            a.embodied.a5_site,
            t["method a5 construction"]
            if a.embodied.a5_source.startswith("construction energy")
            else t["method a5s"],
        ),
        ("C1", "Emb_C1", a.embodied.c1, t["method c1"]),
        ("C2", "Emb_C2", a.embodied.c2, t["method c2"]),
        ("C3-C4", "Emb_C3C4", a.embodied.c3_c4, t["method c3c4"]),
    ):
        r += 1
        sheet.put(r, 0, label)
        sheet.formula(r, 1, f'=IF({name}="","",{name})', value, "number")
        sheet.note(r, 2, 5, method)
    r += 2
    # 4 operation (运行阶段)
    sheet.note(r, 0, 5, f"{t['report operation']} (B6)", "header")
    op = a.operational
    if op is None:
        r += 1
        sheet.note(r, 0, 5, f"{t['no operational']}: {operational_note(a, t['lang'])}")
    else:
        for i, line in enumerate(op.lines, start=1):
            r += 1
            sheet.put(r, 0, data_label(t, "carrier", line.carrier))
            sheet.formula(r, 1, f"=B6Line{i}Qty", line.quantity, "number")
            sheet.put(r, 2, line.unit)
            sheet.formula(r, 3, f'=IF(B6Line{i}Kg="","",B6Line{i}Kg)', line.kgco2_per_year, "number")
            sheet.put(r, 4, "kgCO2/a")
        r += 1
        sheet.put(r, 0, t["pv self"])
        sheet.formula(r, 1, "=PvSelfKwh", energy.renewables.pv_self_consumed_kwh, "number")
        sheet.put(r, 2, "kWh")
        r += 1
        sheet.put(r, 0, t["pv exported"])
        sheet.formula(r, 1, "=ExportKwh", energy.renewables.pv_exported_kwh, "number")
        sheet.put(r, 2, "kWh")
        r += 1
        sheet.put(r, 0, t["grid factor"])
        sheet.formula(r, 1, "=GridFactor", op.grid_factor_kgco2_per_kwh, "number3")
        sheet.put(r, 2, "kgCO2/kWh")
        sheet.note(r, 3, 5, grid_label(t, op.grid_factor_id))
        r += 1
        sheet.put(r, 0, t["gross b6"], "bold")
        sheet.formula(r, 1, '=IF(GrossB6="","",GrossB6)', op.gross_kgco2_per_year, "total")
        r += 1
        sheet.put(r, 0, t["end use"])
        sheet.note(r, 1, 5, t["end use not given"])
    r += 2
    # 5 stage totals in both naming systems
    sheet.row(r, [t["stage"], t["modules"], t["kgco2e"]], "header")
    for stage in a.stages:
        r += 1
        sheet.put(r, 0, stage_label(t, stage))
        sheet.put(r, 1, data_label(t, "modules", stage.modules))
        sheet.formula(r, 2, STAGE_FORMULAS[stage.id], stage.kgco2e, "number")
    r += 1
    sheet.put(r, 0, "B4")
    sheet.note(r, 1, 1, t["b4 outside"])
    sheet.formula(r, 2, "=Emb_B4", a.embodied.b4, "number")
    sheet.widths([40, 18, 18, 16, 44, 18])
    sheet.page()
