"""What users save while working a case: checklist runs and their ticked steps, Trivselslinealen
assessments and method worksheets. All of it is deleted after its retention period."""

from __future__ import annotations

from handbook.store.connection import Connection, new_id, utc_now


class CaseworkTables(Connection):
    """Tables `checklist_runs`, `run_steps`, `trivsel_assessments` and `worksheets`."""

    # -- checklist runs ---------------------------------------------------------------------

    def insert_run(self, row: dict) -> int:
        with self.write() as db:
            return new_id(db.table("checklist_runs").insert({"last_activity": utc_now(), **row}))

    def run(self, run_id: int) -> dict | None:
        rows = list(self.db.table("checklist_runs").rows_where("id = ?", [run_id]))
        return rows[0] if rows else None

    def runs(self, owner: str | None = None, open_only: bool = False) -> list[dict]:
        clauses, values = [], []
        if owner is not None:
            clauses.append("owner = ?")
            values.append(owner)
        if open_only:
            clauses.append("closed_at IS NULL")
        return list(self.db.table("checklist_runs").rows_where(" AND ".join(clauses) or None, values, order_by="created_at desc"))

    def update_run(self, run_id: int, changes: dict) -> None:
        with self.write() as db:
            db.table("checklist_runs").update(run_id, {**changes, "last_activity": utc_now()})

    def run_steps(self, run_id: int) -> list[dict]:
        return list(self.db.table("run_steps").rows_where("run_id = ?", [run_id]))

    def set_run_step(self, row: dict) -> None:
        with self.write() as db:
            db.table("run_steps").upsert(row, pk=("run_id", "step_id"))
            db.execute("UPDATE checklist_runs SET last_activity = ? WHERE id = ?", [utc_now(), row["run_id"]])

    def delete_run_step(self, run_id: int, step_id: str) -> None:
        with self.write() as db:
            db.execute("DELETE FROM run_steps WHERE run_id = ? AND step_id = ?", [run_id, step_id])
            db.execute("UPDATE checklist_runs SET last_activity = ? WHERE id = ?", [utc_now(), run_id])

    def delete_runs_inactive_since(self, moment: str) -> int:
        """Delete runs (and their steps) with no activity since moment; return how many."""
        with self.write() as db:
            ids = [row[0] for row in db.execute("SELECT id FROM checklist_runs WHERE coalesce(last_activity, created_at) < ?", [moment]).fetchall()]
            for run_id in ids:
                db.execute("DELETE FROM run_steps WHERE run_id = ?", [run_id])
                db.execute("DELETE FROM checklist_runs WHERE id = ?", [run_id])
            return len(ids)

    # -- Trivselslinealen --------------------------------------------------------------------

    def insert_assessment(self, row: dict) -> int:
        with self.write() as db:
            return new_id(db.table("trivsel_assessments").insert(row))

    def assessments(self, reference: str) -> list[dict]:
        return list(self.db.table("trivsel_assessments").rows_where("reference = ?", [reference], order_by="created_at"))

    def zone_counts_by_month(self) -> list[dict]:
        """How many saved assessments per month and zone (no references)."""
        rows = self.db.execute(
            "SELECT substr(created_at, 1, 7) AS month, zone, count(*) FROM trivsel_assessments GROUP BY month, zone ORDER BY month"
        ).fetchall()
        return [{"month": month, "zone": zone, "count": count} for month, zone, count in rows]

    def delete_assessments_before(self, moment: str) -> int:
        """Delete assessments older than moment, unless their reference has a newer one (age
        counts from the reference's last activity, so a progression is kept whole)."""
        with self.write() as db:
            return db.execute(
                "DELETE FROM trivsel_assessments WHERE created_at < ? AND (coalesce(reference, '') = '' OR reference NOT IN "
                "(SELECT reference FROM trivsel_assessments WHERE created_at >= ? AND coalesce(reference, '') != ''))",
                [moment, moment],
            ).rowcount

    # -- worksheets ---------------------------------------------------------------------------

    def insert_worksheet(self, row: dict) -> int:
        with self.write() as db:
            return new_id(db.table("worksheets").insert(row))

    def latest_worksheet(self, kind: str, reference: str, owner: str) -> dict | None:
        rows = list(self.db.table("worksheets").rows_where("kind = ? AND reference = ? AND owner = ?", [kind, reference, owner], order_by="id desc", limit=1))
        return rows[0] if rows else None

    def delete_worksheets_before(self, moment: str) -> int:
        """Delete worksheets last saved before moment (a sheet saved again is kept)."""
        with self.write() as db:
            return db.execute(
                "DELETE FROM worksheets WHERE created_at < ? AND NOT EXISTS (SELECT 1 FROM worksheets AS newer WHERE newer.owner = worksheets.owner "
                "AND newer.kind = worksheets.kind AND newer.reference = worksheets.reference AND newer.created_at >= ?)",
                [moment, moment],
            ).rowcount
