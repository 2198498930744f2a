"""What the assessment JSON holds of the uncertainty (``uncertainty``) and of the embodied break-even
(``embodied_break_even``). Models only: they import nothing of the assessment."""

from __future__ import annotations

from pydantic import BaseModel, Field

#: The metrics whose percentiles are reported, in order, with their unit.
METRIC_UNITS = {
    "a1_a3": "kgCO2e",
    "upfront_a1_a5": "kgCO2e",
    "embodied_total": "kgCO2e",
    "upfront_embodied_kg_per_m2": "kgCO2e/m2",
    "carbon_intensity_with_embodied_kg_per_m2a": "kgCO2e/(m2.a)",
    "carbon_intensity_without_embodied_kg_per_m2a": "kgCO2e/(m2.a)",
    "net_carbon_intensity_with_embodied_kg_per_m2a": "kgCO2e/(m2.a)",
    "net_carbon_intensity_without_embodied_kg_per_m2a": "kgCO2e/(m2.a)",
    "reduction_share_with_embodied": "share",
    "reduction_share_without_embodied": "share",
}


class Percentiles(BaseModel):
    """A metric over the samples: the deterministic value, the mean and percentiles (linear
    interpolation between order statistics). ``p80`` (with ``--conservative``) is the EC3-style
    conservative value: 80 % of the samples are at or below it."""

    deterministic: float | None
    mean: float
    p5: float
    p50: float
    p95: float
    p80: float | None = None
    undefined_share: float = 0.0


class TierProbability(BaseModel):
    """The probability of reaching each tier (tier id -> share of the samples in which it and every
    tier before it pass), in each mode. None: not assessable (``note`` says why); never a probability."""

    with_embodied: dict[str, float | None]
    without_embodied: dict[str, float | None]
    with_embodied_note: str = ""
    without_embodied_note: str = ""


class Contributor(BaseModel):
    """One input's share of a metric's first-order variance."""

    input: str
    kind: str
    label: str
    share: float
    spread: str
    components: int


class SpreadApplied(BaseModel):
    """One spread of the spreads file (or a range from a data file) and what it was applied to."""

    spread: str
    distribution: str
    p95_ratio: float | None = None
    inputs: int
    components: int
    reason: str
    reason_zh: str = ""


class NotSampledItem(BaseModel):
    """Something the Monte Carlo does not draw (from the spreads file)."""

    description: str
    description_zh: str = ""


class Caveat(BaseModel):
    """Why the ranges may lie around a figure that is wrong (:mod:`bimcarbon.uncertainty.caveats`):
    every output says it next to them.

    ``id``: ``implausible`` (``count`` findings no person would believe), ``incomplete`` (``share`` of
    the mass counted, ``needed`` the completeness threshold: what is left out is in no sample),
    ``completeness_unknown``, ``assumed`` (``share`` of A1-A3 resting on assumptions), ``floor_area``
    (a proxy, not sampled). ``text`` is the English line.
    """

    id: str
    text: str = ""
    count: int | None = None
    share: float | None = None
    needed: float | None = None


class UncertaintyResult(BaseModel):
    """The Monte Carlo of an assessment (``bimcarbon assess --uncertainty N``; docs/uncertainty.md)."""

    samples: int
    seed: int
    conservative: bool = False
    spreads_file: str
    percentiles: dict[str, Percentiles | None]
    tier_probability: TierProbability
    top_contributors: dict[str, list[Contributor]]
    contributors_method: str
    spreads: list[SpreadApplied]
    not_sampled: list[NotSampledItem] = Field(default_factory=list)
    caveats: list[Caveat] = Field(default_factory=list)
    #: Per metric of ``top_contributors``: the sum of the first-order terms over the variance of the
    #: samples (near 1 where the metric is nearly linear in its inputs; below 1 where inputs that
    #: multiply each other both have wide spreads, whose interaction the shares leave out). Capped at
    #: 1: from a few hundred samples the variance is itself known to some 10 % only.
    contributors_explained: dict[str, float] = Field(default_factory=dict)


class TierBreakEven(BaseModel):
    """The upfront embodied intensity (A1-A5 per m2) at which a tier's with-embodied verdict flips.

    ``break_even_kg_per_m2`` is the highest value at which the tier passes with embodied emissions
    counted (to 0.01 kgCO2e/m2); ``margin_kg_per_m2`` is break-even minus the building's value (negative:
    the building must cut that much to pass). None with ``reason`` (and ``reason_id``: ``no_floor_area``,
    ``not_assessable``, ``fails_at_zero``, ``independent``) where no value flips it.
    """

    tier: str
    name_en: str
    name_zh: str
    verdict_without_embodied: str
    verdict_with_embodied: str
    break_even_kg_per_m2: float | None
    margin_kg_per_m2: float | None
    reason_id: str = ""
    reason: str = ""


class EmbodiedBreakEven(BaseModel):
    """The embodied debate as numbers: per tier, the upfront embodied intensity that flips it.

    ``verdict_with_embodied`` is the evaluation at the building's value; while the with-embodied
    verdicts are blocked (an incomplete embodied total) it is "not assessable", as in the assessment,
    and ``note`` says why: the break-even and margin still say where the verdict would be.
    """

    current_kg_per_m2: float | None
    tiers: list[TierBreakEven]
    note: str = ""
