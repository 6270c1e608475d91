"""The modtageteam's screening of an underretning: the 24-hour assessment deadline, and the acute
path (with its checklist and guideline) when there are signs of violence or abuse."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from handbook.checklists.model import Checklist
from handbook.checklists.schema import ChecklistSet
from handbook.content.guideline import Guideline
from handbook.content.library import Library
from handbook.dates.deadlines import due_at, format_moment, remaining

ACUTE_CHECKLIST = "underretning"
ACUTE_GUIDELINE = "underretninger"


@dataclass(frozen=True)
class IntakeStatus:
    due: datetime
    remaining_text: str
    overdue: bool
    colour: str
    acute: bool


def intake_status(received: datetime, violence_or_abuse: bool, now: datetime) -> IntakeStatus:
    """The 24-hour assessment deadline of an underretning and whether the acute path applies."""
    due = due_at(received, "24 timer")
    state = remaining(due, now)
    return IntakeStatus(due, state.text, state.overdue, state.colour, violence_or_abuse)


@dataclass(frozen=True)
class Intake:
    """What the modtageteam tab shows for an underretning."""

    received: datetime
    status: IntakeStatus
    due_text: str
    checklist: Checklist | None  # the acute path's checklist, when the path applies
    guideline: Guideline | None  # the acute path's guideline, when the path applies


def intake(received_day: date, received_time: time, violence_or_abuse: bool, now: datetime, checklists: ChecklistSet, library: Library) -> Intake:
    """The deadline of an underretning received at that day and time, and the acute path."""
    received = datetime.combine(received_day, received_time)
    status = intake_status(received, violence_or_abuse, now)
    acute = status.acute
    return Intake(
        received,
        status,
        format_moment(status.due),
        checklists.get(ACUTE_CHECKLIST) if acute else None,
        library.get(ACUTE_GUIDELINE) if acute else None,
    )
