"""The Chinese of the text in bimcarbon's data files (sources, status notes, descriptions, reasons), for
the Chinese workbook.

Every prose field ``X`` of a data file may carry its Chinese in a sibling ``X_zh`` (factors/README.md;
every shipped text has one). :class:`DataText` turns a cell's text into Chinese by replacing each English
text of a data file it holds, where it stands as a whole: the whole cell, or a part of it between
separators (a note joins a rule's description, the rule's note on a factor and the factor's derivation
with "; "; a source follows a factor id and ": "). Text it does not know (from the model, from a person's
file without Chinese) stays as written, and so does a known text that is only part of a longer word or
phrase.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import lru_cache

from pydantic import BaseModel

from bimcarbon.coverage import COMPLETENESS_CLAUSE
from bimcarbon.datafile import BUNDLED_DATA, DataModel, read_yaml_mapping
from bimcarbon.errors import BimcarbonError

#: What bimcarbon itself writes around a data text (:func:`bimcarbon.matching.use_note`,
#: :func:`bimcarbon.operational.carrier_lines`): (pattern, Chinese).
_AFFIXES = [
    (re.compile(r"(^|; |: )proxy: "), r"\1替代:"),
    (re.compile(r"(^|; |: )derived factor: "), r"\1推算因子:"),
    (re.compile(r" \(per-unit value derived\)$"), "(按单位换算得出)"),
    (re.compile(r"^assumption turned off \(--no-assumptions\): "), "已关闭假定(--no-assumptions):"),
    (
        re.compile(r" \(no rebar ratio: the model has modelled reinforcement\)$"),
        "(不按含钢量假定:模型中已有钢筋构件)",
    ),
]

#: Texts bimcarbon writes in place of a data text, and the completeness clause it cites.
_OWN = {
    "not a published value": "非公开发布的数值",
    "the factor stands in for this material": "该因子替代此材料",
    "energy file (district_heat_kgco2_per_gj)": "能耗文件 (district_heat_kgco2_per_gj)",
    COMPLETENESS_CLAUSE: "GB/T 51366-2019 第6.1.2条(按通常引用;未核实)",
}

#: A shipped text shorter than this is a name or a word (``plasterboard``), translated where it is
#: shown as a name, never inside other text.
MIN_LENGTH = 20

#: Folders under the shipped data that are a person's own (git-ignored licensed copies).
_NOT_SHIPPED = ("local",)


def _collect(node: object, pairs: dict[str, str]) -> None:
    """Add every ``X`` / ``X_zh`` pair of text in a YAML document to ``pairs``."""
    if isinstance(node, dict):
        for key, value in node.items():
            if isinstance(key, str) and key.endswith("_zh") and isinstance(value, str) and value.strip():
                english = node.get(key[:-3])
                if isinstance(english, str) and english.strip():
                    _add(pairs, english, value)
            else:
                _collect(value, pairs)
    elif isinstance(node, list):
        for item in node:
            _collect(item, pairs)


def _add(pairs: dict[str, str], english: str, chinese: str) -> None:
    english, chinese = english.strip(), chinese.strip()
    if len(english) >= MIN_LENGTH:
        pairs.setdefault(english, chinese)
        pairs.setdefault(english.rstrip("."), chinese.rstrip("。"))  # a description ends a note without it


@lru_cache(maxsize=1)
def shipped_pairs() -> dict[str, str]:
    """English -> Chinese of every text in the data files shipped with bimcarbon."""
    pairs: dict[str, str] = {}
    for folder in BUNDLED_DATA:
        for path in sorted(folder.glob("**/*.yaml")):
            if any(part in _NOT_SHIPPED for part in path.relative_to(folder).parts[:-1]):
                continue
            try:
                _collect(read_yaml_mapping(path), pairs)
            except BimcarbonError:  # not a data file (a note, a list): nothing to translate
                continue
    return pairs


def model_pairs(objects: Iterable[object]) -> dict[str, str]:
    """English -> Chinese of the texts of loaded data records (a person's own files included), from
    their ``<field>_zh`` texts (:class:`~bimcarbon.datafile.DataModel`)."""
    pairs: dict[str, str] = {}
    seen: set[int] = set()

    def walk(node: object) -> None:
        if id(node) in seen:
            return
        seen.add(id(node))
        if isinstance(node, DataModel):
            for field, chinese in node.zh.items():
                english = getattr(node, field, None)
                if isinstance(english, str):
                    _add(pairs, english, chinese)
        if isinstance(node, BaseModel):
            for name in type(node).model_fields:
                walk(getattr(node, name, None))
        elif isinstance(node, list | tuple):
            for item in node:
                walk(item)
        elif isinstance(node, dict):
            for item in node.values():
                walk(item)

    for item in objects:
        walk(item)
    return pairs


#: Where a whole text may start and end inside a cell: the cell's ends, "; ", ": ", brackets, ", ".
_BEFORE = r"(?:(?<=^)|(?<=; )|(?<=;)|(?<=: )|(?<=\()|(?<=, ))"
_AFTER = r"(?=$|;|\)|, |: |\.$| \()"


class DataText:
    """Data-file text in the workbook's language.

    Parameters
    ----------
    lang
        ``en`` (text stays as written) or ``zh``.
    extra
        More English -> Chinese pairs: the texts of the run's own data files (:func:`model_pairs`), the
        reasons of the rules. They come before the shipped ones.
    """

    def __init__(self, lang: str, extra: Mapping[str, str] | None = None) -> None:
        self.lang = lang
        self.pairs: dict[str, str] = {}
        self._pattern: re.Pattern[str] | None = None
        self._done: dict[str, str] = {}
        if lang == "zh":
            self.pairs = {**_OWN, **shipped_pairs(), **(extra or {})}
            longest_first = sorted(self.pairs, key=len, reverse=True)
            self._pattern = re.compile(_BEFORE + "(" + "|".join(map(re.escape, longest_first)) + ")" + _AFTER)

    def __call__(self, text: object) -> object:
        """``text`` with every data-file text in it in the workbook's language; other values unchanged."""
        if self._pattern is None or not isinstance(text, str) or not text:
            return text
        if text not in self._done:
            done = self._pattern.sub(lambda m: self.pairs[m.group(1)], text)
            for pattern, chinese in _AFFIXES:
                done = pattern.sub(chinese, done)
            self._done[text] = done
        return self._done[text]
