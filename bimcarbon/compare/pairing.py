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

import itertools
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

#: Distances closer than this (m) are equal when choosing the nearest pair (floating-point noise of
#: placements written in other units), so that the quantity breaks the tie.
SAME_DISTANCE_M = 1e-6
#: How many other candidates a pair names (their count is always given).
CANDIDATES_NAMED = 5
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
    placed_b: list[int] = []
    placed_v: list[int] = []
    group_b: list[int] = []
    group_v: list[int] = []
    without_position = 0
    for group, (key, members) in enumerate(groups_base.items()):
        others = groups_variant.get(key)
        if not others:
            continue
        found_b = [i for i in members if base[i].get("position_m") is not None]
        found_v = [j for j in others if variant[j].get("position_m") is not None]
        without_position += (len(members) - len(found_b)) + (len(others) - len(found_v))
        placed_b += found_b
        placed_v += found_v
        group_b += [group] * len(found_b)
        group_v += [group] * len(found_v)
    pairs = _nearest_first(base, variant, placed_b, placed_v, group_b, group_v, tolerance_m)
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
    base: list[dict],
    variant: list[dict],
    placed_b: list[int],
    placed_v: list[int],
    group_b: list[int],
    group_v: list[int],
    tolerance_m: float,
) -> list[Pair]:
    """Greedy pairing, best first by (distance, same name, volume difference, A1-A3 difference, then the
    order in the files), of elements of the same group (``group_b``, ``group_v``: class, type and storey)
    within ``tolerance_m``. A pair is ambiguous when another candidate within the tolerance was as good
    on all four: only the order of the elements in their files chose.

    The candidates are found through cells of the tolerance's size (an element's candidates lie in its
    cell or the 26 around it): linear in the number of elements, not quadratic, but for elements placed
    at one point, which are all candidates of each other."""
    rows = _candidate_rows(base, variant, placed_b, placed_v, group_b, group_v, tolerance_m)
    if rows is None:
        return []
    b, v, distance = rows
    names = pd.factorize(
        pd.Series(
            [base[i].get("element_name") for i in placed_b]
            + [variant[j].get("element_name") for j in placed_v],
            dtype=object,
        ),
        use_na_sentinel=False,
    )[0]
    # the score of each row: distance (1 µm steps), another name, volume gap, A1-A3 gap
    scores = np.stack(
        [
            np.rint(distance / SAME_DISTANCE_M),
            (names[: len(placed_b)][b] != names[len(placed_b) :][v]).astype(float),
            _gaps(base, variant, placed_b, placed_v, b, v, "volume_m3"),
            _gaps(base, variant, placed_b, placed_v, b, v, "a1_a3_kgco2e"),
        ]
    )
    # best score first; the order in the files breaks ties
    order = np.lexsort((v, b, scores[3], scores[2], scores[1], scores[0]))
    chosen_rows = order[_greedy(b[order].tolist(), v[order].tolist(), len(placed_b), len(placed_v))]
    # the candidates of each base element in the variant's order, and of each variant element in the base's
    by_b = np.argsort(b.astype(np.int64) * len(placed_v) + v, kind="stable")
    by_v = np.argsort(v.astype(np.int64) * len(placed_b) + b, kind="stable")
    start_b = np.searchsorted(b[by_b], np.arange(len(placed_b) + 1))
    start_v = np.searchsorted(v[by_v], np.arange(len(placed_v) + 1))
    pairs = []
    for row in chosen_rows.tolist():
        i, j = int(b[row]), int(v[row])
        near_b = by_b[start_b[i] : start_b[i + 1]]  # rows of base element i
        near_v = by_v[start_v[j] : start_v[j + 1]]  # rows of variant element j
        tied_b, rest_b = _split(near_b, v, j, scores, row)
        tied_v, rest_v = _split(near_v, b, i, scores, row)
        named = [variant[placed_v[k]].get("global_id") or "?" for k in tied_b]
        named += [base[placed_b[k]].get("global_id") or "?" for k in tied_v]
        ambiguous = bool(named)
        named += [variant[placed_v[k]].get("global_id") or "?" for k in rest_b]
        named += [base[placed_b[k]].get("global_id") or "?" for k in rest_v]
        pairs.append(
            Pair(
                placed_b[i],
                placed_v[j],
                "position",
                float(distance[row]),
                ambiguous=ambiguous,
                candidates=named[:CANDIDATES_NAMED],
                candidate_count=len(near_b) - 1 + len(near_v) - 1,
            )
        )
    return pairs


def _candidate_rows(
    base: list[dict],
    variant: list[dict],
    placed_b: list[int],
    placed_v: list[int],
    group_b: list[int],
    group_v: list[int],
    tolerance_m: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """Every (base, variant) of one group within ``tolerance_m``: positions in ``placed_b`` and
    ``placed_v`` and the distance (m); None when there is none."""
    if not placed_b or not placed_v:
        return None
    points_b = np.array([base[i]["position_m"] for i in placed_b], dtype=float)
    points_v = np.array([variant[j]["position_m"] for j in placed_v], dtype=float)
    size = max(tolerance_m, SAME_DISTANCE_M)
    cells_b = np.floor(points_b / size).astype(np.int64)
    cells_v = np.floor(points_v / size).astype(np.int64)
    variants = pd.DataFrame(
        {
            "group": group_v,
            "x": cells_v[:, 0],
            "y": cells_v[:, 1],
            "z": cells_v[:, 2],
            "v": np.arange(len(placed_v)),
        }
    )
    found = []
    for offset in itertools.product((-1, 0, 1), repeat=3):
        shifted = cells_b + np.array(offset, dtype=np.int64)
        bases = pd.DataFrame(
            {
                "group": group_b,
                "x": shifted[:, 0],
                "y": shifted[:, 1],
                "z": shifted[:, 2],
                "b": np.arange(len(placed_b)),
            }
        )
        merged = bases.merge(variants, on=["group", "x", "y", "z"])
        if len(merged):
            found.append((merged["b"].to_numpy(), merged["v"].to_numpy()))
    if not found:
        return None
    b = np.concatenate([f[0] for f in found])
    v = np.concatenate([f[1] for f in found])
    distance = np.sqrt(((points_b[b] - points_v[v]) ** 2).sum(axis=1))
    near = distance <= tolerance_m
    if not near.any():
        return None
    return b[near], v[near], distance[near]


def _gaps(
    base: list[dict],
    variant: list[dict],
    placed_b: list[int],
    placed_v: list[int],
    b: np.ndarray,
    v: np.ndarray,
    field: str,
) -> np.ndarray:
    """|base - variant| of a number per candidate row; infinite when either is unknown (a known pair of
    quantities wins)."""
    values_b = np.array([_number(base[i].get(field)) for i in placed_b], dtype=float)
    values_v = np.array([_number(variant[j].get(field)) for j in placed_v], dtype=float)
    gaps = np.abs(values_b[b] - values_v[v])
    return np.where(np.isnan(gaps), np.inf, gaps)


def _number(value: object) -> float:
    """A number as a float; NaN when it is none."""
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else float("nan")


def _greedy(b: list[int], v: list[int], count_b: int, count_v: int) -> list[int]:
    """Positions of the rows (in their order, best first) that the greedy pairing takes: each row whose
    base and variant element are both still free."""
    taken_b = [False] * count_b
    taken_v = [False] * count_v
    chosen = []
    left = min(count_b, count_v)
    for row, (i, j) in enumerate(zip(b, v, strict=True)):
        if taken_b[i] or taken_v[j]:
            continue
        taken_b[i] = taken_v[j] = True
        chosen.append(row)
        left -= 1
        if not left:
            break
    return chosen


def _split(rows: np.ndarray, other: np.ndarray, partner: int, scores: np.ndarray, pair: int) -> tuple:
    """An element's other candidates (``other[rows]`` but its partner): those scored as its pair (row
    ``pair`` of ``scores``) and the rest, at most :data:`CANDIDATES_NAMED` of each, in the files' order."""
    others = other[rows]
    keep = others != partner
    rows, others = rows[keep], others[keep]
    tied = (scores[:, rows] == scores[:, [pair]]).all(axis=0)
    return others[tied][:CANDIDATES_NAMED].tolist(), others[~tied][:CANDIDATES_NAMED].tolist()


def _distance(a: dict, b: dict) -> float | None:
    """Distance between two elements' placement origins (m), None when either has none."""
    pa, pb = a.get("position_m"), b.get("position_m")
    if pa is None or pb is None:
        return None
    return float(np.sqrt(sum((float(x) - float(y)) ** 2 for x, y in zip(pa, pb, strict=True))))
