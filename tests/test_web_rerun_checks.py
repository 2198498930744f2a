"""A re-run's choices are checked against the run before anything is made: at most
:data:`bimcarbon.web.rerun.MAX_CHOICES` of them, each for a material the run left out or assessed (or was
given a choice for), refused at once whatever their number."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from test_web import _client, _wait
from webforms import csrf

from bimcarbon.web import rerun

SAMPLES = Path(__file__).resolve().parent.parent / "sample_models"
OFFICE, ENERGY = SAMPLES / "office_m.ifc", SAMPLES / "office_m.energy.yaml"


@pytest.fixture(scope="module")
def done(tmp_path_factory):
    """A client and a finished run of the office sample (its left-out materials include Gypsum plaster)."""
    client = _client(tmp_path_factory.mktemp("rerun"))
    files = {"model": ("office_m.ifc", OFFICE.read_bytes()), "energy": ("e.yaml", ENERGY.read_bytes())}
    run_id = client.post("/api/runs", files=files, data={"project": "P"}).json()["id"]
    assert _wait(client, run_id)["status"] == "done"
    return client, run_id


def _runs(client: TestClient, run_id: str) -> int:
    project = client.get(f"/api/runs/{run_id}").json()["project_id"]
    return len(client.get(f"/api/projects/{project}/runs").json())


def test_twenty_thousand_choices_are_refused_at_once_and_nothing_is_made(done):
    client, run_id = done
    before = _runs(client, run_id)
    choices = {f"Material {i}": "concrete_c30" for i in range(20_000)}
    for body in ({"choices": choices}, choices):  # both shapes of the API
        response = client.post(f"/api/runs/{run_id}/rerun", json=body)
        assert response.status_code == 400  # was a minute: a mapping of 20,000 rules made before any check
        assert response.json()["detail"] == "at most 2000 choices in one re-run (this one has 20000)"
    # the run page's form, in Chinese: 2,500 choices are refused with the page; 20,000 (40,000 fields) by
    # the form parser, before any field is read
    for count, refusal in ((2500, "一次重新评估最多 2000 项选择(本次 2500 项)"), (20_000, "Too many fields")):
        form = {f"factor-{i}": "concrete_c30" for i in range(count)}
        form |= {f"material-{i}": f"Material {i}" for i in range(count)}
        form |= csrf(client, f"/runs/{run_id}")
        page = client.post(f"/runs/{run_id}/rerun?lang=zh", data=form, follow_redirects=False)
        assert page.status_code == 400 and refusal in page.text
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
    replaced = client.post(f"/api/runs/{run_id}/rerun", json={assessed: "concrete_c50"})
    assert replaced.status_code == 201, replaced.text
    for new in (ok.json()["id"], replaced.json()["id"]):  # both assessed (and no worker left behind)
        assert _wait(client, new)["status"] == "done"


def test_the_most_choices_allowed_are_each_checked_against_the_runs_materials():
    """2,000 choices (the limit) against 2,000 names: the one name the run lacks is found and named (how
    the time grows with the number of choices: bench/bench_rerun_choices.py)."""
    names = [f"Material {i}" for i in range(rerun.MAX_CHOICES)]
    choices = [rerun.Choice(name, "concrete_c30") for name in names]
    rerun.check_choices(choices, set(names))
    with pytest.raises(rerun.UploadError, match="no material named 'Material 1999' in this run"):
        rerun.check_choices(choices, set(names[:-1]))
    with pytest.raises(rerun.UploadError, match=r"at most 2000 choices in one re-run \(this one has 2001\)"):
        rerun.check_choices([*choices, rerun.Choice("one more", "concrete_c30")], set(names))


def test_a_choice_for_elements_without_a_material_name_is_refused(done):
    """The run page offers no choice for "(no material)" rows; the API refuses one too (a rule on that
    name would match nothing, and the re-run would change nothing while looking like it did)."""
    client, run_id = done
    before = _runs(client, run_id)
    for name in ("(no material)", "", "  "):
        response = client.post(f"/api/runs/{run_id}/rerun", json={name: "concrete_c30"})
        assert response.status_code == 400, name
        assert response.json()["detail"].startswith("elements without a material name cannot be given")
    assert _runs(client, run_id) == before
