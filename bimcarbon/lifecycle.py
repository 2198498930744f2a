"""Life-cycle modules beyond A1-A3: A4 transport, A5 construction, B4 replacement, C1-C4 end of life.

Pure arithmetic on the matched components (:func:`bimcarbon.carbon.embodied`), with defaults read from
``factors/lifecycle_defaults.yaml``. Modules use EN 15978 names; :func:`stages` gathers them into the
GB/T 51366 stages reported beside them. D and biogenic carbon are reported apart and never netted.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, model_validator

from bimcarbon.datafile import DataModel, load_validated
from bimcarbon.energy_factors import TransportTable
from bimcarbon.factors import FactorLibrary, FactorSetMetadata, Status, factors_dir

LIFECYCLE_FILE = "lifecycle_defaults.yaml"


class SourcedValue(DataModel):
    """A number with its unit and source."""

    model_config = ConfigDict(extra="forbid")

    value: float = Field(gt=0)
    unit: str
    source: str = Field(min_length=1)
    status: Status
    status_note: str = ""


class Distance(DataModel):
    """Default transport distance for a factor category (``*`` for any other)."""

    model_config = ConfigDict(extra="forbid")

    category: str
    distance_km: float = Field(ge=0)
    source: str = Field(min_length=1)
    status: Status
    status_note: str = ""


class TransportDefaults(DataModel):
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


class WastageShare(DataModel):
    """Share of a category's installed quantity wasted on site (A5), with its source."""

    model_config = ConfigDict(extra="forbid")

    category: str
    share: float = Field(gt=0, le=1)
    source: str = Field(min_length=1)
    status: Status
    status_note: str = ""


class A5Defaults(DataModel):
    """A5 when the construction energy is not given: material wastage plus site activity.

    Wastage: each component's ``share`` x (its A1-A3 + A4), the extra material bought and delivered.
    Site activity: ``site_activity`` kgCO2e per m2 of floor area (not counted without a floor area).
    """

    model_config = ConfigDict(extra="forbid")

    method: str
    source: str = Field(min_length=1)
    status: Status
    status_note: str = ""
    wastage: list[WastageShare]
    site_activity: SourcedValue

    @model_validator(mode="after")
    def _has_a_default_share(self) -> A5Defaults:
        if "*" not in {w.category for w in self.wastage}:
            raise ValueError("a5.wastage needs a '*' entry (the share of every other category)")
        return self

    def wastage_for(self, category: str) -> WastageShare:
        """The wastage share of a category, else the ``*`` default."""
        by_category = {w.category: w for w in self.wastage}
        return by_category.get(category) or by_category["*"]


class ServiceLives(DataModel):
    """Service lives in years per factor category, for B4 replacements."""

    model_config = ConfigDict(extra="forbid")

    source: str
    status: Status
    default_years: float | None = None
    by_category: dict[str, float] = Field(default_factory=dict)


class DemolitionTransport(DataModel):
    """C2: vehicle and distance from the site to waste processing or disposal."""

    model_config = ConfigDict(extra="forbid")

    vehicle: str
    vehicle_source: str = Field(min_length=1)
    vehicle_status: Status
    distance_km: float = Field(ge=0)
    distance_source: str = Field(min_length=1)
    distance_status: Status
    distance_status_note: str = ""


class WasteTreatment(DataModel):
    """C3-C4 of one treatment (recycling, combustion, landfill), kgCO2e per tonne of waste."""

    model_config = ConfigDict(extra="forbid")

    id: str
    name: str
    kgco2e_per_t: float = Field(ge=0)
    applies_to: str = ""
    source: str = Field(min_length=1)
    status: Status
    status_note: str = ""


class EndOfLifeRoutes(DataModel):
    """Which treatment each factor category goes to (``*`` for any other)."""

    model_config = ConfigDict(extra="forbid")

    source: str = Field(min_length=1)
    status: Status
    by_category: dict[str, str]


class EndOfLife(DataModel):
    """C1 per m2 of floor area, C2 transport, C3-C4 per tonne by the category's treatment."""

    model_config = ConfigDict(extra="forbid")

    c1: SourcedValue
    c2: DemolitionTransport
    treatments: list[WasteTreatment]
    routes: EndOfLifeRoutes
    kgco2e_per_t_by_category: dict[str, float] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _routes_name_treatments(self) -> EndOfLife:
        known = {t.id for t in self.treatments}
        unknown = sorted({r for r in self.routes.by_category.values() if r not in known})
        if unknown:
            raise ValueError(f"end_of_life.routes name unknown treatments: {', '.join(unknown)}")
        if "*" not in self.routes.by_category:
            raise ValueError("end_of_life.routes.by_category needs a '*' entry (every other category)")
        return self

    def treatment_for(self, category: str) -> WasteTreatment:
        """The treatment a category's waste goes to, else the ``*`` route's."""
        by_id = {t.id: t for t in self.treatments}
        routes = self.routes.by_category
        return by_id[routes.get(category) or routes["*"]]

    def c3_c4_per_t(self, category: str) -> tuple[float, str]:
        """C3-C4 of a category, kgCO2e per tonne, and the treatment it stands for."""
        if category in self.kgco2e_per_t_by_category:
            return self.kgco2e_per_t_by_category[category], "given per tonne"
        treatment = self.treatment_for(category)
        return treatment.kgco2e_per_t, treatment.id


class LifecycleDefaults(DataModel):
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
    """Embodied emissions of the building per module, kgCO2e (None: not assessed).

    ``a5`` is ``a5_wastage`` + ``a5_site``; ``c1_c4`` is ``c1`` + ``c2`` + ``c3_c4`` (``c1`` is None
    without a floor area, and ``c1_c4`` then counts C2-C4 only, said in ``notes``).
    """

    a1_a3: float
    a4: float | None
    a5: float | None
    a5_source: str = ""
    a5_wastage: float | None = None
    a5_site: float | None = None
    b4: float | None
    c1_c4: float | None
    c1: float | None = None
    c2: float | None = None
    c3_c4: float | None = None
    d: float | None = None
    biogenic_kgco2: float
    upfront_a1_a5: float
    embodied_total: float
    notes: list[str] = Field(default_factory=list)


#: Every number of :class:`ModuleTotals` (kgCO2e; biogenic carbon in kgCO2), in EN 15978 order: what a
#: park sums over its buildings and what a comparison sets side by side.
MODULE_TOTAL_KEYS = (
    "a1_a3",
    "a4",
    "a5",
    "a5_wastage",
    "a5_site",
    "b4",
    "c1_c4",
    "c1",
    "c2",
    "c3_c4",
    "d",
    "biogenic_kgco2",
    "upfront_a1_a5",
    "embodied_total",
)


class Stage(BaseModel):
    """A GB/T 51366-2019 stage, the EN 15978 modules it gathers and its emissions (kgCO2e, None: not
    assessed)."""

    id: str
    name_zh: str
    name_en: str
    modules: str
    kgco2e: float | None


#: GB/T 51366-2019 stages (chapters 6, 5 and 4) and the EN 15978 modules bimcarbon puts in each.
GBT51366_STAGES = (
    ("materials", "建材生产及运输阶段", "materials production and transport", "A1-A3 + A4"),
    ("construction_demolition", "建造及拆除阶段", "construction and demolition", "A5 + C1-C4"),
    ("operation", "运行阶段", "operation", "B6 x design life"),
)


def stages(totals: ModuleTotals, operation_kgco2e: float | None) -> list[Stage]:
    """The GB/T 51366 stages beside the EN 15978 modules.

    Parameters
    ----------
    totals
        Embodied emissions by module.
    operation_kgco2e
        Operational (B6) emissions over the design life, kgCO2e (None: not assessed).

    Returns
    -------
    list of Stage
        Materials production and transport (A1-A3 + A4), construction and demolition (A5 + C1-C4)
        and operation (B6). B4 has no GB/T 51366 stage and is left out of all three.
    """
    values = {
        "materials": totals.a1_a3 + (totals.a4 or 0.0),
        "construction_demolition": (
            None if totals.a5 is None and totals.c1_c4 is None else (totals.a5 or 0.0) + (totals.c1_c4 or 0.0)
        ),
        "operation": operation_kgco2e,
    }
    return [
        Stage(id=key, name_zh=zh, name_en=en, modules=modules_, kgco2e=values[key])
        for key, zh, en, modules_ in GBT51366_STAGES
    ]


def with_construction_energy(totals: ModuleTotals, energy_kgco2e: float, source: str) -> ModuleTotals:
    """The totals with A5's site activity replaced by the emissions of the construction energy a person
    entered (kgCO2e); the material wastage stays in A5."""
    a5 = (totals.a5_wastage or 0.0) + energy_kgco2e
    upfront = totals.a1_a3 + (totals.a4 or 0.0) + a5
    embodied_total = upfront + (totals.b4 or 0.0) + (totals.c1_c4 or 0.0)
    return totals.model_copy(
        update={
            "a5": a5,
            "a5_site": energy_kgco2e,
            "a5_source": f"{source} + material wastage",
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
    floor_area_m2: float | None = None,
) -> tuple[pd.DataFrame, ModuleTotals]:
    """Per-component A4, A5 wastage, B4 and C2-C4, and the building's totals per module.

    Parameters
    ----------
    carbon
        Components with ``kgco2e`` (A1-A3) and ``mass_kg`` (:func:`bimcarbon.carbon.embodied`).
    library
        Factors (their categories choose distances, wastage, service lives and end-of-life routes).
    transport
        GB/T 51366 Appendix E factors.
    defaults
        Life-cycle defaults.
    design_life_years
        The building's design life.
    floor_area_m2
        Gross floor area, m2, for A5's site activity and C1 (None: both not assessed, with a note).

    Returns
    -------
    components, totals
        ``components`` gains ``category``, ``distance_km``, ``a4_kgco2e``, ``wastage_share``,
        ``a5_wastage_kgco2e``, ``service_life_years``, ``replacements``, ``b4_kgco2e``, ``eol_route``,
        ``c2_kgco2e``, ``c3_c4_kgco2e`` and ``c_kgco2e`` (C2 + C3-C4; C1 is building-level).
    """
    vehicles = {f.id: f for f in transport.factors}
    vehicle = vehicles[defaults.transport.vehicle]
    eol = defaults.end_of_life
    c2_vehicle = vehicles[eol.c2.vehicle]
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
    frame["wastage_share"] = _per_value(frame["category"], lambda c: defaults.a5.wastage_for(str(c)).share)
    # the wasted share is bought and delivered too: its A1-A3 and A4 (A4 left out without a mass)
    frame["a5_wastage_kgco2e"] = frame["wastage_share"] * (a1a3 + frame["a4_kgco2e"].fillna(0.0))
    lives = defaults.service_lives
    frame["service_life_years"] = _per_value(
        frame["category"], lambda c: lives.by_category.get(str(c), lives.default_years)
    )
    frame["replacements"] = _per_value(
        frame["service_life_years"], lambda s: replacements(design_life_years, s)
    )
    frame["b4_kgco2e"] = frame["replacements"] * (a1a3 + frame["a4_kgco2e"].fillna(0.0))
    frame["eol_route"] = _per_value(frame["category"], lambda c: eol.c3_c4_per_t(str(c))[1])
    frame["c2_kgco2e"] = mass_t * eol.c2.distance_km * c2_vehicle.value_kgco2e_per_tkm
    frame["c3_c4_kgco2e"] = mass_t * _per_value(frame["category"], lambda c: eol.c3_c4_per_t(str(c))[0])
    frame["c_kgco2e"] = frame["c2_kgco2e"] + frame["c3_c4_kgco2e"]
    total_a1a3 = float(a1a3.sum())
    total_a4 = float(frame["a4_kgco2e"].sum())
    wastage = float(frame["a5_wastage_kgco2e"].sum())
    site = defaults.a5.site_activity
    a5_site = site.value * floor_area_m2 if floor_area_m2 else None
    a5 = wastage + (a5_site or 0.0)
    b4 = float(frame["b4_kgco2e"].sum())
    c1 = eol.c1.value * floor_area_m2 if floor_area_m2 else None
    c2 = float(frame["c2_kgco2e"].sum())
    c3_c4 = float(frame["c3_c4_kgco2e"].sum())
    c_total = (c1 or 0.0) + c2 + c3_c4
    notes = []
    missing_mass = int((a1a3.notna() & mass_t.isna()).sum())
    if missing_mass:
        notes.append(
            f"A4, A5 wastage transport and C2-C4 leave out {missing_mass} component(s) without a known mass"
        )
    if a5_site is None:
        notes.append(
            f"A5 site activity ({site.value:g} {site.unit}) not assessed: no floor area; "
            "A5 is the material wastage only"
        )
    if c1 is None:
        notes.append(
            f"C1 demolition ({eol.c1.value:g} {eol.c1.unit}) not assessed: no floor area; C1-C4 is C2-C4 only"
        )
    biogenic = float(pd.to_numeric(frame.get("biogenic_kgco2"), errors="coerce").sum())
    upfront = total_a1a3 + total_a4 + a5
    site_text = f" + site activity {site.value:g} {site.unit}" if a5_site is not None else ""
    return frame, ModuleTotals(
        a1_a3=total_a1a3,
        a4=total_a4,
        a5=a5,
        a5_source=f"material wastage by category x (A1-A3 + A4){site_text} ({defaults.a5.method})",
        a5_wastage=wastage,
        a5_site=a5_site,
        b4=b4,
        c1_c4=c_total,
        c1=c1,
        c2=c2,
        c3_c4=c3_c4,
        biogenic_kgco2=biogenic,
        upfront_a1_a5=upfront,
        embodied_total=upfront + b4 + c_total,
        notes=notes,
    )
