"""Searches that found nothing, counted per normalised query text; who searched is not kept."""

from __future__ import annotations

from handbook.privacy.cpr import contains_cpr
from handbook.store.connection import Connection, utc_now


class SearchLog(Connection):
    """Table `search_misses`."""

    def record_search_miss(self, query: str) -> None:
        """Count a search that found nothing (normalised text only; who searched is not kept)."""
        normalised = " ".join(query.casefold().split())[:200]
        if not normalised or contains_cpr(normalised) or contains_cpr(query):
            return  # the check runs on exactly the text that would be stored
        now = utc_now()
        with self.write() as db:
            db.execute(
                "INSERT INTO search_misses (query, count, first_seen, last_seen) VALUES (?, 1, ?, ?) "
                "ON CONFLICT(query) DO UPDATE SET count = count + 1, last_seen = excluded.last_seen",
                [normalised, now, now],
            )

    def search_misses(self, limit: int = 50) -> list[dict]:
        """Searches that found nothing, most frequent first."""
        return list(self.db.table("search_misses").rows_where(order_by="count desc, last_seen desc", limit=limit))
