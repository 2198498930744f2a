"""The ``bimcarbon`` program (and ``python -m bimcarbon``): the command line, then an exit without
Python's teardown.

When a command has finished, its files are written and closed and its lines printed. A normal exit
would then tear down every module the command loaded, about 1,000 for an assessment: 0.25-0.3 s on a
2-core machine (pandas alone 0.2 s), a tenth of a small model's assessment spent on nothing anyone
sees. So the program ends with :func:`os._exit`, after what a normal exit does that matters: the
``atexit`` handlers (temporary folders, multiprocessing's children, logging) and flushing standard
output and error. Every file bimcarbon writes is closed by then (each is written in a ``with`` block
or closed by its writer). While another non-daemon thread still runs, the exit is a normal one, which
waits for it.

Tests call :data:`bimcarbon.cli.app` in process and never come here.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import sys
import threading
from typing import NoReturn


def main() -> NoReturn:
    """Run the command line on ``sys.argv`` and exit with its code."""
    from bimcarbon.cli import app

    try:
        app(prog_name="bimcarbon")
    except SystemExit as done:
        leave(done.code)
    leave(0)


def leave(code: object) -> NoReturn:
    """Exit with ``code`` as :class:`SystemExit` reads it (None: 0; a number: itself; anything else:
    printed on standard error, 1), without tearing the interpreter down when no other thread runs."""
    if code is None:
        status = 0
    elif isinstance(code, int):
        status = code
    else:
        print(code, file=sys.stderr)
        status = 1
    main_thread = threading.main_thread()
    if any(t is not main_thread and not t.daemon and t.is_alive() for t in threading.enumerate()):
        sys.exit(status)
    atexit._run_exitfuncs()  # what a normal exit runs first: temporary folders, child processes, logging
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a reader gone (| head), a stream closed
            stream.flush()
    os._exit(status)
