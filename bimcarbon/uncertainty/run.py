"""The Monte Carlo of one assessment: inputs, seeded samples, percentiles, tier probabilities and the
contributors to the variance (docs/uncertainty.md).

:func:`assess_uncertainty` works on an :class:`~bimcarbon.assess.AssessmentRun` (its tables and the
deterministic result); it never reads the model again.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from bimcarbon.assess import AssessmentRun, embodied_gate
from bimcarbon.criteria import CriteriaPack, load_pack
from bimcarbon.energy import RANGE_FIELDS, EnergyInput, range_value
from bimcarbon.energy_factors import load_fuels
from bimcarbon.errors import BimcarbonError
from bimcarbon.lifecycle import load_lifecycle_defaults
from bimcarbon.operational import FUEL_OF_CARRIER
from bimcarbon.uncertainty import sensitivity
from bimcarbon.uncertainty.caveats import caveats
from bimcarbon.uncertainty.inputs import InputSet, build_inputs
from bimcarbon.uncertainty.result import (
    METRIC_UNITS,
    NotSampledItem,
    Percentiles,
    SpreadApplied,
    TierProbability,
    UncertaintyResult,
)
from bimcarbon.uncertainty.sampling import Building, Model, draw_chunks
from bimcarbon.uncertainty.spreads import SPREADS_FILE, RangeUse, Spreads, load_spreads
from bimcarbon.uncertainty.tiers import reached, tier_codes

#: The seed when none is given (recorded in every result, so a run can be repeated).
DEFAULT_SEED = 16
#: Sample counts a person may ask for: fewer gives percentiles no one should read, more only time.
SAMPLE_RANGE = (100, 100_000)
#: (output key, mode, metric of :func:`bimcarbon.assess.metrics`) for the per-m2 metrics.
MODE_METRICS = (
    ("upfront_embodied_kg_per_m2", "with", "upfront_embodied_kg_per_m2"),
    ("carbon_intensity_with_embodied_kg_per_m2a", "with", "carbon_intensity_kg_per_m2a"),
    ("carbon_intensity_without_embodied_kg_per_m2a", "without", "carbon_intensity_kg_per_m2a"),
    ("net_carbon_intensity_with_embodied_kg_per_m2a", "with", "net_carbon_intensity_kg_per_m2a"),
    ("net_carbon_intensity_without_embodied_kg_per_m2a", "without", "net_carbon_intensity_kg_per_m2a"),
    ("reduction_share_with_embodied", "with", "carbon_intensity_reduction_share"),
    ("reduction_share_without_embodied", "without", "carbon_intensity_reduction_share"),
)
#: The metrics whose variance is decomposed into contributors.
CONTRIBUTOR_METRICS = (
    "embodied_total",
    "carbon_intensity_with_embodied_kg_per_m2a",
    "carbon_intensity_without_embodied_kg_per_m2a",
)


def check_samples(samples: int) -> None:
    """Refuse a sample count outside :data:`SAMPLE_RANGE` (one line)."""
    low, high = SAMPLE_RANGE
    if not low <= samples <= high:
        raise BimcarbonError(f"--uncertainty takes {low:,} to {high:,} samples (got {samples:,})")


def assess_uncertainty(
    run: AssessmentRun,
    samples: int,
    seed: int = DEFAULT_SEED,
    conservative: bool = False,
    spreads_path: str | Path | None = None,
    pack: CriteriaPack | None = None,
) -> UncertaintyResult:
    """Monte Carlo over the run's matched components and operational inputs.

    Parameters
    ----------
    run
        A finished assessment.
    samples
        Number of samples (:data:`SAMPLE_RANGE`).
    seed
        Seed of the PCG64 generator: the same seed gives the same result, byte for byte.
    conservative
        Also report the 80th percentile (EC3's conservative value: 80 % likely above the actual).
    spreads_path
        A spreads file instead of the shipped ``factors/uncertainty.yaml``.
    pack
        The criteria pack (default: the run's).

    Returns
    -------
    UncertaintyResult
    """
    check_samples(samples)
    spreads = load_spreads(spreads_path)
    a = run.assessment
    pack = pack or run.pack or load_pack(str(a.parameters.get("criteria")))
    lifecycle = run.lifecycle or load_lifecycle_defaults()
    op = a.operational
    operational = op is not None and op.gross_kgco2_per_year is not None
    input_set = build_inputs(
        run.components, run.parts, run.library, lifecycle, spreads, run.energy, operational
    )
    model = Model(input_set, building(run))
    inputs = input_set.inputs
    kept: dict[str, list[np.ndarray]] = {key: [] for key in METRIC_UNITS}
    reach = {"with": np.zeros(len(pack.tiers)), "without": np.zeros(len(pack.tiers))}
    for values in draw_chunks(inputs, seed, samples):
        out = model.evaluate(values)
        for key, array in _outputs(out).items():
            if array is not None:
                kept[key].append(np.asarray(array, dtype=float))
        for mode in ("with", "without"):
            codes = tier_codes(pack, out[mode], values.shape[0])
            reach[mode] += reached(codes).sum(axis=1)
    deterministic = _deterministic(run)
    percentiles = {
        key: _percentiles(np.concatenate(arrays), deterministic[key], conservative) if arrays else None
        for key, arrays in kept.items()
    }
    return UncertaintyResult(
        samples=samples,
        seed=seed,
        conservative=conservative,
        spreads_file=Path(spreads_path).name if spreads_path else SPREADS_FILE,
        percentiles=percentiles,
        tier_probability=_tier_probability(run, reach, samples),
        **_contributors(model, inputs, percentiles, kept),
        contributors_method=sensitivity.METHOD,
        spreads=_spreads_applied(input_set, spreads),
        not_sampled=[
            NotSampledItem(description=n.description, description_zh=n.zh.get("description", ""))
            for n in spreads.not_sampled
        ],
        caveats=caveats(a),
    )


def building(run: AssessmentRun) -> Building:
    """The deterministic figures of a run that the sampled metrics start from."""
    a = run.assessment
    totals = a.embodied
    energy: EnergyInput | None = run.energy
    op = a.operational
    gate = embodied_gate(a.coverage, a.with_embodied.accepted_incomplete)
    construction = energy is not None and energy.construction is not None
    b = Building(
        a1_a3=totals.a1_a3,
        a4=totals.a4 or 0.0,
        a5=totals.a5 or 0.0,
        b4=totals.b4 or 0.0,
        c1_c4=totals.c1_c4 or 0.0,
        upfront_a1_a5=totals.upfront_a1_a5,
        embodied_total=totals.embodied_total,
        floor_area_m2=a.floor_area.value_m2,
        design_life_years=a.design_life_years,
        embodied_share=gate.baseline_share,
        a5_site_grid_kwh=(
            energy.construction.electricity_kwh
            if construction and totals.a5_source.startswith("construction energy")
            else 0.0
        ),
    )
    if op is None or energy is None:
        return b
    fuels = {f.id: f for f in load_fuels().factors}
    b.gross_kgco2_per_year = op.gross_kgco2_per_year
    b.net_kgco2_per_year = op.net_kgco2_per_year
    b.grid_factor_kgco2_per_kwh = op.grid_factor_kgco2_per_kwh
    b.energy = {name: range_value(energy, name) for name in RANGE_FIELDS}
    b.fuel_factors = {
        f"annual.{name}": fuels[fuel].per_unit_value if fuel in fuels else None
        for name, fuel in FUEL_OF_CARRIER.items()
    }
    b.fuel_factors["annual.district_heat_gj"] = energy.district_heat_kgco2_per_gj
    b.green_electricity_kwh = energy.green_electricity_kwh
    b.offsets_kgco2 = op.offsets_kgco2
    b.baseline_intensity_kg_per_m2a = op.baseline_intensity_kg_per_m2a
    b.baseline_kgco2_per_year = op.baseline_kgco2_per_year
    if energy.baseline is not None:
        b.reference_embodied_kg_per_m2 = energy.baseline.reference_embodied_kg_per_m2
        if energy.baseline.carriers is not None:
            b.baseline_grid_kwh = energy.baseline.carriers.electricity_kwh
    return b


def _outputs(out: dict) -> dict[str, np.ndarray | None]:
    """The reported metrics of one evaluation."""
    found = {key: out[key] for key in ("a1_a3", "upfront_a1_a5", "embodied_total")}
    for key, mode, metric in MODE_METRICS:
        found[key] = out[mode][metric]
    return found


def _deterministic(run: AssessmentRun) -> dict[str, float | None]:
    a = run.assessment
    found: dict[str, float | None] = {
        "a1_a3": a.embodied.a1_a3,
        "upfront_a1_a5": a.embodied.upfront_a1_a5,
        "embodied_total": a.embodied.embodied_total,
    }
    modes = {"with": a.with_embodied.metrics, "without": a.without_embodied.metrics}
    for key, mode, metric in MODE_METRICS:
        found[key] = modes[mode].get(metric)
    return found


def _percentiles(values: np.ndarray, deterministic: float | None, conservative: bool) -> Percentiles | None:
    """Mean and percentiles of the samples where the metric is defined (None: defined in none)."""
    defined = values[~np.isnan(values)]
    if defined.size == 0:
        return None
    p5, p50, p80, p95 = np.percentile(defined, [5, 50, 80, 95])
    return Percentiles(
        deterministic=deterministic,
        mean=float(defined.mean()),
        p5=float(p5),
        p50=float(p50),
        p95=float(p95),
        p80=float(p80) if conservative else None,
        undefined_share=float(1.0 - defined.size / values.size),
    )


def _tier_probability(run: AssessmentRun, reach: dict[str, np.ndarray], samples: int) -> TierProbability:
    """Share of the samples reaching each tier; None from the first tier not assessable on.

    With embodied emissions counted, every tier is None while the completeness gate blocks the verdicts
    (an incomplete total must not become a probability of passing).
    """
    a = run.assessment
    found: dict[str, dict[str, float | None]] = {}
    for mode, result in (("with", a.with_embodied), ("without", a.without_embodied)):
        probabilities: dict[str, float | None] = {}
        open_ = True
        for position, tier in enumerate(result.verdicts.tiers):
            open_ = open_ and tier.verdict != "not assessable"
            probabilities[tier.tier] = float(reach[mode][position] / samples) if open_ else None
        found[mode] = probabilities
    gate = embodied_gate(a.coverage, a.with_embodied.accepted_incomplete)
    return TierProbability(
        with_embodied=found["with"],
        without_embodied=found["without"],
        with_embodied_note=gate.note if gate.blocked else "",
    )


def _contributors(model: Model, inputs, percentiles: dict, kept: dict[str, list[np.ndarray]]) -> dict:
    """The top contributors to the variance of the embodied total and of the carbon intensities
    (``top_contributors``), and how much of each metric's sampled variance their first-order terms
    explain (``contributors_explained``).

    The embodied inputs act on the per-m2 metrics only through A1-A5: their derivative is the
    metric's slope in A1-A5 times A1-A5's exact derivative; the grid factor and energy figures are
    differentiated through the whole evaluation.
    """
    wanted = [m for m in CONTRIBUTOR_METRICS if percentiles.get(m) is not None]
    if not inputs or not wanted:
        return {"top_contributors": {}, "contributors_explained": {}}

    def evaluate(values: np.ndarray) -> dict[str, np.ndarray]:
        out = _outputs(model.evaluate(values))
        return {m: out[m] for m in wanted}

    operational = [k for k, item in enumerate(inputs) if item.kind in ("grid", "energy")]
    found = sensitivity.derivatives(evaluate, inputs, wanted, operational)
    gradients = model.gradients()
    upfront = model.building.upfront_a1_a5
    step = 1e-4 * max(abs(upfront), 1.0)
    shifted = model.at_upfront(np.array([upfront + step, upfront - step]))
    for metric in wanted:
        if metric == "embodied_total":
            slope, through = 1.0, gradients["embodied_total"]
        else:
            mode, name = next((mode, name) for key, mode, name in MODE_METRICS if key == metric)
            y = shifted[mode][name]
            slope = 0.0 if y is None else float((y[0] - y[1]) / (2.0 * step))
            through = gradients["upfront_a1_a5"]
        embodied = np.ones(len(inputs), dtype=bool)
        embodied[operational] = False
        found[metric] = np.where(embodied, slope * through, found[metric])
    explained = {}
    for metric in wanted:
        samples = np.concatenate(kept[metric])
        variance = float(np.var(samples[~np.isnan(samples)]))
        if variance > 0:  # capped at 1: with few samples the sampled variance is itself uncertain
            share = float(sensitivity.first_order(found[metric], inputs).sum() / variance)
            explained[metric] = min(1.0, share)
    return {
        "top_contributors": {m: sensitivity.contributors(found[m], inputs) for m in wanted},
        "contributors_explained": explained,
    }


def _spreads_applied(input_set: InputSet, spreads: Spreads) -> list[SpreadApplied]:
    """Each spread used, with how many inputs (draws per sample) and components it applies to."""
    by_spread: dict[str, list] = {}
    for item in input_set.inputs:
        by_spread.setdefault(item.spread, []).append(item)
    applied = []
    for key, items in by_spread.items():
        source = spreads.range_use(key) if items[0].distribution == "triangular" else spreads.spread(key)
        applied.append(
            SpreadApplied(
                spread=key,
                distribution=items[0].distribution,
                p95_ratio=None if isinstance(source, RangeUse) else source.p95_ratio,
                inputs=len(items),
                components=sum(i.components for i in items),
                reason=source.reason,
                reason_zh=source.zh.get("reason", ""),
            )
        )
    return applied
