"""The building's energy input file (``<model>.energy.yaml``): what it uses, generates and offsets a year.

Validated with pydantic; a bad file gives one line naming the file and the field. See
``sample_models/office_m.energy.yaml`` for a commented example. Every figure must be physically possible
for a building (:func:`bound_problems`, docs/assessment.md "Bounds on the energy figures"): a figure no
building reaches is refused, never assessed.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from pydantic_core import InitErrorDetails, PydanticCustomError

from bimcarbon.datafile import field_error, load_yaml
from bimcarbon.errors import BimcarbonError

#: Reference embodied intensity given to the 2016-standard baseline when embodied emissions count:
#: the average of 78 Chinese office buildings, materialisation stage (about A1-A5). Using it as the
#: baseline's embodied intensity, for any building type, is a bimcarbon assumption (unconfirmed).
DEFAULT_REFERENCE_EMBODIED_KG_PER_M2 = 326.75
REFERENCE_EMBODIED_SOURCE = (
    "Luo Zhixing, Yang Liu, Liu Jiaping (Xi'an University of Architecture and Technology, 2014): 78 "
    "office buildings, materialisation stage (about A1-A5), average 326.75 kgCO2e/m2 [C]; its use as "
    "the baseline's embodied intensity for any building type is a bimcarbon assumption (unconfirmed); "
    "overridable"
)
#: :data:`REFERENCE_EMBODIED_SOURCE` in Chinese (the web pages and the Chinese comparison workbook).
REFERENCE_EMBODIED_SOURCE_ZH = (
    "罗智星、杨柳、刘加平(西安建筑科技大学,2014):78 栋办公建筑物化阶段(约 A1-A5)碳排放平均值 "
    "326.75 kgCO2e/m² [C];将其用作任何类型建筑的基准隐含碳强度是 bimcarbon 的假定(未核实);"
    "可在能耗文件中修改"
)


#: Bounds no building reaches (docs/assessment.md, "Bounds on the energy figures"). Energy a year, each
#: carrier in its energy content: at most the output of the world's largest power station (Three Gorges,
#: about 100 TWh a year), and at most 1,000,000 kWh per m2 of floor area (114 kW for every m2, day and
#: night: several times the densest data hall).
MAX_ENERGY_KWH = 1e11
MAX_ENERGY_KWH_PER_M2 = 1e6
#: Carbon a year (offsets) or per m2 a year (the baseline's intensity, offsets per m2): the energy bounds
#: at 1 kgCO2 per kWh, more than any grid or fuel emits.
MAX_CARBON_T = MAX_ENERGY_KWH / 1000.0
MAX_CARBON_KG_PER_M2 = MAX_ENERGY_KWH_PER_M2
#: Gross floor area: from 1 m2 (smaller is no building, and every per-m2 figure divides by it) to
#: 10 million m2 (the largest buildings have about 1.8 million).
FLOOR_AREA_RANGE_M2 = (1.0, 1e7)
#: Design life: the annualised embodied emissions divide by it.
DESIGN_LIFE_RANGE_YEARS = (1.0, 1000.0)
#: The baseline's reference embodied intensity (real buildings: a few hundred to about 2,000 kgCO2e/m2).
MAX_REFERENCE_EMBODIED_KG_PER_M2 = 1e5
#: District heat's factor: burning coal for heat at 10 % efficiency would emit about 950 kgCO2/GJ.
MAX_DISTRICT_HEAT_KG_PER_GJ = 1000.0
#: Energy content of a unit of each carrier, kWh (GB/T 2589 low heating values rounded down, so that the
#: bound is never stricter than it says: natural gas 35.5-38.9 MJ/m3, diesel 42.7, gasoline 43.1,
#: LPG 50.2, raw coal 20.9 MJ/kg; 1 GJ is 277.8 kWh).
KWH_PER_UNIT = {
    "electricity_kwh": 1.0,
    "natural_gas_m3": 9.0,
    "district_heat_gj": 277.8,
    "diesel_kg": 11.0,
    "gasoline_kg": 11.0,
    "lpg_kg": 12.0,
    "coal_kg": 5.0,
}
_UNITS = {
    "electricity_kwh": "kWh",
    "natural_gas_m3": "m3",
    "district_heat_gj": "GJ",
    "diesel_kg": "kg",
    "gasoline_kg": "kg",
    "lpg_kg": "kg",
    "coal_kg": "kg",
}


class EnergyFileError(BimcarbonError):
    """The energy input file is missing or does not validate."""


class Carriers(BaseModel):
    """Annual use by energy carrier."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    electricity_kwh: float = Field(default=0.0, ge=0)
    natural_gas_m3: float = Field(default=0.0, ge=0)
    district_heat_gj: float = Field(default=0.0, ge=0)
    diesel_kg: float = Field(default=0.0, ge=0)
    gasoline_kg: float = Field(default=0.0, ge=0)
    lpg_kg: float = Field(default=0.0, ge=0)
    coal_kg: float = Field(default=0.0, ge=0)


class Renewables(BaseModel):
    """On-site renewable electricity a year."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    pv_self_consumed_kwh: float = Field(default=0.0, ge=0)
    pv_exported_kwh: float = Field(default=0.0, ge=0)


class Baseline(BaseModel):
    """The same building designed to the 2016 energy-efficiency standards."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    carriers: Carriers | None = None
    carbon_intensity_kg_per_m2a: float | None = Field(default=None, ge=0)
    reference_embodied_kg_per_m2: float = Field(default=DEFAULT_REFERENCE_EMBODIED_KG_PER_M2, ge=0)
    reference_embodied_source: str = REFERENCE_EMBODIED_SOURCE


class EnergyInput(BaseModel):
    """Everything about the building's operation that the model does not hold.

    ``construction`` is the energy used on site to build it (total, not a year): when given, its
    emissions replace A5's default site activity (the material wastage stays in A5). ``project`` and
    ``location`` name the project and where it is, for the calculation report's overview.
    """

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    project: str = ""
    location: str = ""
    building_type: Literal["residential", "public"]
    subtype: str = ""
    climate_zone: str = ""
    grid_year: int | None = None
    grid_region: str | None = None
    gross_floor_area_m2: float | None = Field(default=None, gt=0)
    design_life_years: float | None = Field(default=None, gt=0)
    annual: Carriers = Field(default_factory=Carriers)
    renewables: Renewables = Field(default_factory=Renewables)
    green_electricity_kwh: float = Field(default=0.0, ge=0)
    offsets_tco2e_per_year: float = Field(default=0.0, ge=0)
    district_heat_kgco2_per_gj: float | None = Field(default=None, ge=0)
    construction: Carriers | None = None
    baseline: Baseline | None = None
    ranges: dict[str, tuple[float, float]] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _physically_possible(self) -> EnergyInput:
        """Refuse a figure no building reaches (with the floor area, when the file gives it), and a
        range that does not hold its figure."""
        problems = bound_problems(self, self.gross_floor_area_m2, "") + range_problems(self)
        if problems:
            where, message, value = problems[0]
            detail = InitErrorDetails(
                type=PydanticCustomError("energy_bound", "{message}", {"message": message}),
                loc=where,
                input=value,
            )
            raise ValidationError.from_exception_data("EnergyInput", [detail])
        return self


def bound_problems(
    energy: EnergyInput, floor_area_m2: float | None, area_source: str = ""
) -> list[tuple[tuple[str, ...], str, float]]:
    """The figures of ``energy`` that no building reaches: ``(field path, why, value)``, first found first.

    Absolute bounds always; bounds per m2 of floor area when ``floor_area_m2`` is known
    (``area_source`` says where it came from, for the message; empty: the energy file's own).
    """
    problems: list[tuple[tuple[str, ...], str, float]] = []
    low, high = FLOOR_AREA_RANGE_M2
    area = energy.gross_floor_area_m2
    if area is not None and not low <= area <= high:
        problems.append(
            (
                ("gross_floor_area_m2",),
                f"{area:g} m2 is no building's floor area ({low:g} to {high:g} m2)",
                area,
            )
        )
        floor_area_m2 = None
    life = energy.design_life_years
    if life is not None and not DESIGN_LIFE_RANGE_YEARS[0] <= life <= DESIGN_LIFE_RANGE_YEARS[1]:
        problems.append(
            (
                ("design_life_years",),
                f"{life:g} years is no design life ({DESIGN_LIFE_RANGE_YEARS[0]:g} to "
                f"{DESIGN_LIFE_RANGE_YEARS[1]:g} years)",
                life,
            )
        )
    per_m2 = floor_area_m2 if floor_area_m2 and floor_area_m2 > 0 else None
    on_area = f" on {per_m2:,.6g} m2 of floor{f' ({area_source})' if area_source else ''}" if per_m2 else ""

    def energy_figure(
        where: tuple[str, ...], value: float, kwh_per_unit: float, unit: str, span: str
    ) -> None:
        kwh = value * kwh_per_unit
        what = f"{value:g} {unit}{span}" + (f" ({kwh:.3g} kWh)" if unit != "kWh" else "")
        if kwh > MAX_ENERGY_KWH:
            problems.append(
                (
                    where,
                    f"{what} is more than any building uses or makes (at most {MAX_ENERGY_KWH:g} kWh)",
                    value,
                )
            )
        elif per_m2 and kwh / per_m2 > MAX_ENERGY_KWH_PER_M2:
            problems.append(
                (
                    where,
                    f"{what}{on_area} is {kwh / per_m2:.3g} kWh per m2, more than any building uses or "
                    f"makes (at most {MAX_ENERGY_KWH_PER_M2:g} kWh per m2)",
                    value,
                )
            )

    sections: list[tuple[tuple[str, ...], Carriers | None, str]] = [
        (("annual",), energy.annual, " a year"),
        (("construction",), energy.construction, " in all"),
        (("baseline", "carriers"), energy.baseline.carriers if energy.baseline else None, " a year"),
    ]
    for prefix, carriers, span in sections:
        if carriers is None:
            continue
        for key, kwh_per_unit in KWH_PER_UNIT.items():
            energy_figure((*prefix, key), getattr(carriers, key), kwh_per_unit, _UNITS[key], span)
    for where, value in (
        (("renewables", "pv_self_consumed_kwh"), energy.renewables.pv_self_consumed_kwh),
        (("renewables", "pv_exported_kwh"), energy.renewables.pv_exported_kwh),
        (("green_electricity_kwh",), energy.green_electricity_kwh),
    ):
        energy_figure(where, value, 1.0, "kWh", " a year")
    offsets = energy.offsets_tco2e_per_year
    if offsets > MAX_CARBON_T:
        problems.append(
            (
                ("offsets_tco2e_per_year",),
                f"{offsets:g} tCO2e a year is more than any building emits (at most {MAX_CARBON_T:g} t)",
                offsets,
            )
        )
    elif per_m2 and offsets * 1000.0 / per_m2 > MAX_CARBON_KG_PER_M2:
        problems.append(
            (
                ("offsets_tco2e_per_year",),
                f"{offsets:g} tCO2e a year{on_area} is {offsets * 1000.0 / per_m2:.3g} kgCO2e per m2, more "
                f"than any building emits (at most {MAX_CARBON_KG_PER_M2:g} kg per m2)",
                offsets,
            )
        )
    if energy.baseline is not None:
        intensity = energy.baseline.carbon_intensity_kg_per_m2a
        if intensity is not None and intensity > MAX_CARBON_KG_PER_M2:
            problems.append(
                (
                    ("baseline", "carbon_intensity_kg_per_m2a"),
                    f"{intensity:g} kgCO2/(m2·a) is more than any building emits "
                    f"(at most {MAX_CARBON_KG_PER_M2:g})",
                    intensity,
                )
            )
        reference = energy.baseline.reference_embodied_kg_per_m2
        if reference > MAX_REFERENCE_EMBODIED_KG_PER_M2:
            problems.append(
                (
                    ("baseline", "reference_embodied_kg_per_m2"),
                    f"{reference:g} kgCO2e/m2 is more than any building embodies "
                    f"(at most {MAX_REFERENCE_EMBODIED_KG_PER_M2:g})",
                    reference,
                )
            )
    problems += district_heat_problems(energy.district_heat_kgco2_per_gj)
    return problems


#: Figures of the energy file that may have a range (``ranges: {"annual.electricity_kwh": [low, high]}``),
#: drawn from by the Monte Carlo (docs/uncertainty.md): the annual use and the on-site PV.
RANGE_FIELDS = tuple(f"annual.{name}" for name in KWH_PER_UNIT) + (
    "renewables.pv_self_consumed_kwh",
    "renewables.pv_exported_kwh",
)


def range_value(energy: EnergyInput, field: str) -> float:
    """The figure a range key names (``annual.electricity_kwh``), in its own unit."""
    section, name = field.split(".", 1)
    return float(getattr(getattr(energy, section), name))


def range_problems(energy: EnergyInput) -> list[tuple[tuple, str, float]]:
    """Ranges on figures that have none, that do not hold their figure, or that no building reaches."""
    problems: list[tuple[tuple, str, float]] = []
    for field, (low, high) in energy.ranges.items():
        where = ("ranges", field)
        if field not in RANGE_FIELDS:
            problems.append(
                (where, f"no range can be given for {field!r} (one of: {', '.join(RANGE_FIELDS)})", low)
            )
            continue
        value = range_value(energy, field)
        if not 0 <= low <= value <= high:
            problems.append(
                (where, f"the range [{low:g}, {high:g}] must hold the figure {value:g}, from 0 up", low)
            )
            continue
        kwh_per_unit = KWH_PER_UNIT.get(field.split(".", 1)[1], 1.0)
        if high * kwh_per_unit > MAX_ENERGY_KWH:
            line = f"{high:g} is more than any building uses or makes (at most {MAX_ENERGY_KWH:g} kWh)"
            problems.append((where, line, high))
    return problems


def district_heat_problems(heat_kgco2_per_gj: float | None) -> list[tuple[tuple, str, float]]:
    """A district heat factor no heat reaches (a building's energy file, a park's): (where, line, value)."""
    heat = heat_kgco2_per_gj
    if heat is None or heat <= MAX_DISTRICT_HEAT_KG_PER_GJ:
        return []
    line = f"{heat:g} kgCO2/GJ is more than any heat emits (at most {MAX_DISTRICT_HEAT_KG_PER_GJ:g})"
    return [(("district_heat_kgco2_per_gj",), line, heat)]


def check_with_floor_area(
    energy: EnergyInput, floor_area_m2: float | None, area_source: str, path: str | Path | None = None
) -> None:
    """Refuse energy figures no building reaches on this floor area (the model's, when the energy file
    gives none: the file alone was checked against absolute bounds only).

    Raises
    ------
    EnergyFileError
        The first such figure, named, with the floor area and where it came from.
    """
    problems = bound_problems(energy, floor_area_m2, area_source)
    if problems:
        where, message, _ = problems[0]
        raise EnergyFileError(f"field {'.'.join(where)!r}: {message}", path)


def load_energy(path: str | Path) -> EnergyInput:
    """Read and validate an energy file (``.yaml``/``.yml``/``.json``).

    Raises
    ------
    EnergyFileError
        Missing or unreadable file, or a field that does not validate (named).
    """
    path = Path(path)
    if not path.is_file():
        raise EnergyFileError("energy file not found", path)
    try:
        text = path.read_text(encoding="utf-8")
        document = json.loads(text) if path.suffix.lower() == ".json" else load_yaml(text)
    except (OSError, UnicodeDecodeError, yaml.YAMLError, json.JSONDecodeError) as exc:
        raise EnergyFileError(f"cannot be read ({str(exc).splitlines()[0]})", path) from None
    if not isinstance(document, dict):
        raise EnergyFileError("expected a mapping of fields", path)
    if "rules" in document:
        raise EnergyFileError("this looks like a mapping file (it has 'rules'), not an energy file", path)
    try:
        return EnergyInput(**document)
    except ValidationError as exc:
        raise EnergyFileError(field_error(exc), path) from None
