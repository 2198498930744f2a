"""The FastAPI app: server-rendered pages and the same operations as a JSON API (OpenAPI at /docs).

Everything is served by the app itself (no CDN). Assessments run in worker processes (``jobs.py``);
storage is SQLite plus files under generated names (``store.py``).
"""

from __future__ import annotations

import functools
import json
import math
import os
import secrets
import shutil
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import yaml
from fastapi import Depends, FastAPI, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.concurrency import run_in_threadpool
from starlette.middleware.trustedhost import TrustedHostMiddleware

from bimcarbon import __version__
from bimcarbon.errors import BimcarbonError
from bimcarbon.factors import factors_dir
from bimcarbon.web import compare, i18n, jobs
from bimcarbon.web.store import Store
from bimcarbon.web.uploads import UploadError, receive

HERE = Path(__file__).resolve().parent
SMALL_FILE_BYTES = 1 << 20
FILES = {
    "xlsx": ("assessment.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "json": ("assessment.json", "application/json"),
    "mapping": ("mapping.yaml", "application/yaml"),
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
    ) -> None:
        self.model, self.energy, self.mapping = model, energy, mapping
        self.project, self.criteria, self.lang = project, criteria, lang
        self.name = run_name
        self.options = {"no_assumptions": no_assumptions, "accept_incomplete": accept_incomplete}


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
    allowed_hosts: tuple[str, ...] = ("127.0.0.1", "localhost", "testserver")


def language(request: Request) -> str:
    """The language of the pages for this request (see :func:`bimcarbon.web.i18n.negotiate`)."""
    return i18n.negotiate(
        request.query_params.get("lang"),
        request.cookies.get(i18n.COOKIE),
        request.headers.get("accept-language"),
    )


def criteria_packs() -> list[str]:
    """Ids of the shipped criteria packs (only these can be chosen: no paths from a request)."""
    return sorted(p.stem for p in (factors_dir() / "criteria").glob("*.yaml") if not p.stem.endswith("-info"))


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


def _pct(value: float | None, biggest: float) -> float:
    return 0.0 if not value or not biggest else max(0.0, min(100.0, 100.0 * value / biggest))


def create_app(settings: Settings) -> FastAPI:
    """The app for one data directory."""
    store = Store(settings.data_dir)
    store.fail_interrupted("interrupted: the server stopped while this run was in progress; run it again")
    scheduler = jobs.Scheduler(store, settings.max_concurrent_runs, settings.time_limit_s)
    scheduler.pump()  # runs still queued when the server stopped start now
    app = FastAPI(
        title="bimcarbon",
        version=__version__,
        description="IFC model -> zero-carbon verdicts",
        docs_url=None,  # Swagger UI loads from a CDN; the spec is at /openapi.json (behind the token)
        redoc_url=None,
        openapi_url=None,
    )
    app.add_middleware(BodyLimit, max_bytes=settings.max_upload_bytes + 4 * SMALL_FILE_BYTES)
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=settings.allowed_hosts)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    templates = Jinja2Templates(directory=HERE / "templates")
    templates.env.globals.update(fmt=_fmt, pct=_pct, share=_share, version=__version__, when=_when)

    def authorised(request: Request) -> None:
        if not settings.token:
            return
        given = request.headers.get("authorization", "").removeprefix("Bearer ").strip()
        given = given or request.query_params.get("token", "") or request.cookies.get("bimcarbon_token", "")
        if not secrets.compare_digest(given.encode(), settings.token.encode()):
            raise HTTPException(status_code=401, detail="an access token is required")

    def page(request: Request, name: str, status_code: int = 200, **context) -> HTMLResponse:
        chosen = request.query_params.get("lang")
        lang = language(request)
        context.update(lang=lang, _=i18n.translator(lang))
        context.setdefault("refresh", None)
        context.setdefault("title", "bimcarbon")
        response = templates.TemplateResponse(request, name, context, status_code=status_code)
        if chosen in i18n.LANGS:  # the switch: kept for the next pages
            response.set_cookie(i18n.COOKIE, chosen, samesite="lax", max_age=365 * 24 * 3600)
        token = request.query_params.get("token")
        if settings.token and token and secrets.compare_digest(token.encode(), settings.token.encode()):
            response.set_cookie("bimcarbon_token", token, httponly=True, samesite="strict")
        return response

    async def create_run(request: Request, run: RunForm) -> str:
        if run.criteria not in criteria_packs():
            raise UploadError(f"unknown criteria pack {run.criteria!r}")
        if run.lang not in ("en", "zh"):
            raise UploadError("language must be en or zh")
        busy()
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
            run.options,
            run.name,
        )

    def busy() -> None:
        """Refuse a new run (429) when the queue is full: runs beyond the running ones wait."""
        active = store.count_active()
        if active >= settings.max_concurrent_runs + settings.max_queued_runs:
            raise UploadError(
                f"{active} runs are in progress or waiting, and at most {settings.max_queued_runs} may wait: "
                "try again when one has finished",
                status=429,
            )

    def _store_and_start(
        model,
        energy,
        mapping,
        form,
        project: str,
        criteria: str,
        lang: str,
        options: dict[str, bool],
        name: str = "",
    ) -> str:
        """Validate the small files first, then store the model and start the run (in a thread)."""
        from bimcarbon.energy import load_energy
        from bimcarbon.rules import load_rules

        with tempfile.TemporaryDirectory(dir=store.root, prefix=".check-") as scratch:
            staged: dict[str, Path] = {}
            try:
                if energy is not None and energy.filename:
                    staged["energy.yaml"] = _small_file(energy, Path(scratch) / "energy.yaml")
                else:
                    fields = energy_from_form(form)
                    if fields is not None:
                        staged["energy.yaml"] = Path(scratch) / "energy.yaml"
                        staged["energy.yaml"].write_text(yaml.safe_dump(fields), encoding="utf-8")
                if "energy.yaml" in staged:
                    load_energy(staged["energy.yaml"])
                if mapping is not None and mapping.filename:
                    staged["mapping_in.yaml"] = _small_file(mapping, Path(scratch) / "mapping_in.yaml")
                    load_rules(staged["mapping_in.yaml"])
            except BimcarbonError as exc:
                raise UploadError(str(exc).replace(scratch, "").lstrip("/")) from None
            except Exception as exc:  # a file pydantic or YAML cannot make sense of
                raise UploadError(f"{type(exc).__name__}: {exc}".replace(scratch, "")) from None
            temporary, sha256, size, kind = receive(
                model.file, store.root / "uploads", settings.max_upload_bytes
            )
            target = store.upload_path(sha256, kind)
            if target.exists():
                temporary.unlink()
            else:
                os.replace(temporary, target)
            model_name = _printable(Path(model.filename or "model.ifc").name)[:200] or "model.ifc"
            store.add_upload(sha256, size, model_name, kind)
            project_id = store.project(_printable(project or "").strip()[:100] or "My project")
            parameters = {"criteria": criteria, "lang": lang, "model_name": model_name, **options}
            run_id = store.add_run(project_id, sha256, parameters, name=name)
            for file_name, path in staged.items():
                shutil.copy(path, store.run_dir(run_id) / file_name)
        scheduler.pump()
        return run_id

    def rerun(run_id: str, choices: dict[str, str]) -> str:
        """A new run of the same upload with the person's factor choices added to its mapping."""
        from bimcarbon.factors import load_library

        run = _run_or_404(run_id)
        library = load_library()
        chosen = {m: f.strip() for m, f in choices.items() if f and f.strip()}
        unknown = sorted(f for f in chosen.values() if f not in library.by_id)
        if unknown:
            raise UploadError(f"unknown factor id(s): {', '.join(unknown)}")
        if not chosen:
            raise UploadError("choose a factor for at least one material")
        busy()
        old = store.run_dir(run_id)
        new_id = store.add_run(
            run["project_id"], run["upload_sha256"], dict(run["parameters"]), parent_id=run_id
        )
        folder = store.run_dir(new_id)
        if (old / "energy.yaml").exists():
            shutil.copy(old / "energy.yaml", folder / "energy.yaml")
        previous = []
        if (old / "mapping_in.yaml").exists():
            loaded = yaml.safe_load((old / "mapping_in.yaml").read_text(encoding="utf-8")) or {}
            previous = [r for r in loaded.get("rules", []) if isinstance(r, dict)]
        # earlier choices for the same materials give way to the new ones; rule ids stay unique
        previous = [
            r for r in previous if not set((r.get("when") or {}).get("material_exact") or []) & set(chosen)
        ]
        taken = {str(r.get("id")) for r in previous}
        rules = []
        for material, factor in sorted(chosen.items()):
            number = 1
            while f"accepted-{number}" in taken:
                number += 1
            taken.add(f"accepted-{number}")
            rules.append(
                {
                    "id": f"accepted-{number}",
                    "when": {"material_exact": [material]},
                    "use": [{"factor": factor}],
                }
            )
        document = {"metadata": {"id": "web-choices", "title": "factors chosen in the web app"}}
        document["rules"] = rules + previous
        (folder / "mapping_in.yaml").write_text(
            yaml.safe_dump(document, allow_unicode=True), encoding="utf-8"
        )
        scheduler.pump()
        return new_id

    @app.get("/openapi.json", include_in_schema=False, dependencies=[Depends(authorised)])
    def openapi() -> dict:
        return app.openapi()

    @app.get("/", response_class=HTMLResponse, dependencies=[Depends(authorised)])
    def index(request: Request) -> HTMLResponse:
        return page(
            request,
            "index.html",
            packs=criteria_packs(),
            projects=store.projects(),
            max_mb=settings.max_upload_bytes >> 20,
            title="Assess",
        )

    @app.post("/runs", dependencies=[Depends(authorised)])
    async def submit(request: Request, form: RunForm = Depends()):
        try:
            run_id = await create_run(request, form)
        except UploadError as exc:
            return page(
                request,
                "index.html",
                status_code=exc.status,
                error=exc.message,
                packs=criteria_packs(),
                projects=store.projects(),
                max_mb=settings.max_upload_bytes >> 20,
            )
        return RedirectResponse(f"/runs/{run_id}", status_code=303)

    def _run_or_404(run_id: str) -> dict:
        run = store.run(run_id)
        if run is None:
            raise HTTPException(status_code=404, detail="no such run")
        return run

    @app.get("/runs/{run_id}", response_class=HTMLResponse, dependencies=[Depends(authorised)])
    def run_page(request: Request, run_id: str) -> HTMLResponse:
        return _run_page(request, run_id)

    def _run_page(request: Request, run_id: str, status_code: int = 200, error: str = "") -> HTMLResponse:
        run = _run_or_404(run_id)
        if run["status"] == "queued" and scheduler.pump():
            run = _run_or_404(run_id)
        a = jobs.read_assessment(store, run_id) if run["status"] == "done" else None
        modules, stages = [], []
        if a is not None:
            e = a["embodied"]
            modules = [
                ("A1-A3", e["a1_a3"]),
                ("A4", e["a4"]),
                ("A5", e["a5"]),
                ("B4", e["b4"]),
                ("C1-C4", e["c1_c4"]),
            ]
            stages = [
                (f"{s['name_zh']} {s['name_en']} ({s['modules']})", s["kgco2e"]) for s in a.get("stages", [])
            ]
        return page(
            request,
            "run.html",
            run=run,
            a=_Obj(a) if a else None,
            upload=store.upload(run["upload_sha256"]),
            project=store.project_row(run["project_id"]),
            refresh=2 if run["status"] in ("queued", "running") else None,
            css={"pass": "pass", "fail": "fail", "not assessable": "na"},
            modules=modules,
            stages=stages,
            module_max=max((v or 0 for _, v in modules), default=0),
            factor_ids=_factor_ids() if a is not None else [],
            material_max=max((m["a1_a3_kgco2e"] for m in (a or {}).get("by_material", [])), default=0),
            intensity_max=_intensity_max(a),
            title=run["name"],
            progress=jobs.status_view(store, run),
            parent=store.run(run["parent_id"]) if run.get("parent_id") else None,
            reruns=store.reruns_of(run_id),
            status_code=status_code,
            rename_error=error,
        )

    @app.post("/runs/{run_id}/name", dependencies=[Depends(authorised)])
    async def rename_form(request: Request, run_id: str):
        _run_or_404(run_id)
        form = await request.form()
        if not store.rename(run_id, str(form.get("run_name", ""))):
            return _run_page(request, run_id, status_code=400, error="a run's name cannot be empty")
        return RedirectResponse(f"/runs/{run_id}", status_code=303)

    @app.post("/runs/{run_id}/rerun", dependencies=[Depends(authorised)])
    async def rerun_form(request: Request, run_id: str):
        form = await request.form()
        choices = {
            str(form.get(key.replace("factor-", "material-"), "")): str(value)
            for key, value in form.items()
            if key.startswith("factor-")
        }
        try:
            new_id = rerun(run_id, choices)
        except UploadError as exc:
            raise HTTPException(status_code=exc.status, detail=exc.message) from None
        return RedirectResponse(f"/runs/{new_id}", status_code=303)

    @app.get("/runs/{run_id}/files/{kind}", dependencies=[Depends(authorised)])
    def download(run_id: str, kind: str) -> FileResponse:
        run = _run_or_404(run_id)
        if kind not in FILES or run["status"] != "done":
            raise HTTPException(status_code=404, detail="no such file")
        name, media = FILES[kind]
        stem = Path(run["parameters"].get("model_name", "model")).stem[:60] or "model"
        safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in stem)
        return FileResponse(store.run_dir(run_id) / name, media_type=media, filename=f"{safe}.{name}")

    @app.get("/projects/{project_id}", response_class=HTMLResponse, dependencies=[Depends(authorised)])
    def project_page(request: Request, project_id: str) -> HTMLResponse:
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
        result = compare.compare(*sides, factor_names=names) if sides else None
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
        _, _, run_a, run_b = _comparison(project_id, a, b)
        for run in (run_a, run_b):
            if run["status"] != "done":
                raise HTTPException(status_code=409, detail=f"run {run['id']} is {run['status']}")
        return compare.compare(jobs.read_side(store, run_a), jobs.read_side(store, run_b))

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

    @app.get("/api/runs/{run_id}/assessment", dependencies=[Depends(authorised)])
    def api_assessment(run_id: str) -> dict:
        run = _run_or_404(run_id)
        a = jobs.read_assessment(store, run_id)
        if run["status"] != "done" or a is None:
            raise HTTPException(status_code=409, detail=f"the run is {run['status']}")
        return a

    @app.post("/api/runs/{run_id}/rerun", status_code=201, dependencies=[Depends(authorised)])
    def api_rerun(run_id: str, choices: dict[str, str]) -> dict:
        """Re-run the same upload with ``{material name: factor id}`` choices (no new upload)."""
        try:
            new_id = rerun(run_id, choices)
        except UploadError as exc:
            return JSONResponse({"detail": exc.message}, status_code=exc.status)
        return {"id": new_id, "status": _run_or_404(new_id)["status"], "url": f"/api/runs/{new_id}"}

    @app.get("/api/projects", dependencies=[Depends(authorised)])
    def api_projects() -> list[dict]:
        return store.projects()

    @app.get("/api/projects/{project_id}/runs", dependencies=[Depends(authorised)])
    def api_project_runs(project_id: str) -> list[dict]:
        if store.project_row(project_id) is None:
            raise HTTPException(status_code=404, detail="no such project")
        return store.runs_of(project_id)

    return app


#: Form field -> (section, key) of the energy file, for people without an energy file.
ENERGY_FORM_FIELDS = {
    "e_floor_area_m2": (None, "gross_floor_area_m2"),
    "e_electricity_kwh": ("annual", "electricity_kwh"),
    "e_natural_gas_m3": ("annual", "natural_gas_m3"),
    "e_pv_self_consumed_kwh": ("renewables", "pv_self_consumed_kwh"),
    "e_pv_exported_kwh": ("renewables", "pv_exported_kwh"),
    "e_green_electricity_kwh": (None, "green_electricity_kwh"),
    "e_offsets_tco2e": (None, "offsets_tco2e_per_year"),
    "e_baseline_intensity": ("baseline", "carbon_intensity_kg_per_m2a"),
}


def energy_from_form(form) -> dict | None:
    """An energy file's fields from the upload form's energy fields, or None when none is filled."""
    filled = {k: str(form.get(k, "")).strip() for k in ENERGY_FORM_FIELDS if str(form.get(k, "")).strip()}
    if not filled:
        return None
    document: dict = {"building_type": str(form.get("e_building_type") or "public")}
    for key, text in filled.items():
        section, field = ENERGY_FORM_FIELDS[key]
        try:
            value = float(text)
        except ValueError:
            raise UploadError(f"{field} must be a number, not {text!r}") from None
        (document.setdefault(section, {}) if section else document)[field] = value
    return document


def _intensity_max(a: dict | None) -> float:
    if not a:
        return 0.0
    values = [
        v
        for mode in ("without_embodied", "with_embodied")
        for k, v in a[mode]["metrics"].items()
        if k.endswith("_kg_per_m2a") and isinstance(v, int | float)
    ]
    return max((abs(v) for v in values), default=0.0)


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


def _factor_ids() -> list[str]:
    from bimcarbon.factors import load_library

    return sorted(load_library().by_id)


def _small_file(upload: UploadFile, target: Path) -> Path:
    data = upload.file.read(SMALL_FILE_BYTES + 1)
    if len(data) > SMALL_FILE_BYTES:
        raise UploadError(f"the {target.stem.replace('_in', '')} file is larger than 1 MB")
    target.write_bytes(data)
    return target


def _printable(text: str) -> str:
    """Text without control characters (line breaks in a file name must not reach a YAML file)."""
    return "".join(c for c in text if c.isprintable())


class BodyLimit:
    """ASGI middleware: refuse a request body over ``max_bytes`` while it arrives, before it is parsed
    (a declared Content-Length is refused at once; a chunked body as soon as it passes the limit)."""

    def __init__(self, app, max_bytes: int) -> None:
        self.app, self.max_bytes = app, max_bytes

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await _too_large(send, self.max_bytes)
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
                if seen > self.max_bytes:
                    refused = True
                    await _too_large(send, self.max_bytes)
                    return {"type": "http.disconnect"}
            return message

        try:
            await self.app(scope, counting_receive, guarded_send)
        except Exception:
            if not refused:
                raise


async def _too_large(send, max_bytes: int) -> None:
    body = json.dumps({"detail": f"the upload is larger than the limit of {max_bytes >> 20} MB"}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
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
