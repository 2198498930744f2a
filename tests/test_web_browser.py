"""End to end in a real headless browser (Debian's chromium driven by Playwright): upload the office,
wait for the verdict, check the with/without table, download the workbook and open it; screenshots of
the upload, progress and result pages at laptop width are saved for a person to look at."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest

SAMPLES = Path(__file__).resolve().parent.parent / "sample_models"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
#: Flags for a sandboxed root session with no network (see the workplace notes).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

playwright = pytest.importorskip(
    "playwright.sync_api", reason="playwright is not installed (pip install '.[test]')"
)
if CHROMIUM is None:
    pytest.skip("no chromium on this machine (.ci/run installs Debian's chromium)", allow_module_level=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serving(data_dir: Path, **settings) -> Iterator[str]:
    """The web app for ``data_dir`` served by uvicorn on a free loopback port, in a thread; its URL."""
    import uvicorn

    from bimcarbon.web.app import Settings, create_app

    port = _free_port()
    app = create_app(Settings(data_dir=data_dir, **settings))
    instance = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=instance.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not instance.started and time.monotonic() < deadline:
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        instance.should_exit = True
        thread.join(10)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with serving(tmp_path_factory.mktemp("web") / "data") as url:
        yield url


def test_upload_in_a_browser_read_the_verdict_and_download_the_workbook(server, tmp_path):
    shots = Path(os.environ.get("BIMCARBON_SCREENSHOTS", tmp_path))
    shots.mkdir(parents=True, exist_ok=True)
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        page = browser.new_page(viewport={"width": 1366, "height": 900}, accept_downloads=True)
        page.goto(server + "/")
        page.set_input_files("#model", str(SAMPLES / "office_m.ifc"))
        page.set_input_files("#energy", str(SAMPLES / "office_m.energy.yaml"))
        page.fill("#project", "Browser test")
        page.screenshot(path=str(shots / "upload.png"), full_page=True)
        page.click("button[type=submit]")
        page.wait_for_url("**/runs/**")
        page.screenshot(path=str(shots / "progress.png"), full_page=True)
        page.wait_for_selector("text=Verdicts", timeout=120_000)
        page.screenshot(path=str(shots / "result.png"), full_page=True)
        table = page.inner_text("table")
        assert "Without embodied" in table and "With embodied" in table
        assert "Low-carbon building" in table and "Tier reached" in table
        with page.expect_download() as download_info:
            page.click("text=in this page's language")
        workbook = tmp_path / "downloaded.xlsx"
        download_info.value.save_as(workbook)
        book = openpyxl.load_workbook(workbook)
        assert book.sheetnames[0] == "Summary"
        # nothing wider than a laptop screen
        assert page.evaluate("document.documentElement.scrollWidth") <= 1366
        browser.close()
