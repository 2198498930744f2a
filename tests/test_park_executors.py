"""The executors give the same results, in the items' order, whichever runs the calls: here, a local
process pool, or a real Dask cluster (a ``LocalCluster`` of two worker processes on 127.0.0.1)."""

from __future__ import annotations

import functools
import math
import shutil
import socket
import sys
import time
from pathlib import Path

import pytest
from builders import small_building

from bimcarbon.assess import assess
from bimcarbon.park import executors
from bimcarbon.park.executors import ExecutorError, map_in_order

REPO = Path(__file__).resolve().parent.parent
NO_DASK = "Dask distributed is not installed (pip install 'bimcarbon[dask]'): the Dask executor is not tested"

# The first item takes ~0.3 s (sum of 20 million numbers), the others microseconds, so on two workers
# the first result arrives last. sum(range(n)) = n (n - 1) / 2:
# 20e6 x 19999999 / 2 = 199999990000000; 4 x 3 / 2 = 6; 10 x 9 / 2 = 45; 1000 x 999 / 2 = 499500.
SLOW_FIRST = [range(20_000_000), range(4), range(10), range(1000)]
SUMS = [199_999_990_000_000, 6, 45, 499_500]


def _local_cluster(workers: int, daemon: bool):
    """A real Dask cluster on loopback: ``workers`` processes of one thread, no dashboard (the scheduler's
    small HTTP server, which it always starts, on a free loopback port, not 8787)."""
    distributed = pytest.importorskip("distributed", reason=NO_DASK)
    import dask

    with dask.config.set({"distributed.worker.daemon": daemon}):
        return distributed.LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
            scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
        )


@pytest.fixture(scope="module")
def scheduler():
    """Address of a two-worker cluster started as docs/park.md says (workers not daemonic)."""
    with _local_cluster(2, daemon=False) as cluster:
        yield cluster.scheduler_address


def _free_port() -> int:
    """A loopback port nothing listens on (bound, read, released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize("workers", [1, 3])
def test_results_come_back_in_the_order_of_the_items(workers):
    seen: list[tuple[int, int]] = []
    # 7! = 5040, 1! = 1, 5! = 120, 3! = 6
    results = map_in_order(
        math.factorial, [7, 1, 5, 3], workers=workers, done=lambda index, r: seen.append((index, r))
    )
    assert results == [5040, 1, 120, 6]
    assert sorted(seen) == [(0, 5040), (1, 1), (2, 120), (3, 6)]  # each call reported once, as it ended


@pytest.mark.parametrize("workers", [1, 2])
def test_an_error_in_a_call_reaches_the_caller_with_the_item_named(workers):
    with pytest.raises(ValueError) as raised:  # factorial() not defined for negative values
        map_in_order(math.factorial, [3, -1], workers=workers)
    assert raised.value.__notes__ == ["in factorial() for item 2 of 2: -1"]


def test_no_workers_is_refused():
    with pytest.raises(ValueError, match="workers must be 1 or more"):
        map_in_order(math.factorial, [3], workers=0)


def test_a_scheduler_without_dask_installed_says_which_extra_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed -> ImportError
    with pytest.raises(ExecutorError) as raised:
        map_in_order(math.factorial, [3], scheduler="tcp://127.0.0.1:8786")
    assert str(raised.value) == (
        "running on the Dask scheduler tcp://127.0.0.1:8786 needs Dask's distributed package: "
        "pip install 'bimcarbon[dask]'"
    )


def test_an_unreachable_scheduler_is_one_line_within_the_timeout():
    pytest.importorskip("distributed", reason=NO_DASK)
    address = f"tcp://127.0.0.1:{_free_port()}"
    start = time.perf_counter()
    with pytest.raises(ExecutorError) as raised:
        map_in_order(math.factorial, [3], scheduler=address, connect_timeout_s=1.5)
    assert time.perf_counter() - start < 10  # 1.5 s of retries, then the error; not Dask's default 30 s
    message = str(raised.value)
    assert message.startswith(f"cannot reach the Dask scheduler at {address}: ")
    assert "\n" not in message


def test_a_scheduler_address_that_is_no_address_is_one_line_and_nothing_after_it():
    # before: the one line, then ~10 s later "Exception ignored in: <function Client.__del__ ...>" and a
    # traceback of the half-built client's close timing out, printed as the interpreter ended
    pytest.importorskip("distributed", reason=NO_DASK)
    import subprocess

    code = (
        "import math\n"
        "from bimcarbon.park.executors import ExecutorError, map_in_order\n"
        "try:\n"
        "    map_in_order(math.factorial, [3], scheduler='notanaddress', connect_timeout_s=1.5)\n"
        "except ExecutorError as error:\n"
        "    print(error)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.stdout == (
        "cannot reach the Dask scheduler at notanaddress: missing port number in address 'notanaddress'\n"
    )
    assert done.stderr == "", done.stderr


def test_on_dask_the_results_are_those_of_the_local_executors_in_the_same_order(scheduler):
    seen: list[int] = []
    on_dask = map_in_order(sum, SLOW_FIRST, scheduler=scheduler, done=lambda index, r: seen.append(index))
    assert on_dask == SUMS
    assert on_dask == map_in_order(sum, SLOW_FIRST, workers=1) == map_in_order(sum, SLOW_FIRST, workers=2)
    assert sorted(seen) == [0, 1, 2, 3]  # each call reported once, as it ended


def test_on_dask_an_error_in_one_call_reaches_the_caller_with_the_item_named(scheduler):
    with pytest.raises(ValueError) as raised:
        map_in_order(math.factorial, [5, -2, 4], scheduler=scheduler)
    assert raised.value.__notes__ == ["in factorial() for item 2 of 3: -2"]
    assert map_in_order(math.factorial, [4], scheduler=scheduler) == [24]  # the cluster is still usable


def test_on_dask_a_file_the_workers_cannot_read_is_refused_before_any_call(scheduler, tmp_path):
    here = tmp_path / "here.ifc"
    here.write_text("ISO-10303-21;")
    missing = tmp_path / "elsewhere.ifc"
    with pytest.raises(ExecutorError, match=r"^Dask worker tcp://127\.0\.0\.1:\d+ cannot read ") as raised:
        map_in_order(math.factorial, [3], scheduler=scheduler, files=[here, missing])
    assert str(raised.value).endswith(
        f"cannot read {missing}: the workers must see the input files at the same paths as this machine "
        "(a shared file system)"
    )
    assert map_in_order(math.factorial, [3], scheduler=scheduler, files=[here]) == [6]


def test_on_dask_workers_of_another_bimcarbon_version_are_refused(scheduler, monkeypatch):
    monkeypatch.setattr(executors, "__version__", "0.0.1")  # this side claims another version
    with pytest.raises(ExecutorError) as raised:
        map_in_order(math.factorial, [3], scheduler=scheduler)
    message = str(raised.value)
    assert message.startswith("Dask worker tcp://127.0.0.1:")
    assert message.endswith(", this machine 0.0.1: the workers need the same bimcarbon version")
    assert message.count(" has bimcarbon ") == 2  # both workers named


def test_on_dask_buildings_are_assessed_as_here_with_each_model_read_in_a_child_process(scheduler, tmp_path):
    models = [small_building(tmp_path / "metres.ifc", "m"), small_building(tmp_path / "mm.ifc", "mm")]
    energy = shutil.copy(REPO / "sample_models" / "office_m.energy.yaml", tmp_path / "energy.yaml")
    one_building = functools.partial(assess, energy_path=energy, isolated=True)  # as `bimcarbon assess`
    on_dask = map_in_order(
        one_building, models, scheduler=scheduler, files=[*models, energy], starts_processes=True
    )
    here = map_in_order(one_building, models, workers=1)
    assert [r.assessment.model_dump_json() for r in on_dask] == [r.assessment.model_dump_json() for r in here]
    assert [r.assessment.model_name for r in on_dask] == ["metres.ifc", "mm.ifc"]


def test_daemonic_dask_workers_are_refused_when_the_calls_start_processes():
    # Dask's default: each worker a daemonic process, which Python forbids to start children; bimcarbon
    # reads each model in a child process (a parser crash fails one building, not the worker)
    with _local_cluster(1, daemon=True) as cluster:
        with pytest.raises(ExecutorError) as raised:
            map_in_order(math.factorial, [3], scheduler=cluster.scheduler_address, starts_processes=True)
        assert str(raised.value).endswith(
            "is a daemonic process, which cannot start the child process each model is read in: start the "
            "workers with DASK_DISTRIBUTED__WORKER__DAEMON=False (docs/park.md)"
        )
        assert map_in_order(math.factorial, [3], scheduler=cluster.scheduler_address) == [6]


def test_a_scheduler_without_workers_is_one_line():
    with _local_cluster(0, daemon=False) as cluster, pytest.raises(ExecutorError) as raised:
        map_in_order(math.factorial, [3], scheduler=cluster.scheduler_address, connect_timeout_s=1)
    assert str(raised.value) == (
        f"the Dask scheduler at {cluster.scheduler_address} has no worker (waited 1 s): start some with "
        f"`dask worker {cluster.scheduler_address}`"
    )


def test_the_sample_park_on_dask_writes_the_json_of_one_local_worker_byte_for_byte(scheduler, tmp_path):
    from test_park_cli import park_copy
    from typer.testing import CliRunner

    from bimcarbon.cli import app

    park = park_copy(tmp_path)
    here, there = tmp_path / "here.json", tmp_path / "dask.json"
    runner = CliRunner()
    result = runner.invoke(app, ["park", str(park), "--json", str(here), "--workers", "1", "--no-cache"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(
        app, ["park", str(park), "--json", str(there), "--scheduler", scheduler, "--no-cache"]
    )
    assert result.exit_code == 0, result.output
    assert here.read_bytes() == there.read_bytes()
