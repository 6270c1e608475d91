"""The real app (AppTest) under odd addresses, ended sessions and a full disk: Danish messages,
never a traceback."""

import logging
import sqlite3

from streamlit.testing.v1 import AppTest

from handbook.identity import auth
from handbook.privacy import triggers as cprguard
from handbook.settings import PROJECT_ROOT
from handbook.store.database import Store
from tests.app.conftest import texts

RUN_PAGE = "views/tjekliste.py"
EDITOR_PAGE = "views/rediger.py"
ODD_VALUES = ["²", "99999999999999999999999", "9223372036854775808", "-1", "0", "١٢", " ", "1" * 5000, "[x](https://evil.example/a.png)"]


def shown(app) -> str:
    return "\n".join([texts(app)] + [e.value for e in app.error] + [e.value for e in app.warning] + [e.value for e in app.info])


def visit(app, **query):
    """The same session opening another address (caches kept, as on a running server)."""
    app.query_params.clear()
    for key, value in query.items():
        app.query_params[key] = value
    return app.run()


def test_odd_run_and_draft_numbers_in_the_address_say_findes_ikke(make_app):
    app = make_app(page=RUN_PAGE, user="mads:medarbejder")
    for value in ODD_VALUES:
        visit(app, forloeb=value)
        assert not app.exception, value
        assert "findes ikke" in app.error[0].value, value
        assert "evil.example" not in shown(app)
    app = make_app(page=EDITOR_PAGE, user="rikke:redaktør")
    for value in ["²", "99999999999999999999999", "-3", "abc"]:
        visit(app, kladde=value)
        assert not app.exception, value
        assert "Kladden findes ikke" in app.error[0].value


def test_an_unknown_id_is_said_not_to_exist_and_not_echoed_as_markdown(make_app):
    for page in ("views/retningslinje.py", "views/historik.py"):
        app = make_app(page=page, id="![x](https://evil.example/track.png) **fed**")
        assert not app.exception
        assert "findes ikke" in app.error[0].value
        assert "evil.example" not in shown(app) and "**fed**" not in shown(app)
        visit(app, id="ukendt-id")
        assert "»ukendt-id«" in app.error[0].value  # a plain id is still named


def test_other_parameters_with_odd_values_do_not_break_the_page(make_app):
    for page, param in [("views/metoder.py", "ark"), ("views/haandbog.py", "rolle"), ("views/tjekliste.py", "id")]:
        app = make_app(page=page)
        for value in ["²", "x" * 10_000, "../../etc/passwd", "<script>alert(1)</script>"]:
            visit(app, **{param: value})
            assert not app.exception, (page, value)
            assert "alert(1)" not in texts(app)  # (the page's own interface script is not the parameter)


def test_logout_in_one_tab_ends_the_session_in_another(make_app):
    other_tab = make_app(page=EDITOR_PAGE, user="rikke:redaktør")
    assert not other_tab.error and "Åbne kladder" in [h.value for h in other_tab.header]
    this_tab = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=30)
    this_tab.session_state["session_token"] = other_tab.session_state["session_token"]  # the shared cookie
    this_tab.run()
    this_tab.switch_page("views/log_ind.py").run()
    next(b for b in this_tab.button if b.label == "Log ud").click().run()
    other_tab.run()  # the other tab's next interaction
    assert "Åbne kladder" not in [h.value for h in other_tab.header]
    assert "Redigér og offentliggør" not in [t.value for t in other_tab.title]


def test_a_role_change_reaches_an_open_tab_at_its_next_interaction(make_app, tmp_path):
    tab = make_app(page=EDITOR_PAGE, user="rikke:redaktør")
    assert "Åbne kladder" in [h.value for h in tab.header]
    store = Store(tmp_path / "data" / "handbook.db")
    auth.set_role_as_administrator(store, "rikke", "medarbejder")
    tab.run()
    assert "Åbne kladder" not in [h.value for h in tab.header]
    assert "Redigér og offentliggør" not in [t.value for t in tab.title]


def test_a_full_disk_gives_a_danish_message_and_a_log_entry(make_app, monkeypatch, caplog):
    app = make_app(page=RUN_PAGE, user="mads:medarbejder", id="underretning")
    register = cprguard.register

    def full_disk(conn: sqlite3.Connection) -> None:
        register(conn)
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        conn.execute(f"PRAGMA max_page_count = {pages}")  # SQLite answers SQLITE_FULL as on a full disk

    monkeypatch.setattr(cprguard, "register", full_disk)
    st_cache_clear()
    caplog.set_level(logging.ERROR, logger="handbook")
    app.text_input[0].input("Sag " + "x" * 70)
    next(b for b in app.button if b.label == "Start forløb").click().run()
    assert not app.exception
    assert any("disken er fuld" in e.value for e in app.error)
    assert "database or disk is full" not in shown(app)
    assert any("Database- eller diskfejl" in r.getMessage() for r in caplog.records)


def st_cache_clear() -> None:
    """New connections (with the patched set-up) for the next run."""
    import streamlit as st

    st.cache_resource.clear()


def test_streamlit_is_configured_to_show_no_error_details():
    import tomllib

    config = tomllib.loads((PROJECT_ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["client"]["showErrorDetails"] == "none"
