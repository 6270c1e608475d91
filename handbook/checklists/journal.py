"""A checklist run exported for the case journal: plain text to paste into the case system, and
a CSV with one row per applicable step (deadline, done, by whom, note)."""

from __future__ import annotations

import io
from datetime import datetime

from handbook.checklists.case import answer_label, phase_headings
from handbook.checklists.runs import Run
from handbook.dates.danish_time import csv_column, csv_moment
from handbook.dates.deadlines import day_flag, format_due, format_moment, remaining
from handbook.identity.auth import all_users
from handbook.privacy.csvsafe import SafeWriter
from handbook.store.database import Store


def display_names(store: Store) -> dict[str, str]:
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
        deadline = f" (frist {due_text(item.due, item.all_day)})" if item.due else ""
        if done:
            lines.append(f"[x] {step.title} – udført {format_moment(done.at)} af {names.get(done.by, done.by)}{deadline}")
            if done.note:
                lines.append(f"    Note: {done.note}")
        else:
            status = f" – {remaining(item.due, now).text}" if item.due else ""
            lines.append(f"[ ] {step.title}{deadline}{status}")
    return "\n".join(lines) + "\n"


def due_text(due: datetime, all_day: bool) -> str:
    """A deadline as text with its weekend or holiday flag, e.g. 'lør. 5. december 2026 kl. 15.00
    – weekend (lørdag)'."""
    flag = day_flag(due)
    return format_due(due, all_day) + (f" – {flag}" if flag else "")


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
    names = display_names(store)
    return journal_text(run, names, now), run_csv(run, names)

