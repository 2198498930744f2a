"""What was matched: one line per material, and how much of the building the mapping covers.

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
    """How much of the take-off the mapping turns into emissions."""

    elements: int
    elements_mapped: int
    volume_m3: float
    volume_mapped_m3: float
    mass_kg: float
    mass_mapped_kg: float
    volume_without_mass_m3: float
    volume_share_mapped: float
    mass_share_mapped: float
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
    reasons = with_reason.sort_values(["row", "reason"]).groupby("row")["reason"].agg("; ".join)
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
    notes = (
        pd.DataFrame({"row": noted["row"], "note": notes})
        .drop_duplicates()
        .groupby("row")["note"]
        .agg("; ".join)
    )
    own_material = carbon[carbon["kg_per_m3"].isna()]  # not masses added by a ratio (rebar)
    component_mass = own_material.groupby("row")["mass_kg"].sum(min_count=1)
    status = pd.DataFrame(index=parts.index)
    converted = all_converted.astype(bool).reindex(parts.index).fillna(False).astype(bool)
    status["mapped"] = (parts["match_status"] == "matched") & converted
    status["kgco2e"] = kgco2e.reindex(parts.index)
    status["biogenic_kgco2"] = biogenic.reindex(parts.index)
    status["unconvertible"] = unconvertible.astype(float).reindex(parts.index).fillna(0).astype(int)
    status["reasons"] = reasons.astype(object).reindex(parts.index).fillna("")
    status["notes"] = notes.astype(object).reindex(parts.index).fillna("")
    mass = pd.to_numeric(parts["mass_kg"], errors="coerce")
    mass = mass.where(mass.notna(), component_mass.reindex(parts.index))
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
    pairs = carbon[["row", "factor_id"]].drop_duplicates()
    several = pairs["row"].duplicated(keep=False)
    single = pairs.loc[~several].set_index("row")["factor_id"].astype(object)
    if not several.any():
        return single
    joined = pairs.loc[several].groupby("row", sort=False)["factor_id"].agg("+".join).astype(object)
    return pd.concat([single, joined])


def coverage(
    parts: pd.DataFrame,
    carbon: pd.DataFrame,
    summary: pd.DataFrame | None = None,
    status: pd.DataFrame | None = None,
) -> Coverage:
    """Share of elements, volume and mass the mapping covers, and what is left out, by mass.

    The completeness check (mapped mass >= 95 % of all mass) can only be decided when every part
    that is not mapped has a known mass (or weighs nothing, like an air layer); otherwise it is
    ``None`` with the reason. ``summary`` (:func:`material_summary`) and ``status``
    (:func:`row_status`) are computed here unless the caller has them already.
    """
    status = row_status(parts, carbon) if status is None else status
    volume = pd.to_numeric(parts["volume_m3"], errors="coerce").fillna(0.0)
    mass = status["mass_kg"]
    mapped = status["mapped"]
    element_mapped = mapped.groupby(parts["step_id"]).all()
    total_volume = float(volume.sum())
    total_mass = float(mass.sum())
    mass_mapped = float(mass[mapped].sum())
    summary = material_summary(parts, carbon, status) if summary is None else summary
    left = summary[~summary["match_status"].eq("matched") | (summary["unconvertible_rows"] > 0)]
    unmapped = [
        UnmappedMaterial(
            material=str(r.material),
            volume_m3=_number(r.volume_m3) or 0.0,
            mass_kg=_number(r.mass_kg),
            status=str(r.match_status),
            reason=str(r.reasons or ""),
            suggestions=str(r.suggestions or ""),
        )
        for r in left.itertuples()
    ]
    mass_share = mass_mapped / total_mass if total_mass > 0 else 0.0
    unknown = ~mapped & mass.isna()
    if unknown.any():
        met, note = (
            None,
            (
                f"cannot be checked: {int(unknown.sum())} part(s) not mapped "
                f"({float(volume[unknown].sum()):,.3f} m3) have no known mass "
                "(give densities in the model, or map them)"
            ),
        )
    elif total_mass <= 0:
        met, note = None, "cannot be checked: no mass is known"
    else:
        met = mass_share >= COMPLETENESS_MASS_SHARE
        note = f"{mass_share:.1%} of the mass is counted"
    return Coverage(
        elements=int(parts["step_id"].nunique()),
        elements_mapped=int(element_mapped.sum()),
        volume_m3=total_volume,
        volume_mapped_m3=float(volume[mapped].sum()),
        mass_kg=total_mass,
        mass_mapped_kg=mass_mapped,
        volume_without_mass_m3=float(volume[mass.isna()].sum()),
        volume_share_mapped=float(volume[mapped].sum()) / total_volume if total_volume > 0 else 0.0,
        mass_share_mapped=mass_share,
        completeness_met=met,
        completeness_note=note,
        unmapped=unmapped,
    )


def _number(value: object) -> float | None:
    number = pd.to_numeric(value, errors="coerce")
    return None if pd.isna(number) else float(number)
