"""Hændelseslog (admin): every create, edit, review, publish, retire and user change, filtered
by person, action and period, exportable as CSV."""

from datetime import timedelta

import streamlit as st

from handbook.dates.danish_time import moment_text
from handbook.identity import auth
from handbook.identity.auditlog import choices, filter_entries
from portal import guards, resources, session

st.title("Hændelseslog")
admin = guards.require_page("audit")
log = auth.audit_log(resources.store(), admin)
today = resources.today()

left, middle, right = st.columns(3)
actors = left.multiselect("Hvem", choices(log, "actor"), format_func=session.display_name, placeholder="Alle")
actions = middle.multiselect("Handling", choices(log, "action"), placeholder="Alle")
period = right.date_input("Periode", value=(today - timedelta(days=30), today), format="DD.MM.YYYY")
start, end = (period[0], period[1]) if isinstance(period, tuple) and len(period) == 2 else (period[0] if isinstance(period, tuple) and period else None, None)
entries = filter_entries(log, actors, actions, start, end)

st.caption(f"{len(entries)} af {len(log)} hændelser.")
names = {u.name: u.display_name for u in auth.all_users(resources.store())}
rows = [{"Tidspunkt": moment_text(e["at"]), "Hvem": names.get(e["actor"], e["actor"]), "Handling": e["action"], "Hvad": e["target"], "Detaljer": e["details"]} for e in entries]
st.dataframe(rows, hide_index=True, width="stretch")
st.download_button("Hent de viste hændelser som CSV", auth.audit_log_csv(entries), file_name="haendelseslog.csv", mime="text/csv", icon=":material/download:")
