"""Temaer til personalemødet (leder, admin): the quarter's weakest criteria for a team – team
figures only, never a person's – each linked to its guideline section and checklist, as a
printable agenda."""

import streamlit as st

from handbook.identity.auth import AuthError
from handbook.privacy.textsafe import markdown_literal
from handbook.tilsyn.agenda import agenda, agenda_html
from handbook.tilsyn.figures import quarters
from handbook.tilsyn.rounds import TilsynError
from portal import resources
from portal.parts import tilsyn_round as parts

user, right, team = parts.leader_page("Temaer til personalemødet", "temaer")
store = resources.store()
options = quarters(store, team)
if not options:
    st.info("Teamet har ingen tilsynsrunder endnu.")
    st.stop()
quarter = right.selectbox("Kvartal", options, key="temaer-kvartal") or options[0]
titles = {c.id: c.title for c in resources.checklists().all()}
try:
    item = agenda(store, user, resources.library(), titles, team, quarter)
except (TilsynError, AuthError) as exc:
    st.error(str(exc))
    st.stop()
st.caption("Tendenserne fra kvartalets tilsyn – aldrig enkeltpersoners resultater. De svageste kriterier (under målet først) er forslag til kvartalets læringstemaer.")
if not item.themes:
    st.info("Ingen kriterier har svar fra mindst 3 sager i kvartalet endnu.")
for number, theme in enumerate(item.themes, start=1):
    with st.container(border=True):
        f = theme.figure
        st.markdown(f"**{number}. {markdown_literal(f.criterion.question)}**")
        st.markdown(f"{f.figure.text} · mål {f.criterion.target} %" + (" · :red[under målet]" if f.under_target else ""))
        links = [f"[{markdown_literal(theme.guideline_title)} – afsnit]({theme.guideline_link})"]
        if theme.checklist_link:
            links.append(f"[Tjekliste: {markdown_literal(theme.checklist_title)}]({theme.checklist_link})")
        st.markdown(" · ".join(links))
        st.caption("Til drøftelse: Er retningslinjen uklar, eller skal praksis trænes?")
st.download_button(
    "Hent dagsorden til print", agenda_html(item, resources.library().config.organisation), file_name=f"temaer-{team}-{quarter}.html".replace(" ", "-"),
    mime="text/html", icon=":material/print:",
)
