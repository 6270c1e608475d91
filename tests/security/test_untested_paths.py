"""Third review, "prove the paths nobody has attacked yet": OIDC claims that try to raise a role,
the login lockout shared across processes (the core in several OS processes, and the real
cluster in Chromium), the trusted proxy header from an untrusted proxy through nginx (the
direct way is in test_proxy_header.py), and kill -9 of a process in the middle of a publish, a
Word import and a checklist save."""

from __future__ import annotations

import multiprocessing
import os
import random
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from playwright.sync_api import Browser, expect

from deploy.cluster import Cluster
from handbook.identity import auth, lockout
from handbook.identity.auth import AuthError
from handbook.identity.oidc import ClaimRoles, oidc_login
from handbook.settings import PROJECT_ROOT
from handbook.store.database import Store
from tests.e2e.conftest import browser, portal_env, running_portal  # noqa: F401 (fixtures)
from tests.security.crash_worker import LAST_LINE
from tests.security.test_proxy_header import open_page, start_nginx

PASSWORD = "en-lang-adgangskode"
ISSUER = "https://login.kommune.example"
ROLES = ClaimRoles("groups", {"admin": frozenset({"BU-Admin"}), "redaktør": frozenset({"BU-Redaktører"})})


def claims(sub: str = "sub-1", issuer: str = ISSUER, **more) -> dict:
    return {"iss": issuer, "sub": sub, "email": "kari@kommune.example", "name": "Kari", "iat": random.randint(1, 10**9), "nonce": str(random.random()), **more}


# -- OIDC claims that try to raise a role ------------------------------------------------------


@pytest.mark.parametrize("groups", [["BU-Admin-Test"], ["bu-admin"], ["admin", "Domain Admins"], "BU-Admin ", ["BU-Admin\u200b"], [["BU-Admin"]], {"BU-Admin": True}])
def test_a_group_that_is_not_mapped_gives_no_role(store, groups):
    login = oidc_login(store, claims(groups=groups), ROLES)
    assert login.user.role == "medarbejder"


def test_a_role_claim_from_a_provider_that_should_not_send_one_is_ignored(store):
    sneaky = {"roles": ["admin"], "role": "admin", "groups": ["BU-Admin"], "wids": ["62e90394-69f5-4237-9190-012177145e10"]}
    assert oidc_login(store, claims(**sneaky), None).user.role == "medarbejder"  # roles_from_claims not set: claims give no role
    assert oidc_login(store, claims(sub="sub-2", roles=["admin"], role="admin"), ROLES).user.role == "medarbejder"  # only 'groups' counts
    admin = auth.add_user(store, "anne", PASSWORD, "admin")
    auth.set_role(store, oidc_login(store, claims(), None).user.name, "redaktør", admin)
    assert oidc_login(store, claims(**sneaky), None).user.role == "redaktør"  # the role set in the portal holds


def test_a_changed_issuer_is_another_person_and_never_the_linked_admin(store):
    first = oidc_login(store, claims(groups=["BU-Admin"]), ROLES).user
    assert first.role == "admin"
    impostor = oidc_login(store, claims(issuer="https://evil.example", groups=[]), ROLES).user
    assert impostor.name != first.name and impostor.role == "medarbejder"
    also = oidc_login(store, claims(issuer=ISSUER + "/", groups=[]), ROLES).user  # a trailing slash is another issuer
    assert also.name not in (first.name, impostor.name) and also.role == "medarbejder"
    assert auth.get_user(store, first.name).role == "admin"


def test_an_oidc_email_never_takes_over_a_local_account_of_that_name(store):
    auth.add_user(store, "kari@kommune.example", PASSWORD, "admin")
    login = oidc_login(store, claims(issuer="https://evil.example"), None)
    assert login.user.name != "kari@kommune.example" and login.user.role == "medarbejder"


# -- the login lockout across processes ----------------------------------------------------------


def _guess(path: str, attempts: int) -> int:
    store, checked = Store(Path(path)), 0
    for _ in range(attempts):
        try:
            auth.login(store, "rikke", "forkert-kode-123", client="203.0.113.9")
        except AuthError as exc:
            checked += "Forkert brugernavn" in str(exc)
    return checked


def test_the_lockout_is_shared_by_processes_on_one_database(tmp_path):
    path = tmp_path / "data" / "handbook.db"
    auth.add_user(Store(path), "rikke", PASSWORD, "redaktør")
    with multiprocessing.get_context("spawn").Pool(3) as pool:
        checked = pool.starmap(_guess, [(str(path), 6)] * 3)
    assert sum(checked) == lockout.MAX_FAILURES
    with pytest.raises(AuthError, match="For mange forkerte forsøg"):
        auth.login(Store(path), "rikke", PASSWORD)


def log_in_at(browser: Browser, url: str, password: str) -> str:  # noqa: F811
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{url}/log-ind")
    main = page.locator('[data-testid="stMain"]')
    main.get_by_label("Brugernavn").fill("rikke")
    main.get_by_label("Adgangskode").fill(password)
    main.get_by_role("button", name="Log ind").click()
    answer = main.locator('[data-testid="stAlert"]').first
    expect(answer).to_be_visible(timeout=30_000)
    text = answer.inner_text()
    context.close()
    return text


def test_the_lockout_holds_across_the_processes_of_the_cluster(browser: Browser, tmp_path):  # noqa: F811
    with Cluster(processes=2, workdir=tmp_path / "cluster") as cluster:
        auth.add_user(Store(tmp_path / "cluster" / "data" / "handbook.db"), "rikke", PASSWORD, "redaktør")
        first, second = cluster.process_urls()
        answers = [log_in_at(browser, url, "forkert-kode-123") for url in (first, second, first, second, first)]
        assert all("Forkert brugernavn eller adgangskode" in a for a in answers)
        assert "For mange forkerte forsøg" in log_in_at(browser, second, PASSWORD)
        assert "For mange forkerte forsøg" in log_in_at(browser, first, PASSWORD)


# -- the trusted header through a proxy that is not trusted -------------------------------------


@pytest.fixture(scope="module")
def untrusted_proxy(tmp_path_factory, portal_env):  # noqa: F811
    tmp = tmp_path_factory.mktemp("untrusted")
    env = {**portal_env, "HANDBOOK_DATA_DIR": str(tmp / "data"), "HANDBOOK_INDEX_DIR": str(tmp / "index"), "HANDBOOK_TRUSTED_HEADER": "X-Remote-User", "HANDBOOK_TRUSTED_PROXIES": "127.0.0.2"}
    log = tmp / "portal.log"
    port = __import__("tests.e2e.conftest", fromlist=["free_port"]).free_port()
    with running_portal(env, port=port, log_path=log):
        nginx, url = start_nginx(tmp / "nginx", port, {"adm": "adm-kode"}, bind="127.0.0.3", forwarded_for="$proxy_add_x_forwarded_for")
        try:
            yield SimpleNamespace(url=url, log=log)
        finally:
            nginx.terminate()
            nginx.wait(timeout=10)


def test_the_header_from_a_proxy_that_is_not_trusted_is_ignored_even_naming_the_trusted_one(browser: Browser, untrusted_proxy):  # noqa: F811
    context, page = open_page(browser, f"{untrusted_proxy.url}/nyt", http_credentials={"username": "adm", "password": "adm-kode"}, extra_http_headers={"X-Forwarded-For": "127.0.0.2"})
    try:
        expect(page.get_by_text("Log ind for at se, hvad der er ændret siden sidst")).to_be_visible(timeout=60_000)
        expect(page.get_by_text("adm ·")).to_have_count(0)
    finally:
        context.close()
    assert "header X-Remote-User ignored from 127.0.0.3:" in untrusted_proxy.log.read_text(encoding="utf-8")  # the proxy's own address, not the one it was told


# -- kill -9 in the middle of a write -----------------------------------------------------------


def kill_while_working(kind: str, data_dir: Path, rounds: int = 5) -> None:
    for _ in range(rounds):
        worker = subprocess.Popen([sys.executable, "-m", "tests.security.crash_worker", kind, str(data_dir)], cwd=PROJECT_ROOT, stdout=subprocess.PIPE, text=True, start_new_session=True)
        assert worker.stdout.readline().strip() == "klar"
        try:
            worker.wait(timeout=random.uniform(0.2, 1.5))
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)  # the worker and its pandoc, at once
        worker.wait(timeout=10)
        assert worker.returncode == -signal.SIGKILL


def check_database(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    return conn


@pytest.mark.parametrize("kind", ["publish", "word", "checklist"])
def test_kill_9_during_a_write_leaves_a_sound_database_and_nothing_half_written(tmp_path, kind):
    kill_while_working(kind, tmp_path)
    conn = check_database(tmp_path / "handbook.db")
    drafts = conn.execute("SELECT id, guideline_id, status, published_revision_id, text FROM drafts").fetchall()
    if kind == "publish":
        assert drafts
        published = {row[3] for row in drafts if row[2] == "offentliggjort"}
        revisions = {row[0] for row in conn.execute("SELECT id FROM revisions WHERE source = 'portal'")}
        assert published == revisions and None not in published  # every publish whole: revision and draft status together
        assert all(row[4].rstrip().endswith(LAST_LINE) for row in drafts)
        audited = conn.execute("SELECT count(*) FROM audit WHERE action = 'offentliggør'").fetchone()[0]
        assert audited == len(published)
    if kind in ("publish", "word"):
        created = conn.execute("SELECT count(*) FROM audit WHERE action LIKE 'opret kladde%'").fetchone()[0]
        assert created == len(drafts)
    if kind == "word":
        assert drafts and all(row[4].rstrip().endswith(drafts[0][4].rstrip().splitlines()[-1]) for row in drafts)
    if kind == "checklist":
        assert conn.execute("SELECT count(*) FROM checklist_runs").fetchone()[0] > 0
        assert conn.execute("SELECT count(*) FROM run_steps WHERE run_id NOT IN (SELECT id FROM checklist_runs)").fetchone()[0] == 0
        assert conn.execute("SELECT count(*) FROM run_steps WHERE done_at IS NULL OR done_by IS NULL OR note NOT LIKE 'Note %'").fetchone()[0] == 0
        assert conn.execute("SELECT count(*) FROM checklist_runs WHERE reference NOT LIKE 'Sag %' OR checklist_text IS NULL OR answers IS NULL").fetchone()[0] == 0
    Store(tmp_path / "handbook.db")  # and the portal opens it again
