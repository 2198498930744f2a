"""Standard-coal coefficients (kgce per unit of each energy carrier) and the basis chosen for electricity.

The data file is ``factors/energy_to_coal_gbt2589_2020.yaml`` (GB/T 2589-2020); every row carries its
source and status. Electricity is converted at its equivalent value (0.1229 kgce/kWh) unless the park
file states a kgce/kWh: the choice decides the park's tCO2/tce, so it travels with every result.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from bimcarbon.datafile import DataModel, field_error, read_yaml_mapping
from bimcarbon.errors import FactorFileError
from bimcarbon.factors import FactorSetMetadata, Status, factors_dir

COAL_FILE = "energy_to_coal_gbt2589_2020.yaml"
#: Carriers (energy-file field names) a coefficient is needed for.
CARRIERS = (
    "electricity_kwh",
    "natural_gas_m3",
    "district_heat_gj",
    "diesel_kg",
    "gasoline_kg",
    "lpg_kg",
    "coal_kg",
)


class CoalCoefficient(DataModel):
    """kgce per unit of one carrier."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    id: str = Field(min_length=1, pattern=r"^[a-z0-9_]+$")
    carrier: Literal[CARRIERS]  # type: ignore[valid-type]
    name_en: str = Field(min_length=1)
    name_zh: str = ""
    unit: str = Field(min_length=1)
    value_kgce_per_unit: float = Field(gt=0)
    source: str = Field(min_length=1)
    status: Status
    status_note: str = ""


class CoalTable(BaseModel):
    """The coefficient file."""

    model_config = ConfigDict(extra="forbid")

    metadata: FactorSetMetadata
    default_electricity_basis: Literal["equivalent"]
    coefficients: list[CoalCoefficient]

    def by_carrier(self) -> dict[str, CoalCoefficient]:
        """Carrier -> its coefficient (every carrier has one: checked on load)."""
        return {c.carrier: c for c in self.coefficients}


class CoalBasis(BaseModel):
    """How energy was converted to standard coal: shown next to every tCO2/tce.

    ``electricity_basis`` is ``equivalent`` (the shipped 0.1229 kgce/kWh) or ``stated`` (the park file's
    kgce/kWh); ``kgce_per_unit`` gives every carrier's coefficient, electricity's as used.
    """

    electricity_basis: Literal["equivalent", "stated"]
    electricity_kgce_per_kwh: float
    electricity_source: str
    kgce_per_unit: dict[str, float]
    units: dict[str, str]
    statuses: dict[str, str]
    sources: dict[str, str]
    table: str


def load_coal(path: str | Path | None = None) -> CoalTable:
    """The standard-coal coefficients (one line naming the file, row and column when invalid)."""
    path = Path(path) if path else factors_dir() / COAL_FILE
    document = read_yaml_mapping(path, what="coefficient file")
    for number, row in enumerate(document.get("coefficients") or [], start=1):
        try:
            CoalCoefficient(**row)
        except (ValidationError, TypeError) as exc:
            where = f" ({row.get('id')})" if isinstance(row, dict) and row.get("id") else ""
            raise FactorFileError(
                f"coefficients row {number}{where}: {field_error(exc, 'column')}", path
            ) from None
    try:
        table = CoalTable(**document)
    except (ValidationError, TypeError) as exc:
        raise FactorFileError(field_error(exc), path) from None
    missing = [c for c in CARRIERS if c not in table.by_carrier()]
    if missing:
        raise FactorFileError(f"no coefficient for {', '.join(missing)}", path)
    return table


def coal_basis(table: CoalTable, energy_to_coal: str | float) -> CoalBasis:
    """The coefficients used: the table's, with electricity's replaced by a stated kgce/kWh if given."""
    rows = table.by_carrier()
    values = {carrier: rows[carrier].value_kgce_per_unit for carrier in CARRIERS}
    statuses = {carrier: rows[carrier].status.value for carrier in CARRIERS}
    sources = {carrier: rows[carrier].source for carrier in CARRIERS}
    if energy_to_coal == "equivalent":
        basis, source = "equivalent", f"{rows['electricity_kwh'].source} [{statuses['electricity_kwh']}]"
    else:
        basis = "stated"
        values["electricity_kwh"] = float(energy_to_coal)
        statuses["electricity_kwh"] = "stated"
        source = "stated in the park file (park_energy.energy_to_coal)"
        sources["electricity_kwh"] = source
    return CoalBasis(
        electricity_basis=basis,
        electricity_kgce_per_kwh=values["electricity_kwh"],
        electricity_source=source,
        kgce_per_unit=values,
        units={carrier: rows[carrier].unit for carrier in CARRIERS},
        statuses=statuses,
        sources=sources,
        table=f"{table.metadata.id} ({table.metadata.edition})",
    )
