"""Checklist runs: a checklist worked through for one case (or one new employee).

A run pins the checklist text it started with, records who ticked each step and when, and can be
exported as plain text for the case journal or as CSV. The optional reference and every note are
refused if they contain a CPR number. Runs older than the configured retention are deleted.
"""

from __future__ import annotations

import functools
import io
import json
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from handbook.privacy.csvsafe import SafeWriter
from handbook.identity.auth import PermissionDenied, User, all_users, require
from handbook.checklists.schema import NOT_RELEVANT, Checklist, ChecklistSet, Question, StepDue, answer_label, applies, decode_answers, encode_answers, parse_checklist_text, phase_headings, steps_with_deadlines
from handbook.dates.deadlines import EARLIEST_DATE, LATEST_DATE, as_copenhagen, day_flag, format_due, format_moment, remaining
from handbook.dates.danish_time import csv_column, csv_moment
from handbook.privacy.cpr import ensure_no_cpr
from handbook.checklists.corrections import StartCorrection, corrections_of, delete_orphans, record_correction
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


@dataclass
class Run:
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
        return steps_with_deadlines(self.checklist, self.start, self.answers, {k: v.at for k, v in self.done.items()})

    def progress(self) -> tuple[int, int]:
        applicable = self.steps()
        return sum(1 for s in applicable if s.step.id in self.done), len(applicable)

    def next_due(self) -> StepDue | None:
        """The open step with the earliest deadline (None when no open step has one)."""
        open_steps = [s for s in self.steps() if s.step.id not in self.done and s.due is not None]
        return min(open_steps, key=lambda s: s.due.astimezone(timezone.utc)) if open_steps else None

    def overdue(self, now: datetime) -> list[StepDue]:
        moment = now.astimezone(timezone.utc)
        return [s for s in self.steps() if s.step.id not in self.done and s.due is not None and s.due.astimezone(timezone.utc) < moment]

    def unanswered_steering(self) -> list[Question]:
        """Questions that switch steps or move deadlines and are neither answered nor marked
        'ikke relevant'; the run cannot be closed while there are any."""
        return [q for q in self.checklist.steering_questions() if self.answers.get(q.id) is None]

    @property
    def label(self) -> str:
        return f"{self.checklist.title}" + (f" · {self.reference}" if self.reference else "")


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
    require(user, "casework")
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
    require(user, "casework")
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
    if moment.astimezone(timezone.utc) == run.start.astimezone(timezone.utc):
        raise RunError("Det nye starttidspunkt er det samme som det nuværende.")
    record_correction(store, run_id, user.name, run.start, moment, reason)


def complete_step(store: Store, user: User | None, run_id: int, step_id: str, note: str = "", at: datetime | None = None) -> None:
    """Tick a step: who and when are recorded, with an optional note (no CPR numbers)."""
    run = _own(store, user, run_id)
    step = run.checklist.step(step_id)
    if step is None or not applies(step, run.answers):
        raise RunError(f"Trinnet '{step_id}' hører ikke til forløbet med de nuværende svar.")
    note = ensure_no_cpr(note.strip(), "Noten")
    if len(note) > MAX_NOTE:
        raise RunError(f"Noten må højst være {MAX_NOTE} tegn.")
    moment = as_copenhagen(at or datetime.now(timezone.utc))
    store.set_run_step({"run_id": run_id, "step_id": step_id, "done_at": moment.isoformat(), "done_by": user.name, "note": note})


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
    far = datetime.max.replace(tzinfo=timezone.utc)
    return sorted(runs, key=lambda r: (r.next_due().due.astimezone(timezone.utc) if r.next_due() else far, -r.id))


def newer_version(run: Run, checklists: ChecklistSet) -> str | None:
    """The version of the checklist now in use, if it differs from the run's."""
    current = checklists.get(run.checklist.id)
    return current.version if current is not None and current.version != run.checklist.version else None


def purge_expired(store: Store, retention_days: int, now: datetime | None = None) -> int:
    """Delete runs with no activity (start, tick, note, answer, closing) for more than
    retention_days; return how many."""
    limit = (now or datetime.now(timezone.utc)) - timedelta(days=retention_days)
    deleted = store.delete_runs_inactive_since(limit.astimezone(timezone.utc).isoformat())
    delete_orphans(store)
    return deleted


# -- exports --------------------------------------------------------------------------------------


def _names(store: Store) -> dict[str, str]:
    return {u.name: u.display_name for u in all_users(store)}


def journal_text(run: Run, names: dict[str, str], now: datetime) -> str:
    """The run as plain text to paste into the case journal: steps, deadlines, who and when."""
    checklist = run.checklist
    lines = [f"{checklist.title} (tjekliste version {checklist.version})"]
    if run.reference:
        lines.append(f"Reference: {run.reference}")
    lines.append(f"{checklist.start_label}: {format_moment(run.start)}")
    for correction in run.corrections:
        lines.append(f"Starttidspunktet rettet {format_moment(correction.at)} af {names.get(correction.by, correction.by)} fra {format_moment(correction.old_start)} til {format_moment(correction.new_start)}. Begrundelse: {correction.reason}")
    if checklist.questions:
        lines.append("")
        lines.append("Svar:")
        for question in checklist.questions:
            lines.append(f"- {question.label} {answer_label(question, run.answers.get(question.id))}")
    lines.append("")
    items = run.steps()
    for heading, item in zip(phase_headings([i.step for i in items]), items):
        step = item.step
        if heading:
            lines.append(f"{heading}:")
        done = run.done.get(step.id)
        deadline = f" (frist {due_text(item)})" if item.due else ""
        if done:
            lines.append(f"[x] {step.title} – udført {format_moment(done.at)} af {names.get(done.by, done.by)}{deadline}")
            if done.note:
                lines.append(f"    Note: {done.note}")
        else:
            status = f" – {remaining(item.due, now).text}" if item.due else ""
            lines.append(f"[ ] {step.title}{deadline}{status}")
    return "\n".join(lines) + "\n"


def due_text(item: StepDue) -> str:
    """A step's deadline as text with its weekend or holiday flag, e.g. 'lør. 5. december 2026
    kl. 15.00 – weekend (lørdag)'."""
    flag = day_flag(item.due)
    return format_due(item.due, item.all_day) + (f" – {flag}" if flag else "")


def run_csv(run: Run, names: dict[str, str]) -> str:
    """One row per applicable step: phase, step, deadline, done, by whom, note (semicolons)."""
    out = io.StringIO()
    writer = SafeWriter(out)
    writer.writerow(["tjekliste", "version", "reference", "fase", "trin", csv_column("frist"), csv_column("udført"), "udført_af", "note", "frist_advarsel"])
    for item in run.steps():
        done = run.done.get(item.step.id)
        writer.writerow(
            [
                run.checklist.id,
                run.checklist.version,
                run.reference,
                item.step.phase,
                item.step.title,
                csv_moment(item.due),
                csv_moment(done.at if done else None),
                names.get(done.by, done.by) if done else "",
                done.note if done else "",
                day_flag(item.due) if item.due else "",
            ]
        )
    return out.getvalue()


def exports(store: Store, run: Run, now: datetime) -> tuple[str, str]:
    """The journal text and the CSV of a run, with display names for who ticked what."""
    names = _names(store)
    return journal_text(run, names, now), run_csv(run, names)


# -- for leaders ----------------------------------------------------------------------------------


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
    for row in store.runs(open_only=True):
        run = _run(row, store.run_steps(row["id"]))
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


def onboarding_progress(store: Store, actor: User | None, now: datetime) -> list[OnboardingProgress]:
    """For leaders: each new employee's introduction plan, how far they are and what is next."""
    require(actor, "reports")
    names = _names(store)
    progress = []
    for row in store.runs(open_only=False):
        run = _run(row, store.run_steps(row["id"]))
        if not run.checklist.onboarding:
            continue
        done, total = run.progress()
        progress.append(OnboardingProgress(names.get(run.owner, run.owner), run.checklist.title, run.start, done, total, run.next_due(), len(run.overdue(now))))
    return sorted(progress, key=lambda p: p.employee)
