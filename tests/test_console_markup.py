"""Text from a model or a user's file reaches the terminal as written: square brackets in a name are
never read as the console's markup (``[/b]`` crashed it, ``[door]`` vanished)."""

from __future__ import annotations

import ifcopenshell.api
import yaml
from builders import add_layered_wall, add_slab, add_steel_beam, new_model
from typer.testing import CliRunner

from bimcarbon.cli import app

runner = CliRunner()

MATERIAL = "Concrete [/b] C30"
UNKNOWN_MATERIAL = "Filler [door] X"
ELEMENT = "Wall [red]x"
TYPE = "Slab type [door] concrete C30"


def _bracketed_model(tmp_path):
    """W1 named ``Wall [red]x`` on storey ``Level [door] 1``; S1 of ``Concrete [/b] C30`` whose
    MassDensity is -1 (the take-off warns, naming the material); a second slab of a material no rule
    knows, matched by its type name ``Slab type [door] concrete C30`` (a warning names both); written to
    a file whose name holds ``[door]``."""
    f, ctx = new_model()
    ctx["storey"].Name = "Level [door] 1"
    add_layered_wall(f, ctx).Name = ELEMENT
    slab = add_slab(f, ctx)
    material = f.by_type("IfcMaterial")[-1]
    material.Name = MATERIAL
    pset = ifcopenshell.api.pset.add_pset(f, product=material, name="Pset_MaterialCommon")
    ifcopenshell.api.pset.edit_pset(f, pset=pset, properties={"MassDensity": -1.0})
    add_steel_beam(f, ctx)
    other = add_slab(f, ctx)
    other.Name = "Slab [red] S2"
    f.by_type("IfcMaterial")[-1].Name = UNKNOWN_MATERIAL
    slab_type = ifcopenshell.api.root.create_entity(f, ifc_class="IfcSlabType", name=TYPE)
    ifcopenshell.api.type.assign_type(f, related_objects=[other], relating_type=slab_type)
    assert slab.Name == "S1"
    path = tmp_path / "tower [door].ifc"
    f.write(str(path))
    return path


def _run(*args: str):
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output and "MarkupError" not in result.output
    return result.stdout


def test_takeoff_prints_the_file_name_and_the_material_in_a_warning_as_written(tmp_path):
    model = _bracketed_model(tmp_path)
    shown = _run("takeoff", str(model), "-o", str(tmp_path / "t.csv"))
    assert "tower [door].ifc" in shown
    assert f"material '{MATERIAL}'" in shown  # the MassDensity warning


def test_materials_prints_the_material_and_type_names_as_written(tmp_path):
    model = _bracketed_model(tmp_path)
    shown = _run("materials", str(model))
    assert MATERIAL in shown  # a row of the table
    assert f"'{UNKNOWN_MATERIAL}' by its type name '{TYPE}'" in shown  # the matched-by-name warning


def test_assess_with_uncertainty_prints_the_names_as_written(tmp_path):
    model = _bracketed_model(tmp_path)
    shown = _run("assess", str(model), "--uncertainty", "100")
    assert "tower [door].ifc" in shown  # the model's name, in bold
    assert f"'{UNKNOWN_MATERIAL}' by its type name '{TYPE}'" in shown
    assert "Uncertainty" in shown and "Largest contributors" in shown


def test_a_missing_file_with_brackets_in_its_name_gives_the_one_line_error(tmp_path):
    missing = tmp_path / "[draft].ifc"
    result = runner.invoke(app, ["takeoff", str(missing)])
    assert result.exit_code == 2, result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: ")
    assert str(missing) in lines[0] and "Traceback" not in result.output


def test_factors_from_a_users_file_are_listed_shown_and_found_as_written(tmp_path):
    path = tmp_path / "mine.yaml"
    factor = {
        "id": "mortar_x",
        "name_en": "Mortar [/b] M10",
        "name_zh": "砂浆 [door]",
        "category": "mortar",
        "declared_unit": "kg",
        "value_kgco2e_per_unit": 0.2,
        "status": "confirmed",
        "source": "supplier sheet [red] 2024",
    }
    meta = {"id": "mine", "title": "Our [door] factors", "source": "s", "licence": "l"}
    path.write_text(
        yaml.safe_dump({"metadata": meta, "factors": [factor]}, allow_unicode=True), encoding="utf-8"
    )
    listed = _run("factors", "list", "--factors", str(path), "--category", "mortar")
    shown = _run("factors", "show", "mortar_x", "--factors", str(path))
    found = _run("factors", "search", "[door]", "--factors", str(path))
    assert "Mortar [/b] M10" in listed and "砂浆 [door]" in listed
    assert "supplier sheet [red] 2024" in shown and "Our [door] factors" in shown
    assert "matching '[door]'" in found and "Mortar [/b] M10" in found


def test_an_internal_error_whose_text_holds_brackets_is_still_one_line(tmp_path, monkeypatch):
    import bimcarbon.cli

    def broken(*args, **kwargs):
        raise RuntimeError("bad [/b] state in [red] part")

    monkeypatch.setattr(bimcarbon.cli, "_takeoff", broken)
    monkeypatch.delenv("BIMCARBON_DEBUG", raising=False)
    result = runner.invoke(app, ["takeoff", str(tmp_path / "[draft].ifc")])
    assert result.exit_code == 3, result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1
    assert "[draft].ifc: RuntimeError: bad [/b] state in [red] part" in lines[0]
