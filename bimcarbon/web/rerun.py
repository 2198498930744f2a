"""Fixing a run in the browser: choose factors for the materials left out (with a density where the
model gives none), edit the floor area and the energy figures, and assess the same upload again.

The choices become rules of the new run's ``mapping_in.yaml`` (ids ``accepted-<n>``, read back to show
them on the run page); the figures its ``energy.yaml``. Nothing here touches the database beyond adding
the run: what a run was given lives in its folder's files.
"""

from __future__ import annotations

import copy
import json
import math
import re
import shutil
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from bimcarbon.factors import Status
from bimcarbon.web.store import Admission, Store
from bimcarbon.web.uploads import UploadError

#: Best suggestion score (rapidfuzz WRatio, 0-100) at which a suggestion is filled in for the person to
#: accept. WRatio scores a name found inside a factor's name at 0.9 x its partial ratio, so anything up to
#: 90 can be "the name is one word of the factor's name": "Aluminium" scores 90 against an aluminium
#: *window*, "Concrete" 90 against C30 concrete (one of five grades), a formula-like "@SUM(concrete)"
#: and "Door - Panel" 86 against C30 concrete and an aluminium composite panel. Scores of 95 and more
#: need the whole names to agree ("Natural gypsum" 100, "Rock-wool board" 100, "Aluminium sheet" 95).
#: Lower suggestions are shown, never filled in; so are ties at the top (the name does not choose).
PREFILL_MIN_SCORE = 95.0

#: What a density typed in the web app is said to come from (``density_source`` of the rule).
DENSITY_SOURCE = "given in the web app"
#: Densities a person may type, kg/m3: from the lightest foams to above the densest metals.
DENSITY_RANGE_KG_PER_M3 = (1.0, 25000.0)
#: Rule ids of the choices made in the web app.
CHOICE_ID = "accepted-"
#: Most choices (and withdrawn choices) one re-run may hold. A model names a few hundred materials at most;
#: the limit keeps a hostile request from making a mapping file of millions of rules (each rule is tried
#: against each material part of the model).
MAX_CHOICES = 2000
#: Fields the run page's form may send: a material name, a factor and a density per choice, and the
#: energy figures (more are refused by the form parser, before any is read).
MAX_FORM_FIELDS = 3 * MAX_CHOICES + 50
#: What the assessment calls the material of elements that have none (and an empty name): no choice can
#: match them by name.
NO_NAME = frozenset({"", "(no material)"})
#: Material names a refusal lists (the rest are counted).
SHOWN_NAMES = 5


@dataclass(frozen=True)
class EnergyField:
    """A figure of the energy file that the forms let a person type."""

    form: str  #: field name in the upload form and the re-run form
    api: str  #: key in the JSON API's ``energy`` object
    section: str | None  #: section of the energy file (None: top level)
    key: str  #: key in that section


ENERGY_FIELDS = (
    EnergyField("e_floor_area_m2", "gross_floor_area_m2", None, "gross_floor_area_m2"),
    EnergyField("e_electricity_kwh", "electricity_kwh", "annual", "electricity_kwh"),
    EnergyField("e_natural_gas_m3", "natural_gas_m3", "annual", "natural_gas_m3"),
    EnergyField("e_pv_self_consumed_kwh", "pv_self_consumed_kwh", "renewables", "pv_self_consumed_kwh"),
    EnergyField("e_pv_exported_kwh", "pv_exported_kwh", "renewables", "pv_exported_kwh"),
    EnergyField("e_green_electricity_kwh", "green_electricity_kwh", None, "green_electricity_kwh"),
    EnergyField("e_offsets_tco2e", "offsets_tco2e_per_year", None, "offsets_tco2e_per_year"),
    EnergyField(
        "e_baseline_intensity", "baseline_intensity_kg_per_m2a", "baseline", "carbon_intensity_kg_per_m2a"
    ),
)
BUILDING_TYPES = ("public", "residential")


@dataclass(frozen=True)
class Choice:
    """A factor for a material (by its exact name), with the density to weigh it by, kg/m3."""

    material: str
    factor: str
    density_kg_per_m3: float | None = None


@dataclass
class Wanted:
    """What a person asks of a re-run.

    ``removed`` names materials whose earlier choice is withdrawn. ``energy`` holds the figures sent (by
    API key; None: cleared); a figure not sent stays as it was.
    """

    choices: list[Choice] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    energy: dict[str, float | None] = field(default_factory=dict)
    building_type: str | None = None


# ---- reading what the person typed ---------------------------------------------------------------------
def number(text: object, what: str) -> float | None:
    """A typed number: empty is None; ``1 200``, ``1,200.5`` and ``1200`` are read; anything else is an
    :class:`UploadError` naming the field."""
    if text is None:
        return None
    if isinstance(text, int | float) and not isinstance(text, bool):
        value = float(text)
    else:
        raw = str(text).strip().replace(" ", "").replace("\u00a0", "").replace("_", "")
        if not raw:
            return None
        if re.fullmatch(r"[+]?\d{1,3}(,\d{3})+(\.\d+)?", raw):
            raw = raw.replace(",", "")
        try:
            value = float(raw)
        except ValueError:
            raise UploadError(
                "{what} must be a number, not {typed}", values={"what": what, "typed": repr(str(text))}
            ) from None
    if not math.isfinite(value):
        raise UploadError(
            "{what} must be a number, not {typed}", values={"what": what, "typed": repr(str(text))}
        )
    return value


def density(text: object, material: str) -> float | None:
    """A typed density in kg/m3 (None when empty), within :data:`DENSITY_RANGE_KG_PER_M3`."""
    value = number(text, f"the density of {material!r}")
    low, high = DENSITY_RANGE_KG_PER_M3
    if value is not None and not low <= value <= high:
        raise UploadError(
            "the density of {material} must be between {low} and {high} kg/m3 (it is {value})",
            values={
                "material": repr(material),
                "low": f"{low:g}",
                "high": f"{high:g}",
                "value": f"{value:g}",
            },
        )
    return value


def from_form(form: Mapping[str, object]) -> Wanted:
    """What the run page's form asks: ``material-<i>``, ``factor-<i>``, ``density-<i>`` per material
    left out and per earlier choice (``<i>`` is ``c<n>`` for those: emptied, the choice is withdrawn), and
    the energy fields (only those the form holds are changed)."""
    _check_count(sum(1 for key in form if key.startswith("factor-")))
    wanted = Wanted()
    for key in form:
        if not key.startswith("factor-"):
            continue
        index = key.removeprefix("factor-")
        material = str(form.get(f"material-{index}", ""))
        factor = str(form.get(key) or "").strip()
        given = density(form.get(f"density-{index}"), material)
        if not factor:
            if given is not None:
                raise UploadError(
                    "choose a factor for {material} to use the density you gave",
                    values={"material": repr(material)},
                )
            if index.startswith("c"):
                wanted.removed.append(material)
            continue
        wanted.choices.append(Choice(material, factor, given))
    for f in ENERGY_FIELDS:
        if f.form in form:
            wanted.energy[f.api] = number(form.get(f.form), f.key)
    if form.get("e_building_type"):
        wanted.building_type = str(form.get("e_building_type"))
    return wanted


def from_api(body: Mapping[str, object]) -> Wanted:
    """What the JSON API asks: ``{material: factor id}`` as before, or ``{"choices": {material: factor id
    or {"factor": id, "density_kg_per_m3": D} or null (withdraw an earlier choice)}, "energy":
    {"gross_floor_area_m2": A, ...}}``."""
    if not isinstance(body, Mapping):
        raise UploadError("expected a JSON object")
    if all(isinstance(v, str) for v in body.values()):
        _check_count(len(body))
        return Wanted([Choice(m, f.strip()) for m, f in body.items() if f.strip()])
    unknown = sorted(set(body) - {"choices", "energy"})
    if unknown:
        raise UploadError("unknown field(s): {names}", values={"names": ", ".join(unknown)})
    wanted = Wanted()
    choices = body.get("choices") or {}
    if not isinstance(choices, Mapping):
        raise UploadError("choices must map material names to factor ids")
    _check_count(len(choices))
    for material, choice in choices.items():
        if choice is None:
            wanted.removed.append(material)
            continue
        if isinstance(choice, str):
            choice = {"factor": choice}
        if not isinstance(choice, Mapping) or not isinstance(choice.get("factor", ""), str):
            raise UploadError("choices must map material names to factor ids")
        factor = str(choice.get("factor") or "").strip()
        if factor:
            wanted.choices.append(
                Choice(material, factor, density(choice.get("density_kg_per_m3"), material))
            )
    energy = body.get("energy") or {}
    if not isinstance(energy, Mapping):
        raise UploadError("energy must be an object of figures")
    names = {f.api: f for f in ENERGY_FIELDS}
    for key, value in energy.items():
        if key == "building_type":
            wanted.building_type = str(value)
        elif key in names:
            wanted.energy[key] = number(value, key)
        else:
            raise UploadError("unknown energy figure {name}", values={"name": repr(key)})
    return wanted


def energy_from_form(form: Mapping[str, object]) -> dict | None:
    """An energy file's fields from the upload form's energy fields, or None when none is filled."""
    figures = {f.api: number(form.get(f.form, ""), f.key) for f in ENERGY_FIELDS}
    return edit_energy(None, figures, str(form.get("e_building_type") or "public"))


def typed(form: Mapping[str, object]) -> dict:
    """What a person typed in the run page's form, to show it again with an error (all text)."""
    by_material: dict[str, dict[str, str]] = {}
    for key in form:
        if key.startswith("material-"):
            index = key.removeprefix("material-")
            by_material[str(form.get(key))] = {
                "factor": str(form.get(f"factor-{index}", "")),
                "density": str(form.get(f"density-{index}", "")),
            }
    energy = {f.form: str(form.get(f.form, "")) for f in ENERGY_FIELDS if f.form in form}
    return {"materials": by_material, "energy": energy, "building_type": str(form.get("e_building_type", ""))}


# ---- the energy file ----------------------------------------------------------------------------------
def edit_energy(
    document: dict | None, figures: Mapping[str, float | None], building_type: str | None
) -> dict | None:
    """The energy file with ``figures`` (by API key; None removes the figure) and the building type set.

    Without an energy file and nothing typed there is still none (the model's floor area, no operation).
    A figure as it was leaves the file as it was; a new baseline intensity replaces baseline carriers in
    the file (they would win over it).
    """
    if building_type is not None and building_type not in BUILDING_TYPES:
        raise UploadError("the building type must be public or residential")
    given = {k: v for k, v in figures.items() if v is not None}
    if document is None and not given:
        return None
    doc = copy.deepcopy(document) if document is not None else {}
    doc["building_type"] = building_type or doc.get("building_type") or "public"
    for f in ENERGY_FIELDS:
        if f.api not in figures:
            continue
        value = figures[f.api]
        if f.section is None:
            target = doc
        else:
            if not isinstance(doc.get(f.section), dict):
                doc[f.section] = {}
            target = doc[f.section]
        before = target.get(f.key)
        if value is None:
            if before is not None:
                del target[f.key]
        elif value != before:
            target[f.key] = value
            if f.section == "baseline":
                target.pop("carriers", None)
    for section in ("annual", "renewables", "baseline"):
        if doc.get(section) == {}:
            del doc[section]
    from pydantic import ValidationError

    from bimcarbon.datafile import field_error
    from bimcarbon.energy import EnergyInput

    try:
        EnergyInput(**doc)
    except ValidationError as exc:
        raise UploadError(field_error(exc)) from None
    return doc


def energy_values(document: dict | None) -> dict[str, str]:
    """The figures of an energy file as the forms show them (by form field name)."""
    values: dict[str, str] = {}
    for f in ENERGY_FIELDS:
        section = document if f.section is None else (document or {}).get(f.section)
        value = section.get(f.key) if isinstance(section, dict) else None
        if isinstance(value, int | float) and not isinstance(value, bool):
            values[f.form] = str(int(value)) if float(value).is_integer() else repr(float(value))
    return values


def _read_yaml(path: Path) -> dict | None:
    if not path.exists():
        return None
    loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
    return loaded if isinstance(loaded, dict) else None


# ---- the factors --------------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def library():
    """The shipped factor library (the one the web app's runs use), loaded once."""
    from bimcarbon.factors import load_library

    return load_library()


def search_factors(text: str, limit: int = 20) -> list:
    """Factors whose id, English or Chinese name or category holds every word of ``text``: an exact id
    first, then names starting with the text, then the rest by id. Empty text: all factors."""
    lib = library()
    needle = text.strip().lower()
    found = list(lib.by_id.values())
    for word in needle.split():
        hits = {f.id for f in lib.search(word)}
        found = [f for f in found if f.id in hits]

    def rank(f) -> tuple:
        names = (f.id, f.name_en.lower(), f.name_zh)
        return (f.id != needle, not any(n.startswith(needle) for n in names), f.id)

    return sorted(found, key=rank)[: max(1, limit)]


def factor_json(f) -> dict:
    """What the picker shows of a factor."""
    return {
        "id": f.id,
        "name_en": f.name_en,
        "name_zh": f.name_zh,
        "category": f.category,
        "declared_unit": f.declared_unit,
        "value_kgco2e_per_unit": f.value_kgco2e_per_unit,
        "module": f.module,
        "density_kg_per_m3": f.density_kg_per_m3,
        "status": f.status.value,
    }


def factor_label(f, lang: str) -> str:
    """One line for a factor: name (both languages), value per declared unit, default density, status."""
    status = _labels(lang).get(f.status.value, f.status.value)
    name = (
        f"{f.name_zh} · {f.name_en}"
        if lang == "zh" and f.name_zh
        else f"{f.name_en} · {f.name_zh}".rstrip(" ·")
    )
    dens = (
        f"{f.density_kg_per_m3:g} kg/m3"
        if f.density_kg_per_m3
        else ("无默认密度" if lang == "zh" else "no default density")
    )
    return f"{name} · {f.value_kgco2e_per_unit:g} kgCO2e/{f.declared_unit} · {dens} · {status}"


def _check_count(count: int) -> None:
    """Refuse more than :data:`MAX_CHOICES` choices before reading any of them."""
    if count > MAX_CHOICES:
        raise UploadError(
            "at most {limit} choices in one re-run (this one has {n})",
            values={"limit": MAX_CHOICES, "n": count},
        )


def run_materials(store: Store, run: dict) -> set[str]:
    """The material names a re-run of ``run`` may choose factors for: those its assessment left out or
    assessed (``assessment.json``), and those it was given choices for. Empty for a run without an
    assessment (not finished, or failed)."""
    names = {c.material for c in applied_choices(store.run_dir(run["id"]))}
    path = store.run_dir(run["id"]) / "assessment.json"
    if run.get("status") == "done" and path.exists():
        a = json.loads(path.read_text(encoding="utf-8"))
        names |= {str(m.get("material")) for m in (a.get("coverage") or {}).get("unmapped") or []}
        names |= {str(m.get("material")) for m in a.get("by_material") or []}
    return names


def check_choices(
    choices: list[Choice], materials: Collection[str] | None = None, removed: Collection[str] = ()
) -> None:
    """Refuse the whole re-run (naming what is wrong) for more than :data:`MAX_CHOICES` choices, factor
    ids not in the library, or material names (chosen or withdrawn) not among ``materials`` (see
    :func:`run_materials`; None: not checked). Linear in the number of choices."""
    _check_count(len(choices) + len(removed))
    lib = library()
    unknown = sorted({c.factor for c in choices if c.factor not in lib.by_id})
    if unknown:
        shown = unknown[:SHOWN_NAMES]
        more = f" (and {len(unknown) - len(shown)} more)" if len(unknown) > len(shown) else ""
        raise UploadError("unknown factor id(s): {ids}", values={"ids": ", ".join(shown) + more})
    nameless = [m for m in [*(c.material for c in choices), *removed] if m.strip() in NO_NAME]
    if nameless:
        raise UploadError(
            "elements without a material name cannot be given a factor here (a choice matches a material "
            "by its name): name their material in the model, or map them with a rule on their IFC class"
        )
    if materials is None:
        return
    known = set(materials)
    strangers = list(dict.fromkeys(m for m in [*(c.material for c in choices), *removed] if m not in known))
    if strangers:
        shown = ", ".join(repr(m[:100]) for m in strangers[:SHOWN_NAMES])
        if len(strangers) > SHOWN_NAMES:
            shown += f" (and {len(strangers) - SHOWN_NAMES} more)"
        raise UploadError(
            "no material named {names} in this run: choose among the materials it left out or assessed",
            values={"names": shown},
        )


# ---- suggestions --------------------------------------------------------------------------------------
_SUGGESTION = re.compile(r"([a-z0-9_]+) \((\d+(?:\.\d+)?)\)")
#: Names a spreadsheet would run (= + - @ first) or that read as code (a function call, markup).
_CODE = re.compile(r"^\s*[=+\-@]|[A-Za-z_][\w.]*\(|[{}<>$`\\]")
#: Names an authoring tool gives when nobody chose a material.
_PLACEHOLDER = re.compile(
    r"^\s*(default\b.*|undefined\b.*|unknown|unnamed|untitled|none|null|n/?a|generic|material|new material"
    r"|<?by category>?|test material.*|默认.*|缺省.*|材质\s*\d*|[\W\d_]*)\s*$",
    re.IGNORECASE,
)


def looks_like_code(name: str) -> bool:
    """Whether a material name looks like a formula, code or a placeholder, never a material's name."""
    return bool(_CODE.search(name) or _PLACEHOLDER.match(name))


def suggestions(text: str) -> list[tuple[str, float]]:
    """``[(factor id, score)]`` from the coverage's ``suggestions`` text (``id (86); id2 (60)``)."""
    return [(fid, float(score)) for fid, score in _SUGGESTION.findall(text or "")]


def prefill(material: str, status: str, suggested: list[tuple[str, float]]) -> str:
    """The factor filled in for a material left out: the best suggestion when it is sure enough (see
    :data:`PREFILL_MIN_SCORE`), the only one at its score, for a name that is not formula-like; else ""."""
    if "unmatched" not in status.split("; ") or not suggested or looks_like_code(material):
        return ""
    best_id, best = suggested[0]
    if best < PREFILL_MIN_SCORE or sum(1 for _, s in suggested if s == best) > 1:
        return ""
    return best_id


# ---- the choices of a run -----------------------------------------------------------------------------
def applied_choices(folder: Path) -> list[Choice]:
    """The choices made in the web app for the run in ``folder``: its ``accepted-*`` rules."""
    document = _read_yaml(folder / "mapping_in.yaml") or {}
    out = []
    for rule in document.get("rules") or []:
        if not isinstance(rule, dict) or not str(rule.get("id", "")).startswith(CHOICE_ID):
            continue
        use = (rule.get("use") or [{}])[0]
        for material in (rule.get("when") or {}).get("material_exact") or []:
            out.append(Choice(str(material), str(use.get("factor", "")), use.get("density_kg_per_m3")))
    return out


def mapping_with(previous: dict | None, choices: list[Choice], removed: list[str] = ()) -> dict:
    """A mapping document: one ``accepted-<n>`` rule per choice, in front of the earlier rules (an
    earlier choice made here for the same material gives way, a withdrawn one goes, a rule of an
    uploaded mapping file stays as it is; rule ids stay unique)."""
    document = copy.deepcopy(previous) if previous else {}
    document.setdefault(
        "metadata", {"id": "web-choices", "title": "factors chosen in the web app", "version": "1"}
    )
    chosen, withdrawn = {c.material for c in choices}, set(removed)

    def materials(rule: dict) -> set[str]:
        return set((rule.get("when") or {}).get("material_exact") or [])

    def made_here(rule: dict) -> bool:
        return str(rule.get("id", "")).startswith(CHOICE_ID)

    # the new choices go in front (the first rule that holds decides), so a rule of an uploaded mapping
    # file stays whole, also for its other materials; only a choice made here is replaced or withdrawn
    kept = [
        r
        for r in document.get("rules") or []
        if isinstance(r, dict) and not (made_here(r) and materials(r) & (chosen | withdrawn))
    ]
    taken = {str(r.get("id")) for r in kept}
    rules = []
    number_ = 1
    for c in sorted(choices, key=lambda c: c.material):
        while f"{CHOICE_ID}{number_}" in taken:
            number_ += 1
        taken.add(f"{CHOICE_ID}{number_}")
        use: dict = {"factor": c.factor}
        if c.density_kg_per_m3 is not None:
            # on the factor use: replaces the factor's default density where the model gives none
            # (a rule's own density only weighs parts left out; bimcarbon.rules.Rule)
            use |= {"density_kg_per_m3": c.density_kg_per_m3, "density_source": DENSITY_SOURCE}
        rules.append(
            {
                "id": f"{CHOICE_ID}{number_}",
                "description": "chosen in the web app",
                "when": {"material_exact": [c.material]},
                "use": [use],
            }
        )
    document["rules"] = rules + kept
    return document


def start(
    store: Store,
    run: dict,
    wanted: Wanted,
    room: Admission,
    pump: Callable[[], object],
) -> str:
    """A new run of the same upload (its parent: ``run``) with the choices added to its mapping and the
    figures edited in its energy file, admitted if there is ``room`` (:meth:`Store.admit`: else
    :class:`bimcarbon.web.store.Full`) and started by ``pump`` when there is a slot; refused
    (:class:`UploadError`) for too many choices, unknown factors or materials, or nothing to change."""
    check_choices(wanted.choices, run_materials(store, run), wanted.removed)
    old = store.run_dir(run["id"])
    before = _read_yaml(old / "energy.yaml")
    energy = edit_energy(before, wanted.energy, wanted.building_type)
    if not wanted.choices and not wanted.removed and energy == before:
        raise UploadError(
            "nothing to re-run: choose a factor for a material, or change the floor area or an energy figure"
        )
    new_id = store.prepare_run()
    folder = store.run_dir(new_id)
    try:
        if energy is not None:
            (folder / "energy.yaml").write_text(yaml.safe_dump(energy, allow_unicode=True), encoding="utf-8")
        previous = _read_yaml(old / "mapping_in.yaml")
        if wanted.choices or wanted.removed:
            mapping = mapping_with(previous, wanted.choices, wanted.removed)
            (folder / "mapping_in.yaml").write_text(
                yaml.dump(mapping, Dumper=_DUMPER, allow_unicode=True, sort_keys=False),
                encoding="utf-8",
            )
        elif (old / "mapping_in.yaml").exists():
            shutil.copy(old / "mapping_in.yaml", folder / "mapping_in.yaml")
        store.admit(
            room,
            new_id,
            run["upload_sha256"],
            dict(run["parameters"]),
            project_id=run["project_id"],
            parent_id=run["id"],
        )
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)  # refused: nothing is kept
        raise
    pump()
    return new_id


#: libyaml's dumper where PyYAML has it (the pure-Python one takes seconds for a few thousand rules).
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


# ---- what the run page shows --------------------------------------------------------------------------
@lru_cache(maxsize=2)
def _data_text(lang: str):
    from bimcarbon.report.workbook.data_zh import DataText

    return DataText(lang)


def _labels(lang: str) -> dict:
    from bimcarbon.report.workbook.labels import LABELS

    return LABELS["zh" if lang == "zh" else "en"]


def say_status(status: str, lang: str) -> str:
    """A match status (``assumed; no_factor``) in words."""
    t = _labels(lang)
    return "; ".join(t.get(f"status {s}", s) for s in status.split("; ") if s)


def say_reason(reason: str, lang: str) -> str:
    """A reason (``no material; no volume``) in the page's language."""
    if lang != "zh":
        return reason
    t, data = _labels(lang), _data_text(lang)
    # a rule's reason may itself hold "; ": the data texts first, whole, then the short reasons
    whole = str(data(reason))
    return ";".join(t.get(f"reason {r}") or r for r in whole.split("; ") if r)


def page_context(store: Store, run: dict, a: dict, lang: str, shown: dict | None = None) -> dict:
    """What the run page's materials part needs: the rows left out with their suggestions and what is
    filled in, the choices this run was given, the energy figures, the factor list.

    ``shown`` is ``{"error": text, "typed": typed(form)}`` when a re-run was refused: the form shows
    what the person typed again, with the error.
    """
    lib = library()
    folder = store.run_dir(run["id"])
    typed_ = (shown or {}).get("typed") or {}
    typed_materials = typed_.get("materials") or {}
    left_out = {m["material"]: m for m in a["coverage"]["unmapped"]}
    counted = {m["material"]: m["a1_a3_kgco2e"] for m in a.get("by_material", [])}
    applied = []
    earlier: dict[str, Choice] = {}
    for c in applied_choices(folder):
        f = lib.by_id.get(c.factor)
        earlier[c.material] = c
        row = left_out.get(c.material)
        again = typed_materials.get(c.material) if row is None else None
        applied.append(
            {
                "material": c.material,
                "factor": c.factor,
                "factor_label": factor_label(f, lang) if f else "",
                "density": c.density_kg_per_m3,
                "factor_typed": again["factor"] if again else c.factor,
                "density_text": again["density"]
                if again
                else ("" if c.density_kg_per_m3 is None else f"{c.density_kg_per_m3:g}"),
                "counted": row is None,
                "a1_a3_kgco2e": counted.get(c.material),
                "reason": say_reason(row["reason"], lang) if row else "",
            }
        )
    rows = []
    for m in a["coverage"]["unmapped"]:
        name = m["material"]
        suggested = suggestions(m.get("suggestions", ""))
        filled = prefill(name, m["status"], suggested)
        was = earlier.get(name)
        factor = was.factor if was else filled
        dens = "" if was is None or was.density_kg_per_m3 is None else f"{was.density_kg_per_m3:g}"
        if name in typed_materials:
            factor, dens = typed_materials[name]["factor"], typed_materials[name]["density"]
        rows.append(
            {
                "material": name,
                "shown_name": _labels(lang).get(name, name) if name == "(no material)" else name,
                "choosable": bool(name.strip()) and name != "(no material)",
                "volume_m3": m["volume_m3"],
                "mass_kg": m.get("mass_kg"),
                "status": say_status(m["status"], lang),
                "reason": say_reason(m.get("reason", ""), lang),
                "suggestions": [
                    {"id": fid, "score": score, "label": factor_label(lib.by_id[fid], lang)}
                    for fid, score in suggested
                    if fid in lib.by_id
                ],
                "code_like": looks_like_code(name),
                "prefilled": bool(filled) and factor == filled,
                "factor": factor,
                "density": dens,
            }
        )
    energy_doc = _read_yaml(folder / "energy.yaml")
    energy = energy_values(energy_doc)
    building_type = (energy_doc or {}).get("building_type") or "public"
    if typed_.get("energy"):  # the figures as typed, when a refused form held them
        energy = dict(typed_["energy"])
        building_type = typed_.get("building_type") or building_type
    baseline = (energy_doc or {}).get("baseline")
    return {
        "rows": rows,
        "applied": applied,
        "energy": energy,
        "building_type": building_type,
        "has_energy_file": energy_doc is not None,
        "baseline_by_carriers": isinstance(baseline, dict) and baseline.get("carriers") is not None,
        "floor_area_m2": a["floor_area"]["value_m2"],
        "floor_area_from_model": not (energy_doc or {}).get("gross_floor_area_m2"),
        "factor_options": [
            {"id": f.id, "label": factor_label(f, lang)}
            for f in sorted(lib.by_id.values(), key=lambda f: f.id)
        ],
        "error": (shown or {}).get("error"),
        "status_words": {s.value: _labels(lang).get(s.value, s.value) for s in Status},
        "prefill_min_score": PREFILL_MIN_SCORE,
    }
