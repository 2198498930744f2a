"""Reading YAML data files and turning validation errors into one line naming the field.

Building Python values from YAML costs tens of milliseconds for the factor and rule files shipped
with bimcarbon, more than a small model's whole take-off, so their values are kept in the user's cache
folder (:func:`user_cache_dir`), keyed by the SHA-256 of the file's bytes and the loader: an edited file
is read again, and a cache that cannot be read or written is simply not used. Only the shipped files
are cached (a user's files are small, and uploads must not fill the cache), and with :mod:`marshal`,
which builds plain values and never runs code, rather than pickle.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
from pathlib import Path
from types import UnionType
from typing import TypeVar, Union, get_args, get_origin

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from bimcarbon.errors import BimcarbonError, FactorFileError
from bimcarbon.output_files import write_whole

ModelT = TypeVar("ModelT", bound=BaseModel)

# libyaml's C loader reads the bundled data files about ten times faster than the pure-Python one;
# both build the same plain Python values and refuse the same unsafe tags.
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_PACKAGE = Path(__file__).resolve().parent

#: Folders of the data shipped with bimcarbon (installed, and in a source checkout): only these are cached.
BUNDLED_DATA: tuple[Path, ...] = (_PACKAGE / "data", _PACKAGE.parent / "factors")


class DataModel(BaseModel):
    """A record of a bimcarbon data file: a key the model does not declare is refused, except the
    Chinese of a declared text field, ``<field>_zh`` beside ``<field>``.

    The Chinese texts are kept apart in :attr:`zh` (field -> Chinese; not part of the record's JSON), for
    the Chinese workbook (:mod:`bimcarbon.report.workbook.data_zh`). A record that declares a ``*_zh``
    field itself (``name_zh``, ``reason_zh``) keeps it as any other field.
    """

    model_config = ConfigDict(extra="forbid")

    zh: dict[str, str] = Field(default_factory=dict, exclude=True, repr=False)

    @model_validator(mode="before")
    @classmethod
    def _set_aside_chinese(cls, data: object) -> object:
        if not isinstance(data, dict):
            return data
        kept: dict = {}
        chinese: dict[str, str] = {}
        for key, value in data.items():
            base = key[:-3] if isinstance(key, str) and key.endswith("_zh") else None
            if base is None or key in cls.model_fields or base not in cls.model_fields or base == "zh":
                kept[key] = value
                continue
            if not _is_text_field(cls.model_fields[base].annotation):
                raise ValueError(f"{key}: only a text field has a Chinese text, and {base} is not text")
            if not isinstance(value, str):
                raise ValueError(f"{key} must be text (the Chinese of {base})")
            if not isinstance(data.get(base), str) or not data[base].strip():
                raise ValueError(f"{key} has no {base} beside it (the Chinese of which text?)")
            chinese[base] = value
        if chinese:
            kept["zh"] = chinese
        return kept


def _is_text_field(annotation: object) -> bool:
    """Whether a field holds text (``str`` or ``str | None``)."""
    return annotation is str or (get_origin(annotation) in (Union, UnionType) and str in get_args(annotation))


def load_yaml(text: str) -> object:
    """The YAML document in ``text`` as plain Python values (safe loader; C version when present)."""
    return yaml.load(text, Loader=SAFE_LOADER)


def user_cache_dir() -> Path:
    """``BIMCARBON_CACHE_DIR``, else ``$XDG_CACHE_HOME/bimcarbon``, else ``~/.cache/bimcarbon``."""
    if os.environ.get("BIMCARBON_CACHE_DIR"):
        return Path(os.environ["BIMCARBON_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "bimcarbon"


def cache_file(path: Path, raw: bytes) -> Path | None:
    """Where the parsed values of ``path`` (whose bytes are ``raw``) are cached; None if not cached."""
    resolved = path.resolve()
    if not any(resolved.is_relative_to(folder) for folder in BUNDLED_DATA):
        return None
    loader = "c" if SAFE_LOADER is not yaml.SafeLoader else "py"
    name = f"{hashlib.sha256(raw).hexdigest()}-{loader}yaml{yaml.__version__}.marshal"
    return user_cache_dir() / "data" / name


def _parse_cached(path: Path, raw: bytes) -> object:
    """The YAML document in ``raw`` (UTF-8), from the cache when the same bytes were parsed before."""
    cached = None
    with contextlib.suppress(Exception):  # no home folder, odd path: no cache, same values
        cached = cache_file(path, raw)
    if cached is not None:
        with contextlib.suppress(Exception), cached.open("rb") as stream:  # missing or unreadable
            return marshal.load(stream)
    document = load_yaml(raw.decode("utf-8"))
    if cached is not None:
        with contextlib.suppress(Exception):  # read-only, full, or values marshal cannot hold
            write_whole(cached, marshal.dumps(document))
    return document


def read_yaml_mapping(path: Path, error: type[BimcarbonError] = FactorFileError, what: str = "file") -> dict:
    """The YAML document at ``path`` as a mapping, or ``error`` naming the file and the problem."""
    if not path.is_file():
        raise error(f"{what} not found", path)
    try:
        document = _parse_cached(path, path.read_bytes())
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise error(f"not valid YAML ({str(exc).splitlines()[0]})", path) from None
    if not isinstance(document, dict):
        raise error("expected a mapping of fields", path)
    return document


def load_validated(path: Path, model: type[ModelT], what: str) -> ModelT:
    """The YAML mapping at ``path`` validated as ``model``; any problem is a :class:`FactorFileError`
    with one line naming the file (and the first invalid field)."""
    document = read_yaml_mapping(path, what=what)
    try:
        return model(**document)
    except (ValidationError, TypeError) as exc:
        raise FactorFileError(field_error(exc), path) from None


def field_error(exc: ValidationError | TypeError, label: str = "field") -> str:
    """``field 'a.b': message`` for the first error of a pydantic validation (or a TypeError)."""
    if isinstance(exc, ValidationError):
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ())) or "?"
        return f"{label} {where!r}: {first.get('msg', 'invalid')}"
    return str(exc)
