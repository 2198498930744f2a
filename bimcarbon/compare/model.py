"""The comparison of two assessments (JSON format ``bimcarbon.comparison``): pydantic models only."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from bimcarbon import __version__
from bimcarbon.element_results import ElementResult

#: Version of the comparison JSON layout.
COMPARISON_FORMAT_VERSION = 1

Change = Literal["added", "removed", "changed", "unchanged"]


class Side(BaseModel):
    """One side of the comparison: what the person gave (``source``: a model or an assessment JSON, by
    its file name) and the assessment it stands for."""

    source: str
    assessed_now: bool
    model_name: str | None
    model_sha256: str | None
    tool_version: str | None
    format_version: int | None
    warnings: int = 0


class FieldChange(BaseModel):
    """What changed in a pair of elements: ``what`` is ``quantity``, ``material``, ``factor``,
    ``status``, ``type``, ``storey``, ``position`` (moved further than the position tolerance: the
    placement origins, m), ``carbon`` (the kgCO2e changed while quantities, materials, factors, status
    and type did not: a factor's value, a distance, a service life) or ``quantity source`` (how the
    quantities were found, beside another change); ``field`` the element's field."""

    what: str
    field: str
    base: float | str | list[str] | list[float] | None
    variant: float | str | list[str] | list[float] | None


class ElementChange(BaseModel):
    """One element of the base, of the variant, or of both (a pair), with its deltas (variant - base,
    kgCO2e; None where neither side assesses the module)."""

    global_id: str | None
    base_global_id: str | None
    variant_global_id: str | None
    ifc_class: str
    type_name: str | None
    storey: str | None
    element_name: str | None
    change: Change
    paired_by: Literal["global_id", "position"] | None = None
    distance_m: float | None = None
    ambiguous: bool = False
    candidates: list[str] = Field(default_factory=list)
    candidate_count: int = 0
    changes: list[FieldChange] = Field(default_factory=list)
    delta_a1_a3_kgco2e: float | None = None
    delta_a4_kgco2e: float | None = None
    delta_a5_wastage_kgco2e: float | None = None
    delta_b4_kgco2e: float | None = None
    delta_c2_kgco2e: float | None = None
    delta_c3_c4_kgco2e: float | None = None
    delta_embodied_kgco2e: float | None = None
    delta_biogenic_kgco2: float | None = None
    base: ElementResult | None = None
    variant: ElementResult | None = None


class Figure(BaseModel):
    """One figure of both sides: ``delta`` = variant - base (an absent side counts as 0; both absent:
    None), ``pct`` = 100 x delta / |base| (None when base is absent or 0, and for shares)."""

    base: float | None
    variant: float | None
    delta: float | None
    pct: float | None = None


class BuildingLevel(BaseModel):
    """The modules that are per m2 of floor area, not per element: A5 site activity (or the emissions of
    the construction energy an energy file gives) and C1 demolition. They change with the floor area."""

    a5_site: Figure
    c1: Figure
    floor_area_m2: Figure
    a5_source: dict[str, str]
    note: str


class Totals(BaseModel):
    """The building's embodied emissions by module (the keys of the assessment's ``embodied``)."""

    base: dict[str, float | None]
    variant: dict[str, float | None]
    delta: dict[str, float | None]


class BalanceRow(BaseModel):
    """How a module's total delta is made up: the element deltas plus the building-level delta."""

    module: str
    elements_kgco2e: float
    building_level_kgco2e: float
    delta_kgco2e: float | None
    difference_kgco2e: float
    balanced: bool


class GroupDelta(BaseModel):
    """A material, IFC class or storey: its elements on each side and kgCO2e per module (``embodied``:
    the element-level modules together) on each side and the delta."""

    key: str
    elements_base: int
    elements_variant: int
    base: dict[str, float | None]
    variant: dict[str, float | None]
    delta: dict[str, float | None]


class TierRow(BaseModel):
    """A tier's verdicts on both sides in both modes, and whether each mode's verdict changed."""

    tier: str
    name_en: str
    name_zh: str | None = None
    provisional: bool = False
    base_without: str | None
    variant_without: str | None
    base_with: str | None
    variant_with: str | None
    changed_without: bool
    changed_with: bool


class VerdictComparison(BaseModel):
    """The verdicts of both sides in both modes (``without_embodied``, ``with_embodied``: the criteria
    pack's evaluation as each assessment holds it), the tier reached, the tiers whose verdict changed per
    mode and each side's note on the with-embodied verdicts (the completeness gate: blocked verdicts stay
    "not assessable")."""

    base: dict[str, dict]
    variant: dict[str, dict]
    reached: dict[str, dict[str, dict]]
    tiers: list[TierRow]
    changed: dict[str, list[str]]
    notes: dict[str, str]


class MetricRow(BaseModel):
    """A key metric of both sides (``mode``: ``without`` or ``with`` embodied, None for a figure of the
    building); ``share``: a 0-1 figure whose delta is in points (``pct`` None)."""

    key: str
    mode: str | None
    share: bool
    base: float | None
    variant: float | None
    delta: float | None
    pct: float | None = None


class InputRow(BaseModel):
    """An input of both sides as text (None: not given) and whether it changed."""

    what: str
    key: str | None
    base: str | None
    variant: str | None
    changed: bool


class PairingSummary(BaseModel):
    """How the elements were paired and what happened to them."""

    by_global_id: int
    by_position: int
    ambiguous: int
    added: int
    removed: int
    changed: int
    unchanged: int
    position_tolerance_m: float
    position_tolerance_source: str


class Comparison(BaseModel):
    """Two assessments element by element (JSON format ``bimcarbon.comparison``): every delta is
    variant - base; the element deltas plus the building-level deltas make the total delta of every
    module (``balance``)."""

    format: str = "bimcarbon.comparison"
    format_version: int = COMPARISON_FORMAT_VERSION
    tool_version: str = __version__
    base: Side
    variant: Side
    pairing: PairingSummary
    elements: list[ElementChange]
    building_level: BuildingLevel
    totals: Totals
    balance: list[BalanceRow]
    by_material: list[GroupDelta]
    by_class: list[GroupDelta]
    by_storey: list[GroupDelta]
    verdicts: VerdictComparison
    metrics: list[MetricRow]
    inputs: list[InputRow]
    warnings: list[str]
