"""Inputs the fuzzer (fuzz/fuzz_read_takeoff.py) found, kept as regression tests. Each file is a
mutation of the bundled office sample."""

from __future__ import annotations

from pathlib import Path

from bimcarbon.ifc import read_model
from bimcarbon.takeoff import take_off

FOUND = Path(__file__).parent / "data" / "fuzz"


def test_duplicate_entity_ids_and_a_string_among_related_objects_are_survived_and_reported():
    path = FOUND / "duplicate-ids-and-string-in-related-objects.ifc"
    result = take_off(read_model(path), geometry="never")
    assert result.table["step_id"].nunique() + len(result.excluded) == result.element_count
    assert any("defined more than once" in w for w in result.warnings)
