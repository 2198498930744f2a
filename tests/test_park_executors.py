"""The executors give the same results, in the items' order, whichever runs the calls."""

from __future__ import annotations

import math

import pytest

from bimcarbon.park.executors import map_in_order


@pytest.mark.parametrize("workers", [1, 3])
def test_results_come_back_in_the_order_of_the_items(workers):
    seen: list[tuple[int, int]] = []
    # 7! = 5040, 1! = 1, 5! = 120, 3! = 6
    results = map_in_order(
        math.factorial, [7, 1, 5, 3], workers=workers, done=lambda index, r: seen.append((index, r))
    )
    assert results == [5040, 1, 120, 6]
    assert sorted(seen) == [(0, 5040), (1, 1), (2, 120), (3, 6)]  # each call reported once, as it ended


def test_an_error_in_a_call_reaches_the_caller():
    with pytest.raises(ValueError):
        map_in_order(math.factorial, [3, -1], workers=2)  # factorial() not defined for negative values


def test_no_workers_is_refused():
    with pytest.raises(ValueError, match="workers must be 1 or more"):
        map_in_order(math.factorial, [3], workers=0)
