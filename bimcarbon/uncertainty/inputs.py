"""The uncertain inputs of an assessment and the groups of components they act on.

Each input is one random variable per sample (docs/uncertainty.md, "Correlation"): one per factor id,
one per proxy or assumed use of a factor (rule x factor), one per kind of quantity source, one per
share of an equal split (its position among the sorted materials), one per density source, one per
stated or assumed ratio (rule x factor), one per transport distance entry, the grid factor, and one
per energy figure with a range. A component's A1-A3 and mass are its deterministic values times the
product of the multipliers of the inputs it depends on, so components that depend on the same inputs
are summed once into a group: the Monte Carlo works on groups, not on elements.

Which inputs each component depends on is :mod:`bimcarbon.uncertainty.keys`. Pure pandas and numpy on
the run's tables; no IFC.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from bimcarbon.energy import RANGE_FIELDS, EnergyInput, range_value
from bimcarbon.factors import FactorLibrary
from bimcarbon.lifecycle import LifecycleDefaults
from bimcarbon.uncertainty.keys import component_keys
from bimcarbon.uncertainty.spreads import Spread, Spreads

#: How a person reads each spread kind of quantities.
QUANTITY_LABELS = {
    "exported": "exported quantities",
    "geometry": "quantities from the geometry",
    "dimensions": "quantities from nominal dimensions",
    "count": "counts of pieces",
    "other": "quantities from other sources",
}

#: Kinds of inputs, in the order they are listed.
KINDS = ("factor", "factor_use", "quantity", "share", "density", "ratio", "distance", "grid", "energy")


@dataclass(frozen=True)
class Input:
    """One random variable of the Monte Carlo.

    ``nominal`` is the value the deterministic assessment uses: 1 for a multiplier (factor values,
    quantities, densities, ratios, distances, the grid factor), the figure itself for an energy figure.
    A ``lognormal`` input has median ``nominal`` and log standard deviation ``sigma``; a
    ``triangular`` one lies between ``low`` and ``high`` with its peak at ``nominal``. A ``split`` input
    is one material's share of an equal split (``split`` names the split, the element's materials):
    drawn lognormal like the others of its split, then all of them rescaled to keep the element's
    total (:func:`bimcarbon.uncertainty.sampling.draw`).
    """

    key: str
    kind: str
    label: str
    spread: str
    distribution: str
    nominal: float = 1.0
    sigma: float = 0.0
    low: float = math.nan
    high: float = math.nan
    components: int = 0
    split: str = ""

    @property
    def variance(self) -> float:
        """The variance of the input's draws, in its own unit."""
        if self.distribution == "triangular":
            a, c, b = self.low, self.nominal, self.high
            return (a * a + b * b + c * c - a * b - a * c - b * c) / 18.0
        s2 = self.sigma * self.sigma
        return self.nominal * self.nominal * math.exp(s2) * math.expm1(s2)


@dataclass
class Groups:
    """Components summed by the inputs they depend on (arrays of one entry per group).

    ``a1_a3`` (kgCO2e), ``a4`` (kgCO2e, all components), ``a4_counted`` (A4 of components whose A1-A3
    is known: their wastage and replacements carry it), ``end_of_life`` (C2 + C3-C4, kgCO2e),
    ``wastage`` (A5 share) and ``replacements`` (B4 count) of each group. The index arrays point into
    the inputs (``len(inputs)``: none): ``factor``, ``use``, ``quantity``, ``share``, ``ratio`` and
    ``density_q`` (its inverse where ``density_q_inverse``) multiply A1-A3; ``mass_quantity``,
    ``share``, ``ratio`` and ``density_m`` the mass (A4, C2-C4), and ``distance`` A4 too.
    """

    a1_a3: np.ndarray
    a4: np.ndarray
    a4_counted: np.ndarray
    end_of_life: np.ndarray
    wastage: np.ndarray
    replacements: np.ndarray
    factor: np.ndarray
    use: np.ndarray
    quantity: np.ndarray
    ratio: np.ndarray
    share: np.ndarray
    density_q: np.ndarray
    density_q_inverse: np.ndarray
    mass_quantity: np.ndarray
    density_m: np.ndarray
    distance: np.ndarray

    def __len__(self) -> int:
        return len(self.a1_a3)


@dataclass
class InputSet:
    """The inputs (sorted by key, the order of the random draws) and the component groups."""

    inputs: list[Input]
    groups: Groups
    index: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.index = {item.key: i for i, item in enumerate(self.inputs)}


def _lognormal(key: str, kind: str, label: str, spread_key: str, spread: Spread) -> Input:
    return Input(key, kind, label, spread_key, "lognormal", 1.0, spread.sigma)


def build_inputs(
    components: pd.DataFrame,
    parts: pd.DataFrame,
    library: FactorLibrary,
    lifecycle: LifecycleDefaults,
    spreads: Spreads,
    energy: EnergyInput | None,
    operational: bool,
) -> InputSet:
    """The inputs of a run and its component groups.

    Parameters
    ----------
    components
        The run's components with their life-cycle columns (:func:`bimcarbon.lifecycle.modules`).
    parts
        The take-off rows with their match (``row`` of a component is their index).
    library
        The factors used.
    lifecycle
        The life-cycle defaults (the distance entry of each category).
    spreads
        The spreads.
    energy
        The energy file (its ranges), or None.
    operational
        Whether the operational emissions were computed (the grid factor and energy figures matter).

    Returns
    -------
    InputSet
    """
    frame = component_keys(components, parts, library, lifecycle)
    found: dict[str, Input] = {}
    columns = (
        "factor_key", "use_key", "quantity_key", "share_key", "mass_quantity_key", "ratio_key", "density_key"
    )  # fmt: skip
    stacked = pd.concat([frame[c].rename("key") for c in columns]).dropna()
    references = stacked.reset_index().drop_duplicates()  # (component, key): each component once a key
    counts = {str(k): int(v) for k, v in references["key"].value_counts().items()}
    for key in counts:
        found[key] = _input_of(key, frame, library, spreads)
    distances = frame.loc[frame["a4"] != 0, "distance_key"].value_counts()
    for key, count in distances.items():
        counts[key] = int(count)
        category = key.split(":", 1)[1]
        label = "transport distance of " + ("every other category" if category == "*" else category)
        found[key] = _lognormal(key, "distance", label, "transport_distance", spreads.transport_distance)
    if operational:
        found["grid"] = _lognormal("grid", "grid", "grid factor", "grid_factor", spreads.grid_factor)
        for item in _energy_inputs(energy, spreads):
            found[item.key] = item
    inputs = [
        Input(**{**item.__dict__, "components": counts.get(key, 0)})
        for key, item in sorted(found.items(), key=lambda kv: (KINDS.index(kv[1].kind), kv[0]))
    ]
    input_set = InputSet(inputs, _empty_groups())
    input_set.groups = _groups(frame, input_set.index, len(inputs))
    return input_set


def _input_of(key: str, frame: pd.DataFrame, library: FactorLibrary, spreads: Spreads) -> Input:
    """The input a component key names, with its distribution from the spreads and the data."""
    kind, rest = key.split(":", 1)
    if kind == "factor":
        factor = library.get(rest)
        low, high = factor.value_low_kgco2e_per_unit, factor.value_high_kgco2e_per_unit
        value = factor.value_kgco2e_per_unit
        if low is not None and high is not None and value > 0 and spreads.factors.source_range.use:
            return Input(
                key, "factor", rest, "factors.source_range", "triangular", 1.0, 0.0, low / value, high / value
            )
        spread_key = f"factors.by_status.{factor.status.value}"
        return _lognormal(key, "factor", rest, spread_key, spreads.spread(spread_key))
    if kind == "use":
        use, rule, factor_id = rest.split(":", 2)
        spread_key = f"factors.{use}"
        return _lognormal(
            key, "factor_use", f"{factor_id} ({use}, rule {rule})", spread_key, spreads.spread(spread_key)
        )
    if kind == "quantity":
        spread_key = f"quantities.{rest}"
        return _lognormal(key, "quantity", QUANTITY_LABELS[rest], spread_key, spreads.spread(spread_key))
    if kind == "share":
        _, parts, split = rest.split(":", 2)
        label = f"shares of an equal split of {parts} materials ({split})"
        spread = spreads.quantities.guessed_share
        return Input(key, "share", label, "quantities.guessed_share", "split", 1.0, spread.sigma, split=split)
    if kind == "ratio":
        stated, rule, factor_id = rest.split(":", 2)
        spread_key = f"ratios.{stated}"
        return _lognormal(key, "ratio", f"{factor_id} (rule {rule})", spread_key, spreads.spread(spread_key))
    if kind == "density":
        if rest.startswith("model:"):
            label = f"{rest[6:]} (density in the model)"
            return _lognormal(key, "density", label, "densities.model", spreads.densities.model)
        source, _, name = rest.partition(" ")
        label = f"{name} (default density of the {source})"
        factor = library.by_id.get(name) if source == "factor" else None
        ranged = factor is not None and factor.density_low_kg_per_m3 and factor.density_high_kg_per_m3
        if ranged and spreads.densities.factor_range.use:
            d = factor.density_kg_per_m3 or math.nan
            low, high = factor.density_low_kg_per_m3 / d, factor.density_high_kg_per_m3 / d
            spread_key = "densities.factor_range"
            return Input(key, "density", label, spread_key, "triangular", 1.0, 0.0, low, high)
        return _lognormal(key, "density", label, "densities.default", spreads.densities.default)
    raise ValueError(f"unknown input {key!r}")


def _energy_inputs(energy: EnergyInput | None, spreads: Spreads) -> list[Input]:
    """The energy figures with a range (triangular, in their own unit), else the default spread."""
    if energy is None:
        return []
    found = []
    default = spreads.energy.default
    for name in RANGE_FIELDS:
        value = range_value(energy, name)
        given = energy.ranges.get(name)
        key = f"energy:{name}"
        if given is not None and spreads.energy.file_range.use:
            low, high = given
            found.append(Input(key, "energy", name, "energy.file_range", "triangular", value, 0.0, low, high))
        elif value > 0 and default.p95_ratio > 1.0:
            found.append(Input(key, "energy", name, "energy.default", "lognormal", value, default.sigma))
    return found


def _empty_groups() -> Groups:
    empty = np.zeros(0)
    none = np.zeros(0, dtype=int)
    return Groups(empty, empty, empty, empty, empty, empty, none, none, none, none, none, none,
                  none.astype(bool), none, none, none)  # fmt: skip


def _groups(frame: pd.DataFrame, index: dict[str, int], none: int) -> Groups:
    """Sum the components that depend on the same inputs (and share their wastage and replacements)."""
    keys = ["factor_key", "use_key", "quantity_key", "share_key", "mass_quantity_key", "ratio_key",
            "density_key", "density_q", "density_m", "distance_key", "wastage", "replacements"]  # fmt: skip
    if frame.empty:
        return _empty_groups()
    filled = frame.assign(**{k: frame[k].fillna("") for k in keys if frame[k].dtype == object})
    summed = (
        filled.groupby(keys, sort=True, dropna=False)[["a1_a3", "a4", "a4_counted", "end_of_life"]]
        .sum()
        .reset_index()
    )

    def position(column: str) -> np.ndarray:
        return np.array([index.get(k, none) if k else none for k in summed[column]], dtype=int)

    return Groups(
        a1_a3=summed["a1_a3"].to_numpy(dtype=float),
        a4=summed["a4"].to_numpy(dtype=float),
        a4_counted=summed["a4_counted"].to_numpy(dtype=float),
        end_of_life=summed["end_of_life"].to_numpy(dtype=float),
        wastage=summed["wastage"].to_numpy(dtype=float),
        replacements=summed["replacements"].to_numpy(dtype=float),
        factor=position("factor_key"),
        use=position("use_key"),
        quantity=position("quantity_key"),
        ratio=position("ratio_key"),
        share=position("share_key"),
        density_q=np.where(summed["density_q"].to_numpy() != 0, position("density_key"), none),
        density_q_inverse=summed["density_q"].to_numpy() < 0,
        mass_quantity=position("mass_quantity_key"),
        density_m=np.where(summed["density_m"].to_numpy(dtype=bool), position("density_key"), none),
        distance=position("distance_key"),
    )
