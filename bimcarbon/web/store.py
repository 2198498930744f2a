"""Storage of the web app: SQLite for projects, uploads, runs and parks; files under generated names.

Uploaded files are stored as ``uploads/<sha256>.<ifc|ifczip>``; a run's inputs and outputs under
``runs/<run id>/``. No name a person supplied ever becomes a path. Ids are unguessable tokens.

A run has a name (the person's, else the model file's name and the local time), the run it was re-run
from (``parent_id``), the time it started running and the stages its worker went through, the client
that asked for it and the server that runs it (``owner``). A database made before these columns existed
is brought up to date when it is opened (:data:`ADDED_COLUMNS`). A project may have a park (the table
``parks``, created in an older database when it is opened): its definition as JSON, deleted with the
project (:mod:`bimcarbon.web.park`).

Admission and starting are each one SQLite transaction taken with ``BEGIN IMMEDIATE`` (the write lock, so
no other thread or server process on the same data folder counts between the check and the write):
:meth:`Store.admit` counts the runs waiting or running and inserts the new one, :meth:`Store.claim` counts
the running ones and marks the next queued one running. A run's end is recorded only by the server that
owns it (:meth:`Store.finish`).
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
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
    name TEXT, parent_id TEXT, started TEXT, stages TEXT, client TEXT, owner TEXT);
CREATE TABLE IF NOT EXISTS parks (
    project_id TEXT PRIMARY KEY, definition TEXT NOT NULL, updated TEXT NOT NULL);
"""
#: Columns added to ``runs`` after its first layout, with their types: added to an older database when
#: it is opened (``ALTER TABLE``), in this order.
ADDED_COLUMNS = (
    ("name", "TEXT"),
    ("parent_id", "TEXT"),
    ("started", "TEXT"),
    ("stages", "TEXT"),
    ("client", "TEXT"),
    ("owner", "TEXT"),
)
#: Age after which a received upload or a check folder no request finished is removed (seconds).
STALE_AFTER_S = 24 * 3600.0
#: Longest run name kept (characters).
MAX_NAME = 120


@dataclass(frozen=True)
class Admission:
    """Room for runs: at most ``max_running`` run at once and ``max_waiting`` wait for a slot (one more is
    refused); of the waiting ones at most ``max_waiting_per_client`` come from ``client`` (the address the
    request came from)."""

    max_running: int
    max_waiting: int
    max_waiting_per_client: int
    client: str = ""


class Full(Exception):
    """A run refused for want of room: ``template`` (a sentence with ``{names}``) and its ``values``."""

    def __init__(self, template: str, **values: object) -> None:
        super().__init__(template.format(**values))
        self.template, self.values = template, values


#: Refusal when the queue is full (``{n}`` waiting or running, ``{queued}`` may wait).
QUEUE_FULL = (
    "runs in progress or waiting: {n}, and at most {queued} may wait; try again when one has finished"
)
#: Refusal when the client's share of the queue is taken.
CLIENT_FULL = (
    "runs waiting for this client: {n}, and at most {limit} may wait for one client; "
    "try again when one has started"
)


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

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction that holds SQLite's write lock from its first statement (``BEGIN
        IMMEDIATE``): what it reads cannot change before it commits, in any thread or process. Committed
        at the end, rolled back on an exception."""
        db = self._connect()
        db.isolation_level = None  # transactions by hand
        try:
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")
        finally:
            db.close()

    # projects
    def project(self, name: str) -> str:
        """The id of the project with this name, created if new (one project per name, however many
        uploads name it at once)."""
        with self._transaction() as db:
            return self._project(db, name)

    @staticmethod
    def _project(db: sqlite3.Connection, name: str) -> str:
        row = db.execute("SELECT id FROM projects WHERE name = ? ORDER BY rowid", (name,)).fetchone()
        if row is not None:
            return row["id"]
        project_id = new_id()
        db.execute("INSERT INTO projects VALUES (?, ?, ?)", (project_id, name, now()))
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
        re-runs (None for an upload). No limit is checked: see :meth:`admit`."""
        run_id = new_id()
        self.run_dir(run_id).mkdir(parents=True)
        with self._transaction() as db:
            self._insert_run(db, run_id, project_id, sha256, parameters, name, parent_id, None)
        return run_id

    def prepare_run(self) -> str:
        """A new run id and its empty folder, for the input files of a run not yet admitted."""
        run_id = new_id()
        self.run_dir(run_id).mkdir(parents=True)
        return run_id

    def admit(
        self,
        room: Admission,
        run_id: str,
        sha256: str,
        parameters: dict,
        *,
        project_id: str | None = None,
        project_name: str | None = None,
        upload: tuple[int, str, str] | None = None,
        name: str | None = None,
        parent_id: str | None = None,
        received: Path | None = None,
    ) -> str:
        """Queue the run ``run_id`` (its folder, :meth:`run_dir`, already holds its input files) if there
        is room, in one transaction: else :class:`Full` and nothing is written.

        Refused when the runs waiting or running number ``room.max_running + room.max_waiting`` or more,
        or when ``room.client`` has ``room.max_waiting_per_client`` runs waiting. Admitted, the project
        (``project_id``, or the one named ``project_name``, created if new), the upload's row (``upload``
        = (size in bytes, original name, kind) for a new upload of ``sha256``) and the run are written, and
        the model file ``received`` (on the same disk) becomes the stored upload before the commit (unless
        that file is stored already), so no scheduler sees the run before its files are all there and a
        deletion of the upload's last run (:meth:`_delete`, its own such transaction) waits or comes
        first. A re-run (``parent_id``) is refused with :class:`ParentGone` when
        its parent was deleted meanwhile (its files, read to make the re-run's, may be gone with it; while
        it is there, so is its upload). Returns the run id.
        """
        with self._transaction() as db:
            active = db.execute(
                "SELECT COUNT(*) AS n FROM runs WHERE status IN ('queued', 'running')"
            ).fetchone()["n"]
            if active >= room.max_running + room.max_waiting:
                raise Full(QUEUE_FULL, n=active, queued=room.max_waiting)
            mine = db.execute(
                "SELECT COUNT(*) AS n FROM runs WHERE status = 'queued' AND client = ?", (room.client,)
            ).fetchone()["n"]
            if mine >= room.max_waiting_per_client:
                raise Full(CLIENT_FULL, n=mine, limit=room.max_waiting_per_client)
            if project_id is None:
                project_id = self._project(db, project_name or "My project")
            # a re-run is made from its parent's files, which must still be there
            if (
                parent_id is not None
                and not db.execute("SELECT 1 FROM runs WHERE id = ?", (parent_id,)).fetchone()
            ):
                raise ParentGone(parent_id)
            if upload is not None:
                size, original_name, kind = upload
                db.execute(
                    "INSERT OR IGNORE INTO uploads VALUES (?, ?, ?, ?, ?)",
                    (sha256, size, original_name[:200], f"{sha256}.{kind}", now()),
                )
            self._insert_run(db, run_id, project_id, sha256, parameters, name, parent_id, room.client)
            if upload is not None and received is not None:
                self._place(received, self.upload_path(sha256, upload[2]))
        return run_id

    def remove_stale(self, older_than_s: float = STALE_AFTER_S) -> list[Path]:
        """Remove what a server killed while it received an upload left (``uploads/.incoming-*``, the
        ``.check-*`` folders), once older than ``older_than_s`` (a server on the same folder may be
        receiving a fresh one). Returns what was removed."""
        limit = time.time() - older_than_s
        found = [*(self.root / "uploads").glob(".incoming-*"), *self.root.glob(".check-*")]
        removed = []
        for path in found:
            try:
                if path.stat().st_mtime >= limit:
                    continue
                shutil.rmtree(path) if path.is_dir() else path.unlink()
            except OSError:  # gone meanwhile
                continue
            removed.append(path)
        return removed

    @staticmethod
    def _place(received: Path, target: Path) -> None:
        """The received model becomes the stored file, unless the same file is stored already."""
        if target.exists():
            received.unlink(missing_ok=True)
        else:
            os.replace(received, target)

    @staticmethod
    def _insert_run(
        db: sqlite3.Connection,
        run_id: str,
        project_id: str,
        sha256: str,
        parameters: dict,
        name: str | None,
        parent_id: str | None,
        client: str | None,
    ) -> None:
        created = now()
        name = clean_name(name) or default_name(parameters.get("model_name") or "model", created)
        db.execute(
            "INSERT INTO runs (id, project_id, upload_sha256, parameters, status, created, name, parent_id, "
            "client) VALUES (?, ?, ?, ?, 'queued', ?, ?, ?, ?)",
            (run_id, project_id, sha256, json.dumps(parameters), created, name, parent_id, client),
        )

    def rename(self, run_id: str, name: str) -> bool:
        """Give a run a new name (cleaned; an empty name is refused: False)."""
        name = clean_name(name)
        if not name:
            return False
        self._execute("UPDATE runs SET name = ? WHERE id = ?", (name, run_id))
        return True

    def start_running(self, run_id: str, message: str, owner: str | None = None) -> None:
        """The run leaves the queue: running from now, no stage yet, run by the server ``owner``."""
        self._execute(
            "UPDATE runs SET status = 'running', message = ?, started = ?, stages = '[]', owner = ? "
            "WHERE id = ?",
            (message, now(), owner, run_id),
        )

    def claim(self, owner: str, max_running: int, message: str = "starting") -> str | None:
        """The next queued run (first in first), marked running for the server ``owner``, when fewer than
        ``max_running`` runs are running (counted across every server on this data folder); else None.
        One transaction: two servers never take the same run, nor together more than the slots."""
        with self._transaction() as db:
            running = db.execute("SELECT COUNT(*) AS n FROM runs WHERE status = 'running'").fetchone()["n"]
            if running >= max_running:
                return None
            row = db.execute("SELECT id FROM runs WHERE status = 'queued' ORDER BY rowid LIMIT 1").fetchone()
            if row is None:
                return None
            db.execute(
                "UPDATE runs SET status = 'running', message = ?, started = ?, stages = '[]', owner = ? "
                "WHERE id = ?",
                (message, now(), owner, row["id"]),
            )
            return row["id"]

    def finish(
        self, run_id: str, owner: str | None, status: str, message: str = "", summary: dict | None = None
    ) -> bool:
        """Record the end of a run (``done`` or ``failed``), only if it is still running and run by
        ``owner``: a worker left over from a server that stopped can never overwrite what the next server
        recorded (``interrupted``). Whether it was recorded."""
        with closing(self._connect()) as db, db:
            cursor = db.execute(
                "UPDATE runs SET status = ?, message = ?, summary = COALESCE(?, summary), finished = ? "
                "WHERE id = ? AND status = 'running' AND owner IS ?",
                (status, message, json.dumps(summary) if summary is not None else None, now(), run_id, owner),
            )
            return cursor.rowcount > 0

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

    def count_waiting(self, client: str) -> int:
        """Runs queued for ``client``."""
        return int(
            self._execute("SELECT COUNT(*) AS n FROM runs WHERE status = 'queued' AND client = ?", (client,))[
                0
            ]["n"]
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

    def fail_interrupted(
        self, message: str, alive: Callable[[str | None], bool] = lambda owner: False
    ) -> list[str]:
        """At start-up: runs left running by a stopped server can never finish (queued ones still can:
        they start again, see :class:`bimcarbon.web.jobs.Scheduler`). ``alive(owner)`` tells whether the
        server that runs a run still lives (another server on the same data folder): its runs are left
        alone. Returns the ids of the runs marked failed."""
        with self._transaction() as db:
            rows = db.execute("SELECT id, owner FROM runs WHERE status = 'running'").fetchall()
            verdicts: dict[str | None, bool] = {}
            gone = []
            for row in rows:
                if row["owner"] not in verdicts:
                    verdicts[row["owner"]] = alive(row["owner"])
                if not verdicts[row["owner"]]:
                    gone.append(row["id"])
            stamp = now()
            for run_id in gone:
                db.execute(
                    "UPDATE runs SET status = 'failed', message = ?, finished = ? WHERE id = ?",
                    (message, stamp, run_id),
                )
            return gone

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

    def _delete(self, select: str, args: tuple, project_id: str | None = None) -> Deleted | None:
        """Delete the runs ``select`` finds (and the project ``project_id``) in one transaction that
        holds the database's write lock: a run cannot start, and a new run of the same upload cannot be
        admitted (:meth:`admit` puts the model file in place in its own such transaction), between the
        check and the deletion. Upload files no run uses any more are removed in the same transaction;
        the runs' folders once it is committed."""
        with self._transaction() as db:
            rows = db.execute(select, args).fetchall()
            if project_id is not None:
                found = db.execute("SELECT 1 FROM projects WHERE id = ?", (project_id,)).fetchone()
            else:
                found = bool(rows)
            if not found:
                return None
            running = [r["id"] for r in rows if r["status"] == "running"]
            if running:
                raise RunInProgress(running)
            run_ids = [r["id"] for r in rows]
            db.executemany("DELETE FROM runs WHERE id = ?", [(i,) for i in run_ids])
            if project_id is not None:
                db.execute("DELETE FROM projects WHERE id = ?", (project_id,))
                db.execute("DELETE FROM parks WHERE project_id = ?", (project_id,))
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
        for run_id in run_ids:
            shutil.rmtree(self.run_dir(run_id), ignore_errors=True)
        return Deleted(runs=run_ids, uploads=removed)

    # ---- parks (issue 15): a project's park, defined on its park page ----
    def park(self, project_id: str) -> dict | None:
        """The project's park definition (as :meth:`set_park` stored it), or None."""
        rows = self._execute("SELECT definition FROM parks WHERE project_id = ?", (project_id,))
        return json.loads(rows[0]["definition"]) if rows else None

    def set_park(self, project_id: str, definition: dict) -> bool:
        """Store (or replace) the project's park definition; False when the project is gone (deleted
        meanwhile: nothing is stored)."""
        with self._transaction() as db:
            if not db.execute("SELECT 1 FROM projects WHERE id = ?", (project_id,)).fetchone():
                return False
            db.execute(
                "INSERT OR REPLACE INTO parks (project_id, definition, updated) VALUES (?, ?, ?)",
                (project_id, json.dumps(definition), now()),
            )
        return True


class ParentGone(LookupError):
    """A re-run refused: the run it was made from was deleted meanwhile."""

    def __init__(self, run_id: str) -> None:
        super().__init__(f"run {run_id} was deleted")
        self.run_id = run_id


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
