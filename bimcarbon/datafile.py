"""Reading YAML data files and turning validation errors into one line naming the field.

Building Python values from YAML costs tens of milliseconds for the bundled factor and rule files, more
than a small model's whole take-off, so the values are kept in the user's cache folder
(:func:`user_cache_dir`), keyed by the SHA-256 of the file's bytes: an edited file is read again, and a
cache that cannot be read or written is simply not used.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import tempfile
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


def user_cache_dir() -> Path:
    """``BIMCARBON_CACHE_DIR``, else ``$XDG_CACHE_HOME/bimcarbon``, else ``~/.cache/bimcarbon``."""
    if os.environ.get("BIMCARBON_CACHE_DIR"):
        return Path(os.environ["BIMCARBON_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "bimcarbon"


def _parse_cached(raw: bytes) -> object:
    """The YAML document in ``raw`` (UTF-8), from the cache when the same bytes were parsed before."""
    name = f"{hashlib.sha256(raw).hexdigest()}-yaml{yaml.__version__}.pickle"
    cached = user_cache_dir() / "data" / name
    # missing, unreadable or stale: parse instead
    with contextlib.suppress(Exception), cached.open("rb") as stream:
        return pickle.load(stream)
    document = load_yaml(raw.decode("utf-8"))
    with contextlib.suppress(OSError, pickle.PicklingError):
        cached.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=cached.parent, suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as stream:
                pickle.dump(document, stream, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, cached)  # whole or not at all, also with other processes writing
        finally:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
    return document


def read_yaml_mapping(path: Path, error: type[BimcarbonError] = FactorFileError, what: str = "file") -> dict:
    """The YAML document at ``path`` as a mapping, or ``error`` naming the file and the problem."""
    if not path.is_file():
        raise error(f"{what} not found", path)
    try:
        document = _parse_cached(path.read_bytes())
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
