"""Which rule applies to a material part: conditions tested once per distinct kind of part.

A rule's condition (:class:`bimcarbon.rules.Condition`) looks only at a part's material name,
material category, IFC class, predefined type, classification and layer position (and, for the
assumptions on placeholder materials, the element's type name). A model of
100,000 elements has a few hundred distinct combinations of these, so rules are tested on those
(:func:`part_keys`) and the answer is spread back to every row, instead of testing every rule on every
row.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from bimcarbon.rules import Condition


@dataclass(frozen=True)
class PartKey:
    """What rule conditions can see of a material part, normalised for comparison.

    Attributes
    ----------
    material
        Material name, stripped and lower-cased ("" when none).
    category
        Material category, lower-cased.
    ifc_class
        The element's IFC class as written.
    predefined
        Predefined type, upper-cased.
    classification
        Classification references, lower-cased (``system:code`` joined with ``;``).
    part_kind
        ``layer``, ``constituent``, ``profile``, ``list``, ``single`` or "".
    first, last
        The part is the first (last) layer of its element; a single layer is both.
    names
        The element's type name, else its own name, lower-cased, each run of digits as ``#``; "" unless
        a condition asks for it (``name_words``), since element names are nearly unique and would
        multiply the keys.
    """

    material: str
    category: str
    ifc_class: str
    predefined: str
    classification: str
    part_kind: str
    first: bool
    last: bool
    names: str = ""


def _text(table: pd.DataFrame, column: str) -> pd.Series:
    if column not in table:
        return pd.Series("", index=table.index, dtype=object)
    return table[column].fillna("").astype(str)


def part_keys(table: pd.DataFrame, with_names: bool = False) -> tuple[np.ndarray, list[PartKey]]:
    """The distinct kinds of part in a take-off table, and which one each row is.

    Parameters
    ----------
    table
        The take-off table (:data:`bimcarbon.takeoff.COLUMNS`).
    with_names
        Also tell parts apart by their element's type name (else element name), for ``name_words``.

    Returns
    -------
    codes, keys
        ``keys[codes[i]]`` describes row ``i`` (by position).
    """
    columns = {
        "material": _text(table, "material").str.strip().str.lower(),
        "category": _text(table, "material_category").str.lower(),
        "ifc_class": _text(table, "ifc_class"),
        "predefined": _text(table, "predefined_type").str.upper(),
        "classification": _text(table, "classification").str.lower(),
        "part_kind": _text(table, "part_kind"),
    }
    is_layer = columns["part_kind"] == "layer"
    last_index = table.groupby("step_id")["part_index"].transform("max")
    columns["first"] = is_layer & (table["part_index"] == 0)
    columns["last"] = is_layer & (table["part_index"] == last_index)
    if with_names:
        type_name = _text(table, "type_name")
        names = type_name.where(type_name != "", _text(table, "element_name")).str.lower()
        columns["names"] = names.str.replace(r"\d+", "#", regex=True)  # "wall:339211" and "wall:339212" alike
    frame = pd.DataFrame(columns)
    if frame.empty:
        return np.zeros(0, dtype=np.int64), []
    codes, _ = pd.factorize(pd.MultiIndex.from_frame(frame))
    _, first_rows = np.unique(codes, return_index=True)
    keys = [PartKey(*row) for row in frame.iloc[first_rows].itertuples(index=False, name=None)]
    return codes.astype(np.int64), keys


def any_of(words: list[str]) -> re.Pattern[str]:
    """One pattern finding any of ``words``, case folded as regular expressions do (Greek final sigma,
    long s, micro sign: more than ``str.lower`` equates)."""
    return re.compile("|".join(re.escape(w.lower()) for w in words), re.IGNORECASE)


def compile_condition(when: Condition) -> Callable[[PartKey], bool]:
    """A test of ``when`` on one :class:`PartKey`: every listed field must hold (values in a field are ORed).

    Text is compared without case; ``ifc_class`` also accepts the ``StandardCase`` and
    ``ElementedCase`` subtypes; ``classification`` matches a code prefix with or without its system
    (``B20`` and ``Uniformat:B20`` match ``Uniformat:B2010``).
    """
    tests: list[Callable[[PartKey], bool]] = []
    if when.material_exact:
        exact = {m.strip().lower() for m in when.material_exact}
        tests.append(lambda k: k.material in exact)
    if when.material_words:
        words = any_of(when.material_words)
        tests.append(lambda k: words.search(k.material) is not None)
    if when.material_regex:
        regex = re.compile(when.material_regex, re.IGNORECASE)
        tests.append(lambda k: regex.search(k.material) is not None)
    if when.not_words:
        not_words = any_of(when.not_words)
        tests.append(lambda k: not_words.search(k.material) is None)
    if when.not_regex:
        not_regex = re.compile(when.not_regex, re.IGNORECASE)
        tests.append(lambda k: not_regex.search(k.material) is None)
    if when.category:
        categories = {x.lower() for x in when.category}
        tests.append(lambda k: k.category in categories)
    if when.ifc_class:
        suffixes = ("", "StandardCase", "ElementedCase")
        classes = {f"{name}{suffix}" for name in when.ifc_class for suffix in suffixes}
        tests.append(lambda k: k.ifc_class in classes)
    if when.predefined_type:
        predefined = {p.upper() for p in when.predefined_type}
        tests.append(lambda k: k.predefined in predefined)
    if when.classification:
        codes = "|".join(re.escape(code.lower()) for code in when.classification)
        classification = re.compile(f"(?:^|[;:])(?:{codes})")
        tests.append(lambda k: classification.search(k.classification) is not None)
    if when.part_kind:
        kinds = set(when.part_kind)
        tests.append(lambda k: k.part_kind in kinds)
    if when.layer_position == "first":
        tests.append(lambda k: k.first)
    elif when.layer_position == "last":
        tests.append(lambda k: k.last)
    elif when.layer_position == "inner":
        tests.append(lambda k: k.part_kind == "layer" and not k.first and not k.last)
    if when.name_words:
        name_words = any_of(when.name_words)
        tests.append(lambda k: name_words.search(k.names) is not None)
    return lambda key: all(test(key) for test in tests)


def first_rule(table: pd.DataFrame, conditions: list[Condition]) -> np.ndarray:
    """For every row of ``table`` (by position), the index of the first condition that holds, or -1.

    Parameters
    ----------
    table
        The take-off table.
    conditions
        Rule conditions in priority order.

    Returns
    -------
    numpy.ndarray
        Integer array of ``len(table)``.
    """
    codes, keys = part_keys(table, with_names=any(when.name_words for when in conditions))
    tests = [compile_condition(when) for when in conditions]
    per_key = np.array(
        [next((i for i, test in enumerate(tests) if test(key)), -1) for key in keys] or [-1],
        dtype=np.int64,
    )
    return per_key[codes] if len(codes) else np.zeros(0, dtype=np.int64)
