"""The heatmap classes and what each element carries in the IFC, without IFC (bimcarbon.exchange)."""

from __future__ import annotations

import pytest
import yaml

from bimcarbon.element_results import ElementResult
from bimcarbon.errors import FactorFileError
from bimcarbon.exchange.heatmap import colour_rgb, load_heatmap, place
from bimcarbon.exchange.ifc_results import STATED_MODULES, element_writes
from bimcarbon.factors import factors_dir


def _element(**values) -> ElementResult:
    base = {"global_id": "g", "step_id": 1, "ifc_class": "IfcWall", "status": "matched"}
    return ElementResult(**(base | values))


def test_an_element_with_a_volume_is_placed_by_its_a1_a3_per_m3():
    heatmap = load_heatmap()
    # a C30 wall: 2 m3 x 295 kgCO2e/m3 = 590 kgCO2e, 295 per m3: plain concrete, 200 to < 400
    placed = place(_element(volume_m3=2.0, a1_a3_kgco2e=590.0), heatmap)
    assert placed.basis == "per_m3" and placed.value == pytest.approx(295.0)
    assert placed.heat_class.id == "m3-2" and placed.heat_class.colour == "#fecc5c"
    # a bound belongs to the class above it: 400 per m3 (800 / 2) is reinforced concrete's class
    assert place(_element(volume_m3=2.0, a1_a3_kgco2e=800.0), heatmap).heat_class.id == "m3-3"
    # steel: 0.1 m3 x 18,447.5 = 1,844.75 kgCO2e: 10,000 per m3 and above
    assert place(_element(volume_m3=0.1, a1_a3_kgco2e=1844.75), heatmap).heat_class.id == "m3-5"


def test_an_element_counted_without_a_volume_is_placed_by_its_own_kgco2e_on_another_scale():
    heatmap = load_heatmap()
    # a window counted per m2 of opening: 2 m2 x 121 kgCO2e/m2 = 242 kgCO2e, no volume
    for volume in (None, 0.0):
        placed = place(_element(volume_m3=volume, a1_a3_kgco2e=242.0), heatmap)
        assert placed.basis == "per_element" and placed.value == 242.0
        assert placed.heat_class.id == "el-3" and placed.unit == "kgCO2e per element"


def test_an_element_with_nothing_counted_is_in_the_neutral_class():
    heatmap = load_heatmap()
    placed = place(_element(status="left out", volume_m3=3.0), heatmap)
    assert placed.heat_class is heatmap.not_assessed and placed.value is None
    assert heatmap.not_assessed.colour == "#969696"


def test_every_class_has_its_own_colour_and_the_classes_say_their_bounds():
    heatmap = load_heatmap()
    colours = [c.colour for c, _ in heatmap.legend()]
    assert len(colours) == len(set(colours)) == 5 + 4 + 1
    assert heatmap.per_m3.classes[1].bounds_text("kgCO2e/m3") == "200 to < 400 kgCO2e/m3"
    assert heatmap.per_m3.classes[0].bounds_text("kgCO2e/m3") == "< 200 kgCO2e/m3"
    assert heatmap.per_m3.classes[-1].bounds_text("kgCO2e/m3") == ">= 10000 kgCO2e/m3"
    assert colour_rgb("#ff8000") == (1.0, 128 / 255, 0.0)
    assert "135" in heatmap.per_m3.reason and heatmap.per_m3.zh["reason"]


def test_a_heatmap_file_with_a_gap_between_classes_is_refused_in_one_line(tmp_path):
    document = yaml.safe_load((factors_dir() / "heatmap.yaml").read_text(encoding="utf-8"))
    document["per_m3"]["classes"][1]["lower"] = 250  # m3-1 ends at 200
    path = tmp_path / "heatmap.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    with pytest.raises(FactorFileError, match="must start where m3-1 ends") as info:
        load_heatmap(path)
    assert "\n" not in str(info.value)


def test_a_counted_element_carries_its_modules_status_and_sources_and_the_run():
    element = _element(
        a1_a3_kgco2e=590.0,
        a4_kgco2e=12.5,
        c3_c4_kgco2e=3.0,
        volume_m3=2.0,
        mass_kg=4800.0,
        factor_ids=["concrete_c30", "steel_rebar"],
        quantity_sources=["Qto_WallBaseQuantities.NetVolume"],
        flags=["equal_split"],
    )
    (write,) = element_writes([element], "ab" * 32)
    props = {p.name: p for p in write.properties}
    assert write.climate_change_kg == 590.0 and STATED_MODULES == "A1-A3"
    assert props["A1_A3_kgCO2e"].value == 590.0 and props["A1_A3_kgCO2e"].kind == "real"
    assert props["A4_kgCO2e"].value == 12.5 and props["C3_C4_kgCO2e"].value == 3.0
    assert "B4_kgCO2e" not in props  # None: not assessed in B4, not written as 0
    assert props["FactorIds"].value == "concrete_c30; steel_rebar"
    assert props["QuantitySources"].value == "Qto_WallBaseQuantities.NetVolume"
    assert props["Flags"].value == "equal_split" and props["Status"].value == "matched"
    assert props["ModelSha256"].value == "ab" * 32 and props["ToolVersion"].value.startswith("bimcarbon ")
    assert "kgCO2e" in props["Units"].value and props["Volume_m3"].value == 2.0
    assert "HeatmapClass" not in props and write.placement is None


def test_an_element_with_nothing_counted_carries_its_status_and_why_in_the_language_asked():
    element = _element(status="left out", materials=["Unknown"])
    (english,) = element_writes([element], "0" * 64)
    (chinese,) = element_writes([element], "0" * 64, load_heatmap(), lang="zh")
    assert english.climate_change_kg is None
    names = {p.name: p.value for p in english.properties}
    assert names["Status"] == "left out" and "no factor matched" in names["StatusNote"]
    assert not any(name.endswith("_kgCO2e") for name in names)
    zh = {p.name: p.value for p in chinese.properties}
    assert zh["Status"] == "left out" and "未计入" in zh["StatusNote"]
    assert zh["HeatmapClass"].startswith("未评估") and zh["HeatmapColour"] == "#969696"
    assert "HeatmapValue" not in zh
