"""The building's energy input file (``<model>.energy.yaml``): what it uses, generates and offsets a year.

Validated with pydantic; a bad file gives one line naming the file and the field. See
``sample_models/office_m.energy.yaml`` for a commented example.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

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
    try:
        return EnergyInput(**document)
    except ValidationError as exc:
        raise EnergyFileError(field_error(exc), path) from None
