"""Deadlines in Danish: "24 timer", "6 hverdage", "3 dage", "2 uger", "4 måneder" -> due datetimes.

- timer: elapsed time; 24 timer across the switch to or from summer time is 24 real hours.
- dage, uger: calendar days at the same wall-clock time.
- hverdage: weekdays that are not Danish public holidays (the `holidays` library), counted from
  the day after the start, at the same wall-clock time.
- måneder: the same day of the month, or the month's last day when it has none.
Naive times are Europe/Copenhagen; results are aware datetimes in Europe/Copenhagen.
"""

from __future__ import annotations

import calendar
import functools
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import holidays

COPENHAGEN = ZoneInfo("Europe/Copenhagen")
UNITS = {
    "time": "timer",
    "timer": "timer",
    "dag": "dage",
    "dage": "dage",
    "hverdag": "hverdage",
    "hverdage": "hverdage",
    "uge": "uger",
    "uger": "uger",
    "måned": "måneder",
    "måneder": "måneder",
}
DURATION = re.compile(r"^\s*(?P<count>\d{1,4})\s+(?P<unit>[a-zæøå]+)\s*$", re.IGNORECASE)
MONTHS = ["januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september", "oktober", "november", "december"]
WEEKDAYS = ["man.", "tirs.", "ons.", "tors.", "fre.", "lør.", "søn."]


class DurationError(ValueError):
    """A duration that cannot be read, with a Danish message."""


@dataclass(frozen=True)
class Duration:
    count: int
    unit: str  # timer | dage | hverdage | uger | måneder

    def __str__(self) -> str:
        singular = {"timer": "time", "dage": "dag", "hverdage": "hverdag", "uger": "uge", "måneder": "måned"}
        return f"{self.count} {singular[self.unit] if self.count == 1 else self.unit}"


def parse_duration(text: str) -> Duration:
    """'24 timer' -> Duration(24, 'timer'); DurationError with a Danish message otherwise."""
    match = DURATION.match(str(text))
    unit = UNITS.get(match.group("unit").casefold()) if match else None
    if not match or unit is None:
        raise DurationError(
            f"Ukendt frist '{text}'. Skriv et tal og en enhed: 'N timer', 'N dage', 'N hverdage', 'N uger' eller 'N måneder', fx \"24 timer\"."
        )
    return Duration(int(match.group("count")), unit)


def as_copenhagen(moment: datetime) -> datetime:
    """An aware datetime in Europe/Copenhagen; a naive one is taken to be Danish time."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=COPENHAGEN)
    return moment.astimezone(COPENHAGEN)


@functools.lru_cache(maxsize=64)
def _holidays(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("DK", years=year, language="da")


def is_working_day(day: date) -> bool:
    """Monday to Friday, not a Danish public holiday."""
    return day.weekday() < 5 and day not in _holidays(day.year)


def holiday_name(day: date) -> str | None:
    return _holidays(day.year).get(day)


def add_working_days(day: date, count: int) -> date:
    """The count-th working day after day (day itself is not counted)."""
    current = day
    remaining = count
    while remaining > 0:
        current += timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current


def add_months(day: date, months: int) -> date:
    """Same day of the month months later, or that month's last day."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def due_at(start: datetime, within: Duration | str) -> datetime:
    """The deadline for a duration from start, as an aware datetime in Europe/Copenhagen."""
    duration = parse_duration(within) if isinstance(within, str) else within
    begin = as_copenhagen(start)
    if duration.unit == "timer":
        return (begin.astimezone(timezone.utc) + timedelta(hours=duration.count)).astimezone(COPENHAGEN)
    if duration.unit in ("dage", "uger"):
        target = begin.date() + timedelta(days=duration.count * (7 if duration.unit == "uger" else 1))
    elif duration.unit == "hverdage":
        target = add_working_days(begin.date(), duration.count)
    else:
        target = add_months(begin.date(), duration.count)
    return _wall_clock(target, begin)


def _wall_clock(day: date, like: datetime) -> datetime:
    """day at like's wall-clock time in Copenhagen; a time that does not exist that day (the
    hour skipped in spring) moves forward, an ambiguous one (autumn) takes the first."""
    naive = datetime.combine(day, like.time().replace(tzinfo=None))
    moment = naive.replace(tzinfo=COPENHAGEN, fold=0)
    round_trip = moment.astimezone(timezone.utc).astimezone(COPENHAGEN)
    return round_trip if round_trip.replace(tzinfo=None) != naive else moment


def format_moment(moment: datetime) -> str:
    """'tors. 2. april 2026 kl. 15.40' (Danish time)."""
    local = as_copenhagen(moment)
    return f"{WEEKDAYS[local.weekday()]} {local.day}. {MONTHS[local.month - 1]} {local.year} kl. {local:%H.%M}"


@dataclass(frozen=True)
class Remaining:
    """How a deadline stands relative to now: text such as 'om 3 dage' and a colour."""

    text: str
    overdue: bool
    colour: str  # red | orange | green


def remaining(due: datetime, now: datetime) -> Remaining:
    """'om 3 dage', 'om 5 timer', 'overskredet med 2 dage'; red when overdue, orange within
    24 hours, green otherwise."""
    # In UTC: Python subtracts aware datetimes that share a tzinfo as wall-clock times.
    delta = as_copenhagen(due).astimezone(timezone.utc) - as_copenhagen(now).astimezone(timezone.utc)
    seconds = delta.total_seconds()
    overdue = seconds < 0
    amount = _amount(abs(seconds))
    if overdue:
        return Remaining(f"overskredet med {amount}", True, "red")
    return Remaining(f"om {amount}", False, "orange" if seconds <= 24 * 3600 else "green")


def _amount(seconds: float) -> str:
    minutes = int(seconds // 60)
    if minutes < 60:
        return f"{minutes} minut{'ter' if minutes != 1 else ''}"
    hours = minutes // 60
    if hours < 48:
        return f"{hours} time{'r' if hours != 1 else ''}"
    days = hours // 24
    return f"{days} dag{'e' if days != 1 else ''}"
