"""Tilsynsrunder (leder, admin): the rounds of the leader's teams, a new round, and the open and
overdue corrections."""


import streamlit as st

from handbook.dates.danish_time import date_text
from handbook.identity.auth import AuthError
from handbook.privacy.textsafe import markdown_literal
from handbook.tilsyn import rounds
from handbook.tilsyn.view import overview
from portal import guards, navigation, resources
from portal.parts import tilsyn_round as parts

st.title("Ledelsestilsyn")
user = guards.require_page("tilsyn")
store = resources.store()
today = resources.today()
data = overview(store, user, today)
templates = resources.tilsyn_templates()
st.caption("Stikprøver af sagerne efter faste kriterier, som ikke meldes ud på forhånd. Se retningslinjen [Ledelsestilsyn med sagerne](retningslinje?id=ledelsestilsyn).")

if not data.teams:
    st.info(parts.NO_TEAM, icon=":material/group_off:")
else:
    with st.expander("Ny tilsynsrunde", icon=":material/add:", expanded=not data.rounds):
        with st.form("new-round"):
            left, right = st.columns(2)
            template = left.selectbox("Tilsynsskema", [t.id for t in templates.all()], format_func=lambda tid: templates.templates[tid].title)
            team = right.selectbox("Team", data.teams)
            period = left.text_input("Periode (ÅÅÅÅ-MM)", value=f"{today.year}-{today.month:02d}")
            reviewer = right.text_input("Gennemgås af", value=user.display_name)
            create = st.form_submit_button("Opret runde", icon=":material/add:", type="primary")
        if create:
            try:
                round_id = rounds.create_round(store, user, templates, template or "", period, team or "", reviewer)
            except (rounds.TilsynError, AuthError) as exc:
                st.error(str(exc))
            else:
                st.switch_page(navigation.page_ref(navigation.TILSYN_ROUND_PAGE_FILE), query_params={"runde": str(round_id)})

st.header("Runder")
if not data.rounds:
    st.caption("Ingen tilsynsrunder endnu.")
for found in data.rounds:
    st.page_link(
        navigation.page_ref(navigation.TILSYN_ROUND_PAGE_FILE), query_params={"runde": str(found.id)}, icon=":material/fact_check:",
        label=f"{found.template.title} · {markdown_literal(found.team)} · {found.period} – {rounds.STATUS_LABELS[found.status]}",
    )

st.header("Rettelser")
if not data.corrections:
    st.caption("Ingen åbne rettelser.")
else:
    if data.overdue:
        st.warning(f"{data.overdue} {'rettelse er' if data.overdue == 1 else 'rettelser er'} over fristen.", icon=":material/warning:")
    st.dataframe(
        [{"Sag": c.case_ref, "Rådgiver": c.caseworker, "Kriterium": c.criterion.question, "Frist": date_text(c.fix_by),
          "Status": ("Over fristen" if c.overdue(today) else c.status_label)} for c in data.corrections],
        hide_index=True, width="stretch",
    )
if templates.problems:
    with st.expander(f"{len(templates.problems)} fejl i tilsynsskemaerne (til redaktører)", icon=":material/error:"):
        st.markdown("\n".join(f"- {markdown_literal(str(p))}" for p in templates.problems))
