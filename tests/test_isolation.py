"""Work run in a child process: results, errors and deaths come back as the caller expects."""

from __future__ import annotations

import os
import signal

import pytest

from bimcarbon.errors import FactorFileError, ModelReadError
from bimcarbon.isolation import can_isolate, run_isolated

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
    with pytest.raises(ModelReadError, match=r"^m\.ifc: the IFC parser crashed \(SIGSEGV\)"):
        run_isolated(_die, signal.SIGSEGV, subject="m.ifc")


def test_a_kill_is_reported_as_probably_memory():
    with pytest.raises(ModelReadError, match="killed \\(SIGKILL\\), most likely for lack of memory"):
        run_isolated(_die, signal.SIGKILL, subject="big.ifc")


def test_debugging_runs_in_process(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("BIMCARBON_DEBUG", "1")
    pid, _ = run_isolated(_pid_and_sum, 1, 1, subject="m.ifc")
    assert pid == os.getpid()
