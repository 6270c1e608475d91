"""One checklist: ?id=<checklist> shows its steps and starts a run; ?forloeb=<run> is a run
(views/tjekliste_forloeb.py). The start has no form: Enter in a field never starts a run, only
the button does."""

from datetime import datetime

import streamlit as st

from handbook.checklists.model import Checklist
from handbook.checklists.runs import start_run
from handbook.checklists.view import RunUnavailable, preview, run_view, shows_after_hours
from handbook.content.urlparams import row_id
from portal import navigation, resources, session, widgets
from portal.parts.checklist import ERRORS, guide_section, opening_hours, question_input
from views.tjekliste_forloeb import show_run

user = session.current_user()
now = resources.now()


def start_section(checklist: Checklist) -> None:
    st.header("Start et forløb")
    if user is None:
        widgets.login_hint("starte et forløb")
        return
    with st.container(border=True, key="start"):
        reference = st.text_input("Reference (valgfri)", placeholder="Fx sagsnummeret i fagsystemet – aldrig CPR-nummer eller navn", max_chars=80, key="start-reference")
        day_column, time_column = st.columns(2)
        day = day_column.date_input(checklist.start_label, value=now.date(), format="DD.MM.YYYY", key="start-day")
        moment = time_column.time_input("Klokkeslæt", value=now.time().replace(second=0, microsecond=0), step=300, key="start-time")
        st.caption("Tjek dato og klokkeslæt: fristerne regnes herfra. Et forkert starttidspunkt kan rettes bagefter med en begrundelse.")
        answers = {question.id: question_input(question, f"q-{question.id}") for question in checklist.questions}
        start = datetime.combine(day, moment)
        if shows_after_hours(checklist, answers, start, opening_hours()):
            widgets.after_hours_box(start)
        if st.button("Start forløb", icon=":material/play_arrow:", type="primary", key="start-run"):
            try:
                run_id = start_run(resources.store(), user, checklist, start, reference, answers)
            except ERRORS as exc:
                st.error(str(exc))
            else:
                st.query_params.clear()
                st.query_params["forloeb"] = str(run_id)
                st.rerun()


def show_preview(checklist: Checklist) -> None:
    shown = preview(checklist, resources.library())
    st.caption(f"Tjekliste · version {checklist.version}")
    st.title(checklist.title)
    if checklist.summary:
        st.markdown(checklist.summary)
    if shown.guideline is not None:
        widgets.guideline_link(shown.guideline, f"Retningslinjen: {shown.guideline.title}")
    start_section(checklist)
    st.header("Trinene")
    for step in shown.steps:
        if step.heading:
            st.markdown(f"**{step.heading}**")
        with st.expander(step.title):
            guide_section(step.guide, step.caption)


def not_found(message: str) -> None:
    st.title("Tjekliste")
    st.error(message)
    st.page_link(navigation.page_ref(navigation.CHECKLISTS_PAGE_FILE), label="Til tjeklisterne", icon=":material/checklist:")
    st.stop()


run_param = st.query_params.get("forloeb")
run_id = row_id(run_param)
if run_id is not None:
    try:
        run = run_view(resources.store(), resources.checklists(), resources.library(), run_id, user, now, opening_hours())
    except RunUnavailable as exc:
        not_found(str(exc))
    show_run(run, user)
elif run_param is not None:
    not_found("Forløbet findes ikke. Tjek adressen, eller find forløbet under Tjeklister.")
else:
    chosen = resources.checklists().get(st.query_params.get("id", ""))
    if chosen is None:
        not_found("Tjeklisten findes ikke.")
    show_preview(chosen)
