"""The LibreOffice helper the workbook tests rely on: it really recalculates, renders one sheet to PDF,
runs in parallel and times out cleanly. Each workbook here stores a deliberately wrong cached value, so
a helper that only copied the file would fail."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import openpyxl
import pypdf
import pytest
import xlsxwriter
from libreoffice import LibreOfficeError, needs_libreoffice, pdf_pages, recalculated, to_pdf

pytestmark = needs_libreoffice

WRONG_CACHED_VALUE = 99


def _tiny_workbook(path: Path, a1: float = 2) -> Path:
    """A1 = a1 and B1 = A1*3, stored with the wrong cached value 99 (openpyxl cannot store one)."""
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet("Summary")
    sheet.write_number(0, 0, a1)
    sheet.write_formula(0, 1, "=A1*3", None, WRONG_CACHED_VALUE)
    book.close()
    return path


def _two_sheet_workbook(path: Path) -> Path:
    """Summary: B1 = SUM(Elements!A1:A300) cached as 99; Elements: 1..300, several printed pages."""
    book = xlsxwriter.Workbook(path)
    summary, elements = book.add_worksheet("Summary"), book.add_worksheet("Elements & parts")
    for row in range(300):
        elements.write_number(row, 0, row + 1)
        elements.write_string(row, 1, f"element row {row + 1}")
    summary.write_string(0, 0, "Total")
    summary.write_formula(0, 1, "=SUM('Elements & parts'!A1:A300)", None, 99)
    book.close()
    return path


def _values(xlsx: Path, sheet: str = "Summary") -> tuple:
    return tuple(c.value for c in openpyxl.load_workbook(xlsx, data_only=True)[sheet][1])


def test_recalculated_computes_the_formula_instead_of_trusting_the_cached_value(tmp_path):
    source = _tiny_workbook(tmp_path / "tiny.xlsx")
    assert _values(source) == (2, WRONG_CACHED_VALUE)  # what openpyxl alone would read
    copy = recalculated(source, tmp_path / "out")
    assert copy == tmp_path / "out" / "tiny.recalculated.xlsx"
    assert _values(copy) == (2, 6)  # 2 * 3
    assert _values(source) == (2, WRONG_CACHED_VALUE)  # the source is left as it was


def test_recalculated_copies_run_in_parallel_each_with_its_own_result(tmp_path):
    sources = [_tiny_workbook(tmp_path / f"t{a1}.xlsx", a1=a1) for a1 in (1, 5, 7)]
    with ThreadPoolExecutor(max_workers=3) as pool:
        copies = list(pool.map(lambda s: recalculated(s, tmp_path / "out"), sources))
    assert [_values(c)[1] for c in copies] == [3, 15, 21]  # 1*3, 5*3, 7*3


def test_a_stuck_libreoffice_is_killed_with_one_clear_error(tmp_path):
    source = _tiny_workbook(tmp_path / "tiny.xlsx")
    with pytest.raises(LibreOfficeError, match="took more than 0.05 s .*killed"):
        recalculated(source, tmp_path / "out", timeout_s=0.05)
    assert not (tmp_path / "out").exists()


def test_to_pdf_renders_the_whole_workbook_or_one_sheet(tmp_path):
    source = _two_sheet_workbook(tmp_path / "two.xlsx")
    whole = to_pdf(source, tmp_path / "pdf")
    summary = to_pdf(source, tmp_path / "pdf", sheet="Summary")
    assert summary.name == "two.Summary.pdf"
    assert pdf_pages(summary) == 1
    assert pdf_pages(whole) > pdf_pages(summary)  # 300 rows of Elements take several pages
    text = pypdf.PdfReader(summary).pages[0].extract_text()
    assert "45150" in text  # 1 + 2 + ... + 300 = 300 * 301 / 2: recalculated across the hidden sheet
    assert "element row" not in text
    only_elements = to_pdf(source, tmp_path / "pdf", sheet="Elements & parts")
    assert "Total" not in pypdf.PdfReader(only_elements).pages[0].extract_text()


def test_to_pdf_of_a_missing_sheet_names_the_sheets(tmp_path):
    source = _tiny_workbook(tmp_path / "tiny.xlsx")
    with pytest.raises(ValueError, match="no sheet 'Criteria' .*Summary"):
        to_pdf(source, tmp_path, sheet="Criteria")


def test_an_unreadable_file_is_one_clear_error(tmp_path):
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not a zip")
    with pytest.raises(LibreOfficeError, match="did not convert broken.xlsx"):
        recalculated(broken, tmp_path / "out")
    assert os.listdir(tmp_path) == ["broken.xlsx"]
