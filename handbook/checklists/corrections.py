"""Corrections of a checklist run's start time (table run_start_corrections, migration m040).

Every correction keeps the old and the new start, who made it, when and the reason, so a changed
deadline can always be explained. Rows of deleted runs are removed with them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from handbook.store.database import Store, utc_now


@dataclass(frozen=True)
class StartCorrection:
    at: datetime
    by: str
    old_start: datetime
    new_start: datetime
    reason: str


def record_correction(store: Store, run_id: int, by: str, old_start: datetime, new_start: datetime, reason: str) -> None:
    """Set the run's new start and log the correction in one transaction."""
    with store.write() as db:
        db.table("checklist_runs").update(run_id, {"start_at": new_start.isoformat()})
        db.table("run_start_corrections").insert(
            {"run_id": run_id, "at": utc_now(), "by": by, "old_start": old_start.isoformat(), "new_start": new_start.isoformat(), "reason": reason}
        )


def corrections_of(store: Store, run_id: int) -> list[StartCorrection]:
    """A run's start-time corrections, oldest first."""
    rows = store.db["run_start_corrections"].rows_where("run_id = ?", [run_id], order_by="id")
    return [StartCorrection(datetime.fromisoformat(r["at"]), r["by"], datetime.fromisoformat(r["old_start"]), datetime.fromisoformat(r["new_start"]), r["reason"]) for r in rows]


def delete_orphans(store: Store) -> int:
    """Remove corrections whose run has been deleted (retention); return how many."""
    with store.write() as db:
        cursor = db.execute("DELETE FROM run_start_corrections WHERE run_id NOT IN (SELECT id FROM checklist_runs)")
        return cursor.rowcount
