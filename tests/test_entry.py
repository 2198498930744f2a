"""The program's exit (bimcarbon.entry): with the command's code, its output flushed and its atexit
handlers run, without Python's teardown; a normal exit while another thread still works."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import openpyxl

SAMPLES = Path(__file__).resolve().parent.parent / "sample_models"


def _python(code: str, tmp_path: Path) -> subprocess.CompletedProcess:
    command = [sys.executable, "-c", textwrap.dedent(code)]
    return subprocess.run(command, capture_output=True, text=True, cwd=tmp_path, timeout=60)


def test_the_exit_code_output_and_atexit_handlers_survive_the_fast_exit(tmp_path):
    done = _python(
        """
        import atexit, pathlib, sys
        from bimcarbon.entry import leave
        atexit.register(lambda: pathlib.Path("cleaned").write_text("yes"))
        print("no newline at the end", end="")
        print("on stderr", end="", file=sys.stderr)
        leave(3)
        """,
        tmp_path,
    )
    assert done.returncode == 3
    assert done.stdout == "no newline at the end" and done.stderr == "on stderr"
    assert (tmp_path / "cleaned").read_text() == "yes"


def test_an_exit_message_is_printed_and_exits_1(tmp_path):
    done = _python("from bimcarbon.entry import leave\nleave('stopped: reason')", tmp_path)
    assert (done.returncode, done.stderr) == (1, "stopped: reason\n")
    assert _python("from bimcarbon.entry import leave\nleave(None)", tmp_path).returncode == 0


def test_a_thread_still_working_is_waited_for(tmp_path):
    done = _python(
        """
        import pathlib, threading, time
        from bimcarbon.entry import leave
        def work():
            time.sleep(0.3)
            pathlib.Path("finished").write_text("yes")
        threading.Thread(target=work).start()
        leave(0)
        """,
        tmp_path,
    )
    assert done.returncode == 0
    assert (tmp_path / "finished").read_text() == "yes"


def test_the_program_writes_whole_files_and_exits_with_the_commands_code(tmp_path):
    xlsx, js = tmp_path / "office.xlsx", tmp_path / "office.json"
    command = [sys.executable, "-m", "bimcarbon", "assess", str(SAMPLES / "office_m.ifc")]
    done = subprocess.run([*command, "-o", str(xlsx), "--json", str(js)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert json.loads(js.read_text())["embodied"]  # the whole JSON, parsed
    assert "Elements" in openpyxl.load_workbook(xlsx, read_only=True).sheetnames
    missing = subprocess.run([*command[:-1], str(tmp_path / "none.ifc")], capture_output=True, text=True)
    assert missing.returncode == 2
    assert missing.stderr.strip() == f"error: {tmp_path / 'none.ifc'}: file not found"
