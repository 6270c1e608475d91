"""Retention on a schedule counted from the last activity, the purge command for cron, and
'//' links classed as external."""

import os
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from handbook.checklists.runs import complete_step, get_run, start_run
from handbook.checklists.schema import load_checklists
from handbook.content.render import render_body
from handbook.identity import auth
from handbook.identity.auth import User
from handbook.retention import purge
from handbook.settings import PROJECT_ROOT, PortalConfig
from handbook.store.database import Store

ROOT = Path(__file__).parents[2]
CASEWORKER = User("mads", "Mads", "medarbejder")


def backdate(store, table, column, days, where="1 = 1"):
    moment = (datetime.now(UTC) - timedelta(days=days)).isoformat(timespec="microseconds")
    with store.write() as db:
        db.execute(f"UPDATE {table} SET {column} = ? WHERE {where}", [moment])


def test_a_run_worked_on_recently_is_kept_and_an_idle_one_deleted(store):
    checklist = next(iter(load_checklists(PROJECT_ROOT / "checklists").checklists.values()))
    active = start_run(store, CASEWORKER, checklist, datetime.now(UTC), reference="sag-aktiv")
    idle = start_run(store, CASEWORKER, checklist, datetime.now(UTC), reference="sag-stille")
    backdate(store, "checklist_runs", "created_at", 200)
    backdate(store, "checklist_runs", "last_activity", 200)
    complete_step(store, CASEWORKER, active, checklist.steps[0].id)  # ticked today
    report = purge(store, PortalConfig(retention_days=180))
    assert report.runs == 1
    assert get_run(store, active) is not None and get_run(store, idle) is None


def test_failed_logins_search_misses_and_expired_sessions_get_retention_too(store):
    user = auth.add_user(store, "mads", "en-lang-adgangskode", "medarbejder")
    for name in ("mads", "ukendt"):
        try:
            auth.login(store, name, "forkert-kode-123", client="203.0.113.5")
        except auth.AuthError:
            pass
    store.record_search_miss("gammel søgning")
    store.record_search_miss("ny søgning")
    auth.start_session(store, user)
    backdate(store, "login_failures", "at", 31, "name = 'ukendt'")
    backdate(store, "search_misses", "last_seen", 181, "query = 'gammel søgning'")
    backdate(store, "sessions", "expires_at", 1)
    report = purge(store, PortalConfig(retention_days=180, login_failure_retention_days=30))
    assert (report.login_failures, report.search_misses, report.sessions) == (1, 1, 1)
    assert [row["query"] for row in store.search_misses()] == ["ny søgning"]
    assert [row[0] for row in store.db.execute("SELECT name FROM login_failures")] == ["mads"]


def test_the_purge_command_for_cron_deletes_and_reports_in_danish(tmp_path):
    store = Store(tmp_path / "data" / "handbook.db")
    store.record_search_miss("gammel søgning")
    backdate(store, "search_misses", "last_seen", 400)
    result = subprocess.run(
        [sys.executable, "-m", "handbook", "purge"],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT), "HANDBOOK_DATA_DIR": str(tmp_path / "data")},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "1 søgninger uden svar" in result.stdout
    assert store.search_misses() == []


def test_the_portal_purges_on_its_own_schedule_without_a_page_needing_content(make_app, tmp_path):
    """The job starts with the server process (first session) in a thread of its own."""
    store = Store(tmp_path / "data" / "handbook.db")
    store.record_search_miss("gammel søgning")
    backdate(store, "search_misses", "last_seen", 400)
    make_app(page="views/log_ind.py")
    deadline = time.monotonic() + 20
    while store.search_misses() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert store.search_misses() == []
    from portal import resources

    job = resources.retention_job()
    assert job.is_alive() and job.daemon and resources.retention_job() is job  # one per process


def test_protocol_relative_links_are_external():
    html = render_body("[a](//evil.example/x) og [b](/\\\\evil.example/y) og [c](https://ok.dk)").html
    assert html.count('target="_blank" rel="noopener noreferrer"') == 3
    assert '<a href="//evil.example/x" target="_blank"' in html
