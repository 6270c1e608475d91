"""Metoder: the method guides, the ICS triangle and tragtmodel, how ICS and SOS are combined, and
three worksheets (Signs of Safety, ICS for the børnefaglig undersøgelse, De tre huse) to fill in
and paste into the journal. URL ?ark=sos|ics|tre-huse opens a worksheet."""

import streamlit as st

from handbook.identity.auth import AuthError
from handbook.methods import worksheets
from handbook.methods.sheets import OVERVIEW, SHEETS, SheetPage, new_sheet, overview, sheet_page
from handbook.privacy.cpr import PersonalDataError
from handbook.privacy.textsafe import markdown_literal
from portal import navigation, resources, session, widgets

user = session.current_user()
lib = resources.library()

st.title("Metoder")
requested = st.query_params.get("ark", OVERVIEW)
choice = st.segmented_control("Vis", list(SHEETS), format_func=SHEETS.get, default=requested if requested in SHEETS else OVERVIEW, key="sheet-choice")
if choice and choice != requested:
    st.query_params["ark"] = choice
sheet_kind = choice or OVERVIEW


def flash_errors(action) -> bool:
    try:
        action()
    except (worksheets.WorksheetError, PersonalDataError, AuthError) as exc:
        st.error(str(exc))
        return False
    return True


def item_list(key: str, heading: str, items: list[str], add, remove, placeholder: str) -> None:
    """A bordered column of items, each removable, with a field to add one more."""
    with st.container(border=True, key=key):
        st.markdown(heading)
        for index, item in enumerate(items):
            text_part, remove_part = st.columns([5, 1])
            text_part.markdown(f"- {markdown_literal(item)}")
            if remove_part.button("✕", key=f"{key}-rm-{index}", help="Fjern punktet", type="tertiary"):
                remove(index)
                st.rerun()
        with st.form(f"{key}-add", clear_on_submit=True, border=False):
            text = st.text_area(placeholder, key=f"{key}-new", height=70, label_visibility="collapsed", placeholder=placeholder)
            if st.form_submit_button("Tilføj", icon=":material/add:") and flash_errors(lambda: add(text)):
                st.rerun()


def export(page: SheetPage, sheet) -> None:
    """Status, copyable text, downloads (Markdown and a printable page) and saving under a reference."""
    kind, filled = page.kind, page.filled(sheet, resources.today())
    if filled.scaling is not None:
        st.altair_chart(filled.scaling.chart, width="stretch")
        st.caption(filled.scaling.caption)
    if filled.coverage is not None:
        complete, message = filled.coverage
        if complete:
            st.success(message)
        else:
            st.warning(message)
    st.header("Til journalen")
    st.code(filled.markdown, language=None, wrap_lines=True)
    left, right = st.columns(2)
    left.download_button("Hent som tekst (Markdown)", filled.markdown, file_name=filled.markdown_file, mime="text/markdown", icon=":material/description:", key=f"{kind}-md")
    right.download_button("Hent til udskrift (HTML)", filled.printable, file_name=filled.printable_file, mime="text/html", icon=":material/print:", key=f"{kind}-html")
    st.caption("Arket gemmes ikke, medmindre du gemmer det under en reference.")
    if user is None:
        st.caption("Log ind for at gemme arket eller åbne et gemt ark.")
        return
    with st.expander("Gem eller åbn under en reference"):
        reference = st.text_input("Reference (fx sagsnummer – aldrig CPR-nummer eller navn)", key=f"{kind}-ref", max_chars=80)
        left, right = st.columns(2)
        if left.button("Gem arket", key=f"{kind}-save", icon=":material/save:") and flash_errors(lambda: worksheets.save_worksheet(resources.store(), user, kind, sheet, reference)):
            st.success(f"Gemt under »{markdown_literal(reference.strip())}«.")
        if right.button("Åbn senest gemte", key=f"{kind}-load", icon=":material/folder_open:"):
            loaded = worksheets.load_worksheet(resources.store(), user, kind, reference)
            if loaded is None:
                st.info(f"Du har ikke gemt et ark under »{markdown_literal(reference.strip())}«.")
            else:
                st.session_state[f"{kind}-sheet"] = loaded
                st.rerun()


if sheet_kind == OVERVIEW:
    shown = overview(lib)
    st.markdown("Afdelingens metoder – med arbejdsark, du kan udfylde under eller efter et møde og kopiere til journalen.")
    for guideline in shown.methods:
        with st.container(border=True):
            widgets.guideline_link(guideline)
            if guideline.summary:
                st.caption(guideline.summary)
    st.header("ICS-trekanten")
    st.image(shown.triangle.svg, alt=shown.triangle.text, caption=shown.triangle.caption, width="stretch")
    with st.expander("Dimensionerne og hvad de handler om"):
        for side in shown.dimensions:
            st.markdown(side)
        st.caption("Navnene under forældrekompetencer og familie og netværk er afdelingens arbejdsbetegnelser; de præcise navne står i Social- og Boligstyrelsens Håndbog om ICS og udredningsværktøjet.")
    st.header("Tragtmodellen")
    st.image(shown.funnel.svg, alt=shown.funnel.text, caption=shown.funnel.caption, width="stretch")
    st.header("Sådan kombinerer vi ICS og Signs of Safety")
    st.markdown(shown.combination)
else:
    page = sheet_page(sheet_kind, lib)
    st.header(page.heading)
    if page.guideline is not None:
        st.page_link(navigation.page_ref(navigation.GUIDELINE_PAGE_FILE), label=f"Retningslinjen: {page.guideline.title}", icon=":material/description:", query_params={"id": page.guideline.id})
    for label, guideline in page.methods:
        widgets.guideline_link(guideline, label)
    sheet = st.session_state.setdefault(f"{sheet_kind}-sheet", new_sheet(sheet_kind))
    if sheet_kind == "sos":
        for number, (column, name) in enumerate(zip(st.columns(3), worksheets.SOS_COLUMNS)):
            with column:
                item_list(f"sos-col-{number}", f"**{name}**", sheet.columns[name], lambda t, n=name: sheet.add_item(n, t), lambda i, n=name: sheet.remove_item(n, i), "Skriv et punkt")
        left, right = st.columns(2)
        danger = left.text_area("Farebeskrivelse", value=sheet.danger_statement, key="sos-danger", height=110, help="Hvem er bekymret, for hvad forældrene gør eller ikke gør, og hvad det kan betyde for barnet.")
        goal = right.text_area("Sikkerhedsmål", value=sheet.safety_goal, key="sos-goal", height=110, help="Hvad forældre og netværk skal gøre, og over hvor lang tid, før barnet er sikkert nok.")
        if (danger, goal) != (sheet.danger_statement, sheet.safety_goal):
            flash_errors(lambda: sheet.set_statements(danger, goal))
        st.markdown(f"**Skalering {worksheets.SOS_SCALE[0]}–{worksheets.SOS_SCALE[1]}** – {worksheets.SOS_SCALE_MEANING}")
        with st.form("sos-scaling", clear_on_submit=True):
            initials_column, value_column = st.columns([1, 3])
            initials = initials_column.text_input("Initialer", max_chars=5)
            value = value_column.segmented_control("Skalering", list(range(worksheets.SOS_SCALE[0], worksheets.SOS_SCALE[1] + 1)), key="sos-scale-value")
            if st.form_submit_button("Tilføj skalering", icon=":material/add:"):
                if value is None:
                    st.error("Vælg et tal på skalaen.")
                elif flash_errors(lambda: sheet.add_scaling(initials, int(value))):
                    st.rerun()
    elif sheet_kind == "ics":
        for side, dimensions in worksheets.ICS_SIDES:
            st.markdown(f"**{side}**")
            for name, prompt in dimensions:
                key = f"{side} – {name}"
                text = st.text_area(name, value=sheet.notes.get(key, ""), help=prompt, placeholder=prompt, key=f"ics-{key}", height=90)
                if text != sheet.notes.get(key, ""):
                    flash_errors(lambda k=key, t=text: sheet.set_note(k, t))
        st.markdown("**Dækker undersøgelsen det, loven kræver?**")
        for key, label in worksheets.ICS_COVERAGE:
            sheet.coverage[key] = st.checkbox(label, value=sheet.coverage.get(key, False), key=f"ics-cov-{key}")
    else:
        st.caption("Skriv barnets egne ord. Aftal med barnet, hvad der må vises til forældrene.")
        for number, (column, (name, meaning)) in enumerate(zip(st.columns(3), worksheets.HOUSES)):
            with column:
                item_list(f"hus-{number}", f"**{name}**  \n_{meaning}_", sheet.houses[name], lambda t, n=name: sheet.add_item(n, t), lambda i, n=name: sheet.remove_item(n, i), "Barnets ord")
        sheet.shared_with_parents = st.checkbox("Aftalt med barnet, hvad forældrene må se", value=sheet.shared_with_parents, key="hus-shared")
    export(page, sheet)
    if sheet_kind == "sos" and st.button("Nyt, tomt ark", key="sos-reset", icon=":material/restart_alt:"):
        st.session_state["sos-sheet"] = new_sheet("sos")
        st.rerun()
