"""The parts of a guideline page around the text: "Følg", required reading for leaders, and
"Var siden nyttig?" with the feedback its owners and leaders see."""

import secrets

import streamlit as st

from handbook.content.guideline import Guideline
from handbook.identity.auth import ROLES, AuthError, User
from handbook.privacy.cpr import PersonalDataError
from handbook.privacy.textsafe import markdown_literal
from handbook.publishing import notifications
from handbook.publishing.feedback import FeedbackRefused, feedback_for, give_feedback, may_see_feedback
from handbook.publishing.follows import is_following, set_following
from handbook.publishing.required_reading import roles_for, set_required, users_with_role
from portal import resources, session


def follow_button(user: User | None, guideline: Guideline) -> None:
    if user is None:
        return
    following = is_following(resources.store(), user, guideline.id)
    label = "Følger – stop med at følge" if following else "Følg"
    if st.button(label, key="follow", icon=":material/notifications_off:" if following else ":material/notifications:", help="Få besked, når der kommer en ny version."):
        set_following(resources.store(), user, guideline.id, not following)
        st.toast(f"Du følger ikke længere »{guideline.title}«." if following else f"Du får nu besked om nye versioner af »{guideline.title}«.")
        st.rerun()


def required_reading(user: User | None, guideline: Guideline) -> None:
    """Leaders choose the roles for which the guideline is required reading."""
    store = resources.store()
    current = roles_for(store, guideline.id)
    if user is None or not user.can("reports"):
        if user is not None and user.role in current:
            st.caption(":material/priority_high: Læsepligt for din rolle.")
        return
    chosen = st.multiselect("Læsepligt for roller", list(ROLES), default=current, format_func=lambda role: ROLES[role], key="required-roles")
    if sorted(chosen) != current and st.button("Gem læsepligt", key="required-save", icon=":material/priority_high:"):
        try:
            added, _ = set_required(store, user, guideline.id, chosen)
        except AuthError as exc:
            st.error(str(exc))
            return
        for role in added:
            notifications.required_reading(store, guideline.id, guideline.title, role, users_with_role(store, role))
        st.toast("Læsepligten er gemt.")
        st.rerun()


def feedback(user: User | None, guideline: Guideline, version: str) -> None:
    store = resources.store()
    with st.container(border=True, key="feedback"):
        given = st.session_state.setdefault("feedback-given", [])
        refused = st.session_state.pop("feedback-refused", "")
        if refused:
            st.warning(refused, icon=":material/block:")
        elif guideline.id in given:
            st.markdown(":material/task_alt: Tak for din tilbagemelding.")
        else:
            st.markdown("**Var siden nyttig?**")
            with st.form("feedback-form", border=False):
                useful = st.segmented_control("Var siden nyttig?", ["Ja", "Nej"], key="feedback-useful", label_visibility="collapsed")
                comment = st.text_area("Kommentar (valgfri; skriv ikke navne eller CPR-numre)", key="feedback-comment", max_chars=1000, height=80)
                sent = st.form_submit_button("Send tilbagemelding", icon=":material/send:")
            if sent:
                if useful is None:
                    st.error("Vælg Ja eller Nej.")
                else:
                    try:
                        give_feedback(store, guideline.id, version, useful == "Ja", comment, session=st.session_state.setdefault("feedback-session", secrets.token_hex(16)), client=session.client_address())
                    except FeedbackRefused as exc:
                        given.append(guideline.id)
                        st.session_state["feedback-refused"] = str(exc)
                        st.rerun()
                    except (PersonalDataError, ValueError) as exc:
                        st.error(str(exc))
                    else:
                        given.append(guideline.id)
                        st.rerun()
    if may_see_feedback(store, user, guideline):
        summary = feedback_for(store, user, guideline)
        with st.expander(f"Tilbagemeldinger: {summary.useful} ja, {summary.not_useful} nej, {len(summary.comments)} kommentarer"):
            if not summary.comments:
                st.caption("Ingen kommentarer endnu.")
            for day, was_useful, shown_version, comment in summary.comments:
                st.markdown(f"- {day} · version {markdown_literal(shown_version)} · {'ja' if was_useful else 'nej'}: {markdown_literal(comment)}")
