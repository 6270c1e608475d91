"""Nyt siden sidst: versions the user has not acknowledged, with change note, diff and a button."""

import streamlit as st

from handbook.content.render import format_date
from handbook.publishing.acknowledgements import acknowledge, news_for, reading_plan
from handbook.publishing.drafts import version_diff_html
from handbook.publishing.required_reading import required_for_role
from portal import resources, session, widgets

st.title("Nyt siden sidst")
user = session.current_user()
if user is None:
    widgets.login_hint("se, hvad der er ændret siden sidst, og kvittere for læsning")
    st.stop()

loaded = resources.content()
store = resources.store()
joined = (store.user(user.name) or {}).get("created_at", "")
items = news_for(store, user, loaded.library, loaded.revisions, resources.today(), joined)
plan = reading_plan(store, user, loaded.library, loaded.revisions, resources.today(), set(required_for_role(store, user.role)), {i.guideline.id for i in items})
if not items and plan.empty:
    st.success("Du har læst og kvitteret for alle gældende retningslinjer.", icon=":material/task_alt:")
elif not items and not plan.has_acknowledged:
    st.info("Velkommen til Håndbogen. Der er ingen nye ændringer siden du blev oprettet; start med at læse retningslinjerne herunder og kvittere for dem" + (", først dem, der er læsepligt for din rolle." if plan.required else ", i sagsforløbets rækkefølge."), icon=":material/waving_hand:")
elif not items:
    st.info("Der er ingen nye ændringer siden sidst. Herunder står de gældende retningslinjer, du endnu ikke har kvitteret for.", icon=":material/info:")
if plan.required:
    st.header(f"Læs først: læsepligt for din rolle ({len(plan.required)})")
    for g in plan.required:
        widgets.guideline_link(g)
for item in items:
    g, current = item.guideline, item.current
    with st.container(border=True, key=f"nyt-{g.id}"):
        st.markdown(f"**{g.title}** · version {current.version}, gældende fra {format_date(current.effective)}")
        since = f"Ændret siden version {item.compare_to.version}, som du kvitterede for." if item.acknowledged_before else (
            f"Ny version (før: {item.compare_to.version})." if item.compare_to else "Ny retningslinje.")
        st.caption(f"{since} Offentliggjort {current.published_at:%d.%m.%Y} af {session.author_name(current)}.")
        if current.change_note:
            st.markdown(f"**Ændringsnote:** {current.change_note}")
        if item.compare_to is not None:
            with st.expander(f"Se ændringerne fra version {item.compare_to.version} til {current.version}"):
                st.html(version_diff_html(item.compare_to.text, current.text))
        left, right = st.columns([1, 1])
        with left:
            widgets.guideline_link(g, "Læs hele retningslinjen")
        with right:
            if st.button(f"Jeg har læst version {current.version}", key=f"ack-{current.id}", icon=":material/done:", type="primary"):
                acknowledge(store, user, current)
                st.toast(f"Kvitteret for {g.title}, version {current.version}.")
                st.rerun()

if plan.rest:
    label = f"{len(plan.rest)} {'andre ' if items or plan.required else ''}gældende retningslinjer, du endnu ikke har kvitteret for"
    with st.expander(label, expanded=not items and not plan.required):
        for g in plan.rest:
            widgets.guideline_link(g)
