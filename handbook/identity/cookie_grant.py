"""The session cookie is set by the server, never by a page script.

After a login (or a logout) the script run that knows the session token cannot answer the
browser's HTTP request itself: Streamlit talks to the page over a websocket. So it issues a
*grant*: a random one-time value, valid for a minute, that the page posts to the portal's own
endpoint (portal/server.py, `POST /_haandbogen/cookie`). The endpoint redeems the grant and
answers with `Set-Cookie: haandbogen_session=…; HttpOnly; SameSite=Lax; Path=/` (plus `Secure`
over HTTPS). The grant is worthless after use or after a minute, and the database keeps only its
hash and the session token sealed with a key derived from the grant.

An empty token is a grant to clear the cookie (logout).
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from handbook.store import cookie_grants
from handbook.store.connection import Connection

GRANT_LIFETIME = timedelta(minutes=1)
COOKIE_NAME = "haandbogen_session"
MAX_GRANT_LENGTH = 100
_CLEAR = "-"


def _key(grant: str) -> bytes:
    return hashlib.sha512(b"haandbogen-cookie-grant|" + grant.encode("utf-8")).digest()


def _seal(token: str, grant: str) -> str:
    data = (token or _CLEAR).encode("utf-8")
    if len(data) > 64:
        raise ValueError("A session token is at most 64 bytes.")
    return base64.b64encode(bytes(a ^ b for a, b in zip(data, _key(grant)))).decode("ascii")


def _unseal(sealed: str, grant: str) -> str:
    token = bytes(a ^ b for a, b in zip(base64.b64decode(sealed), _key(grant))).decode("utf-8")
    return "" if token == _CLEAR else token


def _hash(grant: str) -> str:
    return hashlib.sha256(grant.encode("utf-8")).hexdigest()


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def issue(store: Connection, session_token: str, now: datetime | None = None) -> str:
    """A one-time grant that makes the endpoint set the cookie to session_token ('' clears it)."""
    moment = now or datetime.now(UTC)
    grant = secrets.token_urlsafe(32)
    cookie_grants.add(store, _hash(grant), _seal(session_token, grant), _iso(moment + GRANT_LIFETIME), _iso(moment))
    return grant


def redeem(store: Connection, grant: str, now: datetime | None = None) -> str | None:
    """The session token a grant stands for ('' = clear the cookie), once; None when the grant
    is unknown, used or expired."""
    if not grant or len(grant) > MAX_GRANT_LENGTH:
        return None
    sealed = cookie_grants.take(store, _hash(grant), _iso(now or datetime.now(UTC)))
    return None if sealed is None else _unseal(sealed, grant)


def set_cookie_header(token: str, secure: bool, max_age: int) -> str:
    """The Set-Cookie value for the session cookie (token '' clears it)."""
    parts = [f"{COOKIE_NAME}={token}", "Path=/", f"Max-Age={max_age if token else 0}", "HttpOnly", "SameSite=Lax"]
    if secure:
        parts.append("Secure")
    return "; ".join(parts)
