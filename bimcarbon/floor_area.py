"""Gross floor area from the take-off when the model carries no floor-area quantity: floor slabs."""

from __future__ import annotations

import pandas as pd

#: Slab predefined types that are floors (roofs and landings are not floor area).
FLOOR_SLAB_TYPES = ("FLOOR", "BASESLAB")


def floor_area_from_slabs(table: pd.DataFrame) -> tuple[float | None, str]:
    """Sum of floor-slab areas: the exported area, else volume / total layer thickness.

    Parameters
    ----------
    table
        The take-off table.

    Returns
    -------
    area_m2, source
        ``(None, reason)`` when no floor slab has an area or a layer thickness.
    """
    slabs = table[
        table["ifc_class"].str.startswith("IfcSlab") & table["predefined_type"].isin(FLOOR_SLAB_TYPES)
    ]
    if slabs.empty:
        return None, "no IfcSlab of type FLOOR or BASESLAB"
    total, counted = 0.0, 0
    for _, rows in slabs.groupby("step_id"):
        area = pd.to_numeric(rows["area_m2"], errors="coerce").dropna()
        if len(area):
            total += float(area.iloc[0])
            counted += 1
            continue
        volume = pd.to_numeric(rows["volume_m3"], errors="coerce").sum(min_count=1)
        thickness = pd.to_numeric(rows["layer_thickness_m"], errors="coerce").sum(min_count=1)
        if pd.notna(volume) and pd.notna(thickness) and thickness > 0:
            total += float(volume / thickness)
            counted += 1
    if not counted:
        return None, "floor slabs have neither an area nor a layer thickness"
    elements = slabs["step_id"].nunique()
    return (
        total,
        f"floor slabs (FLOOR/BASESLAB): area, else volume / layer thickness ({counted} of {elements})",
    )
