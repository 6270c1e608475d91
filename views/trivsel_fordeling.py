"""For leaders: the anonymous distribution of saved Trivselslinealen assessments by zone and month."""

import streamlit as st

from handbook.identity.auth import AuthError
from handbook.trivsel.assessments import distribution
from portal import resources, session

st.title("Trivselslinealen – fordeling")
try:
    shown = distribution(resources.store(), session.current_user(), resources.scale())
except AuthError as exc:
    st.error(str(exc))
    st.stop()
st.caption("Gemte vurderinger pr. måned fordelt på zoner. Referencer og navne vises ikke.")
if shown is None:
    st.info("Der er ingen gemte vurderinger endnu.")
    st.stop()
st.altair_chart(shown.chart, width="stretch")
st.dataframe(shown.table, hide_index=True, width="stretch")
