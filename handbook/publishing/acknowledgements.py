"""Read acknowledgements ("Jeg har læst version X"), what is new for a user since they last
acknowledged, the leaders' overview of who has read the current version, and review dates due.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, timedelta

from handbook.content.guideline import Guideline
from handbook.content.library import Library
from handbook.dates.danish_time import csv_column, csv_moment
from handbook.identity.auth import User, all_users, require
from handbook.privacy.csvsafe import SafeWriter
from handbook.publishing.revisions import Revision, in_force
from handbook.store.database import Store, utc_now

REVIEW_WINDOW_DAYS = 30


def acknowledge(store: Store, user: User | None, revision: Revision) -> None:
    """Record that user has read revision (idempotent)."""
    user = require(user, "acknowledge")
    with store.write() as db:
        store.acknowledge(db, {"user": user.name, "guideline_id": revision.guideline_id, "revision_id": revision.id, "version": revision.version, "at": utc_now()})


@dataclass(frozen=True)
class NewsItem:
    """A guideline whose version in force the user has not acknowledged."""

    guideline: Guideline
    current: Revision
    compare_to: Revision | None  # the version the user last acknowledged, else the previous one (None: a new guideline)
    acknowledged_before: bool


def news_for(store: Store, user: User, library: Library, revisions: dict[str, list[Revision]], day: date, joined: str) -> list[NewsItem]:
    """Guidelines changed since the user last acknowledged them, and guidelines published (new,
    or in a new version) after the user joined that they have not acknowledged; newest first."""
    acknowledged: dict[str, set[int]] = {}
    for row in store.acknowledgements(user=user.name):
        acknowledged.setdefault(row["guideline_id"], set()).add(row["revision_id"])
    # The first load of the content is the handbook as it was when the portal started, not news.
    first_load = min((r.published_at.isoformat() for history in revisions.values() for r in history), default="")
    joined = max(joined, first_load)
    items = []
    for guideline in library.all():
        history = revisions.get(guideline.id, [])
        current = in_force(history, day)
        if current is None or current.id in acknowledged.get(guideline.id, set()):
            continue
        read = [r for r in history if r.id in acknowledged.get(guideline.id, set())]
        if read:
            items.append(NewsItem(guideline, current, max(read, key=lambda r: r.id), True))
            continue
        if current.published_at.isoformat() <= joined:
            continue
        earlier = [r for r in history if r.id != current.id and not r.retired and (r.effective, r.published_at) <= (current.effective, current.published_at)]
        previous = max(earlier, key=lambda r: (r.effective, r.published_at)) if earlier else None
        items.append(NewsItem(guideline, current, previous, False))
    return sorted(items, key=lambda item: (item.current.effective, item.current.published_at), reverse=True)


def unacknowledged(store: Store, user: User, library: Library, revisions: dict[str, list[Revision]], day: date) -> list[Guideline]:
    """Every guideline in force whose current version the user has not acknowledged."""
    read = {row["revision_id"] for row in store.acknowledgements(user=user.name)}
    return [g for g in library.all() if (r := in_force(revisions.get(g.id, []), day)) is not None and r.id not in read]


@dataclass(frozen=True)
class ReadingStatus:
    """Who has and has not acknowledged the version in force of one guideline."""

    guideline: Guideline
    revision: Revision
    read: list[tuple[User, str]]  # (user, when)
    not_read: list[User]

    @property
    def share(self) -> float:
        total = len(self.read) + len(self.not_read)
        return len(self.read) / total if total else 0.0


def reading_status(store: Store, actor: User | None, library: Library, revisions: dict[str, list[Revision]], day: date) -> list[ReadingStatus]:
    """For leaders: per guideline, who has read the current version (share and names)."""
    actor = require(actor, "reports")
    users = all_users(store)
    by_revision: dict[int, dict[str, str]] = {}
    for row in store.acknowledgements():
        by_revision.setdefault(row["revision_id"], {})[row["user"]] = row["at"]
    statuses = []
    for guideline in library.all():
        current = in_force(revisions.get(guideline.id, []), day)
        if current is None:
            continue
        readers = by_revision.get(current.id, {})
        statuses.append(
            ReadingStatus(
                guideline,
                current,
                [(u, readers[u.name]) for u in users if u.name in readers],
                [u for u in users if u.name not in readers],
            )
        )
    return statuses


def reading_status_csv(statuses: list[ReadingStatus]) -> str:
    """One row per guideline and user: whether and when they acknowledged the current version."""
    out = io.StringIO()
    writer = SafeWriter(out)
    writer.writerow(["retningslinje", "titel", "version", "bruger", "navn", "rolle", "kvitteret", csv_column("tidspunkt")])
    for status in statuses:
        for user, at in status.read:
            writer.writerow([status.guideline.id, status.guideline.title, status.revision.version, user.name, user.display_name, user.role, "ja", csv_moment(at)])
        for user in status.not_read:
            writer.writerow([status.guideline.id, status.guideline.title, status.revision.version, user.name, user.display_name, user.role, "nej", ""])
    return out.getvalue()


@dataclass(frozen=True)
class ReviewDue:
    guideline: Guideline
    days_left: int  # negative when the review date has passed

    @property
    def overdue(self) -> bool:
        return self.days_left < 0


def review_due(library: Library, day: date, within_days: int = REVIEW_WINDOW_DAYS) -> list[ReviewDue]:
    """Guidelines whose review_by has passed or falls within the window, most urgent first."""
    limit = day + timedelta(days=within_days)
    due = [ReviewDue(g, (g.review_by - day).days) for g in library.all() if g.review_by is not None and g.review_by <= limit]
    return sorted(due, key=lambda item: (item.days_left, item.guideline.title))


@dataclass(frozen=True)
class ReadingPlan:
    """What a user has still to read: required reading for their role first, then the rest in
    the order of the case flow (sagsskridt), then by title."""

    required: list[Guideline]
    rest: list[Guideline]
    has_acknowledged: bool  # False for a user who has not acknowledged anything yet (new)

    @property
    def empty(self) -> bool:
        return not self.required and not self.rest


def reading_plan(store: Store, user: User, library: Library, revisions: dict[str, list[Revision]], day: date, required_ids: set[str], leave_out: set[str]) -> ReadingPlan:
    """The guidelines in force the user has not acknowledged (except leave_out, shown as news)."""
    unread = [g for g in unacknowledged(store, user, library, revisions, day) if g.id not in leave_out]
    unread.sort(key=lambda g: (g.sagsskridt is None, g.sagsskridt or 0, g.title))
    return ReadingPlan(
        required=[g for g in unread if g.id in required_ids],
        rest=[g for g in unread if g.id not in required_ids],
        has_acknowledged=bool(store.acknowledgements(user=user.name)),
    )
