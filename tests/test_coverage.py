"""Per take-off row, what its factors say: reasons, notes and factor ids of rows with one factor and of
rows with several (a rule that maps a material to cement and sand), joined in a stable order."""

from __future__ import annotations

import pandas as pd

from bimcarbon.coverage import _factor_ids, row_status


def _tables() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Three take-off rows: 0 with two factors and two reasons, 1 with one factor and no reason, 2
    with three factors repeating a reason and a note."""
    parts = pd.DataFrame(
        {"match_status": ["matched"] * 3, "mass_kg": [None, 10.0, None], "volume_m3": [1.0, 1.0, 1.0]}
    )
    carbon = pd.DataFrame(
        {
            "row": [0, 0, 1, 2, 2, 2],
            "factor_id": ["sand", "cement", "steel", "brick", "mortar", "brick"],
            "convertible": [True, True, True, False, True, True],
            "kgco2e": [1.0, 2.0, 3.0, None, 4.0, 5.0],
            "biogenic_kgco2": [None] * 6,
            "mass_kg": [100.0, 20.0, 10.0, None, 30.0, 40.0],
            "kg_per_m3": [None] * 6,
            "reason": ["wet", "dry", None, "no density", "no density", "cut"],
            "use_note": [None, None, "recycled", None, None, "fired"],
            "use_status": [None, None, "unconfirmed", None, None, None],
        }
    )
    return parts, carbon


def test_a_rows_reasons_are_sorted_and_joined_once_each_and_a_single_one_kept_as_it_is():
    status = row_status(*_tables())
    assert status["reasons"].tolist() == ["dry; wet", "", "cut; no density"]
    assert status["notes"].tolist() == ["", "steel: recycled (unconfirmed)", "brick: fired"]
    assert status["kgco2e"].tolist() == [3.0, 3.0, 9.0]
    assert status["unconvertible"].tolist() == [0, 0, 1]
    assert status["mass_kg"].tolist() == [120.0, 10.0, 70.0]  # the take-off's own mass first


def test_a_rows_factor_ids_are_joined_in_the_rules_order_without_repeats():
    _, carbon = _tables()
    assert _factor_ids(carbon).sort_index().tolist() == ["sand+cement", "steel", "brick+mortar"]
