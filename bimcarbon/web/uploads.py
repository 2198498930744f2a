"""Receiving an uploaded model safely: a size limit while copying, and the content checked whatever
the file is called (an IFC STEP header, or a zip holding one IFC within size and ratio limits)."""

from __future__ import annotations

import hashlib
import os
import tempfile
import zipfile
from pathlib import Path
from typing import BinaryIO

from bimcarbon.errors import BimcarbonError
from bimcarbon.ifc.reader import MAX_ZIP_RATIO  # one limit for uploads and for the reader

MAX_ZIP_MEMBERS = 100
CHUNK = 1 << 20


class UploadError(BimcarbonError):
    """An upload is refused (too large, not an IFC, a zip bomb ...); ``status`` is the HTTP status."""

    def __init__(self, message: str, path=None, status: int | None = None) -> None:
        super().__init__(message, path)
        self.status = status or (413 if "larger than" in message else 400)


def receive(source: BinaryIO, target_dir: Path, max_bytes: int) -> tuple[Path, str, int, str]:
    """Copy an upload to a temporary file in ``target_dir``, counting bytes, and check its content.

    Returns
    -------
    path, sha256, size, kind
        ``kind`` is ``ifc`` or ``ifczip``: what the content is, not what the name says.

    Raises
    ------
    UploadError
        Larger than ``max_bytes``, empty, not an IFC, or an unsafe zip.
    """
    digest = hashlib.sha256()
    size = 0
    handle, name = tempfile.mkstemp(dir=target_dir, prefix=".incoming-")
    temporary = Path(name)
    try:
        with os.fdopen(handle, "wb") as out:
            while chunk := source.read(CHUNK):
                size += len(chunk)
                if size > max_bytes:
                    raise UploadError(f"the file is larger than the limit of {max_bytes // (1 << 20)} MB")
                digest.update(chunk)
                out.write(chunk)
        if size == 0:
            raise UploadError("the file is empty")
        kind = content_kind(temporary, max_unzipped_bytes=max_bytes * 20)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return temporary, digest.hexdigest(), size, kind


def content_kind(path: Path, max_unzipped_bytes: int) -> str:
    """``ifc`` or ``ifczip`` from the bytes; :class:`UploadError` for anything else."""
    with path.open("rb") as handle:
        head = handle.read(512)
    if head.startswith(b"PK\x03\x04"):
        _check_zip(path, max_unzipped_bytes)
        return "ifczip"
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"ISO-10303-21"):
        return "ifc"
    raise UploadError("not an IFC file (no ISO-10303-21 header, and not an .ifczip)")


def _check_zip(path: Path, max_unzipped_bytes: int) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            members = [m for m in archive.infolist() if not m.is_dir()]
            if len(members) > MAX_ZIP_MEMBERS:
                raise UploadError(
                    f"the zip holds {len(members)} files; at most {MAX_ZIP_MEMBERS} are accepted"
                )
            ifc = [m for m in members if m.filename.lower().endswith(".ifc")]
            if len(ifc) != 1:
                raise UploadError(f"an .ifczip must hold exactly one .ifc file (it holds {len(ifc)})")
            total = sum(m.file_size for m in members)
            packed = sum(m.compress_size for m in members) or 1
            if total > max_unzipped_bytes or total / packed > MAX_ZIP_RATIO:
                raise UploadError("the zip expands too much (a zip bomb?): refused")
            with archive.open(ifc[0]) as member:
                head = member.read(512)
            if not head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"ISO-10303-21"):
                raise UploadError("the .ifc inside the zip is not an IFC file")
    except zipfile.BadZipFile as exc:
        raise UploadError(f"unreadable zip ({exc})") from None
