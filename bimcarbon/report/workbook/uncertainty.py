"""The Uncertainty sheet: the embodied break-even per tier (every assessment) and, when the Monte Carlo
ran, its ranges (after what they cannot say, and followed by what is not sampled), the tier
probabilities in both modes, the largest contributors to the variance and the spreads used. Values
computed by bimcarbon (grey evidence cells), not formulas."""

from __future__ import annotations

from bimcarbon.assess import AssessmentRun
from bimcarbon.report.workbook.book import Sheet
from bimcarbon.report.workbook.labels import data_label, name_in
from bimcarbon.report.workbook.notes import gate_note
from bimcarbon.report.workbook.uncertainty_labels import UNCERTAINTY_LABELS
from bimcarbon.uncertainty.caveats import caveat_text
from bimcarbon.uncertainty.result import METRIC_UNITS, Contributor, UncertaintyResult

COLUMNS = 8


def write_uncertainty(sheet: Sheet, run: AssessmentRun, t: dict) -> None:
    """Fill the Uncertainty sheet."""
    u = UNCERTAINTY_LABELS[t["lang"]]
    a = run.assessment
    sheet.put(0, 0, u["title"], "title")
    sheet.note(1, 0, COLUMNS - 1, u["intro"])
    r = _break_even(sheet, 3, run, t, u)
    r += 1
    sheet.put(r, 0, u["monte carlo"], "bold")
    r += 1
    result = a.uncertainty
    if result is None:
        sheet.note(r, 0, COLUMNS - 1, u["not run"])
    else:
        _monte_carlo(sheet, r, run, result, t, u)
    sheet.widths([44, 18, 18, 16, 16, 16, 16, 60])
    sheet.page(landscape=True)


def _break_even(sheet: Sheet, r: int, run: AssessmentRun, t: dict, u: dict) -> int:
    a = run.assessment
    be = a.embodied_break_even
    sheet.put(r, 0, u["break-even"], "bold")
    if be is None:  # an assessment read from an older JSON
        return r + 1
    sheet.note(r + 1, 0, COLUMNS - 1, u["break-even intro"])
    r += 2
    sheet.put(r, 0, u["current"])
    sheet.put(r, 1, be.current_kg_per_m2, "evidence")
    r += 1
    header = [
        u[k] for k in ("tier", "verdict without", "verdict with", "break-even value", "margin", "why none")
    ]
    sheet.row(r, header, "header")
    names = {tier.tier: name_in(t, tier) for tier in a.without_embodied.verdicts.tiers}
    for tier in be.tiers:
        r += 1
        why = tier.reason if t["lang"] == "en" else u.get(f"reason {tier.reason_id}", "")
        sheet.row(
            r,
            [
                names.get(tier.tier, tier.tier),
                t[tier.verdict_without_embodied],
                t[tier.verdict_with_embodied],
            ],
        )
        sheet.put(r, 3, tier.break_even_kg_per_m2, "evidence")
        sheet.put(r, 4, tier.margin_kg_per_m2, "evidence")
        sheet.put(r, 5, why if tier.reason_id else None, "wrap")
    if be.note:
        r += 1
        sheet.note(r, 0, COLUMNS - 1, f"{u['blocked']}: {gate_note(a, t['lang'])}", "alert")
    return r + 2


def _monte_carlo(
    sheet: Sheet, r: int, run: AssessmentRun, result: UncertaintyResult, t: dict, u: dict
) -> int:
    a = run.assessment
    for key, value in (
        ("samples", result.samples),
        ("seed", result.seed),
        ("spreads file", result.spreads_file),
        ("conservative", u["yes"] if result.conservative else u["no"]),
    ):
        sheet.put(r, 0, u[key])
        sheet.put(r, 1, value)
        r += 1
    for caveat in result.caveats:  # beside the ranges: what they cannot say
        r += 1
        text = caveat.text if t["lang"] == "en" else caveat_text(caveat, u[f"caveat {caveat.id}"])
        sheet.note(r, 0, COLUMNS - 1, text, "alert")
    r += 1
    sheet.put(r, 0, u["ranges"], "bold")
    r += 1
    columns = ["metric", "unit", "assessed", "mean", "p5", "p50", "p95"] + (
        ["p80"] if result.conservative else []
    )
    sheet.row(r, [u[c] for c in columns], "header")
    for key, p in result.percentiles.items():
        if p is None:
            continue
        r += 1
        unit = METRIC_UNITS[key]
        style = "evidence_pct" if unit == "share" else "evidence"
        sheet.put(r, 0, u[f"metric {key}"])
        sheet.put(r, 1, unit if unit != "share" else "")
        values = [p.deterministic, p.mean, p.p5, p.p50, p.p95] + ([p.p80] if result.conservative else [])
        for offset, value in enumerate(values):
            sheet.put(r, 2 + offset, value, style)
    if result.not_sampled:
        r += 2
        sheet.put(r, 0, u["not sampled"], "bold")
        for item in result.not_sampled:
            r += 1
            text = item.description_zh if t["lang"] == "zh" and item.description_zh else item.description
            sheet.note(r, 0, COLUMNS - 1, text)
    r += 2
    sheet.put(r, 0, u["probabilities"], "bold")
    r += 1
    sheet.row(r, [u["tier"], u["without"], u["with"]], "header")
    names = {tier.tier: name_in(t, tier) for tier in a.without_embodied.verdicts.tiers}
    probabilities = result.tier_probability
    for tier, without in probabilities.without_embodied.items():
        r += 1
        sheet.put(r, 0, names.get(tier, tier))
        for col, value in ((1, without), (2, probabilities.with_embodied.get(tier))):
            sheet.put(r, col, u["not assessable"] if value is None else value, "evidence_pct")
    if probabilities.with_embodied_note:
        r += 1
        sheet.note(r, 0, COLUMNS - 1, gate_note(a, t["lang"]), "alert")
    r += 2
    sheet.put(r, 0, u["contributors"], "bold")
    sheet.note(r + 1, 0, COLUMNS - 1, u["contributors method"])
    r += 2
    sheet.row(r, [u[k] for k in ("of", "input kind", "input", "share", "spread", "components")], "header")
    for metric, contributors in result.top_contributors.items():
        for c in contributors:
            r += 1
            sheet.row(r, [u[f"metric {metric}"], u[f"kind {c.kind}"], input_label(c, t, u)])
            sheet.put(r, 3, c.share, "evidence_pct")
            sheet.put(r, 4, u.get(f"spread {c.spread}", c.spread))
            sheet.put(r, 5, c.components, "evidence_int")
    if result.contributors_explained:
        r += 2
        sheet.row(r, [u["of"], u["explained"]], "header")
        for metric, explained in result.contributors_explained.items():
            r += 1
            sheet.put(r, 0, u[f"metric {metric}"])
            sheet.put(r, 1, explained, "evidence_pct")
    r += 2
    sheet.put(r, 0, u["spreads"], "bold")
    r += 1
    sheet.row(
        r, [u[k] for k in ("spread", "distribution", "p95 ratio", "inputs", "components", "reason")], "header"
    )
    for s in result.spreads:
        r += 1
        reason = s.reason_zh if t["lang"] == "zh" and s.reason_zh else s.reason
        sheet.row(r, [u.get(f"spread {s.spread}", s.spread), u.get(s.distribution, s.distribution)])
        sheet.put(r, 2, s.p95_ratio, "evidence")
        sheet.put(r, 3, s.inputs, "evidence_int")
        sheet.put(r, 4, s.components, "evidence_int")
        sheet.note(r, 5, COLUMNS - 1, reason)
    return r + 1


def input_label(c: Contributor, t: dict, u: dict) -> str:
    """What an input is, in the workbook's language (factor ids, rule ids and materials as written)."""
    kind, _, rest = c.input.partition(":")
    if kind == "factor":
        return rest
    if kind == "use":
        use, rule, factor = rest.split(":", 2)
        return f"{factor} ({u[f'use {use}']}, {u['rule']} {rule})"
    if kind == "ratio":
        _, rule, factor = rest.split(":", 2)
        return f"{factor} ({u['rule']} {rule})"
    if kind == "quantity":
        return u.get(f"quantity {rest}", rest)
    if kind == "share":
        _, parts, split = rest.split(":", 2)
        return f"{u['equal split of']} {split} ({parts})"
    if kind == "density":
        if rest.startswith("model:"):
            return f"{rest[6:]} ({u['model density']})"
        source, _, name = rest.partition(" ")
        return f"{name} ({u['default density']}, {u['rule'] if source == 'rule' else u['factor']})"
    if kind == "distance":
        return u["other categories"] if rest == "*" else data_label(t, "category", rest)
    if kind == "energy":
        return u.get(f"energy {rest}", rest)
    return u["grid factor"]
