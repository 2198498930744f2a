"""The evidence sheets: the factors used (their values are the inputs the Elements rows look up), the
coverage with every material left out and every warning, and the parameters of the run."""

from __future__ import annotations

from bimcarbon.assess import AssessmentRun
from bimcarbon.factors import FactorLibrary
from bimcarbon.report.workbook.book import Sheet
from bimcarbon.report.workbook.labels import data_label
from bimcarbon.report.workbook.messages_zh import warnings
from bimcarbon.report.workbook.notes import completeness_note

FACTOR_COLUMNS = ["factor id", "name en", "name zh", "unit", "factor value", "factor module", "status",
                  "source", "factor set", "licence", "status note", "density", "density low", "density high",
                  "density source", "density status"]  # fmt: skip


def write_factors(sheet: Sheet, run: AssessmentRun, library: FactorLibrary, t: dict) -> tuple[str, str]:
    """The factors used, one row each; returns the ranges of their ids and values (for INDEX/MATCH)."""
    used = sorted(run.components["factor_id"].dropna().unique())
    licences = {s.metadata.id: s.metadata.licence for s in library.sets}
    text = t["data"]
    sheet.row(0, [t[c] for c in FACTOR_COLUMNS], "header")
    for r, fid in enumerate(used, start=1):
        f = library.get(fid)
        sheet.row(r, [f.id, f.name_en, f.name_zh, f.declared_unit])
        sheet.put(r, 4, f.value_kgco2e_per_unit, "input")
        licence = text(licences.get(f.factor_set, ""))
        sheet.row(r, [f.module, t[f.status.value], text(f.source), f.factor_set, licence, text(f.status_note),
                      f.density_kg_per_m3, f.density_low_kg_per_m3, f.density_high_kg_per_m3,
                      text(f.density_source), t[f.density_status.value] if f.density_status else None],
                  first_col=5)  # fmt: skip
    last = max(len(used), 1)
    sheet.widths([20, 28, 18, 7, 12, 8, 14, 50, 18, 30, 40, 10, 10, 10, 40, 14])
    sheet.ws.freeze_panes(1, 1)
    sheet.page(landscape=True, header_rows=0)
    return sheet.span(1, last, 0), sheet.span(1, last, 4)


def write_coverage(sheet: Sheet, run: AssessmentRun, t: dict) -> None:
    """Coverage figures, the materials left out, and every warning."""
    c = run.assessment.coverage
    sheet.put(0, 0, t["Coverage"], "title")
    sheet.row(2, [t["item"], t["value"]], "header")
    rows = [
        (t["volume"], c.volume_m3, "number"),
        (t["mass matched"], c.mass_mapped_kg, "integer"),
        (t["mass assumed"], c.mass_assumed_kg, "integer"),
        (t["mass left out"], c.mass_left_out_kg, "integer"),
        (t["counted share"], c.mass_share_mapped + c.mass_share_assumed, "pct"),
        (t["completeness"], t["met"] if c.completeness_met else t["not met"], None),
    ]
    for offset, (label, value, style) in enumerate(rows, start=3):
        sheet.put(offset, 0, label)
        sheet.put(offset, 1, value, style)
    sheet.put(3 + len(rows), 0, completeness_note(run.assessment, t["lang"]), "wrap")
    r = 5 + len(rows)
    sheet.put(r, 0, t["left out materials"], "bold")
    r += 1
    sheet.row(
        r, [t["material"], t["volume"], t["mass"], t["status"], t["reason"], t["suggestions"]], "header"
    )
    for m in c.unmapped:
        r += 1
        status = "; ".join(data_label(t, "status", s.strip()) for s in m.status.split(";"))
        material = t["(no material)"] if m.material == "(no material)" else m.material
        reason = t["data"](m.reason)
        sheet.row(r, [material, m.volume_m3, m.mass_kg, status, reason, m.suggestions])
    r += 2
    sheet.put(r, 0, t["warnings"], "bold")
    for line in warnings(run.assessment, t):
        r += 1
        sheet.put(r, 0, line, "wrap")
    sheet.widths([60, 14, 14, 14, 50, 30])
    sheet.page(landscape=True)


def write_parameters(sheet: Sheet, run: AssessmentRun, t: dict) -> None:
    """Everything needed to reproduce the run."""
    a = run.assessment
    sheet.row(0, [t["parameter"], t["value"]], "header")
    rows = [
        (t["tool version"], a.tool_version),
        (t["model"], a.model_name),
        (t["model sha256"], a.model_sha256),
        (t["schema"], a.schema_name),
        (t["criteria pack"], t["data"](a.criteria_pack)),
        (t["design life"], a.design_life_years),
        (t["design life source"], t["data"](data_label(t, "value", a.design_life_source))),
    ]
    rows += [(t["factor set"], s) for s in a.factor_sets]
    rows += [(t["rule set"], s) for s in a.rule_sets]
    rows += [
        (data_label(t, "param", str(k)), data_label(t, "value", str(v)) if not isinstance(v, list) else
         ", ".join(map(str, v)) or t["none"])
        for k, v in a.parameters.items()
        if k != "energy"
    ]  # fmt: skip
    for r, (label, value) in enumerate(rows, start=1):
        sheet.row(r, [label, value], "wrap")
    sheet.widths([30, 100])
    sheet.page()
