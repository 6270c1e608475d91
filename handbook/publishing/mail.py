"""E-mail for notifications: SMTP settings, an outbox table and a background sender.

Nothing that sends mail runs inside a user's request: a notification only adds a row to the
outbox, so a slow or broken mail server never blocks publishing. A sender thread (one per
process; rows are claimed atomically, so several processes can run one each) delivers due rows,
retries failures with growing pauses and logs every failure. The mail server's user name and
password never live in git: they come from the environment (HANDBOOK_SMTP_USER,
HANDBOOK_SMTP_PASSWORD) or from .streamlit/secrets.toml ([smtp] user/password).
"""

from __future__ import annotations

import logging
import os
import smtplib
import ssl
import threading
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path
from typing import Any, cast

from handbook.settings import PROJECT_ROOT, PortalConfig
from handbook.store.database import Store, utc_now

log = logging.getLogger("handbook.publishing.mail")
RETRY_PAUSES = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=15), timedelta(hours=1))
MAX_ATTEMPTS = len(RETRY_PAUSES) + 1
CLAIM_LEASE = timedelta(minutes=2)


@dataclass(frozen=True)
class SmtpSettings:
    """Where mail goes: host and port, STARTTLS, the sender address, optional login."""

    host: str
    port: int = 587
    starttls: bool = True
    sender: str = "haandbogen@localhost"
    portal_url: str = ""
    user: str = ""
    password: str = ""
    timeout: float = 20.0


def smtp_settings(config: PortalConfig, environ: dict[str, str] | None = None, secrets_file: Path | None = None) -> SmtpSettings | None:
    """The SMTP settings from config/portal.yaml (`smtp:`), overridden by HANDBOOK_SMTP_HOST,
    _PORT, _STARTTLS, _SENDER and _PORTAL_URL; None when no host is set (no e-mail then)."""
    env = os.environ if environ is None else environ
    raw: dict[str, Any] = dict(config.smtp)  # as written in portal.yaml
    host = str(env.get("HANDBOOK_SMTP_HOST") or raw.get("host") or "").strip()
    if not host:
        return None
    secret = _secrets(secrets_file or PROJECT_ROOT / ".streamlit" / "secrets.toml")
    starttls = env.get("HANDBOOK_SMTP_STARTTLS")
    return SmtpSettings(
        host=host,
        port=int(env.get("HANDBOOK_SMTP_PORT") or raw.get("port") or 587),
        starttls=(starttls.strip().lower() in ("1", "true", "ja", "yes")) if starttls else bool(raw.get("starttls", True)),
        sender=str(env.get("HANDBOOK_SMTP_SENDER") or raw.get("sender") or "haandbogen@localhost"),
        portal_url=str(env.get("HANDBOOK_PORTAL_URL") or raw.get("portal_url") or "").rstrip("/"),
        user=env.get("HANDBOOK_SMTP_USER") or str(secret.get("user") or ""),
        password=env.get("HANDBOOK_SMTP_PASSWORD") or str(secret.get("password") or ""),
    )


def _secrets(path: Path) -> dict:
    try:
        with path.open("rb") as handle:
            section = tomllib.load(handle).get("smtp")
    except (OSError, tomllib.TOMLDecodeError):
        return {}
    return section if isinstance(section, dict) else {}


def enqueue(store: Store, recipient: str, subject: str, body: str) -> int:
    """Put a message in the outbox; the sender delivers it."""
    now = utc_now()
    with store.write() as db:
        queued = db.table("outbox").insert({"recipient": recipient, "subject": subject, "body": body, "created_at": now, "attempts": 0, "next_attempt_at": now})
        return cast(int, queued.last_pk)  # sqlite-utils sets last_pk on every insert; None only before one


def pending(store: Store) -> list[dict]:
    """Messages neither sent nor given up on, oldest first."""
    return list(store.db["outbox"].rows_where("sent_at IS NULL AND failed_at IS NULL", order_by="id"))


def deliver_due(store: Store, settings: SmtpSettings, now: datetime | None = None) -> int:
    """Send every due message once; return how many were sent. Failures are logged and
    retried later (after 1, 5, 15 and 60 minutes); after the last attempt the message is
    marked failed."""
    moment = now or datetime.now(UTC)
    sent = 0
    for row in _claim_due(store, moment):
        try:
            _send(settings, row)
        except (OSError, smtplib.SMTPException) as exc:
            _record_failure(store, row, moment, exc)
            continue
        with store.write() as db:
            db.execute("UPDATE outbox SET sent_at = ?, attempts = attempts + 1, last_error = NULL WHERE id = ?", [utc_now(), row["id"]])
        sent += 1
    return sent


def _claim_due(store: Store, moment: datetime) -> list[dict]:
    stamp = moment.isoformat(timespec="microseconds")
    lease = (moment + CLAIM_LEASE).isoformat(timespec="microseconds")
    claimed = []
    with store.write() as db:
        rows = list(db["outbox"].rows_where("sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= ?", [stamp], order_by="id", limit=50))
        for row in rows:
            db.execute("UPDATE outbox SET next_attempt_at = ? WHERE id = ?", [lease, row["id"]])
            claimed.append(row)
    return claimed


def _record_failure(store: Store, row: dict, moment: datetime, exc: Exception) -> None:
    attempts = row["attempts"] + 1
    error = f"{type(exc).__name__}: {exc}"[:500]
    with store.write() as db:
        if attempts >= MAX_ATTEMPTS:
            db.execute("UPDATE outbox SET attempts = ?, failed_at = ?, last_error = ? WHERE id = ?", [attempts, utc_now(), error, row["id"]])
            log.error("E-mail %s til %s opgivet efter %d forsøg: %s", row["id"], row["recipient"], attempts, error)
            return
        retry = (moment + RETRY_PAUSES[attempts - 1]).isoformat(timespec="microseconds")
        db.execute("UPDATE outbox SET attempts = ?, next_attempt_at = ?, last_error = ? WHERE id = ?", [attempts, retry, error, row["id"]])
    log.warning("E-mail %s til %s kunne ikke sendes (forsøg %d af %d, prøver igen %s): %s", row["id"], row["recipient"], attempts, MAX_ATTEMPTS, retry[:16], error)


def _send(settings: SmtpSettings, row: dict) -> None:
    message = EmailMessage()
    message["From"] = settings.sender
    message["To"] = row["recipient"]
    message["Subject"] = row["subject"]
    message.set_content(row["body"])
    with smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout) as smtp:
        if settings.starttls:
            smtp.starttls(context=ssl.create_default_context())
        if settings.user:
            smtp.login(settings.user, settings.password)
        smtp.send_message(message)


class OutboxSender:
    """A daemon thread that delivers the outbox every few seconds while SMTP is configured."""

    def __init__(self, store: Store, settings: Callable[[], SmtpSettings | None], interval: float = 2.0):
        self.store, self.settings, self.interval = store, settings, interval
        self._stop = threading.Event()
        self.thread = threading.Thread(target=self._run, name="haandbogen-mail", daemon=True)

    def start(self) -> OutboxSender:
        self.thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self.thread.join(timeout=10)

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                settings = self.settings()
                if settings is not None:
                    deliver_due(self.store, settings)
            except Exception:  # the sender must survive anything and try again later
                log.exception("Fejl i udsendelsen af e-mails")


def purge_outbox(store: Store, retention_days: int, now: datetime | None = None) -> int:
    """Delete sent and given-up messages older than the retention (they hold staff addresses)."""
    limit = ((now or datetime.now(UTC)) - timedelta(days=retention_days)).isoformat()
    with store.write() as db:
        return db.execute("DELETE FROM outbox WHERE (sent_at IS NOT NULL OR failed_at IS NOT NULL) AND created_at < ?", [limit]).rowcount
