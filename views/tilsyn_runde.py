"""Tilsynsrunde (leder, admin): draw the sample, record the answers case by case (each answer
is saved as it is given), open the round to the caseworkers, confirm corrections, write and copy
the feedback, close the round."""

import streamlit as st

from handbook.content.urlparams import row_id
from handbook.dates.danish_time import date_text
from handbook.identity.auth import AuthError
from handbook.privacy.textsafe import markdown_literal
from handbook.tilsyn import agenda, rounds
from handbook.tilsyn.view import round_view
from portal import guards, navigation, resources
from portal.parts import tilsyn_round as parts

user = guards.require_page("tilsyn")
store = resources.store()
round_id = row_id(st.query_params.get("runde"))
if round_id is None:
    st.title("Tilsynsrunde")
    st.info("Vælg en runde under Tilsynsrunder.")
    st.page_link(navigation.page_ref(navigation.TILSYN_PAGE_FILE), label="Til tilsynsrunderne", icon=":material/arrow_back:")
    st.stop()
try:
    view = round_view(store, user, round_id, resources.library())
except (rounds.TilsynError, AuthError) as exc:
    st.title("Tilsynsrunde")
    st.error(str(exc))
    st.stop()

found = view.round
st.title(found.template.title)
st.caption(f"Team {markdown_literal(found.team)} · periode {found.period} · gennemgås af {markdown_literal(found.reviewer)} · {rounds.STATUS_LABELS[found.status]}")
st.page_link(navigation.page_ref(navigation.TILSYN_PAGE_FILE), label="Alle tilsynsrunder", icon=":material/arrow_back:")

if found.drawn_at is None:
    st.header("Træk sagerne")
    st.markdown("Indsæt teamets aktive sager. Portalen trækker tilfældigt det antal sager pr. rådgiver, du vælger (retningslinjen siger 3), og gemmer frøet, så udtrækket kan genskabes. Rådgiverne kan ikke se, hvilke sager der er trukket, før du åbner runden for dem.")
    parts.draw_form(user, found.id)
    st.stop()

st.info(
    f"Trukket {date_text(found.drawn_at)}: {found.per_caseworker} pr. rådgiver blandt {view.pasted} sager med frø **{found.seed}**. "
    "Samme liste og samme frø giver det samme udtræk.", icon=":material/casino:",
)
left, right = st.columns(2)
if found.opened_at is None and left.button("Åbn for rådgiverne", icon=":material/lock_open:", help="Rådgiverne ser deres trukne sager og tilbagemeldingen under Mit tilsyn."):
    rounds.open_round(store, user, found.id)
    st.rerun()
if found.closed_at is None and right.button("Luk runden", icon=":material/lock:", help="Svarene kan ikke ændres bagefter; sagsnumre og noter slettes efter opbevaringsperioden."):
    closed = rounds.close_round(store, user, found.id)
    flagged = agenda.notify_under_target(store, resources.library(), closed.team)
    st.session_state["tilsyn-flash"] = "Runden er lukket." + (f" Retningslinjens ejer har fået besked om {len(flagged)} kriterier under målet to runder i træk." if flagged else "")
    st.rerun()
flash = st.session_state.pop("tilsyn-flash", None)
if flash:
    st.success(flash)

st.header(f"Svar ({view.answered} af {view.questions})")
with st.container(key="tilsyn-sager"):
    parts.recording(user, view)
st.header("Rettelser")
parts.corrections(user, view, resources.today())
st.header("Tilbagemelding")
parts.feedback_part(user, view)
