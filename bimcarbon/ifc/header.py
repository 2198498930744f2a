"""The schema named in an IFC-SPF header, and schema names that ifcopenshell does not know.

ifcopenshell 0.9 knows IFC4X3 only as ``IFC4X3_ADD2``; Revit 2023 writes ``FILE_SCHEMA(('IFC4X3'))``
and other tools write the names of earlier IFC4X3 editions (``IFC4X3_ADD1``, ``IFC4X3_TC1``, the
release candidates ``IFC4X3_RC1`` to ``IFC4X3_RC4``); a few write ``IFC4_ADD2`` or ``IFC2X3_TC1`` for
IFC4 and IFC2X3 (:data:`READ_AS`). ifcopenshell refuses those files before reading
a single entity, so the reader gives it a copy whose header names ``IFC4X3_ADD2``: only the header is
rewritten, the rest of the file is streamed across unchanged.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from typing import BinaryIO

#: The IFC4X3 edition ifcopenshell reads.
IFC4X3_READ_AS = "IFC4X3_ADD2"

#: Header schema names read as :data:`IFC4X3_READ_AS` (compared without case).
IFC4X3_ALIASES = ("IFC4X3", "IFC4X3_ADD1", "IFC4X3_TC1") + tuple(f"IFC4X3_RC{n}" for n in range(1, 5))

#: Every header schema name ifcopenshell refuses that is read as a schema it knows (upper case): the
#: IFC4X3 editions as IFC4X3_ADD2, and the addenda and corrigenda of IFC4 and IFC2X3 some tools write
#: instead of the schema's identifier (the entities are the same).
READ_AS: dict[str, str] = {
    **dict.fromkeys(IFC4X3_ALIASES, IFC4X3_READ_AS),
    **dict.fromkeys(("IFC4_ADD1", "IFC4_ADD2", "IFC4_ADD2_TC1", "IFC4_TC1"), "IFC4"),
    **dict.fromkeys(("IFC2X3_TC1", "IFC2X3_FINAL"), "IFC2X3"),
}

#: Bytes read from the start of a file to find its FILE_SCHEMA (real headers are under 2 KB; a long
#: FILE_DESCRIPTION may take a few KB).
HEADER_BYTES = 64 * 1024

_FILE_SCHEMA = re.compile(rb"FILE_SCHEMA\s*\(\s*\(\s*'(?P<name>[^']*)'", re.IGNORECASE)


@dataclass(frozen=True)
class HeaderSchema:
    """The first schema name of a header's FILE_SCHEMA and where it stands in the file.

    Attributes
    ----------
    name
        The name as written, e.g. ``IFC4X3``.
    start, end
        Byte offsets of the name (inside the quotes) from the start of the file.
    """

    name: str
    start: int
    end: int

    @property
    def read_as(self) -> str | None:
        """The schema ifcopenshell knows that this name is read as (:data:`READ_AS`), else ``None``."""
        return READ_AS.get(self.name.upper())


def header_schema(head: bytes) -> HeaderSchema | None:
    """Find the schema named by FILE_SCHEMA in the first bytes of an IFC-SPF file.

    Parameters
    ----------
    head
        The first bytes of the file (:data:`HEADER_BYTES` are enough).

    Returns
    -------
    HeaderSchema or None
        ``None`` when there is no FILE_SCHEMA before the end of the HEADER section (or of ``head``).
    """
    end_of_header = head.find(b"ENDSEC")
    match = _FILE_SCHEMA.search(head, 0, len(head) if end_of_header < 0 else end_of_header)
    if match is None:
        return None
    name = match.group("name").decode("latin-1").strip()
    return HeaderSchema(name=name, start=match.start("name"), end=match.end("name"))


def copy_with_schema_read_as(source: BinaryIO, target: BinaryIO) -> HeaderSchema | None:
    """Copy an IFC-SPF stream, naming the schema it is read as in its header if it names an alias
    (:data:`READ_AS`).

    Only the schema name in the header changes; the rest is copied in 1 MiB chunks, so a file of
    several GB is never held in memory.

    Parameters
    ----------
    source
        The file, positioned at its start.
    target
        Where the copy is written.

    Returns
    -------
    HeaderSchema or None
        The schema the header named when it was replaced, else ``None`` (a plain copy).
    """
    head = source.read(HEADER_BYTES)
    found = header_schema(head)
    if found is not None and found.read_as is not None:
        head = head[: found.start] + found.read_as.encode("ascii") + head[found.end :]
    else:
        found = None
    target.write(head)
    shutil.copyfileobj(source, target, 1 << 20)
    return found
