"""Parts of the tilsyn round page: drawing the sample, recording each answer as it is given
(a callback saves the one answer, so nothing waits for a save button and two reviewers never
overwrite each other), the corrections and the feedback per caseworker."""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta

import streamlit as st

from handbook.content.render import guideline_url
from handbook.dates.danish_time import date_text
from handbook.identity.auth import AuthError, User
from handbook.privacy.cpr import PersonalDataError
from handbook.privacy.textsafe import markdown_literal
from handbook.tilsyn import answers, feedback, sampling
from handbook.tilsyn.answers import Answer
from handbook.tilsyn.model import ANSWER_LABELS, IKKE_RELEVANT, JA, NEJ, Criterion
from handbook.tilsyn.rounds import TilsynError, leader_teams
from handbook.tilsyn.view import CaseToReview, RoundView
from portal import guards, resources

ERRORS = "tilsyn-errors"
PROBLEMS = (TilsynError, AuthError, PersonalDataError, sqlite3.Error)


def draw_form(user: User, round_id: int) -> None:
    """The pasted case list and the draw (once per round)."""
    with st.form("draw"):
        text = st.text_area(
            "Teamets aktive sager – én pr. linje: rådgiverens brugernavn, sagsnummer og evt. sagstype (kun sagsnumre fra fagsystemet, aldrig CPR-numre)",
            height=220, placeholder="mette, 2026-0413\nmette, 2026-0417, anbringelse\njonas, 2026-0388",
        )
        left, right = st.columns(2)
        per = left.number_input("Sager pr. rådgiver", min_value=1, max_value=20, value=sampling.DEFAULT_PER_CASEWORKER)
        seed_text = right.text_input("Frø (valgfrit; tomt: tilfældigt)", help="Med samme liste og samme frø trækkes de samme sager; frøet gemmes med runden.")
        submitted = st.form_submit_button("Træk sager", icon=":material/casino:", type="primary")
    if not submitted:
        return
    try:
        seed = int(seed_text) if seed_text.strip() else None
    except ValueError:
        st.error("Frøet skal være et helt tal.")
        return
    try:
        sampling.sample_round(resources.store(), user, round_id, text, int(per), seed)
    except sampling.CaseListError as exc:
        st.error("Listen er ikke gemt:\n" + "\n".join(f"- {markdown_literal(p)}" for p in exc.problems))
        return
    except PROBLEMS as exc:
        st.error(str(exc))
        return
    st.rerun()


NO_TEAM = "Du er ikke leder for et team endnu. En administrator kan tilføje dig til dit team under Brugere."


def leader_page(title: str, key: str):
    """The top of a leader's tilsyn page: title, permission, and the team chosen among the
    user's teams in the left of two columns (the page stops when there is none). Returns
    (user, the right column, team)."""
    st.title(title)
    user = guards.require_page("tilsyn")
    teams = leader_teams(resources.store(), user)
    if not teams:
        st.info(NO_TEAM, icon=":material/group_off:")
        st.stop()
    left, right = st.columns(2)
    return user, right, left.selectbox("Team", teams, key=f"{key}-team") or teams[0]


def _keys(case_id: int, criterion_id: str) -> dict[str, str]:
    base = f"{case_id}-{criterion_id}"
    return {"answer": f"svar-{base}", "reason": f"grund-{base}", "note": f"note-{base}", "fix_by": f"frist-{base}"}


def _save(user: User, round_id: int, case_id: int, criterion_id: str) -> None:
    """Save one answer from its widgets (a widget callback); a refusal is shown beside it."""
    keys, state = _keys(case_id, criterion_id), st.session_state
    errors = state.setdefault(ERRORS, {})
    errors.pop(keys["answer"], None)
    answer = state.get(keys["answer"])
    try:
        if answer is None:
            answers.clear_answer(resources.store(), user, round_id, case_id, criterion_id)
        elif answer == IKKE_RELEVANT and not (state.get(keys["reason"]) or "").strip():
            errors[keys["answer"]] = "Skriv begrundelsen for, at kriteriet ikke er relevant; så gemmes svaret."
        else:
            answers.record_answer(
                resources.store(), user, round_id, case_id, criterion_id, answer, today=resources.today(),
                reason=state.get(keys["reason"]) or "", note=state.get(keys["note"]) or "", fix_by=state.get(keys["fix_by"]),
            )
    except PROBLEMS as exc:
        errors[keys["answer"]] = str(exc)


def criterion_row(user: User, view: RoundView, case: CaseToReview, criterion: Criterion, given: Answer | None) -> None:
    keys = _keys(case.id, criterion.id)
    closed = view.round.closed_at is not None
    args = (user, view.round.id, case.id, criterion.id)
    with st.container(key=f"krit-{case.id}-{criterion.id}", border=True):
        st.markdown(f"**{markdown_literal(criterion.question)}**")
        st.caption(f"{markdown_literal(criterion.legal_ref)} · [Åbn afsnit]({guideline_url(criterion.guideline_id, criterion.anchor)}) i {markdown_literal(view.titles.get(criterion.guideline_id, criterion.guideline_id))}")
        options = [JA, NEJ, IKKE_RELEVANT] if criterion.not_relevant_allowed else [JA, NEJ]
        index = options.index(given.answer) if given is not None and given.answer in options else None
        chosen = st.radio("Svar", options, index=index, format_func=ANSWER_LABELS.get, horizontal=True, key=keys["answer"], on_change=_save, args=args, disabled=closed)
        if chosen == NEJ:
            default = date.fromisoformat(given.fix_by) if given is not None and given.fix_by else resources.today() + timedelta(days=answers.FIX_DAYS)
            st.date_input("Ret senest", value=default, key=keys["fix_by"], on_change=_save, args=args, format="DD.MM.YYYY", disabled=closed)
        if chosen == IKKE_RELEVANT:
            st.text_input("Begrundelse (fx barnets alder)", value=given.reason if given else "", key=keys["reason"], on_change=_save, args=args, disabled=closed)
        if chosen is not None:
            st.text_input("Note (valgfri, ingen CPR-numre eller navne)", value=given.note if given else "", key=keys["note"], on_change=_save, args=args, disabled=closed)
        error = st.session_state.get(ERRORS, {}).get(keys["answer"])
        if error:
            st.error(error)
        elif given is not None:
            st.caption(f":material/check: Gemt: {given.label}" + (f", ret senest {date_text(given.fix_by)}" if given.fix_by else ""))


def recording(user: User, view: RoundView) -> None:
    # The expander's label and state stay the same while answers are given, so Streamlit keeps it
    # open and the keyboard focus where it was; the progress is a caption inside.
    for case in view.cases:
        label = f"Sag {case.case_ref} · {case.caseworker}" + (f" · {case.case_type}" if case.case_type else "")
        with st.expander(markdown_literal(label), expanded=True):
            st.caption(f"{case.answered} af {len(case.criteria)} kriterier besvaret")
            for criterion, given in case.criteria:
                criterion_row(user, view, case, criterion, given)


def corrections(user: User, view: RoundView, today: date) -> None:
    if not view.corrections:
        st.caption("Ingen rettelser i runden.")
    for c in view.corrections:
        left, right = st.columns([4, 1], vertical_alignment="center")
        state = "Over fristen" if c.overdue(today) else c.status_label
        left.markdown(f"**Sag {markdown_literal(c.case_ref)}** · {markdown_literal(c.caseworker)} · {markdown_literal(c.criterion.question)}  \nRet senest {date_text(c.fix_by)} · {state}")
        if c.status != answers.CONFIRMED and right.button("Bekræft rettelse", key=f"bekraeft-{c.case_id}-{c.criterion.id}"):
            try:
                answers.confirm(resources.store(), user, view.round.id, c.case_id, c.criterion.id)
            except PROBLEMS as exc:
                st.error(str(exc))
            else:
                st.rerun()


def feedback_part(user: User, view: RoundView) -> None:
    for item in view.feedback:
        acknowledged = f"kvitteret {date_text(item.acknowledged_at)}" if item.acknowledged_at else "ikke kvitteret endnu"
        with st.expander(f"Tilbagemelding til {markdown_literal(item.caseworker)} – {acknowledged}"):
            st.code(item.text(view.titles), language=None, wrap_lines=True)
            st.caption("Kopiér teksten til fagsystemet med knappen i hjørnet.")
            comment = st.text_area("Din kommentar (vises i tilbagemeldingen)", value=item.comment, key=f"kommentar-{item.caseworker}")
            if st.button("Gem kommentar", key=f"gem-kommentar-{item.caseworker}"):
                try:
                    feedback.write_comment(resources.store(), user, view.round.id, item.caseworker, comment)
                except PROBLEMS as exc:
                    st.error(str(exc))
                else:
                    st.rerun()
