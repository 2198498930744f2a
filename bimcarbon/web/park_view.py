"""What the park page shows, from the park assessment (format ``bimcarbon.park``): the park's verdicts in
both modes side by side, the criteria against their thresholds, the metrics with the coal basis, the
energy balance in its order, the building table, charts (inline SVG) and the warnings.

Pure functions of the :class:`~bimcarbon.park.run.ParkAssessment` and the page language. Every text is in
the page's language: bimcarbon's own words through :func:`bimcarbon.web.i18n.translator`, data-file texts
(sources, notes) through :func:`bimcarbon.web.views.data_text`, the roll-up's warnings and notes through
:func:`park_line`. Names from the models and the person stay as written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markupsafe import Markup

from bimcarbon.criteria import load_pack
from bimcarbon.park.run import ParkAssessment
from bimcarbon.web import views
from bimcarbon.web.i18n import translator
from bimcarbon.web.views import Bar, Group, Reached, bar_chart, number

_MODES = ("without_embodied", "with_embodied")
_CSS = {"pass": "pass", "fail": "fail", "not assessable": "na"}
#: The park metrics each mode compares, in the order the page lists them: (key, label, unit).
METRICS = (
    ("park_carbon_per_energy_t_per_tce", "CO2 per unit of energy consumption (core indicator)", "tCO2/tce"),
    ("park_clean_energy_share", "Clean-energy share of energy consumption", "share"),
    ("park_energy_consumption_tce", "Energy consumption", "tce"),
    ("total_emissions_t_per_year", "Emissions a year", "tCO2e"),
    ("emissions_kg_per_m2a", "Emissions per m² of floor area a year", "kgCO2e/(m2.a)"),
    ("net_emissions_t_per_year", "Net emissions after exports and offsets", "tCO2e"),
)
_LABELS = {key: label for key, label, _unit in METRICS}
_UNITS = {key: unit for key, _label, unit in METRICS}
#: The command-line option the roll-up names, as the park form offers it.
_FLAG = "--accept-incomplete"
_BOX = {"en": 'the park form\'s "Accept failed buildings"', "zh": "园区表单中的“接受评估失败的建筑”选项"}


def figure(value: float | None, unit: str, lang: str) -> str:
    """A park figure with its unit: a share in per cent, a tCO2/tce to three decimals."""
    if value is None:
        return "–"
    if unit == "share":
        return f"{100 * value:.1f}\u00a0%"
    if unit == "tCO2/tce":
        return f"{value:,.3f} tCO2/tce"
    return f"{number(value)} {views.unit_label(unit, lang)}"


# ---- the roll-up's lines in the page's language ----------------------------------------------------------

_ZH_LINES = [
    (
        r"^(?P<name>.+): failed: (?P<reason>.*)$",
        "{name}:评估失败:{reason}",
    ),
    (
        r"^park fuels: district heat has no factor: give park_energy\.district_heat_kgco2_per_gj; the park's "
        r"operational emissions and tCO2/tce are not computed$",
        "园区燃料:市政热力没有排放因子:请填写市政热力排放因子(district_he"
        "at_kgco2_per_gj);园区运行碳排放和 tCO2/tce 不予计算",
    ),
    (
        r"^(?P<name>.+): operational emissions incomplete \((?P<note>.*)\): the park's operational emissions "
        r"and tCO2/tce are not computed$",
        "{name}:运行碳排放不完整({note}):园区运行碳排放和 tCO2/tce 不予计算",
    ),
    (
        r"^park supply valued at the park's grid factor \((?P<x>[\d,.]+) kgCO2\) is more than the pooled "
        r"electricity's emissions at the buildings' own factors \((?P<y>[\d,.]+) kgCO2\): electricity "
        r"emissions taken as zero, not below$",
        "按园区电网因子计算的园区供电({x} kgCO2)多于按各建筑自身因"
        "子计算的汇总电力排放({y} kgCO2):电力排放计为零,不计负值",
    ),
    (
        r"^(?P<name>.+): no floor area: the park's figures per m2 are not computed$",
        "{name}:无建筑面积:园区单位面积指标不予计算",
    ),
    (
        r"^(?P<name>.+): grid factor (?P<id>\S+) \((?P<v>[\d.e+-]+) kgCO2/kWh\) differs from the park's "
        r"(?P<pid>\S+) \((?P<pv>[\d.e+-]+)\): its grid electricity counts at its own factor, the park's "
        r"loads and exports at the park's$",
        "{name}:电网因子 {id}({v} kgCO2/kWh)与园区的 {pid}({pv})不同:其电网用电按其自身因子计,"
        "园区负荷和上网电量按园区因子计",
    ),
    (
        r"^green electricity (?P<x>[\d,.]+) kWh is more than the grid electricity left after park "
        r"renewables \((?P<y>[\d,.]+) kWh\): (?P<z>[\d,.]+) kWh not counted$",
        "绿电 {x} kWh 多于园区可再生能源之后剩余的电网电量({y} kWh):{z} kWh 不予计入",
    ),
    (
        r"^(?P<n>[\d,]+) green certificates \((?P<x>[\d,.]+) kWh\) are more than the grid electricity left "
        r"after renewables and green electricity \((?P<y>[\d,.]+) kWh\): (?P<z>[\d,.]+) certificates not "
        r"counted$",
        "{n} 张绿证({x} kWh)多于可再生能源和绿电之后剩余的电网电量({y} kWh):{z} 张绿证不予计入",
    ),
    (
        r"^standard coal of (?P<carrier>.+) from an unconfirmed coefficient \((?P<k>[\d.e+-]+) "
        r"kgce/(?P<unit>\S+)\): check it before relying on the tCO2/tce$",
        "{carrier} 折标准煤采用未核实的系数({k} kgce/{unit}):依赖 tCO2/tce 之前请核对",
    ),
    (
        r"^the park is assessed without (?P<n>\d+) failed building\(s\) of (?P<total>\d+) \((?P<names>.*)\), "
        r"accepted with --accept-incomplete: its totals leave them out$",
        "园区评估不含 {total} 栋中评估失败的 {n} 栋建筑({names}),已通过{box}接受:园区合计不含这些建筑",
    ),
    (
        r"^with embodied emissions: the embodied totals of (?P<names>.*) are incomplete, accepted with "
        r"--accept-incomplete$",
        "计入隐含碳:{names} 的隐含碳合计不完整,已通过{box}接受",
    ),
    (
        r"^not assessable: no building of the park could be assessed$",
        "无法评估:园区中没有一栋建筑能够评估",
    ),
    (
        r"^not assessable: (?P<n>\d+) of (?P<total>\d+) building\(s\) failed \((?P<names>.*)\), "
        r"so the park's totals would leave them out; fix them, or accept the park without them "
        r"\(--accept-incomplete\)$",
        "无法评估:{total} 栋中有 {n} 栋建筑评估失败({names}"
        "),园区合计将不含这些建筑;请修正,或接受不含这些建筑的园区({box})",
    ),
    (
        r"^with embodied emissions: not assessable, the embodied totals of (?P<names>.*) are incomplete; map "
        r"or assume their missing materials, or accept them with --accept-incomplete$",
        "计入隐含碳:无法评估,{names} 的隐含碳合计不完整;"
        "请为缺失的材料指定因子或假定,或在上传时勾选“接受不完整的隐含碳合计”",
    ),
]
_ZH_COMPILED = [(re.compile(pattern), template) for pattern, template in _ZH_LINES]
_IMPLAUSIBLE = re.compile(r"^(?P<name>.+): IMPLAUSIBLE: (?P<message>.*)$")
#: The failure lines bimcarbon's web park itself writes (web/park.py), in Chinese.
_REASONS_ZH = {
    "the run was deleted": "该次评估已被删除",
    "its assessment file is missing": "其评估结果文件缺失",
}


def park_line(line: str, park: ParkAssessment, lang: str) -> str:
    """A warning or note of the park roll-up in ``lang``; an implausible building's line through its own
    assessment's translation. Lines it does not know stay in English, marked (英文原文)."""
    if lang != "zh":
        if "accept-incomplete" in line and "with embodied emissions: not assessable" in line:
            return line.replace(
                f"or accept them with {_FLAG}",
                'or accept them when uploading (the upload form\'s "Accept an incomplete embodied total")',
            )
        return line.replace(f"with {_FLAG}", f"with {_BOX['en']}").replace(_FLAG, _BOX["en"])
    implausible = _IMPLAUSIBLE.match(line)
    if implausible:
        name, message = implausible.group("name"), implausible.group("message")
        building = next((b for b in park.buildings if b.name == name and b.assessment), None)
        model = views._assessment(building.assessment) if building is not None else None
        return f"{name}:{views._warning_in(message, model, 'zh')}"
    for pattern, template in _ZH_COMPILED:
        match = pattern.match(line)
        if match:
            values = match.groupdict()
            if "reason" in values:
                values["reason"] = _REASONS_ZH.get(values["reason"], values["reason"])
            if "carrier" in values:
                values["carrier"] = _CARRIERS_ZH.get(values["carrier"], values["carrier"])
            return template.format(box=_BOX["zh"], **values)
    for building in sorted(park.buildings, key=lambda b: len(b.name), reverse=True):
        prefix = f"{building.name}: "
        if building.assessment and line.startswith(prefix):  # one of the building's own warnings
            own = views._warning_in(line[len(prefix) :], views._assessment(building.assessment), "zh")
            if own != line[len(prefix) :] and "英文原文" not in own:
                return f"{building.name}:{own}"
    if line.startswith("park: "):  # one of the park's own plausibility findings
        from bimcarbon.report.workbook.messages_zh import park_finding_zh

        zh = park_finding_zh(line)
        if "英文原文" not in zh:
            return zh
    if line.startswith("accepted: "):  # a reason lifted by accepting (a mode's note)
        return f"已接受:{park_line(line[len('accepted: ') :], park, lang)}"
    return f"(英文原文){line}"


# ---- the verdicts ----------------------------------------------------------------------------------------


@dataclass
class Cell:
    """One mode of a tier or a criterion: the verdict in words and its CSS class (and a value)."""

    verdict: str
    css: str
    value: str = ""
    margin: str = ""


@dataclass
class TierRow:
    """A park tier with its verdict in both modes."""

    name: str
    provisional: bool
    modes: list[Cell]


@dataclass
class CriterionRow:
    """A criterion of a tier: its metric, its test, its source, and its value and verdict per mode."""

    tier: str
    metric: str
    test: str
    provisional: bool
    source: str
    size_note: str
    modes: list[Cell]


@dataclass
class BuildingRow:
    """A building of the park: its run, status, tiers reached, A1-A3, intensity, coverage or why it failed."""

    name: str
    run_id: str | None
    status: str
    status_css: str
    reached: list[Reached]
    a1_a3: str
    intensity: str
    coverage: str
    reason: str


@dataclass
class ParkView:
    """Everything the park page shows of a park assessment."""

    tiers: list[TierRow]
    reached: list[Reached]
    changes: list[str]
    changes_none: bool
    criteria: list[CriterionRow]
    metrics: list[tuple[str, str, str]]
    coal_line: str
    consumption: list[tuple[str, str, str, str]]
    balance: list[tuple[str, str]]
    own_supply: list[tuple[str, str, str, str, str, str]]
    buildings: list[BuildingRow]
    totals: list[tuple[str, str]]
    warnings: list[str]
    implausible: list[str]
    provisional: bool
    charts: dict[str, Markup]
    chart_titles: dict[str, str]
    pack: str = ""
    building_pack: str = ""


def pack_label(pack_id: str, kind: str, lang: str) -> str:
    """A criteria pack by its id and edition, the edition in ``lang``."""
    try:
        pack = load_pack(pack_id, kind=kind)  # type: ignore[arg-type]
    except Exception:  # a pack no longer shipped: its id is all there is
        return pack_id
    edition = views.data_text(pack.metadata.edition, lang)
    return f"{pack_id} ({edition})" if edition else pack_id


def verdict_cell(verdict: str, lang: str) -> Cell:
    return Cell(views.verdict_word(verdict, lang), _CSS.get(verdict, "na"))


def reached(park: ParkAssessment, mode: str, lang: str) -> Reached:
    """The park tier reached in ``mode``, or why none is."""
    _ = translator(lang)
    v = getattr(park, mode).verdicts
    if v.reached:
        tier = next((t for t in v.tiers if t.tier == v.reached), None)
        name = (tier.name_zh if lang == "zh" and tier.name_zh else tier.name_en) if tier else v.reached
        return Reached(name, "pass")
    if v.note:
        return Reached(_("not assessable"), "na", park_line(v.note, park, lang))
    first_open = next((t for t in v.tiers if t.verdict != "pass"), None)
    if first_open is None or first_open.verdict == "fail":
        return Reached(_("no tier reached"), "fail")
    metrics = {c.metric for c in v.criteria if c.tier == first_open.tier and c.verdict == "not assessable"}
    why = "; ".join(_(_LABELS.get(m, m)) for m in sorted(metrics))
    return Reached(_("not assessable"), "na", _("not computed: {what}", what=why) if why else "")


def _criteria(park: ParkAssessment, lang: str) -> list[CriterionRow]:
    """Every criterion of the park pack with its threshold (and the size class that set it) per mode."""
    _ = translator(lang)
    size = park.metrics.get("energy_consumption_tce")
    try:
        pack = load_pack(park.parameters.get("criteria", ""), kind="park")  # type: ignore[arg-type]
        bands = {(t.id, c.id): c.band(size) for t in pack.tiers for c in t.criteria}
    except Exception:  # a pack no longer shipped: no size classes to name
        bands = {}
    names = {
        t.tier: (t.name_zh if lang == "zh" and t.name_zh else t.name_en)
        for t in park.without_embodied.verdicts.tiers
    }
    rows = []
    with_by_key = {(c.tier, c.criterion): c for c in park.with_embodied.verdicts.criteria}
    for c in park.without_embodied.verdicts.criteria:
        other = with_by_key.get((c.tier, c.criterion), c)
        band = bands.get((c.tier, c.criterion))
        size_note = ""
        if band is not None and size is not None:
            size_note = _(
                "threshold for a park of {size} tce a year",
                size=number(size, 1),
            )
            if band.note:
                size_note += f" ({views.data_text(band.note, lang)})"
        cells = []
        for r in (c, other):
            cell = verdict_cell(r.verdict, lang)
            cell.value = figure(r.value, r.unit, lang)
            cell.margin = _margin(r.margin, r.unit, lang)
            cells.append(cell)
        threshold = c.threshold if c.threshold is not None else 0.0
        test = f"{views.OPERATORS.get(c.operator, c.operator)} " + (
            f"{100 * threshold:g}\u00a0%" if c.unit == "share" else f"{threshold:g} {c.unit}"
        )
        rows.append(
            CriterionRow(
                tier=names.get(c.tier, c.tier),
                metric=_(_LABELS.get(c.metric, c.metric)),
                test=test,
                provisional=c.provisional,
                source=views.data_text(c.source, lang),
                size_note=size_note,
                modes=cells,
            )
        )
    return rows


def _margin(margin: float | None, unit: str, lang: str) -> str:
    if margin is None:
        return ""
    if unit == "share":
        return translator(lang)("{x} percentage points", x=f"{100 * margin:+.1f}")
    return f"{margin:+,.3f} {unit}" if unit == "tCO2/tce" else f"{margin:+,.2f} {unit}"


# ---- figures, balance, consumption ------------------------------------------------------------------------

_CARRIERS_ZH = {
    "electricity": "电力",
    "natural gas": "天然气",
    "district heat": "市政热力",
    "diesel": "柴油",
    "gasoline": "汽油",
    "lpg": "液化石油气",
    "coal": "煤",
}
_CARRIERS_EN = {"lpg": "LPG"}
_STATUS = {
    "confirmed": "confirmed",
    "secondary": "secondary source",
    "derived": "derived",
    "unconfirmed": "unconfirmed",
}


def coal_line(park: ParkAssessment, lang: str) -> str:
    """The coal basis every tCO2/tce rests on: the coefficient, which basis, its source."""
    _ = translator(lang)
    basis = park.energy_consumption.basis
    source = views.data_text(basis.sources.get("electricity_kwh", ""), lang)
    if basis.electricity_basis == "equivalent":
        return _(
            "Electricity converted to standard coal at {k} kgce/kWh, the equivalent value ({source}; "
            "{status}).",
            k=f"{basis.electricity_kgce_per_kwh:g}",
            source=source,
            status=_(_STATUS.get(basis.statuses.get("electricity_kwh", ""), "unconfirmed")),
        )
    return _(
        "Electricity converted to standard coal at {k} kgce/kWh, as stated for this park (not the "
        "equivalent value 0.1229).",
        k=f"{basis.electricity_kgce_per_kwh:g}",
    )


def _carrier(name: str, lang: str) -> str:
    return _CARRIERS_ZH.get(name, name) if lang == "zh" else _CARRIERS_EN.get(name, name)


def consumption(park: ParkAssessment, lang: str) -> list[tuple[str, str, str, str]]:
    """(carrier, quantity with its unit, kgce per unit with its status, tce) of each carrier consumed."""
    _ = translator(lang)
    rows = []
    for line in park.energy_consumption.lines:
        if not line.quantity:
            continue
        status = _(_STATUS.get(line.coefficient_status, line.coefficient_status))
        rows.append(
            (
                _carrier(line.carrier, lang),
                f"{number(line.quantity, 0)} {views.unit_label(line.unit, lang)}",
                f"{line.kgce_per_unit:g} ({status})",
                number(line.tce, 2),
            )
        )
    return rows


def balance(park: ParkAssessment, lang: str) -> list[tuple[str, str]]:
    """The electricity balance in its order (docs/park.md), kWh a year: (step in words, kWh)."""
    _ = translator(lang)
    b = park.balance
    kwh = lambda v: f"{number(v, 0)} kWh"  # noqa: E731
    rows = [
        (
            _(
                "1. The buildings' own PV and green electricity stay theirs; their grid electricity after "
                "them"
            ),
            kwh(sum(x.grid_after_own_supply_kwh for x in b.buildings)),
        ),
        (
            _(
                "2. Pooled with the park's own loads ({park} kWh): grid electricity to cover",
                park=number(b.park_electricity_kwh, 0),
            ),
            kwh(b.pooled_grid_kwh),
        ),
        (
            _(
                "3. Park PV and wind cover it first ({made} kWh made; exported: {exported} kWh)",
                made=number(b.park_renewables_kwh, 0),
                exported=number(b.park_renewables_exported_kwh, 0),
            ),
            kwh(b.park_renewables_used_kwh),
        ),
        (
            _(
                "4a. Then direct green electricity ({given} kWh given; unused: {unused} kWh)",
                given=number(b.green_electricity_kwh, 0),
                unused=number(b.green_electricity_unused_kwh, 0),
            ),
            kwh(b.green_electricity_used_kwh),
        ),
        (
            _(
                "4b. Then green certificates ({n} certificates; unused: {unused} kWh)",
                n=f"{b.green_certificates:,}",
                unused=number(b.green_certificates_unused_kwh, 0),
            ),
            kwh(b.green_certificates_used_kwh),
        ),
        (
            _(
                "Left to the grid, at the park's grid factor {id} ({g} kgCO2/kWh)",
                id=b.grid_factor_id,
                g=f"{b.grid_factor_kgco2_per_kwh:g}",
            ),
            kwh(b.grid_remaining_kwh),
        ),
    ]
    op = park.totals.operational
    rows.append(
        (
            _("5. Offsets (the buildings' and the park's), in the net emissions only"),
            f"{number(op.offsets_kgco2 / 1000.0, 2)} tCO2e",
        )
    )
    return rows


def own_supply(park: ParkAssessment, lang: str) -> list[tuple[str, str, str, str, str, str]]:
    """Step 1 per building: (name, electricity used, own PV, own green electricity, grid after them, PV
    exported), kWh a year."""
    return [
        (
            x.name,
            number(x.electricity_kwh, 0),
            number(x.pv_self_consumed_kwh, 0),
            number(x.green_electricity_kwh, 0),
            number(x.grid_after_own_supply_kwh, 0),
            number(x.pv_exported_kwh, 0),
        )
        for x in park.balance.buildings
    ]


def metric_rows(park: ParkAssessment, lang: str) -> list[tuple[str, str, str]]:
    """(metric in words, without embodied, with embodied)."""
    _ = translator(lang)
    w, x = park.without_embodied.metrics, park.with_embodied.metrics
    return [
        (_(label), figure(w.get(key), unit, lang), figure(x.get(key), unit, lang))
        for key, label, unit in METRICS
    ]


def totals(park: ParkAssessment, lang: str) -> list[tuple[str, str]]:
    """The park's embodied totals by module and what "with embodied" adds a year."""
    _ = translator(lang)
    e = park.totals.embodied

    def kg(value: float | None) -> str:
        if value is None:
            return _("not summed: a building did not assess it")
        return f"{number(value, 0)} kgCO2e"

    return [
        (_("A1-A3 production"), kg(e.a1_a3)),
        (_("A4 transport to site"), kg(e.a4)),
        (_("A5 construction"), kg(e.a5)),
        (_("B4 replacement"), kg(e.b4)),
        (_("C1-C4 end of life"), kg(e.c1_c4)),
        (_("Embodied total"), kg(e.embodied_total)),
        (
            _("Upfront A1-A5 over each building's design life, a year"),
            f"{number(park.totals.annualised_embodied_kgco2e_per_year, 0)} kgCO2e",
        ),
        (
            _("Floor area of the buildings"),
            f"{number(park.totals.floor_area_m2, 0)} m²" if park.totals.floor_area_m2 else "–",
        ),
    ]


# ---- the building table ------------------------------------------------------------------------------


def buildings(park: ParkAssessment, lang: str, run_ids: dict[str, str]) -> list[BuildingRow]:
    """One row per building: ``run_ids`` maps a building's name to its run (for the link)."""
    _ = translator(lang)
    rows = []
    for b in park.buildings:
        a = b.assessment
        if a is None:
            reason = _REASONS_ZH.get(b.error or "", b.error or "") if lang == "zh" else (b.error or "")
            rows.append(
                BuildingRow(
                    name=b.name,
                    run_id=run_ids.get(b.name),
                    status=_("failed"),
                    status_css="fail",
                    reached=[],
                    a1_a3="–",
                    intensity="–",
                    coverage="–",
                    reason=reason,
                )
            )
            continue
        c = a.get("coverage") or {}
        counted = c.get("mass_share_mapped")
        coverage = (
            _(
                "{mapped} matched, {assumed} assumed",
                mapped=_pct(c.get("mass_share_mapped")),
                assumed=_pct(c.get("mass_share_assumed")),
            )
            if counted is not None
            else "–"
        )
        intensity = ((a.get("without_embodied") or {}).get("metrics") or {}).get(
            "carbon_intensity_kg_per_m2a"
        )
        rows.append(
            BuildingRow(
                name=b.name,
                run_id=run_ids.get(b.name),
                status=_("done"),
                status_css="",
                reached=[_building_reached(a, mode, lang) for mode in _MODES],
                a1_a3=number((a.get("embodied") or {}).get("a1_a3"), 0),
                intensity=number(intensity),
                coverage=coverage,
                reason="",
            )
        )
    return rows


def _building_reached(a: dict, mode: str, lang: str) -> Reached:
    r = views.reached(a, mode, lang)
    return Reached(r.text, r.css, r.why)


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.0f}\u00a0%"


# ---- charts ------------------------------------------------------------------------------------------


def embodied_chart(park: ParkAssessment, lang: str) -> Markup:
    """Upfront embodied emissions (A1-A5) by building, kgCO2e, with each one's share of the park's."""
    _ = translator(lang)
    values = [
        (b.name, (b.assessment.get("embodied") or {}).get("upfront_a1_a5"))
        for b in park.buildings
        if b.assessment is not None
    ]
    total = sum(v or 0.0 for _n, v in values)
    groups = [
        Group(
            name,
            [Bar("", v, f"{number(v, 0)}" + (f" ({100 * v / total:.0f}\u00a0%)" if v and total else ""))],
        )
        for name, v in values
    ]
    return bar_chart(_("Upfront embodied emissions (A1-A5) by building, kgCO2e"), groups)


def balance_chart(park: ParkAssessment, lang: str) -> Markup:
    """The electricity balance, kWh a year: the pool, what covers it in order, what is left and exported."""
    _ = translator(lang)
    b = park.balance
    steps = [
        (_("Grid electricity to cover"), b.pooled_grid_kwh, "c"),
        (_("covered by park PV and wind"), b.park_renewables_used_kwh, "a"),
        (_("covered by direct green electricity"), b.green_electricity_used_kwh, "a"),
        (_("covered by green certificates"), b.green_certificates_used_kwh, "a"),
        (_("left to the grid"), b.grid_remaining_kwh, "b"),
        (_("park PV and wind exported"), b.park_renewables_exported_kwh, "c"),
    ]
    groups = [Group(label, [Bar("", v, number(v, 0), kind)]) for label, v, kind in steps]
    return bar_chart(_("Electricity balance, kWh a year"), groups)


def emissions_chart(park: ParkAssessment, lang: str) -> Markup | None:
    """The park's emissions a year, tCO2e: operational after supply, annualised embodied, the export
    credit and offsets (below zero), and the net with embodied."""
    _ = translator(lang)
    op = park.totals.operational
    if op.after_supply_kgco2_per_year is None:
        return None
    net = park.metrics.get("net_emissions_with_embodied_t_per_year")
    steps = [
        (_("operational, after park supply"), op.after_supply_kgco2_per_year / 1000.0, "a"),
        (
            _("embodied A1-A5 over the design life"),
            park.totals.annualised_embodied_kgco2e_per_year / 1000.0,
            "b",
        ),
        (_("exports credited"), -op.exported_credit_kgco2 / 1000.0, "c"),
        (_("offsets"), -op.offsets_kgco2 / 1000.0, "c"),
        (_("net, with embodied"), net, "a"),
    ]
    groups = [Group(label, [Bar("", v, number(v, 2), kind)]) for label, v, kind in steps]
    return bar_chart(_("Park emissions a year, tCO2e"), groups)


# ---- the page ----------------------------------------------------------------------------------------


def park_view(park: ParkAssessment, lang: str, run_ids: dict[str, str]) -> ParkView:
    """The park page's figures for ``park`` in ``lang`` (en or zh)."""
    lang = "zh" if lang == "zh" else "en"
    _ = translator(lang)
    w, x = park.without_embodied.verdicts, park.with_embodied.verdicts
    tiers = [
        TierRow(
            name=(a.name_zh if lang == "zh" and a.name_zh else a.name_en),
            provisional=a.provisional or b.provisional,
            modes=[verdict_cell(a.verdict, lang), verdict_cell(b.verdict, lang)],
        )
        for a, b in zip(w.tiers, x.tiers, strict=True)
    ]
    names = {a.tier: row.name for a, row in zip(w.tiers, tiers, strict=True)}
    blocked = bool(w.note or x.note)
    changes = [
        _(
            "{tier}: {before} without embodied, {after} with",
            tier=names.get(c.tier, c.tier),
            before=views.verdict_word(c.without_embodied, lang),
            after=views.verdict_word(c.with_embodied, lang),
        )
        for c in park.changes
    ]
    lines = [line for line in park.warnings if ": IMPLAUSIBLE: " not in line]
    implausible = [park_line(line, park, lang) for line in park.warnings if ": IMPLAUSIBLE: " in line]
    charts = {"embodied": embodied_chart(park, lang), "balance": balance_chart(park, lang)}
    emissions = emissions_chart(park, lang)
    if emissions is not None:
        charts["emissions"] = emissions
    return ParkView(
        tiers=tiers,
        reached=[reached(park, mode, lang) for mode in _MODES],
        changes=changes,
        changes_none=not blocked and not changes,
        criteria=_criteria(park, lang),
        metrics=metric_rows(park, lang),
        coal_line=coal_line(park, lang),
        consumption=consumption(park, lang),
        balance=balance(park, lang),
        own_supply=own_supply(park, lang),
        buildings=buildings(park, lang, run_ids),
        totals=totals(park, lang),
        warnings=[park_line(line, park, lang) for line in lines],
        implausible=implausible,
        provisional=any(t.provisional for t in tiers),
        charts=charts,
        chart_titles={
            "embodied": _("Upfront embodied emissions (A1-A5) by building, kgCO2e"),
            "balance": _("Electricity balance, kWh a year"),
            "emissions": _("Park emissions a year, tCO2e"),
        },
        pack=pack_label(str(park.parameters.get("criteria", "")), "park", lang),
        building_pack=pack_label(str(park.parameters.get("building_criteria", "")), "building", lang),
    )
