"""Errors that reach a person as one clear line.

Every error the library raises on purpose derives from :class:`BimcarbonError`. The CLI prints
``str(error)`` (which names the file and the problem) and exits with :attr:`BimcarbonError.exit_code`.
"""

from __future__ import annotations

from pathlib import Path


class BimcarbonError(Exception):
    """Base class: a problem a person can act on, told in one line.

    Parameters
    ----------
    message
        What is wrong, in plain words.
    path
        The file the problem is about, if any; it is put in front of the message.
    """

    exit_code: int = 2

    def __init__(self, message: str, path: str | Path | None = None) -> None:
        self.message = message
        self.path = Path(path) if path is not None else None
        super().__init__(f"{self.path}: {message}" if self.path is not None else message)


class ModelReadError(BimcarbonError):
    """The IFC file cannot be read: missing, empty, truncated, not an IFC, bad zip, unknown schema."""


class ModelContentError(BimcarbonError):
    """The IFC file parses but cannot be assessed (for example it has no IfcProject)."""


class UnitError(BimcarbonError):
    """The model's units cannot be turned into SI."""


class OutputError(BimcarbonError):
    """An output file cannot be written (unknown extension, unwritable folder)."""


class FactorFileError(BimcarbonError):
    """A factor, rule or mapping file is missing or does not validate (names the row and column)."""


class ConservationError(BimcarbonError):
    """An element of the model is neither in the take-off nor excluded (a bug, never a warning)."""


class ComparisonInputError(BimcarbonError):
    """A side of a comparison cannot be compared: not an assessment JSON, or one made before assessments
    kept their elements' results (format 3)."""


class IdsFileError(BimcarbonError):
    """An IDS file (``bimcarbon check --ids``) is missing, not XML or not valid against the IDS 1.0 XSD."""
