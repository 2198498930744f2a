"""The bundled sample models: the take-off matches the quantities worked out by hand in
sample_models/expected_quantities.csv (see sample_models/README.md for the arithmetic).
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from bimcarbon.ifc import read_model
from bimcarbon.summary import source_kind
from bimcarbon.takeoff import take_off

SAMPLES = Path(__file__).resolve().parent.parent / "sample_models"
EXPECTED = pd.read_csv(SAMPLES / "expected_quantities.csv", keep_default_na=False)

#: expected_source_kind in the CSV -> source kinds of bimcarbon.summary.source_kind
KINDS = {
    "qto": {"standard Qto set", "exporter set"},
    "geometry": {"geometry"},
    "profile": {"profile area x length"},
    "none": {"none"},
}


def _number(text: str) -> float | None:
    return float(text) if text != "" else None


def _same(actual, expected: float | None) -> bool:
    if expected is None:
        return actual is None or (isinstance(actual, float) and math.isnan(actual))
    return actual is not None and math.isclose(float(actual), expected, rel_tol=1e-9, abs_tol=1e-12)


@pytest.mark.parametrize("file_name", sorted(EXPECTED["file"].unique()))
def test_sample_model_takeoff_matches_the_hand_calculation(file_name):
    result = take_off(read_model(SAMPLES / file_name))
    table = result.table
    expected = EXPECTED[EXPECTED["file"] == file_name]
    assert len(table) == len(expected)
    for _, want in expected.iterrows():
        got = table[
            (table["element_name"] == want["element_name"]) & (table["part_index"] == want["part_index"])
        ]
        assert len(got) == 1, want["element_name"]
        got = got.iloc[0]
        where = f"{want['element_name']} part {want['part_index']}"
        assert got["ifc_class"] == want["ifc_class"], where
        assert got["storey"] == want["storey"], where
        assert ("" if pd.isna(got["material"]) else got["material"]) == want["material"], where
        assert got["part_kind"] == want["part_kind"], where
        assert _same(got["volume_m3"], _number(want["volume_m3"])), (where, got["volume_m3"])
        assert _same(got["area_m2"], _number(want["area_m2"])), (where, got["area_m2"])
        assert _same(got["length_m"], _number(want["length_m"])), (where, got["length_m"])
        assert source_kind(got["quantity_source"]) in KINDS[want["expected_source_kind"]], (
            where,
            got["quantity_source"],
        )


def test_the_window_opening_is_excluded_and_everything_else_is_taken_off():
    result = take_off(read_model(SAMPLES / "office_m.ifc"))
    assert list(result.excluded["ifc_class"]) == ["IfcOpeningElement"]
    assert result.table["global_id"].nunique() + 1 == result.element_count == 24


def test_the_sample_models_are_what_the_committed_script_builds(tmp_path):
    import importlib.util
    import sys

    spec = importlib.util.spec_from_file_location("build_samples", SAMPLES / "build_samples.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["build_samples"] = module
    spec.loader.exec_module(module)
    for variant in module.VARIANTS:
        module.build_office(variant, tmp_path)
    module.write_expected_csv(tmp_path)
    for name in (
        "office_m.ifc",
        "office_mm.ifc",
        "office_ft.ifc",
        "office_ifc2x3.ifc",
        "expected_quantities.csv",
    ):
        assert (tmp_path / name).read_bytes() == (SAMPLES / name).read_bytes(), name
