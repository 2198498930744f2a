"""Open an IFC model (``.ifc`` or ``.ifczip``) and check that it can be assessed.

Everything that can go wrong while opening becomes a :class:`~bimcarbon.errors.ModelReadError` or
:class:`~bimcarbon.errors.ModelContentError` with one line naming the file and the problem.
Problems the parser recovers from (an entity unknown to the schema, a dangling reference) are kept
as warnings on the :class:`Model`, and so are two repairs of real exports: a header naming an IFC4X3
edition ifcopenshell does not know (``IFC4X3``, ``IFC4X3_ADD1``, ...) is read as ``IFC4X3_ADD2``
(:mod:`bimcarbon.ifc.header`), and ``*`` written on attributes that are not derived is read as unset
(:mod:`bimcarbon.ifc.repair`).
"""

from __future__ import annotations

import contextlib
import re
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

import ifcopenshell

from bimcarbon.errors import ModelContentError, ModelReadError, UnitError
from bimcarbon.file_hash import file_sha256
from bimcarbon.ifc.header import (
    HEADER_BYTES,
    IFC4X3_ALIASES,
    IFC4X3_READ_AS,
    copy_with_schema_read_as,
    header_schema,
)
from bimcarbon.ifc.repair import unset_misplaced_markers
from bimcarbon.ifc.units import ProjectUnits, project_units

if TYPE_CHECKING:
    from bimcarbon.ifc.geometry import KeptMeshes

#: Schema identifiers bimcarbon reads (ifcopenshell reports IFC4X3 files as IFC4X3_ADD2 etc.).
SUPPORTED_SCHEMA_PREFIXES = ("IFC2X3", "IFC4")

#: What an unsupported-schema error says bimcarbon reads.
SUPPORTED_SCHEMAS_TEXT = (
    f"bimcarbon reads IFC2X3, IFC4 and {IFC4X3_READ_AS} "
    f"(headers naming {', '.join(IFC4X3_ALIASES[:3])} or IFC4X3_RC1-4 are read as {IFC4X3_READ_AS}; "
    "IFC4_ADD1/ADD2/TC1 as IFC4, IFC2X3_TC1 as IFC2X3)"
)

#: Largest compression ratio accepted for the IFC inside an .ifczip. IFC text compresses about 5:1
#: (4.4-5.3 on the public samples and generated models); zip bombs compress a thousand times or more.
MAX_ZIP_RATIO = 200

#: Largest IFC accepted inside an .ifczip, in bytes (the largest real models are a few GB).
MAX_UNZIPPED_BYTES = 16 * 2**30

_STEP_MAGIC = b"ISO-10303-21"
_STEP_TRAILER = b"END-ISO-10303-21"
_ZIP_MAGIC = b"PK\x03\x04"
_LOG_LINE = re.compile(r"^\[(?P<level>\w+)\](?: \[\w+\])? \[[^\]]*\] (?P<text>.*)$")


@dataclass
class Model:
    """An opened IFC model ready for take-off.

    Attributes
    ----------
    path
        The file the person gave.
    ifc
        The ifcopenshell file. Only code in ``bimcarbon.ifc`` touches it.
    schema
        Schema identifier, e.g. ``IFC2X3``, ``IFC4``, ``IFC4X3_ADD2``.
    units
        The project's units and their scales to SI.
    sha256
        Hash of the file's bytes (for caching take-offs).
    warnings
        Problems the parser recovered from, one line each.
    kept_meshes
        World meshes the take-off kept while measuring volumes, for the floor slabs' plan footprints
        (:class:`bimcarbon.ifc.geometry.KeptMeshes`; filled by the take-off, read by
        :mod:`bimcarbon.ifc.footprints`), or None before a take-off.
    """

    path: Path
    ifc: ifcopenshell.file
    schema: str
    units: ProjectUnits
    sha256: str
    warnings: list[str] = field(default_factory=list)
    kept_meshes: KeptMeshes | None = None


def read_model(path: str | Path) -> Model:
    """Open an IFC model and read its units.

    Parameters
    ----------
    path
        A ``.ifc`` (STEP) file or a ``.ifczip`` archive holding one.

    Returns
    -------
    Model

    Raises
    ------
    ModelReadError
        The file is missing, empty, not an IFC, truncated, an unreadable zip or of an unknown schema.
    ModelContentError
        The file parses but has no IfcProject, or its units cannot be read.
    """
    path = Path(path)
    if not path.exists():
        raise ModelReadError("file not found", path)
    if path.is_dir():
        raise ModelReadError("is a folder, not an IFC file", path)
    try:
        with path.open("rb") as handle:
            head = handle.read(512)
    except OSError as exc:
        raise ModelReadError(f"cannot be read ({exc.strerror or exc})", path) from exc
    if not head:
        raise ModelReadError("file is empty", path)
    digest = file_sha256(path)
    with contextlib.ExitStack() as scratch:  # a copy to read, when one is made, lives until here
        if head.startswith(_ZIP_MAGIC):
            step, renamed = _extract_ifc_from_zip(path, scratch)
        else:
            _check_step_text(path, head)
            step, renamed = _schema_read_as(path, scratch)
        ifc, warnings = _open_step(step, shown_as=path)
        if renamed is not None:
            warnings.insert(
                0, f"the header names schema {renamed}, which was read as {ifc.schema_identifier}"
            )
        try:
            unset = unset_misplaced_markers(ifc, step)
        except (OSError, ValueError) as exc:  # mmap refused (an unusual file system)
            unset = f"the file could not be searched for * on attributes that are not derived ({exc})"
        if unset is not None:
            warnings.append(unset)
    schema = str(ifc.schema_identifier if hasattr(ifc, "schema_identifier") else ifc.schema)
    projects = ifc.by_type("IfcProject")
    if not projects:
        dropped = f" ({'; '.join(warnings[:3])})" if warnings else ""
        raise ModelContentError(f"no IfcProject, so not a usable {schema} model{dropped}", path)
    if len(projects) > 1:
        warnings.append(f"{len(projects)} IfcProject entities; units are read from the first")
    try:
        units = project_units(ifc)
    except UnitError as exc:
        raise ModelContentError(f"units cannot be read: {exc.message}", path) from exc
    except (AttributeError, TypeError, ValueError, RuntimeError) as exc:  # wrong values in the units
        raise ModelContentError(f"units cannot be read ({type(exc).__name__}: {exc})", path) from exc
    for info in (units.length, units.area, units.volume, units.mass):
        if info.note and not info.assumed:
            warnings.append(info.note)
    return Model(path=path, ifc=ifc, schema=schema, units=units, sha256=digest, warnings=warnings)


def _check_step_text(path: Path, head: bytes) -> None:
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text.startswith(b"<"):
        raise ModelReadError("looks like XML (ifcXML is not supported); export IFC-SPF", path)
    if not text.startswith(_STEP_MAGIC):
        raise ModelReadError("not an IFC file (no ISO-10303-21 header)", path)
    size = path.stat().st_size
    with path.open("rb") as handle:
        handle.seek(max(0, size - 4096))
        tail = handle.read()
    if _STEP_TRAILER not in tail:
        raise ModelReadError("file is truncated (no END-ISO-10303-21 at its end)", path)


def _check_expansion(member: zipfile.ZipInfo, path: Path) -> None:
    """Refuse a member that would expand past :data:`MAX_UNZIPPED_BYTES` or :data:`MAX_ZIP_RATIO`.

    The declared size is what counts: Python's zipfile never writes more than it, and checks the CRC.
    """
    size, packed = member.file_size, max(member.compress_size, 1)
    if size > MAX_UNZIPPED_BYTES or size / packed > MAX_ZIP_RATIO:
        raise ModelReadError(
            f"{member.filename} inside the zip would expand from {packed:,} to {size:,} bytes "
            f"(ratio {size / packed:,.0f}:1): refused as a possible zip bomb (limits: "
            f"{MAX_ZIP_RATIO}:1, {MAX_UNZIPPED_BYTES / 2**30:.0f} GiB)",
            path,
        )


def _scratch_copy(scratch: contextlib.ExitStack) -> tuple[BinaryIO, Path]:
    """A file to write a copy of the model into, and the path to open it by, removed when
    ``scratch`` closes.

    On Linux the file has no name (its path is ``/proc/self/fd/N``), so the kernel frees it however
    the process ends: a reader stopped while it copies or parses (a cancelled run) leaves nothing
    in the temporary folder. Elsewhere it is a named file in a temporary folder of its own.
    """
    handle = scratch.enter_context(tempfile.TemporaryFile(prefix="bimcarbon-"))  # noqa: SIM115
    unnamed = Path(f"/proc/self/fd/{handle.fileno()}")
    if unnamed.exists():
        return handle, unnamed
    handle.close()
    folder = Path(scratch.enter_context(tempfile.TemporaryDirectory(prefix="bimcarbon-")))
    handle = scratch.enter_context((folder / "model.ifc").open("w+b"))
    return handle, folder / "model.ifc"


def _schema_read_as(path: Path, scratch: contextlib.ExitStack) -> tuple[Path, str | None]:
    """The file to open: ``path``, or a copy (:func:`_scratch_copy`) when its header names an IFC4X3
    alias.

    Returns the file and the schema name its header gave when it was replaced (else ``None``).
    """
    with path.open("rb") as handle:
        found = header_schema(handle.read(HEADER_BYTES))
    if found is None or found.read_as is None:
        return path, None
    try:
        dst, target = _scratch_copy(scratch)
        with path.open("rb") as src:
            copy_with_schema_read_as(src, dst)
        dst.flush()
    except OSError as exc:
        raise ModelReadError(
            f"header names schema {found.name}; copying the file to read it as {found.read_as} "
            f"failed ({exc.strerror or exc})",
            path,
        ) from exc
    return target, found.name


def _extract_ifc_from_zip(path: Path, scratch: contextlib.ExitStack) -> tuple[Path, str | None]:
    """Extract the .ifc of an .ifczip into a copy (:func:`_scratch_copy`), its header's IFC4X3 alias
    replaced.

    Returns the extracted file and the schema name its header gave when it was replaced.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            members = [m for m in archive.infolist() if m.filename.lower().endswith(".ifc")]
            if not members:
                raise ModelReadError("zip archive holds no .ifc file", path)
            if len(members) > 1:
                names = ", ".join(m.filename for m in members[:3])
                raise ModelReadError(f"zip archive holds {len(members)} .ifc files ({names})", path)
            _check_expansion(members[0], path)
            dst, target = _scratch_copy(scratch)
            with archive.open(members[0]) as src:
                renamed = copy_with_schema_read_as(src, dst)
            dst.flush()
    except zipfile.BadZipFile as exc:
        raise ModelReadError(f"unreadable zip archive ({exc})", path) from exc
    except (OSError, EOFError, zipfile.LargeZipFile) as exc:
        raise ModelReadError(f"unreadable zip archive ({exc})", path) from exc
    with target.open("rb") as handle:
        head = handle.read(512)
    if not head:
        raise ModelReadError(f"{members[0].filename} inside the zip archive is empty", path)
    try:
        _check_step_text(target, head)
    except ModelReadError as exc:
        raise ModelReadError(f"{members[0].filename} inside the zip: {exc.message}", path) from exc
    return target, None if renamed is None else renamed.name


def _open_step(path: Path, shown_as: Path) -> tuple[ifcopenshell.file, list[str]]:
    ifcopenshell.get_log()  # clear what earlier reads left in the log
    try:
        ifc = ifcopenshell.open(str(path), format=".ifc")  # a copy's path has no suffix
    except ifcopenshell.SchemaError as exc:
        raise ModelReadError(
            f"unsupported schema {_schema_named(path, exc)}; {SUPPORTED_SCHEMAS_TEXT}", shown_as
        ) from exc
    except (ifcopenshell.Error, OSError, RuntimeError, UnicodeError) as exc:
        raise ModelReadError(f"cannot be parsed as IFC ({exc})", shown_as) from exc
    schema = str(getattr(ifc, "schema_identifier", ifc.schema))
    if not schema.upper().startswith(SUPPORTED_SCHEMA_PREFIXES):
        raise ModelReadError(f"unsupported schema {schema}; {SUPPORTED_SCHEMAS_TEXT}", shown_as)
    return ifc, _parser_warnings(ifcopenshell.get_log())


def _schema_named(path: Path, exc: Exception) -> str:
    """The schema name a file's header gives (else what ifcopenshell's error says), quoted."""
    try:
        with path.open("rb") as handle:
            found = header_schema(handle.read(HEADER_BYTES))
    except OSError:
        found = None
    name = found.name if found is not None else str(exc).rpartition(":")[2].strip()
    return repr(name)


def _parser_warnings(log: str) -> list[str]:
    """Turn ifcopenshell's parser log into warning lines (errors first, duplicates counted)."""
    lines: list[str] = []
    for raw in log.splitlines():
        match = _LOG_LINE.match(raw.strip())
        if match is None:
            continue
        level = match.group("level")
        if level not in ("error", "warning"):
            continue
        lines.append(f"parser {level}: {match.group('text')}")
    return lines
