"""A mapping file written by --write-mapping, edited by a person, and read back gives the edited result."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from conftest import sample
from typer.testing import CliRunner

from bimcarbon.cli import app

SAMPLES = Path(__file__).resolve().parent.parent / "sample_models"
runner = CliRunner()


def test_write_edit_and_reuse_a_mapping(tmp_path):
    mapping = tmp_path / "office.yaml"
    result = runner.invoke(app, ["materials", str(SAMPLES / "office_m.ifc"), "--write-mapping", str(mapping)])
    assert result.exit_code == 0, result.output
    text = mapping.read_text(encoding="utf-8")
    assert "material_exact:\n      - Glulam GL24h" in text or "- Glulam GL24h" in text
    # the person decides the glulam is a factor of their own, from their EPD file
    factors = tmp_path / "epd.csv"
    factors.write_text(
        "id,name_en,category,declared_unit,value_kgco2e_per_unit,density_kg_per_m3,source,status\n"
        "glulam_supplier_x,Glulam from supplier X,timber,m3,100,440,EPD 789,confirmed\n"
    )
    edited = text.replace("factor: desnz_wood", "factor: glulam_supplier_x")
    assert edited != text
    mapping.write_text(edited, encoding="utf-8")
    out = tmp_path / "report.json"
    result = runner.invoke(
        app,
        [
            "materials",
            str(SAMPLES / "office_m.ifc"),
            "--mapping",
            str(mapping),
            "--factors",
            str(factors),
            "-o",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    import json

    report = json.loads(out.read_text())
    glulam = [c for c in report["components"] if c["material"] == "Glulam GL24h"]
    assert [c["factor_id"] for c in glulam] == ["glulam_supplier_x"]
    assert glulam[0]["quantity"] == 0.4  # 0.4 m3 exported NetVolume
    assert glulam[0]["kgco2e"] == 40.0  # 0.4 m3 x 100 kgCO2e/m3
    assert glulam[0]["rule_id"].startswith("map-")


def test_a_broken_mapping_file_is_one_line_with_the_rule_and_field(tmp_path):
    mapping = tmp_path / "bad.yaml"
    mapping.write_text(
        "metadata: {id: bad}\nrules:\n  - id: r1\n"
        "    when: {material_words: [x]}\n    use: [{factor: a, share: 2}]\n"
    )
    result = runner.invoke(app, ["materials", str(SAMPLES / "office_m.ifc"), "--mapping", str(mapping)])
    assert result.exit_code == 2
    assert str(mapping) in result.stderr and "rule 1 (r1)" in result.stderr and "share" in result.stderr


@pytest.mark.parametrize(
    "name", ["office_m.ifc", "AC20-FZK-Haus.ifc", "duplex.ifc", "MULTICOM-trappen+bordessen.ifc"]
)
def test_a_written_mapping_read_back_unedited_maps_every_part_the_same_way(tmp_path, name):
    from bimcarbon.factors import load_library
    from bimcarbon.ifc import read_model
    from bimcarbon.mapping_file import mapping_text
    from bimcarbon.matching import match
    from bimcarbon.rules import default_rules, load_rules
    from bimcarbon.takeoff import take_off

    path = SAMPLES / name if (SAMPLES / name).exists() else sample(name)
    table = take_off(read_model(path)).table
    library, defaults = load_library(), default_rules()
    before = match(table, [defaults], library)
    mapping = tmp_path / "m.yaml"
    mapping.write_text(mapping_text(before.parts, [defaults], name), encoding="utf-8")
    after = match(table, [load_rules(mapping), defaults], library)

    def factors_per_row(matched):
        return matched.components.groupby("row")["factor_id"].apply(tuple).to_dict()

    assert factors_per_row(after) == factors_per_row(before)
    assert (after.parts["match_status"] == before.parts["match_status"]).all()
    mapped = after.parts[after.parts["match_status"] != "unmatched"]
    assert (mapped["rule_set"] == "project-mapping").all()


@pytest.mark.parametrize("name", ["office_m.ifc", "duplex.ifc"])
def test_a_written_mapping_keeps_the_assumed_rebar_and_the_same_total(tmp_path, name):
    # the mapping's own rules get no assumed rebar, so the parts that had it are written with it
    from bimcarbon.assumptions import load_assumptions
    from bimcarbon.carbon import embodied
    from bimcarbon.factors import load_library
    from bimcarbon.ifc import read_model
    from bimcarbon.mapping_file import mapping_text
    from bimcarbon.matching import match
    from bimcarbon.rules import default_rules, load_rules
    from bimcarbon.takeoff import take_off

    path = SAMPLES / name if (SAMPLES / name).exists() else sample(name)
    table = take_off(read_model(path)).table
    library, defaults, assumptions = load_library(), default_rules(), load_assumptions()
    before = match(table, [defaults], library, assumptions)
    assert before.parts["assumption"].str.startswith("rebar", na=False).any()
    mapping = tmp_path / "m.yaml"
    mapping.write_text(mapping_text(before.parts, [defaults], name, assumptions.rebar), encoding="utf-8")
    after = match(table, [load_rules(mapping), defaults], library, assumptions)

    def total(matched):
        return pd.to_numeric(embodied(matched, library)["kgco2e"], errors="coerce").sum()

    assert total(after) == pytest.approx(total(before))
    assert (after.parts["match_status"] == before.parts["match_status"]).all()


def test_an_energy_file_given_as_the_mapping_is_refused_saying_what_it_looks_like():
    """Before: read as a mapping with no rules, the run went on with the shipped rules alone."""
    energy = SAMPLES / "office_m.energy.yaml"
    result = runner.invoke(app, ["assess", str(SAMPLES / "office_m.ifc"), "--mapping", str(energy)])
    assert result.exit_code == 2
    line = result.output.strip()
    start = f"error: {energy}: not a mapping file: it has no 'rules' list (it has annual, "
    assert line.startswith(start), line
    assert line.endswith("it looks like an energy file, give it with --energy)"), line
    assert "Traceback" not in result.output


def test_a_yaml_without_rules_is_not_a_mapping_file(tmp_path):
    notes = tmp_path / "notes.yaml"
    notes.write_text("metadata: {id: mine}\ncomment: the rules are in another file\n")
    result = runner.invoke(app, ["assess", str(SAMPLES / "office_m.ifc"), "--mapping", str(notes)])
    assert result.exit_code == 2
    assert result.output.strip() == f"error: {notes}: not a mapping file: it has no 'rules' list"
