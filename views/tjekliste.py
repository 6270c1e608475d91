"""One checklist: ?id=<checklist> shows its steps and starts a run; ?forloeb=<run> is a run
with answers, ticks, notes, deadlines and the export to the case journal."""

from datetime import datetime

import streamlit as st

import ui
from handbook.auth import AuthError
from handbook.checklists import Checklist, Question, Step, answer_label, condition_text, due_rule_text, phase_headings
from handbook.deadlines import format_moment, remaining
from handbook.privacy import PersonalDataError
from handbook.render import guideline_url, markdown_literal, render_body
from handbook.runs import RunError, close_run, complete_step, exports, get_run, newer_version, reopen_step, set_answers, start_run

user = ui.current_user()
store = ui.store()
checklists = ui.checklists()
now = ui.now()


def step_links(step: Step) -> str:
    parts = []
    if step.legal_refs:
        parts.append(" · ".join(step.legal_refs))
    guideline = ui.library().get(step.guideline_id) if step.guideline else None
    if guideline is not None:
        parts.append(f"[{guideline.title}{' – afsnit' if step.anchor else ''}]({guideline_url(guideline.id, step.anchor)})")
    return " · ".join(parts)


def question_radio(question: Question, key: str, current=None):
    choices = question.choices
    return st.radio(question.label, choices, index=choices.index(current) if current in choices else 0, format_func=lambda value: answer_label(question, value), horizontal=True, key=key)


def help_html(text: str) -> None:
    """Help text through the handbook's renderer, so [tekst](id) links reach the guideline."""
    st.html(f'<div class="hb-body">{render_body(text, known_ids=set(ui.library().guidelines)).html}</div>')


def preview(checklist: Checklist) -> None:
    st.caption(f"Tjekliste · version {checklist.version}")
    st.title(checklist.title)
    if checklist.summary:
        st.markdown(checklist.summary)
    guideline = ui.library().get(checklist.guideline)
    if guideline is not None:
        ui.guideline_link(guideline, f"Retningslinjen: {guideline.title}")

    st.subheader("Start et forløb")
    if user is None:
        ui.login_hint("starte et forløb")
    else:
        with st.form("start"):
            reference = st.text_input("Reference (valgfri)", placeholder="Fx sagsnummeret i fagsystemet – aldrig CPR-nummer eller navn", max_chars=80)
            day_column, time_column = st.columns(2)
            day = day_column.date_input(checklist.start_label, value=now.date(), format="DD.MM.YYYY")
            moment = time_column.time_input("Klokkeslæt", value=now.time().replace(second=0, microsecond=0), step=300)
            answers = {question.id: question_radio(question, f"q-{question.id}") for question in checklist.questions}
            if st.form_submit_button("Start forløb", icon=":material/play_arrow:", type="primary"):
                try:
                    run_id = start_run(store, user, checklist, datetime.combine(day, moment), reference, answers)
                except (PersonalDataError, RunError, AuthError) as exc:
                    st.error(str(exc))
                else:
                    st.query_params.clear()
                    st.query_params["forloeb"] = str(run_id)
                    st.rerun()

    st.subheader("Trinene")
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


def show_run(run_id: int) -> None:
    run = get_run(store, run_id)
    if run is None:
        st.title("Tjekliste")
        st.error(f"Forløb nr. {run_id} findes ikke. Det kan være slettet, fordi opbevaringsperioden er udløbet.")
        st.page_link(ui.CHECKLISTS_PAGE_FILE, label="Til tjeklisterne", icon=":material/checklist:")
        st.stop()
    if user is None or run.owner != user.name:
        st.title("Tjekliste")
        st.error("Forløbet tilhører en anden medarbejder, eller du er ikke logget ind.")
        st.stop()
    checklist = run.checklist
    st.caption(f"Tjekliste · version {checklist.version}" + (f" · reference {run.reference}" if run.reference else ""))
    st.title(checklist.title)
    st.markdown(f"**{checklist.start_label}:** {format_moment(run.start)}")
    newer = newer_version(run, checklists)
    if newer:
        st.info(f"Der findes en nyere version ({newer}) af tjeklisten. Dette forløb følger version {checklist.version}, som det blev startet med.", icon=":material/update:")
    if run.closed_at:
        st.success(f"Forløbet er afsluttet ({format_moment(run.closed_at)}).")

    if checklist.questions:
        st.subheader("Spørgsmål")
        answers = dict(run.answers)
        for question in checklist.questions:
            answers[question.id] = question_radio(question, f"run{run.id}-q-{question.id}", answers.get(question.id))
        cleaned = {k: v for k, v in answers.items() if v is not None}
        if cleaned != run.answers:
            set_answers(store, user, run.id, cleaned)
            st.rerun()

    st.subheader("Trin")
    items = run.steps()
    for heading, item in zip(phase_headings([i.step for i in items]), items):
        step = item.step
        if heading:
            st.markdown(f"**{heading}**")
        done = run.done.get(step.id)
        with st.container(border=True, key=f"step-{step.id}"):
            left, right = st.columns([3, 2])
            with left:
                ticked = st.checkbox(step.title, value=done is not None, key=f"run{run.id}-{step.id}")
                if done:
                    st.caption(f":material/task_alt: Udført {format_moment(done.at)} af {markdown_literal(ui.display_name(done.by))}" + (f" · Note: {done.note}" if done.note else ""))
            with right:
                if item.due is not None:
                    state = remaining(item.due, now)
                    colour = "gray" if done else state.colour
                    status = "" if done else f" · :{colour}[**{state.text}**]"
                    st.markdown(f'<span class="hb-due">Frist {format_moment(item.due)}{status}</span>', unsafe_allow_html=True)
                elif step.due is not None:
                    st.caption(f"Frist {step.due.within}, når »{checklist.step(step.due.source).title}« er udført")
            with st.expander("Vejledning og note"):
                if step.help:
                    help_html(step.help)
                links = step_links(step)
                if links:
                    st.caption(links)
                note = st.text_input("Note (valgfri, ingen CPR-numre eller navne)", value=done.note if done else "", key=f"run{run.id}-{step.id}-note", max_chars=2000)
                if done and note != done.note and st.button("Gem note", key=f"run{run.id}-{step.id}-save"):
                    try:
                        complete_step(store, user, run.id, step.id, note, at=done.at)
                        st.rerun()
                    except (PersonalDataError, RunError) as exc:
                        st.error(str(exc))
            if ticked and done is None:
                try:
                    complete_step(store, user, run.id, step.id, st.session_state.get(f"run{run.id}-{step.id}-note", ""))
                    st.rerun()
                except (PersonalDataError, RunError) as exc:
                    st.error(str(exc))
            elif not ticked and done is not None:
                reopen_step(store, user, run.id, step.id)
                st.rerun()

    st.subheader("Til journalen")
    text, table = exports(store, run, now)
    st.caption("Kopiér teksten (knappen øverst til højre i feltet), og indsæt den i journalen i fagsystemet.")
    st.code(text, language=None, wrap_lines=True)
    left, middle, right = st.columns(3)
    left.download_button("Hent som tekst", text, file_name=f"tjekliste-{checklist.id}-{run.id}.txt", mime="text/plain", icon=":material/description:")
    middle.download_button("Hent som CSV", table, file_name=f"tjekliste-{checklist.id}-{run.id}.csv", mime="text/csv", icon=":material/table:")
    if not run.closed_at and right.button("Afslut forløbet", icon=":material/done_all:"):
        close_run(store, user, run.id)
        st.rerun()


run_param = st.query_params.get("forloeb", "")
if run_param.isdigit():
    show_run(int(run_param))
else:
    chosen = checklists.get(st.query_params.get("id", ""))
    if chosen is None:
        st.title("Tjekliste")
        st.error("Tjeklisten findes ikke.")
        st.page_link(ui.CHECKLISTS_PAGE_FILE, label="Til tjeklisterne", icon=":material/checklist:")
    else:
        preview(chosen)
