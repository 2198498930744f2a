"""Named runs, re-run lineage, the queue, progress by stage and the comparison of two runs: the web app
through FastAPI's test client, and the comparison's arithmetic on small made-up assessments."""

from __future__ import annotations

import json
import re
import sqlite3
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pandas as pd
import pytest
from fastapi.testclient import TestClient
from test_web import _client, _wait
from webforms import csrf

from bimcarbon.web import compare, jobs
from bimcarbon.web.store import Store

SAMPLES = Path(__file__).resolve().parent.parent / "sample_models"
OFFICE, ENERGY = SAMPLES / "office_m.ifc", SAMPLES / "office_m.energy.yaml"
PACK = "cn-zero-carbon-building-draft-2023"


def _submit(client: TestClient, name: str = "office_m.ifc", energy: bool = True, **fields):
    files = {"model": (name, OFFICE.read_bytes(), "application/octet-stream")}
    if energy:
        files["energy"] = ("energy.yaml", ENERGY.read_bytes(), "application/yaml")
    return client.post("/api/runs", files=files, data={"project": "Office", **fields})


# ---- names -------------------------------------------------------------------------------------


def test_a_run_is_named_after_its_model_and_the_time_unless_the_person_names_it(tmp_path):
    client = _client(tmp_path, max_concurrent_runs=0)  # nothing starts: the runs wait in the queue
    before = datetime.now().astimezone().replace(second=0, microsecond=0)
    unnamed = client.get(f"/api/runs/{_submit(client).json()['id']}").json()
    assert re.fullmatch(r"office_m\.ifc \d{4}-\d{2}-\d{2} \d{2}:\d{2}", unnamed["name"]), unnamed["name"]
    stamped = datetime.strptime(unnamed["name"].split(" ", 1)[1], "%Y-%m-%d %H:%M").astimezone()
    assert before <= stamped <= datetime.now().astimezone()  # local time, to the minute
    named_id = _submit(client, run_name="  Scheme B\n(timber) ").json()["id"]
    named = client.get(f"/api/runs/{named_id}").json()
    assert named["name"] == "Scheme B(timber)"  # no control characters, no outer spaces
    long = client.get(f"/api/runs/{_submit(client, run_name='x' * 500).json()['id']}").json()
    assert long["name"] == "x" * 120
    page = client.get(f"/runs/{named['id']}")
    assert '<h1 class="run-name">Scheme B(timber)</h1>' in page.text
    assert "Scheme B(timber)" in client.get(f"/projects/{named['project_id']}").text


def test_a_run_can_be_renamed_on_its_page_and_through_the_api_but_not_to_nothing(tmp_path):
    client = _client(tmp_path, max_concurrent_runs=0)
    run_id = _submit(client).json()["id"]
    form = csrf(client, f"/runs/{run_id}")
    renamed = client.post(
        f"/runs/{run_id}/name", data={"run_name": "Scheme A <b>", **form}, follow_redirects=False
    )
    assert renamed.status_code == 303 and renamed.headers["location"] == f"/runs/{run_id}"
    page = client.get(f"/runs/{run_id}").text
    assert "Scheme A &lt;b&gt;" in page and "<b>" not in page.split("<main>")[1].split("</h1>")[0]
    empty = client.post(f"/runs/{run_id}/name", data={"run_name": "   ", **form})
    assert empty.status_code == 400 and "A run&#39;s name cannot be empty." in empty.text
    assert client.get(f"/api/runs/{run_id}").json()["name"] == "Scheme A <b>"
    assert client.patch(f"/api/runs/{run_id}", json={"name": "Scheme C"}).json()["name"] == "Scheme C"
    assert client.patch(f"/api/runs/{run_id}", json={"name": ""}).status_code == 400
    assert client.patch("/api/runs/nope", json={"name": "x"}).status_code == 404


#: The runs table as the web app created it before names, parents and stages (commit d68e2fb).
OLD_SCHEMA = """
CREATE TABLE IF NOT EXISTS projects (id TEXT PRIMARY KEY, name TEXT NOT NULL, created TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS uploads (
    sha256 TEXT PRIMARY KEY, size INTEGER NOT NULL, original_name TEXT NOT NULL,
    stored_name TEXT NOT NULL, created TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS runs (
    id TEXT PRIMARY KEY, project_id TEXT NOT NULL, upload_sha256 TEXT NOT NULL,
    parameters TEXT NOT NULL, status TEXT NOT NULL, message TEXT NOT NULL DEFAULT '',
    summary TEXT, created TEXT NOT NULL, finished TEXT);
"""


def test_a_database_made_before_run_names_keeps_working_and_its_runs_get_names(tmp_path):
    from bimcarbon.assess import assess

    data = tmp_path / "data"
    (data / "runs" / "old-run").mkdir(parents=True)
    (data / "uploads").mkdir()
    a = assess(OFFICE, ENERGY, model_name="office_m.ifc").assessment  # what an old run left:
    old_json = a.model_dump(mode="json", exclude={"elements"}) | {"format_version": 2}  # no elements
    (data / "runs" / "old-run" / "assessment.json").write_text(json.dumps(old_json))
    sha = a.model_sha256
    (data / "uploads" / f"{sha}.ifc").write_bytes(OFFICE.read_bytes())
    db = sqlite3.connect(data / "bimcarbon.sqlite")
    db.executescript(OLD_SCHEMA)
    db.execute("INSERT INTO projects VALUES ('old-project', 'Old project', '2025-03-01T09:00:00+00:00')")
    db.execute(
        f"INSERT INTO uploads VALUES ('{sha}', 1, 'office_m.ifc', '{sha}.ifc', '2025-03-01T09:00:00+00:00')"
    )
    summary = {"without_embodied": "low-carbon", "with_embodied": "low-carbon", "embodied_total_kgco2e": 1.0,
               "upfront_kg_per_m2": 1.0, "floor_area_m2": 160.0, "volume_share_mapped": 0.9}  # fmt: skip
    db.execute(
        "INSERT INTO runs VALUES ('old-run', 'old-project', ?, ?, 'done', '', ?, "
        "'2025-03-01T09:05:00+00:00', '2025-03-01T09:06:00+00:00')",
        (
            sha,
            json.dumps({"criteria": PACK, "model_name": "office_m.ifc", "lang": "en"}),
            json.dumps(summary),
        ),
    )
    db.commit()
    db.close()

    client = _client(tmp_path)  # opens the old database
    old = client.get("/api/runs/old-run").json()
    local = datetime(2025, 3, 1, 9, 5, tzinfo=timezone.utc).astimezone().strftime("%Y-%m-%d %H:%M")
    assert old["name"] == f"office_m.ifc {local}" and old["parent_id"] is None and old["stages"] == []
    assert old["status"] == "done"  # a finished run is left as it was
    page = client.get("/runs/old-run")
    assert page.status_code == 200 and f"office_m.ifc {local}" in page.text and "Assessed in" not in page.text
    assert "Old project" in client.get("/projects/old-project").text
    # a new run beside it, a re-run of the old one, and the two compared
    response = client.post("/api/runs/old-run/rerun", json={"Gypsum plaster": "desnz_plasterboard"})
    new = _wait(client, response.json()["id"])
    assert new["status"] == "done" and new["parent_id"] == "old-run", new["message"]
    compared = client.get(f"/projects/old-project/compare?a=old-run&b={new['id']}")
    assert compared.status_code == 200 and "Not recorded for a run made before this version" in compared.text
    # element by element: the page says which run to assess again; its downloads refuse with the reason
    assert "kept their elements&#39; results: run it again to compare element by element" in compared.text
    # without the elements, what needs none is still said: the re-run was given a mapping
    warnings = compared.text.split("Comparison warnings")[1].split("</section>")[0]
    assert "the two assessments were made with different inputs (" in warnings and "mappings" in warnings
    refused = client.get(f"/projects/old-project/compare/comparison.json?a=old-run&b={new['id']}")
    assert refused.status_code == 409 and "run it again" in refused.json()["detail"]
    assert Store(data).run("old-run")["name"] == old["name"]  # opening it again changes nothing
    columns = {r[1] for r in sqlite3.connect(data / "bimcarbon.sqlite").execute("PRAGMA table_info(runs)")}
    assert {"name", "parent_id", "started", "stages"} <= columns


# ---- lineage, progress and comparison of real runs ------------------------------------------------


def test_a_re_run_links_to_its_parent_the_parent_to_its_re_runs_and_the_two_compare(tmp_path):
    client = _client(tmp_path)
    first = _wait(client, _submit(client, run_name="Scheme A").json()["id"])
    assert first["status"] == "done", first["message"]
    # progress by stage, in the worker's order, with the model's 23 elements and their material parts
    stages = ["reading", "precheck", "takeoff", "matching", "assessing", "writing"]
    assert [s["stage"] for s in first["stages"]] == stages
    counts = {s["stage"]: s["count"] for s in first["stages"]}
    assert counts["takeoff"] == 23 + 1  # 23 elements taken off + 1 opening left out on purpose
    assert counts["matching"] == 40  # material parts: a layered wall or slab gives one per layer
    assert first["started"] and first["queue_position"] is None
    assert "Assessed in" in client.get(f"/runs/{first['id']}").text

    response = client.post(f"/api/runs/{first['id']}/rerun", json={"Gypsum plaster": "desnz_plasterboard"})
    second = _wait(client, response.json()["id"])
    assert second["parent_id"] == first["id"] and second["status"] == "done"
    assert re.fullmatch(r"office_m\.ifc \d{4}-\d{2}-\d{2} \d{2}:\d{2}", second["name"])  # not "Scheme A"
    child = client.get(f"/runs/{second['id']}").text
    assert f'Re-run of <a href="/runs/{first["id"]}">Scheme A</a>' in child
    assert f"/projects/{first['project_id']}/compare?a={first['id']}&amp;b={second['id']}" in child
    parent = client.get(f"/runs/{first['id']}").text
    assert f'<a href="/runs/{second["id"]}">{second["name"]}</a>' in parent
    project = client.get(f"/projects/{first['project_id']}").text
    assert "Re-run of" in project and 'name="a"' in project and 'name="b"' in project

    c = client.get(f"/api/projects/{first['project_id']}/compare?a={first['id']}&b={second['id']}").json()
    a_json = client.get(f"/api/runs/{first['id']}/assessment").json()
    b_json = client.get(f"/api/runs/{second['id']}/assessment").json()
    gypsum = next(r for r in c["materials"] if r["key"] == "Gypsum plaster")
    b_gypsum = next(m["a1_a3_kgco2e"] for m in b_json["by_material"] if m["material"] == "Gypsum plaster")
    assert gypsum["a"] is None and gypsum["diff"] == pytest.approx(b_gypsum) and gypsum["pct"] is None
    a1a3 = next(r for r in c["modules"] if r["key"] == "A1-A3")
    # the change of the total is the sum of the changes by material, and by element class
    assert a1a3["diff"] == pytest.approx(b_json["embodied"]["a1_a3"] - a_json["embodied"]["a1_a3"])
    assert a1a3["diff"] == pytest.approx(sum(r["diff"] for r in c["materials"]))
    assert a1a3["diff"] == pytest.approx(sum(r["diff"] for r in c["classes"]))
    assert sum(r["b"] or 0 for r in c["classes"]) == pytest.approx(b_json["embodied"]["a1_a3"])
    assert c["materials"][0]["key"] == "Gypsum plaster"  # the only material that changed
    changed = {(r["what"], r["key"]): (r["a"], r["b"]) for r in c["inputs"]}
    assert changed[("mapping", "Gypsum plaster")] == (None, "desnz_plasterboard")
    assert ("sha256", None) not in changed and ("energy", "annual.electricity_kwh") not in changed
    page = client.get(f"/projects/{first['project_id']}/compare?a={first['id']}&b={second['id']}")
    assert "Gypsum plaster" in page.text and "new in B" in page.text and "Factor chosen for" in page.text
    zh = client.get(page.url, headers={"accept-language": "zh-CN"}).text
    assert "对比两次评估" in zh and "各材料 A1-A3 排放" in zh and "碳排放强度" in zh
    assert client.get(f"/projects/{first['project_id']}/compare?a=nope&b={second['id']}").status_code == 404
    other = client.post(
        "/api/runs", files={"model": ("x.ifc", OFFICE.read_bytes())}, data={"project": "Other"}
    )
    other_run = _wait(client, other.json()["id"])
    wrong = f"/projects/{first['project_id']}/compare?a={other_run['id']}&b={second['id']}"
    assert client.get(wrong).status_code == 404  # runs of another project


# ---- the queue ------------------------------------------------------------------------------------


def test_runs_beyond_the_running_ones_wait_in_the_queue_with_their_position(tmp_path):
    client = _client(tmp_path, max_concurrent_runs=0, max_queued_runs=3)
    ids = [_submit(client).json()["id"] for _ in range(3)]
    runs = [client.get(f"/api/runs/{i}").json() for i in ids]
    assert [r["status"] for r in runs] == ["queued"] * 3
    assert [r["queue_position"] for r in runs] == [1, 2, 3]
    assert "2nd in the queue" in client.get(f"/runs/{ids[1]}").text
    assert "排在队列第 3 位" in client.get(f"/runs/{ids[2]}?lang=zh").text
    # a fourth is refused: the queue is full (the form answers with its page, status 429)
    refused = _submit(client)
    assert refused.status_code == 429 and "at most 3 may wait" in refused.json()["detail"]
    form = client.post(
        "/runs", files={"model": ("m.ifc", OFFICE.read_bytes())}, data={"project": "Office", **csrf(client)}
    )
    # the page is in Chinese: the language chosen above (?lang=zh) is remembered
    assert form.status_code == 429 and "最多可排队 3 个" in form.text and "<form" in form.text
    # a restarted server with room for two starts the first two at once; the third waits its turn
    again = _client(tmp_path, max_concurrent_runs=2, max_queued_runs=3)
    statuses = [Store(tmp_path / "data").run(i)["status"] for i in ids]
    assert statuses == ["running", "running", "queued"]  # an assessment takes seconds: none is done yet
    assert [_wait(again, i)["status"] for i in ids] == ["done"] * 3


def wait_for_go(root: str, run_id: str) -> None:
    """A worker that records a stage, then waits until a file named ``go-<run id>`` appears."""
    store = Store(Path(root))
    store.record_stage(run_id, "reading")
    deadline = time.monotonic() + 60
    while not (Path(root) / f"go-{run_id}").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    store.set_status(run_id, "done", "", {})


def test_the_scheduler_starts_a_queued_run_when_a_slot_frees_first_in_first(tmp_path):
    store = Store(tmp_path / "data")
    project = store.project("P")
    ids = [store.add_run(project, "0" * 64, {"model_name": "m.ifc"}) for _ in range(3)]
    scheduler = jobs.Scheduler(store, max_running=1, time_limit_s=60, target=wait_for_go)
    assert scheduler.pump() == [ids[0]]
    assert [store.queue_position(i) for i in ids] == [None, 1, 2]
    assert scheduler.pump() == []  # no free slot
    (tmp_path / "data" / f"go-{ids[0]}").touch()
    deadline = time.monotonic() + 60
    while store.run(ids[1])["status"] == "queued" and time.monotonic() < deadline:
        time.sleep(0.05)
    assert store.run(ids[0])["status"] == "done"
    assert store.run(ids[1])["status"] == "running" and store.queue_position(ids[2]) == 1
    for run_id in ids[1:]:
        (tmp_path / "data" / f"go-{run_id}").touch()
    while store.run(ids[2])["status"] != "done" and time.monotonic() < deadline:
        time.sleep(0.05)
    assert [store.run(i)["status"] for i in ids] == ["done"] * 3


# ---- progress -------------------------------------------------------------------------------------


def test_progress_shows_each_stage_with_the_time_it_took_and_the_current_one_so_far(tmp_path):
    store = Store(tmp_path / "data")
    run_id = store.add_run(store.project("P"), "0" * 64, {"model_name": "m.ifc"})
    t0 = datetime(2026, 1, 1, 12, 0, 0, tzinfo=timezone.utc)
    at = [(t0 + timedelta(seconds=s)).isoformat() for s in (1, 4, 64)]
    run = store.run(run_id) | {
        "status": "running",
        "started": t0.isoformat(),
        "stages": [
            {"stage": "reading", "count": None, "at": at[0]},
            {"stage": "takeoff", "count": 23, "at": at[1]},
            {"stage": "matching", "count": 40, "at": at[2]},
        ],
    }
    view = jobs.status_view(store, run, moment=t0 + timedelta(seconds=70))
    assert view["elapsed_s"] == 70 and view["position"] is None
    states = {s["stage"]: (s["state"], s["count"], s["seconds"]) for s in view["stages"]}
    assert states == {
        "starting": ("done", None, 1),  # the worker's process: 0 s -> 1 s
        "reading": ("done", None, 3),  # 1 s -> 4 s
        "takeoff": ("done", 23, 60),  # 4 s -> 64 s
        "matching": ("current", 40, 6),  # 64 s -> now, 70 s
        "assessing": ("todo", None, None),
        "writing": ("todo", None, None),
    }


def test_a_stage_told_again_keeps_its_start_and_takes_its_count(tmp_path):
    store = Store(tmp_path / "data")
    run_id = store.add_run(store.project("P"), "0" * 64, {"model_name": "m.ifc"})
    store.start_running(run_id, "starting")
    store.record_stage(run_id, "takeoff", None, "taking off quantities")
    first = store.run(run_id)["stages"][0]["at"]
    store.record_stage(run_id, "takeoff", 23, "taking off quantities")
    run = store.run(run_id)
    assert run["stages"] == [{"stage": "takeoff", "count": 23, "at": first}]
    assert run["message"] == "taking off quantities"


# ---- the comparison on paper ----------------------------------------------------------------------


def _tiers(*verdicts: str) -> dict:
    names = ("low-carbon", "near-zero-carbon", "zero-carbon")
    tiers = [
        {
            "tier": t,
            "name_en": t.capitalize(),
            "name_zh": "等级",
            "verdict": v,
            "provisional": t != "low-carbon",
        }
        for t, v in zip(names, verdicts, strict=True)
    ]
    reached = None
    for tier in tiers:
        if tier["verdict"] != "pass":
            break
        reached = tier["tier"]
    return {"pack": PACK, "reached": reached, "tiers": tiers}


def _assessment(materials: dict[str, float], electricity_kwh: float, intensity: float, **embodied) -> dict:
    metrics = {"carbon_intensity_kg_per_m2a": intensity, "carbon_intensity_reduction_share": 0.5}
    return {
        "model_sha256": "ab" * 32,
        "criteria_pack": PACK,
        "tool_version": "0.1.0",
        "factor_sets": ["gbt51366-2019-d (2019)"],
        "rule_sets": ["default-rules v4"],
        "floor_area": {"value_m2": 100.0, "source": "energy file (gross_floor_area_m2)"},
        "parameters": {
            "energy": {"annual": {"electricity_kwh": electricity_kwh}, "grid_region": None},
            "geometry": "auto",
            "assumptions": True,
        },  # fmt: skip
        "embodied": {"a1_a3": sum(materials.values()), **embodied},
        "embodied_intensity_kg_per_m2": None,
        "operational": None,
        "coverage": {"mass_share_mapped": 0.9, "mass_share_assumed": 0.0, "mass_share_left_out": 0.1},
        "by_material": [{"material": k, "a1_a3_kgco2e": v} for k, v in materials.items()],
        "without_embodied": {"metrics": metrics, "verdicts": _tiers("pass", "fail", "fail")},
        "with_embodied": {
            "metrics": dict(metrics, carbon_intensity_kg_per_m2a=intensity + 10),
            "verdicts": _tiers("pass", "fail", "fail"),
            "embodied_complete": True,
        },
    }


def _side(assessment: dict, mapping: str | None = None, breakdown: dict | None = None, **parameters) -> dict:
    run = {"parameters": {"criteria": PACK, "model_name": "office.ifc", "lang": "en", **parameters}}
    return {"run": run, "assessment": assessment, "breakdown": breakdown, "mapping": mapping}


def test_the_differences_by_material_are_b_minus_a_the_largest_change_first():
    rows = compare.by_largest_change(
        {"Concrete": 1000.0, "Steel": 500.0, "Glass": 80.0},
        {"Concrete": 1200.0, "Steel": 300.0, "Timber": 50.0, "Glass": 80.0},
    )
    assert [(r["key"], r["diff"], r["pct"]) for r in rows] == [
        ("Concrete", 200.0, 20.0),  # 1200 - 1000 = +200, 200 / 1000 = +20 %; first of the two 200s: larger
        ("Steel", -200.0, -40.0),  # 300 - 500 = -200, -200 / 500 = -40 %
        ("Timber", 50.0, None),  # new in B: +50, no share of nothing
        ("Glass", 0.0, 0.0),
    ]
    assert rows[2]["a"] is None and rows[2]["b"] == 50.0
    assert compare.difference(None, None) == {"a": None, "b": None, "diff": None, "pct": None}
    assert compare.difference(0.0, 5.0)["pct"] is None  # a share of zero is no number
    assert compare.difference(5.0, None) == {"a": 5.0, "b": None, "diff": -5.0, "pct": -100.0}  # gone in B
    # a negative A (net intensity with exported PV): the percentage has the change's sign
    assert compare.difference(-10.0, -20.0)["pct"] == -100.0  # -20 - (-10) = -10, -10 / |-10| = -100 %
    assert compare.difference(-10.0, -5.0)["pct"] == 50.0  # +5 / 10 = +50 %
    # every typed digit counts: 1,234,567 and 1,234,568 kWh are different inputs
    assert compare._text(1234567.0) != compare._text(1234568.0)
    # the same sum added up in another order differs in its last bits: no change
    assert compare.difference(2432.7, 2432.7 + 4.5e-13) == {
        "a": 2432.7,
        "b": 2432.7 + 4.5e-13,
        "diff": 0.0,
        "pct": 0.0,
    }


def test_comparing_two_runs_on_paper():
    a = _assessment({"Concrete": 1000.0, "Steel": 500.0}, 12000.0, 40.0, a4=100.0, upfront_a1_a5=1700.0)
    b_materials = {"Concrete": 1200.0, "Steel": 300.0, "Timber": 50.0}
    b = _assessment(b_materials, 10000.0, 30.0, a4=110.0, upfront_a1_a5=1800.0)
    b["without_embodied"]["verdicts"] = _tiers("pass", "pass", "fail")  # B reaches near-zero without embodied
    b["without_embodied"]["metrics"]["carbon_intensity_reduction_share"] = 0.65
    mapping_a = (
        "rules:\n- id: accepted-1\n  when: {material_exact: [Gypsum plaster]}\n"
        "  use: [{factor: concrete_c30}]\n"
    )
    mapping_b = (
        "rules:\n- id: accepted-1\n  when: {material_exact: [Gypsum plaster, Render]}\n"
        "  description: chosen in the web app\n"
        "  use: [{factor: desnz_plasterboard, density_kg_per_m3: 800, density_source: typed}]\n"
        "- id: walls\n  when: {ifc_class: [IfcWall]}\n  use: [{factor: brick}]\n"
    )
    breakdown_a = {
        "a1_a3_by_class_kgco2e": {"IfcWall": 900.0, "IfcSlab": 600.0},
        "elements_by_class": {"IfcWall": 4},
    }
    breakdown_b = {
        "a1_a3_by_class_kgco2e": {"IfcWall": 700.0, "IfcSlab": 850.0},
        "elements_by_class": {"IfcWall": 4},
    }
    c = compare.compare(
        _side(a, mapping_a, breakdown_a),
        _side(b, mapping_b, breakdown_b, no_assumptions=True),
    )
    # verdicts: the near-zero tier changes without embodied only
    near = next(r for r in c["verdicts"] if r["tier"] == "near-zero-carbon")
    assert (near["a_without"], near["b_without"], near["a_with"], near["b_with"]) == (
        "fail",
        "pass",
        "fail",
        "fail",
    )
    assert near["changed"] and near["provisional"]
    assert c["reached"]["a"]["without"]["tier"] == "low-carbon"
    assert c["reached"]["b"]["without"]["tier"] == "near-zero-carbon"
    # modules: A1-A3 1500 -> 1550 (+50, +3.33 %), A4 100 -> 110 (+10 %), A5 absent in both
    modules = {r["key"]: r for r in c["modules"]}
    assert (modules["A1-A3"]["a"], modules["A1-A3"]["b"], modules["A1-A3"]["diff"]) == (1500.0, 1550.0, 50.0)
    assert modules["A1-A3"]["pct"] == pytest.approx(100 * 50 / 1500)
    assert modules["A4"]["pct"] == pytest.approx(10.0) and modules["A5"]["diff"] is None
    # by element class: slab +250 (+41.7 %) before wall -200 (-22.2 %)
    assert [(r["key"], r["diff"]) for r in c["classes"]] == [("IfcSlab", 250.0), ("IfcWall", -200.0)]
    assert c["classes"][1]["pct"] == pytest.approx(-100 * 200 / 900)
    # metrics: intensity 40 -> 30 (-25 %), with embodied 50 -> 40 (-20 %); a share changes by points
    metric = {(r["key"], r["mode"]): r for r in c["metrics"]}
    assert metric[("carbon_intensity_kg_per_m2a", "without")]["pct"] == pytest.approx(-25.0)
    assert metric[("carbon_intensity_kg_per_m2a", "with")]["pct"] == pytest.approx(-20.0)
    share = metric[("carbon_intensity_reduction_share", "without")]
    assert share["diff"] == pytest.approx(0.15) and share["pct"] is None and share["share"]
    # inputs: electricity, the factor choices, the option; the same model and criteria
    inputs = {(r["what"], r["key"]): (r["a"], r["b"]) for r in c["inputs"]}
    assert inputs == {
        ("energy", "annual.electricity_kwh"): ("12,000", "10,000"),
        ("mapping", "Gypsum plaster"): ("concrete_c30", "desnz_plasterboard density_kg_per_m3=800"),
        ("mapping", "Render"): (None, "desnz_plasterboard density_kg_per_m3=800"),
        ("mapping", "rule walls"): (None, "brick"),
        ("option", "no_assumptions"): (None, "yes"),
    }
    named = compare.mapping_choices(mapping_a, {"concrete_c30": "Concrete C30"})  # the page names them
    assert named == {"Gypsum plaster": "Concrete C30 (concrete_c30)"}
    same = {r["what"] for r in c["unchanged"]}
    assert {"model", "sha256", "criteria", "energy file", "floor area source", "tool"} <= same


def test_a_run_with_no_tier_reached_is_told_apart_from_one_that_cannot_be_assessed():
    assert compare.not_assessable(_tiers("not assessable", "not assessable", "not assessable"))
    assert not compare.not_assessable(_tiers("fail", "not assessable", "not assessable"))  # it failed
    assert not compare.not_assessable(_tiers("pass", "fail", "fail"))  # a tier is reached


def test_comparing_with_a_run_made_before_the_breakdown_existed_leaves_the_classes_out():
    a = _assessment({"Concrete": 1000.0}, 1.0, 1.0)
    c = compare.compare(_side(a), _side(a, breakdown={"a1_a3_by_class_kgco2e": {}}))
    assert c["classes"] is None and c["inputs"] == []


def test_a_mapping_file_that_cannot_be_read_gives_no_choices():
    assert compare.mapping_choices("rules: [") == {}
    assert compare.mapping_choices("just text") == {}
    assert compare.mapping_choices(None) == {}


def test_the_breakdown_sums_a1_a3_by_element_class():
    takeoff = pd.DataFrame(
        {"global_id": ["w1", "w1", "w2", "s1"], "ifc_class": ["IfcWall", "IfcWall", "IfcWall", "IfcSlab"]},
        index=[10, 11, 12, 13],
    )
    components = pd.DataFrame({"row": [10, 11, 11, 12, 13], "kgco2e": [100.0, 20.0, 5.0, None, 300.0]})
    result = compare.breakdown(components, takeoff)
    # walls: 100 + 20 + 5 (+ nothing for the part without a factor) = 125 over 2 elements; slab 300
    assert result["a1_a3_by_class_kgco2e"] == {"IfcSlab": 300.0, "IfcWall": 125.0}
    assert result["elements_by_class"] == {"IfcSlab": 1, "IfcWall": 2}
