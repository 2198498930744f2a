"""Command line: parse options, call the library, turn errors into one line and an exit code.

Starting fast: this module imports only typer, rich's console and bimcarbon's modules of the standard
library alone (errors, quantity_check). Each command imports what it uses when it runs (pandas, numpy,
ifcopenshell, ifctester, openpyxl, XlsxWriter, the web stack, the pydantic models), so ``bimcarbon
--version`` and ``--help`` never load them; tests/test_start.py keeps it so, bench/bench_start.py times it.
"""

from __future__ import annotations

import contextlib
import gc
import os
import shlex
from collections.abc import Callable, Iterator
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.console import Console

from bimcarbon import __version__
from bimcarbon.errors import BimcarbonError
from bimcarbon.quantity_check import DEFAULT_QUANTITY_TOLERANCE

if TYPE_CHECKING:
    from bimcarbon.exchange.heatmap import Heatmap
    from bimcarbon.takeoff import TakeOff

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    # click's plain help: typer's rich help formatter costs about 0.1 s to import (rich's markdown and
    # traceback), and it read the "[default: ...]" of our help texts as markup and dropped them
    rich_markup_mode=None,
    help="bimcarbon: carbon assessment of buildings from their IFC models.",
)
out = Console()
if not out.is_terminal:  # redirected output: wide enough for the tables, no wrapping mid-name
    out = Console(width=200)
err = Console(stderr=True)

#: Exit code for an internal error (a bug), distinct from bad input (2).
EXIT_INTERNAL = 3


class GeometryOption(str, Enum):
    """When to use the geometry engine."""

    auto = "auto"
    never = "never"
    always = "always"


class QuantityCheckOption(str, Enum):
    """How exported volumes are verified against the geometry."""

    sample = "sample"
    full = "full"
    off = "off"


def _version(value: bool) -> None:
    if value:
        typer.echo(f"bimcarbon {__version__}")  # plain: rich's highlighting costs 10 ms here
        raise typer.Exit()


@app.callback()
def main(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """bimcarbon: carbon assessment of buildings from their IFC models."""


@app.command()
def takeoff(
    model: Path = typer.Argument(..., help="IFC model (.ifc or .ifczip)."),
    output: Path | None = typer.Option(
        None,
        "-o",
        "--output",
        help="Output file: .csv, .xlsx or .json [default: ./<model name>.takeoff.csv].",
    ),
    geometry: GeometryOption = typer.Option(
        GeometryOption.auto,
        "--geometry",
        help="auto: geometry only for elements without a volume; never; always: geometry wins.",
    ),
    quantity_check: QuantityCheckOption = typer.Option(
        QuantityCheckOption.sample,
        "--quantity-check",
        help="Verify exported volumes against the geometry: sample (a few per group), full, off.",
    ),
    check_quantities: bool = typer.Option(
        False,
        "--check-quantities",
        help="The full check: measure every element with an exported volume (--quantity-check full).",
    ),
    tolerance: float = typer.Option(
        DEFAULT_QUANTITY_TOLERANCE,
        "--tolerance",
        min=0.0,
        help="Relative tolerance of the quantity check (0.05 = 5 %).",
    ),
) -> None:
    """Take off quantities per element and material part, with where each number came from."""
    mode = "full" if check_quantities else quantity_check.value

    def action() -> None:
        if check_quantities and quantity_check is QuantityCheckOption.off:
            raise BimcarbonError("--check-quantities (the full check) cannot go with --quantity-check off")
        _takeoff(model, output, geometry.value, mode, tolerance)

    _run(action, model)


def _takeoff(
    model_path: Path, output: Path | None, geometry: str, quantity_check: str, tolerance: float
) -> None:
    from bimcarbon.isolation import run_isolated
    from bimcarbon.report.console import print_takeoff_summary
    from bimcarbon.report.takeoff_files import check_output_path, write_takeoff
    from bimcarbon.summary import summarise

    target = check_output_path(output or Path.cwd() / f"{model_path.name.split('.')[0]}.takeoff.csv")
    result = run_isolated(
        _read_and_take_off, model_path, geometry, quantity_check, tolerance, subject=model_path
    )
    written = write_takeoff(result, target)
    print_takeoff_summary(out, result, summarise(result), written)


def _read_and_take_off(model_path: Path, geometry: str, quantity_check: str, tolerance: float) -> TakeOff:
    """Read and take off a model, with a progress bar while the geometry engine works (run isolated:
    the bar belongs to the process that reads)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from bimcarbon.ifc import read_model
    from bimcarbon.takeoff import take_off

    model = read_model(model_path)
    with Progress(
        TextColumn("geometry"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    ) as progress:
        task = None

        def on_progress(done: int, total: int) -> None:
            nonlocal task
            if task is None:
                task = progress.add_task("geometry", total=total)
            progress.update(task, completed=done, total=total)

        return take_off(model, geometry, quantity_check, tolerance, progress=on_progress)


def _run(action, subject: Path) -> None:
    """Run a command on ``subject``; a BimcarbonError becomes one line on stderr and exit code 2, any
    other exception (a bug) one line naming the file and exit code 3."""
    try:
        action()
    except BimcarbonError as exc:
        if err.is_terminal:  # a reader that crashed under its progress bar left the cursor hidden
            err.show_cursor(True)
            err.file.write("\r\x1b[2K")
        err.print(f"error: {exc}", highlight=False, markup=False, soft_wrap=True)
        raise typer.Exit(exc.exit_code) from None
    except KeyboardInterrupt:
        err.print("interrupted")
        raise typer.Exit(130) from None
    except Exception as exc:  # a bug: one line, unless asked for the traceback
        if os.environ.get("BIMCARBON_DEBUG"):
            raise
        err.print(
            f"internal error: {subject}: {type(exc).__name__}: {exc} "
            "(please report it; set BIMCARBON_DEBUG=1 for the traceback)",
            highlight=False,
            markup=False,
            soft_wrap=True,
        )
        raise typer.Exit(EXIT_INTERNAL) from None


factors_app = typer.Typer(
    help="Browse the emission factors (English and Chinese names).", no_args_is_help=True
)
app.add_typer(factors_app, name="factors")

FACTOR_FILES_OPTION = typer.Option(
    None, "--factors", help="Your own factor file (.yaml or .csv): adds or overrides factors. Repeatable."
)
NO_ASSUMPTIONS_OPTION = typer.Option(
    False,
    "--no-assumptions",
    help="Leave placeholder and missing materials, stud layers and unstated rebar out instead of "
    "assuming them (factors/rules/assumptions.yaml).",
)


@factors_app.command("list")
def factors_list(
    factors: list[Path] | None = FACTOR_FILES_OPTION,
    category: str | None = typer.Option(None, "--category", help="Only this category."),
) -> None:
    """List every factor in use."""

    def action() -> None:
        from bimcarbon.factors import load_library
        from bimcarbon.report.console import print_factors

        library = load_library(factors or [])
        chosen = [f for f in library.by_id.values() if category is None or f.category == category]
        print_factors(out, chosen, f"{len(chosen)} factors")

    _run(action, Path("factors"))


@factors_app.command("show")
def factors_show(
    factor_id: str = typer.Argument(..., help="Factor id, e.g. concrete_c30."),
    factors: list[Path] | None = FACTOR_FILES_OPTION,
) -> None:
    """Every field of one factor, with its source."""

    def action() -> None:
        from bimcarbon.errors import BimcarbonError
        from bimcarbon.factors import load_library
        from bimcarbon.report.console import print_factor

        library = load_library(factors or [])
        if factor_id not in library.by_id:
            near = ", ".join(f.id for f in library.search(factor_id)[:5])
            hint = f"; similar: {near}" if near else "; try `bimcarbon factors search`"
            raise BimcarbonError(f"no factor with id {factor_id!r}{hint}")
        factor = library.by_id[factor_id]
        metadata = next((s.metadata for s in library.sets if s.metadata.id == factor.factor_set), None)
        print_factor(out, factor, metadata)

    _run(action, Path("factors"))


@factors_app.command("search")
def factors_search(
    text: str = typer.Argument(..., help="Words in the id, English or Chinese name, or a category."),
    factors: list[Path] | None = FACTOR_FILES_OPTION,
) -> None:
    """Find factors by name (English or Chinese)."""

    def action() -> None:
        from bimcarbon.factors import load_library
        from bimcarbon.report.console import print_factors

        found = load_library(factors or []).search(text)
        print_factors(out, found, f"{len(found)} factors matching {text!r}")

    _run(action, Path("factors"))


@app.command()
def materials(
    model: Path = typer.Argument(..., help="IFC model (.ifc or .ifczip)."),
    mapping: list[Path] | None = typer.Option(
        None, "--mapping", help="Your mapping file (rules tried before the defaults). Repeatable."
    ),
    factors: list[Path] | None = FACTOR_FILES_OPTION,
    write_mapping: Path | None = typer.Option(
        None, "--write-mapping", help="Write an editable mapping file (.yaml) of this model's materials."
    ),
    output: Path | None = typer.Option(None, "-o", "--output", help="Report: .xlsx, .json or .csv."),
    no_default_rules: bool = typer.Option(False, "--no-default-rules", help="Use only your mapping files."),
    no_assumptions: bool = NO_ASSUMPTIONS_OPTION,
    geometry: GeometryOption = typer.Option(GeometryOption.auto, "--geometry", help="As for takeoff."),
) -> None:
    """Each material with its volume, mass, matched factor and rule; suggestions; coverage."""
    _run(
        lambda: _materials(
            model,
            mapping or [],
            factors or [],
            write_mapping,
            output,
            no_default_rules,
            geometry,
            not no_assumptions,
        ),
        model,
    )


def _materials(
    model_path: Path,
    mappings: list[Path],
    factor_files: list[Path],
    write_mapping_to: Path | None,
    output: Path | None,
    no_default_rules: bool,
    geometry: GeometryOption,
    use_assumptions: bool = True,
) -> None:
    from rich.markup import escape

    from bimcarbon.assumptions import load_assumptions
    from bimcarbon.carbon import embodied
    from bimcarbon.coverage import coverage, material_summary, row_status
    from bimcarbon.factors import load_library
    from bimcarbon.isolation import run_isolated
    from bimcarbon.mapping_file import mapping_text, write_mapping
    from bimcarbon.matching import match
    from bimcarbon.report.console import print_materials
    from bimcarbon.report.materials_files import write_materials_report
    from bimcarbon.report.takeoff_files import check_output_path, provenance
    from bimcarbon.rules import default_rules, load_rules

    if output is not None:
        check_output_path(output)
    library = load_library(factor_files)
    for factor_id, path in sorted(library.overridden.items()):
        out.print(f"factor {factor_id} is overridden by {path}", markup=False)
    rule_sets = [load_rules(p) for p in mappings]
    if not no_default_rules:
        rule_sets.append(default_rules())
    mode, tolerance = "sample", DEFAULT_QUANTITY_TOLERANCE
    result = run_isolated(_read_and_take_off, model_path, geometry.value, mode, tolerance, subject=model_path)
    assumptions = load_assumptions() if use_assumptions else None
    matched = match(result.table, rule_sets, library, assumptions)
    carbon = embodied(matched, library)
    status = row_status(matched.parts, carbon)
    summary = material_summary(matched.parts, carbon, status)
    cover = coverage(matched.parts, carbon, summary, status)
    print_materials(out, summary, cover)
    for line in matched.warnings:
        out.print(f"[yellow]warning:[/yellow] {escape(line)}", highlight=False)
    if write_mapping_to is not None:
        rebar = assumptions.rebar if assumptions else None
        path = write_mapping(mapping_text(matched.parts, rule_sets, model_path.name, rebar), write_mapping_to)
        out.print(f"Wrote {path}", markup=False)
    if output is not None:
        meta = provenance(result)
        meta["factor_sets"] = [f"{s.metadata.id} ({s.metadata.edition or s.path})" for s in library.sets]
        meta["rule_sets"] = [f"{r.metadata.id} v{r.metadata.version}" for r in rule_sets]
        out.print(f"Wrote {write_materials_report(summary, carbon, cover, meta, output)}", markup=False)


@app.command()
def assess(
    model: Path = typer.Argument(..., help="IFC model (.ifc or .ifczip)."),
    energy: Path | None = typer.Option(None, "--energy", help="Energy input file (.yaml or .json)."),
    mapping: list[Path] | None = typer.Option(
        None, "--mapping", help="Your mapping file(s), before the defaults."
    ),
    factors: list[Path] | None = FACTOR_FILES_OPTION,
    criteria: str = typer.Option(
        "cn-zero-carbon-building-draft-2023", "--criteria", help="Criteria pack id or YAML file."
    ),
    embodied: bool | None = typer.Option(
        None, "--embodied/--no-embodied", help="Show one mode only [default: both, side by side]."
    ),
    json_path: Path | None = typer.Option(None, "--json", help="Write the whole assessment as JSON."),
    output: Path | None = typer.Option(None, "-o", "--output", help="Excel compliance workbook (.xlsx)."),
    lang: str = typer.Option(
        "en", "--lang", help="Language of the workbook and of the --ifc-out texts: en or zh."
    ),
    lifecycle: Path | None = typer.Option(
        None,
        "--lifecycle",
        help="Your life-cycle defaults (distances, service lives, A5, C) instead of ours.",
    ),
    cache_dir: Path | None = typer.Option(
        None,
        "--cache-dir",
        help="Keep take-offs here by file hash: re-assessing the same model skips the take-off.",
    ),
    geometry: GeometryOption = typer.Option(GeometryOption.auto, "--geometry", help="As for takeoff."),
    quantity_check: QuantityCheckOption = typer.Option(
        QuantityCheckOption.sample, "--quantity-check", help="As for takeoff."
    ),
    no_assumptions: bool = NO_ASSUMPTIONS_OPTION,
    accept_incomplete: bool = typer.Option(
        False,
        "--accept-incomplete",
        help="Let the with-embodied verdicts stand although less than 95 % of the mass is counted "
        "(marked in every output; the baseline is compared on the same share).",
    ),
    uncertainty: int | None = typer.Option(
        None,
        "--uncertainty",
        metavar="N",
        help="Monte Carlo with N samples (100 to 100,000): ranges, tier probabilities, contributors "
        "(docs/uncertainty.md).",
    ),
    seed: int | None = typer.Option(None, "--seed", help="Seed of the Monte Carlo [default: 16]."),
    conservative: bool = typer.Option(
        False, "--conservative", help="Also give the 80th percentile (EC3's conservative value)."
    ),
    spreads: Path | None = typer.Option(
        None, "--spreads", help="Your spreads file instead of factors/uncertainty.yaml."
    ),
    no_precheck: bool = typer.Option(
        False,
        "--no-precheck",
        help="Skip the LCA-ready pre-check that runs first (bimcarbon check; docs/exchange.md).",
    ),
    ifc_out: Path | None = typer.Option(
        None,
        "--ifc-out",
        help="Write a copy of the model with each element's results in property sets (.ifc or .ifczip; "
        "docs/exchange.md).",
    ),
    ifc_heatmap: bool = typer.Option(
        False, "--ifc-heatmap", help="With --ifc-out: colour the elements by kgCO2e per m3 (or per element)."
    ),
    lcax_path: Path | None = typer.Option(
        None,
        "--lcax",
        help="Write the assessment as an LCAx project (.json, e.g. result.lcax.json; needs the lcax "
        "extra; docs/exchange.md).",
    ),
) -> None:
    """Assess a model against the zero-carbon criteria, with and without embodied emissions."""

    def action() -> None:
        _check_uncertainty_options(uncertainty, seed, conservative, spreads)
        _check_outputs(json_path, output, lang)
        heatmap = _check_ifc_out(model, ifc_out, ifc_heatmap)
        if lcax_path is not None:
            from bimcarbon.exchange.lcax_file import check_lcax_target

            check_lcax_target(lcax_path)
            if json_path is not None and lcax_path.resolve() == json_path.resolve():
                raise BimcarbonError("--lcax and --json name the same file; give each its own", lcax_path)
        with _collector_paused() as imports_done:  # until the outputs are written
            _assess_and_write(imports_done, heatmap)

    def _assess_and_write(imports_done: Callable[[], None], heatmap: Heatmap | None) -> None:
        run = _assess_reading_first(
            imports_done,
            model,
            geometry.value,
            cache_dir,
            quantity_check.value,
            not no_precheck,
            energy_path=energy,
            mappings=mapping or [],
            factor_files=factors or [],
            criteria=criteria,
            lifecycle_path=lifecycle,
            use_assumptions=not no_assumptions,
            accept_incomplete=accept_incomplete,
        )
        from bimcarbon.report.console import print_assessment
        from bimcarbon.report.uncertainty import print_break_even, print_uncertainty

        first = []
        if run.assessment.precheck is not None:
            from bimcarbon.exchange.precheck import summary_line

            first.append(summary_line(run.assessment.precheck))
            if run.assessment.precheck.failed:
                command = f"bimcarbon check {shlex.quote(str(model))} -o report.html"  # to copy and run
                first.append(f"  every failing element: {command}")
        if uncertainty is not None:
            from bimcarbon.uncertainty.run import DEFAULT_SEED, assess_uncertainty

            run.assessment.uncertainty = assess_uncertainty(
                run, uncertainty, DEFAULT_SEED if seed is None else seed, conservative, spreads
            )
        print_assessment(out, run.assessment, embodied, first)
        print_break_even(out, run.assessment.embodied_break_even)
        print_uncertainty(out, run.assessment.uncertainty)
        if output is not None:
            from bimcarbon.report.workbook import write_workbook

            out.print(f"Wrote {write_workbook(run, run.library, output, lang)}", markup=False)
        if json_path is not None:
            json_path.parent.mkdir(parents=True, exist_ok=True)
            json_path.write_text(run.assessment.model_dump_json(indent=1), encoding="utf-8")
            out.print(f"Wrote {json_path}", markup=False)
        if ifc_out is not None:
            _write_ifc(model, run.assessment, ifc_out, heatmap, lang)
        if lcax_path is not None:
            from bimcarbon.exchange.lcax_file import write_lcax

            written = write_lcax(run, lcax_path)
            out.print(f"Wrote {written.path}", markup=False)
            for problem in written.problems:
                out.print(f"warning: {problem}", highlight=False, markup=False)

    _run(action, model)


@contextlib.contextmanager
def _collector_paused() -> Iterator[Callable[[], None]]:
    """Python's cyclic garbage collector paused while a command imports its pipeline; it gives the
    function to call once the imports are done.

    Importing pandas, pydantic's models and the writers makes about 90,000 objects the collector
    tracks and no garbage worth collecting, yet it walks them all, again and again as they grow:
    0.1-0.2 s of an assessment's command process, 0.01-0.02 s paused (docs/architecture.md). Once
    the imports are done, everything then alive (chiefly what they made) is frozen, so the
    assessment's own collections skip it, and collection resumes. On leaving, the collector is as
    it was: on or off as before, and nothing left frozen (tests and notebooks run many commands in
    one process). A caller that froze objects itself keeps them frozen, and nothing more is frozen
    (gc cannot unfreeze a part).
    """
    was_enabled = gc.isenabled()
    freezing = not gc.get_freeze_count()
    gc.disable()

    def imports_done() -> None:
        if freezing:
            gc.freeze()
        if was_enabled:
            gc.enable()

    try:
        yield imports_done
    finally:
        if freezing:
            gc.unfreeze()
        if was_enabled:
            gc.enable()


def _assess_reading_first(
    imports_done: Callable[[], None],
    model: Path,
    geometry: str,
    cache_dir: Path | None,
    quantity_check: str,
    precheck: bool,
    **options,
):
    """:func:`bimcarbon.assess.assess` of ``model`` with ``options``, its reading started first: the
    model is read and taken off in a child process (isolated: a parser crash is one line) while this
    one imports and loads the rest of the pipeline (factors, rules, criteria, the writers), then calls
    ``imports_done`` (:func:`_collector_paused`)."""
    from bimcarbon.reading import start_reading  # the take-off's imports only

    if precheck:  # its models (pydantic) and bimcarbon.datafile, which this process needs anyway: the
        # pre-check's fork of the reader then inherits them instead of importing them again (0.13 s)
        import bimcarbon.exchange.precheck  # noqa: F401
    with start_reading(model, geometry, cache_dir, quantity_check, precheck) as reading:
        # the pipeline and its writers, while the model is read (the writers: 0.1 s the command would
        # otherwise spend after it)
        import bimcarbon.report.console
        import bimcarbon.report.uncertainty
        import bimcarbon.report.workbook  # noqa: F401
        from bimcarbon.assess import assess

        imports_done()
        return assess(
            model,
            geometry=geometry,
            quantity_check=quantity_check,
            precheck=precheck,
            reading=reading,
            **options,
        )


def _check_ifc_out(model: Path, ifc_out: Path | None, ifc_heatmap: bool) -> Heatmap | None:
    """Refuse a bad --ifc-out before assessing (one line); the heatmap classes when asked for."""
    if ifc_out is None:
        if ifc_heatmap:
            raise BimcarbonError("--ifc-heatmap needs --ifc-out RESULT.ifc (the model it colours)")
        return None
    from bimcarbon.exchange.heatmap import load_heatmap
    from bimcarbon.ifc.writeback import check_ifc_out

    check_ifc_out(ifc_out, model)
    return load_heatmap() if ifc_heatmap else None


def _write_ifc(model: Path, assessment, ifc_out: Path, heatmap: Heatmap | None, lang: str) -> None:
    """Write the model with its results (in a child process, as the model is read); say what was written."""
    from bimcarbon.ifc.writeback import write_results
    from bimcarbon.isolation import run_isolated

    summary = run_isolated(write_results, model, assessment, ifc_out, heatmap, lang, subject=model)
    out.print(
        f"Wrote {summary.path} ({summary.with_results:,} elements with results, "
        f"{summary.without_results:,} without)",
        highlight=False,
        markup=False,
        soft_wrap=True,
    )
    if not summary.standard_psets:
        out.print(
            "  IFC2X3 has no Pset_EnvironmentalImpactValues: the results are in BIMCarbon_Results only",
            highlight=False,
        )
    if summary.coloured is not None:
        line = f"  heatmap: {summary.coloured:,} elements coloured"
        if summary.own_copies:
            line += f" ({summary.own_copies:,} with their own copy of a shared type geometry)"
        reasons: dict[str, int] = {}
        for reason in summary.not_coloured.values():
            reasons[reason] = reasons.get(reason, 0) + 1
        line += "".join(f"; {count:,} not: {reason}" for reason, count in reasons.items())
        out.print(line, highlight=False, markup=False, soft_wrap=True)
    for warning in summary.warnings:
        out.print(f"  warning: {warning}", highlight=False, markup=False, soft_wrap=True)


def _check_uncertainty_options(
    samples: int | None, seed: int | None, conservative: bool, spreads: Path | None
) -> None:
    """Refuse, in one line, a sample count out of range, a Monte Carlo option without --uncertainty, or
    a spreads file that does not validate: before the model is read, not after its assessment."""
    if samples is None:
        given = [name for name, value in (("--seed", seed), ("--spreads", spreads)) if value is not None]
        given += ["--conservative"] if conservative else []
        if given:
            raise BimcarbonError(f"{', '.join(given)} need(s) --uncertainty N (the number of samples)")
        return
    from bimcarbon.uncertainty.run import check_samples

    check_samples(samples)
    if seed is not None and not 0 <= seed < 2**63:
        raise BimcarbonError(f"--seed must be a whole number from 0 to {2**63 - 1} (got {seed})")
    if spreads is not None:
        from bimcarbon.uncertainty.spreads import load_spreads

        load_spreads(spreads)


def _check_outputs(
    json_path: Path | None, output: Path | None, lang: str, workbook: str = "the workbook"
) -> None:
    """Refuse a --json file not ending in .json, a workbook not ending in .xlsx (``workbook`` names it in
    the line), a language not en or zh, an output that cannot be written (one line, before any work)."""
    if json_path is not None and json_path.suffix.lower() != ".json":
        raise BimcarbonError("the --json file must end in .json", json_path)
    if output is not None and output.suffix.lower() != ".xlsx":
        raise BimcarbonError(f"{workbook} must end in .xlsx", output)
    if lang not in ("en", "zh"):
        raise BimcarbonError(f"unknown language {lang!r}; use en or zh")
    from bimcarbon.output_files import check_writable

    for path, what in ((json_path, "the --json file"), (output, workbook)):
        if path is not None:
            check_writable(path, what)


@app.command()
def compare(
    base: Path = typer.Argument(
        ..., help="Base: an IFC model (.ifc, .ifczip) or an assessment JSON (bimcarbon assess --json)."
    ),
    variant: Path = typer.Argument(..., help="Variant: an IFC model or an assessment JSON."),
    energy: Path | None = typer.Option(
        None,
        "--energy",
        help="Energy input file for the models (the variant's too, unless --variant-energy).",
    ),
    variant_energy: Path | None = typer.Option(
        None, "--variant-energy", help="Energy input file for the variant model."
    ),
    mapping: list[Path] | None = typer.Option(
        None, "--mapping", help="Your mapping file(s) for both models, before the defaults."
    ),
    factors: list[Path] | None = FACTOR_FILES_OPTION,
    criteria: str | None = typer.Option(
        None, "--criteria", help="Criteria pack id or YAML file for the models [default: as assess]."
    ),
    accept_incomplete: bool = typer.Option(
        False, "--accept-incomplete", help="As for assess, for both models."
    ),
    json_path: Path | None = typer.Option(None, "--json", help="Write the comparison as JSON."),
    output: Path | None = typer.Option(None, "-o", "--output", help="Comparison workbook (.xlsx)."),
    lang: str = typer.Option("en", "--lang", help="Workbook language: en or zh."),
    cache_dir: Path | None = typer.Option(None, "--cache-dir", help="As for assess."),
    top: int = typer.Option(10, "--top", min=0, help="How many changed elements to print."),
) -> None:
    """Compare two designs element by element: what changed, by how much, and which verdicts move.

    Elements are paired by GlobalId, else by class, type, storey and position (flagged). Every delta is
    variant - base; A5 site activity and C1 are building-level (per m2 of floor area).
    """

    def action() -> None:
        from bimcarbon.compare import compare_assessments
        from bimcarbon.compare.sides import Inputs, load_sides
        from bimcarbon.report.compare import print_comparison, write_comparison_json

        _check_outputs(json_path, output, lang)
        inputs = Inputs(
            energy,
            variant_energy,
            tuple(mapping or ()),
            tuple(factors or ()),
            criteria,
            accept_incomplete,
            cache_dir,
        )
        a, b, now = load_sides(base, variant, inputs)
        comparison = compare_assessments(a, b, base, variant, assessed_now=now)
        print_comparison(out, comparison, top)
        if output is not None:
            from bimcarbon.report.workbook.compare import write_comparison_workbook

            out.print(f"Wrote {write_comparison_workbook(comparison, output, lang)}", markup=False)
        if json_path is not None:
            out.print(f"Wrote {write_comparison_json(json_path, comparison)}", markup=False)

    _run(action, base)


@app.command()
def park(
    park_file: Path = typer.Argument(..., help="Park file (.yaml): buildings and park energy."),
    output: Path | None = typer.Option(
        None, "-o", "--output", help="Park compliance workbook (.xlsx), in the --lang language."
    ),
    json_path: Path | None = typer.Option(None, "--json", help="Write the park assessment as JSON."),
    lang: str = typer.Option("en", "--lang", help="Workbook language: en or zh."),
    workers: int = typer.Option(1, "--workers", min=1, help="Buildings assessed at once in local processes."),
    scheduler: str | None = typer.Option(
        None,
        "--scheduler",
        help="Assess buildings on a Dask cluster: its scheduler's address (tcp://host:8786).",
    ),
    accept_incomplete: bool = typer.Option(
        False,
        "--accept-incomplete",
        help="Let the park verdicts stand although buildings failed or give no annual energy, or a figure is "
        "implausible, and buildings' with-embodied verdicts although their embodied totals are incomplete "
        "(marked in every output; the exit code stays 1 when a building failed).",
    ),
    cache_dir: Path | None = typer.Option(
        None,
        "--cache-dir",
        help="Keep building results here by model hash and inputs (default: .bimcarbon-cache beside the park "
        "file).",
    ),
    no_cache: bool = typer.Option(False, "--no-cache", help="Assess every building again; keep nothing."),
) -> None:
    """Assess a park: each building as `assess` does, then the park with its own energy, both modes.

    Exit code 0: assessed; 1: a building failed (the others are assessed and reported); 2: bad input.
    """
    failed: list[str] = []

    def action() -> None:
        nonlocal failed
        from bimcarbon.park.run import assess_park
        from bimcarbon.report.park import print_park, write_park_json

        _check_outputs(json_path, output, lang, "the park workbook")  # before the buildings, not after

        def done(index: int, outcome) -> None:
            if err.is_terminal:
                state = "failed" if outcome.status == "failed" else "assessed"
                err.print(f"{outcome.name}: {state}", highlight=False, markup=False)

        run = assess_park(
            park_file,
            workers=workers,
            scheduler=scheduler,
            accept_incomplete=accept_incomplete,
            cache_dir=cache_dir,
            use_cache=not no_cache,
            done=done,
        )
        outcomes = run.assessment.buildings
        print_park(out, run.assessment, cached=sum(o.cached for o in outcomes))
        for problem in run.cache_problems:
            out.print(f"warning: {problem}", highlight=False, markup=False)
        if json_path is not None:
            write_park_json(json_path, run.assessment)
            out.print(f"Wrote {json_path}", markup=False)
        if output is not None:
            from bimcarbon.report.workbook.park import write_run_workbook

            write_run_workbook(run, output, lang)
            out.print(f"Wrote {output}", markup=False)
        failed = [f"{o.name} ({o.error})" for o in run.failed]

    _run(action, park_file)
    if failed:
        err.print(
            f"error: {len(failed)} building(s) failed: {'; '.join(failed)}",
            highlight=False,
            markup=False,
            soft_wrap=True,
        )
        raise typer.Exit(1)


@app.command()
def check(
    model: Path = typer.Argument(..., help="IFC model (.ifc or .ifczip)."),
    ids: Path | None = typer.Option(
        None, "--ids", help="Your IDS file (buildingSMART IDS 1.0) instead of the shipped LCA-ready one."
    ),
    output: Path | None = typer.Option(
        None, "-o", "--output", help="Report: .html (one page, in --lang) or .json (both languages)."
    ),
    lang: str = typer.Option("en", "--lang", help="Console and HTML language: en or zh."),
) -> None:
    """Check whether a model has what an assessment needs (factors/ids/lca-ready.ids, or your IDS).

    Exit code 0: every requirement is met; 1: some are not (the model can still be assessed: its gaps
    show up as assumptions and left-out materials); 2: bad input (model, IDS file or option).
    """
    unmet = False

    def action() -> None:
        nonlocal unmet
        from bimcarbon.ifc.ids_check import load_ids
        from bimcarbon.isolation import run_isolated
        from bimcarbon.report.precheck import check_report_path, print_precheck, write_report

        if lang not in ("en", "zh"):
            raise BimcarbonError(f"unknown language {lang!r}; use en or zh")
        if output is not None:
            check_report_path(output)
        loaded = load_ids(ids)  # a bad IDS is told before the model is read
        result = run_isolated(_precheck, model, loaded, subject=model)
        print_precheck(out, result, lang)
        if output is not None:
            out.print(f"Wrote {write_report(result, output, lang)}", highlight=False, markup=False)
        unmet = bool(result.failed)

    _run(action, model)
    if unmet:
        raise typer.Exit(1)


def _precheck(model_path: Path, loaded):
    """Read a model and run the pre-check on it (run isolated: a parser crash is one line)."""
    from bimcarbon.ifc import read_model
    from bimcarbon.ifc.ids_check import run_precheck

    return run_precheck(read_model(model_path), loaded)


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on (local only by default)."),
    port: int = typer.Option(8000, "--port"),
    data_dir: Path = typer.Option(
        Path("bimcarbon-data"), "--data-dir", help="Where projects and runs are kept."
    ),
    max_upload_mb: int = typer.Option(200, "--max-upload-mb", min=1),
    token: str | None = typer.Option(
        None, "--token", envvar="BIMCARBON_TOKEN", help="Require this access token."
    ),
    max_runs: int = typer.Option(2, "--max-runs", min=1, help="Runs in progress at once."),
    max_queued: int = typer.Option(20, "--max-queued", min=0, help="Runs that may wait for a slot."),
    max_queued_per_client: int = typer.Option(
        10, "--max-queued-per-client", min=0, help="Runs that one client (address) may have waiting."
    ),
    forwarded_allow_ips: str | None = typer.Option(
        None,
        "--forwarded-allow-ips",
        help="Behind a reverse proxy (needed there, a local one included): the proxy's addresses "
        "(comma-separated), whose X-Forwarded-For names the client (for the per-client limits) and whose "
        "X-Forwarded-Proto the scheme (for the origin check of forms behind TLS). Without it both headers "
        "are ignored. Never '*': any client could then name itself.",
    ),
) -> None:
    """Start the web app: upload a model, read the verdict, download the workbook."""
    if forwarded_allow_ips and "*" in [a.strip() for a in forwarded_allow_ips.split(",")]:
        raise typer.BadParameter(
            "'*' would trust X-Forwarded-For from anyone, and any client could name itself anew with "
            "each request: give the proxy's addresses",
            param_hint="--forwarded-allow-ips",
        )

    def action() -> None:
        import uvicorn

        from bimcarbon.web.app import Settings, create_app

        hosts = tuple(dict.fromkeys([host, "127.0.0.1", "localhost"])) if host != "0.0.0.0" else ("*",)
        settings = Settings(
            data_dir=data_dir,
            max_upload_bytes=max_upload_mb << 20,
            token=token,
            allowed_hosts=hosts,
            max_concurrent_runs=max_runs,
            max_queued_runs=max_queued,
            max_queued_per_client=max_queued_per_client,
        )
        out.print(f"bimcarbon web app on http://{host}:{port}/ (data in {data_dir})", markup=False)
        uvicorn.run(
            create_app(settings),
            host=host,
            port=port,
            log_level="warning",
            # uvicorn trusts X-Forwarded-For from 127.0.0.1 by default: any local client could then
            # name itself anew with each request and pass the limit of runs waiting per client
            proxy_headers=bool(forwarded_allow_ips),
            forwarded_allow_ips=forwarded_allow_ips or None,
        )

    _run(action, data_dir)


if __name__ == "__main__":
    app()
