"""How the report writers' cost grows with model size: the compliance workbook, the JSON and the
per-element results (``Assessment.elements``), next to the assessment that precedes them.

For generated models of ``--sizes`` elements (no exported quantities: every element through the geometry
engine, as in most real models), in one process per size: assess once (timed: the take-off and
everything up to the outputs), then time, best of ``--repeat`` in the same process, writing the workbook
(``.xlsx``; both languages' layout is the same), the assessment JSON (``model_dump_json``) and building
the per-element results from the assessment's tables (``element_results``). Times are CPU seconds of the
process (single-threaded work: a busy machine slows wall time, not this), reported in microseconds per
element, with each writer's growth factor from the smallest size to the largest: a writer whose time per
element grows with size (a per-row lookup that scans, a row loop of pandas) shows here as a factor well
above 1. Verdict: linear when within 1.5x.

    python bench/bench_reports.py --sizes 1000 10000 50000

Measured on a busy 2-core machine (issue 18), CPU us per element at 1,000 / 10,000 / 50,000 elements
(growth from the smallest to the largest):

=================  ============================  ============================
writer             before (7655896)              after
=================  ============================  ============================
workbook           710 / 860 / 781 (1.10x)       541 / 783 / 701 (1.30x)
JSON               7 / 8 / 8 (1.16x)             7 / 10 / 11 (1.45x)
element results    72 / 62 / 65 (0.90x)          56 / 55 / 56 (0.99x)
=================  ============================  ============================

Every writer was linear before (no per-row lookup that scans); the changes cut constant work per row.
The JSON's code did not change: its spread is the machine's (7.5 / 6.4 / 9.0 in a quieter rerun).
Instructions per element writing the workbook (callgrind, deterministic) at 1,000 / 10,000 elements:
3.64 M / 3.52 M before, 3.23 M / 3.16 M after (-11 %, and flat: the CPU times' growth is the machine's);
what is left is XlsxWriter's own work per cell (about 40 cells per element). Assess, for scale: 2.7 /
20.5 / 94.8 s CPU (the take-off with geometry, in this process), so the workbook is about 40 % of it on
generated models; on real samples (duplex.ifc) about 10 %. Element results are timed with their own
row status, which the assessment now shares with the coverage.

At the end of issue 18 (7ef6f75; the Elements rows streamed as XML text since session 27), two runs on
a quieter machine, CPU us per element at 1,000 / 10,000 / 50,000 elements:

=================  ============================  ============================
writer             run 1                         run 2
=================  ============================  ============================
workbook           321 / 176 / 155 (0.48x)       347 / 159 / 215 (0.62x)
JSON               10 / 8 / 10 (0.97x)           9 / 5 / 9 (1.02x)
element results    68 / 44 / 48 (0.71x)          70 / 30 / 45 (0.65x)
=================  ============================  ============================

Assess took 1.2 / 4.0-5.8 / 20.9-28.0 s CPU (94.8 s at 50,000 in the busy run above), so the
workbook is about a third of it on these generated models, whose beams and columns skip the geometry
engine; on the public samples it is 0.1-0.2 s of a 1-2 s command. Peak memory at 50,000 elements:
1,653 MiB.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))

from bench_takeoff import _load_builder, peak_mib  # noqa: E402
from bench_vs_ifc5d import _best  # noqa: E402

WRITERS = ("workbook", "json", "elements")
GROWTH_LIMIT = 1.5


def _least(action, repeat: int) -> float:
    """The least CPU seconds of ``repeat`` calls of ``action()``."""
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        action()
        best = min(best, time.process_time() - start)
    return best


def _writers(path: str, folder: str, repeat: int, queue) -> None:
    from bimcarbon.assess import assess
    from bimcarbon.element_results import element_results
    from bimcarbon.report.workbook import write_workbook

    start = time.process_time()
    run = assess(path, cache_dir=folder)
    assess_s = time.process_time() - start
    target = Path(folder) / "report.xlsx"
    times = {
        "workbook": _least(lambda: write_workbook(run, run.library, target, "en"), repeat),
        "json": _least(lambda: run.assessment.model_dump_json(indent=1), repeat),
        "elements": _least(lambda: element_results(run.parts, run.components), repeat),
    }
    queue.put((assess_s, times, len(run.components), peak_mib()))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000, 10_000, 50_000])
    parser.add_argument("--repeat", type=int, default=3, help="Timings of each writer (least of).")
    args = parser.parse_args()
    builder = _load_builder()
    print("CPU seconds, one process per size; us/el: microseconds per element; assess: take-off and all")
    print(
        f"{'elements':>8} {'rows':>7} {'assess s':>9} {'workbook s':>10} {'us/el':>6} {'json s':>7} "
        f"{'us/el':>6} {'elements s':>10} {'us/el':>6} {'MiB':>6}"
    )
    per_element: dict[str, list[float]] = {w: [] for w in WRITERS}
    sizes = sorted(args.sizes)
    with tempfile.TemporaryDirectory(prefix="bimcarbon-bench-") as tmp:
        for size in sizes:
            path = Path(tmp) / f"generated_{size}.ifc"
            builder.build_large_model(path, size, False)
            assess_s, times, rows, mib = _best(_writers, (str(path), tmp, args.repeat), 1)
            cells = []
            for writer in WRITERS:
                us = times[writer] / size * 1e6
                per_element[writer].append(us)
                cells.append(f"{times[writer]:>{10 if writer != 'json' else 7}.3f} {us:>6.0f}")
            print(f"{size:>8} {rows:>7} {assess_s:>9.2f} " + " ".join(cells) + f" {mib:>6.0f}", flush=True)
            path.unlink()
    if len(sizes) > 1:
        span = f"{sizes[0]:,} to {sizes[-1]:,} elements"
        print(f"growth of us/element from {span} (linear: within {GROWTH_LIMIT}x):")
        for writer in WRITERS:
            growth = per_element[writer][-1] / per_element[writer][0]
            verdict = "linear" if growth <= GROWTH_LIMIT else "GROWS"
            print(f"  {writer:<9} {growth:5.2f}x  {verdict}")


if __name__ == "__main__":
    main()
