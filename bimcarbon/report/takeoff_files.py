"""Write a take-off to CSV, Excel or JSON. Renders only: every number comes from the TakeOff."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd
from openpyxl import Workbook

from bimcarbon import __version__
from bimcarbon.errors import OutputError
from bimcarbon.report.sheets import frame_sheet, records, write_rows
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
    rows = records(takeoff.table)
    for row in rows:
        row["flags"] = [f for f in (row.get("flags") or "").split(";") if f]
    return {
        "format": "bimcarbon.takeoff",
        "format_version": TAKEOFF_JSON_FORMAT,
        "provenance": provenance(takeoff),
        "units": takeoff.units.as_rows(),
        "summary": summarise(takeoff).model_dump(),
        "rows": rows,
        "excluded": records(takeoff.excluded),
        "quantity_checks": records(takeoff.checks),
        "warnings": list(takeoff.warnings),
    }


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
    write_rows(about, ["item", "value"], about_rows)
    frame_sheet(book.create_sheet("Take-off"), takeoff.table)
    frame_sheet(book.create_sheet("Excluded"), takeoff.excluded)
    frame_sheet(book.create_sheet("Quantity checks"), takeoff.checks)
    frame_sheet(book.create_sheet("Units"), pd.DataFrame(takeoff.units.as_rows()))
    book.save(path)
