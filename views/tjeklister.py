"""Tjeklister: the bundled checklists and "Mine tjeklister" (open runs with the next deadline)."""

import streamlit as st

from handbook.checklists.view import checklists_overview
from handbook.privacy.textsafe import markdown_literal
from portal import navigation, resources, session, widgets

st.title("Tjeklister")
st.caption("Trinene i et sagsforløb med frister, der regnes ud for den konkrete sag. Kryds af undervejs, og kopiér forløbet til journalen.")
user = session.current_user()
overview = checklists_overview(resources.store(), resources.checklists(), resources.library(), user, resources.now())

st.header("Mine tjeklister")
st.page_link(navigation.page_ref("views/mine_frister.py"), label="Alle mine frister – og kalenderfil til Outlook", icon=":material/event:")
if overview.my_runs is None:
    widgets.login_hint("starte en tjekliste og se dine igangværende forløb")
elif not overview.my_runs:
    st.caption("Du har ingen igangværende forløb. Start et nedenfor.")
for run in overview.my_runs or ():
    with st.container(border=True):
        left, right = st.columns([3, 2])
        with left:
            st.page_link(navigation.page_ref(navigation.RUN_PAGE_FILE), label=markdown_literal(run.label), icon=":material/checklist:", query_params={"forloeb": str(run.id)})
            st.caption(f"{run.started} · {run.done} af {run.total} trin udført")
        with right:
            if run.next_due is None:
                st.caption("Ingen åbne frister.")
            else:
                due = run.next_due
                flag = f" · :orange-badge[{due.flag}]" if due.flag else ""
                st.markdown(f"Næste frist: **{run.next_step}**  \n{due.when} · :{due.colour}[{due.status}]{flag}")

st.header("Alle tjeklister")
for group, entries in overview.groups:
    st.markdown(f"**{group}**")
    for entry in entries:
        checklist = entry.checklist
        with st.container(border=True):
            st.page_link(navigation.page_ref(navigation.RUN_PAGE_FILE), label=checklist.title, icon=":material/checklist:", query_params={"id": checklist.id})
            source = f" · følger »{entry.guideline.title}«" if entry.guideline else ""
            st.caption(f"{len(checklist.steps)} trin · version {checklist.version}{source}")
            if checklist.summary:
                st.markdown(checklist.summary)
if overview.problems:
    with st.expander(f":material/warning: {len(overview.problems)} fejl i tjeklisterne – til redaktører"):
        for problem in overview.problems:
            st.markdown(f"- `{problem}`")
