"""The comparison workbook (`bimcarbon compare BASE VARIANT -o diff.xlsx [--lang zh]`): the stored values
are the comparison's, every delta is a formula, model text stays text, the Chinese workbook has no English
sentence, and LibreOffice recalculates every formula to the stored value."""

from __future__ import annotations

import json
import re
from pathlib import Path

import openpyxl
import pytest
from builders import add_layered_wall, new_model, regenerated_ids, thickened_slab
from libreoffice import needs_libreoffice, recalculated
from typer.testing import CliRunner

from bimcarbon.cli import app
from bimcarbon.report.workbook.compare_labels import COMPARE_LABELS

runner = CliRunner()
SAMPLES = Path(__file__).resolve().parent.parent / "sample_models"
OFFICE, ENERGY = SAMPLES / "office_m.ifc", SAMPLES / "office_m.energy.yaml"
HEADER_FILL = "FFDDEBF7"
EVIL = '=HYPERLINK("http://example.invalid","click")'
SLAB_A1_A3_PER_M3 = 340 + 0.120 * 2340  # C40 concrete + 120 kg/m3 of assumed rebar, kgCO2e/m3


@pytest.fixture(scope="module")
def office(tmp_path_factory) -> dict:
    """The office against its thicker-slab variant (whose slab is named like a formula), assessed with
    less electricity: near-zero-carbon passes without embodied only. In English and Chinese, with the JSON."""
    folder = tmp_path_factory.mktemp("compare-workbook")
    variant = thickened_slab(OFFICE, folder / "thick.ifc")
    text = variant.read_text()
    variant.write_text(text.replace("'First floor slab'", "'" + EVIL + "'"))
    energy = folder / "less.energy.yaml"
    energy.write_text(ENERGY.read_text().replace("12000", "7000"), encoding="utf-8")
    out = {"json": folder / "diff.json", "en": folder / "diff.xlsx", "zh": folder / "diff-zh.xlsx"}
    for lang in ("en", "zh"):
        args = ["compare", OFFICE, variant, "--energy", ENERGY, "--variant-energy", energy, "-o", out[lang]]
        args += ["--lang", lang, "--json", out["json"]]
        result = runner.invoke(app, [str(a) for a in args])
        assert result.exit_code == 0, result.output
    return out


def _rows(sheet) -> dict:
    return {row[0]: row[1:] for row in sheet.iter_rows(values_only=True) if row and isinstance(row[0], str)}


def test_the_overview_gives_each_module_its_delta_with_the_elements_and_the_building_level_beside_it(office):
    doc = json.loads(office["json"].read_text())
    book = openpyxl.load_workbook(office["en"], data_only=True)
    assert book.sheetnames == [
        "Overview",
        "Elements",
        "By material",
        "By IFC class",
        "By storey",
        "Inputs",
        "Warnings",
    ]
    rows = _rows(book["Overview"])
    for key, label in (("a1_a3", "A1-A3"), ("a4", "A4"), ("embodied_total", "Embodied total")):
        base, variant, delta, elements, building, left = rows[label][:6]
        assert (base, variant) == (doc["totals"]["base"][key], doc["totals"]["variant"][key])
        assert delta == pytest.approx(doc["totals"]["delta"][key])
        assert elements + building == pytest.approx(delta) and left == pytest.approx(0, abs=1e-6)
    assert rows["A1-A3"][2] == pytest.approx(4 * SLAB_A1_A3_PER_M3)  # 4 m3 more x 620.8 kgCO2e/m3
    near = rows["Near-zero-carbon building"]
    assert near[:6] == ("fail", "pass", "yes", "fail", "fail", "no")  # changes without embodied only
    assert rows["Verdict changes without embodied"][0] == "Near-zero-carbon building: fail → pass"
    assert rows["Verdict changes with embodied"][0] == "no tier verdict changes"


def test_every_delta_is_a_formula_and_the_elements_sheet_has_a_row_per_pair(office):
    formulas = openpyxl.load_workbook(office["en"])
    values = openpyxl.load_workbook(office["en"], data_only=True)
    sheet, shown = formulas["Elements"], values["Elements"]
    header = [c.value for c in sheet[4]]
    delta = header.index("A1-A3, delta")
    rows = [r for r in range(5, sheet.max_row + 1) if sheet.cell(r, 1).value]
    assert len(rows) == 23
    first = rows[0]  # the largest change first: the slab
    assert shown.cell(first, header.index("Element") + 1).value == EVIL
    assert sheet.cell(first, header.index("Element") + 1).data_type == "s"  # text from the model stays text
    assert sheet.cell(first, delta + 1).data_type == "f"
    assert shown.cell(first, delta + 1).value == pytest.approx(4 * SLAB_A1_A3_PER_M3)
    assert "volume: 16.000 m³ → 20.000 m³" in shown.cell(first, header.index("What changed") + 1).value
    overview = formulas["Overview"]
    assert all(
        overview.cell(r, 4).data_type == "f"
        for r in range(1, overview.max_row + 1)
        if overview.cell(r, 1).value in ("A1-A3", "A4", "Embodied total")
    )
    classes = _rows(values["By IFC class"])
    assert classes["IfcSlab"][:2] == (3, 3) and classes["IfcSlab"][7] == pytest.approx(4 * SLAB_A1_A3_PER_M3)
    check = _rows(values["By material"])["Difference (0 but for rounding)"]
    assert check[4] == pytest.approx(0, abs=1e-6)


def test_the_inputs_sheet_puts_what_changed_first(office):
    rows = list(
        openpyxl.load_workbook(office["en"], data_only=True)["Inputs"].iter_rows(min_row=4, values_only=True)
    )
    changed = [r for r in rows if r[4] == "yes"]
    assert ("Energy figure", "Electricity used (kWh/a)", "12,000", "7,000", "yes") in changed
    assert rows.index(changed[-1]) == len(changed) - 1


@pytest.fixture(scope="module")
def blocked(tmp_path_factory) -> Path:
    """A wall of an unknown material (the with-embodied verdicts are blocked) against itself re-exported:
    the pairing by position and the gate notes in Chinese."""
    folder = tmp_path_factory.mktemp("blocked")
    f, ctx = new_model("m")
    add_layered_wall(f, ctx, layers=[("Unobtainium 7", 0.30), ("Gypsum plaster", 0.02)])
    for element in f.by_type("IfcWall"):
        element.ObjectPlacement = f.createIfcLocalPlacement(
            None, f.createIfcAxis2Placement3D(f.createIfcCartesianPoint((1.0, 2.0, 0.0)), None, None)
        )
    f.write(str(folder / "wall.ifc"))
    again = regenerated_ids(folder / "wall.ifc", folder / "wall-again.ifc")
    out = folder / "blocked-zh.xlsx"
    result = runner.invoke(
        app, ["compare", str(folder / "wall.ifc"), str(again), "-o", str(out), "--lang", "zh"]
    )
    assert result.exit_code == 0, result.output
    assert "not assessable" in result.stdout and "paired by position" in result.stdout
    return out


#: Latin words allowed in the Chinese workbook: units, modules, standards, file and field names.
ALLOWED_LATIN = {"kgCO2e", "kgCO2", "tCO2e", "kg", "m", "m3", "t", "a", "kWh", "GJ", "A1", "A3", "A4", "A5",
                 "B4", "B6", "C1", "C2", "C3", "C4", "EN", "GB", "T", "IFC", "JSON", "SHA", "GlobalId",
                 "bimcarbon", "x", "Ifc", "ifc"}  # fmt: skip


def test_the_chinese_workbook_has_no_english_sentence(office, blocked):
    from bimcarbon.report.workbook.data_zh import shipped_pairs

    english = [text for text in shipped_pairs() if len(text) >= 20]
    chinese = sorted(set(shipped_pairs().values()), key=len, reverse=True)
    own = ["Unobtainium 7", "Gypsum plaster", "Mineral wool", "Concrete C30/37", "Mineral wool insulation",
           "Concrete block", "Steel S355", "Glulam GL24h", "Aluminium", "Float glass", "Ground floor",
           "First floor", "Unclassified block", "Steel column", "Steel beam", "Glulam beam", "Window W1",
           "Roof slab", "Concrete column C1", "external wall", "internal wall", EVIL, "HYPERLINK", "click",
           "example", "invalid", "http"]  # fmt: skip
    # the person's own texts in their energy file (a baseline's source) are shown as they wrote them
    from bimcarbon.compare.inputs import flatten
    from bimcarbon.datafile import load_yaml

    own += [v for v in flatten(load_yaml(ENERGY.read_text())).values() if isinstance(v, str)]
    for path in (office["zh"], blocked):
        book = openpyxl.load_workbook(path)
        assert book.sheetnames == [
            "对比总览",
            "构件对比",
            "按材料",
            "按 IFC 类",
            "按楼层",
            "输入对比",
            "警告",
        ]
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
                    # ids (GlobalIds, factor ids, file names, option names and values) are not sentences
                    text = re.sub(r"[\w.$\[\]-]*[_\-\[.$][\w.$\[\]-]*", "", text)
                    text = re.sub(r"\b[0-9A-Za-z$_]{22}\b", "", text)  # GlobalIds
                    words = [w for w in re.findall(r"[A-Za-z][A-Za-z0-9]*", text) if w not in ALLOWED_LATIN]
                    words = [
                        w for w in words if not re.fullmatch(r"C\d\d|S\d+|GL\d+h|Ifc\w+|W\d|SC?\d|SB\d", w)
                    ]
                    assert len(words) <= 1 or not re.search(r"[A-Za-z]{3,}\s+[A-Za-z]{3,}", text), where
                    if cell.fill.fgColor.rgb == HEADER_FILL:
                        assert not words, where  # headers: Chinese words with units only
    rows = _rows(openpyxl.load_workbook(blocked, data_only=True)["对比总览"])
    gate = [k for k in rows if isinstance(k, str) and k.startswith("计入隐含碳:")]
    assert len(gate) == 2 and rows[gate[0]][0].startswith("计入隐含碳的结论无法评估:隐含碳不完整")
    warnings = [
        r[0]
        for r in openpyxl.load_workbook(blocked, data_only=True)["警告"].iter_rows(values_only=True)
        if r[0]
    ]
    assert any(w.startswith("1 个构件按位置配对,而非按 GlobalId") for w in warnings)


def test_the_english_workbook_has_no_chinese_label(office):
    book = openpyxl.load_workbook(office["en"])
    headers = [
        c.value
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for c in row
        if isinstance(c.value, str) and c.fill.fgColor.rgb == HEADER_FILL
    ]
    assert headers and not [h for h in headers if re.search(r"[\u4e00-\u9fff]", h)]
    assert set(COMPARE_LABELS["en"]) == set(COMPARE_LABELS["zh"])


@needs_libreoffice
def test_libreoffice_recalculates_every_formula_to_the_stored_value(office, tmp_path):
    for lang in ("en", "zh"):
        stored = openpyxl.load_workbook(office[lang], data_only=True)
        again = openpyxl.load_workbook(recalculated(office[lang], tmp_path / lang), data_only=True)
        formulas = openpyxl.load_workbook(office[lang])
        compared = 0
        for sheet in formulas.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    if cell.data_type != "f":
                        continue
                    before = stored[sheet.title][cell.coordinate].value
                    after = again[sheet.title][cell.coordinate].value
                    where = (lang, sheet.title, cell.coordinate)
                    if before in ("", None):
                        assert after in ("", None), where
                    elif isinstance(before, str):
                        assert after == before, where
                    else:
                        assert after == pytest.approx(before, rel=1e-9, abs=1e-6), where
                    compared += 1
        assert compared > 300


def test_the_overview_sends_the_reader_to_the_warnings_before_the_deltas(office):
    doc = json.loads(office["json"].read_text())
    # the variant's own energy file: the inputs differ, and the comparison says so
    assert any(
        w.startswith("the two assessments were made with different inputs (energy") for w in doc["warnings"]
    )
    for lang, expected in (
        ("en", f"{len(doc['warnings'])} warning(s): read the Warnings sheet before using these deltas."),
        ("zh", f"共 {len(doc['warnings'])} 条警告:使用这些差值前请先阅读“警告”工作表。"),
    ):
        overview = openpyxl.load_workbook(office[lang]).worksheets[0]
        assert overview["A3"].value == expected
