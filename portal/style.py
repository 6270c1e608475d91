"""The portal's look in the browser: the style of guideline pages (metadata, contents, diffs),
the accessibility style (focus, contrast, the menu, a page that fits a phone, printing),
lang="da" with Danish for Streamlit's own interface texts, and the scroll to a linked section."""

from __future__ import annotations

import streamlit as st

from portal.interface_script import REAPPLY_SCRIPT, browser_script

PAGE_STYLE = """
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
.hb-diff-facts { border-collapse: collapse; margin-bottom: .8rem; } .hb-diff-facts caption { text-align: left; font-weight: 700; } .hb-diff-facts th, .hb-diff-facts td { border: 1px solid #d0d7de; padding: .2rem .5rem; text-align: left; vertical-align: top; } .hb-diff-facts del { background: #f7c5c5; } .hb-diff-facts ins { background: #a9e2b5; text-decoration: none; }
.hb-due { font-size: .85rem; }
.hb-zone-name { font-weight: 700; font-size: 1.1rem; }
.hb-meeting-code { font-size: 1.6rem; font-weight: 700; letter-spacing: .15em; font-family: monospace; }
.hb-step { font-size: .8rem; color: #44546a; text-transform: uppercase; letter-spacing: .04em; }
</style>
"""

FOCUS_COLOUR = "#1f5f8b"

ACCESS_STYLE = """
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
.hb-diff-facts { border-collapse: collapse; margin-bottom: .8rem; } .hb-diff-facts caption { text-align: left; font-weight: 700; } .hb-diff-facts th, .hb-diff-facts td { border: 1px solid #d0d7de; padding: .2rem .5rem; text-align: left; vertical-align: top; } .hb-diff-facts del { background: #f7c5c5; } .hb-diff-facts ins { background: #a9e2b5; text-decoration: none; }
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
    """Both style sheets, as two <style> elements at the top of the page."""
    st.html(PAGE_STYLE)
    st.html(ACCESS_STYLE)


def danish_interface() -> None:
    """lang="da" on the document and Danish for Streamlit's own interface texts. The full
    script (11 kB) is sent on a session's first run; it stays installed in the tab (its
    observer translates what Streamlit draws later), so later runs send a short re-apply."""
    if st.session_state.get("danish-script-sent"):
        st.html(REAPPLY_SCRIPT, unsafe_allow_javascript=True)
    else:
        st.html(browser_script(), unsafe_allow_javascript=True)
        st.session_state["danish-script-sent"] = True


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
