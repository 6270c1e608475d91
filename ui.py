"""Streamlit glue shared by the pages in views/: cached content and store, links, style.

Only rendering and caching live here; every decision is made in the handbook package.
"""

from __future__ import annotations

import logging
import sqlite3
import os
from datetime import date, datetime
from urllib.parse import quote, unquote, urlencode

import streamlit as st

from handbook import auth, identity, proxy
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
    return _content_for(content_fingerprint(paths()), store().revision_stamp(), today())


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
        external = proxy_user() or oidc_user()
        if external is not None:
            return external
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
    identity.end_login(store(), st.session_state.pop("oidc_marker", ""))
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
    write_pending_next_cookie()


def require_page(permission: str) -> User:
    """The current user if they may use this page; otherwise a Danish message, and the page
    stops. (The functions behind the page check the permission again.)"""
    try:
        return auth.require(current_user(), permission)
    except auth.AuthError as exc:
        st.error(str(exc))
        st.stop()


def login_hint(action: str) -> None:
    """Tell an anonymous reader that action needs a login, with a link to log in (which comes
    back to this page afterwards)."""
    st.info(f"Log ind for at {action}.")
    st.page_link(LOGIN_PAGE_FILE, label="Log ind", icon=":material/login:", query_params={"next": st.session_state.get("here", "")})


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


# -- single sign-on and the trusted proxy (OIDC logic in handbook/identity.py, proxy checks in
# handbook/proxy.py) --------------------------------------------------------------------------

NEXT_COOKIE = "haandbogen_next"


@st.cache_resource
def proxy_settings() -> proxy.ProxySettings:
    """HANDBOOK_TRUSTED_HEADER and HANDBOOK_TRUSTED_PROXIES, read (and complained about) once."""
    settings = proxy.proxy_settings(listen=str(st.get_option("server.address") or ""))
    if settings.enabled and not settings.proxies:
        log.error("HANDBOOK_TRUSTED_HEADER=%s is set, but HANDBOOK_TRUSTED_PROXIES is empty: the header is never believed", settings.header)
    if settings.invalid:
        log.error("HANDBOOK_TRUSTED_PROXIES: not an IP address or network, ignored: %s", ", ".join(settings.invalid))
    return settings


def proxy_user() -> User | None:
    """The person the reverse proxy names in its header, if the request certainly came through
    the proxy; otherwise the header is ignored (and logged once per session)."""
    settings = proxy_settings()
    st.session_state["via_proxy"] = False
    if not settings.enabled:
        return None
    headers = st.context.headers
    decision = proxy.proxy_identity(settings, st.context.ip_address, headers.get_all(settings.header), "X-Forwarded-For" in headers)
    if decision.ignored and st.session_state.get("proxy_ignored") != decision.ignored:
        st.session_state["proxy_ignored"] = decision.ignored
        log.warning("Proxy identity: %s", decision.ignored)
    if decision.message:
        st.session_state["identity_problem"] = decision.message
    if decision.name is None:
        return None
    st.session_state["via_proxy"] = True
    return auth.external_user(store(), decision.name, decision.name, "proxy")


def claim_roles() -> identity.ClaimRoles | None:
    """roles_from_claims from config/portal.yaml (None when not set or broken; then logged)."""
    path = paths().config_dir / "portal.yaml"
    return _claim_roles(path, path.stat().st_mtime_ns if path.exists() else 0)


@st.cache_resource(max_entries=2)
def _claim_roles(path, stamp: int) -> identity.ClaimRoles | None:
    roles, problems = identity.load_claim_roles(path)
    for problem in problems:
        log.error("%s:%s: %s (roles from claims are not applied)", problem.path, problem.line, problem.message)
    return roles


def oidc_user() -> User | None:
    """The person logged in through OpenID Connect, unless that login was ended by logout."""
    if not (oidc_configured() and oidc_logged_in()):
        return None
    login = identity.oidc_login(store(), st.user.to_dict(), claim_roles())
    if login is None:
        st.session_state.pop("oidc_marker", None)
        return None
    if login.new:
        log.info("OIDC login: %s (%s)", login.user.name, login.user.role)
        st.session_state["oidc_new_login"] = True
    st.session_state["oidc_marker"] = login.marker
    return login.user


def oidc_problem(fresh: bool = False) -> str:
    """A Danish message when the OIDC login cannot be used now ('' when it can); the reason is
    logged. Checked at most every 30 seconds, or now when fresh."""
    try:
        section = st.secrets["auth"].to_dict()
    except Exception:  # no secrets file, or no [auth]
        return ""
    if fresh:
        _provider_problem.clear()
    return _provider_problem(section)


@st.cache_data(ttl=30, show_spinner=False)
def _provider_problem(section: dict) -> str:
    check = identity.check_provider(section)
    if not check.ok:
        log.error("OIDC login unavailable: %s", check.detail)
    return check.message


def show_identity_problem() -> None:
    message = st.session_state.pop("identity_problem", "")
    if message:
        st.warning(message, icon=":material/no_accounts:")


def remember_location(url_path: str) -> None:
    """Where the user is now, so 'Log ind' can come back here."""
    if url_path != "log-ind":
        query = urlencode(st.query_params.to_dict())
        st.session_state["here"] = url_path + (f"?{query}" if query else "")


# Pages that need a login, by URL path. For an anonymous visitor each is routed to a page that
# asks them to log in (and comes back afterwards) instead of Streamlit's "Page not found".
LOGIN_REQUIRED_PAGES = ("rediger", "laest", "tjeklister-overblik", "trivsel-fordeling", "revision", "soegninger", "administration")


def login_required_pages() -> list:
    """Hidden stand-ins for LOGIN_REQUIRED_PAGES (only for anonymous visitors; they show
    nothing of the real page)."""
    return [st.Page(_login_required, title="Log ind", url_path=path, visibility="hidden") for path in LOGIN_REQUIRED_PAGES]


def _login_required() -> None:
    st.title("Log ind")
    st.info("Siden kræver, at du logger ind.", icon=":material/lock:")
    st.page_link(LOGIN_PAGE_FILE, label="Log ind", icon=":material/login:", query_params={"next": st.session_state.get("here", "")})


def login_target() -> str:
    """Where to go after logging in: ?next= on the login page, else the last page visited."""
    return str(st.query_params.get("next") or st.session_state.get("here") or "")


def remember_target_for_sso(target: str) -> None:
    """The OIDC round trip ends in a new session on the front page, so the page asked for is
    kept for ten minutes in a cookie that the first run after the login reads."""
    value = quote(target, safe="")
    st.html(f"<script>document.cookie = '{NEXT_COOKIE}={value}; path=/; max-age=600; SameSite=Lax';</script>", unsafe_allow_javascript=True)


def return_after_login(user: User | None, pages: dict[str, list]) -> None:
    """After a login, go to the page the user asked for (if their role may open it)."""
    if user is None:
        return
    target = st.session_state.pop("after_login_target", None)
    if target is None and st.session_state.pop("oidc_new_login", False):
        cookie = (st.context.cookies or {}).get(NEXT_COOKIE)
        if cookie:
            target = unquote(cookie)
            st.session_state["next_cookie_script"] = f"<script>document.cookie = '{NEXT_COOKIE}=; path=/; max-age=0; SameSite=Lax';</script>"
    parsed = identity.safe_next(target or "")
    if parsed is None:
        return
    url_path, query = parsed
    for page in (page for group in pages.values() for page in group):
        if page.url_path == url_path:
            st.switch_page(page, query_params=query)


def write_pending_next_cookie() -> None:
    script = st.session_state.pop("next_cookie_script", None)
    if script:
        st.html(script, unsafe_allow_javascript=True)
