"""Tables for single sign-on: identity links and OIDC logins.

- `identity_links`: one row per OpenID Connect identity, keyed by the provider's issuer and
  subject (the `iss` and `sub` claims). It names the portal account (`users.name`) the identity
  belongs to, so a person keeps their account, acknowledgements and runs when their email or
  display name changes, and two people with the same name never share an account.
- `oidc_logins`: one row per login at the provider (a new ID token), so a login is recognised
  once (roles from claims are applied then) and logout ends it in every open tab.
"""

from __future__ import annotations

from sqlite_utils import Database

from handbook.store.connection import Connection, utc_now


def create_tables(db: Database) -> None:
    """Create the tables (called by the migration m030_sso_identities in handbook/store/migrations.py)."""
    db.table("identity_links").create(
        {"issuer": str, "subject": str, "user": str, "email": str, "display_name": str, "linked_at": str, "last_login": str},
        pk=("issuer", "subject"),
        not_null={"user", "linked_at"},
    )
    db.table("identity_links").create_index(["user"], unique=True)
    db.table("oidc_logins").create(
        {"marker": str, "user": str, "started_at": str, "ended_at": str},
        pk="marker",
        not_null={"user", "started_at"},
    )


def link(store: Connection, issuer: str, subject: str) -> dict | None:
    rows = list(store.db.table("identity_links").rows_where("issuer = ? AND subject = ?", [issuer, subject]))
    return rows[0] if rows else None


def link_for_user(store: Connection, user: str) -> dict | None:
    rows = list(store.db.table("identity_links").rows_where("user = ?", [user]))
    return rows[0] if rows else None


def insert_link(db: Database, issuer: str, subject: str, user: str, email: str, display_name: str) -> None:
    now = utc_now()
    db.table("identity_links").insert(
        {"issuer": issuer, "subject": subject, "user": user, "email": email, "display_name": display_name, "linked_at": now, "last_login": now}
    )


def update_link(db: Database, issuer: str, subject: str, email: str, display_name: str) -> None:
    db.execute(
        "UPDATE identity_links SET email = ?, display_name = ?, last_login = ? WHERE issuer = ? AND subject = ?",
        [email, display_name, utc_now(), issuer, subject],
    )


def login(store: Connection, marker: str) -> dict | None:
    rows = list(store.db.table("oidc_logins").rows_where("marker = ?", [marker]))
    return rows[0] if rows else None


def insert_login(db: Database, marker: str, user: str) -> None:
    db.table("oidc_logins").insert({"marker": marker, "user": user, "started_at": utc_now()}, ignore=True)


def end_login(store: Connection, marker: str) -> None:
    with store.write() as db:
        db.execute("UPDATE oidc_logins SET ended_at = ? WHERE marker = ? AND ended_at IS NULL", [utc_now(), marker])

