"""Storage of the web app: SQLite for projects, uploads and runs; files under generated names.

Uploaded files are stored as ``uploads/<sha256>.<ifc|ifczip>``; a run's inputs and outputs under
``runs/<run id>/``. No name a person supplied ever becomes a path. Ids are unguessable tokens.
"""

from __future__ import annotations

import json
import secrets
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
    summary TEXT, created TEXT NOT NULL, finished TEXT);
"""


def now() -> str:
    """UTC time as ISO 8601 text."""
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


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

    def add_run(self, project_id: str, sha256: str, parameters: dict) -> str:
        run_id = new_id()
        self.run_dir(run_id).mkdir(parents=True)
        self._execute(
            "INSERT INTO runs (id, project_id, upload_sha256, parameters, status, created) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (run_id, project_id, sha256, json.dumps(parameters), "queued", now()),
        )
        return run_id

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

    def fail_interrupted(self, message: str) -> None:
        """At start-up: runs left queued or running by a stopped server can never finish."""
        self._execute(
            "UPDATE runs SET status = 'failed', message = ?, finished = ? "
            "WHERE status IN ('queued', 'running')",
            (message, now()),
        )

    def run(self, run_id: str) -> dict | None:
        rows = self._execute("SELECT * FROM runs WHERE id = ?", (run_id,))
        return _run_dict(rows[0]) if rows else None

    def runs_of(self, project_id: str) -> list[dict]:
        rows = self._execute("SELECT * FROM runs WHERE project_id = ? ORDER BY created DESC", (project_id,))
        return [_run_dict(r) for r in rows]


def _run_dict(row: sqlite3.Row) -> dict:
    run = dict(row)
    run["parameters"] = json.loads(run["parameters"])
    run["summary"] = json.loads(run["summary"]) if run["summary"] else None
    return run
