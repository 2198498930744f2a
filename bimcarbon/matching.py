"""Material part -> factor(s), by ordered rules, with quantities converted to each factor's unit.

``match(table, rule_sets, library, assumptions)`` takes the take-off table and returns, for every row,
which rule matched (or that none did, with scored suggestions that are never applied) and, for every
factor the rule uses, the row's quantity in the factor's declared unit, or the reason it cannot be
converted. No number is invented silently: a missing density or area is reported, never counted as
zero, and what the model does not say but an assumption fills in (:mod:`bimcarbon.assumptions`) is
``assumed``, with the assumption named on the row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process

from bimcarbon.assumptions import Assumptions, RebarAssumption
from bimcarbon.conditions import any_of, first_rule
from bimcarbon.errors import FactorFileError
from bimcarbon.factors import Factor, FactorLibrary, Status
from bimcarbon.rules import FactorUse, Rule, RuleSet

#: Columns of :attr:`Matched.parts` added to each take-off row.
PART_COLUMNS = [
    "match_status",
    "rule_id",
    "rule_set",
    "proxy",
    "has_mass",
    "reason",
    "suggestions",
    "matched_on",
    "assumption",
    "left_out_density_kg_per_m3",
]

#: ``match_status`` values: the material name was matched to factors; the factors are an assumption
#: (a placeholder or absent material, a stud layer's steel per m2); the name is known to have no
#: factor; no rule knows it.
MATCH_STATUSES = ("matched", "assumed", "no_factor", "unmatched")

#: ``matched_on`` of parts reached by a class-based assumption.
BY_ASSUMPTION = "assumption"

#: Id of the rule set whose concrete parts may get the assumed rebar (a person's mapping decides for
#: the parts it matches).
SHIPPED_RULES_ID = "default-rules"

#: Names the rules are tried on, in order, when no rule knows the material name of a part that is the
#: whole element (a single material): the element's type name, then its own name. A steel named
#: "_S335J0_wg" on a beam whose type is "HEA200 S355J0" is matched as steel. Parts of layer,
#: constituent and profile sets are not (an element's names describe the whole, not one layer), nor
#: parts without a material: a name such as "Basic Roof:Live Roof over Wood Joist Flat Roof" describes
#: a build-up, and matching it as timber would count soil and insulation as wood.
NAME_FALLBACKS = ("type_name", "element_name")

#: IFC classes of modelled reinforcement (a ratio rule would count it twice).
REINFORCEMENT_CLASSES = ("IfcReinforcingBar", "IfcReinforcingMesh", "IfcTendon", "IfcReinforcingElement")

#: Columns of :attr:`Matched.components`.
COMPONENT_COLUMNS = [
    "row",
    "global_id",
    "material",
    "rule_id",
    "factor_id",
    "declared_unit",
    "share",
    "kg_per_m3",
    "kg_per_m2",
    "quantity",
    "conversion",
    "density_kg_per_m3",
    "density_source",
    "convertible",
    "reason",
    "mass_kg",
    "use_status",
    "use_note",
    "assumed",
]

#: Suggestions below this rapidfuzz score (0-100) are not shown.
SUGGESTION_MIN_SCORE = 60.0


@dataclass
class Matched:
    """Result of matching.

    Attributes
    ----------
    parts
        The take-off table with :data:`PART_COLUMNS` added (same index).
    components
        One row per (take-off row, factor used); :data:`COMPONENT_COLUMNS`. ``row`` is the take-off
        row's index.
    warnings
        What a person should check (rebar counted both as elements and by a ratio).
    """

    parts: pd.DataFrame
    components: pd.DataFrame
    warnings: list[str]


def match(
    table: pd.DataFrame,
    rule_sets: list[RuleSet],
    library: FactorLibrary,
    assumptions: Assumptions | None = None,
) -> Matched:
    """Match every take-off row with the first rule (across ``rule_sets`` in order) whose condition holds.

    Parameters
    ----------
    table
        The take-off table (:data:`bimcarbon.takeoff.COLUMNS`).
    rule_sets
        Rule files in priority order (a user's mapping first, the defaults last).
    library
        The factors rules may use.
    assumptions
        Class-based defaults for parts whose material is a placeholder or absent, tried after every
        rule set on those parts only, and the rebar assumed in structural concrete
        (:func:`bimcarbon.assumptions.load_assumptions`). ``None`` turns every assumption off, the
        ``assumed`` rules of ``rule_sets`` too (their parts are ``no_factor``, saying so).

    Returns
    -------
    Matched
    """
    rules = [(rule_set, rule) for rule_set in rule_sets for rule in rule_set.rules]
    if assumptions is None:
        rules = [(rule_set, _switched_off(rule)) for rule_set, rule in rules]
    extra = [(assumptions.rules, rule) for rule in assumptions.rules.rules] if assumptions else []
    _check_factors(rules + extra, assumptions, library)
    modelled_rebar = bool(table["ifc_class"].isin(REINFORCEMENT_CLASSES).any())
    if modelled_rebar:  # the bars are in the model: assumed concrete gets no ratio on top
        extra = [(rule_set, _without_ratios(rule)) for rule_set, rule in extra]
    parts = table.copy()
    assigned, matched_on = _assign(table, [rule.when for _, rule in rules])
    if extra:
        _assume(table, assigned, matched_on, rules, extra)
    rules += extra
    parts["matched_on"] = pd.Series(matched_on, index=parts.index, dtype=object)
    # per-rule values, then one "no rule" entry that position -1 picks
    statuses = ["assumed" if rule.assumed else "matched" if rule.use else "no_factor" for _, rule in rules]
    parts["match_status"] = _pick(assigned, statuses, "unmatched", parts.index).astype(str)
    parts["rule_id"] = _pick(assigned, [rule.id for _, rule in rules], None, parts.index)
    parts["rule_set"] = _pick(assigned, [rule_set.metadata.id for rule_set, _ in rules], None, parts.index)
    parts["proxy"] = _pick(assigned, [rule.proxy for _, rule in rules], False, parts.index).astype(bool)
    parts["has_mass"] = _pick(assigned, [rule.has_mass for _, rule in rules], True, parts.index).astype(bool)
    parts["reason"] = _pick(
        assigned, [None if rule.use else rule.reason for _, rule in rules], None, parts.index
    )
    parts["left_out_density_kg_per_m3"] = _pick(
        assigned, [None if rule.use else rule.density_kg_per_m3 for _, rule in rules], None, parts.index
    )
    parts["assumption"] = _pick(
        assigned, [rule.reason if rule.assumed else None for _, rule in rules], None, parts.index
    )
    parts["suggestions"] = None
    components: list[pd.DataFrame] = []
    for position in np.unique(assigned[assigned >= 0]):
        _, rule = rules[position]
        rows = table.index[assigned == position]
        for number, use in enumerate(rule.use):
            factor = library.get(use.factor)
            found = _components(table.loc[rows], rule, use, factor, number == 0)
            components.append(found.assign(assumed=rule.assumed))
    frame = (
        pd.concat(components, ignore_index=True) if components else pd.DataFrame(columns=COMPONENT_COLUMNS)
    )
    warnings = []
    if assumptions is not None and assumptions.rebar is not None:
        frame, rebar_warnings = _assume_rebar(table, parts, frame, assumptions.rebar, library)
        warnings += rebar_warnings
    unmatched = parts["match_status"] == "unmatched"
    if unmatched.any():
        suggestions = suggest(parts.loc[unmatched, "material"].dropna().unique(), library)
        parts.loc[unmatched, "suggestions"] = parts.loc[unmatched, "material"].map(
            lambda name: (
                "; ".join(f"{fid} ({score:.0f})" for fid, score in suggestions.get(name, []))
                if isinstance(name, str)
                else None
            )
        )
        parts.loc[unmatched & parts["material"].isna(), "reason"] = "no material"
    frame["assumed"] = frame["assumed"].fillna(False).astype(bool)
    warnings = _double_rebar(table, frame) + _by_name(parts) + _assumed(parts, frame) + warnings
    return Matched(parts=parts, components=frame, warnings=warnings)


def _without_ratios(rule: Rule) -> Rule:
    """An assumption rule without the materials it adds by a ratio (rebar), for a model whose
    reinforcement is modelled; its reason says so."""
    uses = [use for use in rule.use if use.kg_per_m3 is None]
    if len(uses) == len(rule.use):
        return rule
    reason = f"{rule.reason} (no rebar ratio: the model has modelled reinforcement)"
    return rule.model_copy(update={"use": uses, "reason": reason})


def _switched_off(rule: Rule) -> Rule:
    """An ``assumed`` rule with assumptions turned off: it recognises its parts and uses no factor."""
    if not rule.assumed:
        return rule
    reason = f"assumption turned off (--no-assumptions): {rule.reason}"
    return rule.model_copy(update={"use": [], "assumed": False, "reason": reason})


def _check_factors(rules: list[tuple[RuleSet, Rule]], assumptions: Assumptions | None, library) -> None:
    """Every factor a rule or the rebar assumption uses must be loaded (one clear error otherwise)."""
    for rule_set, rule in rules:
        for use in rule.use:
            if use.factor not in library.by_id:
                raise FactorFileError(
                    f"rule {rule.id!r} uses factor {use.factor!r}, which no loaded factor file has "
                    "(see `bimcarbon factors search`, or add it with --factors)",
                    rule_set.path or None,
                )
    rebar = assumptions.rebar if assumptions is not None else None
    if rebar is not None and rebar.factor not in library.by_id:
        raise FactorFileError(
            f"rebar uses factor {rebar.factor!r}, which no loaded factor file has",
            assumptions.rules.path or None,
        )


def _assume(
    table: pd.DataFrame,
    assigned: np.ndarray,
    matched_on: np.ndarray,
    rules: list[tuple[RuleSet, Rule]],
    assumption_rules: list[tuple[RuleSet, Rule]],
) -> None:
    """Give parts whose material is absent (and no rule matched) or a placeholder the first
    assumption rule that holds; positions continue after ``rules``. Changes the arrays in place."""
    placeholder = np.array([rule.placeholder for _, rule in rules] + [False], dtype=bool)
    no_material = table["material"].isna().to_numpy()
    open_rows = ((assigned < 0) & no_material) | placeholder[assigned]
    if not open_rows.any():
        return
    found = first_rule(table.loc[open_rows], [rule.when for _, rule in assumption_rules])
    rows = np.flatnonzero(open_rows)[found >= 0]
    assigned[rows] = found[found >= 0] + len(rules)
    matched_on[rows] = BY_ASSUMPTION


def _assume_rebar(
    table: pd.DataFrame,
    parts: pd.DataFrame,
    components: pd.DataFrame,
    rebar: RebarAssumption,
    library: FactorLibrary,
) -> tuple[pd.DataFrame, list[str]]:
    """Add the assumed rebar to structural concrete the shipped rules matched without reinforcement.

    Returns the components with the rebar rows added (``assumed``) and the warnings; the parts gain
    the assumption in their ``assumption`` column.
    """
    if components.empty:
        return components, []
    concrete_ids = {
        fid
        for fid in components["factor_id"].unique()
        if library.get(fid).category == "concrete" and library.get(fid).declared_unit == "m3"
    }
    rows_of = components["row"]
    concrete_rows = components["factor_id"].isin(concrete_ids).groupby(rows_of).any()
    ratio_rows = components["kg_per_m3"].notna().groupby(rows_of).any()
    candidates = concrete_rows & ~ratio_rows
    candidates = candidates[candidates].index
    suffixes = ("", "StandardCase", "ElementedCase")
    classes = {f"{name}{suffix}" for name in rebar.ifc_class for suffix in suffixes}
    plain = any_of(rebar.not_words) if rebar.not_words else None
    rows = parts.loc[candidates]
    keep = (
        (rows["match_status"] == "matched")
        & (rows["rule_set"] == SHIPPED_RULES_ID)
        & rows["ifc_class"].isin(classes)
        & ~rows["material"].fillna("").map(lambda name: bool(plain and plain.search(name))).astype(bool)
    )
    rows = rows[keep]
    if rows.empty:
        return components, []
    modelled = table.loc[table["ifc_class"].isin(REINFORCEMENT_CLASSES), "step_id"].nunique()
    if modelled:
        return components, [
            f"rebar not assumed in {rows['step_id'].nunique()} concrete element(s) whose names do not say "
            f"reinforced: the model has {modelled} reinforcement element(s)"
        ]
    use = FactorUse(factor=rebar.factor, kg_per_m3=rebar.kg_per_m3, status=rebar.status, note=rebar.reason)
    rule = Rule(id="assumed-rebar", when={"ifc_class": rebar.ifc_class}, use=[use])
    added = _components(table.loc[rows.index], rule, use, library.get(rebar.factor)).assign(assumed=True)
    label = (
        f"rebar {rebar.kg_per_m3:g} kg/m3 assumed ({rebar.status.value}): the name does not say reinforced"
    )
    parts.loc[rows.index, "assumption"] = label
    warning = (
        f"{rows['step_id'].nunique()} structural concrete element(s) whose material names do not say "
        f"reinforced get {rebar.kg_per_m3:g} kg/m3 of rebar as an assumption (column assumption); "
        "name them unreinforced or map them to change it"
    )
    return pd.concat([components, added], ignore_index=True), [warning]


def _assumed(parts: pd.DataFrame, components: pd.DataFrame) -> list[str]:
    """One line on the parts given an assumption instead of a match, and those it could not count."""
    assumed = parts[parts["match_status"] == "assumed"]
    if assumed.empty:
        return []
    converted = components.groupby("row")["convertible"].all().reindex(assumed.index).fillna(False)
    counted = assumed[converted.astype(bool)]
    volume = pd.to_numeric(counted["volume_m3"], errors="coerce").sum()
    by_rule = counted.groupby("rule_id")["step_id"].nunique().sort_values(ascending=False)
    rules = ", ".join(f"{rule} ({count})" for rule, count in by_rule.items())
    uncounted = assumed[~converted.astype(bool)]
    lines = []
    if not counted.empty:
        lines.append(
            f"{counted['step_id'].nunique()} element(s), {volume:,.1f} m3, are counted by an assumption "
            f"(match_status assumed): {rules}; map them to replace the assumption"
        )
    if not uncounted.empty:
        lines.append(
            f"{uncounted['step_id'].nunique()} element(s) given an assumption could not be counted: no "
            "quantity for the assumed factor (see reason)"
        )
    return lines


def _assign(table: pd.DataFrame, conditions: list) -> tuple[np.ndarray, np.ndarray]:
    """The first rule of each row (-1: none) and what it was matched on: ``material``, or one of
    :data:`NAME_FALLBACKS` for single-material parts whose material name no rule knows."""
    assigned = first_rule(table, conditions)
    matched_on = np.where(assigned >= 0, "material", None).astype(object)
    whole = (table["part_kind"] == "single").to_numpy() & table["material"].notna().to_numpy()
    for column in NAME_FALLBACKS:
        open_rows = (assigned < 0) & whole & table[column].notna().to_numpy()
        if not open_rows.any():
            break
        trial = table.loc[open_rows].assign(material=table.loc[open_rows, column].astype(str))
        found = first_rule(trial, conditions)
        rows = np.flatnonzero(open_rows)[found >= 0]
        assigned[rows] = found[found >= 0]
        matched_on[rows] = column
    return assigned, matched_on


def _by_name(parts: pd.DataFrame) -> list[str]:
    """One line when parts were matched on their type or element name instead of their material."""
    named = parts[parts["matched_on"].isin(NAME_FALLBACKS)]
    if named.empty:
        return []
    first = named.iloc[0]
    example = (
        f"'{first['material']}' by its {str(first['matched_on']).replace('_', ' ')} "
        f"'{first[first['matched_on']]}' -> rule {first['rule_id']}"
    )
    return [
        f"{len(named)} part(s) whose material name no rule knows were matched on "
        f"their element's type or own name (column matched_on), e.g. {example}: check them"
    ]


def _double_rebar(table: pd.DataFrame, components: pd.DataFrame) -> list[str]:
    """Warn when rebar is both modelled as elements and added by a ratio rule."""
    modelled = table.loc[table["ifc_class"].isin(REINFORCEMENT_CLASSES), "step_id"].nunique()
    by_ratio = components[components["kg_per_m3"].notna()]
    if not modelled or by_ratio.empty:
        return []
    rules = ", ".join(sorted(by_ratio["rule_id"].unique()))
    return [
        f"the model has {modelled} reinforcement element(s) and rule(s) {rules} also add reinforcement "
        f"by a ratio to {by_ratio['row'].nunique()} part(s): it may be counted twice; map those parts "
        "without the ratio (a mapping file) if the modelled bars are complete"
    ]


def _pick(assigned: np.ndarray, values: list, none: object, index: pd.Index) -> pd.Series:
    """``values[assigned[i]]`` for every row, ``none`` where ``assigned`` is -1 (object column)."""
    table = np.empty(len(values) + 1, dtype=object)
    table[:-1] = values
    table[-1] = none
    return pd.Series(table[assigned], index=index, dtype=object)


def _components(
    rows: pd.DataFrame, rule: Rule, use: FactorUse, factor: Factor, first: bool = True
) -> pd.DataFrame:
    """Quantities of ``rows`` in the factor's declared unit (vectorised), with reasons where not.
    ``first``: the rule's first factor, which carries a proxy rule's note."""
    share, kg_per_m3 = use.share, use.kg_per_m3
    area_m2 = rows["area_m2"].astype(float).to_numpy()
    from_layer = np.zeros(len(rows), dtype=bool)
    if use.kg_per_m2 is not None:
        from_layer = np.isnan(area_m2)
        area_m2 = _layer_area(rows)
    result = convert(
        volume_m3=rows["volume_m3"].astype(float).to_numpy(),
        area_m2=area_m2,
        length_m=rows["length_m"].astype(float).to_numpy(),
        mass_kg=rows["mass_kg"].astype(float).to_numpy(),
        count=rows["count"].astype(float).to_numpy(),
        ifc_density=rows["density_kg_per_m3"].astype(float).to_numpy(),
        ifc_density_source=rows["density_source"].to_numpy(),
        factor=factor,
        share=share,
        kg_per_m3=kg_per_m3,
        kg_per_m2=use.kg_per_m2,
        default_density=(use.density_kg_per_m3, f"rule {rule.id}") if use.density_kg_per_m3 else None,
    )
    for i in np.flatnonzero(from_layer):
        if result.conversion[i]:
            result.conversion[i] = result.conversion[i].replace("area_m2", "volume_m3/layer_thickness_m", 1)
    return pd.DataFrame(
        {
            "row": rows.index,
            "global_id": rows["global_id"].to_numpy(),
            "material": rows["material"].to_numpy(),
            "rule_id": rule.id,
            "factor_id": factor.id,
            "declared_unit": factor.declared_unit,
            "share": share,
            "kg_per_m3": kg_per_m3,
            "kg_per_m2": use.kg_per_m2,
            "quantity": result.quantity,
            "conversion": result.conversion,
            "density_kg_per_m3": result.density,
            "density_source": result.density_source,
            "convertible": result.convertible,
            "reason": result.reason,
            "mass_kg": result.mass_kg,
            "use_status": use.status.value if use.status is not None else None,
            "use_note": use_note(rule, use, factor, first),
        },
        columns=COMPONENT_COLUMNS,
    )


def _layer_area(rows: pd.DataFrame) -> np.ndarray:
    """Area in m2 of each row; for a layer without an exported area, its volume / its thickness (a
    layer covers the element's whole face)."""
    area = rows["area_m2"].astype(float).to_numpy()
    thickness = pd.to_numeric(rows["layer_thickness_m"], errors="coerce").to_numpy(dtype=float)
    volume = rows["volume_m3"].astype(float).to_numpy()
    from_layer = np.isnan(area) & (thickness > 0)
    return np.where(from_layer, volume / np.where(thickness > 0, thickness, np.nan), area)


def use_note(rule: Rule, use: FactorUse, factor: Factor, first: bool = True) -> str | None:
    """What a reviewer must know about a factor on the parts a rule matched, or None.

    A proxy rule's reason (its description, on its first factor only), the rule's note on this
    factor, and a derived factor's derivation (the interpolated C35 concrete is not a published
    value) travel with every component into the per-material rows of the workbook and the JSON.
    """
    notes = []
    if first and rule.proxy:
        notes.append(f"proxy: {rule.description.rstrip('.') or 'the factor stands in for this material'}")
    if use.note:
        notes.append(use.note)
    if factor.status is Status.derived:
        notes.append(f"derived factor: {factor.status_note or 'not a published value'}")
    return "; ".join(notes) or None


@dataclass
class Conversion:
    """Quantities in a factor's declared unit, one entry per input row."""

    quantity: np.ndarray
    conversion: list[str | None]
    density: np.ndarray
    density_source: list[str | None]
    convertible: np.ndarray
    reason: list[str | None]
    mass_kg: np.ndarray


def convert(
    *,
    volume_m3: np.ndarray,
    area_m2: np.ndarray,
    length_m: np.ndarray,
    mass_kg: np.ndarray,
    count: np.ndarray,
    ifc_density: np.ndarray,
    ifc_density_source: np.ndarray,
    factor: Factor,
    share: float = 1.0,
    kg_per_m3: float | None = None,
    kg_per_m2: float | None = None,
    default_density: tuple[float, str] | None = None,
) -> Conversion:
    """Convert take-off quantities into the factor's declared unit.

    Mass comes from the take-off's ``mass_kg`` (an exported weight, or volume x the IFC density),
    else volume x the default density: the rule's (``default_density``) where it gives one, else the
    factor's. ``share`` scales every quantity; ``kg_per_m3`` (a rebar ratio) turns the part's volume
    into a mass of the factor's material instead.

    Parameters
    ----------
    volume_m3, area_m2, length_m, mass_kg, count
        Quantities per row (NaN where unknown).
    ifc_density, ifc_density_source
        Density from the model per row (NaN where none) and where it was read.
    factor
        The factor whose declared unit is wanted.
    share
        Fraction of the row's quantities this factor covers.
    kg_per_m3
        Mass of the factor's material per m3 of the row's volume, instead of ``share``.
    kg_per_m2
        Mass of the factor's material per m2 of the row's area (a stud layer's steel), instead of
        ``share``.
    default_density
        ``(kg/m3, label)`` used in place of the factor's density when the model gives none (a rule's
        own density for a proxy material); the label goes into ``density_source``.

    Returns
    -------
    Conversion
        ``quantity`` is NaN, ``convertible`` False and ``reason`` set where the conversion is
        impossible.
    """
    n = len(volume_m3)
    unit = factor.declared_unit
    fd, fd_label = factor.density_kg_per_m3, f"factor {factor.id}"
    if default_density is not None:
        fd, fd_label = default_density
    none = np.full(n, None, dtype=object)
    density = np.full(n, np.nan)
    density_source = none.copy()
    reason = none.copy()
    how = none.copy()
    scale = 1000.0 if unit == "t" else 1.0
    per_tonne = "/1000" if unit == "t" else ""
    if kg_per_m3 is not None or kg_per_m2 is not None:
        if kg_per_m3 is not None:
            mass, label, missing = volume_m3 * kg_per_m3, f"volume_m3*{kg_per_m3:g}kg/m3", "no volume"
        else:
            mass, label, missing = area_m2 * kg_per_m2, f"area_m2*{kg_per_m2:g}kg/m2", "no area"
        if unit in ("kg", "t"):
            quantity = mass / scale
            how[:] = label + per_tonne
        elif unit == "m3" and fd:
            quantity = mass / fd
            how[:] = f"{label}/density"
            density[:] = fd
            density_source[:] = fd_label
        else:
            quantity = np.full(n, np.nan)
            reason[:] = f"a mass ratio cannot give {unit}"
        reason[np.isnan(mass) & pd.isna(reason)] = missing
    elif unit in ("m3", "m2", "m", "piece"):
        source, label, missing = {
            "m3": (volume_m3, "volume_m3", "no volume"),
            "m2": (area_m2, "area_m2", "no area for a factor per m2"),
            "m": (length_m, "length_m", "no length for a factor per m"),
            "piece": (count, "count", "no count"),
        }[unit]
        quantity = source * share
        how[:] = label
        reason[np.isnan(quantity)] = missing
        # the density that weighs the part (for coverage and transport), said on the row
        weighed = np.isnan(mass_kg) & ~np.isnan(volume_m3)
        by_model = weighed & ~np.isnan(ifc_density)
        by_default = weighed & np.isnan(ifc_density) & bool(fd)
        density[by_model] = ifc_density[by_model]
        density_source[by_model] = np.asarray(ifc_density_source, dtype=object)[by_model]
        density[by_default] = fd or np.nan
        density_source[by_default] = fd_label
    else:  # kg or t: the take-off's mass, else volume x the factor's default density
        own = mass_kg * share
        has_own = ~np.isnan(own)
        from_density = ~has_own & ~np.isnan(volume_m3) & bool(fd)
        mass = np.where(has_own, own, volume_m3 * share * (fd or np.nan))
        quantity = mass / scale
        how[has_own] = "mass_kg" + per_tonne
        how[from_density] = "volume_m3*density" + per_tonne
        with_ifc_density = has_own & ~np.isnan(ifc_density)
        density[with_ifc_density] = ifc_density[with_ifc_density]
        density_source[with_ifc_density] = np.asarray(ifc_density_source, dtype=object)[with_ifc_density]
        density[from_density] = fd or np.nan
        density_source[from_density] = fd_label
        no_volume = ~has_own & np.isnan(volume_m3)
        reason[no_volume] = "no volume and no mass"
        reason[~has_own & ~no_volume & ~from_density] = (
            "no density: the model gives none and neither the rule nor the factor has a default"
        )
    convertible = ~np.isnan(quantity)
    how[~convertible] = None
    if share != 1.0 and kg_per_m3 is None and kg_per_m2 is None:
        how[convertible] = [f"{h}*{share:g}" for h in how[convertible]]
    if kg_per_m2 is not None:
        component_mass = area_m2 * kg_per_m2
    else:
        component_mass = _component_mass(volume_m3, mass_kg, ifc_density, fd, share, kg_per_m3)
    return Conversion(
        quantity,
        list(how),
        density,
        list(density_source),
        convertible,
        list(reason),
        component_mass,
    )


def _component_mass(volume_m3, mass_kg, ifc_density, factor_density, share, kg_per_m3) -> np.ndarray:
    """Mass in kg of the factor's material in each row, whatever the factor's unit: the rebar mass
    for a ratio; else the take-off's mass, else volume x (IFC density, else the factor's density)."""
    if kg_per_m3 is not None:
        return volume_m3 * kg_per_m3
    density = np.where(np.isnan(ifc_density), factor_density or np.nan, ifc_density)
    return np.where(np.isnan(mass_kg), volume_m3 * density, mass_kg) * share


def _normalise(name: str) -> str:
    return re.sub(r"[\d_/\\\-.,:;()]+", " ", name.lower()).strip()


#: Similarity (rapidfuzz ratio, 0-100) at which a word of a name and a word of a factor's name are
#: taken as the same word ("aluminium"/"aluminum", "wool"/"wool").
SAME_WORD_SCORE = 80.0


def _words(text: str) -> set[str]:
    """Latin words of 3 letters or more, and every 2-character piece of each run of Chinese characters."""
    latin = set(re.findall(r"[a-zà-ÿ]{3,}", text))
    chinese = {
        run[i : i + 2] for run in re.findall(r"[\u4e00-\u9fff]{2,}", text) for i in range(len(run) - 1)
    }
    return latin | chinese


def _related(query: str, label: str) -> bool:
    """Whether a name and a factor's name share a word (fuzzily for latin words): a suggestion that
    shares none is noise ("Sash" is not asphalt, "Trim" is not shale)."""
    label_words = _words(label)
    for word in _words(query):
        if word in label_words:
            return True
        if len(word) >= 3 and any(fuzz.ratio(word, other) >= SAME_WORD_SCORE for other in label_words):
            return True
    return False


def suggest(names, library: FactorLibrary, limit: int = 3) -> dict[str, list[tuple[str, float]]]:
    """Scored factor suggestions for material names no rule matched (never applied automatically).

    Each name is compared (rapidfuzz WRatio, digits and punctuation ignored) with every factor's
    English and Chinese name; the best ``limit`` factors scoring at least
    :data:`SUGGESTION_MIN_SCORE` and sharing a word with the name (:func:`_related`) are returned as
    ``(factor_id, score)``.
    """
    choices: dict[str, str] = {}
    for factor in library.by_id.values():
        for label in (factor.name_en, factor.name_zh):
            if label:
                choices[f"{factor.id}\x00{label}"] = _normalise(label)
    result: dict[str, list[tuple[str, float]]] = {}
    for name in names:
        query = _normalise(str(name))
        if not query:
            result[name] = []
            continue
        best: dict[str, float] = {}
        for _, score, key in process.extract(query, choices, scorer=fuzz.WRatio, limit=limit * 4):
            factor_id = key.split("\x00", 1)[0]
            if not _related(query, choices[key]):
                continue
            if score >= SUGGESTION_MIN_SCORE and score > best.get(factor_id, -1):
                best[factor_id] = score
        result[name] = sorted(best.items(), key=lambda kv: -kv[1])[:limit]
    return result
