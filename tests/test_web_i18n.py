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
