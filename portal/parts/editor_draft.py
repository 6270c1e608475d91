"""One draft in the editor: the front-matter form, the body with live preview, the check, and
the workflow buttons (save, send for review, approve or send back, publish, discard)."""

from datetime import date
from typing import Any

import streamlit as st

from handbook.content.guideline import GUIDELINE_TYPES
from handbook.content.render import format_date, render_body
from handbook.dates.danish_time import moment_text
from handbook.identity.auth import AuthError, User
from handbook.privacy.cpr import PersonalDataError
from handbook.privacy.textsafe import markdown_literal
from handbook.publishing import drafts as pub
from portal import navigation, resources, session
from portal.parts.editor import flash, known_ids, open_draft, titles


def as_date(value, fallback):
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return fallback


def as_list(value) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else []


def show(user: User, draft: pub.Draft) -> None:
    st.page_link(navigation.page_ref(navigation.EDITOR_PAGE_FILE), label="Alle kladder", icon=":material/arrow_back:")
    st.header(f"Kladde nr. {draft.id}: {pub.draft_title(draft)}")
    base_note = "ny retningslinje" if draft.is_new_guideline else "ny version"
    st.caption(f"{base_note} · status: **{draft.status}** · oprettet af {markdown_literal(session.display_name(draft.author))} · sidst gemt af {markdown_literal(session.display_name(draft.updated_by))} {moment_text(draft.updated_at)}")
    if draft.review_comment and draft.status == pub.SENT_BACK:
        st.warning(f"Sendt tilbage af {markdown_literal(session.display_name(draft.reviewer or ''))}: {markdown_literal(draft.review_comment or '')}")
    if draft.status in (pub.PUBLISHED, pub.DISCARDED):
        st.info(f"Kladden er {draft.status}.")
        st.code(draft.text, language="markdown")
        return
    loaded = resources.content()
    config = loaded.library.config
    known = known_ids(loaded)
    values, new_body, fields = _form(draft, loaded, config, known)
    text = pub.compose_text(values, new_body, order=list(fields))
    _, problems = pub.check_text(text, config, known)
    if problems:
        st.warning("Kontrollen fandt fejl, der skal rettes før offentliggørelse:\n\n" + "\n".join(f"- linje {p.line}: {p.message}" for p in problems))
    else:
        st.caption(":material/check_circle: Kontrollen fandt ingen fejl.")
    with st.expander("Filens tekst (som i guidelines/)"):
        st.code(text, language="markdown", line_numbers=True)
    _buttons(user, draft, text, values, config, known)
    if draft.status == pub.IN_REVIEW:
        _review(user, draft)


def _form(draft: pub.Draft, loaded, config, known: set[str]):
    fields, body = pub.split_text(draft.text)
    k = f"d{draft.id}-{draft.lock}-"
    today = resources.today()
    form, preview = st.columns(2, gap="large")
    with form:
        values: dict[str, Any] = {}
        values["id"] = st.text_input("Id", value=str(fields.get("id", "")), key=k + "id", disabled=not draft.is_new_guideline)
        values["title"] = st.text_input("Titel", value=str(fields.get("title", "")), key=k + "title")
        types = list(GUIDELINE_TYPES)
        values["type"] = st.selectbox("Type", types, index=types.index(fields["type"]) if fields.get("type") in types else 0, format_func=lambda t: GUIDELINE_TYPES[t], key=k + "type")
        values["tema"] = st.text_input("Tema", value=str(fields.get("tema", "")), key=k + "tema")
        steps: list[int | None] = [None, *config.case_steps]
        values["sagsskridt"] = st.selectbox("Sagsskridt", steps, index=steps.index(fields.get("sagsskridt")) if fields.get("sagsskridt") in steps else 0, format_func=lambda s: "—" if s is None else f"{s}. {config.case_steps[s]}", key=k + "step")
        values["audience"] = st.multiselect("Målgrupper", list(config.audiences), default=[a for a in as_list(fields.get("audience")) if a in config.audiences], format_func=config.audience_label, key=k + "aud")
        a, b = st.columns(2)
        values["version"] = a.text_input("Version", value=str(fields.get("version", "")), key=k + "version")
        values["effective"] = b.date_input("Gælder fra", value=as_date(fields.get("effective"), today), format="DD.MM.YYYY", key=k + "eff")
        values["review_by"] = a.date_input("Revisionsdato", value=as_date(fields.get("review_by"), None), format="DD.MM.YYYY", key=k + "review")
        values["owner"] = b.text_input("Ejer", value=str(fields.get("owner", "")), key=k + "owner")
        values["approved_by"] = st.text_input("Godkendt af", value=str(fields.get("approved_by", "")), key=k + "approved")
        values["summary"] = st.text_area("Resumé", value=str(fields.get("summary", "")), key=k + "summary", height=90)
        values["legal_refs"] = [line.strip() for line in st.text_area("Lovhenvisninger (én pr. linje)", value="\n".join(as_list(fields.get("legal_refs"))), key=k + "refs", height=90).splitlines() if line.strip()]
        values["keywords"] = [w.strip() for w in st.text_input("Nøgleord (adskilt af komma)", value=", ".join(as_list(fields.get("keywords"))), key=k + "kw").split(",") if w.strip()]
        names = titles(loaded)
        others = sorted((i for i in known if i != draft.guideline_id), key=lambda i: (names[i] if i in names else i).casefold())
        values["related"] = st.multiselect("Relaterede retningslinjer", others, default=[r for r in as_list(fields.get("related")) if r in others], format_func=lambda i: names.get(i, i), key=k + "rel")
        values["change_note"] = st.text_area("Ændringsnote (hvad er nyt i denne version?)", value=str(fields.get("change_note", "")), key=k + "note", height=90)
        new_body = st.text_area("Tekst (Markdown)", value=body, key=k + "body", height=520)
    with preview:
        st.markdown("**Forhåndsvisning**")
        with st.container(border=True, height=1150):
            st.caption(f"{GUIDELINE_TYPES.get(values['type'])} · {values['tema']} · version {values['version']} · gælder fra {format_date(values['effective'])}")
            st.markdown(f"### {values['title'] or '(uden titel)'}")
            if values["summary"]:
                st.markdown(f"_{values['summary']}_")
            st.html(f'<div class="hb-body">{render_body(new_body, known_ids=known).html}</div>')
            if values["related"]:
                st.markdown("**Relaterede retningslinjer:** " + ", ".join(names.get(r, r) for r in values["related"]))
    return values, new_body, fields


def _save(user: User, draft: pub.Draft, text: str, config, known: set[str]) -> bool:
    try:
        pub.save_draft(resources.store(), user, draft.id, text, draft.lock, config, known)
    except pub.DraftConflict as exc:
        st.session_state["editor-conflict"] = exc.copy_id
        flash("error", str(exc))
        return False
    except (pub.WorkflowError, PersonalDataError, AuthError) as exc:
        flash("error", str(exc))
        return False
    return True


def _buttons(user: User, draft: pub.Draft, text: str, values: dict, config, known: set[str]) -> None:
    store, today = resources.store(), resources.today()
    conflict_copy = st.session_state.get("editor-conflict")
    if conflict_copy and st.button(f"Åbn din kopi (kladde nr. {conflict_copy})", icon=":material/file_copy:"):
        st.session_state.pop("editor-conflict")
        open_draft(conflict_copy)
    changed = text != draft.text
    may_publish = pub.may_publish(draft, config)
    cols = st.columns(4)
    if cols[0].button("Gem kladde", icon=":material/save:", type="primary" if changed else "secondary"):
        if _save(user, draft, text, config, known):
            flash("success", "Kladden er gemt.")
        st.rerun()
    if draft.status in pub.EDITABLE:
        if cols[1].button("Send til godkendelse", icon=":material/rate_review:", type="secondary" if may_publish or changed else "primary"):
            if not changed or _save(user, draft, text, config, known):
                try:
                    pub.submit_for_review(store, user, draft.id, today, config, known)
                    flash("success", "Kladden er sendt til godkendelse hos en anden redaktør.")
                except (pub.WorkflowError, PersonalDataError) as exc:
                    flash("error", str(exc))
            st.rerun()
    if may_publish:
        label = "Offentliggør nu" if values["effective"] <= today else f"Planlæg til {format_date(values['effective'])}"
        if cols[2].button(label, icon=":material/publish:", type="primary"):
            if not changed or _save(user, draft, text, config, known):
                try:
                    pub.publish(store, user, draft.id, today, config, known)
                except (pub.WorkflowError, PersonalDataError, AuthError) as exc:
                    flash("error", str(exc))
                    st.rerun()
                else:
                    flash("success", f"Version {values['version']} af »{values['title']}« er offentliggjort" + ("." if values["effective"] <= today else f" og gælder fra {format_date(values['effective'])}."))
                    st.query_params.pop("kladde", None)
            st.rerun()
    elif draft.status in pub.EDITABLE:
        cols[2].caption("Kladden skal godkendes af en anden redaktør, før den kan offentliggøres.")
    if cols[3].button("Kassér kladde", icon=":material/delete:"):
        pub.discard(store, user, draft.id)
        flash("info", f"Kladde nr. {draft.id} er kasseret.")
        st.query_params.pop("kladde", None)
        st.rerun()


def _review(user: User, draft: pub.Draft) -> None:
    st.header("Godkendelse")
    if user.name == draft.updated_by:
        st.info("Kladden venter på, at en anden redaktør godkender den eller sender den tilbage.")
        return
    comment = st.text_area("Kommentar til forfatteren (kræves, hvis du sender tilbage)", key=f"d{draft.id}-{draft.lock}-review-comment")
    left, right = st.columns(2)
    if left.button("Godkend", icon=":material/verified:", type="primary"):
        try:
            pub.approve(resources.store(), user, draft.id)
            flash("success", "Kladden er godkendt og kan offentliggøres.")
        except pub.WorkflowError as exc:
            flash("error", str(exc))
        st.rerun()
    if right.button("Send tilbage", icon=":material/undo:"):
        try:
            pub.send_back(resources.store(), user, draft.id, comment)
            flash("info", "Kladden er sendt tilbage med din kommentar.")
        except (pub.WorkflowError, PersonalDataError) as exc:
            flash("error", str(exc))
        st.rerun()
