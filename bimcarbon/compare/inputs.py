"""What went into each of two assessments, and what changed: the model, the criteria pack, the energy
figures, the options, the tool, the factor and rule sets. Pure functions on assessment JSON dicts.

Each row is ``{what, key, a, b, changed}`` with text values (``yes``/``no`` for a yes-or-no, every digit
a person typed for a number; None: not given), so that two inputs compare as a person reads them.
"""

from __future__ import annotations

from typing import Any

#: Assessment parameters not compared as options: the energy figures (compared field by field) and the
#: criteria pack's id (the pack is compared with its edition).
NOT_OPTIONS = frozenset({"energy", "criteria"})


def input_rows(
    a: dict, b: dict, skip: frozenset[str] | set[str] = frozenset(), option: str = "option"
) -> list[dict[str, Any]]:
    """What went into each assessment: ``{what, key, a, b, changed}``.

    ``what`` is one of ``model`` (its file name), ``sha256`` (its content), ``schema`` (its IFC schema),
    ``criteria``, ``floor area source``, ``design life``, ``energy file`` (given or not), ``energy``
    (when both have energy figures: a row per field, ``key`` its dotted path), ``option`` (``what`` is
    the ``option`` argument: the assessment's parameters but for ``skip``, ``key`` the parameter),
    ``tool``, ``factor sets``, ``rule sets``.
    """
    rows = [
        row("model", None, a.get("model_name"), b.get("model_name")),
        row("sha256", None, a.get("model_sha256"), b.get("model_sha256")),
        row("schema", None, a.get("schema_name"), b.get("schema_name")),
        row("criteria", None, a.get("criteria_pack"), b.get("criteria_pack")),
        row(
            "floor area source",
            None,
            (a.get("floor_area") or {}).get("source"),
            (b.get("floor_area") or {}).get("source"),
        ),
        row("design life", None, _life(a), _life(b)),
    ]
    params_a, params_b = a.get("parameters") or {}, b.get("parameters") or {}
    energy_a, energy_b = params_a.get("energy"), params_b.get("energy")
    rows.append(row("energy file", None, energy_a is not None, energy_b is not None))
    both = isinstance(energy_a, dict) and isinstance(energy_b, dict)
    fields_a = flatten(energy_a) if both else {}
    fields_b = flatten(energy_b) if both else {}
    for key in sorted(set(fields_a) | set(fields_b)):
        rows.append(row("energy", key, fields_a.get(key), fields_b.get(key)))
    for key in sorted((set(params_a) | set(params_b)) - NOT_OPTIONS - set(skip)):
        rows.append(row(option, key, params_a.get(key), params_b.get(key)))
    rows.append(row("tool", None, a.get("tool_version"), b.get("tool_version")))
    rows.append(row("factor sets", None, listed(a.get("factor_sets")), listed(b.get("factor_sets"))))
    rows.append(row("rule sets", None, listed(a.get("rule_sets")), listed(b.get("rule_sets"))))
    return rows


def _life(assessment: dict) -> str | None:
    years = assessment.get("design_life_years")
    if years is None:
        return None
    return f"{text(float(years))} a ({assessment.get('design_life_source') or '?'})"


def row(what: str, key: str | None, a: object, b: object) -> dict[str, Any]:
    """One input of both sides as text, and whether it changed."""
    a_text, b_text = text(a), text(b)
    return {"what": what, "key": key, "a": a_text, "b": b_text, "changed": a_text != b_text}


def text(value: object) -> str | None:
    """An input as a person reads it (None: not given)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        # every digit a person typed: 1234567 and 1234568 kWh are different inputs
        return f"{value:,.10g}" if abs(value) < 1e15 else str(value)
    if isinstance(value, list | tuple):
        return ", ".join(text(v) or "" for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}={text(v)}" for k, v in value.items())
    return str(value)


def listed(values: list | None) -> str | None:
    """A list of names as one text (None when empty)."""
    return "; ".join(str(v) for v in values) if values else None


def flatten(document: dict, prefix: str = "") -> dict[str, object]:
    """``{"annual": {"electricity_kwh": 1}}`` -> ``{"annual.electricity_kwh": 1}``; None values dropped."""
    flat: dict[str, object] = {}
    for key, value in document.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict):
            flat |= flatten(value, path + ".")
        elif value is not None:
            flat[path] = value
    return flat
