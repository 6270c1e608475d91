"""The SQLite store: created and migrated on first open, WAL, safe for several writers."""

import sqlite3
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from sqlite_utils import Database

from handbook.privacy import triggers as cprguard
from handbook.publishing.revisions import record_file_revisions
from handbook.settings import paths_from_env
from handbook.store.database import Store
from handbook.store.migrations import migrations
from tests.conftest import guideline_text, write


def test_first_open_creates_the_schema_in_wal_mode(tmp_path):
    store = Store(tmp_path / "data" / "handbook.db")
    assert (tmp_path / "data" / "handbook.db").exists()
    assert store.journal_mode() == "wal"
    assert store.applied_migrations()[:2] == ["m001_revisions", "m002_search_misses"]
    assert {"users", "drafts", "acknowledgements", "audit"} <= set(store.db.table_names())
    assert migrations.pending(store.db) == []
    assert store.db["revisions"].exists()


def test_reopening_does_not_migrate_again_or_lose_data(tmp_path, paths):
    write(paths.guidelines_dir / "u.md", guideline_text())
    store = Store(tmp_path / "h.db")
    record_file_revisions(store, paths)
    again = Store(tmp_path / "h.db")
    assert len(again.applied_migrations()) == len(store.applied_migrations())
    assert len(again.revisions("underretninger")) == 1


def test_data_dir_comes_from_the_environment(tmp_path):
    paths = paths_from_env({"HANDBOOK_DATA_DIR": str(tmp_path / "elsewhere")})
    assert paths.database_path == tmp_path / "elsewhere" / "handbook.db"
    assert paths_from_env({}).database_path.parent.name == "data"


def test_an_edited_file_becomes_a_new_revision_and_an_unchanged_one_does_not(tmp_path, paths):
    store = Store(tmp_path / "h.db")
    file = write(paths.guidelines_dir / "u.md", guideline_text())
    assert record_file_revisions(store, paths)[1] == 1
    assert record_file_revisions(store, paths)[1] == 0
    write(file, guideline_text(version='version: "2.1"'))
    assert record_file_revisions(store, paths)[1] == 1
    revisions = store.revisions("underretninger")
    assert [r["version"] for r in revisions] == ["2.0", "2.1"]
    assert revisions[1]["text"] == file.read_text(encoding="utf-8")


def test_threads_share_a_store_without_errors(tmp_path, paths):
    write(paths.guidelines_dir / "u.md", guideline_text())
    store = Store(tmp_path / "h.db")
    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(lambda _: record_file_revisions(store, paths), range(40)))
    assert len(store.revisions("underretninger")) == 1


def test_processes_opening_a_new_database_at_once_migrate_once(tmp_path):
    db = tmp_path / "shared.db"
    script = f"from handbook.store.database import Store; Store(__import__('pathlib').Path({str(db)!r}))"
    procs = [subprocess.Popen([sys.executable, "-c", script], cwd=Path(__file__).parents[2], stderr=subprocess.PIPE) for _ in range(4)]
    errors = [p.communicate()[1].decode() for p in procs]
    assert all(p.returncode == 0 for p in procs), errors
    rows = Store(db).db.execute("select count(*) from _sqlite_migrations").fetchone()[0]
    assert rows == len(Store(db).applied_migrations())


# The migrations as released at e14db08 (issue 23 split store.py into a package): a database records
# these names, so they keep their names and order; a new migration is added after them.
RELEASED_MIGRATIONS = [
    "m001_revisions", "m002_search_misses", "m003_revision_publishing", "m004_users", "m005_drafts",
    "m006_acknowledgements", "m007_audit", "m008_sessions", "m009_checklist_runs", "m010_trivsel_assessments",
    "m011_worksheets", "m012_sec_scrub_cpr", "m012_sec_unique_versions", "m012_sec_login_throttle",
    "m012_sec_run_activity", "m040_dl_start_corrections", "m020_ed_user_admin", "m021_ed_notifications",
    "m022_ed_follows_and_required_reading", "m023_ed_feedback", "m024_ed_outbox", "m030_sso_identities",
]


def schema(db: Database) -> list[tuple]:
    return db.execute("SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name").fetchall()


def test_released_migrations_keep_their_names_and_order(tmp_path):
    names = [m.name for m in migrations.pending(Database(memory=True))]
    assert names[: len(RELEASED_MIGRATIONS)] == RELEASED_MIGRATIONS
    assert Store(tmp_path / "h.db").applied_migrations() == names


def test_a_database_migrated_part_of_the_way_opens_and_finishes_unchanged(tmp_path):
    """A database left at a fixed point of the list (as an older release left it) opens: the
    rest is applied, its rows are kept, and it ends with the schema of a new database."""
    conn = sqlite3.connect(tmp_path / "old.db", isolation_level=None)
    cprguard.register(conn)
    old = Database(conn)
    migrations.apply(old, stop_before="m012_sec_run_activity")
    assert [m.name for m in migrations.applied(old)] == RELEASED_MIGRATIONS[: RELEASED_MIGRATIONS.index("m012_sec_run_activity")]
    old.table("users").insert({"name": "anna", "display_name": "Anna", "role": "admin", "password_hash": "x", "source": "local", "created_at": "2025-01-01T00:00:00+00:00", "active": 1})
    old.table("checklist_runs").insert(
        {"id": 1, "checklist_id": "c", "checklist_version": "1", "checklist_text": "t", "start_at": "2025-01-01T08:00:00+00:00", "answers": "{}", "owner": "anna", "created_at": "2025-01-01T08:00:00+00:00"}
    )
    old.table("run_steps").insert({"run_id": 1, "step_id": "s", "done_at": "2025-01-03T09:00:00+00:00", "done_by": "anna"})
    conn.close()

    store = Store(tmp_path / "old.db")
    assert store.applied_migrations()[: len(RELEASED_MIGRATIONS)] == RELEASED_MIGRATIONS
    assert migrations.pending(store.db) == []
    assert store.user("anna") is not None and store.user("anna")["email"] == "" and store.user("anna")["must_change_password"] == 0
    run = store.run(1)
    assert run is not None and run["last_activity"] == "2025-01-03T09:00:00.000000+00:00"
    assert store.run_steps(1)[0]["done_by"] == "anna"
    assert schema(store.db) == schema(Store(tmp_path / "new.db").db)
    reopened = Store(tmp_path / "old.db")
    assert reopened.applied_migrations() == store.applied_migrations()
