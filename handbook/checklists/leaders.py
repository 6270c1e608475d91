"""For leaders: anonymous counts of overdue steps per checklist, and each new employee's
introduction plan, as the overview page shows them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from handbook.checklists.case import StepDue
from handbook.checklists.journal import display_names
from handbook.checklists.runs import Run, all_runs
from handbook.content.render import format_date
from handbook.dates.deadlines import DueLabel, due_label
from handbook.identity.auth import User, require
from handbook.store.database import Store


@dataclass(frozen=True)
class OverdueCount:
    checklist_title: str
    open_runs: int
    overdue_steps: int
    runs_with_overdue: int


def overdue_counts(store: Store, actor: User | None, now: datetime) -> list[OverdueCount]:
    """Anonymous counts per checklist of open runs and overdue steps (no references, no names)."""
    require(actor, "reports")
    by_checklist: dict[str, list[Run]] = {}
    for run in all_runs(store, open_only=True):
        if not run.checklist.onboarding:
            by_checklist.setdefault(run.checklist.title, []).append(run)
    return [
        OverdueCount(title, len(runs), sum(len(r.overdue(now)) for r in runs), sum(1 for r in runs if r.overdue(now)))
        for title, runs in sorted(by_checklist.items())
    ]


@dataclass(frozen=True)
class OnboardingProgress:
    employee: str
    checklist_title: str
    started: datetime
    done: int
    total: int
    next_due: StepDue | None
    overdue: int
    next_label: DueLabel | None = None  # the next deadline as it stands at the moment asked

    @property
    def started_text(self) -> str:
        return format_date(self.started.date())


def onboarding_progress(store: Store, actor: User | None, now: datetime) -> list[OnboardingProgress]:
    """For leaders: each new employee's introduction plan, how far they are and what is next.
    Redaktører and administrators see everyone; a leder sees the members of their own teams."""
    actor = _leader(actor)
    members = None if actor.can("reports") else {m for team in store.teams_of(actor.name) for m in store.team_members(team)}
    names = display_names(store)
    progress = []
    for run in all_runs(store, open_only=False):
        if not run.checklist.onboarding or (members is not None and run.owner not in members):
            continue
        done, total = run.progress()
        item = run.next_due()
        label = due_label(item.due, item.all_day, now) if item is not None and item.due is not None else None
        progress.append(OnboardingProgress(names.get(run.owner, run.owner), run.checklist.title, run.start, done, total, item, len(run.overdue(now)), label))
    return sorted(progress, key=lambda p: p.employee)


def _leader(actor: User | None) -> User:
    """A user with the reports permission (redaktør, admin) or a leder (the tilsyn permission)."""
    if actor is not None and actor.can("tilsyn") and not actor.can("reports"):
        return actor
    return require(actor, "reports")


@dataclass(frozen=True)
class LeadersOverview:
    counts: list[OverdueCount] | None  # None for a leder: the counts across the department are the editors'
    onboarding: list[OnboardingProgress]


def leaders_overview(store: Store, actor: User | None, now: datetime) -> LeadersOverview:
    """What the leaders' overview page shows; PermissionDenied for a user who is neither a leder
    nor has the reports permission."""
    actor = _leader(actor)
    counts = overdue_counts(store, actor, now) if actor.can("reports") else None
    return LeadersOverview(counts, onboarding_progress(store, actor, now))

