"""The park page in a real headless browser (Debian's chromium driven by Playwright): the sample park's
three buildings uploaded as runs, the park defined in the page's form on a 390 px phone, then its verdicts
read on the phone and at laptop width, in English and Chinese; the page never scrolls sideways.
Screenshots go to $BIMCARBON_SCREENSHOTS (default: the test's temporary folder) for a person to look at.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import httpx
import pytest
from test_web_browser import CHROMIUM, CHROMIUM_ARGS, SAMPLES, playwright, serving  # noqa: F401
from test_web_browser_runs import DESKTOP, PHONE, _fits, _goto

PARK = SAMPLES / "park"


@pytest.fixture()
def shots(tmp_path) -> Path:
    folder = Path(os.environ.get("BIMCARBON_SCREENSHOTS", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _buildings(base: str) -> str:
    """Upload the sample park's buildings with their energy files (the API, as a script does); the project."""
    ids = []
    with httpx.Client(base_url=base, timeout=60) as client:
        for stem, name in (("office_a", "Office A"), ("office_b", "Office B"), ("workshop", "Workshop")):
            files = {
                "model": (f"{stem}.ifc", (PARK / f"{stem}.ifc").read_bytes(), "application/octet-stream"),
                "energy": (
                    f"{stem}.energy.yaml",
                    (PARK / f"{stem}.energy.yaml").read_bytes(),
                    "application/yaml",
                ),
            }
            response = client.post(
                "/api/runs", files=files, data={"project": "Browser park", "run_name": name}
            )
            assert response.status_code == 201, response.text
            ids.append(response.json()["id"])
        deadline = time.monotonic() + 300
        runs = []
        while time.monotonic() < deadline:
            runs = [client.get(f"/api/runs/{i}").json() for i in ids]
            if all(r["status"] in ("done", "failed") for r in runs):
                break
            time.sleep(0.5)
        assert [r["status"] for r in runs] == ["done"] * 3, runs
        return runs[0]["project_id"]


def test_define_a_park_on_a_phone_and_read_its_verdicts_at_both_widths(tmp_path, shots):
    with serving(tmp_path / "data") as base:
        project_id = _buildings(base)
        url = f"{base}/projects/{project_id}/park"
        with playwright.sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            phone = browser.new_page(viewport=PHONE)
            _goto(phone, url + "?lang=en")
            assert phone.locator("input[name=run]:checked").count() == 3  # the finished runs, offered
            _fits(phone, 390)
            phone.fill("#park_name", "Browser park")
            for field, value in (
                ("#pe_electricity_kwh", "200,000"),
                ("#pe_natural_gas_m3", "2000"),
                ("#pe_pv_kwh", "250000"),
                ("#pe_wind_kwh", "50000"),
                ("#pe_green_electricity_kwh", "60000"),
                ("#pe_green_certificates", "2"),
                ("#pe_offsets_tco2e", "10"),
            ):
                phone.fill(field, value)
            phone.select_option("#grid", "2023:north")
            phone.screenshot(path=str(shots / "park-form-phone.png"), full_page=True)
            phone.click("section.park-form button[type=submit]")
            phone.wait_for_selector("text=Park verdicts")
            assert phone.url.split("?")[0] == url  # the park's stable address
            verdicts = phone.inner_text("section.park-verdicts table.tiers")
            assert "Zero-carbon park" in verdicts and "Near-zero-carbon park" in verdicts
            assert "Tier reached" in verdicts
            text = phone.inner_text("main")
            assert "0.150 tCO2/tce" in text and "0.459 tCO2/tce" in text and "0.1229 kgce/kWh" in text
            assert phone.locator("svg.chart").count() == 3
            _fits(phone, 390)
            for box in phone.locator("svg.chart").all():  # the charts scale to the phone
                bounds = box.bounding_box()
                assert bounds is not None and bounds["x"] >= 0 and bounds["x"] + bounds["width"] <= 390
            phone.screenshot(path=str(shots / "park-phone.png"), full_page=True)
            _goto(phone, url + "?lang=zh")
            assert "零碳园区" in phone.inner_text("section.park-verdicts table.tiers")
            assert "达到等级" in phone.inner_text("section.park-verdicts table.tiers")
            _fits(phone, 390)
            phone.screenshot(path=str(shots / "park-phone-zh.png"), full_page=True)
            desktop = browser.new_page(viewport=DESKTOP)
            _goto(desktop, url + "?lang=en")
            cells = desktop.locator("section.park-verdicts tr.reached td").all_inner_texts()
            assert cells == ["Zero-carbon park", "Near-zero-carbon park"]
            _fits(desktop, 1366)
            desktop.click("table.park-buildings a:has-text('Workshop')")  # each building leads to its run
            desktop.wait_for_url("**/runs/**")
            assert desktop.inner_text("h1") == "Workshop"
            _goto(desktop, url + "?lang=en")
            desktop.screenshot(path=str(shots / "park-desktop.png"), full_page=True)
            browser.close()
