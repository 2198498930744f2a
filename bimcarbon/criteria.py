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


class Criterion(DataModel):
    """One threshold on one metric."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    id: str
    metric: Literal[KNOWN_METRICS]  # type: ignore[valid-type]
    operator: Literal[">=", "<=", ">", "<"]
    threshold: float
    unit: str
    source: str = Field(min_length=1)
    provisional: bool
    note: str = ""


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
        return self


class CriterionResult(BaseModel):
    """A criterion evaluated."""

    tier: str
    criterion: str
    metric: str
    value: float | None
    operator: str
    threshold: float
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


def load_pack(name: str = DEFAULT_PACK) -> CriteriaPack:
    """Load and validate a criteria pack (one line naming the file and field if invalid)."""
    path = pack_path(name)
    if not path.is_file():
        available = ", ".join(sorted(p.stem for p in (factors_dir() / "criteria").glob("*.yaml")))
        raise FactorFileError(f"criteria pack not found (available: {available})", path)
    return load_validated(path, CriteriaPack, "criteria pack")


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
    that much). A tier passes when all its criteria pass, is not assessable when none fails but one
    cannot be computed, and fails otherwise; the tier reached is the last one of an unbroken run of
    passes from the first.
    """
    criteria: list[CriterionResult] = []
    tiers: list[TierResult] = []
    reached: str | None = None
    still_reaching = True
    for tier in pack.tiers:
        verdicts = []
        for c in tier.criteria:
            value = metrics.get(c.metric)
            if value is None:
                verdict, margin = "not assessable", None
            else:
                verdict = "pass" if _compare(value, c.operator, c.threshold) else "fail"
                margin = value - c.threshold if c.operator in (">=", ">") else c.threshold - value
            verdicts.append(verdict)
            criteria.append(
                CriterionResult(
                    tier=tier.id,
                    criterion=c.id,
                    metric=c.metric,
                    value=value,
                    operator=c.operator,
                    threshold=c.threshold,
                    unit=c.unit,
                    margin=margin,
                    verdict=verdict,
                    provisional=c.provisional,
                    source=c.source,
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
                provisional=any(c.provisional for c in tier.criteria),
            )
        )
    return Verdicts(pack=pack.metadata.id, reached=reached, tiers=tiers, criteria=criteria)
