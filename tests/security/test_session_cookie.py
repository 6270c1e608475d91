"""Defects 5 and 6 of the third review: a password change ends the user's other sessions, and
the session cookie is set by the server (HttpOnly, SameSite=Lax, Secure over HTTPS) through a
one-time grant, never written by a page script."""

from datetime import UTC, datetime, timedelta

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from handbook.identity import auth, cookie_grant, users

PASSWORD = "en-lang-adgangskode"


def test_changing_ones_own_password_ends_every_other_session_and_keeps_the_current(store):
    user = auth.add_user(store, "rikke", PASSWORD, "redaktør")
    here, laptop, phone = (auth.start_session(store, user) for _ in range(3))
    other = auth.start_session(store, auth.add_user(store, "mads", PASSWORD, "medarbejder"))
    ended = users.change_own_password(store, user, PASSWORD, "en-helt-ny-kode-1", "en-helt-ny-kode-1", here)
    assert ended == 2
    assert auth.user_for_session(store, here) == user
    assert auth.user_for_session(store, laptop) is None and auth.user_for_session(store, phone) is None
    assert auth.user_for_session(store, other) is not None  # another user's session is not touched


def test_a_password_change_without_a_current_session_ends_them_all(store):
    user = auth.add_user(store, "rikke", PASSWORD, "redaktør")
    token = auth.start_session(store, user)
    users.change_own_password(store, user, PASSWORD, "en-helt-ny-kode-1", "en-helt-ny-kode-1")
    assert auth.user_for_session(store, token) is None


def test_a_grant_gives_its_token_once_and_only_within_a_minute(store):
    grant = cookie_grant.issue(store, "token-abc")
    assert cookie_grant.redeem(store, grant) == "token-abc"
    assert cookie_grant.redeem(store, grant) is None  # used
    late = cookie_grant.issue(store, "token-abc", now=datetime.now(UTC) - timedelta(minutes=2))
    assert cookie_grant.redeem(store, late) is None  # expired
    assert cookie_grant.redeem(store, "gættet") is None
    assert cookie_grant.redeem(store, cookie_grant.issue(store, "")) == ""  # a grant to clear the cookie


def test_the_database_never_holds_the_session_token_of_a_grant(store):
    token = auth.start_session(store, auth.add_user(store, "rikke", PASSWORD, "redaktør"))
    cookie_grant.issue(store, token)
    dump = "\n".join(store.db.conn.iterdump())
    assert token not in dump


@pytest.fixture
def endpoint(tmp_path, monkeypatch):
    monkeypatch.setenv("HANDBOOK_DATA_DIR", str(tmp_path / "data"))
    from portal import server

    server._store.cache_clear()
    yield server
    server._store.cache_clear()


def test_the_endpoint_sets_an_httponly_lax_cookie_and_secure_only_over_https(endpoint):
    app = Starlette(routes=endpoint.routes())
    for base, secure in (("http://portal", False), ("https://portal", True)):
        grant = cookie_grant.issue(endpoint._store(), "token-abc")
        answer = TestClient(app, base_url=base).post(endpoint.COOKIE_PATH, content=grant)
        assert answer.status_code == 204
        header = answer.headers["set-cookie"]
        assert header.startswith("haandbogen_session=token-abc;")
        assert "HttpOnly" in header and "SameSite=Lax" in header and "Path=/" in header
        assert ("Secure" in header) is secure


def test_the_endpoint_refuses_an_unknown_or_used_grant_and_sets_nothing(endpoint):
    client = TestClient(Starlette(routes=endpoint.routes()))
    grant = cookie_grant.issue(endpoint._store(), "token-abc")
    assert client.post(endpoint.COOKIE_PATH, content=grant).status_code == 204
    for body in (grant, "gættet", "x" * 10_000, b"\xff\xfe"):
        answer = client.post(endpoint.COOKIE_PATH, content=body)
        assert answer.status_code == 403 and "set-cookie" not in answer.headers
    assert client.get(endpoint.COOKIE_PATH).status_code == 405
