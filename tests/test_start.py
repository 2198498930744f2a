"""A fast start: ``bimcarbon --version`` and ``--help`` load none of the heavy libraries.

Each check runs a fresh interpreter (this test process has them all loaded already) and asks which of
the heavy modules it imported: an import moved to the top of bimcarbon/cli.py (or of a module it
imports) fails here. How fast the start is is measured in bench/bench_start.py, not here.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

#: What a command imports when it runs, never at the start (each costs 0.05 to 0.5 s to import).
HEAVY = (
    "pandas",
    "numpy",
    "openpyxl",
    "xlsxwriter",
    "fastapi",
    "uvicorn",
    "jinja2",
    "ifcopenshell",
    "ifctester",
)


def _heavy_in(names: set[str]) -> list[str]:
    return sorted(m for m in HEAVY if m in names)


def test_importing_the_command_line_loads_no_heavy_library():
    code = f"import bimcarbon.cli, sys; print(sorted(m for m in {HEAVY!r} if m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


@pytest.mark.parametrize("args", [["--version"], ["--help"], ["assess", "--help"]])
def test_the_version_and_help_load_no_heavy_library(args, tmp_path):
    # -X importtime names every module the process imported, one per line on stderr:
    # "import time: <self us> | <cumulative us> | <indented name>"
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "bimcarbon", *args],
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )
    imported = {
        m.group(1).split(".")[0] for m in re.finditer(r"^import time:.*\|\s*([\w.]+)\s*$", done.stderr, re.M)
    }
    assert "typer" in imported and "bimcarbon" in imported  # the parse found the modules at all
    assert _heavy_in(imported) == []
    assert "Usage" in done.stdout or done.stdout.startswith("bimcarbon ")


def test_the_version_written_in_the_package_is_the_installed_one():
    # bimcarbon/__init__.py holds the version (read without importlib.metadata, which costs --version
    # about 60 ms); pyproject.toml's dynamic version reads it from there into the package's metadata
    from importlib.metadata import version

    import bimcarbon

    assert version("bimcarbon") == bimcarbon.__version__


def test_the_reader_takes_off_a_model_without_pandas_or_pydantic(tmp_path):
    # the command forks its reader once ifcopenshell is imported and imports pandas (0.3 s) and
    # pydantic meanwhile; the reader must not need them: it sends its take-off as rows
    from builders import small_building

    model = small_building(tmp_path / "small.ifc")
    code = (
        "import sys; from bimcarbon.reading import _read_take_off_and_keep as read; "
        f"sent = read({str(model)!r}, 'auto', None, 'sample'); "
        "heavy = sorted(m for m in ('pandas', 'pydantic') if m in sys.modules); "
        "print(type(sent[0]).__name__, len(sent[0].table), heavy)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    kind, rows, heavy = done.stdout.split(" ", 2)
    assert kind == "TakeOffRows" and int(rows) > 0
    assert heavy.strip() == "[]"
