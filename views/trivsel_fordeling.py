"""For leaders: the anonymous distribution of saved Trivselslinealen assessments by zone and month."""

import streamlit as st

from handbook.identity.auth import AuthError
from handbook.trivsel.charts import distribution_chart
from handbook.trivsel.scale import zone_distribution
from portal import resources, session

st.title("Trivselslinealen – fordeling")
scale = resources.scale()
try:
    rows = zone_distribution(resources.store(), session.current_user())
except AuthError as exc:
    st.error(str(exc))
    st.stop()
st.caption("Gemte vurderinger pr. måned fordelt på zoner. Referencer og navne vises ikke.")
if not rows or scale is None:
    st.info("Der er ingen gemte vurderinger endnu.")
    st.stop()
st.altair_chart(distribution_chart(scale, rows), width="stretch")
st.dataframe(
    [{"Måned": r["month"], "Zone": r["zone"], "Antal": r["count"]} for r in rows],
    hide_index=True,
    width="stretch",
)
