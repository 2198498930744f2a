"""Per-element results: one line per element of the take-off with its quantities, materials, factors,
status and kgCO2e per element-level life-cycle module.

Pure pandas on an assessment's tables (the matched parts and the components with their modules); no
IFC, no files. Every element of the take-off is there, those with no material or nothing counted
included, so that two assessments can be compared element by element (:mod:`bimcarbon.compare`) and
the elements' A1-A3 add up to the building's. A5 site activity and C1 are per m2 of floor area: they
belong to the building, not to an element (:func:`bimcarbon.lifecycle.modules`).
"""

from __future__ import annotations

import pandas as pd
from pydantic import BaseModel, Field

from bimcarbon.coverage import row_status

#: Element-level modules: (key of :class:`~bimcarbon.lifecycle.ModuleTotals`, column of the components).
ELEMENT_MODULES = (
    ("a1_a3", "kgco2e"),
    ("a4", "a4_kgco2e"),
    ("a5_wastage", "a5_wastage_kgco2e"),
    ("b4", "b4_kgco2e"),
    ("c2", "c2_kgco2e"),
    ("c3_c4", "c3_c4_kgco2e"),
)
#: Module keys of the building's totals that are per m2 of floor area, not per element.
BUILDING_MODULES = ("a5_site", "c1")

#: An element's status: every part with material matched by name; every part counted, some by an
#: assumption; some parts counted and some left out; nothing counted; only air (void layers).
STATUSES = ("matched", "assumed", "partly left out", "left out", "void")


class ElementResult(BaseModel):
    """One element of the take-off and what it adds, kgCO2e per element-level module (None: nothing of
    it is assessed in that module)."""

    global_id: str | None
    step_id: int
    ifc_class: str
    predefined_type: str | None = None
    element_name: str | None = None
    type_name: str | None = None
    storey: str | None = None
    position_m: list[float] | None = None
    materials: list[str] = Field(default_factory=list)
    factor_ids: list[str] = Field(default_factory=list)
    volume_m3: float | None = None
    area_m2: float | None = None
    mass_kg: float | None = None
    quantity_sources: list[str] = Field(default_factory=list)
    status: str
    flags: list[str] = Field(default_factory=list)
    a1_a3_kgco2e: float | None = None
    a4_kgco2e: float | None = None
    a5_wastage_kgco2e: float | None = None
    b4_kgco2e: float | None = None
    c2_kgco2e: float | None = None
    c3_c4_kgco2e: float | None = None
    biogenic_kgco2: float | None = None


def element_results(
    parts: pd.DataFrame, components: pd.DataFrame, status: pd.DataFrame | None = None
) -> list[ElementResult]:
    """Every element of the take-off with its results, in take-off order.

    Parameters
    ----------
    parts
        The matched take-off (:attr:`bimcarbon.matching.Matched.parts`): one row per (element, material
        part), with ``match_status`` and ``has_mass``.
    components
        The components with their modules (:func:`bimcarbon.lifecycle.modules`): ``row`` (index of
        ``parts``), ``factor_id``, ``kgco2e`` (A1-A3), ``a4_kgco2e``, ``a5_wastage_kgco2e``,
        ``b4_kgco2e``, ``c2_kgco2e``, ``c3_c4_kgco2e``, ``biogenic_kgco2``, ``mass_kg``.
    status
        :func:`bimcarbon.coverage.row_status` of the parts, when the caller has it already (the
        assessment computes it once for the coverage and the elements); computed here otherwise.

    Returns
    -------
    list of ElementResult
        One per element (``step_id``). Volumes, masses and kgCO2e are sums over its parts (None when
        none is known); the area is the element's (a layer covers the whole area, constituents share it).
    """
    if parts.empty:
        return []
    status = row_status(parts, components) if status is None else status
    element = parts["step_id"]
    volume = pd.to_numeric(parts["volume_m3"], errors="coerce")
    area = pd.to_numeric(parts["area_m2"], errors="coerce")
    layered = parts["part_kind"].eq("layer")
    # layers each carry the element's whole area: counted once (the largest); other parts share it
    area_of = area[~layered].groupby(element[~layered], sort=False).sum(min_count=1)
    area_of = area_of.combine_first(area[layered].groupby(element[layered], sort=False).max())
    first = parts.groupby(element, sort=False).head(1).set_index("step_id")
    void = parts["has_mass"].eq(False) & ~status["mapped"] & ~status["assumed"]
    counted = status["mapped"] | status["assumed"]
    solid = ~void
    frame = pd.DataFrame(
        {
            "volume_m3": volume.groupby(element, sort=False).sum(min_count=1),
            "mass_kg": pd.to_numeric(status["mass_kg"], errors="coerce")
            .groupby(element, sort=False)
            .sum(min_count=1),
            "solid": solid.groupby(element, sort=False).sum(),
            "counted": (counted & solid).groupby(element, sort=False).sum(),
            "mapped": (status["mapped"] & solid).groupby(element, sort=False).sum(),
        }
    )
    frame["area_m2"] = area_of
    values = {}
    if not components.empty:
        rows = components["row"]
        steps = element.reindex(rows.to_numpy()).to_numpy()
        for key, column in (*ELEMENT_MODULES, ("biogenic", "biogenic_kgco2")):
            series = pd.to_numeric(components[column], errors="coerce")
            values[key] = series.groupby(steps, sort=False).sum(min_count=1)
        # in the order of the parts, and of the factors of each part's rule (concrete, then its rebar)
        order = pd.Series(range(len(parts)), index=parts.index).reindex(rows.to_numpy()).to_numpy()
        factor_pairs = pd.DataFrame(
            {"order": order, "step": steps, "factor_id": components["factor_id"].to_numpy()}
        ).sort_values("order", kind="stable")
        factors = _collect(factor_pairs["step"].tolist(), factor_pairs["factor_id"].tolist())
    else:
        factors = {}
    materials = _distinct(parts, "material")
    sources = _distinct(parts, "quantity_source")
    flags = _distinct_flags(parts)
    first = first.reindex(frame.index)
    frame = frame.join(
        first[["global_id", "ifc_class", "predefined_type", "element_name", "type_name", "storey"]]
    )
    for axis in "xyz":
        column = f"position_{axis}_m"
        frame[column] = pd.to_numeric(first[column], errors="coerce") if column in first else float("nan")
    for key, _ in ELEMENT_MODULES:
        frame[key] = values[key] if values else float("nan")
    frame["biogenic"] = values["biogenic"] if values else float("nan")
    # column by column into plain lists (not frame.to_dict("records"), which boxes every cell)
    column = {name: frame[name].tolist() for name in frame.columns}
    modules = [(f"{key}_kgco2e", column[key]) for key, _ in ELEMENT_MODULES]
    results = []
    for i, step in enumerate(frame.index.tolist()):
        results.append(
            ElementResult(
                global_id=_text(column["global_id"][i]),
                step_id=int(step),
                ifc_class=str(column["ifc_class"][i]),
                predefined_type=_text(column["predefined_type"][i]),
                element_name=_text(column["element_name"][i]),
                type_name=_text(column["type_name"][i]),
                storey=_text(column["storey"][i]),
                position_m=_position(
                    column["position_x_m"][i], column["position_y_m"][i], column["position_z_m"][i]
                ),
                materials=materials.get(step, []),
                factor_ids=factors.get(step, []),
                volume_m3=_number(column["volume_m3"][i]),
                area_m2=_number(column["area_m2"][i]),
                mass_kg=_number(column["mass_kg"][i]),
                quantity_sources=sources.get(step, []),
                status=_status(int(column["solid"][i]), int(column["counted"][i]), int(column["mapped"][i])),
                flags=flags.get(step, []),
                **{name: _number(values[i]) for name, values in modules},
                biogenic_kgco2=_number(column["biogenic"][i]),
            )
        )
    return results


def _status(solid: int, counted: int, mapped: int) -> str:
    """The element's status from its parts holding material: how many, counted, matched by name."""
    if solid == 0:
        return "void"
    if counted == 0:
        return "left out"
    if counted < solid:
        return "partly left out"
    return "matched" if mapped == solid else "assumed"


def _distinct(parts: pd.DataFrame, column: str) -> dict[int, list[str]]:
    """Per element, the distinct non-empty values of a column in order of appearance."""
    return _collect(parts["step_id"].tolist(), parts[column].tolist())


def _distinct_flags(parts: pd.DataFrame) -> dict[int, list[str]]:
    """Per element, the distinct flags of its parts (``;``-separated on each row)."""
    steps, texts = [], []
    for step, text in zip(parts["step_id"].tolist(), parts["flags"].tolist(), strict=True):
        if isinstance(text, str) and text:
            for flag in text.split(";"):
                steps.append(step)
                texts.append(flag)
    return _collect(steps, texts)


def _collect(steps: list, values: list) -> dict[int, list[str]]:
    """``{step: [distinct values in order]}``, leaving out None, NaN and empty text (plain Python: a
    groupby over 10,000 small groups took a second)."""
    out: dict[int, list[str]] = {}
    for step, value in zip(steps, values, strict=True):
        if value is None or value != value or value == "":
            continue
        known = out.setdefault(int(step), [])
        text = str(value)
        if text not in known:
            known.append(text)
    return out


def _position(x: object, y: object, z: object) -> list[float] | None:
    """The placement origin [x, y, z] in m; None when any coordinate is unknown (None or NaN)."""
    if x is None or y is None or z is None or x != x or y != y or z != z:
        return None
    return [float(x), float(y), float(z)]


def _number(value: object) -> float | None:
    if value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if number != number else number


def _text(value: object) -> str | None:
    return None if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)
