"""Project units: every length, area, volume and mass of a model turned into SI once.

The scale of a unit is the number of SI units (m, m2, m3, kg, kg/m3) in one model unit. SI prefixes
apply to the base unit before its power (MILLI SQUARE_METRE is 1e-6 m2, not 1e-3 m2; see
IfcOpenShell issue 9278). Conversion-based units with a known name use exact constants
(0.3048 m/ft, 0.45359237 kg/lb) when the file's own factor agrees with them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from bimcarbon.errors import UnitError

#: SI prefix factors of IfcSIPrefix.
SI_PREFIX_FACTOR: dict[str, float] = {
    "EXA": 1e18,
    "PETA": 1e15,
    "TERA": 1e12,
    "GIGA": 1e9,
    "MEGA": 1e6,
    "KILO": 1e3,
    "HECTO": 1e2,
    "DECA": 1e1,
    "DECI": 1e-1,
    "CENTI": 1e-2,
    "MILLI": 1e-3,
    "MICRO": 1e-6,
    "NANO": 1e-9,
    "PICO": 1e-12,
    "FEMTO": 1e-15,
    "ATTO": 1e-18,
}

#: IfcSIUnitName -> (scale of the unprefixed unit in SI, power the prefix is raised to).
SI_UNIT_BASE: dict[str, tuple[float, int]] = {
    "METRE": (1.0, 1),
    "SQUARE_METRE": (1.0, 2),
    "CUBIC_METRE": (1.0, 3),
    "GRAM": (1e-3, 1),  # the SI base unit of mass is the kilogram
}

#: Exact SI values of common conversion-based units, by upper-case name (NIST SP 811 / ISO 80000).
EXACT_CONVERSIONS: dict[str, float] = {
    "INCH": 0.0254,
    "FOOT": 0.3048,
    "YARD": 0.9144,
    "MILE": 1609.344,
    "SQUARE INCH": 0.0254**2,
    "SQUARE FOOT": 0.09290304,
    "SQUARE YARD": 0.83612736,
    "ACRE": 4046.8564224,
    "SQUARE MILE": 2589988.110336,
    "CUBIC INCH": 1.6387064e-5,
    "CUBIC FOOT": 0.028316846592,
    "CUBIC YARD": 0.764554857984,
    "LITRE": 1e-3,
    "GALLON UK": 4.54609e-3,
    "GALLON US": 3.785411784e-3,
    "OUNCE": 0.028349523125,
    "POUND": 0.45359237,
    "TON UK": 1016.0469088,
    "TON US": 907.18474,
}

#: Relative tolerance within which a file's conversion factor is read as the exact constant of the
#: unit it names (authoring tools write rounded factors, e.g. 0.454 kg for a pound).
EXACT_MATCH_RTOL = 5e-3

#: The unit types the take-off needs, with the SI unit assumed when a model assigns none.
NEEDED_UNIT_TYPES: dict[str, str] = {
    "LENGTHUNIT": "metre",
    "AREAUNIT": "square metre",
    "VOLUMEUNIT": "cubic metre",
    "MASSUNIT": "kilogram",
    "MASSDENSITYUNIT": "kilogram per cubic metre",
}


#: Unit types that are a power of the length unit, derived from it when the model does not assign them.
POWER_OF_LENGTH: dict[str, int] = {"AREAUNIT": 2, "VOLUMEUNIT": 3}


@dataclass(frozen=True)
class UnitInfo:
    """One project unit and its scale to SI.

    Attributes
    ----------
    unit_type
        IFC unit type, e.g. ``LENGTHUNIT``.
    name
        Human-readable name as written in the model, e.g. ``MILLI METRE`` or ``FOOT``.
    scale_to_si
        SI units per model unit (m, m2, m3, kg or kg/m3 per unit).
    assumed
        True when the model assigns no unit of this type and SI was assumed.
    inferred
        True when the model assigns no unit of this type and it was derived from the length unit
        (an area or volume unit of a model that declares only its length unit).
    note
        Anything a person should know about how the scale was found.
    """

    unit_type: str
    name: str
    scale_to_si: float
    assumed: bool = False
    note: str = ""
    inferred: bool = False


@dataclass(frozen=True)
class ProjectUnits:
    """The project's units for the quantities the take-off reads."""

    length: UnitInfo
    area: UnitInfo
    volume: UnitInfo
    mass: UnitInfo
    mass_density: UnitInfo

    def by_type(self, unit_type: str) -> UnitInfo:
        """Return the unit of an IFC unit type (``LENGTHUNIT``, ``AREAUNIT``, ...)."""
        return {
            "LENGTHUNIT": self.length,
            "AREAUNIT": self.area,
            "VOLUMEUNIT": self.volume,
            "MASSUNIT": self.mass,
            "MASSDENSITYUNIT": self.mass_density,
        }[unit_type]

    def as_rows(self) -> list[dict[str, object]]:
        """Rows for a unit audit table (one per unit type)."""
        return [
            {
                "unit_type": u.unit_type,
                "name": u.name,
                "scale_to_si": u.scale_to_si,
                "assumed": u.assumed,
                "inferred": u.inferred,
                "note": u.note,
            }
            for u in (self.length, self.area, self.volume, self.mass, self.mass_density)
        ]


def unit_name(unit) -> str:
    """Readable name of an IFC unit entity, e.g. ``MILLI METRE``, ``FOOT``, ``KILOGRAM / CUBIC_METRE``."""
    if unit.is_a("IfcSIUnit"):
        return f"{unit.Prefix} {unit.Name}" if unit.Prefix else str(unit.Name)
    if unit.is_a("IfcConversionBasedUnit"):
        return str(unit.Name)
    if unit.is_a("IfcDerivedUnit"):
        parts = [f"{unit_name(e.Unit)}^{e.Exponent}" for e in unit.Elements]
        return " ".join(parts)
    if unit.is_a("IfcContextDependentUnit"):
        return str(unit.Name)
    return unit.is_a()


def unit_scale(unit) -> tuple[float, str]:
    """SI units per one of ``unit``, and a note (empty unless something was corrected).

    Parameters
    ----------
    unit
        An IfcSIUnit, IfcConversionBasedUnit(WithOffset), IfcDerivedUnit or IfcMeasureWithUnit's
        unit component.

    Returns
    -------
    tuple of (float, str)
        Scale to SI and a note.

    Raises
    ------
    UnitError
        For context-dependent units, unknown SI names and conversion factors that cannot be read.
    """
    if unit.is_a("IfcSIUnit"):
        name = str(unit.Name)
        base, power = SI_UNIT_BASE.get(name, (1.0, 1))
        prefix = SI_PREFIX_FACTOR.get(unit.Prefix, 1.0) if unit.Prefix else 1.0
        return base * prefix**power, ""
    if unit.is_a("IfcConversionBasedUnit"):
        return _conversion_scale(unit)
    if unit.is_a("IfcDerivedUnit"):
        scale = 1.0
        notes = []
        for element in unit.Elements:
            s, note = unit_scale(element.Unit)
            scale *= s ** int(element.Exponent)
            if note:
                notes.append(note)
        return scale, "; ".join(notes)
    raise UnitError(f"unit {unit_name(unit)!r} ({unit.is_a()}) has no known scale to SI")


def _conversion_scale(unit) -> tuple[float, str]:
    name = str(unit.Name or "").strip().upper()
    exact = EXACT_CONVERSIONS.get(name)
    file_scale: float | None = None
    factor = unit.ConversionFactor
    try:
        value = factor.ValueComponent.wrappedValue
        inner, _ = unit_scale(factor.UnitComponent)
        file_scale = float(value) * inner
    except (AttributeError, TypeError, ValueError, UnitError):
        file_scale = None
    if exact is not None and file_scale is None:
        return exact, f"{unit.Name}: no readable conversion factor; the exact {exact!r} is used"
    if (
        exact is not None
        and file_scale is not None
        and math.isclose(file_scale, exact, rel_tol=EXACT_MATCH_RTOL)
    ):
        note = ""
        if not math.isclose(file_scale, exact, rel_tol=1e-9):
            note = f"{unit.Name}: the file's factor {file_scale!r} is read as the exact {exact!r}"
        return exact, note
    if file_scale is not None and file_scale > 0:
        note = ""
        if exact is not None:
            note = (
                f"{unit.Name}: the file's factor {file_scale!r} differs from the exact "
                f"{exact!r}; the file's factor is used"
            )
        return file_scale, note
    raise UnitError(f"conversion-based unit {unit.Name!r} has no usable conversion factor")


def project_units(ifc_file) -> ProjectUnits:
    """Read the project's IfcUnitAssignment for lengths, areas, volumes, masses and densities.

    An area or volume unit the model does not assign is derived from its length unit (millimetres
    give mm2 and mm3, as Renga exports write them) and marked ``inferred``; any other unit type the
    model does not assign is taken as SI and marked ``assumed``.

    Parameters
    ----------
    ifc_file
        An open ifcopenshell file with one IfcProject.

    Returns
    -------
    ProjectUnits
    """
    assigned: dict[str, object] = {}
    projects = ifc_file.by_type("IfcProject")
    assignment = projects[0].UnitsInContext if projects else None
    if assignment is not None:
        for unit in assignment.Units or ():
            unit_type = getattr(unit, "UnitType", None)
            if unit_type in NEEDED_UNIT_TYPES and unit_type not in assigned:
                assigned[unit_type] = unit
    infos: dict[str, UnitInfo] = {}
    for unit_type, si_name in NEEDED_UNIT_TYPES.items():
        unit = assigned.get(unit_type)
        if unit is None:
            length = infos.get("LENGTHUNIT")
            power = POWER_OF_LENGTH.get(unit_type)
            if power is not None and length is not None and not length.assumed:
                infos[unit_type] = _inferred_unit(unit_type, length, power)
            else:
                infos[unit_type] = _assumed_unit(unit_type, si_name)
            continue
        scale, note = unit_scale(unit)
        infos[unit_type] = UnitInfo(unit_type, unit_name(unit), scale, False, note)
    return ProjectUnits(
        length=infos["LENGTHUNIT"],
        area=infos["AREAUNIT"],
        volume=infos["VOLUMEUNIT"],
        mass=infos["MASSUNIT"],
        mass_density=infos["MASSDENSITYUNIT"],
    )


def _inferred_unit(unit_type: str, length: UnitInfo, power: int) -> UnitInfo:
    """An area or volume unit derived from the model's length unit (the length scale to ``power``)."""
    scale = length.scale_to_si**power
    name = f"{length.name}^{power}"
    note = (
        f"{unit_type} not assigned: read as {name} (1 {name} = {scale:.6g} {NEEDED_UNIT_TYPES[unit_type]}), "
        "derived from the length unit"
    )
    return UnitInfo(unit_type, name, scale, assumed=False, note=note, inferred=True)


def _assumed_unit(unit_type: str, si_name: str) -> UnitInfo:
    return UnitInfo(unit_type, si_name, 1.0, True, f"not assigned: {si_name} assumed")
