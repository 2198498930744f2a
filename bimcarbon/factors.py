"""Emission-factor sets: load and validate the data files in ``factors/`` and users' own files.

A factor file is YAML (a ``metadata`` block and a ``factors`` list) or, for users' own data, CSV with
one factor per row and the same columns. Every row is validated with pydantic when it is loaded; a bad
row gives one :class:`~bimcarbon.errors.FactorFileError` naming the file, the row and the column.
"""

from __future__ import annotations

import contextlib
import csv
import math
from collections.abc import Iterable
from enum import Enum
from importlib import resources
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator

from bimcarbon.datafile import DataModel, field_error, read_yaml_mapping
from bimcarbon.errors import FactorFileError

DeclaredUnit = Literal["kg", "t", "m3", "m2", "m", "piece"]

#: Life-cycle modules a material factor may declare (EN 15978 names).
MODULES = ("A1-A3", "A4", "A5", "B4", "C1-C4", "C1", "C2", "C3", "C4", "D")


class Status(str, Enum):
    """How far a number was checked (see factors/README.md).

    ``confirmed``: stated in the cited source or in two independent copies; ``secondary``: from a
    reproduction of the source (the primary text was not seen); ``derived``: arithmetic from a
    published number; ``unconfirmed``: not confirmed, check before relying on it.
    """

    confirmed = "confirmed"
    secondary = "secondary"
    derived = "derived"
    unconfirmed = "unconfirmed"


class FactorSetMetadata(DataModel):
    """Where a set of factors comes from."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(min_length=1)
    title: str = Field(min_length=1)
    source: str = Field(min_length=1)
    edition: str = ""
    licence: str = Field(min_length=1)
    url: str = ""
    retrieved: str = ""
    notes: str = ""


class Factor(DataModel):
    """One material emission factor: kgCO2e per declared unit for one life-cycle module."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(min_length=1, pattern=r"^[a-z0-9_]+$")
    name_en: str = Field(min_length=1)
    name_zh: str = ""
    category: str = Field(min_length=1)
    declared_unit: DeclaredUnit
    value_kgco2e_per_unit: float = Field(ge=0)
    value_low_kgco2e_per_unit: float | None = Field(default=None, ge=0)
    value_high_kgco2e_per_unit: float | None = Field(default=None, ge=0, validate_default=True)
    value_range_source: str | None = Field(default=None, validate_default=True)
    module: str = "A1-A3"
    density_kg_per_m3: float | None = Field(default=None, gt=0)
    density_low_kg_per_m3: float | None = Field(default=None, gt=0)
    density_high_kg_per_m3: float | None = Field(default=None, gt=0)
    density_source: str | None = None
    density_status: Status | None = None
    biogenic_kgco2_per_kg: float | None = Field(default=None, ge=0)
    source: str = Field(min_length=1)
    status: Status
    status_note: str = ""
    factor_set: str = ""

    @field_validator(
        "value_kgco2e_per_unit",
        "value_low_kgco2e_per_unit",
        "value_high_kgco2e_per_unit",
        "density_kg_per_m3",
        "density_low_kg_per_m3",
        "density_high_kg_per_m3",
        "biogenic_kgco2_per_kg",
    )
    @classmethod
    def _finite(cls, value: float | None) -> float | None:
        if value is not None and not math.isfinite(value):
            raise ValueError("must be a finite number")
        return value

    @field_validator("density_low_kg_per_m3", "density_high_kg_per_m3")
    @classmethod
    def _in_range(cls, value: float | None, info: ValidationInfo) -> float | None:
        return check_density_bound(value, info.field_name, info.data.get("density_kg_per_m3"))

    @field_validator("value_high_kgco2e_per_unit")
    @classmethod
    def _value_range(cls, high: float | None, info: ValidationInfo) -> float | None:
        """A value range the source gives: both bounds, around the value (the Monte Carlo draws from
        it; docs/uncertainty.md)."""
        low, value = info.data.get("value_low_kgco2e_per_unit"), info.data.get("value_kgco2e_per_unit")
        if low is None and high is None:
            return high
        if low is None or high is None:
            raise ValueError("give both value_low_kgco2e_per_unit and value_high_kgco2e_per_unit, or neither")
        if value is not None and not low <= value <= high:
            raise ValueError(f"the value range {low:g} to {high:g} must contain the value {value:g}")
        return high

    @field_validator("value_range_source")
    @classmethod
    def _range_has_a_source(cls, source: str | None, info: ValidationInfo) -> str | None:
        if info.data.get("value_high_kgco2e_per_unit") is not None and not (source or "").strip():
            raise ValueError("a value range needs the source that gives it")
        return source

    @field_validator("module")
    @classmethod
    def _known_module(cls, value: str) -> str:
        if value not in MODULES:
            raise ValueError(f"must be one of {', '.join(MODULES)}")
        return value


def check_density_bound(bound: float | None, field: str | None, default: float | None) -> float | None:
    """A low or high density bound (kg/m3), checked against the default density it brackets.

    Parameters
    ----------
    bound
        The bound, or None.
    field
        Its field name; one ending ``_low_kg_per_m3`` must not exceed the default, else it must not
        be below it.
    default
        The default density (kg/m3), or None.

    Raises
    ------
    ValueError
        A bound without a default, or on the wrong side of it.
    """
    if bound is None:
        return None
    if default is None:
        raise ValueError("a density range needs a default density (density_kg_per_m3)")
    if (field or "").endswith("_low_kg_per_m3"):
        if bound > default:
            raise ValueError(f"must not be above the default density {default:g} kg/m3")
    elif bound < default:
        raise ValueError(f"must not be below the default density {default:g} kg/m3")
    return bound


class FactorSet(BaseModel):
    """A file of factors with its metadata."""

    metadata: FactorSetMetadata
    factors: list[Factor]
    path: str = ""


class FactorLibrary(BaseModel):
    """All factors in use, by id. A later set overrides an earlier one with the same id."""

    sets: list[FactorSet]
    by_id: dict[str, Factor]
    overridden: dict[str, str] = Field(default_factory=dict)

    def get(self, factor_id: str) -> Factor:
        """The factor with this id; :class:`KeyError` names the id if there is none."""
        try:
            return self.by_id[factor_id]
        except KeyError:
            raise KeyError(f"no factor with id {factor_id!r}") from None

    def search(self, text: str) -> list[Factor]:
        """Factors whose id, English or Chinese name or category contains ``text`` (no case)."""
        needle = text.strip().lower()
        return [
            f
            for f in self.by_id.values()
            if needle in f.id.lower()
            or needle in f.name_en.lower()
            or needle in f.name_zh.lower()
            or needle == f.category.lower()
        ]


#: Material-factor files shipped in factors/, in load order (later ones fill gaps).
DEFAULT_MATERIAL_SETS = ("gbt51366_2019_appendix_d.yaml", "desnz_2025_material_use.yaml")


def factors_dir() -> Path:
    """The folder of shipped data: ``bimcarbon/data/factors`` when installed, else ``factors/`` of
    the source tree."""
    candidates = []
    with contextlib.suppress(ModuleNotFoundError, TypeError):
        candidates.append(Path(str(resources.files("bimcarbon") / "data" / "factors")))
    candidates.append(Path(__file__).resolve().parent.parent / "factors")
    for candidate in candidates:
        if (candidate / DEFAULT_MATERIAL_SETS[0]).is_file():
            return candidate
    raise FactorFileError(f"the shipped factors/ folder was not found (looked in {candidates[-1]})")


def load_library(user_files: Iterable[str | Path] = ()) -> FactorLibrary:
    """The default material factors, then each user file on top (adding or overriding ids).

    Parameters
    ----------
    user_files
        Extra factor files (YAML or CSV), applied in order.

    Returns
    -------
    FactorLibrary
    """
    folder = factors_dir()
    sets = [load_factor_file(folder / name) for name in DEFAULT_MATERIAL_SETS]
    sets += [load_factor_file(Path(p)) for p in user_files]
    by_id: dict[str, Factor] = {}
    overridden: dict[str, str] = {}
    for factor_set in sets:
        for factor in factor_set.factors:
            if factor.id in by_id:
                overridden[factor.id] = factor_set.path
            by_id[factor.id] = factor
    return FactorLibrary(sets=sets, by_id=by_id, overridden=overridden)


def load_factor_file(path: str | Path) -> FactorSet:
    """Load and validate one material-factor file (``.yaml``/``.yml`` or ``.csv``).

    Raises
    ------
    FactorFileError
        Missing file, unreadable YAML/CSV, or a row that does not validate (the message names the
        row and the column).
    """
    path = Path(path)
    if not path.is_file():
        raise FactorFileError("factor file not found", path)
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        metadata, rows = _read_yaml(path)
        first_row = 1
    elif suffix == ".csv":
        metadata, rows = _read_csv(path)
        first_row = 2  # row 1 is the header
    else:
        raise FactorFileError(f"unknown factor file format {suffix or '(none)'}; use .yaml or .csv", path)
    try:
        meta = FactorSetMetadata(**metadata)
    except ValidationError as exc:
        raise FactorFileError(f"metadata: {_first_error(exc)}", path) from None
    except TypeError as exc:
        raise FactorFileError(f"metadata: {exc}", path) from None
    factors: list[Factor] = []
    seen: dict[str, int] = {}
    for number, row in enumerate(rows, start=first_row):
        if not isinstance(row, dict):
            raise FactorFileError(f"row {number}: expected a mapping of column to value", path)
        try:
            factor = Factor(**{**row, "factor_set": meta.id})
        except ValidationError as exc:
            raise FactorFileError(f"row {number}{_row_id(row)}: {_first_error(exc)}", path) from None
        if factor.id in seen:
            raise FactorFileError(
                f"row {number}: column 'id': {factor.id!r} is already used in row {seen[factor.id]}", path
            )
        seen[factor.id] = number
        factors.append(factor)
    return FactorSet(metadata=meta, factors=factors, path=str(path))


def _read_yaml(path: Path) -> tuple[dict, list]:
    document = read_yaml_mapping(path, what="factor file")
    if "factors" not in document:
        raise FactorFileError("expected a mapping with 'metadata' and 'factors'", path)
    factors = document.get("factors") or []
    if not isinstance(factors, list):
        raise FactorFileError("'factors' must be a list", path)
    return document.get("metadata") or {}, factors


#: Columns of a user CSV that are numbers (empty cells become null).
_NUMBER_COLUMNS = (
    "value_kgco2e_per_unit",
    "value_low_kgco2e_per_unit",
    "value_high_kgco2e_per_unit",
    "density_kg_per_m3",
    "density_low_kg_per_m3",
    "density_high_kg_per_m3",
    "biogenic_kgco2_per_kg",
)


def _read_csv(path: Path) -> tuple[dict, list]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            rows = []
            for number, raw in enumerate(reader, start=2):
                if None in raw:  # more cells than columns: an unquoted "2,400" would shift values
                    raise FactorFileError(
                        f"row {number}: {len(raw[None])} more cell(s) than the header has columns "
                        "(quote values that contain commas)",
                        path,
                    )
                row = {k.strip(): (v.strip() if isinstance(v, str) else v) for k, v in raw.items() if k}
                for key, value in list(row.items()):
                    if value in ("", None):
                        row[key] = None
                row = {k: v for k, v in row.items() if v is not None or k in _NUMBER_COLUMNS}
                rows.append(row)
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise FactorFileError(f"cannot be read as CSV ({exc})", path) from None
    metadata = {
        "id": path.stem,
        "title": f"user factors from {path.name}",
        "source": f"user file {path.name} (sources per row)",
        "licence": "supplied by the user",
    }
    return metadata, rows


def _row_id(row: dict) -> str:
    factor_id = row.get("id")
    return f" ({factor_id})" if factor_id else ""


def _first_error(exc: ValidationError) -> str:
    value = exc.errors()[0].get("input")
    shown = f" (got {value!r})" if value is not None and not isinstance(value, dict) else ""
    return f"{field_error(exc, 'column')}{shown}"
