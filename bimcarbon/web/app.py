"""The FastAPI app: server-rendered pages and the same operations as a JSON API (OpenAPI at /docs).

Everything is served by the app itself (no CDN). Assessments run in worker processes (``jobs.py``);
storage is SQLite plus files under generated names (``store.py``).
"""

from __future__ import annotations

import contextlib
import functools
import json
import math
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Annotated
from urllib.parse import urlsplit

import jinja2
import yaml
from fastapi import Body, Depends, FastAPI, File, Form, HTTPException, Query, Request, UploadFile
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from markupsafe import Markup
from starlette.concurrency import run_in_threadpool
from starlette.middleware.trustedhost import TrustedHostMiddleware

from bimcarbon import __version__
from bimcarbon.criteria import shipped_packs
from bimcarbon.errors import BimcarbonError
from bimcarbon.web import compare, i18n, jobs, park, rerun, security, views
from bimcarbon.web.precheck_view import precheck_view
from bimcarbon.web.store import CLIENT_FULL, QUEUE_FULL, Admission, Full, ParentGone, RunInProgress, Store
from bimcarbon.web.uncertainty_view import DEFAULT_SAMPLES, WEB_SAMPLES, uncertainty_view
from bimcarbon.web.uploads import (
    TYPED_ENERGY,
    UploadError,
    check_energy,
    check_mapping,
    document_digest,
    megabytes,
    receive,
    shown_name,
)

HERE = Path(__file__).resolve().parent
SMALL_FILE_BYTES = 1 << 20
#: Fields a page form may send (Starlette's default); the re-run form has its own (``rerun.MAX_FORM_FIELDS``).
DEFAULT_MAX_FIELDS = 1000
FILES = {
    "xlsx": ("assessment.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "json": ("assessment.json", "application/json"),
    "mapping": ("mapping.yaml", "application/yaml"),
    # the model with each element's results and the heatmap, written when first asked for
    # (jobs.model_with_results; docs/exchange.md)
    "ifc": ("model_with_results.ifc", "application/x-step"),
    # the run as an LCAx project, when the lcax extra is installed (jobs.LCAX_FILE; docs/exchange.md)
    "lcax": ("assessment.lcax.json", "application/json"),
}


class RunForm:
    """The fields of an upload (the form and the API take the same)."""

    def __init__(
        self,
        model: UploadFile = File(...),
        energy: UploadFile | None = File(None),
        mapping: UploadFile | None = File(None),
        project: str = Form("My project"),
        criteria: str = Form("cn-zero-carbon-building-draft-2023"),
        lang: str = Form("en"),
        no_assumptions: bool = Form(False),
        accept_incomplete: bool = Form(False),
        run_name: str = Form(""),
        uncertainty_samples: str = Form(str(DEFAULT_SAMPLES)),
    ) -> None:
        self.model, self.energy, self.mapping = model, energy, mapping
        self.project, self.criteria, self.lang = project, criteria, lang
        self.name = run_name
        self.options = {"no_assumptions": no_assumptions, "accept_incomplete": accept_incomplete}
        self.samples = uncertainty_samples


@dataclass
class Settings:
    """How the app runs."""

    data_dir: Path
    max_upload_bytes: int = 200 * (1 << 20)
    token: str | None = None
    time_limit_s: float = jobs.DEFAULT_TIME_LIMIT_S
    max_concurrent_runs: int = 2
    #: Runs that may wait for a slot; one more is refused with 429.
    max_queued_runs: int = 20
    #: Runs that one client (the address a request comes from) may have waiting; one more is refused with
    #: 429. Behind a reverse proxy every request comes from the proxy's address unless the server is told
    #: to trust its X-Forwarded-For (``bimcarbon serve --forwarded-allow-ips``).
    max_queued_per_client: int = 10
    allowed_hosts: tuple[str, ...] = ("127.0.0.1", "localhost", "testserver")


def language(request: Request) -> str:
    """The language of the pages for this request (see :func:`bimcarbon.web.i18n.negotiate`)."""
    return i18n.negotiate(
        request.query_params.get("lang"),
        request.cookies.get(i18n.COOKIE),
        request.headers.get("accept-language"),
    )


class LoginRequired(Exception):
    """A page asked for without the access token: the login page answers (the API answers JSON 401)."""


class HeldBack(Exception):
    """A client held back for too many wrong access tokens (429) for ``seconds`` more."""

    def __init__(self, seconds: int) -> None:
        super().__init__(f"held back for {seconds} s")
        self.seconds = seconds


class Refused(Exception):
    """A page's form refused (403): ``reason`` is the English key of the page's explanation."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def criteria_packs() -> list[str]:
    """Ids of the shipped criteria packs (only these can be chosen: no paths from a request)."""
    return [p for p in shipped_packs("building") if not p.endswith("-info")]  # park packs: not a building's


def _fmt(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if isinstance(value, float | int):
        return f"{value:,.2f}" if abs(value) < 1000 else f"{value:,.0f}"
    return str(value)


def _when(iso: str | None) -> str:
    """An ISO 8601 time as the server's local time to the minute (``2026-11-29 14:05``)."""
    if not iso:
        return "–"
    try:
        return datetime.fromisoformat(iso).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return iso


def _share(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.1f} %"


def create_app(settings: Settings) -> FastAPI:
    """The app for one data directory."""
    store = Store(settings.data_dir)
    #: Signs the CSRF tokens; kept in the data folder (a page from before a restart still posts).
    secret = security.load_secret(store.root)
    wrong_tokens = security.WrongTokens()
    store.remove_stale()  # files a killed server left while receiving an upload
    jobs.interrupt_orphans(store)  # runs of a server that is gone (not of another one still serving)
    scheduler = jobs.Scheduler(store, settings.max_concurrent_runs, settings.time_limit_s)
    scheduler.pump()  # runs still queued when the server stopped start now

    async def csrf_checked(request: Request) -> None:
        """Every state-changing request to a page route (not ``/api/``) carries its session's CSRF token
        in the form (after the access token: without it, the login page answers). The Origin/Referer
        check has been made before (``security.BrowserGuard``)."""
        if request.method in security.SAFE_METHODS or security.is_api(request.url.path):
            return
        if request.url.path != "/login":
            authorised(request)
        # the form is parsed once, here: with the re-run form's own limit on its fields (many choices)
        rerunning = request.url.path.startswith("/runs/") and request.url.path.endswith("/rerun")
        form = await request.form(max_fields=rerun.MAX_FORM_FIELDS if rerunning else DEFAULT_MAX_FIELDS)
        session = request.cookies.get(security.SESSION_COOKIE)
        if not security.csrf_valid(secret, session, form.get(security.CSRF_FIELD)):
            raise Refused(security.STALE_FORM)

    @contextlib.asynccontextmanager
    async def lifespan(_app: FastAPI):
        yield
        scheduler.shutdown()  # the server stops (SIGTERM, SIGINT): so do its workers

    app = FastAPI(
        lifespan=lifespan,
        title="bimcarbon",
        version=__version__,
        description="IFC model -> zero-carbon verdicts",
        docs_url=None,  # Swagger UI loads from a CDN; the spec is at /openapi.json (behind the token)
        redoc_url=None,
        openapi_url=None,
        dependencies=[Depends(csrf_checked)],  # on every route: a new form cannot forget it
    )
    app.add_middleware(
        BodyLimit,
        max_bytes=settings.max_upload_bytes + 4 * SMALL_FILE_BYTES,  # room for the small files and fields
        limit_mb=megabytes(settings.max_upload_bytes),  # the limit the form states
        html=lambda scope, message: too_large_page(scope, message),
    )
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=settings.allowed_hosts)
    # the outermost: headers on every response, foreign origins refused before a body is read
    app.add_middleware(
        security.BrowserGuard,
        html=lambda scope, reason, status: refused_page(scope, reason),
        token=settings.token,
        wrong_tokens=wrong_tokens,
    )
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    templates = Jinja2Templates(directory=HERE / "templates")

    @jinja2.pass_context
    def csrf_field(context) -> Markup:
        """The hidden field of the session's CSRF token: ``{{ csrf_field() }}`` in every form that posts."""
        request = context.get("request")
        session = request.scope.get("state", {}).get(security.STATE_KEY) if request is not None else None
        if session is None:
            raise RuntimeError("csrf_field() needs the request, passed through security.BrowserGuard")
        token = security.csrf_token(secret, session)
        return Markup(f'<input type="hidden" name="{security.CSRF_FIELD}" value="{token}">')

    templates.env.globals.update(
        fmt=_fmt, share=_share, version=__version__, when=_when, csrf_field=csrf_field
    )

    def authorised(request: Request) -> None:
        """Without the access token (when the server has one): the API answers JSON 401, a page the login
        page. The token is given as ``Authorization: Bearer``, in its cookie, or (the API) ``?token=``; a
        page's ``?token=`` was taken out of the URL before (``security.BrowserGuard``)."""
        if not settings.token:
            return
        api = security.is_api(request.url.path)
        given = request.headers.get("authorization", "").removeprefix("Bearer ").strip()
        given = given or (request.query_params.get("token", "") if api else "")
        given = given or request.cookies.get(security.TOKEN_COOKIE, "")
        if given:
            checked_token(request, given)
            return
        if api:
            raise HTTPException(
                status_code=401,
                detail="an access token is required",
                headers={"WWW-Authenticate": "Bearer"},
            )
        raise LoginRequired()

    def checked_token(request: Request, given: str) -> None:
        """Pass a request that brings the access token; else count the wrong token for its client (raise
        :class:`LoginRequired` for a page, JSON 401 for the API) and hold back a client that has sent too
        many (:class:`HeldBack`, even with the right token: a guesser cannot tell)."""
        client = security.client_key(request.client.host if request.client else "")
        wait_s = wrong_tokens.wait_s(client)
        if wait_s:
            raise HeldBack(wait_s)
        if security.token_matches(given, settings.token):
            return
        wrong_tokens.failed(client, given)
        if security.is_api(request.url.path):
            raise HTTPException(
                status_code=401, detail="an access token is required", headers={"WWW-Authenticate": "Bearer"}
            )
        raise LoginRequired()

    def page(request: Request, name: str, status_code: int = 200, **context) -> HTMLResponse:
        chosen = request.query_params.get("lang")
        lang = language(request)
        context.update(lang=lang, _=i18n.translator(lang))
        context.setdefault("refresh", None)
        context.setdefault("title", "bimcarbon")
        response = templates.TemplateResponse(request, name, context, status_code=status_code)
        if chosen in i18n.LANGS:  # the switch: kept for the next pages
            response.set_cookie(i18n.COOKIE, chosen, samesite="lax", max_age=365 * 24 * 3600)
        return response

    def login_page(
        request: Request, target: str, status_code: int = 401, wrong: bool = False, held_back_s: int = 0
    ) -> HTMLResponse:
        """The page asking for the access token, then going to ``target`` (a local path)."""
        # a link from another site brings no SameSite=Strict cookie: reloaded from this page, it does
        cross_site = (
            request.method == "GET"
            and request.headers.get("sec-fetch-site") == "cross-site"
            and request.headers.get("sec-fetch-mode") == "navigate"
        )
        response = page(
            request,
            "login.html",
            status_code=status_code,
            next=security.safe_next(target),
            wrong=wrong,
            held_back_s=held_back_s,
            refresh="0" if cross_site and not wrong and not held_back_s else None,
            title=i18n.translator(language(request))("Sign in"),
        )
        response.headers["cache-control"] = "no-store"
        return response

    @app.exception_handler(LoginRequired)
    async def login_required(request: Request, exc: LoginRequired) -> HTMLResponse:
        if request.method in ("GET", "HEAD"):
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        else:  # a form sent without the cookie: back to the page it was on
            referer = request.headers.get("referer", "")
            own = security.own_origin(request.url.scheme, request.headers.get("host", ""))
            sent_from = urlsplit(referer)
            same = referer and security.origin(referer) == own
            target = sent_from.path + (f"?{sent_from.query}" if sent_from.query else "") if same else "/"
        return login_page(request, target)

    @app.exception_handler(HeldBack)
    async def held_back(request: Request, exc: HeldBack):
        headers = {"Retry-After": str(exc.seconds)}
        if security.is_api(request.url.path):
            detail = security.TOO_MANY_WRONG.format(seconds=exc.seconds)
            return JSONResponse({"detail": detail}, status_code=429, headers=headers)
        response = login_page(request, "/", status_code=429, held_back_s=exc.seconds)
        response.headers.update(headers)
        return response

    @app.exception_handler(Refused)
    async def refused(request: Request, exc: Refused) -> HTMLResponse:
        title = i18n.translator(language(request))("Refused")
        return page(request, "forbidden.html", status_code=403, reason=exc.reason, title=title)

    def refused_page(scope, reason: str) -> bytes:
        """The page of a request refused by the Origin/Referer check (in the person's language)."""
        request = Request(scope)
        lang = language(request)
        context = {"request": request, "lang": lang, "_": i18n.translator(lang), "refresh": None}
        context |= {"title": i18n.translator(lang)("Refused"), "reason": reason}
        return templates.get_template("forbidden.html").render(context).encode()

    def say(request: Request, exc: UploadError) -> str:
        """A refusal in the page's language."""
        return i18n.translator(language(request))(exc.template, **exc.values)

    def upload_form(request: Request, status_code: int = 200, **context) -> HTMLResponse:
        """The upload form (``values``: what the person typed, shown again after a refusal)."""
        context.setdefault("values", {})
        return page(
            request,
            "index.html",
            status_code=status_code,
            packs=criteria_packs(),
            projects=store.projects(),
            max_mb=megabytes(settings.max_upload_bytes),
            max_bytes=settings.max_upload_bytes,
            default_samples=DEFAULT_SAMPLES,
            web_samples=WEB_SAMPLES,
            title="Assess",
            **context,
        )

    def too_large_page(scope, message: str) -> bytes:
        """The upload form with the refusal of a body over the limit (nothing typed can be kept: the
        body is refused before it is read, and before the access token is checked)."""
        request = Request(scope)
        lang = language(request)
        context = {
            "request": request,  # for the form's CSRF field
            "lang": lang,
            "_": i18n.translator(lang),
            "refresh": None,
            "title": "bimcarbon",
            "error": i18n.translator(lang)(message, mb=megabytes(settings.max_upload_bytes)),
            "lost": True,
            "values": {},
            "packs": criteria_packs(),
            "projects": [],  # answered before the access token is checked: no names of projects
            "max_mb": megabytes(settings.max_upload_bytes),
            "max_bytes": settings.max_upload_bytes,
            "default_samples": DEFAULT_SAMPLES,
            "web_samples": WEB_SAMPLES,
        }
        return templates.get_template("index.html").render(context).encode()

    async def create_run(request: Request, run: RunForm) -> str:
        if run.criteria not in criteria_packs():
            raise UploadError("unknown criteria pack {pack}", values={"pack": repr(run.criteria)})
        if run.lang not in ("en", "zh"):
            raise UploadError("language must be en or zh")
        samples = _samples(run.samples)
        room = admission(request)
        busy(room)
        form = await request.form()
        return await run_in_threadpool(
            _store_and_start,
            run.model,
            run.energy,
            run.mapping,
            form,
            run.project,
            run.criteria,
            run.lang,
            {**run.options, "uncertainty_samples": samples},
            run.name,
            room,
        )

    def admission(request: Request) -> Admission:
        """The room for runs, for the client this request comes from (its address)."""
        return Admission(
            settings.max_concurrent_runs,
            settings.max_queued_runs,
            settings.max_queued_per_client,
            security.client_key(request.client.host if request.client else ""),
        )

    def busy(room: Admission) -> None:
        """Refuse a new run (429) at once when the queue, or the client's share of it, is full. Only a
        first look, to spare reading an upload that would be refused: the decision is taken when the run
        is admitted (:meth:`Store.admit`, one transaction with the insert)."""
        active = store.count_active()
        if active >= room.max_running + room.max_waiting:
            raise _full(Full(QUEUE_FULL, n=active, queued=room.max_waiting))
        waiting = store.count_waiting(room.client)
        if waiting >= room.max_waiting_per_client:
            raise _full(Full(CLIENT_FULL, n=waiting, limit=room.max_waiting_per_client))

    def _store_and_start(
        model,
        energy,
        mapping,
        form,
        project: str,
        criteria: str,
        lang: str,
        options: dict[str, bool],
        name: str,
        room: Admission,
    ) -> str:
        """Validate the small files first, then receive the model, and admit the run if there is room
        (the check and the insert are one transaction; refused, nothing is kept), then start it (in a
        thread)."""
        run_id = store.prepare_run()  # its folder takes the input files before the run is admitted
        admitted = False
        try:
            _stage_and_admit(
                run_id, model, energy, mapping, form, project, criteria, lang, options, name, room
            )
            admitted = True
        except Full as exc:
            raise _full(exc) from None
        finally:
            if not admitted:
                shutil.rmtree(store.run_dir(run_id), ignore_errors=True)
        scheduler.pump()
        return run_id

    def _stage_and_admit(
        run_id: str,
        model,
        energy,
        mapping,
        form,
        project: str,
        criteria: str,
        lang: str,
        options: dict[str, bool],
        name: str,
        room: Admission,
    ) -> str:
        """Check the small files (by content), receive the model, and admit the run (see
        :meth:`Store.admit`), all files in place before any scheduler can see it."""
        with tempfile.TemporaryDirectory(dir=store.root, prefix=".check-") as scratch:
            staged: dict[str, Path] = {}
            # the names the files were uploaded under: what refusals and the outputs call them
            names = {"energy_name": None, "mapping_name": None}
            try:
                if energy is not None and energy.filename:
                    names["energy_name"] = shown_name(energy.filename, "energy.yaml")
                    staged["energy.yaml"] = _small_file(energy, Path(scratch) / "energy.yaml")
                else:
                    fields = rerun.energy_from_form(form)
                    if fields is not None:
                        staged["energy.yaml"] = Path(scratch) / "energy.yaml"
                        staged["energy.yaml"].write_text(yaml.safe_dump(fields), encoding="utf-8")
                if "energy.yaml" in staged:
                    check_energy(staged["energy.yaml"], names["energy_name"] or TYPED_ENERGY)
                    names["energy_digest"] = document_digest(staged["energy.yaml"])
                if mapping is not None and mapping.filename:
                    names["mapping_name"] = shown_name(mapping.filename, "mapping.yaml")
                    staged["mapping_in.yaml"] = _small_file(mapping, Path(scratch) / "mapping_in.yaml")
                    check_mapping(staged["mapping_in.yaml"], names["mapping_name"])
            except UploadError:
                raise
            except BimcarbonError as exc:
                raise UploadError(str(exc).replace(scratch, "").lstrip("/")) from None
            except Exception as exc:  # a file pydantic or YAML cannot make sense of
                raise UploadError(f"{type(exc).__name__}: {exc}".replace(scratch, "")) from None
            for file_name, path in staged.items():  # into the run's folder (removed if not admitted)
                shutil.copy(path, store.run_dir(run_id) / file_name)
        temporary, sha256, size, kind = receive(model.file, store.root / "uploads", settings.max_upload_bytes)
        model_name = _printable(Path(model.filename or "model.ifc").name)[:200] or "model.ifc"
        parameters = {"criteria": criteria, "lang": lang, "model_name": model_name, **options, **names}
        try:
            return store.admit(
                room,
                run_id,
                sha256,
                parameters,
                project_name=_printable(project or "").strip()[:100] or "My project",
                upload=(size, model_name, kind),
                name=name,
                received=temporary,
            )
        finally:
            temporary.unlink(missing_ok=True)  # refused: the model is not kept

    def start_rerun(request: Request, run_id: str, wanted: rerun.Wanted) -> str:
        """A new run of the same upload with the person's choices and figures (see ``rerun.start``)."""
        try:
            return rerun.start(store, _run_or_404(run_id), wanted, admission(request), scheduler.pump)
        except Full as exc:
            raise _full(exc) from None
        except ParentGone:  # deleted while the re-run was being made
            raise HTTPException(404, "no such run") from None

    @app.get("/login", response_class=HTMLResponse, include_in_schema=False)
    def login_form(request: Request, target: str = Query("/", alias="next")):
        """The login page (straight to ``next`` when there is no token to give, or it is given)."""
        try:
            authorised(request)
        except LoginRequired:
            return login_page(request, target, status_code=200)
        return RedirectResponse(security.safe_next(target), status_code=303)

    @app.post("/login", include_in_schema=False)
    async def login(request: Request):
        """The access token typed on the login page: the HttpOnly SameSite=Strict cookie, then the page
        asked for."""
        form = await request.form()
        target = security.safe_next(str(form.get("next", "/")))
        if not settings.token:
            return RedirectResponse(target, status_code=303)
        try:
            checked_token(request, str(form.get("token", "")) or "\0")  # an empty one counts as wrong
        except LoginRequired:
            return login_page(request, target, wrong=True)
        response = RedirectResponse(target, status_code=303)
        response.set_cookie(security.TOKEN_COOKIE, settings.token, httponly=True, samesite="strict")
        return response

    @app.get("/openapi.json", include_in_schema=False, dependencies=[Depends(authorised)])
    def openapi() -> dict:
        return app.openapi()

    @app.get("/", response_class=HTMLResponse, dependencies=[Depends(authorised)])
    def index(request: Request) -> HTMLResponse:
        return upload_form(request)

    @app.post("/runs", dependencies=[Depends(authorised)])
    async def submit(request: Request, form: RunForm = Depends()):
        try:
            run_id = await create_run(request, form)
        except UploadError as exc:
            typed = await request.form()
            values = {key: str(typed.get(key, "")) for key in FORM_TEXT_FIELDS}
            values |= {
                "no_assumptions": form.options["no_assumptions"],
                "accept_incomplete": form.options["accept_incomplete"],
            }
            return upload_form(request, status_code=exc.status, error=say(request, exc), values=values)
        return RedirectResponse(f"/runs/{run_id}", status_code=303)

    def _run_or_404(run_id: str) -> dict:
        run = store.run(run_id)
        if run is None:
            raise HTTPException(status_code=404, detail="no such run")
        return run

    @app.get("/runs/{run_id}", response_class=HTMLResponse, dependencies=[Depends(authorised)])
    def run_page(request: Request, run_id: str) -> HTMLResponse:
        return _run_page(request, run_id)

    def _run_page(
        request: Request, run_id: str, status_code: int = 200, error: str = "", delete_error: str = ""
    ) -> HTMLResponse:
        run = _run_or_404(run_id)
        if run["status"] == "queued" and scheduler.pump():
            run = _run_or_404(run_id)
        a = jobs.read_assessment(store, run_id) if run["status"] == "done" else None
        return page(
            request,
            "run.html",
            run=run,
            a=_Obj(a) if a else None,
            upload=store.upload(run["upload_sha256"]),
            project=store.project_row(run["project_id"]),
            refresh=2 if run["status"] in ("queued", "running") else None,
            view=views.run_view(a, language(request)) if a else None,
            uncertainty=uncertainty_view(a, language(request)) if a else None,
            precheck=precheck_view(jobs.read_precheck(store, run_id), language(request)),
            fix=rerun.page_context(store, run, a, language(request), getattr(request.state, "fix", None))
            if a is not None
            else None,
            title=run["name"],
            progress=jobs.status_view(store, run),
            parent=store.run(run["parent_id"]) if run.get("parent_id") else None,
            reruns=store.reruns_of(run_id),
            ifc_results=run["status"] == "done" and jobs.has_elements(store, run_id),
            lcax_file=run["status"] == "done" and (store.run_dir(run_id) / jobs.LCAX_FILE).exists(),
            status_code=status_code,
            rename_error=error,
            delete_error=delete_error,
        )

    @app.post("/runs/{run_id}/name", dependencies=[Depends(authorised)])
    async def rename_form(request: Request, run_id: str):
        _run_or_404(run_id)
        form = await request.form()
        if not store.rename(run_id, str(form.get("run_name", ""))):
            return _run_page(request, run_id, status_code=400, error="a run's name cannot be empty")
        return RedirectResponse(f"/runs/{run_id}", status_code=303)

    @app.post("/runs/{run_id}/delete", dependencies=[Depends(authorised)])
    async def delete_run_form(request: Request, run_id: str):
        """The run page's delete button (its box ticked to confirm): the run goes, then its project's
        page; a running run's page again with why it stays (409)."""
        run = _run_or_404(run_id)
        form = await request.form()
        if form.get("confirm") != "yes":
            return _run_page(request, run_id, status_code=400, delete_error=NOT_CONFIRMED)
        try:
            store.delete_run(run_id)
        except RunInProgress:
            return _run_page(request, run_id, status_code=409, delete_error=RUN_IN_PROGRESS)
        return RedirectResponse(f"/projects/{run['project_id']}", status_code=303)

    @app.post("/projects/{project_id}/delete", dependencies=[Depends(authorised)])
    async def delete_project_form(request: Request, project_id: str):
        """The project page's delete button: the project and its runs go, then the upload form."""
        if store.project_row(project_id) is None:
            raise HTTPException(status_code=404, detail="no such project")
        form = await request.form()
        if form.get("confirm") != "yes":
            return _project_page(request, project_id, status_code=400, delete_error=NOT_CONFIRMED)
        try:
            store.delete_project(project_id)
        except RunInProgress:
            return _project_page(request, project_id, status_code=409, delete_error=PROJECT_RUN_IN_PROGRESS)
        return RedirectResponse("/", status_code=303)

    @app.post("/runs/{run_id}/rerun", dependencies=[Depends(authorised)])
    async def rerun_form(request: Request, run_id: str):
        """The run page's form: a refusal shows the run page again with what was typed and why."""
        form = await request.form(max_fields=rerun.MAX_FORM_FIELDS)
        _run_or_404(run_id)
        try:
            new_id = await run_in_threadpool(start_rerun, request, run_id, rerun.from_form(form))
        except UploadError as exc:
            request.state.fix = {"error": say(request, exc), "typed": rerun.typed(form)}
            response = _run_page(request, run_id)
            response.status_code = exc.status
            return response
        return RedirectResponse(f"/runs/{new_id}", status_code=303)

    @app.get("/runs/{run_id}/files/{kind}", dependencies=[Depends(authorised)])
    def download(run_id: str, kind: str, lang: str | None = None) -> FileResponse:
        """A run's file; the workbook in the language chosen at upload, or in ``lang`` (en, zh)."""
        run = _run_or_404(run_id)
        if kind not in FILES or run["status"] != "done":
            raise HTTPException(status_code=404, detail="no such file")
        name, media = FILES[kind]
        path = store.run_dir(run_id) / name
        if kind == "ifc":  # written on the first request (jobs.model_with_results)
            path = jobs.model_with_results(store, run)
            if path is None:
                raise HTTPException(status_code=404, detail="this run's model cannot be written with results")
        if kind == "lcax" and not path.exists():  # the lcax extra not installed when the run was made
            raise HTTPException(status_code=404, detail="this run has no LCAx export")
        if kind == "xlsx" and lang in i18n.LANGS and lang != run["parameters"].get("lang", "en"):
            name = f"assessment.{lang}.xlsx"
            path = store.run_dir(run_id) / name
            if not path.exists():  # a run made before both languages were written
                raise HTTPException(status_code=404, detail="this run has its workbook in one language only")
        stem = Path(run["parameters"].get("model_name", "model")).stem[:60] or "model"
        safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in stem)
        return FileResponse(path, media_type=media, filename=f"{safe}.{name}")

    @app.get("/runs/{run_id}/precheck", dependencies=[Depends(authorised)])
    def precheck_report(request: Request, run_id: str, lang: str | None = None) -> Response:
        """The run's LCA-ready pre-check as the page ``bimcarbon check -o report.html`` writes (every
        failing element), to download: it has its own style, which this site's policy would not run."""
        from bimcarbon.exchange.precheck import PreCheck
        from bimcarbon.report.precheck import html_report

        _run_or_404(run_id)
        data = jobs.read_precheck(store, run_id)
        if data is None:
            raise HTTPException(status_code=404, detail="no pre-check for this run (yet)")
        chosen = lang if lang in i18n.LANGS else language(request)
        stem = Path(store.run(run_id)["parameters"].get("model_name", "model")).stem[:60] or "model"
        safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in stem)
        return Response(
            html_report(PreCheck.model_validate(data), chosen),
            media_type="text/html; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{safe}.precheck.{chosen}.html"'},
        )

    @app.get("/projects/{project_id}", response_class=HTMLResponse, dependencies=[Depends(authorised)])
    def project_page(request: Request, project_id: str) -> HTMLResponse:
        return _project_page(request, project_id)

    def _project_page(
        request: Request, project_id: str, status_code: int = 200, delete_error: str = ""
    ) -> HTMLResponse:
        project = store.project_row(project_id)
        if project is None:
            raise HTTPException(status_code=404, detail="no such project")
        runs = store.runs_of(project_id)
        lang = language(request)
        return page(
            request,
            "project.html",
            project=project,
            runs=runs,
            tier_name=lambda criteria, tier: _tier_name(criteria, tier, lang),
            title=project["name"],
            status_code=status_code,
            delete_error=delete_error,
        )

    def _comparison(project_id: str, a: str, b: str) -> tuple[dict, list[dict], dict | None, dict | None]:
        """The project, its runs and runs A and B (default: the two newest finished ones)."""
        project = store.project_row(project_id)
        if project is None:
            raise HTTPException(status_code=404, detail="no such project")
        runs = store.runs_of(project_id)
        by_id = {r["id"]: r for r in runs}
        done = [r["id"] for r in runs if r["status"] == "done"]
        a = a or (done[1] if len(done) > 1 else "")
        b = b or (done[0] if done else "")
        if (a and a not in by_id) or (b and b not in by_id):
            raise HTTPException(status_code=404, detail="no such run in this project")
        return project, runs, by_id.get(a), by_id.get(b)

    @app.get(
        "/projects/{project_id}/compare", response_class=HTMLResponse, dependencies=[Depends(authorised)]
    )
    def compare_page(request: Request, project_id: str, a: str = "", b: str = "") -> HTMLResponse:
        from bimcarbon.factors import load_library
        from bimcarbon.report.workbook.floor_area_zh import floor_area_source
        from bimcarbon.report.workbook.labels import LABELS, data_label

        project, runs, run_a, run_b = _comparison(project_id, a, b)
        ready = run_a is not None and run_b is not None and run_a["status"] == run_b["status"] == "done"
        lang = language(request)
        names = {
            i: (f.name_zh if lang == "zh" and f.name_zh else f.name_en)
            for i, f in load_library().by_id.items()
        }
        sides = (jobs.read_side(store, run_a), jobs.read_side(store, run_b)) if ready else None
        result = compare.compare(*sides, factor_names=names, lang=lang) if sides else None
        words = LABELS[lang]
        return page(
            request,
            "compare.html",
            project=project,
            runs=runs,
            run_a=run_a,
            run_b=run_b,
            c=result,
            label=lambda kind, key: data_label(words, kind, key),
            word=lambda key: words.get(key, key),
            area_source=lambda text: floor_area_source(words, text),
            title=project["name"],
        )

    @app.get("/api/projects/{project_id}/compare", dependencies=[Depends(authorised)])
    def api_compare(project_id: str, a: str, b: str) -> dict:
        """The differences between runs ``a`` and ``b`` of a project (B - A; both must be done)."""
        return compare.compare(*_done_sides(project_id, a, b))

    def _done_sides(project_id: str, a: str, b: str) -> tuple[dict, dict]:
        """What runs ``a`` and ``b`` of a project left (404: no such run here; 409: not done)."""
        _, _, run_a, run_b = _comparison(project_id, a, b)
        if run_a is None or run_b is None:
            raise HTTPException(status_code=404, detail="two runs of this project are needed")
        for run in (run_a, run_b):
            if run["status"] != "done":
                raise HTTPException(status_code=409, detail=f"run {run['id']} is {run['status']}")
        return jobs.read_side(store, run_a), jobs.read_side(store, run_b)

    def _element_comparison(project_id: str, a: str, b: str):
        """The element-by-element comparison of two finished runs (run A the base); 409 naming a run
        made before runs kept their elements' results."""
        side_a, side_b = _done_sides(project_id, a, b)
        for side in (side_a, side_b):
            if not compare.has_elements(side["assessment"]):
                raise HTTPException(
                    status_code=409,
                    detail=f"run {side['run']['name']} was made before runs kept their elements' results: "
                    "run it again to compare element by element",
                )
        return compare.comparison_of(side_a, side_b), side_a["run"], side_b["run"]

    def _comparison_name(run_a: dict, run_b: dict, suffix: str) -> str:
        stems = [
            Path(r["parameters"].get("model_name", "model")).stem[:40] or "model" for r in (run_a, run_b)
        ]
        safe = ["".join(c if c.isalnum() or c in "-_." else "_" for c in stem) for stem in stems]
        return f"{safe[0]}-vs-{safe[1]}.comparison{suffix}"

    @app.get("/projects/{project_id}/compare/comparison.json", dependencies=[Depends(authorised)])
    def compare_json(project_id: str, a: str = "", b: str = "") -> Response:
        """The comparison of runs A and B as JSON (format ``bimcarbon.comparison``), every element."""
        comparison, run_a, run_b = _element_comparison(project_id, a, b)
        name = _comparison_name(run_a, run_b, ".json")
        return Response(
            comparison.model_dump_json(indent=1),
            media_type="application/json",
            headers={"content-disposition": f'attachment; filename="{name}"'},
        )

    @app.get("/projects/{project_id}/compare/comparison.xlsx", dependencies=[Depends(authorised)])
    def compare_xlsx(request: Request, project_id: str, a: str = "", b: str = "") -> Response:
        """The comparison workbook of runs A and B, in the page's language (``?lang=`` chooses)."""
        from bimcarbon.report.workbook.compare import write_comparison_workbook

        comparison, run_a, run_b = _element_comparison(project_id, a, b)
        with tempfile.TemporaryDirectory() as folder:
            path = write_comparison_workbook(comparison, Path(folder) / "comparison.xlsx", language(request))
            content = path.read_bytes()
        name = _comparison_name(run_a, run_b, (".zh" if language(request) == "zh" else "") + ".xlsx")
        return Response(
            content,
            media_type=FILES["xlsx"][1],
            headers={"content-disposition": f'attachment; filename="{name}"'},
        )

    # ---- parks (issue 15): the finished runs of a project as the buildings of a park ---------------
    def _project_or_404(project_id: str) -> dict:
        project = store.project_row(project_id)
        if project is None:
            raise HTTPException(status_code=404, detail="no such project")
        return project

    def _stored_park(project_id: str) -> tuple[park.ParkDefinition, dict[str, str]] | None:
        """The project's park definition and its runs' names when it was defined, or None."""
        stored = store.park(project_id)
        if stored is None:
            return None
        return park.ParkDefinition(**stored["definition"]), dict(stored.get("names") or {})

    def _park_assessment(project_id: str):
        """The project's park assessment (404 when it has no park)."""
        stored = _stored_park(project_id)
        if stored is None:
            raise HTTPException(status_code=404, detail="this project has no park yet")
        try:
            return park.assess(store, project_id, *stored)
        except BimcarbonError as exc:  # a pack or grid factor no longer shipped: define the park again
            raise HTTPException(status_code=409, detail=str(exc)) from None

    def _define_park(project_id: str, definition: park.ParkDefinition) -> None:
        """Check the park against the project's runs and store it (a refusal: UploadError)."""
        park.check(store, project_id, definition)
        names = {r: (store.run(r) or {}).get("name", r) for r in definition.runs}
        stored = {"definition": definition.model_dump(mode="json"), "names": names}
        if not store.set_park(project_id, stored):
            raise HTTPException(status_code=404, detail="no such project")

    def _park_page(
        request: Request, project_id: str, status_code: int = 200, error: str = "", typed: dict | None = None
    ) -> HTMLResponse:
        from bimcarbon.web.park_view import park_view

        project = _project_or_404(project_id)
        lang = language(request)
        runs = list(reversed(store.runs_of(project_id)))  # oldest first: building 1, 2, 3 ...
        stored = _stored_park(project_id)
        definition = stored[0] if stored else None
        assessment = None
        if stored:
            try:
                assessment = park.assess(store, project_id, *stored)
            except BimcarbonError as exc:  # a pack or grid factor no longer shipped: define the park again
                error, status_code = error or str(exc), 409
        view = None
        if assessment is not None:
            run_ids = {}
            for run_id in definition.runs:
                row = store.run(run_id)
                if row is not None and row["project_id"] == project_id:
                    run_ids[row["name"]] = run_id
            view = park_view(assessment, lang, run_ids)
        # a building's run re-run since (materials fixed, figures edited): the park still uses the run it
        # was given, and the page says so
        reruns = (
            {r: [x for x in store.reruns_of(r) if x["project_id"] == project_id] for r in definition.runs}
            if definition
            else {}
        )
        if typed is not None:
            chosen = set(typed.get("runs") or [])
        else:
            chosen = set(definition.runs) if definition else {r["id"] for r in runs if r["status"] == "done"}
        return page(
            request,
            "park.html",
            status_code=status_code,
            project=project,
            runs=runs,
            choosable={r["id"]: _choosable(r) for r in runs},
            chosen=chosen,
            definition=definition,
            p=assessment,
            view=view,
            reruns=reruns,
            values=typed if typed is not None else park.form_values(definition),
            energy_fields=park.ENERGY_FIELDS,
            packs=park.park_packs(),
            grids=park.grid_choices(),
            default_grid=park.default_grid(),
            error=error,
            title=(definition.name if definition else project["name"]),
        )

    def _choosable(run: dict) -> str:
        """Why a run cannot be a building of the park ("" when it can)."""
        if run["status"] in ("queued", "running"):
            return "still in progress"
        if run["status"] == "done":
            a = jobs.read_assessment(store, run["id"]) or {}
            if not (a.get("parameters") or {}).get("energy"):
                return "no energy figures"
        return ""

    @app.get("/projects/{project_id}/park", response_class=HTMLResponse, dependencies=[Depends(authorised)])
    def park_page(request: Request, project_id: str) -> HTMLResponse:
        """The project's park: its verdicts, figures, balance, buildings and charts, and the form that
        defines it (which runs, the park's energy, the pack)."""
        return _park_page(request, project_id)

    @app.post("/projects/{project_id}/park", dependencies=[Depends(authorised)])
    async def park_form(request: Request, project_id: str):
        """The park page's form: the park is stored, then its page; a refusal is the page again with
        what was typed and why."""
        project = _project_or_404(project_id)
        form = await request.form()
        runs = [str(r) for r in form.getlist("run")]
        try:
            definition = park.from_form(form, runs, project["name"])
            await run_in_threadpool(_define_park, project_id, definition)
        except UploadError as exc:
            _ = i18n.translator(language(request))
            values = {k: _(v) if isinstance(v, str) and v in i18n.ZH else v for k, v in exc.values.items()}
            return _park_page(
                request,
                project_id,
                status_code=exc.status,
                error=_(exc.template, **values),
                typed={**park.typed(form), "runs": runs},
            )
        return RedirectResponse(f"/projects/{project_id}/park", status_code=303)

    @app.get("/projects/{project_id}/park/json", dependencies=[Depends(authorised)])
    def park_download(project_id: str) -> Response:
        """The park JSON (format ``bimcarbon.park``, as ``bimcarbon park --json`` writes it) to download."""
        from bimcarbon.report.park import park_json

        assessment = _park_assessment(project_id)
        stem = "".join(c if c.isalnum() or c in "-_" else "_" for c in assessment.name)[:60] or "park"
        return Response(
            park_json(assessment),
            media_type="application/json",
            headers={"content-disposition": f'attachment; filename="{stem}.park.json"'},
        )

    @app.get("/projects/{project_id}/park/xlsx", dependencies=[Depends(authorised)])
    def park_workbook(request: Request, project_id: str, lang: str | None = None) -> Response:
        """The park compliance workbook (as ``bimcarbon park -o`` writes it), in ``lang`` (default: the
        page's language)."""
        from bimcarbon.report.workbook.park import write_park_workbook

        assessment = _park_assessment(project_id)
        chosen = lang if lang in ("en", "zh") else language(request)
        stem = "".join(c if c.isalnum() or c in "-_" else "_" for c in assessment.name)[:60] or "park"
        with tempfile.TemporaryDirectory(dir=store.root, prefix=".park-") as scratch:
            path = write_park_workbook(assessment, Path(scratch) / "park.xlsx", chosen)
            content = path.read_bytes()
        return Response(
            content,
            media_type=FILES["xlsx"][1],
            headers={"content-disposition": f'attachment; filename="{stem}.park.{chosen}.xlsx"'},
        )

    @app.get("/api/projects/{project_id}/park", dependencies=[Depends(authorised)])
    def api_park(project_id: str) -> Response:
        """The project's park assessment (format ``bimcarbon.park``); 404 until a park is defined."""
        from bimcarbon.report.park import park_json

        _project_or_404(project_id)
        return Response(park_json(_park_assessment(project_id)), media_type="application/json")

    @app.post("/api/projects/{project_id}/park", dependencies=[Depends(authorised)])
    def api_define_park(project_id: str, body: Annotated[dict, Body()]) -> Response:
        """Define (or replace) the project's park: ``{"name", "runs": [run ids, in the park's order],
        "park_energy": {... the park file's park_energy}, "criteria", "grid": {"year", "region"},
        "accept_incomplete"}``. Answers with the park assessment (format ``bimcarbon.park``)."""
        from bimcarbon.report.park import park_json

        _project_or_404(project_id)
        try:
            definition = park.from_api(body)
            _define_park(project_id, definition)
        except UploadError as exc:
            return JSONResponse({"detail": exc.message}, status_code=exc.status)
        return Response(park_json(_park_assessment(project_id)), media_type="application/json")

    # ---- JSON API ---------------------------------------------------------------------------
    @app.post("/api/runs", status_code=201, dependencies=[Depends(authorised)])
    async def api_submit(request: Request, form: RunForm = Depends()) -> dict:
        try:
            run_id = await create_run(request, form)
        except UploadError as exc:
            return JSONResponse({"detail": exc.message}, status_code=exc.status)
        return {"id": run_id, "status": _run_or_404(run_id)["status"], "url": f"/api/runs/{run_id}"}

    @app.get("/api/runs/{run_id}", dependencies=[Depends(authorised)])
    def api_run(run_id: str) -> dict:
        """The run: status, message, stages, name, parent, summary; ``queue_position`` while queued."""
        run = _run_or_404(run_id)
        if run["status"] == "queued" and scheduler.pump():
            run = _run_or_404(run_id)
        return {**run, "queue_position": store.queue_position(run_id)}

    @app.patch("/api/runs/{run_id}", dependencies=[Depends(authorised)])
    def api_rename(run_id: str, change: dict[str, str]) -> dict:
        """Rename a run: ``{"name": "..."}``."""
        _run_or_404(run_id)
        if not store.rename(run_id, change.get("name", "")):
            raise HTTPException(status_code=400, detail="a run's name cannot be empty")
        return _run_or_404(run_id)

    def deleted_json(delete, key: str, in_progress: str, missing: str) -> dict:
        """What ``delete(key)`` removed, as the API says it (409 while a run is in progress, 404)."""
        try:
            deleted = delete(key)
        except RunInProgress:
            raise HTTPException(status_code=409, detail=in_progress) from None
        if deleted is None:
            raise HTTPException(status_code=404, detail=missing)
        return {"deleted_runs": deleted.runs, "removed_uploads": len(deleted.uploads)}

    @app.delete("/api/runs/{run_id}", dependencies=[Depends(authorised)])
    def api_delete_run(run_id: str) -> dict:
        """Delete a run: its row and folder, and its upload when no other run uses it (a queued run never
        starts; a running one is refused with 409)."""
        return deleted_json(store.delete_run, run_id, RUN_IN_PROGRESS, "no such run")

    @app.delete("/api/projects/{project_id}", dependencies=[Depends(authorised)])
    def api_delete_project(project_id: str) -> dict:
        """Delete a project and all its runs (as ``DELETE /api/runs/{id}``; nothing while one runs: 409)."""
        return deleted_json(store.delete_project, project_id, PROJECT_RUN_IN_PROGRESS, "no such project")

    @app.get("/api/runs/{run_id}/assessment", dependencies=[Depends(authorised)])
    def api_assessment(run_id: str) -> dict:
        run = _run_or_404(run_id)
        a = jobs.read_assessment(store, run_id)
        if run["status"] != "done" or a is None:
            raise HTTPException(status_code=409, detail=f"the run is {run['status']}")
        return a

    @app.post("/api/runs/{run_id}/rerun", status_code=201, dependencies=[Depends(authorised)])
    def api_rerun(request: Request, run_id: str, body: Annotated[dict, Body()]) -> dict:
        """Re-run the same upload (no new upload) with ``{material name: factor id}``, or with
        ``{"choices": {material: factor id or {"factor": id, "density_kg_per_m3": D}},
        "energy": {"gross_floor_area_m2": A, "electricity_kwh": E, ...}}`` (a figure set to null is
        removed; one not sent stays as it was)."""
        try:
            new_id = start_rerun(request, run_id, rerun.from_api(body))
        except UploadError as exc:
            return JSONResponse({"detail": exc.message}, status_code=exc.status)
        return {"id": new_id, "status": _run_or_404(new_id)["status"], "url": f"/api/runs/{new_id}"}

    @app.get("/api/factors", dependencies=[Depends(authorised)])
    def api_factors(q: str = Query("", max_length=100), limit: int = Query(20, ge=1, le=200)) -> list[dict]:
        """Factors whose id, English or Chinese name or category holds every word of ``q``: name, declared
        unit, value, default density and status, for the factor picker."""
        return [rerun.factor_json(f) for f in rerun.search_factors(q, limit)]

    @app.get("/api/projects", dependencies=[Depends(authorised)])
    def api_projects() -> list[dict]:
        return store.projects()

    @app.get("/api/projects/{project_id}/runs", dependencies=[Depends(authorised)])
    def api_project_runs(project_id: str) -> list[dict]:
        if store.project_row(project_id) is None:
            raise HTTPException(status_code=404, detail="no such project")
        return store.runs_of(project_id)

    return app


#: Refusals of a deletion (the English is the key of the page's translation, i18n.ZH).
NOT_CONFIRMED = "Tick the box to confirm the deletion."
RUN_IN_PROGRESS = (
    "This run is in progress and cannot be deleted: its worker is still writing its files and its "
    "result. Delete it once it has finished or failed (at the latest after the time limit)."
)
PROJECT_RUN_IN_PROGRESS = (
    "A run of this project is in progress: nothing was deleted. Delete the project once the run has "
    "finished or failed (at the latest after the time limit)."
)


def _samples(text: str) -> int:
    """The number of Monte Carlo samples a form asks for: 0 (off) or within :data:`WEB_SAMPLES`."""
    low, high = WEB_SAMPLES
    try:
        samples = int(str(text).strip().replace(",", "") or "0")
    except ValueError:
        samples = -1
    if samples != 0 and not low <= samples <= high:
        raise UploadError(
            "the number of samples must be 0 (off) or {low} to {high}",
            values={"low": low, "high": f"{high:,}"},
        )
    return samples


#: Text fields of the upload form shown again after a refusal (a file field cannot be refilled).
FORM_TEXT_FIELDS = (
    "project",
    "run_name",
    "uncertainty_samples",
    "criteria",
    "lang",
    "e_building_type",
    *(f.form for f in rerun.ENERGY_FIELDS),
)


@functools.lru_cache(maxsize=64)
def _tier_name(criteria: str, tier: str, lang: str) -> str:
    """A tier's name in the page's language (its id when the pack or the tier is unknown)."""
    from bimcarbon.criteria import load_pack

    try:
        found = next((t for t in load_pack(criteria).tiers if t.id == tier), None)
    except BimcarbonError:  # a pack no longer shipped: the id is all there is
        return tier
    if found is None:
        return tier
    return found.name_zh if lang == "zh" and found.name_zh else found.name_en


def _full(exc: Full) -> UploadError:
    """A refusal for want of room, as the pages and the API say it (429)."""
    return UploadError(exc.template, status=429, values=exc.values)


def _small_file(upload: UploadFile, target: Path) -> Path:
    data = upload.file.read(SMALL_FILE_BYTES + 1)
    if len(data) > SMALL_FILE_BYTES:
        raise UploadError(
            "the {what} file is larger than 1 MB", values={"what": target.stem.replace("_in", "")}
        )
    target.write_bytes(data)
    return target


def _printable(text: str) -> str:
    """Text without control characters (line breaks in a file name must not reach a YAML file)."""
    return "".join(c for c in text if c.isprintable())


#: The refusal of a body over the limit (``{mb}``: the limit the upload form states).
TOO_LARGE = "the upload is larger than the limit of {mb} MB"
#: Refusal of a request other than an upload whose body is over :data:`SMALL_BODY_BYTES`.
TOO_LARGE_REQUEST = "the request is larger than the limit of {mb} MB for anything but an upload"
#: Body of any request but an upload (bytes): a re-run of the most choices allowed (2,000 material
#: names with a factor and a density each) takes well under 1 MB.
SMALL_BODY_BYTES = 4 << 20
#: The routes that take an upload (POST), with the upload limit.
UPLOAD_PATHS = frozenset({"/runs", "/api/runs"})


class BodyLimit:
    """ASGI middleware: refuse a request body over its limit while it arrives, before it is parsed (a
    declared Content-Length is refused at once; a chunked body as soon as it passes the limit). An upload
    (POST to :data:`UPLOAD_PATHS`) may have ``max_bytes``, any other request ``small_bytes``.

    The refusal says ``limit_mb``, the limit the upload form states (``max_bytes`` has room for the small
    files and fields besides the model). A browser (``Accept: text/html``, not ``/api/``) gets the page
    ``html(scope, message)`` renders; anything else JSON ``{"detail": ...}``.
    """

    def __init__(
        self,
        app,
        max_bytes: int,
        limit_mb: str | None = None,
        html: Callable[[dict, str], bytes] | None = None,
        small_bytes: int = SMALL_BODY_BYTES,
    ) -> None:
        self.app, self.max_bytes, self.html, self.small_bytes = app, max_bytes, html, small_bytes
        self.limit_mb = limit_mb or megabytes(max_bytes)

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        upload = scope.get("method") == "POST" and scope.get("path") in UPLOAD_PATHS
        limit = self.max_bytes if upload else self.small_bytes
        too_large = self._too_large if upload else self._too_large_request
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await too_large(scope, send)
            return
        seen = 0
        refused = False

        async def guarded_send(message) -> None:
            if not refused:  # after the 413, whatever the app still says is dropped
                await send(message)

        async def counting_receive():
            nonlocal seen, refused
            if refused:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    refused = True
                    await too_large(scope, send)
                    return {"type": "http.disconnect"}
            return message

        try:
            await self.app(scope, counting_receive, guarded_send)
        except Exception:
            if not refused:
                raise

    async def _too_large_request(self, scope, send) -> None:
        """Any request but an upload over ``small_bytes``: one line (JSON for the API)."""
        line = TOO_LARGE_REQUEST.format(mb=megabytes(self.small_bytes))
        api = scope.get("path", "").startswith("/api/")
        body = json.dumps({"detail": line}).encode() if api else line.encode()
        media = b"application/json" if api else b"text/plain; charset=utf-8"
        headers = [(b"content-type", media), (b"content-length", str(len(body)).encode())]
        await send({"type": "http.response.start", "status": 413, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    async def _too_large(self, scope, send) -> None:
        headers = dict(scope.get("headers") or [])
        browser = b"text/html" in headers.get(b"accept", b"") and not scope.get("path", "").startswith(
            "/api/"
        )
        if browser and self.html is not None:
            body, media = self.html(scope, TOO_LARGE), b"text/html; charset=utf-8"
        else:
            body = json.dumps({"detail": TOO_LARGE.format(mb=self.limit_mb)}).encode()
            media = b"application/json"
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [(b"content-type", media), (b"content-length", str(len(body)).encode())],
            }
        )
        await send({"type": "http.response.body", "body": body})


class _Obj(dict):
    """A dict whose keys read as attributes in templates (a.embodied.a1_a3)."""

    def __getattr__(self, name: str):
        try:
            value = self[name]
        except KeyError:
            raise AttributeError(name) from None
        if isinstance(value, dict):
            return _Obj(value)
        if isinstance(value, list):
            return [_Obj(v) if isinstance(v, dict) else v for v in value]
        return value
