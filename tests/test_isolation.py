"""Work run in a child process: results, errors and deaths come back as the caller expects."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest

from bimcarbon.errors import FactorFileError, ModelReadError
from bimcarbon.ifc.geometry import LIBRARY_VARIABLE
from bimcarbon.isolation import Isolated, alongside, can_isolate, run_isolated, start_isolated

pytestmark = pytest.mark.skipif(not can_isolate(), reason="child processes are used only on Linux")


def _pid_and_sum(a: int, b: int) -> tuple[int, int]:
    return os.getpid(), a + b


def _raise_bimcarbon_error() -> None:
    raise FactorFileError("row 3, column 'value': not a number", "my_factors.csv")


def _raise_unpicklable() -> None:
    class Local(Exception):  # a class defined in a function cannot be pickled
        pass

    raise Local("deep inside")


def _die(signal_number: int) -> None:
    os.kill(os.getpid(), signal_number)


def test_the_result_comes_back_from_another_process():
    pid, total = run_isolated(_pid_and_sum, 2, 3, subject="m.ifc")
    assert total == 5
    assert pid != os.getpid()


def test_a_bimcarbon_error_keeps_its_class_message_and_exit_code():
    with pytest.raises(FactorFileError) as caught:
        run_isolated(_raise_bimcarbon_error, subject="m.ifc")
    assert str(caught.value) == "my_factors.csv: row 3, column 'value': not a number"
    assert caught.value.exit_code == 2


def test_an_exception_that_cannot_be_pickled_comes_back_with_its_name_and_message():
    with pytest.raises(RuntimeError, match="Local: deep inside"):
        run_isolated(_raise_unpicklable, subject="m.ifc")


def test_a_crash_is_a_model_read_error_naming_the_file_and_the_signal():
    with pytest.raises(ModelReadError, match=r"^m\.ifc: ifcopenshell crashed \(SIGSEGV\)"):
        run_isolated(_die, signal.SIGSEGV, subject="m.ifc")


def test_a_kill_is_reported_as_probably_memory():
    with pytest.raises(ModelReadError, match="killed \\(SIGKILL\\), most likely for lack of memory"):
        run_isolated(_die, signal.SIGKILL, subject="big.ifc")


def test_a_signal_without_a_name_is_told_by_number():
    with pytest.raises(ModelReadError, match=r"crashed \(signal 40\)"):
        run_isolated(_die, 40, subject="m.ifc")


def _crash_unless_opencascade_alone(attempts_file: str) -> str:
    with open(attempts_file, "a", encoding="utf-8") as attempts:
        attempts.write("x")
    if os.environ.get(LIBRARY_VARIABLE) != "opencascade":
        os.kill(os.getpid(), signal.SIGSEGV)  # as the fast geometry library's CGAL part has done
    return "read with OpenCASCADE alone"


def test_a_crash_is_read_once_more_with_opencascade_alone_and_the_person_told(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv(LIBRARY_VARIABLE, raising=False)
    attempts = tmp_path / "attempts"
    assert run_isolated(_crash_unless_opencascade_alone, str(attempts), subject="m.ifc") == (
        "read with OpenCASCADE alone"
    )
    assert attempts.read_text() == "xx"
    assert LIBRARY_VARIABLE not in os.environ  # set in the second child only
    assert "m.ifc: the reader crashed (SIGSEGV) and read it again with" in capsys.readouterr().err


def test_a_crash_with_opencascade_alone_already_is_reported_without_another_attempt(tmp_path, monkeypatch):
    monkeypatch.setenv(LIBRARY_VARIABLE, "opencascade")
    attempts = tmp_path / "attempts"
    with pytest.raises(ModelReadError, match=r"^m\.ifc: ifcopenshell crashed \(SIGSEGV\)"):
        run_isolated(_die, signal.SIGSEGV, subject="m.ifc")
    monkeypatch.delenv(LIBRARY_VARIABLE)
    with pytest.raises(ModelReadError, match="killed \\(SIGKILL\\)"):  # memory: no second attempt either
        run_isolated(_kill_counting, str(attempts), subject="m.ifc")
    assert attempts.read_text() == "x"


def _kill_counting(attempts_file: str) -> None:
    with open(attempts_file, "a", encoding="utf-8") as attempts:
        attempts.write("x")
    os.kill(os.getpid(), signal.SIGKILL)


def _sleep_after_writing_pid(pid_file: str) -> None:
    import time

    Path(pid_file).write_text(str(os.getpid()), encoding="utf-8")
    time.sleep(60)


def _alive(pid: int) -> bool:
    """Running (not gone, and not a zombie waiting to be reaped)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_the_reader_dies_with_its_parent(tmp_path):
    """A cancelled command (its process killed) must not leave a model read running."""
    import subprocess
    import sys
    import time

    pid_file = tmp_path / "child.pid"
    script = (
        "import test_isolation as t\n"
        "from bimcarbon.isolation import run_isolated\n"
        f"run_isolated(t._sleep_after_writing_pid, {str(pid_file)!r}, subject='m.ifc')\n"
    )
    parent = subprocess.Popen([sys.executable, "-c", script], cwd=Path(__file__).parent)
    for _ in range(300):
        if pid_file.exists() and pid_file.read_text():
            break
        time.sleep(0.05)
    child_pid = int(pid_file.read_text())
    assert _alive(child_pid)
    parent.kill()
    parent.wait()
    for _ in range(100):
        if not _alive(child_pid):
            break
        time.sleep(0.05)
    assert not _alive(child_pid)


def test_debugging_runs_in_process(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("BIMCARBON_DEBUG", "1")
    pid, _ = run_isolated(_pid_and_sum, 1, 1, subject="m.ifc")
    assert pid == os.getpid()


def _write_then_sum(marker: str, a: int, b: int) -> tuple[int, int]:
    import time

    time.sleep(0.3)
    Path(marker).write_text("done", encoding="utf-8")
    return os.getpid(), a + b


def test_started_work_runs_while_the_caller_goes_on(tmp_path):
    marker = tmp_path / "marker"
    work = start_isolated(_write_then_sum, str(marker), 2, 3, subject="m.ifc")
    assert not marker.exists()  # returned at once, before the work's 0.3 s
    pid, total = work.result()
    assert (total, marker.read_text()) == (5, "done") and pid != os.getpid()


def test_started_work_left_unwanted_is_stopped(tmp_path):
    # a bad energy file found while the model is read: leaving the block stops the reader
    import time

    pid_file = tmp_path / "child.pid"
    work = start_isolated(_sleep_after_writing_pid, str(pid_file), subject="m.ifc")
    with pytest.raises(ValueError, match="bad energy file"), work:
        for _ in range(300):
            if pid_file.exists() and pid_file.read_text():
                break
            time.sleep(0.05)
        assert _alive(int(pid_file.read_text()))
        raise ValueError("bad energy file")
    assert not _alive(int(pid_file.read_text()))


def test_a_started_crash_is_told_as_when_run_at_once():
    work = start_isolated(_die, signal.SIGSEGV, subject="m.ifc")
    with pytest.raises(ModelReadError, match=r"^m\.ifc: ifcopenshell crashed \(SIGSEGV\)"):
        work.result()


def _die_unless_in(pid: int) -> int:
    if os.getpid() != pid:
        os.kill(os.getpid(), signal.SIGSEGV)
    return pid


def test_work_alongside_runs_elsewhere_and_runs_here_when_its_process_dies():
    pid, total = alongside(_pid_and_sum, 4, 5).result()
    assert (total, pid != os.getpid()) == (9, True)
    assert alongside(_die_unless_in, os.getpid()).result() == os.getpid()  # died there: run here


def test_a_result_at_hand_needs_no_process():
    assert Isolated.at_hand(("take-off", 12.5)).result() == ("take-off", 12.5)


def test_a_result_taken_twice_is_the_same_and_the_work_runs_once():
    work = start_isolated(_pid_and_sum, 1, 2, subject="m.ifc")
    first = work.result()
    assert work.result() == first and first[0] != os.getpid()  # not run again, here


def _raise_unless_in(pid: int) -> int:
    if os.getpid() != pid:
        raise FactorFileError("row 3: not a number", "my_factors.csv")
    return pid  # run in the caller's process: a crash there would have been the caller's


def _killed_unless_in(pid: int) -> int:
    if os.getpid() != pid:
        os.kill(os.getpid(), signal.SIGKILL)
    return pid


def test_a_failure_asked_for_twice_is_raised_again_not_run_here():
    # the work failed in its child: asking again must not run it in this process (unisolated, a
    # parser crash would kill the caller), but raise the same error
    work = start_isolated(_raise_unless_in, os.getpid(), subject="m.ifc")
    for _ in range(2):
        with pytest.raises(FactorFileError, match="not a number"):
            work.result()
    crashed = start_isolated(_killed_unless_in, os.getpid(), subject="m.ifc")
    for _ in range(2):
        with pytest.raises(ModelReadError, match="killed"):
            crashed.result()


def _collector_in_child(inherited: list) -> tuple[bool, bool, bool]:
    """Whether the child collects garbage, and whether its collections walk an object it inherited
    and one it made (gc.get_objects lists what collections walk: not what is frozen)."""
    import gc

    own = [object()]
    walked = {id(o) for o in gc.get_objects()}
    return gc.isenabled(), id(inherited) in walked, id(own) in walked


def test_the_child_collects_its_own_garbage_and_skips_what_it_inherited():
    # gc.freeze's documented recipe for a fork: the parent pauses collection while it imports
    # (bimcarbon.cli), the child collects again, and what it inherited is frozen: never walked by its
    # collections, and its pages, shared with the parent, never written by them
    import gc

    inherited = [object()]  # tracked by the collector, made before the fork
    assert id(inherited) in {id(o) for o in gc.get_objects()}  # walked here
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        answer = run_isolated(_collector_in_child, inherited, subject="m.ifc")
        # the parent is as it was: paused, nothing of it frozen
        assert (gc.isenabled(), gc.get_freeze_count()) == (False, 0)
    finally:
        if was_enabled:
            gc.enable()
    assert answer == (True, False, True)  # collecting; the inherited list skipped, its own walked


def test_a_parent_that_froze_objects_itself_is_left_as_it_is():
    # the reader inherits its command's frozen objects and forks its pre-check: gc cannot unfreeze a
    # part, so nothing more is frozen (the reviewer found the fork freezing the reader's whole life)
    import gc

    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        garbage = [[]]  # made after the caller's freeze: must stay collectable
        assert run_isolated(_pid_and_sum, 1, 1, subject="m.ifc")[1] == 2
        assert gc.get_freeze_count() == frozen
        assert id(garbage) in {id(o) for o in gc.get_objects()}
    finally:
        gc.unfreeze()
