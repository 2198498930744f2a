"""A corpus of bad and hostile inputs, generated here from the bundled office: every case ends in one
clear line and exit code 2, or a completed take-off that keeps every element; never a traceback."""

from __future__ import annotations

import io
import json
import os
import random
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
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input_is_one_clear_line_or_a_complete_take_off(tmp_path, case):
    suffix, data = CASES[case]
    path = tmp_path / f"case{suffix}"
    path.write_bytes(data)
    out = tmp_path / "t.json"
    cwd = os.getcwd()
    os.chdir(tmp_path)  # a zip member named ../../escape.ifc must not land anywhere
    try:
        result = CliRunner().invoke(app, ["takeoff", str(path), "-o", str(out), "--geometry", "never"])
    finally:
        os.chdir(cwd)
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
