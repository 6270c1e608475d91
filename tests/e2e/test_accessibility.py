"""WCAG 2.1 AA in the real portal: axe-core on every page of the menu for every role, with tabs and
expanders open, worksheets open, after a search and on the pages the content links to; no English
from Streamlit; the whole menu visible; a page that fits a phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.a11y_support import PASSWORD, Findings, check, check_date_picker, content_links, go, menu_paths, open_expanders, settle, tabs
from tests.e2e.conftest import ARTIFACTS, AXE_REPORT

expect.set_options(timeout=20_000)  # a busy test machine draws a page in several seconds

# States reached by a choice on a page rather than a link: the worksheets and a search.
STATES = ["metoder?ark=sos", "metoder?ark=ics", "metoder?ark=tre-huse", "soeg?q=underretning", "distriktsmoede"]
# Pages a role must find in the menu (the rest of the test walks whatever the menu shows).
MENU = {
    "anonym": {"Forside", "Håndbog", "Søg", "Tjeklister", "Metoder", "Trivselslinealen", "Nyt siden sidst", "Log ind"},
    "redaktør": {"Redigér og offentliggør", "Læst og kvitteret", "Tjeklister – overblik", "Trivselslinealen – fordeling", "Revisionsdatoer", "Søgninger uden svar", "Log ud"},
    "admin": {"Brugere", "Hændelseslog", "Revisionsdatoer", "Søgninger uden svar", "Log ud"},
}


def log_in(page: Page, url: str, name: str) -> None:
    page.goto(f"{url}/log-ind")
    main = page.locator('[data-testid="stMain"]')
    main.get_by_label("Brugernavn").fill(name)
    main.get_by_label("Adgangskode", exact=True).fill(PASSWORD)
    main.get_by_role("button", name="Log ind").click()
    expect(page.get_by_role("heading", name="Nyt siden sidst", level=1)).to_be_visible()


def browse(page: Page, url: str, role: str) -> Findings:
    """Every page in the role's menu (each tab, expanders open), the pages their content links to
    (one of each kind), and the worksheet and search states; axe and English texts on each."""
    findings = Findings()
    page.goto(url)
    settle(page)
    menu = menu_paths(page)
    linked: dict[tuple, str] = {}
    for path in menu:
        go(page, url, path)
        for link in content_links(page, url):
            name, _, query = link.partition("?")
            kind = (name, tuple(sorted(p.split("=")[0] for p in query.split("&") if p)))
            if name not in menu and link not in menu:
                linked.setdefault(kind, link)
        visit_state(page, f"{role} /{path}", findings)
        for tab in tabs(page)[1:]:
            page.locator('[data-testid="stMain"] [role="tab"]').filter(has_text=tab).first.click()
            settle(page)
            visit_state(page, f"{role} /{path} (fanen {tab})", findings)
    for path in list(linked.values()) + STATES:
        go(page, url, path)
        visit_state(page, f"{role} /{path}", findings)
    return findings


def visit_state(page: Page, state: str, findings: Findings) -> None:
    """The state with every expander open (a closed expander shows nothing an open one does
    not), and with its first date picker open."""
    opened = open_expanders(page)
    check(page, f"{state} (foldet ud)" if opened else state, findings)
    check_date_picker(page, state, findings)


@pytest.mark.parametrize("role", ["anonym", "medarbejder", "redaktør", "admin"])
def test_every_page_for_every_role_passes_axe_and_speaks_danish(role: str, browser: Browser, portal_url: str, accounts, request):
    # One role browses with an English browser, as an outside checker might: the portal must
    # still be Danish (the date picker follows the browser's language).
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="en-US" if role == "medarbejder" else "da-DK")
    page = context.new_page()
    page.set_default_timeout(20_000)
    try:
        if role != "anonym":
            log_in(page, portal_url, accounts[role])
        page.goto(portal_url)
        settle(page)
        labels = set(page.locator('[data-testid="stSidebar"] a[data-testid="stPageLink-NavLink"] [data-testid="stMarkdownContainer"]').all_inner_texts())
        assert MENU.get(role, MENU["anonym"] - {"Log ind"}) <= labels, f"mangler i menuen: {MENU.get(role, set()) - labels}"
        findings = browse(page, portal_url, role)
    finally:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"a11y-{role}.png"), full_page=True)
        context.close()
    request.config.stash.setdefault(AXE_REPORT, []).extend(findings.other)
    assert findings.states >= 10
    assert not findings.failing, f"{len(findings.failing)} alvorlige fund:\n" + "\n".join(findings.failing)
    assert not findings.english, "Engelsk tekst fra Streamlit:\n" + "\n".join(findings.english)

