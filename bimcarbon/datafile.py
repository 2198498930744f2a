"""Reading YAML data files and turning validation errors into one line naming the field."""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import ValidationError

from bimcarbon.errors import BimcarbonError, FactorFileError

# libyaml's C loader reads the bundled data files about ten times faster than the pure-Python one;
# both build the same plain Python values and refuse the same unsafe tags.
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(text: str) -> object:
    """The YAML document in ``text`` as plain Python values (safe loader; C version when present)."""
    return yaml.load(text, Loader=SAFE_LOADER)


def read_yaml_mapping(path: Path, error: type[BimcarbonError] = FactorFileError, what: str = "file") -> dict:
    """The YAML document at ``path`` as a mapping, or ``error`` naming the file and the problem."""
    if not path.is_file():
        raise error(f"{what} not found", path)
    try:
        document = load_yaml(path.read_text(encoding="utf-8"))
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
