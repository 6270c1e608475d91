"""With the keyboard alone: log in, search, open a guideline, jump to a section, start a checklist
and tick a step, place a child on the Trivselslinealen, with a visible focus mark on the way.
Deep links lead through the login to the page asked for; a phone gets no sideways scrolling;
every guideline prints with its facts and a footer."""

from __future__ import annotations

import re

from playwright.sync_api import Locator, Page, expect

from portal.interface_text import FORBIDDEN
from tests.e2e.a11y_support import ACCOUNTS, PASSWORD, Findings, check, english_texts, settle

expect.set_options(timeout=20_000)  # a busy test machine draws a page in several seconds

FOCUS_MARK = """el => {
  const target = (el.matches('input[type=checkbox], input[type=radio]') && el.closest('label')) || el;
  const style = getComputedStyle(target);
  return style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2 ? style.outlineColor : '';
}"""


def tab_to(page: Page, target: Locator, limit: int = 80) -> None:
    """Press Tab until target (or something inside it) has the focus; check the focus is visible."""
    element = target.first
    for _ in range(limit):
        page.keyboard.press("Tab")
        if element.evaluate("el => el === document.activeElement || el.contains(document.activeElement)"):
            focused = page.locator(":focus")
            assert focused.evaluate(FOCUS_MARK), "fokus ses ikke (ingen tydelig ramme)"
            return
    raise AssertionError(f"{target} kunne ikke nås med Tab")


def test_a_caseworker_does_the_day_with_the_keyboard_alone(page: Page, portal_url: str, accounts):
    page.goto(f"{portal_url}/log-ind")
    settle(page)
    main = page.locator('[data-testid="stMain"]')
    tab_to(page, main.get_by_label("Brugernavn"))
    page.keyboard.type(ACCOUNTS["medarbejder"])
    tab_to(page, main.get_by_label("Adgangskode", exact=True))
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Nyt siden sidst", level=1)).to_be_visible()
    settle(page)

    # Search from the box in the sidebar; Streamlit's English input hint must not appear.
    sidebar = page.locator('[data-testid="stSidebar"]')
    tab_to(page, sidebar.get_by_label("Søg i håndbogen"))
    page.keyboard.type("underretning")
    for english in FORBIDDEN:
        expect(page.get_by_text(english)).to_have_count(0)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/soeg\?q=underretning"))
    settle(page)

    # Open the guideline from the results and jump to a section through the contents.
    tab_to(page, main.get_by_role("link", name="Modtagelse og behandling af underretninger").first)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Modtagelse og behandling af underretninger", level=1)).to_be_visible()
    settle(page)
    section = main.locator(".hb-toc a").nth(1)
    anchor = section.get_attribute("href")
    tab_to(page, section)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(re.escape(anchor) + "$"))
    expect(main.locator(f"[id='{anchor.lstrip('#')}']")).to_be_in_viewport()

    # Start the underretning checklist and tick the first step.
    tab_to(page, sidebar.get_by_role("link", name="Tjeklister"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Tjeklister", level=1)).to_be_visible()
    settle(page)
    tab_to(page, main.get_by_role("link", name="Modtagelse af underretning").first)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Modtagelse af underretning", level=1)).to_be_visible()
    settle(page)
    form = main.locator(".st-key-start")  # the start is not a form: Enter must never start a run
    tab_to(page, form.get_by_role("radiogroup").first)
    page.keyboard.press("ArrowDown")  # the questions start unanswered; a radio moves with the arrows
    tab_to(page, form.get_by_role("button", name="Start forløb"))
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/tjekliste\?forloeb=\d+"))
    settle(page)
    first_step = main.locator("[class*='st-key-step-']").first
    tab_to(page, first_step.get_by_role("checkbox"))
    page.keyboard.press("Space")
    expect(first_step).to_contain_text("Udført")
    settle(page)

    # Place a child on the Trivselslinealen with the buttons under the ruler.
    tab_to(page, sidebar.get_by_role("link", name="Trivselslinealen"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Trivselslinealen", level=1)).to_be_visible()
    settle(page)
    positions = main.get_by_role("radiogroup").filter(has=page.get_by_role("radio", name="10", exact=True)).first
    tab_to(page, positions, limit=120)  # one stop for the group; the arrows move inside it
    for _ in range(10):
        if page.locator(":focus").inner_text().strip() == "6":
            break
        page.keyboard.press("ArrowRight")
    page.keyboard.press("Enter")
    expect(main.get_by_text("Gul zone (5–7)")).to_be_visible()
    expect(main.get_by_text(re.compile(r"Placeret: Barnet på 6 \(gul zone\)"))).to_be_visible()


def log_in_on_page(page: Page, name: str) -> None:
    main = page.locator('[data-testid="stMain"]')
    main.get_by_label("Brugernavn").fill(name)
    main.get_by_label("Adgangskode", exact=True).fill(PASSWORD)
    main.get_by_role("button", name="Log ind").click()
    # the server sets the HttpOnly session cookie once the page has posted its one-time grant;
    # a new page load before that would start without the login
    for _ in range(100):
        if any(c["name"] == "haandbogen_session" for c in page.context.cookies()):
            return
        page.wait_for_timeout(100)
    raise AssertionError("the session cookie was never set after the login")


def test_a_shared_link_leads_through_the_login_to_the_page_and_its_parameters(page: Page, portal_url: str, accounts):
    page.goto(f"{portal_url}/rediger?id=underretninger&fane=2")
    main = page.locator('[data-testid="stMain"]')
    expect(page.get_by_role("heading", name="Log ind for at se siden", level=1)).to_be_visible()
    expect(page.get_by_text("Page not found")).to_have_count(0)
    settle(page)
    findings = Findings()
    check(page, "/rediger uden log ind", findings)
    assert not findings.failing and not findings.english, findings
    main.get_by_role("link", name="Log ind").click()
    expect(page.get_by_role("heading", name="Log ind", level=1)).to_be_visible()
    log_in_on_page(page, ACCOUNTS["redaktør"])
    expect(page.get_by_role("heading", name="Redigér og offentliggør", level=1)).to_be_visible()
    expect(page).to_have_url(f"{portal_url}/rediger?id=underretninger&fane=2")

    # A redaktør may not see the administration: a Danish answer, not Streamlit's English box.
    page.goto(f"{portal_url}/administration")
    expect(page.get_by_role("heading", name="Du har ikke adgang til siden", level=1)).to_be_visible()
    expect(main).to_contain_text("Redaktør")
    expect(page.get_by_text("Page not found")).to_have_count(0)


def test_a_medarbejder_who_logs_in_from_a_link_to_an_editor_page_is_told_there_is_no_access(page: Page, portal_url: str, accounts):
    page.goto(f"{portal_url}/laest")
    expect(page.get_by_role("heading", name="Log ind for at se siden", level=1)).to_be_visible()
    page.locator('[data-testid="stMain"]').get_by_role("link", name="Log ind").click()
    log_in_on_page(page, ACCOUNTS["medarbejder"])
    expect(page.get_by_role("heading", name="Du har ikke adgang til siden", level=1)).to_be_visible()
    expect(page).to_have_url(re.compile(r"/laest$"))
    # The menu still offers everything the medarbejder may use.
    expect(page.locator('[data-testid="stSidebar"]').get_by_role("link", name="Nyt siden sidst")).to_be_visible()


def test_every_page_fits_a_phone_and_the_ruler_buttons_stay_on_one_line(browser, portal_url: str, accounts):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="da-DK", is_mobile=True, has_touch=True, device_scale_factor=2)
    page = context.new_page()
    page.set_default_timeout(20_000)
    try:
        page.goto(f"{portal_url}/log-ind")
        log_in_on_page(page, ACCOUNTS["admin"])
        expect(page.get_by_role("heading", name="Nyt siden sidst", level=1)).to_be_visible()
        # The menu opens over the page and closes again when a page in it is chosen.
        sidebar = page.locator('[data-testid="stSidebar"]')
        page.get_by_role("button", name="Vis sidepanelet").click()
        sidebar.get_by_role("link", name="Metoder").click()
        expect(page.get_by_role("heading", name="Metoder", level=1)).to_be_visible()
        expect(page.get_by_role("button", name="Vis sidepanelet")).to_be_visible()
        paths = page.eval_on_selector_all('[data-testid="stSidebar"] a[data-testid="stPageLink-NavLink"]', "els => els.map(e => e.getAttribute('href'))")
        assert len(paths) >= 14
        too_wide: list[str] = []
        english: list[str] = []
        for path in paths + ["retningslinje?id=underretninger", "metoder?ark=sos", "soeg?q=underretning"]:
            page.goto(f"{portal_url}/{path}")
            settle(page)
            width = page.evaluate("Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)")
            main_width = page.evaluate("(() => { const m = document.querySelector('[data-testid=stMain]'); return m.scrollWidth - m.clientWidth; })()")
            if width > 391 or main_width > 1:
                too_wide.append(f"/{path}: {width} px (hovedområdet {main_width} px for bredt)")
            english += [f"/{path}: »{text}«" for text in english_texts(page)]
        assert not too_wide, "Siden kan rulles sidelæns på en telefon:\n" + "\n".join(too_wide)
        assert not english, "Engelsk tekst fra Streamlit på telefonen:\n" + "\n".join(english)

        page.goto(f"{portal_url}/trivsel")
        settle(page)
        buttons = page.locator('[data-testid="stMain"] [data-testid="stButtonGroup"]').first.get_by_role("radio")
        tops = {round(buttons.nth(i).bounding_box()["y"]) for i in range(buttons.count())}
        assert buttons.count() == 10 and len(tops) == 1, f"linealens knapper står på {len(tops)} linjer"
    finally:
        page.screenshot(path="test-artifacts/phone-trivsel.png", full_page=True)
        context.close()


def test_a_guideline_prints_with_its_facts_and_a_footer(page: Page, portal_url: str):
    page.goto(f"{portal_url}/retningslinje?id=underretninger")
    main = page.locator('[data-testid="stMain"]')
    expect(page.get_by_role("heading", name="Modtagelse og behandling af underretninger", level=1)).to_be_visible()
    with page.expect_download() as download:
        main.get_by_role("button", name="Udskriftsversion (HTML)").click()
    printable = open(download.value.path(), encoding="utf-8").read()
    page.set_content(printable)
    page.emulate_media(media="print")
    expect(page.get_by_role("heading", name="Modtagelse og behandling af underretninger", level=1)).to_be_visible()
    for label in ("Version", "Gyldig fra", "Ansvarlig", "Lovgrundlag"):
        expect(page.locator(".hb-meta dt", has_text=label)).to_have_count(1)
    expect(page.locator(".hb-meta")).to_contain_text("Barnets lov")
    footer = page.locator("footer")
    expect(footer).to_have_text(re.compile(r"^Udskrevet den (man|tirs|ons|tors|fre|lør|søn)\. \d+\. (januar|februar|marts|april|maj|juni|juli|august|september|oktober|november|december) \d{4} kl\. \d\d\.\d\d – tjek altid den gældende version i Håndbogen$"))
    assert footer.evaluate("el => getComputedStyle(el).position") == "fixed"  # on every printed page
    expect(page.get_by_role("button", name="Udskriv")).to_be_hidden()
    assert page.evaluate("document.documentElement.lang") == "da"
