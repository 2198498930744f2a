"""Fixing a run in a real headless browser (Debian's chromium driven by Playwright): the factor picker
and a density change the numbers, a floor area typed on re-run makes a "not assessable" run assessable,
a model over the size limit is refused with what was typed kept, and the upload form and the run page
fit a 390 px phone in English and Chinese. Screenshots go to /tmp/shots-W2 (or $BIMCARBON_SCREENSHOTS)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
playwright = pytest.importorskip(
    "playwright.sync_api", reason="playwright is not installed (pip install '.[test]')"
)
if CHROMIUM is None:
    pytest.skip("no chromium on this machine (.ci/run installs Debian's chromium)", allow_module_level=True)

import test_web_browser  # noqa: E402
from test_web_browser import CHROMIUM_ARGS, serving  # noqa: E402
from test_web_fixing import FIXING_MATERIALS, LONG_NAME, fixing_model  # noqa: E402

server = test_web_browser.server  # the fixture: the app served by uvicorn in a thread
SHOTS = Path(os.environ.get("BIMCARBON_SCREENSHOTS", "/tmp/shots-W2"))
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}


@pytest.fixture(scope="module")
def model(tmp_path_factory) -> Path:
    return fixing_model(tmp_path_factory.mktemp("model") / "fixing.ifc")


@pytest.fixture(scope="module")
def browser():
    with playwright.sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield instance
        instance.close()


@pytest.fixture(scope="module")
def small_server(tmp_path_factory):
    """The app with a 1 MB upload limit."""
    with serving(tmp_path_factory.mktemp("small") / "data", max_upload_bytes=1 << 20) as url:
        yield url


def _shot(page, name: str) -> None:
    """The whole page, and the materials part alone (readable at full size) where there is one."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    if page.locator("#materials").count():
        page.locator("#materials").screenshot(path=str(SHOTS / f"{name}-materials.png"))


def _upload(page, base: str, model: Path, project: str) -> str:
    """Upload a model from the form and wait for its result; the run's id."""
    page.goto(base + "/")
    page.set_input_files("#model", str(model))
    page.fill("#project", project)
    page.click("#upload button[type=submit]")
    page.wait_for_url("**/runs/**")
    page.wait_for_selector("#materials", timeout=120_000)
    return page.url.rsplit("/", 1)[1].split("?")[0]


def _wait_for_new_run(page, old_id: str) -> str:
    page.wait_for_url(lambda url: "/runs/" in url and old_id not in url)
    page.wait_for_selector("#materials", timeout=120_000)
    return page.url.rsplit("/", 1)[1].split("?")[0]


def _api(page, path: str) -> dict:
    return page.request.get(path).json()


def _fits(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def test_fixing_a_material_without_a_density_in_the_browser_changes_the_numbers(server, browser, model):
    page = browser.new_page(viewport=DESKTOP)
    run_id = _upload(page, server, model, "Browser fixing")
    before = _api(page, f"{server}/api/runs/{run_id}/assessment")
    assert before["embodied"]["a1_a3"] == 0  # every material is left out
    door = page.locator('input[aria-label="factor for Door - Panel"]')
    assert door.get_attribute("list") is None  # the script's list replaces the browser's datalist
    door.type("岩棉")  # Chinese for rock wool
    option = page.locator("ul.picker:visible button").first
    option.wait_for()
    assert (
        option.inner_text()
        == "insul_rockwool — Rock-wool board · 岩棉板 · 1,980 kgCO2e/t · 140 kg/m3 · secondary source"
    )
    _shot(page, "picker-desktop-en")
    option.click()
    assert door.input_value() == "insul_rockwool"
    row = page.locator("tr", has=door)
    assert "140 kg/m3" in row.locator(".density-info").inner_text()  # the default a density replaces
    row.locator("input.density").fill("20")
    # "Rock-wool board" came filled in with insul_rockwool (score 100); "=Rock-wool board" did not
    assert page.locator('input[aria-label="factor for Rock-wool board"]').input_value() == "insul_rockwool"
    assert page.locator('input[aria-label="factor for =Rock-wool board"]').input_value() == ""
    page.click("#fix button[type=submit]")
    new_id = _wait_for_new_run(page, run_id)
    _shot(page, "rerun-desktop-en")
    after = _api(page, f"{server}/api/runs/{new_id}/assessment")
    by_material = {m["material"]: m["a1_a3_kgco2e"] for m in after["by_material"]}
    # 1980 kgCO2e/t: Door - Panel 2 m3 x 20 kg/m3 (typed) = 0.04 t -> 79.2; Rock-wool board 2 m3 x 140 kg/m3
    # (the factor's default) = 0.28 t -> 554.4
    assert by_material["Door - Panel"] == pytest.approx(79.2)
    assert by_material["Rock-wool board"] == pytest.approx(554.4)
    assert after["embodied"]["a1_a3"] == pytest.approx(633.6)
    given = page.locator("#materials table").first.inner_text()
    assert "Door - Panel" in given and "insul_rockwool" in given and "A1-A3 79.20 kgCO2e" in given
    page.close()


def test_typing_the_floor_area_on_re_run_makes_a_not_assessable_run_assessable(server, browser, model):
    page = browser.new_page(viewport=DESKTOP)
    run_id = _upload(page, server, model, "Browser floor area")
    tiers = _api(page, f"{server}/api/runs/{run_id}/assessment")["without_embodied"]["verdicts"]["tiers"]
    assert {t["verdict"] for t in tiers} == {"not assessable"}
    assert page.locator("text=No floor area was found in the model").first.is_visible()
    page.fill("#e_floor_area_m2", "100")
    page.fill("#e_electricity_kwh", "10000")  # the energy figures are open: none given yet
    page.fill("#e_baseline_intensity", "100")
    _shot(page, "floor-area-typed-desktop-en")
    page.click("#fix button[type=submit]")
    new_id = _wait_for_new_run(page, run_id)
    _shot(page, "floor-area-rerun-desktop-en")
    a = _api(page, f"{server}/api/runs/{new_id}/assessment")
    # 10000 kWh x 0.5306 / 100 m2 = 53.06 kg/(m2.a), 46.9 % below the baseline of 100: low-carbon
    assert a["without_embodied"]["metrics"]["carbon_intensity_kg_per_m2a"] == pytest.approx(53.06)
    verdicts = {t["tier"]: t["verdict"] for t in a["without_embodied"]["verdicts"]["tiers"]}
    assert verdicts == {"low-carbon": "pass", "near-zero-carbon": "fail", "zero-carbon": "fail"}
    assert a["without_embodied"]["verdicts"]["reached"] == "low-carbon"
    assert page.locator("text=No floor area was found in the model").count() == 0
    assert page.input_value("#e_floor_area_m2") == "100"  # pre-filled for the next re-run
    page.close()


def test_a_model_over_the_limit_is_refused_in_the_browser_with_what_was_typed_kept(
    small_server, browser, tmp_path
):
    big = tmp_path / "big.ifc"
    big.write_bytes(b"ISO-10303-21;\n" + b"0" * (2 << 20))  # 2 MB, the limit is 1 MB
    page = browser.new_page(viewport=PHONE)
    page.goto(small_server + "/")
    page.fill("#project", "Kept project")
    page.set_input_files("#model", str(big))
    message = page.locator("#model-too-large")
    assert message.is_visible() and "larger than the limit of 1 MB" in message.inner_text()
    page.click("#upload button[type=submit]")
    assert page.url.rstrip("/") == small_server  # nothing was sent
    assert page.input_value("#project") == "Kept project"
    _shot(page, "too-large-phone-en")
    page.close()
    # without JavaScript the server refuses it: a page stating the same limit, in the page's language
    context = browser.new_context(java_script_enabled=False, viewport=PHONE, locale="zh-CN")
    page = context.new_page()
    huge = tmp_path / "huge.ifc"
    huge.write_bytes(b"ISO-10303-21;\n" + b"0" * (6 << 20))  # over the body limit: refused as it arrives
    page.goto(small_server + "/")
    page.set_input_files("#model", str(huge))
    page.click("#upload button[type=submit]")
    page.wait_for_selector(".error")
    assert "上传内容超过 1 MB 的上限" in page.inner_text(".error")
    assert "不超过 1 MB" in page.inner_text("label[for=model]")
    _shot(page, "too-large-server-phone-zh")
    context.close()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_upload_form_and_the_run_page_fit_a_phone_and_a_long_name_wraps(server, browser, model, lang):
    desktop = browser.new_page(viewport=DESKTOP)
    desktop.goto(f"{server}/?lang={lang}")
    _shot(desktop, f"index-desktop-{lang}")
    run_id = _upload(desktop, server, model, f"Phone {lang}")
    _shot(desktop, f"run-desktop-{lang}")
    desktop.close()
    phone = browser.new_page(viewport=PHONE)
    phone.goto(f"{server}/?lang={lang}")
    assert _fits(phone) <= 390
    _shot(phone, f"index-phone-{lang}")
    phone.goto(f"{server}/runs/{run_id}?lang={lang}")
    phone.wait_for_selector("#materials")
    name = phone.locator(f'#materials span.name[title="{LONG_NAME}"]')
    box = name.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390  # it wraps, within the screen
    assert box["height"] > 5 * 16  # over several lines
    materials = phone.locator("#materials").bounding_box()
    assert materials["x"] + materials["width"] <= 390
    _shot(phone, f"run-phone-{lang}")
    # nothing in the materials part reaches past the screen (the other parts of the run page are checked by
    # their own tests)
    widest = phone.evaluate(
        "Math.max(...Array.from(document.querySelectorAll('#materials, #materials *'),"
        " e => e.getBoundingClientRect().right))"
    )
    assert widest <= 390
    assert len(FIXING_MATERIALS) == phone.locator("#materials table.fix-rows tbody tr").count()
    phone.close()
