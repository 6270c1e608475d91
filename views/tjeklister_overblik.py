"""For leaders: anonymous counts of overdue steps per checklist, and each new employee's
introduction plan."""

import streamlit as st

from handbook.checklists.runs import onboarding_progress, overdue_counts
from handbook.content.render import format_date
from handbook.dates.deadlines import format_due, remaining
from handbook.identity.auth import AuthError
from portal import resources, session

st.title("Tjeklister – overblik")
try:
    counts = overdue_counts(resources.store(), session.current_user(), resources.now())
    onboarding = onboarding_progress(resources.store(), session.current_user(), resources.now())
except AuthError as exc:
    st.error(str(exc))
    st.stop()

st.header("Overskredne frister i igangværende forløb")
st.caption("Antal uden sagsreferencer eller navne: hvor mange forløb og trin, der er bagud, pr. tjekliste.")
if not counts:
    st.info("Der er ingen igangværende forløb.")
else:
    st.dataframe(
        [{"Tjekliste": c.checklist_title, "Igangværende forløb": c.open_runs, "Forløb med overskredne frister": c.runs_with_overdue, "Overskredne trin": c.overdue_steps} for c in counts],
        hide_index=True,
        width="stretch",
    )

st.header("Introduktion af nye medarbejdere")
if not onboarding:
    st.caption("Ingen nye medarbejdere har startet deres introduktion i portalen endnu.")
for item in onboarding:
    with st.container(border=True):
        st.markdown(f"**{item.employee}** · {item.checklist_title} · startet {format_date(item.started.date())}")
        st.progress(item.done / item.total if item.total else 0.0, text=f"{item.done} af {item.total} trin")
        if item.next_due is not None:
            state = remaining(item.next_due.due, resources.now())
            st.caption(f"Næste: {item.next_due.step.title} · {format_due(item.next_due.due, item.next_due.all_day)} · :{state.colour}[{state.text}]" + (f" · {item.overdue} overskredet" if item.overdue else ""))
