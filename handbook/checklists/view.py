"""What the checklist pages show, each as one value built by one call: a run (`run_view`), the
list of checklists with my open runs (`checklists_overview`) and a checklist before a run is
started (`preview`). A page gathers input and renders such a value; it does not compute deadlines,
read the store or parse checklists itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from handbook.checklists.afterhours import AfterHours
from handbook.checklists.case import StepDue, condition_text, due_rule_text, holds, phase_headings, rule_text
from handbook.checklists.journal import display_names, journal_text, run_csv
from handbook.checklists.model import Checklist, Question, Step
from handbook.checklists.runs import Run, RunError, StepDone, get_run, newer_version, runs_of
from handbook.checklists.schema import ChecklistSet
from handbook.content.guideline import Guideline
from handbook.content.library import Library
from handbook.content.render import guideline_url, render_body
from handbook.dates.deadlines import DueLabel, due_label, format_moment
from handbook.identity.auth import User
from handbook.problems import ContentProblem
from handbook.store.database import Store


class RunUnavailable(RunError):
    """The run does not exist (any more) or is not the user's: the page says so instead."""


RUN_MISSING = "Forløb nr. {run_id} findes ikke. Det kan være slettet, fordi opbevaringsperioden er udløbet."
NOT_YOURS = "Forløbet tilhører en anden medarbejder, eller du er ikke logget ind."


def shows_after_hours(checklist: Checklist, answers: Mapping[str, Any], received: datetime, hours: AfterHours) -> bool:
    """Whether the after-hours guidance shows: the checklist asks for it with these answers (an
    akut underretning) and the case started outside the opening hours."""
    return checklist.after_hours is not None and holds(checklist.after_hours, dict(answers)) and hours.outside(received)


@dataclass(frozen=True)
class Guide:
    """A step's guidance: its help text as HTML (its [tekst](id) links reach the guideline) and its
    legal references and guideline link as Markdown ('' where there is none)."""

    help_html: str
    links: str


def guide(step: Step, library: Library) -> Guide:
    help_html = render_body(step.help, known_ids=frozenset(library.guidelines)).html if step.help else ""
    parts = [" · ".join(step.legal_refs)] if step.legal_refs else []
    guideline = library.get(step.guideline_id) if step.guideline else None
    if guideline is not None:
        parts.append(f"[{guideline.title}{' – afsnit' if step.anchor else ''}]({guideline_url(guideline.id, step.anchor)})")
    return Guide(help_html, " · ".join(parts))


# -- a run ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StepView:
    step: Step
    heading: str  # the phase heading to show before the step ('' while the phase continues)
    guide: Guide
    due: DueLabel | None  # None: no deadline, or it counts from something not known yet
    pending: str  # the rule in words while its deadline cannot be computed yet, else ''
    done: StepDone | None = None  # when the step was ticked, by whom (login name) and the note
    done_at: str = ""  # when, in Danish
    done_by: str = ""  # who, by display name
    starts: str = ""  # the title of the checklist this step starts ('' when none, or it is not bundled now)


@dataclass(frozen=True)
class CorrectionView:
    at: str
    by: str  # display name
    old_start: str
    new_start: str
    reason: str


@dataclass(frozen=True)
class RunView:
    """Everything the run page shows, as of one moment."""

    id: int
    checklist: Checklist  # the version the run started with: questions, start label, title
    reference: str
    start: datetime
    start_text: str
    corrections: tuple[CorrectionView, ...]
    closed: str  # when the run was closed, '' while it is open
    newer_version: str | None  # the version now in use when it differs from the run's
    after_hours: bool
    answers: Mapping[str, Any]
    steering: frozenset[str]  # the questions that may be marked "ikke relevant"
    steps: tuple[StepView, ...]
    missing: tuple[Question, ...]  # unanswered steering questions: the run cannot be closed yet
    journal: str
    csv: str

    @property
    def overdue(self) -> list[StepView]:
        return [s for s in self.steps if s.done is None and s.due is not None and s.due.overdue]

    @property
    def file_stem(self) -> str:
        return f"tjekliste-{self.checklist.id}-{self.id}"


def run_view(store: Store, checklists: ChecklistSet, library: Library, run_id: int, user: User | None, now: datetime, hours: AfterHours) -> RunView:
    """The run as its owner sees it at now, with links into the library and the after-hours
    guidance by the opening hours; RunUnavailable (a Danish message) when it does not exist or is
    not the user's."""
    run = get_run(store, run_id)
    if run is None:
        raise RunUnavailable(RUN_MISSING.format(run_id=run_id))
    if user is None or run.owner != user.name:
        raise RunUnavailable(NOT_YOURS)
    names = display_names(store)
    items = run.steps()
    checklist = run.checklist
    return RunView(
        id=run.id,
        checklist=checklist,
        reference=run.reference,
        start=run.start,
        start_text=format_moment(run.start),
        corrections=tuple(
            CorrectionView(format_moment(c.at), names.get(c.by, c.by), format_moment(c.old_start), format_moment(c.new_start), c.reason) for c in run.corrections
        ),
        closed=format_moment(run.closed_at) if run.closed_at else "",
        newer_version=newer_version(run, checklists),
        after_hours=shows_after_hours(checklist, run.answers, run.start, hours),
        answers=dict(run.answers),
        steering=frozenset(q.id for q in checklist.steering_questions()),
        steps=tuple(
            _step_view(run, item, heading, guide(item.step, library), names, now, checklists)
            for heading, item in zip(phase_headings([i.step for i in items]), items)
        ),
        missing=tuple(run.unanswered_steering()),
        journal=journal_text(run, names, now),
        csv=run_csv(run, names),
    )


def _step_view(run: Run, item: StepDue, heading: str, step_guide: Guide, names: dict[str, str], now: datetime, checklists: ChecklistSet) -> StepView:
    step = item.step
    due = due_label(item.due, item.all_day, now) if item.due is not None else None
    pending = rule_text(run.checklist, step.due) if step.due is not None and item.due is None else ""
    target = checklists.get(step.starts) if step.starts else None
    starts = target.title if target is not None else ""
    done = run.done.get(step.id)
    if done is None:
        return StepView(step, heading, step_guide, due, pending, starts=starts)
    return StepView(step, heading, step_guide, due, pending, done, format_moment(done.at), names.get(done.by, done.by), starts)


# -- the list of checklists -----------------------------------------------------------------------


@dataclass(frozen=True)
class RunSummary:
    id: int
    label: str  # the checklist's title and the reference
    started: str  # e.g. 'Underretning modtaget fre. 4. december 2026 kl. 15.00'
    done: int
    total: int
    next_step: str  # the open step with the earliest deadline, '' when none has one
    next_due: DueLabel | None


@dataclass(frozen=True)
class CatalogueEntry:
    checklist: Checklist
    guideline: Guideline | None  # the guideline it follows, when it is in the library


@dataclass(frozen=True)
class ChecklistsOverview:
    my_runs: tuple[RunSummary, ...] | None  # None without a user; the most urgent first
    groups: tuple[tuple[str, tuple[CatalogueEntry, ...]], ...]  # (heading, checklists), empty groups left out
    problems: tuple[ContentProblem, ...]


def checklists_overview(store: Store, checklists: ChecklistSet, library: Library, user: User | None, now: datetime) -> ChecklistsOverview:
    """The bundled checklists (case work, then onboarding) and the user's open runs."""
    entries = [CatalogueEntry(c, library.get(c.guideline)) for c in checklists.all()]
    groups = (("Sagsforløb", tuple(e for e in entries if not e.checklist.onboarding)), ("For nye medarbejdere", tuple(e for e in entries if e.checklist.onboarding)))
    my_runs = tuple(_summary(run, now) for run in runs_of(store, user)) if user is not None else None
    return ChecklistsOverview(my_runs, tuple(g for g in groups if g[1]), tuple(checklists.problems))


def _summary(run: Run, now: datetime) -> RunSummary:
    done, total = run.progress()
    item = run.next_due()
    started = f"{run.checklist.start_label} {format_moment(run.start)}"
    if item is None or item.due is None:
        return RunSummary(run.id, run.label, started, done, total, "", None)
    return RunSummary(run.id, run.label, started, done, total, item.step.title, due_label(item.due, item.all_day, now))


# -- a checklist before a run ---------------------------------------------------------------------


@dataclass(frozen=True)
class PreviewStep:
    step: Step
    heading: str  # the phase heading to show before the step ('' while the phase continues)
    title: str  # numbered, with its condition, e.g. '2. Handl straks – kun hvis: Er underretningen akut? Ja'
    guide: Guide
    caption: str  # the deadline rule in words and the links, e.g. 'Frist: 24 timer efter underretning modtaget · Barnets lov § 133'


@dataclass(frozen=True)
class ChecklistPreview:
    checklist: Checklist
    guideline: Guideline | None  # the guideline it follows, when it is in the library
    steps: tuple[PreviewStep, ...]


def preview(checklist: Checklist, library: Library) -> ChecklistPreview:
    """The checklist before a run: every step numbered, with its condition, guidance and deadline
    rule in words."""
    steps = list(checklist.steps)
    result = []
    for number, (heading, step) in enumerate(zip(phase_headings(steps), steps), start=1):
        condition = condition_text(checklist, step)
        title = f"{number}. {step.title}" + (f" – kun hvis: {condition}" if condition else "")
        step_guide = guide(step, library)
        result.append(PreviewStep(step, heading, title, step_guide, " · ".join(filter(None, [due_rule_text(checklist, step), step_guide.links]))))
    return ChecklistPreview(checklist, library.get(checklist.guideline), tuple(result))
