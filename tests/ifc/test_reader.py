"""Bad input gives one clear error naming the file; good input in any container opens, and an IFC4X3
header ifcopenshell does not know is read as IFC4X3_ADD2."""

from __future__ import annotations

import tempfile
import zipfile
from pathlib import Path

import ifcopenshell
import pandas as pd
import pytest
from builders import small_building
from conftest import sample
from typer.testing import CliRunner

from bimcarbon.cli import app
from bimcarbon.errors import ModelContentError, ModelReadError
from bimcarbon.file_hash import file_sha256
from bimcarbon.ifc import read_model
from bimcarbon.ifc.header import header_schema
from bimcarbon.takeoff import take_off


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


@pytest.mark.parametrize("schema", ["IFC5", "IFC2X2", "IFC4X4"])
def test_an_unknown_schema_error_names_the_schema_found_and_those_read(tmp_path, schema):
    text = small_building(tmp_path / "whole.ifc").read_text()
    path = tmp_path / "other.ifc"
    path.write_text(text.replace("FILE_SCHEMA(('IFC4'))", f"FILE_SCHEMA(('{schema}'))"))
    message = _error(path)
    found, _, supported = message.partition(";")
    assert found.endswith(f"unsupported schema '{schema}'")
    assert "bimcarbon reads IFC2X3, IFC4 and IFC4X3_ADD2" in supported
    assert schema not in supported  # never says it reads what it just refused
    assert "Unsupported schema:" not in message  # ifcopenshell's own text is not repeated


def _ifc4x3_header(clean: Path, path: Path, schema: str) -> Path:
    """A copy of an IFC4X3_ADD2 file whose header names ``schema`` (what Revit 2023 and others write)."""
    text = clean.read_bytes()
    assert text.count(b"FILE_SCHEMA(('IFC4X3_ADD2'))") == 1
    path.write_bytes(text.replace(b"FILE_SCHEMA(('IFC4X3_ADD2'))", f"FILE_SCHEMA(('{schema}'))".encode()))
    return path


IFC4X3_HEADERS = ["IFC4X3", "ifc4x3", "IFC4X3_ADD1", "IFC4X3_TC1", "IFC4X3_RC4"]


@pytest.mark.parametrize("schema", IFC4X3_HEADERS)
def test_an_ifc4x3_header_ifcopenshell_does_not_know_is_read_as_ifc4x3_add2(tmp_path, schema):
    clean = small_building(tmp_path / "add2.ifc", schema="IFC4X3")
    renamed = _ifc4x3_header(clean, tmp_path / "revit2023.ifc", schema)
    model = read_model(renamed)
    assert model.schema == "IFC4X3_ADD2"
    assert model.warnings == [f"the header names schema {schema}, which was read as IFC4X3_ADD2"]
    assert renamed.read_bytes().count(f"FILE_SCHEMA(('{schema}'))".encode()) == 1  # file untouched
    assert model.sha256 == file_sha256(renamed)  # the person's file, not the copy, is hashed
    expected, got = take_off(read_model(clean)), take_off(model)
    pd.testing.assert_frame_equal(got.table, expected.table)
    # W1 9.6 m3 (exported) + S1 10 x 8 x 0.2 = 16 m3 (geometry) + B1 0.00753 m2 x 4 m = 0.03012 m3
    assert got.table["volume_m3"].sum() == pytest.approx(9.6 + 16.0 + 0.03012)


ADDENDA = [
    ("IFC4", "IFC4_ADD2", "IFC4"),
    ("IFC4", "IFC4_ADD2_TC1", "IFC4"),
    ("IFC2X3", "IFC2X3_TC1", "IFC2X3"),
]


@pytest.mark.parametrize(("schema", "written", "read_as"), ADDENDA)
def test_an_addendum_or_corrigendum_name_in_the_header_is_read_as_its_schema(
    tmp_path, schema, written, read_as
):
    clean = small_building(tmp_path / "clean.ifc", schema=schema)
    text = clean.read_bytes()
    renamed = tmp_path / "renamed.ifc"
    renamed.write_bytes(
        text.replace(f"FILE_SCHEMA(('{schema}'))".encode(), f"FILE_SCHEMA(('{written}'))".encode())
    )
    model = read_model(renamed)
    assert model.schema == read_as
    assert model.warnings == [f"the header names schema {written}, which was read as {read_as}"]
    pd.testing.assert_frame_equal(take_off(model).table, take_off(read_model(clean)).table)


def test_an_ifc4x3_header_inside_an_ifczip_is_read_as_ifc4x3_add2(tmp_path):
    clean = small_building(tmp_path / "add2.ifc", schema="IFC4X3")
    renamed = _ifc4x3_header(clean, tmp_path / "revit2023.ifc", "IFC4X3")
    zip_path = tmp_path / "revit2023.ifczip"
    with zipfile.ZipFile(zip_path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.write(renamed, "revit2023.ifc")
    model = read_model(zip_path)
    assert model.schema == "IFC4X3_ADD2"
    assert model.warnings == ["the header names schema IFC4X3, which was read as IFC4X3_ADD2"]
    assert len(model.ifc.by_type("IfcElement")) == 3


def test_the_revit_ifc4x3_sample_with_an_ifc4x3_header_takes_off_like_the_original(tmp_path):
    original = sample("wall_door_columnt_rgb4x3.ifc")
    renamed = _ifc4x3_header(original, tmp_path / "revit2023.ifc", "IFC4X3")
    model = read_model(renamed)
    assert model.schema == "IFC4X3_ADD2"
    assert model.warnings[0] == "the header names schema IFC4X3, which was read as IFC4X3_ADD2"
    plain = read_model(original)
    assert model.warnings[1:] == plain.warnings
    expected, got = take_off(plain, geometry="always"), take_off(model, geometry="always")
    pd.testing.assert_frame_equal(got.table, expected.table)
    assert got.table["volume_m3"].notna().any()


def test_the_schema_is_looked_for_in_the_header_only():
    head = (
        b"ISO-10303-21;\nHEADER;\nFILE_DESCRIPTION(('x'),'2;1');\n"
        b"FILE_SCHEMA (( 'IFC4X3' ));\nENDSEC;\nDATA;\n#1=IFCLABEL('FILE_SCHEMA((''IFC4''))');\n"
    )
    found = header_schema(head)
    assert found is not None and found.name == "IFC4X3" and found.read_as == "IFC4X3_ADD2"
    assert head[found.start : found.end] == b"IFC4X3"
    assert header_schema(b"ISO-10303-21;\nHEADER;\nENDSEC;\nDATA;\nFILE_SCHEMA(('IFC4X3'));") is None
    assert header_schema(b"ISO-10303-21;\nHEADER;\nFILE_SCHEMA(('IFC4X3_ADD2'));").read_as is None


def test_the_takeoff_command_reads_an_ifc4x3_header_and_prints_the_warning(tmp_path):
    clean = small_building(tmp_path / "add2.ifc", schema="IFC4X3")
    renamed = _ifc4x3_header(clean, tmp_path / "revit2023.ifc", "IFC4X3")
    out = tmp_path / "takeoff.csv"
    result = CliRunner().invoke(app, ["takeoff", str(renamed), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "the header names schema IFC4X3, which was read as IFC4X3_ADD2" in result.output
    assert pd.read_csv(out)["volume_m3"].sum() == pytest.approx(9.6 + 16.0 + 0.03012)


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


def test_reading_leaves_nothing_in_the_temporary_folder_even_if_stopped_while_parsing(tmp_path, monkeypatch):
    """A reader stopped mid-parse (a cancelled web run, a refused energy file) is killed, so no
    cleanup of its own runs: the copy it reads (an .ifczip's model, a header read as another schema)
    must have no name in the temporary folder while it is parsed."""
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    clean = small_building(tmp_path / "add2.ifc", schema="IFC4X3")
    renamed = _ifc4x3_header(clean, tmp_path / "revit2023.ifc", "IFC4X3")
    zipped = tmp_path / "revit2023.ifczip"
    with zipfile.ZipFile(zipped, "w") as archive:
        archive.write(renamed, "revit2023.ifc")
    seen: list[list[str]] = []
    real_open = ifcopenshell.open

    def watched_open(path, *args, **kwargs):
        seen.append(sorted(p.name for p in scratch.rglob("*")))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(ifcopenshell, "open", watched_open)
    models = [read_model(p) for p in (clean, renamed, zipped)]
    assert [len(m.ifc.by_type("IfcElement")) for m in models] == [3, 3, 3]
    assert seen == [[], [], []]  # nothing named while parsing
    assert list(scratch.iterdir()) == []  # nor afterwards
