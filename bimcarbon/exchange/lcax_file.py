"""The LCAx file: the project data (:func:`bimcarbon.exchange.lcax_export.lcax_project`) read by the
``lcax`` package's own model, validated by it, recalculated by it and written as it serialises it.

``lcax`` is an optional dependency (the ``lcax`` extra: its wheels are for Linux x86-64 with glibc 2.34+,
macOS and Windows only): :func:`check_lcax_target` says so in one line before any work.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING

from bimcarbon.errors import OutputError
from bimcarbon.exchange.lcax_export import UNITS, lcax_project, lcax_totals, module_totals
from bimcarbon.output_files import check_writable

if TYPE_CHECKING:
    from bimcarbon.assess import AssessmentRun

#: Relative difference above which LCAx's own recalculation of a module is reported (float sums only
#: differ in the last digits).
RECALCULATION_TOLERANCE = 1e-9
INSTALL_HINT = "writing LCAx needs the lcax package: pip install 'bimcarbon[lcax]'"


@dataclass
class LcaxWritten:
    """The file written and what a person should know about it (each a warning line)."""

    path: Path
    problems: list[str] = field(default_factory=list)


def check_lcax_target(path: Path) -> Path:
    """Refuse, in one line naming the file and before any work: a name not ending in ``.json``, a folder,
    a folder that cannot be created or written to, or a missing ``lcax`` package (:class:`OutputError`,
    exit code 2)."""
    if path.suffix.lower() != ".json":
        raise OutputError("the --lcax file must end in .json (for example result.lcax.json)", path)
    try:
        import lcax  # noqa: F401
    except ImportError:
        raise OutputError(INSTALL_HINT, path) from None
    check_writable(path, "the --lcax file")
    return path


def write_lcax(run: AssessmentRun, path: Path) -> LcaxWritten:
    """Write the assessment as an LCAx project to ``path``.

    The project data is read by ``lcax.Project`` (the package's model: a mapping it refuses is a bug,
    raised), checked with ``lcax.validate`` against :func:`validation_rules` and recalculated by
    ``lcax.calculate_project``: a rule broken, or a module whose recalculated total differs from the
    assessment's, is returned as a problem. The file is what ``lcax`` serialises, indented.
    """
    import lcax

    data = lcax_project(run, metadata.version("lcax"))
    text = json.dumps(data, ensure_ascii=False, allow_nan=False)
    project = _call(lcax.Project.loads, text)
    broken = _call(lcax.validate, project, _rules(lcax))
    problems = [f"LCAx validation: {r.field}: {r.message}" for r in broken]
    recalculated = json.loads(_call(lcax.calculate_project, _call(lcax.Project.loads, text)).dumps())
    problems += recalculation_problems(module_totals(run.assessment), recalculated.get("results"))
    document = json.loads(project.dumps())
    try:
        path.write_text(json.dumps(document, indent=1, ensure_ascii=False), encoding="utf-8")
    except OSError as exc:
        raise OutputError(f"cannot write the LCAx file ({exc.strerror or exc})", path) from None
    return LcaxWritten(path, problems)


def recalculation_problems(expected: dict[str, float], results: dict | None) -> list[str]:
    """Modules whose total in LCAx's recalculated ``results`` differs from the assessment's (one line
    each, kgCO2e)."""
    got = lcax_totals(results or {})
    problems = []
    for module, value in expected.items():
        other = got.get(module)
        if other is None or not math.isclose(other, value, rel_tol=RECALCULATION_TOLERANCE, abs_tol=1e-6):
            shown = "nothing" if other is None else f"{other:,.3f}"
            problems.append(
                f"LCAx recalculates {module} as {shown} kgCO2e, the assessment says {value:,.3f}: "
                "read the LCAx file's results with care"
            )
    return problems


def validation_rules() -> list[tuple[str, str, dict]]:
    """What bimcarbon's LCAx projects must satisfy, as ``lcax.validate`` rules (level, field, rule):
    China, bimcarbon as the software, GWP, and only the units bimcarbon's factors and carriers use,
    the product's unit and its impact data's declared unit alike. (Rules only on fields every project,
    product and impact data has: lcax 3.8 stops on a missing field.)"""
    units = sorted(set(UNITS.values()) | {"kwh"})
    return [
        ("Project", "location.country", {"equal": "chn"}),
        ("Project", "softwareInfo.lcaSoftware", {"equal": "bimcarbon"}),
        ("Project", "impactCategories", {"includes": "gwp"}),
        ("Product", "unit", {"one_of": units}),
        ("Product", "quantity", {"range": [0.0, 1e15]}),
        ("ImpactData", "declaredUnit", {"one_of": units}),
    ]


def _rules(lcax) -> list:
    return [
        lcax.ValidationSchema(level=getattr(lcax.Level, level), field=name, rule=lcax.ValidationRule(**rule))
        for level, name, rule in validation_rules()
    ]


def _call(function, *args):
    """Call into lcax; a Rust panic (``PanicException``, not an ``Exception``) becomes a RuntimeError so
    that the command line reports it as an internal error in one line."""
    try:
        return function(*args)
    except Exception:
        raise
    except BaseException as exc:  # pyo3's PanicException derives from BaseException
        if type(exc).__name__ == "PanicException":
            raise RuntimeError(f"lcax failed: {exc}") from None
        raise
