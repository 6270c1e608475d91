"""Streamlit glue shared by the pages in views/: cached content and store, links, style.

Only rendering and caching live here; every decision is made in the handbook package.
"""

from __future__ import annotations

import copy
import gc
import hashlib
import logging
import sqlite3
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from urllib.parse import quote, unquote, urlencode

import streamlit as st

from portal import access
from handbook.identity import auth, oidc as identity, proxy
from handbook.checklists.afterhours import load_after_hours
from handbook.identity.auth import User
from handbook.content.guideline import Guideline
from handbook.dates.deadlines import COPENHAGEN
from handbook.checklists.schema import ChecklistSet, load_checklists
from handbook.content.library import Library, content_fingerprint, load_config
from handbook.retention import PURGE_INTERVAL, purge
from handbook.trivsel.scale import Scale, load_scale_from
from handbook.validate import guideline_anchors
from handbook.privacy.cpr import PersonalDataError
from handbook.publishing import mail, notifications
from handbook.identity import users
from handbook.publishing.drafts import review_inbox
from handbook.problems import display_path
from handbook.content.render import format_date
from handbook.publishing.revisions import LoadedContent, load_current
from handbook.search.engine import SearchIndex, documents_for
from handbook.search.config import SearchConfig, load_search_config
from handbook.settings import Paths, paths_from_env
from handbook.store.database import Store

GUIDELINE_PAGE_FILE = "views/retningslinje.py"
SEARCH_PAGE_FILE = "views/soeg.py"
HANDBOOK_PAGE_FILE = "views/haandbog.py"
HISTORY_PAGE_FILE = "views/historik.py"
LOGIN_PAGE_FILE = "views/log_ind.py"
HOME_PAGE_FILE = "views/forside.py"
SESSION_COOKIE = "haandbogen_session"
NEWS_PAGE_FILE = "views/nyt.py"
EDITOR_PAGE_FILE = "views/rediger.py"
CHECKLISTS_PAGE_FILE = "views/tjeklister.py"
RUN_PAGE_FILE = "views/tjekliste.py"
TRIVSEL_PAGE_FILE = "views/trivsel.py"
METHODS_PAGE_FILE = "views/metoder.py"

log = logging.getLogger("handbook")


# -- pages ---------------------------------------------------------------------------------------

# The portal's st.Page objects, made once per process (st.Page resolves its file on the disk) and
# copied for each run: st.navigation marks the page it runs on the copy, so sessions running at
# the same time never share that mark. page_ref gives the object for a file, so st.page_link
# needs no path look-up either (with a file name it resolves the path on every call).
_PAGES: dict[tuple, object] = {}
_PAGE_BY_FILE: dict[str, object] = {}
_PAGES_MAX = 512


def page(file: str, title: str, icon: str, url_path: str | None = None, default: bool = False, visibility: str = "visible"):
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


def page_ref(file: str):
    """What to give st.page_link for a view file: its page object once the navigation has made
    one, else the file name."""
    return _PAGE_BY_FILE.get(file, file)


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
    the search index up to date. (Retention runs on its own schedule: retention_job.)"""
    log.info("Indholdet indlæses (filer %s, revisioner %s, dag %s)", fingerprint, revision_stamp, day)
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
        notifications.review_dates_due(store(), library, day)
    except sqlite3.Error as exc:
        log.warning("Kunne ikke give besked om revisionsdatoer: %s", exc)
    return loaded, checklists, scale


@st.cache_resource
def retention_job() -> threading.Thread:
    """Retention on a schedule, independent of page views: one background thread per server
    process deletes what is past its retention at start and then every hour."""
    thread = threading.Thread(target=_retention_loop, args=(store(), paths()), name="handbook-retention", daemon=True)
    thread.start()
    return thread


def _retention_loop(shared_store: Store, where: Paths) -> None:
    while shared_store.path.exists():
        try:
            config, _ = load_config(where)
            log.info(purge(shared_store, config).text())
        except Exception:
            log.exception("Sletning efter opbevaringsperioden mislykkedes; prøver igen om en time")
        time.sleep(PURGE_INTERVAL.total_seconds())


# How often a process looks for content files edited on disk (name, size and mtime of each file).
CONTENT_CHECK_SECONDS = 2.0
# How often it asks the database whether another process published a version (its own
# publications show on the next run).
REVISION_CHECK_SECONDS = 1.0


@dataclass
class _ContentWatch:
    """This process's last look at the content: when the files were checked, their digest, and
    the content loaded for a key. Page runs read it without locking; one thread at a time
    re-checks the files, the others keep using what is loaded meanwhile."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    checked_at: float = float("-inf")
    files: str | None = None
    loaded: tuple = (None, None)  # (key, content), replaced as one object
    # (when read, revisions written by this process then, the stamp), replaced as one object
    revisions: tuple = (float("-inf"), -1, None)


@st.cache_resource
def _content_watch() -> _ContentWatch:
    return _ContentWatch()


def _files_digest() -> str:
    return hashlib.sha1(repr(content_fingerprint(paths())).encode()).hexdigest()


def _current() -> tuple[LoadedContent, ChecklistSet, Scale | None]:
    """The content for this run. Files are stat'ed at most every CONTENT_CHECK_SECONDS (so an
    edit on disk shows within seconds); the revision stamp is read again after a publication in
    this process and at most REVISION_CHECK_SECONDS after the last read, so a version published
    through another process on the host shows within a second."""
    watch = _content_watch()
    shared = store()
    read_at, writes, stamp = watch.revisions
    if writes != shared.revision_writes or time.monotonic() - read_at >= REVISION_CHECK_SECONDS:
        writes = shared.revision_writes
        stamp = shared.revision_stamp()
        watch.revisions = (time.monotonic(), writes, stamp)
    if time.monotonic() - watch.checked_at >= CONTENT_CHECK_SECONDS and watch.lock.acquire(blocking=watch.files is None):
        try:
            watch.files = _files_digest()
            watch.checked_at = time.monotonic()
        finally:
            watch.lock.release()
    key = (watch.files, stamp, today())
    loaded_key, value = watch.loaded
    if key != loaded_key or value is None:
        value = _content_for(*key)
        watch.loaded = (key, value)
        _freeze_startup_objects()
    return value


_startup_frozen = False
# Python's collection thresholds for a portal process: the youngest generation is collected
# after 20,000 new objects instead of 700. A page run makes tens of thousands of short-lived
# objects (protobuf messages, element trees); with 700 the collector ran dozens of times per run
# and walked whatever the running scripts still held each time. Load bench, 50 users, one
# process: p95 650 -> 270-450 ms, runs per CPU second 48 -> 57; memory over 10 minutes: see
# docs/operations.md.
GC_THRESHOLDS = (20_000, 20, 20)


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
        gc.set_threshold(*GC_THRESHOLDS)


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
    except (auth.AuthError, PersonalDataError) as exc:  # PersonalDataError: the database refused the name
        st.error(str(exc))
        return None
    return session_user()


def session_user() -> User | None:
    """The user of this browser's local login, re-checked against the database on every run
    (one indexed look-up), so logout, expiry, deactivation and role changes reach every open
    tab at its next interaction. Nothing about the user is trusted from the session state."""
    token = st.session_state.get("session_token") or (st.context.cookies.get(SESSION_COOKIE) if st.context.cookies else None)
    if not token:
        return None
    try:
        user = auth.user_for_session(store(), token)
    except (sqlite3.Error, OSError):
        log.exception("Sessionen kunne ikke slås op")
        return None
    if user is None:
        st.session_state.pop("session_token", None)
    else:
        st.session_state["session_token"] = token
    return user


def client_address() -> str | None:
    """The client's network address as Streamlit sees it (None on localhost). Behind a reverse
    proxy this is the proxy's address unless the proxy identity settings say otherwise."""
    try:
        address = st.context.ip_address
    except Exception:  # no client context (e.g. outside a browser session)
        return None
    return address if isinstance(address, str) else None


def display_name(name: str) -> str:
    """A user's display name (their login name if the account is gone)."""
    user = auth.get_user(store(), name)
    return user.display_name if user else name



def after_hours_box(received: datetime) -> bool:
    """For an akut underretning received outside the opening hours in config/portal.yaml: who
    acts now and how to reach them, with the guideline. Returns whether it was shown."""
    settings, _ = load_after_hours(paths().config_dir)
    if not settings.outside(received):
        return False
    with st.container(border=True, key="after-hours"):
        st.warning("**Uden for åbningstid.** Underretningen er modtaget uden for afdelingens åbningstid. Er barnet i akut fare, handler den sociale vagt nu – vent ikke til næste hverdag.", icon=":material/nights_stay:")
        for contact in settings.contacts:
            phone = ":orange[ikke udfyldt – se config/portal.yaml]" if contact.placeholder else f"**{contact.phone}**"
            st.markdown(f"- **{contact.name}:** {phone}" + (f"  \n  {contact.note}" if contact.note else ""))
        guideline = library().get(settings.guideline)
        if guideline is not None:
            guideline_link(guideline)
    return True

def log_in_locally(name: str, password: str) -> User:
    """Check the password, remember the user in this session and (after the next render) in a
    session cookie, so a reload keeps the login."""
    user = auth.login(store(), name.strip(), password, client_address())
    token = auth.start_session(store(), user)
    st.session_state["session_token"] = token
    st.session_state["cookie_script"] = _cookie_script(token, int(auth.SESSION_LENGTH.total_seconds()))
    return user


def log_out() -> None:
    auth.end_session(store(), st.session_state.pop("session_token", ""))
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


STORAGE_ERROR = (
    "Håndbogen kan ikke læse eller gemme data lige nu (databasen eller disken svarer ikke, eller disken er fuld). "
    "Det, du var i gang med, er ikke gemt. Prøv igen om lidt; fortsætter fejlen, så kontakt IT-afdelingen."
)
UNEXPECTED_ERROR = "Der opstod en uventet fejl på siden. Fejlen er skrevet i portalens log; prøv igen, eller kontakt IT-afdelingen, hvis den gentager sig."


@contextmanager
def error_boundary() -> Iterator[None]:
    """Around a page: a database or disk error (full disk, locked or damaged database, a
    read-only folder) becomes a Danish message and a log entry, never a traceback; so does a
    CPR-like number refused by the database guard. Anything else is logged, explained in
    Danish and re-raised (Streamlit shows no details: client.showErrorDetails = "none")."""
    try:
        yield
    except (sqlite3.Error, OSError):
        log.exception("Database- eller diskfejl under en side")
        st.error(STORAGE_ERROR, icon=":material/error:")
    except PersonalDataError as exc:
        st.error(str(exc))
    except Exception:
        log.exception("Uventet fejl under en side")
        st.error(UNEXPECTED_ERROR, icon=":material/error:")
        raise


def require_page(permission: str) -> User:
    """The current user if they may use this page; otherwise a Danish message, and the page
    stops. (The functions behind the page check the permission again.)"""
    try:
        return auth.require(current_user(), permission)
    except auth.AuthError as exc:
        st.error(str(exc))
        st.stop()


@st.cache_resource
def start_mail_sender() -> mail.OutboxSender | None:
    """The one background thread of this process that e-mails notifications; only started
    when SMTP is configured (a changed SMTP setting takes effect after a restart)."""
    if notifications.env_settings() is None:
        return None
    return mail.OutboxSender(store(), notifications.env_settings).start()


def must_change_password(user: User) -> bool:
    return users.must_change_password(store(), user.name)


def review_inbox_title(user: User | None) -> str:
    return f"Til godkendelse ({len(review_inbox(store(), user))})"


def account_pages(user: User | None) -> list:
    """Notifications and the own password for a logged-in user (before Log ind/Log ud)."""
    if user is None:
        return []
    pages = [page("views/notifikationer.py", title=f"Notifikationer ({notifications.unread_count(store(), user.name)})", icon=":material/notifications:", url_path="notifikationer")]
    if (store().user(user.name) or {}).get("source") == "lokal":
        pages.append(page("views/adgangskode.py", title="Skift adgangskode", icon=":material/password:", url_path="adgangskode"))
    return pages


def first_account_hint() -> None:
    """How accounts are made: by an administrator in the portal; the very first on the server."""
    command = "python -m handbook user add NAVN --role admin"
    if not store().users():
        st.info(f"Der er endnu ingen brugere. Den første administrator oprettes på serveren med `{command}` (se README). Derefter opretter administratoren de andre brugere under Administration → Brugere.", icon=":material/person_add:")
    else:
        st.caption(f"Har du ingen bruger? En administrator opretter den under Administration → Brugere. Den første administrator oprettes på serveren med `{command}`.")


def notification_bell(user: User) -> None:
    """A link to the notifications when there are unread ones (the menu item may be folded away)."""
    unread = notifications.unread_count(store(), user.name)
    if unread:
        st.page_link(page_ref("views/notifikationer.py"), label=f"{unread} ny{'e' if unread != 1 else ''} notifikation{'er' if unread != 1 else ''}", icon=":material/notifications_active:")


def login_hint(action: str) -> None:
    """Tell an anonymous reader that action needs a login, with a link to log in (which comes
    back to this page afterwards)."""
    st.info(f"Log ind for at {action}.")
    st.page_link(page_ref(LOGIN_PAGE_FILE), label="Log ind", icon=":material/login:", query_params=access.login_link_params())


def guideline_link(guideline: Guideline, label: str | None = None) -> None:
    st.page_link(page_ref(GUIDELINE_PAGE_FILE), label=label or guideline.title, icon=":material/description:", query_params={"id": guideline.id}, width="stretch")


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


# -- single sign-on and the trusted proxy (OIDC logic in handbook/identity/oidc.py, proxy checks in
# handbook/identity/proxy.py) --------------------------------------------------------------------------

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


def login_target() -> str:
    """Where to go after logging in, as 'url-path?query': the page in ?til= on the login page
    (with the other query parameters), else the last page visited."""
    target = str(st.query_params.get(access.NEXT_PARAM) or "").strip("/")
    if target:
        params = {k: v for k, v in st.query_params.to_dict().items() if k != access.NEXT_PARAM}
        return target + (f"?{urlencode(params)}" if params else "")
    return str(st.session_state.get("here") or "")


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
