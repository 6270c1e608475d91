"""Third security review, in Chromium: the session cookie is HttpOnly and SameSite=Lax (context.cookies()), page scripts
cannot read it, a reload keeps the login (also while a temporary password locks the user to
"Skift adgangskode"), a password change logs out the user's other browsers, and the page says
lang="da" from its first byte; a Word zip bomb uploaded on the editor page is refused."""

from __future__ import annotations

import re
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from handbook.identity import auth, users
from handbook.store.database import Store
from tests.e2e.conftest import browser, portal_env, running_portal  # noqa: F401 (fixtures)

PASSWORD = "en-lang-adgangskode"


@pytest.fixture(scope="module")
def portal(portal_env):  # noqa: F811 (fixture)
    with running_portal(portal_env) as url:
        yield url, Store(Path(portal_env["HANDBOOK_DATA_DIR"]) / "handbook.db")


def log_in(page: Page, url: str, name: str, password: str) -> None:
    page.goto(f"{url}/log-ind")
    main = page.locator('[data-testid="stMain"]')
    main.get_by_label("Brugernavn").fill(name)
    main.get_by_label("Adgangskode").fill(password)
    main.get_by_role("button", name="Log ind").click()


def session_cookie(page: Page) -> dict:
    for _ in range(50):
        found = [c for c in page.context.cookies() if c["name"] == "haandbogen_session"]
        if found:
            return found[0]
        page.wait_for_timeout(200)
    raise AssertionError("no session cookie")


def test_the_session_cookie_is_httponly_and_lax_and_survives_a_reload(browser: Browser, portal):  # noqa: F811
    url, store = portal
    auth.add_user(store, "rikke", PASSWORD, "redaktør", "Rikke Redaktør")
    context = browser.new_context()
    page = context.new_page()
    log_in(page, url, "rikke", PASSWORD)
    cookie = session_cookie(page)
    assert cookie["httpOnly"] is True and cookie["sameSite"] == "Lax" and cookie["secure"] is False
    assert "haandbogen_session" not in page.evaluate("document.cookie")
    page.reload()
    expect(page.get_by_text("Rikke Redaktør")).to_be_visible()
    page.goto(f"{url}/log-ind")
    page.locator('[data-testid="stMain"]').get_by_role("button", name="Log ud").click()
    expect(page.locator('[data-testid="stMain"]').get_by_role("button", name="Log ind")).to_be_visible()
    page.wait_for_function("() => true")
    for _ in range(50):
        if not [c for c in context.cookies() if c["name"] == "haandbogen_session"]:
            break
        page.wait_for_timeout(200)
    assert not [c for c in context.cookies() if c["name"] == "haandbogen_session"]
    context.close()


def test_a_temporary_password_keeps_the_login_on_reload_while_locked_to_the_change(browser: Browser, portal):  # noqa: F811
    url, store = portal
    admin = auth.add_user(store, "anne", PASSWORD, "admin")
    _, temporary = users.create_user(store, admin, "mads", "medarbejder", "Mads Rådgiver")
    page = browser.new_page()
    log_in(page, url, "mads", temporary)
    expect(page.get_by_text("Du er logget ind med en midlertidig adgangskode")).to_be_visible()
    session_cookie(page)
    page.reload()
    expect(page.get_by_text("Du er logget ind med en midlertidig adgangskode")).to_be_visible()
    page.close()


def test_changing_the_password_logs_out_the_other_browser(browser: Browser, portal):  # noqa: F811
    url, store = portal
    auth.add_user(store, "tina", PASSWORD, "medarbejder", "Tina Teamleder")
    here, there = browser.new_page(), browser.new_page()
    for page in (here, there):
        log_in(page, url, "tina", PASSWORD)
        expect(page.get_by_text("Tina Teamleder")).to_be_visible()
        session_cookie(page)
    here.goto(f"{url}/adgangskode")
    main = here.locator('[data-testid="stMain"]')
    main.get_by_label("Nuværende adgangskode").fill(PASSWORD)
    main.get_by_label("Ny adgangskode (mindst 10 tegn)").fill("en-helt-ny-kode-1")
    main.get_by_label("Gentag den nye adgangskode").fill("en-helt-ny-kode-1")
    main.get_by_role("button", name="Skift adgangskode").click()
    expect(here.get_by_text("Din adgangskode er skiftet.")).to_be_visible()
    there.reload()
    expect(there.locator('[data-testid="stSidebar"]').get_by_text("Log ind")).to_be_visible()
    expect(there.get_by_text("Tina Teamleder")).to_have_count(0)
    here.reload()
    expect(here.get_by_text("Tina Teamleder")).to_be_visible()
    here.close()
    there.close()


def test_the_page_is_danish_from_the_first_byte_and_secure_cookies_over_https(portal):
    url, store = portal
    for path in ("/", "/haandbog", "/log-ind"):
        with urllib.request.urlopen(url + path) as response:
            assert re.search(rb"<html lang=\"da\">", response.read(2000)), path
    from handbook.identity import cookie_grant

    grant = cookie_grant.issue(store, "token-abc")
    request = urllib.request.Request(f"{url}/_haandbogen/cookie", data=grant.encode(), headers={"X-Forwarded-Proto": "https"}, method="POST")
    with urllib.request.urlopen(request) as response:  # from 127.0.0.1, as nginx on this host
        assert "Secure" in response.headers["Set-Cookie"] and "HttpOnly" in response.headers["Set-Cookie"]


def test_the_zip_bomb_uploaded_on_the_editor_page_is_refused_and_no_draft_is_made(browser: Browser, portal, tmp_path):  # noqa: F811
    from tests.docx_builder import zip_bomb

    url, store = portal
    auth.add_user(store, "sofie", PASSWORD, "redaktør", "Sofie Redaktør")
    bomb = tmp_path / "bomb.docx"
    bomb.write_bytes(zip_bomb(20 * 1024 * 1024))
    page = browser.new_page()
    log_in(page, url, "sofie", PASSWORD)
    expect(page.get_by_text("Sofie Redaktør")).to_be_visible()
    page.goto(f"{url}/rediger")
    main = page.locator('[data-testid="stMain"]')
    main.get_by_text("Importér fra Word (.docx)").click()
    main.locator('input[type="file"]').set_input_files(str(bomb))
    expect(main.get_by_text("bomb.docx")).to_be_visible()
    main.get_by_role("button", name="Importér som kladde").click()
    expect(main.get_by_text("»bomb.docx« kan ikke importeres: delen »word/document.xml« fylder udpakket mere end 10 MB", exact=False)).to_be_visible()
    assert store.db.execute("SELECT count(*) FROM drafts").fetchone()[0] == 0
    page.close()
