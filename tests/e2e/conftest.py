"""Browser tests: the real app under `streamlit run` on a free port, driven in Debian's Chromium."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from handbook.settings import PROJECT_ROOT

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = PROJECT_ROOT / "test-artifacts"
# Assertions wait up to 15 s (Playwright's default is 5 s): on a shared 2-core machine the first
# page of a fresh portal (content load, index build) or a reload can take longer than 5 s.
expect.set_options(timeout=15_000)
# Moderate and minor axe findings, printed at the end of the run (critical and serious ones fail).
AXE_REPORT = pytest.StashKey[list]()


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    findings = config.stash.get(AXE_REPORT, None)
    if findings is None:
        return
    terminalreporter.section("axe-core: moderate og mindre fund")
    terminalreporter.write_line(f"{len(findings)} fund" + (":" if findings else " – ingen."))
    for line in findings:
        terminalreporter.write_line(line)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_health(url: str, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit stoppede med kode {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.read().decode().strip() == "ok":
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"streamlit svarede ikke på {url}/_stcore/health inden for {timeout} s")


@pytest.fixture(scope="session")
def portal_env(tmp_path_factory) -> dict[str, str]:
    """The environment of the portal under test: bundled content, a fresh data folder."""
    data_dir = tmp_path_factory.mktemp("e2e-data")
    return {**os.environ, "HANDBOOK_DATA_DIR": str(data_dir), "HANDBOOK_INDEX_DIR": str(data_dir / "index")}


@contextmanager
def running_portal(env: dict[str, str], port: int | None = None, args: tuple[str, ...] = (), log_path: Path | None = None) -> Iterator[str]:
    """Run `streamlit run app.py` on a free port (or port) with env and extra Streamlit args;
    yield its URL; stop it afterwards. log_path: where its output goes (for log assertions)."""
    port = port or free_port()
    output = open(log_path, "w", encoding="utf-8") if log_path else subprocess.DEVNULL
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "serve.py", "--server.port", str(port), "--server.address", "127.0.0.1", "--server.headless", "true", *args],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=output,
        stderr=subprocess.STDOUT if log_path else subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for_health(url, process)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:  # a slow shutdown on a busy machine
            process.kill()
            process.wait(timeout=15)
        if log_path:
            output.close()


@pytest.fixture(scope="session")
def portal_url(portal_env) -> str:
    """The portal with its bundled content and a fresh database, for the whole session."""
    with running_portal(portal_env) as url:
        yield url


def chromium_path() -> str:
    path = os.environ.get("HANDBOOK_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).exists():
        raise RuntimeError("Chromium mangler: installér Debians pakke 'chromium' (make test gør det).")
    return path


_running_browser: list[Browser] = []


@pytest.fixture(scope="session")
def browser() -> Browser:
    """One Chromium per test process. Test folders outside tests/e2e import this fixture too, and
    Playwright's sync API cannot run twice at once, so a second user borrows the running one."""
    if _running_browser:
        yield _running_browser[0]
        return
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        _running_browser.append(browser)
        yield browser
        _running_browser.clear()
        browser.close()


@pytest.fixture
def new_page(browser: Browser, request):
    """Open further pages, each in a browser context of its own (another person's browser)."""
    contexts = []

    def open_page(label: str) -> Page:
        context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="da-DK")
        contexts.append((label, context))
        page = context.new_page()
        page.set_default_timeout(20_000)
        return page

    yield open_page
    ARTIFACTS.mkdir(exist_ok=True)
    for label, context in contexts:
        for number, page in enumerate(context.pages):
            page.screenshot(path=str(ARTIFACTS / f"{request.node.name}-{label}-{number}.png"), full_page=True)
        context.close()


@pytest.fixture
def page(browser: Browser, request) -> Page:
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="da-DK")
    page = context.new_page()
    page.set_default_timeout(20_000)
    yield page
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()


@pytest.fixture(scope="session")
def accounts(portal_env) -> dict[str, str]:
    """An account per role (medarbejder, redaktør, admin) on the shared portal, made with the
    administrators' command; returns role → user name."""
    from tests.e2e.a11y_support import ACCOUNTS, PASSWORD

    for role, name in ACCOUNTS.items():
        done = subprocess.run(
            [sys.executable, "-m", "handbook", "user", "add", name, "--role", role, "--display-name", f"{name.title()} Test"],
            input=PASSWORD + "\n", capture_output=True, text=True, cwd=PROJECT_ROOT, env=portal_env, check=False,
        )
        assert done.returncode == 0, done.stderr
    return ACCOUNTS
