"""Assessments run outside the web request, in a separate process with a time limit, so a model that
crashes or hangs the IFC parser fails that one run with a clear message while the server keeps serving.

At most ``max_running`` runs are in progress at once; the others wait in a queue, first in first, and
start when a slot frees (:class:`Scheduler`). The worker records the stage it is at (reading the model,
taking it off with its element count, matching materials, assessing, writing the workbook), which the
run's page shows with the time each took (:func:`status_view`).
"""

from __future__ import annotations

import json
import multiprocessing
import shutil
import tempfile
import threading
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from bimcarbon.web.store import Store
from bimcarbon.web.uploads import TYPED_ENERGY, WEB_CHOICES, input_names, named

#: Seconds a run may take before it is stopped and marked failed.
DEFAULT_TIME_LIMIT_S = 900
#: The worker's stages, in order (the run page names them); ``starting`` is the time from the run's start
#: to the worker's first stage (a new process importing bimcarbon).
STAGES = ("starting", "reading", "takeoff", "matching", "assessing", "writing")
#: The stage as a line in the run's ``message`` (what the JSON API shows).
STAGE_MESSAGES = {
    "starting": "starting",
    "reading": "reading the model",
    "takeoff": "taking off quantities",
    "matching": "matching materials",
    "assessing": "assessing",
    "writing": "writing the workbook",
}
#: A finished run's A1-A3 by element class (for comparisons; the assessment JSON has it by material only).
BREAKDOWN_FILE = "breakdown.json"


def start(
    store: Store,
    run_id: str,
    time_limit_s: float = DEFAULT_TIME_LIMIT_S,
    target=None,
    on_end: Callable[[], object] | None = None,
) -> threading.Thread:
    """Start a run in a worker process; a watcher thread marks it failed on a crash or a timeout.

    ``target`` replaces :func:`work` (a module-level function taking the data folder and run id);
    ``on_end`` is called by the watcher once the run has ended, whatever the outcome.
    """
    context = multiprocessing.get_context("spawn")
    process = context.Process(target=target or work, args=(str(store.root), run_id), daemon=True)
    store.start_running(run_id, "starting")
    process.start()

    def watch() -> None:
        try:
            process.join(time_limit_s)
            if process.is_alive():
                process.terminate()
                process.join(5)
                store.set_status(run_id, "failed", f"stopped after the time limit of {time_limit_s:g} s")
                return
            run = store.run(run_id)
            if run is not None and run["status"] == "running":
                store.set_status(
                    run_id, "failed", f"the worker stopped unexpectedly (exit code {process.exitcode})"
                )
        finally:
            if on_end is not None:
                on_end()

    thread = threading.Thread(target=watch, daemon=True)
    thread.start()
    return thread


class Scheduler:
    """Starts queued runs, first in first, while fewer than ``max_running`` are running.

    :meth:`pump` is called when a run is queued, when one ends, and whenever a queued run is looked at
    (so a slot freed outside this process is noticed too). One scheduler per data folder and server.
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
        self._lock = threading.Lock()

    def pump(self) -> list[str]:
        """Start as many queued runs as there are free slots; their ids."""
        started: list[str] = []
        with self._lock:
            free = self.max_running - self.store.count_running()
            for run_id in self.store.queued()[: max(free, 0)]:
                start(self.store, run_id, self.time_limit_s, self.target, on_end=self.pump)
                started.append(run_id)
        return started


def status_view(store: Store, run: dict, moment: datetime | None = None) -> dict:
    """What the run page shows while a run waits or runs.

    Returns
    -------
    dict
        ``position`` in the queue (1 = next; None unless queued), ``running`` (runs in progress),
        ``elapsed_s`` (seconds since it started running, or since it was queued; a finished run: how
        long it ran), and ``stages``:
        one per :data:`STAGES`, with ``state`` (``done``, ``current``, ``todo``), ``count`` and
        ``seconds`` (how long it took, or has taken so far).
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
    """The worker: assess, write the JSON, the workbook and the mapping file, record the summary."""
    from bimcarbon.errors import BimcarbonError

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

    try:
        from bimcarbon.assess import assess
        from bimcarbon.mapping_file import mapping_text
        from bimcarbon.report.workbook import write_workbook
        from bimcarbon.web.compare import breakdown, not_assessable

        upload = store.upload(run["upload_sha256"])
        model = store.root / "uploads" / upload["stored_name"]
        energy = folder / "energy.yaml" if (folder / "energy.yaml").exists() else None
        mapping = [folder / "mapping_in.yaml"] if (folder / "mapping_in.yaml").exists() else []
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
        )
        progress("writing", None)
        a = result.assessment
        a.parameters.update(input_names(p, folder))  # the names uploaded under, not the run folder's
        rebar = result.assumptions.rebar if result.assumptions else None
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
        store.set_status(run_id, "done", "", summary)
    except BimcarbonError as exc:
        store.set_status(run_id, "failed", _without_paths(str(exc), store, run))
    except Exception as exc:  # a bug: the run fails with a clear line, the server keeps going
        store.set_status(
            run_id, "failed", _without_paths(f"internal error: {type(exc).__name__}: {exc}", store, run)
        )
    finally:
        shutil.rmtree(folder / "tmp", ignore_errors=True)


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
