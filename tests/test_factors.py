"""Factor data: every shipped row validates and carries its source; bad files are named precisely."""

from __future__ import annotations

import math
import re
from pathlib import Path

import pytest
import yaml

from bimcarbon.errors import FactorFileError
from bimcarbon.factors import DEFAULT_MATERIAL_SETS, Status, factors_dir, load_factor_file, load_library
from bimcarbon.rules import default_rules

FACTORS = factors_dir()


def test_every_shipped_material_factor_validates_and_cites_its_source():
    library = load_library()
    assert len(library.by_id) >= 50
    for factor in library.by_id.values():
        assert factor.source.strip(), factor.id
        assert factor.declared_unit in ("kg", "t", "m3", "m2", "m", "piece")
        assert factor.value_kgco2e_per_unit >= 0
        if factor.density_kg_per_m3 is not None:
            assert factor.density_source, factor.id


def test_every_shipped_factor_per_kg_or_t_has_a_density_with_its_source_and_status():
    # A matched material is never dropped for lack of a density: an IFC volume of any mass-based
    # factor can be weighed. A new factor per t or kg without a density fails here.
    for name in DEFAULT_MATERIAL_SETS:
        for factor in load_factor_file(FACTORS / name).factors:
            if factor.declared_unit not in ("kg", "t"):
                continue
            assert factor.density_kg_per_m3, (name, factor.id)
            assert factor.density_source and factor.density_source.strip(), (name, factor.id)
            assert factor.density_status is not None, (name, factor.id)
            if factor.density_status is Status.unconfirmed and "assumption" in factor.density_source:
                # an assumption states the range it could be wrong by
                assert factor.density_low_kg_per_m3 and factor.density_high_kg_per_m3, factor.id


def test_densities_keep_their_evidence_and_use_no_ice_derived_number():
    library = load_library()
    rock_wool = library.get("insul_rockwool")
    assert rock_wool.density_kg_per_m3 == 140  # not ICE's 100
    assert rock_wool.density_status is Status.secondary
    assert "design institute" in rock_wool.density_source
    assert library.get("insul_pu_rigid").density_status is Status.unconfirmed  # 35, [U]
    board = library.get("desnz_plasterboard")  # 12.5 mm at 8.5-10 kg/m2 -> 680-800 kg/m3
    assert (board.density_low_kg_per_m3, board.density_kg_per_m3, board.density_high_kg_per_m3) == (
        680,
        740,
        800,
    )
    assert board.density_status is Status.unconfirmed
    for factor in library.by_id.values():
        assert "ice" not in (factor.density_source or "").lower().split(), factor.id


def test_a_density_range_must_bracket_its_default(tmp_path):
    header = HEADER.strip() + ",density_low_kg_per_m3,density_high_kg_per_m3\n"
    path = _write_csv(tmp_path, header + "w,Wool,,insulation,t,1,140,src,confirmed,150,200\n")
    with pytest.raises(FactorFileError, match=r"row 2 \(w\): column 'density_low_kg_per_m3'"):
        load_factor_file(path)
    path = _write_csv(tmp_path, header + "w,Wool,,insulation,t,1,,src,confirmed,40,200\n")
    with pytest.raises(FactorFileError, match=r"needs a default density"):
        load_factor_file(path)
    path = _write_csv(tmp_path, header + "w,Wool,,insulation,t,1,140,src,confirmed,40,\n")
    factor = load_factor_file(path).factors[0]
    assert (factor.density_low_kg_per_m3, factor.density_high_kg_per_m3) == (40, None)


def test_factor_ids_are_unique_across_the_shipped_sets():
    ids = [f.id for name in DEFAULT_MATERIAL_SETS for f in load_factor_file(FACTORS / name).factors]
    assert len(ids) == len(set(ids))


def test_the_china_default_set_is_gbt_51366_appendix_d_with_its_headline_values():
    library = load_library()
    assert library.get("concrete_c30").value_kgco2e_per_unit == 295
    assert library.get("concrete_c30").declared_unit == "m3"
    assert library.get("steel_rebar").value_kgco2e_per_unit == 2340
    assert library.get("steel_rebar").declared_unit == "t"
    assert "51366" in library.get("concrete_c30").source


#: ICE v3-era values per kg as reproduced in open-source copies (a cross-check list, never shipped).
ICE_PER_KG = [
    0.103,
    0.120,
    0.089,
    0.063,
    0.138,
    0.102,
    0.072,
    0.129,
    0.136,
    0.178,
    0.912,
    0.163,
    0.149,
    1.99,
    0.76,
    2.46,
    1.13,
    2.45,
    2.50,
    2.74,
    2.36,
    2.76,
    6.58,
    13.0,
    6.83,
    6.67,
    1.44,
    1.67,
    1.63,
    1.75,
    0.263,
    0.512,
    0.437,
    0.681,
    0.213,
    0.093,
    0.28,
    0.39,
    1.28,
    1.35,
    1.12,
    3.29,
    0.70,
    0.09,
    0.06,
    0.035,
]


def test_no_shipped_factor_equals_an_ice_value_or_cites_ice():
    # GB/T 51366 values come from the Chinese standard; a few equal an ICE number by coincidence
    # (BOF steel 1990/t and ICE rebar 1.99/kg; flat glass 1130/t and ICE EU sections 1.13/kg), so
    # the value check covers the other sources, where copying ICE is the real risk.
    for factor in load_library().by_id.values():
        if "51366" in factor.source:
            assert "ice" not in factor.source.lower().split()
            continue
        text = f"{factor.source} {factor.density_source or ''}".lower()
        assert "inventory of carbon" not in text and "ice v" not in text, factor.id
        per_kg = {"kg": 1.0, "t": 1e-3}.get(factor.declared_unit)
        if per_kg is None and factor.declared_unit == "m3" and factor.density_kg_per_m3:
            per_kg = 1.0 / factor.density_kg_per_m3
        if per_kg is not None:
            value = factor.value_kgco2e_per_unit * per_kg
            assert not any(math.isclose(value, v, rel_tol=1e-9) for v in ICE_PER_KG), (factor.id, value)


def test_every_default_rule_uses_a_factor_that_exists():
    library = load_library()
    for rule in default_rules().rules:
        for use in rule.use:
            assert use.factor in library.by_id, (rule.id, use.factor)


def test_every_default_proxy_rule_says_why_in_its_description():
    # the description is the proxy's reason, carried into the workbook and JSON rows
    for rule in default_rules().rules:
        if rule.proxy:
            assert len(rule.description) > 20, rule.id


def test_the_default_rebar_ratio_is_marked_unconfirmed():
    rule = next(r for r in default_rules().rules if r.id == "reinforced-concrete")
    ratio = next(u for u in rule.use if u.kg_per_m3 is not None)
    assert ratio.status is Status.unconfirmed


def _write_csv(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "mine.csv"
    path.write_text(text, encoding="utf-8")
    return path


HEADER = "id,name_en,name_zh,category,declared_unit,value_kgco2e_per_unit,density_kg_per_m3,source,status\n"


def test_a_user_csv_adds_and_overrides_factors(tmp_path):
    path = _write_csv(
        tmp_path,
        HEADER
        + "concrete_c30,C30 concrete (our EPD),C30混凝土,concrete,m3,250,2400,EPD 123,confirmed\n"
        + "clt_supplier_x,CLT from supplier X,交叉层压木材,timber,m3,120,470,EPD 456,confirmed\n",
    )
    library = load_library([path])
    assert library.get("concrete_c30").value_kgco2e_per_unit == 250
    assert library.get("clt_supplier_x").declared_unit == "m3"
    assert library.overridden["concrete_c30"] == str(path)


def test_a_bad_csv_row_is_named_with_its_row_and_column(tmp_path):
    path = _write_csv(
        tmp_path,
        HEADER + "ok_one,OK,,concrete,m3,1,,src,confirmed\nbad_one,Bad,,concrete,m4,1,,src,confirmed\n",
    )
    with pytest.raises(FactorFileError) as info:
        load_factor_file(path)
    message = str(info.value)
    assert message.startswith(str(path))
    assert "row 3 (bad_one)" in message and "declared_unit" in message


def test_an_unquoted_comma_in_a_csv_row_is_refused_not_shifted(tmp_path):
    path = _write_csv(tmp_path, HEADER + "c,C,,concrete,m3,250,2,400,EPD 1,confirmed\n")
    with pytest.raises(FactorFileError, match=r"row 2: 1 more cell"):
        load_factor_file(path)


def test_a_negative_value_is_refused(tmp_path):
    path = _write_csv(tmp_path, HEADER + "neg,Neg,,concrete,m3,-5,,src,confirmed\n")
    with pytest.raises(FactorFileError, match=r"row 2 \(neg\): column 'value_kgco2e_per_unit'"):
        load_factor_file(path)


def test_a_row_without_a_source_is_refused(tmp_path):
    path = tmp_path / "mine.yaml"
    path.write_text(
        yaml.safe_dump(
            {
                "metadata": {"id": "mine", "title": "t", "source": "s", "licence": "l"},
                "factors": [
                    {
                        "id": "x",
                        "name_en": "X",
                        "category": "c",
                        "declared_unit": "kg",
                        "value_kgco2e_per_unit": 1,
                        "status": "confirmed",
                    }
                ],
            }
        )
    )
    with pytest.raises(FactorFileError, match=r"row 1 \(x\): column 'source'"):
        load_factor_file(path)


def test_an_unreadable_yaml_file_is_one_line(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("factors: [unclosed\n")
    with pytest.raises(FactorFileError) as info:
        load_factor_file(path)
    assert str(info.value).startswith(str(path)) and "\n" not in str(info.value)


def test_search_finds_factors_by_chinese_and_english_names():
    library = load_library()
    assert "concrete_c30" in [f.id for f in library.search("混凝土")]
    assert "steel_rebar" in [f.id for f in library.search("rebar")]


def test_transport_fuel_and_grid_files_validate_and_cite_their_sources():
    from bimcarbon.energy_factors import load_fuels, load_grid, load_transport

    transport, fuels, grid = load_transport(), load_fuels(), load_grid()
    for row in [*transport.factors, *transport.defaults, *fuels.factors, *grid.factors]:
        assert row.source.strip(), row.id
    assert {f.id: f.value_kgco2e_per_tkm for f in transport.factors}["truck_diesel_heavy_30t"] == 0.078
    assert {f.id: f.value_tco2_per_tj for f in fuels.factors}["natural_gas"] == 55.54


def test_the_default_grid_factor_is_the_2023_national_average_and_confirmed():
    from bimcarbon.energy_factors import load_grid

    factor = load_grid().default_factor()
    assert (factor.year, factor.scope, factor.basis) == (2023, "national", "average")
    assert factor.value_kgco2_per_kwh == 0.5306
    assert factor.status is Status.confirmed


def test_values_the_references_mark_unconfirmed_stay_unconfirmed():
    from bimcarbon.energy_factors import load_grid, load_transport

    grid = {f.basis: f for f in load_grid().factors if f.year == 2022 and f.scope == "national"}
    assert (
        grid["carbon_market_reporting"].status is Status.unconfirmed
    )  # 0.5703: one of two reviews could not confirm it
    distances = {d.id: d for d in load_transport().defaults}
    assert distances["distance_concrete_km"].value == 40
    assert (
        distances["distance_concrete_km"].status is Status.unconfirmed
    )  # as usually quoted, clause text not seen


def test_a_bad_grid_row_names_the_row_and_column(tmp_path):
    from bimcarbon.energy_factors import GRID_FILE, load_grid

    text = (
        (FACTORS / GRID_FILE)
        .read_text(encoding="utf-8")
        .replace("value_kgco2_per_kwh: 0.5306", "value_kgco2_per_kwh: -1", 1)
    )
    path = tmp_path / "grid.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(
        FactorFileError, match=r"factors row 1 \(cn_2023_national_average\): column 'value_kgco2_per_kwh'"
    ):
        load_grid(path)


#: Files of the project's research notes outside the repository: shipped data and code must cite the
#: primary publications instead (a reviewer of the workbook cannot open these).
NOTE_FILES = ("../shared", "reference/", "factors.md", "standards.md", "parks.md", "anchors.md")


def test_no_shipped_data_or_code_cites_the_research_notes():
    import bimcarbon

    files = [p for p in FACTORS.rglob("*") if p.is_file()]
    files += list((Path(bimcarbon.__file__).parent / "web" / "templates").rglob("*.html"))
    files += list(Path(bimcarbon.__file__).parent.rglob("*.py"))
    assert len(files) > 20
    for path in files:
        text = path.read_text(encoding="utf-8").lower()
        for needle in NOTE_FILES:
            assert needle not in text, f"{path} mentions {needle!r}: cite the primary publication"


#: Fields of the data files whose text a reader of the workbook sees; each needs ``<field>_zh``.
PROSE_FIELDS = {"source", "status_note", "density_source", "licence", "note", "notes", "description",
                "reason", "label", "edition", "applies_to", "distance_source", "distance_status_note",
                "vehicle_source", "per_unit_basis", "title", "method", "name"}  # fmt: skip


def _without_chinese(node, path, missing):
    if isinstance(node, dict):
        for key, value in node.items():
            english = isinstance(value, str) and re.search(r"[A-Za-z]{3,}", value)
            if key in PROSE_FIELDS and english and not str(node.get(f"{key}_zh", "")).strip():
                missing.append(f"{path}/{key}")
            _without_chinese(value, f"{path}/{node.get('id', key)}", missing)
    elif isinstance(node, list):
        for item in node:
            _without_chinese(item, path, missing)


def _pairs(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if isinstance(key, str) and key.endswith("_zh") and isinstance(node.get(key[:-3]), str):
                yield node[key[:-3]], value
            yield from _pairs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _pairs(item)


def test_every_shipped_text_a_reviewer_reads_has_its_chinese():
    missing, copied = [], []
    for path in sorted(FACTORS.glob("**/*.yaml")):
        if "local" in path.relative_to(FACTORS).parts:  # a person's own licensed copies (git-ignored)
            continue
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        _without_chinese(document, path.name, missing)
        # a Chinese text is Chinese: not left empty, not a copy of the English
        copied += [en for en, zh in _pairs(document) if not re.search(r"[\u4e00-\u9fff]", str(zh))]
    assert not missing
    assert not copied


def test_a_chinese_text_must_stand_beside_its_english_field(tmp_path):
    good = {"id": "x", "name_en": "X", "category": "c", "declared_unit": "kg", "value_kgco2e_per_unit": 1,
            "source": "S", "source_zh": "来源", "status": "unconfirmed", "status_note": "n",
            "status_note_zh": "未核实"}  # fmt: skip
    metadata = {"id": "mine", "title": "t", "source": "s", "licence": "l", "licence_zh": "许可"}
    path = tmp_path / "mine.yaml"
    path.write_text(yaml.safe_dump({"metadata": metadata, "factors": [good]}), encoding="utf-8")
    assert load_factor_file(path).factors[0].status_note == "n"
    for bad, message in (
        ({"statusnote_zh": "x"}, "statusnote_zh"),
        ({"source_zh": 3}, "source_zh must be text"),
    ):
        path.write_text(yaml.safe_dump({"metadata": metadata, "factors": [good | bad]}), encoding="utf-8")
        with pytest.raises(FactorFileError, match=message) as info:
            load_factor_file(path)
        assert "\n" not in str(info.value)
