"""Named runs, the queue, progress by stage and the comparison of two runs in a real headless browser
(Debian's chromium driven by Playwright), at laptop width and on a 390 px phone, in English and Chinese.
Screenshots go to $BIMCARBON_SCREENSHOTS (default: the test's temporary folder) for a person to look at.
"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import pytest
from conftest import sample
from test_web_browser import CHROMIUM, CHROMIUM_ARGS, SAMPLES, playwright, serving  # noqa: F401

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}


@pytest.fixture(scope="module")
def one_at_a_time(tmp_path_factory):
    """A server that runs one assessment at a time (a second one waits in the queue)."""
    with serving(tmp_path_factory.mktemp("web-runs") / "data", max_concurrent_runs=1) as url:
        yield url


@pytest.fixture()
def shots(tmp_path) -> Path:
    folder = Path(os.environ.get("BIMCARBON_SCREENSHOTS", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _goto(page, url: str) -> None:
    """Open ``url``. A run page in progress refreshes itself every 2 s: its refresh interrupts a
    navigation that takes longer (a loaded CI machine, six times in a row once), so the page is left
    for about:blank first, which has no timer; a refresh at that very moment is tried again."""
    for _ in range(5):
        try:
            page.goto("about:blank")
            page.goto(url)
            return
        except playwright.Error as exc:
            if "interrupted by another navigation" not in str(exc) and "ERR_ABORTED" not in str(exc):
                raise
    page.goto(url)


def _upload(page, base: str, model: Path, energy: Path | None, run_name: str = "") -> str:
    _goto(page, base + "/")
    page.set_input_files("#model", str(model))
    if energy is not None:
        page.set_input_files("#energy", str(energy))
    page.fill("#project", "Browser runs")
    if run_name:
        page.fill("#run_name", run_name)
    page.click("button[type=submit]")
    page.wait_for_url("**/runs/**")
    return page.url


def _wait_done(page, url: str, seconds: float = 180) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        _goto(page, url)
        if page.locator("text=Downloads").count() or page.locator(".error").count():
            return
        time.sleep(1)
    raise AssertionError(f"{url} did not finish")


def _fits(page, width: int) -> None:
    wide = page.evaluate("document.documentElement.scrollWidth")
    assert wide <= width, f"{page.url} is {wide} px wide at {width} px"


def test_a_second_run_waits_in_the_queue_while_the_first_shows_its_stages(one_at_a_time, shots):
    duplex = sample("duplex.ifc")  # about 20 s: long enough to watch its stages
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        page = browser.new_page(viewport=DESKTOP)
        first = _upload(page, one_at_a_time, duplex, None, run_name="Duplex as exported")
        second = _upload(page, one_at_a_time, SAMPLES / "office_m.ifc", SAMPLES / "office_m.energy.yaml")
        assert "1st in the queue" in page.inner_text("section.progress")
        page.screenshot(path=str(shots / "queued-desktop.png"), full_page=True)
        phone = browser.new_page(viewport=PHONE)
        _goto(phone, second + "?lang=zh")
        assert "排在队列第 1 位" in phone.inner_text("section.progress")
        _fits(phone, 390)
        phone.screenshot(path=str(shots / "queued-phone-zh.png"), full_page=True)
        # the first run: the take-off is done with its element count while a later stage runs (looked
        # at every half second: the page's own refresh every 2 s could miss the short later stages)
        seen = ""
        deadline = time.monotonic() + 180
        while not seen and time.monotonic() < deadline:
            _goto(page, first + "?lang=en")
            if not page.locator("section.progress").count():
                break  # finished
            done = page.locator("ol.stages li.done:has-text('elements')")
            if done.count():
                seen = done.inner_text()
                assert "elapsed" in page.inner_text("section.progress")
                page.screenshot(path=str(shots / "progress-desktop.png"), full_page=True)
                _goto(phone, first + "?lang=zh")
                _fits(phone, 390)
                phone.screenshot(path=str(shots / "progress-phone-zh.png"), full_page=True)
            time.sleep(0.5)
        assert re.fullmatch(r"Taking off quantities: \d+ elements \d+ s", seen), seen
        _wait_done(page, first)
        _wait_done(page, second)
        assert "Assessed in" in page.inner_text("main")
        browser.close()


def test_upload_twice_compare_the_two_runs_and_every_page_fits_a_phone(one_at_a_time, shots):
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        page = browser.new_page(viewport=DESKTOP)
        long_name = "Scheme A: the concrete frame " + "with a very long name " * 6
        a = _upload(
            page, one_at_a_time, SAMPLES / "office_m.ifc", SAMPLES / "office_m.energy.yaml", long_name
        )
        b = _upload(page, one_at_a_time, SAMPLES / "office_mm.ifc", SAMPLES / "office_mm.energy.yaml")
        _wait_done(page, a)
        _wait_done(page, b)
        assert page.inner_text("h1").startswith("office_mm.ifc 20")  # the default name: model and time
        # rename on the run page
        page.click("details.rename summary")
        page.fill("#run_name", "Scheme B (mm units)")
        page.click("details.rename button")
        assert page.inner_text("h1") == "Scheme B (mm units)"
        # the project page: pick A and B, compare
        page.click("text=Browser runs")
        page.check(f"input[name=a][value='{a.rsplit('/', 1)[1]}']")
        page.check(f"input[name=b][value='{b.rsplit('/', 1)[1]}']")
        page.screenshot(path=str(shots / "project-desktop.png"), full_page=True)
        page.click("text=Compare A and B")
        page.wait_for_url("**/compare?**")
        text = page.inner_text("main")
        assert "Scheme B (mm units)" in text and "Scheme A: the concrete frame" in text
        assert "What changed in the inputs" in text and "Model file" in text and "office_mm.ifc" in text
        assert "A1-A3 by material" in text and "A1-A3 by element class" in text
        page.screenshot(path=str(shots / "compare-desktop.png"), full_page=True)
        compare_url = page.url.split("&lang=")[0]
        pages = {"index": one_at_a_time + "/", "run": a, "project": None, "compare": compare_url}
        _goto(page, a)
        page.click("text=Browser runs")
        pages["project"] = page.url
        for lang in ("en", "zh"):
            phone = browser.new_page(viewport=PHONE)
            wide = browser.new_page(viewport=DESKTOP)
            for name, url in pages.items():
                joined = url + ("&" if "?" in url else "?") + f"lang={lang}"
                for shown, width, kind in ((phone, 390, "phone"), (wide, 1366, "desktop")):
                    _goto(shown, joined)
                    _fits(shown, width)  # the whole page, the finished run's included
                    shown.screenshot(path=str(shots / f"{name}-{kind}-{lang}.png"), full_page=True)
            assert ("对比两次评估" in phone.inner_text("h1")) == (lang == "zh")
        browser.close()
