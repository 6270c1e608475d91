"""Deadlines in Danish: "24 timer", "6 hverdage", "3 dage", "2 uger", "4 måneder", "16 år" and
combinations such as "16 år og 3 måneder" -> due datetimes.

- timer: elapsed time; 24 timer across the switch to or from summer time is 24 real hours.
- dage, uger: calendar days at the same wall-clock time.
- hverdage: weekdays that are not Danish public holidays (the `holidays` library), counted from
  the day after the start, at the same wall-clock time.
- måneder, år: the same day of the month, or the month's last day when it has none
  (31 January + 1 måned = 28/29 February; 29 February + 1 år = 28 February).
- several parts ("16 år og 3 måneder", "1 uge, 2 dage"): years and months are added as one
  number of months, then weeks and days, then working days are counted from that day, then
  hours are added as elapsed time. Each unit may appear once.
A date without a time (a date question's answer) counts as the whole day: deadlines counted from
it start at the end of that day (`end_of_day`). Naive times are Europe/Copenhagen; results are
aware datetimes in Europe/Copenhagen.
"""

from __future__ import annotations

import calendar
import difflib
import functools
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
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
    "år": "år",
}
SINGULAR = {"timer": "time", "dage": "dag", "hverdage": "hverdag", "uger": "uge", "måneder": "måned", "år": "år"}
PART = re.compile(r"^(?P<count>\d{1,4})\s+(?P<unit>[a-zæøå]+)$", re.IGNORECASE)
SEPARATOR = re.compile(r"\s*,\s*|\s+og\s+", re.IGNORECASE)
MONTHS = ["januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september", "oktober", "november", "december"]
WEEKDAYS = ["man.", "tirs.", "ons.", "tors.", "fre.", "lør.", "søn."]
WEEKDAY_NAMES = ["mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag"]
ROLL_WORKING_DAY = "hverdag"
END_OF_DAY = time(23, 59)
MAX_COUNT = {"år": 150, "måneder": 1800}  # keeps every computed date far inside the calendar (year 9999)
EARLIEST_DATE, LATEST_DATE = date(1900, 1, 1), date(2200, 12, 31)  # accepted date answers
HELP = "Skriv et tal og en enhed: 'N timer', 'N dage', 'N hverdage', 'N uger', 'N måneder' eller 'N år' – gerne flere dele med 'og', fx \"16 år og 3 måneder\"."


class DurationError(ValueError):
    """A duration that cannot be read, with a Danish message."""


@dataclass(frozen=True)
class Duration:
    """One or more parts, e.g. ((16, 'år'), (3, 'måneder'))."""

    parts: tuple[tuple[int, str], ...]

    def __str__(self) -> str:
        return " og ".join(f"{count} {SINGULAR[unit] if count == 1 else unit}" for count, unit in self.parts)

    def amount(self, unit: str) -> int:
        return sum(count for count, part_unit in self.parts if part_unit == unit)

    @property
    def has_hours(self) -> bool:
        return any(unit == "timer" for _, unit in self.parts)

    @property
    def is_calendar(self) -> bool:
        """Whether any part counts on the calendar (everything but timer)."""
        return any(unit != "timer" for _, unit in self.parts)


def parse_duration(text: str) -> Duration:
    """'24 timer' -> Duration(((24, 'timer'),)); '16 år og 3 måneder' -> two parts;
    DurationError with a Danish message otherwise."""
    raw = str(text).strip()
    pieces = [p.strip() for p in SEPARATOR.split(raw)] if raw else []
    parts: list[tuple[int, str]] = []
    for piece in pieces:
        match = PART.match(piece)
        unit = UNITS.get(match.group("unit").casefold()) if match else None
        if not match or unit is None:
            where = f" (delen '{piece}')" if len(pieces) > 1 else ""
            written = match.group("unit").casefold().replace("aa", "å").replace("oe", "ø").replace("ae", "æ") if match else ""
            guess = difflib.get_close_matches(written, list(UNITS), n=1) if written else []
            hint = f" Mente du '{guess[0]}'?" if guess else ""
            raise DurationError(f"Ukendt frist '{text}'{where}.{hint} {HELP}")
        if any(unit == seen for _, seen in parts):
            raise DurationError(f"Ukendt frist '{text}': enheden '{unit}' står to gange. Skriv hver enhed én gang, fx \"1 uge og 2 dage\".")
        count = int(match.group("count"))
        if count > MAX_COUNT.get(unit, count):
            raise DurationError(f"Fristen '{text}' er for lang: højst {MAX_COUNT[unit]} {unit}.")
        parts.append((count, unit))
    if not parts:
        raise DurationError(f"Ukendt frist '{text}'. {HELP}")
    return Duration(tuple(parts))


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


def end_of_day(day: date) -> datetime:
    """A date counted as the whole day: its end (23.59 Danish time), so '0 dage' from a date is
    'at the latest that day' and '3 måneder' is 'at the latest the same date 3 months later'."""
    return datetime.combine(day, END_OF_DAY, tzinfo=COPENHAGEN)


def subtract_working_days(day: date, count: int) -> date:
    """The count-th working day before day (day itself is not counted)."""
    current = day
    remaining_days = count
    while remaining_days > 0:
        current -= timedelta(days=1)
        if is_working_day(current):
            remaining_days -= 1
    return current


def due_at(start: datetime, within: Duration | str, roll: str = "") -> datetime:
    """The deadline for a duration from start, as an aware datetime in Europe/Copenhagen.
    roll='hverdag' moves a deadline on a weekend or holiday to the next working day."""
    duration = parse_duration(within) if isinstance(within, str) else within
    begin = as_copenhagen(start)
    moment = begin
    if duration.is_calendar:
        day = add_months(begin.date(), 12 * duration.amount("år") + duration.amount("måneder"))
        day += timedelta(days=7 * duration.amount("uger") + duration.amount("dage"))
        day = add_working_days(day, duration.amount("hverdage"))
        moment = _wall_clock(day, begin)
    if duration.has_hours:
        moment = (moment.astimezone(UTC) + timedelta(hours=duration.amount("timer"))).astimezone(COPENHAGEN)
    return _rolled(moment, +1) if roll == ROLL_WORKING_DAY else moment


def due_before(event: datetime, within: Duration | str, roll: str = "") -> datetime:
    """The deadline a duration before an event (the reverse order of due_at); roll='hverdag'
    moves a deadline on a weekend or holiday to the working day before."""
    duration = parse_duration(within) if isinstance(within, str) else within
    moment = as_copenhagen(event)
    if duration.has_hours:
        moment = (moment.astimezone(UTC) - timedelta(hours=duration.amount("timer"))).astimezone(COPENHAGEN)
    if duration.is_calendar:
        day = subtract_working_days(moment.date(), duration.amount("hverdage"))
        day -= timedelta(days=7 * duration.amount("uger") + duration.amount("dage"))
        day = add_months(day, -(12 * duration.amount("år") + duration.amount("måneder")))
        moment = _wall_clock(day, moment)
    return _rolled(moment, -1) if roll == ROLL_WORKING_DAY else moment


def _rolled(moment: datetime, direction: int) -> datetime:
    day = moment.date()
    while not is_working_day(day):
        day += timedelta(days=direction)
    return moment if day == moment.date() else _wall_clock(day, moment)


SPECIAL_DAYS = {(12, 24): "juleaftensdag", (12, 31): "nytårsaftensdag", (6, 5): "grundlovsdag"}


def day_flag(moment: datetime | date) -> str:
    """The warning a deadline on this day carries: 'weekend (lørdag)', 'helligdag (Juledag)', or
    for juleaftensdag, nytårsaftensdag and grundlovsdag (working days in the count, but many
    offices close) a note; '' on an ordinary working day."""
    day = as_copenhagen(moment).date() if isinstance(moment, datetime) else moment
    if holiday_name(day):
        return f"helligdag ({holiday_name(day)})"
    if day.weekday() >= 5:
        return f"weekend ({WEEKDAY_NAMES[day.weekday()]})"
    special = SPECIAL_DAYS.get((day.month, day.day))
    return f"{special} (hverdag, men afdelingen kan have lukket)" if special else ""


def _wall_clock(day: date, like: datetime) -> datetime:
    """day at like's wall-clock time in Copenhagen; a time that does not exist that day (the
    hour skipped in spring) moves forward, an ambiguous one (autumn) takes the first."""
    naive = datetime.combine(day, like.time().replace(tzinfo=None))
    moment = naive.replace(tzinfo=COPENHAGEN, fold=0)
    round_trip = moment.astimezone(UTC).astimezone(COPENHAGEN)
    return round_trip if round_trip.replace(tzinfo=None) != naive else moment


def format_moment(moment: datetime) -> str:
    """'tors. 2. april 2026 kl. 15.40' (Danish time)."""
    local = as_copenhagen(moment)
    return f"{WEEKDAYS[local.weekday()]} {local.day}. {MONTHS[local.month - 1]} {local.year} kl. {local:%H.%M}"


def format_day(moment: datetime | date) -> str:
    """'ons. 10. februar 2027' (Danish time)."""
    day = as_copenhagen(moment).date() if isinstance(moment, datetime) else moment
    return f"{WEEKDAYS[day.weekday()]} {day.day}. {MONTHS[day.month - 1]} {day.year}"


def format_due(moment: datetime, all_day: bool = False) -> str:
    """A deadline as text: with the time, or only the day when it counts from a date."""
    return f"{format_day(moment)} (senest denne dag)" if all_day else format_moment(moment)


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
    delta = as_copenhagen(due).astimezone(UTC) - as_copenhagen(now).astimezone(UTC)
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


@dataclass(frozen=True)
class DueLabel:
    """A deadline as a page shows it: when ('fre. 4. december 2026 kl. 15.00' or the day only),
    how it stands ('om 3 dage' in a colour) and its weekend or holiday flag ('' on a working day)."""

    when: str
    status: str
    colour: str  # red | orange | green
    overdue: bool
    flag: str


def due_label(due: datetime, all_day: bool, now: datetime) -> DueLabel:
    state = remaining(due, now)
    return DueLabel(format_due(due, all_day), state.text, state.colour, state.overdue, day_flag(due))

