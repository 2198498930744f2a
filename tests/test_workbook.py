"""The Excel compliance workbook: its stored values against the JSON, its formulas, its languages.

Every figure on the Summary, Criteria, Embodied and Operational sheets is a formula or a marked input
(tests/test_workbook_recalculation.py changes inputs and recalculates in LibreOffice); here the values
stored with the formulas are read with openpyxl ``data_only=True`` and compared with the JSON.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import openpyxl
import pytest
import yaml
from builders import add_layered_wall, new_model
from typer.testing import CliRunner

from bimcarbon.cli import app
from bimcarbon.report.workbook.labels import LABELS

SAMPLES = Path(__file__).resolve().parent.parent / "sample_models"
OFFICE, ENERGY = SAMPLES / "office_m.ifc", SAMPLES / "office_m.energy.yaml"
SHEETS = ["Summary", "Calculation report", "Criteria", "Uncertainty", "Embodied", "Operational", "Inputs",
          "Elements", "Factors", "Coverage", "Parameters"]  # fmt: skip
INPUT_FILL, HEADER_FILL, EVIDENCE_FILL = "FFFFF2CC", "FFDDEBF7", "FFEDEDED"
runner = CliRunner()


@pytest.fixture(scope="module")
def office(tmp_path_factory):
    folder = tmp_path_factory.mktemp("wb")
    xlsx, js = folder / "office.xlsx", folder / "office.json"
    result = runner.invoke(
        app, ["assess", str(OFFICE), "--energy", str(ENERGY), "-o", str(xlsx), "--json", str(js)]
    )
    assert result.exit_code == 0, result.output
    return (
        openpyxl.load_workbook(xlsx),
        openpyxl.load_workbook(xlsx, data_only=True),
        json.loads(js.read_text()),
    )


def _rows(sheet) -> dict[str, tuple]:
    return {row[0]: row[1:] for row in sheet.iter_rows(values_only=True) if row and isinstance(row[0], str)}


def _blank(value):
    return None if value == "" else value


def test_the_workbook_has_every_sheet_headers_in_words_and_page_setup(office):
    formulas, _, _ = office
    assert formulas.sheetnames == SHEETS
    header = [c.value for c in formulas["Elements"][1]]
    assert header[:11] == [
        "GlobalId", "IFC class", "Element", "Storey", "Material", "Factor", "Category", "Quantity", "Unit",
        "Factor (kgCO2e/unit)", "A1-A3 (kgCO2e)",
    ]  # fmt: skip
    for sheet in formulas.worksheets:
        assert sheet.page_setup.paperSize == 9, sheet.title  # A4
        assert sheet.sheet_properties.pageSetUpPr.fitToPage, sheet.title
        assert sheet.page_setup.fitToWidth in (None, 1, 2), sheet.title  # 1 (one page wide) is the default
    assert formulas["Elements"].print_title_rows == "$1:$1"


def test_the_stored_values_equal_the_json(office):
    _, values, doc = office
    e = doc["embodied"]
    embodied = _rows(values["Embodied"])
    for label, key in (("A1-A3", "a1_a3"), ("A4", "a4"), ("A5", "a5"), ("B4", "b4"), ("C1-C4", "c1_c4"),
                       ("Upfront (A1-A5)", "upfront_a1_a5"),
                       ("Embodied total (A1-A5 + B4 + C1-C4)", "embodied_total")):  # fmt: skip
        assert embodied[label][0] == pytest.approx(e[key], rel=1e-9), label
    criteria = _rows(values["Criteria"])
    for key, label in (
        ("carbon_intensity_kg_per_m2a", "Carbon intensity (kgCO2e/(m²·a))"),
        ("baseline_carbon_intensity_kg_per_m2a", "Baseline carbon intensity (kgCO2e/(m²·a))"),
        ("carbon_intensity_reduction_share", "Reduction (share of the baseline)"),
        ("upfront_embodied_kg_per_m2", "Upfront embodied A1-A5 (kgCO2e/m²)"),
    ):
        for col, mode in ((0, "without_embodied"), (1, "with_embodied")):
            expected = doc[mode]["metrics"][key]
            assert _blank(criteria[label][col]) == (pytest.approx(expected) if expected is not None else None)
    summary = _rows(values["Summary"])
    assert summary["Low-carbon building"][:3] == ("pass", "pass", "*")
    assert summary["Tier reached"][:2] == ("Low-carbon building", "Low-carbon building")
    operational = _rows(values["Operational"])
    assert operational["Operational emissions B6 (kgCO2/a)"][0] == pytest.approx(7466.0)
    assert operational["Net operational emissions (kgCO2/a)"][0] == pytest.approx(7200.7)


def test_every_number_on_the_first_sheets_is_a_formula_a_marked_input_or_marked_evidence(office):
    formulas, _, _ = office
    for title in ("Summary", "Calculation report", "Criteria", "Embodied", "Operational"):
        for row in formulas[title].iter_rows():
            for cell in row:
                if isinstance(cell.value, int | float) and not isinstance(cell.value, bool):
                    # yellow: an input a reviewer may change; grey: measured on the model at assessment
                    assert cell.fill.fgColor.rgb in (INPUT_FILL, EVIDENCE_FILL), (
                        title,
                        cell.coordinate,
                        cell.value,
                    )


def test_element_rows_are_formulas_over_the_quantity_and_the_factor_sheet(office):
    formulas, values, doc = office
    sheet, stored = formulas["Elements"], values["Elements"]
    header = [c.value for c in sheet[1]]
    a1a3, value = header.index("A1-A3 (kgCO2e)"), header.index("Factor (kgCO2e/unit)")
    total = 0.0
    for r in range(2, sheet.max_row + 1):
        formula = sheet.cell(row=r, column=a1a3 + 1).value
        assert re.fullmatch(r'=IF\(H\d+="","",H\d+\*J\d+\)', formula), formula
        assert sheet.cell(row=r, column=value + 1).value.startswith("=INDEX('Factors'!")
        total += stored.cell(row=r, column=a1a3 + 1).value or 0.0
    assert total == pytest.approx(doc["embodied"]["a1_a3"], rel=1e-12)
    assert _rows(formulas["Embodied"])["A1-A3"][0] == f"=SUM('Elements'!$K$2:$K${sheet.max_row})"


def test_the_criteria_sheet_lists_every_criterion_both_ways_with_formulas_and_sources(office):
    formulas, values, doc = office
    n = len(doc["without_embodied"]["verdicts"]["criteria"])
    modes = ("Without embodied", "With embodied")
    rows = [r for r in formulas["Criteria"].iter_rows(values_only=True) if r[2] and r[0] in modes]
    assert len(rows) == 2 * n
    assert all(r[11] for r in rows)  # a source on every criterion
    assert all(
        str(r[9]).startswith("=IFERROR(IF(") for r in rows
    )  # the verdict is a formula, errors never pass
    with_rows = [r for r in rows if r[0] == "With embodied"]
    assert all("GateBlocked=1" in r[9] for r in with_rows)


def test_the_factors_sheet_gives_each_used_factor_its_source_and_licence(office):
    formulas, _, _ = office
    rows = list(formulas["Factors"].iter_rows(min_row=2, values_only=True))
    c40 = next(r for r in rows if r[0] == "concrete_c40")
    assert c40[4] == 340 and "51366" in c40[7] and c40[9]


def test_the_summary_shows_what_is_counted_and_the_stages(office):
    _, values, doc = office
    summary = _rows(values["Summary"])
    c = doc["coverage"]
    assert summary["share of mass"][:3] == (
        pytest.approx(c["mass_share_mapped"]), pytest.approx(c["mass_share_assumed"]),
        pytest.approx(c["mass_share_left_out"]),
    )  # fmt: skip
    assert summary["Completeness (>= 95 % of the mass, GB/T 51366)"][0] == "met"
    # the office's only assumption is the rebar: 25,211.35 of 68,338.84 kgCO2e
    assert summary["Share of A1-A3 resting on assumptions"][0] == pytest.approx(25211.3472 / 68338.8435948)
    stage = next(s for s in doc["stages"] if s["id"] == "construction_demolition")
    assert summary["建造及拆除阶段 construction and demolition"][:2] == (
        pytest.approx(stage["kgco2e"]),
        "A5 + C1-C4",
    )
    embodied = _rows(values["Embodied"])
    e = doc["embodied"]
    assert embodied["A5 material wastage"][0] == pytest.approx(e["a5_wastage"])
    assert embodied["C3-C4"][0] == pytest.approx(e["c3_c4"])


def test_the_calculation_report_follows_gbt51366_with_the_bill_of_materials(office):
    formulas, values, doc = office
    report = _rows(values["Calculation report"])
    assert (
        "1 Project overview" in report and "2 Materials production and transport stage (A1-A3 + A4)" in report
    )
    assert "3 Construction and demolition stage (A5 + C1-C4)" in report and "4 Operation stage (B6)" in report
    # the bill of materials: C40 concrete 89.784 m3 at 2400 kg/m3 = 215.4816 t, 30,526.56 kgCO2e, 40 km
    from bimcarbon.factors import load_library

    c40 = report[load_library().get("concrete_c40").name_en]
    assert c40[0] == pytest.approx(89.784 * 2.4) and c40[1] == pytest.approx(89.784 * 340) and c40[2] == 40
    assert report["Total"][1] == pytest.approx(doc["embodied"]["a1_a3"])
    assert report["Storeys in the model"][0] == 2
    assert report["Project"][0] == "bimcarbon sample office" and report["Location"][0] == "Beijing (sample)"
    formula_rows = _rows(formulas["Calculation report"])
    assert formula_rows["Total"][1] == "=Emb_A1A3"


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
    material = header.index("Material") + 1
    row = next(
        r
        for r in range(2, sheet.max_row + 1)
        if sheet.cell(row=r, column=material).value == '=HYPERLINK("http://x","y")'
    )
    assert sheet.cell(row=row, column=material).data_type == "s"
    name = sheet.cell(row=row, column=header.index("Element") + 1)
    assert name.value == "+cmd" and name.data_type == "s"


#: Words allowed in the Chinese workbook's headers and labels: units, module codes, names of standards.
ALLOWED_LATIN = {"kgCO2e", "kgCO2", "kg", "m", "km", "t", "a", "kWh", "GJ", "A1", "A3", "A4", "A5", "B4",
                 "B6", "C1", "C2", "C3", "C4", "EN", "GB", "T", "IFC", "GlobalId", "LETI", "LCA", "x",
                 "bimcarbon"}  # fmt: skip


def test_the_workbook_in_chinese_has_no_english_words_or_identifiers_in_headers_and_labels(tmp_path):
    out, js = tmp_path / "zh.xlsx", tmp_path / "zh.json"
    result = runner.invoke(
        app,
        ["assess", str(OFFICE), "--energy", str(ENERGY), "-o", str(out), "--lang", "zh", "--json", str(js)],
    )
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(out, data_only=True)
    assert book.sheetnames[0] == "汇总" and "构件明细" in book.sheetnames
    rows = _rows(book["汇总"])
    assert rows["低碳建筑"][:2] == ("通过", "通过")
    assert rows["达到等级"][0] == "低碳建筑"
    # headers of every sheet, and the first column of the sheets a reviewer reads, but for text from
    # the model or a data file: the title (the file name), material, class and storey names, warnings
    labels = [
        c.value
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for c in row
        if isinstance(c.value, str) and c.fill.fgColor.rgb == HEADER_FILL
    ]
    from bimcarbon.assess import assess
    from bimcarbon.factors import load_library
    from bimcarbon.report.workbook.messages_zh import warnings

    # text from data files (factor names as GB/T 51366 writes them: "热轧碳钢H钢") is not a label, and
    # messages (warnings) name the energy file's fields as a person types them
    translated = warnings(assess(OFFICE, ENERGY).assessment, LABELS["zh"])
    data = set(translated) | {f.name_zh for f in load_library().by_id.values()}
    for title in ("汇总", "碳排放计算书", "评价指标", "运行碳", "输入参数"):
        for row in book[title].iter_rows(min_row=3, values_only=True):
            if row and isinstance(row[0], str) and row[0] not in data:
                labels.append(row[0])
    assert labels
    for label in labels:
        assert not re.search(r"[a-z]+_[a-z]+", label), label  # no code identifier
        words = {w for w in re.findall(r"[A-Za-z][A-Za-z0-9]*", label) if not re.fullmatch(r"C\d\d", w)}
        assert words <= ALLOWED_LATIN, (label, words - ALLOWED_LATIN)


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
    rows = _rows(openpyxl.load_workbook(out, data_only=True)["Summary"])
    assert rows["Low-carbon building"][:2] == ("pass", "fail")
    assert rows["Tier reached"][:2] == ("Low-carbon building", "none")


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


def test_derived_factors_proxies_and_rule_densities_are_said_in_the_rows(tmp_path):
    # Wall 10 m x 3 m: C35 concrete 0.2 m (6 m3) + glass wool 0.1 m (3 m3), no densities in the model.
    f, ctx = new_model()
    add_layered_wall(f, ctx, layers=[("Concrete C35", 0.2), ("Glass wool", 0.1)], net_volume_m3=9.0)
    model = tmp_path / "c35.ifc"
    f.write(str(model))
    out, js = tmp_path / "c35.xlsx", tmp_path / "c35.json"
    result = runner.invoke(app, ["assess", str(model), "-o", str(out), "--json", str(js)])
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(out, data_only=True)
    sheet = book["Elements"]
    header = [c.value for c in sheet[1]]
    rows = {
        sheet.cell(row=r, column=header.index("Factor") + 1).value: {
            name: sheet.cell(row=r, column=i + 1).value for i, name in enumerate(header)
        }
        for r in range(2, sheet.max_row + 1)
    }
    concrete, wool = rows["concrete_c35"], rows["insul_rockwool"]
    assert concrete["Quantity"] == pytest.approx(6.0)  # 6 m3 x 317.5 = 1905 kgCO2e
    assert concrete["A1-A3 (kgCO2e)"] == pytest.approx(1905.0)
    assert "derived factor" in concrete["Note"] and "interpolation" in concrete["Note"]
    assert wool["Density source"] == "rule glass-wool" and wool["Density (kg/m³)"] == 20
    assert wool["Quantity"] == pytest.approx(0.06)  # 3 m3 x 20 kg/m3 = 60 kg; x 1980 = 118.8 kgCO2e
    assert wool["Note"].startswith("proxy: ")
    embodied = _rows(book["Embodied"])
    assert "derived factor" in embodied["Concrete C35"][1]
    assert "proxy" in embodied["Glass wool"][1]
    factors = list(book["Factors"].iter_rows(values_only=True))
    factor = {r[0]: dict(zip(factors[0], r, strict=True)) for r in factors[1:]}
    assert factor["concrete_c35"]["Status"] == "derived"
    assert "interpolation" in factor["concrete_c35"]["Status note"]
    assert factor["insul_rockwool"]["Density (kg/m³)"] == 140  # the factor's, shown beside the rule's 20
    by_material = {m["material"]: m for m in json.loads(js.read_text())["by_material"]}
    # 1905 + the rebar assumed in a wall not said to be reinforced: 6 m3 x 120 kg x 2.34 = 1684.8
    assert by_material["Concrete C35"]["a1_a3_kgco2e"] == pytest.approx(1905.0 + 1684.8)
    assert embodied["Concrete C35"][0] == pytest.approx(1905.0 + 1684.8)
    assert any("derived factor" in n for n in by_material["Concrete C35"]["notes"])
    assert by_material["Glass wool"]["a1_a3_kgco2e"] == pytest.approx(118.8)


def test_the_gate_and_completeness_notes_are_in_chinese_in_the_chinese_workbook(tmp_path):
    # the office with its concrete unmapped: incomplete, so the with-embodied verdicts are not assessable
    mapping = tmp_path / "no-concrete.yaml"
    mapping.write_text(
        "metadata: {id: mine}\nrules:\n  - id: concrete-unknown\n    when: {material_words: [concrete]}\n"
        "    use: []\n    reason: mix not known yet\n",
        encoding="utf-8",
    )
    out = tmp_path / "zh.xlsx"
    result = runner.invoke(
        app,
        [
            "assess",
            str(OFFICE),
            "--energy",
            str(ENERGY),
            "--mapping",
            str(mapping),
            "-o",
            str(out),
            "--lang",
            "zh",
        ],
    )
    assert result.exit_code == 0, result.output
    rows = _rows(openpyxl.load_workbook(out, data_only=True)["汇总"])
    gate = next(label for label in rows if label.startswith("计入隐含碳的结论无法评估"))
    assert "须达 95%" in gate and "--accept-incomplete" in gate
    assert rows["低碳建筑"][1] == "无法评估"
    completeness = rows["完整性(计入材料质量 >= 95 %,GB/T 51366)"]
    assert completeness[0] == "不满足" and completeness[1].startswith("已计入质量占")


def test_warnings_in_the_chinese_workbook_are_chinese_with_the_same_figures():
    from conftest import sample

    from bimcarbon.assess import assess
    from bimcarbon.report.workbook.labels import LABELS
    from bimcarbon.report.workbook.messages_zh import warnings

    a = assess(sample("duplex.ifc")).assessment
    zh = warnings(a, LABELS["zh"])
    assert len(zh) == len(a.warnings)
    assert not [w for w in zh if w.startswith("(英文原文)")]  # every kind seen on this model is translated
    english = next(w for w in a.warnings if "are counted by an assumption" in w)
    chinese = zh[a.warnings.index(english)]
    count, volume = re.match(r"(\d+) element\(s\), ([\d.,]+) m3", english).groups()
    assert chinese.startswith(f"{count} 个构件({volume} m³)按假定计入")
    assert warnings(a, LABELS["en"]) == a.warnings


def test_a_warning_of_an_unknown_kind_is_shown_as_written_and_marked_english():
    from bimcarbon.assess import assess
    from bimcarbon.report.workbook.messages_zh import warning_zh

    a = assess(OFFICE, ENERGY).assessment
    assert warning_zh("something new happened", a, {}) == "(英文原文)something new happened"
    assert warning_zh("parser error: bad #12", a, {}) == "IFC 解析器错误(ifcopenshell 原文):bad #12"


def test_reasons_for_what_is_left_out_are_chinese_in_the_chinese_workbook(tmp_path):
    from conftest import sample

    out = tmp_path / "duplex-zh.xlsx"
    result = runner.invoke(app, ["assess", str(sample("duplex.ifc")), "-o", str(out), "--lang", "zh"])
    assert result.exit_code == 0, result.output
    sheet = openpyxl.load_workbook(out)["覆盖率与警告"]
    header = next(r for r in sheet.iter_rows(values_only=True) if r[0] == "材料")
    column = header.index("原因")
    reasons = [r[column] for r in sheet.iter_rows(values_only=True) if r[0] and r[0] != "材料" and r[column]]
    assert any("木龙骨等构架式构造" in reason for reason in reasons)  # the wood-joist roof left out, said why
    for reason in reasons:
        assert not re.search(r"[A-Za-z]{4,}", reason), reason


def test_no_english_text_of_a_data_file_is_left_in_the_chinese_workbook(tmp_path):
    """Sources, status notes, density sources, licences, rule notes and criteria sources: a reviewer of
    the Chinese workbook reads each in Chinese (the shipped files carry ``<field>_zh``)."""
    from bimcarbon.report.workbook.data_zh import shipped_pairs

    out = tmp_path / "zh.xlsx"
    result = runner.invoke(
        app, ["assess", str(OFFICE), "--energy", str(ENERGY), "-o", str(out), "--lang", "zh"]
    )
    assert result.exit_code == 0, result.output
    cells = [
        (sheet.title, c.coordinate, c.value)
        for sheet in openpyxl.load_workbook(out).worksheets
        for row in sheet.iter_rows()
        for c in row
        if isinstance(c.value, str) and not c.value.startswith("=")
    ]
    english = [text for text in shipped_pairs() if len(text) >= 20]
    left = [(where, cell, e[:50]) for where, cell, value in cells for e in english if e in value]
    assert not left
    texts = {value for _, _, value in cells}
    # the things a reviewer checks first, by what the data files say in Chinese
    assert any(v.startswith("concrete_c40: 推算因子:推算值") and "并非 GB/T 51366 的数值" in v for v in texts)
    assert any("生态环境部" in v and "2023年电力二氧化碳排放因子" in v for v in texts)  # the grid factor
    assert "2023 全国 电网平均排放因子 (cn_2023_national_average)" in texts
    assert "寒冷地区" in texts and "公共建筑 办公" in texts  # the energy file's climate zone and type
    floor_area = (
        "估算值:楼板(FLOOR/BASESLAB)的平面投影(2 块楼板在 2 个标高上的并集,顶面高差 0.5 m 以内视为同一标高)"
    )
    assert floor_area in texts


def test_provenance_is_said_in_words_in_both_languages():
    from bimcarbon.report.workbook.labels import provenance

    en, zh = LABELS["en"], LABELS["zh"]
    assert provenance(en, "volume_m3*density/1000") == "volume (m³) × density / 1000"
    assert provenance(zh, "volume_m3*density/1000") == "体积 (m³) × 密度 / 1000"
    assert provenance(zh, "area_m2*2.6kg/m2/1000") == "面积 (m²) × 2.6 kg/m² / 1000"
    # IFC names stay as the model and the standard write them; only the share is said
    assert (
        provenance(zh, "Qto_WallBaseQuantities.NetVolume*layer:thickness_share")
        == "Qto_WallBaseQuantities.NetVolume × 按层厚分摊"
    )
    assert provenance(zh, "factor concrete_c30") == "因子 concrete_c30"
    assert provenance(zh, "Pset_MaterialCommon.MassDensity") == "Pset_MaterialCommon.MassDensity"


def test_a_persons_own_texts_show_their_chinese_or_stay_as_written(tmp_path):
    """Own factor file: its ``source_zh`` is shown in the Chinese workbook; a text without Chinese stays
    exactly as written, even where it holds words bimcarbon translates elsewhere ("no area")."""
    own = tmp_path / "own.yaml"
    factor = {"id": "concrete_c40", "name_en": "C40 concrete (supplier)", "name_zh": "C40混凝土(供应商)",
              "category": "concrete", "declared_unit": "m3", "value_kgco2e_per_unit": 300,
              "density_kg_per_m3": 2400, "density_source": "supplier datasheet",
              "density_status": "confirmed", "source": "Supplier EPD 2024, no country-specific value",
              "source_zh": "供应商环境产品声明 2024", "status": "confirmed",
              "status_note": "no areal density; no count of batches"}  # fmt: skip
    metadata = {"id": "own", "title": "own factors", "source": "supplier", "licence": "own data"}
    own.write_text(yaml.safe_dump({"metadata": metadata, "factors": [factor]}, allow_unicode=True), "utf-8")
    cells = {}
    for lang in ("en", "zh"):
        out = tmp_path / f"{lang}.xlsx"
        args = ["assess", str(OFFICE), "--energy", str(ENERGY), "--factors", str(own), "-o", str(out)]
        result = runner.invoke(app, [*args, "--lang", lang])
        assert result.exit_code == 0, result.output
        sheet = openpyxl.load_workbook(out).worksheets[-3]  # Factors
        row = next(r for r in sheet.iter_rows(values_only=True) if r[0] == "concrete_c40")
        cells[lang] = row
    assert "Supplier EPD 2024, no country-specific value" in cells["en"]
    assert "供应商环境产品声明 2024" in cells["zh"]
    assert cells["en"].count("no areal density; no count of batches") == 1
    assert cells["zh"].count("no areal density; no count of batches") == 1  # not "无面积l density"
