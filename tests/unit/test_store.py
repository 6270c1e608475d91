"""The SQLite store: created and migrated on first open, WAL, safe for several writers."""

import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from handbook.publishing.revisions import record_file_revisions
from handbook.settings import paths_from_env
from handbook.store.database import Store, migrations
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
