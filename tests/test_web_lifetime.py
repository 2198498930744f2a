"""A worker lives no longer than its server: `bimcarbon serve` started as a real process, stopped with
SIGTERM, SIGINT or killed (SIGKILL) while a run is in progress, leaves no process behind; a run's end is
recorded only by the server that owns it, so a worker left over can never overwrite "interrupted"."""

from __future__ import annotations

import multiprocessing
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from procs import alive, descendants, free_port, need_proc, serve, workers
from test_web_runs import wait_for_go

from bimcarbon.web import jobs
from bimcarbon.web.app import Settings, create_app
from bimcarbon.web.store import Store

SAMPLES = Path(__file__).resolve().parent.parent / "sample_models"
OFFICE, ENERGY = SAMPLES / "office_m.ifc", SAMPLES / "office_m.energy.yaml"


def _submit(port: int) -> str:
    files = {
        "model": ("office_m.ifc", OFFICE.read_bytes(), "application/octet-stream"),
        "energy": ("energy.yaml", ENERGY.read_bytes(), "application/yaml"),
    }
    response = httpx.post(f"http://127.0.0.1:{port}/api/runs", files=files, data={"project": "P"}, timeout=30)
    assert response.status_code == 201, response.text
    return response.json()["id"]


def _until(condition, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(what)


@pytest.mark.parametrize("how", ["SIGTERM", "SIGINT", "SIGKILL"])
def test_no_worker_outlives_its_server_however_it_is_stopped(tmp_path, how):
    need_proc()
    data, port = tmp_path / "data", free_port()
    server = serve(data, port, tmp_path / "server.log")
    try:
        run_id = _submit(port)
        found = _until(lambda: workers(server.pid), 60, "no worker started")
        assert Store(data).run(run_id)["status"] == "running"
        started = descendants(server.pid)  # the worker, and multiprocessing's resource tracker
        server.send_signal(getattr(signal, how))
        server.wait(30)
    finally:
        if server.poll() is None:
            server.kill()
            server.wait(10)
    assert set(found) <= set(started)
    _until(
        lambda: not [pid for pid, start in started.items() if alive(pid, start)],
        10,
        f"processes left after {how}: {[pid for pid, start in started.items() if alive(pid, start)]}",
    )
    run = Store(data).run(run_id)
    if how != "SIGKILL":  # a server that stops records its runs as interrupted
        assert run["status"] == "failed" and "interrupted" in run["message"], run
    else:  # a killed one cannot: the next start does
        assert run["status"] == "running"
        again = serve(data, port, tmp_path / "server.log")
        try:
            run = httpx.get(f"http://127.0.0.1:{port}/api/runs/{run_id}").json()
        finally:
            again.terminate()
            again.wait(30)
        assert run["status"] == "failed" and "interrupted" in run["message"], run


def test_a_worker_left_from_a_stopped_server_cannot_overwrite_interrupted(tmp_path):
    data = tmp_path / "data"
    client = TestClient(create_app(Settings(data_dir=data, max_concurrent_runs=0)))  # nothing starts
    files = {"model": ("office_m.ifc", OFFICE.read_bytes()), "energy": ("e.yaml", ENERGY.read_bytes())}
    run_id = client.post("/api/runs", files=files, data={"project": "P"}).json()["id"]
    store = Store(data)
    gone = "0123456789abcdef"  # a server that claimed the run and was killed (no lock file: not alive)
    assert store.claim(gone, max_running=1) == run_id
    TestClient(create_app(Settings(data_dir=data, max_concurrent_runs=0)))  # the next server starts
    assert store.run(run_id)["status"] == "failed" and "interrupted" in store.run(run_id)["message"]
    # the worker of the killed server, had it survived, finishes the assessment now
    orphan = multiprocessing.get_context("spawn").Process(target=jobs.work, args=(str(data), run_id))
    orphan.start()
    orphan.join(120)
    assert orphan.exitcode == 0
    run = store.run(run_id)
    assert run["status"] == "failed" and "interrupted" in run["message"]
    # nor can the killed server's watcher: only the owner of a run still running records its end
    assert not store.finish(run_id, gone, "done", "", {})
    assert store.run(run_id)["status"] == "failed"


def test_a_server_on_the_same_data_folder_leaves_the_runs_of_another_living_one_alone(tmp_path):
    need_proc()
    data = tmp_path / "data"
    store = Store(data)
    other = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from bimcarbon.web import jobs; "
            "print(jobs.owner_token(sys.argv[1]), flush=True); time.sleep(60)",
            str(data),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        token = other.stdout.readline().strip()
        ours = store.add_run(store.project("P"), "0" * 64, {"model_name": "m.ifc"})
        assert store.claim(token, max_running=1) == ours  # run by the other server
        assert jobs.owner_alive(data, token)
        assert jobs.interrupt_orphans(store) == []  # a second server starts: the run goes on
        assert store.run(ours)["status"] == "running"
    finally:
        other.kill()
        other.wait(10)
    assert not jobs.owner_alive(data, token)  # its lock went with it
    assert jobs.interrupt_orphans(store) == [ours]
    assert store.run(ours)["message"] == jobs.INTERRUPTED


def test_a_slot_held_by_a_server_that_died_is_freed_for_the_queued_runs_of_a_living_one(tmp_path):
    """Two servers on one data folder, one slot: the other server claimed a run and was killed. The living
    server's next look for a slot marks that run interrupted and starts its own queued run."""
    store = Store(tmp_path / "data")
    scheduler = jobs.Scheduler(store, max_running=1, time_limit_s=60, target=wait_for_go)
    project = store.project("P")
    theirs = store.add_run(project, "0" * 64, {"model_name": "m.ifc"})
    dead = "0123456789abcdef"  # the killed server's token: no lock file holds it
    assert store.claim(dead, max_running=1) == theirs
    ours = store.add_run(project, "0" * 64, {"model_name": "m.ifc"})
    assert scheduler.pump() == [ours]
    assert store.run(theirs)["message"] == jobs.INTERRUPTED
    (tmp_path / "data" / f"go-{ours}").touch()
    _until(lambda: store.run(ours)["status"] == "done", 60, "the queued run did not finish")
    scheduler.shutdown()
    assert not list((tmp_path / "data" / "owners").iterdir())  # a clean stop leaves no lock file
