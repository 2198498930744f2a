"""Admitting runs under load: the check of how many runs wait or run and the insert of the new one are one
step, so simultaneous uploads never start more workers than allowed nor queue more runs than allowed; a
client may queue only so many; every accepted run finishes."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import httpx
from fastapi.testclient import TestClient
from procs import WorkerSampler, free_port, need_proc, serve
from webforms import as_browser, csrf

from bimcarbon.web.app import Settings, create_app
from bimcarbon.web.store import Store

SAMPLES = Path(__file__).resolve().parent.parent / "sample_models"
OFFICE, ENERGY = SAMPLES / "office_m.ifc", SAMPLES / "office_m.energy.yaml"


def _client(tmp_path, client: tuple[str, int] = ("testclient", 50000), **settings) -> TestClient:
    return TestClient(create_app(Settings(data_dir=tmp_path / "data", **settings)), client=client)


def _submit(client: TestClient, project: str = "Office"):
    files = {
        "model": ("office_m.ifc", OFFICE.read_bytes(), "application/octet-stream"),
        "energy": ("energy.yaml", ENERGY.read_bytes(), "application/yaml"),
    }
    return client.post("/api/runs", files=files, data={"project": project})


def _wait(client: TestClient, run_id: str, seconds: float = 180) -> dict:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        run = client.get(f"/api/runs/{run_id}").json()
        if run["status"] in ("done", "failed"):
            return run
        time.sleep(0.2)
    raise AssertionError(f"run {run_id} did not finish")


def _at_once(count: int, action) -> list:
    """``action()`` in ``count`` threads released together; their results in order (an exception in
    place of the result of a thread that raised one)."""
    results: list = [None] * count
    gate = threading.Barrier(count)

    def one(index: int) -> None:
        gate.wait()
        try:
            results[index] = action()
        except Exception as exc:  # shown by the test's assertions
            results[index] = exc

    threads = [threading.Thread(target=one, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    return results


def test_twenty_uploads_at_once_start_at_most_the_allowed_workers_and_every_accepted_run_finishes(tmp_path):
    need_proc()
    client = _client(tmp_path, max_concurrent_runs=2, max_queued_runs=2, max_queued_per_client=20)
    with WorkerSampler() as sampler:
        responses = _at_once(20, lambda: _submit(client))
        accepted = [r.json()["id"] for r in responses if r.status_code == 201]
        refused = [r for r in responses if r.status_code != 201]
        finished = [_wait(client, run_id) for run_id in accepted]
    # 2 running + 2 waiting: at most 4 of the 20 get in (all 20 arrive within a run's first seconds)
    assert 2 <= len(accepted) <= 4, responses
    assert all(r.status_code == 429 and "at most 2 may wait" in r.json()["detail"] for r in refused)
    assert [run["status"] for run in finished] == ["done"] * len(accepted), [r["message"] for r in finished]
    assert 1 <= sampler.peak <= 2, sampler.peak  # never a third worker alive, sampled every 10 ms
    assert len(sampler.seen) == len(accepted)  # one worker per accepted run, none for a refused one
    # nothing of a refused upload is kept: one project, one stored model, one folder per accepted run
    store = Store(tmp_path / "data")
    assert len(store.projects()) == 1
    assert len(list((tmp_path / "data" / "uploads").iterdir())) == 1
    assert sorted(p.name for p in (tmp_path / "data" / "runs").iterdir()) == sorted(accepted)


def test_a_client_may_queue_only_so_many_runs_while_another_still_gets_in(tmp_path):
    first = _client(tmp_path, client=("10.0.0.1", 1), max_concurrent_runs=0, max_queued_per_client=2)
    # max_concurrent_runs=0: nothing starts, every accepted run waits in the queue
    assert [_submit(first).status_code for _ in range(3)] == [201, 201, 429]
    refused = _submit(first)
    assert "at most 2 may wait for one client" in refused.json()["detail"]
    other = TestClient(first.app, client=("10.0.0.2", 1))
    assert _submit(other).status_code == 201  # another address has its own share
    # the upload form answers with its page, in the person's language
    page = as_browser(first).post(
        "/runs?lang=zh",
        files={"model": ("m.ifc", OFFICE.read_bytes())},
        data={"project": "Office", **csrf(first)},
    )
    assert page.status_code == 429 and "<form" in page.text and "每个客户端最多可排队 2 个" in page.text
    # a re-run counts for the client that asks for it
    store = Store(tmp_path / "data")
    run_id = store.runs_of(store.projects()[0]["id"])[0]["id"]
    store.set_status(run_id, "done", "", {})
    rerun = first.post(f"/api/runs/{run_id}/rerun", json={"energy": {"gross_floor_area_m2": 250}})
    assert rerun.status_code == 429 and "for one client" in rerun.json()["detail"]


def test_a_local_client_cannot_pass_its_limit_by_naming_itself_in_x_forwarded_for(tmp_path):
    need_proc()
    port = free_port()
    server = serve(tmp_path / "data", port, tmp_path / "server.log")  # its runs stay in progress
    files = {"model": ("office_m.ifc", OFFICE.read_bytes()), "energy": ("e.yaml", ENERGY.read_bytes())}
    try:
        codes = [
            httpx.post(
                f"http://127.0.0.1:{port}/api/runs",
                files=files,
                data={"project": "P"},
                headers={"X-Forwarded-For": f"10.0.0.{i}"},  # a new address each time
                timeout=30,
            )
            for i in range(14)
        ]
    finally:
        server.terminate()
        server.wait(30)
    # the defaults: 2 running, then 10 waiting for one client (the address the connection comes from)
    assert [r.status_code for r in codes] == [201] * 12 + [429] * 2
    assert "at most 10 may wait for one client" in codes[-1].json()["detail"]
