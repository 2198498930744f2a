"""What a reader of a comparison's deltas must be told: the lines that say when a delta is not (only)
the design's. Pure functions on the two assessment JSON dicts and the comparison's rows.

A delta between two assessments is the design's only when both were made the same way and both count
the same material. Each function returns warning lines (English; the Chinese workbook and web page
translate them: :mod:`bimcarbon.report.workbook.compare_messages_zh`).
"""

from __future__ import annotations

from bimcarbon.compare.model import ElementChange, InputRow

#: The sides' own warnings repeated in the comparison: those a person must never miss.
LOUD_PREFIX = "IMPLAUSIBLE"
#: Inputs that differ by design (the model itself) or have a warning of their own (the criteria pack).
NOT_INPUT_WARNINGS = frozenset({"model", "sha256", "criteria"})
#: Element statuses whose material is (partly) not counted: a change to it is not in the deltas.
LEFT_OUT = ("left out", "partly left out")
#: How many GlobalIds a line names before it counts the rest.
NAMED = 3


def side_warnings(a: dict, b: dict, assessed_now: tuple[bool, bool]) -> list[str]:
    """What each side's own assessment says that no reader of the comparison may miss: an implausible
    figure; a criteria pack that differs (the verdicts then compare different thresholds); a side read
    from its JSON beside one assessed now (its inputs are its own)."""
    lines = []
    for side, document in (("base", a), ("variant", b)):
        for line in document.get("warnings") or []:
            if line.startswith(LOUD_PREFIX):
                lines.append(f"{side}: {line}")
    if a.get("criteria_pack") != b.get("criteria_pack"):
        lines.append(
            f"the criteria packs differ ({a.get('criteria_pack')} / {b.get('criteria_pack')}): the verdicts "
            "compare different thresholds"
        )
    if assessed_now[0] != assessed_now[1]:
        read = "base" if not assessed_now[0] else "variant"
        lines.append(
            f"the {read} was read from its assessment JSON: its inputs are those it was assessed with "
            "(see the inputs), not the options given now"
        )
    return lines


def trust_warnings(a: dict, b: dict, changes: list[ElementChange], inputs: list[InputRow]) -> list[str]:
    """Inputs that differ beyond the model, each side's incomplete embodied total and assumed material,
    changed elements whose material is left out, and two sides with no element in common."""
    return [
        *inputs_differ(inputs),
        *incomplete(a, b),
        *left_out(changes),
        *nothing_paired(changes),
    ]


def inputs_differ(inputs: list[InputRow]) -> list[str]:
    """One line naming every input that differs but the model and the criteria pack (which has its own),
    ``what`` or ``what: key, key`` separated by ``;``: a delta then holds the inputs' change too."""
    changed: dict[str, list[str]] = {}
    for row in inputs:
        if row.changed and row.what not in NOT_INPUT_WARNINGS:
            keys = changed.setdefault(row.what, [])
            if row.key:
                keys.append(row.key)
    if not changed:
        return []
    items = "; ".join(f"{what}: {', '.join(keys)}" if keys else what for what, keys in changed.items())
    return [
        f"the two assessments were made with different inputs ({items}): part of each delta may come from "
        "them, not from the design (see the inputs)"
    ]


def incomplete(a: dict, b: dict) -> list[str]:
    """Each side whose embodied total is incomplete (GB/T 51366's share of the mass not counted: its
    with-embodied verdicts are blocked or accepted as incomplete), and each side with material counted by
    an assumption."""
    lines = []
    for side, document in (("base", a), ("variant", b)):
        cover = document.get("coverage") or {}
        met = cover.get("completeness_met")
        counted = (cover.get("mass_share_mapped") or 0.0) + (cover.get("mass_share_assumed") or 0.0)
        if met is False:
            lines.append(
                f"{side}: the embodied total is incomplete ({counted:.1%} of the mass counted, "
                f"{cover.get('completeness_threshold') or 0:.0%} needed): each module leaves material out, "
                "and a delta may be material counted on one side only"
            )
        elif met is None:
            lines.append(
                f"{side}: the completeness of the embodied total cannot be checked (no material volume or "
                "mass in the model): a delta may be material counted on one side only"
            )
        assumed = cover.get("mass_share_assumed") or 0.0
        if assumed > 0:
            lines.append(
                f"{side}: {assumed:.1%} of the mass is counted by an assumption "
                f"({cover.get('elements_assumed') or 0} elements): their deltas compare bimcarbon's "
                "assumed materials, not materials the model names"
            )
    return lines


def left_out(changes: list[ElementChange]) -> list[str]:
    """The elements that changed, were added or removed with material left out (no factor) on a side:
    what changed in that material is not in any delta."""
    found = [
        c
        for c in changes
        if c.change != "unchanged"
        and any(side is not None and side.status in LEFT_OUT for side in (c.base, c.variant))
    ]
    if not found:
        return []
    shown = ", ".join(str(c.global_id) for c in found[:NAMED]) + (" ..." if len(found) > NAMED else "")
    return [
        f"{len(found)} element(s) that changed, were added or removed have material left out (no factor) "
        f"on a side: what changed in that material is in no delta (e.g. {shown})"
    ]


def nothing_paired(changes: list[ElementChange]) -> list[str]:
    """A line when both sides have elements and none was paired: two different buildings?"""
    removed = any(c.change == "removed" for c in changes)
    added = any(c.change == "added" for c in changes)
    if removed and added and all(c.paired_by is None for c in changes):
        return [
            "no element of the base was paired with one of the variant (no GlobalId in common, none at the "
            "same place): two different buildings? Every element is removed or added"
        ]
    return []
