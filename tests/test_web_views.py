"""The run page's verdicts explained, warnings, benchmarks and charts (bimcarbon/web/views.py), from real
assessments of the bundled office, with the numbers checked on paper.

Office (docs/assessment.md, "The office sample, on paper"): floor area 160 m2; gross 7466 kg/a = 46.6625
kg/(m2.a); baseline 14932 kg/a = 93.325 kg/(m2.a): a 50 % reduction; net 7200.7 / 160 = 45.004 kg/(m2.a).
With embodied: + upfront 79,924 / 50 / 160 = 9.99 on the building, + 326.75 / 50 = 6.535 on the baseline:
(99.86 - 56.65) / 99.86 = 43.3 %.
"""

from __future__ import annotations

import ast
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml

from bimcarbon.assess import assess
from bimcarbon.criteria import KNOWN_METRICS
from bimcarbon.web import views
from bimcarbon.web.i18n import ZH

SAMPLES = Path(__file__).resolve().parent.parent / "sample_models"
OFFICE, ENERGY = SAMPLES / "office_m.ifc", SAMPLES / "office_m.energy.yaml"
NBSP = "\u00a0"


def _json(run) -> dict:
    """The assessment as the web app stores and reads it."""
    return json.loads(run.assessment.model_dump_json())


@pytest.fixture(scope="module")
def office() -> dict:
    return _json(assess(OFFICE, ENERGY))


def _row(view: views.Verdicts, tier: str, criterion: str) -> views.CriterionRow:
    return next(c for t in view.tiers for c in t.criteria if (c.tier, c.criterion) == (tier, criterion))


def test_a_criterion_shows_its_value_threshold_and_margin_on_paper(office):
    view = views.verdicts(office, "en")
    share = _row(view, "low-carbon", "reduction-40")
    assert share.metric == "Reduction (share of the baseline)"  # words, not carbon_intensity_reduction_share
    assert share.test == f"≥ 40{NBSP}%"
    without, with_ = share.modes
    # margin = value - threshold: 0.50 - 0.40 = 0.10, i.e. 10 percentage points
    assert (without.value, without.margin, without.verdict) == (
        f"50.0{NBSP}%",
        "+10.0 percentage points",
        "pass",
    )
    # with embodied: (99.86 - 56.653) / 99.86 = 43.27 %, 3.27 points above 40 %
    assert (with_.value, with_.margin, with_.verdict) == (f"43.3{NBSP}%", "+3.3 percentage points", "pass")
    kg = _row(view, "low-carbon", "reduction-7kg")
    # 93.325 - 46.6625 = 46.6625 kg/(m2.a) reduced; 46.6625 - 7 = 39.6625 over the threshold
    assert kg.test == "≥ 7 kgCO2e/(m²·a)"
    assert kg.modes[0].value == "46.66 kgCO2e/(m²·a)" and kg.modes[0].margin == "+39.66 kgCO2e/(m²·a)"
    net = _row(view, "zero-carbon", "net-zero")
    # "<=" criteria: margin = threshold - value = 0 - 45.004 = -45.00 (failing by that much)
    assert net.test == "≤ 0 kgCO2e/(m²·a)"
    assert (net.modes[0].value, net.modes[0].margin, net.modes[0].verdict) == (
        "45.00 kgCO2e/(m²·a)",
        "-45.00 kgCO2e/(m²·a)",
        "fail",
    )
    assert [r.text for r in view.reached] == ["Low-carbon building", "Low-carbon building"]


def test_our_default_thresholds_are_said_to_be_ours_and_the_others_provisional(office):
    view = views.verdicts(office, "en")
    assert _row(view, "near-zero-carbon", "reduction-60").status == "default"
    assert _row(view, "zero-carbon", "net-zero").status == "default"
    low = _row(view, "low-carbon", "reduction-40")
    assert low.status == "provisional" and "GB 55015-2021" in low.source
    assert "provisional reading" in low.note  # the pack's note on using GB 55015 as the tier
    assert "Near-zero-carbon building: Reduction ≥ 60" in view.our_defaults
    assert "Zero-carbon building: Net carbon intensity ≤ 0 kgCO2e/(m²·a)" in view.our_defaults
    assert "draft standard's own values were not found" in view.our_defaults
    zh = views.verdicts(office, "zh")
    assert "近零碳建筑" in zh.our_defaults and "暂定默认值" in zh.our_defaults
    assert _row(zh, "low-carbon", "reduction-40").source.startswith("GB 55015-2021《建筑节能")
    assert _row(zh, "zero-carbon", "net-zero").modes[0].verdict == "未通过"


def test_the_line_on_counting_embodied_names_what_the_building_and_the_baseline_gain(office):
    line = views.verdicts(office, "en").embodied_effect
    building, baseline = re.findall(
        r"adds ([\d.]+) kgCO2e.* and ([\d.]+) kgCO2e/\(m²·a\) to the baseline", line
    )[0]
    assert float(building) == pytest.approx(79924.06 / 50 / 160, abs=0.006)  # 9.99
    assert float(baseline) == pytest.approx(326.75 / 50, abs=0.006)  # 6.535
    assert f"from 50.0{NBSP}% to 43.3{NBSP}%" in line
    assert "scaled" not in line  # the total is complete: the whole reference counts


def test_no_tier_reached_and_not_assessable_are_different_words(office, tmp_path):
    # baseline 79.1: without embodied (79.1 - 46.66) / 79.1 = 41.0 % (low-carbon); with embodied
    # (85.635 - 56.65) / 85.635 = 33.8 %: a tier fails, none is reached
    energy = yaml.safe_load(ENERGY.read_text())
    energy["baseline"] = {"carbon_intensity_kg_per_m2a": 79.1}
    (tmp_path / "tight.yaml").write_text(yaml.safe_dump(energy))
    tight = views.verdicts(_json(assess(OFFICE, tmp_path / "tight.yaml")), "en")
    assert [(r.text, r.css) for r in tight.reached] == [
        ("Low-carbon building", "pass"),
        ("no tier reached", "fail"),
    ]
    assert tight.changes == ["Low-carbon building: pass without embodied, fail with"]
    # no energy file: nothing operational can be judged, and the page says why
    bare = views.verdicts(_json(assess(OFFICE)), "en")
    assert {(r.text, r.why) for r in bare.reached} == {("not assessable", "no energy figures were given")}
    zh = views.verdicts(_json(assess(OFFICE)), "zh")
    assert {(r.text, r.why) for r in zh.reached} == {("无法评估", "未提供能耗数据")}


def test_a_model_without_floor_area_is_not_assessable_because_of_it(tmp_path):
    from builders import add_layered_wall, new_model

    f, ctx = new_model("m")
    add_layered_wall(f, ctx)  # a wall alone: no storey area, no space, no floor slab
    f.write(str(tmp_path / "wall.ifc"))
    a = _json(assess(tmp_path / "wall.ifc", ENERGY))
    assert a["floor_area"]["value_m2"] is None
    view = views.verdicts(a, "en")
    assert [r.why for r in view.reached] == ["no floor area was found in the model"] * 2
    cell = _row(view, "low-carbon", "reduction-40").modes[0]
    assert (cell.value, cell.verdict, cell.why) == (
        "–",
        "not assessable",
        "no floor area was found in the model",
    )
    assert views.floor_area_line(a, "zh").startswith("无建筑面积(未找到")


def test_an_incomplete_embodied_total_blocks_the_with_embodied_verdicts_and_says_why(tmp_path):
    # the office with its concrete left out (tests/test_assessment.py): well under 95 % of the mass counted
    mapping = tmp_path / "no-concrete.yaml"
    mapping.write_text(
        "metadata: {id: mine}\nrules:\n  - id: concrete-unknown\n    when: {material_words: [concrete]}\n"
        "    use: []\n    reason: mix not known yet\n",
        encoding="utf-8",
    )
    a = _json(assess(OFFICE, ENERGY, [mapping]))
    counted = a["coverage"]["mass_share_mapped"] + a["coverage"]["mass_share_assumed"]
    view = views.verdicts(a, "en")
    expected = f"embodied total incomplete: {100 * counted:.1f}{NBSP}% of the mass counted, 95{NBSP}% needed"
    assert (view.reached[1].text, view.reached[1].why) == ("not assessable", expected)
    cell = _row(view, "low-carbon", "reduction-40").modes[1]
    assert cell.verdict == "not assessable" and cell.why == expected
    assert cell.value != "–" and cell.margin  # the figures stay visible, never as a pass
    assert view.gate.startswith("with embodied emissions: not assessable") and view.gate_css == "error"
    assert "scaled to the share of the mass counted" in view.embodied_effect
    bench = views.benchmarks(a, "en")
    assert bench.reached.text == "not assessable" and bench.reached.why == expected
    assert views.verdicts(a, "zh").gate.startswith("计入隐含碳的结论无法评估")


def test_warnings_come_worst_first_and_the_list_is_cut(office):
    a = dict(office)
    gate = (
        "with embodied emissions: not assessable, the embodied total is incomplete (50% of the mass counted)"
    )
    a["with_embodied"] = {**office["with_embodied"], "note": gate}
    implausible = "IMPLAUSIBLE (over 10x the top of its range), do not use without checking the model: x is 1"
    rest = [f"note {i}" for i in range(10)]
    floor = office["warnings"][1]
    assert floor.startswith("floor area 160.0 m2 is a proxy")
    a["warnings"] = [rest[0], floor, "above the typical range: y is 2", gate, *rest[1:], implausible]
    w = views.warnings(a, "en", first=3, most=8)
    assert w.implausible == [implausible]  # the red box
    assert [x.text for x in w.first] == [gate, floor, "above the typical range: y is 2"]
    assert [x.text for x in w.more] == rest[:5]  # first 3 + 5 more = 8 listed
    assert (w.left_out, w.total) == (5, 13)


def test_warnings_and_operation_notes_are_in_chinese(office):
    a = dict(office)
    pv = (
        "PV self-consumed (5000 kWh) is more than the electricity used (1000 kWh): the excess is not "
        "credited; count it as exported"
    )
    a["operational"] = {**office["operational"], "notes": [pv]}
    w = views.warnings(a, "zh")
    texts = [x.text for x in w.first + w.more]
    assert texts[0].startswith("建筑面积 160.0 m² 并非给定值")  # the floor area proxy before the rest
    assert "光伏自用电量(5000 kWh)大于用电量(1000 kWh)" in texts[-1]


def test_benchmarks_keep_their_marks_and_sources(office):
    b = views.benchmarks(office, "en")
    leti = b.rows[0]
    # upfront 79,924 / 160 = 499.5 kgCO2e/m2 against LETI 2020's 600: 100.5 to spare
    assert (leti.test, leti.cell.value, leti.cell.margin) == (
        "≤ 600 kgCO2e/m²",
        "499.53 kgCO2e/m²",
        "+100.47 kgCO2e/m²",
    )
    assert leti.provisional and "LETI" in leti.source
    luo = b.rows[2]
    assert not luo.provisional and luo.status_text == "confirmed threshold" and luo.cell.verdict == "fail"
    assert b.reached.text == "LETI 2020 design target (office, upfront A1-A5)"


def test_no_metric_identifier_reaches_the_page_in_either_language(office):
    for lang in ("en", "zh"):
        view = views.run_view(office, lang)
        shown = json.dumps(
            [view.key_figures, [c.__dict__ for c in view.checks], repr(view.verdicts), repr(view.benchmarks)],
            ensure_ascii=False,
        ) + "".join(str(svg) for svg in view.charts.values())
        assert not [m for m in KNOWN_METRICS if m in shown], lang
    labels = [row[0] for row in views.run_view(office, "zh").key_figures]
    assert "碳排放强度降低率" in labels


def _texts(svg: str) -> list[tuple[float, float, float, float]]:
    """The boxes (left, top, right, bottom) of the chart's texts, by the chart's own width estimate."""
    root = ET.fromstring(svg)
    boxes = []
    for t in root.iter("{http://www.w3.org/2000/svg}text"):
        shown = (t.text or "") + "".join(child.tail or "" for child in t)  # not the tooltip (<title>)
        width = views.text_width(shown)
        x, y = float(t.get("x")), float(t.get("y"))
        left = x - width if t.get("text-anchor") == "end" else x
        boxes.append((left, y - views.FONT, left + width, y))
    return boxes


def _overlap(a, b) -> bool:
    return a[0] < b[2] - 0.5 and b[0] < a[2] - 0.5 and a[1] < b[3] - 0.5 and b[1] < a[3] - 0.5


def test_charts_are_scalable_svg_whose_texts_stay_inside_and_apart(office):
    a = dict(office)
    hostile = '<script>alert("x")</script> ' + "Very long material name " * 6
    a["by_material"] = [*office["by_material"], {"material": hostile, "a1_a3_kgco2e": 60000.0, "notes": []}]
    a["by_material"] += [{"material": f"M{i}", "a1_a3_kgco2e": 1.0, "notes": []} for i in range(5)]
    # a zero-carbon building: its net intensity is below zero
    a["with_embodied"] = json.loads(json.dumps(office["with_embodied"]))
    a["with_embodied"]["metrics"]["net_carbon_intensity_kg_per_m2a"] = -20.0
    charts = views.run_view(a, "en").charts
    for name, svg in charts.items():
        root = ET.fromstring(str(svg))  # well-formed: the hostile name is escaped
        assert root.get("viewBox").startswith(f"0 0 {views.CHART_WIDTH} ")
        boxes = _texts(str(svg))
        assert all(b[0] >= 0 and b[2] <= views.CHART_WIDTH + 0.5 for b in boxes), name
        assert not [(p, q) for i, p in enumerate(boxes) for q in boxes[i + 1 :] if _overlap(p, q)], name
    materials = str(charts["materials"])
    assert "<script>" not in materials and "&lt;script&gt;" in materials
    assert (
        f"<title>{hostile.replace('<', '&lt;').replace('>', '&gt;').replace(chr(34), '&#34;')}</title>"
        in materials
    )
    # 7 + 1 + 5 = 13 materials: the top 10, and the other 3 (1 kgCO2e each) summed on one bar
    assert "3 other materials: 3</title>" in materials
    assert '<line class="zero"' in str(charts["intensity"])
    # the office's modules: A1-A3 68,339 of 87,794 in all = 78 %
    assert f"68,339 (78{NBSP}%)" in str(charts["modules"])


def test_every_text_the_views_write_has_its_chinese():
    tree = ast.parse(Path(views.__file__).read_text(encoding="utf-8"))
    texts = {
        node.args[0].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "_"
        and node.args
        and isinstance(node.args[0], ast.Constant)
    }
    assert len(texts) > 20
    assert sorted(texts - ZH.keys()) == []


def test_the_run_page_in_chinese_shows_the_explained_verdicts(office, tmp_path):
    from fastapi.testclient import TestClient

    from bimcarbon.web.app import Settings, create_app
    from bimcarbon.web.store import Store

    client = TestClient(create_app(Settings(data_dir=tmp_path / "data")))
    store = Store(tmp_path / "data")
    store.add_upload("0" * 64, 1, "office.ifc", "ifc")
    run_id = store.add_run(store.project("P"), "0" * 64, {"criteria": "cn-zero-carbon-building-draft-2023"})
    (store.run_dir(run_id) / "assessment.json").write_text(json.dumps(office), encoding="utf-8")
    store.set_status(run_id, "done", "done", {})
    page = client.get(f"/runs/{run_id}", headers={"Accept-Language": "zh-CN,zh;q=0.9"}).text
    assert "<h2>评价结论</h2>" in page and "依据:各项指标与阈值的比较" in page
    assert "余量 +10.0 个百分点" in page and "bimcarbon 暂定默认值" in page
    assert not [m for m in KNOWN_METRICS if m in page]
    english = client.get(f"/runs/{run_id}?lang=en").text
    assert "margin +10.0 percentage points" in english and '<svg class="chart"' in english


def test_the_web_page_names_the_forms_box_not_the_command_line_option():
    from bimcarbon.web.views import _for_the_web

    note = "map or assume the missing materials, or accept it with --accept-incomplete"
    assert _for_the_web(note, "en").endswith(
        'accept it with the upload form\'s "Accept an incomplete embodied total"'
    )
    assert "--accept-incomplete" not in _for_the_web("以 --accept-incomplete 接受并标注", "zh")
