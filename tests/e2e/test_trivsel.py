"""A distriktsmøde places a child on the Trivselslinealen with three participants in a real
browser and exports the minutes; a click on the drawn ruler places the child."""

from playwright.sync_api import Page, expect


def add_placement(main, initials: str, position: str) -> None:
    form = main.get_by_test_id("stTabs").get_by_test_id("stForm")
    form.get_by_label("Initialer").fill(initials)
    form.get_by_role("radio", name=position, exact=True).click()
    form.get_by_role("button", name="Tilføj placering").click()
    # a rerun that reloads content (e.g. after another test published) can take seconds on a busy machine
    expect(main.get_by_role("button", name=f"Fjern {initials} ({position})")).to_be_visible(timeout=30_000)


def test_distriktsmoede_with_three_participants_ends_in_exported_minutes(page: Page, portal_url: str):
    page.goto(f"{portal_url}/trivsel")
    main = page.locator('[data-testid="stMain"]')
    # The tab's form exists (hidden) once the page has run; a click before that is undone by the rerender.
    expect(main.get_by_test_id("stTabs").get_by_test_id("stForm").get_by_label("Initialer")).to_be_attached(timeout=60_000)
    tab = page.get_by_role("tab", name="Distriktsmøde")
    tab.click()
    expect(tab).to_have_attribute("aria-selected", "true")
    add_placement(main, "AB", "2")
    add_placement(main, "CD", "5")
    add_placement(main, "EF", "6")
    expect(main.get_by_text("Median 5 (Gul) · spredning 2–6")).to_be_visible()
    expect(main.get_by_text("mere end én zone fra hinanden")).to_be_visible()
    main.get_by_label("Reference (valgfri, fx sagsnummer)").last.fill("Sag 2026-0413")
    conclusion = main.get_by_label("Konklusion og aftaler")
    conclusion.fill("Familien inviteres til UTM inden for fire uger.")
    conclusion.press("Control+Enter")
    minutes = main.locator('[data-testid="stCode"]').filter(has_text="Trivselslinealen")
    expect(minutes).to_contain_text("Konklusion: Familien inviteres til UTM inden for fire uger.")
    with page.expect_download() as download:
        main.get_by_role("button", name="Hent referatet").click()
    text = open(download.value.path(), encoding="utf-8").read()
    assert "Reference: Sag 2026-0413" in text
    assert "- AB: 2 (Rød)\n- CD: 5 (Gul)\n- EF: 6 (Gul)\n" in text
    assert "Median: 5 (Gul) · spredning 2–6" in text
    assert "Bemærk: placeringerne spænder fra rød til gul zone" in text
    assert "Zonen kalder på: Drøftelse på distriktsmøde og forebyggende indsats" in text


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
