"""The review journey in a real browser: a redaktør drafts a new version and sends it for
review; a second redaktør sees "Til godkendelse (1)", approves and publishes; a medarbejder who
follows the guideline gets the notification in the portal, and the SMTP server started here
received the e-mail."""

import re

from playwright.sync_api import Page, expect

from handbook.identity import auth, users
from handbook.store.database import Store
from tests.e2e.conftest import running_portal
from tests.e2e.test_publishing import PASSWORDS, add_user, log_in
from tests.smtp_server import smtp_server

GUIDELINE = "Rammen for faglig sparring"
expect.set_options(timeout=20_000)  # several reruns per step; the shared CI machine can be slow


def nav_link(page: Page, name: str):
    return page.locator('[data-testid="stSidebar"]').get_by_role("link", name=name)


def test_draft_review_publish_and_a_follower_is_notified_in_the_portal_and_by_email(new_page, portal_env, tmp_path):
    with smtp_server() as (smtp_port, inbox):
        env = {**portal_env, "HANDBOOK_DATA_DIR": str(tmp_path / "data"), "HANDBOOK_INDEX_DIR": str(tmp_path / "index"),
               "HANDBOOK_SMTP_HOST": "127.0.0.1", "HANDBOOK_SMTP_PORT": str(smtp_port), "HANDBOOK_SMTP_STARTTLS": "false",
               "HANDBOOK_SMTP_SENDER": "haandbogen@kommune.dk", "HANDBOOK_PORTAL_URL": "https://haandbog.kommune.dk"}
        for name, role, display in (("rikke", "redaktør", "Rikke Redaktør"), ("tina", "redaktør", "Tina Teamleder"), ("mads", "medarbejder", "Mads Rådgiver")):
            add_user(env, name, role, display)
        store = Store(tmp_path / "data" / "handbook.db")
        admin = auth.add_user(store, "adm", "adm-har-en-lang-kode", "admin")
        users.set_email(store, admin, "mads", "mads@kommune.dk")

        with running_portal(env) as url:
            reader = new_page("medarbejder")
            log_in(reader, url, "mads")
            reader.goto(f"{url}/retningslinje?id=faglig-sparring")
            reader.get_by_role("button", name="Følg").click()
            expect(reader.get_by_role("button", name="Følger – stop med at følge")).to_be_visible()

            author = new_page("redaktoer")
            log_in(author, url, "rikke")
            author.goto(f"{url}/rediger")
            author.get_by_label("Retningslinje", exact=True).click()
            author.keyboard.type("faglig sparring")
            author.get_by_role("option", name=GUIDELINE).click()
            author.get_by_role("button", name="Opret kladde til ny version").click()
            expect(author).to_have_url(re.compile(r"/rediger\?kladde=\d+"))
            main = author.locator('[data-testid="stMain"]')
            note = main.get_by_label("Ændringsnote (hvad er nyt i denne version?)")
            note.fill("Sparring noteres i journalen samme dag.")
            note.press("Control+Enter")
            expect(main.get_by_test_id("stBaseButton-primary").filter(has_text="Gem kladde")).to_be_visible()  # the changed text is in
            expect(main.get_by_text("Kontrollen fandt ingen fejl.")).to_be_visible()
            expect(main.get_by_role("button", name="Offentliggør nu")).to_have_count(0)  # review is required
            main.get_by_role("button", name="Send til godkendelse").click()
            expect(main.get_by_text("Kladden er sendt til godkendelse hos en anden redaktør.")).to_be_visible()

            reviewer = new_page("anden-redaktoer")
            log_in(reviewer, url, "tina")
            expect(nav_link(reviewer, "Til godkendelse (1)")).to_be_visible()
            reviewer.goto(f"{url}/rediger")
            review = reviewer.locator('[data-testid="stMain"]')
            expect(review.get_by_role("heading", name="Til godkendelse (1)")).to_be_visible()
            review.get_by_role("button", name="Åbn", exact=True).first.click()
            review.get_by_role("button", name="Godkend", exact=True).click()
            expect(review.get_by_text("Kladden er godkendt og kan offentliggøres.")).to_be_visible()
            review.get_by_role("button", name="Offentliggør nu").click()
            expect(review.get_by_text(re.compile(f"Version 2.1 af »{GUIDELINE}« er offentliggjort"))).to_be_visible()
            expect(nav_link(reviewer, "Til godkendelse (0)")).to_be_visible()

            reader.goto(f"{url}/nyt")
            reader.locator('[data-testid="stSidebar"]').get_by_role("link", name="1 ny notifikation").click()  # the bell
            expect(reader).to_have_url(re.compile("/notifikationer$"))
            expect(nav_link(reader, "Notifikationer (1)")).to_be_visible()
            expect(reader.locator('[data-testid="stMain"]')).to_contain_text(f"Version 2.1 af »{GUIDELINE}« er offentliggjort")

            [message] = [m for m in inbox.wait_for(1) if m["To"] == "mads@kommune.dk"]
            assert message["Subject"] == "Håndbogen: Ny version"
            body = message.get_content()
            assert f"Version 2.1 af »{GUIDELINE}« er offentliggjort" in body
            assert "https://haandbog.kommune.dk/retningslinje?id=faglig-sparring" in body
            assert "Sparring noteres" not in body  # no free text in mail


def test_a_word_document_uploaded_on_the_editor_page_becomes_a_draft(new_page, portal_url, portal_env, tmp_path):
    from tests.docx_builder import realistic_guideline

    PASSWORDS.setdefault("ulla", "ulla-har-en-lang-kode")
    add_user(portal_env, "ulla", "redaktør", "Ulla Redaktør")
    editor = new_page("word")
    log_in(editor, portal_url, "ulla")
    editor.goto(f"{portal_url}/rediger")
    main = editor.locator('[data-testid="stMain"]')
    main.get_by_text("Importér fra Word (.docx)").click()
    fake = tmp_path / "referat.docx"
    fake.write_text("ikke et word-dokument")
    main.locator('input[type="file"]').set_input_files(str(fake))
    expect(main.get_by_text("referat.docx")).to_be_visible()
    main.get_by_role("button", name="Importér som kladde").click()
    expect(main.get_by_text("»referat.docx« er ikke et Word-dokument (.docx), selv om navnet slutter på .docx.", exact=False)).to_be_visible()
    editor.goto(f"{portal_url}/rediger")  # a fresh upload field
    main.get_by_text("Importér fra Word (.docx)").click()
    main.locator('input[type="file"]').set_input_files(str(realistic_guideline().save(tmp_path / "underretninger.docx")))
    expect(main.get_by_text("underretninger.docx")).to_be_visible()
    main.get_by_label("Tema (valgfrit)").fill("Underretninger")
    main.get_by_role("button", name="Importér som kladde").click()
    expect(editor).to_have_url(re.compile(r"/rediger\?kladde=\d+"))
    expect(main.get_by_text(re.compile("»Modtagelse og vurdering af underretninger« er importeret som kladde nr. \\d+. 1 billede"))).to_be_visible()
    expect(main.get_by_label("Titel")).to_have_value("Modtagelse og vurdering af underretninger")
    expect(main.locator(".hb-body table")).to_contain_text("Modtageteamet")  # the table in the preview
    expect(main.get_by_text("Kontrollen fandt ingen fejl.")).to_be_visible()
