"""Single sign-on with OpenID Connect: accounts linked by issuer and subject, roles from claims,
logins that logout ends, and a check of the provider before the user is sent there.

Streamlit's `st.login` does the OIDC protocol and hands the ID token's claims to the portal
(`st.user`); everything the portal decides about them lives here, without Streamlit:

- **Account linking.** An identity is the pair (`iss`, `sub`). The first login creates a portal
  account with a login name derived from the email (made unique), and links the pair to it. Later
  logins find the account through the link only, so an email or name change keeps the account and
  two people with the same name get two accounts.
- **Roles from claims** (`roles_from_claims` in config/portal.yaml). When set, the role is
  recomputed from the configured claim at every login (the highest role whose values match wins;
  no match is medarbejder). The identity provider is the source of truth: a role set by hand in
  the portal holds until the person's next login. Every change is written to the audit log.
- **Logins.** Each login at the provider (a new ID token: `iss`, `sub`, `iat`, `nonce`) is a
  portal session in `oidc_logins`. Logout ends it, so other open tabs still holding the same
  Streamlit identity are logged out at their next interaction.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import unicodedata
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qsl

import yaml

from handbook.identity.auth import NAME_PATTERN, ROLES, AuthError, User
from handbook.privacy.cpr import contains_cpr
from handbook.problems import ContentProblem
from handbook.settings import _key_line
from handbook.store import identity as identity_store
from handbook.store.database import Store, utc_now

log = logging.getLogger("handbook.identity.oidc")

ROLE_ORDER = ("admin", "redaktør", "leder")  # checked in this order: the highest matching role wins
DEFAULT_ROLE = "medarbejder"
MAX_DISPLAY_NAME = 100
# Streamlit keeps its identity cookie for 30 days; a login older than that cannot come back.
LOGIN_RETENTION = timedelta(days=31)
SOURCE = "oidc"


@dataclass(frozen=True)
class ClaimRoles:
    """Which values of which claim grant which role (config/portal.yaml: roles_from_claims)."""

    claim: str = "groups"
    values: dict[str, frozenset[str]] = field(default_factory=dict)

    def role_for(self, claims: Mapping[str, object]) -> tuple[str, list[str]]:
        """The role the claims grant and the claim values that granted it."""
        have = set(claim_values(claims.get(self.claim)))
        for role in ROLE_ORDER:
            matched = sorted(have & self.values.get(role, frozenset()))
            if matched:
                return role, matched
        return DEFAULT_ROLE, []


def claim_values(value: object) -> list[str]:
    """A claim as a list of strings: Entra ID and most providers send a list; a single value
    is accepted too."""
    if value is None:
        return []
    if isinstance(value, (list, tuple, set)):
        return [str(v) for v in value if v is not None]
    return [str(value)]


def load_claim_roles(path: Path) -> tuple[ClaimRoles | None, list[ContentProblem]]:
    """Read `roles_from_claims` from config/portal.yaml: None when it is not set."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError):
        return None, []  # the portal configuration reports its own problems
    if not isinstance(raw, dict) or raw.get("roles_from_claims") is None:
        return None, []
    return parse_claim_roles(raw["roles_from_claims"], path, _key_line(path, "roles_from_claims"))


def parse_claim_roles(section: object, path: Path, line: int) -> tuple[ClaimRoles | None, list[ContentProblem]]:
    example = "fx 'roles_from_claims: {claim: groups, admin: [BU-Admin], redaktør: [BU-Redaktører]}'"
    if not isinstance(section, dict):
        return None, [ContentProblem(path, line, f"'roles_from_claims' skal være en samling af felter, {example}.")]
    problems = []
    claim = section.get("claim", "groups")
    if not isinstance(claim, str) or not claim.strip():
        problems.append(ContentProblem(path, line, "'roles_from_claims.claim' skal være navnet på et claim, fx 'groups' eller 'roles'."))
    values: dict[str, frozenset[str]] = {}
    for key, value in section.items():
        if key == "claim":
            continue
        if key not in ROLES:
            problems.append(ContentProblem(path, line, f"Ukendt rolle '{key}' i 'roles_from_claims'. Gyldige roller: {', '.join(ROLES)}."))
            continue
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list) or not all(isinstance(v, (str, int)) and str(v).strip() for v in items):
            problems.append(ContentProblem(path, line, f"'roles_from_claims.{key}' skal være en liste af claim-værdier, {example}."))
            continue
        values[key] = frozenset(str(v).strip() for v in items)
    if problems:
        return None, problems
    return ClaimRoles(claim=str(claim).strip(), values=values), []


# -- names -----------------------------------------------------------------------------------


def clean_display_name(value: object, fallback: str) -> str:
    """A display name fit to store and show: no control or invisible characters, one line,
    at most 100 characters, never a CPR-like number (then the fallback is used)."""
    text = "".join(" " if unicodedata.category(c) in ("Zs", "Zl", "Zp", "Cc") else c for c in str(value or ""))
    text = "".join(c for c in text if not unicodedata.category(c).startswith("C"))
    text = " ".join(text.split())[:MAX_DISPLAY_NAME]
    if not text or contains_cpr(text):
        return fallback
    return text


def login_name_candidate(email: str, issuer: str, subject: str) -> str:
    """A readable login name for a new account: the email when it is a valid name, otherwise a
    name made from the identity (never the display name)."""
    name = email.strip().lower()
    if NAME_PATTERN.match(name):
        return name
    cleaned = re.sub(r"[^a-z0-9æøå._@-]", "", name)[:50]
    if len(cleaned) >= 2:
        return cleaned
    return "sso-" + hashlib.sha256(f"{issuer}\0{subject}".encode()).hexdigest()[:12]


def _unique_name(store: Store, candidate: str) -> str:
    if store.user(candidate) is None:
        return candidate
    for number in range(2, 1000):
        name = f"{candidate[:58]}-{number}"
        if store.user(name) is None:
            return name
    raise AuthError("Der kunne ikke findes et ledigt brugernavn til din konto. Kontakt en administrator.")


# -- logins ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Login:
    """A recognised OIDC login: the portal user and the marker that logout ends."""

    user: User
    marker: str
    new: bool


def login_marker(claims: Mapping[str, object]) -> str:
    """One value per login at the provider (issuer, subject, issued-at and nonce of the ID token)."""
    parts = [str(claims.get(key) or "") for key in ("iss", "sub", "iat", "nonce")]
    if not parts[2] and not parts[3]:  # a provider without iat/nonce: the whole claim set
        parts.append(json.dumps(dict(claims), sort_keys=True, default=str))
    return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()


def oidc_login(store: Store, claims: Mapping[str, object], roles: ClaimRoles | None) -> Login | None:
    """The portal user for an OIDC identity; None when this login was ended by logout.

    The first time a login is seen, the account is found by (iss, sub) or created, email and
    display name are updated, and the role is set from the claims if roles_from_claims is set.
    AuthError (Danish) when the identity is unusable or the account is deactivated.
    """
    issuer, subject = str(claims.get("iss") or "").strip(), str(claims.get("sub") or "").strip()
    if not issuer or not subject:
        raise AuthError("Log-ind-tjenesten sendte ikke en entydig identitet (iss og sub mangler).")
    marker = login_marker(claims)
    seen = identity_store.login(store, marker)
    if seen is not None:
        if seen["ended_at"]:
            return None
        return Login(_active_user(store, seen["user"]), marker, new=False)
    email = str(claims.get("email") or claims.get("preferred_username") or claims.get("upn") or "").strip()[:200]
    if contains_cpr(email):  # never stored, nor used for a login name
        email = ""
    display = clean_display_name(claims.get("name"), fallback=email or subject)
    with store.write() as db:
        link = identity_store.link(store, issuer, subject)
        if link is None:
            name = _create_or_adopt_account(store, db, issuer, subject, email, display)
        else:
            name = link["user"]
            identity_store.update_link(db, issuer, subject, email, display)
            row = store.user(name)
            if row is not None and row["display_name"] != display:
                store.upsert_user(db, {**row, "display_name": display})
        if roles is not None:
            _apply_claim_roles(store, db, name, claims, roles)
        identity_store.insert_login(db, marker, name)
        db.execute("DELETE FROM oidc_logins WHERE started_at < ?", [(datetime.now(UTC) - LOGIN_RETENTION).isoformat()])
    return Login(_active_user(store, name), marker, new=True)


def _create_or_adopt_account(store: Store, db, issuer: str, subject: str, email: str, display: str) -> str:
    """A new account for a first login. An account from before identity linking (created by an
    OIDC login under its email, with no link yet) is adopted once, so its history stays."""
    legacy = store.user(email) if email else None
    if legacy is not None and legacy["source"] == SOURCE and identity_store.link_for_user(store, email) is None:
        identity_store.insert_link(db, issuer, subject, email, email, display)
        store.audit(db, email, "kobl identitet", email, f"{issuer} · {subject}")
        return email
    name = _unique_name(store, login_name_candidate(email, issuer, subject))
    row = {"name": name, "display_name": display, "role": DEFAULT_ROLE, "password_hash": None, "source": SOURCE, "created_at": utc_now(), "active": 1}
    store.upsert_user(db, row)
    identity_store.insert_link(db, issuer, subject, name, email, display)
    store.audit(db, name, "første log-ind", name, f"via {SOURCE} ({issuer})")
    return name


def _apply_claim_roles(store: Store, db, name: str, claims: Mapping[str, object], roles: ClaimRoles) -> None:
    row = store.user(name)
    if row is None:
        return
    role, matched = roles.role_for(claims)
    if role == row["role"]:
        return
    store.upsert_user(db, {**row, "role": role})
    why = f"{roles.claim}: {', '.join(matched)}" if matched else f"ingen værdi i '{roles.claim}' giver en rolle"
    store.audit(db, "log-ind-tjeneste", "rolle fra claims", name, f"{row['role']} → {role} ({why})")


def _active_user(store: Store, name: str) -> User:
    row = store.user(name)
    if row is None or not row["active"]:
        raise AuthError("Din bruger er deaktiveret. Kontakt en administrator.")
    return User(name=row["name"], display_name=row["display_name"] or row["name"], role=row["role"])


def login_active(store: Store, marker: str) -> bool:
    row = identity_store.login(store, marker)
    return row is not None and not row["ended_at"]


def end_login(store: Store, marker: str) -> None:
    """Logout: the login ends in every tab that shares it."""
    if marker:
        identity_store.end_login(store, marker)


# -- the provider ----------------------------------------------------------------------------

REQUIRED_AUTH_KEYS = ("redirect_uri", "cookie_secret")
REQUIRED_PROVIDER_KEYS = ("client_id", "client_secret", "server_metadata_url")
REQUIRED_METADATA = ("issuer", "authorization_endpoint", "token_endpoint", "jwks_uri")
UNAVAILABLE = (
    "Log ind med organisationens konto virker ikke lige nu: {what}. "
    "Du kan stadig logge ind med en lokal bruger. Kontakt IT, hvis det varer ved."
)


@dataclass(frozen=True)
class ProviderCheck:
    """Whether the OIDC provider can be used; if not, a Danish message and a log line."""

    ok: bool
    message: str = ""
    detail: str = ""


def provider_settings(auth_section: Mapping[str, object], provider: str = "default") -> Mapping[str, object]:
    """The settings of one provider: [auth] itself for the default, or [auth.NAME]."""
    if provider == "default":
        return auth_section
    section = auth_section.get(provider)
    return section if isinstance(section, Mapping) else {}


def check_provider(
    auth_section: Mapping[str, object],
    provider: str = "default",
    fetch: Callable[[str], bytes] | None = None,
) -> ProviderCheck:
    """Check the [auth] settings and fetch the provider's discovery document.

    Streamlit answers a login it cannot start with a bare English "Authentication error", so the
    login page asks here first and says in Danish what is wrong instead of sending people there.
    """
    missing = [key for key in REQUIRED_AUTH_KEYS if not auth_section.get(key)]
    settings = provider_settings(auth_section, provider)
    missing += [key for key in REQUIRED_PROVIDER_KEYS if not settings.get(key)]
    if missing:
        return ProviderCheck(False, UNAVAILABLE.format(what="opsætningen er ufuldstændig"), f"[auth] mangler: {', '.join(missing)}")
    redirect = str(auth_section.get("redirect_uri"))
    if not redirect.rstrip("/").endswith("/oauth2callback"):
        return ProviderCheck(False, UNAVAILABLE.format(what="opsætningen er forkert"), f"redirect_uri skal ende på /oauth2callback: {redirect}")
    url = str(settings.get("server_metadata_url"))
    try:
        body = (fetch or _fetch)(url)
        metadata = json.loads(body)
    except (OSError, urllib.error.URLError) as exc:
        return ProviderCheck(False, UNAVAILABLE.format(what="log-ind-tjenesten svarer ikke"), f"{url}: {exc}")
    except ValueError as exc:
        return ProviderCheck(False, UNAVAILABLE.format(what="log-ind-tjenesten svarer forkert"), f"{url}: ikke JSON ({exc})")
    if not isinstance(metadata, dict):
        return ProviderCheck(False, UNAVAILABLE.format(what="log-ind-tjenesten svarer forkert"), f"{url}: ikke et JSON-objekt")
    absent = [key for key in REQUIRED_METADATA if not metadata.get(key)]
    if absent:
        return ProviderCheck(False, UNAVAILABLE.format(what="log-ind-tjenesten svarer forkert"), f"{url}: mangler {', '.join(absent)}")
    return ProviderCheck(True)


def _fetch(url: str, timeout: float = 3.0) -> bytes:
    with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 (configured by the operator)
        return response.read(1_000_000)


# -- returning to the page asked for ---------------------------------------------------------

PAGE_PATH = re.compile(r"^[a-z0-9-]+$")


def safe_next(value: str) -> tuple[str, dict[str, str]] | None:
    """The page to return to after a login, from 'url-path?query': a page path of this portal
    only (never a scheme, host or '//'), with its query parameters. None for anything else."""
    path, _, query = (value or "").strip().partition("?")
    path = path.strip("/")
    if not PAGE_PATH.match(path) or path == "log-ind":
        return None
    params = {key: val for key, val in parse_qsl(query) if key != "next"}
    return path, params
