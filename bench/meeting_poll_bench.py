"""What the distriktsmøde's watcher costs: open screens polling the meeting's revision.

    .venv/bin/python bench/meeting_poll_bench.py --screens 10 --seconds 30

Each open meeting screen runs a fragment every POLL_SECONDS (portal/parts/district_meeting.py)
that reads one integer and reruns the page only when the meeting changed. Measured here:

1. the read itself: `Store.meeting_revision` called in a loop (microseconds per call);
2. the server: a fresh portal (own data folder, port from --port or a free one) with N Chromium
   tabs logged in, idle on the same meeting page, against the same N tabs idle on the
   Trivselslinealen page (no watcher). Reported: the server process's CPU time per second of
   wall time in each state (from /proc), and the difference per screen and per tick;
3. one change (a placement from another session) and how long until every tab shows it.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from handbook.identity import auth  # noqa: E402
from handbook.store.database import Store  # noqa: E402
from handbook.trivsel import district_meeting as dm  # noqa: E402
from handbook.trivsel.scale import load_scale  # noqa: E402
from portal.parts.district_meeting import POLL_SECONDS  # noqa: E402

PASSWORD = "en-lang-adgangskode-til-bench"


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure_cpu(pid: int, seconds: float) -> float:
    """The process's CPU seconds per wall second over the next `seconds`."""
    start_cpu, start = cpu_seconds(pid), time.monotonic()
    time.sleep(seconds)
    return (cpu_seconds(pid) - start_cpu) / (time.monotonic() - start)


def read_cost(store: Store, meeting_id: int, calls: int = 20_000) -> float:
    start = time.perf_counter()
    for _ in range(calls):
        store.meeting_revision(meeting_id)
    return (time.perf_counter() - start) / calls * 1e6


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def main() -> None:
    parser = argparse.ArgumentParser(description="Kostprisen for distriktsmødets overvågning af åbne skærme.")
    parser.add_argument("--screens", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    from playwright.sync_api import expect, sync_playwright

    data = Path(tempfile.mkdtemp(prefix="meeting-bench-"))
    env = {**os.environ, "HANDBOOK_DATA_DIR": str(data), "HANDBOOK_INDEX_DIR": str(data / "index")}
    store = Store(data / "handbook.db")
    lead = auth.add_user(store, "lene", PASSWORD, "medarbejder", display_name="Lene Holm")
    names = [f"deltager{n}" for n in range(args.screens)]
    for name in names:
        auth.add_user(store, name, PASSWORD, "medarbejder")
    meeting = dm.start_meeting(store, lead, "Bench")
    print(f"Store.meeting_revision: {read_cost(store, meeting.id):.1f} µs pr. kald")

    port = args.port or free_port()
    url = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port), "--server.address", "127.0.0.1", "--server.headless", "true"],
                              cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(200):
            try:
                if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).read() == b"ok":
                    break
            except OSError:
                time.sleep(0.3)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=["--headless", "--no-sandbox", "--disable-gpu"])
            pages = []
            for name in names:
                page = browser.new_context(locale="da-DK").new_page()
                page.goto(f"{url}/log-ind")
                main_area = page.locator('[data-testid="stMain"]')
                main_area.get_by_label("Brugernavn").fill(name)
                main_area.get_by_label("Adgangskode", exact=True).fill(PASSWORD)
                main_area.get_by_role("button", name="Log ind").click()
                expect(page.get_by_role("heading", name="Nyt siden sidst", level=1)).to_be_visible(timeout=60_000)
                pages.append(page)
            results = {}
            for label, path in (("Trivselslinealen (ingen overvågning)", "trivsel"), ("distriktsmøde (overvågning)", f"distriktsmoede?kode={meeting.code}")):
                for page in pages:
                    page.goto(f"{url}/{path}")
                    expect(page.get_by_role("heading", level=1)).to_be_visible(timeout=60_000)
                time.sleep(3)
                results[label] = measure_cpu(server.pid, args.seconds)
                print(f"{label}: {args.screens} skærme i tomgang, server-CPU {results[label] * 100:.1f} % af en kerne")
            idle, polling = results.values()
            ticks_per_second = args.screens / POLL_SECONDS
            print(f"Overvågningen: {(polling - idle) * 1000 / args.screens:.2f} ms CPU pr. sekund pr. skærm, "
                  f"{(polling - idle) * 1000 / ticks_per_second:.2f} ms pr. tik (hvert {POLL_SECONDS:g}. sekund)")
            participant = auth.get_user(store, names[0])
            start = time.monotonic()
            dm.place(store, participant, dm.load_meeting(store, meeting.id), "AB", 4, load_scale(ROOT / "config" / "trivselslinealen.yaml"))
            for page in pages:
                expect(page.get_by_text("1 har placeret indtil nu", exact=False)).to_be_visible(timeout=30_000)
            print(f"En placering nåede alle {args.screens} skærme efter {time.monotonic() - start:.1f} s")
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
