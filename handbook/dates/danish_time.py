"""Stored moments (ISO 8601 in UTC) shown and exported in Danish time with Danish names.

The database keeps UTC so that events stay ordered across summer time; people read Danish time:
"man. 30. november 2026 kl. 04.53" on screen, and in CSV files "2026-11-30 04:53:52+01:00" under
a column name that says the zone.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from handbook.dates.deadlines import COPENHAGEN, MONTHS, format_moment

CSV_ZONE_NOTE = "dansk tid"


def to_danish(value: str | datetime) -> datetime:
    """A stored moment in Danish time; text without a zone is taken to be UTC (as stored)."""
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(COPENHAGEN)


def moment_text(value: str | datetime | None) -> str:
    """'man. 30. november 2026 kl. 04.53' in Danish time ('–' for nothing)."""
    if not value:
        return "–"
    return format_moment(to_danish(value))


def date_text(value: str | datetime | date | None) -> str:
    """'30. november 2026': the Danish date of a stored moment ('–' for nothing)."""
    if not value:
        return "–"
    day = value if isinstance(value, date) and not isinstance(value, datetime) else to_danish(value).date()
    return f"{day.day}. {MONTHS[day.month - 1]} {day.year}"


def csv_moment(value: str | datetime | None) -> str:
    """'2026-11-30 04:53:52+01:00': Danish time with its offset, for CSV files ('' for nothing)."""
    if not value:
        return ""
    return to_danish(value).isoformat(sep=" ", timespec="seconds")


def csv_column(name: str) -> str:
    """A CSV column name for moments that states the zone: 'tidspunkt (dansk tid)'."""
    return f"{name} ({CSV_ZONE_NOTE})"
