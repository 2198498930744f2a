"""Fuzz the reading and take-off path with atheris (coverage-guided, mutates real IFC files).

Any exception other than a BimcarbonError (one clear line for a person) is a finding. Run for a
bounded time from the repository root:

    pip install atheris
    python fuzz/fuzz_read_takeoff.py fuzz/corpus -max_total_time=300 -rss_limit_mb=4096

``fuzz/corpus`` is seeded with small models from ``sample_models`` and ``tests`` (see make_corpus()).

ifcopenshell's C++ parser crashes the process on some malformed files (an upstream bug; the bimcarbon
commands contain it, see ``bimcarbon/isolation.py``). So that such inputs do not end every run within
seconds, each input is first opened in a forked child; inputs that crash it are counted, the first few
kept in ``fuzz/parser-crashes/``, and skipped, and the fuzzing of bimcarbon's own code goes on.
Set ``FUZZ_PARSER_CRASHES=stop`` to let them stop the run instead.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import signal
import sys
import tempfile
from pathlib import Path

import atheris
import ifcopenshell

with atheris.instrument_imports():
    from bimcarbon.errors import BimcarbonError
    from bimcarbon.ifc import read_model
    from bimcarbon.takeoff import take_off

REPO = Path(__file__).resolve().parent.parent
SCRATCH = Path(tempfile.mkdtemp(prefix="bimcarbon-fuzz-"))
CRASHES = REPO / "fuzz" / "parser-crashes"
KEEP_CRASHES = 20
parser_crashes = 0


def parser_survives(path: Path) -> bool:
    """Whether ifcopenshell.open returns on ``path`` (tried in a forked child that may crash)."""
    pid = os.fork()
    if pid == 0:
        # libFuzzer's crash handlers are inherited: without this, the child's crash ends the whole run
        for number in (signal.SIGSEGV, signal.SIGBUS, signal.SIGABRT, signal.SIGFPE, signal.SIGILL):
            signal.signal(number, signal.SIG_DFL)
        with contextlib.suppress(BaseException):
            ifcopenshell.open(str(path))
        os._exit(0)
    _, status = os.waitpid(pid, 0)
    return not os.WIFSIGNALED(status)


def keep_parser_crash(data: bytes) -> None:
    """Count an input that crashes the parser; keep the first few for the upstream report."""
    global parser_crashes
    parser_crashes += 1
    if parser_crashes <= KEEP_CRASHES:
        CRASHES.mkdir(exist_ok=True)
        (CRASHES / f"crash-{hashlib.sha1(data).hexdigest()}.ifc").write_bytes(data)
    if parser_crashes in (1, 10, 100, 1000, 10000):
        print(f"parser crashes so far: {parser_crashes} (inputs skipped)", file=sys.stderr, flush=True)


def make_corpus(folder: Path) -> None:
    """Seed the corpus with the small sample models."""
    folder.mkdir(parents=True, exist_ok=True)
    for path in (REPO / "sample_models").glob("office_m.ifc"):
        shutil.copy(path, folder / path.name)
    shared = REPO.parent / "shared" / "ifc-samples"
    for name in (
        "wall-standard-case.ifc",
        "IFC4_Wall_4_with_material.ifc",
        "beam-parametric-cross-section.ifc",
    ):
        if (shared / name).exists():
            shutil.copy(shared / name, folder / name)


def test_one_input(data: bytes) -> None:
    path = SCRATCH / "input.ifc"
    path.write_bytes(data)
    if os.environ.get("FUZZ_PARSER_CRASHES") != "stop" and not parser_survives(path):
        keep_parser_crash(data)
        return
    with contextlib.suppress(BimcarbonError):  # a clear one-line refusal is right for a broken file
        take_off(read_model(path), geometry="never")


def main() -> None:
    corpus = (
        Path(sys.argv[1])
        if len(sys.argv) > 1 and not sys.argv[1].startswith("-")
        else REPO / "fuzz" / "corpus"
    )
    if not any(corpus.glob("*")):
        make_corpus(corpus)
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
