"""The Chinese of the text in bimcarbon's data files (sources, status notes, descriptions, reasons), for
the Chinese workbook.

Every prose field ``X`` of a shipped data file carries its Chinese in a sibling ``X_zh``
(factors/README.md). :class:`DataText` turns a cell's text into Chinese by replacing each English text
of a data file that it holds, wherever it stands: a note may join a rule's description, the rule's note
on a factor and the factor's derivation, and a source may follow a vehicle's name. Text it does not know
(from the user's own files, from the model) stays as written.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache

from bimcarbon.coverage import COMPLETENESS_CLAUSE
from bimcarbon.datafile import BUNDLED_DATA, read_yaml_mapping

#: What bimcarbon itself writes around a data text (:func:`bimcarbon.matching.use_note`,
#: :func:`bimcarbon.operational.carrier_lines`) and the completeness clause it cites.
_OWN = {
    "proxy: ": "替代:",
    "derived factor: ": "推算因子:",
    "not a published value": "非公开发布的数值",
    "the factor stands in for this material": "该因子替代此材料",
    " (per-unit value derived)": "(按单位换算得出)",
    "energy file (district_heat_kgco2_per_gj)": "能耗文件 (district_heat_kgco2_per_gj)",
    COMPLETENESS_CLAUSE: "GB/T 51366-2019 第6.1.2条(按通常引用;未核实)",
}

#: Shorter texts are names and words (``steel``), which are translated where they stand, not inside
#: other text.
MIN_LENGTH = 12


def _collect(node: object, pairs: dict[str, str]) -> None:
    """Add every ``X`` / ``X_zh`` pair of text under ``node`` to ``pairs``."""
    if isinstance(node, dict):
        for key, value in node.items():
            if isinstance(key, str) and key.endswith("_zh") and isinstance(value, str) and value.strip():
                english = node.get(key[:-3])
                if isinstance(english, str) and len(english.strip()) >= MIN_LENGTH:
                    pairs[english.strip()] = value.strip()
                    # a description ends a note without its full stop (use_note)
                    pairs.setdefault(english.strip().rstrip("."), value.strip().rstrip("。"))
            else:
                _collect(value, pairs)
    elif isinstance(node, list):
        for item in node:
            _collect(item, pairs)


@lru_cache(maxsize=1)
def shipped_pairs() -> dict[str, str]:
    """English -> Chinese of every text in the data files shipped with bimcarbon."""
    pairs: dict[str, str] = {}
    for folder in BUNDLED_DATA:
        for path in sorted(folder.glob("**/*.yaml")):
            _collect(read_yaml_mapping(path), pairs)
    return pairs


class DataText:
    """Data-file text in the workbook's language.

    Parameters
    ----------
    lang
        ``en`` (text stays as written) or ``zh``.
    extra
        More English -> Chinese pairs, e.g. the reasons of the user's own rules.
    """

    def __init__(self, lang: str, extra: Mapping[str, str] | None = None) -> None:
        self.lang = lang
        self.pairs = {**_OWN, **shipped_pairs(), **(extra or {})}
        longest_first = sorted(self.pairs, key=len, reverse=True)
        self._pattern = re.compile("|".join(re.escape(text) for text in longest_first))
        self._done: dict[str, str] = {}

    def __call__(self, text: object) -> object:
        """``text`` with every data-file text in it in the workbook's language; other values unchanged."""
        if self.lang != "zh" or not isinstance(text, str) or not text:
            return text
        if text not in self._done:
            self._done[text] = self._pattern.sub(lambda m: self.pairs[m.group(0)], text)
        return self._done[text]
