"""Which element of the base is which element of the variant.

First by GlobalId: an id found exactly once on each side pairs its two elements. Then, for the elements
still unpaired on both sides (an exporter that regenerated the GlobalIds, an id used twice in a broken
file), by IFC class, type and storey and the distance between their placement origins: only within the
position tolerance (``factors/compare.yaml``), nearest first, ties broken by the same name, then the
closer quantity (volume, then A1-A3). Such a pair is ``paired_by: "position"`` and every output counts
them; its other candidates within the tolerance are named. A pair that another candidate matched as
well on all of these is ``ambiguous`` (only the elements' order in their files chose): a choice a
person should check, never a silent guess. What stays unpaired is removed (base) or added (variant).

Pure Python and numpy on the elements of two assessment JSON dicts (``elements``).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

import numpy as np

#: Distances closer than this (m) are equal when choosing the nearest pair (floating-point noise of
#: placements written in other units), so that the quantity breaks the tie.
SAME_DISTANCE_M = 1e-6
#: How many other candidates a pair names (their count is always given).
CANDIDATES_NAMED = 5
#: Base elements compared at once with their group's variant elements (bounds the memory of a group of
#: thousands of identical elements).
CHUNK = 1024
#: Subtypes of IFC2X3 and IFC4 that say how an element's geometry is written, not what it is
#: (IfcWallStandardCase is an IfcWall; IFC4X3 drops them): compared and paired as their parent class.
CASE_SUFFIXES = ("StandardCase", "ElementedCase")


@dataclass
class Pair:
    """Indices of a base and a variant element (None: the element is only on the other side), how they
    were paired, the distance between their placement origins (m) and, for a pair by position, whether
    another candidate lay within the tolerance (its GlobalIds, at most :data:`CANDIDATES_NAMED`)."""

    base: int | None
    variant: int | None
    paired_by: str | None = None
    distance_m: float | None = None
    ambiguous: bool = False
    candidates: list[str] = field(default_factory=list)
    candidate_count: int = 0


@dataclass
class Pairing:
    """Every element of both sides in exactly one pair, and the lines a person must read."""

    pairs: list[Pair]
    warnings: list[str]

    def count(self, paired_by: str) -> int:
        """How many pairs were made this way (``global_id`` or ``position``)."""
        return sum(p.paired_by == paired_by for p in self.pairs)


def pair_elements(base: list[dict], variant: list[dict], tolerance_m: float) -> Pairing:
    """Pair the elements of two assessments.

    Parameters
    ----------
    base, variant
        The ``elements`` of two assessment JSON dicts (:class:`bimcarbon.element_results.ElementResult`).
    tolerance_m
        Largest distance between the placement origins of two elements paired by position, m.

    Returns
    -------
    Pairing
        The pairs in the base's order (its removed elements among them), then the added elements in the
        variant's order; warnings on duplicated GlobalIds, pairs by position, ambiguous pairs and
        elements that could not be paired for want of a placement.
    """
    warnings: list[str] = []
    base_ids = _unique_ids(base, "base", warnings)
    variant_ids = _unique_ids(variant, "variant", warnings)
    variant_of = {variant_ids[j]: j for j in variant_ids}  # GlobalId -> index, for ids used once
    by_base: dict[int, Pair] = {}
    paired_variant: set[int] = set()
    for i, gid in base_ids.items():
        j = variant_of.get(gid)
        if j is not None:
            by_base[i] = Pair(i, j, "global_id", _distance(base[i], variant[j]))
            paired_variant.add(j)
    left_base = [i for i in range(len(base)) if i not in by_base]
    left_variant = [j for j in range(len(variant)) if j not in paired_variant]
    for pair in _by_position(base, variant, left_base, left_variant, tolerance_m, warnings):
        by_base[pair.base] = pair
        paired_variant.add(pair.variant)
    pairs = [by_base.get(i) or Pair(i, None) for i in range(len(base))]
    pairs += [Pair(None, j) for j in range(len(variant)) if j not in paired_variant]
    return Pairing(pairs, warnings)


def _unique_ids(elements: list[dict], side: str, warnings: list[str]) -> dict[int, str]:
    """Index -> GlobalId of the elements whose GlobalId is used once on their side; a warning for the
    ids used more than once (their elements are left to the pairing by position)."""
    counts = Counter(e.get("global_id") for e in elements if e.get("global_id"))
    repeated = sorted(gid for gid, n in counts.items() if n > 1)
    if repeated:
        shown = ", ".join(repeated[:3]) + (" ..." if len(repeated) > 3 else "")
        elements_count = sum(counts[g] for g in repeated)
        warnings.append(
            f"{side}: {len(repeated)} GlobalId(s) are used by more than one element ({elements_count} "
            f"elements: {shown}): those elements are paired by position, not by GlobalId"
        )
    return {
        i: e["global_id"]
        for i, e in enumerate(elements)
        if e.get("global_id") and counts[e["global_id"]] == 1
    }


def class_family(ifc_class: object) -> object:
    """An IFC class without its ``StandardCase`` or ``ElementedCase`` suffix (``IfcWallStandardCase`` ->
    ``IfcWall``): what one exporter writes for IFC2X3 and another for IFC4 is one class."""
    if isinstance(ifc_class, str):
        for suffix in CASE_SUFFIXES:
            if ifc_class.endswith(suffix) and len(ifc_class) > len(suffix):
                return ifc_class.removesuffix(suffix)
    return ifc_class


def same_class(a: object, b: object) -> bool:
    """Whether two IFC classes are one class (:func:`class_family`)."""
    return class_family(a) == class_family(b)


def _key(element: dict) -> tuple:
    return (class_family(element.get("ifc_class")), element.get("type_name"), element.get("storey"))


def _by_position(
    base: list[dict],
    variant: list[dict],
    left_base: list[int],
    left_variant: list[int],
    tolerance_m: float,
    warnings: list[str],
) -> list[Pair]:
    """Pairs of still unpaired elements of the same class, type and storey whose placement origins lie
    within ``tolerance_m``: nearest first, ties broken by the same name, the closer volume, the closer
    A1-A3."""
    groups_base: dict[tuple, list[int]] = defaultdict(list)
    groups_variant: dict[tuple, list[int]] = defaultdict(list)
    for i in left_base:
        groups_base[_key(base[i])].append(i)
    for j in left_variant:
        groups_variant[_key(variant[j])].append(j)
    pairs: list[Pair] = []
    without_position = 0
    for key, members in groups_base.items():
        others = groups_variant.get(key)
        if not others:
            continue
        placed_b = [i for i in members if base[i].get("position_m") is not None]
        placed_v = [j for j in others if variant[j].get("position_m") is not None]
        without_position += (len(members) - len(placed_b)) + (len(others) - len(placed_v))
        if placed_b and placed_v:
            pairs.extend(_nearest_first(base, variant, placed_b, placed_v, tolerance_m))
    if pairs:
        warnings.append(
            f"{len(pairs)} element(s) paired by position, not by GlobalId (the same IFC class, type and "
            f"storey, placement origins within {tolerance_m:g} m): GlobalIds regenerated by the exporter? "
            "Each is marked paired_by position"
        )
    ambiguous = [p for p in pairs if p.ambiguous]
    if ambiguous:
        shown = "; ".join(
            f"{base[p.base].get('global_id')} ~ {variant[p.variant].get('global_id')}" for p in ambiguous[:3]
        )
        warnings.append(
            f"{len(ambiguous)} of the pairs by position are ambiguous: another element of the same class, "
            f"type and storey lay as near, with the same name and quantity (e.g. {shown}); the order in "
            "the files chose: check them (marked ambiguous, with their other candidates)"
        )
    if without_position:
        warnings.append(
            f"{without_position} element(s) without a placement could not be paired by position: they are "
            "counted as removed or added"
        )
    return pairs


def _nearest_first(
    base: list[dict], variant: list[dict], placed_b: list[int], placed_v: list[int], tolerance_m: float
) -> list[Pair]:
    """Greedy pairing of one group, best first by (distance, same name, volume difference, A1-A3
    difference). A pair is ambiguous when another candidate within the tolerance was as good on all four:
    only the order of the elements in their files chose."""
    points_v = np.array([variant[j]["position_m"] for j in placed_v], dtype=float)
    candidates: list[tuple] = []
    near_b: dict[int, list[tuple]] = defaultdict(list)
    near_v: dict[int, list[tuple]] = defaultdict(list)
    for start in range(0, len(placed_b), CHUNK):
        chunk = placed_b[start : start + CHUNK]
        points_b = np.array([base[i]["position_m"] for i in chunk], dtype=float)
        distances = np.sqrt(((points_b[:, None, :] - points_v[None, :, :]) ** 2).sum(axis=2))
        for row, col in zip(*np.nonzero(distances <= tolerance_m), strict=True):
            i, j = chunk[row], placed_v[col]
            distance = float(distances[row, col])
            score = (
                round(distance / SAME_DISTANCE_M),
                base[i].get("element_name") != variant[j].get("element_name"),
                _gap(base[i].get("volume_m3"), variant[j].get("volume_m3")),
                _gap(base[i].get("a1_a3_kgco2e"), variant[j].get("a1_a3_kgco2e")),
            )
            near_b[i].append((j, score))
            near_v[j].append((i, score))
            candidates.append((*score, i, j, distance))
    candidates.sort()
    taken_b: set[int] = set()
    taken_v: set[int] = set()
    pairs = []
    for *score, i, j, distance in candidates:
        if i in taken_b or j in taken_v:
            continue
        taken_b.add(i)
        taken_v.add(j)
        score = tuple(score)
        others = [(variant[k].get("global_id") or "?", s) for k, s in near_b[i] if k != j]
        others += [(base[k].get("global_id") or "?", s) for k, s in near_v[j] if k != i]
        tied = [gid for gid, s in others if s == score]
        rest = [gid for gid, s in others if s != score]
        pairs.append(
            Pair(
                i,
                j,
                "position",
                distance,
                ambiguous=bool(tied),
                candidates=(tied + rest)[:CANDIDATES_NAMED],
                candidate_count=len(others),
            )
        )
    return pairs


def _gap(a: object, b: object) -> float:
    """|a - b| for two numbers; infinite when either is unknown (a known pair of quantities wins)."""
    if isinstance(a, int | float) and isinstance(b, int | float):
        return abs(float(a) - float(b))
    return float("inf")


def _distance(a: dict, b: dict) -> float | None:
    """Distance between two elements' placement origins (m), None when either has none."""
    pa, pb = a.get("position_m"), b.get("position_m")
    if pa is None or pb is None:
        return None
    return float(np.sqrt(sum((float(x) - float(y)) ** 2 for x, y in zip(pa, pb, strict=True))))
