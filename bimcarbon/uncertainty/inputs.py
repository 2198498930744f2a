"""The uncertain inputs of an assessment and the groups of components they act on.

Each input is one random variable per sample (docs/uncertainty.md, "Correlation"): one per factor id,
one per proxy or assumed use of a factor (rule x factor), one per kind of quantity source, one per
density source, one per stated or assumed ratio (rule x factor), one per transport distance entry, the
grid factor, and one per energy figure with a range. A component's A1-A3 and mass are its deterministic
values times the product of the multipliers of the inputs it depends on, so components that depend on
the same inputs are summed once into a group: the Monte Carlo works on groups, not on elements.

Pure pandas and numpy on the run's tables; no IFC.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from bimcarbon.energy import RANGE_FIELDS, EnergyInput, range_value
from bimcarbon.factors import FactorLibrary
from bimcarbon.lifecycle import LifecycleDefaults
from bimcarbon.summary import source_kind
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

#: Quantity-source kinds (:func:`bimcarbon.summary.source_kind`) -> the spread of ``quantities``.
QUANTITY_KIND = {
    "standard Qto set": "exported",
    "exporter set": "exported",
    "type quantity set": "exported",
    "geometry": "geometry",
    "profile area x length": "dimensions",
    "layer area x thickness": "dimensions",
    "none": "other",
}


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


def quantity_kind(source: object) -> str:
    """The spread kind (a key of ``quantities``) of a quantity from ``source``.

    A door's or window's height x width is ``dimensions``; a count is ``count``. (A share guessed as
    equal, flag ``equal_split``, is drawn apart: :func:`_share_keys`.)
    """
    if not isinstance(source, str) or not source:
        return "other"
    if source == "count":
        return "count"
    head = source.split("*", 1)[0]
    if head.startswith("OverallHeight") or head.startswith("OverallWidth"):
        return "dimensions"
    if head.startswith("geometry"):
        return "geometry"
    return QUANTITY_KIND.get(source_kind(source), "other")


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
    frame = _component_keys(components, parts, library, lifecycle)
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


def _component_keys(
    components: pd.DataFrame, parts: pd.DataFrame, library: FactorLibrary, lifecycle: LifecycleDefaults
) -> pd.DataFrame:
    """Per component: its deterministic values and the keys of the inputs it depends on."""
    comp = components.reset_index(drop=True)
    rows = parts.reindex(comp["row"].to_numpy())
    n = len(comp)
    kg = pd.to_numeric(comp["kgco2e"], errors="coerce").to_numpy(dtype=float)
    a4 = pd.to_numeric(comp["a4_kgco2e"], errors="coerce").to_numpy(dtype=float)
    eol = pd.to_numeric(comp["c_kgco2e"], errors="coerce").to_numpy(dtype=float)
    known = ~np.isnan(kg)
    frame = pd.DataFrame(
        {
            "a1_a3": np.where(known, kg, 0.0),
            "a4": np.nan_to_num(a4),
            "a4_counted": np.where(known, np.nan_to_num(a4), 0.0),
            "end_of_life": np.nan_to_num(eol),
            "wastage": pd.to_numeric(comp["wastage_share"], errors="coerce").fillna(0.0).to_numpy(),
            "replacements": pd.to_numeric(comp["replacements"], errors="coerce").fillna(0).to_numpy(),
        }
    )
    factor_id = comp["factor_id"].astype(str).to_numpy()
    rule_id = comp["rule_id"].astype(str).to_numpy()
    unit = comp["declared_unit"].astype(str).to_numpy()
    is_ratio = (comp["kg_per_m3"].notna() | comp["kg_per_m2"].notna()).to_numpy()
    assumed = comp["assumed"].fillna(False).astype(bool).to_numpy()
    proxy = rows["proxy"].fillna(False).astype(bool).to_numpy() if "proxy" in rows else np.zeros(n, bool)
    frame["factor_key"] = ["factor:" + f for f in factor_id]
    use_kind = np.where(is_ratio, None, np.where(assumed, "assumed", np.where(proxy, "proxy", None)))
    frame["use_key"] = [
        f"use:{kind}:{rule}:{fid}" if kind else None
        for kind, rule, fid in zip(use_kind, rule_id, factor_id, strict=True)
    ]
    frame["ratio_key"] = [
        f"ratio:{'assumed' if a else 'stated'}:{rule}:{fid}" if r else None
        for r, a, rule, fid in zip(is_ratio, assumed, rule_id, factor_id, strict=True)
    ]
    guessed = rows["flags"].fillna("").astype(str).str.contains("equal_split").to_numpy()
    volume_source = rows["quantity_source"].to_numpy(dtype=object)
    mass_source = rows["mass_source"].to_numpy(dtype=object)
    mass_known = rows["mass_kg"].notna().to_numpy()
    mass_by_density = np.array(["density" in s if isinstance(s, str) else False for s in mass_source])
    sources = {
        "volume": volume_source,
        "area": rows["area_source"].to_numpy(dtype=object),
        "length": rows["length_source"].to_numpy(dtype=object),
        "mass": np.where(mass_by_density, volume_source, mass_source),
        "count": np.full(n, "count", dtype=object),
    }
    conversion = comp["conversion"].fillna("").astype(str).to_numpy()
    quantity_from = [_quantity_from(c) for c in conversion]
    frame["quantity_key"] = [
        "quantity:" + quantity_kind(sources[q][i]) if q else None for i, q in enumerate(quantity_from)
    ]
    frame["share_key"] = _share_keys(comp, rows, guessed & np.array([q != "count" for q in quantity_from]))
    # a ratio's mass comes from the quantity its conversion used (an area, or a layer's volume /
    # thickness); any other mass from the take-off's mass, else from the volume
    mass_from = [
        (q or "volume") if is_ratio[i] else ("mass" if mass_known[i] else "volume")
        for i, q in enumerate(quantity_from)
    ]
    frame["mass_quantity_key"] = ["quantity:" + quantity_kind(sources[m][i]) for i, m in enumerate(mass_from)]
    density_source = comp["density_source"].to_numpy(dtype=object)
    material = comp["material"].fillna("(no material)").astype(str).to_numpy()
    density_key: list[str | None] = []
    density_q = np.zeros(n, dtype=int)  # +1: the quantity is mass from the density; -1: a mass / density
    density_m = np.zeros(n, dtype=bool)
    for i in range(n):
        source = density_source[i]
        if is_ratio[i]:  # the mass is volume x ratio; a factor per m3 divides it by a density
            key = f"density:{source}" if unit[i] == "m3" and isinstance(source, str) else None
            density_q[i] = -1 if key else 0
        elif not mass_known[i]:  # matching weighed it: volume x (the model's, else a default) density
            key = _density_key(source, material[i])
            density_m[i] = key is not None
            density_q[i] = 1 if key and unit[i] in ("kg", "t") else 0
        elif mass_by_density[i]:  # the take-off's mass is volume x the model's density
            key = _density_key("model", material[i])
            density_m[i] = True
            density_q[i] = 1 if unit[i] in ("kg", "t") and conversion[i].startswith("mass_kg") else 0
        else:
            key = None
        density_key.append(key)
    # a mass that weighs nothing (no A4, no C2-C4) depends on no input
    mass_used = (frame["a4"].to_numpy() != 0) | (frame["end_of_life"].to_numpy() != 0)
    frame.loc[~mass_used, "mass_quantity_key"] = None
    density_m &= mass_used
    frame["density_key"] = [
        k if q or m else None for k, q, m in zip(density_key, density_q, density_m, strict=True)
    ]
    frame["density_q"] = density_q
    frame["density_m"] = density_m
    distance_of = {
        c: "distance:" + lifecycle.transport.distance_for(str(c)).category for c in comp["category"].unique()
    }
    frame["distance_key"] = comp["category"].map(distance_of).to_numpy()
    return frame


def _share_keys(comp: pd.DataFrame, rows: pd.DataFrame, guessed: np.ndarray) -> list[str | None]:
    """The share input of each component whose part's share of its element was guessed as equal.

    The element's guessed parts (their materials, sorted: the "split") share their draws with every
    element split between the same materials: ``share:<position>:<parts>:<m1 | m2 | ...>``, one input
    per position in the split. None for a component of a part whose share was not guessed.
    """
    keys: list[str | None] = [None] * len(comp)
    if not guessed.any():
        return keys
    element = rows["global_id"].fillna("").astype(str).to_numpy() if "global_id" in rows else None
    material = comp["material"].fillna("(no material)").astype(str).to_numpy()
    part = comp["row"].to_numpy()
    by_element: dict[str, dict[object, str]] = {}
    for i in np.flatnonzero(guessed):
        owner = element[i] if element is not None and element[i] else f"part {part[i]}"
        by_element.setdefault(owner, {})[part[i]] = material[i]
    position: dict[object, str] = {}
    for parts in by_element.values():
        ordered = sorted(parts.items(), key=lambda kv: (kv[1], str(kv[0])))
        split = " | ".join(m for _, m in ordered)
        for rank, (row, _) in enumerate(ordered):
            position[row] = f"share:{rank}:{len(ordered)}:{split}"
    for i in np.flatnonzero(guessed):
        keys[i] = position[part[i]]
    return keys


def _quantity_from(conversion: str) -> str | None:
    """Which take-off quantity a component's quantity came from, by its conversion (None: none)."""
    for prefix, name in (
        ("volume_m3", "volume"),
        ("area_m2", "area"),
        ("length_m", "length"),
        ("mass_kg", "mass"),
        ("count", "count"),
    ):
        if conversion.startswith(prefix):
            return name
    return None


def _density_key(source: object, material: str) -> str | None:
    """The input of a density: a factor's or rule's default by its label, a model's by material."""
    if not isinstance(source, str) or not source:
        return None
    if source.startswith("factor ") or source.startswith("rule "):
        return f"density:{source}"
    return f"density:model:{material}"


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
