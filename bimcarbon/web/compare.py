"""The differences between two runs of a project: pure functions on their stored results.

A side is what a finished run left (see :func:`bimcarbon.web.jobs.read_side`): its store row
(``run``), its assessment JSON (``assessment``), its A1-A3 by element class
(``breakdown``, None for runs made before it was written) and the text of the mapping it was given
(``mapping``, None without one). :func:`compare` turns two sides, A and B, into rows that a page shows
as they are: every difference is B - A, and its share is of A.
"""

from __future__ import annotations

from typing import Any

import yaml

from bimcarbon.compare.figures import (  # noqa: F401  (the page's figures: general, in bimcarbon.compare)
    KEY_METRICS,
    MODULES,
    SAME,
    by_largest_change,
    difference,
    figure,
    material_rows,
    metric_rows,
    module_rows,
    not_assessable,
    reached,
    verdict_rows,
)
from bimcarbon.compare.inputs import input_rows as assessment_input_rows
from bimcarbon.compare.inputs import row as _row
from bimcarbon.compare.inputs import text as _text  # noqa: F401  (how an input reads)
from bimcarbon.report.workbook.compare_messages_zh import text_in

#: How many changed elements the page lists (the JSON and the workbook have them all).
TOP_ELEMENTS = 20
#: A comparison's warnings holding this word repeat a side's implausible figure.
LOUD = "IMPLAUSIBLE"

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
    ``criteria``, ``floor area source``, ``design life``, ``energy file`` (given or not), ``energy``
    (when both have one: a row per field, ``key`` its dotted path), ``mapping`` (a row per material or
    rule, ``key`` its name), ``option`` (run parameters), ``assessment option``, ``tool``, ``factor
    sets``, ``rule sets`` (:func:`bimcarbon.compare.inputs.input_rows`, with the run's own rows). Values
    are text (``yes``/``no`` for a yes-or-no; None: not given); ``factor_names`` (id -> name) names the
    factors of the mapping rows."""
    general = assessment_input_rows(
        a["assessment"], b["assessment"], skip=_NOT_ASSESSMENT_OPTIONS, option="assessment option"
    )
    general[0] = _row(
        "model", None, a["run"]["parameters"].get("model_name"), b["run"]["parameters"].get("model_name")
    )
    rows = [r for r in general if r["what"] not in ("assessment option", "tool", "factor sets", "rule sets")]
    map_a = mapping_choices(a.get("mapping"), factor_names)
    map_b = mapping_choices(b.get("mapping"), factor_names)
    for key in sorted(set(map_a) | set(map_b)):
        rows.append(_row("mapping", key, map_a.get(key), map_b.get(key)))
    params_a, params_b = a["run"]["parameters"], b["run"]["parameters"]
    for key in sorted((set(params_a) | set(params_b)) - _NOT_OPTIONS):
        rows.append(_row("option", key, params_a.get(key), params_b.get(key)))
    rows += [r for r in general if r["what"] in ("assessment option", "tool", "factor sets", "rule sets")]
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


def compare(a: dict, b: dict, factor_names: dict[str, str] | None = None, lang: str = "en") -> dict[str, Any]:
    """Everything the compare page shows for sides ``a`` and ``b`` (both finished runs); ``factor_names``
    (factor id -> name) names the factors chosen in their mappings.

    ``elements`` is the element-by-element comparison (:func:`bimcarbon.compare.compare_assessments`,
    summed up for the page: :func:`element_summary`) when both runs kept their elements' results, else
    None, and ``old_runs`` names the runs to assess again. A1-A3 by element class comes from it, else from
    the runs' breakdowns.
    """
    aa, ba = a["assessment"], b["assessment"]
    inputs = input_rows(a, b, factor_names)
    old = [side["run"] for side in (a, b) if not has_elements(side["assessment"])]
    comparison = None if old else comparison_of(a, b)
    classes = class_rows(a.get("breakdown"), b.get("breakdown"))
    if comparison is not None:
        classes = group_rows(comparison.by_class, "a1_a3")
    warnings = comparison.warnings if comparison is not None else figure_warnings(aa, ba)
    t = _labels(lang)
    return {
        "reached": {"a": reached(aa), "b": reached(ba)},
        "verdicts": verdict_rows(aa, ba),
        "metrics": metric_rows(aa, ba),
        "modules": module_rows(aa, ba),
        "materials": material_rows(aa, ba),
        "classes": classes,
        "inputs": [r for r in inputs if r["changed"]],
        "unchanged": [r for r in inputs if not r["changed"]],
        "elements": element_summary(comparison, lang) if comparison is not None else None,
        "old_runs": [{"id": r.get("id"), "name": r.get("name")} for r in old],
        "warnings": [text_in(t, line) for line in warnings if LOUD not in line],
        "implausible": [text_in(t, line) for line in warnings if LOUD in line],
    }


def figure_warnings(a: dict, b: dict) -> list[str]:
    """The comparison's warnings that need no per-element results (for a run made before format 3): a
    side's implausible figure, criteria packs or other inputs that differ, an incomplete total or
    assumed material (:mod:`bimcarbon.compare.trust`)."""
    from bimcarbon.compare.inputs import input_rows as rows_of
    from bimcarbon.compare.model import InputRow
    from bimcarbon.compare.trust import incomplete, inputs_differ, side_warnings

    inputs = [InputRow(**figure(r)) for r in rows_of(a, b)]
    return [*side_warnings(a, b, (False, False)), *inputs_differ(inputs), *incomplete(a, b)]


def _labels(lang: str) -> dict:
    """The comparison workbook's words in ``lang``, with its data texts (what :func:`text_in` needs)."""
    from bimcarbon.report.workbook.compare_labels import COMPARE_LABELS
    from bimcarbon.report.workbook.data_zh import DataText

    return {**COMPARE_LABELS[lang], "data": DataText(lang)}


def has_elements(assessment: dict | None) -> bool:
    """Whether a run's assessment kept its elements' results (format 3 and later)."""
    return (
        isinstance(assessment, dict)
        and isinstance(assessment.get("format_version"), int)
        and assessment["format_version"] >= 3
        and isinstance(assessment.get("elements"), list)
    )


def comparison_of(a: dict, b: dict):
    """The comparison of two finished runs (run A the base, run B the variant), named by their runs."""
    from bimcarbon.compare import compare_assessments

    name_a = a["run"].get("name") or a["run"].get("id") or "A"
    name_b = b["run"].get("name") or b["run"].get("id") or "B"
    return compare_assessments(a["assessment"], b["assessment"], f"A: {name_a}", f"B: {name_b}")


def group_rows(groups, module: str) -> list[dict[str, Any]]:
    """Groups of the comparison (by class, by storey) as the page's rows: ``{key, a, b, diff, pct,
    elements_a, elements_b}`` of one module, the largest change first; a group with no value on either
    side (a class of elements without material) is left out."""
    rows = []
    for g in groups:
        row = difference(g.base.get(module), g.variant.get(module))
        if row["diff"] is None:
            continue
        rows.append({"key": g.key, **row, "elements_a": g.elements_base, "elements_b": g.elements_variant})
    rows.sort(key=lambda r: (-abs(r["diff"] or 0.0), -max(r["a"] or 0.0, r["b"] or 0.0), r["key"]))
    return rows


def element_summary(comparison, lang: str = "en") -> dict[str, Any]:
    """What the page shows of a comparison: the pairing, the elements that changed most (at most
    :data:`TOP_ELEMENTS`, with what changed in the page's language), A5 site activity and C1 (building
    level), element-level embodied by storey, whether every module balances, and the warnings (those
    naming a side's implausible figure apart, ``implausible``: the page shows them first, as an alert)."""
    from bimcarbon.report.workbook.compare import what_changed

    t = _labels(lang)
    moved = [e for e in comparison.elements if e.change != "unchanged"]
    moved.sort(key=lambda e: (-abs(e.delta_embodied_kgco2e or 0.0), e.change, e.global_id or ""))
    top = [
        {
            "change": e.change,
            "element_name": e.element_name,
            "ifc_class": e.ifc_class,
            "storey": e.storey,
            "global_id": e.global_id,
            "base_global_id": e.base_global_id,
            "variant_global_id": e.variant_global_id,
            "paired_by": e.paired_by,
            "ambiguous": e.ambiguous,
            "what_changed": what_changed(e, t),
            "delta_a1_a3_kgco2e": e.delta_a1_a3_kgco2e,
            "delta_embodied_kgco2e": e.delta_embodied_kgco2e,
        }
        for e in moved[:TOP_ELEMENTS]
    ]
    building = comparison.building_level
    return {
        "pairing": comparison.pairing.model_dump(exclude={"position_tolerance_source"}),
        "moved": len(moved),
        "top": top,
        "building_level": {
            "a5_site": building.a5_site.model_dump(),
            "c1": building.c1.model_dump(),
            "floor_area_m2": building.floor_area_m2.model_dump(),
        },
        "storeys": group_rows(comparison.by_storey, "embodied"),
        "balanced": all(r.balanced for r in comparison.balance),
        "changed_tiers": comparison.verdicts.changed,
        "warnings": [text_in(t, line) for line in comparison.warnings if LOUD not in line],
        "implausible": [text_in(t, line) for line in comparison.warnings if LOUD in line],
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
