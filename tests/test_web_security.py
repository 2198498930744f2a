"""The web app in a browser's hands (issue 14, points 2, 4 and 8): forms carry a per-session CSRF token,
state-changing requests from another origin (127.0.0.1 on another port included) are refused, every
response carries the security headers, and a protected server asks a browser for its token on a page."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from webforms import CSRF_INPUT, csrf

from bimcarbon.web import security
from bimcarbon.web.app import Settings, create_app
from bimcarbon.web.store import Store

OFFICE = Path(__file__).resolve().parent.parent / "sample_models" / "office_m.ifc"
TEMPLATES = Path(__file__).resolve().parent.parent / "bimcarbon" / "web" / "templates"
STATIC = TEMPLATES.parent / "static"
SERVER = "http://127.0.0.1:8000"
#: A page served by another program on the same machine: the same site, another origin.
OTHER_PORT = "http://127.0.0.1:8001"
OWN = ("http", "127.0.0.1", 8000)


def _client(tmp_path, **settings) -> TestClient:
    """A browser at http://127.0.0.1:8000 (the server's default address)."""
    app = create_app(Settings(data_dir=tmp_path / "data", max_concurrent_runs=0, **settings))
    return TestClient(app, base_url=SERVER)


def _queued_run(tmp_path) -> tuple[Store, str]:
    """A run waiting in the queue (no worker: ``max_concurrent_runs=0``)."""
    store = Store(tmp_path / "data")
    return store, store.add_run(store.project("Tower"), "0" * 64, {"model_name": "m.ifc"}, name="Scheme A")


def _runs(store: Store) -> int:
    return sum(len(store.runs_of(p["id"])) for p in store.projects())


# ---- the rules, as pure functions --------------------------------------------------------------------
def test_an_origin_is_its_scheme_host_and_port():
    assert security.origin("http://127.0.0.1:8000/runs/x?a=1") == OWN
    assert security.origin("HTTP://LOCALHOST") == ("http", "localhost", 80)  # the default port
    assert security.origin("https://[::1]:8443/") == ("https", "::1", 8443)
    assert security.own_origin("http", "127.0.0.1:8000") == OWN
    for nonsense in ("null", "", "file:///etc/passwd", "http://", "http://h:port", "javascript:alert(1)"):
        assert security.origin(nonsense) is None, nonsense


@pytest.mark.parametrize(
    ("method", "path", "headers", "cookie", "expected"),
    [
        ("GET", "/runs/x", {"origin": OTHER_PORT}, False, None),  # reading is not changing
        ("POST", "/runs", {"origin": SERVER}, False, None),  # the app's own form
        ("POST", "/runs", {"origin": OTHER_PORT}, False, security.FOREIGN),  # another port
        ("POST", "/runs", {"origin": "http://localhost:8000"}, False, security.FOREIGN),  # another host name
        ("POST", "/runs", {"origin": "https://127.0.0.1:8000"}, False, security.FOREIGN),  # another scheme
        ("POST", "/runs", {"origin": "null"}, False, security.FOREIGN),  # a sandboxed frame, a data: URL
        ("POST", "/runs", {"referer": SERVER + "/runs/x"}, False, None),  # no Origin: its Referer
        ("POST", "/runs", {"referer": OTHER_PORT + "/evil"}, False, security.FOREIGN),
        ("POST", "/runs", {}, False, security.UNSAID),  # a page route: from a browser
        ("POST", "/runs", {"origin": SERVER, "sec-fetch-site": "same-site"}, False, security.FOREIGN),
        ("POST", "/api/runs", {}, False, None),  # a script (curl) with no browser around it
        ("POST", "/api/runs", {}, True, security.UNSAID),  # the cookie: a browser's request
        ("POST", "/api/runs", {"sec-fetch-site": "cross-site"}, False, security.FOREIGN),
        ("POST", "/api/runs", {"origin": OTHER_PORT}, False, security.FOREIGN),  # without a token too
        ("PATCH", "/api/runs/x", {"origin": OTHER_PORT}, False, security.FOREIGN),
        ("DELETE", "/runs/x", {"origin": OTHER_PORT}, False, security.FOREIGN),
    ],
)
def test_a_state_changing_request_must_come_from_the_servers_own_origin(
    method, path, headers, cookie, expected
):
    assert security.refusal(method, path, headers, OWN, cookie_authenticated=cookie) == expected


def test_a_csrf_token_belongs_to_its_session_and_to_this_server():
    secret, session = b"k" * 32, security.new_session_id()
    token = security.csrf_token(secret, session)
    assert security.csrf_valid(secret, session, token)
    assert not security.csrf_valid(secret, security.new_session_id(), token)  # another session's
    assert not security.csrf_valid(b"j" * 32, session, token)  # a restarted server's (a new secret)
    assert not security.csrf_valid(secret, session, token[:-1] + ("A" if token[-1] != "A" else "B"))
    assert not security.csrf_valid(secret, session, None) and not security.csrf_valid(secret, session, "")
    assert not security.csrf_valid(secret, "short", security.csrf_token(secret, "short"))  # not a session id
    assert security.valid_session_id(session) and not security.valid_session_id("a;b=c" * 5)


def test_after_the_login_the_person_stays_on_this_site():
    assert security.safe_next("/runs/x?lang=zh") == "/runs/x?lang=zh"
    for elsewhere in ("//evil.example/", "/\\evil.example", "https://evil.example/", "runs/x", "", None):
        assert security.safe_next(elsewhere) == "/", elsewhere
    assert security.safe_next("/runs/x\r\nSet-Cookie: a=b") == "/"


def test_the_token_leaves_the_url_and_the_other_parameters_stay():
    assert security.without_param("/runs/x", "token=s3cret&lang=zh", "token") == "/runs/x?lang=zh"
    assert security.without_param("/", "token=s3cret", "token") == "/"
    assert security.without_param("/p/c", "a=1&token=t&b=2", "token") == "/p/c?a=1&b=2"


def test_a_header_the_app_sets_itself_is_kept():
    headers = security.add_headers([(b"x-frame-options", b"SAMEORIGIN")])
    assert headers.count((b"x-frame-options", b"SAMEORIGIN")) == 1
    assert (b"x-frame-options", b"DENY") not in headers
    assert (b"x-content-type-options", b"nosniff") in headers


# ---- CSRF and the Origin check, through the app ---------------------------------------------------------
def test_a_page_on_another_port_cannot_upload_rename_or_rerun(tmp_path):
    """Issue 14, point 2: a page on 127.0.0.1:<other port> (the same site) auto-submits the app's forms;
    every one is refused with a page in the person's language, and nothing changes."""
    client = _client(tmp_path)
    store, run_id = _queued_run(tmp_path)
    client.get("/")  # the person has the app open: its cookies are sent with the forged posts
    foreign = {"origin": OTHER_PORT, "accept-language": "zh-CN,zh;q=0.9"}
    model = {"model": ("office.ifc", OFFICE.read_bytes(), "application/octet-stream")}
    attempts = [
        client.post("/runs", files=model, data={"project": "Forged"}, headers=foreign),
        client.post(f"/runs/{run_id}/name", data={"run_name": "pwned"}, headers=foreign),
        client.post(f"/runs/{run_id}/rerun", data={"e_electricity_kwh": "1"}, headers=foreign),
    ]
    for response in attempts:
        assert response.status_code == 403 and response.headers["content-type"].startswith("text/html")
        assert "此请求已被拒绝:它由其他网站的页面发出" in response.text and 'lang="zh-CN"' in response.text
    field = csrf(client)  # even with the form's token (no other site can read it): the origin is wrong
    english = client.post("/runs", files=model, data=field, headers={"origin": OTHER_PORT})
    assert english.status_code == 403 and "it was sent by a page of another site" in english.text
    # the API without a token: a browser's request from another origin is refused too, in JSON
    api = client.post("/api/runs", files=model, data={"project": "Forged"}, headers={"origin": OTHER_PORT})
    assert api.status_code == 403 and "another site" in api.json()["detail"]
    patch = client.patch(f"/api/runs/{run_id}", json={"name": "pwned"}, headers={"origin": OTHER_PORT})
    assert patch.status_code == 403
    referer = client.post(f"/runs/{run_id}/name", data={"run_name": "pwned", **field},
                          headers={"referer": OTHER_PORT + "/attack.html"})  # fmt: skip
    assert referer.status_code == 403
    assert [p["name"] for p in store.projects()] == ["Tower"] and _runs(store) == 1
    assert store.run(run_id)["name"] == "Scheme A"


def test_a_no_cors_multipart_post_without_the_csrf_field_is_refused(tmp_path):
    """A form post that says it comes from the app's own origin but carries no token, another session's
    token or another server's is refused; the app's own form, with its field, is accepted."""
    client = _client(tmp_path)
    store, run_id = _queued_run(tmp_path)
    own = {"origin": SERVER}
    model = {"model": ("office.ifc", OFFICE.read_bytes(), "application/octet-stream")}
    client.get("/")  # this browser's session

    def tokens():
        yield from ({}, {"csrf_token": ""})
        yield csrf(TestClient(client.app, base_url=SERVER))  # another browser's
        other = _client(tmp_path / "other")  # the same session, a server of another data folder
        other.cookies.set(security.SESSION_COOKIE, client.cookies[security.SESSION_COOKIE])
        yield csrf(other)

    for field in tokens():
        response = client.post("/runs", files=model, data={"project": "Forged", **field}, headers=own)
        assert response.status_code == 403 and "security code is missing or does not belong" in response.text
        renamed = client.post(f"/runs/{run_id}/name", data={"run_name": "pwned", **field}, headers=own)
        assert renamed.status_code == 403
    missing = client.post("/runs", files=model, data={"project": "Forged"})  # no Origin, no Referer
    assert missing.status_code == 403 and "did not say which page sent it" in missing.text
    assert _runs(store) == 1 and store.run(run_id)["name"] == "Scheme A"
    # the legitimate form: its field and the browser's Origin
    renamed = client.post(
        f"/runs/{run_id}/name", data={"run_name": "Scheme B", **csrf(client, f"/runs/{run_id}")}, headers=own,
        follow_redirects=False,
    )  # fmt: skip
    assert renamed.status_code == 303 and store.run(run_id)["name"] == "Scheme B"
    sent = client.post("/runs", files=model, data={"project": "Real", **csrf(client)}, headers=own,
                       follow_redirects=False)  # fmt: skip
    assert sent.status_code == 303 and _runs(store) == 2
    # a script without a browser (no Origin, no cookie) still uses the API
    script = TestClient(client.app, base_url=SERVER)
    assert script.post("/api/runs", files=model, data={"project": "Script"}).status_code == 201


def test_every_form_that_posts_carries_the_csrf_field():
    """Every template's form that posts has ``{{ csrf_field() }}`` (one line per form), and a form that
    gets has none (its fields would land in the URL)."""
    posting = 0
    for template in sorted(TEMPLATES.glob("*.html")):
        for form in re.findall(r"<form\b.*?</form>", template.read_text(encoding="utf-8"), flags=re.S):
            opening = form.split(">", 1)[0].lower()
            if 'method="post"' in opening:
                posting += 1
                assert form.count("{{ csrf_field() }}") == 1, (template.name, opening)
            else:
                assert "csrf_field" not in form, (template.name, opening)
    assert posting >= 4  # upload, re-run, rename, login


def test_every_page_with_a_form_renders_the_sessions_token(tmp_path):
    """The pages with a form that posts: the upload form (and its refusal over the size limit), the run
    page (rename; re-run once done: ``test_web_fixing`` posts that form as rendered), and the login page."""
    client = _client(tmp_path, max_upload_bytes=1 << 20)
    _, run_id = _queued_run(tmp_path)
    first = client.get("/")
    token = CSRF_INPUT.search(first.text).group(1)
    session = first.cookies[security.SESSION_COOKIE]
    assert (
        "httponly" in first.headers["set-cookie"].lower()
        and "samesite=lax" in first.headers["set-cookie"].lower()
    )
    big = {"model": ("big.ifc", b"0" * (6 << 20), "application/octet-stream")}
    pages = {
        "/": client.get("/"),
        f"/runs/{run_id}": client.get(f"/runs/{run_id}"),
        "413": client.post("/runs", files=big, headers={"origin": SERVER, "accept": "text/html"}),
    }
    for name, page in pages.items():
        posting = re.findall(r'<form[^>]*method="post"[^>]*>(.*?)</form>', page.text, flags=re.S)
        assert posting, name
        for form in posting:
            assert CSRF_INPUT.findall(form) == [token], name  # this session's, once per form
    assert client.cookies[security.SESSION_COOKIE] == session  # kept, not replaced by each page
    protected = _client(tmp_path / "protected", token="s3cret")
    login = protected.get("/runs/x", headers={"accept": "text/html"})
    assert len(CSRF_INPUT.findall(login.text)) == 1


# ---- headers ---------------------------------------------------------------------------------------------
def test_every_response_carries_the_security_headers(tmp_path):
    """Pages, static files, JSON, redirects and every refusal: 400, 401, 403, 404, 413, 429."""
    client = _client(tmp_path, max_upload_bytes=1 << 20, max_queued_runs=0)
    _, run_id = _queued_run(tmp_path)  # the queue is full: the next upload is refused with 429
    own = {"origin": SERVER}
    model = {"model": ("office.ifc", OFFICE.read_bytes(), "application/octet-stream")}
    responses = {
        "page": client.get("/"),
        "run page": client.get(f"/runs/{run_id}"),
        "static": client.get("/static/style.css"),
        "script": client.get("/static/fixing.js"),
        "json": client.get(f"/api/runs/{run_id}"),
        "404": client.get("/runs/nope"),
        "404 static": client.get("/static/nope.css"),
        "405": client.put("/runs", headers=own),
        "413": client.post("/api/runs", files={"model": ("b.ifc", b"0" * (6 << 20))}),
        "429": client.post("/api/runs", files=model),
        "403": client.post("/runs", files=model, headers={"origin": OTHER_PORT}),
        "400 host": client.get("/", headers={"host": "evil.example"}),
    }  # fmt: skip
    protected = _client(tmp_path / "protected", token="s3cret")
    responses["401 api"] = protected.get("/api/projects")
    responses["401 page"] = protected.get("/")
    responses["303"] = protected.get("/?token=s3cret", follow_redirects=False)
    for name, response in responses.items():
        expected = name.split()[0]
        if expected.isdigit():
            assert response.status_code == int(expected), name
        headers = response.headers
        assert headers["x-frame-options"] == "DENY", name
        assert headers["x-content-type-options"] == "nosniff", name
        assert headers["referrer-policy"] == "same-origin", name
        policy = headers["content-security-policy"]
        assert "frame-ancestors 'none'" in policy and "default-src 'self'" in policy, name
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy, name


def test_a_server_error_carries_the_headers_too():
    async def broken(scope, receive, send):
        raise RuntimeError("boom")

    sent: list[dict] = []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        sent.append(message)

    guard = security.BrowserGuard(broken, html=lambda scope, reason, status: b"")
    scope = {"type": "http", "method": "GET", "path": "/", "headers": [(b"host", b"127.0.0.1:8000")]}
    with pytest.raises(RuntimeError):
        asyncio.run(guard(scope, receive, send))
    assert sent[0]["status"] == 500 and (b"x-frame-options", b"DENY") in sent[0]["headers"]


def test_the_pages_hold_no_inline_script_or_style_the_policy_would_block(tmp_path):
    """The policy allows no inline script, event handler or style attribute: the templates have none
    (the colgroup widths are in fixing.css), nor a page as rendered (SVG charts use attributes)."""
    for template in TEMPLATES.glob("*.html"):
        source = template.read_text(encoding="utf-8")
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", source), template.name
        assert not re.search(r"\son[a-z]+\s*=", source), template.name
        assert not re.search(r"\sstyle\s*=", source), template.name
        assert "<style" not in source and "javascript:" not in source, template.name
    for script in STATIC.glob("*.js"):
        code = script.read_text(encoding="utf-8")
        assert not re.search(r"\beval\(|new Function\(|\.innerHTML\s*=|setAttribute\(\s*['\"]style", code)
    client = _client(tmp_path)
    _, run_id = _queued_run(tmp_path)
    for url in ("/", f"/runs/{run_id}"):
        text = client.get(url).text
        assert " style=" not in text and "<style" not in text
        assert all("src=" in tag for tag in re.findall(r"<script[^>]*>", text)), url


# ---- the login page (a server with a token) ----------------------------------------------------------------
def test_a_browser_without_the_cookie_gets_a_login_page_and_the_api_json(tmp_path):
    """Issue 14, point 8: a page asked for without the token is a login page in the person's language; the
    token typed there sets the HttpOnly SameSite=Strict cookie and leads to the page asked for."""
    client = _client(tmp_path, token="s3cret")
    _, run_id = _queued_run(tmp_path)
    asked = f"/runs/{run_id}?lang=zh"
    page = client.get(asked)
    assert page.status_code == 401 and page.headers["content-type"].startswith("text/html")
    assert "访问令牌" in page.text and 'name="token" type="password"' in page.text
    assert f'name="next" value="/runs/{run_id}?lang=zh"' in page.text
    assert "Scheme A" not in page.text  # nothing of the run before the token
    api = client.get(f"/api/runs/{run_id}")
    assert api.status_code == 401 and api.json() == {"detail": "an access token is required"}
    assert api.headers["www-authenticate"] == "Bearer"
    field = csrf(client, asked)
    form = {"next": asked, **field}
    wrong = client.post("/login", data={"token": "guess", **form}, headers={"origin": SERVER})
    assert wrong.status_code == 401 and "访问令牌不正确" in wrong.text
    assert security.TOKEN_COOKIE not in client.cookies
    right = client.post("/login", data={"token": "s3cret", **form}, headers={"origin": SERVER},
                        follow_redirects=False)  # fmt: skip
    assert right.status_code == 303 and right.headers["location"] == asked
    cookie = right.headers["set-cookie"].lower()
    assert "bimcarbon_token=s3cret" in cookie and "httponly" in cookie and "samesite=strict" in cookie
    assert client.get(asked).status_code == 200 and "Scheme A" in client.get(asked).text
    assert client.get(f"/api/runs/{run_id}").status_code == 200  # the page's script may use the API
    # a login never leads to another site
    elsewhere = client.post("/login", data={"token": "s3cret", **field, "next": "//evil.example/x"},
                            headers={"origin": SERVER}, follow_redirects=False)  # fmt: skip
    assert elsewhere.headers["location"] == "/"


def test_a_token_in_the_url_sets_the_cookie_and_leaves_the_url(tmp_path):
    client = _client(tmp_path, token="s3cret")
    _, run_id = _queued_run(tmp_path)
    response = client.get(f"/runs/{run_id}?token=s3cret&lang=zh", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == f"/runs/{run_id}?lang=zh"
    assert "httponly" in response.headers["set-cookie"].lower()
    assert client.get(response.headers["location"]).status_code == 200
    stranger = _client(tmp_path / "other", token="s3cret")
    wrong = stranger.get("/?token=guess", follow_redirects=False)
    assert wrong.status_code == 303 and wrong.headers["location"] == "/"  # out of the URL as well
    assert "set-cookie" not in wrong.headers
    assert stranger.get("/").status_code == 401  # the login page
    # the API takes the token as it is (a script's URL; no cookie, no redirect)
    assert stranger.get("/api/projects?token=s3cret", follow_redirects=False).status_code == 200


def test_a_link_from_another_site_reloads_the_login_page_once_to_bring_the_strict_cookie(tmp_path):
    """A SameSite=Strict cookie is not sent on a navigation from another site: the login page then
    reloads itself (a navigation from this site, which brings the cookie when there is one)."""
    client = _client(tmp_path, token="s3cret")
    navigate = {"sec-fetch-mode": "navigate"}
    linked = client.get("/", headers={**navigate, "sec-fetch-site": "cross-site"})
    assert linked.status_code == 401 and '<meta http-equiv="refresh" content="0">' in linked.text
    reloaded = client.get("/", headers={**navigate, "sec-fetch-site": "same-origin"})
    assert reloaded.status_code == 401 and 'http-equiv="refresh"' not in reloaded.text  # no loop


def test_a_page_loaded_before_a_restart_still_posts(tmp_path):
    """The CSRF secret is kept in the data folder (readable by the server's user only): a form left open
    while the server restarts is accepted by the new one."""
    before = _client(tmp_path)
    store, run_id = _queued_run(tmp_path)
    field = csrf(before, f"/runs/{run_id}")
    after = _client(tmp_path)  # the same data folder, a new server
    after.cookies.set(security.SESSION_COOKIE, before.cookies[security.SESSION_COOKIE])
    renamed = after.post(f"/runs/{run_id}/name", data={"run_name": "Scheme B", **field},
                         headers={"origin": SERVER}, follow_redirects=False)  # fmt: skip
    assert renamed.status_code == 303 and store.run(run_id)["name"] == "Scheme B"
    key = tmp_path / "data" / security.SECRET_FILE
    assert len(key.read_bytes()) == 32 and key.stat().st_mode & 0o777 == 0o600


# ---- wrong access tokens -----------------------------------------------------------------------------------
def test_ten_different_wrong_tokens_a_minute_hold_a_client_back_until_the_first_is_a_minute_old():
    now = [1000.0]
    tokens = security.WrongTokens(clock=lambda: now[0])
    for i in range(10):
        assert tokens.wait_s("10.0.0.1") == 0
        tokens.failed("10.0.0.1", f"guess {i}")
        now[0] += 1.0  # one a second: the first at 1000 s, the tenth at 1009 s
    assert tokens.wait_s("10.0.0.1") == 50  # now 1010 s: free once the first is 60 s old, at 1060 s
    assert tokens.wait_s("10.0.0.2") == 0  # another address is not held back
    now[0] = 1060.0
    assert tokens.wait_s("10.0.0.1") == 0  # the first has left the window: one more try
    tokens.failed("10.0.0.1", "guess 10")
    assert tokens.wait_s("10.0.0.1") == 1  # held again until the second is 60 s old (1061 s)
    stale = security.WrongTokens(clock=lambda: now[0])
    for _ in range(50):  # a browser's cookie from an earlier token, sent with every page
        stale.failed("10.0.0.3", "old token")
    assert stale.wait_s("10.0.0.3") == 0


def test_a_guesser_is_held_back_on_the_api_the_login_page_and_the_url(tmp_path):
    client = _client(tmp_path, token="s3cret")
    for i in range(10):
        wrong = client.get("/api/projects", headers={"authorization": f"Bearer guess{i}"})
        assert wrong.status_code == 401
    right = client.get("/api/projects", headers={"authorization": "Bearer s3cret"})
    assert right.status_code == 429 and right.headers["retry-after"] in {str(s) for s in range(55, 61)}
    assert right.json()["detail"].startswith("Too many wrong access tokens from this address: try again in ")
    field = csrf(client, "/")
    form = {"token": "s3cret", "next": "/", **field}
    page = client.post("/login?lang=zh", data=form, headers={"origin": SERVER})
    assert page.status_code == 429 and "来自此地址的错误访问令牌过多" in page.text
    assert security.TOKEN_COOKIE not in client.cookies
    linked = client.get("/?token=s3cret", follow_redirects=False)
    assert linked.status_code == 303 and "set-cookie" not in linked.headers  # no cookie while held back
    other = TestClient(client.app, base_url=SERVER, client=("10.9.9.9", 1))
    assert other.get("/api/projects", headers={"authorization": "Bearer s3cret"}).status_code == 200


def _send_body(app, path: str, chunks: int, headers: list[tuple[bytes, bytes]]) -> tuple[int, int]:
    """POST ``chunks`` chunks of 1 MB to ``path`` of the ASGI ``app``: (status, chunks the app read)."""
    read = 0
    sent: list[dict] = []

    async def receive():
        nonlocal read
        read += 1
        return {"type": "http.request", "body": b"x" * (1 << 20), "more_body": read < chunks}

    async def send(message):
        sent.append(message)

    scope = {
        "type": "http",
        "method": "POST",
        "path": path,
        "query_string": b"",
        "headers": [(b"host", b"127.0.0.1:8000"), *headers],
        "client": ("10.0.0.7", 5000),
        "scheme": "http",
        "server": ("127.0.0.1", 8000),
        "http_version": "1.1",
        "root_path": "",
    }
    asyncio.run(app(scope, receive, send))
    return sent[0]["status"], read


def test_without_the_token_a_body_is_refused_before_any_of_it_is_read(tmp_path):
    """Before: FastAPI read and parsed the body (up to the upload limit, 200 MB) before the token was
    checked; 44 MB of JSON took 433 MB of memory from anyone."""
    app = _client(tmp_path, token="s3cret").app
    json_type = [(b"content-type", b"application/json")]
    assert _send_body(app, "/api/runs/x/rerun", 44, json_type) == (401, 0)
    assert _send_body(app, "/api/runs", 150, [(b"content-type", b"multipart/form-data; boundary=b")]) == (
        401,
        0,
    )
    page = [(b"origin", SERVER.encode()), (b"content-type", b"application/x-www-form-urlencoded")]
    assert _send_body(app, "/runs/x/name", 44, page) == (303, 0)  # to the login page, unread


def test_anything_but_an_upload_may_send_4_mb_at_most(tmp_path):
    client = _client(tmp_path)
    status, read = _send_body(client.app, "/api/runs/x/rerun", 44, [(b"content-type", b"application/json")])
    assert status == 413 and read == 5  # refused once past 4 MB, the rest never read
    response = client.post("/api/runs/x/rerun", content=b"{" + b" " * (5 << 20) + b"}",
                           headers={"content-type": "application/json"})  # fmt: skip
    assert response.status_code == 413
    assert (
        response.json()["detail"] == "the request is larger than the limit of 4 MB for anything but an upload"
    )


def test_guessing_the_token_in_page_urls_is_counted_too(tmp_path):
    client = _client(tmp_path, token="s3cret")
    for i in range(10):
        assert "set-cookie" not in client.get(f"/?token=guess{i}", follow_redirects=False).headers
    held = client.get("/api/projects", headers={"authorization": "Bearer s3cret"})
    assert held.status_code == 429


def test_an_ipv6_client_is_counted_by_its_64_network():
    assert security.client_key("2001:db8:1:2:aaaa::1") == security.client_key("2001:db8:1:2:bbbb::9")
    assert security.client_key("2001:db8:1:2::1") == "2001:db8:1:2::/64"
    assert security.client_key("2001:db8:1:3::1") != security.client_key("2001:db8:1:2::1")
    assert security.client_key("::ffff:10.0.0.7") == "10.0.0.7" == security.client_key("10.0.0.7")
    assert security.client_key("testclient") == "testclient"  # not an address: as it is
