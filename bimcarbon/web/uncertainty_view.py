"""The run page's uncertainty part: the embodied break-even per tier (every run) and, when the run drew
samples, the P5-P95 ranges, the probability of reaching each tier in both modes and the largest
contributors (template ``_run_uncertainty.html``). Words in English or Chinese; nothing computed here."""

from __future__ import annotations

from dataclasses import dataclass, field

from bimcarbon.web.i18n import translator
from bimcarbon.web.views import _gate_reason, number, tier_name, verdict_word

#: Samples a run draws when the form says nothing (the API without the field): see jobs.work.
DEFAULT_SAMPLES = 1000
#: What a run may ask for on the web (0: off): fewer gives percentiles no one should read; more only
#: holds a shared server's worker longer (the command line takes up to 100,000).
WEB_SAMPLES = (100, 10_000)

_CSS = {"pass": "pass", "fail": "fail", "not assessable": "na"}

#: (JSON key, English label) of the ranges shown, in order.
RANGES = (
    ("embodied_total", "Embodied total (kgCO2e)"),
    ("upfront_embodied_kg_per_m2", "Upfront embodied A1-A5 (kgCO2e/m²)"),
    ("carbon_intensity_without_embodied_kg_per_m2a", "Carbon intensity without embodied (kgCO2e/(m²·a))"),
    ("carbon_intensity_with_embodied_kg_per_m2a", "Carbon intensity with embodied (kgCO2e/(m²·a))"),
    (
        "net_carbon_intensity_without_embodied_kg_per_m2a",
        "Net carbon intensity without embodied (kgCO2e/(m²·a))",
    ),
    ("net_carbon_intensity_with_embodied_kg_per_m2a", "Net carbon intensity with embodied (kgCO2e/(m²·a))"),
    ("reduction_share_without_embodied", "Reduction against the baseline without embodied"),
    ("reduction_share_with_embodied", "Reduction against the baseline with embodied"),
)
#: Why a tier has no break-even (``reason_id``) -> English.
WHY_NONE = {
    "no_floor_area": "no floor area",
    "not_assessable": "not assessable with embodied counted",
    "fails_at_zero": "fails with embodied counted even at zero",
    "independent": "does not depend on embodied emissions",
}
#: Kinds of inputs -> English.
KINDS = {
    "factor": "factor value",
    "factor_use": "proxy or assumed factor",
    "quantity": "quantities",
    "share": "shares guessed as equal",
    "density": "density",
    "ratio": "mass ratio",
    "distance": "transport distance",
    "grid": "grid factor",
    "energy": "energy figure",
}
CONTRIBUTORS_SHOWN = 5


@dataclass
class BreakEvenRow:
    tier: str
    without: str
    without_css: str
    with_: str
    with_css: str
    value: str
    margin: str
    why: str


@dataclass
class RangeRow:
    label: str
    assessed: str
    p5: str
    p50: str
    p95: str


@dataclass
class MonteCarlo:
    samples: str
    seed: int
    ranges: list[RangeRow]
    probabilities: list[tuple[str, str, str]]
    blocked: str
    contributors: list[tuple[str, str]] = field(default_factory=list)
    #: What the ranges cannot say (text, grave: an implausible figure), shown before them.
    caveats: list[tuple[str, bool]] = field(default_factory=list)
    #: What the samples leave out, shown after the ranges.
    not_sampled: list[str] = field(default_factory=list)


@dataclass
class UncertaintyView:
    current: str
    break_even: list[BreakEvenRow]
    blocked: str
    monte_carlo: MonteCarlo | None


def _share(value: float | None, lang: str) -> str:
    if value is None:
        return translator(lang)("not assessable")
    return f"{100 * value:.0f}\u00a0%" if value in (0.0, 1.0) else f"{100 * value:.1f}\u00a0%"


def _figure(value: float | None, share: bool) -> str:
    if value is None:
        return "–"
    return f"{100 * value:.1f}\u00a0%" if share else number(value)


def uncertainty_view(a: dict, lang: str) -> UncertaintyView | None:
    """The break-even and Monte Carlo of the assessment ``a`` (its JSON) in ``lang``; None for a run
    assessed before the break-even existed."""
    lang = "zh" if lang == "zh" else "en"
    _ = translator(lang)
    be = a.get("embodied_break_even")
    if not be:
        return None
    names = {
        t.get("tier"): tier_name(t, lang)
        for t in ((a.get("without_embodied") or {}).get("verdicts") or {}).get("tiers") or []
    }
    rows = []
    for t in be.get("tiers") or []:
        value, margin = t.get("break_even_kg_per_m2"), t.get("margin_kg_per_m2")
        rows.append(
            BreakEvenRow(
                tier=names.get(t.get("tier"), t.get("tier", "")),
                without=verdict_word(t.get("verdict_without_embodied", ""), lang),
                without_css=_CSS.get(t.get("verdict_without_embodied", ""), "na"),
                with_=verdict_word(t.get("verdict_with_embodied", ""), lang),
                with_css=_CSS.get(t.get("verdict_with_embodied", ""), "na"),
                value=number(value) if value is not None else "–",
                margin=f"{margin:+,.2f}" if margin is not None else "",
                why=_(WHY_NONE[t["reason_id"]]) if t.get("reason_id") in WHY_NONE else "",
            )
        )
    current = be.get("current_kg_per_m2")
    return UncertaintyView(
        current=number(current) if current is not None else "–",
        break_even=rows,
        blocked=_gate_reason(a, lang) if be.get("note") else "",
        monte_carlo=_monte_carlo(a, names, lang),
    )


def _monte_carlo(a: dict, names: dict, lang: str) -> MonteCarlo | None:
    u = a.get("uncertainty")
    if not u:
        return None
    _ = translator(lang)
    percentiles = u.get("percentiles") or {}
    ranges = []
    for key, label in RANGES:
        p = percentiles.get(key)
        if not p:
            continue
        share = key.startswith("reduction_share")
        ranges.append(
            RangeRow(
                _(label),
                _figure(p.get("deterministic"), share),
                _figure(p.get("p5"), share),
                _figure(p.get("p50"), share),
                _figure(p.get("p95"), share),
            )
        )
    probability = u.get("tier_probability") or {}
    without, with_ = probability.get("without_embodied") or {}, probability.get("with_embodied") or {}
    rows = [
        (names.get(tier, tier), _share(value, lang), _share(with_.get(tier), lang))
        for tier, value in without.items()
    ]
    contributors = []
    for metric, label in (
        ("embodied_total", "Embodied total"),
        ("carbon_intensity_with_embodied_kg_per_m2a", "Carbon intensity with embodied"),
    ):
        found = [c for c in (u.get("top_contributors") or {}).get(metric) or [] if c.get("share", 0) >= 0.005]
        if found:
            shown = "; ".join(
                f"{_input(c, lang)} ({_(KINDS.get(c.get('kind'), c.get('kind', '')))}) "
                f"{100 * c.get('share', 0):.0f}\u00a0%"
                for c in found[:CONTRIBUTORS_SHOWN]
            )
            explained = (u.get("contributors_explained") or {}).get(metric)
            if explained is not None:
                share = f"{100 * explained:.0f}\u00a0%"
                shown += " " + _("(first-order terms explain {share} of the sampled variance)", share=share)
            contributors.append((_(label), shown))
    return MonteCarlo(
        caveats=[_caveat(c, lang) for c in u.get("caveats") or []],
        not_sampled=[
            (n.get("description_zh") if lang == "zh" else "") or n.get("description", "")
            for n in u.get("not_sampled") or []
        ],
        samples=f"{u.get('samples', 0):,}",
        seed=u.get("seed", 0),
        ranges=ranges,
        probabilities=rows,
        blocked=_gate_reason(a, lang) if probability.get("with_embodied_note") else "",
        contributors=contributors,
    )


def _caveat(caveat: dict, lang: str) -> tuple[str, bool]:
    """A caveat of the ranges in ``lang`` (the workbook's words), and whether it is grave."""
    from bimcarbon.report.workbook.uncertainty_labels import UNCERTAINTY_LABELS
    from bimcarbon.uncertainty.caveats import caveat_text
    from bimcarbon.uncertainty.result import Caveat

    grave = caveat.get("id") == "implausible"
    template = UNCERTAINTY_LABELS[lang].get(f"caveat {caveat.get('id')}")
    try:
        c = Caveat(**caveat)
    except (TypeError, ValueError):
        return str(caveat.get("text", "")), grave
    return (caveat_text(c, template) if template else c.text), grave


def _input(contributor: dict, lang: str) -> str:
    """What an input is, in ``lang``: the workbook's words (factor, rule and material names as written)."""
    from bimcarbon.report.workbook.labels import LABELS
    from bimcarbon.report.workbook.uncertainty import input_label
    from bimcarbon.report.workbook.uncertainty_labels import UNCERTAINTY_LABELS
    from bimcarbon.uncertainty.result import Contributor

    try:
        c = Contributor(**contributor)
    except (TypeError, ValueError):
        return str(contributor.get("label", ""))
    return input_label(c, {**LABELS[lang], "lang": lang}, UNCERTAINTY_LABELS[lang])
