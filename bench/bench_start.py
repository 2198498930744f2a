"""How fast the command line starts: ``--version``, ``--help`` and ``assess --help``.

Each command runs as a fresh process, best of ``--repeat`` wall times, next to ``python -c pass`` timed in
the same rounds: the interpreter's own start is the floor no change to bimcarbon can go below. The
issue's target is 0.3 s for ``--version`` and ``--help``. Also times ``import bimcarbon.assess`` (what
every assessment pays before its first element) the same way.

By default the installed ``bimcarbon`` script beside this Python runs. ``--trees DIR [DIR ...]`` times
source trees instead (each as ``python -m bimcarbon`` with ``PYTHONPATH=DIR``; e.g. a ``git archive`` of
an older commit beside this one), round by round in turn, so that a busy machine slows each alike.

The children run with bytecode caching on (``PYTHONDONTWRITEBYTECODE`` removed from their environment)
after one untimed warm-up run each, as an installed package runs (pip compiles it at install): with
caching off every start compiles bimcarbon's modules again (about 15 ms for cli.py alone).

    python bench/bench_start.py --repeat 7
    git archive HEAD~3 bimcarbon factors | tar -x -C /tmp/before
    python bench/bench_start.py --trees /tmp/before . --repeat 7

Issue 18, a busy 2-core machine, best of 10 rounds, python -c pass 0.052 s (wall s, x python -c pass):

=========================  ===============  ===============
command                    before 7655896   after
=========================  ===============  ===============
bimcarbon --version        1.052 (20.3x)    0.178 (3.4x)
bimcarbon --help           0.992 (19.2x)    0.175 (3.4x)
bimcarbon assess --help    1.185 (22.9x)    0.326 (6.3x)
import bimcarbon.assess    1.085 (21.0x)    1.056 (20.4x)
=========================  ===============  ===============

What is left at start (-X importtime): typer about 50 ms, rich.console 30 ms, quantity_check 9 ms;
assess --help also loads pydantic (about 0.1 s) through typer 0.29's coercion of its own unset --help
flag. import bimcarbon.assess is the same (2.71 G -> 2.69 G instructions, callgrind): pandas,
ifcopenshell and numpy are most of it; building its 78 pydantic models is about 10 % (0.27 G).
Deferring their build (``defer_build``) saves that at import but a whole assess builds 44 of them
anyway and paid the same (5.350 G -> 5.342 G instructions on office_m.ifc), so they are built as before.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

#: Where the children run: not a source tree, whose bimcarbon/ would come first on sys.path.
NEUTRAL = Path(tempfile.gettempdir())

COMMANDS = [
    ("bimcarbon --version", ["--version"]),
    ("bimcarbon --help", ["--help"]),
    ("bimcarbon assess --help", ["assess", "--help"]),
]
TARGET_S = {"bimcarbon --version": 0.3, "bimcarbon --help": 0.3}


def _runs(tree: Path | None) -> list[tuple[str, list[str], dict[str, str]]]:
    """(label, argv, environment) of each timed command for one tree (None: the installed script)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    if tree is None:
        cli = [str(Path(sys.executable).parent / "bimcarbon")]
    else:
        env["PYTHONPATH"] = str(tree.resolve())
        cli = [sys.executable, "-m", "bimcarbon"]
    runs = [(label, cli + args, env) for label, args in COMMANDS]
    runs.append(("import bimcarbon.assess", [sys.executable, "-c", "import bimcarbon.assess"], env))
    return runs


def _time(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU (user + system) seconds of one run of ``argv``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, cwd=NEUTRAL, env=env)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeat", type=int, default=5, help="Rounds of fresh processes (best of).")
    parser.add_argument("--trees", type=Path, nargs="*", help="Source trees to time instead of the install.")
    args = parser.parse_args()
    trees = args.trees or [None]
    floor_run = ("python -c pass", [sys.executable, "-c", "pass"], dict(os.environ))
    plan = [(None, floor_run)] + [(tree, run) for tree in trees for run in _runs(tree)]
    for _, (_, argv, env) in plan:  # warm-up: bytecode written, files in the page cache
        subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, cwd=NEUTRAL, env=env)
    best: dict[tuple, float] = {}
    cpu: dict[tuple, float] = {}
    for _ in range(args.repeat):
        for tree, (label, argv, env) in plan:
            key = (tree, label)
            wall, used = _time(argv, env)
            best[key] = min(best.get(key, float("inf")), wall)
            cpu[key] = min(cpu.get(key, float("inf")), used)
    floor = best[(None, "python -c pass")]
    names = ["installed" if tree is None else str(tree) for tree in trees]
    print(
        f"best of {args.repeat} rounds of fresh processes; python -c pass: {floor:.3f} s wall, "
        f"{cpu[(None, 'python -c pass')]:.3f} s CPU"
    )
    print(
        f"{'what':<26}"
        + "".join(f" {name[-28:]:>28}" for name in names)
        + "   (wall s, x python -c pass, CPU s)"
    )
    for label, _, _ in _runs(trees[0]):
        cells = []
        for tree in trees:
            seconds = best[(tree, label)]
            cells.append(f"{seconds:.3f} ({seconds / floor:4.1f}x) {cpu[(tree, label)]:.3f}")
        target = TARGET_S.get(label)
        verdict = ""
        if target is not None:
            last = best[(trees[-1], label)]
            verdict = f"   target {target} s: {'met' if last <= target else 'MISSED'}"
        print(f"{label:<26}" + "".join(f" {cell:>28}" for cell in cells) + verdict)


if __name__ == "__main__":
    main()
