"""For leaders: what people search for and do not find (no user identity is stored)."""

import pandas as pd
import streamlit as st

import ui
from handbook.csvsafe import cell

st.title("Søgninger uden svar")
ui.require_page("reports")
st.caption("Søgninger, der ikke fandt nogen retningslinje. Det er et tegn på, hvad medarbejderne leder efter og ikke finder. Hvem der søgte, gemmes ikke.")
misses = ui.store().search_misses(limit=200)
if not misses:
    st.info("Ingen søgninger uden svar endnu.")
    st.stop()
table = pd.DataFrame(misses).rename(columns={"query": "Søgning", "count": "Antal", "first_seen": "Første gang", "last_seen": "Seneste"})
st.dataframe(table, hide_index=True, width="stretch")
st.download_button("Hent som CSV", table.map(cell).to_csv(index=False).encode("utf-8"), file_name="soegninger-uden-svar.csv", mime="text/csv")
