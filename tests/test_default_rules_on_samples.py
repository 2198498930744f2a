"""How well the default rules do on every material name in the public sample models.

tests/data/sample_material_truth.csv says, for each of the 78 names, which factor(s) a person would
pick (a regular expression over the '+'-joined factor ids; empty = no factor should be applied). The
measurement is also run by ``python tests/test_default_rules_on_samples.py`` to print the figures.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from conftest import all_samples

from bimcarbon.factors import load_library
from bimcarbon.ifc import read_model
from bimcarbon.matching import match
from bimcarbon.rules import default_rules
from bimcarbon.takeoff import take_off

TRUTH = pd.read_csv(Path(__file__).parent / "data" / "sample_material_truth.csv", keep_default_na=False)


def measure() -> dict[str, float]:
    """Share of distinct names, and of take-off volume, that the default rules map as a person would."""
    library, rules = load_library(), [default_rules()]
    expected = dict(zip(TRUTH["material"], TRUTH["expected"], strict=True))
    frames = []
    for path in all_samples():
        try:
            model = read_model(path)
        except Exception:  # the deliberately broken sample
            continue
        table = take_off(model).table
        matched = match(table, rules, library)
        got = matched.components.groupby("row")["factor_id"].apply(lambda s: "+".join(sorted(set(s))))
        frame = matched.parts[["material", "volume_m3"]].assign(
            got=got.reindex(matched.parts.index).fillna(""), file=path.name
        )
        frames.append(frame[frame["material"].notna()])
    rows = pd.concat(frames, ignore_index=True)
    missing = sorted(set(rows["material"]) - set(expected))
    assert not missing, f"names without a truth entry: {missing}"
    rows["correct"] = [
        re.fullmatch(expected[m], g) is not None if expected[m] else g == ""
        for m, g in zip(rows["material"], rows["got"], strict=True)
    ]
    names = rows.groupby("material")["correct"].all()
    volume = rows["volume_m3"].fillna(0.0)
    without_sh4 = rows["file"] != "SampleHouse4.ifc"
    has_factor = rows["got"] != ""
    return {
        "names": len(names),
        "names_given_a_factor_share": float(rows.groupby("material")["got"].first().ne("").mean()),
        "volume_given_a_factor_share": float(volume[has_factor].sum() / volume.sum()),
        "names_correct_share": float(names.mean()),
        "volume_correct_share": float(volume[rows["correct"]].sum() / volume.sum()),
        "volume_correct_share_without_samplehouse4": float(
            volume[rows["correct"] & without_sh4].sum() / volume[without_sh4].sum()
        ),
        "wrong": sorted(names[~names].index),
    }


def test_the_default_rules_map_the_sample_names_as_a_person_would():
    if not all_samples():
        pytest.skip("public samples not found (set BIMCARBON_IFC_SAMPLES)")
    result = measure()
    assert result["names"] == len(TRUTH)
    assert result["names_correct_share"] >= 0.95, result["wrong"]
    assert result["volume_correct_share"] >= 0.95, result


if __name__ == "__main__":
    import sys

    sys.path.insert(0, str(Path(__file__).parent))
    for key, value in measure().items():
        print(f"{key}: {value}")
