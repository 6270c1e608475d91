"""A caseworker works through the underretning checklist in a real browser: start it, answer
"ikke akut", tick two steps, reload, see them still ticked, export the journal text."""

import re

from playwright.sync_api import Page, expect

from tests.e2e.test_publishing import add_user, log_in


def tick(main, step_id: str) -> None:
    """Click the step's checkbox label, as a user does."""
    main.locator(f".st-key-step-{step_id} [data-testid='stCheckbox'] label").click()


def test_underretning_checklist_survives_a_reload_and_exports_journal_text(new_page, portal_url: str, portal_env: dict):
    add_user(portal_env, "tina", "medarbejder", "Tina Modtageteam")
    page: Page = new_page("raadgiver")
    log_in(page, portal_url, "tina")
    page.goto(f"{portal_url}/tjeklister")
    main = page.locator('[data-testid="stMain"]')
    main.get_by_role("link", name="Modtagelse af underretning").click()
    expect(page.get_by_role("heading", name="Modtagelse af underretning", level=1)).to_be_visible()

    form = main.locator(".st-key-start")
    form.get_by_label("Reference (valgfri)").fill("Sag 2026-0413")
    form.locator('[data-testid="stRadio"]').filter(has_text="Er underretningen akut?").get_by_text("Nej", exact=True).click()
    form.get_by_role("button", name="Start forløb").click()
    expect(page).to_have_url(re.compile(r"/tjekliste\?forloeb=\d+"))
    expect(main.get_by_text("Sag 2026-0413").first).to_be_visible()
    expect(main.locator(".st-key-step-vurdering")).to_be_visible()
    expect(main.locator(".st-key-step-akut-handling")).to_have_count(0)  # ikke akut: no acute path

    tick(main, "registrer")
    expect(main.locator(".st-key-step-registrer")).to_contain_text("Udført")
    vurdering = main.locator(".st-key-step-vurdering")
    vurdering.get_by_text("Vejledning og note").click()
    vurdering.get_by_label("Note (valgfri, ingen CPR-numre eller navne)").fill("Ingen akut fare; drøftet med faglig leder.")
    vurdering.get_by_label("Note (valgfri, ingen CPR-numre eller navne)").press("Enter")
    tick(main, "vurdering")
    expect(main.locator(".st-key-step-vurdering")).to_contain_text("Note: Ingen akut fare")

    page.reload()
    expect(main.locator(".st-key-step-registrer").get_by_role("checkbox")).to_be_checked()
    expect(main.locator(".st-key-step-vurdering").get_by_role("checkbox")).to_be_checked()
    expect(main.locator(".st-key-step-kvittering").get_by_role("checkbox")).not_to_be_checked()

    journal = main.locator('[data-testid="stCode"]').filter(has_text="tjekliste version")
    expect(journal).to_contain_text("Reference: Sag 2026-0413")
    expect(journal).to_contain_text("Er underretningen akut? Nej")
    expect(journal).to_contain_text(re.compile(r"\[x\] Registrér underretningen samme dag – udført .* af Tina Modtageteam"))
    expect(journal).to_contain_text("Note: Ingen akut fare; drøftet med faglig leder.")
    expect(journal).to_contain_text("[ ] Send kvittering til underretteren")
    with page.expect_download() as download:
        main.get_by_role("button", name="Hent som tekst").click()
    exported = open(download.value.path(), encoding="utf-8").read()
    assert "Reference: Sag 2026-0413" in exported and "[x] Vurdér inden for 24 timer, om barnet er i fare" in exported

    page.goto(f"{portal_url}/tjeklister")
    expect(main.get_by_role("link", name="Modtagelse af underretning · Sag 2026-0413")).to_be_visible()
    expect(main).to_contain_text("2 af")
