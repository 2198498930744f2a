"""The web run page's LCA-ready pre-check: run first in the worker, shown while the run goes on and after,
in English and Chinese, with the whole report to download; a model that fails it is still assessed."""

from __future__ import annotations

import html
import re

from builders import lca_gaps_model
from test_web import _client, _wait

from bimcarbon.ifc import read_model
from bimcarbon.ifc.ids_check import run_precheck
from bimcarbon.web import jobs
from bimcarbon.web.store import Store

CHINESE = {"Accept-Language": "zh-CN,zh;q=0.9"}


def _upload(client, path):
    files = {"model": ("gaps.ifc", path.read_bytes(), "application/octet-stream")}
    return client.post("/api/runs", files=files, data={"project": "Gaps"}).json()["id"]


def test_a_model_failing_the_pre_check_is_assessed_and_its_page_lists_the_failing_elements(tmp_path):
    path, gid = lca_gaps_model(tmp_path / "gaps.ifc")
    client = _client(tmp_path)
    run = _wait(client, _upload(client, path))
    assert run["status"] == "done", run["message"]  # not blocked by the pre-check
    assert [s["stage"] for s in run["stages"]][:3] == ["reading", "precheck", "takeoff"]
    page = html.unescape(client.get(f"/runs/{run['id']}").text)
    assert "LCA-ready pre-check: 2 of 7 requirements met" in page
    for name in ("Column without material", "Beam of Default", "Wall of one material", "Member outside"):
        assert gid[name] in page, name
    assert "The entity has no material" in page and "1 element(s) without a material" in page
    chinese = html.unescape(client.get(f"/runs/{run['id']}", headers=CHINESE).text)
    assert "LCA 就绪预检:7 项要求中满足 2 项" in chinese and "构件没有材料" in chinese
    assert "每个建筑构件都位于某一楼层" in chinese
    # the assessment JSON keeps the summary, the run folder the whole check
    assessment = client.get(f"/api/runs/{run['id']}/assessment").json()
    assert assessment["precheck"]["listed_at_most"] == 20
    assert [r["failing_count"] for r in assessment["precheck"]["requirements"]] == [1, 1, 1, 0, 0, 1, 1]


def test_the_pre_check_report_downloads_as_a_page_of_its_own_in_either_language(tmp_path):
    path, gid = lca_gaps_model(tmp_path / "gaps.ifc")
    client = _client(tmp_path)
    run = _wait(client, _upload(client, path))
    response = client.get(f"/runs/{run['id']}/precheck?lang=zh")
    assert response.status_code == 200
    assert response.headers["content-disposition"] == 'attachment; filename="gaps.precheck.zh.html"'
    page = response.text
    assert '<html lang="zh-CN">' in page and "墙、楼板、屋顶和覆面具有材料层组" in page
    assert gid["Member outside"] in page and "<script" not in page
    assert client.get(f"/runs/{run['id']}/precheck?lang=en").text.count("<section") == 5  # 5 not met
    assert client.get("/runs/nope/precheck").status_code == 404


def test_the_pre_check_shows_while_the_run_goes_on(tmp_path):
    """The worker writes the check before the take-off: a running run's page shows it already."""
    client = _client(tmp_path, max_concurrent_runs=0)  # nothing starts by itself
    path, gid = lca_gaps_model(tmp_path / "gaps.ifc")
    run_id = _upload(client, path)
    store = Store(tmp_path / "data")
    store.start_running(run_id, "starting")
    store.record_stage(run_id, "precheck", None, "LCA-ready pre-check")
    check = run_precheck(read_model(path), model_name="gaps.ifc")
    (store.run_dir(run_id) / jobs.PRECHECK_FILE).write_text(check.model_dump_json(), encoding="utf-8")
    page = html.unescape(client.get(f"/runs/{run_id}").text)
    assert "Checking what the model gives (LCA-ready pre-check)" in page  # the current stage
    assert "LCA-ready pre-check: 2 of 7 requirements met" in page and gid["Beam of Default"] in page
    assert re.search(r"<section class=\"precheck\"", page)
