"""The web app in English and Chinese: the language a person gets, and a Chinese text for every text a
page shows."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bimcarbon.web.i18n import ZH, negotiate, translator

TEMPLATES = Path(__file__).resolve().parent.parent / "bimcarbon" / "web" / "templates"


@pytest.mark.parametrize(
    ("query", "cookie", "accept", "expected"),
    [
        (None, None, "zh-CN,zh;q=0.9,en;q=0.8", "zh"),  # a Chinese browser
        (None, None, "en-GB,en;q=0.9,zh-CN;q=0.5", "en"),
        (None, None, "de-DE,de;q=0.9,zh;q=0.4,en;q=0.3", "zh"),  # the first of ours by quality
        (None, None, "fr-FR", "en"),  # none of ours: English
        (None, None, None, "en"),
        (None, None, "zh;q=0", "en"),  # q=0 means "not this one"
        (None, "zh", "en-US", "zh"),  # the switch, remembered, wins over the browser
        ("en", "zh", "zh-CN", "en"),  # the switch itself wins over both
        ("xx", None, "zh-TW", "zh"),  # an unknown choice is ignored
    ],
)
def test_the_page_language_is_the_switch_else_the_browser_else_english(query, cookie, accept, expected):
    assert negotiate(query, cookie, accept) == expected


def test_every_text_a_template_shows_has_its_chinese():
    texts = set()
    for template in TEMPLATES.glob("*.html"):
        source = template.read_text(encoding="utf-8")
        texts |= set(re.findall(r"""_\(\s*"((?:[^"\\]|\\.)*)"\s*[,)]""", source))
        texts |= set(re.findall(r"""_\(\s*'((?:[^'\\]|\\.)*)'\s*[,)]""", source))
    assert texts
    assert sorted(texts - ZH.keys()) == []
    for english, chinese in ZH.items():  # the same placeholders in both
        assert set(re.findall(r"{(\w+)}", english)) == set(re.findall(r"{(\w+)}", chinese)), english


def test_a_text_is_filled_with_its_values_in_either_language():
    assert translator("en", {"{n} runs": "{n} 次评估"})("{n} runs", n=3) == "3 runs"
    assert translator("zh", {"{n} runs": "{n} 次评估"})("{n} runs", n=3) == "3 次评估"
    assert translator("zh", {})("unknown text") == "unknown text"  # no Chinese yet: as written


#: Names from the model and the person, and publication titles, which stay as written in Chinese pages.
KEPT_AS_WRITTEN = (
    *("Office", "office_m.ifc", "office_b.ifc", "office_m", "office_b", "English", "bimcarbon"),
    *("Greenhouse gas reporting: conversion factors", "Climate Emergency Design Guide"),
    *("Whole Life-Cycle Carbon Assessments guidance", "Concrete C30/37", "Mineral wool insulation"),
    *("Steel S355", "Concrete block", "Float glass", "Glulam GL24h", "Gypsum plaster"),
)


def test_every_page_in_chinese_has_no_english_sentence_of_its_own(tmp_path):
    """The upload form, a finished run (office with its energy file), the project and the compare pages
    read in a Chinese browser: text written by the app is Chinese; the model's and the person's names,
    ids, units, file names and publication titles stay as they are."""
    from test_web_runs import _client, _submit, _wait

    client = _client(tmp_path)
    first = _wait(client, _submit(client).json()["id"])
    second = _wait(client, _submit(client, name="office_b.ifc").json()["id"])
    chinese = {"Accept-Language": "zh-CN,zh;q=0.9"}
    project = f"/projects/{first['project_id']}"
    pages = ["/", f"/runs/{first['id']}", project, f"{project}/compare?a={first['id']}&b={second['id']}"]
    for url in pages:
        response = client.get(url, headers=chinese)
        assert response.status_code == 200, url
        text = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", response.text, flags=re.S)
        text = re.sub(r"<[^>]+>", " ", text)  # the words a person reads, not the markup
        for kept in KEPT_AS_WRITTEN:
            text = text.replace(kept, " ")
        sentences = re.findall(r"[A-Za-z]{3,}(?: [A-Za-z]{2,}){2,}", text)
        assert not sentences, (url, sentences[:5])


def test_the_workbook_downloads_in_either_language(tmp_path):
    import io

    import openpyxl
    from test_web_runs import _client, _submit, _wait

    client = _client(tmp_path)
    run = _wait(client, _submit(client).json()["id"])  # the workbook language chosen: English
    sheets = {}
    for query in ("", "?lang=zh", "?lang=en"):
        response = client.get(f"/runs/{run['id']}/files/xlsx{query}")
        assert response.status_code == 200, query
        sheets[query] = openpyxl.load_workbook(io.BytesIO(response.content)).sheetnames[0]
        assert ".zh." in response.headers["content-disposition"] or query != "?lang=zh"
    assert sheets == {"": "Summary", "?lang=zh": "汇总", "?lang=en": "Summary"}
