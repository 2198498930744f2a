"""Output files checked before any work: a run that takes minutes must not end in "cannot write";
and files written whole or not at all (caches read by other processes)."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from bimcarbon.errors import OutputError


def check_writable(path: Path, what: str) -> None:
    """Refuse, in one line naming the file, an output that is a folder or whose folder cannot be created
    or written to (checked by creating, then removing, a file there).

    Parameters
    ----------
    path
        The file to be written later.
    what
        Names it in the line (``the --lcax file``).

    Raises
    ------
    OutputError
        With ``path`` named.
    """
    if path.is_dir():
        raise OutputError(f"{what} is a folder; give a file name", path)
    existing = next((folder for folder in path.parents if folder.exists()), None)
    if existing is not None and not existing.is_dir():
        raise OutputError(f"{what} cannot be written: {existing} is a file, not a folder", path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, probe = tempfile.mkstemp(prefix=".bimcarbon-", suffix=path.suffix, dir=path.parent)
        os.close(handle)
        os.unlink(probe)
    except OSError as exc:
        raise OutputError(f"{what} cannot be written ({exc.strerror or exc})", path) from None


def write_whole(target: Path, data: bytes, folder_mode: int = 0o700) -> None:
    """Write ``data`` to ``target`` whole or not at all, also with other processes writing: into a
    temporary file beside it, then renamed. Missing folders are made with ``folder_mode`` (private by
    default: the user's cache)."""
    target.parent.mkdir(mode=folder_mode, parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, target)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
