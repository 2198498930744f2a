"""`bimcarbon park` end to end on the sample park (sample_models/park): each building exactly as `assess`
does, the park added up by hand, failures, bad input, the same JSON on 1 and 2 workers, and the cache."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import sample
from typer.testing import CliRunner

import bimcarbon.assess as assess_module
from bimcarbon.cli import app

runner = CliRunner()
SAMPLE_PARK = Path(__file__).resolve().parent.parent / "sample_models" / "park"


def park_copy(tmp_path: Path) -> Path:
    """The sample park in a folder of its own (its cache goes there, not into the repository)."""
    folder = tmp_path / "park"
    shutil.copytree(SAMPLE_PARK, folder, ignore=shutil.ignore_patterns(".bimcarbon-cache"))
    return folder / "park.yaml"


def park_run(args: list[str]) -> tuple[object, dict | None]:
    result = runner.invoke(app, ["park", *args])
    json_path = next((Path(args[i + 1]) for i, a in enumerate(args) if a == "--json"), None)
    document = json.loads(json_path.read_text()) if json_path and json_path.exists() else None
    return result, document


@pytest.fixture
def counted(monkeypatch):
    """The models bimcarbon.assess.assess is called on (buildings run in this process with --workers 1)."""
    calls: list[str] = []
    real = assess_module.assess

    def counting(model_path, *args, **kwargs):
        calls.append(Path(model_path).name)
        return real(model_path, *args, **kwargs)

    monkeypatch.setattr(assess_module, "assess", counting)
    return calls


def test_the_sample_park_is_what_the_committed_script_builds(tmp_path):
    import importlib.util
    import sys

    script = SAMPLE_PARK.parent / "build_samples.py"
    spec = importlib.util.spec_from_file_location("build_samples", script)
    module = importlib.util.module_from_spec(spec)
    sys.modules["build_samples"] = module
    spec.loader.exec_module(module)
    written = module.build_park(tmp_path)
    assert sorted(p.name for p in written) == sorted(
        p.name for p in SAMPLE_PARK.iterdir() if p.is_file() and not p.name.startswith(".")
    )
    for path in written:
        assert path.read_bytes() == (SAMPLE_PARK / path.name).read_bytes(), path.name


def test_the_sample_park_adds_its_buildings_up_and_scores_both_modes(tmp_path):
    park = park_copy(tmp_path)
    result, doc = park_run([str(park), "--json", str(tmp_path / "park.json")])
    assert result.exit_code == 0, result.output
    assert doc["format"] == "bimcarbon.park" and doc["format_version"] == 1
    assert [b["name"] for b in doc["buildings"]] == ["Office A", "Office B", "Workshop"]
    assert {b["status"] for b in doc["buildings"]} == {"done"}
    assessments = [b["assessment"] for b in doc["buildings"]]
    # embodied by module: the buildings' own figures added, with the same keys as a building's
    assert set(doc["totals"]["embodied"]) == set(assessments[0]["embodied"])
    for module in ("a1_a3", "a4", "a5", "b4", "c1_c4", "upfront_a1_a5", "embodied_total"):
        assert doc["totals"]["embodied"][module] == pytest.approx(
            sum(a["embodied"][module] for a in assessments)
        )
    # Office A names no grid: the park's (2023 north, 0.6361) applies; Office B and the workshop name it
    assert [a["operational"]["grid_factor_id"] for a in assessments] == ["cn_2023_north_average"] * 3
    assert assessments[0]["parameters"]["default_grid"] == {"year": 2023, "region": "north"}
    balance = doc["balance"]
    # grid after own supply: A 12,000 - PV 2,000; B 15,000 - green 3,000; workshop 180,000 - PV 40,000;
    # + park loads 200,000 = 362,000 = park PV 250,000 + wind 50,000 + green 60,000 + 2 certificates 2,000
    assert balance["pooled_grid_kwh"] == 362_000
    assert balance["grid_remaining_kwh"] == 0
    op = doc["totals"]["operational"]
    # no grid electricity left: only gas, (1,000 + 800 + 2,000) m3 x 2.16 = 8,208 kgCO2
    assert op["after_supply_kgco2_per_year"] == pytest.approx(8_208)
    # net: exports (500 + 10,000) kWh x 0.6361 = 6,679.05 and 10 t of offsets taken off
    assert op["net_kgco2_per_year"] == pytest.approx(8_208 - 6_679.05 - 10_000)
    m = doc["metrics"]
    # 407,000 kWh x 0.1229 = 50,020.3 kgce + 3,800 m3 x 1.2143 = 4,614.34 -> 54.63464 tce
    assert m["energy_consumption_tce"] == pytest.approx(54.63464)
    assert m["carbon_per_energy_t_per_tce"] == pytest.approx(8.208 / 54.63464)  # 0.1502
    assert m["clean_energy_share"] == pytest.approx(50_020.3 / 54_634.64)  # all electricity clean: 91.6 %
    annualised = sum(a["embodied"]["upfront_a1_a5"] / a["design_life_years"] for a in assessments)
    assert m["carbon_per_energy_with_embodied_t_per_tce"] == pytest.approx((8_208 + annualised) / 54_634.64)
    assert doc["without_embodied"]["verdicts"]["reached"] == "zero-carbon-park"
    assert doc["with_embodied"]["verdicts"]["reached"] == "near-zero-carbon-park"
    assert doc["changes"] == [
        {"tier": "zero-carbon-park", "without_embodied": "pass", "with_embodied": "fail"}
    ]
    assert doc["energy_consumption"]["basis"]["electricity_kgce_per_kwh"] == 0.1229
    out = result.stdout
    assert "Office A" in out and "low-carbon" in out
    assert "0.1229 kgce/kWh (equivalent value" in out and "The basis decides tCO2/tce" in out
    assert "Counting embodied emissions changes zero-carbon-park: pass -> fail" in out


def test_each_building_is_the_same_json_as_assess_writes(tmp_path):
    park = park_copy(tmp_path)
    _, doc = park_run([str(park), "--json", str(tmp_path / "park.json"), "--no-cache"])
    folder = park.parent
    for entry in doc["buildings"][1:]:  # Office B and the workshop name their grid: nothing differs
        own = tmp_path / f"{entry['name']}.json"
        result = runner.invoke(
            app,
            [
                "assess",
                str(folder / entry["model"]),
                "--energy",
                str(folder / entry["energy"]),
                "--json",
                str(own),
            ],
        )
        assert result.exit_code == 0, result.output
        assert entry["assessment"] == json.loads(own.read_text()), entry["name"]


def _add_broken_building(park: Path) -> None:
    (park.parent / "broken.ifc").write_text("not a model\n")
    text = park.read_text().replace(
        "park_energy:",
        "  - name: Broken\n    model: broken.ifc\n    energy: office_a.energy.yaml\npark_energy:",
        1,
    )
    park.write_text(text)


def test_a_building_that_cannot_be_read_fails_alone_and_the_park_is_not_assessable(tmp_path):
    park = park_copy(tmp_path)
    _add_broken_building(park)
    result, doc = park_run([str(park), "--json", str(tmp_path / "park.json")])
    assert result.exit_code == 1
    broken = doc["buildings"][3]
    assert (broken["status"], broken["assessment"]) == ("failed", None)
    assert broken["error"] == "broken.ifc: not an IFC file (no ISO-10303-21 header)"
    assert [b["status"] for b in doc["buildings"][:3]] == ["done"] * 3
    for mode in ("without_embodied", "with_embodied"):
        verdicts = doc[mode]["verdicts"]
        assert verdicts["reached"] is None
        assert "1 of 4 building(s) failed (Broken)" in verdicts["note"]
    assert "Broken: failed: broken.ifc: not an IFC file" in doc["warnings"][0]
    errors = [line for line in result.stderr.splitlines() if line.strip()]
    assert errors == [
        "error: 1 building(s) failed: Broken (broken.ifc: not an IFC file (no ISO-10303-21 header))"
    ]
    assert "Traceback" not in result.output
    # accepted: the verdict stands on the other three (the same as the sample park's), exit code still 1
    result, doc = park_run([str(park), "--json", str(tmp_path / "accepted.json"), "--accept-incomplete"])
    assert result.exit_code == 1
    assert doc["without_embodied"]["verdicts"]["reached"] == "zero-carbon-park"
    assert doc["without_embodied"]["accepted_incomplete"] is True
    assert any("without 1 failed building(s) of 4 (Broken)" in w for w in doc["warnings"])


def test_a_workshop_whose_energy_is_in_wh_is_implausible_and_blocks_the_park_unless_accepted(tmp_path):
    # the reviewer's park: the workshop's 180,000 kWh typed as 180,000,000 (Wh). Before: 0.0004 tCO2/tce,
    # "zero-carbon-park" in both modes, no warning. 180,000,000 kWh / 3,600 m2 = 50,000 kWh/(m2.a) > 20,000
    park = park_copy(tmp_path)
    energy = park.parent / "workshop.energy.yaml"
    energy.write_text(energy.read_text().replace("electricity_kwh: 180000\n", "electricity_kwh: 180000000\n"))
    result, doc = park_run([str(park), "--json", str(tmp_path / "park.json")])
    assert result.exit_code == 0, result.output
    assert result.stdout.lstrip().startswith("IMPLAUSIBLE  Workshop: IMPLAUSIBLE (over 10x the top")
    assert doc["plausibility"]["absurd"] is True and doc["plausibility"]["buildings"] == ["Workshop"]
    assert doc["warnings"][0].startswith("Workshop: IMPLAUSIBLE (over 10x the top of its range)")
    assert "50,000 kWh/(m2.a)" in doc["warnings"][0]
    for mode in ("without_embodied", "with_embodied"):
        assert doc[mode]["verdicts"]["reached"] is None
        assert doc[mode]["verdicts"]["note"].startswith("not assessable: IMPLAUSIBLE figures (Workshop's")
    accepted, doc = park_run([str(park), "--json", str(tmp_path / "a.json"), "--accept-incomplete"])
    assert accepted.exit_code == 0
    # accepted, the verdicts stand on it: pool 10,000 + 12,000 + (180,000,000 - 40,000) + 200,000 =
    # 180,182,000 kWh, 362,000 covered: 179,820,000 x 0.6361 + gas 8,208 = 114,391,710 kg over
    # 180,227,000 x 0.1229 + 4,614.34 = 22,154,512.6 kgce: 5.163 tCO2/tce, no tier
    assert doc["without_embodied"]["verdicts"]["note"] == ""
    assert doc["metrics"]["carbon_per_energy_t_per_tce"] == pytest.approx(114_391.710 / 22_154.5126)
    assert doc["without_embodied"]["accepted_incomplete"] and doc["plausibility"]["accepted"]
    assert "accepted with --accept-incomplete: the verdicts rest on them" in accepted.stdout


def test_a_building_whose_energy_file_gives_no_annual_use_is_left_out_not_counted_as_zero(tmp_path):
    park = park_copy(tmp_path)
    energy = park.parent / "office_a.energy.yaml"
    text = energy.read_text()
    energy.write_text(text[: text.index("annual:")])  # no annual use, no PV, no baseline
    result, doc = park_run([str(park), "--json", str(tmp_path / "park.json")])
    assert result.exit_code == 0, result.output
    assert doc["buildings"][0]["status"] == "done"  # assessed, and its own check calls 0 kWh absurd
    assert doc["totals"]["buildings_without_energy"] == ["Office A"]
    assert doc["plausibility"]["absurd"] is False  # Office A is not counted: its 0 kWh blocks nothing
    # pool without it: Office B 12,000 + workshop 140,000 + park 200,000 = 352,000 kWh
    assert doc["balance"]["pooled_grid_kwh"] == 352_000
    note = doc["without_embodied"]["verdicts"]["note"]
    assert "1 of 3 building(s) give no annual energy use (Office A)" in note
    assert any(w.startswith("Office A: its energy file gives no annual energy use") for w in doc["warnings"])


def test_the_buildings_warnings_and_capped_supply_reach_the_parks_warnings_named(tmp_path):
    # Office B's own green electricity 20,000 kWh against its 15,000 kWh from the grid: capped at 15,000
    # by its assessment, silently for the park before; so were its assumed-rebar warnings
    park = park_copy(tmp_path)
    energy = park.parent / "office_b.energy.yaml"
    energy.write_text(
        energy.read_text().replace("green_electricity_kwh: 3000", "green_electricity_kwh: 20000")
    )
    result, doc = park_run([str(park), "--json", str(tmp_path / "park.json")])
    assert result.exit_code == 0, result.output
    warnings = doc["warnings"]
    assert "Office B: green electricity above the grid electricity is not credited" in warnings
    rebar = [w for w in warnings if "get 120 kg/m3 of rebar as an assumption" in w]
    assert [w.split(":")[0] for w in rebar] == ["Office A", "Office B", "Workshop"]
    assert len(warnings) == len(set(warnings))


def test_a_missing_energy_file_fails_that_building_with_its_reason(tmp_path):
    park = park_copy(tmp_path)
    (park.parent / "workshop.energy.yaml").unlink()
    result, doc = park_run([str(park), "--json", str(tmp_path / "park.json")])
    assert result.exit_code == 1
    workshop = doc["buildings"][2]
    assert workshop["error"] == "workshop.energy.yaml: energy file not found"
    assert str(tmp_path) not in (tmp_path / "park.json").read_text()  # never a path on this machine


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("park_energy:", "park_enrgy:"), "field 'park_enrgy': Extra inputs are not permitted"),
        (("\ncriteria: cn-zero-carbon-park-2025", "\ncriteria: cn-zero-carbon-building-draft-2023"),
         "field 'criteria': "),
        (("criteria: cn-zero-carbon-building-draft-2023", "criteria: cn-zero-carbon-park-2025"),
         "field 'building_criteria': "),
        (("region: north}", "region: atlantis}"), "field 'grid': no average grid factor for 2023 atlantis"),
        (("electricity_kwh: 200000", "electricity_kwh: 2000000000000"), "more than any park uses or makes"),
    ],
)  # fmt: skip
def test_a_bad_park_file_is_one_line_and_exit_code_2(tmp_path, change, expected):
    park = park_copy(tmp_path)
    park.write_text(park.read_text().replace(*change, 1))
    result = runner.invoke(app, ["park", str(park)])
    assert result.exit_code == 2, result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and str(park) in lines[0] and expected in lines[0], lines
    assert "Traceback" not in result.output


def test_a_pack_of_the_wrong_kind_is_named_as_the_park_file_names_it(tmp_path):
    # before: "... field 'criteria': /.../factors/criteria/cn-zero-carbon-building-draft-2023.yaml: this is
    # a building criteria pack ..." (the path of the shipped pack on this machine)
    park = park_copy(tmp_path)
    park.write_text(
        park.read_text().replace(
            "\ncriteria: cn-zero-carbon-park-2025", "\ncriteria: cn-zero-carbon-building-draft-2023"
        )
    )
    result = runner.invoke(app, ["park", str(park)])
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        f"error: {park}: field 'criteria': criteria pack cn-zero-carbon-building-draft-2023: this is a "
        "building criteria pack; a park needs one of: cn-zero-carbon-park-2025"
    )


def test_a_json_file_that_cannot_be_written_is_one_line_before_any_building_is_assessed(tmp_path, counted):
    # before: the buildings assessed, then "internal error: ... FileNotFoundError ..." and exit code 3
    park = park_copy(tmp_path)
    not_a_folder = tmp_path / "afile"
    not_a_folder.write_text("")
    target = not_a_folder / "park.json"
    result = runner.invoke(app, ["park", str(park), "--json", str(target)])
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        f"error: {target}: the --json file cannot be written: {not_a_folder} is a file, not a folder"
    )
    assert counted == []


def test_a_workbook_not_ending_in_xlsx_is_refused_before_any_building_runs(tmp_path, counted):
    park = park_copy(tmp_path)
    result = runner.invoke(app, ["park", str(park), "-o", str(tmp_path / "park.xls")])
    assert result.exit_code == 2
    assert "the park workbook must end in .xlsx" in result.stderr
    assert counted == [] and not (tmp_path / "park.xls").exists()


def test_one_and_two_workers_write_byte_identical_json(tmp_path):
    park = park_copy(tmp_path)
    one, two = tmp_path / "one.json", tmp_path / "two.json"
    result = runner.invoke(app, ["park", str(park), "--json", str(one), "--workers", "1", "--no-cache"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["park", str(park), "--json", str(two), "--workers", "2", "--no-cache"])
    assert result.exit_code == 0, result.output
    assert one.read_bytes() == two.read_bytes()


def test_a_second_run_with_other_park_energy_assesses_no_building_again(tmp_path, counted):
    park = park_copy(tmp_path)
    cache = tmp_path / "cache"
    first, _ = park_run([str(park), "--cache-dir", str(cache), "--json", str(tmp_path / "first.json")])
    assert first.exit_code == 0, first.output
    assert counted == ["office_a.ifc", "office_b.ifc", "workshop.ifc"]
    outcomes = sorted((cache / "buildings").glob("*.json"))
    assert len(outcomes) == 3
    written = {p: p.stat().st_mtime_ns for p in outcomes}
    # the park's own energy changes: its 2 green certificates are gone
    park.write_text(park.read_text().replace("green_certificates: 2 ", "green_certificates: 0 "))
    second, doc = park_run([str(park), "--cache-dir", str(cache), "--json", str(tmp_path / "second.json")])
    assert second.exit_code == 0, second.output
    assert counted == [
        "office_a.ifc",
        "office_b.ifc",
        "workshop.ifc",
    ]  # no new call: all three from the cache
    assert {p: p.stat().st_mtime_ns for p in sorted((cache / "buildings").glob("*.json"))} == written
    assert "3 from the cache" in second.stdout
    # the park was re-evaluated: the 2,000 kWh the certificates covered now come from the grid
    assert doc["balance"]["grid_remaining_kwh"] == 2_000
    # and the result is the same as without any cache
    fresh, fresh_doc = park_run([str(park), "--no-cache", "--json", str(tmp_path / "fresh.json")])
    assert (tmp_path / "second.json").read_bytes() == (tmp_path / "fresh.json").read_bytes()
    # a changed energy file re-assesses that building only
    del counted[:]
    energy = park.parent / "office_b.energy.yaml"
    energy.write_text(energy.read_text().replace("electricity_kwh: 15000", "electricity_kwh: 16000"))
    third, _ = park_run([str(park), "--cache-dir", str(cache)])
    assert third.exit_code == 0, third.output
    assert counted == ["office_b.ifc"]


def test_a_cache_folder_that_cannot_be_written_costs_time_never_a_result(tmp_path):
    # --cache-dir names a file. Before: every building failed with "internal error: FileExistsError:
    # [Errno 17] File exists: '/...'" (a path on this machine), exit code 1
    park = park_copy(tmp_path)
    not_a_folder = tmp_path / "afile"
    not_a_folder.write_text("")
    result, doc = park_run([str(park), "--cache-dir", str(not_a_folder), "--json", str(tmp_path / "a.json")])
    assert result.exit_code == 0, result.output
    assert {b["status"] for b in doc["buildings"]} == {"done"}
    warning = "warning: the cache folder cannot be written (Not a directory): the buildings were assessed"
    assert f"{warning} without it" in result.stdout
    runner.invoke(app, ["park", str(park), "--no-cache", "--json", str(tmp_path / "fresh.json")])
    assert (tmp_path / "a.json").read_bytes() == (tmp_path / "fresh.json").read_bytes()
    assert str(tmp_path) not in (tmp_path / "a.json").read_text()


def test_the_take_off_cache_of_assess_that_cannot_be_written_is_skipped_with_one_line(tmp_path, capsys):
    # before: FileExistsError out of assess (`assess --cache-dir afile`: "internal error", exit code 3)
    not_a_folder = tmp_path / "afile"
    not_a_folder.write_text("")
    run = assess_module.assess(SAMPLE_PARK / "office_a.ifc", cache_dir=not_a_folder)
    assert run.assessment.embodied.a1_a3 > 0
    assert "warning: the take-off cache in " in capsys.readouterr().err


def test_a_cache_entry_that_is_not_a_whole_assessment_is_a_miss(tmp_path, counted):
    # before: an entry holding only its format gave KeyError: 'parameters', exit code 3
    park = park_copy(tmp_path)
    cache = tmp_path / "cache"
    first, _ = park_run([str(park), "--cache-dir", str(cache), "--json", str(tmp_path / "first.json")])
    assert first.exit_code == 0, first.output
    entry = sorted((cache / "buildings").glob("*.json"))[0]
    entry.write_text('{"format": "bimcarbon.assessment"}')
    del counted[:]
    second, _ = park_run([str(park), "--cache-dir", str(cache), "--json", str(tmp_path / "second.json")])
    assert second.exit_code == 0, second.output
    assert len(counted) == 1  # that building assessed again, the other two from the cache
    assert (tmp_path / "first.json").read_bytes() == (tmp_path / "second.json").read_bytes()
    assert json.loads(entry.read_text())["format_version"] == 3  # written anew, whole


def test_a_cache_written_by_other_code_of_the_same_version_is_not_read(tmp_path, counted, monkeypatch):
    # an editable install changes its code without changing __version__: the digest of bimcarbon's own
    # source is in the key of the outcomes and names the take-offs' folder
    import bimcarbon.park.run as run_module

    park = park_copy(tmp_path)
    cache = tmp_path / "cache"
    park_run([str(park), "--cache-dir", str(cache)])
    assert len(counted) == 3 and len(list((cache / "takeoff").iterdir())) == 1
    monkeypatch.setattr(run_module, "source_digest", lambda: "0" * 64)  # as if a source file changed
    del counted[:]
    park_run([str(park), "--cache-dir", str(cache)])
    assert len(counted) == 3  # every building assessed again
    assert len(list((cache / "takeoff").iterdir())) == 2  # and taken off again, into another folder


def test_a_park_of_public_samples_lists_the_broken_one_and_adds_up_the_others(tmp_path):
    models = [
        sample("AC20-FZK-Haus.ifc"),
        sample("IFC4_Wall_4_with_material.ifc"),
        sample("fail-invalid-entity.ifc"),
    ]
    energy = Path(__file__).resolve().parent.parent / "sample_models" / "office_m.energy.yaml"
    park = tmp_path / "park.yaml"
    lines = ["name: Public samples", "buildings:"]
    for model in models:
        lines += [f"  - name: {model.stem}", f"    model: {model}", f"    energy: {energy}"]
    park.write_text("\n".join(lines) + "\n")
    result, doc = park_run(
        [str(park), "--json", str(tmp_path / "park.json"), "--accept-incomplete", "--no-cache"]
    )
    assert result.exit_code == 1, result.output
    assert [b["status"] for b in doc["buildings"]] == ["done", "done", "failed"]
    assert "no IfcProject" in doc["buildings"][2]["error"]
    done = [b["assessment"] for b in doc["buildings"][:2]]
    assert doc["totals"]["embodied"]["a1_a3"] == pytest.approx(sum(a["embodied"]["a1_a3"] for a in done))
    # each building keeps its own 10,000 kWh from the grid (12,000 used - 2,000 own PV): 20,000 pooled
    assert doc["balance"]["pooled_grid_kwh"] == 20_000
    assert doc["without_embodied"]["verdicts"]["reached"] is None  # grid power only: far above 1 tCO2/tce
    core = next(
        c for c in doc["without_embodied"]["verdicts"]["criteria"] if c["criterion"] == "core-hunan-2027"
    )
    assert core["verdict"] == "fail"
