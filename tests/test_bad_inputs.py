"""A corpus of bad and hostile inputs, generated here from the bundled office: every case ends in one
clear line and exit code 2, or a completed take-off that keeps every element; never a traceback."""

from __future__ import annotations

import io
import json
import os
import random
import re
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bimcarbon.cli import app

OFFICE = Path(__file__).resolve().parent.parent / "sample_models" / "office_m.ifc"
TEXT = OFFICE.read_text()


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _swap(old: str, new: str) -> bytes:
    """The office model with the first ``old`` replaced by ``new``."""
    return TEXT.replace(old, new, 1).encode()


def _first_quantity(text: str, value: str) -> str:
    """Replace the value of the first NetVolume quantity."""
    start = text.index("IFCQUANTITYVOLUME('NetVolume'")
    end = text.index(");", start)
    head = text[start:end].rsplit(",", 1)[0]
    return text[:start] + f"{head},{value}" + text[end:]


CASES: dict[str, tuple[str, bytes]] = {
    "empty": (".ifc", b""),
    "random bytes": (".ifc", random.Random(7).randbytes(4096)),
    "pdf renamed": (".ifc", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"),
    "truncated at 10%": (".ifc", TEXT.encode()[: len(TEXT) // 10]),
    "truncated at 50%": (".ifc", TEXT.encode()[: len(TEXT) // 2]),
    "truncated at 99%": (".ifc", TEXT.encode()[: len(TEXT) * 99 // 100]),
    "missing header": (".ifc", TEXT.split("DATA;", 1)[1].encode()),
    "syntax error": (".ifc", TEXT.replace("IFCWALL(", "IFCWALL((", 1).encode()),
    "unknown entity": (".ifc", TEXT.replace("IFCBUILDINGELEMENTPROXY(", "IFCNOSUCHTHING(", 1).encode()),
    "dangling reference": (".ifc", TEXT.replace("#6=IFCUNITASSIGNMENT", "#6=IFCUNITASSIGNMENTX", 1).encode()),
    "no unit assignment": (".ifc", TEXT.replace(",#6);", ",$);", 1).encode()),
    "negative quantity": (".ifc", _first_quantity(TEXT, "-5.").encode()),
    "huge quantity": (".ifc", _first_quantity(TEXT, "1.E300").encode()),
    "zero quantity": (".ifc", _first_quantity(TEXT, "0.").encode()),
    "infinite quantity": (".ifc", _first_quantity(TEXT, "1.E400").encode()),
    "nan quantity": (".ifc", _first_quantity(TEXT, "NAN").encode()),
    "fractions summing to 1.35": (".ifc", _swap("'Frame',$,#38,0.25,$)", "'Frame',$,#38,0.6,$)")),
    "profile set without profiles": (".ifc", _swap("'HEB 200',$,(#376),$)", "'HEB 200',$,(),$)")),
    "zero-size profile": (".ifc", _swap("'Glulam 200x400',#462,0.2,0.4)", "'Glulam 200x400',#462,0.,0.)")),
    "zero-depth extrusion": (".ifc", _swap("#104,#99,3.)", "#104,#99,0.)")),
    "body that is not geometry": (".ifc", _swap("#100,#104,#99,3.)", "#100,#104,#100,3.)")),
    "zero thickness layers": (".ifc", TEXT.replace(",0.2,", ",0.,").encode()),
    "chinese and escapes": (".ifc", TEXT.replace("'Concrete C30/37'", "'\\X2\\6DF751DD571F\\X0\\'").encode()),
    "control characters": (".ifc", TEXT.replace("'Gypsum plaster'", "'Gyp\\X2\\0001\\X0\\sum'").encode()),
    "10000 character name": (".ifc", TEXT.replace("'Glulam beam'", "'" + "x" * 10_000 + "'", 1).encode()),
    "formula names": (
        ".ifc",
        TEXT.replace("'Glulam GL24h'", "'=HYPERLINK(\"http://x\",\"y\")'")
        .replace("'Unclassified block'", "'@SUM(1)'")
        .encode(),
    ),
    "zip with no ifc": (".ifczip", _zip({"readme.txt": b"hello"})),
    "zip with two ifcs": (".ifczip", _zip({"a.ifc": TEXT.encode(), "b.ifc": TEXT.encode()})),
    "nested zip": (".ifczip", _zip({"inner.ifczip": _zip({"model.ifc": TEXT.encode()})})),
    "zip member with ../": (".ifczip", _zip({"../../escape.ifc": TEXT.encode()})),
    "zip bomb": (".ifczip", _zip({"model.ifc": _swap("DATA;", "DATA;\n/*" + "0" * 30_000_000 + "*/")})),
}  # fmt: skip


def _take_off_case(tmp_path: Path, case: str):
    """Write the case's file and take it off from the CLI (geometry always, JSON out)."""
    suffix, data = CASES[case]
    path = tmp_path / f"case{suffix}"
    path.write_bytes(data)
    out = tmp_path / "t.json"
    cwd = os.getcwd()
    os.chdir(tmp_path)  # a zip member named ../../escape.ifc must not land anywhere
    try:
        result = CliRunner().invoke(app, ["takeoff", str(path), "-o", str(out), "--geometry", "always"])
    finally:
        os.chdir(cwd)
    return path, out, result


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input_is_one_clear_line_or_a_complete_take_off(tmp_path, case):
    path, out, result = _take_off_case(tmp_path, case)
    assert result.exit_code in (0, 2), (case, result.output)
    assert "Traceback" not in result.output
    if result.exit_code == 2:
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        assert len(lines) == 1 and str(path) in lines[0], (case, lines)
    else:
        doc = json.loads(out.read_text())
        summary = doc["summary"]
        assert summary["elements_taken_off"] + summary["elements_excluded"] == summary["ifc_elements"]
    assert not (tmp_path.parent / "escape.ifc").exists()


#: What a person is told for cases that must be taken off: a flag on a row, and text in a warning.
WALL_S = "2htVxaAh5Iculs583igemd"  # the wall whose body the geometry cases break
EXPECTED = {
    "fractions summing to 1.35": ("fractions_normalised", None),
    "profile set without profiles": ("empty_material_set", None),
    "zero-size profile": ("profile_area_unknown", None),
    "zero-depth extrusion": ("geometry_failed", WALL_S),
    "body that is not geometry": ("geometry_failed", WALL_S),
    "nan quantity": (None, "'NAN' not found in schema"),
    "zero thickness layers": ("zero_thickness_layer", None),
}


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_odd_content_is_flagged_on_its_rows_and_named_in_a_warning(tmp_path, case):
    _, out, result = _take_off_case(tmp_path, case)
    assert result.exit_code == 0, result.output
    doc = json.loads(out.read_text())
    flag, warned = EXPECTED[case]
    if flag is not None:
        assert any(flag in (row["flags"] or []) for row in doc["rows"]), flag
    if warned is not None:
        assert any(warned in line for line in doc["warnings"]), doc["warnings"]


def test_a_zip_bomb_is_refused_before_it_is_unpacked(tmp_path):
    path = tmp_path / "bomb.ifczip"
    path.write_bytes(CASES["zip bomb"][1])
    result = CliRunner().invoke(app, ["takeoff", str(path), "-o", str(tmp_path / "t.csv")])
    assert result.exit_code == 2
    assert re.search(r"ratio \d{3,},?\d*:1\): refused as a possible zip bomb", result.stderr)


def test_every_case_really_changes_the_model():
    """A replacement that no longer finds its text would test the intact model instead."""
    unchanged = [name for name, (_, data) in CASES.items() if data == TEXT.encode()]
    assert not unchanged
