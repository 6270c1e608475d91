"""Forside: what is here, the A-Z case flow as shortcuts, recently changed guidelines."""

import streamlit as st

from handbook.content.guideline import GUIDELINE_TYPES
from portal import navigation, resources, session, widgets

lib = resources.library()
config = lib.config

st.title("Håndbogen")
widgets.unfilled_numbers_warning(session.current_user())
st.markdown(
    f"**{config.organisation}{' · ' + config.municipality if config.municipality else ''}** — afdelingens "
    "retningslinjer, arbejdsgange, metoder og vejledninger samlet ét sted. Det, du finder her, er den gældende version."
)
counts = lib.count_by_type()
plural = {"retningslinje": "retningslinjer", "arbejdsgang": "arbejdsgange", "metode": "metoder", "vejledning": "vejledninger", "politik": "politikker"}
st.caption(" · ".join(f"{n} {plural[t] if n != 1 else GUIDELINE_TYPES[t].lower()}" for t, n in counts.items()))
widgets.search_box("forside")

st.header("Sagsforløbet fra A til Z")
overview = lib.get("sagsbehandling-a-til-z")
if overview:
    widgets.guideline_link(overview, "Se hele sagsforløbet trin for trin")
flow = [step for step in lib.case_flow() if step.guidelines]
checklists_by_guideline: dict[str, list] = {}
for checklist in resources.checklists().all():
    checklists_by_guideline.setdefault(checklist.guideline, []).append(checklist)
if flow:
    for row_start in range(0, len(flow), 4):
        columns = st.columns(4)
        for column, step in zip(columns, flow[row_start:row_start + 4]):
            with column.container(border=True):
                st.html(f'<div class="hb-step">Trin {step.number}</div>')
                st.markdown(f"**{step.label}**")
                for guideline in step.guidelines:
                    widgets.guideline_link(guideline)
                    for checklist in checklists_by_guideline.get(guideline.id, []):
                        st.page_link(navigation.page_ref(navigation.RUN_PAGE_FILE), label=f"Tjekliste: {checklist.title}", icon=":material/checklist:", query_params={"id": checklist.id}, width="stretch")
else:
    st.info("Ingen retningslinjer er placeret i sagsforløbet endnu (feltet sagsskridt).")

onboarding = [c for c in resources.checklists().all() if c.onboarding]
if onboarding:
    with st.container(border=True):
        st.markdown("**Ny medarbejder?** Følg introduktionen gennem håndbogen, fagsystemet, ICS og Signs of Safety – din leder kan se, hvor langt du er.")
        for checklist in onboarding:
            st.page_link(navigation.page_ref(navigation.RUN_PAGE_FILE), label=checklist.title, icon=":material/school:", query_params={"id": checklist.id})

st.header("Senest ændret")
recent = lib.recently_changed(resources.today())
if not recent:
    st.info("Der er ingen gældende retningslinjer endnu.")
for guideline in recent:
    with st.container(border=True):
        widgets.guideline_link(guideline)
        st.caption(widgets.guideline_caption(guideline))
        if guideline.change_note:
            st.markdown(f"Ændring: {guideline.change_note}")

st.page_link(navigation.page_ref(navigation.HANDBOOK_PAGE_FILE), label="Se hele håndbogen", icon=":material/arrow_forward:")
widgets.show_left_out(lib)
