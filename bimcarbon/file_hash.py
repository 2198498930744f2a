"""A file's SHA-256, for the caches and the records that name the model they came from.

Its own module so that what hashes a model (the park's client, the command's cache lookup) need not
import the IFC reader and ifcopenshell with it.
"""

from __future__ import annotations

import hashlib
from pathlib import Path


def file_sha256(path: Path) -> str:
    """SHA-256 of a file's bytes, read in 1 MiB chunks (hex digest; OSError when unreadable)."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
