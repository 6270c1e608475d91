"""Redigér og offentliggør: drafts with a front-matter form, a body editor with live preview,
review by a second redaktør, publishing now or on a date, and archiving. URL: ?kladde=N."""

from datetime import date

import streamlit as st

import ui
from handbook import publishing as pub
from handbook.auth import AuthError
from handbook.content import GUIDELINE_TYPES
from handbook.danish_time import moment_text
from handbook.privacy import PersonalDataError
from handbook.render import format_date, render_body
from handbook.revisions import in_force

st.title("Redigér og offentliggør")
user = ui.require_page("edit")

loaded = ui.content()
lib = loaded.library
config = lib.config
store = ui.store()
today = ui.today()
known_ids = set(loaded.revisions) | set(lib.guidelines)
NEW_TEMPLATE = pub.compose_text(
    {"id": "", "title": "", "type": "retningslinje", "tema": "", "version": "1.0", "effective": today, "owner": user.display_name},
    "## Formål\n\nSkriv retningslinjen her.",
)


def flash(kind: str, message: str) -> None:
    st.session_state["editor-flash"] = (kind, message)


def open_draft(draft_id: int) -> None:
    st.query_params["kladde"] = str(draft_id)
    st.rerun()


kind_message = st.session_state.pop("editor-flash", None)
if kind_message:
    getattr(st, kind_message[0])(kind_message[1])

draft_param = st.query_params.get("kladde")
draft = pub.get_draft(store, int(draft_param)) if draft_param and draft_param.isdigit() else None

if draft is None:
    drafts = pub.open_drafts(store)
    st.header("Åbne kladder")
    if not drafts:
        st.caption("Der er ingen åbne kladder.")
    for d in drafts:
        with st.container(border=True):
            left, right = st.columns([4, 1])
            left.markdown(f"**{d.guideline_id or '(ny retningslinje uden id)'}** · kladde nr. {d.id} · _{d.status}_")
            left.caption(f"Oprettet af {d.author}, sidst gemt af {d.updated_by} {moment_text(d.updated_at)}")
            if right.button("Åbn", key=f"open-{d.id}", icon=":material/edit:"):
                open_draft(d.id)

    st.header("Ny version af en retningslinje")
    titles = {g.id: g.title for g in lib.all()}
    chosen = st.selectbox("Retningslinje", list(titles), index=None, format_func=titles.get, placeholder="Vælg den retningslinje, du vil ændre")
    if st.button("Opret kladde til ny version", icon=":material/add:", disabled=chosen is None):
        draft_id = pub.start_new_version(store, user, in_force(loaded.revisions[chosen], today), today)
        open_draft(draft_id)

    st.header("Ny retningslinje")
    new_id = st.text_input("Id (små bogstaver og bindestreg, fx 'samvaer-og-kontakt')", key="new-id")
    if st.button("Opret kladde til ny retningslinje", icon=":material/note_add:"):
        try:
            fields, body = pub.split_text(NEW_TEMPLATE)
            draft_id = pub.start_new_guideline(store, user, pub.compose_text({**fields, "id": new_id.strip()}, body), known_ids)
        except (pub.WorkflowError, PersonalDataError) as exc:
            st.error(str(exc))
        else:
            open_draft(draft_id)

    with st.expander("Arkivér en retningslinje"):
        st.caption("En arkiveret retningslinje forsvinder fra håndbogen fra den valgte dato. Dens historik bevares.")
        target = st.selectbox("Retningslinje, der skal arkiveres", list(titles), index=None, format_func=titles.get, key="retire-id")
        when = st.date_input("Arkivér fra", value=today, min_value=today, format="DD.MM.YYYY", key="retire-date")
        reason = st.text_input("Begrundelse", key="retire-reason")
        if st.button("Arkivér", icon=":material/archive:", disabled=target is None):
            try:
                pub.retire(store, user, target, today, reason, when)
            except (pub.WorkflowError, PersonalDataError, AuthError) as exc:
                st.error(str(exc))
            else:
                flash("success", f"»{titles[target]}« er arkiveret fra {format_date(when)}.")
                st.rerun()
    st.stop()

# -- one draft ------------------------------------------------------------------------------------
st.page_link(ui.EDITOR_PAGE_FILE, label="Alle kladder", icon=":material/arrow_back:")
st.header(f"Kladde nr. {draft.id}: {draft.guideline_id}")
base_note = "ny retningslinje" if draft.is_new_guideline else "ny version"
st.caption(f"{base_note} · status: **{draft.status}** · oprettet af {draft.author} · sidst gemt af {draft.updated_by} {moment_text(draft.updated_at)}")
if draft.review_comment and draft.status == pub.SENT_BACK:
    st.warning(f"Sendt tilbage af {draft.reviewer}: {draft.review_comment}")
if draft.status in (pub.PUBLISHED, pub.DISCARDED):
    st.info(f"Kladden er {draft.status}.")
    st.code(draft.text, language="markdown")
    st.stop()

fields, body = pub.split_text(draft.text)
k = f"d{draft.id}-{draft.lock}-"


def as_date(value, fallback):
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return fallback


def as_list(value) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else []


form, preview = st.columns(2, gap="large")
with form:
    values = {}
    values["id"] = st.text_input("Id", value=str(fields.get("id", "")), key=k + "id", disabled=not draft.is_new_guideline)
    values["title"] = st.text_input("Titel", value=str(fields.get("title", "")), key=k + "title")
    types = list(GUIDELINE_TYPES)
    values["type"] = st.selectbox("Type", types, index=types.index(fields["type"]) if fields.get("type") in types else 0, format_func=GUIDELINE_TYPES.get, key=k + "type")
    values["tema"] = st.text_input("Tema", value=str(fields.get("tema", "")), key=k + "tema")
    steps = [None, *config.case_steps]
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
    others = sorted(i for i in known_ids if i != draft.guideline_id)
    values["related"] = st.multiselect("Relaterede retningslinjer", others, default=[r for r in as_list(fields.get("related")) if r in others], key=k + "rel")
    values["change_note"] = st.text_area("Ændringsnote (hvad er nyt i denne version?)", value=str(fields.get("change_note", "")), key=k + "note", height=90)
    new_body = st.text_area("Tekst (Markdown)", value=body, key=k + "body", height=520)

text = pub.compose_text(values, new_body, order=list(fields))
with preview:
    st.markdown("**Forhåndsvisning**")
    with st.container(border=True, height=1150):
        st.caption(f"{GUIDELINE_TYPES.get(values['type'])} · {values['tema']} · version {values['version']} · gælder fra {format_date(values['effective'])}")
        st.markdown(f"### {values['title'] or '(uden titel)'}")
        if values["summary"]:
            st.markdown(f"_{values['summary']}_")
        st.html(f'<div class="hb-body">{render_body(new_body, known_ids=known_ids).html}</div>')

_, problems = pub.check_text(text, config, known_ids)
if problems:
    st.warning("Kontrollen fandt fejl, der skal rettes før offentliggørelse:\n\n" + "\n".join(f"- linje {p.line}: {p.message}" for p in problems))
else:
    st.caption(":material/check_circle: Kontrollen fandt ingen fejl.")
with st.expander("Filens tekst (som i guidelines/)"):
    st.code(text, language="markdown", line_numbers=True)


def save() -> bool:
    try:
        pub.save_draft(store, user, draft.id, text, draft.lock, config, known_ids)
    except pub.DraftConflict as exc:
        st.session_state["editor-conflict"] = exc.copy_id
        flash("error", str(exc))
        return False
    except (pub.WorkflowError, PersonalDataError, AuthError) as exc:
        flash("error", str(exc))
        return False
    return True


conflict_copy = st.session_state.get("editor-conflict")
if conflict_copy and st.button(f"Åbn din kopi (kladde nr. {conflict_copy})", icon=":material/file_copy:"):
    st.session_state.pop("editor-conflict")
    open_draft(conflict_copy)

changed = text != draft.text
cols = st.columns(4)
if cols[0].button("Gem kladde", icon=":material/save:", type="secondary" if not changed else "primary"):
    if save():
        flash("success", "Kladden er gemt.")
    st.rerun()
if draft.status in pub.EDITABLE and cols[1].button("Send til godkendelse", icon=":material/rate_review:"):
    if not changed or save():
        try:
            pub.submit_for_review(store, user, draft.id)
            flash("success", "Kladden er sendt til godkendelse hos en anden redaktør.")
        except pub.WorkflowError as exc:
            flash("error", str(exc))
    st.rerun()
publish_label = "Offentliggør nu" if values["effective"] <= today else f"Planlæg til {format_date(values['effective'])}"
if cols[2].button(publish_label, icon=":material/publish:", type="primary", disabled=draft.status == pub.IN_REVIEW):
    if not changed or save():
        try:
            pub.publish(store, user, draft.id, today, config, known_ids)
        except (pub.WorkflowError, PersonalDataError, AuthError) as exc:
            flash("error", str(exc))
            st.rerun()
        else:
            flash("success", f"Version {values['version']} af »{values['title']}« er offentliggjort" + ("." if values["effective"] <= today else f" og gælder fra {format_date(values['effective'])}."))
            st.query_params.pop("kladde", None)
    st.rerun()
if cols[3].button("Kassér kladde", icon=":material/delete:"):
    pub.discard(store, user, draft.id)
    flash("info", f"Kladde nr. {draft.id} er kasseret.")
    st.query_params.pop("kladde", None)
    st.rerun()

if draft.status == pub.IN_REVIEW:
    st.header("Godkendelse")
    if user.name == draft.updated_by:
        st.info("Kladden venter på, at en anden redaktør godkender den eller sender den tilbage.")
    else:
        comment = st.text_area("Kommentar til forfatteren (kræves, hvis du sender tilbage)", key=k + "review-comment")
        left, right = st.columns(2)
        if left.button("Godkend", icon=":material/verified:", type="primary"):
            pub.approve(store, user, draft.id)
            flash("success", "Kladden er godkendt og kan offentliggøres.")
            st.rerun()
        if right.button("Send tilbage", icon=":material/undo:"):
            try:
                pub.send_back(store, user, draft.id, comment)
                flash("info", "Kladden er sendt tilbage med din kommentar.")
            except (pub.WorkflowError, PersonalDataError) as exc:
                flash("error", str(exc))
            st.rerun()
