"""A park in the web app (issue 15): the finished runs of a project as the park's buildings, the park's
energy typed in a form, the park page and its JSON, through FastAPI's test client.

The three buildings of the sample park (sample_models/park) are uploaded as runs with their energy files;
Office A's energy file is given the park's grid (2023 north) so that each run is the building the
command line assesses, and the park the web app rolls up is the park ``bimcarbon park`` rolls up.
The figures on paper are docs/park.md's ("The sample park, on paper").
"""

from __future__ import annotations

import html
import io
import json
import re
from pathlib import Path

import openpyxl
import pytest
from fastapi.testclient import TestClient
from test_web import _client, _wait
from webforms import csrf

from bimcarbon.criteria import load_pack
from bimcarbon.energy_factors import load_fuels, load_grid, select_grid
from bimcarbon.park.coal import coal_basis, load_coal
from bimcarbon.park.rollup import figures_from_assessment, rollup
from bimcarbon.park.run import assess_park
from bimcarbon.park.spec import ParkEnergy

PARK = Path(__file__).resolve().parent.parent / "sample_models" / "park"
SAMPLES = PARK.parent
#: The sample park's own energy (park.yaml), as the JSON API takes it.
PARK_ENERGY = {
    "electricity_kwh": 200000,
    "fuels": {"natural_gas_m3": 2000},
    "renewables": {"pv_kwh": 250000, "wind_kwh": 50000},
    "green_electricity_kwh": 60000,
    "green_certificates": 2,
    "offsets_tco2e": 10,
}
#: The same figures as a person types them in the park form.
PARK_FORM = {
    "pe_electricity_kwh": "200,000",
    "pe_natural_gas_m3": "2000",
    "pe_pv_kwh": "250 000",
    "pe_wind_kwh": "50000",
    "pe_green_electricity_kwh": "60000",
    "pe_green_certificates": "2",
    "pe_offsets_tco2e": "10",
    "pe_coal_basis": "equivalent",
    "grid": "2023:north",
    "criteria": "cn-zero-carbon-park-2025",
}
CHINESE = {"Accept-Language": "zh-CN,zh;q=0.9"}


def _upload(client, name: str, model: Path, energy: bytes | None, project: str = "Sample park") -> str:
    files = {"model": (model.name, model.read_bytes(), "application/octet-stream")}
    if energy is not None:
        files["energy"] = (f"{model.stem}.energy.yaml", energy, "application/yaml")
    response = client.post("/api/runs", files=files, data={"project": project, "run_name": name})
    assert response.status_code == 201, response.text
    return response.json()["id"]


@pytest.fixture(scope="module")
def park(tmp_path_factory):
    """A server with the sample park's three buildings as runs of one project, a failed run, and a run
    without energy figures (a second project holds a run of its own)."""
    client = _client(tmp_path_factory.mktemp("web-park"))
    office_a = (PARK / "office_a.energy.yaml").read_text() + "grid_year: 2023\ngrid_region: north\n"
    ids = {
        "Office A": _upload(client, "Office A", PARK / "office_a.ifc", office_a.encode()),
        "Office B": _upload(
            client, "Office B", PARK / "office_b.ifc", (PARK / "office_b.energy.yaml").read_bytes()
        ),
        "Workshop": _upload(
            client, "Workshop", PARK / "workshop.ifc", (PARK / "workshop.energy.yaml").read_bytes()
        ),
    }
    truncated = PARK / "office_a.ifc"
    files = {"model": ("broken.ifc", truncated.read_bytes()[:5000], "application/octet-stream")}
    ids["Broken"] = client.post(
        "/api/runs", files=files, data={"project": "Sample park", "run_name": "Broken"}
    ).json()["id"]
    ids["No energy"] = _upload(client, "No energy", SAMPLES / "office_m.ifc", None)
    ids["Elsewhere"] = _upload(
        client,
        "Elsewhere",
        SAMPLES / "office_m.ifc",
        (SAMPLES / "office_m.energy.yaml").read_bytes(),
        "Other",
    )
    runs = {name: _wait(client, run_id) for name, run_id in ids.items()}
    assert runs["Broken"]["status"] == "failed"
    assert all(runs[n]["status"] == "done" for n in ("Office A", "Office B", "Workshop", "No energy")), runs
    return client, ids, runs["Office A"]["project_id"]


def _three(ids: dict[str, str]) -> list[str]:
    return [ids["Office A"], ids["Office B"], ids["Workshop"]]


def _define(client, project_id: str, runs: list[str], **fields):
    body = {
        "name": "Sample park",
        "runs": runs,
        "park_energy": PARK_ENERGY,
        "grid": {"year": 2023, "region": "north"},
    }
    return client.post(f"/api/projects/{project_id}/park", json=body | fields)


def _words(page: str) -> str:
    """The words a person reads on a page (no markup, entities unescaped, spaces collapsed)."""
    text = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", page, flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", text)))


# ---- the park JSON --------------------------------------------------------------------------------------


def test_the_park_json_is_the_command_line_park_of_the_same_buildings(park, tmp_path):
    """Rolled up from the runs' stored assessments, the park equals ``bimcarbon park`` on the sample park
    file (which assesses the same three models with the same energy files): totals, balance, energy,
    metrics, both modes' verdicts, the changes and the warnings."""
    client, ids, project_id = park
    response = _define(client, project_id, _three(ids))
    assert response.status_code == 200, response.text
    web = response.json()
    cli = json.loads(assess_park(PARK / "park.yaml", use_cache=False).assessment.model_dump_json())
    assert web["format"] == "bimcarbon.park" and web["park_file"] == "park defined in the web app"
    for key in ("totals", "balance", "energy_consumption", "metrics", "without_embodied", "with_embodied"):
        assert web[key] == cli[key], key
    assert web["changes"] == cli["changes"] and web["warnings"] == cli["warnings"] == []
    assert [b["name"] for b in web["buildings"]] == ["Office A", "Office B", "Workshop"]
    assert [b["model"] for b in web["buildings"]] == ["office_a.ifc", "office_b.ifc", "workshop.ifc"]
    assert web["parameters"]["runs"] == _three(ids)
    for building, run_id in zip(web["buildings"], _three(ids), strict=True):  # each one is its run's JSON
        assert building["assessment"] == client.get(f"/api/runs/{run_id}/assessment").json()


def test_the_park_json_is_the_roll_up_of_the_runs_assessments(park):
    """The same figures as bimcarbon.park.rollup over the three runs' assessment JSON."""
    client, ids, project_id = park
    assert _define(client, project_id, _three(ids)).status_code == 200
    web = client.get(f"/api/projects/{project_id}/park").json()
    assessments = [client.get(f"/api/runs/{r}/assessment").json() for r in _three(ids)]
    energy = ParkEnergy(**PARK_ENERGY)
    expected = rollup(
        [
            figures_from_assessment(n, a)
            for n, a in zip(("Office A", "Office B", "Workshop"), assessments, strict=True)
        ],
        [],
        energy,
        select_grid(load_grid(), 2023, "north"),
        load_fuels(),
        coal_basis(load_coal(), energy.energy_to_coal),
        load_pack("cn-zero-carbon-park-2025", kind="park"),
        False,
    )
    assert web["metrics"] == expected.model_dump(mode="json")["metrics"]
    assert web["totals"] == expected.model_dump(mode="json")["totals"]


def test_the_sample_park_on_paper_through_the_form(park):
    """docs/park.md's sample park, typed in the page's form (with a thousands comma and a space):
    pool 10,000 + 12,000 + 140,000 + 200,000 = 362,000 kWh; park PV and wind 300,000, green electricity
    60,000 and 2 certificates 2,000 cover it all; left: gas only, 3,800 m3 x 2.16 = 8,208 kgCO2;
    energy 407,000 kWh x 0.1229 + 3,800 m3 x 1.2143 = 50,020.3 + 4,614.3 kgce = 54.63 tce;
    8.208 / 54.63 = 0.150 tCO2/tce; clean 50.02 / 54.63 = 91.6 %: zero-carbon park without embodied;
    with the buildings' A1-A5 / 50 years (16.88 t): 25.09 / 54.63 = 0.459 > 0.20: near-zero-carbon park."""
    client, ids, project_id = park
    page = f"/projects/{project_id}/park"
    form = {**PARK_FORM, "park_name": "Sample park", "run": _three(ids), **csrf(client, page)}
    response = client.post(page, data=form, follow_redirects=False)
    assert response.status_code == 303, response.text
    p = client.get(f"/api/projects/{project_id}/park").json()
    b = p["balance"]
    assert b["pooled_grid_kwh"] == pytest.approx(362_000)
    assert (
        b["park_renewables_used_kwh"],
        b["green_electricity_used_kwh"],
        b["green_certificates_used_kwh"],
    ) == (
        pytest.approx(300_000),
        pytest.approx(60_000),
        pytest.approx(2_000),
    )
    assert b["grid_remaining_kwh"] == pytest.approx(0)
    assert p["totals"]["operational"]["after_supply_kgco2_per_year"] == pytest.approx(8208)
    assert p["metrics"]["energy_consumption_tce"] == pytest.approx(54.63464)
    assert p["metrics"]["carbon_per_energy_t_per_tce"] == pytest.approx(8.208 / 54.63464)
    assert p["metrics"]["clean_energy_share"] == pytest.approx(50.0203 / 54.63464)
    assert p["without_embodied"]["verdicts"]["reached"] == "zero-carbon-park"
    assert p["with_embodied"]["verdicts"]["reached"] == "near-zero-carbon-park"
    assert p["changes"] == [{"tier": "zero-carbon-park", "without_embodied": "pass", "with_embodied": "fail"}]
    source = client.get(page).text
    words = _words(source)
    assert "Zero-carbon park" in words and "Near-zero-carbon park" in words and "Tier reached" in words
    assert "0.150 tCO2/tce" in words and "0.459 tCO2/tce" in words and "91.6" in words
    assert "0.1229 kgce/kWh" in words  # the coal basis next to the tCO2/tce
    assert "362,000 kWh" in words and "54.63" in words
    assert (
        "Counting embodied emissions changes the verdict: Zero-carbon park: pass without embodied, fail with"
        in words
    )
    for run_id in _three(ids):  # each building links to its run
        assert f'href="/runs/{run_id}"' in source
    assert source.count('<svg class="chart"') == 3  # emissions, balance, embodied by building


def test_a_stated_coal_basis_changes_the_tce_and_is_shown_next_to_the_result(park):
    """407,000 kWh x 0.315 = 128,205 kgce + 4,614.3 kgce = 132.82 tce; 8.208 / 132.82 = 0.0618 tCO2/tce."""
    client, ids, project_id = park
    page = f"/projects/{project_id}/park"
    form = {**PARK_FORM, "pe_coal_basis": "stated", "pe_kgce_per_kwh": "0.315", "run": _three(ids)}
    assert client.post(page, data={**form, **csrf(client, page)}, follow_redirects=False).status_code == 303
    p = client.get(f"/api/projects/{project_id}/park").json()
    assert p["parameters"]["park_energy"]["energy_to_coal"] == 0.315
    assert p["metrics"]["energy_consumption_tce"] == pytest.approx(132.81934)
    assert p["metrics"]["carbon_per_energy_t_per_tce"] == pytest.approx(8.208 / 132.81934)
    words = _words(client.get(page).text)
    assert "0.062 tCO2/tce" in words and "at 0.315 kgce/kWh for electricity" in words
    assert "as stated for this park (not the equivalent value 0.1229)" in words


def test_certificates_beyond_what_is_left_are_unused_with_a_warning_on_paper(park):
    """No park PV, wind or green electricity; 400 certificates = 400,000 kWh for a pool of 362,000 kWh:
    362,000 used, 38,000 kWh (38 certificates) unused and said. Emissions: the buildings' grid
    electricity (10,000 + 12,000 + 140,000) and the park's 200,000 kWh at 0.6361 = 230,268.2 kgCO2, less
    362,000 x 0.6361 = 230,268.2 covered: 0, plus the gas 8,208 kgCO2."""
    client, ids, project_id = park
    energy = {**PARK_ENERGY, "renewables": {}, "green_electricity_kwh": 0, "green_certificates": 400}
    p = _define(client, project_id, _three(ids), park_energy=energy).json()
    assert p["balance"]["green_certificates_used_kwh"] == pytest.approx(362_000)
    assert p["balance"]["green_certificates_unused_kwh"] == pytest.approx(38_000)
    assert p["totals"]["operational"]["after_supply_kgco2_per_year"] == pytest.approx(8208)
    assert any("38.000 certificates not counted" in w for w in p["warnings"])
    english = _words(client.get(f"/projects/{project_id}/park").text)
    assert "38.000 certificates not counted" in english
    chinese = _words(client.get(f"/projects/{project_id}/park", headers=CHINESE).text)
    assert "38.000 张绿证不予计入" in chinese


def test_the_same_park_gives_the_same_bytes_and_the_download_is_the_api_json(park):
    client, ids, project_id = park
    _define(client, project_id, _three(ids))
    first = client.get(f"/api/projects/{project_id}/park")
    second = client.get(f"/api/projects/{project_id}/park")
    download = client.get(f"/projects/{project_id}/park/json")
    assert first.content == second.content == download.content
    assert 'filename="Sample_park.park.json"' in download.headers["content-disposition"]
    assert first.content.endswith(b"}\n") and b'"format": "bimcarbon.park"' in first.content


def test_the_park_workbook_is_the_command_lines_in_the_page_language(park, tmp_path):
    """The page links the park workbook; it is the one ``bimcarbon park -o`` writes for the same park (the
    embodied park total, a SUM over the building rows, holds the same A1-A3 as the JSON)."""
    client, ids, project_id = park
    _define(client, project_id, _three(ids))
    reader = TestClient(client.app)  # a browser of its own: the module's client keeps its language cookie
    page = reader.get(f"/projects/{project_id}/park?lang=zh").text
    assert f'href="/projects/{project_id}/park/xlsx?lang=zh"' in page
    totals = client.get(f"/api/projects/{project_id}/park").json()["totals"]["embodied"]
    for lang, sheet in (("en", "Embodied by building"), ("zh", None)):
        response = client.get(f"/projects/{project_id}/park/xlsx?lang={lang}")
        assert response.status_code == 200
        assert f'filename="Sample_park.park.{lang}.xlsx"' in response.headers["content-disposition"]
        book = openpyxl.load_workbook(io.BytesIO(response.content))
        names = book.sheetnames
        assert len(names) == 7 and (sheet in names if sheet else all(not n.isascii() for n in names)), names
    # the English workbook's embodied sheet: one row per building (A1-A3 in column B), then the park's SUM
    english = openpyxl.load_workbook(
        io.BytesIO(client.get(f"/projects/{project_id}/park/xlsx?lang=en").content)
    )
    rows = {r[0]: r for r in english["Embodied by building"].iter_rows(values_only=True) if r and r[0]}
    a1_a3 = [rows[name][1] for name in ("Office A", "Office B", "Workshop")]
    assert sum(a1_a3) == pytest.approx(totals["a1_a3"])  # 68,339 + 71,007 + 501,653 = 640,999 kgCO2e
    assert rows["Park total (sum of the buildings)"][1] == "=SUM('Embodied by building'!$B$5:$B$7)"


# ---- failed buildings ------------------------------------------------------------------------------------


def test_a_failed_run_is_a_failed_building_and_the_park_is_not_assessable_unless_accepted(park):
    client, ids, project_id = park
    runs = [*_three(ids), ids["Broken"]]
    p = _define(client, project_id, runs).json()
    broken = p["buildings"][3]
    assert broken["status"] == "failed" and broken["assessment"] is None and "truncated" in broken["error"]
    assert p["totals"]["buildings_failed"] == 1 and p["totals"]["buildings_assessed"] == 3
    assert p["warnings"][0].startswith("Broken: failed: ")
    for mode in ("without_embodied", "with_embodied"):
        assert p[mode]["verdicts"]["reached"] is None
        assert p[mode]["verdicts"]["note"].startswith("not assessable: 1 of 4 building(s) failed (Broken)")
    words = _words(client.get(f"/projects/{project_id}/park").text)
    assert "not assessable" in words and 'the park form\'s "Accept failed buildings"' in words
    accepted = _define(client, project_id, runs, accept_incomplete=True).json()
    assert accepted["without_embodied"]["verdicts"]["reached"] == "zero-carbon-park"
    assert accepted["without_embodied"]["accepted_incomplete"] is True
    assert any("accepted" in w and "Broken" in w for w in accepted["warnings"])


def test_a_run_deleted_after_the_park_was_defined_is_a_failed_building_and_a_re_run_is_named(tmp_path):
    client = _client(tmp_path)
    energy = (PARK / "office_b.energy.yaml").read_bytes()
    first = _upload(client, "Office B", PARK / "office_b.ifc", energy, project="Deleting")
    second = _upload(client, "Office B again", PARK / "office_b.ifc", energy, project="Deleting")
    project_id = _wait(client, first)["project_id"]
    _wait(client, second)
    assert client.patch(f"/api/runs/{second}", json={"name": "office b"}).status_code == 200
    same = _define(client, project_id, [first, second])  # names are told apart regardless of case
    assert same.status_code == 400
    assert same.json()["detail"] == "two buildings are named office b: rename one of the runs (on its page)"
    client.patch(f"/api/runs/{second}", json={"name": "Office B again"})
    assert _define(client, project_id, [first, second]).status_code == 200
    # a re-run of a building (its figures edited) is named on the park page: the park keeps its run
    rerun = client.post(f"/api/runs/{first}/rerun", json={"energy": {"electricity_kwh": 16000}}).json()["id"]
    _wait(client, rerun)
    page = client.get(f"/projects/{project_id}/park").text
    assert f'Re-run since: <a href="/runs/{rerun}">' in page
    assert client.get(f"/api/projects/{project_id}/park").json()["parameters"]["runs"] == [first, second]
    assert client.delete(f"/api/runs/{second}").status_code == 200
    p = client.get(f"/api/projects/{project_id}/park").json()
    assert [(b["name"], b["status"], b["error"]) for b in p["buildings"]] == [
        ("Office B", "done", None),
        ("Office B again", "failed", "the run was deleted"),
    ]
    assert "该次评估已被删除" in _words(client.get(f"/projects/{project_id}/park", headers=CHINESE).text)
    assert client.delete(f"/api/projects/{project_id}").status_code == 200  # the park goes with its project
    assert client.get(f"/api/projects/{project_id}/park").status_code == 404
    assert client.get(f"/projects/{project_id}/park").status_code == 404


# ---- refusals --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "status", "line"),
    [
        ({"runs": []}, 400, "field 'runs': List should have at least 1 item"),
        (
            {"park_energy": {"solar_kwh": 5}},
            400,
            "field 'park_energy.solar_kwh': Extra inputs are not permitted",
        ),
        ({"park_energy": {"electricity_kwh": -1}}, 400, "field 'park_energy.electricity_kwh'"),
        ({"park_energy": {"electricity_kwh": 2e12}}, 400, "more than any park uses or makes"),
        ({"park_energy": {"energy_to_coal": 0.05}}, 400, "is no coal-to-electricity coefficient"),
        ({"criteria": "cn-zero-carbon-building-draft-2023"}, 400, "unknown park criteria pack"),
        ({"grid": {"year": 2023, "region": "atlantis"}}, 400, "unknown grid factor 2023 atlantis"),
    ],
)
def test_the_api_refuses_a_park_no_park_file_could_hold(park, fields, status, line):
    client, ids, project_id = park
    before = client.get(f"/api/projects/{project_id}/park").content
    fields = dict(fields)
    response = _define(client, project_id, fields.pop("runs", _three(ids)), **fields)
    assert response.status_code == status and line in response.json()["detail"], response.text
    assert client.get(f"/api/projects/{project_id}/park").content == before  # nothing changed


@pytest.mark.parametrize(
    ("runs", "status", "line"),
    [
        (
            ["No energy"],
            400,
            "No energy has no energy figures: give them on its page (a re-run) before it joins a park",
        ),
        (["Elsewhere"], 400, "is not a run of this project"),
        (["Office A", "Office A"], 400, "run Office A is chosen twice"),
    ],
)
def test_runs_that_cannot_be_buildings_of_this_park_are_refused(park, runs, status, line):
    client, ids, project_id = park
    response = _define(client, project_id, [ids[r] for r in runs])
    assert response.status_code == status and line in response.json()["detail"], response.text


def test_a_run_still_in_the_queue_is_refused_and_not_offered(tmp_path):
    client = _client(tmp_path, max_concurrent_runs=0)  # nothing starts
    energy = (PARK / "office_b.energy.yaml").read_bytes()
    queued = _upload(client, "Waiting", PARK / "office_b.ifc", energy, project="Queue")
    project_id = client.get(f"/api/runs/{queued}").json()["project_id"]
    response = _define(client, project_id, [queued])
    assert response.status_code == 409
    assert "Waiting is still queued: a park is made of finished runs" in response.json()["detail"]
    page = f"/projects/{project_id}/park"
    assert f'name="run" value="{queued}" disabled' in client.get(page).text  # the form does not offer it
    refused = client.post(page, data={"run": [queued], **csrf(client, page)}, headers=CHINESE)
    assert refused.status_code == 409 and "Waiting 仍处于" in refused.text
    assert client.get(f"/api/projects/{project_id}/park").status_code == 404  # nothing stored


def test_the_form_says_what_is_wrong_in_the_page_language_and_keeps_what_was_typed(park):
    client, ids, project_id = park
    page = f"/projects/{project_id}/park"
    before = client.get(f"/api/projects/{project_id}/park").content
    typed = {**PARK_FORM, "pe_wind_kwh": "-5", "pe_pv_kwh": "123456", "run": _three(ids)}
    refused = client.post(page, data={**typed, **csrf(client, page)}, headers=CHINESE)
    assert refused.status_code == 400
    assert "园区风电发电量,kWh 必须为 0 或更大" in refused.text
    assert 'value="123456"' in refused.text and 'value="-5"' in refused.text
    english = client.post(page, data={**typed, "pe_wind_kwh": "lots", **csrf(client, page)})
    assert (
        english.status_code == 400
        and "Park wind generation, kWh must be a number, not &#39;lots&#39;" in english.text
    )
    bound = client.post(page, data={**typed, "pe_wind_kwh": "2e12", **csrf(client, page)})
    assert (
        bound.status_code == 400
        and "Park wind generation, kWh: 2e+12 a year is more than any park" in bound.text
    )
    coal = client.post(
        page, data={**PARK_FORM, "pe_coal_basis": "stated", "run": _three(ids), **csrf(client, page)}
    )
    assert coal.status_code == 400 and "state the kgce/kWh, or choose the equivalent value" in coal.text
    certificates = client.post(
        page, data={**PARK_FORM, "pe_green_certificates": "2.5", "run": _three(ids), **csrf(client, page)}
    )
    assert certificates.status_code == 400 and "must be a whole number, not 2.5" in certificates.text
    assert client.get(f"/api/projects/{project_id}/park").content == before  # nothing changed


def test_the_form_needs_its_csrf_field_and_the_app_origin(park):
    client, ids, project_id = park
    page = f"/projects/{project_id}/park"
    before = client.get(f"/api/projects/{project_id}/park").content
    form = {**PARK_FORM, "pe_electricity_kwh": "1", "run": _three(ids)}
    assert client.post(page, data=form).status_code == 403  # no CSRF field
    foreign = client.post(
        page, data={**form, **csrf(client, page)}, headers={"origin": "http://evil.example"}
    )
    assert foreign.status_code == 403
    assert client.get(f"/api/projects/{project_id}/park").content == before


def test_a_project_without_a_park_has_its_form_and_no_json(tmp_path):
    client = _client(tmp_path, max_concurrent_runs=0)
    run_id = _upload(
        client, "Office B", PARK / "office_b.ifc", (PARK / "office_b.energy.yaml").read_bytes(), "New"
    )
    project_id = client.get(f"/api/runs/{run_id}").json()["project_id"]
    assert client.get(f"/api/projects/{project_id}/park").status_code == 404
    assert client.get(f"/projects/{project_id}/park/json").status_code == 404
    source = client.get(f"/projects/{project_id}/park").text
    assert "Define the park" in source and 'name="csrf_token"' in source and "Park verdicts" not in source
    assert f'href="/projects/{project_id}/park"' in client.get(f"/projects/{project_id}").text
    assert client.get("/projects/nope/park").status_code == 404
    assert client.post("/api/projects/nope/park", json={"name": "x", "runs": ["y"]}).status_code == 404


# ---- the page in Chinese ---------------------------------------------------------------------------------


def test_the_park_page_in_chinese_has_no_english_sentence_of_its_own(park):
    """Text written by the app is Chinese; run names, ids, units and file names stay as they are."""
    client, ids, project_id = park
    _define(client, project_id, [*_three(ids), ids["Broken"]], accept_incomplete=True)
    response = client.get(f"/projects/{project_id}/park", headers=CHINESE)
    assert response.status_code == 200
    text = _words(response.text)
    broken = client.get(f"/api/runs/{ids['Broken']}").json()[
        "message"
    ]  # a run's failure, as its page shows it
    for kept in ("Office A", "Office B", "Workshop", "Broken", "No energy", "Sample park", broken):
        text = text.replace(kept, " ")
    sentences = re.findall(r"[A-Za-z]{3,}(?: [A-Za-z]{2,}){2,}", text)
    assert not sentences, sentences[:5]
    assert "园区评价结论" in text and "零碳园区" in text and "近零碳园区" in text and "达到等级" in text
    assert "已通过园区表单中的“接受评估失败的建筑”选项接受" in text


def test_the_park_page_has_no_inline_script_or_style(park):
    client, ids, project_id = park
    _define(client, project_id, _three(ids))
    source = client.get(f"/projects/{project_id}/park").text
    assert "<script" not in source and " style=" not in source and "<style" not in source
    assert not re.search(r"\son[a-z]+=", source)
    assert source.count('name="csrf_token"') == source.count('method="post"') == 1


def test_a_park_whose_pack_is_no_longer_shipped_says_so_and_can_be_defined_again(tmp_path):
    from bimcarbon.web.store import Store

    client = _client(tmp_path, max_concurrent_runs=0)
    run_id = _upload(
        client, "Office B", PARK / "office_b.ifc", (PARK / "office_b.energy.yaml").read_bytes(), "Old"
    )
    project_id = client.get(f"/api/runs/{run_id}").json()["project_id"]
    definition = {"name": "Old park", "runs": [run_id], "criteria": "a-pack-since-removed"}
    Store(tmp_path / "data").set_park(project_id, {"definition": definition, "names": {run_id: "Office B"}})
    page = client.get(f"/projects/{project_id}/park")
    assert (
        page.status_code == 409 and "criteria pack not found" in page.text and "Define the park" in page.text
    )
    api = client.get(f"/api/projects/{project_id}/park")
    assert api.status_code == 409 and "criteria pack not found" in api.json()["detail"]


def test_every_warning_the_roll_up_gives_here_is_in_chinese_on_the_chinese_page(park):
    """A park that raises the roll-up's warnings (a failed building accepted, green electricity and
    certificates beyond what is left, fuels with unconfirmed coal coefficients, district heat without a
    factor, buildings on another grid factor than the park's) reads in Chinese on the Chinese page: no
    line is left in English (英文原文) and no English sentence is written by the app."""
    client, ids, project_id = park
    energy = {
        "electricity_kwh": 1000,
        "fuels": {"diesel_kg": 100, "district_heat_gj": 10},
        "green_electricity_kwh": 500000,
        "green_certificates": 1000,
    }
    runs = [*_three(ids), ids["Broken"]]
    p = _define(client, project_id, runs, park_energy=energy, grid=None, accept_incomplete=True).json()
    expected = ("Broken: failed", "district heat has no factor", "green electricity", "green certificates")
    for start in expected:
        assert any(start in w for w in p["warnings"]), (start, p["warnings"])
    assert sum("differs from the park's cn_2023_national_average" in w for w in p["warnings"]) == 3
    assert any("unconfirmed coefficient" in w for w in p["warnings"])
    text = _words(client.get(f"/projects/{project_id}/park", headers=CHINESE).text)
    broken = client.get(f"/api/runs/{ids['Broken']}").json()["message"]
    for kept in ("Office A", "Office B", "Workshop", "Broken", "No energy", "Sample park", broken):
        text = text.replace(kept, " ")
    assert "英文原文" not in text
    assert not re.findall(r"[A-Za-z]{3,}(?: [A-Za-z]{2,}){2,}", text)
    assert "园区燃料:市政热力没有排放因子" in text and "柴油 折标准煤采用未核实的系数" in text
