"""The connection to the portal database: one sqlite3 connection per thread, WAL, a busy timeout,
and write transactions that take the write lock at once (BEGIN IMMEDIATE).

The table modules beside this one (revisions, accounts, casework, search_log, identity) build on
`Connection`; handbook/store/database.py composes them into `Store` and migrates on open.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from sqlite_utils import Database
from sqlite_utils.db import Table

from handbook.privacy import triggers as cprguard
from handbook.privacy.cpr import PersonalDataError

BUSY_TIMEOUT_MS = 30_000


def utc_now() -> str:
    """The current time as ISO 8601 in UTC (microseconds, so events in one second stay ordered)."""
    return datetime.now(UTC).isoformat(timespec="microseconds")


def new_id(table: Table) -> int:
    """The id of the row this table object has just inserted (sqlite-utils types it as optional)."""
    if table.last_pk is None:
        raise RuntimeError(f"No row was inserted into {table.name}.")
    return int(table.last_pk)


class Connection:
    """A handle on the portal database that is safe to share between Streamlit sessions."""

    def __init__(self, path: Path):
        self.path = path
        self._local = threading.local()
        # transactions that added revisions through this object (counted after their commit): a
        # reader of revision_stamp may cache it until this changes (another process's additions
        # still need a fresh read)
        self.revision_writes = 0
        path.parent.mkdir(parents=True, exist_ok=True)

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

    def note_revision_added(self, added: bool = True) -> None:
        """Inside write(): whether this transaction added a revision (counted after the commit)."""
        self._local.revision_added = added

    def journal_mode(self) -> str:
        return str(self.db.execute("PRAGMA journal_mode").fetchone()[0])
