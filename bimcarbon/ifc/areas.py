"""Gross floor area from the model: storeys, else spaces (their GrossFloorArea quantities)."""

from __future__ import annotations

from bimcarbon.ifc.reader import Model
from bimcarbon.ifc.units import unit_scale

#: Space predefined types and names that are not floor area.
NOT_FLOOR_SPACES = ("EXTERNAL", "PARKING")
NOT_FLOOR_SPACE_NAMES = ("roof", "dach", "屋顶", "屋面")


def floor_area_from_quantities(model: Model) -> tuple[float | None, str]:
    """Gross floor area in m2: the sum of the storeys' GrossFloorArea when every storey has one,
    else of the internal spaces' GrossFloorArea when every such space has one.

    Returns
    -------
    area_m2, source
        ``(None, reason)`` when neither storeys nor spaces all carry a gross floor area.
    """
    scale = model.units.area.scale_to_si
    reasons = []
    for ifc_class in ("IfcBuildingStorey", "IfcSpace"):
        objects = [o for o in model.ifc.by_type(ifc_class) if _counts_as_floor(o)]
        if not objects:
            reasons.append(f"no {ifc_class}")
            continue
        values = [_gross_floor_area(o, scale) for o in objects]
        known = [v for v in values if v is not None]
        if len(known) == len(objects) and sum(known) > 0:
            return sum(known), f"sum of GrossFloorArea over the {len(objects)} {ifc_class}"
        reasons.append(f"{len(known)} of {len(objects)} {ifc_class} carry a GrossFloorArea")
    return None, "; ".join(reasons)


def _counts_as_floor(obj) -> bool:
    if not obj.is_a("IfcSpace"):
        return True
    kind = str(getattr(obj, "PredefinedType", None) or "").upper()
    name = f"{obj.Name or ''} {getattr(obj, 'LongName', None) or ''}".lower()
    return kind not in NOT_FLOOR_SPACES and not any(word in name for word in NOT_FLOOR_SPACE_NAMES)


def _gross_floor_area(obj, scale: float) -> float | None:
    for rel in getattr(obj, "IsDefinedBy", None) or ():
        if not rel.is_a("IfcRelDefinesByProperties"):
            continue
        definition = rel.RelatingPropertyDefinition
        if definition is None or not definition.is_a("IfcElementQuantity"):
            continue
        for quantity in definition.Quantities or ():
            key = (quantity.Name or "").strip().lower()
            if quantity.is_a("IfcQuantityArea") and key == "grossfloorarea" and quantity.AreaValue:
                own = unit_scale(quantity.Unit)[0] if quantity.Unit is not None else scale
                return float(quantity.AreaValue) * own
    return None
