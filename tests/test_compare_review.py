"""What a comparison must never present as the design's change: a moved element reported unchanged, a
schema's own differences (IFC2X3 against IFC4) reported as changes, deltas between assessments made with
other inputs or counting other material without a word, one file compared with itself."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bimcarbon.assess import assess
from bimcarbon.cli import app
from bimcarbon.compare import compare_assessments
from bimcarbon.compare.pairing import pair_elements
from bimcarbon.report.workbook.compare_messages_zh import ENGLISH, line_zh

SAMPLES = Path(__file__).resolve().parent.parent / "sample_models"
OFFICE, ENERGY = SAMPLES / "office_m.ifc", SAMPLES / "office_m.energy.yaml"


@pytest.fixture(scope="module")
def office() -> dict:
    return assess(OFFICE, ENERGY).assessment.model_dump(mode="json")


def _named(assessment: dict, name: str) -> dict:
    return next(e for e in assessment["elements"] if e["element_name"] == name)


def test_an_element_moved_further_than_the_tolerance_is_changed_by_position(office):
    b = copy.deepcopy(office)
    column = _named(b, "Steel column SC1")
    x, y, z = column["position_m"]
    column["position_m"] = [x + 1.0, y, z]  # moved 1 m along x, its GlobalId kept
    c = compare_assessments(office, b)
    moved = next(e for e in c.elements if e.element_name == "Steel column SC1")
    assert moved.change == "changed" and moved.distance_m == pytest.approx(1.0)
    assert [(x.what, x.field) for x in moved.changes] == [("position", "position_m")]
    assert moved.changes[0].variant == pytest.approx([x + 1.0, y, z])
    assert moved.delta_embodied_kgco2e == 0  # moving it changes no kgCO2e
    assert c.pairing.changed == 1 and c.pairing.unchanged == 22
    # 0.01 m is within the 0.05 m tolerance: rounding of two exports, not a move
    column["position_m"] = [x + 0.01, y, z]
    assert compare_assessments(office, b).pairing.changed == 0


def test_the_same_office_exported_to_ifc2x3_changes_only_the_window_the_schema_splits_otherwise():
    a = assess(OFFICE, ENERGY).assessment
    b = assess(SAMPLES / "office_ifc2x3.ifc", ENERGY).assessment
    c = compare_assessments(a, b)
    # IfcWall / IfcWallStandardCase and the predefined types IFC2X3 has not for walls, beams, columns and
    # windows are the schema's, not the design's
    changed = [e for e in c.elements if e.change != "unchanged"]
    assert [e.element_name for e in changed] == ["Window W1"]
    window = changed[0]
    # IFC2X3 has no constituent fractions: the frame and glass share the window's volume equally
    assert [x.what for x in window.changes] == ["quantity", "quantity source"]
    assert window.changes[1].base == ["geometry*constituent:fraction"]
    assert window.changes[1].variant == ["geometry*equal_split"]
    schema = next(r for r in c.inputs if r.what == "schema")
    assert (schema.base, schema.variant, schema.changed) == ("IFC4", "IFC2X3", True)
    assert any(
        w.startswith("the two assessments were made with different inputs (schema)") for w in c.warnings
    )


def test_a_standard_case_wall_pairs_by_position_with_its_ifc4_wall():
    base = [{"global_id": "a", "ifc_class": "IfcWallStandardCase", "type_name": "T", "storey": "1",
             "position_m": [0, 0, 0]}]  # fmt: skip
    variant = [{"global_id": "x", "ifc_class": "IfcWall", "type_name": "T", "storey": "1",
                "position_m": [0, 0, 0]}]  # fmt: skip
    pairs = pair_elements(base, variant, 0.05).pairs
    assert [(p.base, p.variant, p.paired_by) for p in pairs] == [(0, 0, "position")]


def test_inputs_that_differ_beyond_the_model_are_a_warning_naming_them(office):
    b = copy.deepcopy(office)
    b["tool_version"] = "9.9.9"
    b["factor_sets"] = [*b["factor_sets"], "my-factors"]
    b["parameters"]["mappings"] = ["mine.yaml"]
    b["floor_area"]["source"] = "energy file"
    c = compare_assessments(office, b)
    line = next(w for w in c.warnings if w.startswith("the two assessments were made with different inputs"))
    assert "(floor area source; option: mappings; tool; factor sets)" in line
    assert "not from the design" in line
    # the same inputs: no such line
    assert not [w for w in compare_assessments(office, office).warnings if "different inputs" in w]


def test_an_incomplete_total_and_assumed_material_on_a_side_are_said(office):
    b = copy.deepcopy(office)
    cover = b["coverage"]
    cover.update(completeness_met=False, mass_share_mapped=0.6, mass_share_assumed=0.1, elements_assumed=7)
    c = compare_assessments(office, b)
    assert (
        "variant: the embodied total is incomplete (70.0% of the mass counted, 95% needed): each module "
        "leaves material out, and a delta may be material counted on one side only"
    ) in c.warnings
    assert (
        "variant: 10.0% of the mass is counted by an assumption (7 elements): their deltas compare "
        "bimcarbon's assumed materials, not materials the model names"
    ) in c.warnings
    assert not [w for w in c.warnings if w.startswith("base:")]  # the office counts 96.9 %, none assumed


def test_a_changed_element_whose_material_is_left_out_is_said(office):
    b = copy.deepcopy(office)
    block = _named(b, "Unclassified block")  # left out: no factor for its material
    assert block["status"] == "left out" and block["a1_a3_kgco2e"] is None
    block["volume_m3"] *= 2  # twice the material, and no delta shows it
    c = compare_assessments(office, b)
    change = next(e for e in c.elements if e.element_name == "Unclassified block")
    assert change.change == "changed" and change.delta_embodied_kgco2e is None
    assert any(
        w.startswith("1 element(s) that changed, were added or removed have material left out")
        and block["global_id"] in w
        for w in c.warnings
    )


def test_two_buildings_with_no_element_in_common_are_said(office):
    b = copy.deepcopy(office)
    for i, element in enumerate(b["elements"]):
        element["global_id"] = f"other{i}"
        element["position_m"] = [p + 100.0 for p in element["position_m"]] if element["position_m"] else None
    c = compare_assessments(office, b)
    assert c.pairing.added == c.pairing.removed == 23
    assert any(w.startswith("no element of the base was paired with one of the variant") for w in c.warnings)


def test_every_new_warning_reads_in_chinese(office):
    b = copy.deepcopy(office)
    b["tool_version"] = "9.9.9"
    b["parameters"]["mappings"] = ["mine.yaml"]
    b["coverage"].update(completeness_met=False, mass_share_assumed=0.1, elements_assumed=7)
    _named(b, "Unclassified block")["volume_m3"] *= 2
    c = compare_assessments(office, b)
    assert len(c.warnings) == 4
    for line in c.warnings:
        assert not line_zh(line).startswith(ENGLISH), line
    inputs = line_zh(c.warnings[0])
    assert "选项:映射文件" in inputs and "bimcarbon 版本" in inputs


def test_one_file_as_both_sides_is_one_line_and_exit_code_2(tmp_path):
    runner = CliRunner()
    result = runner.invoke(app, ["compare", str(OFFICE), str(OFFICE)])
    assert result.exit_code == 2, result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert lines == [
        f"error: {OFFICE}: is both the base and the variant: nothing would differ (a model compared with "
        "itself needs --variant-energy)"
    ]


def test_pairing_by_position_is_linear_in_the_elements_of_one_class_type_and_storey():
    # 20,000 studs of one type on one storey, 0.6 m apart, every GlobalId regenerated: each stud's
    # candidates are the few within 0.05 m, found through cells of that size (all 20,000 x 20,000
    # distances took 24 s and 0.9 GB before)
    import time

    def studs(prefix: str) -> list[dict]:
        return [
            {"global_id": f"{prefix}{i}", "ifc_class": "IfcMember", "type_name": "Stud 45x95", "storey": "L1",
             "position_m": [i % 200 * 0.6, i // 200 * 0.6, 0.0], "element_name": "Stud", "volume_m3": 0.01}
            for i in range(20_000)
        ]  # fmt: skip

    start = time.perf_counter()
    pairing = pair_elements(studs("a"), studs("b"), 0.05)
    assert time.perf_counter() - start < 10.0
    assert pairing.count("position") == 20_000
    assert all(p.base == p.variant and p.distance_m == 0 and not p.candidates for p in pairing.pairs)


def test_names_from_the_model_are_printed_as_written_never_as_markup(office):
    import io

    from rich.console import Console

    from bimcarbon.report.compare import print_comparison

    b = copy.deepcopy(office)
    window = _named(b, "Window W1")
    window["element_name"] = "Window [/b] [red]W1"  # '[/b]' closed no tag: the console crashed
    window["a1_a3_kgco2e"] += 1.0
    b["warnings"] = ["IMPLAUSIBLE (12x the range): material [bold]X[/bold]"]
    out = io.StringIO()
    print_comparison(Console(file=out, width=300, color_system=None), compare_assessments(office, b))
    text = out.getvalue()
    assert "Window [/b] [red]W1" in text
    assert "variant: IMPLAUSIBLE (12x the range): material [bold]X[/bold]" in text
