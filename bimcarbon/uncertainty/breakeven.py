"""The embodied debate as a number: per tier, the upfront embodied intensity at which counting embodied
emissions flips the verdict.

With embodied emissions counted, the building's upfront embodied intensity U (A1-A5 per m2) enters its
carbon intensity and net balance as U / design life (:func:`bimcarbon.assess.metrics`); every building
metric gets worse as U grows, so a tier that passes at U = 0 passes up to one value of U and fails
above it. That value is found by bisection on the real ``metrics`` and
:func:`bimcarbon.criteria.evaluate` (to 0.01 kgCO2e/m2), so it can never disagree with the verdicts.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from bimcarbon.criteria import CriteriaPack, Verdicts, evaluate
from bimcarbon.uncertainty.result import EmbodiedBreakEven, TierBreakEven

#: Precision of the break-even, kgCO2e/m2 (reported rounded down to it: the tier passes there).
PRECISION_KG_PER_M2 = 0.01
#: Above this upfront embodied intensity (kgCO2e/m2, a hundred times the heaviest buildings), a tier
#: that still passes does not depend on it.
SEARCH_LIMIT_KG_PER_M2 = 1e6

REASONS = {
    "no_floor_area": "no floor area: the upfront embodied intensity cannot be computed",
    "not_assessable": "not assessable with embodied emissions counted ({what} cannot be computed)",
    "fails_at_zero": "fails with embodied emissions counted even at zero upfront embodied emissions",
    "independent": "passes at any upfront embodied intensity: its criteria do not depend on it",
}


def embodied_break_even(
    pack: CriteriaPack,
    metrics_at: Callable[[float], dict[str, float | None]],
    current_kg_per_m2: float | None,
    without: Verdicts,
    note: str = "",
) -> EmbodiedBreakEven:
    """The break-even of every tier of ``pack``.

    Parameters
    ----------
    pack
        The criteria pack.
    metrics_at
        The with-embodied metrics of the building at an upfront embodied intensity (kgCO2e/m2), all
        else as assessed (:func:`bimcarbon.assess.metrics`).
    current_kg_per_m2
        The building's upfront embodied intensity (A1-A5 / floor area), None without a floor area.
    without
        The verdicts without embodied emissions (reported beside).
    note
        Why the with-embodied verdicts are blocked, if they are: then every tier's
        ``verdict_with_embodied`` is "not assessable", as in the assessment (the break-even and margin
        still say where the verdict would be, never that it passes).

    Returns
    -------
    EmbodiedBreakEven
    """
    without_verdict = {t.tier: t.verdict for t in without.tiers}
    if current_kg_per_m2 is None:
        tiers = [
            TierBreakEven(
                tier=t.id,
                name_en=t.name_en,
                name_zh=t.name_zh,
                verdict_without_embodied=without_verdict.get(t.id, "not assessable"),
                verdict_with_embodied="not assessable",
                break_even_kg_per_m2=None,
                margin_kg_per_m2=None,
                reason_id="no_floor_area",
                reason=REASONS["no_floor_area"],
            )
            for t in pack.tiers
        ]
        return EmbodiedBreakEven(current_kg_per_m2=None, tiers=tiers, note=note)

    cache: dict[float, Verdicts] = {}

    def verdicts(upfront: float) -> Verdicts:
        if upfront not in cache:
            cache[upfront] = evaluate(pack, metrics_at(upfront))
        return cache[upfront]

    def verdict(position: int, upfront: float) -> str:
        return verdicts(upfront).tiers[position].verdict

    tiers = []
    for position, tier in enumerate(pack.tiers):
        value, reason_id, what = _search(position, verdict, current_kg_per_m2)
        if reason_id == "not_assessable":
            missing = [
                c.metric
                for c in verdicts(0.0).criteria
                if c.tier == tier.id and c.verdict == "not assessable"
            ]
            what = ", ".join(dict.fromkeys(missing))
        tiers.append(
            TierBreakEven(
                tier=tier.id,
                name_en=tier.name_en,
                name_zh=tier.name_zh,
                verdict_without_embodied=without_verdict.get(tier.id, "not assessable"),
                verdict_with_embodied="not assessable" if note else verdict(position, current_kg_per_m2),
                break_even_kg_per_m2=value,
                margin_kg_per_m2=None if value is None else value - current_kg_per_m2,
                reason_id=reason_id,
                reason=REASONS[reason_id].format(what=what) if reason_id else "",
            )
        )
    return EmbodiedBreakEven(current_kg_per_m2=current_kg_per_m2, tiers=tiers, note=note)


def _search(
    position: int, verdict: Callable[[int, float], str], current: float
) -> tuple[float | None, str, str]:
    """The highest upfront intensity at which the tier passes (rounded down to the precision), or
    None with the reason id."""
    at_zero = verdict(position, 0.0)
    if at_zero == "not assessable":
        return None, "not_assessable", ""
    if at_zero == "fail":
        return None, "fails_at_zero", ""
    high = max(1000.0, 2.0 * current)
    while verdict(position, high) == "pass":
        if high >= SEARCH_LIMIT_KG_PER_M2:
            return None, "independent", ""
        high = min(high * 10.0, SEARCH_LIMIT_KG_PER_M2)
    low = 0.0  # passes at low, not at high
    while high - low > PRECISION_KG_PER_M2 / 2:
        middle = (low + high) / 2.0
        if verdict(position, middle) == "pass":
            low = middle
        else:
            high = middle
    steps = math.floor(low / PRECISION_KG_PER_M2)
    return round(steps * PRECISION_KG_PER_M2, 2), "", ""
