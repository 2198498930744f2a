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
    """An upload or a re-run is refused (too large, not an IFC, a zip bomb, an unknown factor ...);
    ``status`` is the HTTP status.

    ``message`` may hold ``{name}`` placeholders filled from ``values``: the unfilled text
    (``template``) is the key of its translation (:data:`bimcarbon.web.i18n.ZH`), so a page can say it
    in the person's language.
    """

    def __init__(
        self, message: str, path=None, status: int | None = None, values: dict | None = None
    ) -> None:
        self.template, self.values = message, dict(values or {})
        text = message.format(**self.values) if self.values else message
        super().__init__(text, path)
        self.status = status or (413 if "larger than" in message else 400)


def megabytes(n_bytes: int) -> str:
    """A size limit in MB as the form and every refusal say it (200 MB is 200 * 2**20 bytes)."""
    return f"{n_bytes / (1 << 20):.3g}"


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
                    raise UploadError(
                        "the file is larger than the limit of {mb} MB", values={"mb": megabytes(max_bytes)}
                    )
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
                    "the zip holds {n} files; at most {most} are accepted",
                    values={"n": len(members), "most": MAX_ZIP_MEMBERS},
                )
            ifc = [m for m in members if m.filename.lower().endswith(".ifc")]
            if len(ifc) != 1:
                raise UploadError(
                    "an .ifczip must hold exactly one .ifc file (it holds {n})", values={"n": len(ifc)}
                )
            total = sum(m.file_size for m in members)
            packed = sum(m.compress_size for m in members) or 1
            if total > max_unzipped_bytes or total / packed > MAX_ZIP_RATIO:
                raise UploadError("the zip expands too much (a zip bomb?): refused")
            with archive.open(ifc[0]) as member:
                head = member.read(512)
            if not head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"ISO-10303-21"):
                raise UploadError("the .ifc inside the zip is not an IFC file")
    except zipfile.BadZipFile as exc:
        raise UploadError("unreadable zip ({why})", values={"why": str(exc)}) from None
