"""Results written back into a copy of the IFC model: property sets on each element, a heatmap if asked.

The copy is the assessed model as bimcarbon reads it (:func:`bimcarbon.ifc.reader.read_model`: the same
entities with the same step ids and GlobalIds), with only new entities added: property sets and their
relationships, one owner history naming bimcarbon, a mass unit when the project has none, and with
``--ifc-heatmap`` surface styles (and, where a type's geometry must be coloured per occurrence, copies
of it; see :mod:`bimcarbon.ifc.heatmap_styles`). What each element carries is decided in
:mod:`bimcarbon.exchange.ifc_results`; the method and property names are in docs/exchange.md.

* ``Pset_EnvironmentalImpactValues.ClimateChange`` (IFC4, IFC4X3): A1-A3 kgCO2e of the element, an
  IfcMassMeasure as the schema's template says, in the project's mass unit with that unit stated on the
  property (``IfcPropertySingleValue.Unit``), so no viewer reads 1,000 kg as 1,000 of another unit.
* ``Pset_EnvironmentalImpactIndicators``: ``LifeCyclePhase`` PRODUCTION (the phase of those values)
  and ``FunctionalUnitReference`` (the factor sets): the same for every element, so one set related to
  them all (an element that has its own gets these two properties in it). Its per-unit indicators are
  not written: IFC defines them per year of service life, which an A1-A3 figure is not.
* IFC2X3 has neither set (its property set templates define no environmental impact): only the bimcarbon
  set is written.
* ``BIMCarbon_Results`` on every element of the take-off, and ``BIMCarbon_Assessment`` on the project.

Property sets are built as ``ifcopenshell.api.pset`` builds them (an IfcPropertySet related by its own
IfcRelDefinesByProperties), but directly: the API makes an owner history per call and took 2 ms per
element; here one owner history serves every new entity. Properties whose value is the same for many
elements (the model's hash, the tool version, a status, a heatmap class) are one IfcProperty shared by
the sets (IFC allows it: ``IfcProperty.PartOfPset`` is a set).
"""

from __future__ import annotations

import os
import tempfile
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import ifcopenshell
import ifcopenshell.api.pset
import ifcopenshell.api.unit
import ifcopenshell.guid
import ifcopenshell.util.pset

from bimcarbon import __version__
from bimcarbon.errors import BimcarbonError, OutputError
from bimcarbon.exchange.heatmap import Heatmap
from bimcarbon.exchange.ifc_results import (
    ASSESSMENT_PSET,
    LIFE_CYCLE_PHASE,
    RESULTS_PSET,
    STATED_MODULES,
    ElementWrite,
    Prop,
    element_writes,
)
from bimcarbon.ifc.elements import unique_elements
from bimcarbon.ifc.heatmap_styles import NOT_COLOURED_ZH, paint
from bimcarbon.ifc.reader import read_model
from bimcarbon.ifc.units import unit_scale
from bimcarbon.output_files import check_writable

#: Suffixes of the written copy.
IFC_OUT_SUFFIXES = (".ifc", ".ifczip")
VALUES_PSET = "Pset_EnvironmentalImpactValues"
INDICATORS_PSET = "Pset_EnvironmentalImpactIndicators"
_IFC_TYPES = {
    "real": "IfcReal",
    "integer": "IfcInteger",
    "label": "IfcLabel",
    "text": "IfcText",
    "identifier": "IfcIdentifier",
}
_LABEL_MAX = 255  # IfcLabel and IfcIdentifier are STRING(255)
#: The Description of every property set bimcarbon adds: how a later write knows its own sets.
WRITTEN_BY = "written by bimcarbon"


@dataclass
class WriteSummary:
    """What was written.

    Attributes
    ----------
    path
        The written file.
    with_results, without_results
        Elements with something counted (ClimateChange written) and elements with their status only.
    standard_psets
        Whether the schema has ``Pset_EnvironmentalImpactValues`` (IFC4, IFC4X3), so it was written.
    climate_change_kg
        Sum of the ClimateChange written, kgCO2e (A1-A3).
    mass_unit
        The unit ClimateChange is in (the project's mass unit, or kilogram added when it has none).
    coloured, not_coloured, own_copies
        With the heatmap: elements coloured, elements not (step id -> why), occurrences given their own
        copy of a shared type geometry.
    warnings
        One line each: elements not found, sets replaced.
    """

    path: Path
    with_results: int
    without_results: int
    standard_psets: bool
    climate_change_kg: float
    mass_unit: str
    coloured: int | None = None
    not_coloured: dict[int, str] = field(default_factory=dict)
    own_copies: int = 0
    warnings: list[str] = field(default_factory=list)


def check_ifc_out(out_path: Path, model_path: Path) -> None:
    """Refuse, in one line, a result path that is not ``.ifc``/``.ifczip``, is the model itself, or is
    in a folder that cannot be created or written to (checked by creating, then removing, a file there),
    so that a bad path is told before the assessment, not after it."""
    if out_path.suffix.lower() not in IFC_OUT_SUFFIXES:
        raise OutputError("the --ifc-out file must end in .ifc or .ifczip", out_path)
    try:
        same = out_path.exists() and out_path.resolve() == Path(model_path).resolve()
    except OSError:
        same = False
    if same:
        raise OutputError("--ifc-out would overwrite the model; give another file name", out_path)
    check_writable(out_path, "the --ifc-out file")


def write_results(
    model_path: str | Path,
    assessment,
    out_path: str | Path,
    heatmap: Heatmap | None = None,
    lang: str = "en",
) -> WriteSummary:
    """Write a copy of the model with the assessment's results on its elements.

    Parameters
    ----------
    model_path
        The assessed model (its SHA-256 must be the assessment's: the results are for those bytes).
    assessment
        The :class:`~bimcarbon.assess.Assessment` (its ``elements``, ``model_sha256``, factor sets,
        totals). Not changed.
    out_path
        ``.ifc`` or ``.ifczip`` (written as its suffix says, whatever the input was).
    heatmap
        With it, elements are coloured by class (:mod:`bimcarbon.ifc.heatmap_styles`) and carry it.
    lang
        Language of the texts in the sets (``en``, ``zh``).

    Returns
    -------
    WriteSummary

    Raises
    ------
    BimcarbonError
        The path is not .ifc/.ifczip, the model changed since it was assessed, or the file cannot be
        written.
    """
    out_path = Path(out_path)
    check_ifc_out(out_path, Path(model_path))
    model = read_model(model_path)
    if model.sha256 != assessment.model_sha256:
        raise BimcarbonError(
            "the model changed since it was assessed (its SHA-256 differs): assess it again", model_path
        )
    ifc = model.ifc
    warnings: list[str] = []
    writes = element_writes(assessment.elements, assessment.model_sha256, heatmap, lang)
    entities = _find_elements(ifc, writes, warnings)
    writer = _PsetWriter(ifc)
    templates = _standard_templates(ifc)
    mass_unit, mass_scale = _mass_unit(ifc) if templates is not None else (None, 1.0)
    summary = WriteSummary(
        path=out_path,
        with_results=0,
        without_results=0,
        standard_psets=templates is not None,
        climate_change_kg=0.0,
        mass_unit=_unit_label(mass_unit) if mass_unit is not None else "",
    )
    notes: dict[int, str] = {}
    if heatmap is not None:
        colours = {
            entities[i].id(): w.placement.heat_class.colour
            for i, w in enumerate(writes)
            if entities[i] is not None and w.placement is not None
        }
        zh = lang == "zh"
        names = {c.colour: c.zh.get("label", c.label) if zh else c.label for c, _ in heatmap.legend()}
        painted = paint(ifc, colours, names)
        summary.coloured = len(painted.coloured)
        summary.not_coloured = painted.not_coloured
        summary.own_copies = painted.own_copies
        notes = painted.not_coloured
        if zh:
            notes = {step: NOT_COLOURED_ZH.get(why, why) for step, why in notes.items()}
    writer.remove_earlier()
    existing = _existing_psets(ifc, {e.id() for e in entities if e is not None})
    indicators = _indicator_props(writer, templates, assessment) if templates is not None else []
    same_indicators: list = []
    for write, entity in zip(writes, entities, strict=True):
        if entity is None:
            continue
        props = list(write.properties)
        if entity.id() in notes:
            props.append(Prop("HeatmapNote", notes[entity.id()], "text", shared=True))
        writer.replace_own(entity, existing.pop((entity.id(), RESULTS_PSET), None))
        writer.add([entity], RESULTS_PSET, [writer.prop(p) for p in props])
        if write.climate_change_kg is None:
            summary.without_results += 1
            continue
        summary.with_results += 1
        summary.climate_change_kg += write.climate_change_kg
        if templates is None:
            continue
        value = writer.ifc.create_entity(templates["ClimateChange"], write.climate_change_kg / mass_scale)
        climate = writer.ifc.create_entity(
            "IfcPropertySingleValue", Name="ClimateChange", NominalValue=value, Unit=mass_unit
        )
        writer.merge(entity, VALUES_PSET, [climate], existing.get((entity.id(), VALUES_PSET)))
        own_indicators = existing.get((entity.id(), INDICATORS_PSET))
        if own_indicators is None:
            same_indicators.append(entity)
        else:
            writer.merge(entity, INDICATORS_PSET, indicators, own_indicators)
    if indicators and same_indicators:  # the same for every element: one set related to them all
        writer.add(same_indicators, INDICATORS_PSET, indicators)
    project = next(iter(ifc.by_type("IfcProject")), None)
    if project is not None:
        project_props = _assessment_props(assessment, summary, heatmap, lang)
        writer.replace_own(project, _own_set(project, ASSESSMENT_PSET))
        writer.add([project], ASSESSMENT_PSET, [writer.prop(p) for p in project_props])
    warnings += writer.merged_warnings()
    summary.warnings = warnings
    _write(ifc, out_path)
    return summary


def _find_elements(ifc: ifcopenshell.file, writes: list[ElementWrite], warnings: list[str]) -> list:
    """Each element by its GlobalId; by its step id when the GlobalId repeats in the model (a broken
    file), and only when that entity has the same GlobalId and class. None (with a warning) if not found."""
    by_guid: dict[str, list] = {}
    for element in unique_elements(ifc):
        by_guid.setdefault(element.GlobalId, []).append(element)
    found = []
    missing = []
    for write in writes:
        result = write.element
        same = by_guid.get(result.global_id or "", [])
        entity = same[0] if len(same) == 1 else None
        if entity is None:
            try:
                candidate = ifc.by_id(result.step_id)
            except RuntimeError:
                candidate = None
            if candidate is not None and candidate.GlobalId == result.global_id:
                entity = candidate
        if entity is not None and not entity.is_a(result.ifc_class):
            entity = None
        if entity is None:
            missing.append(result.global_id or f"#{result.step_id}")
        found.append(entity)
    if missing:
        shown = ", ".join(missing[:3]) + (f" and {len(missing) - 3} more" if len(missing) > 3 else "")
        warnings.append(f"{len(missing)} assessed element(s) not found in the model, not written: {shown}")
    return found


def _standard_templates(ifc: ifcopenshell.file) -> dict[str, str] | None:
    """The measure types of the standard properties written, from the schema's own templates; None when
    the schema has no ``Pset_EnvironmentalImpactValues`` (IFC2X3)."""
    library = ifcopenshell.util.pset.get_template(ifc.schema_identifier)
    values = library.get_by_name(VALUES_PSET)
    indicators = library.get_by_name(INDICATORS_PSET)
    if values is None:
        return None
    types = {p.Name: p.PrimaryMeasureType for p in values.HasPropertyTemplates}
    if "ClimateChange" not in types:
        return None
    out = {"ClimateChange": types["ClimateChange"] or "IfcMassMeasure"}
    if indicators is not None:
        for prop in indicators.HasPropertyTemplates:
            if prop.Name == "LifeCyclePhase" and prop.Enumerators is not None:
                out["LifeCyclePhase"] = prop.PrimaryMeasureType or "IfcLabel"
                out["PEnum"] = prop.Enumerators.Name
                out["PEnumValues"] = [v.wrappedValue for v in prop.Enumerators.EnumerationValues]
            elif prop.Name == "FunctionalUnitReference":
                out["FunctionalUnitReference"] = prop.PrimaryMeasureType or "IfcLabel"
    return out


def _mass_unit(ifc: ifcopenshell.file):
    """The project's mass unit and kg per one of it; kilogram (a new IfcSIUnit, via ifcopenshell.api,
    not assigned to the project) when the project has none."""
    project = next(iter(ifc.by_type("IfcProject")), None)
    assignment = project.UnitsInContext if project is not None else None
    for unit in (assignment.Units or ()) if assignment is not None else ():
        if getattr(unit, "UnitType", None) == "MASSUNIT":
            try:
                scale, _ = unit_scale(unit)
            except BimcarbonError:
                break
            return unit, scale
    return ifcopenshell.api.unit.add_si_unit(ifc, unit_type="MASSUNIT", prefix="KILO"), 1.0


def _unit_label(unit) -> str:
    if unit.is_a("IfcSIUnit"):
        return f"{unit.Prefix or ''}{unit.Name}".lower()
    return str(getattr(unit, "Name", unit.is_a()))


def _indicator_props(writer: _PsetWriter, templates: dict, assessment) -> list:
    """The Pset_EnvironmentalImpactIndicators properties shared by every element."""
    ifc = writer.ifc
    props = []
    if "LifeCyclePhase" in templates and LIFE_CYCLE_PHASE in templates["PEnumValues"]:
        measure = templates["LifeCyclePhase"]
        enumeration = next(
            (e for e in ifc.by_type("IfcPropertyEnumeration") if e.Name == templates["PEnum"]), None
        )
        if enumeration is None:
            enumeration = ifc.create_entity(
                "IfcPropertyEnumeration",
                Name=templates["PEnum"],
                EnumerationValues=[ifc.create_entity(measure, v) for v in templates["PEnumValues"]],
            )
        known = [v.wrappedValue for v in enumeration.EnumerationValues or ()]
        props.append(
            ifc.create_entity(
                "IfcPropertyEnumeratedValue",
                Name="LifeCyclePhase",
                EnumerationValues=[ifc.create_entity(measure, LIFE_CYCLE_PHASE)],
                EnumerationReference=enumeration if LIFE_CYCLE_PHASE in known else None,
            )
        )
    if "FunctionalUnitReference" in templates:
        text = "bimcarbon factors: " + "; ".join(assessment.factor_sets)
        props.append(
            ifc.create_entity(
                "IfcPropertySingleValue",
                Name="FunctionalUnitReference",
                NominalValue=ifc.create_entity(templates["FunctionalUnitReference"], text[:_LABEL_MAX]),
            )
        )
    return props


def _assessment_props(assessment, summary: WriteSummary, heatmap: Heatmap | None, lang: str) -> list[Prop]:
    """The project's set: the assessment as a whole, and the heatmap's legend."""
    totals = assessment.embodied
    props = [
        Prop("ModelName", assessment.model_name[:_LABEL_MAX], "label"),
        Prop("ModelSha256", assessment.model_sha256, "identifier"),
        Prop("ToolVersion", f"bimcarbon {__version__}", "label"),
        Prop("CriteriaPack", assessment.criteria_pack[:_LABEL_MAX], "label"),
        Prop("FactorSets", "; ".join(assessment.factor_sets), "text"),
        Prop("A1_A3_kgCO2e", float(totals.a1_a3), "real"),
        Prop("UpfrontA1_A5_kgCO2e", float(totals.upfront_a1_a5), "real"),
        Prop("EmbodiedTotal_kgCO2e", float(totals.embodied_total), "real"),
        Prop("ClimateChangeModules", STATED_MODULES, "label"),
        Prop("ElementsWithResults", summary.with_results, "integer"),
        Prop("ElementsWithoutResults", summary.without_results, "integer"),
    ]
    if heatmap is not None:
        zh = lang == "zh"
        lines = [f"{c.colour} {c.zh.get('label', c.label) if zh else c.label}" for c, _ in heatmap.legend()]
        props.append(Prop("HeatmapLegend", "; ".join(lines), "text"))
    return props


def _existing_psets(ifc: ifcopenshell.file, ids: set[int]) -> dict[tuple[int, str], object]:
    """(element id, set name) -> the property set of that name the element already has (ours or the
    standard ones), in one pass over the relationships."""
    names = {RESULTS_PSET, VALUES_PSET, INDICATORS_PSET}
    found: dict[tuple[int, str], object] = {}
    for rel in ifc.by_type("IfcRelDefinesByProperties"):
        definition = rel.RelatingPropertyDefinition
        if not hasattr(definition, "is_a") or not definition.is_a("IfcPropertySet"):
            continue
        if definition.Name not in names:
            continue
        for related in rel.RelatedObjects or ():
            if related.id() in ids:
                found.setdefault((related.id(), definition.Name), definition)
    return found


def _own_set(entity, name: str):
    for rel in getattr(entity, "IsDefinedBy", None) or ():
        if rel.is_a("IfcRelDefinesByProperties"):
            definition = rel.RelatingPropertyDefinition
            if hasattr(definition, "is_a") and definition.is_a("IfcPropertySet") and definition.Name == name:
                return definition
    return None


class _PsetWriter:
    """Creates property sets with one owner history, sharing the properties that may be shared."""

    def __init__(self, ifc: ifcopenshell.file) -> None:
        self.ifc = ifc
        self.owner = _owner_history(ifc)
        self.shared: dict[tuple, object] = {}
        self.merged: dict[str, int] = {}

    def prop(self, prop: Prop):
        key = (prop.name, prop.kind, prop.value)
        if prop.shared and key in self.shared:
            return self.shared[key]
        value = prop.value
        if prop.kind in ("label", "identifier") and isinstance(value, str):
            value = value[:_LABEL_MAX]
        created = self.ifc.create_entity(
            "IfcPropertySingleValue",
            Name=prop.name,
            NominalValue=self.ifc.create_entity(_IFC_TYPES[prop.kind], value),
        )
        if prop.shared:
            self.shared[key] = created
        return created

    def add(self, entities: list, name: str, properties: list) -> None:
        """A new property set related to ``entities``, marked as bimcarbon's (its Description)."""
        pset = self.ifc.create_entity(
            "IfcPropertySet",
            GlobalId=ifcopenshell.guid.new(),
            OwnerHistory=self.owner,
            Name=name,
            Description=WRITTEN_BY,
            HasProperties=properties,
        )
        self.ifc.create_entity(
            "IfcRelDefinesByProperties",
            GlobalId=ifcopenshell.guid.new(),
            OwnerHistory=self.owner,
            RelatedObjects=entities,
            RelatingPropertyDefinition=pset,
        )

    def remove_earlier(self) -> None:
        """Remove every set an earlier write made (marked :data:`WRITTEN_BY`): a model written back and
        assessed again gets its results once, and the indicators set shared by all its elements goes
        whole rather than being unshared element by element."""
        for pset in list(self.ifc.by_type("IfcPropertySet")):
            if pset.Description != WRITTEN_BY:
                continue
            relations = list(_relations(pset))
            if not relations:
                continue
            first = relations[0].RelatedObjects[0]
            for relation in relations[1:]:
                self.ifc.remove(relation)
            relations[0].RelatedObjects = [first]
            ifcopenshell.api.pset.remove_pset(self.ifc, product=first, pset=pset)

    def replace_own(self, entity, pset) -> None:
        """Remove bimcarbon's own set from an earlier write (a model written back and assessed again)."""
        if pset is not None:
            ifcopenshell.api.pset.remove_pset(self.ifc, product=entity, pset=pset)

    def merge(self, entity, name: str, properties: list, pset) -> None:
        """Add a standard set, or, when the element has one, put these properties in it (replacing those
        of the same names, keeping the others; a set shared with other elements is first unshared)."""
        if not properties:
            return
        if pset is None:
            self.add([entity], name, properties)
            return
        if len(_related(pset)) > 1:
            pset = ifcopenshell.api.pset.unshare_pset(self.ifc, products=[entity], pset=pset)[0]
        names = {p.Name for p in properties}
        kept = [p for p in pset.HasProperties or () if p.Name not in names]
        replaced = len(pset.HasProperties or ()) - len(kept)
        pset.HasProperties = kept + list(properties)
        if replaced:
            self.merged[name] = self.merged.get(name, 0) + 1

    def merged_warnings(self) -> list[str]:
        return [
            f"{count} element(s) already had {name} with the properties bimcarbon writes; replaced by "
            "bimcarbon's (the set's other properties kept)"
            for name, count in self.merged.items()
        ]


def _relations(pset) -> list:
    """The IfcRelDefinesByProperties relating a set (IFC4: DefinesOccurrence; IFC2X3:
    PropertyDefinitionOf)."""
    found = getattr(pset, "DefinesOccurrence", None) or getattr(pset, "PropertyDefinitionOf", None) or ()
    return [rel for rel in found if rel.RelatedObjects]


def _related(pset) -> list:
    return [entity for rel in _relations(pset) for entity in rel.RelatedObjects]


def _owner_history(ifc: ifcopenshell.file):
    """One IfcOwnerHistory for every entity added: the project's owning user, bimcarbon as the
    application, ADDED now. None in IFC4/IFC4X3 when the project has none (it is optional there)."""
    project = next(iter(ifc.by_type("IfcProject")), None)
    project_owner = project.OwnerHistory if project is not None else None
    if ifc.schema != "IFC2X3" and project_owner is None:
        return None
    user = project_owner.OwningUser if project_owner is not None else None
    user = user or next(iter(ifc.by_type("IfcPersonAndOrganization")), None)
    if user is None:
        person = ifc.create_entity("IfcPerson", FamilyName="bimcarbon")
        organisation = ifc.create_entity("IfcOrganization", Name="bimcarbon")
        user = ifc.create_entity("IfcPersonAndOrganization", ThePerson=person, TheOrganization=organisation)
    application = next(
        (
            a
            for a in ifc.by_type("IfcApplication")
            if a.ApplicationIdentifier == "bimcarbon" and a.Version == __version__
        ),
        None,
    )
    if application is None:
        developer = ifc.create_entity("IfcOrganization", Name="bimcarbon project")
        application = ifc.create_entity(
            "IfcApplication",
            ApplicationDeveloper=developer,
            Version=__version__,
            ApplicationFullName="bimcarbon",
            ApplicationIdentifier="bimcarbon",
        )
    now = int(time.time())
    return ifc.create_entity(  # IFC4's CorrectChangeAction: ADDED needs a LastModifiedDate
        "IfcOwnerHistory",
        OwningUser=user,
        OwningApplication=application,
        ChangeAction="ADDED",
        LastModifiedDate=now,
        CreationDate=now,
    )


def _write(ifc: ifcopenshell.file, out_path: Path) -> None:
    """Write ``.ifc`` text, or an ``.ifczip`` holding one ``.ifc``; through a temporary file beside the
    target, so a failed write leaves no half file."""
    try:
        out_path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=".bimcarbon-", suffix=".ifc", dir=out_path.parent)
        os.close(handle)
        try:
            if out_path.suffix.lower() == ".ifczip":
                with tempfile.TemporaryDirectory(prefix="bimcarbon-") as folder:
                    text = Path(folder) / (out_path.stem + ".ifc")
                    ifc.write(str(text))
                    with zipfile.ZipFile(temporary, "w", compression=zipfile.ZIP_DEFLATED) as archive:
                        archive.write(text, arcname=text.name)
            else:
                ifc.write(temporary)
            os.replace(temporary, out_path)
        finally:
            if os.path.exists(temporary):
                os.unlink(temporary)
    except OSError as exc:
        raise OutputError(f"cannot be written ({exc.strerror or exc})", out_path) from exc


__all__ = ["IFC_OUT_SUFFIXES", "WriteSummary", "check_ifc_out", "write_results"]
