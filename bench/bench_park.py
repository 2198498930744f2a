"""Park scale-out: a generated park of buildings assessed on 1 worker, on N local processes and on a
local Dask cluster of N worker processes, against the 1-worker run measured in the same run.

The script writes a park in a temporary folder: ``--buildings`` IFC models (default 200; grid buildings
of 2, 3 or 4 storeys, 33 elements a storey: slabs, three-layer walls, steel columns and beams, so 66, 99
or 132 elements, 99 on average), an energy file per building and a ``park.yaml`` in the park file format
(docs/park.md). It then assesses every building through :func:`bimcarbon.park.executors.map_in_order`,
each configuration in a fresh process:

* ``1 worker``: the calls one after the other in that process (the baseline);
* ``N processes``: a local pool of ``--workers`` spawned processes (started inside the timing);
* ``Dask N``: a ``distributed.LocalCluster`` of ``--workers`` processes of one thread on 127.0.0.1,
  started first (its start is shown apart, as for a cluster that is already there), then
  ``map_in_order(..., scheduler=address)``: connecting, checking the workers, the calls, closing.

It prints the wall time of each, the speed-up against 1 worker, the peak memory (the parent's own peak,
the largest worker's peak: ``VmHWM`` from /proc, exact; the peak of parent plus workers together:
their resident memory summed every 0.1 s, so a shorter peak can be missed, and pages a forked model
reader shares with its parent count twice; on 1 worker the "worker" is that reader), checks that every
configuration gave the same assessments (SHA-256 of their JSON), and projects the time and the
results' size for ``--project`` buildings (default 10,000) on clusters of ``--cluster`` workers:

    T(n, K) = n x max(c / (K x e), o)       c = T(1 worker) / buildings: one building on one core
                                            e = speed-up of Dask N / N: parallel efficiency measured here
                                            (or, from CPU time: c = CPU seconds of the Dask run a building,
                                            e = 1: robust to other work on a shared machine)
                                            o = 1 ms: Dask's scheduler overhead per task (distributed
                                                docs, "each task suffers about 1ms of overhead"); one
                                                scheduler caps the rate at about 1,000 tasks a second

assuming workers as fast as this machine's cores, e as measured on N workers (an optimistic guess for
larger K: not measured here), the files on a shared file system that serves them as fast as a local
disk, and the cluster already started. The parent keeps every building's result: n x its size.

The timed unit is :func:`timed_unit` (one building = ``bimcarbon.assess.assess`` of its model and
energy file, the model read in a child process, as ``bimcarbon assess`` does). Until ``bimcarbon park``
lands it returns the whole :class:`~bimcarbon.assess.AssessmentRun` (tables included: about 20 times
the assessment JSON a park keeps per building), so the parent's memory and the results' size are
overstated; point :func:`timed_unit` at the park's building function then.

Needs the ``bench`` extra (``pip install -e '.[bench]'``: Dask's distributed; psutil comes with it).
Run from the repository root (the default takes about 5 minutes on 2 cores)::

    python bench/bench_park.py
    python bench/bench_park.py --buildings 40      # quicker
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import pickle
import resource
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "sample_models"))

#: Bays per side of a generated storey: 2 x 2 bays of 6 m = 144 m2, 33 elements (4 slabs, 8 walls,
#: 9 columns, 12 beams).
BAYS = 2
ELEMENTS_PER_STOREY = BAYS * BAYS + 4 * BAYS + (BAYS + 1) ** 2 + 2 * BAYS * (BAYS + 1)
STOREY_AREA_M2 = (BAYS * 6.0) ** 2
#: Dask's scheduler overhead per task, seconds (distributed docs: "about 1ms of overhead").
TASK_OVERHEAD_S = 0.001


# --------------------------------------------------------------------------------------------------
# The park
# --------------------------------------------------------------------------------------------------
def _small_grid_builder():
    """build_samples' generated grid building, on a BAYS x BAYS grid instead of 10 x 10."""
    import build_samples

    class SmallGridBuilder(build_samples.LargeModelBuilder):
        def storey_layout(self):
            n, bay = BAYS, build_samples.LARGE_BAY
            size = n * bay
            for i in range(n):
                for j in range(n):
                    yield "slab", (i * bay, j * bay), (1.0, 0.0, 0.0)
            for i in range(n):
                yield "wall", (i * bay, 0.0), (1.0, 0.0, 0.0)
                yield "wall", (size, i * bay), (0.0, 1.0, 0.0)
                yield "wall", (size - i * bay, size), (-1.0, 0.0, 0.0)
                yield "wall", (0.0, size - i * bay), (0.0, -1.0, 0.0)
            for i in range(n + 1):
                for j in range(n + 1):
                    yield "column", (i * bay, j * bay), (1.0, 0.0, 0.0)
            for i in range(n):
                for j in range(n + 1):
                    yield "beam", (i * bay, j * bay), (1.0, 0.0, 0.0)
                    yield "beam", (j * bay, i * bay), (0.0, 1.0, 0.0)

    return SmallGridBuilder


def _energy(storeys: int) -> dict:
    """A building's energy file: floor area from its storeys, use per m2 near the sample office's
    (12,000 kWh and 1,000 m3 of gas on 160 m2: 75 kWh/m2, 6.25 m3/m2)."""
    area = storeys * STOREY_AREA_M2
    return {
        "building_type": "public",
        "subtype": "office",
        "grid_year": 2023,
        "gross_floor_area_m2": area,
        "design_life_years": 50,
        "annual": {"electricity_kwh": 75 * area, "natural_gas_m3": 6.25 * area},
        "renewables": {"pv_self_consumed_kwh": 10 * area, "pv_exported_kwh": 0},
        "baseline": {"carriers": {"electricity_kwh": 125 * area, "natural_gas_m3": 12.5 * area}},
    }


def build_park(folder: Path, buildings: int) -> Path:
    """Write ``buildings`` models, their energy files and park.yaml into ``folder``; its path."""
    builder = _small_grid_builder()
    entries = []
    for i in range(buildings):
        storeys = 2 + i % 3
        name = f"b{i:04d}"
        model = builder(storeys * ELEMENTS_PER_STOREY, with_quantities=i % 2 == 0, schema="IFC4").build()
        model.header.file_name.name = f"{name}.ifc"
        model.write(str(folder / f"{name}.ifc"))
        (folder / f"{name}.energy.yaml").write_text(yaml.safe_dump(_energy(storeys), sort_keys=False))
        entries.append({"name": f"Building {i:04d}", "model": f"{name}.ifc", "energy": f"{name}.energy.yaml"})
    park = {
        "name": f"Generated park of {buildings} buildings",
        "criteria": "cn-zero-carbon-park-2025",
        "grid": {"year": 2023, "region": "north"},
        "buildings": entries,
        "park_energy": {
            "electricity_kwh": 100_000 * buildings // 10,
            "renewables": {"pv_kwh": 40_000 * buildings // 10, "wind_kwh": 0},
            "green_certificates": buildings,
            "energy_to_coal": "equivalent",
        },
    }
    path = folder / "park.yaml"
    path.write_text(yaml.safe_dump(park, sort_keys=False, allow_unicode=True))
    return path


def timed_unit(park_file: Path) -> tuple[Callable, list, list[Path], bool]:
    """What is timed: (function, items, files the calls read, whether the calls start processes): the
    park's building tasks and its building function, as ``bimcarbon park --no-cache`` maps them
    (:func:`bimcarbon.park.run.building_tasks`, :func:`bimcarbon.park.building.assess_building`)."""
    from bimcarbon.park.building import assess_building
    from bimcarbon.park.run import building_tasks
    from bimcarbon.park.spec import load_park

    tasks = building_tasks(load_park(park_file))
    files = [Path(p) for t in tasks for p in (t.model, t.energy, *t.mappings)]
    return assess_building, tasks, files, True


def _digest(result) -> str:
    """SHA-256 of what the park keeps of one building: its outcome as JSON."""
    return hashlib.sha256(result.model_dump_json().encode()).hexdigest()


# --------------------------------------------------------------------------------------------------
# One configuration, in a fresh process
# --------------------------------------------------------------------------------------------------
def _vm_kib(pid: int | str, field: str) -> int:
    """A /proc/PID/status field in KiB (0 when the process is gone)."""
    with contextlib.suppress(OSError, ValueError, IndexError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


class TreeMemory:
    """Peak memory of this process and its descendants, sampled every ``interval_s`` in a thread."""

    def __init__(self, interval_s: float = 0.1) -> None:
        self.interval_s = interval_s
        self.total_kib = 0  # peak of the summed resident memory, sampled
        self.worker_kib: dict[int, int] = {}  # each descendant's own peak (VmHWM, exact)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> TreeMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        try:
            import psutil
        except ImportError:
            return
        me = psutil.Process()
        while not self._stop.is_set():
            with contextlib.suppress(psutil.Error):
                total = _vm_kib(me.pid, "VmRSS")
                for child in me.children(recursive=True):
                    total += _vm_kib(child.pid, "VmRSS")
                    peak = _vm_kib(child.pid, "VmHWM")
                    self.worker_kib[child.pid] = max(peak, self.worker_kib.get(child.pid, 0))
                self.total_kib = max(self.total_kib, total)
            self._stop.wait(self.interval_s)


def _cpu_s() -> float:
    """CPU seconds of this process and of its children that have ended (workers, readers)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _local_cluster(workers: int):
    """A Dask cluster of ``workers`` processes of one thread on loopback, as docs/park.md says: workers
    not daemonic (each model is read in a child process), no dashboard."""
    import dask
    from distributed import LocalCluster

    dask.config.set({"distributed.worker.daemon": False})
    return LocalCluster(
        n_workers=workers,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
        scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
    )


def run_one(config: str, park_file: Path, workers: int) -> dict:
    """Assess the park's buildings one way; seconds, memory and what came back."""
    from bimcarbon.park.executors import map_in_order

    function, items, files, starts_processes = timed_unit(park_file)
    cluster_s = 0.0
    cpu_start, wall_start = _cpu_s(), time.perf_counter()
    with TreeMemory() as memory, contextlib.ExitStack() as stack:
        options: dict = {"workers": workers if config == "pool" else 1}
        if config == "dask":
            start = time.perf_counter()
            cluster = stack.enter_context(_local_cluster(workers))
            cluster_s = time.perf_counter() - start
            options = {"scheduler": cluster.scheduler_address, "files": files}
        start = time.perf_counter()
        results = map_in_order(function, items, starts_processes=starts_processes, **options)
        seconds = time.perf_counter() - start
    cpu_s = _cpu_s() - cpu_start  # the pool and the cluster are closed: their CPU time is counted
    cores_used = cpu_s / (time.perf_counter() - wall_start)
    digests = [_digest(r) for r in results]
    first = results[0]
    return {
        "seconds": seconds,
        "cluster_s": cluster_s,
        "cores_used": cores_used,
        "cpu_s": cpu_s,
        "parent_mib": _vm_kib("self", "VmHWM") / 1024,
        "worker_mib": max(memory.worker_kib.values(), default=0) / 1024,
        "total_mib": memory.total_kib / 1024,
        "digest": hashlib.sha256("".join(digests).encode()).hexdigest(),
        "result_bytes": len(pickle.dumps(first)),
        "kept_bytes": len(first.model_dump_json().encode()),
        "failed": [r.name for r in results if r.status != "done"],
    }


def _measure(config: str, park_file: Path, workers: int) -> dict:
    command = [sys.executable, __file__, "--one", config, "--park", str(park_file), "--workers", str(workers)]
    done = subprocess.run(command, capture_output=True, text=True, cwd=REPO)
    if done.returncode != 0:
        sys.exit(f"{config} failed:\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# --------------------------------------------------------------------------------------------------
# The report
# --------------------------------------------------------------------------------------------------
def projection(c_s: float, efficiency: float, n: int, cluster: list[int]) -> Iterator[tuple[int, float]]:
    """(K, seconds) for ``n`` buildings on K workers: n x max(c / (K x e), o)."""
    for k in cluster:
        yield k, n * max(c_s / (k * efficiency), TASK_OVERHEAD_S)


def _duration(seconds: float) -> str:
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 7200:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--buildings", type=int, default=200, help="buildings in the generated park")
    parser.add_argument("--workers", type=int, default=2, help="local processes and Dask workers")
    parser.add_argument("--project", type=int, default=10_000, help="buildings in the projection")
    parser.add_argument(
        "--cluster", type=int, nargs="+", default=[2, 16, 64, 256], help="K in the projection"
    )
    parser.add_argument("--one", choices=["serial", "pool", "dask"], help=argparse.SUPPRESS)
    parser.add_argument("--park", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(run_one(args.one, args.park, args.workers)))
        return 0
    try:
        import distributed  # noqa: F401
    except ImportError:
        parser.error("Dask's distributed is not installed: pip install -e '.[bench]'")

    with tempfile.TemporaryDirectory(prefix="bimcarbon-bench-park-") as tmp:
        start = time.perf_counter()
        park_file = build_park(Path(tmp), args.buildings)
        elements = sum(ELEMENTS_PER_STOREY * (2 + i % 3) for i in range(args.buildings))
        print(
            f"built {args.buildings} buildings ({elements} elements, {elements / args.buildings:.0f} a "
            f"building) in {time.perf_counter() - start:.1f} s; {os.cpu_count()} cores",
            flush=True,
        )
        n = args.workers
        rows = [
            ("1 worker", _measure("serial", park_file, 1)),
            (f"{n} processes", _measure("pool", park_file, n)),
            (f"Dask {n} workers", _measure("dask", park_file, n)),
        ]
    base = rows[0][1]["seconds"]
    print(
        f"\n{'executor':<16} {'seconds':>8} {'s/building':>10} {'speed-up':>8} {'cluster start s':>15} "
        f"{'parent MiB':>10} {'worker MiB':>10} {'all MiB':>8} {'cores used':>10}"
    )
    for label, r in rows:
        print(
            f"{label:<16} {r['seconds']:>8.1f} {r['seconds'] / args.buildings:>10.3f} "
            f"{base / r['seconds']:>8.2f} {r['cluster_s']:>15.1f} {r['parent_mib']:>10.0f} "
            f"{r['worker_mib'] or float('nan'):>10.0f} {r['total_mib'] or float('nan'):>8.0f} "
            f"{r['cores_used']:>10.2f}"
        )
    print(
        f"cores used: CPU seconds of the run's processes / wall seconds (of {os.cpu_count()}); well under "
        "the workers' count means other work on the machine took the rest, and the speed-ups are understated"
    )
    same = len({r["digest"] for _, r in rows}) == 1
    print(f"same assessments on every executor: {'yes' if same else 'NO'}")

    c = base / args.buildings
    efficiency = base / rows[2][1]["seconds"] / n
    c_cpu = rows[2][1]["cpu_s"] / args.buildings
    print(
        f"\nprojection for {args.project} buildings, n x max(c / (K x e), o) with o = "
        f"{TASK_OVERHEAD_S * 1000:.0f} ms a task:\n"
        f"  from wall time: c = {c:.3f} s a building on 1 worker, e = {efficiency:.2f} (Dask, {n} workers)\n"
        f"  from CPU time: c = {c_cpu:.3f} CPU s a building on Dask (workers, scheduler and client, cluster "
        "start included), e = 1 (each worker a core of its own, whatever else this machine ran)"
    )
    print(f"  {'workers':>7} {'from wall time':>15} {'from CPU time':>14}")
    by_cpu = dict(projection(c_cpu, 1.0, args.project, args.cluster))
    for k, seconds in projection(c, efficiency, args.project, args.cluster):
        print(f"  {k:>7} {_duration(seconds):>15} {_duration(by_cpu[k]):>14}")
    kept, returned = rows[0][1]["kept_bytes"], rows[0][1]["result_bytes"]
    print(
        f"  results held by the parent: {args.project} x {kept / 1024:.0f} KiB of assessment JSON = "
        f"{args.project * kept / 2**20:.0f} MiB (an outcome is {returned / 1024:.0f} KiB pickled)"
    )
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
