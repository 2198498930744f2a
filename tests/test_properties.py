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


@given(
    unit=st.sampled_from(["mm", "ft"]),
    length=st.floats(min_value=0.5, max_value=40.0),
    height=st.floats(min_value=0.5, max_value=10.0),
    layers=st.lists(st.floats(min_value=0.005, max_value=0.4), min_size=1, max_size=4),
    slab_depth=st.floats(min_value=0.05, max_value=1.0),
    exported_volume=st.booleans(),
)
@settings(max_examples=12, deadline=None)
def test_the_same_building_in_another_length_unit_gives_the_same_take_off(
    unit, length, height, layers, slab_depth, exported_volume
):
    """Dimensions drawn at random, written once in metres and once in ``unit``: every quantity of every
    part must come out the same (geometry, layer shares, profile area x length, exported volumes)."""
    import tempfile
    from pathlib import Path

    from bimcarbon.ifc import read_model
    from bimcarbon.takeoff import take_off

    tables = []
    with tempfile.TemporaryDirectory() as folder:
        for model_unit in ("m", unit):
            path = Path(folder) / f"{model_unit}.ifc"
            _random_building(path, model_unit, length, height, layers, slab_depth, exported_volume)
            table = take_off(read_model(path), "auto").table
            tables.append(table.sort_values(["element_name", "part_index"]).reset_index(drop=True))
    metres, other = tables
    assert list(metres["quantity_source"]) == list(other["quantity_source"])
    for column in ("volume_m3", "area_m2", "length_m"):
        for a, b in zip(metres[column], other[column], strict=True):
            unknown_a, unknown_b = a is None or a != a, b is None or b != b
            assert unknown_a == unknown_b, (column, a, b)
            assert unknown_a or math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-9), (column, a, b)


def _random_building(path, unit, length, height, layers, slab_depth, exported_volume) -> None:
    """A layered wall, a slab and an I-beam of the given SI dimensions, written in ``unit``."""
    from builders import add_layered_wall, add_slab, add_steel_beam, new_model

    f, ctx = new_model(unit)
    add_layered_wall(
        f,
        ctx,
        with_qto=exported_volume,
        length_m=length,
        height_m=height,
        layers=[(f"M{i}", thickness) for i, thickness in enumerate(layers)],
        net_volume_m3=length * height * sum(layers),
    )
    add_slab(f, ctx, length_m=length, width_m=5.0, depth_m=slab_depth)
    add_steel_beam(f, ctx, with_weight=False)
    f.write(str(path))
