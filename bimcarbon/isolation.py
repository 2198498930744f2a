"""Reading a model in a child process, so that a crash of the IFC parser is one line, not a dead command.

ifcopenshell's parser is C++: a malformed file can make it crash the whole process (a segmentation
fault; ``tests/data/fuzz/parser-segfault.ifc`` is one). No ``except`` clause sees that. On Linux the
command line therefore reads and takes off the model in a forked child process, which sends the
picklable result back through a pipe; if the child dies instead, the parent reads the model once
more in a new child whose geometry engine uses OpenCASCADE alone (the faster library's CGAL part can
crash where OpenCASCADE does not), and if that one dies too, reports it as a
:class:`~bimcarbon.errors.ModelReadError` naming the file (exit code 2). Forking after the imports
costs milliseconds; sending a 100,000-element take-off back costs well under a second.

:func:`start_isolated` starts the same work and returns at once (the caller does other work meanwhile
and takes the result when it needs it); :func:`alongside` runs work beside the caller's own, in a fork
that shares what the caller has read, falling back to the caller's process if the fork dies.

Where ``fork`` is not available (Windows, and macOS, where it is unsafe), or with ``BIMCARBON_DEBUG``
set (tracebacks and debuggers need one process), the function runs in the calling process.
"""

from __future__ import annotations

import contextlib
import ctypes
import faulthandler
import gc
import multiprocessing
import os
import pickle
import signal
import sys
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any, Generic, TypeVar

from bimcarbon.errors import ModelReadError

T = TypeVar("T")

#: prctl option: the signal the kernel sends this process when its parent dies (Linux).
_PR_SET_PDEATHSIG = 1


def can_isolate() -> bool:
    """Whether :func:`run_isolated` uses a child process here (Linux, not debugging)."""
    return sys.platform.startswith("linux") and not os.environ.get("BIMCARBON_DEBUG")


def run_isolated(function: Callable[..., T], *args: Any, subject: str | Path) -> T:
    """``function(*args)`` in a forked child process; its result, or its exception, in this one.

    When the child crashes (a signal other than SIGKILL), the work is run once more in a new child in
    which the geometry engine uses OpenCASCADE alone (:data:`bimcarbon.ifc.geometry.LIBRARY_VARIABLE`):
    the faster library's CGAL part has crashed on models OpenCASCADE reads. When that child answers, a
    line on stderr says what happened; when it crashes too (a crash of the parser), the crash is
    reported as one error, as it would have been at once.

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
    return start_isolated(function, *args, subject=subject).result()


def start_isolated(function: Callable[..., T], *args: Any, subject: str | Path) -> Isolated[T]:
    """Start ``function(*args)`` in a forked child process and return at once; ``.result()`` waits
    for it and answers as :func:`run_isolated` does.

    The caller goes on with other work meanwhile (the command line imports and loads what the rest of
    the assessment needs while its model is read). Where the work cannot be isolated
    (:func:`can_isolate`), nothing starts: ``.result()`` runs it in this process.
    """
    return Isolated(function, args, subject, _Child(function, args) if can_isolate() else None)


def alongside(function: Callable[..., T], *args: Any) -> Isolated[T]:
    """Start ``function(*args)`` in a forked child, to run alongside this process's own work (the
    pre-check beside the take-off, on the same parsed model); ``.result()`` waits for it.

    If the child dies without an answer, ``.result()`` runs the function in this process, as it would
    have run without the child (a crash there is then this process's, told as before).
    """
    return Isolated(function, args, "", _Child(function, args) if can_isolate() else None, here=True)


class Isolated(Generic[T]):
    """Work started by :func:`start_isolated`: :meth:`result` waits for it, :meth:`cancel` stops it.

    As a context manager, the work is cancelled on leaving the block unless its result was taken (a
    bad energy file found while the model is read must not leave the reader running).
    """

    def __init__(
        self,
        function: Callable[..., T],
        args: tuple,
        subject: str | Path,
        child: _Child | None,
        here: bool = False,
    ) -> None:
        self._function = function
        self._args = args
        self._subject = subject
        self._child = child
        self._here = here  # a child that died: run the work here (alongside), not again in a child
        self._taken: tuple[T] | None = None  # the result, once taken (never computed twice)
        self._failed: BaseException | None = None  # or the error it ended with, raised again

    @classmethod
    def at_hand(cls, value: T) -> Isolated[T]:
        """Work already done (a cached result): ``.result()`` is ``value``."""
        return cls(lambda: value, (), "", None)

    def result(self) -> T:
        """The work's result, or its exception raised here (:func:`run_isolated`); asked again, the
        same (a failed child's work is not run again, here, where a crash would be this process's)."""
        if self._failed is not None:
            raise self._failed
        if self._taken is None:
            try:
                self._taken = (self._outcome(),)
            except BaseException as exc:  # an interrupted wait too: its child is stopped
                self._failed = exc
                raise
        return self._taken[0]

    def _outcome(self) -> T:
        if self._child is None:
            return self._function(*self._args)
        answer = self._child.answer()
        self._child = None
        if isinstance(answer, int) and self._here:
            return self._function(*self._args)
        if isinstance(answer, int):  # died without an answer
            from bimcarbon.ifc.geometry import CAREFUL_LIBRARY, LIBRARY_VARIABLE

            careful = os.environ.get(LIBRARY_VARIABLE, "").lower() == CAREFUL_LIBRARY
            if answer == -signal.SIGKILL or careful or answer >= 0:
                raise ModelReadError(_death(answer), self._subject)
            crash = _signal_name(-answer)
            answer = _Child(self._function, self._args, (LIBRARY_VARIABLE, CAREFUL_LIBRARY)).answer()
            if isinstance(answer, int):  # the same crash again (a parser crash): told as before
                raise ModelReadError(_death(answer), self._subject)
            print(
                f"note: {self._subject}: the reader crashed ({crash}) and read it again with the "
                "geometry engine's OpenCASCADE library alone",
                file=sys.stderr,
            )
        kind, payload = answer
        if kind == "error":
            raise payload
        return payload

    def cancel(self) -> None:
        """Stop the child if it still runs (its result is then never taken)."""
        if self._child is not None:
            self._child.stop()
            self._child = None

    def __enter__(self) -> Isolated[T]:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.cancel()


class _Child:
    """``function(*args)`` started in a forked child process; :meth:`answer` is its ``(kind, payload)``
    answer, or the child's exit code when it died without one. ``environment`` is a variable set in
    the child only."""

    def __init__(
        self, function: Callable[..., Any], args: tuple, environment: tuple[str, str] | None = None
    ) -> None:
        context = multiprocessing.get_context("fork")
        self._receiver, sender = context.Pipe(duplex=False)
        self._process = context.Process(
            target=_child, args=(sender, function, args, os.getpid(), environment), name="bimcarbon-reader"
        )
        with warnings.catch_warnings():
            # Python 3.12+ warns when forking a process with threads; ours are numpy's BLAS pool, which
            # re-initialises itself in the child (pthread_atfork), and the child runs no other thread's
            # work
            warnings.filterwarnings("ignore", message=".*fork.*", category=DeprecationWarning)
            # CPython's recipe for a fork (gc.freeze's documentation): what the child inherits is
            # frozen, so that its collections neither walk it again nor write to its pages (which
            # the fork shares until written). A process that has frozen objects of its own (a reader
            # forking its pre-check) is left as it is: gc cannot unfreeze a part, and what it froze
            # is frozen in the child already
            freezing = not gc.get_freeze_count()
            if freezing:
                gc.freeze()
            try:
                self._process.start()
            finally:
                if freezing:
                    gc.unfreeze()
        sender.close()

    def answer(self) -> tuple[str, Any] | int:
        try:
            try:
                return self._receiver.recv()  # before join: a large result would fill the pipe
            except (EOFError, OSError, pickle.UnpicklingError):  # died before or while answering
                self._process.join()
                return self._process.exitcode if self._process.exitcode is not None else 0
        finally:
            self.stop()

    def stop(self) -> None:
        self._receiver.close()
        if self._process.is_alive():  # interrupted while waiting, or cancelled
            self._process.terminate()
        self._process.join()


def _child(
    sender, function: Callable[..., Any], args: tuple, parent_pid: int, environment: tuple[str, str] | None
) -> None:
    faulthandler.disable()  # a crash is told by the parent in one line, not as a stack dump
    gc.enable()  # paused in a parent that was importing (bimcarbon.cli): the work makes garbage
    _die_with_parent(parent_pid)
    if environment is not None:
        os.environ[environment[0]] = environment[1]
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


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:  # a real-time signal has no name
        return f"signal {number}"


def _death(exit_code: int | None) -> str:
    """What to tell a person when the reader died without an answer."""
    if exit_code is not None and exit_code < 0:
        name = _signal_name(-exit_code)
        if -exit_code == signal.SIGKILL:
            return f"reading the model was killed ({name}), most likely for lack of memory"
        return (
            f"ifcopenshell crashed ({name}) reading this file: it is malformed in a way ifcopenshell "
            "does not catch; check it with a validator or export it again"
        )
    return f"reading the model stopped without an answer (exit code {exit_code})"
