"""Property-based tests (hypothesis): what must hold for any input, not just the examples."""

from __future__ import annotations

import math

import ifcopenshell
from hypothesis import given, settings
from hypothesis import strategies as st

from bimcarbon.ifc.materials import MaterialSpec, PartSpec
from bimcarbon.ifc.quantities import ElementQuantities, Measured
from bimcarbon.ifc.units import SI_PREFIX_FACTOR, unit_scale
from bimcarbon.split import VolumeChoice, split_element

positive = st.floats(min_value=1e-6, max_value=1e4, allow_nan=False, allow_infinity=False)


def _close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


@given(volume=positive, thicknesses=st.lists(st.floats(min_value=0.0, max_value=1.0), min_size=1, max_size=8))
def test_layer_parts_always_sum_to_the_element_volume(volume, thicknesses):
    parts = tuple(PartSpec(i, f"m{i}", thickness_m=t) for i, t in enumerate(thicknesses))
    rows = split_element(
        MaterialSpec("layer", "occurrence", None, parts), ElementQuantities(), VolumeChoice(volume, "x"), None
    )
    assert _close(sum(r.volume_m3 for r in rows), volume)
    assert all(r.volume_m3 >= 0 for r in rows)


@given(
    volume=positive,
    fractions=st.lists(st.one_of(st.none(), st.floats(min_value=0.0, max_value=5.0)), min_size=1, max_size=6),
)
def test_constituent_parts_always_sum_to_the_element_volume_whatever_the_fractions(volume, fractions):
    parts = tuple(PartSpec(i, f"m{i}", fraction=f, part_name=f"c{i}") for i, f in enumerate(fractions))
    material = MaterialSpec("constituent", "occurrence", None, parts)
    rows = split_element(material, ElementQuantities(), VolumeChoice(volume, "x"), None)
    assert _close(sum(r.volume_m3 for r in rows), volume)
    assert all(r.volume_m3 >= 0 for r in rows)


@given(volume=positive, area=positive, n=st.integers(min_value=1, max_value=6))
def test_every_layer_covers_the_whole_area_and_lists_share_it(volume, area, n):
    quantities = ElementQuantities(area=Measured(area, "a"))
    layers = MaterialSpec(
        "layer", "occurrence", None, tuple(PartSpec(i, "m", thickness_m=0.1) for i in range(n))
    )
    assert all(
        _close(r.area_m2, area) for r in split_element(layers, quantities, VolumeChoice(volume, "x"), None)
    )
    listed = MaterialSpec("list", "occurrence", None, tuple(PartSpec(i, "m") for i in range(n)))
    rows = split_element(listed, quantities, VolumeChoice(volume, "x"), None)
    assert _close(sum(r.area_m2 for r in rows), area)


@given(
    prefix=st.sampled_from(sorted(SI_PREFIX_FACTOR)),
    name=st.sampled_from(["METRE", "SQUARE_METRE", "CUBIC_METRE"]),
)
@settings(max_examples=60)
def test_a_prefix_scales_by_its_factor_to_the_units_power(prefix, name):
    f = ifcopenshell.file(schema="IFC4")
    unit_type = {"METRE": "LENGTHUNIT", "SQUARE_METRE": "AREAUNIT", "CUBIC_METRE": "VOLUMEUNIT"}[name]
    power = {"METRE": 1, "SQUARE_METRE": 2, "CUBIC_METRE": 3}[name]
    scale, _ = unit_scale(f.create_entity("IfcSIUnit", UnitType=unit_type, Name=name, Prefix=prefix))
    assert math.isclose(scale, SI_PREFIX_FACTOR[prefix] ** power, rel_tol=1e-12)
