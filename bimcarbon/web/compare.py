"""The differences between two runs of a project: pure functions on their stored results.

A side is what a finished run left (see :func:`bimcarbon.web.jobs.read_side`): its store row
(``run``), its assessment JSON (``assessment``), its A1-A3 by element class
(``breakdown``, None for runs made before it was written) and the text of the mapping it was given
(``mapping``, None without one). :func:`compare` turns two sides, A and B, into rows that a page shows
as they are: every difference is B - A, and its share is of A.
"""

from __future__ import annotations

import math
from typing import Any

import yaml

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
#: Run parameters compared in their own rows (the model's name, the criteria pack) or not options (the
#: names the energy and mapping files were uploaded under, and the energy file's digest).
_NOT_OPTIONS = {"model_name", "criteria", "energy_name", "energy_digest", "mapping_name"}
#: Assessment parameters compared elsewhere (energy figures, mapping, the run's own options) or always
#: the same in the web app.
_NOT_ASSESSMENT_OPTIONS = {
    "energy",
    "energy_file",
    "mappings",
    "factor_files",
    "criteria",
    "assumptions",
    "accept_incomplete",
}


#: Keys of a mapping rule or factor use that say why, not what: not compared.
_WORDS = ("reason", "reason_zh", "description", "note", "notes", "density_source", "source")


def difference(a: float | None, b: float | None) -> dict[str, Any]:
    """One compared figure: ``a``, ``b``, ``diff`` = b - a and ``pct`` = 100 x diff / |a| (a change's
    sign is the sign of its percentage, also when A is negative: -10 to -20 is -10, -100 %).

    An absent figure (None) counts as 0 in ``diff``; ``pct`` is None when A is absent or 0 (no share
    of nothing). Both absent: ``diff`` is None. A difference within :data:`SAME` of the larger figure
    is rounding in the sums (the same material summed in another order), and is 0.
    """
    a, b = _number(a), _number(b)
    if a is None and b is None:
        return {"a": None, "b": None, "diff": None, "pct": None}
    diff = (b or 0.0) - (a or 0.0)
    if abs(diff) <= SAME * max(abs(a or 0.0), abs(b or 0.0)):
        diff = 0.0
    pct = 100.0 * diff / abs(a) if a else None
    return {"a": a, "b": b, "diff": diff, "pct": pct}


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
        row["changed"] = row["a_without"] != row["b_without"] or row["a_with"] != row["b_with"]
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
    return by_largest_change(_by_material(a), _by_material(b))


def class_rows(a: dict | None, b: dict | None) -> list[dict[str, Any]] | None:
    """A1-A3 by element class (kgCO2e), the largest change first, with each class's elements
    (``elements_a``, ``elements_b``); None when either run has no breakdown (made before it existed)."""
    if a is None or b is None:
        return None
    rows = by_largest_change(a["a1_a3_by_class_kgco2e"], b["a1_a3_by_class_kgco2e"])
    for row in rows:
        row["elements_a"] = a.get("elements_by_class", {}).get(row["key"])
        row["elements_b"] = b.get("elements_by_class", {}).get(row["key"])
    return rows


def input_rows(a: dict, b: dict, factor_names: dict[str, str] | None = None) -> list[dict[str, Any]]:
    """What went into each run: ``{what, key, a, b, changed}``, ``what`` one of ``model``, ``sha256``,
    ``criteria``, ``floor area source``, ``energy file`` (given or not), ``energy`` (when both have one:
    a row per field, ``key`` its dotted path), ``mapping`` (a row per material or rule, ``key`` its
    name), ``option`` (run parameters), ``assessment option``, ``tool``, ``factor sets``, ``rule sets``.
    Values are text (``yes``/``no`` for a yes-or-no; None: not given); ``factor_names`` (id -> name)
    names the factors of the mapping rows."""
    aa, ba = a["assessment"], b["assessment"]
    rows = [
        _row(
            "model", None, a["run"]["parameters"].get("model_name"), b["run"]["parameters"].get("model_name")
        ),
        _row("sha256", None, aa.get("model_sha256"), ba.get("model_sha256")),
        _row("criteria", None, aa.get("criteria_pack"), ba.get("criteria_pack")),
        _row(
            "floor area source",
            None,
            (aa.get("floor_area") or {}).get("source"),
            (ba.get("floor_area") or {}).get("source"),
        ),
    ]
    energy_a, energy_b = aa["parameters"].get("energy"), ba["parameters"].get("energy")
    rows.append(_row("energy file", None, energy_a is not None, energy_b is not None))
    fields_a = _flatten(energy_a) if energy_a is not None and energy_b is not None else {}
    fields_b = _flatten(energy_b) if energy_a is not None and energy_b is not None else {}
    for key in sorted(set(fields_a) | set(fields_b)):
        rows.append(_row("energy", key, fields_a.get(key), fields_b.get(key)))
    map_a = mapping_choices(a.get("mapping"), factor_names)
    map_b = mapping_choices(b.get("mapping"), factor_names)
    for key in sorted(set(map_a) | set(map_b)):
        rows.append(_row("mapping", key, map_a.get(key), map_b.get(key)))
    params_a, params_b = a["run"]["parameters"], b["run"]["parameters"]
    for key in sorted((set(params_a) | set(params_b)) - _NOT_OPTIONS):
        rows.append(_row("option", key, params_a.get(key), params_b.get(key)))
    options_a, options_b = aa["parameters"], ba["parameters"]
    for key in sorted((set(options_a) | set(options_b)) - _NOT_ASSESSMENT_OPTIONS):
        rows.append(_row("assessment option", key, options_a.get(key), options_b.get(key)))
    rows.append(_row("tool", None, aa.get("tool_version"), ba.get("tool_version")))
    rows.append(_row("factor sets", None, _listed(aa.get("factor_sets")), _listed(ba.get("factor_sets"))))
    rows.append(_row("rule sets", None, _listed(aa.get("rule_sets")), _listed(ba.get("rule_sets"))))
    return rows


def mapping_choices(text: str | None, factor_names: dict[str, str] | None = None) -> dict[str, str]:
    """A mapping file's rules as ``{material or rule id: what it uses}``: a rule naming exact materials
    gives one entry per material (``material_exact``), any other rule one entry under its id. What it
    uses is its factors (with their other settings, ``density_kg_per_m3=2400``) and the rule's own
    settings beside ``id``, ``when`` and ``use``; words about why (:data:`_WORDS`) are left out. A
    factor named in ``factor_names`` reads ``name (id)``. An unreadable file: ``{}``."""
    try:
        document = yaml.safe_load(text) if text else None
    except yaml.YAMLError:
        return {}
    rules = document.get("rules") if isinstance(document, dict) else None
    choices: dict[str, str] = {}
    for rule in rules if isinstance(rules, list) else []:
        if not isinstance(rule, dict):
            continue
        uses = []
        for use in rule.get("use") or []:
            if isinstance(use, dict):
                extra = [f"{k}={v}" for k, v in sorted(use.items()) if k != "factor" and k not in _WORDS]
                factor = str(use.get("factor", "?"))
                named = f"{factor_names[factor]} ({factor})" if factor in (factor_names or {}) else factor
                uses.append(" ".join([named, *extra]))
        settings = [f"{k}={v}" for k, v in sorted(rule.items()) if k not in ("id", "when", "use", *_WORDS)]
        summary = " + ".join(uses) + ("; " + ", ".join(settings) if settings else "")
        when = rule.get("when") if isinstance(rule.get("when"), dict) else {}
        exact = when.get("material_exact") if set(when) == {"material_exact"} else None
        for name in exact if isinstance(exact, list) and exact else [f"rule {rule.get('id', '?')}"]:
            choices.setdefault(str(name), summary)  # the first rule for a material is the one applied
    return choices


def compare(a: dict, b: dict, factor_names: dict[str, str] | None = None) -> dict[str, Any]:
    """Everything the compare page shows for sides ``a`` and ``b`` (both finished runs); ``factor_names``
    (factor id -> name) names the factors chosen in their mappings."""
    aa, ba = a["assessment"], b["assessment"]
    inputs = input_rows(a, b, factor_names)
    return {
        "reached": {"a": reached(aa), "b": reached(ba)},
        "verdicts": verdict_rows(aa, ba),
        "metrics": metric_rows(aa, ba),
        "modules": module_rows(aa, ba),
        "materials": material_rows(aa, ba),
        "classes": class_rows(a.get("breakdown"), b.get("breakdown")),
        "inputs": [r for r in inputs if r["changed"]],
        "unchanged": [r for r in inputs if not r["changed"]],
    }


def breakdown(components, takeoff) -> dict[str, Any]:
    """A1-A3 (kgCO2e) by IFC class and the elements of each class, from a run's tables
    (:class:`bimcarbon.assess.AssessmentRun` ``components`` and ``takeoff``): what a finished run keeps
    for comparisons, as the assessment JSON has A1-A3 by material only."""
    import pandas as pd

    merged = components.merge(takeoff[["ifc_class"]], left_on="row", right_index=True)
    values = pd.to_numeric(merged["kgco2e"], errors="coerce")
    by_class = values.groupby(merged["ifc_class"]).sum(min_count=1).dropna()
    elements = takeoff.groupby("ifc_class")["global_id"].nunique()
    return {
        "format": "bimcarbon.web.breakdown",
        "format_version": 1,
        "a1_a3_by_class_kgco2e": {str(k): float(v) for k, v in by_class.items()},
        "elements_by_class": {str(k): int(v) for k, v in elements.items()},
    }


def _by_material(assessment: dict) -> dict[str, float]:
    return {m["material"]: m["a1_a3_kgco2e"] for m in assessment.get("by_material", [])}


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return None if math.isnan(value) else float(value)


def _row(what: str, key: str | None, a: object, b: object) -> dict[str, Any]:
    a_text, b_text = _text(a), _text(b)
    return {"what": what, "key": key, "a": a_text, "b": b_text, "changed": a_text != b_text}


def _text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        # every digit a person typed: 1234567 and 1234568 kWh are different inputs
        return f"{value:,.10g}" if abs(value) < 1e15 else str(value)
    if isinstance(value, list | tuple):
        return ", ".join(_text(v) or "" for v in value)
    return str(value)


def _listed(values: list | None) -> str | None:
    return "; ".join(str(v) for v in values) if values else None


def _flatten(document: dict, prefix: str = "") -> dict[str, object]:
    """``{"annual": {"electricity_kwh": 1}}`` -> ``{"annual.electricity_kwh": 1}``; None values dropped."""
    flat: dict[str, object] = {}
    for key, value in document.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict):
            flat |= _flatten(value, path + ".")
        elif value is not None:
            flat[path] = value
    return flat
