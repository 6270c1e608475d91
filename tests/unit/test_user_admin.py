"""User administration: the last active admin stays, temporary passwords, deactivation ends
sessions, own password, e-mail addresses, and the audit log filter."""

import subprocess
import sys
from datetime import date

import pytest

from handbook.identity import auth, users
from handbook.identity.auditlog import choices, filter_entries
from handbook.identity.auth import AuthError, PermissionDenied
from handbook.settings import PROJECT_ROOT
from handbook.store.database import Store

PASSWORD = "en-lang-adgangskode"


@pytest.fixture
def store(tmp_path):
    return Store(tmp_path / "data" / "handbook.db")


@pytest.fixture
def admin(store):
    return auth.add_user(store, "adm", PASSWORD, "admin", "Anne Admin")


def test_the_last_active_admin_cannot_be_demoted_or_deactivated_in_the_portal(store, admin):
    with pytest.raises(AuthError, match="sidste aktive administrator"):
        auth.set_role(store, "adm", "medarbejder", admin)
    with pytest.raises(AuthError, match="sidste aktive administrator.*deaktiveres"):
        users.set_active(store, admin, "adm", False)
    assert store.user("adm")["role"] == "admin" and store.user("adm")["active"] == 1
    second, _ = users.create_user(store, admin, "bo", "admin", "Bo")
    auth.set_role(store, "adm", "medarbejder", second)  # another admin remains: allowed
    with pytest.raises(AuthError, match="sidste aktive administrator"):
        users.set_active(store, auth.get_user(store, "bo"), "bo", False)


def test_a_deactivated_admin_does_not_count_as_the_one_remaining(store, admin):
    users.create_user(store, admin, "bo", "admin")
    users.set_active(store, admin, "bo", False)
    with pytest.raises(AuthError, match="sidste aktive administrator"):
        auth.set_role(store, "adm", "redaktør", admin)


def run_cli(tmp_path, *args):
    env = {"HANDBOOK_DATA_DIR": str(tmp_path / "data"), "PATH": "/usr/bin:/bin"}
    return subprocess.run([sys.executable, "-m", "handbook", *args], capture_output=True, text=True, cwd=PROJECT_ROOT, env=env, check=False)


def test_the_last_active_admin_cannot_be_demoted_or_deactivated_from_the_command_line(tmp_path, store, admin):
    demoted = run_cli(tmp_path, "user", "role", "adm", "medarbejder")
    assert demoted.returncode == 1 and "'adm' er den sidste aktive administrator og kan ikke fratages administratorrollen" in demoted.stderr
    deactivated = run_cli(tmp_path, "user", "deactivate", "adm")
    assert deactivated.returncode == 1 and "kan ikke deaktiveres" in deactivated.stderr
    assert store.user("adm")["role"] == "admin" and store.user("adm")["active"] == 1
    users.create_user(store, admin, "mads", "medarbejder")
    assert run_cli(tmp_path, "user", "deactivate", "mads").returncode == 0
    assert store.user("mads")["active"] == 0


def test_a_new_user_gets_a_temporary_password_shown_once_and_must_change_it(store, admin):
    user, temporary = users.create_user(store, admin, "mads", "medarbejder", "Mads", "mads@kommune.dk")
    assert len(temporary) >= auth.MIN_PASSWORD_LENGTH and temporary not in str(store.user("mads"))
    assert auth.login(store, "mads", temporary) == user
    assert users.must_change_password(store, "mads")
    with pytest.raises(AuthError, match="ikke ens"):
        users.change_own_password(store, user, temporary, "mit-nye-kodeord", "noget-andet-her")
    with pytest.raises(AuthError, match="nuværende adgangskode er forkert"):
        users.change_own_password(store, user, "forkert-kode-123", "mit-nye-kodeord", "mit-nye-kodeord")
    users.change_own_password(store, user, temporary, "mit-nye-kodeord", "mit-nye-kodeord")
    assert not users.must_change_password(store, "mads")
    assert auth.login(store, "mads", "mit-nye-kodeord") == user
    with pytest.raises(AuthError):
        auth.login(store, "mads", temporary)


def test_only_admins_manage_users(store, admin):
    editor, _ = users.create_user(store, admin, "rikke", "redaktør")
    with pytest.raises(PermissionDenied):
        users.create_user(store, editor, "ny", "medarbejder")
    with pytest.raises(PermissionDenied):
        users.reset_password(store, editor, "adm")
    with pytest.raises(PermissionDenied):
        users.set_active(store, editor, "adm", False)


def test_resetting_a_password_ends_sessions_and_requires_a_new_password(store, admin):
    user, first = users.create_user(store, admin, "mads", "medarbejder")
    token = auth.start_session(store, auth.login(store, "mads", first))
    second = users.reset_password(store, admin, "mads")
    assert second != first
    assert auth.user_for_session(store, token) is None
    assert auth.login(store, "mads", second) == user and users.must_change_password(store, "mads")


def test_deactivating_ends_sessions_and_refuses_login_until_reactivated(store, admin):
    users.create_user(store, admin, "mads", "medarbejder")
    users.reset_password(store, admin, "mads")
    store.db.execute("UPDATE users SET password_hash = ? WHERE name = 'mads'", [auth.hash_password(PASSWORD)])
    token = auth.start_session(store, auth.login(store, "mads", PASSWORD))
    users.set_active(store, admin, "mads", False)
    assert auth.user_for_session(store, token) is None
    assert store.db.execute("SELECT count(*) FROM sessions WHERE user = 'mads'").fetchone()[0] == 0
    with pytest.raises(AuthError):
        auth.login(store, "mads", PASSWORD)
    assert "mads" not in [u.name for u in auth.all_users(store)]
    users.set_active(store, admin, "mads", True)
    assert auth.login(store, "mads", PASSWORD).name == "mads"


def test_email_addresses_are_checked(store, admin):
    with pytest.raises(AuthError, match="gyldig e-mailadresse"):
        users.set_email(store, admin, "adm", "ikke en adresse")
    users.set_email(store, admin, "adm", "anne@kommune.dk")
    assert users.email_of(store, "adm") == "anne@kommune.dk"


def test_the_audit_log_is_filtered_by_person_action_and_period(store, admin):
    users.create_user(store, admin, "mads", "medarbejder")
    users.set_active(store, admin, "mads", False)
    users.set_active(store, admin, "mads", True)
    log = auth.audit_log(store, admin)
    assert set(choices(log, "action")) >= {"opret bruger", "deaktivér bruger", "genaktivér bruger"}
    assert [e["action"] for e in filter_entries(log, actions=["deaktivér bruger"])] == ["deaktivér bruger"]
    assert filter_entries(log, actors=["ingen"]) == []
    today = date.fromisoformat(log[0]["at"][:10])
    assert len(filter_entries(log, start=today, end=today)) == len(log)
    assert filter_entries(log, end=date(2000, 1, 1)) == []
    assert "deaktivér bruger" in auth.audit_log_csv(filter_entries(log, actions=["deaktivér bruger"]))
