"""The parts of the checklist page that show a run (?forloeb=<run>): answers (dates too, or
"ikke relevant"), start-time correction, ticks, notes, deadlines with weekend/holiday flags, the
after-hours guidance, closing and the export to the case journal. Also the widgets the preview
shares with it."""

from datetime import date, datetime

import streamlit as st

from handbook.checklists.runs import Run, RunError, close_run, complete_step, correct_start, exports, newer_version, reopen_step, set_answers
from handbook.checklists.schema import NOT_RELEVANT, Checklist, Question, Step, answer_label, holds, phase_headings, rule_text
from handbook.content.render import guideline_url, render_body
from handbook.dates.deadlines import EARLIEST_DATE, LATEST_DATE, day_flag, format_due, format_moment, remaining
from handbook.identity.auth import AuthError
from handbook.privacy.cpr import PersonalDataError
from portal import resources, session, widgets

ERRORS = (PersonalDataError, RunError, AuthError)


def step_links(step: Step) -> str:
    parts = []
    if step.legal_refs:
        parts.append(" · ".join(step.legal_refs))
    guideline = resources.library().get(step.guideline_id) if step.guideline else None
    if guideline is not None:
        parts.append(f"[{guideline.title}{' – afsnit' if step.anchor else ''}]({guideline_url(guideline.id, step.anchor)})")
    return " · ".join(parts)


def help_html(text: str) -> None:
    """Help text through the handbook's renderer, so [tekst](id) links reach the guideline."""
    st.html(f'<div class="hb-body">{render_body(text, known_ids=set(resources.library().guidelines)).html}</div>')


def question_input(question: Question, key: str, current=None, not_relevant: bool = False):
    """A question as a widget: a date field for date questions, ja/nej or options otherwise;
    with not_relevant, the answer "Ikke relevant" can be chosen."""
    if question.type == "date":
        marked_key = f"{key}-nr"
        marked = not_relevant and st.session_state.get(marked_key, current == NOT_RELEVANT)
        value = st.date_input(question.label, value=current if isinstance(current, date) else None, min_value=EARLIEST_DATE, max_value=LATEST_DATE, format="DD.MM.YYYY", key=key, disabled=bool(marked))
        if not_relevant:
            marked = st.checkbox("Ikke relevant", value=current == NOT_RELEVANT, key=marked_key)
        return NOT_RELEVANT if marked else value
    choices = question.choices + ([NOT_RELEVANT] if not_relevant else [])
    return st.radio(question.label, choices, index=choices.index(current) if current in choices else 0, format_func=lambda value: answer_label(question, value), horizontal=True, key=key)


def after_hours_notice(checklist: Checklist, answers: dict, received: datetime) -> None:
    if checklist.after_hours is not None and holds(checklist.after_hours, answers):
        widgets.after_hours_box(received)


def due_markdown(due: datetime, all_day: bool, done: bool, now: datetime) -> str:
    state = remaining(due, now)
    status = "" if done else f" · :{state.colour}[**{state.text}**]"
    flag = day_flag(due)
    warning = f" · :orange-badge[:material/warning: {flag}]" if flag else ""
    return f"Frist {format_due(due, all_day)}{status}{warning}"


def start_section(run: Run, user) -> None:
    st.markdown(f"**{run.checklist.start_label}:** {format_moment(run.start)}")
    for correction in run.corrections:
        st.caption(f":material/edit_calendar: Rettet {format_moment(correction.at)} af {session.display_name(correction.by)} fra {format_moment(correction.old_start)} til {format_moment(correction.new_start)} · {correction.reason}")
    if run.closed_at:
        return
    with st.expander("Ret starttidspunktet"):
        st.caption("Alle frister, der regnes fra starten, flyttes med. Rettelsen og begrundelsen gemmes og kommer med i journalteksten.")
        local = run.start
        left, right = st.columns(2)
        day = left.date_input("Ny dato", value=local.date(), format="DD.MM.YYYY", key=f"run{run.id}-new-day")
        moment = right.time_input("Nyt klokkeslæt", value=local.time().replace(tzinfo=None, second=0, microsecond=0), step=300, key=f"run{run.id}-new-time")
        reason = st.text_input("Begrundelse (krævet, ingen CPR-numre eller navne)", key=f"run{run.id}-reason", max_chars=300)
        if st.button("Ret starttidspunkt", icon=":material/edit_calendar:", key=f"run{run.id}-correct"):
            try:
                correct_start(resources.store(), user, run.id, datetime.combine(day, moment), reason)
                st.rerun()
            except ERRORS as exc:
                st.error(str(exc))


def questions_section(run: Run, user) -> None:
    checklist = run.checklist
    if not checklist.questions:
        return
    st.header("Spørgsmål")
    steering = {q.id for q in checklist.steering_questions()}
    answers = dict(run.answers)
    for question in checklist.questions:
        answers[question.id] = question_input(question, f"run{run.id}-q-{question.id}", answers.get(question.id), not_relevant=question.id in steering)
    cleaned = {k: v for k, v in answers.items() if v is not None}
    if cleaned != run.answers and not run.closed_at:
        set_answers(resources.store(), user, run.id, cleaned)
        st.rerun()


def step_item(run: Run, item, now: datetime, user) -> None:
    step, checklist = item.step, run.checklist
    done = run.done.get(step.id)
    with st.container(border=True, key=f"step-{step.id}"):
        left, right = st.columns([3, 2])
        with left:
            ticked = st.checkbox(step.title, value=done is not None, key=f"run{run.id}-{step.id}")
            if done:
                st.caption(f":material/task_alt: Udført {format_moment(done.at)} af {session.display_name(done.by)}" + (f" · Note: {done.note}" if done.note else ""))
        with right:
            if item.due is not None:
                st.markdown(f'<span class="hb-due">{due_markdown(item.due, item.all_day, done is not None, now)}</span>', unsafe_allow_html=True)
            elif step.due is not None:
                st.caption(f"Frist: {rule_text(checklist, step.due)} – regnes ud, når det er kendt")
        with st.expander("Vejledning og note"):
            if step.help:
                help_html(step.help)
            links = step_links(step)
            if links:
                st.caption(links)
            note = st.text_input("Note (valgfri, ingen CPR-numre eller navne)", value=done.note if done else "", key=f"run{run.id}-{step.id}-note", max_chars=2000)
            if done and note != done.note and st.button("Gem note", key=f"run{run.id}-{step.id}-save"):
                try:
                    complete_step(resources.store(), user, run.id, step.id, note, at=done.at)
                    st.rerun()
                except ERRORS as exc:
                    st.error(str(exc))
        if ticked and done is None:
            try:
                complete_step(resources.store(), user, run.id, step.id, st.session_state.get(f"run{run.id}-{step.id}-note", ""))
                st.rerun()
            except ERRORS as exc:
                st.error(str(exc))
        elif not ticked and done is not None:
            reopen_step(resources.store(), user, run.id, step.id)
            st.rerun()


def show_run(run: Run, user, now: datetime) -> None:
    checklist = run.checklist
    st.caption(f"Tjekliste · version {checklist.version}" + (f" · reference {run.reference}" if run.reference else ""))
    st.title(checklist.title)
    start_section(run, user)
    newer = newer_version(run, resources.checklists())
    if newer:
        st.info(f"Der findes en nyere version ({newer}) af tjeklisten. Dette forløb følger version {checklist.version}, som det blev startet med.", icon=":material/update:")
    if run.closed_at:
        st.success(f"Forløbet er afsluttet ({format_moment(run.closed_at)}).")
    after_hours_notice(checklist, run.answers, run.start)
    questions_section(run, user)

    st.header("Trin")
    items = run.steps()
    for heading, item in zip(phase_headings([i.step for i in items]), items):
        if heading:
            st.markdown(f"**{heading}**")
        step_item(run, item, now, user)

    st.header("Til journalen")
    text, table = exports(resources.store(), run, now)
    st.caption("Kopiér teksten (knappen øverst til højre i feltet), og indsæt den i journalen i fagsystemet.")
    st.code(text, language=None, wrap_lines=True)
    left, middle, right = st.columns(3)
    left.download_button("Hent som tekst", text, file_name=f"tjekliste-{checklist.id}-{run.id}.txt", mime="text/plain", icon=":material/description:")
    middle.download_button("Hent som CSV", table, file_name=f"tjekliste-{checklist.id}-{run.id}.csv", mime="text/csv", icon=":material/table:")
    if run.closed_at:
        return
    missing = run.unanswered_steering()
    if missing:
        st.caption(":material/help: Før forløbet kan afsluttes, skal disse spørgsmål besvares eller markeres »Ikke relevant«: " + "; ".join(f"»{q.label}«" for q in missing))
    if right.button("Afslut forløbet", icon=":material/done_all:"):
        try:
            close_run(resources.store(), user, run.id)
            st.rerun()
        except ERRORS as exc:
            st.error(str(exc))
