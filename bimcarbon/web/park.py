"""A park in the web app: finished runs of a project as its buildings, with the park's own energy.

A person uploads each building as a run (its model and its energy file), then defines the project's park
on its park page: which runs are its buildings, the park's energy (the ``park_energy`` fields of a park
file, through the same bounds), the park criteria pack, the park's grid and whether failed buildings are
accepted. The definition is stored with the project (:meth:`bimcarbon.web.store.Store.set_park`); the
park assessment is rolled up whenever it is asked for, from the runs' stored assessment JSON, by
:func:`bimcarbon.park.run.park_from_outcomes`: pure arithmetic, no worker, no queue. A run's assessment
never changes (a re-run is a new run), so the same definition always gives the same park JSON.

A run that failed is a failed building with its message, as ``bimcarbon park`` lists a failed building; a
run still queued or running, one without energy figures, two runs of the same name, or runs assessed
against different building criteria packs are refused when the park is defined. A run deleted since is a
failed building ("the run was deleted").
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from bimcarbon.criteria import DEFAULT_PACK, load_pack, shipped_packs
from bimcarbon.energy_factors import GridFactor, load_grid, select_grid
from bimcarbon.errors import BimcarbonError
from bimcarbon.park.building import BuildingOutcome
from bimcarbon.park.run import ParkAssessment, park_from_outcomes
from bimcarbon.park.spec import (
    DEFAULT_PARK_PACK,
    KWH_PER_CERTIFICATE,
    MAX_PARK_CARBON_T,
    MAX_PARK_ENERGY_KWH,
    STATED_COAL_RANGE_KGCE_PER_KWH,
    GridChoice,
    ParkEnergy,
    park_bound_problems,
)
from bimcarbon.web import jobs
from bimcarbon.web.rerun import number
from bimcarbon.web.store import Store, clean_name
from bimcarbon.web.uploads import UploadError

#: How the park JSON's ``park_file`` names a park defined in the web app (it has no file).
PARK_FILE = "park defined in the web app"
#: Buildings a park of the web app may have (our limit: every page rolls them all up from their JSON).
MAX_PARK_RUNS = 500


@dataclass(frozen=True)
class EnergyField:
    """A park-energy figure of the form: its field, its place in ``park_energy``, its label (English, the
    key of its translation) and its unit as the bounds say it."""

    form: str
    path: tuple[str, ...]
    label: str


#: The park-energy figures of the park form, in the park file's order.
ENERGY_FIELDS = (
    EnergyField("pe_electricity_kwh", ("electricity_kwh",), "Shared and process electricity, kWh"),
    EnergyField("pe_natural_gas_m3", ("fuels", "natural_gas_m3"), "Natural gas, m3"),
    EnergyField("pe_district_heat_gj", ("fuels", "district_heat_gj"), "District heat, GJ"),
    EnergyField(
        "pe_district_heat_kgco2_per_gj", ("district_heat_kgco2_per_gj",), "District heat factor, kgCO2/GJ"
    ),
    EnergyField("pe_diesel_kg", ("fuels", "diesel_kg"), "Diesel, kg"),
    EnergyField("pe_gasoline_kg", ("fuels", "gasoline_kg"), "Gasoline, kg"),
    EnergyField("pe_lpg_kg", ("fuels", "lpg_kg"), "LPG, kg"),
    EnergyField("pe_coal_kg", ("fuels", "coal_kg"), "Coal, kg"),
    EnergyField("pe_pv_kwh", ("renewables", "pv_kwh"), "Park PV generation, kWh"),
    EnergyField("pe_wind_kwh", ("renewables", "wind_kwh"), "Park wind generation, kWh"),
    EnergyField("pe_green_electricity_kwh", ("green_electricity_kwh",), "Direct green electricity, kWh"),
    EnergyField("pe_green_certificates", ("green_certificates",), "Green certificates (1 = 1,000 kWh)"),
    EnergyField("pe_offsets_tco2e", ("offsets_tco2e",), "Offsets, tCO2e"),
)
#: The form's other text fields, shown again after a refusal.
OTHER_FIELDS = ("park_name", "criteria", "grid", "pe_coal_basis", "pe_kgce_per_kwh")


class ParkDefinition(BaseModel):
    """What a park of the web app is made of (the JSON API takes it as it is)."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200)
    criteria: str = DEFAULT_PARK_PACK
    runs: list[str] = Field(min_length=1, max_length=MAX_PARK_RUNS)
    park_energy: ParkEnergy = Field(default_factory=ParkEnergy)
    grid: GridChoice | None = None
    accept_incomplete: bool = False


def park_packs() -> list[str]:
    """Ids of the shipped park criteria packs (only these can be chosen: no paths from a request)."""
    return shipped_packs("park")


def grid_choices() -> list[tuple[str, str, float]]:
    """The average grid factors a park may be valued at: (``year:region`` form value, id, kgCO2/kWh)."""
    return [
        (f"{f.year}:{f.region or ''}", f.id, f.value_kgco2_per_kwh)
        for f in load_grid().factors
        if f.basis == "average"
    ]


def default_grid() -> GridFactor:
    """The grid factor of a park that names none (the same default as a building's)."""
    return select_grid(load_grid())


# ---- reading a definition -------------------------------------------------------------------------------


def from_api(body: object) -> ParkDefinition:
    """The JSON API's park: ``{"name", "runs": [run ids], "park_energy": {... as in a park file},
    "criteria", "grid": {"year", "region"}, "accept_incomplete"}``; one line naming the field otherwise."""
    if not isinstance(body, Mapping):
        raise UploadError("expected a JSON object")
    try:
        return ParkDefinition(**body)
    except ValidationError as exc:
        raise UploadError(_field_error(exc)) from None
    except TypeError as exc:  # a key that is not text
        raise UploadError(str(exc)) from None


def from_form(form: Mapping[str, object], runs: list[str], project_name: str) -> ParkDefinition:
    """The park page's form: ``run`` (each chosen run, in the page's order), ``park_name``, ``criteria``,
    ``grid`` (``year:region``, empty: the default), the figures of :data:`ENERGY_FIELDS`, ``pe_coal_basis``
    (``equivalent`` or ``stated``) with ``pe_kgce_per_kwh``, ``accept_incomplete``. A refusal names the
    figure as the form labels it (its translation key and values)."""
    energy: dict[str, object] = {}
    for f in ENERGY_FIELDS:
        value = number(form.get(f.form), f.label)
        if value is None:
            continue
        if value < 0:
            raise UploadError(
                "{what} must be 0 or more, not {typed}", values={"what": f.label, "typed": value}
            )
        if f.form == "pe_green_certificates":
            if value != int(value):
                raise UploadError(
                    "{what} must be a whole number, not {typed}",
                    values={"what": f.label, "typed": f"{value:g}"},
                )
            value = int(value)
        node = energy
        for key in f.path[:-1]:
            node = node.setdefault(key, {})  # type: ignore[assignment]
        node[f.path[-1]] = value
    basis = str(form.get("pe_coal_basis") or "equivalent")
    if basis == "stated":
        what = "Electricity to standard coal, stated kgce/kWh"
        stated = number(form.get("pe_kgce_per_kwh"), what)
        low, high = STATED_COAL_RANGE_KGCE_PER_KWH
        if stated is None:
            raise UploadError("state the kgce/kWh, or choose the equivalent value")
        if not low <= stated <= high:
            raise UploadError(
                "{value} kgce/kWh is no coal-to-electricity coefficient ({low} to {high}: from the "
                "electricity's own energy content to a plant of 12 % efficiency)",
                values={"value": f"{stated:g}", "low": f"{low:g}", "high": f"{high:g}"},
            )
        energy["energy_to_coal"] = stated
    elif basis != "equivalent":
        raise UploadError("the coal basis is equivalent or stated")
    _check_bounds(energy)
    grid = None
    chosen = str(form.get("grid") or "")
    if chosen:
        year, _, region = chosen.partition(":")
        if not year.isdigit():
            raise UploadError("unknown grid factor {grid}", values={"grid": repr(chosen)})
        grid = {"year": int(year), "region": region or None}
    return from_api(
        {
            "name": clean_name(str(form.get("park_name") or "")) or project_name,
            "criteria": str(form.get("criteria") or DEFAULT_PARK_PACK),
            "runs": runs,
            "park_energy": energy,
            "grid": grid,
            "accept_incomplete": form.get("accept_incomplete") in ("on", "true", "1", "yes"),
        }
    )


def _check_bounds(energy: dict) -> None:
    """The park file's bounds (:func:`bimcarbon.park.spec.park_bound_problems`), said with the form's
    label of the figure."""
    problems = park_bound_problems(ParkEnergy.model_construct(**_constructed(energy)))
    if not problems:
        return
    where, _message, value = problems[0]
    label = next((f.label for f in ENERGY_FIELDS if f.path == where), ".".join(where))
    if where == ("offsets_tco2e",):
        limit = f"{MAX_PARK_CARBON_T:g} t"
    elif where == ("district_heat_kgco2_per_gj",):
        limit = "1,000 kgCO2/GJ"
    elif where == ("green_certificates",):
        limit = f"{MAX_PARK_ENERGY_KWH / KWH_PER_CERTIFICATE:g}"
    else:
        limit = f"{MAX_PARK_ENERGY_KWH:g} kWh"
    raise UploadError(
        "{what}: {value} a year is more than any park uses, makes or emits (at most {limit}): a typing "
        "error?",
        values={"what": label, "value": f"{value:g}", "limit": limit},
    )


def _constructed(energy: dict) -> dict:
    """``park_energy`` as typed, with its nested parts as models (for the bounds, before validation)."""
    from bimcarbon.park.spec import ParkFuels, ParkRenewables

    values = dict(ParkEnergy().model_dump()) | {k: v for k, v in energy.items() if not isinstance(v, dict)}
    values["fuels"] = ParkFuels.model_construct(**(ParkFuels().model_dump() | energy.get("fuels", {})))
    values["renewables"] = ParkRenewables.model_construct(
        **(ParkRenewables().model_dump() | energy.get("renewables", {}))
    )
    return values


def _field_error(exc: ValidationError) -> str:
    """``field 'park_energy.renewables.pv_kwh': message`` for the first problem (an unknown key first)."""
    errors = exc.errors()
    first = next((e for e in errors if e.get("type") == "extra_forbidden"), errors[0])
    where = ".".join(str(p) for p in first.get("loc", ()) if not str(p).startswith("function-")) or "?"
    return f"field {where!r}: {first.get('msg', 'invalid')}"


# ---- checking it against the project --------------------------------------------------------------------


def check(store: Store, project_id: str, park: ParkDefinition) -> None:
    """Refuse a park the project cannot make (one line, its translation key and values; 409 for a run
    still in progress): an unknown pack or grid, a run chosen twice or of another project, a run queued or
    running, a finished run without energy figures, two buildings of the same name, runs assessed against
    different building criteria packs."""
    if park.criteria not in park_packs():
        raise UploadError("unknown park criteria pack {pack}", values={"pack": repr(park.criteria)})
    if park.grid is not None:
        try:
            select_grid(load_grid(), park.grid.year, park.grid.region)
        except BimcarbonError:
            raise UploadError(
                "unknown grid factor {grid}", values={"grid": f"{park.grid.year} {park.grid.region or ''}"}
            ) from None
    seen: dict[str, str] = {}
    packs: set[str] = set()
    for run_id in park.runs:
        run = store.run(run_id)
        if run is None or run["project_id"] != project_id:
            raise UploadError("run {run} is not a run of this project", values={"run": repr(run_id)})
        if run_id in seen.values():
            raise UploadError("run {name} is chosen twice", values={"name": run["name"]})
        if run["status"] in ("queued", "running"):
            raise UploadError(
                "{name} is still {status}: a park is made of finished runs; wait until it has finished",
                values={"name": run["name"], "status": run["status"]},
                status=409,
            )
        key = run["name"].casefold()
        if key in seen:
            raise UploadError(
                "two buildings are named {name}: rename one of the runs (on its page)",
                values={"name": run["name"]},
            )
        seen[key] = run_id
        if run["status"] == "done":
            a = jobs.read_assessment(store, run_id) or {}
            if not (a.get("parameters") or {}).get("energy"):
                raise UploadError(
                    "{name} has no energy figures: give them on its page (a re-run) before it joins a park",
                    values={"name": run["name"]},
                )
            packs.add(run["parameters"].get("criteria", DEFAULT_PACK))
    if len(packs) > 1:
        raise UploadError(
            "the runs were assessed against different building criteria packs ({packs}): a park's "
            "buildings share one",
            values={"packs": ", ".join(sorted(packs))},
        )


# ---- the park assessment ---------------------------------------------------------------------------------


def outcome(store: Store, project_id: str, run_id: str, name: str) -> BuildingOutcome:
    """The run ``run_id`` as a building of the park: ``done`` with its stored assessment, or ``failed``
    with the run's message (a run deleted since, or one of another project: "the run was deleted";
    ``name``: the name it had when the park was defined)."""
    run = store.run(run_id)
    if run is None or run["project_id"] != project_id:
        return _failed(name, "", "the run was deleted")
    p = run["parameters"]
    model = str(p.get("model_name") or "model.ifc")
    if run["status"] == "done":
        a = jobs.read_assessment(store, run_id)
        if a is None:
            return _failed(run["name"], model, "its assessment file is missing")
        given = a.get("parameters") or {}
        return BuildingOutcome(
            name=run["name"],
            status="done",
            model=model,
            energy=str(given.get("energy_file") or ""),
            mapping=[str(m) for m in given.get("mappings") or []],
            model_sha256=run["upload_sha256"],
            inputs_digest=None,
            error=None,
            assessment=a,
        )
    if run["status"] == "failed":
        return _failed(run["name"], model, " ".join((run["message"] or "failed").split()))
    return _failed(run["name"], model, f"still {run['status']}")


def _failed(name: str, model: str, reason: str) -> BuildingOutcome:
    return BuildingOutcome(
        name=name,
        status="failed",
        model=model,
        energy="",
        mapping=[],
        model_sha256=None,
        inputs_digest=None,
        error=reason,
        assessment=None,
    )


def assess(store: Store, project_id: str, park: ParkDefinition, names: Mapping[str, str]) -> ParkAssessment:
    """The park assessment of a stored definition (``names``: each run's name when it was defined).

    The buildings' pack is the one their runs were assessed against (the default pack when none is
    finished). ``parameters.runs`` holds the run ids, in the park's order.
    """
    outcomes = [outcome(store, project_id, r, names.get(r, r)) for r in park.runs]
    packs = sorted(
        {
            (o.assessment.get("parameters") or {}).get("criteria") or DEFAULT_PACK
            for o in outcomes
            if o.assessment is not None
        }
    )
    grid = (
        select_grid(load_grid(), park.grid.year, park.grid.region)
        if park.grid is not None
        else default_grid()
    )
    result = park_from_outcomes(
        park.name,
        PARK_FILE,
        outcomes,
        park.park_energy,
        load_pack(park.criteria, kind="park"),
        load_pack(packs[0] if packs else DEFAULT_PACK),
        grid,
        grid_choice=park.grid,
        accept_incomplete=park.accept_incomplete,
    )
    result.parameters["runs"] = list(park.runs)
    return result


# ---- the form, filled ------------------------------------------------------------------------------------


def form_values(park: ParkDefinition | None) -> dict[str, str]:
    """The park form's fields as text, from a stored definition (empty figures where it has none)."""
    if park is None:
        return {"pe_coal_basis": "equivalent"}
    energy = park.park_energy.model_dump()
    values: dict[str, str] = {"park_name": park.name, "criteria": park.criteria}
    for f in ENERGY_FIELDS:
        node: object = energy
        for key in f.path:
            node = node.get(key) if isinstance(node, dict) else None
        if node:
            values[f.form] = f"{node:g}" if isinstance(node, float) else str(node)
    stated = park.park_energy.energy_to_coal
    values["pe_coal_basis"] = "equivalent" if stated == "equivalent" else "stated"
    values["pe_kgce_per_kwh"] = "" if stated == "equivalent" else f"{stated:g}"
    values["grid"] = f"{park.grid.year}:{park.grid.region or ''}" if park.grid and park.grid.year else ""
    values["accept_incomplete"] = "on" if park.accept_incomplete else ""
    return values


def typed(form: Mapping[str, object]) -> dict[str, str]:
    """What a person typed in the park form, to show it again with a refusal (all text)."""
    keys = [f.form for f in ENERGY_FIELDS] + list(OTHER_FIELDS) + ["accept_incomplete"]
    return {key: str(form.get(key) or "") for key in keys}
