"""Nyt siden sidst: versions the user has not acknowledged, with change note, diff and a button."""

import streamlit as st

import ui
from handbook.publishing import normalised_text
from handbook.acknowledgements import acknowledge, news_for, unacknowledged
from handbook.render import format_date
from handbook.revisions import diff_html

st.title("Nyt siden sidst")
user = ui.current_user()
if user is None:
    ui.login_hint("se, hvad der er ændret siden sidst, og kvittere for læsning")
    st.stop()

loaded = ui.content()
store = ui.store()
joined = (store.user(user.name) or {}).get("created_at", "")
items = news_for(store, user, loaded.library, loaded.revisions, ui.today(), joined)
if not items:
    st.success("Du har læst alle ændringer, der er sket, siden du sidst kvitterede.", icon=":material/task_alt:")
for item in items:
    g, current = item.guideline, item.current
    with st.container(border=True, key=f"nyt-{g.id}"):
        st.markdown(f"**{g.title}** · version {current.version}, gældende fra {format_date(current.effective)}")
        since = f"Ændret siden version {item.compare_to.version}, som du kvitterede for." if item.acknowledged_before else (
            f"Ny version (før: {item.compare_to.version})." if item.compare_to else "Ny retningslinje.")
        st.caption(f"{since} Offentliggjort {current.published_at:%d.%m.%Y} af {current.author_label}.")
        if current.change_note:
            st.markdown(f"**Ændringsnote:** {current.change_note}")
        if item.compare_to is not None:
            with st.expander(f"Se ændringerne fra version {item.compare_to.version} til {current.version}"):
                st.html(diff_html(normalised_text(item.compare_to.text), normalised_text(current.text)))
        left, right = st.columns([1, 1])
        with left:
            ui.guideline_link(g, "Læs hele retningslinjen")
        with right:
            if st.button(f"Jeg har læst version {current.version}", key=f"ack-{current.id}", icon=":material/done:", type="primary"):
                acknowledge(store, user, current)
                st.toast(f"Kvitteret for {g.title}, version {current.version}.")
                st.rerun()

rest = [g for g in unacknowledged(store, user, loaded.library, loaded.revisions, ui.today()) if g.id not in {i.guideline.id for i in items}]
if rest:
    with st.expander(f"{len(rest)} andre gældende retningslinjer, du endnu ikke har kvitteret for"):
        for g in rest:
            ui.guideline_link(g)
