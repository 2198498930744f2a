"""Shared fixtures: the public sample models in ../shared/ifc-samples and small built models."""

from __future__ import annotations

import atexit
import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

# parsed data files are cached per user (bimcarbon.datafile); tests use a cache of their own
_CACHE = tempfile.mkdtemp(prefix="bimcarbon-test-cache-")
os.environ["BIMCARBON_CACHE_DIR"] = _CACHE
atexit.register(shutil.rmtree, _CACHE, ignore_errors=True)

#: Folder of the public IFC samples; override with BIMCARBON_IFC_SAMPLES.
SAMPLES = Path(os.environ.get("BIMCARBON_IFC_SAMPLES", REPO.parent / "shared" / "ifc-samples"))


def sample(name: str) -> Path:
    """Path of a public sample model, or skip the test with the reason."""
    path = SAMPLES / name
    if not path.exists():
        pytest.skip(f"public sample {name} not found in {SAMPLES} (set BIMCARBON_IFC_SAMPLES)")
    return path


def all_samples() -> list[Path]:
    """Every .ifc file in the samples folder (empty when the folder is absent)."""
    return sorted(SAMPLES.glob("*.ifc")) if SAMPLES.is_dir() else []
