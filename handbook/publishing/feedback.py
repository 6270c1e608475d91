""""Var siden nyttig?": a yes or no on a guideline with an optional comment. Who gave it is not
stored. Comments are checked for CPR numbers and deleted after the retention period (the yes/no
counts stay); the guideline's owners and leaders see the feedback.

Anyone may answer, so answers are limited, in the same write transaction that stores one (so
the limits hold however many requests and processes arrive at once): one answer per guideline
per browser session, MAX_PER_CLIENT_PER_HOUR per client address, and MAX_PER_GUIDELINE_PER_DAY
per guideline and day (Danish time). The session and address are kept only as hashes in
`feedback_throttle`, never with the answer, and for a day."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import cast

from handbook.content.guideline import Guideline
from handbook.dates.deadlines import COPENHAGEN
from handbook.identity.auth import PermissionDenied, User
from handbook.privacy.cpr import ensure_no_cpr
from handbook.publishing.ownership import is_owner
from handbook.store.database import Store

MAX_COMMENT = 1000
MAX_PER_CLIENT_PER_HOUR = 10
MAX_PER_GUIDELINE_PER_DAY = 50
THROTTLE_KEPT = timedelta(days=1)


class FeedbackRefused(ValueError):
    """A limit on feedback is reached; the message is Danish."""


@dataclass(frozen=True)
class FeedbackSummary:
    useful: int
    not_useful: int
    comments: list[tuple[str, bool, str, str]]  # (date, useful, version, comment), newest first


def give_feedback(store: Store, guideline_id: str, version: str, useful: bool, comment: str = "", session: str = "", client: str | None = None, now: datetime | None = None) -> int:
    """Record a yes/no (anyone may give it); a comment with a CPR number is refused, and so is an
    answer past a limit (FeedbackRefused, see the module docstring). session: an id of the
    browser session; client: its network address (None when unknown)."""
    comment = ensure_no_cpr(comment.strip(), "Kommentaren")
    if len(comment) > MAX_COMMENT:
        raise ValueError(f"Kommentaren må højst være {MAX_COMMENT} tegn (den er {len(comment)}).")
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    at = moment.isoformat(timespec="microseconds")
    keys = [key for key in (_key("session", session, guideline_id) if session else "", _key("client", client or "") if client else "") if key]
    with store.write() as db:
        db.execute("DELETE FROM feedback_throttle WHERE at < ?", [(moment - THROTTLE_KEPT).isoformat()])
        if session and _count(db, keys[0], moment - THROTTLE_KEPT):
            raise FeedbackRefused("Du har allerede givet en tilbagemelding på denne side. Tak!")
        if client and _count(db, keys[-1], moment - timedelta(hours=1)) >= MAX_PER_CLIENT_PER_HOUR:
            raise FeedbackRefused(f"Der er sendt {MAX_PER_CLIENT_PER_HOUR} tilbagemeldinger fra din adresse inden for en time. Vent lidt, og prøv igen.")
        day_start = moment.astimezone(COPENHAGEN).replace(hour=0, minute=0, second=0, microsecond=0).astimezone(UTC).isoformat()
        today = db.execute("SELECT count(*) FROM feedback WHERE guideline_id = ? AND created_at >= ?", [guideline_id, day_start]).fetchone()[0]
        if today >= MAX_PER_GUIDELINE_PER_DAY:
            raise FeedbackRefused(f"Retningslinjen har fået {MAX_PER_GUIDELINE_PER_DAY} tilbagemeldinger i dag, som er det højeste antal pr. dag. Prøv igen i morgen.")
        for key in keys:
            db.execute("INSERT INTO feedback_throttle (key_hash, at) VALUES (?, ?)", [key, at])
        given = db.table("feedback").insert({"guideline_id": guideline_id, "version": version, "useful": int(useful), "comment": comment or None, "created_at": at})
        return cast(int, given.last_pk)  # sqlite-utils sets last_pk on every insert; None only before one


def _key(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def _count(db, key: str, since: datetime) -> int:
    return int(db.execute("SELECT count(*) FROM feedback_throttle WHERE key_hash = ? AND at >= ?", [key, since.isoformat()]).fetchone()[0])


def may_see_feedback(store: Store, user: User | None, guideline: Guideline) -> bool:
    """Leaders (the role that sees reports) and the guideline's owners."""
    return user is not None and (user.can("reports") or is_owner(store, user, guideline))


def feedback_for(store: Store, user: User | None, guideline: Guideline) -> FeedbackSummary:
    if not may_see_feedback(store, user, guideline):
        raise PermissionDenied("Kun retningslinjens ejer og ledere kan se tilbagemeldingerne.")
    rows = list(store.db["feedback"].rows_where("guideline_id = ?", [guideline.id], order_by="id desc"))
    return FeedbackSummary(
        useful=sum(1 for r in rows if r["useful"]),
        not_useful=sum(1 for r in rows if not r["useful"]),
        comments=[(r["created_at"][:10], bool(r["useful"]), r["version"] or "", r["comment"]) for r in rows if r["comment"]],
    )


def purge_feedback_comments(store: Store, retention_days: int, now: datetime | None = None) -> int:
    """Delete comments older than the retention (the yes/no stays); return how many."""
    limit = ((now or datetime.now(UTC)) - timedelta(days=retention_days)).isoformat()
    with store.write() as db:
        return db.execute("UPDATE feedback SET comment = NULL WHERE comment IS NOT NULL AND created_at < ?", [limit]).rowcount


def feedback_overview(store: Store, actor: User | None) -> dict[str, tuple[int, int, int]]:
    """For leaders: per guideline id, (useful, not useful, comments)."""
    if actor is None or not actor.can("reports"):
        raise PermissionDenied("Kun ledere kan se tilbagemeldinger for alle retningslinjer.")
    rows = store.db.execute("SELECT guideline_id, sum(useful), sum(1 - useful), count(comment) FROM feedback GROUP BY guideline_id")
    return {gid: (int(yes), int(no), int(comments)) for gid, yes, no, comments in rows}
