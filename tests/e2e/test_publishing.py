"""A redaktør publishes a new version; a medarbejder sees it under "Nyt siden sidst", opens the
diff and acknowledges; the redaktør sees the share of readers go up."""

import re
import subprocess
import sys

from playwright.sync_api import Page, expect

from handbook.settings import PROJECT_ROOT

PASSWORDS = {"rikke": "rikke-har-en-lang-kode", "mads": "mads-har-en-lang-kode", "tina": "tina-har-en-lang-kode", "sofie": "sofie-har-en-lang-kode"}


def add_user(env: dict, name: str, role: str, display_name: str) -> None:
    """Create the account with the administrators' command, password on stdin."""
    done = subprocess.run(
        [sys.executable, "-m", "handbook", "user", "add", name, "--role", role, "--display-name", display_name],
        input=PASSWORDS[name] + "\n", capture_output=True, text=True, cwd=PROJECT_ROOT, env=env, check=False,
    )
    assert done.returncode == 0, done.stderr


def log_in(page: Page, url: str, name: str) -> None:
    page.goto(f"{url}/log-ind")
    main = page.locator('[data-testid="stMain"]')
    main.get_by_label("Brugernavn").fill(name)
    main.get_by_label("Adgangskode").fill(PASSWORDS[name])
    main.get_by_role("button", name="Log ind").click()
    expect(page.get_by_role("heading", name="Nyt siden sidst", level=1)).to_be_visible()


def share_of_readers(page: Page, url: str) -> str:
    page.goto(f"{url}/laest")
    page.get_by_label("Se navne for").click()
    page.keyboard.type("faglig sparring")
    page.get_by_role("option", name=re.compile("Rammen for faglig sparring")).click()
    return page.locator('[data-testid="stMain"]').get_by_text(re.compile(r"^Har læst \(\d+\)$")).inner_text()


def test_publish_a_new_version_then_a_caseworker_reads_and_acknowledges_it(new_page, portal_url: str, portal_env: dict):
    add_user(portal_env, "rikke", "redaktør", "Rikke Redaktør")
    add_user(portal_env, "mads", "medarbejder", "Mads Rådgiver")
    editor = new_page("redaktoer")
    log_in(editor, portal_url, "rikke")
    assert share_of_readers(editor, portal_url) == "Har læst (0)"

    editor.goto(f"{portal_url}/rediger")
    editor.get_by_label("Retningslinje", exact=True).click()
    editor.keyboard.type("faglig sparring")
    editor.get_by_role("option", name="Rammen for faglig sparring").click()
    editor.get_by_role("button", name="Opret kladde til ny version").click()
    expect(editor).to_have_url(re.compile(r"/rediger\?kladde=\d+"))
    main = editor.locator('[data-testid="stMain"]')
    expect(main.get_by_label("Version", exact=True)).to_have_value("2.1")
    body = main.get_by_label("Tekst (Markdown)")
    body.fill(body.input_value() + "\n\nSparringen skal altid noteres i journalen samme dag.\n")
    body.press("Control+Enter")
    expect(main.locator(".hb-body")).to_contain_text("noteres i journalen samme dag")  # live preview
    main.get_by_role("group", name="Revisionsdato").get_by_role("spinbutton").first.click()
    editor.keyboard.type("31122027")
    editor.keyboard.press("Enter")  # a typed date applies on Enter, without leaving the field
    expect(main.locator('[data-testid="stCode"]').filter(has_text="review_by:")).to_contain_text("review_by: 2027-12-31")
    note = main.get_by_label("Ændringsnote (hvad er nyt i denne version?)")
    note.fill("Krav om journalnotat samme dag.")
    note.press("Control+Enter")
    expect(main.get_by_text("Kontrollen fandt ingen fejl.")).to_be_visible()
    expect(main.get_by_test_id("stBaseButton-primary").filter(has_text="Gem kladde")).to_be_visible()  # the changed text is in
    main.get_by_role("button", name="Send til godkendelse").click()  # review_required is on by default
    expect(main.get_by_text("Kladden er sendt til godkendelse hos en anden redaktør.")).to_be_visible(timeout=20_000)

    add_user(portal_env, "sofie", "redaktør", "Sofie Redaktør")
    reviewer = new_page("anden-redaktoer")
    log_in(reviewer, portal_url, "sofie")
    reviewer.goto(f"{portal_url}/godkendelse")
    review = reviewer.locator('[data-testid="stMain"]')
    expect(review.get_by_text("Sendt til godkendelse af Rikke Redaktør", exact=False)).to_be_visible()
    review.get_by_role("button", name="Åbn", exact=True).first.click()  # "Til godkendelse" opens the draft itself
    expect(reviewer).to_have_url(re.compile(r"/rediger\?kladde=\d+"))
    expect(review.get_by_text(re.compile("oprettet af Rikke Redaktør"))).to_be_visible()
    review.get_by_role("button", name="Godkend", exact=True).click()
    expect(review.get_by_text("Kladden er godkendt og kan offentliggøres.")).to_be_visible(timeout=20_000)
    review.get_by_role("button", name="Offentliggør nu").click()
    expect(review.get_by_text(re.compile("Version 2.1 af »Rammen for faglig sparring« er offentliggjort"))).to_be_visible()

    reader = new_page("medarbejder")
    log_in(reader, portal_url, "mads")
    item = reader.locator(".st-key-nyt-faglig-sparring")
    expect(item).to_contain_text("Rammen for faglig sparring")
    expect(item).to_contain_text("version 2.1")
    expect(item).to_contain_text("Krav om journalnotat samme dag.")
    item.get_by_text("Se ændringerne fra version 2.0 til 2.1").click()
    expect(item.locator(".hb-diff-ins").filter(has_text="noteres i journalen samme dag")).to_be_visible()
    facts = item.locator(".hb-diff-facts")
    expect(facts.get_by_role("row", name=re.compile("^Version"))).to_contain_text("2.0")
    expect(facts.get_by_role("row", name=re.compile("^Revisionsdato"))).to_contain_text("31. december 2027")
    expect(facts).not_to_contain_text("review_by")
    expect(item).to_contain_text("af Sofie Redaktør")  # the display name, not the login name
    item.get_by_role("button", name="Jeg har læst version 2.1").click()
    expect(reader.locator(".st-key-nyt-faglig-sparring")).to_have_count(0)

    reader.reload()  # the login survives a reload (session cookie)
    expect(reader.get_by_text(re.compile("Mads Rådgiver · Medarbejder"))).to_be_visible()

    assert share_of_readers(editor, portal_url) == "Har læst (1)"
    expect(editor.locator('[data-testid="stMain"]')).to_contain_text("Mads Rådgiver")
