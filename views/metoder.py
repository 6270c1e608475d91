"""Metoder: the method guides, the ICS triangle and tragtmodel, how ICS and SOS are combined, and
three worksheets (Signs of Safety, ICS for the børnefaglig undersøgelse, De tre huse) to fill in
and paste into the journal. URL ?ark=sos|ics|tre-huse opens a worksheet."""

import streamlit as st

from handbook.identity.auth import AuthError
from handbook.methods.figures import funnel_svg, funnel_text, ics_triangle_svg, ics_triangle_text
from handbook.methods.worksheets import (
    COMBINATION,
    HOUSES,
    ICS_COVERAGE,
    ICS_SIDES,
    SOS_COLUMNS,
    SOS_SCALE,
    SOS_SCALE_MEANING,
    IcsWorksheet,
    SosWorksheet,
    ThreeHouses,
    WorksheetError,
    ics_markdown,
    load_worksheet,
    printable_html,
    save_worksheet,
    sos_markdown,
    three_houses_markdown,
)
from handbook.privacy.cpr import PersonalDataError
from handbook.trivsel.charts import scaling_chart
from portal import navigation, resources, session, widgets

SHEETS = {"oversigt": "Metoderne", "sos": "Signs of Safety-ark", "ics": "ICS-ark (BFU)", "tre-huse": "De tre huse"}
GUIDELINE_OF = {"sos": ("signs-of-safety", ""), "ics": ("boernefaglig-undersoegelse", ""), "tre-huse": ("signs-of-safety", "de-tre-huse")}
user = session.current_user()
lib = resources.library()
today = resources.today()

st.title("Metoder")
requested = st.query_params.get("ark", "oversigt")
choice = st.segmented_control("Vis", list(SHEETS), format_func=SHEETS.get, default=requested if requested in SHEETS else "oversigt", key="sheet-choice")
if choice and choice != requested:
    st.query_params["ark"] = choice
sheet_kind = choice or "oversigt"


def flash_errors(action) -> bool:
    try:
        action()
    except (WorksheetError, PersonalDataError, AuthError) as exc:
        st.error(str(exc))
        return False
    return True


def item_list(key: str, heading: str, items: list[str], add, remove, placeholder: str) -> None:
    """A bordered column of items, each removable, with a field to add one more."""
    with st.container(border=True, key=key):
        st.markdown(heading)
        for index, item in enumerate(items):
            text_part, remove_part = st.columns([5, 1])
            text_part.markdown(f"- {item}")
            if remove_part.button("✕", key=f"{key}-rm-{index}", help="Fjern punktet", type="tertiary"):
                remove(index)
                st.rerun()
        with st.form(f"{key}-add", clear_on_submit=True, border=False):
            text = st.text_area(placeholder, key=f"{key}-new", height=70, label_visibility="collapsed", placeholder=placeholder)
            if st.form_submit_button("Tilføj", icon=":material/add:") and flash_errors(lambda: add(text)):
                st.rerun()


def guideline_links(kind: str) -> None:
    guideline_id, anchor = GUIDELINE_OF[kind]
    guideline = lib.get(guideline_id)
    if guideline is not None:
        st.page_link(navigation.page_ref(navigation.GUIDELINE_PAGE_FILE), label=f"Retningslinjen: {guideline.title}", icon=":material/description:", query_params={"id": guideline.id})


def export(kind: str, markdown_text: str, title: str, sheet) -> None:
    """Copyable text, downloads (Markdown and a printable page) and saving under a reference."""
    st.header("Til journalen")
    st.code(markdown_text, language=None, wrap_lines=True)
    left, right = st.columns(2)
    left.download_button("Hent som tekst (Markdown)", markdown_text, file_name=f"{kind}-{today.isoformat()}.md", mime="text/markdown", icon=":material/description:", key=f"{kind}-md")
    right.download_button("Hent til udskrift (HTML)", printable_html(markdown_text, title), file_name=f"{kind}-{today.isoformat()}.html", mime="text/html", icon=":material/print:", key=f"{kind}-html")
    st.caption("Arket gemmes ikke, medmindre du gemmer det under en reference.")
    if user is None:
        st.caption("Log ind for at gemme arket eller åbne et gemt ark.")
        return
    with st.expander("Gem eller åbn under en reference"):
        reference = st.text_input("Reference (fx sagsnummer – aldrig CPR-nummer eller navn)", key=f"{kind}-ref", max_chars=80)
        left, right = st.columns(2)
        if left.button("Gem arket", key=f"{kind}-save", icon=":material/save:") and flash_errors(lambda: save_worksheet(resources.store(), user, kind, sheet, reference)):
            st.success(f"Gemt under »{reference.strip()}«.")
        if right.button("Åbn senest gemte", key=f"{kind}-load", icon=":material/folder_open:"):
            loaded = load_worksheet(resources.store(), user, kind, reference)
            if loaded is None:
                st.info(f"Du har ikke gemt et ark under »{reference.strip()}«.")
            else:
                st.session_state[f"{kind}-sheet"] = loaded
                st.rerun()


if sheet_kind == "oversigt":
    methods = [g for g in lib.all() if g.type == "metode"]
    st.markdown("Afdelingens metoder – med arbejdsark, du kan udfylde under eller efter et møde og kopiere til journalen.")
    for guideline in methods:
        with st.container(border=True):
            widgets.guideline_link(guideline)
            if guideline.summary:
                st.caption(guideline.summary)
    st.header("ICS-trekanten")
    st.image(ics_triangle_svg(), alt=ics_triangle_text(), caption="ICS-trekanten: barnets behov i midten, trekantens tre sider og deres dimensioner.", width="stretch")
    with st.expander("Dimensionerne og hvad de handler om"):
        for side, dimensions in ICS_SIDES:
            st.markdown(f"**{side}**\n\n" + "\n".join(f"- **{name}** – {prompt}" for name, prompt in dimensions))
        st.caption("Navnene under forældrekompetencer og familie og netværk er afdelingens arbejdsbetegnelser; de præcise navne står i Social- og Boligstyrelsens Håndbog om ICS og udredningsværktøjet.")
    st.header("Tragtmodellen")
    st.image(funnel_svg(), alt=funnel_text(), caption="Tragtmodellen: fra bekymring over hypoteser til de dimensioner, der skal undersøges.", width="stretch")
    st.header("Sådan kombinerer vi ICS og Signs of Safety")
    st.markdown(COMBINATION)

elif sheet_kind == "sos":
    st.header("Signs of Safety – kortlægning")
    guideline_links("sos")
    sheet: SosWorksheet = st.session_state.setdefault("sos-sheet", SosWorksheet())
    for number, (column, name) in enumerate(zip(st.columns(3), SOS_COLUMNS)):
        with column:
            item_list(f"sos-col-{number}", f"**{name}**", sheet.columns[name], lambda t, n=name: sheet.add_item(n, t), lambda i, n=name: sheet.remove_item(n, i), "Skriv et punkt")
    left, right = st.columns(2)
    danger = left.text_area("Farebeskrivelse", value=sheet.danger_statement, key="sos-danger", height=110, help="Hvem er bekymret, for hvad forældrene gør eller ikke gør, og hvad det kan betyde for barnet.")
    goal = right.text_area("Sikkerhedsmål", value=sheet.safety_goal, key="sos-goal", height=110, help="Hvad forældre og netværk skal gøre, og over hvor lang tid, før barnet er sikkert nok.")
    if (danger, goal) != (sheet.danger_statement, sheet.safety_goal):
        flash_errors(lambda: sheet.set_statements(danger, goal))
    st.markdown(f"**Skalering {SOS_SCALE[0]}–{SOS_SCALE[1]}** – {SOS_SCALE_MEANING}")
    with st.form("sos-scaling", clear_on_submit=True):
        initials_column, value_column = st.columns([1, 3])
        initials = initials_column.text_input("Initialer", max_chars=5)
        value = value_column.segmented_control("Skalering", list(range(SOS_SCALE[0], SOS_SCALE[1] + 1)), key="sos-scale-value")
        if st.form_submit_button("Tilføj skalering", icon=":material/add:"):
            if value is None:
                st.error("Vælg et tal på skalaen.")
            elif flash_errors(lambda: sheet.add_scaling(initials, int(value))):
                st.rerun()
    if sheet.scalings:
        st.altair_chart(scaling_chart(sheet.scalings, *SOS_SCALE), width="stretch")
        st.caption(sheet.scaling_summary() + " · " + ", ".join(f"{i}: {v}" for i, v in sheet.scalings))
    export("sos", sos_markdown(sheet, today), "Signs of Safety – kortlægning", sheet)
    if st.button("Nyt, tomt ark", key="sos-reset", icon=":material/restart_alt:"):
        st.session_state["sos-sheet"] = SosWorksheet()
        st.rerun()

elif sheet_kind == "ics":
    st.header("ICS-ark til den børnefaglige undersøgelse")
    guideline_links("ics")
    ics = lib.get("ics")
    if ics is not None:
        widgets.guideline_link(ics, f"Metoden: {ics.title}")
    sheet: IcsWorksheet = st.session_state.setdefault("ics-sheet", IcsWorksheet())
    for side, dimensions in ICS_SIDES:
        st.markdown(f"**{side}**")
        for name, prompt in dimensions:
            key = f"{side} – {name}"
            text = st.text_area(name, value=sheet.notes.get(key, ""), help=prompt, placeholder=prompt, key=f"ics-{key}", height=90)
            if text != sheet.notes.get(key, ""):
                flash_errors(lambda k=key, t=text: sheet.set_note(k, t))
    st.markdown("**Dækker undersøgelsen det, loven kræver?**")
    for key, label in ICS_COVERAGE:
        sheet.coverage[key] = st.checkbox(label, value=sheet.coverage.get(key, False), key=f"ics-cov-{key}")
    missing = sheet.missing_coverage()
    if missing:
        st.warning(f"Mangler {len(missing)} af {len(ICS_COVERAGE)}: " + "; ".join(missing))
    else:
        st.success("Alle områder er belyst.")
    export("ics", ics_markdown(sheet, today), "ICS – børnefaglig undersøgelse", sheet)

else:
    st.header("De tre huse – børnesamtale")
    guideline_links("tre-huse")
    samtale = lib.get("boernesamtale")
    if samtale is not None:
        widgets.guideline_link(samtale)
    sheet: ThreeHouses = st.session_state.setdefault("tre-huse-sheet", ThreeHouses())
    st.caption("Skriv barnets egne ord. Aftal med barnet, hvad der må vises til forældrene.")
    for number, (column, (name, meaning)) in enumerate(zip(st.columns(3), HOUSES)):
        with column:
            item_list(f"hus-{number}", f"**{name}**  \n_{meaning}_", sheet.houses[name], lambda t, n=name: sheet.add_item(n, t), lambda i, n=name: sheet.remove_item(n, i), "Barnets ord")
    sheet.shared_with_parents = st.checkbox("Aftalt med barnet, hvad forældrene må se", value=sheet.shared_with_parents, key="hus-shared")
    export("tre-huse", three_houses_markdown(sheet, today), "De tre huse – børnesamtale", sheet)
