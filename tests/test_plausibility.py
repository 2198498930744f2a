"""Checks a person would make before believing the figures: per m2 of floor area and against the
building's gross volume, each with its range and source; an absurd figure is loud in every output."""

from __future__ import annotations

import json

import ifcopenshell.api.pset
import openpyxl
import pandas as pd
import pytest
from builders import add_slab, new_model
from typer.testing import CliRunner

from bimcarbon.cli import app
from bimcarbon.plausibility import check_plausibility, load_ranges, storey_height

runner = CliRunner()


def _table(volumes: dict[str, float]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "global_id": list(volumes),
            "ifc_class": ["IfcSlab"] * len(volumes),
            "element_name": [f"slab {g}" for g in volumes],
            "quantity_source": ["BaseQuantities.GrossVolume"] * len(volumes),
            "volume_m3": list(volumes.values()),
        }
    )


def _verdicts(p) -> dict[str, str]:
    return {f.metric: f.verdict for f in p.findings}


def test_the_storey_height_is_the_median_spacing_of_the_storey_elevations():
    assert storey_height([0.0, 3.0, 6.5, 10.0]) == (3.5, "median spacing of 4 storey elevations")
    assert storey_height([0.0, 4.0, 4.0])[0] == 4.0  # the same level twice counts once
    assert storey_height([2.5])[0] == 3.0  # one storey: 3 m, assumed


def test_an_ordinary_building_passes_every_check():
    # 160 m2 over two 3.5 m storeys; 48 m3 of material (0.3 m3/m2), 110,000 kg (688 kg/m2),
    # 48,000 kgCO2e (300 kgCO2e/m2); 48 / (160 x 3.5) = 8.6 % of the gross volume
    p = check_plausibility(
        _table({"a": 32.0, "b": 16.0}),
        110_000,
        48_000,
        [("Concrete", 40_000)],
        160.0,
        [0.0, 3.5],
        load_ranges(),
    )
    assert set(_verdicts(p).values()) == {"typical"}
    assert not p.absurd and p.warnings() == []
    share = next(f for f in p.findings if f.metric == "material_share_of_gross_volume")
    assert share.value == pytest.approx(48.0 / (160.0 * 3.5))


def test_a_house_of_82000_m3_on_76_m2_is_absurd_and_names_its_largest_elements():
    # SampleHouse4 before the quantity check: two slabs at 1000 x their geometry
    table = _table({"slab-1": 40_977.0, "slab-2": 40_900.0, "wall": 117.3})
    p = check_plausibility(table, 0.0, 30_000.0, [], 76.1, [0.0, 2.5], load_ranges())
    verdicts = _verdicts(p)
    # 81,994.3 / 76.1 = 1,077 m3 per m2 (range 0.1-2.5, absurd above 25)
    assert verdicts["material_volume_m3_per_m2"] == "absurd"
    assert verdicts["material_share_of_gross_volume"] == "absurd"  # 81,994 / (76.1 x 2.5) = 431 x
    assert verdicts["material_mass_kg_per_m2"] == "not assessable"  # no mass known
    assert p.absurd
    first = p.warnings()[0]
    assert first.startswith("IMPLAUSIBLE (over 10x the top of its range)")
    assert "1,077 m3/m2" in first and "81,994.3 m3 / 76.1 m2" in first
    assert "largest: slab-1 IfcSlab 'slab slab-1' 40,977.0 m3 (BaseQuantities.GrossVolume)" in first


def test_an_upfront_figure_below_the_range_says_the_materials_may_not_be_counted():
    p = check_plausibility(_table({"a": 40.0}), 100_000, 1_600, [("Steel", 1_600)], 160.0, [], load_ranges())
    (line,) = p.warnings()
    assert line.startswith("below the typical range: upfront embodied emissions")
    assert "10 kgCO2e/m2" in line and "may not be counted" in line


def test_without_a_floor_area_nothing_per_m2_is_judged_but_the_largest_element_still_is():
    p = check_plausibility(_table({"a": 40.0}), 100_000, 12_000, [], None, [0.0, 3.0], load_ranges())
    verdicts = _verdicts(p)
    assert verdicts.pop("largest_element_volume_m3") == "typical"  # 40 m3
    assert set(verdicts.values()) == {"not assessable"}
    assert not p.absurd
    # a model with no floor area whose exports are a billion times too large (mm3 read as m3) is
    # still caught: 9.6e9 m3 in one wall is above 10 x 5,000 m3
    wrong = check_plausibility(_table({"w": 9.6e9}), 0, 0, [], None, [], load_ranges())
    assert wrong.absurd
    assert wrong.warnings()[0].startswith("IMPLAUSIBLE (over 10x the top of its range)")
    assert "volume of the largest element is 9,600,000,000 m3" in wrong.warnings()[0]


def test_every_range_carries_its_source_and_status():
    ranges = load_ranges()
    assert ranges.absurd_factor == 10
    for r in ranges.ranges:
        assert r.low < r.high and r.source.strip() and r.status in ("confirmed", "secondary", "unconfirmed")


def test_an_absurd_assessment_is_loud_in_the_console_the_json_and_the_workbook(tmp_path):
    # slabs of 16 m3 exported at 16,000 m3, taken off with --geometry never (nothing can check them);
    # 2 x 16,000 m3 on 160 m2 is 200 m3 of material per m2 of floor: absurd (above 10 x 2.5)
    f, ctx = new_model("m")
    for _ in range(2):
        slab = add_slab(f, ctx)
        qto = ifcopenshell.api.pset.add_qto(f, product=slab, name="BaseQuantities")
        ifcopenshell.api.pset.edit_qto(f, qto=qto, properties={"GrossVolume": 16000.0})
    f.write(str(tmp_path / "slabs.ifc"))
    (tmp_path / "e.yaml").write_text("building_type: public\ngross_floor_area_m2: 160\n")
    out, book = tmp_path / "a.json", tmp_path / "a.xlsx"
    result = runner.invoke(
        app,
        ["assess", str(tmp_path / "slabs.ifc"), "--geometry", "never", "--energy", str(tmp_path / "e.yaml"),
         "--json", str(out), "-o", str(book)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    # the absurd figures come first: A1-A3 32,000 m3 of C30/37 (C40) x 340 = 10,880,000 + the rebar
    # assumed in slabs not said to be reinforced, 3,840 t x 2,340 = 8,985,600; A4 76,800 t x 40 km x
    # 0.078 = 239,616 + 3,840 t x 500 km x 0.078 = 149,760; A5 wastage 5 % x (11,119,616 + 9,135,360)
    # = 1,012,748.8 + site 40 x 160 = 6,400: upfront 21,274,124.8 / 160 = 132,963 kgCO2e/m2; and 200 m3
    # of material per m2
    top = result.stdout.split("floor area 160.0 m2")[0]
    assert top.lstrip().startswith("IMPLAUSIBLE")
    assert "200 m3/m2" in top and "132,963 kgCO2e/m2" in top
    data = json.loads(out.read_text())
    assert data["plausibility"]["absurd"] is True
    assert data["warnings"][0].startswith("IMPLAUSIBLE")
    summary = openpyxl.load_workbook(book)["Summary"]
    assert summary["A3"].value.startswith("IMPLAUSIBLE RESULT")
    rows = list(summary.iter_rows(values_only=True))
    volume_row = next(r for r in rows if r[0] == "Volume of material per m² of floor area")
    assert volume_row[1] == pytest.approx(200.0) and volume_row[5] == "IMPLAUSIBLE"
    # and the figures behind it, with the largest elements, on the Summary too
    lines = [r[0] for r in rows if isinstance(r[0], str) and r[0].startswith("IMPLAUSIBLE (over 10x")]
    assert any("32,000.0 m3 / 160.0 m2" in line and "largest: " in line for line in lines)


def test_a_mass_figure_says_how_much_material_has_no_known_mass():
    # 40,000 kg known over 160 m2 = 250 kg/m2 (below 300), while 30 m3 have no known mass
    p = check_plausibility(
        _table({"a": 40.0}), 40_000, 48_000, [], 160.0, [0.0, 3.5], load_ranges(), volume_without_mass_m3=30.0
    )
    (line,) = [w for w in p.warnings() if "known mass" in w]
    assert "250 kg/m2 (40,000 kg / 160.0 m2; 30.0 m3 have no known mass)" in line


def test_a_figure_a_thousand_times_too_small_is_implausible_too():
    # a units fault the other way: 0.048 m3 of material on 160 m2 is 0.0003 m3/m2, under 1/10 of 0.1
    p = check_plausibility(_table({"a": 0.048}), 110.0, 48_000, [], 160.0, [0.0, 3.5], load_ranges())
    assert _verdicts(p)["material_volume_m3_per_m2"] == "absurd" and p.absurd
    assert any(w.startswith("IMPLAUSIBLE (under 1/10 of the bottom of its range)") for w in p.warnings())


def test_levels_a_few_centimetres_apart_are_one_storey_not_a_storey_height():
    # structure at 0 and 3.0 m, finish levels 0.15 m above each: the storey height is 2.85 m, not 0.15
    assert storey_height([0.0, 0.15, 3.0, 3.15])[0] == pytest.approx(2.85)


def test_a_broken_ranges_file_is_one_line_naming_the_file_and_the_field(tmp_path):
    from bimcarbon.errors import FactorFileError

    broken = tmp_path / "ranges.yaml"
    broken.write_text("metadata: {}\nabsurd_factor: ten\nranges: []\n")
    with pytest.raises(FactorFileError) as caught:
        load_ranges(broken)
    message = "field 'absurd_factor': Input should be a valid number, unable to parse string as a number"
    assert str(caught.value) == f"{broken}: {message}"
