"""Gross floor area from the model: quantities, else geometry, else the take-off; never an implausible one.

The order (the first that gives an area is used):

1. the storeys' GrossFloorArea, when every storey has one;
2. the internal spaces' GrossFloorArea, when every such space has one;
3. the internal spaces' plan footprints from their geometry, when every such space has a body;
4. the floor slabs' plan footprints from their geometry (union per level), a proxy;
5. the largest floor slab per storey from the take-off table (exported area, else volume / thickness),
   a proxy.

Estimates 3 to 5 must be plausible (:func:`bimcarbon.floor_area.implausibly_small`); when none is,
there is no floor area. Quantities (1 and 2) are the model's own statement and are taken as given.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bimcarbon.floor_area import Estimate, first_plausible, floor_area_from_slabs
from bimcarbon.ifc.footprints import (
    floor_area_from_slab_geometry,
    floor_area_from_space_geometry,
    plan_extent_m2,
)
from bimcarbon.ifc.reader import Model
from bimcarbon.ifc.units import unit_scale

if TYPE_CHECKING:  # the reader process never imports pandas (bimcarbon.takeoff.TakeOffRows)
    import pandas as pd

#: Space predefined types and names that are not floor area.
NOT_FLOOR_SPACES = ("EXTERNAL", "PARKING")
NOT_FLOOR_SPACE_NAMES = ("roof", "dach", "屋顶", "屋面")


def gross_floor_area(model: Model, table: pd.DataFrame | list[dict]) -> tuple[float | None, str]:
    """Gross floor area in m2 of the model and where it came from (the order is in the module docstring).

    Run while the model is open: the geometry estimates need it. Geometry is computed only when the
    quantities gave no area, and the slabs only when the spaces gave none.

    Parameters
    ----------
    model
        The open model.
    table
        Its take-off table, as a DataFrame or as rows (dicts by column: the reader process's, which has
        no pandas).

    Returns
    -------
    area_m2, source
        ``(None, "not found: ...")`` when no source gives a plausible area.
    """
    value, source = floor_area_from_quantities(model)
    if value is not None:
        return value, source
    spaces = [s for s in model.ifc.by_type("IfcSpace") if _counts_as_floor(s)]
    estimators = []
    if spaces:  # without any, the quantities' reason says so already
        estimators.append(
            _guarded("IfcSpace geometry", lambda: floor_area_from_space_geometry(model, spaces))
        )
    estimators.append(_guarded("floor slab geometry", lambda: floor_area_from_slab_geometry(model)))
    estimators.append(lambda: floor_area_from_slabs(table))
    return first_plausible(estimators, lambda: _extent_or_none(model), [source])


def _guarded(label: str, estimator):
    """The estimator, with a failure of the geometry engine turned into "no estimate" with its reason."""

    def run() -> Estimate:
        try:
            return estimator()
        except Exception as exc:  # an engine failure must not lose the assessment; it is named
            return Estimate(None, f"{label} failed ({type(exc).__name__}: {exc})")

    return run


def _extent_or_none(model: Model) -> float | None:
    try:
        return plan_extent_m2(model)
    except Exception:  # the absolute minimum still applies without the extent
        return None


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
    kind = kind or str(getattr(obj, "InteriorOrExteriorSpace", None) or "").upper()  # IFC2X3
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
