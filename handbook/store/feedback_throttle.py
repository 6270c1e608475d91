"""Table `feedback_throttle`: when feedback was given, under a hashed key (a browser session and
guideline, or a client address), so the limits of handbook/publishing/feedback.py hold across
the portal's processes (as the login lockout's failures do). Nothing here links to a feedback
row: who gave which answer is still not stored. Rows older than a day are deleted as new ones
arrive."""

from __future__ import annotations

from sqlite_utils import Database


def create_tables(db: Database) -> None:
    db.table("feedback_throttle").create({"key_hash": str, "at": str}, not_null={"key_hash", "at"})
    db.table("feedback_throttle").create_index(["key_hash", "at"])
