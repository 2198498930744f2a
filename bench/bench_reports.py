"""How the report writers' cost grows with model size: the compliance workbook and the JSON.

For generated models of ``--sizes`` elements, in one process per size: assess once (take-off cache
warmed first, not timed), then time writing the workbook (``.xlsx``, both languages' layout is the
same) and the assessment JSON, and print microseconds per element and their ratio to the smallest
size. A writer whose time per element grows with size (reading rows back from a sheet, say) shows
here as a ratio well above 1.

    python bench/bench_reports.py --sizes 1000 10000 100000
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


def _writers(path: str, folder: str, queue) -> None:
    from bimcarbon.assess import assess
    from bimcarbon.report.workbook import write_workbook

    run = assess(path, cache_dir=folder)
    start = time.perf_counter()
    write_workbook(run, run.library, Path(folder) / "report.xlsx", "en")
    xlsx = time.perf_counter() - start
    start = time.perf_counter()
    (Path(folder) / "report.json").write_text(run.assessment.model_dump_json(indent=1), encoding="utf-8")
    json_s = time.perf_counter() - start
    rows = len(run.components)
    queue.put((xlsx, json_s, rows, peak_mib()))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000, 10_000, 100_000])
    args = parser.parse_args()
    builder = _load_builder()
    print(
        f"{'elements':>8} {'xlsx rows':>9} {'xlsx s':>7} {'json s':>7} {'xlsx us/el':>10} {'scale':>6} "
        f"{'MiB':>6}"
    )
    smallest = None
    with tempfile.TemporaryDirectory(prefix="bimcarbon-bench-") as tmp:
        for size in sorted(args.sizes):
            path = Path(tmp) / f"generated_{size}.ifc"
            builder.build_large_model(path, size, False)
            xlsx, json_s, rows, mib = _best(_writers, (str(path), tmp), 1)
            per_element = xlsx / size * 1e6
            smallest = smallest or per_element
            print(
                f"{size:>8} {rows:>9} {xlsx:>7.2f} {json_s:>7.3f} {per_element:>10.0f} "
                f"{per_element / smallest:>6.2f} {mib:>6.0f}",
                flush=True,
            )
            path.unlink()


if __name__ == "__main__":
    main()
