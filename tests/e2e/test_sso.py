"""Single sign-on through a real OpenID Connect provider, in Chromium.

The provider is `oidc-provider-mock` on loopback (its authorisation form asks for the subject);
users are registered over its HTTP API with name, email and groups. Streamlit's `st.login`
reads its `[auth]` settings from a temporary secrets.toml (`--secrets.files`), and the portal
reads `roles_from_claims` from a temporary copy of config/.
"""

from __future__ import annotations

import json
import secrets
import shutil
import urllib.request
from contextlib import ExitStack
from pathlib import Path
from types import SimpleNamespace

import pytest
from oidc_provider_mock import run_server_in_thread
from playwright.sync_api import Browser, Page, expect

from handbook.identity.auth import add_user
from handbook.settings import PROJECT_ROOT
from handbook.store import identity as identity_store
from handbook.store.database import Store
from tests.e2e.conftest import free_port, running_portal

CLAIM_ROLES = """
roles_from_claims:
  claim: groups
  admin: [BU-Admin]
  redaktør: [BU-Redaktører]
"""
LOGIN_BUTTON = "Log ind med organisationens konto"
WAIT = 30_000  # ms; a page run on a busy 2-core machine can take seconds


def content_with_claim_roles(root: Path) -> Path:
    """The bundled guidelines and checklists with a config/ that maps groups to roles."""
    root.mkdir()
    for name in ("guidelines", "checklists"):
        (root / name).symlink_to(PROJECT_ROOT / name)
    shutil.copytree(PROJECT_ROOT / "config", root / "config")
    with open(root / "config" / "portal.yaml", "a", encoding="utf-8") as config:
        config.write(CLAIM_ROLES)
    return root


def write_secrets(path: Path, portal_port: int, provider_url: str) -> Path:
    path.write_text(
        "[auth]\n"
        f'redirect_uri = "http://127.0.0.1:{portal_port}/oauth2callback"\n'
        f'cookie_secret = "{secrets.token_hex(16)}"\n'
        'client_id = "haandbogen"\n'
        'client_secret = "hemmelig-klientnoegle"\n'
        f'server_metadata_url = "{provider_url}/.well-known/openid-configuration"\n',
        encoding="utf-8",
    )
    return path


def register(provider_url: str, sub: str, **claims) -> None:
    """Create or change a user at the provider (its PUT /users/<sub> API)."""
    request = urllib.request.Request(
        f"{provider_url}/users/{sub}", data=json.dumps(claims).encode(), method="PUT", headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=10):
        pass


def start_portal(stack: ExitStack, tmp: Path, provider_url: str, portal_env: dict[str, str], browser: Browser) -> SimpleNamespace:
    content = content_with_claim_roles(tmp / "content")
    port = free_port()
    secrets_file = write_secrets(tmp / "secrets.toml", port, provider_url)
    env = {**portal_env, "HANDBOOK_CONTENT_DIR": str(content), "HANDBOOK_DATA_DIR": str(tmp / "data"), "HANDBOOK_INDEX_DIR": str(tmp / "index")}
    log = tmp / "portal.log"
    url = stack.enter_context(running_portal(env, port=port, args=("--secrets.files", str(secrets_file)), log_path=log))
    warm_up(browser, url)
    return SimpleNamespace(url=url, store=Store(tmp / "data" / "handbook.db"), log=log, provider=provider_url)


def warm_up(browser: Browser, url: str) -> None:
    """Let the portal load its content and build the search index before the tests time pages."""
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(url)
        # the sidebar's last line is written once the content is loaded and indexed
        expect(page.get_by_test_id("stSidebar").get_by_text("Håndbogen · ")).to_be_visible(timeout=120_000)
    finally:
        context.close()


@pytest.fixture(scope="module")
def sso(tmp_path_factory, portal_env, browser):
    """A provider and a portal set up for it, shared by the tests of this module."""
    with ExitStack() as stack:
        server = stack.enter_context(run_server_in_thread())
        yield start_portal(stack, tmp_path_factory.mktemp("sso"), f"http://localhost:{server.server_port}", portal_env, browser)


def login_at_provider(page: Page, provider_url: str, sub: str) -> None:
    """Click the organisation's login, and pass the provider's form as sub."""
    page.get_by_role("button", name=LOGIN_BUTTON).click()
    page.wait_for_url(f"{provider_url}/oauth2/authorize*")
    page.get_by_placeholder("sub").fill(sub)
    page.get_by_role("button", name="Authorize", exact=True).click()


def sidebar(page: Page):
    return page.get_by_test_id("stSidebar")


def log_out(page: Page, url: str) -> None:
    """"Log ud", then the provider's own logout form when it shows one (Streamlit skips it when
    it cannot read the provider's end_session_endpoint in time)."""
    page.goto(f"{url}/log-ind")
    page.get_by_role("button", name="Log ud").click()
    end_session = page.get_by_role("button", name="End session")
    logged_out = sidebar(page).get_by_role("link", name="Log ind")
    expect(end_session.or_(logged_out)).to_be_visible(timeout=WAIT)
    if end_session.is_visible():
        end_session.click()
    expect(logged_out).to_be_visible(timeout=WAIT)


def test_login_roles_from_groups_logout_everywhere_and_the_next_person(sso, new_page):
    register(sso.provider, "sub-anna", name="Anna Holm", email="anna.holm@kommune.dk", groups=["BU-Redaktører", "Alle-ansatte"])
    register(sso.provider, "sub-bo", name="Bo Lind", email="bo.lind@kommune.dk", groups=["Alle-ansatte"])
    page = new_page("anna")
    page.goto(f"{sso.url}/log-ind")
    login_at_provider(page, sso.provider, "sub-anna")
    expect(sidebar(page).get_by_text("Anna Holm · Redaktør")).to_be_visible(timeout=WAIT)
    expect(sidebar(page).get_by_role("link", name="Redigér og offentliggør")).to_be_visible(timeout=WAIT)

    # A second tab shares the login ...
    other_tab = page.context.new_page()
    other_tab.goto(f"{sso.url}/nyt")
    expect(sidebar(other_tab).get_by_text("Anna Holm · Redaktør")).to_be_visible(timeout=WAIT)

    # ... and logout ends it there too, at the tab's next interaction.
    log_out(page, sso.url)
    expect(sidebar(page).get_by_text("Anna Holm")).to_have_count(0)
    sidebar(other_tab).get_by_role("link", name="Håndbog", exact=True).click()
    expect(sidebar(other_tab).get_by_role("link", name="Log ind")).to_be_visible(timeout=WAIT)
    expect(sidebar(other_tab).get_by_role("link", name="Redigér og offentliggør")).to_have_count(0)

    # The next person in the same browser gets their own role.
    page.goto(f"{sso.url}/log-ind")
    login_at_provider(page, sso.provider, "sub-bo")
    expect(sidebar(page).get_by_text("Bo Lind · Medarbejder")).to_be_visible(timeout=WAIT)
    expect(sidebar(page).get_by_role("link", name="Redigér og offentliggør")).to_have_count(0)

    anna = identity_store.link(sso.store, f"{sso.provider}", "sub-anna")
    assert anna is not None and sso.store.user(anna["user"])["role"] == "redaktør"
    changes = [e for e in sso.store.audit_log() if e["action"] == "rolle fra claims" and e["target"] == anna["user"]]
    assert changes and "medarbejder → redaktør" in changes[0]["details"] and "BU-Redaktører" in changes[0]["details"]


def test_removing_someone_from_the_group_removes_the_role_at_the_next_login(sso, new_page):
    register(sso.provider, "sub-carl", name="Carl Berg", email="carl@kommune.dk", groups=["BU-Admin"])
    page = new_page("carl")
    page.goto(f"{sso.url}/log-ind")
    login_at_provider(page, sso.provider, "sub-carl")
    expect(sidebar(page).get_by_text("Carl Berg · Administrator")).to_be_visible(timeout=WAIT)
    log_out(page, sso.url)

    register(sso.provider, "sub-carl", name="Carl Berg", email="carl.berg@kommune.dk", groups=[])
    page.goto(f"{sso.url}/log-ind")
    login_at_provider(page, sso.provider, "sub-carl")
    expect(sidebar(page).get_by_text("Carl Berg · Medarbejder")).to_be_visible(timeout=WAIT)
    link = identity_store.link(sso.store, sso.provider, "sub-carl")
    assert link["email"] == "carl.berg@kommune.dk" and link["user"] == "carl@kommune.dk"  # same account after the email change
    details = [e["details"] for e in sso.store.audit_log() if e["action"] == "rolle fra claims" and e["target"] == "carl@kommune.dk"]
    assert details[0].startswith("admin → medarbejder")


def test_a_deep_link_returns_to_the_page_asked_for_after_login(sso, new_page):
    register(sso.provider, "sub-dorte", name="Dorte Krog", email="dorte@kommune.dk", groups=[])
    page = new_page("dorte")
    page.goto(f"{sso.url}/tjekliste?id=underretning")
    expect(page.get_by_text("Log ind for at starte et forløb.")).to_be_visible(timeout=WAIT)
    page.get_by_test_id("stMain").get_by_role("link", name="Log ind").click()
    # the login page keeps the page asked for in a cookie for the provider round trip (a person
    # reads the page before clicking; the test waits for the cookie instead)
    page.wait_for_function("document.cookie.includes('haandbogen_next=')", timeout=WAIT)
    login_at_provider(page, sso.provider, "sub-dorte")
    expect(page.get_by_label("Reference (valgfri)")).to_be_visible(timeout=WAIT)
    assert "/tjekliste?id=underretning" in page.url
    expect(sidebar(page).get_by_text("Dorte Krog · Medarbejder")).to_be_visible(timeout=WAIT)


def test_a_link_to_a_page_that_needs_a_role_asks_for_login_and_then_opens_it(sso, new_page):
    register(sso.provider, "sub-frida", name="Frida Lund", email="frida@kommune.dk", groups=["BU-Redaktører"])
    page = new_page("frida")
    page.goto(f"{sso.url}/laest")
    expect(page.get_by_role("heading", name="Log ind for at se siden")).to_be_visible(timeout=WAIT)
    page.get_by_test_id("stMain").get_by_role("link", name="Log ind").click()
    page.wait_for_function("document.cookie.includes('haandbogen_next=')", timeout=WAIT)
    login_at_provider(page, sso.provider, "sub-frida")
    expect(page.get_by_role("heading", name="Læst og kvitteret")).to_be_visible(timeout=WAIT)
    assert page.url.endswith("/laest")


def visible_text(locator) -> str:
    """The text a person reads (invisible word joiners and zero-width spaces removed)."""
    return locator.inner_text().replace("\u2060", "").replace("\u200b", "")


def test_a_name_with_markdown_is_shown_as_text_and_namesakes_get_separate_accounts(sso, new_page):
    name = "[Eva Juhl](https://evil.example/)"
    register(sso.provider, "sub-eva-1", name=name, email="eva@kommune.dk", groups=[])
    register(sso.provider, "sub-eva-2", name=name, email="eva@kommune.dk", groups=[])
    first = new_page("eva-1")
    first.goto(f"{sso.url}/log-ind")
    login_at_provider(first, sso.provider, "sub-eva-1")
    expect(sidebar(first).get_by_text("· Medarbejder")).to_be_visible(timeout=WAIT)
    assert f"{name} · Medarbejder" in visible_text(sidebar(first))
    first.goto(f"{sso.url}/log-ind")
    expect(first.get_by_test_id("stMain")).to_contain_text("Du er logget ind som", timeout=WAIT)
    assert f"Du er logget ind som {name} (eva@kommune.dk)" in visible_text(first.get_by_test_id("stMain"))
    assert first.locator('a[href*="evil.example"], a[href^="mailto:"]').count() == 0

    second = new_page("eva-2")
    second.goto(f"{sso.url}/log-ind")
    login_at_provider(second, sso.provider, "sub-eva-2")
    expect(sidebar(second).get_by_text("· Medarbejder")).to_be_visible(timeout=WAIT)
    accounts = {identity_store.link(sso.store, sso.provider, sub)["user"] for sub in ("sub-eva-1", "sub-eva-2")}
    assert accounts == {"eva@kommune.dk", "eva@kommune.dk-2"}


def test_with_the_provider_stopped_login_says_so_in_danish_and_local_accounts_still_work(tmp_path, portal_env, browser, new_page):
    with ExitStack() as stack:
        provider_stack = ExitStack()
        server = provider_stack.enter_context(run_server_in_thread())
        portal = start_portal(stack, tmp_path, f"http://localhost:{server.server_port}", portal_env, browser)
        add_user(portal.store, "lokal-leder", "en-lang-adgangskode", "redaktør", "Lokal Leder")
        page = new_page("stopped")
        page.goto(f"{portal.url}/log-ind")
        expect(page.get_by_role("button", name=LOGIN_BUTTON)).to_be_visible(timeout=WAIT)

        provider_stack.close()  # the provider goes away while the page is open
        page.get_by_role("button", name=LOGIN_BUTTON).click()
        expect(page.get_by_text("Log ind med organisationens konto virker ikke lige nu: log-ind-tjenesten svarer ikke.")).to_be_visible(timeout=WAIT)
        assert page.url.startswith(portal.url)

        main = page.get_by_test_id("stMain")
        main.get_by_label("Brugernavn").fill("lokal-leder")
        main.get_by_label("Adgangskode").fill("en-lang-adgangskode")
        main.get_by_role("button", name="Log ind", exact=True).click()
        expect(sidebar(page).get_by_text("Lokal Leder · Redaktør")).to_be_visible(timeout=WAIT)
        log = portal.log.read_text(encoding="utf-8")
        assert "OIDC login unavailable" in log and f"localhost:{server.server_port}/.well-known/openid-configuration" in log
        page.context.close()  # before the portal stops, so it has no open session to wind down
