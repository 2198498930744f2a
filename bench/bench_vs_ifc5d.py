"""The full assessment against the tools a user would otherwise use, in one run on one machine.

For each model, in fresh processes (best of ``--repeat``), with peak memory:

* ``assess``: bimcarbon's full assessment (take-off, matching, modules, criteria; no energy file);
* ``cached``: the same with the take-off cache already warm (what changing a mapping costs);
* ``ifc5d``: ifcopenshell's own quantity take-off, ``ifc5d.qto.quantify`` with its IfcOpenShell-engine
  rules ``IFC4QtoBaseQuantities``, on the same elements (open included);
* ``iterator``: open + the bare geometry iterator over the same elements (the floor).

Targets (issue 6): assess <= 1.0x ifc5d; cached <= 0.05x assess and under 1 s at 10,000 elements.

    pip install ifc5d
    python bench/bench_vs_ifc5d.py --sizes 1000 10000
"""

from __future__ import annotations

import argparse
import multiprocessing
import resource
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))

from bench_takeoff import _element_ids, _load_builder  # noqa: E402


def _assess(path: str, cache: str | None, queue) -> None:
    from bimcarbon.assess import assess

    if cache:
        assess(path, cache_dir=cache)  # warm the cache, not timed
    start = time.perf_counter()
    assess(path, cache_dir=cache)
    queue.put((time.perf_counter() - start, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024))


def _ifc5d(path: str, ids: list[int], queue) -> None:
    import ifc5d.qto
    import ifcopenshell

    start = time.perf_counter()
    ifc = ifcopenshell.open(path)
    ifc5d.qto.quantify(ifc, {ifc.by_id(i) for i in ids}, ifc5d.qto.rules["IFC4QtoBaseQuantities"])
    queue.put((time.perf_counter() - start, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024))


def _iterator(path: str, ids: list[int], queue) -> None:
    import ifcopenshell
    import ifcopenshell.geom

    start = time.perf_counter()
    ifc = ifcopenshell.open(path)
    settings = ifcopenshell.geom.settings()
    iterator = ifcopenshell.geom.iterator(
        settings, ifc, multiprocessing.cpu_count(), include=[ifc.by_id(i) for i in ids]
    )
    if iterator.initialize():
        while iterator.next():
            pass
    queue.put((time.perf_counter() - start, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024))


def _best(target, args: tuple, repeat: int) -> tuple[float, float]:
    context = multiprocessing.get_context("spawn")
    best = None
    for _ in range(repeat):
        queue = context.Queue()
        process = context.Process(target=target, args=(*args, queue))
        process.start()
        outcome = queue.get()
        process.join()
        best = outcome if best is None or outcome[0] < best[0] else best
    return best


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000, 10_000], help="generated model sizes")
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    builder = _load_builder()
    with tempfile.TemporaryDirectory(prefix="bimcarbon-bench-") as tmp:
        models = [("office_m.ifc", REPO / "sample_models" / "office_m.ifc")]
        for size in args.sizes:
            path = Path(tmp) / f"generated_{size}.ifc"
            builder.build_large_model(path, size, False)
            models.append((f"generated {size} (no quantities)", path))
        print(f"{'model':<34} {'elements':>8} {'assess s':>9} {'cached s':>9} {'ifc5d s':>8} {'iter s':>7} "
              f"{'assess/ifc5d':>12} {'cached/assess':>13} {'el/s':>7} {'MiB a/c/5d/it':>16}")  # fmt: skip
        for label, path in models:
            ids = _element_ids(path)
            cache = str(Path(tmp) / f"cache-{path.stem}")
            a, a_mib = _best(_assess, (str(path), None), args.repeat)
            c, c_mib = _best(_assess, (str(path), cache), args.repeat)
            q, q_mib = _best(_ifc5d, (str(path), ids), args.repeat)
            it, it_mib = _best(_iterator, (str(path), ids), args.repeat)
            memory = f"{a_mib:.0f}/{c_mib:.0f}/{q_mib:.0f}/{it_mib:.0f}"
            print(
                f"{label:<34} {len(ids):>8} {a:>9.2f} {c:>9.3f} {q:>8.2f} {it:>7.2f} {a / q:>12.2f} "
                f"{c / a:>13.3f} {len(ids) / a:>7.0f} {memory:>16}",
                flush=True,
            )


if __name__ == "__main__":
    main()
