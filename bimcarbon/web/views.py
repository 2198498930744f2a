"""What the run page shows, from the assessment JSON: the verdicts explained, the warnings worst first,
the benchmarks, the key figures, the plausibility checks and the charts (inline SVG).

Pure functions of the assessment (a dict, as ``GET /api/runs/{id}/assessment`` gives it) and the page
language; the only files read are bimcarbon's shipped data files (the criteria packs' notes and the
Chinese of data-file texts). Every text is in the page's language: bimcarbon's own words through
:func:`bimcarbon.web.i18n.translator`, labels shared with the workbook from
:mod:`bimcarbon.report.workbook.labels`, data-file texts through
:class:`bimcarbon.report.workbook.data_zh.DataText`, warnings through
:func:`bimcarbon.report.workbook.messages_zh.warning_text`. Names from the model stay as written.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

from markupsafe import Markup, escape

from bimcarbon.web.i18n import translator

#: The comparison of a criterion in symbols.
OPERATORS = {">=": "≥", "<=": "≤", ">": ">", "<": "<"}
#: A criterion whose source starts so is a threshold bimcarbon chose because the standard's was not found.
OUR_DEFAULT = "bimcarbon provisional default"
#: Warnings shown before "show all".
FIRST_WARNINGS = 5
#: Warnings listed on the page at most (all of them are in the workbook and the JSON).
MAX_WARNINGS = 300
#: Materials in the A1-A3 chart.
TOP_MATERIALS = 10

_CSS = {"pass": "pass", "fail": "fail", "not assessable": "na"}
_MODES = ("without_embodied", "with_embodied")


# ---- words and numbers -------------------------------------------------------------------------------


@lru_cache(maxsize=2)
def _labels(lang: str) -> dict[str, str]:
    from bimcarbon.report.workbook.labels import LABELS

    return LABELS["zh" if lang == "zh" else "en"]


@lru_cache(maxsize=2)
def _data_text(lang: str) -> Callable[[object], object]:
    from bimcarbon.report.workbook.data_zh import DataText

    return DataText("zh" if lang == "zh" else "en")


def data_text(text: str, lang: str) -> str:
    """A text of bimcarbon's data files (a source, a note) in ``lang``; other text as written."""
    return str(_data_text(lang)(text)) if text else ""


def number(value: float | None, decimals: int = 2) -> str:
    """A figure as people read it: ``46.66``, ``68,339`` (no decimals from 1,000 up), ``–`` for none."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "–"
    return f"{value:,.{decimals}f}" if abs(value) < 1000 else f"{value:,.0f}"


def unit_label(unit: str, lang: str) -> str:
    """A unit in print: ``kgCO2e/(m2.a)`` is ``kgCO2e/(m²·a)``, ``m3`` is ``m³``."""
    shown = _labels(lang).get(f"unit {unit}")
    if shown and unit != "share":
        return shown
    return re.sub(r"m([23])(?![\d])", lambda m: "m²" if m.group(1) == "2" else "m³", unit).replace(
        ".a)", "·a)"
    )


def quantity(value: float | None, unit: str, lang: str) -> str:
    """A value with its unit: a share in per cent (``50.0 %``), else ``46.66 kgCO2e/(m²·a)``."""
    if value is None:
        return "–"
    if unit == "share":
        return f"{100 * value:.1f}\u00a0%"
    return f"{number(value)} {unit_label(unit, lang)}"


def threshold_text(operator: str, threshold: float, unit: str, lang: str) -> str:
    """The test of a criterion: ``≥ 40 %``, ``≤ 0 kgCO2e/(m²·a)``."""
    shown = f"{100 * threshold:g}\u00a0%" if unit == "share" else f"{threshold:g} {unit_label(unit, lang)}"
    return f"{OPERATORS.get(operator, operator)} {shown}"


def margin_text(margin: float | None, unit: str, lang: str) -> str:
    """How far on the passing side (``+``) or short of it (``-``): a share's margin in percentage points."""
    if margin is None:
        return ""
    _ = translator(lang)
    if unit == "share":
        return _("{x} percentage points", x=f"{100 * margin:+.1f}")
    shown = f"{margin:+,.2f}" if abs(margin) < 1000 else f"{margin:+,.0f}"
    return f"{shown} {unit_label(unit, lang)}"


def metric_label(metric: str, lang: str) -> str:
    """A metric in words with its unit (the workbook's label), never its identifier."""
    return _labels(lang).get(f"metric {metric}", metric.replace("_", " "))


def short_metric(metric: str, lang: str) -> str:
    """A metric in words without its unit, for a test that says the unit: "Net carbon intensity"."""
    return re.sub(r"\s*\((?:[^()]|\([^()]*\))*\)$", "", metric_label(metric, lang)) or metric_label(
        metric, lang
    )


def verdict_word(verdict: str, lang: str) -> str:
    """pass / fail / not assessable in ``lang``."""
    return _labels(lang).get(verdict, verdict)


def tier_name(tier: dict, lang: str) -> str:
    """A tier by its name in ``lang``."""
    return (tier.get("name_zh") if lang == "zh" else None) or tier.get("name_en") or tier.get("tier", "")


# ---- why a value is missing --------------------------------------------------------------------------

_OPERATION_NOTES_ZH = [
    (
        re.compile(
            r"^PV self-consumed \((?P<pv>[^)]*) kWh\) is more than the electricity used "
            r"\((?P<use>[^)]*) kWh\): "
        ),
        "光伏自用电量({pv} kWh)大于用电量({use} kWh):超出部分不予抵扣;请计为上网电量",
    ),
    (
        re.compile(r"^green electricity above the grid electricity is not credited$"),
        "超出电网用电量的绿电不予抵扣",
    ),
    (
        re.compile(r"^district heat has no open default factor: give district_heat_kgco2_per_gj$"),
        "市政热力无公开的默认排放因子:请在能耗文件中给出 district_heat_kgco2_per_gj",
    ),
]


def operation_note(note: str, lang: str) -> str:
    """A note of the operational calculation (PV above use, green electricity above the grid) in ``lang``."""
    if lang != "zh":
        return note
    prefix = ""
    if note.startswith("baseline: "):
        prefix, note = "基准建筑:", note[len("baseline: ") :]
    for pattern, chinese in _OPERATION_NOTES_ZH:
        match = pattern.match(note)
        if match:
            return prefix + chinese.format(**match.groupdict())
    return f"{prefix}(英文原文){note}"


def _gate_reason(a: dict, lang: str) -> str:
    _ = translator(lang)
    c = a.get("coverage") or {}
    if c.get("completeness_met") is None:
        return _("embodied total incomplete: the share of the mass counted cannot be checked")
    counted = (c.get("mass_share_mapped") or 0) + (c.get("mass_share_assumed") or 0)
    return _(
        "embodied total incomplete: {counted} of the mass counted, {needed} needed",
        counted=f"{100 * counted:.1f}\u00a0%",
        needed=f"{100 * (c.get('completeness_threshold') or 0.95):.0f}\u00a0%",
    )


def missing_reason(a: dict, metric: str, lang: str) -> str:
    """Why ``metric`` could not be computed, in words: no floor area, no energy figures, no baseline (every
    reason that applies, joined)."""
    _ = translator(lang)
    reasons = []
    if (a.get("floor_area") or {}).get("value_m2") is None:
        reasons.append(_("no floor area was found in the model"))
    op = a.get("operational")
    baseline_metric = metric in (
        "baseline_carbon_intensity_kg_per_m2a",
        "carbon_intensity_reduction_kg_per_m2a",
        "carbon_intensity_reduction_share",
    )
    if metric == "upfront_embodied_kg_per_m2":
        pass
    elif op is None:
        reasons.append(_("no energy figures were given"))
    elif op.get("gross_kgco2_per_year") is None:
        notes = [operation_note(n, lang) for n in op.get("notes") or [] if not n.startswith("baseline: ")]
        reasons.append(_("the operational energy is incomplete: {why}", why=_("; ").join(notes)))
    elif baseline_metric and not reasons:
        base_notes = [operation_note(n, lang) for n in op.get("notes") or [] if n.startswith("baseline: ")]
        if base_notes:
            reasons.append(_("the baseline is incomplete: {why}", why=_("; ").join(base_notes)))
        elif op.get("baseline_intensity_kg_per_m2a") is None:
            reasons.append(_("no baseline was given with the energy figures"))
        elif metric == "carbon_intensity_reduction_share":
            reasons.append(_("the baseline's intensity is zero or less"))
    return _("; ").join(reasons) or _("the figure could not be computed")


# ---- verdicts ------------------------------------------------------------------------------------------


@dataclass
class ModeCell:
    """One criterion or tier in one mode (without or with embodied)."""

    value: str
    margin: str
    verdict: str
    css: str
    why: str = ""


@dataclass
class CriterionRow:
    """A criterion explained: metric, test, whether the threshold is confirmed, source, both modes."""

    tier: str
    criterion: str
    metric: str
    test: str
    status: str  # confirmed | default | provisional
    status_text: str
    source: str
    note: str
    modes: list[ModeCell]


@dataclass
class TierRow:
    """A tier with its verdict in both modes and its criteria."""

    tier: str
    name: str
    provisional: bool
    modes: list[ModeCell]
    criteria: list[CriterionRow]


@dataclass
class Reached:
    """The tier reached in one mode: its name, "no tier reached" or "not assessable" and why."""

    text: str
    css: str
    why: str = ""


@dataclass
class Verdicts:
    """The verdict part of the run page."""

    tiers: list[TierRow]
    reached: list[Reached]
    our_defaults: str
    embodied_effect: str
    reference_source: str
    gate: str
    gate_css: str
    changes: list[str]


@lru_cache(maxsize=8)
def _pack_notes(pack_id: str) -> dict[tuple[str, str], str]:
    """(tier, criterion) -> the note a shipped criteria pack gives a criterion (empty for another pack)."""
    from bimcarbon.criteria import load_pack
    from bimcarbon.errors import BimcarbonError
    from bimcarbon.factors import factors_dir

    if (
        not re.fullmatch(r"[\w.-]+", pack_id or "")
        or not (factors_dir() / "criteria" / f"{pack_id}.yaml").is_file()
    ):
        return {}
    try:
        pack = load_pack(pack_id)
    except BimcarbonError:
        return {}
    return {(t.id, c.id): c.note for t in pack.tiers for c in t.criteria if c.note}


def threshold_status(criterion: dict, lang: str, benchmark: bool = False) -> tuple[str, str]:
    """Whether a threshold is confirmed, bimcarbon's own default (the standard's value was not found) or
    provisional (a confirmed figure whose use for this tier is not confirmed): (kind, words)."""
    _ = translator(lang)
    if not criterion.get("provisional"):
        return "confirmed", _("confirmed threshold")
    if str(criterion.get("source", "")).startswith(OUR_DEFAULT):
        return "default", _(
            "bimcarbon's provisional default: the draft standard's own value was not found in any source "
            "read, so this threshold is ours, not the standard's"
        )
    if benchmark:
        return "provisional", _(
            "provisional: the value is not confirmed in its primary source (see the source)"
        )
    return "provisional", _("provisional: not confirmed as this tier's threshold (see the source)")


def _mode_cell(c: dict, why_blocked: str, a: dict, lang: str) -> ModeCell:
    verdict = c.get("verdict", "not assessable")
    why = ""
    if verdict == "not assessable":
        why = why_blocked if why_blocked else missing_reason(a, c.get("metric", ""), lang)
    return ModeCell(
        value=quantity(c.get("value"), c.get("unit", ""), lang),
        margin=margin_text(c.get("margin"), c.get("unit", ""), lang),
        verdict=verdict_word(verdict, lang),
        css=_CSS.get(verdict, "na"),
        why=why,
    )


def _blocked(a: dict, mode: str, lang: str) -> str:
    """Why every verdict of ``mode`` is not assessable (the completeness gate), else ""."""
    m = a.get(mode) or {}
    if (m.get("verdicts") or {}).get("note") and not m.get("accepted_incomplete"):
        return _gate_reason(a, lang)
    return ""


def reached(a: dict, mode: str, lang: str) -> Reached:
    """The tier reached in ``mode``, else "no tier reached" (a tier failed) or "not assessable" (why)."""
    _ = translator(lang)
    v = (a.get(mode) or {}).get("verdicts") or {}
    tiers = v.get("tiers") or []
    blocked = _blocked(a, mode, lang)
    if v.get("reached"):
        tier = next((t for t in tiers if t.get("tier") == v["reached"]), {"name_en": v["reached"]})
        return Reached(tier_name(tier, lang), "pass")
    first_open = next((t for t in tiers if t.get("verdict") != "pass"), None)
    if first_open is None or first_open.get("verdict") == "fail":
        return Reached(_("no tier reached"), "fail")
    if blocked:
        return Reached(_("not assessable"), "na", blocked)
    criteria = [
        c
        for c in v.get("criteria") or []
        if c.get("tier") == first_open.get("tier") and c.get("verdict") == "not assessable"
    ]
    reasons = [missing_reason(a, c.get("metric", ""), lang).split(_("; ")) for c in criteria]
    unique = dict.fromkeys(part for parts in reasons for part in parts)
    return Reached(_("not assessable"), "na", _("; ").join(unique))


def embodied_effect(a: dict, lang: str) -> tuple[str, str]:
    """What counting embodied emissions does to the building's intensity and to its baseline, and the
    source of the baseline's reference embodied value: (line, source)."""
    _ = translator(lang)
    w = (a.get("without_embodied") or {}).get("metrics") or {}
    x = (a.get("with_embodied") or {}).get("metrics") or {}
    life = a.get("design_life_years") or 50
    baseline = ((a.get("parameters") or {}).get("energy") or {}).get("baseline") or {}
    reference = baseline.get("reference_embodied_kg_per_m2")
    source = baseline.get("reference_embodied_source") or ""
    source = reference_source(source, lang)
    added = x.get("annualised_embodied_kg_per_m2a")
    base_w, base_x = (
        w.get("baseline_carbon_intensity_kg_per_m2a"),
        x.get("baseline_carbon_intensity_kg_per_m2a"),
    )
    generic = _(
        "Counting embodied emissions adds the building's upfront emissions (A1-A5) spread over its design "
        "life to its intensity, and adds a reference embodied value to the baseline's, so both sides "
        "compare the same modules."
    )
    if added is None or base_w is None or base_x is None:
        return generic, source
    unit = unit_label("kgCO2e/(m2.a)", lang)
    upfront = x.get("upfront_embodied_kg_per_m2")
    line = _(
        "Counting embodied emissions adds {added} {unit} to the building (upfront A1-A5 {upfront} kgCO2e/m² "
        "over {life} years) and {base_added} {unit} to the baseline (a reference of {reference} kgCO2e/m² "
        "over the same {life} years{scaled}).",
        added=number(added),
        unit=unit,
        upfront=number(upfront, 1),
        life=f"{life:g}",
        base_added=number(base_x - base_w),
        reference=number(reference, 2) if reference is not None else "–",
        scaled=_(", scaled to the share of the mass counted")
        if (a.get("with_embodied") or {}).get("embodied_complete") is not True
        else "",
    )
    share_w, share_x = w.get("carbon_intensity_reduction_share"), x.get("carbon_intensity_reduction_share")
    if share_w is not None and share_x is not None:
        line += ("" if lang == "zh" else " ") + _(
            "The reduction against the baseline goes from {before} to {after}.",
            before=f"{100 * share_w:.1f}\u00a0%",
            after=f"{100 * share_x:.1f}\u00a0%",
        )
    return line, source


def reference_source(text: str, lang: str) -> str:
    """The source of the baseline's reference embodied value in ``lang`` (bimcarbon's default has its
    Chinese here; a person's own source stays as written)."""
    from bimcarbon.energy import REFERENCE_EMBODIED_SOURCE, REFERENCE_EMBODIED_SOURCE_ZH

    if lang == "zh" and text == REFERENCE_EMBODIED_SOURCE:
        return REFERENCE_EMBODIED_SOURCE_ZH
    return text


def our_defaults_line(a: dict, lang: str) -> str:
    """The thresholds that are bimcarbon's own defaults, said in plain words ("" when there are none)."""
    _ = translator(lang)
    v = (a.get("without_embodied") or {}).get("verdicts") or {}
    names = {t.get("tier"): tier_name(t, lang) for t in v.get("tiers") or []}
    ours = [
        f"{names.get(c.get('tier'), c.get('tier'))}: {short_metric(c['metric'], lang)} "
        f"{threshold_text(c['operator'], c['threshold'], c['unit'], lang)}"
        for c in v.get("criteria") or []
        if c.get("provisional") and str(c.get("source", "")).startswith(OUR_DEFAULT)
    ]
    if not ours:
        return ""
    return _(
        "Not the standard's values: the thresholds of {tiers} are bimcarbon's provisional defaults, because "
        "the draft standard's own values were not found in any source read. Read these verdicts as "
        "indications until the standard is published.",
        tiers=_("; ").join(ours),
    )


def verdicts(a: dict, lang: str) -> Verdicts:
    """Every tier and criterion in both modes, explained."""
    _ = translator(lang)
    modes = [(a.get(m) or {}).get("verdicts") or {} for m in _MODES]
    blocked = [_blocked(a, m, lang) for m in _MODES]
    notes = _pack_notes(modes[0].get("pack", ""))
    by_key = [{(c.get("tier"), c.get("criterion")): c for c in v.get("criteria") or []} for v in modes]
    rows: list[TierRow] = []
    for index, tier in enumerate(modes[0].get("tiers") or []):
        cells = []
        for m, v in enumerate(modes):
            other = (v.get("tiers") or [])[index] if index < len(v.get("tiers") or []) else {}
            verdict = other.get("verdict", "not assessable")
            cells.append(ModeCell("", "", verdict_word(verdict, lang), _CSS.get(verdict, "na"), blocked[m]))
        criteria = []
        for c in modes[0].get("criteria") or []:
            if c.get("tier") != tier.get("tier"):
                continue
            kind, words = threshold_status(c, lang)
            key = (c.get("tier"), c.get("criterion"))
            criteria.append(
                CriterionRow(
                    tier=c.get("tier", ""),
                    criterion=c.get("criterion", ""),
                    metric=metric_label(c.get("metric", ""), lang),
                    test=threshold_text(
                        c.get("operator", ""), c.get("threshold", 0.0), c.get("unit", ""), lang
                    ),
                    status=kind,
                    status_text=words,
                    source=data_text(c.get("source", ""), lang),
                    note=data_text(notes.get(key, ""), lang),
                    modes=[
                        _mode_cell(
                            by_key[m].get(key, {**c, "value": None, "margin": None}), blocked[m], a, lang
                        )
                        for m in range(len(modes))
                    ],
                )
            )
        rows.append(
            TierRow(
                tier.get("tier", ""), tier_name(tier, lang), bool(tier.get("provisional")), cells, criteria
            )
        )
    line, source = embodied_effect(a, lang)
    w = a.get("with_embodied") or {}
    gate, gate_css = "", ""
    if w.get("note"):
        gate = _gate_note(a, lang)
        gate_css = "warn" if w.get("accepted_incomplete") else "error"
    names = {t.get("tier"): tier_name(t, lang) for t in modes[0].get("tiers") or []}
    changes = [
        _(
            "{tier}: {before} without embodied, {after} with",
            tier=names.get(c.get("tier"), c.get("tier")),
            before=verdict_word(c.get("without_embodied", ""), lang),
            after=verdict_word(c.get("with_embodied", ""), lang),
        )
        for c in a.get("changes") or []
    ]
    return Verdicts(
        tiers=rows,
        reached=[reached(a, m, lang) for m in _MODES],
        our_defaults=our_defaults_line(a, lang),
        embodied_effect=line,
        reference_source=source,
        gate=gate,
        gate_css=gate_css,
        changes=changes,
    )


# ---- benchmarks ----------------------------------------------------------------------------------------


@dataclass
class BenchmarkRow:
    """An informational benchmark: the test, the value, the margin and its verdict, marked and sourced."""

    name: str
    provisional: bool
    metric: str
    test: str
    cell: ModeCell
    status_text: str
    source: str


@dataclass
class Benchmarks:
    """The informational embodied benchmarks."""

    title: str
    rows: list[BenchmarkRow]
    reached: Reached


def benchmarks(a: dict, lang: str) -> Benchmarks | None:
    """The benchmarks of the assessment (upfront A1-A5 against published targets), None when absent."""
    _ = translator(lang)
    b = a.get("benchmarks")
    if not b or not b.get("tiers"):
        return None
    blocked = _gate_reason(a, lang) if b.get("note") else ""
    tiers = {t.get("tier"): t for t in b.get("tiers") or []}
    rows = []
    for c in b.get("criteria") or []:
        tier = tiers.get(c.get("tier"), {})
        _kind, words = threshold_status(c, lang, benchmark=True)
        rows.append(
            BenchmarkRow(
                name=tier_name(tier, lang),
                provisional=bool(c.get("provisional")),
                metric=short_metric(c.get("metric", ""), lang),
                test=threshold_text(c.get("operator", ""), c.get("threshold", 0.0), c.get("unit", ""), lang),
                cell=_mode_cell(c, blocked, a, lang),
                status_text=words,
                source=data_text(c.get("source", ""), lang),
            )
        )
    if b.get("reached"):
        best = Reached(tier_name(tiers.get(b["reached"], {"name_en": b["reached"]}), lang), "pass")
    elif blocked or any(t.get("verdict") == "not assessable" for t in tiers.values()):
        why = blocked or missing_reason(a, "upfront_embodied_kg_per_m2", lang)
        best = Reached(_("not assessable"), "na", why)
    else:
        best = Reached(_("none met"), "fail")
    return Benchmarks(_labels(lang)["benchmarks"], rows, best)


# ---- warnings ------------------------------------------------------------------------------------------


@dataclass
class WarningLine:
    """A warning in the page's language, with its rank (0 is the worst) and what kind it is."""

    text: str
    rank: int
    kind: str


@dataclass
class Warnings:
    """The warnings, worst first: implausible figures apart (a red box), the first few, and the rest."""

    implausible: list[str]
    first: list[WarningLine]
    more: list[WarningLine]
    left_out: int
    total: int


_KINDS = ("implausible", "embodied", "floor area", "range", "other")


def warning_rank(line: str, a: dict) -> int:
    """How bad a warning is: 0 implausible magnitudes, 1 the embodied total incomplete or blocked, 2 the
    floor area a proxy or missing, 3 a figure outside its typical range (an element's too), 4 the rest."""
    from bimcarbon.assess import NO_ASSUMPTIONS_WARNING

    if line.startswith("IMPLAUSIBLE"):
        return 0
    gate = (a.get("with_embodied") or {}).get("note")
    if (gate and line == gate) or line == NO_ASSUMPTIONS_WARNING or "embodied total" in line:
        return 1
    if line.startswith(("floor area ", "no floor area")):
        return 2
    if line.startswith(("above the typical range", "below the typical range", "implausibly solid metal")):
        return 3
    return 4


def _assessment(a: dict):
    """The pydantic assessment the workbook's translators need, or None for a JSON it cannot read."""
    from pydantic import ValidationError

    from bimcarbon.assess import Assessment

    try:
        return Assessment.model_validate(a)
    except ValidationError:
        return None


def _warning_in(line: str, model, lang: str) -> str:
    if lang != "zh":
        return line
    if model is None:
        return f"(英文原文){line}"
    from bimcarbon.report.workbook.messages_zh import warning_text

    return warning_text(line, model, _labels("zh"))


#: The command line's option, as the web app offers it (the upload form's box).
_FLAG_ON_THE_WEB = {
    "en": ("--accept-incomplete", 'the upload form\'s "Accept an incomplete embodied total"'),
    "zh": ("--accept-incomplete", "上传表单中的“接受不完整的隐含碳合计”选项"),
}


def _for_the_web(text: str, lang: str) -> str:
    """A note that names a command-line option, naming the web form's box instead."""
    flag, box = _FLAG_ON_THE_WEB.get(lang, _FLAG_ON_THE_WEB["en"])
    return text.replace(f"with {flag}", f"with {box}").replace(flag, box)


def _gate_note(a: dict, lang: str) -> str:
    note = (a.get("with_embodied") or {}).get("note") or ""
    model = _assessment(a) if lang == "zh" else None
    if lang != "zh" or model is None:
        return _for_the_web(_warning_in(note, model, lang), lang) if note else ""
    from bimcarbon.report.workbook.notes import gate_note

    return _for_the_web(gate_note(model, "zh"), "zh")


def warnings(a: dict, lang: str, first: int = FIRST_WARNINGS, most: int = MAX_WARNINGS) -> Warnings:
    """The assessment's warnings and the operational notes (PV above use...), worst first, in ``lang``."""
    lines = list(a.get("warnings") or [])
    op_notes = [n for n in ((a.get("operational") or {}).get("notes") or []) if n not in lines]
    model = _assessment(a) if lang == "zh" and lines else None
    ranked = [
        (warning_rank(line, a), i, _for_the_web(_warning_in(line, model, lang), lang))
        for i, line in enumerate(lines)
    ]
    ranked += [(4, len(lines) + i, operation_note(n, lang)) for i, n in enumerate(op_notes)]
    ranked.sort(key=lambda r: (r[0], r[1]))
    implausible = [text for rank, _i, text in ranked if rank == 0]
    rest = [WarningLine(text, rank, _KINDS[rank]) for rank, _i, text in ranked if rank > 0]
    return Warnings(
        implausible=implausible,
        first=rest[:first],
        more=rest[first:most],
        left_out=max(0, len(rest) - most),
        total=len(rest),
    )


# ---- key figures, checks, notes ------------------------------------------------------------------------

_METRIC_UNITS = {
    "carbon_intensity_reduction_share": "share",
    "upfront_embodied_kg_per_m2": "kgCO2e/m2",
}


def key_figures(a: dict, lang: str) -> list[tuple[str, str, str]]:
    """(metric in words, without embodied, with embodied) for every metric of the assessment."""
    w = (a.get("without_embodied") or {}).get("metrics") or {}
    x = (a.get("with_embodied") or {}).get("metrics") or {}
    rows = []
    for key, value in w.items():
        shown = [value, x.get(key)]
        if key.endswith("_share"):
            texts = [quantity(v, "share", lang) for v in shown]
        else:
            texts = [number(v) for v in shown]
        rows.append((metric_label(key, lang), *texts))
    return rows


@dataclass
class CheckRow:
    """A plausibility check: the figure, its typical range, whether that range is our assumption, verdict."""

    label: str
    value: str
    range: str
    assumption: bool
    verdict: str
    css: str


def checks(a: dict, lang: str) -> list[CheckRow]:
    """The plausibility checks in words (empty for a run assessed before they existed)."""
    from bimcarbon.report.workbook.labels import data_label

    t = _labels(lang)
    rows = []
    for f in (a.get("plausibility") or {}).get("findings") or []:
        unit = f.get("unit", "")
        if unit == "share":
            typical = f"{100 * f['low']:.0f}-{100 * f['high']:.0f}\u00a0%"
        else:
            typical = f"{f['low']:g}-{f['high']:g} {unit_label(unit, lang)}"
        verdict = f.get("verdict") or "not assessable"
        word = t.get(verdict) if verdict != "not assessable" else t["not assessable"]
        rows.append(
            CheckRow(
                label=(
                    data_label(t, "check", f.get("metric", ""))
                    if lang == "zh"
                    else _capital(f.get("label", ""))
                )
                + (f": {f['global_id']}" if f.get("global_id") else ""),
                value=quantity(f.get("value"), unit, lang),
                range=typical,
                assumption=f.get("status") == "unconfirmed",
                verdict=word or verdict,
                css={"typical": "pass", "not assessable": "na"}.get(verdict, "fail"),
            )
        )
    return rows


def _capital(text: str) -> str:
    return (text[:1].upper() + text[1:]).replace(" m2", " m²").replace(" m3", " m³")


def floor_area_line(a: dict, lang: str) -> str:
    """The floor area and where it came from, or that there is none."""
    from bimcarbon.report.workbook.floor_area_zh import floor_area_source_zh

    _ = translator(lang)
    area = a.get("floor_area") or {}
    source = area.get("source") or ""
    if lang == "zh":
        source = floor_area_source_zh(source)
    if area.get("value_m2") is None:
        return _("No floor area ({source}): every figure per m² is not assessable.", source=source)
    return _("Floor area {area} m² ({source}).", area=number(area["value_m2"], 1), source=source)


def operation_line(a: dict, lang: str) -> str:
    """Whether the operational energy was given, in words."""
    _ = translator(lang)
    note = a.get("operational_note") or ""
    if note == "provided":
        return _("Operation: energy figures given.")
    if note.startswith("not provided"):
        return _("Operation: no energy figures given, so the operational criteria are not assessable.")
    why = note.removeprefix("incomplete: ")
    if lang == "zh":
        why = "; ".join(operation_note(n, lang) for n in why.split("; "))
    return _("Operation: incomplete ({why}).", why=why)


def completeness_line(a: dict, lang: str) -> str:
    """How much of the mass is counted (the workbook's note, in ``lang``)."""
    c = a.get("coverage") or {}
    if lang != "zh":
        return c.get("completeness_note", "")
    model = _assessment(a)
    if model is None:
        return f"(英文原文){c.get('completeness_note', '')}"
    from bimcarbon.report.workbook.notes import completeness_note

    return completeness_note(model, "zh")


def stages(a: dict, lang: str) -> list[tuple[str, str]]:
    """The GB/T 51366 stages (Chinese name, beside the English one on an English page) and their kgCO2e."""
    t = _labels(lang)
    rows = []
    for s in a.get("stages") or []:
        modules = t.get(f"modules {s.get('modules')}", s.get("modules", ""))
        name = s.get("name_zh", "") if lang == "zh" else f"{s.get('name_zh', '')} {s.get('name_en', '')}"
        rows.append((f"{name} ({modules})", number(s.get("kgco2e"))))
    return rows


# ---- charts (inline SVG) -------------------------------------------------------------------------------

#: The charts' own coordinates: drawn at 100 % of their box, so the text scales with the chart.
CHART_WIDTH = 360
FONT = 14
_LABEL_H, _BAR_H, _GAP = 18, 15, 9


def text_width(text: str, size: float = FONT) -> float:
    """The width of ``text`` in the chart's units, estimated (CJK and full-width characters are 1 em,
    others about 0.6 em): enough to keep labels from running into each other or out of the chart."""
    width = 0.0
    for ch in text:
        width += size * (1.0 if unicodedata.east_asian_width(ch) in ("W", "F") else 0.6)
    return width


def fit(text: str, width: float, size: float = FONT) -> str:
    """``text`` cut with "…" to fit ``width`` (the whole text goes in the chart's tooltip)."""
    if text_width(text, size) <= width:
        return text
    cut = text
    while cut and text_width(cut + "…", size) > width:
        cut = cut[:-1]
    return cut + "…"


@dataclass
class Bar:
    """One bar: its label, value, the value as shown and its colour class."""

    label: str
    value: float | None
    shown: str
    kind: str = "a"


@dataclass
class Group:
    """A label over one or more bars."""

    label: str
    bars: list[Bar] = field(default_factory=list)


def bar_chart(title: str, groups: list[Group], legend: list[tuple[str, str]] | None = None) -> Markup:
    """A horizontal bar chart as inline SVG: each group's label on its own line, its bars below with
    their value at the bar's end (inside the bar when there is no room after it), so no two texts
    overlap. Negative values grow left of a zero line. Everything is escaped (names come from models)."""
    values = [b.value for g in groups for b in g.bars if b.value is not None]
    low, high = min([0.0, *values]), max([0.0, *values])
    span = (high - low) or 1.0
    zero = (0.0 - low) / span * CHART_WIDTH
    parts: list[str] = []
    y = 0.0
    for label, kind in legend or []:
        parts.append(f'<rect class="bar-{kind}" x="0" y="{y + 2:.1f}" width="12" height="12"/>')
        parts.append(f'<text x="18" y="{y + FONT:.1f}">{escape(fit(label, CHART_WIDTH - 18))}</text>')
        y += _LABEL_H
    if legend:
        y += 4
    for g in groups:
        shown_label = fit(g.label, CHART_WIDTH)
        tooltip = f"<title>{escape(g.label)}</title>" if shown_label != g.label else ""
        parts.append(f'<text class="label" x="0" y="{y + FONT:.1f}">{tooltip}{escape(shown_label)}</text>')
        y += _LABEL_H
        for b in g.bars:
            v = b.value or 0.0
            x_end = (v - low) / span * CHART_WIDTH
            left, width = min(zero, x_end), abs(x_end - zero)
            parts.append(
                f'<rect class="bar-{b.kind}" x="{left:.1f}" y="{y:.1f}" width="{max(width, 0.5):.1f}" '
                f'height="{_BAR_H}"><title>{escape(g.label)}: {escape(b.shown)}</title></rect>'
            )
            tw = text_width(b.shown)
            base = y + _BAR_H - 3
            if v >= 0 and x_end + 4 + tw <= CHART_WIDTH:
                parts.append(f'<text x="{x_end + 4:.1f}" y="{base:.1f}">{escape(b.shown)}</text>')
            elif v < 0 and x_end - 4 - tw >= 0:
                parts.append(
                    f'<text x="{x_end - 4:.1f}" y="{base:.1f}" text-anchor="end">{escape(b.shown)}</text>'
                )
            elif v >= 0:  # no room after the bar: inside it, at its end
                parts.append(
                    f'<text class="inside" x="{x_end - 4:.1f}" y="{base:.1f}" text-anchor="end">'
                    f"{escape(b.shown)}</text>"
                )
            else:
                parts.append(
                    f'<text class="inside" x="{x_end + 4:.1f}" y="{base:.1f}">{escape(b.shown)}</text>'
                )
            y += _BAR_H + 3
        y += _GAP - 3
    if low < 0:
        parts.append(f'<line class="zero" x1="{zero:.1f}" y1="0" x2="{zero:.1f}" y2="{y:.1f}"/>')
    height = max(y, 1.0)
    return Markup(
        f'<svg class="chart" viewBox="0 0 {CHART_WIDTH} {height:.0f}" role="img" '
        f'aria-label="{escape(title)}" font-size="{FONT}" xmlns="http://www.w3.org/2000/svg">'
        + "".join(parts)
        + "</svg>"
    )


def module_chart(a: dict, lang: str) -> Markup:
    """Embodied emissions by EN 15978 module (kgCO2e)."""
    _ = translator(lang)
    e = a.get("embodied") or {}
    modules = [
        (_("A1-A3 production"), e.get("a1_a3")),
        (_("A4 transport to site"), e.get("a4")),
        (_("A5 construction"), e.get("a5")),
        (_("B4 replacement"), e.get("b4")),
        (_("C1-C4 end of life"), e.get("c1_c4")),
    ]
    total = sum(v or 0.0 for _m, v in modules)
    groups = []
    for name, value in modules:
        share = f" ({100 * value / total:.0f}\u00a0%)" if value and total else ""
        groups.append(Group(name, [Bar(name, value, f"{number(value, 0)}{share}")]))
    return bar_chart(_labels(lang)["chart modules"], groups)


def material_chart(a: dict, lang: str, top: int = TOP_MATERIALS) -> Markup:
    """A1-A3 by material (kgCO2e), the ``top`` largest; the rest summed on one more bar."""
    _ = translator(lang)
    materials = sorted(a.get("by_material") or [], key=lambda m: -(m.get("a1_a3_kgco2e") or 0.0))
    total = sum(m.get("a1_a3_kgco2e") or 0.0 for m in materials)
    groups = []
    for m in materials[:top]:
        value = m.get("a1_a3_kgco2e")
        share = f" ({100 * value / total:.0f}\u00a0%)" if value and total > 0 else ""
        name = str(m.get("material", ""))
        name = _labels(lang).get(name, name) if name == "(no material)" else name
        groups.append(Group(name, [Bar("", value, f"{number(value, 0)}{share}")]))
    rest = materials[top:]
    if rest:
        value = sum(m.get("a1_a3_kgco2e") or 0.0 for m in rest)
        name = _("{n} other materials", n=len(rest))
        groups.append(Group(name, [Bar("", value, number(value, 0), "c")]))
    return bar_chart(_labels(lang)["chart materials"], groups)


def intensity_chart(a: dict, lang: str) -> Markup:
    """The building's, the baseline's and the net intensity, without and with embodied."""
    _ = translator(lang)
    w = (a.get("without_embodied") or {}).get("metrics") or {}
    x = (a.get("with_embodied") or {}).get("metrics") or {}
    groups = []
    for key in (
        "carbon_intensity_kg_per_m2a",
        "baseline_carbon_intensity_kg_per_m2a",
        "net_carbon_intensity_kg_per_m2a",
    ):
        groups.append(
            Group(
                metric_label(key, lang),
                [Bar("", w.get(key), number(w.get(key)), "a"), Bar("", x.get(key), number(x.get(key)), "b")],
            )
        )
    legend = [(_("without embodied emissions"), "a"), (_("with embodied emissions"), "b")]
    return bar_chart(_labels(lang)["chart intensity"], groups, legend)


# ---- the page ------------------------------------------------------------------------------------------


@dataclass
class RunView:
    """Everything the verdicts, figures and checks parts of a finished run's page show."""

    warnings: Warnings
    verdicts: Verdicts
    benchmarks: Benchmarks | None
    key_figures: list[tuple[str, str, str]]
    checks: list[CheckRow]
    stages: list[tuple[str, str]]
    floor_area: str
    operation: str
    completeness: str
    charts: dict[str, Markup]
    chart_titles: dict[str, str]


def run_view(a: dict, lang: str) -> RunView:
    """The run page's verdicts, figures and checks for the assessment ``a`` in ``lang`` (en or zh)."""
    lang = "zh" if lang == "zh" else "en"
    t = _labels(lang)
    intensity_known = any(
        v is not None
        for m in _MODES
        for k, v in ((a.get(m) or {}).get("metrics") or {}).items()
        if k.endswith("_kg_per_m2a")
    )
    charts = {"modules": module_chart(a, lang), "materials": material_chart(a, lang)}
    if intensity_known:
        charts["intensity"] = intensity_chart(a, lang)
    return RunView(
        warnings=warnings(a, lang),
        verdicts=verdicts(a, lang),
        benchmarks=benchmarks(a, lang),
        key_figures=key_figures(a, lang),
        checks=checks(a, lang),
        stages=stages(a, lang),
        floor_area=floor_area_line(a, lang),
        operation=operation_line(a, lang),
        completeness=completeness_line(a, lang),
        charts=charts,
        chart_titles={
            "modules": t["chart modules"],
            "materials": t["chart materials"],
            "intensity": t["chart intensity"],
        },
    )
