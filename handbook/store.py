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

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from handbook.content import Guideline

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


class Store:
    """A handle on the portal database that is safe to share between Streamlit sessions."""

    def __init__(self, path: Path):
        self.path = path
        self._local = threading.local()
        path.parent.mkdir(parents=True, exist_ok=True)
        self._migrate()

    @property
    def db(self) -> Database:
        """This thread's connection (sqlite3 connections must not be shared between threads)."""
        db = getattr(self._local, "db", None)
        if db is None:
            conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            db = Database(conn)
            self._local.db = db
        return db

    def _migrate(self) -> None:
        db = self.db
        db.enable_wal()
        with self.write():
            migrations.apply(db)

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
        try:
            yield db
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")

    def applied_migrations(self) -> list[str]:
        return [m.name for m in migrations.applied(self.db)]

    def journal_mode(self) -> str:
        return str(self.db.execute("PRAGMA journal_mode").fetchone()[0])

    def record_revisions(self, guidelines: list[Guideline], source: str = "fil") -> int:
        """Keep each guideline text not seen before as a revision; return how many were new."""
        now = datetime.now(timezone.utc).isoformat(timespec="seconds")
        rows = [
            {
                "guideline_id": g.id,
                "version": g.version,
                "effective": g.effective.isoformat(),
                "content_hash": g.content_hash,
                "front_matter": json.dumps(g.front_matter(), default=str, ensure_ascii=False),
                "body": g.body,
                "source": source,
                "recorded_at": now,
            }
            for g in guidelines
        ]
        with self.write() as db:
            before = db["revisions"].count
            db["revisions"].insert_all(rows, ignore=True)
            return db["revisions"].count - before

    def record_search_miss(self, query: str) -> None:
        """Count a search that found nothing (normalised text only; who searched is not kept)."""
        normalised = " ".join(query.casefold().split())[:200]
        if not normalised:
            return
        now = datetime.now(timezone.utc).isoformat(timespec="seconds")
        with self.write() as db:
            db.execute(
                "INSERT INTO search_misses (query, count, first_seen, last_seen) VALUES (?, 1, ?, ?) "
                "ON CONFLICT(query) DO UPDATE SET count = count + 1, last_seen = excluded.last_seen",
                [normalised, now, now],
            )

    def search_misses(self, limit: int = 50) -> list[dict]:
        """Searches that found nothing, most frequent first."""
        return list(self.db["search_misses"].rows_where(order_by="count desc, last_seen desc", limit=limit))

    def revisions_of(self, guideline_id: str) -> list[dict]:
        """The recorded revisions of one guideline, oldest first."""
        return list(self.db["revisions"].rows_where("guideline_id = ?", [guideline_id], order_by="id"))
