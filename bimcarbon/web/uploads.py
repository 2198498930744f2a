"""Receiving an uploaded model safely: a size limit while copying, and the content checked whatever
the file is called (an IFC STEP header, or a zip holding one IFC within size and ratio limits).

The small files are checked by content too: an energy file must be an energy file and a mapping file a
mapping file (one in the other's slot is refused, saying so), and every refusal names the file as it was
uploaded, never the server's copy (:func:`check_energy`, :func:`check_mapping`). :func:`input_names` is
how a run's outputs name its inputs.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import zipfile
from pathlib import Path
from typing import BinaryIO

import yaml

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


#: How the outputs name energy figures typed in the web app (no file was uploaded).
TYPED_ENERGY = "energy figures given in the web app"
#: How the outputs name choices of factors given on a run's page.
WEB_CHOICES = "choices given in the web app"


def shown_name(filename: str | None, default: str) -> str:
    """An uploaded file's name as the outputs and messages show it: no folder, no control character,
    at most 200 characters (``default`` when nothing is left)."""
    base = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    return "".join(c for c in base if c.isprintable()).strip()[:200] or default


def named(message: str, paths: dict[Path, str]) -> str:
    """``message`` with each path in ``paths`` (as given or resolved) replaced by its shown name (the
    longest first, so that ``x.ifc`` does not eat the start of ``x.ifczip``)."""
    pairs = {text: shown for path, shown in paths.items() for text in (str(path.resolve()), str(path))}
    for text in sorted(pairs, key=len, reverse=True):
        message = message.replace(text, pairs[text])
    return message


def _document(path: Path) -> object:
    """The parsed YAML (or JSON) document, None when it cannot be parsed (the loader says why)."""
    from bimcarbon.datafile import load_yaml

    try:
        return load_yaml(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None


def _energy_keys() -> set[str]:
    from bimcarbon.energy import EnergyInput

    return set(EnergyInput.model_fields) - {"project", "location"}


def check_energy(path: Path, shown: str) -> None:
    """Refuse an energy file (at ``path``, uploaded as ``shown``) that is not one, with a line naming
    the upload: a mapping file, a field that does not validate, a figure no building reaches."""
    from bimcarbon.energy import load_energy

    document = _document(path)
    if isinstance(document, dict) and "rules" in document:
        raise UploadError(
            "{name} looks like a mapping file (it has 'rules'), not an energy file: "
            "choose it as the mapping file",
            values={"name": shown},
        )
    try:
        load_energy(path)
    except BimcarbonError as exc:
        raise UploadError(named(str(exc), {path: shown})) from None


def check_mapping(path: Path, shown: str) -> None:
    """Refuse a mapping file (at ``path``, uploaded as ``shown``) that is not one: it must have
    ``rules`` and validate as a rule set; an energy file here is refused saying it looks like one."""
    from bimcarbon.rules import load_rules

    document = _document(path)
    if isinstance(document, dict) and "rules" not in document:
        energy_keys = sorted(set(document) & _energy_keys())
        if energy_keys:
            raise UploadError(
                "{name} looks like an energy file (it has {keys}), not a mapping file: "
                "choose it as the energy file",
                values={"name": shown, "keys": ", ".join(energy_keys[:4])},
            )
        raise UploadError("{name} is not a mapping file: it has no 'rules' list", values={"name": shown})
    try:
        load_rules(path)
    except BimcarbonError as exc:
        raise UploadError(named(str(exc), {path: shown})) from None


def document_digest(path: Path) -> str | None:
    """SHA-256 of a YAML document's values (not its bytes: the same figures written again match)."""
    document = _document(path)
    if document is None:
        return None
    text = json.dumps(document, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def input_names(parameters: dict, folder: Path) -> dict[str, object]:
    """How a run's outputs (JSON ``parameters``, the workbook) name its energy file and mapping: the
    names they were uploaded under, never the run folder's copies (``energy.yaml``, ``mapping_in.yaml``).

    An energy file whose figures were edited on a run's page says so, figures typed in the upload form
    are :data:`TYPED_ENERGY`, and the choices given on a run's page are :data:`WEB_CHOICES`. A run
    uploaded before the names were recorded keeps the outputs as they are (empty result).
    """
    from bimcarbon.web.rerun import applied_choices

    names: dict[str, object] = {}
    energy, mapping = folder / "energy.yaml", folder / "mapping_in.yaml"
    if "energy_name" in parameters and energy.exists():
        name = parameters["energy_name"]
        if name and parameters.get("energy_digest") not in (None, document_digest(energy)):
            name = f"{name} (figures edited in the web app)"
        names["energy_file"] = name or TYPED_ENERGY
    if "mapping_name" in parameters and mapping.exists():
        uploaded = parameters["mapping_name"]
        choices = bool(applied_choices(folder))
        names["mappings"] = [
            f"{uploaded} + {WEB_CHOICES}" if uploaded and choices else uploaded or WEB_CHOICES
        ]
    return names
