"""Tilbagemeldinger (leaders): "Var siden nyttig?" per guideline; comments on each guideline's page."""

import streamlit as st

from handbook.publishing.feedback import feedback_overview
from portal import guards, resources

st.title("Tilbagemeldinger")
user = guards.require_page("reports")
overview = feedback_overview(resources.store(), user)
lib = resources.library()
st.caption("Svar på »Var siden nyttig?« pr. retningslinje. Kommentarerne står på retningslinjens side og slettes efter opbevaringsperioden.")
if not overview:
    st.info("Der er ingen tilbagemeldinger endnu.")
rows = []
for gid, (yes, no, comments) in sorted(overview.items(), key=lambda item: -(item[1][0] + item[1][1])):
    guideline = lib.get(gid)
    rows.append({"Retningslinje": guideline.title if guideline else gid, "Ja": yes, "Nej": no, "Andel ja": round(100 * yes / (yes + no)) if yes + no else 0, "Kommentarer": comments})
if rows:
    st.dataframe(rows, hide_index=True, width="stretch", column_config={"Andel ja": st.column_config.ProgressColumn("Andel ja", format="%d %%", min_value=0, max_value=100)})
