"""What keeps a browser safe with the web app: security headers, the Origin/Referer check, CSRF tokens, the
access token in a URL, and the ASGI middleware that applies them to every request (:class:`BrowserGuard`).

The functions are pure (headers and strings in, a decision out) and unit-tested; the middleware only
wires them to ASGI. The rules:

* Every response carries :data:`SECURITY_HEADERS`: a strict Content-Security-Policy (everything from the
  app itself, no inline script or style, no framing), ``X-Frame-Options: DENY``,
  ``X-Content-Type-Options: nosniff`` and ``Referrer-Policy: same-origin`` (same-origin: the Referer
  check below needs the app's own pages to send it; other sites get none).
* A state-changing request (any method but GET, HEAD, OPTIONS) is refused (403) when its ``Origin`` (else
  its ``Referer``) is not the server's own origin (scheme, host and port of the request), when
  ``Sec-Fetch-Site`` says another site sent it, and when it says neither where it came from while it
  comes from a browser: a page route (not ``/api/``), or a request authenticated by the cookie.
* A page form carries a per-session CSRF token (:func:`csrf_token`): an HMAC of the session id (a random
  cookie) with a secret kept in the data folder (:func:`load_secret`). A tossed session cookie does not
  help another site: it cannot compute the token without the secret.
* A client that sends too many different wrong access tokens is held back (:class:`WrongTokens`).
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import ipaddress
import json
import math
import os
import re
import secrets
import tempfile
import threading
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Mapping
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit

#: The policy: everything from the app itself; no inline script or style (the templates have none: a test
#: checks), no plugin, no <base>, forms post to the app only, and no page of another origin may frame it.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS: tuple[tuple[str, str], ...] = (
    ("content-security-policy", CONTENT_SECURITY_POLICY),
    ("x-frame-options", "DENY"),
    ("x-content-type-options", "nosniff"),
    ("referrer-policy", "same-origin"),
    ("cross-origin-opener-policy", "same-origin"),
    ("cross-origin-resource-policy", "same-origin"),
)
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
#: The cookie holding the session id the CSRF token is bound to.
SESSION_COOKIE = "bimcarbon_session"
#: The cookie holding the access token (``--token``), set by the login page or ``?token=``.
TOKEN_COOKIE = "bimcarbon_token"
#: The form field of the CSRF token.
CSRF_FIELD = "csrf_token"
#: Where the middleware leaves the session id for the page (``scope["state"]``).
STATE_KEY = "bimcarbon_session"
_SESSION_ID = re.compile(r"^[A-Za-z0-9_-]{22,64}$")
_DEFAULT_PORTS = {"http": 80, "https": 443}

#: Why a request was refused (English keys of :data:`bimcarbon.web.i18n.ZH`).
FOREIGN = (
    "This request was refused: it was sent by a page of another site, not by this app's own pages. "
    "Nothing was changed."
)
UNSAID = (
    "This request was refused: it did not say which page sent it, and only this app's own pages may "
    "change anything. Nothing was changed."
)
STALE_FORM = (
    "This form could not be accepted: its security code is missing or does not belong to this browser's "
    "session (the page may come from another server or an old tab). Nothing was changed. Go back, reload "
    "the page and send it again."
)
#: Refusal while a client is held back for wrong access tokens (``{seconds}`` until it may try again).
TOO_MANY_WRONG = (
    "Too many wrong access tokens from this address: try again in {seconds} s. Nothing was changed."
)
#: Different wrong access tokens one client may send within :data:`WRONG_TOKEN_WINDOW_S` seconds; one
#: more and it is refused (429, even with the right token) until the oldest is that old: a guesser gets
#: 10 tries a minute. The same wrong token sent again (a browser's cookie from an earlier token) counts
#: once.
MAX_WRONG_TOKENS = 10
WRONG_TOKEN_WINDOW_S = 60.0
#: Clients whose wrong tokens are remembered at most (the oldest are forgotten first).
MAX_CLIENTS_REMEMBERED = 10_000
#: The file in the data folder that holds the secret the CSRF tokens are signed with.
SECRET_FILE = "csrf-secret.key"


def is_api(path: str) -> bool:
    """Whether ``path`` is the JSON API (answered in JSON; scripts, not pages)."""
    return path.startswith("/api/") or path == "/openapi.json"


def origin(url: str) -> tuple[str, str, int] | None:
    """The origin (scheme, host, port) of a URL or an ``Origin`` header; None for ``null`` or nonsense.

    >>> origin("http://127.0.0.1:8000/runs/x?a=1")
    ('http', '127.0.0.1', 8000)
    >>> origin("HTTPS://Example.org")
    ('https', 'example.org', 443)
    """
    try:
        parts = urlsplit(url.strip())
        scheme = parts.scheme.lower()
        port = parts.port if parts.port is not None else _DEFAULT_PORTS.get(scheme)
    except ValueError:  # a port that is not a number
        return None
    if scheme not in _DEFAULT_PORTS or not parts.hostname or port is None:
        return None
    return scheme, parts.hostname.lower(), port


def own_origin(scheme: str, host_header: str) -> tuple[str, str, int] | None:
    """The server's origin for a request: its scheme and ``Host`` header (``127.0.0.1:8000``)."""
    return origin(f"{scheme}://{host_header}") if host_header else None


def refusal(
    method: str, path: str, headers: Mapping[str, str], own: tuple | None, cookie_authenticated: bool
) -> str | None:
    """Why a request must be refused as sent by another site (:data:`FOREIGN`, :data:`UNSAID`), else None.

    ``headers``: lower-case names. ``own``: :func:`own_origin`. ``cookie_authenticated``: the access token
    came in its cookie, not in an ``Authorization`` header.
    """
    if method.upper() in SAFE_METHODS:
        return None
    site = headers.get("sec-fetch-site", "").lower()
    if site in ("cross-site", "same-site"):  # same-site: 127.0.0.1 on another port is the same site
        return FOREIGN
    sent_by = headers.get("origin")
    if sent_by is None and headers.get("referer"):
        sent_by = headers["referer"]
    if sent_by is not None:
        found = origin(sent_by)  # "null" (a sandboxed frame, a data: URL) is foreign
        return None if found is not None and found == own else FOREIGN
    browser = not is_api(path) or cookie_authenticated or bool(site)
    return UNSAID if browser else None


def new_session_id() -> str:
    """A random session id (128 bits)."""
    return secrets.token_urlsafe(16)


def valid_session_id(value: str | None) -> bool:
    """Whether a cookie's value can be a session id (anything else is replaced by a new one)."""
    return bool(value) and _SESSION_ID.match(value) is not None


def csrf_token(secret: bytes, session_id: str) -> str:
    """The CSRF token of a session: HMAC-SHA256 of its id with the server's secret, base64url."""
    digest = hmac.new(secret, b"csrf:" + session_id.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def csrf_valid(secret: bytes, session_id: str | None, given: object) -> bool:
    """Whether ``given`` (the form's field) is the token of ``session_id`` (compared in constant time)."""
    if not isinstance(given, str) or not valid_session_id(session_id):
        return False
    return hmac.compare_digest(given.encode(), csrf_token(secret, session_id).encode())


def client_key(host: str | None) -> str:
    """The client a request counts for, from its address: an IPv4 address as it is, an IPv6 address by
    its /64 network (one host is given a whole /64 and can pick a new address in it for each request)."""
    try:
        address = ipaddress.ip_address((host or "").split("%")[0])
    except ValueError:
        return host or ""
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


def load_secret(folder: Path) -> bytes:
    """The secret the CSRF tokens are signed with: read from :data:`SECRET_FILE` in ``folder``, made
    there (32 random bytes, readable by the server's user only) when it is not there yet. Kept in the data
    folder so a page loaded before a restart still posts, and every server of one data folder agrees.
    Made whole in a temporary file and linked into place: a server starting at the same moment reads the
    whole secret or makes its own attempt, never half a file."""
    path = Path(folder) / SECRET_FILE
    if not path.exists():
        descriptor, temporary = tempfile.mkstemp(dir=folder, prefix=".secret-")  # mode 0600
        try:
            with os.fdopen(descriptor, "wb") as file:
                file.write(secrets.token_bytes(32))
            try:
                os.link(temporary, path)
            except FileExistsError:  # another server made it first: theirs holds
                pass
            except OSError:  # a file system without hard links
                os.replace(temporary, path)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)
    secret = path.read_bytes()
    if len(secret) < 32:
        raise OSError(f"{path}: the secret is shorter than 32 bytes; delete the file to make a new one")
    return secret


class WrongTokens:
    """Wrong access tokens per client address, to hold back a guesser (:data:`MAX_WRONG_TOKENS` different
    ones per :data:`WRONG_TOKEN_WINDOW_S`). Thread-safe; ``clock`` in seconds (monotonic)."""

    def __init__(
        self,
        limit: int = MAX_WRONG_TOKENS,
        window_s: float = WRONG_TOKEN_WINDOW_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.limit, self.window_s, self.clock = limit, window_s, clock
        self._seen: OrderedDict[str, dict[str, float]] = OrderedDict()  # client -> token digest -> when
        self._lock = threading.Lock()

    def _recent(self, client: str, now: float) -> dict[str, float]:
        tokens = self._seen.get(client, {})
        for digest, when in list(tokens.items()):
            if now - when >= self.window_s:
                del tokens[digest]
        return tokens

    def wait_s(self, client: str) -> int:
        """Seconds ``client`` must wait before its next token is looked at (0: it may try now)."""
        with self._lock:
            now = self.clock()
            tokens = self._recent(client, now)
            if len(tokens) < self.limit:
                return 0
            return max(1, math.ceil(min(tokens.values()) + self.window_s - now))

    def failed(self, client: str, given: str) -> None:
        """``client`` sent the wrong token ``given``."""
        with self._lock:
            now = self.clock()
            tokens = self._recent(client, now)
            tokens[hashlib.sha256(given.encode()).hexdigest()] = now
            self._seen[client] = tokens
            self._seen.move_to_end(client)
            while len(self._seen) > MAX_CLIENTS_REMEMBERED:
                self._seen.popitem(last=False)


def token_matches(given: str | None, token: str) -> bool:
    """Whether ``given`` is the access token (constant time)."""
    return bool(given) and secrets.compare_digest(given.encode(), token.encode())


def without_param(path: str, query_string: str, name: str) -> str:
    """The local URL ``path?query`` without the parameter ``name`` (the other ones kept, in order)."""
    kept = [(k, v) for k, v in parse_qsl(query_string, keep_blank_values=True) if k != name]
    return path + ("?" + urlencode(kept) if kept else "")


def safe_next(target: str | None) -> str:
    """A page of this app to go to after the login: a local path (``/runs/x?lang=zh``), else ``/``.

    ``//evil.example``, ``/\\evil.example``, ``https://...`` and control characters are refused: a login
    never sends the person to another site.
    """
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return "/"
    if any(not c.isprintable() or c == "\\" for c in target):
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return "/"
    return target


def add_headers(headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """ASGI response headers with :data:`SECURITY_HEADERS` added (one already set is kept)."""
    present = {name.lower() for name, _ in headers}
    return headers + [(n.encode(), v.encode()) for n, v in SECURITY_HEADERS if n.encode() not in present]


def cookie_header(name: str, value: str, same_site: str) -> tuple[bytes, bytes]:
    """A ``Set-Cookie`` header for a cookie of the whole app, HttpOnly, for the browser's session."""
    jar: SimpleCookie = SimpleCookie()
    jar[name] = value  # quoted when it must be
    jar[name]["path"] = "/"
    jar[name]["httponly"] = True
    jar[name]["samesite"] = same_site
    return b"set-cookie", jar[name].OutputString().encode("latin-1")


def _cookies(header: str) -> dict[str, str]:
    jar: SimpleCookie = SimpleCookie()
    try:
        jar.load(header)
    except Exception:  # a malformed Cookie header: as if there were none
        return {}
    return {k: m.value for k, m in jar.items()}


Render = Callable[[dict, str, int], bytes]


class BrowserGuard:
    """ASGI middleware, the outermost: security headers on every response (404, 413, 429, 500, static
    files included), the Origin/Referer check before the body is read, the session id for the CSRF token,
    and ``?token=`` taken out of a page's URL.

    ``html(scope, reason, status)`` renders the refusal page in the person's language (a page route); the
    API gets ``{"detail": reason}``. ``token``: the access token, if the server has one; ``wrong_tokens``:
    the wrong ones counted per client (shared with the app's other token checks).
    """

    def __init__(
        self, app, html: Render, token: str | None = None, wrong_tokens: WrongTokens | None = None
    ) -> None:
        self.app, self.html, self.token = app, html, token
        self.wrong_tokens = wrong_tokens or WrongTokens()

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers") or []}
        cookies = _cookies(headers.get("cookie", ""))
        session = cookies.get(SESSION_COOKIE)
        minted = not valid_session_id(session)
        if minted:
            session = new_session_id()
        scope.setdefault("state", {})[STATE_KEY] = session
        method, path = scope.get("method", "GET"), scope.get("path", "/")
        cookie_authenticated = bool(self.token) and TOKEN_COOKIE in cookies and "authorization" not in headers
        reason = refusal(
            method,
            path,
            headers,
            own_origin(scope.get("scheme", "http"), headers.get("host", "")),
            cookie_authenticated,
        )
        if reason is not None:
            await self._refuse(scope, send, reason)
            return
        query = scope.get("query_string", b"").decode("latin-1")
        if self.token and method in ("GET", "HEAD") and not is_api(path):
            given = dict(parse_qsl(query, keep_blank_values=True)).get("token")
            if given is not None:
                client = client_key((scope.get("client") or ("",))[0])
                valid = False
                if not self.wrong_tokens.wait_s(client):  # held back: no cookie, whatever was given
                    valid = token_matches(given, self.token)
                    if not valid:
                        self.wrong_tokens.failed(client, given or "\0")
                await self._drop_token(send, path, query, valid)
                return

        changes = method not in SAFE_METHODS and path != "/login"
        if self.token and changes and await self._without_token(scope, send, headers, cookies, path, query):
            return

        started = False

        async def guarded_send(message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                extra = list(message.get("headers") or [])
                html = any(n.lower() == b"content-type" and v.startswith(b"text/html") for n, v in extra)
                if minted and html:  # the page's forms carry the token of this session
                    extra.append(cookie_header(SESSION_COOKIE, session, "Lax"))
                message = {**message, "headers": add_headers(extra)}
            await send(message)

        try:
            await self.app(scope, receive, guarded_send)
        except Exception:
            if not started:  # the server's 500, with the headers too
                await _respond(send, 500, b"text/plain; charset=utf-8", b"Internal Server Error")
            raise

    async def _refuse(self, scope, send, reason: str) -> None:
        if is_api(scope.get("path", "/")):
            await _respond(send, 403, b"application/json", json.dumps({"detail": reason}).encode())
        else:
            await _respond(send, 403, b"text/html; charset=utf-8", self.html(scope, reason, 403))

    async def _without_token(self, scope, send, headers: dict, cookies: dict, path: str, query: str) -> bool:
        """A request that changes something, refused before its body is read (whatever its size, and
        whatever the route parses first) unless it brings the access token; wrong tokens are counted.
        The API gets JSON 401 (429 while held back); a page's form goes to the login page. Whether it
        was refused."""
        api = is_api(path)
        given = headers.get("authorization", "").removeprefix("Bearer ").strip()
        given = given or (dict(parse_qsl(query)).get("token", "") if api else "")
        given = given or cookies.get(TOKEN_COOKIE, "")
        client = client_key((scope.get("client") or ("",))[0])
        wait_s = self.wrong_tokens.wait_s(client)
        if not wait_s and token_matches(given, self.token):
            return False
        if given and not wait_s:
            self.wrong_tokens.failed(client, given)
        if api:
            if wait_s:
                detail, status = TOO_MANY_WRONG.format(seconds=wait_s), 429
                extra = [(b"retry-after", str(wait_s).encode())]
            else:
                detail, status = "an access token is required", 401
                extra = [(b"www-authenticate", b"Bearer")]
            body = json.dumps({"detail": detail}).encode()
            await _respond(send, status, b"application/json", body, extra)
        else:  # back to the page the form was on, through the login page
            referer = urlsplit(headers.get("referer", ""))
            page = safe_next(referer.path + (f"?{referer.query}" if referer.query else ""))
            location = "/login?" + urlencode({"next": page})
            await _respond(send, 303, b"text/plain; charset=utf-8", b"", [(b"location", location.encode())])
        return True

    async def _drop_token(self, send, path: str, query: str, valid: bool) -> None:
        """``?token=`` in a page's URL: to the same URL without it (so it leaves the address bar and the
        history), with the cookie when it is the token (when it is not, the page asks for it)."""
        extra = [(b"location", without_param(path, query, "token").encode("latin-1"))]
        if valid:
            extra.append(cookie_header(TOKEN_COOKIE, self.token, "Strict"))
        await _respond(send, 303, b"text/plain; charset=utf-8", b"", extra)


async def _respond(
    send: Callable[[dict], Awaitable[None]],
    status: int,
    media: bytes,
    body: bytes,
    extra: list[tuple[bytes, bytes]] | None = None,
) -> None:
    headers = [(b"content-type", media), (b"content-length", str(len(body)).encode()), *(extra or [])]
    await send({"type": "http.response.start", "status": status, "headers": add_headers(headers)})
    await send({"type": "http.response.body", "body": body})
