"""Which inputs contribute most to the variance of a metric: a first-order variance decomposition.

For each input k, the derivative of the metric at the deterministic values (all inputs at their
nominal value), squared, times the input's variance, is its first-order contribution; its share is that
over the sum of all contributions. The derivatives of the embodied totals are exact (each group's term
is a product of multipliers: :meth:`bimcarbon.uncertainty.sampling.Model.gradients`); the grid factor
and energy figures are differentiated by central differences. Interactions between inputs (second
order) are left out: for spreads of tens of percent they are small beside the first-order terms.
"""

from __future__ import annotations

import numpy as np

from bimcarbon.uncertainty.inputs import Input
from bimcarbon.uncertainty.result import Contributor

METHOD = (
    "first-order variance decomposition: (derivative of the metric at the deterministic values x the "
    "input's standard deviation)^2, as a share of the sum over all inputs; interactions left out"
)
#: Inputs perturbed per evaluation (two rows each), to bound memory.
BATCH = 256


def derivatives(
    evaluate, inputs: list[Input], metrics: list[str], positions: list[int] | None = None
) -> dict[str, np.ndarray]:
    """The derivative of each metric with respect to inputs (``positions``: these only, the others 0)
    at the nominal values, by central differences.

    Parameters
    ----------
    evaluate
        ``values (rows, inputs) -> {metric: array (rows,)}``.
    inputs
        The inputs (their nominal values and spreads).
    metrics
        The metrics wanted (each must be an array in ``evaluate``'s result).
    """
    count = len(inputs)
    nominal = np.array([i.nominal for i in inputs], dtype=float)
    spread = np.sqrt(np.array([i.variance for i in inputs], dtype=float))
    step = 1e-4 * np.maximum(np.maximum(np.abs(nominal), spread), 1e-12)
    found = {m: np.zeros(count) for m in metrics}
    wanted = np.arange(count) if positions is None else np.asarray(positions, dtype=int)
    for start in range(0, len(wanted), BATCH):
        block = wanted[start : start + BATCH]
        rows = np.repeat(nominal[None, :], 2 * len(block), axis=0)
        rows[2 * np.arange(len(block)), block] += step[block]
        rows[2 * np.arange(len(block)) + 1, block] -= step[block]
        values = evaluate(rows)
        for m in metrics:
            y = np.asarray(values[m], dtype=float)
            found[m][block] = (y[0::2] - y[1::2]) / (2.0 * step[block])
    return found


def first_order(derivative: np.ndarray, inputs: list[Input]) -> np.ndarray:
    """Each input's first-order contribution to a metric's variance: (derivative x its standard
    deviation)^2, in the metric's unit squared.

    The shares of a split (an equal split guessed, rescaled to keep the element's total) are not
    independent: to first order each is 1 + sigma (z_j - mean z), so the split contributes
    var x sum_j (d_j - mean d)^2 (d_j: the derivatives of its shares; var: one share's variance before
    rescaling), given to its first share (the others 0).
    """
    d = np.nan_to_num(derivative)
    variance = np.array([i.variance for i in inputs], dtype=float)
    contribution = d**2 * variance
    splits: dict[str, list[int]] = {}
    for position, item in enumerate(inputs):
        if item.distribution == "split":
            splits.setdefault(item.split, []).append(position)
    for columns in splits.values():
        spread = d[columns] - d[columns].mean()
        contribution[columns] = 0.0
        contribution[columns[0]] = variance[columns[0]] * float((spread**2).sum())
    return contribution


def contributors(derivative: np.ndarray, inputs: list[Input], top: int = 10) -> list[Contributor]:
    """The ``top`` inputs by their share of the metric's first-order variance (none below 0.05 %)."""
    contribution = first_order(derivative, inputs)
    total = float(contribution.sum())
    if not total > 0:
        return []
    order = np.argsort(-contribution, kind="stable")[:top]
    return [
        Contributor(
            input=inputs[k].key,
            kind=inputs[k].kind,
            label=inputs[k].label,
            share=float(contribution[k] / total),
            spread=inputs[k].spread,
            components=inputs[k].components,
        )
        for k in order
        if contribution[k] / total >= 0.0005
    ]
