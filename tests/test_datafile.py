"""The cache of parsed YAML data files: never stale, never in the way."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bimcarbon import datafile
from bimcarbon.datafile import read_yaml_mapping
from bimcarbon.errors import FactorFileError


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("BIMCARBON_CACHE_DIR", str(folder))
    return folder


def test_an_edited_file_is_read_again_not_served_from_the_cache(tmp_path: Path, cache: Path):
    path = tmp_path / "factors.yaml"
    path.write_text("value: 1.5\n", encoding="utf-8")
    assert read_yaml_mapping(path) == {"value": 1.5}
    assert len(list((cache / "data").glob("*.pickle"))) == 1
    path.write_text("value: 2.5\n", encoding="utf-8")
    assert read_yaml_mapping(path) == {"value": 2.5}
    assert read_yaml_mapping(path) == {"value": 2.5}  # now from the cache


def test_a_corrupt_cache_entry_is_ignored_and_replaced(tmp_path: Path, cache: Path):
    path = tmp_path / "rules.yaml"
    path.write_text("rules: [a, b]\n", encoding="utf-8")
    read_yaml_mapping(path)
    (entry,) = (cache / "data").glob("*.pickle")
    entry.write_bytes(b"not a pickle")
    assert read_yaml_mapping(path) == {"rules": ["a", "b"]}
    assert entry.read_bytes() != b"not a pickle"


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_an_unwritable_cache_folder_only_costs_time(tmp_path: Path, cache: Path):
    cache.mkdir()
    cache.chmod(0o500)
    path = tmp_path / "f.yaml"
    path.write_text("a: 1\n", encoding="utf-8")
    try:
        assert read_yaml_mapping(path) == {"a": 1}
    finally:
        cache.chmod(0o700)


def test_a_cache_path_that_is_a_file_only_costs_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    blocker = tmp_path / "blocker"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("BIMCARBON_CACHE_DIR", str(blocker))
    path = tmp_path / "f.yaml"
    path.write_text("a: 1\n", encoding="utf-8")
    assert read_yaml_mapping(path) == {"a": 1}


def test_bad_yaml_is_still_one_error_naming_the_file(tmp_path: Path, cache: Path):
    path = tmp_path / "broken.yaml"
    path.write_text("a: [1, 2\n", encoding="utf-8")
    with pytest.raises(FactorFileError, match="broken.yaml.*not valid YAML"):
        read_yaml_mapping(path)
    path.write_bytes(b"a: \xff\xfe\n")
    with pytest.raises(FactorFileError, match="not valid YAML"):
        read_yaml_mapping(path)


def test_the_cache_folder_follows_xdg_when_not_set(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    monkeypatch.delenv("BIMCARBON_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert datafile.user_cache_dir() == tmp_path / "bimcarbon"
