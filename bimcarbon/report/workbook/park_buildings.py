"""The Buildings sheet: one row per building of the park file, its status (and reason when it failed),
its files, floor area, building tiers in both modes, embodied figures (formulas over the Embodied by
building sheet), operational intensity and coverage, and where its whole assessment is in the park JSON."""

from __future__ import annotations

from bimcarbon.criteria import Verdicts
from bimcarbon.park.run import ParkAssessment
from bimcarbon.report.workbook.book import Sheet
from bimcarbon.report.workbook.labels import name_in, reached_name
from bimcarbon.report.workbook.park_balance import BalanceCells
from bimcarbon.report.workbook.park_embodied import EmbodiedCells
from bimcarbon.report.workbook.park_messages_zh import ParkText

COLUMNS = (
    "#",
    "building",
    "status",
    "failure reason",
    "model",
    "energy file",
    "floor area",
    "reached without",
    "reached with",
    "building changes",
    "a1a3",
    "upfront per m2",
    "embodied intensity",
    "operational intensity",
    "mass counted",
    "mass assumed share",
    "mass left out share",
    "completeness met",
    "building warnings",
    "json path",
)


def write_buildings(
    sheet: Sheet,
    park: ParkAssessment,
    t: dict,
    text: ParkText,
    embodied: EmbodiedCells,
    balance: BalanceCells,
) -> None:
    """Fill the Buildings sheet."""
    sheet.put(0, 0, t["Buildings"], "title")
    sheet.put(1, 0, f"{t['building criteria pack']}: {t['data'](park.building_criteria_pack)}")
    sheet.note(2, 0, 12, t["buildings intro"])
    header = [t.get(c, c) for c in COLUMNS]
    header[10] = "A1-A3 (kgCO2e)"
    sheet.row(4, header, "header")
    for index, b in enumerate(park.buildings):
        r = 5 + index
        sheet.put(r, 0, index + 1, "integer")
        sheet.put(r, 1, b.name, "bold")
        sheet.put(r, 4, b.model)
        sheet.put(r, 5, b.energy)
        a = b.assessment
        if a is None:
            sheet.put(r, 2, t["failed"], "alert")
            sheet.put(r, 3, text.reason(b.error), "alert")
            continue
        sheet.put(r, 2, t["done"])
        area = a["floor_area"]["value_m2"]
        sheet.formula(
            r, 6, f'=IF({balance.floor_area[b.name]}="","",{balance.floor_area[b.name]})', area, "number"
        )
        without = Verdicts.model_validate(a["without_embodied"]["verdicts"])
        with_ = Verdicts.model_validate(a["with_embodied"]["verdicts"])
        sheet.put(r, 7, reached_name(t, without))
        sheet.put(r, 8, t["not assessable"] if with_.note else reached_name(t, with_))
        names = {x.tier: x for x in without.tiers}
        changes = [
            f"{_tier(t, names, c['tier'])}: {t[c['without_embodied']]} → {t[c['with_embodied']]}"
            for c in a["changes"]
        ]
        sheet.put(r, 9, "; ".join(changes) if changes else t["none"], "wrap")
        sheet.formula(r, 10, f"={embodied.a1_a3[b.name]}", a["embodied"]["a1_a3"], "number")
        here = sheet.ref(r, 6, local=True)
        upfront = a["embodied"]["upfront_a1_a5"] / area if area else None
        sheet.formula(r, 11, f'=IF(N({here})<=0,"",{embodied.upfront[b.name]}/{here})', upfront, "number")
        sheet.formula(
            r,
            12,
            f'=IF(N({here})<=0,"",{embodied.total[b.name]}/{here})',
            a["embodied_intensity_kg_per_m2"],
            "number",
        )
        sheet.put(r, 13, a["without_embodied"]["metrics"].get("carbon_intensity_kg_per_m2a"), "number")
        c = a["coverage"]
        sheet.row(
            r,
            [
                c["mass_share_mapped"] + c["mass_share_assumed"],
                c["mass_share_assumed"],
                c["mass_share_left_out"],
            ],
            "pct",
            first_col=14,
        )
        sheet.put(r, 17, t["met"] if c["completeness_met"] else t["not met"])
        sheet.put(r, 18, len(a["warnings"]), "integer")
        sheet.put(r, 19, f"buildings[{index}].assessment")
    sheet.widths([4, 22, 10, 40, 18, 20, 12, 18, 18, 28, 14, 14, 16, 14, 11, 11, 11, 12, 10, 28])
    sheet.ws.freeze_panes(5, 2)
    sheet.page(landscape=True, header_rows=4)


def _tier(t: dict, names: dict, tier: str) -> str:
    return name_in(t, names[tier]) if tier in names else tier
