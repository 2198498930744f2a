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
