"""One checklist: ?id=<checklist> shows its steps and starts a run; ?forloeb=<run> is a run
(views/tjekliste_forloeb.py). The start has no form: Enter in a field never starts a run, only
the button does."""

from datetime import datetime

import streamlit as st

from handbook.checklists.runs import get_run, start_run
from handbook.checklists.schema import Checklist, condition_text, due_rule_text, phase_headings
from handbook.content.urlparams import row_id
from portal import navigation, resources, session, widgets
from views.tjekliste_forloeb import ERRORS, after_hours_notice, help_html, question_input, show_run, step_links

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
        after_hours_notice(checklist, answers, start)
        if st.button("Start forløb", icon=":material/play_arrow:", type="primary", key="start-run"):
            try:
                run_id = start_run(resources.store(), user, checklist, start, reference, answers)
            except ERRORS as exc:
                st.error(str(exc))
            else:
                st.query_params.clear()
                st.query_params["forloeb"] = str(run_id)
                st.rerun()


def preview(checklist: Checklist) -> None:
    st.caption(f"Tjekliste · version {checklist.version}")
    st.title(checklist.title)
    if checklist.summary:
        st.markdown(checklist.summary)
    guideline = resources.library().get(checklist.guideline)
    if guideline is not None:
        widgets.guideline_link(guideline, f"Retningslinjen: {guideline.title}")
    start_section(checklist)
    st.header("Trinene")
    for number, (heading, step) in enumerate(zip(phase_headings(list(checklist.steps)), checklist.steps), start=1):
        if heading:
            st.markdown(f"**{heading}**")
        condition = condition_text(checklist, step)
        with st.expander(f"{number}. {step.title}" + (f" – kun hvis: {condition}" if condition else "")):
            if step.help:
                help_html(step.help)
            caption = " · ".join(filter(None, [due_rule_text(checklist, step), step_links(step)]))
            if caption:
                st.caption(caption)


def not_found(message: str) -> None:
    st.title("Tjekliste")
    st.error(message)
    st.page_link(navigation.page_ref(navigation.CHECKLISTS_PAGE_FILE), label="Til tjeklisterne", icon=":material/checklist:")
    st.stop()


run_param = st.query_params.get("forloeb")
run_id = row_id(run_param)
if run_id is not None:
    run = get_run(resources.store(), run_id)
    if run is None:
        not_found(f"Forløb nr. {run_id} findes ikke. Det kan være slettet, fordi opbevaringsperioden er udløbet.")
    if user is None or run.owner != user.name:
        not_found("Forløbet tilhører en anden medarbejder, eller du er ikke logget ind.")
    show_run(run, user, now)
elif run_param is not None:
    not_found("Forløbet findes ikke. Tjek adressen, eller find forløbet under Tjeklister.")
else:
    chosen = resources.checklists().get(st.query_params.get("id", ""))
    if chosen is None:
        not_found("Tjeklisten findes ikke.")
    preview(chosen)
