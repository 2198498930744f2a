"""Two assessments element by element: :func:`compare_assessments`.

Pure: it reads the two assessments (JSON dicts or :class:`~bimcarbon.assess.Assessment`) and the
comparison settings, and returns a :class:`~bimcarbon.compare.model.Comparison`; the command line
(``bimcarbon compare``) and the web app's compare page call it.
"""

from __future__ import annotations

from pathlib import Path

from bimcarbon.compare import diff, figures
from bimcarbon.compare.inputs import input_rows
from bimcarbon.compare.model import (
    BuildingLevel,
    Comparison,
    InputRow,
    MetricRow,
    PairingSummary,
    Side,
    TierRow,
    VerdictComparison,
)
from bimcarbon.compare.pairing import pair_elements
from bimcarbon.compare.settings import CompareSettings, load_settings
from bimcarbon.compare.sides import checked
from bimcarbon.compare.trust import side_warnings, trust_warnings


def compare_assessments(
    base: object,
    variant: object,
    base_name: str | Path = "base",
    variant_name: str | Path = "variant",
    settings: CompareSettings | None = None,
    assessed_now: tuple[bool, bool] = (False, False),
) -> Comparison:
    """Compare two assessments element by element.

    Parameters
    ----------
    base, variant
        Assessment JSON dicts (``bimcarbon assess --json``, format 3) or
        :class:`~bimcarbon.assess.Assessment` objects.
    base_name, variant_name
        How the outputs and any refusal name each side (a file, a run).
    settings
        The comparison settings (default: ``factors/compare.yaml``).
    assessed_now
        Whether each side was assessed now from a model (said in the outputs), or read.

    Returns
    -------
    Comparison
        Every delta is variant - base. For every module of the totals, the element deltas plus the
        building-level deltas (A5 site activity, C1) equal the total delta (``balance``).

    Raises
    ------
    bimcarbon.errors.ComparisonInputError
        A side is not an assessment of format 3 (one line naming it).
    """
    a = checked(base, base_name)
    b = checked(variant, variant_name)
    settings = settings or load_settings()
    tolerance = settings.position_tolerance
    pairing = pair_elements(a["elements"], b["elements"], tolerance.value)
    same_schema = a.get("schema_name") == b.get("schema_name")
    changes = [
        diff.element_change(
            pair,
            a["elements"][pair.base] if pair.base is not None else None,
            b["elements"][pair.variant] if pair.variant is not None else None,
            tolerance.value,
            same_schema,
        )
        for pair in pairing.pairs
    ]
    total = diff.totals(a["embodied"], b["embodied"])
    building = {
        "a5_site": diff.figure_of(a["embodied"].get("a5_site"), b["embodied"].get("a5_site")),
        "c1": diff.figure_of(a["embodied"].get("c1"), b["embodied"].get("c1")),
    }
    balance = diff.balance(changes, building, total)
    warnings = list(pairing.warnings)
    for row in balance:
        if not row.balanced:  # a bug or a hand-edited JSON: never silent
            warnings.append(
                f"{row.module}: the element deltas ({row.elements_kgco2e:,.3f}) and the building-level "
                f"delta ({row.building_level_kgco2e:,.3f}) do not make the total delta "
                f"({row.delta_kgco2e or 0:,.3f} kgCO2e): {row.difference_kgco2e:,.3f} kgCO2e unexplained"
            )
    warnings += side_warnings(a, b, assessed_now)
    inputs = [InputRow(**figures.figure(r)) for r in input_rows(a, b)]
    warnings += trust_warnings(a, b, changes, inputs)
    counts = {
        kind: sum(c.change == kind for c in changes) for kind in ("added", "removed", "changed", "unchanged")
    }
    return Comparison(
        base=_side(a, base_name, assessed_now[0]),
        variant=_side(b, variant_name, assessed_now[1]),
        pairing=PairingSummary(
            by_global_id=pairing.count("global_id"),
            by_position=pairing.count("position"),
            ambiguous=sum(p.ambiguous for p in pairing.pairs),
            **counts,
            position_tolerance_m=tolerance.value,
            position_tolerance_source=tolerance.source,
        ),
        elements=changes,
        building_level=BuildingLevel(
            **building,
            floor_area_m2=diff.figure_of(
                (a.get("floor_area") or {}).get("value_m2"), (b.get("floor_area") or {}).get("value_m2")
            ),
            a5_source={
                "base": a["embodied"].get("a5_source", ""),
                "variant": b["embodied"].get("a5_source", ""),
            },
            note=(
                "A5 site activity (or the construction energy of the energy file) and C1 demolition are "
                "per m2 of floor area: they belong to the building, not to an element, and change with "
                "the floor area"
            ),
        ),
        totals=total,
        balance=balance,
        by_material=diff.by_material(a, b, changes),
        by_class=diff.by_attribute(changes, "ifc_class", "(no class)"),
        by_storey=diff.by_attribute(changes, "storey", "(no storey)"),
        verdicts=verdicts(a, b),
        metrics=[MetricRow(**figures.figure(r)) for r in figures.metric_rows(a, b)],
        inputs=inputs,
        warnings=warnings,
    )


def verdicts(a: dict, b: dict) -> VerdictComparison:
    """The verdicts of both sides in both modes and the tiers whose verdict changed per mode."""
    rows = figures.verdict_rows(a, b)
    tiers = [
        TierRow(
            tier=r["tier"],
            name_en=r["name_en"],
            name_zh=r.get("name_zh"),
            provisional=r["provisional"],
            base_without=r["a_without"],
            variant_without=r["b_without"],
            base_with=r["a_with"],
            variant_with=r["b_with"],
            changed_without=r["changed_without"],
            changed_with=r["changed_with"],
        )
        for r in rows
    ]
    return VerdictComparison(
        base={mode: a[mode]["verdicts"] for mode in figures.MODES},
        variant={mode: b[mode]["verdicts"] for mode in figures.MODES},
        reached={"base": figures.reached(a), "variant": figures.reached(b)},
        tiers=tiers,
        changed={
            "without_embodied": [t.tier for t in tiers if t.changed_without],
            "with_embodied": [t.tier for t in tiers if t.changed_with],
        },
        notes={"base": a["with_embodied"].get("note") or "", "variant": b["with_embodied"].get("note") or ""},
    )


def _side(document: dict, name: str | Path, assessed_now: bool) -> Side:
    return Side(
        source=Path(name).name if isinstance(name, Path) else str(name),
        assessed_now=assessed_now,
        model_name=document.get("model_name"),
        model_sha256=document.get("model_sha256"),
        tool_version=document.get("tool_version"),
        format_version=document.get("format_version"),
        warnings=len(document.get("warnings") or []),
    )
