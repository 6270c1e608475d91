"""Attacks on logging in: parallel guessing, timing that tells which names exist, one source
locking out every account, old password hashes."""

import threading
import time

import pytest

from handbook.identity import auth, lockout

PASSWORD = "en-lang-adgangskode"


def parallel(count, action):
    """Run action(i) in count threads released at the same moment; return their results."""
    barrier = threading.Barrier(count)
    results = [None] * count

    def worker(i):
        barrier.wait()
        try:
            results[i] = action(i)
        except Exception as exc:  # noqa: BLE001 - the test inspects what each attempt got
            results[i] = exc

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_thirty_parallel_wrong_passwords_check_at_most_five(store, monkeypatch):
    auth.add_user(store, "mads", PASSWORD, "medarbejder")
    checks = []
    real_verify = auth.verify_password
    monkeypatch.setattr(auth, "verify_password", lambda password, stored: checks.append(password) or real_verify(password, stored))
    results = parallel(30, lambda i: auth.login(store, "mads", f"forkert-kode-{i:03}", client=f"10.0.0.{i}"))
    assert all(isinstance(r, auth.AuthError) for r in results)
    assert len(checks) == lockout.MAX_FAILURES
    assert sum("For mange forkerte forsøg" in str(r) for r in results) == 30 - lockout.MAX_FAILURES
    # the right password is not even checked while the account is locked
    with pytest.raises(auth.AuthError, match="For mange forkerte forsøg"):
        auth.login(store, "mads", PASSWORD)


def test_parallel_guesses_from_several_processes_worth_of_connections_hold_the_limit(tmp_path):
    """Each thread opens its own Store (own connection), as separate server processes would."""
    from handbook.store.database import Store

    path = tmp_path / "shared.db"
    auth.add_user(Store(path), "mads", PASSWORD, "medarbejder")
    results = parallel(12, lambda i: auth.login(Store(path), "mads", f"forkert-kode-{i:03}"))
    wrong = [r for r in results if "Forkert brugernavn" in str(r)]
    assert len(wrong) == lockout.MAX_FAILURES


def test_an_unknown_name_costs_as_much_time_as_a_wrong_password(store):
    auth.add_user(store, "mads", PASSWORD, "medarbejder")

    def timed(name):
        start = time.perf_counter()
        with pytest.raises(auth.AuthError, match="Forkert brugernavn eller adgangskode"):
            auth.login(store, name, "forkert-kode-123")
        return time.perf_counter() - start

    known, unknown = [], []
    for round_ in range(4):  # under the lock limit for each name
        known.append(timed("mads"))
        unknown.append(timed(f"findes-ikke-{round_}"))
    # Before: 2-3 ms for an unknown name against 55-68 ms for a real one. The fastest of each
    # is compared, since a busy machine only ever makes a measurement slower.
    assert min(unknown) > 0.5 * min(known)
    assert min(known) > 0.005  # a real hash was computed for both


def test_unknown_names_are_locked_like_known_ones(store):
    for _ in range(lockout.MAX_FAILURES):
        with pytest.raises(auth.AuthError, match="Forkert brugernavn"):
            auth.login(store, "gaet-et-navn", "forkert-kode-123")
    with pytest.raises(auth.AuthError, match="For mange forkerte forsøg"):
        auth.login(store, "gaet-et-navn", "forkert-kode-123")


def test_one_client_address_cannot_lock_out_every_account(store):
    names = [f"bruger{i}" for i in range(8)]
    for name in names:
        auth.add_user(store, name, PASSWORD, "medarbejder")
    tried = 0
    for name in names:
        for _ in range(3):  # under each account's own limit
            with pytest.raises(auth.AuthError):
                auth.login(store, name, "forkert-kode-123", client="203.0.113.9")
            tried += 1
    assert tried > lockout.MAX_CLIENT_FAILURES
    # the attacking address is throttled ...
    with pytest.raises(auth.AuthError, match="fra din adresse"):
        auth.login(store, "bruger0", PASSWORD, client="203.0.113.9")
    # ... and the accounts it tried are still usable from elsewhere
    for name in names:
        assert auth.login(store, name, PASSWORD, client="198.51.100.7").name == name


def test_attempt_texts_that_cannot_be_names_are_not_stored(store):
    for text in ["150588-4321", "x" * 10_000, "<script>", "anna 150588 4321"]:
        with pytest.raises(auth.AuthError):
            auth.login(store, text, "forkert-kode-123")
    stored = {row[0] for row in store.db.execute("SELECT name FROM login_failures")}
    assert stored == {lockout.INVALID_NAME}


def test_old_scrypt_hashes_still_work_and_are_replaced_by_argon2id(store):
    auth.add_user(store, "mads", PASSWORD, "medarbejder")
    with store.write() as db:
        db.execute("UPDATE users SET password_hash = ? WHERE name = 'mads'", [auth.hash_password_scrypt(PASSWORD)])
    with pytest.raises(auth.AuthError):
        auth.login(store, "mads", "forkert-kode-123")
    assert store.user("mads")["password_hash"].startswith("scrypt$")  # a wrong password changes nothing
    assert auth.login(store, "mads", PASSWORD).name == "mads"
    new_hash = store.user("mads")["password_hash"]
    assert new_hash.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert auth.login(store, "mads", PASSWORD).name == "mads"


def test_a_correct_login_forgets_earlier_failures(store):
    auth.add_user(store, "mads", PASSWORD, "medarbejder")
    for _ in range(lockout.MAX_FAILURES - 1):
        with pytest.raises(auth.AuthError):
            auth.login(store, "mads", "forkert-kode-123")
    auth.login(store, "mads", PASSWORD)
    for _ in range(lockout.MAX_FAILURES - 1):
        with pytest.raises(auth.AuthError, match="Forkert brugernavn"):
            auth.login(store, "mads", "forkert-kode-123")
