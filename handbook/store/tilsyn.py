"""Ledelsestilsyn's tables: the teams users belong to, rounds, the cases pasted for a round,
one row per answer and the written feedback per caseworker. Every write is one BEGIN IMMEDIATE
transaction; answers are upserted by (case, criterion), so two reviewers recording different
criteria or cases of one round at the same time both keep what they saved."""

from __future__ import annotations

from sqlite_utils import Database

from handbook.store.connection import Connection, new_id, utc_now


def create_tables(db: Database) -> None:
    """The schema of migration m050_tilsyn (never changed once released)."""
    db.table("user_teams").create({"user": str, "team": str}, pk=("user", "team"))
    db.table("tilsyn_rounds").create(
        {
            "id": int, "template_id": str, "template_version": str, "template_text": str, "period": str, "team": str, "reviewer": str,
            "created_by": str, "created_at": str, "seed": int, "per_caseworker": int, "drawn_at": str, "opened_at": str, "closed_at": str, "purged_at": str,
        },
        pk="id",
        not_null={"template_id", "template_version", "template_text", "period", "team", "reviewer", "created_by", "created_at"},
    )
    db.table("tilsyn_rounds").create_index(["team", "period"])
    db.table("tilsyn_cases").create(
        {"id": int, "round_id": int, "caseworker": str, "case_ref": str, "case_type": str, "drawn": int, "position": int},
        pk="id",
        foreign_keys=[("round_id", "tilsyn_rounds", "id")],
        not_null={"round_id", "caseworker", "drawn", "position"},
    )
    db.table("tilsyn_cases").create_index(["round_id", "case_ref"], unique=True)
    db.table("tilsyn_answers").create(
        {
            "case_id": int, "criterion_id": str, "round_id": int, "answer": str, "reason": str, "note": str, "fix_by": str, "status": str,
            "answered_by": str, "answered_at": str, "done_at": str, "confirmed_at": str, "confirmed_by": str,
        },
        pk=("case_id", "criterion_id"),
        foreign_keys=[("case_id", "tilsyn_cases", "id"), ("round_id", "tilsyn_rounds", "id")],
        not_null={"round_id", "answer", "answered_by", "answered_at"},
    )
    db.table("tilsyn_answers").create_index(["round_id"])
    db.table("tilsyn_feedback").create(
        {"round_id": int, "caseworker": str, "comment": str, "written_by": str, "written_at": str, "acknowledged_at": str},
        pk=("round_id", "caseworker"),
        foreign_keys=[("round_id", "tilsyn_rounds", "id")],
    )


class TilsynTables(Connection):
    """Tables `user_teams`, `tilsyn_rounds`, `tilsyn_cases`, `tilsyn_answers`, `tilsyn_feedback`."""

    # -- teams -----------------------------------------------------------------------------------

    def teams_of(self, user: str) -> list[str]:
        return [row[0] for row in self.db.execute("SELECT team FROM user_teams WHERE user = ? ORDER BY team", [user]).fetchall()]

    def team_members(self, team: str) -> list[str]:
        return [row[0] for row in self.db.execute("SELECT user FROM user_teams WHERE team = ? ORDER BY user", [team]).fetchall()]

    def all_teams(self) -> list[str]:
        rows = self.db.execute("SELECT team FROM user_teams UNION SELECT team FROM tilsyn_rounds ORDER BY 1").fetchall()
        return [row[0] for row in rows]

    def set_teams(self, user: str, teams: list[str]) -> None:
        with self.write() as db:
            db.execute("DELETE FROM user_teams WHERE user = ?", [user])
            for team in teams:
                db.execute("INSERT INTO user_teams (user, team) VALUES (?, ?)", [user, team])

    # -- rounds ----------------------------------------------------------------------------------

    def insert_round(self, row: dict) -> int:
        with self.write() as db:
            return new_id(db.table("tilsyn_rounds").insert({"created_at": utc_now(), **row}))

    def tilsyn_round(self, round_id: int) -> dict | None:
        rows = list(self.db.table("tilsyn_rounds").rows_where("id = ?", [round_id]))
        return rows[0] if rows else None

    def tilsyn_rounds(self, teams: list[str] | None = None) -> list[dict]:
        if teams is None:
            return list(self.db.table("tilsyn_rounds").rows_where(order_by="period desc, id desc"))
        marks = ", ".join("?" for _ in teams)
        return list(self.db.table("tilsyn_rounds").rows_where(f"team IN ({marks})", teams, order_by="period desc, id desc"))

    def update_round(self, round_id: int, changes: dict) -> None:
        with self.write() as db:
            db.table("tilsyn_rounds").update(round_id, changes)

    # -- cases -----------------------------------------------------------------------------------

    def insert_cases(self, round_id: int, cases: list[dict], round_changes: dict, refuse_if_drawn: bool = True) -> None:
        """Add a round's cases and change the round in one transaction; refused (ValueError) if
        the round already has drawn cases and refuse_if_drawn."""
        with self.write() as db:
            if refuse_if_drawn and db.execute("SELECT 1 FROM tilsyn_cases WHERE round_id = ? AND drawn = 1", [round_id]).fetchone():
                raise ValueError("drawn")
            start = db.execute("SELECT coalesce(max(position), 0) FROM tilsyn_cases WHERE round_id = ?", [round_id]).fetchone()[0]
            for number, case in enumerate(cases, start=start + 1):
                db.table("tilsyn_cases").insert({"round_id": round_id, "position": number, **case})
            if round_changes:
                db.table("tilsyn_rounds").update(round_id, round_changes)

    def round_cases(self, round_id: int, drawn_only: bool = False) -> list[dict]:
        where = "round_id = ?" + (" AND drawn = 1" if drawn_only else "")
        return list(self.db.table("tilsyn_cases").rows_where(where, [round_id], order_by="position"))

    # -- answers ---------------------------------------------------------------------------------

    def upsert_answers(self, rows: list[dict]) -> None:
        """Save answers (one row per case and criterion) in one transaction: all or none."""
        with self.write() as db:
            for row in rows:
                db.table("tilsyn_answers").upsert(row, pk=("case_id", "criterion_id"))

    def import_answers(self, round_id: int, new_cases: list[dict], answers: list[dict]) -> None:
        """Add cases and answers (each naming its case by `case_ref`) in one transaction: a
        refused row (the CPR guard) leaves nothing of the import stored."""
        with self.write() as db:
            start = db.execute("SELECT coalesce(max(position), 0) FROM tilsyn_cases WHERE round_id = ?", [round_id]).fetchone()[0]
            for number, case in enumerate(new_cases, start=start + 1):
                db.table("tilsyn_cases").insert({"round_id": round_id, "position": number, "drawn": 1, **case})
            ids = dict(db.execute("SELECT case_ref, id FROM tilsyn_cases WHERE round_id = ?", [round_id]).fetchall())
            for answer in answers:
                row = {k: v for k, v in answer.items() if k != "case_ref"}
                db.table("tilsyn_answers").upsert({**row, "case_id": ids[answer["case_ref"]], "round_id": round_id}, pk=("case_id", "criterion_id"))
            db.execute("UPDATE tilsyn_rounds SET drawn_at = coalesce(drawn_at, ?) WHERE id = ?", [utc_now(), round_id])

    def delete_answer(self, case_id: int, criterion_id: str) -> None:
        with self.write() as db:
            db.execute("DELETE FROM tilsyn_answers WHERE case_id = ? AND criterion_id = ?", [case_id, criterion_id])

    def update_answer(self, case_id: int, criterion_id: str, changes: dict) -> None:
        with self.write() as db:
            db.table("tilsyn_answers").update((case_id, criterion_id), changes)

    def round_answers(self, round_ids: list[int]) -> list[dict]:
        """The answers of rounds, each with its case's caseworker, reference and type."""
        if not round_ids:
            return []
        marks = ", ".join("?" for _ in round_ids)
        cursor = self.db.execute(
            f"SELECT a.*, c.caseworker, c.case_ref, c.case_type FROM tilsyn_answers a JOIN tilsyn_cases c ON c.id = a.case_id WHERE a.round_id IN ({marks}) ORDER BY c.position, a.criterion_id",
            round_ids,
        )
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row)) for row in cursor.fetchall()]

    # -- feedback --------------------------------------------------------------------------------

    def feedback_row(self, round_id: int, caseworker: str) -> dict | None:
        rows = list(self.db.table("tilsyn_feedback").rows_where("round_id = ? AND caseworker = ?", [round_id, caseworker]))
        return rows[0] if rows else None

    def upsert_feedback(self, row: dict) -> None:
        with self.write() as db:
            db.table("tilsyn_feedback").upsert(row, pk=("round_id", "caseworker"), alter=False)

    # -- retention -------------------------------------------------------------------------------

    def purge_round_texts(self, closed_before: str) -> int:
        """Empty the case references, notes, reasons and feedback comments of rounds closed
        before the moment (answers and their counts stay); return how many rounds."""
        with self.write() as db:
            ids = [r[0] for r in db.execute("SELECT id FROM tilsyn_rounds WHERE closed_at IS NOT NULL AND closed_at < ? AND purged_at IS NULL", [closed_before]).fetchall()]
            for round_id in ids:
                db.execute("UPDATE tilsyn_cases SET case_ref = NULL WHERE round_id = ?", [round_id])
                db.execute("UPDATE tilsyn_answers SET note = NULL, reason = NULL WHERE round_id = ?", [round_id])
                db.execute("UPDATE tilsyn_feedback SET comment = NULL WHERE round_id = ?", [round_id])
                db.execute("UPDATE tilsyn_rounds SET purged_at = ? WHERE id = ?", [utc_now(), round_id])
            return len(ids)
