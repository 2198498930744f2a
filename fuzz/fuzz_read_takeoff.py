"""Fuzz the reading and take-off path with atheris (coverage-guided, mutates real IFC files).

Any exception other than a BimcarbonError (one clear line for a person) is a finding. Run for a
bounded time from the repository root:

    pip install atheris
    python fuzz/fuzz_read_takeoff.py fuzz/corpus -max_total_time=300 -rss_limit_mb=4096

``fuzz/corpus`` is seeded with small models from ``sample_models`` and ``tests`` (see make_corpus()).
"""

from __future__ import annotations

import contextlib
import shutil
import sys
import tempfile
from pathlib import Path

import atheris

with atheris.instrument_imports():
    from bimcarbon.errors import BimcarbonError
    from bimcarbon.ifc import read_model
    from bimcarbon.takeoff import take_off

REPO = Path(__file__).resolve().parent.parent
SCRATCH = Path(tempfile.mkdtemp(prefix="bimcarbon-fuzz-"))


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
