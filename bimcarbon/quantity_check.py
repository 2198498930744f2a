"""Exported volumes verified against the model's own geometry: a sample of every group by default,
every element on request.

Authoring tools export wrong volumes, and they do it a whole group at a time: Revit slabs whose
``GrossVolume`` is 1000 times their geometry (a units bug), a feet export where every wall's
``GrossVolume`` is the placeholder 1.0 ft3. So exported volumes are judged per **group**: the IFC class
and the quantity they came from (``IfcSlab`` x ``BaseQuantities.GrossVolume``). Of each group a few
elements are measured with the geometry engine (:data:`SAMPLE_SIZE`, spread over the group's range of
exported volumes); when one of them disagrees, more are measured (:data:`MORE_SAMPLES`). A group whose
median relative difference exceeds the tolerance is **rejected**: its exported volumes are not used for
any of its elements (the caller takes geometry, else dimensions). In a group that agrees, a measured
element that disagrees takes its own geometry.

Pure logic: the geometry is measured by a callable the caller passes in, so this module knows no IFC.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

#: ``sample``: a few elements of each group (the default); ``full``: every element; ``off``: none.
CheckMode = Literal["sample", "full", "off"]

#: Default relative tolerance between an exported volume and the geometry's before flagging (here, not in
#: takeoff.py, so that the command line can show it without importing pandas and ifcopenshell).
DEFAULT_QUANTITY_TOLERANCE = 0.05

#: Elements measured in each group at first.
SAMPLE_SIZE = 3

#: Elements measured in addition when one of the first disagrees.
MORE_SAMPLES = 10

#: ``measure(indices, net)`` -> {index: geometry volume in m3, or None when the engine gave none}.
Measure = Callable[[list[int], bool], dict[int, float | None]]


@dataclass(frozen=True)
class Exported:
    """An element whose volume was exported, as the check sees it.

    Attributes
    ----------
    index
        The element's position in the caller's list.
    ifc_class, source
        Its group: IFC class and the quantity the volume came from (``Qto_...NetVolume``).
    volume_m3
        The exported volume in m3.
    basis
        ``net``, ``gross`` or ``plain``.
    gross_differs
        True when openings void the element, so a gross export must be compared with the geometry
        measured without openings.
    """

    index: int
    ifc_class: str
    source: str
    volume_m3: float
    basis: str
    gross_differs: bool = False

    @property
    def group(self) -> tuple[str, str]:
        return (self.ifc_class, self.source)


@dataclass(frozen=True)
class Comparison:
    """One exported volume measured against the geometry."""

    index: int
    exported_m3: float
    geometry_m3: float
    geometry_basis: str
    relative_difference: float
    mismatch: bool
    stage: str  # sample, more, full


@dataclass(frozen=True)
class GroupFinding:
    """The verdict on one group of exported volumes."""

    ifc_class: str
    source: str
    elements: int
    measured: int
    mismatched: int
    median_ratio: float | None
    rejected: bool


@dataclass
class CheckOutcome:
    """What the check found.

    Attributes
    ----------
    comparisons
        Every exported volume that was measured.
    groups
        One finding per group with at least one comparison.
    rejected
        Indices whose exported volume must not be used, with the flags that say why
        (``qto_group_rejected``: its group was rejected; ``qto_geometry_mismatch``: it was measured
        and disagrees).
    net_geometry_m3
        Net geometry volumes measured (index -> m3 or None), for the caller to use instead.
    unverified
        ``(IFC class, source, elements)`` of groups none of whose measured elements gave a geometry
        volume (open or rejected meshes): their exports are kept, unverified.
    mode
        The check that was run.
    """

    comparisons: list[Comparison] = field(default_factory=list)
    groups: list[GroupFinding] = field(default_factory=list)
    rejected: dict[int, list[str]] = field(default_factory=dict)
    net_geometry_m3: dict[int, float | None] = field(default_factory=dict)
    unverified: list[tuple[str, str, int]] = field(default_factory=list)
    mode: CheckMode = "sample"

    @property
    def rejected_groups(self) -> set[tuple[str, str]]:
        """``(IFC class, source)`` of the groups whose exported volumes were rejected."""
        return {(g.ifc_class, g.source) for g in self.groups if g.rejected}


def relative_difference(exported_m3: float, geometry_m3: float) -> float:
    """``|exported - geometry| / max(|exported|, |geometry|)``, 0 when both are 0."""
    biggest = max(abs(exported_m3), abs(geometry_m3))
    return abs(exported_m3 - geometry_m3) / biggest if biggest > 0 else 0.0


def pick_spread(members: list[Exported], count: int, taken: set[int]) -> list[Exported]:
    """Up to ``count`` members not in ``taken``, spread evenly over the range of exported volumes
    (smallest and largest included), in a deterministic order.

    Members without openings come first: cutting openings out of a body costs the geometry engine
    one to two orders of magnitude more time (a wall of the public AC20 sample: 8 ms without, 406 ms
    with), so elements with openings are measured only when too few others are left.
    """
    left = [m for m in members if m.index not in taken]
    plain = [m for m in left if not m.gross_differs]
    if len(plain) < count:
        return _spread(plain, count) + _spread([m for m in left if m.gross_differs], count - len(plain))
    return _spread(plain, count)


def _spread(members: list[Exported], count: int) -> list[Exported]:
    """Up to ``count`` members spread evenly over their exported volumes, smallest and largest first."""
    ordered = sorted(members, key=lambda m: (m.volume_m3, m.index))
    if len(ordered) <= count:
        return ordered
    if count <= 0:
        return []
    if count == 1:
        return [ordered[-1]]
    positions = sorted({round(i * (len(ordered) - 1) / (count - 1)) for i in range(count)})
    return [ordered[p] for p in positions]


def check_exported_volumes(
    exported: list[Exported],
    measure: Measure,
    mode: CheckMode = "sample",
    tolerance: float = DEFAULT_QUANTITY_TOLERANCE,
    sample_size: int = SAMPLE_SIZE,
    more_samples: int = MORE_SAMPLES,
) -> CheckOutcome:
    """Measure exported volumes against the geometry and judge each group.

    Parameters
    ----------
    exported
        The elements with an exported volume and a body the geometry engine can measure.
    measure
        Measures the geometry of elements by index: ``measure(indices, net)``; ``net=False`` measures
        without subtracting openings (for gross exports). Called once per stage, never for an index
        twice with the same ``net``.
    mode
        ``sample`` (the default), ``full`` or ``off``.
    tolerance
        Relative difference above which an exported volume disagrees (0.05 = 5 %).
    sample_size, more_samples
        Elements measured per group at first, and in addition when one of them disagrees.

    Returns
    -------
    CheckOutcome
    """
    outcome = CheckOutcome(mode=mode)
    if mode == "off" or not exported:
        return outcome
    groups: dict[tuple[str, str], list[Exported]] = {}
    for item in exported:
        groups.setdefault(item.group, []).append(item)
    by_group: dict[tuple[str, str], list[Comparison]] = {g: [] for g in groups}
    first = {
        g: (members if mode == "full" else pick_spread(members, sample_size, set()))
        for g, members in groups.items()
    }
    stage = "full" if mode == "full" else "sample"
    _measure_into(first, stage, measure, tolerance, outcome, by_group)
    if mode == "sample":
        more = {}
        for g, members in groups.items():
            # more when one disagrees, or when none of the first could be measured (open meshes)
            if any(c.mismatch for c in by_group[g]) or not by_group[g]:
                taken = {c.index for c in by_group[g]} | {m.index for m in first[g]}
                more[g] = pick_spread(members, more_samples, taken)
        _measure_into(more, "more", measure, tolerance, outcome, by_group)
    for g, members in groups.items():
        compared = by_group[g]
        if not compared:
            outcome.unverified.append((g[0], g[1], len(members)))
            continue
        median_difference = statistics.median(c.relative_difference for c in compared)
        ratios = [c.exported_m3 / c.geometry_m3 for c in compared if c.geometry_m3 > 0]
        rejected = median_difference > tolerance
        outcome.groups.append(
            GroupFinding(
                ifc_class=g[0],
                source=g[1],
                elements=len(members),
                measured=len(compared),
                mismatched=sum(c.mismatch for c in compared),
                median_ratio=statistics.median(ratios) if ratios else None,
                rejected=rejected,
            )
        )
        if rejected:
            for m in members:
                outcome.rejected.setdefault(m.index, []).append("qto_group_rejected")
        for c in compared:
            if c.mismatch:
                outcome.rejected.setdefault(c.index, []).append("qto_geometry_mismatch")
    missing = [i for i in outcome.rejected if i not in outcome.net_geometry_m3]
    if missing:
        outcome.net_geometry_m3.update(measure(sorted(missing), True))
    return outcome


def _measure_into(
    chosen: dict[tuple[str, str], list[Exported]],
    stage: str,
    measure: Measure,
    tolerance: float,
    outcome: CheckOutcome,
    by_group: dict[tuple[str, str], list[Comparison]],
) -> None:
    """Measure the chosen elements (net, and gross where a gross export needs it) and compare."""
    items = [m for members in chosen.values() for m in members]
    if not items:
        return
    net = measure(sorted(m.index for m in items), True)
    outcome.net_geometry_m3.update(net)
    gross_wanted = sorted(m.index for m in items if m.basis == "gross" and m.gross_differs)
    gross = measure(gross_wanted, False) if gross_wanted else {}
    for g, members in chosen.items():
        for m in members:
            use_gross = m.index in gross
            geometry = gross.get(m.index) if use_gross else net.get(m.index)
            if geometry is None:
                continue
            difference = relative_difference(m.volume_m3, geometry)
            by_group[g].append(
                Comparison(
                    index=m.index,
                    exported_m3=m.volume_m3,
                    geometry_m3=geometry,
                    geometry_basis="gross" if use_gross else "net",
                    relative_difference=difference,
                    mismatch=difference > tolerance,
                    stage=stage,
                )
            )
    outcome.comparisons = [c for comps in by_group.values() for c in comps]


def group_warning(finding: GroupFinding, tolerance: float) -> str | None:
    """One line for the person about a group that was rejected or had elements that disagree."""
    ratio = f"{finding.median_ratio:.4g}" if finding.median_ratio is not None else "unknown"
    head = f"quantity check: {finding.ifc_class} x {finding.source}"
    if finding.rejected:
        return (
            f"{head}: exported volumes disagree with the geometry (median exported/geometry {ratio} over "
            f"{finding.measured} measured of {finding.elements} elements; tolerance {tolerance:.0%}): "
            f"not used for any of the {finding.elements}; geometry, else dimensions, taken instead"
        )
    if finding.mismatched:
        return (
            f"{head}: {finding.mismatched} of {finding.measured} measured elements disagree with their "
            f"geometry by more than {tolerance:.0%} (group median ratio {ratio}); their geometry is used"
        )
    return None


def inferred_unit_verdict(kind: str, unit_name: str, groups: list[GroupFinding]) -> str:
    """What the check says of an area or volume unit derived from the length unit: confirmed when
    the volumes read in it agree with the geometry, contradicted where a group was rejected.

    Parameters
    ----------
    kind
        ``area`` or ``volume``.
    unit_name
        The unit as read, e.g. ``MILLI METRE^3``.
    groups
        The findings on the groups whose volumes were read in that unit (exported volumes for the
        volume unit; area x layer thickness for the area unit).
    """
    head = f"{kind} unit not declared, read as {unit_name}"
    if not groups:
        return f"{head}: the quantity check measured no volume read in it, so the reading is not confirmed"
    rejected = [g for g in groups if g.rejected]
    if not rejected:
        return f"{head}: confirmed by the quantity check ({len(groups)} group(s) agree with the geometry)"
    ratios = ", ".join(f"{g.ifc_class} {g.median_ratio:.4g}" for g in rejected if g.median_ratio is not None)
    return (
        f"{head}: contradicted by the quantity check for {len(rejected)} of {len(groups)} group(s) "
        f"(read/geometry: {ratios}); their geometry is used, and {kind}s read in it may be wrong by "
        "the same factor"
    )


def unverified_warning(outcome: CheckOutcome) -> str | None:
    """One line naming the groups whose exported volumes could not be verified, or None."""
    if not outcome.unverified:
        return None
    groups = ", ".join(f"{c} x {source} ({n})" for c, source, n in outcome.unverified)
    return (
        f"quantity check: the exported volumes of {len(outcome.unverified)} group(s) could not be "
        "verified, since none of their measured bodies gave a volume (open or rejected meshes); "
        f"kept as exported: {groups}"
    )
