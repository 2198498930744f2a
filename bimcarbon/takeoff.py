"""The take-off table: one row per (element, material part), SI units, provenance on every row.

``take_off(model)`` reads every physical element, resolves its quantities (exported sets, then
material-set dimensions, then the geometry engine for what is still missing) and splits them between
its material parts. See docs/takeoff.md for the resolution order and the columns.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from typing import TYPE_CHECKING, Literal

from bimcarbon.errors import ConservationError
from bimcarbon.ifc.elements import ElementRecord, Exclusion, physical_elements, unique_elements
from bimcarbon.ifc.footprints import floor_slab_bodies
from bimcarbon.ifc.geometry import (
    GeometryVolume,
    KeptMeshes,
    ProgressCallback,
    compute_volumes,
    geometry_problem,
)
from bimcarbon.ifc.quantities import ElementQuantities
from bimcarbon.ifc.reader import Model
from bimcarbon.ifc.storeys import storey_elevations_m
from bimcarbon.ifc.units import ProjectUnits
from bimcarbon.quantity_check import (
    DEFAULT_QUANTITY_TOLERANCE,
    CheckMode,
    CheckOutcome,
    Exported,
    check_exported_volumes,
    group_warning,
    inferred_unit_verdict,
    relative_difference,
    unverified_warning,
)
from bimcarbon.split import (
    PartRow,
    VolumeChoice,
    element_length,
    split_element,
    volume_without_geometry,
)

if TYPE_CHECKING:  # the reader process never imports pandas (0.3 s): see TakeOffRows
    import pandas as pd

GeometryMode = Literal["auto", "never", "always"]

#: Relative tolerance between a layered element's volume and its area x total layer thickness (wider
#: than the quantity check's: the area and the layers are rounded separately by exporters, and wall
#: ends and joins make the two differ by a few per cent).
LAYER_TOLERANCE = 0.15

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
    "volume_upper_bound_m3",
    "surface_area_m2",
    "surface_area_source",
    "count",
    "quantity_source",
    "area_source",
    "length_source",
    "mass_source",
    "density_kg_per_m3",
    "density_source",
    "flags",
    "position_x_m",
    "position_y_m",
    "position_z_m",
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
    "stage",
    "group_rejected",
    "export_used",
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
        Exported volumes measured against the geometry by the quantity check; :data:`CHECK_COLUMNS`.
    warnings
        Lines for the person: parser problems, unit notes, broken elements (with GlobalId).
    units
        The project's units and their scales to SI.
    model_path, schema, sha256
        Which model was taken off.
    element_count
        Number of IfcElement instances in the model (taken off + excluded).
    parameters
        Options used (geometry mode, quantity check mode, tolerance).
    storey_elevations_m
        Elevations of the model's storeys in m (for the storey height of plausibility checks).
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
    storey_elevations_m: list[float] = field(default_factory=list)


#: The tables of a take-off and their columns.
_TABLE_COLUMNS = {"table": COLUMNS, "excluded": EXCLUDED_COLUMNS, "checks": CHECK_COLUMNS}


@dataclass
class TakeOffRows:
    """A take-off whose tables are still rows (one dict per row), as the reader process makes it: the
    reader never imports pandas (0.3 s of every assessment, paid meanwhile by the command, which turns
    the rows into a :class:`TakeOff` with :meth:`frames`). Attributes as :class:`TakeOff`'s."""

    table: list[dict]
    excluded: list[dict]
    checks: list[dict]
    warnings: list[str]
    units: ProjectUnits
    model_path: str
    schema: str
    sha256: str
    element_count: int
    parameters: dict[str, object] = field(default_factory=dict)
    storey_elevations_m: list[float] = field(default_factory=list)

    def frames(self) -> TakeOff:
        """The take-off with its tables as DataFrames (columns :data:`COLUMNS`, :data:`EXCLUDED_COLUMNS`,
        :data:`CHECK_COLUMNS`)."""
        import pandas as pd

        same = {f.name: getattr(self, f.name) for f in fields(self) if f.name not in _TABLE_COLUMNS}
        tables = {
            name: pd.DataFrame(getattr(self, name), columns=columns)
            for name, columns in _TABLE_COLUMNS.items()
        }
        return TakeOff(**same, **tables)


def take_off(
    model: Model,
    geometry: GeometryMode = "auto",
    quantity_check: CheckMode = "sample",
    tolerance: float = DEFAULT_QUANTITY_TOLERANCE,
    progress: ProgressCallback | None = None,
) -> TakeOff:
    """Take off every physical element of a model, per material part (:func:`take_off_rows`, its tables
    made DataFrames)."""
    return take_off_rows(model, geometry, quantity_check, tolerance, progress).frames()


def take_off_rows(
    model: Model,
    geometry: GeometryMode = "auto",
    quantity_check: CheckMode = "sample",
    tolerance: float = DEFAULT_QUANTITY_TOLERANCE,
    progress: ProgressCallback | None = None,
) -> TakeOffRows:
    """Take off every physical element of a model, per material part, without pandas.

    Parameters
    ----------
    model
        An opened model (:func:`bimcarbon.ifc.read_model`).
    geometry
        ``auto``: the geometry engine measures only elements with no volume from exported
        quantities or material-set dimensions. ``never``: no geometry. ``always``: geometry volume
        for every element with a body, preferred to exported volumes.
    quantity_check
        How exported volumes are verified against the geometry (:mod:`bimcarbon.quantity_check`):
        ``sample`` (default) measures a few elements of each group (IFC class x quantity) and more
        when they disagree; ``full`` measures every element with an exported volume; ``off``
        trusts the exports. A rejected export is replaced by the geometry, else by dimensions.
    tolerance
        Relative tolerance of the check, e.g. 0.05 for 5 %.
    progress
        Optional callback ``progress(done, total)`` while geometry is computed.

    Returns
    -------
    TakeOffRows
    """
    if geometry not in ("auto", "never", "always"):
        raise ValueError(f"geometry must be auto, never or always, not {geometry!r}")
    if quantity_check not in ("sample", "full", "off"):
        raise ValueError(f"quantity_check must be sample, full or off, not {quantity_check!r}")
    records, exclusions, entities, model_warnings = physical_elements(model)
    choices = [volume_without_geometry(r.quantities, r.material, r.body_length_m) for r in records]
    measurer = _Measurer(model, entities, progress)
    measurer.pending = [
        i
        for i, (record, choice) in enumerate(zip(records, choices, strict=True))
        if record.has_body and (geometry == "always" or (geometry == "auto" and choice is None))
    ]
    warnings = list(model.warnings) + model_warnings
    outcome = _check_exports(model, records, choices, measurer, geometry, quantity_check, tolerance, warnings)
    measurer.measure([], True)  # elements that need geometry and were not measured with the check
    rows: list[dict] = []
    layer_notes: dict[str, list[str]] = {}
    unbounded: dict[str, list[float]] = {}  # IFC class -> bounding-box volumes of elements without one
    for i, (record, choice) in enumerate(zip(records, choices, strict=True)):
        warnings.extend(record.warnings)
        shape = measurer.net.get(i)
        final, extra_flags, layer_note, quantities = _element_volume(
            record, choice, shape, i, measurer, outcome, geometry
        )
        if layer_note is not None:
            layer_notes.setdefault(record.ifc_class, []).append(layer_note)
        problem = geometry_problem(extra_flags, shape)
        if problem:
            instead = f"its volume comes from {final.source} instead" if final.source != "none" else None
            warnings.append(
                f"{record.global_id} ({record.ifc_class}): {problem}; {instead or 'kept without a volume'}"
            )
        upper_bound_m3 = None
        if final.volume_m3 is None and shape is not None and shape.bbox_volume_m3:
            upper_bound_m3 = shape.bbox_volume_m3
            extra_flags.append("volume_upper_bound")
            unbounded.setdefault(record.ifc_class, []).append(upper_bound_m3)
        try:
            length = element_length(record.quantities, record.body_length_m)
            part_rows = split_element(record.material, quantities, final, length)
            surface = _surface(record, shape if shape is not None else measurer.gross.get(i))
            rows.extend(
                _plain_row(_row(record, part_row, extra_flags, upper_bound_m3, surface))
                for part_row in part_rows
            )
        except Exception as exc:  # one odd element must not lose the model: keep it, flagged
            warnings.append(
                f"{record.global_id} ({record.ifc_class}): could not be split ({exc}); "
                "kept without quantities"
            )
            rows.append(_plain_row(_unsplit_row(record)))
    warnings.extend(_summary_warnings(layer_notes, unbounded))
    excluded = [_plain_row(_exclusion_row(e)) for e in exclusions]
    check_conservation(rows, excluded, len(unique_elements(model.ifc)), model.path)
    return TakeOffRows(
        table=rows,
        excluded=excluded,
        checks=_checks_rows(outcome, records, choices),
        warnings=warnings,
        units=model.units,
        model_path=str(model.path),
        schema=model.schema,
        sha256=model.sha256,
        element_count=len(records) + len(exclusions),
        parameters={
            "geometry": geometry,
            "quantity_check": outcome.mode,
            "quantity_tolerance": tolerance,
        },
        storey_elevations_m=storey_elevations_m(model),
    )


def _check_exports(
    model: Model,
    records: list[ElementRecord],
    choices: list[VolumeChoice | None],
    measurer: _Measurer,
    geometry: GeometryMode,
    quantity_check: CheckMode,
    tolerance: float,
    warnings: list[str],
) -> CheckOutcome:
    """Run the quantity check on the elements with an exported volume and a body; its findings go
    to ``warnings``."""
    exported = [
        Exported(i, r.ifc_class, c.source, c.volume_m3, c.basis, r.has_openings)
        for i, (r, c) in enumerate(zip(records, choices, strict=True))
        if r.has_body and c is not None and c.exported and c.volume_m3 is not None
    ]
    mode: CheckMode = "off" if geometry == "never" else quantity_check
    if geometry == "always" and mode == "sample":
        mode = "full"  # every body is measured anyway: compare them all
    outcome = check_exported_volumes(exported, measurer.measure, mode, tolerance)
    if exported and mode == "off" and geometry != "always":
        why = "--geometry never" if geometry == "never" else "the check was turned off"
        warnings.append(
            f"{len(exported)} exported volumes were not checked against the geometry ({why}); "
            "exports from authoring tools are often wrong"
        )
    warnings.extend(w for f in outcome.groups if (w := group_warning(f, tolerance)) is not None)
    if (unverified := unverified_warning(outcome)) is not None:
        warnings.append(unverified)
    layered = [g for g in outcome.groups if g.source.startswith("layer:")]
    if model.units.volume.inferred and any(not e.source.startswith("layer:") for e in exported):
        volume_groups = [g for g in outcome.groups if g not in layered]
        warnings.append(inferred_unit_verdict("volume", model.units.volume.name, volume_groups))
    if model.units.area.inferred and any(e.source.startswith("layer:") for e in exported):
        warnings.append(inferred_unit_verdict("area", model.units.area.name, layered))
    return outcome


def _element_volume(
    record: ElementRecord,
    choice: VolumeChoice | None,
    shape: GeometryVolume | None,
    index: int,
    measurer: _Measurer,
    outcome: CheckOutcome,
    geometry: GeometryMode,
) -> tuple[VolumeChoice, list[str], str | None, ElementQuantities]:
    """The element's volume, the flags its rows carry, a note when its layers disagree, and the
    quantities to split it with."""
    rejected = outcome.rejected.get(index)
    if rejected is None and _bodiless_in_rejected_group(record, choice, outcome):
        rejected = ["qto_group_rejected"]
    if rejected is not None:
        final, flags = _replacement(record, shape, choice)
        flags[:0] = rejected
    else:
        final, flags = _final_choice(record, choice, shape, index in measurer.net, geometry)
    final, layer_note = _layer_cross_check(record, final, choice, shape, rejected is not None, geometry)
    if layer_note is not None:
        flags.append("layer_volume_mismatch")
    # volumes exported per layer or constituent come from the same export: not used once it is rejected
    quantities = record.quantities if rejected is None else replace(record.quantities, part_volumes={})
    return final, flags + list(final.flags), layer_note, quantities


def _summary_warnings(layer_notes: dict[str, list[str]], unbounded: dict[str, list[float]]) -> list[str]:
    """One line per IFC class whose layers disagree with its volumes, one for elements without one."""
    lines = [
        f"{len(notes)} {ifc_class}: volume and area x total layer thickness disagree by more than "
        f"{LAYER_TOLERANCE:.0%} (flag layer_volume_mismatch), e.g. {'; '.join(notes[:3])}"
        for ifc_class, notes in layer_notes.items()
    ]
    if unbounded:
        count = sum(len(v) for v in unbounded.values())
        classes = ", ".join(f"{c} {len(v)}" for c, v in sorted(unbounded.items()))
        lines.append(
            f"{count} elements with a body have no volume ({classes}): their bounding boxes hold at most "
            f"{sum(sum(v) for v in unbounded.values()):,.3f} m3 (column volume_upper_bound_m3); not counted"
        )
    return lines


class _Measurer:
    """Geometry volumes by element index, each element measured at most once per basis; the elements
    that need geometry anyway (``pending``) are measured with the first request."""

    def __init__(self, model: Model, entities: list, progress: ProgressCallback | None) -> None:
        self.model, self.entities, self.progress = model, entities, progress
        self.pending: list[int] = []
        self.net: dict[int, GeometryVolume | None] = {}
        self.gross: dict[int, GeometryVolume | None] = {}
        # volumes by the engine's geometry id, one dictionary per basis: a type placed many times is
        # measured once, whichever pass meets it first
        self.shared: dict[bool, dict[str, dict[str, GeometryVolume]]] = {True: {}, False: {}}
        # the floor slabs' meshes, kept as they are measured for the plan footprints of the floor area
        slab_bodies = floor_slab_bodies(model.ifc).values()
        model.kept_meshes = KeptMeshes(wanted={body.id() for bodies in slab_bodies for body in bodies})

    def measure(self, indices: list[int], net: bool) -> dict[int, float | None]:
        """Volumes in m3 (None: no usable volume) of the elements at ``indices``."""
        known = self.net if net else self.gross
        wanted = [i for i in indices if i not in known]
        if net:
            wanted = sorted(set(wanted) | {i for i in self.pending if i not in known})
            self.pending = []
        if wanted:
            shapes = compute_volumes(
                self.model.ifc,
                [self.entities[i] for i in wanted],
                subtract_openings=net,
                progress=self.progress,
                shared=self.shared[net],
                kept=self.model.kept_meshes,
            )
            for i in wanted:
                known[i] = shapes.get(self.entities[i].id())
        return {i: (known[i].volume_m3 if known[i] is not None else None) for i in indices}


def _layer_cross_check(
    record: ElementRecord,
    final: VolumeChoice,
    exported: VolumeChoice | None,
    geometry: GeometryVolume | None,
    export_rejected: bool,
    mode: str = "auto",
) -> tuple[VolumeChoice, str | None]:
    """Cross-check a layered element's volume with its area x total layer thickness.

    When they disagree by more than :data:`LAYER_TOLERANCE`, another source that agrees with the
    layers is taken instead (the exported volume, or the geometry if it was measured), except with
    ``--geometry always``, where the geometry stays; otherwise the volume is kept. Either way a note
    for the warning is returned (None when they agree or the element has no layers, no area or no
    volume). A gross area is not compared with a net volume of an element with openings.
    """
    area, parts = record.quantities.area, record.material.parts
    thickness_m = sum(p.thickness_m or 0.0 for p in parts) if record.material.kind == "layer" else 0.0
    if area is None or thickness_m <= 0 or final.volume_m3 is None or final.source.startswith("layer:"):
        return final, None
    net_volume = final.basis == "net" or final.source.startswith("geometry")
    if record.has_openings and area.basis == "gross" and net_volume:
        return final, None  # openings make a gross area and a net volume differ: not comparable
    layers_m3 = area.value * thickness_m
    if relative_difference(final.volume_m3, layers_m3) <= LAYER_TOLERANCE:
        return final, None
    others = []
    if exported is not None and not export_rejected and exported.source != final.source:
        others.append(exported)
    if geometry is not None and geometry.volume_m3 is not None and final.source != "geometry":
        others.append(VolumeChoice(geometry.volume_m3, "geometry", "net"))
    if mode == "always" and final.source.startswith("geometry"):
        others = []  # the person asked for the geometry: it stays, flagged
    agreeing = [o for o in others if relative_difference(o.volume_m3 or 0.0, layers_m3) <= LAYER_TOLERANCE]
    note = (
        f"{record.global_id} {final.volume_m3:,.3f} m3 from {final.source} against "
        f"{area.value:,.2f} m2 x {thickness_m:.3f} m = {layers_m3:,.3f} m3"
    )
    if agreeing:
        return agreeing[
            0
        ], f"{note}: {agreeing[0].source} ({agreeing[0].volume_m3:,.3f} m3) agrees and is used"
    return final, f"{note}: kept"


def _bodiless_in_rejected_group(
    record: ElementRecord, choice: VolumeChoice | None, outcome: CheckOutcome
) -> bool:
    """An element without a body (nothing to measure) whose group's exported volumes were rejected."""
    return (
        choice is not None
        and choice.exported
        and not record.has_body
        and (record.ifc_class, choice.source) in outcome.rejected_groups
    )


def _replacement(
    record: ElementRecord, shape: GeometryVolume | None, rejected: VolumeChoice | None
) -> tuple[VolumeChoice, list[str]]:
    """The volume of an element whose exported volume the check rejected: its geometry, else its
    dimensions (profile or layers, without exported volumes and not the rejected way), else none."""
    flags = list(shape.flags) if shape is not None else (["geometry_failed"] if record.has_body else [])
    if shape is not None and shape.volume_m3 is not None:
        return VolumeChoice(shape.volume_m3, "geometry", "net"), flags
    without_exports = replace(record.quantities, volume=None, type_volume=None, cross_section=None)
    dimensions = volume_without_geometry(without_exports, record.material, record.body_length_m)
    if dimensions is not None and (rejected is None or dimensions.source != rejected.source):
        return dimensions, flags
    return VolumeChoice(None, "none"), [*flags, "no_quantity"]


def check_conservation(table: list[dict], excluded: list[dict], element_count: int, path) -> None:
    """Every IfcElement is in the table or excluded, exactly once; anything else is an error (a bug).
    ``table`` and ``excluded`` are rows (dicts with ``step_id``)."""
    taken = {row["step_id"] for row in table}
    left_out = {row["step_id"] for row in excluded}
    if len(taken) + len(left_out) != element_count or taken & left_out:
        raise ConservationError(
            f"conservation check failed: {len(taken)} elements taken off + {len(left_out)} excluded "
            f"!= {element_count} IfcElement in the model",
            path,
        )


def _final_choice(
    record: ElementRecord,
    choice: VolumeChoice | None,
    shape: GeometryVolume | None,
    measured: bool,
    mode: str,
) -> tuple[VolumeChoice, list[str]]:
    flags: list[str] = []
    use_geometry = mode == "always" or (mode == "auto" and choice is None)
    if use_geometry and shape is not None:
        flags.extend(shape.flags)  # open_geometry, mesh_reoriented, mesh_unorientable, ...
        if shape.volume_m3 is not None:
            return VolumeChoice(shape.volume_m3, "geometry", "net"), flags
    if use_geometry and record.has_body and measured and shape is None:
        flags.append("geometry_failed")
    if choice is not None:
        return choice, flags
    flags.append("no_quantity")
    return VolumeChoice(None, "none"), flags


def _checks_rows(outcome: CheckOutcome, records: list[ElementRecord], choices: list) -> list[dict]:
    """One row per exported volume measured by the quantity check."""
    rejected_groups = outcome.rejected_groups
    rows = []
    for c in sorted(outcome.comparisons, key=lambda c: c.index):
        record, choice = records[c.index], choices[c.index]
        rows.append(
            {
                "global_id": record.global_id,
                "ifc_class": record.ifc_class,
                "element_name": record.element_name,
                "exported_volume_m3": c.exported_m3,
                "exported_source": choice.source,
                "geometry_volume_m3": c.geometry_m3,
                "geometry_basis": c.geometry_basis,
                "relative_difference": c.relative_difference,
                "mismatch": c.mismatch,
                "stage": c.stage,
                "group_rejected": (record.ifc_class, choice.source) in rejected_groups,
                "export_used": c.index not in outcome.rejected,
            }
        )
    return rows


def _surface(record: ElementRecord, shape: GeometryVolume | None) -> tuple[float | None, str | None]:
    """The element's whole surface area in m2 and where it came from: its measured mesh (when the
    mesh gave a volume; openings cut, else kept when only the gross body was measured), else an exported
    surface area (``NetSurfaceArea`` ...), else nothing."""
    if shape is not None and shape.volume_m3 is not None and shape.surface_area_m2:
        return shape.surface_area_m2, "geometry"
    if record.quantities.surface is not None:
        return record.quantities.surface.value, record.quantities.surface.source
    return None, None


def _row(
    record: ElementRecord,
    part_row: PartRow,
    extra_flags: list[str],
    upper_bound_m3: float | None = None,
    surface: tuple[float | None, str | None] = (None, None),
) -> dict:
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
        "volume_upper_bound_m3": upper_bound_m3 if part.index == 0 else None,
        "surface_area_m2": surface[0],
        "surface_area_source": surface[1],
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
        **_position_columns(record.position_m),
    }


def _position_columns(position_m: tuple[float, float, float] | None) -> dict[str, float | None]:
    """The element's placement origin (m) as the table's three columns (None where it has none)."""
    x, y, z = position_m if position_m is not None else (None, None, None)
    return {"position_x_m": x, "position_y_m": y, "position_z_m": z}


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
        **_position_columns(record.position_m),
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
