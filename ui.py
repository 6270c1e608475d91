"""Streamlit glue shared by the pages in views/: cached content and store, links, style.

Only rendering and caching live here; every decision is made in the handbook package.
"""

from __future__ import annotations

import gc
import hashlib
import logging
import sqlite3
import os
import threading
import time
from datetime import date, datetime

import streamlit as st

from handbook import auth
from handbook.auth import User
from handbook.content import Guideline
from handbook.deadlines import COPENHAGEN
from handbook.checklists import ChecklistSet, load_checklists
from handbook.library import Library, content_fingerprint
from handbook.runs import purge_expired
from handbook.trivsel import Scale, load_scale_from, purge_assessments
from handbook.validate import guideline_anchors
from handbook.worksheets import purge_worksheets
from handbook.problems import display_path
from handbook.render import format_date
from handbook.revisions import LoadedContent, load_current
from handbook.search import SearchIndex, documents_for
from handbook.search_config import SearchConfig, load_search_config
from handbook.settings import Paths, paths_from_env
from handbook.store import Store

GUIDELINE_PAGE_FILE = "views/retningslinje.py"
SEARCH_PAGE_FILE = "views/soeg.py"
HANDBOOK_PAGE_FILE = "views/haandbog.py"
HISTORY_PAGE_FILE = "views/historik.py"
LOGIN_PAGE_FILE = "views/log_ind.py"
SESSION_COOKIE = "haandbogen_session"
NEWS_PAGE_FILE = "views/nyt.py"
EDITOR_PAGE_FILE = "views/rediger.py"
CHECKLISTS_PAGE_FILE = "views/tjeklister.py"
RUN_PAGE_FILE = "views/tjekliste.py"
TRIVSEL_PAGE_FILE = "views/trivsel.py"
METHODS_PAGE_FILE = "views/metoder.py"

log = logging.getLogger("handbook")


@st.cache_resource
def paths() -> Paths:
    return paths_from_env()


@st.cache_resource
def store() -> Store:
    return Store(paths().database_path)


@st.cache_resource
def search_index() -> SearchIndex:
    """The one search index of this process; its searcher is shared by every session."""
    return SearchIndex(paths().index_dir, SearchConfig())


@st.cache_resource(max_entries=2)
def _content_for(fingerprint: tuple, revision_stamp: tuple, day: date) -> tuple[LoadedContent, ChecklistSet, Scale | None]:
    """Load content as in force on day (files become revisions first) and the checklists, bring
    the search index up to date, and delete checklist runs past their retention."""
    loaded = load_current(store(), paths(), day)
    library = loaded.library
    checklists = load_checklists(paths().checklists_dir, library.config, guideline_anchors(library))
    scale, scale_problems = load_scale_from(paths().config_dir)
    config, problems = load_search_config(paths().config_dir)
    library.problems.extend(problems + scale_problems)
    index = search_index()
    index.config = config
    try:
        index.sync(documents_for(library.all(), config, checklists.all()))
    except Exception:
        log.exception("Søgeindekset kunne ikke opdateres")
    try:
        purge_expired(store(), library.config.retention_days)
        purge_assessments(store(), library.config.retention_days)
        purge_worksheets(store(), library.config.retention_days)
    except sqlite3.Error as exc:
        log.warning("Kunne ikke slette udløbne forløb og vurderinger: %s", exc)
    return loaded, checklists, scale


def _current() -> tuple[LoadedContent, ChecklistSet, Scale | None]:
    """The content for this run. Files are stat'ed at most every CONTENT_CHECK_SECONDS (so an
    edit on disk shows within seconds); the revision stamp is read on every call, so a version
    published through any process on the host shows on the next page run."""
    watch = _content_watch()
    if time.monotonic() - watch.checked_at >= CONTENT_CHECK_SECONDS and watch.lock.acquire(blocking=watch.files is None):
        try:
            watch.files = _files_digest()
            watch.checked_at = time.monotonic()
        finally:
            watch.lock.release()
    key = (watch.files, store().revision_stamp(), today())
    loaded_key, value = watch.loaded
    if key != loaded_key or value is None:
        value = _content_for(*key)
        watch.loaded = (key, value)
        _freeze_startup_objects()
    return value


_startup_frozen = False


def _freeze_startup_objects() -> None:
    """Once per process, after the first content load: move everything loaded so far (modules,
    content) out of reach of the cyclic garbage collector. Streamlit's collection after every run
    is off (.streamlit/config.toml); Python's own full collections then only walk what page
    runs create, instead of the ~140,000 objects of Streamlit, pandas, Altair and the content
    (a full collection over those took most of a page run's time). Measured: docs/operations.md."""
    global _startup_frozen
    if not _startup_frozen:
        _startup_frozen = True
        gc.freeze()


# How often a process looks for content files edited on disk (name, size and mtime of each file).
CONTENT_CHECK_SECONDS = 2.0


class _ContentWatch:
    """This process's last look at the content: when the files were checked, their digest, and
    the content loaded for a key. Page runs read it without locking; one thread at a time
    re-checks the files, the others keep using what is loaded meanwhile."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.checked_at = float("-inf")
        self.files: str | None = None
        self.loaded: tuple = (None, None)  # (key, content), replaced as one object


@st.cache_resource
def _content_watch() -> _ContentWatch:
    return _ContentWatch()


def _files_digest() -> str:
    return hashlib.sha1(repr(content_fingerprint(paths())).encode()).hexdigest()


def content() -> LoadedContent:
    """The content in force today with every guideline's revisions; reloaded when a file under
    guidelines/, checklists/ or config/ changes, a version is published, or a scheduled version
    comes into force at midnight."""
    return _current()[0]


def checklists() -> ChecklistSet:
    """The bundled checklists that passed validation (with the problems of the others)."""
    return _current()[1]


def scale() -> Scale | None:
    """The Trivselslinealen scale from config/, or None when the file is broken (see problems)."""
    return _current()[2]


def library() -> Library:
    """The guidelines in force today."""
    return content().library


def today() -> date:
    """Today in Denmark (the server may run in UTC)."""
    return now().date()


def now() -> datetime:
    """The current moment in Danish time."""
    return datetime.now(COPENHAGEN)


# -- identity ------------------------------------------------------------------------------------


def trusted_header() -> str:
    """The reverse-proxy header that carries the user name, if an administrator turned it on."""
    return os.environ.get("HANDBOOK_TRUSTED_HEADER", "").strip()


def oidc_configured() -> bool:
    """Whether Streamlit's OIDC login is set up ([auth] in .streamlit/secrets.toml)."""
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file at all
        return False


def oidc_logged_in() -> bool:
    return bool(getattr(st.user, "is_logged_in", False))


def current_user() -> User | None:
    """Who is using this session: a trusted proxy header, an OIDC login or a local login."""
    try:
        header = trusted_header()
        if header:
            name = st.context.headers.get(header)
            if name:
                return auth.external_user(store(), name, name, "proxy")
        if oidc_configured() and oidc_logged_in():
            email = str(st.user.get("email") or st.user.get("sub") or "")
            return auth.external_user(store(), email, str(st.user.get("name") or email), "oidc")
    except auth.AuthError as exc:
        st.error(str(exc))
        return None
    name = st.session_state.get("user_name")
    if name:
        return auth.get_user(store(), name)
    token = st.context.cookies.get(SESSION_COOKIE) if st.context.cookies else None
    user = auth.user_for_session(store(), token) if token else None
    if user is not None:
        st.session_state["user_name"] = user.name
        st.session_state["session_token"] = token
    return user


def display_name(name: str) -> str:
    """A user's display name (their login name if the account is gone)."""
    user = auth.get_user(store(), name)
    return user.display_name if user else name


def log_in_locally(name: str, password: str) -> User:
    """Check the password, remember the user in this session and (after the next render) in a
    session cookie, so a reload keeps the login."""
    user = auth.login(store(), name.strip(), password)
    token = auth.start_session(store(), user)
    st.session_state["user_name"] = user.name
    st.session_state["session_token"] = token
    st.session_state["cookie_script"] = _cookie_script(token, int(auth.SESSION_LENGTH.total_seconds()))
    return user


def log_out() -> None:
    auth.end_session(store(), st.session_state.pop("session_token", ""))
    st.session_state.pop("user_name", None)
    st.session_state["cookie_script"] = _cookie_script("", 0)
    if oidc_configured() and oidc_logged_in():
        st.logout()


def _cookie_script(token: str, max_age: int) -> str:
    return (
        "<script>document.cookie = "
        f"'{SESSION_COOKIE}={token}; path=/; max-age={max_age}; SameSite=Strict' + "
        "(location.protocol === 'https:' ? '; Secure' : '');</script>"
    )


def write_pending_cookie() -> None:
    """Set or clear the session cookie in the browser (Streamlit cannot set cookies itself)."""
    script = st.session_state.pop("cookie_script", None)
    if script:
        st.html(script, unsafe_allow_javascript=True)


def require_page(permission: str) -> User:
    """The current user if they may use this page; otherwise a Danish message, and the page
    stops. (The functions behind the page check the permission again.)"""
    try:
        return auth.require(current_user(), permission)
    except auth.AuthError as exc:
        st.error(str(exc))
        st.stop()


def login_hint(action: str) -> None:
    """Tell an anonymous reader that action needs a login, with a link to log in."""
    st.info(f"Log ind for at {action}.")
    st.page_link(LOGIN_PAGE_FILE, label="Log ind", icon=":material/login:")


def guideline_link(guideline: Guideline, label: str | None = None) -> None:
    st.page_link(GUIDELINE_PAGE_FILE, label=label or guideline.title, icon=":material/description:", query_params={"id": guideline.id}, width="stretch")


def guideline_caption(guideline: Guideline) -> str:
    return f"{guideline.type_label} · version {guideline.version} · gyldig fra {format_date(guideline.effective)}"


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


STYLE = """
<style>
.hb-meta { margin: 0; padding: 0; font-size: .92rem; }
.hb-meta dt { font-size: .75rem; font-weight: 600; color: #44546a; text-transform: uppercase; letter-spacing: .04em; }
.hb-meta dd { margin: 0 0 .55rem 0; white-space: pre-line; overflow-wrap: anywhere; }
.hb-toc { list-style: none; padding-left: 0; margin: 0; font-size: .92rem; }
.hb-toc li { margin: .15rem 0; }
.hb-toc .hb-toc-3 { padding-left: 1rem; }
.hb-body { line-height: 1.6; max-width: 52rem; }
.hb-body h2 { border-bottom: 1px solid #dde3ea; padding-bottom: .2rem; margin-top: 1.6rem; }
.hb-body table { border-collapse: collapse; margin: .8rem 0; }
.hb-body th, .hb-body td { border: 1px solid #cfd8e3; padding: .35rem .6rem; text-align: left; vertical-align: top; }
.hb-body th { background: #eef3f8; }
.hb-body .doed-link { color: #8a1c1c; text-decoration: line-through; }
[data-testid="stPageLink-NavLink"] span, [data-testid="stPageLink-NavLink"] p { white-space: normal; overflow: visible; text-overflow: clip; }
.hb-snippet { color: #333; font-size: .95rem; }
.hb-snippet mark { background: #ffe58a; padding: 0 .1rem; border-radius: 2px; }
.hb-diff { font-family: ui-monospace, monospace; font-size: .85rem; border: 1px solid #dde3ea; border-radius: 4px; padding: .3rem 0; white-space: pre-wrap; overflow-wrap: anywhere; }
.hb-diff div { padding: 0 .6rem; }
.hb-diff-same { color: #555; }
.hb-diff-del { background: #fde8e8; color: #7a1010; }
.hb-diff-del::before { content: "− "; }
.hb-diff-ins { background: #e3f5e6; color: #0d4a1c; }
.hb-diff-ins::before { content: "+ "; }
.hb-diff del { background: #f6b8b8; text-decoration: line-through; }
.hb-diff ins { background: #a9e2b5; text-decoration: none; }
.hb-diff-gap { color: #888; text-align: center; }
.hb-due { font-size: .85rem; }
.hb-zone-name { font-weight: 700; font-size: 1.1rem; }
.hb-step { font-size: .8rem; color: #44546a; text-transform: uppercase; letter-spacing: .04em; }
</style>
"""


def inject_style() -> None:
    st.html(STYLE)
