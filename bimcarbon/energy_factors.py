"""Transport, fuel and grid-electricity factors: load and validate the data files in ``factors/``.

They are used by the operational and transport calculations; like the material factors, every row
carries its source and status and a bad row gives one line naming the file, the row and the column.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from bimcarbon.datafile import DataModel, field_error, read_yaml_mapping
from bimcarbon.errors import FactorFileError
from bimcarbon.factors import FactorSetMetadata, Status, factors_dir

TRANSPORT_FILE = "transport_gbt51366_2019_appendix_e.yaml"
FUELS_FILE = "fuels_gbt51366_2019_appendix_a.yaml"
GRID_FILE = "grid_cn_mee.yaml"


class _Row(DataModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(min_length=1, pattern=r"^[a-z0-9_]+$")
    source: str = Field(min_length=1)
    status: Status
    status_note: str = ""


class TransportFactor(_Row):
    """kgCO2e per tonne-kilometre of one transport mode (GB/T 51366 Appendix E)."""

    name_en: str = Field(min_length=1)
    name_zh: str = ""
    mode: Literal["road", "rail", "water"]
    value_kgco2e_per_tkm: float = Field(gt=0)


class DefaultValue(_Row):
    """A default parameter (e.g. a transport distance) with its unit."""

    value: float = Field(gt=0)
    unit: str = Field(min_length=1)


class FuelFactor(_Row):
    """CO2 per unit of heating value of a fuel, and the approximate value per kg, m3 or L."""

    name_en: str = Field(min_length=1)
    name_zh: str = ""
    value_tco2_per_tj: float = Field(gt=0)
    per_unit_value: float | None = Field(default=None, gt=0)
    per_unit: Literal["kg", "m3", "L"] | None = None
    per_unit_basis: str = ""
    per_unit_status: Status | None = None


class GridFactor(_Row):
    """A grid electricity CO2 factor for a year, scope and basis."""

    year: int = Field(ge=2000, le=2100)
    scope: Literal["national", "region", "province"]
    region: str | None = None
    region_zh: str | None = None
    basis: Literal["average", "excl_market_nonfossil", "fossil", "carbon_market_reporting", "footprint"]
    value_kgco2_per_kwh: float = Field(gt=0)


class GridDefault(DataModel):
    """Which grid factor applies when the person names none."""

    model_config = ConfigDict(extra="forbid")

    year: int
    scope: Literal["national", "region", "province"]
    region: str | None = None
    basis: str


class TransportTable(BaseModel):
    """The transport factor file."""

    metadata: FactorSetMetadata
    defaults: list[DefaultValue]
    factors: list[TransportFactor]


class FuelTable(BaseModel):
    """The fuel factor file."""

    metadata: FactorSetMetadata
    factors: list[FuelFactor]


class GridTable(BaseModel):
    """The grid factor file."""

    metadata: FactorSetMetadata
    default: GridDefault
    factors: list[GridFactor]

    def default_factor(self) -> GridFactor:
        """The default grid factor (never an unconfirmed one)."""
        d = self.default
        for factor in self.factors:
            if (factor.year, factor.scope, factor.region, factor.basis) == (
                d.year,
                d.scope,
                d.region,
                d.basis,
            ):
                if factor.status is Status.unconfirmed:
                    raise FactorFileError(f"the default grid factor {factor.id} is unconfirmed")
                return factor
        raise FactorFileError(f"no grid factor matches the default {d.model_dump()}")


Table = TypeVar("Table", TransportTable, FuelTable, GridTable)


def _load(path: Path, table: type[Table], row_model: type[BaseModel]) -> Table:
    document = read_yaml_mapping(path, what="factor file")
    for key, model in (("factors", row_model), ("defaults", DefaultValue)):
        for number, row in enumerate(document.get(key) or [], start=1):
            try:
                model(**row)
            except (ValidationError, TypeError) as exc:
                raise FactorFileError(
                    f"{key} row {number}{_row_id(row)}: {field_error(exc, 'column')}", path
                ) from None
    try:
        return table(**document)
    except (ValidationError, TypeError) as exc:
        raise FactorFileError(field_error(exc), path) from None


def _row_id(row: object) -> str:
    return f" ({row.get('id')})" if isinstance(row, dict) and row.get("id") else ""


def load_transport(path: str | Path | None = None) -> TransportTable:
    """GB/T 51366 Appendix E transport factors and default distances."""
    return _load(Path(path) if path else factors_dir() / TRANSPORT_FILE, TransportTable, TransportFactor)


def load_fuels(path: str | Path | None = None) -> FuelTable:
    """GB/T 51366 Appendix A fuel factors."""
    return _load(Path(path) if path else factors_dir() / FUELS_FILE, FuelTable, FuelFactor)


def load_grid(path: str | Path | None = None) -> GridTable:
    """China grid electricity factors (MEE/NBS)."""
    return _load(Path(path) if path else factors_dir() / GRID_FILE, GridTable, GridFactor)


def select_grid(table: GridTable, year: int | None = None, region: str | None = None) -> GridFactor:
    """The average grid factor for a year and region (national when no region); the default otherwise.

    Raises
    ------
    FactorFileError
        No average factor for that year and region (the message lists what exists).
    """
    if year is None and region is None:
        return table.default_factor()
    year = year or table.default.year
    scope = "region" if region else "national"
    for factor in table.factors:
        if (factor.year, factor.scope, factor.region, factor.basis) == (year, scope, region, "average"):
            return factor
    have = sorted({f"{f.year} {f.region or 'national'}" for f in table.factors if f.basis == "average"})
    raise FactorFileError(
        f"no average grid factor for {year} {region or 'national'}; available: {', '.join(have)}"
    )
