"""Write the materials report (per-material summary, per-factor components, coverage) to a file."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
from openpyxl import Workbook

from bimcarbon.coverage import Coverage
from bimcarbon.errors import OutputError
from bimcarbon.report.sheets import frame_sheet, records, write_rows
from bimcarbon.report.takeoff_files import check_output_path


def write_materials_report(
    summary: pd.DataFrame,
    components: pd.DataFrame,
    cover: Coverage,
    provenance: dict[str, object],
    path: str | Path,
) -> Path:
    """Write the report; ``.csv`` holds the per-material summary only."""
    path = check_output_path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        suffix = path.suffix.lower()
        if suffix == ".csv":
            summary.to_csv(path, index=False)
        elif suffix == ".json":
            document = {
                "format": "bimcarbon.materials",
                "format_version": 1,
                "provenance": provenance,
                "coverage": cover.model_dump(),
                "materials": records(summary),
                "components": records(components),
            }
            path.write_text(json.dumps(document, indent=1, ensure_ascii=False), "utf-8")
        else:
            book = Workbook()
            about = book.active
            about.title = "Coverage"
            rows = [(k, v) for k, v in provenance.items() if not isinstance(v, dict | list)]
            rows += [(k, v) for k, v in cover.model_dump().items() if k != "unmapped"]
            write_rows(
                about, ["item", "value"], [(k, str(v) if isinstance(v, dict | list) else v) for k, v in rows]
            )
            frame_sheet(book.create_sheet("Materials"), summary)
            frame_sheet(book.create_sheet("Factors per part"), components)
            book.save(path)
    except OSError as exc:
        raise OutputError(f"cannot be written ({exc.strerror or exc})", path) from exc
    return path
