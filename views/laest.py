"""Læst og kvitteret: per guideline, who has and has not acknowledged the version in force."""

import streamlit as st

from handbook.dates.danish_time import date_text
from handbook.identity.auth import AuthError
from handbook.privacy.textsafe import markdown_literal
from handbook.publishing.acknowledgements import reading_status, reading_status_csv
from portal import resources, session

st.title("Læst og kvitteret")
try:
    loaded = resources.content()
    statuses = reading_status(resources.store(), session.current_user(), loaded.library, loaded.revisions, resources.today())
except AuthError as exc:
    st.error(str(exc))
    st.stop()

st.caption("Andelen af portalens brugere, der har kvitteret for den gældende version af hver retningslinje.")
st.dataframe(
    [
        {
            "Retningslinje": s.guideline.title,
            "Version": s.revision.version,
            "Andel læst": round(s.share * 100),
            "Har læst": len(s.read),
            "Mangler": len(s.not_read),
        }
        for s in sorted(statuses, key=lambda s: s.share)
    ],
    column_config={"Andel læst": st.column_config.ProgressColumn("Andel læst", format="%d %%", min_value=0, max_value=100)},
    hide_index=True,
    width="stretch",
    key="reading-table",
)
st.download_button("Hent som CSV", reading_status_csv(statuses), file_name="laest-og-kvitteret.csv", mime="text/csv", icon=":material/download:")

titles = {s.guideline.id: f"{s.guideline.title} (version {s.revision.version})" for s in statuses}
chosen = st.selectbox("Se navne for", list(titles), index=None, format_func=titles.get, placeholder="Vælg en retningslinje")
if chosen:
    status = next(s for s in statuses if s.guideline.id == chosen)
    left, right = st.columns(2)
    with left:
        st.markdown(f"**Har læst ({len(status.read)})**")
        for user, at in status.read:
            st.markdown(f"- {markdown_literal(user.display_name)} ({date_text(at)})")
    with right:
        st.markdown(f"**Mangler ({len(status.not_read)})**")
        for user in status.not_read:
            st.markdown(f"- {markdown_literal(user.display_name)}")
