"""Mit tilsyn (every logged-in user): the feedback from opened tilsyn rounds on the user's own
drawn cases – acknowledge it, mark corrections as done, copy the text for the case system."""

import streamlit as st

from handbook.dates.danish_time import date_text
from handbook.identity.auth import AuthError
from handbook.privacy.textsafe import markdown_literal
from handbook.tilsyn import answers, feedback
from handbook.tilsyn.rounds import TilsynError
from portal import guards, resources

st.title("Mit tilsyn")
user = guards.require_page("acknowledge")
store = resources.store()
today = resources.today()
mine = feedback.my_tilsyn(store, user)
titles = {g.id: g.title for g in resources.library().all()}
st.caption("Tilbagemeldinger fra ledelsestilsynet på dine sager. Tilsynet er et redskab til læring og til retssikkerhed for barnet – ikke en bedømmelse af dig.")
if not mine:
    st.info("Du har ingen tilbagemeldinger fra ledelsestilsyn.", icon=":material/inbox:")


def act(action) -> None:
    try:
        action()
    except (TilsynError, AuthError) as exc:
        st.error(str(exc))
    else:
        st.rerun()


for item in mine:
    fb = item.feedback
    with st.container(border=True, key=f"mit-tilsyn-{fb.round.id}"):
        st.subheader(f"{fb.round.template.title} · {fb.round.period}")
        st.caption(f"Team {markdown_literal(fb.round.team)} · leder {markdown_literal(fb.round.reviewer)} · {len(fb.cases)} sager gennemgået")
        good = list(dict.fromkeys(c for case in fb.cases for c in case.good))
        if good:
            st.markdown("**Det er godt:**\n" + "\n".join(f"- {markdown_literal(c.question)}" for c in good))
        st.markdown("**Det skal rettes:**" if item.corrections else "**Der er intet, der skal rettes.**")
        for c in item.corrections:
            left, right = st.columns([4, 1], vertical_alignment="center")
            state = "Over fristen" if c.overdue(today) else c.status_label
            link = f"[{markdown_literal(titles.get(c.criterion.guideline_id, c.criterion.guideline_id))} – afsnit](retningslinje?id={c.criterion.guideline_id}#{c.criterion.anchor})"
            left.markdown(f"Sag **{markdown_literal(c.case_ref)}**: {markdown_literal(c.criterion.question)}  \nRet senest {date_text(c.fix_by)} · {state} · {link}")
            if c.status == answers.OPEN and right.button("Markér som rettet", key=f"rettet-{c.round_id}-{c.case_id}-{c.criterion.id}"):
                act(lambda c=c: answers.mark_done(store, user, c.round_id, c.case_id, c.criterion.id))
        if fb.comment:
            st.markdown(f"**Kommentar fra lederen:** {markdown_literal(fb.comment)}")
        with st.expander("Tekst til fagsystemet"):
            st.code(fb.text(titles), language=None, wrap_lines=True)
        if fb.acknowledged_at:
            st.caption(f":material/done_all: Du kvitterede {date_text(fb.acknowledged_at)}.")
        elif st.button("Jeg har læst tilbagemeldingen", key=f"kvitter-{fb.round.id}", icon=":material/done:", type="primary"):
            act(lambda fb=fb: feedback.acknowledge(store, user, fb.round.id))
