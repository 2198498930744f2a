"""The Monte Carlo and the embodied break-even in the web app: the upload form's number of samples
(0 = off, kept with the run's parameters and on its re-runs), the run page's ranges and probabilities in
English and Chinese, and the refusal of a number out of range."""

from __future__ import annotations

from pathlib import Path

from test_web import _client, _wait
from webforms import csrf

SAMPLES = Path(__file__).resolve().parent.parent / "sample_models"
OFFICE, ENERGY = SAMPLES / "office_m.ifc", SAMPLES / "office_m.energy.yaml"


def _submit(client, **fields):
    files = {
        "model": ("office_m.ifc", OFFICE.read_bytes(), "application/octet-stream"),
        "energy": ("energy.yaml", ENERGY.read_bytes(), "application/yaml"),
    }
    return client.post("/api/runs", files=files, data={"project": "Office", **fields})


def test_a_run_draws_the_samples_asked_for_shows_them_and_its_rerun_keeps_them(tmp_path):
    client = _client(tmp_path)
    run = _wait(client, _submit(client, uncertainty_samples="300").json()["id"])
    assert run["status"] == "done", run
    assert run["parameters"]["uncertainty_samples"] == 300
    a = client.get(f"/api/runs/{run['id']}/assessment").json()
    assert a["uncertainty"]["samples"] == 300 and a["uncertainty"]["seed"] == 16
    assert a["embodied_break_even"]["tiers"][0]["break_even_kg_per_m2"] == 662.67
    page = client.get(f"/runs/{run['id']}?lang=en").text
    assert "How sure: ranges and probabilities" in page and "300 samples (seed 16)" in page
    assert "Embodied break-even" in page and "662.67" in page
    # beside the ranges: what they cannot say (36.9 % of A1-A3 is assumed rebar, a proxy floor area)
    # and what the samples leave out
    assert "What these ranges cannot say:" in page
    assert "36.9\u00a0% of A1-A3 rests on assumptions" in page
    assert "the floor area is a proxy and is not sampled" in page
    assert "Not sampled: fuel factors and the district heat factor" in page
    assert "(first-order terms explain" in page
    chinese = client.get(f"/runs/{run['id']}?lang=zh").text
    assert "达到各等级的概率" in chinese and "隐含碳临界值" in chinese
    assert "A1-A3 中有 36.9\u00a0% 基于假定" in chinese and "建筑面积为估算值且不抽样" in chinese
    assert "未抽样的内容: 燃料因子和区域供热因子" in chinese and "(一阶项解释了样本方差的" in chinese
    assert "rests on assumptions" not in chinese and "Not sampled" not in chinese
    rerun = client.post(f"/api/runs/{run['id']}/rerun", json={"Concrete C30/37": "concrete_c50"})
    assert rerun.status_code == 201, rerun.text
    again = _wait(client, rerun.json()["id"])
    assert again["parameters"]["uncertainty_samples"] == 300
    assert client.get(f"/api/runs/{again['id']}/assessment").json()["uncertainty"]["samples"] == 300


def test_zero_samples_turn_it_off_and_the_page_says_so(tmp_path):
    client = _client(tmp_path)
    run = _wait(client, _submit(client, uncertainty_samples="0").json()["id"])
    a = client.get(f"/api/runs/{run['id']}/assessment").json()
    assert a["uncertainty"] is None and a["embodied_break_even"] is not None
    page = client.get(f"/runs/{run['id']}?lang=en").text
    assert "Not drawn for this run: choose a number of samples on the upload form." in page


def test_without_the_field_a_run_draws_the_default_1000(tmp_path):
    client = _client(tmp_path)
    run = _wait(client, _submit(client).json()["id"])
    assert run["parameters"]["uncertainty_samples"] == 1000


def test_a_number_of_samples_out_of_range_is_refused_in_the_persons_language(tmp_path):
    client = _client(tmp_path)
    for bad in ("50", "20000", "many", "-1"):
        response = _submit(client, uncertainty_samples=bad)
        assert response.status_code == 400, (bad, response.text)
        assert "the number of samples must be 0 (off) or 100 to 10,000" in response.text
    form = client.get("/?lang=zh").text
    assert 'name="uncertainty_samples"' in form and 'value="1000"' in form
    files = {"model": ("office_m.ifc", OFFICE.read_bytes(), "application/octet-stream")}
    data = {"project": "Office", "uncertainty_samples": "50", **csrf(client)}
    page = client.post("/runs?lang=zh", files=files, data=data)
    assert page.status_code == 400
    assert "样本数须为 0(不计算)或 100 至 10,000" in page.text
    assert 'value="50"' in page.text  # what the person typed is kept
