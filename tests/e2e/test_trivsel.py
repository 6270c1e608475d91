"""A distriktsmøde in three browsers (facilitator and two participants, each logged in on their
own device): blind placements, the reveal reaching every screen without a reload, a reload that
keeps the meeting, a second round, and the minutes. And a click on the drawn ruler places the child."""

import re

from playwright.sync_api import Page, expect

from tests.e2e.a11y_support import PASSWORD
from tests.e2e.test_accessibility import log_in


def place(page: Page, initials: str, position: str) -> None:
    main = page.locator('[data-testid="stMain"]')
    main.get_by_label("Dine initialer").fill(initials)
    main.get_by_role("radio", name=position, exact=True).click()
    main.get_by_role("button", name=re.compile("Gem min placering|Ret min placering")).click()
    expect(main.get_by_text("Du har placeret barnet på")).to_contain_text(f"på {position} (")


def test_a_distriktsmoede_on_three_devices_is_blind_until_revealed_and_ends_in_minutes(new_page, portal_url: str, accounts):
    facilitator, anna, carl = new_page("mødeleder"), new_page("deltager-1"), new_page("deltager-2")
    log_in(facilitator, portal_url, accounts["redaktør"])
    facilitator.goto(f"{portal_url}/trivsel")
    lead = facilitator.locator('[data-testid="stMain"]')
    tab = facilitator.get_by_role("tab", name="Distriktsmøde")
    # The tab's forms exist (hidden) once the page has run; a click before that is undone by the rerender.
    expect(lead.get_by_test_id("stTabs").get_by_test_id("stForm").first).to_be_attached(timeout=60_000)
    tab.click()
    expect(tab).to_have_attribute("aria-selected", "true")
    lead.get_by_label(re.compile("^Reference .*ingen navne")).fill("Sag 2026-0413")
    lead.get_by_role("button", name="Start mødet").click()
    code = lead.locator(".hb-meeting-code")
    expect(code).to_have_text(re.compile(r"^[A-Z2-9]{6}$"))
    expect(lead.get_by_role("img", name=re.compile("QR-kode med linket til mødet"))).to_be_visible()
    link = lead.locator('[data-testid="stCode"]').filter(has_text="/distriktsmoede?kode=").inner_text().strip()
    assert link == f"{portal_url}/distriktsmoede?kode={code.inner_text()}"

    # A participant who is not logged in is asked to, and comes back to the meeting.
    anna.goto(link)
    expect(anna.get_by_role("heading", name="Log ind for at se siden", level=1)).to_be_visible()
    anna.locator('[data-testid="stMain"]').get_by_role("link", name="Log ind").click()
    anna_main = anna.locator('[data-testid="stMain"]')
    anna_main.get_by_label("Brugernavn").fill(accounts["medarbejder"])
    anna_main.get_by_label("Adgangskode", exact=True).fill(PASSWORD)
    anna_main.get_by_role("button", name="Log ind").click()
    expect(anna.get_by_role("heading", name="Distriktsmøde", level=1)).to_be_visible(timeout=30_000)
    place(anna, "AB", "2")
    log_in(carl, portal_url, accounts["admin"])
    carl.goto(link)
    place(carl, "CD", "6")

    # Blind: the facilitator sees who, not where; a participant sees neither.
    expect(lead.get_by_text(re.compile(r"Har placeret \(2\): AB, CD"))).to_be_visible()
    for screen in (facilitator, anna, carl):
        expect(screen.locator('[data-testid="stMain"]').get_by_text("AB: 2")).to_have_count(0)
        expect(screen.get_by_text(re.compile("Median"))).to_have_count(0)
    expect(carl.get_by_text("2 har placeret indtil nu")).to_be_visible()

    # The reveal reaches every screen without a reload.
    lead.get_by_role("button", name="Vis placeringer").click()
    for screen in (facilitator, anna, carl):
        expect(screen.get_by_text("spredning 2–6 · AB: 2, CD: 6")).to_be_visible()
        expect(screen.get_by_text("Median 4", exact=True)).to_be_visible()
        expect(screen.get_by_test_id("stAlertContentWarning")).to_contain_text("mere end én zone fra hinanden")

    # A reload keeps the meeting; a second round is blind again and keeps the first.
    anna.reload()
    expect(anna.get_by_text("spredning 2–6 · AB: 2, CD: 6")).to_be_visible(timeout=30_000)
    lead.get_by_role("button", name="Ny placering (runde 2)").click()
    expect(anna.get_by_role("heading", name="Din placering – runde 2")).to_be_visible()
    place(anna, "AB", "4")
    expect(carl.get_by_role("heading", name="Din placering – runde 2")).to_be_visible()
    place(carl, "CD", "5")
    expect(lead.get_by_text(re.compile(r"Har placeret \(2\): AB, CD"))).to_be_visible()
    lead.get_by_role("button", name="Vis placeringer").click()
    expect(carl.get_by_text("Bevægelse fra runde 1:")).to_be_visible()
    form = lead.get_by_test_id("stForm")
    form.get_by_label(re.compile("^Konklusion")).fill("Familien inviteres til UTM inden for fire uger.")
    form.get_by_label(re.compile("^Handlinger")).fill("PPR indkalder til UTM – AB")
    form.get_by_role("button", name="Gem konklusion og handlinger").click()
    expect(anna.get_by_text("Familien inviteres til UTM inden for fire uger.", exact=True)).to_be_visible()

    facilitator.reload()
    expect(lead.get_by_role("button", name="Hent referatet (tekst)")).to_be_visible(timeout=30_000)
    with facilitator.expect_download() as download:
        lead.get_by_role("button", name="Hent referatet (tekst)").click()
    text = open(download.value.path(), encoding="utf-8").read()
    assert "Reference: Sag 2026-0413" in text
    assert "Runde 1:\n- AB: 2 (Rød)\n- CD: 6 (Gul)\nMedian: 4 (Orange) · spredning 2–6" in text
    assert "Runde 2:\n- AB: 4 (Orange)\n- CD: 5 (Gul)\nMedian: 4,5 (Orange) · spredning 4–5" in text
    assert "Bevægelse fra runde 1 til runde 2: AB: 2 → 4; CD: 6 → 5" in text
    assert text.endswith("Konklusion: Familien inviteres til UTM inden for fire uger.\n\nHandlinger:\n- PPR indkalder til UTM – AB\n")
    with anna.expect_download() as printable:
        anna.locator('[data-testid="stMain"]').get_by_role("button", name="Udskriftsversion (HTML)").click()
    assert "<h1>Distriktsmøde" in open(printable.value.path(), encoding="utf-8").read()


def test_clicking_the_drawn_ruler_places_the_child(page: Page, portal_url: str):
    page.goto(f"{portal_url}/trivsel")
    main = page.locator('[data-testid="stMain"]')
    ruler = main.get_by_test_id("stVegaLiteChart").first
    expect(ruler).to_be_visible(timeout=60_000)  # the first view of a fresh portal loads the content
    page.wait_for_timeout(500)  # let Vega finish drawing before clicking
    box = ruler.bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.85, box["y"] + 50)  # position 9 of 1-10
    expect(main.get_by_text("Grøn zone (8–10)")).to_be_visible(timeout=30_000)
    expect(main.get_by_role("radio", name="9", exact=True).first).to_have_attribute("aria-checked", "true")
