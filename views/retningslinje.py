"""One guideline: title, metadata box, contents, body and related guidelines. URL: ?id=..."""

import streamlit as st

from handbook.content.printing import guideline_print_html
from handbook.content.render import format_date, metadata_html, render_body, toc_html
from handbook.content.urlparams import echoable_id
from handbook.dates.danish_time import date_text
from handbook.publishing.acknowledgements import acknowledge
from handbook.publishing.revisions import guideline_of, in_force, scheduled
from portal import navigation, resources, session, style, widgets
from portal.parts import guideline_extras

loaded = resources.content()
lib = loaded.library
requested = st.query_params.get("id", "")
guideline = lib.get(requested)

upcoming_only = scheduled(loaded.revisions.get(requested, []), resources.today()) if guideline is None else []
if upcoming_only:  # published in the portal with a later date: nothing is in force yet
    first = upcoming_only[0]
    planned = guideline_of(first, lib.config)
    st.title(planned.title if planned else "Retningslinje")
    viewer = session.current_user()
    if viewer is not None and viewer.can("edit"):
        st.info(f"Planlagt fra {format_date(first.effective)}: version {first.version} er offentliggjort og gælder fra den dag. Læserne ser den først da.", icon=":material/schedule:")
        if planned is not None:
            st.html(f'<div class="hb-body">{render_body(planned.body, known_ids=set(lib.guidelines)).html}</div>')
    else:
        st.info(f"Retningslinjen gælder fra {format_date(first.effective)}. Indtil da er der ingen gældende version.", icon=":material/schedule:")
    st.stop()
if guideline is None:
    st.title("Retningslinje")
    if requested:
        named = f" med id »{echoable_id(requested)}«" if echoable_id(requested) else ""
        st.error(f"Retningslinjen{named} findes ikke. Den kan være omdøbt, fjernet eller udeladt på grund af en fejl i filen.")
    titles = {g.id: g.title for g in lib.all()}
    choice = st.selectbox("Vælg en retningslinje", list(titles), index=None, format_func=titles.get, placeholder="Skriv for at søge i titlerne")
    if choice is not None:
        st.query_params["id"] = choice
        st.rerun()
    st.page_link(navigation.page_ref(navigation.HANDBOOK_PAGE_FILE), label="Til håndbogens oversigt", icon=":material/menu_book:")
    st.stop()

if st.session_state.get("last_search", ("", ""))[1] == guideline.id:
    resources.store().record_first_hit_opened(st.session_state.pop("last_search")[0], guideline.id)
st.caption(f"{guideline.type_label} · {guideline.tema}")
st.title(guideline.title)
if guideline.summary:
    st.markdown(f"_{guideline.summary}_")
if lib.review_overdue(guideline, resources.today()):
    st.warning(f"Revisionsdatoen ({format_date(guideline.review_by)}) er overskredet. Retningslinjen gælder stadig; kontakt {guideline.owner}, hvis noget er forældet.")
revisions = loaded.revisions.get(guideline.id, [])
current = in_force(revisions, resources.today())
for upcoming in scheduled(revisions, resources.today()):
    note = f" Ændringsnote: {upcoming.change_note}" if upcoming.change_note else ""
    st.info(f"Ny version {upcoming.version} gælder fra {format_date(upcoming.effective)}. Indtil da gælder version {guideline.version}.{note}", icon=":material/schedule:")

body = render_body(guideline.body, known_ids=set(lib.guidelines))
main, side = st.columns([5, 2], gap="large")
with side:
    with st.container(border=True):
        st.markdown("**Om retningslinjen**")
        st.html(metadata_html(guideline, lib.config.audience_label))
    if body.headings:
        with st.container(border=True):
            st.markdown("**Indhold**")
            st.html(toc_html(body.headings))
    with st.container(border=True):
        st.markdown("**Versioner og læsning**")
        st.page_link(navigation.page_ref(navigation.HISTORY_PAGE_FILE), label="Historik og ændringer", icon=":material/history:", query_params={"id": guideline.id})
        known, audience_label = set(lib.guidelines), lib.config.audience_label
        # made when the button is clicked, not on every run of the page
        printable = lambda: guideline_print_html(guideline, resources.now(), known, audience_label)  # noqa: E731
        st.download_button("Udskriftsversion (HTML)", printable, file_name=f"{guideline.id}-version-{guideline.version}.html", mime="text/html", icon=":material/print:", help="Åbn filen i browseren og udskriv den. Den har titel, version, gyldig fra, ansvarlig og lovgrundlag og en fodnote med udskriftsdatoen.")
        user = session.current_user()
        if user is None:
            st.caption("Log ind for at kvittere for, at du har læst denne version.")
        elif current is not None:
            read = [row for row in resources.store().acknowledgements(user=user.name, guideline_id=guideline.id) if row["revision_id"] == current.id]
            if read:
                st.caption(f":material/task_alt: Du har kvitteret for version {current.version} ({date_text(read[0]['at'])}).")
            elif st.button(f"Jeg har læst version {current.version}", icon=":material/done:", key="ack"):
                acknowledge(resources.store(), user, current)
                st.rerun()
        guideline_extras.follow_button(user, guideline)
        guideline_extras.required_reading(user, guideline)
    related = lib.related(guideline)
    if related:
        with st.container(border=True):
            st.markdown("**Relaterede retningslinjer**")
            for other in related:
                widgets.guideline_link(other)
with main:
    st.html(f'<div class="hb-body">{body.html}</div>')
    style.scroll_to_anchor()
    guideline_extras.feedback(session.current_user(), guideline, guideline.version)
