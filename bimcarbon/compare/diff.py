"""Deltas of two assessments: per element pair, per material, IFC class and storey, per module of the
building, and the balance that ties them together. Pure functions on assessment JSON dicts.

Every delta is variant - base, kgCO2e; an element or module absent on one side counts as 0 there, and
a delta within rounding of the larger figure (:data:`bimcarbon.compare.figures.SAME`) is 0.
"""

from __future__ import annotations

from collections import defaultdict

from bimcarbon.compare.figures import SAME, TOTAL_KEYS, difference, number
from bimcarbon.compare.model import (
    BalanceRow,
    ElementChange,
    FieldChange,
    Figure,
    GroupDelta,
    Totals,
)
from bimcarbon.compare.pairing import Pair, same_class
from bimcarbon.element_results import ELEMENT_MODULES, ElementResult

#: Element-level module keys (A1-A3, A4, A5 wastage, B4, C2, C3-C4).
ELEMENT_KEYS = tuple(key for key, _ in ELEMENT_MODULES)
#: Quantities whose change makes a pair "changed".
QUANTITIES = ("volume_m3", "area_m2", "mass_kg")
#: What makes up each total of the building: (element-level modules, building-level modules); the
#: element deltas plus the building-level deltas give the total's delta.
COMPOSITION: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "a1_a3": (("a1_a3",), ()),
    "a4": (("a4",), ()),
    "a5": (("a5_wastage",), ("a5_site",)),
    "a5_wastage": (("a5_wastage",), ()),
    "a5_site": ((), ("a5_site",)),
    "b4": (("b4",), ()),
    "c1_c4": (("c2", "c3_c4"), ("c1",)),
    "c1": ((), ("c1",)),
    "c2": (("c2",), ()),
    "c3_c4": (("c3_c4",), ()),
    "biogenic_kgco2": (("biogenic",), ()),
    "upfront_a1_a5": (("a1_a3", "a4", "a5_wastage"), ("a5_site",)),
    "embodied_total": (ELEMENT_KEYS, ("a5_site", "c1")),
}
#: A module balances when its parts and its delta differ by no more than this share of its larger total
#: (or 1e-6 kgCO2e): rounding in sums over thousands of elements.
BALANCE_TOLERANCE = 1e-6


def element_change(
    pair: Pair,
    base: dict | None,
    variant: dict | None,
    tolerance_m: float = float("inf"),
    same_schema: bool = True,
) -> ElementChange:
    """One pair (or a lone element) with what changed and its delta per element-level module.

    ``tolerance_m`` is the position tolerance: a pair by GlobalId whose placement origins lie further
    apart has moved (a ``position`` change). ``same_schema`` is False when the two models are of other
    IFC schemas (see :func:`field_changes`).
    """
    shown = variant if variant is not None else base
    if base is None:
        change, changes = "added", []
    elif variant is None:
        change, changes = "removed", []
    else:
        moved = pair.distance_m if pair.distance_m is not None and pair.distance_m > tolerance_m else None
        changes = field_changes(base, variant, moved, same_schema)
        change = "changed" if changes else "unchanged"
    deltas = {
        key: delta(_value(base, f"{key}_kgco2e"), _value(variant, f"{key}_kgco2e")) for key in ELEMENT_KEYS
    }
    known = [d for d in deltas.values() if d is not None]
    return ElementChange(
        global_id=shown.get("global_id"),
        base_global_id=base.get("global_id") if base else None,
        variant_global_id=variant.get("global_id") if variant else None,
        ifc_class=str(shown.get("ifc_class")),
        type_name=shown.get("type_name"),
        storey=shown.get("storey"),
        element_name=shown.get("element_name"),
        change=change,
        paired_by=pair.paired_by,
        distance_m=pair.distance_m,
        ambiguous=pair.ambiguous,
        candidates=pair.candidates,
        candidate_count=pair.candidate_count,
        changes=changes,
        **{f"delta_{key}_kgco2e": value for key, value in deltas.items()},
        delta_embodied_kgco2e=sum(known) if known else None,
        delta_biogenic_kgco2=delta(_value(base, "biogenic_kgco2"), _value(variant, "biogenic_kgco2")),
        base=ElementResult.model_validate(base) if base else None,
        variant=ElementResult.model_validate(variant) if variant else None,
    )


def field_changes(
    base: dict, variant: dict, moved_m: float | None = None, same_schema: bool = True
) -> list[FieldChange]:
    """What differs between the two elements of a pair.

    Parameters
    ----------
    base, variant
        The two elements (assessment JSON ``elements`` entries).
    moved_m
        How far the element moved (m), when further than the position tolerance: a ``position`` change.
    same_schema
        False when the models are of other IFC schemas: a class and its ``StandardCase`` or
        ``ElementedCase`` subtype are then one class (also within one schema: the subtype says how the
        geometry is written, not what the element is), and a predefined type given on one side only is
        the schema's (IFC2X3 has none for walls, beams, columns, windows, doors), not a change.

    Returns
    -------
    list of FieldChange
        Quantities, materials, factors, status, type, storey and position; when none of quantities,
        materials, factors, status and type changed but the kgCO2e did, each module that did
        (``carbon``: a factor's value, a distance, a service life). A change of quantity source is
        listed to explain another change, never alone (a re-export that measured the same volume
        another way changed nothing).
    """
    out = []
    for name in QUANTITIES:
        if _differs(base.get(name), variant.get(name)):
            out.append(
                FieldChange(what="quantity", field=name, base=base.get(name), variant=variant.get(name))
            )
    for what, name in (("material", "materials"), ("factor", "factor_ids"), ("status", "status")):
        if base.get(name) != variant.get(name):
            out.append(FieldChange(what=what, field=name, base=base.get(name), variant=variant.get(name)))
    if not same_class(base.get("ifc_class"), variant.get("ifc_class")):
        out.append(
            FieldChange(
                what="type", field="ifc_class", base=base.get("ifc_class"), variant=variant.get("ifc_class")
            )
        )
    b_type, v_type = base.get("predefined_type"), variant.get("predefined_type")
    if b_type != v_type and (same_schema or (b_type is not None and v_type is not None)):
        out.append(FieldChange(what="type", field="predefined_type", base=b_type, variant=v_type))
    if base.get("type_name") != variant.get("type_name"):
        out.append(
            FieldChange(
                what="type", field="type_name", base=base.get("type_name"), variant=variant.get("type_name")
            )
        )
    if not out:
        for key in (*ELEMENT_KEYS, "biogenic"):
            name = "biogenic_kgco2" if key == "biogenic" else f"{key}_kgco2e"
            if _differs(base.get(name), variant.get(name)):
                out.append(
                    FieldChange(what="carbon", field=name, base=base.get(name), variant=variant.get(name))
                )
    if base.get("storey") != variant.get("storey"):
        out.append(
            FieldChange(what="storey", field="storey", base=base.get("storey"), variant=variant.get("storey"))
        )
    if moved_m is not None:
        out.append(
            FieldChange(
                what="position",
                field="position_m",
                base=base.get("position_m"),
                variant=variant.get("position_m"),
            )
        )
    sources = base.get("quantity_sources") or [], variant.get("quantity_sources") or []
    if out and sources[0] != sources[1]:
        out.append(
            FieldChange(what="quantity source", field="quantity_sources", base=sources[0], variant=sources[1])
        )
    return out


def delta(base: object, variant: object) -> float | None:
    """variant - base (an absent side is 0; both absent: None; within rounding: 0)."""
    return difference(number(base), number(variant))["diff"]


def _differs(a: object, b: object) -> bool:
    a, b = number(a), number(b)
    if a is None or b is None:
        return (a is None) != (b is None)
    return abs(a - b) > SAME * max(abs(a), abs(b))


def _value(element: dict | None, name: str) -> float | None:
    return number(element.get(name)) if element else None


def totals(base: dict, variant: dict) -> Totals:
    """The building's embodied emissions by module on both sides, and the deltas."""
    b = {key: number(base.get(key)) for key in TOTAL_KEYS}
    v = {key: number(variant.get(key)) for key in TOTAL_KEYS}
    return Totals(base=b, variant=v, delta={key: delta(b[key], v[key]) for key in TOTAL_KEYS})


def figure_of(base: object, variant: object) -> Figure:
    """A :class:`Figure` of two numbers."""
    row = difference(number(base), number(variant))
    return Figure(base=row["a"], variant=row["b"], delta=row["diff"], pct=row["pct"])


def balance(changes: list[ElementChange], building: dict[str, Figure], total: Totals) -> list[BalanceRow]:
    """For every module of the totals: the sum of the element deltas, the building-level delta, the total
    delta and what is left (0 but for rounding: ``balanced``)."""
    sums = {key: 0.0 for key in (*ELEMENT_KEYS, "biogenic")}
    for c in changes:
        for key in ELEMENT_KEYS:
            sums[key] += getattr(c, f"delta_{key}_kgco2e") or 0.0
        sums["biogenic"] += c.delta_biogenic_kgco2 or 0.0
    rows = []
    for module, (element_keys, building_keys) in COMPOSITION.items():
        elements = sum(sums[k] for k in element_keys)
        building_level = sum(building[k].delta or 0.0 for k in building_keys)
        total_delta = total.delta.get(module)
        left = (total_delta or 0.0) - elements - building_level
        scale = max(abs(total.base.get(module) or 0.0), abs(total.variant.get(module) or 0.0), 1.0)
        rows.append(
            BalanceRow(
                module=module,
                elements_kgco2e=elements,
                building_level_kgco2e=building_level,
                delta_kgco2e=total_delta,
                difference_kgco2e=left,
                balanced=abs(left) <= BALANCE_TOLERANCE * scale,
            )
        )
    return rows


def by_attribute(changes: list[ElementChange], attribute: str, empty: str) -> list[GroupDelta]:
    """kgCO2e per element-level module by IFC class or storey (``attribute``) on each side, the largest
    change of the element-level total first; an element without one is under ``empty``."""
    base: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    variant: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for c in changes:
        for side, element, sums in ((0, c.base, base), (1, c.variant, variant)):
            if element is None:
                continue
            key = getattr(element, attribute) or empty
            counts[key][side] += 1
            group = sums[key]  # an element assessed in no module still names its group
            for module in ELEMENT_KEYS:
                value = getattr(element, f"{module}_kgco2e")
                if value is not None:
                    group[module] += value
    return _groups(base, variant, counts, ELEMENT_KEYS)


def by_material(base: dict, variant: dict, changes: list[ElementChange]) -> list[GroupDelta]:
    """A1-A3 by material (the assessments' ``by_material``), with how many elements hold each material
    on each side, the largest change first."""
    b = {m["material"]: {"a1_a3": number(m["a1_a3_kgco2e"]) or 0.0} for m in base.get("by_material", [])}
    v = {m["material"]: {"a1_a3": number(m["a1_a3_kgco2e"]) or 0.0} for m in variant.get("by_material", [])}
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for c in changes:
        for side, element in ((0, c.base), (1, c.variant)):
            for material in (element.materials or ["(no material)"]) if element is not None else []:
                counts[material][side] += 1
    return _groups(b, v, counts, ("a1_a3",))


def _groups(
    base: dict[str, dict[str, float]],
    variant: dict[str, dict[str, float]],
    counts: dict[str, list[int]],
    modules: tuple[str, ...],
) -> list[GroupDelta]:
    rows = []
    for key in set(base) | set(variant):
        b = {m: base[key][m] if key in base and m in base[key] else None for m in modules}
        v = {m: variant[key][m] if key in variant and m in variant[key] else None for m in modules}
        if len(modules) > 1:
            b["embodied"] = sum(x for x in b.values() if x is not None) if key in base else None
            v["embodied"] = sum(x for x in v.values() if x is not None) if key in variant else None
        d = {m: delta(b[m], v[m]) for m in b}
        n_base, n_variant = counts.get(key, [0, 0])
        rows.append(
            GroupDelta(key=key, elements_base=n_base, elements_variant=n_variant, base=b, variant=v, delta=d)
        )
    main = "embodied" if len(modules) > 1 else modules[0]
    rows.sort(
        key=lambda r: (-abs(r.delta[main] or 0.0), -max(r.base[main] or 0.0, r.variant[main] or 0.0), r.key)
    )
    return rows
