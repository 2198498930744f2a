"""The web app through FastAPI's test client: upload, progress, result, downloads, history, refusals."""

from __future__ import annotations

import io
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest
from fastapi.testclient import TestClient
from webforms import as_browser, csrf

from bimcarbon.web.app import Settings, create_app

SAMPLES = Path(__file__).resolve().parent.parent / "sample_models"
OFFICE, ENERGY = SAMPLES / "office_m.ifc", SAMPLES / "office_m.energy.yaml"


def _client(tmp_path, **settings) -> TestClient:
    return as_browser(TestClient(create_app(Settings(data_dir=tmp_path / "data", **settings))))


def _wait(client: TestClient, run_id: str, seconds: float = 120) -> dict:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        run = client.get(f"/api/runs/{run_id}").json()
        if run["status"] in ("done", "failed"):
            return run
        time.sleep(0.3)
    raise AssertionError(f"run {run_id} did not finish")


def _submit(client: TestClient, content: bytes, name: str = "office.ifc", **fields):
    files = {"model": (name, content, "application/octet-stream")}
    if "energy" in fields:
        files["energy"] = ("energy.yaml", fields.pop("energy"), "application/yaml")
    return client.post("/api/runs", files=files, data={"project": "Office", **fields})


def test_upload_assess_read_the_verdict_download_and_see_the_history(tmp_path):
    client = _client(tmp_path)
    response = _submit(client, OFFICE.read_bytes(), energy=ENERGY.read_bytes())
    assert response.status_code == 201, response.text
    run_id = response.json()["id"]
    run = _wait(client, run_id)
    assert run["status"] == "done", run["message"]
    assessment = client.get(f"/api/runs/{run_id}/assessment").json()
    assert assessment["without_embodied"]["verdicts"]["reached"] == "low-carbon"
    assert assessment["operational"]["gross_kgco2_per_year"] == pytest.approx(7466.0)
    page = client.get(f"/runs/{run_id}")
    assert page.status_code == 200
    assert (
        "Without embodied" in page.text
        and "With embodied" in page.text
        and "Low-carbon building" in page.text
    )
    assert "建造及拆除阶段" in page.text and "material wastage" in page.text  # stages beside modules
    workbook = client.get(f"/runs/{run_id}/files/xlsx")
    assert workbook.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(workbook.content))
    assert book.sheetnames[0] == "Summary"
    mapping = client.get(f"/runs/{run_id}/files/mapping")
    assert "project-mapping" in mapping.text
    # a second design iteration of the same project: both runs are listed with their verdicts
    second = _submit(client, OFFICE.read_bytes(), name="office-v2.ifc")
    _wait(client, second.json()["id"])
    project_id = run["project_id"]
    runs = client.get(f"/api/projects/{project_id}/runs").json()
    assert len(runs) == 2 and {r["summary"]["with_embodied"] for r in runs} == {"low-carbon", None}
    history = client.get(f"/projects/{project_id}")
    assert "office-v2.ifc" in history.text and "office.ifc" in history.text


def test_the_form_redirects_to_a_page_that_refreshes_itself_while_running(tmp_path):
    client = _client(tmp_path)
    response = client.post(
        "/runs",
        files={"model": ("office.ifc", OFFICE.read_bytes(), "application/octet-stream")},
        data={"project": "P", **csrf(client)},
        follow_redirects=False,
    )
    assert response.status_code == 303
    page = client.get(response.headers["location"])
    if 'http-equiv="refresh"' not in page.text:  # it may already be done on a fast machine
        assert "Verdicts" in page.text
    else:
        assert "running" in page.text or "queued" in page.text
    _wait(client, response.headers["location"].rsplit("/", 1)[1])


def test_a_file_that_is_not_an_ifc_is_refused_whatever_its_name(tmp_path):
    client = _client(tmp_path)
    response = _submit(client, b"%PDF-1.7 not a model", name="model.ifc")
    assert response.status_code == 400
    assert "not an IFC file" in response.json()["detail"]
    page = client.post("/runs", files={"model": ("x.ifc", b"hello", "text/plain")}, data=csrf(client))
    assert page.status_code == 400 and "not an IFC file" in page.text


def test_an_oversize_file_is_refused(tmp_path):
    client = _client(tmp_path, max_upload_bytes=1000)
    response = _submit(client, OFFICE.read_bytes())
    assert response.status_code == 413
    assert "larger than the limit" in response.json()["detail"]
    assert not list((tmp_path / "data" / "uploads").iterdir())  # nothing stored, no leftovers


def test_an_oversize_body_without_a_declared_length_is_refused_while_it_arrives(tmp_path):
    client = _client(tmp_path, max_upload_bytes=1 << 20)

    def chunks():
        for _ in range(20):  # 20 MB, sent chunked (no Content-Length)
            yield b"0" * (1 << 20)

    response = client.post(
        "/api/runs", content=chunks(), headers={"content-type": "multipart/form-data; boundary=x"}
    )
    assert response.status_code == 413
    assert not list((tmp_path / "data" / "uploads").iterdir())


def test_a_zip_bomb_is_refused(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("model.ifc", b"ISO-10303-21;\n" + b"0" * (50 << 20))
    client = _client(tmp_path)
    response = _submit(client, buffer.getvalue(), name="model.ifczip")
    assert response.status_code == 400
    assert "zip bomb" in response.json()["detail"]


def test_a_path_traversal_file_name_never_becomes_a_path(tmp_path):
    client = _client(tmp_path)
    response = _submit(client, OFFICE.read_bytes(), name="../../outside.ifc")
    assert response.status_code == 201
    run = _wait(client, response.json()["id"])
    assert not (tmp_path / "outside.ifc").exists() and not (tmp_path / "data" / "outside.ifc").exists()
    stored = list((tmp_path / "data" / "uploads").glob("*.ifc"))
    assert [p.stem for p in stored] == [run["upload_sha256"]]


def test_a_model_the_parser_cannot_read_fails_that_run_and_the_server_answers_the_next(tmp_path):
    client = _client(tmp_path)
    truncated = OFFICE.read_bytes()[:5000]
    response = _submit(client, truncated)
    run = _wait(client, response.json()["id"])
    assert run["status"] == "failed" and "truncated" in run["message"]
    assert client.get("/").status_code == 200


def test_a_run_over_the_time_limit_is_stopped_and_marked_failed(tmp_path):
    client = _client(tmp_path, time_limit_s=0.05)
    response = _submit(client, OFFICE.read_bytes())
    run = _wait(client, response.json()["id"])
    assert run["status"] == "failed" and "time limit" in run["message"]
    assert client.get("/api/projects").status_code == 200


def test_an_access_token_protects_a_shared_deployment(tmp_path):
    client = _client(tmp_path, token="s3cret")
    assert client.get("/").status_code == 401
    for path in (
        "/openapi.json",
        "/api/projects",
        "/api/runs/x",
        "/runs/x",
        "/projects/x",
        "/runs/x/files/xlsx",
    ):
        assert client.get(path).status_code == 401, path
    assert client.post("/api/runs").status_code == 401
    assert client.get("/docs").status_code == 404  # no Swagger UI from a CDN
    assert client.get("/", headers={"Authorization": "Bearer s3cret"}).status_code == 200
    assert client.get("/?token=s3cret").status_code == 200
    assert client.get("/").status_code == 200  # the cookie set by the query token


def test_unknown_ids_are_404_and_ids_are_unguessable(tmp_path):
    client = _client(tmp_path)
    assert client.get("/api/runs/123").status_code == 404
    response = _submit(client, OFFICE.read_bytes())
    assert len(response.json()["id"]) >= 22
    _wait(client, response.json()["id"])


def test_the_api_is_documented_with_openapi(tmp_path):
    client = _client(tmp_path)
    assert client.get("/", headers={"host": "evil.example"}).status_code == 400  # DNS rebinding
    spec = client.get("/openapi.json").json()
    assert "/api/runs" in spec["paths"] and "/api/runs/{run_id}/assessment" in spec["paths"]


def test_choose_factors_for_left_out_materials_and_re_run_without_uploading_again(tmp_path):
    client = _client(tmp_path)
    first = _submit(client, OFFICE.read_bytes(), energy=ENERGY.read_bytes())
    run = _wait(client, first.json()["id"])
    page = client.get(f"/runs/{run['id']}")
    assert "Re-run with these factors" in page.text and "Gypsum plaster" in page.text
    refused = client.post(f"/api/runs/{run['id']}/rerun", json={"Gypsum plaster": "no_such_factor"})
    assert refused.status_code == 400 and "unknown factor" in refused.json()["detail"]
    response = client.post(
        f"/api/runs/{run['id']}/rerun", json={"Gypsum plaster": "concrete_c30"}
    )  # any per-m3 factor converts
    assert response.status_code == 201
    second = _wait(client, response.json()["id"])
    assert second["status"] == "done" and second["upload_sha256"] == run["upload_sha256"]
    assessment = client.get(f"/api/runs/{second['id']}/assessment").json()
    left_out = {m["material"] for m in assessment["coverage"]["unmapped"]}
    assert "Gypsum plaster" not in left_out
    assert assessment["operational"]["gross_kgco2_per_year"] == pytest.approx(7466.0)  # energy file kept
    before = client.get(f"/api/runs/{run['id']}/assessment").json()["embodied"]["a1_a3"]
    assert assessment["embodied"]["a1_a3"] > before
    form = client.post(
        f"/runs/{run['id']}/rerun",
        data={
            "material-1": "Gypsum plaster",
            "factor-1": "desnz_plasterboard",
            **csrf(client, page.url.path),
        },
        follow_redirects=False,
    )
    assert form.status_code == 303
    _wait(client, form.headers["location"].rsplit("/", 1)[1])


def test_the_energy_figures_can_be_typed_in_the_form_instead_of_a_file(tmp_path):
    client = _client(tmp_path)
    response = client.post(
        "/api/runs",
        files={"model": ("office.ifc", OFFICE.read_bytes(), "application/octet-stream")},
        data={"e_building_type": "public", "e_electricity_kwh": "12000", "e_natural_gas_m3": "1000",
              "e_pv_self_consumed_kwh": "2000", "e_pv_exported_kwh": "500", "e_baseline_intensity": "93.325"},
    )  # fmt: skip
    assert response.status_code == 201, response.text
    run = _wait(client, response.json()["id"])
    a = client.get(f"/api/runs/{run['id']}/assessment").json()
    assert a["operational"]["gross_kgco2_per_year"] == pytest.approx(7466.0)
    assert a["without_embodied"]["metrics"]["carbon_intensity_reduction_share"] == pytest.approx(0.5)
    bad = client.post(
        "/api/runs",
        files={"model": ("office.ifc", OFFICE.read_bytes(), "application/octet-stream")},
        data={"e_electricity_kwh": "a lot"},
    )
    assert bad.status_code == 400 and "electricity_kwh must be a number" in bad.json()["detail"]


def test_everything_is_still_there_after_a_restart(tmp_path):
    first = _client(tmp_path)
    response = _submit(first, OFFICE.read_bytes(), energy=ENERGY.read_bytes())
    run = _wait(first, response.json()["id"])
    again = _client(tmp_path)  # a new app on the same data directory
    assert again.get(f"/api/runs/{run['id']}").json()["status"] == "done"
    assert again.get(f"/runs/{run['id']}/files/xlsx").status_code == 200
    page = again.get(f"/runs/{run['id']}")
    assert "A1-A3 by material" in page.text and "Concrete C30/37" in page.text


def crash(root: str, run_id: str) -> None:
    """A worker that dies the way a crashing IFC parser would (no Python exception)."""
    import os

    os._exit(11)


def test_a_crashing_worker_marks_its_run_failed_and_the_server_goes_on(tmp_path):
    from bimcarbon.web import jobs
    from bimcarbon.web.store import Store

    client = _client(tmp_path)
    store = Store(tmp_path / "data")
    project = store.project("Crash")
    run_id = store.add_run(project, "0" * 64, {"criteria": "cn-zero-carbon-building-draft-2023"})
    jobs.start(store, run_id, 60, target=crash).join(60)
    run = client.get(f"/api/runs/{run_id}").json()
    assert run["status"] == "failed" and "exit code 11" in run["message"]
    assert client.get("/").status_code == 200


def test_runs_left_running_by_a_stopped_server_are_marked_failed_at_the_next_start(tmp_path):
    from bimcarbon.web.store import Store

    store = Store(tmp_path / "data")
    run_id = store.add_run(store.project("P"), "0" * 64, {"criteria": "cn-zero-carbon-building-draft-2023"})
    store.set_status(run_id, "running", "taking it off")
    client = _client(tmp_path)
    run = client.get(f"/api/runs/{run_id}").json()
    assert run["status"] == "failed" and "interrupted" in run["message"]


def test_a_broken_energy_file_is_refused_before_anything_is_stored(tmp_path):
    client = _client(tmp_path)
    response = _submit(client, OFFICE.read_bytes(), energy=b"1: 2\n")
    assert response.status_code == 400
    assert not list((tmp_path / "data" / "uploads").iterdir())
    assert client.get("/api/projects").json() == []


def test_choices_can_be_changed_by_re_running_a_re_run(tmp_path):
    client = _client(tmp_path)
    run = _wait(client, _submit(client, OFFICE.read_bytes()).json()["id"])
    second = _wait(
        client,
        client.post(f"/api/runs/{run['id']}/rerun", json={"Gypsum plaster": "concrete_c30"}).json()["id"],
    )
    third = client.post(f"/api/runs/{second['id']}/rerun", json={"Gypsum plaster": "concrete_c50"})
    assert third.status_code == 201, third.text
    done = _wait(client, third.json()["id"])
    assert done["status"] == "done", done["message"]


def test_too_many_runs_at_once_are_refused_with_429(tmp_path):
    from bimcarbon.web.store import Store

    client = _client(tmp_path, max_concurrent_runs=1, max_queued_runs=0)  # no room to wait
    store = Store(tmp_path / "data")
    busy = store.add_run(store.project("P"), "0" * 64, {})  # queued: counts as in progress
    response = _submit(client, OFFICE.read_bytes())
    assert response.status_code == 429 and "in progress" in response.json()["detail"]
    store.set_status(busy, "failed", "test")


def test_a_model_that_crashes_the_ifc_parser_fails_its_run_and_the_server_goes_on(tmp_path):
    # found by the fuzzer: ifcopenshell 0.9's parser dies with a segmentation fault on this file
    crasher = Path(__file__).parent / "data" / "fuzz" / "parser-segfault.ifc"
    client = _client(tmp_path)
    run = _wait(client, _submit(client, crasher.read_bytes(), name="crash.ifc").json()["id"])
    assert run["status"] == "failed" and "stopped unexpectedly" in run["message"]
    assert client.get("/").status_code == 200


def test_an_implausible_result_is_a_red_box_at_the_top_of_the_result_page(tmp_path):
    # two slabs without a body (nothing to check them against) export 16,000 m3 each: on 160 m2 that
    # is 200 m3 of material per m2 of floor, above 10 x the 2.5 a person would believe
    import ifcopenshell.api.material
    import ifcopenshell.api.pset
    import ifcopenshell.api.root
    import ifcopenshell.api.spatial
    from builders import new_model

    f, ctx = new_model("m")
    concrete = ifcopenshell.api.material.add_material(f, name="Concrete C30/37")
    for name in ("S1", "S2"):
        slab = ifcopenshell.api.root.create_entity(f, ifc_class="IfcSlab", name=name)
        ifcopenshell.api.material.assign_material(f, products=[slab], type="IfcMaterial", material=concrete)
        qto = ifcopenshell.api.pset.add_qto(f, product=slab, name="BaseQuantities")
        ifcopenshell.api.pset.edit_qto(f, qto=qto, properties={"GrossVolume": 16000.0})
        ifcopenshell.api.spatial.assign_container(f, products=[slab], relating_structure=ctx["storey"])
    f.write(str(tmp_path / "slabs.ifc"))
    client = _client(tmp_path)
    energy = b"building_type: public\ngross_floor_area_m2: 160\n"
    response = _submit(client, (tmp_path / "slabs.ifc").read_bytes(), name="slabs.ifc", energy=energy)
    run = _wait(client, response.json()["id"])
    assert run["status"] == "done", run
    page = client.get(f"/runs/{run['id']}").text
    box = page.split('<section class="error" role="alert">', 1)[1].split("</section>", 1)[0]
    assert "Implausible result" in box and "200 m3/m2" in box
    assert page.index("Implausible result") < page.index("<h2>Verdicts</h2>")
    assert "Checks before believing the figures" in page
    history = client.get(f"/projects/{run['project_id']}").text
    assert "implausible: check the model" in history


def test_a_run_assessed_before_the_plausibility_checks_still_shows_its_page(tmp_path):
    import json

    client = _client(tmp_path)
    run = _wait(client, _submit(client, OFFICE.read_bytes(), energy=ENERGY.read_bytes()).json()["id"])
    stored = tmp_path / "data" / "runs" / run["id"] / "assessment.json"
    old = json.loads(stored.read_text())
    del old["plausibility"]  # what bimcarbon wrote before this check existed
    stored.write_text(json.dumps(old))
    page = client.get(f"/runs/{run['id']}")
    assert page.status_code == 200 and "<h2>Verdicts</h2>" in page.text
    assert "Implausible result" not in page.text
