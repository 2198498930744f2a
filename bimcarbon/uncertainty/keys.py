"""Which uncertain inputs each component of an assessment depends on (docs/uncertainty.md, "What is
sampled, and how" and "Correlation"): the keys of its factor, proxy or assumed use, quantity source,
share of an equal split, mass ratio, density and transport distance.

Pure pandas and numpy on the run's tables; :mod:`bimcarbon.uncertainty.inputs` turns the keys into
inputs and groups.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from bimcarbon.factors import FactorLibrary
from bimcarbon.lifecycle import LifecycleDefaults
from bimcarbon.summary import source_kind

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


def component_keys(
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
    guessed = rows["flags"].fillna("").astype(str).str.contains("equal_split").to_numpy(dtype=bool)
    volume_source = rows["quantity_source"].to_numpy(dtype=object)
    mass_source = rows["mass_source"].to_numpy(dtype=object)
    mass_known = rows["mass_kg"].notna().to_numpy()
    mass_by_density = np.array(
        ["density" in s if isinstance(s, str) else False for s in mass_source], dtype=bool
    )
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
    frame["share_key"] = _share_keys(
        comp, rows, guessed & np.array([q != "count" for q in quantity_from], dtype=bool)
    )
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
