"""Assessments run outside the web request, in a separate process with a time limit, so a model that
crashes or hangs the IFC parser fails that one run with a clear message while the server keeps serving.

At most ``max_running`` runs are in progress at once; the others wait in a queue, first in first, and
start when a slot frees (:class:`Scheduler`). The worker records the stage it is at (reading the model,
taking it off with its element count, matching materials, assessing, writing the workbook), which the
run's page shows with the time each took (:func:`status_view`).

A worker lives no longer than its server. It leads a process group of its own (so stopping it stops
whatever it started); on Linux it asks the kernel for SIGKILL when the server dies (``PR_SET_PDEATHSIG``),
and on every system a thread in it ends it within :data:`WATCH_S` once its parent is gone. A server that
stops (SIGTERM, SIGINT) stops its workers first (:meth:`Scheduler.shutdown`). The worker writes its
files and its outcome (:data:`OUTCOME_FILE`); the server that started it (the run's ``owner``, a token
held by a locked file under ``owners/`` while the server lives) records done or failed: a worker left
behind by a server that is gone can never overwrite what the next server recorded.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import multiprocessing
import os
import queue
import re
import secrets
import shutil
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from datetime import datetime
from pathlib import Path

from bimcarbon.web.store import Store
from bimcarbon.web.uploads import TYPED_ENERGY, WEB_CHOICES, input_names, named

try:  # POSIX: whether a server still lives is told by its lock on a file
    import fcntl
except ImportError:  # pragma: no cover - Windows: every other server is taken for stopped
    fcntl = None

#: Seconds a run may take before it is stopped and marked failed.
DEFAULT_TIME_LIMIT_S = 900
#: The worker's stages, in order (the run page names them); ``starting`` is the time from the run's start
#: to the worker's first stage (a new process importing bimcarbon).
STAGES = ("starting", "reading", "precheck", "takeoff", "matching", "assessing", "writing")
#: The stage as a line in the run's ``message`` (what the JSON API shows).
STAGE_MESSAGES = {
    "starting": "starting",
    "reading": "reading the model",
    "precheck": "LCA-ready pre-check",
    "takeoff": "taking off quantities",
    "matching": "matching materials",
    "assessing": "assessing",
    "writing": "writing the workbook",
}
#: The run's LCA-ready pre-check (format ``bimcarbon.precheck``, every failing element), written by the
#: worker as soon as it is known, before the take-off: the run page shows it while the run goes on.
PRECHECK_FILE = "precheck.json"
#: A finished run's A1-A3 by element class (for comparisons; the assessment JSON has it by material only).
BREAKDOWN_FILE = "breakdown.json"
#: The model with each element's results in property sets, coloured by class (docs/exchange.md).
RESULTS_IFC = "model_with_results.ifc"
#: Longest the model with results may take to write (s); a model that takes more is not offered.
RESULTS_IFC_LIMIT_S = 600.0
#: The run as an LCAx project (``assess --lcax``), written when the lcax extra is installed.
LCAX_FILE = "assessment.lcax.json"
#: What the worker ends with (``{"status": "done" | "failed", "message": ..., "summary": ...}``), read and
#: recorded by the server that owns the run once the worker has exited.
OUTCOME_FILE = "outcome.json"
#: A run's message when its server stopped while it ran (at the stop, or at the next start after a crash).
INTERRUPTED = "interrupted: the server stopped while this run was in progress; run it again"
#: Seconds between a worker's looks at whether its server still lives (where PR_SET_PDEATHSIG is not had).
WATCH_S = 0.5
#: Seconds a stopped worker has to end before it is killed.
GRACE_S = 5.0
#: How often the scheduler looks for a free slot when nothing asks it to (seconds): a slot held by a
#: server on the same data folder that died is freed then.
LOOK_AGAIN_S = 30.0
#: How often a watcher looks whether its server is stopping (seconds).
WATCH_EVERY_S = 0.2
#: Seconds a worker waits before it starts, for tests that need a run in progress for a while (a server
#: stopped under it). Honoured only while pytest runs a test (``PYTEST_CURRENT_TEST`` set too).
TEST_DELAY_ENV = "BIMCARBON_TEST_WORKER_DELAY_S"
#: How much lower a worker's CPU priority is than its server's (``nice``): the pages answer first.
WORKER_NICE = 10
_PR_SET_PDEATHSIG = 1

_owners: dict[str, tuple[str, int]] = {}
_owners_lock = threading.Lock()


def owner_token(root: Path) -> str:
    """This process's token as the server that owns runs in the data folder ``root``.

    Made once per process and folder: the file ``owners/<token>.lock`` is created and kept locked
    (``flock``) while the process lives, so :func:`owner_alive` can tell, from any process, whether the
    server that owns a run still lives.
    """
    key = str(Path(root).resolve())
    with _owners_lock:
        if key not in _owners:
            token = secrets.token_hex(8)
            folder = Path(root) / "owners"
            folder.mkdir(exist_ok=True)
            fd = os.open(folder / f"{token}.lock", os.O_RDWR | os.O_CREAT, 0o600)  # not inherited
            if fcntl is not None:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            _owners[key] = (token, fd)
        return _owners[key][0]


def release_owner(root: Path) -> None:
    """This process stops owning runs in ``root``: its lock file is removed and unlocked (a clean stop;
    a server that dies leaves the file, removed by the next :func:`owner_alive` that finds it free)."""
    key = str(Path(root).resolve())
    with _owners_lock:
        owned = _owners.pop(key, None)
    if owned is not None:
        token, fd = owned
        (Path(root) / "owners" / f"{token}.lock").unlink(missing_ok=True)
        os.close(fd)


def owner_alive(root: Path, token: str | None) -> bool:
    """Whether the server ``token`` (a run's ``owner``) still lives: this process, or another that holds
    its lock file. Without ``flock`` (Windows) only this process counts as alive."""
    if token is None:
        return False
    key = str(Path(root).resolve())
    with _owners_lock:
        if key in _owners and _owners[key][0] == token:
            return True
    if fcntl is None or not re.fullmatch(r"[0-9a-f]{16}", token):
        return False
    path = Path(root) / "owners" / f"{token}.lock"
    try:
        fd = os.open(path, os.O_RDWR)
    except FileNotFoundError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    path.unlink(missing_ok=True)  # its server is gone, and so is its lock
    return False


def interrupt_orphans(store: Store) -> list[str]:
    """At a server's start: the runs left running by a server that is gone are marked failed
    (:data:`INTERRUPTED`) and their workers' temporary files removed. Runs of a server that still lives
    on the same data folder are left alone."""
    ids = store.fail_interrupted(INTERRUPTED, lambda owner: owner_alive(store.root, owner))
    for run_id in ids:
        shutil.rmtree(store.run_dir(run_id) / "tmp", ignore_errors=True)
    return ids


def start(
    store: Store,
    run_id: str,
    time_limit_s: float = DEFAULT_TIME_LIMIT_S,
    target=None,
    on_end: Callable[[], object] | None = None,
    owner: str | None = None,
    stopping: threading.Event | None = None,
) -> threading.Thread:
    """Start a run in a worker process; a watcher thread records its end (from the worker's
    :data:`OUTCOME_FILE`), or marks it failed on a crash or a timeout.

    ``target`` replaces :func:`work` (a module-level function taking the data folder and run id);
    ``on_end`` is called by the watcher once the run has ended, whatever the outcome. ``owner``: the
    server that claimed the run (:meth:`Store.claim`); without one the run is marked running here for this
    process's :func:`owner_token`. ``stopping`` set: the server is stopping, a worker that ends without an
    outcome was stopped by it (:data:`INTERRUPTED`). Returns the watcher thread (``.process``: the worker).
    """
    if owner is None:
        owner = owner_token(store.root)
        store.start_running(run_id, "starting", owner)
    context = multiprocessing.get_context("spawn")
    process = context.Process(
        target=_worker, args=(target or work, str(store.root), run_id, os.getpid()), daemon=True
    )
    folder = store.run_dir(run_id)
    (folder / OUTCOME_FILE).unlink(missing_ok=True)
    process.start()

    def watch() -> None:  # the only thread that waits for, stops and reaps this worker
        try:
            deadline = time.monotonic() + time_limit_s
            ended = "done"
            while process.exitcode is None:
                process.join(min(WATCH_EVERY_S, max(0.0, deadline - time.monotonic())))
                if process.exitcode is not None:
                    break
                if stopping is not None and stopping.is_set():
                    ended = "stopped"
                elif time.monotonic() >= deadline:
                    ended = "timed out"
                else:
                    continue
                stop_worker(process)  # SIGTERM to its process group, SIGKILL after GRACE_S
                break
            outcome = _read_outcome(folder)
            if ended == "timed out":
                store.finish(run_id, owner, "failed", f"stopped after the time limit of {time_limit_s:g} s")
            elif outcome is not None and process.exitcode == 0:  # a run that ended as the server stopped
                store.finish(run_id, owner, outcome["status"], outcome["message"], outcome["summary"])
            elif ended == "stopped" or (stopping is not None and stopping.is_set()):
                store.finish(run_id, owner, "failed", INTERRUPTED)
            else:
                store.finish(
                    run_id, owner, "failed", f"the worker stopped unexpectedly (exit code {process.exitcode})"
                )
        finally:
            shutil.rmtree(folder / "tmp", ignore_errors=True)
            if on_end is not None:
                on_end()

    thread = threading.Thread(target=watch, daemon=True, name=f"bimcarbon-watch-{run_id[:6]}")
    thread.process = process  # type: ignore[attr-defined]
    thread.start()
    return thread


def stop_worker(process, grace_s: float = GRACE_S) -> None:
    """Stop a worker and whatever it started (its process group): SIGTERM, then SIGKILL after
    ``grace_s`` seconds; on a system without process groups, the worker alone."""
    for sig, wait_s in ((signal.SIGTERM, grace_s), (getattr(signal, "SIGKILL", signal.SIGTERM), 5.0)):
        if not process.is_alive():
            break
        _signal_group(process, sig)
        process.join(wait_s)


def _signal_group(process, sig: int) -> None:
    if hasattr(os, "killpg") and process.pid is not None:
        try:
            os.killpg(process.pid, sig)  # a group whose id is the worker's pid is the worker's own
            return
        except (ProcessLookupError, PermissionError):  # not yet its own group leader
            pass
    with contextlib.suppress(OSError):
        process.kill() if sig == getattr(signal, "SIGKILL", None) else process.terminate()


def _worker(target, root: str, run_id: str, server_pid: int) -> None:
    """What a worker process runs: tied to its server first, then ``target(root, run_id)``."""
    _tie_to_server(server_pid)
    target(root, run_id)


def _tie_to_server(server_pid: int) -> None:
    """Make this worker end with its server: a process group of its own, the kernel's SIGKILL when the
    server dies (Linux), and a thread that ends it once its parent is no longer the server."""
    if hasattr(os, "setpgid"):
        with contextlib.suppress(OSError):
            os.setpgid(0, 0)
    if hasattr(os, "nice"):
        with contextlib.suppress(OSError):
            os.nice(WORKER_NICE)
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
        except (OSError, AttributeError):
            pass
    if os.getppid() != server_pid:  # the server died before the tie was made
        _end_orphan()
    threading.Thread(target=_watch_server, args=(server_pid,), daemon=True).start()


def _watch_server(server_pid: int) -> None:
    while True:
        time.sleep(WATCH_S)
        if os.getppid() != server_pid:
            _end_orphan()


def _end_orphan() -> None:
    """End this worker, and its process group when it leads one (never a group it only belongs to)."""
    if hasattr(os, "killpg") and os.getpgid(0) == os.getpid():
        os.killpg(os.getpid(), signal.SIGKILL)
    os._exit(70)


def _read_outcome(folder: Path) -> dict | None:
    path = folder / OUTCOME_FILE
    try:
        outcome = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(outcome, dict) or outcome.get("status") not in ("done", "failed"):
        return None
    return {
        "status": outcome["status"],
        "message": str(outcome.get("message") or ""),
        "summary": outcome.get("summary"),
    }


def _write_outcome(folder: Path, status: str, message: str = "", summary: dict | None = None) -> None:
    """The worker's outcome, written whole or not at all (a rename)."""
    path = folder / OUTCOME_FILE
    partial = path.with_suffix(".part")
    partial.write_text(
        json.dumps({"status": status, "message": message, "summary": summary}), encoding="utf-8"
    )
    os.replace(partial, path)


class Scheduler:
    """Starts queued runs, first in first, while fewer than ``max_running`` are running (counted across
    every server on the data folder: :meth:`Store.claim`).

    :meth:`pump` is called when a run is queued, when one ends, and whenever a queued run is looked at
    (so a slot freed outside this process is noticed too). Workers are started from one long-lived thread
    of the scheduler's: Linux sends ``PR_SET_PDEATHSIG`` when the *thread* that started a process ends, so
    a worker started from a request's or a watcher's thread would be killed with it.
    """

    def __init__(
        self, store: Store, max_running: int, time_limit_s: float = DEFAULT_TIME_LIMIT_S, target=None
    ) -> None:
        self.store, self.max_running, self.time_limit_s, self.target = (
            store,
            max_running,
            time_limit_s,
            target,
        )
        self.owner = owner_token(store.root)
        self.stopping = threading.Event()
        self._lock = threading.Lock()
        self._live: dict[str, threading.Thread] = {}
        self._requests: queue.SimpleQueue = queue.SimpleQueue()
        self._starter = threading.Thread(target=self._serve, daemon=True, name="bimcarbon-starter")
        self._starter.start()

    def pump(self) -> list[str]:
        """Start as many queued runs as there are free slots; their ids."""
        if self.stopping.is_set():
            return []
        if threading.current_thread() is self._starter:
            return self._start_free()
        answer: Future = Future()
        self._requests.put(answer)
        return answer.result()

    def _serve(self) -> None:
        while True:
            try:
                answer = self._requests.get(timeout=LOOK_AGAIN_S)
            except queue.Empty:  # nothing asked: look again (a slot freed by a server that died)
                answer = Future()
            if answer is None:
                return
            try:
                answer.set_result(self._start_free())
            except BaseException as exc:  # told to the caller of pump
                answer.set_exception(exc)

    def _start_free(self) -> list[str]:
        started: list[str] = []
        if self.store.count_running() >= self.max_running:
            interrupt_orphans(self.store)  # runs of a server on this data folder that died hold no slot
        while not self.stopping.is_set():
            with self._lock:
                if self.stopping.is_set():  # shutdown took its list of workers: start none after it
                    break
                run_id = self.store.claim(self.owner, self.max_running)
                if run_id is None:
                    break
                try:
                    self._live[run_id] = start(
                        self.store,
                        run_id,
                        self.time_limit_s,
                        self.target,
                        on_end=lambda run_id=run_id: self._ended(run_id),
                        owner=self.owner,
                        stopping=self.stopping,
                    )
                except Exception as exc:  # no process could be made: the run fails, the next may start
                    self.store.finish(run_id, self.owner, "failed", f"the worker could not start: {exc}")
                    continue
            started.append(run_id)
        return started

    def _ended(self, run_id: str) -> None:
        with self._lock:
            self._live.pop(run_id, None)
        self.pump()

    def shutdown(self) -> None:
        """The server stops: no run starts any more, and each run's watcher stops its worker (SIGTERM to
        its process group, SIGKILL after :data:`GRACE_S`) and records the run as :data:`INTERRUPTED` (one
        that had just finished keeps its result). Only the watcher waits for its worker: two threads
        reaping one process race (one of them sees it alive after it has ended)."""
        self.stopping.set()
        with self._lock:
            live = dict(self._live)
        for thread in live.values():  # each watcher stops its worker (only it waits for the process)
            thread.join(GRACE_S + 10)
        for run_id in live:  # a watcher that could not record the end in time: recorded here
            self.store.finish(run_id, self.owner, "failed", INTERRUPTED)
        release_owner(self.store.root)
        self._requests.put(None)


def status_view(store: Store, run: dict, moment: datetime | None = None) -> dict:
    """What the run page shows while a run waits or runs.

    Returns
    -------
    dict
        ``position`` in the queue (1 = next; None unless queued), ``running`` (runs in progress),
        ``elapsed_s`` (seconds since it started running, or since it was queued; a finished run: how
        long it ran), and ``stages``:
        one per :data:`STAGES`, with ``state`` (``done``, ``current``, ``todo``), ``count`` and
        ``seconds`` (how long it took, or has taken so far). A stage passed over (the pre-check of a
        cached take-off, or of a run made before it existed) is left out.
    """
    moment = moment or datetime.now().astimezone()
    position = store.queue_position(run["id"]) if run["status"] == "queued" else None
    since = run.get("started") if run["status"] != "queued" else run["created"]
    until = datetime.fromisoformat(run["finished"]) if run.get("finished") else moment
    elapsed = _seconds(since, until) if since else None
    recorded = list(run.get("stages") or [])
    if run.get("started"):
        recorded.insert(0, {"stage": "starting", "count": None, "at": run["started"]})
    reached = {s["stage"]: s for s in recorded}
    current = (recorded or [{}])[-1].get("stage") if run["status"] == "running" else None
    stages = []
    for index, stage in enumerate(STAGES):
        seen = reached.get(stage)
        later = [reached[s]["at"] for s in STAGES[index + 1 :] if s in reached]
        if seen is None and later:  # passed over: a cached take-off, or a run from before the stage
            continue
        if seen is None:
            state = "todo"
        elif stage == current:
            state = "current"
        else:
            state = "done"
        end = later[0] if later else (None if state == "current" else run.get("finished"))
        seconds = None
        if seen is not None:
            seconds = _seconds(seen["at"], datetime.fromisoformat(end) if end else moment)
        stages.append(
            {"stage": stage, "state": state, "count": (seen or {}).get("count"), "seconds": seconds}
        )
    return {
        "position": position,
        "running": store.count_running(),
        "elapsed_s": elapsed,
        "stages": stages,
    }


def _seconds(since: str, moment: datetime) -> int:
    return max(0, round((moment - datetime.fromisoformat(since)).total_seconds()))


def work(root: str, run_id: str) -> None:
    """The worker: assess, write the JSON, the workbook and the mapping file, and the outcome with the
    summary (:data:`OUTCOME_FILE`; the server records it)."""
    from bimcarbon.errors import BimcarbonError

    delay = os.environ.get(TEST_DELAY_ENV)
    if delay and os.environ.get("PYTEST_CURRENT_TEST"):
        time.sleep(float(delay))
    store = Store(Path(root))
    run = store.run(run_id)
    if run is None:
        return
    folder = store.run_dir(run_id)
    p = run["parameters"]
    # unzipped models and other temporary files go to the run's folder, so a stopped worker's leftovers
    # are removed by the watcher
    (folder / "tmp").mkdir(exist_ok=True)
    tempfile.tempdir = str(folder / "tmp")

    def progress(stage: str, count: int | None) -> None:
        store.record_stage(run_id, stage, count, STAGE_MESSAGES.get(stage, stage))

    def keep_precheck(check) -> None:  # whole or not at all: the run page reads it while the run goes on
        partial = folder / f"{PRECHECK_FILE}.part"
        partial.write_text(check.model_dump_json(indent=1), encoding="utf-8")
        os.replace(partial, folder / PRECHECK_FILE)

    try:
        from bimcarbon.assess import assess
        from bimcarbon.mapping_file import mapping_text
        from bimcarbon.report.workbook import write_workbook
        from bimcarbon.web.compare import breakdown, not_assessable

        upload = store.upload(run["upload_sha256"])
        model = store.root / "uploads" / upload["stored_name"]
        energy = folder / "energy.yaml" if (folder / "energy.yaml").exists() else None
        given = (folder / "mapping_in.yaml").exists()
        mapping = [_as_uploaded(folder, p.get("mapping_name"))] if given else []
        result = assess(
            model,
            energy,
            mapping,
            [],
            p.get("criteria", "cn-zero-carbon-building-draft-2023"),
            cache_dir=store.root / "cache",
            use_assumptions=not p.get("no_assumptions", False),
            model_name=p.get("model_name", "model.ifc"),
            accept_incomplete=bool(p.get("accept_incomplete", False)),
            progress=progress,
            on_precheck=keep_precheck,
        )
        samples = int(p.get("uncertainty_samples") or 0)  # runs made before the option: none
        if samples:
            from bimcarbon.uncertainty.run import assess_uncertainty

            result.assessment.uncertainty = assess_uncertainty(result, samples)
        progress("writing", None)
        a = result.assessment
        a.parameters.update(input_names(p, folder))  # the names uploaded under, not the run folder's
        rebar = result.assumptions.rebar if result.assumptions else None
        a.warnings.extend(_write_lcax(result, folder / LCAX_FILE))
        (folder / "assessment.json").write_text(a.model_dump_json(indent=1), encoding="utf-8")
        chosen = p.get("lang", "en")
        write_workbook(result, result.library, folder / "assessment.xlsx", chosen)
        for other in ("en", "zh"):  # the other language too, so each reader downloads their own
            if other != chosen:
                write_workbook(result, result.library, folder / f"assessment.{other}.xlsx", other)
        (folder / "mapping.yaml").write_text(
            mapping_text(result.parts, result.rule_sets, p.get("model_name", "model"), rebar),
            encoding="utf-8",
        )
        (folder / BREAKDOWN_FILE).write_text(
            json.dumps(breakdown(result.components, result.takeoff), indent=1), encoding="utf-8"
        )
        summary = {
            "without_embodied": a.without_embodied.verdicts.reached,
            "with_embodied": a.with_embodied.verdicts.reached,
            "embodied_total_kgco2e": a.embodied.embodied_total,
            "upfront_kg_per_m2": a.without_embodied.metrics.get("upfront_embodied_kg_per_m2"),
            "floor_area_m2": a.floor_area.value_m2,
            "volume_share_mapped": a.coverage.volume_share_mapped,
            "volume_share_assumed": a.coverage.volume_share_assumed,
            "mass_share_mapped": a.coverage.mass_share_mapped,
            "mass_share_assumed": a.coverage.mass_share_assumed,
            "embodied_gate": (
                "complete"
                if a.with_embodied.embodied_complete
                else "accepted"
                if a.with_embodied.accepted_incomplete
                else "blocked"
            ),
            "implausible": a.plausibility.absurd,
            "not_assessable": {  # no tier reached because the first cannot be assessed (not a failure)
                "without_embodied": not_assessable(a.without_embodied.verdicts.model_dump()),
                "with_embodied": not_assessable(a.with_embodied.verdicts.model_dump()),
            },
        }
        _write_outcome(folder, "done", "", summary)
    except BimcarbonError as exc:
        _write_outcome(folder, "failed", _without_paths(str(exc), store, run))
    except Exception as exc:  # a bug: the run fails with a clear line, the server keeps going
        _write_outcome(
            folder, "failed", _without_paths(f"internal error: {type(exc).__name__}: {exc}", store, run)
        )
    finally:
        shutil.rmtree(folder / "tmp", ignore_errors=True)


def _write_lcax(result, target: Path) -> list[str]:
    """The run as an LCAx project, as ``assess --lcax`` writes it (a fraction of a second), when the
    ``lcax`` extra is installed (else nothing, and the page offers no such file); its warnings, and why
    it could not be written, become the run's warnings."""
    try:
        import lcax  # noqa: F401
    except ImportError:
        return []
    from bimcarbon.errors import BimcarbonError
    from bimcarbon.exchange.lcax_file import write_lcax

    try:
        return [f"LCAx export: {problem}" for problem in write_lcax(result, target).problems]
    except BimcarbonError as exc:
        return [f"LCAx export not written: {exc}"]
    except Exception as exc:  # lcax refusing the data (a bug of the export) must not fail the assessment
        return [f"LCAx export not written: {type(exc).__name__}: {exc} (please report it)"]


def model_with_results(store: Store, run: dict) -> Path | None:
    """A finished run's model with each element's results and the heatmap, as ``assess --ifc-out
    --ifc-heatmap`` writes it in the run's language; written on the first request and kept.

    On demand, not with every run: writing it costs about two thirds of the assessment's time again and
    the file is several times the model's size (bench/bench_writeback.py), for a download most runs never
    need. None when it cannot be written: a run made before elements were stored (format 3), the upload
    deleted, or a model that cannot be written again.
    """
    folder = store.run_dir(run["id"])
    target = folder / RESULTS_IFC
    if target.exists():
        return target
    upload = store.upload(run["upload_sha256"])
    source = store.root / "uploads" / upload["stored_name"] if upload else None
    if run["status"] != "done" or source is None or not source.exists() or not has_elements(store, run["id"]):
        return None
    # two requests at once each write their own file; the last rename wins, and both are the same
    partial = folder / f"{RESULTS_IFC}.{secrets.token_hex(8)}.part.ifc"
    # in a process of its own, as the CLI isolates it: a model that crashes the engine or takes all the
    # memory costs this download, never the server (spawned: the server has threads, a fork may hang)
    lang = run["parameters"].get("lang", "en")
    process = multiprocessing.get_context("spawn").Process(
        target=_write_results_child,
        args=(str(source), str(folder / "assessment.json"), str(partial), lang),
        daemon=True,
    )
    try:
        process.start()
        process.join(RESULTS_IFC_LIMIT_S)
        if process.exitcode is None:
            stop_worker(process)
        elif process.exitcode == 0 and partial.exists():
            os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return target if target.exists() else None


def _write_results_child(source: str, assessment_json: str, partial: str, lang: str) -> None:
    """:func:`model_with_results`'s child: writes the copy, or exits with 1 when bimcarbon refuses to."""
    from bimcarbon.assess import Assessment
    from bimcarbon.errors import BimcarbonError
    from bimcarbon.exchange.heatmap import load_heatmap
    from bimcarbon.ifc.writeback import write_results

    assessment = Assessment.model_validate_json(Path(assessment_json).read_text(encoding="utf-8"))
    try:
        write_results(source, assessment, partial, load_heatmap(), lang)
    except BimcarbonError:
        sys.exit(1)


def has_elements(store: Store, run_id: str) -> bool:
    """Whether a run's stored assessment has each element's results (format 3 on), read without parsing
    the whole file: its ``format_version`` comes first."""
    path = store.run_dir(run_id) / "assessment.json"
    if not path.exists():
        return False
    with path.open(encoding="utf-8") as handle:
        head = handle.read(200)
    found = re.search(r'"format_version"\s*:\s*(\d+)', head)
    return bool(found) and int(found.group(1)) >= 3


def _as_uploaded(folder: Path, name: str | None) -> Path:
    """The run's mapping file under the name it was uploaded with (in the worker's ``tmp``): a mapping
    without ``metadata.id`` is named after its file, which must be the person's, not ``mapping_in``."""
    stem = re.sub(r"[^\w.-]", "_", Path(name or "").stem)[:60].strip("._")
    if not stem:
        return folder / "mapping_in.yaml"
    path = folder / "tmp" / f"{stem}.yaml"
    shutil.copyfile(folder / "mapping_in.yaml", path)
    return path


def _without_paths(message: str, store: Store, run: dict | None = None) -> str:
    """A message without the server's folders in it, and with the run's input files (the model stored
    under its hash, the energy file and mapping copied into the run's folder) called by the names they
    were uploaded under."""
    if run is not None:
        p = run.get("parameters") or {}
        stored = f"{run['upload_sha256']}.ifczip", f"{run['upload_sha256']}.ifc"  # the longer first
        folder = store.run_dir(run["id"])
        inputs = {store.root / "uploads" / name: p.get("model_name") or "the model" for name in stored}
        try:
            names = input_names(p, folder)
        except Exception:  # an unreadable copy: the plain uploaded names below
            names = {}
        inputs[folder / "energy.yaml"] = names.get("energy_file") or p.get("energy_name") or TYPED_ENERGY
        inputs[folder / "mapping_in.yaml"] = (
            names.get("mappings") or [p.get("mapping_name") or WEB_CHOICES]
        )[0]
        message = named(message, inputs)
        for name in stored:  # relative to a folder not named above (the hash name is the server's)
            message = message.replace(f"uploads/{name}", inputs[store.root / "uploads" / name])
            message = message.replace(name, inputs[store.root / "uploads" / name])
    folders = {str(store.root.resolve()), str(store.root), tempfile.gettempdir()}
    for folder in sorted(folders, key=len, reverse=True):  # the longest first: a folder in another
        message = message.replace(folder + "/", "").replace(folder, "")
    return message


def read_assessment(store: Store, run_id: str) -> dict | None:
    """The stored assessment JSON of a finished run."""
    path = store.run_dir(run_id) / "assessment.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def read_precheck(store: Store, run_id: str) -> dict | None:
    """A run's LCA-ready pre-check (None before it is known, and for a run made before it existed)."""
    path = store.run_dir(run_id) / PRECHECK_FILE
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def read_breakdown(store: Store, run_id: str) -> dict | None:
    """A1-A3 by element class of a finished run (None for a run made before this file was written)."""
    path = store.run_dir(run_id) / BREAKDOWN_FILE
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def read_side(store: Store, run: dict) -> dict:
    """What :func:`bimcarbon.web.compare.compare` needs of a run: its row, assessment JSON, breakdown
    and the mapping it was given (text)."""
    mapping = store.run_dir(run["id"]) / "mapping_in.yaml"
    return {
        "run": run,
        "assessment": read_assessment(store, run["id"]),
        "breakdown": read_breakdown(store, run["id"]),
        "mapping": mapping.read_text(encoding="utf-8") if mapping.exists() else None,
    }
