"""Håndbog: every guideline, grouped by tema or by case step, filtered by role and type."""

import streamlit as st

from handbook.content.guideline import GUIDELINE_TYPES
from portal import resources, widgets

lib = resources.library()
config = lib.config

st.title("Håndbog")
st.caption("Alle gældende retningslinjer, arbejdsgange, metoder, vejledninger og politikker.")

ALL_ROLES = "Alle roller"
filters = st.columns([1, 2, 1])
role_options = [ALL_ROLES, *config.audiences]
requested_role = st.query_params.get("rolle")
role = filters[0].selectbox(
    "Rolle",
    role_options,
    index=role_options.index(requested_role) if requested_role in role_options else 0,
    format_func=lambda key: key if key == ALL_ROLES else config.audience_label(key),
)
types = filters[1].multiselect("Type", list(GUIDELINE_TYPES), format_func=GUIDELINE_TYPES.get, placeholder="Alle typer")
grouping = filters[2].radio("Gruppér efter", ["Tema", "Sagsskridt"], horizontal=True)
if role == ALL_ROLES:
    st.query_params.pop("rolle", None)
else:
    st.query_params["rolle"] = role

shown = lib.filtered(audience=None if role == ALL_ROLES else role, types=types)
if not shown:
    st.info("Ingen retningslinjer passer til filtrene. Prøv at fjerne et filter.")


def show(guidelines):
    for guideline in guidelines:
        with st.container(border=True):
            widgets.guideline_link(guideline)
            st.caption(f"{widgets.guideline_caption(guideline)} · {guideline.tema}")
            if guideline.summary:
                st.markdown(guideline.summary)


if grouping == "Tema":
    for tema, guidelines in lib.by_tema(shown).items():
        st.header(tema)
        show(guidelines)
else:
    for step, guidelines in lib.by_case_step(shown).items():
        st.header(f"{step}. {config.case_step_label(step)}")
        show(guidelines)
    others = [g for g in shown if g.sagsskridt is None]
    if others:
        st.header("På tværs af sagsforløbet")
        show(others)

widgets.show_left_out(lib)
