"""For leaders and editors: what people search for and do not find, and the synonym review
(no user identity is stored)."""

import pandas as pd
import streamlit as st

from handbook.dates.danish_time import csv_column, csv_moment, moment_text
from handbook.privacy.csvsafe import cell
from handbook.privacy.textsafe import markdown_literal
from handbook.search.review import SynonymError, add_synonym, review_items
from portal import guards, resources, session

st.title("Søgninger uden svar")
guards.require_page("reports")
st.caption("Søgninger, der ikke fandt nogen retningslinje. Det er et tegn på, hvad medarbejderne leder efter og ikke finder. Hvem der søgte, gemmes ikke.")
store = resources.store()
misses = store.search_misses(limit=200)
if not misses:
    st.info("Ingen søgninger uden svar endnu.")
else:
    shown = [{"Søgning": m["query"], "Antal": m["count"], "Første gang": moment_text(m["first_seen"]), "Seneste": moment_text(m["last_seen"])} for m in misses]
    st.dataframe(shown, hide_index=True, width="stretch")
    exported = [{"Søgning": m["query"], "Antal": m["count"], csv_column("Første gang"): csv_moment(m["first_seen"]), csv_column("Seneste"): csv_moment(m["last_seen"])} for m in misses]
    st.download_button("Hent som CSV", pd.DataFrame(exported).map(cell).to_csv(index=False, sep=";", decimal=",").encode("utf-8"), file_name="soegninger-uden-svar.csv", mime="text/csv")

st.header("Synonymgennemgang")
st.caption(
    "Søgninger uden svar og søgninger, hvor ingen åbnede det første resultat, med de nærmeste ord i håndbogen. "
    "Et klik på et ord gør søgningen til et synonym for ordet i config/synonyms.yaml; søgningen bruger det inden for få sekunder."
)
user = session.current_user()
can_edit = user is not None and user.can("edit")
if (done := st.session_state.pop("synonym_message", None)) is not None:
    st.success(done)
items = review_items(store, resources.search_index().handbook_terms(), limit=20)
if not items:
    st.info("Ingen søgninger at gennemgå endnu.")
for number, item in enumerate(items):
    with st.container(border=True):
        first = f" · første resultat: {item.first_hit}" if item.first_hit else ""
        st.markdown(f"**»{markdown_literal(item.query)}«** · {markdown_literal(item.reason)} · {item.count} gang{'e' if item.count != 1 else ''}{markdown_literal(first)}")
        if not item.nearest:
            st.caption("Ingen ord i håndbogen ligner søgningen.")
        elif not can_edit:
            st.caption("Nærmeste ord: " + ", ".join(item.nearest))
        else:
            columns = st.columns(len(item.nearest))
            for column, term in zip(columns, item.nearest):
                if column.button(f"= {term}", key=f"synonym-{number}-{term}", help=f"Gør »{item.query}« til et synonym for »{term}«"):
                    try:
                        st.session_state["synonym_message"] = add_synonym(resources.paths().config_dir, item.query, term)
                    except (SynonymError, OSError) as exc:
                        st.error(str(exc) if isinstance(exc, SynonymError) else f"config/synonyms.yaml kunne ikke skrives: {exc.strerror}")
                    else:
                        st.rerun()
