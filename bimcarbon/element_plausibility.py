"""One element's figures a person would not believe: a metal element that is implausibly solid.

Authoring tools often give the finish material of a family ("Aluminum", "Steel", "Metal - ...") to a
whole solid body: Revit's "Metal Clad Column" of the public ``wall_door_columnt_rgb4x3.ifc`` counts as a
0.6 m square block of solid aluminium, 3 t and 99 % of the model's A1-A3. Real metal building products are
thin: sections, hollow sections, plates, bars, sheet, frames. So a part counted as metal (its factor's
category, or the factor's density: ``element_checks`` in ``factors/plausibility.yaml``) is judged by its
element's thickness, 2 x metal volume / the element's surface area (a plate's thickness, half a solid
bar's width, 2 x a member's cross-section / its perimeter), from the take-off's ``surface_area_m2`` (the
measured mesh, else an exported ``NetSurfaceArea`` ...). Without a surface area, by its cross-section
(metal volume / length), and without a length, by its metal volume alone. Nothing is measured here:
pure arithmetic on the assessment's tables, whether or not the model has a floor area. The figures are not
changed; the element is flagged ``solid_metal`` and named in a :class:`~bimcarbon.plausibility.Finding`.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from bimcarbon.factors import FactorLibrary
from bimcarbon.plausibility import ElementChecks, Finding, Range

#: The flag on every row of an element found implausibly solid.
SOLID_METAL_FLAG = "solid_metal"

#: Declared units whose quantity is the part's own material (its volume x density); a factor per m2,
#: m or piece does not say how much metal there is.
_MATERIAL_UNITS = ("t", "kg", "m3")


@dataclass(frozen=True)
class SolidMetal:
    """A metal element found implausibly solid, with the figures its warning names.

    Attributes
    ----------
    step_id, global_id, ifc_class, element_name
        The element.
    materials, factor_ids
        Its metal parts' material names and factors.
    metal_volume_m3, metal_mass_kg
        Its metal parts' volume and mass (NaN mass: not known).
    a1_a3_kgco2e, share_of_a1_a3
        Its metal parts' A1-A3 and their share of the model's A1-A3 (NaN share: the model's is 0).
    range
        The limit it exceeds (:attr:`ElementChecks.solid_metal`).
    value
        Its figure in the range's unit: thickness m, cross-section m2 or metal volume m3.
    detail
        How the figure was found, e.g. ``2 x 1.113 m3 / 8.67 m2 (surface: geometry)``.
    """

    step_id: int
    global_id: str
    ifc_class: str
    element_name: str
    materials: tuple[str, ...]
    factor_ids: tuple[str, ...]
    metal_volume_m3: float
    metal_mass_kg: float
    a1_a3_kgco2e: float
    share_of_a1_a3: float
    range: Range
    value: float
    detail: str


def metal_factor_ids(library: FactorLibrary, checks: ElementChecks) -> set[str]:
    """Ids of the factors counted as metal: category in ``checks.metal_categories`` (any case), or a
    density of at least ``checks.metal_min_density_kg_per_m3``."""
    categories = {c.strip().lower() for c in checks.metal_categories}
    return {
        fid
        for fid, f in library.by_id.items()
        if f.category.strip().lower() in categories
        or (f.density_kg_per_m3 is not None and f.density_kg_per_m3 >= checks.metal_min_density_kg_per_m3)
    }


def solid_metal_elements(
    parts: pd.DataFrame, carbon: pd.DataFrame, metal_ids: set[str], checks: ElementChecks
) -> list[SolidMetal]:
    """The elements whose metal is implausibly solid, the largest share of A1-A3 first.

    Parameters
    ----------
    parts
        The matched take-off (:attr:`bimcarbon.matching.Matched.parts`): ``step_id``, ``global_id``,
        ``ifc_class``, ``element_name``, ``material``, ``volume_m3`` (m3), ``length_m`` (m),
        ``surface_area_m2`` (m2, the element's, on each of its rows) and ``surface_area_source``.
    carbon
        The components with their kgCO2e (:func:`bimcarbon.carbon.embodied`): ``row`` (the part's
        index), ``factor_id``, ``declared_unit``, ``share``, ``kg_per_m3``, ``kg_per_m2``, ``mass_kg``
        (kg), ``module``, ``kgco2e``.
    metal_ids
        Factor ids counted as metal (:func:`metal_factor_ids`).
    checks
        The limits, in order: thickness (m), cross-section (m2), volume (m3).

    Returns
    -------
    list of SolidMetal
        A metal part counts with its own volume x the use's share; a use per m3 or m2 of the part
        (rebar in concrete, the steel of a stud layer) says nothing of the part's shape and is not
        counted. An element is judged by the first limit whose figure it has: 2 x metal volume / its
        surface area, else metal volume / its length, else its metal volume.
    """
    if carbon.empty or parts.empty:
        return []
    a1_a3 = carbon["module"] == "A1-A3"
    total_a1_a3 = float(pd.to_numeric(carbon.loc[a1_a3, "kgco2e"], errors="coerce").fillna(0.0).sum())
    own = (
        carbon["factor_id"].isin(metal_ids)
        & carbon["declared_unit"].isin(_MATERIAL_UNITS)
        & carbon["kg_per_m3"].isna()
        & carbon["kg_per_m2"].isna()
    )
    metal = carbon[own]
    if metal.empty:
        return []
    rows = parts.loc[metal["row"].to_numpy()]
    volume = (
        pd.to_numeric(rows["volume_m3"], errors="coerce").to_numpy() * metal["share"].astype(float).to_numpy()
    )
    frame = pd.DataFrame(
        {
            "step_id": rows["step_id"].to_numpy(),
            "material": rows["material"].fillna("").astype(str).to_numpy(),
            "factor_id": metal["factor_id"].to_numpy(),
            "volume": volume,
            "mass": pd.to_numeric(metal["mass_kg"], errors="coerce").to_numpy(),
            "kgco2e": pd.to_numeric(metal["kgco2e"], errors="coerce")
            .where(metal["module"] == "A1-A3")
            .to_numpy(),
        }
    )
    thickness, cross_section, volume_only = checks.solid_metal
    elements = parts.groupby("step_id", sort=False).agg(
        global_id=("global_id", "first"),
        ifc_class=("ifc_class", "first"),
        element_name=("element_name", "first"),
        surface=("surface_area_m2", "first"),
        surface_source=("surface_area_source", "first"),
        length=("length_m", "max"),
    )
    metal_m3 = frame["volume"].fillna(0.0).groupby(frame["step_id"], sort=False).sum()
    metal_m3 = metal_m3[~(metal_m3 <= 0)]  # NaN (inf - inf) is judged, as its figure cannot pass
    judged = elements.loc[metal_m3.index]
    surface = _positives(judged["surface"])
    length = _positives(judged["length"])
    value = (2 * metal_m3 / surface).where(
        surface.notna(), (metal_m3 / length).where(length.notna(), metal_m3)
    )
    high = pd.Series(volume_only.high, index=judged.index).where(length.isna(), cross_section.high)
    high = high.where(surface.isna(), thickness.high)
    # judged all at once (10,000s of elements on a large model); a figure that is not a number
    # (inf / inf) cannot be shown to be within its limit, so it is flagged
    flagged = value.index[~(value <= high)]
    found = []
    for step, group in frame[frame["step_id"].isin(flagged)].groupby("step_id", sort=False):
        element, m3 = judged.loc[step], float(metal_m3[step])
        if pd.notna(surface[step]):
            limit = thickness
            detail = f"2 x {m3:,.3f} m3 / {surface[step]:,.2f} m2 of surface ({element['surface_source']})"
        elif pd.notna(length[step]):
            limit = cross_section
            detail = f"{m3:,.3f} m3 / {length[step]:,.2f} m long; no surface area"
        else:
            limit, detail = volume_only, "no surface area and no length: its shape cannot be judged"
        kgco2e = float(group["kgco2e"].fillna(0.0).sum())
        mass = group["mass"]
        found.append(
            SolidMetal(
                step_id=int(step),
                global_id=str(element["global_id"]),
                ifc_class=str(element["ifc_class"]),
                element_name=str(element["element_name"]) if pd.notna(element["element_name"]) else "",
                materials=tuple(dict.fromkeys(group["material"])),
                factor_ids=tuple(dict.fromkeys(group["factor_id"])),
                metal_volume_m3=m3,
                metal_mass_kg=float(mass.sum()) if mass.notna().any() else float("nan"),
                a1_a3_kgco2e=kgco2e,
                share_of_a1_a3=kgco2e / total_a1_a3 if total_a1_a3 > 0 else float("nan"),
                range=limit,
                value=float(value[step]),
                detail=detail,
            )
        )
    return sorted(found, key=lambda s: -(s.a1_a3_kgco2e or 0.0))


def solid_metal_findings(elements: list[SolidMetal], checks: ElementChecks) -> list[Finding]:
    """One finding per element, ``absurd`` (shown first, IMPLAUSIBLE) when its metal carries at least
    ``checks.loud_share_of_a1_a3`` of the model's A1-A3, else ``high``; the message names the element,
    its material, volume, mass, kgCO2e and share, the figure against its limit, and what to do."""
    return [_finding(s, checks.loud_share_of_a1_a3) for s in elements]


def _finding(s: SolidMetal, loud_share: float) -> Finding:
    r = s.range
    loud = s.share_of_a1_a3 >= loud_share  # NaN (no A1-A3 at all): not loud
    shown = {"m": f"{s.value:.3f} m", "m2": f"{s.value:.3f} m2", "m3": f"{s.value:,.2f} m3"}.get(
        r.unit, f"{s.value:.3g} {r.unit}"
    )
    mass = "mass unknown" if s.metal_mass_kg != s.metal_mass_kg else f"{s.metal_mass_kg:,.0f} kg"
    share = "" if s.share_of_a1_a3 != s.share_of_a1_a3 else f" = {s.share_of_a1_a3:.1%} of the model's A1-A3"
    head = (
        "IMPLAUSIBLE solid metal, do not use without checking the model"
        if loud
        else "implausibly solid metal"
    )
    message = (
        f"{head}: {s.global_id} {s.ifc_class} '{s.element_name}' counts {s.metal_volume_m3:,.3f} m3 of solid "
        f"{' + '.join(s.materials)} ({', '.join(s.factor_ids)}), {mass}, {s.a1_a3_kgco2e:,.0f} kgCO2e A1-A3"
        f"{share}: {r.label} is {shown} ({s.detail}); metal building products stay within "
        f"{r.high:g} {r.unit}{' (our assumption)' if r.status == 'unconfirmed' else ''}. A finish material "
        f"(cladding, paint) is probably given to the whole body: map this material on this element to its "
        f"real core material with a rule (ifc_class and name), or fix the family's material (flag "
        f"{SOLID_METAL_FLAG})"
    )
    return Finding(
        metric=r.metric,
        label=r.label,
        value=s.value,
        unit=r.unit,
        low=r.low,
        high=r.high,
        verdict="absurd" if loud else "high",
        source=r.source,
        status=r.status,
        message=message,
        global_id=s.global_id,
    )


def _positives(values: pd.Series) -> pd.Series:
    """``values`` as floats, NaN where not a positive number."""
    numbers = pd.to_numeric(values, errors="coerce").astype(float)
    return numbers.where(numbers > 0)
