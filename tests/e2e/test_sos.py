"""Signs of Safety (sos) worksheet in a real browser: two items per column, three scalings,
export, and the exported text checked."""

from playwright.sync_api import Page, expect

ITEMS = {
    0: ["Far råber ad børnene om aftenen", "Mor sover dårligt og er meget træt"],
    1: ["Farmor henter i skolen hver dag", "Barnet kommer glad i skole"],
    2: ["Netværksmøde om 14 dage", "Fast plan for aftenerne"],
}
SCALINGS = [("MOR", "4"), ("FAR", "6"), ("RÅD", "3")]


def test_sos_worksheet_with_two_items_per_column_and_three_scalings_exports_the_text(page: Page, portal_url: str):
    page.goto(f"{portal_url}/metoder?ark=sos")
    main = page.locator('[data-testid="stMain"]')
    expect(main.get_by_role("heading", name="Signs of Safety – kortlægning")).to_be_visible()
    for column, items in ITEMS.items():
        box = main.locator(f".st-key-sos-col-{column}")
        for item in items:
            box.get_by_placeholder("Skriv et punkt").fill(item)
            box.get_by_role("button", name="Tilføj").click()
            expect(box.get_by_text(item)).to_be_visible()
    danger = main.get_by_role("textbox", name="Farebeskrivelse")
    danger.fill("Vi er bekymrede for, at børnene bliver bange, når far råber om aftenen.")
    danger.press("Control+Enter")
    goal = main.get_by_role("textbox", name="Sikkerhedsmål")
    goal.fill("Om tre måneder er aftenerne rolige, og farmor er med to aftener om ugen.")
    goal.press("Control+Enter")
    scaling = main.get_by_test_id("stForm").filter(has_text="Tilføj skalering")
    for initials, value in SCALINGS:
        scaling.get_by_label("Initialer").fill(initials)
        scaling.get_by_role("radio", name=value, exact=True).click()
        scaling.get_by_role("button", name="Tilføj skalering").click()
        expect(main.get_by_text(f"{initials}: {value}", exact=False).first).to_be_visible()
    expect(main.get_by_text("Median 4; spredning 3–6").first).to_be_visible()
    expect(main.get_by_test_id("stVegaLiteChart")).to_be_visible()

    with page.expect_download() as download:
        main.get_by_role("button", name="Hent som tekst (Markdown)").click()
    text = open(download.value.path(), encoding="utf-8").read()
    assert "## Hvad bekymrer os?\n\n- Far råber ad børnene om aftenen\n- Mor sover dårligt og er meget træt\n" in text
    assert "## Hvad fungerer godt?\n\n- Farmor henter i skolen hver dag\n- Barnet kommer glad i skole\n" in text
    assert "## Hvad skal der ske?\n\n- Netværksmøde om 14 dage\n- Fast plan for aftenerne\n" in text
    assert "## Farebeskrivelse\n\nVi er bekymrede for, at børnene bliver bange, når far råber om aftenen.\n" in text
    assert "## Sikkerhedsmål\n\nOm tre måneder er aftenerne rolige, og farmor er med to aftener om ugen.\n" in text
    assert "- MOR: 4\n- FAR: 6\n- RÅD: 3\n\nMedian 4; spredning 3–6\n" in text
    with page.expect_download() as printable:
        main.get_by_role("button", name="Hent til udskrift (HTML)").click()
    assert "<li>Fast plan for aftenerne</li>" in open(printable.value.path(), encoding="utf-8").read()
