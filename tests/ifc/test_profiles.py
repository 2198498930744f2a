"""Profile areas, checked against the textbook formulas."""

from __future__ import annotations

import math

import ifcopenshell
import pytest

from bimcarbon.ifc.profiles import profile_area

F = ifcopenshell.file(schema="IFC4")


def test_rectangle_area_is_width_times_depth():
    p = F.create_entity("IfcRectangleProfileDef", ProfileType="AREA", XDim=0.2, YDim=0.4)
    assert math.isclose(profile_area(p), 0.08)


def test_i_shape_without_fillets_is_two_flanges_and_a_web():
    p = F.create_entity(
        "IfcIShapeProfileDef",
        ProfileType="AREA",
        OverallWidth=0.2,
        OverallDepth=0.2,
        WebThickness=0.009,
        FlangeThickness=0.015,
    )
    assert math.isclose(profile_area(p), 2 * 0.2 * 0.015 + 0.17 * 0.009)  # 0.00753 m2


def test_i_shape_fillets_add_four_corner_pieces():
    # IPE 300: A = 53.81 cm2 in steel tables (b 150, h 300, tw 7.1, tf 10.7, r 15 mm).
    p = F.create_entity(
        "IfcIShapeProfileDef",
        ProfileType="AREA",
        OverallWidth=150.0,
        OverallDepth=300.0,
        WebThickness=7.1,
        FlangeThickness=10.7,
        FilletRadius=15.0,
    )
    assert profile_area(p) == pytest.approx(5381.0, rel=1e-3)


def test_hollow_circle_is_the_ring_between_two_radii():
    p = F.create_entity("IfcCircleHollowProfileDef", ProfileType="AREA", Radius=0.1, WallThickness=0.01)
    assert math.isclose(profile_area(p), math.pi * (0.1**2 - 0.09**2))


def test_arbitrary_polyline_profile_uses_the_shoelace_formula():
    points = [
        F.create_entity("IfcCartesianPoint", c) for c in [(0.0, 0.0), (3.0, 0.0), (3.0, 2.0), (0.0, 2.0)]
    ]
    curve = F.create_entity("IfcPolyline", points + points[:1])
    p = F.create_entity("IfcArbitraryClosedProfileDef", ProfileType="AREA", OuterCurve=curve)
    assert math.isclose(profile_area(p), 6.0)


def test_unknown_profile_kinds_give_none_so_the_caller_falls_back():
    curve = F.create_entity(
        "IfcCircle", F.create_entity("IfcAxis2Placement2D", F.createIfcCartesianPoint((0.0, 0.0))), 1.0
    )
    p = F.create_entity("IfcArbitraryClosedProfileDef", ProfileType="AREA", OuterCurve=curve)
    assert profile_area(p) is None
