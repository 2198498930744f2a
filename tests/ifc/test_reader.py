"""Bad input gives one clear error naming the file; good input in any container opens."""

from __future__ import annotations

import zipfile

import pytest
from builders import small_building
from conftest import sample

from bimcarbon.errors import ModelContentError, ModelReadError
from bimcarbon.ifc import read_model


def _error(path) -> str:
    with pytest.raises((ModelReadError, ModelContentError)) as info:
        read_model(path)
    message = str(info.value)
    assert message.startswith(str(path)), message
    assert "\n" not in message
    return message


def test_a_missing_file_is_named_as_not_found(tmp_path):
    assert "not found" in _error(tmp_path / "nope.ifc")


def test_an_empty_file_is_reported_empty(tmp_path):
    path = tmp_path / "empty.ifc"
    path.write_bytes(b"")
    assert "empty" in _error(path)


def test_a_text_file_is_not_an_ifc(tmp_path):
    path = tmp_path / "notes.ifc"
    path.write_text("these are my notes\n")
    assert "not an IFC file" in _error(path)


def test_ifcxml_is_refused_with_a_hint(tmp_path):
    path = tmp_path / "model.ifc"
    path.write_text('<?xml version="1.0"?><ifcXML/>')
    assert "ifcXML" in _error(path)


def test_a_truncated_file_is_reported_truncated(tmp_path):
    whole = small_building(tmp_path / "whole.ifc").read_bytes()
    path = tmp_path / "cut.ifc"
    path.write_bytes(whole[: len(whole) // 2])
    assert "truncated" in _error(path)


def test_an_unknown_schema_is_named(tmp_path):
    text = small_building(tmp_path / "whole.ifc").read_text()
    path = tmp_path / "future.ifc"
    path.write_text(text.replace("FILE_SCHEMA(('IFC4'))", "FILE_SCHEMA(('IFC9'))"))
    message = _error(path)
    assert "unsupported schema" in message and "IFC9" in message


def test_an_unreadable_zip_is_reported(tmp_path):
    path = tmp_path / "broken.ifczip"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 40)
    assert "zip" in _error(path)


def test_a_zip_without_an_ifc_inside_is_reported(tmp_path):
    path = tmp_path / "other.ifczip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "hello")
    assert "no .ifc file" in _error(path)


def test_an_ifczip_opens_like_the_ifc_inside_it(tmp_path):
    ifc_path = small_building(tmp_path / "building.ifc")
    zip_path = tmp_path / "building.ifczip"
    with zipfile.ZipFile(zip_path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.write(ifc_path, "building.ifc")
    plain, zipped = read_model(ifc_path), read_model(zip_path)
    assert zipped.schema == plain.schema == "IFC4"
    assert len(zipped.ifc.by_type("IfcElement")) == len(plain.ifc.by_type("IfcElement")) == 3


def test_an_ifc4_file_using_an_ifc4x3_entity_is_explained():
    path = sample("fail-invalid-entity.ifc")
    message = _error(path)
    assert "IFCBUILTELEMENT" in message and "IFC4" in message
    assert "no IfcProject" in message
