"""Checks a person would make before believing a building's figures, with the figures and the top
contributors, so that an absurd total is never printed quietly.

Each check compares one whole-building figure per m2 of floor area (upfront embodied emissions, mass
and volume of material, energy used a year) or the share of the building's gross volume that its
material fills, with a range from ``factors/plausibility.yaml`` (each range with its source). A figure
outside its range is a warning; a figure above ``absurd_factor`` x the high end (or under the low end /
``absurd_factor``) is **absurd**: every output puts it first. A park's own figures are checked the same
way against the file's ``park_ranges`` (:func:`check_values`). Pure arithmetic on the assessment's
tables; no IFC.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import pandas as pd
from pydantic import BaseModel, Field

from bimcarbon.datafile import DataModel, load_validated
from bimcarbon.energy import KWH_PER_UNIT, Carriers

PLAUSIBILITY_FILE = "plausibility.yaml"

#: Storey height assumed when the model has fewer than two storey elevations to measure it from.
DEFAULT_STOREY_HEIGHT_M = 3.0

#: Storey elevations closer than this are levels of one storey (finish and structure), not storeys.
MIN_STOREY_HEIGHT_M = 2.0

#: How many contributors a finding names.
TOP_CONTRIBUTORS = 3

Verdict = Literal["typical", "low", "high", "absurd", "not assessable"]


class Range(DataModel):
    """The range a person would believe for one metric."""

    metric: str
    label: str
    unit: str
    low: float
    high: float
    source: str
    status: str


class ElementChecks(DataModel):
    """``element_checks`` of ``factors/plausibility.yaml``: what counts as metal, and the limits of a
    metal element's solidity (:mod:`bimcarbon.element_plausibility`)."""

    metal_categories: list[str] = Field(min_length=1)
    metal_min_density_kg_per_m3: float = Field(gt=0)
    metal_source: str = Field(min_length=1)
    loud_share_of_a1_a3: float = Field(ge=0, le=1)
    loud_share_source: str = Field(min_length=1)
    #: In order: thickness (with a surface area), cross-section (with a length), volume (neither).
    solid_metal: list[Range] = Field(min_length=3, max_length=3)


class RangeFile(BaseModel):
    """``factors/plausibility.yaml``: ``ranges`` for a building, ``park_ranges`` for a park's own figures,
    ``element_checks`` for one element's figures."""

    metadata: dict[str, str]
    absurd_factor: float
    ranges: list[Range]
    park_ranges: list[Range] = Field(default_factory=list)
    element_checks: ElementChecks


class Finding(BaseModel):
    """One figure compared with its range."""

    metric: str
    label: str
    value: float | None
    unit: str
    low: float
    high: float
    verdict: Verdict
    source: str
    status: str
    message: str | None = None
    #: The element a finding is about (:mod:`bimcarbon.element_plausibility`); None for a building figure.
    global_id: str | None = None


class Plausibility(BaseModel):
    """Every check, and whether any figure is absurd."""

    absurd: bool
    findings: list[Finding]
    storey_height_m: float
    storey_height_source: str

    def warnings(self) -> list[str]:
        """Lines for the person, absurd ones first."""
        ordered = sorted(self.findings, key=lambda f: f.verdict != "absurd")
        return [f.message for f in ordered if f.message]


def load_ranges(path: str | Path | None = None) -> RangeFile:
    """Load and validate the plausibility ranges (one line naming the file and field if invalid)."""
    from bimcarbon.factors import factors_dir

    path = Path(path) if path else factors_dir() / PLAUSIBILITY_FILE
    return load_validated(path, RangeFile, "plausibility ranges")


def energy_content_kwh(carriers: Carriers) -> dict[str, float]:
    """Each carrier's annual use in its energy content, kWh (``bimcarbon.energy.KWH_PER_UNIT``: the low
    heating values of GB/T 2589, rounded down), by carrier name (``natural gas``); carriers not used are
    left out."""
    return {
        key.rsplit("_", 1)[0].replace("_", " "): getattr(carriers, key) * kwh_per_unit
        for key, kwh_per_unit in KWH_PER_UNIT.items()
        if getattr(carriers, key)
    }


def storey_height(elevations_m: list[float]) -> tuple[float, str]:
    """Typical storey height in m: the median spacing of distinct storey elevations, ignoring
    spacings under :data:`MIN_STOREY_HEIGHT_M` (a finish level 0.15 m above the structural one).

    Returns
    -------
    height_m, source
        :data:`DEFAULT_STOREY_HEIGHT_M` (an assumption) when no two elevations are far enough apart.
    """
    levels = sorted({round(e, 3) for e in elevations_m})
    spacings = [b - a for a, b in zip(levels, levels[1:], strict=False) if b - a >= MIN_STOREY_HEIGHT_M]
    if not spacings:
        apart = f"{MIN_STOREY_HEIGHT_M:g} m or more apart"
        return (
            DEFAULT_STOREY_HEIGHT_M,
            f"assumed {DEFAULT_STOREY_HEIGHT_M:g} m (no two storey levels {apart})",
        )
    spacings.sort()
    middle = len(spacings) // 2
    height = spacings[middle] if len(spacings) % 2 else (spacings[middle - 1] + spacings[middle]) / 2
    return height, f"median spacing of {len(levels)} storey elevations"


def check_plausibility(
    takeoff: pd.DataFrame,
    mass_kg: float,
    upfront_kgco2e: float,
    by_material: list[tuple[str, float]],
    floor_area_m2: float | None,
    storey_elevations_m: list[float],
    ranges: RangeFile,
    volume_without_mass_m3: float = 0.0,
    energy_kwh: dict[str, float] | None = None,
) -> Plausibility:
    """Compare the building's figures with the ranges a person would believe.

    Parameters
    ----------
    takeoff
        The take-off table (``volume_m3`` per row; identity columns name the largest elements).
    mass_kg
        Known mass of the material, kg.
    upfront_kgco2e
        Upfront embodied emissions A1-A5, kgCO2e.
    by_material
        ``(material, A1-A3 kgCO2e)``, largest first.
    floor_area_m2
        Gross floor area in m2, or None (then nothing per m2 can be judged).
    storey_elevations_m
        Elevations of the model's storeys in m, for the storey height.
    ranges
        The ranges (:func:`load_ranges`).
    volume_without_mass_m3
        Volume of material whose mass is unknown (left out of ``mass_kg``), m3.
    energy_kwh
        The energy file's annual use by carrier in its energy content, kWh (:func:`energy_content_kwh`;
        empty: the file gives none, judged as 0 kWh, absurd); None without an energy file (the check is
        left out).

    Returns
    -------
    Plausibility
    """
    volume_m3 = float(pd.to_numeric(takeoff["volume_m3"], errors="coerce").fillna(0.0).sum())
    height_m, height_source = storey_height(storey_elevations_m)
    gfa = floor_area_m2 if floor_area_m2 and floor_area_m2 > 0 else None
    values: dict[str, float | None] = {
        "upfront_embodied_kg_per_m2": upfront_kgco2e / gfa if gfa else None,
        "material_mass_kg_per_m2": mass_kg / gfa if gfa and mass_kg > 0 else None,
        "material_volume_m3_per_m2": volume_m3 / gfa if gfa else None,
        "material_share_of_gross_volume": volume_m3 / (gfa * height_m) if gfa else None,
    }
    details = {
        "upfront_embodied_kg_per_m2": f"{upfront_kgco2e:,.0f} kgCO2e / {gfa or 0:,.1f} m2",
        "material_mass_kg_per_m2": f"{mass_kg:,.0f} kg / {gfa or 0:,.1f} m2"
        + (f"; {volume_without_mass_m3:,.1f} m3 have no known mass" if volume_without_mass_m3 > 0 else ""),
        "material_volume_m3_per_m2": f"{volume_m3:,.1f} m3 / {gfa or 0:,.1f} m2",
        "material_share_of_gross_volume": (
            f"{volume_m3:,.1f} m3 of material in {gfa or 0:,.1f} m2 x {height_m:.2f} m "
            f"= {(gfa or 0) * height_m:,.0f} m3 ({height_source})"
        ),
    }
    largest_m3, largest = _largest_elements(takeoff)
    values["largest_element_volume_m3"] = largest_m3
    details["largest_element_volume_m3"] = "the largest element, whatever the floor area"
    materials = ", ".join(f"{name} {value:,.0f} kgCO2e" for name, value in by_material[:TOP_CONTRIBUTORS])
    contributors = {metric: largest for metric in values}
    contributors["upfront_embodied_kg_per_m2"] = materials
    if energy_kwh is not None:
        total_kwh = sum(energy_kwh.values())
        values["energy_use_kwh_per_m2a"] = total_kwh / gfa if gfa else None
        details["energy_use_kwh_per_m2a"] = (
            f"{total_kwh:,.0f} kWh a year, every carrier in its energy content, / {gfa or 0:,.1f} m2"
            if total_kwh
            else "the energy file gives no annual energy use: the operational figures count none"
        )
        contributors["energy_use_kwh_per_m2a"] = ", ".join(
            f"{carrier} {kwh:,.0f} kWh"
            for carrier, kwh in sorted(energy_kwh.items(), key=lambda item: -item[1])[:TOP_CONTRIBUTORS]
        )
    findings = [
        finding(
            r,
            values.get(r.metric),
            details.get(r.metric, ""),
            contributors.get(r.metric, ""),
            ranges.absurd_factor,
            "the energy file" if r.metric.startswith("energy") else "the model",
        )
        for r in ranges.ranges
        if energy_kwh is not None or not r.metric.startswith("energy")  # no energy file: not checked
    ]
    return Plausibility(
        absurd=any(f.verdict == "absurd" for f in findings),
        findings=findings,
        storey_height_m=height_m,
        storey_height_source=height_source,
    )


def finding(
    r: Range, value: float | None, detail: str, contributors: str, absurd_factor: float, subject: str
) -> Finding:
    """One figure compared with its range, with a message when it lies outside.

    Parameters
    ----------
    r
        The range.
    value
        The figure in the range's unit, or None (not assessable).
    detail
        How the figure was computed, for the message.
    contributors
        What makes the figure (named on a high or absurd figure).
    absurd_factor
        How far beyond the range a figure is absurd.
    subject
        What to check when the figure is absurd (``the model``, ``the energy file``, ``the park file``).
    """
    verdict = _verdict(value, r, absurd_factor)
    message = None
    if value is not None and verdict in ("low", "high", "absurd"):
        shown = f"{value:.1%}" if r.unit == "share" else f"{_number(value)} {r.unit}"
        typical = f"{r.low:.0%}-{r.high:.0%}" if r.unit == "share" else f"{r.low:g}-{r.high:g} {r.unit}"
        head = {
            "absurd": f"IMPLAUSIBLE ({_beyond(value, r, absurd_factor)}), do not use without "
            f"checking {subject}",
            "high": "above the typical range",
            "low": "below the typical range",
        }[verdict]
        message = (
            f"{head}: {r.label} is {shown} ({detail}); typical {typical}"
            f"{' (our assumption)' if r.status == 'unconfirmed' else ''}"
        )
        if contributors and verdict != "low":
            message += f"; largest: {contributors}"
        if verdict == "low" and r.metric == "upfront_embodied_kg_per_m2":
            message += "; much of the material may not be counted (see coverage)"
    return Finding(
        metric=r.metric,
        label=r.label,
        value=value,
        unit=r.unit,
        low=r.low,
        high=r.high,
        verdict=verdict,
        source=r.source,
        status=r.status,
        message=message,
    )


def check_values(
    values: dict[str, float | None],
    details: dict[str, str],
    contributors: dict[str, str],
    ranges: list[Range],
    absurd_factor: float,
    subject: str,
) -> list[Finding]:
    """Figures (by metric) compared with ``ranges`` (a park's: ``RangeFile.park_ranges``), one finding a
    range in the file's order; a metric without a value is not assessable."""
    return [
        finding(
            r,
            values.get(r.metric),
            details.get(r.metric, ""),
            contributors.get(r.metric, ""),
            absurd_factor,
            subject,
        )
        for r in ranges
    ]


def _number(value: float) -> str:
    """A figure as a person reads it: whole with thousands separators from 100, else 3 significant
    digits (1,077; 200; 0.315)."""
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.3g}"


def _beyond(value: float, r: Range, factor: float) -> str:
    """How an absurd figure lies beyond its range, in words."""
    if value > r.high:
        return f"over {factor:g}x the top of its range"
    return f"under 1/{factor:g} of the bottom of its range"


def _verdict(value: float | None, r: Range, absurd_factor: float) -> Verdict:
    if value is None:
        return "not assessable"
    if value > r.high * absurd_factor or value < r.low / absurd_factor:
        return "absurd"
    if value > r.high:
        return "high"
    if value < r.low:
        return "low"
    return "typical"


def _largest_elements(takeoff: pd.DataFrame) -> tuple[float | None, str]:
    """The largest element volume in m3 (None for an empty take-off), and the elements with the
    largest volumes: GlobalId, class, name, m3 and where the volume came from."""
    volumes = pd.to_numeric(takeoff["volume_m3"], errors="coerce").fillna(0.0)
    per_element = (
        takeoff.assign(volume=volumes)
        .groupby("global_id", sort=False)
        .agg(
            volume=("volume", "sum"),
            ifc_class=("ifc_class", "first"),
            element=("element_name", "first"),
            source=("quantity_source", "first"),
        )
        .sort_values("volume", ascending=False)
        .head(TOP_CONTRIBUTORS)
    )
    named = ", ".join(
        f"{gid} {row.ifc_class} '{row.element or ''}' {row.volume:,.1f} m3 ({str(row.source).split('*')[0]})"
        for gid, row in per_element.iterrows()
        if row.volume > 0
    )
    return (float(per_element["volume"].iloc[0]) if len(per_element) else None), named
