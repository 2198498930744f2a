"""``*`` (the derived-value marker) on attributes that are not derived is read as unset, once warned.

Some exporters write ``IFCDOOR('...',#5,*,*,*,#101,#102,*,2500.,1000.)``: ifcopenshell parses it, but
its geometry engine fails on every such element ("Requested type <string> does not match actual type
<derived> at index 2"). ``*`` where the schema does derive the attribute (``IfcSIUnit.Dimensions``,
``IfcOrientedEdge.EdgeStart``) is left alone.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import ifcopenshell
import pytest
from conftest import REPO
from typer.testing import CliRunner

from bimcarbon.cli import app
from bimcarbon.ifc import read_model
from bimcarbon.ifc.repair import find_misplaced_markers, star_arguments

OFFICE = REPO / "sample_models" / "office_m.ifc"
SENTINEL = "@@derived-marker@@"
#: Attributes of IfcWall, IfcSlab, IfcBeam and IfcWindow (IFC4) an exporter wrote as *.
STARRED = ("Name", "Description", "ObjectType", "Tag")
STARRED_CLASSES = ("IfcWall", "IfcSlab", "IfcBeam", "IfcWindow")

runner = CliRunner()


def _office_with_stars(path: Path) -> Path:
    """office_m.ifc with * in Name, Description, ObjectType and Tag of its walls, slabs, beams and
    window (10 + 3 + 3 + 1 = 17 elements, 68 attributes)."""
    model = ifcopenshell.open(str(OFFICE))
    for ifc_class in STARRED_CLASSES:
        for element in model.by_type(ifc_class):
            for name in STARRED:
                setattr(element, name, SENTINEL)
    model.write(str(path))
    text = path.read_text()
    assert text.count(f"'{SENTINEL}'") == 68
    path.write_text(text.replace(f"'{SENTINEL}'", "*"))
    return path


def _flags_of(schema: str):
    declarations = ifcopenshell.schema_by_name(schema)

    def flags(ifc_type: str):
        try:
            return tuple(declarations.declaration_by_name(ifc_type).derived())
        except RuntimeError:
            return None

    return flags


def _takeoff_json(model: Path, out: Path) -> dict:
    result = runner.invoke(app, ["takeoff", str(model), "--geometry", "always", "-o", str(out)])
    assert result.exit_code == 0, result.output
    return json.loads(out.read_text())


def _volumes_by_element(doc: dict) -> dict[str, float]:
    volumes: dict[str, float] = {}
    for row in doc["rows"]:
        volumes[row["global_id"]] = volumes.get(row["global_id"], 0.0) + (row["volume_m3"] or 0.0)
    return volumes


def test_stars_on_names_and_tags_are_read_as_unset_and_the_geometry_is_measured(tmp_path):
    starred = _office_with_stars(tmp_path / "starred.ifc")
    clean = _takeoff_json(OFFICE, tmp_path / "clean.json")
    repaired = _takeoff_json(starred, tmp_path / "starred.json")

    volumes = _volumes_by_element(repaired)
    assert volumes == pytest.approx(_volumes_by_element(clean), rel=1e-9)
    by_name = {row["global_id"]: row["element_name"] for row in clean["rows"]}
    measured = {by_name[g]: v for g, v in volumes.items()}
    assert measured["Ground floor slab"] == pytest.approx(16.0)  # 10 x 8 x 0.2 m
    # 10 m x 3 m wall, 0.32 m thick, less the 1.5 x 1.2 m window: (30 - 1.8) x 0.32 = 9.024 m3
    assert measured["Ground floor external wall S"] == pytest.approx(9.024)
    assert measured["Glulam beam"] == pytest.approx(0.4)  # 0.2 x 0.4 m x 5 m
    assert measured["Window W1"] == pytest.approx(0.144)  # 1.5 x 1.2 x 0.08 m
    assert all(row["quantity_source"].startswith("geometry") for row in repaired["rows"])
    starred_rows = [row for row in repaired["rows"] if row["ifc_class"] in STARRED_CLASSES]
    assert len(starred_rows) == 3 * 8 + 2 + 3 + 3 + 2  # layered walls, block walls, slabs, beams, window
    assert all(row["element_name"] is None for row in starred_rows)  # * read as unset, not as text

    [warning] = [w for w in repaired["warnings"] if "written as *" in w]
    assert warning.startswith("68 attribute(s) of 17 entities were written as *")
    assert "(Name, Description, ObjectType, Tag)" in warning
    assert "and 14 more" in warning  # three examples named by GlobalId
    first_slab = ifcopenshell.open(str(OFFICE)).by_type("IfcSlab")[0]
    assert first_slab.GlobalId in warning
    assert clean["warnings"] == []


def test_the_star_of_a_derived_attribute_is_left_alone_and_warns_nothing():
    model = read_model(OFFICE)
    assert model.warnings == []
    metre = model.ifc.by_type("IfcSIUnit")[0]
    assert metre.to_string().startswith(f"#{metre.id()}=IFCSIUNIT(*,")  # Dimensions still derived
    assert metre.Dimensions.LengthExponent == 1
    assert find_misplaced_markers(OFFICE, _flags_of("IFC4")) == []


def test_an_ifczip_is_repaired_like_the_ifc_inside_it(tmp_path):
    starred = _office_with_stars(tmp_path / "starred.ifc")
    archive_path = tmp_path / "starred.ifczip"
    with zipfile.ZipFile(archive_path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.write(starred, "starred.ifc")
    plain, zipped = read_model(starred), read_model(archive_path)
    assert zipped.warnings == plain.warnings
    assert zipped.warnings[0].startswith("68 attribute(s) of 17 entities")
    wall = zipped.ifc.by_type("IfcWall")[0]
    assert "*" not in wall.to_string()


def test_only_non_derived_positions_are_found_wherever_the_instance_is_written(tmp_path):
    path = tmp_path / "odd.ifc"
    path.write_text(
        "ISO-10303-21;\nHEADER;\nFILE_SCHEMA(('IFC4'));\nENDSEC;\nDATA;\n"
        "#1=IFCSIUNIT(*,.LENGTHUNIT.,$,.METRE.);\n"
        "#2=IFCORIENTEDEDGE(*,*,#9,.T.);\n"
        "#3=IFCWALL('a,*,b',$,'it''s, *',*,\n  *,$,$,*,$);\n"  # over two lines, * in strings
        "#4=IFCDOOR('d',$,*,$,$,$,$,$,2500.,1000.,$,$,$);#5=IFCBEAM('e',$,$,/* * */*,$,$,$,$,$);\n"
        "#6=IFCWINDOW('w',$,'x;*,y',*,$,$,$,$,$,$,$,$,$);\n"  # a ; inside a string
        "#7=IFCDIRECTION((1.,0.,0.));\n"
        "ENDSEC;\nEND-ISO-10303-21;\n"
    )
    found = {(m.step_id, m.ifc_type): m.positions for m in find_misplaced_markers(path, _flags_of("IFC4"))}
    assert found == {
        (3, "IFCWALL"): (3, 4, 7),
        (4, "IFCDOOR"): (2,),
        (5, "IFCBEAM"): (3,),
        (6, "IFCWINDOW"): (3,),
    }


@pytest.mark.parametrize(
    ("text", "stars"),
    [
        (b"X(*,*,#1,.T.);", [0, 1]),
        (b"X('a,*,b',*,$,(1,*),'it''s *',/* *, */ *);", [1, 5]),
        (b"X(IFCLABEL('*'),*);", [1]),
        (b"X(#1,((2),(3,*)),*, * );", [2, 3]),
        (b"X('no * here');", []),
    ],
)
def test_star_arguments_counts_only_top_level_stars_outside_strings(text, stars):
    found, close = star_arguments(text, 1)
    assert found == stars
    assert text[close : close + 2] == b");"


def test_an_argument_list_left_open_is_not_read():
    assert star_arguments(b"X('open,*,", 1) == ([], -1)
