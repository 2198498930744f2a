"""Gross floor area from the take-off when the model carries no floor-area quantity: floor slabs.

A proxy: per storey, the largest floor slab (a finish slab stacked on a structural one must not count
twice); stairs and landings exported as slabs are too small to matter. The assessment warns when it
is used.
"""

from __future__ import annotations

import pandas as pd

#: Slab predefined types that are floors (roofs and landings are not floor area).
FLOOR_SLAB_TYPES = ("FLOOR", "BASESLAB")


def floor_area_from_slabs(table: pd.DataFrame) -> tuple[float | None, str]:
    """Sum over storeys of the largest floor slab's area (exported area, else volume / layer thickness).

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
    areas = []
    for (storey, _), rows in slabs.groupby([slabs["storey"].fillna("(no storey)"), "step_id"]):
        area = pd.to_numeric(rows["area_m2"], errors="coerce").dropna()
        if len(area):
            areas.append((storey, float(area.iloc[0])))
            continue
        volume = pd.to_numeric(rows["volume_m3"], errors="coerce").sum(min_count=1)
        thickness = pd.to_numeric(rows["layer_thickness_m"], errors="coerce").sum(min_count=1)
        if pd.notna(volume) and pd.notna(thickness) and thickness > 0:
            areas.append((storey, float(volume / thickness)))
    if not areas:
        return None, "floor slabs have neither an area nor a layer thickness"
    per_storey = pd.DataFrame(areas, columns=["storey", "area"]).groupby("storey")["area"].max()
    return float(per_storey.sum()), (
        f"proxy: largest floor slab (FLOOR/BASESLAB) per storey over {len(per_storey)} storey(s); "
        "area, else volume / layer thickness"
    )
