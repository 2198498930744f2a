"""The Excel compliance workbook, reopened with openpyxl and checked against the JSON figures."""

from __future__ import annotations

import json
import re
from pathlib import Path

import openpyxl
import pytest
from builders import add_layered_wall, new_model
from typer.testing import CliRunner

from bimcarbon.cli import app

SAMPLES = Path(__file__).resolve().parent.parent / "sample_models"
OFFICE, ENERGY = SAMPLES / "office_m.ifc", SAMPLES / "office_m.energy.yaml"
runner = CliRunner()


@pytest.fixture(scope="module")
def office(tmp_path_factory):
    folder = tmp_path_factory.mktemp("wb")
    xlsx, js = folder / "office.xlsx", folder / "office.json"
    result = runner.invoke(
        app, ["assess", str(OFFICE), "--energy", str(ENERGY), "-o", str(xlsx), "--json", str(js)]
    )
    assert result.exit_code == 0, result.output
    return openpyxl.load_workbook(xlsx), json.loads(js.read_text())


def _evaluate_product(sheet, formula: str) -> float:
    match = re.fullmatch(r"=([A-Z]+)(\d+)\*([A-Z]+)(\d+)", formula)
    assert match, formula
    a, b = sheet[f"{match[1]}{match[2]}"].value, sheet[f"{match[3]}{match[4]}"].value
    return float(a) * float(b)


def test_the_workbook_has_every_sheet_with_headers(office):
    book, _ = office
    assert book.sheetnames == [
        "Summary", "Criteria", "Embodied", "Operational", "Elements", "Factors", "Coverage", "Parameters"
    ]  # fmt: skip
    header = [c.value for c in book["Elements"][1]]
    assert header[:10] == [
        "global_id", "ifc_class", "element_name", "storey", "material", "factor_id", "quantity",
        "declared_unit", "value_kgco2e_per_unit", "a1_a3_kgco2e",
    ]  # fmt: skip
    assert book["Elements"].freeze_panes == "A2"


def test_element_formulas_evaluate_to_the_json_a1_a3_total(office):
    book, doc = office
    sheet = book["Elements"]
    header = [c.value for c in sheet[1]]
    column = header.index("a1_a3_kgco2e") + 1
    total = 0.0
    for row in range(2, sheet.max_row + 1):
        formula = sheet.cell(row=row, column=column).value
        if formula is not None:
            total += _evaluate_product(sheet, formula)
    assert total == pytest.approx(doc["embodied"]["a1_a3"], rel=1e-12)
    summary = book["Summary"]
    a1a3 = next(r for r in summary.iter_rows(values_only=True) if r[0] == "A1-A3")
    assert a1a3[1] == f"=SUM('Elements'!J2:J{sheet.max_row})"


def test_the_summary_shows_both_verdicts_with_provisional_marks(office):
    book, doc = office
    rows = list(book["Summary"].iter_rows(values_only=True))
    low = next(r for r in rows if r[0] == "Low-carbon building")
    assert low[1:4] == ("pass", "pass", "*")
    reached = next(r for r in rows if r[0] == "Tier reached")
    assert doc["without_embodied"]["verdicts"]["reached"] == "low-carbon"
    assert doc["with_embodied"]["verdicts"]["reached"] == "low-carbon"
    assert reached[1:3] == ("Low-carbon building", "Low-carbon building")
    assert len(book["Summary"]._charts) == 2 and len(book["Embodied"]._charts) == 1


def test_the_criteria_sheet_lists_every_criterion_both_ways_with_sources(office):
    book, doc = office
    rows = list(book["Criteria"].iter_rows(min_row=2, values_only=True))
    assert len(rows) == 2 * len(doc["without_embodied"]["verdicts"]["criteria"])
    assert all(r[11] for r in rows)  # a source on every criterion


def test_the_factors_sheet_gives_each_used_factor_its_source_and_licence(office):
    book, _ = office
    rows = list(book["Factors"].iter_rows(min_row=2, values_only=True))
    c40 = next(r for r in rows if r[0] == "concrete_c40")
    assert c40[4] == 340 and "51366" in c40[7] and c40[9]


def test_text_from_the_model_is_text_never_a_formula(tmp_path):
    f, ctx = new_model("m")
    wall = add_layered_wall(f, ctx)
    wall.Name = "+cmd"
    layer_set = wall.HasAssociations[0].RelatingMaterial.ForLayerSet
    layer_set.MaterialLayers[0].Material.Name = '=HYPERLINK("http://x","y")'
    model = tmp_path / "evil.ifc"
    f.write(str(model))
    mapping = tmp_path / "m.yaml"
    mapping.write_text(
        'metadata: {id: m}\nrules:\n  - id: evil\n    when: {material_exact: [\'=HYPERLINK("http://x","y")\']}\n'
        "    use: [{factor: concrete_c30}]\n"
    )
    out = tmp_path / "evil.xlsx"
    result = runner.invoke(app, ["assess", str(model), "--mapping", str(mapping), "-o", str(out)])
    assert result.exit_code == 0, result.output
    sheet = openpyxl.load_workbook(out)["Elements"]
    header = [c.value for c in sheet[1]]
    row = next(
        r
        for r in range(2, sheet.max_row + 1)
        if sheet.cell(row=r, column=5).value == '=HYPERLINK("http://x","y")'
    )
    assert sheet.cell(row=row, column=header.index("material") + 1).data_type == "s"
    name = sheet.cell(row=row, column=header.index("element_name") + 1)
    assert name.value == "+cmd" and name.data_type == "s"


def test_the_workbook_in_chinese(tmp_path):
    out = tmp_path / "zh.xlsx"
    result = runner.invoke(
        app, ["assess", str(OFFICE), "--energy", str(ENERGY), "-o", str(out), "--lang", "zh"]
    )
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(out)
    assert book.sheetnames[0] == "汇总" and "构件明细" in book.sheetnames
    rows = list(book["汇总"].iter_rows(values_only=True))
    assert any(r[0] == "低碳建筑" and r[1] == "通过" for r in rows)
    assert next(r for r in rows if r[0] == "达到等级")[1] == "低碳建筑"
    assert [c.value for c in book["评价指标"][1]][:3] == ["模式", "等级", "指标编号"]


def test_a_tier_that_changes_with_embodied_shows_both_verdicts_in_the_workbook(tmp_path):
    import yaml

    energy = yaml.safe_load(ENERGY.read_text())
    energy["baseline"] = {"carbon_intensity_kg_per_m2a": 79.1}  # see test_assessment.py
    path = tmp_path / "tight.energy.yaml"
    path.write_text(yaml.safe_dump(energy))
    out = tmp_path / "tight.xlsx"
    result = runner.invoke(app, ["assess", str(OFFICE), "--energy", str(path), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "changes low-carbon: pass -> fail" in result.stdout
    rows = list(openpyxl.load_workbook(out)["Summary"].iter_rows(values_only=True))
    assert next(r for r in rows if r[0] == "Low-carbon building")[1:3] == ("pass", "fail")
    assert next(r for r in rows if r[0] == "Tier reached")[1:3] == ("Low-carbon building", "none")


@pytest.mark.parametrize("variant", ["office_mm", "office_ft", "office_ifc2x3"])
def test_every_bundled_sample_has_an_energy_file_and_the_same_operational_result(variant):
    from bimcarbon.assess import assess

    a = assess(SAMPLES / f"{variant}.ifc", SAMPLES / f"{variant}.energy.yaml").assessment
    assert a.floor_area.value_m2 == pytest.approx(160.0)
    assert a.operational.gross_kgco2_per_year == pytest.approx(7466.0)
    assert a.without_embodied.verdicts.reached == "low-carbon"


def test_control_characters_and_formula_like_pack_text_stay_harmless_text(tmp_path):
    import yaml

    from bimcarbon.factors import factors_dir

    f, ctx = new_model("m")
    wall = add_layered_wall(f, ctx)
    wall.HasAssociations[0].RelatingMaterial.ForLayerSet.MaterialLayers[0].Material.Name = "Concrete\x01 C30"
    model = tmp_path / "ctrl.ifc"
    f.write(str(model))
    pack = yaml.safe_load(
        (factors_dir() / "criteria" / "cn-zero-carbon-building-draft-2023.yaml").read_text()
    )
    pack["tiers"][0]["name_en"] = "=1+1"
    pack_path = tmp_path / "pack.yaml"
    pack_path.write_text(yaml.safe_dump(pack, allow_unicode=True))
    out = tmp_path / "ctrl.xlsx"
    result = runner.invoke(app, ["assess", str(model), "--criteria", str(pack_path), "-o", str(out)])
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(out)
    tier = next(c for row in book["Summary"].iter_rows() for c in row if c.value == "=1+1")
    assert tier.data_type == "s"
    materials = [c.value for c in book["Embodied"]["A"] if c.value]
    assert "Concrete C30" in materials
    formulas = [
        c for sheet in book.worksheets for row in sheet.iter_rows() for c in row if c.data_type == "f"
    ]
    assert all(c.value.startswith(("=SUM(", "=G")) for c in formulas)


def test_the_summary_lists_the_parts_of_a5_and_c1_c4_and_the_gbt51366_stages(office):
    book, doc = office
    rows = {row[0]: row[1:] for row in book["Summary"].iter_rows(values_only=True) if row and row[0]}
    e = doc["embodied"]
    assert rows["C1-C4"][0] == pytest.approx(e["c1_c4"])
    assert rows["A5: material wastage"][0] == pytest.approx(e["a5_wastage"])
    assert rows["C3-C4 waste processing and disposal"][0] == pytest.approx(e["c3_c4"])
    stage = next(s for s in doc["stages"] if s["id"] == "construction_demolition")
    assert rows["建造及拆除阶段 construction and demolition"][:2] == (
        pytest.approx(e["a5"] + e["c1_c4"]),
        "A5 + C1-C4",
    )
    header = [c.value for c in book["Elements"][1]]
    assert {"a5_wastage_kgco2e", "c2_kgco2e", "c3_c4_kgco2e"} <= set(header)
    assert stage["kgco2e"] == pytest.approx(e["a5"] + e["c1_c4"])


def test_derived_factors_proxies_and_rule_densities_are_said_in_the_rows(tmp_path):
    # Wall 10 m x 3 m: C35 concrete 0.2 m (6 m3) + glass wool 0.1 m (3 m3), no densities in the model.
    f, ctx = new_model()
    add_layered_wall(f, ctx, layers=[("Concrete C35", 0.2), ("Glass wool", 0.1)], net_volume_m3=9.0)
    model = tmp_path / "c35.ifc"
    f.write(str(model))
    out, js = tmp_path / "c35.xlsx", tmp_path / "c35.json"
    result = runner.invoke(app, ["assess", str(model), "-o", str(out), "--json", str(js)])
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(out)
    sheet = book["Elements"]
    header = [c.value for c in sheet[1]]
    rows = {
        sheet.cell(row=r, column=header.index("factor_id") + 1).value: {
            name: sheet.cell(row=r, column=i + 1).value for i, name in enumerate(header)
        }
        for r in range(2, sheet.max_row + 1)
    }
    concrete, wool = rows["concrete_c35"], rows["insul_rockwool"]
    assert concrete["quantity"] == pytest.approx(6.0)  # 6 m3 x 317.5 = 1905 kgCO2e
    assert "derived factor" in concrete["use_note"] and "interpolation" in concrete["use_note"]
    assert wool["density_source"] == "rule glass-wool" and wool["density_kg_per_m3"] == 20
    assert wool["quantity"] == pytest.approx(0.06)  # 3 m3 x 20 kg/m3 = 60 kg; x 1980 = 118.8 kgCO2e
    assert wool["use_note"].startswith("proxy: ")
    embodied = {r[0]: r for r in book["Embodied"].iter_rows(values_only=True) if r and r[0]}
    assert "derived factor" in embodied["Concrete C35"][4]
    assert "proxy" in embodied["Glass wool"][4]
    factors = list(book["Factors"].iter_rows(values_only=True))
    factor = {r[0]: dict(zip(factors[0], r, strict=True)) for r in factors[1:]}
    assert (
        factor["concrete_c35"]["status"] == "derived"
        and "interpolation" in factor["concrete_c35"]["status_note"]
    )
    assert factor["insul_rockwool"]["density_kg_per_m3"] == 140  # the factor's, shown beside the rule's 20
    by_material = {m["material"]: m for m in json.loads(js.read_text())["by_material"]}
    # 1905 + the rebar assumed in a wall not said to be reinforced: 6 m3 x 120 kg x 2.34 = 1684.8
    assert by_material["Concrete C35"]["a1_a3_kgco2e"] == pytest.approx(1905.0 + 1684.8)
    assert any("derived factor" in n for n in by_material["Concrete C35"]["notes"])
    assert by_material["Glass wool"]["a1_a3_kgco2e"] == pytest.approx(118.8)
