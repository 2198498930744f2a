"""Storey elevations of a model, in metres (for the storey height the plausibility checks use)."""

from __future__ import annotations

import math

from bimcarbon.ifc.reader import Model


def storey_elevations_m(model: Model) -> list[float]:
    """Elevation of every IfcBuildingStorey that gives one, converted to metres, in file order.

    Parameters
    ----------
    model
        An opened model.

    Returns
    -------
    list of float
        Elevations in m; storeys without a finite ``Elevation`` are left out.
    """
    scale = model.units.length.scale_to_si
    elevations = []
    for storey in model.ifc.by_type("IfcBuildingStorey"):
        try:
            value = float(storey.Elevation) * scale
        except (TypeError, ValueError, AttributeError, RuntimeError):
            continue
        if math.isfinite(value):
            elevations.append(value)
    return elevations
