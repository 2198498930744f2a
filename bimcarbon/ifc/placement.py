"""Where an element is: the origin of its object placement in world coordinates, in metres.

Cheap by design (no geometry): the chain of ``IfcLocalPlacement`` is read with
``ifcopenshell.util.placement`` and each placement's matrix is kept, so that the storey's, building's
and site's placements are multiplied once per model, not once per element. Used to pair the elements
of two models whose exporter regenerated their GlobalIds (:mod:`bimcarbon.compare.pairing`).
"""

from __future__ import annotations

import math

import ifcopenshell.util.placement
import numpy as np

#: Placement chains longer than this are taken as a loop in a broken file (no position).
MAX_DEPTH = 64


def position_m(
    element, length_scale: float, cache: dict[int, np.ndarray | None]
) -> tuple[float, float, float] | None:
    """The origin of ``element``'s placement in world coordinates, metres.

    Parameters
    ----------
    element
        An IfcProduct.
    length_scale
        Metres per project length unit (:attr:`bimcarbon.ifc.units.ProjectUnits.length`).
    cache
        Matrices of the placements already read (by entity id), shared by all elements of a model.

    Returns
    -------
    tuple of float or None
        ``(x, y, z)`` in metres; None when the element has no placement, its placement is not a local
        placement (a grid or linear placement) or cannot be read.
    """
    matrix = world_matrix(element, cache)
    if matrix is None:
        return None
    origin = tuple(float(v) * length_scale for v in matrix[:3, 3])
    return origin if all(math.isfinite(v) for v in origin) else None


def world_matrix(element, cache: dict[int, np.ndarray | None]) -> np.ndarray | None:
    """The 4x4 world matrix of ``element``'s placement, translation in the project's length unit.

    Parameters
    ----------
    element
        An IfcProduct.
    cache
        Matrices of the placements already read (by entity id), shared by all elements of a model.

    Returns
    -------
    numpy.ndarray or None
        None when the element has no placement, its placement is not a local placement (a grid or
        linear placement) or cannot be read.
    """
    placement = getattr(element, "ObjectPlacement", None)
    if placement is None:
        return None
    try:
        return _matrix(placement, cache, 0)
    except Exception:  # a broken placement: no position, the element is still taken off
        return None


def _matrix(placement, cache: dict[int, np.ndarray | None], depth: int) -> np.ndarray | None:
    """The 4x4 world matrix of a placement (as ``ifcopenshell.util.placement.get_local_placement``
    computes it), its parents' matrices kept in ``cache``."""
    key = placement.id()
    if key in cache:
        return cache[key]
    if depth > MAX_DEPTH or not placement.is_a("IfcLocalPlacement"):
        cache[key] = None
        return None
    parent = placement.PlacementRelTo
    parent_matrix = np.eye(4) if parent is None else _matrix(parent, cache, depth + 1)
    if parent_matrix is None:
        cache[key] = None
        return None
    relative = placement.RelativePlacement
    local = axis2placement_matrix(relative) if relative is not None else np.eye(4)
    matrix = parent_matrix @ np.asarray(local, dtype=float)
    cache[key] = matrix
    return matrix


def axis2placement_matrix(relative) -> np.ndarray:
    """The 4x4 matrix of an IfcAxis2Placement3D at a cartesian point, as
    ``ifcopenshell.util.placement.get_axis2placement`` computes it (x and z normalised, y = z x x
    normalised), in plain floats: numpy's cross product and norms of 3-vectors cost ten times more, and
    every element has a placement of its own. Anything else goes to ifcopenshell."""
    if relative.is_a() == "IfcAxis2Placement3D":
        location = relative.Location
        origin = getattr(location, "Coordinates", None) if location is not None else None
        if origin is not None and len(origin) == 3:
            axis, ref = relative.Axis, relative.RefDirection
            z = _unit(axis.DirectionRatios if axis is not None else (0.0, 0.0, 1.0))
            x = _unit(ref.DirectionRatios if ref is not None else (1.0, 0.0, 0.0))
            if x is not None and z is not None:
                y = _unit((z[1] * x[2] - z[2] * x[1], z[2] * x[0] - z[0] * x[2], z[0] * x[1] - z[1] * x[0]))
                if y is not None:
                    return np.array(
                        [
                            [x[0], y[0], z[0], origin[0]],
                            [x[1], y[1], z[1], origin[1]],
                            [x[2], y[2], z[2], origin[2]],
                            [0.0, 0.0, 0.0, 1.0],
                        ]
                    )
    return np.asarray(ifcopenshell.util.placement.get_axis2placement(relative), dtype=float)


def _unit(vector) -> tuple[float, float, float] | None:
    """The 3-vector scaled to length 1 (None when it has not three components or no length: left to
    ifcopenshell, which answers as it does)."""
    if len(vector) != 3:
        return None
    a, b, c = (float(v) for v in vector)
    length = math.sqrt(a * a + b * b + c * c)
    if not length > 0.0 or not math.isfinite(length):
        return None
    return a / length, b / length, c / length
