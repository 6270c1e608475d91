"""The portal's pages and the way between them: the page registry, st.navigation over the role's
pages, the sidebar menu, pages a user may not see yet (log in, then on to the page asked for),
and the way back after a login.

Streamlit's own sidebar navigation nests list items in a <div> inside its <ul> (axe: `list`,
`listitem` on every page), collapses after ten items behind an English "View more", and routes
an unknown or not-yet-visible page to the front page with an English "Page not found". The
portal therefore hides it (`position="hidden"`) and draws the menu itself with st.page_link.
"""

from __future__ import annotations

import copy
from html import escape
from typing import Literal
from urllib.parse import urlencode

import streamlit as st
from streamlit.navigation.page import StreamlitPage
from streamlit.runtime.scriptrunner import get_script_run_ctx

from handbook.identity import oidc as identity
from handbook.identity.auth import User
from handbook.publishing import notifications
from handbook.publishing.drafts import review_inbox
from portal.resources import store
from portal.session import current_user, take_sso_target

GUIDELINE_PAGE_FILE = "views/retningslinje.py"
SEARCH_PAGE_FILE = "views/soeg.py"
HANDBOOK_PAGE_FILE = "views/haandbog.py"
HISTORY_PAGE_FILE = "views/historik.py"
LOGIN_PAGE_FILE = "views/log_ind.py"
HOME_PAGE_FILE = "views/forside.py"
NEWS_PAGE_FILE = "views/nyt.py"
EDITOR_PAGE_FILE = "views/rediger.py"
CHECKLISTS_PAGE_FILE = "views/tjeklister.py"
RUN_PAGE_FILE = "views/tjekliste.py"
TRIVSEL_PAGE_FILE = "views/trivsel.py"
METHODS_PAGE_FILE = "views/metoder.py"
TILSYN_PAGE_FILE = "views/tilsyn.py"
TILSYN_ROUND_PAGE_FILE = "views/tilsyn_runde.py"
TILSYN_FIGURES_PAGE_FILE = "views/tilsyn_tal.py"

LOGIN_URL_PATH = "log-ind"
NEXT_PARAM = "til"
_AFTER_LOGIN = "after-login"
_CURRENT_PAGE = "current-url-path"
_LOCKED_PAGE = "locked-url-path"


# -- the page registry ---------------------------------------------------------------------------

# The portal's st.Page objects, made once per process (st.Page resolves its file on the disk) and
# copied for each run: st.navigation marks the page it runs on the copy, so sessions running at
# the same time never share that mark. page_ref gives the object for a file, so st.page_link
# needs no path look-up either (with a file name it resolves the path on every call).
_PAGES: dict[tuple, StreamlitPage] = {}
_PAGE_BY_FILE: dict[str, StreamlitPage] = {}
_PAGES_MAX = 512


def page(file: str, title: str, icon: str, url_path: str | None = None, default: bool = False, visibility: Literal["visible", "hidden"] = "visible") -> StreamlitPage:
    """st.Page(file, ...) for this run, from the process's cache."""
    key = (file, title, icon, url_path, default, visibility)
    cached = _PAGES.get(key)
    if cached is None:
        cached = st.Page(file, title=title, icon=icon, url_path=url_path, default=default, visibility=visibility)
        if len(_PAGES) >= _PAGES_MAX:
            _PAGES.clear()
        _PAGES[key] = cached
        _PAGE_BY_FILE[file] = cached
    return copy.copy(cached)


def page_ref(file: str) -> StreamlitPage | str:
    """What to give st.page_link for a view file: its page object once the navigation has made
    one, else the file name."""
    return _PAGE_BY_FILE.get(file, file)


def account_pages(user: User | None) -> list[StreamlitPage]:
    """Notifications and the own password for a logged-in user (before Log ind/Log ud)."""
    if user is None:
        return []
    pages = [page("views/notifikationer.py", title=f"Notifikationer ({notifications.unread_count(store(), user.name)})", icon=":material/notifications:", url_path="notifikationer")]
    if (store().user(user.name) or {}).get("source") == "lokal":
        pages.append(page("views/adgangskode.py", title="Skift adgangskode", icon=":material/password:", url_path="adgangskode"))
    return pages


def tilsyn_pages(user: User | None) -> dict[str, list[StreamlitPage]]:
    """Ledelsestilsyn by role: "Mit tilsyn" for everyone logged in; the rounds, the figures and
    the staff-meeting themes for a leder or an admin."""
    if user is None:
        return {}
    pages = {"Mit arbejde": [page("views/mit_tilsyn.py", title="Mit tilsyn", icon=":material/assignment_turned_in:", url_path="mit-tilsyn")]}
    if user.can("tilsyn"):
        pages["Ledelsestilsyn"] = [
            page(TILSYN_PAGE_FILE, title="Tilsynsrunder", icon=":material/fact_check:", url_path="tilsyn"),
            page(TILSYN_FIGURES_PAGE_FILE, title="Tilsyn – tal", icon=":material/monitoring:", url_path="tilsyn-tal"),
            page("views/tilsyn_temaer.py", title="Temaer til personalemødet", icon=":material/groups:", url_path="tilsyn-temaer"),
            page(TILSYN_ROUND_PAGE_FILE, title="Tilsynsrunde", icon=":material/fact_check:", url_path="tilsyn-runde", visibility="hidden"),
        ]
        if not user.can("edit"):  # editors and admins have the overview under Redaktion
            pages["Ledelsestilsyn"].append(page("views/tjeklister_overblik.py", title="Nye medarbejdere", icon=":material/school:", url_path="tjeklister-overblik"))
    return pages


def review_inbox_title(user: User | None) -> str:
    return f"Til godkendelse ({len(review_inbox(store(), user))})"


# -- st.navigation, the menu and locked pages -----------------------------------------------------


def requested_page() -> str:
    """The page name the browser asked for in the URL ('' for the front page or a rerun)."""
    ctx = get_script_run_ctx()
    name = getattr(getattr(ctx, "pages_manager", None), "intended_page_name", None) if ctx else None
    return (name or "").strip("/")


def _url_paths(pages: dict[str, list[StreamlitPage]]) -> set[str]:
    return {page.url_path for section in pages.values() for page in section}


def navigation(pages: dict[str, list[StreamlitPage]], user: User | None) -> StreamlitPage:
    """st.navigation over the role's pages, with the menu drawn by `menu`. A page the user may
    not see (or that does not exist) answers in Danish under its own address, with its query
    parameters kept, instead of Streamlit's "Page not found"; after a login the user is taken on
    to the page they asked for."""
    pending = st.session_state.get(_AFTER_LOGIN) if user is not None else None
    # The address asked for; on later reruns (and after st.switch_page) Streamlit no longer
    # tells it, so the locked page is kept registered for the session.
    wanted = pending[0] if pending else (requested_page() or st.session_state.get(_LOCKED_PAGE, ""))
    if wanted and wanted not in _url_paths(pages) and _valid_url_path(wanted):
        st.session_state[_LOCKED_PAGE] = wanted
        locked = st.Page(_locked_page, title="Log ind for at se siden" if user is None else "Ingen adgang", url_path=wanted, visibility="hidden")
        pages = {**pages, "": [locked]}
    current = st.navigation(pages, position="hidden")
    st.session_state[_CURRENT_PAGE] = current.url_path
    if pending:
        del st.session_state[_AFTER_LOGIN]
        target = next((p for section in pages.values() for p in section if p.url_path == pending[0]), None)
        if target is not None:
            st.switch_page(target, query_params=pending[1])
    return current


def _valid_url_path(path: str) -> bool:
    return "/" not in path and len(path) <= 100 and path.isprintable()


def _locked_page() -> None:
    """A page the user may not see: log in, or (logged in) a Danish "no access"."""
    path = st.session_state.get(_CURRENT_PAGE, "")
    shown = "/" + path.replace("`", "")  # in a code span: an address is never rendered as a link
    params = {k: v for k, v in st.query_params.to_dict().items() if k != NEXT_PARAM}
    user = current_user()
    if user is None:
        st.title("Log ind for at se siden")
        st.markdown(f"Siden `{shown}` er kun for medarbejdere, der er logget ind. Log ind, så kommer du direkte videre til siden.")
        st.page_link(page_ref(LOGIN_PAGE_FILE), label="Log ind", icon=":material/login:", query_params={NEXT_PARAM: path, **params})
    else:
        st.title("Du har ikke adgang til siden")
        st.markdown(f"Siden `{shown}` findes ikke, eller din rolle (**{escape(user.role_label)}**) giver ikke adgang til den. Spørg en administrator, hvis du skal bruge den.")
        st.page_link(page_ref(HOME_PAGE_FILE), label="Til forsiden", icon=":material/home:")


def menu(pages: dict[str, list[StreamlitPage]]) -> None:
    """The role's pages in the sidebar, every one of them, grouped by section; the current
    page is marked by more than colour (bold, a bar and aria-current)."""
    for section, section_pages in pages.items():
        visible = [p for p in section_pages if p.visibility != "hidden"]
        if not visible:
            continue
        if section:
            st.html(f'<p class="hb-nav-section">{escape(section)}</p>')
        for page in visible:
            st.page_link(page, width="stretch")


# -- the way back after a login ------------------------------------------------------------------


def remember_location(url_path: str) -> None:
    """Where the user is now, so 'Log ind' can come back here."""
    if url_path != "log-ind":
        query = urlencode(st.query_params.to_dict())
        st.session_state["here"] = url_path + (f"?{query}" if query else "")


def login_link_params() -> dict[str, str]:
    """Query parameters for a link to the login page that brings the user back to this page."""
    path = st.session_state.get(_CURRENT_PAGE, "")
    return {NEXT_PARAM: path, **st.query_params.to_dict()} if path and path != LOGIN_URL_PATH else {}


def login_target() -> str:
    """Where to go after logging in, as 'url-path?query': the page in ?til= on the login page
    (with the other query parameters), else the last page visited."""
    target = str(st.query_params.get(NEXT_PARAM) or "").strip("/")
    if target:
        params = {k: v for k, v in st.query_params.to_dict().items() if k != NEXT_PARAM}
        return target + (f"?{urlencode(params)}" if params else "")
    return str(st.session_state.get("here") or "")


def continue_after_login(default_page: str) -> None:
    """After a successful login: on to the page in ?til= (with its query parameters), or to
    default_page."""
    target = str(st.query_params.get(NEXT_PARAM, "")).strip("/")
    if target and target != LOGIN_URL_PATH and _valid_url_path(target):
        params = {k: v for k, v in st.query_params.to_dict().items() if k != NEXT_PARAM}
        st.session_state[_AFTER_LOGIN] = (target, params)
        st.rerun()
    st.switch_page(default_page)


def return_after_login(user: User | None, pages: dict[str, list]) -> None:
    """After a login, go to the page the user asked for (if their role may open it)."""
    if user is None:
        return
    target = st.session_state.pop("after_login_target", None)
    if target is None and st.session_state.pop("oidc_new_login", False):
        target = take_sso_target()
    parsed = identity.safe_next(target or "")
    if parsed is None:
        return
    url_path, query = parsed
    for entry in (entry for group in pages.values() for entry in group):
        if entry.url_path == url_path:
            st.switch_page(entry, query_params=query)
