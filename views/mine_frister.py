"""Mine frister: every deadline in my open runs (overdue, the next 14 days, later) and the
same deadlines as an iCalendar file for Outlook."""

import streamlit as st

from handbook.checklists.my_deadlines import SOON_DAYS, my_deadlines
from handbook.privacy.textsafe import markdown_literal
from portal import navigation, resources, session, widgets

st.title("Mine frister")
st.caption("Alle åbne frister i dine igangværende tjeklisteforløb. Kalenderfilen indeholder kun reference, tjekliste og trin – aldrig noter.")
user = session.current_user()
if user is None:
    widgets.login_hint("se dine frister")
    st.stop()
overview = my_deadlines(resources.store(), user, resources.now())
if not overview.all():
    st.info("Du har ingen åbne frister. Frister kommer fra de tjeklister, du har startet.", icon=":material/event_available:")
    st.page_link(navigation.page_ref(navigation.CHECKLISTS_PAGE_FILE), label="Til tjeklisterne", icon=":material/checklist:")
    st.stop()

st.download_button(
    "Hent som kalenderfil (.ics)",
    overview.calendar,
    file_name="mine-frister.ics",
    mime="text/calendar",
    icon=":material/calendar_add_on:",
    help="Åbn filen i Outlook (eller en anden kalender) for at få fristerne i din kalender.",
)

for title, items, empty in (
    ("Overskredet", overview.overdue, "Ingen overskredne frister."),
    (f"De næste {SOON_DAYS} dage", overview.soon, f"Ingen frister de næste {SOON_DAYS} dage."),
    ("Senere", overview.later, "Ingen senere frister."),
):
    st.header(f"{title} ({len(items)})")
    if not items:
        st.caption(empty)
    for item in items:
        with st.container(border=True, key=f"frist-{item.run_id}-{item.step_id}"):
            left, right = st.columns([3, 2])
            left.page_link(navigation.page_ref(navigation.RUN_PAGE_FILE), label=item.step_title, icon=":material/checklist:", query_params={"forloeb": str(item.run_id)})
            left.caption(item.checklist_title + (f" · {markdown_literal(item.reference)}" if item.reference else ""))
            due = item.label
            flag = f"  \n:orange-badge[:material/warning: {due.flag}]" if due.flag else ""
            right.markdown(f"{due.when} · :{due.colour}[{due.status}]{flag}")
