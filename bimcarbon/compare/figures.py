"""Figures of two assessments side by side: differences, verdicts by tier in both modes, key metrics,
modules and materials. Pure functions on assessment JSON dicts (``assess --json``), of any format
version: they need no per-element results, so the web app's compare page uses them for older runs too.

A row is ``{"a": base, "b": variant, "diff": b - a, "pct": 100 x diff / |a|}`` (the compare page's
columns A and B); :func:`figure` renames it for the comparison JSON (``base``, ``variant``, ``delta``).
"""

from __future__ import annotations

import math
from typing import Any

from bimcarbon.lifecycle import MODULE_TOTAL_KEYS

#: Relative difference below which two figures are the same (floating-point rounding of sums).
SAME = 1e-9
#: Key metrics: (mode, metric) of the assessment JSON's ``<mode>.metrics``; shares are 0-1.
KEY_METRICS = (
    ("without_embodied", "carbon_intensity_kg_per_m2a"),
    ("with_embodied", "carbon_intensity_kg_per_m2a"),
    ("without_embodied", "baseline_carbon_intensity_kg_per_m2a"),
    ("with_embodied", "baseline_carbon_intensity_kg_per_m2a"),
    ("without_embodied", "carbon_intensity_reduction_share"),
    ("with_embodied", "carbon_intensity_reduction_share"),
    ("without_embodied", "net_carbon_intensity_kg_per_m2a"),
    ("with_embodied", "net_carbon_intensity_kg_per_m2a"),
    ("with_embodied", "annualised_embodied_kg_per_m2a"),
    ("with_embodied", "upfront_embodied_kg_per_m2"),
)
#: Embodied emissions by module: (label, key of the assessment JSON's ``embodied``), in EN 15978 order.
MODULES = (
    ("A1-A3", "a1_a3"),
    ("A4", "a4"),
    ("A5", "a5"),
    ("B4", "b4"),
    ("C1-C4", "c1_c4"),
    ("A1-A5", "upfront_a1_a5"),
    ("total", "embodied_total"),
)
#: Every number of the assessment JSON's ``embodied`` (the keys of the comparison's totals), in order.
TOTAL_KEYS = MODULE_TOTAL_KEYS
MODES = ("without_embodied", "with_embodied")


def difference(a: float | None, b: float | None) -> dict[str, Any]:
    """One compared figure: ``a``, ``b``, ``diff`` = b - a and ``pct`` = 100 x diff / |a| (a change's
    sign is the sign of its percentage, also when A is negative: -10 to -20 is -10, -100 %).

    An absent figure (None) counts as 0 in ``diff``; ``pct`` is None when A is absent or 0 (no share
    of nothing). Both absent: ``diff`` is None. A difference within :data:`SAME` of the larger figure
    is rounding in the sums (the same material summed in another order), and is 0.
    """
    a, b = number(a), number(b)
    if a is None and b is None:
        return {"a": None, "b": None, "diff": None, "pct": None}
    diff = (b or 0.0) - (a or 0.0)
    if abs(diff) <= SAME * max(abs(a or 0.0), abs(b or 0.0)):
        diff = 0.0
    pct = 100.0 * diff / abs(a) if a else None
    return {"a": a, "b": b, "diff": diff, "pct": pct}


def figure(row: dict[str, Any]) -> dict[str, Any]:
    """A row of :func:`difference` as the comparison JSON names it: ``base``, ``variant``, ``delta``,
    ``pct`` (and any other key of the row as it is)."""
    renamed = {"a": "base", "b": "variant", "diff": "delta"}
    return {renamed.get(k, k): v for k, v in row.items()}


def by_largest_change(a: dict[str, float], b: dict[str, float]) -> list[dict[str, Any]]:
    """Rows ``{key, a, b, diff, pct}`` for every key of either, the largest absolute change first (ties:
    the larger figure, then the key); a key missing on one side is None there."""
    rows = [{"key": key, **difference(a.get(key), b.get(key))} for key in set(a) | set(b)]
    rows.sort(key=lambda r: (-abs(r["diff"] or 0.0), -max(r["a"] or 0.0, r["b"] or 0.0), r["key"]))
    return rows


def verdict_rows(a: dict, b: dict) -> list[dict[str, Any]]:
    """Each tier of the criteria pack with both runs' verdicts in both modes (``a_without``,
    ``b_without``, ``a_with``, ``b_with``: None where a run's pack has no such tier) and ``changed``."""
    tiers: dict[str, dict[str, Any]] = {}
    for side, assessment in (("a", a), ("b", b)):
        for mode in ("without", "with"):
            for tier in assessment[f"{mode}_embodied"]["verdicts"]["tiers"]:
                row = tiers.setdefault(
                    tier["tier"],
                    {"tier": tier["tier"], "name_en": tier["name_en"], "name_zh": tier.get("name_zh")},
                )
                row[f"{side}_{mode}"] = tier["verdict"]
                row["provisional"] = row.get("provisional", False) or bool(tier.get("provisional"))
    rows = list(tiers.values())
    for row in rows:
        for key in ("a_without", "b_without", "a_with", "b_with"):
            row.setdefault(key, None)
        row["changed_without"] = row["a_without"] != row["b_without"]
        row["changed_with"] = row["a_with"] != row["b_with"]
        row["changed"] = row["changed_without"] or row["changed_with"]
    return rows


def reached(assessment: dict) -> dict[str, dict[str, Any]]:
    """The tier reached in each mode: ``{"without": {...}, "with": {...}}`` with ``tier`` (None when none),
    ``name_en``, ``name_zh`` and ``not_assessable`` (see :func:`not_assessable`)."""
    result = {}
    for mode in ("without", "with"):
        verdicts = assessment[f"{mode}_embodied"]["verdicts"]
        tier = verdicts["reached"]
        named = next((t for t in verdicts["tiers"] if t["tier"] == tier), {})
        result[mode] = {
            "tier": tier,
            "name_en": named.get("name_en", tier),
            "name_zh": named.get("name_zh"),
            "not_assessable": not_assessable(verdicts),
        }
    return result


def not_assessable(verdicts: dict) -> bool:
    """True when no tier is reached because the first tier cannot be assessed (no energy figures, no
    floor area, an incomplete embodied total): not the same as no tier reached (the first one failed)."""
    tiers = verdicts.get("tiers") or []
    return verdicts.get("reached") is None and bool(tiers) and tiers[0]["verdict"] == "not assessable"


def metric_rows(a: dict, b: dict) -> list[dict[str, Any]]:
    """The key metrics of both runs: ``{key, mode, share, a, b, diff, pct}`` (``share``: a 0-1 figure,
    whose difference is in percentage points: ``pct`` is None), then floor area, embodied intensity,
    operational emissions and the mass shares matched, assumed and left out."""
    rows = []
    for mode, key in KEY_METRICS:
        share = key.endswith("_share")
        row = difference(a[mode]["metrics"].get(key), b[mode]["metrics"].get(key))
        rows.append({"key": key, "mode": mode.removesuffix("_embodied"), "share": share, **row})
    extra = (
        ("floor_area_m2", lambda x: (x.get("floor_area") or {}).get("value_m2"), False),
        ("embodied_intensity_kg_per_m2", lambda x: x.get("embodied_intensity_kg_per_m2"), False),
        (
            "operational_kgco2_per_year",
            lambda x: (x.get("operational") or {}).get("gross_kgco2_per_year"),
            False,
        ),
        ("mass_share_mapped", lambda x: x["coverage"].get("mass_share_mapped"), True),
        ("mass_share_assumed", lambda x: x["coverage"].get("mass_share_assumed"), True),
        ("mass_share_left_out", lambda x: x["coverage"].get("mass_share_left_out"), True),
    )
    for key, read, share in extra:
        rows.append({"key": key, "mode": None, "share": share, **difference(read(a), read(b))})
    for row in rows:
        if row["share"]:
            row["pct"] = None
    return rows


def module_rows(a: dict, b: dict) -> list[dict[str, Any]]:
    """Embodied emissions by module (kgCO2e), A1-A3 to C1-C4, then upfront A1-A5 and the total."""
    return [
        {"key": label, **difference(a["embodied"].get(key), b["embodied"].get(key))} for label, key in MODULES
    ]


def material_rows(a: dict, b: dict) -> list[dict[str, Any]]:
    """A1-A3 by material (kgCO2e), the largest change first."""
    return by_largest_change(by_material(a), by_material(b))


def by_material(assessment: dict) -> dict[str, float]:
    """A1-A3 (kgCO2e) by material of an assessment JSON."""
    return {m["material"]: m["a1_a3_kgco2e"] for m in assessment.get("by_material", [])}


def number(value: object) -> float | None:
    """A finite float, else None (text, a bool, NaN, None)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return None if math.isnan(value) else float(value)
