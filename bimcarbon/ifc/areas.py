"""Gross floor area from the model: spaces, else storeys (their GrossFloorArea quantities)."""

from __future__ import annotations

from bimcarbon.ifc.reader import Model
from bimcarbon.ifc.units import unit_scale

#: Quantity names read as gross floor area, in order of preference.
FLOOR_AREA_NAMES = ("grossfloorarea", "netfloorarea")


def floor_area_from_quantities(model: Model) -> tuple[float | None, str]:
    """Sum of GrossFloorArea over IfcSpace (else IfcBuildingStorey) quantity sets, in m2.

    Returns
    -------
    area_m2, source
        ``(None, reason)`` when neither spaces nor storeys carry a floor area.
    """
    scale = model.units.area.scale_to_si
    for ifc_class in ("IfcSpace", "IfcBuildingStorey"):
        total, counted, name_used = 0.0, 0, None
        objects = model.ifc.by_type(ifc_class)
        for obj in objects:
            value, name = _floor_area(obj, scale)
            if value is not None:
                total += value
                counted += 1
                name_used = name_used or name
        if counted:
            return total, f"sum of {name_used} over {counted} of {len(objects)} {ifc_class}"
    return None, "no IfcSpace or IfcBuildingStorey carries a GrossFloorArea"


def _floor_area(obj, scale: float) -> tuple[float | None, str | None]:
    found: dict[str, float] = {}
    for rel in getattr(obj, "IsDefinedBy", None) or ():
        if not rel.is_a("IfcRelDefinesByProperties"):
            continue
        definition = rel.RelatingPropertyDefinition
        if definition is None or not definition.is_a("IfcElementQuantity"):
            continue
        for quantity in definition.Quantities or ():
            key = (quantity.Name or "").strip().lower()
            if quantity.is_a("IfcQuantityArea") and key in FLOOR_AREA_NAMES and quantity.AreaValue:
                own = unit_scale(quantity.Unit)[0] if quantity.Unit is not None else scale
                found.setdefault(key, float(quantity.AreaValue) * own)
    for name in FLOOR_AREA_NAMES:
        if name in found and found[name] > 0:
            label = "GrossFloorArea" if name == "grossfloorarea" else "NetFloorArea"
            return found[name], label
    return None, None
