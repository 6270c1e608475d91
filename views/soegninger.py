"""For leaders: what people search for and do not find (no user identity is stored)."""

import pandas as pd
import streamlit as st

from handbook.dates.danish_time import csv_column, csv_moment, moment_text
from handbook.privacy.csvsafe import cell
from portal import guards, resources

st.title("Søgninger uden svar")
guards.require_page("reports")
st.caption("Søgninger, der ikke fandt nogen retningslinje. Det er et tegn på, hvad medarbejderne leder efter og ikke finder. Hvem der søgte, gemmes ikke.")
misses = resources.store().search_misses(limit=200)
if not misses:
    st.info("Ingen søgninger uden svar endnu.")
    st.stop()
shown = [{"Søgning": m["query"], "Antal": m["count"], "Første gang": moment_text(m["first_seen"]), "Seneste": moment_text(m["last_seen"])} for m in misses]
st.dataframe(shown, hide_index=True, width="stretch")
exported = [{"Søgning": m["query"], "Antal": m["count"], csv_column("Første gang"): csv_moment(m["first_seen"]), csv_column("Seneste"): csv_moment(m["last_seen"])} for m in misses]
st.download_button("Hent som CSV", pd.DataFrame(exported).map(cell).to_csv(index=False, sep=";", decimal=",").encode("utf-8"), file_name="soegninger-uden-svar.csv", mime="text/csv")
