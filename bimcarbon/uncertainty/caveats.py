"""Why the ranges of an assessment may lie around a figure that is wrong, said beside them everywhere.

A Monte Carlo draws around the assessed figures: it cannot see a figure no person would believe, the
materials the assessment leaves out, or how much rests on assumptions. Each of these becomes a
:class:`~bimcarbon.uncertainty.result.Caveat` that the console, the JSON, the workbook and the web page
show next to the ranges (docs/uncertainty.md, "What the ranges cannot say").
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bimcarbon.uncertainty.result import Caveat

if TYPE_CHECKING:
    from bimcarbon.assess import Assessment

#: Each caveat's English; ``{n}``, ``{share}`` and ``{needed}`` are filled by :func:`caveat_text` (the
#: workbook's and web page's Chinese, ``caveat <id>`` in ``uncertainty_labels``, has the same names).
TEXTS = {
    "implausible": (
        "{n} figure(s) of this assessment are implausible (see the plausibility findings): the ranges are "
        "drawn around them and say nothing of the building's real figures; correct the model or the inputs "
        "first"
    ),
    "incomplete": (
        "the embodied total counts {share} of the mass ({needed} needed): the materials left out are in no "
        "sample, so the ranges of the embodied figures lie below the building's"
    ),
    "completeness_unknown": (
        "whether the embodied total is complete cannot be checked: materials left out are in no sample"
    ),
    "assumed": (
        "{share} of A1-A3 rests on assumptions (materials assumed from the elements' IFC class, rebar or "
        "studs the model does not state): drawn with wide spreads, not known"
    ),
    "floor_area": "the floor area is a proxy and is not sampled: every per-m² range moves with it",
}


def caveat_text(caveat: Caveat, template: str) -> str:
    """A caveat as a line.

    Parameters
    ----------
    caveat
        The caveat and its figures.
    template
        Its words in English (:data:`TEXTS`) or Chinese (the workbook's ``caveat <id>`` label).

    Returns
    -------
    str
        ``template`` with ``{n}`` (a count), ``{share}`` and ``{needed}`` (percentages) filled in.
    """
    share = "" if caveat.share is None else f"{caveat.share:.1%}".replace("%", "\u00a0%")
    needed = "" if caveat.needed is None else f"{caveat.needed:.0%}".replace("%", "\u00a0%")
    return template.format(n=caveat.count, share=share, needed=needed)


def caveats(a: Assessment) -> list[Caveat]:
    """What the ranges drawn around an assessment cannot say.

    Parameters
    ----------
    a
        The assessment (its plausibility findings, coverage and floor area).

    Returns
    -------
    list of Caveat
        The gravest first (an implausible figure, then an incomplete total, assumptions, a proxy
        floor area); none for a sound assessment.
    """
    found = []
    absurd = sum(1 for f in a.plausibility.findings if f.verdict == "absurd")
    if absurd:
        found.append(Caveat(id="implausible", count=absurd))
    cover = a.coverage
    counted = cover.mass_share_mapped + cover.mass_share_assumed
    if cover.completeness_met is None:
        found.append(Caveat(id="completeness_unknown"))
    elif not cover.completeness_met:
        found.append(Caveat(id="incomplete", share=counted, needed=cover.completeness_threshold))
    if cover.a1_a3_assumed_kgco2e > 0 and cover.a1_a3_kgco2e > 0:
        found.append(Caveat(id="assumed", share=cover.a1_a3_assumed_kgco2e / cover.a1_a3_kgco2e))
    if a.floor_area.value_m2 and a.floor_area.source.startswith("proxy"):
        found.append(Caveat(id="floor_area"))
    for caveat in found:
        caveat.text = caveat_text(caveat, TEXTS[caveat.id])
    return found
