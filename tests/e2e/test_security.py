"""Security in the real browser: logging out in one tab ends the other tab's access at its next
click, and odd addresses give a Danish "findes ikke" and never a traceback."""

import re

from playwright.sync_api import expect

from tests.e2e.test_publishing import PASSWORDS, add_user, log_in


def test_logout_in_one_tab_ends_editing_in_the_other_tab(browser, portal_url: str, portal_env: dict):
    PASSWORDS.setdefault("tove", "tove-har-en-lang-kode")
    add_user(portal_env, "tove", "redaktør", "Tove Redaktør")
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="da-DK")
    try:
        first, second = context.new_page(), context.new_page()
        for page in (first, second):
            page.set_default_timeout(20_000)
        first.goto(portal_url)  # the first page view of a fresh portal loads the content
        expect(first.get_by_role("heading", name="Håndbogen", level=1)).to_be_visible(timeout=60_000)
        log_in(first, portal_url, "tove")
        second.goto(f"{portal_url}/rediger")  # the same browser: the session cookie is shared
        expect(second.get_by_role("heading", name="Redigér og offentliggør", level=1)).to_be_visible()

        first.goto(f"{portal_url}/log-ind")
        first.locator('[data-testid="stMain"]').get_by_role("button", name="Log ud").click()
        expect(first.get_by_role("heading", name="Log ind", level=1)).to_be_visible()

        # the second tab still shows the editor; its next interaction is checked again
        second.locator('[data-testid="stMain"]').get_by_label("Retningslinje", exact=True).click()
        second.keyboard.type("faglig sparring")
        second.get_by_role("option", name="Rammen for faglig sparring").click()
        expect(second.get_by_role("heading", name="Redigér og offentliggør", level=1)).to_have_count(0)
        expect(second.get_by_text("Tove Redaktør · Redaktør")).to_have_count(0)
    finally:
        context.close()


def test_odd_run_numbers_in_the_address_say_findes_ikke_without_a_traceback(page, portal_url: str):
    for value in ["%C2%B2", "99999999999999999999999", "-1"]:
        page.goto(f"{portal_url}/tjekliste?forloeb={value}")
        main = page.locator('[data-testid="stMain"]')
        expect(main.get_by_text(re.compile("findes ikke"))).to_be_visible()
        content = page.content()
        assert "Traceback" not in content and "ValueError" not in content and "/work/" not in content
