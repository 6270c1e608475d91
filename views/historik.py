"""History of one guideline (?id=): all versions, a diff between any two, any old version as it
was, and "Hvad gjaldt den …?"."""

import streamlit as st

from handbook.content.render import format_date, metadata_html, render_body
from handbook.content.urlparams import echoable_id
from handbook.publishing.drafts import split_text, version_diff_html
from handbook.publishing.revisions import guideline_of, in_force
from portal import resources, session, widgets

loaded = resources.content()
requested = st.query_params.get("id", "")
revisions = loaded.revisions.get(requested, [])
if not revisions:
    st.title("Historik")
    if requested:
        st.error(f"Der er ingen versioner af »{echoable_id(requested)}«." if echoable_id(requested) else "Retningslinjen findes ikke.")
    titles = {g.id: g.title for g in loaded.library.all()}
    choice = st.selectbox("Vælg en retningslinje", list(titles), index=None, format_func=titles.get, placeholder="Skriv for at søge i titlerne")
    if choice:
        st.query_params["id"] = choice
        st.rerun()
    st.stop()

today = resources.today()
current = in_force(revisions, today)
newest_text = max(revisions, key=lambda r: r.id)
title = split_text(newest_text.text)[0].get("title", requested)
st.caption("Historik")
st.title(str(title))
guideline = loaded.library.get(requested)
if guideline is not None:
    widgets.guideline_link(guideline, "Til den gældende version")


def state(revision) -> str:
    if revision.retired:
        return "arkiveret"
    if current is not None and revision.id == current.id:
        return "gældende"
    if revision.effective > today:
        return "planlagt"
    return "tidligere"


st.header("Alle versioner")
st.dataframe(
    [
        {
            "Version": "—" if r.retired else r.version,
            "Status": state(r),
            "Gælder fra": format_date(r.effective),
            "Offentliggjort": f"{r.published_at:%d.%m.%Y %H:%M}",
            "Af": session.author_name(r),
            "Ændringsnote": r.change_note,
        }
        for r in reversed(revisions)
    ],
    hide_index=True,
    width="stretch",
)

published = [r for r in reversed(revisions) if not r.retired]
labels = {r.id: f"Version {r.version} (gælder fra {format_date(r.effective)}{', ' + state(r) if state(r) != 'tidligere' else ''})" for r in published}

st.header("Hvad gjaldt den …?")
day = st.date_input("Dato", value=today, format="DD.MM.YYYY", key="as-of")
applied = in_force(revisions, day)
if applied is None:
    retired = any(r.retired and r.effective <= day for r in revisions)
    st.warning(f"Retningslinjen var {'arkiveret' if retired else 'ikke gældende endnu'} den {format_date(day)}.")
else:
    st.success(f"Den {format_date(day)} gjaldt **version {applied.version}** (gældende fra {format_date(applied.effective)}).")

st.header("Sammenlign to versioner")
if len(published) < 2:
    st.caption("Der er kun én version.")
else:
    ids = list(labels)
    left, right = st.columns(2)
    old_id = left.selectbox("Fra version", ids, index=1, format_func=labels.get, key="diff-old")
    new_id = right.selectbox("Til version", ids, index=0, format_func=labels.get, key="diff-new")
    old = next(r for r in published if r.id == old_id)
    new = next(r for r in published if r.id == new_id)
    st.caption("Rødt er fjernet, grønt er tilføjet.")
    st.html(version_diff_html(old.text, new.text))

st.header("Se en version, som den var")
shown_id = st.selectbox("Version", list(labels), format_func=labels.get, key="show-version")
shown = next(r for r in published if r.id == shown_id)
old_guideline = guideline_of(shown, loaded.library.config)
with st.container(border=True):
    if old_guideline is None:
        st.code(shown.text, language="markdown")
    else:
        st.caption(f"Version {shown.version} · gældende fra {format_date(shown.effective)} · offentliggjort af {session.author_name(shown)}")
        body_column, meta_column = st.columns([5, 2], gap="large")
        meta_column.html(metadata_html(old_guideline, loaded.library.config.audience_label))
        body_column.html(f'<div class="hb-body">{render_body(old_guideline.body, known_ids=set(loaded.library.guidelines)).html}</div>')
