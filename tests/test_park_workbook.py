"""The park workbook (`bimcarbon park PARK.yaml -o park.xlsx [--lang zh]`) on the sample park: its stored
values against the park JSON and on paper, its formulas (the park totals are SUMs over the buildings'
rows, the balance is written in its documented order), LibreOffice recalculating every formula and
following a changed input, a failed building's row, and a Chinese workbook without an English sentence.

The sample park on paper (docs/park.md "The sample park, on paper"): Office A, Office B and a workshop;
pool 10,000 + 12,000 + 140,000 kWh + park loads 200,000 = 362,000 kWh, covered by park PV and wind
300,000, green electricity 60,000 and 2 certificates (2,000 kWh); emissions after supply are the gas
only, 3,800 m3 x 2.16 = 8,208 kgCO2; energy 407,000 kWh x 0.1229 + 3,800 m3 x 1.2143 = 54.63464 tce.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import openpyxl
import pytest
from libreoffice import needs_libreoffice, recalculated
from typer.testing import CliRunner

from bimcarbon.cli import app
from bimcarbon.report.workbook.park_labels import PARK_LABELS

runner = CliRunner()
SAMPLE_PARK = Path(__file__).resolve().parent.parent / "sample_models" / "park"
SHEETS = ["Overview", "Buildings", "Embodied by building", "Embodied by material", "Energy balance",
          "Park criteria", "Parameters and sources"]  # fmt: skip
ZH_SHEETS = ["园区总览", "建筑", "各建筑隐含碳", "各材料隐含碳", "能源平衡", "园区评价指标", "参数与来源"]
HEADER_FILL, INPUT_FILL = "FFDDEBF7", "FFFFF2CC"


def _park(folder: Path, broken: bool = False) -> Path:
    """The sample park in a folder of its own; with a building whose model is not an IFC file."""
    target = folder / "park"
    shutil.copytree(SAMPLE_PARK, target, ignore=shutil.ignore_patterns(".bimcarbon-cache"))
    park = target / "park.yaml"
    if broken:
        (target / "broken.ifc").write_text("not a model\n")
        text = park.read_text().replace(
            "park_energy:",
            "  - name: Broken\n    model: broken.ifc\n    energy: office_a.energy.yaml\npark_energy:",
            1,
        )
        park.write_text(text)
    return park


def _run(park: Path, *args: str):
    result = runner.invoke(app, ["park", str(park), *args])
    return result


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    """The sample park's workbooks in English and Chinese, and its JSON."""
    folder = tmp_path_factory.mktemp("park-workbook")
    park = _park(folder)
    en, zh, js = folder / "park.xlsx", folder / "park-zh.xlsx", folder / "park.json"
    result = _run(park, "-o", str(en), "--json", str(js))
    assert result.exit_code == 0, result.output
    assert f"Wrote {en}" in result.stdout
    result = _run(park, "-o", str(zh), "--lang", "zh")
    assert result.exit_code == 0, result.output
    return {"en": en, "zh": zh, "json": json.loads(js.read_text())}


def _values(path: Path):
    return openpyxl.load_workbook(path, data_only=True)


def _rows(sheet) -> dict[str, tuple]:
    """Rows by their first cell's text (the label); the first row of a label."""
    rows: dict[str, tuple] = {}
    for row in sheet.iter_rows(values_only=True):
        if row and isinstance(row[0], str):
            rows.setdefault(row[0], row[1:])
    return rows


def _labelled(sheet, label: str):
    """The cell right of a label in column A (the value of a row of the Energy balance sheet)."""
    return next(row[1] for row in sheet.iter_rows() if row[0].value == label)


def test_the_overview_puts_both_modes_side_by_side_with_the_tier_that_changes(sample):
    book = _values(sample["en"])
    assert book.sheetnames == SHEETS
    rows = _rows(book["Overview"])
    # tier: without, with, changes when embodied counts, provisional mark
    assert rows["Low-carbon park"][:4] == ("pass", "pass", "no", "*")
    assert rows["Near-zero-carbon park"][:4] == ("pass", "pass", "no", "*")
    assert rows["Zero-carbon park"][:4] == ("pass", "fail", "yes", "*")
    assert rows["Tier reached"][:2] == ("Zero-carbon park", "Near-zero-carbon park")
    assert "Counting embodied emissions changes: Zero-carbon park: pass → fail" in rows
    m = sample["json"]["metrics"]
    core = rows["Carbon per energy consumption (core indicator)"]
    # 8.208 t / 54.63464 tce = 0.1502; with the annualised embodied (843,914.59 kg / 50 a = 16,878.29 kg):
    # (8,208 + 16,878.29) / 1000 / 54.63464 = 0.4592
    assert core[0] == pytest.approx(8.208 / 54.63464) == pytest.approx(m["carbon_per_energy_t_per_tce"])
    assert core[1] == pytest.approx(m["carbon_per_energy_with_embodied_t_per_tce"])
    assert core[2] == "tCO2/tce" and core[3].startswith("Electricity 0.1229 kgce/kWh, equivalent value")
    assert "GB/T 2589-2020" in core[3] and "The basis decides tCO2/tce" in core[3]
    assert rows["Coal basis of electricity"][:3] == (0.1229, 0.1229, "kgce/kWh")
    assert rows["Clean-energy share (non-fossil)"][0] == pytest.approx(50.0203 / 54.63464)  # 91.6 %
    assert rows["Energy consumption"][0] == pytest.approx(54.63464)
    assert rows["Net emissions after exports and offsets"][0] == pytest.approx(-8.47105)  # 8.208-6.679-10
    # the balance in its documented order, and what is not assessed
    labels = list(rows)
    order = ["1. What stays each building's: Buildings' grid electricity after their own PV and green "
             "electricity", "2. + Park loads (shared and process electricity)", "= Pooled grid electricity",
             "3. Park renewables used", "4. Green electricity used", "    Green certificates used",
             "= Grid electricity remaining", "5. Offsets"]  # fmt: skip
    assert [labels.index(label) for label in order] == sorted(labels.index(label) for label in order)
    assert rows["= Pooled grid electricity"][0] == 362_000
    assert rows["5. Offsets"][0] == 10_000  # the park's 10 t
    assert rows["Not assessed"] is not None
    assert any(isinstance(k, str) and "guiding indicators" in k and "not assessed" in k for k in rows)
    # the provisional thresholds with their sources
    provisional = [
        r
        for r in book["Overview"].iter_rows(values_only=True)
        if r[1] in ("core-hunan-2027", "core-national")
    ]
    assert [(r[0], r[2], r[3]) for r in provisional] == [
        ("Low-carbon park", 1.0, "tCO2/tce"),
        ("Zero-carbon park", 0.2, "tCO2/tce"),
    ]
    assert provisional[1][4].startswith("no national threshold was found for parks under 200,000 tce")


def test_the_park_total_of_each_module_is_a_sum_over_the_buildings_rows(sample):
    formulas = openpyxl.load_workbook(sample["en"])["Embodied by building"]
    values = _rows(_values(sample["en"])["Embodied by building"])
    doc = sample["json"]
    buildings = {b["name"]: b["assessment"]["embodied"] for b in doc["buildings"]}
    for name, embodied in buildings.items():
        assert values[name][:5] == pytest.approx([embodied[k] for k in ("a1_a3", "a4", "a5", "b4", "c1_c4")])
    total = values["Park total (sum of the buildings)"]
    # A1-A3: 68,338.84 + 71,007.34 + 501,652.80 = 640,998.99 kgCO2e, the park JSON's total
    assert total[0] == pytest.approx(68_338.8435948 + 71_007.3435948 + 501_652.8)
    assert total[0] == pytest.approx(doc["totals"]["embodied"]["a1_a3"])
    for col, key in enumerate(("a4", "a5", "b4", "c1_c4", "upfront_a1_a5", "embodied_total")):
        assert total[col + 1] == pytest.approx(doc["totals"]["embodied"][key]), key
    assert total[8] == pytest.approx(doc["totals"]["annualised_embodied_kgco2e_per_year"])
    # the formulas name exactly the three building rows (5-7), every one of them
    row = next(r for r in formulas.iter_rows() if r[0].value == "Park total (sum of the buildings)")
    assert row[1].value == "=SUM('Embodied by building'!$B$5:$B$7)"
    assert (
        row[2].value
        == "=IF(COUNTBLANK('Embodied by building'!$C$5:$C$7)>0,\"\",SUM('Embodied by building'!$C$5:$C$7))"
    )
    assert [formulas.cell(r, 1).value for r in (5, 6, 7)] == ["Office A", "Office B", "Workshop"]
    # each building's upfront and total are formulas over its own modules
    assert formulas["G5"].value == "=$B$5+N($C$5)+N($D$5)"
    assert formulas["H5"].value == "=$G$5+N($E$5)+N($F$5)"
    assert formulas["B5"].fill.fgColor.rgb == INPUT_FILL  # a building's figure is a marked input
    # the overview and the Buildings sheet read them, never a copy
    overview = openpyxl.load_workbook(sample["en"])["Overview"]
    assert any(c.value == "=ParkEmb_A1A3" for row in overview.iter_rows() for c in row)
    buildings_sheet = openpyxl.load_workbook(sample["en"])["Buildings"]
    assert buildings_sheet["K6"].value == "='Embodied by building'!$B$5"


def test_a1_a3_by_material_adds_up_over_the_buildings_to_the_park_total(sample):
    book = _values(sample["en"])
    rows = _rows(book["Embodied by material"])
    # concrete in the three models: 55,737.9072 (Office A) + 55,737.9072 (Office B) + 491,673.6 (workshop)
    assert rows["Concrete C30/37"][0] == pytest.approx(55_737.9072 * 2 + 491_673.6)
    assert rows["Concrete C30/37"][2] == "Office A, Office B, Workshop"
    assert rows["Aluminium"][2] == "Office A, Office B"
    assert rows["Sum of the materials"][0] == pytest.approx(rows["Park A1-A3 (Embodied by building)"][0])
    assert rows["Sum of the materials"][0] == pytest.approx(sample["json"]["totals"]["embodied"]["a1_a3"])
    formula = openpyxl.load_workbook(sample["en"])["Embodied by material"]["B5"].value
    assert formula.startswith("=SUMPRODUCT(EXACT('Embodied by material'!$B$")
    by_building = [
        (b["name"], m["material"], m["a1_a3_kgco2e"])
        for b in sample["json"]["buildings"]
        for m in b["assessment"]["by_material"]
    ]
    detail = [r for r in book["Embodied by material"].iter_rows(values_only=True) if r[0] and r[1] and r[2]]
    assert [(r[0], r[1]) for r in detail if isinstance(r[2], float)][-len(by_building) :] == [
        (n, m) for n, m, _ in by_building
    ]


def test_the_energy_balance_is_written_step_by_step_as_formulas(sample):
    formulas = openpyxl.load_workbook(sample["en"])["Energy balance"]
    values = _values(sample["en"])["Energy balance"]
    b = sample["json"]["balance"]

    def value(label):
        return _labelled(values, label).value

    def formula(label):
        return _labelled(formulas, label).value

    # step 1: each building's grid after its own supply = use - own PV - own green
    rows = _rows(values)
    assert rows["Office A"][3] == 12_000 - 2_000
    assert rows["Office B"][3] == 15_000 - 3_000
    assert rows["Workshop"][3] == 180_000 - 40_000
    assert formulas["E7"].value == "=MAX(0,$B$7-$C$7-$D$7)"
    # step 2: pool = 162,000 + 200,000
    assert formula("Pooled grid electricity").endswith("+Park_Loads")
    assert value("Pooled grid electricity") == b["pooled_grid_kwh"] == 362_000
    # step 3: renewables cover the pool first, capped: MIN(300,000, 362,000)
    assert formula("Park renewables used") == "=MIN(Bal_Renewables,Bal_Pool)"
    assert value("Park renewables used") == b["park_renewables_used_kwh"] == 300_000
    assert value("Grid electricity left after park renewables") == 62_000
    # step 4: green electricity MIN(60,000, 62,000), then certificates MIN(2 x 1,000, 2,000)
    assert (
        formula("Green electricity used")
        == f"=MIN({_ref(formulas, 'Direct green electricity (绿电)')},Bal_Left1)"
    )
    assert value("Green electricity used") == 60_000
    assert formula("Green certificates used") == "=MIN(Bal_CertKwh,Bal_Left2)"
    assert value("Green certificates used") == b["green_certificates_used_kwh"] == 2_000
    assert value("Grid electricity remaining") == b["grid_remaining_kwh"] == 0
    # emissions after supply: MAX(0, 162,000 x 0.6361 + 200,000 x 0.6361 - 362,000 x 0.6361) + gas 8,208
    assert value("Electricity after park supply (never below zero)") == pytest.approx(0, abs=1e-6)
    assert value("Operational CO2 after park supply (the core indicator's numerator)") == pytest.approx(8_208)
    assert formula("Net operational CO2 after exports and offsets").startswith("=IF(Park_AfterSupply=")
    # consumption: 407,000 kWh x 0.1229 / 1000 = 50.0203 tce, 3,800 m3 x 1.2143 / 1000 = 4.61434 tce
    # buildings + park = total, unit, kgce per unit, tce
    assert rows["Electricity"][:4] == (12_000 + 15_000 + 180_000, 200_000, 407_000, "kWh")
    assert rows["Electricity"][4:6] == (0.1229, pytest.approx(50.0203))
    assert rows["Natural gas"][:4] == (1_000 + 800, 2_000, 3_800, "m3")
    assert rows["Natural gas"][4:6] == (1.2143, pytest.approx(4.61434))
    assert value("Energy consumption") == pytest.approx(54.63464)
    assert value("Carbon per energy consumption (core indicator)") == pytest.approx(8.208 / 54.63464)


def _ref(sheet, label: str) -> str:
    """The absolute reference of the value right of a label (as the formulas write it)."""
    cell = _labelled(sheet, label)
    return f"'{sheet.title}'!${cell.column_letter}${cell.row}"


@needs_libreoffice
def test_libreoffice_recalculates_every_formula_to_the_stored_value(sample, tmp_path):
    for lang in ("en", "zh"):
        stored = _values(sample[lang])
        again = openpyxl.load_workbook(recalculated(sample[lang], tmp_path / lang), data_only=True)
        compared = 0
        for sheet in openpyxl.load_workbook(sample[lang]).worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    if cell.data_type != "f":
                        continue
                    before = stored[sheet.title][cell.coordinate].value
                    after = again[sheet.title][cell.coordinate].value
                    where = (lang, sheet.title, cell.coordinate, cell.value)
                    if before in ("", None):
                        assert after in ("", None), where
                    elif isinstance(before, str):
                        assert after == before, where
                    else:
                        assert after == pytest.approx(before, rel=1e-9, abs=1e-9), where
                    compared += 1
        assert compared > 150


@needs_libreoffice
def test_more_park_loads_move_the_balance_the_indicator_and_the_verdicts(sample, tmp_path):
    book = openpyxl.load_workbook(sample["en"])
    _labelled(book["Energy balance"], "Park loads (shared and process electricity)").value = 300_000
    changed = tmp_path / "changed.xlsx"
    book.save(changed)
    after = openpyxl.load_workbook(recalculated(changed, tmp_path), data_only=True)
    balance = after["Energy balance"]
    # pool 162,000 + 300,000 = 462,000; renewables 300,000, green 60,000, certificates 2,000 cover
    # 362,000: 100,000 kWh from the grid at 0.6361 = 63,610 kgCO2, + gas 8,208 = 71,818 kgCO2
    assert _labelled(balance, "Pooled grid electricity").value == 462_000
    assert _labelled(balance, "Grid electricity remaining").value == 100_000
    assert _labelled(balance, "Operational CO2 after park supply (the core indicator's numerator)").value == (
        pytest.approx(71_818)
    )
    # energy: 507,000 kWh x 0.1229 = 62,310.3 + 4,614.34 kgce = 66.92464 tce; 71.818 / 66.92464 = 1.073
    tce = 66.92464
    assert _labelled(balance, "Energy consumption").value == pytest.approx(tce)
    core = _labelled(balance, "Carbon per energy consumption (core indicator)").value
    assert core == pytest.approx(71.818 / tce)
    rows = _rows(after["Overview"])
    # 1.073 > 1.0: not even a low-carbon park, with embodied or without
    assert rows["Low-carbon park"][:3] == ("fail", "fail", "no")
    assert rows["Tier reached"][:2] == ("none", "none")


def test_a_failed_building_keeps_its_row_with_its_reason_and_is_in_no_sum(sample, tmp_path):
    park = _park(tmp_path, broken=True)
    out, js = tmp_path / "broken.xlsx", tmp_path / "broken.json"
    result = _run(park, "-o", str(out), "--json", str(js))
    assert result.exit_code == 1, result.output  # a building failed: 1, workbook and JSON written
    assert out.exists() and js.exists()
    book = _values(out)
    rows = {row[1]: row for row in book["Buildings"].iter_rows(values_only=True) if row[0]}
    broken = rows["Broken"]
    assert broken[2:6] == ("failed", "broken.ifc: not an IFC file (no ISO-10303-21 header)", "broken.ifc",
                           "office_a.energy.yaml")  # fmt: skip
    assert all(v is None for v in broken[6:])
    # the sums cover the three assessed buildings only, and equal the sample park's
    formulas = openpyxl.load_workbook(out)["Embodied by building"]
    total = next(r for r in formulas.iter_rows() if r[0].value == "Park total (sum of the buildings)")
    assert total[1].value == "=SUM('Embodied by building'!$B$5:$B$7)"
    embodied = _rows(book["Embodied by building"])
    assert (
        "Broken" in embodied
        and embodied["Broken"][0] == "broken.ifc: not an IFC file (no ISO-10303-21 header)"
    )
    assert embodied["Park total (sum of the buildings)"][0] == pytest.approx(
        sample["json"]["totals"]["embodied"]["a1_a3"]
    )
    assert "Failed buildings: in no sum" in embodied
    overview = _rows(book["Overview"])
    assert overview["Zero-carbon park"][:2] == ("not assessable", "not assessable")
    assert overview["Tier reached"][:2] == ("none", "none")
    assert any(isinstance(k, str) and k.startswith("1 building(s) failed: in no sum") for k in overview)
    assert any(isinstance(k, str) and "1 of 4 building(s) failed (Broken)" in k for k in overview)
    criteria = _rows(book["Park criteria"])
    assert criteria["Without embodied: Verdicts blocked (1 = yes)"][0] == 1


#: Latin words allowed in the Chinese workbook: units, modules, standards, file and field names.
ALLOWED_LATIN = {"kgCO2e", "kgCO2", "tCO2", "tCO2e", "kg", "m", "m3", "t", "a", "kWh", "GJ", "tce", "kgce",
                 "A1", "A3", "A4", "A5", "B4", "B6", "C1", "C2", "C3", "C4", "EN", "GB", "T", "IFC", "JSON",
                 "SUM", "bimcarbon", "x"}  # fmt: skip


def test_the_chinese_workbook_has_no_english_sentence(sample, tmp_path):
    from bimcarbon.report.workbook.data_zh import shipped_pairs

    park = _park(tmp_path, broken=True)
    broken = tmp_path / "broken-zh.xlsx"
    result = _run(park, "-o", str(broken), "--lang", "zh", "--accept-incomplete")
    assert result.exit_code == 1, result.output
    doc = sample["json"]
    # what is text of the person's or the models': names, files, materials, ids
    own = {"bimcarbon sample park", "Broken", "broken.ifc", "park.yaml"}
    for b in doc["buildings"]:
        own |= {b["name"], b["model"], b["energy"]}
        own |= {m["material"] for m in b["assessment"]["by_material"]}
    english = [text for text in shipped_pairs() if len(text) >= 20]
    # the data files' own Chinese may name a source in English ("《中国建材报》(China Building Materials
    # News)"): test_factors.py checks it; here it is taken out before looking for English
    chinese = sorted(set(shipped_pairs().values()), key=len, reverse=True)
    for path in (sample["zh"], broken):
        book = openpyxl.load_workbook(path)
        assert book.sheetnames == ZH_SHEETS
        for sheet in book.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    value = cell.value
                    if not isinstance(value, str) or value.startswith("="):
                        continue
                    where = (path.name, sheet.title, cell.coordinate, value)
                    assert "英文原文" not in value, where  # every kind of line is translated
                    assert not [e for e in english if e in value], where  # data texts read in Chinese
                    text = value
                    for data in (c for c in chinese if c in text):
                        text = text.replace(data, "")
                    for name in sorted(own, key=len, reverse=True):
                        text = text.replace(name, "")
                    # ids (pack, criterion, grid, JSON path, field and option names) are not sentences
                    text = re.sub(r"[\w.\[\]-]*[_\-\[.][\w.\[\]-]*", "", text)
                    words = [w for w in re.findall(r"[A-Za-z][A-Za-z0-9]*", text) if w not in ALLOWED_LATIN]
                    words = [w for w in words if not re.fullmatch(r"C\d\d|S\d+|GL\d+h", w)]
                    assert len(words) <= 1 or not re.search(r"[A-Za-z]{3,}\s+[A-Za-z]{3,}", text), where
                    if cell.fill.fgColor.rgb == HEADER_FILL:
                        assert not words, where  # headers: Chinese words with units only
    rows = _rows(_values(broken)["园区总览"])
    assert rows["零碳园区"][:2] == ("通过", "未通过")  # accepted: the verdicts stand on three buildings
    assert any(isinstance(k, str) and k.startswith("Broken:评估失败:broken.ifc:不是 IFC 文件") for k in rows)


def test_the_english_workbook_has_no_chinese_label(sample):
    book = openpyxl.load_workbook(sample["en"])
    headers = [
        c.value
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for c in row
        if isinstance(c.value, str) and c.fill.fgColor.rgb == HEADER_FILL
    ]
    assert headers
    assert not [h for h in headers if re.search(r"[\u4e00-\u9fff]", h)]
    assert set(PARK_LABELS["en"]) == set(PARK_LABELS["zh"])


def test_an_unknown_language_is_refused_with_one_line(tmp_path):
    park = _park(tmp_path)
    result = _run(park, "-o", str(tmp_path / "park.xlsx"), "--lang", "fr")
    assert result.exit_code == 2
    assert "unknown language 'fr'" in result.stderr
    assert not (tmp_path / "park.xlsx").exists()
