"""The command line, end to end: what a person types and what they get back."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from builders import (
    add_layered_wall,
    add_mapped_windows,
    add_surface_model_ceiling,
    new_model,
    small_building,
)
from typer.testing import CliRunner

from bimcarbon import __version__
from bimcarbon.cli import app

runner = CliRunner()


def test_version_prints_the_package_version():
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert __version__ in result.stdout


def test_takeoff_to_csv_prints_a_summary_and_writes_the_table(tmp_path):
    model = small_building(tmp_path / "building.ifc")
    out = tmp_path / "takeoff.csv"
    result = runner.invoke(app, ["takeoff", str(model), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "3 taken off in 5 rows" in result.stdout
    assert "geometry" in result.stdout and "standard Qto set" in result.stdout
    table = pd.read_csv(out)
    assert len(table) == 5
    assert table["volume_m3"].sum() == pytest.approx(9.6 + 16.0 + 0.03012)


def test_takeoff_to_json_carries_provenance_units_and_every_row(tmp_path):
    model = small_building(tmp_path / "building.ifc")
    out = tmp_path / "takeoff.json"
    result = runner.invoke(app, ["takeoff", str(model), "-o", str(out), "--geometry", "never"])
    assert result.exit_code == 0, result.output
    doc = json.loads(out.read_text())
    assert doc["format"] == "bimcarbon.takeoff" and doc["format_version"] == 1
    assert doc["provenance"]["tool_version"] == __version__
    assert doc["provenance"]["parameters"]["geometry"] == "never"
    assert len(doc["rows"]) == 5
    slab = next(r for r in doc["rows"] if r["element_name"] == "S1")
    assert slab["volume_m3"] is None and "no_quantity" in slab["flags"]
    assert {u["unit_type"] for u in doc["units"]} >= {"LENGTHUNIT", "VOLUMEUNIT"}


def test_takeoff_to_xlsx_writes_text_from_the_model_as_text_never_as_a_formula(tmp_path):
    f, ctx = new_model("m")
    wall = add_layered_wall(f, ctx)
    wall.Name = '=HYPERLINK("http://example.invalid","click")'
    f.write(str(tmp_path / "evil.ifc"))
    out = tmp_path / "takeoff.xlsx"
    result = runner.invoke(app, ["takeoff", str(tmp_path / "evil.ifc"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(out)
    assert {"About", "Take-off", "Excluded", "Quantity checks", "Units"} <= set(book.sheetnames)
    sheet = book["Take-off"]
    header = [c.value for c in sheet[1]]
    cell = sheet.cell(row=2, column=header.index("element_name") + 1)
    assert cell.value == wall.Name
    assert cell.data_type == "s"


def test_bad_input_gives_one_line_naming_the_file_and_exit_code_2(tmp_path):
    path = tmp_path / "notes.ifc"
    path.write_text("not a model")
    result = runner.invoke(app, ["takeoff", str(path), "-o", str(tmp_path / "t.csv")])
    assert result.exit_code == 2
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1
    assert str(path) in lines[0] and "not an IFC file" in lines[0]
    assert "Traceback" not in result.output


def test_an_unknown_output_format_is_refused_before_any_work(tmp_path):
    model = small_building(tmp_path / "building.ifc")
    result = runner.invoke(app, ["takeoff", str(model), "-o", str(tmp_path / "t.txt")])
    assert result.exit_code == 2
    assert "unknown output format .txt" in result.stderr


def test_check_quantities_reports_the_comparison(tmp_path):
    model = small_building(tmp_path / "building.ifc")
    out = tmp_path / "t.json"
    result = runner.invoke(app, ["takeoff", str(model), "-o", str(out), "--check-quantities"])
    assert result.exit_code == 0, result.output
    assert "Quantity check: 1 exported volumes compared with geometry, 0 differ" in result.stdout
    checks = json.loads(out.read_text())["quantity_checks"]
    assert checks[0]["geometry_volume_m3"] == pytest.approx(9.6)


def _takeoff_json(tmp_path, f, *options: str) -> dict:
    model = tmp_path / "model.ifc"
    f.write(str(model))
    out = tmp_path / "takeoff.json"
    result = runner.invoke(app, ["takeoff", str(model), "-o", str(out), *options])
    assert result.exit_code == 0, result.output
    return json.loads(out.read_text())


@pytest.mark.parametrize("unit", ["m", "mm", "ft"])
def test_a_ceiling_whose_faces_are_wound_every_which_way_is_reoriented_to_its_true_volume(tmp_path, unit):
    # Revit writes ceilings as IfcFaceBasedSurfaceModel with some faces wound inward, and the engine
    # passes the winding through: read as wound, this one gave 25.5 m3 (0.67298 - 2 x (12.34 + 0.76)
    # from the top and +x faces, 2.75 m and 17.06 m from the origin). Reoriented it is its box.
    f, ctx = new_model(unit)
    add_surface_model_ceiling(f, ctx)
    doc = _takeoff_json(tmp_path, f, "--geometry", "always")
    (row,) = doc["rows"]
    assert row["volume_m3"] == pytest.approx(5.06 * 2.66 * 0.05)  # 0.67298
    assert row["quantity_source"] == "geometry"
    assert "mesh_reoriented" in row["flags"]


def test_windows_placed_from_one_type_each_take_off_the_types_volume_and_a_scaled_one_its_own(tmp_path):
    # 50 windows map the type's 1.0 x 0.1 x 1.5 m box (0.15 m3) unscaled; one maps it at Scale 2
    # (8 x 0.15 = 1.2 m3) and one stretched 2x along x (2 x 0.15 = 0.3 m3): 50 x 0.15 + 1.2 + 0.3 = 9.0 m3
    f, ctx = new_model("m")
    add_mapped_windows(f, ctx, 50, ("scale2", "stretch"))
    rows = _takeoff_json(tmp_path, f)["rows"]
    volumes = {row["element_name"]: row["volume_m3"] for row in rows}
    assert [volumes[f"Window {i}"] for i in range(50)] == pytest.approx([0.15] * 50)
    assert volumes["Window 50"] == pytest.approx(1.2) and volumes["Window 51"] == pytest.approx(0.3)
    assert sum(volumes.values()) == pytest.approx(9.0)
    assert {row["quantity_source"] for row in rows} == {"geometry"}


def test_a_mesh_enclosing_more_than_its_box_falls_back_to_area_times_thickness_with_a_warning(tmp_path):
    f, ctx = new_model("m")
    ceiling = add_surface_model_ceiling(f, ctx, wrong_way=(), copies=2, with_layer=True)
    doc = _takeoff_json(tmp_path, f, "--geometry", "always")
    (row,) = doc["rows"]
    assert row["volume_m3"] == pytest.approx(13.4596 * 0.05)  # NetArea 5.06 x 2.66 x 0.05 m layer
    assert row["quantity_source"] == "layer:area*thickness"
    assert row["flags"] == ["geometry_exceeds_bbox"]
    (warning,) = [w for w in doc["warnings"] if ceiling.GlobalId in w]
    # the same closed shell twice: 2 x 0.67298 in a 0.67298 m3 box
    assert "encloses 1.346 m3, more than its bounding box (5.060x2.660x0.050 m = 0.673 m3)" in warning
    assert "its volume comes from layer:area*thickness instead" in warning


def test_a_mesh_that_cannot_be_wound_consistently_has_no_geometry_volume_and_says_so(tmp_path):
    f, ctx = new_model("m")
    # the box's faces twice in one face set, two of them wound inward: every edge is in four triangles,
    # so nothing ties a face to the right neighbours
    ceiling = add_surface_model_ceiling(f, ctx, copies=2, one_face_set=True)
    doc = _takeoff_json(tmp_path, f, "--geometry", "always")
    (row,) = doc["rows"]
    assert row["volume_m3"] is None
    assert "mesh_unorientable" in row["flags"] and "no_quantity" in row["flags"]
    (warning,) = [w for w in doc["warnings"] if ceiling.GlobalId in w]
    assert "cannot be wound consistently" in warning and "kept without a volume" in warning


def test_assess_can_turn_the_quantity_check_off_and_records_the_check_used(tmp_path):
    model = small_building(tmp_path / "building.ifc")
    for mode in ("sample", "off"):
        out = tmp_path / f"{mode}.json"
        result = runner.invoke(app, ["assess", str(model), "--quantity-check", mode, "--json", str(out)])
        assert result.exit_code == 0, result.output
        assert json.loads(out.read_text())["parameters"]["quantity_check"] == mode
    assert "1 exported volumes were not checked" in " ".join(json.loads(out.read_text())["warnings"])


def test_the_full_check_and_no_check_cannot_be_asked_for_together(tmp_path):
    model = small_building(tmp_path / "building.ifc")
    result = runner.invoke(app, ["takeoff", str(model), "--check-quantities", "--quantity-check", "off"])
    assert result.exit_code == 2
    assert "error: --check-quantities (the full check) cannot go with --quantity-check off" in result.stderr


@pytest.mark.parametrize("option, name", [("--json", "result.json"), ("-o", "report.xlsx")])
def test_an_output_under_a_file_is_one_line_before_the_model_is_assessed(tmp_path, option, name):
    # before: the whole assessment ran, then "cannot write" (or an internal error) at the very end
    not_a_folder = tmp_path / "afile"
    not_a_folder.write_text("")
    target = not_a_folder / name
    office = Path(__file__).resolve().parent.parent / "sample_models" / "office_m.ifc"
    result = runner.invoke(app, ["assess", str(office), option, str(target)])
    assert result.exit_code == 2
    assert result.stderr.strip().endswith(f"{not_a_folder} is a file, not a folder")
    assert len(result.stderr.strip().splitlines()) == 1 and "Embodied" not in result.stdout


def test_assess_leaves_the_garbage_collector_as_it_found_it(tmp_path):
    # the command pauses Python's collector while it imports its pipeline and freezes what the imports
    # made (bimcarbon.cli._collector_paused); a program running commands in process (this one, a
    # notebook) must get its collector back on, with nothing frozen, whether the command succeeded or not
    import gc

    model = small_building(tmp_path / "building.ifc")
    bad_energy = tmp_path / "energy.yaml"
    bad_energy.write_text("annual: [not, a, mapping]\n", encoding="utf-8")
    assert gc.isenabled()
    for extra, code in (([], 0), (["--energy", str(bad_energy)], 2)):
        result = runner.invoke(app, ["assess", str(model), "--json", str(tmp_path / "a.json"), *extra])
        assert result.exit_code == code, result.output
        assert (gc.isenabled(), gc.get_freeze_count()) == (True, 0)


def test_the_collector_comes_back_when_the_command_fails_before_its_imports_are_done():
    import gc

    from bimcarbon.cli import _collector_paused

    with pytest.raises(KeyboardInterrupt), _collector_paused():
        raise KeyboardInterrupt  # Ctrl-C while importing: imports_done never called
    assert (gc.isenabled(), gc.get_freeze_count()) == (True, 0)


def test_a_caller_that_froze_objects_keeps_them_frozen_and_no_more():
    import gc

    from bimcarbon.cli import _collector_paused

    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        with _collector_paused() as imports_done:
            assert not gc.isenabled()
            imports_done()
            made_after = [[]]  # tracked, made once the imports are done
            assert gc.isenabled() and gc.get_freeze_count() == frozen
        assert (gc.isenabled(), gc.get_freeze_count()) == (True, frozen)
        assert gc.is_tracked(made_after)
    finally:
        gc.unfreeze()
