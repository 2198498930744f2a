"""Life-cycle modules beyond A1-A3: A4 transport, A5 construction, B4 replacement, C1-C4 end of life.

Pure arithmetic on the matched components (:func:`bimcarbon.carbon.embodied`), with defaults read from
``factors/lifecycle_defaults.yaml``. Modules use EN 15978 names; docs/assessment.md maps them to the
GB/T 51366 stages. D and biogenic carbon are reported apart and never netted.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

from bimcarbon.datafile import load_validated
from bimcarbon.energy_factors import TransportTable
from bimcarbon.factors import FactorLibrary, FactorSetMetadata, Status, factors_dir

LIFECYCLE_FILE = "lifecycle_defaults.yaml"


class SourcedValue(BaseModel):
    """A number with its unit and source."""

    model_config = ConfigDict(extra="forbid")

    value: float = Field(gt=0)
    unit: str
    source: str = Field(min_length=1)
    status: Status
    status_note: str = ""


class Distance(BaseModel):
    """Default transport distance for a factor category (``*`` for any other)."""

    model_config = ConfigDict(extra="forbid")

    category: str
    distance_km: float = Field(ge=0)
    source: str = Field(min_length=1)
    status: Status
    status_note: str = ""


class TransportDefaults(BaseModel):
    """Vehicle and distances for A4."""

    model_config = ConfigDict(extra="forbid")

    vehicle: str
    vehicle_source: str
    vehicle_status: Status
    distances: list[Distance]

    def distance_for(self, category: str) -> Distance:
        """The distance of a category, else the ``*`` default."""
        by_category = {d.category: d for d in self.distances}
        return by_category.get(category) or by_category["*"]


class A5Defaults(BaseModel):
    """A5 when the construction energy is not given: A4+A5 = ``share`` x A1-A3."""

    model_config = ConfigDict(extra="forbid")

    method: str
    share: float = Field(ge=0, le=1)
    source: str
    status: Status
    status_note: str = ""


class ServiceLives(BaseModel):
    """Service lives in years per factor category, for B4 replacements."""

    model_config = ConfigDict(extra="forbid")

    source: str
    status: Status
    default_years: float | None = None
    by_category: dict[str, float] = Field(default_factory=dict)


class EndOfLife(BaseModel):
    """C1-C4 per tonne by category, when known."""

    model_config = ConfigDict(extra="forbid")

    source: str
    status: Status
    kgco2e_per_t_by_category: dict[str, float] = Field(default_factory=dict)


class LifecycleDefaults(BaseModel):
    """Everything in lifecycle_defaults.yaml."""

    model_config = ConfigDict(extra="forbid")

    metadata: FactorSetMetadata
    design_life: SourcedValue
    transport: TransportDefaults
    a5: A5Defaults
    service_lives: ServiceLives
    end_of_life: EndOfLife


def load_lifecycle_defaults(path: str | Path | None = None) -> LifecycleDefaults:
    """Load and validate the life-cycle defaults (one line naming the file and field if invalid)."""
    path = Path(path) if path else factors_dir() / LIFECYCLE_FILE
    return load_validated(path, LifecycleDefaults, "life-cycle defaults")


class ModuleTotals(BaseModel):
    """Embodied emissions of the building per module, kgCO2e (None: not assessed)."""

    a1_a3: float
    a4: float | None
    a5: float | None
    a5_source: str = ""
    b4: float | None
    c1_c4: float | None
    d: float | None = None
    biogenic_kgco2: float
    upfront_a1_a5: float
    embodied_total: float
    notes: list[str] = Field(default_factory=list)


def with_construction_energy(totals: ModuleTotals, a5_kgco2e: float, source: str) -> ModuleTotals:
    """The totals with A5 replaced by the emissions of the construction energy a person entered."""
    upfront = totals.a1_a3 + (totals.a4 or 0.0) + a5_kgco2e
    embodied_total = upfront + (totals.b4 or 0.0) + (totals.c1_c4 or 0.0)
    return totals.model_copy(
        update={
            "a5": a5_kgco2e,
            "a5_source": source,
            "upfront_a1_a5": upfront,
            "embodied_total": embodied_total,
        }
    )


def replacements(design_life_years: float, service_life_years: float | None) -> int:
    """How many times a material is replaced over the design life (B4): ceil(life / service) - 1."""
    if service_life_years is None or not service_life_years > 0 or service_life_years >= design_life_years:
        return 0  # None or NaN: lasts the building's life
    return math.ceil(design_life_years / service_life_years - 1e-9) - 1


def _per_value(values: pd.Series, function) -> pd.Series:
    """``function`` of each value, called once per distinct value (a model has few categories)."""
    return values.map({value: function(value) for value in values.unique()})


def modules(
    carbon: pd.DataFrame,
    library: FactorLibrary,
    transport: TransportTable,
    defaults: LifecycleDefaults,
    design_life_years: float,
) -> tuple[pd.DataFrame, ModuleTotals]:
    """Per-component A4, B4 and C1-C4, and the building's totals per module.

    Parameters
    ----------
    carbon
        Components with ``kgco2e`` (A1-A3) and ``mass_kg`` (:func:`bimcarbon.carbon.embodied`).
    library
        Factors (their categories choose distances, service lives and end-of-life values).
    transport
        GB/T 51366 Appendix E factors.
    defaults
        Life-cycle defaults.
    design_life_years
        The building's design life.

    Returns
    -------
    components, totals
        ``components`` gains ``category``, ``a4_kgco2e``, ``replacements``, ``b4_kgco2e``,
        ``c_kgco2e`` and ``distance_km``.
    """
    vehicle = {f.id: f for f in transport.factors}[defaults.transport.vehicle]
    frame = carbon.copy()
    frame["category"] = frame["factor_id"].map(
        {fid: library.get(fid).category for fid in frame["factor_id"].unique()}
    )
    a1a3 = pd.to_numeric(frame["kgco2e"], errors="coerce")
    mass_t = pd.to_numeric(frame["mass_kg"], errors="coerce") / 1000.0
    frame["distance_km"] = _per_value(
        frame["category"], lambda c: defaults.transport.distance_for(str(c)).distance_km
    )
    frame["a4_kgco2e"] = mass_t * frame["distance_km"] * vehicle.value_kgco2e_per_tkm
    lives = defaults.service_lives
    frame["service_life_years"] = _per_value(
        frame["category"], lambda c: lives.by_category.get(str(c), lives.default_years)
    )
    frame["replacements"] = _per_value(
        frame["service_life_years"], lambda s: replacements(design_life_years, s)
    )
    frame["b4_kgco2e"] = frame["replacements"] * (a1a3 + frame["a4_kgco2e"].fillna(0.0))
    eol = defaults.end_of_life.kgco2e_per_t_by_category
    frame["c_kgco2e"] = mass_t * _per_value(frame["category"], lambda c: eol.get(str(c), np.nan))
    total_a1a3 = float(a1a3.sum())
    total_a4 = float(frame["a4_kgco2e"].sum())
    a5 = max(0.0, defaults.a5.share * total_a1a3 - total_a4)
    b4 = float(frame["b4_kgco2e"].sum())
    c_assessed = frame["c_kgco2e"].notna().any()
    c_total = float(frame["c_kgco2e"].sum()) if c_assessed else None
    notes = []
    missing_mass = int((a1a3.notna() & mass_t.isna()).sum())
    if missing_mass:
        notes.append(f"A4 leaves out {missing_mass} component(s) without a known mass")
    if not c_assessed:
        notes.append(
            "C1-C4 not assessed: no open default "
            "(give end_of_life.kgco2e_per_t_by_category in a --lifecycle file)"
        )
    biogenic = float(pd.to_numeric(frame.get("biogenic_kgco2"), errors="coerce").sum())
    upfront = total_a1a3 + total_a4 + a5
    return frame, ModuleTotals(
        a1_a3=total_a1a3,
        a4=total_a4,
        a5=a5,
        a5_source=f"{defaults.a5.share:.0%} of A1-A3 minus A4 ({defaults.a5.source})",
        b4=b4,
        c1_c4=c_total,
        biogenic_kgco2=biogenic,
        upfront_a1_a5=upfront,
        embodied_total=upfront + b4 + (c_total or 0.0),
        notes=notes,
    )
