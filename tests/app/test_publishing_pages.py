"""AppTest of logging in, the editor, Nyt siden sidst, history and the leaders' pages."""

from datetime import date

import pytest

from handbook.content.render import format_date
from handbook.identity.auth import User
from handbook.publishing import drafts as pub
from handbook.publishing.revisions import in_force, load_current
from handbook.settings import paths_from_env
from handbook.store.database import Store
from tests.app.conftest import texts
from tests.conftest import guideline_text

EDITOR_PAGE = "views/rediger.py"
NEWS_PAGE = "views/nyt.py"
HISTORY_PAGE = "views/historik.py"
LOGIN_PAGE = "views/log_ind.py"


def publish_new_version(tmp_path, guideline_id: str, line: str, note: str, effective: date | None = None) -> None:
    """What a redaktør does in the editor, done directly against the app's store."""
    store = Store(tmp_path / "data" / "handbook.db")
    paths = paths_from_env({"HANDBOOK_DATA_DIR": str(tmp_path / "data")})
    today = date.today()
    loaded = load_current(store, paths, today)
    editor = User("rikke", "Rikke", "redaktør")
    draft_id = pub.start_new_version(store, editor, in_force(loaded.revisions[guideline_id], today), today)
    draft = pub.get_draft(store, draft_id)
    fields, body = pub.split_text(draft.text)
    start = effective or today
    fields.update(change_note=note, effective=start.isoformat(), review_by=start.replace(year=start.year + 1).isoformat())
    pub.save_draft(store, editor, draft_id, pub.compose_text(fields, body + f"\n\n{line}\n", list(fields)), draft.lock, loaded.library.config, set(loaded.revisions))
    pub.publish(store, editor, draft_id, today, loaded.library.config, set(loaded.revisions), require_review=False)


def test_anonymous_readers_get_no_editor_pages_and_a_wrong_password_is_refused(make_app):
    app = make_app()
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        app.switch_page(EDITOR_PAGE)
    app.switch_page(LOGIN_PAGE).run()
    app.text_input[0].input("ingen")
    app.text_input[1].input("forkert-kode-123")
    app.button[0].click().run()
    assert app.error[0].value == "Forkert brugernavn eller adgangskode."


def test_a_medarbejder_has_no_editor_pages_but_a_redaktoer_has(make_app):
    app = make_app(user="mads:medarbejder")
    with pytest.raises(ValueError):
        app.switch_page(EDITOR_PAGE)
    app = make_app(user="rikke:redaktør")
    app.switch_page(EDITOR_PAGE).run()
    assert app.title[0].value == "Redigér og offentliggør"


def test_news_shows_a_new_version_with_note_and_diff_and_acknowledging_clears_it(make_app, tmp_path):
    app = make_app(user="mads:medarbejder")  # mads exists before the new version is published
    publish_new_version(tmp_path, "faglig-sparring", "Sparring noteres samme dag.", "Krav om notat.")
    app = make_app(page=NEWS_PAGE, user="mads:medarbejder")
    shown = texts(app)
    assert "**Rammen for faglig sparring** · version 2.1" in shown
    assert "**Ændringsnote:** Krav om notat." in shown
    assert "Sparring noteres samme dag." in shown  # in the diff
    [button] = [b for b in app.button if b.label == "Jeg har læst version 2.1"]
    button.click().run()
    assert "Rammen for faglig sparring" not in "\n".join(m.value for m in app.markdown)
    assert app.info[0].value.startswith("Der er ingen nye ændringer siden sidst.")  # and the 19 others are listed, not "all read"
    assert not app.success


def test_history_shows_versions_point_in_time_and_diff(make_app, tmp_path):
    make_app()
    publish_new_version(tmp_path, "faglig-sparring", "Sparring noteres samme dag.", "Krav om notat.")
    app = make_app(page=HISTORY_PAGE, id="faglig-sparring")
    table = app.dataframe[0].value
    assert list(table["Version"]) == ["2.1", "2.0"]
    assert list(table["Status"]) == ["gældende", "tidligere"]
    assert "gjaldt **version 2.1**" in app.success[0].value
    app.date_input(key="as-of").set_value(date(2025, 10, 1)).run()
    assert "gjaldt **version 2.0**" in app.success[0].value
    app.date_input(key="as-of").set_value(date(2020, 1, 1)).run()
    assert "ikke gældende endnu" in app.warning[0].value
    diff = [h.proto.body for h in app.get("html") if "hb-diff" in h.proto.body][0]
    assert '<div class="hb-diff-ins">Sparring noteres samme dag.</div>' in diff


def test_a_scheduled_version_is_announced_on_the_guideline_page(make_app, tmp_path):
    make_app()
    start = date.today().replace(year=date.today().year + 1)
    publish_new_version(tmp_path, "faglig-sparring", "Kommer senere.", "Planlagt ændring.", effective=start)
    app = make_app(page="views/retningslinje.py", id="faglig-sparring")
    assert app.info[0].value.startswith("Ny version 2.1 gælder fra")
    assert "Indtil da gælder version 2.0" in app.info[0].value
    assert "Kommer senere." not in texts(app)


def test_editor_shows_live_preview_and_validator_problems(make_app, tmp_path):
    app = make_app(user="rikke:redaktør")
    store = Store(tmp_path / "data" / "handbook.db")
    loaded = load_current(store, paths_from_env({"HANDBOOK_DATA_DIR": str(tmp_path / "data")}), date.today())
    draft_id = pub.start_new_version(store, User("rikke", "Rikke", "redaktør"), in_force(loaded.revisions["ics"], date.today()), date.today())
    app = make_app(page=EDITOR_PAGE, user="rikke:redaktør", kladde=str(draft_id))
    body = [t for t in app.text_area if t.label == "Tekst (Markdown)"][0]
    body.input(body.value + "\n\n## Nyt afsnit om netværket\n\nSe [x](findes-ikke).").run()
    assert "Nyt afsnit om netværket" in texts(app)
    assert "peger ikke på nogen retningslinje" in app.warning[0].value
    title = [t for t in app.text_input if t.label == "Titel"][0]
    title.input("").run()
    assert "'title' mangler" in app.warning[0].value


def test_with_oidc_configured_the_login_page_offers_the_organisations_login(make_app):
    from oidc_provider_mock import run_server_in_thread

    app = make_app(page=LOGIN_PAGE)
    assert "Log ind med organisationens konto" not in [b.label for b in app.button]
    with run_server_in_thread() as provider:
        metadata = f"http://localhost:{provider.server_port}/.well-known/openid-configuration"
        app.secrets["auth"] = {"client_id": "x", "client_secret": "y", "redirect_uri": "http://localhost/oauth2callback", "cookie_secret": "z", "server_metadata_url": metadata}
        app.run()
    assert "Log ind med organisationens konto" in [b.label for b in app.button]


def test_with_the_provider_unreachable_the_login_page_says_so_and_keeps_local_login(make_app):
    app = make_app(page=LOGIN_PAGE)
    app.secrets["auth"] = {"client_id": "x", "client_secret": "y", "redirect_uri": "http://localhost/oauth2callback", "cookie_secret": "z", "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration"}
    app.run()
    assert "Log ind med organisationens konto" not in [b.label for b in app.button]
    assert "log-ind-tjenesten svarer ikke" in app.warning[0].value
    assert "Log ind" in [b.label for b in app.button]  # the local login form


def test_a_new_guideline_scheduled_for_later_shows_editors_its_date_and_readers_no_error(make_app, tmp_path):
    make_app()  # the first run records the bundled files
    store = Store(tmp_path / "data" / "handbook.db")
    loaded = load_current(store, paths_from_env({"HANDBOOK_DATA_DIR": str(tmp_path / "data")}), date.today())
    editor = User("rikke", "Rikke", "redaktør")
    start = date.today().replace(year=date.today().year + 1)
    text = guideline_text("planlagt", "Planlagt retningslinje", effective=f"effective: {start.isoformat()}", review_by=f"review_by: {start.replace(year=start.year + 1).isoformat()}")
    draft_id = pub.start_new_guideline(store, editor, text, set(loaded.revisions))
    pub.publish(store, editor, draft_id, date.today(), loaded.library.config, set(loaded.revisions), require_review=False)
    for user, expected in (("rikke:redaktør", f"Planlagt fra {format_date(start)}"), ("mads:medarbejder", f"Retningslinjen gælder fra {format_date(start)}")):
        app = make_app(page="views/retningslinje.py", user=user, id="planlagt")
        assert app.title[0].value == "Planlagt retningslinje"
        assert app.info[0].value.startswith(expected) and not app.error
