"""Shared helpers of the renderers: frames to JSON-ready records and to worksheets."""

from __future__ import annotations

import math

import pandas as pd
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter


def records(frame: pd.DataFrame) -> list[dict[str, object]]:
    """Rows of ``frame`` as dictionaries of plain Python values (NaN becomes None)."""
    rows = frame.astype(object).to_dict(orient="records")
    return [{k: clean(v) for k, v in r.items()} for r in rows]


def clean(value: object) -> object:
    """A plain Python value: None for NaN, Python scalars for numpy ones."""
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


def frame_sheet(sheet, frame: pd.DataFrame) -> None:
    """Write a whole frame (header and rows) to a worksheet."""
    rows = [[clean(v) for v in row] for row in frame.astype(object).itertuples(index=False)]
    write_rows(sheet, list(frame.columns), rows)


def _data_cell(sheet, value: object) -> object:
    """``value`` as openpyxl should store it in a data sheet: control characters (legal in IFC text
    through \\X2\\ escapes, not in XLSX) dropped, and text starting with ``=`` kept as text, not taken
    for a formula. Built here, cell by cell: reading a row back from the sheet costs a scan of the
    whole sheet, which made 10,000-element workbooks take minutes."""
    if not isinstance(value, str):
        return value
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if not value.startswith("="):
        return value
    cell = Cell(sheet, value=value)
    cell.data_type = "s"
    return cell


def write_rows(sheet, header: list[str], rows: list) -> None:
    """Append a header and rows. These sheets hold data only: a string that openpyxl would take for a
    formula (text from the model starting with ``=``) is stored as text."""
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([_data_cell(sheet, v) for v in row])
    sheet.freeze_panes = "A2"
    for i, name in enumerate(header, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = max(10, min(48, len(str(name)) + 4))
