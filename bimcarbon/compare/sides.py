"""The two sides of a comparison: an assessment JSON checked before it is compared, read from a file or
made now from an IFC model with the same inputs as the other side.

An assessment made before format 3 holds no per-element results: it is refused with one line naming the
file, the bimcarbon that made it and what to do (assess it again), never a traceback.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from bimcarbon.errors import ComparisonInputError

#: File names of IFC models (assessed now) and of assessment JSON files.
MODEL_SUFFIXES = (".ifc", ".ifczip")
JSON_SUFFIXES = (".json",)


@dataclass
class Inputs:
    """What both models of a comparison are assessed with (``bimcarbon.assess.assess``'s arguments)."""

    energy: Path | None = None
    variant_energy: Path | None = None
    mappings: tuple[Path, ...] = ()
    factor_files: tuple[Path, ...] = ()
    criteria: str | None = None
    accept_incomplete: bool = False
    cache_dir: Path | None = None

    def given(self) -> bool:
        """Whether any input for assessing a model was given."""
        return bool(
            self.energy
            or self.variant_energy
            or self.mappings
            or self.factor_files
            or self.criteria
            or self.accept_incomplete
        )


def checked(document: object, name: str | Path) -> dict:
    """``document`` if it is a whole assessment of format 3 (with its elements), else one refusal line.

    Parameters
    ----------
    document
        An assessment JSON (a dict), or a :class:`bimcarbon.assess.Assessment`.
    name
        How the refusal names it (the file, a run).

    Raises
    ------
    ComparisonInputError
        Not an assessment, made by a bimcarbon before per-element results (format 2 and older) or by a
        newer one, or not whole.
    """
    from bimcarbon.assess import ASSESSMENT_FORMAT_VERSION, Assessment
    from bimcarbon.datafile import field_error

    if isinstance(document, Assessment):
        return document.model_dump(mode="json")
    if not isinstance(document, dict) or document.get("format") != "bimcarbon.assessment":
        found = document.get("format") if isinstance(document, dict) else type(document).__name__
        raise ComparisonInputError(
            f"not an assessment JSON (format {found!r}; write one with bimcarbon assess --json)", name
        )
    version = document.get("format_version")
    made_by = f"made by bimcarbon {document.get('tool_version', '?')}, format {version}"
    if not isinstance(version, int) or version > ASSESSMENT_FORMAT_VERSION:
        raise ComparisonInputError(
            f"{made_by}: newer than this bimcarbon reads (format {ASSESSMENT_FORMAT_VERSION}); "
            "update bimcarbon",
            name,
        )
    if version < 3 or not isinstance(document.get("elements"), list):
        raise ComparisonInputError(f"{made_by}: no per-element results; assess it again", name)
    try:
        Assessment.model_validate(document)
    except ValidationError as exc:
        raise ComparisonInputError(f"not a whole assessment ({field_error(exc)})", name) from None
    return document


def read_json(path: Path) -> dict:
    """An assessment JSON file, checked (:func:`checked`)."""
    if not path.is_file():
        raise ComparisonInputError("file not found" if not path.exists() else "is not a file", path)
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ComparisonInputError(f"not valid JSON ({str(exc).splitlines()[0]})", path) from None
    return checked(document, path)


def kind(path: Path) -> str:
    """``model`` or ``json`` by the file's name; anything else is refused."""
    name = path.name.lower()
    if name.endswith(MODEL_SUFFIXES):
        return "model"
    if name.endswith(JSON_SUFFIXES):
        return "json"
    raise ComparisonInputError(
        "expected an IFC model (.ifc, .ifczip) or an assessment JSON (.json, from bimcarbon assess --json)",
        path,
    )


def load(path: Path, inputs: Inputs, variant: bool = False) -> tuple[dict, bool]:
    """One side: the assessment JSON of ``path`` and whether it was assessed now (a model) or read.

    A model is assessed with ``inputs`` (the variant with ``variant_energy`` when given, else ``energy``),
    in a child process (a parser crash is one line), keeping the take-off in ``cache_dir`` if given.
    """
    if kind(path) == "json":
        return read_json(path), False
    from bimcarbon.assess import assess
    from bimcarbon.criteria import DEFAULT_PACK

    energy = inputs.variant_energy if variant and inputs.variant_energy is not None else inputs.energy
    run = assess(
        path,
        energy,
        list(inputs.mappings),
        list(inputs.factor_files),
        inputs.criteria or DEFAULT_PACK,
        cache_dir=inputs.cache_dir,
        isolated=True,
        accept_incomplete=inputs.accept_incomplete,
    )
    return run.assessment.model_dump(mode="json"), True


def load_sides(base: Path, variant: Path, inputs: Inputs) -> tuple[dict, dict, tuple[bool, bool]]:
    """Both sides, each read from its JSON or assessed now from its model, and which were assessed now.

    Both files are checked (found, of a known kind) before either is assessed; options for models given
    when neither side is a model are refused (they would change nothing), and so is one file given as
    both sides, but for a model with ``--variant-energy`` (the same design with other energy figures).
    """
    kinds = []
    for path in (base, variant):
        kinds.append(kind(path))
        if not path.exists():
            raise ComparisonInputError("file not found", path)
    if "model" not in kinds and inputs.given():
        raise ComparisonInputError(
            "--energy, --variant-energy, --mapping, --factors, --criteria and --accept-incomplete apply "
            "to IFC models, and both sides are assessment JSON files (compared as they were assessed)"
        )
    if inputs.variant_energy is not None and kinds[1] != "model":
        raise ComparisonInputError("--variant-energy applies to a variant that is an IFC model", variant)
    if _same_file(base, variant) and inputs.variant_energy is None:
        raise ComparisonInputError(
            "is both the base and the variant: nothing would differ (a model compared with itself needs "
            "--variant-energy)",
            variant,
        )
    a, now_a = load(base, inputs)
    b, now_b = load(variant, inputs, variant=True)
    return a, b, (now_a, now_b)


def _same_file(a: Path, b: Path) -> bool:
    """Whether two paths name one file (also through links or another spelling of the path)."""
    try:
        return a.samefile(b)
    except OSError:
        return False
