"""Identity and roles: local accounts with argon2id password hashes, identities from a trusted
reverse-proxy header or an OIDC login, and the permission check every write goes through.

Reading the handbook is open. Acknowledging needs a login; editing, reviewing and publishing
need the role redaktør; ledelsestilsyn needs leder (for the leader's own teams) or admin;
managing users and reading the audit log need admin. The checks live
here and in the functions that change state, not only in which menu items a page shows.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import io
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from handbook.dates.danish_time import csv_column, csv_moment
from handbook.identity import lockout
from handbook.privacy.cpr import contains_cpr
from handbook.privacy.csvsafe import SafeWriter
from handbook.store.database import Store, utc_now

ROLES: dict[str, str] = {"medarbejder": "Medarbejder", "leder": "Leder", "redaktør": "Redaktør", "admin": "Administrator"}
PERMISSIONS: dict[str, frozenset[str]] = {
    "medarbejder": frozenset({"acknowledge", "casework"}),
    "leder": frozenset({"acknowledge", "casework", "tilsyn"}),
    "redaktør": frozenset({"acknowledge", "casework", "edit", "review", "publish", "reports"}),
    "admin": frozenset({"acknowledge", "casework", "edit", "review", "publish", "reports", "manage_users", "audit", "tilsyn"}),
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
    "tilsyn": "føre ledelsestilsyn",
}
NAME_PATTERN = re.compile(r"^[a-zA-Z0-9æøåÆØÅ._@-]{2,64}$")
MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 1024
# Passwords: argon2id at OWASP's parameters (Password Storage Cheat Sheet: m = 19 MiB, t = 2,
# p = 1). Hashes made earlier with scrypt still verify and are replaced at the next login.
PASSWORD_HASHER = PasswordHasher(time_cost=2, memory_cost=19_456, parallelism=1)
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
MAX_FAILURES, FAILURE_WINDOW = lockout.MAX_FAILURES, lockout.FAILURE_WINDOW
# Checked instead when the name is unknown, so a wrong name costs as much time as a wrong password.
_DUMMY_HASH = PASSWORD_HASHER.hash(secrets.token_urlsafe(24))
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
    """A salted argon2id hash in the PHC string form ($argon2id$v=19$m=...,t=...,p=...$salt$hash)."""
    return PASSWORD_HASHER.hash(password)


def verify_password(password: str, stored: str) -> bool:
    """Whether password matches a stored argon2id hash (or an older scrypt hash)."""
    if stored.startswith("$argon2"):
        try:
            return PASSWORD_HASHER.verify(stored, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False
    return _verify_scrypt(password, stored)


def needs_rehash(stored: str) -> bool:
    """Whether a stored hash is older than the current scheme or parameters."""
    return not stored.startswith("$argon2") or PASSWORD_HASHER.check_needs_rehash(stored)


def hash_password_scrypt(password: str) -> str:
    """The hash format used before argon2id (scrypt$n$r$p$salt$hash); kept to verify old hashes."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, maxmem=64 * 1024 * 1024)
    return "$".join(["scrypt", str(SCRYPT_N), str(SCRYPT_R), str(SCRYPT_P), _b64(salt), _b64(digest)])


def _verify_scrypt(password: str, stored: str) -> bool:
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
    if contains_cpr(name) or contains_cpr(display_name):
        raise AuthError("Brugernavn og navn må ikke indeholde et CPR-nummer.")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AuthError(f"Adgangskoden skal have mindst {MIN_PASSWORD_LENGTH} tegn.")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise AuthError(f"Adgangskoden må højst have {MAX_PASSWORD_LENGTH} tegn.")
    row = {
        "name": name,
        "display_name": display_name or name,
        "role": role,
        "password_hash": hash_password(password),
        "source": "lokal",
        "created_at": utc_now(),
        "active": 1,
    }
    with store.write() as db:  # checked inside the transaction: two creations at once cannot overwrite each other
        if store.user(name) is not None:
            raise AuthError(f"Brugeren '{name}' findes allerede.")
        store.upsert_user(db, row)
        store.audit(db, actor, "opret bruger", name, f"rolle: {role}")
    return _user_from_row(row)


def set_role(store: Store, name: str, role: str, actor: User | None) -> User:
    """Change a user's role (admins only); the change is written to the audit log."""
    actor = require(actor, "manage_users")
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
        if role != "admin":
            ensure_admin_remains(db, name, "fratages administratorrollen")
        store.upsert_user(db, {**row, "role": role})
        store.audit(db, actor_name, "skift rolle", name, f"{row['role']} → {role}")
    return _user_from_row({**row, "role": role})


def ensure_admin_remains(db, name: str, what: str) -> None:
    """Refuse (in Danish) to take away the last active administrator; call inside the write
    transaction that makes the change, so two admins demoting each other cannot both succeed."""
    others = db.execute("SELECT count(*) FROM users WHERE role = 'admin' AND active = 1 AND name != ?", [name]).fetchone()[0]
    is_admin = db.execute("SELECT count(*) FROM users WHERE role = 'admin' AND active = 1 AND name = ?", [name]).fetchone()[0]
    if is_admin and not others:
        raise AuthError(f"'{name}' er den sidste aktive administrator og kan ikke {what}. Giv først en anden bruger rollen Administrator.")


def login(store: Store, name: str, password: str, client: str | None = None) -> User:
    """The user for a correct local name and password; AuthError otherwise.

    After five failed attempts within 15 minutes the account is locked for the rest of the
    window, and one client address gets at most 20 failures per window (handbook.identity.lockout; the
    attempt is counted and recorded in one transaction before the password is checked, so
    parallel requests cannot get past the limits). An unknown or deactivated name is checked
    against a dummy hash, so neither the message nor the time taken says whether it exists.
    An old hash is replaced by an argon2id hash after a correct password.
    """
    try:
        lockout.reserve(store, name, client)
    except lockout.Throttled as exc:
        raise AuthError(str(exc)) from None
    row = store.user(name)
    stored = row["password_hash"] if row is not None and row["active"] and row["password_hash"] else None
    if len(password) > MAX_PASSWORD_LENGTH:  # no password is that long; do not spend hashing on it
        raise AuthError("Forkert brugernavn eller adgangskode.")
    correct = verify_password(password, stored or _DUMMY_HASH)  # hashes even for an unknown name, to take as long
    if not correct or stored is None or row is None:
        raise AuthError("Forkert brugernavn eller adgangskode.")
    lockout.succeeded(store, name)
    if needs_rehash(stored):
        with store.write() as db:
            db.execute("UPDATE users SET password_hash = ? WHERE name = ? AND password_hash = ?", [hash_password(password), name, stored])
    return _user_from_row(row)


def start_session(store: Store, user: User) -> str:
    """A random session token for a browser cookie; the store keeps only its hash."""
    token = secrets.token_urlsafe(32)
    expires = (datetime.now(UTC) + SESSION_LENGTH).isoformat(timespec="seconds")
    store.add_session(token_hash(token), user.name, expires)
    return token


def user_for_session(store: Store, token: str | None) -> User | None:
    """The user of an unexpired session token as the database has them now, or None.

    Called on every script run (every interaction in every tab): one indexed look-up that
    joins the session to the user's current row, so logout, expiry, deactivation and a role
    change take effect everywhere at once. A deactivated user has no active row here (and
    deactivating ends their sessions with end_sessions_of).
    """
    if not token or len(token) > 256:
        return None
    row = store.session_user(token_hash(token), utc_now())
    return _user_from_row(row) if row is not None else None


def end_session(store: Store, token: str) -> None:
    if token:
        store.end_session(token_hash(token))


def end_sessions_of(store: Store, name: str) -> int:
    """End every session of a user (all browsers and tabs); return how many."""
    with store.write() as db:
        return db.execute("DELETE FROM sessions WHERE user = ?", [name]).rowcount


def token_hash(token: str) -> str:
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
    actor = require(actor, "audit")
    return store.audit_log()


def audit_log_csv(entries: list[dict]) -> str:
    """The audit log as semicolon-separated CSV (as Danish Excel opens it), times in Danish time."""
    out = io.StringIO()
    writer = SafeWriter(out)
    writer.writerow([csv_column("tidspunkt"), "hvem", "handling", "hvad", "detaljer"])
    writer.writerows([[csv_moment(e["at"]), e["actor"], e["action"], e["target"], e["details"]] for e in entries])
    return out.getvalue()
