"""Checklist runs: a checklist worked through for one case (or one new employee).

A run pins the checklist text it started with (parsed once per process and text) and records who
ticked each step and when; handbook.checklists.journal exports it for the case journal. The
optional reference and every note are refused if they contain a CPR number. Runs older than the
configured retention are deleted.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from handbook.checklists.case import StepDue, applies, decode_answers, encode_answers, steps_with_deadlines
from handbook.checklists.corrections import StartCorrection, corrections_of, delete_orphans, record_correction
from handbook.checklists.model import NOT_RELEVANT, Checklist, Question
from handbook.checklists.schema import ChecklistSet, parse_checklist_text
from handbook.dates.deadlines import EARLIEST_DATE, LATEST_DATE, as_copenhagen
from handbook.identity.auth import PermissionDenied, User, require
from handbook.privacy.cpr import ensure_no_cpr
from handbook.store.database import Store, utc_now

MAX_REFERENCE = 80
MAX_NOTE = 2000
MAX_REASON = 300


class RunError(Exception):
    """A run step that cannot be taken, with a Danish message."""


@dataclass(frozen=True)
class StepDone:
    at: datetime
    by: str
    note: str


@dataclass(frozen=True)
class Run:
    """A run as read from the store: a snapshot, so its steps and deadlines are computed once."""

    id: int
    checklist: Checklist  # the version the run started with
    reference: str
    start: datetime
    answers: dict[str, Any]
    owner: str
    created_at: datetime
    closed_at: datetime | None
    done: dict[str, StepDone] = field(default_factory=dict)
    corrections: list[StartCorrection] = field(default_factory=list)

    def steps(self) -> list[StepDue]:
        """The steps that apply with the current answers, with deadlines."""
        return list(self._steps)

    @functools.cached_property
    def _steps(self) -> tuple[StepDue, ...]:
        return tuple(steps_with_deadlines(self.checklist, self.start, self.answers, {k: v.at for k, v in self.done.items()}))

    def progress(self) -> tuple[int, int]:
        applicable = self.steps()
        return sum(1 for s in applicable if s.step.id in self.done), len(applicable)

    def next_due(self) -> StepDue | None:
        """The open step with the earliest deadline (None when no open step has one)."""
        open_steps = [s for s in self.steps() if s.step.id not in self.done and s.due is not None]
        return min(open_steps, key=_due_key) if open_steps else None

    def overdue(self, now: datetime) -> list[StepDue]:
        moment = now.astimezone(UTC)
        return [s for s in self.steps() if s.step.id not in self.done and s.due is not None and s.due.astimezone(UTC) < moment]

    def unanswered_steering(self) -> list[Question]:
        """Questions that switch steps or move deadlines and are neither answered nor marked
        'ikke relevant'; the run cannot be closed while there are any."""
        return [q for q in self.checklist.steering_questions() if self.answers.get(q.id) is None]

    @property
    def label(self) -> str:
        return f"{self.checklist.title}" + (f" · {self.reference}" if self.reference else "")


def _due_key(item: StepDue | None) -> datetime:
    """A step's deadline in real time for sorting; no step or no deadline sorts last."""
    return item.due.astimezone(UTC) if item is not None and item.due is not None else datetime.max.replace(tzinfo=UTC)


@functools.lru_cache(maxsize=128)
def _pinned_checklist(text: str, checklist_id: str) -> tuple[Checklist | None, tuple]:
    """A run's pinned checklist text, parsed once per process: runs of the same version share
    it (Checklist is immutable), so a list of many runs does not parse the same YAML each time."""
    checklist, problems = parse_checklist_text(text, Path(f"{checklist_id}.yaml"))
    return checklist, tuple(problems)


def _run(row: dict, steps: list[dict], corrections: list[StartCorrection] | None = None) -> Run:
    checklist, problems = _pinned_checklist(row["checklist_text"], row["checklist_id"])
    if checklist is None:  # the pinned text passed validation when the run started
        raise RunError(f"Tjeklisten i forløb {row['id']} kan ikke læses: {problems[0].message}")
    return Run(
        id=row["id"],
        checklist=checklist,
        reference=row["reference"] or "",
        start=datetime.fromisoformat(row["start_at"]),
        answers=decode_answers(checklist, json.loads(row["answers"] or "{}")),
        owner=row["owner"],
        created_at=datetime.fromisoformat(row["created_at"]),
        closed_at=datetime.fromisoformat(row["closed_at"]) if row["closed_at"] else None,
        done={s["step_id"]: StepDone(datetime.fromisoformat(s["done_at"]), s["done_by"], s["note"] or "") for s in steps},
        corrections=corrections or [],
    )


def get_run(store: Store, run_id: int) -> Run | None:
    row = store.run(run_id)
    return _run(row, store.run_steps(run_id), corrections_of(store, run_id)) if row else None


def start_run(store: Store, user: User | None, checklist: Checklist, start: datetime, reference: str = "", answers: dict[str, Any] | None = None) -> int:
    """Start a run of checklist for a case that started at start (naive = Danish time)."""
    user = require(user, "casework")
    reference = ensure_no_cpr(reference.strip(), "Referencen")
    if len(reference) > MAX_REFERENCE:
        raise RunError(f"Referencen må højst være {MAX_REFERENCE} tegn (fx sagsnummeret).")
    return store.insert_run(
        {
            "checklist_id": checklist.id,
            "checklist_version": checklist.version,
            "checklist_text": checklist.text,
            "reference": reference,
            "start_at": as_copenhagen(start).isoformat(),
            "answers": json.dumps(encode_answers(_checked_answers(checklist, answers or {})), ensure_ascii=False),
            "owner": user.name,
            "created_at": utc_now(),
            "closed_at": None,
        }
    )


def start_follow_on(store: Store, user: User | None, run_id: int, step_id: str, checklists: ChecklistSet) -> int:
    """Start the checklist that a step of the run leads to (its `starts`), for the same case: the
    same start time and reference, and the answers to questions both checklists ask. A follow-on
    run the user already has open for the same case is reused, so a second click starts nothing."""
    user = require(user, "casework")
    run = get_run(store, run_id)
    if run is None or run.owner != user.name:
        raise RunError("Forløbet findes ikke, eller det tilhører en anden medarbejder.")
    step = run.checklist.step(step_id)
    target = checklists.get(step.starts) if step is not None and step.starts else None
    if target is None:
        raise RunError("Tjeklisten, som trinnet fører til, findes ikke i Håndbogen lige nu.")
    for other in runs_of(store, user):
        if other.checklist.id == target.id and other.start == run.start and other.reference == run.reference:
            return other.id
    answers = {}
    for question in target.questions:
        mine = run.checklist.question(question.id)
        value = run.answers.get(question.id)
        if mine is not None and mine.type == question.type and value is not None and value != NOT_RELEVANT:
            if question.type != "choice" or value in question.options:
                answers[question.id] = value
    return start_run(store, user, target, run.start, run.reference, answers)


def _checked_answers(checklist: Checklist, answers: dict[str, Any]) -> dict[str, Any]:
    checked = {}
    for qid, value in answers.items():
        question = checklist.question(qid)
        if question is None:
            raise RunError(f"Tjeklisten har intet spørgsmål '{qid}'.")
        if value is None:
            continue
        wrong = {
            "bool": not isinstance(value, bool),
            "choice": value not in question.options,
            "date": not isinstance(value, date) or isinstance(value, datetime) or not EARLIEST_DATE <= value <= LATEST_DATE,
        }[question.type]
        if wrong and value != NOT_RELEVANT:
            raise RunError(f"Ugyldigt svar på »{question.label}«.")
        checked[qid] = value
    return checked


def _own(store: Store, user: User | None, run_id: int) -> Run:
    """The run, when the user is a caseworker and owns it (so run.owner is the user's name)."""
    user = require(user, "casework")
    run = get_run(store, run_id)
    if run is None:
        raise RunError(f"Forløb nr. {run_id} findes ikke (det kan være slettet efter opbevaringsperioden).")
    if run.owner != user.name:
        raise PermissionDenied("Forløbet tilhører en anden medarbejder.")
    return run


def set_answers(store: Store, user: User | None, run_id: int, answers: dict[str, Any]) -> None:
    run = _own(store, user, run_id)
    store.update_run(run_id, {"answers": json.dumps(encode_answers(_checked_answers(run.checklist, answers)), ensure_ascii=False)})


def correct_start(store: Store, user: User | None, run_id: int, new_start: datetime, reason: str) -> None:
    """Correct the start time of a run (naive = Danish time): every deadline counted from the
    start moves with it. The reason is required, checked for CPR numbers and logged with the
    old and the new time."""
    run = _own(store, user, run_id)
    reason = ensure_no_cpr(reason.strip(), "Begrundelsen")
    if not reason:
        raise RunError("Skriv en begrundelse for rettelsen, fx 'Underretningen kom kl. 9.12, ikke da jeg startede tjeklisten'.")
    if len(reason) > MAX_REASON:
        raise RunError(f"Begrundelsen må højst være {MAX_REASON} tegn.")
    moment = as_copenhagen(new_start)
    if moment.astimezone(UTC) == run.start.astimezone(UTC):
        raise RunError("Det nye starttidspunkt er det samme som det nuværende.")
    record_correction(store, run_id, run.owner, run.start, moment, reason)


def complete_step(store: Store, user: User | None, run_id: int, step_id: str, note: str = "", at: datetime | None = None) -> None:
    """Tick a step: who and when are recorded, with an optional note (no CPR numbers)."""
    run = _own(store, user, run_id)
    step = run.checklist.step(step_id)
    if step is None or not applies(step, run.answers):
        raise RunError(f"Trinnet '{step_id}' hører ikke til forløbet med de nuværende svar.")
    note = ensure_no_cpr(note.strip(), "Noten")
    if len(note) > MAX_NOTE:
        raise RunError(f"Noten må højst være {MAX_NOTE} tegn.")
    moment = as_copenhagen(at or datetime.now(UTC))
    store.set_run_step({"run_id": run_id, "step_id": step_id, "done_at": moment.isoformat(), "done_by": run.owner, "note": note})


def reopen_step(store: Store, user: User | None, run_id: int, step_id: str) -> None:
    _own(store, user, run_id)
    store.delete_run_step(run_id, step_id)


def close_run(store: Store, user: User | None, run_id: int) -> None:
    """Close a run; refused while a question that steers steps or deadlines is unanswered."""
    run = _own(store, user, run_id)
    missing = run.unanswered_steering()
    if missing:
        names = "; ".join(f"»{q.label}«" for q in missing)
        raise RunError(f"Forløbet kan ikke afsluttes, før disse spørgsmål er besvaret eller markeret »Ikke relevant«: {names}. De afgør, hvilke trin og frister der gælder.")
    store.update_run(run_id, {"closed_at": utc_now()})


def runs_of(store: Store, user: User, open_only: bool = True) -> list[Run]:
    """A user's runs, the most urgent (earliest next deadline) first."""
    runs = [_run(row, store.run_steps(row["id"]), corrections_of(store, row["id"])) for row in store.runs(owner=user.name, open_only=open_only)]
    return sorted(runs, key=lambda r: (_due_key(r.next_due()), -r.id))


def all_runs(store: Store, open_only: bool) -> list[Run]:
    """Every user's runs, for the leaders' anonymous counts (without the start corrections)."""
    return [_run(row, store.run_steps(row["id"])) for row in store.runs(open_only=open_only)]


def newer_version(run: Run, checklists: ChecklistSet) -> str | None:
    """The version of the checklist now in use, if it differs from the run's."""
    current = checklists.get(run.checklist.id)
    return current.version if current is not None and current.version != run.checklist.version else None


def purge_expired(store: Store, retention_days: int, now: datetime | None = None) -> int:
    """Delete runs with no activity (start, tick, note, answer, closing) for more than
    retention_days; return how many."""
    limit = (now or datetime.now(UTC)) - timedelta(days=retention_days)
    deleted = store.delete_runs_inactive_since(limit.astimezone(UTC).isoformat())
    delete_orphans(store)
    return deleted

