"""Notifikationer: what concerns me (review requested, approved or sent back, new versions of
guidelines I follow, review dates of guidelines I own, required reading)."""

import streamlit as st

from handbook.dates.danish_time import moment_text
from handbook.publishing import notifications
from portal import guards, navigation, resources

st.title("Notifikationer")
user = guards.require_page("acknowledge")
store = resources.store()
items = notifications.for_user(store, user.name)
unread = [n for n in items if not n.read]
if not items:
    st.info("Du har ingen notifikationer. Du får besked her, når en kladde venter på dig, når en retningslinje, du følger, kommer i en ny version, og når en retningslinje, du ejer, skal revideres.")
elif unread and st.button(f"Markér alle {len(unread)} som læst", icon=":material/done_all:"):
    notifications.mark_read(store, user.name)
    st.rerun()
for n in items:
    with st.container(border=True, key=f"notifikation-{n.id}"):
        left, right = st.columns([5, 1], vertical_alignment="center")
        marker = "" if n.read else ":blue-badge[Ny] "
        left.markdown(f"{marker}**{n.label}** · {moment_text(n.created_at)}")
        left.markdown(n.message)
        if n.link:
            page, _, query = n.link.partition("?")
            key, _, value = query.partition("=")
            target = {"rediger": navigation.EDITOR_PAGE_FILE, "retningslinje": navigation.GUIDELINE_PAGE_FILE}.get(page)
            if target:
                left.page_link(navigation.page_ref(target), label="Åbn", icon=":material/open_in_new:", query_params={key: value} if key else None)
        if not n.read and right.button("Læst", key=f"read-{n.id}", icon=":material/done:"):
            notifications.mark_read(store, user.name, n.id)
            st.rerun()
