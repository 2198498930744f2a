"""Element positions: the chain of local placements multiplied out, in metres."""

from __future__ import annotations

import ifcopenshell.util.placement
import numpy as np
import pytest
from builders import new_model

from bimcarbon.ifc.placement import axis2placement_matrix, position_m


def _placement(f, relative_to, xyz, ref=None, axis=None):
    point = f.create_entity("IfcCartesianPoint", xyz)

    def direction(ratios):
        return f.create_entity("IfcDirection", ratios) if ratios else None

    axes = f.create_entity(
        "IfcAxis2Placement3D", Location=point, Axis=direction(axis), RefDirection=direction(ref)
    )
    return f.create_entity("IfcLocalPlacement", PlacementRelTo=relative_to, RelativePlacement=axes)


def test_a_placement_turned_by_an_unnormalised_direction_in_millimetres():
    # a parent at x = 10 m turned 90 degrees about z (its x axis along +y, written (0, 5, 0)); the element
    # 2 m along the parent's x and 3 m up: (10, 0, 0) + (0, 2, 3) = (10, 2, 3) m
    f, _ = new_model("mm")
    parent = _placement(f, None, (10000.0, 0.0, 0.0), ref=(0.0, 5.0, 0.0))
    element = f.create_entity(
        "IfcWall", GlobalId="0" * 22, ObjectPlacement=_placement(f, parent, (2000.0, 0.0, 3000.0))
    )
    assert position_m(element, 0.001, {}) == pytest.approx((10.0, 2.0, 3.0))


@pytest.mark.parametrize(
    ("axis", "ref"),
    [
        (None, None),
        ((0.0, 0.0, 2.0), (3.0, 4.0, 0.0)),
        ((0.0, 1.0, 1.0), (1.0, 0.0, 0.0)),
        ((1.0, 1.0, 1.0), (1.0, -1.0, 0.5)),
    ],
)
def test_the_matrix_is_ifcopenshells_to_the_last_digit(axis, ref):
    # the last pair is not even perpendicular: y = z x x normalised, as ifcopenshell has it
    f, _ = new_model("m")
    placement = _placement(f, None, (1.5, -2.25, 7.0), ref=ref, axis=axis)
    expected = np.asarray(
        ifcopenshell.util.placement.get_axis2placement(placement.RelativePlacement), dtype=float
    )
    assert np.array_equal(axis2placement_matrix(placement.RelativePlacement), expected)
