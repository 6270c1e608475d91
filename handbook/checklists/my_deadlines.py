""""Mine frister": every open deadline in a user's open runs, grouped as overdue, the next 14
days and later, and the same deadlines as an iCalendar file for Outlook.

The calendar carries the run's reference, the checklist and the step, never notes or answers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from icalendar import Calendar, Event

from handbook.checklists.runs import runs_of
from handbook.dates.deadlines import DueLabel, as_copenhagen, day_flag, due_label
from handbook.identity.auth import User
from handbook.store.database import Store

SOON_DAYS = 14


@dataclass(frozen=True)
class DeadlineItem:
    run_id: int
    reference: str
    checklist_title: str
    step_id: str
    step_title: str
    due: datetime
    all_day: bool
    label: DueLabel  # as it stands at the moment asked

    @property
    def flag(self) -> str:
        return day_flag(self.due)

    @property
    def summary(self) -> str:
        return f"Frist: {self.step_title}" + (f" · {self.reference}" if self.reference else "")


@dataclass(frozen=True)
class Overview:
    overdue: list[DeadlineItem]
    soon: list[DeadlineItem]
    later: list[DeadlineItem]
    calendar: bytes  # every deadline as an iCalendar file (icalendar_bytes)

    def all(self) -> list[DeadlineItem]:
        return self.overdue + self.soon + self.later


def my_deadlines(store: Store, user: User, now: datetime) -> Overview:
    """The open steps with a deadline in the user's open runs, earliest first, and the calendar file."""
    items = [
        DeadlineItem(run.id, run.reference, run.checklist.title, s.step.id, s.step.title, s.due, s.all_day, due_label(s.due, s.all_day, now))
        for run in runs_of(store, user)
        for s in run.steps()
        if s.due is not None and s.step.id not in run.done
    ]
    items.sort(key=lambda i: (i.due.astimezone(UTC), i.run_id))
    moment = now.astimezone(UTC)
    limit = moment + timedelta(days=SOON_DAYS)
    overdue: list[DeadlineItem] = []
    soon: list[DeadlineItem] = []
    later: list[DeadlineItem] = []
    for item in items:
        due = item.due.astimezone(UTC)
        (overdue if due < moment else soon if due <= limit else later).append(item)
    return Overview(overdue, soon, later, icalendar_bytes(items, now))


def icalendar_bytes(items: list[DeadlineItem], now: datetime) -> bytes:
    """The deadlines as an iCalendar file: a timed event at the deadline, or an all-day event
    for a deadline counted from a date. Reference, checklist and step only."""
    calendar = Calendar()
    calendar.add("prodid", "-//Håndbogen//Mine frister//DA")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "Mine frister (Håndbogen)")
    stamp = now.astimezone(UTC)
    for item in items:
        event = Event()
        event.add("uid", f"forloeb-{item.run_id}-{item.step_id}@haandbogen")
        event.add("dtstamp", stamp)
        event.add("summary", item.summary)
        event.add("description", f"Tjekliste: {item.checklist_title}\nTrin: {item.step_title}" + (f"\nReference: {item.reference}" if item.reference else ""))
        if item.all_day:
            day = as_copenhagen(item.due).date()
            event.add("dtstart", day)
            event.add("dtend", day + timedelta(days=1))
        else:
            event.add("dtstart", item.due.astimezone(UTC))
            event.add("dtend", item.due.astimezone(UTC))
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    return calendar.to_ical()
