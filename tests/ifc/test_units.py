"""Units: every quantity in SI whatever unit the model was authored in."""

from __future__ import annotations

import math

import ifcopenshell
import ifcopenshell.api.project
import ifcopenshell.api.unit
import pytest
from builders import small_building

from bimcarbon.ifc import read_model
from bimcarbon.ifc.units import project_units, unit_scale
from bimcarbon.takeoff import take_off


def _si_unit(unit_type: str, name: str, prefix: str | None = None):
    f = ifcopenshell.file(schema="IFC4")
    return f.create_entity("IfcSIUnit", UnitType=unit_type, Name=name, Prefix=prefix)


@pytest.mark.parametrize(
    ("unit_type", "name", "prefix", "expected"),
    [
        ("LENGTHUNIT", "METRE", "MILLI", 1e-3),
        ("AREAUNIT", "SQUARE_METRE", "MILLI", 1e-6),
        ("VOLUMEUNIT", "CUBIC_METRE", "MILLI", 1e-9),
        ("VOLUMEUNIT", "CUBIC_METRE", "DECI", 1e-3),  # a litre, not 0.1 m3 (IfcOpenShell #9278)
        ("MASSUNIT", "GRAM", None, 1e-3),
        ("MASSUNIT", "GRAM", "KILO", 1.0),
    ],
)
def test_si_prefix_applies_to_the_base_unit_before_its_power(unit_type, name, prefix, expected):
    scale, note = unit_scale(_si_unit(unit_type, name, prefix))
    assert math.isclose(scale, expected, rel_tol=1e-12)
    assert note == ""


def _conversion_unit(name: str, unit_type: str, factor: float, si_name: str, prefix: str | None = None):
    f = ifcopenshell.file(schema="IFC4")
    si = f.create_entity("IfcSIUnit", UnitType=unit_type, Name=si_name, Prefix=prefix)
    dims = f.create_entity("IfcDimensionalExponents", 1, 0, 0, 0, 0, 0, 0)
    measure_class = {"LENGTHUNIT": "IfcLengthMeasure", "MASSUNIT": "IfcMassMeasure"}[unit_type]
    value = f.create_entity("IfcMeasureWithUnit", f.create_entity(measure_class, factor), si)
    return f.create_entity("IfcConversionBasedUnit", dims, unit_type, name, value)


def test_a_foot_is_exactly_0_3048_metre():
    scale, note = unit_scale(_conversion_unit("FOOT", "LENGTHUNIT", 0.3048, "METRE"))
    assert scale == 0.3048
    assert note == ""


def test_a_rounded_pound_factor_is_read_as_the_exact_pound_and_said_so():
    # ifcopenshell.api writes 0.454 kg for a pound; the exact value is 0.45359237 kg.
    scale, note = unit_scale(_conversion_unit("pound", "MASSUNIT", 0.454, "GRAM", "KILO"))
    assert scale == 0.45359237
    assert "0.454" in note


def test_a_named_unit_with_a_far_off_factor_keeps_the_files_factor_and_says_so():
    scale, note = unit_scale(_conversion_unit("FOOT", "LENGTHUNIT", 0.5, "METRE"))
    assert scale == 0.5
    assert "differs" in note


def test_unit_types_the_model_does_not_assign_are_derived_from_the_length_or_assumed_si_and_marked():
    f = ifcopenshell.api.project.create_file(version="IFC4")
    f.create_entity("IfcProject", GlobalId=ifcopenshell.guid.new(), Name="p")
    ifcopenshell.api.unit.assign_unit(
        f, units=[ifcopenshell.api.unit.add_si_unit(f, unit_type="LENGTHUNIT", prefix="MILLI")]
    )
    units = project_units(f)
    assert units.length.scale_to_si == 1e-3 and not units.length.assumed
    # a volume is a length cubed: mm3 (1e-9 m3), inferred; a mass has no such link: kg, assumed
    assert units.volume.scale_to_si == pytest.approx(1e-9) and units.volume.inferred
    assert not units.volume.assumed
    assert units.mass.scale_to_si == 1.0 and units.mass.assumed and "assumed" in units.mass.note


def _by_part(takeoff):
    table = takeoff.table.set_index(["element_name", "part_index"]).sort_index()
    return table[["volume_m3", "area_m2", "length_m", "mass_kg"]]


@pytest.mark.parametrize("unit", ["mm", "ft"])
def test_the_same_building_in_another_unit_gives_the_same_takeoff(tmp_path, unit):
    metres = _by_part(take_off(read_model(small_building(tmp_path / "m.ifc", "m"))))
    other = _by_part(take_off(read_model(small_building(tmp_path / f"{unit}.ifc", unit))))
    assert list(metres.index) == list(other.index)
    for column in metres.columns:
        for a, b in zip(metres[column], other[column], strict=True):
            if isinstance(a, float) and math.isnan(a):
                assert math.isnan(b)
            else:
                assert math.isclose(a, b, rel_tol=1e-9), (column, a, b)
