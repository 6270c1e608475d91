"""Brugere og hændelseslog (admin): roles, and every create, edit, review, publish, retire and
role change, exportable as CSV."""

import streamlit as st

import ui
from handbook import auth
from handbook.auth import AuthError

st.title("Brugere og hændelseslog")
user = ui.require_page("audit")
store = ui.store()

st.subheader("Brugere")
users = store.users()
st.dataframe(
    [{"Bruger": u["name"], "Navn": u["display_name"], "Rolle": auth.ROLES.get(u["role"], u["role"]), "Kilde": u["source"], "Oprettet": u["created_at"][:10]} for u in users],
    hide_index=True,
    width="stretch",
)
st.caption("Nye lokale brugere oprettes med `python -m handbook user add NAVN --role ROLLE`.")
if ui.claim_roles() is not None:
    st.caption("Rollen for brugere med kilden oidc afgøres af deres grupper ved hvert log-ind (`roles_from_claims`); en rolle sat her gælder til deres næste log-ind.")
left, middle, right = st.columns([2, 2, 1], vertical_alignment="bottom")
name = left.selectbox("Bruger", [u["name"] for u in users], index=None, key="role-user")
role = middle.selectbox("Ny rolle", list(auth.ROLES), format_func=auth.ROLES.get, key="role-role")
if right.button("Skift rolle", disabled=name is None):
    try:
        auth.set_role(store, name, role, user)
        st.success(f"{name} har nu rollen {auth.ROLES[role]}.")
    except AuthError as exc:
        st.error(str(exc))

st.subheader("Hændelseslog")
log = auth.audit_log(store, user)
rows = [{"Tidspunkt (UTC)": e["at"].replace("T", " ")[:19], "Hvem": e["actor"], "Handling": e["action"], "Hvad": e["target"], "Detaljer": e["details"]} for e in log]
st.dataframe(rows, hide_index=True, width="stretch")
st.download_button("Hent hændelsesloggen som CSV", auth.audit_log_csv(log), file_name="haendelseslog.csv", mime="text/csv", icon=":material/download:")
