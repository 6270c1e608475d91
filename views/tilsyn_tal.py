"""Tilsyn – tal (leder, admin): a team's figures per criterion for a round or a quarter, as
"x af y sager" and a percentage ("for få sager" under 3), with the reference row; the trend
chart with baseline and target; CSV and Excel; figures per caseworker for the team's leader."""

import streamlit as st

from handbook.identity.auth import AuthError
from handbook.tilsyn import figures
from handbook.tilsyn.chart import trend_chart, trend_text
from handbook.tilsyn.reference import load_reference
from handbook.tilsyn.rounds import TilsynError
from handbook.tilsyn.view import team_choices, team_figures
from portal import resources
from portal.parts import tilsyn_round as parts

user, right, team = parts.leader_page("Tilsyn – tal", "tal")
store = resources.store()
team_rounds, quarters = team_choices(store, user, team)
if not team_rounds:
    st.info("Teamet har ingen tilsynsrunder endnu.")
    st.stop()
choices = [("runde", r.id) for r in team_rounds] + [("kvartal", q) for q in quarters]
labels = {("runde", r.id): f"Runde: {r.period} · {r.template.title}" for r in team_rounds} | {("kvartal", q): f"Kvartal: {q}" for q in quarters}
scope = right.selectbox("Tal for", choices, format_func=labels.get, key="tal-scope") or choices[0]
reference, _ = load_reference(resources.paths().config_dir)
try:
    data = team_figures(store, user, team, scope[1] if scope[0] == "runde" else None, scope[1] if scope[0] == "kvartal" else None, reference)  # type: ignore[arg-type]
except (TilsynError, AuthError) as exc:
    st.error(str(exc))
    st.stop()

rows = [r for r in data.rows if r.figure.figure.cases or r.figure.figure.ikke_relevant]
with_reference = any(r.reference for r in rows)
st.header(data.scope)
st.caption("Andel = Ja / (Ja + Nej). »Ikke relevant« tælles ikke med. Under 3 sager vises »for få sager« i stedet for en procent.")
table = [
    {"Område": r.figure.criterion.area, "Kriterium": r.figure.criterion.question, "Sager i orden": r.figure.figure.count_text, "Andel": r.figure.figure.percent_text,
     "Ikke relevant": r.figure.figure.ikke_relevant, "Mål": f"{r.figure.criterion.target} %", **({"Reference": r.reference} if with_reference else {})}
    for r in rows
]
if table:
    st.dataframe(table, hide_index=True, width="stretch")
else:
    st.caption("Ingen svar endnu.")
if with_reference:
    st.caption(f"Reference: {data.reference_source}.")
export = [r.figure for r in data.rows]
a, b = st.columns(2)
a.download_button("Hent som CSV", figures.report_csv(export), file_name="tilsyn.csv", mime="text/csv", icon=":material/download:")
b.download_button("Hent som Excel", figures.report_excel(export), file_name="tilsyn.xlsx", mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", icon=":material/table:")

st.header("Udvikling")
criteria = list(dict.fromkeys(p.criterion_id for p in data.trend))
questions = {p.criterion_id: p.question for p in data.trend}
if criteria:
    chosen = st.selectbox("Kriterium", criteria, format_func=questions.get, key="tal-kriterium") or criteria[0]
    st.altair_chart(trend_chart(data.trend, chosen), width="stretch")
    st.caption(trend_text(data.trend, chosen))

if data.per_caseworker:
    with st.expander("Tal pr. rådgiver (kun for teamets leder – personoplysninger om medarbejdere)", icon=":material/lock:"):
        st.dataframe(
            [{"Rådgiver": name, "Kriterium": f.criterion.question, "Sager i orden": f.figure.count_text, "Andel": f.figure.percent_text}
             for name, items in data.per_caseworker.items() for f in items if f.figure.cases],
            hide_index=True, width="stretch",
        )
