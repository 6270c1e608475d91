"""What both halves of the editor page share: messages across reruns and opening a draft."""

import streamlit as st

from handbook.dates.danish_time import moment_text
from handbook.publishing import drafts as pub
from handbook.publishing.revisions import LoadedContent
from portal import navigation, resources, session


def flash(kind: str, message: str) -> None:
    """Show message (st.success/error/info/warning) after the next rerun."""
    st.session_state["editor-flash"] = (kind, message)


def show_flash() -> None:
    kind_message = st.session_state.pop("editor-flash", None)
    if kind_message:
        getattr(st, kind_message[0])(kind_message[1])


def open_draft(draft_id: int) -> None:
    """The draft in the editor, from whichever page asks (the editor itself, "Til godkendelse")."""
    st.switch_page(navigation.page_ref(navigation.EDITOR_PAGE_FILE), query_params={"kladde": str(draft_id)})


def known_ids(loaded: LoadedContent) -> set[str]:
    return set(loaded.revisions) | set(loaded.library.guidelines)


def titles(loaded: LoadedContent) -> dict[str, str]:
    """Every guideline id the portal knows (in force, scheduled or only in history) → title."""
    names = {gid: str(pub.split_text(history[-1].text)[0].get("title") or gid) if history else gid for gid, history in loaded.revisions.items()}
    names.update({g.id: g.title for g in loaded.library.all()})
    return names


def inbox_label(count: int) -> str:
    return f"Til godkendelse ({count})"


def show_inbox(user) -> None:
    """The drafts waiting for this redaktør's review, with a button to open each."""
    inbox = pub.review_inbox(resources.store(), user)
    st.header(inbox_label(len(inbox)))
    if not inbox:
        st.caption("Ingen kladder venter på din godkendelse.")
    for d in inbox:
        draft_card(d, "", f"Sendt til godkendelse af {session.display_name(d.updated_by)} {moment_text(d.updated_at)}", f"inbox-{d.id}", ":material/rate_review:")


def draft_card(d: pub.Draft, detail: str, caption: str, key: str, icon: str) -> None:
    """One draft in a list: its title and number (and detail), a caption, and an Åbn button that
    opens the draft in the editor (also from "Til godkendelse")."""
    with st.container(border=True):
        left, right = st.columns([4, 1])
        left.markdown(f"**{pub.draft_title(d)}** · kladde nr. {d.id}{detail}")
        left.caption(caption)
        if right.button("Åbn", key=key, icon=icon):
            open_draft(d.id)
