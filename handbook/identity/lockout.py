"""Login throttling that holds under concurrency: per account and per client address.

A password is checked only after an attempt has been *reserved*: in one write transaction
(BEGIN IMMEDIATE, so concurrent logins queue) the recent failures of the account name and of the
client address are counted and, if both are under their limits, the attempt is recorded as a
failure at once. Only then is the password checked, outside the transaction (so the write lock
is not held while the slow hash runs). A correct password removes the reservation and the
account's earlier failures. So however many requests arrive at once, at most MAX_FAILURES
passwords are ever checked per account name and window, and at most MAX_CLIENT_FAILURES per
client address: one source cannot guess at speed nor lock out every account.

Failures are kept under the name that was typed (an unknown name is throttled like a known one,
so the answers do not tell which names exist), but never a text that cannot be a user name.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import cast

from handbook.privacy.cpr import contains_cpr
from handbook.store.database import Store, utc_now

MAX_FAILURES = 5
MAX_CLIENT_FAILURES = 20
FAILURE_WINDOW = timedelta(minutes=15)
INVALID_NAME = "(ugyldigt brugernavn)"
_NAME_SHAPE = re.compile(r"^[a-zA-Z0-9æøåÆØÅ._@-]{1,64}$")
_CLIENT_SHAPE = re.compile(r"^[0-9A-Za-z:.%_-]{1,64}$")


class Throttled(Exception):
    """Too many failed attempts for this account or from this address; the message is Danish."""


def failure_key(name: str) -> str:
    """The name as it is kept in the failure log: a possible user name, or a fixed marker."""
    return name if isinstance(name, str) and _NAME_SHAPE.match(name) and not contains_cpr(name) else INVALID_NAME


def client_key(client: str | None) -> str:
    return client if isinstance(client, str) and _CLIENT_SHAPE.match(client) else ""


def reserve(store: Store, name: str, client: str | None, now: datetime | None = None) -> int:
    """Count and record one attempt atomically; return its row id, or raise Throttled."""
    moment = now or datetime.now(UTC)
    since = (moment - FAILURE_WINDOW).astimezone(UTC).isoformat(timespec="microseconds")
    key, address = failure_key(name), client_key(client)
    with store.write() as db:
        failures = db.execute("SELECT count(*) FROM login_failures WHERE name = ? AND at >= ?", [key, since]).fetchone()[0]
        if failures >= MAX_FAILURES:
            raise Throttled("For mange forkerte forsøg. Vent 15 minutter, og prøv igen.")
        if address:
            from_client = db.execute("SELECT count(*) FROM login_failures WHERE client = ? AND at >= ?", [address, since]).fetchone()[0]
            if from_client >= MAX_CLIENT_FAILURES:
                raise Throttled("For mange forkerte forsøg fra din adresse. Vent 15 minutter, og prøv igen.")
        at = moment.astimezone(UTC).isoformat(timespec="microseconds") if now else utc_now()
        recorded = db.execute("INSERT INTO login_failures (name, at, client) VALUES (?, ?, ?)", [key, at, address]).lastrowid
        return cast(int, recorded)  # an INSERT always sets lastrowid


def succeeded(store: Store, name: str) -> None:
    """A correct password: forget the account's failures (including the reservation)."""
    with store.write() as db:
        db.execute("DELETE FROM login_failures WHERE name = ?", [failure_key(name)])


def purge_failures(store: Store, before: str) -> int:
    """Delete failed attempts recorded before the ISO moment; return how many."""
    with store.write() as db:
        return db.execute("DELETE FROM login_failures WHERE at < ?", [before]).rowcount
