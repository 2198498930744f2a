"""Fixing a run in the browser (FastAPI's test client): the factor picker's search, a density for a
material the model gives none, the floor area and energy figures edited on re-run, suggestions filled in
only when sure, the choices shown on the run, and refusals that keep what the person typed."""

from __future__ import annotations

import asyncio
import html
import json
import re
from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient
from test_web import _client  # noqa: E402
from test_web import _wait as wait
from webforms import csrf

from bimcarbon.web import rerun
from bimcarbon.web.app import Settings, create_app

SAMPLES = Path(__file__).resolve().parent.parent / "sample_models"
OFFICE, ENERGY = SAMPLES / "office_m.ifc", SAMPLES / "office_m.energy.yaml"
LONG_NAME = "Xyzzy" * 60  # 300 letters without a space: must wrap on a phone
#: The slabs of :func:`fixing_model`: material name -> volume m3 (no density in the model, no floor area).
FIXING_MATERIALS = {"Rock-wool board": 2.0, "=Rock-wool board": 2.0, "Door - Panel": 2.0, LONG_NAME: 1.0}


def fixing_model(path: Path) -> Path:
    """Slabs of one material each, with a GrossVolume and no body, no density and no floor type: the model
    has no floor area, so it is "not assessable" until one is given. Left out: "Rock-wool board" (best
    suggestion insul_rockwool at 100), "=Rock-wool board" (a formula-like name, insul_rockwool at 97),
    "Door - Panel" (three suggestions tied at 86) and a 300-letter name without a suggestion."""
    import ifcopenshell.api.material
    import ifcopenshell.api.pset
    import ifcopenshell.api.root
    import ifcopenshell.api.spatial
    from builders import new_model

    f, ctx = new_model("m")
    for index, (name, volume_m3) in enumerate(FIXING_MATERIALS.items()):
        material = ifcopenshell.api.material.add_material(f, name=name)
        slab = ifcopenshell.api.root.create_entity(f, ifc_class="IfcSlab", name=f"S{index}")
        ifcopenshell.api.material.assign_material(f, products=[slab], type="IfcMaterial", material=material)
        qto = ifcopenshell.api.pset.add_qto(f, product=slab, name="BaseQuantities")
        ifcopenshell.api.pset.edit_qto(f, qto=qto, properties={"GrossVolume": volume_m3})
        ifcopenshell.api.spatial.assign_container(f, products=[slab], relating_structure=ctx["storey"])
    f.write(str(path))
    return path


def _wait(client: TestClient, run_id: str, seconds: float = 120) -> dict:
    """The finished run, which must have succeeded."""
    run = wait(client, run_id, seconds)
    assert run["status"] == "done", run["message"]
    return run


def _upload(client: TestClient, path: Path, **files) -> dict:
    sent = {"model": (path.name, path.read_bytes(), "application/octet-stream")}
    sent |= {k: (f"{k}.yaml", v, "application/yaml") for k, v in files.items()}
    response = client.post("/api/runs", files=sent, data={"project": "Fixing"})
    assert response.status_code == 201, response.text
    return _wait(client, response.json()["id"])


def _assessment(client: TestClient, run_id: str) -> dict:
    return client.get(f"/api/runs/{run_id}/assessment").json()


def _a1_a3(assessment: dict, material: str) -> float:
    return next(m["a1_a3_kgco2e"] for m in assessment["by_material"] if m["material"] == material)


def _rerun_form(client: TestClient, run_id: str, data: dict, **kwargs):
    if "csrf_token" not in data:  # sent by the run page's form (``_form_fields`` has it)
        data = {**data, **csrf(client, f"/runs/{run_id}")}
    return client.post(f"/runs/{run_id}/rerun", data=data, follow_redirects=False, **kwargs)


def _new_run(response) -> str:
    assert response.status_code == 303, response.text[:2000]
    return response.headers["location"].rsplit("/", 1)[1]


def _form_fields(page: str, run_id: str) -> dict[str, str]:
    """The fields the run page's re-run form sends as it stands (what a browser would post)."""
    form = page.split(f'action="/runs/{run_id}/rerun"', 1)[1].split("</form>", 1)[0]
    fields = {}
    for tag in re.findall(r"<input [^>]*>", form):
        name = re.search(r'name="([^"]+)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        if name:
            fields[name.group(1)] = value.group(1) if value else ""
    for name, options in re.findall(r'<select [^>]*name="([^"]+)"[^>]*>(.*?)</select>', form, re.S):
        chosen = re.search(r'<option value="([^"]+)" selected', options)
        fields[name] = chosen.group(1) if chosen else re.search(r'<option value="([^"]+)"', options).group(1)
    return fields


@pytest.fixture(scope="module")
def fixing_ifc(tmp_path_factory) -> Path:
    return fixing_model(tmp_path_factory.mktemp("model") / "fixing.ifc")


# ---- the factor picker -----------------------------------------------------------------------------------
def test_the_factor_picker_finds_factors_by_english_or_chinese_name_with_unit_value_density_status(tmp_path):
    client = _client(tmp_path)
    found = client.get("/api/factors", params={"q": "石膏"}).json()
    assert {f["id"] for f in found} == {"gypsum_natural", "desnz_plasterboard"}
    board = next(f for f in found if f["id"] == "desnz_plasterboard")
    assert board == {
        "id": "desnz_plasterboard",
        "name_en": "Plasterboard (generic, UK)",
        "name_zh": "纸面石膏板(通用)",
        "category": "plasterboard",
        "declared_unit": "t",
        "value_kgco2e_per_unit": 120.05,
        "module": "A1-A3",
        "density_kg_per_m3": 740.0,
        "status": "secondary",
    }
    # every word counts, in any order; an exact id comes first
    plates = [f["id"] for f in client.get("/api/factors", params={"q": "plate steel"}).json()]
    assert plates == ["steel_plate", "steel_tinplate_coil"]  # "medium-thick plate", "tinplate"
    assert client.get("/api/factors", params={"q": "lime"}).json()[0]["id"] == "lime"
    assert client.get("/api/factors", params={"q": "no such thing"}).json() == []
    assert len(client.get("/api/factors", params={"limit": 5}).json()) == 5


def test_the_factor_list_works_without_javascript_as_a_datalist_with_names_units_and_densities(
    tmp_path, fixing_ifc
):
    client = _client(tmp_path)
    run = _upload(client, fixing_ifc)
    page = client.get(f"/runs/{run['id']}").text
    assert 'list="factor-list"' in page
    option = re.search(r'<option value="desnz_plasterboard" label="([^"]+)">', page).group(1)
    assert (
        option
        == "Plasterboard (generic, UK) · 纸面石膏板(通用) · 120.05 kgCO2e/t · 740 kg/m3 · secondary source"
    )
    assert '<script src="/static/fixing.js" defer></script>' in page
    assert client.get("/static/fixing.js").status_code == 200  # served by the app, no CDN
    chinese = client.get(f"/runs/{run['id']}?lang=zh").text
    assert "纸面石膏板(通用) · Plasterboard (generic, UK) · 120.05 kgCO2e/t" in chinese


# ---- a density where the model gives none ----------------------------------------------------------------
def test_a_density_typed_for_a_material_without_one_is_counted_and_shown_on_the_re_run(tmp_path, fixing_ifc):
    client = _client(tmp_path)
    run = _upload(client, fixing_ifc)
    volume_m3 = FIXING_MATERIALS["Rock-wool board"]  # 2 m3, no density in the model
    form = {"material-1": "Rock-wool board", "factor-1": "insul_rockwool", "density-1": "20"}
    with_density = _wait(client, _new_run(_rerun_form(client, run["id"], form)))
    # insul_rockwool is 1980 kgCO2e per t: 2 m3 x 20 kg/m3 / 1000 x 1980 = 79.2 kgCO2e
    assert _a1_a3(_assessment(client, with_density["id"]), "Rock-wool board") == pytest.approx(
        volume_m3 * 20 / 1000 * 1980
    )
    # the choice is a rule of the run's mapping: the density on the factor use, with its source
    rules = yaml.safe_load((tmp_path / "data" / "runs" / with_density["id"] / "mapping_in.yaml").read_text())
    assert rules["rules"][0] == {
        "id": "accepted-1",
        "description": "chosen in the web app",
        "when": {"material_exact": ["Rock-wool board"]},
        "use": [
            {"factor": "insul_rockwool", "density_kg_per_m3": 20.0, "density_source": "given in the web app"}
        ],
    }
    # without a density the factor's default (rock-wool board, 140 kg/m3) weighs it: 2 x 140 / 1000 x 1980
    without = client.post(f"/api/runs/{run['id']}/rerun", json={"Rock-wool board": "insul_rockwool"})
    default = _wait(client, without.json()["id"])
    assert _a1_a3(_assessment(client, default["id"]), "Rock-wool board") == pytest.approx(554.4)
    # the re-run's page says what it was given and that the material is now counted
    page = client.get(f"/runs/{with_density['id']}").text
    given = page.split("Choices given to this run", 1)[1].split("</table>", 1)[0]
    assert "Rock-wool board" in given and "insul_rockwool" in given and "Rock-wool board · 岩棉板" in given
    assert "20 kg/m3 given in the web app" in given and "A1-A3 79.20 kgCO2e" in given
    chinese = client.get(f"/runs/{with_density['id']}?lang=zh").text
    assert (
        "本次评估采用的选择" in chinese
        and "岩棉板 · Rock-wool board" in chinese
        and "在网页中填写" in chinese
    )


def test_a_density_weighs_a_material_chosen_with_a_factor_that_has_no_default_density(tmp_path, fixing_ifc):
    client = _client(tmp_path)
    run = _upload(client, fixing_ifc)
    before = _assessment(client, run["id"])["coverage"]
    # brick_flyash_autoclaved: 341 kgCO2e per m3 of brick, no default density
    body = {"choices": {"Door - Panel": {"factor": "brick_flyash_autoclaved", "density_kg_per_m3": 600}}}
    response = client.post(f"/api/runs/{run['id']}/rerun", json=body)
    assert response.status_code == 201, response.text
    after_run = _wait(client, response.json()["id"])
    after = _assessment(client, after_run["id"])
    assert _a1_a3(after, "Door - Panel") == pytest.approx(2.0 * 341)  # by volume: 2 m3 x 341
    # and it now weighs 2 m3 x 600 kg/m3 = 1200 kg of matched material (none was matched before)
    assert before["mass_mapped_kg"] == 0
    assert after["coverage"]["mass_mapped_kg"] == pytest.approx(1200.0)


def test_a_density_must_be_a_plausible_number_for_a_chosen_factor(tmp_path, fixing_ifc):
    client = _client(tmp_path)
    run = _upload(client, fixing_ifc)
    cases = [
        (
            {"factor-1": "insul_rockwool", "density-1": "heavy"},
            "the density of 'Rock-wool board' must be a number",
        ),
        ({"factor-1": "insul_rockwool", "density-1": "0.5"}, "must be between 1 and 25000 kg/m3 (it is 0.5)"),
        ({"factor-1": "", "density-1": "20"}, "choose a factor for 'Rock-wool board' to use the density"),
    ]
    for fields, message in cases:
        response = _rerun_form(client, run["id"], {"material-1": "Rock-wool board", **fields})
        assert response.status_code == 400 and message in html.unescape(response.text), message
    assert len(client.get(f"/api/projects/{run['project_id']}/runs").json()) == 1  # nothing started


def test_a_choice_given_to_a_run_can_be_changed_or_withdrawn_on_its_page(tmp_path, fixing_ifc):
    client = _client(tmp_path)
    run = _upload(client, fixing_ifc)
    body = {"choices": {"Rock-wool board": {"factor": "insul_rockwool", "density_kg_per_m3": 20}}}
    first = _wait(client, client.post(f"/api/runs/{run['id']}/rerun", json=body).json()["id"])
    fields = _form_fields(client.get(f"/runs/{first['id']}").text, first["id"])
    assert (fields["material-c1"], fields["factor-c1"], fields["density-c1"]) == (
        "Rock-wool board",
        "insul_rockwool",
        "20",
    )
    fields["density-c1"] = "40"
    second = _wait(client, _new_run(_rerun_form(client, first["id"], fields)))
    # 2 m3 x 40 kg/m3 / 1000 x 1980 kgCO2e/t = 158.4
    assert _a1_a3(_assessment(client, second["id"]), "Rock-wool board") == pytest.approx(158.4)
    fields = _form_fields(client.get(f"/runs/{second['id']}").text, second["id"])
    fields |= {"factor-c1": "", "density-c1": ""}
    third = _wait(client, _new_run(_rerun_form(client, second["id"], fields)))
    left_out = {m["material"] for m in _assessment(client, third["id"])["coverage"]["unmapped"]}
    assert "Rock-wool board" in left_out
    rules = yaml.safe_load((tmp_path / "data" / "runs" / third["id"] / "mapping_in.yaml").read_text())
    assert rules["rules"] == []
    # the API withdraws with null
    api = client.post(f"/api/runs/{first['id']}/rerun", json={"choices": {"Rock-wool board": None}})
    assert api.status_code == 201, api.text
    _wait(client, api.json()["id"])


# ---- floor area and energy figures ------------------------------------------------------------------------
def test_typing_the_floor_area_on_re_run_makes_a_not_assessable_run_assessable(tmp_path, fixing_ifc):
    client = _client(tmp_path)
    run = _upload(client, fixing_ifc)
    first = _assessment(client, run["id"])
    assert first["floor_area"]["value_m2"] is None
    assert {t["verdict"] for t in first["without_embodied"]["verdicts"]["tiers"]} == {"not assessable"}
    page = client.get(f"/runs/{run['id']}").text
    assert "No floor area was found in the model" in page
    fields = _form_fields(page, run["id"])
    assert fields["e_floor_area_m2"] == "" and fields["e_electricity_kwh"] == ""
    fields |= {"e_floor_area_m2": "100", "e_electricity_kwh": "10000", "e_baseline_intensity": "100"}
    second = _wait(client, _new_run(_rerun_form(client, run["id"], fields)))
    a = _assessment(client, second["id"])
    assert a["floor_area"] == {"value_m2": 100.0, "source": "energy file (gross_floor_area_m2)"}
    metrics = a["without_embodied"]["metrics"]
    # 10000 kWh x 0.5306 kgCO2/kWh / 100 m2 = 53.06 kg/(m2.a); against a baseline of 100: 46.94 % less
    assert a["operational"]["grid_factor_kgco2_per_kwh"] == pytest.approx(0.5306)
    assert metrics["carbon_intensity_kg_per_m2a"] == pytest.approx(53.06)
    assert metrics["carbon_intensity_reduction_share"] == pytest.approx(0.4694)
    verdicts = {t["tier"]: t["verdict"] for t in a["without_embodied"]["verdicts"]["tiers"]}
    # low-carbon needs 40 % and 7 kg/(m2.a) less: passes; near-zero needs 60 %; zero needs net <= 0
    assert verdicts == {"low-carbon": "pass", "near-zero-carbon": "fail", "zero-carbon": "fail"}
    # the figures are pre-filled on the next re-run, and the warning is gone
    page = client.get(f"/runs/{second['id']}").text
    fields = _form_fields(page, second["id"])
    assert (fields["e_floor_area_m2"], fields["e_electricity_kwh"], fields["e_baseline_intensity"]) == (
        "100",
        "10000",
        "100",
    )
    assert "No floor area was found in the model" not in page


def test_the_energy_file_figures_are_pre_filled_and_an_edit_keeps_the_rest_of_the_file(tmp_path):
    client = _client(tmp_path)
    run = _upload(client, OFFICE, energy=ENERGY.read_bytes())
    page = client.get(f"/runs/{run['id']}").text
    fields = _form_fields(page, run["id"])
    assert fields["e_electricity_kwh"] == "12000" and fields["e_natural_gas_m3"] == "1000"
    assert fields["e_pv_self_consumed_kwh"] == "2000" and fields["e_floor_area_m2"] == ""
    assert 'placeholder="160.00"' in page and "Empty: the model&#39;s 160.00 m2 is used." in page
    assert "The energy file gives the baseline by energy carriers" in page
    unchanged = _rerun_form(client, run["id"], fields)  # the form as it came: the file as it was
    assert unchanged.status_code == 400 and "nothing to re-run" in unchanged.text
    fields["e_electricity_kwh"] = "6000"  # and nothing else changed
    second = _wait(client, _new_run(_rerun_form(client, run["id"], fields)))
    a = _assessment(client, second["id"])
    # grid 6000 - 2000 PV = 4000 kWh x 0.5306 = 2122.4, gas 1000 m3 x 2.16 = 2160: 4282.4 kgCO2 a year
    assert a["operational"]["gross_kgco2_per_year"] == pytest.approx(4282.4)
    # the baseline carriers (20000 kWh, 2000 m3: 14932 kgCO2) and the rest of the file are kept
    assert a["operational"]["baseline_kgco2_per_year"] == pytest.approx(14932.0)
    energy = yaml.safe_load((tmp_path / "data" / "runs" / second["id"] / "energy.yaml").read_text())
    assert energy["project"] == "bimcarbon sample office" and energy["design_life_years"] == 50
    assert a["floor_area"]["value_m2"] == pytest.approx(160.0)  # still the model's


def test_the_api_re_runs_with_energy_figures_and_a_nothing_changed_re_run_is_refused(tmp_path, fixing_ifc):
    client = _client(tmp_path)
    run = _upload(client, fixing_ifc)
    nothing = client.post(f"/api/runs/{run['id']}/rerun", json={"choices": {}, "energy": {}})
    assert nothing.status_code == 400 and "nothing to re-run" in nothing.json()["detail"]
    bad = client.post(f"/api/runs/{run['id']}/rerun", json={"energy": {"floor_area": 100}})
    assert bad.status_code == 400 and "unknown energy figure 'floor_area'" in bad.json()["detail"]
    response = client.post(f"/api/runs/{run['id']}/rerun", json={"energy": {"gross_floor_area_m2": 250}})
    assert response.status_code == 201, response.text
    assert _assessment(client, _wait(client, response.json()["id"])["id"])["floor_area"]["value_m2"] == 250


# ---- suggestions ------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "suggested", "filled"),
    [
        ("Rock-wool board", [("insul_rockwool", 100.0), ("shale_rock", 85.5)], "insul_rockwool"),
        ("Aluminium sheet", [("aluminium_sheet", 95.0)], "aluminium_sheet"),
        ("Aluminium", [("aluminium_primary", 90.0)], ""),  # the name is one word of the factor's
        ("Door - Panel", [("panel_al_composite", 85.5), ("panel_copper", 85.5)], ""),  # low, and a tie
        ("Rock wool", [("insul_rockwool", 96.0), ("desnz_insulation", 96.0)], ""),  # a tie at the top
        ("=Rock-wool board", [("insul_rockwool", 97.0)], ""),  # a spreadsheet formula
        ("+Concrete", [("concrete_c30", 95.0)], ""),
        ("-Concrete", [("concrete_c30", 95.0)], ""),
        ("@SUM(concrete)", [("concrete_c30", 85.5)], ""),
        ("HYPERLINK(concrete)", [("concrete_c30", 96.0)], ""),  # a function call
        ("Default", [("concrete_c30", 99.0)], ""),  # placeholders
        ("<By Category>", [("concrete_c30", 99.0)], ""),
        ("Undefined/Undefined", [("concrete_c30", 99.0)], ""),
        ("默认墙", [("concrete_c30", 99.0)], ""),
        ("000 50 %", [("concrete_c30", 99.0)], ""),
    ],
)
def test_a_suggestion_is_filled_in_only_when_sure_and_never_for_a_formula_or_a_placeholder(
    name, suggested, filled
):
    assert rerun.prefill(name, "unmatched", suggested) == filled


def test_a_name_with_a_number_in_brackets_is_not_taken_for_code():
    assert not rerun.looks_like_code("Door - Frame/Mullion (1)")
    assert not rerun.looks_like_code("Concrete C30/37")
    assert not rerun.looks_like_code("混凝土 C30")
    assert rerun.looks_like_code("=A1*2") and rerun.looks_like_code("SUM(A1:A3)")


def test_the_run_page_fills_in_a_sure_suggestion_and_shows_the_others_without_applying_them(
    tmp_path, fixing_ifc
):
    client = _client(tmp_path)
    run = _upload(client, fixing_ifc)
    unmapped = {m["material"]: m for m in _assessment(client, run["id"])["coverage"]["unmapped"]}
    assert unmapped["=Rock-wool board"]["suggestions"].startswith("insul_rockwool (97)")
    page = client.get(f"/runs/{run['id']}").text
    fields = _form_fields(page, run["id"])
    materials = {
        fields[k]: fields[k.replace("material-", "factor-")] for k in fields if k.startswith("material-")
    }
    assert materials == {
        "Rock-wool board": "insul_rockwool",  # 100, alone at the top
        "=Rock-wool board": "",  # 97, but a formula
        "Door - Panel": "",  # 86, three tied
        LONG_NAME: "",  # no suggestion
    }
    assert "This name looks like a formula, code or a placeholder" in page
    assert "panel_al_composite" in page and "score 86" in page  # shown, not applied
    assert page.count("The best suggestion is filled in: check it before you re-run.") == 1


# ---- refusals that keep what was typed --------------------------------------------------------------------
def test_a_re_run_with_an_unknown_factor_shows_the_run_page_again_with_what_was_typed(tmp_path, fixing_ifc):
    client = _client(tmp_path)
    run = _upload(client, fixing_ifc)
    fields = _form_fields(client.get(f"/runs/{run['id']}").text, run["id"])
    door = next(k for k in fields if fields[k] == "Door - Panel").replace("material-", "")
    fields |= {f"factor-{door}": "no_such_factor", f"density-{door}": "650", "e_floor_area_m2": "123"}
    response = _rerun_form(client, run["id"], fields)
    assert response.status_code == 400 and response.headers["content-type"].startswith("text/html")
    assert "unknown factor id(s): no_such_factor" in response.text
    assert "Nothing was re-run; what you typed is kept below." in response.text
    again = _form_fields(response.text, run["id"])
    assert again[f"factor-{door}"] == "no_such_factor" and again[f"density-{door}"] == "650"
    assert again["e_floor_area_m2"] == "123"
    assert "<h2>Verdicts</h2>" in response.text  # the whole run page
    chinese = _rerun_form(client, run["id"], fields, headers={"accept-language": "zh-CN"})
    assert chinese.status_code == 400 and "未知的排放因子编号:no_such_factor" in chinese.text
    assert len(client.get(f"/api/projects/{run['project_id']}/runs").json()) == 1
    # the JSON API keeps answering JSON
    api = client.post(f"/api/runs/{run['id']}/rerun", json={"Door - Panel": "no_such_factor"})
    assert api.status_code == 400 and api.json() == {"detail": "unknown factor id(s): no_such_factor"}


def test_too_many_runs_show_the_form_again_with_the_project_name_and_the_typed_figures(tmp_path):
    from bimcarbon.web.store import Store

    client = _client(tmp_path, max_concurrent_runs=1, max_queued_runs=0)
    store = Store(tmp_path / "data")
    busy = store.add_run(store.project("P"), "0" * 64, {})  # queued: counts as in progress
    typed = {
        "project": "Tower B <east>",
        "criteria": "cn-zero-carbon-building-draft-2023",
        "lang": "zh",
        "e_building_type": "residential",
        "e_floor_area_m2": "2500",
        "e_electricity_kwh": "123456",
        "accept_incomplete": "on",
    }
    files = {"model": ("office.ifc", OFFICE.read_bytes(), "application/octet-stream")}
    response = client.post("/runs", files=files, data={**typed, **csrf(client)})
    assert response.status_code == 429
    page = response.text
    assert "runs in progress or waiting: 1, and at most 0 may wait; try again" in page
    assert 'value="Tower B &lt;east&gt;"' in page  # kept, and escaped
    assert 'name="e_floor_area_m2" type="text" inputmode="decimal" value="2500"' in page
    assert 'value="123456"' in page and '<option value="residential" selected>' in page
    assert '<option value="zh" selected>简体中文' in page
    assert 'name="accept_incomplete" checked' in page and 'name="no_assumptions">' in page
    assert "Choose the model file again" in page  # a file field cannot be filled in again
    store.set_status(busy, "failed", "test")


def test_an_oversize_upload_from_the_browser_gets_a_page_stating_the_limit_of_the_form(tmp_path):
    client = _client(tmp_path, max_upload_bytes=1 << 20)  # 1 MB
    assert "IFC model (.ifc or .ifczip, up to 1 MB)" in client.get("/").text
    big = b"ISO-10303-21;\n" + b"0" * (6 << 20)  # 6 MB: over the 1 MB + 4 MB the body may carry
    files = {"model": ("big.ifc", big, "application/octet-stream")}
    page = client.post("/runs", files=files, headers={"accept": "text/html,application/xhtml+xml"})
    assert page.status_code == 413 and page.headers["content-type"].startswith("text/html")
    assert "the upload is larger than the limit of 1 MB" in page.text and "up to 1 MB" in page.text
    assert "Nothing you typed could be kept" in page.text
    chinese = client.post("/runs", files=files, headers={"accept": "text/html", "accept-language": "zh-CN"})
    assert "上传内容超过 1 MB 的上限" in chinese.text and 'lang="zh-CN"' in chinese.text
    api = client.post("/api/runs", files=files)
    assert api.status_code == 413 and api.json() == {"detail": "the upload is larger than the limit of 1 MB"}
    # a model over the limit inside a body the app reads: the form again, with what was typed
    files = {"model": ("big.ifc", big[: 2 << 20], "application/octet-stream")}
    page = client.post(
        "/runs", files=files, data={"project": "Kept", **csrf(client)}, headers={"accept": "text/html"}
    )
    assert page.status_code == 413 and "the file is larger than the limit of 1 MB" in page.text
    assert 'value="Kept"' in page.text
    assert not list((tmp_path / "data" / "uploads").iterdir())


def test_the_oversize_page_of_a_protected_server_names_no_project(tmp_path):
    from bimcarbon.web.store import Store

    client = _client(tmp_path, max_upload_bytes=1 << 20, token="s3cret")
    auth = {"authorization": "Bearer s3cret"}
    Store(tmp_path / "data").project("Secret tower")
    big = {"model": ("big.ifc", b"0" * (6 << 20), "application/octet-stream")}
    # no token: to the login page before the body is read (test_web_security counts the chunks read)
    page = client.post("/runs", files=big, headers={"accept": "text/html"}, follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"].startswith("/login?next=")
    # with the token: the refusal of the size, which names no project (it is made before the app runs)
    page = client.post("/runs", files=big, headers={"accept": "text/html", **auth})
    assert page.status_code == 413 and "larger than the limit of 1 MB" in page.text
    assert "Secret tower" not in page.text
    assert "Secret tower" in client.get("/", headers=auth).text


def test_the_default_limit_is_stated_the_same_by_the_form_and_by_a_refusal(tmp_path):
    app = create_app(Settings(data_dir=tmp_path / "data"))  # 200 MB
    client = TestClient(app)
    assert "up to 200 MB" in client.get("/").text
    sent: list[dict] = []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        sent.append(message)

    declared = str(250 << 20).encode()  # 250 MB declared: refused before a byte is read
    scope = {
        "type": "http",
        "method": "POST",
        "path": "/api/runs",
        "headers": [(b"host", b"testserver"), (b"content-length", declared)],
        "query_string": b"",
    }
    asyncio.run(app(scope, receive, send))
    assert sent[0]["status"] == 413
    assert json.loads(sent[1]["body"]) == {"detail": "the upload is larger than the limit of 200 MB"}


# ---- the upload form's language ---------------------------------------------------------------------------
def test_the_upload_form_is_in_the_page_language_and_the_workbook_language_follows_it(tmp_path):
    client = _client(tmp_path)
    english = client.get("/", headers={"accept-language": "en-GB"}).text
    assert "Assess a building model" in english and '<option value="en" selected>English' in english
    chinese = client.get("/", headers={"accept-language": "zh-CN,zh;q=0.9"}).text
    assert "评估建筑模型" in chinese and '<option value="zh" selected>简体中文' in chinese
    assert 'value="我的项目"' in chinese and "总建筑面积 m2(留空:取自模型)" in chinese


def test_a_choice_for_one_material_leaves_an_uploaded_rule_for_others_whole():
    """An uploaded rule naming two materials keeps both: the choice goes in front and wins for its own
    material (the first rule that holds decides); only an earlier choice made here is replaced."""
    uploaded = {"id": "mine-1", "when": {"material_exact": ["Gypsum plaster", "Concrete block"]},
                "use": [{"factor": "brick_concrete"}]}  # fmt: skip
    earlier = {"id": "accepted-1", "when": {"material_exact": ["Gypsum plaster"]},
               "use": [{"factor": "desnz_plasterboard"}]}  # fmt: skip
    document = rerun.mapping_with(
        {"rules": [earlier, uploaded]}, [rerun.Choice("Gypsum plaster", "insul_rockwool")]
    )
    rules = document["rules"]
    assert [r["id"] for r in rules] == ["accepted-1", "mine-1"]  # the new choice first, the upload kept
    assert rules[0]["use"][0]["factor"] == "insul_rockwool"
    assert rules[1] == uploaded


def test_a_reason_holding_a_semicolon_reads_in_chinese_whole():
    """The timber-framed build-up's reason has a '; ' of its own: it is translated whole, not in halves
    that no table knows (they stayed English on duplex's page)."""
    reason = (
        "no material; a timber-framed build-up (its type name says so): no class-based assumption fits; "
        "map it with the shares of its materials"
    )
    chinese = rerun.say_reason(reason, "zh")
    assert chinese.startswith("无材料;木龙骨等构架式构造")
    assert not re.search(r"[A-Za-z]{3,}", chinese), chinese
