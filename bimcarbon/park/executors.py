"""Run one function over many items, in the items' order: here (one worker), in local processes, or on
a Dask distributed cluster. The only module that knows how buildings are spread over workers.

The function must be importable by name (a module-level function of an installed package), and its
items and results picklable: a process pool and a Dask worker import it, they do not receive its code.
Results come back in the order of the items whatever order the workers finish in, so the same inputs
give the same output on any executor.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from typing import TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")


def map_in_order(
    function: Callable[[Item], Result],
    items: Sequence[Item],
    *,
    workers: int = 1,
    scheduler: str | None = None,
    done: Callable[[int, Result], object] | None = None,
) -> list[Result]:
    """``function`` applied to every item, results in the order of ``items``.

    Parameters
    ----------
    function
        A module-level function (imported by name in the workers).
    items
        Its arguments, one call each.
    workers
        Local processes (1: in this process, no pool). Ignored with ``scheduler``.
    scheduler
        Address of a Dask distributed scheduler (``tcp://host:8786``): the calls run on its workers.
    done
        Called in this process as each call ends, with the item's index and its result (progress).

    Returns
    -------
    list
        One result per item, in order.
    """
    if workers < 1:
        raise ValueError(f"workers must be 1 or more (got {workers})")
    if scheduler:
        raise NotImplementedError("Dask scheduler support is not built yet")
    if workers == 1 or len(items) <= 1:
        results = []
        for index, item in enumerate(items):
            results.append(function(item))
            if done is not None:
                done(index, results[-1])
        return results
    return _in_processes(function, items, workers, done)


def _in_processes(
    function: Callable[[Item], Result],
    items: Sequence[Item],
    workers: int,
    done: Callable[[int, Result], object] | None,
) -> list[Result]:
    """The calls in a pool of ``workers`` spawned processes (spawn: no state inherited from a server
    or a test runner with threads)."""
    context = multiprocessing.get_context("spawn")
    results: list = [None] * len(items)
    with ProcessPoolExecutor(max_workers=min(workers, len(items)), mp_context=context) as pool:
        futures = {pool.submit(function, item): index for index, item in enumerate(items)}
        for future in as_completed(futures):
            index = futures[future]
            results[index] = future.result()
            if done is not None:
                done(index, results[index])
    return results
