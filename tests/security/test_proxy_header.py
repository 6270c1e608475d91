"""The trusted proxy header (issue #12, item 4): believed only from HANDBOOK_TRUSTED_PROXIES,
never from a client that goes straight to Streamlit (with or without X-Forwarded-For), names
validated and shown as text.

The browser tests run the portal behind a real nginx from Debian that authenticates with basic
auth and sets X-Remote-User, as a municipality's proxy would after its own login. nginx connects
from 127.0.0.2 (`proxy_bind`), standing in for a proxy on another host, so a browser on
127.0.0.1 plays a client that reaches Streamlit directly.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path
from types import SimpleNamespace

import pytest
from playwright.sync_api import Browser, expect

from handbook.identity.proxy import ProxySettings, from_trusted_proxy, parse_networks, proxy_identity, proxy_settings, validate_name
from handbook.privacy.textsafe import markdown_literal
from tests.e2e.conftest import browser, free_port, portal_env, running_portal  # noqa: F401 (fixtures)

MARKDOWN_NAME = "[klik](evil.example)"
WAIT = 30_000  # ms


def settings(proxies: str, listen: str = "", forwarded_allow: str | None = None, header: str = "X-Remote-User") -> ProxySettings:
    env = {"HANDBOOK_TRUSTED_HEADER": header, "HANDBOOK_TRUSTED_PROXIES": proxies}
    if forwarded_allow is not None:
        env["FORWARDED_ALLOW_IPS"] = forwarded_allow
    return proxy_settings(env, listen=listen)


# -- the rules ---------------------------------------------------------------------------------


def test_trusted_proxies_are_ips_and_networks_and_other_entries_are_reported():
    networks, invalid = parse_networks(" 127.0.0.1, 10.20.0.0/16 ,::1,proxy.kommune.dk,,300.1.1.1")
    assert [str(n) for n in networks] == ["127.0.0.1/32", "10.20.0.0/16", "::1/128"]
    assert invalid == ("proxy.kommune.dk", "300.1.1.1")


def test_without_trusted_proxies_the_header_is_never_believed():
    assert not from_trusted_proxy(settings(""), None, forwarded_for=False)
    assert not from_trusted_proxy(settings("", listen="127.0.0.1"), None, forwarded_for=False)


def test_a_proxy_on_another_host_is_believed_only_from_its_address():
    proxy = settings("10.20.0.5")
    assert from_trusted_proxy(proxy, "10.20.0.5", forwarded_for=False)
    assert from_trusted_proxy(proxy, "::ffff:10.20.0.5", forwarded_for=False)  # Streamlit on "::"
    assert not from_trusted_proxy(proxy, "10.20.0.6", forwarded_for=False)
    assert not from_trusted_proxy(proxy, None, forwarded_for=False)  # a local client (None = loopback)
    assert from_trusted_proxy(settings("10.20.0.0/24"), "10.20.0.77", forwarded_for=False)


def test_an_address_that_may_come_from_x_forwarded_for_is_not_believed():
    # uvicorn takes X-Forwarded-For from 127.0.0.1 and ::1 by default: a local client can make
    # Streamlit report the proxy's address.
    assert not from_trusted_proxy(settings("10.20.0.5"), "10.20.0.5", forwarded_for=True)
    assert not from_trusted_proxy(settings("10.20.0.5", forwarded_allow="*"), "10.20.0.5", forwarded_for=True)
    # With uvicorn's forwarding off, or only from trusted proxies, the address is the real peer.
    assert from_trusted_proxy(settings("10.20.0.5", forwarded_allow=""), "10.20.0.5", forwarded_for=True)
    assert from_trusted_proxy(settings("10.20.0.5,127.0.0.1,::1"), "10.20.0.5", forwarded_for=True)


def test_streamlit_on_loopback_behind_a_proxy_on_this_host_believes_the_header():
    local = settings("127.0.0.1", listen="127.0.0.1")
    # nginx on this host sending X-Forwarded-For: Streamlit reports the client's address
    assert from_trusted_proxy(local, "192.0.2.44", forwarded_for=True)
    assert from_trusted_proxy(settings("::1", listen="::1"), "192.0.2.44", forwarded_for=True)
    # listening on every interface, a client elsewhere is not the proxy
    assert not from_trusted_proxy(settings("127.0.0.1", listen=""), "192.0.2.44", forwarded_for=True)
    assert not from_trusted_proxy(settings("127.0.0.1", listen="0.0.0.0"), "192.0.2.44", forwarded_for=False)
    # listening on loopback, but this host is not the listed proxy
    assert not from_trusted_proxy(settings("10.20.0.5", listen="127.0.0.1"), None, forwarded_for=False)


@pytest.mark.parametrize("name", ["kari", "kari.hansen@stevns.dk", "KOMMUNE\\kari", "søren_østergård", "o'brien", "a+b@x.dk"])
def test_login_names_as_directories_issue_them_are_accepted(name):
    assert validate_name(f"  {name} ") == name


@pytest.mark.parametrize("name", [MARKDOWN_NAME, "kari hansen", "<script>", "kari\nadm", "kari\u200b", "", "   ", "a" * 129, "**adm**", "kari;adm"])
def test_names_that_are_not_login_names_are_refused(name):
    assert validate_name(name) is None


def test_the_decision_says_what_to_log_and_what_to_tell_the_user():
    proxy = settings("10.20.0.5")
    assert proxy_identity(proxy, "10.20.0.5", ["kari"], False).name == "kari"
    assert proxy_identity(proxy, "10.20.0.5", [], False) == proxy_identity(proxy, "10.20.0.5", ["  "], False)
    ignored = proxy_identity(proxy, "203.0.113.9", ["adm"], False)
    assert ignored.name is None and "ignored from 203.0.113.9" in ignored.ignored and ignored.message == ""
    refused = proxy_identity(proxy, "10.20.0.5", [MARKDOWN_NAME], False)
    assert refused.name is None and "invalid name" in refused.ignored and "kunne ikke bruges" in refused.message
    twice = proxy_identity(proxy, "10.20.0.5", ["kari", "adm"], False)
    assert twice.name is None and "2 times" in twice.ignored
    assert proxy_identity(ProxySettings(), "10.20.0.5", ["kari"], False).name is None  # header off
    cpr = proxy_identity(proxy, "10.20.0.5", ["150588-4321"], False)
    assert cpr.name is None and "CPR" in cpr.ignored and "4321" not in cpr.ignored and cpr.message


def test_names_are_escaped_for_markdown_including_bare_links_and_emails():
    shown = markdown_literal("[Eva](https://evil.example/) **fed** kari@stevns.dk")
    for raw in ("[Eva]", "](", "**", "https://e", "kari@s"):
        assert raw not in shown


# -- through a real nginx ----------------------------------------------------------------------

NGINX_CONF = """\
{user}worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
events {{ worker_connections 256; }}
http {{
    access_log {tmp}/access.log;
    client_body_temp_path {tmp}/client_body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    map $http_upgrade $connection_upgrade {{ default upgrade; '' close; }}
    server {{
        listen 127.0.0.1:{port};
        auth_basic "Håndbogen";
        auth_basic_user_file {tmp}/htpasswd;
        location / {{
            proxy_pass http://127.0.0.1:{portal_port};
            {bind}
            proxy_http_version 1.1;
            proxy_set_header Host $http_host;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            proxy_set_header X-Remote-User $remote_user;
            proxy_set_header X-Forwarded-For {forwarded_for};
            proxy_set_header Authorization "";
            proxy_read_timeout 3600s;
        }}
    }}
}}
"""


def start_nginx(tmp: Path, portal_port: int, users: dict[str, str], bind: str = "127.0.0.2", forwarded_for: str = '""') -> tuple[subprocess.Popen, str]:
    """nginx in front of the portal, connecting from bind ('' = as the system chooses) and sending
    X-Forwarded-For as given ('""' = not at all)."""
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(nginx).exists():
        raise RuntimeError("nginx mangler: installér Debians pakke 'nginx' (make nginx gør det).")
    tmp.mkdir(parents=True, exist_ok=True)
    (tmp / "htpasswd").write_text("".join(f"{name}:{{PLAIN}}{password}\n" for name, password in users.items()), encoding="utf-8")
    port = free_port()
    conf = tmp / "nginx.conf"
    # Run as root (as CI does), nginx's workers would otherwise be "nobody" and could not read tmp.
    user = "user root;\n" if os.geteuid() == 0 else ""
    bind_line = f"proxy_bind {bind};" if bind else ""
    conf.write_text(NGINX_CONF.format(user=user, tmp=tmp, port=port, portal_port=portal_port, bind=bind_line, forwarded_for=forwarded_for), encoding="utf-8")
    process = subprocess.Popen([nginx, "-e", str(tmp / "error.log"), "-p", str(tmp), "-c", str(conf), "-g", "daemon off;"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"nginx stoppede: {process.stderr.read().decode(errors='replace')}")
        try:
            urllib.request.urlopen(f"{url}/_stcore/health", timeout=2)
        except urllib.error.HTTPError as exc:  # 401 without credentials: nginx is up
            if exc.code == 401:
                return process, url
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("nginx svarede ikke")


@pytest.fixture(scope="module")
def behind_nginx(tmp_path_factory, portal_env):
    tmp = tmp_path_factory.mktemp("proxy")
    portal_port = free_port()
    env = {
        **portal_env,
        "HANDBOOK_DATA_DIR": str(tmp / "data"),
        "HANDBOOK_INDEX_DIR": str(tmp / "index"),
        "HANDBOOK_TRUSTED_HEADER": "X-Remote-User",
        "HANDBOOK_TRUSTED_PROXIES": "127.0.0.2",
    }
    log = tmp / "portal.log"
    with running_portal(env, port=portal_port, log_path=log) as portal_url:
        nginx, proxy_url = start_nginx(tmp / "nginx", portal_port, {"kari": "kari-kode", MARKDOWN_NAME: "klik-kode"})
        try:
            yield SimpleNamespace(portal=portal_url, proxy=proxy_url, log=log)
        finally:
            nginx.terminate()
            nginx.wait(timeout=10)


def open_page(browser: Browser, url: str, **context_options):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="da-DK", **context_options)
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto(url)
    return context, page


def test_through_nginx_the_person_the_proxy_names_is_logged_in(browser: Browser, behind_nginx):
    # The client also tries to name someone else; nginx replaces the header with its own value.
    context, page = open_page(browser, f"{behind_nginx.proxy}/nyt", http_credentials={"username": "kari", "password": "kari-kode"}, extra_http_headers={"X-Remote-User": "adm"})
    try:
        expect(page.get_by_test_id("stSidebar").get_by_text("kari · Medarbejder")).to_be_visible(timeout=60_000)
        expect(page.get_by_role("heading", name="Nyt siden sidst")).to_be_visible(timeout=WAIT)
        expect(page.get_by_text("adm ·")).to_have_count(0)
    finally:
        context.close()


def test_a_client_going_straight_to_streamlit_is_not_believed_and_it_is_logged(browser: Browser, behind_nginx):
    for headers in ({"X-Remote-User": "adm"}, {"X-Remote-User": "adm", "X-Forwarded-For": "127.0.0.2"}):
        context, page = open_page(browser, f"{behind_nginx.portal}/nyt", extra_http_headers=headers)
        try:
            expect(page.get_by_text("Log ind for at se, hvad der er ændret siden sidst")).to_be_visible(timeout=60_000)
            expect(page.get_by_test_id("stSidebar").get_by_role("link", name="Log ind")).to_be_visible(timeout=WAIT)
            expect(page.get_by_text("adm ·")).to_have_count(0)
        finally:
            context.close()
    log = behind_nginx.log.read_text(encoding="utf-8")
    assert "header X-Remote-User ignored from 127.0.0.1 (loopback): not in HANDBOOK_TRUSTED_PROXIES" in log
    assert "header X-Remote-User ignored from 127.0.0.2: not certainly a trusted proxy (X-Forwarded-For present)" in log


def test_a_name_with_markdown_from_the_proxy_is_refused_and_shown_nowhere_as_a_link(browser: Browser, behind_nginx):
    context, page = open_page(browser, f"{behind_nginx.proxy}/nyt", http_credentials={"username": MARKDOWN_NAME, "password": "klik-kode"})
    try:
        expect(page.get_by_text("Brugernavnet fra organisationens log-ind-tjeneste kunne ikke bruges")).to_be_visible(timeout=60_000)
        expect(page.get_by_text("Log ind for at se, hvad der er ændret siden sidst")).to_be_visible(timeout=WAIT)
        assert page.locator('a[href*="evil.example"]').count() == 0
    finally:
        context.close()
    assert "has an invalid name: '[klik](evil.example)'" in behind_nginx.log.read_text(encoding="utf-8")


def test_the_usual_set_up_streamlit_on_loopback_behind_nginx_on_this_host_sending_x_forwarded_for(browser: Browser, tmp_path, portal_env):
    """As in docs/operations.md and the multi-process set-up: Streamlit on 127.0.0.1, nginx on the
    same host passing the client's address in X-Forwarded-For, HANDBOOK_TRUSTED_PROXIES=127.0.0.1,::1."""
    portal_port = free_port()
    env = {**portal_env, "HANDBOOK_DATA_DIR": str(tmp_path / "data"), "HANDBOOK_INDEX_DIR": str(tmp_path / "index"), "HANDBOOK_TRUSTED_HEADER": "X-Remote-User", "HANDBOOK_TRUSTED_PROXIES": "127.0.0.1,::1"}
    with running_portal(env, port=portal_port, log_path=tmp_path / "portal.log"):
        nginx, proxy_url = start_nginx(tmp_path / "nginx", portal_port, {"kari": "kari-kode"}, bind="", forwarded_for="$proxy_add_x_forwarded_for")
        try:
            context, page = open_page(browser, f"{proxy_url}/nyt", http_credentials={"username": "kari", "password": "kari-kode"}, extra_http_headers={"X-Forwarded-For": "198.51.100.7"})
            try:
                expect(page.get_by_test_id("stSidebar").get_by_text("kari · Medarbejder")).to_be_visible(timeout=60_000)
            finally:
                context.close()
        finally:
            nginx.terminate()
            nginx.wait(timeout=10)
    assert "ignored" not in (tmp_path / "portal.log").read_text(encoding="utf-8")
