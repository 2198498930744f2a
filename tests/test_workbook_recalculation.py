"""The compliance workbook recalculated by LibreOffice, as a reviewer would: every formula gives back the
value bimcarbon stored, and a changed input moves the totals, intensities and verdicts as on paper.

Skipped with the reason where LibreOffice is not installed (.ci/run installs it).
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from libreoffice import needs_libreoffice, pdf_pages, recalculated, to_pdf

from bimcarbon.assess import assess
from bimcarbon.report.workbook import write_workbook

SAMPLES = Path(__file__).resolve().parent.parent / "sample_models"
OFFICE, ENERGY = SAMPLES / "office_m.ifc", SAMPLES / "office_m.energy.yaml"

pytestmark = needs_libreoffice


@pytest.fixture(scope="module")
def office(tmp_path_factory) -> Path:
    run = assess(OFFICE, ENERGY)
    return write_workbook(run, run.library, tmp_path_factory.mktemp("recalc") / "office.xlsx")


def _rows(sheet) -> dict[str, tuple]:
    return {row[0]: row[1:] for row in sheet.iter_rows(values_only=True) if row and isinstance(row[0], str)}


def test_libreoffice_recalculates_every_stored_value(office, tmp_path):
    stored = openpyxl.load_workbook(office, data_only=True)
    again = openpyxl.load_workbook(recalculated(office, tmp_path), data_only=True)
    formulas = openpyxl.load_workbook(office)
    compared = 0
    for sheet in formulas.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type != "f":
                    continue
                before, after = (
                    stored[sheet.title][cell.coordinate].value,
                    again[sheet.title][cell.coordinate].value,
                )
                if before in ("", None):
                    assert after in ("", None), (sheet.title, cell.coordinate, after)
                elif isinstance(before, str):
                    assert after == before, (sheet.title, cell.coordinate)
                else:
                    assert after == pytest.approx(before, rel=1e-9, abs=1e-9), (sheet.title, cell.coordinate)
                compared += 1
    assert compared > 500


def test_a_changed_quantity_and_threshold_move_totals_intensities_and_verdicts(office, tmp_path):
    book = openpyxl.load_workbook(office)
    elements = book["Elements"]
    header = [c.value for c in elements[1]]
    quantity, factor = header.index("Quantity") + 1, header.index("Factor") + 1
    row = next(r for r in range(2, elements.max_row + 1) if elements.cell(r, factor).value == "concrete_c40")
    elements.cell(row, quantity).value += 1.0  # one more m3 of C40 concrete
    criteria = book["Criteria"]
    for r in range(1, criteria.max_row + 1):
        if criteria.cell(r, 3).value == "reduction-40":  # the low-carbon tier's 40 % becomes 45 %
            criteria.cell(r, 7).value = 0.45
    changed = tmp_path / "changed.xlsx"
    book.save(changed)
    before = openpyxl.load_workbook(office, data_only=True)
    after = openpyxl.load_workbook(recalculated(changed, tmp_path), data_only=True)
    embodied_before, embodied_after = _rows(before["Embodied"]), _rows(after["Embodied"])
    # +1 m3 x 340 kgCO2e/m3 in A1-A3; its mass follows (x 2400 kg/m3): A4 +2.4 t x 40 km x 0.078 = 7.488;
    # A5 wastage 5 % x (340 + 7.488) = 17.3744; upfront +364.8624; C2 and C3-C4 follow the mass too
    assert embodied_after["A1-A3"][0] - embodied_before["A1-A3"][0] == pytest.approx(340.0)
    assert embodied_after["A4"][0] - embodied_before["A4"][0] == pytest.approx(7.488)
    upfront = "Upfront (A1-A5)"
    assert embodied_after[upfront][0] - embodied_before[upfront][0] == pytest.approx(364.8624)
    intensity = "Carbon intensity (kgCO2e/(m²·a))"
    with_before, with_after = _rows(before["Criteria"])[intensity][1], _rows(after["Criteria"])[intensity][1]
    assert with_after - with_before == pytest.approx(364.8624 / 50 / 160)  # 0.045608 kgCO2e/(m2.a)
    # the reduction is 50.0 % without and 43.3 % with embodied: above 40 %, below 45 %
    summary_before, summary_after = _rows(before["Summary"]), _rows(after["Summary"])
    assert summary_before["Low-carbon building"][:2] == ("pass", "pass")
    assert summary_after["Low-carbon building"][:2] == ("pass", "fail")
    assert summary_after["Tier reached"][:2] == ("Low-carbon building", "none")


@pytest.mark.parametrize(
    ("lang", "sheet"),
    [("en", "Summary"), ("zh", "汇总"), ("en", "Calculation report"), ("zh", "碳排放计算书")],
)
def test_the_summary_and_the_calculation_report_print_on_two_pages_at_most(lang, sheet, tmp_path):
    run = assess(OFFICE, ENERGY)
    path = write_workbook(run, run.library, tmp_path / f"office-{lang}.xlsx", lang)
    assert 1 <= pdf_pages(to_pdf(path, tmp_path, sheet=sheet)) <= 2


def test_an_error_in_an_input_is_never_a_pass(office, tmp_path):
    # a floor area of 0 typed in divides by zero: every verdict that needs it is not assessable, never pass
    book = openpyxl.load_workbook(office)
    inputs = book["Inputs"]
    row = next(r for r in range(1, inputs.max_row + 1) if inputs.cell(r, 1).value == "Gross floor area (m²)")
    inputs.cell(row, 2).value = 0
    changed = tmp_path / "zero-area.xlsx"
    book.save(changed)
    summary = _rows(openpyxl.load_workbook(recalculated(changed, tmp_path), data_only=True)["Summary"])
    for tier in ("Low-carbon building", "Near-zero-carbon building", "Zero-carbon building"):
        assert "pass" not in summary[tier][:2], tier
    assert summary["Tier reached"][:2] == ("none", "none")
