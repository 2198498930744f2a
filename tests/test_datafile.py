"""The cache of parsed YAML data files: never stale, never in the way, only for shipped files."""

from __future__ import annotations

import marshal
import os
from pathlib import Path

import pytest

from bimcarbon import datafile
from bimcarbon.datafile import cache_file, read_yaml_mapping
from bimcarbon.errors import FactorFileError


@pytest.fixture
def shipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder treated as bimcarbon's shipped data, and a cache folder of the test's own."""
    folder = tmp_path / "shipped"
    folder.mkdir()
    monkeypatch.setattr(datafile, "BUNDLED_DATA", (folder,))
    monkeypatch.setenv("BIMCARBON_CACHE_DIR", str(tmp_path / "cache"))
    return folder


def test_values_are_read_from_the_cache_once_parsed(shipped: Path):
    path = shipped / "factors.yaml"
    path.write_text("value: 1.5\n", encoding="utf-8")
    assert read_yaml_mapping(path) == {"value": 1.5}
    entry = cache_file(path, path.read_bytes())
    assert entry is not None and entry.exists()
    entry.write_bytes(marshal.dumps({"value": "planted"}))  # proves the next read uses the cache
    assert read_yaml_mapping(path) == {"value": "planted"}


def test_an_edited_file_is_read_again_not_served_from_the_cache(shipped: Path):
    path = shipped / "factors.yaml"
    path.write_text("value: 1.5\n", encoding="utf-8")
    read_yaml_mapping(path)
    path.write_text("value: 2.5\n", encoding="utf-8")
    assert read_yaml_mapping(path) == {"value": 2.5}


def test_a_corrupt_cache_entry_is_ignored_and_replaced(shipped: Path):
    path = shipped / "rules.yaml"
    path.write_text("rules: [a, b]\n", encoding="utf-8")
    read_yaml_mapping(path)
    entry = cache_file(path, path.read_bytes())
    entry.write_bytes(b"\x00not marshal")
    assert read_yaml_mapping(path) == {"rules": ["a", "b"]}
    assert marshal.loads(entry.read_bytes()) == {"rules": ["a", "b"]}


def test_a_users_own_files_are_not_cached(tmp_path: Path, shipped: Path):
    path = tmp_path / "my_mapping.yaml"
    path.write_text("rules: []\n", encoding="utf-8")
    assert cache_file(path, path.read_bytes()) is None
    assert read_yaml_mapping(path) == {"rules": []}
    assert not (tmp_path / "cache").exists()


def test_a_cache_folder_that_cannot_be_made_only_costs_time(tmp_path: Path, shipped: Path, monkeypatch):
    blocker = tmp_path / "blocker"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("BIMCARBON_CACHE_DIR", str(blocker / "inside a file"))
    path = shipped / "f.yaml"
    path.write_text("a: 1\n", encoding="utf-8")
    assert read_yaml_mapping(path) == {"a": 1}


def test_no_home_folder_only_costs_time(shipped: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv("BIMCARBON_CACHE_DIR")
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)

    def no_home() -> Path:
        raise RuntimeError("Could not determine home directory.")

    monkeypatch.setattr(Path, "home", staticmethod(no_home))
    path = shipped / "f.yaml"
    path.write_text("a: 1\n", encoding="utf-8")
    assert read_yaml_mapping(path) == {"a": 1}


def test_values_marshal_cannot_hold_are_parsed_every_time(shipped: Path):
    path = shipped / "dates.yaml"
    path.write_text("published: 2019-04-01\n", encoding="utf-8")
    assert str(read_yaml_mapping(path)["published"]) == "2019-04-01"
    assert not cache_file(path, path.read_bytes()).exists()
    assert not list((shipped.parent / "cache" / "data").glob("*.tmp"))  # no temporary file left


def test_bad_yaml_is_still_one_error_naming_the_file(shipped: Path):
    path = shipped / "broken.yaml"
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


def test_the_shipped_factor_files_are_cached(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from bimcarbon.factors import factors_dir

    monkeypatch.setenv("BIMCARBON_CACHE_DIR", str(tmp_path))
    path = factors_dir() / "gbt51366_2019_appendix_d.yaml"
    assert cache_file(path, path.read_bytes()) is not None
    assert os.fspath(tmp_path) in os.fspath(cache_file(path, path.read_bytes()))
