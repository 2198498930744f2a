"""The pipeline: read -> take off -> match -> embodied by module -> operational -> criteria, both ways.

``assess(...)`` returns an :class:`AssessmentRun`: the versioned :class:`Assessment` (what the JSON
holds) and the tables behind it (for the workbook). Each stage is a function call on the previous
result; nothing is kept between calls.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from pydantic import BaseModel, Field

from bimcarbon import __version__
from bimcarbon.assumptions import Assumptions, load_assumptions
from bimcarbon.carbon import embodied
from bimcarbon.coverage import Coverage, coverage, row_status
from bimcarbon.criteria import DEFAULT_PACK, CriteriaPack, Verdicts, evaluate, load_pack, not_assessable
from bimcarbon.element_plausibility import (
    SOLID_METAL_FLAG,
    metal_factor_ids,
    solid_metal_elements,
    solid_metal_findings,
)
from bimcarbon.element_results import ElementResult, element_results
from bimcarbon.energy import EnergyInput, check_with_floor_area, load_energy
from bimcarbon.energy_factors import TransportTable, load_fuels, load_grid, load_transport, select_grid
from bimcarbon.exchange.precheck import ASSESSMENT_LISTED, PreCheck
from bimcarbon.factors import FactorLibrary, load_library
from bimcarbon.lifecycle import (
    LifecycleDefaults,
    ModuleTotals,
    Stage,
    load_lifecycle_defaults,
    modules,
    stages,
    with_construction_energy,
)
from bimcarbon.matching import match
from bimcarbon.operational import OperationalResult, carrier_lines, carrier_total, operational
from bimcarbon.plausibility import Finding, Plausibility, check_plausibility, energy_content_kwh, load_ranges
from bimcarbon.quantity_check import CheckMode
from bimcarbon.reading import Reading, read_and_take_off
from bimcarbon.rules import RuleSet, default_rules, load_rules
from bimcarbon.takeoff import GeometryMode
from bimcarbon.uncertainty.breakeven import embodied_break_even
from bimcarbon.uncertainty.result import EmbodiedBreakEven, UncertaintyResult

#: Version of the assessment JSON layout. 2: ``model_name`` (the file's name, never a path on the
#: machine) replaces ``model_path``; coverage splits matched / assumed / left out; C1-C4, stages.
#: 3: ``elements``, every element's results (what ``bimcarbon compare`` pairs).
ASSESSMENT_FORMAT_VERSION = 3
BENCHMARK_PACK = "embodied-benchmarks-info"
NO_ASSUMPTIONS_WARNING = (
    "assumptions turned off (--no-assumptions): placeholder and missing materials, stud layers, mortar "
    "and render mixes, lightweight concrete and the rebar of structural concrete not said to be "
    "reinforced are left out (or counted without rebar): the embodied total is lower than the building's"
)


class FloorArea(BaseModel):
    """Gross floor area and where it came from."""

    value_m2: float | None
    source: str


class ModeResult(BaseModel):
    """The criteria evaluated with embodied emissions counted, or not.

    With embodied counted, the verdicts are "not assessable" while the embodied total is incomplete
    (:func:`embodied_gate`), unless the person accepted it (``accepted_incomplete``); ``note`` says which.
    """

    embodied_counted: bool
    metrics: dict[str, float | None]
    verdicts: Verdicts
    embodied_complete: bool | None = None
    accepted_incomplete: bool = False
    note: str = ""


class TierChange(BaseModel):
    """A tier whose verdict differs between the two modes."""

    tier: str
    without_embodied: str
    with_embodied: str


class MaterialTotal(BaseModel):
    """A1-A3 of one material."""

    material: str
    a1_a3_kgco2e: float
    notes: list[str] = Field(default_factory=list)


class Assessment(BaseModel):
    """The whole assessment (JSON format ``bimcarbon.assessment``)."""

    format: str = "bimcarbon.assessment"
    format_version: int = ASSESSMENT_FORMAT_VERSION
    tool_version: str = __version__
    model_name: str
    model_sha256: str
    schema_name: str
    parameters: dict[str, object]
    factor_sets: list[str]
    rule_sets: list[str]
    criteria_pack: str
    floor_area: FloorArea
    design_life_years: float
    design_life_source: str
    embodied: ModuleTotals
    stages: list[Stage]
    by_material: list[MaterialTotal]
    embodied_intensity_kg_per_m2: float | None
    annualised_embodied_kg_per_m2a: float | None
    coverage: Coverage
    plausibility: Plausibility
    operational: OperationalResult | None
    operational_note: str
    without_embodied: ModeResult
    with_embodied: ModeResult
    changes: list[TierChange]
    benchmarks: Verdicts
    warnings: list[str]
    #: Every element of the take-off with its results (format 3; empty in a JSON of an older format).
    elements: list[ElementResult] = Field(default_factory=list)
    uncertainty: UncertaintyResult | None = None
    embodied_break_even: EmbodiedBreakEven | None = None
    #: The LCA-ready pre-check of the model (factors/ids/lca-ready.ids), each requirement listing at most
    #: :data:`~bimcarbon.exchange.precheck.ASSESSMENT_LISTED` failing elements (``bimcarbon check -o``
    #: lists them all) and without its run time (the JSON is the same whether the take-off was cached);
    #: None with ``--no-precheck``.
    precheck: PreCheck | None = None


@dataclass
class AssessmentRun:
    """An assessment, the tables behind it, and the factors and rules it used."""

    assessment: Assessment
    takeoff: pd.DataFrame
    parts: pd.DataFrame
    components: pd.DataFrame
    library: FactorLibrary
    rule_sets: list[RuleSet]
    lifecycle: LifecycleDefaults | None = None
    transport: TransportTable | None = None
    energy: EnergyInput | None = None
    assumptions: Assumptions | None = None
    pack: CriteriaPack | None = None


def assess(
    model_path: str | Path,
    energy_path: str | Path | None = None,
    mappings: list[Path] | None = None,
    factor_files: list[Path] | None = None,
    criteria: str = DEFAULT_PACK,
    geometry: GeometryMode = "auto",
    use_default_rules: bool = True,
    lifecycle_path: str | Path | None = None,
    cache_dir: str | Path | None = None,
    isolated: bool = False,
    quantity_check: CheckMode = "sample",
    use_assumptions: bool = True,
    accept_incomplete: bool = False,
    model_name: str | None = None,
    progress: Callable[[str, int | None], None] | None = None,
    default_grid: tuple[int | None, str | None] | None = None,
    precheck: bool = True,
    on_precheck: Callable[[PreCheck], None] | None = None,
    reading: Reading | None = None,
) -> AssessmentRun:
    """Assess a model against a criteria pack, with embodied emissions counted and not counted.

    With ``cache_dir``, the take-off is kept by the model file's hash, the geometry mode, the quantity
    check and the bimcarbon version, so re-assessing the same file with another mapping, energy file
    or criteria pack skips reading and taking off the model. With ``isolated``, the model is read in a child
    process, so that a crash of the IFC parser is a ModelReadError (the command line does this).
    ``quantity_check`` is how exported volumes are verified against the geometry (``sample``, the
    default, ``full`` or ``off``; see :func:`bimcarbon.takeoff.take_off`). ``use_assumptions`` fills
    placeholder and missing materials and unstated rebar with the shipped assumptions (flagged
    ``assumed``); ``accept_incomplete`` lets the with-embodied verdicts stand although the embodied
    total misses more than GB/T 51366 allows (marked in every output; see :func:`embodied_gate`).
    ``model_name`` is how the outputs name the model (default: the file's name, never its folder: a web
    upload is stored under its hash). ``progress(stage, count)``, if given, is called when a stage
    begins (``reading``, ``precheck``, ``takeoff``, ``matching``, ``assessing``) and again when its count is
    known:
    ``takeoff`` with the number of elements in the model, ``matching`` with the material parts.
    ``takeoff`` begins only once the model is read (with ``isolated``, and for a cached take-off, it is
    reported once, with its count, when done). ``default_grid`` (grid year, region) is the grid of a
    building whose energy file names neither (a park's ``grid``); the parameters record it when it applied.
    ``precheck`` runs the LCA-ready pre-check (:func:`bimcarbon.ifc.ids_check.run_precheck`) on the opened
    model, before the take-off, and keeps it with a cached take-off; ``on_precheck(check)``, if given, is
    called with its whole result (every failing element) as soon as it is known: before the take-off
    when the model is read in this process, else once it is read. ``reading``, if given, is the model
    already being read with these options (:func:`bimcarbon.reading.start_reading`, in a child process
    while this one loads the rest: the command line's way); its result is taken instead of reading here.
    """
    report = progress or (lambda stage, count: None)
    report("reading", None)
    energy = load_energy(energy_path) if energy_path else None
    grid_defaulted = (
        energy is not None
        and default_grid is not None
        and energy.grid_year is None
        and energy.grid_region is None
    )
    if grid_defaulted:
        energy = energy.model_copy(update={"grid_year": default_grid[0], "grid_region": default_grid[1]})
    library = load_library(factor_files or [])
    rule_sets = [load_rules(p) for p in mappings or []]
    if use_default_rules:
        rule_sets.append(default_rules())
    pack = load_pack(criteria)
    defaults = load_lifecycle_defaults(lifecycle_path)
    told = []

    def named(check: PreCheck) -> PreCheck:  # as the outputs name the model (a cached check: as today)
        return check.model_copy(update={"model_name": model_name or Path(model_path).name})

    def tell(check: PreCheck) -> None:
        told.append(check)
        if on_precheck is not None:
            on_precheck(named(check))

    if reading is not None:
        started = (reading.model_path, reading.geometry, reading.quantity_check, reading.precheck)
        if started != (Path(model_path), geometry, quantity_check, precheck):
            raise ValueError(f"the model is being read with other options: {started}")
        result, model_floor_area, check = reading.result()
    else:
        result, model_floor_area, check = read_and_take_off(
            model_path,
            geometry,
            cache_dir,
            isolated,
            quantity_check,
            None if isolated else progress,
            precheck,
            None if isolated else tell,
        )
    if check is not None:
        check = named(check)
        if not told and on_precheck is not None:  # read in a child process, or cached
            on_precheck(check)
    report("takeoff", result.element_count)
    report("matching", len(result.table))
    assumptions = load_assumptions() if use_assumptions else None
    matched = match(result.table, rule_sets, library, assumptions)
    report("assessing", None)
    carbon = embodied(matched, library)
    ranges = load_ranges()
    solid = solid_metal_elements(
        matched.parts, carbon, metal_factor_ids(library, ranges.element_checks), ranges.element_checks
    )
    _flag_elements(matched.parts, {s.step_id for s in solid}, SOLID_METAL_FLAG)
    status = row_status(matched.parts, carbon)  # the coverage's and the elements' (same rows)
    cover = coverage(matched.parts, carbon, status=status)
    design_life = (
        energy.design_life_years if energy and energy.design_life_years else defaults.design_life.value
    )
    life_source = "energy file" if energy and energy.design_life_years else defaults.design_life.source
    area = _floor_area(energy, model_floor_area)
    if energy is not None:  # the file was checked on its own; now against the floor area used
        check_with_floor_area(energy, area.value_m2, area.source, energy_path)
    transport = load_transport()
    components, totals = modules(carbon, library, transport, defaults, design_life, area.value_m2)
    op, op_note = None, "not provided: no energy file"
    if energy is not None:
        grid = select_grid(load_grid(), energy.grid_year, energy.grid_region)
        if energy.construction is not None:
            lines, _, notes = carrier_lines(
                energy.construction, grid, load_fuels(), energy.district_heat_kgco2_per_gj, 0.0
            )
            a5 = carrier_total(lines)
            if a5 is not None:
                totals = with_construction_energy(totals, a5, "construction energy from the energy file")
            else:
                totals.notes.append(
                    "construction energy not usable (" + "; ".join(notes) + "): default A5 site activity kept"
                )
        op = operational(energy, grid, load_fuels(), area.value_m2)
        op_note = "provided" if op.complete else "incomplete: " + "; ".join(op.notes)
    gate = embodied_gate(cover, accept_incomplete)
    without, with_ = _modes(pack, op, energy, totals, area.value_m2, design_life, gate)
    changes = [
        TierChange(tier=a.tier, without_embodied=a.verdict, with_embodied=b.verdict)
        for a, b in zip(without.verdicts.tiers, with_.verdicts.tiers, strict=True)
        if a.verdict != b.verdict and not gate.blocked  # blocked: the note says why, once
    ]
    gfa = area.value_m2
    by_material = _by_material(carbon)
    plausibility = check_plausibility(
        result.table,
        cover.mass_kg,
        totals.upfront_a1_a5,
        [(m.material, m.a1_a3_kgco2e) for m in by_material],
        gfa,
        result.storey_elevations_m,
        ranges,
        cover.volume_without_mass_m3,
        energy_content_kwh(energy.annual) if energy is not None else None,
    )
    plausibility = with_element_findings(plausibility, solid_metal_findings(solid, ranges.element_checks))
    benchmarks = evaluate(
        load_pack(BENCHMARK_PACK), {"upfront_embodied_kg_per_m2": totals.upfront_a1_a5 / gfa if gfa else None}
    )
    if not gate.complete:  # accepted or not: an incomplete total must not meet a target
        why = f"the embodied total is incomplete ({cover.completeness_note}): benchmarks not assessed"
        benchmarks = not_assessable(benchmarks, why)
    assessment = Assessment(
        model_name=model_name or Path(result.model_path).name,
        model_sha256=result.sha256,
        schema_name=result.schema,
        parameters={
            "geometry": geometry,
            "quantity_check": result.parameters.get("quantity_check", quantity_check),
            "quantity_tolerance": result.parameters.get("quantity_tolerance"),
            "energy_file": Path(energy_path).name if energy_path else None,
            "mappings": [Path(p).name for p in mappings or []],
            "factor_files": [Path(p).name for p in factor_files or []],
            "default_rules": use_default_rules,
            "assumptions": use_assumptions,
            "accept_incomplete": accept_incomplete,
            "precheck": precheck,
            "criteria": pack.metadata.id,
            "lifecycle_defaults": Path(lifecycle_path).name if lifecycle_path else defaults.metadata.id,
            "energy": energy.model_dump() if energy else None,
            **(
                {"default_grid": {"year": default_grid[0], "region": default_grid[1]}}
                if grid_defaulted
                else {}
            ),
        },
        factor_sets=[f"{s.metadata.id} ({s.metadata.edition})" for s in library.sets],
        rule_sets=[_rule_set_label(r) for r in rule_sets],
        criteria_pack=f"{pack.metadata.id} ({pack.metadata.edition})",
        floor_area=area,
        design_life_years=design_life,
        design_life_source=life_source,
        embodied=totals,
        stages=stages(totals, _operation_over_life(op, design_life)),
        by_material=by_material,
        embodied_intensity_kg_per_m2=totals.embodied_total / gfa if gfa else None,
        annualised_embodied_kg_per_m2a=totals.upfront_a1_a5 / design_life / gfa if gfa else None,
        coverage=cover,
        plausibility=plausibility,
        operational=op,
        operational_note=op_note,
        without_embodied=without,
        with_embodied=with_,
        changes=changes,
        benchmarks=benchmarks,
        embodied_break_even=_break_even(pack, op, energy, totals, gfa, design_life, gate, without),
        warnings=plausibility.warnings()
        + result.warnings
        + matched.warnings
        + totals.notes
        + gate.warnings()
        + ([] if use_assumptions else [NO_ASSUMPTIONS_WARNING])
        + _floor_area_warning(area),
        elements=element_results(matched.parts, components, status),
        precheck=check.capped(ASSESSMENT_LISTED).model_copy(update={"seconds": None}) if check else None,
    )
    return AssessmentRun(
        assessment,
        result.table,
        matched.parts,
        components,
        library,
        rule_sets,
        defaults,
        transport,
        energy,
        assumptions,
        pack,
    )


def with_element_findings(plausibility: Plausibility, findings: list[Finding]) -> Plausibility:
    """The building's checks with one element's findings before them (an absurd one makes the whole
    assessment implausible, so every output shows it first)."""
    if not findings:
        return plausibility
    return plausibility.model_copy(
        update={
            "findings": findings + plausibility.findings,
            "absurd": plausibility.absurd or any(f.verdict == "absurd" for f in findings),
        }
    )


def _flag_elements(parts: pd.DataFrame, step_ids: set[int], flag: str) -> None:
    """Add ``flag`` to the ``;``-separated flags of every row of the elements ``step_ids`` (in place)."""
    if not step_ids:
        return
    rows = parts["step_id"].isin(step_ids)
    parts.loc[rows, "flags"] = [
        f"{text};{flag}" if isinstance(text, str) and text else flag for text in parts.loc[rows, "flags"]
    ]


def _rule_set_label(rules: RuleSet) -> str:
    """A rule set as the outputs name it: its id, and its version when it has one."""
    return rules.metadata.id + (f" v{rules.metadata.version}" if rules.metadata.version else "")


def _by_material(carbon: pd.DataFrame) -> list[MaterialTotal]:
    values = pd.to_numeric(carbon["kgco2e"], errors="coerce")
    material = carbon["material"].fillna("(no material)")
    grouped = values.groupby(material).sum(min_count=1).dropna()
    noted = carbon["use_note"].notna()
    notes = {
        name: list(dict.fromkeys(f"{f}: {n}" for f, n in zip(g["factor_id"], g["use_note"], strict=True)))
        for name, g in carbon[noted].groupby(material[noted])
    }  # proxy reasons, derived factors and defaults to check (bimcarbon.matching.use_note)
    return [
        MaterialTotal(material=str(name), a1_a3_kgco2e=float(value), notes=notes.get(name, []))
        for name, value in grouped.sort_values(ascending=False).items()
    ]


def _floor_area(energy: EnergyInput | None, model_floor_area: tuple[float | None, str]) -> FloorArea:
    """The energy file's gross floor area, else the model's (None when it has no plausible one)."""
    if energy is not None and energy.gross_floor_area_m2:
        return FloorArea(value_m2=energy.gross_floor_area_m2, source="energy file (gross_floor_area_m2)")
    value, source = model_floor_area
    return FloorArea(value_m2=value, source=source)


def _operation_over_life(op: OperationalResult | None, design_life_years: float) -> float | None:
    """Operational emissions (B6) over the design life, kgCO2e (GB/T 51366's operation stage)."""
    if op is None or op.gross_kgco2_per_year is None:
        return None
    return op.gross_kgco2_per_year * design_life_years


def _floor_area_warning(area: FloorArea) -> list[str]:
    if area.value_m2 is None:
        return [f"no floor area ({area.source}): give gross_floor_area_m2 in the energy file"]
    if area.source.startswith("proxy"):
        return [f"floor area {area.value_m2:,.1f} m2 is a proxy ({area.source}): give gross_floor_area_m2"]
    return []


def metrics(
    op: OperationalResult | None,
    energy: EnergyInput | None,
    totals: ModuleTotals,
    floor_area_m2: float | None,
    design_life_years: float,
    embodied_counted: bool,
    embodied_share: float = 1.0,
) -> dict[str, float | None]:
    """The metrics criteria compare, per m2 of floor area and year (None: cannot be computed).

    With embodied counted, the annualised upfront embodied intensity (A1-A5 / design life / area) is
    added to the building's intensity and net balance, and the baseline gets its reference embodied
    intensity (about A1-A5) / design life, times ``embodied_share``: like for like, the same modules
    and, when a person accepts an incomplete embodied total, the same share of the materials (the
    counted share of the mass), so that what is missing cannot lower the building against its baseline.
    B4 and C1-C4 are reported, not compared.
    """
    gfa = floor_area_m2
    upfront = totals.upfront_a1_a5 / gfa if gfa else None
    out: dict[str, float | None] = {
        "carbon_intensity_kg_per_m2a": None,
        "baseline_carbon_intensity_kg_per_m2a": None,
        "carbon_intensity_reduction_kg_per_m2a": None,
        "carbon_intensity_reduction_share": None,
        "net_carbon_intensity_kg_per_m2a": None,
        "annualised_embodied_kg_per_m2a": None,
        "upfront_embodied_kg_per_m2": upfront,
    }
    if op is None or not gfa or op.gross_kgco2_per_year is None:
        return out
    added = totals.upfront_a1_a5 / design_life_years / gfa if embodied_counted else 0.0
    intensity = op.gross_kgco2_per_year / gfa + added
    out["carbon_intensity_kg_per_m2a"] = intensity
    out["annualised_embodied_kg_per_m2a"] = added if embodied_counted else None
    if op.net_kgco2_per_year is not None:
        out["net_carbon_intensity_kg_per_m2a"] = op.net_kgco2_per_year / gfa + added
    if op.baseline_intensity_kg_per_m2a is not None and energy is not None and energy.baseline is not None:
        baseline = op.baseline_intensity_kg_per_m2a
        if embodied_counted:
            baseline += energy.baseline.reference_embodied_kg_per_m2 / design_life_years * embodied_share
        out["baseline_carbon_intensity_kg_per_m2a"] = baseline
        out["carbon_intensity_reduction_kg_per_m2a"] = baseline - intensity
        out["carbon_intensity_reduction_share"] = (baseline - intensity) / baseline if baseline > 0 else None
    return out


@dataclass
class EmbodiedGate:
    """Whether the with-embodied verdicts may stand, by GB/T 51366's completeness rule.

    ``share`` is the counted (matched and assumed) share of the mass; ``blocked`` means the verdicts
    with embodied emissions are "not assessable"; ``accepted`` that a person let an incomplete total
    stand. While the total is incomplete, the baseline's reference embodied is scaled by ``share`` (the
    metrics shown, blocked or accepted, compare like for like) and the benchmarks are not assessed.
    """

    complete: bool | None
    share: float
    blocked: bool
    accepted: bool
    note: str

    def warnings(self) -> list[str]:
        """The line every output carries when the gate blocks or was overridden."""
        return [self.note] if self.blocked or self.accepted else []

    @property
    def baseline_share(self) -> float:
        """The share of the baseline's reference embodied intensity compared, like for like: 1 when the
        total is complete, else the counted share of the mass."""
        return 1.0 if self.complete else self.share


def embodied_gate(cover: Coverage, accept_incomplete: bool) -> EmbodiedGate:
    """Decide whether the with-embodied verdicts may stand.

    Missing data must never improve a verdict: while the counted mass is below the completeness
    threshold (or cannot be checked), every with-embodied verdict is "not assessable", unless the
    person accepts the incomplete total (``--accept-incomplete``); then the baseline is compared on the
    same share of the materials (:func:`metrics`) and every output says so.
    """
    share = cover.mass_share_mapped + cover.mass_share_assumed
    complete = cover.completeness_met
    counted = (
        f"{share:.1%} of the mass counted, {cover.completeness_threshold:.0%} needed "
        f"({cover.completeness_clause})"
    )
    if complete:
        return EmbodiedGate(complete, share, False, False, "")
    if accept_incomplete:
        note = (
            f"embodied total accepted as incomplete (--accept-incomplete): {counted}; the baseline's "
            f"reference embodied is scaled to the same {share:.1%}"
        )
        return EmbodiedGate(complete, share, False, True, note)
    why = counted if complete is not None else cover.completeness_note
    note = (
        f"with embodied emissions: not assessable, the embodied total is incomplete ({why}); "
        "map or assume the missing materials, or accept it with --accept-incomplete"
    )
    return EmbodiedGate(complete, share, True, False, note)


def _break_even(
    pack: CriteriaPack,
    op: OperationalResult | None,
    energy: EnergyInput | None,
    totals: ModuleTotals,
    gfa: float | None,
    design_life: float,
    gate: EmbodiedGate,
    without: ModeResult,
) -> EmbodiedBreakEven:
    """Per tier, the upfront embodied intensity at which counting embodied emissions flips the verdict
    (:func:`bimcarbon.uncertainty.breakeven.embodied_break_even`), on the real :func:`metrics`."""

    def metrics_at(upfront_kg_per_m2: float) -> dict[str, float | None]:
        at = totals.model_copy(update={"upfront_a1_a5": upfront_kg_per_m2 * (gfa or 0.0)})
        return metrics(op, energy, at, gfa, design_life, True, gate.baseline_share)

    current = totals.upfront_a1_a5 / gfa if gfa else None
    return embodied_break_even(pack, metrics_at, current, without.verdicts, gate.note if gate.blocked else "")


def _modes(
    pack: CriteriaPack,
    op: OperationalResult | None,
    energy: EnergyInput | None,
    totals: ModuleTotals,
    gfa: float | None,
    design_life: float,
    gate: EmbodiedGate,
) -> tuple[ModeResult, ModeResult]:
    without_values = metrics(op, energy, totals, gfa, design_life, False)
    without = ModeResult(
        embodied_counted=False, metrics=without_values, verdicts=evaluate(pack, without_values)
    )
    # like for like: while the total is incomplete the baseline counts the same share of its reference
    with_values = metrics(op, energy, totals, gfa, design_life, True, gate.baseline_share)
    verdicts = evaluate(pack, with_values)
    if gate.blocked:
        verdicts = not_assessable(verdicts, gate.note)
    with_ = ModeResult(
        embodied_counted=True,
        metrics=with_values,
        verdicts=verdicts,
        embodied_complete=gate.complete,
        accepted_incomplete=gate.accepted,
        note=gate.note,
    )
    return without, with_
