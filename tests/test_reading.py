"""Reading a model in a child process, its pre-check alongside: the same results as in this process."""

from __future__ import annotations

import multiprocessing

import pytest
from builders import lca_gaps_model
from conftest import REPO

from bimcarbon.assess import assess
from bimcarbon.energy import EnergyFileError
from bimcarbon.isolation import can_isolate
from bimcarbon.reading import read_and_take_off, start_reading

pytestmark = pytest.mark.skipif(not can_isolate(), reason="child processes are used only on Linux")


def _comparable(read):
    result, floor_area, check = read
    return result.table.to_json(), floor_area, check.model_dump(exclude={"seconds"})


def test_the_child_and_its_pre_check_alongside_give_what_this_process_gives(tmp_path):
    path, gid = lca_gaps_model(tmp_path / "gaps.ifc")
    here = read_and_take_off(path, "auto", None, isolated=False, precheck=True)
    there = read_and_take_off(path, "auto", None, isolated=True, precheck=True)
    assert _comparable(there) == _comparable(here)
    failing = {r.id: [f.global_id for f in r.failing] for r in there[2].requirements}
    assert failing["material"] == [gid["Column without material"]]


def test_a_kept_take_off_is_taken_without_starting_a_reader(tmp_path):
    path, _ = lca_gaps_model(tmp_path / "gaps.ifc")
    first = start_reading(path, "auto", tmp_path / "cache", precheck=True).result()
    again = start_reading(path, "auto", tmp_path / "cache", precheck=True)
    assert not multiprocessing.active_children()  # found in the cache: nothing started
    assert _comparable(again.result()) == _comparable(first)


def test_a_reading_with_other_options_is_refused(tmp_path):
    path, _ = lca_gaps_model(tmp_path / "gaps.ifc")
    with start_reading(path, "never", None) as reading, pytest.raises(ValueError, match="other options"):
        assess(path, geometry="auto", reading=reading)


def test_a_bad_energy_file_stops_the_reader_started_before_it(tmp_path):
    energy = tmp_path / "energy.yaml"
    energy.write_text("annual: [not, a, mapping\n", encoding="utf-8")
    model = REPO / "sample_models" / "office_m.ifc"
    with start_reading(model, "auto", None, precheck=True) as reading, pytest.raises(EnergyFileError):
        assess(model, energy, reading=reading)
    assert not multiprocessing.active_children()
