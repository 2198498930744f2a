"""The explained verdicts in a real browser (Debian's chromium driven by Playwright): upload the office
with its energy file, read a criterion's value, threshold and margin and compare them with the JSON, the
same page in Chinese (a zh-CN browser), and no horizontal scroll on a 390 px phone in either language.
Screenshots at desktop and phone width in both languages go to $BIMCARBON_SCREENSHOTS (else a temporary
folder) for a person to look at."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from test_web_browser import CHROMIUM, CHROMIUM_ARGS, server  # noqa: F401

from bimcarbon.criteria import KNOWN_METRICS

SAMPLES = Path(__file__).resolve().parent.parent / "sample_models"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}

playwright = pytest.importorskip(
    "playwright.sync_api", reason="playwright is not installed (pip install '.[test]')"
)
if CHROMIUM is None:
    pytest.skip("no chromium on this machine (.ci/run installs Debian's chromium)", allow_module_level=True)


def _text(page, selector: str) -> str:
    return page.inner_text(selector).replace("\u00a0", " ")


def test_a_verdict_is_explained_in_english_and_chinese_and_fits_a_phone(server, tmp_path):  # noqa: F811
    shots = Path(os.environ.get("BIMCARBON_SCREENSHOTS", tmp_path))
    shots.mkdir(parents=True, exist_ok=True)
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        page = browser.new_page(viewport=DESKTOP)
        page.goto(server + "/?lang=en")
        page.set_input_files("#model", str(SAMPLES / "office_m.ifc"))
        page.set_input_files("#energy", str(SAMPLES / "office_m.energy.yaml"))
        page.fill("#project", "Verdicts explained")
        page.click("button[type=submit]")
        page.wait_for_url("**/runs/**")
        page.wait_for_selector("tr[data-criterion]", timeout=120_000)
        run_url = page.url.split("?")[0]
        a = page.request.get(run_url.replace("/runs/", "/api/runs/") + "/assessment").json()
        criteria = {(c["tier"], c["criterion"]): c for c in a["without_embodied"]["verdicts"]["criteria"]}
        with_ = {(c["tier"], c["criterion"]): c for c in a["with_embodied"]["verdicts"]["criteria"]}

        # reduction >= 40 %: value 50.0 %, margin 0.50 - 0.40 = +10.0 points (with embodied 43.3 %, +3.3)
        share = criteria[("low-carbon", "reduction-40")]
        assert share["margin"] == pytest.approx(share["value"] - share["threshold"])
        row = _text(page, 'tr[data-criterion="low-carbon/reduction-40"]')
        assert "Reduction (share of the baseline)" in row and "≥ 40 %" in row
        assert (
            f"{100 * share['value']:.1f} %" in row
            and f"margin {100 * share['margin']:+.1f} percentage points" in row
        )
        other = with_[("low-carbon", "reduction-40")]
        assert f"{100 * other['value']:.1f} %" in row and f"margin {100 * other['margin']:+.1f}" in row
        # net <= 0: margin = 0 - 45.00 = -45.00 kgCO2e/(m2.a), and the threshold is said to be ours
        net = criteria[("zero-carbon", "net-zero")]
        row = _text(page, 'tr[data-criterion="zero-carbon/net-zero"]')
        assert "≤ 0 kgCO2e/(m²·a)" in row and f"{net['value']:.2f} kgCO2e/(m²·a)" in row
        assert f"margin {net['margin']:+.2f} kgCO2e/(m²·a)" in row
        assert "bimcarbon's provisional default" in row
        body = _text(page, "main")
        assert "draft standard's own values were not found" in body
        assert "to the baseline" in body and "Warnings (" in body
        assert not [m for m in KNOWN_METRICS if m in body]
        page.screenshot(path=str(shots / "run-en-desktop.png"), full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= DESKTOP["width"]
        page.set_viewport_size(PHONE)
        page.goto(run_url)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        page.screenshot(path=str(shots / "run-en-phone.png"), full_page=True)

        # a Chinese browser gets the page in Chinese: headings, words, no metric identifiers
        context = browser.new_context(locale="zh-CN", viewport=PHONE)
        zh = context.new_page()
        zh.goto(run_url)
        assert zh.get_attribute("html", "lang") == "zh-CN"
        body = _text(zh, "main")
        assert "评价结论" in body and "依据:各项指标与阈值的比较" in body and "数值合理性检查" in body
        row = _text(zh, 'tr[data-criterion="low-carbon/reduction-40"]')
        assert "碳排放强度降低率" in row and "≥ 40 %" in row and "余量 +10.0 个百分点" in row
        assert "bimcarbon 暂定默认值" in _text(zh, 'tr[data-criterion="near-zero-carbon/reduction-60"]')
        assert not [m for m in KNOWN_METRICS if m in body]
        assert not re.search(r"\b(pass|fail|not assessable)\b", _text(zh, "section.verdicts table.tiers"))
        assert zh.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        zh.screenshot(path=str(shots / "run-zh-phone.png"), full_page=True)
        zh.set_viewport_size(DESKTOP)
        zh.screenshot(path=str(shots / "run-zh-desktop.png"), full_page=True)
        assert zh.evaluate("document.documentElement.scrollWidth") <= DESKTOP["width"]
        context.close()
        browser.close()
