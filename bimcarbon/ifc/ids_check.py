"""Run an IDS (buildingSMART Information Delivery Specification 1.0) on an open model with ifctester.

The only module that imports ifctester (which imports ifcopenshell). :func:`load_ids` reads and
validates an IDS file against the IDS 1.0 XSD (the shipped ``factors/ids/lca-ready.ids`` by default);
:func:`run_precheck` checks an already opened :class:`~bimcarbon.ifc.reader.Model` against it (the
model is never read twice) and returns a :class:`~bimcarbon.exchange.precheck.PreCheck`.

Each specification is run as ifctester's ``Specification.validate`` does (applicability filter, each
requirement facet called per element, minOccurs/maxOccurs), but element by element under a guard: an
element on which ifctester raises (a material layer without a material, say) is listed as failing,
"could not be checked", and the rest of the model is still checked.

For the shipped IDS, its words (``factors/ids/lca-ready.yaml``) group specifications into requirements
and add what IDS 1.0 cannot say (see docs/exchange.md, "LCA-ready pre-check"):

* one specification per IFC version for the element classes; the one of the model's version decides;
* the floor area is met when the spaces' **or** the storeys' specification passes;
* an element made of parts without a body of its own is not counted (its parts are), as in the take-off;
* the layer-set requirement is checked here, not by the IDS;
* the geometry requirement also counts the building elements that carry exported quantities.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import threading
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import ifcopenshell.util.element
from ifctester import facet as ifctester_facet
from ifctester import ids as ifctester_ids

from bimcarbon.datafile import user_cache_dir
from bimcarbon.errors import IdsFileError
from bimcarbon.exchange.precheck import (
    SHIPPED_IDS,
    FailingElement,
    Note,
    PreCheck,
    RequirementResult,
    RequirementSet,
    RequirementWords,
    load_requirements,
)
from bimcarbon.factors import factors_dir
from bimcarbon.ifc.elements import _has_body
from bimcarbon.ifc.reader import Model
from bimcarbon.output_files import write_whole

_NS = "{http://standards.buildingsmart.org/IDS}"

#: Classes the layer-set requirement covers (with their subtypes: standard and elemented cases).
LAYERED_CLASSES = ("IfcWall", "IfcSlab", "IfcRoof", "IfcCovering")
#: Material definitions that state each material's share of a layered element.
LAYERED_KINDS = ("IfcMaterialLayerSet", "IfcMaterialConstituentSet")


@dataclass
class LoadedIds:
    """An IDS read and validated: ifctester's object, the specifications' identifiers (ifctester does
    not keep them), and for the shipped IDS its words."""

    path: Path
    ids: ifctester_ids.Ids
    identifiers: list[str | None]
    shipped: bool
    words: RequirementSet | None = None


#: What a kept IDS holds, in its file's name: 2, its content as validated, before ifctester's parse
#: changes it (4b4ee7a kept it as parsed, under the name without a number: never read).
IDS_CACHE_FORMAT = 2

#: The shipped IDS once read in this process (its specifications are reset before each run).
_SHIPPED: LoadedIds | None = None


def load_ids(path: str | Path | None = None) -> LoadedIds:
    """Read an IDS file and validate it against the IDS 1.0 XSD (ifctester's copy).

    Building the XSD and validating with it take about 0.8 s, and checking its patterns 0.15 s, more than
    the check of a 10,000-element model's materials; so the shipped IDS is read once per process, and its
    validated content (patterns checked) is kept in the user's cache folder
    (:func:`bimcarbon.datafile.user_cache_dir`) by the SHA-256 of its bytes and the versions of
    ifctester and xmlschema (which decodes it): a changed file, or another ifctester or xmlschema, is
    validated again. A person's IDS is always validated.

    Parameters
    ----------
    path
        The IDS file; None for the shipped ``factors/ids/lca-ready.ids`` (with its words).

    Raises
    ------
    IdsFileError
        The file is missing, not XML, not valid IDS 1.0, or has a pattern that is not an XSD regular
        expression (one line naming the file and the problem).
    """
    global _SHIPPED
    if path is None:
        if _SHIPPED is None:
            _SHIPPED = _load(factors_dir() / SHIPPED_IDS, shipped=True)
        return _SHIPPED
    return _load(Path(path), shipped=False)


def _load(path: Path, shipped: bool) -> LoadedIds:
    if not path.is_file():
        raise IdsFileError(
            "IDS file not found" if not path.is_dir() else "is a folder, not an IDS file", path
        )
    cached = _cache_file(path) if shipped else None
    fresh, kept = False, None  # validated here (not from the cache), and its content marshalled
    try:
        loaded = _from_cache(cached)
        if loaded is None:
            fresh, decoded = True, _validated(path)
            with contextlib.suppress(Exception):  # values marshal cannot hold: not kept
                kept = marshal.dumps(decoded) if cached else None  # before parsing, which changes it
            loaded = ifctester_ids.Ids().parse(decoded)
    except ifctester_ids.IdsXmlValidationError as exc:
        error = exc.xml_error
        where = f" at {error.path}" if getattr(error, "path", None) else ""
        reason = " ".join(str(getattr(error, "reason", None) or error).split())
        raise IdsFileError(f"not a valid IDS 1.0 file{where}: {reason}", path) from None
    except Exception as exc:  # xmlschema's parse errors, an unreadable file, odd content
        text = " ".join(str(exc).split()) or type(exc).__name__
        raise IdsFileError(f"cannot be read as IDS ({text})", path) from None
    if fresh:  # a cached IDS had its patterns checked before it was kept
        _check_patterns(loaded, path)
    if kept is not None and cached is not None:
        with contextlib.suppress(Exception):  # no cache folder, read-only: validated again next time
            write_whole(cached, kept)
    try:
        root = ET.parse(path).getroot()
        identifiers = [s.get("identifier") for s in root.iter(f"{_NS}specification")]
    except (ET.ParseError, OSError):
        identifiers = []
    if len(identifiers) != len(loaded.specifications):
        identifiers = [None] * len(loaded.specifications)
    return LoadedIds(path, loaded, identifiers, shipped, load_requirements() if shipped else None)


def _validated(path: Path) -> dict:
    """The IDS validated against the XSD and decoded, as ``ifctester.ids.open`` does."""
    schema = ifctester_ids.get_schema()
    try:
        schema.validate(str(path))
        return schema.decode(str(path), strip_namespaces=True, namespaces={"": _NS[1:-1]})
    except ifctester_ids.XMLSchemaValidationError as exc:
        raise ifctester_ids.IdsXmlValidationError(exc, str(exc)) from None


def _from_cache(cached: Path | None) -> ifctester_ids.Ids | None:
    """The IDS from its validated content in the cache, or None."""
    if cached is None:
        return None
    with contextlib.suppress(Exception), cached.open("rb") as stream:  # missing or unreadable: validate
        return ifctester_ids.Ids().parse(marshal.load(stream))
    return None


def _cache_file(path: Path) -> Path | None:
    """Where the validated content of the IDS at ``path`` is kept (None: it cannot be read)."""
    try:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        tester, decoder = version("ifctester"), version("xmlschema")  # which decodes the XML
    except (OSError, PackageNotFoundError):
        return None
    name = f"{digest}-ids-ifctester{tester}-xmlschema{decoder}-{IDS_CACHE_FORMAT}.marshal"
    return user_cache_dir() / "data" / name


def _check_patterns(loaded: ifctester_ids.Ids, path: Path) -> None:
    """Refuse a pattern that is not an XSD regular expression (the XSD does not check them)."""
    for spec in loaded.specifications:
        for facet in [*spec.applicability, *spec.requirements]:
            for value in vars(facet).values():
                if not isinstance(value, ifctester_facet.Restriction):
                    continue
                patterns = value.options.get("pattern", [])
                for pattern in patterns if isinstance(patterns, list) else [patterns]:
                    try:
                        ifctester_facet.translate_pattern(  # elementpath's, as ifctester uses it
                            pattern, back_references=False, lazy_quantifiers=False, anchors=False
                        )
                    except Exception as exc:
                        raise IdsFileError(
                            f"specification {spec.name!r}: the pattern {pattern!r} is not an XSD regular "
                            f"expression ({' '.join(str(exc).split())[:200]})",
                            path,
                        ) from None


@dataclass
class SpecOutcome:
    """One specification run on a model."""

    in_version: bool
    status: bool = True
    required: bool = False
    applicable: list = field(default_factory=list)
    #: element id -> (element, reasons), in the order elements were checked
    failures: dict[int, tuple[object, list[str]]] = field(default_factory=dict)
    not_checked: int = 0
    applies_to: str = ""


def run_precheck(model: Model, loaded: LoadedIds | None = None, model_name: str | None = None) -> PreCheck:
    """Check an open model against an IDS (the shipped LCA-ready one when ``loaded`` is None).

    Parameters
    ----------
    model
        The opened model (:func:`bimcarbon.ifc.read_model`).
    loaded
        An IDS from :func:`load_ids`.
    model_name
        How the report names the model (default: the file's name).

    Returns
    -------
    PreCheck
        Per requirement (the shipped IDS) or specification (another IDS): its status, the number of
        elements it applies to and of those failing, and every failing element with its reason.
    """
    loaded = loaded or load_ids()
    started = time.perf_counter()
    ifc = model.ifc
    _clear_ifctester_caches()
    try:
        with _memoised_queries():
            outcomes = [_run_specification(spec, ifc) for spec in loaded.ids.specifications]
        if loaded.words is not None:
            requirements = _shipped_requirements(loaded, outcomes, ifc, model.schema)
        else:
            requirements = [
                _specification_result(spec, identifier, outcome, index, model.schema)
                for index, (spec, identifier, outcome) in enumerate(
                    zip(loaded.ids.specifications, loaded.identifiers, outcomes, strict=True)
                )
            ]
    finally:
        _clear_ifctester_caches()  # its caches hold entities of this model
    return PreCheck(
        model_name=model_name or model.path.name,
        ids_file=loaded.path.name,
        ids_title=str(loaded.ids.info.get("title") or loaded.path.name),
        shipped=loaded.shipped,
        schema_name=model.schema,
        seconds=round(time.perf_counter() - started, 3),
        requirements=requirements,
    )


#: ``ifcopenshell.util.element`` queries that ifctester's facets ask again for the same element in
#: several specifications (a material facet in two, the type behind every material and part-of facet).
MEMOISED_QUERIES = (
    "get_material",
    "get_type",
    "get_container",
    "get_aggregate",
    "get_parent",
    "get_predefined_type",
)

#: One pre-check at a time replaces the queries in ``ifcopenshell.util.element``.
_QUERIES_LOCK = threading.Lock()


@contextlib.contextmanager
def _memoised_queries():
    """While the specifications run, each of :data:`MEMOISED_QUERIES` answers once per element and
    arguments (the model does not change meanwhile): ifctester calls them through the module, so they
    are replaced there, and put back after. The 10,000-element pre-check spent half its time in them."""
    module = ifcopenshell.util.element
    with _QUERIES_LOCK:
        originals = {name: getattr(module, name) for name in MEMOISED_QUERIES}
        for name, function in originals.items():
            setattr(module, name, _memoise(function))
        try:
            yield
        finally:
            for name, function in originals.items():
                setattr(module, name, function)


def _memoise(function):
    answers: dict = {}

    def remembered(*args, **kwargs):
        key = (
            tuple(a.id() if isinstance(a, ifcopenshell.entity_instance) else a for a in args),
            tuple(sorted(kwargs.items())),
        )
        try:
            return answers[key]
        except KeyError:
            answer = answers[key] = function(*args, **kwargs)
            return answer
        except TypeError:  # an argument that cannot be a key: asked as it is
            return function(*args, **kwargs)

    return remembered


def _clear_ifctester_caches() -> None:
    ifctester_facet.get_pset.cache_clear()
    ifctester_facet.get_psets.cache_clear()


def _run_specification(spec, ifc) -> SpecOutcome:
    """One specification, as ifctester's ``Specification.validate``, each element under a guard."""
    spec.reset_status()
    if not spec.check_ifc_version(ifc):
        return SpecOutcome(in_version=False)
    outcome = SpecOutcome(in_version=True, required=spec.minOccurs != 0, applies_to=_applies_to(spec))
    prohibited = spec.maxOccurs == 0
    elements = None
    try:
        for facet in spec.applicability:  # the broad filter (by class first)
            elements = facet.filter(ifc, elements)
    except Exception as exc:  # a facet ifctester cannot filter with on this model
        outcome.status = False
        outcome.failures[0] = (None, [f"could not be checked ({type(exc).__name__}: {exc})"])
        outcome.not_checked += 1
        return outcome
    answers: dict = {}
    for element in elements or []:
        reasons: list[str] = []
        try:
            applies = all(
                bool(_answer(f, element, answers))
                for f in spec.applicability
                if not isinstance(f, ifctester_facet.Entity)
            )
        except Exception as exc:
            applies, reasons = True, [f"could not be checked ({type(exc).__name__}: {exc})"]
        if not applies:
            continue
        outcome.applicable.append(element)
        if prohibited:
            reasons.append("the specification prohibits it")
        elif not reasons:
            for facet in spec.requirements:
                try:
                    result = _answer(facet, element, answers)
                except Exception as exc:
                    reasons.append(f"could not be checked ({type(exc).__name__}: {exc})")
                    continue
                if not bool(result):
                    reasons.append(str(result) + _matched_names(facet, element))
        if reasons:
            outcome.not_checked += any(r.startswith("could not be checked") for r in reasons)
            outcome.failures[element.id()] = (element, reasons)
    # in file order: ifctester's IFC2X3 class filter goes through a set, whose order changes between runs
    outcome.applicable.sort(key=lambda e: e.id())
    outcome.failures = dict(sorted(outcome.failures.items()))
    outcome.status = not outcome.failures and not (outcome.required and not outcome.applicable)
    return outcome


def _answer(facet, element, answers: dict):
    """``facet(element)``; a material facet's answer depends on the element's material alone, so it is
    asked once per material (elements of one layer set, of one type, share it) and its answer, or the
    error it raised, given to every element made of that material."""
    if type(facet) is not ifctester_facet.Material:
        return facet(element)
    material = ifcopenshell.util.element.get_material(element, should_skip_usage=True)  # as the facet
    key = (id(facet), material.id() if material is not None else None)
    if key not in answers:
        try:
            answers[key] = (True, facet(element))
        except Exception as exc:
            answers[key] = (False, exc)
    ok, answer = answers[key]
    if not ok:
        raise answer
    return answer


def _applies_to(spec) -> str:
    """The class a specification applies to, for "no IfcSpace in the model" (else a general phrase)."""
    for facet in spec.applicability:
        if isinstance(facet, ifctester_facet.Entity) and isinstance(facet.name, str):
            return _class_name(facet.name)
    return "element it applies to"


def _class_name(upper: str) -> str:
    """``IFCBUILDINGSTOREY`` -> ``IfcBuildingStorey`` (from the schema when it knows the name)."""
    for schema in ("IFC4X3_ADD2", "IFC4", "IFC2X3"):
        try:
            return ifcopenshell.ifcopenshell_wrapper.schema_by_name(schema).declaration_by_name(upper).name()
        except Exception:  # unknown in this schema
            continue
    return upper


def _matched_names(facet, element) -> str:
    """For a prohibited material value, the element's material names that matched it: ``("Default")``."""
    if (
        not isinstance(facet, ifctester_facet.Material)
        or facet.cardinality != "prohibited"
        or not facet.value
    ):
        return ""
    try:
        names = [n for n in _material_names(element) if n == facet.value or facet.value == n]
    except Exception:  # the reason stays ifctester's
        return ""
    return " (" + ", ".join(f'"{n}"' for n in dict.fromkeys(names)) + ")" if names else ""


def _material_names(element) -> list[str]:
    """Names and categories of an element's materials, as ifctester's material facet compares them."""
    material = ifcopenshell.util.element.get_material(element, should_skip_usage=True)
    if material is None:
        return []
    items = [material]
    for attribute in ("MaterialLayers", "MaterialProfiles", "MaterialConstituents", "Materials"):
        items += list(getattr(material, attribute, None) or []) if attribute in material.get_info() else []
    names = []
    for item in items:
        info = item.get_info()
        names += [info.get(a) for a in ("Name", "Category", "LayerSetName")]
        inner = info.get("Material")
        if inner is not None:
            names += [getattr(inner, "Name", None), inner.get_info().get("Category")]
    return [n for n in names if isinstance(n, str) and n]


def _shipped_requirements(
    loaded: LoadedIds, outcomes: list[SpecOutcome], ifc, schema: str
) -> list[RequirementResult]:
    by_identifier = dict(zip(loaded.identifiers, outcomes, strict=True))
    decomposed = _decomposed(ifc)
    results = []
    for words in loaded.words.requirements:
        if words.checked_by == "bimcarbon":
            results.append(_layer_set_requirement(words, ifc, decomposed))
            continue
        outcomes_here = {s: by_identifier[s] for s in words.specifications if s in by_identifier}
        results.append(_ids_requirement(words, outcomes_here, ifc, schema, decomposed))
    return results


def _words(words: RequirementWords) -> dict:
    return {
        "id": words.id,
        "label": words.label,
        "label_zh": words.zh.get("label", ""),
        "description": " ".join(words.description.split()),
        "description_zh": words.zh.get("description", ""),
        "instructions": words.instructions,
        "instructions_zh": words.zh.get("instructions", ""),
        "failing_phrase": words.failing,
        "failing_phrase_zh": words.zh.get("failing", ""),
        "checked_by": words.checked_by,
        "specifications": list(words.specifications),
    }


def _ids_requirement(
    words: RequirementWords, outcomes: dict[str, SpecOutcome], ifc, schema: str, decomposed: set[int]
) -> RequirementResult:
    """A shipped requirement from its specifications' outcomes (those of the model's IFC version)."""
    here = {identifier: o for identifier, o in outcomes.items() if o.in_version}
    if not here:
        versions = " ".join(words.specifications)
        note = Note(code="not_this_version", values={"versions": versions, "schema": schema})
        return RequirementResult(
            **_words(words), status="not applicable", applicable_count=0, failing_count=0, notes=[note]
        )
    notes: list[Note] = []
    if words.aggregates == "parts":
        excused = sum(_without_aggregates(o, decomposed) for o in here.values())
        if excused:
            notes.append(Note(code="aggregates", values={"count": excused}))
    for identifier, outcome in here.items():
        outcome.status = not outcome.failures and not (outcome.required and not outcome.applicable)
        if outcome.required and not outcome.applicable:
            notes.append(
                Note(code="none", values={"ifc_class": outcome.applies_to, "specification": identifier})
            )
    chosen = list(here.values())
    if words.met_when == "any":
        met = [identifier for identifier, o in here.items() if o.status]
        if met:
            notes = [Note(code="met_by", values={"specification": met[0]})]
            chosen = [here[met[0]]]
        else:
            notes.append(Note(code="neither", values={"specifications": ", ".join(here)}))
    failing = [f for o in chosen for f in _failing(o)]
    if words.id == "geometry":
        notes += _quantities(chosen, failing, ifc)
    not_checked = sum(o.not_checked for o in chosen)
    if not_checked:
        notes.append(Note(code="not_checked", values={"count": not_checked}))
    applicable = sum(len(o.applicable) for o in chosen)
    passed = all(o.status for o in chosen)
    if not passed:
        status = "fail"
    else:  # nothing to check and nothing required: the requirement does not apply to this model
        status = "pass" if applicable or any(o.required for o in chosen) else "not applicable"
    return RequirementResult(
        **_words(words),
        status=status,
        applicable_count=applicable,
        failing_count=len(failing),
        failing=failing,
        notes=notes,
    )


def _without_aggregates(outcome: SpecOutcome, decomposed: set[int]) -> int:
    """Drop the elements made of parts without a body of their own (their parts are checked, as the
    take-off measures them); how many were dropped."""
    dropped = [e for e in outcome.applicable if _bodiless_aggregate(e, decomposed)]
    if not dropped:
        return 0
    gone = {e.id() for e in dropped}
    outcome.applicable = [e for e in outcome.applicable if e.id() not in gone]
    for key in gone:
        outcome.failures.pop(key, None)
    return len(dropped)


def _decomposed(ifc) -> set[int]:
    """Ids of the objects decomposed into parts (IfcRelAggregates), in one pass over the relations."""
    return {
        rel.RelatingObject.id()
        for rel in ifc.by_type("IfcRelAggregates")
        if rel.RelatingObject is not None and rel.RelatedObjects
    }


def _bodiless_aggregate(element, decomposed: set[int]) -> bool:
    """Whether an element is decomposed into parts and has no body of its own (as in the take-off)."""
    if element.id() not in decomposed:
        return False
    try:
        return not _has_body(element)
    except Exception:  # an odd representation: the element is counted as itself
        return False


def _failing(outcome: SpecOutcome) -> list[FailingElement]:
    listed = []
    for element, reasons in outcome.failures.values():
        if element is None:  # the specification itself could not be run
            listed.append(FailingElement(global_id="-", ifc_class="-", reason="; ".join(reasons)))
            continue
        listed.append(_failing_element(element, "; ".join(reasons)))
    return listed


def _failing_element(element, reason: str) -> FailingElement:
    global_id = getattr(element, "GlobalId", None) if "GlobalId" in element.get_info() else None
    name = element.get_info().get("Name")
    return FailingElement(
        global_id=global_id or f"#{element.id()}",
        ifc_class=element.is_a(),
        element_name=name if isinstance(name, str) else None,
        reason=reason,
    )


def _quantities(outcomes: list[SpecOutcome], failing: list[FailingElement], ifc) -> list[Note]:
    """Exported quantities beside the geometry: how many building elements carry a quantity set, and on
    each element without geometry, the sets the take-off can use instead."""
    sets = _quantity_sets(ifc)
    elements = [e for o in outcomes for e in o.applicable]
    with_sets = sum(1 for e in elements if e.id() in sets)
    by_global_id = {getattr(e, "GlobalId", None): sets.get(e.id()) for e in elements}
    for item in failing:
        names = by_global_id.get(item.global_id)
        if names:
            item.reason += f"; it has exported quantities ({', '.join(names)}): the take-off uses them"
    return [Note(code="quantities", values={"count": with_sets, "total": len(elements)})]


def _quantity_sets(ifc) -> dict[int, list[str]]:
    """Object id -> names of the element quantity sets (with quantities) on it or on its type, from
    one pass over the model's relations."""
    own: dict[int, list[str]] = {}
    for rel in ifc.by_type("IfcRelDefinesByProperties"):
        definition = rel.RelatingPropertyDefinition
        if definition is None or not definition.is_a("IfcElementQuantity") or not definition.Quantities:
            continue
        for obj in rel.RelatedObjects or ():
            own.setdefault(obj.id(), []).append(definition.Name or "(unnamed)")
    for rel in ifc.by_type("IfcRelDefinesByType"):
        names = [
            d.Name or "(unnamed)"
            for d in getattr(rel.RelatingType, "HasPropertySets", None) or ()
            if d is not None and d.is_a("IfcElementQuantity") and d.Quantities
        ]
        if names:
            for obj in rel.RelatedObjects or ():
                own.setdefault(obj.id(), []).extend(names)
    return own


def _layer_set_requirement(words: RequirementWords, ifc, decomposed: set[int]) -> RequirementResult:
    """Walls, slabs, roofs and coverings carry a layer set (or a constituent set): what IDS 1.0 cannot
    say, checked on the open model. Elements without any material are left to the material requirement;
    elements made of parts without a body of their own are not counted (their parts are)."""
    seen: dict[int, object] = {}
    for ifc_class in LAYERED_CLASSES:
        for element in ifc.by_type(ifc_class):
            seen.setdefault(element.id(), element)
    applicable, failing, aggregates, without, not_checked = 0, [], 0, 0, 0
    for element in seen.values():
        if _bodiless_aggregate(element, decomposed):
            aggregates += 1
            continue
        try:
            material = ifcopenshell.util.element.get_material(element, should_skip_usage=True)
        except Exception as exc:
            applicable += 1
            not_checked += 1
            failing.append(_failing_element(element, f"could not be checked ({type(exc).__name__}: {exc})"))
            continue
        if material is None:
            without += 1
            continue
        applicable += 1
        why = _not_layered(material)
        if why:
            failing.append(_failing_element(element, why))
    notes = []
    if aggregates:
        notes.append(Note(code="aggregates", values={"count": aggregates}))
    if without:
        notes.append(Note(code="no_material_left", values={"count": without}))
    if not_checked:
        notes.append(Note(code="not_checked", values={"count": not_checked}))
    status = "fail" if failing else "pass" if applicable else "not applicable"
    return RequirementResult(
        **_words(words),
        status=status,
        applicable_count=applicable,
        failing_count=len(failing),
        failing=failing,
        notes=notes,
    )


def _not_layered(material) -> str | None:
    """Why a material definition does not state layer shares (None: it does)."""
    kind = material.is_a()
    if kind in LAYERED_KINDS:
        return None
    if kind == "IfcMaterial":
        return f'a single material ("{material.Name}") instead of a layer set'
    if kind == "IfcMaterialList":
        names = ", ".join(f'"{m.Name}"' for m in material.Materials or () if m is not None)
        return f"a material list ({names}) instead of a layer set (split equally)"
    if kind == "IfcMaterialProfileSet":
        return f'a material profile set ("{material.Name}") instead of a layer set'
    return f"{kind} instead of a layer set"


def _specification_result(spec, identifier: str | None, outcome: SpecOutcome, index: int, schema: str):
    """A specification of a person's IDS as a requirement of its own (its words as the IDS gives them)."""
    words = {
        "id": identifier or f"specification-{index + 1}",
        "label": spec.name or f"Specification {index + 1}",
        "label_zh": "",
        "description": spec.description or spec.name or "",
        "description_zh": "",
        "instructions": spec.instructions or "",
        "checked_by": "ids",
        "specifications": [identifier] if identifier else [],
    }
    if not outcome.in_version:
        versions = " ".join(spec.ifcVersion) if isinstance(spec.ifcVersion, list) else str(spec.ifcVersion)
        note = Note(code="not_this_version", values={"versions": versions, "schema": schema})
        return RequirementResult(
            **words, status="not applicable", applicable_count=0, failing_count=0, notes=[note]
        )
    notes = []
    if outcome.required and not outcome.applicable:
        notes.append(
            Note(code="none", values={"ifc_class": outcome.applies_to, "specification": words["id"]})
        )
    if outcome.not_checked:
        notes.append(Note(code="not_checked", values={"count": outcome.not_checked}))
    failing = _failing(outcome)
    if not outcome.status:
        status = "fail"
    else:
        status = "pass" if outcome.applicable or outcome.required else "not applicable"
    return RequirementResult(
        **words,
        status=status,
        applicable_count=len(outcome.applicable),
        failing_count=len(failing),
        failing=failing,
        notes=notes,
    )
