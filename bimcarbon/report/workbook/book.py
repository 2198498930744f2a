"""XlsxWriter with what the compliance workbook needs: formulas stored with their values, marked input
cells, text that stays text, defined names for the inputs formulas use, and page setup on every sheet.

XlsxWriter is used (not openpyxl) because it writes a formula together with its cached value: any
reader (pandas, openpyxl ``data_only``, file previews, mail viewers) sees the numbers without
recalculating, and Excel or LibreOffice recalculate them from the shown inputs.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path

import xlsxwriter
from xlsxwriter.utility import xl_rowcol_to_cell

from bimcarbon.errors import OutputError
from bimcarbon.report.workbook.streamed import StreamedRows, can_stream

#: Control characters XLSX cannot hold (legal in IFC text through \X2\ escapes).
_ILLEGAL = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")

#: Cell styles by name.
_FORMATS = {
    "title": {"bold": True, "font_size": 14},
    "bold": {"bold": True},
    "header": {"bold": True, "bg_color": "#DDEBF7", "text_wrap": True, "valign": "top", "border": 1},
    "input": {"bg_color": "#FFF2CC", "border": 1, "num_format": "#,##0.00##"},
    "input_pct": {"bg_color": "#FFF2CC", "border": 1, "num_format": "0.0%"},
    "input_text": {"bg_color": "#FFF2CC", "border": 1},
    "evidence": {"bg_color": "#EDEDED", "num_format": "#,##0.00##"},
    "evidence_pct": {"bg_color": "#EDEDED", "num_format": "0.0%"},
    "evidence_int": {"bg_color": "#EDEDED", "num_format": "#,##0"},
    "number": {"num_format": "#,##0.00"},
    "number3": {"num_format": "#,##0.000"},
    "number4": {"num_format": "#,##0.00##"},
    "integer": {"num_format": "#,##0"},
    "pct": {"num_format": "0.0%"},
    "wrap": {"text_wrap": True, "valign": "top"},
    "alert": {"bold": True, "font_color": "#C00000", "text_wrap": True},
    "alert_fill": {"bold": True, "font_color": "#C00000", "bg_color": "#FFE0E0", "text_wrap": True},
    "verdict": {"bold": True, "align": "center"},
    "total": {"bold": True, "num_format": "#,##0.00", "top": 1},
}


#: Styles whose text wraps (their rows get a height to fit).
_WRAPPED = {"wrap", "header", "alert", "alert_fill"}


def _classic_formula(formula: str, expand_future_functions: bool = False) -> str:
    """A formula as XlsxWriter stores it (no leading ``=``), for formulas of classic functions only."""
    return formula[1:] if formula.startswith("=") else formula


def plain(value: object) -> object:
    """A value XlsxWriter can store: None for NaN, Python scalars for numpy ones."""
    kind = type(value)
    if value is None or kind is str or kind is int or kind is bool:  # the common cases, first
        return value
    if kind is float:
        return value if math.isfinite(value) else None
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


@dataclass
class Sheet:
    """One worksheet and the helpers to fill it."""

    book: Book
    name: str
    ws: object = field(init=False)
    #: (row, first column, last column, text) of wrapped cells, for the row heights :meth:`page` sets.
    wrapped: list[tuple[int, int, int, str]] = field(default_factory=list)
    column_widths: list[float] = field(default_factory=list)
    #: The rows written as XML text as they are filled (:meth:`stream_from`), if any.
    streamed: StreamedRows | None = field(default=None, init=False)

    def __post_init__(self) -> None:
        self.ws = self.book.wb.add_worksheet(self.name)
        # XlsxWriter rewrites every formula with some 30 regular expressions to prefix Excel 365's
        # dynamic-array functions; the workbook uses none of them (IF, SUM, SUMIF, INDEX, MATCH...), and
        # that rewriting was 60 % of the time on a 10,000-element model
        if hasattr(self.ws, "_prepare_formula"):
            self.ws._prepare_formula = _classic_formula

    def ref(self, row: int, col: int, absolute: bool = True, local: bool = False) -> str:
        """An A1 reference to a cell of this sheet (0-based row and column)."""
        cell = xl_rowcol_to_cell(row, col, row_abs=absolute, col_abs=absolute)
        return cell if local else f"'{self.name}'!{cell}"

    def span(self, first_row: int, last_row: int, col: int) -> str:
        """An absolute A1 reference to a column range of this sheet."""
        first = xl_rowcol_to_cell(first_row, col, row_abs=True, col_abs=True)
        last = xl_rowcol_to_cell(max(first_row, last_row), col, row_abs=True, col_abs=True)
        return f"'{self.name}'!{first}:{last}"

    def stream_from(self, first_row: int) -> None:
        """Write this sheet's rows from ``first_row`` (0-based) on as XML text when they are filled
        (:mod:`.streamed`), for a sheet with a row per element; every row above it must be written
        before. Without the XlsxWriter members that needs, the rows go cell by cell as the others."""
        if can_stream(self.ws):
            self.streamed = StreamedRows(self.ws, first_row)

    def put(self, row: int, col: int, value: object, style: str | None = None) -> None:
        """A value: text is always text (never a formula, whatever it starts with), None is blank."""
        fmt = self.book.fmt(style)
        value = plain(value)
        if value is not None and not isinstance(value, bool | int | float):  # a text
            value = _ILLEGAL.sub("", str(value))
            if style in _WRAPPED:
                self.wrapped.append((row, col, col, value))
        if self.streamed is not None and row >= self.streamed.first_row:
            self.streamed.value(row, col, value, fmt)
        elif value is None:
            self.ws.write_blank(row, col, None, fmt)
        elif isinstance(value, bool):
            self.ws.write_boolean(row, col, value, fmt)
        elif isinstance(value, int | float):
            self.ws.write_number(row, col, value, fmt)
        else:
            self.ws.write_string(row, col, value, fmt)

    def note(self, row: int, first_col: int, last_col: int, text: object, style: str = "wrap") -> None:
        """Long text over several columns (merged and wrapped), e.g. a method or a source."""
        text = plain(text)
        if text is None:
            return
        if self.streamed is not None and row >= self.streamed.first_row:
            raise ValueError(f"a note (merged cells) cannot be put in the streamed row {row + 1}")
        text = _ILLEGAL.sub("", str(text))
        if last_col > first_col:
            self.ws.merge_range(row, first_col, row, last_col, "", self.book.fmt(style))
        self.ws.write_string(row, first_col, text, self.book.fmt(style))
        self.wrapped.append((row, first_col, last_col, text))

    def row(self, row: int, values: list, style: str | None = None, first_col: int = 0) -> None:
        """A row of values."""
        for offset, value in enumerate(values):
            self.put(row, first_col + offset, value, style)

    def formula(self, row: int, col: int, formula: str, value: object, style: str | None = None) -> None:
        """A formula stored with its value (what bimcarbon computed; blank shown as "")."""
        value = plain(value)
        value = "" if value is None else value
        if self.streamed is not None and row >= self.streamed.first_row:
            self.streamed.formula(row, col, _classic_formula(formula), self.book.fmt(style), value)
        else:
            self.ws.write_formula(row, col, formula, self.book.fmt(style), value)

    def widths(self, widths: list[float]) -> None:
        """Column widths, in characters."""
        self.column_widths = list(widths)
        for col, width in enumerate(widths):
            self.ws.set_column(col, col, width)

    def page(self, landscape: bool = False, header_rows: int | None = None) -> None:
        """A4, fit to one page wide, header rows repeated on every printed page."""
        ws = self.ws
        ws.set_paper(9)
        if landscape:
            ws.set_landscape()
        ws.fit_to_pages(1, 0)
        ws.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
        ws.set_footer("&L&A&R&P / &N")
        if header_rows is not None:
            ws.repeat_rows(0, header_rows)
        self._fit_rows()

    def _fit_rows(self) -> None:
        """Heights of rows holding wrapped text, so that it does not run over the rows below (neither
        XlsxWriter nor LibreOffice sizes them): lines = characters / column width, CJK counted double."""
        lines: dict[int, int] = {}
        for row, first, last, text in self.wrapped:
            widths = self.column_widths
            width = sum(widths[c] if c < len(widths) else 10 for c in range(first, last + 1))
            chars = len(text) if text.isascii() else sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)
            lines[row] = max(lines.get(row, 1), math.ceil(chars / max(width - 1, 1)))
        for row, count in lines.items():
            if count <= 1:
                continue
            if self.streamed is not None and row >= self.streamed.first_row:
                self.streamed.height(row, 15 * min(count, 12))
            else:
                self.ws.set_row(row, 15 * min(count, 12))


class Book:
    """The workbook, its formats and the names its formulas use."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "nan_inf_to_errors": True})
        # top-aligned everywhere: a row made tall by a wrapped source keeps its label beside its text
        add = self.wb.add_format
        self._formats = {name: add({"valign": "top", **spec}) for name, spec in _FORMATS.items()}
        self._formats[""] = self.wb.add_format({"valign": "top"})
        self.sheets: list[Sheet] = []

    def fmt(self, style: str | None):
        """The format of a style name (None: default)."""
        return self._formats[style or ""]

    def sheet(self, name: str) -> Sheet:
        """A new worksheet."""
        sheet = Sheet(self, name)
        self.sheets.append(sheet)
        return sheet

    def name(self, name: str, reference: str) -> str:
        """Define a workbook name for a cell (``reference`` like ``'Inputs'!$C$4``); returns the name."""
        self.wb.define_name(name, f"={reference}")
        return name

    def close(self) -> None:
        """Write the file."""
        for sheet in self.sheets:
            if sheet.streamed is not None:
                sheet.streamed.finish()
        self.wb.close()


def quoted(text: str) -> str:
    """``text`` as a string literal inside a formula."""
    return '"' + str(text).replace('"', '""') + '"'


def workbook_path(path: str | Path, lang: str, languages: object, what: str = "the workbook") -> Path:
    """``path`` as a Path, once it ends in ``.xlsx`` and ``lang`` is one of ``languages`` (the labels'
    keys); otherwise an OutputError naming the file: every workbook writer checks its target this way.
    ``what`` names the workbook in the message (``the park workbook``)."""
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise OutputError(f"{what} must end in .xlsx", path)
    if lang not in languages:
        raise OutputError(f"unknown language {lang!r}; use en or zh", path)
    return path
