"""Seeded draws of the inputs and the vectorised totals and metrics of each sample.

Every quantity is computed as the deterministic value plus its deviation (multipliers minus one), in
the order :func:`bimcarbon.assess.metrics` uses: with every spread zero, every multiplier is exactly 1,
every deviation exactly 0, and each sample reproduces the assessment's figures bit for bit.

Sums run along numpy's pairwise summation (not BLAS), so the same seed gives the same figures
whatever the number of threads. Samples are drawn and computed in chunks, so memory stays bounded.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np

from bimcarbon.criteria import KNOWN_METRICS
from bimcarbon.energy import RANGE_FIELDS
from bimcarbon.uncertainty.inputs import Input, InputSet

#: Samples drawn at a time (fewer when the inputs are many: at most :data:`MAX_CELLS` draws of each
#: kind at once). The stream depends only on the number of inputs, which the model and spreads fix.
DRAW_CHUNK = 1000
#: At most this many (sample, group) products are held at once.
MAX_CELLS = 2_000_000


@dataclass
class Building:
    """The deterministic figures the metrics need beside the component groups.

    Embodied totals (kgCO2e) as the assessment computed them; ``a5_site_grid_kwh`` is the construction
    electricity whose emissions (in A5 site activity) follow the grid factor (0 when A5 is the default
    site activity). Operational figures a year (kgCO2), None where the assessment has none;
    ``fuel_factors`` are kgCO2 per unit of each annual carrier field (``annual.natural_gas_m3``: the
    fuels' per-unit values, district heat the energy file's); ``baseline_grid_kwh`` the baseline's
    electricity when it is given as carriers.
    """

    a1_a3: float
    a4: float
    a5: float
    b4: float
    c1_c4: float
    upfront_a1_a5: float
    embodied_total: float
    floor_area_m2: float | None
    design_life_years: float
    embodied_share: float
    a5_site_grid_kwh: float = 0.0
    gross_kgco2_per_year: float | None = None
    net_kgco2_per_year: float | None = None
    grid_factor_kgco2_per_kwh: float = 0.0
    energy: dict[str, float] = field(default_factory=dict)
    fuel_factors: dict[str, float | None] = field(default_factory=dict)
    green_electricity_kwh: float = 0.0
    offsets_kgco2: float = 0.0
    baseline_intensity_kg_per_m2a: float | None = None
    baseline_kgco2_per_year: float | None = None
    baseline_grid_kwh: float | None = None
    reference_embodied_kg_per_m2: float | None = None


def draw(inputs: list[Input], rng: np.random.Generator, count: int) -> np.ndarray:
    """``count`` draws of every input, shape (count, len(inputs)).

    One standard normal number z is taken per input and sample whatever its distribution, so that
    changing one input's spread leaves the other inputs' draws as they were. Lognormal:
    nominal x exp(sigma x z); triangular: its quantile at the normal probability of z (a uniform draw);
    split (the shares of an equal split): lognormal, then the split's n shares multiplied by
    n / their sum, so that they add up to n (the element's total is kept) and are exactly 1 when sigma is 0.

    z and exp(sigma x z) are computed in single precision (7 significant digits, far finer than any
    spread; drawing and exponentiating are most of the time on a model with thousands of inputs), the
    multipliers returned in double. A spread of 0 still gives exactly 1: exp(0) = 1 in any precision.
    """
    normal = rng.standard_normal((count, len(inputs)), dtype=np.float32)
    nominal = np.array([i.nominal for i in inputs], dtype=float)
    sigma = np.array([i.sigma for i in inputs], dtype=np.float32)
    single = np.multiply(normal, sigma)
    np.exp(single, out=single)
    values = single.astype(float)
    values *= nominal
    splits: dict[str, list[int]] = {}
    for position, item in enumerate(inputs):
        if item.distribution == "split":
            splits.setdefault(item.split, []).append(position)
    for columns in splits.values():  # each split's shares rescaled to keep the element's total
        shares = values[:, columns]
        values[:, columns] = shares * (len(columns) / shares.sum(axis=1, keepdims=True))
    triangular = np.array([i.distribution == "triangular" for i in inputs], dtype=bool)
    if triangular.any():
        low = np.array([i.low for i in inputs], dtype=float)[triangular]
        high = np.array([i.high for i in inputs], dtype=float)[triangular]
        uniform = _normal_cdf(normal[:, triangular].astype(float))
        values[:, triangular] = triangular_quantile(uniform, low, nominal[triangular], high)
    return values


_erf = np.vectorize(math.erf, otypes=[float])


def _normal_cdf(z: np.ndarray) -> np.ndarray:
    """The standard normal distribution function."""
    return 0.5 * (1.0 + _erf(z / math.sqrt(2.0)))


def triangular_quantile(u: np.ndarray, low: np.ndarray, mode: np.ndarray, high: np.ndarray) -> np.ndarray:
    """The triangular distribution's quantile at ``u`` (the mode where low = high)."""
    width = high - low
    safe = np.where(width > 0, width, 1.0)
    split = (mode - low) / safe
    rising = low + np.sqrt(u * safe * (mode - low))
    falling = high - np.sqrt((1.0 - u) * safe * (high - mode))
    return np.where(width > 0, np.where(u < split, rising, falling), mode)


def draw_chunks(inputs: list[Input], seed: int, samples: int) -> Iterator[np.ndarray]:
    """The draws of ``samples`` samples in chunks (:data:`DRAW_CHUNK`), from a PCG64 seeded ``seed``."""
    rng = np.random.Generator(np.random.PCG64(seed))
    chunk = max(1, min(DRAW_CHUNK, MAX_CELLS // max(1, len(inputs))))
    done = 0
    while done < samples:
        count = min(chunk, samples - done)
        yield draw(inputs, rng, count)
        done += count


class Model:
    """The assessment's totals and metrics as functions of the inputs' values."""

    def __init__(self, input_set: InputSet, building: Building) -> None:
        self.inputs = input_set
        self.building = building
        g = input_set.groups
        # A1-A3 = sum m_a a; A1-A5 adds A4 and the wastage of both: a (1 + w) m_a + (t + w t') m_t;
        # B4 is r (a m_a + t' m_t) (t': A4 of components whose A1-A3 is known); C2-C4 is c m_m
        self._coefficients = {
            "a1_a3": g.a1_a3,
            "upfront": g.a1_a3 * (1.0 + g.wastage),
            "upfront_t": g.a4 + g.wastage * g.a4_counted,
            "total_a": g.a1_a3 * (1.0 + g.wastage + g.replacements),
            "total_t": g.a4 + (g.wastage + g.replacements) * g.a4_counted,
            "c": g.end_of_life,
        }

    def nominal(self) -> np.ndarray:
        """The inputs' nominal values, one row."""
        return np.array([[i.nominal for i in self.inputs.inputs]], dtype=float)

    def _column(self, values: np.ndarray, key: str, default: float) -> np.ndarray:
        position = self.inputs.index.get(key)
        if position is None:
            return np.full(values.shape[0], default)
        return values[:, position]

    def _embodied(self, values: np.ndarray) -> dict[str, np.ndarray]:
        """Deviations of the embodied totals from the deterministic ones, per sample (kgCO2e).

        Each is the sum over the groups of (multiplier - 1) x coefficient: exactly 0 when every
        multiplier is exactly 1, whatever the order of summation. Index arrays that point at no input
        in any group are not gathered.
        """
        g = self.inputs.groups
        rows = values.shape[0]
        out = {k: np.zeros(rows) for k in ("a1_a3", "upfront", "embodied_total")}
        if len(g) == 0:
            return out
        none = len(self.inputs.inputs)
        used = [i for i in (g.factor, g.use, g.quantity, g.share, g.ratio) if (i != none).any()]
        used_m = [i for i in (g.mass_quantity, g.share, g.ratio, g.density_m) if (i != none).any()]
        density = (g.density_q != none).any()
        distance = (g.distance != none).any()
        step = max(1, MAX_CELLS // len(g))
        c = self._coefficients
        # one row per input (and a last row of ones for "none"), one column per sample: gathering
        # whole rows is several times faster than gathering columns
        full = np.concatenate([values, np.ones((rows, 1))], axis=1)
        for start in range(0, rows, step):
            v = np.ascontiguousarray(full[start : start + step].T)
            shape = (len(g), v.shape[1])
            m_a = _product(v, used, shape)
            if density:
                d = v[g.density_q]
                m_a *= np.where(g.density_q_inverse[:, None], 1.0 / d, d)
            m_m = _product(v, used_m, shape)
            m_t = m_m * v[g.distance] if distance else m_m.copy()
            m_a -= 1.0
            m_m -= 1.0
            m_t -= 1.0
            part = slice(start, start + step)
            out["a1_a3"][part] = _weighted_sums(m_a, c["a1_a3"])
            out["upfront"][part] = _weighted_sums(m_a, c["upfront"]) + _weighted_sums(m_t, c["upfront_t"])
            out["embodied_total"][part] = (
                _weighted_sums(m_a, c["total_a"])
                + _weighted_sums(m_t, c["total_t"])
                + _weighted_sums(m_m, c["c"])
            )
        return out

    def gradients(self) -> dict[str, np.ndarray]:
        """The derivatives of A1-A3, A1-A5 and the embodied total (kgCO2e) with respect to every input
        at the nominal values (0 for the grid and energy figures, which act through other terms).

        At the nominal values every multiplier is 1, so the derivative of a group's term with respect
        to an input is its coefficient times the power the input appears with (-1 for a density that
        divides).
        """
        g = self.inputs.groups
        size = len(self.inputs.inputs) + 1
        c = self._coefficients

        def through(a: np.ndarray, t: np.ndarray, m: np.ndarray) -> np.ndarray:
            found = np.zeros(size)
            for index in (g.factor, g.use, g.quantity, g.share, g.ratio):
                found += np.bincount(index, a, size)
            found += np.bincount(g.density_q, np.where(g.density_q_inverse, -a, a), size)
            for index in (g.mass_quantity, g.share, g.ratio, g.density_m):
                found += np.bincount(index, t + m, size)
            found += np.bincount(g.distance, t, size)
            return found[:-1]

        zero = np.zeros(len(g))
        return {
            "a1_a3": through(c["a1_a3"], zero, zero),
            "upfront_a1_a5": through(c["upfront"], c["upfront_t"], zero),
            "embodied_total": through(c["total_a"], c["total_t"], c["c"]),
        }

    def evaluate(self, values: np.ndarray) -> dict[str, object]:
        """Totals and both modes' metrics of each row of ``values`` (one row per sample).

        Returns
        -------
        dict
            ``a1_a3``, ``upfront_a1_a5``, ``embodied_total`` (kgCO2e arrays), ``without`` and
            ``with`` (metric name -> array, or None where the assessment cannot compute it; NaN in a
            sample where it cannot be computed there).
        """
        b = self.building
        d = self._embodied(values)
        grid = self._column(values, "grid", 1.0)
        site = b.a5_site_grid_kwh * b.grid_factor_kgco2_per_kwh * (grid - 1.0)
        upfront = b.upfront_a1_a5 + (d["upfront"] + site)
        out: dict[str, object] = {
            "a1_a3": b.a1_a3 + d["a1_a3"],
            "upfront_a1_a5": upfront,
            "embodied_total": b.embodied_total + (d["embodied_total"] + site),
        }
        op = self._operational(values, grid)
        out["without"] = sample_metrics(b, upfront, op, False)
        out["with"] = sample_metrics(b, upfront, op, True)
        return out

    def at_upfront(self, upfront: np.ndarray) -> dict[str, dict[str, np.ndarray | None]]:
        """Both modes' metrics with every input nominal but A1-A5 (kgCO2e, one per row)."""
        op = self._operational(self.nominal(), np.ones(1))
        op = {k: None if v is None else np.broadcast_to(v, upfront.shape) for k, v in op.items()}
        b = self.building
        return {
            "without": sample_metrics(b, upfront, op, False),
            "with": sample_metrics(b, upfront, op, True),
        }

    def _operational(self, values: np.ndarray, grid: np.ndarray) -> dict[str, np.ndarray | None]:
        """Gross and net operational emissions a year and the baseline's intensity, per sample."""
        b = self.building
        if b.gross_kgco2_per_year is None:
            return {"gross": None, "net": None, "baseline": None}
        figure = {
            name: self._column(values, f"energy:{name}", b.energy.get(name, 0.0)) for name in RANGE_FIELDS
        }
        factor = b.grid_factor_kgco2_per_kwh * grid
        grid_kwh = np.maximum(
            0.0, figure["annual.electricity_kwh"] - figure["renewables.pv_self_consumed_kwh"]
        )
        grid_kwh0 = max(
            0.0,
            b.energy.get("annual.electricity_kwh", 0.0)
            - b.energy.get("renewables.pv_self_consumed_kwh", 0.0),
        )
        change = grid_kwh * factor - grid_kwh0 * b.grid_factor_kgco2_per_kwh
        for name, per_unit in b.fuel_factors.items():
            if f"energy:{name}" in self.inputs.index:
                shift = figure[name] - b.energy.get(name, 0.0)
                change = change + np.where(
                    shift != 0, shift * (np.nan if per_unit is None else per_unit), 0.0
                )
        gross = b.gross_kgco2_per_year + change
        net = None
        if b.net_kgco2_per_year is not None:
            green = np.minimum(b.green_electricity_kwh, grid_kwh) * factor
            exported = figure["renewables.pv_exported_kwh"] * factor
            net = gross - green - exported - b.offsets_kgco2
        baseline = None
        if b.baseline_intensity_kg_per_m2a is not None:
            if b.baseline_grid_kwh is not None and b.baseline_kgco2_per_year is not None and b.floor_area_m2:
                kg = b.baseline_kgco2_per_year + b.baseline_grid_kwh * (factor - b.grid_factor_kgco2_per_kwh)
                baseline = kg / b.floor_area_m2
            else:
                baseline = np.full(values.shape[0], b.baseline_intensity_kg_per_m2a)
        return {"gross": gross, "net": net, "baseline": baseline}


def _product(v: np.ndarray, indices: list[np.ndarray], shape: tuple[int, int]) -> np.ndarray:
    """The product of the rows of ``v`` each index array picks (ones when none)."""
    if not indices:
        return np.ones(shape)
    found = v[indices[0]]  # a copy: fancy indexing
    for index in indices[1:]:
        found *= v[index]
    return found


def _weighted_sums(multipliers: np.ndarray, coefficients: np.ndarray) -> np.ndarray:
    """sum over groups of multiplier x coefficient, per sample (column); einsum's own loop, in group
    order, whatever the number of threads (not BLAS)."""
    return np.einsum("gs,g->s", multipliers, coefficients)


def sample_metrics(
    b: Building, upfront: np.ndarray, op: dict[str, np.ndarray | None], counted: bool
) -> dict[str, np.ndarray | None]:
    """:func:`bimcarbon.assess.metrics` on arrays of samples, in the same order of operations.

    ``upfront`` is A1-A5 per sample (kgCO2e); ``op`` holds ``gross`` and ``net`` (kgCO2 a year) and
    ``baseline`` (the baseline's operational intensity, kgCO2/(m2.a)), each an array or None.
    """
    gfa = b.floor_area_m2
    out: dict[str, np.ndarray | None] = dict.fromkeys(KNOWN_METRICS)
    out["upfront_embodied_kg_per_m2"] = upfront / gfa if gfa else None
    if op["gross"] is None or not gfa:
        return out
    added = upfront / b.design_life_years / gfa if counted else np.zeros_like(upfront)
    intensity = op["gross"] / gfa + added
    out["carbon_intensity_kg_per_m2a"] = intensity
    out["annualised_embodied_kg_per_m2a"] = added if counted else None
    if op["net"] is not None:
        out["net_carbon_intensity_kg_per_m2a"] = op["net"] / gfa + added
    if op["baseline"] is not None and b.reference_embodied_kg_per_m2 is not None:
        baseline = op["baseline"]
        if counted:
            baseline = baseline + b.reference_embodied_kg_per_m2 / b.design_life_years * b.embodied_share
        out["baseline_carbon_intensity_kg_per_m2a"] = baseline
        out["carbon_intensity_reduction_kg_per_m2a"] = baseline - intensity
        with np.errstate(divide="ignore", invalid="ignore"):
            out["carbon_intensity_reduction_share"] = np.where(
                baseline > 0, (baseline - intensity) / baseline, np.nan
            )
    return out
