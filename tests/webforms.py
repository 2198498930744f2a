"""What a browser sends with a form of the web app's own pages, for the test client: the page's
``Origin`` and the form's CSRF field (see bimcarbon/web/security.py)."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

#: The hidden field ``csrf_field()`` writes in every form that posts.
CSRF_INPUT = re.compile(r'<input type="hidden" name="csrf_token" value="([^"]+)">')


def as_browser(client: TestClient) -> TestClient:
    """The client sends the ``Origin`` a browser sends with a form of the app's pages (its own origin)."""
    client.headers["origin"] = str(client.base_url).rstrip("/")
    return client


def csrf(client: TestClient, page: str = "/") -> dict[str, str]:
    """The CSRF field of the forms on ``page``, as a browser that loaded the page posts it."""
    match = CSRF_INPUT.search(client.get(page).text)
    assert match, f"no CSRF field on {page}"
    return {"csrf_token": match.group(1)}


def finished_run(client: TestClient, files: dict, data: dict, seconds: float = 120) -> str:
    """Upload through the API, wait for the run to end and return its id once it is done (the test fails
    with the run's message otherwise)."""
    import time

    run_id = client.post("/api/runs", files=files, data=data).json()["id"]
    deadline = time.monotonic() + seconds
    while (run := client.get(f"/api/runs/{run_id}").json())["status"] not in ("done", "failed"):
        assert time.monotonic() < deadline, f"run {run_id} still {run['status']} after {seconds:g} s"
        time.sleep(0.3)
    assert run["status"] == "done", run["message"]
    return run_id
