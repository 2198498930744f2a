"""Criteria packs (data) and a generic evaluator: metrics compared with thresholds, tiers in order.

A pack is a YAML file in ``factors/criteria/``; a new edition of a standard is a new file. Each
criterion reports its value, threshold, margin and one of ``pass``, ``fail`` or ``not assessable``
(a metric that could not be computed is never passed).
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from bimcarbon.datafile import DataModel, load_validated
from bimcarbon.errors import FactorFileError
from bimcarbon.factors import factors_dir

DEFAULT_PACK = "cn-zero-carbon-building-draft-2023"


#: Metrics the assessment computes (bimcarbon.assess.metrics); a pack naming another is refused.
KNOWN_METRICS = (
    "carbon_intensity_kg_per_m2a",
    "baseline_carbon_intensity_kg_per_m2a",
    "carbon_intensity_reduction_kg_per_m2a",
    "carbon_intensity_reduction_share",
    "net_carbon_intensity_kg_per_m2a",
    "annualised_embodied_kg_per_m2a",
    "upfront_embodied_kg_per_m2",
)
#: Metrics a park roll-up computes (bimcarbon.park.rollup); only a park pack (``kind: park``) names them.
PARK_METRICS = (
    "park_carbon_per_energy_t_per_tce",
    "park_clean_energy_share",
    "park_energy_consumption_tce",
)
METRICS_OF_KIND = {"building": KNOWN_METRICS, "park": PARK_METRICS}
PackKind = Literal["building", "park"]


class Band(DataModel):
    """The threshold of a criterion while a size metric is below ``below`` (the last band: any size)."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    below: float | None = None
    threshold: float
    source: str = Field(min_length=1)
    provisional: bool
    note: str = ""


class Criterion(DataModel):
    """One threshold on one metric.

    ``provisional`` marks the threshold's own status; ``method_provisional`` that how bimcarbon computes
    the metric is its own reading of a method not read in its source (``method`` says which parts), so a
    confirmed threshold still rests on a provisional figure.
    """

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    id: str
    metric: Literal[KNOWN_METRICS + PARK_METRICS]  # type: ignore[valid-type]
    operator: Literal[">=", "<=", ">", "<"]
    threshold: float | None = None
    unit: str
    source: str = Field(min_length=1)
    provisional: bool | None = None
    note: str = ""
    method: str = ""
    method_provisional: bool = False
    band_metric: Literal[KNOWN_METRICS + PARK_METRICS] | None = None  # type: ignore[valid-type]
    bands: list[Band] = Field(default_factory=list)

    @model_validator(mode="after")
    def _threshold_or_bands(self) -> Criterion:
        """Either one threshold (with ``provisional``), or bands by size (each with its own)."""
        if not self.bands:
            if self.threshold is None or self.provisional is None or self.band_metric is not None:
                raise ValueError("give threshold and provisional (or band_metric and bands)")
            return self
        if self.threshold is not None or self.provisional is not None or self.band_metric is None:
            raise ValueError(
                "a criterion with bands gives band_metric, and threshold and provisional per band"
            )
        limits = [b.below for b in self.bands]
        if limits[-1] is not None or None in limits[:-1] or limits[:-1] != sorted(set(limits[:-1])):
            raise ValueError(
                "bands go from the smallest size up; each but the last gives below, in rising order"
            )
        return self

    def band(self, size: float | None) -> Band | None:
        """The band that applies at ``size`` (None: no bands, or the size is unknown)."""
        if not self.bands or size is None:
            return None
        return next(b for b in self.bands if b.below is None or size < b.below)


class Tier(DataModel):
    """A tier: reached when all its criteria pass (and every tier before it is reached)."""

    model_config = ConfigDict(extra="forbid")

    id: str
    name_en: str
    name_zh: str = ""
    criteria: list[Criterion] = Field(min_length=1)


class PackMetadata(DataModel):
    """What the pack is."""

    model_config = ConfigDict(extra="forbid")

    id: str
    title: str
    kind: PackKind = "building"
    edition: str = ""
    source: str = ""
    notes: str = ""


class CriteriaPack(DataModel):
    """Tiers in order, lowest first."""

    model_config = ConfigDict(extra="forbid")

    metadata: PackMetadata
    tiers: list[Tier] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_ids(self) -> CriteriaPack:
        ids = [t.id for t in self.tiers]
        if len(ids) != len(set(ids)):
            raise ValueError(f"tier ids must be unique: {ids}")
        allowed = METRICS_OF_KIND[self.metadata.kind]
        for tier in self.tiers:
            for c in tier.criteria:
                for metric in (c.metric, c.band_metric):
                    if metric is not None and metric not in allowed:
                        raise ValueError(
                            f"tier {tier.id}, criterion {c.id}: {metric} is not a {self.metadata.kind} metric"
                        )
        return self


class CriterionResult(BaseModel):
    """A criterion evaluated."""

    tier: str
    criterion: str
    metric: str
    value: float | None
    operator: str
    threshold: float | None
    unit: str
    margin: float | None
    verdict: Literal["pass", "fail", "not assessable"]
    provisional: bool
    source: str


class TierResult(BaseModel):
    """A tier evaluated."""

    tier: str
    name_en: str
    name_zh: str
    verdict: Literal["pass", "fail", "not assessable"]
    provisional: bool


class Verdicts(BaseModel):
    """Every tier and criterion, and the highest tier reached in order; ``note`` says why every verdict
    is "not assessable" when a condition outside the metrics blocks them (incomplete embodied data)."""

    pack: str
    reached: str | None
    tiers: list[TierResult]
    criteria: list[CriterionResult]
    note: str = ""


def not_assessable(verdicts: Verdicts, reason: str) -> Verdicts:
    """The same verdicts with every criterion and tier "not assessable" and nothing reached, because of
    ``reason``; values and margins are kept for the reader, never to pass."""
    return verdicts.model_copy(
        update={
            "reached": None,
            "tiers": [t.model_copy(update={"verdict": "not assessable"}) for t in verdicts.tiers],
            "criteria": [c.model_copy(update={"verdict": "not assessable"}) for c in verdicts.criteria],
            "note": reason,
        }
    )


def pack_path(name: str) -> Path:
    """A pack by id (in factors/criteria/) or a path to a YAML file."""
    path = Path(name)
    if path.suffix.lower() in (".yaml", ".yml"):
        return path
    return factors_dir() / "criteria" / f"{name}.yaml"


def shipped_packs(kind: PackKind = "building") -> list[str]:
    """Ids of the criteria packs shipped in factors/criteria/ for buildings or for parks."""
    found = []
    for path in sorted((factors_dir() / "criteria").glob("*.yaml")):
        try:
            if load_validated(path, CriteriaPack, "criteria pack").metadata.kind == kind:
                found.append(path.stem)
        except FactorFileError:  # a broken pack is named when someone asks for it
            continue
    return found


def load_pack(name: str = DEFAULT_PACK, kind: PackKind = "building") -> CriteriaPack:
    """Load and validate a criteria pack for a building or a park (one line naming the file and field
    if invalid, or if it is a pack of the other kind)."""
    path = pack_path(name)
    if not path.is_file():
        available = ", ".join(shipped_packs(kind))
        raise FactorFileError(f"criteria pack not found (available for a {kind}: {available})", path)
    pack = load_validated(path, CriteriaPack, "criteria pack")
    if pack.metadata.kind != kind:
        available = ", ".join(shipped_packs(kind))
        raise FactorFileError(
            f"this is a {pack.metadata.kind} criteria pack; a {kind} needs one of: {available}", path
        )
    return pack


def _compare(value: float, operator: str, threshold: float) -> bool:
    return {
        ">=": value >= threshold,
        "<=": value <= threshold,
        ">": value > threshold,
        "<": value < threshold,
    }[operator]


def evaluate(pack: CriteriaPack, metrics: dict[str, float | None]) -> Verdicts:
    """Evaluate every criterion of ``pack`` on ``metrics``.

    The margin is how far the value is on the passing side of the threshold (negative: failing by
    that much). A criterion with bands takes the threshold, ``provisional`` mark and source of the band
    its size metric falls in (not assessable, with no threshold, while the size is unknown). A tier
    passes when all its criteria pass, is not assessable when none fails but one cannot be computed,
    and fails otherwise; the tier reached is the last one of an unbroken run of passes from the first.
    """
    criteria: list[CriterionResult] = []
    tiers: list[TierResult] = []
    reached: str | None = None
    still_reaching = True
    for tier in pack.tiers:
        verdicts = []
        marks = []
        for c in tier.criteria:
            value = metrics.get(c.metric)
            threshold, provisional, source = c.threshold, c.provisional, c.source
            if c.bands:
                band = c.band(metrics.get(c.band_metric or ""))
                threshold = band.threshold if band else None
                provisional = band.provisional if band else any(b.provisional for b in c.bands)
                source = band.source if band else c.source
            if value is None or threshold is None:
                verdict, margin = "not assessable", None
            else:
                verdict = "pass" if _compare(value, c.operator, threshold) else "fail"
                margin = value - threshold if c.operator in (">=", ">") else threshold - value
            verdicts.append(verdict)
            marks.append(bool(provisional))
            criteria.append(
                CriterionResult(
                    tier=tier.id,
                    criterion=c.id,
                    metric=c.metric,
                    value=value,
                    operator=c.operator,
                    threshold=threshold,
                    unit=c.unit,
                    margin=margin,
                    verdict=verdict,
                    provisional=bool(provisional),
                    source=source,
                )
            )
        if "fail" in verdicts:
            tier_verdict = "fail"
        elif "not assessable" in verdicts:
            tier_verdict = "not assessable"
        else:
            tier_verdict = "pass"
        still_reaching = still_reaching and tier_verdict == "pass"
        if still_reaching:
            reached = tier.id
        tiers.append(
            TierResult(
                tier=tier.id,
                name_en=tier.name_en,
                name_zh=tier.name_zh,
                verdict=tier_verdict,
                provisional=any(marks),
            )
        )
    return Verdicts(pack=pack.metadata.id, reached=reached, tiers=tiers, criteria=criteria)
