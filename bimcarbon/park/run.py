"""A park assessed: read the park file, assess its buildings through an executor, roll them up.

``assess_park(path)`` returns a :class:`ParkRun`: the versioned :class:`ParkAssessment` (what the park
JSON holds, format ``bimcarbon.park``) and the buildings' outcomes. The same inputs give the same
assessment on any executor and with or without the cache: it holds no time, no path on this machine
(files are named as the park file writes them) and nothing about how it was run.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel

from bimcarbon import __version__
from bimcarbon.assess import TierChange
from bimcarbon.criteria import CriteriaPack, load_pack
from bimcarbon.energy_factors import FuelTable, GridFactor, load_fuels, load_grid, select_grid
from bimcarbon.errors import BimcarbonError
from bimcarbon.park.building import (
    BuildingOutcome,
    BuildingTask,
    assess_building,
    cache_problem,
    shipped_data_digest,
    source_digest,
)
from bimcarbon.park.coal import CoalBasis, coal_basis, load_coal
from bimcarbon.park.executors import map_in_order
from bimcarbon.park.rollup import (
    ElectricityBalance,
    EnergyConsumption,
    ParkMode,
    ParkPlausibility,
    ParkTotals,
    figures_from_assessment,
    loud_first,
    rollup,
)
from bimcarbon.park.spec import GridChoice, ParkEnergy, ParkFileError, ParkSpec, load_park

#: Version of the park JSON layout.
PARK_FORMAT_VERSION = 1
#: Cache folder beside the park file when none is given.
DEFAULT_CACHE_DIR = ".bimcarbon-cache"


class GridUsed(BaseModel):
    """The park's grid factor: the default of buildings that name none, and the value of the park's loads
    and exports."""

    id: str
    value_kgco2_per_kwh: float
    source: str
    status: str


class ParkAssessment(BaseModel):
    """The whole park assessment (JSON format ``bimcarbon.park``)."""

    format: str = "bimcarbon.park"
    format_version: int = PARK_FORMAT_VERSION
    tool_version: str = __version__
    name: str
    park_file: str
    parameters: dict[str, object]
    criteria_pack: str
    building_criteria_pack: str
    grid_factor: GridUsed
    buildings: list[BuildingOutcome]
    totals: ParkTotals
    balance: ElectricityBalance
    energy_consumption: EnergyConsumption
    metrics: dict[str, float | None]
    plausibility: ParkPlausibility
    without_embodied: ParkMode
    with_embodied: ParkMode
    changes: list[TierChange]
    warnings: list[str]


@dataclass
class ParkRun:
    """A park assessment and the park file it came from; ``cache_problem``: why the cache folder could not
    be used (the buildings were assessed without it), for the console, never in the assessment."""

    assessment: ParkAssessment
    spec: ParkSpec
    cache_problem: str = ""

    @property
    def cache_problems(self) -> list[str]:
        """Each cache problem once, with the buildings it touched (console lines)."""
        by_problem: dict[str, list[str]] = {}
        for outcome in self.assessment.buildings:
            if outcome.cache_problem:
                by_problem.setdefault(outcome.cache_problem, []).append(outcome.name)
        lines = []
        if self.cache_problem:
            lines.append(f"{self.cache_problem}: the buildings were assessed without it")
        return lines + [f"{problem} ({', '.join(names)})" for problem, names in by_problem.items()]

    @property
    def failed(self) -> list[BuildingOutcome]:
        """The buildings that could not be assessed."""
        return [b for b in self.assessment.buildings if b.status == "failed"]


def assess_park(
    park_path: str | Path,
    *,
    workers: int = 1,
    scheduler: str | None = None,
    accept_incomplete: bool = False,
    cache_dir: str | Path | None = None,
    use_cache: bool = True,
    done: Callable[[int, BuildingOutcome], object] | None = None,
) -> ParkRun:
    """Assess every building of a park and roll them up with the park's energy.

    Parameters
    ----------
    park_path
        The park file (YAML).
    workers
        Local processes assessing buildings at once (1: in this process).
    scheduler
        A Dask distributed scheduler's address: buildings are assessed on its workers.
    accept_incomplete
        Let the park's verdicts stand although buildings failed, and the buildings' with-embodied
        verdicts although their embodied totals are incomplete (marked in every output).
    cache_dir
        Where building outcomes and take-offs are kept (default: ``.bimcarbon-cache`` beside the park
        file); ``use_cache=False`` keeps nothing and reads nothing.
    done
        Called as each building ends, with its index and outcome (progress).

    Raises
    ------
    ParkFileError
        A bad park file, criteria pack or grid choice (one line naming the file and the field).
    """
    spec = load_park(park_path)
    park = spec.park
    park_pack = _checked(spec, "criteria", lambda: load_pack(spec.criteria, kind="park"))
    building_pack = _checked(spec, "building_criteria", lambda: load_pack(spec.building_criteria))
    year, region = (park.grid.year, park.grid.region) if park.grid else (None, None)
    grid = _checked(spec, "grid", lambda: select_grid(load_grid(), year, region))
    coal = coal_basis(load_coal(), park.park_energy.energy_to_coal)
    fuels = load_fuels()
    cache, problem = None, ""
    if use_cache:
        cache = str(
            Path(cache_dir if cache_dir is not None else spec.path.parent / DEFAULT_CACHE_DIR).resolve()
        )
        problem = cache_problem(cache)
        if problem:  # a cache that cannot be written costs time, never a result
            cache = None
    tasks = building_tasks(spec, accept_incomplete, cache)
    # on a cluster, every worker must read the files this machine reads (a file missing here is that
    # building's failure, on any executor); each model is read in a child process (isolated)
    files = [p for t in tasks for p in (t.model, t.energy, *t.mappings, *t.factor_files) if Path(p).is_file()]
    outcomes = map_in_order(
        assess_building,
        tasks,
        workers=workers,
        scheduler=scheduler,
        done=done,
        files=sorted(set(files)),
        starts_processes=True,
    )
    assessment = park_from_outcomes(
        park.name,
        spec.path.name,
        outcomes,
        park.park_energy,
        park_pack,
        building_pack,
        grid,
        grid_choice=park.grid,
        factor_files=[p.name for p in spec.factor_files],
        accept_incomplete=accept_incomplete,
        coal=coal,
        fuels=fuels,
    )
    return ParkRun(assessment, spec, problem)


def park_from_outcomes(
    name: str,
    park_file: str,
    outcomes: list[BuildingOutcome],
    park_energy: ParkEnergy,
    park_pack: CriteriaPack,
    building_pack: CriteriaPack,
    grid: GridFactor,
    *,
    grid_choice: GridChoice | None = None,
    factor_files: Sequence[str] = (),
    accept_incomplete: bool = False,
    coal: CoalBasis | None = None,
    fuels: FuelTable | None = None,
) -> ParkAssessment:
    """The park assessment of buildings already assessed: their outcomes rolled up with the park's energy.

    No model is read and no building is assessed: pure arithmetic over each outcome's assessment JSON
    (:func:`bimcarbon.park.rollup.rollup`), plus the shipped coal coefficients and fuel factors when
    ``coal`` and ``fuels`` are not given. :func:`assess_park` ends with it; the web app calls it with its
    runs' stored assessments.

    Parameters
    ----------
    name, park_file
        The park's name, and how its definition is named in the JSON (a file name, never a path).
    outcomes
        The buildings in the park's order, ``done`` with their assessment or ``failed`` with a reason.
    park_energy
        The park's own loads and supply, validated (:class:`~bimcarbon.park.spec.ParkEnergy`).
    park_pack, building_pack
        The park criteria pack, and the pack the buildings were assessed against.
    grid
        The park's grid factor (park loads and supply are valued at it); ``grid_choice`` is how it was
        chosen (None: the default), recorded in ``parameters``.
    factor_files
        Names of the factor files the buildings were given, recorded in ``parameters``.
    accept_incomplete
        Let the park's verdicts stand although buildings failed (marked).
    """
    coal = coal if coal is not None else coal_basis(load_coal(), park_energy.energy_to_coal)
    fuels = fuels if fuels is not None else load_fuels()
    figures = [figures_from_assessment(o.name, o.assessment) for o in outcomes if o.assessment is not None]
    failed = [o.name for o in outcomes if o.status == "failed"]
    result = rollup(figures, failed, park_energy, grid, fuels, coal, park_pack, accept_incomplete)
    failures = [f"{o.name}: failed: {o.error}" for o in outcomes if o.status == "failed"]
    warnings = loud_first(failures + result.warnings)  # IMPLAUSIBLE first, then failures
    return ParkAssessment(
        name=name,
        park_file=park_file,
        parameters={
            "criteria": park_pack.metadata.id,
            "building_criteria": building_pack.metadata.id,
            "grid": grid_choice.model_dump() if grid_choice else None,
            "factor_files": list(factor_files),
            "accept_incomplete": accept_incomplete,
            "park_energy": park_energy.model_dump(),
        },
        criteria_pack=f"{park_pack.metadata.id} ({park_pack.metadata.edition})",
        building_criteria_pack=f"{building_pack.metadata.id} ({building_pack.metadata.edition})",
        grid_factor=GridUsed(
            id=grid.id,
            value_kgco2_per_kwh=grid.value_kgco2_per_kwh,
            source=grid.source,
            status=grid.status.value,
        ),
        buildings=outcomes,
        totals=result.totals,
        balance=result.balance,
        energy_consumption=result.energy_consumption,
        metrics=result.metrics,
        plausibility=result.plausibility,
        without_embodied=result.without_embodied,
        with_embodied=result.with_embodied,
        changes=result.changes,
        warnings=warnings,
    )


def building_tasks(
    spec: ParkSpec, accept_incomplete: bool = False, cache: str | None = None
) -> list[BuildingTask]:
    """One task per building of the park ``spec`` (absolute paths; ``cache``: the cache folder, None for
    none), as :func:`assess_park` maps :func:`assess_building` over them."""
    park = spec.park
    year, region = (park.grid.year, park.grid.region) if park.grid else (None, None)
    data, code = shipped_data_digest(), source_digest()
    return [
        BuildingTask(
            name=b.name,
            model=str(b.model.resolve()),
            model_label=b.model_label,
            energy=str(b.energy.resolve()),
            energy_label=b.energy_label,
            mappings=tuple(str(p.resolve()) for p in b.mappings),
            mapping_labels=b.mapping_labels,
            factor_files=tuple(str(p.resolve()) for p in spec.factor_files),
            criteria=spec.building_criteria,
            default_grid=(year, region) if park.grid else None,
            accept_incomplete=accept_incomplete,
            cache_dir=cache,
            data_digest=data,
            code_digest=code,
            folder=str(spec.path.parent.resolve()),
        )
        for b in spec.buildings
    ]


def _checked(spec: ParkSpec, field: str, load: Callable):
    """``load()``, or a ParkFileError naming the park file and the field that chose what failed, and the
    pack as the park file names it (an id, or a file relative to the park file), never a path on this
    machine."""
    try:
        return load()
    except BimcarbonError as exc:
        message = str(exc)
        if exc.path is not None:
            written = getattr(spec.park, field, None)
            if not isinstance(written, str):
                label = exc.path.name
            elif Path(written).suffix:
                label = written
            else:
                label = f"criteria pack {written}"
            message = f"{label}: {exc.message}"
        raise ParkFileError(f"field {field!r}: {message}", spec.path) from None
