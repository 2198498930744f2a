"""Run one function over many items, in the items' order: here (one worker), in local processes, or on
a Dask distributed cluster. The only module that knows how buildings are spread over workers.

The function must be importable by name (a module-level function of an installed package), and its
items and results picklable: a process pool and a Dask worker import it, they do not receive its code.
Results come back in the order of the items whatever order the workers finish in, so the same inputs
give the same output on any executor.

On a Dask cluster (``scheduler="tcp://host:8786"``) the workers run the calls, so they must have what
the calls need (docs/park.md, "Running on a Dask cluster"): the same bimcarbon version (checked before
any call), the input files at the same paths (a shared file system; checked when the caller names the
files), and, when the function starts child processes (bimcarbon reads each model in a forked child, so
that a parser crash fails one building, not the worker), workers that are not daemonic processes
(checked when the caller says so). Input files are not shipped to the workers: a park's models are read
where they lie. Dask itself is an optional extra (``pip install 'bimcarbon[dask]'``).
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from typing import TypeVar

from bimcarbon import __version__
from bimcarbon.errors import BimcarbonError

Item = TypeVar("Item")
Result = TypeVar("Result")

#: Seconds to wait for the scheduler to answer, and then for at least one worker to be there.
CONNECT_TIMEOUT_S = 5.0
#: How a person gets Dask's distributed scheduler client.
DASK_INSTALL = "pip install 'bimcarbon[dask]'"
#: Workers named in an error before "and N more".
_NAMED_AT_MOST = 3


class ExecutorError(BimcarbonError):
    """The calls cannot be run where they were sent (Dask missing, scheduler unreachable, workers unfit)."""


def map_in_order(
    function: Callable[[Item], Result],
    items: Sequence[Item],
    *,
    workers: int = 1,
    scheduler: str | None = None,
    done: Callable[[int, Result], object] | None = None,
    files: Sequence[str | os.PathLike[str]] = (),
    starts_processes: bool = False,
    connect_timeout_s: float = CONNECT_TIMEOUT_S,
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
    files
        Files the calls read (absolute paths). On a Dask cluster every worker is asked first whether it
        can read them, so that a cluster without the shared file system fails in one line, before any
        call. Ignored by the local executors (this machine's files).
    starts_processes
        The function starts child processes. On a Dask cluster, daemonic workers (Dask's default),
        which Python does not let start children, are refused before any call.
    connect_timeout_s
        Seconds to wait for the scheduler, then for at least one of its workers.

    Returns
    -------
    list
        One result per item, in order.

    Raises
    ------
    ExecutorError
        ``scheduler`` given and Dask not installed, the scheduler not reached in time, no worker, or a
        worker unfit (another bimcarbon version, a file it cannot read, daemonic with ``starts_processes``).
    Exception
        Whatever a call raised, re-raised unchanged here with a note naming the item (the first call
        to fail; the calls not yet started are cancelled).
    """
    if workers < 1:
        raise ValueError(f"workers must be 1 or more (got {workers})")
    if scheduler:
        return _on_dask(function, items, scheduler, done, files, starts_processes, connect_timeout_s)
    if workers == 1 or len(items) <= 1:
        results = []
        for index, item in enumerate(items):
            try:
                results.append(function(item))
            except Exception as error:
                _name_item(error, function, index, items)
                raise
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
            try:
                results[index] = future.result()
            except Exception as error:
                pool.shutdown(wait=True, cancel_futures=True)
                _name_item(error, function, index, items)
                raise
            if done is not None:
                done(index, results[index])
    return results


def _on_dask(
    function: Callable[[Item], Result],
    items: Sequence[Item],
    scheduler: str,
    done: Callable[[int, Result], object] | None,
    files: Sequence[str | os.PathLike[str]],
    starts_processes: bool,
    timeout_s: float,
) -> list[Result]:
    """The calls on the workers of the Dask scheduler at ``scheduler``, once the workers are checked."""
    try:
        from distributed import Client
        from distributed import as_completed as dask_completed
    except ImportError:
        raise ExecutorError(
            f"running on the Dask scheduler {scheduler} needs Dask's distributed package: {DASK_INSTALL}"
        ) from None

    class _Client(Client):
        """A client that closes itself when it cannot connect: a half-built client left to the garbage
        collector prints a traceback of its own ``close`` timing out some ten seconds later."""

        def start(self, **kwargs):
            try:
                super().start(**kwargs)
            except BaseException:
                with contextlib.suppress(Exception):
                    self.close(timeout=1)
                with contextlib.suppress(Exception):
                    self._loop_runner.stop()
                self.status = "closed"  # nothing left for __del__ to do
                raise

    try:
        client = _Client(scheduler, timeout=timeout_s, set_as_default=False)
    except (OSError, TimeoutError, ValueError, TypeError) as error:  # refused, timed out, not an address
        raise ExecutorError(f"cannot reach the Dask scheduler at {scheduler}: {_first_line(error)}") from None
    with client:
        _check_workers(client, scheduler, timeout_s, [os.fspath(f) for f in files], starts_processes)
        if not items:
            return []
        futures = client.map(function, list(items), pure=False)  # pure=False: one task per item, even equal
        position = {future.key: index for index, future in enumerate(futures)}
        # results fetched by the client's event loop as the tasks end (one round trip a task less than
        # future.result()); this loop holds no future once handled, so the cluster drops its result
        completed = dask_completed(futures, loop=client.loop, with_results=True, raise_errors=False)
        del futures
        results: list = [None] * len(items)
        for batch in completed.batches():
            for future, result in batch:
                index = position[future.key]
                if future.status == "error":  # result: (type, exception, traceback) from the worker
                    error = result[1].with_traceback(result[2])
                    _name_item(error, function, index, items)
                    raise error  # leaving `with client` closes it: the other tasks are cancelled
                if future.status == "cancelled":  # result: the CancelledError (scheduler or worker lost)
                    _name_item(result, function, index, items)
                    raise result
                results[index] = result
                if done is not None:
                    done(index, result)
        return results


def _check_workers(
    client, scheduler: str, timeout_s: float, files: list[str], starts_processes: bool
) -> None:
    """Refuse, in one line, a cluster whose workers cannot run the calls: none there, another bimcarbon
    version, a file they cannot read, daemonic when the calls start processes."""
    try:
        client.wait_for_workers(1, timeout=timeout_s)
    except TimeoutError:
        raise ExecutorError(
            f"the Dask scheduler at {scheduler} has no worker (waited {timeout_s:g} s): start some with "
            f"`dask worker {scheduler}`"
        ) from None
    versions = client.get_versions(packages=["bimcarbon"])["workers"]
    found = {address: (info or {}).get("packages", {}).get("bimcarbon") for address, info in versions.items()}
    other = [
        f"{address} has " + (f"bimcarbon {version}" if version else "no bimcarbon")
        for address, version in sorted(found.items())
        if version != __version__
    ]
    if other:
        raise ExecutorError(
            f"Dask worker {_at_most(other)}, this machine {__version__}: the workers need the same "
            "bimcarbon version"
        )
    reports = client.run(worker_report, files)
    daemonic = sorted(address for address, report in reports.items() if report["daemon"])
    if starts_processes and daemonic:
        raise ExecutorError(
            f"Dask worker {_at_most(daemonic)} is a daemonic process, which cannot "
            "start the child process each model is read in: start the workers with "
            "DASK_DISTRIBUTED__WORKER__DAEMON=False (docs/park.md)"
        )
    for address, report in sorted(reports.items()):
        if report["unreadable"]:
            missing = report["unreadable"]
            more = f" and {len(missing) - 1} more" if len(missing) > 1 else ""
            raise ExecutorError(
                f"Dask worker {address} cannot read {missing[0]}{more}: the workers must see the input "
                "files at the same paths as this machine (a shared file system)"
            )


def worker_report(paths: Sequence[str]) -> dict[str, object]:
    """What :func:`map_in_order` checks on each Dask worker before sending it calls (run there by name).

    Parameters
    ----------
    paths
        Files the calls will read.

    Returns
    -------
    dict
        ``daemon``: whether the worker is a daemonic process (it cannot start children);
        ``unreadable``: the paths it cannot open for reading, in the order given.
    """
    unreadable = [p for p in paths if not (os.path.isfile(p) and os.access(p, os.R_OK))]
    return {"daemon": bool(multiprocessing.current_process().daemon), "unreadable": unreadable}


def _name_item(error: Exception, function: Callable, index: int, items: Sequence) -> None:
    """Add a note naming the item whose call raised ``error`` (its ``name``, else its repr, shortened)."""
    item = items[index]
    name = getattr(item, "name", None)
    label = repr(name) if isinstance(name, str) else _short(repr(item))
    called = getattr(function, "__name__", None) or _short(repr(function), 60)
    note = f"in {called}() for item {index + 1} of {len(items)}: {label}"
    if hasattr(error, "add_note"):  # Python 3.11+
        error.add_note(note)


def _short(text: str, at_most: int = 120) -> str:
    return text if len(text) <= at_most else text[: at_most - 3] + "..."


def _first_line(error: Exception) -> str:
    lines = str(error).strip().splitlines()
    return lines[0] if lines else type(error).__name__


def _at_most(names: list[str]) -> str:
    """The first few of ``names``, comma-joined, with how many more there are."""
    if len(names) <= _NAMED_AT_MOST:
        return ", ".join(names)
    return ", ".join(names[:_NAMED_AT_MOST]) + f" and {len(names) - _NAMED_AT_MOST} more"
