"""Assessments run outside the web request, in a separate process with a time limit, so a model that
crashes or hangs the IFC parser fails that one run with a clear message while the server keeps serving.
"""

from __future__ import annotations

import json
import multiprocessing
import shutil
import tempfile
import threading
from pathlib import Path

from bimcarbon.web.store import Store

#: Seconds a run may take before it is stopped and marked failed.
DEFAULT_TIME_LIMIT_S = 900


def start(
    store: Store, run_id: str, time_limit_s: float = DEFAULT_TIME_LIMIT_S, target=None
) -> threading.Thread:
    """Start a run in a worker process; a watcher thread marks it failed on a crash or a timeout.

    ``target`` replaces :func:`work` (a module-level function taking the data folder and run id).
    """
    context = multiprocessing.get_context("spawn")
    process = context.Process(target=target or work, args=(str(store.root), run_id), daemon=True)
    store.set_status(run_id, "running", "reading the model and taking it off")
    process.start()

    def watch() -> None:
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

    thread = threading.Thread(target=watch, daemon=True)
    thread.start()
    return thread


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
    try:
        from bimcarbon.assess import assess
        from bimcarbon.mapping_file import mapping_text
        from bimcarbon.report.workbook import write_workbook

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
        )
        a = result.assessment
        rebar = result.assumptions.rebar if result.assumptions else None
        (folder / "assessment.json").write_text(a.model_dump_json(indent=1), encoding="utf-8")
        write_workbook(result, result.library, folder / "assessment.xlsx", p.get("lang", "en"))
        (folder / "mapping.yaml").write_text(
            mapping_text(result.parts, result.rule_sets, p.get("model_name", "model"), rebar),
            encoding="utf-8",
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
        }
        store.set_status(run_id, "done", "", summary)
    except BimcarbonError as exc:
        store.set_status(run_id, "failed", _without_paths(str(exc), store))
    except Exception as exc:  # a bug: the run fails with a clear line, the server keeps going
        store.set_status(
            run_id, "failed", _without_paths(f"internal error: {type(exc).__name__}: {exc}", store)
        )
    finally:
        shutil.rmtree(folder / "tmp", ignore_errors=True)


def _without_paths(message: str, store: Store) -> str:
    """A message without the server's folders in it."""
    for folder in (str(store.root.resolve()), str(store.root), tempfile.gettempdir()):
        message = message.replace(folder + "/", "").replace(folder, "")
    return message


def read_assessment(store: Store, run_id: str) -> dict | None:
    """The stored assessment JSON of a finished run."""
    path = store.run_dir(run_id) / "assessment.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None
