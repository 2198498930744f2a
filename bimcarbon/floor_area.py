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
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported where a table is read: the reader process never imports pandas
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


def floor_area_from_slabs(table: pd.DataFrame | Iterable[dict]) -> Estimate:
    """Sum over storeys of the largest floor slab's area (exported area, else volume / layer thickness).

    A proxy without geometry: per storey, the largest floor slab (a finish slab stacked on a structural
    one must not count twice). Plain Python over the rows: the reader process, which has no pandas,
    reaches this estimate in every model without floor quantities, spaces or floor slabs.

    Parameters
    ----------
    table
        The take-off table, as a DataFrame or as its rows (dicts by column).

    Returns
    -------
    Estimate
        No area when no floor slab has an area or a layer thickness.
    """
    rows = table.to_dict("records") if hasattr(table, "to_dict") else table
    slabs: dict[tuple[str, int], list[dict]] = {}  # (storey, element) -> its part rows, in table order
    for row in rows:
        if (
            str(row.get("ifc_class") or "").startswith("IfcSlab")
            and row.get("predefined_type") in FLOOR_SLAB_TYPES
        ):
            storey = row.get("storey")
            storey = "(no storey)" if storey is None or storey != storey else str(storey)  # NaN != NaN
            slabs.setdefault((storey, row["step_id"]), []).append(row)
    if not slabs:
        return Estimate(None, "no IfcSlab of type FLOOR or BASESLAB in the take-off")
    areas: list[tuple[str, float, str]] = []
    for (storey, _), parts in sorted(slabs.items(), key=lambda item: item[0]):
        first = parts[0]
        name = f"{first['ifc_class']} '{first['element_name']}' (GlobalId {first['global_id']})"
        area = [a for a in (_number(p.get("area_m2")) for p in parts) if a is not None]
        if area:
            areas.append((storey, area[0], name))
            continue
        volume = _sum_or_none(_number(p.get("volume_m3")) for p in parts)
        thickness = _sum_or_none(_number(p.get("layer_thickness_m")) for p in parts)
        if volume is not None and thickness is not None and thickness > 0:
            areas.append((storey, volume / thickness, name))
    if not areas:
        return Estimate(None, "floor slabs in the take-off have neither an area nor a layer thickness")
    per_storey: dict[str, float] = {}
    for storey, area_m2, _ in areas:
        per_storey[storey] = max(per_storey.get(storey, area_m2), area_m2)
    top = max(areas, key=lambda found: found[1])  # the first of the largest
    return Estimate(
        float(sum(per_storey.values())),
        f"proxy: largest floor slab (FLOOR/BASESLAB) per storey over {len(per_storey)} storey(s); "
        "area, else volume / layer thickness",
        f"{top[2]}, {top[1]:,.2f} m2",
    )


def _number(value: object) -> float | None:
    """A table cell as a number, None when empty, not a number or NaN (as pandas.to_numeric coerces)."""
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if number != number else number


def _sum_or_none(values: Iterable[float | None]) -> float | None:
    """Sum of the numbers given, None when there are none (pandas' sum with min_count=1)."""
    numbers = [v for v in values if v is not None]
    return float(sum(numbers)) if numbers else None
