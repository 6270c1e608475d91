"""For leaders: anonymous counts of overdue steps per checklist, and each new employee's
introduction plan."""

import streamlit as st

from handbook.checklists.leaders import leaders_overview
from handbook.identity.auth import AuthError
from handbook.privacy.textsafe import markdown_literal
from portal import resources, session

st.title("Tjeklister – overblik")
try:
    overview = leaders_overview(resources.store(), session.current_user(), resources.now())
except AuthError as exc:
    st.error(str(exc))
    st.stop()

if overview.counts is not None:
    st.header("Overskredne frister i igangværende forløb")
    st.caption("Antal uden sagsreferencer eller navne: hvor mange forløb og trin, der er bagud, pr. tjekliste.")
if overview.counts is not None and not overview.counts:
    st.info("Der er ingen igangværende forløb.")
elif overview.counts:
    st.dataframe(
        [{"Tjekliste": c.checklist_title, "Igangværende forløb": c.open_runs, "Forløb med overskredne frister": c.runs_with_overdue, "Overskredne trin": c.overdue_steps} for c in overview.counts],
        hide_index=True,
        width="stretch",
    )

st.header("Introduktion af nye medarbejdere")
if overview.counts is None:
    st.caption("Medarbejderne i dine teams (teams sættes under Brugere).")
if not overview.onboarding:
    st.caption("Ingen nye medarbejdere har startet deres introduktion i portalen endnu.")
for item in overview.onboarding:
    with st.container(border=True):
        st.markdown(f"**{markdown_literal(item.employee)}** · {item.checklist_title} · startet {item.started_text}")
        st.progress(item.done / item.total if item.total else 0.0, text=f"{item.done} af {item.total} trin")
        if item.next_due is not None and item.next_label is not None:
            due = item.next_label
            st.caption(f"Næste: {item.next_due.step.title} · {due.when} · :{due.colour}[{due.status}]" + (f" · {item.overdue} overskredet" if item.overdue else ""))
