"""The SQLite store (via sqlite-utils): schema migrations, WAL, one connection per thread.

All mutable state of the portal goes through this module, so another backend could replace
SQLite here alone. The schema is created and migrated automatically when the store is opened.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

import yaml
from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from handbook.privacy import triggers as cprguard
from handbook.privacy.cpr import PersonalDataError, contains_cpr


BUSY_TIMEOUT_MS = 30_000

migrations = Migrations("handbook")


@migrations()
def m001_revisions(db: Database) -> None:
    """Every distinct text of every guideline that has been loaded or published."""
    db["revisions"].create(
        {
            "id": int,
            "guideline_id": str,
            "version": str,
            "effective": str,
            "content_hash": str,
            "front_matter": str,
            "body": str,
            "source": str,
            "recorded_at": str,
        },
        pk="id",
        not_null={"guideline_id", "version", "effective", "content_hash", "body", "recorded_at"},
    )
    db["revisions"].create_index(["guideline_id", "content_hash"], unique=True)


@migrations()
def m002_search_misses(db: Database) -> None:
    """Searches that found nothing, counted per query text; no user identity is kept."""
    db["search_misses"].create(
        {"query": str, "count": int, "first_seen": str, "last_seen": str},
        pk="query",
        not_null={"count", "first_seen", "last_seen"},
    )


@migrations()
def m003_revision_publishing(db: Database) -> None:
    """Revisions carry their exact file text, who published them, the change note, the file
    path and a status (published or retired); the time recorded is the publication time."""
    table = db["revisions"]
    table.add_column("text", str)
    table.add_column("author", str, not_null_default="")
    table.add_column("change_note", str, not_null_default="")
    table.add_column("status", str, not_null_default="published")
    table.add_column("path", str, not_null_default="")
    for row in list(table.rows):
        fields = json.loads(row["front_matter"] or "{}")
        front = yaml.safe_dump(fields, allow_unicode=True, sort_keys=False)
        table.update(row["id"], {"text": f"---\n{front}---\n{row['body']}", "change_note": fields.get("change_note", "")})


@migrations()
def m004_users(db: Database) -> None:
    """Accounts: local (with a scrypt hash), or known from a proxy header or OIDC login."""
    db["users"].create(
        {"name": str, "display_name": str, "role": str, "password_hash": str, "source": str, "created_at": str, "active": int},
        pk="name",
        not_null={"role", "source", "created_at", "active"},
    )
    db["login_failures"].create({"name": str, "at": str}, not_null={"name", "at"})
    db["login_failures"].create_index(["name", "at"])


@migrations()
def m005_drafts(db: Database) -> None:
    """Drafts of new guidelines and new versions, with a lock counter against lost updates."""
    db["drafts"].create(
        {
            "id": int,
            "guideline_id": str,
            "base_revision_id": int,
            "text": str,
            "status": str,
            "author": str,
            "created_at": str,
            "updated_by": str,
            "updated_at": str,
            "lock": int,
            "reviewer": str,
            "review_comment": str,
            "published_revision_id": int,
        },
        pk="id",
        not_null={"guideline_id", "text", "status", "author", "created_at", "updated_by", "updated_at", "lock"},
    )


@migrations()
def m006_acknowledgements(db: Database) -> None:
    """Who confirmed having read which revision, and when."""
    db["acknowledgements"].create(
        {"user": str, "guideline_id": str, "revision_id": int, "version": str, "at": str},
        pk=("user", "revision_id"),
        not_null={"guideline_id", "version", "at"},
    )


@migrations()
def m007_audit(db: Database) -> None:
    """Every create, edit, review, publish, retire and role change: who, what, when."""
    db["audit"].create(
        {"id": int, "at": str, "actor": str, "action": str, "target": str, "details": str},
        pk="id",
        not_null={"at", "actor", "action", "target"},
    )


@migrations()
def m008_sessions(db: Database) -> None:
    """Login sessions, so a reload keeps the user logged in; only a hash of the token is kept."""
    db["sessions"].create({"token_hash": str, "user": str, "created_at": str, "expires_at": str}, pk="token_hash", not_null={"user", "created_at", "expires_at"})


@migrations()
def m009_checklist_runs(db: Database) -> None:
    """Checklist runs (a checklist worked through for one case) and their ticked steps. A run
    keeps the checklist text it started with, so a newer version does not change it."""
    db["checklist_runs"].create(
        {
            "id": int,
            "checklist_id": str,
            "checklist_version": str,
            "checklist_text": str,
            "reference": str,
            "start_at": str,
            "answers": str,
            "owner": str,
            "created_at": str,
            "closed_at": str,
        },
        pk="id",
        not_null={"checklist_id", "checklist_version", "checklist_text", "start_at", "answers", "owner", "created_at"},
    )
    db["run_steps"].create(
        {"run_id": int, "step_id": str, "done_at": str, "done_by": str, "note": str},
        pk=("run_id", "step_id"),
        foreign_keys=[("run_id", "checklist_runs", "id")],
        not_null={"done_at", "done_by"},
    )


@migrations()
def m010_trivsel_assessments(db: Database) -> None:
    """Trivselslinealen placements a user chose to save under an optional reference."""
    db["trivsel_assessments"].create(
        {"id": int, "reference": str, "value": int, "zone": str, "age_group": str, "kind": str, "created_by": str, "created_at": str},
        pk="id",
        not_null={"value", "zone", "kind", "created_by", "created_at"},
    )
    db["trivsel_assessments"].create_index(["reference"])


@migrations()
def m011_worksheets(db: Database) -> None:
    """Method worksheets (SOS, ICS, De tre huse) a user chose to save under a reference."""
    db["worksheets"].create(
        {"id": int, "kind": str, "reference": str, "data": str, "owner": str, "created_at": str},
        pk="id",
        not_null={"kind", "reference", "data", "owner", "created_at"},
    )
    db["worksheets"].create_index(["owner", "kind", "reference"])


@migrations()
def m012_sec_scrub_cpr(db: Database) -> None:
    """Remove CPR-like numbers stored before the guard covered every field (see cprguard)."""
    cprguard.scrub(db.conn)


@migrations()
def m012_sec_unique_versions(db: Database) -> None:
    """A version number is published in the portal only once per guideline: the column holds
    the version of a published portal revision (NULL otherwise) under a UNIQUE index. Versions
    published twice before this existed keep their rows; only the first holds the number."""
    db["revisions"].add_column("published_version", str)
    taken: set[tuple[str, str]] = set()
    for row in db.execute("SELECT id, guideline_id, version FROM revisions WHERE source = 'portal' AND status = 'published' ORDER BY id").fetchall():
        if (row[1], row[2]) not in taken:
            taken.add((row[1], row[2]))
            db.execute("UPDATE revisions SET published_version = ? WHERE id = ?", [row[2], row[0]])
    db["revisions"].create_index(["guideline_id", "published_version"], unique=True)


@migrations()
def m012_sec_login_throttle(db: Database) -> None:
    """Failed logins also record the client address (for a throttle per address); sessions are
    found by user (to end them all)."""
    db["login_failures"].add_column("client", str, not_null_default="")
    db["login_failures"].create_index(["client", "at"])
    db["login_failures"].create_index(["at"])
    db["sessions"].create_index(["user"])


@migrations()
def m012_sec_run_activity(db: Database) -> None:
    """Checklist runs carry the time of their last activity (start, tick, note, answers,
    closing): retention counts from it, so a run worked on today is kept."""
    db["checklist_runs"].add_column("last_activity", str)
    for run_id, created, closed in db.execute("SELECT id, created_at, closed_at FROM checklist_runs").fetchall():
        moments = [created, closed] + [row[0] for row in db.execute("SELECT done_at FROM run_steps WHERE run_id = ?", [run_id]).fetchall()]
        latest = max(datetime.fromisoformat(m).astimezone(timezone.utc) for m in moments if m)
        db.execute("UPDATE checklist_runs SET last_activity = ? WHERE id = ?", [latest.isoformat(timespec="microseconds"), run_id])
    db["checklist_runs"].create_index(["last_activity"])


@migrations()
def m040_dl_start_corrections(db: Database) -> None:
    """Corrections of a checklist run's start time: old and new time, who, when and why."""
    db["run_start_corrections"].create(
        {"id": int, "run_id": int, "at": str, "by": str, "old_start": str, "new_start": str, "reason": str},
        pk="id",
        not_null={"run_id", "at", "by", "old_start", "new_start", "reason"},
    )
    db["run_start_corrections"].create_index(["run_id"])


@migrations()
def m020_ed_user_admin(db: Database) -> None:
    """Accounts get an e-mail address (for notifications) and a flag that forces a new password
    at the next login (after an administrator set a temporary one). `active` exists since m004."""
    db["users"].add_column("email", str, not_null_default="")
    db["users"].add_column("must_change_password", int, not_null_default=0)


@migrations()
def m021_ed_notifications(db: Database) -> None:
    """What concerns a user (review requested, approved, new version followed, review date);
    `key` makes a notification that may be raised again (a review date) appear only once."""
    db["notifications"].create(
        {"id": int, "user": str, "kind": str, "guideline_id": str, "draft_id": int, "message": str, "link": str, "key": str, "created_at": str, "read_at": str},
        pk="id",
        not_null={"user", "kind", "message", "created_at"},
    )
    db["notifications"].create_index(["user", "read_at"])
    db["notifications"].create_index(["user", "key"], unique=True)


@migrations()
def m022_ed_follows_and_required_reading(db: Database) -> None:
    """Who follows which guideline, and which guidelines leaders made required reading for a role."""
    db["follows"].create({"user": str, "guideline_id": str, "created_at": str}, pk=("user", "guideline_id"), not_null={"created_at"})
    db["required_reading"].create({"guideline_id": str, "role": str, "set_by": str, "created_at": str}, pk=("guideline_id", "role"), not_null={"set_by", "created_at"})


@migrations()
def m023_ed_feedback(db: Database) -> None:
    """"Var siden nyttig?": a yes/no per guideline version and an optional (CPR-checked) comment."""
    db["feedback"].create(
        {"id": int, "guideline_id": str, "version": str, "useful": int, "comment": str, "created_at": str},
        pk="id",
        not_null={"guideline_id", "useful", "created_at"},
    )
    db["feedback"].create_index(["guideline_id"])


@migrations()
def m024_ed_outbox(db: Database) -> None:
    """E-mails waiting to be sent by the background sender, with attempts and the last error."""
    db["outbox"].create(
        {"id": int, "recipient": str, "subject": str, "body": str, "created_at": str, "attempts": int, "next_attempt_at": str, "sent_at": str, "failed_at": str, "last_error": str},
        pk="id",
        not_null={"recipient", "subject", "body", "created_at", "attempts", "next_attempt_at"},
    )
    db["outbox"].create_index(["sent_at", "failed_at", "next_attempt_at"])


@migrations()
def m030_sso_identities(db: Database) -> None:
    """Single sign-on: each OIDC identity (issuer + subject) linked to one portal account, and
    each OIDC login as a portal session that logout ends (see handbook/store/identity.py)."""
    from handbook.store.identity import create_tables

    create_tables(db)


def utc_now() -> str:
    """The current time as ISO 8601 in UTC (microseconds, so events in one second stay ordered)."""
    return datetime.now(timezone.utc).isoformat(timespec="microseconds")


class Store:
    """A handle on the portal database that is safe to share between Streamlit sessions."""

    def __init__(self, path: Path):
        self.path = path
        self._local = threading.local()
        # transactions that added revisions through this object (counted after their commit): a
        # reader of revision_stamp may cache it until this changes (another process's additions
        # still need a fresh read)
        self.revision_writes = 0
        path.parent.mkdir(parents=True, exist_ok=True)
        self._migrate()

    @property
    def db(self) -> Database:
        """This thread's connection (sqlite3 connections must not be shared between threads)."""
        db = getattr(self._local, "db", None)
        if db is None:
            conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            cprguard.register(conn)
            db = Database(conn)
            self._local.db = db
        return db

    def _migrate(self) -> None:
        db = self.db
        db.enable_wal()
        with self.write():
            migrations.apply(db)
            cprguard.install_triggers(db.conn)

    @contextmanager
    def write(self) -> Iterator[Database]:
        """A write transaction that takes the write lock at once (BEGIN IMMEDIATE).

        A deferred transaction that reads first and writes later can fail with "database is
        locked" when another writer got in between; taking the lock first makes writers queue
        (up to the busy timeout) instead. Two processes starting at once therefore also migrate
        one after the other.
        """
        db = self.db
        db.execute("BEGIN IMMEDIATE")
        self._local.revision_added = False
        try:
            yield db
        except BaseException as exc:
            db.execute("ROLLBACK")
            self._local.revision_added = False
            if cprguard.is_refusal(exc):  # a trigger refused a CPR-like number (see cprguard)
                raise PersonalDataError("Teksten ser ud til at indeholde et CPR-nummer og er ikke gemt. Skriv ikke CPR-numre i Håndbogen.") from exc
            raise
        db.execute("COMMIT")
        if getattr(self._local, "revision_added", False):
            self._local.revision_added = False
            self.revision_writes += 1  # after the commit: a reader that sees it sees the revision

    def applied_migrations(self) -> list[str]:
        return [m.name for m in migrations.applied(self.db)]

    def journal_mode(self) -> str:
        return str(self.db.execute("PRAGMA journal_mode").fetchone()[0])

    def record_revisions(self, rows: list[dict]) -> int:
        """Keep each revision whose text was not seen before for its guideline; return how
        many were new. Rows carry guideline_id, version, effective, content_hash, text, body,
        front_matter, source, author, change_note, status and path."""
        now = utc_now()
        with self.write() as db:
            seen = set(db.execute("SELECT guideline_id, content_hash FROM revisions").fetchall())
            rows = [row for row in rows if (row["guideline_id"], row["content_hash"]) not in seen]
            before = db["revisions"].count
            db["revisions"].insert_all([{"recorded_at": now, **row} for row in rows], ignore=True)
            added = db["revisions"].count - before
            self._local.revision_added = added > 0
            return added

    def insert_revision(self, db: Database, row: dict) -> int:
        """Add one revision inside a write transaction; return its id."""
        self._local.revision_added = True
        return db["revisions"].insert({"recorded_at": utc_now(), **row}).last_pk

    def revisions(self, guideline_id: str | None = None) -> list[dict]:
        """Revisions of one guideline (or all), oldest first."""
        if guideline_id is None:
            return list(self.db["revisions"].rows_where(order_by="id"))
        return list(self.db["revisions"].rows_where("guideline_id = ?", [guideline_id], order_by="id"))

    def revision(self, revision_id: int) -> dict | None:
        rows = list(self.db["revisions"].rows_where("id = ?", [revision_id]))
        return rows[0] if rows else None

    def revision_stamp(self) -> tuple[int, int]:
        """Changes whenever a revision is added: (count, highest id)."""
        row = self.db.execute("SELECT count(*), coalesce(max(id), 0) FROM revisions").fetchone()
        return int(row[0]), int(row[1])

    # -- users ------------------------------------------------------------------------------

    def user(self, name: str) -> dict | None:
        rows = list(self.db["users"].rows_where("name = ?", [name]))
        return rows[0] if rows else None

    def users(self) -> list[dict]:
        return list(self.db["users"].rows_where(order_by="name"))

    def upsert_user(self, db: Database, row: dict) -> None:
        db["users"].upsert(row, pk="name")


    def add_session(self, token_hash: str, user: str, expires_at: str) -> None:
        with self.write() as db:
            db.execute("DELETE FROM sessions WHERE expires_at < ?", [utc_now()])
            db["sessions"].insert({"token_hash": token_hash, "user": user, "created_at": utc_now(), "expires_at": expires_at})

    def session(self, token_hash: str) -> dict | None:
        rows = list(self.db["sessions"].rows_where("token_hash = ? AND expires_at >= ?", [token_hash, utc_now()]))
        return rows[0] if rows else None

    def session_user(self, token_hash: str, now: str) -> dict | None:
        """The current row of the active user behind an unexpired session (one indexed look-up)."""
        cursor = self.db.execute(
            "SELECT users.* FROM sessions JOIN users ON users.name = sessions.user "
            "WHERE sessions.token_hash = ? AND sessions.expires_at >= ? AND users.active = 1",
            [token_hash, now],
        )
        row = cursor.fetchone()
        return dict(zip([c[0] for c in cursor.description], row)) if row else None

    def end_session(self, token_hash: str) -> None:
        with self.write() as db:
            db.execute("DELETE FROM sessions WHERE token_hash = ?", [token_hash])

    # -- drafts -----------------------------------------------------------------------------

    def draft(self, draft_id: int) -> dict | None:
        rows = list(self.db["drafts"].rows_where("id = ?", [draft_id]))
        return rows[0] if rows else None

    def open_drafts(self) -> list[dict]:
        return list(self.db["drafts"].rows_where("status NOT IN ('offentliggjort', 'kasseret')", order_by="updated_at desc"))

    def insert_draft(self, db: Database, row: dict) -> int:
        return db["drafts"].insert(row).last_pk

    def update_draft(self, db: Database, draft_id: int, expected_lock: int, changes: dict) -> bool:
        """Change a draft only if nobody saved it since expected_lock; bump the lock."""
        assignments = ", ".join(f"{name} = ?" for name in changes)
        cursor = db.execute(
            f"UPDATE drafts SET {assignments}, lock = lock + 1 WHERE id = ? AND lock = ?",
            [*changes.values(), draft_id, expected_lock],
        )
        return cursor.rowcount == 1

    # -- acknowledgements -------------------------------------------------------------------

    def acknowledge(self, db: Database, row: dict) -> None:
        db["acknowledgements"].insert(row, ignore=True)

    def acknowledgements(self, user: str | None = None, guideline_id: str | None = None) -> list[dict]:
        clauses, values = [], []
        if user is not None:
            clauses.append("user = ?")
            values.append(user)
        if guideline_id is not None:
            clauses.append("guideline_id = ?")
            values.append(guideline_id)
        where = " AND ".join(clauses) or None
        return list(self.db["acknowledgements"].rows_where(where, values, order_by="at"))

    # -- checklist runs ---------------------------------------------------------------------

    def insert_run(self, row: dict) -> int:
        with self.write() as db:
            return db["checklist_runs"].insert({"last_activity": utc_now(), **row}).last_pk

    def run(self, run_id: int) -> dict | None:
        rows = list(self.db["checklist_runs"].rows_where("id = ?", [run_id]))
        return rows[0] if rows else None

    def runs(self, owner: str | None = None, open_only: bool = False) -> list[dict]:
        clauses, values = [], []
        if owner is not None:
            clauses.append("owner = ?")
            values.append(owner)
        if open_only:
            clauses.append("closed_at IS NULL")
        return list(self.db["checklist_runs"].rows_where(" AND ".join(clauses) or None, values, order_by="created_at desc"))

    def update_run(self, run_id: int, changes: dict) -> None:
        with self.write() as db:
            db["checklist_runs"].update(run_id, {**changes, "last_activity": utc_now()})

    def run_steps(self, run_id: int) -> list[dict]:
        return list(self.db["run_steps"].rows_where("run_id = ?", [run_id]))

    def set_run_step(self, row: dict) -> None:
        with self.write() as db:
            db["run_steps"].upsert(row, pk=("run_id", "step_id"))
            db.execute("UPDATE checklist_runs SET last_activity = ? WHERE id = ?", [utc_now(), row["run_id"]])

    def delete_run_step(self, run_id: int, step_id: str) -> None:
        with self.write() as db:
            db.execute("DELETE FROM run_steps WHERE run_id = ? AND step_id = ?", [run_id, step_id])
            db.execute("UPDATE checklist_runs SET last_activity = ? WHERE id = ?", [utc_now(), run_id])

    def delete_runs_inactive_since(self, moment: str) -> int:
        """Delete runs (and their steps) with no activity since moment; return how many."""
        with self.write() as db:
            ids = [row[0] for row in db.execute("SELECT id FROM checklist_runs WHERE coalesce(last_activity, created_at) < ?", [moment]).fetchall()]
            for run_id in ids:
                db.execute("DELETE FROM run_steps WHERE run_id = ?", [run_id])
                db.execute("DELETE FROM checklist_runs WHERE id = ?", [run_id])
            return len(ids)

    # -- Trivselslinealen --------------------------------------------------------------------

    def insert_assessment(self, row: dict) -> int:
        with self.write() as db:
            return db["trivsel_assessments"].insert(row).last_pk

    def assessments(self, reference: str) -> list[dict]:
        return list(self.db["trivsel_assessments"].rows_where("reference = ?", [reference], order_by="created_at"))

    def zone_counts_by_month(self) -> list[dict]:
        """How many saved assessments per month and zone (no references)."""
        rows = self.db.execute(
            "SELECT substr(created_at, 1, 7) AS month, zone, count(*) FROM trivsel_assessments GROUP BY month, zone ORDER BY month"
        ).fetchall()
        return [{"month": month, "zone": zone, "count": count} for month, zone, count in rows]

    def delete_assessments_before(self, moment: str) -> int:
        """Delete assessments older than moment, unless their reference has a newer one (age
        counts from the reference's last activity, so a progression is kept whole)."""
        with self.write() as db:
            return db.execute(
                "DELETE FROM trivsel_assessments WHERE created_at < ? AND (coalesce(reference, '') = '' OR reference NOT IN "
                "(SELECT reference FROM trivsel_assessments WHERE created_at >= ? AND coalesce(reference, '') != ''))",
                [moment, moment],
            ).rowcount

    # -- worksheets ---------------------------------------------------------------------------

    def insert_worksheet(self, row: dict) -> int:
        with self.write() as db:
            return db["worksheets"].insert(row).last_pk

    def latest_worksheet(self, kind: str, reference: str, owner: str) -> dict | None:
        rows = list(self.db["worksheets"].rows_where("kind = ? AND reference = ? AND owner = ?", [kind, reference, owner], order_by="id desc", limit=1))
        return rows[0] if rows else None

    def delete_worksheets_before(self, moment: str) -> int:
        """Delete worksheets last saved before moment (a sheet saved again is kept)."""
        with self.write() as db:
            return db.execute(
                "DELETE FROM worksheets WHERE created_at < ? AND NOT EXISTS (SELECT 1 FROM worksheets AS newer WHERE newer.owner = worksheets.owner "
                "AND newer.kind = worksheets.kind AND newer.reference = worksheets.reference AND newer.created_at >= ?)",
                [moment, moment],
            ).rowcount

    # -- audit log --------------------------------------------------------------------------

    def audit(self, db: Database, actor: str, action: str, target: str, details: str = "") -> None:
        db["audit"].insert({"at": utc_now(), "actor": actor, "action": action, "target": target, "details": details})

    def audit_log(self, limit: int | None = None) -> list[dict]:
        return list(self.db["audit"].rows_where(order_by="id desc", limit=limit))

    def record_search_miss(self, query: str) -> None:
        """Count a search that found nothing (normalised text only; who searched is not kept)."""
        normalised = " ".join(query.casefold().split())[:200]
        if not normalised or contains_cpr(normalised) or contains_cpr(query):
            return  # the check runs on exactly the text that would be stored
        now = utc_now()
        with self.write() as db:
            db.execute(
                "INSERT INTO search_misses (query, count, first_seen, last_seen) VALUES (?, 1, ?, ?) "
                "ON CONFLICT(query) DO UPDATE SET count = count + 1, last_seen = excluded.last_seen",
                [normalised, now, now],
            )

    def search_misses(self, limit: int = 50) -> list[dict]:
        """Searches that found nothing, most frequent first."""
        return list(self.db["search_misses"].rows_where(order_by="count desc, last_seen desc", limit=limit))

