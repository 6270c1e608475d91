"""The editor's overview: the review inbox, open drafts, a new version, a new guideline (typed
or imported from Word) and archiving."""

import streamlit as st

from handbook.content.render import format_date
from handbook.dates.danish_time import moment_text
from handbook.identity.auth import AuthError, User
from handbook.privacy.cpr import PersonalDataError
from handbook.publishing import drafts as pub
from handbook.publishing import word_import
from handbook.publishing.revisions import in_force
from portal import resources, session
from portal.parts.editor import draft_card, flash, known_ids, open_draft, show_inbox


def show(user: User) -> None:
    loaded = resources.content()
    lib = loaded.library
    store = resources.store()
    today = resources.today()
    known = known_ids(loaded)
    show_inbox(user)

    drafts = pub.open_drafts(store)
    st.header("Åbne kladder")
    if not drafts:
        st.caption("Der er ingen åbne kladder.")
    for d in drafts:
        draft_card(d, f" · _{d.status}_", f"Oprettet af {session.display_name(d.author)}, sidst gemt af {session.display_name(d.updated_by)} {moment_text(d.updated_at)}", f"open-{d.id}", ":material/edit:")

    st.header("Ny version af en retningslinje")
    titles = {g.id: g.title for g in lib.all()}
    chosen = st.selectbox("Retningslinje", list(titles), index=None, format_func=lambda gid: titles[gid], placeholder="Vælg den retningslinje, du vil ændre")
    if st.button("Opret kladde til ny version", icon=":material/add:", disabled=chosen is None) and chosen is not None:
        current = in_force(loaded.revisions[chosen], today)
        if current is not None:  # chosen is in the handbook today, so a version is in force
            open_draft(pub.start_new_version(store, user, current, today))

    st.header("Ny retningslinje")
    new_id = st.text_input("Id (små bogstaver og bindestreg, fx 'samvaer-og-kontakt')", key="new-id")
    if st.button("Opret kladde til ny retningslinje", icon=":material/note_add:"):
        template = pub.compose_text({"id": new_id.strip(), "title": "", "type": "retningslinje", "tema": "", "version": "1.0", "effective": today, "owner": user.display_name}, "## Formål\n\nSkriv retningslinjen her.")
        try:
            draft_id = pub.start_new_guideline(store, user, template, known)
        except (pub.WorkflowError, PersonalDataError) as exc:
            st.error(str(exc))
        else:
            open_draft(draft_id)
    _word_import(user, known)
    _retire(user, titles)


def _word_import(user: User, known: set[str]) -> None:
    with st.expander("Importér fra Word (.docx)", icon=":material/upload_file:"):
        st.caption("Dokumentet bliver til en kladde: titlen fra første overskrift, lovhenvisninger fra »§ N«; overskrifter, lister, tabeller, fed, kursiv og links bevares. Billeder udelades med en note.")
        upload = st.file_uploader("Word-dokument", type=["docx"], key="word-file")
        left, right = st.columns(2)
        wanted_id = left.text_input("Id (valgfrit; ellers dannes det af titlen)", key="word-id")
        tema = right.text_input("Tema (valgfrit)", key="word-tema")
        if st.button("Importér som kladde", icon=":material/upload:", disabled=upload is None) and upload is not None:
            try:
                imported = word_import.convert(upload.getvalue(), upload.name, resources.library().config, known, resources.today(), user.display_name, wanted_id.strip() or None, tema.strip() or None)
                draft_id = pub.start_new_guideline(resources.store(), user, imported.text, known)
            except (word_import.WordImportError, PersonalDataError, pub.WorkflowError) as exc:
                st.error(str(exc))
                return
            notes = [f"»{imported.title}« er importeret som kladde nr. {draft_id}."]
            if imported.images_left_out:
                notes.append(f"{imported.images_left_out} billede(r) er udeladt; se noten i teksten.")
            if imported.problems:
                notes.append(f"Kontrollen fandt {len(imported.problems)} fejl, der skal rettes før offentliggørelse.")
            flash("success", " ".join(notes))
            open_draft(draft_id)


def _retire(user: User, titles: dict[str, str]) -> None:
    today = resources.today()
    with st.expander("Arkivér en retningslinje"):
        st.caption("En arkiveret retningslinje forsvinder fra håndbogen fra den valgte dato. Dens historik bevares.")
        target = st.selectbox("Retningslinje, der skal arkiveres", list(titles), index=None, format_func=lambda gid: titles[gid], key="retire-id")
        when = st.date_input("Arkivér fra", value=today, min_value=today, format="DD.MM.YYYY", key="retire-date")
        reason = st.text_input("Begrundelse", key="retire-reason")
        if st.button("Arkivér", icon=":material/archive:", disabled=target is None) and target is not None:
            try:
                pub.retire(resources.store(), user, target, today, reason, when)
            except (pub.WorkflowError, PersonalDataError, AuthError) as exc:
                st.error(str(exc))
            else:
                flash("success", f"»{titles[target]}« er arkiveret fra {format_date(when)}.")
                st.rerun()
