"""Issue 14 (points 2, 4 and 8) in a real headless browser (Debian's chromium driven by Playwright): a page
served on 127.0.0.1 from another port posts the app's forms and frames its pages, and changes nothing; the
app's own pages work under its Content-Security-Policy; a protected server asks for the token on a page and
takes ``?token=`` out of the URL."""

from __future__ import annotations

import contextlib
import http.server
import threading

import pytest
from test_web_browser import CHROMIUM, CHROMIUM_ARGS, SAMPLES, _free_port, playwright, serving  # noqa: F401

from bimcarbon.web.store import Store

OFFICE = SAMPLES / "office_m.ifc"


@contextlib.contextmanager
def _other_site(pages: dict[str, bytes]):
    """Another program's pages on 127.0.0.1, another port (``path -> content``)."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (the standard library's name)
            body = pages.get(self.path.split("?")[0])
            if body is None:
                self.send_error(404)
                return
            self.send_response(200)
            kind = "text/html; charset=utf-8" if self.path.endswith(".html") else "application/octet-stream"
            self.send_header("content-type", kind)
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


def _browser(p):
    return p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)


ATTACK = """<!doctype html><html><head><title>cute cats</title></head><body>
<form id="upload" method="post" action="{app}/runs" enctype="multipart/form-data">
<input name="project" value="Forged by a form"><input type="file" name="model"></form>
<script>
(async () => {{
  const ifc = await (await fetch("/office.ifc")).blob();
  const send = (path, fields, withModel) => {{
    const body = new FormData();
    for (const [k, v] of Object.entries(fields)) body.append(k, v);
    if (withModel) body.append("model", ifc, "office.ifc");
    return fetch("{app}" + path, {{ method: "POST", mode: "no-cors", body, credentials: "include" }})
      .catch(() => null);
  }};
  await send("/api/runs", {{ project: "Forged by fetch (API)" }}, true);
  await send("/runs", {{ project: "Forged by fetch (form route)" }}, true);
  await send("/runs/{run}/name", {{ run_name: "pwned" }}, false);
  await send("/runs/{run}/rerun", {{ e_electricity_kwh: "1" }}, false);
  document.title = "sent";
  const form = document.getElementById("upload");
  const files = new DataTransfer();
  files.items.add(new File([ifc], "office.ifc"));
  form.model.files = files.files;
  form.submit();
}})();
</script></body></html>"""

FRAME = """<!doctype html><html><body><iframe id="victim" src="{app}/runs/{run}" width="800" height="600">
</iframe></body></html>"""


def test_a_page_on_another_port_can_neither_post_to_the_app_nor_frame_it(tmp_path):
    data = tmp_path / "data"
    store = Store(data)
    run_id = store.add_run(store.project("Tower"), "0" * 64, {"model_name": "m.ifc"}, name="Scheme A")
    with serving(data, max_concurrent_runs=0) as app:
        pages = {
            "/attack.html": ATTACK.format(app=app, run=run_id).encode(),
            "/frame.html": FRAME.format(app=app, run=run_id).encode(),
            "/office.ifc": OFFICE.read_bytes(),
        }
        with _other_site(pages) as port, playwright.sync_playwright() as p:
            browser = _browser(p)
            page = browser.new_page(locale="zh-CN", extra_http_headers={"accept-language": "zh-CN,zh;q=0.9"})
            page.goto(app + "/")  # the person has the app open: its cookies go with the forged posts
            page.goto(f"http://127.0.0.1:{port}/attack.html")
            page.wait_for_url(app + "/runs", timeout=20_000)  # the auto-submitted form landed
            assert "此请求已被拒绝" in page.inner_text("main")  # refused, in the person's language
            framed = browser.new_page()
            framed.goto(f"http://127.0.0.1:{port}/frame.html")
            framed.wait_for_timeout(1500)
            texts = []
            for frame in framed.frames[1:]:
                with contextlib.suppress(playwright.Error):
                    texts.append(frame.inner_text("body", timeout=1000))
            assert not any("Scheme A" in text for text in texts)  # the run page is not shown in a frame
            browser.close()
    assert [p["name"] for p in store.projects()] == ["Tower"]
    assert [r["id"] for r in store.runs_of(store.projects()[0]["id"])] == [run_id]
    assert store.run(run_id)["name"] == "Scheme A"


def test_the_apps_own_pages_work_under_the_policy(tmp_path):
    """Upload with the form (its CSRF field), rename the run, and read the finished run page: no request is
    refused and the browser reports no Content-Security-Policy violation; the re-run table's column
    widths (moved from style attributes to fixing.css) still apply."""
    with serving(tmp_path / "data", max_concurrent_runs=1) as app, playwright.sync_playwright() as p:
        browser = _browser(p)
        page = browser.new_page(viewport={"width": 1366, "height": 900})
        blocked: list[str] = []
        page.on("console", lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None)
        page.goto(app + "/")
        page.set_input_files("#model", str(OFFICE))
        page.set_input_files("#energy", str(SAMPLES / "office_m.energy.yaml"))
        page.fill("#project", "Own pages")
        page.click("#upload button[type=submit]")
        page.wait_for_url("**/runs/**")
        run_url = page.url
        page.click("details.rename summary")
        page.fill("#run_name", "Renamed in the browser")
        page.click("details.rename button[type=submit]")
        page.wait_for_selector("h1.run-name:has-text('Renamed in the browser')")
        page.wait_for_selector("text=Downloads", timeout=180_000)  # the page refreshes itself till done
        assert page.url == run_url
        widths = page.evaluate(
            """() => { const t = document.querySelector("table.fix-rows");
                 const cols = [...t.querySelectorAll("col")].map(c => c.getBoundingClientRect().width);
                 return cols.map(w => w / t.getBoundingClientRect().width); }"""
        )
        assert widths[0] == pytest.approx(0.21, abs=0.02) and widths[2] == pytest.approx(0.34, abs=0.02)
        page.fill("#factor-1", "plasterboard")  # fixing.js (from /static) lists the matching factors
        page.wait_for_selector("ul.picker [role=option]", timeout=10_000)
        assert blocked == []
        browser.close()


def test_a_protected_server_asks_for_the_token_on_a_page_and_drops_it_from_the_url(tmp_path):
    data = tmp_path / "data"
    store = Store(data)
    run_id = store.add_run(store.project("Tower"), "0" * 64, {"model_name": "m.ifc"}, name="Scheme A")
    with serving(data, max_concurrent_runs=0, token="s3cret") as app, playwright.sync_playwright() as p:
        browser = _browser(p)
        context = browser.new_context()
        page = context.new_page()
        page.goto(f"{app}/runs/{run_id}?lang=zh")
        assert "访问令牌" in page.inner_text("main") and "Scheme A" not in page.content()
        page.fill("#token", "wrong")
        page.click("#login button[type=submit]")
        assert "访问令牌不正确" in page.inner_text("main")
        page.fill("#token", "s3cret")
        page.click("#login button[type=submit]")
        page.wait_for_url(f"{app}/runs/{run_id}?lang=zh")
        assert "Scheme A" in page.inner_text("h1")
        assert "s3cret" not in page.evaluate("document.cookie")  # HttpOnly: no script reads it
        # a link with ?token=: the cookie is set and the token leaves the address bar and the history
        fresh = browser.new_context().new_page()
        fresh.goto(f"{app}/?token=s3cret&lang=zh")
        assert fresh.url == f"{app}/?lang=zh" and "评估建筑模型" in fresh.inner_text("main")
        assert fresh.evaluate("history.length") == 2  # about:blank, then the page without the token
        fresh.go_back()
        assert "token" not in fresh.url
        # a link from another site (localhost is another site than 127.0.0.1): the SameSite=Strict
        # cookie comes with the page's reload from this site, so the person is not asked again
        link = f'<!doctype html><a id="go" href="{app}/runs/{run_id}">the run</a>'.encode()
        with _other_site({"/link.html": link}) as port:
            linked = context.new_page()  # the run page refreshes itself (queued): not that one
            linked.goto(f"http://localhost:{port}/link.html")
            linked.click("#go")
            linked.wait_for_selector("h1.run-name", timeout=10_000)
            assert "Scheme A" in linked.inner_text("h1")
            # without the cookie, the reload happens once: the login page stays
            stranger = browser.new_context().new_page()
            asked: list[str] = []
            stranger.on("request", lambda r: asked.append(r.url) if f"/runs/{run_id}" in r.url else None)
            stranger.goto(f"http://localhost:{port}/link.html")
            stranger.click("#go")
            stranger.wait_for_selector("#token")
            stranger.wait_for_timeout(1500)
            assert len(asked) == 2 and stranger.locator("#token").count() == 1
        browser.close()
