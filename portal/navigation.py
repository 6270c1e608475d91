"""Streamlit glue for an accessible, Danish portal: the sidebar menu, pages a user may not see
yet (log in, then on to the page asked for), lang="da" and Danish interface texts, and the style
that gives focus, contrast and a page that fits a phone.

Streamlit's own sidebar navigation nests list items in a <div> inside its <ul> (axe: `list`,
`listitem` on every page), collapses after ten items behind an English "View more", and routes
an unknown or not-yet-visible page to the front page with an English "Page not found". The
portal therefore hides it (`position="hidden"`) and draws the menu itself with st.page_link.
"""

from __future__ import annotations

from html import escape

import streamlit as st
from streamlit.navigation.page import StreamlitPage
from streamlit.runtime.scriptrunner import get_script_run_ctx

from handbook.identity.auth import User
from portal.interface_text import REAPPLY_SCRIPT, browser_script

LOGIN_URL_PATH = "log-ind"
NEXT_PARAM = "til"
_AFTER_LOGIN = "after-login"
_CURRENT_PAGE = "current-url-path"
_LOCKED_PAGE = "locked-url-path"


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
    from portal import ui  # ui uses this module for its login links

    path = st.session_state.get(_CURRENT_PAGE, "")
    shown = "/" + path.replace("`", "")  # in a code span: an address is never rendered as a link
    params = {k: v for k, v in st.query_params.to_dict().items() if k != NEXT_PARAM}
    user = ui.current_user()
    if user is None:
        st.title("Log ind for at se siden")
        st.markdown(f"Siden `{shown}` er kun for medarbejdere, der er logget ind. Log ind, så kommer du direkte videre til siden.")
        st.page_link(ui.page_ref(ui.LOGIN_PAGE_FILE), label="Log ind", icon=":material/login:", query_params={NEXT_PARAM: path, **params})
    else:
        st.title("Du har ikke adgang til siden")
        st.markdown(f"Siden `{shown}` findes ikke, eller din rolle (**{escape(user.role_label)}**) giver ikke adgang til den. Spørg en administrator, hvis du skal bruge den.")
        st.page_link(ui.page_ref(ui.HOME_PAGE_FILE), label="Til forsiden", icon=":material/home:")


def continue_after_login(default_page: str) -> None:
    """After a successful login: on to the page in ?til= (with its query parameters), or to
    default_page."""
    target = str(st.query_params.get(NEXT_PARAM, "")).strip("/")
    if target and target != LOGIN_URL_PATH and _valid_url_path(target):
        params = {k: v for k, v in st.query_params.to_dict().items() if k != NEXT_PARAM}
        st.session_state[_AFTER_LOGIN] = (target, params)
        st.rerun()
    st.switch_page(default_page)


def login_link_params() -> dict[str, str]:
    """Query parameters for a link to the login page that brings the user back to this page."""
    path = st.session_state.get(_CURRENT_PAGE, "")
    return {NEXT_PARAM: path, **st.query_params.to_dict()} if path and path != LOGIN_URL_PATH else {}


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


def danish_interface() -> None:
    """lang="da" on the document and Danish for Streamlit's own interface texts. The full
    script (11 kB) is sent on a session's first run; it stays installed in the tab (its
    observer translates what Streamlit draws later), so later runs send a short re-apply."""
    if st.session_state.get("danish-script-sent"):
        st.html(REAPPLY_SCRIPT, unsafe_allow_javascript=True)
    else:
        st.html(browser_script(), unsafe_allow_javascript=True)
        st.session_state["danish-script-sent"] = True


FOCUS_COLOUR = "#1f5f8b"

STYLE = """
<style>
/* Focus: a 3 px outline (contrast 6.9:1 on white, 6.3:1 on the sidebar) on everything that can
   take focus, instead of Streamlit's faint background. */
:focus-visible, a:focus-visible, button:focus-visible, [role="tab"]:focus-visible, summary:focus-visible,
[tabindex]:focus-visible, input:focus-visible, textarea:focus-visible {
  outline: 3px solid __FOCUS__ !important; outline-offset: 2px !important;
}
/* Checkboxes, radios and toggles hide their input: the label carries the mark. */
label:has(> input[type="checkbox"]:focus-visible), label:has(> input[type="radio"]:focus-visible),
label:has(input[type="checkbox"]:focus-visible), label:has(input[type="radio"]:focus-visible) {
  outline: 3px solid __FOCUS__ !important; outline-offset: 2px; border-radius: 4px;
}
[data-baseweb="input"]:focus-within, [data-baseweb="textarea"]:focus-within, [data-baseweb="select"] > div:focus-within,
[data-baseweb="base-input"]:focus-within {
  outline: 3px solid __FOCUS__ !important; outline-offset: 1px;
}
/* Text contrast of at least 4.5:1: captions, help texts, widget labels, placeholders. */
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p, .stCaption,
[data-testid="stWidgetLabel"] p, [data-testid="stTooltipHoverTarget"] svg { color: #4a4f57 !important; opacity: 1 !important; }
input::placeholder, textarea::placeholder { color: #5f6368 !important; opacity: 1 !important; }
[data-testid="stMarkdownContainer"] a, .hb-body a { color: #1a5580; text-decoration: underline; }
/* Links in running text are underlined, search hits are bold as well as highlighted, and the
   diff's gap marker is dark enough: colour is never the only cue, and contrast stays 4.5:1. */
.hb-snippet mark { font-weight: 700; color: #1f2328; }
.hb-diff-gap { color: #595959; }
/* The menu: section names, and the current page marked in bold with a bar. */
.hb-nav-section { margin: .9rem 0 .1rem .5rem; font-size: .8rem; font-weight: 700; letter-spacing: .04em; text-transform: uppercase; color: #3d4450; }
[data-testid="stSidebar"] [data-testid="stPageLink-NavLink"][aria-current="page"],
[data-testid="stSidebar"] [data-testid="stPageLink-NavLink"].hb-current { font-weight: 700; box-shadow: inset 4px 0 0 __FOCUS__; }
/* A phone: nothing wider than the screen; tables and code scroll inside themselves. */
@media (max-width: 640px) {
  [data-testid="stMain"] .block-container, [data-testid="stMainBlockContainer"] { padding-left: .9rem !important; padding-right: .9rem !important; }
  .hb-body table, [data-testid="stCode"] pre { display: block; max-width: 100%; overflow-x: auto; }
  [data-testid="stMain"] img, [data-testid="stMain"] svg { max-width: 100%; height: auto; }
  [data-testid="stMain"] [data-testid="stButtonGroup"] [role="radiogroup"] { flex-wrap: nowrap; }
  [data-testid="stMain"] [data-testid="stButtonGroup"] [role="radiogroup"] { width: 100%; }
  [data-testid="stMain"] [data-testid="stButtonGroup"] button { min-width: 0; flex: 1 1 0; min-height: 2.75rem; padding-left: .2rem; padding-right: .2rem; }
}
/* Printing a page (Ctrl+P): the content only. Guidelines also have a printable HTML version. */
@media print {
  [data-testid="stSidebar"], [data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"],
  [data-testid="stSidebarCollapsedControl"], [data-testid="stDownloadButton"], [data-testid="stForm"] { display: none !important; }
  [data-testid="stMain"] { margin-left: 0 !important; }
}
</style>
""".replace("__FOCUS__", FOCUS_COLOUR)


def inject_style() -> None:
    st.html(STYLE)


# A link to a section (retningslinje?id=…#afsnit, e.g. from a search hit) opens a new page whose
# body Streamlit draws after the browser has looked for the anchor, so the browser cannot scroll
# there itself. This script waits for the heading, scrolls to it and moves focus to it, once per
# address (not again when the page reruns after a click).
_SCROLL_TO_ANCHOR = """<script>
(() => {
  const hash = decodeURIComponent(window.location.hash.slice(1));
  if (!hash || window.__hbScrolledTo === window.location.href) return;
  let tries = 0;
  const timer = setInterval(() => {
    const target = document.getElementById(hash);
    if (target) {
      clearInterval(timer);
      window.__hbScrolledTo = window.location.href;
      if (!target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
      target.scrollIntoView({block: "start"});
      target.focus({preventScroll: true});
    } else if (++tries > 50) {
      clearInterval(timer);
    }
  }, 100);
})();
</script>"""


def scroll_to_anchor() -> None:
    """Scroll to the section named in the address (#anchor) once the page has drawn it."""
    st.html(_SCROLL_TO_ANCHOR, unsafe_allow_javascript=True)
