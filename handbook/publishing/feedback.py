""""Var siden nyttig?": a yes or no on a guideline with an optional comment. Who gave it is not
stored. Comments are checked for CPR numbers and deleted after the retention period (the yes/no
counts stay); the guideline's owners and leaders see the feedback."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import cast

from handbook.content.guideline import Guideline
from handbook.identity.auth import PermissionDenied, User
from handbook.privacy.cpr import ensure_no_cpr
from handbook.publishing.ownership import is_owner
from handbook.store.database import Store, utc_now

MAX_COMMENT = 1000


@dataclass(frozen=True)
class FeedbackSummary:
    useful: int
    not_useful: int
    comments: list[tuple[str, bool, str, str]]  # (date, useful, version, comment), newest first


def give_feedback(store: Store, guideline_id: str, version: str, useful: bool, comment: str = "") -> int:
    """Record a yes/no (anyone may give it); a comment with a CPR number is refused."""
    comment = ensure_no_cpr(comment.strip(), "Kommentaren")
    if len(comment) > MAX_COMMENT:
        raise ValueError(f"Kommentaren må højst være {MAX_COMMENT} tegn (den er {len(comment)}).")
    with store.write() as db:
        given = db.table("feedback").insert({"guideline_id": guideline_id, "version": version, "useful": int(useful), "comment": comment or None, "created_at": utc_now()})
        return cast(int, given.last_pk)  # sqlite-utils sets last_pk on every insert; None only before one


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
