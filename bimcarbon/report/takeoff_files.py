"""Write a take-off to CSV, Excel or JSON. Renders only: every number comes from the TakeOff."""

from __future__ import annotations

import json
import math
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from bimcarbon import __version__
from bimcarbon.errors import OutputError
from bimcarbon.summary import summarise
from bimcarbon.takeoff import TakeOff

#: Version of the take-off JSON layout; bumped when a field changes meaning or disappears.
TAKEOFF_JSON_FORMAT = 1

SUPPORTED_SUFFIXES = (".csv", ".xlsx", ".json")


def write_takeoff(takeoff: TakeOff, path: str | Path) -> list[Path]:
    """Write the take-off to ``path``; the format follows the extension.

    ``.csv`` writes the table, plus ``<name>.excluded.csv`` when elements were excluded.
    ``.xlsx`` writes sheets for the table, the exclusions, quantity checks, units and provenance.
    ``.json`` writes everything in one document.

    Parameters
    ----------
    takeoff
        The take-off to write.
    path
        Output file.

    Returns
    -------
    list of Path
        Files written.

    Raises
    ------
    OutputError
        Unknown extension or a file that cannot be written.
    """
    path = check_output_path(path)
    suffix = path.suffix.lower()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if suffix == ".csv":
            return _write_csv(takeoff, path)
        if suffix == ".xlsx":
            _write_xlsx(takeoff, path)
        else:
            path.write_text(json.dumps(takeoff_document(takeoff), indent=1, ensure_ascii=False), "utf-8")
    except OSError as exc:
        raise OutputError(f"cannot be written ({exc.strerror or exc})", path) from exc
    return [path]


def check_output_path(path: str | Path) -> Path:
    """Return ``path`` if its extension is one we write, else raise :class:`OutputError`."""
    path = Path(path)
    if path.suffix.lower() not in SUPPORTED_SUFFIXES:
        suffix = path.suffix or "(none)"
        raise OutputError(f"unknown output format {suffix}; use .csv, .xlsx or .json", path)
    return path


def provenance(takeoff: TakeOff) -> dict[str, object]:
    """Who made the take-off, from what, with which options."""
    return {
        "tool": "bimcarbon",
        "tool_version": __version__,
        "created_utc": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "model_path": takeoff.model_path,
        "model_sha256": takeoff.sha256,
        "schema": takeoff.schema,
        "parameters": dict(takeoff.parameters),
    }


def takeoff_document(takeoff: TakeOff) -> dict[str, object]:
    """The whole take-off as a JSON-ready dictionary (NaN becomes null, flags become lists)."""
    rows = _records(takeoff.table)
    for row in rows:
        row["flags"] = [f for f in (row.get("flags") or "").split(";") if f]
    return {
        "format": "bimcarbon.takeoff",
        "format_version": TAKEOFF_JSON_FORMAT,
        "provenance": provenance(takeoff),
        "units": takeoff.units.as_rows(),
        "summary": summarise(takeoff).model_dump(),
        "rows": rows,
        "excluded": _records(takeoff.excluded),
        "quantity_checks": _records(takeoff.checks),
        "warnings": list(takeoff.warnings),
    }


def _records(frame: pd.DataFrame) -> list[dict[str, object]]:
    records = frame.astype(object).to_dict(orient="records")
    return [{k: _clean(v) for k, v in r.items()} for r in records]


def _clean(value: object) -> object:
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


def _write_csv(takeoff: TakeOff, path: Path) -> list[Path]:
    takeoff.table.to_csv(path, index=False)
    written = [path]
    if len(takeoff.excluded):
        excluded = path.with_name(f"{path.stem}.excluded.csv")
        takeoff.excluded.to_csv(excluded, index=False)
        written.append(excluded)
    return written


def _write_xlsx(takeoff: TakeOff, path: Path) -> None:
    book = Workbook()
    about = book.active
    about.title = "About"
    meta = provenance(takeoff)
    about_rows = [(k, v) for k, v in meta.items() if k != "parameters"]
    about_rows += [(f"parameter: {k}", v) for k, v in takeoff.parameters.items()]
    about_rows += [("warning", w) for w in takeoff.warnings]
    _sheet(about, ["item", "value"], about_rows)
    _frame_sheet(book.create_sheet("Take-off"), takeoff.table)
    _frame_sheet(book.create_sheet("Excluded"), takeoff.excluded)
    _frame_sheet(book.create_sheet("Quantity checks"), takeoff.checks)
    _frame_sheet(book.create_sheet("Units"), pd.DataFrame(takeoff.units.as_rows()))
    book.save(path)


def _frame_sheet(sheet, frame: pd.DataFrame) -> None:
    rows = [[_clean(v) for v in row] for row in frame.astype(object).itertuples(index=False)]
    _sheet(sheet, list(frame.columns), rows)


def _sheet(sheet, header: list[str], rows: list) -> None:
    """Append a header and rows. These sheets hold data only: a string that openpyxl would take for a
    formula (text from the model starting with ``=``) is stored as text."""
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        # Control characters are legal in IFC text (\X2\ escapes) but not in XLSX: drop them.
        sheet.append([ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in row])
        for cell in sheet[sheet.max_row]:
            if cell.data_type == "f":
                cell.data_type = "s"
    sheet.freeze_panes = "A2"
    for i, name in enumerate(header, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = max(10, min(48, len(str(name)) + 4))
