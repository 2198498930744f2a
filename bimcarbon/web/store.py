"""Storage of the web app: SQLite for projects, uploads and runs; files under generated names.

Uploaded files are stored as ``uploads/<sha256>.<ifc|ifczip>``; a run's inputs and outputs under
``runs/<run id>/``. No name a person supplied ever becomes a path. Ids are unguessable tokens.

A run has a name (the person's, else the model file's name and the local time), the run it was re-run
from (``parent_id``), the time it started running and the stages its worker went through. A database
made before these columns existed is brought up to date when it is opened (:data:`ADDED_COLUMNS`).
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS projects (id TEXT PRIMARY KEY, name TEXT NOT NULL, created TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS uploads (
    sha256 TEXT PRIMARY KEY, size INTEGER NOT NULL, original_name TEXT NOT NULL,
    stored_name TEXT NOT NULL, created TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS runs (
    id TEXT PRIMARY KEY, project_id TEXT NOT NULL, upload_sha256 TEXT NOT NULL,
    parameters TEXT NOT NULL, status TEXT NOT NULL, message TEXT NOT NULL DEFAULT '',
    summary TEXT, created TEXT NOT NULL, finished TEXT,
    name TEXT, parent_id TEXT, started TEXT, stages TEXT);
"""
#: Columns added to ``runs`` after its first layout, with their types: added to an older database when
#: it is opened (``ALTER TABLE``), in this order.
ADDED_COLUMNS = (("name", "TEXT"), ("parent_id", "TEXT"), ("started", "TEXT"), ("stages", "TEXT"))
#: Longest run name kept (characters).
MAX_NAME = 120


def now() -> str:
    """UTC time as ISO 8601 text."""
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def default_name(model_name: str, created: str | None = None) -> str:
    """A run's name when the person gave none: the model file's name and the local time of ``created``
    (ISO 8601; default now), e.g. ``office_m.ifc 2026-11-29 14:05``."""
    moment = datetime.fromisoformat(created) if created else datetime.now(timezone.utc)
    return f"{model_name} {moment.astimezone().strftime('%Y-%m-%d %H:%M')}"


def clean_name(text: str | None) -> str:
    """A name as stored: printable characters only, spaces trimmed, at most :data:`MAX_NAME`."""
    return "".join(c for c in (text or "") if c.isprintable()).strip()[:MAX_NAME].strip()


def new_id() -> str:
    """An unguessable id (128 bits, URL-safe)."""
    return secrets.token_urlsafe(16)


@dataclass
class Store:
    """The data directory: ``bimcarbon.sqlite``, ``uploads/`` and ``runs/``."""

    root: Path

    def __post_init__(self) -> None:
        self.root = Path(self.root)
        (self.root / "uploads").mkdir(parents=True, exist_ok=True)
        (self.root / "runs").mkdir(parents=True, exist_ok=True)
        with closing(self._connect()) as db:
            db.executescript(SCHEMA)
            self._migrate(db)

    def _migrate(self, db: sqlite3.Connection) -> None:
        """Bring a database made by an older version up to date: the added columns, and a name for
        every run that has none (its model's name and the time it was created)."""
        present = {row["name"] for row in db.execute("PRAGMA table_info(runs)")}
        with db:
            for column, kind in ADDED_COLUMNS:
                if column not in present:
                    try:
                        db.execute(f"ALTER TABLE runs ADD COLUMN {column} {kind}")
                    except sqlite3.OperationalError as exc:  # another process added it meanwhile
                        if "duplicate column" not in str(exc):
                            raise
            unnamed = db.execute("SELECT id, parameters, created FROM runs WHERE name IS NULL").fetchall()
            for row in unnamed:
                model = json.loads(row["parameters"]).get("model_name") or "model"
                db.execute(
                    "UPDATE runs SET name = ? WHERE id = ?", (default_name(model, row["created"]), row["id"])
                )

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.root / "bimcarbon.sqlite", timeout=30)
        db.row_factory = sqlite3.Row
        return db

    def _execute(self, sql: str, args: tuple = ()) -> list[sqlite3.Row]:
        with closing(self._connect()) as db, db:
            return db.execute(sql, args).fetchall()

    # projects
    def project(self, name: str) -> str:
        """The id of the project with this name, created if new."""
        rows = self._execute("SELECT id FROM projects WHERE name = ?", (name,))
        if rows:
            return rows[0]["id"]
        project_id = new_id()
        self._execute("INSERT INTO projects VALUES (?, ?, ?)", (project_id, name, now()))
        return project_id

    def projects(self) -> list[dict]:
        return [dict(r) for r in self._execute("SELECT * FROM projects ORDER BY created DESC")]

    def project_row(self, project_id: str) -> dict | None:
        rows = self._execute("SELECT * FROM projects WHERE id = ?", (project_id,))
        return dict(rows[0]) if rows else None

    # uploads
    def upload_path(self, sha256: str, kind: str) -> Path:
        return self.root / "uploads" / f"{sha256}.{kind}"

    def add_upload(self, sha256: str, size: int, original_name: str, kind: str) -> None:
        self._execute(
            "INSERT OR IGNORE INTO uploads VALUES (?, ?, ?, ?, ?)",
            (sha256, size, original_name[:200], f"{sha256}.{kind}", now()),
        )

    def upload(self, sha256: str) -> dict | None:
        rows = self._execute("SELECT * FROM uploads WHERE sha256 = ?", (sha256,))
        return dict(rows[0]) if rows else None

    # runs
    def run_dir(self, run_id: str) -> Path:
        return self.root / "runs" / run_id

    def add_run(
        self,
        project_id: str,
        sha256: str,
        parameters: dict,
        name: str | None = None,
        parent_id: str | None = None,
    ) -> str:
        """A new queued run; ``name`` (cleaned) else :func:`default_name`; ``parent_id``: the run it
        re-runs (None for an upload)."""
        run_id, created = new_id(), now()
        self.run_dir(run_id).mkdir(parents=True)
        name = clean_name(name) or default_name(parameters.get("model_name") or "model", created)
        self._execute(
            "INSERT INTO runs (id, project_id, upload_sha256, parameters, status, created, name, parent_id) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (run_id, project_id, sha256, json.dumps(parameters), "queued", created, name, parent_id),
        )
        return run_id

    def rename(self, run_id: str, name: str) -> bool:
        """Give a run a new name (cleaned; an empty name is refused: False)."""
        name = clean_name(name)
        if not name:
            return False
        self._execute("UPDATE runs SET name = ? WHERE id = ?", (name, run_id))
        return True

    def start_running(self, run_id: str, message: str) -> None:
        """The run leaves the queue: running from now, no stage yet."""
        self._execute(
            "UPDATE runs SET status = 'running', message = ?, started = ?, stages = '[]' WHERE id = ?",
            (message, now(), run_id),
        )

    def record_stage(self, run_id: str, stage: str, count: int | None = None, message: str = "") -> None:
        """The worker reached ``stage`` (``count``: elements, parts ..., or None; ``message``: the
        stage in words, for the API). The same stage told again keeps its start time, takes the count."""
        with closing(self._connect()) as db, db:
            row = db.execute("SELECT stages FROM runs WHERE id = ?", (run_id,)).fetchone()
            if row is None:
                return
            stages = json.loads(row["stages"] or "[]")
            if stages and stages[-1]["stage"] == stage:
                stages[-1]["count"] = count if count is not None else stages[-1].get("count")
            else:
                stages.append({"stage": stage, "count": count, "at": now()})
            db.execute(
                "UPDATE runs SET stages = ?, message = ? WHERE id = ? AND status = 'running'",
                (json.dumps(stages), message or stage, run_id),
            )

    def set_status(self, run_id: str, status: str, message: str = "", summary: dict | None = None) -> None:
        finished = now() if status in ("done", "failed") else None
        self._execute(
            "UPDATE runs SET status = ?, message = ?, summary = COALESCE(?, summary), finished = ? "
            "WHERE id = ?",
            (status, message, json.dumps(summary) if summary is not None else None, finished, run_id),
        )

    def finish_if_running(self, run_id: str, message: str) -> bool:
        """Mark a run failed only if it is still running (a finished run is never overwritten)."""
        with closing(self._connect()) as db, db:
            cursor = db.execute(
                "UPDATE runs SET status = 'failed', message = ?, finished = ? "
                "WHERE id = ? AND status = 'running'",
                (message, now(), run_id),
            )
            return cursor.rowcount > 0

    def count_active(self) -> int:
        """Runs queued or running."""
        return int(
            self._execute("SELECT COUNT(*) AS n FROM runs WHERE status IN ('queued', 'running')")[0]["n"]
        )

    def count_running(self) -> int:
        return int(self._execute("SELECT COUNT(*) AS n FROM runs WHERE status = 'running'")[0]["n"])

    def queued(self) -> list[str]:
        """Ids of the queued runs, first in first."""
        return [r["id"] for r in self._execute("SELECT id FROM runs WHERE status = 'queued' ORDER BY rowid")]

    def queue_position(self, run_id: str) -> int | None:
        """1 for the next run to start, 2 for the one after ...; None when the run is not queued."""
        rows = self._execute(
            "SELECT (SELECT COUNT(*) FROM runs AS o WHERE o.status = 'queued' AND o.rowid <= r.rowid) AS n "
            "FROM runs AS r WHERE r.id = ? AND r.status = 'queued'",
            (run_id,),
        )
        return int(rows[0]["n"]) if rows else None

    def fail_interrupted(self, message: str) -> None:
        """At start-up: runs left running by a stopped server can never finish (queued ones still can:
        they start again, see :class:`bimcarbon.web.jobs.Scheduler`)."""
        self._execute(
            "UPDATE runs SET status = 'failed', message = ?, finished = ? WHERE status = 'running'",
            (message, now()),
        )

    def run(self, run_id: str) -> dict | None:
        rows = self._execute("SELECT * FROM runs WHERE id = ?", (run_id,))
        return _run_dict(rows[0]) if rows else None

    def runs_of(self, project_id: str) -> list[dict]:
        """A project's runs, newest first."""
        rows = self._execute(
            "SELECT * FROM runs WHERE project_id = ? ORDER BY created DESC, rowid DESC", (project_id,)
        )
        return [_run_dict(r) for r in rows]

    def reruns_of(self, run_id: str) -> list[dict]:
        """The runs re-run from this one, oldest first."""
        rows = self._execute("SELECT * FROM runs WHERE parent_id = ? ORDER BY rowid", (run_id,))
        return [_run_dict(r) for r in rows]

    # ---- deleting (issue 14, S3): new methods stay at the end of the class ----
    def delete_run(self, run_id: str) -> Deleted | None:
        """Delete a run: its row and folder, and its upload when no other run uses it.

        A queued run is deleted (it never starts: the scheduler starts only runs it finds queued). A
        running one is refused (:class:`RunInProgress`): its worker writes into its folder and its final
        status until it ends (at most the time limit). None when there is no such run.
        """
        return self._delete("SELECT id, status, upload_sha256 FROM runs WHERE id = ?", (run_id,))

    def delete_project(self, project_id: str) -> Deleted | None:
        """Delete a project with all its runs (as :meth:`delete_run`; nothing is deleted while one of
        them is running). None when there is no such project."""
        return self._delete(
            "SELECT id, status, upload_sha256 FROM runs WHERE project_id = ?", (project_id,), project_id
        )

    def ensure_upload(self, sha256: str, size: int, original_name: str, kind: str, copy: Path) -> None:
        """The upload's row and file, the file from ``copy`` (on the same disk) unless it is there.

        Called before a run of the upload is added and again after it: a deletion of the last run using
        the same file may have removed both in between (once the run is added, none will)."""
        self.add_upload(sha256, size, original_name, kind)
        target = self.upload_path(sha256, kind)
        if not target.exists():
            try:
                os.link(copy, target)
            except FileExistsError:
                pass
            except OSError:  # a file system without hard links
                shutil.copyfile(copy, target)

    def _delete(self, select: str, args: tuple, project_id: str | None = None) -> Deleted | None:
        """Delete the runs ``select`` finds (and the project ``project_id``) in one transaction that
        holds the database's write lock: a run cannot start, and a new run of the same upload cannot be
        added, between the check and the deletion. Upload files no run uses any more are removed in
        the same transaction (see :meth:`ensure_upload` for an upload arriving meanwhile); the runs'
        folders once it is committed."""
        db = self._connect()
        db.isolation_level = None  # transactions by hand
        try:
            db.execute("BEGIN IMMEDIATE")
            rows = db.execute(select, args).fetchall()
            if project_id is not None:
                found = db.execute("SELECT 1 FROM projects WHERE id = ?", (project_id,)).fetchone()
            else:
                found = bool(rows)
            if not found:
                db.execute("ROLLBACK")
                return None
            running = [r["id"] for r in rows if r["status"] == "running"]
            if running:
                db.execute("ROLLBACK")
                raise RunInProgress(running)
            run_ids = [r["id"] for r in rows]
            db.executemany("DELETE FROM runs WHERE id = ?", [(i,) for i in run_ids])
            if project_id is not None:
                db.execute("DELETE FROM projects WHERE id = ?", (project_id,))
            removed = []
            for sha256 in sorted({r["upload_sha256"] for r in rows}):
                if db.execute("SELECT 1 FROM runs WHERE upload_sha256 = ? LIMIT 1", (sha256,)).fetchone():
                    continue  # another run (a re-run, a run of another project) still uses it
                upload = db.execute("SELECT stored_name FROM uploads WHERE sha256 = ?", (sha256,)).fetchone()
                db.execute("DELETE FROM uploads WHERE sha256 = ?", (sha256,))
                if upload is not None:
                    (self.root / "uploads" / upload["stored_name"]).unlink(missing_ok=True)
                for cached in (self.root / "cache").glob(f"{sha256}-*"):  # its take-off, kept by hash
                    cached.unlink(missing_ok=True)
                removed.append(sha256)
            db.execute("COMMIT")
        except BaseException:
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise
        finally:
            db.close()
        for run_id in run_ids:
            shutil.rmtree(self.run_dir(run_id), ignore_errors=True)
        return Deleted(runs=run_ids, uploads=removed)


class RunInProgress(Exception):
    """A run cannot be deleted while it is running (``run_ids``: the running ones)."""

    def __init__(self, run_ids: list[str]) -> None:
        super().__init__(f"run(s) in progress: {', '.join(run_ids)}")
        self.run_ids = run_ids


@dataclass
class Deleted:
    """What a deletion removed: the runs' ids and the SHA-256 of the uploads no run used any more."""

    runs: list[str]
    uploads: list[str]


def _run_dict(row: sqlite3.Row) -> dict:
    run = dict(row)
    run["parameters"] = json.loads(run["parameters"])
    run["summary"] = json.loads(run["summary"]) if run["summary"] else None
    run["stages"] = json.loads(run["stages"]) if run.get("stages") else []
    return run
