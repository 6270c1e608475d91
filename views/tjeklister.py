"""Tjeklister: the bundled checklists and "Mine tjeklister" (open runs with the next deadline)."""

import streamlit as st

from handbook.checklists.runs import runs_of
from handbook.dates.deadlines import day_flag, format_due, format_moment, remaining
from portal import navigation, resources, session, widgets

st.title("Tjeklister")
st.caption("Trinene i et sagsforløb med frister, der regnes ud for den konkrete sag. Kryds af undervejs, og kopiér forløbet til journalen.")
user = session.current_user()
checklists = resources.checklists()
now = resources.now()

st.header("Mine tjeklister")
st.page_link(navigation.page_ref("views/mine_frister.py"), label="Alle mine frister – og kalenderfil til Outlook", icon=":material/event:")
if user is None:
    widgets.login_hint("starte en tjekliste og se dine igangværende forløb")
else:
    runs = runs_of(resources.store(), user)
    if not runs:
        st.caption("Du har ingen igangværende forløb. Start et nedenfor.")
    for run in runs:
        done, total = run.progress()
        with st.container(border=True):
            left, right = st.columns([3, 2])
            with left:
                st.page_link(navigation.page_ref(navigation.RUN_PAGE_FILE), label=run.label, icon=":material/checklist:", query_params={"forloeb": str(run.id)})
                st.caption(f"{run.checklist.start_label} {format_moment(run.start)} · {done} af {total} trin udført")
            with right:
                item = run.next_due()
                if item is None:
                    st.caption("Ingen åbne frister.")
                else:
                    state = remaining(item.due, now)
                    flag = f" · :orange-badge[{day_flag(item.due)}]" if day_flag(item.due) else ""
                    st.markdown(f"Næste frist: **{item.step.title}**  \n{format_due(item.due, item.all_day)} · :{state.colour}[{state.text}]{flag}")

st.header("Alle tjeklister")
case_lists = [c for c in checklists.all() if not c.onboarding]
onboarding = [c for c in checklists.all() if c.onboarding]
for group, items in (("Sagsforløb", case_lists), ("For nye medarbejdere", onboarding)):
    if not items:
        continue
    st.markdown(f"**{group}**")
    for checklist in items:
        with st.container(border=True):
            st.page_link(navigation.page_ref(navigation.RUN_PAGE_FILE), label=checklist.title, icon=":material/checklist:", query_params={"id": checklist.id})
            guideline = resources.library().get(checklist.guideline)
            source = f" · følger »{guideline.title}«" if guideline else ""
            st.caption(f"{len(checklist.steps)} trin · version {checklist.version}{source}")
            if checklist.summary:
                st.markdown(checklist.summary)
if checklists.problems:
    with st.expander(f":material/warning: {len(checklists.problems)} fejl i tjeklisterne – til redaktører"):
        for problem in checklists.problems:
            st.markdown(f"- `{problem}`")
