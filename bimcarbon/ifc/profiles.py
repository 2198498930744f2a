"""Cross-section areas of IFC profile definitions, in model length units squared.

Parametric profiles use their closed formulas (root fillets included where given: each of the
four I-shape fillets adds (1 - pi/4) r2). Arbitrary closed profiles made of straight segments use the
shoelace formula, minus their voids. Anything else returns None and the element falls back to the
next quantity source.
"""

from __future__ import annotations

import math

_FILLET = 1.0 - math.pi / 4.0  # area between a quarter circle of radius 1 and its square


def profile_area(profile) -> float | None:
    """Area of an IfcProfileDef in the model's length unit squared, or None if unknown.

    Parameters
    ----------
    profile
        An IfcProfileDef entity.

    Returns
    -------
    float or None
    """
    if profile is None:
        return None
    kind = profile.is_a()
    handler = _HANDLERS.get(kind)
    if handler is None:
        for base, func in _HANDLERS.items():
            if profile.is_a(base):
                handler = func
                break
    if handler is None:
        return None
    try:
        area = handler(profile)
    except (TypeError, AttributeError, ValueError):
        return None
    if area is None or not math.isfinite(area) or area <= 0:
        return None
    return area


def _f(value) -> float:
    return float(value) if value is not None else 0.0


def _rectangle(p) -> float:
    return _f(p.XDim) * _f(p.YDim)


def _rectangle_hollow(p) -> float:
    x, y, t = _f(p.XDim), _f(p.YDim), _f(p.WallThickness)
    outer_r, inner_r = _f(p.OuterFilletRadius), _f(p.InnerFilletRadius)
    outer = x * y - 4 * _FILLET * outer_r**2
    inner = (x - 2 * t) * (y - 2 * t) - 4 * _FILLET * inner_r**2
    return outer - inner


def _circle(p) -> float:
    return math.pi * _f(p.Radius) ** 2


def _circle_hollow(p) -> float:
    r, t = _f(p.Radius), _f(p.WallThickness)
    return math.pi * (r**2 - (r - t) ** 2)


def _ellipse(p) -> float:
    return math.pi * _f(p.SemiAxis1) * _f(p.SemiAxis2)


def _i_shape(p) -> float:
    b, h, tw, tf = _f(p.OverallWidth), _f(p.OverallDepth), _f(p.WebThickness), _f(p.FlangeThickness)
    r = _f(getattr(p, "FilletRadius", None))
    return 2 * b * tf + (h - 2 * tf) * tw + 4 * _FILLET * r**2


def _asymmetric_i(p) -> float:
    b_top = _f(p.TopFlangeWidth) or _f(p.BottomFlangeWidth)
    t_top = _f(p.TopFlangeThickness) or _f(p.BottomFlangeThickness)
    b_bot, t_bot = _f(p.BottomFlangeWidth), _f(p.BottomFlangeThickness)
    h, tw = _f(p.OverallDepth), _f(p.WebThickness)
    r_bot = _f(p.BottomFlangeFilletRadius)
    r_top = _f(p.TopFlangeFilletRadius) if p.TopFlangeFilletRadius is not None else r_bot
    return b_top * t_top + b_bot * t_bot + (h - t_top - t_bot) * tw + 2 * _FILLET * (r_top**2 + r_bot**2)


def _l_shape(p) -> float:
    d, t = _f(p.Depth), _f(p.Thickness)
    w = _f(p.Width) or d
    return t * (d + w - t) + _FILLET * _f(p.FilletRadius) ** 2


def _t_shape(p) -> float:
    d, b, tw, tf = _f(p.Depth), _f(p.FlangeWidth), _f(p.WebThickness), _f(p.FlangeThickness)
    return b * tf + (d - tf) * tw + 2 * _FILLET * _f(p.FilletRadius) ** 2


def _u_shape(p) -> float:
    d, b, tw, tf = _f(p.Depth), _f(p.FlangeWidth), _f(p.WebThickness), _f(p.FlangeThickness)
    return 2 * b * tf + (d - 2 * tf) * tw + 2 * _FILLET * _f(p.FilletRadius) ** 2


def _c_shape(p) -> float:
    d, w, t, girth = _f(p.Depth), _f(p.Width), _f(p.WallThickness), _f(p.Girth)
    return t * (d + 2 * w + 2 * girth - 4 * t)


def _z_shape(p) -> float:
    d, b, tw, tf = _f(p.Depth), _f(p.FlangeWidth), _f(p.WebThickness), _f(p.FlangeThickness)
    return 2 * b * tf + (d - 2 * tf) * tw


def _curve_points(curve) -> list[tuple[float, float]] | None:
    if curve.is_a("IfcPolyline"):
        return [(float(pt.Coordinates[0]), float(pt.Coordinates[1])) for pt in curve.Points]
    if curve.is_a("IfcIndexedPolyCurve"):
        if curve.Segments is not None:
            for segment in curve.Segments:
                if segment.is_a("IfcArcIndex"):
                    return None
        return [(float(c[0]), float(c[1])) for c in curve.Points.CoordList]
    return None


def _polygon_area(points: list[tuple[float, float]]) -> float:
    total = 0.0
    for (x1, y1), (x2, y2) in zip(points, points[1:] + points[:1], strict=False):
        total += x1 * y2 - x2 * y1
    return abs(total) / 2.0


def _arbitrary_closed(p) -> float | None:
    outer = _curve_points(p.OuterCurve)
    if outer is None:
        return None
    area = _polygon_area(outer)
    for void in getattr(p, "InnerCurves", None) or ():
        inner = _curve_points(void)
        if inner is None:
            return None
        area -= _polygon_area(inner)
    return area


def _composite(p) -> float | None:
    areas = [profile_area(child) for child in p.Profiles]
    if any(a is None for a in areas):
        return None
    return sum(a for a in areas if a is not None)


def _derived(p) -> float | None:
    parent = profile_area(p.ParentProfile)
    if parent is None:
        return None
    operator = p.Operator
    scale = _f(getattr(operator, "Scale", None)) or 1.0
    scale_2 = _f(getattr(operator, "Scale2", None)) or scale
    return parent * scale * scale_2


_HANDLERS = {
    "IfcRectangleHollowProfileDef": _rectangle_hollow,
    "IfcRoundedRectangleProfileDef": lambda p: _rectangle(p) - 4 * _FILLET * _f(p.RoundingRadius) ** 2,
    "IfcRectangleProfileDef": _rectangle,
    "IfcCircleHollowProfileDef": _circle_hollow,
    "IfcCircleProfileDef": _circle,
    "IfcEllipseProfileDef": _ellipse,
    "IfcAsymmetricIShapeProfileDef": _asymmetric_i,
    "IfcIShapeProfileDef": _i_shape,
    "IfcLShapeProfileDef": _l_shape,
    "IfcTShapeProfileDef": _t_shape,
    "IfcUShapeProfileDef": _u_shape,
    "IfcCShapeProfileDef": _c_shape,
    "IfcZShapeProfileDef": _z_shape,
    "IfcArbitraryClosedProfileDef": _arbitrary_closed,
    "IfcCompositeProfileDef": _composite,
    "IfcDerivedProfileDef": _derived,
}
