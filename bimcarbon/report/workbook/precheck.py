"""The LCA-ready pre-check's rows on the Summary sheet: each requirement met or not, how many elements
fail it and the first of them by GlobalId, and where the full list is (``bimcarbon check -o``)."""

from __future__ import annotations

from bimcarbon.exchange.precheck import label
from bimcarbon.report.workbook.book import Sheet

#: Failing GlobalIds the Summary names per requirement (the assessment JSON keeps up to 20).
FIRST_LISTED = 3


def write_precheck_rows(sheet: Sheet, r: int, a, t: dict) -> int:
    """Write the pre-check from row ``r`` of the Summary; the next free row."""
    sheet.put(r, 0, t["precheck"], "bold")
    check = a.precheck
    if check is None:
        sheet.put(r + 1, 0, t["precheck skipped"])
        return r + 3
    met, total = len(check.met), len(check.considered)
    sheet.put(r + 1, 0, t["precheck met"].format(met=met, total=total), "bold")
    r += 2
    sheet.row(
        r, [t["precheck requirement"], t["verdict"], t["precheck applies"], t["precheck failing"]], "header"
    )
    sheet.put(r, 4, t["precheck first"], "header")
    words = {"pass": t["met"], "fail": t["not met"], "not applicable": t["precheck not applicable"]}
    for requirement in check.requirements:
        r += 1
        style = "alert" if requirement.status == "fail" else None
        sheet.put(r, 0, label(requirement, t["lang"]), "wrap")
        sheet.put(r, 1, words[requirement.status], style)
        # counted on the model when it was read: evidence, like the plausibility figures
        sheet.row(r, [requirement.applicable_count, requirement.failing_count], "evidence_int", first_col=2)
        first = ", ".join(f.global_id for f in requirement.failing[:FIRST_LISTED])
        if requirement.failing_count > FIRST_LISTED:
            first += " ..."
        sheet.note(r, 4, 6, first or None)
    sheet.put(r + 1, 0, t["precheck full list"], "wrap")
    sheet.note(r + 1, 1, 6, t["precheck command"].format(model=a.model_name))
    return r + 3
