"""AppTest of the editorial pages: review inbox and review_required, user administration and
the last admin, forced password change, notifications, Følg and feedback, Nyt siden sidst for
a new user, related guidelines by title, the audit log filter and the Log ind hint."""

from datetime import date

from handbook.identity import auth, users
from handbook.identity.auth import User
from handbook.publishing import drafts as pub
from handbook.publishing import notifications
from handbook.publishing.required_reading import set_required
from handbook.publishing.revisions import in_force, load_current
from handbook.settings import paths_from_env
from handbook.store.database import Store
from tests.app.conftest import texts

EDITOR_PAGE = "views/rediger.py"


def store_of(tmp_path) -> Store:
    return Store(tmp_path / "data" / "handbook.db")


def draft_in_review(tmp_path, guideline_id: str = "ics") -> int:
    store = store_of(tmp_path)
    loaded = load_current(store, paths_from_env({"HANDBOOK_DATA_DIR": str(tmp_path / "data")}), date.today())
    rikke = auth.get_user(store, "rikke") or auth.add_user(store, "rikke", "en-lang-adgangskode", "redaktør", "Rikke")
    draft_id = pub.start_new_version(store, rikke, in_force(loaded.revisions[guideline_id], date.today()), date.today())
    draft = pub.get_draft(store, draft_id)
    fields, body = pub.split_text(draft.text)
    fields["change_note"] = "Ny note."
    pub.save_draft(store, rikke, draft_id, pub.compose_text(fields, body, list(fields)), draft.lock, loaded.library.config, set(loaded.revisions))
    return draft_id


def test_the_second_redaktoer_sees_the_inbox_and_an_unreviewed_draft_cannot_be_published(make_app, tmp_path):
    auth.add_user(store_of(tmp_path), "sofie", "en-lang-adgangskode", "redaktør", "Sofie")
    draft_id = draft_in_review(tmp_path)
    app = make_app(page=EDITOR_PAGE, user="rikke:redaktør", kladde=str(draft_id))
    labels = [b.label for b in app.button]
    assert "Offentliggør nu" not in labels and "Send til godkendelse" in labels
    assert "Kladden skal godkendes af en anden redaktør" in texts(app)
    [send] = [b for b in app.button if b.label == "Send til godkendelse"]
    send.click().run()
    app = make_app(page=EDITOR_PAGE, user="sofie:redaktør")
    assert "Til godkendelse (1)" in [s.value for s in app.header]
    assert "**Metodevejledning: ICS" in texts(app) or "kladde nr. 1" in texts(app)
    app = make_app(page="views/godkendelse.py", user="sofie:redaktør")
    assert app.title[0].value == "Til godkendelse"
    assert "Til godkendelse (1)" in [s.value for s in app.header]
    app = make_app(page=EDITOR_PAGE, user="sofie:redaktør", kladde=str(draft_id))
    [approve] = [b for b in app.button if b.label == "Godkend"]
    approve.click().run()
    assert "Offentliggør nu" in [b.label for b in app.button]
    assert notifications.for_user(store_of(tmp_path), "rikke")[0].kind == "approved"


def test_related_guidelines_are_chosen_by_title(make_app, tmp_path):
    draft_id = draft_in_review(tmp_path)
    app = make_app(page=EDITOR_PAGE, user="rikke:redaktør", kladde=str(draft_id))
    [related] = [m for m in app.multiselect if m.label == "Relaterede retningslinjer"]
    assert "Rammen for faglig sparring" in related.options and "faglig-sparring" not in related.options
    related.select("Rammen for faglig sparring").run()
    [shown] = [m.value for m in app.markdown if m.value.startswith("**Relaterede retningslinjer:**")]  # the preview
    assert "Rammen for faglig sparring" in shown and "faglig-sparring" not in shown


def test_the_last_admin_cannot_demote_themself_in_the_portal(make_app, tmp_path):
    app = make_app(page="views/administration.py", user="adm:admin")
    app.selectbox(key="admin-user").set_value("adm").run()
    app.selectbox(key="role-adm").set_value("medarbejder").run()
    [change] = [b for b in app.button if b.label == "Skift rolle"]
    change.click().run()
    assert "'adm' er den sidste aktive administrator og kan ikke fratages administratorrollen" in app.error[0].value
    [deactivate] = [b for b in app.button if b.label == "Deaktivér"]
    deactivate.click().run()
    assert "kan ikke deaktiveres" in app.error[0].value
    assert store_of(tmp_path).user("adm")["role"] == "admin"


def test_an_admin_creates_a_user_who_must_change_the_temporary_password(make_app, tmp_path):
    app = make_app(page="views/administration.py", user="adm:admin")
    app.text_input(key="new-name").input("mads")
    app.text_input(key="new-display").input("Mads Rådgiver")
    app.text_input(key="new-email").input("mads@kommune.dk")
    [create] = [b for b in app.button if b.label == "Opret bruger"]
    create.click().run()
    shown = app.success[0].value
    assert "Midlertidig adgangskode til **mads**" in shown and "vises kun denne ene gang" in shown
    temporary = shown.split("`")[1]
    app.run()
    assert not any("Midlertidig adgangskode" in s.value for s in app.success)  # shown once
    assert auth.login(store_of(tmp_path), "mads", temporary).name == "mads"
    forced = make_app(user="mads:medarbejder")
    assert forced.title[0].value == "Skift adgangskode"
    assert "midlertidig adgangskode" in forced.warning[0].value
    forced.text_input[0].input(temporary)
    forced.text_input[1].input("mit-eget-kodeord")
    forced.text_input[2].input("mit-eget-kodeord")
    forced.button[0].click().run()
    assert not users.must_change_password(store_of(tmp_path), "mads")
    assert forced.success[0].value == "Din adgangskode er skiftet."
    assert "Nyt siden sidst" not in [t.value for t in forced.title] and [b.label for b in forced.button if b.label == "Skift adgangskode"]


def test_the_audit_log_filters_by_action(make_app, tmp_path):
    store = store_of(tmp_path)
    admin = auth.add_user(store, "adm", "en-lang-adgangskode", "admin")
    users.create_user(store, admin, "mads", "medarbejder")
    users.set_active(store, admin, "mads", False)
    app = make_app(page="views/haendelseslog.py", user="adm:admin")
    everything = len(app.dataframe[0].value)
    app.multiselect[1].select("deaktivér bruger").run()
    table = app.dataframe[0].value
    assert list(table["Handling"]) == ["deaktivér bruger"] and everything > 1
    assert app.caption[0].value == f"1 af {everything} hændelser."


def test_the_login_page_says_how_the_first_account_is_made(make_app):
    app = make_app(page="views/log_ind.py")
    assert "python -m handbook user add NAVN --role admin" in app.info[0].value
    assert "ingen brugere" in app.info[0].value


def test_a_new_user_reads_what_to_read_first_and_nothing_contradictory(make_app, tmp_path):
    set_required(store_of(tmp_path), User("lis", "Lis", "redaktør"), "underretninger", ["medarbejder"])
    app = make_app(page="views/nyt.py", user="ny:medarbejder")
    assert not app.success  # never "you have read everything"
    assert app.info[0].value.startswith("Velkommen til Håndbogen.") and "læsepligt" in app.info[0].value
    assert "Læs først: læsepligt for din rolle (1)" in [s.value for s in app.header]
    links = [link.proto.label for link in app.get("page_link")]
    assert links[0].startswith("Modtagelse")  # the required guideline comes first


def test_follow_feedback_and_notifications_on_a_guideline(make_app, tmp_path):
    app = make_app(page="views/retningslinje.py", user="mads:medarbejder", id="faglig-sparring")
    [follow] = [b for b in app.button if b.label == "Følg"]
    follow.click().run()
    assert "Følger – stop med at følge" in [b.label for b in app.button]
    app.get("button_group")[0].set_value("Nej")
    app.text_area(key="feedback-comment").input("Barnet 010203-1234 passer ikke")
    [send] = [b for b in app.button if b.label == "Send tilbagemelding"]
    send.click().run()
    assert "Kommentaren ser ud til at indeholde et CPR-nummer" in app.error[0].value
    store = store_of(tmp_path)
    assert store.db.execute("SELECT count(*) FROM feedback").fetchone()[0] == 0
    app.text_area(key="feedback-comment").input("Mangler et eksempel på en god kvittering.")
    [send] = [b for b in app.button if b.label == "Send tilbagemelding"]
    send.click().run()
    assert "Tak for din tilbagemelding." in texts(app)
    assert store.db.execute("SELECT useful, comment FROM feedback").fetchall() == [(0, "Mangler et eksempel på en god kvittering.")]
    leader = make_app(page="views/retningslinje.py", user="lis:redaktør", id="faglig-sparring")
    assert any(e.label == "Tilbagemeldinger: 0 ja, 1 nej, 1 kommentarer" for e in leader.expander)
    notifications.notify(store, ["mads"], "new_version", "Version 2.1 af »Rammen for faglig sparring« er offentliggjort.", "retningslinje?id=faglig-sparring", settings=lambda: None)
    app = make_app(page="views/notifikationer.py", user="mads:medarbejder")
    assert "Version 2.1 af »Rammen for faglig sparring« er offentliggjort." in texts(app)
    [read] = [b for b in app.button if b.label == "Markér alle 1 som læst"]
    read.click().run()
    assert notifications.unread_count(store, "mads") == 0
