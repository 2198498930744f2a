"""Floor-area estimates when the model carries no floor-area quantity, and the rule that rejects
implausible ones.

The estimates come in order (see :func:`bimcarbon.ifc.areas.gross_floor_area`); the first one that is
plausible is used. An estimate smaller than :data:`MIN_FLOOR_AREA_M2`, or than
:data:`MIN_SHARE_OF_PLAN_EXTENT` of the building's plan extent, is not a floor area: a stair landing or
a corbel typed FLOOR is what such figures come from, and dividing the building's carbon by it gives
numbers no person would believe. Then there is no floor area and the assessment asks for one.

This module holds the last estimate (from the take-off table, no geometry) and the rule; the
geometry estimates are in :mod:`bimcarbon.ifc.footprints`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import pandas as pd

#: Slab predefined types that are floors (roofs and landings are not floor area).
FLOOR_SLAB_TYPES = ("FLOOR", "BASESLAB")

#: An estimate under this many m2 in total is not a building's floor area (our assumption).
MIN_FLOOR_AREA_M2 = 10.0

#: An estimate under this share of the building's plan extent is not its floor area (our assumption:
#: a building's floor area is rarely under half its plan extent; 5 % leaves a tenfold margin).
MIN_SHARE_OF_PLAN_EXTENT = 0.05


@dataclass(frozen=True)
class Estimate:
    """A floor-area estimate, or why there is none.

    Attributes
    ----------
    area_m2
        The estimate in m2, or None.
    source
        How it was made, or why it could not be.
    largest
        The largest contribution, e.g. ``IfcSlab 'Landing' (GlobalId 2Hx...), 0.26 m2``, to name
        what an implausible estimate came from.
    """

    area_m2: float | None
    source: str
    largest: str | None = None


def implausibly_small(area_m2: float, plan_extent_m2: float | None) -> str | None:
    """Why an estimate cannot be the building's floor area, or None when it can.

    Parameters
    ----------
    area_m2
        The estimate in m2.
    plan_extent_m2
        The building's plan extent in m2 (None or 0 when unknown: only the absolute rule applies).

    Returns
    -------
    str or None
    """
    if area_m2 < MIN_FLOOR_AREA_M2:
        return f"under {MIN_FLOOR_AREA_M2:g} m2"
    if plan_extent_m2 and area_m2 < MIN_SHARE_OF_PLAN_EXTENT * plan_extent_m2:
        return (
            f"under {MIN_SHARE_OF_PLAN_EXTENT:.0%} of the building's plan extent of {plan_extent_m2:,.0f} m2"
        )
    return None


def first_plausible(
    estimators: Iterable[Callable[[], Estimate]],
    plan_extent_m2: Callable[[], float | None],
    reasons: list[str] | None = None,
) -> tuple[float | None, str]:
    """The first plausible estimate, computing each only when the ones before it gave none.

    Parameters
    ----------
    estimators
        Functions returning an :class:`Estimate`, best first.
    plan_extent_m2
        Returns the building's plan extent in m2 (called once, when the first estimate is checked).
    reasons
        Why the better sources before these gave nothing (kept in a "not found" source).

    Returns
    -------
    area_m2, source
        ``(None, "not found: ...")`` when no estimate is plausible; the source then names the largest
        implausible candidate and what it came from.
    """
    reasons = list(reasons or [])
    rejected: list[tuple[Estimate, str]] = []
    extent: list[float | None] = []
    for estimator in estimators:
        estimate = estimator()
        if estimate.area_m2 is None:
            reasons.append(estimate.source)
            continue
        if not extent:
            extent.append(plan_extent_m2())
        why = implausibly_small(estimate.area_m2, extent[0])
        if why is None:
            set_aside = "".join(
                f"; {r.source} ({r.area_m2:,.2f} m2) set aside: implausibly small, {w}" for r, w in rejected
            )
            return estimate.area_m2, estimate.source + set_aside
        rejected.append((estimate, why))
        reasons.append(f"{estimate.source}: {estimate.area_m2:,.2f} m2")
    text = "not found: " + "; ".join(reasons)
    if rejected:
        largest, why = max(rejected, key=lambda pair: pair[0].area_m2 or 0.0)
        part = f" (largest part {largest.largest})" if largest.largest else ""
        text += f"; largest candidate {largest.area_m2:,.2f} m2{part} is implausibly small: {why}"
    return None, text


def floor_area_from_slabs(table: pd.DataFrame) -> Estimate:
    """Sum over storeys of the largest floor slab's area (exported area, else volume / layer thickness).

    A proxy without geometry: per storey, the largest floor slab (a finish slab stacked on a structural
    one must not count twice).

    Parameters
    ----------
    table
        The take-off table.

    Returns
    -------
    Estimate
        No area when no floor slab has an area or a layer thickness.
    """
    slabs = table[
        table["ifc_class"].str.startswith("IfcSlab") & table["predefined_type"].isin(FLOOR_SLAB_TYPES)
    ]
    if slabs.empty:
        return Estimate(None, "no IfcSlab of type FLOOR or BASESLAB in the take-off")
    areas = []
    for (storey, _), rows in slabs.groupby([slabs["storey"].fillna("(no storey)"), "step_id"]):
        first = rows.iloc[0]
        name = f"{first['ifc_class']} '{first['element_name']}' (GlobalId {first['global_id']})"
        area = pd.to_numeric(rows["area_m2"], errors="coerce").dropna()
        if len(area):
            areas.append((storey, float(area.iloc[0]), name))
            continue
        volume = pd.to_numeric(rows["volume_m3"], errors="coerce").sum(min_count=1)
        thickness = pd.to_numeric(rows["layer_thickness_m"], errors="coerce").sum(min_count=1)
        if pd.notna(volume) and pd.notna(thickness) and thickness > 0:
            areas.append((storey, float(volume / thickness), name))
    if not areas:
        return Estimate(None, "floor slabs in the take-off have neither an area nor a layer thickness")
    found = pd.DataFrame(areas, columns=["storey", "area", "name"])
    per_storey = found.groupby("storey")["area"].max()
    top = found.loc[found["area"].idxmax()]
    return Estimate(
        float(per_storey.sum()),
        f"proxy: largest floor slab (FLOOR/BASESLAB) per storey over {len(per_storey)} storey(s); "
        "area, else volume / layer thickness",
        f"{top['name']}, {top['area']:,.2f} m2",
    )
