"""Distriktsmøder on the Trivselslinealen: the meeting (code, facilitator, optional child
reference, round, revealed or not, conclusion, actions) and each participant's placement per
round. `revision` grows with every change, so an open screen can poll one integer to know
whether it must redraw."""

from __future__ import annotations

from handbook.store.connection import Connection, new_id, utc_now


class MeetingTables(Connection):
    """Tables `trivsel_meetings` and `trivsel_meeting_placements`."""

    def insert_meeting(self, row: dict) -> int:
        now = utc_now()
        with self.write() as db:
            return new_id(db.table("trivsel_meetings").insert({"created_at": now, "active_at": now, "round": 1, "revealed": 0, "revision": 1, **row}))

    def meeting_row(self, meeting_id: int) -> dict | None:
        rows = list(self.db.table("trivsel_meetings").rows_where("id = ?", [meeting_id]))
        return rows[0] if rows else None

    def meeting_id_for_code(self, code: str) -> int | None:
        row = self.db.execute("SELECT id FROM trivsel_meetings WHERE code = ?", [code]).fetchone()
        return int(row[0]) if row else None

    def meeting_revision(self, meeting_id: int) -> int:
        """The meeting's change counter (0 if it is gone): one indexed read, polled by open screens."""
        row = self.db.execute("SELECT revision FROM trivsel_meetings WHERE id = ?", [meeting_id]).fetchone()
        return int(row[0]) if row else 0

    def meetings_of(self, facilitator: str, limit: int = 20) -> list[dict]:
        return list(self.db.table("trivsel_meetings").rows_where("facilitator = ?", [facilitator], order_by="active_at desc", limit=limit))

    def meeting_placements(self, meeting_id: int) -> list[dict]:
        return list(self.db.table("trivsel_meeting_placements").rows_where("meeting_id = ?", [meeting_id], order_by="round, placed_at"))

    def update_meeting(self, meeting_id: int, changes: dict, placement: dict | None = None) -> None:
        """Apply changes (and upsert a placement) and count a new revision, in one transaction."""
        with self.write() as db:
            if placement is not None:
                db.table("trivsel_meeting_placements").upsert({**placement, "meeting_id": meeting_id, "placed_at": utc_now()}, pk=("meeting_id", "round", "participant"))
            assignments = ", ".join(f'"{column}" = ?' for column in changes)
            db.execute(
                f"UPDATE trivsel_meetings SET {assignments}{', ' if changes else ''}revision = revision + 1, active_at = ? WHERE id = ?",
                [*changes.values(), utc_now(), meeting_id],
            )

    def delete_meetings_inactive_since(self, moment: str) -> int:
        """Delete meetings (and their placements) with no activity since moment; return how many."""
        with self.write() as db:
            db.execute("DELETE FROM trivsel_meeting_placements WHERE meeting_id IN (SELECT id FROM trivsel_meetings WHERE active_at < ?)", [moment])
            return db.execute("DELETE FROM trivsel_meetings WHERE active_at < ?", [moment]).rowcount
