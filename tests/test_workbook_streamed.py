"""The Elements sheet's rows written as XML text (bimcarbon.report.workbook.streamed) read back exactly
as the same rows written cell by cell through XlsxWriter: values, formulas, cached values, styles and
row heights, so that the faster path changes nothing a person or a program reading the file sees."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

import bimcarbon.report.workbook.book as book_module
from bimcarbon.cli import app
from bimcarbon.report.workbook.book import Book

SAMPLES = Path(__file__).resolve().parent.parent / "sample_models"
runner = CliRunner()


def _cells(path: Path, sheet: str) -> tuple[dict, dict, tuple]:
    """Every cell of ``sheet`` as (formula or value, type, number format, bold, fill, wrap, vertical
    alignment, cached value), the custom row heights, and the sheet's dimension and filter."""
    formulas = openpyxl.load_workbook(path)[sheet]
    values = openpyxl.load_workbook(path, data_only=True)[sheet]
    cells = {}
    for row in formulas.iter_rows():
        for cell in row:
            cached = values[cell.coordinate].value
            if cell.value is None and not cell.has_style:
                continue
            cells[cell.coordinate] = (
                cell.value,
                cell.data_type,
                cell.number_format,
                cell.font.b,
                cell.fill.fgColor.rgb,
                cell.alignment.wrap_text,
                cell.alignment.vertical,
                cached,
            )
    heights = {n: d.height for n, d in formulas.row_dimensions.items() if d.customHeight}
    return cells, heights, (formulas.dimensions, formulas.auto_filter.ref, formulas.freeze_panes)


def _write(path: Path, streamed: bool) -> None:
    book = Book(path)
    sheet = book.sheet("Rows")
    sheet.widths([12, 12, 12, 12])
    sheet.row(0, ["text", "number", "formula", "note"], "header")
    if streamed:
        sheet.stream_from(1)
    texts = [" leading and trailing ", "a & b < c > d", "_x0041_ stays as written", "tab\there\x07bell",
             "中文材料名称", "=SUM(A1:A9) stays text", "x" * 40_000, 12]  # fmt: skip
    for i, text in enumerate(texts):
        r = i + 1
        sheet.put(r, 3, text, "wrap")  # out of column order: sorted when written
        sheet.put(r, 0, text)
        sheet.put(r, 1, [1.5, 0, -2e-9, 123456789.123, None, True, 7, float("nan")][i], "number")
        value = [3.0, "", "ok", True, False, "#N/A", 1e-20, None][i]
        sheet.formula(r, 2, f'=IF(B{r + 1}="","",B{r + 1}*2)', value, "input")
    sheet.page()
    book.close()


@pytest.mark.parametrize("sheet", ["Rows"])
def test_rows_written_as_text_read_back_as_those_written_cell_by_cell(tmp_path, sheet):
    _write(tmp_path / "streamed.xlsx", streamed=True)
    _write(tmp_path / "cells.xlsx", streamed=False)
    streamed, by_cell = _cells(tmp_path / "streamed.xlsx", sheet), _cells(tmp_path / "cells.xlsx", sheet)
    assert streamed == by_cell
    cells, heights, (dimension, _, _) = streamed
    assert dimension == "A1:D9"
    assert cells["A2"][0] == " leading and trailing "  # spaces kept
    assert cells["A4"][0] == "_x0041_ stays as written"  # not read back as "A stays as written"
    assert cells["A5"][0] == "tab\therebell"  # a tab kept, a bell dropped (XLSX cannot hold it)
    assert cells["A7"][:2] == ("=SUM(A1:A9) stays text", "s")
    assert len(cells["A8"][0]) == 32767  # a cell's limit
    assert cells["C2"][0] == '=IF(B2="","",B2*2)' and cells["C2"][-1] == 3
    assert cells["B7"][:2] == (True, "b") and cells["B3"][0] == 0
    assert max(heights.values()) == 15 * 12  # the 40,000 characters' row, 12 lines at most
    assert heights[2] == 30  # " leading and trailing " in a 12-character column: two lines


def test_a_row_written_through_xlsxwriter_after_streaming_began_is_refused(tmp_path):
    book = Book(tmp_path / "bad.xlsx")
    sheet = book.sheet("Rows")
    sheet.stream_from(1)
    sheet.put(1, 0, "streamed")
    sheet.ws.write_string(2, 0, "behind its back")
    with pytest.raises(RuntimeError, match="row 3 was written through XlsxWriter after streaming"):
        book.close()


def test_the_elements_sheet_of_a_real_assessment_is_the_same_either_way(tmp_path, monkeypatch):
    model, energy = SAMPLES / "office_m.ifc", SAMPLES / "office_m.energy.yaml"
    written = {}
    for streamed in (True, False):
        if not streamed:
            monkeypatch.setattr(book_module, "can_stream", lambda worksheet: False)
        out = tmp_path / f"{streamed}.xlsx"
        result = runner.invoke(app, ["assess", str(model), "--energy", str(energy), "-o", str(out)])
        assert result.exit_code == 0, result.output
        written[streamed] = out
    for sheet in openpyxl.load_workbook(written[False], read_only=True).sheetnames:
        assert _cells(written[True], sheet) == _cells(written[False], sheet), sheet
    cells, _, (dimension, autofilter, panes) = _cells(written[True], "Elements")
    rows = int(dimension.split(":")[1].lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
    assert rows > 10 and autofilter == dimension and panes == "B2"
    assert cells[f"K{rows}"][0] == f'=IF(H{rows}="","",H{rows}*J{rows})'  # A1-A3 = quantity x factor


def test_the_comparison_workbook_is_the_same_either_way(tmp_path, monkeypatch):
    """Its Elements sheet (a row per element pair) is streamed too; a name that looks like a formula
    stays text."""
    model = SAMPLES / "office_m.ifc"
    variant = tmp_path / "variant.ifc"
    variant.write_text(model.read_text().replace("'First floor slab'", '\'=HYPERLINK("x","y") & <b>\''))
    written = {}
    for streamed in (True, False):
        if not streamed:
            monkeypatch.setattr(book_module, "can_stream", lambda worksheet: False)
        out = tmp_path / f"{streamed}.xlsx"
        result = runner.invoke(app, ["compare", str(model), str(variant), "-o", str(out)])
        assert result.exit_code == 0, result.output
        written[streamed] = out
    for sheet in openpyxl.load_workbook(written[False], read_only=True).sheetnames:
        assert _cells(written[True], sheet) == _cells(written[False], sheet), sheet
    cells = _cells(written[True], "Elements")[0]
    assert '=HYPERLINK("x","y") & <b>' in {v[0] for v in cells.values()}


def test_a_text_of_characters_beyond_the_bmp_is_cut_at_excels_32767_utf16_units(tmp_path):
    # Excel counts a cell's text in UTF-16 units, a character above U+FFFF (an emoji, CJK extension B
    # such as 𩸽) as two, and reports a file holding a longer text as damaged: "a" + 20,000 x 𩸽 is
    # 1 + 40,000 units, cut to "a" + 16,383 x 𩸽 = 1 + 32,766 = 32,767 units, no character split
    text = "a" + "𩸽" * 20_000
    path = tmp_path / "astral.xlsx"
    book = Book(path)
    sheet = book.sheet("Rows")
    sheet.row(0, ["name"], "header")
    sheet.stream_from(1)
    sheet.put(1, 0, text)
    book.close()
    written = openpyxl.load_workbook(path)["Rows"]["A2"].value
    assert len(written.encode("utf-16-le")) // 2 == 32767
    assert written == "a" + "𩸽" * 16_383
