"""Notifications: what concerns a user (a draft waits for their review, their draft was
approved or sent back, a new version of a guideline they follow, a review date approaching
for a guideline they own, a guideline made required reading for their role).

Each is a row in `notifications` shown in the portal, and, when SMTP is configured and the user
has an e-mail address, a message in the outbox (see mail.py). Mail text is Danish and made only
of fixed phrases, guideline titles, versions, dates and links: never a comment or other free
text that could hold citizen data. Notifying never raises into the caller: publishing must not
fail because a notification could not be written.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from handbook.content.library import Library
from handbook.content.render import format_date
from handbook.identity.auth import PERMISSIONS, ROLES, User
from handbook.identity.users import email_of
from handbook.problems import ContentError
from handbook.publishing import mail
from handbook.publishing.acknowledgements import REVIEW_WINDOW_DAYS
from handbook.publishing.follows import followers
from handbook.publishing.ownership import owner_names
from handbook.settings import load_portal_config, paths_from_env
from handbook.store.database import Store, utc_now

log = logging.getLogger("handbook.publishing.notifications")
KINDS = {
    "review_requested": "Kladde til godkendelse",
    "approved": "Kladde godkendt",
    "sent_back": "Kladde sendt tilbage",
    "new_version": "Ny version",
    "review_due": "Revisionsdato nærmer sig",
    "required": "Læsepligt",
    "tilsyn": "Ledelsestilsyn",
}


@dataclass(frozen=True)
class Notification:
    id: int
    kind: str
    message: str
    link: str
    created_at: str
    read: bool

    @property
    def label(self) -> str:
        return KINDS.get(self.kind, self.kind)


def env_settings() -> mail.SmtpSettings | None:
    """The SMTP settings of this installation (config/portal.yaml and the environment)."""
    try:
        return mail.smtp_settings(load_portal_config(paths_from_env().config_dir / "portal.yaml"))
    except ContentError:
        return None


def notify(store: Store, recipients: Iterable[str], kind: str, message: str, link: str = "", guideline_id: str | None = None, draft_id: int | None = None, key: str | None = None, settings: Callable[[], mail.SmtpSettings | None] | None = None) -> int:
    """Notify each recipient once (per key, when given) in the portal and by e-mail when
    configured; return how many notifications were new. Errors are logged, never raised."""
    try:
        smtp = (settings or env_settings)()
        new = 0
        for name in dict.fromkeys(recipients):
            row = {"user": name, "kind": kind, "guideline_id": guideline_id, "draft_id": draft_id, "message": message, "link": link, "key": key, "created_at": utc_now()}
            with store.write() as db:
                before = db["notifications"].count
                db.table("notifications").insert(row, ignore=True)
                if db["notifications"].count == before:
                    continue
            new += 1
            address = email_of(store, name)
            if smtp is not None and address:
                mail.enqueue(store, address, f"Håndbogen: {KINDS.get(kind, kind)}", _mail_body(store, name, message, link, smtp))
        return new
    except Exception:  # the change that caused the notification is already saved; never undo it
        log.exception("Notifikationen (%s) kunne ikke gemmes", kind)
        return 0


def _mail_body(store: Store, name: str, message: str, link: str, smtp: mail.SmtpSettings) -> str:
    greeting = (store.user(name) or {}).get("display_name") or name
    where = f"{smtp.portal_url}/{link}" if smtp.portal_url and link else "Håndbogen under Notifikationer"
    return (
        f"Hej {greeting}\n\n{message}\n\nSe mere: {where}\n\n"
        "Du får denne e-mail, fordi du bruger Håndbogen. Alle dine notifikationer står i Håndbogen under Notifikationer.\n\n"
        "Venlig hilsen\nHåndbogen\n"
    )


def for_user(store: Store, name: str, limit: int = 100) -> list[Notification]:
    """A user's notifications, newest first."""
    rows = store.db["notifications"].rows_where("user = ?", [name], order_by="id desc", limit=limit)
    return [Notification(r["id"], r["kind"], r["message"], r["link"] or "", r["created_at"], r["read_at"] is not None) for r in rows]


def unread_count(store: Store, name: str) -> int:
    return int(store.db.execute("SELECT count(*) FROM notifications WHERE user = ? AND read_at IS NULL", [name]).fetchone()[0])


def mark_read(store: Store, name: str, notification_id: int | None = None) -> None:
    """Mark one notification (or all of them) as read."""
    with store.write() as db:
        if notification_id is None:
            db.execute("UPDATE notifications SET read_at = ? WHERE user = ? AND read_at IS NULL", [utc_now(), name])
        else:
            db.execute("UPDATE notifications SET read_at = ? WHERE user = ? AND id = ?", [utc_now(), name, notification_id])


# -- the events -------------------------------------------------------------------------------------


def _never_raises(event: Callable) -> Callable:
    """An event is announced after the change is committed: a failure is logged, not raised."""

    @functools.wraps(event)
    def announce(*args, **kwargs):
        try:
            return event(*args, **kwargs)
        except Exception:
            log.exception("Notifikationer for %s kunne ikke laves", event.__name__)
            return None

    return announce


def reviewers(store: Store, except_name: str) -> list[str]:
    roles = [role for role, permissions in PERMISSIONS.items() if "review" in permissions]
    return [row["name"] for row in store.users() if row["active"] and row["role"] in roles and row["name"] != except_name]


@_never_raises
def review_requested(store: Store, actor: User, draft_id: int, guideline_id: str, title: str) -> None:
    notify(store, reviewers(store, actor.name), "review_requested", f"Kladden til »{title}« (kladde nr. {draft_id}) venter på godkendelse.", f"rediger?kladde={draft_id}", guideline_id, draft_id)


@_never_raises
def review_decided(store: Store, actor: User, draft_id: int, guideline_id: str, title: str, authors: Iterable[str], approved: bool) -> None:
    message = (
        f"Din kladde til »{title}« (kladde nr. {draft_id}) er godkendt og kan offentliggøres."
        if approved
        else f"Din kladde til »{title}« (kladde nr. {draft_id}) er sendt tilbage. Se kommentaren i Håndbogen."
    )
    with store.write() as db:  # the request is handled: it no longer waits in anyone's list
        db.execute("UPDATE notifications SET read_at = ? WHERE draft_id = ? AND kind = 'review_requested' AND read_at IS NULL", [utc_now(), draft_id])
    recipients = [name for name in authors if name and name != actor.name]
    notify(store, recipients, "approved" if approved else "sent_back", message, f"rediger?kladde={draft_id}", guideline_id, draft_id)


@_never_raises
def new_version(store: Store, actor: User, guideline_id: str, title: str, version: str, effective: date) -> None:
    """Tell the guideline's followers (not the one who published it)."""
    message = f"Version {version} af »{title}« er offentliggjort og gælder fra {format_date(effective)}."
    notify(store, [n for n in followers(store, guideline_id) if n != actor.name], "new_version", message, f"retningslinje?id={guideline_id}", guideline_id, key=f"version:{guideline_id}:{version}")


@_never_raises
def required_reading(store: Store, guideline_id: str, title: str, role: str, users: Iterable[str]) -> None:
    message = f"»{title}« er gjort til læsepligt for rollen {ROLES.get(role, role)}. Læs den, og kvittér."
    notify(store, users, "required", message, f"retningslinje?id={guideline_id}", guideline_id, key=f"required:{guideline_id}:{role}")


def review_dates_due(store: Store, library: Library, day: date, within_days: int = REVIEW_WINDOW_DAYS) -> int:
    """Tell the owners of guidelines whose review date falls within the window (once per
    guideline and review date); return how many notifications were new."""
    limit = day + timedelta(days=within_days)
    new = 0
    for guideline in library.all():
        if guideline.review_by is None or not day <= guideline.review_by <= limit:
            continue
        message = f"Revisionsdatoen for »{guideline.title}« er {format_date(guideline.review_by)}. Gennemgå retningslinjen, og offentliggør en ny version eller en ny revisionsdato."
        new += notify(store, owner_names(store, guideline), "review_due", message, f"retningslinje?id={guideline.id}", guideline.id, key=f"review:{guideline.id}:{guideline.review_by.isoformat()}")
    return new


def purge_read(store: Store, retention_days: int, now: datetime | None = None) -> int:
    """Delete notifications older than the retention, read or not (an unread one that old
    points to a version or a review long past); return how many."""
    limit = ((now or datetime.now(UTC)) - timedelta(days=retention_days)).isoformat()
    with store.write() as db:
        return db.execute("DELETE FROM notifications WHERE created_at < ?", [limit]).rowcount
