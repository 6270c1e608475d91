"""Accounts and what is done with them: users, login sessions and the audit log."""

from __future__ import annotations

from sqlite_utils import Database

from handbook.store.connection import Connection, utc_now


class AccountTables(Connection):
    """Tables `users`, `sessions` and `audit` (single sign-on has its own in identity.py)."""

    def user(self, name: str) -> dict | None:
        rows = list(self.db.table("users").rows_where("name = ?", [name]))
        return rows[0] if rows else None

    def users(self) -> list[dict]:
        return list(self.db.table("users").rows_where(order_by="name"))

    def upsert_user(self, db: Database, row: dict) -> None:
        db.table("users").upsert(row, pk="name")

    def add_session(self, token_hash: str, user: str, expires_at: str) -> None:
        with self.write() as db:
            db.execute("DELETE FROM sessions WHERE expires_at < ?", [utc_now()])
            db.table("sessions").insert({"token_hash": token_hash, "user": user, "created_at": utc_now(), "expires_at": expires_at})

    def session(self, token_hash: str) -> dict | None:
        rows = list(self.db.table("sessions").rows_where("token_hash = ? AND expires_at >= ?", [token_hash, utc_now()]))
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

    # -- audit log --------------------------------------------------------------------------

    def audit(self, db: Database, actor: str, action: str, target: str, details: str = "") -> None:
        db.table("audit").insert({"at": utc_now(), "actor": actor, "action": action, "target": target, "details": details})

    def audit_log(self, limit: int | None = None) -> list[dict]:
        return list(self.db.table("audit").rows_where(order_by="id desc", limit=limit))
