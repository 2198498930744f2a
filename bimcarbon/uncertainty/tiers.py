"""The criteria evaluated on every sample at once: :func:`bimcarbon.criteria.evaluate`, vectorised.

Same operators, same bands, same rules: a criterion is not assessable where its value or threshold is
missing (None for every sample, NaN in one sample), a tier fails when one of its criteria fails, is not
assessable when none fails but one is not assessable, and passes otherwise; a tier is reached when it
and every tier before it pass.
"""

from __future__ import annotations

import numpy as np

from bimcarbon.criteria import CriteriaPack, Criterion

PASS, FAIL, NOT_ASSESSABLE = 0, 1, 2

_OPERATORS = {
    ">=": np.greater_equal,
    "<=": np.less_equal,
    ">": np.greater,
    "<": np.less,
}


def _threshold(criterion: Criterion, metrics: dict[str, np.ndarray | None], count: int) -> np.ndarray:
    """The criterion's threshold per sample (NaN: none, while a band's size metric is unknown)."""
    if not criterion.bands:
        return np.full(count, np.nan if criterion.threshold is None else criterion.threshold)
    size = metrics.get(criterion.band_metric or "")
    if size is None:
        return np.full(count, np.nan)
    size = np.asarray(size, dtype=float)
    threshold = np.full(count, np.nan)
    open_ = ~np.isnan(size)
    for band in criterion.bands:  # the first band whose limit the size is below
        here = open_ & (True if band.below is None else size < band.below)
        threshold[here] = band.threshold
        open_ &= ~here
    return threshold


def criterion_codes(criterion: Criterion, metrics: dict[str, np.ndarray | None], count: int) -> np.ndarray:
    """PASS, FAIL or NOT_ASSESSABLE per sample for one criterion."""
    value = metrics.get(criterion.metric)
    if value is None:
        return np.full(count, NOT_ASSESSABLE, dtype=np.int8)
    value = np.broadcast_to(np.asarray(value, dtype=float), (count,))
    threshold = _threshold(criterion, metrics, count)
    missing = np.isnan(value) | np.isnan(threshold)
    with np.errstate(invalid="ignore"):
        passed = _OPERATORS[criterion.operator](value, threshold)
    return np.where(missing, NOT_ASSESSABLE, np.where(passed, PASS, FAIL)).astype(np.int8)


def tier_codes(pack: CriteriaPack, metrics: dict[str, np.ndarray | None], count: int) -> np.ndarray:
    """The verdict of every tier per sample, shape (tiers, count)."""
    codes = np.empty((len(pack.tiers), count), dtype=np.int8)
    for t, tier in enumerate(pack.tiers):
        each = np.stack([criterion_codes(c, metrics, count) for c in tier.criteria])
        failed = (each == FAIL).any(axis=0)
        missing = (each == NOT_ASSESSABLE).any(axis=0)
        codes[t] = np.where(failed, FAIL, np.where(missing, NOT_ASSESSABLE, PASS))
    return codes


def reached(codes: np.ndarray) -> np.ndarray:
    """Whether each tier is reached in each sample: it and every tier before it pass."""
    return np.logical_and.accumulate(codes == PASS, axis=0)
