"""One building of a park: assessed exactly as ``bimcarbon assess`` does, or failed with its reason.

:func:`assess_building` is what an executor maps over the park's buildings (local processes or Dask
workers import it by name): its task and its outcome are plain, picklable records, and it never
raises for a bad building. Outcomes are cached under the park's cache folder by the model's SHA-256
and a digest of every input that changes the building's result, so a park whose only change is its
own energy or its criteria re-evaluates without assessing a building again.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

from bimcarbon import __version__
from bimcarbon.errors import BimcarbonError
from bimcarbon.file_hash import file_sha256

#: Layout of a cached outcome; raised when it or the digest's recipe changes (older files are ignored).
OUTCOME_CACHE_FORMAT = 1


@dataclass(frozen=True)
class BuildingTask:
    """Everything one building's assessment needs (absolute paths; labels as the park file writes them).

    ``default_grid`` is the park's grid (year, region) for an energy file that names none;
    ``data_digest`` and ``code_digest`` are the digests of bimcarbon's shipped data and of its own source
    (:func:`shipped_data_digest`, :func:`source_digest`), computed once per park; ``cache_dir`` keeps
    outcomes and take-offs (None: no cache); ``folder`` is the park file's
    folder, never shown: error lines name files as the park file writes them.
    """

    name: str
    model: str
    model_label: str
    energy: str
    energy_label: str
    mappings: tuple[str, ...] = ()
    mapping_labels: tuple[str, ...] = ()
    factor_files: tuple[str, ...] = ()
    criteria: str = "cn-zero-carbon-building-draft-2023"
    default_grid: tuple[int | None, str | None] | None = None
    accept_incomplete: bool = False
    geometry: str = "auto"
    quantity_check: str = "sample"
    cache_dir: str | None = None
    data_digest: str = ""
    code_digest: str = ""
    folder: str = ""


class BuildingOutcome(BaseModel):
    """A building's result in the park: ``done`` with its assessment (the dict ``assess --json``
    writes) or ``failed`` with a one-line reason.

    ``cached`` (read from the cache) and ``cache_problem`` (the cache could not be written) are told on
    the console and never written to the park JSON, which is the same whether or not a cache was used.
    """

    name: str
    status: Literal["done", "failed"]
    model: str
    energy: str
    mapping: list[str]
    model_sha256: str | None
    inputs_digest: str | None
    error: str | None
    assessment: dict | None
    cached: bool = Field(default=False, exclude=True)
    cache_problem: str = Field(default="", exclude=True)


def assess_building(task: BuildingTask) -> BuildingOutcome:
    """Assess one building of a park (from the cache when its inputs did not change).

    Calls :func:`bimcarbon.assess.assess` with the same options as ``bimcarbon assess`` (the model
    read in a child process, so that a parser crash is a failed building), plus the park's grid as the
    default. Never raises for a bad building: a missing or unreadable model, energy or mapping file, or
    a bug, is a ``failed`` outcome with its one-line reason.
    """
    labels = {
        "name": task.name,
        "model": task.model_label,
        "energy": task.energy_label,
        "mapping": list(task.mapping_labels),
    }
    model_sha = _sha256_or_none(Path(task.model))
    digest = inputs_digest(task)
    cached = read_cached(task, model_sha, digest)
    if cached is not None:
        return BuildingOutcome(
            **labels,
            status="done",
            model_sha256=model_sha,
            inputs_digest=digest,
            error=None,
            assessment=cached,
            cached=True,
        )
    try:
        assessment = _assess(task)
    except BimcarbonError as exc:
        return _failed(task, labels, model_sha, digest, _reason(task, exc))
    except Exception as exc:  # a bug: this building fails with its one line, the park goes on
        return _failed(
            task,
            labels,
            model_sha,
            digest,
            f"internal error: {type(exc).__name__}: {_relative(task, str(exc))}",
        )
    problem = write_cached(task, model_sha, digest, assessment)
    return BuildingOutcome(
        **labels,
        status="done",
        model_sha256=model_sha,
        inputs_digest=digest,
        error=None,
        assessment=assessment,
        cache_problem=problem,
    )


def _assess(task: BuildingTask) -> dict:
    """The building's assessment JSON, as ``bimcarbon assess --json`` writes it."""
    from bimcarbon.assess import assess  # the pipeline (and ifcopenshell) only where buildings run

    run = assess(
        task.model,
        task.energy,
        [Path(p) for p in task.mappings],
        [Path(p) for p in task.factor_files],
        task.criteria,
        task.geometry,  # type: ignore[arg-type]
        cache_dir=takeoff_cache(task),
        isolated=True,
        quantity_check=task.quantity_check,  # type: ignore[arg-type]
        accept_incomplete=task.accept_incomplete,
        default_grid=task.default_grid,
    )
    return json.loads(run.assessment.model_dump_json())


def _failed(
    task: BuildingTask, labels: dict, model_sha: str | None, digest: str | None, reason: str
) -> BuildingOutcome:
    return BuildingOutcome(
        **labels,
        status="failed",
        model_sha256=model_sha,
        inputs_digest=digest,
        error=" ".join(reason.split()),  # one line
        assessment=None,
    )


def _reason(task: BuildingTask, exc: BimcarbonError) -> str:
    """The error's line with its file named as the park file writes it (never a path on this machine)."""
    if exc.path is None:
        return _relative(task, exc.message)
    names = {
        str(Path(task.model)): task.model_label,
        str(Path(task.energy)): task.energy_label,
        **{str(Path(p)): label for p, label in zip(task.mappings, task.mapping_labels, strict=True)},
    }
    where = names.get(str(exc.path), _relative(task, str(exc.path)))
    return f"{where}: {_relative(task, exc.message)}"


def _relative(task: BuildingTask, text: str) -> str:
    """``text`` with the park folder's path taken out of any path it holds."""
    if not task.folder:
        return text
    return text.replace(str(Path(task.folder)) + os.sep, "").replace(str(Path(task.folder)), ".")


def _sha256_or_none(path: Path) -> str | None:
    """SHA-256 of a file's bytes; None when it cannot be read (the assessment then says why)."""
    try:
        return file_sha256(path)
    except OSError:
        return None


def _pack_file(criteria: str) -> Path:
    from bimcarbon.criteria import pack_path

    return pack_path(criteria)


def inputs_digest(task: BuildingTask) -> str | None:
    """SHA-256 of every input besides the model that changes the building's result: the energy,
    mapping, factor and criteria files' bytes and names, the park's default grid, the options, the
    shipped data, bimcarbon's own source and its version. None when a file cannot be read (nothing is
    cached then)."""
    files = [
        ("energy", task.energy_label, Path(task.energy)),
        *[("mapping", label, Path(p)) for p, label in zip(task.mappings, task.mapping_labels, strict=True)],
        *[("factors", Path(p).name, Path(p)) for p in task.factor_files],
        (
            "criteria",
            task.criteria if not Path(task.criteria).suffix else Path(task.criteria).name,
            _pack_file(task.criteria),
        ),
    ]
    hashed = []
    for kind, label, path in files:
        sha = _sha256_or_none(path)
        if sha is None:
            return None
        hashed.append([kind, Path(label).name, sha])
    recipe = {
        "format": OUTCOME_CACHE_FORMAT,
        "version": __version__,
        "code": task.code_digest,
        "data": task.data_digest,
        "model_name": Path(task.model_label).name,
        "files": hashed,
        "default_grid": list(task.default_grid) if task.default_grid else None,
        "accept_incomplete": task.accept_incomplete,
        "geometry": task.geometry,
        "quantity_check": task.quantity_check,
    }
    return hashlib.sha256(json.dumps(recipe, sort_keys=True).encode("utf-8")).hexdigest()


def shipped_data_digest() -> str:
    """SHA-256 over bimcarbon's shipped data files (factors, rules, criteria packs): an edited data file
    in a source checkout must not be answered from a cache written before the edit."""
    from bimcarbon.factors import factors_dir

    root = factors_dir()
    digest = hashlib.sha256()
    for path in sorted(
        p for p in root.rglob("*") if p.is_file() and "local" not in p.relative_to(root).parts
    ):
        digest.update(path.relative_to(root).as_posix().encode("utf-8") + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def source_digest() -> str:
    """SHA-256 over bimcarbon's own source files (``bimcarbon/**/*.py``): in an editable install the code
    changes without the version, and a cache written by other code must not answer (outcomes and
    take-offs alike)."""
    root = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*.py")):
        digest.update(path.relative_to(root).as_posix().encode("utf-8") + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def takeoff_cache(task: BuildingTask) -> Path | None:
    """Where the building's take-off is kept: ``takeoff/<code digest, 16 hex>/`` under the cache folder
    (the take-off cache of ``assess`` is keyed by the bimcarbon version, not its code)."""
    if task.cache_dir is None:
        return None
    return Path(task.cache_dir) / "takeoff" / (task.code_digest[:16] or "any")


def cache_problem(cache_dir: str | Path) -> str:
    """Why nothing can be kept in ``cache_dir`` (its ``buildings`` and ``takeoff`` folders created and a
    file written in each), in one line without the path; empty when it can."""
    try:
        for folder in ("buildings", "takeoff"):
            where = Path(cache_dir) / folder
            where.mkdir(parents=True, exist_ok=True)
            with tempfile.TemporaryFile(dir=where):
                pass
    except OSError as exc:
        return f"the cache folder cannot be written ({exc.strerror or type(exc).__name__})"
    return ""


def cache_path(task: BuildingTask, model_sha: str, digest: str) -> Path:
    """Where the outcome of this model with these inputs is kept."""
    return Path(task.cache_dir or ".") / "buildings" / f"{model_sha}-{digest}.json"


def read_cached(task: BuildingTask, model_sha: str | None, digest: str | None) -> dict | None:
    """The cached assessment of this model with these inputs, or None (none, unreadable, no cache)."""
    if task.cache_dir is None or model_sha is None or digest is None:
        return None
    path = cache_path(task, model_sha, digest)
    with contextlib.suppress(OSError, ValueError):
        document = json.loads(path.read_text(encoding="utf-8"))
        if valid_assessment(document):
            return document
    return None  # none, unreadable or not a whole assessment: a miss, assessed again and written anew


def valid_assessment(document: object) -> bool:
    """Whether ``document`` is a whole assessment of this layout (``assess --json``): a cache entry cut
    short or written by hand is not, and would break the roll-up."""
    from pydantic import ValidationError

    from bimcarbon.assess import ASSESSMENT_FORMAT_VERSION, Assessment

    if not isinstance(document, dict) or document.get("format") != "bimcarbon.assessment":
        return False
    if document.get("format_version") != ASSESSMENT_FORMAT_VERSION:
        return False
    try:
        Assessment.model_validate(document)
    except ValidationError:
        return False
    return True


def write_cached(task: BuildingTask, model_sha: str | None, digest: str | None, assessment: dict) -> str:
    """Keep the assessment in the cache, whole or not at all; the problem in one line if it could not be
    written (the park goes on without it)."""
    if task.cache_dir is None or model_sha is None or digest is None:
        return ""
    path = cache_path(task, model_sha, digest)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".outcome-")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                json.dump(assessment, stream)
            os.replace(temporary, path)
        finally:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
    except OSError as exc:
        return f"the cache could not be written ({exc.strerror or exc})"
    return ""
