"""AppTest fixtures: run app.py against a chosen content tree with fresh caches."""

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from handbook.identity.auth import add_user, get_user, start_session
from handbook.settings import PROJECT_ROOT
from handbook.store.database import Store


@pytest.fixture
def make_app(monkeypatch, tmp_path):
    """Return a function that builds an AppTest of the real app on a content tree."""

    def build(content_root=PROJECT_ROOT, page: str | None = None, user: str | None = None, **query: str) -> AppTest:
        """user is "name:role": that local account is created and logged in first."""
        monkeypatch.setenv("HANDBOOK_CONTENT_DIR", str(content_root))
        monkeypatch.setenv("HANDBOOK_DATA_DIR", str(tmp_path / "data"))
        st.cache_resource.clear()
        st.cache_data.clear()
        app = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=30)
        if user:
            name, role = user.split(":")
            store = Store(tmp_path / "data" / "handbook.db")
            if store.user(name) is None:
                add_user(store, name, "en-lang-adgangskode", role)
            app.session_state["session_token"] = start_session(store, get_user(store, name))
            app.run()
        if page:
            if not user:
                app.run()  # switch_page matches pages registered by a first run
            app.switch_page(page)
        for key, value in query.items():
            app.query_params[key] = value
        return app.run()

    return build


def texts(app: AppTest) -> str:
    """All visible text of markdown, captions, titles, headers and page links, joined."""
    parts = [e.value for e in app.markdown] + [e.value for e in app.caption] + [e.value for e in app.title]
    parts += [e.value for e in app.subheader] + [e.value for e in app.header]
    parts += [link.proto.label for link in app.get("page_link")]
    parts += [e.proto.body for e in app.get("html")]
    return "\n".join(str(p) for p in parts)
