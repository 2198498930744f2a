"""Command line: parse options, call the library, turn errors into one line and an exit code."""

from __future__ import annotations

import os
from enum import Enum
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from bimcarbon import __version__
from bimcarbon.errors import BimcarbonError
from bimcarbon.takeoff import DEFAULT_QUANTITY_TOLERANCE

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="bimcarbon: carbon assessment of buildings from their IFC models.",
)
out = Console()
err = Console(stderr=True)

#: Exit code for an internal error (a bug), distinct from bad input (2).
EXIT_INTERNAL = 3


class GeometryOption(str, Enum):
    """When to use the geometry engine."""

    auto = "auto"
    never = "never"
    always = "always"


def _version(value: bool) -> None:
    if value:
        out.print(f"bimcarbon {__version__}")
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
    check_quantities: bool = typer.Option(
        False,
        "--check-quantities",
        help="Also compute geometry where volumes were exported and flag differences.",
    ),
    tolerance: float = typer.Option(
        DEFAULT_QUANTITY_TOLERANCE,
        "--tolerance",
        min=0.0,
        help="Relative tolerance of --check-quantities (0.05 = 5 %).",
    ),
) -> None:
    """Take off quantities per element and material part, with where each number came from."""
    _run(lambda: _takeoff(model, output, geometry.value, check_quantities, tolerance), model)


def _takeoff(
    model_path: Path, output: Path | None, geometry: str, check_quantities: bool, tolerance: float
) -> None:
    from bimcarbon.ifc import read_model
    from bimcarbon.report.console import print_takeoff_summary
    from bimcarbon.report.takeoff_files import check_output_path, write_takeoff
    from bimcarbon.summary import summarise
    from bimcarbon.takeoff import take_off

    target = check_output_path(output or Path.cwd() / f"{model_path.name.split('.')[0]}.takeoff.csv")
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
            progress.update(task, completed=done)

        result = take_off(model, geometry, check_quantities, tolerance, progress=on_progress)
    written = write_takeoff(result, target)
    print_takeoff_summary(out, result, summarise(result), written)


def _run(action, subject: Path) -> None:
    """Run a command on ``subject``; a BimcarbonError becomes one line on stderr and exit code 2, any
    other exception (a bug) one line naming the file and exit code 3."""
    try:
        action()
    except BimcarbonError as exc:
        err.print(f"error: {exc}", highlight=False, soft_wrap=True)
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
            soft_wrap=True,
        )
        raise typer.Exit(EXIT_INTERNAL) from None


if __name__ == "__main__":
    app()
