"""The schema migrations of the portal database, in the order they were written.

A migration's name is recorded in the database when it is applied, so a name and what its
migration creates never change once released: a new change to the schema is a new migration at the
end. The store applies what is pending each time it is opened (see handbook/store/database.py).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import yaml
from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from handbook.privacy import triggers as cprguard
from handbook.store import cookie_grants, feedback_throttle, identity, tilsyn
from handbook.store.connection import Connection

migrations = Migrations("handbook")


@migrations()
def m001_revisions(db: Database) -> None:
    """Every distinct text of every guideline that has been loaded or published."""
    db.table("revisions").create(
        {
            "id": int,
            "guideline_id": str,
            "version": str,
            "effective": str,
            "content_hash": str,
            "front_matter": str,
            "body": str,
            "source": str,
            "recorded_at": str,
        },
        pk="id",
        not_null={"guideline_id", "version", "effective", "content_hash", "body", "recorded_at"},
    )
    db.table("revisions").create_index(["guideline_id", "content_hash"], unique=True)


@migrations()
def m002_search_misses(db: Database) -> None:
    """Searches that found nothing, counted per query text; no user identity is kept."""
    db.table("search_misses").create(
        {"query": str, "count": int, "first_seen": str, "last_seen": str},
        pk="query",
        not_null={"count", "first_seen", "last_seen"},
    )


@migrations()
def m003_revision_publishing(db: Database) -> None:
    """Revisions carry their exact file text, who published them, the change note, the file
    path and a status (published or retired); the time recorded is the publication time."""
    table = db.table("revisions")
    table.add_column("text", str)
    table.add_column("author", str, not_null_default="")
    table.add_column("change_note", str, not_null_default="")
    table.add_column("status", str, not_null_default="published")
    table.add_column("path", str, not_null_default="")
    for row in list(table.rows):
        fields = json.loads(row["front_matter"] or "{}")
        front = yaml.safe_dump(fields, allow_unicode=True, sort_keys=False)
        table.update(row["id"], {"text": f"---\n{front}---\n{row['body']}", "change_note": fields.get("change_note", "")})


@migrations()
def m004_users(db: Database) -> None:
    """Accounts: local (with a scrypt hash), or known from a proxy header or OIDC login."""
    db.table("users").create(
        {"name": str, "display_name": str, "role": str, "password_hash": str, "source": str, "created_at": str, "active": int},
        pk="name",
        not_null={"role", "source", "created_at", "active"},
    )
    db.table("login_failures").create({"name": str, "at": str}, not_null={"name", "at"})
    db.table("login_failures").create_index(["name", "at"])


@migrations()
def m005_drafts(db: Database) -> None:
    """Drafts of new guidelines and new versions, with a lock counter against lost updates."""
    db.table("drafts").create(
        {
            "id": int,
            "guideline_id": str,
            "base_revision_id": int,
            "text": str,
            "status": str,
            "author": str,
            "created_at": str,
            "updated_by": str,
            "updated_at": str,
            "lock": int,
            "reviewer": str,
            "review_comment": str,
            "published_revision_id": int,
        },
        pk="id",
        not_null={"guideline_id", "text", "status", "author", "created_at", "updated_by", "updated_at", "lock"},
    )


@migrations()
def m006_acknowledgements(db: Database) -> None:
    """Who confirmed having read which revision, and when."""
    db.table("acknowledgements").create(
        {"user": str, "guideline_id": str, "revision_id": int, "version": str, "at": str},
        pk=("user", "revision_id"),
        not_null={"guideline_id", "version", "at"},
    )


@migrations()
def m007_audit(db: Database) -> None:
    """Every create, edit, review, publish, retire and role change: who, what, when."""
    db.table("audit").create(
        {"id": int, "at": str, "actor": str, "action": str, "target": str, "details": str},
        pk="id",
        not_null={"at", "actor", "action", "target"},
    )


@migrations()
def m008_sessions(db: Database) -> None:
    """Login sessions, so a reload keeps the user logged in; only a hash of the token is kept."""
    db.table("sessions").create({"token_hash": str, "user": str, "created_at": str, "expires_at": str}, pk="token_hash", not_null={"user", "created_at", "expires_at"})


@migrations()
def m009_checklist_runs(db: Database) -> None:
    """Checklist runs (a checklist worked through for one case) and their ticked steps. A run
    keeps the checklist text it started with, so a newer version does not change it."""
    db.table("checklist_runs").create(
        {
            "id": int,
            "checklist_id": str,
            "checklist_version": str,
            "checklist_text": str,
            "reference": str,
            "start_at": str,
            "answers": str,
            "owner": str,
            "created_at": str,
            "closed_at": str,
        },
        pk="id",
        not_null={"checklist_id", "checklist_version", "checklist_text", "start_at", "answers", "owner", "created_at"},
    )
    db.table("run_steps").create(
        {"run_id": int, "step_id": str, "done_at": str, "done_by": str, "note": str},
        pk=("run_id", "step_id"),
        foreign_keys=[("run_id", "checklist_runs", "id")],
        not_null={"done_at", "done_by"},
    )


@migrations()
def m010_trivsel_assessments(db: Database) -> None:
    """Trivselslinealen placements a user chose to save under an optional reference."""
    db.table("trivsel_assessments").create(
        {"id": int, "reference": str, "value": int, "zone": str, "age_group": str, "kind": str, "created_by": str, "created_at": str},
        pk="id",
        not_null={"value", "zone", "kind", "created_by", "created_at"},
    )
    db.table("trivsel_assessments").create_index(["reference"])


@migrations()
def m011_worksheets(db: Database) -> None:
    """Method worksheets (SOS, ICS, De tre huse) a user chose to save under a reference."""
    db.table("worksheets").create(
        {"id": int, "kind": str, "reference": str, "data": str, "owner": str, "created_at": str},
        pk="id",
        not_null={"kind", "reference", "data", "owner", "created_at"},
    )
    db.table("worksheets").create_index(["owner", "kind", "reference"])


@migrations()
def m012_sec_scrub_cpr(db: Database) -> None:
    """Remove CPR-like numbers stored before the guard covered every field (see cprguard)."""
    cprguard.scrub(db.conn)


@migrations()
def m012_sec_unique_versions(db: Database) -> None:
    """A version number is published in the portal only once per guideline: the column holds
    the version of a published portal revision (NULL otherwise) under a UNIQUE index. Versions
    published twice before this existed keep their rows; only the first holds the number."""
    db.table("revisions").add_column("published_version", str)
    taken: set[tuple[str, str]] = set()
    for row in db.execute("SELECT id, guideline_id, version FROM revisions WHERE source = 'portal' AND status = 'published' ORDER BY id").fetchall():
        if (row[1], row[2]) not in taken:
            taken.add((row[1], row[2]))
            db.execute("UPDATE revisions SET published_version = ? WHERE id = ?", [row[2], row[0]])
    db.table("revisions").create_index(["guideline_id", "published_version"], unique=True)


@migrations()
def m012_sec_login_throttle(db: Database) -> None:
    """Failed logins also record the client address (for a throttle per address); sessions are
    found by user (to end them all)."""
    db.table("login_failures").add_column("client", str, not_null_default="")
    db.table("login_failures").create_index(["client", "at"])
    db.table("login_failures").create_index(["at"])
    db.table("sessions").create_index(["user"])


@migrations()
def m012_sec_run_activity(db: Database) -> None:
    """Checklist runs carry the time of their last activity (start, tick, note, answers,
    closing): retention counts from it, so a run worked on today is kept."""
    db.table("checklist_runs").add_column("last_activity", str)
    for run_id, created, closed in db.execute("SELECT id, created_at, closed_at FROM checklist_runs").fetchall():
        moments = [created, closed] + [row[0] for row in db.execute("SELECT done_at FROM run_steps WHERE run_id = ?", [run_id]).fetchall()]
        latest = max(datetime.fromisoformat(m).astimezone(UTC) for m in moments if m)
        db.execute("UPDATE checklist_runs SET last_activity = ? WHERE id = ?", [latest.isoformat(timespec="microseconds"), run_id])
    db.table("checklist_runs").create_index(["last_activity"])


@migrations()
def m040_dl_start_corrections(db: Database) -> None:
    """Corrections of a checklist run's start time: old and new time, who, when and why."""
    db.table("run_start_corrections").create(
        {"id": int, "run_id": int, "at": str, "by": str, "old_start": str, "new_start": str, "reason": str},
        pk="id",
        not_null={"run_id", "at", "by", "old_start", "new_start", "reason"},
    )
    db.table("run_start_corrections").create_index(["run_id"])


@migrations()
def m020_ed_user_admin(db: Database) -> None:
    """Accounts get an e-mail address (for notifications) and a flag that forces a new password
    at the next login (after an administrator set a temporary one). `active` exists since m004."""
    db.table("users").add_column("email", str, not_null_default="")
    db.table("users").add_column("must_change_password", int, not_null_default=0)


@migrations()
def m021_ed_notifications(db: Database) -> None:
    """What concerns a user (review requested, approved, new version followed, review date);
    `key` makes a notification that may be raised again (a review date) appear only once."""
    db.table("notifications").create(
        {"id": int, "user": str, "kind": str, "guideline_id": str, "draft_id": int, "message": str, "link": str, "key": str, "created_at": str, "read_at": str},
        pk="id",
        not_null={"user", "kind", "message", "created_at"},
    )
    db.table("notifications").create_index(["user", "read_at"])
    db.table("notifications").create_index(["user", "key"], unique=True)


@migrations()
def m022_ed_follows_and_required_reading(db: Database) -> None:
    """Who follows which guideline, and which guidelines leaders made required reading for a role."""
    db.table("follows").create({"user": str, "guideline_id": str, "created_at": str}, pk=("user", "guideline_id"), not_null={"created_at"})
    db.table("required_reading").create({"guideline_id": str, "role": str, "set_by": str, "created_at": str}, pk=("guideline_id", "role"), not_null={"set_by", "created_at"})


@migrations()
def m023_ed_feedback(db: Database) -> None:
    """"Var siden nyttig?": a yes/no per guideline version and an optional (CPR-checked) comment."""
    db.table("feedback").create(
        {"id": int, "guideline_id": str, "version": str, "useful": int, "comment": str, "created_at": str},
        pk="id",
        not_null={"guideline_id", "useful", "created_at"},
    )
    db.table("feedback").create_index(["guideline_id"])


@migrations()
def m024_ed_outbox(db: Database) -> None:
    """E-mails waiting to be sent by the background sender, with attempts and the last error."""
    db.table("outbox").create(
        {"id": int, "recipient": str, "subject": str, "body": str, "created_at": str, "attempts": int, "next_attempt_at": str, "sent_at": str, "failed_at": str, "last_error": str},
        pk="id",
        not_null={"recipient", "subject", "body", "created_at", "attempts", "next_attempt_at"},
    )
    db.table("outbox").create_index(["sent_at", "failed_at", "next_attempt_at"])


@migrations()
def m030_sso_identities(db: Database) -> None:
    """Single sign-on: each OIDC identity (issuer + subject) linked to one portal account, and
    each OIDC login as a portal session that logout ends (see handbook/store/identity.py)."""
    identity.create_tables(db)


@migrations()
def m031_sec3_cookie_grants(db: Database) -> None:
    """One-time grants for the server-set (HttpOnly) session cookie (handbook/store/cookie_grants.py)."""
    cookie_grants.create_tables(db)


@migrations()
def m032_sec3_feedback_throttle(db: Database) -> None:
    """Limits on "Var siden nyttig?" across processes (handbook/store/feedback_throttle.py)."""
    feedback_throttle.create_tables(db)


@migrations()
def m050_tilsyn(db: Database) -> None:
    """Ledelsestilsyn: the teams users belong to; rounds (template text kept, seed recorded);
    the cases pasted for a round (drawn or not); one row per answer (so two reviewers saving at
    once never overwrite each other's answers); written feedback per caseworker. Case references,
    notes, reasons and feedback texts are emptied when the retention after a round's closing
    ends; the answers stay, so the figures do (see handbook/tilsyn/retention.py)."""
    tilsyn.create_tables(db)


@migrations()
def m051_search_answers(db: Database) -> None:
    """Searches that found something, per normalised query text: how often, the first hit, and
    how often that first hit was opened (the synonym review lists those never opened). No user
    identity is kept; the CPR guard's triggers cover the text columns."""
    db.table("search_answers").create(
        {"query": str, "first_hit": str, "searches": int, "first_opened": int, "first_seen": str, "last_seen": str},
        pk="query",
        not_null={"first_hit", "searches", "first_opened", "first_seen", "last_seen"},
    )


@migrations()
def m052_tr_meetings(db: Database) -> None:
    """Distriktsmøder: a meeting with a short code, its facilitator, an optional child reference
    (CPR-guarded like every text column), the current round and whether it is revealed, the
    agreed conclusion and actions, and a revision counter; placements per participant and round
    carry initials only. Deleted after the retention, counted from `active_at`."""
    db.table("trivsel_meetings").create(
        {"id": int, "code": str, "facilitator": str, "reference": str, "round": int, "revealed": int, "revision": int,
         "conclusion": str, "actions": str, "created_at": str, "active_at": str, "closed_at": str},
        pk="id",
        not_null={"code", "facilitator", "round", "revealed", "revision", "created_at", "active_at"},
    )
    db.table("trivsel_meetings").create_index(["code"], unique=True)
    db.table("trivsel_meetings").create_index(["facilitator", "active_at"])
    db.table("trivsel_meetings").create_index(["active_at"])
    db.table("trivsel_meeting_placements").create(
        {"meeting_id": int, "round": int, "participant": str, "initials": str, "value": int, "placed_at": str},
        pk=("meeting_id", "round", "participant"),
        not_null={"initials", "value", "placed_at"},
    )


def migrate(store: Connection) -> None:
    """Switch to WAL and apply the pending migrations in one write transaction (so two processes
    opening a new database at once migrate one after the other); then (re)install the CPR triggers."""
    db = store.db
    db.enable_wal()
    with store.write():
        migrations.apply(db)
        cprguard.install_triggers(db.conn)


def applied(store: Connection) -> list[str]:
    """The names of the migrations applied to the database, in the order they were applied."""
    return [m.name for m in migrations.applied(store.db)]
