"""The comparison's own settings, data with their reasons (``factors/compare.yaml``)."""

from __future__ import annotations

from pathlib import Path

from pydantic import ConfigDict

from bimcarbon.datafile import DataModel, load_validated
from bimcarbon.factors import FactorSetMetadata, factors_dir
from bimcarbon.lifecycle import SourcedValue

COMPARE_FILE = "compare.yaml"


class CompareSettings(DataModel):
    """Everything in compare.yaml: the position tolerance of pairing by position, with its reason."""

    model_config = ConfigDict(extra="forbid")

    metadata: FactorSetMetadata
    position_tolerance: SourcedValue


def load_settings(path: str | Path | None = None) -> CompareSettings:
    """Load and validate the comparison settings (one line naming the file and field if invalid)."""
    path = Path(path) if path else factors_dir() / COMPARE_FILE
    settings = load_validated(path, CompareSettings, "comparison settings")
    if settings.position_tolerance.unit != "m":
        from bimcarbon.errors import FactorFileError

        raise FactorFileError("position_tolerance.unit must be m", path)
    return settings
