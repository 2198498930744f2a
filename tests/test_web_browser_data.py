"""Deleting a run and a project from their pages in a real headless browser (Debian's chromium driven
by Playwright), on a 390 px phone: the box must be ticked, then the run goes and its re-run says its
parent was deleted. Screenshots go to $BIMCARBON_SCREENSHOTS (default: the test's temporary folder)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from test_web_browser import CHROMIUM, CHROMIUM_ARGS, SAMPLES, playwright, server  # noqa: F401
from test_web_browser_runs import PHONE, _fits, _goto, _upload, _wait_done


@pytest.fixture()
def shots(tmp_path) -> Path:
    folder = Path(os.environ.get("BIMCARBON_SCREENSHOTS", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_delete_a_run_then_its_project_from_their_pages_on_a_phone(server, shots):  # noqa: F811
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        page = browser.new_page(viewport=PHONE)
        first = _upload(page, server, SAMPLES / "office_m.ifc", SAMPLES / "office_m.energy.yaml", "To delete")
        _wait_done(page, first)
        page.click("text=Energy figures (a year)")  # re-run it with a figure changed: it keeps the upload
        page.fill("#e_electricity_kwh", "13000")
        page.click("#fix button[type=submit]")
        page.wait_for_url("**/runs/**")
        second = page.url.split("?")[0]
        assert second != first
        _wait_done(page, second)
        _goto(page, first)
        page.click("details.delete summary")
        _fits(page, 390)
        page.screenshot(path=str(shots / "delete-run-phone.png"), full_page=True)
        page.click("details.delete button")  # the box is not ticked: the browser does not send it
        assert page.url.split("?")[0] == first
        page.check("details.delete input[name=confirm]")
        page.click("details.delete button")
        page.wait_for_url("**/projects/**")
        assert "To delete" not in page.inner_text("main")
        assert "Re-run of a run since deleted" in page.inner_text("main")
        _goto(page, second)
        assert "Re-run of a run since deleted" in page.inner_text("p.lineage")
        _goto(page, first)
        assert "no such run" in page.inner_text("body")
        # the project, in Chinese
        _goto(page, second + "?lang=zh")
        page.click("p.muted.wrap a")  # the project's link
        page.click("details.delete summary")
        assert "删除本项目" in page.inner_text("details.delete")
        _fits(page, 390)
        page.screenshot(path=str(shots / "delete-project-phone-zh.png"), full_page=True)
        page.check("details.delete input[name=confirm]")
        page.click("details.delete button")
        page.wait_for_url(server + "/")
        _goto(page, second)
        assert "no such run" in page.inner_text("body")
        browser.close()
