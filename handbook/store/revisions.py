"""The texts of guidelines: every published revision, the drafts of new versions, and who
acknowledged having read which revision."""

from __future__ import annotations

from sqlite_utils import Database

from handbook.store.connection import Connection, new_id, utc_now


class RevisionTables(Connection):
    """Tables `revisions`, `drafts` and `acknowledgements`."""

    def record_revisions(self, rows: list[dict]) -> int:
        """Keep each revision whose text was not seen before for its guideline; return how
        many were new. Rows carry guideline_id, version, effective, content_hash, text, body,
        front_matter, source, author, change_note, status and path."""
        now = utc_now()
        with self.write() as db:
            seen = set(db.execute("SELECT guideline_id, content_hash FROM revisions").fetchall())
            rows = [row for row in rows if (row["guideline_id"], row["content_hash"]) not in seen]
            before = db.table("revisions").count
            db.table("revisions").insert_all([{"recorded_at": now, **row} for row in rows], ignore=True)
            added = db.table("revisions").count - before
            self.note_revision_added(added > 0)
            return added

    def insert_revision(self, db: Database, row: dict) -> int:
        """Add one revision inside a write transaction; return its id."""
        self.note_revision_added()
        return new_id(db.table("revisions").insert({"recorded_at": utc_now(), **row}))

    def revisions(self, guideline_id: str | None = None) -> list[dict]:
        """Revisions of one guideline (or all), oldest first."""
        if guideline_id is None:
            return list(self.db.table("revisions").rows_where(order_by="id"))
        return list(self.db.table("revisions").rows_where("guideline_id = ?", [guideline_id], order_by="id"))

    def revision(self, revision_id: int) -> dict | None:
        rows = list(self.db.table("revisions").rows_where("id = ?", [revision_id]))
        return rows[0] if rows else None

    def revision_stamp(self) -> tuple[int, int]:
        """Changes whenever a revision is added: (count, highest id)."""
        row = self.db.execute("SELECT count(*), coalesce(max(id), 0) FROM revisions").fetchone()
        return int(row[0]), int(row[1])

    # -- drafts -----------------------------------------------------------------------------

    def draft(self, draft_id: int) -> dict | None:
        rows = list(self.db.table("drafts").rows_where("id = ?", [draft_id]))
        return rows[0] if rows else None

    def open_drafts(self) -> list[dict]:
        return list(self.db.table("drafts").rows_where("status NOT IN ('offentliggjort', 'kasseret')", order_by="updated_at desc"))

    def insert_draft(self, db: Database, row: dict) -> int:
        return new_id(db.table("drafts").insert(row))

    def update_draft(self, db: Database, draft_id: int, expected_lock: int, changes: dict) -> bool:
        """Change a draft only if nobody saved it since expected_lock; bump the lock."""
        assignments = ", ".join(f"{name} = ?" for name in changes)
        cursor = db.execute(
            f"UPDATE drafts SET {assignments}, lock = lock + 1 WHERE id = ? AND lock = ?",
            [*changes.values(), draft_id, expected_lock],
        )
        return cursor.rowcount == 1

    # -- acknowledgements -------------------------------------------------------------------

    def acknowledge(self, db: Database, row: dict) -> None:
        db.table("acknowledgements").insert(row, ignore=True)

    def acknowledgements(self, user: str | None = None, guideline_id: str | None = None) -> list[dict]:
        clauses, values = [], []
        if user is not None:
            clauses.append("user = ?")
            values.append(user)
        if guideline_id is not None:
            clauses.append("guideline_id = ?")
            values.append(guideline_id)
        where = " AND ".join(clauses) or None
        return list(self.db.table("acknowledgements").rows_where(where, values, order_by="at"))
