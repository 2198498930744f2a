"""Looking at processes from tests, through /proc (Linux; tests that need it skip elsewhere).

A worker is a process started by ``multiprocessing``'s spawn (its command line holds ``spawn_main``);
a zombie (dead, not yet reaped by its parent or by PID 1) counts as gone.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from bimcarbon.web import jobs

PROC = Path("/proc")


def need_proc() -> None:
    """Skip the test unless /proc can be read (Linux)."""
    if not sys.platform.startswith("linux") or not (PROC / "self" / "stat").exists():
        pytest.skip("needs Linux's /proc to see processes")


def _stat(pid: int) -> tuple[int, str, int] | None:
    """(parent pid, state letter, start time in clock ticks) of a process, or None when it is gone."""
    try:
        text = (PROC / str(pid) / "stat").read_text()
    except OSError:
        return None
    fields = text[text.rindex(")") + 2 :].split()  # the name may hold spaces and parentheses
    return int(fields[1]), fields[0], int(fields[19])


def _cmdline(pid: int) -> str:
    try:
        return (PROC / str(pid) / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def descendants(root: int) -> dict[int, int]:
    """Living (not zombie) descendants of ``root``: pid -> start time (to tell a reused pid apart)."""
    parents: dict[int, list[int]] = {}
    starts: dict[int, int] = {}
    for entry in PROC.iterdir():
        if not entry.name.isdigit():
            continue
        stat = _stat(int(entry.name))
        if stat is None or stat[1] == "Z":
            continue
        parents.setdefault(stat[0], []).append(int(entry.name))
        starts[int(entry.name)] = stat[2]
    found: dict[int, int] = {}
    todo = [root]
    while todo:
        for child in parents.get(todo.pop(), []):
            found[child] = starts[child]
            todo.append(child)
    return found


def workers(root: int) -> dict[int, int]:
    """The living worker processes under ``root`` (pid -> start time)."""
    return {pid: start for pid, start in descendants(root).items() if "spawn_main" in _cmdline(pid)}


def alive(pid: int, start: int) -> bool:
    """Whether the process ``pid`` started at ``start`` still lives (not a zombie, not a reused pid)."""
    stat = _stat(pid)
    return stat is not None and stat[1] != "Z" and stat[2] == start


class WorkerSampler:
    """Counts the worker processes under this process every ``every_s`` seconds in a thread; ``peak``
    is the most seen at once, ``seen`` every worker seen. Workers already alive when it starts (runs of
    an earlier test's server) are not counted."""

    def __init__(self, every_s: float = 0.01) -> None:
        self.every_s, self.peak, self.seen = every_s, 0, set()
        self._before: set[tuple[int, int]] = set()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.is_set():
            now = {pid for pid, start in workers(os.getpid()).items() if (pid, start) not in self._before}
            self.peak = max(self.peak, len(now))
            self.seen |= set(now)
            time.sleep(self.every_s)

    def __enter__(self) -> WorkerSampler:
        self._before = set(workers(os.getpid()).items())
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(data: Path, port: int, log: Path, *options: str) -> subprocess.Popen:
    """``bimcarbon serve`` (with ``options``) in a process of its own, answering on ``port`` once this
    returns; its workers wait 120 s before they start (:data:`bimcarbon.web.jobs.TEST_DELAY_ENV`, honoured
    because pytest runs the test), so a run stays in progress."""
    env = {**os.environ, jobs.TEST_DELAY_ENV: "120"}
    command = [sys.executable, "-m", "bimcarbon", "serve", "--port", str(port), "--data-dir", str(data)]
    command += options
    server = subprocess.Popen(command, env=env, stdout=log.open("ab"), stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/", timeout=2).status_code == 200:
                return server
        except httpx.TransportError:
            time.sleep(0.2)
        if server.poll() is not None:
            break
    server.kill()
    raise AssertionError(f"the server did not start: {log.read_text(errors='replace')}")
