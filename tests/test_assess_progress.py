"""assess(progress=...): the stages a caller (the web worker) is told, in order, with their counts."""

from __future__ import annotations

from pathlib import Path

from bimcarbon.assess import assess

OFFICE = Path(__file__).resolve().parent.parent / "sample_models" / "office_m.ifc"


def test_assess_tells_each_stage_as_it_begins_and_the_counts_once_known(tmp_path):
    told: list[tuple[str, int | None]] = []
    result = assess(OFFICE, cache_dir=tmp_path, progress=lambda stage, count: told.append((stage, count)))
    # office_m: 23 elements taken off + 1 opening left out = 24 elements; 40 material parts (one per layer)
    assert result.assessment.coverage.elements == 23 and len(result.takeoff) == 40
    assert told == [
        ("reading", None),
        ("precheck", None),  # the model is read: the LCA-ready pre-check runs on it
        ("takeoff", None),  # then the take-off begins
        ("takeoff", 24),
        ("matching", 40),
        ("assessing", None),
    ]
    told.clear()
    assess(OFFICE, cache_dir=tmp_path, progress=lambda stage, count: told.append((stage, count)))
    assert told == [("reading", None), ("takeoff", 24), ("matching", 40), ("assessing", None)]  # cached


def test_without_a_progress_callback_nothing_changes():
    with_calls = assess(OFFICE, progress=lambda stage, count: None).assessment
    without = assess(OFFICE).assessment
    assert with_calls.embodied.a1_a3 == without.embodied.a1_a3
