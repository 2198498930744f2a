"""The web app's data (issue 14, part S3): downloads and messages name the uploaded files, never a path
on the server or a hash name; runs and projects can be deleted; the energy and mapping files are checked
by what they hold, and energy figures no building reaches are refused (the bounds themselves, and the
CLI: tests/test_energy_bounds.py)."""

from __future__ import annotations

import io
import json
import os
import threading
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest
import yaml
from fastapi.testclient import TestClient
from test_web import _client, _wait
from webforms import csrf

from bimcarbon.web import jobs
from bimcarbon.web.store import Admission, ParentGone, Store

SAMPLES = Path(__file__).resolve().parent.parent / "sample_models"
OFFICE, ENERGY = SAMPLES / "office_m.ifc", SAMPLES / "office_m.energy.yaml"
#: A mapping a person wrote: one rule (the office's concrete blocks as C30 concrete).
MAPPING = yaml.safe_dump(
    {
        "metadata": {"id": "my-mapping", "version": "1"},
        "rules": [
            {
                "id": "blocks",
                "when": {"material_exact": ["Concrete block"]},
                "use": [{"factor": "concrete_c30"}],
            }
        ],
    }
).encode()


def _post(client: TestClient, model: bytes = b"", name: str = "office_m.ifc", **files):
    """POST /api/runs with the model (the office unless given) and ``energy``/``mapping`` as (name, bytes)."""
    sent = {"model": (name, model or OFFICE.read_bytes(), "application/octet-stream")}
    for slot, (file_name, content) in files.items():
        sent[slot] = (file_name, content, "application/yaml")
    return client.post("/api/runs", files=sent, data={"project": "Office"})


def _server_names(tmp_path: Path, run: dict) -> list[str]:
    """What no download or message may hold: the data folder (as given and resolved), the upload's hash
    names, the run folder's copies of the inputs and the server's scratch folders."""
    data = tmp_path / "data"
    sha = run["upload_sha256"]
    return [str(data.resolve()), str(data), f"{sha}.ifc", "uploads/", "mapping_in.yaml", ".check-"]


def _workbook_texts(content: bytes) -> list[tuple[str, str]]:
    book = openpyxl.load_workbook(io.BytesIO(content))
    return [
        (sheet.title, value)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if isinstance(value, str)
    ]


# ---- 5. the uploaded names, never a server path or a hash name ----------------------------------------
def test_the_workbooks_json_and_mapping_name_the_uploaded_files_never_a_server_path_or_hash_name(tmp_path):
    client = _client(tmp_path)
    response = _post(
        client,
        name="Office v1.ifc",
        energy=("site 7.energy.yaml", ENERGY.read_bytes()),
        mapping=("my-rules.yaml", MAPPING),
    )
    run = _wait(client, response.json()["id"])
    assert run["status"] == "done", run["message"]
    forbidden = _server_names(tmp_path, run)
    texts = {"json": client.get(f"/runs/{run['id']}/files/json").text}
    texts["mapping"] = client.get(f"/runs/{run['id']}/files/mapping").text
    texts["page"] = client.get(f"/runs/{run['id']}").text
    for lang in ("en", "zh"):  # every sheet of the workbook in both languages
        cells = _workbook_texts(client.get(f"/runs/{run['id']}/files/xlsx?lang={lang}").content)
        assert len({sheet for sheet, _ in cells}) > 5
        texts[f"xlsx {lang}"] = "\n".join(value for _, value in cells)
        assert any(value == "site 7.energy.yaml" for _, value in cells), lang  # Parameters: the energy file
        assert any("my-rules.yaml" in value for _, value in cells), lang
    for where, text in texts.items():
        for name in forbidden:
            assert name not in text, (where, name)
    parameters = json.loads(texts["json"])["parameters"]
    assert parameters["energy_file"] == "site 7.energy.yaml"  # was "energy.yaml", the run folder's copy
    assert parameters["mappings"] == ["my-rules.yaml"]  # was ["mapping_in.yaml"]
    assert json.loads(texts["json"])["model_name"] == "Office v1.ifc"
    # a re-run with a choice and an edited figure says so, still by the uploaded names
    again = client.post(
        f"/api/runs/{run['id']}/rerun",
        json={"choices": {"Gypsum plaster": "concrete_c30"}, "energy": {"electricity_kwh": 13000}},
    )
    assert again.status_code == 201, again.text
    second = _wait(client, again.json()["id"])
    parameters = client.get(f"/api/runs/{second['id']}/assessment").json()["parameters"]
    assert parameters["energy_file"] == "site 7.energy.yaml (figures edited in the web app)"
    assert parameters["mappings"] == ["my-rules.yaml + choices given in the web app"]


def test_a_mapping_without_an_id_is_named_after_the_file_uploaded(tmp_path):
    """A mapping file without ``metadata`` takes its file's name as its id: the uploaded one ("my-rules"),
    not the run folder's copy ("mapping_in v" before, in the workbooks' rule sets)."""
    client = _client(tmp_path)
    bare = yaml.safe_dump({"rules": yaml.safe_load(MAPPING)["rules"]}).encode()
    run = _wait(client, _post(client, mapping=("my-rules.yaml", bare)).json()["id"])
    assert run["status"] == "done", run["message"]
    rule_sets = json.loads(client.get(f"/runs/{run['id']}/files/json").text)["rule_sets"]
    assert rule_sets[0] == "my-rules" and not any("mapping_in" in r for r in rule_sets), rule_sets


def test_figures_typed_in_the_form_are_named_as_such_in_the_outputs(tmp_path):
    client = _client(tmp_path)
    response = client.post(
        "/api/runs",
        files={"model": ("office.ifc", OFFICE.read_bytes(), "application/octet-stream")},
        data={"e_building_type": "public", "e_electricity_kwh": "12000"},
    )
    run = _wait(client, response.json()["id"])
    parameters = client.get(f"/api/runs/{run['id']}/assessment").json()["parameters"]
    assert parameters["energy_file"] == "energy figures given in the web app" and parameters["mappings"] == []


def test_failure_messages_name_the_uploaded_model_not_the_file_the_worker_reads(tmp_path):
    """The worker reads uploads/<sha256>.ifc: a model that fails to parse, a broken .ifczip and a time
    limit fail with messages that name the file as it was uploaded, and nothing of the server's."""
    client = _client(tmp_path)
    truncated = OFFICE.read_bytes()[:5000]
    broken = _wait(client, _post(client, truncated, name="Broken model.ifc").json()["id"])
    assert broken["status"] == "failed"
    assert broken["message"].startswith("Broken model.ifc: file is truncated"), broken["message"]
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w") as archive:
        archive.writestr("inner.ifc", truncated)
    zipped = _wait(client, _post(client, packed.getvalue(), name="Zipped.ifczip").json()["id"])
    assert zipped["message"].startswith("Zipped.ifczip: inner.ifc inside the zip: file is truncated"), zipped
    # an energy file valid on its own, but 1e9 kWh on the model's 160 m2 is 6.25e6 kWh per m2 (> 1e6):
    # refused by the worker once the floor area is known, naming the energy file as uploaded
    big = b"building_type: public\nannual: {electricity_kwh: 1.0e+9}\n"
    energy = _wait(client, _post(client, energy=("big.energy.yaml", big)).json()["id"])
    assert energy["status"] == "failed"
    assert energy["message"].startswith("big.energy.yaml: field 'annual.electricity_kwh'"), energy["message"]
    assert "6.25e+06 kWh per m2" in energy["message"]
    for run in (broken, zipped, energy):
        for name in _server_names(tmp_path, run) + [run["upload_sha256"], f"{run['id']}/energy.yaml"]:
            assert name not in run["message"], (run["message"], name)
    slow = _client(tmp_path / "slow", time_limit_s=0.05)
    stopped = _wait(slow, _post(slow).json()["id"])
    assert stopped["status"] == "failed" and "time limit" in stopped["message"]
    for name in _server_names(tmp_path / "slow", stopped) + [stopped["upload_sha256"]]:
        assert name not in stopped["message"]


def test_without_paths_replaces_every_server_name_of_a_runs_inputs(tmp_path):
    store = Store(tmp_path / "data")
    sha = "ab" * 32
    parameters = {"model_name": "Tower.ifc", "energy_name": "tower.energy.yaml", "mapping_name": None}
    run_id = store.add_run(store.project("P"), sha, parameters)
    run = store.run(run_id)
    (store.run_dir(run_id) / "energy.yaml").write_text("building_type: public\n")
    root = store.root.resolve()
    for message, expected in (
        (f"{root}/uploads/{sha}.ifc: file is truncated", "Tower.ifc: file is truncated"),
        (
            f"{store.root}/uploads/{sha}.ifczip: x.ifc inside the zip: bad",
            "Tower.ifc: x.ifc inside the zip: bad",
        ),
        (f"uploads/{sha}.ifc: no IfcProject", "Tower.ifc: no IfcProject"),
        (f"cannot open {sha}.ifc", "cannot open Tower.ifc"),
        (f"{root}/runs/{run_id}/energy.yaml: field 'x': bad", "tower.energy.yaml: field 'x': bad"),
        (f"internal error: {root}/cache/y.pickle", "internal error: cache/y.pickle"),
    ):
        assert jobs._without_paths(message, store, run) == expected


def test_an_upload_refusal_names_the_file_as_uploaded(tmp_path):
    client = _client(tmp_path)
    bad_energy = _post(
        client, energy=("site.energy.yaml", b"building_type: public\nannual: {electricity_kwh: -5}\n")
    )
    assert bad_energy.status_code == 400
    assert bad_energy.json()["detail"].startswith("site.energy.yaml: field 'annual.electricity_kwh'"), (
        bad_energy.text
    )
    bad_rule = _post(
        client, mapping=("team-rules.yaml", b"rules:\n  - {id: r1, when: {}, use: [{facto: x}]}\n")
    )
    assert bad_rule.status_code == 400
    assert bad_rule.json()["detail"].startswith("team-rules.yaml: rule 1 (r1)"), bad_rule.text
    data = tmp_path / "data"
    for response in (bad_energy, bad_rule):
        for name in (str(data.resolve()), str(data), ".check-", "mapping_in.yaml", "/energy.yaml"):
            assert name not in response.text, name
    assert not list((data / "uploads").iterdir())


# ---- 7. deleting runs and projects ---------------------------------------------------------------------
def test_deleting_a_run_removes_its_files_and_keeps_the_upload_its_re_run_uses(tmp_path):
    client = _client(tmp_path)
    data = tmp_path / "data"
    first = _wait(client, _post(client, energy=("office.energy.yaml", ENERGY.read_bytes())).json()["id"])
    rerun = client.post(f"/api/runs/{first['id']}/rerun", json={"Gypsum plaster": "concrete_c30"})
    second = _wait(client, rerun.json()["id"])
    upload = data / "uploads" / f"{first['upload_sha256']}.ifc"
    assert second["status"] == "done" and upload.exists() and list((data / "cache").iterdir())
    deleted = client.delete(f"/api/runs/{first['id']}")
    assert deleted.status_code == 200, deleted.text
    assert deleted.json() == {"deleted_runs": [first["id"]], "removed_uploads": 0}
    assert not (data / "runs" / first["id"]).exists()
    for url in (f"/api/runs/{first['id']}", f"/runs/{first['id']}", f"/runs/{first['id']}/files/xlsx"):
        assert client.get(url).status_code == 404, url
    assert client.delete(f"/api/runs/{first['id']}").status_code == 404
    assert upload.exists()  # the re-run uses it
    # the re-run's parent is gone: its page and the project's say so, and it can be re-run again
    assert "Re-run of a run since deleted" in client.get(f"/runs/{second['id']}").text
    assert "Re-run of a run since deleted" in client.get(f"/projects/{second['project_id']}").text
    third = client.post(f"/api/runs/{second['id']}/rerun", json={"energy": {"electricity_kwh": 13000}})
    assert third.status_code == 201, third.text
    third_run = _wait(client, third.json()["id"])
    assert third_run["status"] == "done", third_run["message"]
    assert (
        client.get(f"/api/runs/{third_run['id']}/assessment").json()["operational"]["gross_kgco2_per_year"]
        > 0
    )
    # the last runs of the upload go: so does the file, its row and its cached take-off
    assert client.delete(f"/api/runs/{second['id']}").json()["removed_uploads"] == 0
    assert client.delete(f"/api/runs/{third_run['id']}").json()["removed_uploads"] == 1
    assert not upload.exists() and not list((data / "cache").glob(f"{first['upload_sha256']}-*"))
    assert Store(data).upload(first["upload_sha256"]) is None
    assert client.get(f"/api/projects/{first['project_id']}/runs").json() == []


def test_deleting_a_run_or_a_project_from_its_page_asks_for_the_box_to_be_ticked(tmp_path):
    client = _client(tmp_path, max_concurrent_runs=0)  # nothing starts: the runs stay queued
    data = tmp_path / "data"
    kept = _post(client, b"ISO-10303-21;\nother model\n", name="other.ifc").json()["id"]
    client.post(  # another project: its run of the same office file keeps the upload
        "/api/runs", files={"model": ("office.ifc", OFFICE.read_bytes())}, data={"project": "Elsewhere"}
    )
    first, second = (_post(client).json()["id"] for _ in range(2))
    run = client.get(f"/api/runs/{first}").json()
    page = client.get(f"/runs/{first}").text
    assert f'action="/runs/{first}/delete"' in page and 'name="confirm"' in page
    refused = client.post(f"/runs/{first}/delete", data=csrf(client, f"/runs/{first}"))
    assert refused.status_code == 400 and "Tick the box to confirm the deletion." in refused.text
    assert (data / "runs" / first).exists()
    chinese = client.post(
        f"/runs/{first}/delete", data=csrf(client, f"/runs/{first}"), headers={"Accept-Language": "zh-CN"}
    )
    assert "请勾选确认框以确认删除。" in chinese.text
    done = client.post(
        f"/runs/{first}/delete",
        data={"confirm": "yes", **csrf(client, f"/runs/{first}")},
        follow_redirects=False,
    )
    assert done.status_code == 303 and done.headers["location"] == f"/projects/{run['project_id']}"
    assert client.get(f"/runs/{first}").status_code == 404 and not (data / "runs" / first).exists()
    project = client.get(f"/projects/{run['project_id']}").text
    assert f'action="/projects/{run["project_id"]}/delete"' in project
    assert (
        client.post(
            f"/projects/{run['project_id']}/delete", data=csrf(client, f"/projects/{run['project_id']}")
        ).status_code
        == 400
    )
    gone = client.post(
        f"/projects/{run['project_id']}/delete",
        data={"confirm": "yes", **csrf(client, f"/projects/{run['project_id']}")},
        follow_redirects=False,
    )
    assert gone.status_code == 303 and gone.headers["location"] == "/"
    for url in (
        f"/projects/{run['project_id']}",
        f"/api/projects/{run['project_id']}/runs",
        f"/api/runs/{second}",
        f"/api/runs/{kept}",
    ):
        assert client.get(url).status_code == 404, url
    assert not (data / "runs" / second).exists() and not (data / "runs" / kept).exists()
    assert [p["name"] for p in client.get("/api/projects").json()] == ["Elsewhere"]
    uploads = sorted(p.name for p in (data / "uploads").iterdir())
    assert uploads == [f"{run['upload_sha256']}.ifc"]  # "other.ifc" is gone; the office file stays
    assert client.delete(f"/api/projects/{run['project_id']}").status_code == 404


def test_a_running_run_is_not_deleted_and_a_deleted_queued_run_never_starts(tmp_path):
    client = _client(tmp_path, max_concurrent_runs=0)
    store = Store(tmp_path / "data")
    running, queued = (_post(client).json()["id"] for _ in range(2))
    project_id = client.get(f"/api/runs/{running}").json()["project_id"]
    store.start_running(running, "taking off quantities")  # as the scheduler does
    refused = client.delete(f"/api/runs/{running}")
    assert refused.status_code == 409 and "in progress" in refused.json()["detail"]
    page = client.post(f"/runs/{running}/delete", data={"confirm": "yes", **csrf(client, f"/runs/{running}")})
    assert page.status_code == 409 and "is in progress and cannot be deleted" in page.text
    assert f'action="/runs/{running}/delete"' not in client.get(f"/runs/{running}").text  # no button
    # the project is not deleted either, not even its queued run: nothing is
    assert client.delete(f"/api/projects/{project_id}").status_code == 409
    assert len(client.get(f"/api/projects/{project_id}/runs").json()) == 2
    assert store.run_dir(running).exists() and store.run_dir(queued).exists()
    # a queued run can go: the scheduler then has nothing to start
    assert client.delete(f"/api/runs/{queued}").json()["deleted_runs"] == [queued]
    assert jobs.Scheduler(store, max_running=5).pump() == []
    store.set_status(running, "failed", "test")  # once it has ended it can go, and the project with it
    assert client.delete(f"/api/projects/{project_id}").json()["deleted_runs"] == [running]


def _received(store: Store, name: str) -> Path:
    """A model just received (``uploads/.incoming-*``, as ``uploads.receive`` leaves it)."""
    path = store.root / "uploads" / f".incoming-{name}"
    path.write_bytes(b"ISO-10303-21;\n")
    return path


def _admit(store: Store, sha: str, name: str) -> str:
    room = Admission(max_running=2, max_waiting=5, max_waiting_per_client=5)
    return store.admit(
        room, store.prepare_run(), sha, {"model_name": name}, project_name="P",
        upload=(14, name, "ifc"), received=_received(store, name),
    )  # fmt: skip


def test_a_new_upload_of_a_file_whose_last_run_is_being_deleted_keeps_its_file(tmp_path, monkeypatch):
    """The admission puts the model file in place in its transaction and the deletion removes unused
    files in its own: one waits for the other, so the file is stored exactly while a run uses it. Here
    the deletion of the last run of the file starts while a new run of the same file is being admitted
    (paused inside its transaction, just after the run's row is written)."""
    store = Store(tmp_path / "data")
    sha = "cd" * 32
    old = _admit(store, sha, "a.ifc")
    assert not list((store.root / "uploads").glob(".incoming-*"))  # moved into place
    inside, go_on = threading.Event(), threading.Event()
    insert = Store._insert_run

    def paused(*args, **kwargs):
        insert(*args, **kwargs)
        inside.set()
        go_on.wait(10)

    monkeypatch.setattr(Store, "_insert_run", staticmethod(paused))
    new: list[str] = []
    admitting = threading.Thread(target=lambda: new.append(_admit(store, sha, "b.ifc")))
    admitting.start()
    assert inside.wait(10)  # the new run is being admitted: its transaction holds the write lock
    deleted: list = []
    deleting = threading.Thread(target=lambda: deleted.append(store.delete_run(old)))
    deleting.start()
    deleting.join(0.5)
    assert deleting.is_alive()  # the deletion waits for the admission
    go_on.set()
    admitting.join(10)
    deleting.join(10)
    assert deleted[0].runs == [old] and deleted[0].uploads == []  # the new run uses the file: kept
    assert store.upload_path(sha, "ifc").read_bytes() == b"ISO-10303-21;\n"
    assert store.upload(sha) is not None and store.run(new[0])["upload_sha256"] == sha
    assert not list((store.root / "uploads").glob(".incoming-*"))  # the second copy was dropped


def test_a_new_upload_after_the_last_run_of_the_same_file_was_deleted_stores_it_again(tmp_path):
    """The other order: the deletion first (file and row gone), then the admission puts them back."""
    store = Store(tmp_path / "data")
    sha = "cd" * 32
    old = _admit(store, sha, "a.ifc")
    assert store.delete_run(old).uploads == [sha]
    assert not store.upload_path(sha, "ifc").exists() and store.upload(sha) is None
    new = _admit(store, sha, "b.ifc")
    assert store.upload_path(sha, "ifc").read_bytes() == b"ISO-10303-21;\n"
    assert store.upload(sha)["original_name"] == "b.ifc" and store.run(new)["upload_sha256"] == sha


def test_files_a_killed_server_left_while_receiving_are_removed_a_day_later(tmp_path):
    store = Store(tmp_path / "data")
    stale, fresh = _received(store, "stale"), _received(store, "fresh")
    check = store.root / ".check-abc"
    check.mkdir()
    day_ago = time.time() - 25 * 3600
    for path in (stale, check):
        os.utime(path, (day_ago, day_ago))
    assert sorted(p.name for p in store.remove_stale()) == [".check-abc", ".incoming-stale"]
    assert fresh.exists()  # another server may be receiving it now


def test_a_re_run_of_a_run_deleted_meanwhile_is_refused_and_leaves_nothing(tmp_path):
    """A re-run reads its parent's files: the parent deleted before the re-run is admitted, it is refused
    (API 404), not queued to fail on a missing model."""
    store = Store(tmp_path / "data")
    room = Admission(max_running=2, max_waiting=5, max_waiting_per_client=5)
    parent = store.add_run(store.project("P"), "0" * 64, {"model_name": "m.ifc"})
    store.delete_run(parent)
    child = store.prepare_run()
    with pytest.raises(ParentGone):
        store.admit(room, child, "0" * 64, {}, project_id="x", parent_id=parent)
    assert store.run(child) is None and store.count_active() == 0


# ---- 9. the energy and mapping files checked by content; physical bounds -----------------------------
def test_an_energy_file_in_the_mapping_slot_and_a_mapping_in_the_energy_slot_are_refused(tmp_path):
    client = _client(tmp_path)
    swapped = _post(client, mapping=("office_m.energy.yaml", ENERGY.read_bytes()))
    assert swapped.status_code == 400
    detail = swapped.json()["detail"]
    assert detail.startswith("office_m.energy.yaml looks like an energy file (it has annual, "), detail
    assert detail.endswith("not a mapping file: choose it as the energy file")
    mapping_as_energy = _post(client, energy=("my-rules.yaml", MAPPING))
    assert mapping_as_energy.status_code == 400
    assert mapping_as_energy.json()["detail"] == (
        "my-rules.yaml looks like a mapping file (it has 'rules'), not an energy file: "
        "choose it as the mapping file"
    )
    no_rules = _post(client, mapping=("notes.yaml", b"metadata: {id: x}\ncolour: blue\n"))
    assert no_rules.status_code == 400
    assert no_rules.json()["detail"] == "notes.yaml is not a mapping file: it has no 'rules' list"
    assert not list((tmp_path / "data" / "uploads").iterdir())  # nothing stored
    # the form says it in the page's language, with the file's name
    page = client.post(
        "/runs",
        files={
            "model": ("office.ifc", OFFICE.read_bytes()),
            "mapping": ("office_m.energy.yaml", ENERGY.read_bytes()),
        },
        data=csrf(client),
        headers={"Accept-Language": "zh-CN"},
    )
    assert page.status_code == 400 and "office_m.energy.yaml 看起来是能耗文件" in page.text
    # a mapping with an empty list of rules is a mapping file (of no rules)
    empty = _post(client, mapping=("written.yaml", b"metadata: {id: project-mapping}\nrules: []\n"))
    assert empty.status_code == 201, empty.text


def test_the_web_refuses_1e300_kwh_typed_in_the_form_or_sent_to_a_re_run(tmp_path):
    client = _client(tmp_path, max_concurrent_runs=0)
    typed = client.post(
        "/api/runs",
        files={"model": ("office.ifc", OFFICE.read_bytes(), "application/octet-stream")},
        data={"e_building_type": "public", "e_electricity_kwh": "1e300"},
    )
    assert typed.status_code == 400
    assert typed.json()["detail"].startswith(
        "field 'annual.electricity_kwh': 1e+300 kWh a year is more than any"
    )
    uploaded = _post(
        client, energy=("e.yaml", b"building_type: public\nannual: {electricity_kwh: 1.0e+300}\n")
    )
    assert uploaded.status_code == 400 and uploaded.json()["detail"].startswith(
        "e.yaml: field 'annual.electricity_kwh'"
    )
    assert not list((tmp_path / "data" / "uploads").iterdir())
    store = Store(tmp_path / "data")
    run_id = _post(client, energy=("e.yaml", ENERGY.read_bytes())).json()["id"]
    store.set_status(run_id, "done", "", {})
    rerun = client.post(f"/api/runs/{run_id}/rerun", json={"energy": {"electricity_kwh": 1e300}})
    assert (
        rerun.status_code == 400 and "1e+300 kWh a year is more than any building" in rerun.json()["detail"]
    )
    area = client.post(f"/api/runs/{run_id}/rerun", json={"energy": {"gross_floor_area_m2": 1e-3}})
    assert area.status_code == 400 and "0.001 m2 is no building's floor area" in area.json()["detail"]
