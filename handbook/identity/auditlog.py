"""The audit log for administrators: filtered by person, action and period (export: auth.audit_log_csv)."""

from __future__ import annotations

from datetime import date

from handbook.dates.danish_time import to_danish


def filter_entries(entries: list[dict], actors: list[str] | None = None, actions: list[str] | None = None, start: date | None = None, end: date | None = None) -> list[dict]:
    """The entries by any of actors, of any of actions, between start and end (both days
    included, days in Danish time as shown on screen); an empty filter lets everything through."""
    low = start or date.min
    high = end or date.max
    return [
        e for e in entries
        if (not actors or e["actor"] in actors) and (not actions or e["action"] in actions) and low <= to_danish(e["at"]).date() <= high
    ]


def choices(entries: list[dict], field: str) -> list[str]:
    """The distinct values of a field (actor or action), sorted, for the filter lists."""
    return sorted({e[field] for e in entries if e[field]})
