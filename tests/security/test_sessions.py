"""Sessions that end: logout, expiry, deactivation and role changes reach every open tab."""

from datetime import UTC, datetime, timedelta

from handbook.identity import auth

PASSWORD = "en-lang-adgangskode"


def test_logout_ends_the_session_for_every_holder_of_the_token(store):
    user = auth.add_user(store, "rikke", PASSWORD, "redaktør")
    token = auth.start_session(store, user)
    other_tab = auth.start_session(store, user)
    auth.end_session(store, token)
    assert auth.user_for_session(store, token) is None
    assert auth.user_for_session(store, other_tab) == user  # another login is another session


def test_a_role_change_is_seen_at_the_next_lookup(store):
    admin = auth.add_user(store, "anne", PASSWORD, "admin")
    user = auth.add_user(store, "rikke", PASSWORD, "redaktør")
    token = auth.start_session(store, user)
    auth.set_role(store, "rikke", "medarbejder", admin)
    current = auth.user_for_session(store, token)
    assert current.role == "medarbejder" and not current.can("publish")


def test_expired_sessions_and_deactivated_users_find_nobody(store):
    user = auth.add_user(store, "rikke", PASSWORD, "redaktør")
    token = auth.start_session(store, user)
    with store.write() as db:
        db.execute("UPDATE sessions SET expires_at = ?", [(datetime.now(UTC) - timedelta(seconds=1)).isoformat()])
    assert auth.user_for_session(store, token) is None
    token = auth.start_session(store, user)
    with store.write() as db:
        db.execute("UPDATE users SET active = 0 WHERE name = 'rikke'")
    assert auth.user_for_session(store, token) is None
    assert auth.end_sessions_of(store, "rikke") == 1


def test_the_lookup_is_one_indexed_query(store):
    user = auth.add_user(store, "rikke", PASSWORD, "redaktør")
    token = auth.start_session(store, user)
    statements = []
    store.db.conn.set_trace_callback(statements.append)
    try:
        assert auth.user_for_session(store, token) == user
    finally:
        store.db.conn.set_trace_callback(None)
    assert len(statements) == 1
    plan = " ".join(str(row) for row in store.db.execute("EXPLAIN QUERY PLAN " + statements[0]))
    assert "SCAN" not in plan and "SEARCH" in plan


def test_tokens_that_are_not_tokens_find_nobody(store):
    auth.add_user(store, "rikke", PASSWORD, "redaktør")
    for token in ["", "x" * 100_000, "' OR 1=1 --", "\x00"]:
        assert auth.user_for_session(store, token) is None
