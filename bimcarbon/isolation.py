"""Reading a model in a child process, so that a crash of the IFC parser is one line, not a dead command.

ifcopenshell's parser is C++: a malformed file can make it crash the whole process (a segmentation
fault; ``tests/data/fuzz/parser-segfault.ifc`` is one). No ``except`` clause sees that. On Linux the
command line therefore reads and takes off the model in a forked child process, which sends the
picklable result back through a pipe; if the child dies instead, the parent reports it as a
:class:`~bimcarbon.errors.ModelReadError` naming the file (exit code 2). Forking after the imports
costs milliseconds; sending a 100,000-element take-off back costs well under a second.

Where ``fork`` is not available (Windows, and macOS, where it is unsafe), or with ``BIMCARBON_DEBUG``
set (tracebacks and debuggers need one process), the function runs in the calling process.
"""

from __future__ import annotations

import contextlib
import ctypes
import faulthandler
import multiprocessing
import os
import pickle
import signal
import sys
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from bimcarbon.errors import ModelReadError

T = TypeVar("T")

#: prctl option: the signal the kernel sends this process when its parent dies (Linux).
_PR_SET_PDEATHSIG = 1


def can_isolate() -> bool:
    """Whether :func:`run_isolated` uses a child process here (Linux, not debugging)."""
    return sys.platform.startswith("linux") and not os.environ.get("BIMCARBON_DEBUG")


def run_isolated(function: Callable[..., T], *args: Any, subject: str | Path) -> T:
    """``function(*args)`` in a forked child process; its result, or its exception, in this one.

    Parameters
    ----------
    function
        Work that may crash the process (opening and taking off a model). Its result must pickle.
    *args
        Its arguments (not pickled: the child is a fork).
    subject
        The file the work reads, named in the error if the child dies.

    Returns
    -------
    The function's result.

    Raises
    ------
    ModelReadError
        The child died without an answer (a crash in the parser, or killed for memory).
    Exception
        Whatever the function raised, re-raised here.
    """
    if not can_isolate():
        return function(*args)
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(
        target=_child, args=(sender, function, args, os.getpid()), name="bimcarbon-reader"
    )
    with warnings.catch_warnings():
        # Python 3.12+ warns when forking a process with threads; ours are numpy's BLAS pool, which
        # re-initialises itself in the child (pthread_atfork), and the child runs no other thread's work
        warnings.filterwarnings("ignore", message=".*fork.*", category=DeprecationWarning)
        child.start()
    sender.close()
    try:
        try:
            kind, payload = receiver.recv()  # before join: a large result would fill the pipe
        except (EOFError, OSError, pickle.UnpicklingError):  # died before or while answering
            child.join()
            raise ModelReadError(_death(child.exitcode), subject) from None
    finally:
        receiver.close()
        if child.is_alive():  # interrupted while waiting
            child.terminate()
        child.join()
    if kind == "error":
        raise payload
    return payload


def _child(sender, function: Callable[..., Any], args: tuple, parent_pid: int) -> None:
    faulthandler.disable()  # a crash is told by the parent in one line, not as a stack dump
    _die_with_parent(parent_pid)
    try:
        answer: tuple[str, Any] = ("ok", function(*args))
    except BaseException as exc:  # every outcome goes back to the parent, KeyboardInterrupt too
        answer = ("error", _portable(exc))
    try:
        sender.send(answer)
    except Exception as exc:  # the result does not pickle: a bug, reported as one
        sender.send(("error", RuntimeError(f"result could not be sent back: {type(exc).__name__}: {exc}")))
    finally:
        sender.close()


def _die_with_parent(parent_pid: int) -> None:
    """Have the kernel kill this child when its parent dies (a cancelled job must not leave a model
    read running for minutes, holding gigabytes)."""
    with contextlib.suppress(Exception):  # no libc prctl: the child just finishes on its own
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent_pid:  # the parent died before the request took effect
        os._exit(1)


def _portable(exc: BaseException) -> BaseException:
    """``exc`` if it survives pickling, else a RuntimeError with its type and message."""
    try:
        pickle.loads(pickle.dumps(exc))
        return exc
    except Exception:
        return RuntimeError(f"{type(exc).__name__}: {exc}")


def _death(exit_code: int | None) -> str:
    """What to tell a person when the reader died without an answer."""
    if exit_code is not None and exit_code < 0:
        try:
            name = signal.Signals(-exit_code).name
        except ValueError:  # a real-time signal has no name
            name = f"signal {-exit_code}"
        if -exit_code == signal.SIGKILL:
            return f"reading the model was killed ({name}), most likely for lack of memory"
        return (
            f"ifcopenshell crashed ({name}) reading this file: it is malformed in a way ifcopenshell "
            "does not catch; check it with a validator or export it again"
        )
    return f"reading the model stopped without an answer (exit code {exit_code})"
