"""Søg: full-text search with highlighted snippets and filters. URL: ?q=...

Everything the user typed is shown as text (markdown_literal / html_text), never as Markdown."""

import streamlit as st

from handbook.content.guideline import GUIDELINE_TYPES
from handbook.content.render import guideline_url
from handbook.privacy.cpr import contains_cpr
from handbook.privacy.textsafe import html_text, markdown_literal
from handbook.search.query import limit_query
from portal import navigation, resources, widgets

lib = resources.library()
config = lib.config
# Only the first MAX_QUERY_CHARS characters are ever looked at, stored or shown.
query, notice = limit_query(st.query_params.get("q", ""))
st.session_state["on_search_page"] = True

st.title("Søg i håndbogen")
widgets.search_box("page", value=query)

filters = st.columns(3)
TYPE_LABELS = {**GUIDELINE_TYPES, "tjekliste": "Tjekliste"}
types = filters[0].multiselect("Type", list(TYPE_LABELS), format_func=TYPE_LABELS.get, placeholder="Alle typer")
temas = filters[1].multiselect("Tema", list(lib.by_tema()), placeholder="Alle temaer")
ALL = "Alle roller"
role = filters[2].selectbox("Rolle", [ALL, *config.audiences], format_func=lambda k: k if k == ALL else config.audience_label(k))

if not query:
    st.info("Skriv et ord, en forkortelse (BFU, UTM, SOS, ICS), et spørgsmål eller en paragraf (fx § 50 eller barnets lov § 20).")
    st.stop()
if contains_cpr(query):
    st.error("Søgningen ser ud til at indeholde et CPR-nummer. Søg ikke på personoplysninger; søgningen er hverken udført eller gemt.")
    st.stop()
if notice:
    st.info(notice, icon=":material/content_cut:")

results = resources.search_index().search(query, types=tuple(types), temas=tuple(temas), audience=None if role == ALL else role)
if results.suggestion and st.button(f"Mente du: {markdown_literal(results.suggestion)}?", icon=":material/spellcheck:", type="tertiary"):
    widgets.show_search(results.suggestion)
shown = markdown_literal(results.query)
if not results.hits:
    resources.store().record_search_miss(results.query)
    st.warning(f"Ingen retningslinjer matcher »{shown}«. Prøv et andet ord, en forkortelse eller færre filtre.")
    st.stop()

# the synonym review lists searches whose first hit nobody opened (views/retningslinje.py counts an opening)
answer = (results.query, results.hits[0].id)
if st.session_state.get("logged_search") != answer:  # once, not on every rerun of the page
    resources.store().record_search_answer(*answer)
    st.session_state["logged_search"] = answer
st.session_state["last_search"] = answer
st.caption(f"{results.count_text} for »{shown}«" + (" (inkl. stavevarianter)" if results.fuzzy else ""))
for line in results.law_lines:
    st.markdown(f"**{markdown_literal(line)}**")
if results.paragraph_note:
    st.markdown(f"**{markdown_literal(results.paragraph_note)}**")
for hit in results.hits:
    guideline = lib.get(hit.id) if hit.kind == "guideline" else None
    with st.container(border=True):
        if guideline is not None and hit.checklist:
            # one result per topic: the guideline, and beside it the checklist that implements it
            title, start = st.columns([4, 1], vertical_alignment="center")
            with title:
                widgets.guideline_link(guideline)
            start.page_link(navigation.page_ref(navigation.RUN_PAGE_FILE), label="Start tjeklisten", icon=":material/checklist:", query_params={"id": hit.checklist})
        elif guideline is not None:
            widgets.guideline_link(guideline)
        elif hit.kind == "checklist":
            st.page_link(navigation.page_ref(navigation.RUN_PAGE_FILE), label=hit.title, icon=":material/checklist:", query_params={"id": hit.id}, width="stretch")
        else:
            st.markdown(f"**{markdown_literal(hit.title)}**")
        label = "Tjekliste" if hit.kind == "checklist" else GUIDELINE_TYPES.get(hit.type, hit.type)
        st.caption(" · ".join(filter(None, [label, hit.tema, f"version {hit.version}"])))
        if guideline is not None and hit.anchor:
            st.html(f'<div class="hb-section">Afsnit: <a href="{html_text(guideline_url(hit.id, hit.anchor))}" target="_self">{html_text(hit.section)}</a></div>')
        st.html(f'<div class="hb-snippet">{hit.snippet_html}</div>')
