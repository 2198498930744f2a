"""Rows of a worksheet written as SpreadsheetML text when they are filled, for the sheets with a row per
element (tens of thousands of cells).

XlsxWriter keeps each cell in a table and turns the table into XML when the file is closed: some 20 us
a cell in all, 1.4 s for the Elements sheet of a 1,400-element building (63,000 cells), half as long
as its take-off. Here a cell's XML is made once, as the cell is written, exactly as XlsxWriter would
write it (texts in the workbook's shared-strings table, formats by XlsxWriter's indices). The rows are
handed to XlsxWriter's sheet writer, which writes them after its own rows (the header), where their
``<row>`` elements belong.

This goes through XlsxWriter's private members (``Worksheet._write_rows``, ``fh``, ``table``,
``row_info``, ``_check_dimensions``, ``str_table._get_shared_string_index`` and
``Format._get_xf_index``, all in XlsxWriter 3); :func:`can_stream` checks the worksheet's are there,
and the sheet is written cell by cell through XlsxWriter otherwise.
``tests/test_workbook_streamed.py`` reads sheets written both ways and compares every cell's value,
formula, cached value, style and row height.
"""

from __future__ import annotations

from typing import Any

from xlsxwriter.utility import xl_col_to_name

#: Longest text a cell holds, in UTF-16 units (a character above U+FFFF counts two): Excel reports a file
#: with a longer text as damaged. XlsxWriter cuts texts there too.
_MAX_TEXT = 32767
#: A formula's cached text value that is an error code (``t="e"``).
_ERROR_CODES = frozenset({"#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!"})


def can_stream(worksheet: Any) -> bool:
    """Whether this XlsxWriter worksheet has the members :class:`StreamedRows` writes through."""
    strings = getattr(worksheet, "str_table", None)
    return (
        callable(getattr(worksheet, "_write_rows", None))
        and callable(getattr(worksheet, "_check_dimensions", None))
        and hasattr(worksheet, "table")
        and hasattr(worksheet, "row_info")
        and callable(getattr(strings, "_get_shared_string_index", None))
        and not getattr(worksheet, "constant_memory", False)
    )


def _xml(text: str) -> str:
    """``text`` escaped for an element's content."""
    if "&" in text or "<" in text or ">" in text:
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text


def _cut(text: str) -> str:
    """``text`` cut to :data:`_MAX_TEXT` UTF-16 units, never inside a character."""
    if len(text) <= _MAX_TEXT // 2:  # the common case: short enough whatever its characters
        return text
    units = 0
    for index, char in enumerate(text):
        units += 2 if ord(char) > 0xFFFF else 1
        if units > _MAX_TEXT:
            return text[:index]
    return text


class StreamedRows:
    """The rows of ``worksheet`` from ``first_row`` (0-based) on, kept as XML text.

    Cells may come in any order; each row's are sorted by column when written. A cell written twice
    keeps the last value, as in XlsxWriter.
    """

    def __init__(self, worksheet: Any, first_row: int) -> None:
        self.first_row = first_row
        self._worksheet = worksheet
        self._strings = worksheet.str_table
        self._rows: dict[int, dict[int, str]] = {}
        self._heights_pt: dict[int, float] = {}
        self._letters: list[str] = []
        self._styles: dict[int, str] = {}  # id of a format -> its ' s="N"' attribute
        self._row, self._number, self._cells = -1, "", {}  # the row being filled
        own_rows = worksheet._write_rows

        def write_rows() -> None:  # XlsxWriter's rows first, then these, inside <sheetData>
            own_rows()
            self._write(worksheet.fh)

        worksheet._write_rows = write_rows

    def _cell(self, row: int, col: int, style: Any, kind: str) -> str:
        """The start of a ``<c>`` element (its reference, format index and type attributes), and
        ``self._cells`` the row's cells."""
        if row != self._row:
            self._row, self._number = row, str(row + 1)
            self._cells = self._rows.setdefault(row, {})
        attribute = self._styles.get(id(style))
        if attribute is None:
            index = style._get_xf_index() if style is not None else 0
            attribute = self._styles[id(style)] = f' s="{index}"' if index else ""
        while len(self._letters) <= col:
            self._letters.append(xl_col_to_name(len(self._letters)))
        return f'<c r="{self._letters[col]}{self._number}"{attribute}{kind}'

    def value(self, row: int, col: int, value: object, style: Any) -> None:
        """A value as :meth:`Sheet.put` gives it: None (blank, kept only with a style), a bool, a
        number (finite) or a text (control characters already removed)."""
        if value is None:
            if style is not None:
                xml = self._cell(row, col, style, "/>")
                self._cells[col] = xml
            return
        if isinstance(value, bool):
            xml = self._cell(row, col, style, f' t="b"><v>{int(value)}</v></c>')
        elif isinstance(value, int | float):
            xml = self._cell(row, col, style, f"><v>{value:.16G}</v></c>")
        else:
            index = self._strings._get_shared_string_index(_cut(str(value)))
            xml = self._cell(row, col, style, f' t="s"><v>{index}</v></c>')
        self._cells[col] = xml

    def formula(self, row: int, col: int, formula: str, style: Any, value: object) -> None:
        """A formula as XlsxWriter stores it (classic functions only, no leading ``=``) with its cached
        value."""
        if formula.startswith("{"):
            raise ValueError(f"array formula {formula!r} cannot be streamed")
        kind = ""
        if isinstance(value, bool):
            kind, value = ' t="b"', int(value)
        elif isinstance(value, str) and value:
            kind = ' t="e"' if value in _ERROR_CODES else ' t="str"'
        if isinstance(value, str):
            value = _xml(value)
        text = _xml(formula)
        xml = self._cell(row, col, style, f"{kind}><f>{text}</f><v>{value}</v></c>")
        self._cells[col] = xml

    def height(self, row: int, height_pt: float) -> None:
        """A row's height, in points (``Worksheet.set_row``'s unit)."""
        self._heights_pt[row] = height_pt

    def finish(self) -> None:
        """Tell XlsxWriter the rows' extent (the sheet's ``<dimension>``, print area, filters) before
        the file is written."""
        if not self._rows:
            return
        columns = {col for cells in self._rows.values() for col in cells}
        self._worksheet._check_dimensions(min(self._rows), min(columns))
        self._worksheet._check_dimensions(max(self._rows), max(columns))

    def _write(self, out: Any) -> None:
        worksheet = self._worksheet
        late = [row for row, cells in worksheet.table.items() if cells and row >= self.first_row]
        late += [row for row in worksheet.row_info if row >= self.first_row]
        if late:  # a bug: XlsxWriter's own rows would be written after these
            raise RuntimeError(f"row {min(late) + 1} was written through XlsxWriter after streaming began")
        for row in sorted(self._rows):
            cells = self._rows[row]
            height = self._heights_pt.get(row)
            size = "" if height is None else f' ht="{int(height * 4 / 3 + 0.5) * 0.75:.16g}" customHeight="1"'
            out.write(f'<row r="{row + 1}"{size}>' + "".join(cells[col] for col in sorted(cells)) + "</row>")
