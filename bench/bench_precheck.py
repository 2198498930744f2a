"""Cost of the LCA-ready pre-check (ifctester on factors/ids/lca-ready.ids) against the take-off.

For each model, in one process per model (best of ``--repeat``): reading it, the pre-check on the open
model, and the take-off (``--geometry auto``, the sampled quantity check), and the pre-check's share of
the three. Loading the shipped IDS is timed once, cold (the IDS 1.0 XSD built and the file validated) and
from the cache of its validated content (what every assessment after the first pays).

Run from the repository root::

    python bench/bench_precheck.py                          # samples + a generated 10,000-element model
    python bench/bench_precheck.py --elements 2000 --repeat 1
"""

from __future__ import annotations

import argparse
import importlib.util
import multiprocessing
import os
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SAMPLES = Path(os.environ.get("BIMCARBON_IFC_SAMPLES", REPO.parent / "shared" / "ifc-samples"))


def _load_ids(cached: bool, queue) -> None:
    if not cached:
        os.environ["BIMCARBON_CACHE_DIR"] = tempfile.mkdtemp(prefix="bimcarbon-bench-cache-")
    import ifcopenshell.util.element  # noqa: F401 - imported by every assessment anyway

    start = time.perf_counter()
    from bimcarbon.ifc.ids_check import load_ids

    imported = time.perf_counter()
    load_ids()
    queue.put((imported - start, time.perf_counter() - imported))


def _measure(path: str, queue) -> None:
    from bimcarbon.ifc import read_model
    from bimcarbon.ifc.ids_check import load_ids, run_precheck
    from bimcarbon.takeoff import take_off

    load_ids()
    start = time.perf_counter()
    model = read_model(path)
    read = time.perf_counter()
    check = run_precheck(model)
    checked = time.perf_counter()
    take_off(model)
    done = time.perf_counter()
    met = f"{len(check.met)}/{len(check.considered)}"
    elements = len(model.ifc.by_type("IfcElement"))
    queue.put((read - start, checked - read, done - checked, met, elements))


def _in_child(target, *args):
    queue = multiprocessing.get_context("fork").Queue()
    process = multiprocessing.get_context("fork").Process(target=target, args=(*args, queue))
    process.start()
    result = queue.get(timeout=900)
    process.join()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--elements", type=int, default=10_000, help="size of the generated model")
    parser.add_argument("--repeat", type=int, default=3, help="runs per model (the best is kept)")
    args = parser.parse_args()

    cold = _in_child(_load_ids, False)
    warm = _in_child(_load_ids, True)
    _in_child(_load_ids, True)  # the cache is written by the first cached run when it was missing
    warm = _in_child(_load_ids, True)
    print(f"import ifctester + bimcarbon.ifc.ids_check: {cold[0]:.2f} s")
    print(f"load the shipped IDS: {cold[1]:.2f} s cold (XSD built, file validated), {warm[1]:.2f} s cached")
    models = [REPO / "sample_models" / "office_m.ifc", REPO / "sample_models" / "office_ifc2x3.ifc"]
    models += sorted(p for p in SAMPLES.glob("*.ifc*") if p.name != "fail-invalid-entity.ifc")
    with tempfile.TemporaryDirectory(prefix="bimcarbon-bench-") as tmp:
        spec = importlib.util.spec_from_file_location(
            "build_samples", REPO / "sample_models/build_samples.py"
        )
        builder = importlib.util.module_from_spec(spec)
        sys.modules["build_samples"] = builder
        spec.loader.exec_module(builder)
        for with_quantities in (True, False):
            path = Path(tmp) / f"generated-{args.elements}-{'qto' if with_quantities else 'noqto'}.ifc"
            builder.build_large_model(path, args.elements, with_quantities)
            models.append(path)
        print(
            f"\n{'model':<58} {'elements':>8} {'read s':>7} {'check s':>8} {'takeoff s':>9} "
            f"{'check %':>7} met"
        )
        for path in models:
            runs = [_in_child(_measure, str(path)) for _ in range(args.repeat)]
            read, check, takeoff, met, elements = min(runs, key=lambda r: r[1])
            share = check / (read + check + takeoff)
            print(
                f"{path.name[:58]:<58} {elements:>8,} {read:>7.3f} {check:>8.3f} {takeoff:>9.3f} "
                f"{share:>7.1%} {met}",
                flush=True,
            )


if __name__ == "__main__":
    main()
