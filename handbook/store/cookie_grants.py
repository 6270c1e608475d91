"""Table `cookie_grants`: one-time grants that let the portal's own HTTP endpoint set the session
cookie (HttpOnly, so page scripts never see the token). Used as functions by
handbook/identity/cookie_grant.py.

A row holds the SHA-256 of the grant, the session token sealed with a key derived from the grant
(so the table alone does not give a session away) and an expiry a minute ahead. Redeeming deletes
the row in the same transaction that reads it: a grant works once.
"""

from __future__ import annotations

from sqlite_utils import Database

from handbook.store.connection import Connection


def create_tables(db: Database) -> None:
    db.table("cookie_grants").create({"grant_hash": str, "sealed_token": str, "expires_at": str}, pk="grant_hash", not_null={"sealed_token", "expires_at"})


def add(store: Connection, grant_hash: str, sealed_token: str, expires_at: str, now: str) -> None:
    with store.write() as db:
        db.execute("DELETE FROM cookie_grants WHERE expires_at < ?", [now])
        db.execute("INSERT INTO cookie_grants (grant_hash, sealed_token, expires_at) VALUES (?, ?, ?)", [grant_hash, sealed_token, expires_at])


def take(store: Connection, grant_hash: str, now: str) -> str | None:
    """The sealed token of an unexpired grant, deleting it; None if there is none."""
    with store.write() as db:
        row = db.execute("SELECT sealed_token FROM cookie_grants WHERE grant_hash = ? AND expires_at >= ?", [grant_hash, now]).fetchone()
        db.execute("DELETE FROM cookie_grants WHERE grant_hash = ?", [grant_hash])
    return row[0] if row else None
