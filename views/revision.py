"""Revisionsdatoer: guidelines whose review date has passed or falls within 30 days, with owner."""

import streamlit as st

from handbook.content.render import format_date
from handbook.publishing.acknowledgements import REVIEW_WINDOW_DAYS, review_due
from portal import guards, resources, widgets

st.title("Revisionsdatoer")
guards.require_page("reports")

due = review_due(resources.library(), resources.today())
st.caption(f"Retningslinjer, hvis revisionsdato er overskredet eller falder inden for {REVIEW_WINDOW_DAYS} dage.")
if not due:
    st.success("Ingen retningslinjer skal revideres den næste måned.")
for item in due:
    g = item.guideline
    with st.container(border=True):
        when = f"overskredet for {-item.days_left} dage siden" if item.overdue else ("i dag" if item.days_left == 0 else f"om {item.days_left} dage")
        colour = "red" if item.overdue else "orange"
        st.markdown(f"**{g.title}** · :{colour}[revisionsdato {format_date(g.review_by)} ({when})]")
        st.caption(f"Ejer: {g.owner} · version {g.version}")
        widgets.guideline_link(g, "Åbn retningslinjen")
