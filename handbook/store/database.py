"""The SQLite store (via sqlite-utils): `Store` joins the connection and the table groups, and
migrates the schema when it is opened.

All mutable state of the portal goes through this package, so another backend could replace
SQLite here alone. The parts: connection.py (one connection per thread, WAL, busy timeout,
BEGIN IMMEDIATE), migrations.py (the schema, in order), and a module per group of tables:
revisions.py, accounts.py, casework.py, meetings.py, search_log.py, tilsyn.py and identity.py (single sign-on, used as
functions by handbook/identity/oidc.py).
"""

from __future__ import annotations

from pathlib import Path

from handbook.store import migrations
from handbook.store.accounts import AccountTables
from handbook.store.casework import CaseworkTables
from handbook.store.connection import utc_now
from handbook.store.meetings import MeetingTables
from handbook.store.revisions import RevisionTables
from handbook.store.search_log import SearchLog
from handbook.store.tilsyn import TilsynTables

__all__ = ["Store", "utc_now"]


class Store(RevisionTables, AccountTables, CaseworkTables, MeetingTables, SearchLog, TilsynTables):
    """A handle on the portal database that is safe to share between Streamlit sessions."""

    def __init__(self, path: Path):
        super().__init__(path)
        migrations.migrate(self)

    def applied_migrations(self) -> list[str]:
        return migrations.applied(self)
