"""Inputs the fuzzer (fuzz/fuzz_read_takeoff.py) found, kept as regression tests. Each file is a
mutation of the bundled office sample."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bimcarbon.ifc import read_model
from bimcarbon.isolation import can_isolate
from bimcarbon.takeoff import take_off

FOUND = Path(__file__).parent / "data" / "fuzz"


def test_duplicate_entity_ids_and_a_string_among_related_objects_are_survived_and_reported():
    path = FOUND / "duplicate-ids-and-string-in-related-objects.ifc"
    result = take_off(read_model(path), geometry="never")
    assert result.table["step_id"].nunique() + len(result.excluded) == result.element_count
    assert any("defined more than once" in w for w in result.warnings)


@pytest.mark.skipif(not can_isolate(), reason="models are read in a child process only on Linux")
@pytest.mark.parametrize("command", ["takeoff", "materials", "assess"])
def test_a_parser_crash_is_one_line_and_exit_code_2_from_every_command(command, tmp_path):
    crasher = FOUND / "parser-segfault.ifc"
    done = subprocess.run(
        [sys.executable, "-m", "bimcarbon", command, str(crasher)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
    )
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith(f"error: {crasher}: ifcopenshell crashed (SIGSEGV)")
