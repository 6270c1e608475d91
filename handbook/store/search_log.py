"""Searches that found nothing, and searches whose first hit was (not) opened, counted per
normalised query text; who searched is not kept."""

from __future__ import annotations

from handbook.privacy.cpr import contains_cpr
from handbook.store.connection import Connection, utc_now


def normalised_query(query: str) -> str:
    """The text a search is logged under, or "" when it must not be stored (a CPR-like number)."""
    normalised = " ".join(query.casefold().split())[:200]
    return "" if not normalised or contains_cpr(normalised) or contains_cpr(query) else normalised


class SearchLog(Connection):
    """Tables `search_misses` and `search_answers`."""

    def record_search_miss(self, query: str) -> None:
        """Count a search that found nothing (normalised text only; who searched is not kept)."""
        normalised = normalised_query(query)
        if not normalised:
            return  # the check runs on exactly the text that would be stored
        now = utc_now()
        with self.write() as db:
            db.execute(
                "INSERT INTO search_misses (query, count, first_seen, last_seen) VALUES (?, 1, ?, ?) "
                "ON CONFLICT(query) DO UPDATE SET count = count + 1, last_seen = excluded.last_seen",
                [normalised, now, now],
            )

    def record_search_answer(self, query: str, first_hit: str) -> None:
        """Count a search that found something, with the id of its first hit."""
        normalised = normalised_query(query)
        if not normalised or contains_cpr(first_hit):
            return
        now = utc_now()
        with self.write() as db:
            db.execute(
                "INSERT INTO search_answers (query, first_hit, searches, first_opened, first_seen, last_seen) VALUES (?, ?, 1, 0, ?, ?) "
                "ON CONFLICT(query) DO UPDATE SET searches = searches + 1, first_hit = excluded.first_hit, last_seen = excluded.last_seen",
                [normalised, first_hit, now, now],
            )

    def record_first_hit_opened(self, query: str, hit_id: str) -> None:
        """Count that the first hit of a logged search was opened from the results."""
        normalised = normalised_query(query)
        if normalised:
            with self.write() as db:
                db.execute("UPDATE search_answers SET first_opened = first_opened + 1 WHERE query = ? AND first_hit = ?", [normalised, hit_id])

    def unopened_searches(self, limit: int = 50) -> list[dict]:
        """Searches whose first hit was never opened, most frequent first."""
        return list(self.db.table("search_answers").rows_where("first_opened = 0", order_by="searches desc, last_seen desc", limit=limit))

    def search_misses(self, limit: int = 50) -> list[dict]:
        """Searches that found nothing, most frequent first."""
        return list(self.db.table("search_misses").rows_where(order_by="count desc, last_seen desc", limit=limit))
