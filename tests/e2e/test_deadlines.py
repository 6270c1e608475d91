"""A caseworker plans barnets plan for a placement without consent in a real browser: Enter in
the reference field does not start the run; with the decision date entered the plan is due that
day; with consent it moves 3 months later; the deadlines download as an .ics file."""

import re
import subprocess
import sys

from playwright.sync_api import Page, expect

from handbook.settings import PROJECT_ROOT

PASSWORD = "sara-har-en-lang-kode"


def create_and_log_in(page: Page, url: str, env: dict) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "handbook", "user", "add", "sara", "--role", "medarbejder", "--display-name", "Sara Rådgiver"],
        input=PASSWORD + "\n", capture_output=True, text=True, cwd=PROJECT_ROOT, env=env, check=False,
    )
    assert done.returncode == 0, done.stderr
    page.goto(f"{url}/log-ind")
    main = page.locator('[data-testid="stMain"]')
    main.get_by_label("Brugernavn").fill("sara")
    main.get_by_label("Adgangskode").fill(PASSWORD)
    main.get_by_role("button", name="Log ind").click()
    expect(page.get_by_role("heading", name="Nyt siden sidst", level=1)).to_be_visible()


def answer(scope, question: str, choice: str) -> None:
    scope.locator('[data-testid="stRadio"]').filter(has_text=question).get_by_text(choice, exact=True).click()


def test_plan_without_consent_is_due_on_the_decision_day_and_moves_with_consent(new_page, portal_url: str, portal_env: dict):
    page: Page = new_page("raadgiver")
    create_and_log_in(page, portal_url, portal_env)
    page.goto(f"{portal_url}/tjekliste?id=barnets-plan")
    main = page.locator('[data-testid="stMain"]')
    expect(page.get_by_role("heading", name="Barnets plan og ungeplanen", level=1)).to_be_visible()

    start = main.locator(".st-key-start")
    reference = start.get_by_label("Reference (valgfri)")
    reference.fill("Sag 2027-0042")
    reference.press("Enter")  # Enter commits the field; it never starts the run
    page.wait_for_timeout(1000)
    expect(page).not_to_have_url(re.compile(r"forloeb="))
    answer(start, "Er barnet anbragt uden for hjemmet", "Ja")
    answer(start, "Er der samtykke til anbringelsen?", "Nej")
    start.get_by_role("button", name="Start forløb").click()
    expect(page).to_have_url(re.compile(r"/tjekliste\?forloeb=\d+"))

    plan = main.locator(".st-key-step-plan-klar")
    expect(plan).to_contain_text("regnes ud, når det er kendt")
    main.get_by_role("spinbutton", name=re.compile(r"^dag\b.*Dato for afgørelsen om indsatsen")).click()
    page.keyboard.type("10022027")  # day, month, year: the date field moves on by itself
    page.get_by_role("heading", name="Spørgsmål").click()  # leaving the field sets the date
    expect(plan).to_contain_text("Frist ons. 10. februar 2027 (senest denne dag)")

    answer(main, "Er der samtykke til anbringelsen?", "Ja")
    expect(plan).to_contain_text("Frist man. 10. maj 2027 (senest denne dag)")

    page.goto(f"{portal_url}/mine-frister")
    expect(main.get_by_role("link", name="Færdiggør planen")).to_be_visible()
    with page.expect_download() as download:
        main.get_by_role("button", name="Hent som kalenderfil (.ics)").click()
    assert download.value.suggested_filename == "mine-frister.ics"
    calendar = open(download.value.path(), encoding="utf-8").read()
    assert "BEGIN:VCALENDAR" in calendar
    assert "SUMMARY:Frist: Færdiggør planen · Sag 2027-0042" in calendar
    assert "DTSTART;VALUE=DATE:20270510" in calendar
