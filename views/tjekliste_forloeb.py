"""The part of the checklist page that shows a run (?forloeb=<run>), rendered from one RunView
(handbook.checklists.view): answers, start-time correction, ticks, notes, deadlines, the
after-hours guidance, closing and the journal export."""

from datetime import datetime

import streamlit as st

from handbook.checklists.runs import close_run, complete_step, correct_start, reopen_step, set_answers, start_follow_on
from handbook.checklists.view import RunView, StepView
from handbook.privacy.textsafe import markdown_literal
from portal import resources, widgets
from portal.parts.checklist import ERRORS, guide_section, question_input


def act(action, user, *args) -> None:
    """Do a run action as the user and rerun, or show its Danish error."""
    try:
        action(resources.store(), user, *args)
    except ERRORS as exc:
        st.error(str(exc))
    else:
        st.rerun()


def start_section(run: RunView, user) -> None:
    st.markdown(f"**{run.checklist.start_label}:** {run.start_text}")
    for c in run.corrections:
        st.caption(f":material/edit_calendar: Rettet {c.at} af {markdown_literal(c.by)} fra {c.old_start} til {c.new_start} · {markdown_literal(c.reason)}")
    if run.closed:
        return
    with st.expander("Ret starttidspunktet"):
        st.caption("Alle frister, der regnes fra starten, flyttes med. Rettelsen og begrundelsen gemmes og kommer med i journalteksten.")
        left, right = st.columns(2)
        day = left.date_input("Ny dato", value=run.start.date(), format="DD.MM.YYYY", key=f"run{run.id}-new-day")
        moment = right.time_input("Nyt klokkeslæt", value=run.start.time().replace(tzinfo=None, second=0, microsecond=0), step=300, key=f"run{run.id}-new-time")
        reason = st.text_input("Begrundelse (krævet, ingen CPR-numre eller navne)", key=f"run{run.id}-reason", max_chars=300)
        if st.button("Ret starttidspunkt", icon=":material/edit_calendar:", key=f"run{run.id}-correct"):
            act(correct_start, user, run.id, datetime.combine(day, moment), reason)


def questions_section(run: RunView, user) -> None:
    if not run.checklist.questions:
        return
    st.header("Spørgsmål")
    answers = dict(run.answers)
    for question in run.checklist.questions:
        answers[question.id] = question_input(question, f"run{run.id}-q-{question.id}", answers.get(question.id), not_relevant=question.id in run.steering)
    cleaned = {k: v for k, v in answers.items() if v is not None}
    if cleaned != run.answers and not run.closed:
        set_answers(resources.store(), user, run.id, cleaned)
        st.rerun()


def step_item(run: RunView, item: StepView, user) -> None:
    step, done, key = item.step, item.done, f"run{run.id}-{item.step.id}"
    with st.container(border=True, key=f"step-{step.id}"):
        left, right = st.columns([3, 2])
        ticked = left.checkbox(step.title, value=done is not None, key=key)
        if done:
            left.caption(f":material/task_alt: Udført {item.done_at} af {markdown_literal(item.done_by)}" + (f" · Note: {markdown_literal(done.note)}" if done.note else ""))
        if item.due is not None:
            status = "" if done else f" · :{item.due.colour}[**{item.due.status}**]"
            warning = f" · :orange-badge[:material/warning: {item.due.flag}]" if item.due.flag else ""
            right.markdown(f'<span class="hb-due">Frist {item.due.when}{status}{warning}</span>', unsafe_allow_html=True)
        elif item.pending:
            right.caption(f"Frist: {item.pending} – regnes ud, når det er kendt")
        if item.starts and not run.closed:
            follow_on(run, item, user)
        with st.expander("Vejledning og note"):
            guide_section(item.guide, item.guide.links)
            note = st.text_input("Note (valgfri, ingen CPR-numre eller navne)", value=done.note if done else "", key=f"{key}-note", max_chars=2000)
            if done and note != done.note and st.button("Gem note", key=f"{key}-save"):
                act(complete_step, user, run.id, step.id, note, done.at)
        if ticked and done is None:
            act(complete_step, user, run.id, step.id, st.session_state.get(f"{key}-note", ""))
        elif not ticked and done is not None:
            reopen_step(resources.store(), user, run.id, step.id)
            st.rerun()


def follow_on(run: RunView, item: StepView, user) -> None:
    """The button that starts the checklist the step leads to, for the same case, and opens it."""
    if st.button(f"Start tjeklisten »{item.starts}«", icon=":material/arrow_forward:", key=f"run{run.id}-{item.step.id}-starts",
                 help="Samme starttidspunkt og reference som dette forløb; svar på de samme spørgsmål følger med."):
        try:
            new_id = start_follow_on(resources.store(), user, run.id, item.step.id, resources.checklists())
        except ERRORS as exc:
            st.error(str(exc))
        else:
            st.query_params.clear()
            st.query_params["forloeb"] = str(new_id)
            st.rerun()


def show_run(run: RunView, user) -> None:
    st.caption(f"Tjekliste · version {run.checklist.version}" + (f" · reference {markdown_literal(run.reference)}" if run.reference else ""))
    st.title(run.checklist.title)
    start_section(run, user)
    if run.newer_version:
        st.info(f"Der findes en nyere version ({run.newer_version}) af tjeklisten. Dette forløb følger version {run.checklist.version}, som det blev startet med.", icon=":material/update:")
    if run.closed:
        st.success(f"Forløbet er afsluttet ({run.closed}).")
    if run.after_hours:
        widgets.after_hours_box(run.start)
    questions_section(run, user)
    st.header("Trin")
    for item in run.steps:
        if item.heading:
            st.markdown(f"**{item.heading}**")
        step_item(run, item, user)
    st.header("Til journalen")
    st.caption("Kopiér teksten (knappen øverst til højre i feltet), og indsæt den i journalen i fagsystemet.")
    st.code(run.journal, language=None, wrap_lines=True)
    left, middle, right = st.columns(3)
    left.download_button("Hent som tekst", run.journal, file_name=f"{run.file_stem}.txt", mime="text/plain", icon=":material/description:")
    middle.download_button("Hent som CSV", run.csv, file_name=f"{run.file_stem}.csv", mime="text/csv", icon=":material/table:")
    if run.closed:
        return
    if run.missing:
        st.caption(":material/help: Før forløbet kan afsluttes, skal disse spørgsmål besvares eller markeres »Ikke relevant«: " + "; ".join(f"»{q.label}«" for q in run.missing))
    if right.button("Afslut forløbet", icon=":material/done_all:"):
        act(close_run, user, run.id)
