"""Identity and roles: local accounts with scrypt password hashes, identities from a trusted
reverse-proxy header or an OIDC login, and the permission check every write goes through.

Reading the handbook is open. Acknowledging needs a login; editing, reviewing and publishing
need the role redaktør; managing users and reading the audit log need admin. The checks live
here and in the functions that change state, not only in which menu items a page shows.
"""

from __future__ import annotations

import base64
import csv
import io
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from handbook.danish_time import csv_column, csv_moment
from handbook.store import Store, utc_now

ROLES: dict[str, str] = {"medarbejder": "Medarbejder", "redaktør": "Redaktør", "admin": "Administrator"}
PERMISSIONS: dict[str, frozenset[str]] = {
    "medarbejder": frozenset({"acknowledge", "casework"}),
    "redaktør": frozenset({"acknowledge", "casework", "edit", "review", "publish", "reports"}),
    "admin": frozenset({"acknowledge", "casework", "edit", "review", "publish", "reports", "manage_users", "audit"}),
}
PERMISSION_LABELS = {
    "acknowledge": "kvittere for læsning",
    "casework": "bruge tjeklister og gemme vurderinger og arbejdsark",
    "edit": "redigere retningslinjer",
    "review": "godkende kladder",
    "publish": "offentliggøre retningslinjer",
    "reports": "se ledelsesoversigter",
    "manage_users": "administrere brugere",
    "audit": "se hændelsesloggen",
}
NAME_PATTERN = re.compile(r"^[a-zA-Z0-9æøåÆØÅ._@-]{2,64}$")
MIN_PASSWORD_LENGTH = 10
# scrypt cost: about 50 ms per check on this machine; slows guessing, not people.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
MAX_FAILURES, FAILURE_WINDOW = 5, timedelta(minutes=15)
SESSION_LENGTH = timedelta(hours=12)


class AuthError(Exception):
    """A login or account problem, with a Danish message for the user."""


class PermissionDenied(AuthError):
    """The user's role does not allow what was asked."""


@dataclass(frozen=True)
class User:
    """Who is acting: the login name, a display name and the role."""

    name: str
    display_name: str
    role: str

    @property
    def role_label(self) -> str:
        return ROLES.get(self.role, self.role)

    def can(self, permission: str) -> bool:
        return permission in PERMISSIONS.get(self.role, frozenset())


def require(user: User | None, permission: str) -> User:
    """Return user if it may do permission; raise PermissionDenied (in Danish) otherwise."""
    action = PERMISSION_LABELS.get(permission, permission)
    if user is None:
        raise PermissionDenied(f"Du skal være logget ind for at {action}.")
    if not user.can(permission):
        raise PermissionDenied(f"Din rolle ({user.role_label}) må ikke {action}.")
    return user


def hash_password(password: str) -> str:
    """A salted scrypt hash in the form scrypt$n$r$p$salt$hash (base64)."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, maxmem=64 * 1024 * 1024)
    return "$".join(["scrypt", str(SCRYPT_N), str(SCRYPT_R), str(SCRYPT_P), _b64(salt), _b64(digest)])


def verify_password(password: str, stored: str) -> bool:
    """Whether password matches a hash made by hash_password (constant-time comparison)."""
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(digest)
        actual = hashlib.scrypt(password.encode("utf-8"), salt=base64.b64decode(salt), n=int(n), r=int(r), p=int(p), maxmem=64 * 1024 * 1024, dklen=len(expected))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, expected)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _user_from_row(row: dict) -> User:
    return User(name=row["name"], display_name=row["display_name"] or row["name"], role=row["role"])


def check_role(role: str) -> str:
    if role not in ROLES:
        raise AuthError(f"Ukendt rolle '{role}'. Gyldige roller: {', '.join(ROLES)}.")
    return role


def add_user(store: Store, name: str, password: str, role: str, display_name: str = "", actor: str = "administrator") -> User:
    """Create a local account. Names are unique; passwords have at least 10 characters."""
    check_role(role)
    if not NAME_PATTERN.match(name):
        raise AuthError("Brugernavnet skal være 2-64 tegn: bogstaver, tal, punktum, bindestreg, understreg eller @.")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AuthError(f"Adgangskoden skal have mindst {MIN_PASSWORD_LENGTH} tegn.")
    if store.user(name) is not None:
        raise AuthError(f"Brugeren '{name}' findes allerede.")
    row = {
        "name": name,
        "display_name": display_name or name,
        "role": role,
        "password_hash": hash_password(password),
        "source": "lokal",
        "created_at": utc_now(),
        "active": 1,
    }
    with store.write() as db:
        store.upsert_user(db, row)
        store.audit(db, actor, "opret bruger", name, f"rolle: {role}")
    return _user_from_row(row)


def set_role(store: Store, name: str, role: str, actor: User | None) -> User:
    """Change a user's role (admins only); the change is written to the audit log."""
    require(actor, "manage_users")
    return _set_role(store, name, role, actor.name)


def set_role_as_administrator(store: Store, name: str, role: str) -> User:
    """Change a role from the command line, which runs with the server's own rights."""
    return _set_role(store, name, role, "administrator (kommandolinje)")


def _set_role(store: Store, name: str, role: str, actor_name: str) -> User:
    check_role(role)
    row = store.user(name)
    if row is None:
        raise AuthError(f"Brugeren '{name}' findes ikke.")
    with store.write() as db:
        store.upsert_user(db, {**row, "role": role})
        store.audit(db, actor_name, "skift rolle", name, f"{row['role']} → {role}")
    return _user_from_row({**row, "role": role})


def login(store: Store, name: str, password: str) -> User:
    """The user for a correct local name and password; AuthError otherwise.

    After five failed attempts within 15 minutes the account is locked for the rest of the
    window, so passwords cannot be guessed at speed. The message does not say whether the
    name exists.
    """
    since = (datetime.now(timezone.utc) - FAILURE_WINDOW).isoformat(timespec="seconds")
    if store.login_failures_since(name, since) >= MAX_FAILURES:
        raise AuthError("For mange forkerte forsøg. Vent 15 minutter, og prøv igen.")
    row = store.user(name)
    if row is None or not row["active"] or not row["password_hash"] or not verify_password(password, row["password_hash"]):
        store.record_login_failure(name)
        raise AuthError("Forkert brugernavn eller adgangskode.")
    store.clear_login_failures(name)
    return _user_from_row(row)


def start_session(store: Store, user: User) -> str:
    """A random session token for a browser cookie; the store keeps only its hash."""
    token = secrets.token_urlsafe(32)
    expires = (datetime.now(timezone.utc) + SESSION_LENGTH).isoformat(timespec="seconds")
    store.add_session(_token_hash(token), user.name, expires)
    return token


def user_for_session(store: Store, token: str) -> User | None:
    """The user of an unexpired session token, or None."""
    row = store.session(_token_hash(token)) if token else None
    return get_user(store, row["user"]) if row else None


def end_session(store: Store, token: str) -> None:
    if token:
        store.end_session(_token_hash(token))


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def external_user(store: Store, name: str, display_name: str, source: str) -> User:
    """The user behind a trusted proxy header or an OIDC login.

    First seen, the person is recorded as a medarbejder; an admin can then give them another
    role. The recorded role always wins over anything the identity provider says.
    """
    name = name.strip()
    if not name:
        raise AuthError("Identiteten fra log-ind-tjenesten er tom.")
    row = store.user(name)
    if row is None:
        row = {"name": name, "display_name": display_name or name, "role": "medarbejder", "password_hash": None, "source": source, "created_at": utc_now(), "active": 1}
        with store.write() as db:
            store.upsert_user(db, row)
            store.audit(db, name, "første log-ind", name, f"via {source}")
    if not row["active"]:
        raise AuthError("Din bruger er deaktiveret. Kontakt en administrator.")
    return _user_from_row(row)


def get_user(store: Store, name: str) -> User | None:
    row = store.user(name)
    return _user_from_row(row) if row and row["active"] else None


def all_users(store: Store) -> list[User]:
    """Every active user, by name."""
    return [_user_from_row(row) for row in store.users() if row["active"]]


def audit_log(store: Store, actor: User | None) -> list[dict]:
    """The audit log, newest first (admins only)."""
    require(actor, "audit")
    return store.audit_log()


def audit_log_csv(entries: list[dict]) -> str:
    """The audit log as semicolon-separated CSV (as Danish Excel opens it), times in Danish time."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow([csv_column("tidspunkt"), "hvem", "handling", "hvad", "detaljer"])
    writer.writerows([[csv_moment(e["at"]), e["actor"], e["action"], e["target"], e["details"]] for e in entries])
    return out.getvalue()
