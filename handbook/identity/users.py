"""User administration for admins in the portal: create users, reset passwords (a temporary
password shown once and changed at the first login), deactivate and reactivate, e-mail
addresses, and users changing their own password. Roles are changed by auth.set_role.

The last active administrator can never be demoted or deactivated (auth.ensure_admin_remains).
Deactivating a user ends their sessions; login and session look-ups refuse inactive users.
"""

from __future__ import annotations

import re
import secrets

from handbook.identity import auth
from handbook.identity.auth import AuthError, User, require
from handbook.store.database import Store

CLI_ACTOR = "administrator (kommandolinje)"
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# Without look-alike characters (0/O, 1/l/I), so a temporary password can be read aloud.
_ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def temporary_password(length: int = 14) -> str:
    """A random password for a new or reset account, shown to the administrator once."""
    return "".join(secrets.choice(_ALPHABET) for _ in range(length))


def check_email(email: str) -> str:
    email = email.strip()
    if email and not EMAIL_PATTERN.match(email):
        raise AuthError(f"'{email}' er ikke en gyldig e-mailadresse.")
    return email


def create_user(store: Store, actor: User | None, name: str, role: str, display_name: str = "", email: str = "") -> tuple[User, str]:
    """Create a local account with a temporary password (returned, to be shown once); the
    user must choose a new password at the first login."""
    actor = require(actor, "manage_users")
    email = check_email(email)
    password = temporary_password()
    user = auth.add_user(store, name.strip(), password, role, display_name.strip(), actor=actor.name)
    with store.write() as db:
        db.execute("UPDATE users SET must_change_password = 1, email = ? WHERE name = ?", [email, user.name])
    return user, password


def reset_password(store: Store, actor: User | None, name: str) -> str:
    """Give a local user a new temporary password (returned once) and end their sessions."""
    actor = require(actor, "manage_users")
    row = _existing(store, name)
    if row["source"] != "lokal":
        raise AuthError(f"'{name}' logger ind via organisationens log-ind-tjeneste og har ingen adgangskode i Håndbogen.")
    password = temporary_password()
    with store.write() as db:
        db.execute("UPDATE users SET password_hash = ?, must_change_password = 1 WHERE name = ?", [auth.hash_password(password), name])
        db.execute("DELETE FROM sessions WHERE user = ?", [name])
        db.execute("DELETE FROM login_failures WHERE name = ?", [name])
        store.audit(db, actor.name, "nulstil adgangskode", name)
    return password


def set_active(store: Store, actor: User | None, name: str, active: bool) -> None:
    """Deactivate (sessions end at once, login refused) or reactivate a user (admins only)."""
    actor = require(actor, "manage_users")
    _set_active(store, name, active, actor.name)


def set_active_as_administrator(store: Store, name: str, active: bool) -> None:
    """The same from the command line, which runs with the server's own rights."""
    _set_active(store, name, active, CLI_ACTOR)


def _set_active(store: Store, name: str, active: bool, actor_name: str) -> None:
    _existing(store, name)
    with store.write() as db:
        if not active:
            auth.ensure_admin_remains(db, name, "deaktiveres")
            db.execute("DELETE FROM sessions WHERE user = ?", [name])
        db.execute("UPDATE users SET active = ? WHERE name = ?", [int(active), name])
        store.audit(db, actor_name, "genaktivér bruger" if active else "deaktivér bruger", name)


def set_email(store: Store, actor: User | None, name: str, email: str) -> None:
    """An admin sets the address notifications are e-mailed to (empty: no e-mails)."""
    actor = require(actor, "manage_users")
    _existing(store, name)
    email = check_email(email)
    with store.write() as db:
        db.execute("UPDATE users SET email = ? WHERE name = ?", [email, name])
        store.audit(db, actor.name, "skift e-mail", name)


def change_own_password(store: Store, user: User | None, current: str, new: str, repeated: str, session_token: str = "") -> int:
    """A logged-in local user chooses a new password (also after a temporary one). Every other
    session of the user ends in the same transaction (a browser someone else may hold stays
    logged in with the old password otherwise); the session of session_token continues.
    Return how many sessions were ended."""
    if user is None:
        raise AuthError("Du skal være logget ind for at skifte adgangskode.")
    row = _existing(store, user.name)
    if not row["password_hash"] or not auth.verify_password(current, row["password_hash"]):
        raise AuthError("Den nuværende adgangskode er forkert.")
    if new != repeated:
        raise AuthError("De to nye adgangskoder er ikke ens.")
    if len(new) < auth.MIN_PASSWORD_LENGTH:
        raise AuthError(f"Den nye adgangskode skal have mindst {auth.MIN_PASSWORD_LENGTH} tegn.")
    if new == current:
        raise AuthError("Den nye adgangskode skal være en anden end den nuværende.")
    with store.write() as db:
        db.execute("UPDATE users SET password_hash = ?, must_change_password = 0 WHERE name = ?", [auth.hash_password(new), user.name])
        ended = db.execute("DELETE FROM sessions WHERE user = ? AND token_hash != ?", [user.name, auth.token_hash(session_token) if session_token else ""]).rowcount
        store.audit(db, user.name, "skift egen adgangskode", user.name)
    return ended


def must_change_password(store: Store, name: str) -> bool:
    """Whether the user logged in with a temporary password and must choose their own first."""
    row = store.user(name)
    return bool(row and row.get("must_change_password"))


def email_of(store: Store, name: str) -> str:
    """The address a user's notifications are e-mailed to ('' for none; an OIDC login name
    that is an address counts)."""
    row = store.user(name) or {}
    email = row.get("email") or ""
    if not email and EMAIL_PATTERN.match(name):
        email = name
    return email


def user_rows(store: Store, actor: User | None) -> list[dict]:
    """Every account, active or not, with its teams, for the administrators' overview."""
    actor = require(actor, "manage_users")
    return [{**row, "teams": store.teams_of(row["name"])} for row in store.users()]


def _existing(store: Store, name: str) -> dict:
    row = store.user(name)
    if row is None:
        raise AuthError(f"Brugeren '{name}' findes ikke.")
    return row


TEAM_PATTERN = re.compile(r"^[\wæøåÆØÅ][\wæøåÆØÅ .-]{0,39}$")


def check_teams(teams: list[str]) -> list[str]:
    """Team names, stripped, each 1-40 letters, digits, spaces, dots or hyphens; no duplicates."""
    cleaned = list(dict.fromkeys(t.strip() for t in teams if t.strip()))
    for team in cleaned:
        if not TEAM_PATTERN.match(team):
            raise AuthError(f"Teamnavnet '{team}' er ugyldigt: brug 1-40 bogstaver, tal, mellemrum, punktum eller bindestreg.")
    return cleaned


def set_teams(store: Store, actor: User | None, name: str, teams: list[str]) -> list[str]:
    """An admin sets the teams a user belongs to (a leder runs tilsyn for these teams)."""
    actor = require(actor, "manage_users")
    return _set_teams(store, name, teams, actor.name)


def set_teams_as_administrator(store: Store, name: str, teams: list[str]) -> list[str]:
    """The same from the command line, which runs with the server's own rights."""
    return _set_teams(store, name, teams, CLI_ACTOR)


def _set_teams(store: Store, name: str, teams: list[str], actor_name: str) -> list[str]:
    _existing(store, name)
    cleaned = check_teams(teams)
    store.set_teams(name, cleaned)
    with store.write() as db:
        store.audit(db, actor_name, "skift teams", name, ", ".join(cleaned) or "ingen")
    return cleaned
