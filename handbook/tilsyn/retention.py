"""Retention of tilsyn rounds: case references, notes, reasons and the feedback comments are
deleted `tilsyn_retention_months` (config/portal.yaml, default 24) after a round closes. The
answers stay, so the figures and trends stay."""

from __future__ import annotations

import calendar
from datetime import UTC, datetime

from handbook.store.database import Store


def months_before(moment: datetime, months: int) -> datetime:
    """The same day and time `months` calendar months earlier (the last day of a shorter month)."""
    total = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(total, 12)
    month += 1
    return moment.replace(year=year, month=month, day=min(moment.day, calendar.monthrange(year, month)[1]))


def purge_rounds(store: Store, months: int, now: datetime | None = None) -> int:
    """Empty the texts of rounds closed more than `months` ago; return how many rounds."""
    limit = months_before((now or datetime.now(UTC)).astimezone(UTC), months)
    return store.purge_round_texts(limit.isoformat(timespec="microseconds"))
