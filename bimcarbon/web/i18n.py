"""The web app's words in English and Simplified Chinese.

Templates write English and call ``_("...")``: the English text is the key, :data:`ZH` holds its Chinese
(a test fails when a template's text has none). The language is the one the person chose with the
switch (``?lang=``, kept in a cookie), else the browser's (``Accept-Language``), else English.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

LANGS = ("en", "zh")
COOKIE = "bimcarbon_lang"

#: English -> Chinese. Keep entries grouped by page; a ``{name}`` in the English is in the Chinese too.
ZH: dict[str, str] = {
    # every page
    "IFC carbon assessment": "IFC 模型碳排放评估",
    "English": "English",
    "中文": "中文",
    "Language": "语言",
}


def negotiate(query: str | None, cookie: str | None, accept_language: str | None) -> str:
    """The page language: the switch (``?lang=``), else the cookie, else the browser's first language
    among ours (``zh-CN,zh;q=0.9,en;q=0.8`` is Chinese), else English."""
    for chosen in (query, cookie):
        if chosen in LANGS:
            return chosen
    ranked = []
    for index, part in enumerate((accept_language or "").split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        primary = tag.strip().lower().split("-")[0]
        if primary in LANGS and quality > 0:
            ranked.append((-quality, index, primary))
    return min(ranked)[2] if ranked else "en"


def translator(lang: str, table: Mapping[str, str] = ZH) -> Callable[..., str]:
    """``_(text, **values)``: ``text`` in ``lang`` with ``{name}`` filled from ``values``."""

    def _(text: str, **values: object) -> str:
        words = table.get(text, text) if lang == "zh" else text
        return words.format(**values) if values else words

    return _
