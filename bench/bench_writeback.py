"""Cost of writing the results back into the IFC (assess --ifc-out [--ifc-heatmap]) against the assessment.

For each model, in one fresh process (best of ``--repeat``): the assessment (no cache), then
``write_results`` without and with the heatmap, each into a temporary file of the model's own suffix
(``.ifczip`` stays zipped). It prints the times, their ratio to the assessment in the same run, the
microseconds per element written, the written file's size against the input's, and the process's
peak memory. Models: the largest public samples (``ROOT-houten kozijnen.ifczip``, 9.3 MB of IFC
unzipped; ``AC20-FZK-Haus.ifc``, 2.6 MB), when present, and generated models of ``--sizes`` elements.

    python bench/bench_writeback.py                  # samples + a generated 10,000-element model
    python bench/bench_writeback.py --sizes 1000 10000
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))

from bench_takeoff import _load_builder, peak_mib  # noqa: E402
from bench_vs_ifc5d import _best  # noqa: E402

SAMPLES = Path(os.environ.get("BIMCARBON_IFC_SAMPLES", REPO.parent / "shared" / "ifc-samples"))
SAMPLE_NAMES = ("ROOT-houten kozijnen.ifczip", "AC20-FZK-Haus.ifc")


def _measure(path: str, folder: str, queue) -> None:
    from bimcarbon.assess import assess
    from bimcarbon.exchange.heatmap import load_heatmap
    from bimcarbon.ifc.writeback import write_results

    start = time.perf_counter()
    run = assess(path)
    assess_s = time.perf_counter() - start
    suffix = Path(path).suffix
    times = []
    for heatmap in (None, load_heatmap()):
        out = Path(folder) / f"written{'-heatmap' if heatmap else ''}{suffix}"
        start = time.perf_counter()
        write_results(path, run.assessment, out, heatmap)
        times.append(time.perf_counter() - start)
    size = (Path(folder) / f"written-heatmap{suffix}").stat().st_size
    queue.put((assess_s, times[0], times[1], len(run.assessment.elements), size, peak_mib()))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="*", default=[10_000])
    parser.add_argument("--repeat", type=int, default=1, help="runs per model (best is kept)")
    args = parser.parse_args()
    print(
        f"{'model':<30} {'elements':>8} {'assess s':>8} {'write s':>7} {'ratio':>6} {'heatmap s':>9} "
        f"{'ratio':>6} {'us/el':>6} {'size x':>6} {'MiB':>5}"
    )
    with tempfile.TemporaryDirectory(prefix="bimcarbon-bench-") as tmp:
        models = [(name, SAMPLES / name) for name in SAMPLE_NAMES if (SAMPLES / name).exists()]
        builder = _load_builder()
        for size in args.sizes:
            path = Path(tmp) / f"generated_{size}.ifc"
            builder.build_large_model(path, size, False)
            models.append((f"generated {size:,}", path))
        for label, path in models:
            assess_s, write_s, heat_s, elements, size, mib = _best(_measure, (str(path), tmp), args.repeat)
            print(
                f"{label[:30]:<30} {elements:>8,} {assess_s:>8.2f} {write_s:>7.2f} "
                f"{write_s / assess_s:>6.2f} "
                f"{heat_s:>9.2f} {heat_s / assess_s:>6.2f} {heat_s / elements * 1e6:>6.0f} "
                f"{size / path.stat().st_size:>6.1f} {mib:>5.0f}",
                flush=True,
            )


if __name__ == "__main__":
    main()
