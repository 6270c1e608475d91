"""Security benchmark: the numbers behind issue 12's login and CPR-guard claims.

    .venv/bin/python bench/security_bench.py [--parallel 30] [--rounds 8]

Reports, for the code in this checkout (run it with PYTHONPATH pointing at another checkout to
compare): how many passwords are actually checked when N wrong passwords for one account arrive
at once, the median time of a failed login for a real and for an unknown user name, and how
long the CPR check takes per bundled guideline. Print the load average with the numbers; the
machine may be shared.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, os.environ.get("PYTHONPATH", "").split(":")[0] or str(Path(__file__).resolve().parent.parent))

from handbook.identity import auth  # noqa: E402
from handbook.privacy.cpr import contains_cpr  # noqa: E402
from handbook.store.database import Store  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def parallel_checks(count: int) -> int:
    store = Store(Path(tempfile.mkdtemp()) / "bench.db")
    auth.add_user(store, "mads", "en-lang-adgangskode", "medarbejder")
    checks = []
    real = auth.verify_password
    auth.verify_password = lambda password, stored: checks.append(1) or real(password, stored)
    barrier = threading.Barrier(count)

    def attempt(i: int) -> None:
        barrier.wait()
        try:
            auth.login(store, "mads", f"forkert-kode-{i:03}")
        except auth.AuthError:
            pass

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    auth.verify_password = real
    return len(checks)


def login_times(rounds: int) -> tuple[float, float]:
    store = Store(Path(tempfile.mkdtemp()) / "bench.db")
    auth.add_user(store, "mads", "en-lang-adgangskode", "medarbejder")
    known, unknown = [], []
    for i in range(rounds):
        for name, bucket in (("mads", known), (f"ukendt-{i}", unknown)):
            if i and i % 4 == 0 and name == "mads":
                auth.login(store, "mads", "en-lang-adgangskode")  # stay under the lock limit
            start = time.perf_counter()
            try:
                auth.login(store, name, "forkert-kode-123")
            except auth.AuthError:
                pass
            bucket.append(time.perf_counter() - start)
    return statistics.median(known) * 1000, statistics.median(unknown) * 1000


def cpr_check_time() -> float:
    texts = [p.read_text(encoding="utf-8") for p in (ROOT / "guidelines").rglob("*.md")]
    start = time.perf_counter()
    for _ in range(20):
        for text in texts:
            contains_cpr(text)
    return (time.perf_counter() - start) / (20 * len(texts)) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--parallel", type=int, default=30)
    parser.add_argument("--rounds", type=int, default=8)
    args = parser.parse_args()
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"{args.parallel} parallel wrong passwords for one account: {parallel_checks(args.parallel)} checked")
    known, unknown = login_times(args.rounds)
    print(f"failed login, median: real name {known:.1f} ms, unknown name {unknown:.1f} ms")
    print(f"CPR check per bundled guideline: {cpr_check_time():.2f} ms")


if __name__ == "__main__":
    main()
