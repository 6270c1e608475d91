"""Load benchmark: simulated caseworkers clicking through the portal over Streamlit's own protocol.

    .venv/bin/python bench/load_bench.py --users 50 --duration 60 --processes 1
    .venv/bin/python bench/load_bench.py --users 50 --duration 60 --processes 2      # behind nginx
    .venv/bin/python bench/load_bench.py --url http://127.0.0.1:8501 --server-pid 1234  # a running server

Each user does what a browser does: GET the page, GET /_stcore/health (which sets the XSRF
cookie), open the websocket /_stcore/stream with the `streamlit` subprotocol and the XSRF token,
then for every click send a `BackMsg.rerun_script` with the page and its query string and read
`ForwardMsg`s until `script_finished`. Between clicks it thinks 0–2 s (`--think`). Pages are drawn
from a mix of Forside, guidelines, search, checklists and the other reading pages; a share of the
users is logged in (a session cookie, as after a login). Now and then a user reloads the page
(a new session). Before measuring, every page of the mix is opened once per process and its text
checked (the guideline's title on a guideline page, the user's name for a logged-in user, ...).

By default the benchmark starts the portal itself (`--processes N`; N > 1 behind nginx, as in
production) with a fresh database and index in a temporary folder, and stops it afterwards. It
sends traffic only to 127.0.0.1 and stops after `--duration` seconds or `--max-runs` runs.

Reported (table, and JSON with `--json FILE`): page runs per second, latency p50/p95/p99 (all runs
and a new session's first run), errors, the server processes' CPU and resident memory (start, end,
peak, and the trend over the second half), and the load average of the machine.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlparse

import websockets
from google.protobuf.message import Message
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from deploy.cluster import Cluster  # noqa: E402
from handbook.checklists.schema import load_checklists  # noqa: E402
from handbook.content.library import load_library  # noqa: E402
from handbook.identity import auth  # noqa: E402
from handbook.settings import Paths, paths_from_env  # noqa: E402
from handbook.store.database import Store  # noqa: E402
from handbook.validate import guideline_anchors  # noqa: E402

SEARCHES = ["underretning", "BFU frist", "§ 50", "barnets lov § 20", "børnesamtale", "handleplan", "Signs of Safety",
            "ICS", "anbringelse", "samtykke", "netværksmøde", "genoptræning", "tavshedspligt", "efterværn", "akut"]
ROLES = {"medarbejder": 0.85, "redaktør": 0.15}


@dataclass(frozen=True)
class Page:
    """One click: the page's URL path and query string, and a text the rendered page must hold."""

    kind: str
    path: str
    query: str
    expect: str
    weight: float
    logged_in_only: bool = False


def page_mix(paths: Paths, searches: list[str]) -> list[Page]:
    """The pages users visit, weighted like a working day: mostly guidelines, then Forside and search."""
    library = load_library(paths)
    guidelines = library.all()
    checklists = load_checklists(paths.checklists_dir, library.config, guideline_anchors(library)).all()
    if not guidelines:
        raise SystemExit("Ingen retningslinjer at måle på.")
    pages = [Page("forside", "", "", "Sagsforløbet fra A til Z", 15)]
    pages += [Page("retningslinje", "retningslinje", urlencode({"id": g.id}), g.title, 35 / len(guidelines)) for g in guidelines]
    pages += [Page("soeg", "soeg", urlencode({"q": q}), "Søg i håndbogen", 18 / len(searches)) for q in searches]
    pages.append(Page("haandbog", "haandbog", "", guidelines[0].title, 8))
    pages.append(Page("tjeklister", "tjeklister", "", checklists[0].title if checklists else "Tjeklister", 4))
    pages += [Page("tjekliste", "tjekliste", urlencode({"id": c.id}), c.title, 10 / len(checklists)) for c in checklists]
    pages.append(Page("metoder", "metoder", "", "Metoder", 4))
    pages.append(Page("trivsel", "trivsel", "", "Trivselslinealen", 3))
    pages.append(Page("nyt", "nyt", "", "Nyt siden sidst", 3, logged_in_only=True))
    return pages


@dataclass
class Account:
    name: str
    display_name: str
    token: str


def make_accounts(database: Path, count: int) -> list[Account]:
    """Local accounts with a login session each, as after a login in the browser."""
    store = Store(database)
    accounts = []
    roles = list(ROLES)
    for number in range(count):
        name = f"bench{number:03d}"
        role = random.Random(number).choices(roles, weights=list(ROLES.values()))[0]
        display = f"Belastning {number:03d}"
        user = auth.get_user(store, name) or auth.add_user(store, name, f"bench-password-{number:03d}", role, display)
        accounts.append(Account(user.name, user.display_name, auth.start_session(store, user)))
    return accounts


# -- the protocol --------------------------------------------------------------------------------


class RunFailed(Exception):
    pass


def _texts(message, out: list[str]) -> None:
    """Every string in a protobuf message (for checking what a page shows)."""
    for descriptor, value in message.ListFields():
        if descriptor.type == descriptor.TYPE_MESSAGE:
            for item in [value] if isinstance(value, Message) else value:
                _texts(item, out)
        elif descriptor.type == descriptor.TYPE_STRING:
            out.extend([value] if isinstance(value, str) else value)


class Session:
    """One browser tab: a websocket to one Streamlit session."""

    def __init__(self, base_url: str, account: Account | None, timeout: float):
        self.base_url = base_url.rstrip("/")
        self.account = account
        self.timeout = timeout
        self.cookies: dict[str, str] = {}
        if account is not None:
            self.cookies["haandbogen_session"] = account.token
        self.page_hashes: dict[str, str] = {}
        self.ws = None

    def _get(self, path: str) -> None:
        request = urllib.request.Request(self.base_url + path, headers={"Cookie": self._cookie_header(), "User-Agent": "haandbogen-load-bench"})
        with urllib.request.urlopen(request, timeout=self.timeout) as response:
            response.read()
            for header in response.headers.get_all("Set-Cookie") or []:
                name, _, rest = header.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]

    def _cookie_header(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())

    async def open(self, path: str, query: str) -> None:
        await asyncio.to_thread(self._get, "/" + path + ("?" + query if query else ""))
        await asyncio.to_thread(self._get, "/_stcore/health")
        xsrf = self.cookies.get("_streamlit_xsrf", "")
        parsed = urlparse(self.base_url)
        ws_url = f"ws://{parsed.netloc}/_stcore/stream"
        self.ws = await websockets.connect(
            ws_url, subprotocols=["streamlit", xsrf] if xsrf else ["streamlit"],
            additional_headers={"Cookie": self._cookie_header(), "Origin": self.base_url},
            max_size=None, open_timeout=self.timeout, user_agent_header="haandbogen-load-bench",
        )

    async def run(self, page: Page, collect_text: bool = False) -> list[str]:
        """One page run; returns the page's strings when asked. Raises RunFailed."""
        back = BackMsg()
        state = back.rerun_script
        state.query_string = page.query
        page_hash = self.page_hashes.get(page.path)
        if page_hash:
            state.page_script_hash = page_hash
        else:
            state.page_name = page.path
        info = state.context_info
        info.timezone, info.timezone_offset, info.locale = "Europe/Copenhagen", -60, "da-DK"
        info.url = f"{self.base_url}/{page.path}" + (f"?{page.query}" if page.query else "")
        await self.ws.send(back.SerializeToString())
        texts: list[str] = []
        deadline = time.monotonic() + self.timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise RunFailed("timeout")
            try:
                data = await asyncio.wait_for(self.ws.recv(), remaining)
            except TimeoutError:
                raise RunFailed("timeout") from None
            except websockets.ConnectionClosed as exc:
                raise RunFailed(f"forbindelsen lukkede: {exc}") from None
            msg = ForwardMsg()
            msg.ParseFromString(data)
            kind = msg.WhichOneof("type")
            if kind == "delta":
                element = msg.delta.new_element
                if msg.delta.WhichOneof("type") == "new_element" and element.WhichOneof("type") == "exception":
                    raise RunFailed(f"undtagelse på siden: {element.exception.type}: {element.exception.message[:200]}")
                if collect_text:
                    _texts(msg.delta, texts)
            elif kind == "navigation":
                for app_page in msg.navigation.app_pages:
                    self.page_hashes[app_page.url_pathname] = app_page.page_script_hash
                if collect_text:
                    _texts(msg.navigation, texts)
            elif kind == "page_not_found":
                raise RunFailed(f"siden findes ikke: {page.path}")
            elif kind == "script_finished":
                status = msg.script_finished
                if status == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    continue  # st.rerun() or a switch_page: the run goes on
                if status != ForwardMsg.FINISHED_SUCCESSFULLY:
                    raise RunFailed(f"script_finished {ForwardMsg.ScriptFinishedStatus.Name(status)}")
                return texts

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
            self.ws = None


# -- measuring -----------------------------------------------------------------------------------


@dataclass
class Results:
    started: float
    measure_from: float
    times: list[float] = field(default_factory=list)
    first_runs: list[float] = field(default_factory=list)
    by_kind: dict[str, list[float]] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)
    runs_total: int = 0

    def record(self, page: Page, seconds: float, first: bool, when: float) -> None:
        self.runs_total += 1
        if when < self.measure_from:
            return
        self.times.append(seconds)
        self.by_kind.setdefault(page.kind, []).append(seconds)
        if first:
            self.first_runs.append(seconds)

    def error(self, reason: str, when: float) -> None:
        if when >= self.measure_from:
            key = reason.split(":")[0][:80]
            self.errors[key] = self.errors.get(key, 0) + 1


def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))]


def ms(value: float | None) -> float | None:
    return None if value is None else round(value * 1000, 1)


class ProcessSampler:
    """CPU seconds and resident memory of the server processes, from /proc, once a second."""

    def __init__(self, pids: list[int], interval: float = 1.0):
        self.pids, self.interval = pids, interval
        self.samples: list[tuple[float, list[float], list[int]]] = []
        self.tick = os.sysconf("SC_CLK_TCK")

    def _sample(self) -> tuple[float, list[float], list[int]]:
        cpu, rss = [], []
        for pid in self.pids:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                cpu.append((int(fields[11]) + int(fields[12])) / self.tick)
                rss.append(int(fields[21]) * os.sysconf("SC_PAGE_SIZE"))
            except (OSError, IndexError, ValueError):
                cpu.append(0.0)
                rss.append(0)
        return time.monotonic(), cpu, rss

    async def run(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            self.samples.append(self._sample())
            try:
                await asyncio.wait_for(stop.wait(), self.interval)
            except TimeoutError:
                pass
        self.samples.append(self._sample())

    def summary(self, measure_from: float) -> list[dict]:
        window = [s for s in self.samples if s[0] >= measure_from] or self.samples[-1:]
        if not window:
            return []
        first, last = window[0], window[-1]
        span = max(last[0] - first[0], 1e-9)
        out = []
        for i, pid in enumerate(self.pids):
            rss = [s[2][i] for s in window]
            half = window[len(window) // 2:]
            trend = None
            if len(half) >= 2 and half[-1][0] > half[0][0]:
                trend = (half[-1][2][i] - half[0][2][i]) / 2**20 / ((half[-1][0] - half[0][0]) / 60)
            out.append({
                "pid": pid,
                "cpu_percent": round(100 * (last[1][i] - first[1][i]) / span, 1),
                "rss_mb_start": round(rss[0] / 2**20, 1),
                "rss_mb_end": round(rss[-1] / 2**20, 1),
                "rss_mb_peak": round(max(rss) / 2**20, 1),
                "rss_mb_per_min_second_half": None if trend is None else round(trend, 2),
                "rss_mb_series": [round(s[2][i] / 2**20, 1) for s in window[:: max(1, len(window) // 60)]],
            })
        return out


async def verify(urls: list[str], pages: list[Page], accounts: list[Account], timeout: float) -> None:
    """Open every page of the mix on the first process, and one page of each kind logged in and on
    every other process (and through the proxy), and check their text."""
    one_per_kind = list({page.kind: page for page in pages}.values())
    for number, url in enumerate(urls):
        for account in [None, accounts[0] if accounts else None]:
            session = Session(url, account, timeout)
            await session.open("", "")
            try:
                for page in pages if number == 0 and account is None else one_per_kind:
                    if page.logged_in_only and account is None:
                        continue
                    texts = await session.run(page, collect_text=True)
                    expected = [page.expect] + ([account.display_name] if account else [])
                    for text in expected:
                        if not any(text in t for t in texts):
                            raise SystemExit(f"Kontrol fejlede: {url}/{page.path}?{page.query} viser ikke »{text}«.")
            finally:
                await session.close()


async def user_loop(number: int, url: str, pages: list[Page], account: Account | None, args, results: Results,
                    deadline: float, budget: list[int]) -> None:
    rng = random.Random(args.seed * 1000 + number)
    allowed = [p for p in pages if account is not None or not p.logged_in_only]
    weights = [p.weight for p in allowed]
    await asyncio.sleep(rng.uniform(0, args.ramp))
    while time.monotonic() < deadline and budget[0] > 0:
        session = Session(url, account, args.timeout)
        page = rng.choices(allowed, weights)[0]
        try:
            await session.open(page.path, page.query)
        except Exception as exc:  # noqa: BLE001 - counted as an error, the user retries
            results.error(f"verbindelse: {type(exc).__name__}", time.monotonic())
            await asyncio.sleep(1)
            continue
        first = True
        try:
            while time.monotonic() < deadline and budget[0] > 0:
                budget[0] -= 1
                start = time.monotonic()
                try:
                    await session.run(page)
                except RunFailed as exc:
                    results.error(str(exc), start)
                    break
                results.record(page, time.monotonic() - start, first, start)
                first = False
                reload = rng.random() < args.reload_share
                if reload:
                    await session.close()
                await asyncio.sleep(rng.uniform(*args.think))
                if reload:
                    break
                page = rng.choices(allowed, weights)[0]
        finally:
            await session.close()


async def run_load(urls: list[str], pids: list[int], pages: list[Page], accounts: list[Account], args) -> dict:
    await verify(urls, pages, accounts, args.timeout)
    url = urls[-1] if len(urls) > 1 else urls[0]
    start = time.monotonic()
    client_cpu = time.process_time()
    results = Results(started=start, measure_from=start + args.warmup)
    deadline = start + args.warmup + args.duration
    sampler = ProcessSampler(pids)
    stop = asyncio.Event()
    sampling = asyncio.create_task(sampler.run(stop))
    budget = [args.max_runs]
    logged_in = round(args.users * args.logged_in_share)
    tasks = [
        asyncio.create_task(user_loop(n, url, pages, accounts[n] if n < logged_in else None, args, results, deadline, budget))
        for n in range(args.users)
    ]
    await asyncio.wait_for(asyncio.gather(*tasks), args.warmup + args.duration + 2 * args.timeout + 30)
    ended = time.monotonic()
    stop.set()
    await sampling
    window = min(ended, deadline) - results.measure_from
    servers = sampler.summary(results.measure_from)
    server_cpu_s = sum(server["cpu_percent"] for server in servers) / 100 * window
    return {
        "users": args.users, "logged_in_users": logged_in, "processes": len(pids), "think_s": list(args.think),
        "duration_s": round(window, 1), "warmup_s": args.warmup, "url": url,
        "runs": len(results.times), "runs_per_s": round(len(results.times) / window, 2) if window > 0 else None,
        "errors": sum(results.errors.values()), "error_kinds": results.errors,
        "p50_ms": ms(percentile(results.times, 50)), "p95_ms": ms(percentile(results.times, 95)),
        "p99_ms": ms(percentile(results.times, 99)), "max_ms": ms(max(results.times, default=None)),
        "first_run": {"count": len(results.first_runs), "p50_ms": ms(percentile(results.first_runs, 50)),
                      "p95_ms": ms(percentile(results.first_runs, 95))},
        "pages": {kind: {"runs": len(v), "p50_ms": ms(percentile(v, 50)), "p95_ms": ms(percentile(v, 95))}
                  for kind, v in sorted(results.by_kind.items())},
        "server": servers,
        # page runs per second of server CPU: less sensitive to other load on the machine
        "runs_per_server_cpu_s": round(len(results.times) / server_cpu_s, 1) if server_cpu_s > 0 else None,
        "load_average": list(os.getloadavg()), "cpu_count": os.cpu_count(),
        "client_cpu_percent": round(100 * (time.process_time() - client_cpu) / max(ended - start, 1e-9), 1),
        "server_options": args.set,
    }


def print_table(report: dict) -> None:
    print(f"\n{report['users']} brugere ({report['logged_in_users']} logget ind), {report['processes']} proces(ser), "
          f"tænketid {report['think_s'][0]}–{report['think_s'][1]} s, målt {report['duration_s']} s på {report['url']}")
    rows = [
        ("sidekørsler/s", report["runs_per_s"]), ("kørsler", report["runs"]), ("fejl", report["errors"]),
        ("p50 ms", report["p50_ms"]), ("p95 ms", report["p95_ms"]), ("p99 ms", report["p99_ms"]), ("max ms", report["max_ms"]),
        ("første kørsel p50 ms", report["first_run"]["p50_ms"]), ("første kørsel p95 ms", report["first_run"]["p95_ms"]),
        ("første kørsler", report["first_run"]["count"]),
    ]
    for label, value in rows:
        print(f"  {label:<24}{value}")
    if report["error_kinds"]:
        print("  fejltyper: " + ", ".join(f"{k} ×{v}" for k, v in report["error_kinds"].items()))
    print(f"  {'side':<16}{'kørsler':>8}{'p50 ms':>9}{'p95 ms':>9}")
    for kind, row in report["pages"].items():
        print(f"  {kind:<16}{row['runs']:>8}{row['p50_ms']:>9}{row['p95_ms']:>9}")
    for server in report["server"]:
        print(f"  server pid {server['pid']}: CPU {server['cpu_percent']} %, RSS {server['rss_mb_start']} → {server['rss_mb_end']} MB "
              f"(top {server['rss_mb_peak']}, 2. halvdel {server['rss_mb_per_min_second_half']} MB/min)")
    print(f"  sidekørsler pr. CPU-sekund i serveren: {report['runs_per_server_cpu_s']}")
    print(f"  belastningsklienten: CPU {report['client_cpu_percent']} %")
    print(f"  load average {', '.join(f'{x:.2f}' for x in report['load_average'])} ({report['cpu_count']} kerner)")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=float, default=60, help="målte sekunder (efter opvarmning)")
    parser.add_argument("--warmup", type=float, default=10, help="sekunder, der ikke tælles med")
    parser.add_argument("--ramp", type=float, default=5, help="brugerne starter spredt over så mange sekunder")
    parser.add_argument("--think", type=float, nargs=2, default=(0.0, 2.0), metavar=("MIN", "MAX"))
    parser.add_argument("--logged-in-share", type=float, default=0.5)
    parser.add_argument("--reload-share", type=float, default=0.05, help="sandsynlighed for genindlæsning (ny session) efter et klik")
    parser.add_argument("--processes", type=int, default=1, help="portalprocesser at starte (over 1: bag nginx)")
    parser.add_argument("--set", action="append", default=[], metavar="OPTION=VALUE", help="Streamlit-indstilling til serveren, fx runner.postScriptGC=true")
    parser.add_argument("--url", help="mål en kørende portal i stedet (kun loopback)")
    parser.add_argument("--server-pid", type=int, action="append", default=[], help="med --url: processer at måle CPU/RSS på")
    parser.add_argument("--database", type=Path, help="med --url: portalens database (til brugere, der er logget ind)")
    parser.add_argument("--timeout", type=float, default=30)
    parser.add_argument("--max-runs", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", type=Path, help="skriv resultatet som JSON hertil")
    args = parser.parse_args(argv)
    if args.url and urlparse(args.url).hostname not in ("127.0.0.1", "localhost", "::1"):
        parser.error("--url skal pege på denne maskine (127.0.0.1 eller localhost)")
    return args


def main(argv: list[str] | None = None) -> dict:
    args = parse_args(argv)
    paths = paths_from_env()
    pages = page_mix(paths, SEARCHES)
    logged_in = round(args.users * args.logged_in_share)
    if args.url:
        accounts = make_accounts(args.database or paths.database_path, max(logged_in, 1))
        report = asyncio.run(run_load([args.url], args.server_pid, pages, accounts, args))
    else:
        with tempfile.TemporaryDirectory(prefix="haandbogen-load-") as tmp:
            nginx = args.processes > 1
            with Cluster(processes=args.processes, nginx=nginx, workdir=Path(tmp), server_options=args.set) as cluster:
                accounts = make_accounts(Path(tmp) / "data" / "handbook.db", max(logged_in, 1))
                urls = cluster.process_urls() + ([cluster.url] if nginx else [])
                report = asyncio.run(run_load(urls, cluster.pids(), pages, accounts, args))
    print_table(report)
    if args.json:
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    return report


if __name__ == "__main__":
    main()
