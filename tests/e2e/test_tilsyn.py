"""A leder runs a tilsyn round in a real browser: creates it, pastes 10 case numbers for two
caseworkers, draws 3 each, records the answers, sees the figure and the chart; the caseworker
then sees the feedback under "Mit tilsyn" and acknowledges it."""

import re
import subprocess
import sys

from playwright.sync_api import Page, expect

from handbook.settings import PROJECT_ROOT

PASSWORD = "tilsyn-har-en-lang-kode"


def handbook_cli(env: dict, *args: str, stdin: str = "") -> None:
    done = subprocess.run([sys.executable, "-m", "handbook", *args], input=stdin, capture_output=True, text=True, cwd=PROJECT_ROOT, env=env, check=False)
    assert done.returncode == 0, done.stderr


def log_in(page: Page, url: str, name: str) -> None:
    page.goto(f"{url}/log-ind")
    main = page.locator('[data-testid="stMain"]')
    main.get_by_label("Brugernavn").fill(name)
    main.get_by_label("Adgangskode").fill(PASSWORD)
    main.get_by_role("button", name="Log ind").click()
    expect(page.get_by_role("heading", name="Nyt siden sidst", level=1)).to_be_visible()


def answer(case, criterion: str, value: str) -> None:
    box = case.locator(f"[class*='st-key-krit-'][class*='-{criterion}']")
    box.get_by_text(value, exact=True).click()
    expect(box).to_contain_text(f"Gemt: {value}")


def test_a_leder_draws_records_and_sees_figures_and_the_caseworker_acknowledges(new_page, portal_url: str, portal_env: dict):
    for name, role in (("lene", "leder"), ("mette", "medarbejder"), ("jonas", "medarbejder")):
        handbook_cli(portal_env, "user", "add", name, "--role", role, "--display-name", f"{name.title()} Tilsyn", stdin=PASSWORD + "\n")
    handbook_cli(portal_env, "user", "teams", "lene", "Modtageteam")

    page = new_page("leder")
    log_in(page, portal_url, "lene")
    page.goto(f"{portal_url}/tilsyn")
    main = page.locator('[data-testid="stMain"]')
    expect(page.get_by_role("heading", name="Ledelsestilsyn", level=1)).to_be_visible()
    form = main.locator('[data-testid="stForm"]')
    form.locator('[data-testid="stSelectbox"]').first.click()
    page.get_by_role("option", name="Modtageteamets underretninger – månedligt tilsyn").click()
    form.get_by_label("Periode (ÅÅÅÅ-MM)").fill("2026-11")
    form.get_by_role("button", name="Opret runde").click()
    expect(page).to_have_url(re.compile(r"/tilsyn-runde\?runde=\d+"))

    cases = "\n".join(f"{'mette' if n <= 5 else 'jonas'}, 2026-{n:04d}" for n in range(1, 11))
    main.get_by_label(re.compile("Teamets aktive sager")).fill(cases)
    main.get_by_role("button", name="Træk sager").click()
    expect(main.get_by_text(re.compile(r"3 pr. rådgiver blandt 10 sager med frø"))).to_be_visible()
    drawn = main.locator('.st-key-tilsyn-sager [data-testid="stExpander"]')
    expect(drawn).to_have_count(6)
    expect(drawn.filter(has_text="· mette")).to_have_count(3)
    expect(drawn.filter(has_text="· jonas")).to_have_count(3)

    for index in range(6):
        case = drawn.nth(index)
        is_mette = "· mette" in case.locator("summary").inner_text()
        for criterion in ("underretning-24-timer", "screening", "genvurdering"):
            answer(case, criterion, "Ja")
        answer(case, "kvittering", "Nej" if is_mette else "Ja")
    expect(main.get_by_role("heading", name="Svar (24 af 24)")).to_be_visible()
    main.get_by_role("button", name="Åbn for rådgiverne").click()
    expect(page.get_by_text("Åbnet for rådgiverne")).to_be_visible()

    page.goto(f"{portal_url}/tilsyn-tal")
    table = main.locator('[data-testid="stDataFrame"]').first
    expect(table).to_be_visible()
    expect(main.get_by_role("heading", name=re.compile("Modtageteam · 2026-11"))).to_be_visible()
    expect(table).to_contain_text("3 af 6 sager")
    expect(main.locator('[data-testid="stVegaLiteChart"]')).to_be_visible()
    expect(main.get_by_text(re.compile(r"2026-11: 6 af 6 sager \(100 %\)"))).to_be_visible()
    main.locator('[data-testid="stSelectbox"]').filter(has_text="Kriterium").click()
    page.get_by_role("option", name=re.compile("kvittering til underretteren")).click()
    expect(main.get_by_text(re.compile(r"2026-11: 3 af 6 sager \(50 %\)"))).to_be_visible()

    caseworker = new_page("raadgiver")
    log_in(caseworker, portal_url, "mette")
    caseworker.goto(f"{portal_url}/mit-tilsyn")
    mine = caseworker.locator('[data-testid="stMain"]')
    expect(mine).to_contain_text("Modtageteamets underretninger – månedligt tilsyn · 2026-11")
    expect(mine).to_contain_text("Det skal rettes:")
    expect(mine.get_by_text(re.compile("Er der sendt kvittering til underretteren"))).to_have_count(3)
    expect(mine).not_to_contain_text("jonas")
    mine.get_by_role("button", name="Jeg har læst tilbagemeldingen").click()
    expect(mine.get_by_text(re.compile("Du kvitterede"))).to_be_visible()
