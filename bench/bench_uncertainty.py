"""What the Monte Carlo (``assess --uncertainty N``) costs beside the deterministic assessment.

For a generated model of ``--elements`` elements (take-off cache warmed first, not timed), in a fresh
process: the deterministic re-assessment from the cached take-off (matching, modules, operational,
criteria, the break-even: the baseline), then ``--samples`` samples of the Monte Carlo on its result,
and their ratio; peak memory of the process. Two cases:

* ``generated``: the model as built (a few materials: few inputs and groups);
* ``scrambled``: the same components, but every element given its own material with a density from
  the model, so that every component has its own density input: as many inputs and groups as
  components, the worst case for the grouping.

    python bench/bench_uncertainty.py --elements 10000 --samples 10000
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


def _scramble(run) -> None:
    """Give every element its own material and a model density (as a model with many materials)."""
    components = run.components
    weighed = components["density_source"].notna()
    components.loc[weighed, "material"] = [f"material {i}" for i in range(int(weighed.sum()))]
    components.loc[weighed, "density_source"] = "Pset_MaterialCommon.MassDensity"


def _measure(path: str, folder: str, samples: int, scrambled: bool, queue) -> None:
    from bimcarbon.assess import assess
    from bimcarbon.uncertainty.inputs import build_inputs
    from bimcarbon.uncertainty.run import assess_uncertainty
    from bimcarbon.uncertainty.spreads import load_spreads

    energy = REPO / "sample_models" / "office_m.energy.yaml"
    start = time.perf_counter()
    run = assess(path, energy, cache_dir=folder)
    deterministic = time.perf_counter() - start
    if scrambled:
        _scramble(run)
    inputs = build_inputs(
        run.components, run.parts, run.library, run.lifecycle, load_spreads(), run.energy, True
    )
    start = time.perf_counter()
    result = assess_uncertainty(run, samples)
    monte_carlo = time.perf_counter() - start
    low = result.percentiles["embodied_total"]
    queue.put(
        (
            monte_carlo,
            deterministic,
            len(run.components),
            len(inputs.inputs),
            len(inputs.groups),
            peak_mib(),
            low.p5 / low.deterministic,
            low.p95 / low.deterministic,
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--elements", type=int, default=10_000)
    parser.add_argument("--samples", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    builder = _load_builder()
    with tempfile.TemporaryDirectory(prefix="bimcarbon-bench-") as tmp:
        path = Path(tmp) / f"generated_{args.elements}.ifc"
        builder.build_large_model(path, args.elements, False)
        from bimcarbon.assess import assess

        assess(path, cache_dir=tmp)  # warm the take-off cache
        print(
            f"{'case':>9} {'elements':>8} {'components':>10} {'inputs':>6} {'groups':>6} {'samples':>7} "
            f"{'assess s':>8} {'MC s':>6} {'MC/assess':>9} {'MiB':>6} {'P5/det':>6} {'P95/det':>7}"
        )
        for scrambled in (False, True):
            mc, det, components, inputs, groups, mib, p5, p95 = _best(
                _measure, (str(path), tmp, args.samples, scrambled), args.repeat
            )
            print(
                f"{'scrambled' if scrambled else 'generated':>9} {args.elements:>8,} {components:>10,} "
                f"{inputs:>6,} {groups:>6,} {args.samples:>7,} {det:>8.2f} {mc:>6.2f} {mc / det:>9.2f} "
                f"{mib:>6.0f} {p5:>6.3f} {p95:>7.3f}"
            )


if __name__ == "__main__":
    main()
