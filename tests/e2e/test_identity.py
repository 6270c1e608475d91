"""Identity from a trusted reverse-proxy header, when an administrator turns it on."""

from playwright.sync_api import Browser, expect

from tests.e2e.conftest import running_portal


def test_trusted_proxy_header_logs_the_person_in_as_medarbejder(browser: Browser, tmp_path, portal_env):
    env = {**portal_env, "HANDBOOK_DATA_DIR": str(tmp_path / "data"), "HANDBOOK_INDEX_DIR": str(tmp_path / "index"), "HANDBOOK_TRUSTED_HEADER": "X-Remote-User"}
    with running_portal(env) as url:
        behind_proxy = browser.new_context(extra_http_headers={"X-Remote-User": "kari@stevns.dk"})
        page = behind_proxy.new_page()
        page.goto(f"{url}/nyt")
        expect(page.get_by_text("kari@stevns.dk · Medarbejder")).to_be_visible(timeout=20_000)
        expect(page.get_by_role("heading", name="Nyt siden sidst")).to_be_visible()
        behind_proxy.close()

        without_header = browser.new_context()
        page = without_header.new_page()
        page.goto(f"{url}/nyt")
        expect(page.get_by_text("Log ind for at se, hvad der er ændret siden sidst")).to_be_visible(timeout=20_000)
        without_header.close()
