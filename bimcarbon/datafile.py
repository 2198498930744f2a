"""Reading YAML data files and turning validation errors into one line naming the field."""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import ValidationError

from bimcarbon.errors import BimcarbonError, FactorFileError


def read_yaml_mapping(path: Path, error: type[BimcarbonError] = FactorFileError, what: str = "file") -> dict:
    """The YAML document at ``path`` as a mapping, or ``error`` naming the file and the problem."""
    if not path.is_file():
        raise error(f"{what} not found", path)
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise error(f"not valid YAML ({str(exc).splitlines()[0]})", path) from None
    if not isinstance(document, dict):
        raise error("expected a mapping of fields", path)
    return document


def field_error(exc: ValidationError | TypeError, label: str = "field") -> str:
    """``field 'a.b': message`` for the first error of a pydantic validation (or a TypeError)."""
    if isinstance(exc, ValidationError):
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ())) or "?"
        return f"{label} {where!r}: {first.get('msg', 'invalid')}"
    return str(exc)
