"""The take-off table: one row per (element, material part), SI units, provenance on every row.

``take_off(model)`` reads every physical element, resolves its quantities (exported sets, then
material-set dimensions, then the geometry engine for what is still missing) and splits them between
its material parts. See docs/takeoff.md for the resolution order and the columns.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import pandas as pd

from bimcarbon.errors import ConservationError
from bimcarbon.ifc.elements import ElementRecord, Exclusion, physical_elements, unique_elements
from bimcarbon.ifc.geometry import GeometryVolume, ProgressCallback, compute_volumes, geometry_problem
from bimcarbon.ifc.reader import Model
from bimcarbon.ifc.units import ProjectUnits
from bimcarbon.split import (
    PartRow,
    VolumeChoice,
    element_length,
    split_element,
    volume_without_geometry,
)

GeometryMode = Literal["auto", "never", "always"]

#: Default relative tolerance between an exported volume and the geometry's before flagging.
DEFAULT_QUANTITY_TOLERANCE = 0.05

#: Columns of the take-off table, in order.
COLUMNS = [
    "global_id",
    "step_id",
    "ifc_class",
    "predefined_type",
    "element_name",
    "type_name",
    "storey",
    "classification",
    "material",
    "material_category",
    "material_source",
    "part_kind",
    "part_index",
    "part_name",
    "layer_thickness_m",
    "fraction",
    "volume_m3",
    "area_m2",
    "length_m",
    "mass_kg",
    "count",
    "quantity_source",
    "area_source",
    "length_source",
    "mass_source",
    "density_kg_per_m3",
    "density_source",
    "flags",
]

EXCLUDED_COLUMNS = ["global_id", "step_id", "ifc_class", "element_name", "reason"]
CHECK_COLUMNS = [
    "global_id",
    "ifc_class",
    "element_name",
    "exported_volume_m3",
    "exported_source",
    "geometry_volume_m3",
    "geometry_basis",
    "relative_difference",
    "mismatch",
]


@dataclass
class TakeOff:
    """Result of a take-off.

    Attributes
    ----------
    table
        One row per (element, material part); columns :data:`COLUMNS`.
    excluded
        Elements left out on purpose, with the reason; columns :data:`EXCLUDED_COLUMNS`.
    checks
        Exported-versus-geometry volume comparisons (``--check-quantities``); :data:`CHECK_COLUMNS`.
    warnings
        Lines for the person: parser problems, unit notes, broken elements (with GlobalId).
    units
        The project's units and their scales to SI.
    model_path, schema, sha256
        Which model was taken off.
    element_count
        Number of IfcElement instances in the model (taken off + excluded).
    parameters
        Options used (geometry mode, quantity check, tolerance).
    """

    table: pd.DataFrame
    excluded: pd.DataFrame
    checks: pd.DataFrame
    warnings: list[str]
    units: ProjectUnits
    model_path: str
    schema: str
    sha256: str
    element_count: int
    parameters: dict[str, object] = field(default_factory=dict)


def take_off(
    model: Model,
    geometry: GeometryMode = "auto",
    check_quantities: bool = False,
    tolerance: float = DEFAULT_QUANTITY_TOLERANCE,
    progress: ProgressCallback | None = None,
) -> TakeOff:
    """Take off every physical element of a model, per material part.

    Parameters
    ----------
    model
        An opened model (:func:`bimcarbon.ifc.read_model`).
    geometry
        ``auto``: the geometry engine measures only elements with no volume from exported
        quantities or material-set dimensions. ``never``: no geometry. ``always``: geometry volume
        for every element with a body, preferred to exported volumes.
    check_quantities
        Also measure elements that have an exported volume, and flag ``qto_geometry_mismatch`` where
        the two differ by more than ``tolerance``.
    tolerance
        Relative tolerance of the check, e.g. 0.05 for 5 %.
    progress
        Optional callback ``progress(done, total)`` while geometry is computed.

    Returns
    -------
    TakeOff
    """
    if geometry not in ("auto", "never", "always"):
        raise ValueError(f"geometry must be auto, never or always, not {geometry!r}")
    records, exclusions, entities, model_warnings = physical_elements(model)
    choices = [volume_without_geometry(r.quantities, r.material, r.body_length_m) for r in records]
    wanted = []
    for record, entity, choice in zip(records, entities, choices, strict=True):
        if not record.has_body:
            continue
        needed = geometry == "always" or (geometry == "auto" and choice is None)
        checked = check_quantities and choice is not None and choice.exported
        if needed or checked:
            wanted.append(entity)
    measured: dict[int, GeometryVolume] = {}
    if wanted:
        measured = compute_volumes(model.ifc, wanted, subtract_openings=True, progress=progress)
    gross: dict[int, GeometryVolume] = {}
    if check_quantities:
        gross_needed = [
            e
            for r, e, c in zip(records, entities, choices, strict=True)
            if c is not None and c.exported and c.basis == "gross" and r.has_openings
        ]
        if gross_needed:
            gross = compute_volumes(model.ifc, gross_needed, subtract_openings=False)
    rows: list[dict] = []
    checks: list[dict] = []
    warnings = list(model.warnings) + model_warnings
    for record, choice in zip(records, choices, strict=True):
        warnings.extend(record.warnings)
        final, extra_flags = _final_choice(record, choice, measured, geometry)
        problem = geometry_problem(extra_flags, measured.get(record.step_id))
        if problem:
            instead = f"its volume comes from {final.source} instead" if final.source != "none" else None
            warnings.append(
                f"{record.global_id} ({record.ifc_class}): {problem}; {instead or 'kept without a volume'}"
            )
        if check_quantities and choice is not None and choice.exported:
            check = _check(record, choice, measured, gross, tolerance)
            if check is not None:
                checks.append(check)
                if check["mismatch"]:
                    extra_flags.append("qto_geometry_mismatch")
        extra_flags.extend(final.flags)
        try:
            length = element_length(record.quantities, record.body_length_m)
            part_rows = split_element(record.material, record.quantities, final, length)
            rows.extend(_plain_row(_row(record, part_row, extra_flags)) for part_row in part_rows)
        except Exception as exc:  # one odd element must not lose the model: keep it, flagged
            warnings.append(
                f"{record.global_id} ({record.ifc_class}): could not be split ({exc}); "
                "kept without quantities"
            )
            rows.append(_plain_row(_unsplit_row(record)))
    table = pd.DataFrame(rows, columns=COLUMNS)
    excluded = pd.DataFrame([_plain_row(_exclusion_row(e)) for e in exclusions], columns=EXCLUDED_COLUMNS)
    check_conservation(table, excluded, len(unique_elements(model.ifc)), model.path)
    return TakeOff(
        table=table,
        excluded=excluded,
        checks=pd.DataFrame(checks, columns=CHECK_COLUMNS),
        warnings=warnings,
        units=model.units,
        model_path=str(model.path),
        schema=model.schema,
        sha256=model.sha256,
        element_count=len(records) + len(exclusions),
        parameters={
            "geometry": geometry,
            "check_quantities": check_quantities,
            "quantity_tolerance": tolerance,
        },
    )


def check_conservation(table: pd.DataFrame, excluded: pd.DataFrame, element_count: int, path) -> None:
    """Every IfcElement is in the table or excluded, exactly once; anything else is an error (a bug)."""
    taken = set(table["step_id"])
    left_out = set(excluded["step_id"])
    if len(taken) + len(left_out) != element_count or taken & left_out:
        raise ConservationError(
            f"conservation check failed: {len(taken)} elements taken off + {len(left_out)} excluded "
            f"!= {element_count} IfcElement in the model",
            path,
        )


def _final_choice(
    record: ElementRecord,
    choice: VolumeChoice | None,
    measured: dict[int, GeometryVolume],
    mode: str,
) -> tuple[VolumeChoice, list[str]]:
    flags: list[str] = []
    shape = measured.get(record.step_id)
    use_geometry = mode == "always" or (mode == "auto" and choice is None)
    if use_geometry and shape is not None:
        flags.extend(shape.flags)  # open_geometry, mesh_reoriented, mesh_unorientable, ...
        if shape.volume_m3 is not None:
            return VolumeChoice(shape.volume_m3, "geometry", "net"), flags
    if use_geometry and record.has_body and shape is None:
        flags.append("geometry_failed")
    if choice is not None:
        return choice, flags
    flags.append("no_quantity")
    return VolumeChoice(None, "none"), flags


def _check(
    record: ElementRecord,
    choice: VolumeChoice,
    measured: dict[int, GeometryVolume],
    gross: dict[int, GeometryVolume],
    tolerance: float,
) -> dict | None:
    use_gross = choice.basis == "gross" and record.step_id in gross
    shape = (gross if use_gross else measured).get(record.step_id)
    if shape is None or shape.volume_m3 is None or choice.volume_m3 is None:
        return None
    exported, computed = choice.volume_m3, shape.volume_m3
    biggest = max(abs(exported), abs(computed))
    difference = abs(exported - computed) / biggest if biggest > 0 else 0.0
    return {
        "global_id": record.global_id,
        "ifc_class": record.ifc_class,
        "element_name": record.element_name,
        "exported_volume_m3": exported,
        "exported_source": choice.source,
        "geometry_volume_m3": computed,
        "geometry_basis": "gross" if use_gross else "net",
        "relative_difference": difference,
        "mismatch": difference > tolerance,
    }


def _row(record: ElementRecord, part_row: PartRow, extra_flags: list[str]) -> dict:
    part = part_row.part
    material = record.material
    flags = _unique(record.flags + [f for f, _ in record.quantities.notes])
    flags += _unique(list(material.flags) + part_row.flags + extra_flags)
    return {
        "global_id": record.global_id,
        "step_id": record.step_id,
        "ifc_class": record.ifc_class,
        "predefined_type": record.predefined_type,
        "element_name": record.element_name,
        "type_name": record.type_name,
        "storey": record.storey,
        "classification": record.classification,
        "material": part.material,
        "material_category": part.category,
        "material_source": material.source,
        "part_kind": material.kind,
        "part_index": part.index,
        "part_name": part.part_name,
        "layer_thickness_m": part.thickness_m,
        "fraction": part.fraction,
        "volume_m3": part_row.volume_m3,
        "area_m2": part_row.area_m2,
        "length_m": part_row.length_m,
        "mass_kg": part_row.mass_kg,
        "count": 1 if part.index == 0 else 0,
        "quantity_source": part_row.quantity_source,
        "area_source": part_row.area_source,
        "length_source": part_row.length_source,
        "mass_source": part_row.mass_source,
        "density_kg_per_m3": part.density_kg_per_m3,
        "density_source": "Pset_MaterialCommon.MassDensity" if part.density_kg_per_m3 is not None else None,
        "flags": ";".join(_unique(flags)),
    }


def _unsplit_row(record: ElementRecord) -> dict:
    """The one row of an element whose quantities could not be split: identity, no numbers."""
    row = dict.fromkeys(COLUMNS)
    row.update(
        global_id=record.global_id,
        step_id=record.step_id,
        ifc_class=record.ifc_class,
        element_name=record.element_name,
        storey=record.storey,
        part_kind="none",
        part_index=0,
        count=1,
        quantity_source="none",
        flags="broken_element;no_quantity",
    )
    return row


def _plain_row(row: dict) -> dict:
    """Only plain values in the table: a broken file can put an entity or a list where a name belongs
    (the value is dropped and the row flagged ``invalid_attribute``)."""
    bad = [k for k, v in row.items() if v is not None and not isinstance(v, str | int | float | bool)]
    if not bad:
        return row
    clean = {k: (None if k in bad else v) for k, v in row.items()}
    if "flags" in clean:
        clean["flags"] = ";".join(_unique((clean.get("flags") or "").split(";") + ["invalid_attribute"]))
    return clean


def _exclusion_row(exclusion: Exclusion) -> dict:
    return {
        "global_id": exclusion.global_id,
        "step_id": exclusion.step_id,
        "ifc_class": exclusion.ifc_class,
        "element_name": exclusion.element_name,
        "reason": exclusion.reason,
    }


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(i for i in items if i))
