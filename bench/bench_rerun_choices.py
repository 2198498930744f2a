"""How a re-run's cost grows with its number of choices: checking them against the run's materials
and writing the mapping they make (the web app's re-run, before any assessment).

For ``--sizes`` choices (each a material the run has, each given a factor, on top of a mapping that
already holds as many earlier choices), time ``rerun.check_choices`` and ``rerun.mapping_with`` plus the
YAML the run folder gets, and print microseconds per choice and their ratio to the smallest size. Linear
work shows a ratio near 1; the quadratic mapping this replaced (issue 14: 10,000 choices 11.7 s,
20,000 choices 62 s) showed a ratio near the ratio of sizes. The largest size the app accepts is
``rerun.MAX_CHOICES``.

    python bench/bench_rerun_choices.py --sizes 200 2000
"""

from __future__ import annotations

import argparse
import time

import yaml

from bimcarbon.web import rerun


def _rerun_work(count: int) -> None:
    names = [f"Material {i}" for i in range(count)]
    earlier = rerun.mapping_with(None, [rerun.Choice(n, "concrete_c30") for n in names])
    choices = [rerun.Choice(n, "concrete_c50") for n in names]
    rerun.check_choices(choices, set(names))
    document = rerun.mapping_with(earlier, choices)
    yaml.dump(document, Dumper=rerun._DUMPER, allow_unicode=True, sort_keys=False)


def _timed(count: int) -> float:
    start = time.perf_counter()
    _rerun_work(count)
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[200, rerun.MAX_CHOICES])
    parser.add_argument("--repeat", type=int, default=3, help="best of this many timings per size")
    args = parser.parse_args(argv)
    if max(args.sizes) > rerun.MAX_CHOICES:
        parser.error(f"sizes above {rerun.MAX_CHOICES} (rerun.MAX_CHOICES) are refused by the app")
    rerun.library()  # loaded once, outside the timings
    first = None
    print(f"{'choices':>8} {'seconds':>9} {'us/choice':>10} {'ratio':>6}")
    for size in args.sizes:
        seconds = min(_timed(size) for _ in range(args.repeat))
        per = 1e6 * seconds / size
        first = first or per
        print(f"{size:>8} {seconds:>9.3f} {per:>10.1f} {per / first:>6.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
