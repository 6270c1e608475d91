"""Distriktsmøde: one meeting, opened by its code on each participant's own device. Participants
place the child blind; the facilitator reveals all placements at once on every screen."""

import streamlit as st

from handbook.privacy.textsafe import markdown_literal
from handbook.trivsel import district_meeting as meetings
from portal import navigation, resources, session
from portal.parts import district_meeting as part

st.title("Distriktsmøde")
scale = resources.scale()
user = session.current_user()
if scale is None:
    st.error("Trivselslinealens konfiguration (config/trivselslinealen.yaml) har fejl; distriktsmødet kan ikke holdes. Kør `python -m handbook validate` for at se dem.")
    st.stop()
if user is None:  # the page is only routed for logged-in users; a session that just ended lands here
    st.info("Log ind for at deltage i mødet.")
    st.stop()
code = str(st.query_params.get("kode", "")).strip()
if not code:
    st.info("Åbn mødet med koden fra mødelederen, eller start et nyt fra Trivselslinealen → Distriktsmøde.", icon=":material/groups:")
    st.page_link(navigation.page_ref(navigation.TRIVSEL_PAGE_FILE), label="Til Trivselslinealen", icon=":material/straighten:")
    st.stop()
try:
    state = meetings.meeting_for_code(resources.store(), user, code)
except meetings.MeetingError as exc:
    st.error(str(exc))
    st.page_link(navigation.page_ref(navigation.TRIVSEL_PAGE_FILE), label="Til Trivselslinealen", icon=":material/straighten:")
    st.stop()

screen = meetings.screen(state, user, scale, resources.library())
part.remember_drawn(state)
part.watch(state.id)
reference_text = f" · reference {markdown_literal(state.reference)}" if state.reference else ""
st.caption(f"Mødekode {state.code}{reference_text} · runde {state.round}" + (" · afsluttet" if state.closed else ""))
part.show_message()
if screen.is_facilitator:
    part.invitation(state)
    part.facilitator_panel(screen, user)
if state.closed:
    st.info("Mødet er afsluttet. Mødelederen kan genåbne det.", icon=":material/lock:")
elif not state.revealed:
    part.placement_panel(state, user, scale, screen.own)
part.rounds(screen, scale)
if screen.rounds:
    part.outcome(screen, user)
part.minutes(screen)
