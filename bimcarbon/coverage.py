"""What was matched: one line per material, and how much of the building is matched, assumed and
left out, by volume and by mass, with GB/T 51366's completeness check.

Pure pandas on the matched take-off; no IFC, no files.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from pydantic import BaseModel

#: GB/T 51366-2019 clause 6.1.2 as usually quoted: the materials counted must make up at least 95 % of
#: the mass of all building materials. The clause text was not confirmed from the primary source
#: (its text is quoted in secondary sources only: unconfirmed).
COMPLETENESS_MASS_SHARE = 0.95
COMPLETENESS_CLAUSE = "GB/T 51366-2019 6.1.2 (as usually quoted; unconfirmed)"

SUMMARY_COLUMNS = [
    "material",
    "elements",
    "rows",
    "volume_m3",
    "mass_kg",
    "volume_share",
    "mass_share",
    "match_status",
    "rule_id",
    "factor_ids",
    "proxy",
    "unconvertible_rows",
    "reasons",
    "notes",
    "suggestions",
    "kgco2e",
    "biogenic_kgco2",
]


class UnmappedMaterial(BaseModel):
    """A material that adds nothing to the result, with why."""

    material: str
    volume_m3: float
    mass_kg: float | None
    status: str
    reason: str
    suggestions: str


class Coverage(BaseModel):
    """How much of the take-off is matched, assumed and left out, by volume and mass (kg, m3).

    ``*_mapped`` is what was matched by material name, ``*_assumed`` what an assumption filled in
    (:mod:`bimcarbon.assumptions`), ``*_left_out`` what adds nothing although it holds material;
    ``volume_void_m3`` is air layers, which hold none. The shares of volume add up to 1 with the void
    share; the shares of mass to 1 (air weighs nothing).
    """

    elements: int
    elements_mapped: int
    elements_assumed: int = 0
    volume_m3: float
    volume_mapped_m3: float
    volume_assumed_m3: float = 0.0
    volume_left_out_m3: float = 0.0
    volume_void_m3: float = 0.0
    mass_kg: float
    mass_mapped_kg: float
    mass_assumed_kg: float = 0.0
    mass_left_out_kg: float = 0.0
    volume_without_mass_m3: float
    volume_share_mapped: float
    volume_share_assumed: float = 0.0
    volume_share_left_out: float = 0.0
    volume_share_void: float = 0.0
    mass_share_mapped: float
    mass_share_assumed: float = 0.0
    mass_share_left_out: float = 0.0
    a1_a3_kgco2e: float = 0.0
    a1_a3_assumed_kgco2e: float = 0.0
    completeness_threshold: float = COMPLETENESS_MASS_SHARE
    completeness_clause: str = COMPLETENESS_CLAUSE
    completeness_met: bool | None
    completeness_note: str
    unmapped: list[UnmappedMaterial]


def row_status(parts: pd.DataFrame, carbon: pd.DataFrame) -> pd.DataFrame:
    """Per take-off row: whether it is mapped (matched and every factor converted), its mass, its kgCO2e.

    The mass is the take-off's own (exported weight or IFC density), else the mass of the matched
    factors' materials (volume x their default density); NaN when neither is known.
    """
    carbon = carbon.assign(
        convertible=carbon["convertible"].astype(bool),
        kgco2e=pd.to_numeric(carbon["kgco2e"], errors="coerce"),
        biogenic_kgco2=pd.to_numeric(carbon["biogenic_kgco2"], errors="coerce"),
        mass_kg=pd.to_numeric(carbon["mass_kg"], errors="coerce"),
    )
    by_row = carbon.groupby("row")
    all_converted = by_row["convertible"].all()
    kgco2e = by_row["kgco2e"].sum(min_count=1)
    biogenic = by_row["biogenic_kgco2"].sum(min_count=1)
    unconvertible = (~carbon["convertible"]).groupby(carbon["row"]).sum()
    with_reason = carbon.loc[carbon["reason"].notna(), ["row", "reason"]].drop_duplicates()
    reasons = _joined(with_reason.sort_values(["row", "reason"]), "reason", "; ")
    noted = carbon[carbon["use_note"].notna()]
    notes = pd.Series(
        [
            f"{fid}: {note} ({status})" if isinstance(status, str) else f"{fid}: {note}"
            for fid, note, status in zip(
                noted["factor_id"], noted["use_note"], noted["use_status"], strict=True
            )
        ],
        index=noted.index,
        dtype=object,
    )
    notes = _joined(pd.DataFrame({"row": noted["row"], "note": notes}).drop_duplicates(), "note", "; ")
    # a part's own material: components not added by a ratio (rebar in concrete); a part made only of
    # ratios (mortar as its cement and sand) weighs what they add
    ratio = carbon["kg_per_m3"].notna()
    own_mass = carbon[~ratio].groupby("row")["mass_kg"].sum(min_count=1)
    recipe_mass = carbon[ratio].groupby("row")["mass_kg"].sum(min_count=1)
    component_mass = own_mass.combine_first(recipe_mass[~recipe_mass.index.isin(own_mass.index)])
    status = pd.DataFrame(index=parts.index)
    converted = all_converted.astype(bool).reindex(parts.index).fillna(False).astype(bool)
    status["mapped"] = (parts["match_status"] == "matched") & converted
    status["assumed"] = (parts["match_status"] == "assumed") & converted
    status["kgco2e"] = kgco2e.reindex(parts.index)
    status["biogenic_kgco2"] = biogenic.reindex(parts.index)
    status["unconvertible"] = unconvertible.astype(float).reindex(parts.index).fillna(0).astype(int)
    status["reasons"] = reasons.astype(object).reindex(parts.index).fillna("")
    status["notes"] = notes.astype(object).reindex(parts.index).fillna("")
    mass = pd.to_numeric(parts["mass_kg"], errors="coerce")
    mass = mass.where(mass.notna(), component_mass.reindex(parts.index))
    if "left_out_density_kg_per_m3" in parts:  # a material known to have no factor, weighed by its rule
        volume = pd.to_numeric(parts["volume_m3"], errors="coerce")
        by_rule = volume * pd.to_numeric(parts["left_out_density_kg_per_m3"], errors="coerce")
        mass = mass.where(mass.notna(), by_rule)
    # a layer that is mostly void (studs per m2) weighs its studs, whatever density the model gives
    if "kg_per_m2" in carbon:
        per_area = carbon[carbon["kg_per_m2"].notna()].groupby("row")["mass_kg"].sum(min_count=1)
        mass.loc[per_area.index.intersection(mass.index)] = per_area
    massless = parts["has_mass"].eq(False) if "has_mass" in parts else pd.Series(False, index=parts.index)
    status["mass_kg"] = mass.where(~massless, 0.0)
    return status


def material_summary(
    parts: pd.DataFrame, carbon: pd.DataFrame, status: pd.DataFrame | None = None
) -> pd.DataFrame:
    """One line per distinct material name (``(no material)`` for parts without one), by volume."""
    status = row_status(parts, carbon) if status is None else status
    frame = parts.assign(
        volume_m3=pd.to_numeric(parts["volume_m3"], errors="coerce"),
        notes=status["notes"],
        material=parts["material"].fillna("(no material)"),
        mass_kg=status["mass_kg"],
        kgco2e=status["kgco2e"],
        biogenic_kgco2=status["biogenic_kgco2"],
        unconvertible=status["unconvertible"],
        reasons=status["reasons"].where(status["reasons"] != "", parts["reason"].fillna("")),
    )
    frame["factor_ids"] = _factor_ids(carbon).reindex(parts.index).fillna("")
    grouped = frame.groupby("material", sort=False)

    def joined(column: str) -> pd.Series:
        # distinct values first (a handful per material), then joined in order of first appearance
        values = frame[["material", column]].drop_duplicates()
        return values.groupby("material", sort=False)[column].agg(
            lambda s: "; ".join(dict.fromkeys(str(v) for v in s if v not in ("", None) and v == v))
        )

    summary = pd.DataFrame(
        {
            "elements": grouped["step_id"].nunique(),
            "rows": grouped.size(),
            "volume_m3": grouped["volume_m3"].sum(min_count=1),
            "mass_kg": grouped["mass_kg"].sum(min_count=1),
            "match_status": joined("match_status"),
            "rule_id": joined("rule_id"),
            "factor_ids": joined("factor_ids"),
            "proxy": grouped["proxy"].any(),
            "unconvertible_rows": grouped["unconvertible"].sum(),
            "reasons": joined("reasons"),
            "notes": joined("notes"),
            "suggestions": joined("suggestions"),
            "kgco2e": grouped["kgco2e"].sum(min_count=1),
            "biogenic_kgco2": grouped["biogenic_kgco2"].sum(min_count=1),
        }
    ).reset_index()
    total_volume = frame["volume_m3"].sum()
    total_mass = status["mass_kg"].sum()
    summary["volume_share"] = summary["volume_m3"] / total_volume if total_volume else np.nan
    summary["mass_share"] = summary["mass_kg"] / total_mass if total_mass else np.nan
    return summary.sort_values(["mass_kg", "volume_m3"], ascending=False, na_position="last")[SUMMARY_COLUMNS]


def _factor_ids(carbon: pd.DataFrame) -> pd.Series:
    """Per take-off row, its factor ids joined with ``+`` in the order the rule uses them."""
    return _joined(carbon[["row", "factor_id"]].drop_duplicates(), "factor_id", "+")


def _joined(frame: pd.DataFrame, column: str, separator: str) -> pd.Series:
    """Per take-off row (``frame["row"]``), its texts in ``column`` joined with ``separator`` in the
    frame's order. A row's one text is taken as it is: most rows have one, and a join per row runs
    in Python (0.2 s for a 7,000-element model's three columns), so only the others are joined."""
    several = frame["row"].duplicated(keep=False)
    single = frame.loc[~several].set_index("row")[column].astype(object)
    if not several.any():
        return single
    joined = frame.loc[several].groupby("row", sort=False)[column].agg(separator.join).astype(object)
    return pd.concat([single, joined])


def coverage(
    parts: pd.DataFrame,
    carbon: pd.DataFrame,
    summary: pd.DataFrame | None = None,
    status: pd.DataFrame | None = None,
) -> Coverage:
    """Shares of elements, volume and mass matched, assumed and left out, and what is left out.

    The completeness check (GB/T 51366: matched and assumed mass >= 95 % of all mass) uses the known
    masses; a part whose mass is unknown (no density anywhere) is estimated (:func:`_estimated_mass`:
    left out, as concrete; counted, at the mean known density), and the note says so; masses and
    shares of mass include those estimates. It is ``None`` only when the model holds no material.
    ``summary`` (:func:`material_summary`) and ``status`` (:func:`row_status`) are computed here unless
    the caller has them already.
    """
    status = row_status(parts, carbon) if status is None else status
    volume = pd.to_numeric(parts["volume_m3"], errors="coerce").fillna(0.0)
    mapped, assumed = status["mapped"], status["assumed"]
    void = parts["has_mass"].eq(False) & ~mapped & ~assumed
    left = ~mapped & ~assumed & ~void
    counted = mapped | assumed
    element_counted = counted.groupby(parts["step_id"]).all()
    element_mapped = mapped.groupby(parts["step_id"]).all()
    total_volume = float(volume.sum())
    mass, unknown, basis = _estimated_mass(status["mass_kg"], volume, void, left)
    mass_mapped, mass_assumed = float(mass[mapped].sum()), float(mass[assumed].sum())
    mass_left = float(mass[left].sum())
    total_mass = mass_mapped + mass_assumed + mass_left
    summary = material_summary(parts, carbon, status) if summary is None else summary
    left_names = set(parts.loc[left, "material"].fillna("(no material)"))
    unmapped = [
        UnmappedMaterial(
            material=str(r.material),
            volume_m3=_number(r.volume_m3) or 0.0,
            mass_kg=_number(r.mass_kg),
            status=str(r.match_status),
            reason=str(r.reasons or ""),
            suggestions=str(r.suggestions or ""),
        )
        for r in summary[summary["material"].isin(left_names)].itertuples()
    ]
    if total_mass <= 0:
        met, note = None, "cannot be checked: the model has no material volume or mass"
    else:
        share = (mass_mapped + mass_assumed) / total_mass
        met = share >= COMPLETENESS_MASS_SHARE
        note = f"{share:.1%} of the mass is counted ({mass_assumed / total_mass:.1%} of it assumed)"
        if unknown.any():
            note += (
                f"; {int(unknown.sum())} part(s) without a known mass "
                f"({float(volume[unknown].sum()):,.3f} m3) are weighed: {basis}"
            )
    assumed_components = carbon[carbon["assumed"].astype(bool)] if "assumed" in carbon else carbon.iloc[:0]
    return Coverage(
        elements=int(parts["step_id"].nunique()),
        elements_mapped=int(element_mapped.sum()),
        elements_assumed=int((element_counted & ~element_mapped).sum()),
        volume_m3=total_volume,
        volume_mapped_m3=float(volume[mapped].sum()),
        volume_assumed_m3=float(volume[assumed].sum()),
        volume_left_out_m3=float(volume[left].sum()),
        volume_void_m3=float(volume[void].sum()),
        mass_kg=total_mass,
        mass_mapped_kg=mass_mapped,
        mass_assumed_kg=mass_assumed,
        mass_left_out_kg=mass_left,
        volume_without_mass_m3=float(volume[unknown].sum()),
        volume_share_mapped=_share(volume[mapped].sum(), total_volume),
        volume_share_assumed=_share(volume[assumed].sum(), total_volume),
        volume_share_left_out=_share(volume[left].sum(), total_volume),
        volume_share_void=_share(volume[void].sum(), total_volume),
        mass_share_mapped=_share(mass_mapped, total_mass),
        mass_share_assumed=_share(mass_assumed, total_mass),
        mass_share_left_out=_share(mass_left, total_mass),
        a1_a3_kgco2e=float(pd.to_numeric(carbon["kgco2e"], errors="coerce").sum()),
        a1_a3_assumed_kgco2e=float(pd.to_numeric(assumed_components["kgco2e"], errors="coerce").sum()),
        completeness_met=met,
        completeness_note=note,
        unmapped=unmapped,
    )


def coverage_line(cover: Coverage) -> str:
    """One line for a reader: matched, assumed and left out by mass and by volume, the share of A1-A3
    resting on assumptions (assumed parts and assumed rebar), and completeness."""
    verdict = {True: "met", False: "NOT met", None: "cannot be checked"}[cover.completeness_met]
    void = f", air {cover.volume_share_void:.0%}" if cover.volume_share_void else ""
    assumed = _share(cover.a1_a3_assumed_kgco2e, cover.a1_a3_kgco2e)
    return (
        f"Materials counted: matched {cover.mass_share_mapped:.0%}, assumed {cover.mass_share_assumed:.0%}, "
        f"left out {cover.mass_share_left_out:.0%} of the mass (of the volume: matched "
        f"{cover.volume_share_mapped:.0%}, assumed {cover.volume_share_assumed:.0%}, left out "
        f"{cover.volume_share_left_out:.0%}{void}); {assumed:.0%} of A1-A3 rests on assumptions "
        f"(assumed parts and assumed rebar); completeness >= {cover.completeness_threshold:.0%} of the "
        f"mass: {verdict}"
    )


#: Density at which a part left out with no known mass is weighed for the completeness check: normal
#: concrete, the heaviest common bulk material, so that what is unknown cannot help the check pass.
UNKNOWN_LEFT_OUT_DENSITY_KG_PER_M3 = 2400.0


def _estimated_mass(
    mass_kg: pd.Series, volume_m3: pd.Series, void: pd.Series, left: pd.Series
) -> tuple[pd.Series, pd.Series, str]:
    """Masses with the unknown ones estimated, which rows were estimated, and how (for the note).

    A part left out without a known mass (no factor, no density in the model or its rule) weighs its
    volume x 2400 kg/m3 (:data:`UNKNOWN_LEFT_OUT_DENSITY_KG_PER_M3`): what is missing is never taken
    as light. A counted part without a known mass (a window counted per m2) weighs its volume x the
    mean density of the parts whose mass is known (none known: 1 kg per m3). Air weighs nothing.
    """
    mass = mass_kg.where(~void, 0.0)
    unknown = mass.isna()
    known = ~unknown & (mass > 0)
    known_volume = float(volume_m3[known].sum())
    mean = float(mass[known].sum()) / known_volume if known_volume > 0 else 1.0
    density = pd.Series(mean, index=mass.index).where(~left, UNKNOWN_LEFT_OUT_DENSITY_KG_PER_M3)
    parts = []
    if (unknown & left).any():
        parts.append(
            f"left out at {UNKNOWN_LEFT_OUT_DENSITY_KG_PER_M3:,.0f} kg/m3 (as concrete: never light)"
        )
    if (unknown & ~left).any():
        parts.append(f"counted at the model's mean known density, {mean:,.0f} kg/m3")
    return mass.fillna(volume_m3 * density), unknown, "; ".join(parts)


def _share(part: float, whole: float) -> float:
    return float(part) / whole if whole > 0 else 0.0


def _number(value: object) -> float | None:
    number = pd.to_numeric(value, errors="coerce")
    return None if pd.isna(number) else float(number)
