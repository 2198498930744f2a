"""A re-run's choices are checked against the run before anything is made: at most
:data:`bimcarbon.web.rerun.MAX_CHOICES` of them, each for a material the run left out or assessed (or was
given a choice for), refused at once whatever their number."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from bimcarbon.web import rerun
from bimcarbon.web.app import Settings, create_app

SAMPLES = Path(__file__).resolve().parent.parent / "sample_models"
OFFICE, ENERGY = SAMPLES / "office_m.ifc", SAMPLES / "office_m.energy.yaml"


@pytest.fixture(scope="module")
def done(tmp_path_factory):
    """A client and a finished run of the office sample (its left-out materials include Gypsum plaster)."""
    client = TestClient(create_app(Settings(data_dir=tmp_path_factory.mktemp("rerun") / "data")))
    files = {"model": ("office_m.ifc", OFFICE.read_bytes()), "energy": ("e.yaml", ENERGY.read_bytes())}
    run_id = client.post("/api/runs", files=files, data={"project": "P"}).json()["id"]
    deadline = time.monotonic() + 120
    while client.get(f"/api/runs/{run_id}").json()["status"] != "done" and time.monotonic() < deadline:
        time.sleep(0.2)
    assert client.get(f"/api/runs/{run_id}").json()["status"] == "done"
    return client, run_id


def _runs(client: TestClient, run_id: str) -> int:
    project = client.get(f"/api/runs/{run_id}").json()["project_id"]
    return len(client.get(f"/api/projects/{project}/runs").json())


def test_twenty_thousand_choices_are_refused_at_once_and_nothing_is_made(done):
    client, run_id = done
    before = _runs(client, run_id)
    choices = {f"Material {i}": "concrete_c30" for i in range(20_000)}
    for body in ({"choices": choices}, choices):  # both shapes of the API
        start = time.perf_counter()
        response = client.post(f"/api/runs/{run_id}/rerun", json=body)
        seconds = time.perf_counter() - start
        assert response.status_code == 400
        assert response.json()["detail"] == "at most 2000 choices in one re-run (this one has 20000)"
        assert seconds < 3, seconds  # was a minute: a mapping of 20,000 rules written before any check
    # the run page's form, in Chinese: 2,500 choices are refused with the page; 20,000 (40,000 fields) by
    # the form parser, before any field is read
    for count, refusal in ((2500, "一次重新评估最多 2000 项选择(本次 2500 项)"), (20_000, "Too many fields")):
        form = {f"factor-{i}": "concrete_c30" for i in range(count)}
        form |= {f"material-{i}": f"Material {i}" for i in range(count)}
        start = time.perf_counter()
        page = client.post(f"/runs/{run_id}/rerun?lang=zh", data=form, follow_redirects=False)
        assert page.status_code == 400 and refusal in page.text
        assert time.perf_counter() - start < 3
    assert _runs(client, run_id) == before


def test_a_choice_for_a_material_the_run_does_not_have_is_refused_naming_it(done):
    client, run_id = done
    before = _runs(client, run_id)
    body = {"choices": {"Gypsum plaster": "concrete_c30", "Unobtainium": "concrete_c30"}}
    response = client.post(f"/api/runs/{run_id}/rerun", json=body)
    assert response.status_code == 400
    assert response.json()["detail"] == (
        "no material named 'Unobtainium' in this run: choose among the materials it left out or assessed"
    )
    # withdrawing a choice the run was never given is refused the same way
    withdrawn = client.post(f"/api/runs/{run_id}/rerun", json={"choices": {"Kryptonite": None}})
    assert withdrawn.status_code == 400 and "'Kryptonite'" in withdrawn.json()["detail"]
    assert _runs(client, run_id) == before
    # the run's own material left out is taken; so is one it assessed (a factor replaced)
    ok = client.post(f"/api/runs/{run_id}/rerun", json={"Gypsum plaster": "concrete_c30"})
    assert ok.status_code == 201, ok.text
    assessed = client.get(f"/api/runs/{run_id}/assessment").json()["by_material"][0]["material"]
    assert client.post(f"/api/runs/{run_id}/rerun", json={assessed: "concrete_c50"}).status_code == 201


def test_checking_the_most_choices_allowed_against_the_runs_materials_takes_a_moment():
    names = [f"Material {i}" for i in range(rerun.MAX_CHOICES)]
    choices = [rerun.Choice(name, "concrete_c30") for name in names]
    rerun.check_choices(choices[:10], set(names))  # the library loaded once, outside the timing
    start = time.perf_counter()
    rerun.check_choices(choices, set(names))  # 2,000 choices against 2,000 names: sets, not lists
    assert time.perf_counter() - start < 0.2
    with pytest.raises(rerun.UploadError, match="no material named 'Material 1999'"):
        rerun.check_choices(choices, set(names[:-1]))
