"""A metal element implausibly solid is flagged and named loudly; ordinary metal is not.

The fault comes from the public wall_door_columnt_rgb4x3.ifc (Revit, IFC4X3): its "Metal Clad Column"
is a 0.6 m square, 3 m column whose only material is "Aluminum", assessed as 1.11 m3 of solid aluminium,
99 % of the model's A1-A3. The synthetic models below reproduce it; figures on paper:

* box column 0.6 x 0.6 x 3 m: V = 1.08 m3, surface S = 4 x 0.6 x 3 + 2 x 0.36 = 7.92 m2,
  thickness 2V/S = 2.16 / 7.92 = 0.2727 m > 0.15 m; as aluminium 1.08 x 2,700 = 2,916 kg;
* jumbo I-section h 0.5, b 0.45, tw 0.08, tf 0.13 m: A = 2 x 0.45 x 0.13 + (0.5 - 0.26) x 0.08 = 0.1362 m2,
  perimeter 2 x 0.45 + 4 x 0.13 + 2 x (0.45 - 0.08) + 2 x (0.5 - 0.26) = 2.64 m; over 4 m
  V = 0.5448 m3, S = 2.64 x 4 + 2 x 0.1362 = 10.8324 m2, 2V/S = 0.1006 m < 0.15 m;
* plate 10 x 3 x 0.04 m: V = 1.2 m3 (more than the 1 m3 judged by volume alone), S = 2 x 30 + 2 x 13 x 0.04
  = 61.04 m2, 2V/S = 0.0393 m.
"""

from __future__ import annotations

import json

import ifcopenshell
import pandas as pd
import pytest
from builders import add_extruded, new_model
from conftest import sample
from typer.testing import CliRunner

from bimcarbon.assess import assess
from bimcarbon.cli import app
from bimcarbon.element_plausibility import (
    SOLID_METAL_FLAG,
    metal_factor_ids,
    solid_metal_elements,
    solid_metal_findings,
)
from bimcarbon.factors import load_library
from bimcarbon.plausibility import load_ranges
from bimcarbon.report.workbook.labels import LABELS
from bimcarbon.report.workbook.messages_zh import finding_zh

runner = CliRunner()
CHECKS = load_ranges().element_checks
ALUMINIUM_KGCO2E_PER_T = load_library().get("aluminium_sheet").value_kgco2e_per_unit


def _rectangle(f: ifcopenshell.file, x_m: float, y_m: float):
    return f.create_entity("IfcRectangleProfileDef", ProfileType="AREA", XDim=x_m, YDim=y_m)


def _jumbo(f: ifcopenshell.file):
    return f.create_entity(
        "IfcIShapeProfileDef",
        ProfileType="AREA",
        OverallWidth=0.45,
        OverallDepth=0.5,
        WebThickness=0.08,
        FlangeThickness=0.13,
    )


def _model(tmp_path, column_quantities=None, column_class="IfcColumn"):
    """A 0.6 m aluminium box column, a jumbo steel I-section column and a 40 mm steel plate."""
    f, ctx = new_model("m")
    column = add_extruded(
        f, ctx, column_class, "Metal Clad Column", "Aluminum", _rectangle(f, 0.6, 0.6), 3.0, column_quantities
    )
    jumbo = add_extruded(f, ctx, "IfcColumn", "HD jumbo", "Steel S355", _jumbo(f), 4.0)
    plate = add_extruded(f, ctx, "IfcPlate", "Plate 40", "Steel S355", _rectangle(f, 10.0, 3.0), 0.04)
    path = tmp_path / "metal.ifc"
    f.write(str(path))
    return path, {"column": column.GlobalId, "jumbo": jumbo.GlobalId, "plate": plate.GlobalId}


def _flagged(run) -> dict[str, list[str]]:
    return {e.global_id: e.flags for e in run.assessment.elements}


def test_a_solid_aluminium_box_column_measured_by_geometry_is_flagged_and_ordinary_steel_is_not(tmp_path):
    path, ids = _model(tmp_path)
    run = assess(path)
    flags = _flagged(run)
    assert SOLID_METAL_FLAG in flags[ids["column"]]
    assert SOLID_METAL_FLAG not in flags[ids["jumbo"]] and SOLID_METAL_FLAG not in flags[ids["plate"]]
    [finding] = [f for f in run.assessment.plausibility.findings if f.global_id]
    assert finding.global_id == ids["column"] and finding.metric == "metal_thickness_m"
    assert finding.value == pytest.approx(2 * 1.08 / 7.92, rel=1e-6)  # 0.2727 m
    column = next(e for e in run.assessment.elements if e.global_id == ids["column"])
    assert column.mass_kg == pytest.approx(1.08 * 2700)  # 2,916 kg
    assert column.a1_a3_kgco2e == pytest.approx(2.916 * ALUMINIUM_KGCO2E_PER_T)
    # the figures are not changed: warned, flagged, never guessed
    assert column.volume_m3 == pytest.approx(1.08)


def test_the_thickness_of_ordinary_metal_stays_below_the_limit(tmp_path):
    path, ids = _model(tmp_path)
    run = assess(path)
    everything = CHECKS.model_copy(
        update={"solid_metal": [r.model_copy(update={"high": -1.0}) for r in CHECKS.solid_metal]}
    )
    figures = {
        s.global_id: s.value
        for s in solid_metal_elements(
            run.parts, run.components, metal_factor_ids(run.library, CHECKS), everything
        )
    }
    assert figures[ids["jumbo"]] == pytest.approx(2 * 0.5448 / 10.8324, rel=1e-6)  # 0.1006 m
    assert figures[ids["plate"]] == pytest.approx(2 * 1.2 / 61.04, rel=1e-6)  # 0.0393 m


def test_the_column_is_flagged_from_exported_quantities_alone(tmp_path):
    # Revit's sets: the volume and the whole surface exported; the quantity check off, so nothing is measured
    quantities = {
        "Qto_ColumnBaseQuantities": {"NetVolume": 1.08},
        "Qto_BodyGeometryValidation": {"NetSurfaceArea": 7.92},
    }
    path, ids = _model(tmp_path, quantities)
    run = assess(path, quantity_check="off")
    rows = run.parts[run.parts["global_id"] == ids["column"]]
    assert rows["surface_area_source"].tolist() == ["Qto_BodyGeometryValidation.NetSurfaceArea"]
    assert rows["quantity_source"].tolist() == ["Qto_ColumnBaseQuantities.NetVolume"]
    [finding] = [f for f in run.assessment.plausibility.findings if f.global_id]
    assert finding.global_id == ids["column"] and finding.value == pytest.approx(0.2727, abs=1e-4)


@pytest.mark.parametrize(
    ("ifc_class", "quantities", "metric", "value"),
    [
        # a column's length is its extrusion's depth: 1.08 m3 / 3 m = 0.36 m2 > 0.2 m2
        ("IfcColumn", {"Qto_ColumnBaseQuantities": {"NetVolume": 1.08}}, "metal_cross_section_m2", 0.36),
        # a proxy has no length: 1.08 m3 > 1 m3
        (
            "IfcBuildingElementProxy",
            {"Qto_BuildingElementProxyQuantities": {"NetVolume": 1.08}},
            "metal_volume_m3",
            1.08,
        ),
    ],
)
def test_without_a_surface_area_the_column_is_judged_by_its_cross_section_else_its_volume(
    tmp_path, ifc_class, quantities, metric, value
):
    path, ids = _model(tmp_path, quantities, ifc_class)
    run = assess(path, quantity_check="off")
    [finding] = [f for f in run.assessment.plausibility.findings if f.global_id]
    assert (finding.global_id, finding.metric) == (ids["column"], metric)
    assert finding.value == pytest.approx(value)


def _tables(parts: list[dict], components: list[dict]) -> tuple[pd.DataFrame, pd.DataFrame]:
    base_part = {
        "ifc_class": "IfcColumn",
        "element_name": "C",
        "length_m": None,
        "surface_area_source": "geometry",
    }
    base_use = {"declared_unit": "t", "share": 1.0, "kg_per_m3": None, "kg_per_m2": None, "module": "A1-A3"}
    return pd.DataFrame([base_part | p for p in parts]), pd.DataFrame([base_use | c for c in components])


def test_rebar_counted_per_m3_of_concrete_is_not_metal_of_the_parts_shape():
    # a 1 m3 concrete column (surface 4.4 m2) with 150 kg/m3 of rebar: no metal volume of its own
    parts, carbon = _tables(
        [{"step_id": 1, "global_id": "rc", "material": "Concrete", "volume_m3": 1.0, "surface_area_m2": 4.4}],
        [
            {
                "row": 0,
                "factor_id": "concrete_c30",
                "declared_unit": "m3",
                "mass_kg": 2400.0,
                "kgco2e": 300.0,
            },
            {"row": 0, "factor_id": "steel_rebar", "kg_per_m3": 150.0, "mass_kg": 150.0, "kgco2e": 350.0},
        ],
    )
    assert solid_metal_elements(parts, carbon, {"steel_rebar"}, CHECKS) == []


def test_a_share_of_a_part_counts_its_share_of_the_volume_and_a_small_share_of_a1_a3_is_not_loud():
    # 1 m3 x share 0.5 = 0.5 m3 of steel on 4 m2 of surface: 2 x 0.5 / 4 = 0.25 m > 0.15 m;
    # its 100 kgCO2e are 1 % of the model's 10,000: a warning, not the loud first line
    parts, carbon = _tables(
        [
            {
                "step_id": 1,
                "global_id": "half",
                "material": "Steel",
                "volume_m3": 1.0,
                "surface_area_m2": 4.0,
            },
            {
                "step_id": 2,
                "global_id": "slab",
                "material": "Concrete",
                "volume_m3": 40.0,
                "surface_area_m2": 400.0,
            },
        ],
        [
            {"row": 0, "factor_id": "steel_generic", "share": 0.5, "mass_kg": 3925.0, "kgco2e": 100.0},
            {
                "row": 1,
                "factor_id": "concrete_c30",
                "declared_unit": "m3",
                "mass_kg": 96000.0,
                "kgco2e": 9900.0,
            },
        ],
    )
    [found] = solid_metal_elements(parts, carbon, {"steel_generic"}, CHECKS)
    assert (found.global_id, found.metal_volume_m3, found.value) == ("half", 0.5, pytest.approx(0.25))
    assert found.share_of_a1_a3 == pytest.approx(0.01)
    [finding] = solid_metal_findings([found], CHECKS)
    assert finding.verdict == "high" and finding.message.startswith("implausibly solid metal: half")


def test_a_metal_figure_that_is_not_a_number_is_flagged_not_passed():
    # 2 x inf m3 / inf m2 and inf m3 / inf m are not numbers: the figure cannot be checked, so the
    # element is named (as the element-by-element loop did), not passed as plausible
    inf = float("inf")
    parts, carbon = _tables(
        [
            {
                "step_id": 1,
                "global_id": "by-surface",
                "material": "Steel",
                "volume_m3": inf,
                "surface_area_m2": inf,
            },
            {"step_id": 2, "global_id": "by-length", "material": "Steel", "volume_m3": inf, "length_m": inf},
            {
                "step_id": 3,
                "global_id": "thin",
                "material": "Steel",
                "volume_m3": 0.01,
                "surface_area_m2": 2.0,
            },
        ],
        [
            {"row": 0, "factor_id": "steel_generic", "mass_kg": 100.0, "kgco2e": 200.0},
            {"row": 1, "factor_id": "steel_generic", "mass_kg": 100.0, "kgco2e": 100.0},
            {
                "row": 2,
                "factor_id": "steel_generic",
                "mass_kg": 78.5,
                "kgco2e": 50.0,
            },  # 2 x 0.01 / 2 = 0.01 m
        ],
    )
    found = solid_metal_elements(parts, carbon, {"steel_generic"}, CHECKS)
    assert [(s.global_id, s.range.metric) for s in found] == [
        ("by-surface", "metal_thickness_m"),
        ("by-length", "metal_cross_section_m2"),
    ]
    assert all(s.value != s.value for s in found)  # NaN, shown as such in the warning


def test_metal_is_known_by_the_factors_category_or_a_density_no_stone_reaches():
    library = load_library()
    ids = metal_factor_ids(library, CHECKS)
    assert {"aluminium_sheet", "steel_h_section", "steel_rebar", "pig_iron_cast"} <= ids
    assert not {"glass_float", "concrete_c30", "shale_rock", "brick_concrete"} & ids
    # a user's factor of another category: metal by its density (7,100 kg/m3), not so at 2,700 (granite)
    zinc = library.get("glass_float").model_copy(
        update={"id": "zinc_sheet", "category": "other", "density_kg_per_m3": 7100.0}
    )
    granite = zinc.model_copy(update={"id": "granite", "density_kg_per_m3": 2700.0})
    library.by_id.update({"zinc_sheet": zinc, "granite": granite})
    ids = metal_factor_ids(library, CHECKS)
    assert "zinc_sheet" in ids and "granite" not in ids


def test_the_command_line_prints_the_loud_line_first_and_the_json_carries_the_flag(tmp_path):
    path, ids = _model(tmp_path)
    out = tmp_path / "a.json"
    result = runner.invoke(app, ["assess", str(path), "--json", str(out)])
    assert result.exit_code == 0, result.output
    first = result.stdout.splitlines()[0]
    assert first.lstrip().startswith("IMPLAUSIBLE solid metal") and ids["column"] in first
    assert "IMPLAUSIBLE  IMPLAUSIBLE" not in result.stdout  # the red badge is the message's first word
    doc = json.loads(out.read_text())
    assert doc["warnings"][0].startswith(
        f"IMPLAUSIBLE solid metal, do not use without checking the model: {ids['column']}"
    )
    assert "1.080 m3 of solid Aluminum" in doc["warnings"][0] and "2,916 kg" in doc["warnings"][0]
    assert doc["plausibility"]["absurd"] is True
    flags = {e["global_id"]: e["flags"] for e in doc["elements"]}
    assert SOLID_METAL_FLAG in flags[ids["column"]]
    assert SOLID_METAL_FLAG not in flags[ids["jumbo"]] + flags[ids["plate"]]


def test_the_line_reads_in_chinese_with_the_same_figures(tmp_path):
    path, _ = _model(tmp_path)
    run = assess(path)
    line = run.assessment.warnings[0]
    zh = finding_zh(line, {CHECKS.solid_metal[0].label: LABELS["zh"]["check metal_thickness_m"]})
    assert not zh.startswith("(英文原文)")
    assert "1.080 m³" in zh and "2,916 kg" in zh and "0.273 m" in zh and "金属构件厚度" in zh


def test_the_public_metal_clad_column_is_flagged_as_most_of_the_models_a1_a3():
    run = assess(sample("wall_door_columnt_rgb4x3.ifc"))
    [finding] = [f for f in run.assessment.plausibility.findings if f.global_id]
    assert finding.global_id == "29aSJRCFL2zQJwQ38qGJW5" and finding.verdict == "absurd"
    assert finding.value > 0.25  # 2 x 1.113 m3 / 8.67 m2
    assert run.assessment.warnings[0] == finding.message
    assert "98.9% of the model's A1-A3" in finding.message
