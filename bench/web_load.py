"""The web app under load: how fast ``GET /`` answers while runs are going, and that no accepted run is lost.

Starts ``bimcarbon serve`` on a free loopback port with a fresh data folder, two runs at once and
``--max-queued`` waiting (default 2), then, over HTTP on 127.0.0.1 only:

1. *baseline*: ``GET /`` at ``--rate`` per second with no run going (``--baseline`` requests);
2. *load*: ``--uploads`` uploads of a sample model sent at once from as many threads (two run, up to
   ``--max-queued`` wait, the rest are refused with 429: the admission under simultaneous requests),
   then ``GET /`` at the same rate while the runs go, each accepted run polled once a second until it
   ends;
3. prints the median and 95th percentile of ``GET /`` in both phases and their ratios (load /
   baseline), the uploads accepted and refused, and the runs done, failed and *lost* (accepted but not
   ended within ``--timeout`` seconds, or no longer known to the server). Exit code 1 when a run is lost.

A few hundred requests, under a minute on two cores (the runs use the cores: the ratios show what the
pages pay for it). Run from the repository root::

    python bench/web_load.py
    python bench/web_load.py --uploads 12 --rate 20
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parent.parent
MODEL = REPO / "sample_models" / "office_m.ifc"
ENERGY = REPO / "sample_models" / "office_m.energy.yaml"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve(data: Path, port: int, log: Path, max_queued: int) -> subprocess.Popen:
    """``bimcarbon serve`` on 127.0.0.1:``port``, answering once this returns."""
    command = [sys.executable, "-m", "bimcarbon", "serve", "--port", str(port), "--data-dir", str(data)]
    command += ["--max-runs", "2", "--max-queued", str(max_queued)]
    server = subprocess.Popen(command, stdout=log.open("ab"), stderr=subprocess.STDOUT, cwd=REPO)
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
    raise SystemExit(f"the server did not start:\n{log.read_text(errors='replace')}")


def _paced_gets(client: httpx.Client, rate: float, until) -> list[float]:
    """``GET /`` every 1/``rate`` s until ``until()`` is true; the latencies in seconds."""
    latencies: list[float] = []
    step = 1.0 / rate
    due = time.perf_counter()
    while not until():
        start = time.perf_counter()
        response = client.get("/")
        latencies.append(time.perf_counter() - start)
        if response.status_code != 200:
            raise SystemExit(f"GET / answered {response.status_code}")
        due += step
        time.sleep(max(0.0, due - time.perf_counter()))
    return latencies


def _upload(base: str, index: int) -> httpx.Response:
    files = {
        "model": (f"office_{index}.ifc", MODEL.read_bytes(), "application/octet-stream"),
        "energy": ("energy.yaml", ENERGY.read_bytes(), "application/yaml"),
    }
    with httpx.Client(base_url=base, timeout=60) as client:
        return client.post("/api/runs", files=files, data={"project": "bench", "run_name": f"load {index}"})


def _summary(latencies: list[float]) -> tuple[float, float]:
    """(median, 95th percentile) in milliseconds."""
    ms = sorted(1000 * x for x in latencies)
    return statistics.median(ms), ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--uploads", type=int, default=12, help="uploads sent at once (default 12)")
    parser.add_argument("--max-queued", type=int, default=2, help="runs that may wait (default 2)")
    parser.add_argument("--rate", type=float, default=10.0, help="GET / per second (default 10)")
    parser.add_argument("--baseline", type=int, default=60, help="GET / with no run going (default 60)")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds for every run to end")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bimcarbon-web-load-") as tmp:
        port = _free_port()
        base = f"http://127.0.0.1:{port}"
        server = _serve(Path(tmp) / "data", port, Path(tmp) / "server.log", args.max_queued)
        try:
            with httpx.Client(base_url=base, timeout=30) as client:
                for _ in range(10):  # the first pages load the templates: not timed
                    client.get("/")
                count = 0

                def enough() -> bool:
                    nonlocal count
                    count += 1
                    return count > args.baseline

                baseline = _paced_gets(client, args.rate, enough)

                started = time.perf_counter()
                responses: list[httpx.Response | None] = [None] * args.uploads
                threads = [
                    threading.Thread(target=lambda i=i: responses.__setitem__(i, _upload(base, i)))
                    for i in range(args.uploads)
                ]
                for thread in threads:
                    thread.start()
                accepted: list[str] = []
                ended: dict[str, str] = {}
                lost: list[str] = []
                deadline = time.monotonic() + args.timeout
                looked = [0.0]

                def runs_over() -> bool:
                    """All uploads answered and every accepted run ended (or out of time); the runs are
                    looked at once a second."""
                    if any(t.is_alive() for t in threads) or time.monotonic() - looked[0] < 1:
                        return False
                    looked[0] = time.monotonic()
                    if not accepted:
                        accepted.extend(r.json()["id"] for r in responses if r.status_code == 201)
                    for run_id in accepted:
                        if run_id in ended:
                            continue
                        answer = client.get(f"/api/runs/{run_id}")
                        if answer.status_code == 404:
                            ended[run_id] = "unknown"
                        elif answer.json()["status"] in ("done", "failed"):
                            ended[run_id] = answer.json()["status"]
                    return len(ended) == len(accepted) or time.monotonic() > deadline

                under_load = _paced_gets(client, args.rate, runs_over)
                elapsed = time.perf_counter() - started
                lost = [r for r in accepted if ended.get(r) in (None, "unknown")]
        finally:
            server.terminate()
            server.wait(30)

    refused = [r for r in responses if r is not None and r.status_code == 429]
    other = [r.status_code for r in responses if r is not None and r.status_code not in (201, 429)]
    (b_median, b_p95), (l_median, l_p95) = _summary(baseline), _summary(under_load)
    print(f"{'GET /':<22} {'requests':>8} {'median ms':>10} {'p95 ms':>8}")
    print(f"{'no run going':<22} {len(baseline):>8} {b_median:>10.1f} {b_p95:>8.1f}")
    print(f"{'runs going':<22} {len(under_load):>8} {l_median:>10.1f} {l_p95:>8.1f}")
    print(f"{'ratio (load/baseline)':<22} {'':>8} {l_median / b_median:>10.2f} {l_p95 / b_p95:>8.2f}")
    done = sum(1 for s in ended.values() if s == "done")
    failed = sum(1 for s in ended.values() if s == "failed")
    print(
        f"uploads {args.uploads}: accepted {len(accepted)}, refused 429 {len(refused)}"
        + (f", other {other}" if other else "")
        + f"; runs done {done}, failed {failed}, lost {len(lost)}; {elapsed:.1f} s with runs going "
        f"on {os.cpu_count()} cores"
    )
    if lost or other:
        sys.exit(1)


if __name__ == "__main__":
    main()
