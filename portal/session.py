"""Who is using this session: a trusted reverse-proxy header, an OpenID Connect login or a local
login with a session cookie; logging in and out, and the cookies that carry a login and the page
asked for across a single sign-on round trip.

The checks themselves are in handbook/identity/ (auth.py, proxy.py, oidc.py); this module asks
them with what Streamlit knows about the request.
"""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path
from urllib.parse import quote, unquote

import streamlit as st

from handbook.identity import auth, cookie_grant, proxy, users
from handbook.identity import oidc as identity
from handbook.identity.auth import User
from handbook.privacy.cpr import PersonalDataError
from handbook.publishing.revisions import Revision
from portal import server
from portal.resources import paths, store

log = logging.getLogger("handbook")


SESSION_COOKIE = cookie_grant.COOKIE_NAME
COOKIE_ENDPOINT = server.COOKIE_PATH


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


def author_name(revision: Revision) -> str:
    """Who published a revision, by display name ("fil i git" for a file)."""
    return display_name(revision.author) if revision.author else revision.author_label


def must_change_password(user: User) -> bool:
    return users.must_change_password(store(), user.name)


def current_token() -> str:
    """The local session token of this browser session ('' without a local login)."""
    return str(st.session_state.get("session_token") or "")


def log_in_locally(name: str, password: str) -> User:
    """Check the password, remember the user in this session and (after the next render) in a
    session cookie set by the server, so a reload keeps the login."""
    user = auth.login(store(), name.strip(), password, client_address())
    token = auth.start_session(store(), user)
    st.session_state["session_token"] = token
    st.session_state["cookie_grant"] = cookie_grant.issue(store(), token)
    return user


def log_out() -> None:
    auth.end_session(store(), st.session_state.pop("session_token", ""))
    st.session_state["cookie_grant"] = cookie_grant.issue(store(), "")
    identity.end_login(store(), st.session_state.pop("oidc_marker", ""))
    if oidc_configured() and oidc_logged_in():
        st.logout()


def write_pending_cookie() -> None:
    """Have the server set or clear the session cookie: the page posts the one-time grant to
    portal/server.py's endpoint, which answers with an HttpOnly cookie (page scripts never see
    the token; Streamlit cannot set a cookie over its websocket)."""
    grant = st.session_state.pop("cookie_grant", None)
    if grant:
        st.html(f"<script>fetch('{COOKIE_ENDPOINT}', {{method: 'POST', body: '{grant}', credentials: 'same-origin', headers: {{'Content-Type': 'text/plain'}}}});</script>", unsafe_allow_javascript=True)
    write_pending_next_cookie()


NEXT_COOKIE = "haandbogen_next"


def remember_target_for_sso(target: str) -> None:
    """The OIDC round trip ends in a new session on the front page, so the page asked for is
    kept for ten minutes in a cookie that the first run after the login reads."""
    value = quote(target, safe="")
    st.html(f"<script>document.cookie = '{NEXT_COOKIE}={value}; path=/; max-age=600; SameSite=Lax';</script>", unsafe_allow_javascript=True)


def take_sso_target() -> str | None:
    """The page kept by remember_target_for_sso, if its cookie came with this request; the
    cookie is cleared with the next write_pending_cookie."""
    cookies = st.context.cookies
    cookie = cookies.get(NEXT_COOKIE) if cookies else None
    if not cookie:
        return None
    st.session_state["next_cookie_script"] = f"<script>document.cookie = '{NEXT_COOKIE}=; path=/; max-age=0; SameSite=Lax';</script>"
    return unquote(cookie)


def write_pending_next_cookie() -> None:
    script = st.session_state.pop("next_cookie_script", None)
    if script:
        st.html(script, unsafe_allow_javascript=True)


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
def _claim_roles(path: Path, stamp: int) -> identity.ClaimRoles | None:
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
