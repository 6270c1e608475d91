"""Log ind / log ud: local accounts, or the organisation's login (OIDC) when it is set up."""

import streamlit as st

import access
import ui
from handbook.auth import AuthError

user = ui.current_user()
if user is not None:
    st.title("Log ud")
    st.markdown(f"Du er logget ind som **{user.display_name}** ({user.name}) med rollen **{user.role_label}**.")
    if ui.trusted_header():
        st.caption("Du er logget ind via organisationens log-ind-tjeneste; luk browseren for at logge ud.")
    elif st.button("Log ud", icon=":material/logout:", type="primary"):
        ui.log_out()
        st.rerun()
    st.stop()

st.title("Log ind")
st.markdown("Alle kan læse håndbogen. Du skal logge ind for at kvittere for læsning og for at redigere.")
if ui.oidc_configured():
    if st.button("Log ind med organisationens konto", icon=":material/badge:", type="primary"):
        st.login()
    st.caption("Eller med en lokal bruger:")
with st.form("login"):
    name = st.text_input("Brugernavn", autocomplete="username")
    password = st.text_input("Adgangskode", type="password", autocomplete="current-password")
    submitted = st.form_submit_button("Log ind", icon=":material/login:")
ui.first_account_hint()
if submitted:
    try:
        ui.log_in_locally(name, password)
    except AuthError as exc:
        st.error(str(exc))
    else:
        access.continue_after_login(ui.NEWS_PAGE_FILE)
