"""Small pieces that many pages draw: the link to a guideline and its caption, the search box,
the login hint, the notification bell, the first-account hint, the editors' list of content
problems and the after-hours notice."""

from __future__ import annotations

from datetime import datetime

import streamlit as st

from handbook.checklists.afterhours import NOT_FILLED_IN, load_after_hours
from handbook.content.guideline import Guideline
from handbook.content.library import Library
from handbook.content.render import format_date
from handbook.identity.auth import User
from handbook.problems import display_path
from handbook.publishing import notifications
from portal.navigation import GUIDELINE_PAGE_FILE, LOGIN_PAGE_FILE, SEARCH_PAGE_FILE, login_link_params, page_ref
from portal.resources import library, paths, store


def guideline_link(guideline: Guideline, label: str | None = None) -> None:
    st.page_link(page_ref(GUIDELINE_PAGE_FILE), label=label or guideline.title, icon=":material/description:", query_params={"id": guideline.id}, width="stretch")


def guideline_caption(guideline: Guideline) -> str:
    return f"{guideline.type_label} · version {guideline.version} · gyldig fra {format_date(guideline.effective)}"


def login_hint(action: str) -> None:
    """Tell an anonymous reader that action needs a login, with a link to log in (which comes
    back to this page afterwards)."""
    st.info(f"Log ind for at {action}.")
    st.page_link(page_ref(LOGIN_PAGE_FILE), label="Log ind", icon=":material/login:", query_params=login_link_params())


def notification_bell(user: User) -> None:
    """A link to the notifications when there are unread ones (the menu item may be folded away)."""
    unread = notifications.unread_count(store(), user.name)
    if unread:
        st.page_link(page_ref("views/notifikationer.py"), label=f"{unread} ny{'e' if unread != 1 else ''} notifikation{'er' if unread != 1 else ''}", icon=":material/notifications_active:")


def first_account_hint() -> None:
    """How accounts are made: by an administrator in the portal; the very first on the server."""
    command = "python -m handbook user add NAVN --role admin"
    if not store().users():
        st.info(f"Der er endnu ingen brugere. Den første administrator oprettes på serveren med `{command}` (se README). Derefter opretter administratoren de andre brugere under Administration → Brugere.", icon=":material/person_add:")
    else:
        st.caption(f"Har du ingen bruger? En administrator opretter den under Administration → Brugere. Den første administrator oprettes på serveren med `{command}`.")


def search_box(key: str, value: str = "", placeholder: str = "Fx BFU frist, § 50 eller underretning") -> None:
    """A search field that opens the search page with the query in the URL (?q=)."""
    # The query is part of the widget key so the field shows a query that changed in the URL.
    with st.form(key=f"search-{key}", border=False):
        query = st.text_input("Søg i håndbogen", value=value, placeholder=placeholder, key=f"search-input-{key}-{value}")
        if st.form_submit_button("Søg", icon=":material/search:") and query.strip():
            show_search(query.strip())


def show_search(query: str) -> None:
    """Go to the search page for query; on the search page itself, change the URL and rerun."""
    if st.session_state.get("on_search_page"):
        st.query_params["q"] = query
        st.rerun()
    st.switch_page(SEARCH_PAGE_FILE, query_params={"q": query})


def show_left_out(lib: Library) -> None:
    """Tell editors which files were left out or have broken links, and why."""
    if not lib.problems:
        return
    left_out = len(lib.left_out)
    headline = (
        f"{left_out} fil{'er' if left_out != 1 else ''} er udeladt på grund af fejl i indholdet"
        if left_out
        else f"{len(lib.problems)} problem{'er' if len(lib.problems) != 1 else ''} i indholdet (døde henvisninger)"
    )
    with st.expander(f":material/warning: {headline} – til redaktører"):
        st.caption("Ret fejlene i filerne, eller kør `python -m handbook validate` for at se dem i terminalen.")
        for problem in sorted(lib.problems):
            st.markdown(f"- `{display_path(problem.path)}:{problem.line}` — {problem.message}")


def unfilled_numbers_warning(user: User | None) -> None:
    """For administrators: the after-hours numbers still to be filled in (config/portal.yaml)."""
    if user is None or not user.can("manage_users"):
        return
    settings, _ = load_after_hours(paths().config_dir)
    warnings = settings.unfilled_warnings()
    if warnings:
        st.warning("**Til administratorer: numrene til vagten uden for åbningstid mangler.** Medarbejderne ser »" + NOT_FILLED_IN + "«.\n\n"
                   + "\n".join(f"- {w}" for w in warnings), icon=":material/phone_disabled:")


def after_hours_box(received: datetime) -> bool:
    """For an akut underretning received outside the opening hours in config/portal.yaml: who
    acts now and how to reach them, with the guideline. Returns whether it was shown."""
    settings, _ = load_after_hours(paths().config_dir)
    if not settings.outside(received):
        return False
    with st.container(border=True, key="after-hours"):
        st.warning("**Uden for åbningstid.** Underretningen er modtaget uden for afdelingens åbningstid. Er barnet i akut fare, handler den sociale vagt nu – vent ikke til næste hverdag.", icon=":material/nights_stay:")
        for contact in settings.contacts:
            phone = f":orange[{NOT_FILLED_IN}]" if contact.placeholder else f"**{contact.phone}**"
            st.markdown(f"- **{contact.name}:** {phone}" + (f"  \n  {contact.note}" if contact.note else ""))
        guideline = library().get(settings.guideline)
        if guideline is not None:
            guideline_link(guideline)
    return True
