"""Streamlit glue shared by the pages in views/: cached content and store, links, style.

Only rendering and caching live here; every decision is made in the handbook package.
"""

from __future__ import annotations

import logging
import sqlite3
from datetime import date

import streamlit as st

from handbook.content import Guideline
from handbook.library import Library, content_fingerprint, load_library
from handbook.problems import display_path
from handbook.render import format_date
from handbook.search import SearchIndex, documents_for
from handbook.search_config import SearchConfig, load_search_config
from handbook.settings import Paths, paths_from_env
from handbook.store import Store

GUIDELINE_PAGE_FILE = "views/retningslinje.py"
SEARCH_PAGE_FILE = "views/soeg.py"
HANDBOOK_PAGE_FILE = "views/haandbog.py"

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
def _library_for(fingerprint: tuple) -> Library:
    """Load content, keep new revisions and bring the search index up to date."""
    library = load_library(paths())
    try:
        store().record_revisions(list(library.guidelines.values()))
    except sqlite3.Error as exc:
        log.warning("Kunne ikke gemme revisioner: %s", exc)
    config, problems = load_search_config(paths().config_dir)
    library.problems.extend(problems)
    index = search_index()
    index.config = config
    try:
        index.sync(documents_for(library.all(), config))
    except Exception:
        log.exception("Søgeindekset kunne ikke opdateres")
    return library


def library() -> Library:
    """The content set, reloaded automatically when a file under guidelines/ or config/ changes."""
    return _library_for(content_fingerprint(paths()))


def today() -> date:
    return date.today()


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
.hb-step { font-size: .8rem; color: #44546a; text-transform: uppercase; letter-spacing: .04em; }
</style>
"""


def inject_style() -> None:
    st.html(STYLE)
