"""Til godkendelse (N): the drafts that wait for this redaktør's review."""

import streamlit as st

from portal import guards
from portal.parts.editor import show_inbox

st.title("Til godkendelse")
user = guards.require_page("review")
st.caption("Kladder, som en anden redaktør har sendt til godkendelse. Åbn en kladde for at godkende den eller sende den tilbage med en kommentar.")
show_inbox(user)
