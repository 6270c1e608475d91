"""Redigér og offentliggør: the review inbox and drafts (portal/parts/editor_list.py), or one draft
with its form, preview, review and publishing (portal/parts/editor_draft.py). URL: ?kladde=N."""

import streamlit as st

from handbook.content.urlparams import row_id
from handbook.publishing import drafts as pub
from portal import guards, resources
from portal.parts import editor_draft, editor_list
from portal.parts.editor import show_flash

st.title("Redigér og offentliggør")
user = guards.require_page("edit")
show_flash()

draft_param = st.query_params.get("kladde")
draft = pub.get_draft(resources.store(), row_id(draft_param)) if row_id(draft_param) is not None else None
if draft_param is not None and draft is None:
    st.error("Kladden findes ikke. Vælg en af de åbne kladder herunder.")

if draft is None:
    editor_list.show(user)
else:
    editor_draft.show(user, draft)
